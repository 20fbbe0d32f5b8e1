//! `fiveohone-gen`: writes seeded synthetic Nginx/Apache access logs with
//! known 501 bursts, and optionally the exact truth about them as JSON.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{error::ErrorKind, Parser};
use fiveohone::synth::{self, BurstSpec, SynthConfig, SynthFormat, Truth};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Writes seeded synthetic access logs (Nginx or Apache) with known bursts of
/// 501 Not Implemented, for testing and benchmarking fiveohone.
#[derive(Debug, Parser)]
#[command(name = "fiveohone-gen", version)]
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

    /// A 501 burst: START_RFC3339,MINUTES,RATE (repeatable). Without any, one
    /// 15-minute burst with rate 0.4 starts in the middle of the span.
    #[arg(long, value_name = "START,MINUTES,RATE", value_parser = parse_burst)]
    burst: Vec<BurstSpec>,

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

fn run(cli: Cli) -> Result<(), String> {
    let mut cfg = SynthConfig {
        seed: cli.seed,
        format: cli.format,
        start: cli.start,
        tz_offset_secs: cli.tz,
        duration_secs: cli.span_secs,
        garbage_per_million: cli.garbage_per_million,
        blank_per_million: cli.blank_per_million,
        bursts: if cli.no_bursts {
            Vec::new()
        } else if cli.burst.is_empty() {
            vec![BurstSpec::centered(cli.start, cli.span_secs)]
        } else {
            cli.burst
        },
        ..SynthConfig::default()
    };
    cfg.lines = match (cli.lines, cli.size) {
        (Some(n), _) => n,
        (None, Some(bytes)) => synth::lines_for_size(&cfg, bytes),
        (None, None) => SynthConfig::default().lines,
    };

    let result: io::Result<Truth> = if let Some(dir) = &cli.rotate {
        if cli.files == 0 {
            return Err("--files must be at least 1".into());
        }
        synth::generate_rotated(&cfg, dir, &cli.base, cli.files)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", dir.display())))
    } else if let Some(path) = &cli.output {
        File::create(path)
            .and_then(|f| synth::generate(&cfg, &mut BufWriter::new(f)))
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))
    } else {
        let stdout = io::stdout();
        let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
        match synth::generate(&cfg, &mut out) {
            // A closed pipe (`| head`) is how consumers say they have enough.
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(()),
            r => r.map_err(|e| io::Error::new(e.kind(), format!("standard output: {e}"))),
        }
    };
    let truth = result.map_err(|e| e.to_string())?;

    if let Some(path) = &cli.truth {
        let write = || -> io::Result<()> {
            let mut f = BufWriter::new(File::create(path)?);
            serde_json::to_writer_pretty(&mut f, &truth)?;
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
