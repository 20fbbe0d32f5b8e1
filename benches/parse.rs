//! Parse throughput per built-in grammar, one core: a block of generated
//! lines folded into an aggregate, as the pipeline does per chunk.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use fiveohone::aggregate::{Aggregate, Settings};
use fiveohone::grammar::builtin;
use fiveohone::scan::{Reading, Scanner};
use fiveohone::synth::{generate, SynthConfig, SynthFormat};
use fiveohone::timefmt::Zone;

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

criterion_group!(benches, parse);
criterion_main!(benches);
