//! Which bursts live mode announces: each verdict is compared with the
//! bursts reported so far, and the differences are `started`, `updated`
//! and `ended` events.
//!
//! A burst is the same burst from one verdict to the next as long as its
//! span overlaps the one reported (its start may move as windows join or
//! as the open window closes). It is `updated` when its label changes, a
//! window joins it, or its matched count grew by a quarter since the last
//! event: a growing burst speaks a bounded number of times, never at every
//! look. It has `ended` once more than `gap` windows closed after it
//! without it growing; a burst that vanished from the verdict (seen in an
//! open window that closed calmer) ends as it was last reported.

use serde::{Deserialize, Serialize};

use crate::detect::Burst;
use crate::report::output::Change;

/// Growth of the matched count (as a factor) that is worth an `updated`.
const GROWTH: f64 = 1.25;

/// The bursts reported so far (kept in the saved state, so a restart
/// announces none of them again).
#[derive(Default, Serialize, Deserialize)]
pub struct Reported {
    /// Each burst reported and not ended, as last announced.
    #[serde(with = "with_spans")]
    open: Vec<Burst>,
    /// Spans of the bursts that ended.
    ended: Vec<(i64, i64)>,
}

/// Bursts with their spans (a burst's own serialisation, the JSON
/// contract's, leaves the span out).
mod with_spans {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::detect::Burst;

    pub fn serialize<S: Serializer>(bursts: &[Burst], s: S) -> Result<S::Ok, S::Error> {
        let pairs: Vec<((i64, i64), &Burst)> = bursts.iter().map(|b| (b.span, b)).collect();
        pairs.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Burst>, D::Error> {
        let pairs: Vec<((i64, i64), Burst)> = Vec::deserialize(d)?;
        Ok(pairs
            .into_iter()
            .map(|(span, mut b)| {
                b.span = span;
                b
            })
            .collect())
    }
}

/// Whether two spans share a moment.
fn overlap(a: (i64, i64), b: (i64, i64)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

impl Reported {
    /// The events `bursts` (a verdict up to `closed_until`, and maybe the
    /// open window) make, and records them as reported. Bursts end only on
    /// closed windows: `closed` is false for a look at the open window.
    pub fn changes(
        &mut self,
        bursts: &[Burst],
        closed_until: i64,
        gap: i64,
        closed: bool,
    ) -> Vec<(Change, Burst)> {
        let mut events = Vec::new();
        for b in bursts {
            if self.ended.iter().any(|&e| overlap(e, b.span)) {
                continue;
            }
            let known = self
                .open
                .iter()
                .position(|k| k.span.0 == b.span.0)
                .or_else(|| self.open.iter().position(|k| overlap(k.span, b.span)));
            match known {
                None => {
                    self.open.push(b.clone());
                    events.push((Change::Started, b.clone()));
                }
                Some(i) => {
                    let k = &mut self.open[i];
                    let grew = b.span.1 > k.span.1 || b.matched as f64 >= k.matched as f64 * GROWTH;
                    if grew || b.scenario != k.scenario {
                        events.push((Change::Updated, b.clone()));
                        *k = b.clone();
                    } else {
                        // Quietly follow its start.
                        k.span.0 = b.span.0;
                    }
                }
            }
        }
        if closed {
            self.end(bursts, closed_until, gap, &mut events);
        }
        events
    }

    /// Ends the bursts that more than `gap` closed windows followed.
    fn end(
        &mut self,
        bursts: &[Burst],
        closed_until: i64,
        gap: i64,
        events: &mut Vec<(Change, Burst)>,
    ) {
        let (over, still): (Vec<Burst>, Vec<Burst>) = std::mem::take(&mut self.open)
            .into_iter()
            .partition(|k| closed_until - k.span.1 > gap);
        self.open = still;
        for k in over {
            // Its state in this verdict, if it is still in it.
            let mut last = bursts
                .iter()
                .filter(|b| overlap(b.span, k.span))
                .max_by_key(|b| b.matched)
                .cloned()
                .unwrap_or(k);
            last.partial = false;
            self.ended.push(last.span);
            events.push((Change::Ended, last));
        }
        // Spans long past are no longer compared with.
        let horizon = closed_until - super::HORIZON;
        self.ended.retain(|e| e.1 >= horizon);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn burst(span: (i64, i64), matched: u64, scenario: &str) -> Burst {
        Burst {
            start: String::new(),
            end: String::new(),
            matched,
            requests: 1000,
            expected: 1.0,
            scenario: scenario.into(),
            confidence: 0.9,
            evidence: Vec::new(),
            next: String::new(),
            top: crate::detect::Top {
                routes: Vec::new(),
                methods: Vec::new(),
                devices: Vec::new(),
                upstreams: Vec::new(),
            },
            nearby_events: Vec::new(),
            features: Default::default(),
            partial: false,
            span,
        }
    }

    fn kinds(events: &[(Change, Burst)]) -> Vec<(Change, u64)> {
        events.iter().map(|(c, b)| (*c, b.matched)).collect()
    }

    #[test]
    fn growth_speaks_a_bounded_number_of_times() {
        let mut r = Reported::default();
        let mut said = Vec::new();
        for m in 20..=200 {
            said.extend(kinds(&r.changes(&[burst((0, 300), m, "x")], 0, 600, false)));
        }
        assert_eq!(said[0], (Change::Started, 20));
        // 20 → 200 by factors of 1.25: ten more events, not 180.
        assert_eq!(said.len(), 11, "{said:?}");
        assert!(said[1..].iter().all(|(c, _)| *c == Change::Updated));
    }

    #[test]
    fn a_moved_start_is_the_same_burst_and_a_new_label_is_news() {
        let mut r = Reported::default();
        r.changes(&[burst((300, 600), 50, "traffic_spike")], 0, 600, false);
        let e = r.changes(&[burst((0, 600), 52, "traffic_spike")], 0, 600, false);
        assert!(e.is_empty(), "{:?}", kinds(&e));
        let e = r.changes(&[burst((0, 600), 53, "post_deploy")], 0, 600, false);
        assert_eq!(kinds(&e), [(Change::Updated, 53)]);
    }

    #[test]
    fn a_burst_that_vanished_ends_as_last_reported_and_never_restarts() {
        let mut r = Reported::default();
        r.changes(&[burst((0, 300), 40, "x")], 0, 600, false);
        // The open window closed calmer: the burst is gone from the verdict.
        assert!(r.changes(&[], 300, 600, true).is_empty());
        let e = r.changes(&[], 1000, 600, true);
        assert_eq!(kinds(&e), [(Change::Ended, 40)]);
        let e = r.changes(&[burst((0, 300), 41, "x")], 1000, 600, true);
        assert!(e.is_empty(), "{:?}", kinds(&e));
        // A later burst is new.
        let e = r.changes(&[burst((3000, 3300), 30, "x")], 1000, 600, false);
        assert_eq!(kinds(&e), [(Change::Started, 30)]);
    }
}
