//! The series detection scans: one per segment (the whole site, each device
//! group, each method class, each upstream, each method and route), each a
//! count of matched requests and of requests per window of the grid.
//!
//! Matched counts of a segment come from the per-window counters or from
//! the cells of the matched requests; persistent patterns are taken out of
//! every series they fall in, so a monitor's steady 501s hide nothing.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::aggregate::breakdown::{Cell, MethodClass, WindowStats};
use crate::aggregate::Aggregate;
use crate::aggregate::DETECTION_WINDOW;
use crate::device::{Device, DEVICES};

/// A part of the traffic detection looks at on its own.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    /// Every request.
    All,
    /// One device group.
    Device(Device),
    /// One method class.
    Method(MethodClass),
    /// Requests one upstream answered.
    Upstream(Vec<u8>),
    /// One method on one route.
    Group {
        /// Method token.
        method: Vec<u8>,
        /// Normalised route.
        route: Vec<u8>,
    },
}

impl Segment {
    /// Whether a matched request of `cell` belongs to the segment.
    pub fn contains(&self, cell: &Cell) -> bool {
        match self {
            Segment::All => true,
            Segment::Device(d) => cell.device == *d as usize,
            Segment::Method(m) => MethodClass::of(cell.method) == *m,
            Segment::Upstream(u) => cell.upstream == Some(u.as_slice()),
            Segment::Group { method, route } => cell.method == method && cell.route == route,
        }
    }

    /// Method and route bytes as the groups key them (`method NUL route`).
    pub fn group_key(method: &[u8], route: &[u8]) -> Vec<u8> {
        let mut key = Vec::with_capacity(method.len() + route.len() + 1);
        key.extend_from_slice(method);
        key.push(0);
        key.extend_from_slice(route);
        key
    }
}

/// Upstreams scanned on their own, the most matched first.
pub const UPSTREAM_SEGMENTS: usize = 64;
/// Method+route groups scanned on their own, the most matched first.
pub const GROUP_SEGMENTS: usize = 256;
/// Fewest matched requests a segment needs in the whole period to be
/// scanned on its own.
const MIN_SEGMENT_MATCHES: u64 = 8;

/// The windows detection works on: every window with requests, in order,
/// [`DETECTION_WINDOW`] long whatever the report's window (or the nearest
/// multiple of the counters' step below it), so the verdict does not depend
/// on `--window`.
#[derive(Debug, Clone)]
pub struct Grid {
    /// Window starts, UTC seconds.
    pub starts: Vec<i64>,
    /// Window length, seconds.
    pub window: i64,
    /// The counts of each window, rolled up from the counters' step.
    pub stats: Vec<WindowStats>,
    /// The share of each window the counts cover: 1 but for a window still
    /// open in live mode.
    pub coverage: Vec<f64>,
    index: FxHashMap<i64, usize>,
}

/// Which windows detection sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Horizon {
    /// All of them (a batch run, or the end of live mode).
    All,
    /// Those that end by this time (live mode: the closed ones).
    Closed(i64),
    /// Those up to the one holding this second, the log's clock in live
    /// mode: that one is still open, its counts cover only its seconds up
    /// to the clock.
    Open(i64),
}

impl Grid {
    /// The windows of `agg`, whose counters are kept every `step` seconds,
    /// that have requests and are inside `horizon`.
    pub fn new(agg: &Aggregate, step: i64, horizon: Horizon) -> Grid {
        let window = (DETECTION_WINDOW / step).max(1) * step;
        let seen = |start: i64| match horizon {
            Horizon::All => true,
            Horizon::Closed(u) => start.saturating_add(window) <= u,
            Horizon::Open(clock) => start <= clock,
        };
        let mut rolled: FxHashMap<i64, WindowStats> = FxHashMap::default();
        for (w, s) in agg.windows.iter().chain(&agg.outside) {
            let start = w.div_euclid(window) * window;
            if seen(start) {
                rolled.entry(start).or_default().merge(s);
            }
        }
        let mut windows: Vec<(i64, WindowStats)> = rolled
            .into_iter()
            .filter(|(_, s)| s.counts.requests > 0)
            .collect();
        windows.sort_unstable_by_key(|(w, _)| *w);
        let (starts, stats) = windows.into_iter().unzip();
        let mut grid = Grid::of(starts, stats, window);
        if let (Horizon::Open(clock), Some(&last)) = (horizon, grid.starts.last()) {
            let covered = (clock - last + 1).clamp(1, window);
            if let Some(c) = grid.coverage.last_mut() {
                *c = covered as f64 / window as f64;
            }
        }
        grid
    }

