#!/usr/bin/env python3
"""The JavaScript heap of the instance list's rows, measured in JavaScriptCore itself.

    perf/row-heap.py ROWS.json [N]

WebKit gives a page no `performance.memory`, so this runs the app's own row store
(perf/row-heap.ts: ui/src/features/instances/rows.ts and states.ts, bundled with rolldown)
in the JavaScriptCore library the web view uses (libjavascriptcoregtk-4.1, through its C
API), feeds it the rows as the backend sends them (ROWS.json: the cached lists that
`perf/app-bench.mjs --dump-rows` saved, split into pages of 100 as the listing streams
them, as JSON text the store parses), and reads the heap after a synchronous full
collection (`JSSynchronousGarbageCollectForDebugging`, `JSGetMemoryUsageStatistics`).
Each variant (rows as parsed, rows interned) runs in a fresh context, three times;
the medians are printed as JSON, with the filter's own time per keystroke (typing and
deleting "web-prod": the first key builds the search strings, later ones narrow or reuse
earlier answers; wall time of the call, JIT tiers included).
"""
import ctypes
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

root = Path(__file__).resolve().parent.parent
jsc = ctypes.CDLL("libjavascriptcoregtk-4.1.so.0")
P = ctypes.c_void_p
jsc.JSGlobalContextCreate.restype = P
jsc.JSGlobalContextCreate.argtypes = [P]
jsc.JSGlobalContextRelease.argtypes = [P]
jsc.JSStringCreateWithUTF8CString.restype = P
jsc.JSStringCreateWithUTF8CString.argtypes = [ctypes.c_char_p]
jsc.JSStringRelease.argtypes = [P]
jsc.JSEvaluateScript.restype = P
jsc.JSEvaluateScript.argtypes = [P, P, P, P, ctypes.c_int, ctypes.POINTER(P)]
jsc.JSValueToNumber.restype = ctypes.c_double
jsc.JSValueToNumber.argtypes = [P, P, ctypes.POINTER(P)]
jsc.JSValueCreateJSONString.restype = P
jsc.JSValueCreateJSONString.argtypes = [P, P, ctypes.c_uint, ctypes.POINTER(P)]
jsc.JSStringGetMaximumUTF8CStringSize.restype = ctypes.c_size_t
jsc.JSStringGetMaximumUTF8CStringSize.argtypes = [P]
jsc.JSStringGetUTF8CString.restype = ctypes.c_size_t
jsc.JSStringGetUTF8CString.argtypes = [P, ctypes.c_char_p, ctypes.c_size_t]
jsc.JSValueMakeString.restype = P
jsc.JSValueMakeString.argtypes = [P, P]
jsc.JSObjectCallAsFunction.restype = P
jsc.JSObjectCallAsFunction.argtypes = [P, P, P, ctypes.c_size_t, ctypes.POINTER(P), ctypes.POINTER(P)]
jsc.JSValueProtect.argtypes = [P, P]
jsc.JSValueUnprotect.argtypes = [P, P]
jsc.JSSynchronousGarbageCollectForDebugging.argtypes = [P]
jsc.JSGetMemoryUsageStatistics.restype = P
jsc.JSGetMemoryUsageStatistics.argtypes = [P]


def to_text(ctx, value):
    s = jsc.JSValueCreateJSONString(ctx, value, 0, None)
    n = jsc.JSStringGetMaximumUTF8CStringSize(s)
    buf = ctypes.create_string_buffer(n)
    jsc.JSStringGetUTF8CString(s, buf, n)
    jsc.JSStringRelease(s)
    return buf.value.decode()


def run(ctx, code):
    script = jsc.JSStringCreateWithUTF8CString(code.encode())
    exc = P()
    value = jsc.JSEvaluateScript(ctx, script, None, None, 1, ctypes.byref(exc))
    jsc.JSStringRelease(script)
    if exc.value:
        sys.exit(f"JavaScript error: {to_text(ctx, exc)}")
    return value


