//! `--html FILE`: one self-contained incident page (inline CSS and SVG, no
//! script, nothing fetched; it works offline and as an e-mail
//! attachment). The verdict first, the timeline chart with the bursts as
//! bands and reloads as markers, each burst with its evidence and its
//! segments' shares, then the groups, the error log and the input. Light
//! and dark as the reader's system prefers, legible at phone width.

mod svg;

use std::fmt::Write as _;

use super::Report;
use crate::detect::Burst;
use crate::numfmt::{percent, thousands};

const STYLE: &str = include_str!("style.css");

/// `text` safe inside HTML text and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Controls, and the bidirectional overrides and isolates that
            // would reorder what follows them.
            c if (c.is_control() && c != '\n' && c != '\t')
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c) =>
            {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// Writes the page to `path` under a temporary name, then renames it: a
/// reader (a browser reloading it) never sees half a page.
pub fn write(r: &Report, path: &std::path::Path) -> std::io::Result<()> {
    let name = path.file_name().map_or_else(
        || std::ffi::OsString::from("report.html"),
        |n| n.to_os_string(),
    );
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(&name);
    tmp_name.push(".tmp");
    let tmp = path.with_file_name(tmp_name);
    let context = |e: std::io::Error, p: &std::path::Path| {
        std::io::Error::new(e.kind(), format!("{}: {e}", p.display()))
    };
    std::fs::write(&tmp, render(r)).map_err(|e| context(e, &tmp))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        context(e, path)
    })
}

/// The whole page.
pub fn render(r: &Report) -> String {
    let mut page = String::with_capacity(64 << 10);
    let s = &r.summary;
    let title = match r.bursts.len() {
        0 => format!("fiveohone: no burst of {}", s.status),
        1 => format!("fiveohone: 1 burst of {}", s.status),
        n => format!("fiveohone: {n} bursts of {}", s.status),
    };
    let _ = write!(
        page,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <title>{}</title><style>{STYLE}</style></head><body>",
        esc(&title)
    );
    header(r, &title, &mut page);
    verdict(r, &mut page);
    timeline(r, &mut page);
    for (i, b) in r.bursts.iter().enumerate() {
        burst(i, b, &s.status, &mut page);
    }
    groups(r, &mut page);
    events(r, &mut page);
    input(r, &mut page);
    page.push_str("<p class=\"dim\">Written by fiveohone. Times are UTC.</p></body></html>\n");
    page
}

fn header(r: &Report, title: &str, page: &mut String) {
    let s = &r.summary;
    let _ = write!(
        page,
        "<h1>{}</h1><p class=\"dim\" id=\"summary\" data-requests=\"{}\" data-matched=\"{}\">{} of {} requests answered {} ({}), {} → {} UTC; {} error-log events.</p>",
        esc(title),
        s.requests,
        s.matched,
        thousands(s.matched),
        thousands(s.requests),
        esc(&s.status),
        percent(s.matched, s.requests),
        esc(&minute(s.first.as_deref())),
        esc(&minute(s.last.as_deref())),
        thousands(s.events)
    );
}

/// One card per burst: when, what, the evidence that matters, what next.
fn verdict(r: &Report, page: &mut String) {
    page.push_str("<h2>Verdict</h2>");
    let status = esc(&r.summary.status);
    if let Some(why) = super::text::nothing_read(r) {
        let _ = write!(page, "<p>Nothing to analyse. {}</p>", esc(&why));
        return;
    }
    if r.bursts.is_empty() {
        let text = match r.summary.matched {
            0 => format!("No request answered {status}."),
            1 => format!("No burst of {status}: one request answered {status}."),
            n => format!(
                "No burst of {status}: the {} {status}s are spread thin.",
                thousands(n)
            ),
        };
        let _ = write!(page, "<p>{text}</p>");
        return;
    }
    for (i, b) in r.bursts.iter().enumerate() {
        let main = b.evidence.get(1).or(b.evidence.first());
        let _ = write!(
            page,
            "<div class=\"card verdict\" data-burst=\"{n}\" data-label=\"{label}\" data-matched=\"{}\" data-requests=\"{}\">\
             <h3><span class=\"num\">#{n}</span>{} – {} <span class=\"label\">{label}</span> <span class=\"dim\">confidence {:.2}</span></h3>\
             <div>{} of {} requests answered {} ({}); the baseline expected {:.1}.</div><div>{}</div>\
             <div class=\"next\"><b>Next:</b> {}</div></div>",
            b.matched,
            b.requests,
            esc(&minute(Some(&b.start))),
            esc(&minute(Some(&b.end))),
            b.confidence,
            thousands(b.matched),
            thousands(b.requests),
            esc(&r.summary.status),
            percent(b.matched, b.requests),
            b.expected,
            esc(main.map_or("", String::as_str)),
            esc(&b.next),
            n = i + 1,
            label = esc(&b.scenario),
        );
    }
}

fn timeline(r: &Report, page: &mut String) {
    let chart = svg::timeline(r);
    if chart.is_empty() {
        return;
    }
    let _ = write!(
        page,
        "<h2>Timeline</h2><p class=\"legend dim\"><span><i style=\"background:var(--req)\"></i>requests per {} window</span>\
         <span><i style=\"background:var(--hit)\"></i>{}</span><span><i style=\"background:var(--band)\"></i>bursts</span>\
         <span><i style=\"background:var(--mark)\"></i>reloads, restarts, shutdowns</span>\
         <span><i style=\"background:var(--next)\"></i>deploys given</span></p>{chart}",
        duration(r.summary.window_secs),
        esc(&r.summary.status)
    );
}