    /// A grid of sorted window starts and their counts, each window
    /// complete.
    pub fn of(starts: Vec<i64>, stats: Vec<WindowStats>, window: i64) -> Grid {
        let index = starts.iter().enumerate().map(|(i, w)| (*w, i)).collect();
        Grid {
            coverage: vec![1.0; starts.len()],
            starts,
            window,
            stats,
            index,
        }
    }

    /// Whether the last window is still open (its counts partial).
    pub fn open(&self) -> bool {
        self.coverage.last().is_some_and(|c| *c < 1.0)
    }

    /// The position of the window holding second `t`, if it is on the grid.
    pub fn at(&self, t: i64) -> Option<usize> {
        self.index
            .get(&t.div_euclid(self.window).wrapping_mul(self.window))
            .copied()
    }

    /// Number of windows.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Whether there is no window.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// `[start of window first, end of window last)`.
    pub fn span(&self, first: usize, last: usize) -> (i64, i64) {
        (self.starts[first], self.starts[last] + self.window)
    }
}

/// One segment's counts on the grid.
#[derive(Debug, Clone)]
pub struct Series {
    /// Which segment.
    pub segment: Segment,
    /// Matched requests per window (persistent patterns left out).
    pub matched: Vec<f64>,
    /// Requests per window (estimated from the segment's share of all
    /// requests where no per-window count exists).
    pub requests: Vec<f64>,
    /// Whether `requests` are estimates.
    pub estimated: bool,
}

impl Series {
    fn zeros(segment: Segment, n: usize) -> Series {
        Series {
            segment,
            matched: vec![0.0; n],
            requests: vec![0.0; n],
            estimated: false,
        }
    }

    /// Total matched requests.
    pub fn total(&self) -> f64 {
        self.matched.iter().sum()
    }
}

/// The series of every segment worth scanning, the whole site first.
/// `hidden` holds the group keys (`method NUL route`) of persistent
/// patterns, taken out of every series.
pub fn build(agg: &Aggregate, grid: &Grid, hidden: &FxHashSet<Vec<u8>>) -> Vec<Series> {
    let n = grid.len();
    let mut all = Series::zeros(Segment::All, n);
    let mut devices: Vec<Series> = Device::ALL
        .iter()
        .map(|d| Series::zeros(Segment::Device(*d), n))
        .collect();
    let mut methods: Vec<Series> = MethodClass::ALL
        .iter()
        .map(|m| Series::zeros(Segment::Method(*m), n))
        .collect();
    for (i, w) in grid.stats.iter().enumerate() {
        all.matched[i] = w.counts.matched as f64;
        all.requests[i] = w.counts.requests as f64;
        for (s, c) in devices.iter_mut().zip(&w.devices) {
            s.matched[i] = c.matched as f64;
            s.requests[i] = c.requests as f64;
        }
        for (s, c) in methods.iter_mut().zip(&w.methods) {
            s.matched[i] = c.matched as f64;
            s.requests[i] = c.requests as f64;
        }
    }

    // Persistent patterns out of every series they are in.
    for (cell, counts) in agg.breakdown.cells() {
        let Some(cell) = cell.filter(|c| hidden.contains(&Segment::group_key(c.method, c.route)))
        else {
            continue;
        };
        let method = MethodClass::of(cell.method) as usize;
        for (w, count) in counts.iter() {
            let Some(i) = grid.at(w) else { continue };
            for s in [&mut all, &mut devices[cell.device.min(DEVICES - 1)]]
                .into_iter()
                .chain(methods.get_mut(method))
            {
                s.matched[i] = (s.matched[i] - count as f64).max(0.0);
            }
        }
    }
    let mut out = vec![all];
    out.extend(
        devices
            .into_iter()
            .filter(|s| s.total() >= MIN_SEGMENT_MATCHES as f64),
    );
    out.extend(
        methods
            .into_iter()
            .filter(|s| s.total() >= MIN_SEGMENT_MATCHES as f64),
    );
    out.extend(upstream_series(agg, grid, hidden));
    let site = out[0].requests.clone();
    out.extend(group_series(agg, grid, hidden, &site));
    out
}

