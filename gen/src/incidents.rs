//! Realistic incidents and the server's surroundings.
//!
//! The kinds of [`ScenarioKind::INCIDENTS`] are written the way such
//! incidents look in production logs; each resolves to one or more of the
//! six labelled scenarios (what a person reading the lines would call it),
//! with its own parameters drawn from the configuration's seed, the kind and
//! the window:
//!
//! * [`ScenarioKind::NightDevice`]: at night one device group (iOS app,
//!   Android app or iPad Safari) fails 30–100 % of its requests.
//! * [`ScenarioKind::NightUpstream`]: at night one node fails on one route.
//! * [`ScenarioKind::PartialRollout`]: one of k nodes lacks one method of a
//!   route; every failure is retried a second or two later by the same
//!   client and answered by another node.
//! * [`ScenarioKind::SpikeInDevice`]: a traffic spike inside a longer
//!   Android-app failure (two truths).
//! * [`ScenarioKind::DeployRollback`]: a reload, some routes fail, a second
//!   reload (the rollback) ends it.
//! * [`ScenarioKind::InternetJunk`]: five clusters of what exposed servers
//!   answer 501 to, one truth each.
//! * [`ScenarioKind::ColdStart`]: the file begins during an outage (a reload
//!   at the first second, the application answering 501 while it starts).
//!   Labelled `post_deploy`: the error log shows the reload it follows.
//!
//! [`Environment`](crate::Environment) adds what is no incident at all (a DST switch, nightly
//! reloads, a background scanner, uptime monitors that always get 501) and
//! what a second host looks like (skewed clock, other traffic);
//! [`quiet_week`](crate::quiet_week), [`generate_two_hosts`](crate::generate_two_hosts) and [`generate_mixed_dir`](crate::generate_mixed_dir) put
//! them together.

use crate::clock::{civil, rfc3339, TimeCache};
use crate::config::{ScenarioKind, ScenarioSpec, SynthConfig, SynthFormat};
use crate::digits::push_hex_fixed;
use crate::rng::{pick_distinct, Rng};
use crate::routes::Route;
use crate::timeline::{
    scanner_ip, scenario_seed, Group, Scanner, Scenario, Timeline, RELOAD_MERGE_SECS,
};
use crate::vocab::{SCANNER_PATHS, SCANNER_UAS};
use std::io;

/// What the node of a partial rollout does not implement yet.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rollout {
    /// Index into [`ROLLOUT_ROUTES`].
    pub(crate) route: usize,
    /// Percent of the route's requests that use the missing method (the
    /// others are GETs, which every node answers).
    pub(crate) method_pct: u64,
}

/// A line written besides the traffic.
#[derive(Debug, Clone)]
pub(crate) struct ExtraLine {
    pub(crate) ts: i64,
    /// Index into [`Timeline::scanners`].
    pub(crate) client: usize,
    /// The request line as written between the quotes (already escaped).
    pub(crate) request: Box<[u8]>,
    pub(crate) status: u16,
    pub(crate) body: u64,
    pub(crate) port: u16,
    /// The scenario whose 501 it is.
    pub(crate) scenario: Option<usize>,
}

impl ExtraLine {
    /// Whether it is a request line of junk cluster `scenario` that the
    /// server cannot parse (not a `SEARCH` or `POST`, which are well formed).
    pub(crate) fn is_junk_of(&self, scenario: usize) -> bool {
        self.scenario == Some(scenario)
            && !self.request.starts_with(b"SEARCH ")
            && !self.request.starts_with(b"POST ")
    }
}

/// A client's retry of a request a partial rollout's node refused.
#[derive(Debug, Clone)]
pub(crate) struct Retry {
    pub(crate) ts: i64,
    pub(crate) client: usize,
    pub(crate) method: &'static str,
    pub(crate) path: Vec<u8>,
    pub(crate) node: u64,
}

