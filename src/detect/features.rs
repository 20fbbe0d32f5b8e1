//! The features of a burst: what its matched requests were made of, set
//! against the traffic around them. Scenarios are scored on these.

use std::collections::BTreeMap;

use super::baseline::{Flags, Point};
use super::Deploy;
use crate::aggregate::breakdown::{Dim, MethodClass, WindowStats};
use crate::aggregate::{Aggregate, Counts};
use crate::device::{Device, DEVICES};
use crate::events::EventKind;

/// Windows before a burst that tell its usual traffic.
const TRAFFIC_BASELINE_WINDOWS: usize = 24;
/// How long before a burst a deploy still counts as its cause, seconds.
const DEPLOY_HORIZON: i64 = 24 * 3600;

/// What a burst is made of.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Start of the burst's first window, UTC seconds.
    pub start: i64,
    /// Feature values by name (a missing name is unknown).
    pub values: BTreeMap<&'static str, f64>,
    /// Matched requests per route, most first.
    pub routes: Vec<(String, u64)>,
    /// Matched requests per method.
    pub methods: Vec<(String, u64)>,
    /// Matched requests per client.
    pub clients: Vec<(String, u64)>,
    /// Matched requests per upstream.
    pub upstreams: Vec<(String, u64)>,
    /// Requests per upstream.
    pub upstream_requests: Vec<(String, u64)>,
    /// Matched and all requests per device group, most matched first.
    pub devices: Vec<(Device, Counts)>,
    /// The last deploy before the burst.
    pub deploy: Option<Deploy>,
    /// Requests per window in the burst and in the windows before it.
    pub traffic: (f64, Option<f64>),
    /// Error events of pressure kinds around the burst.
    pub pressure: Vec<(EventKind, u64)>,
    /// All error events around the burst, per kind.
    pub nearby: Vec<(EventKind, u64)>,
}

/// What features are computed from.
pub struct Context<'a> {
    /// The counters.
    pub agg: &'a Aggregate,
    /// Window length, seconds.
    pub window: i64,
    /// The series, sorted by start.
    pub points: &'a [Point],
    /// Its flags.
    pub flags: &'a Flags,
    /// Routes found to fail all along (left out of other bursts' routes).
    pub persistent: &'a [String],
    /// Deploy markers, sorted by time.
    pub deploys: &'a [Deploy],
    /// First and last window start of the data.
    pub span: (i64, i64),
}

