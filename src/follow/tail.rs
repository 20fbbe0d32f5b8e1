//! Following one log file through rotation, like `tail -F`, without losing
//! or repeating a line.
//!
//! A [`Tail`] keeps the file open and remembers how far it has read and
//! which file (device and inode) it has open. Each [`Tail::poll`]:
//!
//! - reads what was appended and hands over the complete lines; a partial
//!   last line is held until its newline arrives;
//! - if the path now names another file (logrotate's rename and create, or
//!   delete and recreate), keeps reading the old file for a grace period,
//!   since a worker may still write its last lines there, then follows the
//!   new file from its start;
//! - if the file shrank under it (`copytruncate`), first reads the lines it
//!   had not yet read from the copy (`NAME.1`, when that copy starts like the
//!   file did), then follows the file from its start;
//! - if the path does not exist (yet), waits for it.

use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::input::chunk::MAX_LINE;

/// How long a rotated-away file is still read for late lines.
pub const GRACE: Duration = Duration::from_secs(5);

/// What a poll noticed, for the caller's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The file appeared (or reappeared).
    Opened,
    /// The path now names a new file; the old one is read until it is quiet.
    Rotated,
    /// The file shrank: it was truncated in place.
    Truncated,
    /// The rotated-away file is no longer read.
    Retired,
}