/// A burst in full: evidence, segment shares, error events, next step.
fn burst(i: usize, b: &Burst, status: &str, page: &mut String) {
    let _ = write!(
        page,
        "<section class=\"burst\" data-burst=\"{}\"><h2>#{} {} – {}: <span class=\"label\">{}</span> ({:.2})</h2><ul>",
        i + 1,
        i + 1,
        esc(&minute(Some(&b.start))),
        esc(&minute(Some(&b.end))),
        esc(&b.scenario),
        b.confidence
    );
    for e in &b.evidence {
        let _ = write!(page, "<li>{}</li>", esc(e));
    }
    page.push_str("</ul>");
    for (name, items) in [
        ("device groups", &b.top.devices),
        ("upstreams", &b.top.upstreams),
        ("routes", &b.top.routes),
        ("methods", &b.top.methods),
    ] {
        page.push_str(&svg::shares(&format!("{status} by {name}"), items));
    }
    if !b.nearby_events.is_empty() {
        let list: Vec<String> = b
            .nearby_events
            .iter()
            .map(|e| format!("{} {}", thousands(e.count), esc(&e.name)))
            .collect();
        let _ = write!(page, "<p>Error log around it: {}.</p>", list.join(", "));
    }
    let _ = write!(
        page,
        "<p class=\"next\"><b>Next:</b> {}</p></section>",
        esc(&b.next)
    );
}

fn groups(r: &Report, page: &mut String) {
    if r.groups.is_empty() {
        return;
    }
    let s = &r.summary;
    let _ = write!(
        page,
        "<h2>{} by method and route</h2><div class=\"scroll\"><table><tr><th>method</th><th>route</th><th class=\"n\">{}</th><th class=\"n\">requests</th><th class=\"n\">rate</th><th class=\"n\">of all</th></tr>",
        esc(&s.status),
        esc(&s.status)
    );
    for g in r.groups.iter().take(50) {
        let _ = write!(
            page,
            "<tr><td>{}</td><td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&g.method),
            esc(&g.route),
            thousands(g.matched),
            thousands(g.requests),
            percent(g.matched, g.requests),
            percent(g.matched, s.matched)
        );
    }
    page.push_str("</table></div>");
    if r.groups.len() > 50 {
        let _ = write!(
            page,
            "<p class=\"dim\">… and {} more groups (the JSON has them all).</p>",
            thousands(r.groups.len() as u64 - 50)
        );
    }
}

fn events(r: &Report, page: &mut String) {
    if r.event_kinds.is_empty() {
        return;
    }
    page.push_str("<h2>Error-log events</h2><div class=\"scroll\"><table><tr><th>kind</th><th class=\"n\">events</th><th>first</th><th>last</th></tr>");
    for k in r.event_kinds.iter().filter(|k| k.count > 0) {
        let _ = write!(
            page,
            "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
            k.kind.name(),
            thousands(k.count),
            esc(&minute(k.first.as_deref())),
            esc(&minute(k.last.as_deref()))
        );
    }
    page.push_str("</table></div>");
    let lifecycle: Vec<_> = r.events.iter().filter(|e| e.kind.is_lifecycle()).collect();
    if !lifecycle.is_empty() {
        page.push_str("<h3>Reloads, restarts and shutdowns</h3><ul>");
        for e in lifecycle {
            let _ = write!(
                page,
                "<li>{} <b>{}</b> ({}, {}): <code>{}</code></li>",
                esc(&minute(Some(&e.time))),
                e.kind.name(),
                esc(e.server.as_deref().unwrap_or("-")),
                esc(e.file.as_deref().unwrap_or("-")),
                esc(&e.message)
            );
        }
        page.push_str("</ul>");
    }
}

fn input(r: &Report, page: &mut String) {
    let s = &r.summary;
    page.push_str("<h2>Input</h2><div class=\"scroll\"><table><tr><th>file</th><th>format</th><th class=\"n\">lines</th><th class=\"n\">malformed</th></tr>");
    for f in &s.files {
        let _ = write!(
            page,
            "<tr><td><code>{}</code></td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&f.path),
            esc(f.format.as_deref().unwrap_or("-")),
            thousands(f.lines),
            thousands(f.malformed)
        );
    }
    page.push_str("</table></div>");
    for e in &s.errors {
        let _ = write!(page, "<p>Unreadable: {}</p>", esc(e));
    }
}

/// `2026-05-07T10:00:00Z` → `2026-05-07 10:00`, `-` for none.
fn minute(t: Option<&str>) -> String {
    t.map_or_else(|| "-".into(), crate::numfmt::minute)
}

fn duration(secs: i64) -> String {
    match secs {
        s if s % 3600 == 0 => format!("{}-hour", s / 3600),
        s if s % 60 == 0 => format!("{}-minute", s / 60),
        s => format!("{s}-second"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            esc("<a href=\"x\">&'</a>\x1b"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;\\u{1b}"
        );
    }
}
