// The instance creation wizard end to end against the embedded Sandbox: every step,
// the live price equal to InquiryPrice's answer, a pay-as-you-go instance created and
// followed to RUNNING, a sold-out type refused, and each step in both languages.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import {
  click,
  invoke,
  referenceShot,
  screenshot,
  selectValue,
  textOf,
  typeInto,
  useApp,
} from "../lib/harness.mjs";

/** Screens compared with a reference in docs/screenshots (named there without the step). */
const REFERENCES = {
  "wizard-1-place-zh-CN-dark": "wizard-place-zh-CN-dark",
  "wizard-2-type-zh-CN-dark": "wizard-type-zh-CN-dark",
  "wizard-8-review-en-light": "wizard-review-en-light",
  "wizard-8-review-zh-CN-dark": "wizard-review-zh-CN-dark",
  "wizard-9-running-en-light": "wizard-running-en-light",
  "wizard-quick-en-dark": "wizard-quick-en-dark",
};

async function shot(b, name, opts = {}) {
  const reference = REFERENCES[name];
  if (reference) return referenceShot(b, name, { reference, ...opts });
  await b.pause(400);
  return screenshot(b, name);
}

async function waitUntil(browser, cond, what, timeout = 60000) {
  await browser.waitUntil(cond, { timeout, interval: 250, timeoutMsg: `timed out: ${what}` });
}

async function checkedValue(browser, name) {
  return browser.execute(
    (n) => document.querySelector(`input[name="${n}"]:checked`)?.value ?? "",
    name,
  );
}

async function inputValue(browser, id) {
  return browser.execute((i) => document.getElementById(i)?.value ?? "", id);
}

async function onStep(browser, step) {
  const el = await browser.$(`[data-testid="wizard-step-${step}"]`);
  await el.waitForExist({ timeout: 15000 });
}

async function next(browser, step) {
  await click(browser, "wz-next");
  await onStep(browser, step);
}

/** Walks place → review with defaults and the first type on sale; screenshots each step. */
async function walk(b, suffix, password) {
  await click(b, "nav-create");
  await onStep(b, "place");
  await waitUntil(b, async () => (await checkedValue(b, "zone")) !== "", "a zone chosen");
  await shot(b, `wizard-1-place-${suffix}`);
  await next(b, "type");
  const sell = await b.$('[data-testid^="wz-type-"][data-status="SELL"] input');
  await sell.waitForExist({ timeout: 30000 });
  await sell.click();
  await shot(b, `wizard-2-type-${suffix}`);
  await next(b, "image");
  await waitUntil(b, async () => (await checkedValue(b, "imageId")) !== "", "an image chosen");
  await shot(b, `wizard-3-image-${suffix}`);
  await next(b, "storage");
  await shot(b, `wizard-4-storage-${suffix}`);
  await next(b, "network");
  await waitUntil(b, async () => (await inputValue(b, "wz-subnet")) !== "", "a subnet chosen");
  await shot(b, `wizard-5-network-${suffix}`);
  await next(b, "security");
  // A weak password is caught at once, on this step.
  await typeInto(b, "wz-password", "weak");
  await click(b, "wz-next");
  await textOf(b, "wz-err-password");
  await onStep(b, "security");
  await typeInto(b, "wz-password", password);
  await shot(b, `wizard-6-security-${suffix}`);
  await next(b, "details");
  await typeInto(b, "wz-name", "e2e-web-{R:1}");
  await shot(b, `wizard-7-details-${suffix}`);
  await next(b, "review");
  await textOf(b, "wz-price-total", 30000);
  await shot(b, `wizard-8-review-${suffix}`);
}

