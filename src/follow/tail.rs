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
//!   new file from its start. A file rotated in and out again between two
//!   looks (two rotations) is found among the rotated copies: one written
//!   since the last look that is none of the files read (by identity, and by
//!   its first bytes, since compressing a copy makes a new file) is read
//!   whole, decoded if it is gzip;
//! - if the file was truncated in place (`copytruncate`: it shrank, or its
//!   data no longer starts with the same bytes), first reads the lines it
//!   had not yet read from the copy (the newest rotated copy that starts
//!   like the file did: `NAME.1`, `NAME-20261201`, or either gzipped), then
//!   follows the file from its start, past the hole of NULs a writer that
//!   keeps its offset leaves;
//! - a gzip file under the live name is decoded, never read as text;
//! - if the path does not exist (yet), waits for it.

use std::collections::VecDeque;
use std::fs::{self, File};
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crate::input::chunk::MAX_LINE;
use crate::input::discover::rotated_copies;
use crate::input::open::{data_start, decode_head, Compression, Members};
use crate::input::opened::identity;

/// How long a rotated-away file is still read for late lines.
pub const GRACE: Duration = Duration::from_secs(5);

/// Bytes of a file's start kept to recognise it (its copy, its gzipped
/// copy).
const HEAD: usize = 64;

/// First bytes of the files read lately, kept to recognise their copies.
const SEEN: usize = 64;

/// What a poll noticed, for the caller's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The file appeared (or reappeared).
    Opened,
    /// The path now names a new file; the old one is read until it is quiet.
    Rotated,
    /// A file rotated in and out between two looks, read whole.
    Between(PathBuf),
    /// The file was truncated in place; the lines not read yet were read
    /// from this copy (`None`: no copy starts like the file did, so what was
    /// written between the last read and the truncation may be lost).
    Truncated(Option<PathBuf>),
    /// The file under the live name is gzip: decoded.
    Gzip,
    /// The rotated-away file is no longer read.
    Retired,
}

/// Whether two files' first bytes say they are one file (or one is the
/// other's copy): neither is empty and the shorter starts the longer.
fn same_start(a: &[u8], b: &[u8]) -> bool {
    let n = a.len().min(b.len());
    n > 0 && a[..n] == b[..n]
}

/// A rotated copy as a follower last listed it: its identity, size and
/// last write (Unix seconds). A restart takes a copy listed so, and not
/// changed since, as seen.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Listed {
    /// Device and inode.
    pub id: (u64, u64),
    /// Size in bytes.
    pub len: u64,
    /// Last write, Unix seconds.
    pub written: f64,
}

impl Listed {
    /// The file with `meta`, as listed.
    pub fn of(meta: &fs::Metadata) -> Listed {
        Listed {
            id: identity(meta),
            len: meta.len(),
            written: meta.modified().map_or(0.0, super::state::unix),
        }
    }
}

/// How far a followed file was counted: which file (its identity and
/// first bytes, which also tell its compressed copy), and the byte after its
/// last complete line read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Position {
    /// Device and inode.
    pub id: (u64, u64),
    /// The first bytes of its data (up to 64).
    pub head: Vec<u8>,
    /// Where the next line starts.
    pub offset: u64,
}

impl Position {
    /// Whether the file with `id` and first bytes `head` is this one: the
    /// same file (an inode number can be reused, so the bytes must agree
    /// too), or a copy of it (compressed: another inode).
    pub fn is(&self, id: (u64, u64), head: &[u8]) -> bool {
        same_start(head, &self.head) || (id == self.id && self.head.is_empty() && head.is_empty())
    }
}

/// The identity and first bytes of the file at `path` (decoded, if it is
/// gzip), and whether it is gzip.
pub fn file_start(path: &Path) -> Option<((u64, u64), Vec<u8>, bool)> {
    let mut file = File::open(path).ok()?;
    let id = identity(&file.metadata().ok()?);
    let (head, gzip) = head_of(&mut file)?;
    Some((id, head, gzip))
}

/// Where a block of lines was read: the file, as named when it was opened,
/// and the number (1-based) of the block's first line in it.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    /// The file.
    pub file: &'a Path,
    /// Its line number.
    pub line: u64,
}

/// What takes the lines read: blocks of whole lines, and where they were.
pub type Each<'a> = dyn FnMut(&[u8], Place<'_>) + 'a;

/// An open file being read.
struct Reader {
    file: File,
    id: (u64, u64),
    offset: u64,
    /// Where its data starts, past a hole of NULs at its start.
    start: u64,
    /// Cuts what is read into lines, holding the partial last one.
    lines: Lines,
    /// The first bytes of its data, to recognise its copy after a
    /// truncation.
    head: Vec<u8>,
    /// A gzip file: decoded whole once, never read as text.
    gzip: bool,
}

impl Reader {
    fn open(path: &Path, start: Option<u64>) -> io::Result<Reader> {
        Reader::from_file(path, File::open(path)?, start)
    }

    /// Reads `file`, named `name`, from `start` (from its data's start with
    /// `None`). The lines before `start` are counted once, to number the
    /// lines read.
    fn from_file(name: &Path, mut file: File, start: Option<u64>) -> io::Result<Reader> {
        let meta = file.metadata()?;
        let (data, head) = data_head(&mut file)?;
        let gzip = Compression::sniff(&head) == Compression::Gzip;
        // A file shorter than where it was left was truncated: from the start.
        let offset = match start {
            Some(s) if s <= meta.len() => s,
            _ => data,
        };
        // (A gzip file is numbered as it is decoded.)
        let before = match gzip {
            true => 0,
            false => {
                file.seek(SeekFrom::Start(data))?;
                count_lines(&mut (&mut file).take(offset.saturating_sub(data)))?
            }
        };
        file.seek(SeekFrom::Start(offset))?;
        Ok(Reader {
            file,
            id: identity(&meta),
            offset,
            start: data,
            lines: Lines::new(name, before + 1),
            head,
            gzip,
        })
    }

