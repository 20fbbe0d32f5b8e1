//! Wiring: sources → format detection → parallel chunk parsing → one merged
//! [`Aggregate`].
//!
//! Plain files are cut into line-aligned byte ranges ([`CHUNK_SIZE`]) that
//! rayon parses in parallel; gzip files and error logs are read start to end
//! by one task each, several at once; stdin and pipes are read by one thread
//! while their blocks are parsed in parallel. Each worker thread folds what
//! it reads into its own aggregate and the aggregates are merged at the end,
//! so memory holds a few blocks plus one set of counters per thread,
//! whatever the input size.

mod configured;
mod prepare;
pub mod progress;

use std::cell::RefCell;
use std::fs::File;
use std::io::{Read, Seek};
use std::path::PathBuf;
use std::sync::{mpsc, Mutex, PoisonError};

use rayon::prelude::*;

use crate::aggregate::{Aggregate, Settings};
use crate::grammar::Grammar;
use crate::input::chunk::{read_range, LineBlocks, CHUNK_SIZE};
use crate::input::discover::describe;
use crate::input::open::decoded;
use crate::input::opened::{identity, At};
use crate::input::{Compression, Discovery, Source};
use crate::scan::{Reading, Scanner};
use crate::timefmt::Zone;
pub use configured::from_config;
use prepare::{assign_zones, pipe_reader, prepare, unread, Opened, Plan, Prepared};
use progress::Counting;
pub use progress::Progress;

/// Which grammar reads the access logs.
#[derive(Debug, Clone)]
pub enum FormatChoice {
    /// Detect per file; lines that do not fit are retried with the other
    /// built-in grammars.
    Auto,
    /// One grammar for every file (a built-in by name, or `--log-format`).
    Fixed(Grammar),
}

/// How to run an analysis.
#[derive(Debug, Clone)]
pub struct Options {
    /// What to count.
    pub settings: Settings,
    /// Which grammar.
    pub format: FormatChoice,
    /// The formats a server's config gives its logs (a source's
    /// [`Source::format`] indexes them); they win over `format`.
    pub configured: Vec<FormatChoice>,
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    /// Zone of error-log times when no access log beside them tells it.
    pub tz: Option<Zone>,
    /// Whether the files will be followed: plain files are then read up to
    /// their last complete line only, and the follower resumes there.
    pub follow: bool,
    /// Where to count the bytes read, for a progress line.
    pub progress: Option<std::sync::Arc<Progress>>,
}

/// What happened to one input.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct InputFile {
    /// The path as given or found (`(stdin)` for standard input).
    pub name: String,
    /// The grammar that read it, if it was read as an access log.
    pub format: Option<String>,
    /// Whether `format` was detected rather than given.
    pub detected: bool,
    /// For files with error-log lines: the zone their times were read in,
    /// and why.
    pub zone: Option<String>,
    /// Compression found.
    pub compression: Compression,
    /// Why it was not read, if it was not (unsupported
    /// compression, unreadable).
    pub skipped: Option<String>,
    /// Problems met while reading it (corrupt gzip, read errors); what was
    /// read before the problem is counted.
    pub problems: Vec<String>,
    /// Remarks that lose no data (no known format fits its first lines).
    pub notes: Vec<String>,
    /// Whether a skip or problem means some of its data went unread.
    pub unreadable: bool,
    /// With [`Options::follow`], for plain regular files: the byte offset
    /// after the last complete line read, where following resumes.
    pub resume: Option<u64>,
}

/// The result of a run.
#[derive(Debug)]
pub struct Analysis {
    /// Inputs in reading order; `Aggregate::files` is keyed by index here.
    pub inputs: Vec<InputFile>,
    /// Paths that could not be opened at all.
    pub errors: Vec<String>,
    /// Files in directories passed over (not named like logs, or not
    /// regular files).
    pub ignored: Vec<PathBuf>,
    /// The merged counters.
    pub aggregate: Aggregate,
    /// What was counted.
    pub settings: Settings,
}

impl Analysis {
    /// Whether any input (or part of one) could not be read: exit status 1.
    pub fn incomplete(&self) -> bool {
        !self.errors.is_empty() || self.inputs.iter().any(|i| i.unreadable)
    }
}

/// A unit of parallel work.
enum Unit {
    Range {
        input: usize,
        start: u64,
        end: u64,
        chunk: u64,
    },
    Stream {
        input: usize,
    },
}

