//! `--html`: the incident page opened in a real headless Chromium. Its DOM
//! must hold every burst's label and counts as `--json` gives them, the
//! timeline chart must be drawn (a bar per busy window, a band per burst),
//! and nothing may be fetched: no reference leaves the page, and its
//! Content-Security-Policy forbids any fetch. Chromium is required: CI
//! installs it; without it the test fails, saying so.

mod common;

use common::*;
use std::path::Path;
use std::process::Command;

/// The Chromium on this machine.
fn chromium() -> String {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {name}")])
            .output()
            .is_ok_and(|o| o.status.success());
        if found {
            return name.to_string();
        }
    }
    panic!(
        "tests/html.rs needs a headless Chromium (apt-get install chromium): \
         none of chromium, chromium-browser, google-chrome is on PATH"
    );
}

/// The DOM Chromium builds from `page`, and a screenshot of it.
fn open(page: &Path, shot: &Path) -> String {
    let profile = page.with_extension("profile");
    let flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];
    let url = format!("file://{}", page.display());
    let run = |extra: &[&str]| {
        let out = Command::new(chromium())
            .args(flags)
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(extra)
            .arg(&url)
            .output()
            .expect("start chromium");
        assert!(
            out.status.success(),
            "chromium failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    let shot_arg = format!("--screenshot={}", shot.display());
    run(&["--window-size=1100,2400", &shot_arg]);
    let dom = run(&["--dump-dom"]);
    String::from_utf8(dom.stdout).unwrap()
}

#[test]
fn the_incident_page_in_a_real_browser() {
    let dir = incidents("html");
    let page = dir.join("incident.html");
    let deploy = "2026-05-07T06:00:00Z";
    let args = [
        dir.to_str().unwrap(),
        "--deploy",
        deploy,
        "--html",
        page.to_str().unwrap(),
    ];
    let report = json(&args);
    let html = std::fs::read_to_string(&page).unwrap();
    // Self-contained: nothing to fetch, and the policy forbids fetching.
    for outside in ["src=", "href=", "url(", "@import", "<script", "<link"] {
        assert!(
            !html.contains(outside),
            "the page refers outside: `{outside}`"
        );
    }
    assert!(html.contains("Content-Security-Policy\" content=\"default-src 'none'"));

    let shot = dir.join("incident.png");
    let dom = open(&page, &shot);
    assert!(
        std::fs::metadata(&shot).is_ok_and(|m| m.len() > 10_000),
        "no screenshot"
    );
    let bursts = report["bursts"].as_array().unwrap();
    assert!(bursts.len() >= 4);
    for (i, b) in bursts.iter().enumerate() {
        let card = format!(
            "data-burst=\"{}\" data-label=\"{}\" data-matched=\"{}\" data-requests=\"{}\"",
            i + 1,
            b["scenario"].as_str().unwrap(),
            n(b, "matched"),
            n(b, "requests")
        );
        assert!(dom.contains(&card), "no card `{card}` in the DOM");
        assert!(dom.contains(&format!(
            "<section class=\"burst\" data-burst=\"{}\"",
            i + 1
        )));
    }
    let s = &report["summary"];
    assert!(dom.contains(&format!(
        "data-requests=\"{}\" data-matched=\"{}\"",
        n(s, "requests"),
        n(s, "matched")
    )));
    // The chart: one requests bar per busy window, a band per burst.
    let chart = &dom[dom.find("<svg viewBox=\"0 0 1000").unwrap()..];
    let chart = &chart[..chart.find("</svg>").unwrap()];
    let windows = report["windows"].as_array().unwrap();
    let busy = windows.iter().filter(|w| n(w, "requests") > 0).count();
    assert_eq!(chart.matches("class=\"req\"").count(), windows.len());
    assert!(busy > 100);
    let hit = windows.iter().filter(|w| n(w, "matched") > 0).count();
    assert_eq!(chart.matches("class=\"hit\"").count(), hit);
    assert_eq!(chart.matches("class=\"band\"").count(), bursts.len());
    // The deploy given is a marker, and in the JSON.
    assert_eq!(report["deploys"][0]["time"], deploy);
    assert!(
        chart.contains(&format!("<title>deploy {deploy}")),
        "no deploy marker"
    );
    let _ = std::fs::remove_dir_all(dir);
}
