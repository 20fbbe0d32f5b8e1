//! The format-string compiler: nginx `log_format` and Apache `LogFormat`
//! strings (or whole directives pasted from a config file) into [`Grammar`]s.

use std::fmt;

use nom::branch::alt;
use nom::bytes::complete::{is_not, tag, take_till1, take_while1};
use nom::character::complete::{char, multispace0, multispace1, none_of, one_of};
use nom::combinator::{map, opt, recognize, value};
use nom::multi::{many0, many1};
use nom::sequence::{delimited, preceded};
use nom::{IResult, Parser};

use super::{json, Body, End, Field, Grammar, Item, Rule};
use crate::record::Slot;
use crate::timefmt::TimeFormat;

/// Which server's format language a format string is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// nginx: `$variable`.
    Nginx,
    /// Apache httpd: `%x`, `%>s`, `%{Header}i`.
    Apache,
}

/// A format string with its name, as found in a config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatDef {
    /// `log_format` name or `LogFormat` nickname, if the text had one.
    pub name: Option<String>,
    /// The format language.
    pub dialect: Dialect,
    /// The format string itself, unquoted.
    pub format: String,
}

/// A format string that cannot be compiled, pointing at the spot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    /// What is wrong.
    pub message: String,
    /// The format string.
    pub format: String,
    /// Character offset of the problem in `format`.
    pub at: usize,
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.message)?;
        writeln!(f, "  {}", self.format)?;
        write!(f, "  {}^", " ".repeat(self.at))
    }
}

impl std::error::Error for FormatError {}

fn error(format: &str, at: usize, message: impl Into<String>) -> FormatError {
    FormatError {
        message: message.into(),
        format: format.to_string(),
        at: format.get(..at).map_or(0, |s| s.chars().count()),
    }
}

/// Reads every `log_format` / `LogFormat` directive in config text. Lines
/// starting with `#` and other directives are ignored.
pub fn directives(text: &str) -> Result<Vec<FormatDef>, FormatError> {
    let mut defs = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let trimmed = rest.trim_start();
        if trimmed.is_empty() {
            break;
        }
        if trimmed.starts_with('#') {
            rest = trimmed.split_once('\n').map_or("", |(_, r)| r);
            continue;
        }
        let parsed = if trimmed.starts_with("log_format") {
            nginx_directive(trimmed)
        } else if trimmed.starts_with("LogFormat") {
            apache_directive(trimmed)
        } else {
            rest = trimmed.split_once('\n').map_or("", |(_, r)| r);
            continue;
        };
        match parsed {
            Ok((r, def)) => {
                defs.push(def);
                rest = r;
            }
            Err(_) => {
                if let Some((at, quote)) = unclosed_quote(trimmed) {
                    let start = trimmed[..at].rfind('\n').map_or(0, |i| i + 1);
                    let line = trimmed[start..].lines().next().unwrap_or_default();
                    return Err(error(
                        line,
                        at - start,
                        format!("unclosed quote: this {quote} has no closing {quote}"),
                    ));
                }
                let line = trimmed.lines().next().unwrap_or(trimmed);
                return Err(error(
                    line,
                    line.len(),
                    "cannot read this directive: expected quoted format strings (and `;` for nginx)",
                ));
            }
        }
    }
    Ok(defs)
}

/// Where a directive opens a quote it never closes (nginx's directive ends
/// at a `;`, Apache's at the end of its line), and which quote.
fn unclosed_quote(directive: &str) -> Option<(usize, char)> {
    let mut open: Option<(usize, char)> = None;
    let mut escaped = false;
    for (i, c) in directive.char_indices() {
        match open {
            Some((_, q)) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    open = None;
                }
            }
            None if c == '\'' || c == '"' => open = Some((i, c)),
            None if c == ';' || (c == '\n' && directive.starts_with("LogFormat")) => return None,
            None => {}
        }
    }
    open
}

/// `log_format name [escape=…] 'part' "part" …;`
fn nginx_directive(i: &str) -> IResult<&str, FormatDef> {
    let (i, _) = (tag("log_format"), multispace1).parse(i)?;
    let (i, name) = take_while1(|c: char| !c.is_whitespace() && c != ';')(i)?;
    let (i, _) = many0(preceded(
        multispace1,
        recognize((tag("escape="), take_while1(|c: char| c.is_alphanumeric()))),
    ))
    .parse(i)?;
    let (i, parts) = many1(preceded(multispace0, nginx_part)).parse(i)?;
    let (i, _) = (multispace0, char(';')).parse(i)?;
    Ok((
        i,
        FormatDef {
            name: Some(name.to_string()),
            dialect: Dialect::Nginx,
            format: parts.concat(),
        },
    ))
}

