import { useCallback, useLayoutEffect, useState } from "react";
import {
  type FleetTarget,
  type InstanceChange,
  type InstanceView,
  type TagCondition,
  instancesBackend,
  peekBootCache,
} from "../../backend";
import { RowInterner, mergeRows, placeKey, rowKey } from "./rows";

/** How one (account, region)'s listing is going. */
export type PlaceProgress = {
  loaded: number;
  /** TotalCount as last reported; null until the first page. */
  total: number | null;
  status: "waiting" | "loading" | "done" | "failed";
  error: unknown;
  /** While cached rows stand in for it: when that list was saved (ms since the epoch). */
  staleSince: number | null;
};

export type Listing = {
  /** Fresh rows, plus the cached rows of places whose fresh listing has not completed. */
  rows: InstanceView[];
  /** Sum of the places' TotalCount as last reported. */
  total: number;
  loading: boolean;
  /** Each account's regions, in the order it lists them (known once it started). */
  scopes: Record<string, string[]>;
  /** By `placeKey(profileId, region)`. */
  progress: Record<string, PlaceProgress>;
  /** Accounts that could not be listed at all. */
  accountErrors: Record<string, unknown>;
  /**
   * The listing's own failure; for one account, that account's failure; for one place,
   * that place's failure.
   */
  error: unknown;
  /** Failure messages of settled operations, by instance id. */
  failures: Record<string, string>;
  /** While cached rows are shown: the oldest shown cache's time (ms since the epoch). */
  staleSince: number | null;
};

const EMPTY: Listing = {
  rows: [],
  total: 0,
  loading: false,
  scopes: {},
  progress: {},
  accountErrors: {},
  error: null,
  failures: {},
  staleSince: null,
};

/** Applies one pushed change to the rows of its account and region. */
function applyChange(rows: InstanceView[], c: InstanceChange): InstanceView[] {
  const mine = (r: InstanceView) =>
    r.id === c.instanceId && r.profileId === c.profileId && r.region === c.region;
  if (c.settled && c.state === null) return rows.filter((r) => !mine(r));
  return rows.map((r) => (!mine(r) ? r : (c.instance ?? (c.state ? { ...r, state: c.state } : r))));
}

/**
 * What the first render shows: the cached list the page's document carried when it is
 * this scope's (one account, one region), exactly as the listing shows it once it has
 * taken that list, so the first frame already has the rows; otherwise nothing yet.
 */
function firstListing(targets: FleetTarget[] | null, key: string): Listing & { key: string } {
  const only = targets?.length === 1 ? targets[0] : undefined;
  const region = only?.regions?.length === 1 ? only.regions[0] : undefined;
  const list = only && region ? peekBootCache(only.profileId, region) : undefined;
  if (!list) return { ...EMPTY, key: "" };
  const rows = new Map<string, InstanceView>();
  for (const i of list.instances) rows.set(rowKey(i), i);
  const staleSince = list.savedAtMs ?? Date.now();
  return {
    ...EMPTY,
    key,
    loading: true,
    rows: [...rows.values()],
    staleSince,
    progress: {
      [placeKey(list.profileId, list.region)]: {
        loaded: 0,
        total: null,
        status: "waiting",
        error: null,
        staleSince,
      },
    },
  };
}

/**
 * At most one render of a streaming listing per this many milliseconds: 200, growing with
 * the rows listed to a second at 25,000. Each render rebuilds the table's row objects for
 * every row so far, and what a large fleet's rebuilds leave behind is heap WebKit keeps
 * (docs/PERFORMANCE.md "The fleet table").
 */
export function publishEvery(rows: number): number {
  return Math.min(1000, Math.max(200, rows / 25));
}

/**
 * The instances of a scope: a set of accounts, each over the given regions (null: its
 * enabled regions); `targets` null means every profile. The cached lists show first,
 * marked stale per place, then the fresh listing streams page by page, each (account,
 * region) reporting its own progress, failure and staleness; one that fails does not stop
 * the others. `slot`: a newer listing in the same slot cancels the older one. `apply`
 * folds in the state changes an action streams. `reload` changes to list again. `tags`:
 * conditions every listed instance meets, sent as Tencent's `tag:<key>`/`tag-key` Filters
 * so only matches are paged (the cached lists standing in meanwhile are whole: the caller
 * narrows them too).
 */
