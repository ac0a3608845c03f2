import { describe, expect, it } from "vitest";
import { usableLocale } from "./browserLocale";

describe("the locale uPlot reads", () => {
  it("keeps tags Intl accepts", () => {
    expect(usableLocale("zh-CN")).toBe("zh-CN");
    expect(usableLocale("en-GB")).toBe("en-GB");
  });

  it("turns what WebKitGTK reports from a POSIX locale into a tag Intl accepts", () => {
    for (const [given, want] of [
      ["en-US@posix", "en-US"],
      ["en_US.UTF-8", "en-US"],
      ["zh_CN.UTF-8", "zh-CN"],
      ["c", "en-US"],
      ["C.UTF-8", "en-US"],
      ["", "en-US"],
      [undefined, "en-US"],
    ] as const) {
      const got = usableLocale(given);
      expect(got, String(given)).toBe(want);
      expect(() => new Intl.NumberFormat(got)).not.toThrow();
    }
  });
});
