//! The error log of a timeline: background noise, logrotate, reloads and
//! what each scenario makes the server say, in nginx's or Apache 2.4's
//! layout.

use crate::clients::{make_client, Client, CLIENTS};
use crate::clock::{TimeCache, HOURLY};
use crate::config::{ScenarioKind, SynthConfig};
use crate::digits::{push_2, push_padded, push_u64};
use crate::rng::{pick_distinct, Rng};
use crate::timeline::{ScanRequest, Timeline};
use crate::truth::ErrorTruth;
use crate::vocab::{CUSTOM_VERBS, MISSING_FILES, WORDS};
use std::io;

/// Background error-log lines per hour, on average over a day (busier in the
/// afternoon, quieter at night, like the traffic).
const ERROR_NOISE_PER_HOUR: u64 = 4;

/// Keys of [`ErrorTruth::by_kind`].
const ERROR_KINDS: [&str; 6] = [
    "reload",
    "upstream_timeout",
    "upstream_refused",
    "worker_exhaustion",
    "invalid_method",
    "other",
];

/// What an error-log event says; all its lines share one second.
#[derive(Debug, Clone, Copy)]
enum ErrWhat {
    /// A whole reload sequence (nginx SIGHUP; Apache graceful restart).
    Reload,
    /// nginx reopening its logs after logrotate.
    Reopen,
    /// The application refusing connections while it restarts.
    Refused,
    /// An upstream timeout.
    Timeout,
    /// Out of workers or connections.
    Workers,
    /// A scanner's request with a method the server does not know.
    InvalidMethod(ScanRequest),
    /// Junk from the internet nginx cannot parse: entry of `Timeline::extras`.
    Junk(usize),
    /// Background noise: a missing file.
    NoFile,
    /// Background noise: nginx's closed connection, Apache's directory.
    Closed,
    /// Background noise: nginx's TLS handshake, Apache's denied client.
    Handshake,
    /// Background noise: nginx's buffered upstream response.
    Buffered,
}

#[derive(Debug, Clone, Copy)]
struct ErrEvent {
    ts: i64,
    seq: u64,
    what: ErrWhat,
}

/// Renders error-log events with the server's processes as they change.
struct ErrorLog<'a> {
    cfg: &'a SynthConfig,
    tl: &'a Timeline,
    nginx: bool,
    rng: Rng,
    time: TimeCache,
    clients: Vec<Client>,
    /// nginx master or Apache parent.
    master: u64,
    /// Apache parent's thread.
    master_tid: u64,
    /// nginx workers or Apache children.
    workers: Vec<u64>,
    next_pid: u64,
    /// nginx connection number.
    cid: u64,
    last_ts: i64,
    last_micros: u64,
    seq: u64,
    truth: ErrorTruth,
}

pub(crate) fn write_error_log<F>(
    cfg: &SynthConfig,
    tl: &Timeline,
    mut sink: F,
) -> io::Result<ErrorTruth>
where
    F: FnMut(i64, &[u8]) -> io::Result<()>,
{
    let mut log = ErrorLog::new(cfg, tl);
    let span_start = cfg.start;
    let span_end = cfg.start.saturating_add(cfg.duration_secs.max(1));
    let special = log.special_events();
    let mut cursor = 0;
    let mut pending: Vec<ErrEvent> = Vec::new();
    let mut buf = Vec::with_capacity(4096);
    let tz = i64::from(cfg.tz_offset_secs);
    let mut lo = span_start;
    loop {
        let hi = lo.saturating_add(86_400).min(span_end);
        let last = hi >= span_end;
        log.noise(lo, hi, &mut pending);
        if log.nginx && !cfg.env.nightly_reload {
            // logrotate's daily `nginx -s reopen`, within half an hour of
            // local midnight.
            let mut midnight = (lo + tz).div_euclid(86_400) * 86_400 - tz;
            if midnight < lo {
                midnight += 86_400;
            }
            while midnight < hi {
                let t = midnight + log.rng.range(1, 1800) as i64;
                if t < span_end {
                    pending.push(log.event(t, ErrWhat::Reopen));
                }
                midnight += 86_400;
            }
        }
        while cursor < special.len() && (last || special[cursor].ts < hi) {
            pending.push(special[cursor]);
            cursor += 1;
        }
        pending.sort_by_key(|e| (e.ts, e.seq));
        let keep = if last {
            pending.len()
        } else {
            pending.partition_point(|e| e.ts < hi)
        };
        for e in pending.drain(..keep) {
            buf.clear();
            log.render(&mut buf, e);
            sink(e.ts, &buf)?;
        }
        if last {
            break;
        }
        lo = hi;
    }
    let mut truth = log.truth;
    truth.reloads = tl
        .reloads
        .iter()
        .map(|r| r + cfg.env.clock_skew_secs)
        .collect();
    Ok(truth)
}

