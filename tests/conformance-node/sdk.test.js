// The official Tencent Cloud Node.js SDK (tencentcloud-sdk-nodejs-cvm for CVM, the common
// package's CommonClient for VPC, whose own package npm does not serve), unchanged,
// against cvm-sim over POST and GET. Pointed at `127.0.0.1:PORT`, this SDK signs as service
// `127` and signs the host without its port: cvm-sim accepts exactly that (see its README).
//
// Run by ./run, which starts two simulators and passes their addresses:
//   CVM_SIM_ADDR          rate limits off, immediate transitions (every action, errors)
//   CVM_SIM_LIMITED_ADDR  the `current` per-second limits (the burst case)
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cvm } from "tencentcloud-sdk-nodejs-cvm";
import { CommonClient } from "tencentcloud-sdk-nodejs-common";

const ADDR = process.env.CVM_SIM_ADDR;
const LIMITED_ADDR = process.env.CVM_SIM_LIMITED_ADDR;
assert.ok(ADDR && LIMITED_ADDR, "run through ./run: it starts cvm-sim and sets CVM_SIM_ADDR");

const SECRET_ID = "AKIDcvmsim00000000000000000000000000";
const SECRET_KEY = "cvmsimSecretKey0000000000000000000";
const REGION = "ap-guangzhou";
const ZONE = "ap-guangzhou-3";
const IMAGE = "img-487zeit5";
const WINDOWS = "img-w2022dcn";
const CJK = /[\u4e00-\u9fff]/;

function config({ method = "POST", key = SECRET_KEY, language, addr = ADDR } = {}) {
  const profile = { httpProfile: { protocol: "http://", endpoint: addr, reqMethod: method, reqTimeout: 30 } };
  if (language) profile.language = language;
  return { credential: { secretId: SECRET_ID, secretKey: key }, region: REGION, profile };
}

/// Both clients, for one method and language. `v.call(action, params)` reaches VPC.
function clients(opts = {}) {
  const c = new cvm.v20170312.Client(config(opts));
  const common = new CommonClient("vpc.tencentcloudapi.com", "2017-03-12", config(opts));
  const v = { call: (action, params = {}) => common.request(action, params) };
  return { c, v };
}

async function expectError(code, promise) {
  try {
    await promise;
  } catch (e) {
    assert.equal(e.code, code, `expected ${code}, got ${e.code}: ${e.message}`);
    assert.ok(e.requestId, "errors carry a RequestId");
    return e;
  }
  assert.fail(`expected ${code}, got success`);
}

async function waitState(c, id, state, tries = 50) {
  for (let i = 0; i < tries; i++) {
    const r = await c.DescribeInstances({ InstanceIds: [id] });
    if (r.InstanceSet.length && r.InstanceSet[0].InstanceState === state) return r.InstanceSet[0];
  }
  assert.fail(`${id} never reached ${state}`);
}

