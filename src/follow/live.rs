//! Live detection: what runs when windows close, and the looks at the
//! window still open that let a burst be announced within seconds of the
//! line that tips it.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::bursts::Reported;
use super::note;
use crate::aggregate::Aggregate;
use crate::detect::{self, Deploy, Detection, Horizon, Verdict};
use crate::pipeline::{Analysis, InputFile, Inputs, Options};
use crate::report::output::{Change, Closed, Output};
use crate::report::{window_rows, Report};

/// Shortest time between two rewrites of the live HTML page.
const SNAPSHOT: Duration = Duration::from_secs(5);

/// Shortest time between two looks at the open window.
const OPEN_EVERY: Duration = Duration::from_secs(1);

/// Looks at the open window take at most this share of the time: a look
/// that took 50 ms waits at least 50 ms × this before the next.
const OPEN_COST: u32 = 5;

/// What live detection looks at.
pub struct View<'a> {
    /// The counters so far.
    pub agg: &'a Aggregate,
    /// The inputs, for the page and the markers' file names.
    pub inputs: &'a Inputs<'a>,
    /// Errors found when listing the inputs.
    pub errors: &'a [String],
    /// Files left out, for the page.
    pub ignored: &'a [PathBuf],
    /// How the run counts.
    pub opts: &'a Options,
    /// How bursts are found.
    pub detection: &'a Detection,
}

impl View<'_> {
    fn detect(&self, horizon: Horizon) -> Verdict {
        let markers = markers(self.agg, &self.inputs.files);
        detect::detect(
            self.agg,
            self.opts.settings.resolution(),
            self.detection,
            &markers,
            horizon,
        )
    }
}

/// The deploy markers of the error logs read so far.
pub fn markers(agg: &Aggregate, files: &[InputFile]) -> Vec<Deploy> {
    detect::markers(agg, &|i: usize| {
        files.get(i).map_or_else(String::new, |f| f.name.clone())
    })
}

/// Where the closed windows end: 30 s of log time after a window's end
/// (late lines), or, after a silence (`quiet`), the current window too and
/// those the silence would have reached on the log's clock.
pub fn closing(clock: i64, window: i64, silence: Duration, quiet: bool) -> i64 {
    let until = (clock - super::LATE).div_euclid(window) * window;
    if !quiet {
        return until;
    }
    let later = clock.saturating_add(silence.as_secs() as i64);
    until
        .max(clock.div_euclid(window) * window + window)
        .max(later.div_euclid(window) * window)
}

/// The state of live detection between looks.
pub struct Live {
    reported: Reported,
    /// The closed windows end here.
    pub closed_until: i64,
    /// New lines since the last look.
    pub pending: bool,
    /// The reader of the events went away (`| head -1`).
    pub reader_gone: bool,
    /// Something was announced or written since this was last cleared (the
    /// state is then saved at once).
    pub dirty: bool,
    last_snapshot: Option<Instant>,
    /// When the open window may next be looked at.
    next_open: Instant,
}

impl Default for Live {
    fn default() -> Live {
        Live {
            reported: Reported::default(),
            closed_until: i64::MIN,
            pending: false,
            reader_gone: false,
            dirty: false,
            last_snapshot: None,
            next_open: Instant::now(),
        }
    }
}

impl Live {
    /// Goes on from a saved state: the bursts announced, and where the
    /// closed windows end.
    pub fn restore(&mut self, reported: Reported, closed_until: i64) {
        self.reported = reported;
        self.closed_until = closed_until;
    }

    /// The bursts announced so far.
    pub fn reported(&self) -> &Reported {
        &self.reported
    }

    /// Whether new lines wait for a look at the open window, and it is
    /// time for one.
    pub fn open_due(&self) -> bool {
        self.pending && Instant::now() >= self.next_open
    }

    /// How long the loop may wait for news: `interval`, or less when new
    /// lines wait for a look at the open window.
    pub fn pause(&self, interval: Duration) -> Duration {
        if self.pending {
            interval.min(self.next_open.saturating_duration_since(Instant::now()))
        } else {
            interval
        }
    }

    /// Windows closed up to `until`: detection on the closed windows, the
    /// rows and the events.
    pub fn close(&mut self, view: &View, until: i64, outputs: &mut dyn Output) {
        let from = self.closed_until;
        self.closed_until = until;
        let verdict = view.detect(Horizon::Closed(until));
        let window = view.opts.settings.window;
        let gap = view.detection.gap * window;
        let events = self.reported.changes(&verdict.bursts, until, gap, true);
        let ended: Vec<&detect::Burst> = events
            .iter()
            .filter(|(c, _)| *c == Change::Ended)
            .map(|(_, b)| b)
            .collect();
        // Events are written once the CSV files hold what they announce, so
        // a reader woken by `ended` finds its row.
        let rows = window_rows(view.agg, from, until, window);
        let closed = Closed {
            windows: &rows,
            from: (from > i64::MIN).then_some(from),
            to: until,
            window,
            ended: &ended,
        };
        if let Err(e) = outputs.closed(&closed) {
            note(&e.to_string());
        }
        self.dirty = true;
        self.announce(&events, outputs);
        self.snapshot(view, verdict, !events.is_empty(), outputs);
    }

    /// A look at the windows up to the log's `clock`, the last one open:
    /// bursts start and grow there as soon as the evidence is in.
    pub fn look_open(&mut self, view: &View, clock: i64, outputs: &mut dyn Output) {
        let began = Instant::now();
        self.pending = false;
        let verdict = view.detect(Horizon::Open(clock));
        let gap = view.detection.gap * view.opts.settings.window;
        let events = self
            .reported
            .changes(&verdict.bursts, self.closed_until, gap, false);
        self.announce(&events, outputs);
        if !events.is_empty() {
            self.snapshot(view, verdict, true, outputs);
        }
        self.next_open = Instant::now() + OPEN_EVERY.max(began.elapsed() * OPEN_COST);
    }

    fn announce(&mut self, events: &[(Change, detect::Burst)], outputs: &mut dyn Output) {
        self.dirty |= !events.is_empty();
        for (change, burst) in events {
            // The reader went away (`| head -1`): nothing left to do.
            if let Err(e) = outputs.burst(*change, burst) {
                self.reader_gone |= e.kind() == std::io::ErrorKind::BrokenPipe;
            }
        }
    }

    /// The page when a burst changed, else at most every few seconds: it
    /// copies the counters.
    fn snapshot(&mut self, view: &View, verdict: Verdict, changed: bool, outputs: &mut dyn Output) {
        let due = changed || self.last_snapshot.is_none_or(|t| t.elapsed() >= SNAPSHOT);
        if !due || !outputs.wants_snapshots() {
            return;
        }
        self.last_snapshot = Some(Instant::now());
        let mut so_far = view.agg.clone();
        so_far.finish();
        let analysis = Analysis {
            inputs: view.inputs.files.clone(),
            errors: view.errors.to_vec(),
            ignored: view.ignored.to_vec(),
            aggregate: so_far,
            settings: view.opts.settings.clone(),
        };
        if let Err(e) = outputs.snapshot(&Report::new(&analysis, verdict)) {
            note(&e.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_close_late_or_after_a_silence() {
        let w = 300;
        let calm = Duration::from_secs(0);
        // 10:04:50 on the log's clock: the windows up to 10:00 are closed.
        assert_eq!(closing(36_290, w, calm, false), 36_000);
        // A silence closes the current window...
        assert_eq!(closing(36_290, w, calm, true), 36_300);
        // ...and those it would have reached.
        assert_eq!(closing(36_290, w, Duration::from_secs(700), true), 36_900);
    }
}
