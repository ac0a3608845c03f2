// Connect end to end: a new Sandbox user creates and binds a key pair and gets a shell
// in an app tab; password login; the host key's first use (Cancel and OK) and the
// refusal of a changed one; an unbound key and bad key files refused with no tab left;
// a real OpenSSH server (Debian's sshd on loopback, throwaway host key and user) running
// a real command through the app's terminal; and passwords and passphrases nowhere on
// disk, in logs, the activity log or IPC answers.
import assert from "node:assert/strict";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import {
  CHANNEL,
  activity,
  captureIpc,
  capturedIpc,
  click,
  confirmDialog,
  gone,
  invoke,
  repoRoot,
  screenshot,
  textOf,
  typeInto,
  useApp,
} from "../lib/harness.mjs";
import { keygen, pasteLine, startSshd, typeLine, waitTerminal } from "../lib/connect.mjs";

// A world of its own: the keys, bindings and passwords this spec makes stay out of the
// Sandbox the other specs share (and compare screens of).
const home = mkdtempSync(join(tmpdir(), "cvm-e2e-connect-home-"));
process.env.HOME = home;
process.env.XDG_CONFIG_HOME = join(home, ".config");
process.env.XDG_DATA_HOME = join(home, ".local/share");
process.env.XDG_CACHE_HOME = join(home, ".cache");
// No ssh-agent of the machine's: agent login must fail plainly, not use someone's keys.
delete process.env.SSH_AUTH_SOCK;
// Created private keys go here instead of a native save dialog (debug builds only).
const keyDir = mkdtempSync(join(tmpdir(), "cvm-e2e-connect-keys-"));
process.env.CVM_CONSOLE_E2E_KEY_DIR = keyDir;

const REGION = "ap-guangzhou";
// Canaries: must never appear in any file, log, activity entry or IPC answer.
const stamp = Date.now().toString(36);
const PASSWORD = `Pw${stamp}Canary#7x`;
const WRONG_PASSWORD = `Wrong${stamp}Canary#8y`;
const PASSPHRASE = `pass${stamp}Canary9z`;
const WRONG_PASSPHRASE = `nope${stamp}Canary0w`;

/** Screens for the docs: always in artifacts; with CVM_E2E_UPDATE_REFERENCES=1 in docs/. */
async function docShot(browser, name) {
  const file = await screenshot(browser, name);
  if (process.env.CVM_E2E_UPDATE_REFERENCES === "1") {
    mkdirSync(join(repoRoot, "docs/screenshots"), { recursive: true });
    copyFileSync(file, join(repoRoot, "docs/screenshots", `${name}.png`));
  }
}

function filesUnder(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...filesUnder(p));
    else if (st.isFile()) out.push(p);
  }
  return out;
}

function tabCount(browser) {
  return browser.execute(() => document.querySelectorAll('[data-testid^="terminal-tab-"]').length);
}

async function instance(browser, profile, id) {
  const r = await invoke(browser, "describe_instance", {
    scope: { profile, region: REGION },
    instanceId: id,
  });
  assert.ok(r.ok, r.error);
  return r.data;
}

async function waitRunning(browser, profile, id) {
  await browser.waitUntil(
    async () => (await instance(browser, profile, id)).summary.state === "RUNNING",
    {
      timeout: 90000,
      interval: 1000,
      timeoutMsg: `${id} never came back to RUNNING`,
    },
  );
}

/** Opens the connect dialog through the command palette's "Connect to …" entry. */
async function connectFromPalette(browser, id) {
  await click(browser, "nav-instances");
  await textOf(browser, `open-${id}`, 30000);
  await browser.keys(["Control", "k"]);
  await typeInto(browser, "palette-input", id);
  await click(browser, `palette-connect-${id}`);
  await textOf(browser, "connect-dialog");
}

/** Opens the connect dialog through the list row's own Connect button. */
async function connectFromRow(browser, id) {
  await click(browser, "nav-instances");
  await textOf(browser, `open-${id}`, 30000);
  // Shown on hover; clicked as the keyboard would reach it.
  await browser.execute((i) => document.querySelector(`[data-testid="connect-${i}"]`).click(), id);
  await textOf(browser, "connect-dialog");
}

async function chooseKeyFile(browser, path, passphrase = "") {
  await click(browser, "connect-method-keyFile");
  await typeInto(browser, "connect-key-file", path);
  if (passphrase) await typeInto(browser, "connect-passphrase", passphrase);
  else await (await browser.$('[data-testid="connect-passphrase"]')).clearValue();
}

