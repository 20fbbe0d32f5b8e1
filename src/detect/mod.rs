//! Bursts of matched requests and the known failure each one is.
//!
//! 1. Routes that fail all along (most of their requests matched, over most
//!    of the period) are found first and kept out of the series, so they do
//!    not hide other bursts; each becomes a burst of its own.
//! 2. [`baseline`] flags the windows with more matches than their traffic
//!    explains; flagged windows less than `gap` windows apart merge into a
//!    burst.
//! 3. [`features`] describes each burst; [`scenario`] scores it against the
//!    known scenarios, and the best fit labels it, with evidence sentences
//!    and the next thing to check.
//!
//! Works on the aggregates only, never on lines.

pub mod baseline;
pub mod features;
pub mod scenario;

use serde::Serialize;

use crate::aggregate::breakdown::MethodClass;
use crate::aggregate::Aggregate;
use crate::events::EventKind;
use crate::report::table::thousands;
use crate::timefmt::rfc3339;
use baseline::{flag, Point};
use features::{facts, route_totals, Context, Facts};
use scenario::Scenario;

/// A deploy marker: a reload or restart from an error log, or a time given
/// with `--deploy`/`--deploys`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deploy {
    /// UTC seconds.
    #[serde(skip)]
    pub time: i64,
    /// What it was: `reload (nginx, error.log)`, `--deploy`.
    pub what: String,
}

/// How bursts are found.
#[derive(Debug, Clone)]
pub struct Detection {
    /// 1 (only the starkest bursts) to 10 (the faintest); 5 by default.
    pub sensitivity: f64,
    /// Fewest matched requests in a flagged window.
    pub min_count: u64,
    /// Flagged windows at most this many windows apart are one burst.
    pub gap: i64,
    /// Fewest matched requests in a burst.
    pub min_burst: u64,
    /// Deploy markers given on the command line.
    pub deploys: Vec<Deploy>,
    /// The scenarios to label bursts with.
    pub scenarios: Vec<Scenario>,
}

impl Detection {
    /// Defaults with the built-in scenarios.
    pub fn new(scenarios: Vec<Scenario>) -> Detection {
        Detection {
            sensitivity: 5.0,
            min_count: 5,
            gap: 2,
            min_burst: 10,
            deploys: Vec::new(),
            scenarios,
        }
    }

    /// The Poisson tail probability under which a window is flagged:
    /// 10^-(11 - sensitivity), so 1e-6 by default.
    pub fn alpha(&self) -> f64 {
        10f64.powf(-(11.0 - self.sensitivity.clamp(1.0, 10.0)))
    }
}

/// A share of a burst's matched requests.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Share {
    /// Route, method, device group or upstream.
    pub name: String,
    /// Matched requests.
    pub matched: u64,
    /// Share of the burst's matched requests.
    pub share: f64,
}

/// A count of something.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Count {
    /// What.
    pub name: String,
    /// How many.
    pub count: u64,
}

/// The biggest contributors to a burst.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Top {
    /// Routes.
    pub routes: Vec<Share>,
    /// Methods.
    pub methods: Vec<Share>,
    /// Device groups.
    pub devices: Vec<Share>,
    /// Upstreams.
    pub upstreams: Vec<Share>,
}

/// A burst and what it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Burst {
    /// First window start, RFC 3339 UTC.
    pub start: String,
    /// End of the last window.
    pub end: String,
    /// Matched requests.
    pub matched: u64,
    /// All requests in its windows.
    pub requests: u64,
    /// Matched requests the baseline expected.
    pub expected: f64,
    /// Scenario label, or `unclassified`.
    pub scenario: String,
    /// Confidence in the label, 0..1.
    pub confidence: f64,
    /// Why: sentences with the numbers behind the label.
    pub evidence: Vec<String>,
    /// What to check next.
    pub next: String,
    /// Top contributors.
    pub top: Top,
    /// Error-log events around it, per kind (reloads aside).
    pub nearby_events: Vec<Count>,
    /// Start and end, UTC seconds.
    #[serde(skip)]
    pub span: (i64, i64),
}

