//! The access-log generator: writes one slot at a time (a baseline line
//! with what comes before and after it), decides each request's status and
//! counts what it wrote.

use crate::clients::{
    make_client, Client, Profile, APP_ROUTES, BOT_ROUTES, BROWSER_ROUTES, CLIENTS, SCANNER_ROUTES,
    SCRIPT_ROUTES,
};
use crate::clock::{Clock, TimeCache};
use crate::config::{ScenarioKind, SynthConfig, SynthFormat, STRAY_501_MIN_GAP_SECS};
use crate::incidents;
use crate::rng::{splitmix64, Rng};
use crate::routes::Route;
use crate::timeline::{Group, Timeline};
use crate::truth::{ScenarioTruth, Truth};
use crate::vocab::{MISCONFIG_QUERIES, USER_AGENTS};

/// Largest status code tracked (exclusive).
const MAX_STATUS: usize = 1000;
/// Lenient-parsing edge cases among valid lines, per million requests.
const EDGE_CASE_PPM: u32 = 400;

/// Lenient-parsing edge cases emitted among valid lines.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Edge {
    /// `"\x16\x03\x01\x00\xa5\x01" 400 157 "-" "-"`.
    Tls,
    /// `"-" 408 0 "-" "-"`.
    Timeout,
    /// An escaped quote inside the user agent.
    QuotedAgent,
    /// An escaped quote inside the request line.
    QuotedRequest,
}

/// Writes the access log of one configuration, slot by slot, and counts
/// what it wrote.
pub(crate) struct Generator<'a> {
    pub(crate) cfg: &'a SynthConfig,
    pub(crate) rng: Rng,
    pub(crate) clock: Clock,
    pub(crate) time: TimeCache,
    pub(crate) clients: Vec<Client>,
    pub(crate) builds: [u64; 3],
    /// Baseline slots generated.
    pub(crate) emitted: u64,
    pub(crate) counts: Vec<u64>,
    pub(crate) truth: Truth,
    pub(crate) seen_request: bool,
    pub(crate) tl: Timeline,
    /// Next entry of `tl.scans` to write.
    pub(crate) next_scan: usize,
    /// 501s caused, per entry of `tl.scenarios`.
    pub(crate) matched: Vec<u64>,
    /// Indices of the route-misconfiguration scenarios.
    pub(crate) misconfig: Vec<usize>,
    /// Indices of the traffic-spike scenarios.
    pub(crate) spikes: Vec<usize>,
    /// Time of the last stray 501.
    pub(crate) last_stray: Option<i64>,
    /// Time of the first line of the last slot.
    pub(crate) slot_first_ts: i64,
    /// Indices of the partial-rollout scenarios.
    pub(crate) rollouts: Vec<usize>,
    /// Next entry of `tl.extras` to write.
    pub(crate) next_extra: usize,
    /// Retries due, in time order.
    pub(crate) pending: Vec<incidents::Retry>,
}

impl<'a> Generator<'a> {
    pub(crate) fn new(cfg: &'a SynthConfig, tl: Timeline) -> Self {
        let mut rng = Rng::new(cfg.seed);
        let clients = (0..CLIENTS).map(|_| make_client(&mut rng)).collect();
        let builds = [
            rng.next_u64() & 0xffff_ffff,
            rng.next_u64() & 0xffff_ffff,
            rng.next_u64() & 0xffff_ffff,
        ];
        if cfg.env.traffic_salt != 0 {
            // Another host: the same clients, other requests.
            let mut salt = cfg.env.traffic_salt;
            rng = Rng::new(cfg.seed ^ splitmix64(&mut salt));
        }
        let of_kind = |kind| {
            tl.scenarios
                .iter()
                .enumerate()
                .filter(|(_, s)| s.kind == kind)
                .map(|(i, _)| i)
                .collect::<Vec<_>>()
        };
        let misconfig = of_kind(ScenarioKind::RouteMisconfig);
        let spikes = of_kind(ScenarioKind::TrafficSpike);
        let rollouts = tl
            .scenarios
            .iter()
            .enumerate()
            .filter(|(_, s)| s.rollout.is_some())
            .map(|(i, _)| i)
            .collect();
        Generator {
            cfg,
            rng,
            clock: Clock::new(cfg),
            time: TimeCache::of(cfg),
            clients,
            builds,
            emitted: 0,
            counts: vec![0; MAX_STATUS],
            truth: Truth::default(),
            seen_request: false,
            next_scan: 0,
            matched: vec![0; tl.scenarios.len()],
            misconfig,
            spikes,
            last_stray: None,
            slot_first_ts: cfg.start,
            rollouts,
            next_extra: 0,
            pending: Vec::new(),
            tl,
        }
    }

