// Which billing operation applies to which instance, and why not (the dialogs list the
// others with the reason; the backend and Tencent check again).
import type { InstanceView, RenewFlag } from "../../backend";

export type BillingOp = "toPrepaid" | "renew" | "autoRenew";

/** Tencent's periods for monthly subscriptions, in months. */
export const PERIODS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 24, 36, 48, 60];
export const RENEW_FLAGS: readonly RenewFlag[] = [
  "NOTIFY_AND_AUTO_RENEW",
  "NOTIFY_AND_MANUAL_RENEW",
  "DISABLE_NOTIFY_AND_MANUAL_RENEW",
] as const;
/** Instances per ModifyInstancesChargeType / RenewInstances call. */
const PER_CALL = 20;

/** Null when `op` applies to the instance; else the i18n key of the reason. */
export function whyNot(op: BillingOp, i: InstanceView): string | null {
  if (["SHUTDOWN", "TERMINATING", "LAUNCH_FAILED", "PENDING"].includes(i.state))
    return "reason.state";
  if (op === "toPrepaid") {
    if (i.chargeType === "PREPAID") return "reason.alreadyPrepaid";
    if (i.chargeType === "SPOTPAID") return "reason.spot";
    if (i.chargeType !== "POSTPAID_BY_HOUR") return "reason.dedicated";
    return null;
  }
  // Renewal and its flag belong to monthly subscriptions.
  if (i.chargeType !== "PREPAID") return "reason.notPrepaid";
  return null;
}

export function split(op: BillingOp, instances: InstanceView[]) {
  const ok: InstanceView[] = [];
  const refused: { instance: InstanceView; reason: string }[] = [];
  for (const i of instances) {
    const r = whyNot(op, i);
    if (r) refused.push({ instance: i, reason: r });
    else ok.push(i);
  }
  return { ok, refused };
}

/** Instance ids in the calls the backend makes (≤ 20 each). */
export function calls(n: number): number {
  return Math.ceil(n / PER_CALL);
}

/** Whole days until `expiredTime` (negative when past); null without one. */
export function daysLeft(expiredTime: string | null, now = Date.now()): number | null {
  if (!expiredTime) return null;
  const t = Date.parse(expiredTime);
  if (Number.isNaN(t)) return null;
  return Math.floor((t - now) / 86_400_000);
}
