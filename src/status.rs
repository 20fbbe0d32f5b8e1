//! The set of HTTP statuses a run is looking for (`--status`).

use std::fmt;
use std::str::FromStr;

/// A set of HTTP status codes (0..=999), parsed from `--status`.
///
/// Accepts a comma-separated list of codes (`501`), classes (`5xx`) and
/// inclusive ranges (`500-504`), e.g. `501,502` or `4xx,501`.
#[derive(Clone, PartialEq, Eq)]
pub struct StatusSet {
    bits: [u64; 16],
    spec: String,
}

impl StatusSet {
    /// Whether `status` is in the set.
    #[inline]
    pub fn contains(&self, status: u16) -> bool {
        let s = status as usize;
        s < 1000 && self.bits[s / 64] & (1 << (s % 64)) != 0
    }

    /// The text the set was parsed from, as the user wrote it.
    pub fn spec(&self) -> &str {
        &self.spec
    }

    /// What its matches are called in a sentence: `501s` for one code,
    /// `responses with status 5xx` for anything else.
    pub fn noun(&self) -> String {
        if code(&self.spec).is_ok() {
            format!("{}s", self.spec)
        } else {
            format!("responses with status {}", self.spec)
        }
    }

    fn insert_range(&mut self, lo: u16, hi: u16) {
        for s in lo..=hi {
            let s = s as usize;
            self.bits[s / 64] |= 1 << (s % 64);
        }
    }
}

impl Default for StatusSet {
    fn default() -> Self {
        "501"
            .parse()
            .unwrap_or_else(|_| unreachable!("501 is a valid status set"))
    }
}

impl fmt::Debug for StatusSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StatusSet({})", self.spec)
    }
}

fn code(s: &str) -> Result<u16, String> {
    match s.parse::<u16>() {
        Ok(n) if (100..=999).contains(&n) && s.len() == 3 => Ok(n),
        _ => Err(format!("`{s}` is not a three-digit HTTP status")),
    }
}

impl FromStr for StatusSet {
    type Err = String;

    fn from_str(spec: &str) -> Result<Self, String> {
        let mut set = StatusSet {
            bits: [0; 16],
            spec: spec.to_string(),
        };
        for part in spec.split(',').map(str::trim) {
            if part.is_empty() {
                return Err(format!("empty item in status set `{spec}`"));
            }
            let lower = part.to_ascii_lowercase();
            if let Some(class) = lower.strip_suffix("xx") {
                match class.parse::<u16>() {
                    Ok(c) if (1..=9).contains(&c) && class.len() == 1 => {
                        set.insert_range(c * 100, c * 100 + 99)
                    }
                    _ => return Err(format!("`{part}` is not a status class like 5xx")),
                }
            } else if let Some((lo, hi)) = part.split_once('-') {
                let (lo, hi) = (code(lo.trim())?, code(hi.trim())?);
                if lo > hi {
                    return Err(format!("range `{part}` runs backwards"));
                }
                set.insert_range(lo, hi);
            } else {
                let c = code(part)?;
                set.insert_range(c, c);
            }
        }
        Ok(set)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_list_class_and_range() {
        let s: StatusSet = "501".parse().unwrap();
        assert!(s.contains(501) && !s.contains(500) && !s.contains(502));
        let s: StatusSet = "501, 502".parse().unwrap();
        assert!(s.contains(501) && s.contains(502) && !s.contains(503));
        let s: StatusSet = "5xx".parse().unwrap();
        assert!(s.contains(500) && s.contains(599) && !s.contains(499) && !s.contains(600));
        let s: StatusSet = "500-503,404".parse().unwrap();
        assert!(s.contains(503) && s.contains(404) && !s.contains(504));
        assert!(!s.contains(1500));
    }

    #[test]
    fn rejects_nonsense() {
        for bad in ["", "50", "5000", "abc", "xx", "10xx", "503-501", "501,"] {
            assert!(bad.parse::<StatusSet>().is_err(), "{bad} accepted");
        }
    }
}