/// The features of the burst covering windows `[from, to)` whose points
/// are `first..=last` in the series; `route` restricts it to one route (a
/// persistent burst).
pub fn facts(cx: &Context, from: i64, to: i64, first: usize, route: Option<&str>) -> Facts {
    let agg = cx.agg;
    let mut f = Facts {
        start: from,
        ..Facts::default()
    };
    let b = &agg.breakdown;

    // Routes, methods, clients, upstreams of the matched requests.
    let step = cx.window;
    f.routes = b.matched_in(Dim::Route, from, to);
    match route {
        Some(r) => f.routes.retain(|(x, _)| x == r),
        None => f.routes.retain(|(x, _)| !cx.persistent.contains(x)),
    }
    let matched: u64 = f.routes.iter().map(|(_, n)| n).sum();
    // Methods, clients and upstreams are counted apart from routes, so over
    // a persistent route's whole period they would mix in every other
    // burst: a persistent burst is described by its route alone.
    if route.is_none() {
        f.methods = b.matched_in(Dim::Method, from, to);
        f.clients = b.matched_in(Dim::Client, from, to);
        f.upstreams = b.matched_in(Dim::Upstream, from, to);
        f.upstream_requests = b.upstream_requests_in(from, to);
    }

    let share = |n: u64| {
        if matched == 0 {
            0.0
        } else {
            n as f64 / matched as f64
        }
    };
    let v = &mut f.values;
    v.insert("routes", f.routes.len() as f64);
    v.insert(
        "top_route_share",
        share(f.routes.first().map_or(0, |r| r.1)),
    );
    if let Some((top, _)) = f.routes.first() {
        let (m, r) = route_totals(agg, top);
        if r > 0 {
            v.insert("route_rate", m as f64 / r as f64);
        }
        if let Some(series) = b.matched_series(Dim::Route, top) {
            let (first_w, last_w) = series.span().unwrap_or((from, from));
            let span = (cx.span.1 - cx.span.0 + cx.window) as f64;
            v.insert("persistence", (last_w - first_w + cx.window) as f64 / span);
        }
    }
    v.insert("methods", f.methods.len() as f64);
    let unusual: u64 = f
        .methods
        .iter()
        .filter(|(m, _)| MethodClass::of(m.as_bytes()) == MethodClass::Unusual)
        .map(|(_, n)| n)
        .sum();
    let all_methods: u64 = f.methods.iter().map(|(_, n)| n).sum();
    if all_methods > 0 {
        v.insert("unusual_share", unusual as f64 / all_methods as f64);
    }
    let all_clients: u64 = f.clients.iter().map(|(_, n)| n).sum();
    if all_clients > 0 {
        v.insert(
            "top_client_share",
            f.clients[0].1 as f64 / all_clients as f64,
        );
    }

    // Per-window sums: traffic, devices.
    let mut stats = WindowStats::default();
    let mut windows = 0usize;
    for s in in_range(&agg.windows, from, to, step) {
        stats.merge(s);
        windows += 1;
    }
    let per_window = stats.counts.requests as f64 / windows.max(1) as f64;
    let before: Vec<u64> = cx.points[..first]
        .iter()
        .zip(&cx.flags.flagged)
        .rev()
        .filter(|(_, flagged)| !**flagged)
        .take(TRAFFIC_BASELINE_WINDOWS)
        .map(|(p, _)| p.requests)
        .collect();
    let usual = median(before);
    f.traffic = (per_window, usual);
    if let Some(u) = usual.filter(|u| *u > 0.0) {
        f.values.insert("traffic_ratio", per_window / u);
    }
    let rate = if stats.counts.requests > 0 {
        stats.counts.matched as f64 / stats.counts.requests as f64
    } else {
        0.0
    };
    f.values.insert("rate", rate);

    // Devices: the group with the most matched requests.
    let mut devices: Vec<(Device, Counts)> = Device::ALL
        .iter()
        .zip(stats.devices.iter())
        .map(|(d, c)| (*d, *c))
        .filter(|(_, c)| c.requests > 0)
        .collect();
    devices.sort_by(|a, b| {
        b.1.matched
            .cmp(&a.1.matched)
            .then(b.1.requests.cmp(&a.1.requests))
    });
    if let Some((_, top)) = devices
        .first()
        .filter(|(_, c)| c.matched > 0 && route.is_none())
    {
        let total = stats.counts;
        let (share, lift, others) = lift(top, &total);
        f.values.insert("device_share", share);
        f.values.insert("device_lift", lift);
        f.values.insert("others_rate", others);
    }
    if route.is_none() {
        f.devices = devices;
    }
    debug_assert!(f.devices.len() <= DEVICES);

    // Upstreams, when the format names them.
    if b.has_upstreams() {
        if let Some((top, m)) = f.upstreams.first() {
            let all_m: u64 = f.upstreams.iter().map(|(_, n)| n).sum();
            let all_r: u64 = f.upstream_requests.iter().map(|(_, n)| n).sum();
            let r = f
                .upstream_requests
                .iter()
                .find(|(u, _)| u == top)
                .map_or(0, |(_, n)| *n);
            let (share, lift, others) = lift(
                &Counts {
                    requests: r,
                    matched: *m,
                },
                &Counts {
                    requests: all_r,
                    matched: all_m,
                },
            );
            f.values.insert("upstream_share", share);
            f.values.insert("upstream_lift", lift);
            f.values.insert("upstream_others_rate", others);
        }
    }

    // Deploys and error events.
    f.deploy = cx
        .deploys
        .iter()
        .filter(|d| d.time < from + cx.window && d.time >= from - DEPLOY_HORIZON)
        .max_by_key(|d| d.time)
        .cloned();
    let gap = f
        .deploy
        .as_ref()
        .map_or(f64::INFINITY, |d| (from - d.time).max(0) as f64);
    f.values.insert("deploy_gap", gap);
    let mut nearby = [0u64; crate::events::KINDS];
    for counts in in_range(&agg.events.windows, from - step, to + step, step) {
        for (n, c) in nearby.iter_mut().zip(counts) {
            *n += c;
        }
    }
    let pressure_kinds = [
        EventKind::WorkerExhaustion,
        EventKind::UpstreamTimeout,
        EventKind::NoLiveUpstreams,
    ];
    if route.is_some() {
        nearby = [0; crate::events::KINDS];
    }
    f.nearby = EventKind::ALL
        .iter()
        .map(|k| (*k, nearby[*k as usize]))
        .filter(|(_, n)| *n > 0)
        .collect();
    f.pressure = f
        .nearby
        .iter()
        .filter(|(k, _)| pressure_kinds.contains(k))
        .copied()
        .collect();
    f.values
        .insert("pressure", f.pressure.iter().map(|(_, n)| *n as f64).sum());
    let _ = matched;
    f
}

/// The values of the windows in `[from, to)` (starts `step` apart): looked
/// up one by one when the range is shorter than the map, else by scanning
/// the map (a range can span centuries when one line has a wild time).
fn in_range<'m, V>(
    map: &'m rustc_hash::FxHashMap<i64, V>,
    from: i64,
    to: i64,
    step: i64,
) -> Box<dyn Iterator<Item = &'m V> + 'm> {
    let span = ((to - from) / step.max(1)).max(0) as usize;
    if span <= map.len() {
        Box::new((0..span as i64).filter_map(move |i| map.get(&(from + i * step))))
    } else {
        Box::new(
            map.iter()
                .filter(move |(w, _)| (from..to).contains(*w))
                .map(|(_, v)| v),
        )
    }
}

/// (share of the matched requests, lift over the share of requests, the
/// matched rate of everything else) of `part` within `total`.
fn lift(part: &Counts, total: &Counts) -> (f64, f64, f64) {
    let share = part.matched as f64 / total.matched.max(1) as f64;
    let traffic_share = part.requests as f64 / total.requests.max(1) as f64;
    let lift = if traffic_share > 0.0 {
        share / traffic_share
    } else {
        f64::INFINITY
    };
    let others_r = total.requests.saturating_sub(part.requests);
    let others_m = total.matched.saturating_sub(part.matched);
    let others = if others_r > 0 {
        others_m as f64 / others_r as f64
    } else {
        0.0
    };
    (share, lift, others)
}

/// Matched and all requests of a route over the whole period, any method.
pub fn route_totals(agg: &Aggregate, route: &str) -> (u64, u64) {
    agg.groups()
        .filter(|(_, r, _)| r == route)
        .fold((0, 0), |(m, r), (_, _, c)| (m + c.matched, r + c.requests))
}

fn median(mut v: Vec<u64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let mid = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[mid] as f64
    } else {
        (v[mid - 1] + v[mid]) as f64 / 2.0
    })
}
