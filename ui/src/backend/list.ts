// The instance list's own commands: streamed listings over one region or many, the list
// cache, the enabled regions, export and the terminate quote.
import { Channel } from "@tauri-apps/api/core";
import { commands } from "./bindings";
import type {
  CachedList,
  ExportFormat,
  InstanceView,
  ListEvent,
  StreamSummary,
  TerminateQuote,
} from "./bindings";
import { BackendError } from "./index";

async function unwrap<T>(
  call: Promise<{ status: "ok"; data: T } | { status: "error"; error: BackendError["detail"] }>,
): Promise<T> {
  const r = await call;
  if (r.status === "error") throw new BackendError(r.error);
  return r.data;
}

export const listBackend = {
  /** Streams pages and per-region outcomes; a newer stream in the same slot cancels this one. */
  streamInstances: (
    profileId: string,
    regions: string[],
    zone: string | null,
    slot: string,
    onEvent: (e: ListEvent) => void,
  ): Promise<StreamSummary> => {
    const c = new Channel<ListEvent>();
    c.onmessage = onEvent;
    return unwrap(commands.streamInstances(profileId, regions, zone, slot, c));
  },
  cachedInstances: (profileId: string, region: string): Promise<CachedList | null> =>
    unwrap(commands.cachedInstances(profileId, region)),
  enabledRegions: (profileId: string): Promise<string[] | null> =>
    unwrap(commands.enabledRegions(profileId)),
  setEnabledRegions: (profileId: string, regions: string[] | null): Promise<null> =>
    unwrap(commands.setEnabledRegions(profileId, regions)),
  exportInstances: (
    format: ExportFormat,
    rows: InstanceView[],
    dialogTitle: string,
  ): Promise<string | null> => unwrap(commands.exportInstances(format, rows, dialogTitle)),
  terminateQuote: (profileId: string, region: string, ids: string[]): Promise<TerminateQuote> =>
    unwrap(commands.terminateQuote(profileId, region, ids)),
};
