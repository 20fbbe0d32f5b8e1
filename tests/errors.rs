//! Bad paths, bad options and damaged files: a clear message, the right
//! exit status, and everything readable still counted.

mod common;

use std::io::Write;

use common::*;
use serde_json::Value;

#[test]
fn missing_path_is_named_and_the_rest_is_read() {
    let out = run(
        &[
            "--json",
            "no/such/dir",
            "fixtures/apache/other_vhosts_access.log",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(
        err.contains("no/such/dir: no such file or directory"),
        "{err}"
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["summary"]["errors"][0],
        "no/such/dir: no such file or directory"
    );
    assert_eq!(
        n(&report["summary"], "lines"),
        300,
        "the readable file is counted"
    );
}

#[test]
fn usage_errors_exit_2() {
    for (args, want) in [
        (vec!["--status", "5x1", "x"], "status"),
        (vec!["--window", "5y", "x"], "unknown unit"),
        (
            vec!["--format", "nginx-fancy", "x"],
            "unknown format `nginx-fancy`",
        ),
        (vec!["--since", "yesterday", "x"], "is not a time"),
        (
            vec!["--since", "2026-05-08", "--until", "2026-05-07", "x"],
            "--since must be before --until",
        ),
        (
            vec!["--log-format", "%h %Z %t \"%r\" %>s", "x"],
            "unknown Apache format directive `%Z`",
        ),
    ] {
        let out = run(&args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains(want), "{args:?}: {}", stderr(&out));
    }
    // The format error points at the spot.
    let out = run(&["--log-format", "%h %Z %t \"%r\" %>s", "x"], None);
    let err = stderr(&out);
    assert!(err.contains("  %h %Z %t \"%r\" %>s\n     ^"), "{err}");
    let unclosed = "log_format x '$remote_addr'\n  '[$time_local] \"$request\" $status;";
    let out = run(&["--log-format", unclosed, "x"], None);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        concat!(
            "fiveohone: --log-format: unclosed quote: this ' has no closing '\n",
            "    '[$time_local] \"$request\" $status;\n",
            "    ^\n"
        )
    );
}

#[test]
fn truncated_gzip_keeps_what_was_read_and_warns() {
    let dir = temp_dir("gzip");
    let good = text_of(&fixture("nginx/access.log.1"));
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&good).unwrap();
    let gz = gz.finish().unwrap();
    std::fs::write(dir.join("access.log.2.gz"), &gz[..gz.len() * 2 / 3]).unwrap();
    let out = run(&["--json", dir.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("access.log.2.gz: data unreadable after"),
        "{}",
        stderr(&out)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let file = &report["summary"]["files"][0];
    let lines = n(file, "lines");
    assert!(
        lines > 50 && lines < 300,
        "part of the file was counted: {lines}"
    );
    assert!(file["problems"][0]
        .as_str()
        .unwrap()
        .contains("lines before were counted"));

    // Concatenated gzip members are one valid file, read whole.
    let mut two = Vec::new();
    for part in [&good[..], &good[..]] {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(part).unwrap();
        two.extend(e.finish().unwrap());
    }
    std::fs::remove_file(dir.join("access.log.2.gz")).unwrap();
    std::fs::write(dir.join("access.log.2.gz"), two).unwrap();
    let report = json(&[dir.to_str().unwrap()]);
    assert_eq!(n(&report["summary"], "lines"), 600);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn other_compressions_are_named_not_misread() {
    let dir = temp_dir("bz2");
    std::fs::write(dir.join("access.log.3.bz2"), b"BZh91AY&SY\x00\x01garbage").unwrap();
    std::fs::copy(fixture("custom/app.log"), dir.join("access.log")).unwrap();
    let out = run(&["--json", "--log-format", "$host $remote_addr [$time_iso8601] \"$request\" $status $body_bytes_sent $request_time \"$http_user_agent\" $upstream_addr $upstream_status", dir.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("access.log.3.bz2: bzip2 compression is not supported: decompress it and pipe it in (bzcat FILE | fiveohone -)"),
        "{err}"
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        n(&report["summary"], "matched"),
        5,
        "the plain file is still read"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn empty_inputs_and_unknown_formats() {
    let dir = temp_dir("empty");
    std::fs::write(dir.join("access.log"), b"").unwrap();
    std::fs::write(dir.join("notes.txt"), b"not a log").unwrap();
    // Nothing read is no success (exit 1), but the report is written.
    let out = run(&["--json", dir.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("The file holds no lines."),
        "{}",
        stderr(&out)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = &report["summary"];
    assert_eq!(
        s["files"].as_array().unwrap().len(),
        1,
        "notes.txt is not a log name"
    );
    assert_eq!((n(s, "lines"), n(s, "requests")), (0, 0));
    assert!(s["first"].is_null());

    std::fs::write(dir.join("access.log"), b"hello\nworld\n\n").unwrap();
    let out = run(&["--json", dir.join("access.log").to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no known format fits its first lines"));
    assert!(stderr(&out).contains("None of the 2 lines fits its format."));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = &report["summary"];
    assert_eq!((n(s, "lines"), n(s, "malformed"), n(s, "blank")), (2, 2, 1));
    let _ = std::fs::remove_dir_all(dir);
}

/// An output in the wrong kind of place is refused before anything is
/// read, in batch and live mode alike (live mode would fail at every
/// window), and nothing is written to stdout.
#[test]
fn outputs_in_the_wrong_kind_of_place_are_refused_at_once() {
    let dir = temp_dir("outputs-wrong");
    let file = dir.join("a-file");
    std::fs::write(&file, b"x").unwrap();
    let cases: [(&[&str], &str); 3] = [
        (
            &["--csv", file.to_str().unwrap()],
            "a file, not a directory",
        ),
        (
            &["--follow", "--csv", file.to_str().unwrap()],
            "a file, not a directory",
        ),
        (
            &["--html", dir.to_str().unwrap()],
            "a directory, not a file",
        ),
    ];
    for (args, said) in cases {
        let mut all = args.to_vec();
        all.push("fixtures/nginx");
        let out = run(&all, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains(said), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    assert_eq!(std::fs::read(&file).unwrap(), b"x");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn csv_into_an_unwritable_place_fails_cleanly() {
    let dir = temp_dir("csv-bad");
    let blocker = dir.join("file");
    std::fs::write(&blocker, b"x").unwrap();
    let out = run(
        &[
            "fixtures/custom/app.log",
            "--csv",
            blocker.join("out").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--csv:"), "{}", stderr(&out));
    // A directory in the way of one file: that rename fails, and no
    // temporary file is left behind.
    let csv = dir.join("csv");
    std::fs::create_dir_all(csv.join("groups.csv").join("x")).unwrap();
    let out = run(
        &["fixtures/custom/app.log", "--csv", csv.to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("groups.csv: Is a directory"),
        "{}",
        stderr(&out)
    );
    let left: Vec<String> = std::fs::read_dir(&csv)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn exit_statuses_are_the_documented_ones() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let documented: Vec<i32> = readme
        .lines()
        .skip_while(|l| !l.starts_with("**Exit status:**"))
        .filter_map(|l| l.strip_prefix("| `")?.split('`').next()?.parse().ok())
        .take_while(|&code: &i32| code <= 2)
        .collect();
    assert_eq!(documented, [0, 1, 2], "the README's exit status table");
    let dir = temp_dir("exit");
    std::fs::write(
        dir.join("image.log"),
        [0u8, 1, 2, 3, 0x89, 0x50].repeat(100),
    )
    .unwrap();
    let binary = dir.join("image.log");
    for (args, code) in [
        (vec!["fixtures/nginx"], 0),
        (vec!["fixtures/nginx", "no/such/file"], 1),
        (vec!["fixtures/nginx", binary.to_str().unwrap()], 1),
        (vec!["--window", "0s", "fixtures/nginx"], 2),
        (vec!["--no-such-flag"], 2),
    ] {
        let out = run(&args, None);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", stderr(&out));
        assert_eq!(
            out.stdout.is_empty(),
            code == 2,
            "{args:?}: a report unless 2"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}
