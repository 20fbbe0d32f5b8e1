//! Finding, opening and cutting up log files. Knows nothing about formats.
//!
//! - [`discover`](mod@discover): paths and directories into an ordered list of sources,
//!   log families read oldest to newest;
//! - [`open`]: plain, gzip and stdin readers, compression sniffed from the
//!   first bytes;
//! - [`chunk`]: line-aligned byte ranges of big files and line-aligned
//!   blocks of streams, the units the parallel pipeline works on.

pub mod chunk;
pub mod discover;
pub mod open;
pub mod opened;

pub use discover::{
    default_paths, discover, discover_all, discover_configured, Configured, Discovery, Source,
};
pub use open::Compression;
