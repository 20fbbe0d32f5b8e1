//! Runs of windows in which a series holds more matched requests than its
//! baseline explains, each scored as a whole.
//!
//! A segment's baseline rate is an upper bound (two standard deviations)
//! of its pooled match rate over the windows outside its runs, with a prior
//! worth up to [`PRIOR_REQUESTS`] requests (never more than a tenth of the
//! segment's traffic) toward the site's rate. So a burst never raises its
//! own baseline, the rest of a file is the baseline of its first window,
//! and a segment with little traffic outside its runs claims no low rate. A window is
//! *hot* when it holds at least [`MIN_RATIO`] times its expected count and
//! that many is unlikely by chance. Hot windows join into a run across
//! quiet windows as long as the run's own intensity would have put few
//! matches in them, so a faint failure (one or two 501s per window at
//! night) is one run, while a stray 501 after a stark burst is not part of
//! it. A run is kept when its evidence over all its windows, the Poisson
//! log-likelihood ratio of its matched count against its expected count, is
//! above the threshold: many faint windows add up, one lone 501 does not.

use super::baseline::poisson_sf;
use super::series::{Grid, Series};

/// Weight of the site's rate in a segment's baseline, in requests.
pub const PRIOR_REQUESTS: f64 = 2000.0;
/// A hot window, and a kept run, holds at least this many times its
/// expected count.
pub const MIN_RATIO: f64 = 3.0;
/// A hot window's count has at most this chance under the baseline.
const HOT_P: f64 = 0.25;
/// Matches a run's intensity may expect in the quiet windows it bridges
/// (a chance of e^-8 that the run went on through them unseen).
const BRIDGE_EXPECTED: f64 = 8.0;
/// Matches a run's intensity in time may expect in the quiet windows it
/// bridges: more lenient, since traffic itself ebbs (a faint failure at
/// night), while a scanner's dense minutes stay apart from the next one's.
const BRIDGE_EXPECTED_IN_TIME: f64 = 16.0;
/// The longest quiet stretch a run bridges, seconds.
const MAX_BRIDGE: i64 = 3600;
/// A window this unlikely under the pooled rate is left out of the first
/// baseline.
const OUTLIER_P: f64 = 1e-4;
/// Baseline passes at most (each settles which windows are in runs).
const PASSES: usize = 6;

/// What makes a run a burst.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Log-likelihood ratio a run needs.
    pub threshold: f64,
    /// Matched requests a run needs.
    pub min_matched: f64,
}

impl Params {
    /// Whether `run` has the matches, the ratio and the evidence of a
    /// burst.
    pub fn holds(&self, run: &Run) -> bool {
        run.matched >= self.min_matched
            && run.matched >= MIN_RATIO * run.expected
            && run.score >= self.threshold
    }
}

/// Consecutive windows of a series with more matches than expected.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Run {
    /// First window, on the grid.
    pub first: usize,
    /// Last window, on the grid.
    pub last: usize,
    /// Matched requests in its windows.
    pub matched: f64,
    /// What the baseline expected there.
    pub expected: f64,
    /// Log-likelihood ratio of `matched` against `expected`.
    pub score: f64,
}

/// The result of scanning one series.
#[derive(Debug, Clone)]
pub struct Scan {
    /// Kept runs, in time order.
    pub runs: Vec<Run>,
    /// Expected matched requests per window.
    pub expected: Vec<f64>,
    /// The baseline rate.
    pub rate: f64,
}

/// Poisson log-likelihood ratio of `n` observed against `e` expected (0
/// when `n` is not above `e`).
pub fn llr(n: f64, e: f64) -> f64 {
    let e = e.max(1e-6);
    if n <= e {
        0.0
    } else {
        n * (n / e).ln() - (n - e)
    }
}

