//! `fiveohone-gen`: writes seeded synthetic Nginx/Apache access logs (and
//! their error logs) with known 501 bursts and labelled failure scenarios,
//! and optionally the exact truth about them as JSON.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{error::ErrorKind, Parser};
use fiveohone_gen::{
    generate, generate_error_log, generate_family, generate_mixed_dir, generate_rotated,
    generate_two_hosts, lines_for_size, quiet_week, BurstSpec, ErrorTruth, ScenarioKind,
    ScenarioSpec, SynthConfig, SynthFormat, Truth, TzChange, DEFAULT_STRAY_501_PER_MILLION,
};
use serde::Serialize;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Writes seeded synthetic access logs (Nginx or Apache), and optionally the
/// matching error logs, with known bursts of 501 Not Implemented and labelled
/// failure scenarios, for testing and benchmarking fiveohone.
#[derive(Debug, Parser)]
#[command(
    name = "fiveohone-gen",
    version,
    after_help = "Scenarios (--scenario LABEL[,START[,MINUTES]]):
  post_deploy         a reload 1-3 min before START, then 30-60% of the application's
                      requests answer 501 (default 30 min)
  device_specific     the iOS app (or, by seed, the Android app) gets 501 for ~85% of
                      its requests (default 45 min; not with apache-common)
  traffic_spike       3-5x the traffic, 10-20% of requests answer 501, exhausted workers
                      and upstream timeouts in the error log (default 25 min)
  unsupported_method  1-3 scanners send 150-400 PROPFIND/MKCOL/made-up-verb requests,
                      all answered 501 (default 10 min)
  upstream_node       one of 10.0.1.11-14:8080 answers 501 to ~70% of its requests
                      (default 40 min; nginx-upstream only)
  route_misconfig     a route found nowhere else gets 0.5-1% of the requests over the
                      whole span, ~97% answered 501 (START and MINUTES are ignored)
Realistic incidents (--scenario NAME[,START[,MINUTES]]; labelled as in brackets):
  night_device        [device_specific] at night the iOS app, the Android app or iPad
                      Safari fails 30-100% of its requests: 1-3 501s per 5 min (150 min)
  night_upstream      [upstream_node] at night one of 4-5 nodes fails on one route only
                      (120 min; nginx-upstream only)
  partial_rollout     [upstream_node] one of 3-6 nodes lacks one method of a route that
                      has a few % of the API traffic all along; every failure is retried
                      by the client 1-2 s later and answered by another node (180 min)
  spike_in_device     [device_specific + traffic_spike] a 20-30 min spike inside a longer
                      Android-app failure (150 min; not with apache-common)
  deploy_rollback     [post_deploy] a reload, 2-4 app routes fail, a second reload (the
                      rollback) at the end of the window stops it (40 min)
  internet_junk       [unsupported_method, one per cluster] TLS handshakes on the plain
                      port, binary/empty request lines, a worm's lowercase get, SEARCH /,
                      a scanner's POST /, all answered 501, spread over the window (6 h)
  cold_start          [post_deploy] the log starts at a reload, during an outage: ~98% of
                      app requests answer 501 for 60 s, 2-5% for 4 min more (always at
                      the start of the span; 5 min)
Scenarios without START are spread evenly over the span, in busy local hours
(09:00-21:00) on spans of a day or more (night_device and night_upstream at night,
01:00-05:00); with any scenario, the
default burst is not written (give --burst to add one). The --truth JSON lists each
scenario (label, start, end, matched 501 lines, detail) and every reload (deploys),
and, with --error-log, the error-log truth under \"error_log\".

