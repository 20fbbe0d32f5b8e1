//! Detection accuracy on generated timelines with injected, labelled
//! scenarios (the generator's ground truth): every injected burst must be
//! found, overlapping its true time, with its true label, and nothing else
//! may be reported; a week of noise-only traffic yields no burst.
//!
//! `FIVEOHONE_ACCURACY_SEEDS=N` runs N seeds per timeline and prints the
//! precision and recall table (use `--release --nocapture`).

mod common;

use common::*;
use fiveohone_gen::{
    generate_dir, ScenarioKind, ScenarioSpec, SynthConfig, SynthFormat, DEFAULT_START,
};
use serde_json::Value;

/// One timeline to generate.
struct Timeline {
    name: &'static str,
    format: SynthFormat,
    tz: i32,
    days: i64,
    lines: u64,
    kinds: &'static [ScenarioKind],
}

const ALL: &[ScenarioKind] = &ScenarioKind::ALL;
const NO_UPSTREAM: &[ScenarioKind] = &[
    ScenarioKind::PostDeploy,
    ScenarioKind::DeviceSpecific,
    ScenarioKind::TrafficSpike,
    ScenarioKind::UnsupportedMethod,
    ScenarioKind::RouteMisconfig,
];

const TIMELINES: &[Timeline] = &[
    Timeline {
        name: "nginx-upstream, +02:00, all six",
        format: SynthFormat::NginxUpstream,
        tz: 7200,
        days: 2,
        lines: 240_000,
        kinds: ALL,
    },
    Timeline {
        name: "nginx-combined, -05:00, five",
        format: SynthFormat::NginxCombined,
        tz: -18_000,
        days: 2,
        lines: 200_000,
        kinds: NO_UPSTREAM,
    },
    Timeline {
        name: "apache-vhost-combined, +00:00, five",
        format: SynthFormat::ApacheVhostCombined,
        tz: 0,
        days: 2,
        lines: 200_000,
        kinds: NO_UPSTREAM,
    },
];

/// (true positives, false negatives, false positives, wrong labels) of one run.
#[derive(Default, Debug, Clone, Copy)]
struct Score {
    found: usize,
    missed: usize,
    extra: usize,
    mislabelled: usize,
}

fn run_timeline(t: &Timeline, seed: u64) -> (Score, Vec<String>) {
    let dir = temp_dir(&format!("accuracy-{seed}-{}", t.format.name()));
    let duration = t.days * 86_400;
    let cfg = SynthConfig {
        seed,
        lines: t.lines,
        format: t.format,
        tz_offset_secs: t.tz,
        duration_secs: duration,
        bursts: Vec::new(),
        scenarios: ScenarioSpec::spread(t.kinds, DEFAULT_START, duration, t.tz),
        ..SynthConfig::default()
    };
    let (truth, _) = generate_dir(&cfg, &dir, 3).unwrap();
    let report = json(&[dir.to_str().unwrap()]);
    let found: Vec<&Value> = report["bursts"].as_array().unwrap().iter().collect();
    let span = |b: &Value| {
        let t = |k: &str| {
            chrono::DateTime::parse_from_rfc3339(b[k].as_str().unwrap())
                .unwrap()
                .timestamp()
        };
        (t("start"), t("end"))
    };
    let mut score = Score::default();
    let mut notes = Vec::new();
    let mut used = vec![false; found.len()];
    for s in &truth.scenarios {
        let hit = found.iter().enumerate().find(|(i, b)| {
            let (a, z) = span(b);
            !used[*i] && a < s.end && z > s.start
        });
        match hit {
            Some((i, b)) => {
                used[i] = true;
                if b["scenario"] == s.label.as_str() {
                    score.found += 1;
                } else {
                    score.mislabelled += 1;
                    notes.push(format!(
                        "seed {seed} {}: {} labelled {} ({}): {:?}",
                        t.name, s.label, b["scenario"], b["confidence"], b["evidence"]
                    ));
                }
            }
            None => {
                score.missed += 1;
                notes.push(format!(
                    "seed {seed} {}: {} ({}) not found",
                    t.name, s.label, s.detail
                ));
            }
        }
    }
    for (i, b) in found.iter().enumerate() {
        if !used[i] {
            score.extra += 1;
            notes.push(format!(
                "seed {seed} {}: extra burst {}–{} {} {:?}",
                t.name, b["start"], b["end"], b["scenario"], b["evidence"]
            ));
        }
    }
    let _ = std::fs::remove_dir_all(dir);
    (score, notes)
}

fn seeds() -> u64 {
    std::env::var("FIVEOHONE_ACCURACY_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
}

#[test]
fn every_injected_scenario_is_found_with_its_label() {
    let mut total = Score::default();
    let mut notes = Vec::new();
    for t in TIMELINES {
        for seed in 0..seeds() {
            let (s, n) = run_timeline(t, 1000 + seed * 7 + t.tz.unsigned_abs() as u64);
            total.found += s.found;
            total.missed += s.missed;
            total.extra += s.extra;
            total.mislabelled += s.mislabelled;
            notes.extend(n);
        }
    }
    let reported = total.found + total.mislabelled + total.extra;
    let injected = total.found + total.mislabelled + total.missed;
    eprintln!(
        "accuracy: {injected} injected, {reported} reported, {} right; precision {:.3}, recall {:.3}",
        total.found,
        total.found as f64 / reported.max(1) as f64,
        total.found as f64 / injected.max(1) as f64
    );
    assert!(notes.is_empty(), "{}", notes.join("\n"));
}

#[test]
fn a_week_of_noise_has_no_burst() {
    for seed in 0..seeds() {
        let dir = temp_dir(&format!("noise-week-{seed}"));
        let cfg = SynthConfig {
            seed: 77 + seed,
            lines: 280_000,
            duration_secs: 7 * 86_400,
            bursts: Vec::new(),
            ..SynthConfig::default()
        };
        let (truth, errors) = generate_dir(&cfg, &dir, 4).unwrap();
        assert!(
            truth.status_501 > 50 && errors.reloads.len() >= 6,
            "stray 501s and benign deploys are there"
        );
        let report = json(&[dir.to_str().unwrap()]);
        assert_eq!(
            report["bursts"].as_array().unwrap().len(),
            0,
            "seed {seed}: {:#}",
            report["bursts"]
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}
