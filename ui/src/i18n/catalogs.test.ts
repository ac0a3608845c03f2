import { describe, expect, it } from "vitest";
import en from "./en.json";
import zhCN from "./zh-CN.json";

const features = import.meta.glob<{ default: Record<string, unknown> }>(
  "../features/*/i18n/*.json",
  { eager: true },
);

/** Every leaf key as a dotted path; plural forms (_one, _other) count as their base key. */
function keys(o: unknown, prefix = ""): string[] {
  if (typeof o !== "object" || o === null)
    return [prefix.replace(/_(zero|one|two|few|many|other)$/, "")];
  return Object.entries(o).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}
const sorted = (o: unknown) => [...new Set(keys(o))].sort();

describe("the language catalogs", () => {
  it("English and Simplified Chinese have the same keys", () => {
    expect(sorted(zhCN)).toEqual(sorted(en));
    const names = new Set(
      Object.keys(features).map((p) => p.match(/features\/([^/]+)\/i18n\//)?.[1] ?? ""),
    );
    for (const name of names) {
      const e = features[`../features/${name}/i18n/en.json`]?.default;
      const z = features[`../features/${name}/i18n/zh-CN.json`]?.default;
      expect({ name, keys: sorted(z) }).toEqual({ name, keys: sorted(e) });
    }
  });
});
