// Connect's test helpers: Debian's sshd on loopback with a throwaway host key and user,
// and reading and typing into the app's terminal (xterm.js's DOM rows).
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function keygen(path, args) {
  execFileSync("ssh-keygen", [...args, "-q", "-f", path], { stdio: "ignore" });
}

export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

export function portOpen(port) {
  return new Promise((res) => {
    const s = createConnection({ host: "127.0.0.1", port });
    s.once("connect", () => {
      s.destroy();
      res(true);
    });
    s.once("error", () => res(false));
  });
}

/** Debian's sshd on a free loopback port: a throwaway host key, this user, one client key. */
export async function startSshd() {
  const dir = mkdtempSync(join(tmpdir(), "cvm-e2e-sshd-"));
  keygen(join(dir, "host"), ["-t", "ed25519", "-N", ""]);
  keygen(join(dir, "client"), ["-t", "rsa", "-b", "2048", "-m", "PEM", "-N", ""]);
  copyFileSync(join(dir, "client.pub"), join(dir, "authorized_keys"));
  mkdirSync("/run/sshd", { recursive: true });
  const port = await freePort();
  writeFileSync(
    join(dir, "sshd_config"),
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${join(dir, "host")}`,
      `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
      `PidFile ${join(dir, "sshd.pid")}`,
      "StrictModes no",
      "UsePAM no",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "PermitRootLogin prohibit-password",
      "AllowTcpForwarding yes",
      "",
    ].join("\n"),
  );
  const child = spawn("/usr/sbin/sshd", ["-D", "-e", "-f", join(dir, "sshd_config")], {
    stdio: "ignore",
  });
  const exited = new Promise((r) => child.once("exit", r));
  const end = Date.now() + 10000;
  while (!(await portOpen(port))) {
    if (Date.now() > end || child.exitCode !== null) throw new Error("sshd did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  const fingerprint = execFileSync("ssh-keygen", [
    "-l",
    "-E",
    "sha256",
    "-f",
    join(dir, "host.pub"),
  ])
    .toString()
    .split(" ")[1];
  return {
    port,
    dir,
    key: join(dir, "client"),
    user: execFileSync("id", ["-un"]).toString().trim(),
    fingerprint,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}

/** The text the active terminal shows (xterm's DOM rows). */
export function terminalText(browser) {
  return browser.execute(() => {
    const views = [...document.querySelectorAll(".terminal-view")].filter((v) => !v.hidden);
    return views[0]?.querySelector(".xterm-rows")?.innerText ?? "";
  });
}

export async function waitTerminal(browser, re, timeout = 30000) {
  let text = "";
  await browser.waitUntil(
    async () => {
      text = await terminalText(browser);
      return re.test(text);
    },
    { timeout, interval: 250, timeoutMsg: `the terminal never showed ${re}` },
  );
  return text;
}

/** Types a command line into the active terminal. */
export async function typeLine(browser, line) {
  const area = await browser.$(".terminal-view:not([hidden]) .xterm-helper-textarea");
  await area.waitForExist({ timeout: 15000 });
  await browser.execute(() =>
    document.querySelector(".terminal-view:not([hidden]) .xterm-helper-textarea")?.focus(),
  );
  await browser.keys([...line, "Enter"]);
}

/**
 * Pastes a command line into the active terminal (the browser's paste event, which the
 * terminal turns into input as Ctrl+Shift+V does) and presses Enter. WebDriver's typing
 * into the terminal drops keys now and then (a doubled character, a space), so lines with
 * those are pasted.
 */
export async function pasteLine(browser, line) {
  const area = await browser.$(".terminal-view:not([hidden]) .xterm-helper-textarea");
  await area.waitForExist({ timeout: 15000 });
  await browser.execute((text) => {
    const el = document.querySelector(".terminal-view:not([hidden]) .xterm-helper-textarea");
    el.focus();
    const data = new DataTransfer();
    data.setData("text/plain", text);
    el.dispatchEvent(
      new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }),
    );
  }, line);
  await browser.keys(["Enter"]);
}
