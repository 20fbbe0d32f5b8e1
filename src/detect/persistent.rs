//! Patterns that fail all along: one method on one route answering nearly
//! every request with a matched status over most of the period. They are
//! set apart before any series is scanned, however many there are, so they
//! neither hide a burst nor raise a baseline.
//!
//! A pattern whose matched count per window stays flat whatever the
//! traffic (an uptime monitor asking every minute with a method the
//! location does not implement) is a *steady source*: a count, not a rate,
//! and no incident. One that follows the traffic (every user who opens the
//! page fails) is a persistent failure and becomes a burst of its own.

use rustc_hash::FxHashMap;

use super::series::{Grid, Segment};
use crate::aggregate::Aggregate;

/// Fewest requests a persistent pattern has.
const MIN_REQUESTS: u64 = 20;
/// Smallest share of its requests a persistent pattern fails.
const MIN_RATE: f64 = 0.8;
/// Smallest share of the period its failures span.
const MIN_SPREAD: f64 = 0.5;
/// Fewest windows with failures.
const MIN_WINDOWS: usize = 6;
/// A steady source's count per window varies less than this (coefficient
/// of variation)...
const STEADY_CV: f64 = 0.5;
/// ...and follows the site's traffic less than this (correlation).
const STEADY_CORRELATION: f64 = 0.5;

/// A method and route that fail all along.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    /// Its group key, `method NUL route`.
    pub key: Vec<u8>,
    /// Method token.
    pub method: String,
    /// Normalised route.
    pub route: String,
    /// Matched requests.
    pub matched: u64,
    /// All its requests.
    pub requests: u64,
    /// Start of its first window with a failure and end of its last.
    pub span: (i64, i64),
    /// Windows of the grid its failures fall in.
    pub windows: usize,
    /// Its failures spread over the period (0..1).
    pub spread: f64,
    /// A flat count whatever the traffic: a monitor, not an incident.
    pub steady: bool,
}

/// The persistent patterns of `agg` on `grid`, by route and key.
pub fn find(agg: &Aggregate, grid: &Grid) -> Vec<Pattern> {
    let (Some(&first), Some(&last)) = (grid.starts.first(), grid.starts.last()) else {
        return Vec::new();
    };
    let period = (last - first + grid.window) as f64;
    let mut candidates: FxHashMap<Vec<u8>, (u64, u64)> = agg
        .group_counts()
        .iter()
        .filter(|(k, c)| {
            c.requests >= MIN_REQUESTS
                && c.matched as f64 >= MIN_RATE * c.requests as f64
                && !k.ends_with(crate::aggregate::breakdown::OTHER.as_bytes())
        })
        .map(|(k, c)| (k.to_vec(), (c.matched, c.requests)))
        .collect();
    if candidates.is_empty() {
        return Vec::new();
    }
    // Their failures per grid window, from the cells.
    let mut per_window: FxHashMap<Vec<u8>, Vec<f64>> = FxHashMap::default();
    for (cell, counts) in agg.breakdown.cells() {
        let Some(cell) = cell else { continue };
        let key = Segment::group_key(cell.method, cell.route);
        if !candidates.contains_key(&key) {
            continue;
        }
        let series = per_window
            .entry(key)
            .or_insert_with(|| vec![0.0; grid.len()]);
        for (w, n) in counts.iter() {
            if let Some(i) = grid.at(w) {
                series[i] += n as f64;
            }
        }
    }
    // A window still open is judged by its pace, not its partial count.
    let site: Vec<f64> = grid
        .stats
        .iter()
        .zip(&grid.coverage)
        .map(|(s, c)| s.counts.requests as f64 / c)
        .collect();
    let mut out: Vec<Pattern> = per_window
        .into_iter()
        .filter_map(|(key, mut series)| {
            series
                .iter_mut()
                .zip(&grid.coverage)
                .for_each(|(n, c)| *n /= c);
            let (matched, requests) = candidates.remove(&key)?;
            let hit: Vec<usize> = (0..series.len()).filter(|&i| series[i] > 0.0).collect();
            let (&a, &z) = (hit.first()?, hit.last()?);
            let span = grid.span(a, z);
            let spread = (span.1 - span.0) as f64 / period;
            if hit.len() < MIN_WINDOWS || spread < MIN_SPREAD {
                return None;
            }
            let steady = is_steady(&series[a..=z], &site[a..=z]);
            let (method, route) = match memchr::memchr(0, &key) {
                Some(p) => (&key[..p], &key[p + 1..]),
                None => (&key[..0], &key[..]),
            };
            Some(Pattern {
                method: String::from_utf8_lossy(method).into_owned(),
                route: String::from_utf8_lossy(route).into_owned(),
                key,
                matched,
                requests,
                span,
                windows: hit.len(),
                spread,
                steady,
            })
        })
        .collect();
    out.sort_by(|a, b| (&a.route, &a.key).cmp(&(&b.route, &b.key)));
    out
}

/// Whether `counts` stay flat and do not follow `traffic`.
fn is_steady(counts: &[f64], traffic: &[f64]) -> bool {
    let n = counts.len() as f64;
    let mean = counts.iter().sum::<f64>() / n;
    let var = counts.iter().map(|c| (c - mean).powi(2)).sum::<f64>() / n;
    let cv = var.sqrt() / mean.max(1e-9);
    cv < STEADY_CV && correlation(counts, traffic) < STEADY_CORRELATION
}

/// Pearson correlation (0 when either side is flat).
fn correlation(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut cov, mut va, mut vb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        cov += (x - ma) * (y - mb);
        va += (x - ma).powi(2);
        vb += (y - mb).powi(2);
    }
    if va <= 0.0 || vb <= 0.0 {
        0.0
    } else {
        cov / (va * vb).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_monitor_is_steady_and_a_broken_page_follows_traffic() {
        let traffic: Vec<f64> = (0..288)
            .map(|i| 200.0 + 180.0 * ((i as f64) / 288.0 * std::f64::consts::TAU).sin())
            .collect();
        let monitor = vec![5.0; 288];
        assert!(is_steady(&monitor, &traffic));
        let page: Vec<f64> = traffic.iter().map(|t| (t * 0.01).round()).collect();
        assert!(!is_steady(&page, &traffic));
    }
}
