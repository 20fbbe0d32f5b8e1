//! The groups, steady sources, error-log events and input sections.
//! Tables shorten their widest column (a route) with `…` to fit the
//! screen; lists wrap.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, ContentArrangement, Table};

use super::{
    count, heading, minute, percent, safe, second, take_columns, width, wrap, Screen, Tone,
};
use crate::numfmt::thousands;
use crate::report::Report;

/// A table `columns` wide at most, with `header`.
fn table(screen: Screen, header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(u16::try_from(screen.width).unwrap_or(u16::MAX))
        .set_header(header.to_vec());
    t
}

fn right_align(t: &mut Table, columns: &[usize]) {
    for &c in columns {
        if let Some(col) = t.column_mut(c) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
}

/// Cuts `text` to `columns` with `…` in the middle, so both ends of a
/// route stay readable.
fn shorten(text: &str, columns: usize) -> String {
    let n = width(text);
    if n <= columns || columns < 5 {
        return text.to_string();
    }
    let keep = columns - 1;
    let head = take_columns(text, keep / 2);
    // The end that fits in the rest, taken from the back.
    let mut tail_start = text.len();
    let mut used = 0;
    for (i, c) in text.char_indices().rev() {
        used += super::char_width(c);
        if used > keep - width(head) {
            break;
        }
        tail_start = i;
    }
    format!("{head}…{}", &text[tail_start..])
}

/// Shortens column `col` of `rows` (with `header`) in the middle so that
/// the table fits the screen: the room it gets is what the other columns'
/// widest cells, the padding and the borders leave (12 at least).
fn fit(screen: Screen, header: &[&str], rows: &mut [Vec<String>], col: usize) {
    let others: usize = (0..header.len())
        .filter(|&k| k != col)
        .map(|k| {
            rows.iter()
                .filter_map(|r| r.get(k))
                .map(|c| width(c))
                .chain([width(header[k])])
                .max()
                .unwrap_or(0)
        })
        .sum();
    // A space on each side of every cell, and a border between and around.
    let chrome = 3 * header.len() + 1;
    let room = screen.width.saturating_sub(others + chrome).max(12);
    for row in rows.iter_mut() {
        if let Some(cell) = row.get_mut(col) {
            *cell = shorten(cell, room);
        }
    }
}

/// Matched requests per method and route.
pub fn groups(r: &Report, screen: Screen, out: &mut String) {
    let s = &r.summary;
    if r.groups.is_empty() {
        return;
    }
    heading(screen, &format!("{} by method and route", s.status), out);
    let header = [
        "method",
        "route",
        s.status.as_str(),
        "requests",
        "rate",
        "of all",
    ];
    let mut rows: Vec<Vec<String>> = r
        .groups
        .iter()
        .take(screen.top)
        .map(|g| {
            vec![
                safe(&g.method).into_owned(),
                safe(&g.route).into_owned(),
                thousands(g.matched),
                thousands(g.requests),
                percent(g.matched, g.requests),
                percent(g.matched, s.matched),
            ]
        })
        .collect();
    if r.groups.len() > screen.top {
        let rest = &r.groups[screen.top..];
        let matched: u64 = rest.iter().map(|g| g.matched).sum();
        let requests: u64 = rest.iter().map(|g| g.requests).sum();
        rows.push(vec![
            String::new(),
            format!("… {} more (--top)", thousands(rest.len() as u64)),
            thousands(matched),
            thousands(requests),
            percent(matched, requests),
            percent(matched, s.matched),
        ]);
    }
    fit(screen, &header, &mut rows, 1);
    let mut t = table(screen, &header);
    for row in rows {
        t.add_row(row);
    }
    right_align(&mut t, &[2, 3, 4, 5]);
    out.push_str(&format!("{t}\n"));
    let note = "rate: of the group's requests; of all: of every ";
    out.push_str(&screen.paint.tone(
        Tone::Dim,
        wrap(&format!("{note}{}", s.status), screen.width, "", "").trim_end(),
    ));
    out.push('\n');
    if let Some(other) = r
        .groups
        .iter()
        .find(|g| g.method == "*" && g.route == "(other)")
    {
        let text = format!(
            "* (other): {} past the first {} method/route groups, counted together",
            count(other.requests, "request", "requests"),
            thousands(crate::aggregate::GROUP_LIMIT as u64)
        );
        out.push_str(&wrap(&text, screen.width, "", "  "));
    }
    out.push('\n');
}

/// Steady sources: set apart, so a reader knows why they are no burst.
pub fn steady(r: &Report, screen: Screen, out: &mut String) {
    if r.steady_sources.is_empty() {
        return;
    }
    let status = &r.summary.status;
    heading(
        screen,
        &format!("Steady sources of {status} (no burst)"),
        out,
    );
    let text = "A flat count whatever the traffic, such as a monitor asking with a method the location does not implement.";
    out.push_str(&wrap(text, screen.width, "", ""));
    let header = [
        "method",
        "route",
        status.as_str(),
        "requests",
        "per window",
        "from – to",
    ];
    let mut rows: Vec<Vec<String>> = r
        .steady_sources
        .iter()
        .map(|s| {
            vec![
                safe(&s.method).into_owned(),
                safe(&s.route).into_owned(),
                thousands(s.matched),
                thousands(s.requests),
                format!("{:.1}", s.per_window),
                format!("{} – {}", minute(&s.start), minute(&s.end)),
            ]
        })
        .collect();
    fit(screen, &header, &mut rows, 1);
    let mut t = table(screen, &header);
    for row in rows {
        t.add_row(row);
    }
    right_align(&mut t, &[2, 3, 4]);
    out.push_str(&format!("{t}\n\n"));
}

/// Error-log events per kind, then each reload, restart and shutdown.
pub fn events(r: &Report, screen: Screen, out: &mut String) {
    if r.event_kinds.is_empty() {
        return;
    }
    heading(screen, "Error-log events", out);
    let mut t = table(screen, &["kind", "events", "lines", "first", "last"]);
    // A reload's restart lines are part of the reload: kinds with lines but
    // no event of their own are left out here (the JSON has them).
    for k in r.event_kinds.iter().filter(|k| k.count > 0) {
        t.add_row(vec![
            k.kind.name().to_string(),
            thousands(k.count),
            thousands(k.lines),
            k.first.as_deref().map(minute).unwrap_or_default(),
            k.last.as_deref().map(minute).unwrap_or_default(),
        ]);
    }
    right_align(&mut t, &[1, 2]);
    out.push_str(&format!("{t}\n"));
    let lifecycle: Vec<_> = r.events.iter().filter(|e| e.kind.is_lifecycle()).collect();
    if lifecycle.is_empty() {
        out.push_str("No reload, restart or shutdown in the error logs.\n\n");
        return;
    }
    heading(screen, "Reloads, restarts and shutdowns", out);
    for e in lifecycle {
        let first = format!(
            "{}  {} ({}, {})",
            second(&e.time),
            e.kind.name(),
            e.server.as_deref().unwrap_or("-"),
            safe(e.file.as_deref().unwrap_or("-"))
        );
        out.push_str(&wrap(&first, screen.width, "  ", "    "));
        out.push_str(&wrap(&safe(&e.message), screen.width, "    ", "    "));
    }
    out.push('\n');
}

/// What was read: each file with its format and counts, in reading order,
/// then what could not be read and the first malformed lines.
pub fn input(r: &Report, screen: Screen, out: &mut String) {
    let s = &r.summary;
    let w = screen.width;
    let mut totals = vec![
        count(s.files.len() as u64, "file", "files"),
        count(s.lines, "line", "lines"),
        format!("{} malformed", thousands(s.malformed)),
    ];
    if s.blank > 0 {
        totals.push(format!("{} blank", thousands(s.blank)));
    }
    heading(
        screen,
        &format!("Input, in reading order: {}", totals.join(", ")),
        out,
    );
    for (i, f) in s.files.iter().enumerate() {
        let number = format!("{:>3} ", i + 1);
        out.push_str(&wrap(&safe(&f.path), w, &number, "    "));
        out.push_str(&wrap(&safe(&describe(f)), w, "      ", "        "));
    }
    let read: Vec<_> = s
        .files
        .iter()
        .filter(|f| f.lines > 0 && f.format.is_some())
        .collect();
    let given = read.iter().filter(|f| !f.detected).count();
    let text = match given {
        _ if read.is_empty() => String::new(),
        0 => "Formats were detected from each file's first lines.".to_string(),
        n if n == read.len() => "Formats as given (--format, --log-format or the config).".into(),
        n => format!(
            "Formats were detected from each file's first lines, but for {} as given.",
            count(n as u64, "file", "files")
        ),
    };
    if !text.is_empty() {
        let text = wrap(&text, w, "", "");
        out.push_str(&screen.paint.tone(Tone::Dim, text.trim_end()));
        out.push('\n');
    }
    for e in &s.errors {
        let line = screen.paint.tone(Tone::Warn, "unreadable:");
        out.push_str(&wrap(&format!("{line} {}", safe(e)), w, "", "  "));
    }
    if !s.ignored.is_empty() {
        let shown: Vec<&str> = s.ignored.iter().take(5).map(String::as_str).collect();
        let more = match s.ignored.len().saturating_sub(shown.len()) {
            0 => String::new(),
            n => format!(" and {} more", thousands(n as u64)),
        };
        let text = format!(
            "passed over (not log names, not regular files, or said on stderr): {}{more}",
            safe(&shown.join(", "))
        );
        out.push_str(&wrap(&text, w, "", "  "));
    }
    if !s.malformed_samples.is_empty() {
        let title = format!("Malformed lines, the first {}:", s.malformed_samples.len());
        out.push_str(&screen.paint.tone(Tone::Warn, &title));
        out.push('\n');
        for m in &s.malformed_samples {
            let place = format!("{}:{}: {}", safe(&m.file), m.line, safe(&m.reason));
            out.push_str(&wrap(&place, w, "  ", "    "));
            let text = safe(&m.text);
            out.push_str(&format!(
                "    {}\n",
                take_columns(&text, w.saturating_sub(4))
            ));
        }
    }
    out.push('\n');
}

/// A file's format and counts, with its notes, in one sentence.
fn describe(f: &crate::report::FileRow) -> String {
    let mut parts = Vec::new();
    let mut format = f.format.clone().unwrap_or_else(|| "-".into());
    if let Some(c) = &f.compression {
        format = format!("{format}, {c}");
    }
    parts.push(format);
    parts.push(format!(
        "{}, {} malformed",
        count(f.lines, "line", "lines"),
        thousands(f.malformed)
    ));
    if let Some(why) = &f.skipped {
        parts.push(format!("skipped: {why}"));
    }
    if let Some(zone) = &f.zone {
        parts.push(format!(
            "{}, times in {zone}",
            count(f.events, "event", "events")
        ));
    }
    if f.other_format > 0 {
        parts.push(count(
            f.other_format,
            "line in another format",
            "lines in other formats",
        ));
    }
    if f.trailing > 0 {
        let example = f.trailing_example.as_deref().unwrap_or_default();
        parts.push(format!(
            "{} with fields after the format (not read), e.g. `{example}`",
            thousands(f.trailing)
        ));
    }
    if f.retried > 0 {
        parts.push(format!(
            "{} tried on more than one upstream (the last one counts)",
            thousands(f.retried)
        ));
    }
    if f.stderr > 0 {
        parts.push(format!(
            "{} from the container's stderr",
            thousands(f.stderr)
        ));
    }
    if f.blank > 0 {
        parts.push(format!("{} blank", thousands(f.blank)));
    }
    parts.extend(f.problems.iter().cloned());
    parts.extend(f.notes.iter().cloned());
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_shortened_in_the_middle() {
        assert_eq!(
            shorten("/api/v1/orders/:uuid/items", 30),
            "/api/v1/orders/:uuid/items"
        );
        let s = shorten("/api/v1/orders/:uuid/items", 12);
        assert_eq!(width(&s), 12);
        assert!(s.starts_with("/api/") && s.ends_with("items"), "{s}");
    }
}
