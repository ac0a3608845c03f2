// The instance creation wizard: the choices each step offers, price, preview, dry run,
// the launch itself and the launches still pending (journalled with their ClientToken).
import { commands } from "./bindings";
import type {
  ChargeType,
  ImageChoice,
  InstanceChange,
  InstanceTypeChoice,
  KeyPairChoice,
  Language,
  LaunchOutcome,
  LaunchPreview,
  LaunchProgress,
  LaunchRecord,
  LaunchSpec,
  NetworkChoices,
  PriceQuote,
  ZoneChoice,
} from "./bindings";
import { channel, scope, unwrap } from "./ipc";

export const wizardBackend = {
  zones: (
    profileId: string,
    region: string,
    chargeType: ChargeType,
    language: Language,
  ): Promise<ZoneChoice[]> =>
    unwrap(commands.wizardZones(scope(profileId, region), chargeType, language)),
  instanceTypes: (
    profileId: string,
    region: string,
    zone: string,
    chargeType: ChargeType,
    language: Language,
  ): Promise<InstanceTypeChoice[]> =>
    unwrap(commands.wizardInstanceTypes(scope(profileId, region), zone, chargeType, language)),
  images: (profileId: string, region: string, instanceType: string): Promise<ImageChoice[]> =>
    unwrap(commands.wizardImages(scope(profileId, region), instanceType)),
  networks: (profileId: string, region: string, zone: string): Promise<NetworkChoices> =>
    unwrap(commands.wizardNetworks(scope(profileId, region), zone)),
  keyPairs: (profileId: string, region: string): Promise<KeyPairChoice[]> =>
    unwrap(commands.wizardKeyPairs(scope(profileId, region))),
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
    unwrap(commands.launchProgress(scope(profileId, region), ids)),
};
