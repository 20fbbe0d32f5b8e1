//! The binary on the bundled fixtures: exact counts, checked against awk
//! over the same lines and against hand-checked numbers.

mod common;

use common::*;
use serde_json::Value;

/// The nginx fixture's access logs, oldest first, as text.
fn nginx_text() -> Vec<u8> {
    text_of_all(&[
        "nginx/access.log.2.gz",
        "nginx/access.log.1",
        "nginx/access.log",
    ])
}

/// Fixture files as one text, each ending in a newline.
fn text_of_all(files: &[&str]) -> Vec<u8> {
    let mut all = Vec::new();
    for f in files {
        let mut t = text_of(&fixture(f));
        if !t.ends_with(b"\n") {
            t.push(b'\n');
        }
        all.extend(t);
    }
    all
}

fn sum(rows: &Value, key: &str) -> u64 {
    rows.as_array().unwrap().iter().map(|r| n(r, key)).sum()
}

#[test]
fn rotated_nginx_directory_matches_awk() {
    let report = json(&["fixtures/nginx"]);
    let s = &report["summary"];
    let text = nginx_text();
    let all = text_of_all(&[
        "nginx/access.log.2.gz",
        "nginx/access.log.1",
        "nginx/access.log",
        "nginx/error.log.1",
        "nginx/error.log",
    ]);

    // Independent counts over the same lines.
    assert_eq!(
        n(s, "matched"),
        awk_count("$9==501{c++} END{print c+0}", &text)
    );
    assert_eq!(n(s, "lines"), awk_count("NF{c++} END{print c+0}", &all));
    assert_eq!(n(s, "blank"), awk_count("!NF{c++} END{print c+0}", &all));
    // Hand-checked: 904 access lines (5 generated garbage lines, 1 nginx
    // error line among them, a truncated last line) and 28 error-log lines
    // (one continues a multi-line message, one is cut): 932 lines, 7
    // malformed, 27 error events, 897 requests, 21 answer 501.
    let counts = [
        "lines",
        "parsed",
        "malformed",
        "blank",
        "requests",
        "matched",
        "events",
    ];
    let got: Vec<u64> = counts.iter().map(|k| n(s, k)).collect();
    assert_eq!(got, [932, 925, 7, 1, 897, 21, 27]);
    assert_eq!(n(s, "parsed") + n(s, "malformed"), n(s, "lines"));

    // Rotations are read oldest first, then the error logs.
    let files: Vec<&str> = s["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            "fixtures/nginx/access.log.2.gz",
            "fixtures/nginx/access.log.1",
            "fixtures/nginx/access.log",
            "fixtures/nginx/error.log.1",
            "fixtures/nginx/error.log"
        ]
    );
    let error_log = &s["files"][4];
    assert_eq!(error_log["format"], "nginx-error");
    assert_eq!((n(error_log, "lines"), n(error_log, "events")), (19, 17));
    assert_eq!(s["files"][0]["compression"], "gzip");
    assert_eq!(s["files"][0]["format"], "nginx-combined");

    // Windows and groups add up to the totals.
    assert_eq!(sum(&report["windows"], "requests"), n(s, "requests"));
    assert_eq!(sum(&report["windows"], "matched"), n(s, "matched"));
    assert_eq!(sum(&report["groups"], "matched"), n(s, "matched"));
    assert_eq!(n(s, "window_secs"), 300);
    assert_eq!(s["first"], "2026-05-07T06:00:14Z");
}

#[test]
fn malformed_samples_point_at_the_right_lines() {
    let report = json(&["fixtures/nginx"]);
    let samples = report["summary"]["malformed_samples"].as_array().unwrap();
    assert_eq!(samples.len(), 5);
    for sample in samples {
        let path = sample["file"].as_str().unwrap();
        let text = text_of(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path));
        let line_no = n(sample, "line") as usize;
        let line = text.split(|&b| b == b'\n').nth(line_no - 1).unwrap();
        let shown = sample["text"].as_str().unwrap();
        // Bytes that are not UTF-8 are shown as `\xNN`.
        let mut bytes = Vec::new();
        let mut rest = shown;
        while let Some(at) = rest.find("\\x") {
            bytes.extend_from_slice(&rest.as_bytes()[..at]);
            let hex = &rest[at + 2..at + 4];
            bytes.push(u8::from_str_radix(hex, 16).unwrap());
            rest = &rest[at + 4..];
        }
        bytes.extend_from_slice(rest.as_bytes());
        assert!(
            line.starts_with(&bytes),
            "{path}:{line_no} is not `{shown}`"
        );
    }
}