    /// Reads to the end, handing complete lines (with their newlines) to
    /// `each`; returns whether anything was read.
    fn drain(&mut self, each: &mut Each) -> io::Result<bool> {
        if self.gzip {
            return self.decode(each);
        }
        let (offset, start, head, lines) = (
            &mut self.offset,
            self.start,
            &mut self.head,
            &mut self.lines,
        );
        read_pieces(&mut self.file, |piece| {
            // Keep the data's first bytes: `piece` starts at `offset`.
            let at = *offset;
            *offset += piece.len() as u64;
            let have = start + head.len() as u64;
            if head.len() < HEAD && at <= have && *offset > have {
                let from = (have - at) as usize;
                let to = (from + HEAD - head.len()).min(piece.len());
                head.extend_from_slice(&piece[from..to]);
            }
            lines.feed(piece, each);
        })
    }

    /// A gzip file: its decoded lines, once (it is written whole).
    fn decode(&mut self, each: &mut Each) -> io::Result<bool> {
        let len = self.file.metadata()?.len();
        if self.offset >= len {
            return Ok(false);
        }
        self.file.seek(SeekFrom::Start(0))?;
        let mut decoded = Members::new(BufReader::new(self.file.try_clone()?));
        let lines = &mut self.lines;
        lines.line = 1;
        let any = read_pieces(&mut decoded, |piece| lines.feed(piece, each))?;
        lines.flush(each);
        self.offset = len;
        Ok(any)
    }

    /// Whether the file was truncated in place since the last read: it is
    /// shorter than what was read, or its data no longer starts with the
    /// bytes it did (a writer that keeps its offset refills it at once).
    fn truncated(&self, path: &Path, len: u64) -> io::Result<bool> {
        if len < self.offset {
            return Ok(true);
        }
        if self.head.is_empty() {
            return Ok(false);
        }
        let mut file = File::open(path)?;
        file.seek(SeekFrom::Start(self.start))?;
        let mut now = Vec::with_capacity(self.head.len());
        file.take(self.head.len() as u64).read_to_end(&mut now)?;
        Ok(now != self.head)
    }

    /// Hands over a held partial line as it is (its file will not grow).
    fn flush(&mut self, each: &mut Each) {
        self.lines.flush(each);
    }

    /// How far its complete lines were read.
    fn position(&self) -> Position {
        Position {
            id: self.id,
            head: self.head.clone(),
            offset: self.offset - self.lines.partial.len() as u64,
        }
    }
}

/// Where `file`'s data starts (past a hole of NULs) and its first
/// [`HEAD`] bytes from there.
fn data_head(file: &mut File) -> io::Result<(u64, Vec<u8>)> {
    file.seek(SeekFrom::Start(0))?;
    let mut first = Vec::with_capacity(HEAD);
    (&mut *file).take(HEAD as u64).read_to_end(&mut first)?;
    let start = data_start(file, &first)?;
    file.seek(SeekFrom::Start(start))?;
    let mut head = Vec::with_capacity(HEAD);
    file.take(HEAD as u64).read_to_end(&mut head)?;
    Ok((start, head))
}

/// A file's first decoded bytes, and whether it is gzip.
type Head = (Vec<u8>, bool);

/// The first decoded bytes of an open rotated copy (gzip or not), and
/// whether it is gzip; `None` for another compression. Open once and
/// looked at through the one handle: logrotate may give its name to
/// another file meanwhile.
fn head_of(file: &mut File) -> Option<Head> {
    file.seek(SeekFrom::Start(0)).ok()?;
    let mut raw = Vec::new();
    (&mut *file).take(64 << 10).read_to_end(&mut raw).ok()?;
    match Compression::sniff(&raw) {
        Compression::Gzip => Some((decode_head(&raw, Compression::Gzip, HEAD), true)),
        // From the bytes sniffed: a file still being written must not be
        // judged by bytes read later.
        Compression::None => match raw.iter().position(|&b| b != 0) {
            Some(start) => Some((raw[start..raw.len().min(start + HEAD)].to_vec(), false)),
            // Only NULs so far: a hole longer than what was read, or nothing.
            None if raw.len() < 64 << 10 => Some((Vec::new(), false)),
            None => data_head(file).ok().map(|(_, head)| (head, false)),
        },
        _ => None,
    }
}

