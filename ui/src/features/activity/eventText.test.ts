import { afterEach, describe, expect, it } from "vitest";
import i18n from "../../i18n";
import type { ActivityEntry } from "../../backend";
import { eventText } from "./ActivityPage";

function entry(
  code: string,
  params: Record<string, string>,
  detail = "English text",
): ActivityEntry {
  return {
    seq: 1,
    time: "2026-12-07T01:00:00Z",
    profileId: "sandbox",
    profileName: "Sandbox",
    region: "ap-guangzhou",
    service: "alerts",
    action: code.startsWith("alertCleared") ? "AlertCleared" : "AlertFired",
    targets: ["ins-1"],
    result: "ok",
    code: null,
    requestId: null,
    latencyMs: 0,
    attempts: 0,
    throttled: 0,
    detail,
    note: { code, params },
  };
}

describe("an alert's sentence in the activity log", () => {
  afterEach(() => i18n.changeLanguage("en"));

  it("is worded from its note in the UI's language, the state named as the list names it", async () => {
    const stopped = entry("alertFired.leftRunningOperation", {
      instance: "web-1 (ins-1)",
      state: "STOPPED",
      operation: "StopInstances",
    });
    const cpu = entry("alertCleared.cpuAbove", {
      instance: "ins-1",
      threshold: "85",
      minutes: "5",
      lowest: "91.2",
    });
    await i18n.changeLanguage("en");
    expect(eventText(i18n.t, stopped)).toBe(
      "web-1 (ins-1): left RUNNING (StopInstances): now Stopped, not by an action of this app",
    );
    expect(eventText(i18n.t, cpu)).toBe(
      "ins-1: recovered (CPU above 85 % for 5 min (lowest 91.2 %))",
    );
    await i18n.changeLanguage("zh-CN");
    expect(eventText(i18n.t, stopped)).toBe(
      "web-1 (ins-1)：已离开运行中状态（StopInstances）：现为已关机，并非本应用的操作",
    );
    expect(eventText(i18n.t, cpu)).toBe("ins-1：已恢复（CPU 连续 5 分钟高于 85%（最低 91.2%））");
  });

  it("falls back to the stored English text for an unknown code or an entry without a note", async () => {
    await i18n.changeLanguage("zh-CN");
    expect(eventText(i18n.t, entry("alertFired.somethingNew", {}, "as written"))).toBe(
      "as written",
    );
    expect(eventText(i18n.t, { ...entry("x", {}, "old entry"), note: null })).toBe("old entry");
  });
});
