#!/usr/bin/env python3
"""Cuts a system-wide CPU profile of one app start into the start's phases.

    perf record -a -g -F 999 --clockid CLOCK_REALTIME -o start.perf -- \
        node perf/start-trace.mjs --app BIN --runs 1 > trace.txt
    python3 perf/profile-phases.py start.perf trace.txt

start-trace.mjs prints each milestone as `EPOCH <ms> <what>`; the samples of the app's
processes (the app, WebKitWebProcess, WebKitNetworkProcess; found by the pids the trace
names) are counted per phase, per process and per library of the sampled instruction, so
"where did the 190 ms between the scripts running and the first paint go" has an answer
in CPU milliseconds (samples / frequency) instead of a guess.
"""
import collections
import re
import subprocess
import sys

perf_file, trace_file = sys.argv[1], sys.argv[2]
freq = float(sys.argv[3]) if len(sys.argv) > 3 else 999.0

marks, pids = [], {}
for line in open(trace_file, encoding="utf8"):
    m = re.match(r"EPOCH (\S+) (.*)", line.strip())
    if not m:
        continue
    t, what = float(m.group(1)), m.group(2)
    e = re.match(r"exec (\S+) \(pid (\d+)\)", what)
    if e:
        pids[int(e.group(2))] = e.group(1)
    if not what.startswith(("open ", "connect ")):
        marks.append((t, what))
marks.sort()

# Phases: between consecutive milestones that are not process starts.
cuts = [(t, w) for t, w in marks if not w.startswith("exec ")] or marks
first_exec = min(t for t, w in marks if w.startswith("exec "))
bounds = [(first_exec, "exec")] + [c for c in cuts if c[0] > first_exec]

out = subprocess.run(
    ["perf", "script", "-i", perf_file, "-F", "pid,tid,time,ip,dso"],
    capture_output=True, text=True, check=True,
).stdout
samples = []  # (time ms, process, leaf dso)
head = re.compile(r"^\s*(\d+)/(\d+)\s+([\d.]+):\s*$")
cur = None
for line in out.splitlines():
    h = head.match(line)
    if h:
        pid = int(h.group(1))
        cur = [float(h.group(3)) * 1000, pid, None] if pid in pids else None
        if cur:
            samples.append(cur)
        continue
    if cur is not None and cur[2] is None and line.strip():
        d = re.search(r"\(([^)]*)\)\s*$", line)
        cur[2] = (d.group(1).rsplit("/", 1)[-1] if d else "?") or "?"

ms = 1000.0 / freq
for (t0, w0), (t1, w1) in zip(bounds, bounds[1:]):
    inside = [s for s in samples if t0 <= s[0] < t1]
    print(f"\n{t0 - first_exec:7.0f} → {t1 - first_exec:7.0f} ms  ({w0} → {w1}): "
          f"{len(inside) * ms:.0f} CPU-ms in the app's processes over {t1 - t0:.0f} ms")
    by_proc = collections.Counter(pids[s[1]] for s in inside)
    for proc, n in by_proc.most_common():
        libs = collections.Counter(s[2] for s in inside if pids[s[1]] == proc)
        top = ", ".join(f"{lib} {c * ms:.0f}" for lib, c in libs.most_common(6))
        print(f"    {proc:<22} {n * ms:5.0f} CPU-ms   {top}")
