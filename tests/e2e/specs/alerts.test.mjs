// Local alerts end to end: a CPU rule set on the Sandbox through the Settings page (bad
// input refused field by field, nothing saved), the Sandbox's hot instance firing while
// the window is minimised, the desktop notification really sent on the session bus (read
// by dbus-monitor, shown by dunst, both started by ./run), a click on it opening the
// instance, the alert in the activity log, the rule removed through its dialog, and a rule
// on a saved view following the view's rename and stopping when the view is deleted.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
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

const NOTIFY_LOG = process.env.CVM_E2E_NOTIFY_LOG;

async function waitUntil(browser, cond, what, timeout = 60000) {
  await browser.waitUntil(cond, {
    timeout,
    interval: 250,
    timeoutMsg: `timed out: ${what}`,
  });
}

/** Waits until every account of the fleet has settled: its lines then stop moving the page. */
async function fleetSettled(browser) {
  await waitUntil(
    browser,
    async () => {
      const s = await browser.execute(() =>
        [...document.querySelectorAll('[data-testid^="fleet-account-"]')].map((e) =>
          e.getAttribute("data-status"),
        ),
      );
      return s.length > 0 && s.every((x) => x === "done" || x === "failed" || x === "partial");
    },
    "every fleet account listed",
  );
}

async function rules(b) {
  const r = await invoke(b, "list_alert_rules");
  assert.ok(r.ok, r.error);
  return r.data;
}

/** The Notify calls dbus-monitor has seen so far (each call's text). */
function notifyCalls() {
  if (!NOTIFY_LOG || !existsSync(NOTIFY_LOG)) return [];
  return readFileSync(NOTIFY_LOG, "utf8")
    .split(/\n(?=method call )/)
    .filter((m) => m.startsWith("method call ") && m.includes("member=Notify"));
}

