//! Every logrotate layout, in random sequences, against real files: a
//! writer appends numbered lines, logrotate rotates (up to twice between
//! two looks of the follower), and [`Tail`] must hand over every line
//! exactly once.

mod common;

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use fiveohone::follow::tail::Tail;
use proptest::prelude::*;

/// How logrotate is configured.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Layout {
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

const LAYOUTS: [Layout; 7] = [
    Layout::Rename,
    Layout::RenameCompress,
    Layout::RenameDelayCompress,
    Layout::CopyTruncate,
    Layout::CopyTruncateDateext,
    Layout::CopyTruncateCompress,
    Layout::DeleteRecreate,
];

#[derive(Debug, Clone, Copy)]
enum Op {
    /// The server writes this many lines.
    Append(usize),
    /// logrotate runs; with a rename, the server writes this many more
    /// lines to the old file before it reopens the log.
    Rotate(usize),
    /// The server, still writing to a renamed log, reopens it (logrotate's
    /// postrotate signal arrived).
    Reopen,
    /// The follower looks.
    Poll,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (1usize..40).prop_map(Op::Append),
        2 => (0usize..4).prop_map(Op::Rotate),
        1 => Just(Op::Reopen),
        3 => Just(Op::Poll),
    ]
}

/// The server and logrotate, on real files.
struct World {
    dir: PathBuf,
    path: PathBuf,
    layout: Layout,
    writer: File,
    next: usize,
    rotations: usize,
    /// A rename whose server has not reopened its log yet (its copy is
    /// compressed after that, with `compress`).
    renamed: bool,
}

fn gzip(from: &Path, to: &Path) {
    let text = fs::read(from).unwrap();
    let mut enc =
        flate2::write::GzEncoder::new(File::create(to).unwrap(), flate2::Compression::fast());
    enc.write_all(&text).unwrap();
    enc.finish().unwrap();
    fs::remove_file(from).unwrap();
}

impl World {
    fn new(dir: PathBuf, layout: Layout) -> World {
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

    fn write(&mut self, n: usize) {
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
    fn reopen(&mut self) {
        if !self.renamed {
            return;
        }
        self.renamed = false;
        self.writer = Self::open(&self.path);
        if self.layout == Layout::RenameCompress {
            gzip(&self.name(".1"), &self.name(".1.gz"));
        }
    }

    fn rotate(&mut self, late: usize) {
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

/// The numbers of the lines in `block`.
fn numbers(block: &[u8], seen: &mut Vec<usize>) {
    for line in block.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let text = String::from_utf8_lossy(line);
        let number = text
            .strip_prefix("line ")
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("not a line of the writer: {text:?}"));
        seen.push(number);
    }
}

/// Runs `ops` under `layout`; returns the lines written and those seen.
fn run(layout: Layout, ops: &[Op], case: usize) -> (usize, Vec<usize>) {
    let dir = common::temp_dir(&format!("rotations-{case}"));
    let mut world = World::new(dir.clone(), layout);
    world.write(3);
    let mut tail = Tail::new(world.path.clone());
    let mut seen = Vec::new();
    let poll = |tail: &mut Tail, seen: &mut Vec<usize>| {
        tail.poll(&mut |block| numbers(block, seen)).unwrap();
    };
    poll(&mut tail, &mut seen);
    let mut since_poll = 0;
    for op in ops {
        match *op {
            Op::Append(n) => world.write(n),
            Op::Rotate(late) => {
                // A file deleted before anyone opened it is gone: with
                // delete and create, the follower looks between two.
                let most = if layout == Layout::DeleteRecreate {
                    1
                } else {
                    2
                };
                if since_poll == most {
                    poll(&mut tail, &mut seen);
                    since_poll = 0;
                }
                world.rotate(late);
                since_poll += 1;
            }
            Op::Reopen => world.reopen(),
            Op::Poll => {
                poll(&mut tail, &mut seen);
                since_poll = 0;
            }
        }
    }
    world.reopen();
    poll(&mut tail, &mut seen);
    tail.finish(&mut |block| numbers(block, &mut seen));
    let _ = fs::remove_dir_all(dir);
    (world.next, seen)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]

    #[test]
    fn every_line_is_read_exactly_once(
        layout in 0usize..LAYOUTS.len(),
        ops in proptest::collection::vec(op(), 1..40),
        case in 0usize..1_000_000,
    ) {
        let layout = LAYOUTS[layout];
        let (written, mut seen) = run(layout, &ops, case);
        seen.sort_unstable();
        let want: Vec<usize> = (0..written).collect();
        prop_assert_eq!(seen, want, "{:?}", layout);
    }
}
