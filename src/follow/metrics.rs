//! `--metrics ADDR`: live mode's counters served to Prometheus.
//!
//! [`Metrics`] is an [`Output`]: it adds up the lines each poll counted and
//! follows the bursts' events. A thread of its own answers `GET /metrics`
//! on ADDR with [`Exposition::render`], so a scrape never waits for the
//! tail, nor the tail for a scrape.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::aggregate::breakdown::Dim;
use crate::aggregate::{Aggregate, Counts};
use crate::detect::Burst;
use crate::report::output::{Change, Output};
use crate::report::prometheus::{Exposition, UPSTREAMS};
use crate::report::Report;

/// How long a client may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(2);

/// The live counters, shared with the thread that serves them.
pub struct Metrics {
    shared: Arc<Mutex<Exposition>>,
    /// The bursts going on, by start, with their scenario.
    open: Vec<(i64, String)>,
}

/// Unix seconds now.
fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

impl Metrics {
    /// Serves the counters on `addr`; `status` names the status set and
    /// `scenarios` the labels bursts can have. Returns the address bound
    /// (`127.0.0.1:0` picks a port).
    pub fn serve(
        addr: &str,
        status: &str,
        scenarios: &[String],
    ) -> io::Result<(Metrics, SocketAddr)> {
        let listener = TcpListener::bind(addr)?;
        let bound = listener.local_addr()?;
        let mut first = Exposition {
            status: status.to_string(),
            ..Exposition::default()
        };
        for s in scenarios.iter().chain([&"unclassified".to_string()]) {
            first.active.insert(s.clone(), 0);
        }
        let shared = Arc::new(Mutex::new(first));
        let served = Arc::clone(&shared);
        std::thread::spawn(move || serve(&listener, &served));
        Ok((
            Metrics {
                shared,
                open: Vec::new(),
            },
            bound,
        ))
    }

    fn update(&self, f: impl FnOnce(&mut Exposition)) {
        f(&mut self.shared.lock().unwrap_or_else(PoisonError::into_inner));
    }
}

impl Output for Metrics {
    fn counted(&mut self, delta: &Aggregate) {
        let lines = delta.file_totals();
        let everything = [(i64::MIN, i64::MAX)];
        let upstreams = delta.breakdown.upstream_requests_over(&everything);
        let matched = delta.breakdown.matched_over(Dim::Upstream, &everything);
        self.update(|e| {
            e.lines += lines.lines;
            e.malformed += lines.malformed;
            for w in delta.windows.values().chain(delta.outside.values()) {
                for (mine, theirs) in e.methods.iter_mut().zip(&w.methods) {
                    mine.add(*theirs);
                }
                for (mine, theirs) in e.devices.iter_mut().zip(&w.devices) {
                    mine.add(*theirs);
                }
            }
            let mut add = |name: &str, c: Counts| {
                let known = e.upstreams.contains_key(name) || e.upstreams.len() < UPSTREAMS;
                let key = if known { name } else { "other" };
                e.upstreams.entry(key.to_string()).or_default().add(c);
            };
            for (name, n) in upstreams {
                add(
                    &name,
                    Counts {
                        requests: n,
                        matched: 0,
                    },
                );
            }
            for (name, n) in matched {
                add(
                    &name,
                    Counts {
                        requests: 0,
                        matched: n,
                    },
                );
            }
            e.last_line = e.last_line.max(delta.last);
        });
    }

    fn burst(&mut self, change: Change, burst: &Burst) -> io::Result<()> {
        let start = burst.span.0;
        let was = self.open.iter().position(|(s, _)| *s == start);
        let before = was.map(|i| self.open.remove(i).1);
        if change != Change::Ended {
            self.open.push((start, burst.scenario.clone()));
        }
        let after = (change != Change::Ended).then(|| burst.scenario.clone());
        self.update(|e| {
            if let Some(s) = before.and_then(|s| e.active.get_mut(&s)) {
                *s = s.saturating_sub(1);
            }
            if let Some(s) = after {
                *e.active.entry(s).or_default() += 1;
            }
            *e.events.entry(change.name()).or_default() += 1;
            e.last_event = Some(now());
        });
        Ok(())
    }

    fn report(&mut self, _report: &Report) -> io::Result<()> {
        Ok(())
    }
}

/// Clients answered at once, at most: a client that sends nothing holds
/// one for the read timeout, never the others.
const CLIENTS: usize = 8;

/// Answers each connection on a thread of its own, [`CLIENTS`] at most
/// (more wait for one to finish).
fn serve(listener: &TcpListener, shared: &Arc<Mutex<Exposition>>) {
    let busy = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming().flatten() {
        while busy.load(Ordering::SeqCst) >= CLIENTS {
            std::thread::sleep(Duration::from_millis(10));
        }
        busy.fetch_add(1, Ordering::SeqCst);
        let (shared, busy) = (Arc::clone(shared), Arc::clone(&busy));
        std::thread::spawn(move || {
            let _ = answer(stream, &shared);
            busy.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

/// Answers one HTTP request: `GET /metrics`, else a short help or an
/// error.
fn answer(stream: TcpStream, shared: &Mutex<Exposition>) -> io::Result<()> {
    stream.set_read_timeout(Some(READ_TIMEOUT))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.by_ref().take(8192).read_line(&mut request)?;
    // The headers, up to the blank line (a client waits for its answer
    // only after sending them).
    let mut header = String::new();
    for _ in 0..100 {
        if reader.by_ref().take(8192).read_line(&mut header)? <= 2 {
            break;
        }
        header.clear();
    }
    let mut parts = request.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let path = target.split('?').next().unwrap_or("");
    let (status, kind, body) = match (method, path) {
        ("GET" | "HEAD", "/metrics") => {
            let text = shared
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .render(now());
            ("200 OK", "text/plain; version=0.0.4; charset=utf-8", text)
        }
        ("GET" | "HEAD", "/") => (
            "200 OK",
            "text/plain; charset=utf-8",
            "fiveohone: the metrics are at /metrics\n".to_string(),
        ),
        ("GET" | "HEAD", _) => ("404 Not Found", "text/plain", "not found\n".to_string()),
        _ => (
            "405 Method Not Allowed",
            "text/plain",
            "GET only\n".to_string(),
        ),
    };
    let mut out = stream;
    write!(
        out,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if method != "HEAD" {
        out.write_all(body.as_bytes())?;
    }
    out.flush()
}