/// `(method the node lacks, path before the id, id kind, path after it,
/// the route as the truth names it)`; id kind 0 is a number, 1 a UUID.
pub(crate) const ROLLOUT_ROUTES: [(&str, &str, u8, &str, &str); 3] = [
    (
        "PATCH",
        "/legacy-service/accounts/",
        0,
        "",
        "/legacy-service/accounts/<id>",
    ),
    (
        "POST",
        "/api/v3/orders/",
        1,
        "/split",
        "/api/v3/orders/<uuid>/split",
    ),
    (
        "PUT",
        "/api/v2/carts/",
        0,
        "/shipping-address",
        "/api/v2/carts/<id>/shipping-address",
    ),
];

/// Routes of the application a bad deploy breaks some of.
const APP_ROUTE_LIST: [Route; 9] = [
    Route::Home,
    Route::Page,
    Route::User,
    Route::Orders,
    Route::Products,
    Route::Search,
    Route::Login,
    Route::Logout,
    Route::Health,
];

/// How the truth names a route.
fn route_name(route: Route) -> &'static str {
    match route {
        Route::Home => "/",
        Route::Page => "pages",
        Route::User => "/api/v1/users/",
        Route::Orders => "/api/v1/orders/",
        Route::Products => "/api/v1/products",
        Route::Search => "/search",
        Route::Login => "/login",
        Route::Logout => "/logout",
        Route::Health => "health checks",
        _ => "static",
    }
}

/// `HH:MM` local.
fn local_hm(cfg: &SynthConfig, ts: i64) -> String {
    let t = TimeCache::of(cfg);
    let c = civil(t.local(ts).0);
    format!("{:02}:{:02}", c.hour, c.min)
}

pub(crate) fn invalid(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg)
}

/// Checks [`SynthConfig::env`].
pub(crate) fn check_env(cfg: &SynthConfig) -> io::Result<()> {
    let env = &cfg.env;
    if env.upstream_nodes == 1 || env.upstream_nodes > 9 {
        return Err(invalid(format!(
            "{} upstream nodes: give 2 to 9 (or 0 for the default)",
            env.upstream_nodes
        )));
    }
    if env.uptime_monitors > 2 {
        return Err(invalid(format!(
            "{} uptime monitors: at most 2",
            env.uptime_monitors
        )));
    }
    if env.clock_skew_secs.abs() > 86_400 {
        return Err(invalid(format!(
            "a clock skew of {} s: at most a day either way",
            env.clock_skew_secs
        )));
    }
    if let Some(c) = env.tz_change {
        if c.offset_secs.abs() >= 86_400 {
            return Err(invalid(format!(
                "zone change to an offset of {} s: less than a day",
                c.offset_secs
            )));
        }
    }
    Ok(())
}

/// The number of upstream nodes: the configured one, else the one the
/// first partial rollout or night-time node failure draws, else four.
pub(crate) fn pool_size(cfg: &SynthConfig, windows: &[(&ScenarioSpec, (i64, i64))]) -> u64 {
    if cfg.env.upstream_nodes != 0 {
        return u64::from(cfg.env.upstream_nodes);
    }
    for (spec, _) in windows {
        let mut rng = Rng::new(scenario_seed(cfg.seed, spec) ^ 0x9001_5123_0DE5_0000);
        match spec.kind {
            ScenarioKind::PartialRollout => return rng.range(3, 6),
            ScenarioKind::NightUpstream => return rng.range(4, 5),
            _ => {}
        }
    }
    4
}

/// A new client of `tl.scanners` from a scanner network; its index.
fn new_prober(tl: &mut Timeline, rng: &mut Rng, ua: &'static str) -> usize {
    loop {
        let ip = scanner_ip(rng);
        if tl.scanners.iter().all(|s| s.ip != ip) {
            tl.scanners.push(Scanner { ip, ua });
            return tl.scanners.len() - 1;
        }
    }
}

/// `n` sorted times in `[from, from + len)`.
fn times(rng: &mut Rng, from: i64, len: i64, n: u64) -> Vec<i64> {
    let mut t: Vec<i64> = (0..n)
        .map(|_| from + rng.below(len.max(1) as u64) as i64)
        .collect();
    t.sort_unstable();
    t
}

