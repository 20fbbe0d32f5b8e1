//! The terminal report: comfy-table tables and a bar timeline.

pub use crate::numfmt::thousands;
use std::fmt::Write as _;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, ContentArrangement, Table};

use super::terminal::printable;
use super::{Report, WindowRow};
use crate::timefmt::rfc3339;

/// Rendering choices.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Groups shown (the rest are summed in one line).
    pub top: usize,
    /// Most timeline rows; longer timelines merge neighbouring windows.
    pub max_rows: usize,
    /// Table width in columns.
    pub width: u16,
}

impl Default for Style {
    fn default() -> Self {
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(120);
        Style {
            top: 20,
            max_rows: 48,
            width,
        }
    }
}

/// Renders the whole report as text for a terminal, control characters
/// from the logs escaped.
pub fn render(r: &Report, style: Style) -> String {
    let mut out = String::new();
    let s = &r.summary;
    let _ = writeln!(
        out,
        "fiveohone: {} of {} requests answered {} ({}), {} → {}",
        thousands(s.matched),
        thousands(s.requests),
        s.status,
        percent(s.matched, s.requests),
        s.first.as_deref().unwrap_or("-"),
        s.last.as_deref().unwrap_or("-"),
    );
    if s.events > 0 {
        let _ = writeln!(out, "{} error-log events", thousands(s.events));
    }
    out.push('\n');
    render_bursts(r, style, &mut out);
    render_steady(r, style, &mut out);
    render_input(r, style, &mut out);
    render_groups(r, style, &mut out);
    render_events(r, style, &mut out);
    render_timeline(r, style, &mut out);
    match super::terminal::printable(&out) {
        std::borrow::Cow::Borrowed(_) => out,
        std::borrow::Cow::Owned(safe) => safe,
    }
}

fn table(style: Style, header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(style.width)
        .set_header(header.to_vec());
    t
}

/// Adds a row, its text made safe for the terminal first, so that column
/// widths are those of what is printed.
fn add_row(t: &mut Table, cells: Vec<String>) {
    t.add_row(
        cells
            .into_iter()
            .map(|c| super::terminal::printable(&c).into_owned())
            .collect::<Vec<_>>(),
    );
}

fn right_align(t: &mut Table, columns: &[usize]) {
    for &c in columns {
        if let Some(col) = t.column_mut(c) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
}

/// Steady sources: set apart, so a reader knows why they are no burst.
fn render_steady(r: &Report, style: Style, out: &mut String) {
    if r.steady_sources.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "Steady sources of {} (a flat count whatever the traffic, such as a monitor; no burst)",
        r.summary.status
    );
    let mut t = table(
        style,
        &[
            "method",
            "route",
            r.summary.status.as_str(),
            "requests",
            "per window",
            "from – to (UTC)",
        ],
    );
    for s in &r.steady_sources {
        add_row(
            &mut t,
            vec![
                s.method.clone(),
                s.route.clone(),
                thousands(s.matched),
                thousands(s.requests),
                format!("{:.1}", s.per_window),
                format!("{} – {}", short_time(&s.start), short_time(&s.end)),
            ],
        );
    }
    let _ = writeln!(out, "{t}\n");
}