/// Bursts described in full (features, scenario); the rest of a run with
/// more keep their numbers and are `unclassified`.
pub const DESCRIBED: usize = 200;

/// Routes that fail most of their requests over most of the period; if
/// more than a few qualify it is a general failure, not a route's.
fn persistent_routes(agg: &Aggregate, window: i64, span: (i64, i64)) -> Vec<String> {
    let mut totals: rustc_hash::FxHashMap<String, (u64, u64)> = Default::default();
    for (_, route, c) in agg.groups() {
        // The routes past the cap together are no one route.
        if route == crate::aggregate::breakdown::OTHER {
            continue;
        }
        let t = totals.entry(route).or_default();
        t.0 += c.matched;
        t.1 += c.requests;
    }
    let length = (span.1 - span.0 + window) as f64;
    let mut out: Vec<String> = totals
        .into_iter()
        .filter(|(_, (m, r))| *r >= 20 && *m as f64 >= 0.8 * *r as f64)
        .filter(|(route, _)| {
            agg.breakdown
                .matched_series(crate::aggregate::breakdown::Dim::Route, route)
                .is_some_and(|s| {
                    let (first, last) = s.span().unwrap_or((0, 0));
                    s.len() >= 6 && (last - first + window) as f64 >= 0.5 * length
                })
        })
        .map(|(route, _)| route)
        .collect();
    out.sort();
    if out.len() > 3 {
        out.clear();
    }
    out
}

/// Finds and labels the bursts of a run, in the windows before `until`
/// (all of them with `None`; following, the windows still open are left
/// out).
pub fn detect(
    agg: &Aggregate,
    window: i64,
    det: &Detection,
    markers: &[Deploy],
    until: Option<i64>,
) -> Vec<Burst> {
    let mut starts: Vec<i64> = agg
        .windows
        .keys()
        .copied()
        .filter(|w| until.is_none_or(|u| *w < u))
        .collect();
    starts.sort_unstable();
    let (Some(&first), Some(&last)) = (starts.first(), starts.last()) else {
        return Vec::new();
    };
    let span = (first, last);
    let persistent = persistent_routes(agg, window, span);
    let points: Vec<Point> = starts
        .iter()
        .filter_map(|w| {
            let s = agg.windows.get(w)?;
            let hidden: u64 = persistent
                .iter()
                .filter_map(|r| {
                    agg.breakdown
                        .matched_series(crate::aggregate::breakdown::Dim::Route, r)
                })
                .filter_map(|series| series.get(*w))
                .sum();
            Some(Point {
                start: *w,
                requests: s.counts.requests,
                matched: s.counts.matched.saturating_sub(hidden),
            })
        })
        .filter(|p| p.requests > 0)
        .collect();
    let flags = flag(&points, det.alpha(), det.min_count);
    let mut deploys: Vec<Deploy> = markers.iter().chain(&det.deploys).cloned().collect();
    deploys.sort_by_key(|d| d.time);
    let cx = Context {
        agg,
        window,
        points: &points,
        flags: &flags,
        persistent: &persistent,
        deploys: &deploys,
        span,
    };

    // Runs of flagged windows, merged across short gaps.
    let mut runs = Vec::new();
    let mut i = 0;
    while i < points.len() {
        if !flags.flagged[i] {
            i += 1;
            continue;
        }
        let begin = i;
        let mut end = i;
        let mut j = i + 1;
        while j < points.len() && points[j].start - points[end].start <= (det.gap + 1) * window {
            if flags.flagged[j] {
                end = j;
            }
            j += 1;
        }
        let matched: u64 = points[begin..=end].iter().map(|p| p.matched).sum();
        if matched >= det.min_burst {
            runs.push((begin, end, matched));
        }
        i = end + 1;
    }
    // Only the largest are described in full: on a pathological input
    // (thousands of bursts) the rest keep their numbers.
    let mut by_size: Vec<usize> = (0..runs.len()).collect();
    by_size.sort_by_key(|&r| std::cmp::Reverse(runs[r].2));
    let described: std::collections::HashSet<usize> = by_size.into_iter().take(DESCRIBED).collect();
    let mut bursts = Vec::new();
    for (r, &(begin, end, matched)) in runs.iter().enumerate() {
        let requests: u64 = points[begin..=end].iter().map(|p| p.requests).sum();
        let expected: f64 = flags.expected[begin..=end].iter().sum();
        let from = points[begin].start;
        let to = points[end].start + window;
        let f = if described.contains(&r) {
            facts(&cx, from, to, begin, None)
        } else {
            Facts::default()
        };
        bursts.push(label(
            det,
            &f,
            (from, to),
            matched,
            requests,
            expected,
            window,
        ));
    }
    for route in &persistent {
        let Some(series) = agg
            .breakdown
            .matched_series(crate::aggregate::breakdown::Dim::Route, route)
        else {
            continue;
        };
        let (from, last) = series.span().unwrap_or((first, first));
        let to = last + window;
        let (matched, requests) = route_totals(agg, route);
        let begin = points.partition_point(|p| p.start < from);
        let f = facts(&cx, from, to, begin, Some(route));
        let expected = flags.clean_rate * requests as f64;
        bursts.push(label(
            det,
            &f,
            (from, to),
            matched,
            requests,
            expected,
            window,
        ));
    }
    bursts.sort_by_key(|b| b.span);
    bursts
}

