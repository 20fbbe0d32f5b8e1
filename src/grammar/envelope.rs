//! Container envelopes around log lines: what a container runtime writes
//! to disk for a web server that logs to stdout.
//!
//! - Docker's `json-file` driver: `{"log":"<line>\n","stream":"stdout",
//!   "time":"…"}`, the line JSON-escaped; a line over 16 KiB is split into
//!   pieces whose `log` does not end with `\n`.
//! - CRI (containerd, CRI-O: the files `kubectl logs` reads):
//!   `2026-06-03T10:00:01.123456789Z stdout F <line>`, a partial piece
//!   tagged `P`.
//!
//! The envelope is recognised from a file's first lines; each line is then
//! unwrapped before its own format reads it.

use super::json;

/// How a file's lines are wrapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Envelope {
    /// Docker's `json-file` driver.
    Docker,
    /// The CRI log format (containerd, CRI-O).
    Cri,
}

/// The output stream a container wrote a line to. nginx's and httpd's
/// container images send the access log to stdout and the error log to
/// stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

impl Stream {
    fn named(name: &[u8]) -> Option<Stream> {
        match name {
            b"stdout" => Some(Stream::Stdout),
            b"stderr" => Some(Stream::Stderr),
            _ => None,
        }
    }
}

/// One unwrapped line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inner<'a> {
    /// The line inside, as written in the envelope.
    pub text: &'a [u8],
    /// The stream it was written to.
    pub stream: Stream,
    /// Whether `text` is JSON-escaped (Docker).
    pub escaped: bool,
    /// Whether the line goes on in the next piece.
    pub partial: bool,
}

impl Envelope {
    /// The envelope most of `lines` (non-blank) are wrapped in, if any.
    pub fn detect(lines: &[&[u8]]) -> Option<Envelope> {
        let lines: Vec<&[u8]> = lines
            .iter()
            .copied()
            .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
            .collect();
        [Envelope::Docker, Envelope::Cri].into_iter().find(|e| {
            let wrapped = lines.iter().filter(|l| e.open(l).is_some()).count();
            wrapped > 0 && wrapped * 2 > lines.len()
        })
    }

    /// The name shown in the report.
    pub fn name(&self) -> &'static str {
        match self {
            Envelope::Docker => "Docker json-file",
            Envelope::Cri => "CRI",
        }
    }

    /// The line inside `line`, if it is wrapped this way.
    pub fn open<'a>(&self, line: &'a [u8]) -> Option<Inner<'a>> {
        match self {
            Envelope::Docker => docker(line),
            Envelope::Cri => cri(line),
        }
    }
}

/// `{"log":"…","stream":"stdout","time":"…"}`.
fn docker(line: &[u8]) -> Option<Inner<'_>> {
    if line.first() != Some(&b'{') {
        return None;
    }
    let (log, stream) = json::pair_values(line, b"log", b"stream")?;
    let stream = Stream::named(stream?)?;
    // `\n` ends the line unless its backslash is itself escaped.
    let backslashes = log
        .strip_suffix(b"n")
        .map_or(0, |l| l.iter().rev().take_while(|&&b| b == b'\\').count());
    let (text, partial) = match log.get(..log.len().saturating_sub(2)) {
        Some(text) if backslashes % 2 == 1 => (text.strip_suffix(br"\r").unwrap_or(text), false),
        _ => (log, true),
    };
    Some(Inner {
        text,
        stream,
        escaped: true,
        partial,
    })
}

/// `TIME STREAM TAG LINE`, TIME in RFC 3339, TAG `F` or `P` (maybe with
/// more `:`-separated tags).
fn cri(line: &[u8]) -> Option<Inner<'_>> {
    let mut parts = line.splitn(4, |&b| b == b' ');
    let (time, stream, tag) = (parts.next()?, parts.next()?, parts.next()?);
    let text = parts.next().unwrap_or_default();
    let timelike = time.len() >= 20 && time.get(10) == Some(&b'T') && time.get(4) == Some(&b'-');
    if !timelike {
        return None;
    }
    let stream = Stream::named(stream)?;
    let partial = match tag.split(|&b| b == b':').next()? {
        b"F" => false,
        b"P" => true,
        _ => return None,
    };
    Some(Inner {
        text,
        stream,
        escaped: false,
        partial,
    })
}

