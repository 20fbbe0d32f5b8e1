//! How each format lays out an access line: Apache's virtual host, the
//! client prefix, nginx-upstream's timings, and the lines of a fixed shape
//! (a scanner's request, a TLS handshake or a timeout, an extra line).

use crate::access::{Edge, Generator};
use crate::config::SynthFormat;
use crate::digits::{push_secs, push_u64};
use crate::timeline::ScanRequest;

impl Generator<'_> {
    /// `%v:%p ` for the Apache vhost format.
    pub(crate) fn write_vhost(&self, buf: &mut Vec<u8>, api: bool, port: u16) {
        if self.cfg.format == SynthFormat::ApacheVhostCombined {
            buf.extend_from_slice(if api {
                b"api.example.com:"
            } else {
                b"www.example.com:"
            });
            push_u64(buf, u64::from(port));
            buf.push(b' ');
        }
    }

    /// `ip - user [time] "`.
    pub(crate) fn write_prefix(&mut self, buf: &mut Vec<u8>, client: usize, user: bool, ts: i64) {
        let c = &self.clients[client];
        buf.extend_from_slice(c.ip.as_bytes());
        buf.extend_from_slice(b" - ");
        buf.extend_from_slice(if user { c.user.as_bytes() } else { b"-" });
        buf.extend_from_slice(b" [");
        buf.extend_from_slice(self.time.access(ts));
        buf.extend_from_slice(b"] \"");
    }

    /// The `rt=... host=...` tail of [`SynthFormat::NginxUpstream`]; `peer`
    /// is the upstream node (`None`: nginx answered itself).
    pub(crate) fn write_upstream(
        &mut self,
        buf: &mut Vec<u8>,
        api: bool,
        status: u16,
        body: u64,
        peer: Option<u64>,
    ) {
        let rng = &mut self.rng;
        buf.extend_from_slice(b" rt=");
        let host: &[u8] = if api {
            b"api.example.com"
        } else {
            b"www.example.com"
        };
        let Some(peer) = peer else {
            let ms = if body > 100_000 {
                rng.range(5, 400)
            } else {
                rng.range(0, 3)
            };
            push_secs(buf, ms);
            buf.extend_from_slice(b" uct=\"-\" uht=\"-\" urt=\"-\" ua=\"-\" us=\"-\" host=");
            buf.extend_from_slice(host);
            return;
        };
        let uct = rng.range(0, 2);
        let (urt, uht) = match status {
            504 => (60_000 + rng.range(0, 2), None),
            502 => (rng.range(0, 2), None),
            501 | 405 => (rng.range(1, 4), Some(0)),
            _ => {
                let urt = match rng.below(100) {
                    0 => rng.range(900, 5_000),
                    1..=8 => rng.range(60, 900),
                    _ => rng.range(2, 60),
                };
                (urt, Some(urt.saturating_sub(rng.range(0, 2))))
            }
        };
        let rt = urt + rng.range(0, 4);
        push_secs(buf, rt);
        if status == 502 && rng.below(3) == 0 {
            // nginx tried the next upstream too: comma-separated lists.
            let next = if peer >= 10 + self.tl.nodes {
                11
            } else {
                peer + 1
            };
            buf.extend_from_slice(b" uct=\"-, -\" uht=\"-, -\" urt=\"");
            push_secs(buf, urt);
            buf.extend_from_slice(b", 0.000\" ua=\"10.0.1.");
            push_u64(buf, peer);
            buf.extend_from_slice(b":8080, 10.0.1.");
            push_u64(buf, next);
            buf.extend_from_slice(b":8080\" us=\"502, 502\" host=");
            buf.extend_from_slice(host);
            return;
        }
        buf.extend_from_slice(b" uct=\"");
        if status == 502 {
            buf.push(b'-');
        } else {
            push_secs(buf, uct);
        }
        buf.extend_from_slice(b"\" uht=\"");
        match uht {
            Some(ms) if status != 502 => push_secs(buf, ms.max(uct)),
            _ => buf.push(b'-'),
        }
        buf.extend_from_slice(b"\" urt=\"");
        push_secs(buf, urt.max(uct));
        buf.extend_from_slice(b"\" ua=\"10.0.1.");
        push_u64(buf, peer);
        buf.extend_from_slice(b":8080\" us=\"");
        push_u64(buf, u64::from(status));
        buf.extend_from_slice(b"\" host=");
        buf.extend_from_slice(host);
    }

    /// The TLS-handshake and timed-out request edge cases.
    pub(crate) fn write_broken_request(
        &mut self,
        buf: &mut Vec<u8>,
        ts: i64,
        ci: usize,
        kind: Edge,
    ) -> u16 {
        let fmt = self.cfg.format;
        let (status, body): (u16, u64) = if kind == Edge::Tls {
            (400, 157)
        } else {
            (408, 0)
        };
        self.write_vhost(buf, false, if kind == Edge::Tls { 80 } else { 443 });
        self.write_prefix(buf, ci, false, ts);
        if kind == Edge::Tls {
            buf.extend_from_slice(br"\x16\x03\x01\x00\xa5\x01");
        } else {
            buf.push(b'-');
        }
        buf.extend_from_slice(b"\" ");
        push_u64(buf, u64::from(status));
        buf.push(b' ');
        match fmt {
            SynthFormat::ApacheCommon | SynthFormat::ApacheCombined if body == 0 => buf.push(b'-'),
            _ => push_u64(buf, body),
        }
        if fmt != SynthFormat::ApacheCommon {
            buf.extend_from_slice(b" \"-\" \"-\"");
        }
        match fmt {
            SynthFormat::NginxMain => buf.extend_from_slice(b" \"-\""),
            SynthFormat::NginxUpstream => {
                buf.extend_from_slice(b" rt=");
                let ms = if kind == Edge::Tls {
                    self.rng.range(0, 40)
                } else {
                    60_000 + self.rng.range(0, 3)
                };
                push_secs(buf, ms);
                buf.extend_from_slice(b" uct=\"-\" uht=\"-\" urt=\"-\" ua=\"-\" us=\"-\" host=_");
            }
            _ => {}
        }
        status
    }

    /// Writes the next scanner request.
    pub(crate) fn write_next_scan(&mut self, buf: &mut Vec<u8>) {
        let req = self.tl.scans[self.next_scan];
        self.next_scan += 1;
        self.write_scan(buf, req);
        buf.push(b'\n');
        self.count_request(501, req.ts);
        self.matched[req.scenario] += 1;
    }

    /// One unsupported-method request, answered 501 by the front server.
    fn write_scan(&mut self, buf: &mut Vec<u8>, req: ScanRequest) {
        let fmt = self.cfg.format;
        self.write_vhost(buf, false, 443);
        let scanner = &self.tl.scanners[req.scanner];
        buf.extend_from_slice(scanner.ip.as_bytes());
        buf.extend_from_slice(b" - - [");
        buf.extend_from_slice(self.time.access(req.ts));
        buf.extend_from_slice(b"] \"");
        buf.extend_from_slice(req.method.as_bytes());
        buf.push(b' ');
        buf.extend_from_slice(req.path.as_bytes());
        buf.extend_from_slice(b" HTTP/1.1\" 501 ");
        match fmt {
            SynthFormat::ApacheVhostCombined => push_u64(buf, 181 + self.rng.range(180, 420)),
            _ => push_u64(buf, 181),
        }
        if fmt == SynthFormat::ApacheCommon {
            return;
        }
        buf.extend_from_slice(b" \"-\" \"");
        buf.extend_from_slice(scanner.ua.as_bytes());
        buf.push(b'"');
        match fmt {
            SynthFormat::NginxMain => buf.extend_from_slice(b" \"-\""),
            SynthFormat::NginxUpstream => {
                buf.extend_from_slice(b" rt=");
                push_secs(buf, self.rng.range(0, 2));
                buf.extend_from_slice(
                    b" uct=\"-\" uht=\"-\" urt=\"-\" ua=\"-\" us=\"-\" host=www.example.com",
                );
            }
            _ => {}
        }
    }

    /// One line in the configured format, without its newline. `peer` is the upstream node that
    /// answered (`None`: the front server answered itself).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn write_line(
        &mut self,
        buf: &mut Vec<u8>,
        ts: i64,
        ip: &str,
        ua: &str,
        request: &[u8],
        status: u16,
        body: u64,
        port: u16,
        peer: Option<u64>,
    ) {
        let fmt = self.cfg.format;
        let api = request
            .split(|&b| b == b' ')
            .nth(1)
            .is_some_and(|p| p.starts_with(b"/api/") || p.starts_with(b"/legacy-service/"));
        self.write_vhost(buf, api, port);
        buf.extend_from_slice(ip.as_bytes());
        buf.extend_from_slice(b" - - [");
        buf.extend_from_slice(self.time.access(ts));
        buf.extend_from_slice(b"] \"");
        buf.extend_from_slice(request);
        buf.extend_from_slice(b"\" ");
        self.write_status_body(buf, status, body);
        if fmt != SynthFormat::ApacheCommon {
            buf.extend_from_slice(b" \"-\" \"");
            buf.extend_from_slice(ua.as_bytes());
            buf.push(b'"');
            match fmt {
                SynthFormat::NginxMain => buf.extend_from_slice(b" \"-\""),
                SynthFormat::NginxUpstream => self.write_upstream(buf, api, status, body, peer),
                _ => {}
            }
        }
    }

    /// The status and the body size as the format writes them (Apache's
    /// `-` for no body; the vhost format's `%O` counts the headers too).
    pub(crate) fn write_status_body(&mut self, buf: &mut Vec<u8>, status: u16, body: u64) {
        push_u64(buf, u64::from(status));
        buf.push(b' ');
        match self.cfg.format {
            SynthFormat::ApacheCommon | SynthFormat::ApacheCombined if body == 0 => buf.push(b'-'),
            SynthFormat::ApacheVhostCombined => push_u64(buf, body + self.rng.range(180, 420)),
            _ => push_u64(buf, body),
        }
    }
}
