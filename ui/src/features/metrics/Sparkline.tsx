import { useTranslation } from "react-i18next";
import { formatValue } from "./format";
import type { Spark } from "./sparklines";
import "./metrics.css";

const W = 72;
const H = 20;

/** A row's last hour of CPU as a small line (0–100 %), with the latest value beside it. */
export function Sparkline(props: { spark: Spark | undefined; testid: string }) {
  const { t, i18n } = useTranslation();
  const s = props.spark;
  if (!s) return <span className="spark spark-pending" data-testid={props.testid} aria-busy />;
  if (s.values.length === 0)
    return (
      <span className="spark muted small" data-testid={props.testid} data-empty="true">
        {t("metrics.noSpark")}
      </span>
    );
  // Missing points break the line into segments (the instance was off).
  const step = W / Math.max(1, s.values.length - 1);
  const segments: string[] = [];
  let current: string[] = [];
  s.values.forEach((v, i) => {
    if (v === null) {
      if (current.length) segments.push(current.join(" "));
      current = [];
      return;
    }
    current.push(`${(i * step).toFixed(1)},${(H - (v / 100) * H).toFixed(1)}`);
  });
  if (current.length) segments.push(current.join(" "));
  const hot = (s.last ?? 0) >= 80;
  return (
    <span className="spark" data-testid={props.testid} data-last={s.last ?? ""}>
      <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} aria-hidden className={hot ? "hot" : ""}>
        {segments.map((p, i) => (
          <polyline key={i} points={p} />
        ))}
      </svg>
      <span className="small mono">{formatValue(s.last, "%", i18n.language)}</span>
    </span>
  );
}
