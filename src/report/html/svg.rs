//! Charts drawn as inline SVG: the timeline of requests and matches with
//! the bursts as bands and reloads as markers, and the shares of a burst's
//! segments.

use std::fmt::Write as _;

use super::esc;
use crate::detect::Share;
use crate::report::Report;
use crate::timefmt::rfc3339;

const W: f64 = 1000.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 12.0;

/// The timeline: requests per window above, matches below, on one time
/// axis; each burst a band with its number; reloads, restarts and
/// shutdowns dashed lines.
pub fn timeline(r: &Report) -> String {
    let s = &r.summary;
    let (Some(first), Some(last)) = (r.windows.first(), r.windows.last()) else {
        return String::new();
    };
    let (t0, t1) = (first.start_secs, last.start_secs + s.window_secs);
    let span = (t1 - t0).max(1) as f64;
    let x = |t: i64| LEFT + (t - t0) as f64 / span * (W - LEFT - RIGHT);
    let bar_w = ((W - LEFT - RIGHT) * s.window_secs as f64 / span).max(0.8);
    let (req_top, req_h, hit_top, hit_h, height) = (18.0, 90.0, 138.0, 110.0, 276.0);
    let peak = |count: fn(&crate::report::WindowRow) -> u64| {
        r.windows.iter().map(count).max().unwrap_or(0).max(1) as f64
    };
    let (max_req, max_hit) = (peak(|w| w.requests), peak(|w| w.matched));
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg viewBox="0 0 {W} {height}" role="img" aria-label="requests and {status} over time" class="timeline">"#,
        status = esc(&s.status)
    );
    for (i, b) in r.bursts.iter().enumerate() {
        let (a, z) = (x(b.span.0), x(b.span.1));
        let _ = write!(
            svg,
            r#"<rect class="band" data-burst="{n}" x="{a:.1}" y="{req_top}" width="{w:.1}" height="{h:.1}"/><text x="{a:.1}" y="12">#{n}</text>"#,
            n = i + 1,
            w = (z - a).max(2.0),
            h = hit_top + hit_h - req_top
        );
    }
    for w in &r.windows {
        let px = x(w.start_secs);
        let rh = w.requests as f64 / max_req * req_h;
        let mh = w.matched as f64 / max_hit * hit_h;
        let _ = write!(
            svg,
            r#"<rect class="req" x="{px:.1}" y="{:.1}" width="{bar_w:.1}" height="{rh:.1}"/>"#,
            req_top + req_h - rh
        );
        if w.matched > 0 {
            let _ = write!(
                svg,
                r#"<rect class="hit" x="{px:.1}" y="{:.1}" width="{bar_w:.1}" height="{mh:.1}"><title>{} {}: {} of {}</title></rect>"#,
                hit_top + hit_h - mh,
                esc(&w.start),
                esc(&s.status),
                w.matched,
                w.requests
            );
        }
    }
    for e in r.events.iter().filter(|e| e.kind.is_lifecycle()) {
        if e.time_secs < t0 || e.time_secs > t1 {
            continue;
        }
        let px = x(e.time_secs);
        let _ = write!(
            svg,
            r#"<line class="mark" x1="{px:.1}" x2="{px:.1}" y1="{req_top}" y2="{:.1}"><title>{} {}</title></line>"#,
            hit_top + hit_h,
            e.kind.name(),
            esc(&e.time)
        );
    }
    for d in r
        .deploys
        .iter()
        .filter(|d| (t0..=t1).contains(&d.time_secs))
    {
        let px = x(d.time_secs);
        let _ = write!(
            svg,
            r#"<line class="deploy" x1="{px:.1}" x2="{px:.1}" y1="{req_top}" y2="{:.1}"><title>deploy {} ({})</title></line>"#,
            hit_top + hit_h,
            esc(&d.time),
            esc(&d.what)
        );
    }
    axes(
        &mut svg,
        (t0, t1),
        &x,
        (req_top, req_h, max_req),
        (hit_top, hit_h, max_hit),
    );
    let _ = write!(
        svg,
        r#"<text x="{LEFT}" y="{:.1}">requests</text><text x="{LEFT}" y="{:.1}">{}</text>"#,
        req_top - 4.0 + 14.0,
        hit_top + 10.0,
        esc(&s.status)
    );
    svg.push_str("</svg>");
    svg
}