/// Resolves one incident of `kind` in `[start, end)` into scenarios (and
/// the lines, reloads and quiet windows it brings).
pub(crate) fn resolve(
    tl: &mut Timeline,
    cfg: &SynthConfig,
    kind: ScenarioKind,
    start: i64,
    end: i64,
    rng: &mut Rng,
) {
    let pct = |ppm: u32| (ppm + 5_000) / 10_000;
    let times_text = |a: i64, b: i64| format!("{}–{} local", local_hm(cfg, a), local_hm(cfg, b));
    match kind {
        ScenarioKind::NightDevice => {
            let mut sc = Scenario::new(ScenarioKind::DeviceSpecific, start, end);
            // iPad Safari is few clients: it fails harder to be seen at all.
            sc.group = rng.weighted(&[
                (Group::Ios, 45),
                (Group::Android, 40),
                (Group::IpadSafari, 15),
            ]);
            sc.rate_ppm = if sc.group == Group::IpadSafari {
                rng.range(800_000, 1_000_000)
            } else {
                rng.range(300_000, 1_000_000)
            } as u32;
            sc.detail = format!(
                "{}: {}% of its requests, {}",
                sc.group.name(),
                pct(sc.rate_ppm),
                times_text(start, end)
            );
            tl.quiet.push((start, end));
            tl.scenarios.push(sc);
        }
        ScenarioKind::NightUpstream => {
            let mut sc = Scenario::new(ScenarioKind::UpstreamNode, start, end);
            sc.node = rng.range(11, 10 + tl.nodes);
            let route = *rng.pick(&[Route::Orders, Route::User, Route::Products]);
            sc.routes = vec![route];
            sc.rate_ppm = rng.range(600_000, 1_000_000) as u32;
            sc.detail = format!(
                "10.0.1.{}:8080 on {} only: {}% of its requests there (1 of {} nodes), {}",
                sc.node,
                route_name(route),
                pct(sc.rate_ppm),
                tl.nodes,
                times_text(start, end)
            );
            tl.quiet.push((start, end));
            tl.scenarios.push(sc);
        }
        ScenarioKind::PartialRollout => {
            let mut sc = Scenario::new(ScenarioKind::UpstreamNode, start, end);
            sc.node = rng.range(11, 10 + tl.nodes);
            let route = rng.below(ROLLOUT_ROUTES.len() as u64) as usize;
            sc.share_ppm = rng.range(15_000, 25_000) as u32;
            sc.rollout = Some(Rollout {
                route,
                method_pct: rng.range(35, 55),
            });
            let (method, .., name) = ROLLOUT_ROUTES[route];
            sc.detail = format!(
                "10.0.1.{}:8080 (1 of {} nodes) lacks {method} {name} during a rollout, {}; \
                 GET fine, clients retry on another node{}",
                sc.node,
                tl.nodes,
                times_text(start, end),
                if cfg.format == SynthFormat::NginxUpstream {
                    ""
                } else {
                    " (the node is not in this log format)"
                }
            );
            tl.quiet.push((start, end));
            tl.scenarios.push(sc);
        }
        ScenarioKind::SpikeInDevice => {
            let mut dev = Scenario::new(ScenarioKind::DeviceSpecific, start, end);
            dev.group = Group::Android;
            dev.rate_ppm = rng.range(700_000, 900_000) as u32;
            dev.detail = format!(
                "android app: {}% of its requests, {}",
                pct(dev.rate_ppm),
                times_text(start, end)
            );
            let len = end - start;
            let dur = (rng.range(20, 30) as i64 * 60).min(len / 2).max(1);
            let lo = start + len / 6;
            let hi = end - dur - len / 6;
            let from = if hi > lo {
                lo + rng.below((hi - lo) as u64) as i64
            } else {
                start + (len - dur) / 2
            };
            let mut spike = Scenario::new(ScenarioKind::TrafficSpike, from, from + dur);
            spike.mult_x10 = rng.range(30, 50);
            spike.rate_ppm = rng.range(100_000, 200_000) as u32;
            spike.detail = format!(
                "x{}.{} traffic, {}% of requests, {}, inside the android app failure",
                spike.mult_x10 / 10,
                spike.mult_x10 % 10,
                pct(spike.rate_ppm),
                times_text(from, from + dur)
            );
            tl.quiet.push((start, end));
            tl.scenarios.push(dev);
            tl.scenarios.push(spike);
        }
        ScenarioKind::DeployRollback => {
            let mut sc = Scenario::new(ScenarioKind::PostDeploy, start, end);
            let reload = start - rng.range(60, 180) as i64;
            let n = rng.range(2, 4) as usize;
            sc.routes = pick_distinct(rng, &APP_ROUTE_LIST, n);
            sc.rate_ppm = rng.range(600_000, 950_000) as u32;
            sc.reload = Some(reload);
            let names: Vec<&str> = sc.routes.iter().map(|&r| route_name(r)).collect();
            sc.detail = format!(
                "reload at {}, {} of {} app routes ({}) at {}%; rolled back by a reload at {}",
                rfc3339(reload),
                n,
                APP_ROUTE_LIST.len(),
                names.join(", "),
                pct(sc.rate_ppm),
                rfc3339(end)
            );
            for r in [reload, end] {
                if tl
                    .reloads
                    .iter()
                    .all(|&o| (o - r).abs() >= RELOAD_MERGE_SECS)
                {
                    tl.reloads.push(r);
                }
            }
            tl.quiet.push((reload, end));
            tl.scenarios.push(sc);
        }
        ScenarioKind::ColdStart => {
            let mut sc = Scenario::new(ScenarioKind::PostDeploy, start, end);
            sc.rate_ppm = rng.range(970_000, 1_000_000) as u32;
            let tail = rng.range(20_000, 50_000) as u32;
            let ready = (start + 60).min(end);
            sc.tail = Some((ready, tail));
            sc.reload = Some(start);
            sc.detail = format!(
                "the log starts at a reload ({}): {}% of app requests for the first {} s while \
                 the application starts, {}% until {}",
                rfc3339(start),
                pct(sc.rate_ppm),
                ready - start,
                pct(tail),
                rfc3339(end)
            );
            if tl
                .reloads
                .iter()
                .all(|&o| (o - start).abs() >= RELOAD_MERGE_SECS)
            {
                tl.reloads.push(start);
            }
            tl.quiet.push((start, end));
            tl.scenarios.push(sc);
        }
        ScenarioKind::InternetJunk => internet_junk(tl, cfg, start, end, rng),
        _ => {}
    }
}

