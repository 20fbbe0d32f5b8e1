//! Live mode (`--follow`): read what is there, then follow the files as
//! the servers append to them, and report bursts as they start, grow and
//! end.
//!
//! The existing content is read once by the batch pipeline, up to each
//! file's last complete line; [`tail`] then follows every live (not
//! rotated) file from there, through rotation. New lines go through the
//! same scan → aggregate path; when windows close on the log's own clock
//! (or after `idle` seconds of silence), the detector runs on the closed
//! windows and the changes are reported as `started`, `updated` and `ended`
//! events. Windows older than two days are dropped, so memory stays flat.

mod bursts;
pub mod hook;
mod live;
pub mod metrics;
mod resume;
pub mod state;
pub mod tail;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};

use notify::{RecursiveMode, Watcher};
use std::time::{Duration, Instant};

use crate::aggregate::Aggregate;
use crate::detect::{self, Detection, Horizon};
use crate::input::discover::live_name;
use crate::input::{discover_all, Configured, Source};
use crate::numfmt::thousands;
use crate::pipeline::{Analysis, Inputs, Options};
use crate::report::output::Output;
use crate::report::terminal::printable;
use crate::scan::Carry;
use live::{closing, Live, View};
use resume::{plan_restart, restore, Saver, Snapshot};
use tail::{Change, Listing, Place, Tail};

/// Late lines accepted after a window's end, in seconds of log time.
pub const LATE: i64 = 30;
/// Windows older than this (seconds before the newest closed one) are
/// dropped from the counters.
pub const HORIZON: i64 = 2 * 86_400;
/// History read at the start without `--since`, seconds.
pub const HISTORY: u64 = 86_400;
/// How often followed directories are listed again for new files.
const RESCAN: Duration = Duration::from_secs(2);

/// Longest wait between looks at the files when notifications are used
/// (windows still close after a silence, new files are still found).
const WAKE: Duration = Duration::from_secs(1);

/// How to follow.
#[derive(Debug, Clone)]
pub struct Follow {
    /// Look at the files this often instead of waiting for file-system
    /// notifications (`--poll`).
    pub poll: Option<Duration>,
    /// Close the current window after this long without a new line.
    pub idle: Duration,
    /// Where the state is saved and resumed from (`--state`).
    pub state: Option<PathBuf>,
    /// Set on SIGHUP: the file list is read again at once (the
    /// directories, the configured families), and the flag cleared.
    pub hangup: std::sync::Arc<AtomicBool>,
}

/// One followed file.
pub(crate) struct Followed {
    input: usize,
    tail: Tail,
    chunk: u64,
    /// The scanner's state between polls (an error-log message whose
    /// continuation lines come in a later write).
    carry: Carry,
}

