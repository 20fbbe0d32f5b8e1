//! Seeded synthetic access-log generator.
//!
//! [`generate`] writes realistic Nginx or Apache access-log lines (diurnal
//! traffic, IPv4 and IPv6 clients, browsers, apps, bots and scanners, a few
//! lenient-parsing edge cases, garbage and blank lines, and configurable
//! bursts of `501 Not Implemented`) and returns a [`Truth`] that counts
//! exactly what was written, so that the analyzer can be checked against it.
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
use std::path::Path;

/// Unix timestamp of 2026-05-07T00:00:00Z, the default [`SynthConfig::start`].
pub const DEFAULT_START: i64 = 1_778_112_000;

/// Size of the output chunks handed to the writer.
const CHUNK: usize = 64 * 1024;
/// Largest status code tracked (exclusive).
const MAX_STATUS: usize = 1000;
/// Stray 501s outside bursts, per million ordinary requests.
const STRAY_501_PPM: u32 = 60;
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

/// Everything the generator needs; see [`SynthConfig::default`].
#[derive(Debug, Clone, PartialEq)]
pub struct SynthConfig {
    /// PRNG seed; equal configurations produce identical output.
    pub seed: u64,
    /// Number of non-blank lines to write (valid requests plus garbage).
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
    /// Windows of elevated 501s.
    pub bursts: Vec<BurstSpec>,
}

impl Default for SynthConfig {
    /// Seed 1, 100 000 lines of `nginx-combined` over 2026-05-07 (UTC) written
    /// in `+0200`, 200 garbage and 50 blank lines per million, and one
    /// [`BurstSpec::centered`] 501 burst (12:00–12:15 UTC, rate 0.4).
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
        }
    }
}

/// Exact counts of what the generator wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Truth {
    /// Non-blank lines written (`requests + garbage + error_lines`).
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
}