/// Scans `s` on `grid`; `prior_rate` is the site's baseline rate, which
/// a segment's baseline is pulled toward (`None` for the site itself).
pub fn scan(s: &Series, grid: &Grid, prior_rate: Option<f64>, p: &Params) -> Scan {
    let total_r: f64 = s.requests.iter().sum();
    // The prior never outweighs a tenth of the segment's own traffic.
    let weight = PRIOR_REQUESTS.min(0.1 * total_r);
    let (prior_m, prior_r) = prior_rate.map_or((0.0, 1.0), |r| (r * weight, weight.max(1.0)));
    let n = s.matched.len();
    let (m, r) = (&s.matched, &s.requests);
    let pooled = (s.total() + 0.5) / (r.iter().sum::<f64>() + 1.0);
    let mut out: Vec<bool> = (0..n)
        .map(|i| m[i] >= 3.0 && poisson_sf(m[i] as u64, pooled * r[i]) < OUTLIER_P)
        .collect();
    let mut result = Scan {
        runs: Vec::new(),
        expected: vec![0.0; n],
        rate: pooled,
    };
    for _ in 0..PASSES {
        let (mut cm, mut cr) = (0.0, 0.0);
        for i in (0..n).filter(|&i| !out[i]) {
            cm += m[i];
            cr += r[i];
        }
        // An upper bound of the rate, not its estimate: a segment with
        // little traffic outside its runs proves little about its rate.
        let rate = (cm + 1.0 + 2.0 * (cm + 1.0).sqrt() + prior_m) / (cr + prior_r);
        let expected: Vec<f64> = r.iter().map(|r| r * rate).collect();
        let runs = runs(m, r, &expected, grid, p);
        let mut next = vec![false; n];
        for run in &runs {
            next[run.first..=run.last]
                .iter_mut()
                .for_each(|x| *x = true);
        }
        let stable = next == out;
        result = Scan {
            runs,
            expected,
            rate,
        };
        if stable {
            break;
        }
        out = next;
    }
    result
}

/// Whether window `i` is hot.
fn hot(m: f64, e: f64) -> bool {
    m >= 1.0 && m >= MIN_RATIO * e && poisson_sf(m as u64, e) < HOT_P
}

/// The kept runs of hot windows.
fn runs(m: &[f64], r: &[f64], e: &[f64], grid: &Grid, p: &Params) -> Vec<Run> {
    let mut out = Vec::new();
    let mut lo = 0;
    while let Some((first, last)) = next_run(m, r, e, grid, lo, m.len()) {
        lo = last + 1;
        // The strongest part of the run: a stark burst does not keep the
        // stray 501s it bridged to.
        let (a, z) = strongest(m, e, first, last);
        let matched: f64 = m[a..=z].iter().sum();
        let expected: f64 = e[a..=z].iter().sum();
        let run = Run {
            first: a,
            last: z,
            matched,
            expected,
            score: llr(matched, expected),
        };
        if p.holds(&run) {
            out.push(run);
        }
    }
    out
}

/// The first run of hot windows in `lo..hi`, bridged across quiet ones.
fn next_run(
    m: &[f64],
    r: &[f64],
    e: &[f64],
    grid: &Grid,
    lo: usize,
    hi: usize,
) -> Option<(usize, usize)> {
    let first = (lo..hi).find(|&i| hot(m[i], e[i]))?;
    let mut last = first;
    let (mut rm, mut rr) = (m[first], r[first]);
    for j in first + 1..hi {
        let quiet_secs = grid.starts[j] - (grid.starts[last] + grid.window);
        if quiet_secs > MAX_BRIDGE.max(2 * grid.window) {
            break;
        }
        if hot(m[j], e[j]) {
            // The quiet windows between `last` and `j`, at the run's
            // intensity per request and per second, would have held this
            // many matches (a scanner's segment has few requests, but its
            // burst is dense in time).
            let gap_requests: f64 = r[last + 1..j].iter().sum();
            let run_secs = (grid.starts[last] + grid.window - grid.starts[first]) as f64;
            let per_request = rm / rr.max(1e-9) * gap_requests;
            let per_second = rm / run_secs.max(1.0) * quiet_secs as f64;
            if per_request > BRIDGE_EXPECTED || per_second > BRIDGE_EXPECTED_IN_TIME {
                break;
            }
            for k in last + 1..=j {
                rm += m[k];
                rr += r[k];
            }
            last = j;
        }
    }
    Some((first, last))
}

