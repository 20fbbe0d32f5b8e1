//! `--follow` on real files in a temp dir, rotated by the test: appended
//! lines are counted exactly once through rename and copytruncate, and a
//! burst in the appended lines is reported as it starts and ends. Waits are
//! on output, with timeouts.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

/// Lines from second `from` to `to` after 08:00 UTC, one every 2 s; those
/// in `[burst.0, burst.1)` on every other line answer 501.
fn traffic(from: u32, to: u32, burst: (u32, u32)) -> String {
    let mut out = String::new();
    for t in (from..to).step_by(2) {
        let status = if (burst.0..burst.1).contains(&t) && t % 4 == 0 {
            501
        } else {
            200
        };
        let (h, m, s) = (8 + t / 3600, t / 60 % 60, t % 60);
        let route = [
            "/",
            "/login",
            "/cart",
            "/api/orders",
            "/api/users",
            "/search",
            "/about",
            "/shoes",
            "/hats",
        ];
        out.push_str(&format!(
            "10.0.0.{} - - [07/May/2026:{h:02}:{m:02}:{s:02} +0000] \"GET {} HTTP/1.1\" {status} 12 \"-\" \"curl/8\"\n",
            t % 200,
            route[(t / 2 % 9) as usize]
        ));
    }
    out
}

/// Two lines a second from second `from` to `to` after 08:00 UTC, on
/// nine routes; those for which `fails(t)` holds are `POST /api/orders`
/// answering 501.
fn paced(from: u32, to: u32, fails: impl Fn(u32) -> bool) -> String {
    let routes = ["/", "/login", "/cart", "/api/users", "/search", "/shoes"];
    let mut out = String::new();
    for t in from..to {
        let (h, m, s) = (8 + t / 3600, t / 60 % 60, t % 60);
        for k in 0..2 {
            let (method, route, status) = if k == 1 && fails(t) {
                ("POST", "/api/orders", 501)
            } else {
                ("GET", routes[((t + k) % 6) as usize], 200)
            };
            out.push_str(&format!(
                "10.0.{k}.{} - - [07/May/2026:{h:02}:{m:02}:{s:02} +0000] \"{method} {route} HTTP/1.1\" {status} 12 \"-\" \"curl/8\"\n",
                t % 200
            ));
        }
    }
    out
}

fn append(path: &Path, text: &str) {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

struct Follower {
    child: Child,
    lines: Receiver<String>,
    /// What it said on stderr so far.
    said: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

/// A test that fails before `stop` leaves no follower running.
impl Drop for Follower {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Follower {
    /// Follows `dir`, polling every 100 ms with `poll`, else woken by
    /// file-system notifications.
    fn start(dir: &Path, poll: bool) -> Follower {
        Follower::start_with(dir, poll, &[])
    }

    fn start_with(dir: &Path, poll: bool, extra: &[&str]) -> Follower {
        let mut args = extra.to_vec();
        if poll {
            args.extend(["--poll", "100ms"]);
        }
        args.push(dir.to_str().unwrap());
        Follower::start_args(&args)
    }

    /// `fiveohone --follow --json --idle 1s ARGS` (ARGS may set another
    /// `--idle`).
    fn start_args(args: &[&str]) -> Follower {
        let idle: &[&str] = if args.contains(&"--idle") {
            &[]
        } else {
            &["--idle", "1s"]
        };
        let mut child = Command::new(env!("CARGO_BIN_EXE_fiveohone"))
            .args(["--follow", "--json"])
            .args(idle)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Ready once the history is read and the files are followed.
        let (ready_tx, ready) = mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        let said = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = std::sync::Arc::clone(&said);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let ready = line.contains("following");
                // Kept before the start is said, so `stderr()` has it.
                log.lock().unwrap().push(line);
                if ready {
                    let _ = ready_tx.send(());
                }
            }
        });
        ready
            .recv_timeout(Duration::from_secs(20))
            .expect("the follower starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        Follower { child, lines, said }
    }

    /// Its stderr so far, one string.
    fn stderr(&self) -> String {
        self.said.lock().unwrap().join("\n")
    }

    /// Waits (at most `limit`) for an output line that is an event of `kind`.
    fn wait_for(&self, kind: &str, limit: Duration) -> Value {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self
                .lines
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no `{kind}` event in {limit:?}"));
            let v: Value = serde_json::from_str(&line).unwrap();
            if v["event"] == kind {
                return v;
            }
        }
    }

    /// `kill -9`: no report, no last save.
    fn crash(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Every event line until one of `kind` (at most `limit`).
    fn events_until(&self, kind: &str, limit: Duration) -> Vec<Value> {
        let deadline = Instant::now() + limit;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self
                .lines
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no `{kind}` event in {limit:?}: {seen:?}"));
            let v: Value = serde_json::from_str(&line).unwrap();
            let done = v["event"] == kind;
            seen.push(v);
            if done {
                return seen;
            }
        }
    }

    /// `kill -9`, and the events it printed before (those not read yet).
    fn crash_events(mut self) -> Vec<Value> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.rest()
            .iter()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// The output lines not read yet, until the output ends.
    fn rest(&mut self) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut lines = Vec::new();
        while let Ok(line) = self
            .lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            lines.push(line);
        }
        lines
    }

    /// Sends SIGTERM and returns the final report.
    fn stop(self) -> Value {
        self.stop_events().1
    }

    /// Sends SIGTERM; the events not read yet, and the final report.
    fn stop_events(mut self) -> (Vec<Value>, Value) {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        let mut lines = self.rest();
        let status = self.child.wait().unwrap();
        assert!(status.success(), "exit status {status:?}");
        let report: Value = serde_json::from_str(&lines.pop().expect("a final report")).unwrap();
        assert!(report["summary"].is_object());
        let events = lines
            .iter()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        (events, report)
    }
}

fn dir(name: &str) -> PathBuf {
    temp_dir(&format!("follow-{name}"))
}

fn counts(texts: &[&str]) -> (u64, u64) {
    let all = texts.concat();
    let lines = all.lines().count() as u64;
    (
        lines,
        awk_count("$9==501{c++} END{print c+0}", all.as_bytes()),
    )
}

