//! Counters files: each host counts its own logs (`--counters-out`), one
//! run merges them (`--counters-in`) and reports exactly what one run over
//! all the lines reports.

mod common;

use std::path::Path;

use common::*;
use fiveohone_gen::{
    generate_dir, ScenarioKind, ScenarioSpec, SynthConfig, SynthFormat, DEFAULT_START,
};
use serde_json::{json, Value};

/// What must not depend on where the lines were counted: the headline,
/// the windows, the groups, and each burst's span, label, counts and
/// features (not its evidence sentences, which name the files).
fn essence(r: &Value) -> Value {
    let s = &r["summary"];
    let bursts: Vec<Value> = r["bursts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            json!([
                b["start"],
                b["end"],
                b["scenario"],
                b["confidence"],
                b["matched"],
                b["features"]
            ])
        })
        .collect();
    json!({
        "summary": [s["lines"], s["requests"], s["matched"], s["events"], s["first"], s["last"]],
        "windows": r["windows"],
        "groups": r["groups"],
        "bursts": bursts,
    })
}

/// Two days with every scenario, the access lines dealt to `hosts` hosts
/// one by one (each keeps the rotation's file names, uncompressed); the
/// error logs go to `dir/central`.
fn fleet(dir: &Path, hosts: usize) -> Vec<std::path::PathBuf> {
    let all = dir.join("all");
    let days = 2 * 86_400;
    let cfg = SynthConfig {
        seed: 21,
        lines: 200_000,
        format: SynthFormat::NginxUpstream,
        tz_offset_secs: 7200,
        duration_secs: days,
        bursts: Vec::new(),
        scenarios: ScenarioSpec::spread(&ScenarioKind::ALL, DEFAULT_START, days, 7200),
        ..SynthConfig::default()
    };
    generate_dir(&cfg, &all, 3).unwrap();
    let dirs: Vec<_> = (0..hosts).map(|h| dir.join(format!("host{h}"))).collect();
    let central = dir.join("central");
    for d in dirs.iter().chain([&central]) {
        std::fs::create_dir_all(d).unwrap();
    }
    for entry in std::fs::read_dir(&all).unwrap() {
        let path = entry.unwrap().path();
        let name = path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace(".gz", "");
        let text = text_of(&path);
        if name.starts_with("error") {
            std::fs::write(central.join(&name), &text).unwrap();
            continue;
        }
        let mut parts = vec![Vec::new(); hosts];
        for (i, line) in text.split_inclusive(|&b| b == b'\n').enumerate() {
            parts[i % hosts].extend_from_slice(line);
        }
        for (d, part) in dirs.iter().zip(parts) {
            std::fs::write(d.join(&name), part).unwrap();
        }
    }
    dirs
}

/// `fiveohone --counters-out file ARGS`, which must succeed.
fn count_into(file: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--counters-out", file.to_str().unwrap()];
    all.extend(args);
    let out = run(&all, None);
    assert!(out.status.success(), "{}", stderr(&out));
    out
}

#[test]
fn hosts_merged_report_as_one_run_over_all_their_lines() {
    let dir = temp_dir("fleet");
    let hosts = fleet(&dir, 3);
    let whole = json(&[dir.join("all").to_str().unwrap()]);
    let mut args = Vec::new();
    for (h, host) in hosts.iter().enumerate() {
        let file = dir.join(format!("host{h}.counters"));
        let out = count_into(&file, &[host.to_str().unwrap()]);
        // The counters replace the terminal report.
        assert!(out.stdout.is_empty());
        assert!(stderr(&out).contains("requests"), "{}", stderr(&out));
        args.extend(["--counters-in".to_string(), file.display().to_string()]);
    }
    // The error logs, kept centrally, read beside the hosts' counters
    // (with their zone: no access log beside them tells it).
    let central = dir.join("central");
    let mut beside: Vec<&str> = args.iter().map(String::as_str).collect();
    beside.extend(["--tz", "+0200", central.to_str().unwrap()]);
    let merged = json(&beside);
    assert!(!whole["bursts"].as_array().unwrap().is_empty());
    assert!(n(&whole["summary"], "events") > 0);
    assert_eq!(essence(&merged), essence(&whole));
    // Each host's files are inputs of the merged report.
    let files = |d: &Path| std::fs::read_dir(d).unwrap().count();
    assert_eq!(
        merged["summary"]["files"].as_array().unwrap().len(),
        hosts.iter().map(|h| files(h)).sum::<usize>() + files(&central)
    );
    // Or counted into a file of their own.
    let errors = dir.join("central.counters");
    count_into(&errors, &["--tz", "+0200", central.to_str().unwrap()]);
    args.extend(["--counters-in".to_string(), errors.display().to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert_eq!(essence(&json(&args)), essence(&whole));
    // And through a pipe.
    let one = dir.join("host0.counters");
    let bytes = std::fs::read(&one).unwrap();
    let piped = run(&["--json", "--counters-in", "-"], Some(&bytes));
    let direct = json(&["--counters-in", one.to_str().unwrap()]);
    let piped: Value = serde_json::from_slice(&piped.stdout).unwrap();
    assert_eq!(essence(&piped), essence(&direct));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn counters_of_other_settings_or_versions_are_refused() {
    let dir = temp_dir("refused");
    let file = dir.join("a.counters");
    let log = fixture("nginx");
    count_into(&file, &[log.to_str().unwrap()]);
    let out = run(
        &["--counters-in", file.to_str().unwrap(), "--window", "1m"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "counted with --window 300s --status 501, but this run asks for --window 60s"
        ),
        "{}",
        stderr(&out)
    );
    let out = run(
        &["--counters-in", file.to_str().unwrap(), "--status", "5xx"],
        None,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // A file of another layout version.
    let other = dir.join("b.counters");
    let mut bytes = Vec::new();
    ciborium::into_writer(
        &json!({"format": "fiveohone counters", "version": 99}),
        &mut bytes,
    )
    .unwrap();
    std::fs::write(&other, bytes).unwrap();
    let out = run(&["--counters-in", other.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("layout version 99"),
        "{}",
        stderr(&out)
    );
    // Not a counters file at all.
    let out = run(
        &["--counters-in", log.join("access.log").to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not a fiveohone counters file"),
        "{}",
        stderr(&out)
    );
    let _ = std::fs::remove_dir_all(dir);
}
