//! The counters file: what a run counted (`--counters-out`), read back and
//! merged instead of logs (`--counters-in`), so that each host counts its
//! own logs and one run detects over them all.
//!
//! A file is one CBOR (RFC 8949) map: the format's name and layout
//! version, the settings it was counted with (window, status set,
//! `--since`/`--until`), the inputs with their notes, the paths that could
//! not be read, and the aggregate — every per-window and per-segment
//! counter detection needs, the groups and the error-log events. Files are
//! merged with the same associative merge the reading threads use.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::aggregate::{Aggregate, Settings};
use crate::pipeline::{Analysis, InputFile};

/// The format's name, first in every file.
pub const FORMAT: &str = "fiveohone counters";

/// The layout version; a file of another is refused.
pub const VERSION: u32 = 1;

/// The settings a file was counted with; files merge only when they agree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Counted {
    window: i64,
    status: String,
    since: Option<i64>,
    until: Option<i64>,
}

impl Counted {
    fn of(settings: &Settings) -> Counted {
        Counted {
            window: settings.window,
            status: settings.status.spec().to_string(),
            since: settings.since,
            until: settings.until,
        }
    }
}

/// A file as written.
#[derive(Serialize)]
struct Out<'a> {
    format: &'a str,
    version: u32,
    counted: Counted,
    inputs: &'a [InputFile],
    errors: &'a [String],
    ignored: &'a [PathBuf],
    aggregate: &'a Aggregate,
}

/// A file as read (its format and version checked by [`Header`] first).
#[derive(Deserialize)]
struct In {
    counted: Counted,
    inputs: Vec<InputFile>,
    errors: Vec<String>,
    ignored: Vec<PathBuf>,
    aggregate: Aggregate,
}

/// The start of any version's file: enough to say why it is refused.
#[derive(Deserialize)]
struct Header {
    format: String,
    version: u32,
}

/// Writes what `analysis` counted to `path` (`-`: stdout). A file is
/// written whole or not at all (a temporary file renamed over it).
pub fn write(path: &Path, analysis: &Analysis) -> Result<(), String> {
    let out = Out {
        format: FORMAT,
        version: VERSION,
        counted: Counted::of(&analysis.settings),
        inputs: &analysis.inputs,
        errors: &analysis.errors,
        ignored: &analysis.ignored,
        aggregate: &analysis.aggregate,
    };
    let failed = |e: &dyn std::fmt::Display| format!("--counters-out {}: {e}", path.display());
    if path.as_os_str() == "-" {
        let mut stdout = BufWriter::new(io::stdout().lock());
        ciborium::into_writer(&out, &mut stdout).map_err(|e| failed(&e))?;
        return stdout.flush().map_err(|e| failed(&e));
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let mut file = BufWriter::new(File::create(&tmp).map_err(|e| failed(&e))?);
    ciborium::into_writer(&out, &mut file).map_err(|e| failed(&e))?;
    file.flush().map_err(|e| failed(&e))?;
    drop(file);
    std::fs::rename(&tmp, path).map_err(|e| failed(&e))
}

/// Reads the counters files `paths` (`-`: stdin) and merges them into one
/// analysis with `settings`, which every file must have been counted with.
pub fn read(paths: &[PathBuf], settings: &Settings) -> Result<Analysis, String> {
    let all = Analysis {
        inputs: Vec::new(),
        errors: Vec::new(),
        ignored: Vec::new(),
        aggregate: Aggregate::default(),
        settings: settings.clone(),
    };
    read_into(all, paths)
}

/// Merges the counters files `paths` (`-`: stdin) into `all`, the analysis
/// of the logs read beside them (error logs kept centrally, say); every
/// file must have been counted with its settings.
pub fn read_into(mut all: Analysis, paths: &[PathBuf]) -> Result<Analysis, String> {
    for path in paths {
        let said = |e: String| format!("--counters-in {}: {e}", path.display());
        let mut bytes = Vec::new();
        let read = if path.as_os_str() == "-" {
            io::stdin().lock().read_to_end(&mut bytes)
        } else {
            File::open(path).and_then(|f| BufReader::new(f).read_to_end(&mut bytes))
        };
        read.map_err(|e| said(e.to_string()))?;
        merge_bytes(&mut all, &bytes).map_err(said)?;
    }
    all.aggregate.finish();
    Ok(all)
}

/// The analysis in the counters file `bytes`, for a run with `settings`.
pub fn decode(bytes: &[u8], settings: &Settings) -> Result<Analysis, String> {
    let mut all = read(&[], settings)?;
    merge_bytes(&mut all, bytes)?;
    all.aggregate.finish();
    Ok(all)
}

/// Merges the counters file `bytes` into `all`, if it was counted with
/// its settings.
fn merge_bytes(all: &mut Analysis, bytes: &[u8]) -> Result<(), String> {
    let file = parse(bytes)?;
    let want = Counted::of(&all.settings);
    if file.counted != want {
        return Err(format!(
            "counted with {}, but this run asks for {}; give the same --window, --status, --since and --until",
            describe(&file.counted),
            describe(&want)
        ));
    }
    let offset = all.inputs.len();
    let aggregate = file.aggregate.renumber(&|i| i + offset);
    all.aggregate = std::mem::take(&mut all.aggregate).merge(aggregate);
    all.inputs.extend(file.inputs);
    all.errors.extend(file.errors);
    all.ignored.extend(file.ignored);
    Ok(())
}

/// One file's contents, its format and version checked.
fn parse(bytes: &[u8]) -> Result<In, String> {
    let header: Header = ciborium::from_reader(bytes)
        .map_err(|_| format!("not a {FORMAT} file (written by --counters-out)"))?;
    if header.format != FORMAT {
        return Err(format!("not a {FORMAT} file (written by --counters-out)"));
    }
    if header.version != VERSION {
        return Err(format!(
            "layout version {} (this fiveohone reads version {VERSION}): count the logs again with this version",
            header.version
        ));
    }
    ciborium::from_reader(bytes).map_err(|e| format!("damaged: {e}"))
}

/// The settings as the options that give them.
fn describe(c: &Counted) -> String {
    let mut said = format!("--window {}s --status {}", c.window, c.status);
    for (name, t) in [("--since", c.since), ("--until", c.until)] {
        if let Some(t) = t {
            said.push_str(&format!(" {name} {}", crate::timefmt::rfc3339(t)));
        }
    }
    said
}