Examples:
  fiveohone-gen --days 7 --lines 700000 --scenario post_deploy --scenario traffic_spike,2026-05-09T14:00:00Z,20 --rotate /tmp/logs --error-log --truth /tmp/truth.json
  fiveohone-gen --format nginx-upstream --scenario upstream_node -o access.log --error-log error.log
  fiveohone-gen --format nginx-upstream --days 2 --lines 240000 --scenario night_device --scenario partial_rollout --scenario internet_junk --rotate /tmp/logs --error-log --truth /tmp/truth.json
  fiveohone-gen --quiet-week --lines 400000 --rotate /tmp/week --error-log --truth /tmp/week.json
  fiveohone-gen --scenario post_deploy --two-hosts 120 --rotate /tmp/hosts --truth /tmp/hosts.json"
)]
struct Cli {
    /// PRNG seed; the same arguments always produce the same bytes.
    #[arg(long, default_value_t = 1)]
    seed: u64,

    /// Number of non-blank lines to write [default: 100000].
    #[arg(long, conflicts_with = "size")]
    lines: Option<u64>,

    /// Approximate uncompressed output size, e.g. 200M (suffixes K, M, G, T; powers of 1024).
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    size: Option<u64>,

    /// Log format.
    #[arg(
        long,
        default_value = "nginx-combined",
        value_parser = PossibleValuesParser::new(SynthFormat::ALL.map(|f| f.name()))
            .try_map(|s: String| SynthFormat::from_name(&s).ok_or_else(|| format!("unknown format {s:?}")))
    )]
    format: SynthFormat,

    /// First timestamp, RFC 3339 (e.g. 2026-05-07T00:00:00Z) or a date (UTC midnight).
    #[arg(long, value_name = "RFC3339", value_parser = parse_time, default_value = "2026-05-07T00:00:00Z")]
    start: i64,

    /// Time zone written in the log, e.g. +0200, -05:30, Z.
    #[arg(long, value_name = "OFFSET", value_parser = parse_tz, default_value = "+0200", allow_hyphen_values = true)]
    tz: i32,

    /// Length of the span the lines are spread over, in days (fractions allowed).
    #[arg(long = "days", value_name = "D", value_parser = parse_days, default_value = "1")]
    span_secs: i64,

    /// A generic 501 burst: START_RFC3339,MINUTES,RATE (repeatable). Without
    /// any --burst or --scenario, one 15-minute burst with rate 0.4 starts in
    /// the middle of the span.
    #[arg(long, value_name = "START,MINUTES,RATE", value_parser = parse_burst)]
    burst: Vec<BurstSpec>,

    /// A labelled failure scenario (repeatable): post_deploy, device_specific,
    /// traffic_spike, unsupported_method, upstream_node or route_misconfig,
    /// optionally with its start (RFC 3339; empty for the default) and length
    /// in minutes, e.g. traffic_spike,2026-05-07T14:00:00Z,20 or
    /// post_deploy,,45. See below.
    #[arg(long, value_name = "LABEL[,START[,MINUTES]]", value_parser = parse_scenario)]
    scenario: Vec<ScenarioArg>,

    /// Lone 501s per million requests (at least 150 s apart, never inside a
    /// scenario's window).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_STRAY_501_PER_MILLION)]
    stray_501_per_million: u32,

    /// Write no 501 burst at all.
    #[arg(long, conflicts_with = "burst")]
    no_bursts: bool,

    /// Garbage lines per million lines.
    #[arg(long, value_name = "N", default_value_t = 200)]
    garbage_per_million: u32,

    /// Blank lines per million lines.
    #[arg(long, value_name = "N", default_value_t = 50)]
    blank_per_million: u32,

    /// Write a logrotate-style family into DIR (access.log, access.log.1, access.log.2.gz, ...).
    #[arg(long, value_name = "DIR", conflicts_with = "output")]
    rotate: Option<PathBuf>,

    /// Also write the error log of the same timeline (nginx or Apache 2.4
    /// layout, local times). With FILE: the whole error log to FILE. Without
    /// FILE (with --rotate only): the family error.log, error.log.1,
    /// error.log.2.gz, ... in DIR, split at the times the access files are
    /// (with --base NAME, "access" in NAME becomes "error").
    #[arg(long, value_name = "FILE", num_args = 0..=1)]
    error_log: Option<Option<PathBuf>>,

    /// Number of files of the rotated family.
    #[arg(long, value_name = "K", requires = "rotate", default_value_t = 5)]
    files: usize,

    /// File name of the newest file of the rotated family.
    #[arg(
        long,
        value_name = "NAME",
        requires = "rotate",
        default_value = "access.log"
    )]
    base: String,

    /// Write the exact counts of what was generated to FILE as JSON.
    #[arg(long, value_name = "FILE")]
    truth: Option<PathBuf>,

    /// Write the log to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// A DST switch: from AT (RFC 3339) on, the log is written in OFFSET,
    /// e.g. 2026-03-29T01:00:00Z,+0200.
    #[arg(long, value_name = "AT,OFFSET", value_parser = parse_tz_change, allow_hyphen_values = true)]
    tz_change: Option<TzChange>,

    /// The host's clock is SECS seconds ahead (negative: behind).
    #[arg(
        long,
        value_name = "SECS",
        allow_hyphen_values = true,
        default_value_t = 0
    )]
    clock_skew: i64,

    /// Number of upstream nodes 10.0.1.11... (2-9; default 4, or what a
    /// partial_rollout or night_upstream draws).
    #[arg(long, value_name = "K", default_value_t = 0)]
    upstream_nodes: u8,

    /// logrotate reloads the server every night at about 00:00 local.
    #[arg(long)]
    nightly_reload: bool,

    /// A scanner probes junk routes all along, now and then with an odd
    /// method answered 501 (no scenario).
    #[arg(long)]
    background_scanner: bool,

    /// Uptime monitors (0-2) whose request answers 501 every minute:
    /// OPTIONS /healthz (UptimeRobot), HEAD /status (Pingdom). No scenario.
    #[arg(long, value_name = "N", default_value_t = 0)]
    uptime_monitors: u8,

    /// A quiet week with no incident: 7 days from 2026-03-26 00:00 +0100,
    /// the switch to +0200 on Sunday 29 March, nightly reloads, a background
    /// scanner, two uptime monitors (overrides --start, --tz, --days and the
    /// environment flags; no scenario, no burst).
    #[arg(long, conflicts_with_all = ["scenario", "burst", "two_hosts"])]
    quiet_week: bool,

    /// Write two hosts, DIR/web1 and DIR/web2 (each access.log and error.log
    /// families), with the same incidents; web2's clock SECS seconds ahead.
    /// Needs --rotate DIR; the truth is one for both.
    #[arg(
        long,
        value_name = "SECS",
        requires = "rotate",
        allow_hyphen_values = true
    )]
    two_hosts: Option<i64>,

    /// Write an nginx log and an Apache log into the --rotate DIR:
    /// nginx_access.log and nginx_error.log families in --format (an nginx
    /// one; it holds the scenarios), apache_access.log and apache_error.log
    /// in FORMAT (an Apache one; traffic only).
    #[arg(
        long,
        value_name = "FORMAT",
        requires = "rotate",
        conflicts_with = "two_hosts",
        value_parser = PossibleValuesParser::new(SynthFormat::ALL.map(|f| f.name()))
            .try_map(|s: String| SynthFormat::from_name(&s).ok_or_else(|| format!("unknown format {s:?}")))
    )]
    mixed_with: Option<SynthFormat>,
}

