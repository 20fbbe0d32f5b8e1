//! Before reading: open each input's head, recognise its compression, its
//! line ends and what it is (access log in which grammar, or error log),
//! decide how to read it, and choose the zone of its error-log times.

use std::fs::File;
use std::io::{self, Read, Seek};
use std::path::PathBuf;

use super::{FormatChoice, InputFile};
use crate::grammar::detect::{self, Content};
use crate::grammar::envelope::{unescape, Envelope};
use crate::grammar::{builtin, error, Grammar};
use crate::input::discover::describe;
use crate::input::open::{data_start, decode_head, read_head};
use crate::input::opened::identity;
use crate::input::{Compression, Source};
use crate::scan::Reading;
use crate::timefmt::{TimeCache, Zone};

/// Bytes read from the start of each input to detect its format.
const HEAD_BYTES: usize = 64 << 10;

/// How one input is read.
pub(super) enum Plan {
    /// Not at all.
    Skip,
    /// A plain regular file, in byte ranges of `[from, size)` read in
    /// parallel.
    Ranges { path: PathBuf, from: u64, size: u64 },
    /// A regular file read from start to end by one task (gzip, error logs,
    /// `\r` line ends).
    Stream {
        path: PathBuf,
        compression: Compression,
        /// Where its data starts (past a hole of NULs).
        from: u64,
        /// Read no further than this byte (following: the end of the last
        /// complete line).
        limit: Option<u64>,
        /// Decoded bytes passed over first (a gzip file counted up to there
        /// before a restart).
        skip: u64,
    },
    /// stdin (`file: None`) or a pipe, FIFO or device: read once, its head
    /// already taken.
    Pipe {
        head: Vec<u8>,
        file: Option<File>,
        compression: Compression,
    },
}

/// An input ready to be read.
pub(super) struct Prepared<'g> {
    pub reading: Option<Reading<'g>>,
    /// Zone of its error-log times.
    pub zone: Zone,
    /// The zone offset its own access lines carry.
    pub offset: Option<i64>,
    /// The byte that ends its lines (`\n`, or `\r` for old Mac files).
    pub eol: u8,
    pub plan: Plan,
    /// A regular file as opened when its size was taken, read by the tasks
    /// (and then by the follower) whatever the path names by then. Batch
    /// runs keep it for the first [`super::HANDLES`] files read in ranges.
    pub handle: Option<File>,
    /// A regular file's identity and size when it was opened here: the
    /// tasks that reopen it check they read the same file, and whether it
    /// shrank under them.
    pub opened: Option<Opened>,
}

/// A regular file as it was when prepared.
#[derive(Debug, Clone, Copy)]
pub struct Opened {
    /// Device and inode.
    pub id: (u64, u64),
    /// Size in bytes.
    pub len: u64,
}

/// The lines of a sample wrapped in `envelope`, unwrapped (and unescaped),
/// each stream's pieces of a long line joined.
fn unwrap_sample(envelope: Envelope, lines: &[&[u8]]) -> Vec<Vec<u8>> {
    let mut pieces: [Vec<u8>; 2] = Default::default();
    let mut out = Vec::new();
    for inner in lines.iter().filter_map(|l| envelope.open(l)) {
        let text = &mut pieces[inner.stream as usize];
        if inner.escaped {
            unescape(inner.text, text);
        } else {
            text.extend_from_slice(inner.text);
        }
        if !inner.partial {
            out.push(std::mem::take(text));
        }
    }
    out
}

/// An input named `name` that is not read (yet).
pub(super) fn unread<'g>(name: String) -> (InputFile, Prepared<'g>) {
    let input = InputFile {
        name,
        format: None,
        detected: false,
        zone: None,
        compression: Compression::None,
        skipped: None,
        problems: Vec::new(),
        notes: Vec::new(),
        unreadable: false,
        resume: None,
    };
    let prep = Prepared {
        reading: None,
        zone: Zone::Utc,
        offset: None,
        eol: b'\n',
        plan: Plan::Skip,
        handle: None,
        opened: None,
    };
    (input, prep)
}