for (const method of ["POST", "GET"]) {
  const low = method.toLowerCase();
  describe(`${method}`, () => {
    const { c, v } = clients({ method });
    const state = {};

    it("DescribeRegions / DescribeZones in zh-CN (default) and en-US", async () => {
      const r = await c.DescribeRegions({});
      assert.ok(r.TotalCount >= 18 && r.RegionSet.some((x) => x.Region === REGION));
      const z = await c.DescribeZones({});
      assert.ok(z.ZoneSet.some((x) => x.Zone === ZONE && x.ZoneName === "广州三区" && x.ZoneId === "100003"));
      const en = clients({ method, language: "en-US" }).c;
      const ze = await en.DescribeZones({});
      assert.ok(ze.ZoneSet.some((x) => x.ZoneName === "Guangzhou Zone 3"));
      assert.ok(ze.ZoneSet.some((x) => x.ZoneState === "UNAVAILABLE"));
    });

    it("DescribeImages, DescribeInstanceTypeConfigs, DescribeZoneInstanceConfigInfos, InquiryPriceRunInstances", async () => {
      const im = await c.DescribeImages({ Filters: [{ Name: "platform", Values: ["Ubuntu"] }], Limit: 50 });
      assert.ok(im.TotalCount >= 3 && im.ImageSet.every((i) => i.Platform === "Ubuntu"));
      const z = await c.DescribeZoneInstanceConfigInfos({
        Filters: [
          { Name: "zone", Values: [ZONE] },
          { Name: "instance-type", Values: ["S5.MEDIUM4"] },
          { Name: "instance-charge-type", Values: ["POSTPAID_BY_HOUR"] },
        ],
      });
      const item = z.InstanceTypeQuotaSet[0];
      assert.equal(item.Cpu, 2);
      assert.equal(item.Memory, 4);
      const q = await c.InquiryPriceRunInstances({
        Placement: { Zone: ZONE }, ImageId: IMAGE, InstanceType: "S5.MEDIUM4",
        SystemDisk: { DiskType: "CLOUD_BASIC", DiskSize: 20 },
      });
      assert.equal(q.Price.InstancePrice.ChargeUnit, "HOUR");
      assert.ok(q.Price.InstancePrice.UnitPrice > 0);
      const t = await c.DescribeInstanceTypeConfigs({ Filters: [{ Name: "instance-family", Values: ["GN7"] }] });
      assert.ok(t.InstanceTypeConfigSet.length && t.InstanceTypeConfigSet.every((x) => x.GPU >= 1));
    });

    it("RunInstances (ClientToken, DryRun), DescribeInstances, DescribeInstancesStatus", async () => {
      const kw = {
        Placement: { Zone: ZONE }, ImageId: IMAGE, InstanceType: "S5.MEDIUM4", InstanceCount: 2,
        InstanceName: `node-${low}-{R:1}`, ClientToken: `node-conformance-${method}`,
        InternetAccessible: { InternetChargeType: "TRAFFIC_POSTPAID_BY_HOUR", InternetMaxBandwidthOut: 5 },
        TagSpecification: [{ ResourceType: "instance", Tags: [{ Key: "suite", Value: "node" }] }],
      };
      const a = await c.RunInstances(kw);
      const b = await c.RunInstances(kw);
      assert.equal(a.InstanceIdSet.length, 2);
      assert.deepEqual(a.InstanceIdSet, b.InstanceIdSet, "ClientToken replays the answer");
      const { ClientToken: _, ...dry } = kw;
      // cvm-sim answers a RunInstances DryRun that passes validation like the Python SDK
      // suite expects: success, nothing created (checked by the tag count below).
      await c.RunInstances({ ...dry, DryRun: true });
      state.ids = a.InstanceIdSet;
      const i = await waitState(c, a.InstanceIdSet[0], "RUNNING");
      assert.equal(i.InstanceName, `node-${low}-1`);
      assert.ok(i.PublicIpAddresses.length && i.Tags[0].Key === "suite");
      const tagged = await c.DescribeInstances({ Filters: [{ Name: "tag:suite", Values: ["node"] }], Limit: 100 });
      assert.equal(tagged.InstanceSet.filter((x) => x.InstanceName.startsWith(`node-${low}`)).length, 2, "DryRun created nothing");
      const s = await c.DescribeInstancesStatus({ InstanceIds: a.InstanceIdSet });
      assert.equal(s.TotalCount, 2);
    });

    it("Stop/Start/Reboot, ResetInstancesType (+price), bandwidth (+price), rename, password, charge type and renewal", async () => {
      const ids = state.ids;
      await c.StopInstances({ InstanceIds: ids, StopType: "SOFT", StoppedMode: "KEEP_CHARGING" });
      const stopped = await waitState(c, ids[0], "STOPPED");
      assert.equal(stopped.LatestOperation, "StopInstances");
      await expectError("UnsupportedOperation.InstanceStateStopped", c.StopInstances({ InstanceIds: ids }));
      const price = await c.InquiryPriceResetInstancesType({ InstanceIds: [ids[0]], InstanceType: "S5.LARGE8" });
      assert.ok(price.Price.InstancePrice);
      await c.ResetInstancesPassword({ InstanceIds: [ids[0]], Password: "Node-Pass-1234" });
      await waitState(c, ids[0], "STOPPED");
      await c.ResetInstancesType({ InstanceIds: [ids[0]], InstanceType: "S5.LARGE8" });
      const resized = await waitState(c, ids[0], "RUNNING");
      assert.equal(resized.InstanceType, "S5.LARGE8");
      assert.equal(resized.CPU, 4);
      const mod = await c.DescribeInstancesModification({ InstanceIds: [ids[0]] });
      assert.ok(mod.InstanceTypeConfigStatusSet.length);
      await c.StartInstances({ InstanceIds: [ids[1]] });
      await waitState(c, ids[1], "RUNNING");
      await c.RebootInstances({ InstanceIds: ids });
      await waitState(c, ids[1], "RUNNING");
      await c.ModifyInstancesAttribute({ InstanceIds: [ids[0]], InstanceName: "renamed" });
      assert.equal((await waitState(c, ids[0], "RUNNING")).InstanceName, "renamed");
      const bw = await c.InquiryPriceResetInstancesInternetMaxBandwidth({
        InstanceIds: [ids[0]], InternetAccessible: { InternetMaxBandwidthOut: 20 },
      });
      assert.ok(bw.Price.BandwidthPrice);
      await c.ResetInstancesInternetMaxBandwidth({ InstanceIds: [ids[0]], InternetAccessible: { InternetMaxBandwidthOut: 20 } });
      await expectError("UnsupportedOperation.InstanceChargeType",
        c.ModifyInstancesRenewFlag({ InstanceIds: ids, RenewFlag: "NOTIFY_AND_AUTO_RENEW" }));
      const p = await c.InquiryPriceModifyInstancesChargeType({
        InstanceIds: [ids[1]], InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1 },
      });
      assert.ok(p.Price.InstancePrice.DiscountPrice > 0);
    });

    it("prepaid: ModifyInstancesChargeType, RenewInstances (+price), ModifyInstancesRenewFlag, InquiryPriceTerminateInstances", async () => {
      const pre = (await c.RunInstances({
        Placement: { Zone: ZONE }, ImageId: IMAGE, InstanceType: "S5.MEDIUM4",
        InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1 }, InstanceName: `node-pre-${low}`,
      })).InstanceIdSet[0];
      await waitState(c, pre, "RUNNING");
      const rq = await c.InquiryPriceRenewInstances({ InstanceIds: [pre], InstanceChargePrepaid: { Period: 1 } });
      assert.ok(rq.Price.InstancePrice.DiscountPrice > 0);
      await c.RenewInstances({ InstanceIds: [pre], InstanceChargePrepaid: { Period: 1 } });
      await c.ModifyInstancesRenewFlag({ InstanceIds: [pre], RenewFlag: "NOTIFY_AND_AUTO_RENEW" });
      const got = await waitState(c, pre, "RUNNING");
      assert.equal(got.RenewFlag, "NOTIFY_AND_AUTO_RENEW");
      const post = state.ids[1];
      await c.ModifyInstancesChargeType({ InstanceIds: [post], InstanceChargeType: "PREPAID", InstanceChargePrepaid: { Period: 1 } });
      assert.equal((await waitState(c, post, "RUNNING")).InstanceChargeType, "PREPAID");
      const q = await c.InquiryPriceTerminateInstances({ InstanceIds: [pre] });
      assert.equal(q.InstanceRefundsSet[0].InstanceId, pre);
      assert.ok(q.InstanceRefundsSet[0].Refunds > 0);
      await c.TerminateInstances({ InstanceIds: [pre] });
      await waitState(c, pre, "SHUTDOWN");
    });

    it("key pairs: Create/Import/Describe/Associate/Disassociate/Delete", async () => {
      const name = `node_${low}`;
      const k = (await c.CreateKeyPair({ KeyName: name, ProjectId: 0 })).KeyPair;
      assert.ok(k.KeyId.startsWith("skey-") && k.PrivateKey.includes("PRIVATE KEY"));
      await expectError("InvalidKeyPairName.Duplicate", c.CreateKeyPair({ KeyName: name, ProjectId: 0 }));
      const imported = (await c.ImportKeyPair({
        KeyName: `${name}_imp`, ProjectId: 0,
        PublicKey: `ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCnode${low.padEnd(4, "A")}0 me@host`,
      })).KeyId;
      assert.equal((await c.DescribeKeyPairs({ KeyIds: [k.KeyId, imported] })).TotalCount, 2);
      const lin = state.ids[0];
      await c.AssociateInstancesKeyPairs({ InstanceIds: [lin], KeyIds: [imported], ForceStop: true });
      const i = await waitState(c, lin, "RUNNING");
      assert.ok(i.LoginSettings.KeyIds.includes(imported));
      await c.StopInstances({ InstanceIds: [lin] });
      await waitState(c, lin, "STOPPED");
      await c.DisassociateInstancesKeyPairs({ InstanceIds: [lin], KeyIds: [imported] });
      await waitState(c, lin, "STOPPED");
      await c.StartInstances({ InstanceIds: [lin] });
      await waitState(c, lin, "RUNNING");
      await c.DeleteKeyPairs({ KeyIds: [k.KeyId, imported] });
      assert.equal((await c.DescribeKeyPairs({ Filters: [{ Name: "key-name", Values: [name] }] })).TotalCount, 0);
    });

    it("images: CreateImage, DescribeImages, DeleteImages", async () => {
      const lin = state.ids[0];
      const img = (await c.CreateImage({ InstanceId: lin, ImageName: `node-${low}-image`, ForcePoweroff: "true" })).ImageId;
      assert.ok(img.startsWith("img-"));
      const got = (await c.DescribeImages({ ImageIds: [img] })).ImageSet[0];
      assert.equal(got.ImageType, "PRIVATE_IMAGE");
      await waitState(c, lin, "STOPPED");
      await c.DeleteImages({ ImageIds: [img] });
      assert.equal((await c.DescribeImages({ ImageIds: [img] })).TotalCount, 0);
      await expectError("UnauthorizedOperation.ImageNotBelongToAccount", c.DeleteImages({ ImageIds: [IMAGE] }));
      await c.StartInstances({ InstanceIds: [lin] });
      await waitState(c, lin, "RUNNING");
    });

    it("security groups: Describe/Create/policies/Associate/Delete (VPC via CommonClient)", async () => {
      const sgs = await v.call("DescribeSecurityGroups");
      const def = sgs.SecurityGroupSet.find((g) => g.IsDefault).SecurityGroupId;
      const pol = await v.call("DescribeSecurityGroupPolicies", { SecurityGroupId: def });
      assert.ok(pol.SecurityGroupPolicySet.Ingress.length);
      const g = (await v.call("CreateSecurityGroup", { GroupName: `node-${low}-web`, GroupDescription: "web tier" })).SecurityGroup;
      assert.ok(g.SecurityGroupId.startsWith("sg-"));
      await v.call("CreateSecurityGroupPolicies", {
        SecurityGroupId: g.SecurityGroupId,
        SecurityGroupPolicySet: { Ingress: [{ Protocol: "TCP", Port: "443", CidrBlock: "0.0.0.0/0", Action: "ACCEPT" }] },
      });
      const p = await v.call("DescribeSecurityGroupPolicies", { SecurityGroupId: g.SecurityGroupId });
      assert.deepEqual(p.SecurityGroupPolicySet.Ingress.map((x) => x.Port), ["443"]);
      await expectError("UnsupportedOperation.DuplicatePolicy", v.call("CreateSecurityGroupPolicies", {
        SecurityGroupId: g.SecurityGroupId,
        SecurityGroupPolicySet: { Ingress: [{ Protocol: "TCP", Port: "443", CidrBlock: "0.0.0.0/0", Action: "ACCEPT" }] },
      }));
      await c.AssociateSecurityGroups({ SecurityGroupIds: [def], InstanceIds: state.ids });
      await v.call("DeleteSecurityGroup", { SecurityGroupId: g.SecurityGroupId });
      await expectError("ResourceNotFound", v.call("DeleteSecurityGroup", { SecurityGroupId: g.SecurityGroupId }));
    });

    it("VPC, subnets and the EIP lifecycle", async () => {
      const vs = await v.call("DescribeVpcs", { Filters: [{ Name: "is-default", Values: ["true"] }], Limit: "10" });
      assert.equal(vs.TotalCount, 1);
      assert.equal(vs.VpcSet[0].IsDefault, true);
      const sn = await v.call("DescribeSubnets", { Filters: [{ Name: "zone", Values: [ZONE] }] });
      assert.equal(sn.TotalCount, 1);
      const eip = (await v.call("AllocateAddresses", { AddressCount: 1, ClientToken: `node-eip-${method}` })).AddressSet[0];
      assert.equal((await v.call("AllocateAddresses", { AddressCount: 1, ClientToken: `node-eip-${method}` })).AddressSet[0], eip);
      await v.call("AssociateAddress", { AddressId: eip, InstanceId: state.ids[0] });
      const a = (await v.call("DescribeAddresses", { AddressIds: [eip] })).AddressSet[0];
      assert.equal(a.AddressStatus, "BIND");
      await expectError("UnsupportedOperation.AddressStatusNotPermit", v.call("ReleaseAddresses", { AddressIds: [eip] }));
      await v.call("DisassociateAddress", { AddressId: eip });
      await v.call("ReleaseAddresses", { AddressIds: [eip] });
    });

    it("launch templates: Create/Describe/DescribeVersions/RunInstances from one/Delete", async () => {
      const lt = (await c.CreateLaunchTemplate({
        LaunchTemplateName: `node-lt-${low}`, Placement: { Zone: ZONE }, ImageId: IMAGE, InstanceType: "S5.MEDIUM4",
        InstanceChargeType: "POSTPAID_BY_HOUR", LaunchTemplateVersionDescription: "first",
        SystemDisk: { DiskType: "CLOUD_PREMIUM", DiskSize: 50 },
      })).LaunchTemplateId;
      assert.ok(lt.startsWith("lt-"));
      assert.equal((await c.DescribeLaunchTemplates({ LaunchTemplateIds: [lt] })).TotalCount, 1);
      const ver = (await c.DescribeLaunchTemplateVersions({ LaunchTemplateId: lt })).LaunchTemplateVersionSet[0];
      assert.equal(ver.LaunchTemplateVersionData.InstanceType, "S5.MEDIUM4");
      const r = await c.RunInstances({ LaunchTemplate: { LaunchTemplateId: lt, LaunchTemplateVersion: 1 } });
      assert.equal(r.InstanceIdSet.length, 1);
      await c.TerminateInstances({ InstanceIds: r.InstanceIdSet });
      await c.DeleteLaunchTemplate({ LaunchTemplateId: lt });
      await expectError("InvalidParameterValue.LaunchTemplateIdNotExisted", c.DeleteLaunchTemplate({ LaunchTemplateId: lt }));
    });

    it("TerminateInstances (postpaid removes)", async () => {
      const post = state.ids[0];
      await c.TerminateInstances({ InstanceIds: [post] });
      for (let i = 0; i < 50; i++) {
        if ((await c.DescribeInstances({ InstanceIds: [post] })).TotalCount === 0) return;
      }
      assert.fail("the postpaid instance was not removed");
    });

    it("error codes, with messages in zh-CN by default and en-US when asked", async () => {
      await expectError("InvalidInstanceId.Malformed", c.StartInstances({ InstanceIds: ["ins-1122"] }));
      await expectError("InvalidZone.MismatchRegion", c.RunInstances({ Placement: { Zone: "ap-shanghai-2" }, ImageId: IMAGE }));
      await expectError("InvalidParameterValue.LimitExceeded", c.DescribeInstances({ Limit: 101 }));
      await expectError("InvalidParameter.Coexist", v.call("DescribeVpcs", {
        VpcIds: ["vpc-12345678"], Filters: [{ Name: "vpc-id", Values: ["x"] }],
      }));
      await expectError("UnknownParameter", c.request("DescribeZones", { Colour: "red" }));
      await expectError("InvalidAction", c.request("DescribeNothing", {}));
      const en = clients({ method, language: "en-US" });
      const zh = clients({ method, language: "zh-CN" });
      for (const [client, chinese] of [[c, true], [zh.c, true], [en.c, false]]) {
        const e = await expectError("InvalidInstanceId.NotFound", client.StartInstances({ InstanceIds: ["ins-zzzzzzzz"] }));
        assert.equal(CJK.test(e.message), chinese, e.message);
        const u = await expectError("UnknownParameter", client.request("DescribeZones", { Colour: "red" }));
        assert.equal(CJK.test(u.message), chinese, u.message);
        assert.ok(u.message.includes("Colour"), u.message);
      }
      const ev = await expectError("ResourceNotFound", en.v.call("DeleteSecurityGroup", { SecurityGroupId: "sg-zzzzzzzz" }));
      assert.ok(!CJK.test(ev.message), ev.message);
      const bad = clients({ method, key: "not-the-key" });
      const s = await expectError("AuthFailure.SignatureFailure", bad.c.DescribeZones({}));
      assert.equal(s.message, "签名错误。");
      const badEn = clients({ method, key: "not-the-key", language: "en-US" });
      const se = await expectError("AuthFailure.SignatureFailure", badEn.v.call("DescribeVpcs"));
      assert.ok(!CJK.test(se.message), se.message);
    });
  });
}

