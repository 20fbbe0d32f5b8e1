//! Text bound for a terminal, made safe to print: log lines, paths and
//! header values are written by clients, and an escape sequence among them
//! must not reach the terminal (it could move the cursor, rewrite what was
//! printed or set the window title).

use std::borrow::Cow;
use std::fmt::Write;

/// `text` with every control character except tab and newline (C0, DEL,
/// C1) and every bidirectional override written as an escape (`\x1b`,
/// `\u{202e}`).
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if !unsafe_char(c) {
            out.push(c);
        } else if (c as u32) < 0x80 {
            let _ = write!(out, "\\x{:02x}", c as u32);
        } else {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
    Cow::Owned(out)
}

fn unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_leave_nothing_for_the_terminal() {
        assert_eq!(printable("GET /a\tb\n"), "GET /a\tb\n");
        assert!(matches!(printable("plain"), Cow::Borrowed(_)));
        assert_eq!(
            printable("x\u{1b}]0;pwned\u{7}y\r\u{9b}2J\u{202e}z\0"),
            "x\\x1b]0;pwned\\x07y\\x0d\\u{9b}2J\\u{202e}z\\x00"
        );
    }
}