/// Runs the follow loop over `paths` and the `configured` logs (new files
/// in their directories and families are followed as they appear) until
/// `stop` is set; returns the analysis of the whole followed period and
/// the verdict on it.
pub fn run(
    paths: &[PathBuf],
    configured: &[Configured],
    opts: &Options,
    detection: &Detection,
    follow: &Follow,
    stop: &AtomicBool,
    outputs: &mut dyn Output,
) -> Result<(Analysis, detect::Verdict), String> {
    let window = opts.settings.window;
    let resolution = opts.settings.resolution();
    let status = opts.settings.status.spec().to_string();
    let saved = match &follow.state {
        Some(path) => state::load(path)?.map(|s| (path, s)),
        None => None,
    };
    if let Some((path, s)) = &saved {
        s.check(path, window, &status)?;
    }
    let mut discovery = discover_all(paths, configured);
    // Resuming, every file is looked at: counted, read on, or new.
    if saved.is_none() && opts.settings.since.is_none() {
        skip_old(&mut discovery.sources);
    }
    let mut inputs = Inputs::prepare(&discovery.sources, opts);
    let draining = match &saved {
        Some((_, s)) => plan_restart(s, &discovery.sources, &mut inputs),
        None => Vec::new(),
    };
    let listings = listings(paths, &discovery.sources);
    let mut agg = inputs.read(opts)?;
    let new_lines = agg.file_totals().lines;
    let mut live = Live::default();
    let resumed = saved.map(|(path, s)| {
        let at = s.saved_at;
        agg = restore(s, &mut inputs, &mut live).merge(std::mem::take(&mut agg));
        (path, at)
    });
    outputs.counted(&agg);
    let mut followed = followers(&discovery.sources, &mut inputs, &draining, &listings)?;
    let mut waiting = waited_for(paths, &discovery.sources, &listings);
    let mut errors = discovery.errors.clone();
    errors.retain(|e| {
        !waiting
            .iter()
            .any(|(w, _)| e.starts_with(&format!("{}:", w.display())))
    });
    // A file waited for is no error.
    for line in discovery.notes.iter().chain(&errors) {
        note(line);
    }
    for (path, _) in &waiting {
        note(&format!("{}: not there yet, waited for", path.display()));
    }
    let mut dirs: Vec<PathBuf> = paths.iter().filter(|p| p.is_dir()).cloned().collect();
    let config_dirs = configured
        .iter()
        .filter_map(|c| c.path.parent().map(PathBuf::from));
    history_note(
        resumed,
        follow.state.is_some(),
        new_lines,
        followed.len() + waiting.len(),
    );

    let (mut watcher, wake) = watcher(follow.poll);
    let mut watched: BTreeSet<PathBuf> = BTreeSet::new();
    let interval = follow.poll.unwrap_or(WAKE);

    let mut saver = follow.state.as_ref().map(|path| Saver::new(path.clone()));
    let mut last_line = Instant::now();
    let mut last_rescan = Instant::now();
    loop {
        let stopping = stop.load(Ordering::SeqCst);
        // New files first, so that they are read in this round; when
        // stopping, whatever appeared since the last look.
        let mut found = Found {
            inputs: &mut inputs,
            followed: &mut followed,
            opts,
        };
        found.appeared(&mut waiting, &mut dirs);
        let hangup = follow.hangup.swap(false, Ordering::SeqCst);
        if stopping || hangup || last_rescan.elapsed() >= RESCAN {
            last_rescan = Instant::now();
            found.in_families(&dirs, configured);
        }
        if hangup {
            note(&format!(
                "SIGHUP: file list read again, following {} files",
                found.followed.len() + waiting.len()
            ));
        }
        let looked = std::time::SystemTime::now();
        let (delta, lines) = poll_all(&mut followed, &inputs, opts, stopping, &mut live.dirty);
        if lines {
            last_line = Instant::now();
        }
        outputs.counted(&delta);
        agg = agg.merge(delta);

        // Windows close on the log's clock, or after a silence; the open
        // window is looked at as soon as new lines arrive.
        if lines {
            live.pending = true;
        }
        if let Some(clock) = log_clock(&agg, window) {
            let silence = last_line.elapsed();
            let until = closing(clock, window, silence, silence >= follow.idle || stopping);
            let view = View {
                agg: &agg,
                inputs: &inputs,
                errors: &errors,
                ignored: &discovery.ignored,
                opts,
                detection,
            };
            if until > live.closed_until {
                live.close(&view, until, outputs);
                agg.prune_before(live.closed_until - HORIZON);
            } else if live.open_due() {
                live.look_open(&view, clock, outputs);
            }
        }
        let urgent = std::mem::take(&mut live.dirty);
        if let Some(saver) = &mut saver {
            let state = Snapshot {
                agg: &agg,
                inputs: &inputs,
                followed: &followed,
                waiting: &waiting,
                live: &live,
                opts,
            };
            saver.maybe(
                &state,
                lines,
                urgent || stopping || live.reader_gone,
                looked,
            );
        }
        if stopping || live.reader_gone {
            break;
        }

        if let Some(w) = &mut watcher {
            let parents = followed
                .iter()
                .map(|f| f.tail.path())
                .chain(waiting.iter().map(|(p, _)| p.as_path()))
                .filter_map(parent)
                .chain(dirs.iter().cloned())
                .chain(config_dirs.clone());
            for dir in parents.collect::<Vec<_>>() {
                if !watched.contains(&dir) && w.watch(&dir, RecursiveMode::NonRecursive).is_ok() {
                    watched.insert(dir);
                }
            }
        }
        wait(&wake, live.pause(interval), stop);
    }

    agg.finish();
    let markers = live::markers(&agg, &inputs.files);
    let verdict = detect::detect(&agg, resolution, detection, &markers, Horizon::All);
    let analysis = Analysis {
        inputs: inputs.files,
        errors,
        ignored: discovery.ignored,
        aggregate: agg,
        settings: opts.settings.clone(),
    };
    Ok((analysis, verdict))
}