/// Labels a burst with the best-fitting scenario and writes its evidence.
fn label(
    det: &Detection,
    f: &Facts,
    span: (i64, i64),
    matched: u64,
    requests: u64,
    expected: f64,
    window: i64,
) -> Burst {
    let mut best: Option<(&Scenario, scenario::Fit)> = None;
    for s in &det.scenarios {
        let fit = scenario::score(s, &f.values);
        if best
            .as_ref()
            .is_none_or(|(_, b)| fit.confidence > b.confidence)
        {
            best = Some((s, fit));
        }
    }
    let total_matched: u64 = f.routes.iter().map(|(_, n)| n).sum::<u64>().max(1);
    let shares = |items: &[(String, u64)], total: u64| -> Vec<Share> {
        items
            .iter()
            .take(5)
            .map(|(name, n)| Share {
                name: name.clone(),
                matched: *n,
                share: round(*n as f64 / total.max(1) as f64),
            })
            .collect()
    };
    let devices: Vec<(String, u64)> = f
        .devices
        .iter()
        .filter(|(_, c)| c.matched > 0)
        .map(|(d, c)| (d.name().to_string(), c.matched))
        .collect();
    let top = Top {
        routes: shares(&f.routes, total_matched),
        methods: shares(&f.methods, f.methods.iter().map(|(_, n)| n).sum()),
        devices: shares(&devices, devices.iter().map(|(_, n)| n).sum()),
        upstreams: shares(&f.upstreams, f.upstreams.iter().map(|(_, n)| n).sum()),
    };
    let mut evidence = vec![headline(matched, requests, expected, span, window)];
    let (scenario, confidence, next) = match &best {
        Some((s, fit)) if fit.confidence >= 0.5 => {
            for c in &fit.held {
                if let Some(sentence) = sentence(&c.feature, c.op, f) {
                    if !evidence.contains(&sentence) {
                        evidence.push(sentence);
                    }
                }
            }
            (s.name.clone(), fit.confidence, fill(&s.next, f, span.0))
        }
        _ => {
            for feature in [
                "traffic_ratio",
                "routes",
                "device_share",
                "upstream_share",
                "unusual_share",
                "deploy_gap",
            ] {
                if let Some(sentence) = sentence(feature, scenario::Op::AtLeast, f) {
                    evidence.push(sentence);
                }
            }
            (
                "unclassified".to_string(),
                best.as_ref().map_or(0.0, |(_, fit)| 1.0 - fit.confidence),
                "Look at the top routes and clients of the burst and the error log around its start".to_string(),
            )
        }
    };
    Burst {
        start: rfc3339(span.0),
        end: rfc3339(span.1),
        matched,
        requests,
        expected: round(expected),
        scenario,
        confidence: round(confidence),
        evidence,
        next,
        top,
        nearby_events: f
            .nearby
            .iter()
            .filter(|(k, _)| !k.is_lifecycle())
            .map(|(k, n)| Count {
                name: k.name().to_string(),
                count: *n,
            })
            .collect(),
        span,
    }
}