fn parse_tz_change(s: &str) -> Result<TzChange, String> {
    let err = |why: &str| format!("invalid zone change {s:?}: {why} (expected AT_RFC3339,OFFSET)");
    let (at, offset) = s
        .rsplit_once(',')
        .ok_or_else(|| err("two comma-separated parts needed"))?;
    Ok(TzChange {
        at: parse_time(at).map_err(|e| err(&e))?,
        offset_secs: parse_tz(offset).map_err(|e| err(&e))?,
    })
}

fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    let lower = lower
        .strip_suffix("ib")
        .or_else(|| lower.strip_suffix('b'))
        .unwrap_or(&lower);
    let (num, mult) = match lower.as_bytes().last() {
        Some(b'k') => (&lower[..lower.len() - 1], 1u64 << 10),
        Some(b'm') => (&lower[..lower.len() - 1], 1 << 20),
        Some(b'g') => (&lower[..lower.len() - 1], 1 << 30),
        Some(b't') => (&lower[..lower.len() - 1], 1 << 40),
        _ => (lower, 1),
    };
    let n: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("invalid size {s:?} (expected e.g. 200M, 1.5G, 4096)"))?;
    let bytes = n * mult as f64;
    if !bytes.is_finite() || bytes < 0.0 || bytes > u64::MAX as f64 {
        return Err(format!("invalid size {s:?}"));
    }
    Ok(bytes.round() as u64)
}