/// The rotated copies of each path that may be followed (the live files,
/// the paths named), taken before the history is read.
fn listings(paths: &[PathBuf], sources: &[Source]) -> BTreeMap<PathBuf, Listing> {
    let live = sources.iter().filter_map(|s| {
        let path = s.path.as_deref()?;
        if s.rotated {
            live_name(path)
        } else {
            Some(path.to_path_buf())
        }
    });
    let named = paths
        .iter()
        .filter(|p| !p.is_dir() && p.as_os_str() != "-")
        .cloned();
    live.chain(named)
        .map(|path| {
            let listing = Listing::of(&path);
            (path, listing)
        })
        .collect()
}

/// Every follower knows the rotated files listed before the history was
/// read: they were read (or left out), whatever a later listing racing
/// with logrotate's renames sees.
fn know_all(tail: &mut Tail, listings: &BTreeMap<PathBuf, Listing>) {
    for head in listings.values().flat_map(Listing::heads) {
        tail.know(head);
    }
}

/// The followers of the files read at the start (the rotated ones a worker
/// may still write to, `draining`, until they are quiet); each takes the
/// copies of its path `listings` has as read.
fn followers(
    sources: &[Source],
    inputs: &mut Inputs,
    draining: &[usize],
    listings: &BTreeMap<PathBuf, Listing>,
) -> Result<Vec<Followed>, String> {
    let mut followed: Vec<Followed> = Vec::new();
    for (input, source) in sources.iter().enumerate() {
        let rotated = source.rotated && !draining.contains(&input);
        let (Some(path), Some(offset), false) = (&source.path, inputs.files[input].resume, rotated)
        else {
            continue;
        };
        let mut tail = match (inputs.take_handle(input), source.rotated) {
            (Some(file), true) => Tail::draining(path.clone(), file, offset),
            (Some(file), false) => Tail::resume_file(path.clone(), file, offset),
            (None, _) => Ok(Tail::resume(path.clone(), offset)),
        }
        .map_err(|e| format!("{}: {e}", path.display()))?;
        if let Some(listing) = listings.get(path).filter(|_| !source.rotated) {
            tail.adopt(listing);
        }
        know_all(&mut tail, listings);
        followed.push(Followed {
            input,
            tail,
            chunk: 1 << 32,
            carry: Carry::default(),
        });
    }
    Ok(followed)
}

/// The paths waited for: those named that do not exist yet, and the live
/// files of families rotated away just now.
fn waited_for(
    paths: &[PathBuf],
    sources: &[Source],
    listings: &BTreeMap<PathBuf, Listing>,
) -> Vec<(PathBuf, Tail)> {
    let mut waiting: Vec<PathBuf> = paths
        .iter()
        .filter(|p| !p.exists() && p.as_os_str() != "-")
        .cloned()
        .collect();
    for live in sources.iter().filter(|s| s.rotated) {
        let Some(live) = live.path.as_deref().and_then(live_name) else {
            continue;
        };
        if !live.exists() && !waiting.contains(&live) {
            waiting.push(live);
        }
    }
    waiting
        .into_iter()
        .map(|p| {
            let listing = listings.get(&p).cloned().unwrap_or_else(|| Listing::of(&p));
            let mut tail = Tail::waiting(p.clone(), &listing);
            know_all(&mut tail, listings);
            (p, tail)
        })
        .collect()
}

