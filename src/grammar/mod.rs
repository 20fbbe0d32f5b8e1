//! Access-log grammars: format strings (nginx `log_format`, Apache
//! `LogFormat`) compiled into line parsers.
//!
//! [`compile`] turns a format string into a [`Grammar`]: a flat list of
//! literals and fields. Parsing a line walks that list once; each field ends
//! where the literal after it begins (found with `memchr`), quoted fields skip
//! backslash-escaped quotes, and only the fields the analysis needs are
//! decoded. Built-in grammars come from the config files in `grammars/`
//! ([`builtin`]); [`detect`] picks one per file.

pub mod builtin;
mod compile;
pub mod detect;
pub mod envelope;
pub mod error;
mod json;

pub use compile::{compile, compile_def, directives, Dialect, FormatDef, FormatError};

use crate::record::{Record, Slot, INVALID_METHOD};
use crate::timefmt::{TimeCache, TimeFormat};

/// What a field of a format means to fiveohone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// The request time, in the given format.
    Time(TimeFormat),
    /// The whole request line (`$request`, `%r`).
    Request,
    /// The method alone (`$request_method`, `%m`).
    Method,
    /// The target: path, maybe with query (`$request_uri`, `$uri`, `%U`).
    Target,
    /// The response status (`$status`, `%>s`).
    Status,
    /// A zone offset written apart from the time (Apache `%{%z}t`).
    Zone,
    /// A field kept raw in the record.
    Slot(Slot),
    /// A size that is checked (digits, or `-`) but not kept (`%I`,
    /// `$request_length`, a second size field).
    Size,
    /// A field that is read past but not kept (`%l`, `$args`, `%p`, …).
    Skip,
}

#[derive(Debug, Clone)]
enum End {
    /// The field runs to the end of the line.
    Eol,
    /// The field is one token: it ends at the first space, or at the end of
    /// the line (a status or a size last in its format, followed by fields
    /// the format does not name).
    Token,
    /// The field ends where `lit` begins; inside quotes, a backslash-escaped
    /// quote does not end it.
    Lit { lit: Box<[u8]>, quoted: bool },
    /// The field ends at a `lit` that `rule` picks.
    Ruled {
        lit: Box<[u8]>,
        quoted: bool,
        rule: Rule,
    },
}

/// Which `lit` ends a field, when it is not the first one.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// A list (nginx's `$upstream_*`: one value per try, `10.0.0.5:8080,
    /// 10.0.0.6:8080 : 10.0.0.7:8080`): the separators `, ` and ` : ` do
    /// not end it.
    List,
    /// A quoted request line ends at the first `lit` that a status follows:
    /// a quote inside it that the server did not escape (`"GET" /x?id='
    /// HTTP/1.0" 501`, old Apache, scanners) does not.
    BeforeStatus,
    /// A time whose format writes this many spaces (`%{%Y-%m-%d
    /// %H:%M:%S}t`) ends at the `lit` after them.
    AfterSpaces(u8),
}

#[derive(Debug, Clone)]
enum Item {
    Lit(Box<[u8]>),
    Field {
        field: Field,
        name: Box<str>,
        end: End,
    },
}

/// A compiled access-log format: a text layout, or JSON lines.
#[derive(Debug, Clone)]
pub struct Grammar {
    name: String,
    format: String,
    body: Body,
}

/// How a grammar reads a line.
#[derive(Debug, Clone)]
enum Body {
    /// Literals and fields, in order.
    Text(Vec<Item>),
    /// One JSON object per line, keys in any order.
    Json(json::Keys),
}

/// A line that does not fit a grammar: where it stopped fitting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineError {
    /// Byte offset in the line.
    pub at: usize,
    item: usize,
}

/// A successful parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<'a> {
    /// The record.
    pub record: Record<'a>,
    /// The bytes left after the format's last item (servers that append
    /// fields to a known format), empty when there are none; such lines
    /// still count as parsed.
    pub rest: &'a [u8],
}

impl Parsed<'_> {
    /// Whether fields followed the format's last one.
    pub fn trailing(&self) -> bool {
        !self.rest.is_empty()
    }
}

impl Grammar {
    /// The grammar's name (`nginx-combined`, or `custom` for `--log-format`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The format string it was compiled from.
    pub fn format(&self) -> &str {
        &self.format
    }

    /// The JSON-lines grammar, with the built-in key table.
    pub(crate) fn json_lines() -> Grammar {
        Grammar {
            name: "json".into(),
            format: "one JSON object per line (keys: grammars/json-keys.conf)".into(),
            body: Body::Json(json::Keys::builtin().clone()),
        }
    }

    /// Number of fields in the format that fiveohone reads (skipped ones
    /// not counted).
    pub fn field_count(&self) -> usize {
        match &self.body {
            Body::Text(items) => items
                .iter()
                .filter(|i| matches!(i, Item::Field { field, .. } if *field != Field::Skip))
                .count(),
            Body::Json(keys) => keys.field_count(),
        }
    }

