//! What the counted requests were made of, per window: requests and matches
//! per device group and method class for every request, and, for the matched
//! requests only (they are few), their routes, methods, clients, upstreams
//! and hosts. The burst detector reads these; merging stays associative.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use rustc_hash::FxHashMap;

use super::Counts;
use crate::device::DEVICES;

/// Method classes counted for every request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
    /// Every method class, in index order.
    pub const ALL: [MethodClass; METHOD_CLASSES] = [
        MethodClass::Get,
        MethodClass::Post,
        MethodClass::Put,
        MethodClass::Delete,
        MethodClass::Patch,
        MethodClass::Head,
        MethodClass::Options,
        MethodClass::Unusual,
        MethodClass::None,
    ];

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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
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

/// The value that counts the values past [`VALUE_LIMIT`] together.
pub const OTHER: &str = "(other)";

/// Distinct values reported per dimension (a quarter as many again are kept
/// while counting, see `in_flight`); the rest are counted as [`OTHER`].
pub const VALUE_LIMIT: usize = 50_000;

/// Per value, per window start: a count.
type Series = FxHashMap<Box<[u8]>, PerWindow>;

/// Counts per window start, in window order. Most values (a client, a
/// scanned path) fall in one or a few windows: one window is held inline,
/// a few in a sorted vector, in a fraction of a map's memory. Values seen in many windows move to a
/// B-tree, so windows arriving out of order (a log read backwards) never
/// cost a shift of the whole vector.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum PerWindow {
    /// One window and its count (no allocation).
    One(i64, u64),
    /// Up to `FEW` (32) windows, sorted.
    Few(Vec<(i64, u64)>),
    /// More.
    Many(BTreeMap<i64, u64>),
}

/// The windows of a [`PerWindow`] and their counts, in window order.
pub enum Windows<'a> {
    /// Of a [`PerWindow::One`] (taken once).
    One(Option<(i64, u64)>),
    /// Of a [`PerWindow::Few`].
    Few(std::slice::Iter<'a, (i64, u64)>),
    /// Of a [`PerWindow::Many`].
    Many(std::collections::btree_map::Iter<'a, i64, u64>),
}

impl Iterator for Windows<'_> {
    type Item = (i64, u64);

    fn next(&mut self) -> Option<(i64, u64)> {
        match self {
            Windows::One(it) => it.take(),
            Windows::Few(it) => it.next().copied(),
            Windows::Many(it) => it.next().map(|(&w, &n)| (w, n)),
        }
    }
}

/// Equal when the same windows hold the same counts, however stored.
impl PartialEq for PerWindow {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for PerWindow {}

/// Windows a [`PerWindow::Few`] holds before it becomes a B-tree.
const FEW: usize = 32;

impl Default for PerWindow {
    fn default() -> Self {
        PerWindow::Few(Vec::new())
    }
}

impl PerWindow {
    fn one(window: i64, n: u64) -> Self {
        PerWindow::One(window, n)
    }

    fn add(&mut self, window: i64, n: u64) {
        match self {
            PerWindow::One(w, count) if *w == window => *count += n,
            PerWindow::One(w, count) => {
                let (a, b) = ((*w, *count), (window, n));
                *self = PerWindow::Few(if a.0 < b.0 { vec![a, b] } else { vec![b, a] });
            }
            PerWindow::Few(v) => {
                if let Some((last, count)) = v.last_mut() {
                    if *last == window {
                        *count += n;
                        return;
                    }
                }
                match v.binary_search_by_key(&window, |&(w, _)| w) {
                    Ok(i) => v[i].1 += n,
                    Err(i) if v.len() < FEW => v.insert(i, (window, n)),
                    Err(_) => {
                        let mut many: BTreeMap<i64, u64> = v.drain(..).collect();
                        many.insert(window, n);
                        *self = PerWindow::Many(many);
                    }
                }
            }
            PerWindow::Many(m) => *m.entry(window).or_default() += n,
        }
    }

    /// Adds `other`'s counts.
    fn merge(&mut self, other: PerWindow) {
        match (std::mem::take(self), other) {
            (mut many, PerWindow::One(w, n)) | (PerWindow::One(w, n), mut many) => {
                many.add(w, n);
                *self = many;
            }
            (PerWindow::Few(mine), PerWindow::Few(theirs)) => {
                let out = merge_sorted(&mine, &theirs);
                *self = if out.len() <= FEW {
                    PerWindow::Few(out)
                } else {
                    PerWindow::Many(out.into_iter().collect())
                };
            }
            (PerWindow::Many(mut big), small) | (small, PerWindow::Many(mut big)) => {
                for (w, n) in small.iter() {
                    *big.entry(w).or_default() += n;
                }
                *self = PerWindow::Many(big);
            }
        }
    }