fn render_bursts(r: &Report, style: Style, out: &mut String) {
    if r.bursts.is_empty() {
        let _ = writeln!(out, "No burst of {} found.\n", r.summary.status);
        return;
    }
    let _ = writeln!(out, "Bursts of {}", r.summary.status);
    let mut t = table(
        style,
        &[
            "#",
            "from – to (UTC)",
            r.summary.status.as_str(),
            "requests",
            "scenario",
            "conf.",
            "main evidence",
        ],
    );
    for (i, b) in r.bursts.iter().enumerate() {
        add_row(
            &mut t,
            vec![
                (i + 1).to_string(),
                if b.start.get(..10) == b.end.get(..10) {
                    format!(
                        "{} – {}",
                        short_time(&b.start),
                        b.end.get(11..16).unwrap_or(&b.end)
                    )
                } else {
                    format!("{} – {}", short_time(&b.start), short_time(&b.end))
                },
                thousands(b.matched),
                thousands(b.requests),
                b.scenario.clone(),
                format!("{:.2}", b.confidence),
                b.evidence
                    .get(1)
                    .or(b.evidence.first())
                    .cloned()
                    .unwrap_or_default(),
            ],
        );
    }
    right_align(&mut t, &[0, 2, 3, 5]);
    let _ = writeln!(out, "{t}");
    for (i, b) in r.bursts.iter().enumerate() {
        let _ = writeln!(
            out,
            "\n#{} {} – {}: {} (confidence {:.2})",
            i + 1,
            short_time(&b.start),
            short_time(&b.end),
            b.scenario,
            b.confidence
        );
        for e in &b.evidence {
            let _ = writeln!(out, "  - {e}");
        }
        let list = |items: &[crate::detect::Share]| {
            items
                .iter()
                .map(|s| format!("{} {:.0}%", s.name, s.share * 100.0))
                .collect::<Vec<_>>()
                .join(", ")
        };
        for (name, items) in [
            ("routes", &b.top.routes),
            ("methods", &b.top.methods),
            ("devices", &b.top.devices),
            ("upstreams", &b.top.upstreams),
        ] {
            if !items.is_empty() {
                let _ = writeln!(out, "  {name}: {}", list(items));
            }
        }
        if !b.nearby_events.is_empty() {
            let events: Vec<String> = b
                .nearby_events
                .iter()
                .map(|e| format!("{} {}", e.count, e.name))
                .collect();
            let _ = writeln!(out, "  error log around it: {}", events.join(", "));
        }
        let _ = writeln!(out, "  next: {}", b.next);
    }
    out.push('\n');
}

/// `2026-05-07T10:00:00Z` → `2026-05-07 10:00`.
fn short_time(t: &str) -> String {
    t.get(..16).unwrap_or(t).replace('T', " ")
}

fn render_input(r: &Report, style: Style, out: &mut String) {
    let s = &r.summary;
    let _ = writeln!(out, "Input (in reading order)");
    let mut t = table(
        style,
        &[
            "#",
            "file",
            "format",
            "lines",
            "parsed",
            "malformed",
            "note",
        ],
    );
    for (i, f) in s.files.iter().enumerate() {
        let mut format = f.format.clone().unwrap_or_else(|| "-".into());
        if f.detected {
            format.push_str(" (detected)");
        }
        if let Some(c) = &f.compression {
            format = format!("{format}, {c}");
        }
        let mut notes = Vec::new();
        if let Some(why) = &f.skipped {
            notes.push(format!("skipped: {why}"));
        }
        if let Some(zone) = &f.zone {
            notes.push(format!("{} events, times in {zone}", thousands(f.events)));
        }
        if f.other_format > 0 {
            notes.push(format!(
                "{} lines in other formats",
                thousands(f.other_format)
            ));
        }
        if f.trailing > 0 {
            let example = f.trailing_example.as_deref().unwrap_or_default();
            notes.push(format!(
                "{} with fields after the format (not read), e.g. `{}`",
                thousands(f.trailing),
                printable(example)
            ));
        }
        if f.retried > 0 {
            notes.push(format!(
                "{} tried on more than one upstream (the last one counts)",
                thousands(f.retried)
            ));
        }
        if f.stderr > 0 {
            notes.push(format!(
                "{} from the container's stderr",
                thousands(f.stderr)
            ));
        }
        if f.blank > 0 {
            notes.push(format!("{} blank", thousands(f.blank)));
        }
        notes.extend(f.problems.iter().cloned());
        notes.extend(f.notes.iter().cloned());
        add_row(
            &mut t,
            vec![
                (i + 1).to_string(),
                f.path.clone(),
                format,
                thousands(f.lines),
                thousands(f.parsed),
                thousands(f.malformed),
                notes.join("; "),
            ],
        );
    }
    add_row(
        &mut t,
        vec![
            String::new(),
            "total".into(),
            String::new(),
            thousands(s.lines),
            thousands(s.parsed),
            thousands(s.malformed),
            if s.blank > 0 {
                format!("{} blank", thousands(s.blank))
            } else {
                String::new()
            },
        ],
    );
    right_align(&mut t, &[0, 3, 4, 5]);
    let _ = writeln!(out, "{t}");
    for e in &s.errors {
        let _ = writeln!(out, "unreadable: {e}");
    }
    if !s.ignored.is_empty() {
        let shown: Vec<&str> = s.ignored.iter().take(5).map(String::as_str).collect();
        let more = s.ignored.len().saturating_sub(shown.len());
        let _ = writeln!(
            out,
            "ignored (not named like logs, or not regular files): {}{}",
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        );
    }
    if !s.malformed_samples.is_empty() {
        let _ = writeln!(out, "Malformed lines, first {}:", s.malformed_samples.len());
        for m in &s.malformed_samples {
            let _ = writeln!(out, "  {}:{}: {}", m.file, m.line, m.reason);
            let _ = writeln!(out, "    {}", m.text);
        }
    }
    out.push('\n');
}