    /// Whether the format captures `slot`.
    pub fn has_slot(&self, slot: Slot) -> bool {
        match &self.body {
            Body::Text(items) => items
                .iter()
                .any(|i| matches!(i, Item::Field { field: Field::Slot(s), .. } if *s == slot)),
            Body::Json(keys) => keys.has_slot(slot),
        }
    }

    /// Parses one line (without its line terminator).
    pub fn parse<'a>(
        &self,
        line: &'a [u8],
        times: &mut TimeCache,
    ) -> Result<Parsed<'a>, LineError> {
        match &self.body {
            Body::Text(items) => parse_text(items, line, times),
            Body::Json(keys) => keys.parse(line, times),
        }
    }

    /// The zone offset (seconds east of UTC) written in `line`'s time, if
    /// the line fits and its time format carries one.
    pub fn time_offset(&self, line: &[u8]) -> Option<i64> {
        let items = match &self.body {
            Body::Text(items) => items,
            Body::Json(keys) => return keys.time_offset(line),
        };
        let parsed = self.parse(line, &mut TimeCache::default()).ok()?;
        let format = items.iter().find_map(|i| match i {
            Item::Field {
                field: Field::Time(f),
                ..
            } => Some(f),
            _ => None,
        })?;
        format.offset(parsed.record.time_raw)
    }

    /// Describes where `err` stopped fitting `line`, for malformed-line
    /// samples.
    pub fn explain(&self, err: &LineError, line: &[u8]) -> String {
        match &self.body {
            Body::Text(items) => explain_text(items, err, line),
            Body::Json(_) => json::explain(err, line),
        }
    }
}

/// Parses `line` with a text layout.
fn parse_text<'a>(
    items: &[Item],
    line: &'a [u8],
    times: &mut TimeCache,
) -> Result<Parsed<'a>, LineError> {
    let mut record = Record::new(0, 0);
    let mut pos = 0;
    let (mut has_time, mut has_status) = (false, false);
    let mut zone = None;
    for (item_no, item) in items.iter().enumerate() {
        let err = |at| LineError { at, item: item_no };
        let rest = line.get(pos..).unwrap_or_default();
        match item {
            Item::Lit(lit) => {
                if !rest.starts_with(lit) {
                    return Err(err(pos));
                }
                pos += lit.len();
            }
            Item::Field { field, end, .. } => {
                let len = end.find(rest).ok_or_else(|| err(pos))?;
                let value = &rest[..len];
                match field {
                    Field::Time(format) => {
                        if !has_time {
                            record.time = times.parse(format, value).ok_or_else(|| err(pos))?;
                            record.time_raw = value;
                            has_time = true;
                        }
                    }
                    Field::Status => {
                        record.status = parse_status(value).ok_or_else(|| err(pos))?;
                        has_status = true;
                    }
                    Field::Request => record.set_request(value),
                    Field::Method => record.method = parse_method(value),
                    Field::Target => record.target = value,
                    Field::Zone => {
                        zone = Some(crate::timefmt::parse_offset(value).ok_or_else(|| err(pos))?);
                    }
                    Field::Size if !is_size(value) => return Err(err(pos)),
                    Field::Size => {}
                    Field::Slot(slot) => {
                        if *slot == Slot::Bytes && !is_size(value) {
                            return Err(err(pos));
                        }
                        record.set_slot(*slot, value)
                    }
                    Field::Skip => {}
                }
                pos += len;
            }
        }
    }
    debug_assert!(has_time && has_status, "compile() requires both fields");
    if let Some(offset) = zone {
        record.time -= offset;
    }
    Ok(Parsed {
        record,
        rest: line.get(pos..).unwrap_or_default(),
    })
}

/// Describes where `err` stopped fitting `line` in a text layout.
fn explain_text(items: &[Item], err: &LineError, line: &[u8]) -> String {
    let at = err.at + 1;
    match items.get(err.item) {
        Some(Item::Lit(lit)) => {
            format!("expected `{}` at byte {at}", String::from_utf8_lossy(lit))
        }
        Some(Item::Field { name, end, field }) => {
            let rest = line.get(err.at..).unwrap_or_default();
            let value = end.find(rest).map(|n| &rest[..n]);
            match (field, end.lit(), value) {
                (Field::Time(_) | Field::Status, _, Some(v)) => {
                    let v = v.get(..60).unwrap_or(v);
                    let why = match field {
                        Field::Time(f) => f.why_not(v).map(|w| format!(" ({w})")),
                        _ => None,
                    };
                    format!(
                        "bad {name} `{}` at byte {at}{}",
                        String::from_utf8_lossy(v),
                        why.unwrap_or_default()
                    )
                }
                (_, Some(lit), None) => format!(
                    "no `{}` after {name} (byte {at})",
                    String::from_utf8_lossy(lit),
                ),
                _ => format!("bad {name} at byte {at}"),
            }
        }
        None => format!("does not fit at byte {at}"),
    }
}

/// A size as servers write it: digits, or `-` for none (Apache's `%b`).
#[inline]
fn is_size(v: &[u8]) -> bool {
    v == b"-" || (!v.is_empty() && v.iter().all(u8::is_ascii_digit))
}

