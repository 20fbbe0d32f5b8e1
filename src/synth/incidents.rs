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
//! [`Environment`] adds what is no incident at all (a DST switch, nightly
//! reloads, a background scanner, uptime monitors that always get 501) and
//! what a second host looks like (skewed clock, other traffic);
//! [`quiet_week`], [`generate_two_hosts`] and [`generate_mixed_dir`] put
//! them together.

use super::*;

/// What the node of a partial rollout does not implement yet.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rollout {
    /// Index into [`ROLLOUT_ROUTES`].
    route: usize,
    /// Percent of the route's requests that use the missing method (the
    /// others are GETs, which every node answers).
    method_pct: u64,
}

/// A line written besides the traffic.
#[derive(Debug, Clone)]
pub(super) struct ExtraLine {
    pub(super) ts: i64,
    /// Index into [`Timeline::scanners`].
    pub(super) client: usize,
    /// The request line as written between the quotes (already escaped).
    pub(super) request: Box<[u8]>,
    status: u16,
    body: u64,
    port: u16,
    /// The scenario whose 501 it is.
    scenario: Option<usize>,
}

impl ExtraLine {
    /// Whether it is a request line of junk cluster `scenario` that the
    /// server cannot parse (not a `SEARCH` or `POST`, which are well formed).
    pub(super) fn is_junk_of(&self, scenario: usize) -> bool {
        self.scenario == Some(scenario)
            && !self.request.starts_with(b"SEARCH ")
            && !self.request.starts_with(b"POST ")
    }
}

/// A client's retry of a request a partial rollout's node refused.
#[derive(Debug, Clone)]
pub(super) struct Retry {
    ts: i64,
    client: usize,
    method: &'static str,
    path: Vec<u8>,
    node: u64,
}

/// `(method the node lacks, path before the id, id kind, path after it,
/// the route as the truth names it)`; id kind 0 is a number, 1 a UUID.
const ROLLOUT_ROUTES: [(&str, &str, u8, &str, &str); 3] = [
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

fn invalid(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg)
}

