// Resources end to end on the Sandbox: security groups, elastic IPs, key pairs, images,
// and changing an instance's type and bandwidth. Bad input must be refused with the
// field named and nothing sent; destructive actions need the resource's name typed.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import {
  CHANNEL,
  click,
  invoke,
  referenceShot,
  screenshot,
  selectValue,
  textOf,
  typeInto,
  useApp,
} from "../lib/harness.mjs";

// The app writes created private keys here instead of asking with a native save dialog
// (debug builds only; WebDriver cannot drive a GTK file chooser).
const keyDir = mkdtempSync(join(tmpdir(), "cvm-e2e-keys-"));
process.env.CVM_CONSOLE_E2E_KEY_DIR = keyDir;

const REGION = "ap-guangzhou";
const ED25519 =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ1Fh2s0M3Rk1n8Vb4pGQyqf5n0l8h3V7u2m9cX2H0aZ e2e@host";

/**
 * A screenshot in the run's artifacts; with CVM_E2E_DOCS=1 also copied to
 * docs/screenshots (so an ordinary run leaves the working tree clean).
 */

async function waitText(browser, testid, re, timeout = 60000) {
  // Looked up afresh on every poll: React may replace the element meanwhile.
  let text = null;
  await browser.waitUntil(
    async () => {
      text = await browser.execute(
        (id) => document.querySelector(`[data-testid="${id}"]`)?.innerText ?? null,
        testid,
      );
      return text !== null && re.test(text);
    },
    { timeout, interval: 250, timeoutMsg: `${testid} never matched ${re}` },
  );
  return text;
}

async function gone(browser, testid, timeout = 15000) {
  // Asked in the page: a handle to an element that disappears mid-lookup goes stale.
  await browser.waitUntil(
    () => browser.execute((id) => !document.querySelector(`[data-testid="${id}"]`), testid),
    { timeout, interval: 200, timeoutMsg: `${testid} is still shown` },
  );
}

/** Rows of the configuration table: id, state, whether it has a public IP. */
async function cfgRows(browser) {
  await textOf(browser, "cfg-table", 30000);
  return browser.execute(() =>
    [...document.querySelectorAll('[data-testid^="cfg-row-"]')].map((tr) => {
      const id = tr.getAttribute("data-testid").slice("cfg-row-".length);
      return {
        id,
        state: tr.querySelector(`[data-testid="cfg-state-${id}"]`)?.textContent ?? "",
        bw: tr.querySelector(`[data-testid="cfg-bw-${id}"]`)?.textContent ?? "",
      };
    }),
  );
}

