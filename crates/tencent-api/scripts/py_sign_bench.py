#!/usr/bin/env python3
"""Times the official Python SDK's TC3 signer on the payloads of benches/sign.rs.

    .venv/bin/python crates/tencent-api/scripts/py_sign_bench.py

Measures `AbstractClient._get_tc3_signature` (canonical request + string to sign + key
derivation + HMAC), i.e. the same work as `tencent_api::sign::sign`, not HTTP.
"""
import timeit

from tencentcloud.common import credential
from tencentcloud.common.http.request import RequestInternal
from tencentcloud.cvm.v20170312 import cvm_client

KEY = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"
example = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
hundred = '{"InstanceIds": [%s]}' % ", ".join('"ins-%08d"' % i for i in range(100))
big = '{"UserData": "%s"}' % ("A" * 64 * 1024)

client = cvm_client.CvmClient(credential.Credential("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", KEY), "ap-guangzhou")


def case(method, body, query=""):
    req = RequestInternal("cvm.tencentcloudapi.com", method, "/")
    req.header["Content-Type"] = "application/json" if method == "POST" else "application/x-www-form-urlencoded"
    req.header["Host"] = "cvm.tencentcloudapi.com"
    req.header["X-TC-Timestamp"] = "1700000000"
    req.data = body if method == "POST" else query
    return lambda: client._get_tc3_signature({}, req, "2023-11-14", "cvm", KEY)


cases = [
    ("example_a", case("POST", example)),
    ("stop_100_ids", case("POST", hundred)),
    ("body_64k", case("POST", big)),
    ("get_query", case("GET", "", "Filters.0.Name=zone&Filters.0.Values.0=ap-guangzhou-3&Limit=100&Offset=0")),
]
for name, f in cases:
    n, _ = timeit.Timer(f).autorange()
    best = min(timeit.repeat(f, number=n, repeat=5)) / n
    print(f"{name:14s} {best * 1e6:9.2f} µs")
