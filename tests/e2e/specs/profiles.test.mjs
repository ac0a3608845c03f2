// Profiles, the keyring and the Sandbox, end to end: the real app, a private
// gnome-keyring (tests/e2e/run), and a separate cvm-sim standing in for Tencent Cloud.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import {
  captureIpc,
  capturedIpc,
  click,
  confirmDialog,
  gone,
  invoke,
  referenceShot,
  screenshot,
  selectValue,
  startSim,
  textOf,
  typeInto,
  useApp,
} from "../lib/harness.mjs";

const home = process.env.CVM_E2E_HOME ?? process.env.HOME;
const SECRET_ID = "AKIDe2ecanary0000000000000000000000001";
// A unique string that must never appear anywhere but the keyring.
const CANARY = `canaryKey${Date.now().toString(36)}Zq9x7Wv`;

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

/** The cvm-sim's URL (its port is this run's): a profile card's Site, the endpoint field. */
const SIM_URL = ['[data-testid="masked-id"] + dt + dd', '[data-testid="pf-endpoint"]'];

describe("profiles, keyring and Sandbox", () => {
  let sim;
  // The tccli profile to import, written before the app starts.
  before(async () => {
    sim = await startSim(["--secret-id", SECRET_ID, "--secret-key", CANARY]);
    mkdirSync(join(home, ".tccli"), { recursive: true });
    writeFileSync(
      join(home, ".tccli", "work.credential"),
      JSON.stringify({ secretId: SECRET_ID, secretKey: CANARY }),
    );
    writeFileSync(
      join(home, ".tccli", "work.configure"),
      JSON.stringify({ _sys_param: { region: "ap-shanghai", output: "json" } }),
    );
  });
  after(async () => sim?.stop());
  const app = useApp({ before, after, afterEach });

  it("opens on the Sandbox, with its banner and a working keyring", async () => {
    await captureIpc(app.browser);
    // Earlier spec files share this HOME: start from English and the light theme.
    await click(app.browser, "nav-settings");
    await selectValue(app.browser, "language-select", "en");
    await selectValue(app.browser, "theme-select", "light");
    await click(app.browser, "nav-profiles");
    assert.match(await textOf(app.browser, "sandbox-banner"), /nothing is billed/i);
    const status = await textOf(app.browser, "keyring-status");
    assert.equal(status, "Keyring available");
    assert.match(await textOf(app.browser, "profile-masked-id"), /AKID…\w{4}/);
  });

  it("refuses a malformed SecretId in the field and stores nothing", async () => {
    await click(app.browser, "nav-profiles");
    await click(app.browser, "profile-add");
    await typeInto(app.browser, "pf-name", "Broken");
    await typeInto(app.browser, "pf-secret-id", "not-an-id");
    await typeInto(app.browser, "pf-secret-key", CANARY);
    await click(app.browser, "pf-save");
    assert.match(await textOf(app.browser, "error-secretId"), /AKID/);
    // The backend refuses it too, naming the field, when the UI is bypassed.
    const r = await invoke(app.browser, "create_profile", {
      input: {
        name: "Bypass",
        site: { type: "china" },
        defaultRegion: "ap-guangzhou",
        language: "en-US",
        budget: { type: "current" },
        readOnly: false,
        secretId: "not-an-id",
        secretKey: CANARY,
        token: null,
      },
    });
    assert.equal(r.ok, false);
    assert.match(r.error, /secretId/);
    const profiles = await invoke(app.browser, "list_profiles");
    assert.deepEqual(
      profiles.data.profiles.map((p) => p.id),
      ["sandbox", "sandbox-fleet-operator", "sandbox-fleet-auditor"],
    );
  });

  it("adds a profile: verified with one signed call, key in the keyring, masked id shown", async () => {
    await selectValue(app.browser, "pf-site", "custom");
    await typeInto(app.browser, "pf-endpoint", sim.url);
    await typeInto(app.browser, "pf-name", "Staging");
    await typeInto(app.browser, "pf-secret-id", SECRET_ID);
    await typeInto(app.browser, "pf-secret-key", CANARY);
    await click(app.browser, "pf-save");
    assert.match(await textOf(app.browser, "profiles-notice"), /Verified: AKID…0001/);
    const view = (await invoke(app.browser, "list_profiles")).data;
    const staging = view.profiles.find((p) => p.name === "Staging");
    assert.equal(view.active, staging.id);
    assert.equal(staging.maskedSecretId, "AKID…0001");
    // The secret is in the private keyring, under the profile's id.
    const found = execFileSync("secret-tool", ["search", "--all", "username", staging.id], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    assert.ok(found.includes(CANARY), "the keyring holds the key");
    await referenceShot(app.browser, "profiles-en-light", { mask: SIM_URL });
  });

  it("names a wrong SecretKey with Tencent's code and RequestId", async () => {
    await click(app.browser, "profile-add");
    await selectValue(app.browser, "pf-site", "custom");
    await typeInto(app.browser, "pf-endpoint", sim.url);
    await typeInto(app.browser, "pf-name", "Wrong key");
    await typeInto(app.browser, "pf-secret-id", SECRET_ID);
    await typeInto(app.browser, "pf-secret-key", "wrongwrongwrongwrongwrongwrong12");
    await click(app.browser, "pf-save");
    assert.match(await textOf(app.browser, "error-secretKey"), /does not belong/);
    const box = await textOf(app.browser, "error-box");
    assert.match(box, /AuthFailure\.SignatureFailure/);
    assert.match(box, /[0-9a-f]{8}-[0-9a-f]{4}-/i);
    await referenceShot(app.browser, "profiles-error-en-light", { mask: SIM_URL });
    await click(app.browser, "nav-profiles");
  });

  it("imports a tccli profile and deletes its plaintext file on confirmation", async () => {
    await click(app.browser, "nav-instances");
    await click(app.browser, "nav-profiles");
    await typeInto(app.browser, "import-name-tccli-work", "From tccli");
    await selectValue(app.browser, "import-site-tccli-work", "custom");
    await typeInto(app.browser, "import-endpoint-tccli-work", sim.url);
    await click(app.browser, "import-do-tccli-work");
    await click(app.browser, "import-delete-plaintext-tccli-work");
    // The app's own dialog names the file; only its OK deletes it.
    const dialog = await confirmDialog(app.browser, "delete-plaintext");
    assert.match(await dialog.getText(), /work\.credential/);
    await click(app.browser, "confirm-ok");
    await gone(app.browser, "confirm-dialog");
    await app.browser.waitUntil(() => !existsSync(join(home, ".tccli", "work.credential")), {
      timeout: 10000,
      timeoutMsg: "the tccli credential file was not deleted",
    });
    assert.ok(existsSync(join(home, ".tccli", "work.configure")), "only the credential goes");
    const view = (await invoke(app.browser, "list_profiles")).data;
    const imported = view.profiles.find((p) => p.name === "From tccli");
    assert.equal(imported.defaultRegion, "ap-shanghai");
  });

  it("switches profiles and deletes one with its keyring entry", async () => {
    await selectValue(app.browser, "profile-switcher", "sandbox");
    assert.ok(await textOf(app.browser, "sandbox-banner"));
    const view = (await invoke(app.browser, "list_profiles")).data;
    const imported = view.profiles.find((p) => p.name === "From tccli");
    await click(app.browser, "nav-instances");
    await click(app.browser, "nav-profiles");
    const card = await app.browser.$(
      `[data-testid="profile-${imported.id}"] [data-testid="profile-delete"]`,
    );
    await card.click();
    // Deleting asks for the profile's name typed.
    await confirmDialog(app.browser, "delete-profile");
    await typeInto(app.browser, "confirm-typed", "From tccli");
    await click(app.browser, "confirm-ok");
    await app.browser.waitUntil(
      async () =>
        !(await invoke(app.browser, "list_profiles")).data.profiles.some(
          (p) => p.id === imported.id,
        ),
      { timeout: 10000 },
    );
    let left = "";
    try {
      left = execFileSync("secret-tool", ["search", "--all", "username", imported.id], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      });
    } catch {
      left = "";
    }
    assert.ok(!left.includes(CANARY), "the keyring entry went with the profile");
  });

  it("renders the profiles page in Simplified Chinese and dark", async () => {
    await click(app.browser, "nav-settings");
    await selectValue(app.browser, "language-select", "zh-CN");
    await selectValue(app.browser, "theme-select", "dark");
    await click(app.browser, "nav-profiles");
    await textOf(app.browser, "profile-sandbox");
    await referenceShot(app.browser, "profiles-zh-CN-dark", { mask: SIM_URL });
    await click(app.browser, "nav-settings");
    await selectValue(app.browser, "language-select", "en");
    await selectValue(app.browser, "theme-select", "light");
  });

  it("leaks the SecretKey nowhere: files, logs, web storage, IPC answers", async () => {
    const ipc = await capturedIpc(app.browser);
    assert.ok(ipc.length > 5, "IPC answers were captured");
    for (const line of ipc)
      assert.ok(!line.includes(CANARY), `IPC answer leaks the key: ${line.slice(0, 200)}`);
    const storage = await app.browser.execute(
      () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
    );
    assert.ok(!storage.includes(CANARY));
    const dirs = [".config", ".local/share", ".cache"].map((d) => join(home, d));
    const files = dirs.flatMap(filesUnder);
    assert.ok(
      files.some((f) => f.endsWith("profiles.json")),
      "the config was written",
    );
    assert.ok(
      files.some((f) => /cvm-console.*\.log$/.test(f)),
      "debug logs were written",
    );
    for (const f of files) {
      const body = readFileSync(f);
      assert.ok(!body.includes(CANARY), `${f} contains the SecretKey`);
    }
  });
});
