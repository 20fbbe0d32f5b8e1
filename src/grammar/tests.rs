use super::*;
use crate::timefmt::parse_instant;

fn g(name: &str) -> &'static Grammar {
    builtin::by_name(name).unwrap_or_else(|| panic!("no built-in {name}"))
}

fn parse<'a>(grammar: &Grammar, line: &'a [u8]) -> Parsed<'a> {
    grammar
        .parse(line, &mut TimeCache::default())
        .unwrap_or_else(|e| panic!("{}: {}", grammar.name(), grammar.explain(&e, line)))
}

fn utc(s: &str) -> i64 {
    parse_instant(s).unwrap()
}

#[test]
fn all_builtins_compile() {
    assert_eq!(
        builtin::names(),
        [
            "nginx-combined",
            "nginx-main",
            "nginx-upstream",
            "nginx-upstreaminfo",
            "apache-common",
            "apache-combined",
            "apache-vhost-combined",
            "apache-vhost-common",
            "apache-combinedio",
            "json"
        ]
    );
}

#[test]
fn nginx_combined() {
    let line = br#"203.0.113.7 - alice [07/May/2026:10:00:01 +0200] "PROPFIND /dav/files/42?depth=1 HTTP/1.1" 501 173 "https://example.com/" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)""#;
    let p = parse(g("nginx-combined"), line);
    let r = &p.record;
    assert!(!p.trailing());
    assert_eq!(r.time, utc("2026-05-07T08:00:01Z"));
    assert_eq!(r.status, 501);
    assert_eq!(r.method, b"PROPFIND");
    assert_eq!(r.target, b"/dav/files/42?depth=1");
    assert_eq!(r.protocol, b"HTTP/1.1");
    assert_eq!(r.slot(Slot::Client), Some(&b"203.0.113.7"[..]));
    assert_eq!(r.slot(Slot::User), Some(&b"alice"[..]));
    assert_eq!(r.slot(Slot::Bytes), Some(&b"173"[..]));
    assert_eq!(r.slot(Slot::Referer), Some(&b"https://example.com/"[..]));
    assert!(r
        .slot(Slot::UserAgent)
        .unwrap()
        .starts_with(b"Mozilla/5.0 (iPhone"));
}

#[test]
fn nginx_main_and_upstream() {
    let main = br#"10.0.0.1 - - [07/May/2026:10:00:01 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/8.5" "198.51.100.1, 10.0.0.2""#;
    let p = parse(g("nginx-main"), main);
    assert_eq!(
        p.record.slot(Slot::ForwardedFor),
        Some(&b"198.51.100.1, 10.0.0.2"[..])
    );
    assert_eq!(p.record.slot(Slot::Referer), None);
    // A combined grammar reads it too, with the extra field left over.
    assert!(parse(g("nginx-combined"), main).trailing());

    let up = br#"10.0.0.1 - - [07/May/2026:10:00:01 +0000] "POST /api/v1/orders HTTP/2.0" 501 0 "-" "okhttp/4.12.0" rt=0.004 uct="0.001" uht="0.004" urt="0.004" ua="10.1.0.12:8080" us="501" host=shop.example.com"#;
    let r = parse(g("nginx-upstream"), up).record;
    assert_eq!(r.slot(Slot::UpstreamAddr), Some(&b"10.1.0.12:8080"[..]));
    assert_eq!(r.slot(Slot::UpstreamStatus), Some(&b"501"[..]));
    assert_eq!(r.slot(Slot::RequestTime), Some(&b"0.004"[..]));
    assert_eq!(r.slot(Slot::Host), Some(&b"shop.example.com"[..]));
}

