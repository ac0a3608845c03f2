import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "@tanstack/react-query";
import { type MetricRange, type MetricSeries, metricsBackend } from "../../backend";
import { Problem } from "../../components/Problem";
import type { ChartInput } from "./uplotChart";
import "./metrics.css";

const RANGES: MetricRange[] = ["1h", "6h", "24h", "7d"];

type Drawn = { destroy(): void };

/** Loads uPlot on first use; later charts reuse the same module. */
const loadChart = () => import("./uplotChart");

function Chart(props: { series: MetricSeries; range: MetricRange }) {
  const { t, i18n } = useTranslation();
  const host = useRef<HTMLDivElement>(null);
  const { series, range } = props;
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    let drawn: Drawn | null = null;
    let gone = false;
    void loadChart().then(({ drawChart }) => {
      if (gone) return;
      const input: ChartInput = {
        timestamps: series.timestamps,
        values: series.values,
        period: series.period,
        unit: series.unit,
        label: t(`metrics.name.${series.metric}`, { defaultValue: series.metric }),
        locale: i18n.language,
        withDate: range === "24h" || range === "7d",
        width: Math.max(260, el.clientWidth),
        height: 150,
      };
      drawn = drawChart(el, input);
      el.dataset.drawn = "true";
      el.dataset.points = String(series.timestamps.length);
    });
    return () => {
      gone = true;
      drawn?.destroy();
    };
  }, [series, range, t, i18n.language]);
  return (
    <figure className="metric-chart" data-testid={`chart-${series.metric}`}>
      <figcaption>
        {t(`metrics.name.${series.metric}`, { defaultValue: series.metric })}
        <span className="muted small">
          {" "}
          · {series.unit === "count" ? t("metrics.count") : series.unit}
        </span>
      </figcaption>
      {series.timestamps.length === 0 ? (
        <p className="muted small metric-empty" data-testid={`chart-empty-${series.metric}`}>
          {t("metrics.noData")}
        </p>
      ) : (
        <div ref={host} className="metric-plot" />
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
        <div className="metrics-grid" data-testid="metrics-charts">
          {q.data.map((s) => (
            <Chart key={`${s.metric}-${range}`} series={s} range={range} />
          ))}
        </div>
      )}
    </section>
  );
}