    /// Appends the next baseline line (preceded by a blank line sometimes,
    /// and by the scanner requests due before it; followed by a traffic
    /// spike's extra requests) to `buf`. Once `cfg.lines` baseline lines have
    /// been produced, appends the scanner requests left, once; then false.
    pub(crate) fn next_slot(&mut self, buf: &mut Vec<u8>) -> bool {
        let before = buf.len();
        if self.emitted >= self.cfg.lines {
            let Some(due) = self.next_due().filter(|_| self.cfg.lines > 0) else {
                return false;
            };
            self.slot_first_ts = due;
            self.write_due(buf, i64::MAX);
            self.truth.bytes += (buf.len() - before) as u64;
            return true;
        }
        let ts = self.clock.next(&mut self.rng);
        self.slot_first_ts = ts;
        if let Some(due) = self.next_due() {
            if due <= ts {
                self.slot_first_ts = due;
                self.write_due(buf, ts);
            }
        }
        if self.rng.ppm(self.cfg.blank_per_million) {
            buf.push(b'\n');
            self.truth.blank += 1;
        }
        self.emitted += 1;
        if self.rng.ppm(self.cfg.garbage_per_million) {
            self.truth.lines += 1;
            if self.write_garbage(buf, ts) {
                self.truth.error_lines += 1;
            } else {
                self.truth.garbage += 1;
            }
        } else {
            let status = self.write_request(buf, ts);
            self.count_request(status, ts);
        }
        buf.push(b'\n');
        for k in 0..self.spikes.len() {
            let s = &self.tl.scenarios[self.spikes[k]];
            if ts < s.start || ts >= s.end {
                continue;
            }
            // (multiplier - 1) more requests in the same second, on average.
            let more = s.mult_x10 - 10;
            let n = more / 10 + u64::from(self.rng.below(10) < more % 10);
            for _ in 0..n {
                let status = self.write_request(buf, ts);
                self.count_request(status, ts);
                buf.push(b'\n');
            }
        }
        self.truth.bytes += (buf.len() - before) as u64;
        true
    }

    pub(crate) fn count_request(&mut self, status: u16, ts: i64) {
        self.counts[usize::from(status) % MAX_STATUS] += 1;
        self.truth.lines += 1;
        self.truth.requests += 1;
        if !self.seen_request {
            self.truth.first = ts;
            self.seen_request = true;
        }
        self.truth.last = ts;
    }

    pub(crate) fn finish(self) -> Truth {
        self.finish_with_timeline().0
    }

    pub(crate) fn finish_with_timeline(mut self) -> (Truth, Timeline) {
        for (status, &n) in self.counts.iter().enumerate() {
            if n > 0 {
                self.truth.by_status.insert(status as u16, n);
            }
        }
        self.truth.status_501 = self.counts[501];
        self.truth.scenarios = self
            .tl
            .scenarios
            .iter()
            .zip(&self.matched)
            .map(|(s, &matched)| ScenarioTruth {
                label: s.kind.label().to_owned(),
                start: s.start,
                end: s.end,
                matched,
                detail: s.detail.clone(),
            })
            .collect();
        self.truth.deploys = self.tl.reloads.clone();
        let skew = self.cfg.env.clock_skew_secs;
        if skew != 0 {
            if self.seen_request {
                self.truth.first += skew;
                self.truth.last += skew;
            }
            for s in &mut self.truth.scenarios {
                s.start += skew;
                s.end += skew;
            }
            for d in &mut self.truth.deploys {
                *d += skew;
            }
        }
        (self.truth, self.tl)
    }

