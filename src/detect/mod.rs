//! Bursts of matched requests and the known failure each one is.
//!
//! 1. [`persistent`] sets apart the method+route patterns that fail all
//!    along: steady sources (a monitor) are no incident, the others are
//!    bursts of their own.
//! 2. [`series`] counts every segment (the whole site, device groups,
//!    method classes, upstreams, methods on routes) on one grid, and
//!    [`scan`] finds the runs of windows where a segment fails more than
//!    its own baseline explains, scored over the whole run so faint,
//!    sustained failures add up.
//! 3. [`incidents`] groups the runs that are views of one incident, and
//!    splits a run that holds two.
//! 4. [`features`] describes each incident; [`scenario`] scores it against
//!    the known scenarios and the best fit labels it; [`evidence`] writes
//!    the sentences with the numbers behind the label and the next step.
//!
//! Works on the aggregates only, never on lines.

pub mod baseline;
pub mod evidence;
pub mod features;
pub mod incidents;
pub mod persistent;
pub mod scan;
pub mod scenario;
pub mod series;

use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

use crate::aggregate::Aggregate;
use crate::events::EventKind;
use crate::timefmt::rfc3339;
use features::{facts, Context, Facts, Scope};
use scenario::Scenario;
use series::Grid;
pub use series::Horizon;

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
    /// Fewest matched requests in a burst.
    pub min_burst: u64,
    /// Following: windows closed after a burst's last one before it is
    /// reported ended.
    pub gap: i64,
    /// Deploy markers given on the command line.
    pub deploys: Vec<Deploy>,
    /// The scenarios to label bursts with.
    pub scenarios: Vec<Scenario>,
    /// What the matched requests are called in sentences: `501s`,
    /// `responses with status 5xx`.
    pub noun: String,
    /// `--since`/`--until`: only bursts overlapping them are reported (the
    /// baseline is all the data read).
    pub range: (Option<i64>, Option<i64>),
}

impl Detection {
    /// Defaults with the built-in scenarios.
    pub fn new(scenarios: Vec<Scenario>) -> Detection {
        Detection {
            sensitivity: 5.0,
            min_burst: 10,
            gap: 2,
            deploys: Vec::new(),
            scenarios,
            noun: "501s".into(),
            range: (None, None),
        }
    }

    /// What makes a run a burst: the log-likelihood ratio it needs falls
    /// by 2 (a factor e^2 in its chance) for each step of sensitivity,
    /// from 24 at 1 to 6 at 10 (16 by default).
    pub fn params(&self) -> scan::Params {
        scan::Params {
            threshold: 6.0 + 2.0 * (10.0 - self.sensitivity.clamp(1.0, 10.0)),
            min_matched: self.min_burst as f64,
        }
    }
}

/// A share of a burst's matched requests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Share {
    /// Route, method, device group or upstream.
    pub name: String,
    /// Matched requests.
    pub matched: u64,
    /// Share of the burst's matched requests.
    pub share: f64,
    /// Share of the burst's requests, where it is known (device groups and
    /// upstreams): a segment that fails more than its share of traffic
    /// stands out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_share: Option<f64>,
}

/// A count of something.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Count {
    /// What.
    pub name: String,
    /// How many.
    pub count: u64,
}

/// The biggest contributors to a burst.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// Every feature computed for it (see the README), finite values only.
    pub features: std::collections::BTreeMap<String, f64>,
    /// Live mode: its last window is still open, so its counts are those so
    /// far, and per-window figures (the traffic level) are at the pace so
    /// far. Only present when true.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    /// Start and end, UTC seconds.
    #[serde(skip)]
    pub span: (i64, i64),
}

/// Bursts described in full (features, scenario); the rest of a run with
/// more keep their numbers and are `unclassified`.
pub const DESCRIBED: usize = 200;