/// Waits (up to [`GRACE`]) for the open gzip `file` to be whole.
fn wait_whole(file: &mut File) -> bool {
    let deadline = Instant::now() + GRACE;
    while !whole(file) {
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    true
}

/// Whether the open gzip `file` decodes to its end; it is read from its
/// start again after.
fn whole(file: &mut File) -> bool {
    let decodes = file.seek(SeekFrom::Start(0)).is_ok()
        && io::copy(
            &mut Members::new(BufReader::new(&mut *file)),
            &mut io::sink(),
        )
        .is_ok();
    decodes && file.seek(SeekFrom::Start(0)).is_ok()
}

/// How much of a file is read at a time.
const PIECE: usize = 256 << 10;

/// Reads `file` to its end in pieces of at most [`PIECE`] bytes, handing
/// each to `each`; returns whether anything was read.
fn read_pieces(file: &mut dyn Read, mut each: impl FnMut(&[u8])) -> io::Result<bool> {
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
    /// The file cut, for [`Place`].
    name: PathBuf,
    /// The number of the next line handed over.
    line: u64,
}

/// Hands `block` over as read from `name` at line `line`, which moves on.
fn emit(name: &Path, line: &mut u64, block: &[u8], each: &mut Each) {
    each(
        block,
        Place {
            file: name,
            line: *line,
        },
    );
    *line += memchr::memchr_iter(b'\n', block).count() as u64;
}

/// Physical lines (newlines) in `from`.
fn count_lines(from: &mut dyn Read) -> io::Result<u64> {
    let mut n = 0;
    read_pieces(from, |piece| {
        n += memchr::memchr_iter(b'\n', piece).count() as u64
    })?;
    Ok(n)
}

impl Lines {
    /// Cuts the lines of the file `name` from its line `line` on.
    fn new(name: &Path, line: u64) -> Lines {
        Lines {
            partial: Vec::new(),
            skipping: false,
            name: name.to_path_buf(),
            line,
        }
    }

    /// Hands over the complete lines of `partial` joined with `buf`.
    fn feed(&mut self, mut buf: &[u8], each: &mut Each) {
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
            emit(&self.name, &mut self.line, &buf[..=last], each);
        } else {
            self.partial.extend_from_slice(&buf[..=last]);
            emit(&self.name, &mut self.line, &self.partial, each);
            self.partial.clear();
        }
        self.hold(&buf[last + 1..], each);
    }

    /// Holds `rest`, the start of a line, or hands it over cut if the line
    /// is too long.
    fn hold(&mut self, rest: &[u8], each: &mut Each) {
        let room = (MAX_LINE + 2).saturating_sub(self.partial.len());
        if rest.len() < room {
            self.partial.extend_from_slice(rest);
            return;
        }
        self.partial.extend_from_slice(&rest[..room]);
        self.partial.push(b'\n');
        emit(&self.name, &mut self.line, &self.partial, each);
        self.partial.clear();
        self.skipping = true;
    }

    /// Hands over a held partial line as it is.
    fn flush(&mut self, each: &mut Each) {
        if !self.partial.is_empty() {
            let partial = std::mem::take(&mut self.partial);
            emit(&self.name, &mut self.line, &partial, each);
        }
        self.skipping = false;
    }
}

/// The rotated copies of a path at one moment, with their first bytes.
/// Taken before the history is read, they are what the path's follower
/// takes as read (or left out): a copy made since is news.
#[derive(Debug, Clone)]
pub struct Listing {
    at: SystemTime,
    copies: Vec<Listed>,
    heads: Vec<Vec<u8>>,
}

impl Listing {
    /// The rotated copies of `path` now.
    pub fn of(path: &Path) -> Listing {
        let at = SystemTime::now();
        let mut copies = Vec::new();
        let mut heads = Vec::new();
        for (meta, head) in copies_with_heads(path) {
            copies.push(Listed::of(&meta));
            match head {
                Some((head, _)) if !head.is_empty() => heads.push(head),
                _ => {}
            }
        }
        Listing { at, copies, heads }
    }

    /// The first bytes of the copies listed (decoded, if compressed).
    pub fn heads(&self) -> &[Vec<u8>] {
        &self.heads
    }
}

/// The rotated copies of `path` with their first bytes, each from one open
/// file (logrotate may give a name to another file meanwhile).
fn copies_with_heads(path: &Path) -> Vec<(fs::Metadata, Option<Head>)> {
    rotated_copies(path)
        .into_iter()
        .filter_map(|copy| {
            let mut file = File::open(copy).ok()?;
            let meta = file.metadata().ok()?;
            Some((meta, head_of(&mut file)))
        })
        .collect()
}

/// Follows one path.
pub struct Tail {
    path: PathBuf,
    current: Option<Reader>,
    /// Rotated-away files still read for late lines, each with when it was
    /// last seen to grow.
    retired: Vec<(Reader, Instant)>,
    /// Where the first open starts (the caller read up to there itself).
    start: Option<u64>,
    /// When the path was last looked at: a file rotated in and out since
    /// was written after it.
    last_look: SystemTime,
    /// The first bytes of the files read lately.
    seen: VecDeque<Vec<u8>>,
    /// The rotated copies there at the last change (none before the first
    /// look): a file rotated in and out since is none of them (an inode
    /// number can be reused, so the size and time count too).
    copies: Option<Vec<Listed>>,
    /// Compressed files rotated in and out between two looks, read whole:
    /// their positions are kept for a restart.
    done: VecDeque<Position>,
    /// Whether the path is followed (not only a rotated file read until it
    /// is quiet).
    live: bool,
    /// Since when rotated copies are looked for again at every look: a
    /// copy found then was not settled (renamed or compressed while it was
    /// looked at, still empty, a gzip file being written).
    unsettled: Option<SystemTime>,
}

impl Tail {
    /// Follows `path` from its start.
    pub fn new(path: PathBuf) -> Tail {
        Tail {
            path,
            current: None,
            retired: Vec::new(),
            start: None,
            last_look: SystemTime::now(),
            seen: VecDeque::new(),
            copies: None,
            done: VecDeque::new(),
            live: true,
            unsettled: None,
        }
    }