/// The identity of an open file.
#[cfg(unix)]
fn identity(meta: &fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn identity(meta: &fs::Metadata) -> (u64, u64) {
    (meta.len(), 0)
}

/// An open file being read.
struct Reader {
    file: File,
    id: (u64, u64),
    offset: u64,
    /// Cuts what is read into lines, holding the partial last one.
    lines: Lines,
    /// First bytes of the file, to recognise its copy after a truncation.
    head: Vec<u8>,
}

impl Reader {
    fn open(path: &Path, start: Option<u64>) -> io::Result<Reader> {
        Reader::from_file(File::open(path)?, start)
    }

    fn from_file(mut file: File, start: Option<u64>) -> io::Result<Reader> {
        file.seek(SeekFrom::Start(0))?;
        let meta = file.metadata()?;
        let mut head = vec![0; 64];
        let n = file.read(&mut head)?;
        head.truncate(n);
        // A file shorter than where it was left was truncated: from the start.
        let offset = start.filter(|&s| s <= meta.len()).unwrap_or(0);
        file.seek(SeekFrom::Start(offset))?;
        Ok(Reader {
            file,
            id: identity(&meta),
            offset,
            lines: Lines::default(),
            head,
        })
    }

    /// Reads to the end, handing complete lines (with their newlines) to
    /// `each`; returns whether anything was read.
    fn drain(&mut self, each: &mut dyn FnMut(&[u8])) -> io::Result<bool> {
        let (offset, head, lines) = (&mut self.offset, &mut self.head, &mut self.lines);
        read_pieces(&mut self.file, |piece| {
            // Keep the file's first bytes: `piece` starts at `offset`.
            let start = *offset;
            *offset += piece.len() as u64;
            let have = head.len() as u64;
            if have < 64 && start <= have && *offset > have {
                let from = (have - start) as usize;
                let to = ((64 - start) as usize).min(piece.len());
                head.extend_from_slice(&piece[from..to]);
            }
            lines.feed(piece, each);
        })
    }

    /// Hands over a held partial line as it is (its file will not grow).
    fn flush(&mut self, each: &mut dyn FnMut(&[u8])) {
        self.lines.flush(each);
    }
}

/// How much of a file is read at a time.
const PIECE: usize = 256 << 10;

/// Reads `file` to its end in pieces of at most [`PIECE`] bytes, handing
/// each to `each`; returns whether anything was read.
fn read_pieces(file: &mut File, mut each: impl FnMut(&[u8])) -> io::Result<bool> {
    let mut buf = vec![0; PIECE];
    let mut any = false;
    loop {
        match file.read(&mut buf) {
            Ok(0) => return Ok(any),
            Ok(n) => {
                any = true;
                each(&buf[..n]);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Cuts appended bytes into complete lines, holding the last partial one.
/// A line longer than [`MAX_LINE`] is handed over cut to `MAX_LINE + 2`
/// bytes (see [`crate::input::chunk`]) and the rest of it is dropped, so a file that never writes a
/// newline does not grow memory.
#[derive(Default)]
struct Lines {
    /// The bytes after the last newline.
    partial: Vec<u8>,
    /// Whether the rest of an over-long line is being dropped.
    skipping: bool,
}

impl Lines {
    /// Hands over the complete lines of `partial` joined with `buf`.
    fn feed(&mut self, mut buf: &[u8], each: &mut dyn FnMut(&[u8])) {
        if self.skipping {
            let Some(i) = memchr::memchr(b'\n', buf) else {
                return;
            };
            buf = &buf[i + 1..];
            self.skipping = false;
        }
        let Some(last) = memchr::memrchr(b'\n', buf) else {
            self.hold(buf, each);
            return;
        };
        if self.partial.is_empty() {
            each(&buf[..=last]);
        } else {
            self.partial.extend_from_slice(&buf[..=last]);
            each(&self.partial);
            self.partial.clear();
        }
        self.hold(&buf[last + 1..], each);
    }

    /// Holds `rest`, the start of a line, or hands it over cut if the line
    /// is too long.
    fn hold(&mut self, rest: &[u8], each: &mut dyn FnMut(&[u8])) {
        let room = (MAX_LINE + 2).saturating_sub(self.partial.len());
        if rest.len() < room {
            self.partial.extend_from_slice(rest);
            return;
        }
        self.partial.extend_from_slice(&rest[..room]);
        self.partial.push(b'\n');
        each(&self.partial);
        self.partial.clear();
        self.skipping = true;
    }

    /// Hands over a held partial line as it is.
    fn flush(&mut self, each: &mut dyn FnMut(&[u8])) {
        if !self.partial.is_empty() {
            each(&std::mem::take(&mut self.partial));
        }
        self.skipping = false;
    }
}

/// Follows one path.
pub struct Tail {
    path: PathBuf,
    current: Option<Reader>,
    /// A rotated-away file still read for late lines, and when it was last
    /// seen to grow.
    retired: Option<(Reader, Instant)>,
    /// Where the first open starts (the caller read up to there itself).
    start: Option<u64>,
}

impl Tail {
    /// Follows `path` from its start.
    pub fn new(path: PathBuf) -> Tail {
        Tail {
            path,
            current: None,
            retired: None,
            start: None,
        }
    }

    /// Follows `path` from byte `offset` of the file it names now (the
    /// caller read what comes before).
    pub fn resume(path: PathBuf, offset: u64) -> Tail {
        Tail {
            start: Some(offset),
            ..Tail::new(path)
        }
    }

    /// Follows `path` from byte `offset` of `file`, the file the caller read
    /// up to there: whatever happened to the path since (rotation,
    /// truncation) is then noticed like any other.
    pub fn resume_file(path: PathBuf, file: File, offset: u64) -> io::Result<Tail> {
        Ok(Tail {
            current: Some(Reader::from_file(file, Some(offset))?),
            ..Tail::new(path)
        })
    }

    /// The path followed.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads what is new, handing complete lines (newlines included, in
    /// blocks) to `each`, and returns what changed.
    pub fn poll(&mut self, each: &mut dyn FnMut(&[u8])) -> io::Result<Vec<Change>> {
        let mut changes = Vec::new();
        if let Some((old, quiet_since)) = &mut self.retired {
            if old.drain(each)? {
                *quiet_since = Instant::now();
            } else if quiet_since.elapsed() >= GRACE {
                old.flush(each);
                self.retired = None;
                changes.push(Change::Retired);
            }
        }
        let meta = match fs::metadata(&self.path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                // Renamed or deleted: a worker may still write to it.
                if let Some(cur) = &mut self.current {
                    cur.drain(each)?;
                }
                return Ok(changes);
            }
            Err(e) => return Err(e),
        };
        match &mut self.current {
            None => {
                self.current = Some(Reader::open(&self.path, self.start.take())?);
                changes.push(Change::Opened);
                if let Some(cur) = &mut self.current {
                    cur.drain(each)?;
                }
            }
            Some(cur) if identity(&meta) != cur.id => {
                // Renamed or deleted and recreated: the new file from its start.
                cur.drain(each)?;
                let old = self.current.take();
                // Two rotations since the last look: the older file is done.
                if let Some((mut previous, _)) = self.retired.take() {
                    previous.drain(each)?;
                    previous.flush(each);
                }
                self.retired = old.map(|o| (o, Instant::now()));
                self.current = Some(Reader::open(&self.path, None)?);
                changes.push(Change::Rotated);
                if let Some(cur) = &mut self.current {
                    cur.drain(each)?;
                }
            }
            Some(cur) if meta.len() < cur.offset || !starts_with(&self.path, &cur.head)? => {
                // Truncated in place: what was not read yet is in the copy.
                read_copy(&self.path, cur, each)?;
                cur.flush(each);
                cur.file.seek(SeekFrom::Start(0))?;
                cur.offset = 0;
                cur.head.clear();
                changes.push(Change::Truncated);
                cur.drain(each)?;
            }
            Some(cur) => {
                cur.drain(each)?;
            }
        }
        Ok(changes)
    }

    /// Reads what is left and hands over held partial lines, at the end
    /// of following.
    pub fn finish(&mut self, each: &mut dyn FnMut(&[u8])) {
        if let Some((old, _)) = &mut self.retired {
            let _ = old.drain(each);
            old.flush(each);
        }
        if let Some(cur) = &mut self.current {
            let _ = cur.drain(each);
            cur.flush(each);
        }
    }
}

/// Whether the file at `path` still starts with `head` (a truncated file
/// that grew past the old offset again no longer does, as a rule).
fn starts_with(path: &Path, head: &[u8]) -> io::Result<bool> {
    if head.is_empty() {
        return Ok(true);
    }
    let mut first = vec![0; head.len()];
    let mut file = File::open(path)?;
    let mut filled = 0;
    while filled < first.len() {
        match file.read(&mut first[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(first[..filled] == *head)
}

/// After a `copytruncate`, reads from the copy (`NAME.1`) the bytes past
/// what `cur` had read, if the copy starts like the file did.
fn read_copy(path: &Path, cur: &mut Reader, each: &mut dyn FnMut(&[u8])) -> io::Result<()> {
    let mut name = path.as_os_str().to_owned();
    name.push(".1");
    let Ok(mut copy) = File::open(PathBuf::from(name)) else {
        return Ok(());
    };
    let mut head = vec![0; cur.head.len()];
    if copy.read_exact(&mut head).is_err() || head != cur.head {
        return Ok(());
    }
    if copy.metadata()?.len() <= cur.offset {
        return Ok(());
    }
    copy.seek(SeekFrom::Start(cur.offset))?;
    read_pieces(&mut copy, |piece| {
        cur.offset += piece.len() as u64;
        cur.lines.feed(piece, each);
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("fiveohone-tail-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    fn append(path: &Path, from: usize, to: usize) {
        let mut f = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .unwrap();
        for i in from..to {
            writeln!(f, "line {i}").unwrap();
        }
    }

    /// Polls and collects the line numbers seen.
    fn poll(tail: &mut Tail, seen: &mut Vec<usize>) -> Vec<Change> {
        tail.poll(&mut |block| {
            for line in block.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                let text = std::str::from_utf8(line).unwrap();
                seen.push(text.trim_start_matches("line ").parse().unwrap());
            }
        })
        .unwrap()
    }

    #[test]
    fn appends_and_partial_lines() {
        let d = dir("append");
        let p = d.join("access.log");
        append(&p, 0, 10);
        let mut tail = Tail::new(p.clone());
        let mut seen = Vec::new();
        assert_eq!(poll(&mut tail, &mut seen), [Change::Opened]);
        let mut f = fs::OpenOptions::new().append(true).open(&p).unwrap();
        write!(f, "line 1").unwrap();
        poll(&mut tail, &mut seen);
        assert_eq!(seen.len(), 10, "a partial line is held");
        writeln!(f, "0").unwrap();
        poll(&mut tail, &mut seen);
        assert_eq!(seen, (0..11).collect::<Vec<_>>());
        let _ = fs::remove_dir_all(d);
    }

    #[test]
    fn rename_and_create_with_late_lines() {
        let d = dir("rename");
        let p = d.join("access.log");
        append(&p, 0, 5);
        let mut tail = Tail::new(p.clone());
        let mut seen = Vec::new();
        poll(&mut tail, &mut seen);
        append(&p, 5, 8); // not yet read when the rotation happens
        fs::rename(&p, d.join("access.log.1")).unwrap();
        append(&p, 100, 103);
        assert_eq!(poll(&mut tail, &mut seen), [Change::Rotated]);
        // The old worker still writes to the renamed file.
        append(&d.join("access.log.1"), 8, 10);
        poll(&mut tail, &mut seen);
        append(&p, 103, 105);
        poll(&mut tail, &mut seen);
        seen.sort_unstable();
        let want: Vec<usize> = (0..10).chain(100..105).collect();
        assert_eq!(seen, want);
        let _ = fs::remove_dir_all(d);
    }

    #[test]
    fn copytruncate_reads_the_rest_from_the_copy() {
        let d = dir("copytruncate");
        let p = d.join("access.log");
        append(&p, 0, 5);
        let mut tail = Tail::new(p.clone());
        let mut seen = Vec::new();
        poll(&mut tail, &mut seen);
        append(&p, 5, 9); // written before the copy, not read yet
        fs::copy(&p, d.join("access.log.1")).unwrap();
        fs::OpenOptions::new()
            .write(true)
            .open(&p)
            .unwrap()
            .set_len(0)
            .unwrap();
        append(&p, 100, 102);
        assert_eq!(poll(&mut tail, &mut seen), [Change::Truncated]);
        assert_eq!(seen, (0..9).chain(100..102).collect::<Vec<_>>());
        let _ = fs::remove_dir_all(d);
    }

    #[test]
    fn copytruncate_noticed_after_the_file_grew_back() {
        let d = dir("regrown");
        let p = d.join("access.log");
        append(&p, 0, 3);
        let mut tail = Tail::new(p.clone());
        let mut seen = Vec::new();
        poll(&mut tail, &mut seen);
        fs::copy(&p, d.join("access.log.1")).unwrap();
        fs::OpenOptions::new()
            .write(true)
            .open(&p)
            .unwrap()
            .set_len(0)
            .unwrap();
        append(&p, 100, 110); // longer than what was read before
        assert_eq!(poll(&mut tail, &mut seen), [Change::Truncated]);
        assert_eq!(seen, (0..3).chain(100..110).collect::<Vec<_>>());
        let _ = fs::remove_dir_all(d);
    }

    #[test]
    fn missing_then_created_then_deleted_and_recreated() {
        let d = dir("missing");
        let p = d.join("access.log");
        let mut tail = Tail::new(p.clone());
        let mut seen = Vec::new();
        assert!(poll(&mut tail, &mut seen).is_empty());
        append(&p, 0, 3);
        assert_eq!(poll(&mut tail, &mut seen), [Change::Opened]);
        fs::remove_file(&p).unwrap();
        assert!(poll(&mut tail, &mut seen).is_empty());
        append(&p, 10, 12);
        assert_eq!(poll(&mut tail, &mut seen), [Change::Rotated]);
        assert_eq!(seen, [0, 1, 2, 10, 11]);
        let _ = fs::remove_dir_all(d);
    }

    #[test]
    fn resume_skips_the_history_once() {
        let d = dir("resume");
        let p = d.join("access.log");
        append(&p, 0, 50);
        let len = fs::metadata(&p).unwrap().len();
        let mut tail = Tail::resume(p.clone(), len);
        let mut seen = Vec::new();
        poll(&mut tail, &mut seen);
        assert!(seen.is_empty());
        append(&p, 50, 52);
        fs::rename(&p, d.join("access.log.1")).unwrap();
        append(&p, 60, 61);
        poll(&mut tail, &mut seen);
        assert_eq!(seen, [50, 51, 60], "a new file is read from its start");
        let _ = fs::remove_dir_all(d);
    }

    #[test]
    fn a_line_without_end_is_cut_not_held() {
        let mut lines = Lines::default();
        let mut seen: Vec<usize> = Vec::new();
        let mut each = |b: &[u8]| seen.extend(b.split_inclusive(|&c| c == b'\n').map(<[u8]>::len));
        lines.feed(b"ok\n", &mut each);
        let piece = vec![b'x'; MAX_LINE / 3];
        for _ in 0..10 {
            lines.feed(&piece, &mut each);
            assert!(lines.partial.len() <= MAX_LINE + 2);
        }
        lines.feed(b"tail\nnext\n", &mut each);
        assert_eq!(seen, [3, MAX_LINE + 3, 5]);
    }
}
