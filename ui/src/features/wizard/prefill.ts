// Opening the wizard prefilled from elsewhere ("Buy the same configuration" in the billing
// area or the instance detail view, "Create from template"). The draft waits here until
// the wizard mounts (or, if it is open, it is handed over at once); the app shell listens
// to switch to the wizard's page.
import { type LaunchDraft, billingBackend } from "../../backend";

/** Where the draft came from, shown above the prefilled wizard. */
export interface DraftSource {
  kind: "template" | "instance";
  /** Template name or instance id. */
  label: string;
}

export interface PendingDraft {
  draft: LaunchDraft;
  source: DraftSource;
}

let pending: PendingDraft | null = null;
const listeners = new Set<() => void>();

/** Opens the wizard with `draft`; the price and DryRun then apply as usual. */
export function openWizardWith(draft: LaunchDraft, source: DraftSource) {
  pending = { draft, source };
  for (const l of [...listeners]) l();
}

/** Takes the waiting draft (once). */
export function takePendingDraft(): PendingDraft | null {
  const d = pending;
  pending = null;
  return d;
}

/** Called whenever a draft is opened (the shell navigates, an open wizard takes it). */
export function onOpenWizard(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** "Buy the same configuration" of an instance: reads it and opens the wizard. */
export async function buyTheSame(profileId: string, region: string, instanceId: string) {
  const draft = await billingBackend.sameDraft(profileId, region, instanceId);
  openWizardWith(draft, { kind: "instance", label: instanceId });
}