/// TLS ClientHello bytes on the plain port, as nginx and Apache escape them.
fn tls_hello(rng: &mut Rng) -> Vec<u8> {
    let mut r = br"\x16\x03\x01\x00".to_vec();
    r.extend_from_slice(rng.pick(&[r"\xa5", r"\xf4", r"\xc8", r"\xe3"]).as_bytes());
    r.extend_from_slice(br"\x01\x00\x00");
    r.extend_from_slice(rng.pick(&[r"\xa1", r"\xf0", r"\xc4", r"\xdf"]).as_bytes());
    r.extend_from_slice(br"\x03\x03");
    for _ in 0..4 {
        r.extend_from_slice(br"\x");
        push_hex_fixed(&mut r, rng.below(256), 2);
    }
    r
}

const BINARY_REQUESTS: [&str; 4] = [
    r"\x00\x00\x00\x00\x00\x00\x00\x00",
    r"\xff\xf4\xff\xfd\x06",
    r"\x05\x01\x00",
    r"\x03\x00\x00/*\xe0\x00\x00\x00\x00\x00Cookie: mstshash=Administr",
];

const WORM_PATHS: [&str; 5] = [
    "/scripts/..%c0%af../winnt/system32/cmd.exe?/c+dir",
    "/scripts/..%255c../winnt/system32/cmd.exe?/c+dir",
    "/msadc/..%c0%af../..%c0%af../..%c0%af../winnt/system32/cmd.exe?/c+dir",
    "/c/winnt/system32/cmd.exe?/c+dir",
    "/_vti_bin/..%255c../..%255c../winnt/system32/cmd.exe?/c+dir",
];

