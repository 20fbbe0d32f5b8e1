//! Error-log events: what a line means ([`EventKind`], from the table in
//! `grammars/error-events.conf`) and counters of events that merge like the
//! access-log counters do.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use memchr::memmem;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::aggregate::{max_opt, min_opt};
use crate::grammar::error::{ErrorLine, Server};
use crate::record::Record;
use crate::route;

/// What an error-log line says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Configuration reloaded (nginx SIGHUP, Apache graceful restart).
    Reload,
    /// Server (re)started.
    Restart,
    /// Server stopping.
    Shutdown,
    /// An upstream did not answer in time.
    UpstreamTimeout,
    /// An upstream refused or could not be reached.
    UpstreamRefused,
    /// No upstream left to try.
    NoLiveUpstreams,
    /// Out of workers or connections.
    WorkerExhaustion,
    /// A request with a method the server does not know.
    InvalidMethod,
    /// Anything else.
    Other,
}

/// Number of [`EventKind`]s.
pub const KINDS: usize = 9;

impl EventKind {
    /// Every kind, in table order.
    pub const ALL: [EventKind; KINDS] = [
        EventKind::Reload,
        EventKind::Restart,
        EventKind::Shutdown,
        EventKind::UpstreamTimeout,
        EventKind::UpstreamRefused,
        EventKind::NoLiveUpstreams,
        EventKind::WorkerExhaustion,
        EventKind::InvalidMethod,
        EventKind::Other,
    ];

    /// The kind's name as written in the table and the JSON.
    pub fn name(self) -> &'static str {
        match self {
            EventKind::Reload => "reload",
            EventKind::Restart => "restart",
            EventKind::Shutdown => "shutdown",
            EventKind::UpstreamTimeout => "upstream_timeout",
            EventKind::UpstreamRefused => "upstream_refused",
            EventKind::NoLiveUpstreams => "no_live_upstreams",
            EventKind::WorkerExhaustion => "worker_exhaustion",
            EventKind::InvalidMethod => "invalid_method",
            EventKind::Other => "other",
        }
    }

    fn from_name(name: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Whether it is a server lifecycle event (reload, restart, shutdown).
    pub fn is_lifecycle(self) -> bool {
        matches!(
            self,
            EventKind::Reload | EventKind::Restart | EventKind::Shutdown
        )
    }
}

/// One row of the classification table.
#[derive(Debug, Clone)]
struct Rule {
    kind: EventKind,
    server: Option<Server>,
    /// An Apache code (`AH00957`), or text the message contains.
    code: bool,
    pattern: Vec<u8>,
}

/// The classification table shipped in `grammars/error-events.conf`.
const TABLE: &str = include_str!("../grammars/error-events.conf");

/// Parses a classification table (see `grammars/error-events.conf`).
fn parse_table(text: &str) -> Result<Vec<Rule>, String> {
    let mut rules = Vec::new();
    for (no, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (kind, rest) = split_word(line);
        let (server, pattern) = split_word(rest);
        let kind = EventKind::from_name(kind)
            .ok_or_else(|| format!("line {}: unknown kind `{kind}`", no + 1))?;
        let server = match server {
            "nginx" => Some(Server::Nginx),
            "apache" => Some(Server::Apache),
            "any" => None,
            other => return Err(format!("line {}: unknown server `{other}`", no + 1)),
        };
        if pattern.is_empty() {
            return Err(format!("line {}: empty pattern", no + 1));
        }
        let (code, pattern) = match pattern.strip_prefix("code ") {
            Some(c) => (true, c.trim()),
            None => (false, pattern),
        };
        rules.push(Rule {
            kind,
            server,
            code,
            pattern: pattern.as_bytes().to_vec(),
        });
    }
    Ok(rules)
}

/// The first word of `s` and the rest, trimmed.
fn split_word(s: &str) -> (&str, &str) {
    match s.split_once(char::is_whitespace) {
        Some((word, rest)) => (word, rest.trim()),
        None => (s, ""),
    }
}

