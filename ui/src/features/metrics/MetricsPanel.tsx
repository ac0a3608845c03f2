import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "@tanstack/react-query";
import { type MetricRange, type MetricSeries, metricsBackend } from "../../backend";
import { Problem } from "../../components/Problem";
import { useThemeKey } from "../../theme";
import { windowOf } from "./format";
import "./metrics.css";

const RANGES: MetricRange[] = ["1h", "6h", "24h", "7d"];
const HEIGHT = 150;

/** Loads uPlot on first use; later charts reuse the same module. */
const loadChart = () => import("./uplotChart");

function Chart(props: { series: MetricSeries; range: MetricRange; to: number }) {
  const { t, i18n } = useTranslation();
  const host = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState<unknown>(null);
  const { series, range, to } = props;
  const label = t(`metrics.name.${series.metric}`, { defaultValue: series.metric });
  const timeLabel = t("metrics.time");
  // uPlot paints with the colours in effect when it is made: a theme change remakes it.
  const theme = useThemeKey();
  const { from } = windowOf(range, series.period, to);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    let chart: import("./uplotChart").Chart | null = null;
    let gone = false;
    let width = el.clientWidth;
    const create = (draw: typeof import("./uplotChart").drawChart) => {
      if (gone || chart || width <= 0) return;
      const created = performance.now();
      chart = draw(el, {
        timestamps: series.timestamps,
        values: series.values,
        period: series.period,
        unit: series.unit,
        label,
        timeLabel,
        locale: i18n.language,
        withDate: range === "24h" || range === "7d",
        from,
        to,
        width,
        height: HEIGHT,
        onDraw: (ms, points) => {
          // The layout's own paint comes before the line: not yet painted.
          if (points === 0) return;
          // What tests and the benchmark read: painted, when, and how long uPlot took.
          el.dataset.drawMs = ms.toFixed(2);
          if (!el.dataset.paintedAt) {
            const now = performance.now();
            el.dataset.paintedAt = now.toFixed(1);
            el.dataset.firstPaintMs = (now - created).toFixed(2);
          }
          el.dataset.drawn = "true";
        },
      });
      el.dataset.points = String(series.timestamps.length);
    };
    let drawFn: typeof import("./uplotChart").drawChart | null = null;
    // uPlot needs a width: the chart is made once the box has one, and follows it.
    const ro = new ResizeObserver(() => {
      const w = el.clientWidth;
      if (w === width && chart) return;
      width = w;
      if (chart && w > 0) chart.resize(w, HEIGHT);
      else if (drawFn) create(drawFn);
    });
    ro.observe(el);
    loadChart().then(
      ({ drawChart }) => {
        drawFn = drawChart;
        create(drawChart);
      },
      (e: unknown) => {
        if (!gone) setFailed(e);
      },
    );
    return () => {
      gone = true;
      ro.disconnect();
      chart?.destroy();
      delete el.dataset.drawn;
      delete el.dataset.paintedAt;
    };
  }, [series, range, from, to, label, timeLabel, i18n.language, theme]);
  const empty = series.timestamps.length === 0;
  return (
    <figure className="metric-chart" data-testid={`chart-${series.metric}`}>
      <figcaption>
        {label}
        <span className="muted small">
          {" "}
          · {series.unit === "count" ? t("metrics.count") : series.unit}
        </span>
      </figcaption>
      {failed ? (
        <Problem title={t("metrics.chartFailed")} error={failed} testid="chart-failed" />
      ) : empty ? (
        <p className="muted small metric-empty" data-testid={`chart-empty-${series.metric}`}>
          {t("metrics.noData")}
        </p>
      ) : (
        <div
          ref={host}
          className="metric-plot"
          data-unit={series.unit}
          data-from={from}
          data-to={to}
          data-last={series.timestamps.at(-1) ?? undefined}
        />
      )}
    </figure>
  );
}

/** The detail view's monitoring section: a range picker and one chart per metric. */
export function MetricsPanel(props: { profileId: string; region: string; instanceId: string }) {
  const { t } = useTranslation();
  const [range, setRange] = useState<MetricRange>("1h");
  const q = useQuery({
    queryKey: ["metrics", props.profileId, props.region, props.instanceId, range],
    queryFn: () =>
      metricsBackend.instanceMetrics(props.profileId, props.region, props.instanceId, range),
    staleTime: 60_000,
    retry: false,
  });
  // The charts end where the answer's window ends: the period holding the moment it came.
  const to = Math.floor(q.dataUpdatedAt / 1000);
  return (
    <section className="metrics-panel" data-testid="metrics-panel">
      <header className="metrics-header">
        <h2>{t("metrics.title")}</h2>
        <div className="segmented" role="group" aria-label={t("metrics.range")}>
          {RANGES.map((r) => (
            <button
              key={r}
              type="button"
              className={r === range ? "active" : undefined}
              aria-pressed={r === range}
              data-testid={`metrics-range-${r}`}
              onClick={() => setRange(r)}
            >
              {t(`metrics.ranges.${r}`)}
            </button>
          ))}
        </div>
      </header>
      {q.isPending && <p className="muted small">{t("metrics.loading")}</p>}
      {q.isError && (
        <Problem title={t("metrics.refused")} error={q.error} testid="metrics-refused" />
      )}
      {q.data && (
        <div className="metrics-grid" data-testid="metrics-charts" data-range={range}>
          {q.data.map((s) => (
            <Chart
              key={`${s.metric}-${range}`}
              series={s}
              range={range}
              to={Math.floor(to / s.period) * s.period}
            />
          ))}
        </div>
      )}
    </section>
  );
}
