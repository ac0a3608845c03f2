// The activity log: every API call the backend made (action, region, RequestId, outcome).
import { commands } from "./bindings";
import type { ActivityEntry, ActivityFilter, ActivityStatus } from "./bindings";
import { unwrap } from "./ipc";

export const activityBackend = {
  activityLog: (filter: ActivityFilter): Promise<ActivityEntry[]> =>
    unwrap(commands.activityLog(filter)),
  activityStatus: (profileId: string): Promise<ActivityStatus> =>
    commands.activityStatus(profileId),
};
