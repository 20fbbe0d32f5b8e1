//! The per-chunk loop: split a block into lines, parse each with the
//! file's grammar (falling back to the other built-in grammars for files
//! that mix formats), and fold the records into an [`Aggregate`].

use crate::aggregate::{Aggregate, Cursor, Settings};
use crate::grammar::Grammar;
use crate::timefmt::TimeCache;

/// Parses blocks of one file's lines.
pub struct Scanner<'a> {
    grammar: &'a Grammar,
    fallbacks: &'a [&'a Grammar],
    settings: &'a Settings,
    times: TimeCache,
    fallback_times: TimeCache,
}

impl<'a> Scanner<'a> {
    /// A scanner reading with `grammar`, then `fallbacks` in order for lines
    /// it does not fit.
    pub fn new(grammar: &'a Grammar, fallbacks: &'a [&'a Grammar], settings: &'a Settings) -> Self {
        Scanner {
            grammar,
            fallbacks,
            settings,
            times: TimeCache::default(),
            fallback_times: TimeCache::default(),
        }
    }

    /// Folds every line of `block` (chunk number `chunk` of file `file`)
    /// into `agg`. The block holds whole lines; its last line may lack a
    /// newline.
    pub fn scan(&mut self, agg: &mut Aggregate, file: usize, chunk: u64, block: &[u8]) {
        let mut at = Cursor::new(file, chunk);
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', block) {
            self.line(agg, &mut at, &block[start..end]);
            start = end + 1;
        }
        if start < block.len() {
            self.line(agg, &mut at, &block[start..]);
        }
        agg.end_chunk(at);
    }

    #[inline]
    fn line(&mut self, agg: &mut Aggregate, at: &mut Cursor, line: &[u8]) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.first().is_none_or(u8::is_ascii_whitespace)
            && line.iter().all(u8::is_ascii_whitespace)
        {
            agg.blank(at);
            return;
        }
        match self.grammar.parse(line, &mut self.times) {
            Ok(p) => agg.add(at, &p.record, false, self.settings),
            Err(err) => {
                for g in self.fallbacks {
                    if let Ok(p) = g.parse(line, &mut self.fallback_times) {
                        agg.add(at, &p.record, true, self.settings);
                        return;
                    }
                }
                let grammar = self.grammar;
                agg.malformed(at, line, || {
                    format!("not {}: {}", grammar.name(), grammar.explain(&err))
                });
            }
        }
    }
}
