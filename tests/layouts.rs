//! Real deployments' layouts end to end: the same generated day (the iOS
//! or Android app failing for 45 minutes) written as nginx combined plus
//! `$request_time`, as ingress-nginx's `upstreaminfo`, and as JSON lines,
//! auto-detected. Every line must be read with its User-Agent (the burst is
//! `device_specific`, which needs it), and the 501s counted exactly
//! against awk over the original lines.

mod common;

use common::*;
use fiveohone::grammar::builtin;
use fiveohone::record::Slot;
use fiveohone::timefmt::TimeCache;
use fiveohone_gen::{generate, ScenarioKind, ScenarioSpec, SynthConfig, DEFAULT_START};
use serde_json::Value;
use std::path::Path;

/// A day of nginx combined with a device-specific failure at 14:00 UTC.
fn day(dir: &Path) -> Vec<u8> {
    let cfg = SynthConfig {
        seed: 41,
        lines: 120_000,
        bursts: Vec::new(),
        scenarios: vec![ScenarioSpec {
            kind: ScenarioKind::DeviceSpecific,
            start: DEFAULT_START + 14 * 3600,
            duration_secs: 45 * 60,
        }],
        ..SynthConfig::default()
    };
    let mut out = Vec::new();
    generate(&cfg, &mut out).unwrap();
    std::fs::write(dir.join("original.log"), &out).unwrap();
    out
}

/// Each line of `text` rewritten by `f` (lines nginx combined does not
/// read, garbage and blank ones, are kept as they are).
fn rewrite(text: &[u8], f: impl Fn(&[u8], &fiveohone::record::Record) -> Vec<u8>) -> Vec<u8> {
    let g = builtin::by_name("nginx-combined").unwrap();
    let mut times = TimeCache::default();
    let mut out = Vec::new();
    for line in text.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        match g.parse(line, &mut times) {
            Ok(p) => out.extend(f(line, &p.record)),
            Err(_) => out.extend_from_slice(line),
        }
        out.push(b'\n');
    }
    out
}

fn s(v: Option<&[u8]>) -> String {
    String::from_utf8_lossy(v.unwrap_or(b"-")).into_owned()
}

/// The request line as written.
fn request(r: &fiveohone::record::Record) -> String {
    let (m, t, p) = (r.method, r.target, r.protocol);
    let m = String::from_utf8_lossy(m);
    let t = String::from_utf8_lossy(t);
    if p.is_empty() {
        format!("{m} {t}")
    } else {
        format!("{m} {t} {}", String::from_utf8_lossy(p))
    }
}

/// The labels of a report's bursts, in order.
fn labels(report: &Value) -> Vec<&str> {
    report["bursts"]
        .as_array()
        .map(|b| b.iter().filter_map(|b| b["scenario"].as_str()).collect())
        .unwrap_or_default()
}

