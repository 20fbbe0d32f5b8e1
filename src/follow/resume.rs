//! Live mode with `--state`: a restart goes on from the saved state, and
//! the state is saved as the run goes.

use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use super::live::Live;
use super::state::{self, FileState, Saved, Saving, Start};
use super::tail::Tail;
use super::{note, Followed};
use crate::aggregate::Aggregate;
use crate::input::Source;
use crate::pipeline::{Inputs, Options};

/// Longest time between two saves while lines come in.
const SAVE_EVERY: Duration = Duration::from_secs(5);

/// Sets each input's plan after a restart: read on from where it was
/// counted, read whole (new), or not at all (counted before). Returns the
/// rotated inputs read now: being read or written since the save, a worker
/// may still write there.
pub fn plan_restart(saved: &Saved, sources: &[Source], inputs: &mut Inputs) -> Vec<usize> {
    let mut draining = Vec::new();
    for (input, source) in sources.iter().enumerate() {
        let Some(path) = &source.path else { continue };
        let start = saved.start(path, source.rotated);
        match start {
            Start::Whole => {}
            Start::From(offset) => inputs.start_at(input, offset),
            Start::Counted => {
                inputs.counted_before(input);
                continue;
            }
        }
        if source.rotated {
            draining.push(input);
        }
    }
    draining
}

/// The saved counters under this run's input numbers (an input counted
/// before and gone now is added under its name), and the saved
/// announcements in `live`.
pub fn restore(saved: Saved, inputs: &mut Inputs, live: &mut Live) -> Aggregate {
    let mut to = Vec::with_capacity(saved.names.len());
    for name in &saved.names {
        let now = inputs.files.iter().position(|f| &f.name == name);
        to.push(now.unwrap_or_else(|| inputs.add_gone(name)));
    }
    live.restore(saved.reported, saved.closed_until);
    saved
        .agg
        .renumber(&|i| to.get(i).copied().unwrap_or(usize::MAX))
}

/// What is saved, borrowed from the loop.
pub struct Snapshot<'a> {
    /// The counters.
    pub agg: &'a Aggregate,
    /// The inputs, for their names.
    pub inputs: &'a Inputs<'a>,
    /// The files followed, for their positions.
    pub followed: &'a [Followed],
    /// The paths waited for, for the rotated copies their followers saw.
    pub waiting: &'a [(PathBuf, Tail)],
    /// The announcements.
    pub live: &'a Live,
    /// The settings.
    pub opts: &'a Options,
}

/// Saves the state when something was announced, every few seconds while
/// lines come in, and at the stop.
pub struct Saver {
    path: PathBuf,
    last: Instant,
    /// Lines read since the last save (at first: the history, saved at the
    /// first look so a crash right after the start resumes from there).
    unsaved: bool,
    /// The last error said (each is said once).
    failed: Option<String>,
}

impl Saver {
    /// Saves to `path`.
    pub fn new(path: PathBuf) -> Saver {
        Saver {
            path,
            last: Instant::now() - SAVE_EVERY,
            unsaved: true,
            failed: None,
        }
    }

    /// Saves if it is time: `now` when something was announced or the run
    /// stops, else every [`SAVE_EVERY`] while `lines` come in. `looked` is
    /// when the files were looked at.
    pub fn maybe(&mut self, state: &Snapshot, lines: bool, now: bool, looked: SystemTime) {
        self.unsaved |= lines;
        let due = self.unsaved && self.last.elapsed() >= SAVE_EVERY;
        if !(now || due) {
            return;
        }
        self.last = Instant::now();
        self.unsaved = false;
        let settings = &state.opts.settings;
        let status = settings.status.spec();
        let saving = Saving {
            version: state::VERSION,
            window: settings.window,
            status,
            saved_at: state::unix(looked),
            names: state.inputs.files.iter().map(|f| f.name.as_str()).collect(),
            agg: state.agg,
            files: state
                .followed
                .iter()
                .map(|f| &f.tail)
                .chain(state.waiting.iter().map(|(_, t)| t))
                .map(|tail| FileState {
                    path: tail.path().to_path_buf(),
                    positions: tail.positions(),
                    listed: tail.copies(),
                })
                .collect(),
            reported: state.live.reported(),
            closed_until: state.live.closed_until,
        };
        match state::save(&self.path, &saving) {
            Ok(()) => self.failed = None,
            Err(e) => {
                let said = format!("--state {}: cannot save: {e}", self.path.display());
                if self.failed.as_ref() != Some(&said) {
                    note(&said);
                }
                self.failed = Some(said);
            }
        }
    }
}
