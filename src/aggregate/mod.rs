//! Counters that merge associatively: per file, per time window and per
//! (method, route) group. Chunks are folded into an [`Aggregate`] each and
//! merged in any order, so batch, parallel and incremental runs share this
//! code, and memory grows with files, windows and groups, never with lines.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

pub mod breakdown;

use crate::device::Device;
use crate::events::Events;
use crate::grammar::error::ErrorLine;
use crate::record::Record;
use crate::record::Slot;
use crate::route;
use crate::status::StatusSet;
use breakdown::{last_upstream, retried, Breakdown, Cell, Dim, MethodClass, WindowStats};

/// Distinct method/route groups reported (twice as many are kept while
/// reading); requests of further ones are counted in the `(other)` group,
/// so a scan of a million random paths stays small.
pub const GROUP_LIMIT: usize = 100_000;

/// Bytes kept of a method (any run of letters and digits parses as one).
pub const METHOD_LEN: usize = 32;

/// The key of the group that counts the groups past [`GROUP_LIMIT`].
const OTHER_GROUP: &[u8] = b"*\0(other)";

/// How many malformed-line samples a run keeps.
pub const SAMPLE_LIMIT: usize = 5;

/// What the aggregation counts and how.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The statuses that count as matched.
    pub status: StatusSet,
    /// Window length in seconds.
    pub window: i64,
    /// Requests before this UTC second are not counted.
    pub since: Option<i64>,
    /// Requests at or after this UTC second are not counted.
    pub until: Option<i64>,
}

/// The window detection works on, in seconds, whatever the report's.
pub const DETECTION_WINDOW: i64 = 300;

impl Settings {
    /// The step counters are kept at: the largest that divides both the
    /// report's window and [`DETECTION_WINDOW`] (60 s for `--window 1m`, 300
    /// s for `1h`), so the report and detection each roll them up to their
    /// own window. A window that shares no step of at least 10 s with 300
    /// s (`7s`) is its own step.
    pub fn resolution(&self) -> i64 {
        let g = gcd(self.window, DETECTION_WINDOW);
        if g >= self.window.min(10) {
            g
        } else {
            self.window
        }
    }
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 {
        a.abs()
    } else {
        gcd(b, a % b)
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            status: StatusSet::default(),
            window: 300,
            since: None,
            until: None,
        }
    }
}

/// Requests and matched requests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Requests counted.
    pub requests: u64,
    /// Of those, how many had a status in the set.
    pub matched: u64,
}

impl Counts {
    /// Adds `other`.
    pub fn add(&mut self, other: Counts) {
        self.requests += other.requests;
        self.matched += other.matched;
    }
}

/// How a parsed line fit its file's grammar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fit<'a> {
    /// It needed another built-in grammar than the file's own.
    pub other_format: bool,
    /// The fields that followed the format's last one (empty when none).
    pub rest: &'a [u8],
}

/// How many bytes of a line's extra fields the report shows.
const EXAMPLE_BYTES: usize = 60;

/// Line counts of one input file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStats {
    /// Non-blank lines read (`parsed + malformed`).
    pub lines: u64,
    /// Lines that fit a grammar.
    pub parsed: u64,
    /// Lines that fit none.
    pub malformed: u64,
    /// Empty or whitespace-only lines (in no other count).
    pub blank: u64,
    /// Parsed lines that needed another built-in grammar than the file's own.
    pub other_format: u64,
    /// Parsed lines with fields after the format's last one (a server
    /// appending `$request_time` to `combined`).
    pub trailing: u64,
    /// The extra fields of the first such line, with its chunk number
    /// (the earliest chunk's wins a merge).
    pub trailing_example: Option<(u64, String)>,
    /// Lines a container wrote to stderr (in a container envelope).
    pub stderr: u64,
    /// Requests whose `$upstream_addr` names more than one try (a retry on
    /// another upstream, or an internal redirect).
    pub retried: u64,
    /// Parsed lines outside `--since`/`--until`.
    pub out_of_range: u64,
    /// Parsed lines that were error-log events.
    pub events: u64,
    /// Error-log lines continuing the line before (multi-line messages),
    /// counted as parsed.
    pub continuations: u64,
    /// Earliest and latest time of a parsed line.
    pub first: Option<i64>,
    /// See `first`.
    pub last: Option<i64>,
    /// Physical lines (blank ones included) of each chunk, by chunk number:
    /// turns a sample's position in its chunk into a line number.
    chunk_lines: BTreeMap<u64, u64>,
}

