//! Where a run's results go, behind one interface (ripgrep's printers are
//! the model): the terminal text, JSON, the CSV files and the HTML page
//! each implement [`Output`]; batch runs and live mode hand them what they
//! have, and a new rendering is one more implementation.

use std::io::{self, Write};
use std::path::PathBuf;

use super::text::{self, Screen};
use super::{csv, html, Report, WindowRow};
use crate::aggregate::Aggregate;
use crate::detect::Burst;
use crate::numfmt::thousands;
use crate::report::terminal::printable;

/// A live-mode change to a burst.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// First seen.
    Started,
    /// Longer, or more matches.
    Updated,
    /// Quiet long enough to be over.
    Ended,
}

impl Change {
    /// `started`, `updated`, `ended`.
    pub fn name(self) -> &'static str {
        match self {
            Change::Started => "started",
            Change::Updated => "updated",
            Change::Ended => "ended",
        }
    }
}

/// Windows that closed in live mode: the busy ones in `[from, to)` (`from`
/// unknown for the first), and the window length.
#[derive(Debug, Clone, Copy)]
pub struct Closed<'a> {
    /// The busy windows.
    pub windows: &'a [WindowRow],
    /// Where the closed stretch starts, when a stretch closed before it.
    pub from: Option<i64>,
    /// Where it ends.
    pub to: i64,
    /// Window length, seconds.
    pub window: i64,
    /// Bursts that ended with it.
    pub ended: &'a [&'a Burst],
}

/// A rendering of a run's results.
pub trait Output {
    /// Live mode: what one look at the files counted (the history first).
    fn counted(&mut self, _delta: &Aggregate) {}

    /// Live mode: a burst started, grew or ended.
    fn burst(&mut self, _change: Change, _burst: &Burst) -> io::Result<()> {
        Ok(())
    }

    /// Live mode: windows closed.
    fn closed(&mut self, _closed: &Closed) -> io::Result<()> {
        Ok(())
    }

    /// Whether [`Output::snapshot`] wants the report so far as windows close
    /// (building it costs a copy of the counters).
    fn wants_snapshots(&self) -> bool {
        false
    }

    /// Live mode: the report so far.
    fn snapshot(&mut self, _report: &Report) -> io::Result<()> {
        Ok(())
    }

    /// The report of the whole run (a batch run, or the end of live mode).
    fn report(&mut self, report: &Report) -> io::Result<()>;
}

/// The terminal report on a writer; live events as text lines.
pub struct Text<W> {
    /// Where it goes.
    pub out: W,
    /// Its screen.
    pub screen: Screen,
}

impl<W: Write> Output for Text<W> {
    fn burst(&mut self, change: Change, b: &Burst) -> io::Result<()> {
        let text = format!(
            "burst {}: {} – {} UTC, {} matched of {} requests, {} ({:.2}): {}",
            change.name(),
            b.start.replace('T', " ").trim_end_matches('Z'),
            b.end.get(11..19).unwrap_or(&b.end),
            thousands(b.matched),
            thousands(b.requests),
            b.scenario,
            b.confidence,
            b.evidence
                .get(1)
                .or(b.evidence.first())
                .map_or("", String::as_str)
        );
        writeln!(self.out, "{}", printable(&text))?;
        self.out.flush()
    }

    fn report(&mut self, report: &Report) -> io::Result<()> {
        self.out
            .write_all(text::render(report, self.screen).as_bytes())?;
        self.out.flush()
    }
}

/// The report as one JSON object; live events as JSON lines (each a
/// burst's fields and its `event`), and then the report on one line.
pub struct Json<W> {
    /// Where it goes.
    pub out: W,
    /// Whether the report is one line (after live events) or pretty.
    pub one_line: bool,
}

/// A live event as one line of JSON: the burst's fields and its `event`.
pub fn event_json(change: Change, b: &Burst) -> io::Result<String> {
    let mut v = serde_json::to_value(b).map_err(io::Error::other)?;
    if let Some(map) = v.as_object_mut() {
        map.insert("event".into(), change.name().into());
    }
    Ok(v.to_string())
}

impl<W: Write> Output for Json<W> {
    fn burst(&mut self, change: Change, b: &Burst) -> io::Result<()> {
        writeln!(self.out, "{}", event_json(change, b)?)?;
        self.out.flush()
    }

    fn report(&mut self, report: &Report) -> io::Result<()> {
        let json = if self.one_line {
            serde_json::to_string(report)
        } else {
            serde_json::to_string_pretty(report)
        };
        writeln!(self.out, "{}", json.map_err(io::Error::other)?)?;
        self.out.flush()
    }
}

/// The CSV files in a directory: appended to as windows close, replaced
/// whole by the report.
pub struct Csv {
    /// The directory.
    pub dir: PathBuf,
}

impl Output for Csv {
    fn closed(&mut self, c: &Closed) -> io::Result<()> {
        csv::append(&self.dir, c.windows, (c.from, c.to, c.window), c.ended)
    }

    fn report(&mut self, report: &Report) -> io::Result<()> {
        let written = csv::write(report, &self.dir)?;
        if written.gaps_dropped {
            eprintln!(
                "fiveohone: --csv: windows.csv holds {} rows at most: quiet windows past that are left out",
                thousands(csv::WINDOW_ROWS as u64)
            );
        }
        Ok(())
    }
}

/// The HTML page: rewritten as windows close in live mode.
pub struct Html {
    /// The page's path.
    pub path: PathBuf,
}

impl Output for Html {
    fn wants_snapshots(&self) -> bool {
        true
    }

    fn snapshot(&mut self, report: &Report) -> io::Result<()> {
        html::write(report, &self.path)
    }

    fn report(&mut self, report: &Report) -> io::Result<()> {
        html::write(report, &self.path)
    }
}

/// Several outputs as one: each gets everything; the first error is
/// returned, after every output has had its turn.
#[derive(Default)]
pub struct Outputs(pub Vec<(String, Box<dyn Output>)>);

impl Outputs {
    /// Adds `output`, named in its errors (`--csv`, `--html`).
    pub fn add(&mut self, name: &str, output: Box<dyn Output>) {
        self.0.push((name.to_string(), output));
    }

    fn each(&mut self, f: &mut dyn FnMut(&mut dyn Output) -> io::Result<()>) -> io::Result<()> {
        let mut first = Ok(());
        for (name, out) in &mut self.0 {
            if let Err(e) = f(out.as_mut()) {
                let named = io::Error::new(e.kind(), format!("{name}: {e}"));
                if first.is_ok() {
                    first = Err(named);
                }
            }
        }
        first
    }
}

impl Output for Outputs {
    fn counted(&mut self, delta: &Aggregate) {
        for (_, out) in &mut self.0 {
            out.counted(delta);
        }
    }

    fn burst(&mut self, change: Change, burst: &Burst) -> io::Result<()> {
        self.each(&mut |o| o.burst(change, burst))
    }

    fn closed(&mut self, closed: &Closed) -> io::Result<()> {
        self.each(&mut |o| o.closed(closed))
    }

    fn wants_snapshots(&self) -> bool {
        self.0.iter().any(|(_, o)| o.wants_snapshots())
    }

    fn snapshot(&mut self, report: &Report) -> io::Result<()> {
        self.each(&mut |o| {
            if o.wants_snapshots() {
                o.snapshot(report)
            } else {
                Ok(())
            }
        })
    }

    fn report(&mut self, report: &Report) -> io::Result<()> {
        self.each(&mut |o| o.report(report))
    }
}
