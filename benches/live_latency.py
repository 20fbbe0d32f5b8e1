#!/usr/bin/env python3
"""Latency from the line that tips a burst to `started`, over N trials.

usage: live_latency.py BINARY TRIALS [trickle]

Each trial writes an hour of calm history (one line a second, up to now),
starts `BINARY --follow --json`, then appends 120 501s at once (or, with
`trickle`, one 501 and one 200 every 50 ms) and times the `started` event
from the last line written."""
import subprocess, sys, time, os, shutil, json, statistics, selectors
binary, trials = sys.argv[1], int(sys.argv[2])
def line(t, status, i):
    ts = time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(t))
    return f'10.0.{i % 250}.{i % 7} - - [{ts}] "GET /api/v1/cart/{i % 40} HTTP/1.1" {status} 12 "-" "okhttp/4.{i % 9}"\n'
out = []
for trial in range(trials):
    d = f"/tmp/fiveohone-latency-{os.getpid()}-{trial}"
    shutil.rmtree(d, ignore_errors=True); os.makedirs(d)
    log = f"{d}/access.log"
    now = time.time()
    with open(log, "w") as f:
        # an hour of calm traffic, one line a second, up to now
        for i, t in enumerate(range(int(now) - 3600, int(now))):
            f.write(line(t, 200, i))
    p = subprocess.Popen([binary, "--follow", "--json", d], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # ready when it says it follows
    while "following" not in p.stderr.readline():
        pass
    time.sleep(0.5)
    trickle = len(sys.argv) > 3
    f = open(log, "a", buffering=1)
    written = 0
    if not trickle:
        f.write("".join(line(time.time(), 501, i) for i in range(120)))
        written = 120
    tipped = time.time()
    got = None
    sel = selectors.DefaultSelector(); sel.register(p.stdout, selectors.EVENT_READ)
    while time.time() - tipped < 60:
        if trickle:
            f.write(line(time.time(), 501, written)); f.write(line(time.time(), 200, written))
            written += 1
            tipped = time.time()
        if sel.select(timeout=0.05):
            l = p.stdout.readline()
            if '"event":"started"' in l:
                got = time.time() - tipped
                break
    f.close()
    print(f"  501s written: {written}", flush=True)
    p.terminate(); p.wait()
    out.append(got)
    print(f"trial {trial}: {got}", flush=True)
    shutil.rmtree(d, ignore_errors=True)
ok = [x for x in out if x is not None]
print(f"{len(ok)}/{trials} started; median {statistics.median(ok):.3f} s, worst {max(ok):.3f} s")
