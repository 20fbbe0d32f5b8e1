//! Real-world samples in `../shared/corpus` (origins and licences in its
//! README): every real access or error line must parse. The lines that do
//! not are listed here one by one, each with the reason it is not a line
//! fiveohone should read. Skipped, with a message, when the folder is absent.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;

/// `file:line` of every corpus line that does not parse, and why.
const NOT_READ: &[(&str, &str)] = &[
    (
        "apache-httpd-docs/httpd-manual-examples.log:12",
        "documentation example cut before the status",
    ),
    (
        "elastic-beats/filebeat/module/apache/access/test/ssl-request.log:1",
        "mod_ssl ssl_request_log: no status field",
    ),
    (
        "elastic-beats/filebeat/module/apache/access/test/ssl-request.log:2",
        "mod_ssl ssl_request_log: no status field",
    ),
    (
        "lnav/access_log.json.samples.log:3",
        "lnav's own custom test layout",
    ),
    (
        "lnav/access_log.json.samples.log:4",
        "lnav's own custom test layout",
    ),
    (
        "lnav/error_log.json.samples.log:1",
        "a CUPS error line, not nginx or Apache",
    ),
    (
        "lnav/logfile_bad_access_log.0:2",
        "deliberately broken: ident and user missing",
    ),
    (
        "matomo-log-analytics/gandi.log:1",
        "a hosting provider's own layout with `(0 s)`; use --log-format",
    ),
    (
        "matomo-log-analytics/gandi.log:2",
        "a hosting provider's own layout with `(0 s)`; use --log-format",
    ),
    (
        "matomo-log-analytics/logs_to_tests.log:5",
        "`#` annotation of the origin project",
    ),
    (
        "vrl/parse_apache_log.rs.extracted.log:9",
        "parser test input, not a log line",
    ),
    (
        "vrl/parse_apache_log.rs.extracted.log:10",
        "parser test input, not a log line",
    ),
    (
        "vrl/parse_apache_log.rs.extracted.log:11",
        "parser test input, not a log line",
    ),
    (
        "vrl/parse_apache_log.rs.extracted.log:12",
        "parser test input, not a log line",
    ),
    (
        "vrl/parse_apache_log.rs.extracted.log:13",
        "parser test input, not a log line",
    ),
    (
        "vrl/parse_common_log.rs.extracted.log:3",
        "parser test input, not a log line",
    ),
    (
        "vrl/parse_common_log.rs.extracted.log:4",
        "parser test input, not a log line",
    ),
    (
        "vrl/parse_common_log.rs.extracted.log:6",
        "parser test input, not a log line",
    ),
    (
        "vrl/parse_common_log.rs.extracted.log:7",
        "parser test input, not a log line",
    ),
];

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path.file_name().is_some_and(|n| n != "README.md") {
            out.push(path);
        }
    }
}

#[test]
fn every_real_line_of_the_corpus_parses() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("skipped: {} is absent", corpus.display());
        return;
    }
    let mut all = Vec::new();
    files(&corpus, &mut all);
    all.sort();
    assert!(all.len() > 40, "corpus files found: {}", all.len());
    let (mut lines, mut not_read) = (0, BTreeSet::new());
    for path in &all {
        // A file of which no line is an access or error line (mod_ssl's
        // request log) exits 1; the report is written all the same.
        let out = run(&["--json", path.to_str().unwrap()], None);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{}: {}",
            path.display(),
            stderr(&out)
        );
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let s = &report["summary"];
        lines += n(s, "lines");
        let samples = s["malformed_samples"].as_array().unwrap();
        assert_eq!(
            samples.len() as u64,
            n(s, "malformed"),
            "{}: more than the samples show",
            path.display()
        );
        let rel = path.strip_prefix(&corpus).unwrap().display().to_string();
        for m in samples {
            not_read.insert(format!("{rel}:{}", m["line"]));
        }
    }
    let expected: BTreeSet<String> = NOT_READ.iter().map(|(l, _)| l.to_string()).collect();
    assert_eq!(not_read, expected);
    assert!(lines > 13_000);
}