impl<'a> ErrorLog<'a> {
    fn new(cfg: &'a SynthConfig, tl: &'a Timeline) -> Self {
        // The same client population as the access log.
        let mut pool = Rng::new(cfg.seed);
        let clients = (0..CLIENTS).map(|_| make_client(&mut pool)).collect();
        let mut rng = Rng::new(cfg.seed ^ 0xE770_3106_5E44_0C11 ^ cfg.env.traffic_salt);
        let master = rng.range(700, 1900);
        let workers = (1..=2).map(|i| master + i).collect();
        let mut truth = ErrorTruth::default();
        for k in ERROR_KINDS {
            truth.by_kind.insert(k.to_owned(), 0);
        }
        ErrorLog {
            cfg,
            tl,
            nginx: cfg.format.is_nginx(),
            master_tid: 139_900_000_000_000 + rng.below(900_000_000_000),
            rng,
            time: TimeCache::of(cfg),
            clients,
            master,
            workers,
            next_pid: master + 3,
            cid: 1,
            last_ts: i64::MIN,
            last_micros: 0,
            seq: 0,
            truth,
        }
    }

    fn event(&mut self, ts: i64, what: ErrWhat) -> ErrEvent {
        self.seq += 1;
        ErrEvent {
            ts,
            seq: self.seq,
            what,
        }
    }

    /// Reloads (with the refused connections after them), traffic spikes'
    /// exhaustion and timeouts, scanners' invalid methods; in time order.
    fn special_events(&mut self) -> Vec<ErrEvent> {
        let tl = self.tl;
        let mut out = Vec::new();
        for &r in &tl.reloads {
            out.push(self.event(r, ErrWhat::Reload));
            for _ in 0..self.rng.below(3) {
                let t = r + self.rng.range(2, 30) as i64;
                out.push(self.event(t, ErrWhat::Refused));
            }
        }
        for (index, s) in tl.scenarios.iter().enumerate() {
            match s.kind {
                ScenarioKind::TrafficSpike => {
                    let mut t = s.start + self.rng.range(5, 40) as i64;
                    while t < s.end {
                        let what = if self.nginx && self.rng.below(100) < 35 {
                            ErrWhat::Workers
                        } else {
                            ErrWhat::Timeout
                        };
                        out.push(self.event(t, what));
                        t += self.rng.range(15, 75) as i64;
                    }
                    if !self.nginx {
                        // Apache says it again whenever the pool fills up anew.
                        let mut t = s.start + self.rng.range(5, 90) as i64;
                        while t < s.end {
                            out.push(self.event(t, ErrWhat::Workers));
                            t += self.rng.range(180, 480) as i64;
                        }
                    }
                }
                ScenarioKind::UnsupportedMethod => {
                    // A few of the made-up verbs are logged.
                    let custom: Vec<ScanRequest> = tl
                        .scans
                        .iter()
                        .filter(|r| r.scenario == index && CUSTOM_VERBS.contains(&r.method))
                        .copied()
                        .collect();
                    let n = self.rng.range(2, 6) as usize;
                    let mut picked = pick_distinct(&mut self.rng, &custom, n);
                    picked.sort_by_key(|r| r.ts);
                    for r in picked {
                        out.push(self.event(r.ts, ErrWhat::InvalidMethod(r)));
                    }
                    // The junk clusters' unparsable request lines, a few of them.
                    let junk: Vec<usize> = (0..tl.extras.len())
                        .filter(|&k| tl.extras[k].is_junk_of(index))
                        .collect();
                    if !junk.is_empty() {
                        let n = self.rng.range(2, 6) as usize;
                        let mut picked = pick_distinct(&mut self.rng, &junk, n);
                        picked.sort_unstable();
                        for k in picked {
                            out.push(self.event(tl.extras[k].ts, ErrWhat::Junk(k)));
                        }
                    }
                }
                _ => {}
            }
        }
        out.sort_by_key(|e| (e.ts, e.seq));
        out
    }

