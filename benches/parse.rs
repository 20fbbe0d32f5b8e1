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

criterion_group!(benches, parse, parse_errors);
criterion_main!(benches);