fn parse_time(s: &str) -> Result<i64, String> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(t.timestamp());
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        if let Some(t) = d.and_hms_opt(0, 0, 0) {
            return Ok(t.and_utc().timestamp());
        }
    }
    Err(format!(
        "invalid time {s:?} (expected RFC 3339 such as 2026-05-07T00:00:00Z)"
    ))
}

fn parse_tz(s: &str) -> Result<i32, String> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("z") || t.eq_ignore_ascii_case("utc") {
        return Ok(0);
    }
    let err = || format!("invalid time zone {s:?} (expected e.g. +0200, -05:30 or Z)");
    let (sign, rest) = match t.as_bytes().first() {
        Some(b'+') => (1, &t[1..]),
        Some(b'-') => (-1, &t[1..]),
        _ => return Err(err()),
    };
    let digits: String = rest.chars().filter(|&c| c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !matches!(digits.len(), 2 | 4) {
        return Err(err());
    }
    let hh: i32 = digits[..2].parse().map_err(|_| err())?;
    let mm: i32 = if digits.len() == 4 {
        digits[2..].parse().map_err(|_| err())?
    } else {
        0
    };
    if hh > 23 || mm > 59 {
        return Err(err());
    }
    Ok(sign * (hh * 3600 + mm * 60))
}

fn parse_days(s: &str) -> Result<i64, String> {
    let d: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("invalid number of days {s:?}"))?;
    let secs = (d * 86_400.0).round();
    if !(1.0..=1e12).contains(&secs) {
        return Err(format!("number of days out of range: {s:?}"));
    }
    Ok(secs as i64)
}

fn parse_burst(s: &str) -> Result<BurstSpec, String> {
    let err =
        |why: &str| format!("invalid burst {s:?}: {why} (expected START_RFC3339,MINUTES,RATE)");
    let mut parts = s.rsplitn(3, ',');
    let (Some(rate), Some(minutes), Some(start)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(err("three comma-separated parts needed"));
    };
    let start = parse_time(start).map_err(|e| err(&e))?;
    let minutes: f64 = minutes
        .trim()
        .parse()
        .map_err(|_| err("MINUTES is not a number"))?;
    if !minutes.is_finite() || minutes <= 0.0 || minutes > 1e9 {
        return Err(err("MINUTES must be positive"));
    }
    let rate: f64 = rate
        .trim()
        .parse()
        .map_err(|_| err("RATE is not a number"))?;
    if !(0.0..=1.0).contains(&rate) {
        return Err(err("RATE must be between 0 and 1"));
    }
    Ok(BurstSpec {
        start,
        duration_secs: ((minutes * 60.0).round() as i64).max(1),
        rate,
    })
}

/// A `--scenario` argument before defaults are filled in.
#[derive(Debug, Clone, Copy)]
struct ScenarioArg {
    kind: ScenarioKind,
    start: Option<i64>,
    duration_secs: Option<i64>,
}

