#!/usr/bin/env python3
"""Appends combined-format lines at RATE lines/s, every line from a new
client (address and user agent), for SECONDS; every 30 s writes the
follower's RSS and CPU time (from /proc/PID) to OUT.

usage: live_load.py LOG RATE SECONDS PID OUT"""
import sys, time, random, os
log, rate, seconds, pid, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
rnd = random.Random(7)
methods = ["GET"] * 8 + ["POST", "PUT", "PROPFIND"]
uas = ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_%d like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 app/%d",
       "okhttp/4.%d.%d", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/%d.0.%d Safari/537.36",
       "Dalvik/2.1.0 (Linux; U; Android %d; SM-G%d Build/TP1A)"]
n = 0
start = time.time()
f = open(log, "a", buffering=1 << 16)
rss = open(out, "w")
next_sample = start
while True:
    now = time.time()
    el = now - start
    if el >= seconds:
        break
    if now >= next_sample:
        try:
            st = open(f"/proc/{pid}/status").read()
            v = {l.split(":")[0]: l.split(":")[1].strip() for l in st.splitlines() if ":" in l}
            t = open(f"/proc/{pid}/stat").read().split()
            cpu = (int(t[13]) + int(t[14])) / os.sysconf("SC_CLK_TCK")
            rss.write(f"{el:.0f} lines={n} VmRSS={v['VmRSS']} VmHWM={v['VmHWM']} cpu_s={cpu:.2f}\n"); rss.flush()
        except FileNotFoundError:
            break
        next_sample += 30
    want = int(el * rate)
    buf = []
    ts = time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now))
    while n < want:
        ip = f"{(n >> 24) % 200 + 10}.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"
        ua = rnd.choice(uas) % (rnd.randrange(100), n % 100000)
        st = 501 if rnd.random() < 0.03 else 200
        buf.append(f'{ip} - - [{ts}] "{rnd.choice(methods)} /api/v1/items/{n} HTTP/1.1" {st} {rnd.randrange(9999)} "https://shop.example/p/{n % 977}" "{ua}"\n')
        n += 1
    f.write("".join(buf)); f.flush()
    time.sleep(0.05)
print(n, "lines")