#[test]
fn rename_rotation_loses_nothing_and_the_burst_starts_and_ends() {
    let d = dir("rename");
    let log = d.join("access.log");
    let history = traffic(0, 3600, (0, 0));
    append(&log, &history);
    append(
        &d.join("error.log"),
        "2026/05/07 08:00:00 [notice] 7#7: start worker processes\n",
    );
    let csv = d.join("csv");
    let f = Follower::start_with(&d, true, &["--csv", csv.to_str().unwrap()]);
    // A reload at 09:03 (written while followed), then the burst: 501s from
    // 09:05 to 09:10 on every route, then calm traffic until 09:40.
    append(
        &d.join("error.log"),
        "2026/05/07 09:03:10 [notice] 7#7: signal 1 (SIGHUP) received from 9, reconfiguring\n\
         2026/05/07 09:03:10 [notice] 7#7: reconfiguring\n\
         2026/05/07 09:03:10 [notice] 7#7: start worker processes\n",
    );
    let part1 = traffic(3600, 4500, (3900, 4200));
    append(&log, &part1);
    let appended = Instant::now();
    let started = f.wait_for("started", Duration::from_secs(15));
    // The lines that close the burst's first window were all appended at
    // once: the event comes within 2 s of that.
    assert!(
        appended.elapsed() < Duration::from_secs(2),
        "started after {:?}",
        appended.elapsed()
    );
    assert_eq!(started["start"], "2026-05-07T09:05:00Z");
    assert_eq!(started["scenario"], "post_deploy", "{started:#}");
    // logrotate: rename, create, and the old worker's last lines.
    std::fs::rename(&log, d.join("access.log.1")).unwrap();
    let late = traffic(4500, 4510, (0, 0));
    append(&d.join("access.log.1"), &late);
    let part2 = traffic(4510, 6000, (0, 0));
    append(&log, &part2);
    let ended = f.wait_for("ended", Duration::from_secs(15));
    assert_eq!(
        (ended["start"].as_str(), ended["end"].as_str()),
        (Some("2026-05-07T09:05:00Z"), Some("2026-05-07T09:10:00Z"))
    );
    assert_eq!(ended["matched"], 75);
    // Closed windows and the ended burst are in the CSV files already.
    let windows = std::fs::read_to_string(csv.join("windows.csv")).unwrap();
    assert!(windows.starts_with("start,requests,matched,rate,events\n"));
    assert!(
        windows.contains("2026-05-07T09:05:00Z,150,75,0.5,0"),
        "{windows}"
    );
    let bursts = std::fs::read_to_string(csv.join("bursts.csv")).unwrap();
    assert_eq!(bursts.lines().count(), 2, "{bursts}");
    let report = f.stop();
    let (lines, matched) = counts(&[&history, &part1, &late, &part2]);
    let s = &report["summary"];
    // Every access line once, and the four error-log lines.
    assert_eq!((n(s, "lines"), n(s, "matched")), (lines + 4, matched));
    assert_eq!((n(s, "requests"), n(s, "events")), (lines, 4));
    assert_eq!(n(s, "malformed"), 0);
    let _ = std::fs::remove_dir_all(d);
}

/// CPU time (user + system, in clock ticks) of a running process.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields after the `(comm)`: state is the 3rd field, utime the 14th.
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after.split(' ').collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

#[test]
fn waiting_costs_nothing() {
    if !Path::new("/proc/self/stat").exists() {
        eprintln!("skipped: no /proc");
        return;
    }
    let d = dir("idle");
    append(&d.join("access.log"), &traffic(0, 600, (0, 0)));
    for poll in [false, true] {
        let f = Follower::start(&d, poll);
        std::thread::sleep(Duration::from_millis(500));
        let before = cpu_ticks(f.child.id());
        std::thread::sleep(Duration::from_secs(3));
        let used = cpu_ticks(f.child.id()) - before;
        // Three idle seconds cost well under a tenth of a second.
        assert!(used < 10, "poll {poll}: {used} ticks while idle");
        f.stop();
    }
    let _ = std::fs::remove_dir_all(d);
}

