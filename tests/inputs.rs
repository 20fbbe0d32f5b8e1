//! Unusual inputs that must still be read whole: pipes and FIFOs, gzip on
//! stdin, odd file names, `\r` line ends, extreme times.

mod common;

use std::io::Write;
use std::process::Command;

use common::*;
use serde_json::Value;

const LINE: &str =
    "203.0.113.1 - - [07/May/2026:10:00:00 +0000] \"PUT /a/1 HTTP/1.1\" 501 0 \"-\" \"curl/8\"";

fn lines(n: usize) -> String {
    (0..n).map(|_| format!("{LINE}\n")).collect()
}

#[test]
fn fifo_is_streamed_not_skipped() {
    let dir = temp_dir("fifo");
    let fifo = dir.join("access.log");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let writer_path = fifo.clone();
    let writer = std::thread::spawn(move || {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(writer_path)
            .unwrap();
        f.write_all(lines(100_000).as_bytes()).unwrap();
    });
    let report = json(&[fifo.to_str().unwrap()]);
    writer.join().unwrap();
    let s = &report["summary"];
    assert_eq!(
        (n(s, "lines"), n(s, "requests"), n(s, "matched")),
        (100_000, 100_000, 100_000)
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn gzip_on_stdin_is_decoded() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(lines(5000).as_bytes()).unwrap();
    let out = run(&["--json", "-"], Some(&gz.finish().unwrap()));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(n(&report["summary"], "matched"), 5000);
    assert_eq!(report["summary"]["files"][0]["compression"], "gzip");
}

#[test]
fn odd_file_names_do_not_stop_a_run() {
    let dir = temp_dir("names");
    std::fs::write(dir.join("access.log"), lines(3)).unwrap();
    for name in ["café", "access-é", "журнал.log", "access.log-2026-05-0é"] {
        std::fs::write(dir.join(name), lines(1)).unwrap();
    }
    let report = json(&[dir.to_str().unwrap()]);
    // access.log, access-é, журнал.log, access.log-2026-05-0é are log names.
    assert_eq!(n(&report["summary"], "lines"), 6);
    assert_eq!(report["summary"]["ignored"].as_array().unwrap().len(), 1);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn carriage_return_line_ends() {
    let dir = temp_dir("cr");
    let path = dir.join("access.log");
    std::fs::write(&path, lines(1000).replace('\n', "\r")).unwrap();
    let s = &json(&[path.to_str().unwrap()])["summary"];
    assert_eq!(
        (n(s, "lines"), n(s, "requests"), n(s, "malformed")),
        (1000, 1000, 0)
    );
    std::fs::write(&path, lines(1000).replace('\n', "\r\n")).unwrap();
    let s = &json(&[path.to_str().unwrap()])["summary"];
    assert_eq!(
        (n(s, "lines"), n(s, "requests"), n(s, "malformed")),
        (1000, 1000, 0)
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn samples_are_the_first_lines_whatever_the_threads() {
    let dir = temp_dir("samples");
    let gz = |text: &str| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(text.as_bytes()).unwrap();
        e.finish().unwrap()
    };
    let bad = |name: &str, k: usize| {
        (1..=k)
            .map(|i| format!("{name} garbage {i}\n"))
            .collect::<String>()
    };
    std::fs::write(dir.join("api.log"), format!("{LINE}\n{}", bad("api", 3))).unwrap();
    for name in ["b.log", "c.log", "web.log"] {
        let body = format!("{LINE}\n{}", bad(name, 6));
        std::fs::write(dir.join(format!("{name}.1.gz")), gz(&body)).unwrap();
    }
    let first = |threads: &str| -> Vec<String> {
        json(&["-j", threads, dir.to_str().unwrap()])["summary"]["malformed_samples"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                format!(
                    "{}:{}",
                    m["file"].as_str().unwrap().rsplit('/').next().unwrap(),
                    m["line"]
                )
            })
            .collect()
    };
    let want = [
        "api.log:2",
        "api.log:3",
        "api.log:4",
        "b.log.1.gz:2",
        "b.log.1.gz:3",
    ];
    assert_eq!(first("1"), want);
    assert_eq!(first("2"), want);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_given_format_wins_over_error_log_looks() {
    let dir = temp_dir("fixed");
    let ctime = dir.join("ctime.log");
    std::fs::write(
        &ctime,
        "[Thu May 07 09:00:00 2026] 1.2.3.4 \"GET / HTTP/1.1\" 501\n",
    )
    .unwrap();
    let report = json(&[
        "--log-format",
        "[%{%a %b %d %H:%M:%S %Y}t] %h \"%r\" %>s",
        ctime.to_str().unwrap(),
    ]);
    assert_eq!(n(&report["summary"], "matched"), 1);
    let named = dir.join("mirror_errors.log");
    std::fs::write(
        &named,
        "2026-05-07T09:00:00Z 1.2.3.4 \"GET / HTTP/1.1\" 501\n",
    )
    .unwrap();
    let report = json(&[
        "--log-format",
        "$time_iso8601 $remote_addr \"$request\" $status",
        named.to_str().unwrap(),
    ]);
    assert_eq!(n(&report["summary"], "matched"), 1);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn empty_results_still_write_csv_headers() {
    let dir = temp_dir("empty-csv");
    let log = dir.join("access.log");
    std::fs::write(&log, b"").unwrap();
    let out = dir.join("out");
    // Nothing read: exit 1, and still every file with its header.
    let run_out = run(
        &[
            "--json",
            log.to_str().unwrap(),
            "--csv",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(run_out.status.code(), Some(1), "{}", stderr(&run_out));
    for (file, header) in [
        (
            "groups.csv",
            "method,route,matched,requests,route_requests,rate,share",
        ),
        ("windows.csv", "start,requests,matched,rate,events"),
        (
            "events.csv",
            "time,kind,server,level,message,route,upstream,count,file",
        ),
    ] {
        assert_eq!(
            std::fs::read_to_string(out.join(file)).unwrap(),
            format!("{header}\n")
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn extreme_times_and_windows_stay_bounded() {
    let dir = temp_dir("extreme");
    let log = dir.join("m.log");
    std::fs::write(
        &log,
        "0 \"GET / HTTP/1.1\" 501\n250000000000 \"GET / HTTP/1.1\" 501\n9223372036854775807 \"GET / HTTP/1.1\" 501\n",
    )
    .unwrap();
    let p = log.to_str().unwrap();
    let started = std::time::Instant::now();
    let out = run(&["--log-format", "$msec \"$request\" $status", p], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(started.elapsed().as_secs() < 10);
    let report = json(&["--log-format", "$msec \"$request\" $status", p]);
    let s = &report["summary"];
    // The year-292-billion time is not believed: malformed.
    assert_eq!((n(s, "requests"), n(s, "malformed")), (2, 1));
    let out = run(&["-w", "9223372036854775807", p], None);
    assert_eq!(out.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_scan_of_countless_paths_keeps_groups_bounded() {
    let dir = temp_dir("groups-cap");
    let path = dir.join("access.log");
    // 150,000 distinct routes (letters: nothing normalises them), all 501.
    let mut text = String::with_capacity(16 << 20);
    let letters = |mut i: u64| -> String {
        let mut s = String::new();
        for _ in 0..6 {
            s.push((b'a' + (i % 26) as u8) as char);
            i /= 26;
        }
        s
    };
    for i in 0..150_000u64 {
        text.push_str(&format!(
            "203.0.113.9 - - [07/May/2026:10:{:02}:{:02} +0000] \"GET /scan/{} HTTP/1.1\" 501 0 \"-\" \"zgrab\"\n",
            i / 2500 % 60,
            i / 42 % 60,
            letters(i)
        ));
    }
    std::fs::write(&path, &text).unwrap();
    let p = path.to_str().unwrap();
    let one = json(&["-j", "1", p]);
    let two = json(&["-j", "2", p]);
    let groups = one["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 100_000, "the limit, (other) included");
    assert_eq!(
        groups.iter().map(|g| n(g, "matched")).sum::<u64>(),
        150_000,
        "nothing is lost"
    );
    assert!(groups
        .iter()
        .any(|g| g["route"] == "(other)" && g["method"] == "*"));
    assert_eq!(
        one["groups"], two["groups"],
        "the same groups whatever the threads"
    );
    let table = run(&[p], None);
    let text = String::from_utf8_lossy(&table.stdout);
    let other = groups.iter().find(|g| g["route"] == "(other)").unwrap();
    assert!(
        text.contains(&format!(
            "* (other): {} requests past the first 100,000 method/route groups",
            fiveohone::numfmt::thousands(n(other, "requests"))
        )),
        "the table says so"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn one_wild_time_does_not_slow_detection() {
    let dir = temp_dir("wild-time");
    let log = dir.join("access.log");
    let mut text: String = (0..200)
        .map(|i| {
            format!(
                "1.2.3.{} - - [07/May/2026:{:02}:{:02}:00 +0000] \"GET /a HTTP/1.1\" 501 0 \"-\" \"curl/8\"\n",
                i % 250,
                10 + i / 60,
                i % 60
            )
        })
        .collect();
    text.push_str(
        "1.2.3.4 - - [07/May/3026:10:00:00 +0000] \"GET /a HTTP/1.1\" 501 0 \"-\" \"curl/8\"\n",
    );
    std::fs::write(&log, text).unwrap();
    let started = std::time::Instant::now();
    let report = json(&["--window", "10s", log.to_str().unwrap()]);
    assert!(
        started.elapsed().as_secs() < 10,
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(n(&report["summary"], "matched"), 201);
    let _ = std::fs::remove_dir_all(dir);
}

/// cPanel's domlogs: one combined log per domain named after the domain
/// alone (`example.com`, `example.com-ssl_log`) beside bandwidth and FTP
/// logs that hold no requests. The HTTP logs are read whole; the others
/// are skipped with a note, not counted as malformed.
#[test]
fn cpanel_domlogs_read_the_http_logs_and_skip_the_byte_logs() {
    let dir = temp_dir("domlogs");
    let http: String = (0..40)
        .map(|i| {
            let status = if i % 4 == 0 { 501 } else { 200 };
            format!("198.51.100.{i} - - [07/May/2026:10:{:02}:00 +0000] \"GET /p/{i} HTTP/1.1\" {status} 512 \"-\" \"Mozilla/5.0\"\n", i % 60)
        })
        .collect();
    std::fs::write(dir.join("example.com"), &http).unwrap();
    std::fs::write(dir.join("example.com-ssl_log"), &http).unwrap();
    std::fs::write(
        dir.join("example.com-bytes_log"),
        "1778148000 5120 .\n1778148060 1024 .\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("ftp.example.com-ftp_log"),
        "Thu May  7 10:00:01 2026 0 198.51.100.7 1024 /public_html/a.txt b _ i r user ftp 0 * c\n",
    )
    .unwrap();
    let out = run(&["--json", dir.to_str().unwrap()], None);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = &report["summary"];
    let read = file_names(s);
    assert_eq!(read, ["example.com", "example.com-ssl_log"]);
    assert_eq!(s["malformed"], 0);
    let want = 2 * awk_count("$9 == 501 { n++ } END { print n+0 }", http.as_bytes());
    assert_eq!(s["matched"].as_u64(), Some(want));
    let said = stderr(&out);
    assert!(
        said.contains("example.com-bytes_log: a cPanel bandwidth log"),
        "{said}"
    );
    assert!(
        said.contains("ftp_log: a cPanel FTP transfer log"),
        "{said}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// Plesk's domain logs (`/var/www/vhosts/system/DOMAIN/logs`): its daily
/// statistics run moves each log's lines to `NAME.processed` (rotated as
/// `NAME.processed.1.gz`, …) and leaves copies in `NAME.webstat`. With its
/// nginx proxy on, `proxy_access_log` holds every request as clients saw
/// it, and Apache's `access_log` the same ones again. Each request is
/// counted once, each family read oldest first.
#[test]
fn plesk_domain_logs_count_each_request_once() {
    let dir = temp_dir("plesk");
    let day = |d: u32, apache: bool| -> String {
        (0..30)
            .map(|i| {
                let status = if (i + d).is_multiple_of(5) { 501 } else { 200 };
                let agent = if apache { "Mozilla/5.0 (apache)" } else { "Mozilla/5.0" };
                format!(
                    "203.0.113.{i} - - [{:02}/May/2026:10:{:02}:00 +0000] \"GET /p/{i} HTTP/1.1\" {status} 512 \"-\" \"{agent}\"\n",
                    5 + d,
                    i
                )
            })
            .collect()
    };
    let gz = |text: &str| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut e, text.as_bytes()).unwrap();
        e.finish().unwrap()
    };
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).unwrap();
    for (prefix, apache) in [("proxy_", false), ("", true)] {
        write(
            &format!("{prefix}access_log.processed.1.gz"),
            &gz(&day(0, apache)),
        );
        write(
            &format!("{prefix}access_log.processed"),
            day(1, apache).as_bytes(),
        );
        write(&format!("{prefix}access_log"), day(2, apache).as_bytes());
        write(
            &format!("{prefix}access_ssl_log"),
            day(3, apache).as_bytes(),
        );
    }
    write("access_log.webstat", day(2, true).as_bytes());
    write("access_ssl_log.webstat", day(3, true).as_bytes());
    let out = run(&["--json", dir.to_str().unwrap()], None);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = &report["summary"];
    let read = file_names(s);
    assert_eq!(
        read,
        [
            "proxy_access_log.processed.1.gz",
            "proxy_access_log.processed",
            "proxy_access_log",
            "proxy_access_ssl_log"
        ]
    );
    let once: String = (0..4).map(|d| day(d, false)).collect();
    let want = awk_count("$9 == 501 { n++ } END { print n+0 }", once.as_bytes());
    assert_eq!(
        (s["matched"].as_u64(), n(s, "requests"), n(s, "malformed")),
        (Some(want), 120, 0)
    );
    let said = stderr(&out);
    for note in [
        "access_log.webstat: a Plesk statistics copy",
        "access_log and its 2 older files: Plesk's Apache log behind its nginx proxy",
        "access_ssl_log: Plesk's Apache log behind",
    ] {
        assert!(said.contains(note), "{note}: {said}");
    }
    // The same through the servers' configs: nginx names its proxy log,
    // Apache its own.
    let (nginx, apache) = (dir.join("nginx.conf"), dir.join("apache2.conf"));
    let d = dir.display();
    std::fs::write(
        &nginx,
        format!("http {{ server {{ listen 80; access_log {d}/proxy_access_log; }} }}\n"),
    )
    .unwrap();
    std::fs::write(
        &apache,
        format!(
            "LogFormat \"%h %l %u %t \\\"%r\\\" %>s %O \\\"%{{Referer}}i\\\" \\\"%{{User-Agent}}i\\\"\" combined\n\
             CustomLog {d}/access_log combined\n"
        ),
    )
    .unwrap();
    let out = run(
        &[
            "--json",
            "--nginx-conf",
            nginx.to_str().unwrap(),
            "--apache-conf",
            apache.to_str().unwrap(),
        ],
        None,
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let once: String = (0..3).map(|d| day(d, false)).collect();
    assert_eq!(
        n(&report["summary"], "requests"),
        once.lines().count() as u64,
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("Plesk's Apache log behind its nginx proxy"));
    // With the proxy off there are no proxy logs: Apache's are read.
    for name in [
        "proxy_access_log.processed.1.gz",
        "proxy_access_log.processed",
        "proxy_access_log",
        "proxy_access_ssl_log",
    ] {
        std::fs::remove_file(dir.join(name)).unwrap();
    }
    let report = json(&[dir.to_str().unwrap()]);
    let s = &report["summary"];
    assert_eq!(n(s, "requests"), 120, "{s:#}");
    assert_eq!(
        s["files"][0]["path"].as_str().unwrap().rsplit('/').next(),
        Some("access_log.processed.1.gz")
    );
    let _ = std::fs::remove_dir_all(dir);
}
