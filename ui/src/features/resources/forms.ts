// The resource forms' models: values and instant checks (zod, as the wizard's form.ts).
// Each issue's message is the catalog key of its field-level text. Quick feedback only:
// the forms still send what was typed, and the backend's refusal names the field.
import { z } from "zod";
import {
  cidrLooksValid,
  imageNameProblem,
  keyNameProblem,
  portProblem,
  publicKeyLooksValid,
} from "./validation";

/** A key pair's name; an empty one shows no hint (the button says what is missing). */
const keyName = z.string().superRefine((name, ctx) => {
  const p = name ? keyNameProblem(name) : null;
  if (p) ctx.addIssue({ code: "custom", message: `resources.kp.name.${p}` });
});

export const createKeySchema = z.object({ name: keyName });
export type CreateKeyValues = z.infer<typeof createKeySchema>;

export const importKeySchema = z.object({
  name: keyName,
  key: z.string().superRefine((key, ctx) => {
    if (key.trim() !== "" && !publicKeyLooksValid(key))
      ctx.addIssue({ code: "custom", message: "resources.kp.keyHint" });
  }),
});
export type ImportKeyValues = z.infer<typeof importKeySchema>;

export const createImageSchema = z.object({
  instanceId: z.string(),
  name: z.string().superRefine((name, ctx) => {
    const p = name ? imageNameProblem(name) : null;
    if (p) ctx.addIssue({ code: "custom", message: `resources.img.nameProblem.${p}` });
  }),
  description: z.string(),
  poweroff: z.boolean(),
});
export type CreateImageValues = z.infer<typeof createImageSchema>;

export const createGroupSchema = z.object({
  name: z.string().refine((n) => [...n].length <= 60, "resources.sg.nameTooLong"),
  description: z.string().refine((d) => [...d].length <= 100, "resources.sg.descriptionTooLong"),
});
export type CreateGroupValues = z.infer<typeof createGroupSchema>;

export const ruleSchema = z
  .object({
    direction: z.enum(["ingress", "egress"]),
    protocol: z.string(),
    port: z.string(),
    cidr: z.string().refine(cidrLooksValid, "resources.sg.cidrProblem"),
    action: z.string(),
    description: z.string(),
  })
  // The port's rule depends on the protocol (ICMP and ALL take only ALL).
  .superRefine((r, ctx) => {
    const p = portProblem(r.port, r.protocol);
    if (p)
      ctx.addIssue({ code: "custom", path: ["port"], message: `resources.sg.portProblem.${p}` });
  });
export type RuleValues = z.infer<typeof ruleSchema>;

export const allocateSchema = z.object({
  charge: z.string(),
  bandwidth: z.string().refine((b) => {
    const n = Number(b);
    return Number.isInteger(n) && n >= 1 && n <= 100;
  }, "resources.eip.bandwidthHint"),
  name: z.string(),
});
export type AllocateValues = z.infer<typeof allocateSchema>;

/** An instance type change: the target type and, for a running instance, how it stops. */
export const resizeSchema = z.object({
  target: z.string(),
  plan: z.enum(["stopFirst", "forceStop"]),
});
export type ResizeValues = z.infer<typeof resizeSchema>;

/** Why a new bandwidth cannot be asked for: out of the offered range, or lower on prepaid. */
export function bandwidthProblem(
  o: { minMbps: number; maxMbps: number; currentMbps: number; prepaid: boolean },
  value: string,
): "range" | "prepaidLower" | null {
  const n = Number(value);
  if (o.prepaid && value !== "" && n < o.currentMbps) return "prepaidLower";
  const ok =
    value !== "" && Number.isInteger(n) && n >= o.minMbps && n <= o.maxMbps && n !== o.currentMbps;
  return ok ? null : "range";
}

/** The new bandwidth, checked against what the instance offers (once known). */
export function bandwidthSchema(
  o: { minMbps: number; maxMbps: number; currentMbps: number; prepaid: boolean } | undefined,
) {
  return z.object({
    mbps: z.string().superRefine((value, ctx) => {
      const p = o && value !== "" ? bandwidthProblem(o, value) : null;
      if (p) ctx.addIssue({ code: "custom", message: p });
    }),
  });
}
export type BandwidthValues = z.infer<ReturnType<typeof bandwidthSchema>>;

/** Instances to bind a key pair to (or unbind from), and whether running ones may be stopped. */
export const keyBindSchema = z.object({
  picked: z.array(z.string()),
  force: z.boolean(),
});
export type KeyBindValues = z.infer<typeof keyBindSchema>;

/** The image list's search: the type applies at once, name and platform on Search. */
export const IMAGE_TYPES = ["PUBLIC_IMAGE", "PRIVATE_IMAGE", "SHARED_IMAGE"] as const;

export const imageSearchSchema = z.object({
  imageType: z.enum(IMAGE_TYPES),
  name: z.string(),
  platform: z.string(),
});
export type ImageSearchValues = z.infer<typeof imageSearchSchema>;