/// A steady source: a method and route that fail at a flat count whatever
/// the traffic (an uptime monitor asking with a method the location does
/// not implement). Set apart from detection, and no incident.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Steady {
    /// Method.
    pub method: String,
    /// Normalised route.
    pub route: String,
    /// Matched requests.
    pub matched: u64,
    /// All its requests.
    pub requests: u64,
    /// Matched requests per window where it fails, on average.
    pub per_window: f64,
    /// First window with a failure, RFC 3339 UTC.
    pub start: String,
    /// End of the last one.
    pub end: String,
}

/// What detection says of a run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Verdict {
    /// The bursts, oldest first.
    pub bursts: Vec<Burst>,
    /// Steady sources, by route.
    pub steady: Vec<Steady>,
    /// The deploys given (`--deploy`, `--deploys`), which bursts are
    /// compared with beside the reloads and restarts of the error logs.
    pub deploys: Vec<Deploy>,
}

/// Finds and labels the bursts of a run, in the windows inside `horizon`
/// (all of them in a batch run; following, the closed windows, or those up
/// to the log's clock with the last one open).
pub fn detect(
    agg: &Aggregate,
    window: i64,
    det: &Detection,
    markers: &[Deploy],
    horizon: Horizon,
) -> Verdict {
    let grid = Grid::new(agg, window, horizon);
    if grid.is_empty() {
        return Verdict {
            deploys: det.deploys.clone(),
            ..Verdict::default()
        };
    }
    let found = Found::new(agg, &grid, det.params());
    let mut deploys: Vec<Deploy> = markers.iter().chain(&det.deploys).cloned().collect();
    deploys.sort_by_key(|d| d.time);
    let mut bursts = describe_incidents(agg, &grid, det, &found, &deploys);
    bursts.extend(describe_patterns(det, &found));
    let (since, until) = det.range;
    bursts.retain(|b| since.is_none_or(|s| b.span.1 > s) && until.is_none_or(|u| b.span.0 < u));
    bursts.sort_by_key(|b| b.span);
    let steady = found
        .patterns
        .iter()
        .filter(|p| p.steady)
        .map(|p| Steady {
            method: p.method.clone(),
            route: p.route.clone(),
            matched: p.matched,
            requests: p.requests,
            per_window: round(p.matched as f64 / p.windows.max(1) as f64),
            start: rfc3339(p.span.0),
            end: rfc3339(p.span.1),
        })
        .collect();
    Verdict {
        bursts,
        steady,
        deploys: det.deploys.clone(),
    }
}

/// What detection found, before it is described.
struct Found {
    /// Persistent patterns, steady or not.
    patterns: Vec<persistent::Pattern>,
    /// Every segment's series, the whole site first.
    series: Vec<series::Series>,
    /// The incidents of their runs.
    incidents: Vec<incidents::Incident>,
    /// The site's baseline rate.
    prior: f64,
}

impl Found {
    /// Sets persistent patterns apart, scans every segment and groups the
    /// runs into incidents.
    fn new(agg: &Aggregate, grid: &Grid, params: scan::Params) -> Found {
        let patterns = persistent::find(agg, grid);
        let hidden: FxHashSet<Vec<u8>> = patterns.iter().map(|p| p.key.clone()).collect();
        let series = series::build(agg, grid, &hidden);
        let site = scan::scan(&series[0], grid, None, &params);
        let prior = site.rate;
        let scans: Vec<scan::Scan> = std::iter::once(site)
            .chain(
                series[1..]
                    .iter()
                    .map(|s| scan::scan(s, grid, Some(prior), &params)),
            )
            .collect();
        let incidents = incidents::group(&incidents::Inputs {
            agg,
            grid,
            series: &series,
            scans: &scans,
            params,
        });
        Found {
            patterns,
            series,
            incidents,
            prior,
        }
    }
}

