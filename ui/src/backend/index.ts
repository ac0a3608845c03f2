// The backend facade: the only module that talks to Tauri. Everything else imports
// from here, so components can be tested with a mocked IPC and the shell stays swappable.
import { commands } from "./bindings";
import type {
  AppError,
  ImportCandidate,
  ImportSource,
  ProfileInput,
  ProfilesView,
  Site,
  StartupNotice,
  VerifyReport,
} from "./bindings";

export type * from "./bindings";

/** A failed command, carrying the backend's `{ kind, code, message, requestId }`. */
export class BackendError extends Error {
  readonly detail: AppError;
  constructor(detail: AppError) {
    super(detail.message);
    this.name = "BackendError";
    this.detail = detail;
  }
}

/** The backend refused because Tencent's fresh quote differs from the price the user accepted. */
export function isPriceChanged(e: unknown): boolean {
  return e instanceof BackendError && e.detail.code === "App.PriceChanged";
}

type Result<T> = { status: "ok"; data: T } | { status: "error"; error: AppError };

async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  const r = await call;
  if (r.status === "error") throw new BackendError(r.error);
  return r.data;
}

export const backend = {
  appInfo: () => unwrap(commands.appInfo()),

  listProfiles: (): Promise<ProfilesView> => unwrap(commands.listProfiles()),
  dismissCorruptNotice: (): Promise<void> => commands.dismissCorruptNotice(),
  setActiveProfile: (id: string): Promise<ProfilesView> => unwrap(commands.setActiveProfile(id)),
  keyringStatus: () => unwrap(commands.keyringStatus()),
  createProfile: (input: ProfileInput): Promise<VerifyReport> =>
    unwrap(commands.createProfile(input)),
  updateProfile: (id: string, input: ProfileInput): Promise<VerifyReport | null> =>
    unwrap(commands.updateProfile(id, input)),
  verifyProfile: (id: string): Promise<VerifyReport> => unwrap(commands.verifyProfile(id)),
  /** `confirmName`: the profile's name as the user typed it in the confirmation dialog. */
  deleteProfile: (id: string, confirmName: string): Promise<ProfilesView> =>
    unwrap(commands.deleteProfile(id, confirmName)),
  /** Unlocking needs the dialog's confirmation (the profile's id); locking needs none. */
  setProfileUnlocked: (
    id: string,
    unlocked: boolean,
    confirm: string | null,
  ): Promise<ProfilesView> => unwrap(commands.setProfileUnlocked(id, unlocked, confirm)),
  importCandidates: (): Promise<ImportCandidate[]> => unwrap(commands.importCandidates()),
  importProfile: (source: ImportSource, name: string, site: Site): Promise<VerifyReport> =>
    unwrap(commands.importProfile(source, name, site)),
  /** `confirm`: the credential file's path the confirmation dialog showed. */
  deleteTccliCredential: (profile: string, confirm: string): Promise<string> =>
    unwrap(commands.deleteTccliCredential(profile, confirm)),
  /** `confirm`: the Sandbox profile's id, sent only from the confirmation dialog. */
  resetSandbox: (confirm: string): Promise<null> => unwrap(commands.resetSandbox(confirm)),
  /** Warnings from start-up (a data file moved aside, a fresh Sandbox world). */
  startupNotices: (): Promise<StartupNotice[]> => commands.startupNotices(),
  dismissStartupNotice: async (id: string): Promise<void> => {
    await commands.dismissStartupNotice(id);
  },
};

// ---------------------------------------------------------------------------------------
// Console (instances, activity log). Kept in one block so the profiles facade above can
// change independently.
import { Channel } from "@tauri-apps/api/core";
import type {
  ActionReport,
  ActivityEntry,
  ActivityFilter,
  ActivityStatus,
  Consent,
  InstanceChange,
  InstancePage,
  ListSummary,
  RegionView,
  StopType,
  StoppedMode,
  ZoneView,
} from "./bindings";

/** The UI language as the API's X-TC-Language argument. */
export type ApiLanguageArg = "en" | "zh-CN";

/** Receives the state changes of the instances an action touched, until they settle. */
export type OnInstanceChange = (change: InstanceChange) => void;

function channel<T>(cb: (v: T) => void): Channel<T> {
  const c = new Channel<T>();
  c.onmessage = cb;
  return c;
}

export const consoleBackend = {
  listRegions: (profileId: string, language: ApiLanguageArg): Promise<RegionView[]> =>
    unwrap(commands.listRegions(profileId, language)),
  listZones: (profileId: string, region: string, language: ApiLanguageArg): Promise<ZoneView[]> =>
    unwrap(commands.listZones(profileId, region, language)),
  /** Streams pages to `onPage` (the first as soon as it arrives); resolves when all are in. */
  listInstances: (
    profileId: string,
    region: string,
    zone: string | null,
    onPage: (page: InstancePage) => void,
  ): Promise<ListSummary> =>
    unwrap(commands.listInstances(profileId, region, zone, channel(onPage))),
  setLastRegion: (profileId: string, region: string): Promise<null> =>
    unwrap(commands.setLastRegion(profileId, region)),
  startInstances: (
    profileId: string,
    region: string,
    ids: string[],
    onChange: OnInstanceChange,
  ): Promise<ActionReport> =>
    unwrap(commands.startInstances(profileId, region, ids, channel(onChange))),
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
        profileId,
        region,
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
    unwrap(commands.rebootInstances(profileId, region, ids, stopType, consent, channel(onChange))),
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
        profileId,
        region,
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
    unwrap(commands.renameInstances(profileId, region, ids, name, channel(onChange))),
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
        profileId,
        region,
        ids,
        { password, userName, forceStop },
        channel(onChange),
      ),
    ),
  activityLog: (filter: ActivityFilter): Promise<ActivityEntry[]> =>
    unwrap(commands.activityLog(filter)),
  activityStatus: (profileId: string): Promise<ActivityStatus> =>
    commands.activityStatus(profileId),
};
