//! JSON-lines access logs: one object per line (nginx `log_format …
//! escape=json '{…}'`, Apache `LogFormat "{…}"`, ingress controllers and
//! log shippers), keys in any order.
//!
//! A line is walked once, without building a document: each top-level
//! key is looked up in a table of names ([`Keys`]: the built-in one from
//! `grammars/json-keys.conf`, or one derived from a JSON `log_format`
//! template), and values are kept as the raw bytes between their quotes
//! (escapes left as written: `\"` and `\x22` alike). Nested objects and
//! arrays are read past. Numbers and strings are both accepted
//! (`"status":501` or `"status":"501"`).

use rustc_hash::FxHashMap;
use std::sync::OnceLock;

use super::compile::{apache_field, nginx_field};
use super::{parse_method, parse_status, Field, LineError, Parsed};
use crate::record::{Record, Slot};
use crate::timefmt::{TimeCache, TimeFormat};

/// The built-in key table.
const TABLE: &str = include_str!("../../grammars/json-keys.conf");

/// Longest key name looked up (longer keys are read past).
const MAX_KEY: usize = 48;

/// What a key holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Time,
    Status,
    Request,
    Method,
    Target,
    Protocol,
    Slot(Slot),
}

/// Why a line is not a JSON access-log line (a [`LineError`]'s item).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Why {
    NotObject,
    Syntax,
    NoTime,
    BadTime,
    NoStatus,
    BadStatus,
    NoRequest,
}

const WHYS: [Why; 7] = [
    Why::NotObject,
    Why::Syntax,
    Why::NoTime,
    Why::BadTime,
    Why::NoStatus,
    Why::BadStatus,
    Why::NoRequest,
];

fn fail(at: usize, why: Why) -> LineError {
    LineError {
        at,
        item: why as usize,
    }
}

/// Key names (lower case) and what they hold.
#[derive(Debug, Clone, Default)]
pub struct Keys {
    roles: FxHashMap<Box<[u8]>, Role>,
}