fn nginx_part(i: &str) -> IResult<&str, String> {
    alt((
        quoted('\''),
        quoted('"'),
        map(is_not(" \t\r\n;'\""), str::to_string),
    ))
    .parse(i)
}

/// A string in `q` quotes; backslash escapes the next character.
fn quoted(q: char) -> impl FnMut(&str) -> IResult<&str, String> {
    move |i| {
        let (i, parts) = delimited(
            char(q),
            many0(alt((
                preceded(char('\\'), map(none_of(""), escaped_char)),
                map(none_of(if q == '"' { "\"\\" } else { "'\\" }), |c| {
                    c.to_string()
                }),
            ))),
            char(q),
        )
        .parse(i)?;
        Ok((i, parts.concat()))
    }
}

fn escaped_char(c: char) -> String {
    match c {
        'n' => "\n".into(),
        't' => "\t".into(),
        '"' | '\'' | '\\' => c.to_string(),
        other => format!("\\{other}"),
    }
}

/// `LogFormat "format" [nickname]`
fn apache_directive(i: &str) -> IResult<&str, FormatDef> {
    let (i, _) = (tag("LogFormat"), multispace1).parse(i)?;
    let (i, format) = quoted('"')(i)?;
    let (i, name) = opt(preceded(
        take_while1(|c: char| c == ' ' || c == '\t'),
        take_while1(|c: char| !c.is_whitespace()),
    ))
    .parse(i)?;
    Ok((
        i,
        FormatDef {
            name: name.map(str::to_string),
            dialect: Dialect::Apache,
            format,
        },
    ))
}

/// One piece of a format string.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Lit(String),
    /// An nginx variable name.
    Var(String),
    /// An Apache directive: its `{argument}` and letter (`>`/`<` and
    /// status conditions are dropped: they do not change the text's shape).
    Directive(Option<String>, char),
}

fn nginx_tokens(i: &str) -> IResult<&str, Vec<Token>> {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    many0(alt((
        map(
            preceded(
                char('$'),
                alt((
                    delimited(char('{'), take_while1(ident), char('}')),
                    take_while1(ident),
                )),
            ),
            |v: &str| Token::Var(v.to_string()),
        ),
        map(take_till1(|c| c == '$'), |s: &str| {
            Token::Lit(s.to_string())
        }),
        value(Token::Lit("$".into()), char('$')),
    )))
    .parse(i)
}

fn apache_tokens(i: &str) -> IResult<&str, Vec<Token>> {
    many0(alt((
        value(Token::Lit("%".into()), tag("%%")),
        map(
            preceded(
                (
                    char('%'),
                    opt(one_of("<>")),
                    opt(char('!')),
                    take_while_digits_commas,
                ),
                (
                    opt(delimited(char('{'), is_not("}"), char('}'))),
                    nom::character::complete::satisfy(|c| c.is_ascii_alphabetic()),
                ),
            ),
            |(arg, letter): (Option<&str>, char)| Token::Directive(arg.map(str::to_string), letter),
        ),
        map(take_till1(|c| c == '%'), |s: &str| {
            Token::Lit(s.to_string())
        }),
    )))
    .parse(i)
}

fn take_while_digits_commas(i: &str) -> IResult<&str, &str> {
    nom::bytes::complete::take_while(|c: char| c.is_ascii_digit() || c == ',')(i)
}

