//! The per-block loop: split a block into lines, parse each, and fold the
//! results into an [`Aggregate`].
//!
//! Access logs are read with the file's grammar, then (in auto mode) with
//! the other built-in grammars and the error-log layouts, so files that mix
//! formats are read whole. Error logs are read with the error-log layouts;
//! a line that continues a multi-line message counts as parsed.

use crate::aggregate::{Aggregate, Cursor, Fit, Settings};
use crate::grammar::envelope::{unescape, Envelope, Inner, Stream};
use crate::grammar::error::{self, is_continuation, opens_quote, Stamp};
use crate::grammar::{Grammar, Parsed};
use crate::input::chunk::MAX_LINE;
use crate::record::Slot;
use crate::timefmt::{TimeCache, Zone};

/// Appends the line `inner` holds to `out`, its escapes undone.
fn unwrap_into(inner: &Inner, out: &mut Vec<u8>) {
    if inner.escaped {
        unescape(inner.text, out);
    } else {
        out.extend_from_slice(inner.text);
    }
}

/// How a file's lines are read.
#[derive(Debug, Clone)]
pub enum Reading<'a> {
    /// An access log: its grammar, then `fallbacks` in order; with
    /// `error_lines`, error-log lines found among the access lines count as
    /// events.
    Access {
        /// The file's grammar.
        grammar: &'a Grammar,
        /// Grammars tried when it does not fit.
        fallbacks: Vec<&'a Grammar>,
        /// Whether error-log lines are recognised too.
        error_lines: bool,
        /// The container envelope each line is unwrapped from.
        envelope: Option<Envelope>,
    },
    /// An nginx or Apache error log; access lines found in it are read
    /// with `fallbacks` (auto mode: the built-in grammars).
    Error {
        /// Grammars for access lines among the error lines.
        fallbacks: Vec<&'a Grammar>,
        /// The container envelope each line is unwrapped from.
        envelope: Option<Envelope>,
    },
}

impl Reading<'_> {
    /// The container envelope each line is unwrapped from.
    pub fn envelope(&self) -> Option<Envelope> {
        match self {
            Reading::Access { envelope, .. } | Reading::Error { envelope, .. } => *envelope,
        }
    }
}

/// Parses blocks of one file's lines.
pub struct Scanner<'a> {
    reading: &'a Reading<'a>,
    zone: &'a Zone,
    eol: u8,
    settings: &'a Settings,
    times: TimeCache,
    fallback_times: TimeCache,
    /// Last local second converted by `zone`, and its UTC value.
    zone_cache: Option<(i64, i64)>,
    /// The error-log state of each stream (one without an envelope): the
    /// lines of one stream never continue another's.
    events: [EventState; 2],
    /// The stream of the line being read.
    stream: Stream,
    /// An enveloped line's pieces so far on stdout and on stderr (a long
    /// line split by the container runtime).
    pieces: [Pieces; 2],
    /// An enveloped line, unescaped.
    unwrapped: Vec<u8>,
}

/// Whether the line before (in a stream) was an error-log event, or its
/// continuation.
#[derive(Debug, Default, Clone, Copy)]
struct EventState {
    after_event: bool,
    /// Whether that event's message left a quote open.
    quote_open: bool,
}

/// What a scanner knows at the end of a block that the next block of the
/// same file needs: whether an error-log message may go on (live mode reads
/// a file in the pieces its writer appended).
#[derive(Debug, Default, Clone, Copy)]
pub struct Carry {
    events: [EventState; 2],
}

/// The pieces of one stream's long line so far.
#[derive(Default)]
struct Pieces {
    /// Their text, unescaped.
    text: Vec<u8>,
    /// The physical line of the chunk the first one is on, once there is one.
    start: Option<u64>,
}

impl<'a> Scanner<'a> {
    /// A scanner for a file read as `reading`, its lines ending with `eol`
    /// (`\r\n` counts as `\n`), its error-log times in `zone`.
    pub fn new(reading: &'a Reading<'a>, zone: &'a Zone, eol: u8, settings: &'a Settings) -> Self {
        Scanner {
            reading,
            zone,
            eol,
            settings,
            times: TimeCache::default(),
            fallback_times: TimeCache::default(),
            zone_cache: None,
            events: Default::default(),
            stream: Stream::Stdout,
            pieces: Default::default(),
            unwrapped: Vec::new(),
        }
    }

    /// Goes on from where a scanner of the same file left off.
    pub fn resume(mut self, carry: Carry) -> Self {
        self.events = carry.events;
        self
    }

    /// What the next scanner of this file needs to go on from here.
    pub fn carry(&self) -> Carry {
        Carry {
            events: self.events,
        }
    }

