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
//! A run (of the site, or the segment's) made of parts that fail one
//! after the other, each in its own segment and quiet in the others' time
//! (two scanners minutes apart), is those parts instead.
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
/// A part of a run that fails at its own time holds at least this share of
/// the run's excess.
const DISJOINT_SHARE: f64 = 0.1;
/// A part failing at its own time puts at most this share of its excess in
/// the other parts' windows.
const QUIET_ELSEWHERE: f64 = 0.1;

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
        } else {
            let apart = elsewhere(x, s, run, &out);
            out.extend(apart);
        }
    }
    out.sort_by_key(|i| (i.first, i.last, i.series));
    out
}

/// The parts of segment `s`'s `run` that no incident comes near (not in
/// or next to their windows), each a run of its own: a worm's cluster
/// before a TLS-handshake cluster, both in one run of unknown clients.
fn elsewhere(x: &Inputs, s: usize, run: &Run, found: &[Incident]) -> Vec<Incident> {
    let near = |w: usize| {
        found.iter().any(|i| {
            let (a, z) = i
                .cover
                .map_or((i.first, i.last), |(a, z)| (a.min(i.first), z.max(i.last)));
            w + 1 >= a && w <= z + 1
        })
    };
    let (matched, expected) = (&x.series[s].matched, &x.scans[s].expected);
    let mut out = Vec::new();
    let mut w = run.first;
    while w <= run.last {
        if near(w) || matched[w] < 1.0 {
            w += 1;
            continue;
        }
        let first = w;
        while w < run.last && !near(w + 1) {
            w += 1;
        }
        let last = (first..=w)
            .rev()
            .find(|&i| matched[i] >= 1.0)
            .unwrap_or(first);
        let part = Run {
            first,
            last,
            matched: matched[first..=last].iter().sum(),
            expected: expected[first..=last].iter().sum(),
            score: 0.0,
        };
        let part = Run {
            score: llr(part.matched, part.expected),
            ..part
        };
        if x.params.holds(&part) {
            out.push(Incident::of(s, &part));
        }
        w += 1;
    }
    out
}

/// Which incident, if any, each segment run already belongs to.
type Owners = Vec<Vec<Option<usize>>>;