/// The bursts of the incidents; only the [`DESCRIBED`] largest get their
/// features (on a pathological input, thousands of bursts, the rest keep
/// their numbers).
fn describe_incidents(
    agg: &Aggregate,
    grid: &Grid,
    det: &Detection,
    found: &Found,
    deploys: &[Deploy],
) -> Vec<Burst> {
    let all = &found.incidents;
    let mut busy = vec![false; grid.len()];
    for i in all {
        busy[i.first..=i.last].iter_mut().for_each(|b| *b = true);
    }
    let cx = Context {
        agg,
        grid,
        busy: &busy,
        persistent: &found.patterns,
        deploys,
    };
    let mut by_size: Vec<usize> = (0..all.len()).collect();
    by_size.sort_by(|&a, &b| all[b].matched.total_cmp(&all[a].matched));
    let described: FxHashSet<usize> = by_size.into_iter().take(DESCRIBED).collect();
    let mut bursts = Vec::new();
    for (n, incident) in all.iter().enumerate() {
        let s = &found.series[incident.series];
        let (first, last) = (incident.first, incident.last);
        // Estimated requests (a route's share of the site's) are no count
        // to print: those bursts give the requests of their windows.
        let counted = if s.estimated { &found.series[0] } else { s };
        let requests: f64 = counted.requests[first..=last].iter().sum();
        let numbers = Numbers {
            segment: evidence::segment_name(&s.segment),
            span: grid.span(first, last),
            matched: incident.matched.round() as u64,
            requests: requests.round() as u64,
            expected: incident.expected,
            partial: grid.open() && last + 1 == grid.len(),
        };
        let f = if described.contains(&n) {
            let scope = Scope {
                ranges: scope_ranges(grid, all, n),
                first,
                rate_ratio: incident.matched / incident.expected.max(1e-9),
            };
            facts(&cx, &scope)
        } else {
            Facts::default()
        };
        bursts.push(label(det, &f, &numbers));
    }
    bursts
}

/// One burst per route whose persistent patterns are not steady sources.
fn describe_patterns(det: &Detection, found: &Found) -> Vec<Burst> {
    let failing: Vec<&persistent::Pattern> = found.patterns.iter().filter(|p| !p.steady).collect();
    failing
        .chunk_by(|a, b| a.route == b.route)
        .map(|same_route| {
            let f = features::pattern_facts(same_route);
            let numbers = Numbers {
                segment: same_route.first().map(|p| p.route.clone()),
                span: (f.start, f.end),
                matched: f.totals.matched,
                requests: f.totals.requests,
                expected: found.prior * f.totals.requests as f64,
                partial: false,
            };
            label(det, &f, &numbers)
        })
        .collect()
}

/// The windows incident `n` is described over: its span, less the spans
/// of shorter incidents inside it (a spike within a device failure is
/// described apart, and does not blur the failure's features).
fn scope_ranges(grid: &Grid, found: &[incidents::Incident], n: usize) -> Vec<(i64, i64)> {
    let me = &found[n];
    let mut ranges = vec![grid.span(me.first, me.last)];
    for (k, other) in found.iter().enumerate() {
        let shorter = other.last - other.first < me.last - me.first;
        if k == n || !shorter || other.last < me.first || other.first > me.last {
            continue;
        }
        let (a, z) = grid.span(other.first, other.last);
        ranges = ranges
            .into_iter()
            .flat_map(|(x, y)| [(x, y.min(a)), (x.max(z), y)])
            .filter(|(x, y)| x < y)
            .collect();
    }
    ranges
}

/// The numbers of a burst, before it is labelled.
struct Numbers {
    /// The segment it was found in (`None`: the whole site).
    segment: Option<String>,
    span: (i64, i64),
    matched: u64,
    requests: u64,
    expected: f64,
    /// Whether its last window is still open.
    partial: bool,
}

