export { MetricsPanel } from "./MetricsPanel";
