"""Conformance cases for the resource actions: key pair binding, private and
shared images, security group creation and rules. Called by scenario.py once per method
with its helpers; creates its own instances so it depends on no other case."""

from tencentcloud.cvm.v20170312 import models as cvm
from tencentcloud.vpc.v20170312 import models as vpc

LINUX = "img-487zeit5"
WINDOWS = "img-w2022dcn"
ZONE = "ap-guangzhou-3"
RSA = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC{}0Zm9yIGNvbmZvcm1hbmNl me@host"


def run(method, c, v, check, req, expect_error, wait_state):
    m = method
    low = method.lower()
    state = {}

    def launch(name, image):
        r = c.RunInstances(req(cvm.RunInstancesRequest, Placement={"Zone": ZONE}, ImageId=image,
                               InstanceType="S5.MEDIUM4", InstanceName=name))
        return r.InstanceIdSet[0]

    def setup():
        state["linux"] = launch(f"res-{low}-linux", LINUX)
        state["windows"] = launch(f"res-{low}-win", WINDOWS)
        wait_state(c, state["linux"], "RUNNING")
        wait_state(c, state["windows"], "RUNNING")
    check(f"{m} resources: instances to work on", setup)

    def bind_keys():
        lin, win = state["linux"], state["windows"]
        key = c.ImportKeyPair(req(cvm.ImportKeyPairRequest, KeyName=f"bind_{low}", ProjectId=0,
                                  PublicKey=RSA.format(low.ljust(4, "A")))).KeyId
        expect_error("UnsupportedOperation.InstanceStateRunning", lambda: c.AssociateInstancesKeyPairs(
            req(cvm.AssociateInstancesKeyPairsRequest, InstanceIds=[lin], KeyIds=[key])))
        expect_error("UnsupportedOperation.KeyPairUnsupportedWindows", lambda: c.AssociateInstancesKeyPairs(
            req(cvm.AssociateInstancesKeyPairsRequest, InstanceIds=[win], KeyIds=[key], ForceStop=True)))
        expect_error("InvalidKeyPairId.Malformed", lambda: c.AssociateInstancesKeyPairs(
            req(cvm.AssociateInstancesKeyPairsRequest, InstanceIds=[lin], KeyIds=["skey-12"])))
        expect_error("InvalidKeyPairId.NotFound", lambda: c.AssociateInstancesKeyPairs(
            req(cvm.AssociateInstancesKeyPairsRequest, InstanceIds=[lin], KeyIds=["skey-zzzzzzzz"])))
        r = c.AssociateInstancesKeyPairs(req(cvm.AssociateInstancesKeyPairsRequest, InstanceIds=[lin], KeyIds=[key],
                                             ForceStop=True))
        assert r.RequestId
        i = wait_state(c, lin, "RUNNING")
        assert key in i.LoginSettings.KeyIds and i.LatestOperation == "AssociateInstancesKeyPairs"
        k = c.DescribeKeyPairs(req(cvm.DescribeKeyPairsRequest, KeyIds=[key])).KeyPairSet[0]
        assert k.AssociatedInstanceIds == [lin]
        expect_error("InvalidParameterValue.KeyPairNotSupported", lambda: c.DeleteKeyPairs(
            req(cvm.DeleteKeyPairsRequest, KeyIds=[key])))
        c.StopInstances(req(cvm.StopInstancesRequest, InstanceIds=[lin]))
        wait_state(c, lin, "STOPPED")
        c.DisassociateInstancesKeyPairs(req(cvm.DisassociateInstancesKeyPairsRequest, InstanceIds=[lin], KeyIds=[key]))
        i = wait_state(c, lin, "STOPPED")
        assert not (i.LoginSettings.KeyIds or [])
        assert c.DescribeKeyPairs(req(cvm.DescribeKeyPairsRequest, KeyIds=[key])).KeyPairSet[0].AssociatedInstanceIds == []
        c.DeleteKeyPairs(req(cvm.DeleteKeyPairsRequest, KeyIds=[key]))
    check(f"{m} AssociateInstancesKeyPairs/DisassociateInstancesKeyPairs", bind_keys)

    def images():
        lin = state["linux"]
        kinds = {}
        for t in ("PUBLIC_IMAGE", "SHARED_IMAGE", "PRIVATE_IMAGE"):
            r = c.DescribeImages(req(cvm.DescribeImagesRequest, Filters=[{"Name": "image-type", "Values": [t]}], Limit=100))
            assert all(i.ImageType == t for i in r.ImageSet), t
            kinds[t] = r
        assert kinds["PUBLIC_IMAGE"].TotalCount > 5 and kinds["SHARED_IMAGE"].TotalCount >= 1
        shared = kinds["SHARED_IMAGE"].ImageSet[0]
        assert shared.ImageCreator and shared.ImageSource == "CREATE_IMAGE"
        name = f"sdk-{low}-image"
        expect_error("InvalidParameterValue.TooLong", lambda: c.CreateImage(
            req(cvm.CreateImageRequest, InstanceId=lin, ImageName="x" * 61)))
        expect_error("InvalidParameterValue", lambda: c.CreateImage(
            req(cvm.CreateImageRequest, InstanceId=lin, ImageName="has space")))
        expect_error("InvalidInstanceId.NotFound", lambda: c.CreateImage(
            req(cvm.CreateImageRequest, InstanceId="ins-zzzzzzzz", ImageName=name)))
        expect_error("DryRunOperation", lambda: c.CreateImage(
            req(cvm.CreateImageRequest, InstanceId=lin, ImageName=name, DryRun=True)))
        img = c.CreateImage(req(cvm.CreateImageRequest, InstanceId=lin, ImageName=name, ImageDescription="from the SDK",
                                ForcePoweroff="true")).ImageId
        assert img.startswith("img-")
        expect_error("InvalidImageName.Duplicate", lambda: c.CreateImage(
            req(cvm.CreateImageRequest, InstanceId=lin, ImageName=name)))
        wait_state(c, lin, "STOPPED")
        got = c.DescribeImages(req(cvm.DescribeImagesRequest, ImageIds=[img])).ImageSet[0]
        assert got.ImageType == "PRIVATE_IMAGE" and got.ImageName == name and got.Platform == "Ubuntu"
        assert got.ImageState in ("CREATING", "NORMAL") and got.SnapshotSet[0].DiskUsage == "SYSTEM_DISK"
        r = c.DescribeImages(req(cvm.DescribeImagesRequest, Filters=[{"Name": "image-type", "Values": ["PRIVATE_IMAGE"]},
                                                                     {"Name": "platform", "Values": ["ubuntu"]}]))
        assert any(i.ImageId == img for i in r.ImageSet)
        launched = launch(f"res-{low}-from-image", img)
        assert wait_state(c, launched, "RUNNING").ImageId == img
        c.TerminateInstances(req(cvm.TerminateInstancesRequest, InstanceIds=[launched]))
        expect_error("UnauthorizedOperation.ImageNotBelongToAccount", lambda: c.DeleteImages(
            req(cvm.DeleteImagesRequest, ImageIds=[LINUX])))
        expect_error("UnauthorizedOperation.ImageNotBelongToAccount", lambda: c.DeleteImages(
            req(cvm.DeleteImagesRequest, ImageIds=[shared.ImageId])))
        expect_error("InvalidImageId.NotFound", lambda: c.DeleteImages(req(cvm.DeleteImagesRequest, ImageIds=["img-zzzzzzzz"])))
        expect_error("InvalidImageId.Malformed", lambda: c.DeleteImages(req(cvm.DeleteImagesRequest, ImageIds=["img-1"])))
        c.DeleteImages(req(cvm.DeleteImagesRequest, ImageIds=[img]))
        assert c.DescribeImages(req(cvm.DescribeImagesRequest, ImageIds=[img])).TotalCount == 0
    check(f"{m} DescribeImages (private, shared)/CreateImage/RunInstances from it/DeleteImages", images)

    def security_groups():
        name = f"sdk-{low}-web"
        g = v.CreateSecurityGroup(req(vpc.CreateSecurityGroupRequest, GroupName=name, GroupDescription="web tier")).SecurityGroup
        assert g.SecurityGroupId.startswith("sg-") and g.SecurityGroupName == name and g.IsDefault is False
        expect_error("InvalidParameterValue.TooLong", lambda: v.CreateSecurityGroup(
            req(vpc.CreateSecurityGroupRequest, GroupName="x" * 61, GroupDescription="")))
        sg = g.SecurityGroupId
        v.CreateSecurityGroupPolicies(req(vpc.CreateSecurityGroupPoliciesRequest, SecurityGroupId=sg, SecurityGroupPolicySet={
            "Ingress": [{"Protocol": "TCP", "Port": "443", "CidrBlock": "0.0.0.0/0", "Action": "ACCEPT",
                         "PolicyDescription": "https"}]}))
        pol = v.DescribeSecurityGroupPolicies(req(vpc.DescribeSecurityGroupPoliciesRequest, SecurityGroupId=sg))
        assert [p.Port for p in pol.SecurityGroupPolicySet.Ingress] == ["443"]
        expect_error("UnsupportedOperation.DuplicatePolicy", lambda: v.CreateSecurityGroupPolicies(
            req(vpc.CreateSecurityGroupPoliciesRequest, SecurityGroupId=sg, SecurityGroupPolicySet={
                "Ingress": [{"Protocol": "TCP", "Port": "443", "CidrBlock": "0.0.0.0/0", "Action": "ACCEPT"}]})))
        expect_error("InvalidParameterValue", lambda: v.CreateSecurityGroupPolicies(
            req(vpc.CreateSecurityGroupPoliciesRequest, SecurityGroupId=sg, SecurityGroupPolicySet={
                "Ingress": [{"Protocol": "ALL", "Port": "22", "CidrBlock": "0.0.0.0/0", "Action": "ACCEPT"}]})))
        expect_error("UnsupportedOperation.VersionMismatch", lambda: v.CreateSecurityGroupPolicies(
            req(vpc.CreateSecurityGroupPoliciesRequest, SecurityGroupId=sg, SecurityGroupPolicySet={
                "Version": "0", "Egress": [{"Protocol": "UDP", "Port": "53", "CidrBlock": "10.0.0.0/8", "Action": "ACCEPT"}]})))
        c.AssociateSecurityGroups(req(cvm.AssociateSecurityGroupsRequest, SecurityGroupIds=[sg], InstanceIds=[state["linux"]]))
        expect_error("ResourceInUse", lambda: v.DeleteSecurityGroup(req(vpc.DeleteSecurityGroupRequest, SecurityGroupId=sg)))
        default = [x for x in v.DescribeSecurityGroups(vpc.DescribeSecurityGroupsRequest()).SecurityGroupSet if x.IsDefault][0]
        expect_error("UnsupportedOperation", lambda: v.DeleteSecurityGroup(
            req(vpc.DeleteSecurityGroupRequest, SecurityGroupId=default.SecurityGroupId)))
        c.TerminateInstances(req(cvm.TerminateInstancesRequest, InstanceIds=[state["linux"], state["windows"]]))
        for _ in range(50):
            if c.DescribeInstances(req(cvm.DescribeInstancesRequest, InstanceIds=[state["linux"]])).TotalCount == 0:
                break
        v.DeleteSecurityGroup(req(vpc.DeleteSecurityGroupRequest, SecurityGroupId=sg))
        expect_error("ResourceNotFound", lambda: v.DeleteSecurityGroup(req(vpc.DeleteSecurityGroupRequest, SecurityGroupId=sg)))
    check(f"{m} CreateSecurityGroup/CreateSecurityGroupPolicies/DeleteSecurityGroup", security_groups)
