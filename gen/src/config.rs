//! What to generate: the log formats, generic bursts, labelled scenarios
//! and the server's surroundings, and the [`SynthConfig`] that holds them.

use crate::timeline::Timeline;
use std::fmt;
use std::io;

/// Unix timestamp of 2026-05-07T00:00:00Z, the default [`SynthConfig::start`].
pub const DEFAULT_START: i64 = 1_778_112_000;

/// Default [`SynthConfig::stray_501_per_million`]: the rate of lone 501s
/// the generator has always written (a few generic ones, most of them a
/// scanner's `PROPFIND` or `TRACE`).
pub const DEFAULT_STRAY_501_PER_MILLION: u32 = 360;

/// Two stray 501s are at least this many seconds apart, so that no five
/// minutes ever hold more than two of them.
pub const STRAY_501_MIN_GAP_SECS: i64 = 150;

/// One of the access-log formats the generator can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SynthFormat {
    /// Nginx `combined`:
    /// `$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"`.
    NginxCombined,
    /// Nginx's stock `main`: `combined` followed by ` "$http_x_forwarded_for"`.
    NginxMain,
    /// Apache common log format: `%h %l %u %t "%r" %>s %b` (`%b` is `-` for zero bytes).
    ApacheCommon,
    /// Apache combined: common followed by ` "%{Referer}i" "%{User-Agent}i"`.
    ApacheCombined,
    /// Apache `vhost_combined`:
    /// `%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"`.
    ApacheVhostCombined,
    /// Nginx `combined` followed by upstream timings:
    /// ` rt=$request_time uct="$upstream_connect_time" uht="$upstream_header_time" urt="$upstream_response_time" ua="$upstream_addr" us="$upstream_status" host=$host`.
    NginxUpstream,
}

impl SynthFormat {
    /// Every format, in declaration order.
    pub const ALL: [SynthFormat; 6] = [
        SynthFormat::NginxCombined,
        SynthFormat::NginxMain,
        SynthFormat::ApacheCommon,
        SynthFormat::ApacheCombined,
        SynthFormat::ApacheVhostCombined,
        SynthFormat::NginxUpstream,
    ];

    /// The kebab-case name used on the command line, e.g. `nginx-combined`.
    pub fn name(&self) -> &'static str {
        match self {
            SynthFormat::NginxCombined => "nginx-combined",
            SynthFormat::NginxMain => "nginx-main",
            SynthFormat::ApacheCommon => "apache-common",
            SynthFormat::ApacheCombined => "apache-combined",
            SynthFormat::ApacheVhostCombined => "apache-vhost-combined",
            SynthFormat::NginxUpstream => "nginx-upstream",
        }
    }

    /// Parses a name produced by [`SynthFormat::name`] (ASCII case-insensitive,
    /// `_` accepted for `-`).
    pub fn from_name(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL.into_iter().find(|f| {
            let n = f.name().as_bytes();
            n.len() == s.len()
                && n.iter().zip(s.bytes()).all(|(&a, b)| {
                    let b = if b == b'_' { b'-' } else { b };
                    a == b.to_ascii_lowercase()
                })
        })
    }

    /// Whether the server is Nginx (which escapes `"` as `\x22`) rather than
    /// Apache (which escapes it as `\"`).
    pub(crate) fn is_nginx(self) -> bool {
        matches!(
            self,
            SynthFormat::NginxCombined | SynthFormat::NginxMain | SynthFormat::NginxUpstream
        )
    }
}

impl fmt::Display for SynthFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A window during which requests answer `501 Not Implemented` with
/// probability [`rate`](BurstSpec::rate).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BurstSpec {
    /// First second of the burst, unix seconds UTC.
    pub start: i64,
    /// Length of the burst in seconds; the window is `[start, start + duration_secs)`.
    pub duration_secs: i64,
    /// Probability (0.0 ..= 1.0) that an ordinary request inside the window answers 501.
    pub rate: f64,
}