/// Opens an input's head and decides how to read it; with `follow`, plain
/// files are read up to their last complete line only.
pub(super) fn prepare<'g>(
    source: &Source,
    choice: &'g FormatChoice,
    follow: bool,
) -> (InputFile, Prepared<'g>) {
    let (mut input, mut prep) = unread(source.display());
    let cannot = |e: io::Error| format!("cannot read: {}", describe(&e));
    // Where a regular file's data starts.
    let mut from = 0;
    // Regular files are reopened by the tasks that read them; anything else
    // (stdin, pipes, FIFOs) is read once, from the handle opened here.
    let (head, pipe) = match &source.path {
        None => match read_head(&mut io::stdin().lock(), HEAD_BYTES) {
            Ok(h) => (h, Some(None)),
            Err(e) => return unreadable(input, prep, cannot(e)),
        },
        Some(path) => {
            let opened = File::open(path).and_then(|f| Ok((f.metadata()?, f)));
            let (meta, mut file) = match opened {
                Ok(x) => x,
                Err(e) => return unreadable(input, prep, cannot(e)),
            };
            let regular = meta.is_file();
            if regular {
                prep.opened = Some(Opened {
                    id: identity(&meta),
                    len: meta.len(),
                });
            }
            if regular {
                prep.handle = file.try_clone().ok();
            }
            match read_head(&mut file, HEAD_BYTES) {
                // A hole of NULs at the start is passed over.
                Ok(h) if regular && h.first() == Some(&0) => {
                    let after = data_start(&mut file, &h).and_then(|at| {
                        file.seek(io::SeekFrom::Start(at))?;
                        Ok((at, read_head(&mut file, HEAD_BYTES)?))
                    });
                    match after {
                        Ok((at, h)) => {
                            from = at;
                            (h, None)
                        }
                        Err(e) => return unreadable(input, prep, cannot(e)),
                    }
                }
                Ok(h) if regular => (h, None),
                Ok(h) => (h, Some(Some(file))),
                Err(e) => return unreadable(input, prep, cannot(e)),
            }
        }
    };
    if from > 0 {
        input.notes.push(format!(
            "its first {from} bytes are NULs (a hole left by truncating the file under a \
             writer that does not append?): passed over"
        ));
    }
    input.compression = Compression::sniff(&head);
    if !input.compression.supported() {
        let c = input.compression;
        let why = format!(
            "{} compression is not supported: decompress it and pipe it in ({} FILE | fiveohone -)",
            c.name(),
            c.decoder()
        );
        return unreadable(input, prep, why);
    }
    let text = decode_head(&head, input.compression, HEAD_BYTES);
    if !text.contains(&b'\n') && text.contains(&b'\r') {
        prep.eol = b'\r';
    }
    let raw: Vec<&[u8]> = text
        .split(|&b| b == prep.eol)
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .take(detect::SAMPLE_LINES)
        .collect();
    let envelope = Envelope::detect(&raw);
    let unwrapped = envelope.map(|e| unwrap_sample(e, &raw)).unwrap_or_default();
    let lines: Vec<&[u8]> = match envelope {
        Some(e) => {
            input.notes.push(format!(
                "lines wrapped in {} envelopes: read unwrapped",
                e.name()
            ));
            unwrapped.iter().map(Vec::as_slice).collect()
        }
        None => raw,
    };

    let content = detect::detect(&lines, source.apache_hint);
    let fixed_fits = |g: &Grammar| {
        let mut times = TimeCache::default();
        lines.iter().any(|l| g.parse(l, &mut times).is_ok())
    };
    let recognised = match choice {
        FormatChoice::Fixed(g) => fixed_fits(g),
        FormatChoice::Auto => false,
    } || !matches!(content, Content::Unknown);
    if !recognised {
        if let Some(share) = detect::binary_share(&text) {
            let why = format!(
                "binary data, not a log ({share}% of its first {} bytes are control bytes)",
                text.len()
            );
            return unreadable(input, prep, why);
        }
    }
    let is_error_log = match choice {
        // A format the user gave wins over the error-log look of a file
        // that it reads.
        FormatChoice::Fixed(g) if fixed_fits(g) => false,
        _ => {
            content == Content::ErrorLog
                || (source.error_by_name && !matches!(content, Content::Access(_)))
        }
    };
    let reading = if is_error_log {
        let server = lines
            .iter()
            .find_map(|l| error::parse(l))
            .map_or("unknown", |e| e.server.name());
        input.format = Some(format!("{server}-error"));
        input.detected = true;
        let fallbacks = match choice {
            FormatChoice::Auto => builtin::all().iter().collect(),
            FormatChoice::Fixed(_) => Vec::new(),
        };
        Reading::Error {
            fallbacks,
            envelope,
        }
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
                    input.notes.push(
                        "no known format fits its first lines: its lines count as malformed \
                         (pass --log-format with the server's log_format/LogFormat)"
                            .into(),
                    );
                }
                (g, all.iter().filter(|x| x.name() != g.name()).collect())
            }
        };
        input.format = Some(grammar.name().to_string());
        prep.offset = lines.iter().find_map(|l| grammar.time_offset(l));
        Reading::Access {
            grammar,
            error_lines: !fallbacks.is_empty(),
            fallbacks,
            envelope,
        }
    };
    // Error logs are read in order, so multi-line messages stay whole.
    let in_order = matches!(reading, Reading::Error { .. }) || prep.eol != b'\n';
    let handle = prep.handle.as_ref();
    let size = |path: &PathBuf| -> io::Result<u64> {
        match handle {
            // Following a plain file: up to its last complete line, in the
            // file opened above.
            Some(file) if follow && input.compression == Compression::None => {
                let len = file.metadata()?.len();
                last_line_end(&mut file.try_clone()?, len, prep.eol)
            }
            _ => Ok(std::fs::metadata(path)?.len()),
        }
    };
    prep.plan = match (&source.path, pipe) {
        (_, Some(file)) => Plan::Pipe {
            head,
            file,
            compression: input.compression,
        },
        // A file whose size says 0 but that holds lines (procfs, sysfs) is
        // read to its end.
        (Some(path), None) if prep.opened.is_some_and(|o| o.len == 0) && !head.is_empty() => {
            Plan::Stream {
                path: path.clone(),
                compression: input.compression,
                from,
                limit: None,
                skip: 0,
            }
        }
        (Some(path), None) if input.compression == Compression::None && !in_order => {
            match size(path) {
                Ok(size) => {
                    input.resume = follow.then_some(size);
                    Plan::Ranges {
                        path: path.clone(),
                        from,
                        size,
                    }
                }
                Err(e) => return unreadable(input, prep, cannot(e)),
            }
        }
        (Some(path), None) => {
            let limit = match size(path) {
                Ok(n) => (follow && input.compression == Compression::None).then_some(n),
                Err(e) => return unreadable(input, prep, cannot(e)),
            };
            input.resume = limit;
            Plan::Stream {
                path: path.clone(),
                compression: input.compression,
                from,
                limit,
                skip: 0,
            }
        }
        (None, None) => Plan::Skip,
    };
    prep.reading = Some(reading);
    (input, prep)
}

