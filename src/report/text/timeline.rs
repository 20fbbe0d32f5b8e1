//! The timeline: one row per window (or per few windows on a long
//! period), the bursts' rows marked with their number, a bar of the rate
//! of matched requests, and a sparkline of the whole period with the
//! bursts under it.

use super::{heading, percent, safe, take_columns, width, Screen, Tone};
use crate::numfmt::thousands;
use crate::report::{Report, WindowRow};
use crate::timefmt::rfc3339;

/// One timeline row: several windows merged when the timeline is long.
struct Row {
    start: i64,
    requests: u64,
    matched: u64,
    events: u64,
}

/// The rows of `windows` (of `window` seconds), at most `max_rows`, and
/// the seconds each row stands for.
fn rows(windows: &[WindowRow], window: i64, max_rows: usize) -> (Vec<Row>, i64) {
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
                        });
                        t += step;
                    }
                }
                rows.push(Row {
                    start,
                    requests: w.requests,
                    matched: w.matched,
                    events: w.events,
                });
            }
        }
    }
    (rows, step)
}

/// The bursts that overlap `[start, end)`: `#1`, `#1,2`, or `#3+5` (the
/// first and how many more).
fn bursts_in(r: &Report, start: i64, end: i64) -> String {
    let hits: Vec<usize> = r
        .bursts
        .iter()
        .enumerate()
        .filter(|(_, b)| b.span.0 < end && b.span.1 > start)
        .map(|(i, _)| i + 1)
        .collect();
    match hits.as_slice() {
        [] => String::new(),
        [one] => format!("#{one}"),
        [a, b] => format!("#{a},{b}"),
        [first, rest @ ..] => format!("#{first}+{}", rest.len()),
    }
}

/// The reloads, restarts and shutdowns that start in `[start, end)`.
fn lifecycle(r: &Report, start: i64, end: i64) -> String {
    let marks: Vec<String> = r
        .events
        .iter()
        .filter(|e| e.kind.is_lifecycle() && e.time_secs >= start && e.time_secs < end)
        .map(|e| {
            format!(
                "{} {}",
                e.kind.name(),
                e.time.get(11..19).unwrap_or(&e.time)
            )
        })
        .collect();
    match marks.len() {
        0..=2 => marks.join(", "),
        n => format!("{} +{}", marks[..2].join(", "), n - 2),
    }
}

/// A cell of a row: its text and whether it is right-aligned.
type Cell = (String, bool);

