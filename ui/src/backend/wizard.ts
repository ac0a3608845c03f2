// The instance creation wizard's part of the backend facade (issue 7). A file of its own
// so the wizard and the console facades in index.ts can change independently.
import { Channel } from "@tauri-apps/api/core";
import { commands } from "./bindings";
import type {
  ActionReport,
  AppError,
  BillingQuote,
  ImageChoice,
  InstanceChange,
  InstanceTypeChoice,
  KeyPairChoice,
  LaunchOutcome,
  LaunchPreview,
  LaunchProgress,
  LaunchRecord,
  LaunchSpec,
  NetworkChoices,
  PriceQuote,
  RegionView,
  ZoneChoice,
} from "./bindings";
import { BackendError } from "./index";

type Result<T> = { status: "ok"; data: T } | { status: "error"; error: AppError };

async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  const r = await call;
  if (r.status === "error") throw new BackendError(r.error);
  return r.data;
}

function channel(onChange: (c: InstanceChange) => void): Channel<InstanceChange> {
  const ch = new Channel<InstanceChange>();
  ch.onmessage = onChange;
  return ch;
}

export const wizardBackend = {
  regions: (profileId: string, language: string): Promise<RegionView[]> =>
    unwrap(commands.listRegions(profileId, language)),
  zones: (
    profileId: string,
    region: string,
    chargeType: string,
    language: string,
  ): Promise<ZoneChoice[]> => unwrap(commands.wizardZones(profileId, region, chargeType, language)),
  instanceTypes: (
    profileId: string,
    region: string,
    zone: string,
    chargeType: string,
    language: string,
  ): Promise<InstanceTypeChoice[]> =>
    unwrap(commands.wizardInstanceTypes(profileId, region, zone, chargeType, language)),
  images: (profileId: string, region: string, instanceType: string): Promise<ImageChoice[]> =>
    unwrap(commands.wizardImages(profileId, region, instanceType)),
  networks: (profileId: string, region: string, zone: string): Promise<NetworkChoices> =>
    unwrap(commands.wizardNetworks(profileId, region, zone)),
  keyPairs: (profileId: string, region: string): Promise<KeyPairChoice[]> =>
    unwrap(commands.wizardKeyPairs(profileId, region)),
  quote: (profileId: string, spec: LaunchSpec): Promise<PriceQuote> =>
    unwrap(commands.quoteLaunch(profileId, spec)),
  preview: (profileId: string, spec: LaunchSpec): Promise<LaunchPreview> =>
    unwrap(commands.previewLaunch(profileId, spec)),
  check: (profileId: string, spec: LaunchSpec): Promise<null> =>
    unwrap(commands.checkLaunch(profileId, spec)),
  /** `acceptedPrice`: the quote's `totalNow` the user saw; the backend re-prices and refuses another. */
  submit: (
    profileId: string,
    spec: LaunchSpec,
    acceptedPrice: number,
    onChange: (c: InstanceChange) => void,
  ): Promise<LaunchOutcome> =>
    unwrap(commands.submitLaunch(profileId, spec, acceptedPrice, channel(onChange))),
  /** Re-sends a pending launch with its ClientToken; `confirm` is that token, from the dialog. */
  retry: (
    token: string,
    confirm: string,
    onChange: (c: InstanceChange) => void,
  ): Promise<LaunchOutcome> => unwrap(commands.retryLaunch(token, confirm, channel(onChange))),
  /** Forgets a pending launch (cancels nothing at Tencent); `confirm` is its ClientToken. */
  drop: (token: string, confirm: string): Promise<null> =>
    unwrap(commands.dropLaunch(token, confirm)),
  records: (): Promise<LaunchRecord[]> => commands.launchRecords(),
  progress: (profileId: string, region: string, ids: string[]): Promise<LaunchProgress> =>
    unwrap(commands.launchProgress(profileId, region, ids)),
  quoteToPrepaid: (
    profileId: string,
    region: string,
    ids: string[],
    period: number,
  ): Promise<BillingQuote> => unwrap(commands.quoteToPrepaid(profileId, region, ids, period)),
  changeToPrepaid: (
    profileId: string,
    region: string,
    ids: string[],
    period: number,
    renewFlag: string,
    acceptedPrice: number,
  ): Promise<ActionReport> =>
    unwrap(commands.changeToPrepaid(profileId, region, ids, period, renewFlag, acceptedPrice)),
  quoteRenew: (
    profileId: string,
    region: string,
    ids: string[],
    period: number,
  ): Promise<BillingQuote> => unwrap(commands.quoteRenew(profileId, region, ids, period)),
  renew: (
    profileId: string,
    region: string,
    ids: string[],
    period: number,
    acceptedPrice: number,
  ): Promise<ActionReport> =>
    unwrap(commands.renewInstances(profileId, region, ids, period, acceptedPrice)),
  setRenewFlag: (
    profileId: string,
    region: string,
    ids: string[],
    renewFlag: string,
  ): Promise<ActionReport> => unwrap(commands.setRenewFlag(profileId, region, ids, renewFlag)),
};