describe("rate limits", () => {
  it("a burst over DescribeZones' per-second limit answers RequestLimitExceeded, then recovers", async () => {
    for (const [language, chinese] of [[undefined, true], ["en-US", false]]) {
      const { c } = clients({ addr: LIMITED_ADDR, language });
      // Wait for a fresh second so the whole burst lands in one window.
      await new Promise((r) => setTimeout(r, 1100));
      const results = await Promise.allSettled(Array.from({ length: 60 }, () => c.DescribeZones({})));
      const ok = results.filter((r) => r.status === "fulfilled").length;
      const limited = results.filter((r) => r.status === "rejected" && r.reason.code === "RequestLimitExceeded");
      assert.ok(ok >= 1, "the first calls of a burst pass");
      assert.ok(limited.length >= 1, `a burst of 60 was not limited (${ok} passed)`);
      assert.equal(ok + limited.length, 60, "every other call is RequestLimitExceeded");
      assert.equal(CJK.test(limited[0].reason.message), chinese, limited[0].reason.message);
      assert.ok(limited[0].reason.requestId);
      await new Promise((r) => setTimeout(r, 1100));
      assert.ok((await c.DescribeZones({})).ZoneSet.length, "the next second is allowed again");
    }
  });

  it("the limit is per action: a burst on DescribeZones leaves DescribeRegions alone", async () => {
    const { c } = clients({ addr: LIMITED_ADDR });
    await new Promise((r) => setTimeout(r, 1100));
    await Promise.allSettled(Array.from({ length: 60 }, () => c.DescribeZones({})));
    assert.ok((await c.DescribeRegions({})).TotalCount >= 18);
  });
});

