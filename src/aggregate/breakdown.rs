//! What the counted requests were made of, per window: requests and matches
//! per device group and method class for every request, and, for the matched
//! requests only (they are few), their routes, methods, clients, upstreams
//! and hosts. The burst detector reads these; merging stays associative.

use rustc_hash::FxHashMap;

use super::Counts;
use crate::device::DEVICES;

/// Method classes counted for every request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MethodClass {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// DELETE.
    Delete,
    /// PATCH.
    Patch,
    /// HEAD.
    Head,
    /// OPTIONS.
    Options,
    /// Any other token (PROPFIND, TRACE, SEARCH, custom verbs): methods a
    /// web application rarely implements.
    Unusual,
    /// No request line (`-`) or one that is not HTTP.
    None,
}

/// Number of [`MethodClass`]es.
pub const METHOD_CLASSES: usize = 9;

impl MethodClass {
    /// The class of a method token.
    #[inline]
    pub fn of(method: &[u8]) -> MethodClass {
        match method {
            b"GET" => MethodClass::Get,
            b"POST" => MethodClass::Post,
            b"PUT" => MethodClass::Put,
            b"DELETE" => MethodClass::Delete,
            b"PATCH" => MethodClass::Patch,
            b"HEAD" => MethodClass::Head,
            b"OPTIONS" => MethodClass::Options,
            b"-" | crate::record::INVALID_METHOD => MethodClass::None,
            _ => MethodClass::Unusual,
        }
    }
}

/// Counts of one window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WindowStats {
    /// All requests of the window.
    pub counts: Counts,
    /// Per [`crate::device::Device`] group, by index.
    pub devices: [Counts; DEVICES],
    /// Per [`MethodClass`], by index.
    pub methods: [Counts; METHOD_CLASSES],
}

impl WindowStats {
    /// Adds `o`.
    pub fn merge(&mut self, o: &WindowStats) {
        self.counts.add(o.counts);
        for (m, x) in self.devices.iter_mut().zip(&o.devices) {
            m.add(*x);
        }
        for (m, x) in self.methods.iter_mut().zip(&o.methods) {
            m.add(*x);
        }
    }
}

/// A dimension of the matched requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dim {
    /// Normalised route.
    Route,
    /// Method token.
    Method,
    /// Client address.
    Client,
    /// Upstream that answered.
    Upstream,
    /// Virtual host.
    Host,
}

const DIMS: usize = 5;

/// Distinct values kept per dimension; the rest are counted as `(other)`.
pub const VALUE_LIMIT: usize = 50_000;

/// Per value, per window start: a count.
type Series = FxHashMap<Box<[u8]>, FxHashMap<i64, u64>>;

/// Matched requests per dimension, value and window; requests per upstream
/// and window.
#[derive(Debug, Clone, Default)]
pub struct Breakdown {
    matched: [Series; DIMS],
    upstream_requests: Series,
}

/// Bytes kept of a value (a client address, host or upstream written by a
/// hostile client can be kilobytes long).
pub const VALUE_LEN: usize = 256;

fn bump(series: &mut Series, value: &[u8], window: i64, n: u64) {
    let value = value.get(..VALUE_LEN).unwrap_or(value);
    let value = if series.len() >= VALUE_LIMIT && !series.contains_key(value) {
        &b"(other)"[..]
    } else {
        value
    };
    match series.get_mut(value) {
        Some(per_window) => *per_window.entry(window).or_default() += n,
        None => {
            series.entry(value.into()).or_default().insert(window, n);
        }
    }
}

impl Breakdown {
    /// Counts a matched request's `value` in `dim`.
    pub fn matched(&mut self, dim: Dim, value: &[u8], window: i64) {
        bump(&mut self.matched[dim as usize], value, window, 1);
    }

    /// Counts a request answered by upstream `value`.
    #[inline]
    pub fn upstream_request(&mut self, value: &[u8], window: i64) {
        bump(&mut self.upstream_requests, value, window, 1);
    }

    pub(super) fn merge(&mut self, other: Breakdown) {
        for (mine, theirs) in self.matched.iter_mut().zip(other.matched) {
            merge_series(mine, theirs);
        }
        merge_series(&mut self.upstream_requests, other.upstream_requests);
    }

