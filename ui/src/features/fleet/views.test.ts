import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InstanceView, SavedView } from "../../backend";
import { clearMocks, mockIPC } from "../../backend/mocks";
import {
  TAG_KEY_MAX,
  matchesTags,
  parseTagFilter,
  saveView,
  coversTags,
  loadViews,
  tagKeyProblem,
  tagValueProblem,
  viewNameProblem,
  type FleetView,
} from "./views";

const view = (name: string): FleetView => ({
  name,
  accounts: null,
  regions: null,
  tags: "",
  text: "",
  state: "",
});

describe("tag keys follow Tencent's naming rules", () => {
  it("accepts letters of any script, digits, inner spaces and the listed punctuation", () => {
    for (const ok of [
      "env",
      "team name",
      "a+b-c=d.e_f:g/h@i",
      "(x)[y],z;<>",
      "环境",
      "【一】项目",
      "myproject",
      "proj",
    ])
      expect(tagKeyProblem(ok), ok).toBeNull();
  });
  it("refuses an empty, over-long, space-edged, illegal or reserved key, naming the field", () => {
    expect(tagKeyProblem("")?.message).toBe("fleet.tagError.empty");
    expect(tagKeyProblem("k".repeat(TAG_KEY_MAX))).toBeNull();
    expect(tagKeyProblem("k".repeat(TAG_KEY_MAX + 1))).toMatchObject({
      field: "tagKey",
      message: "fleet.tagError.tooLong",
    });
    // Counted in characters, not bytes: 127 Chinese characters fit.
    expect(tagKeyProblem("标".repeat(TAG_KEY_MAX))).toBeNull();
    expect(tagKeyProblem(" env")?.message).toBe("fleet.tagError.spaces");
    expect(tagKeyProblem("env#1")).toMatchObject({ values: { char: "#" } });
    expect(tagKeyProblem("a*b")?.message).toBe("fleet.tagError.chars");
    // The backend's reserved prefixes (tencent-api models/tag.rs): qcs: and project in any
    // ASCII case, and 项目.
    for (const reserved of [
      "qcs:project",
      "QCS:owner",
      "project",
      "Project-x",
      "PROJECTS",
      "项目A",
    ])
      expect(tagKeyProblem(reserved)?.message, reserved).toBe("fleet.tagError.reserved");
    expect(tagValueProblem("a*b")).toMatchObject({
      field: "tagValue",
      message: "fleet.tagError.chars",
      values: { char: "*" },
    });
    expect(tagValueProblem("v".repeat(256))?.message).toBe("fleet.tagError.valueTooLong");
  });
});

describe("the tag filter", () => {
  const row = (tags: [string, string][]) =>
    ({ tags: tags.map(([key, value]) => ({ key, value })) }) as InstanceView;
  it("takes keys and key=value pairs, every one required", () => {
    const f = parseTagFilter("env=prod, team");
    expect(f).toEqual({
      ok: true,
      conditions: [
        { key: "env", value: "prod" },
        { key: "team", value: null },
      ],
    });
    if (!f.ok) return;
    expect(
      matchesTags(
        row([
          ["env", "prod"],
          ["team", "a"],
        ]),
        f.conditions,
      ),
    ).toBe(true);
    expect(
      matchesTags(
        row([
          ["env", "dev"],
          ["team", "a"],
        ]),
        f.conditions,
      ),
    ).toBe(false);
    expect(matchesTags(row([["env", "prod"]]), f.conditions)).toBe(false);
    // A value may hold "=".
    expect(parseTagFilter("q=a=b")).toMatchObject({ conditions: [{ key: "q", value: "a=b" }] });
  });
  it("reports a bad key at the filter field", () => {
    expect(parseTagFilter("env, bad#key")).toMatchObject({
      ok: false,
      error: { field: "tagFilter", message: "fleet.tagError.chars" },
    });
  });
});

