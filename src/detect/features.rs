//! The features of a burst: what its matched requests were made of, set
//! against the traffic around them. Scenarios are scored on these, and
//! [`REGISTRY`] lists every one with how it is computed; the scenario
//! parser accepts no other name.

use std::collections::BTreeMap;

use super::persistent::Pattern;
use super::series::{Grid, Segment};
use super::Deploy;
use crate::aggregate::breakdown::{Dim, MethodClass, WindowStats, OTHER};
use crate::aggregate::{Aggregate, Counts};
use crate::device::Device;
use crate::events::EventKind;

/// A feature scenarios can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Feature {
    /// Its name in `grammars/scenarios.conf`.
    pub name: &'static str,
    /// How it is computed (the README's table says the same).
    pub meaning: &'static str,
}

/// Every feature, in the README's order.
pub const REGISTRY: &[Feature] = &[
    Feature { name: "deploy_gap", meaning: "seconds from the last deploy marker in the 2 hours before the burst to its first window (0 inside it); infinite without one" },
    Feature { name: "rollback", meaning: "1 when a second deploy marker falls where the burst ends (a rollback), else 0" },
    Feature { name: "routes", meaning: "distinct routes among the matches" },
    Feature { name: "top_route_share", meaning: "the busiest route's share of the matches" },
    Feature { name: "route_rate", meaning: "the busiest route's match rate over the whole period" },
    Feature { name: "persistence", meaning: "the share of the period the busiest route's matches span" },
    Feature { name: "top_group_share", meaning: "the busiest method and route's share of the matches" },
    Feature { name: "group_rate", meaning: "the busiest method and route's match rate during the burst" },
    Feature { name: "same_route_others_rate", meaning: "the match rate of the other methods on that route during the burst" },
    Feature { name: "methods", meaning: "distinct methods among the matches" },
    Feature { name: "unusual_share", meaning: "the share of matches whose method web applications rarely implement, or with no HTTP request line at all" },
    Feature { name: "clients", meaning: "distinct client addresses among the matches" },
    Feature { name: "top_client_share", meaning: "the busiest client's share of the matches" },
    Feature { name: "failures_per_client", meaning: "matches per distinct client" },
    Feature { name: "traffic_ratio", meaning: "requests per window in the burst over the median of the 24 windows before it outside any burst" },
    Feature { name: "rate", meaning: "the burst's match rate" },
    Feature { name: "rate_ratio", meaning: "matches over what the baseline expected" },
    Feature { name: "device_share", meaning: "the device group with the most matches: its share of them" },
    Feature { name: "device_lift", meaning: "that share over the group's share of the requests" },
    Feature { name: "others_rate", meaning: "every other group's match rate" },
    Feature { name: "upstream_share", meaning: "the upstream with the most matches: its share of all matches (unknown without $upstream_addr)" },
    Feature { name: "upstream_lift", meaning: "that share over its share of all requests" },
    Feature { name: "upstream_others_rate", meaning: "the other upstreams' match rate" },
    Feature { name: "pressure", meaning: "worker exhaustion, upstream timeouts and no-live-upstream events in the error logs within a window of the burst" },
];

/// Whether `name` is a feature.
pub fn is_feature(name: &str) -> bool {
    REGISTRY.iter().any(|f| f.name == name)
}

/// Windows before a burst that tell its usual traffic.
const TRAFFIC_BASELINE_WINDOWS: usize = 24;
/// How long before a burst a deploy still counts as its cause, seconds.
pub const DEPLOY_HORIZON: i64 = 2 * 3600;

/// What a burst is made of.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Start of the burst's first window, UTC seconds.
    pub start: i64,
    /// End of its last window.
    pub end: i64,
    /// Feature values by name (a missing name is unknown).
    pub values: BTreeMap<&'static str, f64>,
    /// Matched requests per route, most first.
    pub routes: Vec<(String, u64)>,
    /// Matched requests per method and route, most first.
    pub groups: Vec<((String, String), u64)>,
    /// Matched requests per method.
    pub methods: Vec<(String, u64)>,
    /// Matched requests per client.
    pub clients: Vec<(String, u64)>,
    /// Matched requests per upstream.
    pub upstreams: Vec<(String, u64)>,
    /// Requests per upstream.
    pub upstream_requests: Vec<(String, u64)>,
    /// All matched and all requests in the burst's windows.
    pub totals: Counts,
    /// Matched and all requests per device group, most matched first.
    pub devices: Vec<(Device, Counts)>,
    /// The last deploy before the burst.
    pub deploy: Option<Deploy>,
    /// A deploy where the burst ends.
    pub rollback: Option<Deploy>,
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
    /// The detection grid.
    pub grid: &'a Grid,
    /// Grid windows inside some burst.
    pub busy: &'a [bool],
    /// Persistent patterns (left out of other bursts' matches).
    pub persistent: &'a [Pattern],
    /// Deploy markers, sorted by time.
    pub deploys: &'a [Deploy],
}

