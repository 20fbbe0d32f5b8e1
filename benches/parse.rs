//! Parse throughput per built-in grammar, one core: a block of generated
//! lines folded into an aggregate, as the pipeline does per chunk; and the
//! same for nginx and Apache error logs.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use fiveohone::aggregate::{Aggregate, Settings};
use fiveohone::grammar::builtin;
use fiveohone::scan::{Reading, Scanner};
use fiveohone::timefmt::Zone;
use fiveohone_gen::{generate, SynthConfig, SynthFormat};

fn parse(c: &mut Criterion) {
    let settings = Settings::default();
    let mut group = c.benchmark_group("parse");
    for format in SynthFormat::ALL {
        let mut block = Vec::new();
        let cfg = SynthConfig {
            seed: 42,
            lines: 40_000,
            format,
            ..SynthConfig::default()
        };
        generate(&cfg, &mut block).expect("generate into memory");
        let grammar = builtin::by_name(format.name()).expect("a built-in per generated format");
        let reading = Reading::Access {
            grammar,
            fallbacks: Vec::new(),
            error_lines: false,
            envelope: None,
        };
        let zone = Zone::Utc;
        group.throughput(Throughput::Bytes(block.len() as u64));
        group.bench_function(format.name(), |b| {
            b.iter(|| {
                let mut agg = Aggregate::default();
                Scanner::new(&reading, &zone, b'\n', &settings).scan(&mut agg, 0, 0, &block);
                agg
            })
        });
    }
    group.finish();
}

/// A block of error-log lines of one server, cycling through real messages.
fn error_block(apache: bool, lines: usize) -> Vec<u8> {
    let nginx_messages = [
        "*41 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 203.0.113.7, server: www.example.com, request: \"GET /api/v1/products/12 HTTP/2.0\", upstream: \"http://10.0.1.12:8080/api/v1/products/12\", host: \"www.example.com\"",
        "*42 open() \"/srv/www/favicon.ico\" failed (2: No such file or directory), client: 198.51.100.4, server: www.example.com, request: \"GET /favicon.ico HTTP/1.1\", host: \"www.example.com\"",
        "*43 connect() failed (111: Connection refused) while connecting to upstream, client: 198.51.100.9, server: www.example.com, request: \"POST /api/v1/orders HTTP/2.0\", upstream: \"http://10.0.1.13:8080/api/v1/orders\", host: \"www.example.com\"",
        "signal 1 (SIGHUP) received from 1201, reconfiguring",
    ];
    let apache_messages = [
        "[proxy:error] [pid 1030:tid 140033] (111)Connection refused: AH00957: http: attempt to connect to 10.0.2.21:8080 (app2) failed",
        "[core:error] [pid 1021:tid 140022] [client 203.0.113.9:50112] AH00135: Invalid method in request FOO /",
        "[php:error] [pid 1022:tid 140023] [client 198.51.100.4:41234] script '/srv/www/wp-login.php' not found or unable to stat, referer: https://www.example.com/",
        "[mpm_event:notice] [pid 900:tid 140001] AH00489: Apache/2.4.58 (Ubuntu) configured -- resuming normal operations",
    ];
    let mut out = Vec::new();
    for i in 0..lines {
        let (h, m, s) = (i / 3600 % 24, i / 60 % 60, i % 60);
        let line = if apache {
            format!(
                "[Thu May 07 {h:02}:{m:02}:{s:02}.{i:06} 2026] {}\n",
                apache_messages[i % 4]
            )
        } else {
            format!(
                "2026/05/07 {h:02}:{m:02}:{s:02} [error] 1210#1210: {}\n",
                nginx_messages[i % 4]
            )
        };
        out.extend_from_slice(line.as_bytes());
    }
    out
}

fn parse_errors(c: &mut Criterion) {
    let settings = Settings::default();
    let reading = Reading::Error {
        fallbacks: Vec::new(),
        envelope: None,
    };
    let zone = Zone::Fixed(7200);
    let mut group = c.benchmark_group("parse-error-log");
    for (name, apache) in [("nginx-error", false), ("apache-error", true)] {
        let block = error_block(apache, 40_000);
        group.throughput(Throughput::Bytes(block.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut agg = Aggregate::default();
                Scanner::new(&reading, &zone, b'\n', &settings).scan(&mut agg, 0, 0, &block);
                agg
            })
        });
    }
    group.finish();
}

