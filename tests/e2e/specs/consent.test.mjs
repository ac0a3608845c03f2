// Consent end to end: every destructive or billable action goes only through the app's own
// confirmation (the instance lifecycle dialog, components/ConfirmDialog), Cancel and Esc
// send nothing and change nothing, OK does what it names, and the backend refuses a call
// that does not carry the dialog's confirmation (or the price the user accepted).
//
// "Nothing was sent" is read from the app's activity log (every Tencent call it made);
// "nothing changed" from the instance, the profile list, the keyring, the file on disk.
// The run shares one HOME and one Sandbox world with the other spec files: everything
// made here is deleted, and the Sandbox is reset (the last test) to its seeded world.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import { Key } from "webdriverio";
import {
  CHANNEL,
  activity,
  click,
  confirmDialog,
  gone,
  invoke,
  openApp,
  referenceShot,
  screenshot,
  selectValue,
  startDriver,
  startSim,
  textOf,
  typeInto,
  useApp,
} from "../lib/harness.mjs";

const REGION = "ap-guangzhou";
const home = process.env.CVM_E2E_HOME ?? process.env.HOME;
const SECRET_ID = "AKIDe2econsent00000000000000000000001";
const SECRET_KEY = "consentSecretKey00000000000000000001";
const TCCLI = "consent";
const credentialFile = join(home, ".tccli", `${TCCLI}.credential`);
const READ_ONLY = "Consent audit";
const IMPORTED = "Consent tccli";

async function waitUntil(browser, cond, what, timeout = 60000) {
  await browser.waitUntil(cond, { timeout, interval: 250, timeoutMsg: `timed out: ${what}` });
}

/**
 * The open dialog compared with its reference in docs/screenshots (the page behind it
 * holds ids, ports and paths of this run); `mask` blanks its text that names them too.
 */
async function shot(browser, name, mask = []) {
  await referenceShot(browser, name, { clip: "dialog[open]", mask });
}

/** A dialog's text that names something made in this run (a template id, a path, a token). */
const RUN_TEXT = ["dialog[open] p", "dialog[open] .mono", "dialog[open] code"];

/** Gives a call that should not have been made the time to show up in the log. */
async function settle(browser) {
  await browser.pause(1500);
}

/** The error a refused command answered, parsed ({ code, field, message, … }). */
function appError(r) {
  assert.equal(r.ok, false, "the call was refused");
  try {
    return JSON.parse(r.error);
  } catch {
    assert.fail(`not an AppError: ${r.error}`);
  }
}

/** Calls of `action` the app made, to `id` when given (from the activity log). */
async function sent(browser, action, id = null, profileId = "sandbox") {
  const rows = await activity(browser, { profileId, text: action });
  return rows.filter((e) => e.action === action && (id === null || e.targets.includes(id))).length;
}

/** The instance as DescribeInstances shows it now, or null when it is gone. */
async function instanceNow(browser, id) {
  const r = await invoke(browser, "describe_instance", {
    scope: { profile: "sandbox", region: REGION },
    instanceId: id,
  });
  return r.ok ? r.data : null;
}

async function rowIds(browser, selector = "") {
  return browser.execute(
    (sel) =>
      [...document.querySelectorAll(`[data-testid^="row-ins-"]${sel}`)].map((e) =>
        e.getAttribute("data-testid").slice(4),
      ),
    selector,
  );
}

async function rowState(browser, id) {
  return browser.execute(
    (id) => document.querySelector(`[data-testid="row-${id}"]`)?.getAttribute("data-state") ?? null,
    id,
  );
}

async function listed(browser) {
  await waitUntil(
    browser,
    async () =>
      (await rowIds(browser)).length > 0 &&
      !(await textOf(browser, "instance-count")).includes("…"),
    "instances listed",
  );
}

async function selectOnly(browser, id) {
  const all = await browser.$('[data-testid="select-all"]');
  if (await all.isSelected()) await all.click();
  else {
    await all.click();
    await all.click();
  }
  await click(browser, `select-${id}`);
  assert.equal(await textOf(browser, "selection-count"), "1 selected");
}

/** Clicks the lifecycle dialog's Cancel button. */
async function cancelAction(browser, kind) {
  const byId = await browser.$(`[data-testid="dialog-${kind}"] [data-testid="dialog-cancel"]`);
  const btn = (await byId.isExisting())
    ? byId
    : await browser.$(
        `[data-testid="dialog-${kind}"] .dialog-buttons button:not([data-testid="dialog-confirm"])`,
      );
  await btn.click();
  await gone(browser, `dialog-${kind}`);
}

async function openAction(browser, kind) {
  await click(browser, `action-${kind}`);
  await (await browser.$(`[data-testid="dialog-${kind}"]`)).waitForExist({ timeout: 15000 });
}

