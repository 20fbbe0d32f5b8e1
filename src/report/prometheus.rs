//! The live counters in Prometheus's text exposition format (version
//! 0.0.4), for `--metrics`. Every label has a bounded set of values: the
//! method classes, the device groups, the scenarios, and at most
//! [`UPSTREAMS`] upstreams (the rest are `other`).

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::aggregate::breakdown::{MethodClass, METHOD_CLASSES};
use crate::aggregate::Counts;
use crate::device::{Device, DEVICES};

/// Upstreams named in labels; later ones count as `other`.
pub const UPSTREAMS: usize = 32;

/// What the metrics show.
#[derive(Debug, Clone, Default)]
pub struct Exposition {
    /// The status set matched requests are counted for (`501`, `5xx`).
    pub status: String,
    /// Lines read, access and error logs.
    pub lines: u64,
    /// Lines no format read.
    pub malformed: u64,
    /// Requests and matched requests per method class.
    pub methods: [Counts; METHOD_CLASSES],
    /// Per device group.
    pub devices: [Counts; DEVICES],
    /// Per upstream (at most [`UPSTREAMS`] names, then `other`).
    pub upstreams: BTreeMap<String, Counts>,
    /// Bursts going on, per scenario (every scenario listed, 0 or more).
    pub active: BTreeMap<String, u64>,
    /// Burst events so far: `started`, `updated`, `ended`.
    pub events: BTreeMap<&'static str, u64>,
    /// Wall-clock time of the last burst event, Unix seconds.
    pub last_event: Option<f64>,
    /// Log time of the newest line read, Unix seconds.
    pub last_line: Option<i64>,
}

/// The label value of a method class.
fn class(m: MethodClass) -> &'static str {
    match m {
        MethodClass::Get => "GET",
        MethodClass::Post => "POST",
        MethodClass::Put => "PUT",
        MethodClass::Delete => "DELETE",
        MethodClass::Patch => "PATCH",
        MethodClass::Head => "HEAD",
        MethodClass::Options => "OPTIONS",
        MethodClass::Unusual => "other",
        MethodClass::None => "none",
    }
}

/// The label value of a device group.
fn device(d: Device) -> &'static str {
    match d {
        Device::IosApp => "ios_app",
        Device::IosBrowser => "ios_browser",
        Device::AndroidApp => "android_app",
        Device::AndroidBrowser => "android_browser",
        Device::Tablet => "tablet",
        Device::Windows => "windows",
        Device::Macos => "macos",
        Device::OtherDesktop => "other_desktop",
        Device::Bot => "bot",
        Device::Library => "library",
        Device::Unknown => "unknown",
    }
}

/// A label value with `\`, `"` and newlines escaped.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// One metric family: its help, type and samples (`labels`, value).
fn family(out: &mut String, name: &str, kind: &str, help: &str, samples: &[(String, f64)]) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
    for (labels, value) in samples {
        if labels.is_empty() {
            let _ = writeln!(out, "{name} {value}");
        } else {
            let _ = writeln!(out, "{name}{{{labels}}} {value}");
        }
    }
}

impl Exposition {
    /// The page `/metrics` serves, at wall-clock time `now` (Unix seconds).
    pub fn render(&self, now: f64) -> String {
        let mut out = String::new();
        let status = escape(&self.status);
        let one = |v: u64| vec![(String::new(), v as f64)];
        family(
            &mut out,
            "fiveohone_lines_read_total",
            "counter",
            "Lines read from the access and error logs.",
            &one(self.lines),
        );
        family(
            &mut out,
            "fiveohone_lines_malformed_total",
            "counter",
            "Lines that no format read.",
            &one(self.malformed),
        );
        let segments = [
            (
                "method_class",
                "requests_total",
                "matched_requests_total",
                self.by_method(),
            ),
            (
                "device",
                "device_requests_total",
                "device_matched_requests_total",
                self.by_device(),
            ),
            (
                "upstream",
                "upstream_requests_total",
                "upstream_matched_requests_total",
                self.by_upstream(),
            ),
        ];
        for (label, requests, matched, rows) in segments {
            let all: Vec<(String, f64)> = rows
                .iter()
                .map(|(v, c)| (format!("{label}=\"{}\"", escape(v)), c.requests as f64))
                .collect();
            let hits: Vec<(String, f64)> = rows
                .iter()
                .map(|(v, c)| {
                    (
                        format!("status=\"{status}\",{label}=\"{}\"", escape(v)),
                        c.matched as f64,
                    )
                })
                .collect();
            family(
                &mut out,
                &format!("fiveohone_{requests}"),
                "counter",
                &format!("Requests, by {label}."),
                &all,
            );
            family(
                &mut out,
                &format!("fiveohone_{matched}"),
                "counter",
                &format!("Requests answered with a status in the set, by {label}."),
                &hits,
            );
        }
        let active: Vec<(String, f64)> = self
            .active
            .iter()
            .map(|(s, n)| (format!("scenario=\"{}\"", escape(s)), *n as f64))
            .collect();
        family(
            &mut out,
            "fiveohone_bursts_active",
            "gauge",
            "Bursts going on, by the scenario they are labelled with.",
            &active,
        );
        let events: Vec<(String, f64)> = ["started", "updated", "ended"]
            .iter()
            .map(|e| {
                (
                    format!("event=\"{e}\""),
                    self.events.get(e).copied().unwrap_or(0) as f64,
                )
            })
            .collect();
        family(
            &mut out,
            "fiveohone_burst_events_total",
            "counter",
            "Burst events reported.",
            &events,
        );
        if let Some(t) = self.last_event {
            family(
                &mut out,
                "fiveohone_last_event_timestamp_seconds",
                "gauge",
                "When the last burst event was reported.",
                &[(String::new(), t)],
            );
        }
        if let Some(t) = self.last_line {
            family(
                &mut out,
                "fiveohone_last_line_timestamp_seconds",
                "gauge",
                "Log time of the newest line read.",
                &[(String::new(), t as f64)],
            );
            family(
                &mut out,
                "fiveohone_lag_seconds",
                "gauge",
                "How far the newest line read is behind the wall clock.",
                &[(String::new(), (now - t as f64).max(0.0))],
            );
        }
        out
    }

    fn by_method(&self) -> Vec<(String, Counts)> {
        MethodClass::ALL
            .iter()
            .map(|m| (class(*m).to_string(), self.methods[*m as usize]))
            .collect()
    }

    fn by_device(&self) -> Vec<(String, Counts)> {
        Device::ALL
            .iter()
            .map(|d| (device(*d).to_string(), self.devices[*d as usize]))
            .collect()
    }

    fn by_upstream(&self) -> Vec<(String, Counts)> {
        self.upstreams
            .iter()
            .map(|(u, c)| (u.clone(), *c))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_lag_is_from_now() {
        let mut e = Exposition {
            status: "501".into(),
            last_line: Some(100),
            ..Exposition::default()
        };
        e.upstreams.insert(
            "a\"b\\c".into(),
            Counts {
                requests: 3,
                matched: 1,
            },
        );
        let text = e.render(130.0);
        assert!(
            text.contains("fiveohone_upstream_requests_total{upstream=\"a\\\"b\\\\c\"} 3"),
            "{text}"
        );
        assert!(text.contains(
            "fiveohone_upstream_matched_requests_total{status=\"501\",upstream=\"a\\\"b\\\\c\"} 1"
        ));
        assert!(text.contains("fiveohone_lag_seconds 30\n"), "{text}");
        assert!(text.contains("fiveohone_requests_total{method_class=\"GET\"} 0"));
    }
}