/// Labels a burst with the best-fitting scenario and writes its evidence.
fn label(det: &Detection, f: &Facts, n: &Numbers) -> Burst {
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
    let noun = det.noun.as_str();
    let mut evidence = vec![evidence::headline(
        noun,
        n.segment.as_deref(),
        n.matched,
        n.requests,
        n.expected,
        n.span,
    )];
    let mut say = |sentence: Option<String>| {
        if let Some(s) = sentence {
            if !evidence.contains(&s) {
                evidence.push(s);
            }
        }
    };
    let (scenario, confidence, next) = match &best {
        Some((s, fit)) if fit.confidence >= 0.5 => {
            for c in &fit.held {
                say(evidence::sentence(&c.feature, c.op, f, noun));
            }
            // News whatever the scenario looked for.
            for feature in evidence::NOTABLE {
                say(evidence::sentence(feature, scenario::Op::AtLeast, f, noun));
            }
            (
                s.name.clone(),
                fit.confidence,
                evidence::fill(&s.next, f, noun),
            )
        }
        _ => {
            for feature in evidence::UNCLASSIFIED {
                say(evidence::sentence(feature, scenario::Op::AtLeast, f, noun));
            }
            (
                "unclassified".to_string(),
                best.as_ref().map_or(0.0, |(_, fit)| fit.confidence),
                format!("Look at the top routes and clients of the burst and the error log around its start: no known scenario fits these {noun}"),
            )
        }
    };
    if n.partial {
        evidence.push(evidence::PARTIAL.to_string());
    }
    Burst {
        start: rfc3339(n.span.0),
        end: rfc3339(n.span.1),
        matched: n.matched,
        requests: n.requests,
        expected: round(n.expected),
        scenario,
        confidence: round(confidence),
        evidence,
        next,
        top: top(f),
        nearby_events: f
            .nearby
            .iter()
            .filter(|(k, _)| !k.is_lifecycle())
            .map(|(k, n)| Count {
                name: k.name().to_string(),
                count: *n,
            })
            .collect(),
        features: f
            .values
            .iter()
            .filter(|(_, v)| v.is_finite())
            .map(|(k, v)| (k.to_string(), round(*v)))
            .collect(),
        partial: n.partial,
        span: n.span,
    }
}

/// The top routes, methods, device groups and upstreams, each as a share
/// of all the burst's matches.
fn top(f: &Facts) -> Top {
    let all: u64 = f.routes.iter().map(|(_, n)| n).sum::<u64>().max(1);
    let requests = f.totals.requests.max(1) as f64;
    let shares = |items: &[(String, u64)], of: &dyn Fn(&str) -> Option<u64>| -> Vec<Share> {
        items
            .iter()
            .take(5)
            .map(|(name, n)| Share {
                name: name.clone(),
                matched: *n,
                share: round(*n as f64 / all as f64),
                request_share: of(name).map(|r| round(r as f64 / requests)),
            })
            .collect()
    };
    let devices: Vec<(String, u64)> = f
        .devices
        .iter()
        .filter(|(_, c)| c.matched > 0)
        .map(|(d, c)| (d.name().to_string(), c.matched))
        .collect();
    let device_requests = |name: &str| {
        f.devices
            .iter()
            .find(|(d, _)| d.name() == name)
            .map(|(_, c)| c.requests)
    };
    let upstream_requests = |name: &str| {
        f.upstream_requests
            .iter()
            .find(|(u, _)| u == name)
            .map(|(_, n)| *n)
    };
    let unknown = |_: &str| None;
    Top {
        routes: shares(&f.routes, &unknown),
        methods: shares(&f.methods, &unknown),
        devices: shares(&devices, &device_requests),
        upstreams: shares(&f.upstreams, &upstream_requests),
    }
}

fn round(x: f64) -> f64 {
    if x.is_finite() {
        (x * 1000.0).round() / 1000.0
    } else {
        x
    }
}

/// Deploy markers from the error logs: every reload and restart, inside
/// `--since`/`--until` or not.
pub fn markers(agg: &Aggregate, names: &dyn Fn(usize) -> String) -> Vec<Deploy> {
    agg.events
        .lifecycle()
        .into_iter()
        .chain(agg.outside_events.lifecycle())
        .filter(|l| matches!(l.kind, EventKind::Reload | EventKind::Restart))
        .map(|l| Deploy {
            time: l.time,
            what: format!("{} ({}, {})", l.kind.name(), l.server.name(), names(l.file)),
        })
        .collect()
}
