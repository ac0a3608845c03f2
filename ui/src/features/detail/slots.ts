// Named slots for per-instance dialogs that other features provide (billing: renew,
// convert to prepaid, auto-renew, buy the same configuration). The detail view shows a
// button for each slot that is filled and renders the dialog it returns while open.
import type { ReactNode } from "react";
import type { InstanceDetail } from "../../backend";

export interface InstanceDialogProps {
  profileId: string;
  region: string;
  instanceId: string;
  /** The instance as the detail view last described it. */
  instance: InstanceDetail;
  onClose: () => void;
}

type InstanceDialog = (props: InstanceDialogProps) => ReactNode;

export interface BillingSlots {
  renew?: InstanceDialog;
  toPrepaid?: InstanceDialog;
  autoRenew?: InstanceDialog;
  buySame?: InstanceDialog;
}

export const BILLING_SLOTS = ["renew", "toPrepaid", "autoRenew", "buySame"] as const;
export type BillingSlot = (typeof BILLING_SLOTS)[number];