/// Says on stderr what history was read (or resumed from `--state`) and
/// how many files are followed.
fn history_note(resumed: Option<(&PathBuf, f64)>, with_state: bool, new_lines: u64, files: usize) {
    let read = match resumed {
        Some((path, at)) => format!(
            "resumed from {} (saved {}): {} new since",
            path.display(),
            crate::timefmt::rfc3339(at as i64),
            lines_of(new_lines)
        ),
        None if with_state => format!("read {} of history", lines_of(new_lines)),
        None => format!(
            "read {} of history (without --state, a restart reads it again and announces its bursts again)",
            lines_of(new_lines)
        ),
    };
    note(&format!(
        "{read}; following {} {}",
        thousands(files as u64),
        if files == 1 { "file" } else { "files" }
    ));
}

/// Reads what is new in every followed file (and, when `stopping`, what is
/// left, partial lines included); returns the counts and whether any line
/// came. A rotation or truncation sets `changed`.
fn poll_all(
    followed: &mut [Followed],
    inputs: &Inputs,
    opts: &Options,
    stopping: bool,
    changed: &mut bool,
) -> (Aggregate, bool) {
    let mut delta = Aggregate::default();
    let mut lines = false;
    for f in followed {
        let Some(scanner) = inputs.scanner(f.input, &opts.settings) else {
            continue;
        };
        let mut scanner = scanner.resume(f.carry);
        let input = f.input;
        let chunk = &mut f.chunk;
        let live = f.tail.path().to_path_buf();
        let result = f.tail.poll(&mut |block, place| {
            scanner.scan(&mut delta, input, *chunk, block);
            delta.place(input, *chunk, place.line, read_from(&live, place));
            *chunk += 1;
            lines = true;
        });
        match result {
            Ok(changes) => {
                for c in changes.iter().filter(|c| **c != Change::Opened) {
                    note(&format!("{}: {}", f.tail.path().display(), describe(c)));
                    // The old file may soon be gone: what was read from it
                    // is saved at once.
                    *changed = true;
                }
            }
            Err(e) => note(&format!("{}: {e}", f.tail.path().display())),
        }
        if stopping {
            f.tail.finish(&mut |block, place| {
                scanner.scan(&mut delta, input, *chunk, block);
                delta.place(input, *chunk, place.line, read_from(&live, place));
                *chunk += 1;
            });
        }
        f.carry = scanner.carry();
    }
    (delta, lines)
}

/// The name of the file lines were read from, when it is not the path
/// followed (a rotated copy).
fn read_from(live: &Path, place: Place) -> Option<String> {
    (place.file != live).then(|| place.file.display().to_string())
}

/// File-system notifications that wake the loop (none with `--poll`, or
/// when the system has none: the loop then looks on a timer).
fn watcher(poll: Option<Duration>) -> (Option<notify::RecommendedWatcher>, Receiver<()>) {
    let (wake_tx, wake) = mpsc::channel::<()>();
    let watcher = match poll {
        Some(_) => None,
        None => notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            // Opening and reading the files (as the follower itself does) is
            // no news: only writes, creations, renames and removals wake it.
            if event.is_ok_and(|e| !matches!(e.kind, notify::EventKind::Access(_))) {
                let _ = wake_tx.send(());
            }
        })
        .map_err(|e| {
            note(&format!(
                "no file-system notifications ({e}): polling every second"
            ))
        })
        .ok(),
    };
    (watcher, wake)
}

/// The directory of `path` (`.` for a bare name).
fn parent(path: &Path) -> Option<PathBuf> {
    path.parent().map(|d| {
        if d.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            d.to_path_buf()
        }
    })
}

/// Lines dated more than this past the wall clock (a line from 2100) do
/// not move the log's clock: they would close and prune every window.
const FUTURE: i64 = 86_400;

/// The log's clock: its latest time, but for times more than [`FUTURE`]
/// ahead of the wall clock (then the start of the latest window before
/// that). Replayed logs from the past keep their own time.
fn log_clock(agg: &Aggregate, window: i64) -> Option<i64> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(i64::MAX, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let limit = now.saturating_add(FUTURE);
    match agg.last {
        Some(t) if t <= limit => Some(t),
        _ => agg
            .windows
            .keys()
            .copied()
            .filter(|&start| start.saturating_add(window) <= limit)
            .max(),
    }
}

