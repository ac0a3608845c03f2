// The fleet end to end: the embedded Sandbox plus two more accounts (cvm-sim processes on
// loopback, each its own world), listed in one table; a tag filter; an action on rows of two
// accounts at once through the real consent dialog (Cancel, then OK); a read-only account's
// rows offer no action; saved views with their field errors, opened from the palette.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
  startSim,
  textOf,
  typeInto,
  useApp,
} from "../lib/harness.mjs";

// Exports are written here instead of through the native save dialog (debug builds).
const exportDir = mkdtempSync(join(tmpdir(), "cvm-e2e-fleet-export-"));
process.env.CVM_CONSOLE_E2E_EXPORT_DIR = exportDir;

const SIM_ID = "AKIDcvmsim00000000000000000000000000";
const SIM_KEY = "cvmsimSecretKey0000000000000000000";

async function waitUntil(browser, cond, what, timeout = 90000) {
  await browser.waitUntil(cond, {
    timeout,
    interval: 250,
    timeoutMsg: `timed out: ${what}`,
  });
}

/** Every shown row as [id, profile, state, region, tags text]. */
async function rows(browser) {
  return browser.execute(() =>
    [...document.querySelectorAll('[data-testid^="row-ins-"]')].map((e) => [
      e.getAttribute("data-testid").slice(4),
      e.getAttribute("data-profile"),
      e.getAttribute("data-state"),
      e.getAttribute("data-region"),
      [...e.querySelectorAll("[data-tag]")].map((t) => t.textContent).join("|"),
    ]),
  );
}

/**
 * A row of each of two accounts, as close together in the list as the rendered rows allow:
 * the virtual list renders only rows near the view, so clicking the first (which may scroll
 * it out from under the sticky header) must leave the second rendered.
 */
function neighbours(list, a, b) {
  let best = null;
  list.forEach((r, i) => {
    if (r[1] !== a) return;
    list.forEach((s, j) => {
      if (s[1] === b && (!best || Math.abs(i - j) < best.d)) best = { d: Math.abs(i - j), r, s };
    });
  });
  return best ? [best.r, best.s] : [undefined, undefined];
}

/** The count line's [shown, listed] ([] while loading). */
async function counts(browser) {
  const m = (await textOf(browser, "instance-count")).match(/^([\d,]+) of ([\d,]+) /);
  return m ? [Number(m[1].replace(/,/g, "")), Number(m[2].replace(/,/g, ""))] : [];
}

/** Waits until every account's listing has settled (done, partial or failed). */
async function fleetListed(browser) {
  await waitUntil(
    browser,
    async () => {
      const s = await browser.execute(() =>
        [...document.querySelectorAll('[data-testid^="fleet-account-"]')].map((e) =>
          e.getAttribute("data-status"),
        ),
      );
      return (
        s.length >= 3 &&
        s.every((x) => x === "done" || x === "failed" || x === "partial") &&
        !(await textOf(browser, "instance-count")).includes("…")
      );
    },
    "every account listed",
  );
}

/** Empties an input the way a user would (WebDriver cannot "type" an empty string). */
async function clear(browser, testid) {
  const el = await browser.$(`[data-testid="${testid}"]`);
  await el.setValue(" ");
  await browser.keys(["Backspace"]);
  await browser.waitUntil(async () => (await el.getValue()) === "", {
    timeout: 5000,
    timeoutMsg: `${testid} still holds text`,
  });
}

/** Waits until the dialog has taken focus (it is open and ready for input). */
async function settled(browser, testid) {
  await waitUntil(
    browser,
    () =>
      browser.execute(
        (id) => !!document.querySelector(`[data-testid="${id}"]`)?.contains(document.activeElement),
        testid,
      ),
    `${testid} ready`,
    15000,
  );
}

async function clearSelection(browser) {
  const all = await browser.$('[data-testid="select-all"]');
  if (!(await all.isSelected())) await all.click();
  await all.click();
}

