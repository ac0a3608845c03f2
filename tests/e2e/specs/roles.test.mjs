// Role accounts end to end. A cvm-sim process holds a second account with a role the first
// may assume (`--accounts`), a key profile on it and a role profile through it: the role's
// rows are listed in the fleet with the role's own account. On the Sandbox, time is let
// pass through the profile's own dialog (Cancel first: nothing moves) beyond the role
// credentials' hour: the Sandbox's two role accounts are listed again with no error, and
// the activity log shows why: each role's first call was refused, the role assumed again,
// the call sent a second time. A role profile is added by hand through the form, a role
// that does not exist refused on the Role ARN field. Last, when the endpoint no longer
// knows the role's temporary keys and the role is gone (the sim restarted on the same
// port, without it), the fleet names the account whose role credentials failed.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { after, afterEach, before, describe, it } from "node:test";
import {
  activity,
  click,
  confirmDialog,
  gone,
  invoke,
  referenceShot,
  screenshot,
  selectValue,
  textOf,
  typeInto,
  useApp,
} from "../lib/harness.mjs";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const SIM_ID = "AKIDcvmsim00000000000000000000000000";
const SIM_KEY = "cvmsimSecretKey0000000000000000000";
const ROLE_ACCOUNT = "100000000002";
const ROLE_ARN = `qcs::cam::uin/${ROLE_ACCOUNT}:roleName/e2e-ops`;
// The Sandbox's own role accounts (cvm_sim::SANDBOX_ROLE_ACCOUNTS), their profiles'
// ids, and how long each set of their temporary keys lasts (one hour).
const SANDBOX_ROLES = ["sandbox-fleet-operator", "sandbox-fleet-auditor"];
const AUDITOR_ARN = "qcs::cam::uin/100000000003:roleName/fleet-auditor";

