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
  deleteProfile: (id: string): Promise<ProfilesView> => unwrap(commands.deleteProfile(id)),
  setProfileUnlocked: (id: string, unlocked: boolean): Promise<ProfilesView> =>
    unwrap(commands.setProfileUnlocked(id, unlocked)),
  importCandidates: (): Promise<ImportCandidate[]> => unwrap(commands.importCandidates()),
  importProfile: (source: ImportSource, name: string, site: Site): Promise<VerifyReport> =>
    unwrap(commands.importProfile(source, name, site)),
  deleteTccliCredential: (profile: string): Promise<string> =>
    unwrap(commands.deleteTccliCredential(profile, true)),
  resetSandbox: (): Promise<null> => unwrap(commands.resetSandbox()),
};