// Cloud Monitor (monitor 2018-07-24) through the common package's CommonClient, as the
// console's own client speaks it: CVM metrics by InstanceId, and the service's refusals.
describe("Cloud Monitor GetMonitorData", () => {
  /** `2026-12-06T14:05:00+08:00`: Beijing time, as Tencent's examples write it. */
  const beijing = (ms) =>
    new Date(ms + 8 * 3600_000).toISOString().replace(/\.\d+Z$/, "+08:00");
  for (const method of ["POST", "GET"]) {
    const mon = (opts = {}) =>
      new CommonClient("monitor.tencentcloudapi.com", "2018-07-24", config({ method, ...opts }));
    const m = mon();
    const now = Date.now();
    async function running() {
      const { c } = clients({ method });
      const r = await c.DescribeInstances({ Limit: 100 });
      const ids = r.InstanceSet.filter((i) => i.InstanceState === "RUNNING")
        .sort((a, b) => a.CreatedTime.localeCompare(b.CreatedTime))
        .map((i) => i.InstanceId);
      assert.ok(ids.length > 0, "the preloaded world has running instances");
      return ids;
    }
    const pull = (ids, { metric = "CPUUsage", period = 60, start = now - 3600_000, end = now, client = m } = {}) =>
      client.request("GetMonitorData", {
        Namespace: "QCE/CVM",
        MetricName: metric,
        Period: period,
        Instances: ids.map((id) => ({ Dimensions: [{ Name: "InstanceId", Value: id }] })),
        StartTime: beijing(start),
        EndTime: beijing(end),
      });

    it(`${method}: one instance's CPU over the last hour, the same twice`, async () => {
      const [id] = await running();
      const r = await pull([id]);
      assert.equal(r.Period, 60);
      assert.equal(r.MetricName, "CPUUsage");
      assert.ok(r.RequestId);
      // Period starts, Beijing time, as in Tencent's example.
      assert.match(r.StartTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:00\+08:00$/);
      assert.equal(r.DataPoints.length, 1);
      const dp = r.DataPoints[0];
      assert.deepEqual(dp.Dimensions, [{ Name: "InstanceId", Value: id }]);
      assert.equal(dp.Timestamps.length, dp.Values.length);
      assert.ok(dp.Values.length > 50, `${dp.Values.length} points`);
      assert.ok(dp.Values.every((v) => v >= 0 && v <= 100));
      assert.ok(dp.Timestamps.every((t) => t % 60 === 0));
      const again = await pull([id]);
      assert.deepEqual(again.DataPoints, r.DataPoints, "deterministic per instance");
    });

    it(`${method}: every charted metric for three instances at five minutes`, async () => {
      const ids = (await running()).slice(0, 3);
      for (const metric of ["MemUsage", "LanIntraffic", "LanOuttraffic", "WanIntraffic", "WanOuttraffic", "TcpCurrEstab"]) {
        const r = await pull(ids, { metric, period: 300 });
        assert.equal(r.DataPoints.length, ids.length, metric);
        assert.ok(r.DataPoints.every((d) => d.Values.length === d.Timestamps.length && d.Values.length > 0), metric);
        assert.ok(r.DataPoints.every((d) => d.Timestamps.every((t) => t % 300 === 0)), metric);
      }
    });

    it(`${method}: refusals (metric, period, 11 instances, range, order, missing Instances), zh-CN and en-US`, async () => {
      const ids = await running();
      await expectError("InvalidParameterValue", pull([ids[0]], { metric: "CpuUsage" }));
      await expectError("InvalidParameterValue", pull([ids[0]], { period: 120 }));
      await expectError("LimitExceeded", pull(Array(11).fill(ids[0])));
      await expectError("LimitExceeded", pull([ids[0]], { start: now - 2 * 86400_000 }));
      await expectError("InvalidParameterValue", pull([ids[0]], { start: now, end: now - 3600_000 }));
      await expectError(
        "MissingParameter",
        m.request("GetMonitorData", { Namespace: "QCE/CVM", MetricName: "CPUUsage" }),
      );
      const zh = await expectError("InvalidParameterValue", pull([ids[0]], { period: 120 }));
      assert.ok(CJK.test(zh.message), zh.message);
      const en = await expectError(
        "InvalidParameterValue",
        pull([ids[0]], { period: 120, client: mon({ language: "en-US" }) }),
      );
      assert.ok(!CJK.test(en.message), en.message);
    });
  }
});