const dir = mkdtempSync(join(tmpdir(), "cvm-e2e-roles-"));
const withRole = join(dir, "accounts-role.json");
const withoutRole = join(dir, "accounts-no-role.json");
const account = { uin: ROLE_ACCOUNT, preload: 6 };
writeFileSync(
  withRole,
  JSON.stringify({
    roles: [
      {
        account: ROLE_ACCOUNT,
        name: "e2e-ops",
        id: "4611686018427390011",
        trusted: ["100000000001"],
      },
    ],
    accounts: [account],
  }),
);
writeFileSync(withoutRole, JSON.stringify({ accounts: [account] }));

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/** cvm-sim on a fixed port (the profiles keep its URL across restarts), a fresh process. */
async function startSimAt(port, accounts) {
  const bin = process.env.CVM_E2E_SIM ?? join(repoRoot, "target/debug/cvm-sim");
  const args = ["--listen", `127.0.0.1:${port}`, "--time-scale", "0", "--rate-limit", "off"];
  args.push("--no-ssh", "--preload", "4", "--seed", "31", "--accounts", accounts);
  const child = spawn(bin, args, { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise((r) => child.once("exit", r));
  await new Promise((res, rej) => {
    let buf = "";
    const t = setTimeout(() => rej(new Error("cvm-sim did not report ready")), 15000);
    child.stdout.on("data", (d) => {
      buf += d;
      if (/listening on/.test(buf)) {
        clearTimeout(t);
        res();
      }
    });
    child.once("exit", (code) => rej(new Error(`cvm-sim exited with ${code}`)));
  });
  return {
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const t = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}

/** The fleet's status of one account (done, partial, failed, loading, waiting). */
async function accountStatus(browser, id) {
  return browser.execute(
    (id) =>
      document.querySelector(`[data-testid="fleet-account-${id}"]`)?.getAttribute("data-status"),
    id,
  );
}

async function settledAccount(browser, id) {
  await browser.waitUntil(
    async () => ["done", "partial", "failed"].includes(await accountStatus(browser, id)),
    { timeout: 90000, interval: 250, timeoutMsg: `${id} never settled` },
  );
  return accountStatus(browser, id);
}

/** The instances an account's progress line counts (the table renders only rows in view). */
async function listedOf(browser, id) {
  const text = await browser.execute(
    (id) => document.querySelector(`[data-testid="fleet-account-${id}"]`)?.textContent ?? "",
    id,
  );
  const m = text.match(/([\d,]+) instances/);
  return m ? Number(m[1].replace(/,/g, "")) : 0;
}

describe("a role account", () => {
  let sim = null;
  let port = 0;
  const ids = {};
  after(async () => {
    try {
      for (const name of ["E2E ops role", "E2E form role", "E2E role base"])
        if (ids[name])
          await invoke(app.browser, "delete_profile", { id: ids[name], confirmName: name });
    } catch {
      /* the app may be gone */
    }
    if (sim) await sim.stop();
  });
  const app = useApp({ before, after, afterEach });

  before(async () => {
    const b = app.browser;
    port = await freePort();
    sim = await startSimAt(port, withRole);
    const base = await invoke(b, "create_profile", {
      input: {
        name: "E2E role base",
        site: { type: "custom", url: `http://127.0.0.1:${port}` },
        defaultRegion: "ap-guangzhou",
        language: "en-US",
        budget: { type: "current" },
        readOnly: false,
        secretId: SIM_ID,
        secretKey: SIM_KEY,
        token: null,
      },
    });
    assert.ok(base.ok, base.error);
    const list = await invoke(b, "list_profiles");
    for (const p of list.data.profiles) ids[p.name] = p.id;
    await invoke(b, "set_active_profile", { id: "sandbox" });
    await b.refresh();
    await click(b, "nav-settings");
    await selectValue(b, "language-select", "en");
    await selectValue(b, "theme-select", "light");
  });

  it("is added through its base profile (a malformed ARN refused at its field) and listed in the fleet with its own account", async () => {
    const b = app.browser;
    const input = {
      name: "E2E ops role",
      baseProfileId: ids["E2E role base"],
      roleArn: "e2e-ops",
      sessionName: "e2e",
      durationSeconds: 3600,
      readOnly: false,
    };
    const bad = await invoke(b, "create_role_profile", { input });
    assert.equal(bad.ok, false);
    assert.equal(JSON.parse(bad.error).field, "roleArn");
    const made = await invoke(b, "create_role_profile", { input: { ...input, roleArn: ROLE_ARN } });
    assert.ok(made.ok, made.error);
    const list = await invoke(b, "list_profiles");
    for (const p of list.data.profiles) ids[p.name] = p.id;
    const who = await invoke(b, "profile_identity", { profileId: ids["E2E ops role"] });
    assert.ok(who.ok, who.error);
    assert.equal(who.data.accountId, ROLE_ACCOUNT);
    await b.refresh();
    await click(b, "nav-fleet");
    assert.equal(await settledAccount(b, ids["E2E ops role"]), "done");
    assert.equal(await settledAccount(b, ids["E2E role base"]), "done");
    assert.ok((await listedOf(b, ids["E2E ops role"])) > 0, "the role account's own instances");
  });

  it("lets time pass in the Sandbox past the role credentials' hour: the role accounts refresh their keys and list", async () => {
    const b = app.browser;
    await click(b, "nav-fleet");
    for (const id of SANDBOX_ROLES) assert.equal(await settledAccount(b, id), "done");
    const clock = async () => (await invoke(b, "sandbox_clock")).data.aheadSeconds;
    const before = await clock();
    const assumed = async () =>
      (await activity(b, { profileId: "sandbox", text: "AssumeRole" })).filter(
        (e) => e.action === "AssumeRole" && e.result === "ok",
      ).length;
    const assumedBefore = await assumed();
    const newest = Math.max(0, ...(await activity(b)).map((e) => e.seq));

    await click(b, "nav-profiles");
    const shown = await b.$('[data-testid="sandbox-time"]');
    await shown.waitForExist({ timeout: 15000 });
    // Cancel: the dialog closes and the Sandbox's clock stays where it was.
    await click(b, "sandbox-pass-time");
    await confirmDialog(b, "sandbox-time");
    await selectValue(b, "sandbox-pass-hours", "24");
    await click(b, "confirm-cancel");
    await gone(b, "confirm-dialog");
    assert.ok(Math.abs((await clock()) - before) <= 1, "Cancel moved nothing");

    // OK: one day, more than the role credentials' hour.
    await click(b, "sandbox-pass-time");
    await confirmDialog(b, "sandbox-time");
    await selectValue(b, "sandbox-pass-hours", "24");
    await screenshot(b, "sandbox-time-dialog-en-light");
    await click(b, "confirm-ok");
    await gone(b, "confirm-dialog");
    assert.match(await textOf(b, "profiles-notice"), /Time passed/);
    const after = await clock();
    assert.ok(Math.abs(after - before - 86400) <= 2, `${before} → ${after}`);
    await b.waitUntil(async () => Number(await shown.getAttribute("data-ahead")) >= after - 2, {
      timeout: 15000,
      timeoutMsg: "the card does not show the Sandbox's new time",
    });
    assert.match(await shown.getText(), /\d+ d \d+ h ahead of real time/);

    await click(b, "nav-fleet");
    await click(b, "refresh");
    // Each role's token is refused on its first call after the day passed; the role is
    // assumed again through the Sandbox's keys and the call sent once more (2 attempts).
    const retried = async () => {
      const since = (await activity(b)).filter((e) => e.seq > newest);
      return SANDBOX_ROLES.map((id) => since.filter((e) => e.profileId === id && e.attempts === 2));
    };
    await b.waitUntil(async () => (await retried()).every((r) => r.length > 0), {
      timeout: 90000,
      interval: 500,
      timeoutMsg: "no role call was refused and sent again after a refresh",
    });
    for (const r of await retried())
      assert.ok(
        r.every((e) => e.result === "ok"),
        JSON.stringify(r),
      );
    for (const id of SANDBOX_ROLES) {
      assert.equal(await settledAccount(b, id), "done", `${id} lists again`);
      assert.equal(
        await b.$(`[data-testid="fleet-account-error-${id}"]`).isExisting(),
        false,
        `${id} shows no error`,
      );
      assert.ok((await listedOf(b, id)) > 0, `${id}'s rows are listed`);
    }
    assert.ok((await assumed()) >= assumedBefore + SANDBOX_ROLES.length, "assumed again");
    await screenshot(b, "fleet-after-time-passed-en-light");
  });

  it("adds a role profile by hand through the form, a role that does not exist refused on its field", async () => {
    const b = app.browser;
    const count = async () => (await invoke(b, "list_profiles")).data.profiles.length;
    const before = await count();
    await click(b, "nav-profiles");
    await click(b, "profile-add-role");
    await typeInto(b, "rf-name", "E2E form role");
    await selectValue(b, "rf-base", "sandbox");
    await typeInto(b, "rf-arn", "qcs::cam::uin/100000000003:roleName/nobody");
    await typeInto(b, "rf-session", "e2e-form");
    await typeInto(b, "rf-duration", "1800");
    await click(b, "rf-save");
    const error = await textOf(b, "error-roleArn", 30000);
    assert.match(error, /role/i);
    assert.equal(await count(), before, "nothing saved");
    await referenceShot(b, "profiles-role-refused-en-light");

    await typeInto(b, "rf-arn", AUDITOR_ARN);
    await click(b, "rf-save");
    assert.match(await textOf(b, "profiles-notice", 30000), /fleet-auditor/);
    const list = await invoke(b, "list_profiles");
    const made = list.data.profiles.find((p) => p.name === "E2E form role");
    assert.ok(made, "saved");
    ids["E2E form role"] = made.id;
    assert.deepEqual(
      { ...made.role },
      {
        baseProfileId: "sandbox",
        roleArn: AUDITOR_ARN,
        sessionName: "e2e-form",
        durationSeconds: 1800,
      },
    );
    // Its card shows the role's account and the caller, as a key profile's does.
    const card = `[data-testid="profile-${made.id}"]`;
    const uin = await b.$(`${card} [data-testid="account-uin"]`);
    await b.waitUntil(async () => (await uin.getText()) === "100000000003", {
      timeout: 30000,
      timeoutMsg: "the account UIN is not shown",
    });
    const caller = await b.$(`${card} [data-testid="caller-arn"]`).getText();
    assert.match(caller, /100000000003/);
    assert.match(caller, /e2e-form/);

    // The form in Simplified Chinese, dark.
    await click(b, "nav-settings");
    await selectValue(b, "language-select", "zh-CN");
    await selectValue(b, "theme-select", "dark");
    await click(b, "nav-profiles");
    await click(b, "profile-add-role");
    await typeInto(b, "rf-name", "E2E form role");
    await typeInto(b, "rf-arn", "fleet-auditor");
    await click(b, "rf-save");
    assert.match(await textOf(b, "error-roleArn"), /roleName/);
    await referenceShot(b, "profiles-role-form-zh-CN-dark");
    await click(b, "nav-settings");
    await selectValue(b, "language-select", "en");
    await selectValue(b, "theme-select", "light");
    await click(b, "nav-fleet");
  });

  it("edits the role profile it added: Cancel keeps it, a refused role leaves it as it was, a new session is saved and used", async () => {
    const b = app.browser;
    const id = ids["E2E form role"];
    assert.ok(id, "the form's role profile exists");
    const role = async () =>
      (await invoke(b, "list_profiles")).data.profiles.find((p) => p.id === id).role;
    const saved = await role();
    const edit = async () => {
      await click(b, "nav-profiles");
      const button = await b.$(`[data-testid="profile-${id}"] [data-testid="profile-edit"]`);
      await button.waitForClickable({ timeout: 15000 });
      await button.click();
      await (await b.$('[data-testid="role-form"]')).waitForExist({ timeout: 15000 });
    };
    await edit();
    // The form holds the role as saved; Cancel leaves it so.
    assert.equal(await (await b.$('[data-testid="rf-arn"]')).getValue(), AUDITOR_ARN);
    assert.equal(await (await b.$('[data-testid="rf-session"]')).getValue(), "e2e-form");
    await typeInto(b, "rf-session", "e2e-cancelled");
    await click(b, "rf-cancel");
    await (await b.$('[data-testid="role-form"]')).waitForExist({ reverse: true, timeout: 15000 });
    assert.deepEqual(await role(), saved);

    await edit();
    await typeInto(b, "rf-arn", "qcs::cam::uin/100000000003:roleName/nobody");
    await click(b, "rf-save");
    assert.match(await textOf(b, "error-roleArn", 30000), /role/i);
    assert.deepEqual(await role(), saved, "a refused role changes nothing");
    await screenshot(b, "profiles-role-edit-refused-en-light");

    await typeInto(b, "rf-arn", AUDITOR_ARN);
    await typeInto(b, "rf-session", "e2e-edited");
    await click(b, "rf-save");
    assert.match(await textOf(b, "profiles-notice", 30000), /fleet-auditor/);
    assert.deepEqual(await role(), { ...saved, sessionName: "e2e-edited" });
    // Its next calls are the new session's: the card's caller says so.
    const caller = await b.$(`[data-testid="profile-${id}"] [data-testid="caller-arn"]`);
    await b.waitUntil(async () => /e2e-edited/.test(await caller.getText()), {
      timeout: 30000,
      timeoutMsg: "the caller is not the edited session",
    });
    await screenshot(b, "profiles-role-edited-en-light");
    await click(b, "nav-fleet");
  });

  it("names the account whose role can no longer be assumed, and lists the others", async () => {
    const b = app.browser;
    await sim.stop();
    sim = await startSimAt(port, withoutRole);
    await click(b, "refresh");
    const id = ids["E2E ops role"];
    // Its calls fail: its first (DescribeRegions), so the whole account does, or, when its
    // regions are still remembered, every region's listing. Either way one box names it.
    const box = await b.$(
      `[data-testid="fleet-account-error-${id}"], [data-testid="fleet-role-error-${id}"]`,
    );
    await box.waitForExist({ timeout: 90000 });
    const text = await box.getText();
    assert.match(text, /E2E ops role: its role credentials were refused or could not be renewed/);
    assert.match(text, /App\.RoleCredentialsFailed/);
    assert.equal(await settledAccount(b, ids["E2E role base"]), "done");
    await screenshot(b, "fleet-role-credentials-failed-en");
  });
});
