//! An open file: which file it is (so a rotation or replacement is
//! noticed), and reads at a position of its own, so parallel tasks read one
//! open file whatever its path names by then.

use std::fs::{File, Metadata};
use std::io::{self, Read, Seek, SeekFrom};

/// Which file `meta` describes: device and inode.
#[cfg(unix)]
pub fn identity(meta: &Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

/// Which file `meta` describes (without inodes, its size stands in).
#[cfg(not(unix))]
pub fn identity(meta: &Metadata) -> (u64, u64) {
    (meta.len(), 0)
}

/// Reads `file` from a position of its own (positional reads leave the
/// file's shared offset alone), so several of them read one open file at
/// once.
pub struct At<'f> {
    file: &'f File,
    pos: u64,
}

impl<'f> At<'f> {
    /// Reads `file` from its start.
    pub fn new(file: &'f File) -> At<'f> {
        At { file, pos: 0 }
    }
}

impl Read for At<'_> {
    #[cfg(unix)]
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        use std::os::unix::fs::FileExt;
        let n = self.file.read_at(buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }

    #[cfg(windows)]
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        use std::os::windows::fs::FileExt;
        let n = self.file.seek_read(buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for At<'_> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let bad = || io::Error::new(io::ErrorKind::InvalidInput, "seek before the start");
        self.pos = match to {
            SeekFrom::Start(n) => n,
            SeekFrom::Current(d) => self.pos.checked_add_signed(d).ok_or_else(bad)?,
            SeekFrom::End(d) => self
                .file
                .metadata()?
                .len()
                .checked_add_signed(d)
                .ok_or_else(bad)?,
        };
        Ok(self.pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_readers_share_one_file() {
        let path = std::env::temp_dir().join(format!("fiveohone-at-{}", std::process::id()));
        std::fs::write(&path, b"0123456789").unwrap();
        let file = File::open(&path).unwrap();
        let (mut a, mut b) = (At::new(&file), At::new(&file));
        a.seek(SeekFrom::Start(6)).unwrap();
        let mut x = [0; 2];
        let mut y = [0; 3];
        a.read_exact(&mut x).unwrap();
        b.read_exact(&mut y).unwrap();
        assert_eq!((&x, &y), (b"67", b"012"));
        assert_eq!(a.seek(SeekFrom::End(-1)).unwrap(), 9);
        let _ = std::fs::remove_file(path);
    }
}