#[test]
fn apache_vhost_combined_file() {
    let report = json(&["fixtures/apache/other_vhosts_access.log"]);
    let s = &report["summary"];
    let text = text_of(&fixture("apache/other_vhosts_access.log"));
    assert_eq!(s["files"][0]["format"], "apache-vhost-combined");
    assert_eq!(
        n(s, "matched"),
        awk_count("$10==501{c++} END{print c+0}", &text)
    );
    assert_eq!(
        (n(s, "lines"), n(s, "malformed"), n(s, "matched")),
        (300, 0, 3)
    );
    // The first line says `[06/May/2026:23:00:34 -0700]`; the report is in UTC.
    assert!(text.starts_with(b"www.example.com:443 2a01:cb00:20ed:ac9c:1c8b:15fb:c411:f41c - - [06/May/2026:23:00:34 -0700]"));
    assert_eq!(s["first"], "2026-05-07T06:00:34Z");
}

fn custom_format() -> String {
    let conf = std::fs::read_to_string(fixture("custom/log_format.conf")).unwrap();
    conf.lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn custom_format_from_the_server_config() {
    let format = custom_format();
    let report = json(&["--log-format", &format, "fixtures/custom/app.log"]);
    let s = &report["summary"];
    let text = text_of(&fixture("custom/app.log"));
    assert_eq!(
        n(s, "matched"),
        awk_count("$7==501{c++} END{print c+0}", &text)
    );
    assert_eq!(
        (
            n(s, "lines"),
            n(s, "parsed"),
            n(s, "malformed"),
            n(s, "matched")
        ),
        (12, 11, 1, 5)
    );
    assert_eq!(s["malformed_samples"][0]["line"], 8);
    // The pasted directive's name is the format's.
    assert_eq!(s["files"][0]["format"], "edge");
    // Ids and UUIDs fold into routes; the method splits the groups.
    let groups: Vec<(String, String, u64, u64, u64)> = report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["method"].as_str().unwrap().to_string(),
                g["route"].as_str().unwrap().to_string(),
                n(g, "matched"),
                n(g, "requests"),
                n(g, "route_requests"),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            ("PUT".into(), "/v1/items/:id".into(), 3, 5, 7),
            ("DELETE".into(), "/v1/items/:id".into(), 1, 1, 7),
            ("PUT".into(), "/v1/items/:uuid".into(), 1, 1, 1),
        ]
    );
}

#[test]
fn since_until_window_and_status_classes() {
    let format = custom_format();
    let args = ["--log-format", format.as_str(), "fixtures/custom/app.log"];
    // Requests at 08:00:01Z … 08:12:59Z; from 08:05Z there are 4, 2 of them 501.
    let mut with = args.to_vec();
    with.extend(["--since", "2026-05-07T08:05:00Z"]);
    let s = &json(&with)["summary"];
    assert_eq!((n(s, "requests"), n(s, "matched")), (4, 2));
    assert_eq!(n(s, "parsed"), 11, "lines outside the range are still read");

    let mut with = args.to_vec();
    with.extend(["--until", "2026-05-07 08:01"]);
    let s = &json(&with)["summary"];
    assert_eq!((n(s, "requests"), n(s, "matched")), (4, 2));

    let mut with = args.to_vec();
    with.extend(["--status", "4xx,501", "--window", "1m"]);
    let r = json(&with);
    assert_eq!(n(&r["summary"], "matched"), 6);
    assert_eq!(n(&r["summary"], "window_secs"), 60);
    assert_eq!(r["windows"].as_array().unwrap().len(), 8);

    let mut with = args.to_vec();
    with.extend(["--status", "200-204"]);
    assert_eq!(n(&json(&with)["summary"], "matched"), 5);
}

#[test]
fn stdin_reads_like_a_file() {
    let text = nginx_text();
    let out = run(&["--json", "-"], Some(&text));
    assert!(out.status.success());
    let piped: Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = json(&[
        "fixtures/nginx/access.log.2.gz",
        "fixtures/nginx/access.log.1",
        "fixtures/nginx/access.log",
    ]);
    for key in [
        "lines",
        "parsed",
        "malformed",
        "blank",
        "requests",
        "matched",
    ] {
        assert_eq!(piped["summary"][key], files["summary"][key], "{key}");
    }
    assert_eq!(piped["summary"]["files"][0]["path"], "(stdin)");
    assert_eq!(piped["windows"], files["windows"]);
}