impl FileStats {
    fn merge(&mut self, o: FileStats) {
        self.lines += o.lines;
        self.parsed += o.parsed;
        self.malformed += o.malformed;
        self.blank += o.blank;
        self.other_format += o.other_format;
        self.trailing += o.trailing;
        self.trailing_example = match (self.trailing_example.take(), o.trailing_example) {
            (Some(a), Some(b)) => Some(if b.0 < a.0 { b } else { a }),
            (a, b) => a.or(b),
        };
        self.retried += o.retried;
        self.stderr += o.stderr;
        self.out_of_range += o.out_of_range;
        self.events += o.events;
        self.continuations += o.continuations;
        self.first = min_opt(self.first, o.first);
        self.last = max_opt(self.last, o.last);
        for (chunk, lines) in o.chunk_lines {
            *self.chunk_lines.entry(chunk).or_default() += lines;
        }
    }

    /// Line number (1-based) of line `index` (0-based) of chunk `chunk`.
    fn line_number(&self, chunk: u64, index: u64) -> u64 {
        self.chunk_lines.range(..chunk).map(|(_, n)| n).sum::<u64>() + index + 1
    }
}

/// A malformed line kept as an example.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sample {
    /// Index of the file in the run's input list.
    pub file: usize,
    /// 1-based line number in the file (0 until [`Aggregate::finish`]).
    pub line: u64,
    /// Why it did not fit.
    pub reason: String,
    /// The start of the line, lossily decoded.
    pub text: String,
    /// The file it was read from, when not the input's own name (a rotated
    /// copy read in live mode).
    #[serde(default)]
    pub read_from: Option<String>,
    chunk: u64,
    index: u64,
}

/// Counters of a chunk, a file or a whole run.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Aggregate {
    /// Line counts per input file index.
    pub files: BTreeMap<usize, FileStats>,
    /// Counts per window start (UTC seconds, a multiple of
    /// [`Settings::resolution`]).
    pub windows: FxHashMap<i64, WindowStats>,
    /// The same for requests outside `--since`/`--until`: detection's
    /// baseline, not the report's.
    pub outside: FxHashMap<i64, WindowStats>,
    /// What the matched requests were made of, per window.
    pub breakdown: Breakdown,
    /// Counts per `method NUL route` key.
    groups: FxHashMap<Box<[u8]>, Counts>,
    /// The first malformed lines.
    pub samples: Vec<Sample>,
    /// Earliest and latest counted request.
    pub first: Option<i64>,
    /// See `first`.
    pub last: Option<i64>,
    /// Error-log events.
    pub events: Events,
    /// Error-log events outside `--since`/`--until`: detection's deploy
    /// markers, not the report's.
    pub outside_events: Events,
    /// Counts of the windows dropped by [`Aggregate::prune_before`], so the
    /// totals stay true over a long live run.
    pruned: Counts,
}

/// Per-chunk state for [`Aggregate::add`]: where lines come from and a
/// scratch buffer for group keys (no allocation per line).
#[derive(Debug)]
pub struct Cursor {
    file: usize,
    chunk: u64,
    line: u64,
    key: Vec<u8>,
    cell: Vec<u8>,
    stats: FileStats,
}

impl Cursor {
    /// Starts chunk number `chunk` of file `file`.
    pub fn new(file: usize, chunk: u64) -> Self {
        Cursor {
            file,
            chunk,
            line: 0,
            key: Vec::with_capacity(128),
            cell: Vec::with_capacity(128),
            stats: FileStats::default(),
        }
    }

    /// The physical line of the chunk the next count goes to.
    pub fn position(&self) -> u64 {
        self.line
    }

    /// Moves to physical line `line` of the chunk: a line whose pieces
    /// came apart counts where it starts. Every line passed over must be
    /// counted before the chunk ends.
    pub fn seek(&mut self, line: u64) {
        self.line = line;
    }
}

impl Sample {
    /// Where it stands in reading order.
    fn key(&self) -> (usize, u64, u64) {
        (self.file, self.chunk, self.index)
    }
}

