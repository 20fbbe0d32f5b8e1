//! Detection on realistic incident timelines (the generator's
//! [`ScenarioKind::INCIDENTS`], its quiet week, two hosts with clock skew, a
//! directory holding nginx and Apache logs): every incident must be found
//! with its label, overlapping its true window, and the quiet week must
//! yield no burst.
//!
//! `cargo test --release --test incidents -- --nocapture` prints
//! the per-label table and one line per miss, mislabel and extra burst.
//! `FIVEOHONE_INCIDENT_SEEDS=N` runs N seeds per timeline (default 2);
//! `FIVEOHONE_INCIDENT_VERBOSE=1` also prints every truth and burst;
//! `FIVEOHONE_INCIDENT_ONLY=SEED` runs one seed and keeps its files.

mod common;

use common::*;
use fiveohone_gen::{
    generate_dir, generate_mixed_dir, generate_two_hosts, quiet_week, ScenarioKind, ScenarioSpec,
    SynthConfig, SynthFormat, Truth, DEFAULT_START,
};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const LABELS: [&str; 6] = [
    "post_deploy",
    "device_specific",
    "traffic_spike",
    "unsupported_method",
    "upstream_node",
    "route_misconfig",
];

/// What one generated timeline gives the harness.
struct Generated {
    truth: Truth,
    /// What to hand to fiveohone.
    inputs: Vec<PathBuf>,
    /// The span the truths must lie in, as written (skew included).
    span: (i64, i64),
}

/// One timeline: a name, whether it is the quiet week (no incident at all),
/// and how to write it for a seed into a directory.
struct Timeline {
    name: &'static str,
    quiet: bool,
    write: fn(u64, &Path) -> Generated,
}

/// `days` of `format` in zone `tz` with `kinds` placed by
/// [`ScenarioSpec::place`], `per_day` lines a day, no generic burst.
fn config(
    seed: u64,
    format: SynthFormat,
    tz: i32,
    start: i64,
    days: i64,
    per_day: u64,
    kinds: &[ScenarioKind],
) -> SynthConfig {
    let duration = days * 86_400;
    SynthConfig {
        seed,
        lines: per_day * days as u64,
        format,
        start,
        tz_offset_secs: tz,
        duration_secs: duration,
        bursts: Vec::new(),
        scenarios: ScenarioSpec::place(kinds, start, duration, tz),
        ..SynthConfig::default()
    }
}

fn span_of(cfg: &SynthConfig) -> (i64, i64) {
    (cfg.start, cfg.start + cfg.duration_secs)
}

fn in_dir(cfg: &SynthConfig, dir: &Path) -> Generated {
    let (truth, _) = generate_dir(cfg, dir, 3).expect("generate");
    Generated {
        truth,
        inputs: vec![dir.to_path_buf()],
        span: span_of(cfg),
    }
}