#[test]
fn terminal_report_shows_input_groups_and_timeline() {
    let out = run(&["fixtures/nginx"], None);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for want in [
        "21 of 897 requests answered 501",
        "Verdict: 1 burst of 501",
        "Input, in reading order: 5 files, 932 lines",
        "fixtures/nginx/access.log.2.gz",
        "nginx-error; 19 lines, 1 malformed",
        "Formats were detected from each file's first lines.",
        "Reloads, restarts and shutdowns",
        "Malformed lines, the first 5:",
        "fixtures/nginx/access.log.2.gz:90:",
        "501 by method and route",
        "Timeline (5m windows",
        "█",
    ] {
        assert!(text.contains(want), "missing `{want}` in:\n{text}");
    }
}

#[test]
fn csv_files_have_headers_and_the_same_counts() {
    let dir = temp_dir("csv");
    let report = json(&["fixtures/nginx", "--csv", dir.to_str().unwrap()]);
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    let summary = read("summary.csv");
    let mut lines = summary.lines();
    assert_eq!(
        lines.next().unwrap(),
        "lines,parsed,malformed,blank,requests,matched,events,status,window_secs,first,last,files"
    );
    assert!(lines
        .next()
        .unwrap()
        .starts_with("932,925,7,1,897,21,27,501,300,"));
    let windows = read("windows.csv");
    assert_eq!(
        windows.lines().next().unwrap(),
        "start,requests,matched,rate,events"
    );
    let rows: Vec<Vec<&str>> = windows
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let num = |v: &str| v.parse::<f64>().unwrap();
    let matched: f64 = rows.iter().map(|r| num(r[2])).sum();
    assert_eq!(matched as u64, n(&report["summary"], "matched"));
    // Every window of the period, quiet ones as zeros, each with its rate.
    let time = |r: &Vec<&str>| {
        chrono::DateTime::parse_from_rfc3339(r[0])
            .unwrap()
            .timestamp()
    };
    for pair in rows.windows(2) {
        assert_eq!(time(&pair[1]) - time(&pair[0]), 300, "{pair:?}");
    }
    for r in &rows {
        let want = if num(r[1]) == 0.0 {
            0.0
        } else {
            num(r[2]) / num(r[1])
        };
        assert!((num(r[3]) - want).abs() < 1e-9, "{r:?}");
    }
    let groups = read("groups.csv");
    assert_eq!(
        groups.lines().next().unwrap(),
        "method,route,matched,requests,route_requests,rate,share"
    );
    assert_eq!(
        groups.lines().count() - 1,
        report["groups"].as_array().unwrap().len()
    );
    let total = n(&report["summary"], "matched") as f64;
    for line in groups.lines().skip(1) {
        let f: Vec<&str> = line.rsplitn(6, ',').collect();
        let (share, rate, requests, matched) = (num(f[0]), num(f[1]), num(f[3]), num(f[4]));
        assert!((rate - matched / requests).abs() < 1e-9, "{line}");
        assert!((share - matched / total).abs() < 1e-9, "{line}");
    }
    assert_eq!(read("files.csv").lines().count(), 6);
    assert!(read("events.csv")
        .starts_with("time,kind,server,level,message,route,upstream,count,file\n"));
    // Two requests twenty minutes apart: the quiet windows between are rows.
    let gap = dir.join("gap.log");
    std::fs::write(
        &gap,
        "1.2.3.4 - - [07/May/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 501 0 \"-\" \"curl\"\n\
         1.2.3.4 - - [07/May/2026:10:20:00 +0000] \"GET / HTTP/1.1\" 200 0 \"-\" \"curl\"\n",
    )
    .unwrap();
    let out = dir.join("gap");
    json(&[gap.to_str().unwrap(), "--csv", out.to_str().unwrap()]);
    let windows = std::fs::read_to_string(out.join("windows.csv")).unwrap();
    assert_eq!(
        windows,
        "start,requests,matched,rate,events\n2026-05-07T10:00:00Z,1,1,1.0,0\n\
         2026-05-07T10:05:00Z,0,0,0.0,0\n2026-05-07T10:10:00Z,0,0,0.0,0\n\
         2026-05-07T10:15:00Z,0,0,0.0,0\n2026-05-07T10:20:00Z,1,0,0.0,0\n"
    );
    let _ = std::fs::remove_dir_all(dir);
}
