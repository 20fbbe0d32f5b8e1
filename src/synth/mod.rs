//! Seeded synthetic access- and error-log generator.
//!
//! [`generate`] writes realistic Nginx or Apache access-log lines (diurnal
//! traffic, IPv4 and IPv6 clients, browsers, apps, bots and scanners, a few
//! lenient-parsing edge cases, garbage and blank lines, lone stray 501s,
//! configurable bursts of `501 Not Implemented` and labelled failure
//! [scenarios](ScenarioKind)) and returns a [`Truth`] that counts exactly what
//! was written, so that the analyzer can be checked against it.
//! [`generate_error_log`] writes the error log of the same timeline (reloads,
//! log rotation, background noise and what each scenario makes the server
//! say), and [`generate_dir`] writes both as rotated families.
//!
//! The realistic incidents of [`ScenarioKind::INCIDENTS`] (faint night-time
//! failures, a partial rollout with retries, overlapping incidents, a
//! rolled-back deploy, junk from the internet, a log that starts in an
//! outage) and the server's [`Environment`] (DST switch, clock skew, upstream
//! pool, nightly reloads, a background scanner, uptime monitors) are
//! described in the `incidents` module's source; [`quiet_week`],
//! [`generate_two_hosts`] and [`generate_mixed_dir`] combine them.
//!
//! Output is a pure function of the [`SynthConfig`]: the same configuration
//! (seed included) always produces the same bytes, on every platform (the
//! generator uses only integer arithmetic and its own PRNG, apart from the
//! comparison against [`BurstSpec::rate`]).

use flate2::write::GzEncoder;
use flate2::Compression;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Unix timestamp of 2026-05-07T00:00:00Z, the default [`SynthConfig::start`].
pub const DEFAULT_START: i64 = 1_778_112_000;

/// Size of the output chunks handed to the writer.
const CHUNK: usize = 64 * 1024;
/// Largest status code tracked (exclusive).
const MAX_STATUS: usize = 1000;
/// Default [`SynthConfig::stray_501_per_million`]: the rate of lone 501s
/// the generator has always written (a few generic ones, most of them a
/// scanner's `PROPFIND` or `TRACE`).
pub const DEFAULT_STRAY_501_PER_MILLION: u32 = 360;
/// Two stray 501s are at least this many seconds apart, so that no five
/// minutes ever hold more than two of them.
pub const STRAY_501_MIN_GAP_SECS: i64 = 150;
/// Lenient-parsing edge cases among valid lines, per million requests.
const EDGE_CASE_PPM: u32 = 400;
/// Number of distinct clients in the synthetic population.
const CLIENTS: usize = 3000;

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
    fn is_nginx(self) -> bool {
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
    /// scanner's requests come on top (see [`Truth::lines`]).
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
    /// and so are the times of the [`Truth`] (which describe the log as
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
    /// reload in the error log and in [`Truth::deploys`]; nginx's
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

/// Exact counts of what the generator wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Truth {
    /// Non-blank lines written (`requests + garbage + error_lines`). This is
    /// [`SynthConfig::lines`] plus the requests scenarios add on top of the
    /// baseline traffic (a traffic spike's extra requests, a scanner's
    /// requests).
    pub lines: u64,
    /// Empty lines written.
    pub blank: u64,
    /// Lines that are not valid log lines.
    pub garbage: u64,
    /// Error-log lines (nginx or Apache layout) written among the access
    /// lines: real log lines, but not requests.
    pub error_lines: u64,
    /// Valid log lines (including edge cases such as TLS garbage requests answered 400).
    pub requests: u64,
    /// Valid lines per status code.
    pub by_status: BTreeMap<u16, u64>,
    /// Valid lines with status 501.
    pub status_501: u64,
    /// Timestamp of the first valid line, unix seconds UTC (0 when there is none).
    pub first: i64,
    /// Timestamp of the last valid line, unix seconds UTC (0 when there is none).
    pub last: i64,
    /// Bytes written, uncompressed, newlines and blank lines included.
    pub bytes: u64,
    /// One entry per injected scenario, in start order.
    pub scenarios: Vec<ScenarioTruth>,
    /// Every reload the timeline's error log holds ([`generate_error_log`]
    /// writes them), unix seconds UTC, oldest first: post-deploy reloads and
    /// benign daily deploys. Filled by every generating function, whether or
    /// not an error log is written.
    pub deploys: Vec<i64>,
}

/// What one injected scenario did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScenarioTruth {
    /// The [`ScenarioKind::label`].
    pub label: String,
    /// First second of its window, unix seconds UTC (clipped to the span).
    pub start: i64,
    /// End of its window, exclusive, unix seconds UTC (clipped to the span).
    pub end: i64,
    /// 501 lines this scenario caused (stray 501s and generic bursts are
    /// never counted here).
    pub matched: u64,
    /// What failed: `ios app` or `android app` (device_specific), the node
    /// `10.0.1.13:8080` (upstream_node), the route (route_misconfig),
    /// `PROPFIND,MKCOL,FOOBAR from 45.146.165.37` (unsupported_method: the
    /// methods, then the scanner addresses), `reload at …Z, 44% of app
    /// requests` (post_deploy), `x3.6 traffic, 14% of requests`
    /// (traffic_spike). The [incidents](ScenarioKind::INCIDENTS) say more:
    /// `ios app: 52% of its requests, 02:00–04:30 local`, `10.0.1.12:8080
    /// (1 of 4 nodes) lacks PATCH /legacy-service/accounts/<id> during a
    /// rollout, …`, `reload at …, 3 of 9 app routes (…) at 80%; rolled back by
    /// a reload at …`, `SEARCH / probes: 41 requests from 167.106.119.28, …`
    /// (the group, node or route first; what was sent, then the addresses,
    /// last).
    pub detail: String,
}

/// Exact counts of an error log [`generate_error_log`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ErrorTruth {
    /// Lines written.
    pub lines: u64,
    /// Reload times, unix seconds UTC, oldest first (the same as
    /// [`Truth::deploys`]).
    pub reloads: Vec<i64>,
    /// Events per kind, as fiveohone's event table
    /// (`grammars/error-events.conf`) classifies them: `reload` counts whole
    /// reload sequences (each is several lines, none of them counted
    /// elsewhere except the sequence's plain `other` lines such as `exiting`);
    /// `upstream_timeout`, `upstream_refused`, `worker_exhaustion`,
    /// `invalid_method` and `other` count lines. All six keys are present.
    pub by_kind: BTreeMap<String, u64>,
}

/// Writes `cfg.lines` non-blank lines of baseline traffic (plus blank lines,
/// and the requests scenarios add) to `out` and flushes it.
///
/// The output is produced in 64 KiB chunks, so an unbuffered writer is fine.
/// Fails with [`io::ErrorKind::InvalidInput`] when a scenario cannot be
/// written in `cfg.format` or lies outside the span (see [`ScenarioSpec`]).
pub fn generate<W: Write>(cfg: &SynthConfig, out: &mut W) -> io::Result<Truth> {
    let mut gen = Generator::new(cfg, Timeline::new(cfg)?);
    let mut buf = Vec::with_capacity(CHUNK + 4096);
    while gen.next_slot(&mut buf) {
        if buf.len() >= CHUNK {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    out.write_all(&buf)?;
    out.flush()?;
    Ok(gen.finish())
}

/// Writes a rotated family like logrotate does: `<dir>/access.log` (newest),
/// `access.log.1`, `access.log.2.gz`, ... `access.log.N.gz` (oldest), splitting
/// the generated lines in time order into `files` parts (parts with index >= 2
/// gzip-compressed). Returns the truth over all parts.
///
/// `base` is the file name (`access.log` above). The baseline lines are split
/// evenly; a blank line, and the requests a scenario adds, go to the part of
/// the baseline line they come with. The decompressed parts concatenated
/// oldest → newest are byte-identical to [`generate`] with the same
/// configuration. `dir` is created if needed; existing files with the
/// generated names are overwritten, others are left alone.
pub fn generate_rotated(
    cfg: &SynthConfig,
    dir: &Path,
    base: &str,
    files: usize,
) -> io::Result<Truth> {
    check_family(base, files)?;
    let timeline = Timeline::new(cfg)?;
    fs::create_dir_all(dir)?;
    Ok(write_access_family(cfg, timeline, dir, base, files)?.0)
}

/// Writes the error log of `cfg`'s timeline to `out` and flushes it: nginx's
/// layout for the nginx formats, Apache 2.4's default `ErrorLogFormat` for
/// the Apache ones, with local times (UTC + [`SynthConfig::tz_offset_secs`])
/// as the servers write them.
///
/// It holds, in time order: a few background lines an hour (missing files,
/// closed connections, the odd upstream timeout), nginx's daily `reopening
/// logs` after logrotate (not a reload), on a timeline longer than a day one
/// benign reload per day at a random working-hours time at least two hours
/// away from any scenario and burst, each post-deploy scenario's reload
/// sequence (1–3 minutes before its window), a traffic spike's exhausted
/// workers and upstream timeouts, and a few invalid-method lines for a
/// scanner. Every reload is followed by 0–2 `Connection refused` lines while
/// the application restarts. Times never decrease. The reloads are exactly
/// [`Truth::deploys`] of the access log of the same configuration.
///
/// The error log does not depend on [`SynthConfig::lines`]: it covers the
/// span whatever the traffic.
pub fn generate_error_log<W: Write>(cfg: &SynthConfig, out: &mut W) -> io::Result<ErrorTruth> {
    let timeline = Timeline::new(cfg)?;
    let mut buf = Vec::with_capacity(CHUNK + 4096);
    let truth = write_error_log(cfg, &timeline, |_, line| {
        buf.extend_from_slice(line);
        if buf.len() >= CHUNK {
            out.write_all(&buf)?;
            buf.clear();
        }
        Ok(())
    })?;
    out.write_all(&buf)?;
    out.flush()?;
    Ok(truth)
}

/// Writes `access.log*` (as [`generate_rotated`] does) and the matching
/// `error.log`, `error.log.1`, `error.log.2.gz`, … (the same number of files)
/// into `dir`. Error lines are split at the times the access parts start: an
/// error line goes to the part whose access lines started at or before it
/// (an empty access part gets an empty error part), and a reload sequence is
/// never split. Returns the access truth (with [`Truth::deploys`]) and the
/// error truth.
pub fn generate_dir(
    cfg: &SynthConfig,
    dir: &Path,
    files: usize,
) -> io::Result<(Truth, ErrorTruth)> {
    generate_family(cfg, dir, "access.log", "error.log", files)
}

/// [`generate_dir`] with other file names, e.g. `other_vhosts_access.log`
/// and `other_vhosts_error.log`.
pub fn generate_family(
    cfg: &SynthConfig,
    dir: &Path,
    access_base: &str,
    error_base: &str,
    files: usize,
) -> io::Result<(Truth, ErrorTruth)> {
    check_family(access_base, files)?;
    check_family(error_base, files)?;
    if access_base == error_base {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the access and error logs need different names",
        ));
    }
    let timeline = Timeline::new(cfg)?;
    fs::create_dir_all(dir)?;
    let (truth, starts, timeline) = write_access_family(cfg, timeline, dir, access_base, files)?;
    let mut part = 0;
    let mut file = PartFile::create(dir, error_base, files - 1)?;
    let error = write_error_log(cfg, &timeline, |ts, line| {
        // The last part whose access lines started at or before `ts`.
        let want = starts.partition_point(|&s| s <= ts).max(1) - 1;
        while part < want {
            std::mem::replace(
                &mut file,
                PartFile::create(dir, error_base, files - 2 - part)?,
            )
            .finish()?;
            part += 1;
        }
        file.write_all(line)
    })?;
    file.finish()?;
    for index in (0..files - 1 - part).rev() {
        PartFile::create(dir, error_base, index)?.finish()?;
    }
    Ok((truth, error))
}

fn check_family(base: &str, files: usize) -> io::Result<()> {
    if files == 0 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the number of rotated files must be at least 1",
        ));
    }
    if base.is_empty() || base.contains(['/', '\\']) || base == "." || base == ".." {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("invalid log file name {base:?}"),
        ));
    }
    Ok(())
}

/// One file of a rotated family: index 0 is `base`, 1 is `base.1`, 2 and
/// up are `base.N.gz`.
enum PartFile {
    Plain(BufWriter<File>),
    Gzip(Box<GzEncoder<BufWriter<File>>>),
}

impl PartFile {
    fn path(dir: &Path, base: &str, index: usize) -> PathBuf {
        match index {
            0 => dir.join(base),
            1 => dir.join(format!("{base}.1")),
            n => dir.join(format!("{base}.{n}.gz")),
        }
    }

    fn create(dir: &Path, base: &str, index: usize) -> io::Result<PartFile> {
        let file = BufWriter::with_capacity(CHUNK, File::create(Self::path(dir, base, index))?);
        Ok(if index >= 2 {
            PartFile::Gzip(Box::new(GzEncoder::new(file, Compression::new(6))))
        } else {
            PartFile::Plain(file)
        })
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self {
            PartFile::Plain(f) => f.write_all(bytes),
            PartFile::Gzip(f) => f.write_all(bytes),
        }
    }

    fn finish(self) -> io::Result<()> {
        let mut file = match self {
            PartFile::Plain(f) => f,
            PartFile::Gzip(f) => f.finish()?,
        };
        file.flush()
    }
}

/// Writes the access family; returns the truth, the time of the first line
/// of each part (oldest first; `i64::MIN` for the first part, and an empty
/// part takes the time of the next non-empty one, or `i64::MAX`) and the
/// timeline back.
fn write_access_family(
    cfg: &SynthConfig,
    timeline: Timeline,
    dir: &Path,
    base: &str,
    files: usize,
) -> io::Result<(Truth, Vec<i64>, Timeline)> {
    let mut gen = Generator::new(cfg, timeline);
    let mut buf = Vec::with_capacity(CHUNK + 4096);
    let mut starts: Vec<Option<i64>> = Vec::with_capacity(files);
    for part in 0..files {
        let index = files - 1 - part;
        let end = (u128::from(cfg.lines) * (part as u128 + 1) / files as u128) as u64;
        let mut file = PartFile::create(dir, base, index)?;
        starts.push(write_part(&mut gen, &mut buf, &mut file, end, index == 0)?);
        file.finish()?;
    }
    let mut next = i64::MAX;
    let mut times = vec![0; files];
    for (t, s) in times.iter_mut().zip(&starts).rev() {
        next = s.unwrap_or(next);
        *t = next;
    }
    times[0] = i64::MIN;
    let (truth, timeline) = gen.finish_with_timeline();
    Ok((truth, times, timeline))
}

/// Estimates how many non-blank lines `cfg` needs to produce about
/// `target_bytes` bytes of uncompressed output, by generating a sample with
/// the same configuration and measuring its average line length.
pub fn lines_for_size(cfg: &SynthConfig, target_bytes: u64) -> u64 {
    if target_bytes == 0 {
        return 0;
    }
    let sample_lines = 20_000;
    let mut sample = SynthConfig {
        lines: sample_lines,
        ..cfg.clone()
    };
    let timeline = Timeline::new(&sample).unwrap_or_else(|_| {
        sample.scenarios.clear();
        Timeline::new(&sample).expect("a timeline without scenarios is always valid")
    });
    let mut gen = Generator::new(&sample, timeline);
    let mut buf = Vec::with_capacity(CHUNK + 4096);
    let mut bytes = 0u64;
    while gen.next_slot(&mut buf) {
        bytes += buf.len() as u64;
        buf.clear();
    }
    let bytes = bytes.max(1) as u128;
    let lines = (u128::from(target_bytes) * u128::from(sample_lines)).div_ceil(bytes);
    u64::try_from(lines).unwrap_or(u64::MAX).max(1)
}

/// Writes slots until `end` baseline lines have been generated in total (and,
/// for the `last` part, whatever injected requests remain); returns the time
/// of the part's first line, if it has one.
fn write_part(
    gen: &mut Generator<'_>,
    buf: &mut Vec<u8>,
    out: &mut PartFile,
    end: u64,
    last: bool,
) -> io::Result<Option<i64>> {
    let mut first = None;
    while (gen.emitted < end || last) && gen.next_slot(buf) {
        first.get_or_insert(gen.slot_first_ts);
        if buf.len() >= CHUNK {
            out.write_all(buf)?;
            buf.clear();
        }
    }
    out.write_all(buf)?;
    buf.clear();
    Ok(first)
}

// ---------------------------------------------------------------------------
// PRNG

/// One step of splitmix64, used to seed xoshiro256**.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xoshiro256** (Blackman & Vigna).
struct Rng {
    s: [u64; 4],
}

impl Rng {
    fn new(seed: u64) -> Self {
        let mut st = seed;
        let mut s = [0u64; 4];
        for v in &mut s {
            *v = splitmix64(&mut st);
        }
        if s == [0; 4] {
            s[0] = 1;
        }
        Rng { s }
    }

    fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in `0..n` (`n > 0`; Lemire's multiply-shift, negligible bias).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `ppm` per million.
    fn ppm(&mut self, ppm: u32) -> bool {
        self.below(1_000_000) < u64::from(ppm)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// Picks from `(value, weight)` pairs.
    fn weighted<T: Copy>(&mut self, table: &[(T, u32)]) -> T {
        let total: u64 = table.iter().map(|&(_, w)| u64::from(w)).sum();
        let mut r = self.below(total.max(1));
        for &(v, w) in table {
            if r < u64::from(w) {
                return v;
            }
            r -= u64::from(w);
        }
        table[table.len() - 1].0
    }
}

// ---------------------------------------------------------------------------
// Time

/// Relative traffic per local hour of day (minimum before dawn, plateau in
/// the afternoon).
const HOURLY: [u64; 24] = [
    30, 20, 14, 11, 10, 12, 20, 35, 55, 72, 82, 88, 90, 92, 95, 97, 96, 92, 88, 86, 84, 76, 60, 44,
];

/// Diurnal weight of the local second-of-epoch `local`, interpolated per minute.
fn diurnal(local: i64) -> u64 {
    let sod = local.rem_euclid(86_400) as u64;
    let h = (sod / 3600) as usize;
    let m = (sod % 3600) / 60;
    HOURLY[h] * (60 - m) + HOURLY[(h + 1) % 24] * m
}

/// Hands out non-decreasing timestamps following the diurnal shape: the span
/// is cut into buckets, each bucket receives a share of the lines proportional
/// to its weight, and lines are spread with jitter inside their bucket.
struct Clock {
    tz: i64,
    /// A DST switch: from this UTC second on, this offset.
    change: Option<(i64, i64)>,
    end: i64,
    bucket: i64,
    lines: u64,
    total_w: u128,
    cum_w: u128,
    assigned: u64,
    next_start: i64,
    cur_start: i64,
    cur_len: i64,
    in_bucket: u64,
    k: u64,
}

impl Clock {
    fn new(cfg: &SynthConfig) -> Self {
        let span = cfg.duration_secs.max(1);
        let end = cfg.start.saturating_add(span);
        let span = end - cfg.start;
        // Keep the number of buckets bounded for very long spans.
        let bucket = 60 * (span / 60 / 1_000_000 + 1);
        let tz = i64::from(cfg.tz_offset_secs);
        let change = cfg.env.tz_change.map(|c| (c.at, i64::from(c.offset_secs)));
        let local = |s: i64| match change {
            Some((at, tz2)) if s >= at => s + tz2,
            _ => s + tz,
        };
        let mut total_w = 0u128;
        let mut s = cfg.start;
        while s < end {
            let len = bucket.min(end - s);
            total_w += u128::from(diurnal(local(s))) * len as u128;
            s += len;
        }
        Clock {
            tz,
            change,
            end,
            bucket,
            lines: cfg.lines,
            total_w: total_w.max(1),
            cum_w: 0,
            assigned: 0,
            next_start: cfg.start,
            cur_start: cfg.start,
            cur_len: 1,
            in_bucket: 0,
            k: 0,
        }
    }

    fn advance(&mut self) {
        let s = self.next_start;
        if s >= self.end {
            // Only reachable if called more than `lines` times.
            self.cur_start = self.end - 1;
            self.cur_len = 1;
            self.in_bucket = u64::MAX;
            self.k = 0;
            return;
        }
        let len = self.bucket.min(self.end - s);
        let local = match self.change {
            Some((at, tz2)) if s >= at => s + tz2,
            _ => s + self.tz,
        };
        self.cum_w += u128::from(diurnal(local)) * len as u128;
        let target = if s + len >= self.end {
            self.lines
        } else {
            (u128::from(self.lines) * self.cum_w / self.total_w) as u64
        };
        let target = target.clamp(self.assigned, self.lines);
        self.in_bucket = target - self.assigned;
        self.assigned = target;
        self.cur_start = s;
        self.cur_len = len;
        self.next_start = s + len;
        self.k = 0;
    }

    fn next(&mut self, rng: &mut Rng) -> i64 {
        while self.k >= self.in_bucket {
            self.advance();
        }
        let n = u128::from(self.in_bucket);
        let len = self.cur_len as u128;
        let jitter = u128::from(rng.next_u64() >> 32);
        let off = ((u128::from(self.k) << 32) + jitter) * len / (n << 32);
        self.k += 1;
        self.cur_start + off as i64
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];

/// Broken-down local time.
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    min: u32,
    sec: u32,
    /// Index into [`WEEKDAYS`].
    wday: usize,
}

/// Converts `local` (seconds since the epoch, already shifted to local time).
fn civil(local: i64) -> Civil {
    let days = local.div_euclid(86_400);
    let sod = local.rem_euclid(86_400) as u32;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    Civil {
        year,
        month,
        day,
        hour: sod / 3600,
        min: sod % 3600 / 60,
        sec: sod % 60,
        wday: days.rem_euclid(7) as usize,
    }
}

/// Caches `07/May/2026:14:03:22 +0200` for the last second formatted.
struct TimeCache {
    tz: i64,
    zone: [u8; 5],
    ts: Option<i64>,
    text: Vec<u8>,
    /// Added to every time before it is written (a skewed clock).
    skew: i64,
    /// From this written second on, this zone ([`TzChange`]).
    change: Option<(i64, i64, [u8; 5])>,
}

/// `+0200` for 7200.
fn zone_text(tz_offset_secs: i32) -> [u8; 5] {
    let minutes = i64::from(tz_offset_secs) / 60;
    let sign = if minutes < 0 { b'-' } else { b'+' };
    let m = minutes.unsigned_abs();
    let hh = (m / 60).min(99);
    let mm = m % 60;
    [
        sign,
        b'0' + (hh / 10) as u8,
        b'0' + (hh % 10) as u8,
        b'0' + (mm / 10) as u8,
        b'0' + (mm % 10) as u8,
    ]
}

impl TimeCache {
    fn new(tz_offset_secs: i32) -> Self {
        TimeCache {
            tz: i64::from(tz_offset_secs),
            zone: zone_text(tz_offset_secs),
            ts: None,
            text: Vec::with_capacity(32),
            skew: 0,
            change: None,
        }
    }

    /// The cache of `cfg`'s host: its zone, DST switch and clock skew.
    fn of(cfg: &SynthConfig) -> Self {
        let mut t = TimeCache::new(cfg.tz_offset_secs);
        t.skew = cfg.env.clock_skew_secs;
        t.change = cfg
            .env
            .tz_change
            .map(|c| (c.at, i64::from(c.offset_secs), zone_text(c.offset_secs)));
        t
    }

    /// Local seconds of (true) time `ts` as the host writes it, and its zone.
    fn local(&self, ts: i64) -> (i64, &[u8; 5]) {
        let shown = ts + self.skew;
        match &self.change {
            Some((at, tz, zone)) if shown >= *at => (shown + tz, zone),
            _ => (shown + self.tz, &self.zone),
        }
    }

    /// `%d/%b/%Y:%H:%M:%S %z` for `ts`.
    fn access(&mut self, ts: i64) -> &[u8] {
        if self.ts != Some(ts) {
            let (local, zone) = self.local(ts);
            let zone = *zone;
            let c = civil(local);
            self.text.clear();
            push_2(&mut self.text, c.day);
            self.text.push(b'/');
            self.text
                .extend_from_slice(MONTHS[(c.month - 1) as usize].as_bytes());
            self.text.push(b'/');
            push_year(&mut self.text, c.year);
            self.text.push(b':');
            push_hms(&mut self.text, &c);
            self.text.push(b' ');
            self.text.extend_from_slice(&zone);
            self.ts = Some(ts);
        }
        &self.text
    }

    /// Nginx error-log time, `2026/05/07 14:03:22`.
    fn nginx_error(&self, buf: &mut Vec<u8>, ts: i64) {
        let c = civil(self.local(ts).0);
        push_year(buf, c.year);
        buf.push(b'/');
        push_2(buf, c.month);
        buf.push(b'/');
        push_2(buf, c.day);
        buf.push(b' ');
        push_hms(buf, &c);
    }

    /// Apache error-log time, `Thu May 07 14:03:22.123456 2026`.
    fn apache_error(&self, buf: &mut Vec<u8>, ts: i64, micros: u64) {
        let c = civil(self.local(ts).0);
        buf.extend_from_slice(WEEKDAYS[c.wday].as_bytes());
        buf.push(b' ');
        buf.extend_from_slice(MONTHS[(c.month - 1) as usize].as_bytes());
        buf.push(b' ');
        push_2(buf, c.day);
        buf.push(b' ');
        push_hms(buf, &c);
        buf.push(b'.');
        push_padded(buf, micros % 1_000_000, 6);
        buf.push(b' ');
        push_year(buf, c.year);
    }
}

// ---------------------------------------------------------------------------
// Byte formatting helpers

fn push_u64(buf: &mut Vec<u8>, mut n: u64) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&tmp[i..]);
}

fn push_padded(buf: &mut Vec<u8>, n: u64, width: usize) {
    let mut digits = 1;
    let mut rest = n / 10;
    while rest > 0 {
        digits += 1;
        rest /= 10;
    }
    for _ in digits..width {
        buf.push(b'0');
    }
    push_u64(buf, n);
}

fn push_2(buf: &mut Vec<u8>, n: u32) {
    buf.push(b'0' + (n / 10 % 10) as u8);
    buf.push(b'0' + (n % 10) as u8);
}

fn push_year(buf: &mut Vec<u8>, year: i64) {
    if (0..10_000).contains(&year) {
        push_padded(buf, year as u64, 4);
    } else {
        if year < 0 {
            buf.push(b'-');
        }
        push_u64(buf, year.unsigned_abs());
    }
}

fn push_hms(buf: &mut Vec<u8>, c: &Civil) {
    push_2(buf, c.hour);
    buf.push(b':');
    push_2(buf, c.min);
    buf.push(b':');
    push_2(buf, c.sec);
}

/// Lowercase hex without leading zeros (IPv6 groups).
fn push_hex(buf: &mut Vec<u8>, n: u64) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut started = false;
    for shift in (0..16).rev() {
        let d = ((n >> (shift * 4)) & 0xf) as usize;
        if d != 0 || started || shift == 0 {
            buf.push(HEX[d]);
            started = true;
        }
    }
}

/// Exactly `digits` lowercase hex digits of `n`.
fn push_hex_fixed(buf: &mut Vec<u8>, n: u64, digits: u32) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for shift in (0..digits).rev() {
        buf.push(HEX[((n >> (shift * 4)) & 0xf) as usize]);
    }
}

/// Seconds with millisecond precision, `0.123`.
fn push_secs(buf: &mut Vec<u8>, ms: u64) {
    push_u64(buf, ms / 1000);
    buf.push(b'.');
    push_padded(buf, ms % 1000, 3);
}

// ---------------------------------------------------------------------------
// Content tables

const UA_IPAD_SAFARI: usize = 7;
const UA_OKHTTP: usize = 10;
const UA_CURL: usize = 11;
const UA_GOOGLEBOT: usize = 12;
const UA_BINGBOT: usize = 13;
const UA_PYTHON: usize = 14;
const UA_GO: usize = 15;
const UA_NONE: usize = 16;
const UA_IOS_APP: usize = 17;
const UA_IOS_CFNETWORK: usize = 18;
const UA_IOS_IPAD: usize = 19;
const UA_DALVIK: usize = 20;

const USER_AGENTS: [&str; 21] = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
    "okhttp/4.12.0",
    "curl/8.5.0",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "python-requests/2.31.0",
    "Go-http-client/1.1",
    "-",
    "ShopApp/5.2.1 (iPhone; iOS 17.4.1; Scale/3.00)",
    "ShopApp/5.2.1 CFNetwork/1494.0.7 Darwin/23.4.0",
    "ShopApp/5.2.1 (iPad; iOS 17.4; Scale/2.00)",
    "Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/UQ1A.240405.002)",
];

/// User agents of ordinary clients, with weights. The native apps (the iOS
/// app's three agents; the Android app's okhttp and Dalvik) are each about a
/// tenth of the clients.
const CLIENT_UAS: [(usize, u32); 21] = [
    (0, 260),
    (1, 90),
    (2, 45),
    (3, 12),
    (4, 55),
    (5, 50),
    (6, 150),
    (7, 20),
    (8, 120),
    (9, 25),
    (UA_OKHTTP, 60),
    (UA_CURL, 15),
    (UA_GOOGLEBOT, 20),
    (UA_BINGBOT, 8),
    (UA_PYTHON, 18),
    (UA_GO, 10),
    (UA_NONE, 6),
    (UA_IOS_APP, 70),
    (UA_IOS_CFNETWORK, 35),
    (UA_IOS_IPAD, 8),
    (UA_DALVIK, 40),
];

const REFERERS: [&str; 9] = [
    "https://www.example.com/",
    "https://www.example.com/products?category=shoes",
    "https://www.example.com/search?q=running+shoes",
    "https://www.google.com/",
    "https://www.bing.com/",
    "https://duckduckgo.com/",
    "https://t.co/",
    "android-app://com.google.android.gm/",
    "https://www.facebook.com/",
];

const USERS: [&str; 5] = ["alice", "bob", "admin", "deploy", "svc-monitor"];

const V4_FIRST: [u8; 32] = [
    24, 31, 37, 46, 62, 68, 73, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93,
    94, 95, 98, 109, 176, 178, 185, 212,
];

const V6_PREFIXES: [&str; 8] = [
    "2a01:cb00",
    "2a02:8109",
    "2001:16b8",
    "2600:1700",
    "2a00:23c5",
    "2003:e6",
    "2a01:e0a",
    "2607:fb91",
];

const WORDS: [&str; 20] = [
    "shoes",
    "running",
    "jacket",
    "red",
    "sale",
    "wool",
    "socks",
    "kids",
    "gift",
    "black",
    "boots",
    "rain",
    "summer",
    "dress",
    "linen",
    "caf%C3%A9",
    "size+42",
    "leather",
    "bag",
    "hat",
];

const PAGES: [&str; 8] = [
    "/about",
    "/pricing",
    "/contact",
    "/docs/getting-started",
    "/blog/2026/04/spring-collection",
    "/blog/2026/05/shipping-update",
    "/account",
    "/cart",
];

const IMAGES: [&str; 8] = [
    "/static/img/logo.svg",
    "/static/img/hero.webp",
    "/static/img/banner-summer.jpg",
    "/static/img/products/1042.jpg",
    "/static/img/products/2210.jpg",
    "/static/img/icons/cart.png",
    "/static/img/icons/user.png",
    "/apple-touch-icon.png",
];

const SCANNER_PATHS: [&str; 10] = [
    "/wp-login.php",
    "/.env",
    "/.git/config",
    "/phpmyadmin/index.php",
    "/xmlrpc.php",
    "/cgi-bin/luci/;stok=/locale",
    "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
    "/actuator/env",
    "/boaform/admin/formLogin",
    "/wp-content/plugins/wp-file-manager/readme.txt",
];

const TEXT_GARBAGE: [&str; 9] = [
    "random text without format",
    "Connection reset by peer",
    "-- MARK --",
    "<html><head><title>502 Bad Gateway</title></head>",
    "Host: www.example.com",
    "#Fields: date time c-ip cs-method cs-uri-stem sc-status",
    "nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)",
    "logrotate: ALERT exited abnormally with [1]",
    "{\"level\":\"warn\",\"msg\":\"upstream answered\",\"status\":501,\"path\":\"/api/v1/users\"}",
];

/// First octets of unsupported-method scanners: none of them is a client's.
const SCANNER_NETS: [u8; 6] = [45, 141, 162, 167, 193, 194];

const SCANNER_UAS: [&str; 4] = [
    "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)",
    "-",
    "Mozilla/5.0 zgrab/0.x",
    "masscan/1.3 (https://github.com/robertdavidgraham/masscan)",
];

/// WebDAV and diagnostic methods the servers do not implement.
const DAV_METHODS: [&str; 5] = ["PROPFIND", "SEARCH", "MKCOL", "TRACE", "LOCK"];

/// Made-up verbs scanners try.
const CUSTOM_VERBS: [&str; 4] = ["FOOBAR", "DEBUG", "TRACK", "QWERTY"];

const SCAN_DAV_PATHS: [&str; 8] = [
    "/",
    "/webdav/",
    "/remote.php/dav/",
    "/dav/",
    "/.well-known/caldav",
    "/uploads/",
    "/index.php",
    "/owa/",
];

/// Routes of [`ScenarioKind::RouteMisconfig`]: found nowhere else.
const MISCONFIG_ROUTES: [&str; 3] = [
    "/api/v1/reports/export",
    "/api/v2/invoices/bulk",
    "/account/data-export",
];

const MISCONFIG_QUERIES: [&str; 4] = [
    "",
    "?format=csv",
    "?format=xlsx&period=2026-04",
    "?format=pdf&lang=de",
];

/// Files the error logs say are missing.
const MISSING_FILES: [&str; 9] = [
    "/apple-touch-icon-precomposed.png",
    "/apple-touch-icon-120x120.png",
    "/wp-login.php",
    "/.env",
    "/ads.txt",
    "/.well-known/security.txt",
    "/static/app.js.map",
    "/static/img/products/9931.jpg",
    "/favicon-32x32.png",
];

