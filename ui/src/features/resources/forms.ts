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
