// Billing end to end: prepaid and spot instances bought through the
// wizard at InquiryPrice's price; renew, convert and auto-renew through the Billing tab;
// a launch template saved and used; "Buy the same"; the cost view; bad input refused in
// its field with nothing sent; and a purchase whose answers are lost, with the app
// restarted before it learns the outcome: exactly the requested instances, journal
// resolved, the password never on disk.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import {
  click,
  invoke,
  openApp,
  referenceShot,
  repoRoot,
  screenshot,
  selectValue,
  startDriver,
  textOf,
  typeInto,
  useApp,
} from "../lib/harness.mjs";

const REGION = "ap-guangzhou";
const PASSWORD = "Bill-Pass-2026";

async function waitUntil(browser, cond, what, timeout = 60000) {
  await browser.waitUntil(cond, { timeout, interval: 250, timeoutMsg: `timed out: ${what}` });
}

async function checkedValue(browser, name) {
  return browser.execute(
    (n) => document.querySelector(`input[name="${n}"]:checked`)?.value ?? "",
    name,
  );
}

async function attr(browser, testid, name, timeout = 15000) {
  const el = await browser.$(`[data-testid="${testid}"]`);
  await el.waitForExist({ timeout });
  return el.getAttribute(name);
}

async function onStep(browser, step) {
  await (await browser.$(`[data-testid="wizard-step-${step}"]`)).waitForExist({ timeout: 15000 });
}

async function next(browser, step) {
  await click(browser, "wz-next");
  await onStep(browser, step);
}

/** The wizard from the first step to the review, for a billing model. */
async function walk(b, { charge, name, count = 1 }) {
  // Away and back: a fresh wizard even after a launch.
  await click(b, "nav-settings");
  await click(b, "nav-create");
  await onStep(b, "place");
  await click(b, `wz-charge-${charge}`);
  await waitUntil(
    b,
    async () => (await checkedValue(b, "chargeType")) === charge,
    "billing chosen",
  );
  await waitUntil(b, async () => (await checkedValue(b, "zone")) !== "", "a zone chosen");
  await next(b, "type");
  const sell = await b.$('[data-testid^="wz-type-"][data-status="SELL"] input');
  await sell.waitForExist({ timeout: 30000 });
  await sell.click();
  await next(b, "image");
  const pub = await b.$('[data-testid^="wz-image-"][data-image-type="PUBLIC_IMAGE"] input');
  await pub.waitForExist({ timeout: 30000 });
  await pub.click();
  await next(b, "storage");
  await next(b, "network");
  await waitUntil(
    b,
    async () => (await b.execute(() => document.getElementById("wz-subnet")?.value ?? "")) !== "",
    "a subnet",
  );
  await next(b, "security");
  await typeInto(b, "wz-password", PASSWORD);
  await next(b, "details");
  await typeInto(b, "wz-name", name);
  if (count !== 1) await typeInto(b, "wz-count", String(count));
  await next(b, "review");
  await textOf(b, "wz-price-total", 30000);
}

/** The spec the review shows (the defaults the walk kept), for a price inquiry. */
async function reviewSpec(b, billing, count = 1) {
  const place = await b.$('[data-testid="wz-sum-place"]');
  return {
    region: await place.getAttribute("data-region"),
    zone: await place.getAttribute("data-zone"),
    billing,
    instanceType: (await textOf(b, "wz-sum-type")).trim(),
    imageId: (await textOf(b, "wz-sum-image")).trim(),
    systemDisk: { diskType: "CLOUD_PREMIUM", sizeGib: 50 },
    dataDisks: [],
    vpcId: "",
    subnetId: "",
    publicIp: true,
    internetChargeType: "TRAFFIC_POSTPAID_BY_HOUR",
    bandwidthMbps: 1,
    securityGroupIds: [],
    login: { kind: "keepImageLogin" },
    name: "",
    hostName: null,
    tags: [],
    count,
    terminationProtection: false,
  };
}

