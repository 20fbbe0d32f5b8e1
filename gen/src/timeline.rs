//! The resolved timeline: every scenario with its parameters drawn, the
//! scanners and their requests, the reloads and the windows where no stray
//! 501 may fall. The access log and the error log share it.

use crate::clock::rfc3339;
use crate::config::{ScenarioKind, ScenarioSpec, SynthConfig, SynthFormat};
use crate::incidents;
use crate::rng::{pick_distinct, splitmix64, Rng};
use crate::routes::Route;
use crate::vocab::{
    CUSTOM_VERBS, DAV_METHODS, MISCONFIG_ROUTES, SCANNER_NETS, SCANNER_UAS, SCAN_DAV_PATHS,
    UA_DALVIK, UA_IOS_APP, UA_IOS_CFNETWORK, UA_IOS_IPAD, UA_IPAD_SAFARI, UA_OKHTTP,
};
use std::io;

/// A device group of [`ScenarioKind::DeviceSpecific`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Group {
    Ios,
    Android,
    /// Safari on an iPad (not the app), [`ScenarioKind::NightDevice`] only.
    IpadSafari,
}

impl Group {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Group::Ios => "ios app",
            Group::Android => "android app",
            Group::IpadSafari => "ipad safari",
        }
    }

    /// The group whose app sends user agent `ua` ([`USER_AGENTS`](crate::vocab::USER_AGENTS) index).
    pub(crate) fn of_ua(ua: usize) -> Option<Group> {
        match ua {
            UA_IOS_APP | UA_IOS_CFNETWORK | UA_IOS_IPAD => Some(Group::Ios),
            UA_OKHTTP | UA_DALVIK => Some(Group::Android),
            UA_IPAD_SAFARI => Some(Group::IpadSafari),
            _ => None,
        }
    }
}

/// A scenario with every parameter drawn.
pub(crate) struct Scenario {
    pub(crate) kind: ScenarioKind,
    pub(crate) start: i64,
    pub(crate) end: i64,
    /// Probability, per million requests it applies to, of a 501.
    pub(crate) rate_ppm: u32,
    /// Traffic multiplier times ten (traffic_spike).
    pub(crate) mult_x10: u64,
    /// Share of browser and script requests sent to the route, per million
    /// (route_misconfig).
    pub(crate) share_ppm: u32,
    pub(crate) group: Group,
    /// Last octet of the failing node `10.0.1.N:8080` (upstream_node).
    pub(crate) node: u64,
    pub(crate) route: &'static str,
    /// The reload before the window (post_deploy).
    pub(crate) reload: Option<i64>,
    pub(crate) detail: String,
    /// Only these routes fail (post_deploy, upstream_node; empty: the
    /// kind's usual ones).
    pub(crate) routes: Vec<Route>,
    /// From this second on, the rate is this (a cold start's tail).
    pub(crate) tail: Option<(i64, u32)>,
    /// What a partial rollout's node lacks (upstream_node).
    pub(crate) rollout: Option<incidents::Rollout>,
}

impl Scenario {
    pub(crate) fn new(kind: ScenarioKind, start: i64, end: i64) -> Self {
        Scenario {
            kind,
            start,
            end,
            rate_ppm: 0,
            mult_x10: 10,
            share_ppm: 0,
            group: Group::Ios,
            node: 0,
            route: "",
            reload: None,
            detail: String::new(),
            routes: Vec::new(),
            tail: None,
            rollout: None,
        }
    }
}

/// One request of an unsupported-method scanner.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ScanRequest {
    pub(crate) ts: i64,
    pub(crate) scenario: usize,
    pub(crate) scanner: usize,
    pub(crate) method: &'static str,
    pub(crate) path: &'static str,
}

/// A client of the timeline's own (a scanner, a prober, a monitor).
pub(crate) struct Scanner {
    pub(crate) ip: String,
    pub(crate) ua: &'static str,
}

/// Everything the access and error logs of one configuration share: the
/// scenarios with their parameters, the scanners' requests, the reloads and
/// the windows where no stray 501 may fall.
pub(crate) struct Timeline {
    pub(crate) scenarios: Vec<Scenario>,
    /// In time order.
    pub(crate) scans: Vec<ScanRequest>,
    pub(crate) scanners: Vec<Scanner>,
    /// Every reload of the error log, UTC, in time order.
    pub(crate) reloads: Vec<i64>,
    /// No stray 501 in these `[from, to)` windows.
    pub(crate) quiet: Vec<(i64, i64)>,
    /// Upstream nodes: `10.0.1.11` to `10.0.1.(10 + nodes)`.
    pub(crate) nodes: u64,
    /// Lines written besides the traffic (probes, monitors, a background
    /// scanner), in time order; their clients are in `scanners`.
    pub(crate) extras: Vec<incidents::ExtraLine>,
}

