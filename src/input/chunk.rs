//! Cutting inputs into blocks of whole lines.
//!
//! Big plain files are cut into byte ranges read independently: a range
//! owns the lines that *start* in it, so ranges can be read in any order
//! and every line is read exactly once. Streams (gzip, stdin) are read
//! sequentially into blocks that end at a line boundary.
//!
//! No line is held longer than [`MAX_LINE`] bytes: a longer one is handed
//! over cut to `MAX_LINE + 2` bytes (so the scanner can tell it apart and
//! count it as malformed, even if the cut falls after a `\r` it strips),
//! and the rest of it is never buffered. A 10 GB
//! file without a newline is read in bounded memory.

use std::io::{self, Read, Seek, SeekFrom};
use std::ops::Range;

/// Target size of a block of lines.
pub const CHUNK_SIZE: usize = 8 << 20;

/// The longest line read whole; longer ones are malformed.
pub const MAX_LINE: usize = 1 << 20;

/// How much is read at a time past a range's end.
const PIECE: usize = 1 << 16;

/// Reads into `buf` the lines of `file` that start in `[start, end)` (the
/// last one runs past `end` to its newline, or to [`MAX_LINE`] + 2 bytes)
/// and returns where they lie in `buf`. The file's data starts at `origin`
/// (a line starts there).
pub fn read_range<F: Read + Seek>(
    file: &mut F,
    origin: u64,
    start: u64,
    end: u64,
    buf: &mut Vec<u8>,
) -> io::Result<Range<usize>> {
    read_range_capped(file, origin, start, end, buf, MAX_LINE)
}

