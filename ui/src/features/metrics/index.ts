export { MetricsPanel } from "./MetricsPanel";
export { Sparkline } from "./Sparkline";
export { showRows, sparkFor, useSparkVersion } from "./sparklines";