/// The timeline section.
pub fn timeline(r: &Report, screen: Screen, out: &mut String) {
    let s = &r.summary;
    let (rows, step) = rows(&r.windows, s.window_secs, screen.max_rows);
    if rows.is_empty() {
        return;
    }
    let merged = if step != s.window_secs {
        format!(", each row {} windows", step / s.window_secs)
    } else {
        String::new()
    };
    let top_rate = rows
        .iter()
        .map(|r| rate(r.matched, r.requests))
        .fold(0.0, f64::max);
    heading(
        screen,
        &format!(
            "Timeline ({} windows{merged}; a full bar is a rate of {} {}s)",
            duration(s.window_secs),
            percent_f(top_rate),
            s.status
        ),
        out,
    );
    // Below 72 columns the error-log columns leave room for the bar.
    let with_events = !r.event_kinds.is_empty() && screen.width >= 72;
    let seconds = step % 60 != 0;
    let mut table: Vec<Vec<Cell>> = Vec::new();
    let mut marks = Vec::new();
    for row in &rows {
        let time = rfc3339(row.start);
        let clock = time.get(11..if seconds { 19 } else { 16 }).unwrap_or(&time);
        let mark = bursts_in(r, row.start, row.start + step);
        let mut cells = vec![
            (clock.to_string(), false),
            (thousands(row.requests), true),
            (thousands(row.matched), true),
            (percent(row.matched, row.requests), true),
            (mark.clone(), false),
        ];
        if with_events {
            cells.push((thousands(row.events), true));
            cells.push((lifecycle(r, row.start, row.start + step), false));
        }
        marks.push(!mark.is_empty());
        table.push(cells);
    }
    let mut header: Vec<String> = ["time", "requests", s.status.as_str(), "rate", "burst"]
        .map(String::from)
        .to_vec();
    if with_events {
        header.extend(["errors".into(), "lifecycle".into()]);
    }
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for cells in &table {
        for (k, (text, _)) in cells.iter().enumerate() {
            widths[k] = widths[k].max(width(text));
        }
    }
    // The bar takes what is left, between 10 and 40 columns: the lifecycle
    // notes give way first (cut with `…`), then both error-log columns.
    let fixed = |w: &[usize]| 2 + w.iter().map(|c| c + 2).sum::<usize>();
    let room = |w: &[usize]| screen.width.saturating_sub(fixed(w) + 2);
    let mut with_events = with_events;
    if with_events && room(&widths) < 10 {
        let last = widths.len() - 1;
        widths[last] = widths[last].saturating_sub(10 - room(&widths)).max(9);
        if room(&widths) < 10 {
            with_events = false;
            widths.truncate(5);
            header.truncate(5);
            table.iter_mut().for_each(|cells| cells.truncate(5));
        }
    }
    // No room even for a short bar: none.
    let bar = match room(&widths).min(40) {
        b if b < 4 => 0,
        b => b,
    };
    let scale = if bar > 0 { "rate bar" } else { "" };
    let mut line = String::from("  ");
    for (k, h) in header.iter().enumerate() {
        if k == 5 {
            line.push_str(&pad(scale, bar, false, bar));
            line.push_str("  ");
        }
        let right = k > 0 && k < 4 || k == 5;
        line.push_str(&pad(h, widths[k], right, widths[k]));
        line.push_str("  ");
    }
    if !with_events {
        line.push_str(&pad(scale, bar, false, bar));
    }
    out.push_str(&screen.paint.tone(Tone::Dim, line.trim_end()));
    out.push('\n');
    let mut day = String::new();
    for ((cells, row), marked) in table.iter().zip(&rows).zip(&marks) {
        let date = rfc3339(row.start).get(..10).unwrap_or_default().to_string();
        if date != day {
            out.push_str(&screen.paint.tone(Tone::Dim, &date));
            out.push('\n');
            day = date;
        }
        let mut line = String::from("  ");
        for (k, (text, right)) in cells.iter().enumerate() {
            if k == 5 {
                line.push_str(&bar_cell(
                    screen,
                    rate(row.matched, row.requests),
                    top_rate,
                    bar,
                    *marked,
                ));
                line.push_str("  ");
            }
            let cell = pad(&safe(text), widths[k], *right, widths[k]);
            let cell = if k == 4 && *marked {
                screen.paint.tone(Tone::Burst, &cell)
            } else {
                cell
            };
            line.push_str(&cell);
            line.push_str("  ");
        }
        if !with_events {
            line.push_str(&bar_cell(
                screen,
                rate(row.matched, row.requests),
                top_rate,
                bar,
                *marked,
            ));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    sparkline(r, screen, out);
    out.push('\n');
}

/// `text` in `columns` columns, cut with `…` past `limit`.
fn pad(text: &str, columns: usize, right: bool, limit: usize) -> String {
    let text: String = if width(text) > limit {
        let mut t = take_columns(text, limit.saturating_sub(1)).to_string();
        t.push('…');
        t
    } else {
        text.to_string()
    };
    let fill = " ".repeat(columns.saturating_sub(width(&text)));
    if right {
        format!("{fill}{text}")
    } else {
        format!("{text}{fill}")
    }
}

fn rate(matched: u64, requests: u64) -> f64 {
    if requests == 0 {
        0.0
    } else {
        matched as f64 / requests as f64
    }
}

fn percent_f(rate: f64) -> String {
    format!("{:.1}%", rate * 100.0)
}

/// The bar of a row: its rate against the highest, in eighths of a cell.
fn bar_cell(screen: Screen, value: f64, max: f64, columns: usize, marked: bool) -> String {
    let text = bar(value, max, columns);
    let filled = pad(&text, columns, false, columns);
    if marked {
        screen.paint.tone(Tone::Burst, &filled)
    } else {
        filled
    }
}

/// A horizontal bar of `columns` cells for `value` out of `max`.
fn bar(value: f64, max: f64, columns: usize) -> String {
    if max <= 0.0 || value <= 0.0 || columns == 0 {
        return String::new();
    }
    const PARTS: [char; 8] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];
    let eighths = ((value / max) * (columns * 8) as f64).round().max(1.0) as usize;
    let mut s = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        s.push(PARTS[eighths % 8 - 1]);
    }
    s
}