/// Five clusters spread over `[start, end)`, one scenario each.
fn internet_junk(tl: &mut Timeline, cfg: &SynthConfig, start: i64, end: i64, rng: &mut Rng) {
    let nginx = cfg.format.is_nginx();
    let order = pick_distinct(rng, &[0u8, 1, 2, 3, 4], 5);
    let slot = ((end - start) / 5).max(1);
    for (j, &what) in order.iter().enumerate() {
        let slot_start = start + slot * j as i64;
        let (lo, hi, n_lo, n_hi) = match what {
            0 => (15, 30, 100, 200),
            1 => (10, 20, 30, 80),
            2 => (5, 15, 20, 60),
            3 => (10, 20, 20, 50),
            _ => (5, 10, 50, 60),
        };
        let dur = (rng.range(lo, hi) as i64 * 60).min(slot * 2 / 3).max(1);
        let from = slot_start + rng.below((slot - dur + 1).max(1) as u64) as i64;
        let n = rng.range(n_lo, n_hi);
        let clients: Vec<usize> = match what {
            0 | 2 => vec![new_prober(tl, rng, "-")],
            1 => (0..rng.range(1, 2))
                .map(|_| new_prober(tl, rng, "-"))
                .collect(),
            3 => (0..rng.range(1, 3))
                .map(|_| new_prober(tl, rng, SCANNER_UAS[0]))
                .collect(),
            _ => {
                let ua = *rng.pick(&["Mozilla/5.0 zgrab/0.x", "python-requests/2.31.0"]);
                vec![new_prober(tl, rng, ua)]
            }
        };
        let index = tl.scenarios.len();
        // A window shorter than its clusters: they end with the span.
        let span_end = cfg.start.saturating_add(cfg.duration_secs.max(1));
        let ts: Vec<i64> = times(rng, from, dur, n)
            .into_iter()
            .map(|t| t.min(span_end - 1))
            .collect();
        let first = ts.first().copied().unwrap_or(from);
        let last = ts.last().copied().unwrap_or(from);
        for &t in &ts {
            let client = *rng.pick(&clients);
            let (request, port): (Vec<u8>, u16) = match what {
                0 => (tls_hello(rng), 80),
                1 => match rng.below(5) {
                    0 if nginx => (Vec::new(), 80),
                    0 => (b"-".to_vec(), 80),
                    _ => (rng.pick(&BINARY_REQUESTS).as_bytes().to_vec(), 80),
                },
                2 => (
                    format!("get {} HTTP/1.0", rng.pick(&WORM_PATHS)).into_bytes(),
                    80,
                ),
                3 => (b"SEARCH / HTTP/1.1".to_vec(), 443),
                _ => (b"POST / HTTP/1.1".to_vec(), 443),
            };
            tl.extras.push(ExtraLine {
                ts: t,
                client,
                request: request.into_boxed_slice(),
                status: 501,
                body: 181,
                port,
                scenario: Some(index),
            });
        }
        let ips: Vec<&str> = clients
            .iter()
            .map(|&c| tl.scanners[c].ip.as_str())
            .collect();
        let ips = ips.join(", ");
        let said = match what {
            0 => r"TLS handshakes (\x16\x03\x01…) sent to the plain-HTTP port".to_owned(),
            1 => "binary and empty request lines (telnet, SOCKS, RDP bytes)".to_owned(),
            2 => "a worm's lowercase `get /scripts/..%c0%af../…/cmd.exe`".to_owned(),
            3 => "SEARCH / probes".to_owned(),
            _ => "POST / from one scanner".to_owned(),
        };
        let mut sc = Scenario::new(ScenarioKind::UnsupportedMethod, first, last + 1);
        sc.detail = format!("{said}: {n} requests from {ips}");
        tl.quiet.push((first, last + 1));
        tl.scenarios.push(sc);
    }
}

