//! Timestamps: the formats servers write, turned into UTC unix seconds, and
//! the durations and instants users type on the command line.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use nom::bytes::complete::{tag, take, take_while_m_n};
use nom::character::complete::one_of;
use nom::combinator::{map_res, opt};
use nom::sequence::preceded;
use nom::{IResult, Parser};

/// How a log field writes its time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeFormat {
    /// Common Log Format: `10/Oct/2000:13:55:36 -0700` (nginx `$time_local`,
    /// Apache `%t`). Also read leniently: a space for the colon after the
    /// year (`29/Aug/2023 22:02:58`, as Python servers write it) and ISO 8601
    /// inside the brackets.
    Clf,
    /// ISO 8601: `2000-10-10T13:55:36-07:00` (nginx `$time_iso8601`).
    Iso8601,
    /// Seconds since the epoch, optionally with a fraction (nginx `$msec`, Apache `%{sec}t`).
    EpochSecs,
    /// Milliseconds since the epoch (Apache `%{msec}t`).
    EpochMillis,
    /// Microseconds since the epoch (Apache `%{usec}t`).
    EpochMicros,
    /// A strftime pattern from Apache `%{…}t`, read with chrono (in UTC
    /// unless the pattern carries `%z`).
    Strftime(String),
}

impl TimeFormat {
    /// Whether a time written this way may hold a space (`%t`'s zone, a
    /// strftime pattern).
    pub fn may_hold_spaces(&self) -> bool {
        match self {
            TimeFormat::Clf => true,
            TimeFormat::Strftime(pattern) => pattern.contains(' ') || pattern.contains("%c"),
            _ => false,
        }
    }

    /// Parses `raw` into UTC unix seconds.
    pub fn parse(&self, raw: &[u8]) -> Option<i64> {
        match self {
            TimeFormat::Clf | TimeFormat::Iso8601 => self
                .local_and_offset(raw)
                .map(|(t, off)| t - off.unwrap_or(0)),
            TimeFormat::EpochSecs => epoch(raw, 1),
            TimeFormat::EpochMillis => epoch(raw, 1_000),
            TimeFormat::EpochMicros => epoch(raw, 1_000_000),
            TimeFormat::Strftime(pattern) => strftime(pattern, raw),
        }
    }
}

impl TimeFormat {
    /// Why `raw` is not a time in this format, when a reason can be told
    /// (a month name in another language, for now).
    pub fn why_not(&self, raw: &[u8]) -> Option<String> {
        if *self != TimeFormat::Clf {
            return None;
        }
        let month = raw.split(|&b| b == b'/').nth(1)?;
        let wordy = month.first().is_some_and(|b| !b.is_ascii_digit());
        (wordy && month_abbr(month).is_err()).then(|| {
            format!(
                "month `{}` is not an English abbreviation; nginx and Apache write Jan to Dec \
                 whatever the locale, so another program wrote this line",
                String::from_utf8_lossy(month)
            )
        })
    }

    /// The zone offset (seconds east of UTC) written in `raw`, if the format
    /// carries one: tells the zone of the error logs beside an access log.
    pub fn offset(&self, raw: &[u8]) -> Option<i64> {
        match self {
            TimeFormat::Clf | TimeFormat::Iso8601 => self.local_and_offset(raw)?.1,
            _ => None,
        }
    }

    /// Local seconds (as if UTC) and the offset written, for CLF or ISO 8601
    /// text; either format is accepted for either variant.
    fn local_and_offset(&self, raw: &[u8]) -> Option<(i64, Option<i64>)> {
        let parsed = match self {
            TimeFormat::Iso8601 => iso8601(raw).or_else(|_| clf(raw)),
            _ => clf(raw).or_else(|_| iso8601(raw)),
        };
        // The whole field must be the time: a bad offset is no offset.
        parsed
            .ok()
            .filter(|(rest, _)| rest.is_empty())
            .map(|(_, v)| v)
    }
}