/// Writes `cfg.lines` non-blank lines (plus blank lines) to `out` and flushes it.
///
/// The output is produced in 64 KiB chunks, so an unbuffered writer is fine.
pub fn generate<W: Write>(cfg: &SynthConfig, out: &mut W) -> io::Result<Truth> {
    let mut gen = Generator::new(cfg);
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
/// `base` is the file name (`access.log` above). The non-blank lines are split
/// evenly; a blank line goes to the part of the line that follows it. The
/// decompressed parts concatenated oldest → newest are byte-identical to
/// [`generate`] with the same configuration. `dir` is created if needed;
/// existing files with the generated names are overwritten, others are left
/// alone.
pub fn generate_rotated(
    cfg: &SynthConfig,
    dir: &Path,
    base: &str,
    files: usize,
) -> io::Result<Truth> {
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
    fs::create_dir_all(dir)?;
    let mut gen = Generator::new(cfg);
    let mut buf = Vec::with_capacity(CHUNK + 4096);
    for part in 0..files {
        let index = files - 1 - part;
        let end = (u128::from(cfg.lines) * (part as u128 + 1) / files as u128) as u64;
        let path = match index {
            0 => dir.join(base),
            1 => dir.join(format!("{base}.1")),
            n => dir.join(format!("{base}.{n}.gz")),
        };
        let file = BufWriter::with_capacity(CHUNK, File::create(&path)?);
        if index >= 2 {
            let mut enc = GzEncoder::new(file, Compression::new(6));
            write_part(&mut gen, &mut buf, &mut enc, end)?;
            let mut file = enc.finish()?;
            file.flush()?;
        } else {
            let mut file = file;
            write_part(&mut gen, &mut buf, &mut file, end)?;
            file.flush()?;
        }
    }
    Ok(gen.finish())
}

/// Estimates how many non-blank lines `cfg` needs to produce about
/// `target_bytes` bytes of uncompressed output, by generating a sample with
/// the same configuration and measuring its average line length.
pub fn lines_for_size(cfg: &SynthConfig, target_bytes: u64) -> u64 {
    if target_bytes == 0 {
        return 0;
    }
    let sample_lines = 20_000;
    let sample = SynthConfig {
        lines: sample_lines,
        ..cfg.clone()
    };
    let mut gen = Generator::new(&sample);
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

/// Writes slots until `end` non-blank lines have been generated in total.
fn write_part<W: Write>(
    gen: &mut Generator<'_>,
    buf: &mut Vec<u8>,
    out: &mut W,
    end: u64,
) -> io::Result<()> {
    while gen.emitted < end && gen.next_slot(buf) {
        if buf.len() >= CHUNK {
            out.write_all(buf)?;
            buf.clear();
        }
    }
    out.write_all(buf)?;
    buf.clear();
    Ok(())
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
        let mut total_w = 0u128;
        let mut s = cfg.start;
        while s < end {
            let len = bucket.min(end - s);
            total_w += u128::from(diurnal(s + tz)) * len as u128;
            s += len;
        }
        Clock {
            tz,
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
        self.cum_w += u128::from(diurnal(s + self.tz)) * len as u128;
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
}

impl TimeCache {
    fn new(tz_offset_secs: i32) -> Self {
        let minutes = i64::from(tz_offset_secs) / 60;
        let sign = if minutes < 0 { b'-' } else { b'+' };
        let m = minutes.unsigned_abs();
        let hh = (m / 60).min(99);
        let mm = m % 60;
        let zone = [
            sign,
            b'0' + (hh / 10) as u8,
            b'0' + (hh % 10) as u8,
            b'0' + (mm / 10) as u8,
            b'0' + (mm % 10) as u8,
        ];
        TimeCache {
            tz: i64::from(tz_offset_secs),
            zone,
            ts: None,
            text: Vec::with_capacity(32),
        }
    }

    /// `%d/%b/%Y:%H:%M:%S %z` for `ts`.
    fn access(&mut self, ts: i64) -> &[u8] {
        if self.ts != Some(ts) {
            let c = civil(ts + self.tz);
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
            self.text.extend_from_slice(&self.zone);
            self.ts = Some(ts);
        }
        &self.text
    }

    /// Nginx error-log time, `2026/05/07 14:03:22`.
    fn nginx_error(&self, buf: &mut Vec<u8>, ts: i64) {
        let c = civil(ts + self.tz);
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
        let c = civil(ts + self.tz);
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

const UA_OKHTTP: usize = 10;
const UA_CURL: usize = 11;
const UA_GOOGLEBOT: usize = 12;
const UA_BINGBOT: usize = 13;
const UA_PYTHON: usize = 14;
const UA_GO: usize = 15;
const UA_NONE: usize = 16;

const USER_AGENTS: [&str; 17] = [
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
];

/// User agents of ordinary clients, with weights.
const CLIENT_UAS: [(usize, u32); 17] = [
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
}

impl Route {
    fn is_api(self) -> bool {
        matches!(
            self,
            Route::User | Route::Orders | Route::Products | Route::Health
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
        UA_OKHTTP => Profile::App,
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
// Generator

struct Generator<'a> {
    cfg: &'a SynthConfig,
    rng: Rng,
    clock: Clock,
    time: TimeCache,
    clients: Vec<Client>,
    builds: [u64; 3],
    emitted: u64,
    counts: Vec<u64>,
    truth: Truth,
    seen_request: bool,
}

impl<'a> Generator<'a> {
    fn new(cfg: &'a SynthConfig) -> Self {
        let mut rng = Rng::new(cfg.seed);
        let clients = (0..CLIENTS).map(|_| make_client(&mut rng)).collect();
        let builds = [
            rng.next_u64() & 0xffff_ffff,
            rng.next_u64() & 0xffff_ffff,
            rng.next_u64() & 0xffff_ffff,
        ];
        Generator {
            cfg,
            rng,
            clock: Clock::new(cfg),
            time: TimeCache::new(cfg.tz_offset_secs),
            clients,
            builds,
            emitted: 0,
            counts: vec![0; MAX_STATUS],
            truth: Truth::default(),
            seen_request: false,
        }
    }

    /// Appends the next non-blank line (preceded by a blank line sometimes)
    /// to `buf`; false once `cfg.lines` lines have been produced.
    fn next_slot(&mut self, buf: &mut Vec<u8>) -> bool {
        if self.emitted >= self.cfg.lines {
            return false;
        }
        let before = buf.len();
        if self.rng.ppm(self.cfg.blank_per_million) {
            buf.push(b'\n');
            self.truth.blank += 1;
        }
        let ts = self.clock.next(&mut self.rng);
        self.emitted += 1;
        self.truth.lines += 1;
        if self.rng.ppm(self.cfg.garbage_per_million) {
            if self.write_garbage(buf, ts) {
                self.truth.error_lines += 1;
            } else {
                self.truth.garbage += 1;
            }
        } else {
            let status = self.write_request(buf, ts);
            self.counts[usize::from(status) % MAX_STATUS] += 1;
            self.truth.requests += 1;
            if !self.seen_request {
                self.truth.first = ts;
                self.seen_request = true;
            }
            self.truth.last = ts;
        }
        buf.push(b'\n');
        self.truth.bytes += (buf.len() - before) as u64;
        true
    }

    fn finish(mut self) -> Truth {
        for (status, &n) in self.counts.iter().enumerate() {
            if n > 0 {
                self.truth.by_status.insert(status as u16, n);
            }
        }
        self.truth.status_501 = self.counts[501];
        self.truth
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
        let route = if edge == Some(Edge::QuotedRequest) {
            Route::Search
        } else {
            match profile {
                Profile::Browser => self.rng.weighted(&BROWSER_ROUTES),
                Profile::App => self.rng.weighted(&APP_ROUTES),
                Profile::Bot => self.rng.weighted(&BOT_ROUTES),
                Profile::Script => self.rng.weighted(&SCRIPT_ROUTES),
                Profile::Scanner => self.rng.weighted(&SCANNER_ROUTES),
            }
        };
        let method = self.pick_method(route, profile);
        let port = if self.rng.below(100) < 3 { 80 } else { 443 };
        self.write_vhost(buf, route.is_api(), port);
        self.write_prefix(buf, ci, true, ts);
        buf.extend_from_slice(method.as_bytes());
        buf.push(b' ');
        if method == "TRACE" {
            buf.push(b'/');
        } else {
            self.write_path(buf, route, edge == Some(Edge::QuotedRequest), nginx);
        }
        buf.push(b' ');
        buf.extend_from_slice(self.clients[ci].proto.as_bytes());
        buf.extend_from_slice(b"\" ");

        let status = self.pick_status(route, method, ts);
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
            SynthFormat::NginxUpstream => self.write_upstream(buf, route, status, body),
            _ => {}
        }
        status
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
        }
    }

    fn pick_status(&mut self, route: Route, method: &str, ts: i64) -> u16 {
        for burst in &self.cfg.bursts {
            if burst.contains(ts) && self.rng.unit() < burst.rate {
                return 501;
            }
        }
        let rng = &mut self.rng;
        if rng.ppm(STRAY_501_PPM) {
            return 501;
        }
        if route == Route::Rare {
            return if rng.below(100) < 35 { 501 } else { 405 };
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

    /// The `rt=... host=...` tail of [`SynthFormat::NginxUpstream`].
    fn write_upstream(&mut self, buf: &mut Vec<u8>, route: Route, status: u16, body: u64) {
        let rng = &mut self.rng;
        buf.extend_from_slice(b" rt=");
        let host: &[u8] = if route.is_api() {
            b"api.example.com"
        } else {
            b"www.example.com"
        };
        if route.is_static() {
            let ms = if body > 100_000 {
                rng.range(5, 400)
            } else {
                rng.range(0, 3)
            };
            push_secs(buf, ms);
            buf.extend_from_slice(b" uct=\"-\" uht=\"-\" urt=\"-\" ua=\"-\" us=\"-\" host=");
            buf.extend_from_slice(host);
            return;
        }
        let peer = rng.range(11, 14);
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
            let next = if peer == 14 { 11 } else { peer + 1 };
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
}