    /// Every window and its count, in window order.
    pub fn iter(&self) -> Windows<'_> {
        match self {
            PerWindow::One(w, n) => Windows::One(Some((*w, *n))),
            PerWindow::Few(v) => Windows::Few(v.iter()),
            PerWindow::Many(m) => Windows::Many(m.iter()),
        }
    }

    /// The count over all windows.
    fn total(&self) -> u64 {
        match self {
            PerWindow::One(_, n) => *n,
            PerWindow::Few(v) => v.iter().map(|&(_, n)| n).sum(),
            PerWindow::Many(m) => m.values().sum(),
        }
    }

    /// The count of window `window`.
    pub fn get(&self, window: i64) -> Option<u64> {
        match self {
            PerWindow::One(w, n) => (*w == window).then_some(*n),
            PerWindow::Few(v) => {
                let i = v.binary_search_by_key(&window, |&(w, _)| w).ok()?;
                v.get(i).map(|&(_, n)| n)
            }
            PerWindow::Many(m) => m.get(&window).copied(),
        }
    }

    /// The first and last windows with a count.
    pub fn span(&self) -> Option<(i64, i64)> {
        match self {
            PerWindow::One(w, _) => Some((*w, *w)),
            PerWindow::Few(v) => Some((v.first()?.0, v.last()?.0)),
            PerWindow::Many(m) => Some((*m.first_key_value()?.0, *m.last_key_value()?.0)),
        }
    }

    /// How many windows have a count.
    pub fn len(&self) -> usize {
        match self {
            PerWindow::One(..) => 1,
            PerWindow::Few(v) => v.len(),
            PerWindow::Many(m) => m.len(),
        }
    }

    /// Whether no window has a count.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The sum over windows in `[from, to)`.
    pub fn sum(&self, from: i64, to: i64) -> u64 {
        match self {
            PerWindow::One(w, n) => {
                if (from..to).contains(w) {
                    *n
                } else {
                    0
                }
            }
            PerWindow::Few(v) => {
                let start = v.partition_point(|&(w, _)| w < from);
                v.get(start..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|&&(w, _)| w < to)
                    .map(|&(_, n)| n)
                    .sum()
            }
            PerWindow::Many(m) if from < to => m.range(from..to).map(|(_, n)| n).sum(),
            PerWindow::Many(_) => 0,
        }
    }

    /// Drops the windows before `t`.
    fn prune_before(&mut self, t: i64) {
        match self {
            PerWindow::One(w, _) if *w < t => *self = PerWindow::default(),
            PerWindow::One(..) => {}
            PerWindow::Few(v) => v.retain(|&(w, _)| w >= t),
            PerWindow::Many(m) => *m = m.split_off(&t),
        }
    }
}

/// Two sorted window lists as one, counts of the same window added.
fn merge_sorted(a: &[(i64, u64)], b: &[(i64, u64)]) -> Vec<(i64, u64)> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.iter().peekable(), b.iter().peekable());
    while let (Some(&&x), Some(&&y)) = (a.peek(), b.peek()) {
        if x.0 == y.0 {
            out.push((x.0, x.1 + y.1));
            a.next();
            b.next();
        } else if x.0 < y.0 {
            out.push(x);
            a.next();
        } else {
            out.push(y);
            b.next();
        }
    }
    out.extend(a);
    out.extend(b);
    out
}

/// Matched requests per dimension, value and window; requests per upstream
/// and window; and matched requests per [`Cell`] (method, route, device
/// group and upstream together), so that detection can count any segment
/// and any intersection of segments exactly.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Breakdown {
    matched: [Series; DIMS],
    upstream_requests: Series,
    cells: Series,
}

/// Cells reported (a quarter as many again are kept while counting): detection needs
/// the busiest segments, not every scanned path.
pub const CELL_LIMIT: usize = 20_000;
/// Bytes of a route kept in a cell key.
const CELL_ROUTE_LEN: usize = 200;
/// Bytes of an upstream kept in a cell key.
const CELL_UPSTREAM_LEN: usize = 64;

/// The segments one matched request belongs to, decoded from its cell key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell<'a> {
    /// Method token.
    pub method: &'a [u8],
    /// Normalised route.
    pub route: &'a [u8],
    /// Device group, by index.
    pub device: usize,
    /// Upstream that answered, if any.
    pub upstream: Option<&'a [u8]>,
}