fn read_range_capped<F: Read + Seek>(
    file: &mut F,
    origin: u64,
    start: u64,
    end: u64,
    buf: &mut Vec<u8>,
    max_line: usize,
) -> io::Result<Range<usize>> {
    buf.clear();
    // Read one byte before `start` to know whether a line starts at `start`.
    let at_origin = start <= origin;
    let from = if at_origin { start } else { start - 1 };
    file.seek(SeekFrom::Start(from))?;
    let want = end.saturating_sub(from) as usize;
    // Room for the range and the longest line running past it, so the
    // buffer (reused for every range) never grows by doubling.
    buf.reserve_exact(want + max_line + 2 + PIECE);
    file.by_ref().take(want as u64).read_to_end(buf)?;
    let first = if at_origin {
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
    // The last line runs past `end`: read on to its newline (or EOF), but
    // no further than two bytes past the longest line.
    let line_start = memchr::memrchr(b'\n', buf).map_or(first, |i| i + 1);
    let cap = line_start + max_line + 2;
    let mut piece = [0u8; PIECE];
    while buf.len() < cap {
        let room = piece.len().min(cap - buf.len());
        let n = match file.read(&mut piece[..room]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if let Some(i) = memchr::memchr(b'\n', &piece[..n]) {
            buf.extend_from_slice(&piece[..=i]);
            break;
        }
        buf.extend_from_slice(&piece[..n]);
    }
    Ok(first..buf.len())
}

/// Splits a stream into blocks of whole lines.
pub struct LineBlocks<R> {
    reader: R,
    eol: u8,
    chunk_size: usize,
    max_line: usize,
    carry: Vec<u8>,
    /// Whether the rest of an over-long line is being dropped.
    skipping: bool,
    error: Option<io::Error>,
    done: bool,
}

impl<R: Read> LineBlocks<R> {
    /// Streams `reader`, whose lines end with `eol`.
    pub fn new(reader: R, eol: u8) -> Self {
        Self::sized(reader, eol, CHUNK_SIZE, MAX_LINE)
    }

    fn sized(reader: R, eol: u8, chunk_size: usize, max_line: usize) -> Self {
        LineBlocks {
            reader,
            eol,
            chunk_size: chunk_size.max(max_line + 3),
            max_line,
            carry: Vec::new(),
            skipping: false,
            error: None,
            done: false,
        }
    }

    /// Fills `block` with the next whole lines (about [`CHUNK_SIZE`] bytes;
    /// the last block may end without a newline). A line longer than
    /// [`MAX_LINE`] (and its `\r`) comes cut to `MAX_LINE + 2` bytes. Returns `Ok(false)`
    /// at the end. A read error first yields the lines read before it, then
    /// the error.
    pub fn next_block(&mut self, block: &mut Vec<u8>) -> io::Result<bool> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        block.clear();
        if self.done {
            return Ok(false);
        }
        std::mem::swap(block, &mut self.carry);
        self.fill(block);
        if self.done {
            return Ok(!block.is_empty());
        }
        let line_start = memchr::memrchr(self.eol, block).map_or(0, |i| i + 1);
        if block.len() - line_start > self.max_line + 1 {
            // An over-long line: hand over its head, drop the rest.
            block.truncate(line_start + self.max_line + 2);
            block.push(self.eol);
            self.skipping = true;
        } else {
            self.carry.extend_from_slice(&block[line_start..]);
            block.truncate(line_start);
        }
        Ok(true)
    }

    /// Reads until `block` holds `chunk_size` bytes or the stream ends,
    /// dropping what is left of an over-long line first.
    fn fill(&mut self, block: &mut Vec<u8>) {
        let mut filled = block.len();
        block.resize(self.chunk_size, 0);
        while filled < block.len() {
            match self.reader.read(&mut block[filled..]) {
                Ok(0) => {
                    self.done = true;
                    break;
                }
                Ok(n) if self.skipping => {
                    let read = filled..filled + n;
                    if let Some(i) = memchr::memchr(self.eol, &block[read.clone()]) {
                        block.copy_within(filled + i + 1..read.end, filled);
                        filled += n - i - 1;
                        self.skipping = false;
                    }
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// What each range of `step` bytes owns, lines capped at `cap`.
    fn ranges(data: &[u8], step: u64, cap: usize) -> Vec<Vec<u8>> {
        let mut file = Cursor::new(data.to_vec());
        let mut buf = Vec::new();
        let mut out = Vec::new();
        let mut start = 0;
        while start < data.len() as u64 {
            let end = (start + step).min(data.len() as u64);
            let r = read_range_capped(&mut file, 0, start, end, &mut buf, cap).unwrap();
            assert!(buf.len() <= step as usize + cap + 3, "step {step}");
            out.push(buf[r].to_vec());
            start = end;
        }
        out
    }

    fn lines_of_ranges(data: &[u8], step: u64) -> Vec<u8> {
        ranges(data, step, MAX_LINE).concat()
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

    #[test]
    fn long_lines_are_cut_in_ranges() {
        // Lines of 3, 20 and 2 bytes; the cap is 5.
        let data = b"aaa\nbbbbbbbbbbbbbbbbbbbb\ncc\nxxxxxxxxxxxxxxxx".to_vec();
        for step in 1..=data.len() as u64 + 1 {
            let mut out = Vec::new();
            for owned in ranges(&data, step, 5) {
                let text = String::from_utf8_lossy(&owned).into_owned();
                out.extend(text.lines().map(|l| l.len().min(6)));
            }
            assert_eq!(out, [3, 6, 2, 6], "step {step}");
        }
    }

    #[test]
    fn long_lines_are_cut_in_streams() {
        let mut data = b"aaa\n".to_vec();
        data.extend(std::iter::repeat_n(b'b', 1000));
        data.extend_from_slice(b"\ncc\n");
        data.extend(std::iter::repeat_n(b'x', 1000));
        let mut blocks = LineBlocks::sized(Cursor::new(data), b'\n', 16, 5);
        let mut lines = Vec::new();
        let mut block = Vec::new();
        while blocks.next_block(&mut block).unwrap() {
            assert!(block.len() <= 18);
            let text = String::from_utf8_lossy(&block).into_owned();
            lines.extend(text.lines().map(str::to_owned));
        }
        assert_eq!(lines, ["aaa", "bbbbbbb", "cc", "xxxxxxx"]);
    }

    /// A cut line stays longer than the cap once a `\r` before the cut is
    /// stripped, wherever the line falls.
    #[test]
    fn a_cut_after_a_carriage_return_still_reads_as_too_long() {
        let cut_ok = |line: &[u8]| line.strip_suffix(b"\r").unwrap_or(line).len() > 5;
        for pad in 0..12 {
            let mut data = vec![b'.'; pad];
            data.extend_from_slice(b"\naaaaaa\rbbbb\nok\n");
            for step in 1..=data.len() as u64 {
                for owned in ranges(&data, step, 5) {
                    for line in owned.split(|&b| b == b'\n') {
                        if line.starts_with(b"aaa") {
                            assert!(cut_ok(line), "pad {pad} step {step}: {line:?}");
                        }
                    }
                }
            }
            let mut blocks = LineBlocks::sized(Cursor::new(data.clone()), b'\n', 8, 5);
            let mut block = Vec::new();
            while blocks.next_block(&mut block).unwrap() {
                for line in block.split(|&b| b == b'\n') {
                    if line.starts_with(b"aaa") {
                        assert!(cut_ok(line), "pad {pad}: {line:?}");
                    }
                }
            }
        }
    }
}
