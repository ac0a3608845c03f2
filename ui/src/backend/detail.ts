// Detail-view facade: one instance in full, the clipboard, and the UI language for the
// backend's desktop notifications.
import { commands } from "./bindings";
import type { AppError, InstanceDetail } from "./bindings";
import { BackendError } from "./index";

type Result<T> = { status: "ok"; data: T } | { status: "error"; error: AppError };

async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  const r = await call;
  if (r.status === "error") throw new BackendError(r.error);
  return r.data;
}

export const detailBackend = {
  describeInstance: (
    profileId: string,
    region: string,
    instanceId: string,
  ): Promise<InstanceDetail> => unwrap(commands.describeInstance(profileId, region, instanceId)),
  copyText: (text: string): Promise<null> => unwrap(commands.copyText(text)),
  setUiLanguage: (language: "en" | "zh-CN"): Promise<null> =>
    unwrap(commands.setUiLanguage(language)),
};