const TIMELINES: &[Timeline] = &[
    Timeline {
        name: "nginx-upstream +02:00 2d: night device, night node, rollout, rollback, junk",
        quiet: false,
        write: |seed, dir| {
            let c = config(
                seed,
                SynthFormat::NginxUpstream,
                7200,
                DEFAULT_START,
                2,
                150_000,
                &[
                    ScenarioKind::NightDevice,
                    ScenarioKind::PartialRollout,
                    ScenarioKind::NightUpstream,
                    ScenarioKind::DeployRollback,
                    ScenarioKind::InternetJunk,
                ],
            );
            in_dir(&c, dir)
        },
    },
    Timeline {
        name: "nginx-combined -05:00 2d: night device, rollout (node unseen), spike in android failure, rollback",
        quiet: false,
        write: |seed, dir| {
            let c = config(
                seed,
                SynthFormat::NginxCombined,
                -18_000,
                DEFAULT_START,
                2,
                150_000,
                &[
                    ScenarioKind::NightDevice,
                    ScenarioKind::PartialRollout,
                    ScenarioKind::SpikeInDevice,
                    ScenarioKind::DeployRollback,
                ],
            );
            in_dir(&c, dir)
        },
    },
    Timeline {
        name: "apache-vhost-combined +00:00 2d: night device, rollout (node unseen), junk",
        quiet: false,
        write: |seed, dir| {
            let c = config(
                seed,
                SynthFormat::ApacheVhostCombined,
                0,
                DEFAULT_START,
                2,
                150_000,
                &[
                    ScenarioKind::NightDevice,
                    ScenarioKind::PartialRollout,
                    ScenarioKind::InternetJunk,
                ],
            );
            in_dir(&c, dir)
        },
    },
    Timeline {
        name: "quiet week: DST, nightly reloads, scanner, uptime monitors",
        quiet: true,
        write: |seed, dir| {
            let format = if seed % 2 == 0 {
                SynthFormat::NginxCombined
            } else {
                SynthFormat::ApacheCombined
            };
            let c = quiet_week(seed, format, 700_000);
            in_dir(&c, dir)
        },
    },
    Timeline {
        name: "two hosts, web2 90-150 s ahead: rollback and a device failure",
        quiet: false,
        write: |seed, dir| {
            let c = config(
                seed,
                SynthFormat::NginxCombined,
                7200,
                DEFAULT_START,
                1,
                120_000,
                &[ScenarioKind::DeployRollback, ScenarioKind::DeviceSpecific],
            );
            let skew = 90 + (seed * 37 % 61) as i64;
            let (truth, _) = generate_two_hosts(&c, dir, skew, 2).expect("generate");
            let (a, z) = span_of(&c);
            Generated {
                truth,
                inputs: vec![dir.join("web1"), dir.join("web2")],
                span: (a, z + skew),
            }
        },
    },
    Timeline {
        name: "nginx and Apache in one directory, one incident",
        quiet: false,
        write: |seed, dir| {
            let nginx_has_it = seed % 2 == 0;
            let incident: &[ScenarioKind] = if nginx_has_it {
                &[ScenarioKind::DeployRollback]
            } else {
                &[ScenarioKind::DeviceSpecific]
            };
            let nginx = config(
                seed,
                SynthFormat::NginxUpstream,
                3600,
                DEFAULT_START,
                1,
                100_000,
                if nginx_has_it { incident } else { &[] },
            );
            let apache = config(
                seed + 1,
                SynthFormat::ApacheCombined,
                3600,
                DEFAULT_START,
                1,
                60_000,
                if nginx_has_it { &[] } else { incident },
            );
            let (truth, _) = generate_mixed_dir(&nginx, &apache, dir, 2).expect("generate");
            Generated {
                truth,
                inputs: vec![dir.to_path_buf()],
                span: span_of(&nginx),
            }
        },
    },
    Timeline {
        name: "cold start: the log begins in an outage (10:00 local)",
        quiet: false,
        write: |seed, dir| {
            let c = config(
                seed,
                SynthFormat::NginxCombined,
                7200,
                DEFAULT_START + 8 * 3600,
                1,
                120_000,
                &[ScenarioKind::ColdStart],
            );
            in_dir(&c, dir)
        },
    },
];

