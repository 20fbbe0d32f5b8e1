//! Error-log layouts: nginx's fixed layout, Apache 2.4's default
//! `ErrorLogFormat` (and its variants) and Apache 2.2's.
//!
//! ```text
//! 2026/05/07 10:58:12 [error] 1210#1210: *4412 message, client: 1.2.3.4, server: x, request: "GET / HTTP/1.1", upstream: "http://10.0.1.12:8080/", host: "x"
//! [Thu May 07 10:58:12.123456 2026] [proxy:error] [pid 12:tid 34] (111)Connection refused: [client 1.2.3.4:5678] AH00957: HTTP: attempt to connect to 10.0.1.12:8080 (*) failed
//! [Thu May 07 10:58:12 2026] [error] [client 1.2.3.4] File does not exist: /var/www/favicon.ico
//! ```
//!
//! Times are local wall-clock times without a zone (except in the rarer
//! Apache layouts that write an offset); the caller turns them into UTC.

use memchr::memmem;
use nom::branch::alt;
use nom::bytes::complete::{tag, take, take_till1, take_while1, take_while_m_n};
use nom::character::complete::{char, digit1};
use nom::combinator::opt;
use nom::sequence::{delimited, preceded};
use nom::{IResult, Parser};

use crate::timefmt::{civil_to_unix, clf, digits, fail, fraction, hms, iso8601, month_abbr};

/// Which server wrote an error line.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Server {
    /// nginx.
    Nginx,
    /// Apache httpd.
    Apache,
}

impl Server {
    /// `nginx` or `apache`.
    pub fn name(self) -> &'static str {
        match self {
            Server::Nginx => "nginx",
            Server::Apache => "apache",
        }
    }
}

/// An error line's time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stamp {
    /// Local wall-clock seconds (as if UTC): the zone is not written.
    Local(i64),
    /// UTC seconds: the line carried its offset.
    Utc(i64),
}

/// One parsed error-log line, borrowing from the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorLine<'a> {
    /// Which layout it is in.
    pub server: Server,
    /// When.
    pub stamp: Stamp,
    /// `error`, `notice`, `warn`, `trace3`, …
    pub level: &'a [u8],
    /// Apache module (`core`, `proxy`), if written.
    pub module: Option<&'a [u8]>,
    /// The message, without the trailing key/value pairs (nginx) or the
    /// leading `[client …]` and trailing `, referer: …` (Apache).
    pub message: &'a [u8],
    /// Client address.
    pub client: Option<&'a [u8]>,
    /// The request line (`GET /x HTTP/1.1`), if the line names one.
    pub request: Option<&'a [u8]>,
    /// The upstream, if the line names one.
    pub upstream: Option<&'a [u8]>,
    /// The `Host` (nginx `host:`).
    pub host: Option<&'a [u8]>,
    /// Apache message code (`AH00957`).
    pub code: Option<&'a [u8]>,
}

impl<'a> ErrorLine<'a> {
    fn new(server: Server, stamp: Stamp, level: &'a [u8], message: &'a [u8]) -> Self {
        ErrorLine {
            server,
            stamp,
            level,
            module: None,
            message,
            client: None,
            request: None,
            upstream: None,
            host: None,
            code: None,
        }
    }
}

/// Parses a line in any of the error-log layouts.
pub fn parse(line: &[u8]) -> Option<ErrorLine<'_>> {
    match line.first()? {
        b'0'..=b'9' => nginx(line),
        _ => apache(line),
    }
}

/// `YYYY/MM/DD HH:MM:SS [level] pid#tid: [*cid ]message[, key: value]…`
fn nginx(line: &[u8]) -> Option<ErrorLine<'_>> {
    let head = |i| -> IResult<&[u8], (i64, &[u8])> {
        let (i, y) = digits(4)(i)?;
        let (i, _) = tag("/")(i)?;
        let (i, mo) = digits(2)(i)?;
        let (i, _) = tag("/")(i)?;
        let (i, d) = digits(2)(i)?;
        let (i, _) = tag(" ")(i)?;
        let (i, (h, mi, s)) = hms(i)?;
        let local = civil_to_unix(y, mo, d, h, mi, s).ok_or_else(|| fail(i))?;
        let (i, level) = delimited(
            tag(" ["),
            take_while1(|b: u8| b.is_ascii_alphabetic()),
            tag("] "),
        )
        .parse(i)?;
        let (i, _) = opt((digit1, char('#'), digit1, tag(": "))).parse(i)?;
        let (i, _) = opt((char('*'), digit1, char(' '))).parse(i)?;
        Ok((i, (local, level)))
    };
    let (rest, (local, level)) = head(line).ok()?;
    let mut event = ErrorLine::new(Server::Nginx, Stamp::Local(local), level, rest);
    if let Some(at) = memmem::find(rest, b", client: ") {
        event.message = &rest[..at];
        nginx_pairs(&rest[at + 2..], &mut event);
    }
    Some(event)
}

