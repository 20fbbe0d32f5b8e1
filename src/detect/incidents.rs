//! From runs to incidents: one incident is seen through many segments (a
//! device failure is a run of that device, of the whole site, of the
//! routes it calls), and one run of the whole site can hold two incidents
//! (a traffic spike inside a longer device failure).
//!
//! Runs of the whole site come first, strongest first. For each, the
//! segment run inside it that explains most of its excess is taken out,
//! and the rest is scanned again: if the rest holds a run of its own at
//! another time, the two are separate incidents; if the segment explains
//! nearly all of it, the segment's run is the incident (its span is the
//! whole failure, not only where it showed above the site's noise).
//! Segment runs left over are incidents of their own unless incidents
//! already found hold most of their matched requests: then they are
//! another view of those.

use super::scan::{llr, Params, Run, Scan, MIN_RATIO};
use super::series::{Grid, Series};
use crate::aggregate::Aggregate;

/// A segment run explaining at least this share of a site run's excess is
/// a candidate to take out.
const SPLIT_SHARE: f64 = 0.2;
/// A segment run explaining this share of a site run's excess is the
/// incident.
const EXPLAINS: f64 = 0.8;
/// Two runs overlapping less than this (intersection over union) are at
/// different times.
const DISTINCT_IOU: f64 = 0.5;
/// A part of the site carrying more than this share of its requests is
/// no explanation of where it fails.
const LOCALISED: f64 = 0.5;
/// A segment run whose matched requests incidents already hold to this
/// share is a view of them.
const ABSORBED: f64 = 0.5;

/// An incident: a run of one series, minus another series' matches when
/// it was split from one.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    /// The series it is a run of.
    pub series: usize,
    /// The series whose matches it leaves out (a split's remainder).
    pub without: Option<usize>,
    /// Windows of a run of the whole site it explains: every matched
    /// request there is its (a route failing beside it is part of it).
    pub cover: Option<(usize, usize)>,
    /// First and last window on the grid.
    pub first: usize,
    /// See `first`.
    pub last: usize,
    /// Matched requests.
    pub matched: f64,
    /// What the baseline expected.
    pub expected: f64,
    /// Strength of its evidence.
    pub score: f64,
}

impl Incident {
    fn of(series: usize, run: &Run) -> Incident {
        Incident {
            series,
            without: None,
            cover: None,
            first: run.first,
            last: run.last,
            matched: run.matched,
            expected: run.expected,
            score: run.score,
        }
    }
}

/// What grouping reads.
pub struct Inputs<'a> {
    /// The counters (their cells give intersections of segments).
    pub agg: &'a Aggregate,
    /// The grid.
    pub grid: &'a Grid,
    /// Every series, the whole site first.
    pub series: &'a [Series],
    /// Their scans.
    pub scans: &'a [Scan],
    /// What makes a run.
    pub params: Params,
}

/// The incidents of all runs, in time order.
pub fn group(x: &Inputs) -> Vec<Incident> {
    let mut owner: Owners = x.scans.iter().map(|s| vec![None; s.runs.len()]).collect();
    let mut out: Vec<Incident> = Vec::new();
    let mut site: Vec<&Run> = x
        .scans
        .first()
        .map_or(Vec::new(), |s| s.runs.iter().collect());
    site.sort_by(|a, b| b.score.total_cmp(&a.score));
    for run in site {
        explain(x, run, &mut owner, &mut out);
    }
    let mut rest: Vec<(usize, usize)> = (1..x.scans.len())
        .flat_map(|s| (0..x.scans[s].runs.len()).map(move |r| (s, r)))
        .filter(|&(s, r)| owner[s][r].is_none())
        .collect();
    rest.sort_by(|a, b| {
        let score = |&(s, r): &(usize, usize)| x.scans[s].runs[r].score;
        score(b).total_cmp(&score(a))
    });
    for (s, r) in rest {
        let run = &x.scans[s].runs[r];
        let held: f64 = out.iter().map(|i| held_by(x, i, s, run)).sum();
        if held < ABSORBED * run.matched {
            out.push(Incident::of(s, run));
        }
    }
    out.sort_by_key(|i| (i.first, i.last, i.series));
    out
}

/// Which incident, if any, each segment run already belongs to.
type Owners = Vec<Vec<Option<usize>>>;

/// Adds the incidents of one run of the whole site to `out`: the segment
/// run that explains it (or the incident that run already is), two
/// incidents when a part and the rest fail at different times, or the
/// site's run itself.
fn explain(x: &Inputs, c: &Run, owner: &mut Owners, out: &mut Vec<Incident>) {
    let excess = (c.matched - c.expected).max(1.0);
    let cover = Some((c.first, c.last));
    let parts = parts_of(x, c, excess);
    if let Some(&(s, r, _)) = parts.first().filter(|p| p.2 >= EXPLAINS * excess) {
        match owner[s][r] {
            Some(i) => widen(&mut out[i], c),
            None => {
                owner[s][r] = Some(out.len());
                out.push(Incident {
                    cover,
                    ..Incident::of(s, &x.scans[s].runs[r])
                });
            }
        }
        return;
    }
    // The best split: a part whose remainder has a run at another time.
    let mut best: Option<(f64, usize, usize, Vec<Run>)> = None;
    for &(s, r, _) in parts.iter().filter(|p| owner[p.0][p.1].is_none()) {
        let part = &x.scans[s].runs[r];
        let rest: Vec<Run> = remainder(x, c, s, part)
            .into_iter()
            .filter(|q| iou(q, part) < DISTINCT_IOU)
            .collect();
        if let Some(top) = rest.iter().map(|q| q.score).reduce(f64::max) {
            let quality = top.min(part.score);
            if best.as_ref().is_none_or(|b| quality > b.0) {
                best = Some((quality, s, r, rest));
            }
        }
    }
    if let Some((_, s, r, rest)) = best {
        owner[s][r] = Some(out.len());
        out.push(Incident::of(s, &x.scans[s].runs[r]));
        out.extend(rest.iter().map(|q| Incident {
            without: Some(s),
            ..Incident::of(0, q)
        }));
        return;
    }
    out.push(Incident {
        cover,
        ..Incident::of(0, c)
    });
}

