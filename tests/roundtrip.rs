//! Property tests: fields generated at random, written as a server would
//! with each built-in grammar's own format string, parse back to the same
//! fields.

use chrono::{FixedOffset, TimeZone};
use fiveohone::grammar::{builtin, Grammar};
use fiveohone::record::Slot;
use fiveohone::timefmt::TimeCache;
use proptest::prelude::*;

/// The fields of one request, as the server would write them.
#[derive(Debug, Clone)]
struct Fields {
    client: String,
    user: String,
    time: i64,
    offset: i32,
    method: String,
    target: String,
    protocol: &'static str,
    status: u16,
    bytes: String,
    referer: String,
    agent: String,
    vhost: String,
    port: u16,
    forwarded: String,
    request_time: String,
    upstream: String,
    upstream_status: String,
}

/// A quoted header value with its quotes and backslashes escaped the way
/// Apache does (nginx writes `\x22`, which is plain bytes to the parser).
fn header() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("-".to_string()),
        "[ -~]{1,60}".prop_map(|s| s.replace('\\', "\\\\").replace('"', "\\\"")),
    ]
}

fn ip() -> impl Strategy<Value = String> {
    prop_oneof![
        (any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>())
            .prop_map(|(a, b, c, d)| format!("{a}.{b}.{c}.{d}")),
        prop::collection::vec(any::<u16>(), 8).prop_map(|g| g
            .iter()
            .map(|x| format!("{x:x}"))
            .collect::<Vec<_>>()
            .join(":")),
    ]
}

fn fields() -> impl Strategy<Value = Fields> {
    (
        (
            ip(),
            prop_oneof![Just("-".to_string()), "[a-z][a-z0-9._-]{0,11}"],
            // 2000-01-01 to 2037-12-31.
            946_684_800i64..2_145_916_800,
            (-48i32..=56).prop_map(|q| q * 900),
            "[A-Z]{3,9}",
            "/[A-Za-z0-9/._~%-]{0,50}(\\?[A-Za-z0-9=&%._-]{0,30})?",
            prop::sample::select(vec!["HTTP/1.0", "HTTP/1.1", "HTTP/2.0"]),
            100u16..=599,
            prop_oneof![
                Just("-".to_string()),
                (0u64..10_000_000_000).prop_map(|b| b.to_string())
            ],
        ),
        (
            header(),
            header(),
            "[a-z0-9-]{1,20}(\\.[a-z0-9-]{1,20}){0,3}",
            1u16..,
            prop_oneof![Just("-".to_string()), ip()],
            (0u32..600_000).prop_map(|ms| format!("{}.{:03}", ms / 1000, ms % 1000)),
            ip().prop_map(|a| format!("{a}:8080")),
            (100u16..=599).prop_map(|s| s.to_string()),
        ),
    )
        .prop_map(
            |(
                (client, user, time, offset, method, target, protocol, status, bytes),
                (referer, agent, vhost, port, forwarded, request_time, upstream, upstream_status),
            )| Fields {
                client,
                user,
                time,
                offset,
                method,
                target,
                protocol,
                status,
                bytes,
                referer,
                agent,
                vhost,
                port,
                forwarded,
                request_time,
                upstream,
                upstream_status,
            },
        )
}

impl Fields {
    fn clf_time(&self) -> String {
        let zone = FixedOffset::east_opt(self.offset).expect("offset in range");
        zone.timestamp_opt(self.time, 0)
            .single()
            .expect("a valid time")
            .format("%d/%b/%Y:%H:%M:%S %z")
            .to_string()
    }

    /// The value a format variable writes.
    fn value(&self, var: &str) -> String {
        match var {
            "$remote_addr" | "%h" | "%a" => self.client.clone(),
            "$remote_user" | "%u" => self.user.clone(),
            "%l" => "-".into(),
            "$time_local" | "%t" if var == "%t" => format!("[{}]", self.clf_time()),
            "$time_local" => self.clf_time(),
            "$request" | "%r" => format!("{} {} {}", self.method, self.target, self.protocol),
            "$status" | "%>s" => self.status.to_string(),
            "$body_bytes_sent" | "%b" | "%O" => self.bytes.clone(),
            "$http_referer" | "%{Referer}i" => self.referer.clone(),
            "$http_user_agent" | "%{User-Agent}i" => self.agent.clone(),
            "$http_x_forwarded_for" => self.forwarded.clone(),
            "$host" | "%v" => self.vhost.clone(),
            "%p" => self.port.to_string(),
            "$request_time" => self.request_time.clone(),
            "$upstream_addr" => self.upstream.clone(),
            "$upstream_status" => self.upstream_status.clone(),
            "$upstream_connect_time" | "$upstream_header_time" | "$upstream_response_time" => {
                self.request_time.clone()
            }
            "$request_length" | "%I" | "$upstream_response_length" => self.port.to_string(),
            "$proxy_upstream_name" => format!("default-{}-80", self.vhost),
            "$proxy_alternative_upstream_name" => String::new(),
            "$req_id" => format!("{:032x}", self.time),
            other => panic!("no value for {other}"),
        }
    }

