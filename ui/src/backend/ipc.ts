// The one module that turns Tauri IPC into promises: every command's `Result` is unwrapped
// here (errors become a BackendError carrying the backend's error shape), and every stream
// the backend sends goes through one kind of channel.
import { Channel } from "@tauri-apps/api/core";
import type { AppError, Language, Scope } from "./bindings";

/** A failed command, carrying the backend's `{ kind, code, message, requestId }`. */
export class BackendError extends Error {
  readonly detail: AppError;
  constructor(detail: AppError) {
    super(detail.message);
    this.name = "BackendError";
    this.detail = detail;
  }
}

/** The backend's error in a failure: a BackendError's, or the shape itself (a raw rejection). */
export function errorDetail(e: unknown): AppError | null {
  if (e instanceof BackendError) return e.detail;
  if (typeof e === "object" && e !== null && "kind" in e && "code" in e && "message" in e)
    return e as AppError;
  return null;
}

/** The backend refused because Tencent's fresh quote differs from the price the user accepted. */
export function isPriceChanged(e: unknown): boolean {
  return e instanceof BackendError && e.detail.code === "App.PriceChanged";
}

/** The UI language (i18next's) as the API's language argument: any Chinese → zh-CN. */
export function apiLanguage(uiLanguage: string): Language {
  return uiLanguage.startsWith("zh") ? "zh-CN" : "en-US";
}

/** Where a command acts: the profile and region the page shows. */
export function scope(profile: string, region: string): Scope {
  return { profile, region };
}

type Result<T> = { status: "ok"; data: T } | { status: "error"; error: AppError };

/**
 * An argument the backend could not decode (a malformed region, say) is refused by Tauri
 * before the command runs, as a plain string naming the argument: shape it like the
 * command's own refusals, with that argument as the field.
 */
export function asAppError(e: unknown): AppError {
  if (typeof e === "object" && e !== null && "code" in e && "message" in e) return e as AppError;
  const message = String(e);
  return {
    kind: "invalid-input",
    code: "App.InvalidInput",
    message,
    requestId: null,
    field: /`([A-Za-z]+)`/.exec(message)?.[1] ?? null,
  };
}

/** The command's data, or a BackendError with the backend's error. */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  const r = await call;
  if (r.status === "error") throw new BackendError(asAppError(r.error));
  return r.data;
}

/** A channel whose messages go to `onMessage` (pages, instance changes, list events). */
export function channel<T>(onMessage: (message: T) => void): Channel<T> {
  const c = new Channel<T>();
  c.onmessage = onMessage;
  return c;
}
