//! Opening sources: compression sniffed from magic bytes, gzip decoded.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use flate2::read::MultiGzDecoder;

/// How a file's bytes are compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// Opens `path` as a stream of decoded bytes.
pub fn open_decoded(path: &Path, compression: Compression) -> io::Result<Box<dyn Read + Send>> {
    Ok(decoded(Box::new(File::open(path)?), compression))
}

/// Decodes `reader` if it is compressed.
pub fn decoded(reader: Box<dyn Read + Send>, compression: Compression) -> Box<dyn Read + Send> {
    match compression {
        Compression::Gzip => Box::new(MultiGzDecoder::new(io::BufReader::with_capacity(
            1 << 16,
            reader,
        ))),
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
    let mut reader = MultiGzDecoder::new(raw);
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