async function createAndWait(b, count = 1) {
  await click(b, "wz-create");
  await textOf(b, "wz-progress", 60000);
  await waitUntil(
    b,
    async () => {
      const states = await b.$$('[data-testid="wz-launched-state"]');
      if (states.length !== count) return false;
      for (const s of states) if ((await s.getText()) !== "RUNNING") return false;
      return true;
    },
    `${count} instance(s) RUNNING`,
    120000,
  );
  const records = await invoke(b, "launch_records");
  assert.ok(records.ok, records.error);
  assert.equal(records.data[0].state, "resolved");
  return records.data[0].instanceIds;
}

async function openBilling(b) {
  await click(b, "nav-cost");
  await click(b, "cost-tab-billing");
  await (await b.$('[data-testid="bl-table"]')).waitForExist({ timeout: 60000 });
}

async function selectRows(b, ids) {
  for (const id of ids) {
    const box = await b.$(`[data-testid="bl-check-${id}"]`);
    await box.waitForExist({ timeout: 30000 });
    if (!(await box.isSelected())) await box.click();
  }
}

describe("billing: buy, change and renew all three models", () => {
  const app = useApp({ before, after, afterEach });
  let profileId;
  const made = {};

  it("buys a monthly subscription through the wizard at InquiryPrice's price", async () => {
    const b = app.browser;
    await click(b, "nav-settings");
    await selectValue(b, "language-select", "en");
    await selectValue(b, "theme-select", "light");
    const profiles = await invoke(b, "list_profiles");
    profileId = profiles.data.active;
    await walk(b, { charge: "PREPAID", name: "e2e-prepaid" });
    const spec = await reviewSpec(b, {
      type: "PREPAID",
      period: 1,
      renewFlag: "NOTIFY_AND_MANUAL_RENEW",
    });
    const quote = await invoke(b, "quote_launch", { profileId, spec });
    assert.ok(quote.ok, quote.error);
    assert.equal(await textOf(b, "wz-price-total"), `¥${quote.data.totalNow.toFixed(2)}`);
    assert.equal(
      await textOf(b, "wz-price-instance"),
      `¥${quote.data.instance.discountPrice.toFixed(2)}`,
    );
    made.template = spec;
    [made.prepaid] = await createAndWait(b);
  });

  it("buys a spot instance at the market price InquiryPrice quotes", async () => {
    const b = app.browser;
    await walk(b, { charge: "SPOTPAID", name: "e2e-spot" });
    const spec = await reviewSpec(b, { type: "SPOTPAID", maxPrice: null });
    const quote = await invoke(b, "quote_launch", { profileId, spec });
    assert.ok(quote.ok, quote.error);
    assert.equal(await textOf(b, "wz-price-total"), `¥${quote.data.totalNow.toFixed(2)}`);
    assert.match(
      await textOf(b, "wz-price-instance"),
      new RegExp(`¥${quote.data.instance.steps[0].unitPriceDiscount.toFixed(2)} / hour`),
    );
    [made.spot] = await createAndWait(b);
  });

  it("saves a launch template and creates from it (no password kept)", async () => {
    const b = app.browser;
    await walk(b, { charge: "POSTPAID_BY_HOUR", name: "e2e-from-template" });
    const typ = (await textOf(b, "wz-sum-type")).trim();
    await click(b, "wz-save-template-open");
    await typeInto(b, "wz-tpl-name", "x");
    assert.match(await textOf(b, "wz-err-templateName"), /2–128/);
    await typeInto(b, "wz-tpl-name", "e2e web tier");
    await typeInto(b, "wz-tpl-desc", "saved by the billing e2e");
    await referenceShot(b, "template-save-en-light");
    await click(b, "wz-tpl-save");
    const saved = await textOf(b, "wz-tpl-saved", 30000);
    const id = saved.match(/lt-[0-9a-z]{8}/)[0];
    await click(b, "wz-tpl-close");
    const listed = await invoke(b, "list_launch_templates", {
      scope: { profile: profileId, region: REGION },
    });
    assert.ok(listed.data.some((t) => t.id === id && t.name === "e2e web tier"));

    // A fresh wizard, then "Create from template".
    await click(b, "nav-cost");
    await click(b, "nav-create");
    await click(b, "wz-from-template");
    await (await b.$(`[data-testid="wz-tpl-${id}"]`)).waitForExist({ timeout: 30000 });
    await referenceShot(b, "template-pick-en-light");
    await (await b.$(`[data-testid="wz-tpl-${id}"] [data-testid="wz-tpl-use"]`)).click();
    await textOf(b, "wz-prefilled", 30000);
    await textOf(b, "wz-note-passwordNotCopied");
    assert.equal((await textOf(b, "wz-sum-type")).trim(), typ);
    // The live price applies to a prefilled wizard as to any other.
    await textOf(b, "wz-price-total", 30000);
    await referenceShot(b, "template-prefilled-en-light");
    // The password is asked for; the check then passes (DryRun) at a live price.
    await click(b, "wz-check");
    await onStep(b, "security");
    await typeInto(b, "wz-password", PASSWORD);
    await click(b, "wz-nav-review");
    await onStep(b, "review");
    await textOf(b, "wz-price-total", 30000);
    await click(b, "wz-check");
    await textOf(b, "wz-checked", 30000);
    [made.postpaid] = await createAndWait(b);
  });

  it("renews the subscription at InquiryPriceRenewInstances' price", async () => {
    const b = app.browser;
    await openBilling(b);
    const before = await attr(b, `bl-row-${made.prepaid}`, "data-expires");
    await selectRows(b, [made.prepaid, made.spot]);
    await click(b, "bl-open-renew");
    await selectValue(b, "bl-period", "3");
    const q = await invoke(b, "quote_renew", {
      scope: { profile: profileId, region: REGION },
      instanceIds: [made.prepaid],
      period: 3,
    });
    assert.ok(q.ok, q.error);
    await waitUntil(
      b,
      async () => (await attr(b, "bl-quote", "data-price")) === q.data.discountPrice.toFixed(2),
      "the quote",
    );
    // The spot instance is listed as not renewable, with the reason.
    assert.match(await textOf(b, "bl-refused"), /billed by the hour/);
    await referenceShot(b, "billing-renew-en-light");
    await click(b, "bl-confirm");
    assert.match(await textOf(b, "bl-report", 30000), /1 changed, 0 failed/);
    await click(b, "bl-close");
    await click(b, "bl-refresh");
    await waitUntil(
      b,
      async () => (await attr(b, `bl-row-${made.prepaid}`, "data-expires")) !== before,
      "a later expiry",
    );
  });

  it("turns auto-renewal on", async () => {
    const b = app.browser;
    await click(b, "bl-open-autorenew");
    await selectValue(b, "bl-flag", "NOTIFY_AND_AUTO_RENEW");
    await referenceShot(b, "billing-autorenew-en-light");
    await click(b, "bl-confirm");
    assert.match(await textOf(b, "bl-report", 30000), /1 changed, 0 failed/);
    await click(b, "bl-close");
  });

  it("converts pay-as-you-go to monthly at InquiryPriceModifyInstancesChargeType's price", async () => {
    const b = app.browser;
    await selectRows(b, [made.postpaid]);
    // Unselect the others: only the pay-as-you-go one is converted.
    for (const id of [made.prepaid, made.spot]) {
      const box = await b.$(`[data-testid="bl-check-${id}"]`);
      if (await box.isSelected()) await box.click();
    }
    await click(b, "bl-open-convert");
    await selectValue(b, "bl-period", "2");
    await selectValue(b, "bl-flag", "NOTIFY_AND_AUTO_RENEW");
    const q = await invoke(b, "quote_to_prepaid", {
      scope: { profile: profileId, region: REGION },
      instanceIds: [made.postpaid],
      period: 2,
    });
    assert.ok(q.ok, q.error);
    await waitUntil(
      b,
      async () => (await attr(b, "bl-quote", "data-price")) === q.data.discountPrice.toFixed(2),
      "the quote",
    );
    await referenceShot(b, "billing-convert-en-light");
    await click(b, "bl-confirm");
    assert.match(await textOf(b, "bl-report", 30000), /1 changed, 0 failed/);
    await click(b, "bl-close");
    await click(b, "bl-refresh");
    await waitUntil(
      b,
      async () => (await attr(b, `bl-row-${made.postpaid}`, "data-charge")) === "PREPAID",
      "now monthly",
    );
    await referenceShot(b, "billing-tab-en-light");
  });

  it("buys the same configuration as the spot instance", async () => {
    const b = app.browser;
    for (const id of [made.prepaid, made.postpaid]) {
      const box = await b.$(`[data-testid="bl-check-${id}"]`);
      if (await box.isSelected()) await box.click();
    }
    await selectRows(b, [made.spot]);
    await click(b, "bl-buy-same");
    await textOf(b, "wz-prefilled", 30000);
    assert.match(await textOf(b, "wz-prefilled"), new RegExp(made.spot));
    const detail = await invoke(b, "same_configuration_draft", {
      scope: { profile: profileId, region: REGION },
      instanceId: made.spot,
    });
    assert.ok(detail.ok, detail.error);
    assert.equal(detail.data.billing.type, "SPOTPAID");
    assert.equal((await textOf(b, "wz-sum-type")).trim(), detail.data.instanceType);
    assert.equal(await attr(b, "wz-sum-place", "data-zone"), detail.data.zone);
    await textOf(b, "wz-price-total", 30000);
    await referenceShot(b, "buy-same-en-light");
    await click(b, "wz-check");
    await onStep(b, "security");
    await typeInto(b, "wz-password", PASSWORD);
    await click(b, "wz-nav-review");
    await click(b, "wz-check");
    await textOf(b, "wz-checked", 30000);
  });

  it("shows the run-rate by billing model, equal to the backend's estimate", async () => {
    const b = app.browser;
    await click(b, "nav-cost");
    await click(b, "cost-tab-rate");
    const est = await invoke(b, "cost_estimate", { profileId, regions: [REGION] });
    assert.ok(est.ok, est.error);
    await waitUntil(
      b,
      async () =>
        (await attr(b, "cost-hourly", "data-value", 60000)) === est.data.hourly.toFixed(2),
      "hourly total",
    );
    assert.equal(await attr(b, "cost-monthly", "data-value"), est.data.monthly.toFixed(2));
    for (const line of est.data.lines) {
      assert.equal(
        await attr(b, `cost-line-${line.chargeType}`, "data-hourly"),
        line.hourly.toFixed(2),
      );
    }
    assert.match(await textOf(b, "cost-note-stopped"), /stop charging/);
    await referenceShot(b, "cost-en-light");
    await click(b, "cost-scope-all");
    await (await b.$('[data-testid="cost-regions"]')).waitForExist({ timeout: 120000 });
    await referenceShot(b, "cost-all-regions-en-light");
  });

  it("refuses bad input in the field that is wrong, sending nothing", async () => {
    const b = app.browser;
    const base = { ...made.template, login: { kind: "password", password: PASSWORD } };
    const records = (await invoke(b, "launch_records")).data.length;
    // A spot bid below the market.
    let r = await invoke(b, "check_launch", {
      profileId,
      spec: { ...base, billing: { type: "SPOTPAID", maxPrice: "0.0001" } },
    });
    assert.equal(r.ok, false);
    assert.match(r.error, /"field":"billing.maxPrice"/);
    // A period Tencent does not sell.
    r = await invoke(b, "check_launch", {
      profileId,
      spec: {
        ...base,
        billing: { type: "PREPAID", period: 13, renewFlag: "NOTIFY_AND_MANUAL_RENEW" },
      },
    });
    assert.match(r.error, /"field":"billing.period"/);
    r = await invoke(b, "quote_renew", {
      scope: { profile: profileId, region: REGION },
      instanceIds: [made.prepaid],
      period: 13,
    });
    assert.match(r.error, /"field":"period"/);
    // More spot instances than the quota (200 a region): DryRun's refusal lands on the count.
    r = await invoke(b, "check_launch", {
      profileId,
      spec: { ...base, billing: { type: "SPOTPAID", maxPrice: null }, count: 250 },
    });
    assert.equal(r.ok, false);
    assert.match(r.error, /SpotQuota/);
    assert.match(r.error, /"field":"count"/);
    // More than one call may create.
    r = await invoke(b, "check_launch", { profileId, spec: { ...base, count: 501 } });
    assert.match(r.error, /"field":"count"/);
    assert.equal(
      (await invoke(b, "launch_records")).data.length,
      records,
      "nothing was journalled or sent",
    );
    // In the UI the count is refused at once, on its step.
    await click(b, "nav-create");
    await onStep(b, "place");
    await waitUntil(b, async () => (await checkedValue(b, "zone")) !== "", "a zone chosen");
    await click(b, "wz-nav-details");
    await onStep(b, "details");
    await typeInto(b, "wz-count", "501");
    await click(b, "wz-next");
    assert.match(await textOf(b, "wz-err-count"), /1–500/);
  });

  it("renders the billing dialogs and the cost view in Simplified Chinese, dark", async () => {
    const b = app.browser;
    await click(b, "nav-settings");
    await selectValue(b, "theme-select", "dark");
    await selectValue(b, "language-select", "zh-CN");
    await click(b, "nav-cost");
    await click(b, "cost-tab-rate");
    await textOf(b, "cost-hourly", 60000);
    await referenceShot(b, "cost-zh-CN-dark");
    await openBilling(b);
    await selectRows(b, [made.prepaid]);
    await referenceShot(b, "billing-tab-zh-CN-dark");
    await click(b, "bl-open-renew");
    await textOf(b, "bl-quote", 30000);
    await referenceShot(b, "billing-renew-zh-CN-dark");
    await click(b, "bl-close");
    await click(b, "bl-open-autorenew");
    await referenceShot(b, "billing-autorenew-zh-CN-dark");
    await click(b, "bl-close");
    const box = await b.$(`[data-testid="bl-check-${made.prepaid}"]`);
    await box.click();
    await click(b, "nav-create");
    await click(b, "wz-from-template");
    await (await b.$('[data-testid^="wz-tpl-lt-"]')).waitForExist({ timeout: 30000 });
    await referenceShot(b, "template-pick-zh-CN-dark");
    await click(b, "wz-tpl-close");
    await click(b, "nav-settings");
    await selectValue(b, "language-select", "en");
    await selectValue(b, "theme-select", "light");
  });
});