/// The windows a burst is described over.
#[derive(Debug, Clone, PartialEq)]
pub struct Scope {
    /// Disjoint `[from, to)` ranges of whole windows, in order.
    pub ranges: Vec<(i64, i64)>,
    /// Grid index of the burst's first window.
    pub first: usize,
    /// Matches over what the baseline expected.
    pub rate_ratio: f64,
}

/// The features of a burst over `scope`.
pub fn facts(cx: &Context, scope: &Scope) -> Facts {
    let (Some(&(start, _)), Some(&(_, end))) = (scope.ranges.first(), scope.ranges.last()) else {
        return Facts::default();
    };
    let mut f = Facts {
        start,
        end,
        ..Facts::default()
    };
    matched_parts(cx, scope, &mut f);
    shares(cx, &mut f);
    traffic(cx, scope, &mut f);
    groups(cx, scope, &mut f);
    upstreams(cx, &mut f);
    deploys_and_events(cx, &mut f);
    f.values.insert("rate_ratio", scope.rate_ratio);
    f
}

/// The features of persistent patterns on one route: the route and its
/// methods alone (devices, clients and upstreams are counted apart from
/// routes).
pub fn pattern_facts(same_route: &[&Pattern]) -> Facts {
    let Some(p) = same_route.first() else {
        return Facts::default();
    };
    let matched: u64 = same_route.iter().map(|p| p.matched).sum();
    let requests: u64 = same_route.iter().map(|p| p.requests).sum();
    let mut methods: Vec<(String, u64)> = same_route
        .iter()
        .map(|p| (p.method.clone(), p.matched))
        .collect();
    methods.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let unusual: u64 = methods
        .iter()
        .filter(|(m, _)| is_unusual(m))
        .map(|(_, n)| n)
        .sum();
    let mut f = Facts {
        start: same_route
            .iter()
            .map(|p| p.span.0)
            .min()
            .unwrap_or(p.span.0),
        end: same_route
            .iter()
            .map(|p| p.span.1)
            .max()
            .unwrap_or(p.span.1),
        routes: vec![(p.route.clone(), matched)],
        groups: vec![((p.method.clone(), p.route.clone()), p.matched)],
        totals: Counts { requests, matched },
        ..Facts::default()
    };
    let rate = matched as f64 / requests.max(1) as f64;
    let spread = same_route.iter().map(|p| p.spread).fold(0.0, f64::max);
    for (name, value) in [
        ("routes", 1.0),
        ("top_route_share", 1.0),
        ("top_group_share", p.matched as f64 / matched.max(1) as f64),
        ("route_rate", rate),
        ("group_rate", p.matched as f64 / p.requests.max(1) as f64),
        ("rate", rate),
        ("persistence", spread),
        ("methods", methods.len() as f64),
        ("unusual_share", unusual as f64 / matched.max(1) as f64),
        ("deploy_gap", f64::INFINITY),
        ("rollback", 0.0),
        ("pressure", 0.0),
    ] {
        f.values.insert(name, value);
    }
    f.methods = methods;
    f
}

/// Whether a method is one web applications rarely implement, or no
/// method at all (no request line, a TLS handshake, binary junk).
pub fn is_unusual(method: &str) -> bool {
    matches!(
        MethodClass::of(method.as_bytes()),
        MethodClass::Unusual | MethodClass::None
    )
}

/// Routes, methods, clients and upstreams of the matched requests,
/// persistent patterns' routes left out.
fn matched_parts(cx: &Context, scope: &Scope, f: &mut Facts) {
    let b = &cx.agg.breakdown;
    let r = &scope.ranges;
    f.routes = b.matched_over(Dim::Route, r);
    f.routes
        .retain(|(x, _)| !cx.persistent.iter().any(|p| &p.route == x));
    f.methods = b.matched_over(Dim::Method, r);
    f.clients = b.matched_over(Dim::Client, r);
    f.upstreams = b.matched_over(Dim::Upstream, r);
    f.upstream_requests = b.upstream_requests_over(r);
    let mut stats = WindowStats::default();
    for i in windows_over(cx.grid, r) {
        stats.merge(&cx.grid.stats[i]);
    }
    f.totals = stats.counts;
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
    f.devices = devices;
}