/// What kind of client a pool entry is; decides which routes it requests.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Profile {
    Browser,
    App,
    Bot,
    Script,
    Scanner,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Route {
    Home,
    Page,
    User,
    Orders,
    Products,
    Search,
    Login,
    Logout,
    Health,
    Js,
    Css,
    Image,
    Favicon,
    Robots,
    Scanner,
    Rare,
    /// The route of a [`ScenarioKind::RouteMisconfig`].
    Misconfig,
}

impl Route {
    fn is_api(self) -> bool {
        matches!(
            self,
            Route::User | Route::Orders | Route::Products | Route::Health
        )
    }

    /// Served by the application (what a broken deploy breaks).
    fn is_app(self) -> bool {
        matches!(
            self,
            Route::Home
                | Route::Page
                | Route::User
                | Route::Orders
                | Route::Products
                | Route::Search
                | Route::Login
                | Route::Logout
                | Route::Health
        )
    }

    /// Served from disk by the front server rather than proxied upstream.
    fn is_static(self) -> bool {
        matches!(
            self,
            Route::Js | Route::Css | Route::Image | Route::Favicon | Route::Robots
        )
    }
}

const BROWSER_ROUTES: [(Route, u32); 13] = [
    (Route::Home, 10),
    (Route::Page, 8),
    (Route::User, 4),
    (Route::Orders, 4),
    (Route::Products, 10),
    (Route::Search, 7),
    (Route::Login, 3),
    (Route::Logout, 1),
    (Route::Js, 14),
    (Route::Css, 7),
    (Route::Image, 16),
    (Route::Favicon, 3),
    (Route::Robots, 0),
];
const APP_ROUTES: [(Route, u32); 7] = [
    (Route::User, 25),
    (Route::Orders, 25),
    (Route::Products, 30),
    (Route::Search, 10),
    (Route::Login, 5),
    (Route::Logout, 1),
    (Route::Image, 4),
];
const BOT_ROUTES: [(Route, u32); 8] = [
    (Route::Home, 10),
    (Route::Page, 35),
    (Route::Products, 25),
    (Route::Search, 5),
    (Route::Robots, 5),
    (Route::Image, 10),
    (Route::Css, 5),
    (Route::Js, 5),
];
const SCRIPT_ROUTES: [(Route, u32); 8] = [
    (Route::Health, 30),
    (Route::Products, 20),
    (Route::User, 20),
    (Route::Orders, 10),
    (Route::Home, 10),
    (Route::Login, 2),
    (Route::Rare, 1),
    (Route::Scanner, 5),
];
const SCANNER_ROUTES: [(Route, u32); 4] = [
    (Route::Scanner, 85),
    (Route::Home, 8),
    (Route::Rare, 3),
    (Route::Login, 4),
];

/// One member of the synthetic client population.
struct Client {
    ip: String,
    ua: usize,
    profile: Profile,
    user: &'static str,
    proto: &'static str,
    xff: String,
}

fn make_client(rng: &mut Rng) -> Client {
    let ua = rng.weighted(&CLIENT_UAS);
    let profile = match ua {
        UA_GOOGLEBOT | UA_BINGBOT => Profile::Bot,
        UA_OKHTTP | UA_DALVIK | UA_IOS_APP | UA_IOS_CFNETWORK | UA_IOS_IPAD => Profile::App,
        UA_CURL => Profile::Script,
        UA_PYTHON | UA_GO => {
            if rng.below(2) == 0 {
                Profile::Script
            } else {
                Profile::Scanner
            }
        }
        UA_NONE => Profile::Scanner,
        _ => Profile::Browser,
    };
    let mut ip = Vec::with_capacity(40);
    match ua {
        UA_GOOGLEBOT => {
            ip.extend_from_slice(b"66.249.");
            push_u64(&mut ip, rng.range(64, 79));
            ip.push(b'.');
            push_u64(&mut ip, rng.range(1, 254));
        }
        UA_BINGBOT => {
            ip.extend_from_slice(if rng.below(2) == 0 {
                b"40.77.167."
            } else {
                b"157.55.39."
            });
            push_u64(&mut ip, rng.range(1, 254));
        }
        _ if rng.below(100) < 12 => {
            ip.extend_from_slice(rng.pick(&V6_PREFIXES).as_bytes());
            if rng.below(2) == 0 {
                for _ in 0..6 {
                    ip.push(b':');
                    push_hex(&mut ip, rng.below(0x10000));
                }
            } else {
                for _ in 0..2 {
                    ip.push(b':');
                    push_hex(&mut ip, rng.range(1, 0xffff));
                }
                ip.push(b':');
                for _ in 0..rng.range(1, 2) {
                    ip.push(b':');
                    push_hex(&mut ip, rng.range(1, 0xffff));
                }
            }
        }
        _ => {
            push_u64(&mut ip, u64::from(*rng.pick(&V4_FIRST)));
            ip.push(b'.');
            push_u64(&mut ip, rng.below(256));
            ip.push(b'.');
            push_u64(&mut ip, rng.below(256));
            ip.push(b'.');
            push_u64(&mut ip, rng.range(1, 254));
        }
    }
    let user = if profile == Profile::Browser && rng.below(100) == 0 {
        *rng.pick(&USERS)
    } else {
        "-"
    };
    let proto = match profile {
        Profile::Browser | Profile::App if rng.below(100) < 65 => "HTTP/2.0",
        Profile::Scanner if rng.below(3) == 0 => "HTTP/1.0",
        _ => "HTTP/1.1",
    };
    let xff = if rng.below(100) < 12 {
        let mut x = Vec::with_capacity(32);
        x.extend_from_slice(b"203.0.113.");
        push_u64(&mut x, rng.range(1, 254));
        if rng.below(2) == 0 {
            x.extend_from_slice(b", 10.0.");
            push_u64(&mut x, rng.below(4));
            x.push(b'.');
            push_u64(&mut x, rng.range(2, 254));
        }
        String::from_utf8_lossy(&x).into_owned()
    } else {
        "-".to_owned()
    };
    Client {
        ip: String::from_utf8_lossy(&ip).into_owned(),
        ua,
        profile,
        user,
        proto,
        xff,
    }
}

/// Lenient-parsing edge cases emitted among valid lines.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Edge {
    /// `"\x16\x03\x01\x00\xa5\x01" 400 157 "-" "-"`.
    Tls,
    /// `"-" 408 0 "-" "-"`.
    Timeout,
    /// An escaped quote inside the user agent.
    QuotedAgent,
    /// An escaped quote inside the request line.
    QuotedRequest,
}

// ---------------------------------------------------------------------------
// Scenarios: the resolved timeline

/// A device group of [`ScenarioKind::DeviceSpecific`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Ios,
    Android,
    /// Safari on an iPad (not the app), [`ScenarioKind::NightDevice`] only.
    IpadSafari,
}

impl Group {
    fn name(self) -> &'static str {
        match self {
            Group::Ios => "ios app",
            Group::Android => "android app",
            Group::IpadSafari => "ipad safari",
        }
    }

    /// The group whose app sends user agent `ua` ([`USER_AGENTS`] index).
    fn of_ua(ua: usize) -> Option<Group> {
        match ua {
            UA_IOS_APP | UA_IOS_CFNETWORK | UA_IOS_IPAD => Some(Group::Ios),
            UA_OKHTTP | UA_DALVIK => Some(Group::Android),
            UA_IPAD_SAFARI => Some(Group::IpadSafari),
            _ => None,
        }
    }
}

/// A scenario with every parameter drawn.
struct Scenario {
    kind: ScenarioKind,
    start: i64,
    end: i64,
    /// Probability, per million requests it applies to, of a 501.
    rate_ppm: u32,
    /// Traffic multiplier times ten (traffic_spike).
    mult_x10: u64,
    /// Share of browser and script requests sent to the route, per million
    /// (route_misconfig).
    share_ppm: u32,
    group: Group,
    /// Last octet of the failing node `10.0.1.N:8080` (upstream_node).
    node: u64,
    route: &'static str,
    /// The reload before the window (post_deploy).
    reload: Option<i64>,
    detail: String,
    /// Only these routes fail (post_deploy, upstream_node; empty: the
    /// kind's usual ones).
    routes: Vec<Route>,
    /// From this second on, the rate is this (a cold start's tail).
    tail: Option<(i64, u32)>,
    /// What a partial rollout's node lacks (upstream_node).
    rollout: Option<incidents::Rollout>,
}