// ---------------------------------------------------------------- restart during purchase

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/** cvm-sim on a fixed port with a state file, so a second one continues the first's world. */
async function startSimAt(port, state, faults) {
  const bin = process.env.CVM_E2E_SIM ?? join(repoRoot, "target/debug/cvm-sim");
  const args = [
    "--listen",
    `127.0.0.1:${port}`,
    "--time-scale",
    "0",
    "--rate-limit",
    "off",
    "--state",
    state,
  ];
  if (faults) args.push("--faults", faults);
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

describe("restart during a purchase whose answers are lost", () => {
  let driver;
  let browser;
  let sim;
  const dir = mkdtempSync(join(tmpdir(), "cvm-e2e-restart-"));
  const state = join(dir, "world.json");
  let port;

  before(async () => {
    port = await freePort();
    // Seed 40 at rate 0.95: the first RunInstances (the submission's DryRun) gets through,
    // the next eleven (the purchase and every retry with its ClientToken) are applied and
    // their answers lost.
    sim = await startSimAt(
      port,
      state,
      "rate=0.95,kinds=lost-response,actions=RunInstances,seed=40",
    );
    driver = await startDriver();
    browser = await openApp();
  });
  afterEach(async (tc) => {
    if (browser)
      await screenshot(
        browser,
        `${tc?.passed === false ? "FAILED-" : ""}restart-${tc?.name ?? "test"}`,
      ).catch(() => {});
  });
  after(async () => {
    try {
      const profiles = await invoke(browser, "list_profiles");
      const p = profiles.data?.profiles.find((x) => x.name === "Lossy cloud");
      await invoke(browser, "set_active_profile", { id: "sandbox" });
      if (p) await invoke(browser, "delete_profile", { id: p.id, confirmName: p.name });
      await browser?.deleteSession();
    } catch {
      /* the app may be gone */
    }
    await driver?.stop();
    await sim?.stop();
  });

  it("finds exactly the requested instances after the restart, journal resolved, password never on disk", async () => {
    let b = browser;
    const created = await invoke(b, "create_profile", {
      input: {
        name: "Lossy cloud",
        site: { type: "custom", url: `http://127.0.0.1:${port}` },
        defaultRegion: REGION,
        language: "en-US",
        budget: { type: "current" },
        readOnly: false,
        secretId: "AKIDcvmsim00000000000000000000000000",
        secretKey: "cvmsimSecretKey0000000000000000000",
        token: null,
      },
    });
    assert.ok(created.ok, created.error);
    const profiles = await invoke(b, "list_profiles");
    const profile = profiles.data.profiles.find((p) => p.name === "Lossy cloud");
    await invoke(b, "set_active_profile", { id: profile.id });
    await b.refresh();
    await click(b, "nav-settings");
    await selectValue(b, "language-select", "en");
    await selectValue(b, "theme-select", "light");
    await walk(b, { charge: "POSTPAID_BY_HOUR", name: "lossy-{R:1}", count: 3 });
    await click(b, "wz-create");
    // Every answer is lost: the app cannot know whether it bought.
    await textOf(b, "wz-unknown", 120000);
    // The ClientToken and the error (it names the cvm-sim's port) are this run's own.
    await referenceShot(b, "restart-unknown-en-light", {
      mask: ['[data-testid="wz-unknown"] .selectable', '[data-testid="wz-unknown"] .error-box'],
    });
    const home = process.env.CVM_E2E_HOME ?? process.env.HOME;
    const journalPath = findFile(join(home, ".local/share"), "launches.json");
    assert.ok(journalPath, "the journal is on disk");
    let journal = JSON.parse(readFileSync(journalPath, "utf8"));
    const entry = journal.entries.find((e) => e.state === "pending" && e.profileId === profile.id);
    assert.ok(entry, "a pending entry with its ClientToken");
    assert.ok(!readFileSync(journalPath, "utf8").includes(PASSWORD), "no password in the journal");

    // The app goes away before it learns anything; the cloud answers again afterwards.
    await b.deleteSession();
    browser = null;
    await sim.stop();
    sim = await startSimAt(port, state, null);
    browser = b = await openApp();
    // At start-up the pending launch is re-sent with its token: Tencent returns the
    // original purchase instead of buying again.
    await waitUntil(
      b,
      async () => {
        const r = await invoke(b, "launch_records");
        return r.ok && r.data.some((x) => x.token === entry.token && x.state === "resolved");
      },
      "the journal entry resolved",
      120000,
    );
    const rec = (await invoke(b, "launch_records")).data.find((x) => x.token === entry.token);
    assert.equal(rec.instanceIds.length, 3);
    const est = await invoke(b, "cost_estimate", { profileId: profile.id, regions: [REGION] });
    assert.ok(est.ok, est.error);
    const total = est.data.lines.reduce((n, l) => n + l.instances, 0);
    assert.equal(total, 3, "exactly the requested number of instances, not one more");
    journal = readFileSync(journalPath, "utf8");
    assert.ok(!journal.includes(PASSWORD), "no password in the journal");
  });
});
