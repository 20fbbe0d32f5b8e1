//! The incidents' truths against independent counts over the written text
//! (plain string splitting, not fiveohone's parser).

use super::*;
use crate::clock::TimeCache;
use crate::vocab::PAGES;
use std::collections::BTreeMap;
use std::fs;
use std::io;

/// One valid line, read by splitting.
#[derive(Debug, Clone)]
struct Line {
    ts: i64,
    /// The written zone, e.g. `+0200`.
    zone: String,
    ip: String,
    request: String,
    method: String,
    path: String,
    status: u16,
    ua: String,
    /// `ua="…"` of nginx-upstream.
    node: Option<String>,
}

fn read(text: &[u8]) -> Vec<Line> {
    String::from_utf8_lossy(text)
        .lines()
        .filter_map(read_line)
        .collect()
}

fn read_line(l: &str) -> Option<Line> {
    let open = l.find(" [")? + 1;
    let close = open + l[open..].find("] \"")?;
    let head: Vec<&str> = l[..open].split_whitespace().collect();
    let ip = head.get(head.len().checked_sub(3)?)?.to_string();
    let time = &l[open + 1..close];
    let t = chrono::DateTime::parse_from_str(time, "%d/%b/%Y:%H:%M:%S %z").ok()?;
    let rest = &l[close + 3..];
    let b = rest.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i] != b'"' {
        i += if b[i] == b'\\' { 2 } else { 1 };
    }
    let request = rest.get(..i)?.to_string();
    let after = rest.get(i + 1..)?;
    let mut fields = after.split_whitespace();
    let status: u16 = fields.next()?.parse().ok()?;
    let quoted: Vec<&str> = after.split('"').skip(1).step_by(2).collect();
    let mut parts = request.split(' ');
    let method = parts.next().unwrap_or("").to_string();
    let path = parts.next().unwrap_or("").to_string();
    let node = after
        .find(" ua=\"")
        .map(|at| after[at + 5..].split('"').next().unwrap_or("").to_string());
    Some(Line {
        ts: t.timestamp(),
        zone: time.rsplit(' ').next().unwrap_or("").to_string(),
        ip,
        request,
        method,
        path,
        status,
        ua: quoted.get(1).unwrap_or(&"").to_string(),
        node,
    })
}

fn config(format: SynthFormat, seed: u64, kinds: &[ScenarioKind], days: i64) -> SynthConfig {
    let c = SynthConfig {
        seed,
        lines: 120_000 * days as u64,
        format,
        duration_secs: days * 86_400,
        bursts: Vec::new(),
        ..SynthConfig::default()
    };
    SynthConfig {
        scenarios: ScenarioSpec::place(kinds, c.start, c.duration_secs, c.tz_offset_secs),
        ..c
    }
}

fn run(c: &SynthConfig) -> (Vec<u8>, Truth, Vec<Line>) {
    let mut out = Vec::new();
    let t = generate(c, &mut out).expect("generate");
    let lines = read(&out);
    check_counts(&out, &t, &lines);
    (out, t, lines)
}

/// The truth's totals against the text.
fn check_counts(out: &[u8], t: &Truth, lines: &[Line]) {
    let mut by_status = BTreeMap::new();
    for l in lines {
        *by_status.entry(l.status).or_insert(0u64) += 1;
    }
    assert_eq!(t.requests, lines.len() as u64);
    assert_eq!(t.by_status, by_status);
    assert_eq!(t.status_501, by_status.get(&501).copied().unwrap_or(0));
    assert_eq!(t.bytes, out.len() as u64);
    let text = String::from_utf8_lossy(out);
    assert_eq!(t.lines + t.blank, text.lines().count() as u64);
    assert!(lines.windows(2).all(|w| w[0].ts <= w[1].ts), "time order");
    if let (Some(a), Some(z)) = (lines.first(), lines.last()) {
        assert_eq!((t.first, t.last), (a.ts, z.ts));
    }
}

fn inside(s: &ScenarioTruth, ts: i64) -> bool {
    ts >= s.start && ts < s.end
}

fn local_hour(c: &SynthConfig, ts: i64) -> i64 {
    (ts + i64::from(c.tz_offset_secs)).rem_euclid(86_400) / 3600
}

