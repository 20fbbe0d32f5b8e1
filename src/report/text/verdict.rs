//! The verdict (each burst in a few lines: when, what, the evidence that
//! matters, what to check next), each burst in detail, and a recap at the
//! end, where a terminal leaves the reader.

use std::fmt::Write as _;

use super::{heading, minute_of, percent, safe, wrap, Screen, Tone};
use crate::detect::{Burst, Share};
use crate::numfmt::thousands;
use crate::report::Report;

/// Bursts in the verdict at most; the rest are in the details.
const VERDICT_BURSTS: usize = 5;

/// `09:00–09:15` on one day, else both dates.
fn when(b: &Burst) -> String {
    let (start, end) = (minute_of(b.span.0), minute_of(b.span.1));
    match (start.split_once(' '), end.split_once(' ')) {
        (Some((d1, _)), Some((d2, t2))) if d1 == d2 => format!("{start}–{t2}"),
        _ => format!("{start} – {end}"),
    }
}

/// The sentence of evidence that says most: the one after the counts.
fn main_evidence(b: &Burst) -> &str {
    b.evidence
        .get(1)
        .or(b.evidence.first())
        .map_or("", String::as_str)
}

/// The bursts shown in the verdict: the busiest few, in time order.
fn shown(r: &Report) -> Vec<(usize, &Burst)> {
    let mut shown: Vec<(usize, &Burst)> = r.bursts.iter().enumerate().collect();
    shown.sort_by(|a, b| b.1.matched.cmp(&a.1.matched).then(a.0.cmp(&b.0)));
    shown.truncate(VERDICT_BURSTS);
    shown.sort_by_key(|(i, _)| *i);
    shown
}

/// `#1  2026-05-07 09:00–09:15  post_deploy (1.00)`, painted.
fn title(screen: Screen, i: usize, b: &Burst) -> String {
    let p = screen.paint;
    format!(
        "{} {} {} ({:.2})",
        p.tone(Tone::Burst, &format!("#{}", i + 1)),
        when(b),
        p.tone(Tone::Label, &safe(&b.scenario)),
        b.confidence
    )
}

/// The verdict block.
pub fn verdict(r: &Report, screen: Screen, out: &mut String) {
    let status = &r.summary.status;
    if let Some(why) = nothing_read(r) {
        heading(screen, "Verdict: nothing to analyse", out);
        out.push_str(&wrap(&safe(&why), screen.width, "  ", "  "));
        out.push('\n');
        return;
    }
    if r.bursts.is_empty() {
        let text = match r.summary.matched {
            0 => format!("No request answered {status}."),
            1 => format!(
                "No burst of {status}: one request answered {status} (the groups and the \
                 timeline below show where)."
            ),
            n => format!(
                "No burst of {status}: the {} {status}s are spread thin (the groups and the \
                 timeline below show where).",
                thousands(n)
            ),
        };
        heading(screen, "Verdict", out);
        out.push_str(&wrap(&text, screen.width, "  ", "  "));
        out.push('\n');
        return;
    }
    let n = r.bursts.len();
    heading(
        screen,
        &format!(
            "Verdict: {} of {status}",
            if n == 1 {
                "1 burst".into()
            } else {
                format!("{} bursts", thousands(n as u64))
            }
        ),
        out,
    );
    let w = screen.width;
    for (i, b) in shown(r) {
        out.push_str(&wrap(&title(screen, i, b), w, "  ", "      "));
        let counts = format!(
            "{} of {} requests answered {status} ({}); the baseline expected {:.1}",
            thousands(b.matched),
            thousands(b.requests),
            percent(b.matched, b.requests),
            b.expected
        );
        out.push_str(&wrap(&counts, w, "      ", "      "));
        out.push_str(&wrap(&safe(main_evidence(b)), w, "      ", "      "));
        let next = screen.paint.tone(Tone::Next, "next:");
        out.push_str(&wrap(
            &format!("{next} {}", safe(&b.next)),
            w,
            "      ",
            "        ",
        ));
    }
    if n > VERDICT_BURSTS {
        let more = format!(
            "… and {} smaller bursts, in the details below.",
            thousands((n - VERDICT_BURSTS) as u64)
        );
        out.push_str(&wrap(&more, w, "  ", "  "));
    }
    out.push('\n');
}