#[test]
fn apache_common_combined_vhost() {
    let common = br#"::1 - - [26/Dec/2016:16:16:29 +0200] "GET /favicon.ico HTTP/1.1" 404 -"#;
    let r = parse(g("apache-common"), common).record;
    assert_eq!(r.slot(Slot::Client), Some(&b"::1"[..]));
    assert_eq!(r.slot(Slot::Bytes), None, "%b writes - for zero bytes");
    assert_eq!(r.time, utc("2016-12-26T14:16:29Z"));

    let combined = br#"2001:db8::1 - - [07/May/2026:10:00:01 -0700] "GET /a HTTP/1.1" 200 12 "-" "Mozilla/5.0 \"quoted\" UA""#;
    let r = parse(g("apache-combined"), combined).record;
    assert_eq!(
        r.slot(Slot::UserAgent),
        Some(&br#"Mozilla/5.0 \"quoted\" UA"#[..])
    );
    assert_eq!(r.time, utc("2026-05-07T17:00:01Z"));

    let vhost = br#"www.example.com:443 198.51.100.4 - - [07/May/2026:10:00:01 +0000] "TRACE / HTTP/1.1" 501 220 "-" "nmap""#;
    let r = parse(g("apache-vhost-combined"), vhost).record;
    assert_eq!(r.slot(Slot::Host), Some(&b"www.example.com"[..]));
    assert_eq!(r.slot(Slot::Client), Some(&b"198.51.100.4"[..]));
    assert_eq!((r.method, r.status), (&b"TRACE"[..], 501));
}

#[test]
fn lenient_about_what_servers_write() {
    let nginx = g("nginx-combined");
    // nginx escapes quotes and binary as \xHH; TLS handshakes on a plain port.
    let tls = br#"192.0.2.9 - - [07/May/2026:10:00:01 +0000] "\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" 400 157 "-" "-""#;
    let r = parse(nginx, tls).record;
    assert_eq!((r.method, r.status), (crate::record::INVALID_METHOD, 400));
    // `-` request (408 timeouts).
    let r = parse(
        nginx,
        br#"192.0.2.9 - - [07/May/2026:10:00:01 +0000] "-" 408 0 "-" "-""#,
    )
    .record;
    assert_eq!((r.method, r.status), (&b"-"[..], 408));
    // Non-UTF-8 bytes in the target and the user agent.
    let r = parse(nginx, b"192.0.2.9 - - [07/May/2026:10:00:01 +0000] \"GET /caf\xe9 HTTP/1.1\" 200 1 \"-\" \"\xff\xfe\"").record;
    assert_eq!(r.target, b"/caf\xe9");
    // Escaped quote inside the request (Apache style).
    let r = parse(
        g("apache-combined"),
        br#"192.0.2.9 - - [07/May/2026:10:00:01 +0000] "GET /q=\"x\" HTTP/1.1" 200 1 "-" "-""#,
    )
    .record;
    assert_eq!(r.target, br#"/q=\"x\""#);
}

#[test]
fn malformed_lines_say_where() {
    let nginx = g("nginx-combined");
    let mut times = TimeCache::default();
    for bad in [
        &b"random text"[..],
        br#"192.0.2.9 - - [07/May/2026:10:00:01 +0000] "GET / HTTP/1.1" 2xx 1 "-" "-""#,
        br#"192.0.2.9 - - [07/Foo/2026:10:00:01 +0000] "GET / HTTP/1.1" 200 1 "-" "-""#,
        br#"192.0.2.9 - - [07/May/2026:10:00:01 +0000] "GET / HTT"#,
        b"",
    ] {
        let err = nginx.parse(bad, &mut times).unwrap_err();
        assert!(!nginx.explain(&err, bad).is_empty());
    }
    let line = br#"192.0.2.9 - - [07/May/2026:10:00:01 +0000] "GET / HTTP/1.1" 2xx 1 "-" "-""#;
    let err = nginx.parse(line, &mut times).unwrap_err();
    let at = line.windows(3).position(|w| w == b"2xx").unwrap() + 1;
    assert_eq!(
        nginx.explain(&err, line),
        format!("bad status `2xx` at byte {at}")
    );
    let line = "192.0.2.9 - - [07/déc./2026:10:00:01 +0100] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"";
    let err = nginx.parse(line.as_bytes(), &mut times).unwrap_err();
    assert_eq!(
        nginx.explain(&err, line.as_bytes()),
        "bad time `07/déc./2026:10:00:01 +0100` at byte 16 (month `déc.` is not an English \
         abbreviation; nginx and Apache write Jan to Dec whatever the locale, so another \
         program wrote this line)"
    );
}

#[test]
fn custom_nginx_format_with_upstream_fields() {
    let grammar = compile(
        "custom",
        r#"log_format edge escape=default '$host $remote_addr [$time_iso8601] "$request" '
                  '$status $body_bytes_sent $request_time "$http_x_forwarded_for" '
                  '$upstream_addr $upstream_status "$http_user_agent"';"#,
    )
    .unwrap();
    let line = br#"api.example.com 203.0.113.5 [2026-05-07T10:00:01+02:00] "PUT /v1/items/9 HTTP/1.1" 501 0 0.002 "-" 10.0.0.7:8080 501 "Dalvik/2.1.0 (Linux; U; Android 14)""#;
    let r = parse(&grammar, line).record;
    assert_eq!(r.time, utc("2026-05-07T08:00:01Z"));
    assert_eq!(r.slot(Slot::Host), Some(&b"api.example.com"[..]));
    assert_eq!(r.slot(Slot::UpstreamAddr), Some(&b"10.0.0.7:8080"[..]));
    assert_eq!(r.slot(Slot::UpstreamStatus), Some(&b"501"[..]));
    assert_eq!(r.slot(Slot::RequestTime), Some(&b"0.002"[..]));
    assert!(r.slot(Slot::UserAgent).unwrap().starts_with(b"Dalvik"));
}

#[test]
fn custom_apache_format_with_timing_and_headers() {
    let grammar = compile(
        "custom",
        r#"LogFormat "%v %a %t \"%m %U%q %H\" %>s %D %T \"%{User-Agent}i\"" timed"#,
    )
    .unwrap();
    let line = br#"shop.example.com 198.51.100.2 [07/May/2026:10:00:01 +0000] "SEARCH /index.php?x=1 HTTP/1.1" 501 1532 0 "curl/8""#;
    let r = parse(&grammar, line).record;
    assert_eq!(r.method, b"SEARCH");
    assert_eq!(r.target, b"/index.php?x=1");
    assert_eq!(r.slot(Slot::RequestTime), Some(&b"1532"[..]));
    assert_eq!(r.slot(Slot::Host), Some(&b"shop.example.com"[..]));
    // A bare Apache string, as in the config with its quoting, works too.
    let bare = compile("custom", r#""%h %l %u %t \"%r\" %>s %b""#).unwrap();
    assert_eq!(bare.format(), g("apache-common").format());
    // Apache's documented millisecond layout: time, fraction and zone apart.
    let split = compile(
        "custom",
        r#"%h [%{%d/%b/%Y:%H:%M:%S}t.%{msec_frac}t %{%z}t] "%r" %>s"#,
    )
    .unwrap();
    let r = parse(
        &split,
        br#"1.2.3.4 [07/May/2026:11:00:00.123 +0200] "GET / HTTP/1.1" 501"#,
    )
    .record;
    assert_eq!(r.time, utc("2026-05-07T09:00:00Z"));
    // %{…}t strftime and epoch times.
    let epoch = compile("custom", r#"%{sec}t %h "%r" %s"#).unwrap();
    let r = parse(&epoch, br#"1778148001 192.0.2.1 "GET / HTTP/1.1" 501"#).record;
    assert_eq!(r.time, utc("2026-05-07T10:00:01Z"));
}

#[test]
fn bad_formats_point_at_the_spot() {
    let cases = [
        ("$remote_addr [$time_local] $status", "no request field"),
        ("%h %t \"%r\"", "no status field"),
        ("%h %Z %t \"%r\" %s", "unknown Apache format directive `%Z`"),
        ("%h %t \"%r\" %>s %{User-Agent", "unclosed `%{`"),
        (
            "$remote_addr$remote_user [$time_local] \"$request\" $status",
            "directly followed by",
        ),
        (
            "log_format x '$remote_addr [$time_local] \"$request\" $status",
            "unclosed quote: this ' has no closing '",
        ),
        (
            "log_format x '$remote_addr [$time_local] \"$request\" $status'",
            "cannot read this directive",
        ),
    ];
    for (format, want) in cases {
        let err = compile("custom", format).unwrap_err();
        assert!(err.message.contains(want), "{format}: got {}", err.message);
        assert!(err.to_string().contains('^'));
    }
    let err = compile("custom", "%h %Z %t \"%r\" %s").unwrap_err();
    assert_eq!(err.at, 3);
}

#[test]
fn detection_picks_the_format_that_fits() {
    use detect::Content;
    let detect = |text: &[u8], apache: bool| {
        let lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
        detect::detect(&lines, apache)
    };
    let name = |c: Content| match c {
        Content::Access(i) => builtin::all()[i].name().to_string(),
        other => format!("{other:?}"),
    };
    let combined =
        b"1.2.3.4 - - [07/May/2026:10:00:01 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\"\n";
    assert_eq!(name(detect(combined, false)), "nginx-combined");
    assert_eq!(name(detect(combined, true)), "apache-combined");
    let common = b"1.2.3.4 - - [07/May/2026:10:00:01 +0000] \"GET / HTTP/1.1\" 200 5\n";
    assert_eq!(name(detect(common, false)), "apache-common");
    let main =
        b"1.2.3.4 - - [07/May/2026:10:00:01 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\" \"-\"\n";
    assert_eq!(name(detect(main, false)), "nginx-main");
    let vhost = b"example.com:80 1.2.3.4 - - [07/May/2026:10:00:01 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\"\n";
    assert_eq!(name(detect(vhost, false)), "apache-vhost-combined");
    let nginx_error = b"2026/05/07 10:00:01 [notice] 12#12: signal process started\n";
    assert_eq!(detect(nginx_error, false), Content::ErrorLog);
    let apache_error =
        b"[Thu May 07 10:00:01.123456 2026] [mpm_event:notice] [pid 1:tid 2] AH00489: resuming\n";
    assert_eq!(detect(apache_error, false), Content::ErrorLog);
    assert_eq!(detect(b"hello\nworld\n", false), Content::Unknown);
    assert_eq!(detect(b"\n\n", false), Content::Empty);
}

#[test]
fn fields_after_a_known_format_keep_the_format() {
    use detect::Content;
    let detect = |text: &[u8]| {
        let lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
        match detect::detect(&lines, false) {
            Content::Access(i) => builtin::all()[i].name().to_string(),
            other => format!("{other:?}"),
        }
    };
    // combined plus ` $request_time`, plus ` "-" rt=0.004`, Apache combined
    // plus `%D`: the base format, its User-Agent read, the rest left over.
    for (line, base) in [
        (&br#"1.2.3.4 - - [07/May/2026:10:00:01 +0000] "GET / HTTP/1.1" 200 5 "-" "Mozilla/5.0 (iPhone)" 0.004"#[..], "nginx-combined"),
        (br#"1.2.3.4 - - [07/May/2026:10:00:01 +0000] "GET / HTTP/1.1" 200 5 "-" "Mozilla/5.0 (iPhone)" "-" rt=0.004"#, "nginx-main"),
        (br#"1.2.3.4 - - [07/May/2026:10:00:01 +0000] "GET / HTTP/1.1" 200 - "-" "Mozilla/5.0 (iPhone)" 1532"#, "apache-combined"),
    ] {
        assert_eq!(detect(line), base, "{}", String::from_utf8_lossy(line));
        let p = parse(g(base), line);
        assert!(p.trailing());
        assert_eq!(p.record.slot(Slot::UserAgent), Some(&b"Mozilla/5.0 (iPhone)"[..]));
    }
    // A common log still reads as common, and `%b` no longer swallows the
    // rest of a line.
    let common = b"1.2.3.4 - - [07/May/2026:10:00:01 +0000] \"GET / HTTP/1.1\" 200 5";
    assert!(!parse(g("apache-common"), common).trailing());
    let longer = b"1.2.3.4 - - [07/May/2026:10:00:01 +0000] \"GET / HTTP/1.1\" 200 5 0.004";
    assert!(parse(g("apache-common"), longer).trailing());
    let io = br#"1.2.3.4 - - [07/May/2026:10:00:01 +0200] "GET / HTTP/1.1" 200 5 "-" "curl/8.5" 312 5120"#;
    assert_eq!(detect(io), "apache-combinedio");
}

#[test]
fn apache_habits_break_the_tie_with_nginx() {
    use detect::Content;
    let name = |text: &[u8]| {
        let lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
        match detect::detect(&lines, false) {
            Content::Access(i) => builtin::all()[i].name().to_string(),
            other => format!("{other:?}"),
        }
    };
    let ok = b"1.2.3.4 - - [07/May/2026:10:00:01 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\"";
    let empty_body =
        b"1.2.3.4 - - [07/May/2026:10:00:02 +0000] \"HEAD / HTTP/1.1\" 304 - \"-\" \"curl\"";
    let escaped =
        br#"1.2.3.4 - - [07/May/2026:10:00:03 +0000] "GET /?q=\"x\" HTTP/1.1" 200 5 "-" "curl""#;
    assert_eq!(name(ok), "nginx-combined");
    assert_eq!(
        name(&[&ok[..], b"\n", empty_body].concat()),
        "apache-combined"
    );
    assert_eq!(name(&[&ok[..], b"\n", escaped].concat()), "apache-combined");
}

#[test]
fn ingress_nginx_upstreaminfo_and_multi_try_upstreams() {
    let line = br#"192.168.1.10 - - [07/May/2026:10:00:01 +0000] "PATCH /legacy-service/accounts/42 HTTP/2.0" 501 0 "-" "okhttp/4.12.0" 412 0.012 [shop-legacy-80] [] 10.0.0.5:8080, 10.0.0.6:8080 : 10.0.0.7:8080 0, 0 : 173 0.004, 0.003 : 0.005 502, 502 : 501 6b1b0e8f3c2e4b7fa7e2d1c0b9a8f7e6"#;
    let p = parse(g("nginx-upstreaminfo"), line);
    assert!(!p.trailing());
    let r = p.record;
    assert_eq!(r.status, 501);
    assert_eq!(r.method, b"PATCH");
    assert_eq!(
        r.slot(Slot::UpstreamAddr),
        Some(&b"10.0.0.5:8080, 10.0.0.6:8080 : 10.0.0.7:8080"[..])
    );
    assert_eq!(r.slot(Slot::UpstreamStatus), Some(&b"502, 502 : 501"[..]));
    assert_eq!(r.slot(Slot::RequestTime), Some(&b"0.012"[..]));
    let lines: Vec<&[u8]> = vec![line];
    assert_eq!(
        detect::detect(&lines, false),
        detect::Content::Access(
            builtin::all()
                .iter()
                .position(|g| g.name() == "nginx-upstreaminfo")
                .unwrap()
        )
    );
}

#[test]
fn a_quote_the_server_did_not_escape_does_not_end_the_request() {
    for grammar in ["apache-combined", "nginx-combined", "apache-common"] {
        let line = br#"198.51.100.9 - - [07/May/2026:10:00:01 +0000] "GET" /cgi-bin/x?id=' HTTP/1.0" 501 345 "-" "-""#;
        let line = if grammar == "apache-common" {
            &line[..line.len() - 8]
        } else {
            &line[..]
        };
        let r = parse(g(grammar), line).record;
        assert_eq!(r.status, 501, "{grammar}");
        assert_eq!(r.method, INVALID_METHOD);
        assert_eq!(r.target, br#"GET" /cgi-bin/x?id=' HTTP/1.0"#);
    }
    // An escaped quote is no end either, and a plain line is unchanged.
    let line = br#"1.2.3.4 - - [07/May/2026:10:00:01 +0000] "GET /a"b HTTP/1.1" 200 5 "-" "c""#;
    assert_eq!(parse(g("apache-combined"), line).record.target, br#"/a"b"#);
}

#[test]
fn a_status_followed_by_no_space_keeps_the_first_quote() {
    let g = compile(
        "csv",
        r#"$time_iso8601,"$request",$status,$body_bytes_sent,"$http_user_agent",$request_length"#,
    )
    .unwrap();
    let line = br#"2026-05-07T10:00:01+00:00,"GET / HTTP/1.1",200,512,"curl/8",100"#;
    let r = parse(&g, line).record;
    assert_eq!((r.status, r.target), (200, &b"/"[..]));
    assert_eq!(r.slot(Slot::UserAgent), Some(&b"curl/8"[..]));
}

#[test]
fn a_time_written_with_spaces_ends_after_them() {
    let g = compile("custom", r#"%{%Y-%m-%d %H:%M:%S}t %a "%r" %>s"#).unwrap();
    let r = parse(&g, br#"2026-05-07 10:00:01 1.2.3.4 "GET / HTTP/1.1" 501"#).record;
    assert_eq!(r.time, utc("2026-05-07T10:00:01Z"));
    assert_eq!(r.slot(Slot::Client), Some(&b"1.2.3.4"[..]));
    assert_eq!(r.status, 501);
}