/// Appends `text` with its JSON escapes undone to `out` (`\"`, `\\`, `\/`,
/// `\n`, `\t`, `\r`, `\b`, `\f`, `\uXXXX` with surrogate pairs); a broken
/// escape is kept as written.
pub fn unescape(text: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'\\', &text[i..]) {
        out.extend_from_slice(&text[i..i + p]);
        i += p;
        i += escape_at(&text[i..], out);
    }
    out.extend_from_slice(&text[i..]);
}

/// Appends what the escape at the start of `s` stands for to `out`;
/// returns its length.
fn escape_at(s: &[u8], out: &mut Vec<u8>) -> usize {
    let byte = match s.get(1) {
        Some(b'"') => b'"',
        Some(b'\\') => b'\\',
        Some(b'/') => b'/',
        Some(b'n') => b'\n',
        Some(b't') => b'\t',
        Some(b'r') => b'\r',
        Some(b'b') => 0x08,
        Some(b'f') => 0x0c,
        Some(b'u') => {
            let Some((c, used)) = unicode_at(s) else {
                out.extend_from_slice(s.get(..2).unwrap_or(s));
                return 2;
            };
            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
            return used;
        }
        _ => {
            let kept = s.get(..2).unwrap_or(s);
            out.extend_from_slice(kept);
            return kept.len();
        }
    };
    out.push(byte);
    2
}

/// `\uXXXX`, or a surrogate pair `\uD83D\uDE00`, at the start of `s`.
fn unicode_at(s: &[u8]) -> Option<(char, usize)> {
    let hex = |at: usize| -> Option<u32> {
        let digits = std::str::from_utf8(s.get(at..at + 4)?).ok()?;
        u32::from_str_radix(digits, 16).ok()
    };
    let first = hex(2)?;
    if (0xD800..0xDC00).contains(&first) && s.get(6..8) == Some(br"\u") {
        let second = hex(8)?;
        let c = 0x10000 + ((first - 0xD800) << 10) + (second.checked_sub(0xDC00)?);
        return Some((char::from_u32(c)?, 12));
    }
    Some((char::from_u32(first)?, 6))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_and_cri_lines_unwrap() {
        let docker = br#"{"log":"1.2.3.4 - - [03/Jun/2026:10:00:01 +0000] \"GET /a HTTP/1.1\" 501 0 \"-\" \"curl/8\"\n","stream":"stdout","time":"2026-06-03T10:00:01.1Z"}"#;
        let inner = Envelope::Docker.open(docker).unwrap();
        assert!(inner.escaped && !inner.partial && inner.stream == Stream::Stdout);
        let mut out = Vec::new();
        unescape(inner.text, &mut out);
        assert_eq!(
            out,
            br#"1.2.3.4 - - [03/Jun/2026:10:00:01 +0000] "GET /a HTTP/1.1" 501 0 "-" "curl/8""#
        );
        let cut = br#"{"log":"first half","stream":"stdout","time":"2026-06-03T10:00:01.1Z"}"#;
        assert!(Envelope::Docker.open(cut).unwrap().partial);
        // An escaped backslash before `n` is no line end.
        let backslash =
            br#"{"log":"path C:\\n","stream":"stdout","time":"2026-06-03T10:00:01.1Z"}"#;
        assert!(Envelope::Docker.open(backslash).unwrap().partial);
        let cri = b"2026-06-03T10:00:01.123456789Z stdout F 1.2.3.4 - - [03/Jun/2026:10:00:01 +0000] \"GET / HTTP/1.1\" 200 5";
        let inner = Envelope::Cri.open(cri).unwrap();
        assert!(inner.text.starts_with(b"1.2.3.4 - -") && !inner.partial && !inner.escaped);
        let part = Envelope::Cri
            .open(b"2026-06-03T10:00:01.1Z stderr P part")
            .unwrap();
        assert!(part.partial && part.stream == Stream::Stderr);
        // An access line is neither.
        let plain = b"1.2.3.4 - - [03/Jun/2026:10:00:01 +0000] \"GET / HTTP/1.1\" 200 5";
        assert_eq!(Envelope::detect(&[plain, plain]), None);
        assert_eq!(Envelope::detect(&[cri, plain, cri]), Some(Envelope::Cri));
        assert_eq!(Envelope::detect(&[docker, docker]), Some(Envelope::Docker));
    }

    #[test]
    fn json_escapes() {
        let mut out = Vec::new();
        unescape(br#"a\"b\\c\/d\u00e9\ud83d\ude00\x"#, &mut out);
        assert_eq!(String::from_utf8_lossy(&out), "a\"b\\c/dé😀\\x");
    }
}
