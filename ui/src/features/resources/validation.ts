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

/** Tencent's image names: 1–60 characters of Chinese, letters, digits, -, _ and . */
export function imageNameProblem(name: string): "required" | "tooLong" | "illegal" | null {
  if (name.trim().length === 0) return "required";
  if ([...name].length > 60) return "tooLong";
  if (!/^[A-Za-z0-9\-_.\u4e00-\u9fff]+$/.test(name)) return "illegal";
  return null;
}

/** A security group rule's port: ALL, 1–65535, a comma list or a range. */
export function portProblem(port: string, protocol: string): "range" | "allOnly" | null {
  const p = port.trim();
  if (p === "" || p.toUpperCase() === "ALL") return null;
  if (protocol === "ALL" || protocol === "ICMP") return "allOnly";
  const num = (s: string) => /^\d+$/.test(s) && Number(s) >= 1 && Number(s) <= 65535;
  const ok = p.split(",").every((part) => {
    const [a, b, ...rest] = part.split("-");
    if (rest.length) return false;
    return b === undefined ? num(a ?? "") : num(a ?? "") && num(b) && Number(a) <= Number(b);
  });
  return ok ? null : "range";
}

/** An IPv4 address or CIDR block. */
export function cidrLooksValid(cidr: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(cidr.trim());
  if (!m) return false;
  const octets = m.slice(1, 5).map(Number);
  return octets.every((o) => o <= 255) && (m[5] === undefined || Number(m[5]) <= 32);
}
