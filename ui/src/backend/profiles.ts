// Profiles: credentials (kept in the keyring by the backend), verification, tccli import
// and the Sandbox.
import { commands } from "./bindings";
import type {
  CallerIdentity,
  ImportCandidate,
  ImportSource,
  KeyringStatus,
  ProfileInput,
  ProfilesView,
  RoleProfileInput,
  SandboxClock,
  Site,
  VerifyReport,
} from "./bindings";
import { unwrap } from "./ipc";

export const profilesBackend = {
  listProfiles: (): Promise<ProfilesView> => unwrap(commands.listProfiles()),
  dismissCorruptNotice: (): Promise<void> => commands.dismissCorruptNotice(),
  setActiveProfile: (id: string): Promise<ProfilesView> => unwrap(commands.setActiveProfile(id)),
  keyringStatus: (): Promise<KeyringStatus> => unwrap(commands.keyringStatus()),
  createProfile: (input: ProfileInput): Promise<VerifyReport> =>
    unwrap(commands.createProfile(input)),
  updateProfile: (id: string, input: ProfileInput): Promise<VerifyReport | null> =>
    unwrap(commands.updateProfile(id, input)),
  verifyProfile: (id: string): Promise<VerifyReport> => unwrap(commands.verifyProfile(id)),
  /** The profile's account UIN and caller ARN (GetCallerIdentity, asked once a session). */
  profileIdentity: (id: string): Promise<CallerIdentity> => unwrap(commands.profileIdentity(id)),
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
  /** "Role R assumed through profile P": checked with one call as the role, then saved. */
  createRoleProfile: (input: RoleProfileInput): Promise<VerifyReport> =>
    unwrap(commands.createRoleProfile(input)),
  /** Changes a role profile the user added: the new role is checked first, as on creation. */
  updateRoleProfile: (profileId: string, input: RoleProfileInput): Promise<VerifyReport> =>
    unwrap(commands.updateRoleProfile(profileId, input)),
  /** The Sandbox's world clock and how far it runs ahead of real time. */
  sandboxClock: (): Promise<SandboxClock> => unwrap(commands.sandboxClock()),
  /** `confirm`: the Sandbox profile's id, sent only from the confirmation dialog. */
  letSandboxTimePass: (profileId: string, hours: number, confirm: string): Promise<SandboxClock> =>
    unwrap(commands.letSandboxTimePass(profileId, hours, confirm)),
};