impl BurstSpec {
    /// The default burst for a span: 15 minutes (or a tenth of the span if
    /// that is shorter, at least one second) starting at the middle of
    /// `[start, start + duration_secs)`, with rate 0.4.
    pub fn centered(start: i64, duration_secs: i64) -> Self {
        let span = duration_secs.max(1);
        BurstSpec {
            start: start + span / 2,
            duration_secs: (span / 10).clamp(1, 15 * 60),
            rate: 0.4,
        }
    }

    /// Whether unix second `ts` falls inside the burst window.
    pub fn contains(&self, ts: i64) -> bool {
        ts >= self.start && ts - self.start < self.duration_secs
    }
}

/// The known failure scenarios, named as the detector labels them.
///
/// Each one is injected into the access log (and, where the server would
/// say something, into the error log) by [`SynthConfig::scenarios`]; see
/// [`ScenarioSpec`] for what each does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ScenarioKind {
    /// A reload 1–3 minutes before the window, then 30–60 % of the requests
    /// the application serves (API, pages, search, login; not static files)
    /// answer 501. Volume unchanged.
    PostDeploy,
    /// One device group (the iOS app, or the Android app) gets 501 for about
    /// 85 % of its requests; every other client is fine.
    DeviceSpecific,
    /// Three to five times the usual traffic; 10–20 % of all requests answer
    /// 501 and the error log reports exhausted workers and upstream timeouts.
    TrafficSpike,
    /// One to three scanner addresses send 150–400 requests with methods the
    /// server does not implement (`PROPFIND`, `MKCOL`, a made-up verb…), all
    /// answered 501.
    UnsupportedMethod,
    /// One upstream node answers 501 to about 70 % of the requests proxied
    /// to it (`nginx-upstream` only: the node is only visible there).
    UpstreamNode,
    /// A route found nowhere else gets 0.5–1 % of the requests during the
    /// whole span and answers 501 to about 97 % of them.
    RouteMisconfig,
    // The realistic incidents of [`ScenarioKind::INCIDENTS`] (see
    // [`incidents`] for what each writes).
    /// Faint night-time device failure (`device_specific`): at night one
    /// device group (the iOS app, the Android app or iPad Safari) fails
    /// 30–100 % of its requests for 2–3 hours.
    NightDevice,
    /// Faint night-time node failure (`upstream_node`, nginx-upstream only):
    /// one of 4–5 upstream nodes fails 60–100 % of one route's requests at
    /// night for 1–3 hours; the node's other routes and the other nodes are
    /// fine.
    NightUpstream,
    /// A staged rollout (`upstream_node`): one of 3–6 nodes answers 501 to
    /// one method of a route that gets a few percent of the API traffic all
    /// along; the client retries a second later and another node answers.
    /// Works in every format but apache-common (the node shows only in
    /// nginx-upstream).
    PartialRollout,
    /// A traffic spike (`traffic_spike`, 20–30 minutes) inside a longer
    /// Android-app failure (`device_specific`, the whole window): two truths.
    SpikeInDevice,
    /// A bad deploy rolled back (`post_deploy`): a reload, 2–4 of the
    /// application's routes fail for the window, a second reload (the
    /// rollback) ends it.
    DeployRollback,
    /// What exposed servers answer 501 to (`unsupported_method`, one truth
    /// per cluster): TLS handshakes on the plain port, binary and empty
    /// request lines, a worm's lowercase `get`, `SEARCH /` probes and one
    /// scanner's `POST /`, each cluster from one to three addresses, spread
    /// over the window.
    InternetJunk,
    /// The file begins during an outage (`post_deploy`): a reload at the very
    /// start of the span, ~98 % of the application's requests answer 501 for
    /// 60 s while it starts, 2–5 % for a few minutes more. Always placed at
    /// the start of the span.
    ColdStart,
}

