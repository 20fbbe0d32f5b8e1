//! fiveohone: finds, classifies and explains bursts of `501 Not Implemented`
//! (or any status set) in Nginx and Apache access logs.
//!
//! Data flows one way: [`input`] finds and opens the logs and cuts them into
//! chunks, [`grammar`] turns each line into a [`record::Record`], [`aggregate`]
//! folds records into mergeable counters, [`pipeline`] runs that map-reduce on
//! rayon's pool, and [`report`] renders the result as tables, JSON or CSV.

pub mod aggregate;
pub mod counters;
pub mod detect;
pub mod device;
pub mod events;
pub mod follow;
pub mod fuzzing;
pub mod grammar;
pub mod input;
pub mod numfmt;
pub mod pipeline;
pub mod record;
pub mod report;
pub mod route;
pub mod scan;
pub mod serverconf;
pub mod status;
pub mod timefmt;