impl Keys {
    /// The built-in table of `grammars/json-keys.conf`.
    pub fn builtin() -> &'static Keys {
        static KEYS: OnceLock<Keys> = OnceLock::new();
        KEYS.get_or_init(|| {
            let mut keys = Keys::default();
            for line in TABLE.lines().map(str::trim) {
                let Some((role, names)) = line.split_once(':').filter(|_| !line.starts_with('#'))
                else {
                    continue;
                };
                if let Some(role) = role_named(role.trim()) {
                    for name in names.split_whitespace() {
                        keys.insert(name.as_bytes(), role);
                    }
                }
            }
            keys
        })
    }

    /// The keys of a JSON `log_format` template (`{"t":"$time_iso8601",
    /// "s":$status}`), each mapped through the variable it holds, then the
    /// built-in names for keys the template does not map. `None` when the
    /// template is not a JSON object.
    pub fn from_template(template: &str, nginx: bool) -> Option<Keys> {
        let mut keys = Keys::builtin().clone();
        let mut mapped = 0;
        walk(template.trim().as_bytes(), |key, value| {
            match template_role(value, nginx) {
                Some(role) => {
                    keys.insert(key, role);
                    mapped += 1;
                }
                // The template says what the key holds: nothing read.
                None => {
                    keys.roles.remove(&*key.to_ascii_lowercase());
                }
            }
            Ok(())
        })
        .ok()?;
        (mapped > 0).then_some(keys)
    }

    fn insert(&mut self, name: &[u8], role: Role) {
        self.roles.insert(name.to_ascii_lowercase().into(), role);
    }

    /// The role of `key`, in any letter case.
    #[inline]
    fn role(&self, key: &[u8]) -> Option<Role> {
        let mut lower = [0u8; MAX_KEY];
        let lower = lower.get_mut(..key.len())?;
        for (l, k) in lower.iter_mut().zip(key) {
            *l = k.to_ascii_lowercase();
        }
        self.roles.get(&*lower).copied()
    }

    /// Whether some key holds `slot`.
    pub fn has_slot(&self, slot: Slot) -> bool {
        self.roles.values().any(|&r| r == Role::Slot(slot))
    }

    /// Number of distinct things the table reads.
    pub fn field_count(&self) -> usize {
        let mut roles: Vec<Role> = self.roles.values().copied().collect();
        roles.sort_by_key(|r| format!("{r:?}"));
        roles.dedup();
        roles.len()
    }

    /// Parses one line.
    pub fn parse<'a>(
        &self,
        line: &'a [u8],
        times: &mut TimeCache,
    ) -> Result<Parsed<'a>, LineError> {
        let mut record = Record::new(0, 0);
        let (mut time, mut status) = (None, None);
        let (mut method, mut target, mut request) = (None, None, false);
        let end = walk(line, |key, value| {
            // A key's first value counts.
            match self.role(key) {
                Some(Role::Time) if time.is_none() => time = Some(value),
                Some(Role::Status) if status.is_none() => status = Some(value),
                Some(Role::Request) if !request => {
                    record.set_request(value);
                    request = true;
                }
                Some(Role::Method) if method.is_none() => method = Some(value),
                Some(Role::Target) if target.is_none() => target = Some(value),
                Some(Role::Protocol) => record.protocol = value,
                Some(Role::Slot(slot)) => record.set_slot(slot, value),
                _ => {}
            }
            Ok(())
        })?;
        let at = line.len();
        let raw = time.ok_or(fail(at, Why::NoTime))?;
        record.time = times
            .parse(&time_format(raw), raw)
            .ok_or(fail(at, Why::BadTime))?;
        record.time_raw = raw;
        let status = status.ok_or(fail(at, Why::NoStatus))?;
        record.status = parse_status(status).ok_or(fail(at, Why::BadStatus))?;
        if let Some(m) = method {
            record.method = parse_method(m);
        }
        if let Some(t) = target {
            record.target = t;
        }
        if !request && target.is_none() {
            return Err(fail(at, Why::NoRequest));
        }
        let rest = line[end..].trim_ascii();
        Ok(Parsed { record, rest })
    }

    /// The zone offset written in `line`'s time, if it has one.
    pub fn time_offset(&self, line: &[u8]) -> Option<i64> {
        let mut time = None;
        walk(line, |key, value| {
            if time.is_none() && self.role(key) == Some(Role::Time) {
                time = Some(value);
            }
            Ok(())
        })
        .ok()?;
        let raw = time?;
        time_format(raw).offset(raw)
    }
}

/// The raw values of keys `first` (required) and `second` in the object
/// `line` holds, if it is one.
pub(super) fn pair_values<'a>(
    line: &'a [u8],
    first: &[u8],
    second: &[u8],
) -> Option<(&'a [u8], Option<&'a [u8]>)> {
    let (mut a, mut b) = (None, None);
    walk(line, |key, value| {
        if key == first {
            a = Some(value);
        } else if key == second {
            b = Some(value);
        }
        Ok(())
    })
    .ok()?;
    Some((a?, b))
}

/// Describes why `line` is not a JSON access-log line.
pub fn explain(err: &LineError, line: &[u8]) -> String {
    let at = err.at + 1;
    let shown = |keys: &str| format!("no {keys} key");
    match WHYS.get(err.item) {
        Some(Why::NotObject) => "not a JSON object (no `{` first)".into(),
        Some(Why::Syntax) => format!("JSON syntax error at byte {at}"),
        Some(Why::NoTime) => shown("time (time_iso8601, time, @timestamp, …)"),
        Some(Why::NoStatus) => shown("status"),
        Some(Why::NoRequest) => shown("request (request, request_uri, uri, path, …)"),
        Some(Why::BadTime) | Some(Why::BadStatus) | None => {
            let what = if WHYS.get(err.item) == Some(&Why::BadStatus) {
                "status"
            } else {
                "time"
            };
            let line = line.get(..80).unwrap_or(line);
            format!(
                "bad {what} in `{}`",
                String::from_utf8_lossy(line).trim_end()
            )
        }
    }
}