impl ScenarioKind {
    /// Every kind, in declaration order.
    pub const ALL: [ScenarioKind; 6] = [
        ScenarioKind::PostDeploy,
        ScenarioKind::DeviceSpecific,
        ScenarioKind::TrafficSpike,
        ScenarioKind::UnsupportedMethod,
        ScenarioKind::UpstreamNode,
        ScenarioKind::RouteMisconfig,
    ];

    /// The realistic incidents (none of them in [`ScenarioKind::ALL`]), in
    /// declaration order; each is labelled with one of the six labels.
    pub const INCIDENTS: [ScenarioKind; 7] = [
        ScenarioKind::NightDevice,
        ScenarioKind::NightUpstream,
        ScenarioKind::PartialRollout,
        ScenarioKind::SpikeInDevice,
        ScenarioKind::DeployRollback,
        ScenarioKind::InternetJunk,
        ScenarioKind::ColdStart,
    ];

    /// The detector's label, e.g. `post_deploy` (for
    /// [`ScenarioKind::SpikeInDevice`], the label of its longer part; its
    /// spike is labelled `traffic_spike`).
    pub fn label(&self) -> &'static str {
        match self {
            ScenarioKind::PostDeploy | ScenarioKind::DeployRollback | ScenarioKind::ColdStart => {
                "post_deploy"
            }
            ScenarioKind::DeviceSpecific
            | ScenarioKind::NightDevice
            | ScenarioKind::SpikeInDevice => "device_specific",
            ScenarioKind::TrafficSpike => "traffic_spike",
            ScenarioKind::UnsupportedMethod | ScenarioKind::InternetJunk => "unsupported_method",
            ScenarioKind::UpstreamNode
            | ScenarioKind::NightUpstream
            | ScenarioKind::PartialRollout => "upstream_node",
            ScenarioKind::RouteMisconfig => "route_misconfig",
        }
    }

    /// The name on the command line: the label for the six kinds of
    /// [`ScenarioKind::ALL`], e.g. `night_device` for the incidents.
    pub fn name(&self) -> &'static str {
        match self {
            ScenarioKind::NightDevice => "night_device",
            ScenarioKind::NightUpstream => "night_upstream",
            ScenarioKind::PartialRollout => "partial_rollout",
            ScenarioKind::SpikeInDevice => "spike_in_device",
            ScenarioKind::DeployRollback => "deploy_rollback",
            ScenarioKind::InternetJunk => "internet_junk",
            ScenarioKind::ColdStart => "cold_start",
            other => other.label(),
        }
    }

    /// Parses a [`ScenarioKind::name`] of any kind, the six of
    /// [`ScenarioKind::ALL`] and the [incidents](ScenarioKind::INCIDENTS)
    /// (ASCII case-insensitive, `-` accepted for `_`, blanks ignored).
    pub fn from_name(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL.into_iter().chain(Self::INCIDENTS).find(|k| {
            let n = k.name().as_bytes();
            n.len() == s.len()
                && n.iter().zip(s.bytes()).all(|(&a, b)| {
                    let b = if b == b'-' { b'_' } else { b };
                    a == b.to_ascii_lowercase()
                })
        })
    }

    /// Whether the kind can only be written in nginx-upstream (the only
    /// format that shows the upstream node).
    pub fn needs_upstream(&self) -> bool {
        matches!(
            self,
            ScenarioKind::UpstreamNode | ScenarioKind::NightUpstream
        )
    }

    /// Whether the kind happens at night (01:00–05:00 local) when
    /// [placed](ScenarioSpec::place).
    pub fn at_night(&self) -> bool {
        matches!(
            self,
            ScenarioKind::NightDevice | ScenarioKind::NightUpstream
        )
    }

    /// Whether the kind ignores its start and begins with the span
    /// (only [`ScenarioKind::ColdStart`]).
    pub fn at_span_start(&self) -> bool {
        *self == ScenarioKind::ColdStart
    }

    /// Parses a label produced by [`ScenarioKind::label`] (ASCII
    /// case-insensitive, `-` accepted for `_`, surrounding blanks ignored).
    pub fn from_label(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL.into_iter().find(|k| {
            let n = k.label().as_bytes();
            n.len() == s.len()
                && n.iter().zip(s.bytes()).all(|(&a, b)| {
                    let b = if b == b'-' { b'_' } else { b };
                    a == b.to_ascii_lowercase()
                })
        })
    }

    /// Length of the window when none is given: post_deploy 30 minutes,
    /// device_specific 45, traffic_spike 25, unsupported_method 10,
    /// upstream_node 40; route_misconfig always covers the whole span (0).
    pub fn default_duration_secs(&self) -> i64 {
        match self {
            ScenarioKind::PostDeploy => 30 * 60,
            ScenarioKind::DeviceSpecific => 45 * 60,
            ScenarioKind::TrafficSpike => 25 * 60,
            ScenarioKind::UnsupportedMethod => 10 * 60,
            ScenarioKind::UpstreamNode => 40 * 60,
            ScenarioKind::RouteMisconfig => 0,
            ScenarioKind::NightDevice => 150 * 60,
            ScenarioKind::NightUpstream => 120 * 60,
            ScenarioKind::PartialRollout => 180 * 60,
            ScenarioKind::SpikeInDevice => 150 * 60,
            ScenarioKind::DeployRollback => 40 * 60,
            ScenarioKind::InternetJunk => 6 * 3600,
            ScenarioKind::ColdStart => 5 * 60,
        }
    }

    /// Whether the scenario ignores its window and covers the whole span
    /// (only [`ScenarioKind::RouteMisconfig`]).
    pub fn covers_whole_span(&self) -> bool {
        *self == ScenarioKind::RouteMisconfig
    }
}

