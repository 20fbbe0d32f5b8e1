//! Hostile inputs: binary files, endless lines, NUL bytes, damaged gzip,
//! unreadable paths, FIFOs, symlink loops, thousands of files, wild
//! timestamps. Each gets its exact message, nothing hangs, and every good
//! line beside them is counted, checked against the generator's truth.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use common::*;
use fiveohone_gen::{generate, SynthConfig, Truth};
use serde_json::Value;

/// `lines` generated access lines (nginx combined, no garbage or blanks)
/// and their truth.
fn good(seed: u64, lines: u64) -> (Vec<u8>, Truth) {
    let cfg = SynthConfig {
        seed,
        lines,
        garbage_per_million: 0,
        blank_per_million: 0,
        stray_501_per_million: 40_000,
        ..SynthConfig::default()
    };
    let mut out = Vec::new();
    let truth = generate(&cfg, &mut out).expect("generate");
    assert_eq!(truth.garbage + truth.blank, 0);
    (out, truth)
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(data).unwrap();
    gz.finish().unwrap()
}

/// Bytes from a seeded xorshift: as good as /dev/urandom for this, and the
/// same every run.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// The report's row for the file named `name`.
fn file<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["summary"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with(&format!("/{name}")))
        .unwrap_or_else(|| panic!("{name} is not in the report"))
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .map(|s| s.lines().any(|l| l.starts_with("Uid:\t0\t")))
        .unwrap_or(false)
}

/// Runs `fiveohone args` without the power to read files whatever their
/// permissions: as root, with CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH
/// dropped (setpriv, from util-linux).
fn run_unprivileged(args: &[&str]) -> Output {
    let bin = env!("CARGO_BIN_EXE_fiveohone");
    let mut cmd = if is_root() {
        let mut c = Command::new("setpriv");
        c.args(["--bounding-set=-dac_override,-dac_read_search", "--", bin]);
        c
    } else {
        Command::new(bin)
    };
    cmd.args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run fiveohone (setpriv from util-linux is needed as root)")
}