    /// Follows `path`, which is not there now: a file rotated in and out
    /// before it is seen is found among the rotated copies made from now on.
    pub fn waiting(path: PathBuf, listing: &Listing) -> Tail {
        let mut tail = Tail::new(path);
        tail.adopt(listing);
        tail
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
            current: Some(Reader::from_file(&path, file, Some(offset))?),
            ..Tail::new(path)
        })
    }

    /// Reads `file`, a rotated file at `path` that a worker may still write
    /// to (after a restart, it was being read), from `offset` until it is
    /// quiet for [`GRACE`]; the path itself is not followed.
    pub fn draining(path: PathBuf, file: File, offset: u64) -> io::Result<Tail> {
        Ok(Tail {
            retired: vec![(
                Reader::from_file(&path, file, Some(offset))?,
                Instant::now(),
            )],
            live: false,
            ..Tail::new(path)
        })
    }

    /// Takes the file starting with `head` as one read before (a rotated
    /// file the history read or a run before counted): its copies and
    /// compressed copies are no news.
    pub fn know(&mut self, head: &[u8]) {
        remember(&mut self.seen, head);
    }

    /// The path followed.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The rotated copies as last listed (none before the first look).
    pub fn copies(&self) -> Vec<Listed> {
        self.copies.clone().unwrap_or_default()
    }

    /// How far the files followed (the one under the path, and those
    /// rotated away still read) were counted.
    pub fn positions(&self) -> Vec<Position> {
        self.current
            .iter()
            .chain(self.retired.iter().map(|(r, _)| r))
            .map(Reader::position)
            .chain(self.done.iter().cloned())
            .collect()
    }

    /// Reads what is new, handing complete lines (newlines included, in
    /// blocks) to `each`, and returns what changed.
    pub fn poll(&mut self, each: &mut Each) -> io::Result<Vec<Change>> {
        let looked = SystemTime::now();
        let mut changes = Vec::new();
        if !self.live {
            self.drain_retired(each, &mut changes)?;
            return Ok(changes);
        }
        if self.copies.is_none() {
            self.list_copies(true);
        }
        self.drain_retired(each, &mut changes)?;
        let meta = match fs::metadata(&self.path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                // Renamed or deleted: a worker may still write to it.
                let mut id = (0, 0);
                if let Some(cur) = &mut self.current {
                    renamed(&self.path, cur);
                    cur.drain(each)?;
                    id = cur.id;
                }
                // Files created under the name and rotated away since.
                let before = changes.len();
                self.between(id, each, &mut changes)?;
                if changes.len() > before {
                    self.list_copies(false);
                }
                self.last_look = looked;
                return Ok(changes);
            }
            Err(e) => return Err(e),
        };
        let (same, empty) = match &self.current {
            Some(cur) if identity(&meta) == cur.id && !cur.gzip => (true, cur.head.is_empty()),
            _ => (false, false),
        };
        if same && empty {
            // Empty at the last look: it may have been filled and truncated
            // since (a new copy holds those lines); it is read from its
            // start anyway.
            let before = changes.len();
            self.between(identity(&meta), each, &mut changes)?;
            if changes.len() > before {
                self.list_copies(false);
            }
        }
        let truncated = match &self.current {
            Some(cur) if same => cur.truncated(&self.path, meta.len())?,
            _ => false,
        };
        match &mut self.current {
            None => {
                // Gone again since it was looked at: at the next look.
                let Some(cur) = opened(Reader::open(&self.path, self.start))? else {
                    return Ok(changes);
                };
                self.start = None;
                changes.push(Change::Opened);
                // Files created and rotated away before it was seen.
                self.between(cur.id, each, &mut changes)?;
                self.open(cur, each, &mut changes)?;
                self.list_copies(false);
            }
            Some(cur) if identity(&meta) != cur.id => {
                // Renamed or deleted and recreated: the new file from its start.
                renamed(&self.path, cur);
                cur.drain(each)?;
                if let Some(old) = self.current.take() {
                    self.retired.push((old, Instant::now()));
                }
                changes.push(Change::Rotated);
                let Some(new) = opened(Reader::open(&self.path, None))? else {
                    return Ok(changes);
                };
                self.between(new.id, each, &mut changes)?;
                self.open(new, each, &mut changes)?;
                self.list_copies(false);
            }
            Some(cur) if truncated => {
                // Truncated in place: what was not read yet is in the copy.
                let copy = read_copy(&self.path, cur, each)?;
                cur.flush(each);
                remember(&mut self.seen, &cur.head);
                // The copy was read to its end: a restart finds it so.
                if let Some(id) = copy.as_ref().and_then(|c| fs::metadata(c).ok()) {
                    let done = Position {
                        id: identity(&id),
                        head: cur.head.clone(),
                        offset: cur.offset,
                    };
                    keep_done(&mut self.done, done);
                }
                let id = cur.id;
                changes.push(Change::Truncated(copy));
                // Truncated twice since the last look: the second copy holds
                // what was written between the two.
                self.between(id, each, &mut changes)?;
                let cur = self.current.insert(Reader::open(&self.path, None)?);
                cur.drain(each)?;
                self.list_copies(false);
            }
            Some(cur) => {
                cur.drain(each)?;
                if self.unsettled.is_some() {
                    let id = cur.id;
                    self.between(id, each, &mut changes)?;
                }
            }
        }
        self.last_look = looked;
        Ok(changes)
    }

    /// Notes the rotated copies there now; the `first` time, all of them
    /// with their first bytes (read before following began, they are no
    /// news). Later, only copies listed before or of files read are noted:
    /// one not settled when it was looked at (see [`Tail::between`]) is
    /// looked at again.
    fn list_copies(&mut self, first: bool) {
        if first {
            self.adopt(&Listing::of(&self.path));
            return;
        }
        let mut listed = Vec::new();
        for (meta, head) in copies_with_heads(&self.path) {
            let copy = Listed::of(&meta);
            let before = self.copies.as_ref().is_some_and(|c| c.contains(&copy));
            if before || head.is_some_and(|(h, _)| self.known(&h)) {
                listed.push(copy);
            }
        }
        self.copies = Some(listed);
    }

    /// Takes the rotated copies in `listing` as read (or left out), and
    /// looks for files rotated in and out from when it was taken.
    pub fn adopt(&mut self, listing: &Listing) {
        self.copies = Some(listing.copies.clone());
        for head in &listing.heads {
            remember(&mut self.seen, head);
        }
        self.last_look = listing.at;
    }

    /// Whether a file starting with `head` is one read (or its copy).
    fn known(&self, head: &[u8]) -> bool {
        self.seen
            .iter()
            .chain(self.retired.iter().map(|(r, _)| &r.head))
            .chain(self.current.iter().map(|r| &r.head))
            .any(|h| same_start(h, head))
    }

    /// Whether the rotated copy with `meta` was there at the last change.
    fn listed(&self, meta: &fs::Metadata) -> bool {
        self.copies
            .as_ref()
            .is_some_and(|c| c.contains(&Listed::of(meta)))
    }

    /// Reads the retired files; those quiet for [`GRACE`] are done.
    fn drain_retired(&mut self, each: &mut Each, changes: &mut Vec<Change>) -> io::Result<()> {
        for (old, quiet_since) in &mut self.retired {
            if old.drain(each)? {
                *quiet_since = Instant::now();
            }
        }
        let (done, still): (Vec<_>, Vec<_>) = std::mem::take(&mut self.retired)
            .into_iter()
            .partition(|(_, quiet_since)| quiet_since.elapsed() >= GRACE);
        self.retired = still;
        for (mut old, _) in done {
            old.flush(each);
            remember(&mut self.seen, &old.head);
            // Read to its end: a restart finds it so, late writes and all.
            keep_done(&mut self.done, old.position());
            changes.push(Change::Retired);
        }
        Ok(())
    }

    /// Makes `cur` the file followed and reads it.
    fn open(&mut self, cur: Reader, each: &mut Each, changes: &mut Vec<Change>) -> io::Result<()> {
        if cur.gzip {
            changes.push(Change::Gzip);
        }
        let cur = self.current.insert(cur);
        cur.drain(each)?;
        Ok(())
    }

    /// Reads the files rotated in and out since the last look (two
    /// rotations between looks): rotated copies that are new since the last
    /// change, were written since the last look, and are none of the files
    /// read, by identity or by their first bytes. A copy not settled yet
    /// (renamed or compressed while looked at, empty, a gzip file being
    /// written) is looked for again at every look until it is.
    fn between(
        &mut self,
        new: (u64, u64),
        each: &mut Each,
        changes: &mut Vec<Change>,
    ) -> io::Result<()> {
        let since = self
            .unsettled
            .unwrap_or(self.last_look - Duration::from_secs(1));
        let mut found: Vec<(SystemTime, PathBuf)> = rotated_copies(&self.path)
            .into_iter()
            .filter_map(|p| {
                let meta = fs::metadata(&p).ok()?;
                let fresh = identity(&meta) != new && !self.listed(&meta);
                let written = meta.modified().ok()?;
                (fresh && written >= since).then_some((written, p))
            })
            .collect();
        found.sort();
        let mut unsettled = false;
        for (written, path) in found {
            match self.read_between(&path, each)? {
                Between::Read => changes.push(Change::Between(path)),
                Between::Skipped => {}
                Between::Unsettled => {
                    // Gone: found under its new name. Empty or a gzip file
                    // not whole for long: it stays so.
                    let recent = written.elapsed().is_ok_and(|age| age < GRACE);
                    unsettled |= recent || !path.exists();
                }
            }
        }
        self.unsettled = unsettled.then_some(since);
        Ok(())
    }

    /// Reads the rotated copy at `path` whole if it is a file not read yet.
    fn read_between(&mut self, path: &Path, each: &mut Each) -> io::Result<Between> {
        // One open file throughout: logrotate may give the name to another
        // file meanwhile.
        let mut file = match File::open(path) {
            Ok(f) => f,
            // Renamed or compressed since it was listed.
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Between::Unsettled),
            Err(e) => return Err(e),
        };
        let Some((head, gzip)) = head_of(&mut file) else {
            // Another compression.
            return Ok(Between::Skipped);
        };
        if self.known(&head) {
            return Ok(Between::Skipped);
        }
        // A gzip file still being written is read at a later look.
        if head.is_empty() || (gzip && !whole(&mut file)) {
            return Ok(Between::Unsettled);
        }
        remember(&mut self.seen, &head);
        if gzip {
            let id = identity(&file.metadata()?);
            let mut lines = Lines::new(path, 1);
            let mut decoded = 0;
            read_pieces(&mut Members::new(BufReader::new(file)), |piece| {
                decoded += piece.len() as u64;
                lines.feed(piece, each)
            })?;
            lines.flush(each);
            let done = Position {
                id,
                head,
                offset: decoded,
            };
            keep_done(&mut self.done, done);
        } else {
            let mut reader = Reader::from_file(path, file, None)?;
            reader.drain(each)?;
            self.retired.push((reader, Instant::now()));
        }
        Ok(Between::Read)
    }

    /// Reads what is left and hands over held partial lines, at the end
    /// of following.
    pub fn finish(&mut self, each: &mut Each) {
        for (old, _) in &mut self.retired {
            let _ = old.drain(each);
            old.flush(each);
        }
        if let Some(cur) = &mut self.current {
            let _ = cur.drain(each);
            cur.flush(each);
        }
    }
}