/// Reads nginx's trailing `key: value, key: "value"` pairs.
fn nginx_pairs<'a>(mut s: &'a [u8], event: &mut ErrorLine<'a>) {
    while let Some(colon) = memmem::find(s, b": ") {
        let key = &s[..colon];
        let rest = &s[colon + 2..];
        let (value, next) = if let Some(quoted) = rest.strip_prefix(b"\"") {
            // Up to the quote that ends the value: followed by `, ` or the end.
            let mut end = None;
            let mut from = 0;
            while let Some(q) = memchr::memchr(b'"', &quoted[from..]) {
                let p = from + q;
                let after = &quoted[p + 1..];
                if after.is_empty() || after.starts_with(b", ") {
                    end = Some(p);
                    break;
                }
                from = p + 1;
            }
            match end {
                Some(p) => (&quoted[..p], quoted.get(p + 3..).unwrap_or_default()),
                None => (quoted, &b""[..]),
            }
        } else {
            match memmem::find(rest, b", ") {
                Some(p) => (&rest[..p], &rest[p + 2..]),
                None => (rest, &b""[..]),
            }
        };
        match key {
            b"client" => event.client = Some(value),
            b"request" => event.request = Some(value),
            b"upstream" => event.upstream = Some(value),
            b"host" => event.host = Some(value),
            _ => {}
        }
        if next.is_empty() {
            break;
        }
        s = next;
    }
}

/// `Fri May 08 05:48:11[.123456] 2026` (day may be one digit, space-padded).
fn apache_ctime(i: &[u8]) -> IResult<&[u8], Stamp> {
    let (i, _) = (take(3usize), char(' ')).parse(i)?;
    let (i, mo) = month_abbr(i)?;
    let (i, _) = take_while1(|b| b == b' ')(i)?;
    let (i, d) = take_while_m_n(1, 2, |b: u8| b.is_ascii_digit())(i)?;
    let d = d.iter().fold(0u32, |n, &b| n * 10 + u32::from(b - b'0'));
    let (i, _) = char(' ')(i)?;
    let (i, (h, mi, s)) = hms(i)?;
    let (i, _) = opt(fraction).parse(i)?;
    let (i, y) = preceded(char(' '), digits(4)).parse(i)?;
    let local = civil_to_unix(y, mo, d, h, mi, s).ok_or_else(|| fail(i))?;
    Ok((i, Stamp::Local(local)))
}

/// A time written with its offset (ISO 8601 or CLF), as custom
/// `ErrorLogFormat`s write it.
fn apache_zoned(i: &[u8]) -> IResult<&[u8], Stamp> {
    let (i, (local, off)) = alt((iso8601, clf)).parse(i)?;
    Ok((
        i,
        off.map_or(Stamp::Local(local), |o| Stamp::Utc(local - o)),
    ))
}

/// `[time] [module:level] [pid N:tid M] message` (2.4) or
/// `[time] [level] message` (2.2).
fn apache(line: &[u8]) -> Option<ErrorLine<'_>> {
    let head = |i| -> IResult<&[u8], (Stamp, &[u8])> {
        // The `[` is sometimes lost when a line was cut by a copy or a tool.
        let (i, _) = opt(char('[')).parse(i)?;
        let (i, stamp) = alt((apache_ctime, apache_zoned)).parse(i)?;
        let (i, level) = delimited(tag("] ["), take_till1(|b| b == b']'), char(']')).parse(i)?;
        Ok((i, (stamp, level)))
    };
    let (rest, (stamp, tag_)) = head(line).ok()?;
    let (module, level) = match memchr::memrchr(b':', tag_) {
        Some(p) => (Some(&tag_[..p]).filter(|m| !m.is_empty()), &tag_[p + 1..]),
        None => (None, tag_),
    };
    if level.is_empty() || !level.iter().all(u8::is_ascii_alphanumeric) {
        return None;
    }
    let pid = |i| -> IResult<&[u8], ()> {
        let (i, _) = (
            tag(" [pid "),
            digit1,
            opt((tag(":tid "), digit1)),
            char(']'),
        )
            .parse(i)?;
        Ok((i, ()))
    };
    let rest = pid(rest).map_or(rest, |(r, _)| r);
    let mut message = rest.strip_prefix(b" ").unwrap_or(rest);
    let mut event = ErrorLine::new(Server::Apache, stamp, level, message);
    event.module = module;
    if let Some(at) = memmem::find(message, b"[client ") {
        let inner = &message[at + 8..];
        if let Some(end) = memchr::memchr(b']', inner) {
            event.client = Some(&inner[..end]);
            if at == 0 {
                let after = &inner[end + 1..];
                message = after.strip_prefix(b" ").unwrap_or(after);
            }
        }
    }
    if let Some(at) = memmem::rfind(message, b", referer: ") {
        message = &message[..at];
    }
    event.message = message;
    event.code = find_code(message);
    event.request = after_marker(message, b" in request ").map(trim_end);
    event.upstream = after_marker(message, b"connect to ")
        .or_else(|| after_marker(message, b"remote server "))
        .map(|s| s.split(|&b| b == b' ').next().unwrap_or(s));
    Some(event)
}

