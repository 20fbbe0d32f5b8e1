//! Tokenizers: nginx's (words, quoted strings, `;`, `{`, `}`, `#` comments,
//! as `ngx_conf_read_token` reads them) and Apache's (logical lines and
//! their words, as `ap_cfg_getline` and `ap_getword_conf` read them).

use std::iter::Peekable;
use std::str::Chars;

/// An nginx token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tok {
    /// A word or quoted string, unescaped.
    Word(String),
    /// `;`
    Semi,
    /// `{`
    Open,
    /// `}`
    Close,
}

/// A token and the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Token {
    pub(super) kind: Tok,
    pub(super) line: usize,
}

/// Text that cannot be tokenized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct LexError {
    pub(super) line: usize,
    pub(super) message: String,
}

/// nginx configuration text as tokens.
pub(super) fn nginx(text: &str) -> Result<Vec<Token>, LexError> {
    let mut lexer = Lexer {
        chars: text.chars().peekable(),
        line: 1,
        tokens: Vec::new(),
    };
    while let Some(c) = lexer.next() {
        lexer.token(c)?;
    }
    Ok(lexer.tokens)
}

struct Lexer<'a> {
    chars: Peekable<Chars<'a>>,
    line: usize,
    tokens: Vec<Token>,
}

impl Lexer<'_> {
    fn next(&mut self) -> Option<char> {
        let c = self.chars.next()?;
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn push(&mut self, kind: Tok, line: usize) {
        self.tokens.push(Token { kind, line });
    }

    /// The token starting with `c`.
    fn token(&mut self, c: char) -> Result<(), LexError> {
        let line = self.line;
        match c {
            ' ' | '\t' | '\r' | '\n' => {}
            '#' => while self.chars.next_if(|&c| c != '\n').is_some() {},
            ';' => self.push(Tok::Semi, line),
            '{' => self.push(Tok::Open, line),
            '}' => self.push(Tok::Close, line),
            '"' | '\'' => self.quoted(c)?,
            _ => self.word(c),
        }
        Ok(())
    }

    /// A string in `quote`s; a backslash escapes the next character.
    fn quoted(&mut self, quote: char) -> Result<(), LexError> {
        let line = self.line;
        let mut raw = String::new();
        loop {
            match self.next() {
                None => {
                    return Err(LexError {
                        line,
                        message: format!("unterminated {quote} string: expected a closing {quote}"),
                    })
                }
                Some(c) if c == quote => break,
                Some('\\') => {
                    raw.push('\\');
                    raw.extend(self.next());
                }
                Some(c) => raw.push(c),
            }
        }
        self.push(Tok::Word(unescape(&raw, true)), line);
        match self.chars.peek() {
            None | Some(' ' | '\t' | '\r' | '\n' | ';' | '{' | ')') => Ok(()),
            Some(c) => Err(LexError {
                line: self.line,
                message: format!(
                    "unexpected \"{c}\" after a quoted string: expected a space, \";\" or \"{{\""
                ),
            }),
        }
    }

    /// A bare word: up to a space, `;` or `{` (but `${` goes on: a variable).
    fn word(&mut self, first: char) {
        let line = self.line;
        let mut raw = String::from(first);
        let mut prev = first;
        while let Some(&c) = self.chars.peek() {
            let ends = matches!(c, ' ' | '\t' | '\r' | '\n' | ';') || (c == '{' && prev != '$');
            if ends && prev != '\\' {
                break;
            }
            raw.push(c);
            self.next();
            // An escaped backslash escapes nothing after it.
            prev = if prev == '\\' && c == '\\' { ' ' } else { c };
        }
        self.push(Tok::Word(unescape(&raw, true)), line);
    }
}

/// `\\`, `\t`, `\r`, `\n` (and `\"`, `\'` if `quotes`) unescaped; any other
/// backslash stays. nginx unescapes words so; Apache's mod_log_config its
/// formats, without the quotes.
pub(super) fn unescape(raw: &str, quotes: bool) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        let escaped = match (c, chars.peek()) {
            ('\\', Some('\\')) => Some('\\'),
            ('\\', Some(&e @ ('"' | '\''))) if quotes => Some(e),
            ('\\', Some('t')) => Some('\t'),
            ('\\', Some('r')) => Some('\r'),
            ('\\', Some('n')) => Some('\n'),
            _ => None,
        };
        match escaped {
            Some(e) => {
                chars.next();
                out.push(e);
            }
            None => out.push(c),
        }
    }
    out
}