fn render_groups(r: &Report, style: Style, out: &mut String) {
    let s = &r.summary;
    if r.groups.is_empty() {
        let _ = writeln!(out, "No request answered {}.\n", s.status);
        return;
    }
    let _ = writeln!(out, "{} by method and route", s.status);
    let mut t = table(
        style,
        &[
            "method",
            "route",
            s.status.as_str(),
            "of requests",
            "share",
            "route requests",
            "of all matched",
        ],
    );
    for g in r.groups.iter().take(style.top) {
        add_row(
            &mut t,
            vec![
                g.method.clone(),
                g.route.clone(),
                thousands(g.matched),
                thousands(g.requests),
                percent(g.matched, g.requests),
                thousands(g.route_requests),
                percent(g.matched, s.matched),
            ],
        );
    }
    if r.groups.len() > style.top {
        let rest = &r.groups[style.top..];
        let matched: u64 = rest.iter().map(|g| g.matched).sum();
        let requests: u64 = rest.iter().map(|g| g.requests).sum();
        add_row(
            &mut t,
            vec![
                String::new(),
                format!("… {} more groups (--top)", rest.len()),
                thousands(matched),
                thousands(requests),
                percent(matched, requests),
                String::new(),
                percent(matched, s.matched),
            ],
        );
    }
    right_align(&mut t, &[2, 3, 4, 5, 6]);
    let _ = writeln!(out, "{t}");
    if let Some(other) = r
        .groups
        .iter()
        .find(|g| g.method == "*" && g.route == "(other)")
    {
        let _ = writeln!(
            out,
            "* (other): {} requests past the first {} method/route groups, counted together",
            thousands(other.requests),
            thousands(crate::aggregate::GROUP_LIMIT as u64)
        );
    }
    out.push('\n');
}

fn render_events(r: &Report, style: Style, out: &mut String) {
    if r.event_kinds.is_empty() {
        return;
    }
    let _ = writeln!(out, "Error-log events");
    let mut t = table(style, &["kind", "events", "lines", "first", "last"]);
    // A reload's restart lines are part of the reload: kinds with lines but
    // no event of their own are left out here (the JSON has them).
    for k in r.event_kinds.iter().filter(|k| k.count > 0) {
        add_row(
            &mut t,
            vec![
                k.kind.name().to_string(),
                thousands(k.count),
                thousands(k.lines),
                k.first.clone().unwrap_or_default(),
                k.last.clone().unwrap_or_default(),
            ],
        );
    }
    right_align(&mut t, &[1, 2]);
    let _ = writeln!(out, "{t}");
    let lifecycle: Vec<_> = r.events.iter().filter(|e| e.kind.is_lifecycle()).collect();
    if lifecycle.is_empty() {
        let _ = writeln!(out, "No reload, restart or shutdown in the error logs.\n");
        return;
    }
    let _ = writeln!(out, "Reloads, restarts and shutdowns");
    let mut t = table(
        style,
        &["time (UTC)", "kind", "server", "file", "first line"],
    );
    for e in lifecycle {
        add_row(
            &mut t,
            vec![
                e.time.replace('T', " ").trim_end_matches('Z').to_string(),
                e.kind.name().to_string(),
                e.server.clone().unwrap_or_default(),
                e.file.clone().unwrap_or_default(),
                e.message.clone(),
            ],
        );
    }
    let _ = writeln!(out, "{t}\n");
}

