// A role account end to end: a cvm-sim process holding a second account with a role the
// first may assume (`--accounts`), a key profile on it and a role profile through it. The
// role's rows are listed in the fleet with the role's own account; when the endpoint no
// longer knows the role's temporary keys (the sim restarted on the same port, without the
// role), the fleet names the account whose role credentials failed. The token's expiry on
// the sim's clock, and its refresh, cannot be driven from here (the sim process has no
// clock control, and the embedded Sandbox's clock is not reachable over IPC): console-core's
// tests cover that path (roles::an_expired_token_is_refreshed_and_the_call_retried_once,
// fleet_tests::a_role_whose_credentials_fail_is_named_and_stops_nothing).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { after, afterEach, before, describe, it } from "node:test";
import { click, invoke, screenshot, selectValue, useApp } from "../lib/harness.mjs";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const SIM_ID = "AKIDcvmsim00000000000000000000000000";
const SIM_KEY = "cvmsimSecretKey0000000000000000000";
const ROLE_ACCOUNT = "100000000002";
const ROLE_ARN = `qcs::cam::uin/${ROLE_ACCOUNT}:roleName/e2e-ops`;

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
      for (const name of ["E2E ops role", "E2E role base"])
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

  it("names the account whose role can no longer be assumed, and lists the others", async () => {
    const b = app.browser;
    await sim.stop();
    sim = await startSimAt(port, withoutRole);
    await click(b, "refresh");
    const id = ids["E2E ops role"];
    // Its first call (DescribeRegions) fails, so the whole account does, named.
    const box = await b.$(`[data-testid="fleet-account-error-${id}"]`);
    await box.waitForExist({ timeout: 90000 });
    const text = await box.getText();
    assert.match(text, /E2E ops role: its role credentials were refused or could not be renewed/);
    assert.match(text, /App\.RoleCredentialsFailed/);
    assert.equal(await settledAccount(b, ids["E2E role base"]), "done");
    await screenshot(b, "fleet-role-credentials-failed-en");
  });
});