/// Remembers the last raw timestamp and its value: consecutive log lines
/// mostly share their minute, so most lines skip parsing entirely. A
/// timestamp equal to the last one but for its seconds (in CLF and ISO 8601)
/// is the last value plus the difference of the seconds.
#[derive(Debug, Default)]
pub struct TimeCache {
    raw: [u8; 32],
    len: usize,
    value: Option<i64>,
    /// Where the two digits of the seconds are in `raw`, if known.
    seconds_at: Option<usize>,
}

impl TimeCache {
    /// Parses `raw` with `format`, reusing the previous answer when `raw`
    /// repeats the previous timestamp, seconds aside.
    #[inline]
    pub fn parse(&mut self, format: &TimeFormat, raw: &[u8]) -> Option<i64> {
        if self.len == raw.len() {
            if let Some(value) = self.value {
                let cached = &self.raw[..self.len];
                match self.seconds_at {
                    _ if cached == raw => return Some(value),
                    Some(at) if cached[..at] == raw[..at] && cached[at + 2..] == raw[at + 2..] => {
                        if let (Some(old), Some(new)) =
                            (two_digits(&cached[at..]), two_digits(&raw[at..]))
                        {
                            if new < 60 {
                                self.raw[at..at + 2].copy_from_slice(&raw[at..at + 2]);
                                let value = value - old + new;
                                self.value = Some(value);
                                return Some(value);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        let value = format.parse(raw);
        if raw.len() <= self.raw.len() {
            self.raw[..raw.len()].copy_from_slice(raw);
            self.len = raw.len();
            self.value = value;
            // `10/Oct/2000:13:55:36…` and `2000-10-10T13:55:36…`.
            self.seconds_at = match format {
                TimeFormat::Clf if raw.get(17) == Some(&b':') => Some(18),
                TimeFormat::Iso8601 if raw.get(16) == Some(&b':') => Some(17),
                _ => None,
            }
            .filter(|&at| two_digits(raw.get(at..).unwrap_or_default()).is_some());
        } else {
            self.len = usize::MAX;
        }
        value
    }
}

/// The number written by the first two bytes of `s`, if they are digits.
#[inline]
fn two_digits(s: &[u8]) -> Option<i64> {
    match s {
        [a, b, ..] if a.is_ascii_digit() && b.is_ascii_digit() => {
            Some(i64::from((a - b'0') * 10 + (b - b'0')))
        }
        _ => None,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub(crate) fn digits(n: usize) -> impl FnMut(&[u8]) -> IResult<&[u8], u32> {
    move |i| {
        map_res(
            take_while_m_n(n, n, |b: u8| b.is_ascii_digit()),
            |d: &[u8]| {
                std::str::from_utf8(d)
                    .map_err(|_| ())
                    .and_then(|s| s.parse::<u32>().map_err(|_| ()))
            },
        )
        .parse(i)
    }
}

pub(crate) fn month_abbr(i: &[u8]) -> IResult<&[u8], u32> {
    map_res(take(3usize), |m: &[u8]| {
        const MONTHS: [&[u8; 3]; 12] = [
            b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov",
            b"dec",
        ];
        let lower = [
            m[0].to_ascii_lowercase(),
            m[1].to_ascii_lowercase(),
            m[2].to_ascii_lowercase(),
        ];
        MONTHS
            .iter()
            .position(|x| **x == lower)
            .map(|p| p as u32 + 1)
            .ok_or(())
    })
    .parse(i)
}

/// A `+hhmm`, `-hh:mm` or `Z` offset, in seconds east of UTC.
fn offset(i: &[u8]) -> IResult<&[u8], i64> {
    if let Ok((rest, _)) = tag::<_, _, nom::error::Error<&[u8]>>("Z").parse(i) {
        return Ok((rest, 0));
    }
    let (i, sign) = one_of("+-").parse(i)?;
    let (i, hh) = digits(2)(i)?;
    let (i, _) = opt(tag(":")).parse(i)?;
    let (i, mm) = digits(2)(i)?;
    if hh > 23 || mm > 59 {
        return Err(fail(i));
    }
    let secs = (hh as i64) * 3600 + (mm as i64) * 60;
    Ok((i, if sign == '-' { -secs } else { secs }))
}

pub(crate) fn civil_to_unix(y: u32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<i64> {
    let leap = y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400));
    let month_days = match mo {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return None,
    };
    if !(1..=month_days).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    Some(days_from_civil(y as i64, mo, d) * 86_400 + (h * 3600 + mi * 60 + s) as i64)
}

/// `10/Oct/2000:13:55:36 -0700`: local seconds and the offset, if written.
pub(crate) fn clf(i: &[u8]) -> IResult<&[u8], (i64, Option<i64>)> {
    let (i, d) = digits(2)(i)?;
    let (i, _) = tag("/")(i)?;
    let (i, mo) = month_abbr(i)?;
    let (i, _) = tag("/")(i)?;
    let (i, y) = digits(4)(i)?;
    let (i, _) = one_of(": ").parse(i)?;
    let (i, (h, mi, s)) = hms(i)?;
    let (i, _) = opt(fraction).parse(i)?;
    let (i, off) = opt((tag(" "), offset)).parse(i)?;
    let local = civil_to_unix(y, mo, d, h, mi, s).ok_or_else(|| fail(i))?;
    Ok((i, (local, off.map(|(_, o)| o))))
}

/// `HH:MM:SS`.
pub(crate) fn hms(i: &[u8]) -> IResult<&[u8], (u32, u32, u32)> {
    let (i, h) = digits(2)(i)?;
    let (i, _) = tag(":")(i)?;
    let (i, mi) = digits(2)(i)?;
    let (i, _) = tag(":")(i)?;
    let (i, s) = digits(2)(i)?;
    Ok((i, (h, mi, s)))
}

pub(crate) fn fraction(i: &[u8]) -> IResult<&[u8], ()> {
    let (i, _) = one_of(".,").parse(i)?;
    let (i, _) = take_while_m_n(1, 9, |b: u8| b.is_ascii_digit())(i)?;
    Ok((i, ()))
}

/// `2000-10-10T13:55:36-07:00`, with optional fraction and offset (a space
/// before the offset is accepted): local seconds and the offset, if written.
pub(crate) fn iso8601(i: &[u8]) -> IResult<&[u8], (i64, Option<i64>)> {
    let (i, y) = digits(4)(i)?;
    let (i, _) = tag("-")(i)?;
    let (i, mo) = digits(2)(i)?;
    let (i, _) = tag("-")(i)?;
    let (i, d) = digits(2)(i)?;
    let (i, _) = one_of("T ").parse(i)?;
    let (i, (h, mi, s)) = hms(i)?;
    let (i, _) = opt(fraction).parse(i)?;
    let (i, off) = opt(preceded(opt(tag(" ")), offset)).parse(i)?;
    let local = civil_to_unix(y, mo, d, h, mi, s).ok_or_else(|| fail(i))?;
    Ok((i, (local, off)))
}

pub(crate) fn fail(i: &[u8]) -> nom::Err<nom::error::Error<&[u8]>> {
    nom::Err::Error(nom::error::Error::new(i, nom::error::ErrorKind::Verify))
}

/// The last second of year 9999: later times are not believed.
pub const MAX_TIME: i64 = 253_402_300_799;

fn epoch(raw: &[u8], per_sec: i64) -> Option<i64> {
    let int = raw.split(|&b| b == b'.').next()?;
    if int.is_empty() || int.len() > 19 || !int.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n: i64 = std::str::from_utf8(int).ok()?.parse().ok()?;
    Some(n / per_sec).filter(|&t| t <= MAX_TIME)
}

/// A zone offset field on its own (Apache `%{%z}t`): `+0200`, `-05:30`, `Z`.
pub fn parse_offset(raw: &[u8]) -> Option<i64> {
    match offset(raw) {
        Ok((b"", off)) => Some(off),
        _ => None,
    }
}

fn strftime(pattern: &str, raw: &[u8]) -> Option<i64> {
    let text = std::str::from_utf8(raw).ok()?;
    if pattern.contains("%z") || pattern.contains("%:z") {
        DateTime::parse_from_str(text, pattern)
            .ok()
            .map(|t| t.timestamp())
    } else {
        NaiveDateTime::parse_from_str(text, pattern)
            .ok()
            .map(|t| t.and_utc().timestamp())
    }
}

/// The time zone error-log times are read in (they carry none).
#[derive(Debug, Clone, PartialEq)]
pub enum Zone {
    /// UTC.
    Utc,
    /// A fixed offset, seconds east of UTC.
    Fixed(i64),
    /// An IANA zone: offsets follow its daylight-saving rules.
    Named(chrono_tz::Tz),
}

impl Zone {
    /// Parses `--tz`: an offset (`+0200`, `-05:30`), `UTC`/`Z`, or an IANA
    /// name (`Europe/Berlin`).
    pub fn parse(s: &str) -> Result<Zone, String> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("utc") || s == "Z" {
            return Ok(Zone::Utc);
        }
        if let Ok((rest, off)) = offset(s.as_bytes()) {
            if rest.is_empty() {
                return Ok(Zone::Fixed(off));
            }
        }
        s.parse::<chrono_tz::Tz>()
            .map(Zone::Named)
            .map_err(|_| format!("`{s}` is not a time zone: use an offset like +0200 or an IANA name like Europe/Berlin"))
    }

    /// Converts local wall-clock seconds (as if UTC) to UTC seconds. In a
    /// daylight-saving gap or overlap the earlier reading wins.
    pub fn to_utc(&self, local: i64) -> i64 {
        match self {
            Zone::Utc => local,
            Zone::Fixed(off) => local - off,
            Zone::Named(tz) => {
                use chrono::{Offset, TimeZone};
                let Some(naive) = DateTime::from_timestamp(local, 0).map(|d| d.naive_utc()) else {
                    return local;
                };
                let off = match tz.offset_from_local_datetime(&naive).earliest() {
                    Some(o) => o.fix().local_minus_utc(),
                    None => tz.offset_from_utc_datetime(&naive).fix().local_minus_utc(),
                };
                local - i64::from(off)
            }
        }
    }

    /// How the zone is shown: `UTC`, `+02:00`, `Europe/Berlin`.
    pub fn describe(&self) -> String {
        match self {
            Zone::Utc => "UTC".into(),
            Zone::Fixed(off) => {
                let sign = if *off < 0 { '-' } else { '+' };
                let a = off.abs();
                format!("{sign}{:02}:{:02}", a / 3600, a % 3600 / 60)
            }
            Zone::Named(tz) => tz.name().to_string(),
        }
    }
}

/// Parses a duration such as `30s`, `5m`, `1h`, `1d` or a bare number of
/// seconds, for `--window`.
pub fn parse_duration(s: &str) -> Result<i64, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: i64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not a duration like 30s, 5m, 1h or 1d"))?;
    let mult = match unit {
        "" => return Err(format!("`{s}` has no unit: write {n}s, {n}m, {n}h or {n}d")),
        "s" => 1,
        "m" | "min" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(format!("unknown unit `{unit}` in `{s}`: use s, m, h or d")),
    };
    if n <= 0 {
        return Err(format!("duration `{s}` must be positive"));
    }
    match n.checked_mul(mult) {
        Some(secs) if secs <= 366 * 86_400 => Ok(secs),
        _ => Err(format!("duration `{s}` is too long: at most 366d")),
    }
}

/// Parses an instant for `--since`/`--until`: RFC 3339
/// (`2026-05-07T10:00:00+02:00`), `YYYY-MM-DD HH:MM[:SS]` or `YYYY-MM-DD`
/// (both read as UTC), or a CLF timestamp like `07/May/2026:10:00:00 +0200`.
pub fn parse_instant(s: &str) -> Result<i64, String> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.timestamp());
    }
    for pattern in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, pattern) {
            return Ok(t.and_utc().timestamp());
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(d
            .and_hms_opt(0, 0, 0)
            .map_or(0, |t| t.and_utc().timestamp()));
    }
    if let Some(t) = TimeFormat::Clf.parse(s.as_bytes()) {
        return Ok(t);
    }
    Err(format!(
        "`{s}` is not a time: use RFC 3339 (2026-05-07T10:00:00Z) or `2026-05-07 10:00` (UTC)"
    ))
}

/// Formats unix seconds as RFC 3339 in UTC (`2026-05-07T10:00:00Z`).
pub fn rfc3339(t: i64) -> String {
    match Utc.timestamp_opt(t, 0).single() {
        Some(dt) => dt.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        None => format!("@{t}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> i64 {
        DateTime::parse_from_rfc3339(s).unwrap().timestamp()
    }

    #[test]
    fn clf_with_offsets_is_utc() {
        let f = TimeFormat::Clf;
        assert_eq!(
            f.parse(b"10/Oct/2000:13:55:36 -0700"),
            Some(utc("2000-10-10T20:55:36Z"))
        );
        assert_eq!(
            f.parse(b"07/May/2026:00:30:00 +0200"),
            Some(utc("2026-05-06T22:30:00Z"))
        );
        assert_eq!(
            f.parse(b"29/Feb/2024:23:59:59 +0000"),
            Some(utc("2024-02-29T23:59:59Z"))
        );
        assert_eq!(
            f.parse(b"10/oct/2000:13:55:36"),
            Some(utc("2000-10-10T13:55:36Z"))
        );
        assert_eq!(f.parse(b"10/Foo/2000:13:55:36 -0700"), None);
        assert_eq!(f.parse(b"10/Oct/2000:25:55:36 -0700"), None);
        assert_eq!(f.parse(b"10/Oct/2000"), None);
        assert_eq!(f.parse(b"31/Feb/2026:10:00:00 +0000"), None);
        assert_eq!(f.parse(b"29/Feb/2026:10:00:00 +0000"), None);
        assert_eq!(f.parse(b"10/Oct/2000:13:55:36 +9999"), None);
        assert_eq!(f.parse(b""), None);
    }

    #[test]
    fn iso_epoch_and_strftime() {
        assert_eq!(
            TimeFormat::Iso8601.parse(b"2026-05-07T10:00:00+02:00"),
            Some(utc("2026-05-07T08:00:00Z"))
        );
        assert_eq!(
            TimeFormat::Iso8601.parse(b"2026-05-07T10:00:00.123Z"),
            Some(utc("2026-05-07T10:00:00Z"))
        );
        assert_eq!(
            TimeFormat::EpochSecs.parse(b"1778140800.123"),
            Some(1_778_140_800)
        );
        assert_eq!(
            TimeFormat::EpochMillis.parse(b"1778140800123"),
            Some(1_778_140_800)
        );
        assert_eq!(
            TimeFormat::EpochMicros.parse(b"1778140800123456"),
            Some(1_778_140_800)
        );
        assert_eq!(TimeFormat::EpochSecs.parse(b"-"), None);
        assert_eq!(TimeFormat::EpochSecs.parse(b"9223372036854775807"), None);
        assert_eq!(parse_offset(b"+0200"), Some(7200));
        assert_eq!(parse_offset(b"+02:00x"), None);
        let f = TimeFormat::Strftime("%Y-%m-%d %H:%M:%S".into());
        assert_eq!(
            f.parse(b"2026-05-07 10:00:00"),
            Some(utc("2026-05-07T10:00:00Z"))
        );
    }

    #[test]
    fn cache_returns_same_answers() {
        let mut cache = TimeCache::default();
        let f = TimeFormat::Clf;
        for raw in [
            &b"10/Oct/2000:13:55:36 -0700"[..],
            b"10/Oct/2000:13:55:36 -0700",
            b"10/Oct/2000:13:55:37 -0700",
            b"10/Oct/2000:13:55:05 -0700",
            b"10/Oct/2000:13:55:60 -0700",
            b"10/Oct/2000:13:55:61 -0700",
            b"10/Oct/2000:13:55:6x -0700",
            b"10/Oct/2000:13:55:59 -0700",
            b"10/Oct/2000:13:56:00 -0700",
            b"10/Oct/2000:13:56:00 +0700",
            b"garbage",
            b"garbage",
            b"10/Oct/2000:13:56:00",
            b"10/Oct/2000:13:56:01",
        ] {
            assert_eq!(
                cache.parse(&f, raw),
                f.parse(raw),
                "{}",
                String::from_utf8_lossy(raw)
            );
        }
        let f = TimeFormat::Iso8601;
        for raw in [
            &b"2026-05-07T10:00:00+02:00"[..],
            b"2026-05-07T10:00:09+02:00",
            b"2026-05-07T10:00:59+02:00",
            b"2026-05-07T10:00:59Z",
            b"2026-05-07T10:00:07Z",
        ] {
            assert_eq!(
                cache.parse(&f, raw),
                f.parse(raw),
                "{}",
                String::from_utf8_lossy(raw)
            );
        }
    }

    #[test]
    fn offsets_and_zones() {
        assert_eq!(
            TimeFormat::Clf.offset(b"10/Oct/2000:13:55:36 -0700"),
            Some(-25_200)
        );
        assert_eq!(
            TimeFormat::Iso8601.offset(b"2026-05-07T10:00:00+02:00"),
            Some(7200)
        );
        assert_eq!(TimeFormat::Clf.offset(b"10/Oct/2000:13:55:36"), None);
        assert_eq!(Zone::parse("+0200"), Ok(Zone::Fixed(7200)));
        assert_eq!(Zone::parse("-05:30"), Ok(Zone::Fixed(-19_800)));
        assert_eq!(Zone::parse("utc"), Ok(Zone::Utc));
        assert!(Zone::parse("Mars/Olympus").is_err());
        let berlin = Zone::parse("Europe/Berlin").unwrap();
        let local = |s: &str| utc(s);
        // Summer (+02:00) and winter (+01:00) time.
        assert_eq!(
            berlin.to_utc(local("2026-05-07T10:00:00Z")),
            utc("2026-05-07T08:00:00Z")
        );
        assert_eq!(
            berlin.to_utc(local("2026-01-07T10:00:00Z")),
            utc("2026-01-07T09:00:00Z")
        );
        assert_eq!(
            Zone::Fixed(7200).to_utc(local("2026-05-07T10:00:00Z")),
            utc("2026-05-07T08:00:00Z")
        );
        assert_eq!(berlin.describe(), "Europe/Berlin");
        assert_eq!(Zone::Fixed(-19_800).describe(), "-05:30");
    }

    #[test]
    fn durations_and_instants() {
        assert_eq!(parse_duration("5m"), Ok(300));
        assert_eq!(parse_duration("90s"), Ok(90));
        assert!(parse_duration("90")
            .unwrap_err()
            .contains("no unit: write 90s"));
        assert_eq!(parse_duration("1d"), Ok(86_400));
        assert!(parse_duration("0m").is_err());
        assert!(parse_duration("5y").is_err());
        assert!(parse_duration("m").is_err());
        assert!(parse_duration("367d").is_err());
        assert!(parse_duration("9223372036854775807").is_err());
        assert_eq!(
            parse_instant("2026-05-07T10:00:00+02:00"),
            Ok(utc("2026-05-07T08:00:00Z"))
        );
        assert_eq!(
            parse_instant("2026-05-07 10:00"),
            Ok(utc("2026-05-07T10:00:00Z"))
        );
        assert_eq!(parse_instant("2026-05-07"), Ok(utc("2026-05-07T00:00:00Z")));
        assert!(parse_instant("yesterday").is_err());
        assert_eq!(rfc3339(utc("2026-05-07T10:00:00Z")), "2026-05-07T10:00:00Z");
    }
}
