//! Lines that are not valid access lines: text, cut requests, binary
//! bytes, the server's own error lines and prefixes cut short.

use crate::access::Generator;
use crate::clients::{BROWSER_ROUTES, CLIENTS};
use crate::digits::push_u64;
use crate::vocab::TEXT_GARBAGE;

impl Generator<'_> {
    /// Writes one line that is not a valid access-log line (never containing
    /// a complete `"request" status` pair); returns whether it is an
    /// error-log line (of the format's server) rather than garbage.
    pub(crate) fn write_garbage(&mut self, buf: &mut Vec<u8>, ts: i64) -> bool {
        match self.rng.below(5) {
            0 => buf.extend_from_slice(self.rng.pick(&TEXT_GARBAGE).as_bytes()),
            1 => {
                // A line cut in the middle of the request.
                let ci = self.pick_client();
                self.write_vhost(buf, false, 443);
                self.write_prefix(buf, ci, true, ts);
                let cut_from = buf.len();
                let method = *self.rng.pick(&["GET", "POST", "GET", "PUT"]);
                buf.extend_from_slice(method.as_bytes());
                buf.push(b' ');
                let route = self.rng.weighted(&BROWSER_ROUTES);
                self.write_path(buf, route, false, self.cfg.format.is_nginx());
                let len = (buf.len() - cut_from) as u64;
                let keep = self.rng.range(1, len);
                buf.truncate(cut_from + keep as usize);
            }
            2 => {
                // Binary-ish bytes: no whitespace, no newline, no quote.
                for _ in 0..self.rng.range(8, 64) {
                    let b = match self.rng.below(4) {
                        0 => self.rng.range(0x01, 0x08) as u8,
                        1 => self.rng.range(0x0e, 0x1f) as u8,
                        _ => self.rng.range(0x80, 0xff) as u8,
                    };
                    buf.push(b);
                }
            }
            3 if self.cfg.format.is_nginx() => {
                self.time.nginx_error(buf, ts);
                buf.extend_from_slice(b" [error] ");
                let pid = self.rng.range(1000, 40_000);
                push_u64(buf, pid);
                buf.push(b'#');
                push_u64(buf, pid);
                buf.extend_from_slice(b": *");
                push_u64(buf, self.rng.range(1, 9_999_999));
                let ip = &self.clients[self.rng.below(CLIENTS as u64) as usize].ip;
                buf.extend_from_slice(
                    b" upstream timed out (110: Connection timed out) while reading response header from upstream, client: ",
                );
                buf.extend_from_slice(ip.as_bytes());
                buf.extend_from_slice(
                    b", server: www.example.com, request: \"GET /api/v1/products HTTP/1.1\", upstream: \"http://10.0.1.12:8080/api/v1/products\", host: \"www.example.com\"",
                );
                return true;
            }
            3 => {
                buf.push(b'[');
                let micros = self.rng.below(1_000_000);
                self.time.apache_error(buf, ts, micros);
                buf.extend_from_slice(b"] [proxy:error] [pid ");
                push_u64(buf, self.rng.range(1000, 40_000));
                buf.extend_from_slice(b":tid ");
                push_u64(buf, self.rng.range(100_000, 999_999));
                buf.extend_from_slice(
                    b"] (111)Connection refused: AH00957: http: attempt to connect to 10.0.1.12:8080 (backend) failed",
                );
                return true;
            }
            _ => {
                // A partial prefix: the line stops before the request.
                let ci = self.pick_client();
                let start = buf.len();
                self.write_prefix(buf, ci, true, ts);
                // Keep at least one byte, drop at least the `"` and the space.
                let keep = self.rng.range(1, (buf.len() - start - 2) as u64) as usize;
                buf.truncate(start + keep);
            }
        }
        false
    }
}
