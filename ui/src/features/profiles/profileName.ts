import type { Profile } from "../../backend";

/** The role's name in `qcs::cam::uin/<uin>:roleName/<name>`, or the whole ARN. */
export function roleName(arn: string): string {
  const at = arn.indexOf(":roleName/");
  return at < 0 ? arn : arn.slice(at + ":roleName/".length);
}

/**
 * A profile's name as shown: the Sandbox's in the UI's language (`sandbox`), the role
 * accounts it ships (ids `sandbox-…`) as "Sandbox · <role>", every other profile (a role
 * the user added through the Sandbox too) by the name the user gave it.
 */
export function profileName(
  p: Pick<Profile, "id" | "kind" | "name" | "role">,
  sandbox: string,
): string {
  if (p.kind !== "sandbox") return p.name;
  if (!p.role) return sandbox;
  return p.id.startsWith("sandbox-") ? `${sandbox} · ${roleName(p.role.roleArn)}` : p.name;
}
