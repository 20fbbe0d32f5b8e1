//! `--on-event CMD`: each live event runs a command with the event as JSON
//! on its stdin, so a team reaches Slack, PagerDuty or a webhook with its
//! own script, and fiveohone holds no credentials.
//!
//! The commands run one at a time on a thread of their own, fed by a
//! bounded queue: a slow or failing command never blocks the tail. A full
//! queue drops the event (counted); a command that runs past its timeout is
//! killed (counted); one that fails is counted and its status said.

use std::io::{self, Write};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::detect::Burst;
use crate::report::output::{self, Change, Output};
use crate::report::Report;

/// Events waiting for their command, at most.
pub const QUEUE: usize = 64;

/// What happened to the events handed to the hook.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HookStats {
    /// Events whose command exited 0.
    pub ok: u64,
    /// Commands that failed to start or exited non-zero.
    pub failed: u64,
    /// Commands killed at the timeout.
    pub timed_out: u64,
    /// Events dropped because the queue was full.
    pub dropped: u64,
}

/// One event for the command.
struct Job {
    json: String,
    change: Change,
    scenario: String,
}

/// Runs `--on-event` commands.
pub struct Hook {
    queue: Option<SyncSender<Job>>,
    /// Says when the worker is done with the queue.
    done: Receiver<()>,
    stats: Arc<Mutex<HookStats>>,
    /// Events queued and not done yet.
    pending: Arc<AtomicU64>,
    timeout: Duration,
}

impl Hook {
    /// Runs `command` (with `sh -c`) for each event, killing it after
    /// `timeout`.
    pub fn new(command: String, timeout: Duration) -> Hook {
        let (queue, jobs) = mpsc::sync_channel(QUEUE);
        let (finished, done) = mpsc::channel();
        let stats = Arc::new(Mutex::new(HookStats::default()));
        let pending = Arc::new(AtomicU64::new(0));
        let (counts, left) = (Arc::clone(&stats), Arc::clone(&pending));
        std::thread::spawn(move || {
            work(&command, timeout, &jobs, &counts, &left);
            let _ = finished.send(());
        });
        Hook {
            queue: Some(queue),
            done,
            stats,
            pending,
            timeout,
        }
    }

    /// What happened so far.
    pub fn stats(&self) -> HookStats {
        *self.stats.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn count(&self, f: impl FnOnce(&mut HookStats)) {
        f(&mut self.stats.lock().unwrap_or_else(PoisonError::into_inner));
    }
}

impl Output for Hook {
    fn burst(&mut self, change: Change, burst: &Burst) -> io::Result<()> {
        let json = output::event_json(change, burst)?;
        let job = Job {
            json,
            change,
            scenario: burst.scenario.clone(),
        };
        let Some(queue) = &self.queue else {
            return Ok(());
        };
        match queue.try_send(job) {
            Ok(()) => {
                self.pending.fetch_add(1, Ordering::SeqCst);
            }
            Err(TrySendError::Full(_)) => {
                self.count(|s| s.dropped += 1);
                super::note(&format!(
                    "--on-event: {QUEUE} events wait for the command already: this {} event is dropped",
                    change.name()
                ));
            }
            Err(TrySendError::Disconnected(_)) => self.count(|s| s.failed += 1),
        }
        Ok(())
    }

    /// The run is over: the events still queued get their commands, for
    /// one timeout at most in all, then the counts are said.
    fn report(&mut self, _report: &Report) -> io::Result<()> {
        drop(self.queue.take());
        if self.done.recv_timeout(self.timeout).is_err() {
            let left = self.pending.load(Ordering::SeqCst);
            self.count(|s| s.dropped += left);
            super::note(&format!(
                "--on-event: stopping with {left} events whose commands have not finished"
            ));
        }
        let s = self.stats();
        super::note(&format!(
            "--on-event: {} ran, {} failed, {} timed out (after {} s), {} dropped",
            s.ok,
            s.failed,
            s.timed_out,
            self.timeout.as_secs(),
            s.dropped
        ));
        Ok(())
    }
}

/// The worker: runs the command for each job until the queue closes.
fn work(
    command: &str,
    timeout: Duration,
    jobs: &Receiver<Job>,
    stats: &Mutex<HookStats>,
    pending: &AtomicU64,
) {
    for job in jobs {
        let outcome = run(command, &job, timeout);
        pending.fetch_sub(1, Ordering::SeqCst);
        let mut s = stats.lock().unwrap_or_else(PoisonError::into_inner);
        match outcome {
            Outcome::Done(status) if status.success() => s.ok += 1,
            Outcome::Done(status) => {
                s.failed += 1;
                super::note(&format!(
                    "--on-event: the command failed ({status}) for a {} event",
                    job.change.name()
                ));
            }
            Outcome::TimedOut => {
                s.timed_out += 1;
                super::note(&format!(
                    "--on-event: the command ran past {} s and was killed",
                    timeout.as_secs()
                ));
            }
            Outcome::NotRun(e) => {
                s.failed += 1;
                super::note(&format!("--on-event: cannot run the command: {e}"));
            }
        }
    }
}

enum Outcome {
    Done(ExitStatus),
    TimedOut,
    NotRun(io::Error),
}

/// Runs `command` once with the job's JSON on stdin.
fn run(command: &str, job: &Job, timeout: Duration) -> Outcome {
    let spawned = Command::new("sh")
        .arg("-c")
        .arg(command)
        .env("FIVEOHONE_EVENT", job.change.name())
        .env("FIVEOHONE_SCENARIO", &job.scenario)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn();
    let mut child = match spawned {
        Ok(c) => c,
        Err(e) => return Outcome::NotRun(e),
    };
    if let Some(mut stdin) = child.stdin.take() {
        // On a thread of its own: a command that does not read its stdin
        // neither blocks the queue nor fails (the write ends with it).
        let json = format!("{}\n", job.json);
        std::thread::spawn(move || stdin.write_all(json.as_bytes()));
    }
    wait(&mut child, timeout)
}

/// Waits for `child` at most `timeout`, then kills it.
fn wait(child: &mut Child, timeout: Duration) -> Outcome {
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Outcome::Done(status),
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Outcome::TimedOut;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Outcome::NotRun(e),
        }
    }
}