    /// The line `g`'s format string writes for these fields (for JSON
    /// lines, nginx's variable names as keys, numbers unquoted).
    fn render(&self, g: &Grammar) -> String {
        if g.name() == "json" {
            return self.json();
        }
        let format = g.format();
        let mut out = String::new();
        let mut rest = format;
        while let Some(c) = rest.chars().next() {
            let var_len = match c {
                '$' => rest[1..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .map_or(rest.len(), |n| n + 1),
                '%' if rest[1..].starts_with('{') => rest.find('}').map_or(rest.len(), |n| n + 2),
                '%' if rest[1..].starts_with('>') => 3,
                '%' => 2,
                _ => 0,
            };
            if var_len == 0 {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            } else {
                out.push_str(&self.value(&rest[..var_len]));
                rest = &rest[var_len..];
            }
        }
        out
    }
}

impl Fields {
    fn json(&self) -> String {
        let string = |var: &str| format!("\"{}\":\"{}\"", &var[1..], self.value(var));
        let mut pairs: Vec<String> = [
            "$remote_addr",
            "$remote_user",
            "$time_local",
            "$request",
            "$body_bytes_sent",
            "$http_referer",
            "$http_user_agent",
            "$http_x_forwarded_for",
            "$host",
            "$request_time",
            "$upstream_addr",
            "$upstream_status",
        ]
        .into_iter()
        .map(string)
        .collect();
        // Keys in any order: the status (a number) goes in the middle.
        pairs.insert(
            self.port as usize % pairs.len(),
            format!("\"status\":{}", self.status),
        );
        format!("{{{}}}", pairs.join(","))
    }
}

/// The raw slot value, `None` for `-`.
fn slot_of(v: &str) -> Option<&[u8]> {
    (v != "-" && !v.is_empty()).then_some(v.as_bytes())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn generated_fields_round_trip_through_every_grammar(f in fields()) {
        for g in builtin::all() {
            let line = f.render(g);
            let parsed = g.parse(line.as_bytes(), &mut TimeCache::default());
            let parsed = match parsed {
                Ok(p) => p,
                Err(e) => {
                    return Err(TestCaseError::fail(format!(
                        "{}: {} in {line}",
                        g.name(),
                        g.explain(&e, line.as_bytes())
                    )))
                }
            };
            let r = &parsed.record;
            prop_assert!(!parsed.trailing(), "{}: {line}", g.name());
            prop_assert_eq!(r.time, f.time, "{}: {}", g.name(), line);
            prop_assert_eq!(r.status, f.status);
            prop_assert_eq!(r.method, f.method.as_bytes());
            prop_assert_eq!(r.target, f.target.as_bytes());
            prop_assert_eq!(r.protocol, f.protocol.as_bytes());
            let slots = [
                (Slot::Client, f.client.as_str()),
                (Slot::User, f.user.as_str()),
                (Slot::Bytes, f.bytes.as_str()),
                (Slot::Referer, f.referer.as_str()),
                (Slot::UserAgent, f.agent.as_str()),
                (Slot::Host, f.vhost.as_str()),
                (Slot::ForwardedFor, f.forwarded.as_str()),
                (Slot::RequestTime, f.request_time.as_str()),
                (Slot::UpstreamAddr, f.upstream.as_str()),
                (Slot::UpstreamStatus, f.upstream_status.as_str()),
            ];
            for (slot, value) in slots {
                if g.has_slot(slot) {
                    prop_assert_eq!(r.slot(slot), slot_of(value), "{}: {:?}", g.name(), slot);
                }
            }
        }
    }
}
