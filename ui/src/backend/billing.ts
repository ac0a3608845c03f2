// Billing, cost, launch templates and "buy the same" drafts (issue 7, part two). A facade
// of its own so these features and the wizard's facade can change independently.
import { Channel } from "@tauri-apps/api/core";
import { commands } from "./bindings";
import type {
  AppError,
  CostEstimate,
  InstancePage,
  InstanceView,
  LaunchDraft,
  LaunchSpec,
  LaunchTemplateView,
  RegionView,
} from "./bindings";
import { BackendError } from "./index";

type Result<T> = { status: "ok"; data: T } | { status: "error"; error: AppError };

async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  const r = await call;
  if (r.status === "error") throw new BackendError(r.error);
  return r.data;
}

export const billingBackend = {
  regions: (profileId: string, language: "en" | "zh-CN"): Promise<RegionView[]> =>
    unwrap(commands.listRegions(profileId, language)),
  /** Every instance of the region (all pages). */
  instances: async (profileId: string, region: string): Promise<InstanceView[]> => {
    const channel = new Channel<InstancePage>();
    const pages: InstancePage[] = [];
    channel.onmessage = (p) => pages.push(p);
    await unwrap(commands.listInstances(profileId, region, null, channel));
    return pages.flatMap((p) => p.instances);
  },
  cost: (profileId: string, regions: string[]): Promise<CostEstimate> =>
    unwrap(commands.costEstimate(profileId, regions)),
  templates: (profileId: string, region: string): Promise<LaunchTemplateView[]> =>
    unwrap(commands.listLaunchTemplates(profileId, region)),
  saveTemplate: (
    profileId: string,
    spec: LaunchSpec,
    name: string,
    description: string,
  ): Promise<string> => unwrap(commands.saveLaunchTemplate(profileId, spec, name, description)),
  templateDraft: (
    profileId: string,
    region: string,
    templateId: string,
    version: number | null,
  ): Promise<LaunchDraft> =>
    unwrap(commands.launchTemplateDraft(profileId, region, templateId, version)),
  /** `confirm`: the template's id, as the confirmation dialog named it. */
  deleteTemplate: (
    profileId: string,
    region: string,
    templateId: string,
    confirm: string,
  ): Promise<null> => unwrap(commands.deleteLaunchTemplate(profileId, region, templateId, confirm)),
  sameDraft: (profileId: string, region: string, instanceId: string): Promise<LaunchDraft> =>
    unwrap(commands.sameConfigurationDraft(profileId, region, instanceId)),
};
