//! Which windows hold more matched requests than their traffic explains.
//!
//! Each window's expected count is its requests times a baseline rate: the
//! pooled rate of the trailing [`TRAILING`] of windows that are not flagged,
//! shrunk toward the rate of the whole clean period (a prior worth
//! [`PRIOR_REQUESTS`] requests). A window is flagged when its count is at
//! least `min_count`, at least [`MIN_RATIO`] times the expectation, and the
//! Poisson probability of seeing that many by chance is below `alpha`.
//! Flagging repeats until stable, so bursts never raise their own baseline.

/// How far back the baseline looks, in seconds.
pub const TRAILING: i64 = 24 * 3600;
/// Weight of the whole period's clean rate in a window's baseline, in requests.
pub const PRIOR_REQUESTS: f64 = 2000.0;
/// Most flagging passes (a long outage needs one pass per stretch of a
/// day it covers).
const MAX_PASSES: usize = 200;
/// A flagged window has at least this many times its expected count.
pub const MIN_RATIO: f64 = 3.0;

/// The counts of one window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Window start, UTC seconds.
    pub start: i64,
    /// Requests.
    pub requests: u64,
    /// Matched requests (persistent patterns left out).
    pub matched: u64,
}

/// The verdict on each window of a series.
#[derive(Debug, Clone, PartialEq)]
pub struct Flags {
    /// Whether the window is anomalous.
    pub flagged: Vec<bool>,
    /// Its expected matched count.
    pub expected: Vec<f64>,
    /// The clean rate of the whole period.
    pub clean_rate: f64,
}

/// Flags the windows of `points` (sorted by start, windows without requests
/// left out).
pub fn flag(points: &[Point], alpha: f64, min_count: u64) -> Flags {
    let n = points.len();
    let mut flagged = vec![false; n];
    let mut expected = vec![0.0; n];
    let mut clean_rate = 0.0;
    // Until stable; each pass flags at least one more or one fewer window,
    // and in practice a handful of passes settle it.
    for _ in 0..MAX_PASSES {
        let (mut clean_m, mut clean_r) = (0u64, 0u64);
        for (p, f) in points.iter().zip(&flagged) {
            if !f {
                clean_m += p.matched;
                clean_r += p.requests;
            }
        }
        clean_rate = (clean_m as f64 + 0.5) / (clean_r as f64 + 1.0);
        // Trailing sums over clean windows, by two pointers.
        let (mut lo, mut sum_m, mut sum_r) = (0usize, 0u64, 0u64);
        let mut next = vec![false; n];
        for i in 0..n {
            while lo < i && points[lo].start < points[i].start - TRAILING {
                if !flagged[lo] {
                    sum_m -= points[lo].matched;
                    sum_r -= points[lo].requests;
                }
                lo += 1;
            }
            let rate =
                (sum_m as f64 + clean_rate * PRIOR_REQUESTS) / (sum_r as f64 + PRIOR_REQUESTS);
            let p = points[i];
            let lambda = rate * p.requests as f64;
            expected[i] = lambda;
            next[i] = p.matched >= min_count
                && p.matched as f64 >= MIN_RATIO * lambda
                && poisson_sf(p.matched, lambda) < alpha;
            if !flagged[i] {
                sum_m += p.matched;
                sum_r += p.requests;
            }
        }
        if next == flagged {
            break;
        }
        flagged = next;
    }
    Flags {
        flagged,
        expected,
        clean_rate,
    }
}

/// P(X >= k) for X ~ Poisson(lambda), summed from `k` upward in log space.
pub fn poisson_sf(k: u64, lambda: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if lambda <= 0.0 {
        return 0.0;
    }
    if (k as f64) <= lambda {
        return 1.0; // not in the upper tail: never significant
    }
    let ln_lambda = lambda.ln();
    let mut term = -lambda + k as f64 * ln_lambda - ln_factorial(k);
    let mut sum = 0.0;
    let mut j = k;
    loop {
        let t = term.exp();
        sum += t;
        // Terms fall once j passes λ; stop when they no longer count (or
        // when the first one already underflowed to zero).
        if t <= sum * 1e-12 || j > k + 100_000 {
            break;
        }
        j += 1;
        term += ln_lambda - (j as f64).ln();
    }
    sum.min(1.0)
}

/// ln(k!) by Stirling's series (exact sum below 20).
fn ln_factorial(k: u64) -> f64 {
    if k < 20 {
        return (2..=k).map(|i| (i as f64).ln()).sum();
    }
    let x = k as f64;
    x * x.ln() - x + 0.5 * (2.0 * std::f64::consts::PI * x).ln() + 1.0 / (12.0 * x)
        - 1.0 / (360.0 * x.powi(3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_tail() {
        // P(X >= 1) = 1 - e^-λ.
        assert!((poisson_sf(1, 0.5) - (1.0 - (-0.5f64).exp())).abs() < 1e-9);
        // P(X >= 10 | λ = 1) ≈ 1.114e-7.
        assert!((poisson_sf(10, 1.0) / 1.114e-7 - 1.0).abs() < 0.01);
        assert_eq!(poisson_sf(0, 3.0), 1.0);
        assert_eq!(poisson_sf(5, 0.0), 0.0);
        assert!(poisson_sf(1000, 10.0) < 1e-300 || poisson_sf(1000, 10.0) == 0.0);
        assert!((ln_factorial(25) - (1..=25).map(|i| (i as f64).ln()).sum::<f64>()).abs() < 1e-9);
    }

    fn series(matched: &[u64]) -> Vec<Point> {
        matched
            .iter()
            .enumerate()
            .map(|(i, &m)| Point {
                start: i as i64 * 300,
                requests: 1000,
                matched: m,
            })
            .collect()
    }

    #[test]
    fn a_burst_stands_out_and_lone_matches_do_not() {
        let mut m = vec![0u64; 300];
        for i in (0..300).step_by(37) {
            m[i] = 1; // a stray 501 now and then
        }
        for x in &mut m[150..156] {
            *x = 120;
        }
        let f = flag(&series(&m), 1e-6, 5);
        let hits: Vec<usize> = (0..300).filter(|&i| f.flagged[i]).collect();
        assert_eq!(hits, (150..156).collect::<Vec<_>>());
        assert!(f.clean_rate < 0.0001);
    }

    #[test]
    fn a_steady_rate_is_no_burst() {
        // 2% all along, Poisson-like wobble: nothing is flagged.
        let m: Vec<u64> = (0..500).map(|i| 20 + (i * 7 % 11) as u64 - 5).collect();
        let f = flag(&series(&m), 1e-6, 5);
        assert!(f.flagged.iter().all(|x| !x));
    }
}