/// How a time value is written: epoch seconds (`$msec`), milliseconds,
/// or text (ISO 8601 or the Common Log Format, both accepted).
fn time_format(raw: &[u8]) -> TimeFormat {
    let digits = raw.iter().take_while(|b| b.is_ascii_digit()).count();
    let numeric = digits > 0 && raw.iter().all(|&b| b.is_ascii_digit() || b == b'.');
    match (numeric, digits) {
        (true, 16..) => TimeFormat::EpochMicros,
        (true, 13..) => TimeFormat::EpochMillis,
        (true, _) => TimeFormat::EpochSecs,
        _ => TimeFormat::Iso8601,
    }
}

/// The role of a key whose template value holds a variable.
fn template_role(value: &[u8], nginx: bool) -> Option<Role> {
    let text = std::str::from_utf8(value).ok()?;
    let field = if nginx {
        let var = text.split('$').nth(1)?;
        let name: String = var
            .trim_start_matches('{')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        nginx_field(&name)
    } else {
        let directive = text.split_once('%')?.1.trim_start_matches(['>', '<']);
        let (arg, letter) = match directive.strip_prefix('{') {
            Some(rest) => {
                let (arg, after) = rest.split_once('}')?;
                (
                    Some(arg),
                    after.trim_start_matches(['>', '<']).chars().next()?,
                )
            }
            None => (
                None,
                directive.trim_start_matches(['>', '<']).chars().next()?,
            ),
        };
        apache_field(arg, letter).ok()?
    };
    match field {
        Field::Time(_) => Some(Role::Time),
        Field::Status => Some(Role::Status),
        Field::Request => Some(Role::Request),
        Field::Method => Some(Role::Method),
        Field::Target => Some(Role::Target),
        Field::Slot(slot) => Some(Role::Slot(slot)),
        Field::Zone | Field::Size | Field::Skip => None,
    }
}

fn role_named(name: &str) -> Option<Role> {
    Some(match name {
        "time" => Role::Time,
        "status" => Role::Status,
        "request" => Role::Request,
        "method" => Role::Method,
        "target" => Role::Target,
        "protocol" => Role::Protocol,
        "client" => Role::Slot(Slot::Client),
        "user" => Role::Slot(Slot::User),
        "bytes" => Role::Slot(Slot::Bytes),
        "referer" => Role::Slot(Slot::Referer),
        "user_agent" => Role::Slot(Slot::UserAgent),
        "host" => Role::Slot(Slot::Host),
        "upstream_addr" => Role::Slot(Slot::UpstreamAddr),
        "upstream_status" => Role::Slot(Slot::UpstreamStatus),
        "request_time" => Role::Slot(Slot::RequestTime),
        "forwarded_for" => Role::Slot(Slot::ForwardedFor),
        _ => return None,
    })
}

/// Walks the top-level pairs of the object `line` holds, calling `pair`
/// with each key and raw value (strings without their quotes; nested
/// objects and arrays, no field of ours, as Caddy's `"request":{…}`, are
/// read past); returns where the object ends.
fn walk<'a>(
    line: &'a [u8],
    mut pair: impl FnMut(&'a [u8], &'a [u8]) -> Result<(), LineError>,
) -> Result<usize, LineError> {
    let mut at = skip_space(line, 0);
    if line.get(at) != Some(&b'{') {
        return Err(fail(at, Why::NotObject));
    }
    at = skip_space(line, at + 1);
    if line.get(at) == Some(&b'}') {
        return Ok(at + 1);
    }
    loop {
        let (key, after) = string(line, at)?;
        at = skip_space(line, after);
        if line.get(at) != Some(&b':') {
            return Err(fail(at, Why::Syntax));
        }
        at = skip_space(line, at + 1);
        let nested = matches!(line.get(at), Some(b'{' | b'['));
        let (value, after) = value(line, at)?;
        if !nested {
            pair(key, value)?;
        }
        at = skip_space(line, after);
        match line.get(at) {
            Some(b',') => at = skip_space(line, at + 1),
            Some(b'}') => return Ok(at + 1),
            _ => return Err(fail(at, Why::Syntax)),
        }
    }
}

fn skip_space(line: &[u8], mut at: usize) -> usize {
    while line.get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    at
}

