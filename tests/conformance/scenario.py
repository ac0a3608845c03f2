"""The official Tencent Cloud Python SDK, unchanged, against cvm-sim.

Usage: scenario.py HOST:PORT. Every check prints PASS/FAIL; the last line is
"N passed, N failed" and the exit code is 1 when anything failed.
"""
import os
import sys
import traceback

from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.cvm.v20170312 import cvm_client, models as cvm
from tencentcloud.vpc.v20170312 import vpc_client, models as vpc

import fleet_cases
import resources_cases

ADDR = sys.argv[1]
# http by default; tests/recipes/run runs the same scenario over HTTPS with cvm-sim's CA.
PROTOCOL = os.environ.get("CVM_SIM_PROTOCOL", "http")
CA = os.environ.get("CVM_SIM_CA")
SECRET_ID = "AKIDcvmsim00000000000000000000000000"
SECRET_KEY = "cvmsimSecretKey0000000000000000000"
REGION = "ap-guangzhou"
ZONE = "ap-guangzhou-3"
IMAGE = "img-487zeit5"

passed, failed = 0, 0


def check(name, fn):
    global passed, failed
    try:
        fn()
        passed += 1
        print(f"PASS {name}")
    except Exception as e:  # noqa: BLE001 - every failure is reported, none stops the run
        failed += 1
        print(f"FAIL {name}: {e!r}")
        traceback.print_exc(limit=2)


def profile(method, language="zh-CN"):
    return ClientProfile(httpProfile=HttpProfile(protocol=PROTOCOL, endpoint=ADDR, reqMethod=method, certification=CA), language=language)


def clients(method, key=SECRET_KEY, language="zh-CN"):
    cred = credential.Credential(SECRET_ID, key)
    return (cvm_client.CvmClient(cred, REGION, profile(method, language)),
            vpc_client.VpcClient(cred, REGION, profile(method, language)))


def req(cls, **fields):
    r = cls()
    import json
    r.from_json_string(json.dumps(fields))
    return r


def expect_error(code, fn):
    try:
        fn()
    except TencentCloudSDKException as e:
        assert e.code == code, f"expected {code}, got {e.code}: {e.message}"
        assert e.requestId, "errors carry a RequestId"
        return
    raise AssertionError(f"expected {code}, got success")


def wait_state(c, iid, state, tries=50):
    for _ in range(tries):
        r = c.DescribeInstances(req(cvm.DescribeInstancesRequest, InstanceIds=[iid]))
        if r.InstanceSet and r.InstanceSet[0].InstanceState == state:
            return r.InstanceSet[0]
    raise AssertionError(f"{iid} never reached {state}")