describe("saved views", () => {
  type Call = { cmd: string; args: Record<string, unknown> };
  const saved = (id: string, name: string): SavedView => ({ id, ...view(name) });
  function backend(calls: Call[], kept: SavedView[]) {
    mockIPC((cmd, args) => {
      calls.push({ cmd, args: (args ?? {}) as Record<string, unknown> });
      switch (cmd) {
        case "list_views":
          return kept;
        case "save_view": {
          const v = (args as { view: FleetView }).view;
          if (v.state === "bad")
            throw {
              kind: "invalid-input",
              code: "App.InvalidInput",
              message: '"bad" is not an instance state',
              requestId: null,
              field: "state",
            };
          return saved("view-new", v.name);
        }
        case "import_local_views": {
          const views = (args as { views: FleetView[] }).views;
          return { views: views.map((v, i) => saved(`view-${i}`, v.name)), skipped: [] };
        }
      }
      throw new Error(`unexpected command ${cmd}`);
    });
  }
  beforeEach(() => localStorage.clear());
  afterEach(() => clearMocks());

  it("refuses an empty or duplicate name (case-insensitive) or a bad tag filter without asking the backend", async () => {
    const calls: Call[] = [];
    backend(calls, []);
    const existing = [saved("view-1", "Prod web")];
    expect(viewNameProblem("  ", [])?.message).toBe("fleet.views.error.empty");
    expect(await saveView(view("prod WEB"), existing)).toMatchObject({
      field: "viewName",
      message: "fleet.views.error.duplicate",
    });
    expect(await saveView(view(""), existing)).toMatchObject({ field: "viewName" });
    expect(await saveView({ ...view("tags"), tags: "bad#key" }, existing)).toMatchObject({
      field: "tagFilter",
    });
    expect(calls).toEqual([]);
    // A rename may keep the view's own name in another case.
    expect(viewNameProblem("PROD web", existing, "view-1")).toBeNull();
  });

  it("sends a good view to the backend and shows its refusal at the field it names", async () => {
    const calls: Call[] = [];
    backend(calls, []);
    expect(await saveView({ ...view(" Staging "), tags: "env=staging" }, [])).toBeNull();
    expect(calls).toEqual([
      { cmd: "save_view", args: { view: { ...view("Staging"), tags: "env=staging" } } },
    ]);
    expect(await saveView({ ...view("x"), state: "bad" }, [])).toMatchObject({
      field: "state",
      message: "fleet.views.error.field.state",
    });
  });

  it("hands the web view's old list to the backend once, then forgets it", async () => {
    const calls: Call[] = [];
    backend(calls, [saved("view-9", "Kept")]);
    localStorage.setItem(
      "cvm.fleet.views",
      JSON.stringify([{ ...view("Old"), accounts: ["p-a"] }, { nonsense: true }]),
    );
    const first = await loadViews();
    expect(first.map((v) => v.name)).toEqual(["Old"]);
    expect(calls).toEqual([
      {
        cmd: "import_local_views",
        args: { views: [{ ...view("Old"), accounts: ["p-a"] }] },
      },
    ]);
    expect(localStorage.getItem("cvm.fleet.views")).toBeNull();
    expect((await loadViews()).map((v) => v.name)).toEqual(["Kept"]);
    expect(calls.map((c) => c.cmd)).toEqual(["import_local_views", "list_views"]);
  });
});

describe("a listing's tag conditions cover a filter", () => {
  const c = (key: string, value: string | null = null) => ({ key, value });
  it("when every listed condition is implied by one wanted", () => {
    expect(coversTags([], [c("env", "prod")])).toBe(true);
    expect(coversTags([c("env")], [c("env", "prod")])).toBe(true);
    expect(coversTags([c("env", "prod")], [c("env", "prod"), c("team")])).toBe(true);
    expect(coversTags([c("env", "prod")], [c("env")])).toBe(false);
    expect(coversTags([c("env", "prod")], [c("env", "staging")])).toBe(false);
    expect(coversTags([c("env", "prod")], [])).toBe(false);
    expect(coversTags([c("env"), c("team")], [c("team", "a")])).toBe(false);
  });
});
