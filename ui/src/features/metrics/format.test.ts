import { describe, expect, it } from "vitest";
import { formatValue, minMaxColumns, windowOf, withGaps } from "./format";

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

  it("keeps each pixel column's lowest and highest point, in time order, and every gap", () => {
    // 7 days at one minute into 800 columns (12.6 points a column).
    const n = 10_080;
    const xs = Array.from({ length: n }, (_, i) => i * 60);
    const ys: (number | null)[] = xs.map((_, i) => 50 + 40 * Math.sin(i / 37));
    ys[5_000] = 99.5; // a one-minute spike
    for (let i = 6_000; i < 6_300; i++) ys[i] = null; // five hours off
    const [dx, dy] = minMaxColumns(xs, ys, 0, (n - 1) * 60, 800);
    expect(dx.length).toBeLessThanOrEqual(2 * 800 + 300);
    expect(dx.length).toBeLessThan(n / 4);
    // Time order, the spike and the extremes survive, the gap is still a gap.
    expect(dx.every((x, i) => i === 0 || x > (dx[i - 1] ?? Infinity))).toBe(true);
    expect(dy).toContain(99.5);
    const finite = ys.filter((v): v is number => v !== null);
    expect(Math.min(...(dy.filter((v) => v !== null) as number[]))).toBe(Math.min(...finite));
    const inGap = dx
      .map((x, i) => [x, dy[i]] as const)
      .filter(([x]) => x >= 6_000 * 60 && x < 6_300 * 60);
    expect(inGap.length).toBeGreaterThan(0);
    expect(inGap.every(([, y]) => y === null)).toBe(true);
    // Nothing drawn across the gap: the points around it are its edges.
    const first = dx.findIndex((x) => x >= 6_000 * 60);
    expect(dx[first - 1]).toBeLessThan(6_000 * 60);
    // Short series are left alone.
    expect(minMaxColumns([0, 60], [1, 2], 0, 60, 800)).toEqual([
      [0, 60],
      [1, 2],
    ]);
  });
});
