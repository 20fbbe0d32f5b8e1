//! CSV output: `summary.csv`, `files.csv`, `groups.csv`, `windows.csv`,
//! `events.csv` and `bursts.csv`, each
//! with a header row. All six are written under temporary names and synced
//! to disk, then renamed: a failed run (disk full, say) leaves neither a
//! half-written file nor a set mixing old and new files.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Report, WindowRow};
use crate::detect::Burst;

const SUMMARY_HEADER: &[&str] = &[
    "lines",
    "parsed",
    "malformed",
    "blank",
    "requests",
    "matched",
    "events",
    "status",
    "window_secs",
    "first",
    "last",
    "files",
];
const FILES_HEADER: &[&str] = &[
    "path",
    "format",
    "compression",
    "lines",
    "parsed",
    "malformed",
    "blank",
    "skipped",
    "problems",
    "events",
    "zone",
];
const GROUPS_HEADER: &[&str] = &[
    "method",
    "route",
    "matched",
    "requests",
    "route_requests",
    "rate",
    "share",
];
const WINDOWS_HEADER: &[&str] = &["start", "requests", "matched", "rate", "events"];

/// Rows of `windows.csv` at most: quiet windows between busy ones are
/// written as zeros up to this many rows (4.7 years of 5-minute windows),
/// past which gaps are left out.
pub const WINDOW_ROWS: usize = 500_000;

/// A matched share, `0` when there is nothing to share.
fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

#[derive(Serialize)]
struct GroupCsv<'a> {
    method: &'a str,
    route: &'a str,
    matched: u64,
    requests: u64,
    route_requests: u64,
    /// Matched share of the group's requests.
    rate: f64,
    /// The group's share of all matched requests.
    share: f64,
}

#[derive(Serialize)]
struct WindowCsv<'a> {
    start: std::borrow::Cow<'a, str>,
    requests: u64,
    matched: u64,
    rate: f64,
    events: u64,
}

impl WindowCsv<'_> {
    fn busy(w: &WindowRow) -> WindowCsv<'_> {
        WindowCsv {
            start: std::borrow::Cow::Borrowed(&w.start),
            requests: w.requests,
            matched: w.matched,
            rate: ratio(w.matched, w.requests),
            events: w.events,
        }
    }
}

/// Every window from `from` (or the first row) to `to` (exclusive; or
/// past the last row), quiet ones as zeros, at most [`WINDOW_ROWS`]; and
/// whether quiet windows were left out to stay within it.
fn every_window(
    rows: &[WindowRow],
    window: i64,
    from: Option<i64>,
    to: Option<i64>,
) -> (Vec<WindowCsv<'_>>, bool) {
    let quiet = |t: i64| WindowCsv {
        start: std::borrow::Cow::Owned(crate::timefmt::rfc3339(t)),
        requests: 0,
        matched: 0,
        rate: 0.0,
        events: 0,
    };
    let mut out = Vec::with_capacity(rows.len());
    let mut dropped = false;
    let mut next = from.or(rows.first().map(|w| w.start_secs));
    for w in rows {
        while let Some(t) = next.filter(|&t| t < w.start_secs) {
            if out.len() + rows.len() >= WINDOW_ROWS {
                dropped = true;
                break;
            }
            out.push(quiet(t));
            next = Some(t + window);
        }
        out.push(WindowCsv::busy(w));
        next = Some(w.start_secs + window);
    }
    while let (Some(t), Some(end)) = (next, to) {
        if t >= end {
            break;
        }
        if out.len() >= WINDOW_ROWS {
            dropped = true;
            break;
        }
        out.push(quiet(t));
        next = Some(t + window);
    }
    (out, dropped)
}

const EVENTS_HEADER: &[&str] = &[
    "time", "kind", "server", "level", "message", "route", "upstream", "count", "file",
];

const BURSTS_HEADER: &[&str] = &[
    "start",
    "end",
    "matched",
    "requests",
    "expected",
    "scenario",
    "confidence",
    "evidence",
    "next",
    "top_route",
    "top_device",
    "top_upstream",
];

#[derive(Serialize)]
struct BurstCsv<'a> {
    start: &'a str,
    end: &'a str,
    matched: u64,
    requests: u64,
    expected: f64,
    scenario: &'a str,
    confidence: f64,
    evidence: String,
    next: &'a str,
    top_route: Option<&'a str>,
    top_device: Option<&'a str>,
    top_upstream: Option<&'a str>,
}