fn rules() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    // The shipped table is tested to parse; a broken one classifies
    // everything as `other` rather than failing a run.
    RULES.get_or_init(|| parse_table(TABLE).unwrap_or_default())
}

/// The kind of an error line: the first matching rule's, else `other`.
/// Reloads, restarts and shutdowns come from `notice` lines only: servers
/// log them there, and a client's request path in an `[error]` line must
/// not pass for one.
pub fn classify(line: &ErrorLine) -> EventKind {
    let notice = line.level == b"notice";
    rules()
        .iter()
        .find(|r| {
            (notice || !r.kind.is_lifecycle())
                && r.server.is_none_or(|s| s == line.server)
                && if r.code {
                    line.code == Some(r.pattern.as_slice())
                } else {
                    memmem::find(line.message, &r.pattern).is_some()
                }
        })
        .map_or(EventKind::Other, |r| r.kind)
}

/// An event kept with its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// UTC seconds.
    pub time: i64,
    /// What happened.
    pub kind: EventKind,
    /// `nginx` or `apache`.
    pub server: Server,
    /// Log level.
    pub level: String,
    /// The message.
    pub message: String,
    /// Normalised route of the request the line names.
    pub route: Option<String>,
    /// Upstream the line names.
    pub upstream: Option<String>,
    /// Index of the input file.
    pub file: usize,
}

impl Event {
    fn new(line: &ErrorLine, kind: EventKind, time: i64, file: usize) -> Event {
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        let route = line.request.map(|req| {
            let mut r = Record::new(0, 0);
            r.set_request(req);
            route::normalize(r.target)
        });
        Event {
            time,
            kind,
            server: line.server,
            level: text(line.level),
            message: text(&line.message[..line.message.len().min(400)]),
            route,
            upstream: line.upstream.map(text),
            file,
        }
    }
}

/// Lines per kind, with their first and last time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindStats {
    /// Lines of this kind.
    pub lines: u64,
    /// First time, UTC seconds.
    pub first: Option<i64>,
    /// Last time, UTC seconds.
    pub last: Option<i64>,
}

/// How many non-lifecycle events are kept with their text; past that they
/// are only counted per window.
pub const KEEP_EVENTS: usize = 2000;
/// How many reloads, restarts and shutdowns are kept (a flapping server is
/// still bounded); past that they are counted in [`Events::lifecycle_dropped`].
pub const KEEP_LIFECYCLE: usize = 10_000;
/// Lifecycle lines closer than this (seconds) are one event.
pub const LIFECYCLE_GAP: i64 = 10;

/// Event counters of a chunk, a file or a run.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Events {
    /// Lines per kind.
    pub kinds: BTreeMap<EventKind, KindStats>,
    /// Lines per window start and kind (indexed like [`EventKind::ALL`]).
    pub windows: FxHashMap<i64, [u64; KINDS]>,
    lifecycle: Vec<Lifecycle>,
    kept: Vec<Event>,
    lifecycle_dropped: u64,
}

impl Events {
    /// Counts an error line at UTC `time` from file `file`.
    pub fn add(&mut self, line: &ErrorLine, time: i64, file: usize, window: i64) {
        let kind = classify(line);
        let stats = self.kinds.entry(kind).or_default();
        stats.lines += 1;
        stats.first = Some(stats.first.map_or(time, |f| f.min(time)));
        stats.last = Some(stats.last.map_or(time, |l| l.max(time)));
        self.windows
            .entry(time.div_euclid(window) * window)
            .or_default()[kind as usize] += 1;
        if kind.is_lifecycle() {
            let event = Event::new(line, kind, time, file);
            // Lines of one reload arrive together: extend the last event of
            // this file and server when the line is close enough.
            let kept = self.lifecycle.len();
            let last = self
                .lifecycle
                .iter_mut()
                .rev()
                .find(|l| l.file == file && l.server == line.server);
            match last {
                Some(l) if time >= l.time && time - l.end <= LIFECYCLE_GAP => l.absorb(event),
                _ if kept < KEEP_LIFECYCLE => self.lifecycle.push(Lifecycle::from(event)),
                _ => self.lifecycle_dropped += 1,
            }
        } else if self.kept.len() < KEEP_EVENTS {
            self.kept.push(Event::new(line, kind, time, file));
        }
    }

