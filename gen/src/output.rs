//! Where the lines go: one writer, or a logrotate-style family of files
//! (plain, then gzip-compressed), for the access log and the error log.

use crate::access::Generator;
use crate::config::SynthConfig;
use crate::errorlog::write_error_log;
use crate::timeline::Timeline;
use crate::truth::{ErrorTruth, Truth};
use flate2::write::GzEncoder;
use flate2::Compression;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Size of the output chunks handed to the writer.
const CHUNK: usize = 64 * 1024;

/// Writes `cfg.lines` non-blank lines of baseline traffic (plus blank lines,
/// and the requests scenarios add) to `out` and flushes it.
///
/// The output is produced in 64 KiB chunks, so an unbuffered writer is fine.
/// Fails with [`io::ErrorKind::InvalidInput`] when a scenario cannot be
/// written in `cfg.format` or lies outside the span (see [`ScenarioSpec`](crate::ScenarioSpec)).
pub fn generate<W: Write>(cfg: &SynthConfig, out: &mut W) -> io::Result<Truth> {
    let mut gen = Generator::new(cfg, Timeline::new(cfg)?);
    let mut buf = Vec::with_capacity(CHUNK + 4096);
    while gen.next_slot(&mut buf) {
        if buf.len() >= CHUNK {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    out.write_all(&buf)?;
    out.flush()?;
    Ok(gen.finish())
}

/// Writes a rotated family like logrotate does: `<dir>/access.log` (newest),
/// `access.log.1`, `access.log.2.gz`, ... `access.log.N.gz` (oldest), splitting
/// the generated lines in time order into `files` parts (parts with index >= 2
/// gzip-compressed). Returns the truth over all parts.
///
/// `base` is the file name (`access.log` above). The baseline lines are split
/// evenly; a blank line, and the requests a scenario adds, go to the part of
/// the baseline line they come with. The decompressed parts concatenated
/// oldest → newest are byte-identical to [`generate`] with the same
/// configuration. `dir` is created if needed; existing files with the
/// generated names are overwritten, others are left alone.
pub fn generate_rotated(
    cfg: &SynthConfig,
    dir: &Path,
    base: &str,
    files: usize,
) -> io::Result<Truth> {
    check_family(base, files)?;
    let timeline = Timeline::new(cfg)?;
    fs::create_dir_all(dir)?;
    Ok(write_access_family(cfg, timeline, dir, base, files)?.0)
}

/// Writes the error log of `cfg`'s timeline to `out` and flushes it: nginx's
/// layout for the nginx formats, Apache 2.4's default `ErrorLogFormat` for
/// the Apache ones, with local times (UTC + [`SynthConfig::tz_offset_secs`])
/// as the servers write them.
///
/// It holds, in time order: a few background lines an hour (missing files,
/// closed connections, the odd upstream timeout), nginx's daily `reopening
/// logs` after logrotate (not a reload), on a timeline longer than a day one
/// benign reload per day at a random working-hours time at least two hours
/// away from any scenario and burst, each post-deploy scenario's reload
/// sequence (1–3 minutes before its window), a traffic spike's exhausted
/// workers and upstream timeouts, and a few invalid-method lines for a
/// scanner. Every reload is followed by 0–2 `Connection refused` lines while
/// the application restarts. Times never decrease. The reloads are exactly
/// [`Truth::deploys`] of the access log of the same configuration.
///
/// The error log does not depend on [`SynthConfig::lines`]: it covers the
/// span whatever the traffic.
pub fn generate_error_log<W: Write>(cfg: &SynthConfig, out: &mut W) -> io::Result<ErrorTruth> {
    let timeline = Timeline::new(cfg)?;
    let mut buf = Vec::with_capacity(CHUNK + 4096);
    let truth = write_error_log(cfg, &timeline, |_, line| {
        buf.extend_from_slice(line);
        if buf.len() >= CHUNK {
            out.write_all(&buf)?;
            buf.clear();
        }
        Ok(())
    })?;
    out.write_all(&buf)?;
    out.flush()?;
    Ok(truth)
}

/// Writes `access.log*` (as [`generate_rotated`] does) and the matching
/// `error.log`, `error.log.1`, `error.log.2.gz`, … (the same number of files)
/// into `dir`. Error lines are split at the times the access parts start: an
/// error line goes to the part whose access lines started at or before it
/// (an empty access part gets an empty error part), and a reload sequence is
/// never split. Returns the access truth (with [`Truth::deploys`]) and the
/// error truth.
pub fn generate_dir(
    cfg: &SynthConfig,
    dir: &Path,
    files: usize,
) -> io::Result<(Truth, ErrorTruth)> {
    generate_family(cfg, dir, "access.log", "error.log", files)
}

/// [`generate_dir`] with other file names, e.g. `other_vhosts_access.log`
/// and `other_vhosts_error.log`.
pub fn generate_family(
    cfg: &SynthConfig,
    dir: &Path,
    access_base: &str,
    error_base: &str,
    files: usize,
) -> io::Result<(Truth, ErrorTruth)> {
    check_family(access_base, files)?;
    check_family(error_base, files)?;
    if access_base == error_base {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the access and error logs need different names",
        ));
    }
    let timeline = Timeline::new(cfg)?;
    fs::create_dir_all(dir)?;
    let (truth, starts, timeline) = write_access_family(cfg, timeline, dir, access_base, files)?;
    let mut part = 0;
    let mut file = PartFile::create(dir, error_base, files - 1)?;
    let error = write_error_log(cfg, &timeline, |ts, line| {
        // The last part whose access lines started at or before `ts`.
        let want = starts.partition_point(|&s| s <= ts).max(1) - 1;
        while part < want {
            std::mem::replace(
                &mut file,
                PartFile::create(dir, error_base, files - 2 - part)?,
            )
            .finish()?;
            part += 1;
        }
        file.write_all(line)
    })?;
    file.finish()?;
    for index in (0..files - 1 - part).rev() {
        PartFile::create(dir, error_base, index)?.finish()?;
    }
    Ok((truth, error))
}

