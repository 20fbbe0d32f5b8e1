//! `--state FILE`: what live mode has counted and announced, saved often
//! and atomically, so that a restart after a crash, `kill -9` or a reboot
//! reads only the lines it had not counted and announces nothing twice.
//!
//! The file is CBOR (RFC 8949) of [`Saved`]: a version, the settings the
//! counters depend on, the counters themselves, the input names they are
//! keyed by, where each followed file was read to ([`Position`]), the
//! bursts announced and where the closed windows (the CSV rows written)
//! end. It is written to `FILE.tmp`, synced and renamed over `FILE`, so a
//! crash leaves the old state or the new one, never half of one.
//!
//! On a restart each file is read from where it was counted to, found by
//! its identity or its first bytes, also when it was rotated or compressed
//! meanwhile (`NAME.1`, `NAME.1.gz`, `NAME-20261201`); a rotated copy the
//! followers had listed, unchanged since, was counted already; any other
//! file is new and is read whole.

use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::bursts::Reported;
use super::tail::{file_start, Listed, Position};
use crate::aggregate::Aggregate;

/// The version of the file's layout; another one is refused.
pub const VERSION: u32 = 1;

/// The state as read back.
#[derive(Deserialize)]
pub struct Saved {
    /// [`VERSION`].
    pub version: u32,
    /// `--window`, seconds.
    pub window: i64,
    /// `--status`, as given.
    pub status: String,
    /// When the files were last looked at before it was written, Unix
    /// seconds.
    pub saved_at: f64,
    /// The input names the counters' file indices stand for.
    pub names: Vec<String>,
    /// The counters.
    pub agg: Aggregate,
    /// How far each followed path was read.
    pub files: Vec<FileState>,
    /// The bursts announced.
    pub reported: Reported,
    /// Where the closed windows end.
    pub closed_until: i64,
}

/// The state to write: the same fields, borrowed.
#[derive(Serialize)]
pub struct Saving<'a> {
    /// See [`Saved`].
    pub version: u32,
    /// See [`Saved`].
    pub window: i64,
    /// See [`Saved`].
    pub status: &'a str,
    /// See [`Saved`].
    pub saved_at: f64,
    /// See [`Saved`].
    pub names: Vec<&'a str>,
    /// See [`Saved`].
    pub agg: &'a Aggregate,
    /// See [`Saved`].
    pub files: Vec<FileState>,
    /// See [`Saved`].
    pub reported: &'a Reported,
    /// See [`Saved`].
    pub closed_until: i64,
}

/// How far one followed path was read: the file under it and those
/// rotated away still read.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileState {
    /// The path followed.
    pub path: PathBuf,
    /// Its files' positions.
    pub positions: Vec<Position>,
    /// Its rotated copies as last listed: seen, so counted (or left out).
    pub listed: Vec<Listed>,
}

/// Unix seconds of `t`.
pub fn unix(t: SystemTime) -> f64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// Reads the state at `path`: `None` when there is none yet.
pub fn load(path: &Path) -> Result<Option<Saved>, String> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("--state {}: {e}", path.display())),
    };
    let saved: Saved = ciborium::from_reader(BufReader::new(file)).map_err(|e| {
        format!(
            "--state {}: not a fiveohone state file, or from another version ({e}): \
             remove it to start afresh",
            path.display()
        )
    })?;
    if saved.version != VERSION {
        return Err(format!(
            "--state {}: saved by another version of fiveohone (layout {}, this one reads {VERSION}): \
             remove it to start afresh",
            path.display(),
            saved.version
        ));
    }
    Ok(Some(saved))
}

impl Saved {
    /// Refuses a state whose counters were kept with another window or
    /// status set.
    pub fn check(&self, path: &Path, window: i64, status: &str) -> Result<(), String> {
        if self.window == window && self.status == status {
            return Ok(());
        }
        Err(format!(
            "--state {}: saved with --window {}s --status {}, and this run has --window {window}s \
             --status {status}: give the same, or another --state",
            path.display(),
            self.window,
            self.status
        ))
    }

    /// What a restart does with the file at `path` (`rotated`: not the live
    /// name of its family).
    pub fn start(&self, path: &Path, rotated: bool) -> Start {
        let positions: Vec<&Position> = self.files.iter().flat_map(|f| &f.positions).collect();
        let listed: Vec<&Listed> = self.files.iter().flat_map(|f| &f.listed).collect();
        start(&positions, &listed, path, rotated)
    }
}

/// What a restart does with the file at `path`, given where the followed
/// files were counted to and the rotated copies the followers had seen: a
/// file that is one of them is read on from its position; a rotated copy
/// seen as it is now was counted (or left out of the history); anything
/// else is new.
pub fn start(positions: &[&Position], listed: &[&Listed], path: &Path, rotated: bool) -> Start {
    let Some((id, head, _)) = file_start(path) else {
        return Start::Whole;
    };
    if let Some(p) = positions.iter().find(|p| p.is(id, &head)) {
        return Start::From(p.offset);
    }
    let seen = fs::metadata(path).is_ok_and(|m| listed.contains(&&Listed::of(&m)));
    if rotated && seen {
        Start::Counted
    } else {
        Start::Whole
    }
}

/// What a restart does with a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// New since the save: read it whole.
    Whole,
    /// Counted up to this byte (of its decoded bytes): read the rest.
    From(u64),
    /// Counted before (or left out of the history then): not read.
    Counted,
}

/// Writes `state` to `path` atomically: a temporary file beside it,
/// synced, renamed over it.
pub fn save(path: &Path, state: &Saving) -> io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let file = File::create(&tmp)?;
    let mut out = BufWriter::new(file);
    ciborium::into_writer(state, &mut out).map_err(io::Error::other)?;
    out.flush()?;
    out.get_ref().sync_all()?;
    fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_state_reads_back_and_a_foreign_file_is_refused() {
        let dir = std::env::temp_dir().join(format!("fiveohone-state-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("state");
        let agg = Aggregate::default();
        let reported = Reported::default();
        let saving = Saving {
            version: VERSION,
            window: 300,
            status: "501",
            saved_at: 1_700_000_000.0,
            names: vec!["access.log"],
            agg: &agg,
            files: vec![FileState {
                path: "access.log".into(),
                positions: vec![Position {
                    id: (1, 2),
                    head: b"10.0.0.1 - -".to_vec(),
                    offset: 4096,
                }],
                listed: Vec::new(),
            }],
            reported: &reported,
            closed_until: 1_700_000_000,
        };
        save(&path, &saving).unwrap();
        let back = load(&path).unwrap().unwrap();
        assert_eq!((back.window, back.names.len()), (300, 1));
        assert_eq!(back.files[0].positions[0].offset, 4096);
        assert!(back.check(&path, 300, "501").is_ok());
        let err = back.check(&path, 60, "501").err().unwrap();
        assert!(err.contains("--window 300s"), "{err}");
        fs::write(&path, b"not cbor at all").unwrap();
        assert!(load(&path)
            .err()
            .unwrap()
            .contains("remove it to start afresh"));
        assert!(load(&dir.join("none")).unwrap().is_none());
        let _ = fs::remove_dir_all(dir);
    }
}
