import { describe, expect, it } from "vitest";
import { formatValue, pixelColumns, windowOf, withGaps } from "./format";

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

  describe("pixel columns (M4)", () => {
    // 7 days at one minute over 800 columns (12.6 points a column), as uPlot places them.
    const n = 10_080;
    const xs = Array.from({ length: n }, (_, i) => i * 60);
    const column = (x: number) => Math.round((x / ((n - 1) * 60)) * 799);
    const wave = (): (number | null)[] =>
      xs.map((_, i) => 50 + 35 * Math.sin(i / 200) + 8 * Math.sin(i * 1.7));
    const byColumn = (dx: number[], dy: (number | null)[]) => {
      const cols = new Map<number, number[]>();
      dx.forEach((x, i) => {
        const y = dy[i];
        if (y === null || y === undefined) return;
        cols.set(column(x), [...(cols.get(column(x)) ?? []), i]);
      });
      return cols;
    };

    it("keeps each column's first, lowest, highest and last point, in time order", () => {
      const ys = wave();
      ys[5_000] = 99.5; // a one-minute spike
      ys[7_000] = 0.5; // and a dip
      const [dx, dy] = pixelColumns(xs, ys, column);
      expect(dx.length).toBeLessThanOrEqual(4 * 800);
      expect(dx.length).toBeLessThan(n / 3);
      expect(dx.every((x, i) => i === 0 || x > (dx[i - 1] ?? Infinity))).toBe(true);
      expect(dy).toContain(99.5);
      expect(dy).toContain(0.5);
      // Column by column, against every point.
      const all = byColumn(xs, ys);
      const kept = byColumn(dx, dy);
      expect([...kept.keys()]).toEqual([...all.keys()]);
      for (const [c, idx] of all) {
        const vals = idx.map((i) => ys[i] as number);
        const got = (kept.get(c) ?? []).map((i) => dy[i] as number);
        const keptX = (kept.get(c) ?? []).map((i) => dx[i]);
        expect(Math.min(...got)).toBe(Math.min(...vals));
        expect(Math.max(...got)).toBe(Math.max(...vals));
        expect(keptX[0]).toBe(xs[idx[0] as number]);
        expect(keptX.at(-1)).toBe(xs[idx.at(-1) as number]);
      }
    });

    it("keeps only real samples, so the crosshair shows a real value at a real time", () => {
      const ys = wave();
      const [dx, dy] = pixelColumns(xs, ys, column);
      dx.forEach((x, i) => {
        expect(x % 60).toBe(0);
        expect(dy[i]).toBe(ys[x / 60]);
      });
    });

    it("keeps gaps as gaps, one null for each run of them, never joined across", () => {
      const ys = wave();
      for (let i = 6_000; i < 6_300; i++) ys[i] = null; // five hours off
      ys[100] = null; // one missing minute
      const [dx, dy] = pixelColumns(xs, ys, column);
      const nulls = dx.filter((_, i) => dy[i] === null);
      expect(nulls).toEqual([100 * 60, 6_000 * 60]);
      // The points either side of the long gap are its edges: the last sample before it,
      // then the null, then the first sample after it.
      const at = dx.indexOf(6_000 * 60);
      expect(dx[at - 1]).toBe(5_999 * 60);
      expect(dx[at + 1]).toBe(6_300 * 60);
      // A column holding both sides of a gap keeps each side's own points.
      const around = dx.indexOf(100 * 60);
      expect(dy[around - 1]).toBe(ys[99]);
      expect(dy[around + 1]).toBe(ys[101]);
    });

    it("hands back fewer points than columns as they are", () => {
      const few = [0, 3_600, 7_200];
      const vals = [1, null, 3];
      expect(pixelColumns(few, vals, (x) => x / 3_600)).toEqual([few, vals]);
      // Several points in one column, but no more than four: all of them stay.
      expect(pixelColumns([0, 1, 2], [5, 1, 9], () => 0)).toEqual([
        [0, 1, 2],
        [5, 1, 9],
      ]);
    });

    it("handles an empty series, all nulls, and flat stretches", () => {
      expect(pixelColumns([], [], column)).toEqual([[], []]);
      expect(pixelColumns([0, 60, 120], [null, null, null], column)).toEqual([[0], [null]]);
      // A flat column keeps its first and last point (the line's ends), nothing between.
      expect(pixelColumns([0, 1, 2, 3, 4], [7, 7, 7, 7, 7], () => 0)).toEqual([
        [0, 4],
        [7, 7],
      ]);
    });
  });
});
