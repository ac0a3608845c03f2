// The wizard's form model: values, instant checks (zod; the backend stays the authority),
// the LaunchSpec they become, and which step owns which backend error field.
import { z } from "zod";
import type { LaunchDraft, LaunchSpec } from "../../backend";

export const STEPS = [
  "place",
  "type",
  "image",
  "storage",
  "network",
  "security",
  "details",
  "review",
] as const;
export type Step = (typeof STEPS)[number];

export const PERIODS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 24, 36, 48, 60];
export const RENEW_FLAGS = [
  "NOTIFY_AND_AUTO_RENEW",
  "NOTIFY_AND_MANUAL_RENEW",
  "DISABLE_NOTIFY_AND_MANUAL_RENEW",
] as const;
export const SYSTEM_DISK_TYPES = ["CLOUD_PREMIUM", "CLOUD_SSD", "CLOUD_BSSD", "CLOUD_HSSD"];
export const DATA_DISK_TYPES = ["CLOUD_PREMIUM", "CLOUD_SSD", "CLOUD_BSSD", "CLOUD_HSSD"];
export const CHARGE_TYPES = ["POSTPAID_BY_HOUR", "PREPAID", "SPOTPAID"] as const;

const SPECIALS = "()`~!@#$%^&*-+=_|{}[]:;'<>,.?/";

/** Tencent's password rules (Linux 8–30; Windows 12–30), three character classes. */
export function passwordProblem(pw: string, windows: boolean): string | null {
  const min = windows ? 12 : 8;
  if (pw.length < min || pw.length > 30)
    return windows ? "passwordLengthWindows" : "passwordLength";
  if ([...pw].some((c) => !/[A-Za-z0-9]/.test(c) && !SPECIALS.includes(c))) return "passwordChars";
  if (pw.startsWith("/")) return "passwordSlash";
  const classes =
    [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(pw)).length +
    ([...pw].some((c) => SPECIALS.includes(c)) ? 1 : 0);
  if (classes < 3) return "passwordClasses";
  return null;
}

export const formSchema = z
  .object({
    zone: z.string().min(1, "zoneRequired"),
    chargeType: z.enum(CHARGE_TYPES),
    period: z.number().refine((p) => PERIODS.includes(p), "period"),
    renewFlag: z.enum(RENEW_FLAGS),
    spotMode: z.enum(["market", "bid"]),
    maxPrice: z.string(),
    instanceType: z.string().min(1, "typeRequired"),
    imageId: z.string().min(1, "imageRequired"),
    imageWindows: z.boolean(),
    systemDiskType: z.string(),
    systemDiskSize: z.number().int().min(20, "systemDiskSize").max(1024, "systemDiskSize"),
    dataDisks: z
      .array(
        z.object({
          diskType: z.string(),
          sizeGib: z
            .number()
            .int()
            .min(10, "dataDiskSize")
            .max(32000, "dataDiskSize")
            .refine((n) => n % 10 === 0, "dataDiskSize"),
          deleteWithInstance: z.boolean(),
        }),
      )
      .max(20),
    vpcId: z.string(),
    subnetId: z.string(),
    publicIp: z.boolean(),
    internetChargeType: z.string(),
    bandwidthMbps: z.number().int().min(0, "bandwidth").max(1000, "bandwidth"),
    securityGroupIds: z.array(z.string()).max(5, "securityGroups"),
    loginKind: z.enum(["password", "keyPair", "keepImageLogin"]),
    password: z.string(),
    keyIds: z.array(z.string()),
    name: z.string().max(60, "nameLength"),
    hostName: z.string(),
    tags: z.array(
      z.object({ key: z.string().min(1, "tagKey").max(127, "tagKey"), value: z.string().max(255) }),
    ),
    count: z.number().int().min(1, "count").max(500, "count"),
    terminationProtection: z.boolean(),
  })
  .superRefine((v, ctx) => {
    if (v.chargeType === "SPOTPAID" && v.spotMode === "bid") {
      const n = Number(v.maxPrice);
      if (!(n > 0)) ctx.addIssue({ code: "custom", path: ["maxPrice"], message: "maxPrice" });
    }
    if (v.loginKind === "password") {
      const p = passwordProblem(v.password, v.imageWindows);
      if (p) ctx.addIssue({ code: "custom", path: ["password"], message: p });
    }
    if (v.loginKind === "keyPair") {
      if (v.imageWindows)
        ctx.addIssue({ code: "custom", path: ["keyIds"], message: "keyPairWindows" });
      else if (v.keyIds.length === 0)
        ctx.addIssue({ code: "custom", path: ["keyIds"], message: "keyRequired" });
    }
    if (v.publicIp && v.bandwidthMbps < 1)
      ctx.addIssue({ code: "custom", path: ["bandwidthMbps"], message: "bandwidthForIp" });
    if (v.internetChargeType === "BANDWIDTH_PREPAID" && v.chargeType !== "PREPAID")
      ctx.addIssue({ code: "custom", path: ["internetChargeType"], message: "bandwidthPrepaid" });
  });

export type FormValues = z.infer<typeof formSchema>;

export const defaultValues: FormValues = {
  zone: "",
  chargeType: "POSTPAID_BY_HOUR",
  period: 1,
  renewFlag: "NOTIFY_AND_MANUAL_RENEW",
  spotMode: "market",
  maxPrice: "",
  instanceType: "",
  imageId: "",
  imageWindows: false,
  systemDiskType: "CLOUD_PREMIUM",
  systemDiskSize: 50,
  dataDisks: [],
  vpcId: "",
  subnetId: "",
  publicIp: true,
  internetChargeType: "TRAFFIC_POSTPAID_BY_HOUR",
  bandwidthMbps: 1,
  securityGroupIds: [],
  loginKind: "password",
  password: "",
  keyIds: [],
  name: "",
  hostName: "",
  tags: [],
  count: 1,
  terminationProtection: false,
};

