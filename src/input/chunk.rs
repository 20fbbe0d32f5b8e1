//! Cutting inputs into blocks of whole lines.
//!
//! Big plain files are cut into byte ranges read independently: a range
//! owns the lines that *start* in it, so ranges can be read in any order
//! and every line is read exactly once. Streams (gzip, stdin) are read
//! sequentially into blocks that end at a line boundary.

use std::io::{self, Read, Seek, SeekFrom};
use std::ops::Range;

/// Target size of a block of lines.
pub const CHUNK_SIZE: usize = 8 << 20;

/// Reads into `buf` the lines of `file` that start in `[start, end)` (the
/// last one runs past `end` to its newline) and returns where they lie in
/// `buf`.
pub fn read_range<F: Read + Seek>(
    file: &mut F,
    start: u64,
    end: u64,
    buf: &mut Vec<u8>,
) -> io::Result<Range<usize>> {
    buf.clear();
    // Read one byte before `start` to know whether a line starts at `start`.
    let from = start.saturating_sub(1);
    file.seek(SeekFrom::Start(from))?;
    let want = (end - from) as usize;
    buf.reserve(want + (1 << 16));
    file.by_ref().take(want as u64).read_to_end(buf)?;
    let first = if start == 0 {
        0
    } else {
        match memchr::memchr(b'\n', buf) {
            Some(i) => i + 1,
            None => return Ok(0..0),
        }
    };
    if first >= buf.len() || buf.len() < want || buf.last() == Some(&b'\n') {
        return Ok(first.min(buf.len())..buf.len());
    }
    // The last line runs past `end`: read on to its newline (or EOF).
    let mut piece = [0u8; 1 << 16];
    loop {
        let n = match file.read(&mut piece) {
            Ok(0) => return Ok(first..buf.len()),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if let Some(i) = memchr::memchr(b'\n', &piece[..n]) {
            buf.extend_from_slice(&piece[..=i]);
            return Ok(first..buf.len());
        }
        buf.extend_from_slice(&piece[..n]);
    }
}

/// Splits a stream into blocks of whole lines.
pub struct LineBlocks<R> {
    reader: R,
    eol: u8,
    carry: Vec<u8>,
    error: Option<io::Error>,
    done: bool,
}

impl<R: Read> LineBlocks<R> {
    /// Streams `reader`, whose lines end with `eol`.
    pub fn new(reader: R, eol: u8) -> Self {
        LineBlocks {
            reader,
            eol,
            carry: Vec::new(),
            error: None,
            done: false,
        }
    }

    /// Fills `block` with the next whole lines (about [`CHUNK_SIZE`] bytes;
    /// the last block may end without a newline). Returns `Ok(false)` at the
    /// end. A read error first yields the lines read before it, then the
    /// error.
    pub fn next_block(&mut self, block: &mut Vec<u8>) -> io::Result<bool> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        block.clear();
        if self.done {
            return Ok(false);
        }
        std::mem::swap(block, &mut self.carry);
        let mut filled = block.len();
        let mut target = CHUNK_SIZE.max(filled + 1);
        loop {
            block.resize(target, 0);
            while filled < target {
                match self.reader.read(&mut block[filled..]) {
                    Ok(0) => {
                        self.done = true;
                        break;
                    }
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        self.error = Some(e);
                        self.done = true;
                        break;
                    }
                }
            }
            block.truncate(filled);
            if self.done {
                return Ok(!block.is_empty());
            }
            // Keep the partial last line for the next block; a line longer
            // than the block makes the block grow until it ends.
            if let Some(i) = memchr::memrchr(self.eol, block) {
                self.carry.extend_from_slice(&block[i + 1..]);
                break;
            }
            target *= 2;
        }
        let keep = block.len() - self.carry.len();
        block.truncate(keep);
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn lines_of_ranges(data: &[u8], step: u64) -> Vec<u8> {
        let mut out = Vec::new();
        let mut file = Cursor::new(data.to_vec());
        let mut buf = Vec::new();
        let mut start = 0;
        while start < data.len() as u64 {
            let end = (start + step).min(data.len() as u64);
            let r = read_range(&mut file, start, end, &mut buf).unwrap();
            out.extend_from_slice(&buf[r]);
            start = end;
        }
        out
    }

    #[test]
    fn ranges_read_every_line_once() {
        let data = b"a\nbb\n\nccc\ndddd\ne".to_vec();
        for step in 1..=data.len() as u64 + 1 {
            assert_eq!(lines_of_ranges(&data, step), data, "step {step}");
        }
        let data = b"line one\nline two\n".to_vec();
        for step in 1..=20 {
            assert_eq!(lines_of_ranges(&data, step), data, "step {step}");
        }
    }

    #[test]
    fn blocks_end_on_lines_and_keep_everything() {
        let mut data = Vec::new();
        for i in 0..400_000 {
            data.extend_from_slice(format!("line {i}\n").as_bytes());
        }
        data.extend_from_slice(b"no newline at end");
        let mut input = b"pre".to_vec();
        input.extend_from_slice(&data);
        let mut blocks = LineBlocks::new(Cursor::new(input), b'\n');
        let mut all = Vec::new();
        let mut block = Vec::new();
        let mut n = 0;
        while blocks.next_block(&mut block).unwrap() {
            n += 1;
            if n > 1 {
                assert!(all.ends_with(b"\n"));
            }
            all.extend_from_slice(&block);
        }
        let mut expected = b"pre".to_vec();
        expected.extend_from_slice(&data);
        assert_eq!(all, expected);
        assert!(n >= 1);
    }
}