def call(ctx, fn, text):
    """Calls `fn` with a string made from `text` (not source code: an evaluated script's
    source and its literals may stay cached by the engine, and would count as rows)."""
    js = jsc.JSStringCreateWithUTF8CString(text.encode())
    arg = P(jsc.JSValueMakeString(ctx, js))
    jsc.JSStringRelease(js)
    exc = P()
    value = jsc.JSObjectCallAsFunction(ctx, fn, None, 1, ctypes.byref(arg), ctypes.byref(exc))
    if exc.value:
        sys.exit(f"JavaScript error: {to_text(ctx, exc)}")
    return value


def heap(ctx):
    """Live heap after a full collection (bytes), and the objects in it."""
    jsc.JSSynchronousGarbageCollectForDebugging(ctx)
    jsc.JSSynchronousGarbageCollectForDebugging(ctx)
    stats = json.loads(to_text(ctx, jsc.JSGetMemoryUsageStatistics(ctx)))
    return stats["heapSize"] + stats["extraMemorySize"], stats["objectCount"]


def main():
    rows_file = sys.argv[1]
    lists = json.load(open(rows_file))
    rows = [i for l in lists for i in l["instances"]]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else len(rows)
    rows = rows[:n]
    pages = [json.dumps(rows[k : k + 100]) for k in range(0, len(rows), 100)]
    bundle = root / "target-crates" / "perf" / "row-heap.js"
    bundle.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["npx", "rolldown", str(root / "perf/row-heap.ts"), "--format", "iife",
         "--platform", "neutral", "--file", str(bundle)],
        cwd=root / "ui", check=True, capture_output=True)
    code = bundle.read_text()
    out = {"rows": len(rows), "engine": "JavaScriptCore (libjavascriptcoregtk-4.1, C API)"}
    for variant, intern in (("asParsed", "false"), ("interned", "true")):
        samples = []
        for _ in range(3):
            ctx = jsc.JSGlobalContextCreate(None)
            run(ctx, code)
            run(ctx, f"rowHeap.start({intern})")
            page = run(ctx, "rowHeap.page")
            jsc.JSValueProtect(ctx, page)
            empty, objs0 = heap(ctx)
            for p in pages:
                # The page text as the IPC response delivers it: a string the store parses.
                call(ctx, page, p)
            listed, objs1 = heap(ctx)
            shown = run(ctx, 'rowHeap.type("web-prod")')
            filtered, _ = heap(ctx)
            # The filter's own work per keystroke, typing and deleting "web-prod" as the
            # app benchmark does (a new filter: the first key builds the search strings).
            run(ctx, "rowHeap.start(" + intern + ")")
            for p in pages:
                call(ctx, page, p)
            key = run(ctx, "rowHeap.key")
            jsc.JSValueProtect(ctx, key)
            word = "web-prod"
            texts = [word[:k] for k in range(1, 9)] + [word[:k] for k in range(7, -1, -1)]
            times = []
            for t in texts:
                t0 = time.perf_counter()
                call(ctx, key, t)
                times.append((time.perf_counter() - t0) * 1000)
            jsc.JSValueUnprotect(ctx, key)
            samples.append({
                "firstKeyMs": times[0],
                "otherKeysMedianMs": statistics.median(times[1:]),
                "otherKeysMaxMs": max(times[1:]),
                "listedBytesPerRow": (listed - empty) / len(rows),
                "objectsPerRow": (objs1 - objs0) / len(rows),
                "searchBytesPerRow": (filtered - listed) / len(rows),
                "listedMiB": (listed - empty) / 2**20,
                "withSearchMiB": (filtered - empty) / 2**20,
                "shown": jsc.JSValueToNumber(ctx, shown, None),
            })
            jsc.JSValueUnprotect(ctx, page)
            jsc.JSGlobalContextRelease(ctx)
        out[variant] = {k: statistics.median(s[k] for s in samples) for k in samples[0]}
    print(json.dumps(out, indent=2))


main()