/// The `AHnnnnn` code in an Apache message.
fn find_code(message: &[u8]) -> Option<&[u8]> {
    memmem::find_iter(message, b"AH").find_map(|p| {
        let code = message.get(p..p + 7)?;
        (code[2..].iter().all(u8::is_ascii_digit) && message.get(p + 7) == Some(&b':'))
            .then_some(code)
    })
}

fn after_marker<'a>(message: &'a [u8], marker: &[u8]) -> Option<&'a [u8]> {
    memmem::find(message, marker).map(|p| &message[p + marker.len()..])
}

fn trim_end(s: &[u8]) -> &[u8] {
    let end = s
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |p| p + 1);
    &s[..end]
}

/// Whether a line that is not an error line continues the one before it:
/// indented lines, `PHP message:` lines, the rest of a message whose quote
/// is still open (nginx's `FastCGI sent in stderr: "…` spans lines), and
/// Apache's untimed start-up lines (`AH00558: apache2: Could not …`).
pub fn is_continuation(line: &[u8], quote_open: bool) -> bool {
    quote_open
        || line.first().is_some_and(|b| *b == b' ' || *b == b'\t')
        || line.starts_with(b"PHP message:")
        || line.starts_with(b"Stack trace:")
        || (line.starts_with(b"AH") && find_code(line).is_some_and(|c| line.starts_with(c)))
}

