//! Prose wrapped at word boundaries, with a hanging indent.

/// The columns `text` takes on a terminal (wide characters take two),
/// colour sequences taking none.
pub fn width(text: &str) -> usize {
    let mut n = 0;
    let mut in_escape = false;
    for c in text.chars() {
        match (in_escape, c) {
            (false, '\x1b') => in_escape = true,
            (true, 'm') => in_escape = false,
            (true, _) => {}
            (false, c) => n += char_width(c),
        }
    }
    n
}

/// The columns one character takes.
pub fn char_width(c: char) -> usize {
    unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
}

/// The longest start of `text` that takes at most `columns` columns.
pub fn take_columns(text: &str, columns: usize) -> &str {
    let mut used = 0;
    for (i, c) in text.char_indices() {
        used += char_width(c);
        if used > columns {
            return &text[..i];
        }
    }
    text
}

/// `text` as lines of at most `columns` columns: the first starts with
/// `first`, the others with `rest` (as wide as `first`, usually spaces).
/// Lines break between words; a word longer than a line is cut only when
/// it cannot fit alone (a long path or URL), at a `/` or `,` where it has
/// one.
pub fn wrap(text: &str, columns: usize, first: &str, rest: &str) -> String {
    let room = columns.max(width(rest) + 20);
    let mut out = String::new();
    let mut line = String::from(first);
    let mut start = width(first);
    let mut used = start;
    let next_line = |out: &mut String, line: &mut String| {
        out.push_str(line.trim_end());
        out.push('\n');
        *line = String::from(rest);
        width(rest)
    };
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let w = width(word);
        let sep = usize::from(used > start);
        if used + sep + w <= room {
            if sep == 1 {
                line.push(' ');
            }
            line.push_str(word);
            used += sep + w;
            continue;
        }
        if used > start {
            start = next_line(&mut out, &mut line);
            used = start;
        }
        for piece in cut(word, room - used, room - width(rest)) {
            if used > start {
                start = next_line(&mut out, &mut line);
                used = start;
            }
            line.push_str(piece);
            used += width(piece);
        }
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

/// A word too long for a line, in pieces: the first at most `first`
/// columns, the others at most `room`, each ending after a `/` or `,`
/// when one is near the end.
fn cut(word: &str, first: usize, room: usize) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut rest = word;
    let mut limit = first.max(1);
    while width(rest) > limit {
        let head = take_columns(rest, limit);
        // At least one character, however wide.
        let end = if head.is_empty() {
            rest.chars().next().map_or(rest.len(), char::len_utf8)
        } else {
            head.len()
        };
        let at = rest[..end]
            .rfind(['/', ','])
            .filter(|&i| i + 1 >= end / 2)
            .map_or(end, |i| i + 1);
        pieces.push(&rest[..at]);
        rest = &rest[at..];
        limit = room.max(1);
    }
    pieces.push(rest);
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_never_broken() {
        let text = "19 501s in 15 min (38.8% of 49 requests) where the baseline expected 0.5";
        let out = wrap(text, 30, "  - ", "    ");
        for line in out.lines() {
            assert!(width(line) <= 30, "{line:?}");
        }
        let words: Vec<&str> = out.split_whitespace().filter(|w| *w != "-").collect();
        assert_eq!(words, text.split(' ').collect::<Vec<_>>());
        assert!(out.starts_with("  - 19 501s"));
        assert!(out.lines().skip(1).all(|l| l.starts_with("    ")));
    }

    #[test]
    fn a_word_longer_than_a_line_is_cut_at_a_slash() {
        let out = wrap(
            "see /var/log/nginx/shop.example.com.access.log now",
            24,
            "",
            "",
        );
        assert!(out.lines().all(|l| width(l) <= 24), "{out}");
        assert!(out.contains("/var/log/nginx/\n"), "{out}");
        assert_eq!(
            out.replace(['\n', ' '], ""),
            "see/var/log/nginx/shop.example.com.access.lognow"
        );
    }

    #[test]
    fn wide_characters_take_two_columns() {
        assert_eq!(width("ランニング"), 10);
        let out = wrap(
            "/ja/ランニングシューズ/新作/春のセール/限定モデル ok",
            24,
            "",
            "",
        );
        assert!(out.lines().all(|l| width(l) <= 24), "{out}");
        assert!(out.lines().count() >= 3, "{out}");
        assert_eq!(take_columns("ラン", 3), "ラ");
    }

    #[test]
    fn colour_takes_no_room() {
        assert_eq!(width("\x1b[1;31mpost_deploy\x1b[0m"), 11);
    }
}