/// Checks [`SynthConfig::env`].
pub(super) fn check_env(cfg: &SynthConfig) -> io::Result<()> {
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
pub(super) fn pool_size(cfg: &SynthConfig, windows: &[(&ScenarioSpec, (i64, i64))]) -> u64 {
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
        let ip = format!(
            "{}.{}.{}.{}",
            rng.pick(&SCANNER_NETS),
            rng.below(256),
            rng.below(256),
            rng.range(1, 254)
        );
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
pub(super) fn resolve(
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

/// The background the [`Environment`] asks for: nightly reloads, the
/// all-along scanner and the uptime monitors.
pub(super) fn background(tl: &mut Timeline, cfg: &SynthConfig) {
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
pub(super) fn finish_timeline(tl: &mut Timeline) {
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

/// Seven quiet days that hold no incident at all, only the background a
/// real server has: daily peaks, the EU switch to summer time in the middle
/// (`+0100` to `+0200` on Sunday 2026-03-29 at 02:00 local), logrotate's
/// reload every night at about 00:00 local, a scanner all week (a 501 for
/// an odd method every half hour to hour and a half), two uptime monitors
/// whose request answers 501 every minute, and the usual stray 501s. The
/// week starts Thursday 2026-03-26 00:00 local; `lines` spread over it.
pub fn quiet_week(seed: u64, format: SynthFormat, lines: u64) -> SynthConfig {
    SynthConfig {
        seed,
        lines,
        format,
        start: 1_774_479_600,
        tz_offset_secs: 3600,
        duration_secs: 7 * 86_400,
        bursts: Vec::new(),
        scenarios: Vec::new(),
        env: Environment {
            tz_change: Some(TzChange {
                at: 1_774_746_000,
                offset_secs: 7200,
            }),
            nightly_reload: true,
            background_scanner: true,
            uptime_monitors: 2,
            ..Environment::default()
        },
        ..SynthConfig::default()
    }
}

/// Sums truths of logs written side by side (one directory, or several
/// hosts): counts add up, `first`/`last` are the earliest and latest,
/// scenarios and deploys are put together in time order.
pub fn merge_truths(parts: &[Truth]) -> Truth {
    let mut t = Truth::default();
    let mut seen = false;
    for p in parts {
        t.lines += p.lines;
        t.blank += p.blank;
        t.garbage += p.garbage;
        t.error_lines += p.error_lines;
        t.requests += p.requests;
        t.status_501 += p.status_501;
        t.bytes += p.bytes;
        for (&k, &v) in &p.by_status {
            *t.by_status.entry(k).or_insert(0) += v;
        }
        if p.requests > 0 {
            t.first = if seen { t.first.min(p.first) } else { p.first };
            t.last = if seen { t.last.max(p.last) } else { p.last };
            seen = true;
        }
        t.scenarios.extend(p.scenarios.iter().cloned());
        t.deploys.extend(&p.deploys);
    }
    t.scenarios.sort_by_key(|s| (s.start, s.end));
    t.deploys.sort_unstable();
    t
}

fn merge_errors(parts: &[ErrorTruth]) -> ErrorTruth {
    let mut e = ErrorTruth::default();
    for p in parts {
        e.lines += p.lines;
        e.reloads.extend(&p.reloads);
        for (k, &v) in &p.by_kind {
            *e.by_kind.entry(k.clone()).or_insert(0) += v;
        }
    }
    e.reloads.sort_unstable();
    e
}

/// Two hosts behind one load balancer: writes `dir/web1/` and `dir/web2/`
/// (each an `access.log` and `error.log` family of `files` files, as
/// [`generate_dir`] does) from `cfg`: the same incidents and reloads, other
/// requests on the second host (its [`Environment::traffic_salt`]), whose
/// clock is `skew_secs` ahead ([`Environment::clock_skew_secs`]). Returns
/// one truth for both: the counts summed, and each incident once, its
/// window the union of the two as written (web2's ends `skew_secs` later),
/// its `matched` the 501s of both.
pub fn generate_two_hosts(
    cfg: &SynthConfig,
    dir: &Path,
    skew_secs: i64,
    files: usize,
) -> io::Result<(Truth, ErrorTruth)> {
    let mut b = cfg.clone();
    b.env.clock_skew_secs = cfg.env.clock_skew_secs.saturating_add(skew_secs);
    b.env.traffic_salt = cfg.env.traffic_salt ^ 0x5EC0_4D00_0000_0002;
    check_env(&b)?;
    let (ta, ea) = generate_dir(cfg, &dir.join("web1"), files)?;
    let (tb, eb) = generate_dir(&b, &dir.join("web2"), files)?;
    let mut truth = merge_truths(&[ta.clone(), tb.clone()]);
    truth.scenarios = ta
        .scenarios
        .iter()
        .zip(&tb.scenarios)
        .map(|(a, b)| ScenarioTruth {
            label: a.label.clone(),
            start: a.start.min(b.start),
            end: a.end.max(b.end),
            matched: a.matched + b.matched,
            detail: format!(
                "{} (on web1 and web2; web2's clock {} s ahead)",
                a.detail, skew_secs
            ),
        })
        .collect();
    Ok((truth, merge_errors(&[ea, eb])))
}

/// An nginx log and an Apache log in one directory: `nginx_access.log*`
/// and `nginx_error.log*` from `nginx`, `apache_access.log*` and
/// `apache_error.log*` from `apache` (`files` files each), and one truth
/// for all of them. `nginx` must be in an nginx format and `apache` in an
/// Apache one.
pub fn generate_mixed_dir(
    nginx: &SynthConfig,
    apache: &SynthConfig,
    dir: &Path,
    files: usize,
) -> io::Result<(Truth, ErrorTruth)> {
    if !nginx.format.is_nginx() || apache.format.is_nginx() {
        return Err(invalid(format!(
            "a mixed directory needs an nginx format and an Apache one, not {} and {}",
            nginx.format, apache.format
        )));
    }
    let (tn, en) = generate_family(nginx, dir, "nginx_access.log", "nginx_error.log", files)?;
    let (ta, ea) = generate_family(apache, dir, "apache_access.log", "apache_error.log", files)?;
    Ok((merge_truths(&[tn, ta]), merge_errors(&[en, ea])))
}

// ---------------------------------------------------------------------------
// Writing the lines

impl Generator<'_> {
    /// The time of the next scanner request, extra line or retry.
    pub(super) fn next_due(&self) -> Option<i64> {
        [
            self.tl.scans.get(self.next_scan).map(|r| r.ts),
            self.tl.extras.get(self.next_extra).map(|e| e.ts),
            self.pending.first().map(|p| p.ts),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// Writes the scanner requests, extra lines and retries due at or
    /// before `upto`, in time order.
    pub(super) fn write_due(&mut self, buf: &mut Vec<u8>, upto: i64) {
        loop {
            let scan = self.tl.scans.get(self.next_scan).map(|r| r.ts);
            let extra = self.tl.extras.get(self.next_extra).map(|e| e.ts);
            let retry = self.pending.first().map(|p| p.ts);
            let Some(t) = [scan, extra, retry].into_iter().flatten().min() else {
                return;
            };
            if t > upto {
                return;
            }
            if scan == Some(t) {
                self.write_next_scan(buf);
            } else if extra == Some(t) {
                let e = self.tl.extras[self.next_extra].clone();
                self.next_extra += 1;
                let c = &self.tl.scanners[e.client];
                let (ip, ua) = (c.ip.clone(), c.ua);
                let body = if e.request.starts_with(b"HEAD ") {
                    0
                } else {
                    e.body
                };
                self.write_line(buf, e.ts, &ip, ua, &e.request, e.status, body, e.port, None);
                buf.push(b'\n');
                self.count_request(e.status, e.ts);
                if let Some(i) = e.scenario {
                    if e.status == 501 {
                        self.matched[i] += 1;
                    }
                }
            } else {
                let r = self.pending.remove(0);
                let c = &self.clients[r.client];
                let (ip, ua) = (c.ip.clone(), USER_AGENTS[c.ua]);
                let mut request = Vec::with_capacity(r.path.len() + 20);
                request.extend_from_slice(r.method.as_bytes());
                request.push(b' ');
                request.extend_from_slice(&r.path);
                request.push(b' ');
                request.extend_from_slice(c.proto.as_bytes());
                let (status, body) = self.rollout_ok(r.method);
                self.write_line(
                    buf,
                    r.ts,
                    &ip,
                    ua,
                    &request,
                    status,
                    body,
                    443,
                    Some(r.node),
                );
                buf.push(b'\n');
                self.count_request(status, r.ts);
            }
        }
    }

    /// The answer of a node that implements `method` on the rollout route.
    fn rollout_ok(&mut self, method: &str) -> (u16, u64) {
        match method {
            "GET" if self.rng.below(100) < 4 => (404, self.rng.range(25, 80)),
            "GET" => (200, self.rng.range(200, 3_000)),
            "POST" => (201, self.rng.range(120, 600)),
            _ => (200, self.rng.range(150, 900)),
        }
    }

    /// A request to a partial rollout's route; its status.
    pub(super) fn write_rollout(&mut self, buf: &mut Vec<u8>, ts: i64, ci: usize, i: usize) -> u16 {
        let s = &self.tl.scenarios[i];
        let Some(ro) = s.rollout else {
            return 0;
        };
        let (start, end, bad) = (s.start, s.end, s.node);
        let (missing, before, id, after, _) = ROLLOUT_ROUTES[ro.route];
        let method = if self.rng.below(100) < ro.method_pct {
            missing
        } else {
            "GET"
        };
        let mut path = Vec::with_capacity(64);
        path.extend_from_slice(before.as_bytes());
        if id == 0 {
            push_u64(&mut path, self.rng.range(100_000, 999_999));
        } else {
            let a = self.rng.next_u64();
            let b = self.rng.next_u64();
            push_hex_fixed(&mut path, a >> 32, 8);
            path.push(b'-');
            push_hex_fixed(&mut path, a >> 16, 4);
            path.extend_from_slice(b"-4");
            push_hex_fixed(&mut path, a, 3);
            path.push(b'-');
            push_hex_fixed(&mut path, 0x8 | (b >> 62), 1);
            push_hex_fixed(&mut path, b >> 48, 3);
            path.push(b'-');
            push_hex_fixed(&mut path, b, 12);
        }
        path.extend_from_slice(after.as_bytes());
        let nodes = self.tl.nodes;
        let node = self.rng.range(11, 10 + nodes);
        let fails = method == missing && ts >= start && ts < end && node == bad;
        let (status, body) = if fails {
            self.matched[i] += 1;
            (501, 181)
        } else {
            self.rollout_ok(method)
        };
        let c = &self.clients[ci];
        let (ip, ua) = (c.ip.clone(), USER_AGENTS[c.ua]);
        let mut request = Vec::with_capacity(path.len() + 20);
        request.extend_from_slice(method.as_bytes());
        request.push(b' ');
        request.extend_from_slice(&path);
        request.push(b' ');
        request.extend_from_slice(c.proto.as_bytes());
        self.write_line(buf, ts, &ip, ua, &request, status, body, 443, Some(node));
        if fails {
            // The client retries; round robin sends it to the next node.
            let last = self.cfg.start.saturating_add(self.cfg.duration_secs.max(1)) - 1;
            let other = 11 + (node - 11 + self.rng.range(1, nodes - 1)) % nodes;
            let retry = Retry {
                ts: (ts + self.rng.range(1, 2) as i64).min(last).max(ts),
                client: ci,
                method,
                path,
                node: other,
            };
            let at = self.pending.partition_point(|p| p.ts <= retry.ts);
            self.pending.insert(at, retry);
        }
        status
    }

    /// One line in the configured format, without its newline. `peer` is the upstream node that
    /// answered (`None`: the front server answered itself).
    #[allow(clippy::too_many_arguments)]
    fn write_line(
        &mut self,
        buf: &mut Vec<u8>,
        ts: i64,
        ip: &str,
        ua: &str,
        request: &[u8],
        status: u16,
        body: u64,
        port: u16,
        peer: Option<u64>,
    ) {
        let fmt = self.cfg.format;
        let api = request
            .split(|&b| b == b' ')
            .nth(1)
            .is_some_and(|p| p.starts_with(b"/api/") || p.starts_with(b"/legacy-service/"));
        self.write_vhost(buf, api, port);
        buf.extend_from_slice(ip.as_bytes());
        buf.extend_from_slice(b" - - [");
        buf.extend_from_slice(self.time.access(ts));
        buf.extend_from_slice(b"] \"");
        buf.extend_from_slice(request);
        buf.extend_from_slice(b"\" ");
        push_u64(buf, u64::from(status));
        buf.push(b' ');
        match fmt {
            SynthFormat::ApacheCommon | SynthFormat::ApacheCombined if body == 0 => buf.push(b'-'),
            SynthFormat::ApacheVhostCombined => push_u64(buf, body + self.rng.range(180, 420)),
            _ => push_u64(buf, body),
        }
        if fmt != SynthFormat::ApacheCommon {
            buf.extend_from_slice(b" \"-\" \"");
            buf.extend_from_slice(ua.as_bytes());
            buf.push(b'"');
            match fmt {
                SynthFormat::NginxMain => buf.extend_from_slice(b" \"-\""),
                SynthFormat::NginxUpstream => self.write_upstream(buf, api, status, body, peer),
                _ => {}
            }
        }
    }
}
