// The console end to end against the embedded Sandbox: region picker, listing, filters,
// lifecycle actions with live status, an API refusal with its code, the activity log.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import {
  click,
  openApp,
  referenceShot,
  selectValue,
  textOf,
  typeInto,
  useApp,
} from "../lib/harness.mjs";

// Exports land here instead of a native save dialog (debug builds only; WebDriver cannot
// drive a GTK file chooser).
const exportDir = mkdtempSync(join(tmpdir(), "cvm-e2e-export-"));
process.env.CVM_CONSOLE_E2E_EXPORT_DIR = exportDir;

/** A main screen, compared with its reference in docs/screenshots. */
const screenshot = (browser, name, opts = {}) =>
  referenceShot(browser, name, { ...opts, mask: [...EXPORT_PATH, ...(opts.mask ?? [])] });
/** Where the last export went: a temporary folder of this run. */
const EXPORT_PATH = ['[data-testid="export-result"]'];
/** The activity log's rows and count (times, RequestIds, latencies): only its frame is compared. */
const ACTIVITY_ROWS = ['[data-testid="activity-table"] tbody', '[data-testid="activity-count"]'];

/** Reads rows' attributes from the DOM (rows outside the viewport are not "displayed"). */
async function rowAttrs(browser, attr) {
  return browser.execute(
    (attr) =>
      [...document.querySelectorAll('[data-testid^="row-ins-"]')].map((e) => [
        e.getAttribute("data-testid").slice(4),
        e.getAttribute(attr),
      ]),
    attr,
  );
}

/** Records whether the stale banner ever shows (it may last only while the list refreshes). */
async function watchStale(browser) {
  await browser.execute(() => {
    window.__staleSeen = null;
    const look = () => {
      const el = document.querySelector('[data-testid="stale-banner"]');
      if (el && !window.__staleSeen) window.__staleSeen = el.textContent;
    };
    new MutationObserver(look).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  });
}

async function allRegionsDone(browser) {
  await waitUntil(
    browser,
    async () => {
      const chips = await browser.execute(() =>
        [...document.querySelectorAll('[data-testid^="region-progress-"]')].map((e) =>
          e.getAttribute("data-status"),
        ),
      );
      return chips.length > 0 && chips.every((s) => s === "done" || s === "failed");
    },
    "every region listed",
  );
}

async function waitUntil(browser, cond, what, timeout = 60000) {
  await browser.waitUntil(cond, { timeout, interval: 250, timeoutMsg: `timed out: ${what}` });
}

async function rowIds(browser, selector = "") {
  const rows = await browser.$$(`[data-testid^="row-ins-"]${selector}`);
  const ids = [];
  for (const r of rows) ids.push((await r.getAttribute("data-testid")).slice(4));
  return ids;
}

async function rowState(browser, id) {
  const el = await browser.$(`[data-testid="row-${id}"]`);
  return (await el.isExisting()) ? el.getAttribute("data-state") : null;
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
  // Clear any selection, then tick this row.
  const all = await browser.$('[data-testid="select-all"]');
  if (await all.isSelected()) await all.click();
  else {
    await all.click();
    await all.click();
  }
  await click(browser, `select-${id}`);
  assert.equal(await textOf(browser, "selection-count"), "1 selected");
}