    /// Merges `other` into `self`.
    pub fn merge(&mut self, other: Events) {
        for (k, s) in other.kinds {
            let mine = self.kinds.entry(k).or_default();
            mine.lines += s.lines;
            mine.first = min_opt(mine.first, s.first);
            mine.last = max_opt(mine.last, s.last);
        }
        for (w, counts) in other.windows {
            let mine = self.windows.entry(w).or_default();
            for (m, c) in mine.iter_mut().zip(counts) {
                *m += c;
            }
        }
        self.lifecycle.extend(other.lifecycle);
        self.lifecycle.sort_by_key(|l| (l.file, l.server, l.time));
        // Events of one file split between two parts join up again.
        let mut joined: Vec<Lifecycle> = Vec::with_capacity(self.lifecycle.len());
        for l in std::mem::take(&mut self.lifecycle) {
            match joined.last_mut() {
                Some(prev)
                    if prev.file == l.file
                        && prev.server == l.server
                        && l.time - prev.end <= LIFECYCLE_GAP =>
                {
                    prev.join(l)
                }
                _ => joined.push(l),
            }
        }
        joined.sort_by_key(|l| (l.time, l.file));
        self.lifecycle_dropped +=
            other.lifecycle_dropped + joined.len().saturating_sub(KEEP_LIFECYCLE) as u64;
        joined.truncate(KEEP_LIFECYCLE);
        self.lifecycle = joined;
        self.kept.extend(other.kept);
        self.kept.sort_by_key(|e| (e.time, e.file));
        self.kept.truncate(KEEP_EVENTS);
    }

    /// Turns each input index `i` of the events kept into `to(i)`.
    pub fn renumber(&mut self, to: &dyn Fn(usize) -> usize) {
        for e in &mut self.kept {
            e.file = to(e.file);
        }
        for l in &mut self.lifecycle {
            l.file = to(l.file);
        }
    }

    /// Total error-log events (lines that parsed as error lines).
    pub fn total(&self) -> u64 {
        self.kinds.values().map(|s| s.lines).sum()
    }

    /// Non-lifecycle events with their text, oldest first, if all of them
    /// were kept (`None` when there were more than [`KEEP_EVENTS`]).
    pub fn all_other_events(&self) -> Option<&[Event]> {
        let others: u64 = self
            .kinds
            .iter()
            .filter(|(k, _)| !k.is_lifecycle())
            .map(|(_, s)| s.lines)
            .sum();
        (others as usize <= self.kept.len()).then_some(self.kept.as_slice())
    }

    /// Lifecycle lines dropped past [`KEEP_LIFECYCLE`].
    pub fn lifecycle_dropped(&self) -> u64 {
        self.lifecycle_dropped
    }

    /// Reloads, restarts and shutdowns, oldest first: lifecycle lines of one
    /// server and file that follow each other within [`LIFECYCLE_GAP`]
    /// seconds are one event (see `grammars/error-events.conf`).
    pub fn lifecycle(&self) -> Vec<Lifecycle> {
        let mut out = self.lifecycle.clone();
        out.sort_by_key(|l| (l.time, l.file));
        out
    }
}