/// `--follow --nginx-conf`: the logs the config names are followed with
/// their `log_format` (one no built-in reads), a log named with `$host`
/// and one the server had not written at the start among them.
#[test]
fn the_logs_an_nginx_config_names_are_followed_with_their_formats() {
    let d = dir("nginx-conf");
    let conf = d.join("nginx.conf");
    let dir = d.display();
    std::fs::write(
        &conf,
        format!(
            "http {{\n  log_format edge '$time_local|$remote_addr|$request|$status|$http_user_agent';\n  \
             access_log {dir}/shop.access.log edge;\n  access_log {dir}/$host.api.log edge buffer=32k;\n}}\n"
        ),
    )
    .unwrap();
    // The combined lines in the `edge` layout.
    let edge = |text: &str| -> String {
        text.lines()
            .map(|l| {
                let (time, rest) = (&l[l.find('[').unwrap() + 1..], l);
                let time = &time[..time.find(']').unwrap()];
                let request = rest.split('"').nth(1).unwrap();
                let status = rest
                    .split('"')
                    .nth(2)
                    .unwrap()
                    .split_whitespace()
                    .next()
                    .unwrap();
                let ip = rest.split(' ').next().unwrap();
                format!("{time}|{ip}|{request}|{status}|curl/8\n")
            })
            .collect()
    };
    let history = edge(&traffic(0, 600, (0, 0)));
    append(&d.join("shop.access.log"), &history);
    let f = Follower::start_args(&["--poll", "100ms", "--nginx-conf", conf.to_str().unwrap()]);
    let shop = edge(&traffic(600, 1200, (700, 900)));
    append(&d.join("shop.access.log"), &shop);
    let api = edge(&traffic(1200, 1800, (1300, 1500)));
    append(&d.join("api.example.com.api.log"), &api);
    std::thread::sleep(Duration::from_secs(4));
    let report = f.stop();
    let s = &report["summary"];
    let all = [history.as_str(), &shop, &api].concat();
    let want_501 = awk_count(
        "BEGIN { FS = \"|\" } $4 == 501 { n++ } END { print n+0 }",
        all.as_bytes(),
    );
    assert!(want_501 > 50);
    assert_eq!(
        (n(s, "lines"), n(s, "malformed"), n(s, "matched")),
        (all.lines().count() as u64, 0, want_501),
        "{s:#}"
    );
    let files: Vec<&str> = s["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["format"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["edge", "edge"], "{s:#}");
    let _ = std::fs::remove_dir_all(d);
}

/// `--follow --html`: the page is rewritten as windows close, so it shows
/// a burst once the burst is announced.
#[test]
fn the_html_page_follows_the_bursts() {
    let d = dir("html");
    let log = d.join("access.log");
    append(&log, &traffic(0, 3600, (0, 0)));
    let page = d.join("incident.html");
    let f = Follower::start_with(&d, true, &["--html", page.to_str().unwrap()]);
    append(&log, &traffic(3600, 4500, (3900, 4200)));
    let started = f.wait_for("started", Duration::from_secs(15));
    let card = format!(
        "data-burst=\"1\" data-label=\"{}\"",
        started["scenario"].as_str().unwrap()
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    while !std::fs::read_to_string(&page).is_ok_and(|p| p.contains(&card)) {
        assert!(Instant::now() < deadline, "the page never showed `{card}`");
        std::thread::sleep(Duration::from_millis(100));
    }
    let report = f.stop();
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains(&format!(
        "data-matched=\"{}\"",
        n(&report["summary"], "matched")
    )));
    let _ = std::fs::remove_dir_all(d);
}

/// `fiveohone --follow | head -1`: once the reader is gone, the next event
/// ends the run (exit 0), as `tail -f | head` does.
#[test]
fn a_reader_that_goes_away_ends_the_run() {
    let d = dir("epipe");
    let log = d.join("access.log");
    append(&log, &traffic(0, 3600, (0, 0)));
    let mut child = Command::new(env!("CARGO_BIN_EXE_fiveohone"))
        .args(["--follow", "--json", "--idle", "1s", "--poll", "100ms"])
        .arg(&d)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    std::thread::sleep(Duration::from_secs(1));
    append(&log, &traffic(3600, 4500, (3900, 4200)));
    let first = lines.next().unwrap().unwrap();
    assert!(first.contains("\"event\":\"started\""), "{first}");
    drop(lines);
    // More events: the burst grows and ends, and another starts.
    append(&log, &traffic(4500, 9000, (6000, 6600)));
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("still running after its reader went away");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "{status:?}");
    let _ = std::fs::remove_dir_all(d);
}

/// 120 501s in a window that is still open are announced within 2 s,
/// whatever `--idle` says, with the traffic level at the pace so far (not
/// the open window's partial count against whole ones); 120 more in the
/// same window update it, and it ends once calm windows close.
#[test]
fn a_burst_is_announced_in_its_open_window_and_updated_as_it_grows() {
    let d = dir("open-window");
    let log = d.join("access.log");
    let history = paced(0, 3600, |_| false);
    append(&log, &history);
    let f = Follower::start_args(&["--idle", "30s", "--poll", "100ms", d.to_str().unwrap()]);
    // 09:00:00–09:02:00; from 09:01:00 one line in two is a 501.
    let first = paced(3600, 3720, |t| t >= 3660);
    append(&log, &first);
    let appended = Instant::now();
    let started = f.wait_for("started", Duration::from_secs(10));
    assert!(
        appended.elapsed() < Duration::from_secs(2),
        "started after {:?}",
        appended.elapsed()
    );
    assert_eq!(started["start"], "2026-05-07T09:00:00Z", "{started:#}");
    assert_eq!(started["matched"], 60, "{started:#}");
    assert_eq!(started["partial"], true, "{started:#}");
    let ratio = started["features"]["traffic_ratio"].as_f64().unwrap();
    assert!((0.8..1.25).contains(&ratio), "traffic ratio {ratio}");
    assert!(started["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e.as_str().unwrap().contains("still open")));
    // Another minute of failures, the same window still open.
    let second = paced(3720, 3780, |_| true);
    append(&log, &second);
    let appended = Instant::now();
    let updated = f.wait_for("updated", Duration::from_secs(10));
    assert!(
        appended.elapsed() < Duration::from_secs(2),
        "updated after {:?}",
        appended.elapsed()
    );
    assert_eq!(updated["matched"], 120, "{updated:#}");
    // Calm traffic to 09:30: the burst ends, whole.
    let calm = paced(3780, 5400, |_| false);
    append(&log, &calm);
    let ended = f.wait_for("ended", Duration::from_secs(10));
    assert_eq!(
        (ended["start"].as_str(), ended["end"].as_str()),
        (Some("2026-05-07T09:00:00Z"), Some("2026-05-07T09:05:00Z"))
    );
    assert_eq!(ended["matched"], 120);
    assert!(ended.get("partial").is_none(), "{ended:#}");
    let report = f.stop();
    let (lines, matched) = counts(&[&history, &first, &second, &calm]);
    let s = &report["summary"];
    assert_eq!((n(s, "requests"), n(s, "matched")), (lines, matched));
    let _ = std::fs::remove_dir_all(d);
}

/// A PHP error whose message goes on over several lines, written in two
/// pieces (the event, then its continuation lines a moment later), to an
/// error log that existed and to one created while followed: the
/// continuation lines are read as such, never as malformed lines.
#[test]
fn error_messages_continued_in_a_later_write_are_one_event() {
    let d = dir("continued");
    let start = "2026/05/07 08:00:00 [notice] 7#7: start worker processes\n";
    append(&d.join("error.log"), start);
    append(&d.join("access.log"), &traffic(0, 60, (0, 0)));
    let f = Follower::start(&d, true);
    let event = "2026/05/07 08:01:00 [error] 7#7: *5 FastCGI sent in stderr: \"PHP message: PHP Fatal error:  Uncaught Error: boom in /srv/app.php:3\n";
    let rest = "PHP message: Stack trace:\n#0 {main}\n  thrown in /srv/app.php on line 3\" while reading response header from upstream, client: 10.0.0.1, server: _, request: \"GET / HTTP/1.1\"\n";
    for name in ["error.log", "shop-error.log"] {
        append(&d.join(name), event);
        std::thread::sleep(Duration::from_millis(2500));
        append(&d.join(name), rest);
        std::thread::sleep(Duration::from_millis(500));
    }
    let report = f.stop();
    let s = &report["summary"];
    assert_eq!((n(s, "events"), n(s, "malformed")), (3, 0), "{s:#}");
    for file in s["files"].as_array().unwrap() {
        if file["path"].as_str().unwrap().ends_with("error.log") {
            assert_eq!(file["format"], "nginx-error", "{file:#}");
        }
    }
    let _ = std::fs::remove_dir_all(d);
}

/// `--on-event` runs a command per event with its JSON on stdin; a command
/// slower than its timeout is killed and counted, and never delays the
/// events on stdout.
#[test]
fn on_event_runs_a_command_per_event_and_a_slow_one_blocks_nothing() {
    let d = dir("on-event");
    let log = d.join("access.log");
    append(&log, &traffic(0, 3600, (0, 0)));
    let sink = d.join("events.jsonl");
    let command = format!(
        "cat >> {0}; echo \"$FIVEOHONE_EVENT $FIVEOHONE_SCENARIO\" >> {0}.kinds",
        sink.display()
    );
    let f = Follower::start_with(&d, true, &["--on-event", &command]);
    let part = traffic(3600, 6000, (3900, 4200));
    append(&log, &part);
    let started = f.wait_for("started", Duration::from_secs(15));
    let ended = f.wait_for("ended", Duration::from_secs(15));
    let deadline = Instant::now() + Duration::from_secs(10);
    let events = loop {
        let text = std::fs::read_to_string(&sink).unwrap_or_default();
        let got: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        if got.iter().any(|e| e["event"] == "ended") || Instant::now() > deadline {
            break got;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.first(), Some(&"started"), "{kinds:?}");
    assert_eq!(kinds.last(), Some(&"ended"), "{kinds:?}");
    assert_eq!(events[0]["start"], started["start"]);
    assert_eq!(events.last().unwrap()["matched"], ended["matched"]);
    let env = std::fs::read_to_string(format!("{}.kinds", sink.display())).unwrap();
    assert!(
        env.starts_with(&format!(
            "started {}",
            started["scenario"].as_str().unwrap()
        )),
        "{env}"
    );
    let said = f.stderr();
    f.stop();
    assert!(!said.contains("failed ("), "{said}");
    let _ = std::fs::remove_dir_all(&d);

    // A command that hangs: killed after its timeout, counted, and the
    // events come on time.
    let d = dir("on-event-slow");
    let log = d.join("access.log");
    append(&log, &traffic(0, 3600, (0, 0)));
    let f = Follower::start_with(
        &d,
        true,
        &["--on-event", "sleep 30", "--on-event-timeout", "1s"],
    );
    append(&log, &traffic(3600, 6000, (3900, 4200)));
    let appended = Instant::now();
    f.wait_for("started", Duration::from_secs(15));
    f.wait_for("ended", Duration::from_secs(15));
    assert!(
        appended.elapsed() < Duration::from_secs(5),
        "{:?}",
        appended.elapsed()
    );
    std::thread::sleep(Duration::from_millis(1500));
    let (pid, said) = (f.child.id(), std::sync::Arc::clone(&f.said));
    let report = f.stop();
    assert!(report["summary"].is_object(), "pid {pid}");
    // The last lines of stderr, read after the exit.
    std::thread::sleep(Duration::from_millis(300));
    let said = said.lock().unwrap().join("\n");
    assert!(said.contains("ran past 1 s and was killed"), "{said}");
    assert!(said.contains("--on-event: 0 ran, 0 failed, "), "{said}");
    let _ = std::fs::remove_dir_all(d);
}

/// `GET /metrics` on `addr`: the body.
fn scrape(addr: &str) -> String {
    use std::io::Read;
    let mut conn = std::net::TcpStream::connect(addr).unwrap();
    conn.write_all(b"GET /metrics HTTP/1.1\r\nHost: fiveohone\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200 OK"), "{head}");
    assert!(head.contains("text/plain; version=0.0.4"), "{head}");
    body.to_string()
}

/// The sum of a metric's samples whose labels contain `with`.
fn metric(body: &str, name: &str, with: &str) -> f64 {
    body.lines()
        .filter(|l| !l.starts_with('#'))
        .filter(|l| l.split(['{', ' ']).next() == Some(name) && l.contains(with))
        .map(|l| l.rsplit(' ').next().unwrap().parse::<f64>().unwrap())
        .sum()
}

/// `promtool check metrics` (Debian's prometheus package) on `body`.
fn promtool_check(body: &str) {
    let child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = child.unwrap_or_else(|e| {
        panic!("tests/follow.rs needs promtool (apt-get install prometheus): {e}")
    });
    child
        .stdin
        .take()
        .unwrap()
        .write_all(body.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "promtool: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The address `--metrics 127.0.0.1:0` serves on, from what `f` said.
fn metrics_addr(f: &Follower) -> String {
    let said = f.stderr();
    said.split("serving metrics at http://")
        .nth(1)
        .and_then(|rest| rest.split("/metrics").next())
        .unwrap_or_else(|| panic!("no address in {said}"))
        .to_string()
}

/// Debian's Prometheus server on loopback, scraping one target every
/// second.
struct Prometheus {
    child: Child,
    addr: String,
    log: PathBuf,
}

impl Prometheus {
    fn start(target: &str, dir: &Path) -> Prometheus {
        std::fs::create_dir_all(dir).unwrap();
        let config = dir.join("prometheus.yml");
        std::fs::write(
            &config,
            format!(
                "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: fiveohone\n    static_configs:\n      - targets: ['{target}']\n"
            ),
        )
        .unwrap();
        // A free port (released just before Prometheus takes it).
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let addr = format!("127.0.0.1:{port}");
        let log = dir.join("prometheus.log");
        let child = Command::new("prometheus")
            .arg(format!("--config.file={}", config.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.join("data").display()
            ))
            .arg(format!("--web.listen-address={addr}"))
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("tests/follow.rs needs prometheus (apt-get install prometheus): {e}")
            });
        Prometheus { child, addr, log }
    }

    /// The value of the instant query `query` (URL-encoded), if it has one.
    fn query(&self, query: &str) -> Option<f64> {
        use std::io::Read;
        let mut conn = std::net::TcpStream::connect(&self.addr).ok()?;
        let ask = format!(
            "GET /api/v1/query?query={query} HTTP/1.1\r\nHost: prometheus\r\nConnection: close\r\n\r\n"
        );
        conn.write_all(ask.as_bytes()).ok()?;
        let mut answer = String::new();
        conn.read_to_string(&mut answer).ok()?;
        let json = &answer[answer.find('{')?..=answer.rfind('}')?];
        let v: Value = serde_json::from_str(json).ok()?;
        v["data"]["result"][0]["value"][1].as_str()?.parse().ok()
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A real Prometheus server scrapes `--metrics` on loopback: the target is
/// up (the page parses), and the values it stored match awk's counts.
#[test]
fn prometheus_scrapes_the_metrics() {
    let d = dir("prometheus");
    let log = d.join("access.log");
    let history = traffic(0, 3600, (0, 0));
    append(&log, &history);
    let f = Follower::start_with(&d, true, &["--metrics", "127.0.0.1:0"]);
    let prometheus = Prometheus::start(&metrics_addr(&f), &d.join("prometheus"));
    let part = traffic(3600, 4400, (3900, 4200));
    append(&log, &part);
    f.wait_for("started", Duration::from_secs(15));
    let (lines, matched) = counts(&[&history, &part]);
    let want = [
        Some(1.0),
        Some(lines as f64),
        Some(matched as f64),
        Some(1.0),
    ];
    let deadline = Instant::now() + Duration::from_secs(40);
    loop {
        let got = [
            prometheus.query("up"),
            prometheus.query("sum%28fiveohone_requests_total%29"),
            prometheus.query("sum%28fiveohone_matched_requests_total%29"),
            prometheus.query("sum%28fiveohone_bursts_active%29"),
        ];
        if got == want {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "up, requests, matched, bursts active: {got:?}, not {want:?}\n{}",
            std::fs::read_to_string(&prometheus.log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(500));
    }
    drop(prometheus);
    f.stop();
    let _ = std::fs::remove_dir_all(d);
}

/// `--metrics` serves counters that match awk over the lines, a burst
/// while it goes on, and a page promtool accepts.
#[test]
fn metrics_are_served_to_prometheus() {
    let d = dir("metrics");
    let log = d.join("access.log");
    let history = traffic(0, 3600, (0, 0));
    append(&log, &history);
    let f = Follower::start_with(&d, true, &["--metrics", "127.0.0.1:0"]);
    let addr = metrics_addr(&f);
    let part = traffic(3600, 4400, (3900, 4200));
    append(&log, &part);
    let started = f.wait_for("started", Duration::from_secs(15));
    std::thread::sleep(Duration::from_millis(500));
    // A client that connects and sends nothing holds up no one else.
    let _silent = std::net::TcpStream::connect(&addr).unwrap();
    let asked = Instant::now();
    let body = scrape(&addr);
    assert!(
        asked.elapsed() < Duration::from_secs(1),
        "{:?}",
        asked.elapsed()
    );
    promtool_check(&body);
    let (lines, matched) = counts(&[&history, &part]);
    assert_eq!(
        metric(&body, "fiveohone_requests_total", ""),
        lines as f64,
        "{body}"
    );
    assert_eq!(
        metric(&body, "fiveohone_device_requests_total", ""),
        lines as f64
    );
    assert_eq!(
        metric(&body, "fiveohone_matched_requests_total", "status=\"501\""),
        matched as f64
    );
    assert_eq!(
        metric(
            &body,
            "fiveohone_matched_requests_total",
            "method_class=\"GET\""
        ),
        matched as f64
    );
    assert_eq!(
        metric(&body, "fiveohone_lines_read_total", ""),
        lines as f64
    );
    let scenario = format!("scenario=\"{}\"", started["scenario"].as_str().unwrap());
    assert_eq!(
        metric(&body, "fiveohone_bursts_active", &scenario),
        1.0,
        "{body}"
    );
    assert_eq!(
        metric(&body, "fiveohone_burst_events_total", "event=\"started\""),
        1.0
    );
    assert!(metric(&body, "fiveohone_lag_seconds", "") > 0.0);
    // Calm traffic: the burst ends, and the gauge says so.
    append(&log, &traffic(4400, 6000, (0, 0)));
    f.wait_for("ended", Duration::from_secs(15));
    std::thread::sleep(Duration::from_millis(300));
    let body = scrape(&addr);
    assert_eq!(metric(&body, "fiveohone_bursts_active", ""), 0.0, "{body}");
    assert_eq!(
        metric(&body, "fiveohone_burst_events_total", "event=\"ended\""),
        1.0
    );
    f.stop();
    let _ = std::fs::remove_dir_all(d);
}

/// `kill -9` after a burst was announced; while it is down, more lines, a
/// rotation with compression and a second burst. The restart with the same
/// `--state` reads only what it had not counted (the final report counts
/// every line once, as awk does), announces the second burst once and the
/// first never again, and appends no CSV row twice.
#[test]
fn a_restart_from_the_state_counts_every_line_once_and_repeats_nothing() {
    let d = dir("state");
    let logs = d.join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    let log = logs.join("access.log");
    let (state, csv) = (d.join("fiveohone.state"), d.join("csv"));
    let args = [
        "--state",
        state.to_str().unwrap(),
        "--csv",
        csv.to_str().unwrap(),
        "--poll",
        "100ms",
        logs.to_str().unwrap(),
    ];
    let history = traffic(0, 3600, (0, 0));
    append(&log, &history);
    let f = Follower::start_args(&args);
    let part1 = traffic(3600, 6000, (3900, 4200));
    append(&log, &part1);
    let first = f.wait_for("ended", Duration::from_secs(15));
    assert_eq!(first["start"], "2026-05-07T09:05:00Z");
    std::thread::sleep(Duration::from_millis(500));
    f.crash();
    // While it is down: more lines, logrotate (rename, compress), and a
    // second burst in the new file.
    let down = traffic(6000, 6600, (0, 0));
    append(&log, &down);
    std::fs::rename(&log, logs.join("access.log.1")).unwrap();
    let text = std::fs::read(logs.join("access.log.1")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(logs.join("access.log.1.gz")).unwrap(),
        flate2::Compression::fast(),
    );
    gz.write_all(&text).unwrap();
    gz.finish().unwrap();
    std::fs::remove_file(logs.join("access.log.1")).unwrap();
    let part2 = traffic(6600, 9000, (7200, 7500));
    append(&log, &part2);
    let f = Follower::start_args(&args);
    assert!(f.stderr().contains("resumed from"), "{}", f.stderr());
    let events = f.events_until("ended", Duration::from_secs(15));
    let starts: Vec<(&str, &str)> = events
        .iter()
        .map(|e| (e["event"].as_str().unwrap(), e["start"].as_str().unwrap()))
        .collect();
    assert!(
        starts.contains(&("started", "2026-05-07T10:00:00Z"))
            && starts.iter().all(|(_, s)| *s != "2026-05-07T09:05:00Z"),
        "{starts:?}"
    );
    // The CSV files were appended to across the restart: no row twice,
    // and each ended burst once.
    std::thread::sleep(Duration::from_millis(300));
    let windows = std::fs::read_to_string(csv.join("windows.csv")).unwrap();
    let mut rows: Vec<&str> = windows.lines().skip(1).map(|l| &l[..20]).collect();
    let all = rows.len();
    rows.sort_unstable();
    rows.dedup();
    assert_eq!(rows.len(), all, "{windows}");
    assert!(windows.contains("2026-05-07T10:00:00Z"), "{windows}");
    let ended = std::fs::read_to_string(csv.join("bursts.csv")).unwrap();
    assert_eq!(ended.lines().count(), 3, "{ended}");
    let report = f.stop();
    let (lines, matched) = counts(&[&history, &part1, &down, &part2]);
    let s = &report["summary"];
    assert_eq!(
        (n(s, "lines"), n(s, "requests"), n(s, "matched")),
        (lines, lines, matched),
        "{s:#}"
    );
    let bursts = report["bursts"].as_array().unwrap();
    assert_eq!(bursts.len(), 2, "{bursts:#?}");
    let _ = std::fs::remove_dir_all(d);
}

/// A malformed line is sampled with its number in the file it was read
/// from, as that file was named then: a rotation starts at line 1 again.
#[test]
fn samples_are_numbered_in_the_file_they_were_read_from() {
    let d = dir("numbers");
    let log = d.join("access.log");
    let old = d.join("access.log.1");
    let bad = |n: u32| format!("not a request {n}\n");
    // Where `text` ends up, and the number of its last line there.
    let mut written: Vec<(&str, usize)> = Vec::new();
    let mut files = [String::new(), String::new(), String::new()];
    let mut put = |file: usize, path: &Path, text: &str, name: &'static str| {
        append(path, text);
        files[file].push_str(text);
        if text.starts_with("not") {
            written.push((name, files[file].lines().count()));
        }
    };
    put(0, &log, &traffic(0, 20, (0, 0)), "access.log");
    put(0, &log, &bad(1), "access.log");
    let f = Follower::start(&d, true);
    put(0, &log, &traffic(20, 40, (0, 0)), "access.log");
    put(0, &log, &bad(2), "access.log");
    std::thread::sleep(Duration::from_millis(1500));
    std::fs::rename(&log, &old).unwrap();
    put(0, &old, &bad(3), "access.log.1");
    put(1, &log, &traffic(40, 44, (0, 0)), "access.log");
    put(1, &log, &bad(4), "access.log");
    std::thread::sleep(Duration::from_millis(1500));
    let report = f.stop();
    let samples: Vec<(&str, usize)> = report["summary"]["malformed_samples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let file = s["file"].as_str().unwrap();
            let name = file.rsplit('/').next().unwrap();
            (name, s["line"].as_u64().unwrap() as usize)
        })
        .collect();
    assert_eq!(samples, written);
    let _ = std::fs::remove_dir_all(d);
}

/// Numbers below `n`, from a xorshift seeded by the environment variable
/// `var` (another sequence) or `seed`.
fn random(var: &str, seed: u64) -> impl FnMut(u64) -> u64 {
    let mut x: u64 = std::env::var(var)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(seed);
    move |n| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    }
}

/// Random appends, logrotate runs in every layout, and `kill -9` with
/// restarts on the same `--state`, against real files: the final report
/// counts every line written exactly once. Another sequence:
/// `FIVEOHONE_RESTART_SEED=N` (each run says how many restarts it made).
#[test]
fn restarts_and_rotations_count_every_line_once() {
    use common::rotate::{World, LAYOUTS};
    // Another sequence: FIVEOHONE_RESTART_SEED=N.
    let mut next = random("FIVEOHONE_RESTART_SEED", 0x9e37_79b9_7f4a_7c15);
    let (mut restarts, mut lines) = (0, 0);
    for (case, layout) in LAYOUTS.iter().enumerate() {
        let d = dir(&format!("restarts-{case}"));
        let logs = d.join("logs");
        std::fs::create_dir_all(&logs).unwrap();
        let state = d.join("fiveohone.state");
        let mut world = World::new(logs.clone(), *layout);
        world.write(5);
        let args = [
            "--state",
            state.to_str().unwrap(),
            "--poll",
            "100ms",
            logs.to_str().unwrap(),
        ];
        let mut f = Follower::start_args(&args);
        let mut ops = Vec::new();
        for _ in 0..14 {
            match next(5) {
                0 | 1 => {
                    let n = 1 + next(40) as usize;
                    ops.push(format!("write {n}"));
                    world.write(n);
                }
                2 | 3 => {
                    let late = next(3) as usize;
                    ops.push(format!("rotate ({late} late)"));
                    world.rotate(late);
                    std::thread::sleep(Duration::from_millis(300));
                }
                _ => {
                    let n = next(20) as usize;
                    ops.push(format!("kill -9, write {n} while down, restart"));
                    restarts += 1;
                    f.crash();
                    world.write(n);
                    f = Follower::start_args(&args);
                }
            }
        }
        world.reopen();
        std::thread::sleep(Duration::from_millis(500));
        let said = f.stderr();
        let report = f.stop();
        assert_eq!(
            n(&report["summary"], "lines"),
            world.next as u64,
            "{layout:?}: {ops:?}\n{said}"
        );
        // A file counted before a restart and back since is one row.
        let mut names = file_names(&report["summary"]);
        let all = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all, "{layout:?}: {names:?}");
        lines += world.next;
        let _ = std::fs::remove_dir_all(d);
    }
    eprintln!(
        "{restarts} restarts over {} layouts, {lines} lines: each counted once",
        LAYOUTS.len()
    );
}

/// `kill -9` at random points while bursts come and go, with restarts on
/// the same `--state`: across all the runs each burst is announced
/// `started` once and `ended` once, and the final report counts every line
/// once. Another sequence: `FIVEOHONE_KILL_SEED=N`.
#[test]
fn random_kills_repeat_and_lose_no_event() {
    let mut next = random("FIVEOHONE_KILL_SEED", 0x2545_f491_4f6c_dd1d);
    let d = dir("kills");
    let logs = d.join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    let log = logs.join("access.log");
    let state = d.join("fiveohone.state");
    let args = ["--state", state.to_str().unwrap(), logs.to_str().unwrap()];
    let mut written = vec![traffic(0, 3600, (0, 0))];
    append(&log, &written[0]);
    let mut f = Follower::start_args(&args);
    let (mut events, mut restarts, mut starts) = (Vec::new(), 0, Vec::new());
    // Five bursts of five minutes, twenty minutes apart, written five
    // minutes of log at a time, with a kill after a third of the pieces.
    for k in 0..5 {
        let t = 3600 + k * 1200;
        let burst = (t + 300, t + 600);
        starts.push(format!(
            "2026-05-07T{:02}:{:02}:00Z",
            8 + burst.0 / 3600,
            burst.0 / 60 % 60
        ));
        for piece in 0..4 {
            let text = traffic(t + piece * 300, t + (piece + 1) * 300, burst);
            append(&log, &text);
            written.push(text);
            std::thread::sleep(Duration::from_millis(next(800)));
            if next(3) == 0 {
                events.extend(f.crash_events());
                restarts += 1;
                f = Follower::start_args(&args);
            }
        }
    }
    let calm = traffic(3600 + 5 * 1200, 3600 + 5 * 1200 + 1800, (0, 0));
    append(&log, &calm);
    written.push(calm);
    std::thread::sleep(Duration::from_secs(2));
    let (last, report) = f.stop_events();
    events.extend(last);
    let said = |kind: &str, start: &str| {
        events
            .iter()
            .filter(|e| e["event"] == kind && e["start"] == start)
            .count()
    };
    for start in &starts {
        assert_eq!(
            (said("started", start), said("ended", start)),
            (1, 1),
            "{start} after {restarts} restarts: {events:#?}"
        );
    }
    let texts: Vec<&str> = written.iter().map(String::as_str).collect();
    let (lines, matched) = counts(&texts);
    let s = &report["summary"];
    assert_eq!((n(s, "lines"), n(s, "matched")), (lines, matched), "{s:#}");
    eprintln!("{restarts} restarts, {} events, each once", events.len());
    let _ = std::fs::remove_dir_all(d);
}

/// A directory named before it exists is followed as a directory once it
/// appears, and a log created in it right before the stop is in the
/// final report.
#[test]
fn a_directory_that_appears_later_and_a_last_moment_file_are_read() {
    let d = dir("appears");
    let logs = d.join("logs");
    let f = Follower::start(&logs, true);
    std::fs::create_dir_all(&logs).unwrap();
    let a = traffic(0, 300, (0, 0));
    append(&logs.join("access.log"), &a);
    std::thread::sleep(Duration::from_secs(3));
    // Written just before the stop: no rescan would come in time.
    let b = traffic(300, 400, (0, 0));
    append(&logs.join("shop-access.log"), &b);
    let report = f.stop();
    let (lines, _) = counts(&[&a, &b]);
    let s = &report["summary"];
    assert_eq!(n(s, "lines"), lines, "{s:#}");
    let files = file_names(s);
    assert!(
        files.contains(&"access.log") && files.contains(&"shop-access.log"),
        "{files:?}"
    );
    let _ = std::fs::remove_dir_all(d);
}

/// SIGHUP (`systemctl reload`) reads the file list again and the run goes
/// on: the lines written before and after it are all in the final report.
#[test]
fn sighup_reads_the_file_list_again_and_the_run_goes_on() {
    let d = dir("sighup");
    let a = traffic(0, 300, (0, 0));
    append(&d.join("access.log"), &a);
    let f = Follower::start(&d, true);
    let b = traffic(300, 400, (0, 0));
    append(&d.join("shop-access.log"), &b);
    let pid = f.child.id().to_string();
    Command::new("kill").args(["-HUP", &pid]).status().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !f
        .stderr()
        .contains("SIGHUP: file list read again, following 2 files")
    {
        assert!(Instant::now() < deadline, "{}", f.stderr());
        std::thread::sleep(Duration::from_millis(100));
    }
    let c = traffic(400, 500, (0, 0));
    append(&d.join("access.log"), &c);
    std::thread::sleep(Duration::from_millis(1500));
    let report = f.stop();
    let (lines, _) = counts(&[&a, &b, &c]);
    assert_eq!(n(&report["summary"], "lines"), lines);
    let _ = std::fs::remove_dir_all(d);
}

/// One line dated 2100 (a broken clock, a hostile client) neither silences
/// live detection nor prunes the counted windows.
#[test]
fn a_line_from_the_far_future_does_not_stop_the_clock() {
    let d = dir("future");
    let log = d.join("access.log");
    let history = traffic(0, 3600, (0, 0));
    let future =
        "10.0.0.9 - - [07/May/2100:08:00:00 +0000] \"GET / HTTP/1.1\" 200 12 \"-\" \"curl/8\"\n";
    append(&log, &history);
    append(&log, future);
    let f = Follower::start(&d, true);
    let part = traffic(3600, 4500, (3900, 4200));
    append(&log, &part);
    let started = f.wait_for("started", Duration::from_secs(15));
    assert_eq!(started["start"], "2026-05-07T09:05:00Z", "{started:#}");
    let report = f.stop();
    let (lines, matched) = counts(&[&history, future, &part]);
    let s = &report["summary"];
    assert_eq!(
        (n(s, "requests"), n(s, "matched")),
        (lines, matched),
        "{s:#}"
    );
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn new_and_recreated_files_are_followed() {
    let d = dir("recreate");
    let log = d.join("access.log");
    let f = Follower::start(&d, true);
    // A file created after the start, then deleted and created again.
    let a = traffic(0, 300, (0, 0));
    append(&log, &a);
    std::thread::sleep(Duration::from_secs(3));
    std::fs::remove_file(&log).unwrap();
    let b = traffic(300, 600, (0, 0));
    append(&log, &b);
    std::thread::sleep(Duration::from_millis(800));
    let report = f.stop();
    let (lines, _) = counts(&[&a, &b]);
    assert_eq!(n(&report["summary"], "lines"), lines);
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn a_named_file_that_does_not_exist_yet_is_waited_for() {
    let d = dir("not-yet");
    let log = d.join("app-access.log");
    let f = Follower::start(&log, true);
    let a = traffic(0, 200, (0, 0));
    append(&log, &a);
    std::thread::sleep(Duration::from_millis(600));
    let b = traffic(200, 400, (0, 0));
    append(&log, &b);
    std::thread::sleep(Duration::from_millis(600));
    let report = f.stop();
    let (lines, _) = counts(&[&a, &b]);
    assert_eq!(n(&report["summary"], "lines"), lines);
    assert!(
        report["summary"]["errors"].as_array().unwrap().is_empty(),
        "a missing file to follow is no error"
    );
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn copytruncate_and_partial_lines_lose_nothing() {
    let d = dir("copytruncate");
    let log = d.join("access.log");
    let history = traffic(0, 600, (0, 0));
    append(&log, &history);
    // Woken by notifications this time.
    let f = Follower::start(&d, false);
    let part1 = traffic(600, 1200, (0, 0));
    append(&log, &part1);
    // copytruncate: copy, truncate in place, go on writing.
    std::fs::copy(&log, d.join("access.log.1")).unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&log)
        .unwrap()
        .set_len(0)
        .unwrap();
    // A line written in two halves.
    let part2 = traffic(1200, 1800, (0, 0));
    let (a, b) = part2.split_at(part2.len() / 2 + 7);
    append(&log, a);
    std::thread::sleep(Duration::from_millis(400));
    append(&log, b);
    std::thread::sleep(Duration::from_millis(800));
    let report = f.stop();
    let (lines, _) = counts(&[&history, &part1, &part2]);
    let s = &report["summary"];
    assert_eq!((n(s, "lines"), n(s, "malformed")), (lines, 0));
    let _ = std::fs::remove_dir_all(d);
}

/// Peak resident memory of a running process, in kB.
fn peak_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

#[test]
fn days_of_appended_lines_keep_memory_flat() {
    if !Path::new("/proc/self/status").exists() {
        eprintln!("skipped: no /proc");
        return;
    }
    let d = dir("soak");
    let log = d.join("access.log");
    append(&log, &traffic(0, 60, (0, 0)));
    let f = Follower::start(&d, true);
    // Two million lines over ten days of log time, in batches, with ids in
    // the routes and a rotation every two days.
    let total_lines = 2_000_000u64;
    let batches = 200u64;
    let span = 10 * 86_400u64;
    let mut written = 30u64;
    let mut matched = 0u64;
    let mut text = String::with_capacity(1 << 20);
    for batch in 0..batches {
        text.clear();
        for i in 0..total_lines / batches {
            let t = (batch * (total_lines / batches) + i) * span / total_lines + 60;
            let (day, h, m, s) = (7 + t / 86_400, t / 3600 % 24, t / 60 % 60, t % 60);
            text.push_str(&format!(
                "10.{}.{}.{} - - [{day:02}/May/2026:{h:02}:{m:02}:{s:02} +0000] \"GET /api/items/{i} HTTP/1.1\" {} 12 \"-\" \"okhttp/4.{}\"\n",
                i % 7,
                i % 250,
                batch % 250,
                if i % 997 == 0 { 501 } else { 200 },
                i % 40
            ));
            matched += u64::from(i % 997 == 0);
        }
        if batch == 100 {
            // A line from a clock far in the past: counted, then pruned.
            text.push_str(
                "10.9.9.9 - - [07/May/2001:08:00:00 +0000] \"GET / HTTP/1.1\" 501 1 \"-\" \"x\"\n",
            );
            written += 1;
            matched += 1;
        }
        append(&log, &text);
        written += total_lines / batches;
        if batch % 40 == 39 {
            // logrotate runs daily: the follower has long caught up by then.
            std::thread::sleep(Duration::from_secs(2));
            std::fs::rename(&log, d.join(format!("access.log.{batch}"))).unwrap();
        }
    }
    std::thread::sleep(Duration::from_secs(2));
    let peak = peak_kb(f.child.id());
    let report = f.stop();
    let s = &report["summary"];
    assert_eq!(n(s, "lines"), written);
    // The headline counts every request, those of pruned windows too.
    assert_eq!((n(s, "requests"), n(s, "matched")), (written, matched));
    // Ten days of 5-minute windows would be 2,880; two days are kept.
    let windows = report["windows"].as_array().unwrap().len();
    assert!(windows <= 2 * 288 + 20, "{windows} windows kept");
    assert!(peak < 150_000, "peak memory {peak} kB");
    eprintln!("soak: {written} lines, peak {peak} kB, {windows} windows kept");
    let _ = std::fs::remove_dir_all(d);
}