/// A method field's value: `-` when none, [`INVALID_METHOD`] when it is
/// no method token.
#[inline]
fn parse_method(value: &[u8]) -> &[u8] {
    match value {
        b"" | b"-" => b"-",
        m if m.iter().all(|b| b.is_ascii_alphanumeric()) => m,
        _ => INVALID_METHOD,
    }
}

/// Three digits, or `-` (Apache, for a request aborted before it had a
/// status) read as status 0.
#[inline]
fn parse_status(v: &[u8]) -> Option<u16> {
    match *v {
        [b'-'] => Some(0),
        [a, b, c] if a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit() => {
            Some((a - b'0') as u16 * 100 + (b - b'0') as u16 * 10 + (c - b'0') as u16)
        }
        _ => None,
    }
}

impl End {
    /// Length of the field at the start of `rest`, if it ends there.
    #[inline(always)]
    fn find(&self, rest: &[u8]) -> Option<usize> {
        match self {
            End::Lit { lit, quoted } => find_end(rest, lit, *quoted),
            End::Eol => Some(rest.len()),
            End::Token => Some(memchr::memchr(b' ', rest).unwrap_or(rest.len())),
            // Every request line: inline.
            End::Ruled {
                lit,
                quoted,
                rule: Rule::BeforeStatus,
            } => find_before_status(rest, lit, *quoted),
            End::Ruled { lit, quoted, rule } => rule.find(rest, lit, *quoted),
        }
    }

    /// The literal that ends the field, if one does.
    fn lit(&self) -> Option<&[u8]> {
        match self {
            End::Lit { lit, .. } | End::Ruled { lit, .. } => Some(lit),
            End::Eol | End::Token => None,
        }
    }
}

impl Rule {
    /// Length of the field at the start of `rest` that the `lit` this rule
    /// picks ends.
    fn find(self, rest: &[u8], lit: &[u8], quoted: bool) -> Option<usize> {
        match self {
            Rule::List => find_list_end(rest, lit, quoted),
            Rule::AfterSpaces(spaces) => {
                // Past the time's own spaces, then the literal.
                let mut from = 0;
                for _ in 0..spaces {
                    from += memchr::memchr(b' ', rest.get(from..)?)? + 1;
                }
                Some(from + find_end(rest.get(from..)?, lit, quoted)?)
            }
            Rule::BeforeStatus => find_before_status(rest, lit, quoted),
        }
    }
}

/// Whether a status (three digits, or `-`) and then a space or the end of
/// the line stand at `at`.
#[inline(always)]
fn status_at(rest: &[u8], at: usize) -> bool {
    let tail = rest.get(at..).unwrap_or_default();
    let (value, after) = match tail {
        [b'-', after @ ..] => (true, after),
        [a, b, c, after @ ..] => (
            a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit(),
            after,
        ),
        _ => (false, tail),
    };
    value && matches!(after.first(), None | Some(b' '))
}

/// The first `lit` that a status follows, or else the first `lit`.
#[inline(always)]
fn find_before_status(rest: &[u8], lit: &[u8], quoted: bool) -> Option<usize> {
    let first = find_end(rest, lit, quoted)?;
    if status_at(rest, first + lit.len()) {
        return Some(first);
    }
    Some(find_status_after(rest, lit, quoted, first).unwrap_or(first))
}

/// The first `lit` after `first` that a status follows.
fn find_status_after(rest: &[u8], lit: &[u8], quoted: bool, first: usize) -> Option<usize> {
    let mut from = first + 1;
    loop {
        let p = from + find_end(rest.get(from..)?, lit, quoted)?;
        if status_at(rest, p + lit.len()) {
            return Some(p);
        }
        from = p + 1;
    }
}

/// [`find_end`] in a list of values, one per try: `lit` found inside a
/// separator (`, `, ` : `) does not end it.
fn find_list_end(rest: &[u8], lit: &[u8], quoted: bool) -> Option<usize> {
    let mut from = 0;
    loop {
        let p = from + find_end(rest.get(from..)?, lit, quoted)?;
        let (before, after) = rest.split_at(p);
        let separator = lit.first() == Some(&b' ')
            && (before.ends_with(b",") || after.starts_with(b" : ") || before.ends_with(b" :"));
        if !separator {
            return Some(p);
        }
        from = p + 1;
    }
}

/// Length of the field at the start of `rest`: up to the first occurrence of
/// `lit` (not preceded by an odd number of backslashes when `quoted`).
#[inline(always)]
fn find_end(rest: &[u8], lit: &[u8], quoted: bool) -> Option<usize> {
    let (&first, tail) = lit.split_first()?;
    let mut from = 0;
    while let Some(i) = memchr::memchr(first, rest.get(from..)?) {
        let p = from + i;
        let after = rest.get(p + 1..).unwrap_or_default();
        if after.starts_with(tail) && !(quoted && escaped(rest, p)) {
            return Some(p);
        }
        from = p + 1;
    }
    None
}

/// Whether the byte at `p` is preceded by an odd number of backslashes.
fn escaped(s: &[u8], p: usize) -> bool {
    s[..p].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1
}

#[cfg(test)]
mod tests;
