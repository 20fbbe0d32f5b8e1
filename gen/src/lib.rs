//! Seeded synthetic access- and error-log generator.
//!
//! [`generate`] writes realistic Nginx or Apache access-log lines (diurnal
//! traffic, IPv4 and IPv6 clients, browsers, apps, bots and scanners, a few
//! lenient-parsing edge cases, garbage and blank lines, lone stray 501s,
//! configurable bursts of `501 Not Implemented` and labelled failure
//! [scenarios](ScenarioKind)) and returns a [`Truth`] that counts exactly what
//! was written, so that the analyzer can be checked against it.
//! [`generate_error_log`] writes the error log of the same timeline (reloads,
//! log rotation, background noise and what each scenario makes the server
//! say), and [`generate_dir`] writes both as rotated families.
//!
//! The realistic incidents of [`ScenarioKind::INCIDENTS`] (faint night-time
//! failures, a partial rollout with retries, overlapping incidents, a
//! rolled-back deploy, junk from the internet, a log that starts in an
//! outage) and the server's [`Environment`] (DST switch, clock skew, upstream
//! pool, nightly reloads, a background scanner, uptime monitors) are
//! described in the `incidents` module's source; [`quiet_week`],
//! [`generate_two_hosts`] and [`generate_mixed_dir`] combine them.
//!
//! Output is a pure function of the [`SynthConfig`]: the same configuration
//! (seed included) always produces the same bytes, on every platform (the
//! generator uses only integer arithmetic and its own PRNG, apart from the
//! comparison against [`BurstSpec::rate`]).

// `config` and `truth` are what callers see. `timeline` (with `incidents`)
// draws every scenario's parameters; `access` (with `routes`, `layout`,
// `garbage` and `extras`) writes the access log and `errorlog` the error log
// of the same timeline; `output` sends them to a writer or to rotated files;
// `presets` puts whole setups together. `rng`, `clock`, `digits`, `vocab` and
// `clients` are the parts they are built from.
mod access;
mod clients;
mod clock;
mod config;
mod digits;
mod errorlog;
mod extras;
mod garbage;
mod incidents;
mod layout;
mod output;
mod presets;
mod rng;
mod routes;
mod timeline;
mod truth;
mod vocab;

#[cfg(test)]
mod incident_tests;
#[cfg(test)]
mod tests;

pub use config::{
    BurstSpec, Environment, ScenarioKind, ScenarioSpec, SynthConfig, SynthFormat, TzChange,
    DEFAULT_START, DEFAULT_STRAY_501_PER_MILLION, STRAY_501_MIN_GAP_SECS,
};
pub use output::{
    generate, generate_dir, generate_error_log, generate_family, generate_rotated, lines_for_size,
};
pub use presets::{generate_mixed_dir, generate_two_hosts, merge_truths, quiet_week};
pub use truth::{ErrorTruth, ScenarioTruth, Truth};
