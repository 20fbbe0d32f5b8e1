//! Live mode: following log files as servers append to them.
//!
//! [`tail`] follows one file through rotation. (The loop that feeds tailed
//! lines to the same scan → aggregate → detect path and reports bursts as
//! they start and end is issue 5's next step.)

pub mod tail;
