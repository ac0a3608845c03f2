#!/usr/bin/env python3
"""Writes a wrk Lua script that replays one TC3-signed cvm-sim request.

    perf/wrk-signed.py URL ACTION BODY OUT.lua

wrk cannot compute HMAC-SHA256 per request, but a TC3 signature stays valid for 300 s and
the sim (like Tencent) does not reject replays: sign once (Python's standard library, the
documented algorithm) with the sim's default credential, replay for up to five minutes.
The last line is a comment holding the headers as JSON, so a caller can check the signed
request succeeds before timing it.
"""
import hashlib, hmac, json, sys, time
url, action, body, path = sys.argv[1:]
host = url.split("//", 1)[1]
sid, key = "AKIDcvmsim00000000000000000000000000", "cvmsimSecretKey0000000000000000000"
ts = int(time.time()); date = time.strftime("%Y-%m-%d", time.gmtime(ts))
ct = "application/json"
canonical = f"POST\n/\n\ncontent-type:{ct}\nhost:{host}\n\ncontent-type;host\n" + hashlib.sha256(body.encode()).hexdigest()
scope = f"{date}/cvm/tc3_request"
sts = f"TC3-HMAC-SHA256\n{ts}\n{scope}\n" + hashlib.sha256(canonical.encode()).hexdigest()
h = lambda k, m: hmac.new(k, m.encode(), hashlib.sha256).digest()
k = h(h(h(("TC3" + key).encode(), date), "cvm"), "tc3_request")
sig = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
headers = {"Content-Type": ct, "Host": host, "X-TC-Action": action, "X-TC-Version": "2017-03-12",
           "X-TC-Timestamp": str(ts), "X-TC-Region": "ap-guangzhou",
           "Authorization": f"TC3-HMAC-SHA256 Credential={sid}/{scope}, SignedHeaders=content-type;host, Signature={sig}"}
with open(path, "w") as f:
    f.write('wrk.method = "POST"\nwrk.body = %s\n' % json.dumps(body))
    for k, v in headers.items():
        f.write("wrk.headers[%s] = %s\n" % (json.dumps(k), json.dumps(v)))
    # One curl-able copy of the headers, to check the answer is a success first.
    f.write("-- " + json.dumps(headers) + "\n")