impl Scenario {
    fn new(kind: ScenarioKind, start: i64, end: i64) -> Self {
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
struct ScanRequest {
    ts: i64,
    scenario: usize,
    scanner: usize,
    method: &'static str,
    path: &'static str,
}

struct Scanner {
    ip: String,
    ua: &'static str,
}

/// Everything the access and error logs of one configuration share: the
/// scenarios with their parameters, the scanners' requests, the reloads and
/// the windows where no stray 501 may fall.
struct Timeline {
    scenarios: Vec<Scenario>,
    /// In time order.
    scans: Vec<ScanRequest>,
    scanners: Vec<Scanner>,
    /// Every reload of the error log, UTC, in time order.
    reloads: Vec<i64>,
    /// No stray 501 in these `[from, to)` windows.
    quiet: Vec<(i64, i64)>,
    /// Upstream nodes: `10.0.1.11` to `10.0.1.(10 + nodes)`.
    nodes: u64,
    /// Lines written besides the traffic (probes, monitors, a background
    /// scanner), in time order; their clients are in `scanners`.
    extras: Vec<incidents::ExtraLine>,
}

/// Reloads of one post-deploy scenario closer than this to an earlier one
/// share it (one reload sequence in the error log).
const RELOAD_MERGE_SECS: i64 = 60;
/// A benign reload keeps at least this far from scenarios and bursts.
const BENIGN_MARGIN_SECS: i64 = 2 * 3600;

/// The seed of a scenario's own PRNG: the configuration's seed, the kind and
/// the window, so that scenarios do not depend on each other.
fn scenario_seed(seed: u64, spec: &ScenarioSpec) -> u64 {
    let mut st = (spec.kind as u64 + 1).wrapping_mul(0xA076_1D64_78BD_642F)
        ^ (spec.start as u64).rotate_left(17)
        ^ (spec.duration_secs as u64).rotate_left(41);
    seed ^ splitmix64(&mut st)
}

/// `2026-05-07T12:00:00Z`.
fn rfc3339(ts: i64) -> String {
    let c = civil(ts);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        c.year, c.month, c.day, c.hour, c.min, c.sec
    )
}

/// Picks `n` distinct items of `items` (in a random order).
fn pick_distinct<T: Copy>(rng: &mut Rng, items: &[T], n: usize) -> Vec<T> {
    let mut pool = items.to_vec();
    for i in 0..pool.len() {
        let j = i + rng.below((pool.len() - i) as u64) as usize;
        pool.swap(i, j);
    }
    pool.truncate(n);
    pool
}

impl Timeline {
    fn new(cfg: &SynthConfig) -> io::Result<Timeline> {
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
                        let ip = format!(
                            "{}.{}.{}.{}",
                            rng.pick(&SCANNER_NETS),
                            rng.below(256),
                            rng.below(256),
                            rng.range(1, 254)
                        );
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

// ---------------------------------------------------------------------------
// Generator

struct Generator<'a> {
    cfg: &'a SynthConfig,
    rng: Rng,
    clock: Clock,
    time: TimeCache,
    clients: Vec<Client>,
    builds: [u64; 3],
    /// Baseline slots generated.
    emitted: u64,
    counts: Vec<u64>,
    truth: Truth,
    seen_request: bool,
    tl: Timeline,
    /// Next entry of `tl.scans` to write.
    next_scan: usize,
    /// 501s caused, per entry of `tl.scenarios`.
    matched: Vec<u64>,
    /// Indices of the route-misconfiguration scenarios.
    misconfig: Vec<usize>,
    /// Indices of the traffic-spike scenarios.
    spikes: Vec<usize>,
    /// Time of the last stray 501.
    last_stray: Option<i64>,
    /// Time of the first line of the last slot.
    slot_first_ts: i64,
    /// Indices of the partial-rollout scenarios.
    rollouts: Vec<usize>,
    /// Next entry of `tl.extras` to write.
    next_extra: usize,
    /// Retries due, in time order.
    pending: Vec<incidents::Retry>,
}

impl<'a> Generator<'a> {
    fn new(cfg: &'a SynthConfig, tl: Timeline) -> Self {
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
    fn next_slot(&mut self, buf: &mut Vec<u8>) -> bool {
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

    fn count_request(&mut self, status: u16, ts: i64) {
        self.counts[usize::from(status) % MAX_STATUS] += 1;
        self.truth.lines += 1;
        self.truth.requests += 1;
        if !self.seen_request {
            self.truth.first = ts;
            self.seen_request = true;
        }
        self.truth.last = ts;
    }

    /// Writes the next scanner request.
    fn write_next_scan(&mut self, buf: &mut Vec<u8>) {
        let req = self.tl.scans[self.next_scan];
        self.next_scan += 1;
        self.write_scan(buf, req);
        buf.push(b'\n');
        self.count_request(501, req.ts);
        self.matched[req.scenario] += 1;
    }

    /// One unsupported-method request, answered 501 by the front server.
    fn write_scan(&mut self, buf: &mut Vec<u8>, req: ScanRequest) {
        let fmt = self.cfg.format;
        self.write_vhost(buf, false, 443);
        let scanner = &self.tl.scanners[req.scanner];
        buf.extend_from_slice(scanner.ip.as_bytes());
        buf.extend_from_slice(b" - - [");
        buf.extend_from_slice(self.time.access(req.ts));
        buf.extend_from_slice(b"] \"");
        buf.extend_from_slice(req.method.as_bytes());
        buf.push(b' ');
        buf.extend_from_slice(req.path.as_bytes());
        buf.extend_from_slice(b" HTTP/1.1\" 501 ");
        match fmt {
            SynthFormat::ApacheVhostCombined => push_u64(buf, 181 + self.rng.range(180, 420)),
            _ => push_u64(buf, 181),
        }
        if fmt == SynthFormat::ApacheCommon {
            return;
        }
        buf.extend_from_slice(b" \"-\" \"");
        buf.extend_from_slice(scanner.ua.as_bytes());
        buf.push(b'"');
        match fmt {
            SynthFormat::NginxMain => buf.extend_from_slice(b" \"-\""),
            SynthFormat::NginxUpstream => {
                buf.extend_from_slice(b" rt=");
                push_secs(buf, self.rng.range(0, 2));
                buf.extend_from_slice(
                    b" uct=\"-\" uht=\"-\" urt=\"-\" ua=\"-\" us=\"-\" host=www.example.com",
                );
            }
            _ => {}
        }
    }

    fn finish(self) -> Truth {
        self.finish_with_timeline().0
    }

    fn finish_with_timeline(mut self) -> (Truth, Timeline) {
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

    fn pick_client(&mut self) -> usize {
        // Minimum of two uniforms: a few clients are much busier than others.
        let a = self.rng.below(CLIENTS as u64);
        let b = self.rng.below(CLIENTS as u64);
        a.min(b) as usize
    }

    /// `%v:%p ` for the Apache vhost format.
    fn write_vhost(&self, buf: &mut Vec<u8>, api: bool, port: u16) {
        if self.cfg.format == SynthFormat::ApacheVhostCombined {
            buf.extend_from_slice(if api {
                b"api.example.com:"
            } else {
                b"www.example.com:"
            });
            push_u64(buf, u64::from(port));
            buf.push(b' ');
        }
    }

    /// `ip - user [time] "`.
    fn write_prefix(&mut self, buf: &mut Vec<u8>, client: usize, user: bool, ts: i64) {
        let c = &self.clients[client];
        buf.extend_from_slice(c.ip.as_bytes());
        buf.extend_from_slice(b" - ");
        buf.extend_from_slice(if user { c.user.as_bytes() } else { b"-" });
        buf.extend_from_slice(b" [");
        buf.extend_from_slice(self.time.access(ts));
        buf.extend_from_slice(b"] \"");
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
        push_u64(buf, u64::from(status));
        buf.push(b' ');
        match fmt {
            SynthFormat::ApacheCommon | SynthFormat::ApacheCombined if body == 0 => buf.push(b'-'),
            SynthFormat::ApacheVhostCombined => push_u64(buf, body + self.rng.range(180, 420)),
            _ => push_u64(buf, body),
        }
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

    /// The TLS-handshake and timed-out request edge cases.
    fn write_broken_request(&mut self, buf: &mut Vec<u8>, ts: i64, ci: usize, kind: Edge) -> u16 {
        let fmt = self.cfg.format;
        let (status, body): (u16, u64) = if kind == Edge::Tls {
            (400, 157)
        } else {
            (408, 0)
        };
        self.write_vhost(buf, false, if kind == Edge::Tls { 80 } else { 443 });
        self.write_prefix(buf, ci, false, ts);
        if kind == Edge::Tls {
            buf.extend_from_slice(br"\x16\x03\x01\x00\xa5\x01");
        } else {
            buf.push(b'-');
        }
        buf.extend_from_slice(b"\" ");
        push_u64(buf, u64::from(status));
        buf.push(b' ');
        match fmt {
            SynthFormat::ApacheCommon | SynthFormat::ApacheCombined if body == 0 => buf.push(b'-'),
            _ => push_u64(buf, body),
        }
        if fmt != SynthFormat::ApacheCommon {
            buf.extend_from_slice(b" \"-\" \"-\"");
        }
        match fmt {
            SynthFormat::NginxMain => buf.extend_from_slice(b" \"-\""),
            SynthFormat::NginxUpstream => {
                buf.extend_from_slice(b" rt=");
                let ms = if kind == Edge::Tls {
                    self.rng.range(0, 40)
                } else {
                    60_000 + self.rng.range(0, 3)
                };
                push_secs(buf, ms);
                buf.extend_from_slice(b" uct=\"-\" uht=\"-\" urt=\"-\" ua=\"-\" us=\"-\" host=_");
            }
            _ => {}
        }
        status
    }

    fn pick_method(&mut self, route: Route, profile: Profile) -> &'static str {
        let r = self.rng.below(1000);
        match route {
            Route::Home | Route::Page | Route::Js | Route::Css | Route::Image => {
                if (profile == Profile::Bot && r < 30) || r < 8 {
                    "HEAD"
                } else {
                    "GET"
                }
            }
            Route::Favicon | Route::Robots | Route::Search | Route::Scanner => {
                if route == Route::Scanner && r < 150 {
                    "POST"
                } else {
                    "GET"
                }
            }
            Route::User => match r {
                0..=659 => "GET",
                660..=809 => "PUT",
                810..=869 => "DELETE",
                870..=929 => "PATCH",
                _ => "OPTIONS",
            },
            Route::Orders => match r {
                0..=579 => "GET",
                580..=899 => "POST",
                900..=949 => "DELETE",
                _ => "OPTIONS",
            },
            Route::Products => match r {
                0..=919 => "GET",
                _ => "OPTIONS",
            },
            Route::Login => match r {
                0..=399 => "GET",
                _ => "POST",
            },
            Route::Logout => "POST",
            Route::Health => match r {
                0..=799 => "GET",
                _ => "HEAD",
            },
            Route::Rare => match r {
                0..=599 => "PROPFIND",
                _ => "TRACE",
            },
            Route::Misconfig => match r {
                0..=849 => "GET",
                _ => "POST",
            },
        }
    }

    fn write_path(&mut self, buf: &mut Vec<u8>, route: Route, quoted: bool, nginx: bool) {
        let rng = &mut self.rng;
        match route {
            Route::Home => {
                buf.push(b'/');
                match rng.below(20) {
                    0 => buf.extend_from_slice(b"?utm_source=newsletter&utm_medium=email"),
                    1 => buf.extend_from_slice(b"?lang=de"),
                    _ => {}
                }
            }
            Route::Page => buf.extend_from_slice(rng.pick(&PAGES).as_bytes()),
            Route::User => {
                buf.extend_from_slice(b"/api/v1/users/");
                push_u64(buf, rng.range(1, 99_999));
                if rng.below(10) == 0 {
                    buf.extend_from_slice(b"?fields=name,email");
                }
            }
            Route::Orders => {
                buf.extend_from_slice(b"/api/v1/orders/");
                let a = rng.next_u64();
                let b = rng.next_u64();
                push_hex_fixed(buf, a >> 32, 8);
                buf.push(b'-');
                push_hex_fixed(buf, a >> 16, 4);
                buf.extend_from_slice(b"-4");
                push_hex_fixed(buf, a, 3);
                buf.push(b'-');
                push_hex_fixed(buf, 0x8 | (b >> 62), 1);
                push_hex_fixed(buf, b >> 48, 3);
                buf.push(b'-');
                push_hex_fixed(buf, b, 12);
                buf.extend_from_slice(b"/items");
                if rng.below(8) == 0 {
                    buf.extend_from_slice(b"?page=");
                    push_u64(buf, rng.range(2, 9));
                    buf.extend_from_slice(b"&per_page=50");
                }
            }
            Route::Products => {
                buf.extend_from_slice(b"/api/v1/products");
                if rng.below(2) == 0 {
                    buf.push(b'/');
                    push_u64(buf, rng.range(1000, 9999));
                } else {
                    buf.extend_from_slice(b"?category=");
                    buf.extend_from_slice(rng.pick(&WORDS[..14]).as_bytes());
                    if rng.below(3) == 0 {
                        buf.extend_from_slice(b"&page=");
                        push_u64(buf, rng.range(2, 20));
                    }
                }
            }
            Route::Search => {
                buf.extend_from_slice(b"/search?q=");
                if quoted {
                    let q: &[u8] = if nginx { b"\\x22" } else { b"\\\"" };
                    buf.extend_from_slice(q);
                    buf.extend_from_slice(rng.pick(&WORDS).as_bytes());
                    buf.push(b'+');
                    buf.extend_from_slice(rng.pick(&WORDS).as_bytes());
                    buf.extend_from_slice(q);
                } else {
                    buf.extend_from_slice(rng.pick(&WORDS).as_bytes());
                    if rng.below(2) == 0 {
                        buf.push(b'+');
                        buf.extend_from_slice(rng.pick(&WORDS).as_bytes());
                    }
                    if rng.below(5) == 0 {
                        buf.extend_from_slice(b"&page=");
                        push_u64(buf, rng.range(2, 12));
                    }
                }
            }
            Route::Login => {
                buf.extend_from_slice(b"/login");
                if rng.below(6) == 0 {
                    buf.extend_from_slice(b"?next=%2Faccount");
                }
            }
            Route::Logout => buf.extend_from_slice(b"/logout"),
            Route::Health => buf.extend_from_slice(if rng.below(2) == 0 {
                b"/healthz"
            } else {
                b"/api/v1/health"
            }),
            Route::Js | Route::Css => {
                let build = *rng.pick(&self.builds);
                let name = *rng.pick(&["app", "vendor", "runtime"]);
                buf.extend_from_slice(b"/static/");
                buf.extend_from_slice(name.as_bytes());
                buf.push(b'.');
                push_hex_fixed(buf, build, 8);
                buf.extend_from_slice(if route == Route::Js { b".js" } else { b".css" });
                if rng.below(15) == 0 {
                    buf.extend_from_slice(b"?v=");
                    push_u64(buf, rng.range(1, 9));
                }
            }
            Route::Image => buf.extend_from_slice(rng.pick(&IMAGES).as_bytes()),
            Route::Favicon => buf.extend_from_slice(b"/favicon.ico"),
            Route::Robots => buf.extend_from_slice(if rng.below(3) == 0 {
                b"/sitemap.xml"
            } else {
                b"/robots.txt"
            }),
            Route::Scanner => buf.extend_from_slice(rng.pick(&SCANNER_PATHS).as_bytes()),
            Route::Rare => buf.extend_from_slice(if rng.below(2) == 0 {
                b"/webdav/"
            } else {
                b"/remote.php/dav/files/"
            }),
            // Written by the caller, which knows the scenario.
            Route::Misconfig => {}
        }
    }

    /// The status of an ordinary request: a burst's 501, or the route's
    /// usual mix.
    fn pick_status(&mut self, route: Route, method: &str, ts: i64) -> u16 {
        for burst in &self.cfg.bursts {
            if burst.contains(ts) && self.rng.unit() < burst.rate {
                return 501;
            }
        }
        let rng = &mut self.rng;
        if route == Route::Rare {
            return 405;
        }
        if method == "OPTIONS" {
            return 204;
        }
        if !route.is_static() && route != Route::Scanner {
            match rng.below(10_000) {
                0..=29 => return 500,
                30..=54 => return 502,
                55..=74 => return 503,
                75..=84 => return 504,
                _ => {}
            }
        }
        let r = rng.below(10_000);
        match route {
            Route::Js | Route::Css | Route::Image => match r {
                0..=8399 => 200,
                8400..=9949 => 304,
                _ => 404,
            },
            Route::Favicon => match r {
                0..=8999 => 200,
                9000..=9799 => 304,
                _ => 404,
            },
            Route::Robots => 200,
            Route::Home => match r {
                0..=9299 => 200,
                9300..=9799 => 304,
                _ => 301,
            },
            Route::Page => match r {
                0..=9099 => 200,
                9100..=9599 => 304,
                9600..=9799 => 301,
                _ => 404,
            },
            Route::User => match method {
                "PUT" | "PATCH" => match r {
                    0..=8999 => 200,
                    9000..=9499 => 400,
                    9500..=9799 => 401,
                    _ => 422,
                },
                "DELETE" => match r {
                    0..=7999 => 204,
                    8000..=9499 => 404,
                    _ => 403,
                },
                _ => match r {
                    0..=8799 => 200,
                    8800..=9499 => 404,
                    9500..=9799 => 401,
                    _ => 403,
                },
            },
            Route::Orders => match method {
                "POST" => match r {
                    0..=8499 => 201,
                    8500..=9499 => 400,
                    _ => 422,
                },
                "DELETE" => match r {
                    0..=8999 => 204,
                    _ => 404,
                },
                _ => match r {
                    0..=8999 => 200,
                    9000..=9599 => 404,
                    _ => 401,
                },
            },
            Route::Products => match r {
                0..=9399 => 200,
                9400..=9699 => 304,
                _ => 404,
            },
            Route::Search => match r {
                0..=9699 => 200,
                9700..=9799 => 400,
                _ => 429,
            },
            Route::Login => match method {
                "POST" => match r {
                    0..=6499 => 302,
                    6500..=7999 => 200,
                    8000..=9499 => 401,
                    _ => 429,
                },
                _ => match r {
                    0..=9499 => 200,
                    _ => 304,
                },
            },
            Route::Logout => 302,
            Route::Health => match r {
                0..=9989 => 200,
                _ => 503,
            },
            Route::Scanner => match r {
                0..=9199 => 404,
                9200..=9799 => 403,
                _ => 301,
            },
            Route::Rare => 405,
            Route::Misconfig => 200,
        }
    }

    fn body_bytes(&mut self, route: Route, method: &str, status: u16) -> u64 {
        if method == "HEAD" {
            return 0;
        }
        let rng = &mut self.rng;
        match status {
            204 | 304 => 0,
            200 => match route {
                Route::Js => rng.range(20_000, 420_000),
                Route::Css => rng.range(5_000, 80_000),
                Route::Image => rng.range(1_500, 180_000),
                Route::Favicon => 15_086,
                Route::Robots => rng.range(68, 2_400),
                Route::Home => rng.range(14_000, 18_500),
                Route::Page | Route::Login => rng.range(6_000, 42_000),
                Route::Search => rng.range(9_000, 60_000),
                Route::Health => rng.range(2, 60),
                Route::Misconfig => rng.range(20_000, 2_000_000),
                _ => rng.range(80, 6_000),
            },
            201 => rng.range(120, 900),
            301 => 169,
            302 => 145,
            400 if route.is_api() => rng.range(40, 220),
            400 => 157,
            401 if route.is_api() => rng.range(30, 90),
            401 => 179,
            403 => 153,
            404 if route.is_api() => rng.range(25, 80),
            404 => 153,
            405 => 157,
            422 => rng.range(60, 400),
            429 => 169,
            500 => 177,
            501 => 181,
            502 => 157,
            503 => 190,
            504 => 167,
            _ => rng.range(0, 500),
        }
    }

    fn pick_referer(&mut self, route: Route, profile: Profile) -> &'static str {
        if profile != Profile::Browser {
            return if profile == Profile::Scanner && self.rng.below(20) == 0 {
                "http://example.com/"
            } else {
                "-"
            };
        }
        let r = self.rng.below(100);
        if route.is_static() && route != Route::Robots {
            if r < 85 {
                return REFERERS[self.rng.below(3) as usize];
            }
            return "-";
        }
        match r {
            0..=44 => "-",
            45..=69 => REFERERS[self.rng.below(3) as usize],
            _ => REFERERS[3 + self.rng.below(6) as usize],
        }
    }

    /// The `rt=... host=...` tail of [`SynthFormat::NginxUpstream`]; `peer`
    /// is the upstream node (`None`: nginx answered itself).
    fn write_upstream(
        &mut self,
        buf: &mut Vec<u8>,
        api: bool,
        status: u16,
        body: u64,
        peer: Option<u64>,
    ) {
        let rng = &mut self.rng;
        buf.extend_from_slice(b" rt=");
        let host: &[u8] = if api {
            b"api.example.com"
        } else {
            b"www.example.com"
        };
        let Some(peer) = peer else {
            let ms = if body > 100_000 {
                rng.range(5, 400)
            } else {
                rng.range(0, 3)
            };
            push_secs(buf, ms);
            buf.extend_from_slice(b" uct=\"-\" uht=\"-\" urt=\"-\" ua=\"-\" us=\"-\" host=");
            buf.extend_from_slice(host);
            return;
        };
        let uct = rng.range(0, 2);
        let (urt, uht) = match status {
            504 => (60_000 + rng.range(0, 2), None),
            502 => (rng.range(0, 2), None),
            501 | 405 => (rng.range(1, 4), Some(0)),
            _ => {
                let urt = match rng.below(100) {
                    0 => rng.range(900, 5_000),
                    1..=8 => rng.range(60, 900),
                    _ => rng.range(2, 60),
                };
                (urt, Some(urt.saturating_sub(rng.range(0, 2))))
            }
        };
        let rt = urt + rng.range(0, 4);
        push_secs(buf, rt);
        if status == 502 && rng.below(3) == 0 {
            // nginx tried the next upstream too: comma-separated lists.
            let next = if peer >= 10 + self.tl.nodes {
                11
            } else {
                peer + 1
            };
            buf.extend_from_slice(b" uct=\"-, -\" uht=\"-, -\" urt=\"");
            push_secs(buf, urt);
            buf.extend_from_slice(b", 0.000\" ua=\"10.0.1.");
            push_u64(buf, peer);
            buf.extend_from_slice(b":8080, 10.0.1.");
            push_u64(buf, next);
            buf.extend_from_slice(b":8080\" us=\"502, 502\" host=");
            buf.extend_from_slice(host);
            return;
        }
        buf.extend_from_slice(b" uct=\"");
        if status == 502 {
            buf.push(b'-');
        } else {
            push_secs(buf, uct);
        }
        buf.extend_from_slice(b"\" uht=\"");
        match uht {
            Some(ms) if status != 502 => push_secs(buf, ms.max(uct)),
            _ => buf.push(b'-'),
        }
        buf.extend_from_slice(b"\" urt=\"");
        push_secs(buf, urt.max(uct));
        buf.extend_from_slice(b"\" ua=\"10.0.1.");
        push_u64(buf, peer);
        buf.extend_from_slice(b":8080\" us=\"");
        push_u64(buf, u64::from(status));
        buf.extend_from_slice(b"\" host=");
        buf.extend_from_slice(host);
    }

    /// Writes one line that is not a valid access-log line (never containing
    /// a complete `"request" status` pair); returns whether it is an
    /// error-log line (of the format's server) rather than garbage.
    fn write_garbage(&mut self, buf: &mut Vec<u8>, ts: i64) -> bool {
        match self.rng.below(5) {
            0 => buf.extend_from_slice(self.rng.pick(&TEXT_GARBAGE).as_bytes()),
            1 => {
                // A line cut in the middle of the request.
                let ci = self.pick_client();
                self.write_vhost(buf, false, 443);
                self.write_prefix(buf, ci, true, ts);
                let cut_from = buf.len();
                let method = *self.rng.pick(&["GET", "POST", "GET", "PUT"]);
                buf.extend_from_slice(method.as_bytes());
                buf.push(b' ');
                let route = self.rng.weighted(&BROWSER_ROUTES);
                self.write_path(buf, route, false, self.cfg.format.is_nginx());
                let len = (buf.len() - cut_from) as u64;
                let keep = self.rng.range(1, len);
                buf.truncate(cut_from + keep as usize);
            }
            2 => {
                // Binary-ish bytes: no whitespace, no newline, no quote.
                for _ in 0..self.rng.range(8, 64) {
                    let b = match self.rng.below(4) {
                        0 => self.rng.range(0x01, 0x08) as u8,
                        1 => self.rng.range(0x0e, 0x1f) as u8,
                        _ => self.rng.range(0x80, 0xff) as u8,
                    };
                    buf.push(b);
                }
            }
            3 if self.cfg.format.is_nginx() => {
                self.time.nginx_error(buf, ts);
                buf.extend_from_slice(b" [error] ");
                let pid = self.rng.range(1000, 40_000);
                push_u64(buf, pid);
                buf.push(b'#');
                push_u64(buf, pid);
                buf.extend_from_slice(b": *");
                push_u64(buf, self.rng.range(1, 9_999_999));
                let ip = &self.clients[self.rng.below(CLIENTS as u64) as usize].ip;
                buf.extend_from_slice(
                    b" upstream timed out (110: Connection timed out) while reading response header from upstream, client: ",
                );
                buf.extend_from_slice(ip.as_bytes());
                buf.extend_from_slice(
                    b", server: www.example.com, request: \"GET /api/v1/products HTTP/1.1\", upstream: \"http://10.0.1.12:8080/api/v1/products\", host: \"www.example.com\"",
                );
                return true;
            }
            3 => {
                buf.push(b'[');
                let micros = self.rng.below(1_000_000);
                self.time.apache_error(buf, ts, micros);
                buf.extend_from_slice(b"] [proxy:error] [pid ");
                push_u64(buf, self.rng.range(1000, 40_000));
                buf.extend_from_slice(b":tid ");
                push_u64(buf, self.rng.range(100_000, 999_999));
                buf.extend_from_slice(
                    b"] (111)Connection refused: AH00957: http: attempt to connect to 10.0.1.12:8080 (backend) failed",
                );
                return true;
            }
            _ => {
                // A partial prefix: the line stops before the request.
                let ci = self.pick_client();
                let start = buf.len();
                self.write_prefix(buf, ci, true, ts);
                // Keep at least one byte, drop at least the `"` and the space.
                let keep = self.rng.range(1, (buf.len() - start - 2) as u64) as usize;
                buf.truncate(start + keep);
            }
        }
        false
    }
}

// ---------------------------------------------------------------------------
// Error log

/// Background error-log lines per hour, on average over a day (busier in the
/// afternoon, quieter at night, like the traffic).
const ERROR_NOISE_PER_HOUR: u64 = 4;

/// Keys of [`ErrorTruth::by_kind`].
const ERROR_KINDS: [&str; 6] = [
    "reload",
    "upstream_timeout",
    "upstream_refused",
    "worker_exhaustion",
    "invalid_method",
    "other",
];

/// What an error-log event says; all its lines share one second.
#[derive(Debug, Clone, Copy)]
enum ErrWhat {
    /// A whole reload sequence (nginx SIGHUP; Apache graceful restart).
    Reload,
    /// nginx reopening its logs after logrotate.
    Reopen,
    /// The application refusing connections while it restarts.
    Refused,
    /// An upstream timeout.
    Timeout,
    /// Out of workers or connections.
    Workers,
    /// A scanner's request with a method the server does not know.
    InvalidMethod(ScanRequest),
    /// Junk from the internet nginx cannot parse: entry of `Timeline::extras`.
    Junk(usize),
    /// Background noise: a missing file.
    NoFile,
    /// Background noise: nginx's closed connection, Apache's directory.
    Closed,
    /// Background noise: nginx's TLS handshake, Apache's denied client.
    Handshake,
    /// Background noise: nginx's buffered upstream response.
    Buffered,
}

#[derive(Debug, Clone, Copy)]
struct ErrEvent {
    ts: i64,
    seq: u64,
    what: ErrWhat,
}

/// Renders error-log events with the server's processes as they change.
struct ErrorLog<'a> {
    cfg: &'a SynthConfig,
    tl: &'a Timeline,
    nginx: bool,
    rng: Rng,
    time: TimeCache,
    clients: Vec<Client>,
    /// nginx master or Apache parent.
    master: u64,
    /// Apache parent's thread.
    master_tid: u64,
    /// nginx workers or Apache children.
    workers: Vec<u64>,
    next_pid: u64,
    /// nginx connection number.
    cid: u64,
    last_ts: i64,
    last_micros: u64,
    seq: u64,
    truth: ErrorTruth,
}

fn write_error_log<F>(cfg: &SynthConfig, tl: &Timeline, mut sink: F) -> io::Result<ErrorTruth>
where
    F: FnMut(i64, &[u8]) -> io::Result<()>,
{
    let mut log = ErrorLog::new(cfg, tl);
    let span_start = cfg.start;
    let span_end = cfg.start.saturating_add(cfg.duration_secs.max(1));
    let special = log.special_events();
    let mut cursor = 0;
    let mut pending: Vec<ErrEvent> = Vec::new();
    let mut buf = Vec::with_capacity(4096);
    let tz = i64::from(cfg.tz_offset_secs);
    let mut lo = span_start;
    loop {
        let hi = lo.saturating_add(86_400).min(span_end);
        let last = hi >= span_end;
        log.noise(lo, hi, &mut pending);
        if log.nginx && !cfg.env.nightly_reload {
            // logrotate's daily `nginx -s reopen`, within half an hour of
            // local midnight.
            let mut midnight = (lo + tz).div_euclid(86_400) * 86_400 - tz;
            if midnight < lo {
                midnight += 86_400;
            }
            while midnight < hi {
                let t = midnight + log.rng.range(1, 1800) as i64;
                if t < span_end {
                    pending.push(log.event(t, ErrWhat::Reopen));
                }
                midnight += 86_400;
            }
        }
        while cursor < special.len() && (last || special[cursor].ts < hi) {
            pending.push(special[cursor]);
            cursor += 1;
        }
        pending.sort_by_key(|e| (e.ts, e.seq));
        let keep = if last {
            pending.len()
        } else {
            pending.partition_point(|e| e.ts < hi)
        };
        for e in pending.drain(..keep) {
            buf.clear();
            log.render(&mut buf, e);
            sink(e.ts, &buf)?;
        }
        if last {
            break;
        }
        lo = hi;
    }
    let mut truth = log.truth;
    truth.reloads = tl
        .reloads
        .iter()
        .map(|r| r + cfg.env.clock_skew_secs)
        .collect();
    Ok(truth)
}

impl<'a> ErrorLog<'a> {
    fn new(cfg: &'a SynthConfig, tl: &'a Timeline) -> Self {
        // The same client population as the access log.
        let mut pool = Rng::new(cfg.seed);
        let clients = (0..CLIENTS).map(|_| make_client(&mut pool)).collect();
        let mut rng = Rng::new(cfg.seed ^ 0xE770_3106_5E44_0C11 ^ cfg.env.traffic_salt);
        let master = rng.range(700, 1900);
        let workers = (1..=2).map(|i| master + i).collect();
        let mut truth = ErrorTruth::default();
        for k in ERROR_KINDS {
            truth.by_kind.insert(k.to_owned(), 0);
        }
        ErrorLog {
            cfg,
            tl,
            nginx: cfg.format.is_nginx(),
            master_tid: 139_900_000_000_000 + rng.below(900_000_000_000),
            rng,
            time: TimeCache::of(cfg),
            clients,
            master,
            workers,
            next_pid: master + 3,
            cid: 1,
            last_ts: i64::MIN,
            last_micros: 0,
            seq: 0,
            truth,
        }
    }