fn seeds() -> u64 {
    std::env::var("FIVEOHONE_INCIDENT_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2)
}

/// `FIVEOHONE_INCIDENT_ONLY=SEED`: run only that seed (of the first
/// `FIVEOHONE_INCIDENT_SEEDS`) and keep its directory, to look at it.
fn only() -> Option<u64> {
    std::env::var("FIVEOHONE_INCIDENT_ONLY")
        .ok()
        .and_then(|s| s.parse().ok())
}

fn seed_of(timeline: usize, k: u64) -> u64 {
    5000 + timeline as u64 * 101 + k * 7
}

/// Per-label tallies.
#[derive(Default, Debug, Clone)]
struct Tally {
    found: usize,
    missed: usize,
    /// Truths of this label found with another one.
    mislabelled: usize,
    /// Bursts with this label that match no truth.
    extra: usize,
    /// Bursts reported with this label (right, wrong or extra).
    reported: usize,
    overlaps: Vec<f64>,
}

impl Tally {
    fn recall(&self) -> f64 {
        let n = self.found + self.missed + self.mislabelled;
        if n == 0 {
            1.0
        } else {
            self.found as f64 / n as f64
        }
    }

    fn precision(&self) -> f64 {
        if self.reported == 0 {
            1.0
        } else {
            self.found as f64 / self.reported as f64
        }
    }

    fn mean_overlap(&self) -> f64 {
        if self.overlaps.is_empty() {
            1.0
        } else {
            self.overlaps.iter().sum::<f64>() / self.overlaps.len() as f64
        }
    }
}

fn burst_span(b: &Value) -> (i64, i64) {
    let t = |k: &str| {
        b[k].as_str()
            .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
            .map(|t| t.timestamp())
            .unwrap_or(0)
    };
    (t("start"), t("end"))
}

/// Runs one timeline for one seed; adds to `tally` and `notes`, and to
/// `quiet_bursts` for the quiet week.
fn score(
    t: &Timeline,
    seed: u64,
    tally: &mut BTreeMap<String, Tally>,
    notes: &mut Vec<String>,
    quiet_bursts: &mut usize,
) {
    let dir = temp_dir(&format!("incidents-{seed}"));
    let g = (t.write)(seed, &dir);
    let inputs: Vec<&str> = g.inputs.iter().map(|p| p.to_str().unwrap()).collect();
    let report = json(&inputs);
    let found: Vec<&Value> = report["bursts"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    if std::env::var_os("FIVEOHONE_INCIDENT_VERBOSE").is_some() {
        for s in &g.truth.scenarios {
            eprintln!(
                "seed {seed} {}: truth {} {}–{} {}",
                t.name, s.label, s.start, s.end, s.detail
            );
        }
        for b in &found {
            let (a, z) = burst_span(b);
            eprintln!(
                "seed {seed} {}: burst {} {a}–{z} {}",
                t.name, b["scenario"], b["evidence"][0]
            );
        }
    }
    let mut used = vec![false; found.len()];
    for s in &g.truth.scenarios {
        let entry = tally.entry(s.label.clone()).or_default();
        let overlap = |b: &Value| {
            let (a, z) = burst_span(b);
            (z.min(s.end) - a.max(s.start)).max(0)
        };
        // Prefer a burst with the truth's label, then the largest overlap.
        let hit = found
            .iter()
            .enumerate()
            .filter(|(i, b)| !used[*i] && overlap(b) > 0)
            .max_by_key(|(_, b)| (b["scenario"] == s.label.as_str(), overlap(b)));
        match hit {
            Some((i, b)) => {
                used[i] = true;
                let ov = overlap(b) as f64 / (s.end - s.start).max(1) as f64;
                let label = b["scenario"].as_str().unwrap_or("?").to_owned();
                if label == s.label {
                    entry.found += 1;
                    entry.overlaps.push(ov);
                    if ov < 0.8 {
                        notes.push(format!(
                            "seed {seed} {}: {} ({}) found {}–{} covering {:.0}% of {}–{}",
                            t.name,
                            s.label,
                            s.detail,
                            b["start"],
                            b["end"],
                            ov * 100.0,
                            s.start,
                            s.end
                        ));
                    }
                } else {
                    entry.mislabelled += 1;
                    notes.push(format!(
                        "seed {seed} {}: {} ({}) labelled {label} ({}): {}",
                        t.name, s.label, s.detail, b["confidence"], b["evidence"]
                    ));
                }
                tally.entry(label).or_default().reported += 1;
            }
            None => {
                entry.missed += 1;
                notes.push(format!(
                    "seed {seed} {}: {} ({}) not found",
                    t.name, s.label, s.detail
                ));
            }
        }
    }
    for (i, b) in found.iter().enumerate() {
        if used[i] {
            continue;
        }
        if t.quiet {
            *quiet_bursts += 1;
        }
        let label = b["scenario"].as_str().unwrap_or("?").to_owned();
        let entry = tally.entry(label).or_default();
        entry.extra += 1;
        entry.reported += 1;
        notes.push(format!(
            "seed {seed} {}: extra burst {}–{} {} ({}): {}",
            t.name, b["start"], b["end"], b["scenario"], b["confidence"], b["evidence"]
        ));
    }
    if only().is_some() {
        eprintln!("seed {seed} {}: kept {}", t.name, dir.display());
    } else {
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[test]
fn realistic_incidents_are_found() {
    let mut tally: BTreeMap<String, Tally> = BTreeMap::new();
    let mut notes = Vec::new();
    let mut quiet_bursts = 0;
    for (i, t) in TIMELINES.iter().enumerate() {
        for k in (0..seeds()).filter(|&k| only().is_none_or(|o| o == seed_of(i, k))) {
            score(t, seed_of(i, k), &mut tally, &mut notes, &mut quiet_bursts);
        }
    }
    eprintln!(
        "\n{:<20} {:>6} {:>6} {:>11} {:>6} {:>7} {:>9} {:>8}",
        "label", "found", "missed", "mislabelled", "extra", "recall", "precision", "overlap"
    );
    for (label, t) in &tally {
        eprintln!(
            "{:<20} {:>6} {:>6} {:>11} {:>6} {:>7.3} {:>9.3} {:>8.3}",
            label,
            t.found,
            t.missed,
            t.mislabelled,
            t.extra,
            t.recall(),
            t.precision(),
            t.mean_overlap()
        );
    }
    eprintln!("quiet week: {quiet_bursts} bursts");
    for n in &notes {
        eprintln!("{n}");
    }
    let mut failures = Vec::new();
    for (label, t) in &tally {
        if t.recall() < 0.95 {
            failures.push(format!("{label}: recall {:.3}", t.recall()));
        }
        if t.precision() < 0.95 {
            failures.push(format!("{label}: precision {:.3}", t.precision()));
        }
        if let Some(&worst) = t.overlaps.iter().min_by(|a, b| a.total_cmp(b)) {
            if worst < 0.8 {
                failures.push(format!("{label}: overlap {worst:.2} < 0.8"));
            }
        }
    }
    if quiet_bursts > 0 {
        failures.push(format!("the quiet week produced {quiet_bursts} bursts"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The truths of every timeline are sound: each incident has 501s and a
/// window inside the span, labels are the six, the quiet week has none.
#[test]
fn generated_truths_are_consistent() {
    for (i, t) in TIMELINES.iter().enumerate() {
        let seed = seed_of(i, 0);
        let dir = temp_dir(&format!("incident-truths-{seed}"));
        let g = (t.write)(seed, &dir);
        if t.quiet {
            assert!(g.truth.scenarios.is_empty(), "{}", t.name);
            assert!(g.truth.status_501 > 7 * 1440, "{}: monitors", t.name);
            assert!(
                g.truth.deploys.len() >= 14,
                "{}: {:?}",
                t.name,
                g.truth.deploys
            );
        } else {
            assert!(!g.truth.scenarios.is_empty(), "{}", t.name);
        }
        let matched: u64 = g.truth.scenarios.iter().map(|s| s.matched).sum();
        assert!(matched <= g.truth.status_501, "{}", t.name);
        for s in &g.truth.scenarios {
            assert!(LABELS.contains(&s.label.as_str()), "{}: {s:?}", t.name);
            assert!(s.matched > 0, "{}: {s:?}", t.name);
            assert!(
                s.start < s.end && s.start >= g.span.0 && s.end <= g.span.1,
                "{}: {s:?} outside {:?}",
                t.name,
                g.span
            );
            assert!(!s.detail.is_empty());
        }
        for p in &g.inputs {
            assert!(p.is_dir(), "{}", p.display());
        }
        let _ = std::fs::remove_dir_all(dir);
    }
}