describe("instance creation wizard", () => {
  const app = useApp({ before, after, afterEach });
  let profileId;

  it("creates a pay-as-you-go instance through every step, at the price InquiryPrice quotes", async () => {
    const b = app.browser;
    const profiles = await invoke(b, "list_profiles");
    assert.ok(profiles.ok, profiles.error);
    profileId = profiles.data.active;
    await walk(b, "en-light", "E2e-Pass-2026");

    // The review shows what will be sent; rebuild the spec from it and ask for the price.
    const place = await b.$('[data-testid="wz-sum-place"]');
    const regionId = await place.getAttribute("data-region");
    const zone = await place.getAttribute("data-zone");
    const instanceType = (await textOf(b, "wz-sum-type")).trim();
    const imageId = (await textOf(b, "wz-sum-image")).trim();
    const spec = {
      region: regionId,
      zone,
      billing: { type: "POSTPAID_BY_HOUR" },
      instanceType,
      imageId,
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
      count: 1,
      terminationProtection: false,
    };
    const quote = await invoke(b, "quote_launch", { profileId, spec });
    assert.ok(quote.ok, quote.error);
    const shown = await textOf(b, "wz-price-total");
    assert.equal(shown, `¥${quote.data.totalNow.toFixed(2)}`);
    assert.equal(
      await textOf(b, "wz-price-instance"),
      `¥${quote.data.instance.steps[0].unitPriceDiscount.toFixed(2)} / hour`,
    );

    // The copied request never holds the password.
    const preview = await invoke(b, "preview_launch", {
      profileId,
      spec: { ...spec, login: { kind: "password", password: "E2e-Pass-2026" } },
    });
    assert.ok(preview.ok, preview.error);
    assert.ok(!preview.data.requestJson.includes("E2e-Pass-2026"));
    assert.ok(!preview.data.tccli.includes("E2e-Pass-2026"));

    await click(b, "wz-create");
    await textOf(b, "wz-progress", 60000);
    await shot(b, "wizard-9-progress-en-light");
    await waitUntil(
      b,
      async () => {
        const states = await b.$$('[data-testid="wz-launched-state"]');
        return states.length === 1 && (await states[0].getText()) === "RUNNING";
      },
      "the instance RUNNING",
      120000,
    );
    assert.match(await textOf(b, "wz-progress"), /1 instance is running/);
    // The ClientToken is this launch's own.
    // The new instance's id and addresses are made by the Sandbox in each run.
    await shot(b, "wizard-9-running-en-light", {
      mask: ['[data-testid="wz-progress"] > p.mono', '[data-testid="wz-launched"] td.mono'],
    });
    const records = await invoke(b, "launch_records");
    assert.ok(records.ok);
    assert.equal(records.data[0].state, "resolved");
    assert.equal(records.data[0].instanceIds.length, 1);
  });

  it("shows sold-out types disabled with the reason, and the backend refuses them", async () => {
    const b = app.browser;
    await click(b, "wz-another");
    await onStep(b, "place");
    const zones = await invoke(b, "wizard_zones", {
      scope: { profile: profileId, region: "ap-guangzhou" },
      chargeType: "POSTPAID_BY_HOUR",
      language: "en-US",
    });
    assert.ok(zones.ok, zones.error);
    let sold = null;
    let zone = null;
    for (const z of zones.data.filter((z) => z.available && z.typesSoldOut > 0)) {
      const types = await invoke(b, "wizard_instance_types", {
        scope: { profile: profileId, region: "ap-guangzhou" },
        zone: z.zone,
        chargeType: "POSTPAID_BY_HOUR",
        language: "en-US",
      });
      sold = types.data.find((t) => t.status === "SOLD_OUT");
      if (sold) {
        zone = z.zone;
        break;
      }
    }
    assert.ok(sold, "a sold-out type in some zone");
    const images = await invoke(b, "wizard_images", {
      scope: { profile: profileId, region: "ap-guangzhou" },
      instanceType: sold.instanceType,
    });
    const check = await invoke(b, "check_launch", {
      profileId,
      spec: {
        region: "ap-guangzhou",
        zone,
        billing: { type: "POSTPAID_BY_HOUR" },
        instanceType: sold.instanceType,
        imageId: images.data[0].imageId,
        systemDisk: { diskType: "CLOUD_PREMIUM", sizeGib: 50 },
        dataDisks: [],
        vpcId: "",
        subnetId: "",
        publicIp: false,
        internetChargeType: "TRAFFIC_POSTPAID_BY_HOUR",
        bandwidthMbps: 0,
        securityGroupIds: [],
        login: { kind: "password", password: "E2e-Pass-2026" },
        name: "",
        hostName: null,
        tags: [],
        count: 1,
        terminationProtection: false,
      },
    });
    assert.equal(check.ok, false);
    assert.match(check.error, /"kind":"sold-out"/);
    assert.match(check.error, /"field":"instanceType"/);

    // In the UI the same type cannot be picked.
    if ((await checkedValue(b, "zone")) !== zone) {
      const z = await b.$(`[data-testid="wz-zone-${zone}"] input`);
      await z.click();
    }
    await next(b, "type");
    const row = await b.$(`[data-testid="wz-type-${sold.instanceType}"]`);
    await row.waitForExist({ timeout: 30000 });
    assert.equal(await row.getAttribute("data-status"), "SOLD_OUT");
    assert.equal(await (await row.$("input")).isEnabled(), false);
    await row.scrollIntoView();
    await shot(b, "wizard-sold-out-en-light");
  });

  it("renders every step in Simplified Chinese and dark theme, and the quick setup", async () => {
    const b = app.browser;
    await click(b, "nav-settings");
    await selectValue(b, "theme-select", "dark");
    await selectValue(b, "language-select", "zh-CN");
    await walk(b, "zh-CN-dark", "E2e-Pass-2026");
    assert.match(await textOf(b, "wz-create"), /创建 1 台实例/);
    await click(b, "wz-mode-quick");
    await textOf(b, "wz-quick-type", 60000);
    await shot(b, "wizard-quick-zh-CN-dark");
    await click(b, "nav-settings");
    await selectValue(b, "language-select", "en");
    await click(b, "nav-create");
    await click(b, "wz-mode-quick");
    await textOf(b, "wz-quick-type", 60000);
    await shot(b, "wizard-quick-en-dark");
    await click(b, "wz-quick-continue");
    await onStep(b, "review");
    await shot(b, "wizard-8-review-en-dark");
    await click(b, "nav-settings");
    await selectValue(b, "theme-select", "light");
  });
});
