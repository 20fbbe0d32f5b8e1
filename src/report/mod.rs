//! The report: a serialisable summary of an [`Analysis`], rendered as
//! terminal text ([`text`]), JSON ([`Report`] with serde), CSV ([`csv`])
//! or an HTML page ([`html`]). No analysis happens here.

pub mod csv;
pub mod events;
pub mod html;
pub mod output;
pub mod prometheus;
pub mod terminal;
pub mod text;

use serde::Serialize;

use crate::pipeline::Analysis;
use crate::timefmt::rfc3339;

/// Everything a run reports. Its JSON form is the documented contract.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// What was read and counted.
    pub summary: Summary,
    /// Bursts of matched requests, oldest first, each with its scenario.
    pub bursts: Vec<crate::detect::Burst>,
    /// Steady sources of matched requests (monitors): set apart, no burst.
    pub steady_sources: Vec<crate::detect::Steady>,
    /// Method and route groups with at least one matched request, most
    /// matched first.
    pub groups: Vec<GroupRow>,
    /// Windows with at least one request or error-log event, oldest first.
    pub windows: Vec<WindowRow>,
    /// Error-log events per kind.
    pub event_kinds: Vec<events::KindRow>,
    /// The deploys given on the command line (`--deploy`, `--deploys`),
    /// oldest first.
    pub deploys: Vec<DeployRow>,
    /// Error-log events: every reload, restart and shutdown, and the other
    /// events one by one (or per window and kind when there are more than
    /// [`crate::events::KEEP_EVENTS`]), oldest first.
    pub events: Vec<events::EventRow>,
}

/// A deploy given on the command line.
#[derive(Debug, Clone, Serialize)]
pub struct DeployRow {
    /// When, RFC 3339 UTC.
    pub time: String,
    /// Where it was given.
    pub what: String,
    /// Unix seconds, for the charts.
    #[serde(skip)]
    pub time_secs: i64,
}

/// Totals of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Inputs in reading order.
    pub files: Vec<FileRow>,
    /// Non-blank lines read (`parsed + malformed`).
    pub lines: u64,
    /// Lines that fit a grammar.
    pub parsed: u64,
    /// Lines that fit none.
    pub malformed: u64,
    /// Empty lines (in none of the counts above).
    pub blank: u64,
    /// Parsed lines inside `--since`/`--until` (all parsed lines without them).
    pub requests: u64,
    /// Requests whose status is in the set.
    pub matched: u64,
    /// Error-log events inside `--since`/`--until`.
    pub events: u64,
    /// The status set, as given.
    pub status: String,
    /// Window length in seconds.
    pub window_secs: i64,
    /// First and last counted request, RFC 3339 UTC.
    pub first: Option<String>,
    /// See `first`.
    pub last: Option<String>,
    /// The first malformed lines.
    pub malformed_samples: Vec<SampleRow>,
    /// Paths that could not be read at all.
    pub errors: Vec<String>,
    /// Files in the given directories passed over because their names are
    /// not log names.
    pub ignored: Vec<String>,
}

/// One input file.
#[derive(Debug, Clone, Serialize)]
pub struct FileRow {
    /// Path as given or found.
    pub path: String,
    /// Grammar used, `null` if the file was skipped.
    pub format: Option<String>,
    /// Whether the grammar was detected (`--format auto`).
    pub detected: bool,
    /// For error logs: the zone their times were read in, and why.
    pub zone: Option<String>,
    /// `gzip`, or `null` for plain text.
    pub compression: Option<String>,
    /// Non-blank lines read.
    pub lines: u64,
    /// Lines parsed.
    pub parsed: u64,
    /// Lines malformed.
    pub malformed: u64,
    /// Blank lines.
    pub blank: u64,
    /// Lines read with another built-in grammar than the file's.
    pub other_format: u64,
    /// Parsed lines with fields after the format's last one.
    pub trailing: u64,
    /// The first such line's extra fields (at most 60 bytes).
    pub trailing_example: Option<String>,
    /// Requests tried on more than one upstream.
    pub retried: u64,
    /// Lines a container wrote to stderr.
    pub stderr: u64,
    /// Error-log events among the parsed lines.
    pub events: u64,
    /// Why the file was not read, if it was not.
    pub skipped: Option<String>,
    /// Problems while reading (what came before was counted).
    pub problems: Vec<String>,
    /// Remarks that lose no data.
    pub notes: Vec<String>,
}

/// A malformed line.
#[derive(Debug, Clone, Serialize)]
pub struct SampleRow {
    /// File path.
    pub file: String,
    /// 1-based line number.
    pub line: u64,
    /// Why it did not fit.
    pub reason: String,
    /// The start of the line.
    pub text: String,
}

/// Matched requests of one method on one route.
#[derive(Debug, Clone, Serialize)]
pub struct GroupRow {
    /// HTTP method (`-` for no request, `(invalid)` for non-HTTP bytes).
    pub method: String,
    /// Normalised route.
    pub route: String,
    /// Matched requests.
    pub matched: u64,
    /// All requests of this method on this route.
    pub requests: u64,
    /// All requests on this route, any method.
    pub route_requests: u64,
}