export function useListing(
  targets: FleetTarget[] | null,
  reload: number,
  slot: string,
  tags: TagCondition[] = [],
): Listing & { apply: (c: InstanceChange) => void } {
  const scope = JSON.stringify(targets);
  const tagScope = JSON.stringify(tags);
  const none = targets !== null && targets.length === 0;
  const key = `${scope}|${tagScope}|${reload}`;
  const [listing, setListing] = useState(() => firstListing(targets, key));

  // Before the browser paints: the listing's first calls run while the first frame is
  // laid out and painted, not after it.
  useLayoutEffect(() => {
    const chosen = JSON.parse(scope) as FleetTarget[] | null;
    const conditions = JSON.parse(tagScope) as TagCondition[];
    if (chosen !== null && chosen.length === 0) return;
    // One place named up front: its failure is the listing's (the page shows it as such).
    const only =
      chosen?.length === 1 && chosen[0]?.regions?.length === 1
        ? placeKey(chosen[0].profileId, chosen[0].regions[0] ?? "")
        : null;
    let current = true;
    // Rows are stored with their repeated strings, tags and empty arrays shared.
    const interner = new RowInterner();
    const fresh = new Map<string, InstanceView>();
    const cached = new Map<string, InstanceView>();
    const done = new Set<string>();
    const progress: Record<string, PlaceProgress> = {};
    const scopes: Record<string, string[]> = {};
    const accountErrors: Record<string, unknown> = {};
    let lastPublish = 0;
    let publishedRows = 0;
    let ended = false;
    let pending: ReturnType<typeof setTimeout> | null = null;
    const publish = (extra: Partial<Listing> = {}) => {
      if (!current) return;
      if (pending !== null) clearTimeout(pending);
      pending = null;
      lastPublish = performance.now();
      const rows = mergeRows(fresh, cached, done);
      publishedRows = rows.length;
      let total = 0;
      let staleSince: number | null = null;
      for (const p of Object.values(progress)) {
        total += p.total ?? 0;
        if (p.staleSince !== null)
          staleSince = staleSince === null ? p.staleSince : Math.min(staleSince, p.staleSince);
      }
      setListing((l) => ({
        ...(l.key === key ? l : { ...EMPTY, loading: true }),
        key,
        rows,
        total,
        staleSince,
        scopes: { ...scopes },
        progress: { ...progress },
        accountErrors: { ...accountErrors },
        ...extra,
      }));
    };
    const place = (p: string, r: string): PlaceProgress =>
      (progress[placeKey(p, r)] ??= {
        loaded: 0,
        total: null,
        status: "waiting",
        error: null,
        staleSince: null,
      });
    // The cache first (a local read of a few milliseconds), so the last known rows show,
    // marked stale, before the fresh listing starts.
    const cache = instancesBackend.cachedFleet(chosen).then(
      (lists) => {
        if (!current) return;
        for (const l of lists) {
          for (const i of l.instances) {
            const r = interner.row(i);
            cached.set(rowKey(r), r);
          }
          place(l.profileId, l.region).staleSince = l.savedAtMs ?? Date.now();
        }
      },
      () => undefined, // a cache is a convenience
    );
    void cache.then(() => {
      if (!current) return;
      if (cached.size > 0) publish();
      instancesBackend
        .streamFleet(
          chosen,
          slot,
          (e) => {
            if (!current) return;
            if (e.kind === "scope") {
              scopes[e.profileId] = e.regions;
              for (const r of e.regions) place(e.profileId, r);
              // A cached list of a region this account no longer lists (disabled since)
              // would stand in forever: drop it, rows and place.
              const listed = new Set(e.regions);
              for (const [k, r] of cached)
                if (r.profileId === e.profileId && !listed.has(r.region)) cached.delete(k);
              for (const k of Object.keys(progress)) {
                const [p, r] = k.split("\u0000");
                if (p === e.profileId && r !== undefined && !listed.has(r))
                  Reflect.deleteProperty(progress, k);
              }
            } else if (e.kind === "accountFailed") {
              accountErrors[e.profileId] = e.error;
            } else {
              const ev = e.event;
              const region =
                ev.kind === "page"
                  ? ev.page.region
                  : ev.kind === "done"
                    ? ev.summary.region
                    : ev.region;
              const p = place(e.profileId, region);
              const k = placeKey(e.profileId, region);
              switch (ev.kind) {
                case "started":
                  p.status = "loading";
                  break;
                case "page":
                  for (const i of ev.page.instances) {
                    const r = interner.row(i);
                    fresh.set(rowKey(r), r);
                  }
                  p.loaded += ev.page.instances.length;
                  p.total = ev.page.total;
                  p.status = "loading";
                  break;
                case "done":
                  done.add(k);
                  p.loaded = ev.summary.loaded;
                  p.total = ev.summary.total;
                  p.status = "done";
                  p.staleSince = null;
                  break;
                case "failed":
                  p.status = "failed";
                  p.error = ev.error;
                  break;
              }
              progress[k] = { ...p };
              // Pages arrive up to ~40 a second and each place starts and ends: the first
              // rows show at once, the rest are folded into one render per `publishEvery`,
              // so a large table is not rebuilt hundreds of times. The listing's end
              // publishes at once (below).
              const rowsNow = fresh.size + cached.size;
              const wait = publishEvery(rowsNow);
              const firstRows = publishedRows === 0 && rowsNow > 0;
              // The end shows at once: every place finished, or the stream's command has
              // answered (a channel's last messages can arrive after its command's answer).
              const finished =
                ended ||
                Object.values(progress).every((q) => q.status === "done" || q.status === "failed");
              if (!firstRows && !finished && performance.now() - lastPublish < wait) {
                pending ??= setTimeout(() => publish(), wait);
                return;
              }
            }
            publish();
          },
          conditions.length > 0 ? conditions : null,
        )
        .then(
          (summary) => {
            ended = true;
            if (!current || summary.superseded) return;
            const account = chosen?.length === 1 ? accountErrors[chosen[0]?.profileId ?? ""] : null;
            const failed = account ?? (only ? (progress[only]?.error ?? null) : null);
            publish({ loading: false, error: failed });
          },
          (error: unknown) => {
            ended = true;
            publish({ loading: false, error });
          },
        );
    });
    return () => {
      current = false;
      if (pending !== null) clearTimeout(pending);
    };
  }, [scope, tagScope, slot, key]);

  const apply = useCallback(
    (c: InstanceChange) =>
      setListing((l) => ({
        ...l,
        rows: applyChange(l.rows, c),
        failures: c.failure ? { ...l.failures, [c.instanceId]: c.failure } : l.failures,
      })),
    [],
  );

  if (none) return { ...EMPTY, apply };
  return listing.key === key ? { ...listing, apply } : { ...EMPTY, loading: true, apply };
}
