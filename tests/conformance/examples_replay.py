"""Tencent's own documented request examples (tccli's examples.json), replayed against cvm-sim.

Usage: examples_replay.py HOST:PORT. Every example (CVM, VPC, Cloud Monitor, STS, Tag) of
an action cvm-sim emulates is sent as documented (POST with its JSON body, or GET with its
query) through the official SDK's CommonClient, in the region its zones name (ap-guangzhou
when it names none). It passes when cvm-sim accepts it, or answers that a resource it names
does not exist (the examples use ids of Tencent's own resources, which no emulated account
holds), or refuses it for a reason listed in REFUSED. Actions cvm-sim does not emulate (answered InvalidAction) are counted and
named, not checked. Prints PASS/FAIL per example; the last line is "N passed, N failed".
"""
import json
import os
import re
import sys
import urllib.parse

import tccli
from tencentcloud.common import credential
from tencentcloud.common.common_client import CommonClient
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile

ADDR = sys.argv[1]
SECRET_ID = "AKIDcvmsim00000000000000000000000000"
SECRET_KEY = "cvmsimSecretKey0000000000000000000"
SERVICES = {"cvm": "2017-03-12", "vpc": "2017-03-12", "monitor": "2018-07-24", "sts": "2018-08-13",
            "tag": "2018-08-13"}
DEFAULT_REGION = "ap-guangzhou"

# Examples cvm-sim refuses on purpose, by (action, title): the code it answers and why that
# is the right answer.
REFUSED = {
    ("ImportKeyPair", "导入密钥对"): (
        "InvalidPublicKey.Malformed",
        "the PublicKey is a placeholder (`ssh-rsa XXXXXXXXXXXX...`), not a key; Tencent "
        "refuses it as malformed too"),
    ("CreateSecurityGroupPolicies", "安全组添加出站规则"): (
        "InvalidParameter",
        "the example sends Egress and Ingress rules in one request, which the action's own "
        "documentation forbids (一次请求中只能创建单个方向的规则)"),
    ("RunInstances", "独享子机购买"): (
        "InvalidParameterValue",
        "CDHPAID launches on a dedicated host (CDH); cvm-sim models no dedicated hosts"),
    ("AllocateAddresses", "创建静态单线IP"): (
        "UnauthorizedOperation.InvalidAccount",
        "a static single-line IP (CTCC) is for accounts on its allow list only "
        "(已开通静态单线IP白名单的用户), which the emulated account is not"),
    ("GetMonitorData", "拉取单台CDB监控数据"): (
        "InvalidParameterValue",
        "QCE/CDB is the database product's namespace; cvm-sim emulates Cloud Monitor for "
        "QCE/CVM only"),
    ("ModifyResourceTags", "给资源解除绑定多个标签"): (
        "FailedOperation.ResourceAppIdNotSame",
        "the example's resource belongs to another account (uin/10000055****), so the "
        "caller may not tag it"),
    ("ModifyResourceTags", "将资源关联的标签替换为输入的标签集合"): (
        "FailedOperation.ResourceAppIdNotSame",
        "the example's resource belongs to another account (uin/10000055****), so the "
        "caller may not tag it"),
    ("TagResources", "为资源绑定标签"): (
        "InvalidParameterValue.ResourcePrefixInvalid",
        "the example tags a CBS volume; cvm-sim emulates no cloud disks as resources of "
        "their own"),
}

# A refusal that means "the resource named does not exist" (ids from Tencent's own account).
NOT_FOUND = re.compile(r"(^|\.)(\w*NotFound\w*|\w*NotExist\w*)$|^ResourceNotFound")
# Some examples name ids that are not of Tencent's id shape (`prefix-` and 8 characters:
# `img-34vaef8fe`); no account holds such an id, and Tencent answers `…Malformed` for it.
MALFORMED = re.compile(r"Malformed$")
ID = re.compile(r"^(ins|img|lt|skey|sg|eip|vpc|subnet|disk)-([0-9a-z]+)$")
ZONE = re.compile(r"^([a-z]{2}-[a-z]+(?:-[a-z]+)?)-\d+$")