/// One timeline row: several windows merged when the timeline is long.
struct Row {
    start: i64,
    requests: u64,
    matched: u64,
    events: u64,
    lifecycle: u64,
}

fn timeline_rows(windows: &[WindowRow], window: i64, max_rows: usize) -> (Vec<Row>, i64) {
    let (Some(first), Some(last)) = (windows.first(), windows.last()) else {
        return (Vec::new(), window);
    };
    let (first, last) = (first.start_secs, last.start_secs);
    let max_rows = max_rows.max(1) as i64;
    // Rows start at multiples of the row length, so count aligned rows.
    let rows_with = |step: i64| last.div_euclid(step) - first.div_euclid(step) + 1;
    let round_up = |s: i64| ((s + window - 1) / window).max(1) * window;
    // The smallest "round" row length (a multiple of the window) that keeps
    // the timeline within `max_rows`; past two days, whole days.
    let step = [
        60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800,
    ]
    .into_iter()
    .map(round_up)
    .find(|&s| rows_with(s) <= max_rows)
    .unwrap_or_else(|| {
        let days = (last - first) / 86_400 / (max_rows - 1).max(1) + 1;
        let mut step = round_up(days * 86_400);
        while rows_with(step) > max_rows {
            step += round_up(86_400);
        }
        step
    });
    let mut rows: Vec<Row> = Vec::new();
    for w in windows {
        let start = w.start_secs.div_euclid(step) * step;
        match rows.last_mut() {
            Some(r) if r.start == start => {
                r.requests += w.requests;
                r.matched += w.matched;
                r.events += w.events;
                r.lifecycle += w.lifecycle;
            }
            _ => {
                // Show the empty stretch between rows, if short enough.
                if let Some(prev) = rows.last().map(|r| r.start) {
                    let mut t = prev + step;
                    while t < start && (rows.len() as i64) < max_rows * 2 {
                        rows.push(Row {
                            start: t,
                            requests: 0,
                            matched: 0,
                            events: 0,
                            lifecycle: 0,
                        });
                        t += step;
                    }
                }
                rows.push(Row {
                    start,
                    requests: w.requests,
                    matched: w.matched,
                    events: w.events,
                    lifecycle: w.lifecycle,
                });
            }
        }
    }
    (rows, step)
}

fn render_timeline(r: &Report, style: Style, out: &mut String) {
    let s = &r.summary;
    let (rows, step) = timeline_rows(&r.windows, s.window_secs, style.max_rows);
    if rows.is_empty() {
        return;
    }
    let merged = if step != s.window_secs {
        format!(", each row {} windows", step / s.window_secs)
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "Timeline ({} windows{merged}, UTC)",
        duration(s.window_secs)
    );
    let max = rows.iter().map(|r| r.matched).max().unwrap_or(0);
    let with_events = !r.event_kinds.is_empty();
    let mut header = vec!["from", "requests", s.status.as_str(), "rate", ""];
    if with_events {
        header.extend(["errors", "lifecycle"]);
    }
    let mut t = table(style, &header);
    for row in &rows {
        let mut cells = vec![
            rfc3339(row.start)
                .replace('T', " ")
                .trim_end_matches('Z')
                .to_string(),
            thousands(row.requests),
            thousands(row.matched),
            percent(row.matched, row.requests),
            bar(row.matched, max, 30),
        ];
        if with_events {
            cells.push(thousands(row.events));
            cells.push(lifecycle_marker(r, row.start, step));
        }
        add_row(&mut t, cells);
    }
    right_align(&mut t, &[1, 2, 3, 5]);
    let _ = writeln!(out, "{t}");
    let _ = writeln!(
        out,
        "{} over time: {}",
        s.status,
        sparkline(
            &r.windows,
            s.window_secs,
            style.width.saturating_sub(20) as usize
        )
    );
}

/// The reloads, restarts and shutdowns that start in the row at `start`.
fn lifecycle_marker(r: &Report, start: i64, step: i64) -> String {
    let mut marks: Vec<String> = r
        .events
        .iter()
        .filter(|e| e.kind.is_lifecycle() && e.time_secs >= start && e.time_secs < start + step)
        .map(|e| {
            format!(
                "{} {}",
                e.kind.name(),
                e.time.get(11..19).unwrap_or(&e.time)
            )
        })
        .collect();
    if marks.len() > 2 {
        let more = marks.len() - 2;
        marks.truncate(2);
        marks.push(format!("+{more}"));
    }
    marks.join(", ")
}

