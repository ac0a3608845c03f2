// The backend facade: the only module that talks to Tauri. Everything else imports
// from here, so components can be tested with a mocked IPC and the shell stays swappable.
import { commands, type AppError, type AppInfo, type ErrorKind } from "./bindings";

export type { AppError, AppInfo, ErrorKind };

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
  appInfo: (): Promise<AppInfo> => unwrap(commands.appInfo()),
};
