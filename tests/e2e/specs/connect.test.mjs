// Connect end to end: a new Sandbox user creates a key pair (its private key saved by the
// app), binds it, opens the connect dialog from the list row (the saved key file is
// offered), refuses the unknown host key once (nothing stored), trusts it, and runs
// `hostname` in the app's terminal tab, seeing the instance's own host name.
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
  captureIpc,
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
import { keygen, startSshd, typeLine, waitTerminal } from "../lib/connect.mjs";

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

async function closeConnect(browser) {
  // Whatever an earlier failed test left open: the confirmation first, then the dialog.
  await browser.execute(() => document.querySelector('[data-testid="confirm-cancel"]')?.click());
  await browser.execute(() => document.querySelector('[data-testid="connect-cancel"]')?.click());
  await gone(browser, "connect-dialog");
}

describe("connect", () => {
  const app = useApp({ before, after, afterEach });
  let profile;
  let target; // a running Linux instance with a public IP
  let hostName;

  before(async () => {
    const r = await invoke(app.browser, "set_active_profile", {
      id: "sandbox",
    });
    assert.ok(r.ok, r.error);
    await app.browser.refresh();
    await captureIpc(app.browser);
    const list = await invoke(app.browser, "list_profiles");
    profile = list.data.active;
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
});