/// What an nginx variable means.
pub(super) fn nginx_field(var: &str) -> Field {
    match var {
        "remote_addr" | "realip_remote_addr" | "binary_remote_addr" => Field::Slot(Slot::Client),
        "remote_user" => Field::Slot(Slot::User),
        "time_local" => Field::Time(TimeFormat::Clf),
        "time_iso8601" => Field::Time(TimeFormat::Iso8601),
        "msec" => Field::Time(TimeFormat::EpochSecs),
        "request" => Field::Request,
        "request_method" => Field::Method,
        "request_uri" | "uri" | "document_uri" => Field::Target,
        "status" => Field::Status,
        "body_bytes_sent" | "bytes_sent" => Field::Slot(Slot::Bytes),
        "request_length" => Field::Size,
        "http_referer" => Field::Slot(Slot::Referer),
        "http_user_agent" => Field::Slot(Slot::UserAgent),
        "host" | "http_host" | "server_name" => Field::Slot(Slot::Host),
        "upstream_addr" => Field::Slot(Slot::UpstreamAddr),
        "upstream_status" => Field::Slot(Slot::UpstreamStatus),
        "request_time" => Field::Slot(Slot::RequestTime),
        "http_x_forwarded_for" | "proxy_add_x_forwarded_for" => Field::Slot(Slot::ForwardedFor),
        _ => Field::Skip,
    }
}

/// What an Apache directive means; `%t` is expanded by the caller.
pub(super) fn apache_field(arg: Option<&str>, letter: char) -> Result<Field, String> {
    let header = arg.map(str::to_ascii_lowercase);
    Ok(match (letter, header.as_deref()) {
        ('h' | 'a', _) => Field::Slot(Slot::Client),
        ('u', _) => Field::Slot(Slot::User),
        ('r', _) => Field::Request,
        ('m', _) => Field::Method,
        ('U', _) => Field::Target,
        ('s', _) => Field::Status,
        ('b' | 'B' | 'O', _) => Field::Slot(Slot::Bytes),
        ('I', _) => Field::Size,
        ('i', Some("referer")) => Field::Slot(Slot::Referer),
        ('i', Some("user-agent")) => Field::Slot(Slot::UserAgent),
        ('i', Some("host")) | ('v' | 'V', _) => Field::Slot(Slot::Host),
        ('i', Some("x-forwarded-for")) => Field::Slot(Slot::ForwardedFor),
        ('e', Some("balancer_worker_name")) => Field::Slot(Slot::UpstreamAddr),
        ('D', _) | ('T', _) => Field::Slot(Slot::RequestTime),
        ('t', _) => apache_time(arg.unwrap_or_default()),
        (
            'l' | 'A' | 'C' | 'e' | 'f' | 'H' | 'i' | 'k' | 'L' | 'n' | 'o' | 'p' | 'P' | 'q' | 'R'
            | 'X' | 'S' | 'x' | 'c',
            _,
        ) => Field::Skip,
        _ => return Err(format!("unknown Apache format directive `%{letter}`")),
    })
}

/// `%{…}t`: a time, or the parts Apache's documentation splits a time
/// into (`%{msec_frac}t`, a separate `%{%z}t`).
fn apache_time(arg: &str) -> Field {
    let arg = arg
        .strip_prefix("begin:")
        .or_else(|| arg.strip_prefix("end:"))
        .unwrap_or(arg);
    Field::Time(match arg {
        "" => TimeFormat::Clf,
        "sec" => TimeFormat::EpochSecs,
        "msec" => TimeFormat::EpochMillis,
        "usec" => TimeFormat::EpochMicros,
        "msec_frac" | "usec_frac" => return Field::Skip,
        "%z" => return Field::Zone,
        pattern => TimeFormat::Strftime(pattern.to_string()),
    })
}

/// Guesses the dialect of a bare format string.
fn dialect_of(format: &str) -> Dialect {
    let b = format.as_bytes();
    let nginx = b
        .windows(2)
        .any(|w| w[0] == b'$' && (w[1].is_ascii_alphabetic() || w[1] == b'{'));
    if nginx {
        Dialect::Nginx
    } else {
        Dialect::Apache
    }
}

/// Compiles a format into a grammar named `name`.
///
/// `text` may be a bare format string (`$remote_addr - …` or `%h %l …`),
/// or a whole `log_format …;` / `LogFormat "…" nick` directive as it stands
/// in the server's config, whose name (or nickname) the grammar takes.
pub fn compile(name: &str, text: &str) -> Result<Grammar, FormatError> {
    let trimmed = text.trim();
    let def = if trimmed.starts_with("log_format") || trimmed.starts_with("LogFormat") {
        let mut defs = directives(trimmed)?;
        if defs.len() != 1 {
            return Err(error(trimmed, 0, "expected exactly one format directive"));
        }
        defs.remove(0)
    } else {
        let dialect = dialect_of(trimmed);
        let format = match dialect {
            // `"%h %l \"%r\""` pasted with its config quoting.
            Dialect::Apache
                if trimmed.len() > 1 && trimmed.starts_with('"') && trimmed.ends_with('"') =>
            {
                quoted('"')(trimmed).map_or_else(|_| trimmed.to_string(), |(_, s)| s)
            }
            _ => trimmed.to_string(),
        };
        FormatDef {
            name: None,
            dialect,
            format,
        }
    };
    // A pasted directive keeps its own name (`log_format edge …` is `edge`).
    let name = def.name.clone().unwrap_or_else(|| name.to_string());
    compile_def(&name, &def)
}