fn group_of(ua: &str) -> &'static str {
    if ua.starts_with("ShopApp/") {
        "ios app"
    } else if ua.starts_with("okhttp/") || ua.starts_with("Dalvik/") {
        "android app"
    } else if ua.contains("(iPad;") && ua.contains("Safari/") {
        "ipad safari"
    } else {
        "other"
    }
}

#[test]
fn names_labels_and_placement() {
    for k in ScenarioKind::INCIDENTS {
        assert!(!ScenarioKind::ALL.contains(&k));
        assert_eq!(ScenarioKind::from_name(k.name()), Some(k));
        assert_eq!(
            ScenarioKind::from_label(k.label()).map(|a| a.label()),
            Some(k.label())
        );
        assert!(k.default_duration_secs() > 0);
    }
    for k in ScenarioKind::ALL {
        assert_eq!(k.name(), k.label());
        assert_eq!(ScenarioKind::from_name(k.name()), Some(k));
    }
    let kinds = [
        ScenarioKind::ColdStart,
        ScenarioKind::NightDevice,
        ScenarioKind::NightUpstream,
        ScenarioKind::PartialRollout,
        ScenarioKind::DeployRollback,
        ScenarioKind::InternetJunk,
    ];
    for tz in [7200, -18_000, 0] {
        let specs = ScenarioSpec::place(&kinds, DEFAULT_START, 2 * 86_400, tz);
        let mut w: Vec<(i64, i64)> = specs
            .iter()
            .map(|s| (s.start, s.start + s.duration_secs))
            .collect();
        w.sort_unstable();
        assert_eq!(w[0].0, DEFAULT_START);
        for p in w.windows(2) {
            assert!(p[0].1 <= p[1].0, "{specs:?}");
        }
        for s in &specs {
            assert!(
                s.start >= DEFAULT_START && s.start + s.duration_secs <= DEFAULT_START + 2 * 86_400
            );
            let h = (s.start + i64::from(tz)).rem_euclid(86_400) / 3600;
            if s.kind.at_night() {
                assert!((1..5).contains(&h), "{s:?} at {h}");
            }
        }
    }
}

#[test]
fn night_device_is_faint_and_only_the_group() {
    let mut groups = BTreeMap::new();
    for seed in 0..8 {
        let c = config(
            SynthFormat::NginxCombined,
            seed,
            &[ScenarioKind::NightDevice],
            1,
        );
        let (_, t, lines) = run(&c);
        assert_eq!(t.scenarios.len(), 1);
        let s = &t.scenarios[0];
        assert_eq!(s.label, "device_specific");
        let group = s.detail.split(':').next().unwrap();
        *groups.entry(group.to_owned()).or_insert(0) += 1;
        assert!((1..5).contains(&local_hour(&c, s.start)), "{s:?}");
        assert!((7200..=3 * 3600).contains(&(s.end - s.start)));
        let in_501: Vec<&Line> = lines
            .iter()
            .filter(|l| l.status == 501 && inside(s, l.ts))
            .collect();
        assert!(in_501.iter().all(|l| group_of(&l.ua) == group), "{s:?}");
        assert_eq!(in_501.len() as u64, s.matched, "{s:?}");
        assert!(s.matched > 0);
        // Faint: a handful per five minutes at most.
        let mut per5 = BTreeMap::new();
        for l in &in_501 {
            *per5.entry(l.ts / 300).or_insert(0u32) += 1;
        }
        assert!(per5.values().all(|&n| n <= 12), "{per5:?}");
    }
    assert!(groups.len() >= 2, "{groups:?}");
}

#[test]
fn night_upstream_is_one_node_one_route() {
    for seed in 0..4 {
        let c = config(
            SynthFormat::NginxUpstream,
            seed,
            &[ScenarioKind::NightUpstream],
            1,
        );
        let (_, t, lines) = run(&c);
        let s = &t.scenarios[0];
        assert_eq!(s.label, "upstream_node");
        let node = s.detail.split(' ').next().unwrap();
        let route = s
            .detail
            .split(" on ")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap();
        let n = lines
            .iter()
            .filter(|l| l.status == 501 && inside(s, l.ts))
            .inspect(|l| {
                assert_eq!(l.node.as_deref(), Some(node), "{l:?}");
                assert!(l.path.starts_with(route), "{l:?}");
            })
            .count();
        assert_eq!(n as u64, s.matched);
        assert!(s.matched > 0);
        // The same node serves other routes fine.
        assert!(lines.iter().any(|l| inside(s, l.ts)
            && l.node.as_deref() == Some(node)
            && !l.path.starts_with(route)
            && l.status == 200));
    }
    let c = config(
        SynthFormat::NginxCombined,
        1,
        &[ScenarioKind::NightUpstream],
        1,
    );
    let e = generate(&c, &mut Vec::new()).unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
    assert!(e.to_string().contains("nginx-upstream"), "{e}");
}

