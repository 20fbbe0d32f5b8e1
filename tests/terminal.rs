//! The terminal report as a reader sees it: at 80 and 120 columns no line
//! is wider than the screen and no word is broken, the verdict comes
//! first and names every burst with its next step, colour only when asked
//! for or on a terminal, and a run that reads nothing says why and fails.

mod common;

use common::*;
use serde_json::Value;
use std::collections::HashSet;
use std::process::Command;

/// The report at `columns`, as a pipe gets it (no colour).
fn text_at(args: &[&str], columns: usize, envs: &[(&str, &str)]) -> (String, Option<i32>) {
    let out = Command::new(env!("CARGO_BIN_EXE_fiveohone"))
        .args(args)
        .env("COLUMNS", columns.to_string())
        .env_remove("NO_COLOR")
        .envs(envs.iter().copied())
        .output()
        .unwrap();
    (String::from_utf8(out.stdout).unwrap(), out.status.code())
}

#[test]
fn the_report_fits_the_screen_verdict_first() {
    let dir = incidents("terminal-fit");
    let path = dir.to_str().unwrap();
    let report = json(&[path]);
    let bursts = report["bursts"].as_array().unwrap();
    assert!(bursts.len() >= 4, "{}", bursts.len());
    for columns in [80, 120] {
        let (text, code) = text_at(&[path], columns, &[]);
        assert_eq!(code, Some(0));
        let lines: Vec<&str> = text.lines().collect();
        for line in &lines {
            assert!(line.chars().count() <= columns, "{columns}: {line:?}");
        }
        // Every word of the evidence and the next steps is whole somewhere.
        let words: HashSet<&str> = text.split_whitespace().collect();
        for b in bursts {
            let sentences = b["evidence"].as_array().unwrap().iter().chain([&b["next"]]);
            for sentence in sentences {
                for word in sentence.as_str().unwrap().split_whitespace() {
                    assert!(
                        words.contains(word),
                        "{columns}: `{word}` broken in:\n{text}"
                    );
                }
            }
        }
        // The verdict opens the report and names each burst, its label and
        // its next step, within a 50-row screen.
        let verdict: Vec<&str> = lines
            .iter()
            .skip_while(|l| !l.starts_with("Verdict: "))
            .take_while(|l| !l.is_empty())
            .copied()
            .collect();
        let at = lines
            .iter()
            .position(|l| l.starts_with("Verdict: "))
            .unwrap();
        assert!(
            at <= 3 && at + verdict.len() <= 50,
            "{columns}: verdict at {at}, {} rows",
            verdict.len()
        );
        let block = verdict.join("\n");
        assert_eq!(
            block.matches("next:").count(),
            bursts.len().min(5),
            "{block}"
        );
        for (i, b) in bursts.iter().enumerate().take(5) {
            let title = format!("#{} ", i + 1);
            let label = b["scenario"].as_str().unwrap();
            assert!(
                block.contains(&title) && block.contains(label),
                "{columns}: #{i} {label}:\n{block}"
            );
        }
        // The timeline marks each burst's rows; the recap closes the report.
        for i in 1..=bursts.len() {
            assert!(
                text.contains(&format!("  #{i}")) || text.contains(&format!(",{i}")),
                "{columns}: no row of #{i}"
            );
        }
        assert!(
            lines.last().unwrap().contains("the verdict is at the top")
                || lines[lines.len() - 2].starts_with("In short: ")
        );
        assert!(!text.contains('\x1b'), "no colour in a pipe");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn colour_only_when_asked_for_or_on_a_terminal() {
    let args = ["fixtures/nginx"];
    let (auto, _) = text_at(&args, 100, &[]);
    assert!(!auto.contains('\x1b'), "auto in a pipe is plain");
    let with = |extra: &[&str], envs: &[(&str, &str)]| {
        let mut all = extra.to_vec();
        all.extend(args);
        text_at(&all, 100, envs).0
    };
    let always = with(&["--color", "always"], &[]);
    assert!(always.contains("\x1b[1;33mpost_deploy\x1b[0m"), "{always}");
    assert!(always.contains("\x1b[1;31m#1\x1b[0m"));
    // Explicit colour wins over NO_COLOR; never is never.
    assert!(with(&["--color", "always"], &[("NO_COLOR", "1")]).contains('\x1b'));
    assert!(!with(&["--color", "never"], &[]).contains('\x1b'));
    // JSON is never coloured.
    let json_out = with(&["--color", "always", "--json"], &[]);
    assert!(!json_out.contains('\x1b'));
    serde_json::from_str::<Value>(&json_out).unwrap();
}

#[test]
fn a_run_that_reads_nothing_says_why_and_fails() {
    let dir = temp_dir("terminal-nothing");
    // A format that fits no line: the format and where the line departs.
    let format = "$remote_addr|$time_local|$request|$status";
    let args = [
        "--log-format",
        format,
        "fixtures/apache/other_vhosts_access.log",
    ];
    let (text, code) = text_at(&args, 100, &[]);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("Verdict: nothing to analyse"), "{text}");
    assert!(
        text.contains("None of the 300 lines fits its format."),
        "{text}"
    );
    assert!(
        text.contains("read as custom; line 1: not custom: no `|` after $remote_addr"),
        "{text}"
    );
    // An empty file.
    let empty = dir.join("access.log");
    std::fs::write(&empty, "").unwrap();
    let (text, code) = text_at(&[empty.to_str().unwrap()], 100, &[]);
    assert_eq!(code, Some(1));
    assert!(text.contains("The file holds no lines."), "{text}");
    // A folder holding only folders.
    let only = dir.join("logs");
    std::fs::create_dir_all(only.join("2026-05")).unwrap();
    let out = run(&[only.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no log here, only 1 folder"),
        "{}",
        stderr(&out)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("No log file was found"));
    let _ = std::fs::remove_dir_all(dir);
}

/// The completion scripts and the man page come from the same option
/// definitions: every long option is in them, and bash reads the script.
#[test]
fn completions_and_the_man_page_name_every_option() {
    let help = String::from_utf8(run(&["--help"], None).stdout).unwrap();
    let options: Vec<&str> = help
        .split_whitespace()
        .filter(|w| w.starts_with("--") && w.len() > 2)
        .map(|w| w.trim_end_matches([',', '.', ')']))
        .filter(|w| {
            w.chars()
                .skip(2)
                .all(|c| c.is_ascii_lowercase() || c == '-')
        })
        .collect();
    assert!(options.contains(&"--nginx-conf") && options.contains(&"--html"));
    let bash = String::from_utf8(run(&["--completions", "bash"], None).stdout).unwrap();
    let man = String::from_utf8(run(&["--man"], None).stdout).unwrap();
    assert!(
        man.starts_with(".ie") && man.contains(".TH fiveohone 1"),
        "{man}"
    );
    for option in &options {
        assert!(bash.contains(option), "bash completion lacks {option}");
        // roff escapes the dashes.
        assert!(
            man.contains(&option.replace('-', "\\-")),
            "man page lacks {option}"
        );
    }
    let dir = temp_dir("completions");
    let script = dir.join("fiveohone.bash");
    std::fs::write(&script, &bash).unwrap();
    let checked = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .status()
        .expect("bash is needed to check the completion script");
    assert!(checked.success());
    for shell in ["zsh", "fish"] {
        let out = run(&["--completions", shell], None);
        assert!(out.status.success() && out.stdout.len() > 1000, "{shell}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// Wide characters take two columns and a tab would be expanded by the
/// terminal: neither may push a line past the screen.
#[test]
fn wide_characters_and_tabs_stay_within_the_screen() {
    let dir = temp_dir("terminal-wide");
    let log = dir.join("access.log");
    let mut text = String::new();
    for i in 0..40 {
        let route = format!("/ja/ランニングシューズ/新作/春のセール/限定モデル/{i}/\tx");
        text.push_str(&format!(
            "10.0.0.{i} - - [07/May/2026:10:{:02}:00 +0000] \"GET {route} HTTP/1.1\" 501 0 \"-\" \"アプリ/1.0 😀\"\n",
            i % 60
        ));
    }
    std::fs::write(&log, text).unwrap();
    for columns in [60, 80] {
        let (out, _) = text_at(&[log.to_str().unwrap()], columns, &[]);
        assert!(!out.contains('\t'), "a raw tab reached the screen");
        for line in out.lines() {
            let wide: usize = line
                .chars()
                .map(|c| {
                    if ('\u{3000}'..='\u{9fff}').contains(&c) || c == '😀' {
                        2
                    } else {
                        1
                    }
                })
                .sum();
            assert!(wide <= columns, "{columns}: {wide} columns: {line}");
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}
