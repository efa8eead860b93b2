#!/usr/bin/env python3
"""Reads a simulator request log and reports the achieved rate and the largest burst.

rate_check.py LOG RATE BURST
"""
import json
import sys
from datetime import datetime

log, rate, burst = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
times = []
for line in open(log):
    try:
        rec = json.loads(line)
    except ValueError:
        continue
    # Requests to start a contact only: not the simulator's `ended` events or other operations.
    if rec.get("event") is not None or rec.get("operation", "StartOutboundVoiceContact") != "StartOutboundVoiceContact":
        continue
    t = rec["t"]
    times.append(datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp() if isinstance(t, str) else float(t))
times.sort()
n = len(times)
span = times[-1] - times[0]
# After the initial burst, requests follow the rate: (n - burst) intervals of 1/rate.
achieved = (n - burst) / span if span > 0 else float("inf")
# Largest number of requests inside any window of one token interval (a burst above B would show).
window = 1.0 / rate
most, j = 0, 0
for i in range(n):
    while times[i] - times[j] >= window:
        j += 1
    most = max(most, i - j + 1)
# A token bucket allows at most B + rate*w requests in any window w.
allowed = int(burst + rate * window)
err = abs(achieved - rate) / rate * 100
print(f"{n} requests over {span:.2f}s: achieved {achieved:.2f}/s against --rate {rate:g} ({err:.1f}% off, target <= 2%);"
      f" most in any {window*1000:.0f} ms window {most} (bucket allows {allowed}: burst {burst} + refill)")
