//! Route normalisation: turns a request target into the route it belongs to.
//!
//! Rules, applied segment by segment to the path:
//! - an absolute-form target (`http://host/path`) keeps only its path;
//! - the query (`?…`) and fragment (`#…`) are dropped;
//! - a segment of digits only becomes `:id`;
//! - a UUID (`8-4-4-4-12` hex digits) becomes `:uuid`;
//! - a run of 16 or more hex digits with at least one digit becomes `:hex`
//!   (content hashes, tokens); a hex run inside a file name such as
//!   `app.3f9a…c2.js` becomes `app.:hex.js`;
//! - everything else is kept byte for byte; routes are cut at 256 bytes.
//!
//! An empty or `-` target yields `-`.

/// Longest route kept, in bytes; longer paths are cut (scanner noise).
pub const MAX_ROUTE_LEN: usize = 256;

/// The route of a request line that is not HTTP: `(tls handshake)` for
/// the first bytes of a TLS ClientHello sent to a plain-HTTP port (raw, or
/// escaped as nginx and Apache write them), `(invalid)` for anything else.
pub fn invalid(line: &[u8]) -> &'static [u8] {
    if line.starts_with(b"\\x16\\x03") || line.starts_with(b"\x16\x03") {
        b"(tls handshake)"
    } else {
        b"(invalid)"
    }
}

/// Appends the normalised route of `target` to `out`.
pub fn normalize_into(target: &[u8], out: &mut Vec<u8>) {
    let base = out.len();
    let path = strip_origin(target);
    let end = memchr::memchr2(b'?', b'#', path).unwrap_or(path.len());
    let path = &path[..end];
    if path.is_empty() || path == b"-" {
        out.push(b'-');
        return;
    }
    for (i, segment) in path.split(|&b| b == b'/').enumerate() {
        if i > 0 {
            out.push(b'/');
        }
        push_segment(segment, out);
        if out.len() - base >= MAX_ROUTE_LEN {
            out.truncate(base + MAX_ROUTE_LEN);
            break;
        }
    }
}

/// Convenience wrapper around [`normalize_into`] returning a `String`
/// (lossy for non-UTF-8 bytes).
pub fn normalize(target: &[u8]) -> String {
    let mut out = Vec::new();
    normalize_into(target, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn strip_origin(target: &[u8]) -> &[u8] {
    let rest = if let Some(r) = strip_prefix_ci(target, b"http://") {
        r
    } else if let Some(r) = strip_prefix_ci(target, b"https://") {
        r
    } else {
        return target;
    };
    match memchr::memchr(b'/', rest) {
        Some(i) => &rest[i..],
        None => b"/",
    }
}

fn strip_prefix_ci<'a>(s: &'a [u8], prefix: &[u8]) -> Option<&'a [u8]> {
    if s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix) {
        Some(&s[prefix.len()..])
    } else {
        None
    }
}

fn push_segment(seg: &[u8], out: &mut Vec<u8>) {
    if seg.is_empty() {
        return;
    }
    if seg.iter().all(u8::is_ascii_digit) {
        out.extend_from_slice(b":id");
    } else if is_uuid(seg) {
        out.extend_from_slice(b":uuid");
    } else {
        push_with_hex_runs(seg, out);
    }
}

fn is_uuid(seg: &[u8]) -> bool {
    seg.len() == 36
        && seg.iter().enumerate().all(|(i, &b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// Copies `seg`, replacing each maximal run of >= 16 hex digits that holds at
/// least one decimal digit (and is delimited by non-alphanumerics) by `:hex`.
fn push_with_hex_runs(seg: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    while i < seg.len() {
        if seg[i].is_ascii_alphanumeric() {
            let start = i;
            while i < seg.len() && seg[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let word = &seg[start..i];
            if word.len() >= 16
                && word.iter().all(u8::is_ascii_hexdigit)
                && word.iter().any(u8::is_ascii_digit)
            {
                out.extend_from_slice(b":hex");
            } else {
                out.extend_from_slice(word);
            }
        } else {
            out.push(seg[i]);
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn ids_uuids_and_hex() {
        assert_eq!(normalize(b"/api/v1/users/12345"), "/api/v1/users/:id");
        assert_eq!(
            normalize(b"/orders/3f2504e0-4f89-11d3-9a0c-0305e82c3301/items"),
            "/orders/:uuid/items"
        );
        assert_eq!(
            normalize(b"/static/app.3f9a0b1c2d3e4f5a6b7c.js"),
            "/static/app.:hex.js"
        );
        assert_eq!(normalize(b"/t/0123456789abcdef0123456789abcdef"), "/t/:hex");
        // Short hex, and long words without digits, are kept.
        assert_eq!(normalize(b"/c/deadbeef"), "/c/deadbeef");
        assert_eq!(normalize(b"/c/abcdefabcdefabcdef"), "/c/abcdefabcdefabcdef");
        assert_eq!(normalize(b"/v2/items"), "/v2/items");
    }

    #[test]
    fn query_fragment_origin_and_empty() {
        assert_eq!(normalize(b"/search?q=1&x=2"), "/search");
        assert_eq!(normalize(b"/page#top"), "/page");
        assert_eq!(normalize(b"http://example.com/a/42?x"), "/a/:id");
        assert_eq!(normalize(b"HTTPS://example.com"), "/");
        assert_eq!(normalize(b"/"), "/");
        assert_eq!(normalize(b"//double//slash/"), "//double//slash/");
        assert_eq!(normalize(b""), "-");
        assert_eq!(normalize(b"-"), "-");
        assert_eq!(normalize(b"?only=query"), "-");
        assert_eq!(normalize(b"*"), "*");
    }

    #[test]
    fn long_routes_are_cut() {
        let long = format!("/{}", "a/".repeat(400));
        assert_eq!(normalize(long.as_bytes()).len(), super::MAX_ROUTE_LEN);
    }
}
