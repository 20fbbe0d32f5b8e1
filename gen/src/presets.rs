//! Ready-made setups built from the incidents and the environment: a quiet
//! week, two hosts behind one load balancer, nginx and Apache in one
//! directory, and the truth of logs written side by side.

use crate::config::{Environment, SynthConfig, SynthFormat, TzChange};
use crate::incidents::{check_env, invalid};
use crate::output::{generate_dir, generate_family};
use crate::truth::{ErrorTruth, ScenarioTruth, Truth};
use std::io;
use std::path::Path;

/// Seven quiet days that hold no incident at all, only the background a
/// real server has: daily peaks, the EU switch to summer time in the middle
/// (`+0100` to `+0200` on Sunday 2026-03-29 at 02:00 local), logrotate's
/// reload every night at about 00:00 local, a scanner all week (a 501 for
/// an odd method every half hour to hour and a half), two uptime monitors
/// whose request answers 501 every minute, and the usual stray 501s. The
/// week starts Thursday 2026-03-26 00:00 local; `lines` spread over it.
pub fn quiet_week(seed: u64, format: SynthFormat, lines: u64) -> SynthConfig {
    SynthConfig {
        seed,
        lines,
        format,
        start: 1_774_479_600,
        tz_offset_secs: 3600,
        duration_secs: 7 * 86_400,
        bursts: Vec::new(),
        scenarios: Vec::new(),
        env: Environment {
            tz_change: Some(TzChange {
                at: 1_774_746_000,
                offset_secs: 7200,
            }),
            nightly_reload: true,
            background_scanner: true,
            uptime_monitors: 2,
            ..Environment::default()
        },
        ..SynthConfig::default()
    }
}

/// Sums truths of logs written side by side (one directory, or several
/// hosts): counts add up, `first`/`last` are the earliest and latest,
/// scenarios and deploys are put together in time order.
pub fn merge_truths(parts: &[Truth]) -> Truth {
    let mut t = Truth::default();
    let mut seen = false;
    for p in parts {
        t.lines += p.lines;
        t.blank += p.blank;
        t.garbage += p.garbage;
        t.error_lines += p.error_lines;
        t.requests += p.requests;
        t.status_501 += p.status_501;
        t.bytes += p.bytes;
        for (&k, &v) in &p.by_status {
            *t.by_status.entry(k).or_insert(0) += v;
        }
        if p.requests > 0 {
            t.first = if seen { t.first.min(p.first) } else { p.first };
            t.last = if seen { t.last.max(p.last) } else { p.last };
            seen = true;
        }
        t.scenarios.extend(p.scenarios.iter().cloned());
        t.deploys.extend(&p.deploys);
    }
    t.scenarios.sort_by_key(|s| (s.start, s.end));
    t.deploys.sort_unstable();
    t
}

fn merge_errors(parts: &[ErrorTruth]) -> ErrorTruth {
    let mut e = ErrorTruth::default();
    for p in parts {
        e.lines += p.lines;
        e.reloads.extend(&p.reloads);
        for (k, &v) in &p.by_kind {
            *e.by_kind.entry(k.clone()).or_insert(0) += v;
        }
    }
    e.reloads.sort_unstable();
    e
}

/// Two hosts behind one load balancer: writes `dir/web1/` and `dir/web2/`
/// (each an `access.log` and `error.log` family of `files` files, as
/// [`generate_dir`] does) from `cfg`: the same incidents and reloads, other
/// requests on the second host (its [`Environment::traffic_salt`]), whose
/// clock is `skew_secs` ahead ([`Environment::clock_skew_secs`]). Returns
/// one truth for both: the counts summed, and each incident once, its
/// window the union of the two as written (web2's ends `skew_secs` later),
/// its `matched` the 501s of both.
pub fn generate_two_hosts(
    cfg: &SynthConfig,
    dir: &Path,
    skew_secs: i64,
    files: usize,
) -> io::Result<(Truth, ErrorTruth)> {
    let mut b = cfg.clone();
    b.env.clock_skew_secs = cfg.env.clock_skew_secs.saturating_add(skew_secs);
    b.env.traffic_salt = cfg.env.traffic_salt ^ 0x5EC0_4D00_0000_0002;
    check_env(&b)?;
    let (ta, ea) = generate_dir(cfg, &dir.join("web1"), files)?;
    let (tb, eb) = generate_dir(&b, &dir.join("web2"), files)?;
    let mut truth = merge_truths(&[ta.clone(), tb.clone()]);
    truth.scenarios = ta
        .scenarios
        .iter()
        .zip(&tb.scenarios)
        .map(|(a, b)| ScenarioTruth {
            label: a.label.clone(),
            start: a.start.min(b.start),
            end: a.end.max(b.end),
            matched: a.matched + b.matched,
            detail: format!(
                "{} (on web1 and web2; web2's clock {} s ahead)",
                a.detail, skew_secs
            ),
        })
        .collect();
    Ok((truth, merge_errors(&[ea, eb])))
}

/// An nginx log and an Apache log in one directory: `nginx_access.log*`
/// and `nginx_error.log*` from `nginx`, `apache_access.log*` and
/// `apache_error.log*` from `apache` (`files` files each), and one truth
/// for all of them. `nginx` must be in an nginx format and `apache` in an
/// Apache one.
pub fn generate_mixed_dir(
    nginx: &SynthConfig,
    apache: &SynthConfig,
    dir: &Path,
    files: usize,
) -> io::Result<(Truth, ErrorTruth)> {
    if !nginx.format.is_nginx() || apache.format.is_nginx() {
        return Err(invalid(format!(
            "a mixed directory needs an nginx format and an Apache one, not {} and {}",
            nginx.format, apache.format
        )));
    }
    let (tn, en) = generate_family(nginx, dir, "nginx_access.log", "nginx_error.log", files)?;
    let (ta, ea) = generate_family(apache, dir, "apache_access.log", "apache_error.log", files)?;
    Ok((merge_truths(&[tn, ta]), merge_errors(&[en, ea])))
}