/** Closes a dialog an earlier failed test may have left open. */
async function closeDialogs(browser) {
  await browser.execute(() => {
    for (const id of [
      "resize-close",
      "bw-close",
      "confirm-cancel",
      "kp-bind-close",
      "img-create-close",
    ]) {
      document.querySelector(`[data-testid="${id}"]`)?.click();
    }
  });
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

async function profileId(browser) {
  const r = await invoke(browser, "list_profiles");
  assert.ok(r.ok, r.error);
  return r.data.active;
}

/** Made by this run: where a private key was saved (a temporary folder), a key's creation day. */
const RUN_MADE = [
  '[data-testid="kp-created"]',
  // The new key pair's id is made by the Sandbox in each run.
  '[data-testid="kp-row-e2e_laptop"] td:first-child',
];

describe("resources", () => {
  const app = useApp({ before, after, afterEach });
  let profile;

  before(async () => {
    // Earlier spec files share this HOME: make sure the Sandbox is the active profile.
    const active = await invoke(app.browser, "set_active_profile", {
      id: "sandbox",
    });
    assert.ok(active.ok, active.error);
    await app.browser.refresh();
    await click(app.browser, "nav-resources");
    await selectValue(app.browser, "res-region", REGION);
    profile = await profileId(app.browser);
  });

  it("lists security groups with their rules and keeps an instance's last group", async () => {
    await click(app.browser, "res-tab-securityGroups");
    await textOf(app.browser, "sg-table");
    await textOf(app.browser, "sg-ingress");
    const list = await textOf(app.browser, "sg-instances");
    const first = list.match(/ins-[0-9a-z]{8}/)?.[0];
    assert.ok(first, "the group is bound to an instance");
    await click(app.browser, `sg-unbind-${first}`);
    const report = await waitText(app.browser, "res-report", /failed/);
    assert.match(report, /0 succeeded, 1 failed/);
    assert.match(await textOf(app.browser, `res-report-error-${first}`), /only security group/);
    await referenceShot(app.browser, "resources-security-groups-en-light", { mask: RUN_MADE });
  });

  it("allocates an EIP (bandwidth checked first), associates, refuses a second bind, disassociates and releases it", async () => {
    await click(app.browser, "res-tab-addresses");
    assert.match(await textOf(app.browser, "eip-billing-note"), /still charged/);
    await click(app.browser, "eip-allocate");
    await typeInto(app.browser, "eip-bandwidth", "101");
    assert.match(await textOf(app.browser, "eip-bandwidth-hint"), /1 to 100/);
    await typeInto(app.browser, "eip-name", "e2e_web");
    await click(app.browser, "eip-allocate-go");
    assert.match(await textOf(app.browser, "res-field-error-bandwidth"), /out of range/);
    await referenceShot(app.browser, "resources-eip-bad-bandwidth-en-light", { mask: RUN_MADE });
    await typeInto(app.browser, "eip-bandwidth", "5");
    await click(app.browser, "eip-allocate-go");
    await gone(app.browser, "eip-allocate-dialog");
    const table = await waitText(app.browser, "eip-table", /e2e_web/);
    const eip = table
      .split("\n")
      .find((l) => l.includes("e2e_web"))
      ?.match(/eip-[0-9a-z]{8}/)?.[0];
    assert.ok(eip, table);
    assert.match(await textOf(app.browser, `eip-status-${eip}`), /Idle/);

    await click(app.browser, `eip-associate-${eip}`);
    const target = await app.browser.execute(() => {
      const s = document.querySelector('[data-testid="eip-associate-target"]');
      return s && s.options.length > 1 ? s.options[1].value : null;
    });
    assert.ok(target, "an instance to associate with");
    await selectValue(app.browser, "eip-associate-target", target);
    await click(app.browser, "eip-associate-go");
    await gone(app.browser, "eip-associate-dialog");
    await waitText(app.browser, `eip-status-${eip}`, /Bound/);

    // Already bound: the backend names the field and sends nothing.
    const again = await invoke(app.browser, "associate_address", {
      scope: { profile, region: REGION },
      addressId: eip,
      instanceId: target,
    });
    assert.equal(again.ok, false);
    assert.match(again.error, /"field":"addressId"/);
    assert.match(again.error, /already bound/);
    await referenceShot(app.browser, "resources-eip-en-light", { mask: RUN_MADE });

    await click(app.browser, `eip-disassociate-${eip}`);
    await waitText(app.browser, `eip-status-${eip}`, /Idle/);
    await click(app.browser, `eip-release-${eip}`);
    assert.match(await textOf(app.browser, "confirm-dialog"), new RegExp(eip));
    const go = await app.browser.$('[data-testid="confirm-ok"]');
    assert.equal(await go.isEnabled(), false);
    await typeInto(app.browser, "confirm-typed", eip);
    await referenceShot(app.browser, "resources-eip-release-confirm-en-light", { mask: RUN_MADE });
    await click(app.browser, "confirm-ok");
    await gone(app.browser, "confirm-dialog");
    await gone(app.browser, `eip-row-${eip}`);
  });

  it("creates a key pair whose private key is saved once, owner-only, and never shown", async () => {
    await click(app.browser, "res-tab-keyPairs");
    await textOf(app.browser, "kp-table");
    const long = "a".repeat(26);
    await typeInto(app.browser, "kp-create-name", long);
    assert.match(await textOf(app.browser, "kp-name-hint"), /25/);
    await click(app.browser, "kp-create");
    assert.match(await textOf(app.browser, "res-field-error-keyName"), /at most 25/);
    await typeInto(app.browser, "kp-create-name", "e2e_laptop");
    await click(app.browser, "kp-create");
    const saved = await textOf(app.browser, "kp-created");
    const file = join(keyDir, "e2e_laptop.pem");
    assert.ok(saved.includes(file), saved);
    assert.ok(existsSync(file));
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const pem = readFileSync(file, "utf8");
    assert.match(pem, /^-----BEGIN RSA PRIVATE KEY-----/);
    const body = pem.split("\n")[1];
    const html = await app.browser.execute(() => document.body.innerHTML);
    assert.ok(!html.includes(body.slice(0, 40)), "the private key is not on screen");
    // Nor anywhere the app writes: config, data, logs, web view storage (all under HOME).
    const home = process.env.CVM_E2E_HOME;
    if (home) {
      for (const f of filesUnder(home)) {
        assert.ok(!readFileSync(f).includes(body.slice(0, 40)), `the private key leaked into ${f}`);
      }
    }
    await textOf(app.browser, "kp-row-e2e_laptop");
    await referenceShot(app.browser, "resources-key-pairs-en-light", { mask: RUN_MADE });
  });

  it("imports a public key after refusing a malformed one, and deletes only keys not in use", async () => {
    await typeInto(app.browser, "kp-import-name", "e2e_imported");
    await typeInto(app.browser, "kp-import-key", "ssh-rsa not-a-key");
    await textOf(app.browser, "kp-key-hint");
    await click(app.browser, "kp-import");
    assert.match(await textOf(app.browser, "res-field-error-publicKey"), /ssh-rsa key/);
    await typeInto(app.browser, "kp-import-key", ED25519);
    await click(app.browser, "kp-import");
    await textOf(app.browser, "kp-row-e2e_imported");

    // A preloaded key used by instances: refused, naming them.
    const inUse = await app.browser.execute(() => {
      const row = [...document.querySelectorAll('[data-testid^="kp-row-"]')].find((r) =>
        /ins-/.test(r.textContent),
      );
      return row?.getAttribute("data-testid").slice("kp-row-".length) ?? null;
    });
    assert.ok(inUse, "a key pair in use");
    await click(app.browser, `kp-delete-${inUse}`);
    await typeInto(app.browser, "confirm-typed", inUse);
    await click(app.browser, "confirm-ok");
    assert.match(await textOf(app.browser, "res-error-code"), /App.KeyPairInUse/);
    assert.match(await textOf(app.browser, "res-error-message"), /ins-/);
    await referenceShot(app.browser, "resources-key-pair-in-use-en-light", { mask: RUN_MADE });
    await click(app.browser, "confirm-cancel");
    await gone(app.browser, "confirm-dialog");

    await click(app.browser, "kp-delete-e2e_imported");
    await typeInto(app.browser, "confirm-typed", "e2e_imported");
    await click(app.browser, "confirm-ok");
    await gone(app.browser, "kp-row-e2e_imported");
  });

  it("lists public, private and shared images with filters", async () => {
    await click(app.browser, "res-tab-images");
    const all = Number((await textOf(app.browser, "img-count")).match(/\d+/)[0]);
    assert.ok(all > 3);
    await typeInto(app.browser, "img-platform", "Ubuntu");
    await click(app.browser, "img-search");
    await app.browser.waitUntil(
      async () => Number((await textOf(app.browser, "img-count")).match(/\d+/)[0]) < all,
      { timeout: 15000 },
    );
    const table = await textOf(app.browser, "img-table");
    assert.match(table, /Ubuntu/);
    assert.doesNotMatch(table, /CentOS|Windows/);
    await referenceShot(app.browser, "resources-images-en-light", { mask: RUN_MADE });
    await selectValue(app.browser, "img-type", "PRIVATE_IMAGE");
    assert.match(await textOf(app.browser, "img-empty"), /No private images/);
  });

  it("changes a running instance's type: sellable types only, price, stop first, progress until running", async () => {
    await click(app.browser, "res-tab-configuration");
    const rows = await cfgRows(app.browser);
    const running = rows.find((r) => r.state === "RUNNING");
    assert.ok(running, "a running instance");
    await click(app.browser, `cfg-resize-${running.id}`);
    await textOf(app.browser, "resize-target");
    // A type the zone does not sell is refused with the field named, before anything is sent.
    const bogus = await invoke(app.browser, "resize_instance", {
      scope: { profile, region: REGION },
      instanceId: running.id,
      instanceType: "ZZ9.HUGE9",
      stopPlan: "forceStop",
      acceptedPrice: 0,
      onChange: "__CHANNEL__:1", // never used: the refusal comes first
    });
    assert.equal(bogus.ok, false);
    assert.match(bogus.error, /"field":"instanceType"/);
    const target = await app.browser.execute(() => {
      const s = document.querySelector('[data-testid="resize-target"]');
      const o = [...s.options].find((x) => x.value && !x.disabled);
      return o?.value ?? null;
    });
    assert.ok(target, "a sellable type");
    await selectValue(app.browser, "resize-target", target);
    await textOf(app.browser, "res-price");
    await click(app.browser, "resize-plan-stopFirst");
    await referenceShot(app.browser, "resources-resize-en-light", { mask: RUN_MADE });
    await click(app.browser, "resize-go");
    const done = await waitText(app.browser, "resize-done", /RUNNING/, 120000);
    assert.ok(done.includes(target), done);
    assert.match(await textOf(app.browser, "resize-states"), /STOPP|RUNNING|STARTING/);
    await referenceShot(app.browser, "resources-resize-done-en-light", { mask: RUN_MADE });
    await click(app.browser, "resize-close");
    await waitText(app.browser, `cfg-type-${running.id}`, new RegExp(target.replace(".", "\\.")));
  });

  it("changes bandwidth within the billing model's limits", async () => {
    await closeDialogs(app.browser);
    const rows = await cfgRows(app.browser);
    const withIp = rows.find((r) => r.state === "RUNNING" && /Mbps/.test(r.bw));
    assert.ok(withIp, "a running instance with a public IP");
    await click(app.browser, `cfg-bandwidth-${withIp.id}`);
    await typeInto(app.browser, "bw-value", "5000");
    // Out of range: said at once, and nothing to price or send.
    assert.match(await textOf(app.browser, "bw-hint"), /1 to \d+/);
    assert.equal(await (await app.browser.$('[data-testid="bw-go"]')).isEnabled(), false);
    // The backend refuses it too, naming the field, before any price or change is asked.
    const far = await invoke(app.browser, "change_bandwidth", {
      scope: { profile, region: REGION },
      instanceId: withIp.id,
      bandwidthMbps: 5000,
      acceptedPrice: 0,
      onChange: CHANNEL,
    });
    assert.equal(far.ok, false);
    assert.match(far.error, /"field":"bandwidth"/);
    assert.match(far.error, /out of range/);
    const current = Number(withIp.bw.match(/\d+/)[0]);
    // Raising is allowed for every billing model (prepaid bandwidth cannot be lowered).
    const next = current < 50 ? current + 1 : current - 1;
    await typeInto(app.browser, "bw-value", String(next));
    await gone(app.browser, "bw-hint"); // the hint was about the old value
    await textOf(app.browser, "res-price");
    await referenceShot(app.browser, "resources-bandwidth-en-light", { mask: RUN_MADE });
    await click(app.browser, "bw-go");
    await waitText(app.browser, "bw-done", new RegExp(`${next} Mbps`), 60000);
    await click(app.browser, "bw-close");
  });

  it("creates a security group, refuses a bad port, adds a rule, binds and unbinds an instance, and deletes it", async () => {
    await closeDialogs(app.browser);
    await click(app.browser, "res-tab-securityGroups");
    await textOf(app.browser, "sg-table");
    await typeInto(app.browser, "sg-create-name", "x".repeat(61));
    assert.match(await textOf(app.browser, "sg-name-hint"), /60/);
    const create = await app.browser.$('[data-testid="sg-create"]');
    assert.equal(await create.isEnabled(), false);
    // The backend refuses it too, naming the field (nothing is sent).
    const long = await invoke(app.browser, "create_security_group", {
      scope: { profile, region: REGION },
      name: "x".repeat(61),
      description: "",
    });
    assert.equal(long.ok, false);
    assert.match(long.error, /"field":"groupName"/);
    await typeInto(app.browser, "sg-create-name", "e2e-web");
    await typeInto(app.browser, "sg-create-description", "web tier");
    await click(app.browser, "sg-create");
    await waitText(app.browser, "sg-detail", /e2e-web/);
    assert.match(await textOf(app.browser, "sg-detail"), /No rules|no rules/i);

    await typeInto(app.browser, "sg-rule-port", "70000");
    assert.match(await textOf(app.browser, "sg-port-hint"), /1–65535/);
    const badRule = await invoke(app.browser, "add_security_group_rule", {
      scope: { profile, region: REGION },
      securityGroupId: (await textOf(app.browser, "sg-detail")).match(/sg-[0-9a-z]{8}/)[0],
      rule: {
        direction: "ingress",
        protocol: "TCP",
        port: "70000",
        cidr: "0.0.0.0/0",
        action: "ACCEPT",
        description: "",
      },
    });
    assert.equal(badRule.ok, false);
    assert.match(badRule.error, /"field":"port"/);
    await typeInto(app.browser, "sg-rule-port", "443");
    await typeInto(app.browser, "sg-rule-description", "https");
    await click(app.browser, "sg-rule-add");
    await waitText(app.browser, "sg-ingress", /443/);

    const target = await app.browser.execute(() => {
      // A seeded Sandbox instance: other specs in the same run leave their own behind.
      const s = document.querySelector('[data-testid="sg-bind-target"]');
      const seeded = [...(s?.options ?? [])].find((o) => o.value && !/e2e/.test(o.text));
      return seeded ? seeded.value : null;
    });
    assert.ok(target, "an instance to bind");
    await selectValue(app.browser, "sg-bind-target", target);
    await click(app.browser, "sg-bind");
    await waitText(app.browser, "sg-instances", new RegExp(target));
    await referenceShot(app.browser, "resources-security-group-created-en-light", {
      mask: RUN_MADE,
    });
    await click(app.browser, `sg-unbind-${target}`);
    await waitText(app.browser, "res-report", /1 succeeded, 0 failed/);
    await app.browser.waitUntil(
      async () => !(await textOf(app.browser, "sg-instances").catch(() => "")).includes(target),
      { timeout: 15000, timeoutMsg: "the instance was not unbound" },
    );
    await click(app.browser, "sg-delete");
    await typeInto(app.browser, "confirm-typed", "e2e-web");
    await click(app.browser, "confirm-ok");
    await gone(app.browser, "confirm-dialog");
    await app.browser.waitUntil(
      async () => !(await textOf(app.browser, "sg-table")).includes("e2e-web"),
      { timeout: 15000, timeoutMsg: "the group was not deleted" },
    );
  });

  it("binds a key pair to a running instance only with ForceStop, refuses deleting it while bound, unbinds and deletes it", async () => {
    await closeDialogs(app.browser);
    await click(app.browser, "res-tab-keyPairs");
    await typeInto(app.browser, "kp-import-name", "e2e_bind");
    await typeInto(app.browser, "kp-import-key", ED25519);
    await click(app.browser, "kp-import");
    await textOf(app.browser, "kp-row-e2e_bind");
    await click(app.browser, "kp-bind-e2e_bind");
    await textOf(app.browser, "kp-bind-instances");
    // Windows instances cannot be picked; a running Linux one needs ForceStop.
    const picks = await app.browser.execute(() =>
      [...document.querySelectorAll('[data-testid^="kp-pick-"]')].map((c) => ({
        id: c.getAttribute("data-testid").slice("kp-pick-".length),
        disabled: c.disabled,
        text: c.closest("label").textContent,
      })),
    );
    const win = picks.find((p) => /Windows/.test(p.text));
    if (win) assert.equal(win.disabled, true, "Windows instances cannot be picked");
    const linux = picks.find((p) => !p.disabled && /Running/.test(p.text));
    assert.ok(linux, "a running Linux instance");
    await click(app.browser, `kp-pick-${linux.id}`);
    assert.match(await textOf(app.browser, "kp-needs-force"), new RegExp(linux.id));
    const go = await app.browser.$('[data-testid="kp-bind-go"]');
    assert.equal(await go.isEnabled(), false);
    // Sent anyway, the backend refuses it naming forceStop.
    const kid = (await textOf(app.browser, "kp-row-e2e_bind")).match(/skey-[0-9a-z]{8}/)[0];
    const refused = await invoke(app.browser, "bind_key_pair", {
      scope: { profile, region: REGION },
      keyId: kid,
      instanceIds: [linux.id],
      forceStop: false,
    });
    assert.equal(refused.ok, false);
    assert.match(refused.error, /"field":"forceStop"/);
    await click(app.browser, "kp-force");
    await gone(app.browser, "kp-needs-force");
    assert.match(await textOf(app.browser, "kp-bind-dialog"), /data not yet written/);
    await referenceShot(app.browser, "resources-key-pair-bind-en-light", { mask: RUN_MADE });
    await click(app.browser, "kp-bind-go");
    await textOf(app.browser, "kp-bind-done");
    await click(app.browser, "kp-bind-close");
    await waitText(app.browser, "kp-row-e2e_bind", new RegExp(linux.id));

    // In use: deleting is refused, naming the instance.
    await click(app.browser, "kp-delete-e2e_bind");
    await typeInto(app.browser, "confirm-typed", "e2e_bind");
    await click(app.browser, "confirm-ok");
    assert.match(await textOf(app.browser, "res-error-code"), /App.KeyPairInUse/);
    assert.match(await textOf(app.browser, "res-error-message"), new RegExp(linux.id));
    await click(app.browser, "confirm-cancel");
    await gone(app.browser, "confirm-dialog");

    // Unbind once the forced restart is over (an operation in progress is refused).
    await click(app.browser, "kp-unbind-e2e_bind");
    await click(app.browser, `kp-pick-${linux.id}`);
    await click(app.browser, "kp-force");
    await app.browser.waitUntil(
      async () => {
        await click(app.browser, "kp-bind-go");
        const done = await app.browser.$('[data-testid="kp-bind-done"]');
        if (await done.waitForExist({ timeout: 3000 }).catch(() => false)) return true;
        return false;
      },
      {
        timeout: 60000,
        interval: 2000,
        timeoutMsg: "the key pair was never unbound",
      },
    );
    await click(app.browser, "kp-bind-close");
    await app.browser.waitUntil(
      async () => !(await textOf(app.browser, "kp-row-e2e_bind")).includes(linux.id),
      { timeout: 15000, timeoutMsg: "the instance still uses the key" },
    );
    await click(app.browser, "kp-delete-e2e_bind");
    await typeInto(app.browser, "confirm-typed", "e2e_bind");
    await click(app.browser, "confirm-ok");
    await gone(app.browser, "kp-row-e2e_bind");
  });

  it("creates an image from an instance (name rules checked, CREATING until NORMAL) and deletes it after confirmation", async () => {
    await closeDialogs(app.browser);
    await click(app.browser, "res-tab-images");
    await click(app.browser, "img-create-open");
    await textOf(app.browser, "img-create-dialog");
    const inst = await app.browser.execute(() => {
      const s = document.querySelector('[data-testid="img-create-instance"]');
      const o = [...s.options].find((x) => /Running/.test(x.textContent));
      return o?.value ?? null;
    });
    assert.ok(inst, "a running instance");
    await selectValue(app.browser, "img-create-instance", inst);
    await typeInto(app.browser, "img-create-name", "has space");
    assert.match(await textOf(app.browser, "img-name-hint"), /Only Chinese, letters/);
    const go = await app.browser.$('[data-testid="img-create-go"]');
    assert.equal(await go.isEnabled(), false);
    const bad = await invoke(app.browser, "create_image", {
      scope: { profile, region: REGION },
      input: {
        instanceId: inst,
        imageName: "has space",
        description: "",
        forcePoweroff: true,
      },
    });
    assert.equal(bad.ok, false);
    assert.match(bad.error, /"field":"imageName"/);
    await typeInto(app.browser, "img-create-name", "e2e-image.v1");
    await typeInto(app.browser, "img-create-description", "made by the e2e suite");
    assert.match(await textOf(app.browser, "img-create-dialog"), /stays stopped/);
    await referenceShot(app.browser, "resources-image-create-en-light", { mask: RUN_MADE });
    await click(app.browser, "img-create-go");
    const created = await textOf(app.browser, "img-created");
    const img = created.match(/img-[0-9a-z]{8}/)?.[0];
    assert.ok(img, created);
    await click(app.browser, "img-create-close");
    // The list switched to private images; the new one is Creating, then Normal.
    await waitText(app.browser, `img-state-${img}`, /Creating|Normal/);
    await waitText(app.browser, `img-state-${img}`, /Normal/, 90000);
    await referenceShot(app.browser, "resources-images-private-en-light", { mask: RUN_MADE });
    await click(app.browser, "img-delete-e2e-image.v1");
    assert.match(await textOf(app.browser, "confirm-dialog"), new RegExp(img));
    await typeInto(app.browser, "confirm-typed", "e2e-image.v1");
    await click(app.browser, "confirm-ok");
    await gone(app.browser, "confirm-dialog");
    await gone(app.browser, `img-row-${img}`);
  });

  it("renders in Simplified Chinese and dark", async () => {
    await closeDialogs(app.browser);
    await click(app.browser, "nav-settings");
    await selectValue(app.browser, "language-select", "zh-CN");
    await selectValue(app.browser, "theme-select", "dark");
    await click(app.browser, "nav-resources");
    await click(app.browser, "res-tab-addresses");
    assert.match(await textOf(app.browser, "eip-billing-note"), /闲置/);
    await referenceShot(app.browser, "resources-eip-zh-CN-dark", { mask: RUN_MADE });
    await click(app.browser, "res-tab-securityGroups");
    await textOf(app.browser, "sg-ingress");
    await referenceShot(app.browser, "resources-security-groups-zh-CN-dark", { mask: RUN_MADE });
    await click(app.browser, "res-tab-keyPairs");
    await textOf(app.browser, "kp-table");
    const kp = await app.browser.execute(() => {
      const b = document.querySelector('[data-testid^="kp-bind-"]');
      return b?.getAttribute("data-testid") ?? null;
    });
    assert.ok(kp, "a key pair to bind");
    await click(app.browser, kp);
    assert.match(await textOf(app.browser, "kp-bind-dialog"), /强制关机/);
    await referenceShot(app.browser, "resources-key-pair-bind-zh-CN-dark", { mask: RUN_MADE });
    await click(app.browser, "kp-bind-close");
    await click(app.browser, "res-tab-images");
    await click(app.browser, "img-create-open");
    assert.match(await textOf(app.browser, "img-create-dialog"), /制作自定义镜像/);
    await typeInto(app.browser, "img-create-name", "网站 镜像");
    assert.match(await textOf(app.browser, "img-name-hint"), /只能包含/);
    await referenceShot(app.browser, "resources-image-create-zh-CN-dark", { mask: RUN_MADE });
    await click(app.browser, "img-create-close");
    await click(app.browser, "nav-settings");
    await selectValue(app.browser, "theme-select", "dark");
    await selectValue(app.browser, "language-select", "en");
    await click(app.browser, "nav-resources");
    await click(app.browser, "res-tab-keyPairs");
    await textOf(app.browser, "kp-table");
    await referenceShot(app.browser, "resources-key-pairs-en-dark", { mask: RUN_MADE });
    await click(app.browser, "nav-settings");
    await selectValue(app.browser, "theme-select", "light");
  });
});