impl fmt::Display for ScenarioKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One failure scenario to inject, in `[start, start + duration_secs)`.
///
/// Every parameter not given here (rates, the device group, the node, the
/// route, the scanner addresses and methods, the reload time) is drawn from
/// the configuration's seed, the kind and the window, so adding a scenario
/// does not change the others. A window is clipped to the span and must
/// overlap it; [`ScenarioKind::RouteMisconfig`] ignores its window and
/// covers the whole span.
///
/// When windows overlap, a request is attributed to the first scenario (in
/// start order) that turns it into a 501. Stray 501s are never written inside
/// a window (nor between a post-deploy reload and its window).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScenarioSpec {
    /// What happens.
    pub kind: ScenarioKind,
    /// First second of the window, unix seconds UTC.
    pub start: i64,
    /// Length of the window in seconds (positive).
    pub duration_secs: i64,
}

impl ScenarioSpec {
    /// Places `kinds` over the span `[start, start + duration_secs)` so that
    /// their windows do not overlap: each window (with its kind's [default
    /// length](ScenarioKind::default_duration_secs), shortened on short
    /// spans) is centred at one of the evenly spaced points 1/(n+1), 2/(n+1),
    /// … of the span (n = the number of kinds that have a window). On spans
    /// of a day or more, a point moves into the busy hours of its local day
    /// (zone `tz_offset_secs`): local time of day t becomes 09:00 + t/2. A
    /// route misconfiguration covers the whole span. (For the
    /// [incidents](ScenarioKind::INCIDENTS), which want the night or the
    /// start of the span, use [`ScenarioSpec::place`].)
    pub fn spread(
        kinds: &[ScenarioKind],
        start: i64,
        duration_secs: i64,
        tz_offset_secs: i32,
    ) -> Vec<ScenarioSpec> {
        let span = duration_secs.max(1);
        let end = start.saturating_add(span);
        let tz = i64::from(tz_offset_secs);
        let timed = kinds.iter().filter(|k| !k.covers_whole_span()).count() as i64;
        let room = (span / (2 * (timed + 1))).max(1);
        let mut i = 0;
        let mut prev_end = i64::MIN;
        kinds
            .iter()
            .map(|&kind| {
                if kind.covers_whole_span() {
                    return ScenarioSpec {
                        kind,
                        start,
                        duration_secs: span,
                    };
                }
                i += 1;
                let duration = kind.default_duration_secs().min(room);
                let even =
                    start + (i128::from(span) * i128::from(i) / i128::from(timed + 1)) as i64;
                let fits = |centre: i64| {
                    let from = centre - duration / 2;
                    (from >= start && from + duration <= end && from >= prev_end).then_some(from)
                };
                let busy = (span >= 86_400)
                    .then(|| {
                        let local = even + tz;
                        let day = local.div_euclid(86_400) * 86_400;
                        fits(day + 9 * 3600 + (local - day) / 2 - tz)
                    })
                    .flatten();
                let from = busy
                    .or_else(|| fits(even))
                    .unwrap_or_else(|| (even - duration / 2).max(start));
                prev_end = from + duration;
                ScenarioSpec {
                    kind,
                    start: from,
                    duration_secs: duration,
                }
            })
            .collect()
    }
}