/// Adds the incidents of one run of the whole site to `out`: the segment
/// run that explains it (or the incident that run already is), two
/// incidents when a part and the rest fail at different times, or the
/// site's run itself.
fn explain(x: &Inputs, c: &Run, owner: &mut Owners, out: &mut Vec<Incident>) {
    if let Some(split) = one_after_another(x, 0, c, owner) {
        push_parts(x, &split, owner, out);
        return;
    }
    let excess = (c.matched - c.expected).max(1.0);
    let cover = Some((c.first, c.last));
    let parts = parts_of(x, c, excess);
    if let Some(&(s, r, _)) = parts.first().filter(|p| p.2 >= EXPLAINS * excess) {
        match owner[s][r] {
            Some(i) => widen(&mut out[i], c),
            None => settle(x, (s, r), cover, owner, out),
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
        let part = x.scans[s].runs[r];
        settle(x, (s, r), None, owner, out);
        for q in rest {
            if q.last < part.first || q.first > part.last {
                // Apart from the part: a run of the site of its own.
                explain(x, &q, owner, out);
            } else {
                out.push(Incident {
                    without: Some(s),
                    ..Incident::of(0, &q)
                });
            }
        }
        return;
    }
    out.push(Incident {
        cover,
        ..Incident::of(0, c)
    });
}

/// Makes segment run `(s, r)` an incident explaining the site's windows
/// `cover`, or, when it holds parts failing one after the other, makes
/// those parts the incidents (the run answers for the largest).
fn settle(
    x: &Inputs,
    (s, r): (usize, usize),
    cover: Option<(usize, usize)>,
    owner: &mut Owners,
    out: &mut Vec<Incident>,
) {
    if let Some(split) = one_after_another(x, s, &x.scans[s].runs[r], owner) {
        owner[s][r] = Some(out.len());
        push_parts(x, &split, owner, out);
        return;
    }
    owner[s][r] = Some(out.len());
    out.push(Incident {
        cover,
        ..Incident::of(s, &x.scans[s].runs[r])
    });
}

/// Adds one incident per part, each explaining every matched request in
/// its own windows, the largest first.
fn push_parts(x: &Inputs, parts: &[(usize, usize)], owner: &mut Owners, out: &mut Vec<Incident>) {
    for &(s, r) in parts {
        let run = &x.scans[s].runs[r];
        owner[s][r] = Some(out.len());
        out.push(Incident {
            cover: Some((run.first, run.last)),
            ..Incident::of(s, run)
        });
    }
}

/// Runs of other segments inside run `c` of series `of` that fail one
/// after the other (two scanners minutes apart, each with its own
/// requests), as (series, run), the largest first: at least two, each
/// shorter than `c`, none overlapping another in time and each quiet in
/// the others' windows, together holding
/// [`EXPLAINS`] of its excess. Concurrent parts (the routes of one device
/// failure) never qualify.
fn one_after_another(
    x: &Inputs,
    of: usize,
    c: &Run,
    owner: &Owners,
) -> Option<Vec<(usize, usize)>> {
    let excess = (c.matched - c.expected).max(1.0);
    let length = c.last - c.first + 1;
    let candidates: Vec<(usize, usize, f64)> = excess_held(x, c)
        .into_iter()
        .filter(|&(s, r, _)| s != of && owner[s][r].is_none())
        .filter(|&(s, r, _)| x.scans[s].runs[r].last - x.scans[s].runs[r].first + 1 < length)
        .filter(|p| p.2 >= DISJOINT_SHARE * excess)
        .map(|(s, r, held)| (s, r, inside(x, of, s, c).min(held)))
        .filter(|p| p.2 >= DISJOINT_SHARE * excess)
        .collect();
    let mut best: Option<(f64, Vec<(usize, usize)>)> = None;
    for seed in 0..candidates.len() {
        let mut chosen = vec![seed];
        for next in (0..candidates.len()).filter(|&k| k != seed) {
            if chosen
                .iter()
                .all(|&k| apart(x, candidates[k], candidates[next]))
            {
                chosen.push(next);
            }
        }
        let held: f64 = chosen.iter().map(|&k| candidates[k].2).sum();
        if chosen.len() >= 2 && best.as_ref().is_none_or(|b| held > b.0) {
            chosen.sort_by(|&a, &b| candidates[b].2.total_cmp(&candidates[a].2));
            let set = chosen.iter().map(|&k| (candidates[k].0, candidates[k].1));
            best = Some((held, set.collect()));
        }
    }
    best.filter(|b| b.0 >= EXPLAINS * excess).map(|b| b.1)
}

/// Matched requests of segment `s` that are in series `of` too, in run
/// `c`'s windows (all of them when `of` is the whole site).
fn inside(x: &Inputs, of: usize, s: usize, c: &Run) -> f64 {
    if of == 0 {
        return x.series[s].matched[c.first..=c.last].iter().sum();
    }
    let (from, to) = x.grid.span(c.first, c.last);
    let (outer, part) = (&x.series[of].segment, &x.series[s].segment);
    let mut held = 0u64;
    for (cell, counts) in x.agg.breakdown.cells() {
        let Some(cell) = cell else { continue };
        if outer.contains(&cell) && part.contains(&cell) {
            held += counts
                .iter()
                .filter(|(w, _)| (from..to).contains(w))
                .map(|(_, n)| n)
                .sum::<u64>();
        }
    }
    held as f64
}

/// Whether two segment runs, as (series, run, excess held), fail one after
/// the other: sharing at most a third of the shorter run's windows, and,
/// runs of different series, each quiet in the other's windows.
fn apart(x: &Inputs, a: (usize, usize, f64), b: (usize, usize, f64)) -> bool {
    let (ra, rb) = (&x.scans[a.0].runs[a.1], &x.scans[b.0].runs[b.1]);
    let shared = (ra.last.min(rb.last) + 1).saturating_sub(ra.first.max(rb.first));
    let shorter = (ra.last - ra.first + 1).min(rb.last - rb.first + 1);
    let quiet = |s: usize, held: f64, other: &Run| {
        let inside: f64 = (other.first..=other.last)
            .map(|i| x.series[s].matched[i] - x.scans[s].expected[i])
            .sum();
        inside <= QUIET_ELSEWHERE * held
    };
    // One series' own scan already set its runs apart.
    let quiet_both = a.0 == b.0 || (quiet(a.0, a.2, rb) && quiet(b.0, b.2, ra));
    shared <= shorter / 3 && quiet_both
}

/// Segment runs overlapping site run `c` that hold at least
/// [`SPLIT_SHARE`] of its excess with at most [`LOCALISED`] of its
/// traffic, as (series, run, excess held), the most first.
fn parts_of(x: &Inputs, c: &Run, excess: f64) -> Vec<(usize, usize, f64)> {
    let mut parts = excess_held(x, c);
    parts.retain(|p| p.2 >= SPLIT_SHARE * excess);
    parts
}

/// Segment runs overlapping site run `c` with at most [`LOCALISED`] of its
/// traffic there, as (series, run, excess held in `c`'s windows), the most
/// first.
fn excess_held(x: &Inputs, c: &Run) -> Vec<(usize, usize, f64)> {
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
            if traffic <= LOCALISED * site {
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
        .filter(|q| x.params.holds(q))
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
