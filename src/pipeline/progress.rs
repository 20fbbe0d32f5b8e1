//! How far a run has read: bytes taken from the inputs (compressed bytes
//! for a gzip file, so the total is known up front) against the bytes
//! there are, for a progress line on long runs.

use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Bytes read so far and in all, shared by the workers and whoever shows
/// them.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicU64,
    total: AtomicU64,
}

impl Progress {
    /// Bytes read so far, and in all (0 until known; stdin adds none).
    pub fn get(&self) -> (u64, u64) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }

    pub(super) fn add(&self, bytes: u64) {
        self.done.fetch_add(bytes, Ordering::Relaxed);
    }

    pub(super) fn expect(&self, bytes: u64) {
        self.total.fetch_add(bytes, Ordering::Relaxed);
    }
}

/// A reader that counts what it reads into a [`Progress`].
pub(super) struct Counting<R> {
    inner: R,
    progress: Option<Arc<Progress>>,
}

impl<R> Counting<R> {
    pub(super) fn new(inner: R, progress: Option<Arc<Progress>>) -> Self {
        Counting { inner, progress }
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(p) = &self.progress {
            p.add(n as u64);
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_what_is_read() {
        let progress = Arc::new(Progress::default());
        progress.expect(11);
        let mut r = Counting::new(&b"hello world"[..], Some(Arc::clone(&progress)));
        let mut out = String::new();
        r.read_to_string(&mut out).unwrap();
        assert_eq!(progress.get(), (11, 11));
    }
}
