//! Wiring: sources → format detection → parallel chunk parsing → one merged
//! [`Aggregate`].
//!
//! Plain files are cut into line-aligned byte ranges ([`CHUNK_SIZE`]) that
//! rayon parses in parallel; gzip files are decoded one per task, several at
//! once; stdin is read by one thread and its blocks parsed in parallel.
//! Each task folds into its own aggregate and the aggregates are merged, so
//! memory holds a few blocks plus the counters, whatever the input size.

use std::cell::RefCell;
use std::fs::File;
use std::io::{self, Read};
use std::path::PathBuf;
use std::sync::mpsc;

use rayon::prelude::*;

use crate::aggregate::{Aggregate, Settings};
use crate::grammar::detect::{self, Content};
use crate::grammar::{builtin, error, Grammar};
use crate::input::chunk::{read_range, LineBlocks, CHUNK_SIZE};
use crate::input::discover::describe;
use crate::input::open::{decoded_head, open_decoded, read_head};
use crate::input::{Compression, Discovery, Source};
use crate::scan::{Reading, Scanner};
use crate::timefmt::Zone;

/// Bytes read from the start of each input to detect its format.
const HEAD_BYTES: usize = 64 << 10;

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
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    /// Zone of error-log times when no access log beside them tells it.
    pub tz: Option<Zone>,
}

/// What happened to one input.
#[derive(Debug, Clone)]
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
    /// Why it was not read, if it was not (error log, unsupported
    /// compression, unreadable).
    pub skipped: Option<String>,
    /// Problems met while reading it (corrupt gzip, read errors); what was
    /// read before the problem is counted.
    pub problems: Vec<String>,
    /// Whether a skip or problem means some of its data went unread.
    pub unreadable: bool,
}

/// The result of a run.
#[derive(Debug)]
pub struct Analysis {
    /// Inputs in reading order; `Aggregate::files` is keyed by index here.
    pub inputs: Vec<InputFile>,
    /// Paths that could not be opened at all.
    pub errors: Vec<String>,
    /// Files in directories passed over as not named like logs.
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

/// How one input is read.
enum Plan {
    Skip,
    Ranges {
        path: PathBuf,
        size: u64,
    },
    Stream {
        path: PathBuf,
        compression: Compression,
    },
    Stdin {
        head: Vec<u8>,
    },
}

struct Prepared<'g> {
    reading: Option<Reading<'g>>,
    zone: Zone,
    /// The zone offset the file's own (access) lines carry.
    offset: Option<i64>,
    plan: Plan,
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

/// Runs the analysis over discovered sources.
pub fn analyze(discovery: Discovery, opts: &Options) -> Result<Analysis, String> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(|e| format!("cannot start worker threads: {e}"))?;
    let mut inputs = Vec::with_capacity(discovery.sources.len());
    let mut prepared = Vec::with_capacity(discovery.sources.len());
    for source in &discovery.sources {
        let (input, prep) = prepare(source, &opts.format);
        inputs.push(input);
        prepared.push(prep);
    }
    assign_zones(
        &discovery.sources,
        &mut inputs,
        &mut prepared,
        opts.tz.as_ref(),
    );