/** The fields each step validates before moving on. */
export const STEP_FIELDS: Record<Step, (keyof FormValues)[]> = {
  place: ["zone", "chargeType", "period", "renewFlag", "spotMode", "maxPrice"],
  type: ["instanceType"],
  image: ["imageId"],
  storage: ["systemDiskType", "systemDiskSize", "dataDisks"],
  network: ["vpcId", "subnetId", "publicIp", "internetChargeType", "bandwidthMbps"],
  security: ["securityGroupIds", "loginKind", "password", "keyIds", "hostName"],
  details: ["name", "tags", "count", "terminationProtection"],
  review: [],
};

export function toSpec(v: FormValues, region: string): LaunchSpec {
  const billing: LaunchSpec["billing"] =
    v.chargeType === "PREPAID"
      ? { type: "PREPAID", period: v.period, renewFlag: v.renewFlag }
      : v.chargeType === "SPOTPAID"
        ? { type: "SPOTPAID", maxPrice: v.spotMode === "bid" ? v.maxPrice.trim() : null }
        : { type: "POSTPAID_BY_HOUR" };
  const login: LaunchSpec["login"] =
    v.loginKind === "password"
      ? { kind: "password", password: v.password }
      : v.loginKind === "keyPair"
        ? { kind: "keyPair", keyIds: v.keyIds }
        : { kind: "keepImageLogin" };
  return {
    region,
    zone: v.zone,
    billing,
    instanceType: v.instanceType,
    imageId: v.imageId,
    systemDisk: { diskType: v.systemDiskType, sizeGib: v.systemDiskSize },
    dataDisks: v.dataDisks,
    vpcId: v.vpcId,
    subnetId: v.subnetId,
    publicIp: v.publicIp,
    internetChargeType: v.internetChargeType,
    bandwidthMbps: v.publicIp ? v.bandwidthMbps : 0,
    securityGroupIds: v.securityGroupIds,
    login,
    name: v.name,
    hostName: v.hostName.trim() === "" ? null : v.hostName.trim(),
    tags: v.tags,
    count: v.count,
    terminationProtection: v.terminationProtection,
  };
}

/** The step that owns a backend error field (`systemDisk.sizeGib`, `login.password`…). */
export function stepOfField(field: string | null | undefined): Step | null {
  if (!field) return null;
  const f = field.replace(/\[.*$/, "").split(".")[0] ?? "";
  if (["region", "zone", "billing"].includes(f)) return "place";
  if (f === "instanceType") return "type";
  if (f === "imageId") return "image";
  if (["systemDisk", "dataDisks"].includes(f)) return "storage";
  if (["vpcId", "subnetId", "publicIp", "internetChargeType", "bandwidthMbps"].includes(f))
    return "network";
  if (["securityGroupIds", "login", "hostName"].includes(f)) return "security";
  if (["name", "tags", "count", "terminationProtection"].includes(f)) return "details";
  return null;
}

/** A backend error field as the form field it belongs to. */
export function formFieldOf(field: string): keyof FormValues | null {
  const map: Record<string, keyof FormValues> = {
    "billing.period": "period",
    "billing.maxPrice": "maxPrice",
    "billing.renewFlag": "renewFlag",
    billing: "chargeType",
    "systemDisk.sizeGib": "systemDiskSize",
    "systemDisk.diskType": "systemDiskType",
    "login.password": "password",
    "login.keyIds": "keyIds",
    login: "loginKind",
  };
  if (map[field]) return map[field];
  const head = field.replace(/\[.*$/, "");
  return head in defaultValues ? (head as keyof FormValues) : null;
}

/** Quick setup size presets: the smallest on-sale type with at least this much. */
export const PRESETS = {
  small: { cpu: 1, memory: 1 },
  medium: { cpu: 2, memory: 4 },
  large: { cpu: 4, memory: 8 },
} as const;
export type Preset = keyof typeof PRESETS;

/** A prefilled draft (template or "buy the same") as form values; the password stays empty. */
export function draftToValues(d: LaunchDraft): FormValues {
  const b = d.billing;
  const login = (["password", "keyPair", "keepImageLogin"] as const).find((k) => k === d.loginKind);
  return {
    ...defaultValues,
    zone: d.zone,
    chargeType: b.type,
    period: b.type === "PREPAID" ? b.period : 1,
    renewFlag:
      b.type === "PREPAID" && (RENEW_FLAGS as readonly string[]).includes(b.renewFlag)
        ? (b.renewFlag as FormValues["renewFlag"])
        : defaultValues.renewFlag,
    spotMode: b.type === "SPOTPAID" && b.maxPrice ? "bid" : "market",
    maxPrice: b.type === "SPOTPAID" ? (b.maxPrice ?? "") : "",
    instanceType: d.instanceType,
    imageId: d.imageId,
    systemDiskType: d.systemDisk.diskType,
    systemDiskSize: d.systemDisk.sizeGib,
    dataDisks: d.dataDisks.map((x) => ({ ...x })),
    vpcId: d.vpcId,
    subnetId: d.subnetId,
    publicIp: d.publicIp,
    internetChargeType: d.internetChargeType,
    bandwidthMbps: d.bandwidthMbps,
    securityGroupIds: [...d.securityGroupIds],
    loginKind: login ?? "password",
    password: "",
    keyIds: [...d.keyIds],
    name: d.name,
    hostName: d.hostName ?? "",
    tags: d.tags.map((x) => ({ ...x })),
    count: d.count,
    terminationProtection: d.terminationProtection,
  };
}