/// Compiles a [`FormatDef`] into a grammar named `name`.
pub fn compile_def(name: &str, def: &FormatDef) -> Result<Grammar, FormatError> {
    let format = def.format.as_str();
    if format.trim_start().starts_with('{') {
        if let Some(keys) = json::Keys::from_template(format, def.dialect == Dialect::Nginx) {
            return Ok(Grammar {
                name: name.to_string(),
                format: format.to_string(),
                body: Body::Json(keys),
            });
        }
    }
    let tokens = match def.dialect {
        Dialect::Nginx => nginx_tokens(format),
        Dialect::Apache => apache_tokens(format),
    };
    let (rest, tokens) = tokens.map_err(|_| error(format, 0, "cannot read this format"))?;
    if !rest.is_empty() {
        let at = format.len() - rest.len();
        let what = match def.dialect {
            Dialect::Apache if rest.starts_with("%{") => "unclosed `%{`: expected `}` and a letter",
            Dialect::Apache => {
                "`%` must be followed by a directive letter (or `%%` for a percent sign)"
            }
            Dialect::Nginx => "cannot read this part of the format",
        };
        return Err(error(format, at, what));
    }

    // Token → (offset in the format, a field and how it is shown, or a
    // literal as `Err`).
    type Piece = (usize, Result<(Field, String), String>);
    let mut pieces: Vec<Piece> = Vec::new();
    let mut offset = 0;
    for token in tokens {
        let start = offset;
        match token {
            Token::Lit(s) => {
                // `%%` stands for one `%`.
                offset += if def.dialect == Dialect::Apache && s == "%" {
                    2
                } else {
                    s.len()
                };
                pieces.push((start, Err(s)));
            }
            Token::Var(v) => {
                offset += v.len() + 1;
                if format[start..].starts_with("${") {
                    offset += 2;
                }
                pieces.push((start, Ok((nginx_field(&v), format!("${v}")))));
            }
            Token::Directive(arg, letter) => {
                offset = directive_end(format, start);
                // `%U%q`: the query is read as part of the target.
                if letter == 'q' && matches!(pieces.last(), Some((_, Ok((Field::Target, _))))) {
                    continue;
                }
                let field =
                    apache_field(arg.as_deref(), letter).map_err(|m| error(format, start, m))?;
                let shown = format[start..offset].to_string();
                if letter == 't' && arg.is_none() {
                    pieces.push((start, Err("[".into())));
                    pieces.push((start, Ok((field, shown))));
                    pieces.push((start, Err("]".into())));
                } else {
                    pieces.push((start, Ok((field, shown))));
                }
            }
        }
    }

    // Merge literals, pair each field with the literal that ends it.
    let mut items: Vec<Item> = Vec::new();
    let mut prev_lit_ends_quote = false;
    let mut seen_slots = std::collections::HashSet::new();
    let mut i = 0;
    while i < pieces.len() {
        let (at, piece) = &pieces[i];
        match piece {
            Err(_) => {
                let mut lit = String::new();
                while let Some((_, Err(s))) = pieces.get(i) {
                    lit.push_str(s);
                    i += 1;
                }
                prev_lit_ends_quote = lit.ends_with('"');
                items.push(Item::Lit(lit.into_bytes().into_boxed_slice()));
                continue;
            }
            Ok((field, shown)) => {
                let end = match pieces.get(i + 1) {
                    None if is_token(field) => End::Token,
                    None => End::Eol,
                    Some((_, Ok((_, next)))) => {
                        return Err(error(
                            format,
                            *at,
                            format!(
                                "`{shown}` is directly followed by `{next}`: put a separator between them"
                            ),
                        ))
                    }
                    Some((_, Err(_))) => {
                        let mut lit = String::new();
                        let mut j = i + 1;
                        while let Some((_, Err(s))) = pieces.get(j) {
                            lit.push_str(s);
                            j += 1;
                        }
                        let quoted = prev_lit_ends_quote && lit.starts_with('"');
                        // A status that a space (or the line's end) follows.
                        let status_next = matches!(pieces.get(j), Some((_, Ok((Field::Status, _)))))
                            && match pieces.get(j + 1) {
                                None => true,
                                Some((_, Err(after))) => after.starts_with(' '),
                                Some(_) => false,
                            };
                        let lit = lit.into_bytes().into_boxed_slice();
                        let spaces = time_spaces(field);
                        let rule = if shown.starts_with("$upstream_") {
                            Some(Rule::List)
                        } else if spaces > 0 {
                            Some(Rule::AfterSpaces(spaces))
                        } else if quoted && *field == Field::Request && status_next {
                            Some(Rule::BeforeStatus)
                        } else {
                            None
                        };
                        match rule {
                            None => End::Lit { lit, quoted },
                            Some(rule) => End::Ruled { lit, quoted, rule },
                        }
                    }
                };
                // A slot captured twice (`%D … %T`) keeps its first field.
                let field = match field {
                    Field::Slot(slot) if !seen_slots.insert(*slot as usize) => match slot {
                        Slot::Bytes => Field::Size,
                        _ => Field::Skip,
                    },
                    f => f.clone(),
                };
                items.push(Item::Field {
                    name: field_name(&field, shown).into(),
                    field,
                    end,
                });
            }
        }
        i += 1;
    }

    let has = |f: fn(&Field) -> bool| {
        items
            .iter()
            .any(|i| matches!(i, Item::Field { field, .. } if f(field)))
    };
    if !has(|f| matches!(f, Field::Time(_))) {
        return Err(error(format, 0, "the format has no time field ($time_local, $time_iso8601, $msec, %t): fiveohone needs one"));
    }
    if !has(|f| matches!(f, Field::Status)) {
        return Err(error(
            format,
            0,
            "the format has no status field ($status, %s, %>s): fiveohone needs one",
        ));
    }
    if !has(|f| matches!(f, Field::Request | Field::Target)) {
        return Err(error(format, 0, "the format has no request field ($request, $request_uri, $uri, %r, %U): fiveohone needs one"));
    }
    Ok(Grammar {
        name: name.to_string(),
        format: format.to_string(),
        body: Body::Text(items),
    })
}