fn round(x: f64) -> f64 {
    if x.is_finite() {
        (x * 1000.0).round() / 1000.0
    } else {
        x
    }
}

fn percent(x: f64) -> String {
    if x > 0.0 && x < 0.001 {
        "<0.1%".into()
    } else {
        format!("{:.1}%", x * 100.0)
    }
}

/// `45 min`, `2 h`, `3 h 20 min` (to the nearest minute).
fn minutes(secs: i64) -> String {
    let m = (secs + 30) / 60;
    match (m / 60, m % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

fn headline(matched: u64, requests: u64, expected: f64, span: (i64, i64), window: i64) -> String {
    let _ = window;
    format!(
        "{} matched requests in {} ({} of {} requests) where the baseline expected {:.1}",
        thousands(matched),
        minutes(span.1 - span.0),
        percent(matched as f64 / requests.max(1) as f64),
        thousands(requests),
        expected
    )
}

/// The sentence that states a feature with its numbers; `op` says whether
/// the scenario looked for a high value or a low one.
fn sentence(feature: &str, op: scenario::Op, f: &Facts) -> Option<String> {
    let low = op == scenario::Op::AtMost;
    let v = |name: &str| f.values.get(name).copied();
    Some(match feature {
        "deploy_gap" => {
            let d = f.deploy.as_ref()?;
            let gap = v("deploy_gap")?;
            let at = rfc3339(d.time);
            let at = at.get(11..19).unwrap_or_default();
            if d.time >= f.start {
                format!("{} at {at} UTC, within the burst's first window", d.what)
            } else {
                format!(
                    "{} at {at} UTC, {} before the burst's first window",
                    d.what,
                    if gap < 60.0 {
                        "less than a minute".to_string()
                    } else {
                        minutes(gap as i64)
                    }
                )
            }
        }
        "routes" | "top_route_share" => {
            let (top, n) = f.routes.first()?;
            let share =
                percent(*n as f64 / f.routes.iter().map(|(_, n)| n).sum::<u64>().max(1) as f64);
            if f.routes.len() == 1 {
                format!("every failure was on {top}")
            } else {
                format!(
                    "{} routes failed; the most, {top}, has {share} of the failures",
                    f.routes.len()
                )
            }
        }
        "route_rate" | "persistence" => {
            let (top, _) = f.routes.first()?;
            format!(
                "{top} answered {} of its requests with the status over the whole period, across {} of the time covered",
                percent(v("route_rate")?),
                percent(v("persistence")?.min(1.0))
            )
        }
        "methods" | "unusual_share" => {
            let all: u64 = f.methods.iter().map(|(_, n)| n).sum();
            let list = |unusual: bool| -> Vec<String> {
                f.methods
                    .iter()
                    .filter(|(m, _)| {
                        (MethodClass::of(m.as_bytes()) == MethodClass::Unusual) == unusual
                    })
                    .take(5)
                    .map(|(m, n)| format!("{m} {}", percent(*n as f64 / all.max(1) as f64)))
                    .collect()
            };
            if low {
                format!(
                    "the failures used ordinary methods ({})",
                    list(false).join(", ")
                )
            } else {
                format!(
                    "{} of the failures used methods web applications rarely implement ({})",
                    percent(v("unusual_share")?),
                    list(true).join(", ")
                )
            }
        }
        "top_client_share" | "clients" => {
            let (client, n) = f.clients.first()?;
            let all: u64 = f.clients.iter().map(|(_, n)| n).sum();
            format!(
                "{client} sent {} of them",
                percent(*n as f64 / all.max(1) as f64)
            )
        }
        "traffic_ratio" => {
            let (now, usual) = (f.traffic.0, f.traffic.1?);
            format!(
                "traffic was {:.1}x its usual level ({:.0} requests per window against {:.0} before)",
                v("traffic_ratio")?,
                now,
                usual
            )
        }
        "device_share" | "device_lift" | "others_rate" => {
            let (d, c) = f.devices.first()?;
            let all_r: u64 = f.devices.iter().map(|(_, c)| c.requests).sum();
            let traffic = percent(c.requests as f64 / all_r.max(1) as f64);
            // A low share or lift: nobody stands out. (A low rate of the
            // others is what makes one group stand out.)
            if low && feature != "others_rate" {
                format!(
                    "all kinds of clients failed: the most, {}, sent {} of the failures and {traffic} of the requests",
                    d.name(),
                    percent(v("device_share")?)
                )
            } else {
                format!(
                    "{} sent {} of the failures but {traffic} of the requests; every other client failed {} of the time",
                    d.name(),
                    percent(v("device_share")?),
                    percent(v("others_rate")?)
                )
            }
        }
        "upstream_share" | "upstream_lift" | "upstream_others_rate" => {
            let (u, _) = f.upstreams.first()?;
            let r = f
                .upstream_requests
                .iter()
                .find(|(x, _)| x == u)
                .map_or(0, |(_, n)| *n);
            let all_r: u64 = f.upstream_requests.iter().map(|(_, n)| n).sum();
            let traffic = percent(r as f64 / all_r.max(1) as f64);
            if low && feature != "upstream_others_rate" {
                format!(
                    "every upstream failed alike: the most, {u}, answered {} of the failures and {traffic} of the requests",
                    percent(v("upstream_share")?)
                )
            } else {
                format!(
                    "upstream {u} answered {} of the failures but {traffic} of the requests; the other upstreams failed {} of the time",
                    percent(v("upstream_share")?),
                    percent(v("upstream_others_rate")?)
                )
            }
        }
        "pressure" => {
            if f.pressure.is_empty() {
                return None;
            }
            let parts: Vec<String> = f
                .pressure
                .iter()
                .map(|(k, n)| format!("{n} {}", k.name()))
                .collect();
            format!(
                "the error log reports {} around the burst",
                parts.join(", ")
            )
        }
        "rate" | "rate_ratio" => return None,
        _ => return None,
    })
}

/// Fills a scenario's `next` text with the names of the burst starting at
/// `from`.
fn fill(template: &str, f: &Facts, from: i64) -> String {
    let first = |items: &[(String, u64)]| items.first().map_or("-".to_string(), |(n, _)| n.clone());
    let methods: Vec<&str> = f
        .methods
        .iter()
        .filter(|(m, _)| {
            crate::aggregate::breakdown::MethodClass::of(m.as_bytes())
                == crate::aggregate::breakdown::MethodClass::Unusual
        })
        .take(5)
        .map(|(m, _)| m.as_str())
        .collect();
    template
        .replace("{route}", &first(&f.routes))
        .replace("{routes}", &f.routes.len().to_string())
        .replace("{device}", f.devices.first().map_or("-", |(d, _)| d.name()))
        .replace("{upstream}", &first(&f.upstreams))
        .replace(
            "{deploy}",
            &f.deploy.as_ref().map_or_else(
                || {
                    format!(
                        "the last change deployed before {} UTC (no reload in the error logs and no --deploy: check the deploy history)",
                        short(from)
                    )
                },
                |d| format!("the change deployed at {} UTC ({})", short(d.time), d.what),
            ),
        )
        .replace("{methods}", &methods.join(", "))
        .replace("{client}", &first(&f.clients))
}

/// `2026-05-07 10:00:00`.
fn short(t: i64) -> String {
    rfc3339(t)
        .replace('T', " ")
        .trim_end_matches('Z')
        .to_string()
}

/// Deploy markers from the error logs: every reload and restart.
pub fn markers(agg: &Aggregate, names: &dyn Fn(usize) -> String) -> Vec<Deploy> {
    agg.events
        .lifecycle()
        .into_iter()
        .filter(|l| matches!(l.kind, EventKind::Reload | EventKind::Restart))
        .map(|l| Deploy {
            time: l.time,
            what: format!("{} ({}, {})", l.kind.name(), l.server.name(), names(l.file)),
        })
        .collect()
}