describe("console", () => {
  const app = useApp({ before, after, afterEach });

  it("chooses a region from the grouped, searchable picker and lists its instances", async () => {
    const b = app.browser;
    await click(b, "nav-instances");
    await listed(b);
    await click(b, "region-picker");
    await typeInto(b, "region-search", "shang");
    const options = await b.$$('[data-testid^="region-option-"]');
    assert.ok(options.length >= 1);
    for (const o of options) assert.match(await o.getText(), /shanghai/i);
    await screenshot(b, "console-region-picker-en-light");
    await click(b, "region-option-ap-shanghai");
    assert.match(await textOf(b, "region-current"), /Shanghai/);
    await listed(b);
    // Back to Guangzhou: the choice is remembered for the profile.
    await click(b, "region-picker");
    await typeInto(b, "region-search", "guangzhou");
    await click(b, "region-option-ap-guangzhou");
    await listed(b);
    assert.match(await textOf(b, "region-current"), /Guangzhou/);
  });

  it("filters by text and state at once, and by zone", async () => {
    const b = app.browser;
    const all = await rowIds(b);
    const first = all[0];
    await typeInto(b, "instance-filter", first);
    await waitUntil(b, async () => (await rowIds(b)).length === 1, "text filter");
    assert.deepEqual(await rowIds(b), [first]);
    await typeInto(b, "instance-filter", "zzzz-no-such-instance");
    await textOf(b, "instances-no-match");
    await typeInto(b, "instance-filter", " ");
    await selectValue(b, "state-filter", "RUNNING");
    await waitUntil(
      b,
      async () => (await rowIds(b, ':not([data-state="RUNNING"])')).length === 0,
      "state filter",
    );
    assert.ok((await rowIds(b)).length > 0);
    await selectValue(b, "state-filter", "");
    // The zone column starts hidden (the default columns fit 1280 px): shown for this check.
    await click(b, "columns-button");
    await click(b, "column-toggle-zone");
    await click(b, "columns-button");
    await selectValue(b, "zone-filter", "ap-guangzhou-3");
    await waitUntil(
      b,
      async () => !(await textOf(b, "instance-count")).includes("…"),
      "zone listing",
    );
    // Rows outside the viewport are not "displayed" to WebDriver: read the DOM text.
    const zones = await b.execute(() =>
      [...document.querySelectorAll('[data-testid^="row-ins-"] .col-zone')].map(
        (e) => e.textContent,
      ),
    );
    assert.ok(zones.length > 0);
    for (const z of zones) assert.equal(z, "ap-guangzhou-3");
    await click(b, "columns-button");
    await click(b, "column-toggle-zone");
    await click(b, "columns-button");
    await selectValue(b, "zone-filter", "");
    await listed(b);
  });

  it("filters by billing model and expiry, and hides columns, all locally", async () => {
    const b = app.browser;
    await listed(b);
    const total = (await rowIds(b)).length;
    await selectValue(b, "billing-filter", "PREPAID");
    await waitUntil(
      b,
      async () => (await rowAttrs(b, "data-charge")).every(([, c]) => c === "PREPAID"),
      "billing filter",
    );
    const prepaid = await rowAttrs(b, "data-charge");
    assert.ok(prepaid.length > 0 && prepaid.length < total, "some, not all, are prepaid");
    // Prepaid rows carry an expiry badge (days left, red within 7 days).
    const badges = await b.execute(() =>
      [...document.querySelectorAll('[data-testid^="row-ins-"] [data-testid="expiry-badge"]')].map(
        (e) => e.getAttribute("data-tone"),
      ),
    );
    assert.ok(badges.length > 0);
    await click(b, "expiring-filter");
    await waitUntil(
      b,
      async () => {
        const tones = await b.execute(() =>
          [
            ...document.querySelectorAll('[data-testid^="row-ins-"] [data-testid="expiry-badge"]'),
          ].map((e) => e.getAttribute("data-tone")),
        );
        const rows = (await rowIds(b)).length;
        const none = await (await b.$('[data-testid="instances-no-match"]')).isExisting();
        return (
          (none && rows === 0) ||
          (rows > 0 && tones.length === rows && tones.every((t) => t !== "ok"))
        );
      },
      "only instances expiring within 7 days",
    );
    await click(b, "expiring-filter");
    await selectValue(b, "billing-filter", "");
    await waitUntil(b, async () => (await rowIds(b)).length === total, "all rows back");
    // The column chooser hides a column, and the choice survives a revisit.
    await click(b, "columns-button");
    await click(b, "column-toggle-tags");
    await waitUntil(
      b,
      async () => !(await (await b.$('[data-testid="sort-tags"]')).isExisting()),
      "tags column hidden",
    );
    await click(b, "nav-activity");
    await click(b, "nav-instances");
    await listed(b);
    assert.equal(
      await (await b.$('[data-testid="sort-tags"]')).isExisting(),
      false,
      "still hidden",
    );
    await click(b, "columns-button");
    await click(b, "column-toggle-tags");
    await click(b, "columns-button");
    await (await b.$('[data-testid="sort-tags"]')).waitForExist({ timeout: 10000 });
  });

  it("exports the filtered, sorted view as CSV and JSON, written by the backend", async () => {
    const b = app.browser;
    await selectValue(b, "state-filter", "RUNNING");
    await waitUntil(
      b,
      async () => (await rowIds(b, ':not([data-state="RUNNING"])')).length === 0,
      "state filter",
    );
    await click(b, "sort-name"); // name is sorted ascending already: now descending
    const shown = await rowIds(b);
    await click(b, "export-csv");
    assert.match(await textOf(b, "export-result"), /instances\.csv/);
    const csv = readFileSync(join(exportDir, "instances.csv"), "utf8");
    const lines = csv.trim().split("\n");
    assert.match(lines[0], /^Region,InstanceId,InstanceName,InstanceState,Zone/);
    const ids = lines.slice(1).map((l) => l.split(",")[1]);
    const count = Number((await textOf(b, "instance-count")).match(/^(\d+)/)[1]);
    assert.equal(ids.length, count, "exactly the rows shown");
    assert.deepEqual(ids.slice(0, shown.length), shown, "in the order shown");
    await click(b, "export-json");
    await waitUntil(
      b,
      async () => /instances\.json/.test(await textOf(b, "export-result")),
      "JSON written",
    );
    const json = JSON.parse(readFileSync(join(exportDir, "instances.json"), "utf8"));
    assert.equal(json.length, count);
    assert.ok(json.every((r) => r.state === "RUNNING"));
    assert.deepEqual(
      json.map((r) => r.id),
      ids,
    );
    // desc → unsorted → asc (name order again, as the other tests expect).
    await click(b, "sort-name");
    await click(b, "sort-name");
    await selectValue(b, "state-filter", "");
    await listed(b);
  });

  it("lists the enabled regions in one table with a region column and acts in another region", async () => {
    const b = app.browser;
    await click(b, "region-picker");
    await click(b, "edit-enabled-regions");
    // Enable three regions only.
    const boxes = await b.$$('[data-testid^="enabled-region-"]');
    for (const box of boxes) {
      const id = (await box.getAttribute("data-testid")).slice("enabled-region-".length);
      const want = ["ap-guangzhou", "ap-shanghai", "ap-beijing"].includes(id);
      if ((await box.isSelected()) !== want) await box.click();
    }
    await click(b, "enabled-regions-save");
    await click(b, "region-option-all");
    await allRegionsDone(b);
    await listed(b);
    const chips = await b.$$('[data-testid^="region-progress-"]');
    assert.equal(chips.length, 3, "one progress chip per enabled region");
    assert.match(await textOf(b, "region-progress-ap-shanghai"), /\d+\/\d+/);
    const regions = new Set((await rowAttrs(b, "data-region")).map(([, r]) => r));
    assert.ok(regions.size >= 2, `rows from several regions (${[...regions]})`);
    for (const r of regions) assert.ok(["ap-guangzhou", "ap-shanghai", "ap-beijing"].includes(r));
    await (await b.$('[data-testid="sort-region"]')).waitForExist({ timeout: 5000 });
    // Earlier specs act on instances in these regions (a password reset reboots one): let
    // every row settle (refreshing as a user would), so the screen does not depend on how
    // fast this machine is.
    await waitUntil(
      b,
      async () => {
        const settled = (await rowAttrs(b, "data-state")).every(
          ([, s]) => !["PENDING", "STARTING", "STOPPING", "REBOOTING"].includes(s),
        );
        if (!settled) {
          await b.pause(1000);
          await click(b, "refresh");
          await allRegionsDone(b);
        }
        return settled;
      },
      "every row settled",
    );
    // No hover or focus left on Refresh by the loop above, and the table's overlay
    // scrollbar (shown for a moment after a refresh) gone.
    await b.execute(() => document.activeElement?.blur());
    await (await b.$("h1")).moveTo();
    await b.pause(1500);
    await screenshot(b, "console-all-regions-en-light");
    // Stop and start an instance outside the remembered region: the call goes to its region.
    const [id] = await rowIds(b, '[data-region="ap-shanghai"][data-state="RUNNING"]');
    assert.ok(id, "a running instance in Shanghai");
    await selectOnly(b, id);
    await click(b, "action-stop");
    await click(b, "stop-type-HARD");
    await click(b, "dialog-confirm");
    assert.equal(await (await b.$(`[data-testid="result-${id}"]`)).getAttribute("data-ok"), "true");
    await waitUntil(b, async () => (await rowState(b, id)) === "STOPPED", "STOPPED in Shanghai");
    await click(b, "action-start");
    await waitUntil(b, async () => (await rowState(b, id)) === "RUNNING", "RUNNING again");
  });

  it("shows the cached list at once, marked stale, on a revisit and after a restart", async () => {
    let b = app.browser;
    await click(b, "nav-activity");
    await watchStale(b);
    await click(b, "nav-instances");
    await listed(b);
    assert.match(
      String(await b.execute(() => window.__staleSeen)),
      /cached/,
      "the cache showed first, marked stale",
    );
    await waitUntil(
      b,
      async () => !(await (await b.$('[data-testid="stale-banner"]')).isExisting()),
      "replaced by the fresh list",
    );
    // Restart the app (same HOME): the cache is still there.
    await b.deleteSession();
    app.browser = await openApp();
    b = app.browser;
    await (await b.$('[data-testid="nav-instances"]')).waitForExist({ timeout: 30000 });
    // The restarted app opens on the instances and its stale banner may already be gone
    // when the test looks: visit the list again, as above, to watch it from the start.
    await listed(b);
    await click(b, "nav-activity");
    await watchStale(b);
    await click(b, "nav-instances");
    await listed(b);
    assert.match(
      String(await b.execute(() => window.__staleSeen)),
      /cached/,
      "stale cache after a restart",
    );
  });

  it("stops and starts one instance, following its state live", async () => {
    const b = app.browser;
    const [id] = await rowIds(b, '[data-state="RUNNING"]');
    assert.ok(id, "a running instance");
    await selectOnly(b, id);
    // Start is refused by the UI with a reason: the instance is running.
    assert.equal(await (await b.$('[data-testid="action-start"]')).isEnabled(), false);
    assert.match(
      await (await b.$('[data-testid="action-start"]')).getAttribute("title"),
      /Start needs/,
    );
    await click(b, "action-stop");
    await click(b, "stop-type-HARD");
    await screenshot(b, "console-stop-dialog-en-light");
    await click(b, "dialog-confirm");
    assert.equal(await (await b.$(`[data-testid="result-${id}"]`)).getAttribute("data-ok"), "true");
    await waitUntil(b, async () => (await rowState(b, id)) === "STOPPED", "STOPPED");
    await click(b, "action-start");
    await waitUntil(b, async () => (await rowState(b, id)) === "RUNNING", "RUNNING again");
  });

  it("reboots one instance", async () => {
    const b = app.browser;
    const [id] = await rowIds(b, '[data-state="RUNNING"]');
    await selectOnly(b, id);
    await click(b, "action-reboot");
    await click(b, "dialog-confirm");
    assert.equal(await (await b.$(`[data-testid="result-${id}"]`)).getAttribute("data-ok"), "true");
    await waitUntil(b, async () => (await rowState(b, id)) === "REBOOTING", "REBOOTING");
    await waitUntil(b, async () => (await rowState(b, id)) === "RUNNING", "back to RUNNING");
  });

  it("shows the API's refusal of an action in the wrong state, with its code and RequestId", async () => {
    const b = app.browser;
    const id = (await rowIds(b, '[data-state="RUNNING"]')).at(-1);
    await selectOnly(b, id);
    // Stop it behind the page's back, then reboot before the page has heard: the UI still
    // shows RUNNING, so it sends the reboot, and the API refuses it.
    const outcome = await b.executeAsync((id, done) => {
      const q = async (t) => {
        for (let i = 0; i < 100; i++) {
          const el = document.querySelector(`[data-testid="${t}"]`);
          if (el) return el;
          await new Promise((r) => setTimeout(r, 10));
        }
        throw new Error(`no ${t}`);
      };
      window.__TAURI_INTERNALS__
        .invoke("stop_instances", {
          scope: { profile: "sandbox", region: "ap-guangzhou" },
          instanceIds: [id],
          stopType: "HARD",
          stoppedMode: "KEEP_CHARGING",
          // What a confirmed stop dialog would carry (the backend checks it).
          consent: {
            instanceIds: [id],
            typed: null,
            stopType: "HARD",
            stoppedMode: "KEEP_CHARGING",
          },
          // A channel the page ignores (what `new Channel()` serialises to).
          onChange: `__CHANNEL__:${window.__TAURI_INTERNALS__.transformCallback(() => {})}`,
        })
        .then(
          async () => {
            (await q("action-reboot")).click();
            (await q("dialog-confirm")).click();
            done("sent");
          },
          (e) => done(`stop failed: ${JSON.stringify(e)}`),
        )
        .catch((e) => done(`page: ${e.message}`));
    }, id);
    assert.equal(outcome, "sent");
    const code = await textOf(b, `result-error-${id}`);
    assert.match(code, /UnsupportedOperation\.InstanceState/);
    const rid = await textOf(b, "problem-request-id");
    assert.match(rid, /^[0-9a-f-]{36}$/);
    await (
      await b.$('[data-testid="dialog-reboot"]')
    ).waitForExist({ reverse: true, timeout: 10000 });
    await b.pause(300);
    await screenshot(b, "console-refused-en-light");
    // The stop was not this page's action, so only a refresh shows where it went.
    await waitUntil(
      b,
      async () => {
        await click(b, "refresh");
        await listed(b);
        return (await rowState(b, id)) === "STOPPED";
      },
      "STOPPED after refresh",
    );
  });

  it("terminates one instance after typed confirmation naming it and its billing", async () => {
    const b = app.browser;
    const candidates = await rowIds(
      b,
      '[data-charge="PREPAID"][data-state="RUNNING"]:not([data-protected="true"]), [data-charge="PREPAID"][data-state="STOPPED"]:not([data-protected="true"])',
    );
    const prepaid = candidates[0];
    const id = prepaid ?? (await rowIds(b, '[data-state="STOPPED"]'))[0];
    await selectOnly(b, id);
    await click(b, "action-terminate");
    const listedText = await textOf(b, "dialog-instances");
    assert.match(listedText, new RegExp(id));
    if (prepaid) {
      assert.match(listedText, /Monthly subscription/);
      // The refund quote (InquiryPriceTerminateInstances) and the recycle bin, explained.
      assert.match(await textOf(b, `refund-${id}`), /refund \d+\.\d\d CNY/);
      assert.match(await textOf(b, "terminate-recycle-note"), /recycle bin/);
    }
    // Every terminate needs the instance's id typed.
    const confirm = await b.$('[data-testid="dialog-confirm"]');
    assert.equal(await confirm.isEnabled(), false, "needs the typed id first");
    await typeInto(b, "terminate-confirm-input", id);
    await (await b.$('[data-testid="dialog-confirm"]')).waitForEnabled({ timeout: 10000 });
    if (prepaid) await screenshot(b, "console-terminate-dialog-en-light");
    await click(b, "dialog-confirm");
    assert.equal(await (await b.$(`[data-testid="result-${id}"]`)).getAttribute("data-ok"), "true");
    await waitUntil(
      b,
      async () => ["SHUTDOWN", null].includes(await rowState(b, id)),
      "isolated or gone",
    );
  });

  it("lists every call in the activity log, filterable, with codes and RequestIds", async () => {
    const b = app.browser;
    await click(b, "nav-activity");
    await waitUntil(b, async () => (await b.$$('[data-testid="activity-row"]')).length > 5, "rows");
    const actions = [];
    for (const r of await b.$$('[data-testid="activity-row"]'))
      actions.push(await r.getAttribute("data-action"));
    for (const a of [
      "DescribeRegions",
      "DescribeInstances",
      "StopInstances",
      "StartInstances",
      "RebootInstances",
      "TerminateInstances",
      "DescribeInstancesStatus",
    ]) {
      assert.ok(actions.includes(a), `${a} logged`);
    }
    await screenshot(b, "activity-en-light", { mask: ACTIVITY_ROWS });
    await selectValue(b, "activity-result", "failed");
    await waitUntil(
      b,
      async () => {
        const rows = await b.$$('[data-testid="activity-row"]');
        return rows.length >= 1 && (await rows[0].getText()).includes("UnsupportedOperation");
      },
      "the refused reboot",
    );
    const text = await (await b.$('[data-testid="activity-row"]')).getText();
    assert.match(text, /RebootInstances/);
    assert.match(await textOf(b, "statusbar"), /calls/);
  });

  it("renders in Simplified Chinese and dark theme", async () => {
    const b = app.browser;
    await click(b, "nav-instances");
    await listed(b);
    await screenshot(b, "console-en-light");
    await click(b, "nav-settings");
    await selectValue(b, "theme-select", "dark");
    await click(b, "nav-instances");
    await listed(b);
    await screenshot(b, "console-en-dark");
    await click(b, "nav-settings");
    await selectValue(b, "language-select", "zh-CN");
    await click(b, "nav-instances");
    await listed(b);
    await waitUntil(
      b,
      async () => /华南地区/.test(await textOf(b, "region-current")),
      "region name in Chinese",
    );
    await screenshot(b, "console-zh-CN-dark");
    await click(b, "region-picker");
    await click(b, "region-option-all");
    await allRegionsDone(b);
    await listed(b);
    const [first] = await rowIds(b);
    await click(b, `select-${first}`);
    await screenshot(b, "console-all-regions-zh-CN-dark");
    await click(b, `select-${first}`);
    await click(b, "region-picker");
    await click(b, "region-option-ap-guangzhou");
    await listed(b);
    await click(b, "nav-activity");
    await screenshot(b, "activity-zh-CN-dark", { mask: ACTIVITY_ROWS });
    await click(b, "nav-settings");
    await selectValue(b, "theme-select", "light");
    await click(b, "nav-instances");
    await listed(b);
    await screenshot(b, "console-zh-CN-light");
  });
});