/// The y scales' top values and the time ticks.
fn axes(
    svg: &mut String,
    (t0, t1): (i64, i64),
    x: &dyn Fn(i64) -> f64,
    (req_top, req_h, max_req): (f64, f64, f64),
    (hit_top, hit_h, max_hit): (f64, f64, f64),
) {
    for (top, h, max) in [(req_top, req_h, max_req), (hit_top, hit_h, max_hit)] {
        let _ = write!(
            svg,
            r#"<line class="axis" x1="{LEFT}" x2="{:.1}" y1="{:.1}" y2="{:.1}"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text><text x="{:.1}" y="{:.1}" text-anchor="end">0</text>"#,
            W - RIGHT,
            top + h,
            top + h,
            LEFT - 6.0,
            top + 10.0,
            crate::numfmt::thousands(max as u64),
            LEFT - 6.0,
            top + h
        );
    }
    let step = tick_step(t1 - t0);
    let multi_day = (t1 - t0) > 86_400;
    let mut t = (t0 + step - 1).div_euclid(step) * step;
    while t <= t1 {
        let stamp = rfc3339(t);
        let label = if multi_day {
            stamp.get(5..16).unwrap_or(&stamp).replace('T', " ")
        } else {
            stamp.get(11..16).unwrap_or(&stamp).to_string()
        };
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            x(t),
            hit_top + hit_h + 16.0,
            esc(&label)
        );
        t += step;
    }
}

/// A round tick spacing that gives about six ticks over `span` seconds.
fn tick_step(span: i64) -> i64 {
    [
        300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800,
    ]
    .into_iter()
    .find(|&s| span / s <= 8)
    .unwrap_or_else(|| (span / 8 / 86_400 + 1) * 86_400)
}

/// A burst's segments: each one's share of the matched requests, and of
/// all requests where it is known, side by side.
pub fn shares(title: &str, items: &[Share]) -> String {
    if items.is_empty() {
        return String::new();
    }
    let row_h = 34.0;
    let height = 22.0 + row_h * items.len() as f64;
    let (label_w, bar_max) = (250.0, W - 250.0 - 80.0);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg viewBox="0 0 {W} {height}" role="img" aria-label="{t}" class="shares"><text x="0" y="14">{t}</text>"#,
        t = esc(title)
    );
    for (k, item) in items.iter().enumerate() {
        let y = 22.0 + row_h * k as f64;
        let name: String = item.name.chars().take(38).collect();
        let _ = write!(
            svg,
            r#"<text x="0" y="{:.1}">{}</text><rect class="share-hit" x="{label_w}" y="{y:.1}" width="{:.1}" height="12"/><text x="{:.1}" y="{:.1}">{:.1}% of failures</text>"#,
            y + 16.0,
            esc(&name),
            item.share * bar_max,
            label_w + item.share * bar_max + 6.0,
            y + 10.0,
            item.share * 100.0
        );
        if let Some(req) = item.request_share {
            let _ = write!(
                svg,
                r#"<rect class="share-req" x="{label_w}" y="{:.1}" width="{:.1}" height="12"/><text x="{:.1}" y="{:.1}">{:.1}% of requests</text>"#,
                y + 14.0,
                req * bar_max,
                label_w + req * bar_max + 6.0,
                y + 24.0,
                req * 100.0
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round() {
        assert_eq!(tick_step(6 * 3600), 3600);
        assert_eq!(tick_step(2 * 86_400), 21_600);
        assert_eq!(tick_step(400 * 86_400) % 86_400, 0);
    }
}