    /// A few lines an hour in `[lo, hi)`, following the diurnal shape.
    fn noise(&mut self, lo: i64, hi: i64, out: &mut Vec<ErrEvent>) {
        let tz = i64::from(self.cfg.tz_offset_secs);
        let total: u64 = HOURLY.iter().sum();
        let mut h = lo;
        while h < hi {
            let len = 3600.min(hi - h);
            let hour = ((h + tz).rem_euclid(86_400) / 3600) as usize;
            // Mean lines in this hour, in thousandths.
            let milli = ERROR_NOISE_PER_HOUR * 1000 * 24 * HOURLY[hour] / total * len as u64 / 3600;
            let n = self.rng.below(2 * milli + 1000) / 1000;
            for _ in 0..n {
                let t = h + self.rng.below(len as u64) as i64;
                let what = if self.nginx {
                    match self.rng.below(100) {
                        0..=49 => ErrWhat::NoFile,
                        50..=74 => ErrWhat::Closed,
                        75..=82 => ErrWhat::Handshake,
                        83..=95 => ErrWhat::Buffered,
                        _ => ErrWhat::Timeout,
                    }
                } else {
                    match self.rng.below(100) {
                        0..=54 => ErrWhat::NoFile,
                        55..=74 => ErrWhat::Closed,
                        75..=95 => ErrWhat::Handshake,
                        _ => ErrWhat::Timeout,
                    }
                };
                out.push(self.event(t, what));
            }
            h += len;
        }
    }

    fn count(&mut self, kind: &str) {
        *self.truth.by_kind.entry(kind.to_owned()).or_insert(0) += 1;
    }

    fn client_ip(&mut self) -> &str {
        let a = self.rng.below(CLIENTS as u64);
        let b = self.rng.below(CLIENTS as u64);
        &self.clients[a.min(b) as usize].ip
    }

    fn worker(&mut self) -> u64 {
        *self.rng.pick(&self.workers)
    }

    /// `2026/05/07 12:00:00 [level] pid#pid: `.
    fn nginx_head(&mut self, buf: &mut Vec<u8>, ts: i64, level: &str, pid: u64) {
        self.time.nginx_error(buf, ts);
        buf.extend_from_slice(b" [");
        buf.extend_from_slice(level.as_bytes());
        buf.extend_from_slice(b"] ");
        push_u64(buf, pid);
        buf.push(b'#');
        push_u64(buf, pid);
        buf.extend_from_slice(b": ");
    }

    /// `*cid ` of an nginx connection.
    fn nginx_cid(&mut self, buf: &mut Vec<u8>) {
        self.cid += self.rng.range(1, 900);
        buf.push(b'*');
        push_u64(buf, self.cid);
        buf.push(b' ');
    }

    /// One nginx notice line of process `pid`.
    fn nginx_notice(&mut self, buf: &mut Vec<u8>, ts: i64, pid: u64, msg: &[u8]) {
        self.nginx_head(buf, ts, "notice", pid);
        buf.extend_from_slice(msg);
        buf.push(b'\n');
    }

    /// `[Thu May 07 12:00:00.123456 2026] [module:level] [pid P:tid T] `,
    /// microseconds increasing within a second.
    fn apache_head(&mut self, buf: &mut Vec<u8>, ts: i64, module_level: &str, pid: u64, tid: u64) {
        if ts == self.last_ts {
            self.last_micros = (self.last_micros + self.rng.range(1, 3000)).min(999_999);
        } else {
            self.last_ts = ts;
            self.last_micros = self.rng.below(900_000);
        }
        buf.push(b'[');
        self.time.apache_error(buf, ts, self.last_micros);
        buf.extend_from_slice(b"] [");
        buf.extend_from_slice(module_level.as_bytes());
        buf.extend_from_slice(b"] [pid ");
        push_u64(buf, pid);
        buf.extend_from_slice(b":tid ");
        push_u64(buf, tid);
        buf.extend_from_slice(b"] ");
    }