/// The offset just past the last `eol` in the first `len` bytes of `file`
/// (0 if there is none): where complete lines end.
fn last_line_end(file: &mut File, len: u64, eol: u8) -> io::Result<u64> {
    let mut end = len;
    let mut buf = vec![0; 1 << 16];
    while end > 0 {
        let start = end.saturating_sub(buf.len() as u64);
        let n = (end - start) as usize;
        file.seek(io::SeekFrom::Start(start))?;
        file.read_exact(&mut buf[..n])?;
        if let Some(p) = memchr::memrchr(eol, &buf[..n]) {
            return Ok(start + p as u64 + 1);
        }
        end = start;
    }
    Ok(0)
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

/// Error-log times carry no zone: they are read in `--tz` if given, else in
/// the zone of the newest access log in the same directory, else in UTC. A
/// file's own access lines tell its zone first.
pub(super) fn assign_zones(
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
    let dir_offsets: Vec<(Option<PathBuf>, i64)> = sources
        .iter()
        .zip(prepared.iter())
        .filter_map(|(s, p)| p.offset.map(|o| (dir_of(s), o)))
        .collect();
    for ((source, input), prep) in sources
        .iter()
        .zip(inputs.iter_mut())
        .zip(prepared.iter_mut())
    {
        let reads_error_lines = match &prep.reading {
            Some(Reading::Error { .. }) => true,
            Some(Reading::Access { error_lines, .. }) => *error_lines,
            None => false,
        };
        if !reads_error_lines {
            continue;
        }
        let dir = dir_of(source);
        // The newest access log beside it (files are in reading order).
        let beside = dir_offsets
            .iter()
            .rev()
            .find(|(d, _)| *d == dir)
            .map(|(_, o)| *o);
        let (zone, why) = match (prep.offset, tz, beside) {
            (Some(own), _, _) => (Zone::Fixed(own), "the file's access lines"),
            (None, Some(z), _) => (z.clone(), "--tz"),
            (None, None, Some(off)) => (Zone::Fixed(off), "the access logs beside it"),
            (None, None, None) => (Zone::Utc, "no access log beside it and no --tz"),
        };
        if matches!(prep.reading, Some(Reading::Error { .. })) {
            input.zone = Some(format!("{} ({why})", zone.describe()));
        }
        prep.zone = zone;
    }
}

/// Reads what is left of a pipe after its head.
pub(super) fn pipe_reader(head: Vec<u8>, file: Option<File>) -> Box<dyn Read + Send> {
    let rest: Box<dyn Read + Send> = match file {
        Some(f) => Box::new(f),
        None => Box::new(io::stdin()),
    };
    Box::new(io::Cursor::new(head).chain(rest))
}
