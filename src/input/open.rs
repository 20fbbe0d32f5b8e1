//! Opening sources: compression sniffed from magic bytes, gzip decoded.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};

use flate2::bufread::GzDecoder;

/// How a file's bytes are compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Compression {
    /// Plain text.
    None,
    /// gzip (one or more members).
    Gzip,
    /// bzip2: recognised, not decoded.
    Bzip2,
    /// xz: recognised, not decoded.
    Xz,
    /// zstd: recognised, not decoded.
    Zstd,
}

impl Compression {
    /// Recognises compression from a file's first bytes.
    pub fn sniff(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(b"BZh") {
            Compression::Bzip2
        } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
            Compression::Xz
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }

    /// Whether fiveohone can decode it.
    pub fn supported(self) -> bool {
        matches!(self, Compression::None | Compression::Gzip)
    }

    /// The tool that decodes it, for messages.
    pub fn decoder(self) -> &'static str {
        match self {
            Compression::None => "cat",
            Compression::Gzip => "zcat",
            Compression::Bzip2 => "bzcat",
            Compression::Xz => "xzcat",
            Compression::Zstd => "zstdcat",
        }
    }

    /// A short name (`gzip`, `bzip2`, …; empty for plain text).
    pub fn name(self) -> &'static str {
        match self {
            Compression::None => "",
            Compression::Gzip => "gzip",
            Compression::Bzip2 => "bzip2",
            Compression::Xz => "xz",
            Compression::Zstd => "zstd",
        }
    }
}

/// Reads up to `limit` bytes from `r` (fewer only at end of input).
pub fn read_head<R: Read>(r: &mut R, limit: usize) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(limit.min(1 << 16));
    r.take(limit as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// Where the data of a file starts: past the NUL bytes at its start, if
/// any (a writer that did not open its log for appending goes on at its old
/// offset after a `copytruncate`, leaving a hole that reads as NULs). Reads
/// from `head`, the file's first bytes, then on from `file`.
pub fn data_start(file: &mut File, head: &[u8]) -> io::Result<u64> {
    if let Some(p) = head.iter().position(|&b| b != 0) {
        return Ok(p as u64);
    }
    let mut at = head.len() as u64;
    file.seek(SeekFrom::Start(at))?;
    let mut piece = vec![0u8; 1 << 20];
    loop {
        let n = match file.read(&mut piece) {
            Ok(0) => return Ok(at),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if let Some(p) = piece[..n].iter().position(|&b| b != 0) {
            return Ok(at + p as u64);
        }
        at += n as u64;
    }
}

/// Decodes `reader` if it is compressed.
pub fn decoded(reader: Box<dyn Read + Send>, compression: Compression) -> Box<dyn Read + Send> {
    match compression {
        Compression::Gzip => Box::new(Members::new(BufReader::with_capacity(1 << 16, reader))),
        _ => reader,
    }
}

/// Up to `limit` decoded bytes of `raw`, the first bytes of a file: the
/// text format detection looks at. A gzip stream cut short by `raw`'s end
/// still yields what decodes before the cut.
pub fn decode_head(raw: &[u8], compression: Compression, limit: usize) -> Vec<u8> {
    if compression != Compression::Gzip {
        return raw[..raw.len().min(limit)].to_vec();
    }
    let mut reader = Members::new(raw);
    let mut head = vec![0; limit];
    let mut filled = 0;
    while filled < limit {
        match reader.read(&mut head[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    head.truncate(filled);
    head
}

/// The gzip magic bytes that start every member.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Decodes every gzip member of a stream, one after another (concatenated
/// `.gz` files are one valid file). Bytes after the last member that do not
/// start another one (and are not all zeros, which pad some archives) are an
/// error that names how many there were, after everything before them was
/// decoded.
pub struct Members<R> {
    state: State<R>,
}

enum State<R> {
    /// Inside a member.
    Member(Box<GzDecoder<R>>),
    /// Between members: the next bytes tell whether another one starts.
    Between(R),
    /// At the end (or after an error).
    Done,
}

impl<R: BufRead> Members<R> {
    /// Decodes `reader`, which starts with a gzip member.
    pub fn new(reader: R) -> Self {
        Members {
            state: State::Member(Box::new(GzDecoder::new(reader))),
        }
    }
}

impl<R: BufRead> Read for Members<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            match std::mem::replace(&mut self.state, State::Done) {
                State::Done => return Ok(0),
                State::Member(mut member) => match member.read(buf) {
                    Ok(0) if !buf.is_empty() => self.state = State::Between(member.into_inner()),
                    Ok(n) => {
                        self.state = State::Member(member);
                        return Ok(n);
                    }
                    Err(e) => return Err(e),
                },
                State::Between(mut reader) => {
                    let next = reader.fill_buf()?;
                    if next.is_empty() {
                        return Ok(0);
                    }
                    if GZIP_MAGIC.starts_with(&next[..next.len().min(2)]) {
                        self.state = State::Member(Box::new(GzDecoder::new(reader)));
                        continue;
                    }
                    // Zeros pad some archives (tapes, block devices): gzip
                    // reads past them too.
                    let (mut trailing, mut zeros) = (0u64, true);
                    loop {
                        let rest = reader.fill_buf()?;
                        if rest.is_empty() {
                            break;
                        }
                        zeros &= rest.iter().all(|&b| b == 0);
                        let n = rest.len();
                        trailing += n as u64;
                        reader.consume(n);
                    }
                    if zeros {
                        return Ok(0);
                    }
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("{trailing} bytes after the last gzip member are not gzip"),
                    ));
                }
            }
        }
    }
}