/// The string starting at `at` (a quote): its raw content and where it
/// ends.
#[inline]
fn string(line: &[u8], at: usize) -> Result<(&[u8], usize), LineError> {
    if line.get(at) != Some(&b'"') {
        return Err(fail(at, Why::Syntax));
    }
    let start = at + 1;
    let mut from = start;
    loop {
        let rest = line.get(from..).unwrap_or_default();
        match memchr::memchr2(b'"', b'\\', rest) {
            Some(i) if rest[i] == b'"' => {
                let end = from + i;
                return Ok((&line[start..end], end + 1));
            }
            Some(i) => from += i + 2,
            None => return Err(fail(at, Why::Syntax)),
        }
    }
}

/// The value starting at `at`: a string's content, a number or word as
/// written, or a nested object or array whole.
fn value(line: &[u8], at: usize) -> Result<(&[u8], usize), LineError> {
    match line.get(at) {
        Some(b'"') => string(line, at),
        Some(b'{' | b'[') => nested(line, at),
        Some(_) => {
            let len = line[at..]
                .iter()
                .position(|b| matches!(b, b',' | b'}' | b']') || b.is_ascii_whitespace())
                .unwrap_or(line.len() - at);
            Ok((&line[at..at + len], at + len))
        }
        None => Err(fail(at, Why::Syntax)),
    }
}