    fn event(&mut self, ts: i64, what: ErrWhat) -> ErrEvent {
        self.seq += 1;
        ErrEvent {
            ts,
            seq: self.seq,
            what,
        }
    }

    /// Reloads (with the refused connections after them), traffic spikes'
    /// exhaustion and timeouts, scanners' invalid methods; in time order.
    fn special_events(&mut self) -> Vec<ErrEvent> {
        let tl = self.tl;
        let mut out = Vec::new();
        for &r in &tl.reloads {
            out.push(self.event(r, ErrWhat::Reload));
            for _ in 0..self.rng.below(3) {
                let t = r + self.rng.range(2, 30) as i64;
                out.push(self.event(t, ErrWhat::Refused));
            }
        }
        for (index, s) in tl.scenarios.iter().enumerate() {
            match s.kind {
                ScenarioKind::TrafficSpike => {
                    let mut t = s.start + self.rng.range(5, 40) as i64;
                    while t < s.end {
                        let what = if self.nginx && self.rng.below(100) < 35 {
                            ErrWhat::Workers
                        } else {
                            ErrWhat::Timeout
                        };
                        out.push(self.event(t, what));
                        t += self.rng.range(15, 75) as i64;
                    }
                    if !self.nginx {
                        // Apache says it again whenever the pool fills up anew.
                        let mut t = s.start + self.rng.range(5, 90) as i64;
                        while t < s.end {
                            out.push(self.event(t, ErrWhat::Workers));
                            t += self.rng.range(180, 480) as i64;
                        }
                    }
                }
                ScenarioKind::UnsupportedMethod => {
                    // A few of the made-up verbs are logged.
                    let custom: Vec<ScanRequest> = tl
                        .scans
                        .iter()
                        .filter(|r| r.scenario == index && CUSTOM_VERBS.contains(&r.method))
                        .copied()
                        .collect();
                    let n = self.rng.range(2, 6) as usize;
                    let mut picked = pick_distinct(&mut self.rng, &custom, n);
                    picked.sort_by_key(|r| r.ts);
                    for r in picked {
                        out.push(self.event(r.ts, ErrWhat::InvalidMethod(r)));
                    }
                    // The junk clusters' unparsable request lines, a few of them.
                    let junk: Vec<usize> = (0..tl.extras.len())
                        .filter(|&k| tl.extras[k].is_junk_of(index))
                        .collect();
                    if !junk.is_empty() {
                        let n = self.rng.range(2, 6) as usize;
                        let mut picked = pick_distinct(&mut self.rng, &junk, n);
                        picked.sort_unstable();
                        for k in picked {
                            out.push(self.event(tl.extras[k].ts, ErrWhat::Junk(k)));
                        }
                    }
                }
                _ => {}
            }
        }
        out.sort_by_key(|e| (e.ts, e.seq));
        out
    }

    /// A few lines an hour in `[lo, hi)`, following the diurnal shape.
    fn noise(&mut self, lo: i64, hi: i64, out: &mut Vec<ErrEvent>) {
        let tz = i64::from(self.cfg.tz_offset_secs);
        let total: u64 = HOURLY.iter().sum();
        let mut h = lo;
        while h < hi {
            let len = 3600.min(hi - h);
            let hour = ((h + tz).rem_euclid(86_400) / 3600) as usize;
            // Mean lines in this hour, in thousandths.
            let milli = ERROR_NOISE_PER_HOUR * 1000 * 24 * HOURLY[hour] / total * len as u64 / 3600;
            let n = self.rng.below(2 * milli + 1000) / 1000;
            for _ in 0..n {
                let t = h + self.rng.below(len as u64) as i64;
                let what = if self.nginx {
                    match self.rng.below(100) {
                        0..=49 => ErrWhat::NoFile,
                        50..=74 => ErrWhat::Closed,
                        75..=82 => ErrWhat::Handshake,
                        83..=95 => ErrWhat::Buffered,
                        _ => ErrWhat::Timeout,
                    }
                } else {
                    match self.rng.below(100) {
                        0..=54 => ErrWhat::NoFile,
                        55..=74 => ErrWhat::Closed,
                        75..=95 => ErrWhat::Handshake,
                        _ => ErrWhat::Timeout,
                    }
                };
                out.push(self.event(t, what));
            }
            h += len;
        }
    }

    fn count(&mut self, kind: &str) {
        *self.truth.by_kind.entry(kind.to_owned()).or_insert(0) += 1;
    }

    fn client_ip(&mut self) -> &str {
        let a = self.rng.below(CLIENTS as u64);
        let b = self.rng.below(CLIENTS as u64);
        &self.clients[a.min(b) as usize].ip
    }

    fn worker(&mut self) -> u64 {
        *self.rng.pick(&self.workers)
    }

    /// `2026/05/07 12:00:00 [level] pid#pid: `.
    fn nginx_head(&mut self, buf: &mut Vec<u8>, ts: i64, level: &str, pid: u64) {
        self.time.nginx_error(buf, ts);
        buf.extend_from_slice(b" [");
        buf.extend_from_slice(level.as_bytes());
        buf.extend_from_slice(b"] ");
        push_u64(buf, pid);
        buf.push(b'#');
        push_u64(buf, pid);
        buf.extend_from_slice(b": ");
    }

    /// `*cid ` of an nginx connection.
    fn nginx_cid(&mut self, buf: &mut Vec<u8>) {
        self.cid += self.rng.range(1, 900);
        buf.push(b'*');
        push_u64(buf, self.cid);
        buf.push(b' ');
    }

    /// One nginx notice line of process `pid`.
    fn nginx_notice(&mut self, buf: &mut Vec<u8>, ts: i64, pid: u64, msg: &[u8]) {
        self.nginx_head(buf, ts, "notice", pid);
        buf.extend_from_slice(msg);
        buf.push(b'\n');
    }

    /// `[Thu May 07 12:00:00.123456 2026] [module:level] [pid P:tid T] `,
    /// microseconds increasing within a second.
    fn apache_head(&mut self, buf: &mut Vec<u8>, ts: i64, module_level: &str, pid: u64, tid: u64) {
        if ts == self.last_ts {
            self.last_micros = (self.last_micros + self.rng.range(1, 3000)).min(999_999);
        } else {
            self.last_ts = ts;
            self.last_micros = self.rng.below(900_000);
        }
        buf.push(b'[');
        self.time.apache_error(buf, ts, self.last_micros);
        buf.extend_from_slice(b"] [");
        buf.extend_from_slice(module_level.as_bytes());
        buf.extend_from_slice(b"] [pid ");
        push_u64(buf, pid);
        buf.extend_from_slice(b":tid ");
        push_u64(buf, tid);
        buf.extend_from_slice(b"] ");
    }

    /// An Apache child's line head, with `[client ip:port] ` when `client`.
    fn apache_child(&mut self, buf: &mut Vec<u8>, ts: i64, module_level: &str, client: bool) {
        let pid = self.worker();
        let tid = 139_900_000_000_000 + self.rng.below(900_000_000_000);
        self.apache_head(buf, ts, module_level, pid, tid);
        if client {
            buf.extend_from_slice(b"[client ");
            let port = self.rng.range(1024, 65_535);
            let ip = self.client_ip();
            buf.extend_from_slice(ip.as_bytes());
            buf.push(b':');
            push_u64(buf, port);
            buf.extend_from_slice(b"] ");
        }
    }

    /// A request the application serves: `(path, api)`.
    fn app_request(&mut self, buf: &mut Vec<u8>) -> bool {
        match self.rng.below(4) {
            0 => {
                buf.extend_from_slice(b"/api/v1/products/");
                push_u64(buf, self.rng.range(1000, 9999));
                true
            }
            1 => {
                buf.extend_from_slice(b"/api/v1/users/");
                push_u64(buf, self.rng.range(1, 99_999));
                true
            }
            2 => {
                buf.extend_from_slice(b"/search?q=");
                buf.extend_from_slice(self.rng.pick(&WORDS[..14]).as_bytes());
                false
            }
            _ => {
                buf.extend_from_slice(b"/api/v1/products?category=");
                buf.extend_from_slice(self.rng.pick(&WORDS[..14]).as_bytes());
                true
            }
        }
    }

    /// `, client: IP, server: www.example.com, request: "GET /path HTTP/1.1",
    /// upstream: "http://10.0.1.N:8080/path", host: "…"` of an nginx line
    /// about a proxied request.
    fn nginx_proxied(&mut self, buf: &mut Vec<u8>) {
        buf.extend_from_slice(b", client: ");
        let ip = self.client_ip().to_owned();
        buf.extend_from_slice(ip.as_bytes());
        buf.extend_from_slice(b", server: www.example.com, request: \"GET ");
        let mut path = Vec::with_capacity(48);
        let api = self.app_request(&mut path);
        buf.extend_from_slice(&path);
        buf.extend_from_slice(if self.rng.below(100) < 65 {
            b" HTTP/2.0\", upstream: \"http://10.0.1."
        } else {
            b" HTTP/1.1\", upstream: \"http://10.0.1."
        });
        push_u64(buf, self.rng.range(11, 10 + self.tl.nodes));
        buf.extend_from_slice(b":8080");
        buf.extend_from_slice(&path);
        buf.extend_from_slice(if api {
            b"\", host: \"api.example.com\""
        } else {
            b"\", host: \"www.example.com\""
        });
    }

    fn render(&mut self, buf: &mut Vec<u8>, e: ErrEvent) {
        let before = count_lines(buf);
        let ts = e.ts;
        if self.nginx {
            self.render_nginx(buf, ts, e.what);
        } else {
            self.render_apache(buf, ts, e.what);
        }
        self.truth.lines += (count_lines(buf) - before) as u64;
    }

