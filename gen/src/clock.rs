//! Time: the diurnal traffic shape, the clock that hands out timestamps,
//! civil (broken-down) time and the times as the logs write them.

use crate::config::SynthConfig;
use crate::digits::{push_2, push_hms, push_padded, push_year};
use crate::rng::Rng;

/// Relative traffic per local hour of day (minimum before dawn, plateau in
/// the afternoon).
pub(crate) const HOURLY: [u64; 24] = [
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
pub(crate) struct Clock {
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
    pub(crate) fn new(cfg: &SynthConfig) -> Self {
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

    pub(crate) fn next(&mut self, rng: &mut Rng) -> i64 {
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
pub(crate) struct Civil {
    pub(crate) year: i64,
    pub(crate) month: u32,
    pub(crate) day: u32,
    pub(crate) hour: u32,
    pub(crate) min: u32,
    pub(crate) sec: u32,
    /// Index into [`WEEKDAYS`].
    pub(crate) wday: usize,
}

/// Converts `local` (seconds since the epoch, already shifted to local time).
pub(crate) fn civil(local: i64) -> Civil {
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
pub(crate) struct TimeCache {
    tz: i64,
    zone: [u8; 5],
    ts: Option<i64>,
    text: Vec<u8>,
    /// Added to every time before it is written (a skewed clock).
    skew: i64,
    /// From this written second on, this zone ([`TzChange`](crate::TzChange)).
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
    pub(crate) fn of(cfg: &SynthConfig) -> Self {
        let mut t = TimeCache::new(cfg.tz_offset_secs);
        t.skew = cfg.env.clock_skew_secs;
        t.change = cfg
            .env
            .tz_change
            .map(|c| (c.at, i64::from(c.offset_secs), zone_text(c.offset_secs)));
        t
    }

    /// Local seconds of (true) time `ts` as the host writes it, and its zone.
    pub(crate) fn local(&self, ts: i64) -> (i64, &[u8; 5]) {
        let shown = ts + self.skew;
        match &self.change {
            Some((at, tz, zone)) if shown >= *at => (shown + tz, zone),
            _ => (shown + self.tz, &self.zone),
        }
    }

    /// `%d/%b/%Y:%H:%M:%S %z` for `ts`.
    pub(crate) fn access(&mut self, ts: i64) -> &[u8] {
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
    pub(crate) fn nginx_error(&self, buf: &mut Vec<u8>, ts: i64) {
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
    pub(crate) fn apache_error(&self, buf: &mut Vec<u8>, ts: i64, micros: u64) {
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

/// `2026-05-07T12:00:00Z`.
pub(crate) fn rfc3339(ts: i64) -> String {
    let c = civil(ts);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        c.year, c.month, c.day, c.hour, c.min, c.sec
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::DEFAULT_START;

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
}