async function profiles(browser) {
  const r = await invoke(browser, "list_profiles");
  assert.ok(r.ok, r.error);
  return r.data;
}

async function profileNamed(browser, name) {
  return (await profiles(browser)).profiles.find((p) => p.name === name) ?? null;
}

/** Opens the Profiles page afresh (the page reads the profiles and candidates on entry). */
async function profilesPage(browser) {
  await click(browser, "nav-instances");
  await click(browser, "nav-profiles");
  await textOf(browser, "profile-sandbox");
}

/** A button on a profile's card. */
async function cardButton(browser, profileId, testid) {
  const el = await browser.$(`[data-testid="profile-${profileId}"] [data-testid="${testid}"]`);
  await el.waitForClickable({ timeout: 15000 });
  return el;
}

function keyringHas(id) {
  try {
    return execFileSync("secret-tool", ["search", "--all", "username", id], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }).includes(SECRET_KEY);
  } catch {
    return false;
  }
}

/** A launch spec the Sandbox sells (the first available zone, type and image). */
async function sellableSpec(browser) {
  const zones = await invoke(browser, "wizard_zones", {
    scope: { profile: "sandbox", region: REGION },
    chargeType: "POSTPAID_BY_HOUR",
    language: "en-US",
  });
  assert.ok(zones.ok, zones.error);
  for (const z of zones.data.filter((z) => z.available)) {
    const types = await invoke(browser, "wizard_instance_types", {
      scope: { profile: "sandbox", region: REGION },
      zone: z.zone,
      chargeType: "POSTPAID_BY_HOUR",
      language: "en-US",
    });
    const type = types.data?.find((t) => t.status === "SELL");
    if (!type) continue;
    const images = await invoke(browser, "wizard_images", {
      scope: { profile: "sandbox", region: REGION },
      instanceType: type.instanceType,
    });
    const image = images.data?.find((i) => i.imageType === "PUBLIC_IMAGE") ?? images.data?.[0];
    if (!image) continue;
    return {
      region: REGION,
      zone: z.zone,
      billing: { type: "POSTPAID_BY_HOUR" },
      instanceType: type.instanceType,
      imageId: image.imageId,
      systemDisk: { diskType: "CLOUD_PREMIUM", sizeGib: 50 },
      dataDisks: [],
      vpcId: "",
      subnetId: "",
      publicIp: false,
      internetChargeType: "TRAFFIC_POSTPAID_BY_HOUR",
      bandwidthMbps: 0,
      securityGroupIds: [],
      login: { kind: "password", password: "Consent-Pass-2026" },
      name: "consent-e2e",
      hostName: null,
      tags: [],
      count: 1,
      terminationProtection: false,
    };
  }
  assert.fail("no zone of the Sandbox sells a type");
}