    /// An Apache child's line head, with `[client ip:port] ` when `client`.
    fn apache_child(&mut self, buf: &mut Vec<u8>, ts: i64, module_level: &str, client: bool) {
        let pid = self.worker();
        let tid = 139_900_000_000_000 + self.rng.below(900_000_000_000);
        self.apache_head(buf, ts, module_level, pid, tid);
        if client {
            buf.extend_from_slice(b"[client ");
            let port = self.rng.range(1024, 65_535);
            let ip = self.client_ip();
            buf.extend_from_slice(ip.as_bytes());
            buf.push(b':');
            push_u64(buf, port);
            buf.extend_from_slice(b"] ");
        }
    }

    /// A request the application serves: `(path, api)`.
    fn app_request(&mut self, buf: &mut Vec<u8>) -> bool {
        match self.rng.below(4) {
            0 => {
                buf.extend_from_slice(b"/api/v1/products/");
                push_u64(buf, self.rng.range(1000, 9999));
                true
            }
            1 => {
                buf.extend_from_slice(b"/api/v1/users/");
                push_u64(buf, self.rng.range(1, 99_999));
                true
            }
            2 => {
                buf.extend_from_slice(b"/search?q=");
                buf.extend_from_slice(self.rng.pick(&WORDS[..14]).as_bytes());
                false
            }
            _ => {
                buf.extend_from_slice(b"/api/v1/products?category=");
                buf.extend_from_slice(self.rng.pick(&WORDS[..14]).as_bytes());
                true
            }
        }
    }

    /// `, client: IP, server: www.example.com, request: "GET /path HTTP/1.1",
    /// upstream: "http://10.0.1.N:8080/path", host: "…"` of an nginx line
    /// about a proxied request.
    fn nginx_proxied(&mut self, buf: &mut Vec<u8>) {
        buf.extend_from_slice(b", client: ");
        let ip = self.client_ip().to_owned();
        buf.extend_from_slice(ip.as_bytes());
        buf.extend_from_slice(b", server: www.example.com, request: \"GET ");
        let mut path = Vec::with_capacity(48);
        let api = self.app_request(&mut path);
        buf.extend_from_slice(&path);
        buf.extend_from_slice(if self.rng.below(100) < 65 {
            b" HTTP/2.0\", upstream: \"http://10.0.1."
        } else {
            b" HTTP/1.1\", upstream: \"http://10.0.1."
        });
        push_u64(buf, self.rng.range(11, 10 + self.tl.nodes));
        buf.extend_from_slice(b":8080");
        buf.extend_from_slice(&path);
        buf.extend_from_slice(if api {
            b"\", host: \"api.example.com\""
        } else {
            b"\", host: \"www.example.com\""
        });
    }

    fn render(&mut self, buf: &mut Vec<u8>, e: ErrEvent) {
        let before = count_lines(buf);
        let ts = e.ts;
        if self.nginx {
            self.render_nginx(buf, ts, e.what);
        } else {
            self.render_apache(buf, ts, e.what);
        }
        self.truth.lines += (count_lines(buf) - before) as u64;
    }