/// Reloads of one post-deploy scenario closer than this to an earlier one
/// share it (one reload sequence in the error log).
pub(crate) const RELOAD_MERGE_SECS: i64 = 60;
/// A benign reload keeps at least this far from scenarios and bursts.
const BENIGN_MARGIN_SECS: i64 = 2 * 3600;

/// The seed of a scenario's own PRNG: the configuration's seed, the kind and
/// the window, so that scenarios do not depend on each other.
pub(crate) fn scenario_seed(seed: u64, spec: &ScenarioSpec) -> u64 {
    let mut st = (spec.kind as u64 + 1).wrapping_mul(0xA076_1D64_78BD_642F)
        ^ (spec.start as u64).rotate_left(17)
        ^ (spec.duration_secs as u64).rotate_left(41);
    seed ^ splitmix64(&mut st)
}

impl Timeline {
    pub(crate) fn new(cfg: &SynthConfig) -> io::Result<Timeline> {
        let span_start = cfg.start;
        let span_end = cfg.start.saturating_add(cfg.duration_secs.max(1));
        let invalid = |msg: String| io::Error::new(io::ErrorKind::InvalidInput, msg);
        incidents::check_env(cfg)?;
        let mut windows = Vec::with_capacity(cfg.scenarios.len());
        for spec in &cfg.scenarios {
            let kind = spec.kind;
            match kind {
                _ if kind.needs_upstream() && cfg.format != SynthFormat::NginxUpstream => {
                    return Err(invalid(format!(
                        "scenario {kind} needs the nginx-upstream format (the only one that \
                         writes the upstream node), not {}",
                        cfg.format
                    )));
                }
                ScenarioKind::DeviceSpecific
                | ScenarioKind::NightDevice
                | ScenarioKind::SpikeInDevice
                    if cfg.format == SynthFormat::ApacheCommon =>
                {
                    return Err(invalid(format!(
                        "scenario {kind} needs a format that writes the user agent, not {}",
                        cfg.format
                    )));
                }
                _ => {}
            }
            let window = if kind.covers_whole_span() {
                (span_start, span_end)
            } else if kind.at_span_start() {
                if spec.duration_secs <= 0 {
                    return Err(invalid(format!(
                        "scenario {kind}: the duration must be positive"
                    )));
                }
                (
                    span_start,
                    span_start.saturating_add(spec.duration_secs).min(span_end),
                )
            } else {
                if spec.duration_secs <= 0 {
                    return Err(invalid(format!(
                        "scenario {kind} at {}: the duration must be positive",
                        rfc3339(spec.start)
                    )));
                }
                let from = spec.start.max(span_start);
                let to = spec.start.saturating_add(spec.duration_secs).min(span_end);
                if from >= to {
                    return Err(invalid(format!(
                        "scenario {kind} at {}: its window lies outside the span {} – {}",
                        rfc3339(spec.start),
                        rfc3339(span_start),
                        rfc3339(span_end)
                    )));
                }
                (from, to)
            };
            windows.push((spec, window));
        }
        windows.sort_by_key(|&(spec, (from, _))| (from, spec.kind));

        let mut tl = Timeline {
            scenarios: Vec::with_capacity(windows.len()),
            scans: Vec::new(),
            scanners: Vec::new(),
            reloads: Vec::new(),
            quiet: Vec::new(),
            nodes: incidents::pool_size(cfg, &windows),
            extras: Vec::new(),
        };
        for &(spec, (start, end)) in &windows {
            let index = tl.scenarios.len();
            let mut rng = Rng::new(scenario_seed(cfg.seed, spec));
            if ScenarioKind::INCIDENTS.contains(&spec.kind) {
                incidents::resolve(&mut tl, cfg, spec.kind, start, end, &mut rng);
                continue;
            }
            let mut sc = Scenario::new(spec.kind, start, end);
            match spec.kind {
                ScenarioKind::PostDeploy => {
                    let mut reload = start - rng.range(60, 180) as i64;
                    if let Some(&r) = tl
                        .reloads
                        .iter()
                        .find(|&&r| (r - reload).abs() < RELOAD_MERGE_SECS)
                    {
                        reload = r;
                    } else {
                        tl.reloads.push(reload);
                    }
                    sc.reload = Some(reload);
                    sc.rate_ppm = rng.range(300_000, 600_000) as u32;
                    sc.detail = format!(
                        "reload at {}, {}% of app requests",
                        rfc3339(reload),
                        (sc.rate_ppm + 5_000) / 10_000
                    );
                }
                ScenarioKind::DeviceSpecific => {
                    sc.group = if rng.below(3) < 2 {
                        Group::Ios
                    } else {
                        Group::Android
                    };
                    sc.rate_ppm = rng.range(820_000, 880_000) as u32;
                    sc.detail = sc.group.name().to_owned();
                }
                ScenarioKind::TrafficSpike => {
                    sc.mult_x10 = rng.range(30, 50);
                    sc.rate_ppm = rng.range(100_000, 200_000) as u32;
                    sc.detail = format!(
                        "x{}.{} traffic, {}% of requests",
                        sc.mult_x10 / 10,
                        sc.mult_x10 % 10,
                        (sc.rate_ppm + 5_000) / 10_000
                    );
                }
                ScenarioKind::UnsupportedMethod => {
                    sc.rate_ppm = 1_000_000;
                    let first = tl.scanners.len();
                    let count = rng.range(1, 3) as usize;
                    while tl.scanners.len() < first + count {
                        let ip = scanner_ip(&mut rng);
                        if tl.scanners[first..].iter().all(|s| s.ip != ip) {
                            let ua = *rng.pick(&SCANNER_UAS);
                            tl.scanners.push(Scanner { ip, ua });
                        }
                    }
                    let n_methods = rng.range(2, 3) as usize;
                    let mut methods = pick_distinct(&mut rng, &DAV_METHODS, n_methods);
                    methods.push(*rng.pick(&CUSTOM_VERBS));
                    let n_paths = rng.range(2, 4) as usize;
                    let paths = pick_distinct(&mut rng, &SCAN_DAV_PATHS, n_paths);
                    let n = rng.range(150, 400);
                    let len = (end - start) as u64;
                    let first_scan = tl.scans.len();
                    for _ in 0..n {
                        let method = *rng.pick(&methods);
                        let path = *rng.pick(&paths);
                        tl.scans.push(ScanRequest {
                            ts: start + rng.below(len) as i64,
                            scenario: index,
                            scanner: first + rng.below(count as u64) as usize,
                            method,
                            path: if method == "TRACE" { "/" } else { path },
                        });
                    }
                    tl.scans[first_scan..].sort_by_key(|s| s.ts);
                    let ips: Vec<&str> =
                        tl.scanners[first..].iter().map(|s| s.ip.as_str()).collect();
                    sc.detail = format!("{} from {}", methods.join(","), ips.join(", "));
                }
                ScenarioKind::UpstreamNode => {
                    sc.node = rng.range(11, 10 + tl.nodes);
                    sc.rate_ppm = rng.range(650_000, 750_000) as u32;
                    sc.detail = format!("10.0.1.{}:8080", sc.node);
                }
                ScenarioKind::RouteMisconfig => {
                    sc.route = *rng.pick(&MISCONFIG_ROUTES);
                    // Browsers and scripts are about three quarters of the requests:
                    // 0.5–1 % of all of them.
                    sc.share_ppm = rng.range(6_700, 13_300) as u32;
                    sc.rate_ppm = 970_000;
                    sc.detail = sc.route.to_owned();
                }
                // Resolved by `incidents::resolve` above.
                _ => {}
            }
            if !spec.kind.covers_whole_span() {
                tl.quiet.push((sc.reload.unwrap_or(start).min(start), end));
            }
            tl.scenarios.push(sc);
        }
        // Several scanners: one time order.
        tl.scans.sort_by_key(|s| s.ts);
        incidents::background(&mut tl, cfg);
        incidents::finish_timeline(&mut tl);

        // One benign deploy per day on a multi-day timeline.
        if span_end - span_start > 86_400 {
            let mut rng = Rng::new(cfg.seed ^ 0xDE91_0A5E_B0A7_1E55);
            let tz = i64::from(cfg.tz_offset_secs);
            let busy: Vec<(i64, i64)> = tl
                .quiet
                .iter()
                .copied()
                .chain(
                    cfg.bursts
                        .iter()
                        .map(|b| (b.start, b.start.saturating_add(b.duration_secs))),
                )
                .collect();
            let mut benign = Vec::new();
            let mut lo = span_start;
            while lo < span_end {
                let hi = lo.saturating_add(86_400).min(span_end);
                for _ in 0..64 {
                    let t = lo + rng.below((hi - lo) as u64) as i64;
                    let hour = (t + tz).rem_euclid(86_400) / 3600;
                    let far = |&(a, b): &(i64, i64)| {
                        t < a.saturating_sub(BENIGN_MARGIN_SECS)
                            || t >= b.saturating_add(BENIGN_MARGIN_SECS)
                    };
                    if (9..18).contains(&hour)
                        && busy.iter().all(far)
                        && tl.reloads.iter().all(|&r| far(&(r, r)))
                    {
                        benign.push(t);
                        break;
                    }
                }
                lo = hi;
            }
            tl.reloads.extend(benign);
        }
        tl.reloads.sort_unstable();
        Ok(tl)
    }
}

/// A random address in one of the scanner networks.
pub(crate) fn scanner_ip(rng: &mut Rng) -> String {
    format!(
        "{}.{}.{}.{}",
        rng.pick(&SCANNER_NETS),
        rng.below(256),
        rng.below(256),
        rng.range(1, 254)
    )
}