describe("consent: Cancel and Esc send nothing, OK does what it names", () => {
  let sim;
  before(async () => {
    // A second cloud (for a read-only profile and a tccli import), and a tccli
    // credential file, both in place before the app starts.
    sim = await startSim(["--secret-id", SECRET_ID, "--secret-key", SECRET_KEY]);
    mkdirSync(join(home, ".tccli"), { recursive: true });
    writeFileSync(credentialFile, JSON.stringify({ secretId: SECRET_ID, secretKey: SECRET_KEY }));
    writeFileSync(
      join(home, ".tccli", `${TCCLI}.configure`),
      JSON.stringify({ _sys_param: { region: REGION, output: "json" } }),
    );
  });
  // Registered before useApp's: it runs while the app is still open.
  after(async () => {
    // Leave the shared HOME as the other spec files expect it: only the Sandbox.
    try {
      const b = app.browser;
      await invoke(b, "set_active_profile", { id: "sandbox" });
      for (const p of (await profiles(b)).profiles)
        if (p.name.startsWith("Consent "))
          await invoke(b, "delete_profile", { id: p.id, confirmName: p.name });
    } catch (e) {
      console.error("consent cleanup:", e.message);
    }
    rmSync(credentialFile, { force: true });
    rmSync(join(home, ".tccli", `${TCCLI}.configure`), { force: true });
    await sim?.stop();
  });

  const app = useApp({ before, after, afterEach });

  /** Instances this spec acts on (all seeded RUNNING, postpaid, in Guangzhou). */
  const picked = {};

  it("starts on the Sandbox's instances in Guangzhou", async () => {
    const b = app.browser;
    const active = await invoke(b, "set_active_profile", { id: "sandbox" });
    assert.ok(active.ok, active.error);
    await b.refresh();
    await click(b, "nav-settings");
    await selectValue(b, "language-select", "en");
    await selectValue(b, "theme-select", "light");
    await click(b, "nav-instances");
    await click(b, "region-picker");
    await typeInto(b, "region-search", "guangzhou");
    await click(b, "region-option-ap-guangzhou");
    await listed(b);
    // Running, unprotected instances: a pay-as-you-go one on cloud disks without GPUs
    // (it can stop without charging), another pay-as-you-go one (terminated at once,
    // no recycle bin), and any third (rebooted, priced for a resize).
    const running = await rowIds(b, '[data-state="RUNNING"]:not([data-protected="true"])');
    const postpaid = await rowIds(
      b,
      '[data-state="RUNNING"][data-charge="POSTPAID_BY_HOUR"]:not([data-protected="true"])',
    );
    for (const id of postpaid) {
      const d = await instanceNow(b, id);
      if (d && !d.systemDisk?.diskType.startsWith("LOCAL_") && !(d.gpuCount > 0)) {
        picked.stop = id;
        break;
      }
    }
    assert.ok(picked.stop, `a postpaid instance on cloud disks (of ${postpaid.length})`);
    picked.terminate = postpaid.find((id) => id !== picked.stop);
    assert.ok(picked.terminate, "a second postpaid instance");
    picked.reboot = running.find((id) => id !== picked.stop && id !== picked.terminate);
    assert.ok(picked.reboot, "a third running instance");
  });

  it("the backend refuses stop, reboot and terminate without the dialog's consent, sending nothing", async () => {
    const b = app.browser;
    const { terminate: id, reboot: other } = picked;
    const before = {
      terminate: await sent(b, "TerminateInstances"),
      stop: await sent(b, "StopInstances"),
      reboot: await sent(b, "RebootInstances"),
    };
    const terminate = (instanceIds, consent) =>
      invoke(b, "terminate_instances", {
        scope: { profile: "sandbox", region: REGION },
        instanceIds,
        releaseAddress: false,
        consent,
        onChange: CHANNEL,
      });
    const consent = (instanceIds, typed, stopType = null, stoppedMode = null) => ({
      instanceIds,
      typed,
      stopType,
      stoppedMode,
    });

    // A wrong typed phrase, and none at all.
    let e = appError(await terminate([id], consent([id], "yes")));
    assert.equal(e.code, "App.ConsentRequired");
    assert.equal(e.field, "typed");
    assert.match(e.message, new RegExp(`type ${id}`));
    e = appError(await terminate([id], consent([id], null)));
    assert.equal(e.code, "App.ConsentRequired");
    assert.equal(e.field, "typed");
    // "terminate 2" is the phrase for two, not for one.
    e = appError(await terminate([id], consent([id], "terminate 1 ")));
    assert.equal(e.field, "typed");
    // An instance the dialog did not name, even with the right phrase for the one it did.
    e = appError(await terminate([id, other], consent([id], id)));
    assert.equal(e.code, "App.ConsentRequired");
    assert.equal(e.field, "consent");
    assert.match(e.message, new RegExp(other));
    // Nothing confirmed at all.
    e = appError(await terminate([id], consent([], id)));
    assert.equal(e.code, "App.ConsentRequired");

    // Stop with a mode other than the one confirmed; reboot with no mode confirmed.
    e = appError(
      await invoke(b, "stop_instances", {
        scope: { profile: "sandbox", region: REGION },
        instanceIds: [id],
        stopType: "HARD",
        stoppedMode: "STOP_CHARGING",
        consent: consent([id], null, "SOFT", "KEEP_CHARGING"),
        onChange: CHANNEL,
      }),
    );
    assert.equal(e.code, "App.ConsentRequired");
    assert.equal(e.field, "consent");
    e = appError(
      await invoke(b, "reboot_instances", {
        scope: { profile: "sandbox", region: REGION },
        instanceIds: [other],
        stopType: "SOFT",
        consent: consent([other], null),
        onChange: CHANNEL,
      }),
    );
    assert.equal(e.code, "App.ConsentRequired");

    await settle(b);
    assert.equal(await sent(b, "TerminateInstances"), before.terminate, "no TerminateInstances");
    assert.equal(await sent(b, "StopInstances"), before.stop, "no StopInstances");
    assert.equal(await sent(b, "RebootInstances"), before.reboot, "no RebootInstances");
    assert.equal((await instanceNow(b, id))?.summary.state, "RUNNING");
    assert.equal((await instanceNow(b, other))?.summary.state, "RUNNING");
  });

  it("stop: Cancel and Esc send nothing; OK stops with the stop type and mode shown", async () => {
    const b = app.browser;
    const id = picked.stop;
    await selectOnly(b, id);
    const before = await sent(b, "StopInstances", id);

    await openAction(b, "stop");
    await click(b, "stop-type-HARD");
    await click(b, "stopped-mode-STOP_CHARGING");
    await cancelAction(b, "stop");
    await openAction(b, "stop");
    await click(b, "stopped-mode-STOP_CHARGING");
    await b.keys(Key.Escape);
    await gone(b, "dialog-stop");
    await settle(b);
    assert.equal(await sent(b, "StopInstances", id), before, "no StopInstances");
    const still = await instanceNow(b, id);
    assert.equal(still.summary.state, "RUNNING");
    assert.equal(await rowState(b, id), "RUNNING");

    await openAction(b, "stop");
    await click(b, "stop-type-HARD");
    await click(b, "stopped-mode-STOP_CHARGING");
    await shot(b, "consent-stop-dialog-en-light");
    await click(b, "dialog-confirm");
    assert.equal(await (await b.$(`[data-testid="result-${id}"]`)).getAttribute("data-ok"), "true");
    await waitUntil(b, async () => (await rowState(b, id)) === "STOPPED", "STOPPED");
    assert.equal(await sent(b, "StopInstances", id), before + 1, "one StopInstances");
    assert.equal((await instanceNow(b, id)).summary.stopChargingMode, "STOP_CHARGING");
  });

  it("reboot: Cancel and Esc send nothing; OK reboots", async () => {
    const b = app.browser;
    const id = picked.reboot;
    await selectOnly(b, id);
    const before = await sent(b, "RebootInstances", id);
    await openAction(b, "reboot");
    await click(b, "stop-type-HARD");
    await cancelAction(b, "reboot");
    await openAction(b, "reboot");
    await b.keys(Key.Escape);
    await gone(b, "dialog-reboot");
    await settle(b);
    assert.equal(await sent(b, "RebootInstances", id), before, "no RebootInstances");
    assert.equal((await instanceNow(b, id)).summary.state, "RUNNING");

    await openAction(b, "reboot");
    // Not compared: the dialog's height varied between runs (see the e2e report); kept as
    // an artifact.
    await b.pause(400);
    await screenshot(b, "consent-reboot-dialog-en-light");
    await click(b, "dialog-confirm");
    assert.equal(await (await b.$(`[data-testid="result-${id}"]`)).getAttribute("data-ok"), "true");
    await waitUntil(b, async () => (await rowState(b, id)) === "REBOOTING", "REBOOTING");
    await waitUntil(b, async () => (await rowState(b, id)) === "RUNNING", "RUNNING again");
    assert.equal(await sent(b, "RebootInstances", id), before + 1, "one RebootInstances");
  });

  it("terminate: OK waits for the typed id; Cancel and Esc send nothing; OK terminates", async () => {
    const b = app.browser;
    const id = picked.terminate;
    await selectOnly(b, id);
    const before = await sent(b, "TerminateInstances", id);
    const ok = () => b.$('[data-testid="dialog-confirm"]');

    await openAction(b, "terminate");
    assert.equal(await (await ok()).isEnabled(), false, "needs the typed id first");
    await typeInto(b, "terminate-confirm-input", id.slice(0, -1));
    assert.equal(await (await ok()).isEnabled(), false, "a partial id is not enough");
    await typeInto(b, "terminate-confirm-input", id);
    await (await ok()).waitForEnabled({ timeout: 10000 });
    await cancelAction(b, "terminate");
    // Reopened, it asks again (nothing typed is kept); Esc with the id typed.
    await openAction(b, "terminate");
    assert.equal(await (await ok()).isEnabled(), false, "asks again");
    await typeInto(b, "terminate-confirm-input", id);
    await (await ok()).waitForEnabled({ timeout: 10000 });
    await b.keys(Key.Escape);
    await gone(b, "dialog-terminate");
    await settle(b);
    assert.equal(await sent(b, "TerminateInstances", id), before, "no TerminateInstances");
    assert.equal((await instanceNow(b, id))?.summary.state, "RUNNING");

    await openAction(b, "terminate");
    await typeInto(b, "terminate-confirm-input", id);
    await (await ok()).waitForEnabled({ timeout: 10000 });
    await shot(b, "consent-terminate-dialog-en-light");
    await click(b, "dialog-confirm");
    assert.equal(await (await b.$(`[data-testid="result-${id}"]`)).getAttribute("data-ok"), "true");
    assert.equal(await sent(b, "TerminateInstances", id), before + 1, "one TerminateInstances");
    await waitUntil(
      b,
      async () => !["RUNNING", "STOPPED"].includes((await instanceNow(b, id))?.summary.state),
      "terminating or gone",
    );
    // The list follows it too.
    await waitUntil(
      b,
      async () => !["RUNNING", "STOPPED"].includes(await rowState(b, id)),
      "the row no longer running",
    );
  });

  it("a launch or a resize at a price other than the quote is refused, nothing bought", async () => {
    const b = app.browser;
    const spec = await sellableSpec(b);
    const quote = await invoke(b, "quote_launch", { profileId: "sandbox", spec });
    assert.ok(quote.ok, quote.error);
    const records = (await invoke(b, "launch_records")).data.length;
    const runs = await sent(b, "RunInstances");
    const e = appError(
      await invoke(b, "submit_launch", {
        profileId: "sandbox",
        spec,
        acceptedPrice: quote.data.totalNow + 1,
        onChange: CHANNEL,
      }),
    );
    assert.equal(e.code, "App.PriceChanged");
    assert.equal(e.field, "acceptedPrice");
    assert.match(e.message, new RegExp(quote.data.totalNow.toFixed(2).replace(".", "\\.")));

    // A type change that would cost more (or less) than the user accepted.
    const id = picked.reboot;
    const options = await invoke(b, "resize_options", {
      scope: { profile: "sandbox", region: REGION },
      instanceId: id,
    });
    assert.ok(options.ok, options.error);
    const target = options.data.targets.find((t) => t.available);
    assert.ok(target, "a type the instance can move to");
    const price = await invoke(b, "resize_price", {
      scope: { profile: "sandbox", region: REGION },
      instanceId: id,
      instanceType: target.instanceType,
    });
    assert.ok(price.ok, price.error);
    const charged = price.data.discountPrice ?? price.data.unitPriceDiscount ?? 0;
    const resizes = await sent(b, "ResetInstancesType", id);
    const stops = await sent(b, "StopInstances", id);
    const r = appError(
      await invoke(b, "resize_instance", {
        scope: { profile: "sandbox", region: REGION },
        instanceId: id,
        instanceType: target.instanceType,
        stopPlan: "forceStop",
        acceptedPrice: charged + 0.5,
        onChange: CHANNEL,
      }),
    );
    assert.equal(r.code, "App.PriceChanged");
    assert.equal(r.field, "acceptedPrice");

    await settle(b);
    assert.equal((await invoke(b, "launch_records")).data.length, records, "nothing journalled");
    assert.equal(await sent(b, "RunInstances"), runs, "no RunInstances");
    assert.equal(await sent(b, "ResetInstancesType", id), resizes, "no ResetInstancesType");
    assert.equal(await sent(b, "StopInstances", id), stops, "not stopped for it either");
    const d = await instanceNow(b, id);
    assert.equal(d.summary.state, "RUNNING");
    assert.equal(d.summary.instanceType, options.data.currentType);
  });

  it("delete launch template: Cancel and Esc keep it; the backend wants its id; OK deletes it", async () => {
    const b = app.browser;
    const spec = await sellableSpec(b);
    const saved = await invoke(b, "save_launch_template", {
      profileId: "sandbox",
      spec,
      name: "consent e2e tier",
      description: "saved by the consent e2e",
    });
    assert.ok(saved.ok, saved.error);
    const id = saved.data;
    const listedNow = async () =>
      (
        await invoke(b, "list_launch_templates", { scope: { profile: "sandbox", region: REGION } })
      ).data.some((t) => t.id === id);
    assert.ok(await listedNow());
    const before = await sent(b, "DeleteLaunchTemplate");

    await click(b, "nav-settings");
    await click(b, "nav-create");
    await click(b, "wz-from-template");
    const row = `[data-testid="wz-tpl-${id}"]`;
    await (await b.$(row)).waitForExist({ timeout: 30000 });
    const del = async () => {
      await (await b.$(`${row} [data-testid="wz-tpl-delete"]`)).click();
      return confirmDialog(b, "delete-template");
    };
    const dialog = await del();
    assert.match(await dialog.getText(), new RegExp(id));
    await click(b, "confirm-cancel");
    await gone(b, "confirm-dialog");
    await del();
    await b.keys(Key.Escape);
    await gone(b, "confirm-dialog");
    // Esc closed only the confirmation, not the templates list under it.
    assert.ok(await (await b.$(row)).isExisting(), "the templates list is still open");
    // A delete that names another template is refused by the backend.
    const e = appError(
      await invoke(b, "delete_launch_template", {
        scope: { profile: "sandbox", region: REGION },
        templateId: id,
        confirm: "lt-00000000",
      }),
    );
    assert.equal(e.code, "App.ConsentRequired");
    assert.equal(e.field, "confirm");
    await settle(b);
    assert.equal(await sent(b, "DeleteLaunchTemplate"), before, "no DeleteLaunchTemplate");
    assert.ok(await listedNow(), "still listed");

    await del();
    await shot(b, "consent-delete-template-en-light", RUN_TEXT);
    await click(b, "confirm-ok");
    await gone(b, "confirm-dialog", 30000);
    await gone(b, `wz-tpl-${id}`, 30000);
    assert.equal(await sent(b, "DeleteLaunchTemplate"), before + 1, "one DeleteLaunchTemplate");
    assert.equal(await listedNow(), false, "gone");
    await click(b, "wz-tpl-close");
  });

  it("unlock a read-only profile: Cancel and Esc keep it locked; OK unlocks it", async () => {
    const b = app.browser;
    const created = await invoke(b, "create_profile", {
      input: {
        name: READ_ONLY,
        site: { type: "custom", url: sim.url },
        defaultRegion: REGION,
        language: "en-US",
        budget: { type: "current" },
        readOnly: true,
        secretId: SECRET_ID,
        secretKey: SECRET_KEY,
        token: null,
      },
    });
    assert.ok(created.ok, created.error);
    assert.ok((await invoke(b, "set_active_profile", { id: "sandbox" })).ok);
    const p = await profileNamed(b, READ_ONLY);
    assert.equal(p.locked, true, "a read-only profile starts locked");
    await profilesPage(b);

    await (await cardButton(b, p.id, "profile-unlock")).click();
    await confirmDialog(b, "unlock-profile");
    await click(b, "confirm-cancel");
    await gone(b, "confirm-dialog");
    await (await cardButton(b, p.id, "profile-unlock")).click();
    await confirmDialog(b, "unlock-profile");
    await b.keys(Key.Escape);
    await gone(b, "confirm-dialog");
    await settle(b);
    assert.equal((await profileNamed(b, READ_ONLY)).locked, true, "still locked");
    // Unlocking without naming the profile is refused by the backend.
    const e = appError(
      await invoke(b, "set_profile_unlocked", { id: p.id, unlocked: true, confirm: null }),
    );
    assert.equal(e.code, "App.ConsentRequired");
    assert.equal((await profileNamed(b, READ_ONLY)).locked, true, "still locked");

    await (await cardButton(b, p.id, "profile-unlock")).click();
    await confirmDialog(b, "unlock-profile");
    await shot(b, "consent-unlock-en-light");
    await click(b, "confirm-ok");
    await gone(b, "confirm-dialog");
    await waitUntil(b, async () => !(await profileNamed(b, READ_ONLY)).locked, "unlocked");
    // Locking again needs no confirmation.
    await (await cardButton(b, p.id, "profile-unlock")).click();
    await waitUntil(b, async () => (await profileNamed(b, READ_ONLY)).locked, "locked again");
  });

  it("delete the tccli file: Cancel and Esc keep it; OK deletes exactly the file shown", async () => {
    const b = app.browser;
    await profilesPage(b);
    const key = `tccli-${TCCLI}`;
    await typeInto(b, `import-name-${key}`, IMPORTED);
    await selectValue(b, `import-site-${key}`, "custom");
    await typeInto(b, `import-endpoint-${key}`, sim.url);
    await click(b, `import-do-${key}`);
    // The import may make the new profile the active one: back to the Sandbox.
    await (
      await b.$(`[data-testid="import-delete-plaintext-${key}"]`)
    ).waitForExist({
      timeout: 30000,
    });
    await click(b, `import-delete-plaintext-${key}`);
    await confirmDialog(b, "delete-plaintext");
    assert.equal(await textOf(b, "confirm-path"), credentialFile);
    await click(b, "confirm-cancel");
    await gone(b, "confirm-dialog");
    await click(b, `import-delete-plaintext-${key}`);
    await confirmDialog(b, "delete-plaintext");
    await b.keys(Key.Escape);
    await gone(b, "confirm-dialog");
    // The backend deletes only the file the dialog named.
    const e = appError(
      await invoke(b, "delete_tccli_credential", {
        profile: TCCLI,
        confirm: join(home, ".tccli", "other.credential"),
      }),
    );
    assert.equal(e.code, "App.ConsentRequired");
    await settle(b);
    assert.ok(existsSync(credentialFile), "the file is still there");

    await click(b, `import-delete-plaintext-${key}`);
    await confirmDialog(b, "delete-plaintext");
    await shot(b, "consent-delete-tccli-en-light", RUN_TEXT);
    await click(b, "confirm-ok");
    await gone(b, "confirm-dialog");
    await waitUntil(b, async () => !existsSync(credentialFile), "the credential file deleted");
    assert.ok(existsSync(join(home, ".tccli", `${TCCLI}.configure`)), "only the credential goes");
  });

  it("delete profile: OK waits for the typed name; Cancel and Esc keep it; OK deletes it and its key", async () => {
    const b = app.browser;
    const p = await profileNamed(b, IMPORTED);
    assert.ok(p, "the imported profile");
    assert.ok(keyringHas(p.id), "its key is in the keyring");
    await profilesPage(b);
    if ((await profiles(b)).active !== "sandbox") {
      await selectValue(b, "profile-switcher", "sandbox");
      await waitUntil(b, async () => (await profiles(b)).active === "sandbox", "Sandbox active");
    }
    const ok = () => b.$('[data-testid="confirm-ok"]');

    await (await cardButton(b, p.id, "profile-delete")).click();
    await confirmDialog(b, "delete-profile");
    assert.equal(await (await ok()).isEnabled(), false, "needs the name typed");
    await typeInto(b, "confirm-typed", IMPORTED.toLowerCase());
    assert.equal(await (await ok()).isEnabled(), false, "the name exactly");
    await typeInto(b, "confirm-typed", IMPORTED);
    await (await ok()).waitForEnabled({ timeout: 5000 });
    await click(b, "confirm-cancel");
    await gone(b, "confirm-dialog");
    await (await cardButton(b, p.id, "profile-delete")).click();
    await confirmDialog(b, "delete-profile");
    await typeInto(b, "confirm-typed", IMPORTED);
    await b.keys(Key.Escape);
    await gone(b, "confirm-dialog");
    // The backend wants the name too.
    const e = appError(await invoke(b, "delete_profile", { id: p.id, confirmName: "yes" }));
    assert.equal(e.code, "App.ConsentRequired");
    assert.equal(e.field, "confirmName");
    await settle(b);
    assert.ok(await profileNamed(b, IMPORTED), "still listed");
    assert.ok(keyringHas(p.id), "its key is still in the keyring");

    await (await cardButton(b, p.id, "profile-delete")).click();
    await confirmDialog(b, "delete-profile");
    await typeInto(b, "confirm-typed", IMPORTED);
    await shot(b, "consent-delete-profile-en-light");
    await click(b, "confirm-ok");
    await gone(b, "confirm-dialog");
    await waitUntil(b, async () => !(await profileNamed(b, IMPORTED)), "deleted");
    await gone(b, `profile-${p.id}`);
    assert.equal(keyringHas(p.id), false, "its key went with it");
  });

  it("reset Sandbox: Cancel and Esc keep its world; OK brings back the seeded one", async () => {
    const b = app.browser;
    const stopped = await instanceNow(b, picked.stop);
    assert.equal(stopped.summary.state, "STOPPED", "stopped by this spec");
    const terminated = (await instanceNow(b, picked.terminate))?.summary.state ?? null;
    assert.notEqual(terminated, "RUNNING", "terminated by this spec");
    await profilesPage(b);
    const reset = () => cardButton(b, "sandbox", "sandbox-reset");

    await (await reset()).click();
    await confirmDialog(b, "reset-sandbox");
    await click(b, "confirm-cancel");
    await gone(b, "confirm-dialog");
    await (await reset()).click();
    await confirmDialog(b, "reset-sandbox");
    await b.keys(Key.Escape);
    await gone(b, "confirm-dialog");
    // The backend wants the Sandbox named.
    const e = appError(await invoke(b, "reset_sandbox", { confirm: "yes" }));
    assert.equal(e.code, "App.ConsentRequired");
    await settle(b);
    assert.equal((await instanceNow(b, picked.stop)).summary.state, "STOPPED", "still stopped");
    assert.equal(
      (await instanceNow(b, picked.terminate))?.summary.state ?? null,
      terminated,
      "still terminated",
    );

    await (await reset()).click();
    await confirmDialog(b, "reset-sandbox");
    await shot(b, "consent-reset-sandbox-en-light");
    await click(b, "confirm-ok");
    await gone(b, "confirm-dialog", 30000);
    await textOf(b, "profiles-notice");
    assert.equal((await instanceNow(b, picked.stop)).summary.state, "RUNNING", "seeded again");
    assert.equal((await instanceNow(b, picked.terminate))?.summary.state, "RUNNING", "back");
  });
});