fn parse_scenario(s: &str) -> Result<ScenarioArg, String> {
    let labels = ScenarioKind::ALL
        .iter()
        .chain(&ScenarioKind::INCIDENTS)
        .map(|k| k.name())
        .collect::<Vec<_>>()
        .join(", ");
    let err = |why: &str| {
        format!("invalid scenario {s:?}: {why} (expected LABEL[,START_RFC3339[,MINUTES]])")
    };
    let mut parts = s.splitn(3, ',');
    let label = parts.next().unwrap_or_default();
    let kind = ScenarioKind::from_name(label)
        .ok_or_else(|| err(&format!("unknown scenario {label:?}; one of {labels}")))?;
    let start = match parts.next().map(str::trim) {
        None | Some("") => None,
        Some(t) => Some(parse_time(t).map_err(|e| err(&e))?),
    };
    let duration_secs = match parts.next().map(str::trim) {
        None | Some("") => None,
        Some(m) => {
            let minutes: f64 = m.parse().map_err(|_| err("MINUTES is not a number"))?;
            if !minutes.is_finite() || minutes <= 0.0 || minutes > 1e9 {
                return Err(err("MINUTES must be positive"));
            }
            Some(((minutes * 60.0).round() as i64).max(1))
        }
    };
    Ok(ScenarioArg {
        kind,
        start,
        duration_secs,
    })
}

/// Fills in the defaults: scenarios without a start are spread over the
/// span, in busy local hours ([`ScenarioSpec::spread`], or
/// [`ScenarioSpec::place`] when an incident is among them); a missing length
/// is the kind's default.
fn resolve_scenarios(args: &[ScenarioArg], start: i64, span: i64, tz: i32) -> Vec<ScenarioSpec> {
    let unplaced: Vec<ScenarioKind> = args
        .iter()
        .filter(|a| a.start.is_none())
        .map(|a| a.kind)
        .collect();
    let placed = if unplaced.iter().all(|k| ScenarioKind::ALL.contains(k)) {
        ScenarioSpec::spread(&unplaced, start, span, tz)
    } else {
        ScenarioSpec::place(&unplaced, start, span, tz)
    };
    let mut spread = placed.into_iter();
    args.iter()
        .map(|a| match a.start {
            Some(at) => ScenarioSpec {
                kind: a.kind,
                start: at,
                duration_secs: a.duration_secs.unwrap_or_else(|| {
                    if a.kind.covers_whole_span() {
                        span
                    } else {
                        a.kind.default_duration_secs()
                    }
                }),
            },
            None => {
                let mut spec = spread
                    .next()
                    .expect("one spread spec per unplaced scenario");
                if let Some(d) = a.duration_secs {
                    if !a.kind.covers_whole_span() {
                        // Keep the window centred where spread put it.
                        spec.start += (spec.duration_secs - d) / 2;
                        spec.start = spec.start.max(start);
                        spec.duration_secs = d;
                    }
                }
                spec
            }
        })
        .collect()
}

/// The error-log name beside access-log family `base`.
fn error_base(base: &str) -> String {
    if base.contains("access") {
        base.replacen("access", "error", 1)
    } else {
        "error.log".to_owned()
    }
}

/// The `--truth` JSON: the access truth, plus the error-log truth when one
/// was written.
#[derive(Serialize)]
struct TruthFile<'a> {
    #[serde(flatten)]
    access: &'a Truth,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_log: Option<&'a ErrorTruth>,
}