    /// Folds every line of `block` (chunk number `chunk` of file `file`)
    /// into `agg`. The block holds whole lines; its last line may lack a
    /// newline.
    pub fn scan(&mut self, agg: &mut Aggregate, file: usize, chunk: u64, block: &[u8]) {
        let mut at = Cursor::new(file, chunk);
        let mut start = 0;
        for end in memchr::memchr_iter(self.eol, block) {
            self.line(agg, &mut at, &block[start..end]);
            start = end + 1;
        }
        if start < block.len() {
            self.line(agg, &mut at, &block[start..]);
        }
        // A long line's first pieces at the end of a block: read as a line.
        for stream in [Stream::Stdout, Stream::Stderr] {
            self.join(agg, &mut at, stream);
        }
        agg.end_chunk(at);
    }

    #[inline]
    fn line(&mut self, agg: &mut Aggregate, at: &mut Cursor, line: &[u8]) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.len() > MAX_LINE {
            agg.malformed(at, line, || {
                format!("line longer than {} MiB", MAX_LINE >> 20)
            });
            return;
        }
        // NULs before a line are a hole left by a truncation; a line of
        // NULs alone stays malformed.
        let line = match line.first() {
            Some(0) => line
                .iter()
                .position(|&b| b != 0)
                .and_then(|p| line.get(p..))
                .unwrap_or(line),
            _ => line,
        };
        if line.first().is_none_or(u8::is_ascii_whitespace)
            && line.iter().all(u8::is_ascii_whitespace)
        {
            agg.blank(at);
            return;
        }
        match self.reading.envelope() {
            Some(envelope) => self.enveloped(agg, at, line, envelope),
            None => self.inner(agg, at, line),
        }
    }

    /// Unwraps an enveloped line and reads what it holds. The pieces of a
    /// long line are joined per stream: the line counts where its first
    /// piece is, the others as its continuations.
    fn enveloped(&mut self, agg: &mut Aggregate, at: &mut Cursor, line: &[u8], envelope: Envelope) {
        let Some(inner) = envelope.open(line) else {
            agg.malformed(at, line, || format!("not a {} line", envelope.name()));
            return;
        };
        let pieces = &mut self.pieces[inner.stream as usize];
        if pieces.start.is_none() && !inner.partial {
            return self.whole(agg, at, inner);
        }
        unwrap_into(&inner, &mut pieces.text);
        match pieces.start {
            // Its place is kept until the line is read.
            None => {
                pieces.start = Some(at.position());
                at.seek(at.position() + 1);
            }
            Some(_) => agg.continuation(at),
        }
        if !inner.partial {
            self.join(agg, at, inner.stream);
        }
    }

    /// Reads an enveloped line that came whole.
    fn whole(&mut self, agg: &mut Aggregate, at: &mut Cursor, inner: Inner) {
        if !inner.escaped {
            return self.stream_line(agg, at, inner.text, inner.stream);
        }
        let mut text = std::mem::take(&mut self.unwrapped);
        text.clear();
        unwrap_into(&inner, &mut text);
        self.stream_line(agg, at, &text, inner.stream);
        self.unwrapped = text;
    }

    /// Reads the pieces of `stream`'s long line so far as one line, at the
    /// place of its first piece.
    fn join(&mut self, agg: &mut Aggregate, at: &mut Cursor, stream: Stream) {
        let pieces = &mut self.pieces[stream as usize];
        let Some(start) = pieces.start.take() else {
            return;
        };
        let mut text = std::mem::take(&mut pieces.text);
        let here = at.position();
        at.seek(start);
        self.stream_line(agg, at, &text, stream);
        at.seek(here);
        text.clear();
        self.pieces[stream as usize].text = text;
    }

    /// Reads a line a container wrote to `stream`: what nginx's and httpd's
    /// images write to stderr is their error log.
    fn stream_line(&mut self, agg: &mut Aggregate, at: &mut Cursor, line: &[u8], stream: Stream) {
        if line.iter().all(u8::is_ascii_whitespace) {
            return agg.blank(at);
        }
        self.stream = stream;
        if stream == Stream::Stderr {
            agg.stderr(at);
            if matches!(self.reading, Reading::Access { .. })
                && (self.error_line(agg, at, line, false) || self.continues(agg, at, line))
            {
                return;
            }
        }
        self.inner(agg, at, line);
    }

    /// Reads one line as the file's layout says.
    #[inline]
    fn inner(&mut self, agg: &mut Aggregate, at: &mut Cursor, line: &[u8]) {
        match self.reading {
            Reading::Access {
                grammar,
                fallbacks,
                error_lines,
                ..
            } => {
                let err = match grammar.parse(line, &mut self.times) {
                    Ok(p) => return self.request(agg, at, &p, false),
                    Err(err) => err,
                };
                for g in fallbacks {
                    if let Ok(p) = g.parse(line, &mut self.fallback_times) {
                        return self.request(agg, at, &p, true);
                    }
                }
                if *error_lines && self.error_line(agg, at, line, true) {
                    return;
                }
                agg.malformed(at, line, || {
                    format!("not {}: {}", grammar.name(), grammar.explain(&err, line))
                });
            }
            Reading::Error { fallbacks, .. } => {
                if self.error_line(agg, at, line, false) {
                    return;
                }
                if self.continues(agg, at, line) {
                    return;
                }
                for g in fallbacks {
                    if let Ok(p) = g.parse(line, &mut self.fallback_times) {
                        return self.request(agg, at, &p, true);
                    }
                }
                agg.malformed(at, line, || "not an nginx or Apache error-log line".into());
            }
        }
    }

    /// Counts an access-log request, with its client's device group.
    #[inline]
    fn request(&mut self, agg: &mut Aggregate, at: &mut Cursor, p: &Parsed, other_format: bool) {
        let device = crate::device::group(p.record.slot(Slot::UserAgent));
        let fit = Fit {
            other_format,
            rest: p.rest,
        };
        agg.add(at, &p.record, device, fit, self.settings);
    }

    /// Counts `line` as an error-log event if it is one.
    fn error_line(
        &mut self,
        agg: &mut Aggregate,
        at: &mut Cursor,
        line: &[u8],
        other_format: bool,
    ) -> bool {
        let Some(event) = error::parse(line) else {
            return false;
        };
        let time = match event.stamp {
            Stamp::Utc(t) => t,
            Stamp::Local(local) => match self.zone_cache {
                Some((l, utc)) if l == local => utc,
                _ => {
                    let utc = self.zone.to_utc(local);
                    self.zone_cache = Some((local, utc));
                    utc
                }
            },
        };
        agg.event(at, &event, time, other_format, self.settings);
        self.events[self.stream as usize] = EventState {
            after_event: true,
            quote_open: opens_quote(event.message),
        };
        true
    }

    /// Counts `line` as a continuation if it continues the error-log event
    /// before it in its stream; otherwise that event has ended.
    fn continues(&mut self, agg: &mut Aggregate, at: &mut Cursor, line: &[u8]) -> bool {
        let state = &mut self.events[self.stream as usize];
        if state.after_event && is_continuation(line, state.quote_open) {
            if opens_quote(line) {
                state.quote_open = !state.quote_open;
            }
            agg.continuation(at);
            return true;
        }
        state.after_event = false;
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::FileStats;
    use crate::grammar::builtin;

    /// A Docker json-file line on `stream`.
    fn docker(stream: &str, text: &str) -> String {
        let log = text.replace('\\', "\\\\").replace('"', "\\\"");
        format!("{{\"log\":\"{log}\\n\",\"stream\":\"{stream}\",\"time\":\"2026-06-03T10:00:06.1Z\"}}\n")
    }

    fn scan(reading: &Reading, lines: &[(&str, &str)]) -> FileStats {
        let block: String = lines.iter().map(|(s, t)| docker(s, t)).collect();
        let (zone, settings) = (Zone::Utc, Settings::default());
        let mut agg = Aggregate::default();
        Scanner::new(reading, &zone, b'\n', &settings).scan(&mut agg, 0, 0, block.as_bytes());
        agg.file_totals()
    }

    const ACCESS: &str =
        r#"1.2.3.4 - - [03/Jun/2026:10:00:06 +0000] "GET /a HTTP/1.1" 501 0 "-" "curl/8""#;
    const OPENS: &str =
        r#"2026/06/03 10:00:06 [error] 7#7: *1 FastCGI sent in stderr: "PHP message: x"#;
    const CLOSES: &str =
        r#"PHP message: y" while reading response header from upstream, client: 1.2.3.4"#;

    /// A stderr event whose message goes on in a later stderr line: the
    /// stdout lines between are requests, and the later line continues it,
    /// whichever way the file is read.
    #[test]
    fn one_streams_lines_never_continue_the_others() {
        let lines = [
            ("stderr", OPENS),
            ("stdout", ACCESS),
            ("stdout", ACCESS),
            ("stderr", CLOSES),
        ];
        let error = Reading::Error {
            fallbacks: builtin::all().iter().collect(),
            envelope: Some(Envelope::Docker),
        };
        let access = Reading::Access {
            grammar: builtin::by_name("nginx-combined").unwrap(),
            fallbacks: Vec::new(),
            error_lines: false,
            envelope: Some(Envelope::Docker),
        };
        for reading in [error, access] {
            let stats = scan(&reading, &lines);
            let got = (
                stats.lines,
                stats.malformed,
                stats.events,
                stats.continuations,
            );
            assert_eq!(got, (4, 0, 1, 1), "{reading:?}");
            assert_eq!(stats.stderr, 2);
            assert_eq!(stats.parsed - stats.events - stats.continuations, 2);
        }
    }
}
