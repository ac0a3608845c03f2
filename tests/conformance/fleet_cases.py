"""Conformance cases for STS (AssumeRole, GetCallerIdentity), temporary credentials with
their token, and the tag service on CVM instances, through the official Python SDK.
The simulator runs with accounts.json: account 100000000001 (the default key) may assume
fleet-operator in 100000000002 (5 instances of its own), but not only-for-others."""
import json
import time

from tencentcloud.common import credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.cvm.v20170312 import cvm_client, models as cvm
from tencentcloud.sts.v20180813 import sts_client, models as sts
from tencentcloud.tag.v20180813 import tag_client, models as tag

OPERATOR = "qcs::cam::uin/100000000002:roleName/fleet-operator"


def run(method, g):
    check, req, expect_error = g["check"], g["req"], g["expect_error"]
    region = g["REGION"]
    prof = ClientProfile(httpProfile=HttpProfile(protocol=g["PROTOCOL"], endpoint=g["ADDR"], reqMethod=method,
                                                 certification=g["CA"]))
    base = credential.Credential(g["SECRET_ID"], g["SECRET_KEY"])
    s = sts_client.StsClient(base, region, prof)
    t = tag_client.TagClient(base, region, prof)
    c = cvm_client.CvmClient(base, region, prof)
    m = method

    def caller_identity():
        r = s.GetCallerIdentity(sts.GetCallerIdentityRequest())
        assert r.AccountId == "100000000001" and r.UserId == "100000000001", r
        assert r.Arn and r.Type and r.RequestId

    check(f"{m} GetCallerIdentity of a key", caller_identity)

    def assume(arn=OPERATOR, **fields):
        return s.AssumeRole(req(sts.AssumeRoleRequest, RoleArn=arn, RoleSessionName="conformance", **fields))

    def assume_and_use():
        r = assume(DurationSeconds=900)
        cr = r.Credentials
        assert cr.TmpSecretId.startswith("AKID") and cr.TmpSecretKey and cr.Token
        assert r.ExpiredTime > time.time() + 800 and r.Expiration.endswith("Z")
        temp = credential.Credential(cr.TmpSecretId, cr.TmpSecretKey, cr.Token)
        who = sts_client.StsClient(temp, region, prof).GetCallerIdentity(sts.GetCallerIdentityRequest())
        assert who.AccountId == "100000000002", who
        assert who.UserId == "4611686018427397902:conformance", who
        assert who.PrincipalId == "100000000001", who
        # The role's account has a world of its own: its 5 preloaded instances.
        total = 0
        tc = cvm_client.CvmClient(temp, region, prof)
        for rg in [x.Region for x in tc.DescribeRegions(cvm.DescribeRegionsRequest()).RegionSet]:
            in_rg = cvm_client.CvmClient(temp, rg, prof)
            total += in_rg.DescribeInstances(req(cvm.DescribeInstancesRequest, Limit=100)).TotalCount
        assert total == 5, total
        # A wrong token is refused.
        wrong = credential.Credential(cr.TmpSecretId, cr.TmpSecretKey, cr.Token + "x")
        expect_error("AuthFailure.TokenFailure", lambda: sts_client.StsClient(wrong, region, prof)
                     .GetCallerIdentity(sts.GetCallerIdentityRequest()))

    check(f"{m} AssumeRole: temporary credentials work in the role's account", assume_and_use)

    def expiry():
        r = assume(DurationSeconds=1)
        cr = r.Credentials
        temp = credential.Credential(cr.TmpSecretId, cr.TmpSecretKey, cr.Token)
        time.sleep(1.3)
        expect_error("AuthFailure.TokenFailure", lambda: sts_client.StsClient(temp, region, prof)
                     .GetCallerIdentity(sts.GetCallerIdentityRequest()))

    check(f"{m} AssumeRole: an expired token is refused", expiry)

    def assume_errors():
        expect_error("InvalidParameter.ResouceError", lambda: assume("fleet-operator"))
        expect_error("ResourceNotFound.RoleNotFound",
                     lambda: assume("qcs::cam::uin/100000000002:roleName/nobody"))
        expect_error("UnauthorizedOperation",
                     lambda: assume("qcs::cam::uin/100000000003:roleName/only-for-others"))
        expect_error("InvalidParameter.OverTimeError", lambda: assume(DurationSeconds=50000))
        expect_error("InvalidParameter.ParamError",
                     lambda: s.AssumeRole(req(sts.AssumeRoleRequest, RoleArn=OPERATOR, RoleSessionName="a b")))

    check(f"{m} AssumeRole errors", assume_errors)

    def tags():
        inst = c.DescribeInstances(req(cvm.DescribeInstancesRequest, Limit=1)).InstanceSet[0]
        iid = inst.InstanceId
        res = f"qcs::cvm:{region}:uin/100000000001:instance/{iid}"
        missing = f"qcs::cvm:{region}:uin/100000000001:instance/ins-zzzzzzzz"
        r = t.TagResources(req(tag.TagResourcesRequest, ResourceList=[res, missing],
                               Tags=[{"TagKey": "env", "TagValue": f"prod-{m}"}, {"TagKey": "团队", "TagValue": "运维"}]))
        assert [f.Resource for f in r.FailedResources] == [missing], r.FailedResources
        by_tag = c.DescribeInstances(req(cvm.DescribeInstancesRequest,
                                         Filters=[{"Name": "tag:env", "Values": [f"prod-{m}"]}]))
        assert [i.InstanceId for i in by_tag.InstanceSet] == [iid]
        by_key = c.DescribeInstances(req(cvm.DescribeInstancesRequest, Filters=[{"Name": "tag-key", "Values": ["团队"]}]))
        assert iid in [i.InstanceId for i in by_key.InstanceSet]
        t.ModifyResourceTags(req(tag.ModifyResourceTagsRequest, Resource=res,
                                 ReplaceTags=[{"TagKey": "env", "TagValue": "staging"}], DeleteTags=[{"TagKey": "团队"}]))
        got = c.DescribeInstances(req(cvm.DescribeInstancesRequest, InstanceIds=[iid])).InstanceSet[0].Tags
        assert {x.Key: x.Value for x in got}.get("env") == "staging" and all(x.Key != "团队" for x in got)
        r = t.UnTagResources(req(tag.UnTagResourcesRequest, ResourceList=[res], TagKeys=["env"]))
        assert r.FailedResources == []
        got = c.DescribeInstances(req(cvm.DescribeInstancesRequest, InstanceIds=[iid])).InstanceSet[0].Tags
        assert all(x.Key != "env" for x in got)

    check(f"{m} tag service: TagResources, ModifyResourceTags, UnTagResources, tag filters", tags)

    def tag_errors():
        inst = c.DescribeInstances(req(cvm.DescribeInstancesRequest, Limit=1)).InstanceSet[0]
        res = f"qcs::cvm:{region}:uin/100000000001:instance/{inst.InstanceId}"

        def tag_with(key, value="v", resource=res):
            return lambda: t.TagResources(req(tag.TagResourcesRequest, ResourceList=[resource],
                                              Tags=[{"TagKey": key, "TagValue": value}]))
        expect_error("InvalidParameterValue.TagKeyLengthExceeded", tag_with("k" * 128))
        expect_error("InvalidParameterValue.TagKeyCharacterIllegal", tag_with("a*b"))
        expect_error("InvalidParameterValue.ReservedTagKey", tag_with("qcs:owner"))
        expect_error("InvalidParameterValue.TagValueLengthExceeded", tag_with("k", "v" * 256))
        expect_error("InvalidParameterValue.ResourceDescriptionError", tag_with("k", "v", "ins-123"))
        expect_error("InvalidParameterValue.TagKeyDuplicate", lambda: t.TagResources(req(
            tag.TagResourcesRequest, ResourceList=[res], Tags=[{"TagKey": "a", "TagValue": "1"}, {"TagKey": "a", "TagValue": "2"}])))
        expect_error("InvalidParameterValue.DeleteTagsParamError", lambda: t.ModifyResourceTags(
            req(tag.ModifyResourceTagsRequest, Resource=res)))
        # Nothing changed.
        got = c.DescribeInstances(req(cvm.DescribeInstancesRequest, InstanceIds=[inst.InstanceId])).InstanceSet[0].Tags
        assert all(x.Key not in ("a", "k", "a*b") for x in got), got

    check(f"{m} tag service errors change nothing", tag_errors)
