// Billing: cost estimates, prepaid conversion and renewal (each sent only at the price the
// user accepted), launch templates and "buy the same" drafts.
import { commands } from "./bindings";
import type {
  ActionReport,
  BillingQuote,
  CostEstimate,
  LaunchDraft,
  LaunchSpec,
  LaunchTemplateView,
  RenewFlag,
} from "./bindings";
import { scope, unwrap } from "./ipc";

export const billingBackend = {
  cost: (profileId: string, regions: string[]): Promise<CostEstimate> =>
    unwrap(commands.costEstimate(profileId, regions)),
  quoteToPrepaid: (
    profileId: string,
    region: string,
    ids: string[],
    period: number,
  ): Promise<BillingQuote> =>
    unwrap(commands.quoteToPrepaid(scope(profileId, region), ids, period)),
  changeToPrepaid: (
    profileId: string,
    region: string,
    ids: string[],
    period: number,
    renewFlag: RenewFlag,
    acceptedPrice: number,
  ): Promise<ActionReport> =>
    unwrap(
      commands.changeToPrepaid(scope(profileId, region), ids, period, renewFlag, acceptedPrice),
    ),
  quoteRenew: (
    profileId: string,
    region: string,
    ids: string[],
    period: number,
  ): Promise<BillingQuote> => unwrap(commands.quoteRenew(scope(profileId, region), ids, period)),
  renew: (
    profileId: string,
    region: string,
    ids: string[],
    period: number,
    acceptedPrice: number,
  ): Promise<ActionReport> =>
    unwrap(commands.renewInstances(scope(profileId, region), ids, period, acceptedPrice)),
  setRenewFlag: (
    profileId: string,
    region: string,
    ids: string[],
    renewFlag: RenewFlag,
  ): Promise<ActionReport> =>
    unwrap(commands.setRenewFlag(scope(profileId, region), ids, renewFlag)),

  templates: (profileId: string, region: string): Promise<LaunchTemplateView[]> =>
    unwrap(commands.listLaunchTemplates(scope(profileId, region))),
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
    unwrap(commands.launchTemplateDraft(scope(profileId, region), templateId, version)),
  /** `confirm`: the template's id, as the confirmation dialog named it. */
  deleteTemplate: (
    profileId: string,
    region: string,
    templateId: string,
    confirm: string,
  ): Promise<null> =>
    unwrap(commands.deleteLaunchTemplate(scope(profileId, region), templateId, confirm)),
  sameDraft: (profileId: string, region: string, instanceId: string): Promise<LaunchDraft> =>
    unwrap(commands.sameConfigurationDraft(scope(profileId, region), instanceId)),
};
