// The instance detail view, the command palette and shortcuts, and live failure reports
// end to end: the Sandbox for the detail view and the palette, and a second cvm-sim
// whose launches and reboots are accepted and then fail (the `op-failed` fault), so
// LAUNCH_FAILED and a FAILED LatestOperation reach the UI with Tencent's message.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { Key } from "webdriverio";
import {
  captureIpc,
  capturedIpc,
  click,
  invoke,
  referenceShot,
  screenshot,
  selectValue,
  startSim,
  textOf,
  typeInto,
  useApp,
} from "../lib/harness.mjs";

const FAULTY = "rate=1,kinds=op-failed,actions=RunInstances+RebootInstances";

/** A screenshot in the artifacts; with CVM_E2E_DOCS=1 also in docs/screenshots. */

async function waitUntil(browser, cond, what, timeout = 60000) {
  await browser.waitUntil(cond, {
    timeout,
    interval: 250,
    timeoutMsg: `timed out: ${what}`,
  });
}

async function rowIds(browser, selector = "") {
  const rows = await browser.$$(`[data-testid^="row-ins-"]${selector}`);
  const ids = [];
  for (const r of rows) ids.push((await r.getAttribute("data-testid")).slice(4));
  return ids;
}

async function listed(browser) {
  await waitUntil(browser, async () => (await rowIds(browser)).length > 0, "instances listed");
}

async function openPalette(browser) {
  await browser.keys([Key.Ctrl, "k"]);
  await browser.$('[data-testid="palette"]').waitForExist({ timeout: 10000 });
}

async function selectOnly(browser, id) {
  const all = await browser.$('[data-testid="select-all"]');
  if (await all.isSelected()) await all.click();
  else {
    await all.click();
    await all.click();
  }
  await click(browser, `select-${id}`);
}

/** DescribeInstances calls the app made (the activity log), for the refresh shortcut. */
async function describeCalls(browser) {
  const r = await invoke(browser, "activity_log", {
    filter: {
      profileId: null,
      region: null,
      result: null,
      text: "DescribeInstances",
      limit: 1000,
    },
  });
  assert.ok(r.ok, r.error);
  return r.data.filter((e) => e.action === "DescribeInstances").length;
}

/** A detail view's creation time, a failure's text and its RequestId (this run's). */
const DETAIL_RUN = [
  '[data-testid="detail-f-created"]',
  '[data-testid="detail-failure-message"]',
  '[data-testid="detail-failure"] .selectable',
];

