#!/usr/bin/env python3
"""24 hours of log time, every line a new client (address, user agent,
host, upstream), 3% 501s, written as fast as the follower reads; samples
the follower's RSS after each million lines."""
import sys, time, random
log, total, pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(3)
start = 1796169600  # 2026-12-01T00:00:00Z
step = 86400 / total
with open(log, "a") as f:
    for m in range(total // 100000):
        buf = []
        for k in range(100000):
            n = m * 100000 + k
            t = start + n * step
            ts = time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(t))
            ip = f"{(n >> 24) % 200 + 10}.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"
            st = 501 if n % 33 == 0 else 200
            buf.append(f'{ip} - - [{ts}] "{"PROPFIND" if n % 66 == 0 else "GET"} /api/v1/items/{n} HTTP/1.1" {st} 12 "https://r{n}.example/" "client/{n} (iPhone; iOS 17)"\n')
        f.write("".join(buf)); f.flush()
        if m % 10 == 9:
            time.sleep(2)
            st = open(f"/proc/{pid}/status").read()
            v = {l.split(":")[0]: l.split(":")[1].strip() for l in st.splitlines() if ":" in l}
            print(f"{(m+1)/10:.0f}M lines: VmRSS={v['VmRSS']} VmHWM={v['VmHWM']}", flush=True)