#[test]
fn hostile_directory_beside_good_logs_keeps_their_counts_exact() {
    let dir = temp_dir("hostile");
    let d = |name: &str| dir.join(name);
    let mut requests = 0;
    let mut matched = 0;
    let mut count = |t: &Truth| {
        requests += t.requests;
        matched += t.status_501;
    };

    // The good family, one file gzip.
    let (live, t1) = good(1, 3_000);
    std::fs::write(d("access.log"), &live).unwrap();
    let (one, t2) = good(2, 3_000);
    std::fs::write(d("access.log.1"), &one).unwrap();
    let (two, t3) = good(3, 3_000);
    std::fs::write(d("access.log.2.gz"), gzip(&two)).unwrap();
    // gzip with garbage after its member: all lines read, the rest named.
    let (three, t4) = good(4, 2_000);
    let mut gz = gzip(&three);
    gz.extend_from_slice(b"\0\0garbage");
    std::fs::write(d("access.log.3.gz"), gz).unwrap();
    // Concatenated members are one valid file.
    let (four_a, t5) = good(5, 1_000);
    let (four_b, t6) = good(6, 1_000);
    let mut gz = gzip(&four_a);
    gz.extend(gzip(&four_b));
    std::fs::write(d("access.log.4.gz"), gz).unwrap();
    // Zeros padding a gzip file are read past, as gzip does.
    let (padded, t10) = good(12, 500);
    let mut gz = gzip(&padded);
    gz.extend_from_slice(&[0u8; 4096]);
    std::fs::write(d("access.log.9.gz"), gz).unwrap();
    // An empty gzip member, and an empty file named .gz.
    std::fs::write(d("access.log.5.gz"), gzip(b"")).unwrap();
    std::fs::write(d("access.log.6.gz"), b"").unwrap();
    // Random bytes named like a log, and a PNG named like one.
    std::fs::write(d("access.log.7"), noise(7, 300_000)).unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend(noise(8, 20_000));
    std::fs::write(d("picture.log"), png).unwrap();
    // A 100 MB line without a newline between good lines.
    let (huge, t7) = good(9, 1_000);
    let half = huge.len() / 2 + memchr::memchr(b'\n', &huge[huge.len() / 2..]).unwrap() + 1;
    let mut f = std::fs::File::create(d("huge.log")).unwrap();
    f.write_all(&huge[..half]).unwrap();
    let block = vec![b'A'; 1 << 20];
    for _ in 0..100 {
        f.write_all(&block).unwrap();
    }
    f.write_all(b"\n").unwrap();
    f.write_all(&huge[half..]).unwrap();
    drop(f);
    // NUL lines, invalid UTF-8 lines, and valid requests with invalid
    // UTF-8 in their path and User-Agent, every 10 lines.
    let (plain, t8) = good(10, 1_000);
    let mut nul = Vec::new();
    let (mut bad, mut odd) = (0, 0);
    for (i, line) in plain.split_inclusive(|&b| b == b'\n').enumerate() {
        nul.extend_from_slice(line);
        if i % 10 == 0 {
            nul.extend_from_slice(b"\0\0\0\0\0\0\0\0\n\xff\xfe\xfd\xc3\x28 \x80\n");
            nul.extend_from_slice(
                b"192.0.2.1 - - [07/May/2026:10:00:00 +0000] \"GET /\xff\xfe\xc3\x28 HTTP/1.1\" \
                  501 0 \"-\" \"\xf0\x28\x8c\x28\"\n",
            );
            bad += 2;
            odd += 1;
        }
    }
    std::fs::write(d("nul.log"), &nul).unwrap();
    // \r\n line ends.
    let (crlf, t9) = good(11, 1_000);
    let crlf: Vec<u8> = crlf
        .split_inclusive(|&b| b == b'\n')
        .flat_map(|l| [&l[..l.len() - 1], b"\r\n"].concat())
        .collect();
    std::fs::write(d("crlf.log"), crlf).unwrap();
    // Paths that cannot be read.
    std::os::unix::fs::symlink(d("nowhere"), d("gone.log")).unwrap();
    std::os::unix::fs::symlink(d("loop.log"), d("loop.log")).unwrap();
    let fifo = d("pipe.log");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    std::fs::write(d("secret.log"), &live).unwrap();
    let mode = std::os::unix::fs::PermissionsExt::from_mode(0o000);
    std::fs::set_permissions(d("secret.log"), mode).unwrap();
    // Not read: a subdirectory, and a file not named like a log.
    std::fs::create_dir(d("archive")).unwrap();
    std::fs::write(d("archive/access.log"), &live).unwrap();
    std::fs::write(d("notes.txt"), b"hello").unwrap();

    for t in [&t1, &t2, &t3, &t4, &t5, &t6, &t7, &t8, &t9, &t10] {
        count(t);
    }
    let out = run_unprivileged(&["--json", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let s = &report["summary"];

    // Every good line, once.
    assert_eq!(n(s, "requests"), requests + odd);
    assert_eq!(n(s, "matched"), matched + odd);
    assert_eq!(
        n(s, "malformed"),
        bad + 1,
        "NUL, invalid UTF-8, the long line"
    );
    let all: Vec<u8> = [
        &live[..],
        &one,
        &two,
        &three,
        &four_a,
        &four_b,
        &plain,
        &padded,
    ]
    .concat()
    .to_vec();
    assert_eq!(
        matched - t7.status_501 - t9.status_501,
        awk_count("$9==501{c++} END{print c+0}", &all),
        "the generator and awk agree"
    );

    // Each hostile file, with its exact message.
    let err = stderr(&out);
    let problem = |name: &str| {
        let f = file(&report, name);
        let text = f["skipped"]
            .as_str()
            .map(str::to_owned)
            .into_iter()
            .chain(
                f["problems"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p.to_string()),
            )
            .collect::<Vec<_>>()
            .join("; ");
        assert!(
            err.contains(&format!("/{name}: ")),
            "{name} not on stderr: {err}"
        );
        text
    };
    assert_eq!(
        problem("access.log.3.gz"),
        format!(
            "\"data unreadable after {} bytes (9 bytes after the last gzip member are not \
             gzip): the lines before were counted\"",
            three.len()
        )
    );
    assert_eq!(n(file(&report, "access.log.3.gz"), "lines"), t4.lines);
    assert_eq!(
        n(file(&report, "access.log.4.gz"), "lines"),
        t5.lines + t6.lines
    );
    assert_eq!(n(file(&report, "access.log.5.gz"), "lines"), 0);
    let padded_row = file(&report, "access.log.9.gz");
    assert_eq!(n(padded_row, "lines"), t10.lines);
    assert!(padded_row["problems"].as_array().unwrap().is_empty());
    assert_eq!(n(file(&report, "access.log.6.gz"), "lines"), 0);
    for (name, bytes) in [("access.log.7", 65_536), ("picture.log", 20_016)] {
        let why = problem(name);
        assert!(
            why.starts_with("binary data, not a log (")
                && why.ends_with(&format!("of its first {bytes} bytes are control bytes)")),
            "{name}: {why}"
        );
        assert_eq!(n(file(&report, name), "lines"), 0);
    }
    assert_eq!(problem("secret.log"), "cannot read: permission denied");
    let huge_row = file(&report, "huge.log");
    assert_eq!(n(huge_row, "lines"), t7.lines + 1);
    assert_eq!(n(huge_row, "malformed"), 1);
    let sample = report["summary"]["malformed_samples"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["file"].as_str().unwrap().ends_with("/huge.log"))
        .expect("the long line is sampled");
    assert_eq!(sample["reason"], "line longer than 1 MiB");
    assert_eq!(
        n(sample, "line"),
        huge[..half].iter().filter(|&&b| b == b'\n').count() as u64 + 1
    );
    assert_eq!(n(file(&report, "crlf.log"), "parsed"), t9.lines);
    let errors: Vec<&str> = s["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    let gone = format!("{}: no such file or directory", d("gone.log").display());
    let looping = format!(
        "{}: Too many levels of symbolic links (os error 40)",
        d("loop.log").display()
    );
    assert!(errors.contains(&gone.as_str()), "{errors:?}");
    assert!(errors.contains(&looping.as_str()), "{errors:?}");
    let ignored = s["ignored"].to_string();
    for name in ["pipe.log", "notes.txt"] {
        assert!(ignored.contains(&format!("/{name}\"")), "{ignored}");
    }
    assert!(!report.to_string().contains("archive"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_100_mb_line_on_stdin_is_cut_and_the_rest_counted() {
    let (text, truth) = good(21, 2_000);
    let cut = memchr::memchr(b'\n', &text[text.len() / 3..]).unwrap() + text.len() / 3 + 1;
    let mut input = text[..cut].to_vec();
    input.extend(std::iter::repeat_n(b'x', 100 << 20));
    input.push(b'\n');
    input.extend_from_slice(&text[cut..]);
    // And the same through gzip, which is read as a stream too.
    for (name, bytes) in [("plain", input.clone()), ("gzip", gzip(&input))] {
        let out = run(&["--json", "-"], Some(&bytes));
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        let s = &report["summary"];
        assert_eq!(n(s, "requests"), truth.requests, "{name}");
        assert_eq!(n(s, "matched"), truth.status_501, "{name}");
        assert_eq!(n(s, "malformed"), 1, "{name}");
        let sample = &s["malformed_samples"][0];
        assert_eq!(sample["reason"], "line longer than 1 MiB", "{name}");
        let line = text[..cut].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        assert_eq!(n(sample, "line"), line, "{name}");
    }
}

#[test]
fn times_going_backwards_and_years_apart_are_all_counted() {
    let (text, truth) = good(22, 3_000);
    // Newest first, then a line from ten years later and one from 1999.
    let mut lines: Vec<&[u8]> = text.split_inclusive(|&b| b == b'\n').collect();
    lines.reverse();
    let mut input = lines.concat();
    input.extend_from_slice(
        b"192.0.2.7 - - [07/May/2036:10:00:00 +0000] \"GET /future HTTP/1.1\" 501 0 \"-\" \"-\"\n\
          192.0.2.7 - - [31/Dec/1999:23:59:59 -1200] \"GET /past HTTP/1.1\" 501 0 \"-\" \"-\"\n",
    );
    let dir = temp_dir("timewarp");
    let path = dir.join("access.log");
    std::fs::write(&path, &input).unwrap();
    for threads in ["1", "2"] {
        let report = json(&["-j", threads, "--window", "1m", path.to_str().unwrap()]);
        let s = &report["summary"];
        assert_eq!(n(s, "requests"), truth.requests + 2);
        assert_eq!(n(s, "matched"), truth.status_501 + 2);
        assert_eq!(s["first"], "2000-01-01T11:59:59Z");
        assert_eq!(s["last"], "2036-05-07T10:00:00Z");
        // Windows with requests only: the empty decades are not listed.
        let windows = report["windows"].as_array().unwrap();
        let minutes = awk_count(
            "{split($4, t, \":\"); k[t[1] t[2] t[3]]=1} END{for (m in k) c++; print c}",
            &input,
        );
        assert_eq!(windows.len() as u64, minutes);
        let total: u64 = windows.iter().map(|w| n(w, "requests")).sum();
        assert_eq!(total, truth.requests + 2);
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn mixed_formats_and_foreign_months_in_one_file() {
    let dir = temp_dir("mixed-lines");
    let path = dir.join("access.log");
    let lines = [
        // nginx combined, Apache common, vhost_combined, an nginx error
        // line, a German and a French month.
        "192.0.2.1 - - [07/May/2026:10:00:00 +0000] \"GET /a HTTP/1.1\" 501 5 \"-\" \"curl/8\"",
        "192.0.2.2 - - [07/May/2026:10:00:01 +0000] \"PUT /b HTTP/1.1\" 501 0",
        "www.example.com:443 192.0.2.3 - - [07/May/2026:10:00:02 +0000] \"GET /c HTTP/1.1\" 200 \
         9 \"-\" \"Mozilla/5.0\"",
        "2026/05/07 10:00:03 [error] 12#12: *1 upstream timed out, client: 192.0.2.4",
        "192.0.2.5 - - [07/Mai/2026:10:00:04 +0000] \"GET /d HTTP/1.1\" 501 0 \"-\" \"-\"",
        "192.0.2.6 - - [07/mai/2026:10:00:05 +0000] \"GET /e HTTP/1.1\" 501 0 \"-\" \"-\"",
    ];
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let report = json(&[path.to_str().unwrap()]);
    let s = &report["summary"];
    assert_eq!(n(s, "requests"), 3);
    assert_eq!(n(s, "matched"), 2);
    assert_eq!(n(s, "events"), 1);
    assert_eq!(n(s, "malformed"), 2);
    let format = s["files"][0]["format"].as_str().unwrap();
    let samples = s["malformed_samples"].as_array().unwrap();
    for (sample, month) in samples.iter().zip(["Mai", "mai"]) {
        assert_eq!(
            sample["reason"],
            format!(
                "not {format}: bad time `07/{month}/2026:10:00:0{} +0000` at byte 16 \
                 (month `{month}` is not an English abbreviation; nginx and Apache write Jan \
                 to Dec whatever the locale, so another program wrote this line)",
                if month == "Mai" { 4 } else { 5 }
            )
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn ten_thousand_small_files_are_all_read() {
    let dir = temp_dir("many");
    let (text, _) = good(23, 10_000);
    let mut lines = 0;
    for (i, line) in text.split_inclusive(|&b| b == b'\n').enumerate() {
        std::fs::write(dir.join(format!("site{i:05}.access.log")), line).unwrap();
        lines += 1;
    }
    assert_eq!(lines, 10_000);
    let report = json(&[dir.to_str().unwrap()]);
    let s = &report["summary"];
    assert_eq!(n(s, "lines"), 10_000);
    assert_eq!(s["files"].as_array().unwrap().len(), 10_000);
    assert_eq!(
        n(s, "matched"),
        awk_count("$9==501{c++} END{print c+0}", &text)
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_file_gone_between_listing_and_opening_is_named_and_the_rest_read() {
    use fiveohone::pipeline::{self, FormatChoice, Options};
    let dir = temp_dir("vanish");
    let (text, truth) = good(24, 2_000);
    std::fs::write(dir.join("access.log"), &text).unwrap();
    std::fs::write(dir.join("access.log.1"), &text).unwrap();
    let discovery = fiveohone::input::discover(std::slice::from_ref(&dir));
    assert_eq!(discovery.sources.len(), 2);
    std::fs::remove_file(dir.join("access.log.1")).unwrap();
    let opts = Options {
        settings: Default::default(),
        format: FormatChoice::Auto,
        configured: Vec::new(),
        threads: 2,
        tz: None,
        follow: false,
        progress: None,
    };
    let analysis = pipeline::analyze(discovery, &opts).unwrap();
    assert!(analysis.incomplete());
    let gone = &analysis.inputs[0];
    assert!(gone.name.ends_with("access.log.1"));
    assert_eq!(
        gone.skipped.as_deref(),
        Some("cannot read: no such file or directory")
    );
    let totals = analysis.aggregate.totals();
    assert_eq!(
        (totals.requests, totals.matched),
        (truth.requests, truth.status_501)
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_full_disk_fails_the_run_and_leaves_no_csv_behind() {
    let dir = temp_dir("full");
    let csv = dir.join("csv");
    // A file size limit of one block makes every write past it fail, as a
    // full disk does (EFBIG rather than ENOSPC; SIGXFSZ ignored).
    let out = Command::new("sh")
        .arg("-c")
        .arg("ulimit -f 1; trap '' XFSZ; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_fiveohone"))
        .args(["--csv", csv.to_str().unwrap(), "fixtures/nginx"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.starts_with(&format!("fiveohone: --csv: {}/", csv.display()))
            && err.ends_with(".csv: File too large (os error 27)\n"),
        "{err}"
    );
    let left: Vec<_> = std::fs::read_dir(&csv).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");

    // A report that cannot be written to stdout.
    if std::path::Path::new("/dev/full").exists() {
        for args in [&["fixtures/nginx"][..], &["--json", "fixtures/nginx"]] {
            let out = Command::new(env!("CARGO_BIN_EXE_fiveohone"))
                .args(args)
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .stdout(std::fs::File::create("/dev/full").unwrap())
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(2), "{args:?}");
            assert_eq!(
                stderr(&out),
                "fiveohone: cannot write the report: No space left on device (os error 28)\n"
            );
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// Runs `fiveohone args`, sampling its peak resident memory (VmHWM, which
/// only grows) until it exits; returns the output and the peak in KiB.
fn run_measured(args: &[&str]) -> (Output, u64) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fiveohone"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut out).map(|_| out)
    });
    let mut peak = 0;
    while child.try_wait().unwrap().is_none() {
        if let Ok(status) = std::fs::read_to_string(&status_file) {
            let hwm = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches(" kB").parse().ok());
            peak = peak.max(hwm.unwrap_or(0));
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let mut out = child.wait_with_output().unwrap();
    out.stdout = reader.join().unwrap().unwrap();
    (out, peak)
}

#[test]
fn countless_clients_routes_and_agents_stay_in_bounded_memory() {
    // 400,000 requests, each from its own address, to its own path, with
    // its own User-Agent, all answered 501: past every cap (groups twice
    // over, clients and routes eight times over).
    let dir = temp_dir("countless");
    let path = dir.join("access.log");
    let mut text = Vec::with_capacity(64 << 20);
    for i in 0..400_000u32 {
        let [_, a, b, c] = i.to_be_bytes();
        writeln!(
            text,
            "10.{a}.{b}.{c} - - [07/May/2026:{:02}:{:02}:{:02} +0000] \"GET /probe/{i:x}g \
             HTTP/1.1\" 501 0 \"-\" \"scanner-{i}\"",
            i / 36_000 % 24,
            i / 600 % 60,
            i / 10 % 60
        )
        .unwrap();
    }
    std::fs::write(&path, &text).unwrap();
    let p = path.to_str().unwrap();
    let mut reports = Vec::new();
    for threads in ["1", "2"] {
        let (out, peak_kib) = run_measured(&["--json", "-j", threads, p]);
        assert!(out.status.success(), "{}", stderr(&out));
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        let s = &report["summary"];
        assert_eq!((n(s, "requests"), n(s, "matched")), (400_000, 400_000));
        let groups = report["groups"].as_array().unwrap();
        assert_eq!(groups.len(), 100_000, "the limit, (other) included");
        let total: u64 = groups.iter().map(|g| n(g, "matched")).sum();
        assert_eq!(total, 400_000, "every request in a group or (other)");
        assert!(peak_kib > 0 && peak_kib < 200 << 10, "peak {peak_kib} KiB");
        reports.push(report["groups"].clone());
    }
    assert_eq!(
        reports[0], reports[1],
        "the same groups whatever the threads"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn escape_sequences_in_logs_never_reach_the_terminal() {
    let dir = temp_dir("escapes");
    let path = dir.join("access.log");
    std::fs::write(
        &path,
        "192.0.2.1 - - [07/May/2026:10:00:00 +0000] \"GET /\x1b]0;owned\x07\x1b[2J\u{202e}x \
         HTTP/1.1\" 501 0 \"-\" \"\x1b[31m\"\n\x1b[1;1H\x1b[2Jnot a log line\r\n",
    )
    .unwrap();
    let out = run(&[path.to_str().unwrap()], None);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains(['\x1b', '\x07', '\u{202e}', '\r']),
        "raw control characters printed"
    );
    // In colour, only the report's own colour sequences reach the screen.
    let coloured = run(&["--color", "always", path.to_str().unwrap()], None);
    let coloured = String::from_utf8(coloured.stdout).unwrap();
    assert!(
        coloured.contains("\x1b[1m"),
        "no colour with --color always"
    );
    let mut plain = coloured.clone();
    for sgr in [
        "\x1b[0m",
        "\x1b[1m",
        "\x1b[2m",
        "\x1b[1;31m",
        "\x1b[1;33m",
        "\x1b[36m",
        "\x1b[35m",
    ] {
        plain = plain.replace(sgr, "");
    }
    assert!(
        !plain.contains(['\x1b', '\x07', '\u{202e}', '\r']),
        "raw control characters printed in colour"
    );
    assert_eq!(plain, text, "colour adds nothing but colour");
    assert!(
        text.contains("/\\x1b]0;owned\\x07\\x1b[2J\\u{202e}x"),
        "{text}"
    );
    assert!(text.contains("\\x1b[1;1H\\x1b[2Jnot a log line"), "{text}");
    // Escaped before the table is laid out: its rows stay aligned.
    let table: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.contains("by method and route"))
        .skip(1)
        .take_while(|l| l.starts_with(['┌', '│', '╞', '└', '├']))
        .collect();
    assert!(table.len() >= 4);
    let width = table[0].chars().count();
    assert!(
        table.iter().all(|l| l.chars().count() == width),
        "{table:#?}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_hole_of_nuls_left_by_copytruncate_is_passed_over() {
    // A writer that did not open its log for appending goes on at its old
    // offset after `copytruncate`: the file starts with a hole of NULs,
    // and later truncations leave NULs before a line.
    let dir = temp_dir("hole");
    let (text, truth) = good(25, 3_000);
    let mid = memchr::memchr(b'\n', &text[text.len() / 2..]).unwrap() + text.len() / 2 + 1;
    for (hole, threads) in [(3 << 20, "2"), (1_000, "1"), (70_000, "2")] {
        let mut data = vec![0u8; hole];
        data.extend_from_slice(&text[..mid]);
        data.extend_from_slice(&[0u8; 500]);
        data.extend_from_slice(&text[mid..]);
        let path = dir.join("app.access.log");
        std::fs::write(&path, &data).unwrap();
        let report = json(&["-j", threads, path.to_str().unwrap()]);
        let s = &report["summary"];
        assert_eq!(n(s, "requests"), truth.requests, "hole {hole}");
        assert_eq!(n(s, "matched"), truth.status_501, "hole {hole}");
        assert_eq!(n(s, "malformed"), 0, "hole {hole}");
        assert_eq!(
            s["files"][0]["notes"][0],
            format!(
                "its first {hole} bytes are NULs (a hole left by truncating the file under a \
                 writer that does not append?): passed over"
            )
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// Batch options for the tests that drive the pipeline themselves.
fn batch() -> fiveohone::pipeline::Options {
    fiveohone::pipeline::Options {
        settings: Default::default(),
        format: fiveohone::pipeline::FormatChoice::Auto,
        configured: Vec::new(),
        threads: 2,
        tz: None,
        follow: false,
        progress: None,
    }
}

/// logrotate runs while a batch run reads: the live file renamed away and
/// recreated, a gzip file replaced, a file truncated in place. The file
/// opened is read whole; a file replaced or cut short is named, and the run
/// is partial (exit 1).
#[test]
fn files_that_change_while_read_are_read_whole_or_said() {
    use fiveohone::pipeline::Inputs;
    let dir = temp_dir("changing");
    let (text, truth) = good(31, 40_000);
    let (old, _) = good(32, 1_000);
    std::fs::write(dir.join("access.log"), &text).unwrap();
    std::fs::write(dir.join("access.log.2.gz"), gzip(&old)).unwrap();
    std::fs::write(dir.join("other.log"), &text).unwrap();
    let discovery = fiveohone::input::discover(std::slice::from_ref(&dir));
    let opts = batch();
    let mut inputs = Inputs::prepare(&discovery.sources, &opts);
    // Rename and create, the gzip file replaced, copytruncate.
    std::fs::rename(dir.join("access.log"), dir.join("access.log.1")).unwrap();
    std::fs::write(dir.join("access.log"), b"").unwrap();
    std::fs::write(dir.join("new.gz"), gzip(&text)).unwrap();
    std::fs::rename(dir.join("new.gz"), dir.join("access.log.2.gz")).unwrap();
    let half = text.len() as u64 / 2;
    let cut = std::fs::OpenOptions::new()
        .write(true)
        .open(dir.join("other.log"))
        .unwrap();
    cut.set_len(half).unwrap();
    let agg = inputs.read(&opts).unwrap();
    let by_name = |end: &str| {
        let i = inputs
            .files
            .iter()
            .position(|f| f.name.ends_with(end))
            .unwrap();
        (&inputs.files[i], agg.files.get(&i).map_or(0, |s| s.lines))
    };
    let (live, lines) = by_name("/access.log");
    assert!(live.problems.is_empty(), "{:?}", live.problems);
    assert_eq!(lines, truth.lines, "the renamed file is read whole");
    let (gz, lines) = by_name("access.log.2.gz");
    assert_eq!(lines, 0);
    assert!(
        gz.problems
            .iter()
            .any(|p| p.contains("replaced while it was read")),
        "{:?}",
        gz.problems
    );
    let (other, lines) = by_name("other.log");
    assert!(
        other.problems.iter().any(|p| p.contains("truncated to")),
        "{:?}",
        other.problems
    );
    // Every line that starts before the cut, and the cut one (read as far
    // as it goes).
    let whole = text[..half as usize]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64;
    assert!(
        (whole..=whole + 1).contains(&lines),
        "{lines} lines, {whole} before the cut"
    );
    assert!(gz.unreadable && other.unreadable && !live.unreadable);
    let _ = std::fs::remove_dir_all(dir);
}

/// procfs and sysfs files say their size is 0 and hold lines.
#[test]
fn a_file_whose_size_says_zero_is_read_to_its_end() {
    let path = std::path::Path::new("/proc/version");
    let Ok(text) = std::fs::read_to_string(path) else {
        panic!("no /proc/version on this machine: this test needs Linux's procfs");
    };
    assert_eq!(std::fs::metadata(path).unwrap().len(), 0);
    let out = run(&["--json", "/proc/version"], None);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(n(&report["summary"], "lines"), text.lines().count() as u64);
}