/// Everything the generator needs; see [`SynthConfig::default`].
#[derive(Debug, Clone, PartialEq)]
pub struct SynthConfig {
    /// PRNG seed; equal configurations produce identical output.
    pub seed: u64,
    /// Number of non-blank lines of baseline traffic to write (valid
    /// requests plus garbage). A traffic spike's extra requests and a
    /// scanner's requests come on top (see [`Truth::lines`](crate::Truth::lines)).
    pub lines: u64,
    /// Log format of the valid lines.
    pub format: SynthFormat,
    /// Timestamp of the beginning of the span, unix seconds UTC.
    pub start: i64,
    /// Zone written in the log (local time = UTC + offset), e.g. `+0200` is 7200.
    pub tz_offset_secs: i32,
    /// Lines are spread over `[start, start + duration_secs)` with a diurnal
    /// shape; timestamps never decrease.
    pub duration_secs: i64,
    /// Probability, per million non-blank lines, that a line is garbage.
    pub garbage_per_million: u32,
    /// Probability, per million non-blank lines, that an empty line precedes it.
    pub blank_per_million: u32,
    /// Windows of elevated 501s (generic, unlabelled).
    pub bursts: Vec<BurstSpec>,
    /// Labelled failure scenarios to inject (default: none).
    pub scenarios: Vec<ScenarioSpec>,
    /// Lone 501s among ordinary requests, per million requests (default
    /// [`DEFAULT_STRAY_501_PER_MILLION`]): most are a scanner's single
    /// `PROPFIND` or `TRACE`, some an ordinary request. Two of them are
    /// always at least [`STRAY_501_MIN_GAP_SECS`] apart, and none falls
    /// inside a scenario's window.
    pub stray_501_per_million: u32,
    /// The server's surroundings: zone change, clock skew, upstream pool,
    /// nightly reloads, background scanner and uptime monitors (default:
    /// none of them, which writes what the generator always wrote).
    pub env: Environment,
}

/// A change of the zone the log is written in (a DST switch), at a UTC
/// instant: lines from `at` on are written with `offset_secs`. Times stay
/// monotonic in UTC; the written local times jump.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TzChange {
    /// First second written in the new zone, unix seconds UTC.
    pub at: i64,
    /// The new zone (local = UTC + offset), e.g. 7200 for `+0200`.
    pub offset_secs: i32,
}