describe("alerts", () => {
  const app = useApp({ before, after, afterEach });

  it("refuses bad rules field by field and saves nothing", async () => {
    const b = app.browser;
    await click(b, "nav-settings");
    await click(b, "alert-add");
    await selectValue(b, "alert-kind", "cpuAbove");
    const refused = async (field, pattern) => {
      await click(b, "alert-save");
      assert.match(await textOf(b, `alert-error-${field}`), pattern);
      assert.deepEqual(await rules(b), [], "nothing saved");
    };
    // No target yet.
    await refused("target", /Choose a profile or a saved view/);
    await selectValue(b, "alert-target", "profile:sandbox");
    await typeInto(b, "alert-threshold", "abc");
    await refused("threshold", /number above 0 and below 100/);
    await typeInto(b, "alert-threshold", "150");
    await refused("threshold", /number above 0 and below 100/);
    await typeInto(b, "alert-threshold", "80");
    await typeInto(b, "alert-minutes", "0");
    await refused("minutes", /not zero/);
    await typeInto(b, "alert-minutes", "2");
    await typeInto(b, "alert-regions", "guangzhou!");
    await refused("regions", /region ids/);
    // The backend refuses what the form would never send, naming the field.
    const direct = await invoke(b, "save_alert_rule", {
      draft: {
        id: null,
        enabled: true,
        kind: "expiring",
        threshold: "",
        minutes: "",
        days: "0",
        target: { kind: "profile", profileId: "sandbox", regions: null },
      },
    });
    assert.equal(direct.ok, false);
    assert.match(direct.error, /"field":"days"/);
    assert.deepEqual(await rules(b), []);
  });

  it("fires on the hot Sandbox instance while minimised, notifies, and opens it on a click", async () => {
    const b = app.browser;
    assert.ok(NOTIFY_LOG, "./run starts dbus-monitor and names its log");
    const before = notifyCalls().length;
    await typeInto(b, "alert-regions", "ap-guangzhou");
    await click(b, "alert-save");
    await gone(b, "alert-form");
    const saved = await rules(b);
    assert.equal(saved.length, 1);
    assert.deepEqual(saved[0].condition, {
      kind: "cpuAbove",
      threshold: 80,
      minutes: 2,
    });
    // Out of sight: the watcher keeps running and the notification still comes.
    await b.minimizeWindow();
    let firing = [];
    await waitUntil(
      b,
      async () => {
        const r = await invoke(b, "firing_alerts");
        firing = r.ok ? r.data : [];
        return firing.length > 0;
      },
      "the hot instance's alert",
    );
    assert.equal(firing.length, 1, "only the hot instance is above 80 %");
    const [hot] = firing;
    assert.equal(hot.kind, "cpuAbove");
    assert.ok(hot.value > 80, `lowest CPU of the window ${hot.value}`);
    await waitUntil(
      b,
      async () =>
        notifyCalls()
          .slice(before)
          .some((m) => m.includes(hot.instanceId)),
      "a Notify call on the session bus",
      30000,
    );
    const call = notifyCalls()
      .slice(before)
      .find((m) => m.includes(hot.instanceId));
    assert.match(call, /CVM Console alert/);
    assert.ok(call.includes(hot.instanceName), "the notification names the instance");
    assert.match(call, /CPU above 80 % for 2 min/);
    assert.match(call, /"default"/, "it carries the click action");
    // Another pass (saving the rule unchanged runs one at once) sees it still hot and
    // notifies nobody again.
    const monitorCalls = async () =>
      (await activity(b, { text: "GetMonitorData" })).filter((e) => e.action === "GetMonitorData")
        .length;
    const calls = await monitorCalls();
    const again = await invoke(b, "save_alert_rule", {
      draft: {
        id: saved[0].id,
        enabled: true,
        kind: "cpuAbove",
        threshold: "80",
        minutes: "2",
        days: "",
        target: {
          kind: "profile",
          profileId: "sandbox",
          regions: ["ap-guangzhou"],
        },
      },
    });
    assert.ok(again.ok, again.error);
    await waitUntil(b, async () => (await monitorCalls()) > calls, "another pass");
    await b.pause(1000);
    assert.equal(
      notifyCalls()
        .slice(before)
        .filter((m) => m.includes(hot.instanceId)).length,
      1,
      "one notification per alert",
    );
    // A click on the notification (dunst's default action) opens the instance.
    execFileSync("dunstctl", ["action", "0"]);
    await waitUntil(
      b,
      async () =>
        (await b.execute(
          () => document.querySelector('[data-testid="detail-name"]')?.textContent ?? "",
        )) === hot.instanceName,
      "the instance's detail view",
      20000,
    );
    await screenshot(b, "alerts-clicked-detail");
  });

  it("shows the alert in the activity log and the Alerts section", async () => {
    const b = app.browser;
    await click(b, "nav-activity");
    await typeInto(b, "activity-filter", "Alert");
    const row = await b.$('[data-testid="activity-row"][data-action="AlertFired"]');
    await row.waitForExist({ timeout: 15000 });
    const text = await row.getText();
    assert.match(text, /Alert fired/);
    assert.match(text, /CPU above 80 % for 2 min/);
    await screenshot(b, "alerts-activity-en-light");
    await (await b.$('[data-testid="activity-filter"]')).clearValue();
    await click(b, "nav-settings");
    await (await b.$('[data-testid="alert-firing"]')).waitForExist({ timeout: 15000 });
    await referenceShot(b, "alerts-en-light", {
      mask: ['[data-testid="alert-firing"]'],
      clip: '[data-testid="alerts-section"]',
    });
    await selectValue(b, "theme-select", "dark");
    await selectValue(b, "language-select", "zh-CN");
    await (await b.$('[data-testid="alert-firing"]')).waitForExist({ timeout: 15000 });
    await click(b, "alert-edit");
    await referenceShot(b, "alerts-zh-CN-dark", {
      mask: ['[data-testid="alert-firing"]'],
      clip: '[data-testid="alerts-section"]',
    });
    await click(b, "alert-cancel");
    await selectValue(b, "language-select", "en");
    await selectValue(b, "theme-select", "light");
  });

  it("removes the rule only through its dialog's OK", async () => {
    const b = app.browser;
    await click(b, "alert-remove");
    let dialog = await confirmDialog(b, "remove-alert-rule");
    await (await dialog.$('[data-testid="confirm-cancel"]')).click();
    await gone(b, "confirm-dialog");
    assert.equal((await rules(b)).length, 1, "Cancel removes nothing");
    await click(b, "alert-remove");
    dialog = await confirmDialog(b, "remove-alert-rule");
    await (await dialog.$('[data-testid="confirm-ok"]')).click();
    await gone(b, "confirm-dialog");
    assert.deepEqual(await rules(b), []);
    await waitUntil(
      b,
      async () => {
        const r = await invoke(b, "firing_alerts");
        return r.ok && r.data.length === 0;
      },
      "the removed rule's alert to end",
    );
  });

  it("watches a saved view by id: renamed it keeps watching, deleted (Cancel, then OK) the rule shows it stopped", async () => {
    const b = app.browser;
    const views = async () => {
      const r = await invoke(b, "list_views");
      assert.ok(r.ok, r.error);
      return r.data;
    };
    // The fleet's current filters, saved as a view.
    await click(b, "nav-fleet");
    await fleetSettled(b);
    await click(b, "fleet-save-view");
    await typeInto(b, "view-name", "Guangzhou");
    await click(b, "view-save");
    await gone(b, "save-view-dialog");
    const [view] = await views();
    assert.equal(view.name, "Guangzhou");
    // A rule on it holds the view's id, not a copy.
    await click(b, "nav-settings");
    await click(b, "alert-add");
    await selectValue(b, "alert-kind", "leftRunning");
    await selectValue(b, "alert-target", `view:${view.id}`);
    await click(b, "alert-save");
    await gone(b, "alert-form");
    const [rule] = await rules(b);
    assert.deepEqual(rule.target, { kind: "view", viewId: view.id });
    // Renamed on the fleet page: the rule follows.
    await click(b, "nav-fleet");
    await fleetSettled(b);
    await click(b, "fleet-views");
    await click(b, `view-rename-${view.id}`);
    await typeInto(b, "view-name", "South China");
    await click(b, "view-save");
    await gone(b, "save-view-dialog");
    await click(b, "nav-settings");
    assert.match(await textOf(b, "alert-rule"), /South China/);
    // Deleted: the dialog says a rule watches it; Cancel keeps it.
    await click(b, "nav-fleet");
    await fleetSettled(b);
    await click(b, "fleet-views");
    await click(b, `view-delete-${view.id}`);
    let dialog = await confirmDialog(b, "delete-view");
    await (await b.$('[data-testid="delete-view-rules"]')).waitForExist({ timeout: 15000 });
    assert.match(await dialog.getText(), /1 alert rule watches this view/);
    await screenshot(b, "fleet-view-delete-en-light");
    await (await dialog.$('[data-testid="confirm-cancel"]')).click();
    await gone(b, "confirm-dialog");
    assert.equal((await views()).length, 1, "Cancel deletes nothing");
    await click(b, `view-delete-${view.id}`);
    dialog = await confirmDialog(b, "delete-view");
    await (await b.$('[data-testid="delete-view-rules"]')).waitForExist({ timeout: 15000 });
    await (await dialog.$('[data-testid="confirm-ok"]')).click();
    await gone(b, "confirm-dialog");
    assert.deepEqual(await views(), []);
    // The rule stays, stopped, with the reason at its target (and when edited).
    await click(b, "nav-settings");
    assert.match(await textOf(b, "alert-view-missing"), /saved view this rule watched was deleted/);
    assert.match(await textOf(b, "alert-rule-stopped"), /Stopped/);
    assert.deepEqual((await rules(b))[0].target, { kind: "view", viewId: view.id });
    await click(b, "alert-edit");
    assert.match(await textOf(b, "alert-error-target"), /saved view this rule watched was deleted/);
    await screenshot(b, "alerts-view-deleted-en-light");
    await selectValue(b, "theme-select", "dark");
    await selectValue(b, "language-select", "zh-CN");
    assert.match(await textOf(b, "alert-error-target"), /已被删除/);
    await screenshot(b, "alerts-view-deleted-zh-CN-dark");
    await selectValue(b, "language-select", "en");
    await selectValue(b, "theme-select", "light");
    await click(b, "alert-cancel");
  });
});
