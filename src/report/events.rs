//! The error-log part of the report: counts per kind, the reloads,
//! restarts and shutdowns, and the event list of the JSON contract.

use serde::Serialize;

use crate::events::{EventKind, Events};
use crate::pipeline::Analysis;
use crate::timefmt::rfc3339;

/// Events of one kind.
#[derive(Debug, Clone, Serialize)]
pub struct KindRow {
    /// The kind.
    pub kind: EventKind,
    /// Events: for reload, restart and shutdown, lines close together count
    /// once; for the other kinds, one per line.
    pub count: u64,
    /// Lines of this kind.
    pub lines: u64,
    /// First and last time, RFC 3339 UTC.
    pub first: Option<String>,
    /// See `first`.
    pub last: Option<String>,
}

/// One entry of the event list.
#[derive(Debug, Clone, Serialize)]
pub struct EventRow {
    /// When, RFC 3339 UTC (for aggregated entries: the window start).
    pub time: String,
    /// The kind.
    pub kind: EventKind,
    /// `nginx` or `apache` (`null` for aggregated entries).
    pub server: Option<String>,
    /// Log level (`null` for aggregated entries).
    pub level: Option<String>,
    /// The message; for a reload, restart or shutdown, its first line.
    pub message: String,
    /// Normalised route of the request the line names.
    pub route: Option<String>,
    /// Upstream the line names.
    pub upstream: Option<String>,
    /// Lines this entry stands for: 1, the lines of a reload, or the events
    /// of this kind in the window when there were too many to list.
    pub count: u64,
    /// The file it came from (`null` for aggregated entries).
    pub file: Option<String>,
    /// Unix seconds, for sorting and the timeline.
    #[serde(skip)]
    pub time_secs: i64,
}

/// The kinds table and the event list of a run.
pub fn build(a: &Analysis) -> (Vec<KindRow>, Vec<EventRow>) {
    let events = &a.aggregate.events;
    let name = |i: usize| a.inputs.get(i).map(|f| f.name.clone());
    let lifecycle = events.lifecycle();
    let mut kinds = Vec::new();
    for (&kind, stats) in &events.kinds {
        let count = if kind.is_lifecycle() {
            lifecycle.iter().filter(|l| l.kind == kind).count() as u64
        } else {
            stats.lines
        };
        kinds.push(KindRow {
            kind,
            count,
            lines: stats.lines,
            first: stats.first.map(rfc3339),
            last: stats.last.map(rfc3339),
        });
    }

    let mut rows: Vec<EventRow> = lifecycle
        .iter()
        .map(|l| EventRow {
            time: rfc3339(l.time),
            kind: l.kind,
            server: Some(l.server.name().into()),
            level: Some(l.level.clone()),
            message: l.lines.first().cloned().unwrap_or_default(),
            route: None,
            upstream: None,
            count: l.count,
            file: name(l.file),
            time_secs: l.time,
        })
        .collect();
    match events.all_other_events() {
        Some(all) => rows.extend(all.iter().map(|e| EventRow {
            time: rfc3339(e.time),
            kind: e.kind,
            server: Some(e.server.name().into()),
            level: Some(e.level.clone()),
            message: e.message.clone(),
            route: e.route.clone(),
            upstream: e.upstream.clone(),
            count: 1,
            file: name(e.file),
            time_secs: e.time,
        })),
        None => rows.extend(aggregated(events, a.settings.window)),
    }
    rows.sort_by_key(|r| r.time_secs);
    (kinds, rows)
}

/// One entry per report window (`step` seconds) and kind, for runs with
/// too many events to list.
fn aggregated(events: &Events, step: i64) -> Vec<EventRow> {
    let mut windows: std::collections::BTreeMap<i64, [u64; crate::events::KINDS]> =
        Default::default();
    for (&start, counts) in &events.windows {
        let w = windows.entry(start.div_euclid(step) * step).or_default();
        for (n, c) in w.iter_mut().zip(counts) {
            *n += c;
        }
    }
    let mut rows = Vec::new();
    for (start, counts) in windows {
        for kind in EventKind::ALL.into_iter().filter(|k| !k.is_lifecycle()) {
            let n = counts[kind as usize];
            if n > 0 {
                rows.push(EventRow {
                    time: rfc3339(start),
                    kind,
                    server: None,
                    level: None,
                    message: format!("{n} {} events in this window", kind.name()),
                    route: None,
                    upstream: None,
                    count: n,
                    file: None,
                    time_secs: start,
                });
            }
        }
    }
    rows
}