    /// Matched requests per value of `dim` in windows `[from, to)` (starts
    /// `step` apart), most first.
    pub fn matched_in(&self, dim: Dim, from: i64, to: i64, step: i64) -> Vec<(String, u64)> {
        totals(&self.matched[dim as usize], from, to, step)
    }

    /// Matched requests of `value` in `dim`, per window start.
    pub fn matched_series(&self, dim: Dim, value: &str) -> Option<&FxHashMap<i64, u64>> {
        self.matched[dim as usize].get(value.as_bytes())
    }

    /// Requests per upstream in windows `[from, to)` (starts `step` apart),
    /// most first.
    pub fn upstream_requests_in(&self, from: i64, to: i64, step: i64) -> Vec<(String, u64)> {
        totals(&self.upstream_requests, from, to, step)
    }

    /// Drops the counts of windows before `t`.
    pub fn prune_before(&mut self, t: i64) {
        for series in self.matched.iter_mut().chain([&mut self.upstream_requests]) {
            series.retain(|_, per_window| {
                per_window.retain(|w, _| *w >= t);
                !per_window.is_empty()
            });
        }
    }

    /// Whether any request named its upstream.
    pub fn has_upstreams(&self) -> bool {
        !self.upstream_requests.is_empty()
    }
}

fn merge_series(mine: &mut Series, theirs: Series) {
    for (value, per_window) in theirs {
        for (w, n) in per_window {
            bump(mine, &value, w, n);
        }
    }
}

/// Per value, the sum over windows `[from, to)` (window starts `step`
/// apart): by looking the windows up when they are fewer than the value's
/// entries, else by scanning the entries.
fn totals(series: &Series, from: i64, to: i64, step: i64) -> Vec<(String, u64)> {
    let span = ((to - from) / step.max(1)).max(0) as usize;
    let mut out: Vec<(String, u64)> = series
        .iter()
        .map(|(value, per_window)| {
            let n = if span < per_window.len() {
                (0..span as i64)
                    .filter_map(|i| per_window.get(&(from + i * step)))
                    .sum()
            } else {
                per_window
                    .iter()
                    .filter(|(w, _)| (from..to).contains(*w))
                    .map(|(_, n)| n)
                    .sum()
            };
            (String::from_utf8_lossy(value).into_owned(), n)
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

/// The upstream that answered, from `$upstream_addr`: the last of a list
/// (`10.0.1.11:8080, 10.0.1.12:8080` after a retry).
pub fn last_upstream(value: &[u8]) -> &[u8] {
    let last = match memchr::memrchr(b',', value) {
        Some(p) => &value[p + 1..],
        None => value,
    };
    let start = last
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(last.len());
    &last[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_and_upstreams() {
        assert_eq!(MethodClass::of(b"GET"), MethodClass::Get);
        assert_eq!(MethodClass::of(b"PROPFIND"), MethodClass::Unusual);
        assert_eq!(MethodClass::of(b"get"), MethodClass::Unusual);
        assert_eq!(MethodClass::of(b"-"), MethodClass::None);
        assert_eq!(
            last_upstream(b"10.0.1.11:8080, 10.0.1.12:8080"),
            b"10.0.1.12:8080"
        );
        assert_eq!(last_upstream(b"10.0.1.11:8080"), b"10.0.1.11:8080");
    }

    #[test]
    fn series_merge_and_cap() {
        let mut a = Breakdown::default();
        let mut b = Breakdown::default();
        a.matched(Dim::Route, b"/x", 0);
        b.matched(Dim::Route, b"/x", 0);
        b.matched(Dim::Route, b"/y", 300);
        a.merge(b);
        assert_eq!(
            a.matched_in(Dim::Route, 0, 600, 300),
            [("/x".to_string(), 2), ("/y".to_string(), 1)]
        );
        assert_eq!(
            a.matched_in(Dim::Route, 300, 600, 300),
            [("/y".to_string(), 1)]
        );
        for i in 0..VALUE_LIMIT + 10 {
            a.matched(
                Dim::Client,
                format!("10.0.{}.{}", i / 256, i % 256).as_bytes(),
                0,
            );
        }
        let clients = a.matched_in(Dim::Client, 0, 1, 1);
        assert_eq!(clients.len(), VALUE_LIMIT + 1);
        assert_eq!(clients[0], ("(other)".to_string(), 10));
    }
}