/// A nested object or array starting at `at`, whole.
fn nested(line: &[u8], at: usize) -> Result<(&[u8], usize), LineError> {
    let mut depth = 0usize;
    let mut i = at;
    while let Some(&b) = line.get(i) {
        match b {
            b'"' => {
                i = string(line, i)?.1;
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return Ok((&line[at..=i], i + 1));
                }
            }
            _ => {}
        }
        i += 1;
    }
    Err(fail(at, Why::Syntax))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timefmt::parse_instant;

    fn parse(keys: &Keys, line: &[u8]) -> Record<'static> {
        let line: &'static [u8] = Box::leak(line.to_vec().into_boxed_slice());
        keys.parse(line, &mut TimeCache::default())
            .unwrap_or_else(|e| panic!("{}", explain(&e, line)))
            .record
    }

    #[test]
    fn keys_in_any_order_numbers_or_strings() {
        let keys = Keys::builtin();
        let a = parse(
            keys,
            br#"{"time_iso8601":"2026-05-07T10:00:01+02:00","remote_addr":"203.0.113.5","request":"PATCH /api/v1/items/9 HTTP/1.1","status":501,"body_bytes_sent":0,"http_user_agent":"Dalvik/2.1.0 (Linux; U; Android 14)","upstream_addr":"10.0.0.7:8080","request_time":0.004}"#,
        );
        let b = parse(
            keys,
            br#"{ "Status": "501", "@timestamp": "2026-05-07T08:00:01.123Z", "method": "PATCH", "path": "/api/v1/items/9", "client_ip": "203.0.113.5", "user_agent": "Dalvik/2.1.0 (Linux; U; Android 14)", "upstream": "10.0.0.7:8080", "extra": {"a": [1, "}"]} }"#,
        );
        for r in [&a, &b] {
            assert_eq!(r.time, parse_instant("2026-05-07T08:00:01Z").unwrap());
            assert_eq!(r.status, 501);
            assert_eq!(r.method, b"PATCH");
            assert_eq!(r.target, b"/api/v1/items/9");
            assert_eq!(r.slot(Slot::Client), Some(&b"203.0.113.5"[..]));
            assert_eq!(r.slot(Slot::UpstreamAddr), Some(&b"10.0.0.7:8080"[..]));
            assert!(r.slot(Slot::UserAgent).unwrap().starts_with(b"Dalvik"));
        }
        let epoch = parse(
            keys,
            br#"{"msec":"1778140801.123","status":"404","uri":"/x","time_local":"07/May/2026:10:00:01 +0200"}"#,
        );
        assert_eq!(epoch.time, 1_778_140_801);
        assert_eq!(epoch.method, b"-");
    }

    #[test]
    fn escapes_stay_as_written_and_bad_lines_say_why() {
        let keys = Keys::builtin();
        let r = parse(
            keys,
            br#"{"time":"2026-05-07T10:00:01Z","status":200,"request":"GET /a?q=\"x\\\" HTTP/1.1","http_user_agent":"a\u0022b"}"#,
        );
        assert_eq!(r.target, br#"/a?q=\"x\\\""#);
        assert_eq!(r.slot(Slot::UserAgent), Some(&br#"a\u0022b"#[..]));
        for (line, want) in [
            (
                &b"1.2.3.4 - - [07/May/2026:10:00:01 +0000] \"GET / HTTP/1.1\" 200 5"[..],
                "not a JSON object",
            ),
            (br#"{"time":"2026-05-07T10:00:01Z","status":200"#, "syntax"),
            (br#"{"status":200,"request":"GET / HTTP/1.1"}"#, "no time"),
            (
                br#"{"time":"2026-05-07T10:00:01Z","request":"GET / HTTP/1.1"}"#,
                "no status",
            ),
            (
                br#"{"time":"2026-05-07T10:00:01Z","status":"abc","uri":"/"}"#,
                "bad status",
            ),
            (
                br#"{"time":"yesterday","status":200,"uri":"/"}"#,
                "bad time",
            ),
            (
                br#"{"log":"1.2.3.4 - - ...\n","stream":"stdout","time":"2026-06-03T10:00:01.1Z"}"#,
                "no status",
            ),
        ] {
            let err = keys.parse(line, &mut TimeCache::default()).unwrap_err();
            let said = explain(&err, line);
            assert!(said.contains(want), "{said}");
        }
    }

    #[test]
    fn a_template_maps_its_own_keys() {
        let keys = Keys::from_template(
            r#"{"t":"$time_iso8601","s":$status,"r":"$request","who":"$remote_addr","ua":"$http_user_agent","node":"$upstream_addr"}"#,
            true,
        )
        .unwrap();
        let r = parse(
            &keys,
            br#"{"node":"10.0.0.7:8080","ua":"okhttp/4.12.0","s":501,"t":"2026-05-07T10:00:01Z","r":"PUT /v2/carts/1 HTTP/1.1","who":"198.51.100.4"}"#,
        );
        assert_eq!(r.status, 501);
        assert_eq!(r.slot(Slot::UpstreamAddr), Some(&b"10.0.0.7:8080"[..]));
        assert_eq!(r.slot(Slot::Client), Some(&b"198.51.100.4"[..]));
        let apache = Keys::from_template(
            r#"{ "when": "%{%Y-%m-%dT%H:%M:%S%z}t", "code": "%>s", "line": "%r", "agent": "%{User-Agent}i" }"#,
            false,
        )
        .unwrap();
        let r = parse(
            &apache,
            br#"{ "when": "2026-05-07T10:00:01+0000", "code": "501", "line": "SEARCH / HTTP/1.1", "agent": "-" }"#,
        );
        assert_eq!((r.status, r.method), (501, &b"SEARCH"[..]));
        assert!(Keys::from_template("$remote_addr [$time_local]", true).is_none());
        // A key the template fills with something else loses its built-in
        // meaning: `status` here is the cache status.
        let cache = Keys::from_template(
            r#"{"time":"$time_iso8601","code":$status,"status":"$upstream_cache_status","uri":"$request_uri"}"#,
            true,
        )
        .unwrap();
        let r = parse(
            &cache,
            br#"{"time":"2026-05-07T10:00:01Z","code":501,"status":"MISS","uri":"/x"}"#,
        );
        assert_eq!(r.status, 501);
    }

    #[test]
    fn nested_values_and_long_epochs() {
        // Caddy-like nesting is read past, not taken as the request.
        let r = parse(
            Keys::builtin(),
            br#"{"ts":1778148001123456,"request":{"method":"GET","uri":"/"},"uri":"/api/x","status":501}"#,
        );
        assert_eq!(
            (r.time, r.status, r.target),
            (1_778_148_001, 501, &b"/api/x"[..])
        );
        assert_eq!(r.method, b"-");
    }
}