/// Names `cur`, rotated away from `path`, by its rotated copy's name (its
/// late lines are numbered in that file), if it is one.
fn renamed(path: &Path, cur: &mut Reader) {
    if cur.lines.name != path {
        return;
    }
    let now = rotated_copies(path)
        .into_iter()
        .find(|p| fs::metadata(p).is_ok_and(|m| identity(&m) == cur.id));
    if let Some(now) = now {
        cur.lines.name = now;
    }
}

/// What became of a rotated copy looked at for [`Tail::between`].
enum Between {
    /// Read whole.
    Read,
    /// One read before, or not one to read.
    Skipped,
    /// To look at again: gone since it was listed, empty, or a gzip file
    /// being written.
    Unsettled,
}

/// The file opened, or `None` if it was gone (renamed away again between
/// the look and the open).
fn opened(reader: io::Result<Reader>) -> io::Result<Option<Reader>> {
    match reader {
        Ok(r) => Ok(Some(r)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Keeps the position of a file read to its end (the last [`SEEN`]).
fn keep_done(done: &mut VecDeque<Position>, position: Position) {
    done.retain(|p| p.head != position.head);
    if done.len() == SEEN {
        done.pop_front();
    }
    done.push_back(position);
}

/// Keeps `head` among the first bytes of the files read lately.
fn remember(seen: &mut VecDeque<Vec<u8>>, head: &[u8]) {
    if head.is_empty() || seen.iter().any(|h| h == head) {
        return;
    }
    if seen.len() == SEEN {
        seen.pop_front();
    }
    seen.push_back(head.to_vec());
}

/// After a `copytruncate`, reads from the copy the bytes past what `cur`
/// had read: the newest rotated copy (plain or gzip) that starts like the
/// file did. Returns the copy read from.
fn read_copy(path: &Path, cur: &mut Reader, each: &mut Each) -> io::Result<Option<PathBuf>> {
    let mut copies: Vec<(SystemTime, PathBuf)> = rotated_copies(path)
        .into_iter()
        .filter_map(|p| Some((fs::metadata(&p).ok()?.modified().ok()?, p)))
        .collect();
    copies.sort_by(|a, b| b.cmp(a));
    for (_, copy) in copies {
        // One open file throughout: the name may be another's meanwhile.
        let Ok(mut file) = File::open(&copy) else {
            continue;
        };
        let Some((head, gzip)) = head_of(&mut file) else {
            continue;
        };
        if !same_start(&head, &cur.head) {
            continue;
        }
        // logrotate may still be compressing it.
        if gzip && !wait_whole(&mut file) {
            continue;
        }
        let mut from: Box<dyn Read> = if gzip {
            Box::new(Members::new(BufReader::new(file)))
        } else {
            file.seek(SeekFrom::Start(0))?;
            Box::new(file)
        };
        // The copy holds the file's lines under another name.
        cur.lines.name.clone_from(&copy);
        // Past what was read (the copy holds the file's bytes as they were).
        let skipped = io::copy(&mut (&mut from).take(cur.offset), &mut io::sink())?;
        if skipped < cur.offset {
            return Ok(Some(copy));
        }
        let (lines, offset) = (&mut cur.lines, &mut cur.offset);
        read_pieces(&mut from, |piece| {
            *offset += piece.len() as u64;
            lines.feed(piece, each);
        })?;
        return Ok(Some(copy));
    }
    Ok(None)
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

    /// A followed `access.log` in a fresh directory `name`: its first `lines`
    /// lines written and read.
    fn started(name: &str, lines: usize) -> (PathBuf, PathBuf, Tail, Vec<usize>) {
        let d = dir(name);
        let p = d.join("access.log");
        append(&p, 0, lines);
        let mut tail = Tail::new(p.clone());
        let mut seen = Vec::new();
        poll(&mut tail, &mut seen);
        (d, p, tail, seen)
    }

    /// Polls and collects the line numbers seen.
    fn poll(tail: &mut Tail, seen: &mut Vec<usize>) -> Vec<Change> {
        tail.poll(&mut |block, _| {
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
        let (d, p, mut tail, mut seen) = started("rename", 5);
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
        let (d, p, mut tail, mut seen) = started("copytruncate", 5);
        append(&p, 5, 9); // written before the copy, not read yet
        fs::copy(&p, d.join("access.log.1")).unwrap();
        fs::OpenOptions::new()
            .write(true)
            .open(&p)
            .unwrap()
            .set_len(0)
            .unwrap();
        append(&p, 100, 102);
        assert_eq!(
            poll(&mut tail, &mut seen),
            [Change::Truncated(Some(d.join("access.log.1")))]
        );
        assert_eq!(seen, (0..9).chain(100..102).collect::<Vec<_>>());
        let _ = fs::remove_dir_all(d);
    }

    #[test]
    fn copytruncate_noticed_after_the_file_grew_back() {
        let (d, p, mut tail, mut seen) = started("regrown", 3);
        fs::copy(&p, d.join("access.log.1")).unwrap();
        fs::OpenOptions::new()
            .write(true)
            .open(&p)
            .unwrap()
            .set_len(0)
            .unwrap();
        append(&p, 100, 110); // longer than what was read before
        assert_eq!(
            poll(&mut tail, &mut seen),
            [Change::Truncated(Some(d.join("access.log.1")))]
        );
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

    /// Polls and collects each line's place: its file's name and number.
    fn places(tail: &mut Tail, seen: &mut Vec<(String, u64, usize)>) {
        tail.poll(&mut |block, place| {
            let name = place.file.file_name().unwrap().to_string_lossy();
            let text = std::str::from_utf8(block).unwrap();
            for (i, line) in text.lines().enumerate() {
                let n = line.trim_start_matches("line ").parse().unwrap();
                seen.push((name.to_string(), place.line + i as u64, n));
            }
        })
        .unwrap();
    }

    #[test]
    fn lines_are_numbered_in_the_file_they_were_read_from() {
        let d = dir("places");
        let p = d.join("access.log");
        append(&p, 0, 50);
        let len = fs::metadata(&p).unwrap().len();
        let mut tail = Tail::resume(p.clone(), len);
        let mut seen = Vec::new();
        append(&p, 50, 52);
        places(&mut tail, &mut seen);
        // Renamed: late lines are numbered in the copy, the new file from 1.
        fs::rename(&p, d.join("access.log.1")).unwrap();
        append(&d.join("access.log.1"), 52, 53);
        append(&p, 60, 62);
        places(&mut tail, &mut seen);
        // copytruncate: the unread rest is numbered in the copy.
        append(&p, 62, 64);
        copy_truncate(&p, &d.join("access.log.2"));
        append(&p, 70, 71);
        places(&mut tail, &mut seen);
        seen.sort_by_key(|s| s.2);
        let at = |f: &str, line, n| (f.to_string(), line, n);
        assert_eq!(
            seen,
            [
                at("access.log", 51, 50),
                at("access.log", 52, 51),
                at("access.log.1", 53, 52),
                at("access.log", 1, 60),
                at("access.log", 2, 61),
                at("access.log.2", 3, 62),
                at("access.log.2", 4, 63),
                at("access.log", 1, 70),
            ]
        );
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

    fn lines(from: usize, to: usize) -> String {
        (from..to).map(|i| format!("line {i}\n")).collect()
    }

    fn gzip(path: &Path, text: &str) {
        let mut enc = flate2::write::GzEncoder::new(
            File::create(path).unwrap(),
            flate2::Compression::default(),
        );
        enc.write_all(text.as_bytes()).unwrap();
        enc.finish().unwrap();
    }

    /// logrotate's `copytruncate`: the copy, then the file emptied.
    fn copy_truncate(p: &Path, copy: &Path) {
        fs::copy(p, copy).unwrap();
        fs::OpenOptions::new()
            .write(true)
            .open(p)
            .unwrap()
            .set_len(0)
            .unwrap();
    }

    #[test]
    fn two_rotations_between_looks_read_the_middle_file() {
        for compress in [false, true] {
            let d = dir(&format!("twice-{compress}"));
            let p = d.join("access.log");
            append(&p, 0, 5);
            let mut tail = Tail::new(p.clone());
            let mut seen = Vec::new();
            poll(&mut tail, &mut seen);
            append(&p, 5, 7);
            // First rotation: A → .1, B created and written.
            fs::rename(&p, d.join("access.log.1")).unwrap();
            append(&p, 100, 110);
            // Second: .1 → .2 (compressed with `compress`), B → .1, C.
            if compress {
                let a = fs::read_to_string(d.join("access.log.1")).unwrap();
                gzip(&d.join("access.log.2.gz"), &a);
                fs::remove_file(d.join("access.log.1")).unwrap();
                let b = fs::read_to_string(&p).unwrap();
                gzip(&d.join("access.log.1.gz"), &b);
                fs::remove_file(&p).unwrap();
            } else {
                fs::rename(d.join("access.log.1"), d.join("access.log.2")).unwrap();
                fs::rename(&p, d.join("access.log.1")).unwrap();
            }
            append(&p, 200, 203);
            let changes = poll(&mut tail, &mut seen);
            assert!(changes.contains(&Change::Rotated), "{changes:?}");
            seen.sort_unstable();
            let want: Vec<usize> = (0..7).chain(100..110).chain(200..203).collect();
            assert_eq!(seen, want, "compress: {compress}");
            let _ = fs::remove_dir_all(d);
        }
    }

    #[test]
    fn copytruncate_to_a_dated_or_compressed_copy_loses_nothing() {
        for (copy, compress) in [
            ("access.log-20261201", false),
            ("access.log.1.gz", true),
            ("access.log-20261201.gz", true),
        ] {
            let d = dir(&format!("copy-{copy}"));
            let p = d.join("access.log");
            // An older copy with other lines is no match.
            fs::write(d.join("access.log-20261130"), lines(900, 905)).unwrap();
            append(&p, 0, 5);
            let mut tail = Tail::new(p.clone());
            let mut seen = Vec::new();
            poll(&mut tail, &mut seen);
            append(&p, 5, 9); // written before the copy, not read yet
            if compress {
                // `compress` without `delaycompress`: only the .gz remains.
                gzip(&d.join(copy), &fs::read_to_string(&p).unwrap());
                fs::OpenOptions::new()
                    .write(true)
                    .open(&p)
                    .unwrap()
                    .set_len(0)
                    .unwrap();
            } else {
                copy_truncate(&p, &d.join(copy));
            }
            append(&p, 100, 102);
            let changes = poll(&mut tail, &mut seen);
            assert_eq!(changes, [Change::Truncated(Some(d.join(copy)))]);
            assert_eq!(seen, (0..9).chain(100..102).collect::<Vec<_>>(), "{copy}");
            let _ = fs::remove_dir_all(d);
        }
    }

    #[test]
    fn copytruncate_then_compress_between_looks_reads_once() {
        let (d, p, mut tail, mut seen) = started("ct-gz", 3);
        append(&p, 3, 6);
        poll(&mut tail, &mut seen);
        copy_truncate(&p, &d.join("access.log.1"));
        poll(&mut tail, &mut seen);
        gzip(
            &d.join("access.log.1.gz"),
            &fs::read_to_string(d.join("access.log.1")).unwrap(),
        );
        fs::remove_file(d.join("access.log.1")).unwrap();
        poll(&mut tail, &mut seen);
        poll(&mut tail, &mut seen);
        assert_eq!(seen, (0..6).collect::<Vec<_>>());
        let _ = fs::remove_dir_all(d);
    }

    /// A restart must find the copy read to its end, not re-read it.
    #[test]
    fn the_copy_read_after_copytruncate_is_kept_as_read_to_its_end() {
        let (d, p, mut tail, mut seen) = started("done", 5);
        append(&p, 5, 9);
        copy_truncate(&p, &d.join("access.log.1"));
        append(&p, 100, 101);
        poll(&mut tail, &mut seen);
        let copy = fs::metadata(d.join("access.log.1")).unwrap().len();
        let positions = tail.positions();
        assert!(
            positions
                .iter()
                .any(|x| x.offset == copy && x.head.starts_with(b"line 0\n")),
            "{positions:?}"
        );
        let _ = fs::remove_dir_all(d);
    }

    #[test]
    fn a_truncation_without_a_copy_says_so() {
        let (d, p, mut tail, mut seen) = started("nocopy", 5);
        fs::OpenOptions::new()
            .write(true)
            .open(&p)
            .unwrap()
            .set_len(0)
            .unwrap();
        append(&p, 100, 102);
        assert_eq!(poll(&mut tail, &mut seen), [Change::Truncated(None)]);
        assert_eq!(seen, (0..5).chain(100..102).collect::<Vec<_>>());
        let _ = fs::remove_dir_all(d);
    }

    #[test]
    fn gzip_under_the_live_name_is_decoded() {
        let (d, p, mut tail, mut seen) = started("gzlive", 3);
        let staged = d.join("staged");
        gzip(&staged, &lines(10, 20));
        fs::rename(&staged, &p).unwrap();
        let changes = poll(&mut tail, &mut seen);
        assert_eq!(changes, [Change::Rotated, Change::Gzip]);
        poll(&mut tail, &mut seen);
        assert_eq!(seen, (0..3).chain(10..20).collect::<Vec<_>>());
        let _ = fs::remove_dir_all(d);
    }

    /// A writer that did not open its log for appending goes on at its own
    /// offset after `copytruncate`: the file starts with a hole of NULs.
    #[test]
    fn copytruncate_under_a_writer_that_keeps_its_offset() {
        let d = dir("hole");
        let p = d.join("access.log");
        let mut writer = fs::OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(true)
            .open(&p)
            .unwrap();
        // Over 1 MiB of lines before the first rotation.
        let big = lines(0, 150_000);
        writer.write_all(big.as_bytes()).unwrap();
        let mut tail = Tail::new(p.clone());
        let mut seen = Vec::new();
        poll(&mut tail, &mut seen);
        for round in 1..=2 {
            copy_truncate(&p, &d.join("access.log.1"));
            // The writer's offset is where it was: the hole is that long.
            let base = 1_000_000 * round;
            writer.write_all(lines(base, base + 5).as_bytes()).unwrap();
            let changes = poll(&mut tail, &mut seen);
            assert_eq!(changes, [Change::Truncated(Some(d.join("access.log.1")))]);
            assert_eq!(
                &seen[seen.len() - 5..],
                (base..base + 5).collect::<Vec<_>>()
            );
        }
        assert_eq!(seen.len(), 150_010);
        let _ = fs::remove_dir_all(d);
    }

    /// A follower started on a file that begins with a hole still notices
    /// the next truncation.
    #[test]
    fn a_file_that_starts_with_a_hole_is_followed_through_copytruncate() {
        let d = dir("hole-start");
        let p = d.join("access.log");
        let mut writer = fs::File::create(&p).unwrap();
        writer.set_len(4096).unwrap();
        writer.seek(SeekFrom::Start(4096)).unwrap();
        writer.write_all(lines(0, 5).as_bytes()).unwrap();
        let mut tail = Tail::new(p.clone());
        let mut seen = Vec::new();
        poll(&mut tail, &mut seen);
        assert_eq!(seen, (0..5).collect::<Vec<_>>());
        writer.write_all(lines(5, 7).as_bytes()).unwrap();
        copy_truncate(&p, &d.join("access.log.1"));
        writer.write_all(lines(100, 103).as_bytes()).unwrap();
        let changes = poll(&mut tail, &mut seen);
        assert_eq!(changes, [Change::Truncated(Some(d.join("access.log.1")))]);
        assert_eq!(seen, (0..7).chain(100..103).collect::<Vec<_>>());
        let _ = fs::remove_dir_all(d);
    }

    #[test]
    fn a_line_without_end_is_cut_not_held() {
        let mut lines = Lines::new(Path::new("access.log"), 1);
        let mut seen: Vec<usize> = Vec::new();
        let mut each =
            |b: &[u8], _: Place| seen.extend(b.split_inclusive(|&c| c == b'\n').map(<[u8]>::len));
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
