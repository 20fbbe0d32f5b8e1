//! Burst detection end to end: deploy markers, user scenarios, quiet
//! traffic, and the JSON and CSV of bursts.

mod common;

use common::*;
use fiveohone_gen::{generate, BurstSpec, SynthConfig, DEFAULT_START};
use serde_json::Value;

/// A day of generated traffic with one generic burst at 14:00–14:20 UTC.
fn day_with_burst(dir: &std::path::Path) -> (std::path::PathBuf, u64) {
    let path = dir.join("access.log");
    let cfg = SynthConfig {
        seed: 21,
        lines: 150_000,
        bursts: vec![BurstSpec {
            start: DEFAULT_START + 14 * 3600,
            duration_secs: 1200,
            rate: 0.4,
        }],
        ..SynthConfig::default()
    };
    let mut file = std::fs::File::create(&path).unwrap();
    let truth = generate(&cfg, &mut file).unwrap();
    (path, truth.status_501)
}

fn bursts(report: &Value) -> &Vec<Value> {
    report["bursts"].as_array().unwrap()
}

#[test]
fn a_deploy_marker_makes_a_burst_post_deploy() {
    let dir = temp_dir("deploy");
    let (log, _) = day_with_burst(&dir);
    let p = log.to_str().unwrap();
    // Without a marker: post_deploy at lower confidence.
    let plain = json(&[p]);
    let b = bursts(&plain);
    assert_eq!(b.len(), 1, "{b:#?}");
    assert_eq!(b[0]["scenario"], "post_deploy");
    assert!(b[0]["confidence"].as_f64().unwrap() < 0.7);
    assert_eq!(b[0]["start"], "2026-05-07T14:00:00Z");
    assert_eq!(b[0]["end"], "2026-05-07T14:20:00Z");
    // With --deploy two minutes before: full confidence and the evidence says so.
    let marked = json(&[p, "--deploy", "2026-05-07T13:58:00Z"]);
    let b = &bursts(&marked)[0];
    assert_eq!(b["scenario"], "post_deploy");
    assert_eq!(b["confidence"].as_f64().unwrap(), 1.0);
    let evidence: Vec<&str> = b["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    assert!(
        evidence
            .contains(&"deploy (--deploy) at 13:58:00 UTC, 2 min before the burst's first window"),
        "{evidence:#?}"
    );
    assert!(b["next"]
        .as_str()
        .unwrap()
        .contains("2026-05-07 13:58:00 UTC"));
    // The same from a deploys file, as git log writes it (with an offset).
    let deploys = dir.join("deploys.txt");
    std::fs::write(
        &deploys,
        "# deploys\n2026-05-07T15:58:00+02:00\n\n2026-05-06T09:00:00+02:00\n",
    )
    .unwrap();
    let from_file = json(&[p, "--deploys", deploys.to_str().unwrap()]);
    assert_eq!(bursts(&from_file)[0]["confidence"].as_f64().unwrap(), 1.0);
    let bad = dir.join("bad.txt");
    std::fs::write(&bad, "2026-05-07T15:58:00+02:00\nlast tuesday\n").unwrap();
    let out = run(&[p, "--deploys", bad.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("bad.txt:2: `last tuesday` is not a time")
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn quiet_traffic_has_no_burst() {
    let dir = temp_dir("quiet");
    let path = dir.join("access.log");
    let cfg = SynthConfig {
        seed: 5,
        lines: 300_000,
        duration_secs: 3 * 86_400,
        bursts: Vec::new(),
        ..SynthConfig::default()
    };
    let truth = generate(&cfg, &mut std::fs::File::create(&path).unwrap()).unwrap();
    assert!(
        truth.status_501 > 50,
        "stray 501s are there: {}",
        truth.status_501
    );
    for sensitivity in ["5", "8"] {
        let report = json(&[path.to_str().unwrap(), "--sensitivity", sensitivity]);
        assert!(
            bursts(&report).is_empty(),
            "sensitivity {sensitivity}: {:#?}",
            bursts(&report)
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_users_scenario_wins_and_bad_files_are_named() {
    let dir = temp_dir("scenarios");
    let log = dir.join("access.log");
    // Quiet GETs, then one address sends PROPFIND to one route for 10 minutes.
    let mut text = String::new();
    for i in 0..3600 {
        let (h, m, s) = (10 + i / 1800, i / 30 % 60, i * 2 % 60);
        text.push_str(&format!(
            "198.51.100.{} - - [07/May/2026:{h:02}:{m:02}:{s:02} +0000] \"GET /page/{} HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 (Windows NT 10.0; Win64; x64)\"\n",
            i % 200,
            i % 17
        ));
        if (900..1200).contains(&i) {
            text.push_str(&format!(
                "203.0.113.66 - - [07/May/2026:{h:02}:{m:02}:{s:02} +0000] \"PROPFIND /health HTTP/1.1\" 501 0 \"-\" \"cdn-probe/1.0\"\n"
            ));
        }
    }
    std::fs::write(&log, text).unwrap();
    let p = log.to_str().unwrap();
    let report = json(&[p]);
    let b = &bursts(&report)[0];
    assert_eq!(b["scenario"], "unsupported_method");
    assert_eq!(b["matched"], 300);
    let conf = dir.join("cdn.conf");
    std::fs::write(
        &conf,
        "scenario cdn_probe\n  title  the CDN's health checks use a method the origin does not implement\n  next   Fix the health-check method in the CDN settings for {route}\n  need   unusual_share >= 0.9\n  need   top_client_share >= 0.9\n  when   routes <= 1  2\n",
    )
    .unwrap();
    let report = json(&[p, "--scenarios", conf.to_str().unwrap()]);
    let b = &bursts(&report)[0];
    assert_eq!(b["scenario"], "cdn_probe");
    assert_eq!(
        b["next"],
        "Fix the health-check method in the CDN settings for /health"
    );
    assert_eq!(b["top"]["methods"][0]["name"], "PROPFIND");
    std::fs::write(&conf, "scenario x\n  need nosuch >= 1\n").unwrap();
    let out = run(&[p, "--scenarios", conf.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cdn.conf:2: unknown feature `nosuch`"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn bursts_in_the_terminal_and_csv() {
    let dir = temp_dir("burst-out");
    let (log, _) = day_with_burst(&dir);
    let out = run(
        &[log.to_str().unwrap(), "--deploy", "2026-05-07 13:58"],
        None,
    );
    let text = String::from_utf8(out.stdout).unwrap();
    for want in [
        "Verdict: 1 burst of 501",
        "#1 2026-05-07 14:00–14:20 post_deploy (",
        "      next: Roll back",
        "In short: #1 2026-05-07 14:00–14:20 post_deploy",
    ] {
        assert!(text.contains(want), "missing `{want}` in:\n{text}");
    }
    let csv_dir = dir.join("csv");
    json(&[log.to_str().unwrap(), "--csv", csv_dir.to_str().unwrap()]);
    let csv = std::fs::read_to_string(csv_dir.join("bursts.csv")).unwrap();
    let mut lines = csv.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("start,end,matched,requests,expected,scenario,confidence,evidence,next"));
    assert!(lines
        .next()
        .unwrap()
        .starts_with("2026-05-07T14:00:00Z,2026-05-07T14:20:00Z,"));
    assert_eq!(lines.next(), None);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn every_feature_in_the_registry_is_computed() {
    use fiveohone_gen::{generate_dir, ScenarioKind, ScenarioSpec, SynthFormat};
    let dir = temp_dir("features");
    let days = 2 * 86_400;
    let cfg = SynthConfig {
        seed: 3,
        lines: 240_000,
        format: SynthFormat::NginxUpstream,
        tz_offset_secs: 7200,
        duration_secs: days,
        bursts: Vec::new(),
        scenarios: ScenarioSpec::spread(&ScenarioKind::ALL, DEFAULT_START, days, 7200),
        ..SynthConfig::default()
    };
    generate_dir(&cfg, &dir, 3).unwrap();
    let report = json(&[dir.to_str().unwrap()]);
    let mut seen = std::collections::BTreeSet::new();
    for b in bursts(&report) {
        for k in b["features"].as_object().unwrap().keys() {
            seen.insert(k.clone());
        }
    }
    let missing: Vec<&str> = fiveohone::detect::features::REGISTRY
        .iter()
        .map(|f| f.name)
        .filter(|name| !seen.contains(*name))
        .collect();
    assert!(missing.is_empty(), "never computed: {missing:?}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn uptime_monitors_are_steady_sources_not_bursts() {
    use fiveohone_gen::{generate_dir, quiet_week, SynthFormat};
    let dir = temp_dir("monitors");
    let cfg = quiet_week(11, SynthFormat::NginxCombined, 420_000);
    generate_dir(&cfg, &dir, 3).unwrap();
    let report = json(&[dir.to_str().unwrap()]);
    assert!(bursts(&report).is_empty(), "{:#?}", bursts(&report));
    let steady = report["steady_sources"].as_array().unwrap();
    // awk over the same lines: each monitor's 501s.
    let mut text = Vec::new();
    for name in ["access.log.2.gz", "access.log.1", "access.log"] {
        text.extend(text_of(&dir.join(name)));
    }
    for (method, route) in [("OPTIONS", "/healthz"), ("HEAD", "/status")] {
        let program =
            format!("$6 == \"\\\"{method}\" && $7 == \"{route}\" && $9 == 501 {{ n++ }} END {{ print n+0 }}");
        let want = awk_count(&program, &text);
        let s = steady
            .iter()
            .find(|s| s["method"] == method && s["route"] == route)
            .unwrap_or_else(|| panic!("{method} {route} not steady: {steady:#?}"));
        assert_eq!(s["matched"].as_u64(), Some(want), "{method} {route}");
        assert!(want > 9_000, "a week of one a minute: {want}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_verdict_does_not_depend_on_the_window() {
    use fiveohone_gen::{generate_dir, ScenarioKind, ScenarioSpec, SynthFormat};
    let dir = temp_dir("windows");
    let days = 2 * 86_400;
    let cfg = SynthConfig {
        seed: 8,
        lines: 200_000,
        format: SynthFormat::NginxUpstream,
        duration_secs: days,
        bursts: Vec::new(),
        scenarios: ScenarioSpec::spread(&ScenarioKind::ALL, DEFAULT_START, days, 7200),
        ..SynthConfig::default()
    };
    generate_dir(&cfg, &dir, 3).unwrap();
    let p = dir.to_str().unwrap();
    let verdict = |window: &str| -> Vec<(String, String, String, u64)> {
        let report = json(&[p, "--window", window]);
        assert_eq!(n(&report["summary"], "window_secs"), {
            fiveohone::timefmt::parse_duration(window).unwrap() as u64
        });
        bursts(&report)
            .iter()
            .map(|b| {
                (
                    b["start"].as_str().unwrap().to_string(),
                    b["end"].as_str().unwrap().to_string(),
                    b["scenario"].as_str().unwrap().to_string(),
                    b["matched"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let five = verdict("5m");
    assert_eq!(five.len(), 6, "{five:#?}");
    for window in ["30s", "1m", "1h", "1d"] {
        assert_eq!(verdict(window), five, "--window {window}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_range_around_a_burst_keeps_its_verdict() {
    let dir = temp_dir("range");
    let (log, _) = day_with_burst(&dir);
    let p = log.to_str().unwrap();
    let whole = json(&[p, "--deploy", "2026-05-07T13:58:00Z"]);
    let ranged = json(&[
        p,
        "--deploy",
        "2026-05-07T13:58:00Z",
        "--since",
        "2026-05-07T13:55:00Z",
        "--until",
        "2026-05-07T14:30:00Z",
    ]);
    let (a, b) = (&bursts(&whole)[0], &bursts(&ranged)[0]);
    assert_eq!(bursts(&ranged).len(), 1, "{:#?}", bursts(&ranged));
    for key in ["start", "end", "matched", "scenario", "confidence"] {
        assert_eq!(a[key], b[key], "{key}");
    }
    // The report itself is bounded by the range: 35 minutes of requests.
    let windows = ranged["windows"].as_array().unwrap();
    assert_eq!(windows.len(), 7);
    assert_eq!(windows[0]["start"], "2026-05-07T13:55:00Z");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_deploy_that_breaks_what_one_app_calls_is_post_deploy() {
    // A day of traffic; for 40 minutes after a deploy, the iOS app's order
    // requests answer 501 (the deploy broke an API only the app calls).
    let dir = temp_dir("deploy-ios");
    let cfg = SynthConfig {
        seed: 99,
        lines: 150_000,
        bursts: Vec::new(),
        ..SynthConfig::default()
    };
    let mut raw = Vec::new();
    generate(&cfg, &mut raw).unwrap();
    let mut broken = 0;
    let mut text = Vec::with_capacity(raw.len());
    for line in raw.split_inclusive(|&b| b == b'\n') {
        let s = String::from_utf8_lossy(line);
        // 16:00–16:40 local (+02:00) is 14:00–14:40 UTC.
        let inside = ["16:0", "16:1", "16:2", "16:3"]
            .iter()
            .any(|t| s.contains(&format!("07/May/2026:{t}")));
        if inside && s.contains("ShopApp") && s.contains("/api/v1/orders") && s.contains("\" 200 ")
        {
            text.extend_from_slice(s.replacen("\" 200 ", "\" 501 ", 1).as_bytes());
            broken += 1;
        } else {
            text.extend_from_slice(line);
        }
    }
    assert!(broken > 30, "{broken} requests broken");
    let log = dir.join("access.log");
    std::fs::write(&log, &text).unwrap();
    let p = log.to_str().unwrap();
    let with = json(&[p, "--deploy", "2026-05-07T13:58:00Z"]);
    let b = &bursts(&with)[0];
    assert_eq!(b["scenario"], "post_deploy", "{b:#}");
    assert!(b["next"].as_str().unwrap().starts_with("Roll back or diff"));
    let evidence = b["evidence"].to_string();
    assert!(evidence.contains("the iOS app clients sent"), "{evidence}");
    // Without the marker nothing says it was a deploy: the app is the lead.
    let without = json(&[p]);
    assert_eq!(bursts(&without)[0]["scenario"], "device_specific");
    let _ = std::fs::remove_dir_all(dir);
}

/// Two probes from the internet, eight minutes apart: TLS handshakes sent
/// to the plain-HTTP port by one address for 15 minutes, then a worm's
/// lowercase `get` from another address for 6 minutes. A person names two
/// incidents, each with its client; they must not merge into one burst.
#[test]
fn two_scanners_one_after_another_are_two_bursts() {
    let dir = temp_dir("two-scanners");
    let log = quiet_day(&dir);
    let mut extra = String::new();
    let stamp = |secs: i64| {
        let t = chrono::DateTime::from_timestamp(DEFAULT_START + secs, 0).unwrap();
        t.format("%d/%b/%Y:%H:%M:%S +0000").to_string()
    };
    // 14:00:10–14:15:10, one every 6 s.
    for k in 0..150 {
        let t = stamp(14 * 3600 + 10 + 6 * k);
        extra += &format!("193.196.38.61 - - [{t}] \"\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xFC\\x03\\x03\" 501 181 \"-\" \"-\"\n");
    }
    // 14:23:10–14:29:40, one every 10 s.
    for k in 0..40 {
        let t = stamp(14 * 3600 + 23 * 60 + 10 + 10 * k);
        extra += &format!("194.140.118.3 - - [{t}] \"get /scripts/..%c0%af../winnt/system32/cmd.exe?/c+dir HTTP/1.0\" 501 181 \"-\" \"-\"\n");
    }
    let mut text = std::fs::read(&log).unwrap();
    text.extend_from_slice(extra.as_bytes());
    std::fs::write(&log, &text).unwrap();
    let report = json(&[log.to_str().unwrap()]);
    let b = bursts(&report);
    let labels: Vec<(&str, &str)> = b
        .iter()
        .map(|b| {
            (
                b["scenario"].as_str().unwrap(),
                b["start"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        labels,
        [
            ("unsupported_method", "2026-05-07T14:00:00Z"),
            ("unsupported_method", "2026-05-07T14:20:00Z"),
        ],
        "{b:#?}"
    );
    // awk over the same lines: each client's 501s inside its burst's
    // windows, and nearly all of them.
    for (burst, client) in b.iter().zip(["193.196.38.61", "194.140.118.3"]) {
        let clock = |k: &str| burst[k].as_str().unwrap()[11..19].to_owned();
        let (from, to) = (clock("start"), clock("end"));
        let mine = format!("$1 == \"{client}\" && $(NF-3) == 501");
        let all = awk_count(&format!("{mine} {{ n++ }} END {{ print n+0 }}"), &text);
        let within = awk_count(
            &format!(
                "{mine} {{ t = substr($4, 14, 8); if (t >= \"{from}\" && t < \"{to}\") n++ }} END {{ print n+0 }}"
            ),
            &text,
        );
        assert_eq!(burst["matched"].as_u64(), Some(within), "{burst:#?}");
        assert!(within * 100 >= all * 95, "{client}: {within} of {all}");
        let said = burst["evidence"].to_string();
        assert!(said.contains(client), "{client}: {said}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// A day of generated traffic (at +0000) with nothing but stray 501s.
fn quiet_day(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("access.log");
    let cfg = SynthConfig {
        seed: 33,
        lines: 150_000,
        tz_offset_secs: 0,
        bursts: Vec::new(),
        ..SynthConfig::default()
    };
    generate(&cfg, &mut std::fs::File::create(&path).unwrap()).unwrap();
    path
}
