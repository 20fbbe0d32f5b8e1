//! The terminal report: the verdict first (what failed, when, why, what to
//! check), then each burst in detail, the timeline, the groups, the error
//! log and the input. Prose wraps at word boundaries to the screen's
//! width, tables shorten their widest column to fit, and colour marks the
//! labels and bursts when the screen is a terminal. Nothing is analysed
//! here: everything comes from the [`Report`].

mod paint;
mod tables;
mod timeline;
mod verdict;
mod wrap;

pub use paint::{Paint, Tone};
pub use verdict::nothing_read;
pub use wrap::{char_width, take_columns, width, wrap};

use std::borrow::Cow;
use std::io::IsTerminal;

use super::terminal::printable;
use super::Report;
use crate::numfmt::{minute, percent, thousands};
use crate::timefmt::rfc3339;

/// When to colour the report (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set or `TERM` is `dumb`.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Where the report is shown, and how much of it.
#[derive(Debug, Clone, Copy)]
pub struct Screen {
    /// Columns.
    pub width: usize,
    /// Colour, or none.
    pub paint: Paint,
    /// Method/route groups listed (the rest are summed in one line).
    pub top: usize,
    /// Most timeline rows; longer timelines merge neighbouring windows.
    pub max_rows: usize,
}

impl Screen {
    /// The screen standard output is: `$COLUMNS` when set, else the
    /// terminal's width, else 120 columns (a pipe or a file); colour as
    /// `color` says.
    pub fn detect(color: ColorChoice, top: usize) -> Screen {
        let stdout = std::io::stdout();
        let terminal = stdout.is_terminal();
        let columns = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<usize>().ok())
            .filter(|&c| c > 0);
        let measured = terminal
            .then(|| terminal_size::terminal_size_of(&stdout))
            .flatten()
            .map(|(w, _)| usize::from(w.0));
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
        let on = match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && !no_color && !dumb,
        };
        Screen {
            width: columns.or(measured).unwrap_or(120).max(40),
            paint: Paint { on },
            top,
            max_rows: 48,
        }
    }
}

/// The whole report as text for `screen`, control characters from the
/// logs escaped.
pub fn render(r: &Report, screen: Screen) -> String {
    let mut out = String::new();
    headline(r, screen, &mut out);
    verdict::verdict(r, screen, &mut out);
    verdict::details(r, screen, &mut out);
    timeline::timeline(r, screen, &mut out);
    tables::groups(r, screen, &mut out);
    tables::steady(r, screen, &mut out);
    tables::events(r, screen, &mut out);
    tables::input(r, screen, &mut out);
    verdict::recap(r, screen, &mut out);
    out
}

/// The progress line of a long run: `reading 1.2 GB of 10.0 GB (12%),
/// 850 MB/s, about 10 s left` (`total` 0: stdin, no share or time left).
pub fn progress_line(done: u64, total: u64, elapsed_secs: f64) -> String {
    let rate = done as f64 / elapsed_secs.max(0.001);
    let mut line = format!("reading {}", size(done));
    if total > 0 {
        let share = (done as f64 * 100.0 / total as f64).min(100.0);
        line.push_str(&format!(" of {} ({share:.0}%)", size(total)));
    }
    line.push_str(&format!(", {}/s", size(rate as u64)));
    if total > done && rate > 0.0 {
        let left = (total - done) as f64 / rate;
        line.push_str(&format!(", about {} left", seconds(left)));
    }
    line
}

/// Bytes as `512 B`, `1.2 MB`, `10.0 GB` (powers of 1000).
fn size(bytes: u64) -> String {
    let b = bytes as f64;
    match bytes {
        0..=999 => format!("{bytes} B"),
        1_000..=999_999 => format!("{:.1} kB", b / 1e3),
        1_000_000..=999_999_999 => format!("{:.1} MB", b / 1e6),
        _ => format!("{:.1} GB", b / 1e9),
    }
}

/// `8 s`, `3 min`, `1 h 5 min`.
fn seconds(s: f64) -> String {
    let s = s.ceil() as u64;
    match s {
        0..=89 => format!("{} s", s.max(1)),
        90..=5399 => format!("{} min", (s + 30) / 60),
        _ => format!("{} h {} min", s / 3600, s % 3600 / 60),
    }
}

/// What was read, in one sentence.
fn headline(r: &Report, screen: Screen, out: &mut String) {
    let s = &r.summary;
    let span = match (&s.first, &s.last) {
        (Some(first), Some(last)) => format!(", {}", span(first, last)),
        _ => String::new(),
    };
    let events = match s.events {
        0 => String::new(),
        n => format!("; {}", count(n, "error-log event", "error-log events")),
    };
    let text = format!(
        "{} of {} answered {} ({}){span}{events}. Times are UTC.",
        thousands(s.matched),
        count(s.requests, "request", "requests"),
        s.status,
        percent(s.matched, s.requests),
    );
    out.push_str(&wrap(&text, screen.width, "fiveohone: ", "  "));
    out.push('\n');
}

/// `first` → `last`, the date once when both are on the same day.
fn span(first: &str, last: &str) -> String {
    let (a, b) = (minute(first), minute(last));
    match (a.split_once(' '), b.split_once(' ')) {
        (Some((day, _)), Some((day2, time2))) if day == day2 => format!("{a} → {time2}"),
        _ => format!("{a} → {b}"),
    }
}

/// `2026-05-07T10:00:00Z` → `2026-05-07 10:00:00`.
fn second(t: &str) -> String {
    t.get(..19).unwrap_or(t).replace('T', " ")
}

/// Unix seconds → `2026-05-07 10:00`.
fn minute_of(secs: i64) -> String {
    minute(&rfc3339(secs))
}

/// `n` and the noun for it: `1 line`, `2 lines`, `1,024 lines`.
fn count(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// A heading, painted.
fn heading(screen: Screen, text: &str, out: &mut String) {
    let painted = screen.paint.tone(Tone::Heading, text);
    out.push_str(&wrap(&painted, screen.width, "", "  "));
}

/// Text from the logs, safe to print on one line: control characters
/// escaped, tabs too (a terminal would expand them past the layout).
fn safe(text: &str) -> Cow<'_, str> {
    match printable(text) {
        Cow::Borrowed(t) if !t.contains('\t') => Cow::Borrowed(t),
        t => Cow::Owned(t.replace('\t', "\\t")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_lines() {
        assert_eq!(
            progress_line(1_200_000_000, 10_000_000_000, 1.5),
            "reading 1.2 GB of 10.0 GB (12%), 800.0 MB/s, about 11 s left"
        );
        assert_eq!(progress_line(5_000, 0, 1.0), "reading 5.0 kB, 5.0 kB/s");
        assert_eq!(seconds(600.0), "10 min");
        assert_eq!(seconds(4000.0 * 2.0), "2 h 13 min");
    }

    #[test]
    fn numbers_and_plurals() {
        assert_eq!(count(1, "line", "lines"), "1 line");
        assert_eq!(count(1234, "line", "lines"), "1,234 lines");
        assert_eq!(percent(1, 3), "33.3%");
        assert_eq!(percent(1, 10_000), "<0.1%");
        assert_eq!(percent(1, 0), "-");
        assert_eq!(
            span("2026-05-07T06:00:14Z", "2026-05-07T11:59:55Z"),
            "2026-05-07 06:00 → 11:59"
        );
        assert_eq!(
            span("2026-05-07T06:00:14Z", "2026-05-08T01:00:00Z"),
            "2026-05-07 06:00 → 2026-05-08 01:00"
        );
    }
}