    fn render_nginx(&mut self, buf: &mut Vec<u8>, ts: i64, what: ErrWhat) {
        let kind = match what {
            ErrWhat::Reload => {
                let master = self.master;
                let signaller = self.next_pid + self.rng.range(1, 400);
                let mut msg = Vec::with_capacity(64);
                self.nginx_notice(buf, ts, signaller, b"signal process started");
                msg.extend_from_slice(b"signal 1 (SIGHUP) received from ");
                push_u64(&mut msg, signaller);
                msg.extend_from_slice(b", reconfiguring");
                self.nginx_notice(buf, ts, master, &msg);
                self.nginx_notice(buf, ts, master, b"reconfiguring");
                self.nginx_notice(buf, ts, master, b"using the \"epoll\" event method");
                self.nginx_notice(buf, ts, master, b"start worker processes");
                let old = std::mem::take(&mut self.workers);
                for i in 0..old.len() as u64 {
                    let pid = signaller + 1 + i;
                    msg.clear();
                    msg.extend_from_slice(b"start worker process ");
                    push_u64(&mut msg, pid);
                    self.nginx_notice(buf, ts, master, &msg);
                    self.workers.push(pid);
                }
                self.next_pid = signaller + 1 + old.len() as u64;
                for &pid in &old {
                    self.nginx_notice(buf, ts, pid, b"gracefully shutting down");
                }
                for &pid in &old {
                    self.nginx_notice(buf, ts, pid, b"exiting");
                }
                for &pid in &old {
                    self.nginx_notice(buf, ts, pid, b"exit");
                }
                for &pid in &old {
                    msg.clear();
                    msg.extend_from_slice(b"signal 17 (SIGCHLD) received from ");
                    push_u64(&mut msg, pid);
                    self.nginx_notice(buf, ts, master, &msg);
                    msg.clear();
                    msg.extend_from_slice(b"worker process ");
                    push_u64(&mut msg, pid);
                    msg.extend_from_slice(b" exited with code 0");
                    self.nginx_notice(buf, ts, master, &msg);
                }
                self.nginx_notice(buf, ts, master, b"signal 29 (SIGIO) received");
                // Lifecycle lines: SIGHUP, reconfiguring, start worker
                // processes, gracefully shutting down (one per old worker).
                let others = count_lines(buf) as u64 - 3 - old.len() as u64;
                *self.truth.by_kind.entry("other".to_owned()).or_insert(0) += others;
                "reload"
            }
            ErrWhat::Reopen => {
                let master = self.master;
                let logrotate = self.next_pid + self.rng.range(1, 400);
                self.next_pid = logrotate + 1;
                let mut msg = Vec::with_capacity(64);
                msg.extend_from_slice(b"signal 10 (SIGUSR1) received from ");
                push_u64(&mut msg, logrotate);
                msg.extend_from_slice(b", reopening logs");
                self.nginx_notice(buf, ts, master, &msg);
                self.nginx_notice(buf, ts, master, b"reopening logs");
                let workers = self.workers.clone();
                for pid in workers {
                    self.nginx_notice(buf, ts, pid, b"reopening logs");
                }
                *self.truth.by_kind.entry("other".to_owned()).or_insert(0) +=
                    count_lines(buf) as u64;
                "other"
            }
            ErrWhat::Refused => {
                let pid = self.worker();
                self.nginx_head(buf, ts, "error", pid);
                self.nginx_cid(buf);
                buf.extend_from_slice(
                    b"connect() failed (111: Connection refused) while connecting to upstream",
                );
                self.nginx_proxied(buf);
                buf.push(b'\n');
                "upstream_refused"
            }
            ErrWhat::Timeout => {
                let pid = self.worker();
                self.nginx_head(buf, ts, "error", pid);
                self.nginx_cid(buf);
                buf.extend_from_slice(
                    b"upstream timed out (110: Connection timed out) while reading response header from upstream",
                );
                self.nginx_proxied(buf);
                buf.push(b'\n');
                "upstream_timeout"
            }
            ErrWhat::Workers => {
                let pid = self.worker();
                self.nginx_head(buf, ts, "alert", pid);
                buf.extend_from_slice(b"1024 worker_connections are not enough\n");
                "worker_exhaustion"
            }
            ErrWhat::InvalidMethod(req) => {
                let pid = self.worker();
                self.nginx_head(buf, ts, "info", pid);
                self.nginx_cid(buf);
                buf.extend_from_slice(
                    b"client sent invalid method while reading client request line, client: ",
                );
                buf.extend_from_slice(self.tl.scanners[req.scanner].ip.as_bytes());
                buf.extend_from_slice(b", server: www.example.com, request: \"");
                buf.extend_from_slice(req.method.as_bytes());
                buf.push(b' ');
                buf.extend_from_slice(req.path.as_bytes());
                buf.extend_from_slice(b" HTTP/1.1\"\n");
                "invalid_method"
            }
            ErrWhat::Junk(k) => {
                let pid = self.worker();
                self.nginx_head(buf, ts, "info", pid);
                self.nginx_cid(buf);
                buf.extend_from_slice(
                    b"client sent invalid method while reading client request line, client: ",
                );
                let e = &self.tl.extras[k];
                buf.extend_from_slice(self.tl.scanners[e.client].ip.as_bytes());
                buf.extend_from_slice(b", server: www.example.com, request: \"");
                buf.extend_from_slice(&e.request);
                buf.extend_from_slice(b"\"\n");
                "invalid_method"
            }
            ErrWhat::NoFile => {
                let pid = self.worker();
                self.nginx_head(buf, ts, "error", pid);
                self.nginx_cid(buf);
                let path = *self.rng.pick(&MISSING_FILES);
                buf.extend_from_slice(b"open() \"/var/www/html");
                buf.extend_from_slice(path.as_bytes());
                buf.extend_from_slice(b"\" failed (2: No such file or directory), client: ");
                let ip = self.client_ip().to_owned();
                buf.extend_from_slice(ip.as_bytes());
                buf.extend_from_slice(b", server: www.example.com, request: \"GET ");
                buf.extend_from_slice(path.as_bytes());
                buf.extend_from_slice(b" HTTP/1.1\", host: \"www.example.com\"\n");
                "other"
            }
            ErrWhat::Closed => {
                let pid = self.worker();
                self.nginx_head(buf, ts, "info", pid);
                self.nginx_cid(buf);
                buf.extend_from_slice(
                    b"client closed connection while waiting for request, client: ",
                );
                let ip = self.client_ip().to_owned();
                buf.extend_from_slice(ip.as_bytes());
                buf.extend_from_slice(b", server: 0.0.0.0:443\n");
                "other"
            }
            ErrWhat::Handshake => {
                let pid = self.worker();
                self.nginx_head(buf, ts, "crit", pid);
                self.nginx_cid(buf);
                buf.extend_from_slice(
                    b"SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking, client: ",
                );
                let ip = self.client_ip().to_owned();
                buf.extend_from_slice(ip.as_bytes());
                buf.extend_from_slice(b", server: 0.0.0.0:443\n");
                "other"
            }
            ErrWhat::Buffered => {
                let pid = self.worker();
                self.nginx_head(buf, ts, "warn", pid);
                self.nginx_cid(buf);
                buf.extend_from_slice(
                    b"an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/",
                );
                push_u64(buf, self.rng.below(10));
                buf.push(b'/');
                push_2(buf, self.rng.below(100) as u32);
                buf.push(b'/');
                push_padded(buf, self.rng.range(1, 9_999_999), 10);
                buf.extend_from_slice(b" while reading upstream");
                self.nginx_proxied(buf);
                buf.push(b'\n');
                "other"
            }
        };
        if !matches!(what, ErrWhat::Reopen) {
            self.count(kind);
        }
    }