    fn render_nginx(&mut self, buf: &mut Vec<u8>, ts: i64, what: ErrWhat) {
        let kind = match what {
            ErrWhat::Reload => {
                let master = self.master;
                let signaller = self.next_pid + self.rng.range(1, 400);
                let mut msg = Vec::with_capacity(64);
                self.nginx_notice(buf, ts, signaller, b"signal process started");
                msg.extend_from_slice(b"signal 1 (SIGHUP) received from ");
                push_u64(&mut msg, signaller);
                msg.extend_from_slice(b", reconfiguring");
                self.nginx_notice(buf, ts, master, &msg);
                self.nginx_notice(buf, ts, master, b"reconfiguring");
                self.nginx_notice(buf, ts, master, b"using the \"epoll\" event method");
                self.nginx_notice(buf, ts, master, b"start worker processes");
                let old = std::mem::take(&mut self.workers);
                for i in 0..old.len() as u64 {
                    let pid = signaller + 1 + i;
                    msg.clear();
                    msg.extend_from_slice(b"start worker process ");
                    push_u64(&mut msg, pid);
                    self.nginx_notice(buf, ts, master, &msg);
                    self.workers.push(pid);
                }
                self.next_pid = signaller + 1 + old.len() as u64;
                for &pid in &old {
                    self.nginx_notice(buf, ts, pid, b"gracefully shutting down");
                }
                for &pid in &old {
                    self.nginx_notice(buf, ts, pid, b"exiting");
                }
                for &pid in &old {
                    self.nginx_notice(buf, ts, pid, b"exit");
                }
                for &pid in &old {
                    msg.clear();
                    msg.extend_from_slice(b"signal 17 (SIGCHLD) received from ");
                    push_u64(&mut msg, pid);
                    self.nginx_notice(buf, ts, master, &msg);
                    msg.clear();
                    msg.extend_from_slice(b"worker process ");
                    push_u64(&mut msg, pid);
                    msg.extend_from_slice(b" exited with code 0");
                    self.nginx_notice(buf, ts, master, &msg);
                }
                self.nginx_notice(buf, ts, master, b"signal 29 (SIGIO) received");
                // Lifecycle lines: SIGHUP, reconfiguring, start worker
                // processes, gracefully shutting down (one per old worker).
                let others = count_lines(buf) as u64 - 3 - old.len() as u64;
                *self.truth.by_kind.entry("other".to_owned()).or_insert(0) += others;
                "reload"
            }
            ErrWhat::Reopen => {
                let master = self.master;
                let logrotate = self.next_pid + self.rng.range(1, 400);
                self.next_pid = logrotate + 1;
                let mut msg = Vec::with_capacity(64);
                msg.extend_from_slice(b"signal 10 (SIGUSR1) received from ");
                push_u64(&mut msg, logrotate);
                msg.extend_from_slice(b", reopening logs");
                self.nginx_notice(buf, ts, master, &msg);
                self.nginx_notice(buf, ts, master, b"reopening logs");
                let workers = self.workers.clone();
                for pid in workers {
                    self.nginx_notice(buf, ts, pid, b"reopening logs");
                }
                *self.truth.by_kind.entry("other".to_owned()).or_insert(0) +=
                    count_lines(buf) as u64;
                "other"
            }
            ErrWhat::Refused => {
                let pid = self.worker();
                self.nginx_head(buf, ts, "error", pid);
                self.nginx_cid(buf);
                buf.extend_from_slice(
                    b"connect() failed (111: Connection refused) while connecting to upstream",
                );
                self.nginx_proxied(buf);
                buf.push(b'\n');
                "upstream_refused"
            }
            ErrWhat::Timeout => {
                let pid = self.worker();
                self.nginx_head(buf, ts, "error", pid);
                self.nginx_cid(buf);
                buf.extend_from_slice(
                    b"upstream timed out (110: Connection timed out) while reading response header from upstream",
                );
                self.nginx_proxied(buf);
                buf.push(b'\n');
                "upstream_timeout"
            }
            ErrWhat::Workers => {
                let pid = self.worker();
                self.nginx_head(buf, ts, "alert", pid);
                buf.extend_from_slice(b"1024 worker_connections are not enough\n");
                "worker_exhaustion"
            }
            ErrWhat::InvalidMethod(req) => {
                let pid = self.worker();
                self.nginx_head(buf, ts, "info", pid);
                self.nginx_cid(buf);
                buf.extend_from_slice(
                    b"client sent invalid method while reading client request line, client: ",
                );
                buf.extend_from_slice(self.tl.scanners[req.scanner].ip.as_bytes());
                buf.extend_from_slice(b", server: www.example.com, request: \"");
                buf.extend_from_slice(req.method.as_bytes());
                buf.push(b' ');
                buf.extend_from_slice(req.path.as_bytes());
                buf.extend_from_slice(b" HTTP/1.1\"\n");
                "invalid_method"
            }
            ErrWhat::Junk(k) => {
                let pid = self.worker();
                self.nginx_head(buf, ts, "info", pid);
                self.nginx_cid(buf);
                buf.extend_from_slice(
                    b"client sent invalid method while reading client request line, client: ",
                );
                let e = &self.tl.extras[k];
                buf.extend_from_slice(self.tl.scanners[e.client].ip.as_bytes());
                buf.extend_from_slice(b", server: www.example.com, request: \"");
                buf.extend_from_slice(&e.request);
                buf.extend_from_slice(b"\"\n");
                "invalid_method"
            }
            ErrWhat::NoFile => {
                let pid = self.worker();
                self.nginx_head(buf, ts, "error", pid);
                self.nginx_cid(buf);
                let path = *self.rng.pick(&MISSING_FILES);
                buf.extend_from_slice(b"open() \"/var/www/html");
                buf.extend_from_slice(path.as_bytes());
                buf.extend_from_slice(b"\" failed (2: No such file or directory), client: ");
                let ip = self.client_ip().to_owned();
                buf.extend_from_slice(ip.as_bytes());
                buf.extend_from_slice(b", server: www.example.com, request: \"GET ");
                buf.extend_from_slice(path.as_bytes());
                buf.extend_from_slice(b" HTTP/1.1\", host: \"www.example.com\"\n");
                "other"
            }
            ErrWhat::Closed => {
                let pid = self.worker();
                self.nginx_head(buf, ts, "info", pid);
                self.nginx_cid(buf);
                buf.extend_from_slice(
                    b"client closed connection while waiting for request, client: ",
                );
                let ip = self.client_ip().to_owned();
                buf.extend_from_slice(ip.as_bytes());
                buf.extend_from_slice(b", server: 0.0.0.0:443\n");
                "other"
            }
            ErrWhat::Handshake => {
                let pid = self.worker();
                self.nginx_head(buf, ts, "crit", pid);
                self.nginx_cid(buf);
                buf.extend_from_slice(
                    b"SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking, client: ",
                );
                let ip = self.client_ip().to_owned();
                buf.extend_from_slice(ip.as_bytes());
                buf.extend_from_slice(b", server: 0.0.0.0:443\n");
                "other"
            }
            ErrWhat::Buffered => {
                let pid = self.worker();
                self.nginx_head(buf, ts, "warn", pid);
                self.nginx_cid(buf);
                buf.extend_from_slice(
                    b"an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/",
                );
                push_u64(buf, self.rng.below(10));
                buf.push(b'/');
                push_2(buf, self.rng.below(100) as u32);
                buf.push(b'/');
                push_padded(buf, self.rng.range(1, 9_999_999), 10);
                buf.extend_from_slice(b" while reading upstream");
                self.nginx_proxied(buf);
                buf.push(b'\n');
                "other"
            }
        };
        if !matches!(what, ErrWhat::Reopen) {
            self.count(kind);
        }
    }

