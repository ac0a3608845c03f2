// Cloud Monitor series: a detail view's charts and the list's CPU sparklines.
import { commands } from "./bindings";
import type { MetricRange, MetricSeries } from "./bindings";
import { unwrap } from "./ipc";

export const metricsBackend = {
  instanceMetrics: (
    profileId: string,
    region: string,
    instanceId: string,
    range: MetricRange,
  ): Promise<MetricSeries[]> =>
    unwrap(commands.instanceMetrics(profileId, region, instanceId, range)),
  /** At most 10 instances: one GetMonitorData call. */
  cpuSparklines: (profileId: string, region: string, ids: string[]): Promise<MetricSeries[]> =>
    unwrap(commands.cpuSparklines(profileId, region, ids)),
};