impl<'a> Cell<'a> {
    /// Appends the key of a cell to `out` (length-prefixed, so any bytes
    /// may appear in a route or upstream).
    pub fn encode(&self, out: &mut Vec<u8>) {
        let method = self.method.get(..255).unwrap_or(self.method);
        let route = self.route.get(..CELL_ROUTE_LEN).unwrap_or(self.route);
        out.push(method.len() as u8);
        out.extend_from_slice(method);
        out.push(route.len() as u8);
        out.extend_from_slice(route);
        out.push(self.device as u8);
        if let Some(up) = self.upstream {
            out.extend_from_slice(up.get(..CELL_UPSTREAM_LEN).unwrap_or(up));
        }
    }

    /// Decodes a key written by [`Cell::encode`]; `None` for the `(other)`
    /// cell that counts the cells past the limit.
    pub fn decode(key: &'a [u8]) -> Option<Cell<'a>> {
        let (&m, rest) = key.split_first()?;
        let method = rest.get(..m as usize)?;
        let rest = rest.get(m as usize..)?;
        let (&r, rest) = rest.split_first()?;
        let route = rest.get(..r as usize)?;
        let rest = rest.get(r as usize..)?;
        let (&device, upstream) = rest.split_first()?;
        Some(Cell {
            method,
            route,
            device: device as usize,
            upstream: (!upstream.is_empty()).then_some(upstream),
        })
    }
}

/// Bytes kept of a value (a client address, host or upstream written by a
/// hostile client can be kilobytes long).
pub const VALUE_LEN: usize = 256;

fn bump(series: &mut Series, value: &[u8], window: i64, n: u64) {
    let value = value.get(..VALUE_LEN).unwrap_or(value);
    bump_key(series, value, window, n, VALUE_LIMIT);
}

/// Values a series holds at most while counting, for `limit` reported:
/// which values survive depends on their counts, not on the order they
/// came in, as long as one thread meets fewer distinct values than this.
fn in_flight(limit: usize) -> usize {
    limit + limit / 4
}

/// [`bump`] without cutting the value (a cell key is bounded already).
fn bump_key(series: &mut Series, value: &[u8], window: i64, n: u64, limit: usize) {
    match series.get_mut(value) {
        Some(per_window) => per_window.add(window, n),
        None => {
            // A quarter of the limit again is kept while counting, then the smallest
            // values are folded together: which values survive depends on
            // their counts, not on the order they came in.
            if series.len() >= in_flight(limit) {
                compact(series, limit);
            }
            series.insert(value.into(), PerWindow::one(window, n));
        }
    }
}

impl Breakdown {
    /// Counts a matched request's `value` in `dim`.
    pub fn matched(&mut self, dim: Dim, value: &[u8], window: i64) {
        bump(&mut self.matched[dim as usize], value, window, 1);
    }

    /// Counts a matched request in its cell (`key` from [`Cell::encode`]).
    #[inline]
    pub fn matched_cell(&mut self, key: &[u8], window: i64) {
        bump_key(&mut self.cells, key, window, 1, CELL_LIMIT);
    }