    fn render_apache(&mut self, buf: &mut Vec<u8>, ts: i64, what: ErrWhat) {
        let kind = match what {
            ErrWhat::Reload => {
                let (pid, tid) = (self.master, self.master_tid);
                self.apache_head(buf, ts, "mpm_event:notice", pid, tid);
                buf.extend_from_slice(b"AH00493: SIGUSR1 received.  Doing graceful restart\n");
                self.apache_head(buf, ts, "mpm_event:notice", pid, tid);
                buf.extend_from_slice(
                    b"AH00489: Apache/2.4.58 (Ubuntu) configured -- resuming normal operations\n",
                );
                self.apache_head(buf, ts, "core:notice", pid, tid);
                buf.extend_from_slice(b"AH00094: Command line: '/usr/sbin/apache2'\n");
                // Graceful restart: new children.
                for w in &mut self.workers {
                    self.next_pid += self.rng.range(1, 40);
                    *w = self.next_pid;
                }
                "reload"
            }
            // Apache's logrotate reload is not written: only nginx reopens.
            ErrWhat::Reopen => return,
            ErrWhat::Refused => {
                let (pid, tid) = (
                    self.worker(),
                    139_900_000_000_000 + self.rng.below(900_000_000_000),
                );
                self.apache_head(buf, ts, "proxy:error", pid, tid);
                let node = self.rng.range(11, 10 + self.tl.nodes);
                buf.extend_from_slice(
                    b"(111)Connection refused: AH00957: http: attempt to connect to 10.0.1.",
                );
                push_u64(buf, node);
                buf.extend_from_slice(b":8080 (10.0.1.");
                push_u64(buf, node);
                buf.extend_from_slice(b":8080) failed\n");
                "upstream_refused"
            }
            ErrWhat::Timeout => {
                let (pid, tid) = (
                    self.worker(),
                    139_900_000_000_000 + self.rng.below(900_000_000_000),
                );
                self.apache_head(buf, ts, "proxy_http:error", pid, tid);
                buf.extend_from_slice(b"(70007)The timeout specified has expired: [client ");
                let port = self.rng.range(1024, 65_535);
                let ip = self.client_ip().to_owned();
                buf.extend_from_slice(ip.as_bytes());
                buf.push(b':');
                push_u64(buf, port);
                buf.extend_from_slice(
                    b"] AH01102: error reading status line from remote server 10.0.1.",
                );
                push_u64(buf, self.rng.range(11, 10 + self.tl.nodes));
                buf.extend_from_slice(b":8080, referer: https://www.example.com/\n");
                "upstream_timeout"
            }
            ErrWhat::Workers => {
                let (pid, tid) = (self.master, self.master_tid);
                self.apache_head(buf, ts, "mpm_event:error", pid, tid);
                buf.extend_from_slice(
                    b"AH00484: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting\n",
                );
                "worker_exhaustion"
            }
            ErrWhat::InvalidMethod(req) => {
                let pid = self.worker();
                let tid = 139_900_000_000_000 + self.rng.below(900_000_000_000);
                self.apache_head(buf, ts, "core:error", pid, tid);
                buf.extend_from_slice(b"[client ");
                buf.extend_from_slice(self.tl.scanners[req.scanner].ip.as_bytes());
                buf.push(b':');
                push_u64(buf, self.rng.range(1024, 65_535));
                buf.extend_from_slice(b"] AH00135: Invalid method in request ");
                buf.extend_from_slice(req.method.as_bytes());
                buf.push(b' ');
                buf.extend_from_slice(req.path.as_bytes());
                buf.push(b'\n');
                "invalid_method"
            }
            ErrWhat::Junk(k) => {
                let pid = self.worker();
                let tid = 139_900_000_000_000 + self.rng.below(900_000_000_000);
                self.apache_head(buf, ts, "core:error", pid, tid);
                buf.extend_from_slice(b"[client ");
                let e = &self.tl.extras[k];
                buf.extend_from_slice(self.tl.scanners[e.client].ip.as_bytes());
                buf.push(b':');
                push_u64(buf, self.rng.range(1024, 65_535));
                buf.extend_from_slice(b"] AH00135: Invalid method in request ");
                buf.extend_from_slice(&e.request);
                buf.push(b'\n');
                "invalid_method"
            }
            ErrWhat::NoFile => {
                self.apache_child(buf, ts, "core:info", true);
                buf.extend_from_slice(b"AH00128: File does not exist: /var/www/html");
                buf.extend_from_slice(self.rng.pick(&MISSING_FILES).as_bytes());
                buf.push(b'\n');
                "other"
            }
            ErrWhat::Closed | ErrWhat::Buffered => {
                self.apache_child(buf, ts, "autoindex:error", true);
                buf.extend_from_slice(
                    b"AH01276: Cannot serve directory /var/www/html/static/: No matching DirectoryIndex (index.html,index.cgi,index.pl,index.php,index.xhtml,index.htm) found, and server-generated directory index forbidden by Options directive\n",
                );
                "other"
            }
            ErrWhat::Handshake => {
                self.apache_child(buf, ts, "authz_core:error", true);
                buf.extend_from_slice(
                    b"AH01630: client denied by server configuration: /var/www/html/.git/config\n",
                );
                "other"
            }
        };
        self.count(kind);
    }
}

fn count_lines(buf: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', buf).count()
}
