//! Error logs: layouts of both servers, event kinds, reloads with their UTC
//! times, zones, and the report's event sections.

mod common;

use chrono::NaiveDateTime;
use common::*;
use serde_json::Value;

/// (time, kind) of the reloads, restarts and shutdowns in a report.
fn lifecycle(report: &Value) -> Vec<(String, String)> {
    report["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| ["reload", "restart", "shutdown"].contains(&e["kind"].as_str().unwrap()))
        .map(|e| {
            (
                e["time"].as_str().unwrap().to_string(),
                e["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Local `YYYY/MM/DD HH:MM:SS` (or another chrono pattern) at `offset`
/// seconds east of UTC, as RFC 3339 UTC.
fn to_utc(local: &str, pattern: &str, offset: i64) -> String {
    let t = NaiveDateTime::parse_from_str(local, pattern)
        .unwrap()
        .and_utc()
        .timestamp()
        - offset;
    chrono::DateTime::from_timestamp(t, 0)
        .unwrap()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// The offset in the first `[dd/Mon/yyyy:hh:mm:ss +hhmm]` of an access log,
/// whose zone is its whitespace-separated field `field`.
fn access_offset(text: &[u8], field: usize) -> i64 {
    let zone = awk(&format!("NR==1{{print substr(${field}, 1, 5)}}"), text);
    let sign = if zone.starts_with('-') { -1 } else { 1 };
    let hh: i64 = zone[1..3].parse().unwrap();
    let mm: i64 = zone[3..5].parse().unwrap();
    sign * (hh * 3600 + mm * 60)
}

#[test]
fn nginx_reloads_are_exactly_those_in_the_error_logs() {
    let report = json(&["fixtures/nginx"]);
    // Independently: the distinct seconds of the `reconfiguring` lines of
    // error.log.1 and error.log, in the zone of the access log beside them.
    let mut errors = text_of(&fixture("nginx/error.log.1"));
    errors.extend(text_of(&fixture("nginx/error.log")));
    let offset = access_offset(&text_of(&fixture("nginx/access.log.1")), 5);
    assert_eq!(offset, 7200);
    let seconds = awk("/reconfiguring/{print $1\" \"$2}", &errors);
    let mut want: Vec<(String, String)> = seconds
        .lines()
        .map(|l| (to_utc(l, "%Y/%m/%d %H:%M:%S", offset), "reload".to_string()))
        .collect();
    want.dedup();
    assert_eq!(
        want.len(),
        2,
        "two reloads; the 08:30 `reopening logs` is none"
    );
    assert_eq!(lifecycle(&report), want);
    assert_eq!(
        want,
        [
            ("2026-05-07T05:59:58Z".to_string(), "reload".to_string()),
            ("2026-05-07T08:58:12Z".to_string(), "reload".to_string())
        ]
    );
    let files = report["summary"]["files"].as_array().unwrap();
    assert_eq!(files[3]["zone"], "+02:00 (the access logs beside it)");
    // The reload's lines are all in its one event.
    let reload = report["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "reload")
        .unwrap();
    assert_eq!(n(reload, "count"), 4);
    assert_eq!(reload["server"], "nginx");
    assert_eq!(reload["file"], "fixtures/nginx/error.log.1");
}

#[test]
fn apache_24_lifecycle_in_the_access_logs_zone() {
    let report = json(&["fixtures/apache"]);
    let offset = access_offset(&text_of(&fixture("apache/other_vhosts_access.log")), 6);
    assert_eq!(offset, -25_200);
    // AH00493 marks the graceful restart (a reload).
    let errors = text_of(&fixture("apache/error.log"));
    let line = awk(
        "/AH00493/{print $2\" \"$3\" \"substr($4, 1, 8)\" \"substr($5, 1, 4)}",
        &errors,
    );
    let reload = to_utc(&line, "%b %d %H:%M:%S %Y", offset);
    assert_eq!(reload, "2026-05-07T07:29:59Z");
    assert_eq!(
        lifecycle(&report),
        [
            ("2026-05-07T05:55:01Z".to_string(), "restart".to_string()),
            (reload, "reload".to_string()),
            // AH00169 SIGTERM then a start two seconds later: one restart.
            ("2026-05-07T10:00:00Z".to_string(), "restart".to_string()),
        ]
    );
    let s = &report["summary"];
    assert_eq!(s["files"][0]["format"], "apache-error");
    assert_eq!(s["files"][0]["zone"], "-07:00 (the access logs beside it)");
    assert_eq!(
        (n(&s["files"][0], "lines"), n(&s["files"][0], "malformed")),
        (14, 1)
    );
    assert_eq!(s["malformed_samples"][0]["line"], 11);
}

fn kinds(report: &Value) -> Vec<(String, u64, u64)> {
    report["event_kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["kind"].as_str().unwrap().to_string(),
                n(k, "count"),
                n(k, "lines"),
            )
        })
        .collect()
}

#[test]
fn every_kind_is_recognised() {
    let nginx = json(&["fixtures/nginx"]);
    let want: Vec<(String, u64, u64)> = [
        ("reload", 2, 4),
        ("restart", 0, 2),
        ("shutdown", 0, 2),
        ("upstream_timeout", 2, 2),
        ("upstream_refused", 1, 1),
        ("no_live_upstreams", 1, 1),
        ("worker_exhaustion", 1, 1),
        ("invalid_method", 1, 1),
        ("other", 13, 13),
    ]
    .map(|(k, c, l)| (k.to_string(), c, l))
    .to_vec();
    assert_eq!(kinds(&nginx), want);
    let apache = json(&["fixtures/apache"]);
    let want: Vec<(String, u64, u64)> = [
        ("reload", 1, 1),
        ("restart", 2, 6),
        ("shutdown", 0, 1),
        ("upstream_timeout", 1, 1),
        ("upstream_refused", 2, 2),
        ("worker_exhaustion", 1, 1),
        ("invalid_method", 1, 1),
    ]
    .map(|(k, c, l)| (k.to_string(), c, l))
    .to_vec();
    assert_eq!(kinds(&apache), want);
    // Routes and upstreams named by the lines are kept.
    let events = nginx["events"].as_array().unwrap();
    let refused = events
        .iter()
        .find(|e| e["kind"] == "upstream_refused")
        .unwrap();
    assert_eq!(refused["route"], "/api/v1/users/:id");
    assert_eq!(refused["upstream"], "http://10.0.1.13:8080/api/v1/users/17");
    assert_eq!(refused["level"], "error");
    assert_eq!(refused["time"], "2026-05-07T09:08:00Z");
    let invalid = events
        .iter()
        .find(|e| e["kind"] == "invalid_method")
        .unwrap();
    assert_eq!(invalid["route"], "/");
}

#[test]
fn mixed_directory_of_both_servers() {
    let report = json(&["fixtures/mixed"]);
    let s = &report["summary"];
    let files: Vec<(String, String)> = s["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["format"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = [
        ("fixtures/mixed/access.log", "nginx-combined"),
        ("fixtures/mixed/access_log", "nginx-combined"),
        ("fixtures/mixed/error.log", "nginx-error"),
        ("fixtures/mixed/error_log", "apache-error"),
    ]
    .map(|(p, f)| (p.to_string(), f.to_string()))
    .to_vec();
    assert_eq!(files, want);
    // 8 access lines, 10 error lines: 8 events, 1 indented continuation,
    // 1 garbage line.
    let counts = [
        "lines",
        "parsed",
        "malformed",
        "requests",
        "matched",
        "events",
    ];
    let got: Vec<u64> = counts.iter().map(|k| n(s, k)).collect();
    assert_eq!(got, [18, 17, 1, 8, 3, 8]);
    assert_eq!(
        s["malformed_samples"][0]["file"],
        "fixtures/mixed/error.log"
    );
    assert_eq!(s["malformed_samples"][0]["line"], 6);
    assert_eq!(s["files"][3]["zone"], "+05:30 (the access logs beside it)");
    assert_eq!(
        lifecycle(&report),
        [
            ("2026-05-07T08:28:00Z".to_string(), "restart".to_string()),
            ("2026-05-07T08:29:30Z".to_string(), "reload".to_string()),
        ]
    );
    // Both servers' invalid-method lines, 14:01:10 and 14:02:40 at +05:30.
    let invalid: Vec<&str> = report["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "invalid_method")
        .map(|e| e["time"].as_str().unwrap())
        .collect();
    assert_eq!(invalid, ["2026-05-07T08:31:10Z", "2026-05-07T08:32:40Z"]);
}

#[test]
fn zone_of_a_lone_error_log_comes_from_tz() {
    let utc = json(&["fixtures/nginx/error.log"]);
    assert_eq!(
        utc["summary"]["files"][0]["zone"],
        "UTC (no access log beside it and no --tz)"
    );
    assert_eq!(lifecycle(&utc)[0].0, "2026-05-07T10:58:12Z");
    let berlin = json(&["--tz", "Europe/Berlin", "fixtures/nginx/error.log"]);
    assert_eq!(
        berlin["summary"]["files"][0]["zone"],
        "Europe/Berlin (--tz)"
    );
    assert_eq!(lifecycle(&berlin)[0].0, "2026-05-07T08:58:12Z");
    let fixed = json(&["--tz=-05:30", "fixtures/nginx/error.log"]);
    assert_eq!(lifecycle(&fixed)[0].0, "2026-05-07T16:28:12Z");
    let out = run(&["--tz", "Mars/Olympus", "fixtures/nginx/error.log"], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn since_until_bound_events_too() {
    let report = json(&["fixtures/nginx", "--since", "2026-05-07T09:00:00Z"]);
    // Error events from 09:00Z (11:00 at +02:00): the six error.log lines
    // from 11:03:40 local on; the reloads are earlier.
    assert_eq!(n(&report["summary"], "events"), 6);
    assert!(lifecycle(&report).is_empty());
}

#[test]
fn terminal_report_lists_reloads_and_marks_the_timeline() {
    let out = run(&["fixtures/nginx"], None);
    let text = String::from_utf8(out.stdout).unwrap();
    for want in [
        "27 error-log events",
        "Error-log events",
        "Reloads, restarts and shutdowns",
        "2026-05-07 08:58:12 reload (nginx, fixtures/nginx/error.log)",
        "reload 08:58:12",
        "times in +02:00",
    ] {
        assert!(text.contains(want), "missing `{want}` in:\n{text}");
    }
}

#[test]
fn many_events_are_aggregated_per_window() {
    let dir = temp_dir("many-events");
    let mut log = String::new();
    for i in 0..2500 {
        log.push_str(&format!(
            "2026/05/07 10:{:02}:{:02} [error] 7#7: *{i} upstream timed out (110: Connection timed out) while reading response header from upstream, client: 1.2.3.4, server: x\n",
            i / 60 % 60,
            i % 60
        ));
    }
    log.push_str("2026/05/07 11:00:00 [notice] 7#7: reconfiguring\n");
    std::fs::write(dir.join("error.log"), &log).unwrap();
    let report = json(&[dir.join("error.log").to_str().unwrap()]);
    let events = report["events"].as_array().unwrap();
    let timeouts: Vec<&Value> = events
        .iter()
        .filter(|e| e["kind"] == "upstream_timeout")
        .collect();
    assert!(
        timeouts.len() < 20,
        "aggregated per window, not one per line"
    );
    assert_eq!(timeouts.iter().map(|e| n(e, "count")).sum::<u64>(), 2500);
    assert!(timeouts.iter().all(|e| e["server"].is_null()));
    assert_eq!(lifecycle(&report).len(), 1, "reloads are always listed");
    let _ = std::fs::remove_dir_all(dir);
}