    /// Every cell with its matched requests per window; the `(other)` cell
    /// (cells past the limit) decodes to `None`.
    pub fn cells(&self) -> impl Iterator<Item = (Option<Cell<'_>>, &PerWindow)> + '_ {
        self.cells.iter().map(|(k, w)| (Cell::decode(k), w))
    }

    /// Counts a request answered by upstream `value`.
    #[inline]
    pub fn upstream_request(&mut self, value: &[u8], window: i64) {
        bump(&mut self.upstream_requests, value, window, 1);
    }

    pub(super) fn merge(&mut self, other: Breakdown) {
        for (mine, theirs) in self.matched.iter_mut().zip(other.matched) {
            merge_series(mine, theirs, VALUE_LIMIT);
        }
        merge_series(
            &mut self.upstream_requests,
            other.upstream_requests,
            VALUE_LIMIT,
        );
        merge_series(&mut self.cells, other.cells, CELL_LIMIT);
    }

    /// Matched requests per value of `dim` in windows `[from, to)`, most
    /// first.
    pub fn matched_in(&self, dim: Dim, from: i64, to: i64) -> Vec<(String, u64)> {
        totals(&self.matched[dim as usize], &[(from, to)])
    }

    /// Matched requests per value of `dim` in the windows of `ranges`
    /// (disjoint `[from, to)` pairs), most first.
    pub fn matched_over(&self, dim: Dim, ranges: &[(i64, i64)]) -> Vec<(String, u64)> {
        totals(&self.matched[dim as usize], ranges)
    }

    /// Matched requests of `value` in `dim`, per window start.
    pub fn matched_series(&self, dim: Dim, value: &str) -> Option<&PerWindow> {
        self.matched[dim as usize].get(value.as_bytes())
    }

    /// Requests of upstream `value`, per window start.
    pub fn upstream_requests_series(&self, value: &[u8]) -> Option<&PerWindow> {
        self.upstream_requests.get(value)
    }

    /// Requests per upstream in the windows of `ranges`, most first.
    pub fn upstream_requests_over(&self, ranges: &[(i64, i64)]) -> Vec<(String, u64)> {
        totals(&self.upstream_requests, ranges)
    }

    /// Drops the counts of windows before `t`.
    pub fn prune_before(&mut self, t: i64) {
        for series in self
            .matched
            .iter_mut()
            .chain([&mut self.upstream_requests, &mut self.cells])
        {
            series.retain(|_, per_window| {
                per_window.prune_before(t);
                !per_window.is_empty()
            });
        }
    }

    /// Keeps the [`VALUE_LIMIT`] values with the most counts in every
    /// dimension once all the counters are merged.
    pub fn finish(&mut self) {
        for series in self.matched.iter_mut().chain([&mut self.upstream_requests]) {
            compact(series, VALUE_LIMIT);
        }
        compact(&mut self.cells, CELL_LIMIT);
    }

    /// Whether any request named its upstream.
    pub fn has_upstreams(&self) -> bool {
        !self.upstream_requests.is_empty()
    }
}

fn merge_series(mine: &mut Series, theirs: Series, limit: usize) {
    for (value, per_window) in theirs {
        match mine.get_mut(&value) {
            Some(known) => known.merge(per_window),
            None => {
                // As while counting: never more than that.
                if mine.len() >= in_flight(limit) {
                    compact(mine, limit);
                }
                mine.insert(value, per_window);
            }
        }
    }
}

/// Keeps the `limit` values with the most counts, [`OTHER`]
/// included (ties by value, so the result does not depend on the order
/// values came in or on how the input was split among threads), and folds
/// the rest into [`OTHER`].
fn compact(series: &mut Series, limit: usize) {
    if series.len() <= limit {
        return;
    }
    let hash = |k: &[u8]| {
        use std::hash::{BuildHasher, Hasher};
        let mut h = rustc_hash::FxBuildHasher.build_hasher();
        h.write(k);
        h.finish()
    };
    let mut other = series.remove(OTHER.as_bytes()).unwrap_or_default();
    // The most counted first, ties by the value's hash and then the value:
    // a total order, so the values kept are the same whatever order they
    // came in (and ties rarely compare bytes). (total, hash, position).
    let mut order: Vec<(u64, u64, usize)> = series
        .iter()
        .enumerate()
        .map(|(i, (k, w))| (w.total(), hash(k), i))
        .collect();
    let keep = limit - 1;
    let before = |a: &(u64, u64, usize), b: &(u64, u64, usize), ka: &[u8], kb: &[u8]| {
        b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then_with(|| ka.cmp(kb))
    };
    if keep < order.len() {
        let keys: Vec<&[u8]> = series.keys().map(|k| &k[..]).collect();
        order.select_nth_unstable_by(keep, |a, b| before(a, b, keys[a.2], keys[b.2]));
    }
    // The first value left out: everything before it in the order stays.
    let Some(&cut) = order.get(keep) else {
        series.insert(OTHER.as_bytes().into(), other);
        return;
    };
    let cut_key: Box<[u8]> = series.keys().nth(cut.2).cloned().unwrap_or_default();
    series.retain(|k, w| {
        let kept = before(&(w.total(), hash(k), 0), &cut, k, &cut_key).is_lt();
        if !kept {
            other.merge(std::mem::take(w));
        }
        kept
    });
    series.insert(OTHER.as_bytes().into(), other);
}

/// Per value, the sum over the windows of `ranges`, most first, and
/// [`OTHER`] last whatever its count: it is no one value.
fn totals(series: &Series, ranges: &[(i64, i64)]) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = series
        .iter()
        .map(|(value, per_window)| {
            let n = ranges.iter().map(|&(a, z)| per_window.sum(a, z)).sum();
            (String::from_utf8_lossy(value).into_owned(), n)
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    out.sort_by(|a, b| {
        (a.0 == OTHER)
            .cmp(&(b.0 == OTHER))
            .then_with(|| b.1.cmp(&a.1))
            .then_with(|| a.0.cmp(&b.0))
    });
    out
}

/// The upstream that answered, from `$upstream_addr`: the last of a list
/// (`10.0.1.11:8080, 10.0.1.12:8080` after a retry, `… : 10.0.1.13:8080`
/// after an internal redirect to another group).
pub fn last_upstream(value: &[u8]) -> &[u8] {
    let comma = memchr::memrchr(b',', value).map(|p| p + 1);
    let group = memchr::memmem::rfind(value, b" : ").map(|p| p + 3);
    let last = &value[comma.max(group).unwrap_or(0)..];
    let start = last
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(last.len());
    &last[start..]
}

/// Whether `$upstream_addr` names more than one try (a retry on another
/// upstream, or an internal redirect).
pub fn retried(value: &[u8]) -> bool {
    memchr::memchr(b',', value).is_some() || memchr::memmem::find(value, b" : ").is_some()
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
        assert_eq!(
            last_upstream(b"10.0.0.5:8080, 10.0.0.6:8080 : 10.0.0.7:8080"),
            b"10.0.0.7:8080"
        );
        assert_eq!(last_upstream(b"unix:/run/app.sock"), b"unix:/run/app.sock");
        assert!(retried(b"10.0.0.5:8080 : 10.0.0.7:8080"));
        assert!(!retried(b"10.0.0.7:8080"));
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
            a.matched_in(Dim::Route, 0, 600),
            [("/x".to_string(), 2), ("/y".to_string(), 1)]
        );
        assert_eq!(a.matched_in(Dim::Route, 300, 600), [("/y".to_string(), 1)]);
        for i in 0..VALUE_LIMIT + 10 {
            a.matched(
                Dim::Client,
                format!("10.0.{}.{}", i / 256, i % 256).as_bytes(),
                0,
            );
        }
        a.finish();
        let clients = a.matched_in(Dim::Client, 0, 1);
        assert_eq!(clients.len(), VALUE_LIMIT);
        assert_eq!(clients.last(), Some(&("(other)".to_string(), 11)));
    }