/// Each burst in full: every sentence of evidence, the top contributors,
/// the error log around it, the next step.
pub fn details(r: &Report, screen: Screen, out: &mut String) {
    let w = screen.width;
    for (i, b) in r.bursts.iter().enumerate() {
        out.push_str(&wrap(&title(screen, i, b), w, "", "    "));
        for e in &b.evidence {
            out.push_str(&wrap(&safe(e), w, "  - ", "    "));
        }
        for (name, items) in [
            ("routes", &b.top.routes),
            ("methods", &b.top.methods),
            ("devices", &b.top.devices),
            ("upstreams", &b.top.upstreams),
        ] {
            if !items.is_empty() {
                let line = format!("{name}: {}", shares(items));
                out.push_str(&wrap(&safe(&line), w, "  ", "    "));
            }
        }
        if !b.nearby_events.is_empty() {
            let events: Vec<String> = b
                .nearby_events
                .iter()
                .map(|e| format!("{} {}", thousands(e.count), e.name))
                .collect();
            let line = format!("error log around it: {}", events.join(", "));
            out.push_str(&wrap(&safe(&line), w, "  ", "    "));
        }
        let next = screen.paint.tone(Tone::Next, "next:");
        out.push_str(&wrap(&format!("{next} {}", safe(&b.next)), w, "  ", "    "));
        out.push('\n');
    }
}

fn shares(items: &[Share]) -> String {
    let mut s = String::new();
    for (k, item) in items.iter().enumerate() {
        let sep = if k > 0 { ", " } else { "" };
        let _ = write!(s, "{sep}{} {:.0}%", item.name, item.share * 100.0);
    }
    s
}

/// The verdict again in one line per burst, last on the screen.
pub fn recap(r: &Report, screen: Screen, out: &mut String) {
    let status = &r.summary.status;
    let text = match r.bursts.len() {
        _ if nothing_read(r).is_some() => "nothing to analyse.".to_string(),
        0 => format!("No burst of {status}."),
        _ => {
            let parts: Vec<String> = shown(r)
                .into_iter()
                .map(|(i, b)| title(screen, i, b))
                .collect();
            let more = match r.bursts.len().saturating_sub(parts.len()) {
                0 => String::new(),
                n => format!(" and {} more", thousands(n as u64)),
            };
            format!("{}{more}; the verdict is at the top.", parts.join("; "))
        }
    };
    out.push_str(&wrap(&text, screen.width, "In short: ", "  "));
}

/// Why a run counted no request and no error-log event, if it did not.
pub fn nothing_read(r: &Report) -> Option<String> {
    let s = &r.summary;
    if s.requests > 0 || s.events > 0 || s.parsed > 0 {
        return None;
    }
    if s.files.is_empty() {
        return Some(
            "No log file was found in the paths given (the notes on stderr say why).".into(),
        );
    }
    if s.lines == 0 {
        return Some(
            if s.files.len() == 1 {
                "The file holds no lines."
            } else {
                "The files hold no lines."
            }
            .into(),
        );
    }
    let mut why = vec![match s.lines {
        1 => "The one line fits no format.".to_string(),
        n => format!("None of the {} lines fits its format.", thousands(n)),
    }];
    for f in s.files.iter().filter(|f| f.lines > 0) {
        let format = f.format.as_deref().unwrap_or("no format");
        let sample = s.malformed_samples.iter().find(|m| m.file == f.path);
        why.push(match sample {
            Some(m) => format!(
                "{}: read as {format}; line {}: {}.",
                f.path, m.line, m.reason
            ),
            None => format!("{}: read as {format}.", f.path),
        });
    }
    why.push("Give the server's log_format/LogFormat with --log-format, or its config with --nginx-conf/--apache-conf.".into());
    Some(why.join(" "))
}