/// What new files are added to.
struct Found<'a, 'g> {
    inputs: &'a mut Inputs<'g>,
    followed: &'a mut Vec<Followed>,
    opts: &'g Options,
}

impl Found<'_, '_> {
    fn follow(&mut self, source: &Source, said: &str, tail: Tail) {
        let Some(path) = &source.path else {
            return;
        };
        let input = self.inputs.add(source, self.opts);
        note(&format!("{}: {said}", path.display()));
        self.followed.push(Followed {
            input,
            tail,
            chunk: 1 << 32,
            carry: Carry::default(),
        });
    }

    /// The paths waited for that are there now: a file is followed, a
    /// directory is followed as one (its logs and those created in it).
    fn appeared(&mut self, waiting: &mut Vec<(PathBuf, Tail)>, dirs: &mut Vec<PathBuf>) {
        for (path, tail) in std::mem::take(waiting) {
            if !path.exists() {
                waiting.push((path, tail));
            } else if path.is_dir() {
                note(&format!(
                    "{}: appeared, a directory: followed",
                    path.display()
                ));
                dirs.push(path);
            } else if !self.inputs.has(&path) {
                // (A config may have found it under another name.)
                self.follow(&Source::waiting(path.clone()), "appeared, followed", tail);
            }
        }
    }

    /// Files created in the followed directories and configured families.
    fn in_families(&mut self, dirs: &[PathBuf], configured: &[Configured]) {
        if dirs.is_empty() && configured.is_empty() {
            return;
        }
        for source in discover_all(dirs, configured).sources {
            let Some(path) = &source.path else { continue };
            // A known file is followed already, or not to be read.
            if source.rotated || self.inputs.has(path) {
                continue;
            }
            self.follow(&source, "new file, followed", Tail::new(path.clone()));
        }
    }
}

/// Without `--since`, the history read at the start is the last day of
/// what is there: rotated files last written more than a day before the
/// newest file are left out.
fn skip_old(sources: &mut Vec<Source>) {
    let mtime = |s: &Source| {
        s.path
            .as_ref()
            .and_then(|p| std::fs::metadata(p).ok())
            .and_then(|m| m.modified().ok())
    };
    let Some(newest) = sources.iter().filter_map(mtime).max() else {
        return;
    };
    let day = Duration::from_secs(HISTORY);
    sources.retain(|s| !s.rotated || mtime(s).is_none_or(|t| t + day >= newest));
}

/// Waits until a notification arrives, `interval` passes or `stop` is set
/// (looked at every 100 ms, so a signal is acted on at once).
fn wait(wake: &Receiver<()>, interval: Duration, stop: &AtomicBool) {
    let deadline = Instant::now() + interval;
    while !stop.load(Ordering::SeqCst) {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return;
        }
        match wake.recv_timeout(left.min(Duration::from_millis(100))) {
            Ok(()) => {
                // One write makes several notifications: take them all.
                while wake.try_recv().is_ok() {}
                return;
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                std::thread::sleep(left.min(Duration::from_millis(100)))
            }
        }
    }
}

/// `1 line`, `1,234 lines`.
fn lines_of(n: u64) -> String {
    format!("{} {}", thousands(n), if n == 1 { "line" } else { "lines" })
}

/// A remark about the files followed, on stderr (stdout carries the events).
fn note(text: &str) {
    eprintln!("fiveohone: {}", printable(text));
}

fn describe(change: &Change) -> String {
    match change {
        Change::Opened => "opened".into(),
        Change::Rotated => "rotated: reading the new file, and the old one for late lines".into(),
        Change::Between(copy) => format!(
            "{} was rotated in and out since the last look: read whole",
            copy.display()
        ),
        Change::Truncated(Some(copy)) => format!(
            "truncated (copytruncate): read the rest from {}, now from the start",
            copy.display()
        ),
        Change::Truncated(None) => "truncated, and no rotated copy starts like it did: \
             lines written between the last read and the truncation, if any, are lost; \
             now from the start"
            .into(),
        Change::Gzip => "gzip content under the live name: decoded".into(),
        Change::Retired => "the rotated file is quiet: no longer read".into(),
    }
}