def spec_dir(service):
    return os.path.join(os.path.dirname(tccli.__file__), "services", service, "v" + SERVICES[service].replace("-", ""))


def parse(text):
    """(method, headers, params) of one documented request."""
    if text.startswith("POST"):
        head, _, body = text.partition("\n\n")
        headers = {}
        for line in head.splitlines()[1:]:
            name, sep, value = line.partition(":")
            if sep and name.lower().startswith("x-tc-") and name.lower() != "x-tc-action":
                headers[name.strip()] = value.strip()
        return "POST", headers, json.loads(body) if body.strip() else {}
    url = "".join(line.strip() for line in text.splitlines())
    query = url.split("?", 1)[1] if "?" in url else ""
    params = {}
    for part in query.split("&"):
        if not part or part.startswith("<") or "=" not in part:
            continue
        k, v = part.split("=", 1)
        if k != "Action":
            params[urllib.parse.unquote(k)] = urllib.parse.unquote(v)
    return "GET", {}, params


def strings(v):
    """Every string value in a parameter tree."""
    if isinstance(v, dict):
        for x in v.values():
            yield from strings(x)
    elif isinstance(v, list):
        for x in v:
            yield from strings(x)
    elif isinstance(v, str):
        yield v


def region_of(params):
    """The region the example's zones belong to (ap-guangzhou when it names none)."""
    zones = [m.group(1) for m in map(ZONE.match, strings(params)) if m]
    return zones[0] if zones else DEFAULT_REGION


def misshapen_ids(params):
    """Ids in the example with Tencent's prefixes but not 8 characters after them."""
    return [v for v in strings(params) if (m := ID.match(v)) and len(m.group(2)) != 8]


def client(service, region, method):
    profile = ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint=ADDR, reqMethod=method))
    return CommonClient(service, SERVICES[service], credential.Credential(SECRET_ID, SECRET_KEY), region, profile)


def main():
    passed, failed, skipped, seen_refusals = 0, 0, {}, set()
    for service in SERVICES:
        with open(os.path.join(spec_dir(service), "examples.json"), encoding="utf-8") as f:
            examples = json.load(f)["actions"]
        for action, cases in sorted(examples.items()):
            for case in cases:
                name = f"{service} {action} «{case['title']}»"
                method, headers, params = parse(case["input"])
                c = client(service, region_of(params), method)
                try:
                    c.call_json(action, params, headers=headers or None)
                    code = None
                except TencentCloudSDKException as e:
                    code = e.code
                    message = e.message
                if code == "InvalidAction":
                    skipped[action] = skipped.get(action, 0) + 1
                    continue
                refused = REFUSED.get((action, case["title"]))
                seen_refusals.add((action, case["title"]))
                if refused:
                    ok = code == refused[0]
                    why = f"refused on purpose: {refused[1]}" if ok else f"expected {refused[0]}, got {code or 'success'}"
                elif code is None:
                    ok, why = True, "accepted"
                elif NOT_FOUND.search(code):
                    ok, why = True, f"not found ({code})"
                elif MALFORMED.search(code) and misshapen_ids(params):
                    ok, why = True, f"{code}: the example's {misshapen_ids(params)} are not of Tencent's id shape"
                else:
                    ok, why = False, f"{code}: {message}"
                if ok:
                    passed += 1
                else:
                    failed += 1
                print(f"{'PASS' if ok else 'FAIL'} example {name}: {why}")
    # A refusal listed above whose example is gone (or no longer sent) is stale.
    for (action, title) in REFUSED:
        if (action, title) not in seen_refusals:
            failed += 1
            print(f"FAIL example refusal list names {action} «{title}», which was not sent")
    print(f"examples of {len(skipped)} actions cvm-sim does not emulate were not sent "
          f"({sum(skipped.values())} requests)")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
