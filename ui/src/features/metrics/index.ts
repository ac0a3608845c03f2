export { MetricsPanel } from "./MetricsPanel";
export { Sparkline } from "./Sparkline";
export { SETTLE_MS, restLeft, showRows, sparkFor, useSparkVersion } from "./sparklines";