/// Apache's logical lines: (first line number, text), a `\` at the very end
/// of a line joining the next one to it.
pub(super) fn apache_lines(text: &str) -> Vec<(usize, String)> {
    let mut lines = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    for (i, raw) in text.lines().enumerate() {
        let (number, mut line) = pending.take().unwrap_or((i + 1, String::new()));
        match raw.strip_suffix('\\') {
            Some(head) => {
                line.push_str(head);
                pending = Some((number, line));
            }
            None => {
                line.push_str(raw);
                lines.push((number, line));
            }
        }
    }
    lines.extend(pending);
    lines
}

/// The words of an Apache line: bare, or in `"` / `'` quotes where `\` escapes
/// the quote and itself.
pub(super) fn apache_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut rest = line.trim_start();
    while let Some(first) = rest.chars().next() {
        let (word, tail) = match first {
            '"' | '\'' => apache_quoted(rest, first)?,
            _ => rest
                .split_once(char::is_whitespace)
                .map_or((rest.to_string(), ""), |(w, t)| (w.to_string(), t)),
        };
        words.push(word);
        rest = tail.trim_start();
    }
    Ok(words)
}

/// The quoted word at the start of `s`, and what follows it.
fn apache_quoted(s: &str, quote: char) -> Result<(String, &str), String> {
    let mut word = String::new();
    let mut chars = s.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if c == quote {
            return Ok((word, s.get(i + 1..).unwrap_or_default()));
        }
        match chars.peek() {
            Some(&(_, e)) if c == '\\' && (e == quote || e == '\\') => {
                word.push(e);
                chars.next();
            }
            _ => word.push(c),
        }
    }
    Err(format!(
        "unterminated {quote} quote: expected a closing {quote} before the end of the line"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        nginx(text)
            .unwrap()
            .into_iter()
            .map(|t| match t.kind {
                Tok::Word(w) => w,
                Tok::Semi => ";".into(),
                Tok::Open => "{".into(),
                Tok::Close => "}".into(),
            })
            .collect()
    }

    #[test]
    fn nginx_words_strings_and_punctuation() {
        assert_eq!(
            words("log_format main '$a \"$b\"'\n  \"x\\ty\";  # comment ; {\nhttp{}"),
            [
                "log_format",
                "main",
                "$a \"$b\"",
                "x\ty",
                ";",
                "http",
                "{",
                "}"
            ]
        );
        assert_eq!(
            words(r#"location ~ \.php$ { return 200 "it\'s \"ok\"\n"; }"#),
            [
                "location",
                "~",
                "\\.php$",
                "{",
                "return",
                "200",
                "it's \"ok\"\n",
                ";",
                "}"
            ]
        );
    }

    #[test]
    fn nginx_words_keep_variables_braces_and_escapes() {
        assert_eq!(
            words("access_log /l/${host}.log;a#b c}d \\;e \\\\;"),
            [
                "access_log",
                "/l/${host}.log",
                ";",
                "a#b",
                "c}d",
                "\\;e",
                "\\",
                ";"
            ]
        );
        assert_eq!(words("if ($a = 'b') {"), ["if", "($a", "=", "b", ")", "{"]);
    }

    #[test]
    fn nginx_lines_are_counted() {
        let tokens = nginx("a\n'b\nc'\n;").unwrap();
        let lines: Vec<usize> = tokens.iter().map(|t| t.line).collect();
        assert_eq!(lines, [1, 2, 4]);
    }

    #[test]
    fn nginx_errors() {
        let e = nginx("a;\nlog_format x 'abc;\n}\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert_eq!(e.message, "unterminated ' string: expected a closing '");
        let e = nginx("a \"b\"c;").unwrap_err();
        assert_eq!(
            e.message,
            "unexpected \"c\" after a quoted string: expected a space, \";\" or \"{\""
        );
    }

    #[test]
    fn apache_lines_join_continuations() {
        let lines = apache_lines("A 1\r\nB \"x \\\n  y\" \\\nz\n\nC\\");
        assert_eq!(
            lines,
            [
                (1, "A 1".to_string()),
                (2, "B \"x   y\" z".to_string()),
                (5, String::new()),
                (6, "C".to_string())
            ]
        );
    }

    #[test]
    fn apache_words_and_quotes() {
        let w = apache_words(r#"LogFormat "%h \"%r\" \\ \n" 'a b'c  d"e"#).unwrap();
        assert_eq!(w, ["LogFormat", "%h \"%r\" \\ \\n", "a b", "c", "d\"e"]);
        let e = apache_words(r#"CustomLog "/x.log combined"#).unwrap_err();
        assert_eq!(
            e,
            "unterminated \" quote: expected a closing \" before the end of the line"
        );
    }
}
