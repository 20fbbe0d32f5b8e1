//! A web server writing numbered lines and logrotate rotating them, on
//! real files, in every layout (`tests/rotations.rs`, `tests/follow.rs`).

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// How logrotate is configured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Layout {
    /// rename and create (the default).
    Rename,
    /// rename, `compress` without `delaycompress`: the copy is gzipped at
    /// once.
    RenameCompress,
    /// rename, `compress` + `delaycompress`: gzipped at the next rotation.
    RenameDelayCompress,
    /// `copytruncate` to `NAME.1`.
    CopyTruncate,
    /// `copytruncate` + `dateext`: `NAME-2026120100`, …
    CopyTruncateDateext,
    /// `copytruncate` + `compress` without `delaycompress`.
    CopyTruncateCompress,
    /// The file is deleted and created again.
    DeleteRecreate,
}

/// Every layout.
pub const LAYOUTS: [Layout; 7] = [
    Layout::Rename,
    Layout::RenameCompress,
    Layout::RenameDelayCompress,
    Layout::CopyTruncate,
    Layout::CopyTruncateDateext,
    Layout::CopyTruncateCompress,
    Layout::DeleteRecreate,
];

/// The server and logrotate, on real files.
pub struct World {
    dir: PathBuf,
    /// The live log.
    pub path: PathBuf,
    layout: Layout,
    writer: File,
    /// Lines written so far (the next line's number).
    pub next: usize,
    rotations: usize,
    /// A rename whose server has not reopened its log yet (its copy is
    /// compressed after that, with `compress`).
    renamed: bool,
}

/// Compresses `from` into `to` and removes it, as logrotate's `compress`.
pub fn gzip(from: &Path, to: &Path) {
    let text = fs::read(from).unwrap();
    let mut enc =
        flate2::write::GzEncoder::new(File::create(to).unwrap(), flate2::Compression::fast());
    enc.write_all(&text).unwrap();
    enc.finish().unwrap();
    fs::remove_file(from).unwrap();
}

impl World {
    /// The server writing `dir/access.log`, rotated as `layout` says.
    pub fn new(dir: PathBuf, layout: Layout) -> World {
        let path = dir.join("access.log");
        let writer = Self::open(&path);
        World {
            dir,
            path,
            layout,
            writer,
            next: 0,
            rotations: 0,
            renamed: false,
        }
    }

    fn open(path: &Path) -> File {
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .unwrap()
    }

    /// The server writes `n` lines.
    pub fn write(&mut self, n: usize) {
        let mut text = String::new();
        for _ in 0..n {
            text.push_str(&format!("line {}\n", self.next));
            self.next += 1;
        }
        self.writer.write_all(text.as_bytes()).unwrap();
    }

    fn name(&self, suffix: &str) -> PathBuf {
        self.dir.join(format!("access.log{suffix}"))
    }

    /// `NAME.N` → `NAME.N+1` (and their `.gz`), oldest first.
    fn shift(&self) {
        for n in (1..64).rev() {
            for ext in ["", ".gz"] {
                let from = self.name(&format!(".{n}{ext}"));
                if from.exists() {
                    fs::rename(&from, self.name(&format!(".{}{ext}", n + 1))).unwrap();
                }
            }
        }
    }

    /// The server reopens its renamed log; then, with `compress`, the copy
    /// is gzipped.
    pub fn reopen(&mut self) {
        if !self.renamed {
            return;
        }
        self.renamed = false;
        self.writer = Self::open(&self.path);
        if self.layout == Layout::RenameCompress {
            gzip(&self.name(".1"), &self.name(".1.gz"));
        }
    }

    /// logrotate runs; with a rename, `late` lines go to the old file.
    pub fn rotate(&mut self, late: usize) {
        // logrotate waits for its postrotate script.
        self.reopen();
        self.rotations += 1;
        match self.layout {
            Layout::Rename | Layout::RenameCompress | Layout::RenameDelayCompress => {
                self.shift();
                if self.layout == Layout::RenameDelayCompress && self.name(".2").exists() {
                    gzip(&self.name(".2"), &self.name(".2.gz"));
                }
                fs::rename(&self.path, self.name(".1")).unwrap();
                // The server's last lines before it reopens its log.
                self.write(late);
                self.renamed = true;
            }
            Layout::CopyTruncate | Layout::CopyTruncateCompress => {
                self.shift();
                fs::copy(&self.path, self.name(".1")).unwrap();
                self.truncate();
                if self.layout == Layout::CopyTruncateCompress {
                    gzip(&self.name(".1"), &self.name(".1.gz"));
                }
            }
            Layout::CopyTruncateDateext => {
                let copy = self.name(&format!("-20261201{:02}", self.rotations));
                fs::copy(&self.path, copy).unwrap();
                self.truncate();
            }
            Layout::DeleteRecreate => {
                fs::remove_file(&self.path).unwrap();
                self.write(late);
                self.writer = Self::open(&self.path);
            }
        }
    }

    fn truncate(&self) {
        OpenOptions::new()
            .write(true)
            .open(&self.path)
            .unwrap()
            .set_len(0)
            .unwrap();
    }
}
