//! The generator's output against independent recounts of the written text:
//! traffic, every format, the labelled scenarios, error logs and rotated
//! families.

use super::*;
use crate::output::PartFile;
use crate::vocab::MISCONFIG_ROUTES;
use flate2::read::MultiGzDecoder;
use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Read};

fn cfg(format: SynthFormat, lines: u64) -> SynthConfig {
    SynthConfig {
        seed: 42,
        lines,
        format,
        // Plenty of garbage and blanks so that every branch shows up.
        garbage_per_million: 20_000,
        blank_per_million: 10_000,
        ..SynthConfig::default()
    }
}

fn gen(cfg: &SynthConfig) -> (Vec<u8>, Truth) {
    let mut out = Vec::new();
    let truth = generate(cfg, &mut out).expect("writing to a Vec cannot fail");
    (out, truth)
}

/// Split into lines (the output always ends with a newline).
fn lines(out: &[u8]) -> Vec<&[u8]> {
    assert!(out.is_empty() || out.ends_with(b"\n"));
    let body = out.strip_suffix(b"\n").unwrap_or(out);
    if out.is_empty() {
        return Vec::new();
    }
    body.split(|&b| b == b'\n').collect()
}

fn field(line: &[u8], n: usize) -> Option<&[u8]> {
    line.split(|b| b.is_ascii_whitespace())
        .filter(|f| !f.is_empty())
        .nth(n)
}

/// A small independent parser: `(unix time, status)` of a valid line.
fn parse(line: &[u8], tz: i32) -> Option<(i64, u16)> {
    let open = line.iter().position(|&b| b == b'[')?;
    let close = open + line[open..].iter().position(|&b| b == b']')?;
    let time = std::str::from_utf8(&line[open + 1..close]).ok()?;
    let t = chrono::DateTime::parse_from_str(time, "%d/%b/%Y:%H:%M:%S %z").ok()?;
    assert_eq!(t.offset().local_minus_utc(), tz);
    let rest = line[close..].strip_prefix(b"] \"")?;
    let mut i = 0;
    loop {
        match *rest.get(i)? {
            b'\\' => i += 2,
            b'"' => break,
            _ => i += 1,
        }
    }
    let after = rest.get(i + 1..)?.strip_prefix(b" ")?;
    let status = after.get(..3)?;
    if after.get(3) != Some(&b' ') || !status.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let status = std::str::from_utf8(status).ok()?.parse().ok()?;
    Some((t.timestamp(), status))
}

#[test]
fn deterministic() {
    for format in SynthFormat::ALL {
        let c = cfg(format, 5_000);
        let (a, ta) = gen(&c);
        let (b, tb) = gen(&c);
        assert_eq!(a, b, "{format}");
        assert_eq!(ta, tb);
        let (other, _) = gen(&SynthConfig { seed: 43, ..c });
        assert_ne!(a, other);
    }
}

#[test]
fn truth_matches_recount_combined() {
    let c = SynthConfig {
        bursts: vec![BurstSpec {
            start: DEFAULT_START + 3600 * 10,
            duration_secs: 3600,
            rate: 0.7,
        }],
        ..cfg(SynthFormat::NginxCombined, 60_000)
    };
    let (out, t) = gen(&c);
    let all = lines(&out);
    let blank = all.iter().filter(|l| l.is_empty()).count() as u64;
    let non_blank = all.len() as u64 - blank;
    let ninth_501 = all
        .iter()
        .filter(|l| field(l, 8) == Some(&b"501"[..]))
        .count() as u64;
    assert_eq!(t.blank, blank);
    assert_eq!(t.lines, non_blank);
    assert_eq!(t.lines, c.lines);
    assert_eq!(t.bytes, out.len() as u64);
    assert_eq!(t.status_501, ninth_501);
    assert_eq!(t.by_status.get(&501).copied().unwrap_or(0), t.status_501);
    assert!(t.status_501 > 1000, "burst too small: {}", t.status_501);
    assert!(t.garbage > 0 && t.blank > 0);
}

#[test]
fn truth_matches_parse_every_format() {
    for format in SynthFormat::ALL {
        let c = cfg(format, 40_000);
        let (out, t) = gen(&c);
        let mut by_status = BTreeMap::new();
        let (mut blank, mut valid, mut garbage) = (0u64, 0u64, 0u64);
        let mut prev = i64::MIN;
        let (mut first, mut last) = (None, 0);
        for line in lines(&out) {
            if line.is_empty() {
                blank += 1;
                continue;
            }
            let Some((ts, status)) = parse(line, c.tz_offset_secs) else {
                garbage += 1;
                continue;
            };
            valid += 1;
            *by_status.entry(status).or_insert(0u64) += 1;
            assert!(ts >= prev, "{format}: time went backwards");
            assert!(ts >= c.start && ts < c.start + c.duration_secs);
            prev = ts;
            first.get_or_insert(ts);
            last = ts;
        }
        assert_eq!(t.blank, blank, "{format}");
        assert_eq!(t.requests, valid, "{format}");
        assert_eq!(t.garbage + t.error_lines, garbage, "{format}");
        assert_eq!(t.by_status, by_status, "{format}");
        assert_eq!(t.first, first.unwrap_or(0));
        assert_eq!(t.last, last);
        assert_eq!(t.bytes, out.len() as u64);
        assert_eq!(t.lines, t.requests + t.garbage + t.error_lines);
    }
}