    let mut units = Vec::new();
    for (input, prep) in prepared.iter().enumerate() {
        match &prep.plan {
            Plan::Ranges { size, .. } => {
                let mut start = 0;
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
            Plan::Stream { .. } => units.push(Unit::Stream { input }),
            Plan::Skip | Plan::Stdin { .. } => {}
        }
    }

    let settings = &opts.settings;
    let mut total = pool.install(|| {
        // Streams first: each is one long task, ranges fill in around them.
        units.sort_by_key(|u| matches!(u, Unit::Range { .. }));
        let files = units
            .par_iter()
            .fold(Partial::default, |mut part, unit| {
                run_unit(unit, &prepared, settings, &mut part);
                part
            })
            .reduce(Partial::default, Partial::merge);
        let stdin = prepared
            .iter()
            .enumerate()
            .find_map(|(i, p)| match &p.plan {
                Plan::Stdin { head } => Some((i, p, head.clone())),
                _ => None,
            });
        match stdin {
            Some((input, prep, head)) => files.merge(read_stdin(input, prep, head, settings)),
            None => files,
        }
    });

    for (input, problem) in total.problems.drain(..) {
        if let Some(i) = inputs.get_mut(input) {
            i.problems.push(problem);
            i.unreadable = true;
        }
    }
    total.agg.finish();
    Ok(Analysis {
        inputs,
        errors: discovery.errors,
        ignored: discovery.ignored,
        aggregate: total.agg,
        settings: opts.settings.clone(),
    })
}

/// Opens an input's head, recognises compression and format, and decides
/// how to read it.
fn prepare<'g>(source: &Source, choice: &'g FormatChoice) -> (InputFile, Prepared<'g>) {
    let mut input = InputFile {
        name: source.display(),
        format: None,
        detected: false,
        zone: None,
        compression: Compression::None,
        skipped: None,
        problems: Vec::new(),
        unreadable: false,
    };
    let mut prep = Prepared {
        reading: None,
        zone: Zone::Utc,
        offset: None,
        plan: Plan::Skip,
    };
    let head = match &source.path {
        None => match read_head(&mut io::stdin().lock(), HEAD_BYTES) {
            Ok(h) => h,
            Err(e) => return unreadable(input, prep, format!("cannot read: {}", describe(&e))),
        },
        Some(path) => {
            let head = File::open(path).and_then(|mut f| read_head(&mut f, HEAD_BYTES));
            match head {
                Ok(h) => h,
                Err(e) => return unreadable(input, prep, format!("cannot read: {}", describe(&e))),
            }
        }
    };
    input.compression = Compression::sniff(&head);
    let text_head = match (&source.path, input.compression) {
        (_, Compression::None) => head.clone(),
        (Some(path), Compression::Gzip) => {
            match decoded_head(path, Compression::Gzip, HEAD_BYTES) {
                Ok(h) => h,
                Err(e) => return unreadable(input, prep, format!("not readable as gzip: {e}")),
            }
        }
        (None, Compression::Gzip) => {
            let why = "gzip data on stdin: pipe it through zcat first".to_string();
            return unreadable(input, prep, why);
        }
        (_, c) => {
            let why = format!(
                "{} compression is not supported: decompress it and pipe it in ({} FILE | fiveohone -)",
                c.name(),
                c.decoder()
            );
            return unreadable(input, prep, why);
        }
    };

    let content = detect::detect(&text_head, source.apache_hint);
    let is_error_log = content == Content::ErrorLog
        || (source.error_by_name && !matches!(content, Content::Access(_)));
    let reading = if is_error_log {
        input.format = Some(error_format(&text_head));
        input.detected = true;
        Reading::Error
    } else {
        let (grammar, fallbacks) = match choice {
            FormatChoice::Fixed(g) => (g, Vec::new()),
            FormatChoice::Auto => {
                let all = builtin::all();
                let chosen = match content {
                    Content::Access(i) => i,
                    _ => 0,
                };
                let Some(g) = all.get(chosen) else {
                    input.skipped = Some("no built-in grammar available".into());
                    return (input, prep);
                };
                input.detected = matches!(content, Content::Access(_));
                if content == Content::Unknown {
                    input.problems.push(
                        "no known format fits its first lines: its lines count as malformed \
                         (pass --log-format with the server's log_format/LogFormat)"
                            .into(),
                    );
                }
                (g, all.iter().filter(|x| x.name() != g.name()).collect())
            }
        };
        input.format = Some(grammar.name().to_string());
        prep.offset = text_head
            .split(|&b| b == b'\n')
            .take(detect::SAMPLE_LINES)
            .find_map(|line| grammar.time_offset(line.strip_suffix(b"\r").unwrap_or(line)));
        Reading::Access {
            grammar,
            error_lines: !fallbacks.is_empty(),
            fallbacks,
        }
    };
    prep.plan = match (&source.path, input.compression) {
        (None, _) => Plan::Stdin { head },
        // Error logs are read in order, so multi-line messages stay whole.
        (Some(path), Compression::None) if !matches!(reading, Reading::Error) => {
            match std::fs::metadata(path) {
                Ok(m) => Plan::Ranges {
                    path: path.clone(),
                    size: m.len(),
                },
                Err(e) => return unreadable(input, prep, format!("cannot read: {}", describe(&e))),
            }
        }
        (Some(path), compression) => Plan::Stream {
            path: path.clone(),
            compression,
        },
    };
    prep.reading = Some(reading);
    (input, prep)
}

/// `nginx-error` or `apache-error`, from the first error line of a head.
fn error_format(head: &[u8]) -> String {
    let server = head
        .split(|&b| b == b'\n')
        .find_map(error::parse)
        .map_or("unknown", |e| e.server.name());
    format!("{server}-error")
}

