//! Numbers written into byte buffers without allocating: decimal, padded,
//! hex, times of day, seconds with milliseconds.

use crate::clock::Civil;

pub(crate) fn push_u64(buf: &mut Vec<u8>, mut n: u64) {
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

pub(crate) fn push_padded(buf: &mut Vec<u8>, n: u64, width: usize) {
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

pub(crate) fn push_2(buf: &mut Vec<u8>, n: u32) {
    buf.push(b'0' + (n / 10 % 10) as u8);
    buf.push(b'0' + (n % 10) as u8);
}

pub(crate) fn push_year(buf: &mut Vec<u8>, year: i64) {
    if (0..10_000).contains(&year) {
        push_padded(buf, year as u64, 4);
    } else {
        if year < 0 {
            buf.push(b'-');
        }
        push_u64(buf, year.unsigned_abs());
    }
}

pub(crate) fn push_hms(buf: &mut Vec<u8>, c: &Civil) {
    push_2(buf, c.hour);
    buf.push(b':');
    push_2(buf, c.min);
    buf.push(b':');
    push_2(buf, c.sec);
}

/// Lowercase hex without leading zeros (IPv6 groups).
pub(crate) fn push_hex(buf: &mut Vec<u8>, n: u64) {
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
pub(crate) fn push_hex_fixed(buf: &mut Vec<u8>, n: u64, digits: u32) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for shift in (0..digits).rev() {
        buf.push(HEX[((n >> (shift * 4)) & 0xf) as usize]);
    }
}

/// Seconds with millisecond precision, `0.123`.
pub(crate) fn push_secs(buf: &mut Vec<u8>, ms: u64) {
    push_u64(buf, ms / 1000);
    buf.push(b'.');
    push_padded(buf, ms % 1000, 3);
}