/// The background the [`Environment`](crate::Environment) asks for: nightly reloads, the
/// all-along scanner and the uptime monitors.
pub(crate) fn background(tl: &mut Timeline, cfg: &SynthConfig) {
    let env = &cfg.env;
    let span_start = cfg.start;
    let span_end = cfg.start.saturating_add(cfg.duration_secs.max(1));
    let mut rng = Rng::new(cfg.seed ^ 0xBAC6_0000_D15E_A5E5);
    if env.nightly_reload {
        let time = TimeCache::of(cfg);
        // Local midnights: walk the days, the offset as it is then.
        let mut day = span_start - time.local(span_start).0.rem_euclid(86_400);
        while day < span_end {
            let off = time.local(day).0 - day;
            let midnight = (day + off).div_euclid(86_400) * 86_400 - off;
            let t = midnight + rng.range(1, 240) as i64;
            if t >= span_start
                && t < span_end
                && tl
                    .reloads
                    .iter()
                    .all(|&o| (o - t).abs() >= RELOAD_MERGE_SECS)
            {
                tl.reloads.push(t);
            }
            day = midnight + 86_400 + 3600;
        }
    }
    if env.background_scanner {
        let me = new_prober(tl, &mut rng, SCANNER_UAS[2]);
        let quiet = tl.quiet.clone();
        let mut next_odd = span_start + rng.range(600, 3600) as i64;
        let mut h = span_start;
        while h < span_end {
            let len = 3600.min(span_end - h);
            let n = rng.range(1, 5);
            let mut ts: Vec<(i64, bool)> = times(&mut rng, h, len, n)
                .into_iter()
                .map(|t| (t, false))
                .collect();
            while next_odd < h + len {
                ts.push((next_odd, true));
                next_odd += rng.range(1800, 5400) as i64;
            }
            ts.sort_unstable();
            for (t, odd) in ts {
                let path = *rng.pick(&SCANNER_PATHS[..8]);
                // Never a 501 inside a scenario's window.
                let odd = odd && !quiet.iter().any(|&(a, b)| t >= a && t < b);
                let (method, status) = if odd {
                    (
                        *rng.pick(&["PROPFIND", "DEBUG", "TRACK", "MKCOL", "SEARCH"]),
                        501,
                    )
                } else {
                    let m = if rng.below(5) == 0 { "POST" } else { "GET" };
                    (m, if path == "/.git/config" { 403 } else { 404 })
                };
                tl.extras.push(ExtraLine {
                    ts: t,
                    client: me,
                    request: format!("{method} {path} HTTP/1.1").into_bytes().into(),
                    status,
                    body: if status == 501 { 181 } else { 153 },
                    port: 443,
                    scenario: None,
                });
            }
            h += len;
        }
    }
    let monitors: [(&str, &'static str, &str, u64); 2] = [
        (
            "69.162.124.235",
            "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
            "OPTIONS /healthz HTTP/1.1",
            181,
        ),
        (
            "178.255.155.2",
            "Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)",
            "HEAD /status HTTP/1.1",
            0,
        ),
    ];
    for &(ip, ua, request, body) in monitors.iter().take(usize::from(env.uptime_monitors)) {
        tl.scanners.push(Scanner {
            ip: ip.to_owned(),
            ua,
        });
        let client = tl.scanners.len() - 1;
        let mut t = span_start + rng.below(60) as i64;
        while t < span_end {
            tl.extras.push(ExtraLine {
                ts: t,
                client,
                request: request.as_bytes().into(),
                status: 501,
                body,
                port: 443,
                scenario: None,
            });
            t += 60;
        }
    }
}

/// Time-orders the extra lines and the scenarios (a resolved incident may
/// add scenarios out of start order), keeping the indices that point at
/// scenarios right.
pub(crate) fn finish_timeline(tl: &mut Timeline) {
    tl.extras.sort_by_key(|e| e.ts);
    let n = tl.scenarios.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| tl.scenarios[i].start);
    if order.iter().enumerate().all(|(a, &b)| a == b) {
        return;
    }
    let mut new_index = vec![0; n];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    for s in &mut tl.scans {
        s.scenario = new_index[s.scenario];
    }
    for e in &mut tl.extras {
        e.scenario = e.scenario.map(|i| new_index[i]);
    }
    let mut old: Vec<Option<Scenario>> = tl.scenarios.drain(..).map(Some).collect();
    for &i in &order {
        if let Some(s) = old[i].take() {
            tl.scenarios.push(s);
        }
    }
}

