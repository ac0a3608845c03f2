import { describe, expect, it } from "vitest";
import type { InstanceView } from "../../backend";
import { RowInterner, rowKey } from "./rows";
import { NO_FILTERS, NarrowingFilter, matches } from "./states";
import { naturalKey } from "./InstanceTable";
import { matchesTags, parseTagFilter } from "../fleet/views";

// Rows as the backend sends them: each parsed page has its own copies of every string.
function parsed(n: number): InstanceView[] {
  const rows: InstanceView[] = [];
  for (let k = 0; k < n; k++) {
    const region = ["ap-guangzhou", "ap-shanghai", "ap-beijing"][k % 3] ?? "";
    rows.push(
      JSON.parse(
        JSON.stringify({
          id: `ins-${String(k).padStart(8, "0")}`,
          profileId: k % 5 === 0 ? "role-a" : "sandbox",
          region,
          name: k % 4 === 0 ? `Web-Prod-${k}` : `db-${k}`,
          state: k % 3 === 0 ? "STOPPED" : "RUNNING",
          zone: `${region}-${(k % 2) + 3}`,
          instanceType: k % 2 ? "S5.MEDIUM4" : "SA2.LARGE8",
          cpu: 2,
          memoryGib: 4,
          privateIps: [`10.0.${k % 250}.${k % 7}`],
          publicIps: k % 6 === 0 ? [`49.1.2.${k % 200}`] : [],
          chargeType: k % 7 === 0 ? "PREPAID" : "POSTPAID_BY_HOUR",
          internetChargeType: k % 6 === 0 ? "TRAFFIC_POSTPAID_BY_HOUR" : null,
          bandwidthOutMbps: 5,
          expiredTime: k % 7 === 0 ? "2027-01-01T00:00:00Z" : null,
          createdTime: `2026-01-${String((k % 28) + 1).padStart(2, "0")}T00:00:00Z`,
          tags:
            k % 8 === 0
              ? []
              : [
                  { key: "env", value: k % 2 ? "prod" : "test" },
                  ...(k % 3 === 0 ? [{ key: "Team", value: "Data" }] : []),
                ],
          osName: "TencentOS",
          restrictState: "NORMAL",
          stopChargingMode: null,
          disableApiTermination: k % 9 === 0,
          latestOperation: k % 10 === 0 ? "StopInstances" : null,
          latestOperationState: k % 10 === 0 ? "SUCCESS" : null,
          ...(k % 11 === 0 ? {} : { latestOperationRequestId: `req-${k}` }),
          latestOperationError: null,
        } satisfies InstanceView),
      ) as InstanceView,
    );
  }
  return rows;
}

describe("interned rows", () => {
  it("are equal to the rows as sent, field by field, and leave those unchanged", () => {
    const rows = parsed(60);
    const before = JSON.parse(JSON.stringify(rows)) as InstanceView[];
    const interner = new RowInterner();
    const kept = rows.map((r) => interner.row(r));
    // toStrictEqual: the same keys (the optional request id only where it was sent).
    expect(kept).toStrictEqual(before);
    expect(rows).toStrictEqual(before);
    expect(kept.every((r, i) => r !== rows[i])).toBe(true);
    // The same fields in the same order (one object shape for every row).
    expect(Object.keys(kept[1] ?? {})).toEqual(Object.keys(before[1] ?? {}));
    expect("latestOperationRequestId" in (kept[0] ?? {})).toBe(false);
  });

  it("share equal tags, tag sets and empty lists, which cannot be changed in place", () => {
    const interner = new RowInterner();
    const [a, b, c] = parsed(10)
      .filter((r) => r.tags.length === 1 && r.tags[0]?.value === "prod")
      .map((r) => interner.row(r));
    expect(a?.tags).toBe(b?.tags);
    expect(a?.tags[0]).toBe(c?.tags[0]);
    const [e1, e2] = parsed(17)
      .filter((r) => r.tags.length === 0 && r.publicIps.length === 0)
      .map((r) => interner.row(r));
    expect(e1?.tags).toBe(e2?.tags);
    expect(e1?.publicIps).toBe(e2?.tags);
    expect(Object.isFrozen(a?.tags)).toBe(true);
    expect(Object.isFrozen(a?.tags[0])).toBe(true);
    expect(Object.isFrozen(e1?.publicIps)).toBe(true);
    // A different set of tags stays different.
    const [, second] = parsed(2);
    if (!second) throw new Error("no row");
    const other = interner.row({ ...second, tags: [{ key: "env", value: "staging" }] });
    expect(other.tags).not.toBe(a?.tags);
    expect(other.tags).toEqual([{ key: "env", value: "staging" }]);
  });

  it("answer search, sort, tag filters and row keys as the rows as sent do", () => {
    const rows = parsed(300);
    const interner = new RowInterner();
    const kept = rows.map((r) => interner.row(r));
    const ids = (xs: readonly InstanceView[]) => xs.map((r) => r.id);
    // The text filter (its search strings are built on first use, per row) and the
    // narrowing filter as typed: the same matches.
    const fSent = new NarrowingFilter();
    const fKept = new NarrowingFilter();
    for (const text of [
      "w",
      "web",
      "web-p",
      "web",
      "team:data",
      "10.0.3",
      "49.1",
      "ins-0000001",
      "",
    ]) {
      for (const state of ["", "RUNNING"]) {
        const f = { ...NO_FILTERS, text, state };
        expect(ids(fKept.apply(kept, f, 0))).toEqual(ids(fSent.apply(rows, f, 0)));
        expect(ids(kept.filter((r) => matches(r, f, 0)))).toEqual(
          ids(rows.filter((r) => matches(r, f, 0))),
        );
      }
    }
    // The search strings as they were first written (fields joined by NUL, lower-cased):
    // the same answers, for texts that fall inside one field, span two, or hit a tag.
    const joined = (r: InstanceView) =>
      [r.name, r.id, ...r.privateIps, ...r.publicIps, ...r.tags.map((t) => `${t.key}:${t.value}`)]
        .join("\u0000")
        .toLowerCase();
    for (const text of ["web-prod-1", "db-7", "env:prod", "prod1", "0ins", "10.0.1", "49.1.2.6"]) {
      const q = text.toLowerCase();
      expect(ids(kept.filter((r) => matches(r, { ...NO_FILTERS, text }, 0)))).toEqual(
        ids(rows.filter((r) => joined(r).includes(q))),
      );
    }
    // Tag conditions (the fleet's tag filter).
    for (const text of ["env", "env=prod", "Team=Data, env=test", "nope"]) {
      const p = parseTagFilter(text);
      if (!p.ok) throw new Error(text);
      expect(ids(kept.filter((r) => matchesTags(r, p.conditions)))).toEqual(
        ids(rows.filter((r) => matchesTags(r, p.conditions))),
      );
    }
    // Fleet keys and the name sort.
    expect(kept.map(rowKey)).toEqual(rows.map(rowKey));
    const byName = (xs: InstanceView[]) =>
      [...xs].sort((x, y) => (naturalKey(x.name) < naturalKey(y.name) ? -1 : 1)).map((r) => r.id);
    expect(byName(kept)).toEqual(byName(rows));
  });
});
