//! The fuzz targets' seeds and every input that once crashed one
//! (`fuzz/seeds/TARGET/`, `fuzz/regressions/TARGET/`), run through the same
//! entry points as `cargo fuzz` does. A new crash found by fuzzing goes in
//! `fuzz/regressions/TARGET/` with its fix.

use std::path::Path;

use fiveohone::fuzzing;

/// Runs `target` over every file of its seed and regression folders;
/// returns how many there were.
fn replay(name: &str, target: fn(&[u8])) -> usize {
    let mut count = 0;
    for kind in ["seeds", "regressions"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fuzz")
            .join(kind)
            .join(name);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("list the inputs").path();
            let data = std::fs::read(&path).expect("read an input");
            let run = std::panic::catch_unwind(|| target(&data));
            assert!(run.is_ok(), "{} fails", path.display());
            count += 1;
        }
    }
    count
}

#[test]
fn access_line() {
    assert!(replay("access_line", fuzzing::access_line) >= 10);
}

#[test]
fn log_format() {
    assert!(replay("log_format", fuzzing::log_format) >= 10);
}

#[test]
fn error_line() {
    assert!(replay("error_line", fuzzing::error_line) >= 10);
}

#[test]
fn counters_file() {
    assert!(replay("counters_file", fuzzing::counters_file) >= 5);
}

#[test]
fn scan_block() {
    assert!(replay("scan_block", fuzzing::scan_block) >= 5);
}