/// Matched requests over the whole period in one line, on a log scale so
/// that a burst stands out from stray matches, with each burst's number
/// under its cells.
fn sparkline(r: &Report, screen: Screen, out: &mut String) {
    const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let (Some(first), Some(last)) = (r.windows.first(), r.windows.last()) else {
        return;
    };
    let window = r.summary.window_secs;
    let label = format!("{} over time: ", r.summary.status);
    let span = ((last.start_secs - first.start_secs) / window + 1) as usize;
    let cells = span.min(screen.width.saturating_sub(width(&label) + 1).max(10));
    let cell_of = |t: i64| ((t - first.start_secs).max(0) / window) as usize * cells / span;
    let mut sums = vec![0u64; cells];
    for w in &r.windows {
        if let Some(c) = sums.get_mut(cell_of(w.start_secs)) {
            *c += w.matched;
        }
    }
    let top = (sums.iter().copied().max().unwrap_or(0) as f64).ln_1p();
    let line: String = sums
        .iter()
        .map(|&v| match v {
            0 => ' ',
            v => {
                LEVELS[((7.0 * (v as f64).ln_1p() / top.max(f64::MIN_POSITIVE)).round() as usize)
                    .min(7)]
            }
        })
        .collect();
    out.push_str(&label);
    out.push_str(line.trim_end());
    out.push('\n');
    if r.bursts.is_empty() {
        return;
    }
    let mut under = vec![' '; cells];
    for (i, b) in r.bursts.iter().enumerate() {
        let (a, z) = (
            cell_of(b.span.0),
            cell_of(b.span.1 - 1).max(cell_of(b.span.0)),
        );
        for c in under.iter_mut().take(z + 1).skip(a) {
            if *c == ' ' {
                *c = '‾';
            }
        }
        // The number where its cells are free; `+` where another burst's
        // number is already.
        let number = (i + 1).to_string();
        let free =
            (a..a + number.len()).all(|k| under.get(k).is_some_and(|c| matches!(c, ' ' | '‾')));
        if free {
            for (k, ch) in number.chars().enumerate() {
                under[a + k] = ch;
            }
        } else if let Some(c) = under.get_mut(a).filter(|c| matches!(c, ' ' | '‾')) {
            *c = '+';
        }
    }
    let marks: String = under.into_iter().collect();
    let label = pad("bursts:", width(&label), false, width(&label));
    out.push_str(&label);
    out.push_str(&screen.paint.tone(Tone::Burst, marks.trim_end()));
    out.push('\n');
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
    fn bars_scale_to_the_maximum() {
        assert_eq!(bar(0.0, 0.4, 30), "");
        assert_eq!(bar(0.4, 0.4, 30).chars().count(), 30);
        assert_eq!(bar(0.2, 0.4, 30).chars().count(), 15);
        assert_eq!(bar(0.0001, 0.4, 30), "▏");
        assert_eq!(duration(300), "5m");
        assert_eq!(duration(3600), "1h");
        assert_eq!(duration(45), "45s");
    }

    #[test]
    fn long_timelines_merge_windows() {
        let window = |t: i64, requests: u64, matched: u64| WindowRow {
            start: String::new(),
            start_secs: t,
            requests,
            matched,
            events: 0,
            lifecycle: 0,
        };
        let windows: Vec<WindowRow> = (0..288)
            .map(|i| window(i * 300, 10, u64::from(i == 100)))
            .collect();
        let (rows, step) = rows(&windows, 300, 48);
        assert_eq!(step, 1800);
        assert_eq!(rows.len(), 48);
        assert_eq!(rows.iter().map(|r| r.requests).sum::<u64>(), 2880);
        assert_eq!(rows.iter().map(|r| r.matched).sum::<u64>(), 1);
        // Aligned rows never exceed the limit, even when the span is not.
        let shifted: Vec<WindowRow> = (5..293).map(|i| window(i * 300, 1, 0)).collect();
        let (rows_shifted, _) = super::rows(&shifted, 300, 48);
        assert!(rows_shifted.len() <= 48, "{} rows", rows_shifted.len());
        // Centuries apart: whole days, still bounded, quickly.
        let far = [0, 250_000_000_000].map(|t| window(t, 1, 1));
        let (rows_far, step) = super::rows(&far, 300, 48);
        assert!(rows_far.len() <= 96 && step % 86_400 == 0);
    }
}