/** Submits and expects a refusal: the error shown, and no tab added. */
async function refused(browser, re) {
  const before = await tabCount(browser);
  await click(browser, "connect-submit");
  const text = await textOf(browser, "error-box", 30000);
  assert.match(text, re);
  assert.equal(await tabCount(browser), before, "no tab for a refused login");
  return text;
}

// IPC answers captured before a reload, for the audit at the end.
const ipcEarlier = [];

/** Reloads the page, keeping what the IPC capture saw and capturing again after. */
async function reload(browser) {
  ipcEarlier.push(...(await capturedIpc(browser)));
  await browser.refresh();
  await captureIpc(browser);
}

async function closeConnect(browser) {
  // Whatever an earlier failed test left open: the confirmation first, then the dialog.
  await browser.execute(() => document.querySelector('[data-testid="confirm-cancel"]')?.click());
  await browser.execute(() => document.querySelector('[data-testid="connect-cancel"]')?.click());
  await gone(browser, "connect-dialog");
}

describe("connect", () => {
  const app = useApp({ before, after, afterEach });
  let profile;
  let sshd;
  let target; // a running Linux instance with a public IP
  let hostName;

  before(async () => {
    sshd = await startSshd();
    const r = await invoke(app.browser, "set_active_profile", {
      id: "sandbox",
    });
    assert.ok(r.ok, r.error);
    await app.browser.refresh();
    await captureIpc(app.browser);
    const list = await invoke(app.browser, "list_profiles");
    profile = list.data.active;
  });

  after(async () => {
    await sshd?.stop();
  });

  it("reaches the Terminals page and a host connection from the palette before any terminal", async () => {
    const b = app.browser;
    assert.equal(await tabCount(b), 0);
    await b.keys(["Control", "k"]);
    await typeInto(b, "palette-input", "terminals");
    await click(b, "palette-nav-terminals");
    await textOf(b, "terminals-empty");
    await click(b, "terminals-empty-connect-host");
    await textOf(b, "connect-host-host");
    await closeConnect(b);
    await b.keys(["Control", "k"]);
    await typeInto(b, "palette-input", "connect to a host");
    await click(b, "palette-connect-host");
    await textOf(b, "connect-host-host");
    await closeConnect(b);
    await click(b, "nav-instances");
  });

  it("a new Sandbox user creates and binds a key pair, trusts the host key (Cancel, then OK) and runs hostname", async () => {
    const b = app.browser;
    await click(b, "nav-resources");
    await click(b, "res-tab-keyPairs");
    await textOf(b, "kp-table");
    await typeInto(b, "kp-create-name", "e2e_connect");
    await click(b, "kp-create");
    await textOf(b, "kp-created");
    const keyFile = join(keyDir, "e2e_connect.pem");
    assert.ok(existsSync(keyFile));
    await click(b, "kp-bind-e2e_connect");
    await textOf(b, "kp-bind-instances");
    const picks = await b.execute(() =>
      [...document.querySelectorAll('[data-testid^="kp-pick-"]')].map((c) => ({
        id: c.getAttribute("data-testid").slice("kp-pick-".length),
        disabled: c.disabled,
        text: c.closest("label").textContent,
      })),
    );
    const candidates = picks.filter((p) => !p.disabled && /Running/.test(p.text));
    for (const c of candidates) {
      const d = await instance(b, profile, c.id);
      if (d.summary.publicIps.length > 0) {
        target = d.summary;
        hostName = d.hostName;
        break;
      }
    }
    assert.ok(target, "a running Linux instance with a public IP");
    await click(b, `kp-pick-${target.id}`);
    await click(b, "kp-force");
    await click(b, "kp-bind-go");
    await textOf(b, "kp-bind-done", 60000);
    await click(b, "kp-bind-close");
    await waitRunning(b, profile, target.id);

    await connectFromRow(b, target.id);
    // The saved private key is offered for the key pair; the login user is the image's.
    const path = await b.$('[data-testid="connect-key-file"]').getValue();
    assert.equal(path, keyFile);
    assert.match(await textOf(b, "connect-command"), new RegExp(`${target.id}@`));
    await docShot(b, "connect-auth-en-light");

    await click(b, "connect-submit");
    const tofu = await confirmDialog(b, "host-key-unknown", 30000);
    assert.match(await tofu.getText(), /SHA256:/);
    await docShot(b, "connect-tofu-en-light");
    await click(b, "confirm-cancel");
    assert.match(await textOf(b, "connect-notice"), /not trusted/);
    const stored = filesUnder(home).filter((f) => f.endsWith("known_hosts"));
    for (const f of stored)
      assert.ok(!readFileSync(f, "utf8").includes("sandbox"), "nothing stored");
    assert.equal(await tabCount(b), 0);

    await click(b, "connect-submit");
    await confirmDialog(b, "host-key-unknown", 30000);
    await click(b, "confirm-ok");
    await textOf(b, "terminals-page");
    await gone(b, "connect-dialog", 30000);
    await waitTerminal(b, /Sandbox/);
    await typeLine(b, "hostname");
    await waitTerminal(b, new RegExp(`hostname\\s*\\n${hostName}`));
    assert.equal(await tabCount(b), 1);
    await docShot(b, "connect-terminal-en-light");
  });

  it("opens a second tab to the same instance from the palette and logs in by password", async () => {
    const b = app.browser;
    await closeConnect(b);
    const reset = await invoke(b, "reset_instances_password", {
      scope: { profile, region: REGION },
      instanceIds: [target.id],
      input: { password: PASSWORD, userName: null, forceStop: true },
      onChange: CHANNEL,
    });
    assert.ok(reset.ok, reset.error);
    await waitRunning(b, profile, target.id);
    await connectFromPalette(b, target.id);
    await b.execute(() =>
      document.querySelector('[data-testid="connect-form"]').setAttribute("data-probe", "1"),
    );
    await click(b, "connect-method-password");
    await typeInto(b, "connect-password", WRONG_PASSWORD);
    const before = await tabCount(b);
    await refused(b, /refused the login/);
    await typeInto(b, "connect-password", PASSWORD);
    await click(b, "connect-submit");
    await gone(b, "connect-dialog", 30000);
    assert.equal(await tabCount(b), before + 1);
    await waitTerminal(b, /Sandbox/);
    await typeLine(b, "whoami");
    await waitTerminal(b, /whoami\s*\n(root|ubuntu)/);
  });

  it("refuses an unbound key, a missing or malformed key file and a wrong or missing passphrase, with no tab left", async () => {
    const b = app.browser;
    await closeConnect(b);
    const dir = mkdtempSync(join(tmpdir(), "cvm-e2e-badkeys-"));
    keygen(join(dir, "unbound"), ["-t", "ed25519", "-N", ""]);
    keygen(join(dir, "locked"), ["-t", "ed25519", "-N", PASSPHRASE]);
    writeFileSync(join(dir, "not-a-key"), "this is not a private key\n");
    await connectFromPalette(b, target.id);
    await chooseKeyFile(b, join(dir, "unbound"));
    await refused(b, /refused the login/);
    await chooseKeyFile(b, join(dir, "missing"));
    await refused(b, /no key file at/);
    await chooseKeyFile(b, join(dir, "not-a-key"));
    await refused(b, /not a private key|format/i);
    await chooseKeyFile(b, join(dir, "locked"));
    await refused(b, /protected by a passphrase/);
    await chooseKeyFile(b, join(dir, "locked"), WRONG_PASSPHRASE);
    await refused(b, /Wrong passphrase/);
    // The right passphrase decrypts it; the key is still not bound, so the login fails.
    await chooseKeyFile(b, join(dir, "locked"), PASSPHRASE);
    await refused(b, /refused the login/);
    await click(b, "connect-method-agent");
    await refused(b, /agent/i);
    await closeConnect(b);
  });

  it("refuses a changed host key with both fingerprints until the old key is removed", async () => {
    const b = app.browser;
    await closeConnect(b);
    const file = filesUnder(home).find(
      (f) => f.endsWith("known_hosts") && readFileSync(f, "utf8").includes("sandbox"),
    );
    assert.ok(file, "the Sandbox's key was stored when trusted");
    const other = join(mkdtempSync(join(tmpdir(), "cvm-e2e-otherhost-")), "k");
    keygen(other, ["-t", "ed25519", "-N", ""]);
    const pub = readFileSync(`${other}.pub`, "utf8").split(" ").slice(0, 2).join(" ");
    writeFileSync(file, `sandbox ${pub}\n`);

    await connectFromPalette(b, target.id);
    await click(b, "connect-method-password");
    await typeInto(b, "connect-password", PASSWORD);
    await click(b, "connect-submit");
    const changed = await textOf(b, "host-key-changed", 30000);
    const storedFp = await textOf(b, "host-key-stored");
    const offeredFp = await textOf(b, "host-key-offered");
    assert.match(storedFp, /^SHA256:/);
    assert.match(offeredFp, /^SHA256:/);
    assert.notEqual(storedFp, offeredFp);
    assert.match(changed, /refused/);
    // No way past it: Connect is disabled while the refusal stands.
    assert.equal(await b.$('[data-testid="connect-submit"]').isEnabled(), false);
    await docShot(b, "connect-changed-en-light");

    await click(b, "host-key-remove");
    await confirmDialog(b, "forget-host-key");
    await click(b, "confirm-cancel");
    assert.ok(readFileSync(file, "utf8").includes(pub), "Cancel keeps the stored key");
    await textOf(b, "host-key-changed");

    await click(b, "host-key-remove");
    await confirmDialog(b, "forget-host-key");
    await click(b, "confirm-ok");
    await textOf(b, "connect-notice");
    assert.ok(!readFileSync(file, "utf8").includes(pub), "the old key is gone");
    await click(b, "connect-submit");
    await confirmDialog(b, "host-key-unknown", 30000);
    await click(b, "confirm-ok");
    await gone(b, "connect-dialog", 30000);
    await waitTerminal(b, /Sandbox/);
  });

  it("runs a real command on a real OpenSSH server through the app's terminal", async () => {
    const b = app.browser;
    await closeConnect(b);
    await click(b, "nav-terminals");
    await click(b, "connect-host");
    await typeInto(b, "connect-host-host", "127.0.0.1");
    await typeInto(b, "connect-host-port", String(sshd.port));
    await typeInto(b, "connect-host-user", sshd.user);
    await chooseKeyFile(b, sshd.key);
    await click(b, "connect-submit");
    const tofu = await confirmDialog(b, "host-key-unknown", 30000);
    // The fingerprint OpenSSH itself computes for the server's key.
    assert.ok((await tofu.getText()).includes(sshd.fingerprint), sshd.fingerprint);
    await click(b, "confirm-ok");
    await gone(b, "connect-dialog", 30000);
    await pasteLine(b, "echo sum=$((6*7)); id -un");
    await waitTerminal(b, new RegExp(`sum=42\\s*\\n${sshd.user}`));
  });

  it("reaches an instance at its private IP through another Sandbox instance, and says so when a jump host refuses", async () => {
    const b = app.browser;
    await closeConnect(b);
    // The jump host: another running Linux instance of the target's VPC, given the same
    // key pair (bound as the Resources page does, forced off and back on).
    const scope = { profile, region: REGION };
    const mine = await instance(b, profile, target.id);
    // list_instances keeps nothing: the page's own listing of the region caches it.
    let cached = null;
    for (let i = 0; i < 60 && !cached; i++) {
      cached = (await invoke(b, "cached_instances", { scope })).data?.instances ?? null;
      if (!cached) await new Promise((r) => setTimeout(r, 500));
    }
    assert.ok(cached, "the page's listing of the role's region was cached");
    let peer;
    for (const c of cached) {
      if (c.id === target.id || c.state !== "RUNNING" || c.publicIps.length === 0) continue;
      const d = await instance(b, profile, c.id);
      if (d.vpcId === mine.vpcId && !/windows/i.test(d.summary.osName ?? "")) {
        peer = d.summary;
        break;
      }
    }
    assert.ok(peer, "a second running Linux instance in the target's VPC");
    const keys = await invoke(b, "list_key_pairs", { scope });
    const kp = keys.data.find((k) => k.name === "e2e_connect");
    const bound = await invoke(b, "bind_key_pair", {
      scope,
      keyId: kp.id,
      instanceIds: [peer.id],
      forceStop: true,
    });
    assert.ok(bound.ok, bound.error);
    await waitRunning(b, profile, peer.id);

    await connectFromPalette(b, target.id);
    await click(b, "connect-method-password");
    await typeInto(b, "connect-password", PASSWORD);
    await click(b, "connect-jump-on");
    // A jump host by address (the real sshd) that does not know the user: refused, named,
    // and no tab opens.
    await typeInto(b, "connect-jump-host", "127.0.0.1");
    await typeInto(b, "connect-jump-port", String(sshd.port));
    await typeInto(b, "connect-jump-user", "nobody-here");
    await click(b, "connect-jump-method-keyFile");
    await typeInto(b, "connect-jump-key-file", sshd.key);
    const text = await refused(b, /jump host/i);
    assert.ok(!text.includes(PASSWORD), "the refusal does not echo the password");

    // The peer picked from the list: its address and login user are looked up, the key
    // pair logs in to it, and it forwards to the target's private IP.
    await (await b.$('[data-testid="connect-jump-instance"]')).selectByAttribute("value", peer.id);
    await gone(b, "connect-jump-host");
    await typeInto(b, "connect-jump-key-file", join(keyDir, "e2e_connect.pem"));
    // The same hops as an OpenSSH command line.
    const command = await invoke(b, "ssh_command", {
      scope,
      instanceId: target.id,
      keyId: null,
      jump: null,
      jumpInstance: peer.id,
    });
    assert.ok(command.ok, command.error);
    assert.ok(command.data.startsWith(`ssh -J ${peer.id}@127.0.0.1:`), command.data);
    assert.match(command.data, / (root|ubuntu)@[\d.]+$/);
    assert.ok(command.data.endsWith(`@${mine.summary.privateIps[0]}`), command.data);
    await click(b, "connect-submit");
    await gone(b, "connect-dialog", 30000);
    await waitTerminal(b, /Sandbox/);
    await typeLine(b, "hostname");
    await waitTerminal(b, new RegExp(`hostname\\s*\\n${hostName}`));
  });

  it("logs in to an instance of a role account (AssumeRole) of the Sandbox", async () => {
    const b = app.browser;
    await closeConnect(b);
    const role = "sandbox-fleet-operator";
    assert.ok((await invoke(b, "set_active_profile", { id: role })).ok);
    await reload(b);
    const scope = { profile: role, region: REGION };
    const listed = await invoke(b, "list_instances", { scope, zone: null, onPage: CHANNEL });
    assert.ok(listed.ok, listed.error);
    const cached = (await invoke(b, "cached_instances", { scope })).data.instances;
    const linux = cached.find(
      (i) => i.state === "RUNNING" && i.publicIps.length > 0 && !/windows/i.test(i.osName ?? ""),
    );
    assert.ok(linux, "a running Linux instance of the role's account");
    const reset = await invoke(b, "reset_instances_password", {
      scope,
      instanceIds: [linux.id],
      input: { password: PASSWORD, userName: null, forceStop: true },
      onChange: CHANNEL,
    });
    assert.ok(reset.ok, reset.error);
    await waitRunning(b, role, linux.id);
    const detail = await instance(b, role, linux.id);

    await connectFromPalette(b, linux.id);
    await click(b, "connect-method-password");
    await typeInto(b, "connect-password", PASSWORD);
    await click(b, "connect-submit");
    await gone(b, "connect-dialog", 30000);
    // The role's own instance answers: its id in the banner, its host name.
    await waitTerminal(b, new RegExp(linux.id));
    await typeLine(b, "hostname");
    await waitTerminal(b, new RegExp(`hostname\\s*\\n${detail.hostName}`));
    assert.ok((await invoke(b, "set_active_profile", { id: "sandbox" })).ok);
    await reload(b);
  });

  it("never writes the password or passphrase to disk, logs, the activity log or an IPC answer", async () => {
    const b = app.browser;
    await closeConnect(b);
    const canaries = [PASSWORD, WRONG_PASSWORD, PASSPHRASE, WRONG_PASSPHRASE];
    for (const f of filesUnder(home)) {
      const body = readFileSync(f);
      for (const c of canaries) assert.ok(!body.includes(c), `${f} contains a secret`);
    }
    const log = JSON.stringify(await activity(b));
    for (const c of canaries) assert.ok(!log.includes(c), "the activity log contains a secret");
    for (const line of [...ipcEarlier, ...(await capturedIpc(b))])
      for (const c of canaries)
        assert.ok(!line.includes(c), `an IPC answer leaks: ${line.slice(0, 120)}`);
    const html = await b.execute(() => document.documentElement.outerHTML);
    for (const c of canaries) assert.ok(!html.includes(c), "the page still holds a secret");
  });

  it("shows the terminals and dialogs in Simplified Chinese, dark", async () => {
    const b = app.browser;
    await b.execute(() => {
      localStorage.setItem("cvm-console.language", "zh-CN");
      localStorage.setItem("cvm-console.theme", "dark");
    });
    await b.refresh();
    await closeConnect(b);
    await connectFromPalette(b, target.id);
    await textOf(b, "connect-key-file");
    await docShot(b, "connect-auth-zh-CN-dark");
    await click(b, "connect-method-password");
    await typeInto(b, "connect-password", PASSWORD);
    await click(b, "connect-submit");
    await gone(b, "connect-dialog", 30000);
    await waitTerminal(b, /Sandbox/);
    await typeLine(b, "hostname");
    await waitTerminal(b, new RegExp(`hostname\\s*\\n${hostName}`));
    await docShot(b, "connect-terminal-zh-CN-dark");
    await b.execute(() => {
      localStorage.removeItem("cvm-console.language");
      localStorage.removeItem("cvm-console.theme");
    });
  });
});