/// A reload, restart or shutdown, made of one or more lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lifecycle {
    /// First line's time, UTC seconds.
    pub time: i64,
    /// Last line's time.
    pub end: i64,
    /// reload, restart or shutdown (reload wins over restart over shutdown).
    pub kind: EventKind,
    /// Which server.
    pub server: Server,
    /// Index of the input file.
    pub file: usize,
    /// The first line's level.
    pub level: String,
    /// How many lines it is made of.
    pub count: u64,
    /// The messages of its first lines (at most [`LIFECYCLE_MESSAGES`]).
    pub lines: Vec<String>,
}

/// Messages kept per reload, restart or shutdown.
pub const LIFECYCLE_MESSAGES: usize = 5;

impl From<Event> for Lifecycle {
    fn from(e: Event) -> Lifecycle {
        Lifecycle {
            time: e.time,
            end: e.time,
            kind: e.kind,
            server: e.server,
            file: e.file,
            level: e.level,
            count: 1,
            lines: vec![e.message],
        }
    }
}

impl Lifecycle {
    fn absorb(&mut self, e: Event) {
        self.join(Lifecycle::from(e));
    }

    fn join(&mut self, other: Lifecycle) {
        self.end = self.end.max(other.end);
        self.kind = self.kind.min(other.kind);
        self.count += other.count;
        for line in other.lines {
            if self.lines.len() < LIFECYCLE_MESSAGES {
                self.lines.push(line);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grammar::error::parse;

    fn kind(line: &str) -> EventKind {
        classify(&parse(line.as_bytes()).unwrap_or_else(|| panic!("not an error line: {line}")))
    }

    #[test]
    fn shipped_table_parses() {
        let rules = parse_table(TABLE).unwrap();
        assert!(rules.len() > 30);
        for k in EventKind::ALL
            .into_iter()
            .filter(|k| *k != EventKind::Other)
        {
            assert!(
                rules.iter().any(|r| r.kind == k),
                "no rule for {}",
                k.name()
            );
        }
        assert!(parse_table("bogus nginx x").is_err());
        assert!(parse_table("reload mars x").is_err());
        assert!(parse_table("reload nginx").is_err());
    }

    #[test]
    fn every_kind_from_real_messages() {
        let n = |m: &str| format!("2026/05/07 10:58:12 [notice] 1#1: {m}");
        let a = |m: &str| format!("[Thu May 07 10:58:12.123 2026] [core:notice] [pid 1:tid 2] {m}");
        let cases = [
            (n("signal 1 (SIGHUP) received from 1201, reconfiguring"), EventKind::Reload),
            (n("reconfiguring"), EventKind::Reload),
            (n("start worker processes"), EventKind::Restart),
            (n("gracefully shutting down"), EventKind::Shutdown),
            (n("signal 15 (SIGTERM) received from 1, exiting"), EventKind::Shutdown),
            (n("signal process started"), EventKind::Other),
            (n("reopening logs"), EventKind::Other),
            (n("*5 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 1.2.3.4, server: x"), EventKind::UpstreamTimeout),
            (
                "2026/05/07 10:58:12 [error] 1#1: *1 open() \"/srv/reconfiguring\" failed (2: No such file or directory), client: 1.2.3.4".to_string(),
                EventKind::Other,
            ),
            (n("*5 connect() failed (111: Connection refused) while connecting to upstream, client: 1.2.3.4, server: x"), EventKind::UpstreamRefused),
            (n("*5 no live upstreams while connecting to upstream, client: 1.2.3.4"), EventKind::NoLiveUpstreams),
            (n("1024 worker_connections are not enough"), EventKind::WorkerExhaustion),
            (n("*9 client sent invalid method while reading client request line, client: 1.2.3.4, server: x, request: \"FOO / HTTP/1.1\""), EventKind::InvalidMethod),
            (a("AH00493: SIGUSR1 received.  Doing graceful restart"), EventKind::Reload),
            (a("AH00489: Apache/2.4.58 (Ubuntu) configured -- resuming normal operations"), EventKind::Restart),
            (a("AH00094: Command line: '/usr/sbin/apache2'"), EventKind::Restart),
            (a("AH00169: caught SIGTERM, shutting down"), EventKind::Shutdown),
            (a("AH00484: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting"), EventKind::WorkerExhaustion),
            (a("AH00161: server reached MaxRequestWorkers and can not serve any more requests"), EventKind::WorkerExhaustion),
            (a("(111)Connection refused: AH00957: HTTP: attempt to connect to 10.0.0.1:8080 (*) failed"), EventKind::UpstreamRefused),
            (a("(70007)The timeout specified has expired: [client 1.2.3.4:5] AH01102: error reading status line from remote server 10.0.0.1:8080"), EventKind::UpstreamTimeout),
            (a("[client 1.2.3.4:5] AH00135: Invalid method in request FOO /"), EventKind::InvalidMethod),
            (a("[client 1.2.3.4:5] File does not exist: /x"), EventKind::Other),
        ];
        for (line, want) in cases {
            assert_eq!(kind(&line), want, "{line}");
        }
    }

    fn event_at(line: &str, t: i64, file: usize, events: &mut Events) {
        let parsed = parse(line.as_bytes()).unwrap();
        events.add(&parsed, t, file, 300);
    }

    #[test]
    fn lifecycle_lines_become_one_event() {
        let mut e = Events::default();
        // An nginx reload: four lines in two seconds, then a stop later.
        for (t, m) in [
            (100, "signal 1 (SIGHUP) received from 9, reconfiguring"),
            (100, "reconfiguring"),
            (101, "start worker processes"),
            (101, "gracefully shutting down"),
            (500, "signal 15 (SIGTERM) received from 1, exiting"),
            (800, "gracefully shutting down"),
            (805, "start worker processes"),
        ] {
            event_at(
                &format!("2026/05/07 10:58:12 [notice] 1#1: {m}"),
                t,
                0,
                &mut e,
            );
        }
        let l = e.lifecycle();
        let got: Vec<(i64, EventKind)> = l.iter().map(|x| (x.time, x.kind)).collect();
        assert_eq!(
            got,
            [
                (100, EventKind::Reload),
                (500, EventKind::Shutdown),
                (800, EventKind::Restart)
            ]
        );
        assert_eq!(l[0].count, 4);
        assert_eq!(e.kinds[&EventKind::Reload].lines, 2);

        // Merging split parts gives the same events.
        let mut a = Events::default();
        let mut b = Events::default();
        event_at(
            "2026/05/07 10:58:12 [notice] 1#1: reconfiguring",
            100,
            0,
            &mut a,
        );
        event_at(
            "2026/05/07 10:58:12 [notice] 1#1: start worker processes",
            101,
            0,
            &mut b,
        );
        a.merge(b);
        assert_eq!(a.lifecycle().len(), 1);
        assert_eq!(a.total(), 2);
    }

    #[test]
    fn other_events_are_kept_until_the_limit() {
        let mut e = Events::default();
        event_at("2026/05/07 10:58:12 [error] 1#1: *1 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 1.2.3.4, server: x, request: \"POST /api/v1/orders/42 HTTP/1.1\", upstream: \"http://10.0.0.7:8080/api\"", 10, 0, &mut e);
        let kept = e.all_other_events().unwrap();
        assert_eq!(kept[0].route.as_deref(), Some("/api/v1/orders/:id"));
        assert_eq!(
            kept[0].upstream.as_deref(),
            Some("http://10.0.0.7:8080/api")
        );
        for i in 0..KEEP_EVENTS as i64 {
            event_at(
                "2026/05/07 10:58:12 [error] 1#1: something",
                20 + i,
                0,
                &mut e,
            );
        }
        assert!(e.all_other_events().is_none());
        assert_eq!(
            e.windows
                .values()
                .map(|c| c.iter().sum::<u64>())
                .sum::<u64>(),
            KEEP_EVENTS as u64 + 1
        );
    }
}
