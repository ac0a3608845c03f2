// The one module that imports uPlot; the metrics panel loads it with a dynamic import, so
// the first screen's bundle carries none of it.
import "./browserLocale";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { formatDate, formatTime, formatValue, minMaxColumns, withGaps } from "./format";

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
  /** Called after every paint with how long uPlot spent painting (ms). */
  onDraw?: (ms: number) => void;
  /**
   * Points per pixel column kept (lowest and highest, `2` by default); 0 keeps every
   * point (the benchmark's baseline).
   */
  perColumn?: 0 | 2;
};

/** The points uPlot is given: gaps marked, then at most two per pixel column. */
export function chartData(input: ChartInput): [number[], (number | null)[]] {
  const [xs, ys] = withGaps(input.timestamps, input.values, input.period);
  if (input.perColumn === 0) return [xs, ys];
  return minMaxColumns(xs, ys, input.from, input.to, Math.max(1, Math.round(input.width)));
}

function cssVar(el: Element, name: string, fallback: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
}

/** Draws one series into `el`; gaps where there is no data; the legend follows the cursor. */
export function drawChart(el: HTMLElement, input: ChartInput): uPlot {
  const [xs, ys] = chartData(input);
  const text = cssVar(el, "--muted", "#637083");
  const grid = cssVar(el, "--border", "#dde3ec");
  const accent = cssVar(el, "--accent", "#1e6bff");
  const axis = {
    stroke: text,
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid, width: 1 },
    font: "11px system-ui, sans-serif",
  };
  const onDraw = input.onDraw;
  let paintStart = 0;
  const opts: uPlot.Options = {
    width: input.width,
    height: input.height,
    series: [
      {
        label: input.timeLabel,
        value: (_u, v) => (v === null ? "–" : formatTime(v, input.locale, input.withDate)),
      },
      {
        label: input.label,
        stroke: accent,
        width: 1.5,
        fill: `${accent}22`,
        // Nulls end the line: a stretch without data is drawn as a gap.
        spanGaps: false,
        points: { show: false },
        value: (_u, v) => formatValue(v, input.unit, input.locale),
      },
    ],
    scales: {
      x: { time: true, range: () => [input.from, input.to] },
      y:
        input.unit === "%"
          ? { range: [0, 100] }
          : { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
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
      drawClear: [() => void (paintStart = performance.now())],
      draw: [() => onDraw?.(performance.now() - paintStart)],
    },
  };
  return new uPlot(opts, [xs, ys], el);
}