#[test]
fn edge_cases_present() {
    let mut c = cfg(SynthFormat::NginxCombined, 200_000);
    let (out, _) = gen(&c);
    let text = String::from_utf8_lossy(&out);
    assert!(text.contains(r#""\x16\x03\x01\x00\xa5\x01" 400 157 "-" "-""#));
    assert!(text.contains(r#" "-" 408 0 "-" "-""#));
    assert!(text.contains(r"\x22Nuclei\x22"));
    assert!(text.contains("random text without format"));
    assert!(text.contains(" PROPFIND ") || text.contains("\"PROPFIND "));
    let v6 = lines(&out)
        .iter()
        .filter(|l| field(l, 0).is_some_and(|f| f.contains(&b':')))
        .count();
    assert!(v6 > 10_000, "{v6} IPv6 lines");
    c.format = SynthFormat::ApacheCombined;
    let (out, _) = gen(&c);
    let text = String::from_utf8_lossy(&out);
    assert!(text.contains(r#"\"Nuclei\""#));
    assert!(text.contains(r#" "-" 408 - "-" "-""#));
}

#[test]
fn diurnal_shape() {
    let c = SynthConfig {
        bursts: Vec::new(),
        ..cfg(SynthFormat::NginxCombined, 50_000)
    };
    let (out, _) = gen(&c);
    let mut per_hour = [0u64; 24];
    for line in lines(&out) {
        if let Some((ts, _)) = parse(line, c.tz_offset_secs) {
            let local = ts + i64::from(c.tz_offset_secs);
            per_hour[(local.rem_euclid(86_400) / 3600) as usize] += 1;
        }
    }
    // 04:00 local is the quietest hour, 15:00 the busiest.
    assert!(per_hour[15] > 5 * per_hour[4], "{per_hour:?}");
}

#[test]
fn rotated_equals_single() {
    let dir = std::env::temp_dir().join(format!("synth-rotated-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    for (format, files) in [
        (SynthFormat::NginxUpstream, 5),
        (SynthFormat::ApacheVhostCombined, 2),
        (SynthFormat::ApacheCommon, 1),
    ] {
        let c = cfg(format, 30_000);
        let (single, truth) = gen(&c);
        let rotated = generate_rotated(&c, &dir, "access.log", files).expect("rotate");
        assert_eq!(rotated, truth);
        let mut joined = Vec::new();
        for index in (0..files).rev() {
            let path = match index {
                0 => dir.join("access.log"),
                1 => dir.join("access.log.1"),
                n => dir.join(format!("access.log.{n}.gz")),
            };
            let raw = fs::read(&path).expect("read part");
            assert!(!raw.is_empty(), "{}", path.display());
            if index >= 2 {
                assert_eq!(&raw[..2], &[0x1f, 0x8b]);
                MultiGzDecoder::new(&raw[..])
                    .read_to_end(&mut joined)
                    .expect("gunzip");
            } else {
                joined.extend_from_slice(&raw);
            }
        }
        assert_eq!(joined, single, "{format} in {files} files");
    }
    let _ = fs::remove_dir_all(&dir);
    assert!(generate_rotated(&cfg(SynthFormat::NginxMain, 10), &dir, "access.log", 0).is_err());
}

#[test]
fn edge_configs() {
    let (out, t) = gen(&SynthConfig {
        lines: 0,
        ..SynthConfig::default()
    });
    assert!(out.is_empty());
    assert_eq!(t, Truth::default());
    let c = SynthConfig {
        lines: 1000,
        duration_secs: 0,
        ..SynthConfig::default()
    };
    let (_, t) = gen(&c);
    assert_eq!((t.first, t.last), (c.start, c.start));
    let c = SynthConfig {
        lines: 100,
        duration_secs: 400 * 365 * 86_400,
        ..SynthConfig::default()
    };
    assert_eq!(gen(&c).1.lines, 100);
    let n = lines_for_size(&SynthConfig::default(), 10 << 20);
    let (out, _) = gen(&SynthConfig {
        lines: n,
        ..SynthConfig::default()
    });
    let ratio = out.len() as f64 / f64::from(10u32 << 20);
    assert!((0.97..1.03).contains(&ratio), "{ratio}");
}

// ---------------------------------------------------------------------------
// Scenarios and error logs

/// A valid line, read independently of the generator.
#[derive(Debug)]
struct Req<'a> {
    ts: i64,
    ip: &'a str,
    method: &'a str,
    path: &'a str,
    status: u16,
    /// The user agent (`None` in apache-common).
    ua: Option<&'a str>,
    /// `ua="…"` and `us="…"` of nginx-upstream.
    upstream: Option<&'a str>,
    upstream_status: Option<&'a str>,
}

/// The quoted fields of `s` (backslash escapes skipped).
fn quoted(s: &str) -> Vec<&str> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'"' {
            let from = i + 1;
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            out.push(&s[from..i.min(b.len())]);
        }
        i += 1;
    }
    out
}

fn parse_req(line: &[u8], tz: i32) -> Option<Req<'_>> {
    let (ts, status) = parse(line, tz)?;
    let s = std::str::from_utf8(line).ok()?;
    let open = s.find('[')?;
    let head: Vec<&str> = s[..open].split_whitespace().collect();
    let ip = head[head.len().checked_sub(3)?];
    let rest = &s[open + s[open..].find("] \"")? + 2..];
    let fields = quoted(rest);
    let request = fields.first()?;
    let mut parts = request.split(' ');
    let method = parts.next()?;
    let path = parts.next().unwrap_or("");
    let after = |key: &str| {
        let at = rest.find(key)? + key.len();
        rest[at..].split('"').next()
    };
    Some(Req {
        ts,
        ip,
        method,
        path,
        status,
        ua: fields.get(2).copied(),
        upstream: after(" ua=\""),
        upstream_status: after(" us=\""),
    })
}

fn requests(out: &[u8], tz: i32) -> Vec<Req<'_>> {
    lines(out)
        .into_iter()
        .filter_map(|l| parse_req(l, tz))
        .collect()
}

fn scenario_cfg(format: SynthFormat, kinds: &[ScenarioKind], days: i64, lines: u64) -> SynthConfig {
    let c = SynthConfig {
        seed: 7,
        lines,
        format,
        duration_secs: days * 86_400,
        garbage_per_million: 2_000,
        blank_per_million: 1_000,
        bursts: Vec::new(),
        ..SynthConfig::default()
    };
    SynthConfig {
        scenarios: ScenarioSpec::spread(kinds, c.start, c.duration_secs, c.tz_offset_secs),
        ..c
    }
}

fn in_window(s: &ScenarioTruth, ts: i64) -> bool {
    ts >= s.start && ts < s.end
}

/// The path without its query.
fn route_of(path: &str) -> &str {
    path.split('?').next().unwrap_or(path)
}

fn is_group_ua(group: &str, ua: &str) -> bool {
    match group {
        "ios app" => ua.starts_with("ShopApp/"),
        "android app" => ua.starts_with("okhttp/") || ua.starts_with("Dalvik/"),
        other => panic!("unknown device group {other:?}"),
    }
}

/// Recounts each scenario's 501s from the text; returns the recounts.
fn recount_scenarios(reqs: &[Req<'_>], t: &Truth) -> Vec<u64> {
    let misroute = t
        .scenarios
        .iter()
        .find(|s| s.label == "route_misconfig")
        .map(|s| s.detail.clone());
    let misrouted = |r: &Req<'_>| misroute.as_deref() == Some(route_of(r.path));
    let mut counts = Vec::new();
    for s in &t.scenarios {
        let window_501 = || {
            reqs.iter()
                .filter(|r| r.status == 501 && in_window(s, r.ts) && !misrouted(r))
        };
        let n = match s.label.as_str() {
            "route_misconfig" => reqs
                .iter()
                .filter(|r| r.status == 501 && misrouted(r))
                .count(),
            "post_deploy" | "traffic_spike" => window_501().count(),
            "device_specific" => {
                // Every 501 in the window is the group's.
                assert!(
                    window_501().all(|r| is_group_ua(&s.detail, r.ua.unwrap())),
                    "{s:?}"
                );
                window_501()
                    .filter(|r| is_group_ua(&s.detail, r.ua.unwrap()))
                    .count()
            }
            "unsupported_method" => {
                let (methods, ips) = s.detail.split_once(" from ").unwrap();
                let methods: Vec<&str> = methods.split(',').collect();
                let ips: Vec<&str> = ips.split(", ").collect();
                assert!((1..=3).contains(&ips.len()), "{s:?}");
                assert!(window_501().all(|r| ips.contains(&r.ip)), "{s:?}");
                window_501()
                    .filter(|r| methods.contains(&r.method) && ips.contains(&r.ip))
                    .count()
            }
            "upstream_node" => {
                assert!(
                    window_501().all(|r| r.upstream == Some(s.detail.as_str())),
                    "{s:?}"
                );
                window_501()
                    .filter(|r| {
                        r.upstream == Some(s.detail.as_str()) && r.upstream_status == Some("501")
                    })
                    .count()
            }
            other => panic!("unknown label {other:?}"),
        } as u64;
        counts.push(n);
    }
    counts
}

#[test]
fn spread_windows_are_disjoint_inside_the_span_and_in_busy_hours() {
    for days in [1, 3, 7] {
        let c = scenario_cfg(SynthFormat::NginxUpstream, &ScenarioKind::ALL, days, 0);
        let mut timed: Vec<&ScenarioSpec> = c
            .scenarios
            .iter()
            .filter(|s| !s.kind.covers_whole_span())
            .collect();
        assert_eq!(timed.len(), 5);
        timed.sort_by_key(|s| s.start);
        for w in timed.windows(2) {
            assert!(w[0].start + w[0].duration_secs <= w[1].start, "{w:?}");
        }
        for s in &timed {
            assert!(s.start >= c.start && s.start + s.duration_secs <= c.start + c.duration_secs);
            assert_eq!(s.duration_secs, s.kind.default_duration_secs());
            let hour = (s.start + i64::from(c.tz_offset_secs)).rem_euclid(86_400) / 3600;
            assert!(
                (9..21).contains(&hour),
                "{days} days: {s:?} at {hour}h local"
            );
        }
    }
    // Short spans: shorter windows, still disjoint.
    let specs = ScenarioSpec::spread(&ScenarioKind::ALL, DEFAULT_START, 3600, 0);
    let mut timed: Vec<_> = specs
        .iter()
        .filter(|s| !s.kind.covers_whole_span())
        .collect();
    timed.sort_by_key(|s| s.start);
    for w in timed.windows(2) {
        assert!(w[0].start + w[0].duration_secs <= w[1].start, "{w:?}");
    }
}

#[test]
fn scenario_truth_matches_recount() {
    let c = scenario_cfg(SynthFormat::NginxUpstream, &ScenarioKind::ALL, 1, 150_000);
    let (out, t) = gen(&c);
    let reqs = requests(&out, c.tz_offset_secs);
    assert_eq!(reqs.len() as u64, t.requests);
    let all_501 = reqs.iter().filter(|r| r.status == 501).count() as u64;
    assert_eq!(all_501, t.status_501);
    assert_eq!(t.by_status[&501], t.status_501);
    assert_eq!(t.lines, t.requests + t.garbage + t.error_lines);
    assert!(t.lines > c.lines, "the spike and the scanner add requests");

    // One truth per scenario, in start order, each matched exactly.
    assert_eq!(t.scenarios.len(), 6);
    assert!(t.scenarios.windows(2).all(|w| w[0].start <= w[1].start));
    let recount = recount_scenarios(&reqs, &t);
    for (s, n) in t.scenarios.iter().zip(&recount) {
        assert_eq!(s.matched, *n, "{s:?}");
        assert!(s.matched > 50, "{s:?} is too small to see");
    }

    // Everything else is a stray: outside every window, at least 150 s apart.
    let misroute = &t.scenarios[0].detail;
    assert_eq!(t.scenarios[0].label, "route_misconfig");
    let strays: Vec<i64> = reqs
        .iter()
        .filter(|r| {
            r.status == 501
                && route_of(r.path) != misroute
                && !t.scenarios[1..].iter().any(|s| in_window(s, r.ts))
        })
        .map(|r| r.ts)
        .collect();
    let matched: u64 = t.scenarios.iter().map(|s| s.matched).sum();
    assert_eq!(strays.len() as u64, t.status_501 - matched);
    assert!(strays.len() > 10, "{} strays", strays.len());
    assert!(strays
        .windows(2)
        .all(|w| w[1] - w[0] >= STRAY_501_MIN_GAP_SECS));

    for s in &t.scenarios {
        let window: Vec<&Req<'_>> = reqs.iter().filter(|r| in_window(s, r.ts)).collect();
        let len = s.end - s.start;
        match s.label.as_str() {
            "route_misconfig" => {
                // 0.5–1 % of the requests, ~97 % of them 501, over the span.
                let routed = reqs.iter().filter(|r| route_of(r.path) == misroute).count();
                let share = routed as f64 / reqs.len() as f64;
                assert!((0.004..0.012).contains(&share), "{share}");
                let rate = s.matched as f64 / routed as f64;
                assert!((0.94..0.995).contains(&rate), "{rate}");
                assert_eq!((s.start, s.end), (c.start, c.start + c.duration_secs));
                assert!(MISCONFIG_ROUTES.contains(&misroute.as_str()));
            }
            "post_deploy" => {
                // 30–60 % of the application's requests (not static files),
                // across many routes.
                let app = window
                    .iter()
                    .filter(|r| {
                        !r.path.starts_with("/static/") && r.upstream.is_some_and(|u| u != "-")
                    })
                    .count();
                let rate = s.matched as f64 / app as f64;
                assert!((0.25..0.65).contains(&rate), "{rate}");
                let routes: std::collections::BTreeSet<&str> = window
                    .iter()
                    .filter(|r| r.status == 501)
                    .map(|r| route_of(r.path).split('/').nth(1).unwrap_or(""))
                    .collect();
                assert!(routes.len() >= 5, "{routes:?}");
                assert!(window
                    .iter()
                    .all(|r| r.status != 501 || !r.path.starts_with("/static/")));
            }
            "device_specific" => {
                let group = window
                    .iter()
                    .filter(|r| r.ua.is_some_and(|ua| is_group_ua(&s.detail, ua)))
                    .count();
                let rate = s.matched as f64 / group as f64;
                assert!((0.75..0.95).contains(&rate), "{rate}");
                let share = group as f64 / window.len() as f64;
                assert!((0.05..0.16).contains(&share), "{share}");
            }
            "traffic_spike" => {
                let before = reqs
                    .iter()
                    .filter(|r| r.ts >= s.start - len && r.ts < s.start)
                    .count();
                let after = reqs
                    .iter()
                    .filter(|r| r.ts >= s.end && r.ts < s.end + len)
                    .count();
                let ratio = window.len() as f64 * 2.0 / (before + after) as f64;
                assert!((2.7..5.5).contains(&ratio), "x{ratio}");
                let rate = s.matched as f64 / window.len() as f64;
                assert!((0.08..0.22).contains(&rate), "{rate}");
                assert!((15 * 60..=40 * 60).contains(&len));
            }
            "unsupported_method" => assert!((150..=400).contains(&s.matched)),
            "upstream_node" => {
                let node = window
                    .iter()
                    .filter(|r| r.upstream == Some(s.detail.as_str()))
                    .count();
                let rate = s.matched as f64 / node as f64;
                assert!((0.6..0.8).contains(&rate), "{rate}");
                // The other nodes serve the same routes fine.
                assert!(window
                    .iter()
                    .filter(|r| r
                        .upstream
                        .is_some_and(|u| u.starts_with("10.0.1.") && u != s.detail))
                    .all(|r| r.status != 501 || route_of(r.path) == misroute));
            }
            _ => unreachable!(),
        }
    }
}

#[test]
fn both_device_groups_recount_exactly() {
    let mut seen = std::collections::BTreeSet::new();
    for seed in 1..=8 {
        let c = SynthConfig {
            seed,
            ..scenario_cfg(
                SynthFormat::ApacheCombined,
                &[ScenarioKind::DeviceSpecific],
                1,
                30_000,
            )
        };
        let (out, t) = gen(&c);
        let reqs = requests(&out, c.tz_offset_secs);
        assert_eq!(recount_scenarios(&reqs, &t), [t.scenarios[0].matched]);
        seen.insert(t.scenarios[0].detail.clone());
    }
    assert_eq!(
        seen.into_iter().collect::<Vec<_>>(),
        ["android app", "ios app"]
    );
}

#[test]
fn every_format_with_scenarios_keeps_its_truth() {
    for format in SynthFormat::ALL {
        let kinds: Vec<ScenarioKind> = ScenarioKind::ALL
            .into_iter()
            .filter(|k| match k {
                ScenarioKind::UpstreamNode => format == SynthFormat::NginxUpstream,
                ScenarioKind::DeviceSpecific => format != SynthFormat::ApacheCommon,
                _ => true,
            })
            .collect();
        let c = scenario_cfg(format, &kinds, 2, 40_000);
        let (out, t) = gen(&c);
        let mut by_status = BTreeMap::new();
        let mut prev = i64::MIN;
        for line in lines(&out) {
            if let Some((ts, status)) = parse(line, c.tz_offset_secs) {
                assert!(ts >= prev, "{format}: time went backwards");
                prev = ts;
                *by_status.entry(status).or_insert(0u64) += 1;
            }
        }
        assert_eq!(t.by_status, by_status, "{format}");
        assert_eq!(t.bytes, out.len() as u64);
        assert_eq!(t.scenarios.len(), kinds.len());
        let matched: u64 = t.scenarios.iter().map(|s| s.matched).sum();
        assert!(
            matched <= t.status_501 && t.scenarios.iter().all(|s| s.matched > 0),
            "{format}"
        );
        if format != SynthFormat::ApacheCommon && format != SynthFormat::NginxUpstream {
            let reqs = requests(&out, c.tz_offset_secs);
            let recount = recount_scenarios(&reqs, &t);
            let truth: Vec<u64> = t.scenarios.iter().map(|s| s.matched).collect();
            assert_eq!(recount, truth, "{format}");
        }
    }
}

#[test]
fn deterministic_with_scenarios() {
    let c = scenario_cfg(SynthFormat::NginxUpstream, &ScenarioKind::ALL, 2, 20_000);
    let (a, ta) = gen(&c);
    let (b, tb) = gen(&c);
    assert_eq!((a, ta), (b, tb));
    let (mut ea, mut eb) = (Vec::new(), Vec::new());
    let eta = generate_error_log(&c, &mut ea).unwrap();
    let etb = generate_error_log(&c, &mut eb).unwrap();
    assert_eq!((ea.clone(), eta), (eb, etb));
    let other = SynthConfig {
        seed: 8,
        ..c.clone()
    };
    let mut ec = Vec::new();
    generate_error_log(&other, &mut ec).unwrap();
    assert_ne!(ea, ec);
    assert_ne!(gen(&other).0, gen(&c).0);
    // A scenario's parameters do not depend on the others.
    let alone = SynthConfig {
        scenarios: vec![c.scenarios[4]],
        ..c.clone()
    };
    let full = gen(&c).1;
    let one = gen(&alone).1;
    let same = full
        .scenarios
        .iter()
        .find(|s| s.start == one.scenarios[0].start)
        .unwrap();
    assert_eq!(same.detail, one.scenarios[0].detail);
}

#[test]
fn invalid_scenarios_are_rejected() {
    let bad = |c: &SynthConfig| {
        assert!(c.validate().is_err());
        let e = generate(c, &mut Vec::new()).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "{e}");
        let e = generate_error_log(c, &mut Vec::new()).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "{e}");
        e.to_string()
    };
    let node = scenario_cfg(
        SynthFormat::NginxCombined,
        &[ScenarioKind::UpstreamNode],
        1,
        100,
    );
    assert!(bad(&node).contains("nginx-upstream"));
    let dir = std::env::temp_dir().join(format!("synth-invalid-{}", std::process::id()));
    assert!(generate_dir(&node, &dir, 2).is_err());
    assert!(!dir.exists(), "nothing written");
    let device = scenario_cfg(
        SynthFormat::ApacheCommon,
        &[ScenarioKind::DeviceSpecific],
        1,
        100,
    );
    assert!(bad(&device).contains("user agent"));
    let mut outside = scenario_cfg(
        SynthFormat::NginxCombined,
        &[ScenarioKind::PostDeploy],
        1,
        100,
    );
    outside.scenarios[0].start -= 86_400;
    assert!(bad(&outside).contains("outside the span"));
    outside.scenarios[0].duration_secs = 0;
    assert!(bad(&outside).contains("positive"));
    // Estimating a size never fails.
    assert!(lines_for_size(&node, 1 << 20) > 1000);
    // route_misconfig ignores its window.
    let mut route = scenario_cfg(
        SynthFormat::NginxCombined,
        &[ScenarioKind::RouteMisconfig],
        1,
        100,
    );
    route.scenarios[0].start -= 10 * 86_400;
    assert!(generate(&route, &mut Vec::new()).is_ok());
}

/// `(utc, local text)` of an nginx or Apache 2.4 error line, checked
/// against the layout independently of the analyzer's parser.
fn error_line_time(line: &str, nginx: bool, tz: i32) -> i64 {
    let (time, rest) = if nginx {
        // `YYYY/MM/DD HH:MM:SS [level] pid#tid: …`
        let (time, rest) = line.split_at(19);
        let t = chrono::NaiveDateTime::parse_from_str(time, "%Y/%m/%d %H:%M:%S")
            .unwrap_or_else(|e| panic!("{line}: {e}"));
        let rest = rest.strip_prefix(" [").expect(line);
        let (level, rest) = rest.split_once("] ").expect(line);
        assert!(
            ["info", "notice", "warn", "error", "crit", "alert"].contains(&level),
            "{line}"
        );
        let (pids, msg) = rest.split_once(": ").expect(line);
        let (pid, tid) = pids.split_once('#').expect(line);
        assert!(pid.parse::<u32>().is_ok() && pid == tid, "{line}");
        assert!(!msg.is_empty());
        (t, msg)
    } else {
        // `[Thu May 07 10:58:12.123456 2026] [module:level] [pid N:tid M] …`
        let rest = line.strip_prefix('[').expect(line);
        let (time, rest) = rest.split_once("] [").expect(line);
        assert_eq!(time.len(), 31, "{line}");
        let t = chrono::NaiveDateTime::parse_from_str(time, "%a %b %d %H:%M:%S%.6f %Y")
            .unwrap_or_else(|e| panic!("{line}: {e}"));
        let (tag, rest) = rest.split_once("] [pid ").expect(line);
        let (module, level) = tag.split_once(':').expect(line);
        assert!(
            module.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
            "{line}"
        );
        assert!(["info", "notice", "error"].contains(&level), "{line}");
        let (ids, msg) = rest.split_once("] ").expect(line);
        let (pid, tid) = ids.split_once(":tid ").expect(line);
        assert!(
            pid.parse::<u32>().is_ok() && tid.parse::<u64>().is_ok(),
            "{line}"
        );
        (t, msg)
    };
    assert!(!rest.is_empty());
    time.and_utc().timestamp() - i64::from(tz)
}

#[test]
fn error_log_layout_kinds_and_reloads() {
    use fiveohone::events::{EventKind, Events};
    use fiveohone::grammar::error::{parse as parse_error, Stamp};
    let kinds = [
        ScenarioKind::PostDeploy,
        ScenarioKind::TrafficSpike,
        ScenarioKind::UnsupportedMethod,
        ScenarioKind::PostDeploy,
        ScenarioKind::DeviceSpecific,
    ];
    for format in [SynthFormat::NginxMain, SynthFormat::ApacheVhostCombined] {
        let nginx = format.is_nginx();
        let c = SynthConfig {
            tz_offset_secs: -18_000,
            ..scenario_cfg(format, &kinds, 3, 30_000)
        };
        let (_, access) = gen(&c);
        let mut out = Vec::new();
        let et = generate_error_log(&c, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let all: Vec<&str> = text.lines().collect();
        assert_eq!(et.lines, all.len() as u64);
        assert!(text.ends_with('\n'));

        let mut events = Events::default();
        let mut prev = i64::MIN;
        let mut reloads = Vec::new();
        let (mut reopen, mut workers, mut invalid) = (0, Vec::new(), Vec::new());
        for line in &all {
            let utc = error_line_time(line, nginx, c.tz_offset_secs);
            assert!(utc >= prev, "time went backwards: {line}");
            prev = utc;
            let parsed = parse_error(line.as_bytes()).unwrap_or_else(|| panic!("unparsed: {line}"));
            assert_eq!(
                parsed.stamp,
                Stamp::Local(utc + i64::from(c.tz_offset_secs))
            );
            events.add(&parsed, utc, 0, 300);
            if line.contains("(SIGHUP) received") || line.contains("AH00493") {
                reloads.push(utc);
            }
            if line.ends_with(" reopening logs") && line.contains("SIGUSR1") {
                reopen += 1;
            }
            if line.contains("worker_connections are not enough") || line.contains("AH00484") {
                workers.push(utc);
            }
            if line.contains("invalid method") || line.contains("Invalid method") {
                invalid.push((utc, *line));
            }
        }
        // Reloads: written, in the truths, found by the analyzer.
        assert_eq!(reloads, access.deploys, "{format}");
        assert_eq!(reloads, et.reloads);
        let lifecycle = events.lifecycle();
        assert!(lifecycle.iter().all(|l| l.kind == EventKind::Reload));
        assert_eq!(
            lifecycle.iter().map(|l| l.time).collect::<Vec<_>>(),
            reloads
        );
        // Kinds as the analyzer's event table says.
        assert_eq!(et.by_kind["reload"], reloads.len() as u64);
        for kind in EventKind::ALL.into_iter().filter(|k| !k.is_lifecycle()) {
            let seen = events.kinds.get(&kind).map_or(0, |s| s.lines);
            let want = et.by_kind.get(kind.name()).copied().unwrap_or(0);
            assert_eq!(seen, want, "{format} {}", kind.name());
        }
        assert_eq!(et.by_kind.len(), 6);
        assert!(
            et.by_kind["other"] > 3 * 24,
            "a few background lines an hour"
        );

        // Two post-deploy reloads 1–3 minutes before their windows, and
        // one benign reload a day in working hours, far from scenarios.
        let windows: Vec<&ScenarioTruth> = access.scenarios.iter().collect();
        for s in windows.iter().filter(|s| s.label == "post_deploy") {
            assert!(
                reloads.iter().any(|&r| (60..=180).contains(&(s.start - r))),
                "{s:?}"
            );
        }
        let benign: Vec<i64> = reloads
            .iter()
            .copied()
            .filter(|&r| {
                !windows
                    .iter()
                    .any(|s| s.label == "post_deploy" && (60..=180).contains(&(s.start - r)))
            })
            .collect();
        assert_eq!(benign.len(), 3, "{format}: {benign:?}");
        for r in benign {
            let hour = (r + i64::from(c.tz_offset_secs)).rem_euclid(86_400) / 3600;
            assert!((9..18).contains(&hour));
            assert!(windows
                .iter()
                .all(|s| r < s.start - 3600 || r >= s.end + 3600));
        }
        // Exhaustion only during the spike; invalid methods only from the scanner.
        let spike = windows.iter().find(|s| s.label == "traffic_spike").unwrap();
        assert!(
            workers.len() >= 2 && workers.iter().all(|&t| in_window(spike, t)),
            "{workers:?}"
        );
        assert_eq!(et.by_kind["worker_exhaustion"], workers.len() as u64);
        let scan = windows
            .iter()
            .find(|s| s.label == "unsupported_method")
            .unwrap();
        assert!((2..=6).contains(&invalid.len()));
        let ips = scan.detail.split_once(" from ").unwrap().1;
        for (t, line) in &invalid {
            assert!(in_window(scan, *t));
            assert!(ips.split(", ").any(|ip| line.contains(ip)), "{line}");
        }
        // logrotate reopens nginx's logs once a day; it is no reload.
        assert_eq!(reopen, if nginx { 3 } else { 0 });
    }
}

#[test]
fn noise_week_has_no_burst() {
    let c = SynthConfig {
        seed: 2026,
        lines: 700_000,
        duration_secs: 7 * 86_400,
        bursts: Vec::new(),
        ..SynthConfig::default()
    };
    let (out, t) = gen(&c);
    let mut strays = Vec::new();
    for line in lines(&out) {
        if let Some((ts, 501)) = parse(line, c.tz_offset_secs) {
            strays.push(ts);
        }
    }
    assert_eq!(strays.len() as u64, t.status_501);
    let expected = t.requests as f64 * f64::from(DEFAULT_STRAY_501_PER_MILLION) / 1e6;
    let ratio = strays.len() as f64 / expected;
    assert!(
        (0.7..1.2).contains(&ratio),
        "{} strays, {expected} expected",
        strays.len()
    );
    // No five minutes hold more than three (by design at most two).
    let worst = (0..strays.len())
        .map(|i| {
            strays[i..]
                .iter()
                .take_while(|&&s| s < strays[i] + 300)
                .count()
        })
        .max()
        .unwrap();
    assert!(worst <= 2, "{worst} stray 501s within five minutes");
    // One benign deploy a day; the error log holds them and nothing alarming.
    assert_eq!(t.deploys.len(), 7, "{:?}", t.deploys);
    assert!(t.scenarios.is_empty());
    let mut err = Vec::new();
    let et = generate_error_log(&c, &mut err).unwrap();
    assert_eq!(et.reloads, t.deploys);
    assert_eq!(et.by_kind["reload"], 7);
    assert_eq!(
        et.by_kind["worker_exhaustion"] + et.by_kind["invalid_method"],
        0
    );
    assert!(et.by_kind["upstream_timeout"] < 7 * 24, "{:?}", et.by_kind);
}

#[test]
fn generate_dir_splits_both_families_alike() {
    let dir = std::env::temp_dir().join(format!("synth-dir-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    let mut c = scenario_cfg(
        SynthFormat::NginxUpstream,
        &[
            ScenarioKind::PostDeploy,
            ScenarioKind::TrafficSpike,
            ScenarioKind::UpstreamNode,
        ],
        2,
        5_000,
    );
    // A scanner at the very end: its last requests follow the last baseline line.
    c.scenarios.push(ScenarioSpec {
        kind: ScenarioKind::UnsupportedMethod,
        start: c.start + c.duration_secs - 600,
        duration_secs: 600,
    });
    let read = |name: &str, index: usize| {
        let path = PartFile::path(&dir, name, index);
        let raw = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if index >= 2 {
            let mut plain = Vec::new();
            MultiGzDecoder::new(&raw[..])
                .read_to_end(&mut plain)
                .unwrap();
            plain
        } else {
            raw
        }
    };
    for files in [1, 4, 9] {
        let (truth, et) = generate_dir(&c, &dir, files).unwrap();
        let (single, t) = gen(&c);
        let mut single_err = Vec::new();
        let e = generate_error_log(&c, &mut single_err).unwrap();
        assert_eq!((&truth, &et), (&t, &e));
        assert_eq!(truth.deploys, et.reloads);
        let mut joined = Vec::new();
        let mut joined_err = Vec::new();
        let mut bounds = Vec::new();
        for index in (0..files).rev() {
            let part = read("access.log", index);
            let err = read("error.log", index);
            let times = |text: &[u8], access: bool| -> Vec<i64> {
                lines(text)
                    .iter()
                    .filter_map(|l| {
                        if access {
                            parse(l, c.tz_offset_secs).map(|p| p.0)
                        } else {
                            Some(error_line_time(
                                std::str::from_utf8(l).unwrap(),
                                true,
                                c.tz_offset_secs,
                            ))
                        }
                    })
                    .collect()
            };
            bounds.push((times(&part, true), times(&err, false)));
            joined.extend(part);
            joined_err.extend(err);
        }
        assert_eq!(joined, single, "{files} files");
        assert_eq!(joined_err, single_err, "{files} files");
        // Error lines sit in the part whose access lines started before them.
        for (k, (_, err)) in bounds.iter().enumerate() {
            let from = bounds[..=k]
                .iter()
                .rev()
                .find_map(|(a, _)| a.first())
                .copied();
            let to = bounds[k + 1..].iter().find_map(|(a, _)| a.first()).copied();
            for &t in err {
                assert!(k == 0 || from.is_some_and(|f| t >= f), "{files}: part {k}");
                assert!(to.is_none_or(|n| t < n), "{files}: part {k}");
            }
        }
    }
    // Other names; more files than lines.
    let tiny = SynthConfig {
        lines: 3,
        format: SynthFormat::ApacheCombined,
        ..SynthConfig::default()
    };
    let (t, e) = generate_family(&tiny, &dir, "site_access.log", "site_error.log", 6).unwrap();
    assert_eq!(t.lines, 3);
    let total: usize = (0..6).map(|i| read("site_error.log", i).len()).sum();
    let mut whole = Vec::new();
    assert_eq!(generate_error_log(&tiny, &mut whole).unwrap(), e);
    assert_eq!(total, whole.len());
    assert!(generate_family(&tiny, &dir, "x.log", "x.log", 2).is_err());
    let _ = fs::remove_dir_all(&dir);
}