fn run(cli: Cli) -> Result<(), String> {
    let scenarios = resolve_scenarios(&cli.scenario, cli.start, cli.span_secs, cli.tz);
    let mut cfg = SynthConfig {
        seed: cli.seed,
        format: cli.format,
        start: cli.start,
        tz_offset_secs: cli.tz,
        duration_secs: cli.span_secs,
        garbage_per_million: cli.garbage_per_million,
        blank_per_million: cli.blank_per_million,
        bursts: if cli.no_bursts || (cli.burst.is_empty() && !scenarios.is_empty()) {
            Vec::new()
        } else if cli.burst.is_empty() {
            vec![BurstSpec::centered(cli.start, cli.span_secs)]
        } else {
            cli.burst
        },
        scenarios,
        stray_501_per_million: cli.stray_501_per_million,
        ..SynthConfig::default()
    };
    cfg.env.tz_change = cli.tz_change;
    cfg.env.clock_skew_secs = cli.clock_skew;
    cfg.env.upstream_nodes = cli.upstream_nodes;
    cfg.env.nightly_reload = cli.nightly_reload;
    cfg.env.background_scanner = cli.background_scanner;
    cfg.env.uptime_monitors = cli.uptime_monitors;
    if cli.quiet_week {
        cfg = SynthConfig {
            garbage_per_million: cfg.garbage_per_million,
            blank_per_million: cfg.blank_per_million,
            stray_501_per_million: cfg.stray_501_per_million,
            ..quiet_week(cli.seed, cli.format, 0)
        };
    }
    cfg.lines = match (cli.lines, cli.size) {
        (Some(n), _) => n,
        (None, Some(bytes)) => lines_for_size(&cfg, bytes),
        (None, None) => SynthConfig::default().lines,
    };

    cfg.validate().map_err(|e| e.to_string())?;

    // The error log: `Some(Some(file))` one file, `Some(None)` the family.
    let error_file = match &cli.error_log {
        Some(None) if cli.rotate.is_none() => {
            return Err(
                "--error-log without FILE writes the error.log family beside \
                        the access logs, which needs --rotate DIR; give --error-log FILE"
                    .into(),
            )
        }
        Some(Some(path)) if Some(path) == cli.output.as_ref() => {
            return Err("--error-log and --output name the same file".into())
        }
        Some(Some(path)) => Some(path.clone()),
        _ => None,
    };
    let family_errors = matches!(cli.error_log, Some(None));
    let mut error_truth: Option<ErrorTruth> = None;
    let result: io::Result<Truth> = if let Some(dir) = &cli.rotate {
        if cli.files == 0 {
            return Err("--files must be at least 1".into());
        }
        if let Some(skew) = cli.two_hosts {
            generate_two_hosts(&cfg, dir, skew, cli.files).map(|(t, e)| {
                error_truth = Some(e);
                t
            })
        } else if let Some(format) = cli.mixed_with {
            let apache = SynthConfig {
                seed: cfg.seed ^ 0xA9AC_4E00,
                format,
                scenarios: Vec::new(),
                bursts: Vec::new(),
                ..cfg.clone()
            };
            generate_mixed_dir(&cfg, &apache, dir, cli.files).map(|(t, e)| {
                error_truth = Some(e);
                t
            })
        } else if family_errors {
            generate_family(&cfg, dir, &cli.base, &error_base(&cli.base), cli.files).map(
                |(t, e)| {
                    error_truth = Some(e);
                    t
                },
            )
        } else {
            generate_rotated(&cfg, dir, &cli.base, cli.files)
        }
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", dir.display())))
    } else if let Some(path) = &cli.output {
        File::create(path)
            .and_then(|f| generate(&cfg, &mut BufWriter::new(f)))
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))
    } else {
        let stdout = io::stdout();
        let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
        match generate(&cfg, &mut out) {
            // A closed pipe (`| head`) is how consumers say they have enough.
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(()),
            r => r.map_err(|e| io::Error::new(e.kind(), format!("standard output: {e}"))),
        }
    };
    let truth = result.map_err(|e| e.to_string())?;

    if let Some(path) = &error_file {
        let e = File::create(path)
            .and_then(|f| generate_error_log(&cfg, &mut BufWriter::new(f)))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        error_truth = Some(e);
    }

    if let Some(path) = &cli.truth {
        let write = || -> io::Result<()> {
            let mut f = BufWriter::new(File::create(path)?);
            let out = TruthFile {
                access: &truth,
                error_log: error_truth.as_ref(),
            };
            serde_json::to_writer_pretty(&mut f, &out)?;
            f.write_all(b"\n")?;
            f.flush()
        };
        write().map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            e.exit()
        }
        Err(e) => {
            let msg = e.render().to_string();
            let msg = msg.strip_prefix("error: ").unwrap_or(&msg);
            eprint!("fiveohone-gen: {msg}");
            if !msg.ends_with('\n') {
                eprintln!();
            }
            return ExitCode::from(2);
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("fiveohone-gen: {msg}");
            ExitCode::from(2)
        }
    }
}
