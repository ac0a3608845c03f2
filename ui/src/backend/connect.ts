// SSH terminals (to an instance or any host), host keys, key files and the VNC console.
// Passwords and passphrases pass through here once, into the command; nothing keeps them.
import { commands } from "./bindings";
import type { AuthInput, HostInput, JumpInput, OpenOutcome, SessionClosed } from "./bindings";
import { channel, scope, unwrap } from "./ipc";

/** A session's output (raw bytes), or its end (the last event). */
export type SessionEvent = ArrayBuffer | SessionClosed;

/** Where the terminal will be, and what its output goes to. */
export interface SessionSetup {
  auth: AuthInput;
  jump: JumpInput | null;
  /** The fingerprint the user accepted for a host key never seen. */
  trust: string | null;
  cols: number;
  rows: number;
  onEvent: (e: SessionEvent) => void;
}

export const connectBackend = {
  openSession: (
    profileId: string,
    region: string,
    instanceId: string,
    s: SessionSetup,
  ): Promise<OpenOutcome> =>
    unwrap(
      commands.openSession(
        scope(profileId, region),
        instanceId,
        s.auth,
        s.jump,
        s.trust,
        s.cols,
        s.rows,
        channel(s.onEvent),
      ),
    ),
  openHostSession: (host: HostInput, s: SessionSetup): Promise<OpenOutcome> =>
    unwrap(
      commands.openHostSession(host, s.auth, s.jump, s.trust, s.cols, s.rows, channel(s.onEvent)),
    ),
  sessionInput: (sessionId: string, data: string): Promise<null> =>
    unwrap(commands.sessionInput(sessionId, data)),
  resizeSession: (sessionId: string, cols: number, rows: number): Promise<null> =>
    unwrap(commands.resizeSession(sessionId, cols, rows)),
  closeSession: (sessionId: string): Promise<null> => unwrap(commands.closeSession(sessionId)),
  /** `host` as a hostKeyChanged answer names it. */
  forgetHostKey: (host: string, port: number): Promise<number> =>
    unwrap(commands.forgetHostKey(host, port)),
  setKeyPath: (keyId: string, path: string | null): Promise<null> =>
    unwrap(commands.setKeyPath(keyId, path)),
  getKeyPath: (keyId: string): Promise<string | null> => unwrap(commands.getKeyPath(keyId)),
  pickKeyFile: (dialogTitle: string): Promise<string | null> =>
    unwrap(commands.pickKeyFile(dialogTitle)),
  sshCommand: (
    profileId: string,
    region: string,
    instanceId: string,
    keyId: string | null,
    jump: HostInput | null,
    jumpInstance: string | null,
  ): Promise<string> =>
    unwrap(commands.sshCommand(scope(profileId, region), instanceId, keyId, jump, jumpInstance)),
  openVncConsole: (
    profileId: string,
    region: string,
    instanceId: string,
    windowTitle: string,
  ): Promise<null> =>
    unwrap(commands.openVncConsole(scope(profileId, region), instanceId, windowTitle)),
};
