#!/usr/bin/env bash
# Writes N (default 1,000,000) access-log lines in nginx combined format in
# which every request has its own client, path and User-Agent, all answered
# 501, spread over one day: the worst case for the counters' caps.
#   benches/unique.sh 1000000 > /tmp/unique.log
#   /usr/bin/time -f '%e s %M KB' target/release/fiveohone -j 1 /tmp/unique.log
set -euo pipefail
awk -v n="${1:-1000000}" 'function word(i,   s, k) {
    s = ""
    for (k = 0; k < 5; k++) { s = s sprintf("%c", 97 + i % 26); i = int(i / 26) }
    return s
}
BEGIN {
    for (i = 0; i < n; i++) {
        t = int(86400 * i / n)
        w = word(i)
        printf "%d.%d.%d.%d - - [07/May/2026:%02d:%02d:%02d +0000] \"GET /shop/%s/view-%s HTTP/1.1\" 501 181 \"-\" \"Agent%s/%d.0 (X11; Linux x86_64) Browser%s/%d\"\n",
            10 + int(i / 16777216), int(i / 65536) % 256, int(i / 256) % 256, i % 256,
            int(t / 3600), int(t / 60) % 60, t % 60, w, word(i * 7), w, i % 1000, w, i
    }
}'
