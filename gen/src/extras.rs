//! What the timeline adds to the traffic, written in time order among it:
//! the scanners' requests, the extra lines (junk, probes, monitors, the
//! background scanner), and a partial rollout's requests with the retries
//! of those its node refused.

use crate::access::Generator;
use crate::digits::{push_hex_fixed, push_u64};
use crate::incidents::{Retry, ROLLOUT_ROUTES};
use crate::vocab::USER_AGENTS;

impl Generator<'_> {
    /// The time of the next scanner request, extra line or retry.
    pub(crate) fn next_due(&self) -> Option<i64> {
        [
            self.tl.scans.get(self.next_scan).map(|r| r.ts),
            self.tl.extras.get(self.next_extra).map(|e| e.ts),
            self.pending.first().map(|p| p.ts),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// Writes the scanner requests, extra lines and retries due at or
    /// before `upto`, in time order.
    pub(crate) fn write_due(&mut self, buf: &mut Vec<u8>, upto: i64) {
        loop {
            let scan = self.tl.scans.get(self.next_scan).map(|r| r.ts);
            let extra = self.tl.extras.get(self.next_extra).map(|e| e.ts);
            let retry = self.pending.first().map(|p| p.ts);
            let Some(t) = [scan, extra, retry].into_iter().flatten().min() else {
                return;
            };
            if t > upto {
                return;
            }
            if scan == Some(t) {
                self.write_next_scan(buf);
            } else if extra == Some(t) {
                let e = self.tl.extras[self.next_extra].clone();
                self.next_extra += 1;
                let c = &self.tl.scanners[e.client];
                let (ip, ua) = (c.ip.clone(), c.ua);
                let body = if e.request.starts_with(b"HEAD ") {
                    0
                } else {
                    e.body
                };
                self.write_line(buf, e.ts, &ip, ua, &e.request, e.status, body, e.port, None);
                buf.push(b'\n');
                self.count_request(e.status, e.ts);
                if let Some(i) = e.scenario {
                    if e.status == 501 {
                        self.matched[i] += 1;
                    }
                }
            } else {
                let r = self.pending.remove(0);
                let c = &self.clients[r.client];
                let (ip, ua) = (c.ip.clone(), USER_AGENTS[c.ua]);
                let mut request = Vec::with_capacity(r.path.len() + 20);
                request.extend_from_slice(r.method.as_bytes());
                request.push(b' ');
                request.extend_from_slice(&r.path);
                request.push(b' ');
                request.extend_from_slice(c.proto.as_bytes());
                let (status, body) = self.rollout_ok(r.method);
                self.write_line(
                    buf,
                    r.ts,
                    &ip,
                    ua,
                    &request,
                    status,
                    body,
                    443,
                    Some(r.node),
                );
                buf.push(b'\n');
                self.count_request(status, r.ts);
            }
        }
    }

    /// The answer of a node that implements `method` on the rollout route.
    fn rollout_ok(&mut self, method: &str) -> (u16, u64) {
        match method {
            "GET" if self.rng.below(100) < 4 => (404, self.rng.range(25, 80)),
            "GET" => (200, self.rng.range(200, 3_000)),
            "POST" => (201, self.rng.range(120, 600)),
            _ => (200, self.rng.range(150, 900)),
        }
    }

    /// A request to a partial rollout's route; its status.
    pub(crate) fn write_rollout(&mut self, buf: &mut Vec<u8>, ts: i64, ci: usize, i: usize) -> u16 {
        let s = &self.tl.scenarios[i];
        let Some(ro) = s.rollout else {
            return 0;
        };
        let (start, end, bad) = (s.start, s.end, s.node);
        let (missing, before, id, after, _) = ROLLOUT_ROUTES[ro.route];
        let method = if self.rng.below(100) < ro.method_pct {
            missing
        } else {
            "GET"
        };
        let mut path = Vec::with_capacity(64);
        path.extend_from_slice(before.as_bytes());
        if id == 0 {
            push_u64(&mut path, self.rng.range(100_000, 999_999));
        } else {
            let a = self.rng.next_u64();
            let b = self.rng.next_u64();
            push_hex_fixed(&mut path, a >> 32, 8);
            path.push(b'-');
            push_hex_fixed(&mut path, a >> 16, 4);
            path.extend_from_slice(b"-4");
            push_hex_fixed(&mut path, a, 3);
            path.push(b'-');
            push_hex_fixed(&mut path, 0x8 | (b >> 62), 1);
            push_hex_fixed(&mut path, b >> 48, 3);
            path.push(b'-');
            push_hex_fixed(&mut path, b, 12);
        }
        path.extend_from_slice(after.as_bytes());
        let nodes = self.tl.nodes;
        let node = self.rng.range(11, 10 + nodes);
        let fails = method == missing && ts >= start && ts < end && node == bad;
        let (status, body) = if fails {
            self.matched[i] += 1;
            (501, 181)
        } else {
            self.rollout_ok(method)
        };
        let c = &self.clients[ci];
        let (ip, ua) = (c.ip.clone(), USER_AGENTS[c.ua]);
        let mut request = Vec::with_capacity(path.len() + 20);
        request.extend_from_slice(method.as_bytes());
        request.push(b' ');
        request.extend_from_slice(&path);
        request.push(b' ');
        request.extend_from_slice(c.proto.as_bytes());
        self.write_line(buf, ts, &ip, ua, &request, status, body, 443, Some(node));
        if fails {
            // The client retries; round robin sends it to the next node.
            let last = self.cfg.start.saturating_add(self.cfg.duration_secs.max(1)) - 1;
            let other = 11 + (node - 11 + self.rng.range(1, nodes - 1)) % nodes;
            let retry = Retry {
                ts: (ts + self.rng.range(1, 2) as i64).min(last).max(ts),
                client: ci,
                method,
                path,
                node: other,
            };
            let at = self.pending.partition_point(|p| p.ts <= retry.ts);
            self.pending.insert(at, retry);
        }
        status
    }
}
