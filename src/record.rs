//! One parsed access-log line, borrowing from the input buffer.

/// Extra fields a grammar may capture, kept as raw bytes and interpreted only
/// where a later stage needs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The client address (`$remote_addr`, `%h`, `%a`).
    Client,
    /// The authenticated user (`$remote_user`, `%u`).
    User,
    /// Response size (`$body_bytes_sent`, `%b`, `%O`).
    Bytes,
    /// The `Referer` header.
    Referer,
    /// The `User-Agent` header.
    UserAgent,
    /// The virtual host (`$host`, `$server_name`, `%v`).
    Host,
    /// The upstream that answered (`$upstream_addr`).
    UpstreamAddr,
    /// The upstream's status (`$upstream_status`).
    UpstreamStatus,
    /// Time taken, as written (`$request_time` in seconds, `%D` in µs, `%T` in s).
    RequestTime,
    /// The `X-Forwarded-For` header.
    ForwardedFor,
}

/// Number of [`Slot`] variants.
pub const SLOTS: usize = 10;

/// A parsed access-log line. Cheap fields (time, status, method, target) are
/// decoded for every line; the rest stay raw bytes in [`Record::slot`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record<'a> {
    /// Request time, UTC unix seconds.
    pub time: i64,
    /// The time field as written.
    pub time_raw: &'a [u8],
    /// HTTP status.
    pub status: u16,
    /// Request method; `-` when the request line is `-`, `(invalid)` when it
    /// is not an HTTP request at all (TLS handshakes, binary probes).
    pub method: &'a [u8],
    /// Request target as sent (path and query); empty when there is none.
    pub target: &'a [u8],
    /// Protocol (`HTTP/1.1`), empty when absent.
    pub protocol: &'a [u8],
    slots: [&'a [u8]; SLOTS],
}

/// The method recorded for request lines that are not HTTP requests.
pub const INVALID_METHOD: &[u8] = b"(invalid)";

impl<'a> Record<'a> {
    /// An empty record at `time` with `status`, to be filled by a grammar.
    pub fn new(time: i64, status: u16) -> Self {
        Record {
            time,
            time_raw: b"",
            status,
            method: b"-",
            target: b"",
            protocol: b"",
            slots: [b""; SLOTS],
        }
    }

    /// The raw value of an extra field, `None` when the format lacks it or
    /// the server wrote `-`.
    pub fn slot(&self, slot: Slot) -> Option<&'a [u8]> {
        match self.slots[slot as usize] {
            b"" | b"-" => None,
            v => Some(v),
        }
    }

    /// Stores the raw value of an extra field.
    pub fn set_slot(&mut self, slot: Slot, value: &'a [u8]) {
        self.slots[slot as usize] = value;
    }

    /// Splits a request line (`GET /path HTTP/1.1`) into method, target and
    /// protocol. `-` and non-HTTP bytes are kept as a request with method
    /// `-` or [`INVALID_METHOD`], so such lines still count.
    pub fn set_request(&mut self, line: &'a [u8]) {
        if line.is_empty() || line == b"-" {
            self.method = b"-";
            return;
        }
        let Some(sp) = memchr::memchr(b' ', line).filter(|&sp| is_method(&line[..sp])) else {
            // Kept whole as the target, so the route can say what it was.
            self.method = INVALID_METHOD;
            self.target = line;
            return;
        };
        let method = &line[..sp];
        self.method = method;
        let rest = &line[sp + 1..];
        match memchr::memrchr(b' ', rest) {
            Some(p) if rest[p + 1..].starts_with(b"HTTP/") => {
                self.target = &rest[..p];
                self.protocol = &rest[p + 1..];
            }
            _ => self.target = rest,
        }
    }
}

/// An HTTP method token: 1 to 32 characters of `A-Z a-z 0-9 _ -`.
fn is_method(m: &[u8]) -> bool {
    !m.is_empty()
        && m.len() <= 32
        && m.iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &[u8]) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        let mut r = Record::new(0, 200);
        r.set_request(line);
        (r.method.to_vec(), r.target.to_vec(), r.protocol.to_vec())
    }

    #[test]
    fn request_lines() {
        assert_eq!(
            split(b"GET /a?b=1 HTTP/1.1"),
            (b"GET".to_vec(), b"/a?b=1".to_vec(), b"HTTP/1.1".to_vec())
        );
        assert_eq!(split(b"GET /a b HTTP/2.0").1, b"/a b".to_vec());
        assert_eq!(
            split(b"GET /old"),
            (b"GET".to_vec(), b"/old".to_vec(), vec![])
        );
        assert_eq!(split(b"-").0, b"-".to_vec());
        assert_eq!(
            split(b"\\x16\\x03\\x01\\x00\\xa5\\x01").0,
            INVALID_METHOD.to_vec()
        );
        assert_eq!(split(b"\x16\x03 \x01").0, INVALID_METHOD.to_vec());
        assert_eq!(split(b"PROPFIND / HTTP/1.1").0, b"PROPFIND".to_vec());
    }

    #[test]
    fn slots_treat_dash_as_absent() {
        let mut r = Record::new(0, 200);
        r.set_slot(Slot::Referer, b"-");
        r.set_slot(Slot::UserAgent, b"curl/8");
        assert_eq!(r.slot(Slot::Referer), None);
        assert_eq!(r.slot(Slot::UserAgent), Some(&b"curl/8"[..]));
        assert_eq!(r.slot(Slot::Host), None);
    }
}