impl ScenarioSpec {
    /// Places `kinds` (any kinds, the [incidents](ScenarioKind::INCIDENTS)
    /// included) over `[start, start + duration_secs)` without overlap (at
    /// least half an hour apart where the span allows), each with its
    /// [default length](ScenarioKind::default_duration_secs) (shortened on
    /// short spans): kind i of n goes to the local day (zone
    /// `tz_offset_secs`) of the point i/(n+1) of the span, at night
    /// (starting 01:00–03:00) for the [night kinds](ScenarioKind::at_night),
    /// in the busy hours (centred 09:00–21:00) for the others; when that
    /// overlaps an earlier one or leaves the span, a neighbouring day. A
    /// cold start begins with the span; a route misconfiguration covers it.
    pub fn place(
        kinds: &[ScenarioKind],
        start: i64,
        duration_secs: i64,
        tz_offset_secs: i32,
    ) -> Vec<ScenarioSpec> {
        const GAP: i64 = 1800;
        let span = duration_secs.max(1);
        let end = start.saturating_add(span);
        let tz = i64::from(tz_offset_secs);
        let timed = kinds
            .iter()
            .filter(|k| !k.covers_whole_span() && !k.at_span_start())
            .count() as i64;
        let room = (span / (2 * (timed + 1))).max(1);
        let mut placed: Vec<(i64, i64)> = Vec::new();
        let mut i = 0;
        let mut out = Vec::with_capacity(kinds.len());
        for &kind in kinds {
            if kind.covers_whole_span() {
                out.push(ScenarioSpec {
                    kind,
                    start,
                    duration_secs: span,
                });
                continue;
            }
            if kind.at_span_start() {
                let d = kind.default_duration_secs().min(span);
                placed.push((start, start + d));
                out.push(ScenarioSpec {
                    kind,
                    start,
                    duration_secs: d,
                });
                continue;
            }
            i += 1;
            let d = kind.default_duration_secs().min(room);
            let even = start + (i128::from(span) * i128::from(i) / i128::from(timed + 1)) as i64;
            let local = even + tz;
            let day = local.div_euclid(86_400) * 86_400 - tz;
            let frac = local.rem_euclid(86_400);
            let offset = if kind.at_night() {
                3600 + frac / 12
            } else {
                9 * 3600 + frac / 2 - d / 2
            };
            let free = |from: i64| {
                from >= start
                    && from + d <= end
                    && placed
                        .iter()
                        .all(|&(a, b)| from + d + GAP <= a || from >= b + GAP)
            };
            // Other times of the same part of the day.
            let others: Vec<i64> = if kind.at_night() {
                (0..5).map(|h| 3600 + h * 1800).collect()
            } else {
                (0..12)
                    .map(|h| 9 * 3600 + h * 3600)
                    .filter(|&f| f + d <= 22 * 3600)
                    .collect()
            };
            let from = [0i64, 1, -1, 2, -2, 3, -3]
                .iter()
                .flat_map(|k| {
                    std::iter::once(offset)
                        .chain(others.iter().copied())
                        .map(move |o| day + k * 86_400 + o)
                })
                .find(|&f| free(f))
                .or_else(|| Some(even - d / 2).filter(|&f| free(f)))
                .unwrap_or_else(|| (even - d / 2).clamp(start, (end - d).max(start)));
            placed.push((from, from + d));
            out.push(ScenarioSpec {
                kind,
                start: from,
                duration_secs: d,
            });
        }
        out
    }
}
