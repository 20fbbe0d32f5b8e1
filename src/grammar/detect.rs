//! Picks the grammar of a file from its first lines, and tells access logs
//! from error logs.

use super::{builtin, Grammar};
use crate::timefmt::TimeCache;

/// How many non-blank lines detection looks at.
pub const SAMPLE_LINES: usize = 64;

/// What a file's first lines look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// An access log in the built-in grammar with this index in
    /// [`builtin::all`].
    Access(usize),
    /// An nginx or Apache error log.
    ErrorLog,
    /// Neither: no built-in grammar fits any sampled line.
    Unknown,
    /// No non-blank line to judge from.
    Empty,
}

/// Detects the content of a file from its first lines. `prefer_apache`
/// breaks ties between nginx and Apache grammars that fit equally well
/// (`combined` reads the same in both), e.g. for files under `/var/log/apache2`.
pub fn detect(lines: &[&[u8]], prefer_apache: bool) -> Content {
    let lines: Vec<&[u8]> = lines
        .iter()
        .copied()
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .take(SAMPLE_LINES)
        .collect();
    if lines.is_empty() {
        return Content::Empty;
    }
    let prefer_apache = prefer_apache || lines.iter().any(|l| written_by_apache(l));
    let errors = lines.iter().filter(|l| looks_like_error_line(l)).count();
    let mut best: Option<(usize, (usize, usize, usize, bool))> = None;
    for (index, grammar) in builtin::all().iter().enumerate() {
        let score = score(grammar, &lines, prefer_apache);
        if score.0 > 0 && best.is_none_or(|(_, b)| score > b) {
            best = Some((index, score));
        }
    }
    match best {
        Some((_, (parsed, ..))) if errors > parsed => Content::ErrorLog,
        Some((index, _)) => Content::Access(index),
        None if errors > 0 => Content::ErrorLog,
        None => Content::Unknown,
    }
}

/// (lines parsed, lines parsed with nothing left over, fields read, dialect
/// preferred) — compared lexicographically.
fn score(grammar: &Grammar, lines: &[&[u8]], prefer_apache: bool) -> (usize, usize, usize, bool) {
    let mut times = TimeCache::default();
    let (mut parsed, mut exact) = (0, 0);
    for line in lines {
        if let Ok(p) = grammar.parse(line, &mut times) {
            parsed += 1;
            exact += usize::from(!p.trailing());
        }
    }
    let apache = grammar.name().starts_with("apache");
    (
        parsed,
        exact,
        grammar.field_count(),
        apache == prefer_apache,
    )
}

/// Whether a line shows a habit of Apache's that nginx does not share
/// where their formats read alike: `-` for an empty body after the status
/// (nginx writes `0`), or a quote inside a quoted field escaped as `\"`
/// (nginx writes `\x22`).
fn written_by_apache(line: &[u8]) -> bool {
    let empty_body = memchr::memmem::find_iter(line, b" - ").any(|p| {
        let before = &line[..p];
        before.len() > 5
            && before[before.len() - 3..].iter().all(u8::is_ascii_digit)
            && before[..before.len() - 3].ends_with(b"\" ")
    });
    empty_body || memchr::memmem::find(line, b"\\\"").is_some()
}

/// The share (in percent) of control bytes in `head` when there are too
/// many for text: NUL and the C0 controls that text does not use. Images,
/// archives, random bytes and UTF-16 files have 10% or more; logs, even with
/// a stray escape sequence or a run of NULs, have next to none.
pub fn binary_share(head: &[u8]) -> Option<usize> {
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0x1b))
        .count();
    let share = control * 100 / head.len().max(1);
    (share >= 5).then_some(share)
}

/// Whether a line is an nginx or Apache error-log line.
pub fn looks_like_error_line(line: &[u8]) -> bool {
    super::error::parse(line).is_some()
}