/// Whether a message leaves a double quote open (an odd number of
/// unescaped quotes).
pub fn opens_quote(message: &[u8]) -> bool {
    let mut open = false;
    let mut escaped = false;
    for &b in message {
        match b {
            b'\\' if !escaped => {
                escaped = true;
                continue;
            }
            b'"' if !escaped => open = !open,
            _ => {}
        }
        escaped = false;
    }
    open
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timefmt::parse_instant;

    fn local(s: &str) -> Stamp {
        Stamp::Local(parse_instant(s).unwrap())
    }

    #[test]
    fn nginx_with_pairs() {
        let line = br#"2026/05/07 11:03:40 [error] 1210#1210: *4412 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 37.24.250.107, server: www.example.com, request: "POST /api/v1/orders HTTP/2.0", upstream: "http://10.0.1.12:8080/api/v1/orders", host: "www.example.com""#;
        let e = parse(line).unwrap();
        assert_eq!(e.server, Server::Nginx);
        assert_eq!(e.stamp, local("2026-05-07T11:03:40Z"));
        assert_eq!(e.level, b"error");
        assert_eq!(
            e.message,
            b"upstream timed out (110: Connection timed out) while reading response header from upstream"
        );
        assert_eq!(e.client, Some(&b"37.24.250.107"[..]));
        assert_eq!(e.request, Some(&b"POST /api/v1/orders HTTP/2.0"[..]));
        assert_eq!(
            e.upstream,
            Some(&b"http://10.0.1.12:8080/api/v1/orders"[..])
        );
        assert_eq!(e.host, Some(&b"www.example.com"[..]));
    }

    #[test]
    fn nginx_without_connection_or_pairs() {
        let e = parse(b"2026/05/07 10:58:12 [notice] 1188#1188: signal 1 (SIGHUP) received from 1201, reconfiguring").unwrap();
        assert_eq!(
            e.message,
            b"signal 1 (SIGHUP) received from 1201, reconfiguring"
        );
        assert_eq!((e.level, e.client), (&b"notice"[..], None));
        // Messages with commas and quotes, and a quoted value holding `, `.
        let e = parse(br#"2026/05/07 10:58:12 [error] 7#7: *3 open() "/srv/a, b" failed (2: No such file or directory), client: ::1, server: _, request: "GET /a,%20b HTTP/1.1", host: "x""#).unwrap();
        assert_eq!(
            e.message,
            br#"open() "/srv/a, b" failed (2: No such file or directory)"#
        );
        assert_eq!(e.client, Some(&b"::1"[..]));
        assert_eq!(e.request, Some(&b"GET /a,%20b HTTP/1.1"[..]));
        assert!(parse(b"2026/05/07 10:58:12 notice 1188#1188: x").is_none());
        assert!(parse(b"2026/13/07 10:58:12 [notice] 1#1: x").is_none());
    }

    #[test]
    fn apache_24_variants() {
        let e = parse(b"[Fri May 08 05:48:11.123456 2026] [proxy:error] [pid 23964:tid 140] (111)Connection refused: [client 2001:db8::1:5678] AH00957: HTTP: attempt to connect to 10.1.0.244:9000 (hostname) failed").unwrap();
        assert_eq!(e.server, Server::Apache);
        assert_eq!(e.stamp, local("2026-05-08T05:48:11Z"));
        assert_eq!((e.module, e.level), (Some(&b"proxy"[..]), &b"error"[..]));
        assert_eq!(e.client, Some(&b"2001:db8::1:5678"[..]));
        assert_eq!(e.code, Some(&b"AH00957"[..]));
        assert_eq!(e.upstream, Some(&b"10.1.0.244:9000"[..]));

        let e = parse(b"[Tue Apr 04 06:28:08.605341 2017] [core:error] [pid 17962] [client 127.0.0.1:60444] AH00135: Invalid method in request FOO /").unwrap();
        assert_eq!(e.message, b"AH00135: Invalid method in request FOO /");
        assert_eq!(e.request, Some(&b"FOO /"[..]));
        assert_eq!(e.code, Some(&b"AH00135"[..]));

        let e = parse(b"[Mon Aug 31 06:29:47.406518 2015] [mpm_event:notice] [pid 24968:tid 1] AH00489: Apache/2.4.16 (Ubuntu) configured -- resuming normal operations").unwrap();
        assert_eq!(e.code, Some(&b"AH00489"[..]));
        assert_eq!(e.client, None);

        let e = parse(b"[Tue Apr 14 14:27:52.605084 2020] [:error] [pid 5688] [client 192.168.10.110:8196] script not found, referer: http://x/").unwrap();
        assert_eq!((e.module, e.message), (None, &b"script not found"[..]));

        // Zoned times from custom ErrorLogFormats.
        let e = parse(b"[2025-07-22 15:45:51.323610 +0200] [core:notice] [pid 1:tid 2] AH00094: Command line: 'httpd'").unwrap();
        assert_eq!(
            e.stamp,
            Stamp::Utc(parse_instant("2025-07-22T13:45:51Z").unwrap())
        );
        let e = parse(b"[01/Mar/2021:12:00:19 +0000] [ab:alert] [pid 4803:tid 3814] [client 1.2.3.4:24259] text").unwrap();
        assert_eq!(
            e.stamp,
            Stamp::Utc(parse_instant("2021-03-01T12:00:19Z").unwrap())
        );
    }

    #[test]
    fn apache_22_and_damaged_starts() {
        let e = parse(b"[Thu Jul 11 17:18:39 2002] [error] [client foo.example.com] client denied by server configuration: /x").unwrap();
        assert_eq!(e.level, b"error");
        assert_eq!(e.client, Some(&b"foo.example.com"[..]));
        assert_eq!(e.message, b"client denied by server configuration: /x");
        let e = parse(
            b"Sun Aug 5 16:23:04 2001] [error] [client 66.31.142.16] File does not exist: /x",
        )
        .unwrap();
        assert_eq!(e.stamp, local("2001-08-05T16:23:04Z"));
        let e = parse(b"[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok").unwrap();
        assert_eq!(e.message, b"workerEnv.init() ok");
        for bad in [
            &b"[Fri May 08 05:48:11 2026]"[..],
            b"[Fri May 08 05:48:11 2026] error",
            b"[10/Aug/2018:09:45:56 +0200] 172.30.0.119 TLSv1.2 x \"GET / HTTP/1.1\" 1375",
            b"1.2.3.4 - - [07/May/2026:10:00:01 +0000] \"GET / HTTP/1.1\" 200 5",
            b"",
        ] {
            assert!(parse(bad).is_none(), "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn continuations() {
        assert!(opens_quote(br#"FastCGI sent in stderr: "PHP message: x"#));
        assert!(!opens_quote(br#"open() "/a" failed"#));
        assert!(!opens_quote(br#"a "b \" c" d"#));
        assert!(is_continuation(b"PHP message: PHP Warning: x", false));
        assert!(is_continuation(b"  at frame", false));
        assert!(is_continuation(b"anything", true));
        assert!(!is_continuation(b"garbage", false));
        assert!(is_continuation(
            b"AH00558: apache2: Could not reliably determine the server's name",
            false
        ));
        assert!(!is_continuation(b"AHA: no", false));
    }
}