impl<'a> BurstCsv<'a> {
    fn of(b: &'a Burst) -> BurstCsv<'a> {
        BurstCsv {
            start: &b.start,
            end: &b.end,
            matched: b.matched,
            requests: b.requests,
            expected: b.expected,
            scenario: &b.scenario,
            confidence: b.confidence,
            evidence: b.evidence.join(" | "),
            next: &b.next,
            top_route: b.top.routes.first().map(|s| s.name.as_str()),
            top_device: b.top.devices.first().map(|s| s.name.as_str()),
            top_upstream: b.top.upstreams.first().map(|s| s.name.as_str()),
        }
    }
}

/// Live mode: appends closed windows to `DIR/windows.csv` and ended bursts
/// to `DIR/bursts.csv` (each created with its header if new). The final
/// report replaces both with complete files.
///
/// `windows` are the busy windows in `[from, to)`; the quiet ones are
/// written as zeros.
pub fn append(
    dir: &Path,
    windows: &[WindowRow],
    (from, to, window): (Option<i64>, i64, i64),
    ended: &[&Burst],
) -> io::Result<()> {
    fs::create_dir_all(dir).map_err(|e| context(e, dir))?;
    let (rows, _) = every_window(windows, window, from, Some(to));
    append_rows(dir, "windows.csv", WINDOWS_HEADER, rows)?;
    append_rows(
        dir,
        "bursts.csv",
        BURSTS_HEADER,
        ended.iter().map(|b| BurstCsv::of(b)),
    )
}

fn append_rows<T: Serialize>(
    dir: &Path,
    name: &str,
    header: &[&str],
    rows: impl IntoIterator<Item = T>,
) -> io::Result<()> {
    let path = dir.join(name);
    let file = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| context(e, &path))?;
    let new = file.metadata().map(|m| m.len() == 0).unwrap_or(false);
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(file);
    let result = (|| {
        if new {
            w.write_record(header)?;
        }
        for row in rows {
            w.serialize(row)?;
        }
        w.flush()?;
        Ok::<_, csv::Error>(())
    })();
    result.map_err(|e| context(io::Error::other(e), &path))
}

#[derive(Serialize)]
struct SummaryCsv<'a> {
    lines: u64,
    parsed: u64,
    malformed: u64,
    blank: u64,
    requests: u64,
    matched: u64,
    events: u64,
    status: &'a str,
    window_secs: i64,
    first: Option<&'a str>,
    last: Option<&'a str>,
    files: usize,
}

#[derive(Serialize)]
struct FileCsv<'a> {
    path: &'a str,
    format: Option<&'a str>,
    compression: Option<&'a str>,
    lines: u64,
    parsed: u64,
    malformed: u64,
    blank: u64,
    skipped: Option<&'a str>,
    problems: String,
    events: u64,
    zone: Option<&'a str>,
}

/// What [`write`] wrote.
#[derive(Debug)]
pub struct Written {
    /// The files.
    pub paths: Vec<PathBuf>,
    /// Whether `windows.csv` left quiet windows out to stay within
    /// [`WINDOW_ROWS`] rows.
    pub gaps_dropped: bool,
}

/// Writes the report's CSV files into `dir` (created if needed).
pub fn write(report: &Report, dir: &Path) -> io::Result<Written> {
    fs::create_dir_all(dir).map_err(|e| context(e, dir))?;
    let mut staged = Staged {
        dir,
        names: Vec::new(),
        gaps_dropped: false,
    };
    staged.stage(report)?;
    let dropped = staged.gaps_dropped;
    Ok(Written {
        paths: staged.commit()?,
        gaps_dropped: dropped,
    })
}

/// Files written under temporary names; dropped before [`Staged::commit`],
/// they are removed.
struct Staged<'a> {
    dir: &'a Path,
    names: Vec<&'static str>,
    /// Whether `windows.csv` leaves quiet windows out ([`WINDOW_ROWS`]).
    gaps_dropped: bool,
}