impl Aggregate {
    fn file(&mut self, file: usize) -> &mut FileStats {
        self.files.entry(file).or_default()
    }

    /// Counts a blank line.
    pub fn blank(&mut self, at: &mut Cursor) {
        at.stats.blank += 1;
        at.line += 1;
    }

    /// Counts a line that fit no grammar, keeping it as a sample if it is
    /// among the first.
    pub fn malformed(&mut self, at: &mut Cursor, line: &[u8], reason: impl FnOnce() -> String) {
        at.stats.lines += 1;
        at.stats.malformed += 1;
        // Keep the first lines in reading order, whatever order the chunks
        // of a fold come in.
        let key = (at.file, at.chunk, at.line);
        let full = self.samples.len() >= SAMPLE_LIMIT;
        if !full || self.samples.last().is_some_and(|s| s.key() > key) {
            let cut = &line[..line.len().min(160)];
            let sample = Sample {
                file: at.file,
                line: 0,
                reason: reason(),
                text: crate::numfmt::escaped_lossy(cut),
                read_from: None,
                chunk: at.chunk,
                index: at.line,
            };
            let pos = self.samples.partition_point(|s| s.key() < key);
            self.samples.insert(pos, sample);
            self.samples.truncate(SAMPLE_LIMIT);
        }
        at.line += 1;
    }

    /// Counts a parsed record sent by a client of group `device`;
    /// `other_format` says it needed a fallback grammar. A record outside
    /// `--since`/`--until` is counted for detection only (its baseline is
    /// all the data read), never in the report's totals, windows or groups.
    #[inline]
    pub fn add(
        &mut self,
        at: &mut Cursor,
        record: &Record,
        device: Device,
        fit: Fit,
        settings: &Settings,
    ) {
        at.line += 1;
        let t = record.time;
        let stats = &mut at.stats;
        stats.lines += 1;
        stats.parsed += 1;
        stats.other_format += u64::from(fit.other_format);
        let trailing = !fit.rest.is_empty();
        stats.trailing += u64::from(trailing);
        if trailing && stats.trailing_example.is_none() {
            let shown = fit.rest.get(..EXAMPLE_BYTES).unwrap_or(fit.rest);
            let shown = String::from_utf8_lossy(shown).trim().to_string();
            stats.trailing_example = Some((at.chunk, shown));
        }
        stats.first = min_opt(stats.first, Some(t));
        stats.last = max_opt(stats.last, Some(t));
        let in_range =
            !(settings.since.is_some_and(|s| t < s) || settings.until.is_some_and(|u| t >= u));
        if in_range {
            self.first = min_opt(self.first, Some(t));
            self.last = max_opt(self.last, Some(t));
        } else {
            stats.out_of_range += 1;
        }
        let matched = settings.status.contains(record.status);
        let counts = Counts {
            requests: 1,
            matched: u64::from(matched),
        };
        let step = settings.resolution();
        let window = t.div_euclid(step) * step;
        let w = if in_range {
            self.windows.entry(window).or_default()
        } else {
            self.outside.entry(window).or_default()
        };
        w.counts.add(counts);
        w.devices[device as usize].add(counts);
        w.methods[MethodClass::of(record.method) as usize].add(counts);
        let upstream = record.slot(Slot::UpstreamAddr);
        if let Some(tries) = upstream {
            at.stats.retried += u64::from(retried(tries));
            self.breakdown
                .upstream_request(last_upstream(tries), window);
        }
        let upstream = upstream.map(last_upstream);
        let method = record.method.get(..METHOD_LEN).unwrap_or(record.method);
        group_key(&mut at.key, method, record);
        if in_range {
            self.count_group(&at.key, counts);
        }
        if matched {
            let route = at.key.get(method.len() + 1..).unwrap_or_default();
            let b = &mut self.breakdown;
            b.matched(Dim::Route, route, window);
            b.matched(Dim::Method, method, window);
            for (dim, slot) in [(Dim::Client, Slot::Client), (Dim::Host, Slot::Host)] {
                if let Some(v) = record.slot(slot) {
                    b.matched(dim, v, window);
                }
            }
            if let Some(up) = upstream {
                b.matched(Dim::Upstream, up, window);
            }
            at.cell.clear();
            Cell {
                method,
                route,
                device: device as usize,
                upstream,
            }
            .encode(&mut at.cell);
            b.matched_cell(&at.cell, window);
        }
    }