/// A horizontal bar of `width` cells for `value` out of `max`.
fn bar(value: u64, max: u64, width: usize) -> String {
    if max == 0 || value == 0 {
        return String::new();
    }
    const PARTS: [char; 8] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];
    let eighths = ((value as f64 / max as f64) * (width * 8) as f64)
        .round()
        .max(1.0) as usize;
    let mut s = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        s.push(PARTS[eighths % 8 - 1]);
    }
    s
}

/// Matched counts over the whole period as one line of block characters.
fn sparkline(windows: &[WindowRow], window: i64, width: usize) -> String {
    const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let (Some(first), Some(last)) = (windows.first(), windows.last()) else {
        return String::new();
    };
    let span = ((last.start_secs - first.start_secs) / window + 1) as usize;
    let cells = span.min(width.max(10));
    let mut sums = vec![0u64; cells];
    for w in windows {
        let i = ((w.start_secs - first.start_secs) / window) as usize * cells / span;
        if let Some(c) = sums.get_mut(i) {
            *c += w.matched;
        }
    }
    let max = sums.iter().copied().max().unwrap_or(0);
    sums.iter()
        .map(|&v| {
            if v == 0 {
                ' '
            } else {
                LEVELS[((v * 7).div_ceil(max.max(1)) as usize).min(7)]
            }
        })
        .collect()
}

fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "-".into();
    }
    let p = part as f64 * 100.0 / whole as f64;
    if p > 0.0 && p < 0.1 {
        "<0.1%".into()
    } else {
        format!("{p:.1}%")
    }
}

fn duration(secs: i64) -> String {
    match secs {
        s if s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s % 3600 == 0 => format!("{}h", s / 3600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(percent(1, 3), "33.3%");
        assert_eq!(percent(1, 10_000), "<0.1%");
        assert_eq!(percent(1, 0), "-");
        assert_eq!(duration(300), "5m");
        assert_eq!(duration(3600), "1h");
        assert_eq!(duration(45), "45s");
    }

    #[test]
    fn bars_scale_to_the_maximum() {
        assert_eq!(bar(0, 10, 30), "");
        assert_eq!(bar(10, 10, 30).chars().count(), 30);
        assert_eq!(bar(5, 10, 30).chars().count(), 15);
        assert_eq!(bar(1, 1000, 30), "▏");
    }

    #[test]
    fn long_timelines_merge_windows() {
        let windows: Vec<WindowRow> = (0..288)
            .map(|i| WindowRow {
                start: String::new(),
                start_secs: i * 300,
                requests: 10,
                matched: u64::from(i == 100),
                events: 0,
                lifecycle: 0,
            })
            .collect();
        let (rows, step) = timeline_rows(&windows, 300, 48);
        assert_eq!(step, 1800);
        assert_eq!(rows.len(), 48);
        assert_eq!(rows.iter().map(|r| r.requests).sum::<u64>(), 2880);
        assert_eq!(rows.iter().map(|r| r.matched).sum::<u64>(), 1);
        // Aligned rows never exceed the limit, even when the span is not.
        let shifted: Vec<WindowRow> = (5..293)
            .map(|i| WindowRow {
                start: String::new(),
                start_secs: i * 300,
                requests: 1,
                matched: 0,
                events: 0,
                lifecycle: 0,
            })
            .collect();
        let (rows, _) = timeline_rows(&shifted, 300, 48);
        assert!(rows.len() <= 48, "{} rows", rows.len());
        // Centuries apart: whole days, still bounded, quickly.
        let far = [0, 250_000_000_000].map(|t| WindowRow {
            start: String::new(),
            start_secs: t,
            requests: 1,
            matched: 1,
            events: 0,
            lifecycle: 0,
        });
        let (rows, step) = timeline_rows(&far, 300, 48);
        assert!(rows.len() <= 96 && step % 86_400 == 0);
    }
}
