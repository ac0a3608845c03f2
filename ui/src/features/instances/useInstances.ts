import { useCallback, useEffect, useState } from "react";
import {
  type InstanceChange,
  type InstanceView,
  type ListEvent,
  instancesBackend,
} from "../../backend";

/** How one region's listing is going (the all-regions view shows one per region). */
type RegionProgress = {
  loaded: number;
  /** TotalCount as last reported; null until the first page. */
  total: number | null;
  status: "loading" | "done" | "failed";
  error: unknown;
};

export type Listing = {
  /** Fresh rows, plus the cached rows of regions whose fresh listing has not completed. */
  rows: InstanceView[];
  /** Sum of the regions' TotalCount as last reported. */
  total: number;
  loading: boolean;
  /** The listing's failure when it has one region (a multi-region one fails per region). */
  error: unknown;
  /** Failure messages of settled operations, by instance id. */
  failures: Record<string, string>;
  progress: Record<string, RegionProgress>;
  /** When cached rows are shown: the oldest cache's time (ms since the epoch). */
  staleSince: number | null;
};

const EMPTY: Listing = {
  rows: [],
  total: 0,
  loading: false,
  error: null,
  failures: {},
  progress: {},
  staleSince: null,
};

/** At most one render of a streaming listing per this many milliseconds. */
const PUBLISH_MS = 200;

/** The backend's slot for this page: a newer listing in it cancels the older one. */
const LIST_SLOT = "instances-page";

/** Applies one pushed change to the rows. */
function applyChange(rows: InstanceView[], c: InstanceChange): InstanceView[] {
  if (c.settled && c.state === null) return rows.filter((r) => r.id !== c.instanceId);
  return rows.map((r) => {
    if (r.id !== c.instanceId || r.region !== c.region) return r;
    if (c.instance) return c.instance;
    return c.state ? { ...r, state: c.state } : r;
  });
}

/**
 * Merges fresh and cached rows: fresh rows win; a region's cached rows show until its
 * fresh listing completed (then only what the API returned remains).
 */
export function mergeRows(
  fresh: Map<string, InstanceView>,
  cached: Map<string, InstanceView>,
  doneRegions: Set<string>,
): InstanceView[] {
  const out = [...fresh.values()];
  for (const [id, r] of cached) if (!fresh.has(id) && !doneRegions.has(r.region)) out.push(r);
  return out;
}

/**
 * The instances of one region (optionally one zone) or of several regions, streamed
 * page by page and merged. The last known lists (cache) show at once, marked stale,
 * until the fresh listing replaces them. `apply` folds in the state changes the backend
 * streams after an action. `reload` changes to list again.
 */
export function useInstances(
  profileId: string | undefined,
  regions: string[],
  zone: string | null,
  reload: number,
): Listing & { apply: (c: InstanceChange) => void } {
  const scope = regions.join(",");
  // State belongs to one listing (key); a new key shows as loading until its pages arrive.
  const key = `${profileId}|${scope}|${zone}|${reload}`;
  const [listing, setListing] = useState<Listing & { key: string }>({ ...EMPTY, key: "" });

  useEffect(() => {
    if (!profileId || !scope) return;
    const list = scope.split(",");
    let current = true;
    const fresh = new Map<string, InstanceView>();
    const cached = new Map<string, InstanceView>();
    const done = new Set<string>();
    const progress: Record<string, RegionProgress> = {};
    const totals: Record<string, number> = {};
    let staleSince: number | null = null;
    let lastPublish = 0;
    let pending: ReturnType<typeof setTimeout> | null = null;
    const publish = (extra: Partial<Listing> = {}) => {
      if (!current) return;
      if (pending !== null) clearTimeout(pending);
      pending = null;
      lastPublish = performance.now();
      const rows = mergeRows(fresh, cached, done);
      // Marked stale until the refresh completes (or while cached rows stand in for a
      // region that failed).
      const showsCache = rows.length > fresh.size || (extra.loading ?? true);
      setListing((l) => ({
        ...(l.key === key ? l : { ...EMPTY, loading: true }),
        key,
        rows,
        total: Object.values(totals).reduce((a, b) => a + b, 0),
        progress: { ...progress },
        staleSince: showsCache ? staleSince : null,
        ...extra,
      }));
    };
    // The cache first (whole-region lists only; a local read of a few milliseconds), so
    // the last known rows show, marked stale, before the fresh listing starts.
    const caches = zone
      ? []
      : list.map((region) =>
          instancesBackend.cachedInstances(profileId, region).then(
            (c) => {
              if (!current || !c) return;
              for (const i of c.instances) if (!fresh.has(i.id)) cached.set(i.id, i);
              const at = c.savedAtMs ?? Date.now();
              staleSince = staleSince === null ? at : Math.min(staleSince, at);
            },
            () => undefined, // a cache is a convenience
          ),
        );
    const onEvent = (e: ListEvent) => {
      if (!current) return;
      switch (e.kind) {
        case "started":
          progress[e.region] = { loaded: 0, total: null, status: "loading", error: null };
          break;
        case "page": {
          const p = e.page;
          for (const i of p.instances) fresh.set(i.id, i);
          totals[p.region] = p.total;
          const prev = progress[p.region];
          progress[p.region] = {
            loaded: (prev?.loaded ?? 0) + p.instances.length,
            total: p.total,
            status: "loading",
            error: null,
          };
          break;
        }
        case "done":
          done.add(e.summary.region);
          totals[e.summary.region] = e.summary.total;
          progress[e.summary.region] = {
            loaded: e.summary.loaded,
            total: e.summary.total,
            status: "done",
            error: null,
          };
          break;
        case "failed":
          progress[e.region] = {
            ...(progress[e.region] ?? { loaded: 0, total: null }),
            status: "failed",
            error: e.error,
          };
          break;
      }
      // Pages arrive up to ~40 a second: the first shows at once, later ones are folded
      // into one render per PUBLISH_MS, so a 10,000-row table is not rebuilt 100 times.
      if (e.kind !== "page" || performance.now() - lastPublish >= PUBLISH_MS) publish();
      else pending ??= setTimeout(() => publish(), PUBLISH_MS);
    };
    void Promise.all(caches).then(() => {
      if (!current) return;
      if (cached.size > 0) publish();
      instancesBackend.streamInstances(profileId, list, zone, LIST_SLOT, onEvent).then(
        (summary) => {
          if (!current || summary.superseded) return;
          const failed = list.length === 1 ? (progress[list[0] ?? ""]?.error ?? null) : null;
          publish({ loading: false, error: failed });
        },
        (error: unknown) => publish({ loading: false, error }),
      );
    });
    return () => {
      current = false;
      if (pending !== null) clearTimeout(pending);
    };
  }, [profileId, scope, zone, reload, key]);

  /** Applies a change streamed by an action of this page. */
  const apply = useCallback(
    (c: InstanceChange) =>
      setListing((l) =>
        c.profileId !== profileId || !scope.split(",").includes(c.region)
          ? l
          : {
              ...l,
              rows: applyChange(l.rows, c),
              failures: c.failure ? { ...l.failures, [c.instanceId]: c.failure } : l.failures,
            },
      ),
    [profileId, scope],
  );

  if (!profileId || !scope) return { ...EMPTY, apply };
  return listing.key === key ? { ...listing, apply } : { ...EMPTY, loading: true, apply };
}
