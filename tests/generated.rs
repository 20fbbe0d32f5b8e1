//! The binary on logs from the project's seeded generator: counts equal the
//! generator's ground truth and awk over the same lines, across rotation,
//! gzip, chunk boundaries and thread counts.

mod common;

use common::*;
use fiveohone_gen::{
    generate, generate_rotated, BurstSpec, SynthConfig, SynthFormat, DEFAULT_START,
};

#[test]
fn rotated_family_with_gzip_matches_truth_and_awk() {
    let dir = temp_dir("rotated");
    let cfg = SynthConfig {
        seed: 11,
        lines: 60_000,
        garbage_per_million: 2_000,
        blank_per_million: 1_000,
        bursts: vec![BurstSpec {
            start: DEFAULT_START + 3 * 3600,
            duration_secs: 1200,
            rate: 0.5,
        }],
        ..SynthConfig::default()
    };
    let truth = generate_rotated(&cfg, &dir, "access.log", 4).unwrap();
    let report = json(&[dir.to_str().unwrap()]);
    let s = &report["summary"];

    assert_eq!(n(s, "lines"), truth.lines);
    assert_eq!(n(s, "blank"), truth.blank);
    assert_eq!(n(s, "malformed"), truth.garbage);
    assert_eq!(n(s, "requests"), truth.requests);
    assert_eq!(n(s, "matched"), truth.status_501);

    let mut text = Vec::new();
    for name in [
        "access.log.3.gz",
        "access.log.2.gz",
        "access.log.1",
        "access.log",
    ] {
        text.extend(text_of(&dir.join(name)));
    }
    assert_eq!(
        n(s, "matched"),
        awk_count("$9==501{c++} END{print c+0}", &text)
    );
    let names: Vec<String> = s["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            f["path"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        names,
        [
            "access.log.3.gz",
            "access.log.2.gz",
            "access.log.1",
            "access.log"
        ]
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn every_builtin_format_reads_its_generated_log() {
    let dir = temp_dir("formats");
    for format in SynthFormat::ALL {
        let cfg = SynthConfig {
            seed: 5,
            lines: 5_000,
            format,
            ..SynthConfig::default()
        };
        let path = dir.join(format!("{}.log", format.name()));
        let mut file = std::fs::File::create(&path).unwrap();
        let truth = generate(&cfg, &mut file).unwrap();
        drop(file);
        let s = &json(&[path.to_str().unwrap()])["summary"];
        assert_eq!(s["files"][0]["format"], format.name(), "detected format");
        assert_eq!(n(s, "requests"), truth.requests, "{format}");
        assert_eq!(n(s, "malformed"), truth.garbage, "{format}");
        assert_eq!(n(s, "matched"), truth.status_501, "{format}");
        // Detected format given explicitly gives the same counts.
        let fixed = &json(&["--format", format.name(), path.to_str().unwrap()])["summary"];
        assert_eq!(n(fixed, "matched"), truth.status_501, "{format}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn chunked_parallel_reading_loses_and_repeats_nothing() {
    // ~40 MB: several 8 MiB chunks whose boundaries fall mid-line.
    let dir = temp_dir("chunks");
    let path = dir.join("access.log");
    let cfg = SynthConfig {
        seed: 99,
        lines: 200_000,
        garbage_per_million: 500,
        blank_per_million: 500,
        ..SynthConfig::default()
    };
    let mut file = std::fs::File::create(&path).unwrap();
    let truth = generate(&cfg, &mut file).unwrap();
    drop(file);
    assert!(truth.bytes > 3 * 8 * 1024 * 1024, "spans several chunks");
    let p = path.to_str().unwrap();
    let one = json(&["-j", "1", p]);
    let two = json(&["-j", "2", p]);
    assert_eq!(one, two, "thread count changes nothing");
    let s = &one["summary"];
    assert_eq!(n(s, "lines"), truth.lines);
    assert_eq!(n(s, "blank"), truth.blank);
    assert_eq!(n(s, "requests"), truth.requests);
    assert_eq!(n(s, "matched"), truth.status_501);

    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn malformed_line_numbers_are_exact_past_the_first_chunk() {
    let dir = temp_dir("line-numbers");
    let path = dir.join("access.log");
    let cfg = SynthConfig {
        seed: 3,
        lines: 150_000,
        garbage_per_million: 0,
        blank_per_million: 0,
        ..SynthConfig::default()
    };
    let mut clean = Vec::new();
    generate(&cfg, &mut clean).unwrap();
    // Put garbage at known 1-based line numbers, all after the first chunk.
    let wanted = [60_001u64, 90_000, 120_002, 149_999];
    let mut text = Vec::new();
    let mut no = 1;
    for line in clean.split_inclusive(|&b| b == b'\n') {
        if wanted.contains(&no) {
            text.extend_from_slice(format!("garbage at line {no}\n").as_bytes());
            no += 1;
        }
        text.extend_from_slice(line);
        no += 1;
    }
    std::fs::write(&path, &text).unwrap();
    assert!(text.len() > 2 * 8 * 1024 * 1024);
    let s = &json(&[path.to_str().unwrap()])["summary"];
    let got: Vec<(u64, String)> = s["malformed_samples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (n(m, "line"), m["text"].as_str().unwrap().to_string()))
        .collect();
    let want: Vec<(u64, String)> = wanted
        .iter()
        .map(|&l| (l, format!("garbage at line {l}")))
        .collect();
    assert_eq!(got, want);
    let _ = std::fs::remove_dir_all(dir);
}
