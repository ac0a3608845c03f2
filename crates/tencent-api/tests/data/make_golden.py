#!/usr/bin/env python3
"""Makes golden_sdk.json: TC3 signatures computed by the official Python SDK's own request
builder (tencentcloud-sdk-python-common, `AbstractClient._build_req_inter`) with the clock
pinned. tests/golden.rs re-signs each case with our signer and compares.

    .venv/bin/python crates/tencent-api/tests/data/make_golden.py

The keys are Tencent's published EXAMPLE keys; nothing here is a real secret.
"""
import json
import os
import sys
from unittest import mock

from tencentcloud.common import credential
from tencentcloud.common.http.request import RequestInternal
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.cvm.v20170312 import cvm_client
from tencentcloud.vpc.v20170312 import vpc_client
from importlib.metadata import version

SECRET_ID = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"
SECRET_KEY = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"

CASES = [
    # (name, service, action, region, method, endpoint, params, timestamp, token, unsigned, language)
    ("post-describe-instances-filters", "cvm", "DescribeInstances", "ap-guangzhou", "POST", "cvm.tencentcloudapi.com",
     {"Filters": [{"Name": "zone", "Values": ["ap-guangzhou-3"]}], "Limit": 100, "Offset": 0}, 1700000000, None, False, "zh-CN"),
    ("post-start-instances", "cvm", "StartInstances", "ap-guangzhou", "POST", "cvm.tencentcloudapi.com",
     {"InstanceIds": ["ins-r8hr2upy", "ins-5d8a23rs"]}, 1700000000, None, False, "zh-CN"),
    ("post-non-ascii-name-token", "cvm", "ModifyInstancesAttribute", "ap-shanghai", "POST", "cvm.tencentcloudapi.com",
     {"InstanceIds": ["ins-9bxebleo"], "InstanceName": "测试实例-web01"}, 1717171717,
     "EXAMPLETOKEN0123456789abcdefEXAMPLETOKEN", False, "en-US"),
    ("post-regional-host", "cvm", "DescribeZones", "ap-shanghai-fsi", "POST", "cvm.ap-shanghai-fsi.tencentcloudapi.com",
     {}, 1551113065, None, False, "zh-CN"),
    ("post-intl-host", "cvm", "DescribeRegions", "ap-singapore", "POST", "cvm.intl.tencentcloudapi.com",
     {}, 1600000000, None, False, "en-US"),
    ("post-loopback-port", "cvm", "DescribeInstances", "ap-guangzhou", "POST", "127.0.0.1:18080",
     {"Limit": 20}, 1750000000, None, False, "zh-CN"),
    ("post-unsigned-payload", "cvm", "RunInstances", "ap-guangzhou", "POST", "cvm.tencentcloudapi.com",
     {"Placement": {"Zone": "ap-guangzhou-6"}, "ImageId": "img-pmqg1cw7", "ClientToken": "3f9d1c1e-2b0a-4c53-9a66-0b7f8f1f2d11"},
     1731000000, None, True, "zh-CN"),
    ("post-vpc-string-paging", "vpc", "DescribeVpcs", "ap-guangzhou", "POST", "vpc.tencentcloudapi.com",
     {"Offset": "0", "Limit": "100"}, 1700000123, None, False, "zh-CN"),
    ("post-midnight-utc", "vpc", "DescribeAddresses", "ap-beijing", "POST", "vpc.ap-beijing.tencentcloudapi.com",
     {"AddressIds": ["eip-abcdefgh"]}, 1704067199, None, False, "zh-CN"),
    ("get-describe-instances", "cvm", "DescribeInstances", "ap-guangzhou", "GET", "cvm.tencentcloudapi.com",
     {"Filters": [{"Name": "instance-name", "Values": ["未命名", "web 01/a"]}], "Limit": 10}, 1700000000, None, False, "zh-CN"),
    ("get-ids-token", "cvm", "DescribeInstancesStatus", "ap-hongkong", "GET", "cvm.tencentcloudapi.com",
     {"InstanceIds": ["ins-r8hr2upy", "ins-5d8a23rs"]}, 1720000000, "STS.token/with+special=chars", False, "en-US"),
    ("get-vpc-loopback", "vpc", "DescribeSubnets", "ap-guangzhou", "GET", "127.0.0.1:18080",
     {"Filters": [{"Name": "vpc-id", "Values": ["vpc-2at5y1pn"]}], "Offset": "0", "Limit": "20"}, 1750000000, None, False, "zh-CN"),
]


def build(case):
    name, service, action, region, method, endpoint, params, ts, token, unsigned, lang = case
    cred = credential.Credential(SECRET_ID, SECRET_KEY, token) if token else credential.Credential(SECRET_ID, SECRET_KEY)
    hp = HttpProfile(endpoint=endpoint, reqMethod=method)
    profile = ClientProfile(httpProfile=hp, language=lang)
    profile.unsignedPayload = unsigned
    cls = cvm_client.CvmClient if service == "cvm" else vpc_client.VpcClient
    client = cls(cred, region, profile)
    req = RequestInternal(endpoint, method, "/")
    with mock.patch("time.time", return_value=float(ts)):
        client._build_req_inter(action, params, req)
    h = req.header
    return {
        "name": name,
        "service": service,
        "method": method,
        "host": h["Host"],
        "query": req.data if method == "GET" else "",
        "body": req.data if method == "POST" else "",
        "content_type": h["Content-Type"],
        "timestamp": int(h["X-TC-Timestamp"]),
        "action": h["X-TC-Action"],
        "region": h.get("X-TC-Region"),
        "language": h.get("X-TC-Language"),
        "token": h.get("X-TC-Token"),
        "unsigned_payload": h.get("X-TC-Content-SHA256") == "UNSIGNED-PAYLOAD",
        "authorization": h["Authorization"],
    }


if __name__ == "__main__":
    out = {
        "generator": "tencentcloud-sdk-python-common " + version("tencentcloud-sdk-python-common"),
        "secret_id": SECRET_ID,
        "secret_key": SECRET_KEY,
        "cases": [build(c) for c in CASES],
    }
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "golden_sdk.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("wrote", path, len(out["cases"]), "cases", file=sys.stderr)
