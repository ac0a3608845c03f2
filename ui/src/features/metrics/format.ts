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
 * At most two points per pixel column: the lowest and the highest of each column's
 * points (in time order), so the line looks as it would with every point but uPlot
 * draws far fewer. Gaps (nulls) are kept where they are. Series no longer than
 * `2 × columns` come back as they are.
 */
export function minMaxColumns(
  xs: readonly number[],
  ys: readonly (number | null)[],
  from: number,
  to: number,
  columns: number,
): [number[], (number | null)[]] {
  if (xs.length <= 2 * columns || columns < 1 || to <= from) return [xs.slice(), ys.slice()];
  const outX: number[] = [];
  const outY: (number | null)[] = [];
  const span = (to - from) / columns;
  let col = Number.NaN;
  // The column's lowest and highest points so far: [index, x, y].
  let lo: [number, number, number] | null = null;
  let hi: [number, number, number] | null = null;
  const flush = () => {
    if (!lo || !hi) return;
    const [a, b] = lo[0] <= hi[0] ? [lo, hi] : [hi, lo];
    outX.push(a[1]);
    outY.push(a[2]);
    if (b[0] !== a[0]) {
      outX.push(b[1]);
      outY.push(b[2]);
    }
    lo = hi = null;
  };
  xs.forEach((x, i) => {
    const y = ys[i];
    if (y === null || y === undefined) {
      flush();
      outX.push(x);
      outY.push(null);
      return;
    }
    const c = Math.floor((x - from) / span);
    if (c !== col) {
      flush();
      col = c;
    }
    if (!lo || y < lo[2]) lo = [i, x, y];
    if (!hi || y > hi[2]) hi = [i, x, y];
  });
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