impl Staged<'_> {
    fn tmp(&self, name: &str) -> PathBuf {
        self.dir.join(format!(".{name}.tmp"))
    }

    fn stage(&mut self, report: &Report) -> io::Result<()> {
        let s = &report.summary;
        self.rows(
            "summary.csv",
            SUMMARY_HEADER,
            [SummaryCsv {
                lines: s.lines,
                parsed: s.parsed,
                malformed: s.malformed,
                blank: s.blank,
                requests: s.requests,
                matched: s.matched,
                events: s.events,
                status: &s.status,
                window_secs: s.window_secs,
                first: s.first.as_deref(),
                last: s.last.as_deref(),
                files: s.files.len(),
            }],
        )?;
        self.rows(
            "files.csv",
            FILES_HEADER,
            s.files.iter().map(|f| FileCsv {
                path: &f.path,
                format: f.format.as_deref(),
                compression: f.compression.as_deref(),
                lines: f.lines,
                parsed: f.parsed,
                malformed: f.malformed,
                blank: f.blank,
                skipped: f.skipped.as_deref(),
                problems: f.problems.join("; "),
                events: f.events,
                zone: f.zone.as_deref(),
            }),
        )?;
        self.rows(
            "groups.csv",
            GROUPS_HEADER,
            report.groups.iter().map(|g| GroupCsv {
                method: &g.method,
                route: &g.route,
                matched: g.matched,
                requests: g.requests,
                route_requests: g.route_requests,
                rate: ratio(g.matched, g.requests),
                share: ratio(g.matched, s.matched),
            }),
        )?;
        let (windows, dropped) = every_window(&report.windows, s.window_secs, None, None);
        self.gaps_dropped = dropped;
        self.rows("windows.csv", WINDOWS_HEADER, windows)?;
        self.rows("events.csv", EVENTS_HEADER, report.events.iter())?;
        self.rows(
            "bursts.csv",
            BURSTS_HEADER,
            report.bursts.iter().map(BurstCsv::of),
        )
    }

    /// Renames every staged file to its name; if one rename fails, the
    /// files not yet renamed are removed (on drop).
    fn commit(mut self) -> io::Result<Vec<PathBuf>> {
        let mut written = Vec::new();
        while let Some(&name) = self.names.first() {
            let path = self.dir.join(name);
            fs::rename(self.tmp(name), &path).map_err(|e| context(e, &path))?;
            self.names.remove(0);
            written.push(path);
        }
        Ok(written)
    }

    /// Writes `rows` under the header `header` (written even when there
    /// are no rows; it names the fields each row serialises, in order) to
    /// `name`'s temporary file, and syncs it to disk.
    fn rows<T: Serialize>(
        &mut self,
        name: &'static str,
        header: &[&str],
        rows: impl IntoIterator<Item = T>,
    ) -> io::Result<()> {
        let tmp = self.tmp(name);
        self.names.push(name);
        let file = fs::File::create(&tmp).map_err(|e| context(e, &tmp))?;
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(io::BufWriter::new(file));
        let result = (|| {
            w.write_record(header)?;
            for row in rows {
                w.serialize(row)?;
            }
            w.flush()?;
            Ok::<_, csv::Error>(())
        })();
        let synced = result.map_err(io::Error::other).and_then(|()| {
            let buffered = w
                .into_inner()
                .map_err(|e| io::Error::other(e.to_string()))?;
            let file = buffered.into_inner().map_err(|e| e.into_error())?;
            file.sync_all()
        });
        synced.map_err(|e| context(e, &self.dir.join(name)))
    }
}

impl Drop for Staged<'_> {
    fn drop(&mut self) {
        for name in &self.names {
            let _ = fs::remove_file(self.tmp(name));
        }
    }
}

fn context(e: io::Error, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {}", path.display(), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fixed headers name exactly the fields the rows serialise.
    #[test]
    fn headers_match_the_rows() {
        fn header_of<T: Serialize>(row: T) -> Vec<String> {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.serialize(row).unwrap();
            let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
            text.lines()
                .next()
                .unwrap()
                .split(',')
                .map(str::to_string)
                .collect()
        }
        let group = GroupCsv {
            method: "GET",
            route: "/",
            matched: 1,
            requests: 2,
            route_requests: 3,
            rate: 0.5,
            share: 1.0,
        };
        assert_eq!(header_of(&group), GROUPS_HEADER);
        let window = crate::report::WindowRow {
            start: String::new(),
            start_secs: 0,
            requests: 0,
            matched: 0,
            events: 0,
            lifecycle: 0,
        };
        assert_eq!(header_of(WindowCsv::busy(&window)), WINDOWS_HEADER);
        let event = crate::report::events::EventRow {
            time: String::new(),
            kind: crate::events::EventKind::Reload,
            server: None,
            level: None,
            message: String::new(),
            route: None,
            upstream: None,
            count: 1,
            file: None,
            time_secs: 0,
        };
        assert_eq!(header_of(&event), EVENTS_HEADER);
        let summary = SummaryCsv {
            lines: 0,
            parsed: 0,
            malformed: 0,
            blank: 0,
            requests: 0,
            matched: 0,
            events: 0,
            status: "",
            window_secs: 0,
            first: None,
            last: None,
            files: 0,
        };
        assert_eq!(header_of(&summary), SUMMARY_HEADER);
        let file = FileCsv {
            path: "",
            format: None,
            compression: None,
            lines: 0,
            parsed: 0,
            malformed: 0,
            blank: 0,
            skipped: None,
            problems: String::new(),
            events: 0,
            zone: None,
        };
        assert_eq!(header_of(&file), FILES_HEADER);
        let burst = BurstCsv {
            start: "",
            end: "",
            matched: 0,
            requests: 0,
            expected: 0.0,
            scenario: "",
            confidence: 0.0,
            evidence: String::new(),
            next: "",
            top_route: None,
            top_device: None,
            top_upstream: None,
        };
        assert_eq!(header_of(&burst), BURSTS_HEADER);
    }
}