/// One time window.
#[derive(Debug, Clone, Serialize)]
pub struct WindowRow {
    /// Window start, RFC 3339 UTC.
    pub start: String,
    /// Window start, unix seconds.
    #[serde(skip)]
    pub start_secs: i64,
    /// Requests in the window.
    pub requests: u64,
    /// Matched requests in the window.
    pub matched: u64,
    /// Error-log events in the window, reload/restart/shutdown lines not
    /// included.
    pub events: u64,
    /// Reload, restart and shutdown lines in the window.
    #[serde(skip)]
    pub lifecycle: u64,
}

/// The windows in `[from, to)` with requests or error events, oldest first.
pub fn window_rows(
    agg: &crate::aggregate::Aggregate,
    from: i64,
    to: i64,
    step: i64,
) -> Vec<WindowRow> {
    let row = |start: i64| WindowRow {
        start: rfc3339(start),
        start_secs: start,
        requests: 0,
        matched: 0,
        events: 0,
        lifecycle: 0,
    };
    let mut rows: rustc_hash::FxHashMap<i64, WindowRow> = Default::default();
    // Counters are kept at a step that divides `step`: roll them up.
    let at = |start: i64| start.div_euclid(step) * step;
    for (&start, w) in agg.windows.iter().filter(|(s, _)| (from..to).contains(*s)) {
        let r = rows.entry(at(start)).or_insert_with(|| row(at(start)));
        r.requests += w.counts.requests;
        r.matched += w.counts.matched;
    }
    for (&start, counts) in agg
        .events
        .windows
        .iter()
        .filter(|(s, _)| (from..to).contains(*s))
    {
        let r = rows.entry(at(start)).or_insert_with(|| row(at(start)));
        for kind in crate::events::EventKind::ALL {
            let n = counts[kind as usize];
            if kind.is_lifecycle() {
                r.lifecycle += n;
            } else {
                r.events += n;
            }
        }
    }
    let mut rows: Vec<WindowRow> = rows.into_values().collect();
    rows.sort_by_key(|w| w.start_secs);
    rows
}

impl Report {
    /// Builds the report of an analysis and what detection said of it.
    pub fn new(a: &Analysis, verdict: crate::detect::Verdict) -> Report {
        let agg = &a.aggregate;
        let name = |i: usize| {
            a.inputs
                .get(i)
                .map_or_else(|| format!("#{i}"), |f| f.name.clone())
        };
        let files = a
            .inputs
            .iter()
            .enumerate()
            .map(|(i, input)| {
                let s = agg.files.get(&i).cloned().unwrap_or_default();
                FileRow {
                    path: input.name.clone(),
                    format: input.format.clone(),
                    detected: input.detected,
                    zone: input.zone.clone(),
                    compression: Some(input.compression.name())
                        .filter(|c| !c.is_empty())
                        .map(str::to_string),
                    lines: s.lines,
                    parsed: s.parsed,
                    malformed: s.malformed,
                    blank: s.blank,
                    other_format: s.other_format,
                    trailing: s.trailing,
                    trailing_example: s.trailing_example.as_ref().map(|(_, e)| e.clone()),
                    retried: s.retried,
                    stderr: s.stderr,
                    events: s.events,
                    skipped: input.skipped.clone(),
                    problems: input.problems.clone(),
                    notes: input.notes.clone(),
                }
            })
            .collect();
        let totals = agg.totals();
        let lines = agg.file_totals();
        let summary = Summary {
            files,
            lines: lines.lines,
            parsed: lines.parsed,
            malformed: lines.malformed,
            blank: lines.blank,
            requests: totals.requests,
            matched: totals.matched,
            events: agg.events.total(),
            status: a.settings.status.spec().to_string(),
            window_secs: a.settings.window,
            first: agg.first.map(rfc3339),
            last: agg.last.map(rfc3339),
            malformed_samples: agg
                .samples
                .iter()
                .map(|s| SampleRow {
                    file: s.read_from.clone().unwrap_or_else(|| name(s.file)),
                    line: s.line,
                    reason: s.reason.clone(),
                    text: s.text.clone(),
                })
                .collect(),
            errors: a.errors.clone(),
            ignored: a.ignored.iter().map(|p| p.display().to_string()).collect(),
        };

        let mut route_totals: rustc_hash::FxHashMap<String, u64> = Default::default();
        let mut groups = Vec::new();
        for (method, route, c) in agg.groups() {
            *route_totals.entry(route.clone()).or_default() += c.requests;
            if c.matched > 0 {
                groups.push(GroupRow {
                    method,
                    route,
                    matched: c.matched,
                    requests: c.requests,
                    route_requests: 0,
                });
            }
        }
        for g in &mut groups {
            g.route_requests = route_totals.get(&g.route).copied().unwrap_or(g.requests);
        }
        groups.sort_by(|a, b| {
            (b.matched, b.requests, &a.method, &a.route)
                .cmp(&(a.matched, a.requests, &b.method, &b.route))
        });

        let windows = window_rows(agg, i64::MIN, i64::MAX, a.settings.window);
        let (event_kinds, events) = events::build(a);
        let mut deploys: Vec<DeployRow> = verdict
            .deploys
            .iter()
            .map(|d| DeployRow {
                time: rfc3339(d.time),
                what: d.what.clone(),
                time_secs: d.time,
            })
            .collect();
        deploys.sort_by_key(|d| d.time_secs);
        Report {
            summary,
            bursts: verdict.bursts,
            steady_sources: verdict.steady,
            groups,
            windows,
            event_kinds,
            deploys,
            events,
        }
    }
}
