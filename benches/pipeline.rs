//! The whole pipeline (discovery, format detection, parallel parsing, merge,
//! burst detection, report model) on a generated ~200 MB nginx combined
//! log, all cores.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use fiveohone::aggregate::Settings;
use fiveohone::detect::{self, scenario, Detection};
use fiveohone::input::discover;
use fiveohone::pipeline::{analyze, FormatChoice, Options};
use fiveohone::report::Report;
use fiveohone_gen::{generate, lines_for_size, SynthConfig};

/// Writes the log once per target dir and reuses it.
fn log_file() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let path = dir.join("access-200M.log");
    if !path.exists() {
        std::fs::create_dir_all(&dir).expect("create target/bench-data");
        let mut cfg = SynthConfig {
            seed: 200,
            ..SynthConfig::default()
        };
        cfg.lines = lines_for_size(&cfg, 200 << 20);
        let tmp = dir.join("access-200M.log.tmp");
        let mut file = std::io::BufWriter::new(std::fs::File::create(&tmp).expect("create log"));
        generate(&cfg, &mut file).expect("generate log");
        drop(file);
        std::fs::rename(&tmp, &path).expect("rename log");
    }
    path
}

fn pipeline(c: &mut Criterion) {
    let path = log_file();
    let size = std::fs::metadata(&path).expect("log exists").len();
    let options = Options {
        settings: Settings::default(),
        format: FormatChoice::Auto,
        configured: Vec::new(),
        threads: 0,
        tz: None,
        follow: false,
        progress: None,
    };
    let detection = Detection::new(scenario::load(None).expect("built-in scenarios"));
    let mut group = c.benchmark_group("pipeline");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(size));
    group.bench_function("nginx-combined-200MB", |b| {
        b.iter(|| {
            let analysis =
                analyze(discover(std::slice::from_ref(&path)), &options).expect("analysis runs");
            let markers = detect::markers(&analysis.aggregate, &|_| String::new());
            let bursts = detect::detect(
                &analysis.aggregate,
                300,
                &detection,
                &markers,
                detect::Horizon::All,
            );
            Report::new(&analysis, bursts)
        })
    });
    group.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