/// Where the server runs and what hits it besides the traffic; every
/// default changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Environment {
    /// A DST switch (see [`TzChange`]).
    pub tz_change: Option<TzChange>,
    /// The host's clock is this many seconds ahead (negative: behind) of
    /// the true time: every written time, access and error log, is shifted,
    /// and so are the times of the [`Truth`](crate::Truth) (which describe the log as
    /// written).
    pub clock_skew_secs: i64,
    /// Non-zero: the traffic (which client sends what, when) is drawn from
    /// the seed salted with this, while the client population, the
    /// scenarios' parameters and the error log's reloads stay those of the
    /// seed: a second host behind the same load balancer.
    pub traffic_salt: u64,
    /// Upstream nodes `10.0.1.11`, `10.0.1.12`, … the requests are spread
    /// over (0: four, or the pool a [`ScenarioKind::PartialRollout`] or
    /// [`ScenarioKind::NightUpstream`] draws). 2 to 9.
    pub upstream_nodes: u8,
    /// logrotate reloads the server every night at about 00:00 local (a
    /// reload in the error log and in [`Truth::deploys`](crate::Truth::deploys); nginx's
    /// `reopening logs` is then not written).
    pub nightly_reload: bool,
    /// One scanner address probes junk routes (`/wp-login.php`, `/.env`, …)
    /// all along, a few requests an hour answered 404 or 403, and every
    /// half hour to hour and a half one with an odd method answered 501. No
    /// scenario.
    pub background_scanner: bool,
    /// Uptime monitors (0 to 2) sending one request a minute all along that
    /// always answers 501: `OPTIONS /healthz` from UptimeRobot, `HEAD
    /// /status` from Pingdom. No scenario.
    pub uptime_monitors: u8,
}

impl Default for SynthConfig {
    /// Seed 1, 100 000 lines of `nginx-combined` over 2026-05-07 (UTC) written
    /// in `+0200`, 200 garbage and 50 blank lines per million, and one
    /// [`BurstSpec::centered`] 501 burst (12:00–12:15 UTC, rate 0.4), no
    /// scenario, and [`DEFAULT_STRAY_501_PER_MILLION`] stray 501s.
    fn default() -> Self {
        let start = DEFAULT_START;
        let duration_secs = 86_400;
        SynthConfig {
            seed: 1,
            lines: 100_000,
            format: SynthFormat::NginxCombined,
            start,
            tz_offset_secs: 7200,
            duration_secs,
            garbage_per_million: 200,
            blank_per_million: 50,
            bursts: vec![BurstSpec::centered(start, duration_secs)],
            scenarios: Vec::new(),
            stray_501_per_million: DEFAULT_STRAY_501_PER_MILLION,
            env: Environment::default(),
        }
    }
}

impl SynthConfig {
    /// Checks that every scenario can be written: fails with
    /// [`io::ErrorKind::InvalidInput`] (as the generating functions do) when
    /// an upstream_node or night_upstream scenario is asked of a format other
    /// than `nginx-upstream`, a device_specific, night_device or
    /// spike_in_device one of `apache-common` (no user agent), a window is
    /// empty or outside the span, or the [`Environment`] is out of range.
    pub fn validate(&self) -> io::Result<()> {
        Timeline::new(self).map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for f in SynthFormat::ALL {
            assert_eq!(SynthFormat::from_name(f.name()), Some(f));
        }
        assert_eq!(
            SynthFormat::from_name("Apache_Vhost_Combined"),
            Some(SynthFormat::ApacheVhostCombined)
        );
        assert_eq!(SynthFormat::from_name("iis"), None);
    }

    #[test]
    fn scenario_labels_round_trip() {
        let labels: Vec<&str> = ScenarioKind::ALL.iter().map(|k| k.label()).collect();
        assert_eq!(
            labels,
            [
                "post_deploy",
                "device_specific",
                "traffic_spike",
                "unsupported_method",
                "upstream_node",
                "route_misconfig"
            ]
        );
        for k in ScenarioKind::ALL {
            assert_eq!(ScenarioKind::from_label(k.label()), Some(k));
            assert_eq!(k.to_string(), k.label());
        }
        assert_eq!(
            ScenarioKind::from_label(" Traffic-Spike "),
            Some(ScenarioKind::TrafficSpike)
        );
        assert_eq!(ScenarioKind::from_label("spike"), None);
    }
}
