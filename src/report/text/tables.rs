//! The groups, steady sources, error-log events and input sections.
//! Tables shorten their widest column (a route) with `…` to fit the
//! screen; lists wrap.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, ContentArrangement, Table};

use super::{count, heading, minute, percent, safe, second, width, wrap, Screen, Tone};
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
    let head: String = text.chars().take(keep / 2).collect();
    let tail: String = text.chars().skip(n - (keep - keep / 2)).collect();
    format!("{head}…{tail}")
}

/// Room left for one column of a table whose other cells take `others`
/// columns (their borders and padding included).
fn room(screen: Screen, others: usize) -> usize {
    screen.width.saturating_sub(others).max(12)
}

/// Matched requests per method and route.
pub fn groups(r: &Report, screen: Screen, out: &mut String) {
    let s = &r.summary;
    if r.groups.is_empty() {
        return;
    }
    heading(screen, &format!("{} by method and route", s.status), out);
    let shown: Vec<_> = r.groups.iter().take(screen.top).collect();
    let method = shown
        .iter()
        .map(|g| width(&g.method))
        .max()
        .unwrap_or(6)
        .max(6);
    // method, 501, requests, rate, of all: about 45 columns with borders.
    let route_room = room(screen, method + 46);
    let mut t = table(
        screen,
        &[
            "method",
            "route",
            s.status.as_str(),
            "requests",
            "rate",
            "of all",
        ],
    );
    for g in &shown {
        t.add_row(vec![
            safe(&g.method).into_owned(),
            shorten(&safe(&g.route), route_room),
            thousands(g.matched),
            thousands(g.requests),
            percent(g.matched, g.requests),
            percent(g.matched, s.matched),
        ]);
    }
    if r.groups.len() > screen.top {
        let rest = &r.groups[screen.top..];
        let matched: u64 = rest.iter().map(|g| g.matched).sum();
        let requests: u64 = rest.iter().map(|g| g.requests).sum();
        t.add_row(vec![
            String::new(),
            format!("… {} more (--top)", thousands(rest.len() as u64)),
            thousands(matched),
            thousands(requests),
            percent(matched, requests),
            percent(matched, s.matched),
        ]);
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
    let mut t = table(
        screen,
        &[
            "method",
            "route",
            status.as_str(),
            "requests",
            "per window",
            "from – to",
        ],
    );
    let route_room = room(screen, 70);
    for s in &r.steady_sources {
        t.add_row(vec![
            safe(&s.method).into_owned(),
            shorten(&safe(&s.route), route_room),
            thousands(s.matched),
            thousands(s.requests),
            format!("{:.1}", s.per_window),
            format!("{} – {}", minute(&s.start), minute(&s.end)),
        ]);
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
            let text: String = safe(&m.text).chars().take(w.saturating_sub(4)).collect();
            out.push_str(&format!("    {text}\n"));
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
