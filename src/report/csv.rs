//! CSV output: `summary.csv`, `files.csv`, `groups.csv`, `windows.csv` and
//! `events.csv`, each
//! with a header row. Each file is written to a temporary name and renamed
//! when complete, so a failed run never leaves a half-written file behind.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::Report;

#[derive(Serialize)]
struct SummaryCsv<'a> {
    lines: u64,
    parsed: u64,
    malformed: u64,
    blank: u64,
    requests: u64,
    matched: u64,
    events: u64,
    status: &'a str,
    window_secs: i64,
    first: Option<&'a str>,
    last: Option<&'a str>,
    files: usize,
}

#[derive(Serialize)]
struct FileCsv<'a> {
    path: &'a str,
    format: Option<&'a str>,
    compression: Option<&'a str>,
    lines: u64,
    parsed: u64,
    malformed: u64,
    blank: u64,
    skipped: Option<&'a str>,
    problems: String,
    events: u64,
    zone: Option<&'a str>,
}

/// Writes the report's CSV files into `dir` (created if needed) and returns
/// their paths.
pub fn write(report: &Report, dir: &Path) -> io::Result<Vec<PathBuf>> {
    fs::create_dir_all(dir).map_err(|e| context(e, dir))?;
    let s = &report.summary;
    let mut written = vec![write_rows(
        dir,
        "summary.csv",
        [SummaryCsv {
            lines: s.lines,
            parsed: s.parsed,
            malformed: s.malformed,
            blank: s.blank,
            requests: s.requests,
            matched: s.matched,
            events: s.events,
            status: &s.status,
            window_secs: s.window_secs,
            first: s.first.as_deref(),
            last: s.last.as_deref(),
            files: s.files.len(),
        }],
    )?];
    written.push(write_rows(
        dir,
        "files.csv",
        s.files.iter().map(|f| FileCsv {
            path: &f.path,
            format: f.format.as_deref(),
            compression: f.compression.as_deref(),
            lines: f.lines,
            parsed: f.parsed,
            malformed: f.malformed,
            blank: f.blank,
            skipped: f.skipped.as_deref(),
            problems: f.problems.join("; "),
            events: f.events,
            zone: f.zone.as_deref(),
        }),
    )?);
    written.push(write_rows(dir, "groups.csv", report.groups.iter())?);
    written.push(write_rows(dir, "windows.csv", report.windows.iter())?);
    written.push(write_rows(dir, "events.csv", report.events.iter())?);
    Ok(written)
}

fn write_rows<T: Serialize>(
    dir: &Path,
    name: &str,
    rows: impl IntoIterator<Item = T>,
) -> io::Result<PathBuf> {
    let path = dir.join(name);
    let tmp = dir.join(format!(".{name}.tmp"));
    let result = (|| {
        let mut w = csv::Writer::from_path(&tmp)?;
        for row in rows {
            w.serialize(row)?;
        }
        w.flush()?;
        Ok::<_, csv::Error>(())
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(context(io::Error::other(e), &path));
    }
    fs::rename(&tmp, &path).map_err(|e| context(e, &path))?;
    Ok(path)
}

fn context(e: io::Error, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {}", path.display(), e))
}