/// Error-log times carry no zone: they are read in the zone of the access
/// logs in the same directory, else `--tz`, else UTC. A file's own access
/// lines tell its zone first.
fn assign_zones(
    sources: &[Source],
    inputs: &mut [InputFile],
    prepared: &mut [Prepared],
    tz: Option<&Zone>,
) {
    let dir_of = |s: &Source| {
        s.path
            .as_ref()
            .and_then(|p| p.parent())
            .map(|d| d.to_path_buf())
    };
    let mut dir_offsets: Vec<(Option<PathBuf>, i64)> = Vec::new();
    for (source, prep) in sources.iter().zip(prepared.iter()) {
        if let Some(off) = prep.offset {
            dir_offsets.push((dir_of(source), off));
        }
    }
    for ((source, input), prep) in sources
        .iter()
        .zip(inputs.iter_mut())
        .zip(prepared.iter_mut())
    {
        let reads_error_lines = match &prep.reading {
            Some(Reading::Error) => true,
            Some(Reading::Access { error_lines, .. }) => *error_lines,
            None => false,
        };
        if !reads_error_lines {
            continue;
        }
        let dir = dir_of(source);
        let beside = dir_offsets.iter().find(|(d, _)| *d == dir).map(|(_, o)| *o);
        let (zone, why) = match (prep.offset, beside, tz) {
            (Some(own), _, _) => (Zone::Fixed(own), "the file's access lines"),
            (None, Some(off), _) => (Zone::Fixed(off), "the access logs beside it"),
            (None, None, Some(z)) => (z.clone(), "--tz"),
            (None, None, None) => (Zone::Utc, "no access log beside it and no --tz"),
        };
        if matches!(prep.reading, Some(Reading::Error)) {
            input.zone = Some(format!("{} ({why})", zone.describe()));
        }
        prep.zone = zone;
    }
}

fn unreadable<'g>(
    mut input: InputFile,
    prep: Prepared<'g>,
    why: String,
) -> (InputFile, Prepared<'g>) {
    input.skipped = Some(why);
    input.unreadable = true;
    (input, prep)
}

thread_local! {
    static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

fn run_unit(unit: &Unit, prepared: &[Prepared], settings: &Settings, part: &mut Partial) {
    let input = match unit {
        Unit::Range { input, .. } | Unit::Stream { input } => *input,
    };
    let Some(prep) = prepared.get(input) else {
        return;
    };
    let Some(reading) = &prep.reading else {
        return;
    };
    let mut scanner = Scanner::new(reading, &prep.zone, settings);
    match (unit, &prep.plan) {
        (
            Unit::Range {
                start, end, chunk, ..
            },
            Plan::Ranges { path, .. },
        ) => {
            BUFFER.with_borrow_mut(|buf| {
                let read = File::open(path).and_then(|mut f| read_range(&mut f, *start, *end, buf));
                match read {
                    Ok(range) => scanner.scan(&mut part.agg, input, *chunk, &buf[range]),
                    Err(e) => part.problems.push((
                        input,
                        format!("read error at byte {start}: {}", describe(&e)),
                    )),
                }
            });
        }
        (Unit::Stream { .. }, Plan::Stream { path, compression }) => {
            let reader = match open_decoded(path, *compression) {
                Ok(r) => r,
                Err(e) => {
                    part.problems
                        .push((input, format!("cannot read: {}", describe(&e))));
                    return;
                }
            };
            let problem = stream_blocks(reader, Vec::new(), |chunk, block| {
                scanner.scan(&mut part.agg, input, chunk, block)
            });
            if let Some(p) = problem {
                part.problems.push((input, p));
            }
        }
        _ => {}
    }
}

/// Feeds `reader`'s blocks of lines to `each`; returns the problem that
/// ended the stream early, if any (what came before it was fed).
fn stream_blocks<R: Read>(
    reader: R,
    prefix: Vec<u8>,
    mut each: impl FnMut(u64, &[u8]),
) -> Option<String> {
    let mut blocks = LineBlocks::new(prefix, reader);
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

/// Reads stdin on its own thread; its blocks are parsed on the pool.
fn read_stdin(input: usize, prep: &Prepared, head: Vec<u8>, settings: &Settings) -> Partial {
    let Some(reading) = &prep.reading else {
        return Partial::default();
    };
    let (tx, rx) = mpsc::sync_channel::<(u64, Vec<u8>)>(rayon::current_num_threads() * 2);
    let reader = std::thread::spawn(move || {
        stream_blocks(io::stdin().lock(), head, |chunk, block| {
            // A closed receiver means the pool stopped: nothing left to do.
            let _ = tx.send((chunk, block.to_vec()));
        })
    });
    let mut part = rx
        .into_iter()
        .par_bridge()
        .fold(Partial::default, |mut part, (chunk, block)| {
            Scanner::new(reading, &prep.zone, settings).scan(&mut part.agg, input, chunk, &block);
            part
        })
        .reduce(Partial::default, Partial::merge);
    match reader.join() {
        Ok(Some(problem)) => part.problems.push((input, problem)),
        Ok(None) => {}
        Err(_) => part
            .problems
            .push((input, "the stdin reader stopped".into())),
    }
    part
}
