//! What the generator reports back: exact counts of what it wrote.

use serde::Serialize;
use std::collections::BTreeMap;

/// Exact counts of what the generator wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Truth {
    /// Non-blank lines written (`requests + garbage + error_lines`). This is
    /// [`SynthConfig::lines`](crate::SynthConfig::lines) plus the requests scenarios add on top of the
    /// baseline traffic (a traffic spike's extra requests, a scanner's
    /// requests).
    pub lines: u64,
    /// Empty lines written.
    pub blank: u64,
    /// Lines that are not valid log lines.
    pub garbage: u64,
    /// Error-log lines (nginx or Apache layout) written among the access
    /// lines: real log lines, but not requests.
    pub error_lines: u64,
    /// Valid log lines (including edge cases such as TLS garbage requests answered 400).
    pub requests: u64,
    /// Valid lines per status code.
    pub by_status: BTreeMap<u16, u64>,
    /// Valid lines with status 501.
    pub status_501: u64,
    /// Timestamp of the first valid line, unix seconds UTC (0 when there is none).
    pub first: i64,
    /// Timestamp of the last valid line, unix seconds UTC (0 when there is none).
    pub last: i64,
    /// Bytes written, uncompressed, newlines and blank lines included.
    pub bytes: u64,
    /// One entry per injected scenario, in start order.
    pub scenarios: Vec<ScenarioTruth>,
    /// Every reload the timeline's error log holds ([`generate_error_log`](crate::generate_error_log)
    /// writes them), unix seconds UTC, oldest first: post-deploy reloads and
    /// benign daily deploys. Filled by every generating function, whether or
    /// not an error log is written.
    pub deploys: Vec<i64>,
}

/// What one injected scenario did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScenarioTruth {
    /// The [`ScenarioKind::label`](crate::ScenarioKind::label).
    pub label: String,
    /// First second of its window, unix seconds UTC (clipped to the span).
    pub start: i64,
    /// End of its window, exclusive, unix seconds UTC (clipped to the span).
    pub end: i64,
    /// 501 lines this scenario caused (stray 501s and generic bursts are
    /// never counted here).
    pub matched: u64,
    /// What failed: `ios app` or `android app` (device_specific), the node
    /// `10.0.1.13:8080` (upstream_node), the route (route_misconfig),
    /// `PROPFIND,MKCOL,FOOBAR from 45.146.165.37` (unsupported_method: the
    /// methods, then the scanner addresses), `reload at …Z, 44% of app
    /// requests` (post_deploy), `x3.6 traffic, 14% of requests`
    /// (traffic_spike). The [incidents](crate::ScenarioKind::INCIDENTS) say more:
    /// `ios app: 52% of its requests, 02:00–04:30 local`, `10.0.1.12:8080
    /// (1 of 4 nodes) lacks PATCH /legacy-service/accounts/<id> during a
    /// rollout, …`, `reload at …, 3 of 9 app routes (…) at 80%; rolled back by
    /// a reload at …`, `SEARCH / probes: 41 requests from 167.106.119.28, …`
    /// (the group, node or route first; what was sent, then the addresses,
    /// last).
    pub detail: String,
}

/// Exact counts of an error log [`generate_error_log`](crate::generate_error_log) wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ErrorTruth {
    /// Lines written.
    pub lines: u64,
    /// Reload times, unix seconds UTC, oldest first (the same as
    /// [`Truth::deploys`]).
    pub reloads: Vec<i64>,
    /// Events per kind, as fiveohone's event table
    /// (`grammars/error-events.conf`) classifies them: `reload` counts whole
    /// reload sequences (each is several lines, none of them counted
    /// elsewhere except the sequence's plain `other` lines such as `exiting`);
    /// `upstream_timeout`, `upstream_refused`, `worker_exhaustion`,
    /// `invalid_method` and `other` count lines. All six keys are present.
    pub by_kind: BTreeMap<String, u64>,
}