// ------------------------------------------------------------ pending launches

function findFile(dir, name) {
  if (!existsSync(dir)) return null;
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (e === name) return p;
    if (statSync(p).isDirectory()) {
      const f = findFile(p, name);
      if (f) return f;
    }
  }
  return null;
}

describe("pending launches: resume and drop only through the dialog, with the ClientToken", () => {
  let driver;
  let browser;
  const stamp = Date.now().toString(36);
  const DROP = `e2e-consent-drop-${stamp}`;
  const RESUME = `e2e-consent-resume-${stamp}`;

  before(async () => {
    driver = await startDriver();
    browser = await openApp();
    // What the wizard would send, as a journal entry an hour old (the app resumes young
    // entries by itself; older ones wait for the user). The journal never holds the
    // password, and after a restart it is gone: the entry is re-sent without one.
    const spec = await sellableSpec(browser);
    const preview = await invoke(browser, "preview_launch", { profileId: "sandbox", spec });
    assert.ok(preview.ok, preview.error);
    const request = JSON.parse(preview.data.requestJson);
    delete request.LoginSettings;
    // The app saves the Sandbox on exit: its file shows where the app keeps its data.
    await browser.deleteSession();
    browser = null;
    const world = findFile(join(home, ".local/share"), "world.json");
    assert.ok(world, "the Sandbox's saved world");
    const journal = join(dirname(dirname(world)), "launches.json");
    const file = existsSync(journal)
      ? JSON.parse(readFileSync(journal, "utf8"))
      : { schema: 1, entries: [] };
    const created = Math.floor(Date.now() / 1000) - 3600;
    for (const token of [DROP, RESUME])
      file.entries.push({
        token,
        profileId: "sandbox",
        region: REGION,
        request,
        hadPassword: true,
        createdUnix: created,
        state: "pending",
        instanceIds: [],
        error: null,
        attempts: 1,
      });
    writeFileSync(journal, JSON.stringify(file, null, 2));
    browser = await openApp();
  });
  afterEach(async (tc) => {
    if (browser)
      await screenshot(
        browser,
        `${tc?.passed === false ? "FAILED-" : ""}pending-${tc?.name ?? "test"}`,
      ).catch(() => {});
  });
  after(async () => {
    try {
      // Nothing left waiting for the next spec file.
      for (const token of [DROP, RESUME])
        await invoke(browser, "drop_launch", { token, confirm: token });
      await browser?.deleteSession();
    } catch {
      /* the app may be gone */
    }
    await driver?.stop();
  });

  const record = async (token) =>
    (await invoke(browser, "launch_records")).data.find((r) => r.token === token);
  const row = (token, testid) =>
    browser.$(`[data-testid="pending-${token}"] [data-testid="${testid}"]`);

  it("drop: Cancel and Esc keep it waiting; the backend wants the token; OK drops it, sending nothing", async () => {
    const b = browser;
    await (await b.$(`[data-testid="pending-${DROP}"]`)).waitForExist({ timeout: 30000 });
    assert.equal((await record(DROP)).needsDecision, true);
    const runs = await sent(b, "RunInstances");
    await (await row(DROP, "pending-drop")).click();
    const dialog = await confirmDialog(b, "drop-launch");
    assert.match(await dialog.getText(), new RegExp(DROP));
    await click(b, "confirm-cancel");
    await gone(b, "confirm-dialog");
    await (await row(DROP, "pending-drop")).click();
    await confirmDialog(b, "drop-launch");
    await b.keys(Key.Escape);
    await gone(b, "confirm-dialog");
    const e = appError(await invoke(b, "drop_launch", { token: DROP, confirm: RESUME }));
    assert.equal(e.code, "App.ConsentRequired");
    await settle(b);
    const still = await record(DROP);
    assert.equal(still.state, "pending");
    assert.equal(still.needsDecision, true);

    await (await row(DROP, "pending-drop")).click();
    await confirmDialog(b, "drop-launch");
    await shot(b, "consent-drop-launch-en-light", RUN_TEXT);
    await click(b, "confirm-ok");
    await gone(b, "confirm-dialog");
    await waitUntil(b, async () => (await record(DROP)).state === "dropped", "dropped");
    await gone(b, `pending-${DROP}`);
    assert.equal(await sent(b, "RunInstances"), runs, "nothing sent");
  });

  it("resume: Cancel and Esc send nothing; the backend wants the token; OK re-sends it with its ClientToken", async () => {
    const b = browser;
    await (await b.$(`[data-testid="pending-${RESUME}"]`)).waitForExist({ timeout: 30000 });
    const runs = await sent(b, "RunInstances");
    await (await row(RESUME, "pending-resume")).click();
    await confirmDialog(b, "resume-launch");
    await click(b, "confirm-cancel");
    await gone(b, "confirm-dialog");
    await (await row(RESUME, "pending-resume")).click();
    await confirmDialog(b, "resume-launch");
    await b.keys(Key.Escape);
    await gone(b, "confirm-dialog");
    const e = appError(
      await invoke(b, "retry_launch", { token: RESUME, confirm: "yes", onChange: CHANNEL }),
    );
    assert.equal(e.code, "App.ConsentRequired");
    await settle(b);
    assert.equal(await sent(b, "RunInstances"), runs, "nothing sent");
    assert.equal((await record(RESUME)).state, "pending");

    await (await row(RESUME, "pending-resume")).click();
    const dialog = await confirmDialog(b, "resume-launch");
    assert.match(await dialog.getText(), new RegExp(RESUME));
    await shot(b, "consent-resume-launch-en-light", RUN_TEXT);
    await click(b, "confirm-ok");
    await gone(b, "confirm-dialog", 60000);
    await waitUntil(
      b,
      async () => (await record(RESUME)).state !== "pending",
      "the resumed launch settled",
    );
    const settled = await record(RESUME);
    assert.equal(settled.state, "resolved", settled.error ?? "");
    assert.equal((await record(RESUME)).instanceIds.length, 1);
    assert.equal(await sent(b, "RunInstances"), runs + 1, "one RunInstances");
    assert.match(await textOf(b, `pending-result-${RESUME}`), /Resumed/);
    // The next spec's screens show this instance: let it finish booting first, so they do
    // not depend on how fast this machine is.
    const [id] = settled.instanceIds;
    await waitUntil(
      b,
      async () => (await instanceNow(b, id))?.summary.state === "RUNNING",
      `${id} RUNNING`,
    );
  });
});
