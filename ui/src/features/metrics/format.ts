// Units and gaps for the charts: values as people read them, and nulls where Cloud Monitor
// has no point (the instance was off) so a chart draws a gap, not a line across it.

export type Unit = "%" | "Mbps" | "count" | string;

/** `12.3 %`, `1.24 Mbps`, `1,234`. */
export function formatValue(v: number | null | undefined, unit: Unit, locale: string): string {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  if (unit === "count") return Math.round(v).toLocaleString(locale);
  const digits = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
  const n = v.toLocaleString(locale, { maximumFractionDigits: digits });
  return unit === "%" ? `${n} %` : `${n} ${unit}`;
}

/** `12/06`: month and day in local time. */
export function formatDate(unixSeconds: number, locale: string): string {
  return new Date(unixSeconds * 1000).toLocaleDateString(locale, {
    month: "2-digit",
    day: "2-digit",
  });
}

/** `14:05` in local time, with the date before it (`12/06 14:05`) when asked. */
export function formatTime(unixSeconds: number, locale: string, withDate: boolean): string {
  const d = new Date(unixSeconds * 1000);
  const time = d.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit", hour12: false });
  return withDate ? `${formatDate(unixSeconds, locale)} ${time}` : time;
}

/**
 * Timestamps and values with a null inserted after every point whose successor is more
 * than one period away, so each stretch without data is drawn as a gap.
 */
export function withGaps(
  timestamps: readonly (number | null)[],
  values: readonly (number | null)[],
  period: number,
): [number[], (number | null)[]] {
  const xs: number[] = [];
  const ys: (number | null)[] = [];
  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i];
    if (t === null || t === undefined) continue;
    xs.push(t);
    ys.push(values[i] ?? null);
    const next = timestamps[i + 1];
    if (next !== null && next !== undefined && next - t > period) {
      xs.push(t + period);
      ys.push(null);
    }
  }
  return [xs, ys];
}

/**
 * What a line chart can show of a series, one pixel column at a time ("M4"): of each
 * column's consecutive points, the first, the lowest, the highest and the last, in time
 * order. A line through these covers the same pixels as a line through every point, and
 * every point kept is a real sample, so the crosshair shows real values and times.
 * `column(x)` is the pixel column the chart draws time `x` in. Nulls (gaps) stay where
 * they are, one for each run of them, so a gap is never drawn across.
 */
export function pixelColumns(
  xs: readonly number[],
  ys: readonly (number | null)[],
  column: (x: number) => number,
): [number[], (number | null)[]] {
  const outX: number[] = [];
  const outY: (number | null)[] = [];
  let col = Number.NaN;
  // Indexes of the current column's first, lowest, highest and last point (-1: none yet).
  let first = -1;
  let lo = -1;
  let hi = -1;
  let last = -1;
  const flush = () => {
    if (first < 0) return;
    const keep = [...new Set([first, lo, hi, last])].sort((a, b) => a - b);
    for (const i of keep) {
      outX.push(xs[i] as number);
      outY.push(ys[i] as number);
    }
    first = -1;
  };
  for (let i = 0; i < xs.length; i++) {
    const y = ys[i];
    if (y === null || y === undefined) {
      flush();
      col = Number.NaN;
      if (outY.length === 0 || outY[outY.length - 1] !== null) {
        outX.push(xs[i] as number);
        outY.push(null);
      }
      continue;
    }
    const c = column(xs[i] as number);
    if (c !== col) {
      flush();
      col = c;
    }
    if (first < 0) first = lo = hi = i;
    if (y < (ys[lo] as number)) lo = i;
    if (y > (ys[hi] as number)) hi = i;
    last = i;
  }
  flush();
  return [outX, outY];
}

const RANGE_SECONDS = { "1h": 3_600, "6h": 6 * 3_600, "24h": 86_400, "7d": 7 * 86_400 } as const;

/**
 * The window a range covers, ending at `to` (a period's start, Unix seconds): the same
 * whole periods the backend asks Cloud Monitor for.
 */
export function windowOf(
  range: keyof typeof RANGE_SECONDS,
  period: number,
  to: number,
): { from: number; to: number } {
  return { from: to - RANGE_SECONDS[range] + period, to };
}