/// Segment runs overlapping site run `c` that hold at least
/// [`SPLIT_SHARE`] of its excess with at most [`LOCALISED`] of its
/// traffic, as (series, run, excess held), the most first.
fn parts_of(x: &Inputs, c: &Run, excess: f64) -> Vec<(usize, usize, f64)> {
    let mut parts = Vec::new();
    for (s, scan) in x.scans.iter().enumerate().skip(1) {
        for (r, run) in scan.runs.iter().enumerate() {
            let (a, z) = (run.first.max(c.first), run.last.min(c.last));
            if a > z {
                continue;
            }
            let held: f64 = (a..=z)
                .map(|i| x.series[s].matched[i] - scan.expected[i])
                .sum();
            // Most of the traffic explains nothing: a part must stand out.
            let traffic: f64 = x.series[s].requests[a..=z].iter().sum();
            let site: f64 = x.series[0].requests[a..=z].iter().sum();
            if held >= SPLIT_SHARE * excess && traffic <= LOCALISED * site {
                parts.push((s, r, held));
            }
        }
    }
    parts.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    parts
}

/// Makes incident `i` explain site run `c` too.
fn widen(i: &mut Incident, c: &Run) {
    i.cover = Some(match i.cover {
        Some((a, z)) => (a.min(c.first), z.max(c.last)),
        None => (c.first, c.last),
    });
}

/// Runs of the whole site's run `c` once segment `s`'s run `part` is
/// taken out of it.
fn remainder(x: &Inputs, c: &Run, s: usize, part: &Run) -> Vec<Run> {
    let (site, seg) = (&x.series[0], &x.series[s]);
    let (site_e, seg_e) = (&x.scans[0].expected, &x.scans[s].expected);
    let mut out = Vec::new();
    let mut current: Option<Run> = None;
    for i in c.first..=c.last {
        let inside = (part.first..=part.last).contains(&i);
        let (m, e) = if inside {
            (
                (site.matched[i] - seg.matched[i]).max(0.0),
                (site_e[i] - seg_e[i]).max(0.0),
            )
        } else {
            (site.matched[i], site_e[i])
        };
        let hot = m >= 1.0 && m >= MIN_RATIO * e.max(1e-9);
        match (&mut current, hot) {
            (Some(run), true) => {
                run.last = i;
                run.matched += m;
                run.expected += e;
            }
            (None, true) => {
                current = Some(Run {
                    first: i,
                    last: i,
                    matched: m,
                    expected: e,
                    score: 0.0,
                })
            }
            (Some(_), false) => out.extend(current.take()),
            (None, false) => {}
        }
    }
    out.extend(current);
    out.into_iter()
        .map(|mut q| {
            q.score = llr(q.matched, q.expected);
            q
        })
        .filter(|q| {
            q.matched >= x.params.min_matched
                && q.matched >= MIN_RATIO * q.expected
                && q.score >= x.params.threshold
        })
        .collect()
}

/// Intersection over union of two runs' windows.
fn iou(a: &Run, b: &Run) -> f64 {
    let inter = (a.last.min(b.last) + 1).saturating_sub(a.first.max(b.first));
    let union = a.last.max(b.last) + 1 - a.first.min(b.first);
    inter as f64 / union.max(1) as f64
}

/// Matched requests of segment `s`'s `run` that incident `i` holds: those
/// in both segments in the windows they share, and all of them in the
/// windows of the site runs it explains.
fn held_by(x: &Inputs, i: &Incident, s: usize, run: &Run) -> f64 {
    let window = |first: usize, last: usize| {
        let (a, z) = (run.first.max(first), run.last.min(last));
        (a <= z).then(|| x.grid.span(a, z))
    };
    let span = window(i.first, i.last);
    let cover = i.cover.and_then(|(a, z)| window(a, z));
    if span.is_none() && cover.is_none() {
        return 0.0;
    }
    let mine = &x.series[s].segment;
    let theirs = &x.series[i.series].segment;
    let without = i.without.map(|w| &x.series[w].segment);
    let inside =
        |range: Option<(i64, i64)>, w: i64| range.is_some_and(|(a, z)| (a..z).contains(&w));
    let mut held = 0u64;
    for (cell, counts) in x.agg.breakdown.cells() {
        let Some(cell) = cell else { continue };
        if !mine.contains(&cell) {
            continue;
        }
        let both = theirs.contains(&cell) && !without.is_some_and(|w| w.contains(&cell));
        for (w, n) in counts.iter() {
            if inside(cover, w) || (both && inside(span, w)) {
                held += n;
            }
        }
    }
    held as f64
}
