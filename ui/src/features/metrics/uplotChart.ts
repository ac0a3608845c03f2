// The one module that imports uPlot; the metrics panel loads it with a dynamic import, so
// the first screen's bundle carries none of it.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { formatTime, formatValue, withGaps } from "./format";

export type ChartInput = {
  timestamps: readonly (number | null)[];
  values: readonly (number | null)[];
  period: number;
  unit: string;
  label: string;
  locale: string;
  /** The range spans more than a day: times carry their date. */
  withDate: boolean;
  width: number;
  height: number;
};

function cssVar(el: Element, name: string, fallback: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
}

/** Draws one series into `el`; gaps where there is no data; the legend follows the cursor. */
export function drawChart(el: HTMLElement, input: ChartInput): uPlot {
  const [xs, ys] = withGaps(input.timestamps, input.values, input.period);
  const text = cssVar(el, "--muted", "#637083");
  const grid = cssVar(el, "--border", "#dde3ec");
  const accent = cssVar(el, "--accent", "#1e6bff");
  const axis = {
    stroke: text,
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid, width: 1 },
    font: "11px system-ui, sans-serif",
  };
  const opts: uPlot.Options = {
    width: input.width,
    height: input.height,
    // Points in time order; draw nothing across nulls.
    series: [
      {
        value: (_u, v) => (v === null ? "–" : formatTime(v, input.locale, input.withDate)),
      },
      {
        label: input.label,
        stroke: accent,
        width: 1.5,
        fill: `${accent}22`,
        spanGaps: false,
        points: { show: false },
        value: (_u, v) => formatValue(v, input.unit, input.locale),
      },
    ],
    scales: {
      x: { time: true },
      y:
        input.unit === "%"
          ? { range: [0, 100] }
          : { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
    },
    axes: [
      {
        ...axis,
        values: (_u, splits) => splits.map((s) => formatTime(s, input.locale, input.withDate)),
      },
      {
        ...axis,
        size: 60,
        values: (_u, splits) => splits.map((s) => formatValue(s, input.unit, input.locale)),
      },
    ],
    cursor: { points: { size: 6 }, drag: { x: false, y: false } },
    legend: { show: true, live: true },
  };
  return new uPlot(opts, [xs, ys], el);
}

/** Renders `points` values at one-minute spacing once and reports how long it took (ms). */
export function timeRender(el: HTMLElement, points: number): number {
  const t0 = Math.floor(Date.now() / 1000) - points * 60;
  const ts = Array.from({ length: points }, (_, i) => t0 + i * 60);
  const vs = ts.map((_, i) => 50 + 40 * Math.sin(i / 90));
  const start = performance.now();
  const u = drawChart(el, {
    timestamps: ts,
    values: vs,
    period: 60,
    unit: "%",
    label: "CPU",
    locale: "en",
    withDate: true,
    width: 800,
    height: 200,
  });
  // uPlot draws on the next animation frame unless asked to now.
  u.redraw(false, true);
  const took = performance.now() - start;
  u.destroy();
  return took;
}
