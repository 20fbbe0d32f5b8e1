//! Numbers as people read them.

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `part` of `whole` as a percentage with one decimal (`<0.1%` for a
/// sliver, `-` for nothing to share).
pub fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "-".into();
    }
    let p = part as f64 * 100.0 / whole as f64;
    if p > 0.0 && p < 0.1 {
        "<0.1%".into()
    } else {
        format!("{p:.1}%")
    }
}

/// An RFC 3339 UTC time to the minute, as people read it:
/// `2026-05-07T10:00:00Z` → `2026-05-07 10:00`.
pub fn minute(t: &str) -> String {
    t.get(..16).unwrap_or(t).replace('T', " ")
}

/// `bytes` as text, each byte that is not UTF-8 written as `\xNN` (a
/// malformed line's sample shows what the file holds, not `�`).
pub fn escaped_lossy(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_bytes_are_written_as_escapes() {
        assert_eq!(
            escaped_lossy(b"ok \xff\xfe\x07 \xc3\xa9"),
            "ok \\xff\\xfe\x07 \u{e9}"
        );
    }
}