/// Shares of routes, methods, clients and device groups.
fn shares(cx: &Context, f: &mut Facts) {
    let matched: u64 = f.routes.iter().map(|(_, n)| n).sum();
    let share = |n: u64| n as f64 / matched.max(1) as f64;
    let v = &mut f.values;
    v.insert("routes", f.routes.len() as f64);
    v.insert(
        "top_route_share",
        share(f.routes.first().map_or(0, |r| r.1)),
    );
    if let Some((top, _)) = f.routes.first() {
        if let Some(series) = cx.agg.breakdown.matched_series(Dim::Route, top) {
            let (m, r) = route_totals(cx.agg, top);
            if r > 0 {
                v.insert("route_rate", m as f64 / r as f64);
            }
            let (a, z) = series.span().unwrap_or((f.start, f.start));
            let period = match (cx.grid.starts.first(), cx.grid.starts.last()) {
                (Some(a), Some(z)) => (z - a + cx.grid.window) as f64,
                _ => 1.0,
            };
            v.insert("persistence", (z - a + cx.grid.window) as f64 / period);
        }
    }
    v.insert("methods", f.methods.len() as f64);
    let all_methods: u64 = f.methods.iter().map(|(_, n)| n).sum();
    let unusual: u64 = f
        .methods
        .iter()
        .filter(|(m, _)| is_unusual(m))
        .map(|(_, n)| n)
        .sum();
    if all_methods > 0 {
        v.insert("unusual_share", unusual as f64 / all_methods as f64);
    }
    let named: Vec<&(String, u64)> = f.clients.iter().filter(|(c, _)| c != OTHER).collect();
    let all_clients: u64 = f.clients.iter().map(|(_, n)| n).sum();
    if all_clients > 0 {
        // Clients past the cap are many: counted as many, never as one.
        let capped = f.clients.iter().any(|(c, _)| c == OTHER);
        let distinct = named.len() as f64 + if capped { 1e6 } else { 0.0 };
        v.insert("clients", distinct);
        v.insert("failures_per_client", all_clients as f64 / distinct);
        let top = named.first().map_or(0, |c| c.1);
        v.insert("top_client_share", top as f64 / all_clients as f64);
    }
    let total = f.totals;
    if let Some((_, top)) = f.devices.first().filter(|(_, c)| c.matched > 0) {
        let (share, lift, others) = lift(top, &total);
        v.insert("device_share", share);
        v.insert("device_lift", lift);
        v.insert("others_rate", others);
    }
    let rate = total.matched as f64 / total.requests.max(1) as f64;
    v.insert("rate", rate);
}

/// Requests per window against the usual level before the burst.
fn traffic(cx: &Context, scope: &Scope, f: &mut Facts) {
    // A window still open counts for the share of it that has passed.
    let windows: f64 = windows_over(cx.grid, &scope.ranges)
        .map(|i| cx.grid.coverage[i])
        .sum();
    let requests = f.totals.requests as f64;
    let per_window = if windows > 0.0 {
        requests / windows
    } else {
        requests
    };
    let before: Vec<u64> = (0..scope.first.min(cx.grid.len()))
        .rev()
        .filter(|&i| !cx.busy.get(i).copied().unwrap_or(false))
        .take(TRAFFIC_BASELINE_WINDOWS)
        .map(|i| cx.grid.stats[i].counts.requests)
        .collect();
    let usual = median(before);
    f.traffic = (per_window, usual);
    if let Some(u) = usual.filter(|u| *u > 0.0) {
        f.values.insert("traffic_ratio", per_window / u);
    }
}

/// Method and route bytes.
type GroupKey = (Vec<u8>, Vec<u8>);