#[test]
fn partial_rollout_fails_one_in_k_and_retries_succeed() {
    for (seed, format) in [
        (1, SynthFormat::NginxUpstream),
        (2, SynthFormat::NginxUpstream),
        (3, SynthFormat::NginxCombined),
        (4, SynthFormat::ApacheCombined),
        (5, SynthFormat::ApacheVhostCombined),
    ] {
        let c = config(format, seed, &[ScenarioKind::PartialRollout], 1);
        let (_, t, lines) = run(&c);
        let s = &t.scenarios[0];
        assert_eq!(s.label, "upstream_node");
        let node = s.detail.split(' ').next().unwrap();
        let k: usize = s
            .detail
            .split("(1 of ")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!((3..=6).contains(&k));
        let lacks = s.detail.split(" lacks ").nth(1).unwrap();
        let mut w = lacks.split(' ');
        let (method, name) = (w.next().unwrap(), w.next().unwrap());
        let prefix = name.split('<').next().unwrap();
        let on_route = |l: &Line| l.path.starts_with(prefix);
        let fails: Vec<(usize, &Line)> = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.status == 501 && inside(s, l.ts))
            .collect();
        assert_eq!(fails.len() as u64, s.matched, "{s:?}");
        assert!(s.matched > 10, "{s:?}");
        for &(i, l) in &fails {
            assert!(on_route(l) && l.method == method, "{l:?}");
            if format == SynthFormat::NginxUpstream {
                assert_eq!(l.node.as_deref(), Some(node));
            } else {
                assert_eq!(l.node, None);
            }
            // The retry: same client, same request, a second or two later, answered.
            let retry = lines[i + 1..]
                .iter()
                .take_while(|r| r.ts <= l.ts + 2)
                .find(|r| r.ip == l.ip && r.request == l.request && r.ts > l.ts)
                .unwrap_or_else(|| panic!("no retry of {l:?}"));
            assert!((200..300).contains(&retry.status), "{retry:?}");
            if format == SynthFormat::NginxUpstream {
                assert_ne!(retry.node.as_deref(), Some(node));
            }
        }
        // About one in k of the method's requests in the window fails.
        let tries = lines
            .iter()
            .filter(|l| inside(s, l.ts) && on_route(l) && l.method == method)
            .count();
        let first_tries = tries - fails.len();
        let share = fails.len() as f64 / first_tries as f64;
        assert!(
            share > 0.4 / k as f64 && share < 2.0 / k as f64,
            "{share} of {first_tries}, k {k}"
        );
        // GETs fine; the route lives before and after, at a few percent.
        assert!(lines
            .iter()
            .all(|l| !(on_route(l) && l.method == "GET" && l.status == 501)));
        let outside_ok = lines
            .iter()
            .filter(|l| !inside(s, l.ts) && on_route(l) && l.method == method)
            .count();
        assert!(
            outside_ok > 50
                && lines
                    .iter()
                    .all(|l| inside(s, l.ts) || l.status != 501 || !on_route(l))
        );
        let route_share = lines.iter().filter(|l| on_route(l)).count() as f64 / lines.len() as f64;
        assert!((0.005..0.03).contains(&route_share), "{route_share}");
    }
}

