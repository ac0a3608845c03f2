// The one module that imports uPlot; the metrics panel loads it with a dynamic import, so
// the first screen's bundle carries none of it.
import "./browserLocale";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { formatDate, formatTime, formatValue, pixelColumns, withGaps } from "./format";

export type ChartInput = {
  timestamps: readonly (number | null)[];
  values: readonly (number | null)[];
  period: number;
  unit: string;
  label: string;
  /** The legend's name for the time column. */
  timeLabel: string;
  locale: string;
  /** The range spans more than a day: times carry their date. */
  withDate: boolean;
  /** The window shown (Unix seconds): time without data stays empty, not stretched over. */
  from: number;
  to: number;
  width: number;
  height: number;
  /**
   * Called after every paint with how long uPlot spent painting (ms) and how many points
   * it painted (0: the layout's own paint, before the points are handed over).
   */
  onDraw?: (ms: number, points: number) => void;
  /**
   * What the benchmark sets to compare the app's way with others in the same run; the app
   * leaves it unset (every field at its default).
   */
  variant?: ChartVariant;
};

type ChartVariant = {
  /** The line's width in CSS pixels (1.5; 1 for a dense series). */
  lineWidth?: number;
  /** The shaded area under the line (true; false for a dense series). */
  area?: boolean;
  /** Hand uPlot only what each pixel column can show (true), or every point. */
  pixelColumns?: boolean;
};

/** A drawn chart: follows its box's size, and is taken down with the view. */
export type Chart = {
  resize(width: number, height: number): void;
  destroy(): void;
};

function cssVar(el: Element, name: string, fallback: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
}

/**
 * Draws one series into `el`; gaps where there is no data; the legend follows the cursor.
 *
 * Once uPlot has laid the chart out (and again after every resize) it is handed what the
 * plot's pixel columns can show (`pixelColumns`), not every point. A dense series (at
 * least two points a pixel column, e.g. 7 days at one minute) is a band as tall as each
 * column's spread whatever the line's width, and the area under it adds nothing the band
 * does not show; on a machine without a GPU (WebKitGTK rasterises the canvas with Cairo)
 * the 1.5-pixel line and that area were nearly all of its paint. So it gets a 1-pixel
 * line, which Cairo draws in a fraction of a millisecond, and no area (the figures are in
 * docs/PERFORMANCE.md).
 */
export function drawChart(el: HTMLElement, input: ChartInput): Chart {
  const [xs, ys] = withGaps(input.timestamps, input.values, input.period);
  const variant = input.variant ?? {};
  const reduce = variant.pixelColumns ?? true;
  const dense = xs.length >= 2 * input.width;
  const text = cssVar(el, "--muted", "#637083");
  const grid = cssVar(el, "--border", "#dde3ec");
  const accent = cssVar(el, "--accent", "#1e6bff");
  const axis = {
    stroke: text,
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid, width: 1 },
    font: "11px system-ui, sans-serif",
  };
  // The value axis is fixed before any point is handed over, so the layout (and with it
  // the pixel columns) does not change when the points arrive.
  let top = 0;
  for (const y of ys) if (y !== null && y > top) top = y;
  const onDraw = input.onDraw;
  let paintStart = 0;
  let gone = false;
  const opts: uPlot.Options = {
    width: input.width,
    height: input.height,
    series: [
      {
        label: input.timeLabel,
        value: (_u, v) => (v == null ? "–" : formatTime(v, input.locale, input.withDate)),
      },
      {
        label: input.label,
        stroke: accent,
        width: variant.lineWidth ?? (dense ? 1 : 1.5),
        ...((variant.area ?? !dense) ? { fill: `${accent}22` } : {}),
        // Nulls end the line: a stretch without data is drawn as a gap.
        spanGaps: false,
        points: { show: false },
        value: (_u, v) => formatValue(v, input.unit, input.locale),
      },
    ],
    scales: {
      x: { time: true, range: () => [input.from, input.to] },
      y: { range: input.unit === "%" ? [0, 100] : [0, top > 0 ? top * 1.1 : 1] },
    },
    axes: [
      {
        ...axis,
        // Times on the ticks; over days, the date under the first tick of each day.
        size: input.withDate ? 48 : 32,
        values: (_u, splits) =>
          splits.map((s, i) => {
            const time = formatTime(s, input.locale, false);
            if (!input.withDate) return time;
            const day = formatDate(s, input.locale);
            const prev = i > 0 ? splits[i - 1] : undefined;
            return prev !== undefined && formatDate(prev, input.locale) === day
              ? time
              : `${time}\n${day}`;
          }),
      },
      {
        ...axis,
        // As wide as the longest label (about 6.5 px a character at 11 px).
        size: (_u, values) =>
          Math.max(40, Math.ceil(Math.max(0, ...(values ?? []).map((v) => v.length)) * 6.5) + 18),
        values: (_u, splits) => splits.map((s) => formatValue(s, input.unit, input.locale)),
      },
    ],
    cursor: { points: { size: 6 }, drag: { x: false, y: false } },
    legend: { show: true, live: true },
    hooks: {
      // Laid out (or resized): hand over the points the plot's pixel columns can show, in
      // the same task, so no frame shows the chart without its line.
      setSize: [
        (u) => {
          if (!reduce) return;
          queueMicrotask(() => {
            if (gone) return;
            const column = (x: number) => Math.round(u.valToPos(x, "x", true));
            u.setData([...pixelColumns(xs, ys, column)]);
          });
        },
      ],
      drawClear: [() => void (paintStart = performance.now())],
      draw: [(u) => onDraw?.(performance.now() - paintStart, u.data[0]?.length ?? 0)],
      destroy: [() => void (gone = true)],
    },
  };
  const u = new uPlot(opts, reduce ? [[], []] : [xs, ys], el);
  return {
    resize(width, height) {
      // The points fitted the old columns: the new layout is painted without them, then
      // with the points its own columns can show.
      if (reduce) u.setData([[], []], false);
      u.setSize({ width, height });
    },
    destroy: () => u.destroy(),
  };
}