/// The busiest method and route: its share, its rate during the burst,
/// and the rate of the other methods on its route.
fn groups(cx: &Context, scope: &Scope, f: &mut Facts) {
    let mut by_group: BTreeMap<GroupKey, u64> = BTreeMap::new();
    for (cell, counts) in cx.agg.breakdown.cells() {
        let Some(cell) = cell else { continue };
        let key = Segment::group_key(cell.method, cell.route);
        if cx.persistent.iter().any(|p| p.key == key) {
            continue;
        }
        let n: u64 = scope.ranges.iter().map(|&(a, z)| counts.sum(a, z)).sum();
        if n > 0 {
            *by_group
                .entry((cell.method.to_vec(), cell.route.to_vec()))
                .or_default() += n;
        }
    }
    let mut groups: Vec<(GroupKey, u64)> = by_group.into_iter().collect();
    groups.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let all: u64 = groups.iter().map(|(_, n)| n).sum();
    let Some(((method, route), top)) = groups.first().cloned() else {
        return;
    };
    // A group's requests during the burst: its share of all requests
    // times the burst's requests (the counters keep group totals only).
    let totals = cx.agg.group_counts();
    let site: u64 = totals.values().map(|c| c.requests).sum();
    let in_burst = |key: &[u8]| {
        totals.get(key).map_or(0.0, |c| c.requests as f64) / site.max(1) as f64
            * f.totals.requests as f64
    };
    let requests = in_burst(&Segment::group_key(&method, &route));
    f.values
        .insert("top_group_share", top as f64 / all.max(1) as f64);
    if requests >= 1.0 {
        f.values
            .insert("group_rate", (top as f64 / requests).min(1.0));
    }
    let (mut others_m, mut others_r) = (0u64, 0.0);
    for ((m, r), n) in &groups {
        if r == &route && m != &method {
            others_m += n;
        }
    }
    for (key, _) in totals.iter() {
        if let Some(p) = memchr::memchr(0, key) {
            if key[p + 1..] == route[..] && key[..p] != method[..] {
                others_r += in_burst(key);
            }
        }
    }
    if others_r >= 1.0 {
        f.values
            .insert("same_route_others_rate", others_m as f64 / others_r);
    }
    f.groups = groups
        .into_iter()
        .map(|((m, r), n)| {
            let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
            ((text(&m), text(&r)), n)
        })
        .collect();
}

/// The upstream with the most matches, its share over all matches.
fn upstreams(cx: &Context, f: &mut Facts) {
    if !cx.agg.breakdown.has_upstreams() {
        return;
    }
    let Some((top, m)) = f.upstreams.iter().find(|(u, _)| u != OTHER).cloned() else {
        return;
    };
    let r = f
        .upstream_requests
        .iter()
        .find(|(u, _)| *u == top)
        .map_or(0, |(_, n)| *n);
    let (share, lift, _) = lift(
        &Counts {
            requests: r,
            matched: m,
        },
        &f.totals,
    );
    f.values.insert("upstream_share", share);
    f.values.insert("upstream_lift", lift);
    // The other upstreams: requests that went through one.
    let up_r: u64 = f.upstream_requests.iter().map(|(_, n)| n).sum();
    let up_m: u64 = f.upstreams.iter().map(|(_, n)| n).sum();
    let others_r = up_r.saturating_sub(r);
    let others_m = up_m.saturating_sub(m);
    f.values.insert(
        "upstream_others_rate",
        if others_r > 0 {
            others_m as f64 / others_r as f64
        } else {
            0.0
        },
    );
}

/// Deploy markers before and where the burst ends, and error events.
fn deploys_and_events(cx: &Context, f: &mut Facts) {
    let step = cx.grid.window;
    let (from, to) = (f.start, f.end);
    f.deploy = cx
        .deploys
        .iter()
        .filter(|d| d.time < from + step && d.time >= from - DEPLOY_HORIZON)
        .max_by_key(|d| d.time)
        .cloned();
    let gap = f
        .deploy
        .as_ref()
        .map_or(f64::INFINITY, |d| (from - d.time).max(0) as f64);
    f.values.insert("deploy_gap", gap);
    f.rollback = f.deploy.as_ref().and_then(|first| {
        cx.deploys
            .iter()
            .filter(|d| d.time > first.time + step && d.time >= to - step && d.time < to + step)
            .min_by_key(|d| d.time)
            .cloned()
    });
    f.values
        .insert("rollback", f64::from(u8::from(f.rollback.is_some())));
    let mut nearby = [0u64; crate::events::KINDS];
    for (w, counts) in cx.agg.events.windows.iter() {
        if (from - step..to + step).contains(w) {
            for (n, c) in nearby.iter_mut().zip(counts) {
                *n += c;
            }
        }
    }
    f.nearby = EventKind::ALL
        .iter()
        .map(|k| (*k, nearby[*k as usize]))
        .filter(|(_, n)| *n > 0)
        .collect();
    let pressure_kinds = [
        EventKind::WorkerExhaustion,
        EventKind::UpstreamTimeout,
        EventKind::NoLiveUpstreams,
    ];
    f.pressure = f
        .nearby
        .iter()
        .filter(|(k, _)| pressure_kinds.contains(k))
        .copied()
        .collect();
    f.values
        .insert("pressure", f.pressure.iter().map(|(_, n)| *n as f64).sum());
}

/// The positions of the grid windows inside `ranges`.
pub fn windows_over<'g>(
    grid: &'g Grid,
    ranges: &'g [(i64, i64)],
) -> impl Iterator<Item = usize> + 'g {
    ranges.iter().flat_map(move |&(a, z)| {
        let from = grid.starts.partition_point(|&w| w < a);
        let to = grid.starts.partition_point(|&w| w < z);
        from..to.max(from)
    })
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