def scenario(method):
    c, v = clients(method)
    m = method

    def regions_and_zones():
        r = c.DescribeRegions(cvm.DescribeRegionsRequest())
        assert r.TotalCount >= 18 and any(x.Region == REGION for x in r.RegionSet)
        z = c.DescribeZones(cvm.DescribeZonesRequest())
        assert any(x.Zone == ZONE and x.ZoneName == "广州三区" and x.ZoneId == "100003" for x in z.ZoneSet)
        en, _ = clients(method, language="en-US")
        z = en.DescribeZones(cvm.DescribeZonesRequest())
        assert any(x.ZoneName == "Guangzhou Zone 3" for x in z.ZoneSet)
        assert any(x.ZoneState == "UNAVAILABLE" for x in z.ZoneSet)
    check(f"{m} DescribeRegions/DescribeZones (zh-CN, en-US)", regions_and_zones)

    def images():
        r = c.DescribeImages(req(cvm.DescribeImagesRequest, Filters=[{"Name": "platform", "Values": ["Ubuntu"]}], Limit=50))
        assert r.TotalCount >= 3 and all(i.Platform == "Ubuntu" for i in r.ImageSet)
        r = c.DescribeImages(req(cvm.DescribeImagesRequest, InstanceType="SR1.MEDIUM4"))
        assert r.ImageSet and all(i.Architecture == "arm" for i in r.ImageSet)
        expect_error("InvalidParameter.InvalidParameterCoexistImageIdsFilters", lambda: c.DescribeImages(
            req(cvm.DescribeImagesRequest, ImageIds=[IMAGE], Filters=[{"Name": "platform", "Values": ["x"]}])))
    check(f"{m} DescribeImages filters", images)

    def catalog_and_prices():
        r = c.DescribeZoneInstanceConfigInfos(req(cvm.DescribeZoneInstanceConfigInfosRequest, Filters=[
            {"Name": "zone", "Values": [ZONE]}, {"Name": "instance-type", "Values": ["S5.MEDIUM4"]},
            {"Name": "instance-charge-type", "Values": ["POSTPAID_BY_HOUR"]}]))
        item = r.InstanceTypeQuotaSet[0]
        assert item.Cpu == 2 and item.Memory == 4 and item.Status in ("SELL", "SOLD_OUT")
        q = c.InquiryPriceRunInstances(req(cvm.InquiryPriceRunInstancesRequest, Placement={"Zone": ZONE}, ImageId=IMAGE,
                                           InstanceType="S5.MEDIUM4", SystemDisk={"DiskType": "CLOUD_BASIC", "DiskSize": 20}))
        p = q.Price.InstancePrice
        assert p.ChargeUnit == "HOUR" and abs(p.UnitPrice - item.Price.UnitPrice - 0.01) < 0.011
        assert p.UnitPriceThirdStep < p.UnitPrice
        t = c.DescribeInstanceTypeConfigs(req(cvm.DescribeInstanceTypeConfigsRequest, Filters=[{"Name": "instance-family", "Values": ["GN7"]}]))
        assert all(x.GPU >= 1 for x in t.InstanceTypeConfigSet)
    check(f"{m} DescribeZoneInstanceConfigInfos agrees with InquiryPriceRunInstances", catalog_and_prices)

    state = {}

    def run():
        token = f"conformance-{method}"
        kw = dict(Placement={"Zone": ZONE}, ImageId=IMAGE, InstanceType="S5.MEDIUM4", InstanceCount=2,
                  InstanceName=f"sdk-{method.lower()}-{{R:1}}", ClientToken=token,
                  InternetAccessible={"InternetChargeType": "TRAFFIC_POSTPAID_BY_HOUR", "InternetMaxBandwidthOut": 5},
                  TagSpecification=[{"ResourceType": "instance", "Tags": [{"Key": "suite", "Value": "conformance"}]}])
        a = c.RunInstances(req(cvm.RunInstancesRequest, **kw))
        b = c.RunInstances(req(cvm.RunInstancesRequest, **kw))
        assert len(a.InstanceIdSet) == 2 and a.InstanceIdSet == b.InstanceIdSet, "ClientToken replays the answer"
        dry = dict(kw, ClientToken=None, DryRun=True)
        del dry["ClientToken"]
        c.RunInstances(req(cvm.RunInstancesRequest, **dry))
        state["ids"] = a.InstanceIdSet
        i = wait_state(c, a.InstanceIdSet[0], "RUNNING")
        assert i.InstanceName == f"sdk-{method.lower()}-1" and i.LatestOperationState == "SUCCESS"
        assert i.PublicIpAddresses and i.Tags[0].Key == "suite"
        tagged = c.DescribeInstances(req(cvm.DescribeInstancesRequest, Filters=[{"Name": "tag:suite", "Values": ["conformance"]}], Limit=100))
        assert len([x for x in tagged.InstanceSet if x.InstanceName.startswith(f"sdk-{method.lower()}")]) == 2, "DryRun created nothing"
        s = c.DescribeInstancesStatus(req(cvm.DescribeInstancesStatusRequest, InstanceIds=a.InstanceIdSet))
        assert s.TotalCount == 2
    check(f"{m} RunInstances (ClientToken, DryRun) and DescribeInstances", run)

    def lifecycle():
        ids = state["ids"]
        c.StopInstances(req(cvm.StopInstancesRequest, InstanceIds=ids, StopType="SOFT", StoppedMode="KEEP_CHARGING"))
        i = wait_state(c, ids[0], "STOPPED")
        assert i.StopChargingMode == "KEEP_CHARGING" and i.LatestOperation == "StopInstances"
        expect_error("UnsupportedOperation.InstanceStateStopped", lambda: c.StopInstances(req(cvm.StopInstancesRequest, InstanceIds=ids)))
        c.ResetInstancesType(req(cvm.ResetInstancesTypeRequest, InstanceIds=[ids[0]], InstanceType="S5.LARGE8"))
        i = wait_state(c, ids[0], "RUNNING")
        assert i.InstanceType == "S5.LARGE8" and i.CPU == 4
        c.StartInstances(req(cvm.StartInstancesRequest, InstanceIds=[ids[1]]))
        wait_state(c, ids[1], "RUNNING")
        c.RebootInstances(req(cvm.RebootInstancesRequest, InstanceIds=ids))
        wait_state(c, ids[1], "RUNNING")
        c.ModifyInstancesAttribute(req(cvm.ModifyInstancesAttributeRequest, InstanceIds=[ids[0]], InstanceName="renamed"))
        assert wait_state(c, ids[0], "RUNNING").InstanceName == "renamed"
        c.ResetInstancesInternetMaxBandwidth(req(cvm.ResetInstancesInternetMaxBandwidthRequest, InstanceIds=[ids[0]],
                                                 InternetAccessible={"InternetMaxBandwidthOut": 20}))
        expect_error("UnsupportedOperation.InstanceChargeType", lambda: c.ModifyInstancesRenewFlag(
            req(cvm.ModifyInstancesRenewFlagRequest, InstanceIds=ids, RenewFlag="NOTIFY_AND_AUTO_RENEW")))
        p = c.InquiryPriceModifyInstancesChargeType(req(cvm.InquiryPriceModifyInstancesChargeTypeRequest, InstanceIds=[ids[1]],
                                                       InstanceChargeType="PREPAID", InstanceChargePrepaid={"Period": 1}))
        assert p.Price.InstancePrice.DiscountPrice > 0
    check(f"{m} Stop/Start/Reboot/ResetInstancesType/ModifyInstancesAttribute", lifecycle)

    def keys_and_groups():
        name = f"sdk_{method.lower()}"
        k = c.CreateKeyPair(req(cvm.CreateKeyPairRequest, KeyName=name, ProjectId=0)).KeyPair
        assert k.KeyId.startswith("skey-") and "PRIVATE KEY" in k.PrivateKey
        expect_error("InvalidKeyPairName.Duplicate", lambda: c.CreateKeyPair(req(cvm.CreateKeyPairRequest, KeyName=name, ProjectId=0)))
        imported = c.ImportKeyPair(req(cvm.ImportKeyPairRequest, KeyName=name + "_imp", ProjectId=0,
                                       PublicKey="ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC" + method.ljust(4, "A") + "0 me@host")).KeyId
        ks = c.DescribeKeyPairs(req(cvm.DescribeKeyPairsRequest, KeyIds=[k.KeyId, imported]))
        assert ks.TotalCount == 2
        c.DeleteKeyPairs(req(cvm.DeleteKeyPairsRequest, KeyIds=[k.KeyId, imported]))
        sgs = v.DescribeSecurityGroups(vpc.DescribeSecurityGroupsRequest())
        sg = sgs.SecurityGroupSet[0].SecurityGroupId
        pol = v.DescribeSecurityGroupPolicies(req(vpc.DescribeSecurityGroupPoliciesRequest, SecurityGroupId=sg))
        assert pol.SecurityGroupPolicySet.Ingress
        c.AssociateSecurityGroups(req(cvm.AssociateSecurityGroupsRequest, SecurityGroupIds=[sg], InstanceIds=state["ids"]))
    check(f"{m} key pairs and security groups", keys_and_groups)

    def network():
        vs = v.DescribeVpcs(req(vpc.DescribeVpcsRequest, Filters=[{"Name": "is-default", "Values": ["true"]}], Limit="10"))
        assert vs.TotalCount == 1 and vs.VpcSet[0].IsDefault
        sn = v.DescribeSubnets(req(vpc.DescribeSubnetsRequest, Filters=[{"Name": "zone", "Values": [ZONE]}]))
        assert sn.TotalCount == 1 and sn.SubnetSet[0].AvailableIpAddressCount > 0
        eip = v.AllocateAddresses(req(vpc.AllocateAddressesRequest, AddressCount=1, ClientToken=f"eip-{method}")).AddressSet[0]
        assert v.AllocateAddresses(req(vpc.AllocateAddressesRequest, AddressCount=1, ClientToken=f"eip-{method}")).AddressSet[0] == eip
        v.AssociateAddress(req(vpc.AssociateAddressRequest, AddressId=eip, InstanceId=state["ids"][0]))
        a = v.DescribeAddresses(req(vpc.DescribeAddressesRequest, AddressIds=[eip])).AddressSet[0]
        assert a.AddressStatus == "BIND" and a.InstanceId == state["ids"][0]
        expect_error("UnsupportedOperation.AddressStatusNotPermit", lambda: v.ReleaseAddresses(req(vpc.ReleaseAddressesRequest, AddressIds=[eip])))
        v.DisassociateAddress(req(vpc.DisassociateAddressRequest, AddressId=eip))
        v.ReleaseAddresses(req(vpc.ReleaseAddressesRequest, AddressIds=[eip]))
    check(f"{m} VPC, subnets and EIP lifecycle", network)

    def terminate():
        ids = state["ids"]
        c.TerminateInstances(req(cvm.TerminateInstancesRequest, InstanceIds=ids))
        for _ in range(50):
            r = c.DescribeInstances(req(cvm.DescribeInstancesRequest, InstanceIds=ids))
            if r.TotalCount == 0:
                return
        raise AssertionError("postpaid instances were not removed")
    check(f"{m} TerminateInstances (postpaid removes)", terminate)

    def refund_quote():
        kw = dict(Placement={"Zone": ZONE}, ImageId=IMAGE, InstanceType="S5.MEDIUM4", InstanceCount=1,
                  InstanceChargeType="PREPAID", InstanceChargePrepaid={"Period": 1},
                  InstanceName=f"sdk-refund-{method.lower()}")
        pre = c.RunInstances(req(cvm.RunInstancesRequest, **kw)).InstanceIdSet[0]
        protected = c.RunInstances(req(cvm.RunInstancesRequest, **dict(kw, InstanceChargeType="POSTPAID_BY_HOUR",
                                                                          DisableApiTermination=True))).InstanceIdSet[0]
        del kw["InstanceChargePrepaid"]
        wait_state(c, pre, "RUNNING")
        wait_state(c, protected, "RUNNING")
        q = c.InquiryPriceTerminateInstances(req(cvm.InquiryPriceTerminateInstancesRequest, InstanceIds=[pre]))
        assert q.RequestId and len(q.InstanceRefundsSet) == 1
        r = q.InstanceRefundsSet[0]
        assert r.InstanceId == pre and r.Refunds > 0 and r.PriceDetail
        expect_error("UnsupportedOperation.InstanceChargeType", lambda: c.InquiryPriceTerminateInstances(
            req(cvm.InquiryPriceTerminateInstancesRequest, InstanceIds=[protected])))
        expect_error("InvalidInstanceId.NotFound", lambda: c.InquiryPriceTerminateInstances(
            req(cvm.InquiryPriceTerminateInstancesRequest, InstanceIds=["ins-zzzzzzzz"])))
        expect_error("UnsupportedOperation.InstancesProtected", lambda: c.TerminateInstances(
            req(cvm.TerminateInstancesRequest, InstanceIds=[protected])))
        c.TerminateInstances(req(cvm.TerminateInstancesRequest, InstanceIds=[pre]))
        wait_state(c, pre, "SHUTDOWN")
        q = c.InquiryPriceTerminateInstances(req(cvm.InquiryPriceTerminateInstancesRequest, InstanceIds=[pre]))
        assert q.InstanceRefundsSet[0].Refunds == 0, "the recycle bin was refunded already"
    check(f"{m} InquiryPriceTerminateInstances (prepaid refund, protection)", refund_quote)

    def errors():
        expect_error("InvalidInstanceId.Malformed", lambda: c.StartInstances(req(cvm.StartInstancesRequest, InstanceIds=["ins-1122"])))
        expect_error("InvalidInstanceId.NotFound", lambda: c.StartInstances(req(cvm.StartInstancesRequest, InstanceIds=["ins-zzzzzzzz"])))
        expect_error("InvalidZone.MismatchRegion", lambda: c.RunInstances(req(cvm.RunInstancesRequest, Placement={"Zone": "ap-shanghai-2"}, ImageId=IMAGE)))
        expect_error("InvalidImageId.NotFound", lambda: c.RunInstances(req(cvm.RunInstancesRequest, Placement={"Zone": ZONE}, ImageId="img-00000000")))
        expect_error("InvalidPeriod", lambda: c.RunInstances(req(cvm.RunInstancesRequest, Placement={"Zone": ZONE}, ImageId=IMAGE,
                                                                 InstanceChargeType="PREPAID", InstanceChargePrepaid={"Period": 13})))
        expect_error("InvalidParameterValue.LimitExceeded", lambda: c.DescribeInstances(req(cvm.DescribeInstancesRequest, Limit=101)))
        expect_error("InvalidFilter", lambda: c.DescribeInstances(req(cvm.DescribeInstancesRequest, Filters=[{"Name": "colour", "Values": ["x"]}])))
        expect_error("InvalidParameter.Coexist", lambda: v.DescribeVpcs(req(vpc.DescribeVpcsRequest, VpcIds=["vpc-12345678"],
                                                                              Filters=[{"Name": "vpc-id", "Values": ["x"]}])))
        expect_error("UnknownParameter", lambda: c.call_json("DescribeZones", {"Colour": "red"}))
        expect_error("InvalidAction", lambda: c.call_json("DescribeNothing", {}))
        bad, _ = clients(method, key="not-the-key")
        expect_error("AuthFailure.SignatureFailure", lambda: bad.DescribeZones(cvm.DescribeZonesRequest()))
    check(f"{m} error codes", errors)


import launch_templates  # noqa: E402 - the cases in their own file, run after the main ones
import monitor_cases  # noqa: E402

for method in ("POST", "GET"):
    scenario(method)
    resources_cases.run(method, *clients(method), check, req, expect_error, wait_state)
    launch_templates.scenario(method, globals())
    monitor_cases.scenario(method, globals())
    fleet_cases.run(method, globals())

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
