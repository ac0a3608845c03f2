// Quick feedback only: the backend applies the same rules before anything is sent.

/** Tencent's key pair names: 1–25 letters, digits and underscores. */
export function keyNameProblem(name: string): "required" | "tooLong" | "illegal" | null {
  if (name.length === 0) return "required";
  if ([...name].length > 25) return "tooLong";
  if (!/^[A-Za-z0-9_]+$/.test(name)) return "illegal";
  return null;
}

/** An OpenSSH public key line of type ssh-rsa or ssh-ed25519. */
export function publicKeyLooksValid(key: string): boolean {
  const parts = key.trim().split(/\s+/);
  if (parts.length < 2 || key.trim().includes("\n")) return false;
  const [algo, blob = ""] = parts;
  const prefix =
    algo === "ssh-rsa" ? "AAAAB3NzaC1yc2E" : algo === "ssh-ed25519" ? "AAAAC3NzaC1lZDI1NTE5" : null;
  if (!prefix || !blob.startsWith(prefix) || blob.length % 4 !== 0) return false;
  if (!/^[A-Za-z0-9+/=]+$/.test(blob)) return false;
  return algo === "ssh-ed25519" ? blob.length === 68 : blob.length >= 204;
}