/// The matched requests per window of the `limit` keys with the most
/// matches (at least [`MIN_SEGMENT_MATCHES`], ties by key), a key being
/// what `key_of` makes of a cell (`None`: not counted); persistent
/// patterns left out. Totals are summed first, so only the kept keys get
/// a series.
fn top_series(
    agg: &Aggregate,
    grid: &Grid,
    hidden: &FxHashSet<Vec<u8>>,
    limit: usize,
    key_of: impl Fn(&Cell) -> Option<Vec<u8>>,
) -> Vec<(Vec<u8>, Vec<f64>)> {
    let counted = |cell: &Cell| {
        if hidden.contains(&Segment::group_key(cell.method, cell.route)) {
            None
        } else {
            key_of(cell)
        }
    };
    let mut totals: FxHashMap<Vec<u8>, u64> = FxHashMap::default();
    for (cell, counts) in agg.breakdown.cells() {
        if let Some(key) = cell.as_ref().and_then(&counted) {
            *totals.entry(key).or_default() += counts.iter().map(|(_, n)| n).sum::<u64>();
        }
    }
    let mut top: Vec<(Vec<u8>, u64)> = totals
        .into_iter()
        .filter(|(_, t)| *t >= MIN_SEGMENT_MATCHES)
        .collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    top.truncate(limit);
    let mut series: FxHashMap<Vec<u8>, Vec<f64>> = top
        .into_iter()
        .map(|(k, _)| (k, vec![0.0; grid.len()]))
        .collect();
    for (cell, counts) in agg.breakdown.cells() {
        let Some(s) = cell
            .as_ref()
            .and_then(&counted)
            .and_then(|k| series.get_mut(&k))
        else {
            continue;
        };
        for (w, n) in counts.iter() {
            if let Some(i) = grid.at(w) {
                s[i] += n as f64;
            }
        }
    }
    let mut out: Vec<(Vec<u8>, Vec<f64>)> = series.into_iter().collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The busiest upstreams' series, with their per-window requests.
fn upstream_series(agg: &Aggregate, grid: &Grid, hidden: &FxHashSet<Vec<u8>>) -> Vec<Series> {
    let picked = top_series(agg, grid, hidden, UPSTREAM_SEGMENTS, |c| {
        c.upstream.map(<[u8]>::to_vec)
    });
    picked
        .into_iter()
        .map(|(name, matched)| {
            let mut requests = vec![0.0; grid.len()];
            if let Some(per_window) = agg.breakdown.upstream_requests_series(&name) {
                for (w, n) in per_window.iter() {
                    if let Some(i) = grid.at(w) {
                        requests[i] += n as f64;
                    }
                }
            }
            Series {
                segment: Segment::Upstream(name),
                matched,
                requests,
                estimated: false,
            }
        })
        .collect()
}

/// The busiest groups' series; their requests per window are the site's
/// times the group's share of all requests.
fn group_series(
    agg: &Aggregate,
    grid: &Grid,
    hidden: &FxHashSet<Vec<u8>>,
    site: &[f64],
) -> Vec<Series> {
    let totals = agg.group_counts();
    let all: u64 = totals.values().map(|c| c.requests).sum();
    let picked = top_series(agg, grid, hidden, GROUP_SEGMENTS, |c| {
        Some(Segment::group_key(c.method, c.route))
    });
    picked
        .into_iter()
        .map(|(key, matched)| {
            let requests = totals.get(key.as_slice()).map_or(0, |c| c.requests);
            let share = requests as f64 / all.max(1) as f64;
            let (method, route) = match memchr::memchr(0, &key) {
                Some(p) => (key[..p].to_vec(), key[p + 1..].to_vec()),
                None => (Vec::new(), key),
            };
            Series {
                segment: Segment::Group { method, route },
                matched,
                requests: site.iter().map(|r| r * share).collect(),
                estimated: true,
            }
        })
        .collect()
}