    pub(crate) fn pick_client(&mut self) -> usize {
        // Minimum of two uniforms: a few clients are much busier than others.
        let a = self.rng.below(CLIENTS as u64);
        let b = self.rng.below(CLIENTS as u64);
        a.min(b) as usize
    }

    /// Whether this request is a stray 501: drawn at the configured rate,
    /// at most one per [`STRAY_501_MIN_GAP_SECS`], never in a quiet window.
    fn stray_due(&mut self, ts: i64) -> bool {
        self.last_stray
            .is_none_or(|last| ts - last >= STRAY_501_MIN_GAP_SECS)
            && self.rng.ppm(self.cfg.stray_501_per_million)
            && !self
                .tl
                .quiet
                .iter()
                .any(|&(from, to)| ts >= from && ts < to)
    }

    /// Writes a valid line and returns its status.
    fn write_request(&mut self, buf: &mut Vec<u8>, ts: i64) -> u16 {
        let fmt = self.cfg.format;
        let nginx = fmt.is_nginx();
        let ci = self.pick_client();
        let edge = if self.rng.ppm(EDGE_CASE_PPM) {
            Some(match self.rng.below(4) {
                0 => Edge::Tls,
                1 => Edge::Timeout,
                2 if fmt != SynthFormat::ApacheCommon => Edge::QuotedAgent,
                _ => Edge::QuotedRequest,
            })
        } else {
            None
        };
        if let Some(kind @ (Edge::Tls | Edge::Timeout)) = edge {
            return self.write_broken_request(buf, ts, ci, kind);
        }

        let profile = self.clients[ci].profile;
        if matches!(profile, Profile::App | Profile::Browser | Profile::Script) {
            for k in 0..self.rollouts.len() {
                let i = self.rollouts[k];
                if self.rng.ppm(self.tl.scenarios[i].share_ppm) {
                    return self.write_rollout(buf, ts, ci, i);
                }
            }
        }
        let stray = self.stray_due(ts);
        let mut misconfig = None;
        let route = if edge == Some(Edge::QuotedRequest) {
            Route::Search
        } else if stray && self.rng.below(6) != 0 {
            // Most stray 501s are a scanner's PROPFIND or TRACE.
            Route::Rare
        } else {
            if !stray && matches!(profile, Profile::Browser | Profile::Script) {
                for &i in &self.misconfig {
                    if self.rng.ppm(self.tl.scenarios[i].share_ppm) {
                        misconfig = Some(i);
                        break;
                    }
                }
            }
            if misconfig.is_some() {
                Route::Misconfig
            } else {
                match profile {
                    Profile::Browser => self.rng.weighted(&BROWSER_ROUTES),
                    Profile::App => self.rng.weighted(&APP_ROUTES),
                    Profile::Bot => self.rng.weighted(&BOT_ROUTES),
                    Profile::Script => self.rng.weighted(&SCRIPT_ROUTES),
                    Profile::Scanner => self.rng.weighted(&SCANNER_ROUTES),
                }
            }
        };
        let method = self.pick_method(route, profile);
        let port = if self.rng.below(100) < 3 { 80 } else { 443 };
        let misrouted = misconfig.map(|i| self.tl.scenarios[i].route);
        let api = route.is_api() || misrouted.is_some_and(|r| r.starts_with("/api/"));
        self.write_vhost(buf, api, port);
        self.write_prefix(buf, ci, true, ts);
        buf.extend_from_slice(method.as_bytes());
        buf.push(b' ');
        if method == "TRACE" {
            buf.push(b'/');
        } else if let Some(path) = misrouted {
            buf.extend_from_slice(path.as_bytes());
            buf.extend_from_slice(self.rng.pick(&MISCONFIG_QUERIES).as_bytes());
        } else {
            self.write_path(buf, route, edge == Some(Edge::QuotedRequest), nginx);
        }
        buf.push(b' ');
        buf.extend_from_slice(self.clients[ci].proto.as_bytes());
        buf.extend_from_slice(b"\" ");

        // nginx picks the upstream node before the answer is known.
        let peer = (fmt == SynthFormat::NginxUpstream && !route.is_static() && misconfig.is_none())
            .then(|| self.rng.range(11, 10 + self.tl.nodes));
        let group = if edge == Some(Edge::QuotedAgent) {
            None
        } else {
            Group::of_ua(self.clients[ci].ua)
        };
        let status = if let Some(i) = misconfig {
            if self.rng.below(1_000_000) < u64::from(self.tl.scenarios[i].rate_ppm) {
                self.matched[i] += 1;
                501
            } else {
                200
            }
        } else if stray {
            self.last_stray = Some(ts);
            501
        } else {
            self.scenario_status(route, ts, peer, group)
                .unwrap_or_else(|| self.pick_status(route, method, ts))
        };
        let body = self.body_bytes(route, method, status);
        self.write_status_body(buf, status, body);
        if fmt == SynthFormat::ApacheCommon {
            return status;
        }

        buf.extend_from_slice(b" \"");
        let referer = self.pick_referer(route, profile);
        buf.extend_from_slice(referer.as_bytes());
        buf.extend_from_slice(b"\" \"");
        if edge == Some(Edge::QuotedAgent) {
            let q: &[u8] = if nginx { b"\\x22" } else { b"\\\"" };
            buf.extend_from_slice(b"Mozilla/5.0 (compatible; ");
            buf.extend_from_slice(q);
            buf.extend_from_slice(b"Nuclei");
            buf.extend_from_slice(q);
            buf.extend_from_slice(b" - Open-source project; +github.com/projectdiscovery/nuclei)");
        } else {
            buf.extend_from_slice(USER_AGENTS[self.clients[ci].ua].as_bytes());
        }
        buf.push(b'"');
        match fmt {
            SynthFormat::NginxMain => {
                buf.extend_from_slice(b" \"");
                buf.extend_from_slice(self.clients[ci].xff.as_bytes());
                buf.push(b'"');
            }
            SynthFormat::NginxUpstream => self.write_upstream(buf, api, status, body, peer),
            _ => {}
        }
        status
    }

    /// A 501 caused by a scenario whose window holds `ts` (the first, in
    /// start order, that fires), counted in its `matched`.
    fn scenario_status(
        &mut self,
        route: Route,
        ts: i64,
        peer: Option<u64>,
        group: Option<Group>,
    ) -> Option<u16> {
        for (i, s) in self.tl.scenarios.iter().enumerate() {
            if ts < s.start || ts >= s.end {
                continue;
            }
            let applies = match s.kind {
                ScenarioKind::UpstreamNode => {
                    peer == Some(s.node)
                        && s.rollout.is_none()
                        && (s.routes.is_empty() || s.routes.contains(&route))
                }
                ScenarioKind::DeviceSpecific => group == Some(s.group),
                ScenarioKind::PostDeploy if s.routes.is_empty() => route.is_app(),
                ScenarioKind::PostDeploy => s.routes.contains(&route),
                ScenarioKind::TrafficSpike => true,
                // The incidents resolve to the kinds above.
                _ => false,
            };
            let rate = match s.tail {
                Some((from, rate)) if ts >= from => rate,
                _ => s.rate_ppm,
            };
            if applies && self.rng.below(1_000_000) < u64::from(rate) {
                self.matched[i] += 1;
                return Some(501);
            }
        }
        None
    }
}