    /// Adds `counts` to the group `key`.
    #[inline]
    fn count_group(&mut self, key: &[u8], counts: Counts) {
        match self.groups.get_mut(key) {
            Some(c) => c.add(counts),
            None => {
                // Up to twice the limit is kept while reading, then the
                // smallest groups are folded into `(other)`: which groups
                // survive depends on their sizes, not on the reading order,
                // as long as a worker meets fewer than twice the limit.
                if self.groups.len() >= 2 * GROUP_LIMIT {
                    self.cap_groups();
                }
                self.groups.insert(key.into(), counts);
            }
        }
    }

    /// Counts an error-log line at UTC `time`; `other_format` says it was
    /// found in an access log.
    pub fn event(
        &mut self,
        at: &mut Cursor,
        line: &ErrorLine,
        time: i64,
        other_format: bool,
        settings: &Settings,
    ) {
        at.line += 1;
        let stats = &mut at.stats;
        stats.lines += 1;
        stats.parsed += 1;
        stats.events += 1;
        stats.other_format += u64::from(other_format);
        stats.first = min_opt(stats.first, Some(time));
        stats.last = max_opt(stats.last, Some(time));
        if settings.since.is_some_and(|s| time < s) || settings.until.is_some_and(|u| time >= u) {
            stats.out_of_range += 1;
            // Kept apart: a reload just before `--since` still explains a
            // burst after it.
            self.outside_events
                .add(line, time, at.file, settings.resolution());
            return;
        }
        self.events.add(line, time, at.file, settings.resolution());
    }

    /// Counts an error-log line that continues the line before it.
    pub fn continuation(&mut self, at: &mut Cursor) {
        at.line += 1;
        at.stats.lines += 1;
        at.stats.parsed += 1;
        at.stats.continuations += 1;
    }

    /// Notes that the next line counted came from a container's stderr.
    pub fn stderr(&mut self, at: &mut Cursor) {
        at.stats.stderr += 1;
    }

    /// Closes a chunk: adds its line counts and records how many physical
    /// lines it had.
    pub fn end_chunk(&mut self, at: Cursor) {
        let mut stats = at.stats;
        stats.chunk_lines.insert(at.chunk, at.line);
        self.file(at.file).merge(stats);
    }

    /// Merges `other` into `self`.
    pub fn merge(mut self, other: Aggregate) -> Aggregate {
        for (file, stats) in other.files {
            self.file(file).merge(stats);
        }
        for (w, c) in other.windows {
            self.windows.entry(w).or_default().merge(&c);
        }
        for (w, c) in other.outside {
            self.outside.entry(w).or_default().merge(&c);
        }
        self.breakdown.merge(other.breakdown);
        for (k, c) in other.groups {
            self.groups.entry(k).or_default().add(c);
        }
        if self.groups.len() > 2 * GROUP_LIMIT {
            self.cap_groups();
        }
        self.samples.extend(other.samples);
        self.samples.sort_by_key(Sample::key);
        self.samples.truncate(SAMPLE_LIMIT);
        self.first = min_opt(self.first, other.first);
        self.last = max_opt(self.last, other.last);
        self.events.merge(other.events);
        self.outside_events.merge(other.outside_events);
        self.pruned.add(other.pruned);
        self
    }

    /// Keeps the [`GROUP_LIMIT`] groups with the most requests (ties by
    /// key, so the result does not depend on merge order) and folds the
    /// rest into the `(other)` group.
    fn cap_groups(&mut self) {
        let mut all: Vec<(Box<[u8]>, Counts)> = self.groups.drain().collect();
        all.sort_by(|a, b| b.1.requests.cmp(&a.1.requests).then_with(|| a.0.cmp(&b.0)));
        let mut other = Counts::default();
        for (k, c) in all {
            // The largest groups but one, and `(other)` with the rest.
            if self.groups.len() + 1 < GROUP_LIMIT && *k != *OTHER_GROUP {
                self.groups.insert(k, c);
            } else {
                other.add(c);
            }
        }
        self.groups
            .entry(OTHER_GROUP.into())
            .or_default()
            .add(other);
    }