/// Byte offset just past the Apache directive starting at `start`.
fn directive_end(format: &str, start: usize) -> usize {
    let b = format.as_bytes();
    let mut i = start + 1;
    while i < b.len() && (b"<>!,".contains(&b[i]) || b[i].is_ascii_digit()) {
        i += 1;
    }
    if b.get(i) == Some(&b'{') {
        while i < b.len() && b[i] != b'}' {
            i += 1;
        }
        i += 1;
    }
    (i + 1).min(b.len())
}

/// How many spaces a time field's own format writes (a strftime pattern
/// with spaces; `%c` writes four).
fn time_spaces(field: &Field) -> u8 {
    match field {
        Field::Time(TimeFormat::Strftime(pattern)) => {
            let spaces = pattern.matches(' ').count() + 4 * pattern.matches("%c").count();
            u8::try_from(spaces).unwrap_or(u8::MAX)
        }
        _ => 0,
    }
}

/// Whether a field's values never hold a space: last in its format, it
/// ends at the first space, and what follows is fields the format does
/// not name (`combined` plus `$request_time`).
fn is_token(field: &Field) -> bool {
    match field {
        Field::Status | Field::Method | Field::Target | Field::Zone | Field::Size => true,
        Field::Time(format) => !format.may_hold_spaces(),
        Field::Slot(slot) => matches!(
            slot,
            Slot::Client | Slot::User | Slot::Bytes | Slot::RequestTime
        ),
        Field::Request | Field::Skip => false,
    }
}

/// The name used for a field in error messages.
fn field_name(field: &Field, shown: &str) -> String {
    match field {
        Field::Time(_) => "time".into(),
        Field::Status => "status".into(),
        Field::Request => "request".into(),
        _ => shown.to_string(),
    }
}
