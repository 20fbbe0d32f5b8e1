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
pub use wrap::{width, wrap};

use std::borrow::Cow;
use std::io::IsTerminal;

use super::terminal::printable;
use super::Report;
use crate::numfmt::thousands;
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

/// `2026-05-07T10:00:00Z` → `2026-05-07 10:00`.
fn minute(t: &str) -> String {
    t.get(..16).unwrap_or(t).replace('T', " ")
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

/// A heading, painted.
fn heading(screen: Screen, text: &str, out: &mut String) {
    out.push_str(&screen.paint.tone(Tone::Heading, text));
    out.push('\n');
}

/// Text from the logs, safe to print.
fn safe(text: &str) -> Cow<'_, str> {
    printable(text)
}

#[cfg(test)]
mod tests {
    use super::*;

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