describe("fleet", () => {
  const sims = [];
  const ids = {};
  // Registered before useApp's own `after`, so the profiles go while the app still runs.
  after(async () => {
    const b = app.browser;
    try {
      for (const name of ["Ops account", "Data account"])
        if (ids[name])
          await invoke(b, "delete_profile", {
            id: ids[name],
            confirmName: name,
          });
    } catch {
      /* the app may be gone */
    }
    for (const s of sims) await s.stop();
  });
  const app = useApp({ before, after, afterEach });

  before(async () => {
    const b = app.browser;
    for (const [name, seed, readOnly] of [
      ["Ops account", 21, false],
      ["Data account", 22, true],
    ]) {
      const sim = await startSim([
        "--preload",
        "40",
        "--seed",
        String(seed),
        "--rate-limit",
        "off",
      ]);
      sims.push(sim);
      const r = await invoke(b, "create_profile", {
        input: {
          name,
          site: { type: "custom", url: sim.url },
          defaultRegion: "ap-guangzhou",
          language: "en-US",
          budget: { type: "current" },
          readOnly,
          secretId: SIM_ID,
          secretKey: SIM_KEY,
          token: null,
        },
      });
      assert.ok(r.ok, r.error);
    }
    const list = await invoke(b, "list_profiles");
    for (const p of list.data.profiles) ids[p.name] = p.id;
    await invoke(b, "set_active_profile", { id: "sandbox" });
    await b.refresh();
    // English and light, whatever an earlier spec left (the checks read English text).
    await click(b, "nav-settings");
    await selectValue(b, "language-select", "en");
    await selectValue(b, "theme-select", "light");
  });

  it("lists every account's instances in every enabled region in one table", async () => {
    const b = app.browser;
    await click(b, "nav-fleet");
    await fleetListed(b);
    for (const id of ["sandbox", ids["Ops account"], ids["Data account"]])
      assert.equal(
        await (await b.$(`[data-testid="fleet-account-${id}"]`)).getAttribute("data-status"),
        "done",
        id,
      );
    // Sorted by name, the first rows on screen come from all accounts: count through the
    // listing's own answer instead of the virtualised DOM.
    const total = Number(
      (await textOf(b, "instance-count")).match(/of ([\d,]+)/)[1].replace(/,/g, ""),
    );
    const perAccount = {};
    for (const id of [ids["Ops account"], ids["Data account"]]) {
      const got = await invoke(b, "cached_fleet", {
        targets: [{ profileId: id, regions: null }],
      });
      perAccount[id] = got.data.reduce((n, l) => n + l.instances.length, 0);
      assert.equal(perAccount[id], 40, "each cvm-sim's 40 preloaded instances, all regions");
    }
    assert.ok(total > 80, `${total} rows: the Sandbox's and both accounts'`);
    const shown = await rows(b);
    assert.ok(new Set(shown.map((r) => r[1])).size >= 2, "rows of several accounts on screen");
    // Account and Region columns, and the tags.
    assert.ok(await (await b.$('[data-testid="sort-account"]')).isExisting());
    assert.ok(await (await b.$('[data-testid="sort-region"]')).isExisting());
    await referenceShot(b, "fleet-en-light");
  });

  it("exports the whole fleet as CSV and JSON, each row with its account", async () => {
    const b = app.browser;
    const count = Number(
      (await textOf(b, "instance-count")).match(/^([\d,]+)/)[1].replace(/,/g, ""),
    );
    await click(b, "export-csv");
    assert.match(await textOf(b, "export-result"), /instances\.csv/);
    const lines = readFileSync(join(exportDir, "instances.csv"), "utf8").trim().split("\n");
    assert.match(lines[0], /,Account$/);
    assert.equal(lines.length - 1, count, "every row of the fleet");
    const accounts = new Set(lines.slice(1).map((l) => l.split(",").at(-1)));
    for (const name of ["Ops account", "Data account"]) assert.ok(accounts.has(name), name);
    assert.equal(accounts.size, Object.keys(ids).length, [...accounts].join());
    await click(b, "export-json");
    await waitUntil(
      b,
      async () => /instances\.json/.test(await textOf(b, "export-result")),
      "json written",
    );
    const json = JSON.parse(readFileSync(join(exportDir, "instances.json"), "utf8"));
    assert.equal(json.length, count);
    assert.deepEqual(new Set(json.map((r) => r.profileId)), new Set(Object.values(ids)));
  });

  it("estimates the run-rate of every account, each through its own client", async () => {
    const b = app.browser;
    await click(b, "nav-cost");
    await click(b, "cost-scope-fleet");
    // A line per profile (every profile the app has, whatever else the Sandbox ships).
    const accountIds = Object.values(ids);
    await waitUntil(
      b,
      () =>
        b.execute(
          (list) =>
            list.every(
              (id) =>
                document
                  .querySelector(`[data-testid="cost-account-${id}"]`)
                  ?.getAttribute("data-hourly") != null,
            ),
          accountIds,
        ),
      "every account estimated",
    );
    let sum = 0;
    for (const id of accountIds) {
      const row = await b.$(`[data-testid="cost-account-${id}"]`);
      sum += Number(await row.getAttribute("data-hourly"));
    }
    assert.ok(sum > 0, "the accounts run something");
    const total = Number(
      await (await b.$('[data-testid="cost-fleet-hourly-cny"]')).getAttribute("data-value"),
    );
    assert.ok(Math.abs(total - sum) < 0.011 * accountIds.length, `${total} ≈ ${sum}`);
    await screenshot(b, "cost-fleet-en-light");
    await click(b, "nav-fleet");
    await fleetListed(b);
  });

  it("filters by tag key and key=value, and names a bad tag key at its field", async () => {
    const b = app.browser;
    await typeInto(b, "fleet-tag-filter", "env=prod");
    await waitUntil(b, async () => /of/.test(await textOf(b, "instance-count")), "filtered");
    const prod = await rows(b);
    assert.ok(prod.length > 0);
    for (const r of prod) assert.match(r[4], /env: prod/, r[0]);
    const prodCount = Number((await textOf(b, "instance-count")).match(/^([\d,]+)/)[1]);
    await typeInto(b, "fleet-tag-filter", "team");
    const team = Number((await textOf(b, "instance-count")).match(/^([\d,]+)/)[1]);
    assert.ok(team >= prodCount, "a key alone matches every value");
    await typeInto(b, "fleet-tag-filter", "bad#key");
    assert.match(await textOf(b, "fleet-tag-filter-error"), /“#” is not allowed/);
    await typeInto(b, "fleet-tag-filter", "k".repeat(128));
    assert.match(await textOf(b, "fleet-tag-filter-error"), /at most 127/);
    await typeInto(b, "fleet-tag-filter", "env=prod");
    await gone(b, "fleet-tag-filter-error");
    // A refresh lists only the matches: the conditions went to each account as Tencent's
    // tag filters, so the listing itself holds only env=prod rows.
    await click(b, "refresh");
    await fleetListed(b);
    await waitUntil(
      b,
      async () => (await counts(b)).join() === [prodCount, prodCount].join(),
      "only the matches listed",
    );
    for (const r of await rows(b)) assert.match(r[4], /env: prod/, r[0]);
    // Cleared, the whole fleet is listed again once typing pauses.
    await clear(b, "fleet-tag-filter");
    await waitUntil(
      b,
      async () => {
        const [shown, total] = await counts(b);
        return total > prodCount && shown === total;
      },
      "the whole fleet listed again",
    );
    await fleetListed(b);
  });

  it("stops rows of two accounts at once through the consent dialog (Cancel, then OK)", async () => {
    const b = app.browser;
    await clear(b, "fleet-tag-filter");
    await selectValue(b, "state-filter", "RUNNING");
    const running = await rows(b);
    const [fromSandbox, fromOps] = neighbours(running, "sandbox", ids["Ops account"]);
    assert.ok(fromSandbox && fromOps, "a running row of each account on screen");
    await clearSelection(b);
    await click(b, `select-${fromSandbox[0]}`);
    await click(b, `select-${fromOps[0]}`);
    assert.equal(await textOf(b, "selection-count"), "2 selected");
    const before = (await activity(b, { text: "StopInstances" })).length;
    await click(b, "action-stop");
    const dialog = await b.$('[data-testid="dialog-stop"]');
    await dialog.waitForExist({ timeout: 15000 });
    const named = await (await b.$('[data-testid="dialog-instances"]')).getText();
    assert.match(named, new RegExp(fromSandbox[0]));
    assert.match(named, new RegExp(fromOps[0]));
    await settled(b, "dialog-stop");
    // Under WebKitGTK the dialog's fieldsets lose 19 px each when focus first leaves their
    // radio, which moves the buttons between a click's press and release: focus moves
    // first, then the real click.
    await b.execute(() => document.querySelector('[data-testid="dialog-cancel"]').focus());
    await click(b, "dialog-cancel");
    await gone(b, "dialog-stop");
    assert.equal(
      (await activity(b, { text: "StopInstances" })).length,
      before,
      "Cancel sent nothing",
    );

    await click(b, "action-stop");
    await click(b, "stop-type-HARD");
    await click(b, "dialog-confirm");
    for (const [id] of [fromSandbox, fromOps])
      assert.equal(
        await (await b.$(`[data-testid="result-${id}"]`)).getAttribute("data-ok"),
        "true",
      );
    const calls = (await activity(b, { text: "StopInstances" })).slice(
      0,
      (await activity(b, { text: "StopInstances" })).length - before,
    );
    assert.deepEqual(
      new Set(calls.map((c) => c.profileId)),
      new Set(["sandbox", ids["Ops account"]]),
      "one call through each account's own client",
    );
    await selectValue(b, "state-filter", "");
    for (const [id] of [fromSandbox, fromOps])
      await waitUntil(
        b,
        async () =>
          (await (await b.$(`[data-testid="row-${id}"]`)).getAttribute("data-state")) === "STOPPED",
        `${id} STOPPED`,
      );
    // Started again, so later specs find the world as they expect.
    await click(b, "action-start");
    for (const [id] of [fromSandbox, fromOps])
      await waitUntil(
        b,
        async () =>
          (await (await b.$(`[data-testid="row-${id}"]`)).getAttribute("data-state")) === "RUNNING",
        `${id} RUNNING`,
      );
  });

  it("sets a tag on rows of two accounts (a bad key refused at its field) and removes it after the confirmation (Cancel, then OK)", async () => {
    const b = app.browser;
    const calls = async (action) =>
      (await activity(b, { text: action })).filter((c) => c.action === action);
    const all = await rows(b);
    const [fromSandbox, fromOps] = neighbours(all, "sandbox", ids["Ops account"]);
    assert.ok(fromSandbox && fromOps, "a row of each writable account on screen");
    await clearSelection(b);
    await click(b, `select-${fromSandbox[0]}`);
    await click(b, `select-${fromOps[0]}`);
    const tagged = (await calls("TagResources")).length;
    await click(b, "action-tags");
    await settled(b, "tags-dialog");
    assert.match(await textOf(b, "tags-places"), /2 instances in 2 accounts and regions/);
    await typeInto(b, "tag-key", "bad#key");
    await typeInto(b, "tag-value", "yes");
    await click(b, "tags-set");
    assert.match(await textOf(b, "tag-key-error"), /“#” is not allowed/);
    // Kept with the run's artifacts to look at (not compared with a reference).
    await screenshot(b, "fleet-tags-en-light");
    await typeInto(b, "tag-key", "k".repeat(128));
    await click(b, "tags-set");
    assert.match(await textOf(b, "tag-key-error"), /at most 127/);
    assert.equal((await calls("TagResources")).length, tagged, "a refused key sends nothing");
    await typeInto(b, "tag-key", "fleet-e2e");
    await click(b, "tags-set");
    await waitUntil(
      b,
      async () => /Changed on 2 instances/.test(await textOf(b, "tags-result")),
      "both tagged",
    );
    const nowTagged = await calls("TagResources");
    const sets = nowTagged.slice(0, nowTagged.length - tagged);
    assert.deepEqual(
      new Set(sets.map((c) => c.profileId)),
      new Set(["sandbox", ids["Ops account"]]),
      "one call through each account's own client",
    );
    await click(b, "tags-close");
    await gone(b, "tags-dialog");
    await typeInto(b, "fleet-tag-filter", "fleet-e2e=yes");
    await waitUntil(
      b,
      async () =>
        (await rows(b))
          .map((r) => r[0])
          .sort()
          .join() === [fromSandbox[0], fromOps[0]].sort().join(),
      "exactly the two tagged rows",
    );

    const untagged = (await calls("UnTagResources")).length;
    await click(b, "action-tags");
    await settled(b, "tags-dialog");
    await typeInto(b, "tag-key", "fleet-e2e");
    await click(b, "tags-remove");
    const confirm = await confirmDialog(b, "remove-tag");
    assert.match(await confirm.getText(), new RegExp(fromSandbox[0]));
    assert.match(await confirm.getText(), new RegExp(fromOps[0]));
    await click(b, "confirm-cancel");
    await gone(b, "confirm-dialog");
    assert.equal((await calls("UnTagResources")).length, untagged, "Cancel sent nothing");
    await click(b, "tags-remove");
    await confirmDialog(b, "remove-tag");
    await click(b, "confirm-ok");
    await waitUntil(
      b,
      async () => /Changed on 2 instances/.test(await textOf(b, "tags-result")),
      "both untagged",
    );
    assert.equal((await calls("UnTagResources")).length, untagged + 2);
    await click(b, "tags-close");
    await b.$('[data-testid="instances-no-match"]').then((e) => e.waitForExist({ timeout: 60000 }));
    await clear(b, "fleet-tag-filter");
    await clearSelection(b);
  });

  it("offers no action on a read-only account's rows", async () => {
    const b = app.browser;
    await click(b, "fleet-accounts");
    // Every other account off: the Sandbox's three and the Ops account.
    for (const id of new Set(Object.values(ids)))
      if (id !== ids["Data account"]) await click(b, `fleet-accounts-${id}`);
    await click(b, "fleet-accounts");
    await waitUntil(
      b,
      async () => (await rows(b)).every((r) => r[1] === ids["Data account"]),
      "only the read-only account",
    );
    await fleetListedOne(b, ids["Data account"]);
    const [first] = await rows(b);
    await clearSelection(b);
    await click(b, `select-${first[0]}`);
    for (const a of ["start", "stop", "reboot", "rename", "resetPassword", "terminate"]) {
      const btn = await b.$(`[data-testid="action-${a}"]`);
      assert.equal(await btn.isEnabled(), false, a);
    }
    assert.match(await textOf(b, "action-reason"), /read-only/i);
    await click(b, "fleet-accounts");
    await click(b, "fleet-accounts-all");
    await click(b, "fleet-accounts");
    await clearSelection(b);
    await fleetListed(b);
  });

  it("saves named views (empty and duplicate names refused at the field) and opens one from the palette", async () => {
    const b = app.browser;
    await typeInto(b, "fleet-tag-filter", "env=staging");
    await click(b, "fleet-save-view");
    await click(b, "view-save");
    assert.match(await textOf(b, "view-name-error"), /Give the view a name/);
    await typeInto(b, "view-name", "Staging");
    await click(b, "view-save");
    await gone(b, "save-view-dialog");
    await click(b, "fleet-save-view");
    await typeInto(b, "view-name", "staging");
    await click(b, "view-save");
    assert.match(await textOf(b, "view-name-error"), /already exists/);
    await click(b, "view-cancel");
    await clear(b, "fleet-tag-filter");
    await click(b, "nav-instances");
    await b.keys(["Control", "k"]);
    await typeInto(b, "palette-input", "Staging");
    await click(b, "palette-view-Staging");
    await waitUntil(
      b,
      async () =>
        (await (await b.$('[data-testid="fleet-tag-filter"]')).getValue()) === "env=staging",
      "the view's tag filter",
    );
    await fleetListed(b);
    // Opened with its tag filter, the view lists only its matches.
    await waitUntil(
      b,
      async () => {
        const [shown, total] = await counts(b);
        return shown > 0 && shown === total;
      },
      "only the view's matches listed",
    );
    for (const r of await rows(b)) assert.match(r[4], /env: staging/);
    await clear(b, "fleet-tag-filter");
    // Kept by the backend with an id: renamed, then deleted through the confirmation
    // dialog (Cancel keeps it).
    const listViews = async () => {
      const r = await invoke(b, "list_views");
      assert.ok(r.ok, r.error);
      return r.data;
    };
    const [staging] = await listViews();
    assert.equal(staging.name, "Staging");
    assert.equal(staging.tags, "env=staging");
    await click(b, "fleet-views");
    await click(b, `view-rename-${staging.id}`);
    await typeInto(b, "view-name", "Staging web");
    await click(b, "view-save");
    await gone(b, "save-view-dialog");
    assert.deepEqual(
      (await listViews()).map((v) => [v.id, v.name]),
      [[staging.id, "Staging web"]],
    );
    await click(b, `view-delete-${staging.id}`);
    let dialog = await confirmDialog(b, "delete-view");
    assert.match(await dialog.getText(), /Staging web/);
    await (await dialog.$('[data-testid="confirm-cancel"]')).click();
    await gone(b, "confirm-dialog");
    assert.equal((await listViews()).length, 1, "Cancel deletes nothing");
    await click(b, `view-delete-${staging.id}`);
    dialog = await confirmDialog(b, "delete-view");
    await (await dialog.$('[data-testid="confirm-ok"]')).click();
    await gone(b, "confirm-dialog");
    assert.deepEqual(await listViews(), []);
    await gone(b, "fleet-views");
  });

  it("renders in Simplified Chinese and dark theme", async () => {
    const b = app.browser;
    await click(b, "nav-settings");
    await selectValue(b, "theme-select", "dark");
    await selectValue(b, "language-select", "zh-CN");
    await click(b, "nav-fleet");
    await fleetListed(b);
    // Coming back does not apply the palette's view again.
    assert.equal(await (await b.$('[data-testid="fleet-tag-filter"]')).getValue(), "");
    await referenceShot(b, "fleet-zh-CN-dark");
    await click(b, "nav-settings");
    await selectValue(b, "language-select", "en");
    await selectValue(b, "theme-select", "light");
  });
});

async function fleetListedOne(browser, id) {
  await waitUntil(
    browser,
    async () =>
      (await (
        await browser.$(`[data-testid="fleet-account-${id}"]`)
      ).getAttribute("data-status")) === "done",
    `${id} listed`,
  );
}
