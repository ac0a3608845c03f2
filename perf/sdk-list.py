#!/usr/bin/env python3
"""The official Python SDK's paging loop listing every instance of one region, as a user
script would: DescribeInstances with Limit=100 and a growing Offset, one call at a time;
on RequestLimitExceeded (the SDK does not pace itself) wait a second and try again.

    .venv/bin/python perf/sdk-list.py URL [REGION]

Prints one line: instances, calls, throttled answers, wall time.
"""
import sys
import time

from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.cvm.v20170312 import cvm_client, models

url = sys.argv[1]
region = sys.argv[2] if len(sys.argv) > 2 else "ap-guangzhou"
http = HttpProfile(endpoint=url.split("//", 1)[1].rstrip("/"), protocol="http")
client = cvm_client.CvmClient(
    credential.Credential("AKIDcvmsim00000000000000000000000000", "cvmsimSecretKey0000000000000000000"),
    region,
    ClientProfile(httpProfile=http),
)

ids, calls, throttled, offset, total = set(), 0, 0, 0, None
started = time.perf_counter()
while total is None or offset < total:
    req = models.DescribeInstancesRequest()
    req.Offset, req.Limit = offset, 100
    calls += 1
    try:
        resp = client.DescribeInstances(req)
    except TencentCloudSDKException as e:
        if e.code == "RequestLimitExceeded":
            throttled += 1
            time.sleep(1)
            continue
        raise
    total = resp.TotalCount
    ids.update(i.InstanceId for i in resp.InstanceSet)
    offset += 100
wall = time.perf_counter() - started
print(f"{len(ids)} instances, {calls} calls, {throttled} throttled, {wall:.2f} s")
