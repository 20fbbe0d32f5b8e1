//! Entry points of the fuzz targets in `fuzz/` and of their regression
//! tests (`tests/fuzz.rs`): each feeds arbitrary bytes to one parser and
//! checks what must hold whatever the input. A panic here is a bug.

use crate::aggregate::{Aggregate, Settings};
use crate::grammar::envelope::Envelope;
use crate::grammar::{self, builtin, error, Grammar};
use crate::record::{Record, Slot, INVALID_METHOD};
use crate::scan::{Reading, Scanner};
use crate::timefmt::{TimeCache, Zone, MAX_TIME};

/// Every built-in access grammar over one line.
pub fn access_line(line: &[u8]) {
    for g in builtin::all() {
        check_line(g, line);
    }
}

/// A `--log-format` string (the input's first line) compiled, then the
/// other lines parsed with it.
pub fn log_format(data: &[u8]) {
    let (format, lines) = match memchr::memchr(b'\n', data) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let format = String::from_utf8_lossy(format);
    match grammar::compile("custom", &format) {
        Ok(g) => {
            for line in lines.split(|&b| b == b'\n') {
                check_line(&g, line);
            }
        }
        // The message points at the spot: rendering it must not panic.
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

/// Every error-log layout over one line.
pub fn error_line(line: &[u8]) {
    if let Some(event) = error::parse(line) {
        for part in [event.level, event.message]
            .into_iter()
            .chain(event.module)
            .chain(event.client)
            .chain(event.request)
            .chain(event.upstream)
            .chain(event.host)
            .chain(event.code)
        {
            assert!(within(part, line), "a field outside its line");
        }
        let _ = crate::events::classify(&event);
        let _ = error::opens_quote(event.message);
    }
    let _ = error::is_continuation(line, false);
    let _ = error::is_continuation(line, true);
}

/// A block of lines through the scanner, read as an access log with every
/// fallback and as an error log, then folded into a report's counts.
pub fn scan_block(block: &[u8]) {
    let all = builtin::all();
    let Some((first, rest)) = all.split_first() else {
        return;
    };
    let settings = Settings::default();
    let zone = Zone::Fixed(3600);
    let access = |envelope| Reading::Access {
        grammar: first,
        fallbacks: rest.iter().collect(),
        error_lines: true,
        envelope,
    };
    let readings = [
        access(None),
        access(Some(Envelope::Docker)),
        access(Some(Envelope::Cri)),
        Reading::Error {
            fallbacks: all.iter().collect(),
            envelope: Some(Envelope::Cri),
        },
        Reading::Error {
            fallbacks: all.iter().collect(),
            envelope: None,
        },
    ];
    for reading in &readings {
        for eol in [b'\n', b'\r'] {
            let mut agg = Aggregate::default();
            Scanner::new(reading, &zone, eol, &settings).scan(&mut agg, 0, 0, block);
            agg.finish();
            let lines = memchr::memchr_iter(eol, block).count() as u64
                + u64::from(!block.is_empty() && block.last() != Some(&eol));
            let stats = agg.files.get(&0).cloned().unwrap_or_default();
            assert_eq!(stats.lines + stats.blank, lines, "every line counted once");
            assert!(stats.parsed + stats.malformed <= stats.lines);
        }
    }
}

/// A counters file (`--counters-in`) decoded, detected over and reported:
/// a damaged or hostile one gives an error or a report, never a panic.
pub fn counters_file(data: &[u8]) {
    let settings = Settings::default();
    let Ok(analysis) = crate::counters::decode(data, &settings) else {
        return;
    };
    let names = |i: usize| {
        analysis
            .inputs
            .get(i)
            .map_or_else(String::new, |f| f.name.clone())
    };
    let Ok(scenarios) = crate::detect::scenario::load(None) else {
        return;
    };
    let detection = crate::detect::Detection::new(scenarios);
    let markers = crate::detect::markers(&analysis.aggregate, &names);
    let verdict = crate::detect::detect(
        &analysis.aggregate,
        settings.resolution(),
        &detection,
        &markers,
        crate::detect::Horizon::All,
    );
    let report = crate::report::Report::new(&analysis, verdict);
    assert!(serde_json::to_string(&report).is_ok());
}

/// Parses `line` with `g` and checks the record, or the error's position.
fn check_line(g: &Grammar, line: &[u8]) {
    match g.parse(line, &mut TimeCache::default()) {
        Ok(parsed) => check_record(&parsed.record, line),
        Err(e) => {
            assert!(e.at <= line.len(), "error past the line's end");
            assert!(!g.explain(&e, line).is_empty());
        }
    }
}

fn check_record(r: &Record, line: &[u8]) {
    assert!(r.status <= 999);
    assert!(
        r.time.abs() <= MAX_TIME + 86_400,
        "time out of range: {}",
        r.time
    );
    assert!(within(r.time_raw, line));
    assert!(r.method == INVALID_METHOD || within(r.method, line) || r.method == b"-");
    assert!(within(r.target, line) || r.target.is_empty());
    let route = crate::route::normalize(r.target);
    assert!(route.len() <= r.target.len().max(1) * 5);
    let _ = crate::device::classify(r.slot(Slot::UserAgent).unwrap_or_default());
}

/// Whether `part` lies inside `whole`.
fn within(part: &[u8], whole: &[u8]) -> bool {
    let (p, w) = (part.as_ptr() as usize, whole.as_ptr() as usize);
    p >= w && p + part.len() <= w + whole.len()
}