/// Hot windows a run may have for its strongest part to be searched.
const STRONGEST_SEARCH: usize = 400;

/// The part of `first..=last` between two hot windows with the highest
/// log-likelihood ratio.
fn strongest(m: &[f64], e: &[f64], first: usize, last: usize) -> (usize, usize) {
    let ends: Vec<usize> = (first..=last).filter(|&i| hot(m[i], e[i])).collect();
    if ends.len() > STRONGEST_SEARCH {
        return (first, last);
    }
    let mut best = (first, last, f64::MIN);
    for (k, &a) in ends.iter().enumerate() {
        let (mut n, mut x, mut at) = (0.0, 0.0, a);
        for &z in &ends[k..] {
            while at <= z {
                n += m[at];
                x += e[at];
                at += 1;
            }
            let score = llr(n, x);
            if score > best.2 {
                best = (a, z, score);
            }
        }
    }
    (best.0, best.1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::series::Segment;

    fn grid(n: usize) -> Grid {
        Grid::of(
            (0..n as i64).map(|i| i * 300).collect(),
            vec![Default::default(); n],
            300,
        )
    }

    fn series(m: Vec<f64>, r: f64) -> Series {
        let n = m.len();
        Series {
            segment: Segment::All,
            matched: m,
            requests: vec![r; n],
            estimated: false,
        }
    }

    const P: Params = Params {
        threshold: 14.0,
        min_matched: 10.0,
    };

    #[test]
    fn a_faint_sustained_failure_is_one_run_and_strays_are_none() {
        // 288 windows of 40 requests; a stray 501 every 40 windows; windows
        // 20..56 (3 hours) fail one or two requests most of the time.
        let mut m = vec![0.0; 288];
        for i in (0..288).step_by(40) {
            m[i] = 1.0;
        }
        for (k, x) in m[21..57].iter_mut().enumerate() {
            *x = [1.0, 2.0, 0.0, 1.0, 1.0][k % 5];
        }
        let s = scan(&series(m, 40.0), &grid(288), None, &P);
        assert_eq!(s.runs.len(), 1, "{:?}", s.runs);
        assert_eq!((s.runs[0].first, s.runs[0].last), (21, 56));
    }

    #[test]
    fn quiet_windows_end_a_stark_burst() {
        let mut m = vec![0.0; 100];
        m[40..44].iter_mut().for_each(|x| *x = 50.0);
        m[47] = 1.0; // a stray 501 three windows later
        let s = scan(&series(m, 100.0), &grid(100), None, &P);
        assert_eq!(s.runs.len(), 1);
        assert_eq!((s.runs[0].first, s.runs[0].last), (40, 43));
    }

    #[test]
    fn the_first_window_has_the_rest_as_its_baseline() {
        // 100% of a huge first window, 5% afterwards.
        let mut m = vec![50.0; 50];
        m[0] = 1000.0;
        let s = scan(&series(m, 1000.0), &grid(50), None, &P);
        assert_eq!(s.runs.len(), 1);
        assert_eq!((s.runs[0].first, s.runs[0].last), (0, 0));
        assert!((s.rate - 0.05).abs() < 0.01, "{}", s.rate);
    }

    #[test]
    fn a_steady_rate_has_no_run() {
        let m: Vec<f64> = (0..500).map(|i| (20 + (i * 7 % 11) - 5) as f64).collect();
        assert!(scan(&series(m, 1000.0), &grid(500), None, &P)
            .runs
            .is_empty());
    }
}
