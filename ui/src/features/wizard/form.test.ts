import { describe, expect, it } from "vitest";
import {
  defaultValues,
  formFieldOf,
  formSchema,
  passwordProblem,
  stepOfField,
  toSpec,
} from "./form";

describe("wizard form", () => {
  it("applies Tencent's password rules", () => {
    expect(passwordProblem("short", false)).toBe("passwordLength");
    expect(passwordProblem("alllowercase1", false)).toBe("passwordClasses");
    expect(passwordProblem("/Abcdefg1", false)).toBe("passwordSlash");
    expect(passwordProblem("Abc def 12", false)).toBe("passwordChars");
    expect(passwordProblem("Wizard-Pass1", false)).toBeNull();
    expect(passwordProblem("Wizard-Pass1", true)).toBeNull();
    expect(passwordProblem("Wiz-Pass1", true)).toBe("passwordLengthWindows");
  });

  it("builds the LaunchSpec for each billing model", () => {
    const v = { ...defaultValues, zone: "ap-guangzhou-3", instanceType: "S5.MEDIUM4" };
    expect(toSpec(v, "ap-guangzhou").billing).toEqual({ type: "POSTPAID_BY_HOUR" });
    expect(
      toSpec({ ...v, chargeType: "PREPAID", period: 12, renewFlag: "NOTIFY_AND_AUTO_RENEW" }, "r")
        .billing,
    ).toEqual({ type: "PREPAID", period: 12, renewFlag: "NOTIFY_AND_AUTO_RENEW" });
    expect(toSpec({ ...v, chargeType: "SPOTPAID", spotMode: "market" }, "r").billing).toEqual({
      type: "SPOTPAID",
      maxPrice: null,
    });
    expect(
      toSpec({ ...v, chargeType: "SPOTPAID", spotMode: "bid", maxPrice: " 0.5 " }, "r").billing,
    ).toEqual({ type: "SPOTPAID", maxPrice: "0.5" });
    // No public IP: no bandwidth is asked for.
    expect(toSpec({ ...v, publicIp: false, bandwidthMbps: 5 }, "r").bandwidthMbps).toBe(0);
    expect(toSpec({ ...v, hostName: "  " }, "r").hostName).toBeNull();
  });

  it("sends backend errors to the step and field that own them", () => {
    expect(stepOfField("billing.maxPrice")).toBe("place");
    expect(stepOfField("instanceType")).toBe("type");
    expect(stepOfField("imageId")).toBe("image");
    expect(stepOfField("dataDisks[1].sizeGib")).toBe("storage");
    expect(stepOfField("subnetId")).toBe("network");
    expect(stepOfField("login.password")).toBe("security");
    expect(stepOfField("count")).toBe("details");
    expect(stepOfField(null)).toBeNull();
    expect(formFieldOf("systemDisk.sizeGib")).toBe("systemDiskSize");
    expect(formFieldOf("login.password")).toBe("password");
    expect(formFieldOf("count")).toBe("count");
  });

  it("checks instantly what the backend will check again", () => {
    const ok = {
      ...defaultValues,
      zone: "ap-guangzhou-3",
      instanceType: "S5.MEDIUM4",
      imageId: "img-6n21msk1",
      password: "Wizard-Pass1",
    };
    expect(formSchema.safeParse(ok).success).toBe(true);
    const bad = formSchema.safeParse({
      ...ok,
      systemDiskSize: 10,
      count: 0,
      publicIp: true,
      bandwidthMbps: 0,
      chargeType: "SPOTPAID",
      spotMode: "bid",
      maxPrice: "x",
    });
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((i) => i.path.join(".")).sort();
    expect(paths).toEqual(["bandwidthMbps", "count", "maxPrice", "systemDiskSize"]);
  });
});

describe("prefilled drafts", () => {
  it("become form values without a password, keeping billing, disks and network", async () => {
    const { draftToValues, formSchema } = await import("./form");
    const v = draftToValues({
      region: "ap-guangzhou",
      zone: "ap-guangzhou-3",
      billing: { type: "PREPAID", period: 12, renewFlag: "NOTIFY_AND_AUTO_RENEW" },
      instanceType: "S5.MEDIUM4",
      imageId: "img-487zeit5",
      systemDisk: { diskType: "CLOUD_SSD", sizeGib: 60 },
      dataDisks: [{ diskType: "CLOUD_PREMIUM", sizeGib: 100, deleteWithInstance: false }],
      vpcId: "vpc-12345678",
      subnetId: "subnet-12345678",
      publicIp: true,
      internetChargeType: "BANDWIDTH_PREPAID",
      bandwidthMbps: 5,
      securityGroupIds: ["sg-12345678"],
      loginKind: "password",
      keyIds: [],
      name: "web",
      hostName: null,
      tags: [{ key: "team", value: "web" }],
      count: 1,
      terminationProtection: true,
      notes: ["passwordNotCopied"],
    });
    expect(v.chargeType).toBe("PREPAID");
    expect(v.period).toBe(12);
    expect(v.renewFlag).toBe("NOTIFY_AND_AUTO_RENEW");
    expect(v.systemDiskSize).toBe(60);
    expect(v.dataDisks).toEqual([
      { diskType: "CLOUD_PREMIUM", sizeGib: 100, deleteWithInstance: false },
    ]);
    expect(v.subnetId).toBe("subnet-12345678");
    expect(v.password).toBe("");
    expect(v.hostName).toBe("");
    // The missing password is what the instant check asks for, in its own field.
    const r = formSchema.safeParse(v);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join("."))).toEqual(["password"]);
  });
});