#[test]
fn spike_inside_device_failure_has_two_truths() {
    for (seed, format) in [
        (1, SynthFormat::NginxCombined),
        (2, SynthFormat::ApacheVhostCombined),
    ] {
        let c = config(format, seed, &[ScenarioKind::SpikeInDevice], 1);
        let (_, t, lines) = run(&c);
        assert_eq!(t.scenarios.len(), 2);
        let (dev, spike) = (&t.scenarios[0], &t.scenarios[1]);
        assert_eq!(
            (dev.label.as_str(), spike.label.as_str()),
            ("device_specific", "traffic_spike")
        );
        assert!(dev.start < spike.start && spike.end < dev.end);
        assert!((20 * 60..=30 * 60).contains(&(spike.end - spike.start)));
        assert!((2 * 3600..=3 * 3600).contains(&(dev.end - dev.start)));
        let android = lines
            .iter()
            .filter(|l| l.status == 501 && inside(dev, l.ts) && group_of(&l.ua) == "android app")
            .count() as u64;
        let others: Vec<&Line> = lines
            .iter()
            .filter(|l| l.status == 501 && inside(dev, l.ts) && group_of(&l.ua) != "android app")
            .collect();
        assert!(others.iter().all(|l| inside(spike, l.ts)));
        // An android request the app's failure spared may still fail in the
        // spike: the spike's.
        assert_eq!(android + others.len() as u64, dev.matched + spike.matched);
        assert!(android >= dev.matched && others.len() as u64 <= spike.matched);
        let android_outside = lines
            .iter()
            .filter(|l| l.status == 501 && inside(dev, l.ts) && !inside(spike, l.ts))
            .inspect(|l| assert_eq!(group_of(&l.ua), "android app"))
            .count() as u64;
        assert!(android_outside <= dev.matched && android_outside > 0);
        let per_min = |a: i64, b: i64| {
            lines.iter().filter(|l| l.ts >= a && l.ts < b).count() as f64 / (b - a) as f64
        };
        assert!(per_min(spike.start, spike.end) > 2.5 * per_min(spike.start - 1800, spike.start));
        let mut err = Vec::new();
        let e = generate_error_log(&c, &mut err).unwrap();
        assert!(e.by_kind["worker_exhaustion"] > 0);
    }
}

#[test]
fn deploy_rollback_stops_at_the_second_reload() {
    for seed in 0..3 {
        let c = config(
            SynthFormat::NginxUpstream,
            seed,
            &[ScenarioKind::DeployRollback],
            1,
        );
        let (_, t, lines) = run(&c);
        let s = &t.scenarios[0];
        assert_eq!(s.label, "post_deploy");
        assert!(s.detail.contains("rolled back"), "{}", s.detail);
        assert!(t.deploys.contains(&s.end), "{:?}", t.deploys);
        assert!(t.deploys.iter().any(|&d| d < s.start && d >= s.start - 180));
        let n = lines
            .iter()
            .filter(|l| l.status == 501 && inside(s, l.ts))
            .count() as u64;
        assert_eq!(n, s.matched);
        // Nothing but the odd stray after the rollback.
        let after = lines
            .iter()
            .filter(|l| l.status == 501 && l.ts >= s.end && l.ts < s.end + 1800)
            .count();
        assert!(after <= 2, "{after}");
        let mut err = Vec::new();
        let e = generate_error_log(&c, &mut err).unwrap();
        assert!(e.reloads.contains(&s.end));
    }
}