// STS (2018-08-13) and the tag service (2018-08-13) through CommonClient, and CVM's tag
// filters: the main simulator runs with tests/conformance/accounts.json, whose role
// fleet-operator (account 100000000002, 5 instances) trusts the default key's account.
describe("STS AssumeRole and tag filters", () => {
  const OPERATOR = "qcs::cam::uin/100000000002:roleName/fleet-operator";
  for (const method of ["POST", "GET"]) {
    const common = (service, opts = {}) =>
      new CommonClient(`${service}.tencentcloudapi.com`, "2018-08-13", config({ method, ...opts }));
    const sts = common("sts");
    const assume = (fields = {}) =>
      sts.request("AssumeRole", { RoleArn: OPERATOR, RoleSessionName: "node-sdk", ...fields });
    const as = (cr, token = cr.Token) => {
      const cfg = config({ method });
      cfg.credential = { secretId: cr.TmpSecretId, secretKey: cr.TmpSecretKey, token };
      return cfg;
    };

    it(`${method}: temporary credentials sign with their token in the role's account`, async () => {
      const r = await assume({ DurationSeconds: 900 });
      const cr = r.Credentials;
      assert.ok(cr.TmpSecretId.startsWith("AKID") && cr.TmpSecretKey && cr.Token);
      assert.ok(r.ExpiredTime > Date.now() / 1000 + 800 && r.Expiration.endsWith("Z"));
      const who = await new CommonClient("sts.tencentcloudapi.com", "2018-08-13", as(cr)).request(
        "GetCallerIdentity",
        {},
      );
      assert.equal(who.AccountId, "100000000002");
      assert.equal(who.UserId, "4611686018427397902:node-sdk");
      const c = new cvm.v20170312.Client(as(cr));
      let total = 0;
      for (const { Region } of (await c.DescribeRegions({})).RegionSet) {
        const inRegion = new cvm.v20170312.Client({ ...as(cr), region: Region });
        total += (await inRegion.DescribeInstances({ Limit: 100 })).TotalCount;
      }
      assert.equal(total, 5, "the role's account has a world of its own");
      await expectError(
        "AuthFailure.TokenFailure",
        new cvm.v20170312.Client(as(cr, `${cr.Token}x`)).DescribeZones({}),
      );
      await expectError(
        "AuthFailure.TokenFailure",
        new cvm.v20170312.Client(as(cr, "")).DescribeZones({}),
      );
    });

    it(`${method}: an expired token is refused`, async () => {
      const cr = (await assume({ DurationSeconds: 1 })).Credentials;
      await new Promise((r) => setTimeout(r, 1300));
      await expectError(
        "AuthFailure.TokenFailure",
        new cvm.v20170312.Client(as(cr)).DescribeZones({}),
      );
    });

    it(`${method}: AssumeRole refusals`, async () => {
      await expectError("InvalidParameter.ResouceError", assume({ RoleArn: "fleet-operator" }));
      await expectError(
        "ResourceNotFound.RoleNotFound",
        assume({ RoleArn: "qcs::cam::uin/100000000002:roleName/nobody" }),
      );
      await expectError(
        "UnauthorizedOperation",
        assume({ RoleArn: "qcs::cam::uin/100000000003:roleName/only-for-others" }),
      );
      await expectError("InvalidParameter.OverTimeError", assume({ DurationSeconds: 50000 }));
      await expectError("InvalidParameter.ParamError", assume({ RoleSessionName: "a b" }));
    });

    it(`${method}: TagResources, then DescribeInstances by tag:<key> and tag-key`, async () => {
      const { c } = clients({ method });
      const [inst] = (await c.DescribeInstances({ Limit: 1 })).InstanceSet;
      const id = inst.InstanceId;
      const res = `qcs::cvm:${REGION}:uin/100000000001:instance/${id}`;
      const tag = common("tag");
      const r = await tag.request("TagResources", {
        ResourceList: [res],
        Tags: [
          { TagKey: "env", TagValue: `node-${method.toLowerCase()}` },
          { TagKey: "团队", TagValue: "运维" },
        ],
      });
      assert.deepEqual(r.FailedResources, []);
      const byTag = await c.DescribeInstances({
        Filters: [{ Name: "tag:env", Values: [`node-${method.toLowerCase()}`] }],
      });
      assert.deepEqual(
        byTag.InstanceSet.map((i) => i.InstanceId),
        [id],
      );
      assert.equal(byTag.TotalCount, 1);
      const byKey = await c.DescribeInstances({ Filters: [{ Name: "tag-key", Values: ["团队"] }] });
      assert.ok(byKey.InstanceSet.some((i) => i.InstanceId === id));
      assert.ok(byKey.InstanceSet.every((i) => i.Tags.some((t) => t.Key === "团队")));
      const both = await c.DescribeInstances({
        Filters: [
          { Name: "tag:env", Values: [`node-${method.toLowerCase()}`] },
          { Name: "tag-key", Values: ["nobody-has-this"] },
        ],
      });
      assert.equal(both.TotalCount, 0, "filters are ANDed");
      await tag.request("UnTagResources", { ResourceList: [res], TagKeys: ["env", "团队"] });
      const after = await c.DescribeInstances({
        Filters: [{ Name: "tag:env", Values: [`node-${method.toLowerCase()}`] }],
      });
      assert.equal(after.TotalCount, 0);
    });
  }
});