    /// Drops the per-window counters of windows before `t` (following for
    /// days: the detector's baseline looks back a day at most). Line counts,
    /// request totals, groups and error-event totals are kept.
    pub fn prune_before(&mut self, t: i64) {
        let pruned = &mut self.pruned;
        self.windows.retain(|w, s| {
            let keep = *w >= t;
            if !keep {
                pruned.add(s.counts);
            }
            keep
        });
        self.outside.retain(|w, _| *w >= t);
        self.breakdown.prune_before(t);
        self.events.windows.retain(|w, _| *w >= t);
        self.outside_events.windows.retain(|w, _| *w >= t);
    }

    /// Numbers the samples of chunk `chunk` of `file` from `first_line`,
    /// the number of its first line in the file it was `read_from`, and
    /// forgets the chunk's line count: live mode numbers lines per file
    /// read (a rotation starts at 1 again), and keeps no count per chunk.
    pub fn place(&mut self, file: usize, chunk: u64, first_line: u64, read_from: Option<String>) {
        for s in &mut self.samples {
            if s.file == file && s.chunk == chunk && s.line == 0 {
                s.line = first_line + s.index;
                s.read_from.clone_from(&read_from);
            }
        }
        if let Some(stats) = self.files.get_mut(&file) {
            stats.chunk_lines.remove(&chunk);
        }
    }

    /// Resolves the line numbers of the samples once every chunk is in,
    /// and keeps the [`GROUP_LIMIT`] largest groups and the largest
    /// breakdown values.
    pub fn finish(&mut self) {
        if self.groups.len() > GROUP_LIMIT {
            self.cap_groups();
        }
        self.breakdown.finish();
        for s in self.samples.iter_mut().filter(|s| s.line == 0) {
            s.line = self
                .files
                .get(&s.file)
                .map_or(s.index + 1, |f| f.line_number(s.chunk, s.index));
        }
    }

    /// The same counters with each input index `i` turned into `to(i)`
    /// (after a restart the inputs are numbered anew).
    pub fn renumber(mut self, to: &dyn Fn(usize) -> usize) -> Aggregate {
        for (i, stats) in std::mem::take(&mut self.files) {
            self.file(to(i)).merge(stats);
        }
        for s in &mut self.samples {
            s.file = to(s.file);
        }
        self.events.renumber(to);
        self.outside_events.renumber(to);
        self
    }

    /// Totals over all windows, those pruned included.
    pub fn totals(&self) -> Counts {
        let mut total = self.pruned;
        for w in self.windows.values() {
            total.add(w.counts);
        }
        total
    }

    /// Line counts summed over all files.
    pub fn file_totals(&self) -> FileStats {
        let mut total = FileStats::default();
        for f in self.files.values() {
            total.merge(f.clone());
        }
        total
    }

    /// Counts per group key (`method NUL route`).
    pub fn group_counts(&self) -> &FxHashMap<Box<[u8]>, Counts> {
        &self.groups
    }

    /// The groups as `(method, route, counts)`, route bytes decoded lossily.
    pub fn groups(&self) -> impl Iterator<Item = (String, String, Counts)> + '_ {
        self.groups.iter().map(|(k, c)| {
            let (method, route) = match memchr::memchr(0, k) {
                Some(p) => (&k[..p], &k[p + 1..]),
                None => (&k[..], &b""[..]),
            };
            (
                String::from_utf8_lossy(method).into_owned(),
                String::from_utf8_lossy(route).into_owned(),
                *c,
            )
        })
    }
}

/// Writes the group key of `record`, `method NUL route`, into `key`.
#[inline]
fn group_key(key: &mut Vec<u8>, method: &[u8], record: &Record) {
    key.clear();
    key.extend_from_slice(method);
    key.push(0);
    if record.method == crate::record::INVALID_METHOD {
        key.extend_from_slice(route::invalid(record.target));
    } else {
        route::normalize_into(record.target, key);
    }
}

/// The smaller of two optional times.
pub(crate) fn min_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) | (None, x) => x,
    }
}

/// The larger of two optional times.
pub(crate) fn max_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) | (None, x) => x,
    }
}