#[derive(Default)]
struct Partial {
    agg: Aggregate,
    problems: Vec<(usize, String)>,
}

impl Partial {
    fn merge(mut self, other: Partial) -> Partial {
        self.agg = self.agg.merge(other.agg);
        self.problems.extend(other.problems);
        self
    }
}

/// Inputs prepared for reading: what each one is and how to read it.
pub struct Inputs<'g> {
    /// What happened to each input; `Aggregate::files` is keyed by index here.
    pub files: Vec<InputFile>,
    sources: Vec<Source>,
    prepared: Vec<Prepared<'g>>,
    /// The inputs' files, as [`real_path`] gives them.
    known: std::collections::HashSet<PathBuf>,
    /// Files held open (see [`HANDLES`]).
    handles: usize,
    /// Inputs counted before a restart and not there now (see
    /// [`Inputs::add_gone`]).
    gone: Vec<usize>,
}

/// Files a batch run holds open from the start (each one a descriptor):
/// enough for every live file of a big server, well under the usual limit
/// of 1,024.
pub const HANDLES: usize = 256;

/// `path` with symlinks and `..` resolved, when it exists.
fn real_path(path: &std::path::Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

impl<'g> Inputs<'g> {
    /// Looks at each source's head (compression, format, zone).
    pub fn prepare(sources: &[Source], opts: &'g Options) -> Inputs<'g> {
        let mut inputs = Inputs {
            files: Vec::with_capacity(sources.len()),
            sources: Vec::new(),
            prepared: Vec::with_capacity(sources.len()),
            known: Default::default(),
            handles: 0,
            gone: Vec::new(),
        };
        for source in sources {
            inputs.push(source, opts);
        }
        assign_zones(
            &inputs.sources,
            &mut inputs.files,
            &mut inputs.prepared,
            opts.tz.as_ref(),
        );
        inputs
    }

    fn push(&mut self, source: &Source, opts: &'g Options) {
        let choice = source
            .format
            .and_then(|i| opts.configured.get(i))
            .unwrap_or(&opts.format);
        let (input, mut prep) = prepare(source, choice, opts.follow);
        // A batch run keeps open the first files read in ranges (a file
        // rotated while read is then still read whole); the others are
        // reopened, and a file replaced by then is said.
        let keep = matches!(prep.plan, Plan::Ranges { .. }) && self.handles < HANDLES;
        if !opts.follow && !keep {
            prep.handle = None;
        }
        self.handles += usize::from(prep.handle.is_some());
        self.known.extend(source.path.as_deref().map(real_path));
        // A file counted before a restart that is back: the same input.
        if let Some(at) = self
            .gone
            .iter()
            .position(|&i| self.files[i].name == input.name)
        {
            let i = self.gone.swap_remove(at);
            self.files[i] = input;
            self.prepared[i] = prep;
            self.sources[i] = source.clone();
            return;
        }
        self.files.push(input);
        self.prepared.push(prep);
        self.sources.push(source.clone());
    }

    /// Adds a source found after the start (a file created in a followed
    /// directory) and returns its index.
    pub fn add(&mut self, source: &Source, opts: &'g Options) -> usize {
        self.push(source, opts);
        assign_zones(
            &self.sources,
            &mut self.files,
            &mut self.prepared,
            opts.tz.as_ref(),
        );
        let name = source.display();
        self.files
            .iter()
            .rposition(|f| f.name == name)
            .unwrap_or(self.files.len() - 1)
    }

    /// Whether some input is the file at `path`, however either is spelled
    /// (`logs/access.log`, `/var/log/../log/access.log`, a symlink).
    pub fn has(&self, path: &std::path::Path) -> bool {
        self.known.contains(&real_path(path))
    }

    /// Resuming after a restart: an input counted before it that is not
    /// there now (its counts are kept under its name); returns its index.
    pub fn add_gone(&mut self, name: &str) -> usize {
        let (mut input, prep) = unread(name.to_string());
        input
            .notes
            .push("counted before the restart; not there any more".into());
        self.files.push(input);
        self.prepared.push(prep);
        self.sources.push(Source::waiting(PathBuf::from(name)));
        self.gone.push(self.files.len() - 1);
        self.files.len() - 1
    }

    /// Resuming after a restart: input `input` was counted up to byte
    /// `offset` (of its decoded bytes, for gzip) and is read from there.
    pub fn start_at(&mut self, input: usize, offset: u64) {
        let Some(prep) = self.prepared.get_mut(input) else {
            return;
        };
        match &mut prep.plan {
            Plan::Ranges { from, .. } => *from = (*from).max(offset),
            Plan::Stream {
                compression,
                from,
                skip,
                ..
            } => {
                if *compression == Compression::None {
                    *from = (*from).max(offset);
                } else {
                    *skip = offset;
                }
            }
            Plan::Skip | Plan::Pipe { .. } => {}
        }
    }

    /// Resuming after a restart: input `input` was counted whole before; it
    /// is not read again.
    pub fn counted_before(&mut self, input: usize) {
        if let Some(prep) = self.prepared.get_mut(input) {
            prep.plan = Plan::Skip;
            prep.handle = None;
        }
        if let Some(f) = self.files.get_mut(input) {
            f.resume = None;
        }
    }

    /// Following: the file of input `input` as it was opened when its size
    /// was taken (once).
    pub fn take_handle(&mut self, input: usize) -> Option<File> {
        self.prepared.get_mut(input)?.handle.take()
    }

    /// A scanner for more lines of input `input`, if it is read at all.
    pub fn scanner<'s>(&'s self, input: usize, settings: &'s Settings) -> Option<Scanner<'s>> {
        let prep = self.prepared.get(input)?;
        let reading = prep.reading.as_ref()?;
        Some(Scanner::new(reading, &prep.zone, prep.eol, settings))
    }

    /// Reads every input (in parallel where it can) into one aggregate;
    /// problems are noted on the inputs.
    pub fn read(&mut self, opts: &Options) -> Result<Aggregate, String> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(opts.threads)
            .build()
            .map_err(|e| format!("cannot start worker threads: {e}"))?;
        let prepared = &mut self.prepared;
        let progress = &opts.progress;
        let expect = |bytes: u64| {
            if let Some(p) = progress {
                p.expect(bytes);
            }
        };
        let mut units = Vec::new();
        for (input, prep) in prepared.iter().enumerate() {
            match &prep.plan {
                Plan::Ranges { from, size, .. } => {
                    expect(size.saturating_sub(*from));
                    let mut start = *from;
                    let mut chunk = 0;
                    while start < *size {
                        let end = (start + CHUNK_SIZE as u64).min(*size);
                        units.push(Unit::Range {
                            input,
                            start,
                            end,
                            chunk,
                        });
                        start = end;
                        chunk += 1;
                    }
                }
                Plan::Stream {
                    path, from, limit, ..
                } => {
                    let size = std::fs::metadata(path).map_or(0, |m| m.len());
                    expect(limit.unwrap_or(size).saturating_sub(*from));
                    units.push(Unit::Stream { input });
                }
                Plan::Skip | Plan::Pipe { .. } => {}
            }
        }

        let settings = &opts.settings;
        let mut total = pool.install(|| {
            // Streams first: each is one long task, ranges fill in around them.
            units.sort_by_key(|u| matches!(u, Unit::Range { .. }));
            per_thread(units.par_iter(), |part, unit| {
                run_unit(unit, prepared, settings, progress, part)
            })
        });
        // stdin and pipes, one after the other, each parsed on the pool.
        for (input, prep) in prepared.iter_mut().enumerate() {
            let Plan::Pipe {
                head,
                file,
                compression,
            } = std::mem::replace(&mut prep.plan, Plan::Skip)
            else {
                continue;
            };
            let Some(reading) = &prep.reading else {
                continue;
            };
            let counted = Counting::new(pipe_reader(head, file), progress.clone());
            let reader = decoded(Box::new(counted), compression);
            let part =
                pool.install(|| read_pipe(input, reading, &prep.zone, prep.eol, reader, settings));
            total = total.merge(part);
        }

        for (input, problem) in total.problems.drain(..) {
            if let Some(i) = self.files.get_mut(input) {
                // Each range of a file that changed says so: once is enough.
                if !i.problems.contains(&problem) {
                    i.problems.push(problem);
                }
                i.unreadable = true;
            }
        }
        Ok(total.agg)
    }
}

/// Runs the analysis over discovered sources.
pub fn analyze(discovery: Discovery, opts: &Options) -> Result<Analysis, String> {
    let mut inputs = Inputs::prepare(&discovery.sources, opts);
    let mut aggregate = inputs.read(opts)?;
    aggregate.finish();
    Ok(Analysis {
        inputs: inputs.files,
        errors: discovery.errors,
        ignored: discovery.ignored,
        aggregate,
        settings: opts.settings.clone(),
    })
}

thread_local! {
    static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

fn run_unit(
    unit: &Unit,
    prepared: &[Prepared],
    settings: &Settings,
    progress: &Option<std::sync::Arc<Progress>>,
    part: &mut Partial,
) {
    let input = match unit {
        Unit::Range { input, .. } | Unit::Stream { input } => *input,
    };
    let Some(prep) = prepared.get(input) else {
        return;
    };
    let Some(reading) = &prep.reading else {
        return;
    };
    let mut scanner = Scanner::new(reading, &prep.zone, prep.eol, settings);
    match (unit, &prep.plan) {
        (
            Unit::Range {
                start, end, chunk, ..
            },
            Plan::Ranges { path, from, .. },
        ) => {
            BUFFER.with_borrow_mut(|buf| {
                let read = match &prep.handle {
                    Some(file) => read_range(&mut At::new(file), *from, *start, *end, buf)
                        .and_then(|r| Ok((r, file.metadata()?.len()))),
                    None => reopen(path, prep.opened).and_then(|mut f| {
                        let range = read_range(&mut f, *from, *start, *end, buf)?;
                        Ok((range, f.metadata()?.len()))
                    }),
                };
                match read {
                    Ok((range, len)) => {
                        scanner.scan(&mut part.agg, input, *chunk, &buf[range]);
                        if let Some(p) = progress {
                            p.add(end - start);
                        }
                        if len < *end {
                            part.problems.push((input, shrank(len)));
                        }
                    }
                    Err(e) => part.problems.push((input, unit_problem(&e, *start))),
                }
            });
        }
        (
            Unit::Stream { .. },
            Plan::Stream {
                path,
                compression,
                from,
                limit,
                skip,
            },
        ) => read_stream(
            input,
            prep,
            Stream {
                path,
                compression: *compression,
                from: *from,
                limit: *limit,
                skip: *skip,
            },
            &mut scanner,
            progress,
            part,
        ),
        _ => {}
    }
}

/// The fields of a [`Plan::Stream`].
struct Stream<'p> {
    path: &'p PathBuf,
    compression: Compression,
    from: u64,
    limit: Option<u64>,
    skip: u64,
}

/// Reads a [`Plan::Stream`] input from start to end.
fn read_stream(
    input: usize,
    prep: &Prepared,
    Stream {
        path,
        compression,
        from,
        limit,
        skip,
    }: Stream,
    scanner: &mut Scanner,
    progress: &Option<std::sync::Arc<Progress>>,
    part: &mut Partial,
) {
    let file = match &prep.handle {
        Some(h) => h.try_clone(),
        None => reopen(path, prep.opened),
    };
    let opened = file.and_then(|mut f| {
        f.seek(std::io::SeekFrom::Start(from))?;
        Ok((f.try_clone()?, f))
    });
    let (probe, file) = match opened {
        Ok(x) => x,
        Err(e) => {
            part.problems.push((input, unit_problem(&e, 0)));
            return;
        }
    };
    let counted = Counting::new(file, progress.clone());
    let reader = decoded(Box::new(counted), compression);
    let mut reader: Box<dyn Read + Send> = match limit {
        Some(n) => Box::new(reader.take(n.saturating_sub(from))),
        None => reader,
    };
    if skip > 0 {
        if let Err(e) = std::io::copy(&mut (&mut reader).take(skip), &mut std::io::sink()) {
            part.problems.push((input, unit_problem(&e, 0)));
            return;
        }
    }
    let problem = stream_blocks(reader, prep.eol, |chunk, block| {
        scanner.scan(&mut part.agg, input, chunk, block)
    });
    if let Some(p) = problem {
        part.problems.push((input, p));
    }
    // Shrunk under the reader: the lines past its new end were not read.
    let planned = limit.or(prep.opened.map(|o| o.len)).unwrap_or(0);
    if let Ok(len) = probe.metadata().map(|m| m.len()) {
        if len < planned {
            part.problems.push((input, shrank(len)));
        }
    }
}

/// The message of an input that shrank while it was read.
fn shrank(len: u64) -> String {
    format!(
        "truncated to {len} bytes while it was read (rotated with copytruncate?): \
         the lines past that were not read"
    )
}

/// The message of a failed read of a unit that starts at byte `start`.
fn unit_problem(e: &std::io::Error, start: u64) -> String {
    if e.kind() == std::io::ErrorKind::Other && e.to_string() == REPLACED {
        return REPLACED.to_string();
    }
    format!("read error at byte {start}: {}", describe(e))
}

/// Said of a file that another took the place of while it was read.
const REPLACED: &str =
    "replaced while it was read (rotated?): the part read after that was skipped";

/// Opens `path` again, if it is still the file that was `opened`.
fn reopen(path: &PathBuf, opened: Option<Opened>) -> std::io::Result<File> {
    let file = File::open(path)?;
    match opened {
        Some(o) if identity(&file.metadata()?) != o.id => Err(std::io::Error::other(REPLACED)),
        _ => Ok(file),
    }
}

/// Runs `each` over `items` on the current pool, folding into one partial
/// result per worker thread (whichever items it takes), then merges them.
/// Memory holds as many partials as there are threads; rayon's `fold`
/// would make one per split, several per thread. `each` must not run work
/// on the pool itself: a thread that took another item while holding its
/// partial would wait on itself.
fn per_thread<I: ParallelIterator>(
    items: I,
    each: impl Fn(&mut Partial, I::Item) + Sync,
) -> Partial {
    let parts: Vec<Mutex<Partial>> = (0..rayon::current_num_threads())
        .map(|_| Mutex::default())
        .collect();
    let extra = Mutex::default();
    items.for_each(|item| {
        // Every pool thread has its slot; the fallback is for form.
        let slot = rayon::current_thread_index().and_then(|i| parts.get(i));
        let mut part = slot
            .unwrap_or(&extra)
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        each(&mut part, item);
    });
    parts
        .into_iter()
        .chain([extra])
        .map(|p| p.into_inner().unwrap_or_else(PoisonError::into_inner))
        .reduce(Partial::merge)
        .unwrap_or_default()
}

/// Feeds `reader`'s blocks of lines to `each`; returns the problem that
/// ended the stream early, if any (what came before it was fed).
fn stream_blocks<R: Read>(reader: R, eol: u8, mut each: impl FnMut(u64, &[u8])) -> Option<String> {
    let mut blocks = LineBlocks::new(reader, eol);
    let mut block = Vec::new();
    let mut chunk = 0;
    let mut bytes = 0u64;
    loop {
        match blocks.next_block(&mut block) {
            Ok(true) => {
                each(chunk, &block);
                chunk += 1;
                bytes += block.len() as u64;
            }
            Ok(false) => return None,
            Err(e) => {
                return Some(format!(
                    "data unreadable after {bytes} bytes ({e}): the lines before were counted"
                ))
            }
        }
    }
}

/// Reads a pipe (or stdin) on its own thread while its blocks are parsed
/// on the pool. Error logs are parsed in order, on this thread, so that
/// multi-line messages stay whole.
fn read_pipe(
    input: usize,
    reading: &Reading,
    zone: &Zone,
    eol: u8,
    reader: Box<dyn Read + Send>,
    settings: &Settings,
) -> Partial {
    let mut part = Partial::default();
    if matches!(reading, Reading::Error { .. }) {
        let mut scanner = Scanner::new(reading, zone, eol, settings);
        if let Some(problem) = stream_blocks(reader, eol, |chunk, block| {
            scanner.scan(&mut part.agg, input, chunk, block)
        }) {
            part.problems.push((input, problem));
        }
        return part;
    }
    let (tx, rx) = mpsc::sync_channel::<(u64, Vec<u8>)>(rayon::current_num_threads());
    let thread = std::thread::spawn(move || {
        stream_blocks(reader, eol, |chunk, block| {
            // A closed receiver means the pool stopped: nothing left to do.
            let _ = tx.send((chunk, block.to_vec()));
        })
    });
    part = per_thread(rx.into_iter().par_bridge(), |part, (chunk, block)| {
        Scanner::new(reading, zone, eol, settings).scan(&mut part.agg, input, chunk, &block)
    });
    match thread.join() {
        Ok(Some(problem)) => part.problems.push((input, problem)),
        Ok(None) => {}
        Err(_) => part
            .problems
            .push((input, "the reader thread stopped".into())),
    }
    part
}