    fn render_apache(&mut self, buf: &mut Vec<u8>, ts: i64, what: ErrWhat) {
        let kind = match what {
            ErrWhat::Reload => {
                let (pid, tid) = (self.master, self.master_tid);
                self.apache_head(buf, ts, "mpm_event:notice", pid, tid);
                buf.extend_from_slice(b"AH00493: SIGUSR1 received.  Doing graceful restart\n");
                self.apache_head(buf, ts, "mpm_event:notice", pid, tid);
                buf.extend_from_slice(
                    b"AH00489: Apache/2.4.58 (Ubuntu) configured -- resuming normal operations\n",
                );
                self.apache_head(buf, ts, "core:notice", pid, tid);
                buf.extend_from_slice(b"AH00094: Command line: '/usr/sbin/apache2'\n");
                // Graceful restart: new children.
                for w in &mut self.workers {
                    self.next_pid += self.rng.range(1, 40);
                    *w = self.next_pid;
                }
                "reload"
            }
            // Apache's logrotate reload is not written: only nginx reopens.
            ErrWhat::Reopen => return,
            ErrWhat::Refused => {
                let (pid, tid) = (
                    self.worker(),
                    139_900_000_000_000 + self.rng.below(900_000_000_000),
                );
                self.apache_head(buf, ts, "proxy:error", pid, tid);
                let node = self.rng.range(11, 10 + self.tl.nodes);
                buf.extend_from_slice(
                    b"(111)Connection refused: AH00957: http: attempt to connect to 10.0.1.",
                );
                push_u64(buf, node);
                buf.extend_from_slice(b":8080 (10.0.1.");
                push_u64(buf, node);
                buf.extend_from_slice(b":8080) failed\n");
                "upstream_refused"
            }
            ErrWhat::Timeout => {
                let (pid, tid) = (
                    self.worker(),
                    139_900_000_000_000 + self.rng.below(900_000_000_000),
                );
                self.apache_head(buf, ts, "proxy_http:error", pid, tid);
                buf.extend_from_slice(b"(70007)The timeout specified has expired: [client ");
                let port = self.rng.range(1024, 65_535);
                let ip = self.client_ip().to_owned();
                buf.extend_from_slice(ip.as_bytes());
                buf.push(b':');
                push_u64(buf, port);
                buf.extend_from_slice(
                    b"] AH01102: error reading status line from remote server 10.0.1.",
                );
                push_u64(buf, self.rng.range(11, 10 + self.tl.nodes));
                buf.extend_from_slice(b":8080, referer: https://www.example.com/\n");
                "upstream_timeout"
            }
            ErrWhat::Workers => {
                let (pid, tid) = (self.master, self.master_tid);
                self.apache_head(buf, ts, "mpm_event:error", pid, tid);
                buf.extend_from_slice(
                    b"AH00484: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting\n",
                );
                "worker_exhaustion"
            }
            ErrWhat::InvalidMethod(req) => {
                let pid = self.worker();
                let tid = 139_900_000_000_000 + self.rng.below(900_000_000_000);
                self.apache_head(buf, ts, "core:error", pid, tid);
                buf.extend_from_slice(b"[client ");
                buf.extend_from_slice(self.tl.scanners[req.scanner].ip.as_bytes());
                buf.push(b':');
                push_u64(buf, self.rng.range(1024, 65_535));
                buf.extend_from_slice(b"] AH00135: Invalid method in request ");
                buf.extend_from_slice(req.method.as_bytes());
                buf.push(b' ');
                buf.extend_from_slice(req.path.as_bytes());
                buf.push(b'\n');
                "invalid_method"
            }
            ErrWhat::Junk(k) => {
                let pid = self.worker();
                let tid = 139_900_000_000_000 + self.rng.below(900_000_000_000);
                self.apache_head(buf, ts, "core:error", pid, tid);
                buf.extend_from_slice(b"[client ");
                let e = &self.tl.extras[k];
                buf.extend_from_slice(self.tl.scanners[e.client].ip.as_bytes());
                buf.push(b':');
                push_u64(buf, self.rng.range(1024, 65_535));
                buf.extend_from_slice(b"] AH00135: Invalid method in request ");
                buf.extend_from_slice(&e.request);
                buf.push(b'\n');
                "invalid_method"
            }
            ErrWhat::NoFile => {
                self.apache_child(buf, ts, "core:info", true);
                buf.extend_from_slice(b"AH00128: File does not exist: /var/www/html");
                buf.extend_from_slice(self.rng.pick(&MISSING_FILES).as_bytes());
                buf.push(b'\n');
                "other"
            }
            ErrWhat::Closed | ErrWhat::Buffered => {
                self.apache_child(buf, ts, "autoindex:error", true);
                buf.extend_from_slice(
                    b"AH01276: Cannot serve directory /var/www/html/static/: No matching DirectoryIndex (index.html,index.cgi,index.pl,index.php,index.xhtml,index.htm) found, and server-generated directory index forbidden by Options directive\n",
                );
                "other"
            }
            ErrWhat::Handshake => {
                self.apache_child(buf, ts, "authz_core:error", true);
                buf.extend_from_slice(
                    b"AH01630: client denied by server configuration: /var/www/html/.git/config\n",
                );
                "other"
            }
        };
        self.count(kind);
    }
}

#[cfg(test)]
mod incident_tests;
mod incidents;
pub use incidents::{generate_mixed_dir, generate_two_hosts, merge_truths, quiet_week};

fn count_lines(buf: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', buf).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::read::MultiGzDecoder;
    use std::io::Read;

    fn cfg(format: SynthFormat, lines: u64) -> SynthConfig {
        SynthConfig {
            seed: 42,
            lines,
            format,
            // Plenty of garbage and blanks so that every branch shows up.
            garbage_per_million: 20_000,
            blank_per_million: 10_000,
            ..SynthConfig::default()
        }
    }

    fn gen(cfg: &SynthConfig) -> (Vec<u8>, Truth) {
        let mut out = Vec::new();
        let truth = generate(cfg, &mut out).expect("writing to a Vec cannot fail");
        (out, truth)
    }

    /// Split into lines (the output always ends with a newline).
    fn lines(out: &[u8]) -> Vec<&[u8]> {
        assert!(out.is_empty() || out.ends_with(b"\n"));
        let body = out.strip_suffix(b"\n").unwrap_or(out);
        if out.is_empty() {
            return Vec::new();
        }
        body.split(|&b| b == b'\n').collect()
    }

    fn field(line: &[u8], n: usize) -> Option<&[u8]> {
        line.split(|b| b.is_ascii_whitespace())
            .filter(|f| !f.is_empty())
            .nth(n)
    }

    /// A small independent parser: `(unix time, status)` of a valid line.
    fn parse(line: &[u8], tz: i32) -> Option<(i64, u16)> {
        let open = line.iter().position(|&b| b == b'[')?;
        let close = open + line[open..].iter().position(|&b| b == b']')?;
        let time = std::str::from_utf8(&line[open + 1..close]).ok()?;
        let t = chrono::DateTime::parse_from_str(time, "%d/%b/%Y:%H:%M:%S %z").ok()?;
        assert_eq!(t.offset().local_minus_utc(), tz);
        let rest = line[close..].strip_prefix(b"] \"")?;
        let mut i = 0;
        loop {
            match *rest.get(i)? {
                b'\\' => i += 2,
                b'"' => break,
                _ => i += 1,
            }
        }
        let after = rest.get(i + 1..)?.strip_prefix(b" ")?;
        let status = after.get(..3)?;
        if after.get(3) != Some(&b' ') || !status.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let status = std::str::from_utf8(status).ok()?.parse().ok()?;
        Some((t.timestamp(), status))
    }

    #[test]
    fn deterministic() {
        for format in SynthFormat::ALL {
            let c = cfg(format, 5_000);
            let (a, ta) = gen(&c);
            let (b, tb) = gen(&c);
            assert_eq!(a, b, "{format}");
            assert_eq!(ta, tb);
            let (other, _) = gen(&SynthConfig { seed: 43, ..c });
            assert_ne!(a, other);
        }
    }

    #[test]
    fn truth_matches_recount_combined() {
        let c = SynthConfig {
            bursts: vec![BurstSpec {
                start: DEFAULT_START + 3600 * 10,
                duration_secs: 3600,
                rate: 0.7,
            }],
            ..cfg(SynthFormat::NginxCombined, 60_000)
        };
        let (out, t) = gen(&c);
        let all = lines(&out);
        let blank = all.iter().filter(|l| l.is_empty()).count() as u64;
        let non_blank = all.len() as u64 - blank;
        let ninth_501 = all
            .iter()
            .filter(|l| field(l, 8) == Some(&b"501"[..]))
            .count() as u64;
        assert_eq!(t.blank, blank);
        assert_eq!(t.lines, non_blank);
        assert_eq!(t.lines, c.lines);
        assert_eq!(t.bytes, out.len() as u64);
        assert_eq!(t.status_501, ninth_501);
        assert_eq!(t.by_status.get(&501).copied().unwrap_or(0), t.status_501);
        assert!(t.status_501 > 1000, "burst too small: {}", t.status_501);
        assert!(t.garbage > 0 && t.blank > 0);
    }

    #[test]
    fn truth_matches_parse_every_format() {
        for format in SynthFormat::ALL {
            let c = cfg(format, 40_000);
            let (out, t) = gen(&c);
            let mut by_status = BTreeMap::new();
            let (mut blank, mut valid, mut garbage) = (0u64, 0u64, 0u64);
            let mut prev = i64::MIN;
            let (mut first, mut last) = (None, 0);
            for line in lines(&out) {
                if line.is_empty() {
                    blank += 1;
                    continue;
                }
                let Some((ts, status)) = parse(line, c.tz_offset_secs) else {
                    garbage += 1;
                    continue;
                };
                valid += 1;
                *by_status.entry(status).or_insert(0u64) += 1;
                assert!(ts >= prev, "{format}: time went backwards");
                assert!(ts >= c.start && ts < c.start + c.duration_secs);
                prev = ts;
                first.get_or_insert(ts);
                last = ts;
            }
            assert_eq!(t.blank, blank, "{format}");
            assert_eq!(t.requests, valid, "{format}");
            assert_eq!(t.garbage + t.error_lines, garbage, "{format}");
            assert_eq!(t.by_status, by_status, "{format}");
            assert_eq!(t.first, first.unwrap_or(0));
            assert_eq!(t.last, last);
            assert_eq!(t.bytes, out.len() as u64);
            assert_eq!(t.lines, t.requests + t.garbage + t.error_lines);
        }
    }

    #[test]
    fn edge_cases_present() {
        let mut c = cfg(SynthFormat::NginxCombined, 200_000);
        let (out, _) = gen(&c);
        let text = String::from_utf8_lossy(&out);
        assert!(text.contains(r#""\x16\x03\x01\x00\xa5\x01" 400 157 "-" "-""#));
        assert!(text.contains(r#" "-" 408 0 "-" "-""#));
        assert!(text.contains(r"\x22Nuclei\x22"));
        assert!(text.contains("random text without format"));
        assert!(text.contains(" PROPFIND ") || text.contains("\"PROPFIND "));
        let v6 = lines(&out)
            .iter()
            .filter(|l| field(l, 0).is_some_and(|f| f.contains(&b':')))
            .count();
        assert!(v6 > 10_000, "{v6} IPv6 lines");
        c.format = SynthFormat::ApacheCombined;
        let (out, _) = gen(&c);
        let text = String::from_utf8_lossy(&out);
        assert!(text.contains(r#"\"Nuclei\""#));
        assert!(text.contains(r#" "-" 408 - "-" "-""#));
    }

    #[test]
    fn diurnal_shape() {
        let c = SynthConfig {
            bursts: Vec::new(),
            ..cfg(SynthFormat::NginxCombined, 50_000)
        };
        let (out, _) = gen(&c);
        let mut per_hour = [0u64; 24];
        for line in lines(&out) {
            if let Some((ts, _)) = parse(line, c.tz_offset_secs) {
                let local = ts + i64::from(c.tz_offset_secs);
                per_hour[(local.rem_euclid(86_400) / 3600) as usize] += 1;
            }
        }
        // 04:00 local is the quietest hour, 15:00 the busiest.
        assert!(per_hour[15] > 5 * per_hour[4], "{per_hour:?}");
    }

    #[test]
    fn rotated_equals_single() {
        let dir = std::env::temp_dir().join(format!("synth-rotated-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        for (format, files) in [
            (SynthFormat::NginxUpstream, 5),
            (SynthFormat::ApacheVhostCombined, 2),
            (SynthFormat::ApacheCommon, 1),
        ] {
            let c = cfg(format, 30_000);
            let (single, truth) = gen(&c);
            let rotated = generate_rotated(&c, &dir, "access.log", files).expect("rotate");
            assert_eq!(rotated, truth);
            let mut joined = Vec::new();
            for index in (0..files).rev() {
                let path = match index {
                    0 => dir.join("access.log"),
                    1 => dir.join("access.log.1"),
                    n => dir.join(format!("access.log.{n}.gz")),
                };
                let raw = fs::read(&path).expect("read part");
                assert!(!raw.is_empty(), "{}", path.display());
                if index >= 2 {
                    assert_eq!(&raw[..2], &[0x1f, 0x8b]);
                    MultiGzDecoder::new(&raw[..])
                        .read_to_end(&mut joined)
                        .expect("gunzip");
                } else {
                    joined.extend_from_slice(&raw);
                }
            }
            assert_eq!(joined, single, "{format} in {files} files");
        }
        let _ = fs::remove_dir_all(&dir);
        assert!(generate_rotated(&cfg(SynthFormat::NginxMain, 10), &dir, "access.log", 0).is_err());
    }

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
    fn time_format() {
        let mut t = TimeCache::new(7200);
        assert_eq!(t.access(DEFAULT_START), b"07/May/2026:02:00:00 +0200");
        let mut t = TimeCache::new(-12_600);
        assert_eq!(
            t.access(951_782_400 + 86_399 + 12_600),
            b"29/Feb/2000:23:59:59 -0330"
        );
        let mut buf = Vec::new();
        t.apache_error(&mut buf, DEFAULT_START + 12_600, 42);
        assert_eq!(buf, b"Thu May 07 00:00:00.000042 2026");
    }

    #[test]
    fn edge_configs() {
        let (out, t) = gen(&SynthConfig {
            lines: 0,
            ..SynthConfig::default()
        });
        assert!(out.is_empty());
        assert_eq!(t, Truth::default());
        let c = SynthConfig {
            lines: 1000,
            duration_secs: 0,
            ..SynthConfig::default()
        };
        let (_, t) = gen(&c);
        assert_eq!((t.first, t.last), (c.start, c.start));
        let c = SynthConfig {
            lines: 100,
            duration_secs: 400 * 365 * 86_400,
            ..SynthConfig::default()
        };
        assert_eq!(gen(&c).1.lines, 100);
        let n = lines_for_size(&SynthConfig::default(), 10 << 20);
        let (out, _) = gen(&SynthConfig {
            lines: n,
            ..SynthConfig::default()
        });
        let ratio = out.len() as f64 / f64::from(10u32 << 20);
        assert!((0.97..1.03).contains(&ratio), "{ratio}");
    }

    // -----------------------------------------------------------------------
    // Scenarios and error logs

    /// A valid line, read independently of the generator.
    #[derive(Debug)]
    struct Req<'a> {
        ts: i64,
        ip: &'a str,
        method: &'a str,
        path: &'a str,
        status: u16,
        /// The user agent (`None` in apache-common).
        ua: Option<&'a str>,
        /// `ua="…"` and `us="…"` of nginx-upstream.
        upstream: Option<&'a str>,
        upstream_status: Option<&'a str>,
    }

    /// The quoted fields of `s` (backslash escapes skipped).
    fn quoted(s: &str) -> Vec<&str> {
        let b = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'"' {
                let from = i + 1;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                out.push(&s[from..i.min(b.len())]);
            }
            i += 1;
        }
        out
    }

    fn parse_req(line: &[u8], tz: i32) -> Option<Req<'_>> {
        let (ts, status) = parse(line, tz)?;
        let s = std::str::from_utf8(line).ok()?;
        let open = s.find('[')?;
        let head: Vec<&str> = s[..open].split_whitespace().collect();
        let ip = head[head.len().checked_sub(3)?];
        let rest = &s[open + s[open..].find("] \"")? + 2..];
        let fields = quoted(rest);
        let request = fields.first()?;
        let mut parts = request.split(' ');
        let method = parts.next()?;
        let path = parts.next().unwrap_or("");
        let after = |key: &str| {
            let at = rest.find(key)? + key.len();
            rest[at..].split('"').next()
        };
        Some(Req {
            ts,
            ip,
            method,
            path,
            status,
            ua: fields.get(2).copied(),
            upstream: after(" ua=\""),
            upstream_status: after(" us=\""),
        })
    }

    fn requests(out: &[u8], tz: i32) -> Vec<Req<'_>> {
        lines(out)
            .into_iter()
            .filter_map(|l| parse_req(l, tz))
            .collect()
    }

    fn scenario_cfg(
        format: SynthFormat,
        kinds: &[ScenarioKind],
        days: i64,
        lines: u64,
    ) -> SynthConfig {
        let c = SynthConfig {
            seed: 7,
            lines,
            format,
            duration_secs: days * 86_400,
            garbage_per_million: 2_000,
            blank_per_million: 1_000,
            bursts: Vec::new(),
            ..SynthConfig::default()
        };
        SynthConfig {
            scenarios: ScenarioSpec::spread(kinds, c.start, c.duration_secs, c.tz_offset_secs),
            ..c
        }
    }

    fn in_window(s: &ScenarioTruth, ts: i64) -> bool {
        ts >= s.start && ts < s.end
    }

    /// The path without its query.
    fn route_of(path: &str) -> &str {
        path.split('?').next().unwrap_or(path)
    }

    fn is_group_ua(group: &str, ua: &str) -> bool {
        match group {
            "ios app" => ua.starts_with("ShopApp/"),
            "android app" => ua.starts_with("okhttp/") || ua.starts_with("Dalvik/"),
            other => panic!("unknown device group {other:?}"),
        }
    }

    /// Recounts each scenario's 501s from the text; returns the recounts.
    fn recount_scenarios(reqs: &[Req<'_>], t: &Truth) -> Vec<u64> {
        let misroute = t
            .scenarios
            .iter()
            .find(|s| s.label == "route_misconfig")
            .map(|s| s.detail.clone());
        let misrouted = |r: &Req<'_>| misroute.as_deref() == Some(route_of(r.path));
        let mut counts = Vec::new();
        for s in &t.scenarios {
            let window_501 = || {
                reqs.iter()
                    .filter(|r| r.status == 501 && in_window(s, r.ts) && !misrouted(r))
            };
            let n = match s.label.as_str() {
                "route_misconfig" => reqs
                    .iter()
                    .filter(|r| r.status == 501 && misrouted(r))
                    .count(),
                "post_deploy" | "traffic_spike" => window_501().count(),
                "device_specific" => {
                    // Every 501 in the window is the group's.
                    assert!(
                        window_501().all(|r| is_group_ua(&s.detail, r.ua.unwrap())),
                        "{s:?}"
                    );
                    window_501()
                        .filter(|r| is_group_ua(&s.detail, r.ua.unwrap()))
                        .count()
                }
                "unsupported_method" => {
                    let (methods, ips) = s.detail.split_once(" from ").unwrap();
                    let methods: Vec<&str> = methods.split(',').collect();
                    let ips: Vec<&str> = ips.split(", ").collect();
                    assert!((1..=3).contains(&ips.len()), "{s:?}");
                    assert!(window_501().all(|r| ips.contains(&r.ip)), "{s:?}");
                    window_501()
                        .filter(|r| methods.contains(&r.method) && ips.contains(&r.ip))
                        .count()
                }
                "upstream_node" => {
                    assert!(
                        window_501().all(|r| r.upstream == Some(s.detail.as_str())),
                        "{s:?}"
                    );
                    window_501()
                        .filter(|r| {
                            r.upstream == Some(s.detail.as_str())
                                && r.upstream_status == Some("501")
                        })
                        .count()
                }
                other => panic!("unknown label {other:?}"),
            } as u64;
            counts.push(n);
        }
        counts
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

    #[test]
    fn spread_windows_are_disjoint_inside_the_span_and_in_busy_hours() {
        for days in [1, 3, 7] {
            let c = scenario_cfg(SynthFormat::NginxUpstream, &ScenarioKind::ALL, days, 0);
            let mut timed: Vec<&ScenarioSpec> = c
                .scenarios
                .iter()
                .filter(|s| !s.kind.covers_whole_span())
                .collect();
            assert_eq!(timed.len(), 5);
            timed.sort_by_key(|s| s.start);
            for w in timed.windows(2) {
                assert!(w[0].start + w[0].duration_secs <= w[1].start, "{w:?}");
            }
            for s in &timed {
                assert!(
                    s.start >= c.start && s.start + s.duration_secs <= c.start + c.duration_secs
                );
                assert_eq!(s.duration_secs, s.kind.default_duration_secs());
                let hour = (s.start + i64::from(c.tz_offset_secs)).rem_euclid(86_400) / 3600;
                assert!(
                    (9..21).contains(&hour),
                    "{days} days: {s:?} at {hour}h local"
                );
            }
        }
        // Short spans: shorter windows, still disjoint.
        let specs = ScenarioSpec::spread(&ScenarioKind::ALL, DEFAULT_START, 3600, 0);
        let mut timed: Vec<_> = specs
            .iter()
            .filter(|s| !s.kind.covers_whole_span())
            .collect();
        timed.sort_by_key(|s| s.start);
        for w in timed.windows(2) {
            assert!(w[0].start + w[0].duration_secs <= w[1].start, "{w:?}");
        }
    }

    #[test]
    fn scenario_truth_matches_recount() {
        let c = scenario_cfg(SynthFormat::NginxUpstream, &ScenarioKind::ALL, 1, 150_000);
        let (out, t) = gen(&c);
        let reqs = requests(&out, c.tz_offset_secs);
        assert_eq!(reqs.len() as u64, t.requests);
        let all_501 = reqs.iter().filter(|r| r.status == 501).count() as u64;
        assert_eq!(all_501, t.status_501);
        assert_eq!(t.by_status[&501], t.status_501);
        assert_eq!(t.lines, t.requests + t.garbage + t.error_lines);
        assert!(t.lines > c.lines, "the spike and the scanner add requests");

        // One truth per scenario, in start order, each matched exactly.
        assert_eq!(t.scenarios.len(), 6);
        assert!(t.scenarios.windows(2).all(|w| w[0].start <= w[1].start));
        let recount = recount_scenarios(&reqs, &t);
        for (s, n) in t.scenarios.iter().zip(&recount) {
            assert_eq!(s.matched, *n, "{s:?}");
            assert!(s.matched > 50, "{s:?} is too small to see");
        }

        // Everything else is a stray: outside every window, at least 150 s apart.
        let misroute = &t.scenarios[0].detail;
        assert_eq!(t.scenarios[0].label, "route_misconfig");
        let strays: Vec<i64> = reqs
            .iter()
            .filter(|r| {
                r.status == 501
                    && route_of(r.path) != misroute
                    && !t.scenarios[1..].iter().any(|s| in_window(s, r.ts))
            })
            .map(|r| r.ts)
            .collect();
        let matched: u64 = t.scenarios.iter().map(|s| s.matched).sum();
        assert_eq!(strays.len() as u64, t.status_501 - matched);
        assert!(strays.len() > 10, "{} strays", strays.len());
        assert!(strays
            .windows(2)
            .all(|w| w[1] - w[0] >= STRAY_501_MIN_GAP_SECS));

        for s in &t.scenarios {
            let window: Vec<&Req<'_>> = reqs.iter().filter(|r| in_window(s, r.ts)).collect();
            let len = s.end - s.start;
            match s.label.as_str() {
                "route_misconfig" => {
                    // 0.5–1 % of the requests, ~97 % of them 501, over the span.
                    let routed = reqs.iter().filter(|r| route_of(r.path) == misroute).count();
                    let share = routed as f64 / reqs.len() as f64;
                    assert!((0.004..0.012).contains(&share), "{share}");
                    let rate = s.matched as f64 / routed as f64;
                    assert!((0.94..0.995).contains(&rate), "{rate}");
                    assert_eq!((s.start, s.end), (c.start, c.start + c.duration_secs));
                    assert!(MISCONFIG_ROUTES.contains(&misroute.as_str()));
                }
                "post_deploy" => {
                    // 30–60 % of the application's requests (not static files),
                    // across many routes.
                    let app = window
                        .iter()
                        .filter(|r| {
                            !r.path.starts_with("/static/") && r.upstream.is_some_and(|u| u != "-")
                        })
                        .count();
                    let rate = s.matched as f64 / app as f64;
                    assert!((0.25..0.65).contains(&rate), "{rate}");
                    let routes: std::collections::BTreeSet<&str> = window
                        .iter()
                        .filter(|r| r.status == 501)
                        .map(|r| route_of(r.path).split('/').nth(1).unwrap_or(""))
                        .collect();
                    assert!(routes.len() >= 5, "{routes:?}");
                    assert!(window
                        .iter()
                        .all(|r| r.status != 501 || !r.path.starts_with("/static/")));
                }
                "device_specific" => {
                    let group = window
                        .iter()
                        .filter(|r| r.ua.is_some_and(|ua| is_group_ua(&s.detail, ua)))
                        .count();
                    let rate = s.matched as f64 / group as f64;
                    assert!((0.75..0.95).contains(&rate), "{rate}");
                    let share = group as f64 / window.len() as f64;
                    assert!((0.05..0.16).contains(&share), "{share}");
                }
                "traffic_spike" => {
                    let before = reqs
                        .iter()
                        .filter(|r| r.ts >= s.start - len && r.ts < s.start)
                        .count();
                    let after = reqs
                        .iter()
                        .filter(|r| r.ts >= s.end && r.ts < s.end + len)
                        .count();
                    let ratio = window.len() as f64 * 2.0 / (before + after) as f64;
                    assert!((2.7..5.5).contains(&ratio), "x{ratio}");
                    let rate = s.matched as f64 / window.len() as f64;
                    assert!((0.08..0.22).contains(&rate), "{rate}");
                    assert!((15 * 60..=40 * 60).contains(&len));
                }
                "unsupported_method" => assert!((150..=400).contains(&s.matched)),
                "upstream_node" => {
                    let node = window
                        .iter()
                        .filter(|r| r.upstream == Some(s.detail.as_str()))
                        .count();
                    let rate = s.matched as f64 / node as f64;
                    assert!((0.6..0.8).contains(&rate), "{rate}");
                    // The other nodes serve the same routes fine.
                    assert!(window
                        .iter()
                        .filter(|r| r
                            .upstream
                            .is_some_and(|u| u.starts_with("10.0.1.") && u != s.detail))
                        .all(|r| r.status != 501 || route_of(r.path) == misroute));
                }
                _ => unreachable!(),
            }
        }
    }

    #[test]
    fn both_device_groups_recount_exactly() {
        let mut seen = std::collections::BTreeSet::new();
        for seed in 1..=8 {
            let c = SynthConfig {
                seed,
                ..scenario_cfg(
                    SynthFormat::ApacheCombined,
                    &[ScenarioKind::DeviceSpecific],
                    1,
                    30_000,
                )
            };
            let (out, t) = gen(&c);
            let reqs = requests(&out, c.tz_offset_secs);
            assert_eq!(recount_scenarios(&reqs, &t), [t.scenarios[0].matched]);
            seen.insert(t.scenarios[0].detail.clone());
        }
        assert_eq!(
            seen.into_iter().collect::<Vec<_>>(),
            ["android app", "ios app"]
        );
    }

    #[test]
    fn every_format_with_scenarios_keeps_its_truth() {
        for format in SynthFormat::ALL {
            let kinds: Vec<ScenarioKind> = ScenarioKind::ALL
                .into_iter()
                .filter(|k| match k {
                    ScenarioKind::UpstreamNode => format == SynthFormat::NginxUpstream,
                    ScenarioKind::DeviceSpecific => format != SynthFormat::ApacheCommon,
                    _ => true,
                })
                .collect();
            let c = scenario_cfg(format, &kinds, 2, 40_000);
            let (out, t) = gen(&c);
            let mut by_status = BTreeMap::new();
            let mut prev = i64::MIN;
            for line in lines(&out) {
                if let Some((ts, status)) = parse(line, c.tz_offset_secs) {
                    assert!(ts >= prev, "{format}: time went backwards");
                    prev = ts;
                    *by_status.entry(status).or_insert(0u64) += 1;
                }
            }
            assert_eq!(t.by_status, by_status, "{format}");
            assert_eq!(t.bytes, out.len() as u64);
            assert_eq!(t.scenarios.len(), kinds.len());
            let matched: u64 = t.scenarios.iter().map(|s| s.matched).sum();
            assert!(
                matched <= t.status_501 && t.scenarios.iter().all(|s| s.matched > 0),
                "{format}"
            );
            if format != SynthFormat::ApacheCommon && format != SynthFormat::NginxUpstream {
                let reqs = requests(&out, c.tz_offset_secs);
                let recount = recount_scenarios(&reqs, &t);
                let truth: Vec<u64> = t.scenarios.iter().map(|s| s.matched).collect();
                assert_eq!(recount, truth, "{format}");
            }
        }
    }

    #[test]
    fn deterministic_with_scenarios() {
        let c = scenario_cfg(SynthFormat::NginxUpstream, &ScenarioKind::ALL, 2, 20_000);
        let (a, ta) = gen(&c);
        let (b, tb) = gen(&c);
        assert_eq!((a, ta), (b, tb));
        let (mut ea, mut eb) = (Vec::new(), Vec::new());
        let eta = generate_error_log(&c, &mut ea).unwrap();
        let etb = generate_error_log(&c, &mut eb).unwrap();
        assert_eq!((ea.clone(), eta), (eb, etb));
        let other = SynthConfig {
            seed: 8,
            ..c.clone()
        };
        let mut ec = Vec::new();
        generate_error_log(&other, &mut ec).unwrap();
        assert_ne!(ea, ec);
        assert_ne!(gen(&other).0, gen(&c).0);
        // A scenario's parameters do not depend on the others.
        let alone = SynthConfig {
            scenarios: vec![c.scenarios[4]],
            ..c.clone()
        };
        let full = gen(&c).1;
        let one = gen(&alone).1;
        let same = full
            .scenarios
            .iter()
            .find(|s| s.start == one.scenarios[0].start)
            .unwrap();
        assert_eq!(same.detail, one.scenarios[0].detail);
    }

    #[test]
    fn invalid_scenarios_are_rejected() {
        let bad = |c: &SynthConfig| {
            assert!(c.validate().is_err());
            let e = generate(c, &mut Vec::new()).unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "{e}");
            let e = generate_error_log(c, &mut Vec::new()).unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "{e}");
            e.to_string()
        };
        let node = scenario_cfg(
            SynthFormat::NginxCombined,
            &[ScenarioKind::UpstreamNode],
            1,
            100,
        );
        assert!(bad(&node).contains("nginx-upstream"));
        let dir = std::env::temp_dir().join(format!("synth-invalid-{}", std::process::id()));
        assert!(generate_dir(&node, &dir, 2).is_err());
        assert!(!dir.exists(), "nothing written");
        let device = scenario_cfg(
            SynthFormat::ApacheCommon,
            &[ScenarioKind::DeviceSpecific],
            1,
            100,
        );
        assert!(bad(&device).contains("user agent"));
        let mut outside = scenario_cfg(
            SynthFormat::NginxCombined,
            &[ScenarioKind::PostDeploy],
            1,
            100,
        );
        outside.scenarios[0].start -= 86_400;
        assert!(bad(&outside).contains("outside the span"));
        outside.scenarios[0].duration_secs = 0;
        assert!(bad(&outside).contains("positive"));
        // Estimating a size never fails.
        assert!(lines_for_size(&node, 1 << 20) > 1000);
        // route_misconfig ignores its window.
        let mut route = scenario_cfg(
            SynthFormat::NginxCombined,
            &[ScenarioKind::RouteMisconfig],
            1,
            100,
        );
        route.scenarios[0].start -= 10 * 86_400;
        assert!(generate(&route, &mut Vec::new()).is_ok());
    }

    /// `(utc, local text)` of an nginx or Apache 2.4 error line, checked
    /// against the layout independently of the analyzer's parser.
    fn error_line_time(line: &str, nginx: bool, tz: i32) -> i64 {
        let (time, rest) = if nginx {
            // `YYYY/MM/DD HH:MM:SS [level] pid#tid: …`
            let (time, rest) = line.split_at(19);
            let t = chrono::NaiveDateTime::parse_from_str(time, "%Y/%m/%d %H:%M:%S")
                .unwrap_or_else(|e| panic!("{line}: {e}"));
            let rest = rest.strip_prefix(" [").expect(line);
            let (level, rest) = rest.split_once("] ").expect(line);
            assert!(
                ["info", "notice", "warn", "error", "crit", "alert"].contains(&level),
                "{line}"
            );
            let (pids, msg) = rest.split_once(": ").expect(line);
            let (pid, tid) = pids.split_once('#').expect(line);
            assert!(pid.parse::<u32>().is_ok() && pid == tid, "{line}");
            assert!(!msg.is_empty());
            (t, msg)
        } else {
            // `[Thu May 07 10:58:12.123456 2026] [module:level] [pid N:tid M] …`
            let rest = line.strip_prefix('[').expect(line);
            let (time, rest) = rest.split_once("] [").expect(line);
            assert_eq!(time.len(), 31, "{line}");
            let t = chrono::NaiveDateTime::parse_from_str(time, "%a %b %d %H:%M:%S%.6f %Y")
                .unwrap_or_else(|e| panic!("{line}: {e}"));
            let (tag, rest) = rest.split_once("] [pid ").expect(line);
            let (module, level) = tag.split_once(':').expect(line);
            assert!(
                module.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{line}"
            );
            assert!(["info", "notice", "error"].contains(&level), "{line}");
            let (ids, msg) = rest.split_once("] ").expect(line);
            let (pid, tid) = ids.split_once(":tid ").expect(line);
            assert!(
                pid.parse::<u32>().is_ok() && tid.parse::<u64>().is_ok(),
                "{line}"
            );
            (t, msg)
        };
        assert!(!rest.is_empty());
        time.and_utc().timestamp() - i64::from(tz)
    }

    #[test]
    fn error_log_layout_kinds_and_reloads() {
        use crate::events::{EventKind, Events};
        use crate::grammar::error::{parse as parse_error, Stamp};
        let kinds = [
            ScenarioKind::PostDeploy,
            ScenarioKind::TrafficSpike,
            ScenarioKind::UnsupportedMethod,
            ScenarioKind::PostDeploy,
            ScenarioKind::DeviceSpecific,
        ];
        for format in [SynthFormat::NginxMain, SynthFormat::ApacheVhostCombined] {
            let nginx = format.is_nginx();
            let c = SynthConfig {
                tz_offset_secs: -18_000,
                ..scenario_cfg(format, &kinds, 3, 30_000)
            };
            let (_, access) = gen(&c);
            let mut out = Vec::new();
            let et = generate_error_log(&c, &mut out).unwrap();
            let text = String::from_utf8(out).unwrap();
            let all: Vec<&str> = text.lines().collect();
            assert_eq!(et.lines, all.len() as u64);
            assert!(text.ends_with('\n'));

            let mut events = Events::default();
            let mut prev = i64::MIN;
            let mut reloads = Vec::new();
            let (mut reopen, mut workers, mut invalid) = (0, Vec::new(), Vec::new());
            for line in &all {
                let utc = error_line_time(line, nginx, c.tz_offset_secs);
                assert!(utc >= prev, "time went backwards: {line}");
                prev = utc;
                let parsed =
                    parse_error(line.as_bytes()).unwrap_or_else(|| panic!("unparsed: {line}"));
                assert_eq!(
                    parsed.stamp,
                    Stamp::Local(utc + i64::from(c.tz_offset_secs))
                );
                events.add(&parsed, utc, 0, 300);
                if line.contains("(SIGHUP) received") || line.contains("AH00493") {
                    reloads.push(utc);
                }
                if line.ends_with(" reopening logs") && line.contains("SIGUSR1") {
                    reopen += 1;
                }
                if line.contains("worker_connections are not enough") || line.contains("AH00484") {
                    workers.push(utc);
                }
                if line.contains("invalid method") || line.contains("Invalid method") {
                    invalid.push((utc, *line));
                }
            }
            // Reloads: written, in the truths, found by the analyzer.
            assert_eq!(reloads, access.deploys, "{format}");
            assert_eq!(reloads, et.reloads);
            let lifecycle = events.lifecycle();
            assert!(lifecycle.iter().all(|l| l.kind == EventKind::Reload));
            assert_eq!(
                lifecycle.iter().map(|l| l.time).collect::<Vec<_>>(),
                reloads
            );
            // Kinds as the analyzer's event table says.
            assert_eq!(et.by_kind["reload"], reloads.len() as u64);
            for kind in EventKind::ALL.into_iter().filter(|k| !k.is_lifecycle()) {
                let seen = events.kinds.get(&kind).map_or(0, |s| s.lines);
                let want = et.by_kind.get(kind.name()).copied().unwrap_or(0);
                assert_eq!(seen, want, "{format} {}", kind.name());
            }
            assert_eq!(et.by_kind.len(), 6);
            assert!(
                et.by_kind["other"] > 3 * 24,
                "a few background lines an hour"
            );

            // Two post-deploy reloads 1–3 minutes before their windows, and
            // one benign reload a day in working hours, far from scenarios.
            let windows: Vec<&ScenarioTruth> = access.scenarios.iter().collect();
            for s in windows.iter().filter(|s| s.label == "post_deploy") {
                assert!(
                    reloads.iter().any(|&r| (60..=180).contains(&(s.start - r))),
                    "{s:?}"
                );
            }
            let benign: Vec<i64> = reloads
                .iter()
                .copied()
                .filter(|&r| {
                    !windows
                        .iter()
                        .any(|s| s.label == "post_deploy" && (60..=180).contains(&(s.start - r)))
                })
                .collect();
            assert_eq!(benign.len(), 3, "{format}: {benign:?}");
            for r in benign {
                let hour = (r + i64::from(c.tz_offset_secs)).rem_euclid(86_400) / 3600;
                assert!((9..18).contains(&hour));
                assert!(windows
                    .iter()
                    .all(|s| r < s.start - 3600 || r >= s.end + 3600));
            }
            // Exhaustion only during the spike; invalid methods only from the scanner.
            let spike = windows.iter().find(|s| s.label == "traffic_spike").unwrap();
            assert!(
                workers.len() >= 2 && workers.iter().all(|&t| in_window(spike, t)),
                "{workers:?}"
            );
            assert_eq!(et.by_kind["worker_exhaustion"], workers.len() as u64);
            let scan = windows
                .iter()
                .find(|s| s.label == "unsupported_method")
                .unwrap();
            assert!((2..=6).contains(&invalid.len()));
            let ips = scan.detail.split_once(" from ").unwrap().1;
            for (t, line) in &invalid {
                assert!(in_window(scan, *t));
                assert!(ips.split(", ").any(|ip| line.contains(ip)), "{line}");
            }
            // logrotate reopens nginx's logs once a day; it is no reload.
            assert_eq!(reopen, if nginx { 3 } else { 0 });
        }
    }

    #[test]
    fn noise_week_has_no_burst() {
        let c = SynthConfig {
            seed: 2026,
            lines: 700_000,
            duration_secs: 7 * 86_400,
            bursts: Vec::new(),
            ..SynthConfig::default()
        };
        let (out, t) = gen(&c);
        let mut strays = Vec::new();
        for line in lines(&out) {
            if let Some((ts, 501)) = parse(line, c.tz_offset_secs) {
                strays.push(ts);
            }
        }
        assert_eq!(strays.len() as u64, t.status_501);
        let expected = t.requests as f64 * f64::from(DEFAULT_STRAY_501_PER_MILLION) / 1e6;
        let ratio = strays.len() as f64 / expected;
        assert!(
            (0.7..1.2).contains(&ratio),
            "{} strays, {expected} expected",
            strays.len()
        );
        // No five minutes hold more than three (by design at most two).
        let worst = (0..strays.len())
            .map(|i| {
                strays[i..]
                    .iter()
                    .take_while(|&&s| s < strays[i] + 300)
                    .count()
            })
            .max()
            .unwrap();
        assert!(worst <= 2, "{worst} stray 501s within five minutes");
        // One benign deploy a day; the error log holds them and nothing alarming.
        assert_eq!(t.deploys.len(), 7, "{:?}", t.deploys);
        assert!(t.scenarios.is_empty());
        let mut err = Vec::new();
        let et = generate_error_log(&c, &mut err).unwrap();
        assert_eq!(et.reloads, t.deploys);
        assert_eq!(et.by_kind["reload"], 7);
        assert_eq!(
            et.by_kind["worker_exhaustion"] + et.by_kind["invalid_method"],
            0
        );
        assert!(et.by_kind["upstream_timeout"] < 7 * 24, "{:?}", et.by_kind);
    }

    #[test]
    fn generate_dir_splits_both_families_alike() {
        let dir = std::env::temp_dir().join(format!("synth-dir-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let mut c = scenario_cfg(
            SynthFormat::NginxUpstream,
            &[
                ScenarioKind::PostDeploy,
                ScenarioKind::TrafficSpike,
                ScenarioKind::UpstreamNode,
            ],
            2,
            5_000,
        );
        // A scanner at the very end: its last requests follow the last baseline line.
        c.scenarios.push(ScenarioSpec {
            kind: ScenarioKind::UnsupportedMethod,
            start: c.start + c.duration_secs - 600,
            duration_secs: 600,
        });
        let read = |name: &str, index: usize| {
            let path = PartFile::path(&dir, name, index);
            let raw = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            if index >= 2 {
                let mut plain = Vec::new();
                MultiGzDecoder::new(&raw[..])
                    .read_to_end(&mut plain)
                    .unwrap();
                plain
            } else {
                raw
            }
        };
        for files in [1, 4, 9] {
            let (truth, et) = generate_dir(&c, &dir, files).unwrap();
            let (single, t) = gen(&c);
            let mut single_err = Vec::new();
            let e = generate_error_log(&c, &mut single_err).unwrap();
            assert_eq!((&truth, &et), (&t, &e));
            assert_eq!(truth.deploys, et.reloads);
            let mut joined = Vec::new();
            let mut joined_err = Vec::new();
            let mut bounds = Vec::new();
            for index in (0..files).rev() {
                let part = read("access.log", index);
                let err = read("error.log", index);
                let times = |text: &[u8], access: bool| -> Vec<i64> {
                    lines(text)
                        .iter()
                        .filter_map(|l| {
                            if access {
                                parse(l, c.tz_offset_secs).map(|p| p.0)
                            } else {
                                Some(error_line_time(
                                    std::str::from_utf8(l).unwrap(),
                                    true,
                                    c.tz_offset_secs,
                                ))
                            }
                        })
                        .collect()
                };
                bounds.push((times(&part, true), times(&err, false)));
                joined.extend(part);
                joined_err.extend(err);
            }
            assert_eq!(joined, single, "{files} files");
            assert_eq!(joined_err, single_err, "{files} files");
            // Error lines sit in the part whose access lines started before them.
            for (k, (_, err)) in bounds.iter().enumerate() {
                let from = bounds[..=k]
                    .iter()
                    .rev()
                    .find_map(|(a, _)| a.first())
                    .copied();
                let to = bounds[k + 1..].iter().find_map(|(a, _)| a.first()).copied();
                for &t in err {
                    assert!(k == 0 || from.is_some_and(|f| t >= f), "{files}: part {k}");
                    assert!(to.is_none_or(|n| t < n), "{files}: part {k}");
                }
            }
        }
        // Other names; more files than lines.
        let tiny = SynthConfig {
            lines: 3,
            format: SynthFormat::ApacheCombined,
            ..SynthConfig::default()
        };
        let (t, e) = generate_family(&tiny, &dir, "site_access.log", "site_error.log", 6).unwrap();
        assert_eq!(t.lines, 3);
        let total: usize = (0..6).map(|i| read("site_error.log", i).len()).sum();
        let mut whole = Vec::new();
        assert_eq!(generate_error_log(&tiny, &mut whole).unwrap(), e);
        assert_eq!(total, whole.len());
        assert!(generate_family(&tiny, &dir, "x.log", "x.log", 2).is_err());
        let _ = fs::remove_dir_all(&dir);
    }
}
