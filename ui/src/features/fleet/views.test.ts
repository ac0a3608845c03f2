import { beforeEach, describe, expect, it } from "vitest";
import type { InstanceView } from "../../backend";
import {
  TAG_KEY_MAX,
  matchesTags,
  parseTagFilter,
  saveView,
  coversTags,
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
  beforeEach(() => localStorage.clear());
  it("refuses an empty or duplicate name (case-insensitive) and saves nothing", () => {
    expect(viewNameProblem("  ", [])?.message).toBe("fleet.views.error.empty");
    expect(saveView(view("Prod web"))).toBeNull();
    const before = localStorage.getItem("cvm.fleet.views");
    expect(saveView(view("prod WEB"))).toMatchObject({
      field: "viewName",
      message: "fleet.views.error.duplicate",
    });
    expect(saveView(view(""))).toMatchObject({ field: "viewName" });
    expect(saveView({ ...view("tags"), tags: "bad#key" })).toMatchObject({ field: "tagFilter" });
    expect(localStorage.getItem("cvm.fleet.views")).toBe(before);
    expect(JSON.parse(before ?? "[]")).toHaveLength(1);
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
