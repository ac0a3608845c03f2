// Which lifecycle actions the API accepts in which instance state (reference §6.2). The
// backend and the API stay the authority; this only keeps buttons honest.
import type { InstanceView } from "../../backend";

export type ActionKind = "start" | "stop" | "reboot" | "terminate" | "rename" | "resetPassword";

export const ACTIONS: ActionKind[] = [
  "start",
  "stop",
  "reboot",
  "rename",
  "resetPassword",
  "terminate",
];

export const ACCEPTED: Record<ActionKind, readonly string[]> = {
  start: ["STOPPED"],
  stop: ["RUNNING"],
  reboot: ["RUNNING"],
  terminate: ["RUNNING", "STOPPED", "SHUTDOWN"],
  rename: ["RUNNING", "STOPPED"],
  // RUNNING needs a forced stop, which the dialog offers.
  resetPassword: ["STOPPED", "RUNNING"],
};

export const TRANSIENT = new Set([
  "PENDING",
  "STARTING",
  "STOPPING",
  "REBOOTING",
  "TERMINATING",
  "ENTER_RESCUE_MODE",
  "EXIT_RESCUE_MODE",
  "ENTER_SERVICE_LIVE_MIGRATE",
  "SERVICE_LIVE_MIGRATE",
  "EXIT_SERVICE_LIVE_MIGRATE",
]);

/** The badge colour family of a state. */
export function stateTone(state: string): "ok" | "stopped" | "busy" | "bad" | "neutral" {
  if (state === "RUNNING") return "ok";
  if (state === "STOPPED") return "stopped";
  if (TRANSIENT.has(state)) return "busy";
  if (state === "LAUNCH_FAILED" || state === "SHUTDOWN") return "bad";
  return "neutral";
}

export type Availability =
  | { enabled: true }
  | { enabled: false; reason: "noSelection" | "readOnly" | "wrongState"; blocking?: InstanceView };

/** An action is available when something is selected and every selected instance is in a state it accepts. */
export function availability(
  action: ActionKind,
  selected: InstanceView[],
  locked: boolean,
): Availability {
  if (selected.length === 0) return { enabled: false, reason: "noSelection" };
  if (locked) return { enabled: false, reason: "readOnly" };
  const blocking = selected.find((i) => !ACCEPTED[action].includes(i.state));
  if (blocking) return { enabled: false, reason: "wrongState", blocking };
  return { enabled: true };
}

/** Prepaid instances are money already paid: terminating them needs typed confirmation. */
export function isPrepaid(i: InstanceView): boolean {
  return i.chargeType === "PREPAID";
}
