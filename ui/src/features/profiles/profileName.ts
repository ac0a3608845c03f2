import type { Profile } from "../../backend";

/** The role's name in `qcs::cam::uin/<uin>:roleName/<name>`, or the whole ARN. */
export function roleName(arn: string): string {
  const at = arn.indexOf(":roleName/");
  return at < 0 ? arn : arn.slice(at + ":roleName/".length);
}

/**
 * A profile's name as shown: the Sandbox's in the UI's language (`sandbox`), its role
 * accounts as "Sandbox · <role>", every other profile by the name the user gave it.
 */
export function profileName(p: Pick<Profile, "kind" | "name" | "role">, sandbox: string): string {
  if (p.kind !== "sandbox") return p.name;
  return p.role ? `${sandbox} · ${roleName(p.role.roleArn)}` : sandbox;
}
