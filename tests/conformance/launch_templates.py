"""Launch template cases for scenario.py: the official SDK creates, lists, reads versions of,
launches from and deletes launch templates in cvm-sim, and meets its error codes."""


def scenario(method, ns):
    check, req, expect_error, cvm = ns["check"], ns["req"], ns["expect_error"], ns["cvm"]
    zone, image = ns["ZONE"], ns["IMAGE"]
    c, _ = ns["clients"](method)
    m = method
    state = {}

    def create_and_describe():
        name = f"sdk-lt-{method.lower()}"
        r = c.CreateLaunchTemplate(req(
            cvm.CreateLaunchTemplateRequest, LaunchTemplateName=name, Placement={"Zone": zone}, ImageId=image,
            InstanceType="S5.MEDIUM4", InstanceChargeType="POSTPAID_BY_HOUR", InstanceCount=1,
            LaunchTemplateVersionDescription="first",
            LoginSettings={"Password": "Sdk-Pass-1234"},
            SystemDisk={"DiskType": "CLOUD_PREMIUM", "DiskSize": 50}))
        lt = r.LaunchTemplateId
        assert lt.startswith("lt-") and len(lt) == 11, lt
        state["id"] = lt
        listed = c.DescribeLaunchTemplates(req(cvm.DescribeLaunchTemplatesRequest, LaunchTemplateIds=[lt]))
        assert listed.TotalCount == 1
        info = listed.LaunchTemplateSet[0]
        assert info.LaunchTemplateName == name and info.DefaultVersionNumber == 1 and info.LatestVersionNumber == 1
        by_name = c.DescribeLaunchTemplates(req(cvm.DescribeLaunchTemplatesRequest,
                                                Filters=[{"Name": "launch-template-name", "Values": [name]}]))
        assert [t.LaunchTemplateId for t in by_name.LaunchTemplateSet] == [lt]
        v = c.DescribeLaunchTemplateVersions(req(cvm.DescribeLaunchTemplateVersionsRequest, LaunchTemplateId=lt))
        assert v.TotalCount == 1
        ver = v.LaunchTemplateVersionSet[0]
        assert ver.LaunchTemplateVersion == 1 and ver.IsDefaultVersion and ver.LaunchTemplateVersionDescription == "first"
        data = ver.LaunchTemplateVersionData
        assert data.InstanceType == "S5.MEDIUM4" and data.ImageId == image and data.Placement.Zone == zone
        assert data.SystemDisk.DiskSize == 50
        assert not (data.LoginSettings and data.LoginSettings.Password), "a template never gives a password back"
    check(f"{m} CreateLaunchTemplate, DescribeLaunchTemplates, DescribeLaunchTemplateVersions", create_and_describe)

    def launch_from_template():
        lt = state["id"]
        r = c.RunInstances(req(cvm.RunInstancesRequest, LaunchTemplate={"LaunchTemplateId": lt, "LaunchTemplateVersion": 1},
                               InstanceName=f"sdk-from-lt-{method.lower()}"))
        assert len(r.InstanceIdSet) == 1
        i = c.DescribeInstances(req(cvm.DescribeInstancesRequest, InstanceIds=r.InstanceIdSet)).InstanceSet[0]
        assert i.InstanceType == "S5.MEDIUM4" and i.Placement.Zone == zone and i.SystemDisk.DiskSize == 50
        assert i.InstanceName == f"sdk-from-lt-{method.lower()}", "the request's own value wins"
        p = c.InquiryPriceRunInstances(req(cvm.InquiryPriceRunInstancesRequest, LaunchTemplate={"LaunchTemplateId": lt}))
        assert p.Price.InstancePrice.UnitPriceDiscount > 0
        c.TerminateInstances(req(cvm.TerminateInstancesRequest, InstanceIds=r.InstanceIdSet))
    check(f"{m} RunInstances and InquiryPriceRunInstances with a LaunchTemplate", launch_from_template)

    def errors_and_delete():
        lt = state["id"]
        expect_error("InvalidParameterValue.LaunchTemplateIdMalformed", lambda: c.DescribeLaunchTemplateVersions(
            req(cvm.DescribeLaunchTemplateVersionsRequest, LaunchTemplateId="lt-1")))
        expect_error("InvalidParameterValue.LaunchTemplateIdNotExisted", lambda: c.DescribeLaunchTemplateVersions(
            req(cvm.DescribeLaunchTemplateVersionsRequest, LaunchTemplateId="lt-zzzzzzzz")))
        expect_error("InvalidParameterValue.LaunchTemplateIdVerNotExisted", lambda: c.DescribeLaunchTemplateVersions(
            req(cvm.DescribeLaunchTemplateVersionsRequest, LaunchTemplateId=lt, LaunchTemplateVersions=[7])))
        expect_error("InvalidParameterValue.InvalidLaunchTemplateName", lambda: c.CreateLaunchTemplate(
            req(cvm.CreateLaunchTemplateRequest, LaunchTemplateName="x", Placement={"Zone": zone}, ImageId=image)))
        expect_error("InvalidZone.MismatchRegion", lambda: c.CreateLaunchTemplate(
            req(cvm.CreateLaunchTemplateRequest, LaunchTemplateName="elsewhere", Placement={"Zone": "ap-shanghai-2"},
                ImageId=image)))
        expect_error("InvalidImageId.NotFound", lambda: c.CreateLaunchTemplate(
            req(cvm.CreateLaunchTemplateRequest, LaunchTemplateName="no-image", Placement={"Zone": zone},
                ImageId="img-00000000")))
        expect_error("InvalidParameterValue.LaunchTemplateNotFound", lambda: c.RunInstances(
            req(cvm.RunInstancesRequest, LaunchTemplate={"LaunchTemplateId": "lt-zzzzzzzz"})))
        expect_error("InvalidParameterValue.LaunchTemplateVersion", lambda: c.RunInstances(
            req(cvm.RunInstancesRequest, LaunchTemplate={"LaunchTemplateId": lt, "LaunchTemplateVersion": 9})))
        c.DeleteLaunchTemplate(req(cvm.DeleteLaunchTemplateRequest, LaunchTemplateId=lt))
        left = c.DescribeLaunchTemplates(req(cvm.DescribeLaunchTemplatesRequest, LaunchTemplateIds=[lt]))
        assert left.TotalCount == 0
        expect_error("InvalidParameterValue.LaunchTemplateIdNotExisted", lambda: c.DeleteLaunchTemplate(
            req(cvm.DeleteLaunchTemplateRequest, LaunchTemplateId=lt)))
    check(f"{m} launch template error codes and DeleteLaunchTemplate", errors_and_delete)