/// The generated nginx-combined block rewritten line by line by `f`.
fn rewritten(f: impl Fn(usize, &[u8], &fiveohone::record::Record) -> String) -> Vec<u8> {
    let mut block = Vec::new();
    let cfg = SynthConfig {
        seed: 42,
        lines: 40_000,
        ..SynthConfig::default()
    };
    generate(&cfg, &mut block).expect("generate into memory");
    let g = builtin::by_name("nginx-combined").expect("built in");
    let mut times = fiveohone::timefmt::TimeCache::default();
    let mut out = String::new();
    for (i, line) in block.split(|&b| b == b'\n').enumerate() {
        if let Ok(p) = g.parse(line, &mut times) {
            out.push_str(&f(i, line, &p.record));
            out.push('\n');
        }
    }
    out.into_bytes()
}

/// Real layouts of the same requests: combined with a field after it,
/// ingress-nginx's `upstreaminfo`, JSON lines (nginx's variable names as
/// keys), and container envelopes around combined lines.
fn parse_layouts(c: &mut Criterion) {
    use fiveohone::grammar::envelope::Envelope;
    use fiveohone::record::Slot;
    let text = |v: Option<&[u8]>| String::from_utf8_lossy(v.unwrap_or(b"-")).into_owned();
    let json = rewritten(|_, _, r| {
        format!(
            "{{\"time_local\":\"{}\",\"remote_addr\":\"{}\",\"request\":\"{} {} {}\",\"status\":{},\"body_bytes_sent\":{},\"http_referer\":\"{}\",\"http_user_agent\":\"{}\",\"request_time\":0.004}}",
            String::from_utf8_lossy(r.time_raw),
            text(r.slot(Slot::Client)),
            String::from_utf8_lossy(r.method),
            String::from_utf8_lossy(r.target),
            String::from_utf8_lossy(r.protocol),
            r.status,
            text(r.slot(Slot::Bytes)).replace('-', "0"),
            text(r.slot(Slot::Referer)),
            text(r.slot(Slot::UserAgent)),
        )
    });
    let timed =
        rewritten(|i, line, _| format!("{} 0.{:03}", String::from_utf8_lossy(line), i % 997));
    let ingress = rewritten(|i, line, _| {
        let tries = if i % 50 == 0 {
            "10.0.0.5:8080, 10.0.0.6:8080"
        } else {
            "10.0.0.6:8080"
        };
        format!(
            "{} 512 0.{:03} [default-shop-80] [] {tries} 1234 0.004 501 {i:032x}",
            String::from_utf8_lossy(line),
            i % 997
        )
    });
    let cri = rewritten(|i, line, _| {
        format!(
            "2026-05-07T10:00:00.{i:09}Z stdout F {}",
            String::from_utf8_lossy(line)
        )
    });
    let docker = rewritten(|i, line, _| {
        let log = serde_json::to_string(&format!("{}\n", String::from_utf8_lossy(line)))
            .expect("a string");
        format!("{{\"log\":{log},\"stream\":\"stdout\",\"time\":\"2026-05-07T10:00:00.{i:09}Z\"}}")
    });
    let settings = Settings::default();
    let zone = Zone::Utc;
    let combined = builtin::by_name("nginx-combined").expect("built in");
    let mut group = c.benchmark_group("parse-layouts");
    for (name, block, grammar, envelope) in [
        (
            "json",
            &json,
            builtin::by_name("json").expect("built in"),
            None,
        ),
        ("nginx-combined + $request_time", &timed, combined, None),
        (
            "nginx-upstreaminfo",
            &ingress,
            builtin::by_name("nginx-upstreaminfo").expect("built in"),
            None,
        ),
        ("cri nginx-combined", &cri, combined, Some(Envelope::Cri)),
        (
            "docker nginx-combined",
            &docker,
            combined,
            Some(Envelope::Docker),
        ),
    ] {
        let reading = Reading::Access {
            grammar,
            fallbacks: Vec::new(),
            error_lines: false,
            envelope,
        };
        group.throughput(Throughput::Bytes(block.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut agg = Aggregate::default();
                Scanner::new(&reading, &zone, b'\n', &settings).scan(&mut agg, 0, 0, block);
                agg
            })
        });
    }
    group.finish();
}

criterion_group!(benches, parse, parse_errors, parse_layouts);
criterion_main!(benches);