describe("instance detail, command palette and live failures", () => {
  let sim;
  before(async () => {
    sim = await startSim(["--preload", "30", "--faults", FAULTY]);
  });
  after(async () => sim?.stop());
  const app = useApp({ before, after, afterEach });

  it("opens an instance's detail from the list and copies its id", async () => {
    const b = app.browser;
    await click(b, "nav-settings");
    await selectValue(b, "language-select", "en");
    await selectValue(b, "theme-select", "light");
    await click(b, "nav-instances");
    await listed(b);
    const [id] = await rowIds(b, '[data-state="RUNNING"]');
    assert.ok(id, "a running instance");
    await click(b, `open-${id}`);
    await b.$('[data-testid="detail-section-overview"]').waitForExist({ timeout: 30000 });
    for (const s of ["overview", "configuration", "network", "storage", "billing", "login"]) {
      assert.ok(await b.$(`[data-testid="detail-section-${s}"]`).isExisting(), s);
    }
    assert.match(await textOf(b, "detail-f-id"), new RegExp(id));
    assert.match(await textOf(b, "detail-f-vpc"), /vpc-/);
    assert.match(await textOf(b, "detail-f-systemDisk"), /GiB/);
    assert.match(await textOf(b, "detail-f-port"), /(22|3389)$/);
    await referenceShot(b, "detail-en-light", { mask: DETAIL_RUN });

    // Copy the id, then paste it into the list's filter: the system clipboard has it.
    await click(b, "copy-id-0");
    await waitUntil(
      b,
      async () => (await b.$('[data-testid="copy-id-0"]').getAttribute("data-copied")) === "true",
      "copied",
    );
    await click(b, "detail-back");
    await listed(b);
    const filter = await b.$('[data-testid="instance-filter"]');
    await filter.click();
    await b.keys([Key.Ctrl, "v"]);
    await waitUntil(
      b,
      async () => (await filter.getValue()) === id,
      `the filter holds ${id}`,
      10000,
    );
    await filter.clearValue();
  });

  it("navigates and runs an action through the command palette", async () => {
    const b = app.browser;
    await click(b, "nav-instances");
    await listed(b);
    await openPalette(b);
    // Shortcuts are listed in the palette.
    assert.match(await textOf(b, "palette"), /Open the command palette/);
    await referenceShot(b, "palette-en-light");
    await typeInto(b, "palette-input", "activity");
    await click(b, "palette-nav-activity");
    await b.$('[data-testid="activity-page"]').waitForExist({ timeout: 10000 });
    assert.equal(await b.$('[data-testid="palette"]').isExisting(), false);

    // Back to the list; reboot the selection from the palette: the page's own dialog.
    await openPalette(b);
    await typeInto(b, "palette-input", "instances");
    await click(b, "palette-nav-instances");
    await listed(b);
    const [id] = await rowIds(b, '[data-state="RUNNING"]');
    await selectOnly(b, id);
    await openPalette(b);
    await typeInto(b, "palette-input", "reboot");
    await click(b, "palette-action-reboot");
    const dialog = await b.$('[data-testid="dialog-reboot"]');
    await dialog.waitForExist({ timeout: 10000 });
    // Esc closes it; the palette opens it again.
    await b.keys(Key.Escape);
    await dialog.waitForExist({ reverse: true, timeout: 10000 });
    await openPalette(b);
    await typeInto(b, "palette-input", "reboot");
    await click(b, "palette-action-reboot");
    await dialog.waitForExist({ timeout: 10000 });
    await click(b, "dialog-confirm");
    await b.$(`[data-testid="result-${id}"]`).waitForExist({ timeout: 30000 });
    await waitUntil(
      b,
      async () => (await b.$(`[data-testid="row-${id}"]`).getAttribute("data-state")) === "RUNNING",
      "rebooted and running again",
    );

    // An instance by id opens its detail.
    await openPalette(b);
    await typeInto(b, "palette-input", id);
    await click(b, `palette-instance-${id}`);
    await b.$('[data-testid="detail-section-overview"]').waitForExist({ timeout: 30000 });
    await click(b, "detail-back");
  });

  it("F5 refreshes the list as the app's own refresh, without reloading the page", async () => {
    const b = app.browser;
    await click(b, "nav-instances");
    await listed(b);
    await captureIpc(b);
    await b.execute(() => {
      window.__notReloaded = true;
    });
    const before = await describeCalls(b);
    await b.keys(Key.F5);
    await waitUntil(b, async () => (await describeCalls(b)) > before, "a new DescribeInstances");
    assert.equal(await b.execute(() => window.__notReloaded === true), true);
    // Ctrl+F and / focus the filter.
    await b.$('[data-testid="main"]').click();
    await b.keys("/");
    assert.equal(
      await b.execute(() => document.activeElement?.getAttribute("data-testid")),
      "instance-filter",
    );
    assert.ok((await capturedIpc(b)).length > 0);
  });

  it("reports LAUNCH_FAILED and a failed reboot at once, with Tencent's message", async () => {
    const b = app.browser;
    const created = await invoke(b, "create_profile", {
      input: {
        name: "Faulty cloud",
        site: { type: "custom", url: sim.url },
        defaultRegion: "ap-guangzhou",
        language: "en-US",
        budget: { type: "current" },
        readOnly: false,
        secretId: "AKIDcvmsim00000000000000000000000000",
        secretKey: "cvmsimSecretKey0000000000000000000",
        token: null,
      },
    });
    assert.ok(created.ok, created.error);
    const profiles = (await invoke(b, "list_profiles")).data;
    const faulty = profiles.profiles.find((p) => p.name === "Faulty cloud");
    // Back on the Sandbox, the UI reads the profiles again (the Profiles page does);
    // then the palette switches to the new one.
    assert.ok((await invoke(b, "set_active_profile", { id: "sandbox" })).ok);
    await click(b, "nav-profiles");
    await b.$(`[data-testid*="${faulty.id}"]`).waitForExist({ timeout: 15000 });
    await click(b, "nav-instances");
    await listed(b);
    const sandboxRows = new Set(await rowIds(b));
    await openPalette(b);
    await typeInto(b, "palette-input", "Faulty");
    await click(b, `palette-profile-${faulty.id}`);
    await waitUntil(
      b,
      async () => {
        const ids = await rowIds(b);
        return ids.length > 0 && ids.every((i) => !sandboxRows.has(i));
      },
      "the faulty cloud's instances listed",
    );

    // A reboot the API accepts, then fails: reported with its message.
    const [running] = await rowIds(b, '[data-state="RUNNING"]');
    await selectOnly(b, running);
    await click(b, "action-reboot");
    await click(b, "dialog-confirm");
    await waitUntil(
      b,
      async () => /RebootInstances failed/.test(await b.$('[data-testid="main"]').getText()),
      "the failed reboot reported",
      30000,
    );
    await screenshot(b, "detail-failed-reboot-en-light");

    // A launch the API accepts, then fails: LAUNCH_FAILED, in the list and the detail.
    const earlier = new Set(await rowIds(b, '[data-state="LAUNCH_FAILED"]'));
    const spec = {
      region: "ap-guangzhou",
      zone: "ap-guangzhou-3",
      billing: { type: "POSTPAID_BY_HOUR" },
      instanceType: "S5.MEDIUM4",
      imageId: "img-487zeit5",
      systemDisk: { diskType: "CLOUD_PREMIUM", sizeGib: 50 },
      dataDisks: [],
      vpcId: "",
      subnetId: "",
      publicIp: false,
      internetChargeType: "TRAFFIC_POSTPAID_BY_HOUR",
      bandwidthMbps: 0,
      securityGroupIds: [],
      login: { kind: "password", password: "E2e-Pass-2026" },
      name: "doomed",
      hostName: null,
      tags: [],
      count: 1,
      terminationProtection: false,
    };
    // A launch is sent only at the price the user accepted: the quote's total.
    const quote = await invoke(b, "quote_launch", { profileId: faulty.id, spec });
    assert.ok(quote.ok, quote.error);
    const launched = await b.executeAsync(
      (profileId, spec, acceptedPrice, done) => {
        const id = window.__TAURI_INTERNALS__.transformCallback(() => {});
        window.__TAURI_INTERNALS__
          .invoke("submit_launch", {
            profileId,
            spec,
            acceptedPrice,
            onChange: `__CHANNEL__:${id}`,
          })
          .then(
            (data) => done({ ok: true, data }),
            (e) => done({ ok: false, error: JSON.stringify(e) }),
          );
      },
      faulty.id,
      spec,
      quote.data.totalNow,
    );
    assert.ok(launched.ok, launched.error);
    await b.keys(Key.F5);
    const fresh = async () =>
      (await rowIds(b, '[data-state="LAUNCH_FAILED"]')).filter((i) => !earlier.has(i));
    await waitUntil(
      b,
      async () => (await fresh()).length === 1,
      "the LAUNCH_FAILED instance listed",
    );
    const [failed] = await fresh();
    await click(b, `open-${failed}`);
    assert.match(await textOf(b, "detail-failure", 30000), /failed to launch/);
    assert.match(await textOf(b, "detail-failure-message"), /ran out of resources.*S5\.MEDIUM4/);
    await referenceShot(b, "detail-launch-failed-en-light", { mask: DETAIL_RUN });
    await click(b, "detail-back");

    // Back to the Sandbox for the next tests.
    await openPalette(b);
    await typeInto(b, "palette-input", "Sandbox");
    await click(b, "palette-profile-sandbox");
    await listed(b);
    // The run shares one HOME: later specs expect only the Sandbox profile.
    const deleted = await invoke(b, "delete_profile", {
      id: faulty.id,
      confirmName: "Faulty cloud",
    });
    assert.ok(deleted.ok, deleted.error);
  });

  it("shows the detail view and the palette in Simplified Chinese, dark theme", async () => {
    const b = app.browser;
    if (await b.$('[data-testid="palette"]').isExisting()) await b.keys(Key.Escape);
    await click(b, "nav-settings");
    await selectValue(b, "language-select", "zh-CN");
    await selectValue(b, "theme-select", "dark");
    await click(b, "nav-instances");
    await listed(b);
    const [id] = await rowIds(b, '[data-state="RUNNING"]');
    await click(b, `open-${id}`);
    await b.$('[data-testid="detail-section-overview"]').waitForExist({ timeout: 30000 });
    assert.match(await textOf(b, "detail-section-network"), /公网 IP|内网 IP/);
    await referenceShot(b, "detail-zh-CN-dark", { mask: DETAIL_RUN });
    await openPalette(b);
    assert.match(await textOf(b, "palette"), /打开命令面板/);
    await referenceShot(b, "palette-zh-CN-dark");
    await b.keys(Key.Escape);
    await waitUntil(b, async () => !(await b.$('[data-testid="palette"]').isExisting()), "closed");
    await click(b, "nav-settings");
    await selectValue(b, "language-select", "en");
    await selectValue(b, "theme-select", "light");
  });
});