#[test]
fn internet_junk_clusters_name_their_clients() {
    for (seed, format) in [
        (1, SynthFormat::NginxUpstream),
        (2, SynthFormat::ApacheVhostCombined),
        (3, SynthFormat::ApacheCommon),
    ] {
        let c = config(format, seed, &[ScenarioKind::InternetJunk], 1);
        let (out, t, lines) = run(&c);
        assert_eq!(t.scenarios.len(), 5);
        let text = String::from_utf8_lossy(&out);
        assert!(text.contains(r#""\x16\x03\x01\x00"#));
        assert!(text.contains("\"get /"));
        for s in &t.scenarios {
            assert_eq!(s.label, "unsupported_method");
            let ips: Vec<&str> = s
                .detail
                .rsplit(" from ")
                .next()
                .unwrap()
                .split(", ")
                .collect();
            assert!((1..=3).contains(&ips.len()));
            let n = lines
                .iter()
                .filter(|l| l.status == 501 && inside(s, l.ts))
                .inspect(|l| assert!(ips.contains(&l.ip.as_str()), "{l:?} {s:?}"))
                .count() as u64;
            assert_eq!(n, s.matched);
            let said: u64 = s
                .detail
                .split(": ")
                .last()
                .unwrap()
                .split(' ')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            assert_eq!(said, s.matched);
            if s.detail.starts_with("TLS") {
                assert!((100..=200).contains(&s.matched) && s.end - s.start <= 1800);
            }
            if s.detail.starts_with("POST") {
                assert!((50..=60).contains(&s.matched));
            }
        }
        // The server says so for the request lines it cannot parse.
        let mut err = Vec::new();
        let e = generate_error_log(&c, &mut err).unwrap();
        assert!(e.by_kind["invalid_method"] >= 6, "{:?}", e.by_kind);
        let err = String::from_utf8_lossy(&err);
        for s in t
            .scenarios
            .iter()
            .filter(|s| !s.detail.starts_with("SEARCH") && !s.detail.starts_with("POST"))
        {
            let ip = s
                .detail
                .rsplit(" from ")
                .next()
                .unwrap()
                .split(", ")
                .next()
                .unwrap();
            assert!(
                err.lines().any(|l| l.contains(ip)) || s.detail.contains(", "),
                "{s:?}"
            );
        }
    }
}

#[test]
fn cold_start_opens_the_file_in_an_outage() {
    for seed in 0..3 {
        let c = config(
            SynthFormat::NginxCombined,
            seed,
            &[ScenarioKind::ColdStart],
            1,
        );
        let (_, t, lines) = run(&c);
        let s = &t.scenarios[0];
        assert_eq!(
            (s.label.as_str(), s.start, s.end),
            ("post_deploy", c.start, c.start + 300)
        );
        assert_eq!(t.deploys.first(), Some(&c.start));
        let app = |l: &&Line| {
            let p = l.path.as_str();
            p == "/"
                || p.starts_with("/?")
                || ["/api/", "/search", "/login", "/logout", "/healthz"]
                    .iter()
                    .any(|a| p.starts_with(a))
                || PAGES.contains(&p)
        };
        let first: Vec<&Line> = lines
            .iter()
            .filter(|l| l.ts < c.start + 60)
            .filter(app)
            .collect();
        let failed = first.iter().filter(|l| l.status == 501).count();
        assert!(
            failed as f64 > 0.9 * first.len() as f64,
            "{failed} of {}",
            first.len()
        );
        let n = lines
            .iter()
            .filter(|l| l.status == 501 && inside(s, l.ts))
            .count() as u64;
        assert_eq!(n, s.matched);
        let later: Vec<&Line> = lines
            .iter()
            .filter(|l| l.ts >= c.start + 60 && l.ts < s.end)
            .collect();
        let late_failed = later.iter().filter(|l| l.status == 501).count();
        assert!((late_failed as f64) < 0.08 * later.len() as f64);
    }
}

#[test]
fn quiet_week_has_dst_monitors_scanner_and_no_scenario() {
    let c = quiet_week(9, SynthFormat::NginxCombined, 140_000);
    let (_, t, lines) = run(&c);
    assert!(t.scenarios.is_empty());
    let dst = c.env.tz_change.unwrap().at;
    for l in &lines {
        assert_eq!(l.zone, if l.ts < dst { "+0100" } else { "+0200" }, "{l:?}");
    }
    let monitor = |ua: &str| {
        lines
            .iter()
            .filter(|l| l.ua.contains(ua))
            .collect::<Vec<_>>()
    };
    for ua in ["UptimeRobot/2.0", "Pingdom.com_bot"] {
        let m = monitor(ua);
        assert!(m.len() >= 7 * 1440 - 1 && m.iter().all(|l| l.status == 501));
        assert!(m.windows(2).all(|w| w[1].ts - w[0].ts == 60));
    }
    let scanner_501: Vec<&Line> = lines
        .iter()
        .filter(|l| l.status == 501 && l.ua.contains("zgrab"))
        .collect();
    assert!(
        (7 * 24 / 2..=7 * 24 * 2).contains(&scanner_501.len()),
        "{}",
        scanner_501.len()
    );
    let junk: std::collections::BTreeSet<&str> = lines
        .iter()
        .filter(|l| l.ua.contains("zgrab"))
        .map(|l| l.path.as_str())
        .collect();
    assert!(junk.len() >= 5);
    // logrotate's reload every night at about midnight local.
    let tz = TimeCache::of(&c);
    let nightly = t
        .deploys
        .iter()
        .filter(|&&d| tz.local(d).0.rem_euclid(86_400) < 300)
        .count();
    assert_eq!(nightly, 7, "{:?}", t.deploys);
    let mut err = Vec::new();
    let e = generate_error_log(&c, &mut err).unwrap();
    assert_eq!(e.reloads, t.deploys);
    assert_eq!(e.by_kind["worker_exhaustion"], 0);
    let text = String::from_utf8_lossy(&err);
    assert!(!text.contains("reopening logs"));
}

#[test]
fn two_hosts_write_one_incident_with_skew() {
    let dir = std::env::temp_dir().join(format!("synth-hosts-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    let c = config(
        SynthFormat::NginxCombined,
        3,
        &[ScenarioKind::PostDeploy],
        1,
    );
    let (t, e) = generate_two_hosts(&c, &dir, 120, 1).unwrap();
    let a = read(&fs::read(dir.join("web1/access.log")).unwrap());
    let b = read(&fs::read(dir.join("web2/access.log")).unwrap());
    assert_eq!(t.scenarios.len(), 1);
    let s = &t.scenarios[0];
    let single = generate(&c, &mut Vec::new()).unwrap();
    assert_eq!(
        (s.start, s.end),
        (single.scenarios[0].start, single.scenarios[0].end + 120)
    );
    let count = |ls: &[Line]| {
        ls.iter()
            .filter(|l| l.status == 501 && inside(s, l.ts))
            .count() as u64
    };
    assert_eq!(count(&a) + count(&b), s.matched);
    assert_eq!(t.requests, (a.len() + b.len()) as u64);
    assert_ne!(a[10].request, b[10].request, "other traffic on web2");
    // web2's reloads are written two minutes later.
    assert_eq!(e.reloads.len(), 2 * single.deploys.len());
    assert!(e.reloads.windows(2).any(|w| w[1] - w[0] == 120));
    let _ = fs::remove_dir_all(&dir);
    assert!(generate_two_hosts(&c, &dir, 10 * 86_400, 1).is_err());
}

#[test]
fn mixed_directory_holds_both_servers() {
    let dir = std::env::temp_dir().join(format!("synth-mixed-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    let n = config(
        SynthFormat::NginxCombined,
        4,
        &[ScenarioKind::DeployRollback],
        1,
    );
    let a = SynthConfig {
        format: SynthFormat::ApacheCombined,
        scenarios: Vec::new(),
        lines: 30_000,
        ..n.clone()
    };
    let (t, _) = generate_mixed_dir(&n, &a, &dir, 2).unwrap();
    let nt = generate(&n, &mut Vec::new()).unwrap();
    let at = generate(&a, &mut Vec::new()).unwrap();
    assert_eq!(t, merge_truths(&[nt, at]));
    assert_eq!(t.scenarios.len(), 1);
    for f in [
        "nginx_access.log",
        "nginx_access.log.1",
        "apache_access.log",
        "apache_error.log.1",
    ] {
        assert!(dir.join(f).exists(), "{f}");
    }
    assert!(generate_mixed_dir(&a, &n, &dir, 2).is_err());
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn incidents_are_deterministic_and_every_format_recounts() {
    let kinds = [
        ScenarioKind::ColdStart,
        ScenarioKind::PartialRollout,
        ScenarioKind::SpikeInDevice,
        ScenarioKind::DeployRollback,
        ScenarioKind::InternetJunk,
    ];
    for format in SynthFormat::ALL {
        let kinds: Vec<ScenarioKind> = kinds
            .iter()
            .copied()
            .filter(|k| format != SynthFormat::ApacheCommon || *k != ScenarioKind::SpikeInDevice)
            .collect();
        let mut c = config(format, 11, &kinds, 2);
        c.lines = 60_000;
        c.env.uptime_monitors = 1;
        let (out, t, _) = run(&c);
        let (again, t2, _) = run(&c);
        assert_eq!((out, &t), (again, &t2));
        let sum: u64 = t.scenarios.iter().map(|s| s.matched).sum();
        assert!(sum <= t.status_501);
        for s in &t.scenarios {
            assert!(s.matched > 0 && s.start < s.end, "{format}: {s:?}");
            assert!(s.start >= c.start && s.end <= c.start + c.duration_secs);
        }
    }
    let c = config(
        SynthFormat::ApacheCommon,
        1,
        &[ScenarioKind::NightDevice],
        1,
    );
    assert_eq!(
        c.validate().unwrap_err().kind(),
        io::ErrorKind::InvalidInput
    );
    let mut c = SynthConfig::default();
    c.env.upstream_nodes = 12;
    assert_eq!(
        c.validate().unwrap_err().kind(),
        io::ErrorKind::InvalidInput
    );
}
