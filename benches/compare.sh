#!/usr/bin/env bash
# Whole-process comparison on one generated nginx combined log, side by side
# in one run (compare ratios: the machine is shared and noisy).
#
#   benches/compare.sh [SIZE]        # default 440M
#
# Needs a release build of both binaries (cargo build --release --workspace).
# Optional competitors are run when installed: mawk, goaccess (apt-get
# install goaccess), lnav.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-440M}
data=target/bench-data
log=$data/access-$size.log
mkdir -p "$data"
if [ ! -f "$log" ]; then
  target/release/fiveohone-gen --seed 440 --size "$size" -o "$log.tmp" --truth "$log.truth.json"
  mv "$log.tmp" "$log"
fi
bytes=$(stat -c %s "$log")
cat "$log" > /dev/null   # page cache

measure() { # name, command...
  local name=$1; shift
  local best=""
  for _ in 1 2 3; do
    local out
    out=$( { /usr/bin/time -f "%e %M" "$@" > /dev/null; } 2>&1 | tail -1)
    local secs=${out% *} kb=${out#* }
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < ${best% *})}"; then best="$secs $kb"; fi
  done
  local secs=${best% *} kb=${best#* }
  awk -v n="$name" -v s="$secs" -v k="$kb" -v b="$bytes" \
    'BEGIN{printf "%-34s %7.2f s %8.0f MB/s %7.0f MB peak RSS\n", n, s, b/1e6/(s>0?s:0.001), k/1024}'
}

echo "input: $log ($((bytes / 1000000)) MB), $(nproc) cores"
measure "fiveohone (full report, JSON)" target/release/fiveohone --json "$log"
measure "fiveohone -j 1" target/release/fiveohone -j 1 --json "$log"
measure "mawk '\$9==501' (one field)" mawk '$9==501' "$log"
if command -v goaccess >/dev/null; then
  jobs=()
  goaccess --help 2>&1 | grep -q -- '--jobs' && jobs=(--jobs=2)
  measure "goaccess $(goaccess --version | head -1 | grep -o '[0-9.]*[0-9]') ${jobs[*]:-} (JSON)" \
    goaccess "$log" --log-format=COMBINED "${jobs[@]}" -o json
fi
if command -v lnav >/dev/null; then
  measure "lnav (count 501)" lnav -n -c ";SELECT count(*) FROM access_log WHERE sc_status = 501" "$log"
fi
