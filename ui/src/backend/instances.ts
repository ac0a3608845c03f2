// Instances: regions and zones, the streamed list and its cache, one instance in full,
// the lifecycle actions (each streaming the state changes until they settle), export and
// the terminate quote.
import { commands } from "./bindings";
import type {
  ActionReport,
  CachedList,
  Consent,
  ExportFormat,
  FleetEvent,
  FleetSummary,
  FleetTarget,
  InstanceChange,
  InstanceDetail,
  InstancePage,
  InstanceView,
  ListEvent,
  RegionView,
  StopType,
  StoppedMode,
  StreamSummary,
  TagCondition,
  TagInput,
  TagReport,
  TerminateQuote,
  ZoneView,
  Language,
} from "./bindings";
import { takeBootCache } from "./boot";
import { channel, scope, unwrap } from "./ipc";

/** Receives the state changes of the instances an action touched, until they settle. */
type OnInstanceChange = (change: InstanceChange) => void;

export const instancesBackend = {
  listRegions: (profileId: string, language: Language): Promise<RegionView[]> =>
    unwrap(commands.listRegions(profileId, language)),
  listZones: (profileId: string, region: string, language: Language): Promise<ZoneView[]> =>
    unwrap(commands.listZones(scope(profileId, region), language)),
  /** Every instance of the region (all pages), for pickers and billing. */
  allInstances: async (profileId: string, region: string): Promise<InstanceView[]> => {
    const pages: InstancePage[] = [];
    await unwrap(
      commands.listInstances(
        scope(profileId, region),
        null,
        channel((p) => pages.push(p)),
      ),
    );
    return pages.flatMap((p) => p.instances);
  },
  /** Streams pages and per-region outcomes; a newer stream in the same slot cancels this one. */
  streamInstances: (
    profileId: string,
    regions: string[],
    zone: string | null,
    slot: string,
    onEvent: (e: ListEvent) => void,
  ): Promise<StreamSummary> =>
    unwrap(commands.streamInstances(profileId, regions, zone, slot, channel(onEvent))),
  /**
   * Streams a fleet (several accounts, each over the given or its enabled regions; null:
   * every profile); a newer stream in the same slot cancels this one. `tags` (every
   * condition must hold: the key, or the key with that value) is filtered by Tencent
   * (`tag:<key>`, `tag-key` Filters), so only matching instances are paged; such a
   * listing is not cached. A bad key or value is refused naming `tags.<i>.key|value`.
   */
  streamFleet: (
    targets: FleetTarget[] | null,
    slot: string,
    onEvent: (e: FleetEvent) => void,
    tags: TagCondition[] | null = null,
  ): Promise<FleetSummary> => unwrap(commands.streamFleet(targets, slot, channel(onEvent), tags)),
  /** The fleet's cached lists (null: every profile). */
  cachedFleet: (targets: FleetTarget[] | null): Promise<CachedList[]> => {
    // The first screen's list (one account, one region) came with the page's document.
    const only = targets?.length === 1 ? targets[0] : undefined;
    const region = only?.regions?.length === 1 ? only.regions[0] : undefined;
    const fromPage = only && region ? takeBootCache(only.profileId, region) : undefined;
    return fromPage ? Promise.resolve([fromPage]) : unwrap(commands.cachedFleet(targets));
  },
  cachedInstances: (profileId: string, region: string): Promise<CachedList | null> =>
    unwrap(commands.cachedInstances(scope(profileId, region))),
  enabledRegions: (profileId: string): Promise<string[] | null> =>
    unwrap(commands.enabledRegions(profileId)),
  setEnabledRegions: (profileId: string, regions: string[] | null): Promise<null> =>
    unwrap(commands.setEnabledRegions(profileId, regions)),
  setLastRegion: (profileId: string, region: string): Promise<null> =>
    unwrap(commands.setLastRegion(scope(profileId, region))),
  describeInstance: (
    profileId: string,
    region: string,
    instanceId: string,
  ): Promise<InstanceDetail> =>
    unwrap(commands.describeInstance(scope(profileId, region), instanceId)),
  exportInstances: (
    format: ExportFormat,
    rows: InstanceView[],
    dialogTitle: string,
  ): Promise<string | null> => unwrap(commands.exportInstances(format, rows, dialogTitle)),
  terminateQuote: (profileId: string, region: string, ids: string[]): Promise<TerminateQuote> =>
    unwrap(commands.terminateQuote(scope(profileId, region), ids)),
  /** Sets tags on instances of one account and region (a key they carry gets the new value). */
  setInstanceTags: (
    profileId: string,
    region: string,
    ids: string[],
    tags: TagInput[],
  ): Promise<TagReport> => unwrap(commands.setInstanceTags(scope(profileId, region), ids, tags)),
  /** Removes tag keys from instances the confirmation named. */
  removeInstanceTags: (
    profileId: string,
    region: string,
    ids: string[],
    keys: string[],
    consent: Consent,
  ): Promise<TagReport> =>
    unwrap(commands.removeInstanceTags(scope(profileId, region), ids, keys, consent)),

  startInstances: (
    profileId: string,
    region: string,
    ids: string[],
    onChange: OnInstanceChange,
  ): Promise<ActionReport> =>
    unwrap(commands.startInstances(scope(profileId, region), ids, channel(onChange))),
  stopInstances: (
    profileId: string,
    region: string,
    ids: string[],
    stopType: StopType,
    stoppedMode: StoppedMode,
    consent: Consent,
    onChange: OnInstanceChange,
  ): Promise<ActionReport> =>
    unwrap(
      commands.stopInstances(
        scope(profileId, region),
        ids,
        stopType,
        stoppedMode,
        consent,
        channel(onChange),
      ),
    ),
  rebootInstances: (
    profileId: string,
    region: string,
    ids: string[],
    stopType: StopType,
    consent: Consent,
    onChange: OnInstanceChange,
  ): Promise<ActionReport> =>
    unwrap(
      commands.rebootInstances(scope(profileId, region), ids, stopType, consent, channel(onChange)),
    ),
  terminateInstances: (
    profileId: string,
    region: string,
    ids: string[],
    releaseAddress: boolean,
    consent: Consent,
    onChange: OnInstanceChange,
  ): Promise<ActionReport> =>
    unwrap(
      commands.terminateInstances(
        scope(profileId, region),
        ids,
        releaseAddress,
        consent,
        channel(onChange),
      ),
    ),
  renameInstances: (
    profileId: string,
    region: string,
    ids: string[],
    name: string,
    onChange: OnInstanceChange,
  ): Promise<ActionReport> =>
    unwrap(commands.renameInstances(scope(profileId, region), ids, name, channel(onChange))),
  resetInstancesPassword: (
    profileId: string,
    region: string,
    ids: string[],
    password: string,
    userName: string | null,
    forceStop: boolean,
    onChange: OnInstanceChange,
  ): Promise<ActionReport> =>
    unwrap(
      commands.resetInstancesPassword(
        scope(profileId, region),
        ids,
        { password, userName, forceStop },
        channel(onChange),
      ),
    ),
};
