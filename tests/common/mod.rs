//! Helpers shared by the integration tests: running the binary, reading
//! its JSON, and independent counts with awk.

#![allow(dead_code)]

pub mod rotate;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// Runs `fiveohone` with `args` (and `stdin`, if given).
pub fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fiveohone"));
    cmd.args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn fiveohone");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin");
        let input = input.to_vec();
        std::thread::spawn(move || pipe.write_all(&input));
    }
    child.wait_with_output().expect("wait for fiveohone")
}

/// What a run wrote on stderr.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs `fiveohone --json` and parses its output; the run must exit 0.
pub fn json(args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = run(&all, None);
    assert!(
        out.status.success(),
        "fiveohone {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

/// Field `key` of `v` as u64.
pub fn n(v: &Value, key: &str) -> u64 {
    v[key]
        .as_u64()
        .unwrap_or_else(|| panic!("{key} is not a number in {v}"))
}

/// A file's bytes, gunzipped if it is gzip.
pub fn text_of(path: &Path) -> Vec<u8> {
    let raw = std::fs::read(path).expect("read fixture");
    if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .expect("gunzip");
        out
    } else {
        raw
    }
}

/// Runs `awk program` over `input` and returns its output trimmed.
pub fn awk(program: &str, input: &[u8]) -> String {
    let mut child = Command::new("awk")
        .arg(program)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("awk is needed for the independent counts");
    let mut pipe = child.stdin.take().expect("stdin");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || pipe.write_all(&input));
    let out = child.wait_with_output().expect("awk output");
    let _ = writer.join();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// `awk program` over `input`, as a number.
pub fn awk_count(program: &str, input: &[u8]) -> u64 {
    awk(program, input)
        .parse()
        .unwrap_or_else(|_| panic!("awk `{program}` printed no number"))
}

/// A fresh empty directory under the system temp dir.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fiveohone-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

/// Path of a fixture.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// A two-day directory (rotated access and error logs) with one incident
/// of each kind a combined log can show.
pub fn incidents(name: &str) -> std::path::PathBuf {
    let dir = temp_dir(name);
    let duration = 2 * 86_400;
    let cfg = fiveohone_gen::SynthConfig {
        seed: 77,
        lines: 200_000,
        duration_secs: duration,
        bursts: Vec::new(),
        scenarios: fiveohone_gen::ScenarioSpec::spread(
            &[
                fiveohone_gen::ScenarioKind::PostDeploy,
                fiveohone_gen::ScenarioKind::DeviceSpecific,
                fiveohone_gen::ScenarioKind::TrafficSpike,
                fiveohone_gen::ScenarioKind::UnsupportedMethod,
                fiveohone_gen::ScenarioKind::RouteMisconfig,
            ],
            fiveohone_gen::DEFAULT_START,
            duration,
            7200,
        ),
        ..fiveohone_gen::SynthConfig::default()
    };
    fiveohone_gen::generate_dir(&cfg, &dir, 3).unwrap();
    dir
}

/// The file names a report's summary read, in reading order.
pub fn file_names(s: &Value) -> Vec<&str> {
    s["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            f["path"]
                .as_str()
                .unwrap_or_default()
                .rsplit('/')
                .next()
                .unwrap_or_default()
        })
        .collect()
}