    #[test]
    fn caps_keep_the_busiest_values_whatever_the_split() {
        // 200 scanners with 5 failures each among 120,000 one-off clients,
        // counted in one breakdown or in two in another order: the same
        // values survive, and every scanner is among them.
        let scanner = |i: usize| format!("45.1.{}.{}", i / 256, i % 256);
        let one_off = |i: usize| format!("10.{}.{}.{}", i / 65536, i / 256 % 256, i % 256);
        let mut whole = Breakdown::default();
        let (mut a, mut b) = (Breakdown::default(), Breakdown::default());
        for i in 0..120_000 {
            whole.matched(Dim::Client, one_off(i).as_bytes(), 0);
            let half = if i % 2 == 0 { &mut a } else { &mut b };
            half.matched(Dim::Client, one_off(119_999 - i).as_bytes(), 0);
            if i % 600 == 0 {
                for s in 0..200 {
                    whole.matched(Dim::Client, scanner(s).as_bytes(), 0);
                    let half = if s % 2 == 0 { &mut b } else { &mut a };
                    half.matched(Dim::Client, scanner(s).as_bytes(), 0);
                }
            }
        }
        a.merge(b);
        whole.finish();
        a.finish();
        let (x, y) = (
            whole.matched_in(Dim::Client, 0, 1),
            a.matched_in(Dim::Client, 0, 1),
        );
        assert_eq!(x, y);
        assert_eq!(x.len(), VALUE_LIMIT);
        assert!((0..200).all(|s| x.iter().any(|(c, n)| *c == scanner(s) && *n == 200)));
    }

    #[test]
    fn per_window_counts_whatever_the_order() {
        // Windows 0..100 (step 10), each added `w % 7 + 1` times, in a
        // scrambled order, half into one series and half into another.
        let mut order: Vec<i64> = (0..100)
            .flat_map(|w| vec![w * 10; (w % 7 + 1) as usize])
            .collect();
        order.reverse();
        order.rotate_left(37);
        let (mut a, mut b) = (PerWindow::default(), PerWindow::default());
        for (i, &w) in order.iter().enumerate() {
            if i % 2 == 0 {
                a.add(w, 1)
            } else {
                b.add(w, 1)
            }
        }
        a.merge(b);
        assert_eq!(a.len(), 100);
        assert_eq!(a.span(), Some((0, 990)));
        assert_eq!(a.get(130), Some(13 % 7 + 1));
        assert_eq!(a.get(135), None);
        let expected: u64 = (20..50).map(|w| w % 7 + 1).sum();
        assert_eq!(a.sum(200, 500), expected);
        assert_eq!(a.sum(500, 200), 0);
        a.prune_before(500);
        assert_eq!(a.span(), Some((500, 990)));
        let few = PerWindow::one(5, 2);
        assert_eq!((few.sum(0, 10), few.sum(6, 10)), (2, 0));
    }
}