/// The file at `path` reads as `format`, with as many lines parsed and
/// malformed as the original day in nginx combined, the 501s that awk
/// counts in the original, and the one device-specific burst.
fn checks(name: &str, path: &Path, original: &Path, format: &str) -> Value {
    let report = json(&[path.to_str().unwrap()]);
    let base = json(&[original.to_str().unwrap()]);
    let (file, base_file) = (&report["summary"]["files"][0], &base["summary"]["files"][0]);
    assert_eq!(file["format"], format, "{name}: {file:#}");
    for key in ["parsed", "malformed"] {
        assert_eq!(file[key], base_file[key], "{name}: {key}");
    }
    let want_501 = awk_count("$9 == 501 { n++ } END { print n+0 }", &text_of(original));
    assert!(want_501 > 100);
    assert_eq!(
        report["summary"]["matched"].as_u64(),
        Some(want_501),
        "{name}"
    );
    let bursts: Vec<&Value> = report["bursts"].as_array().unwrap().iter().collect();
    let labels: Vec<&str> = bursts
        .iter()
        .map(|b| b["scenario"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["device_specific"], "{name}: {bursts:#?}");
    assert_eq!(bursts[0]["start"], "2026-05-07T14:00:00Z", "{name}");
    report
}

#[test]
fn combined_plus_request_time_is_combined() {
    let dir = temp_dir("layout-timed");
    let original = day(&dir);
    let timed = rewrite(&original, |line, r| {
        let ms = r.time.rem_euclid(997);
        [line, format!(" 0.{ms:03}").as_bytes()].concat()
    });
    let path = dir.join("access.log");
    std::fs::write(&path, &timed).unwrap();
    let report = checks(
        "combined + $request_time",
        &path,
        &dir.join("original.log"),
        "nginx-combined",
    );
    // Every line written in combined has the extra field, and the report
    // says so (a few lines in other formats read without it).
    let file = &report["summary"]["files"][0];
    assert_eq!(
        n(file, "trailing") + n(file, "other_format"),
        n(file, "parsed"),
        "{file:#}"
    );
    // The report shows what the extra field looks like: the first line's.
    let first = timed.split(|&b| b == b'\n').next().unwrap();
    let last_word = String::from_utf8_lossy(first.rsplit(|&b| b == b' ').next().unwrap());
    assert_eq!(file["trailing_example"], *last_word, "{file:#}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn ingress_nginx_upstreaminfo_with_retries() {
    let dir = temp_dir("layout-ingress");
    let original = day(&dir);
    let ingress = rewrite(&original, |line, r| {
        // The combined part as written, then ingress-nginx's fields; one
        // request in 50 was retried on a second pod.
        let tries = if r.time % 50 == 0 {
            "10.42.0.17:8080, 10.42.1.9:8080"
        } else {
            "10.42.1.9:8080"
        };
        let tail = format!(
            " 312 0.004 [shop-web-8080] [] {tries} 512 0.004 {} 4f2b9c1e0d8a7b6c5d4e3f2a1b0c9d8e",
            r.status
        );
        [line, tail.as_bytes()].concat()
    });
    let path = dir.join("access.log");
    std::fs::write(&path, &ingress).unwrap();
    let report = checks(
        "upstreaminfo",
        &path,
        &dir.join("original.log"),
        "nginx-upstreaminfo",
    );
    let retried = awk_count(
        "/10[.]42[.]0[.]17:8080, / { n++ } END { print n+0 }",
        &ingress,
    );
    assert!(retried > 0);
    assert_eq!(
        report["summary"]["files"][0]["retried"].as_u64(),
        Some(retried)
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn json_lines_in_any_key_order() {
    let dir = temp_dir("layout-json");
    let original = day(&dir);
    let lines = rewrite(&original, |_, r| {
        let status = r.status;
        let mut pairs = [
            format!("\"time_local\":\"{}\"", String::from_utf8_lossy(r.time_raw)),
            format!("\"remote_addr\":\"{}\"", s(r.slot(Slot::Client))),
            format!("\"request\":\"{}\"", request(r)),
            format!("\"status\":{status}"),
            format!(
                "\"body_bytes_sent\":{}",
                s(r.slot(Slot::Bytes)).replace('-', "0")
            ),
            format!("\"http_referer\":\"{}\"", s(r.slot(Slot::Referer))),
            format!("\"http_user_agent\":\"{}\"", s(r.slot(Slot::UserAgent))),
        ];
        // Shippers reorder keys: rotate them line by line.
        let k = (r.time as usize) % pairs.len();
        pairs.rotate_left(k);
        format!("{{{}}}", pairs.join(",")).into_bytes()
    });
    let path = dir.join("access.json");
    std::fs::write(&path, &lines).unwrap();
    checks("json", &path, &dir.join("original.log"), "json");
    let _ = std::fs::remove_dir_all(dir);
}

/// A server config is all a user gives: `--nginx-conf` finds the rotated
/// family of each `access_log` and reads it with its own `log_format` (a
/// layout no built-in grammar has), so one upstream node's failure is
/// `upstream_node`, which needs the upstream field read.
#[test]
fn the_nginx_config_gives_each_log_its_format() {
    let dir = temp_dir("layout-conf");
    let cfg = SynthConfig {
        seed: 43,
        lines: 120_000,
        format: fiveohone_gen::SynthFormat::NginxUpstream,
        bursts: Vec::new(),
        scenarios: vec![ScenarioSpec {
            kind: ScenarioKind::UpstreamNode,
            start: DEFAULT_START + 14 * 3600,
            duration_secs: 40 * 60,
        }],
        ..SynthConfig::default()
    };
    let mut original = Vec::new();
    generate(&cfg, &mut original).unwrap();
    let g = builtin::by_name("nginx-upstream").unwrap();
    let mut times = TimeCache::default();
    let mut edge = Vec::new();
    for line in original.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        if let Ok(p) = g.parse(line, &mut times) {
            let r = &p.record;
            let t = chrono::DateTime::from_timestamp(r.time, 0).unwrap();
            edge.extend(
                format!(
                    "{} [{}] {} \"{}\" {} {} {} \"{}\"\n",
                    s(r.slot(Slot::Host)),
                    t.format("%Y-%m-%dT%H:%M:%S+00:00"),
                    s(r.slot(Slot::Client)),
                    request(r),
                    r.status,
                    s(r.slot(Slot::Bytes)),
                    s(r.slot(Slot::UpstreamAddr)),
                    s(r.slot(Slot::UserAgent)),
                )
                .into_bytes(),
            );
        }
    }
    // Rotated once: the older half in edge.log.1.
    let logs = dir.join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    let half = edge.len() / 2
        + edge[edge.len() / 2..]
            .iter()
            .position(|&b| b == b'\n')
            .unwrap()
        + 1;
    std::fs::write(logs.join("edge.log.1"), &edge[..half]).unwrap();
    std::fs::write(logs.join("edge.log"), &edge[half..]).unwrap();
    let conf = dir.join("nginx.conf");
    std::fs::write(
        &conf,
        format!(
            "events {{}}\nhttp {{\n    log_format edge '$host [$time_iso8601] $remote_addr \"$request\" '\n                    \
             '$status $body_bytes_sent $upstream_addr \"$http_user_agent\"';\n    \
             server {{\n        listen 80;\n        access_log {}/edge.log edge;\n    }}\n}}\n",
            logs.display()
        ),
    )
    .unwrap();
    let report = json(&["--nginx-conf", conf.to_str().unwrap()]);
    let files = report["summary"]["files"].as_array().unwrap();
    let names: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert!(
        names[0].ends_with("edge.log.1") && names[1].ends_with("/edge.log"),
        "{names:?}"
    );
    for f in files {
        assert_eq!(f["format"], "edge", "{f:#}");
        assert_eq!(f["malformed"], 0, "{f:#}");
    }
    // The status is the first word after the request's closing quote.
    let want = awk_count(
        "BEGIN { FS = \"\\\"\" } { split($3, a, \" \"); if (a[1] == 501) n++ } END { print n+0 }",
        &edge,
    );
    assert!(want > 50);
    assert_eq!(report["summary"]["matched"].as_u64(), Some(want));
    assert_eq!(labels(&report), ["upstream_node"], "{:#}", report["bursts"]);
    let _ = std::fs::remove_dir_all(dir);
}

/// What `kubectl logs` files and Docker's json-file driver hold: each line
/// of the same day wrapped, every 500th split in two pieces (a partial `P`
/// piece, or a `log` without its `\n`). Read unwrapped with the inner
/// format, the pieces joined.
#[test]
fn container_envelopes_are_unwrapped() {
    let dir = temp_dir("layout-envelopes");
    let original = day(&dir);
    let lines: Vec<&[u8]> = original
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let (mut cri, mut docker, mut split) = (Vec::new(), Vec::new(), 0u64);
    for (i, line) in lines.iter().enumerate() {
        let text = String::from_utf8_lossy(line);
        let stamp = format!("2026-05-07T10:00:{:02}.{:09}Z", i % 60, i);
        let pieces: Vec<&str> = if i % 500 == 7 && text.len() > 20 {
            split += 1;
            let cut = (1..20).find(|&k| text.is_char_boundary(k)).unwrap_or(1);
            vec![&text[..cut], &text[cut..]]
        } else {
            vec![&text[..]]
        };
        for (k, piece) in pieces.iter().enumerate() {
            let last = k + 1 == pieces.len();
            let tag = if last { "F" } else { "P" };
            cri.extend(format!("{stamp} stdout {tag} {piece}\n").into_bytes());
            let log = if last {
                format!("{piece}\n")
            } else {
                piece.to_string()
            };
            let log = serde_json::to_string(&log).unwrap();
            docker.extend(
                format!("{{\"log\":{log},\"stream\":\"stdout\",\"time\":\"{stamp}\"}}\n")
                    .into_bytes(),
            );
        }
    }
    assert!(split > 100);
    for (name, text) in [("cri.log", &cri), ("docker-json.log", &docker)] {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let report = json(&[path.to_str().unwrap()]);
        let file = &report["summary"]["files"][0];
        assert_eq!(file["format"], "nginx-combined", "{name}: {file:#}");
        assert!(file["notes"].to_string().contains("envelopes"), "{file:#}");
        let base = json(&[dir.join("original.log").to_str().unwrap()]);
        let base = &base["summary"]["files"][0];
        // Each first piece counts as a continuation of its line.
        assert_eq!(n(file, "parsed"), n(base, "parsed") + split, "{name}");
        assert_eq!(file["malformed"], base["malformed"], "{name}");
        let want = awk_count("$9 == 501 { n++ } END { print n+0 }", &original);
        assert_eq!(report["summary"]["matched"].as_u64(), Some(want), "{name}");
        assert_eq!(labels(&report), ["device_specific"], "{name}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// What nginx's container image writes: the access log on stdout, the
/// error log on stderr, in one CRI file (what `kubectl logs` reads), in
/// time order. A traffic spike with worker exhaustion in the error log.
/// Long lines come in pieces, and a piece of the other stream may come
/// between them (the runtime splits each stream on its own). The stderr
/// lines are the error log's events, also with a fixed `-f`, and the
/// report is the one of the two files read apart.
#[test]
fn a_containers_stdout_and_stderr_are_its_access_and_error_logs() {
    let dir = temp_dir("layout-streams");
    let cfg = SynthConfig {
        seed: 7,
        lines: 150_000,
        tz_offset_secs: 0,
        bursts: Vec::new(),
        scenarios: vec![ScenarioSpec {
            kind: ScenarioKind::TrafficSpike,
            start: DEFAULT_START + 14 * 3600,
            duration_secs: 20 * 60,
        }],
        ..SynthConfig::default()
    };
    let (mut access, mut error) = (Vec::new(), Vec::new());
    generate(&cfg, &mut access).unwrap();
    fiveohone_gen::generate_error_log(&cfg, &mut error).unwrap();
    std::fs::write(dir.join("access.log"), &access).unwrap();
    std::fs::write(dir.join("error.log"), &error).unwrap();
    let mut lines: Vec<(i64, &str, String)> = Vec::new();
    let mut last = 0;
    for (text, stream) in [(&access, "stdout"), (&error, "stderr")] {
        for line in String::from_utf8_lossy(text).lines() {
            last = line_time(line, stream).unwrap_or(last);
            lines.push((last, stream, line.to_string()));
        }
    }
    lines.sort_by_key(|l| l.0);
    // A long line that fits nothing, its pieces apart, early (among the
    // samples kept): its sample points at its first piece.
    let junk = (lines[5].0, "stdout", format!("junk {}", "x".repeat(300)));
    lines.insert(6, junk);
    let junk_line = 7;
    let (mut cri, mut split, mut between) = (String::new(), 0u64, 0u64);
    let mut i = 0;
    while let Some((time, stream, text)) = lines.get(i) {
        let stamp = chrono::DateTime::from_timestamp(*time, 0).unwrap();
        let stamp = stamp.format("%Y-%m-%dT%H:%M:%S%.9fZ");
        let next_other = lines
            .get(i + 1)
            .filter(|n| n.1 != *stream && i + 2 != junk_line);
        let cut = text.len().min(20);
        let whole = |s: &str, t: &str| format!("{stamp} {s} F {t}\n");
        if (i % 400 == 7 || next_other.is_some() || i + 1 == junk_line)
            && text.is_char_boundary(cut)
        {
            split += 1;
            cri += &format!("{stamp} {stream} P {}\n", &text[..cut]);
            if let Some((_, other, line)) = next_other {
                between += 1;
                cri += &whole(other, line);
                i += 1;
            }
            cri += &whole(stream, &text[cut..]);
        } else {
            cri += &whole(stream, text);
        }
        i += 1;
    }
    assert!(split > 100 && between > 50, "{split} {between}");
    let path = dir.join("nginx-7d9f.log");
    std::fs::write(&path, &cri).unwrap();

    let error_lines = awk_count(
        "/^[0-9][0-9][0-9][0-9]\\/[0-9][0-9]\\/[0-9][0-9] / { n++ } END { print n+0 }",
        &error,
    );
    assert!(error_lines > 50);
    let want_501 = awk_count("$9 == 501 { n++ } END { print n+0 }", &access);
    let (access_path, error_path) = (dir.join("access.log"), dir.join("error.log"));
    for args in [vec![], vec!["-f", "nginx-combined"]] {
        let with = |paths: &[&Path]| {
            let mut all = args.clone();
            all.extend(paths.iter().map(|p| p.to_str().unwrap()));
            json(&all)
        };
        let report = with(&[&path]);
        let apart = with(&[&access_path, &error_path]);
        let file = &report["summary"]["files"][0];
        assert_eq!(n(file, "stderr"), error_lines, "{args:?}: {file:#}");
        let access_file = &apart["summary"]["files"][0];
        // The error lines, and (in auto mode) the few error lines among the
        // access ones.
        assert_eq!(
            n(file, "events"),
            error_lines + n(access_file, "events"),
            "{args:?}: {file:#}"
        );
        // Every line read: the access log's malformed lines, and the junk.
        assert_eq!(
            n(file, "malformed"),
            n(access_file, "malformed") + 1,
            "{args:?}"
        );
        assert_eq!(
            n(file, "parsed"),
            n(access_file, "parsed") + error_lines + split,
            "{args:?}"
        );
        assert_eq!(report["summary"]["matched"].as_u64(), Some(want_501));
        let sample = report["summary"]["malformed_samples"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["text"].as_str().unwrap().starts_with("junk"))
            .unwrap_or_else(|| panic!("{args:?}: no junk sample in {report:#}"));
        // Lines before it, each split one a line more.
        let at = cri.lines().position(|l| l.contains(" P junk")).unwrap() + 1;
        assert_eq!(n(sample, "line"), at as u64, "{args:?}");
        assert_eq!(labels(&report), ["traffic_spike"], "{args:?}");
        for key in ["start", "end", "matched", "nearby_events", "evidence"] {
            assert_eq!(
                report["bursts"][0][key], apart["bursts"][0][key],
                "{args:?} {key}"
            );
        }
        let events = report["bursts"][0]["nearby_events"].to_string();
        assert!(events.contains("worker_exhaustion"), "{args:?}: {events}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// The time of an nginx access line (`[07/May/2026:14:00:01 +0000]`) on
/// stdout or error line (`2026/05/07 14:00:01`) on stderr, in UTC.
fn line_time(line: &str, stream: &str) -> Option<i64> {
    let parse = |s: &str, f: &str| chrono::NaiveDateTime::parse_from_str(s, f).ok();
    let stamp = if stream == "stdout" {
        let at = line.find('[')?;
        parse(line.get(at + 1..at + 21)?, "%d/%b/%Y:%H:%M:%S")
    } else {
        parse(line.get(..19)?, "%Y/%m/%d %H:%M:%S")
    };
    Some(stamp?.and_utc().timestamp())
}

/// The same through Apache's config: `--apache-conf` follows an
/// `IncludeOptional`, takes the vhost's `CustomLog` with its `LogFormat`
/// nickname (a layout no built-in has), and the device failure is
/// `device_specific`, which needs the User-Agent read.
#[test]
fn the_apache_config_gives_each_log_its_format() {
    let dir = temp_dir("layout-apache-conf");
    let original = day(&dir);
    let shop = rewrite(&original, |_, r| {
        format!(
            "{} {} \"{}\" {} \"{}\"",
            String::from_utf8_lossy(r.time_raw),
            s(r.slot(Slot::Client)),
            request(r),
            r.status,
            s(r.slot(Slot::UserAgent)),
        )
        .into_bytes()
    });
    let logs = dir.join("logs");
    std::fs::create_dir_all(logs.join("../sites-enabled")).unwrap();
    std::fs::write(logs.join("shop_access.log"), &shop).unwrap();
    std::fs::write(
        dir.join("apache2.conf"),
        format!(
            "ServerRoot \"{}\"\nLogFormat \"%{{%d/%b/%Y:%H:%M:%S %z}}t %a \\\"%r\\\" %>s \\\"%{{User-Agent}}i\\\"\" shop\n\
             IncludeOptional sites-enabled/*.conf\n",
            dir.display()
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("sites-enabled/shop.conf"),
        "<VirtualHost *:80>\n    ServerName shop.example.com\n    CustomLog logs/shop_access.log shop\n</VirtualHost>\n",
    )
    .unwrap();
    let report = json(&["--apache-conf", dir.join("apache2.conf").to_str().unwrap()]);
    let files = report["summary"]["files"].as_array().unwrap();
    assert_eq!(files.len(), 1, "{files:#?}");
    assert_eq!(files[0]["format"], "shop", "{:#}", files[0]);
    let base = json(&[dir.join("original.log").to_str().unwrap()]);
    // The config's format has no fallbacks: the original's few lines in
    // other formats (kept as they were) are malformed here.
    let base = &base["summary"]["files"][0];
    assert_eq!(
        n(&files[0], "parsed"),
        n(base, "parsed") - n(base, "other_format")
    );
    let want = awk_count("$9 == 501 { n++ } END { print n+0 }", &original);
    assert_eq!(report["summary"]["matched"].as_u64(), Some(want));
    assert_eq!(labels(&report), ["device_specific"]);
    let _ = std::fs::remove_dir_all(dir);
}
