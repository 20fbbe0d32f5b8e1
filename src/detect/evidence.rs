//! How each feature reads as evidence, and the next step's placeholders.
//! A sentence is written only when it informs: a share that singles
//! nothing out, a list with nothing in it or a lift of 1 says nothing.

use super::features::{is_unusual, Facts};
use super::scenario::Op;
use super::series::Segment;
use crate::aggregate::breakdown::MethodClass;
use crate::numfmt::thousands;
use crate::timefmt::rfc3339;

/// A share as a percentage: `12.5%`, `<0.1%`.
pub fn percent(x: f64) -> String {
    if x > 0.0 && x < 0.001 {
        "<0.1%".into()
    } else {
        format!("{:.1}%", x * 100.0)
    }
}

/// `20 s`, `45 min`, `2 h`, `3 h 20 min`.
pub fn duration(secs: i64) -> String {
    if secs < 60 {
        return format!("{secs} s");
    }
    let m = (secs + 30) / 60;
    match (m / 60, m % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// What a segment is called in a sentence: `the iOS app`, `upstream
/// 10.0.1.13:8080`, `PATCH /accounts/:id`; `None` for the whole site.
pub fn segment_name(s: &Segment) -> Option<String> {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    Some(match s {
        Segment::All => return None,
        Segment::Device(d) => format!("the {} clients", d.name()),
        Segment::Method(MethodClass::Unusual) => "requests with unusual methods".into(),
        Segment::Method(MethodClass::None) => "requests with no HTTP method".into(),
        Segment::Method(m) => format!("{} requests", format!("{m:?}").to_uppercase()),
        Segment::Upstream(u) => format!("upstream {}", text(u)),
        Segment::Group { method, route } if method == crate::record::INVALID_METHOD => text(route),
        Segment::Group { method, route } => format!("{} {}", text(method), text(route)),
    })
}

/// The first sentence: how many, over how long, against what.
pub fn headline(
    noun: &str,
    segment: Option<&str>,
    matched: u64,
    requests: u64,
    expected: f64,
    span: (i64, i64),
) -> String {
    let whose = segment.map_or_else(String::new, |s| format!("{s}: "));
    format!(
        "{whose}{} {noun} in {} ({} of {} requests) where the baseline expected {:.1}",
        thousands(matched),
        duration(span.1 - span.0),
        percent(matched as f64 / requests.max(1) as f64),
        thousands(requests),
        expected
    )
}

/// The sentence that states a feature with its numbers; `op` says whether
/// the scenario looked for a high value or a low one.
pub fn sentence(feature: &str, op: Op, f: &Facts, noun: &str) -> Option<String> {
    let low = op == Op::AtMost;
    let v = |name: &str| f.values.get(name).copied();
    Some(match feature {
        "deploy_gap" => deploy(f)?,
        "rollback" => {
            let r = f.rollback.as_ref()?;
            format!(
                "{} at {} UTC, as the burst ended: the change was rolled back",
                r.what,
                clock(r.time)
            )
        }
        "routes" | "top_route_share" => routes(f, noun)?,
        "route_rate" | "persistence" => {
            let (top, _) = f.routes.first()?;
            format!(
                "{top} answered {} of its requests with the status over the whole period, across {} of the time covered",
                percent(v("route_rate")?),
                percent(v("persistence")?.min(1.0))
            )
        }
        "top_group_share" | "group_rate" | "same_route_others_rate" | "failures_per_client" => {
            group(f, noun)?
        }
        "methods" | "unusual_share" => methods(f, low, noun)?,
        "top_client_share" | "clients" => clients(f, noun)?,
        "traffic_ratio" => {
            let (now, usual) = (f.traffic.0, f.traffic.1?);
            let ratio = v("traffic_ratio")?;
            if (0.67..1.5).contains(&ratio) && !low {
                return None;
            }
            format!(
                "traffic was {ratio:.1}x its usual level ({} requests per window against {} before)",
                thousands(now.round() as u64),
                thousands(usual.round() as u64)
            )
        }
        "device_share" | "device_lift" | "others_rate" => devices(f, low, feature, noun)?,
        "upstream_share" | "upstream_lift" | "upstream_others_rate" => {
            upstreams(f, low, feature, noun)?
        }
        "pressure" => {
            if f.pressure.is_empty() {
                return None;
            }
            let parts: Vec<String> = f
                .pressure
                .iter()
                .map(|(k, n)| format!("{} {}", thousands(*n), k.name()))
                .collect();
            format!(
                "the error log reports {} around the burst",
                parts.join(", ")
            )
        }
        "rate_ratio" => {
            let r = v("rate_ratio")?;
            if r < 3.0 {
                return None;
            }
            format!("{} times as many {noun} as the baseline expects", ratio(r))
        }
        _ => return None,
    })
}

/// `12`, `340`, `more than 10,000`.
fn ratio(r: f64) -> String {
    if r > 10_000.0 {
        "more than 10,000".into()
    } else {
        thousands(r.round() as u64)
    }
}

/// `08:58:12` of a UTC time.
fn clock(t: i64) -> String {
    rfc3339(t).get(11..19).unwrap_or_default().to_string()
}

fn deploy(f: &Facts) -> Option<String> {
    let d = f.deploy.as_ref()?;
    let at = clock(d.time);
    Some(if d.time >= f.start {
        format!("{} at {at} UTC, within the burst's first window", d.what)
    } else {
        format!(
            "{} at {at} UTC, {} before the burst's first window",
            d.what,
            duration(f.start - d.time)
        )
    })
}

fn routes(f: &Facts, noun: &str) -> Option<String> {
    let (top, n) = f.routes.first()?;
    let all: u64 = f.routes.iter().map(|(_, n)| n).sum();
    Some(if f.routes.len() == 1 {
        format!("every one of the {noun} was on {top}")
    } else {
        format!(
            "{} routes failed; the most, {top}, has {} of the {noun}",
            f.routes.len(),
            percent(*n as f64 / all.max(1) as f64)
        )
    })
}

fn group(f: &Facts, noun: &str) -> Option<String> {
    let ((method, route), _) = f.groups.first()?;
    let v = |name: &str| f.values.get(name).copied();
    let share = v("top_group_share")?;
    let rate = v("group_rate")?;
    let mut s = format!(
        "{method} {route} has {} of the {noun} and failed about {} of its requests ({})",
        percent(share),
        percent(rate),
        one_in(rate)
    );
    if let Some(others) = v("same_route_others_rate") {
        s.push_str(&format!(
            "; the other methods on {route} failed {}",
            percent(others)
        ));
    }
    if let Some(per) = v("failures_per_client").filter(|p| *p <= 1.5) {
        s.push_str(&format!(
            "; the {} failing clients failed {per:.1} times each, so their retries went through",
            thousands(v("clients").unwrap_or(0.0) as u64)
        ));
    }
    Some(s)
}

/// `about 1 in 4` for a rate of 0.25.
fn one_in(rate: f64) -> String {
    if rate <= 0.0 {
        return "none".into();
    }
    format!("about 1 in {:.0}", (1.0 / rate).round().max(1.0))
}

fn methods(f: &Facts, low: bool, noun: &str) -> Option<String> {
    let all: u64 = f.methods.iter().map(|(_, n)| n).sum();
    let list = |unusual: bool| -> Vec<String> {
        f.methods
            .iter()
            .filter(|(m, _)| is_unusual(m) == unusual)
            .take(5)
            .map(|(m, n)| format!("{m} {}", percent(*n as f64 / all.max(1) as f64)))
            .collect()
    };
    let share = f.values.get("unusual_share").copied()?;
    if low {
        let ordinary = list(false);
        if ordinary.is_empty() || share > 0.5 {
            return None;
        }
        return Some(format!(
            "the {noun} used ordinary methods ({})",
            ordinary.join(", ")
        ));
    }
    let unusual = list(true);
    if unusual.is_empty() {
        return None;
    }
    let what = if f.routes.iter().any(|(r, _)| r == "(tls handshake)") {
        " (TLS handshakes sent to the plain-HTTP port are requests with no method)"
    } else {
        ""
    };
    Some(format!(
        "{} of the {noun} used methods web applications rarely implement, or none at all ({}){what}",
        percent(share),
        unusual.join(", ")
    ))
}

fn clients(f: &Facts, noun: &str) -> Option<String> {
    let named: Vec<&(String, u64)> = f
        .clients
        .iter()
        .filter(|(c, _)| c != crate::aggregate::breakdown::OTHER)
        .collect();
    let (client, n) = named.first()?;
    let all: u64 = f.clients.iter().map(|(_, n)| n).sum();
    let share = *n as f64 / all.max(1) as f64;
    Some(if share >= 0.3 {
        let many = if named.len() == 1 {
            "one client".to_string()
        } else {
            format!("{} clients", thousands(named.len() as u64))
        };
        format!(
            "{many} sent them; {client} sent {} of the {noun}",
            percent(share)
        )
    } else {
        format!(
            "{} clients failed, none of them more than {} of the {noun}",
            thousands(named.len() as u64),
            percent(share)
        )
    })
}

fn devices(f: &Facts, low: bool, feature: &str, noun: &str) -> Option<String> {
    let (d, c) = f.devices.first()?;
    let v = |name: &str| f.values.get(name).copied();
    let all_r: u64 = f.devices.iter().map(|(_, c)| c.requests).sum();
    let traffic = percent(c.requests as f64 / all_r.max(1) as f64);
    let lift = v("device_lift")?;
    // A low share or lift: nobody stands out. (A low rate of the others
    // is what makes one group stand out.)
    if low && feature != "others_rate" {
        return Some(format!(
            "all kinds of clients failed: the most, {}, sent {} of the {noun} and {traffic} of the requests",
            d.name(),
            percent(v("device_share")?)
        ));
    }
    if lift < 1.5 {
        return None;
    }
    Some(format!(
        "the {} clients sent {} of the {noun} but {traffic} of the requests; every other client failed {} of the time",
        d.name(),
        percent(v("device_share")?),
        percent(v("others_rate")?)
    ))
}

fn upstreams(f: &Facts, low: bool, feature: &str, noun: &str) -> Option<String> {
    let (u, _) = f.upstreams.first()?;
    let v = |name: &str| f.values.get(name).copied();
    let r = f
        .upstream_requests
        .iter()
        .find(|(x, _)| x == u)
        .map_or(0, |(_, n)| *n);
    let traffic = percent(r as f64 / f.totals.requests.max(1) as f64);
    if low && feature != "upstream_others_rate" {
        return Some(format!(
            "every upstream failed alike: the most, {u}, answered {} of the {noun} and {traffic} of the requests",
            percent(v("upstream_share")?)
        ));
    }
    if v("upstream_lift")? < 1.5 {
        return None;
    }
    Some(format!(
        "upstream {u} answered {} of the {noun} but {traffic} of the requests; the other upstreams failed {} of the time",
        percent(v("upstream_share")?),
        percent(v("upstream_others_rate")?)
    ))
}

/// Said of a burst whose last window is still open (live mode).
pub const PARTIAL: &str =
    "its last window is still open: counts so far, per-window figures at the pace so far";

/// Features said of every labelled burst when they inform, whatever its
/// scenario looked for: a rollback, one device group or upstream standing
/// out (a deploy that breaks what one app calls).
pub const NOTABLE: [&str; 3] = ["rollback", "device_lift", "upstream_lift"];

/// The features an unclassified burst is described by, most telling
/// first.
pub const UNCLASSIFIED: [&str; 8] = [
    "routes",
    "top_group_share",
    "device_lift",
    "upstream_lift",
    "unusual_share",
    "clients",
    "deploy_gap",
    "traffic_ratio",
];

/// Fills a scenario's `next` text with the names of the burst starting at
/// `from`.
pub fn fill(template: &str, f: &Facts, noun: &str) -> String {
    let first = |items: &[(String, u64)]| {
        items
            .iter()
            .find(|(n, _)| n != crate::aggregate::breakdown::OTHER)
            .map_or("-".to_string(), |(n, _)| n.clone())
    };
    let methods: Vec<&str> = f
        .methods
        .iter()
        .filter(|(m, _)| is_unusual(m))
        .take(5)
        .map(|(m, _)| m.as_str())
        .collect();
    let (method, route) = f
        .groups
        .first()
        .map_or(("-", "-"), |((m, r), _)| (m.as_str(), r.as_str()));
    let k = f.values.get("group_rate").map_or("k".to_string(), |r| {
        format!("{:.0}", (1.0 / r.max(1e-9)).round())
    });
    template
        .replace("{route}", &first(&f.routes))
        .replace("{routes}", &f.routes.len().to_string())
        .replace("{device}", f.devices.first().map_or("-", |(d, _)| d.name()))
        .replace("{upstream}", &first(&f.upstreams))
        .replace("{deploy}", &deploy_words(f))
        .replace("{methods}", &methods.join(", "))
        .replace("{client}", &first(&f.clients))
        .replace("{method}", method)
        .replace("{group}", &format!("{method} {route}"))
        .replace("{k}", &k)
        .replace("{matches}", noun)
}

fn deploy_words(f: &Facts) -> String {
    match &f.deploy {
        Some(d) => format!("the change deployed at {} UTC ({})", short(d.time), d.what),
        None => format!(
            "the last change deployed before {} UTC (no reload in the error logs and no --deploy: check the deploy history, and pass it with --deploy to confirm)",
            short(f.start)
        ),
    }
}

/// `2026-05-07 10:00:00`.
fn short(t: i64) -> String {
    rfc3339(t)
        .replace('T', " ")
        .trim_end_matches('Z')
        .to_string()
}