fn check_family(base: &str, files: usize) -> io::Result<()> {
    if files == 0 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the number of rotated files must be at least 1",
        ));
    }
    if base.is_empty() || base.contains(['/', '\\']) || base == "." || base == ".." {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("invalid log file name {base:?}"),
        ));
    }
    Ok(())
}

/// One file of a rotated family: index 0 is `base`, 1 is `base.1`, 2 and
/// up are `base.N.gz`.
pub(crate) enum PartFile {
    Plain(BufWriter<File>),
    Gzip(Box<GzEncoder<BufWriter<File>>>),
}

impl PartFile {
    pub(crate) fn path(dir: &Path, base: &str, index: usize) -> PathBuf {
        match index {
            0 => dir.join(base),
            1 => dir.join(format!("{base}.1")),
            n => dir.join(format!("{base}.{n}.gz")),
        }
    }

    fn create(dir: &Path, base: &str, index: usize) -> io::Result<PartFile> {
        let file = BufWriter::with_capacity(CHUNK, File::create(Self::path(dir, base, index))?);
        Ok(if index >= 2 {
            PartFile::Gzip(Box::new(GzEncoder::new(file, Compression::new(6))))
        } else {
            PartFile::Plain(file)
        })
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self {
            PartFile::Plain(f) => f.write_all(bytes),
            PartFile::Gzip(f) => f.write_all(bytes),
        }
    }

    fn finish(self) -> io::Result<()> {
        let mut file = match self {
            PartFile::Plain(f) => f,
            PartFile::Gzip(f) => f.finish()?,
        };
        file.flush()
    }
}

/// Writes the access family; returns the truth, the time of the first line
/// of each part (oldest first; `i64::MIN` for the first part, and an empty
/// part takes the time of the next non-empty one, or `i64::MAX`) and the
/// timeline back.
fn write_access_family(
    cfg: &SynthConfig,
    timeline: Timeline,
    dir: &Path,
    base: &str,
    files: usize,
) -> io::Result<(Truth, Vec<i64>, Timeline)> {
    let mut gen = Generator::new(cfg, timeline);
    let mut buf = Vec::with_capacity(CHUNK + 4096);
    let mut starts: Vec<Option<i64>> = Vec::with_capacity(files);
    for part in 0..files {
        let index = files - 1 - part;
        let end = (u128::from(cfg.lines) * (part as u128 + 1) / files as u128) as u64;
        let mut file = PartFile::create(dir, base, index)?;
        starts.push(write_part(&mut gen, &mut buf, &mut file, end, index == 0)?);
        file.finish()?;
    }
    let mut next = i64::MAX;
    let mut times = vec![0; files];
    for (t, s) in times.iter_mut().zip(&starts).rev() {
        next = s.unwrap_or(next);
        *t = next;
    }
    times[0] = i64::MIN;
    let (truth, timeline) = gen.finish_with_timeline();
    Ok((truth, times, timeline))
}

/// Estimates how many non-blank lines `cfg` needs to produce about
/// `target_bytes` bytes of uncompressed output, by generating a sample with
/// the same configuration and measuring its average line length.
pub fn lines_for_size(cfg: &SynthConfig, target_bytes: u64) -> u64 {
    if target_bytes == 0 {
        return 0;
    }
    let sample_lines = 20_000;
    let mut sample = SynthConfig {
        lines: sample_lines,
        ..cfg.clone()
    };
    let timeline = Timeline::new(&sample).unwrap_or_else(|_| {
        sample.scenarios.clear();
        Timeline::new(&sample).expect("a timeline without scenarios is always valid")
    });
    let mut gen = Generator::new(&sample, timeline);
    let mut buf = Vec::with_capacity(CHUNK + 4096);
    let mut bytes = 0u64;
    while gen.next_slot(&mut buf) {
        bytes += buf.len() as u64;
        buf.clear();
    }
    let bytes = bytes.max(1) as u128;
    let lines = (u128::from(target_bytes) * u128::from(sample_lines)).div_ceil(bytes);
    u64::try_from(lines).unwrap_or(u64::MAX).max(1)
}

/// Writes slots until `end` baseline lines have been generated in total (and,
/// for the `last` part, whatever injected requests remain); returns the time
/// of the part's first line, if it has one.
fn write_part(
    gen: &mut Generator<'_>,
    buf: &mut Vec<u8>,
    out: &mut PartFile,
    end: u64,
    last: bool,
) -> io::Result<Option<i64>> {
    let mut first = None;
    while (gen.emitted < end || last) && gen.next_slot(buf) {
        first.get_or_insert(gen.slot_first_ts);
        if buf.len() >= CHUNK {
            out.write_all(buf)?;
            buf.clear();
        }
    }
    out.write_all(buf)?;
    buf.clear();
    Ok(first)
}
