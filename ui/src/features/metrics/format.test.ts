import { describe, expect, it } from "vitest";
import { formatValue, windowOf, withGaps } from "./format";

describe("metric formatting", () => {
  it("formats each unit", () => {
    expect(formatValue(12.345, "%", "en")).toBe("12.3 %");
    expect(formatValue(1.2345, "Mbps", "en")).toBe("1.23 Mbps");
    expect(formatValue(1234.4, "count", "en")).toBe("1,234");
    expect(formatValue(null, "%", "en")).toBe("–");
  });

  it("breaks the line where points are missing", () => {
    const [xs, ys] = withGaps([0, 60, 120, 600, 660], [1, 2, 3, 4, 5], 60);
    expect(xs).toEqual([0, 60, 120, 180, 600, 660]);
    expect(ys).toEqual([1, 2, 3, null, 4, 5]);
    // Contiguous data stays as it is.
    expect(withGaps([0, 60], [1, 2], 60)).toEqual([
      [0, 60],
      [1, 2],
    ]);
  });

  it("spans the same whole periods the backend asks for", () => {
    // 1 h at one minute: 60 points, the last at `to`.
    expect(windowOf("1h", 60, 7_200)).toEqual({ from: 3_660, to: 7_200 });
    expect(windowOf("7d", 3_600, 604_800)).toEqual({ from: 3_600, to: 604_800 });
  });
});
