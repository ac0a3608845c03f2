// Runs a lifecycle action on a selection that may span accounts and regions: one call per
// (account, region), each through that profile's own client, each carrying the same
// consent (the backend checks every call's ids against what the dialog named).
import {
  type ActionReport,
  type InstanceChange,
  type InstanceView,
  instancesBackend,
} from "../../backend";
import type { ActionParams } from "./ActionDialog";
import { byPlace } from "./states";

/** Merges per-(account, region) reports of one action into one (each result names its instance). */
export function mergeReports(reports: ActionReport[]): ActionReport | null {
  const [first] = reports;
  if (!first) return null;
  return {
    action: first.action,
    region: [...new Set(reports.map((r) => r.region))].join(", "),
    results: reports.flatMap((r) => r.results),
    succeeded: reports.reduce((n, r) => n + r.succeeded, 0),
    failed: reports.reduce((n, r) => n + r.failed, 0),
  };
}

/** One (account, region)'s share of an action. */
function runIn(
  profile: string,
  p: ActionParams,
  reg: string,
  ids: string[],
  on: (c: InstanceChange) => void,
) {
  const b = instancesBackend;
  switch (p.kind) {
    case "start":
      return b.startInstances(profile, reg, ids, on);
    case "stop":
      return b.stopInstances(profile, reg, ids, p.stopType, p.stoppedMode, p.consent, on);
    case "reboot":
      return b.rebootInstances(profile, reg, ids, p.stopType, p.consent, on);
    case "terminate":
      return b.terminateInstances(profile, reg, ids, p.releaseAddress, p.consent, on);
    case "rename":
      return b.renameInstances(profile, reg, ids, p.name, on);
    case "resetPassword":
      return b.resetInstancesPassword(profile, reg, ids, p.password, p.userName, p.forceStop, on);
  }
}

/**
 * Sends the action to the selected rows the dialog named (all of them for start, which
 * has no dialog), grouped by (account, region), one group after the other.
 */
export async function runGrouped(
  p: ActionParams,
  selected: InstanceView[],
  on: (c: InstanceChange) => void,
): Promise<ActionReport | null> {
  // Only what the dialog named is sent; protected instances are never sent a terminate
  // (the dialog says why).
  const named = "consent" in p ? new Set(p.consent.instanceIds) : null;
  const targets = named ? selected.filter((i) => named.has(i.id)) : selected;
  const reports: ActionReport[] = [];
  for (const g of byPlace(targets))
    reports.push(
      await runIn(
        g.profileId,
        p,
        g.region,
        g.rows.map((i) => i.id),
        on,
      ),
    );
  return mergeReports(reports);
}
