import { useCallback, useEffect, useState } from "react";
import {
  type FleetTarget,
  type InstanceChange,
  type InstanceView,
  instancesBackend,
} from "../../backend";

/** How one (account, region)'s listing is going. */
type PlaceProgress = {
  loaded: number;
  /** TotalCount as last reported; null until the first page. */
  total: number | null;
  status: "waiting" | "loading" | "done" | "failed";
  error: unknown;
  /** While cached rows stand in for it: when that list was saved (ms since the epoch). */
  staleSince: number | null;
};

export type FleetListing = {
  /** Fresh rows, plus the cached rows of places whose fresh listing has not completed. */
  rows: InstanceView[];
  loading: boolean;
  /** Each account's regions, in the order it lists them (known once it started). */
  scopes: Record<string, string[]>;
  /** By `placeKey(profileId, region)`. */
  progress: Record<string, PlaceProgress>;
  /** Accounts that could not be listed at all. */
  accountErrors: Record<string, unknown>;
  /** The listing's own failure (a bad request), when it has one. */
  error: unknown;
  failures: Record<string, string>;
};

const EMPTY: FleetListing = {
  rows: [],
  loading: false,
  scopes: {},
  progress: {},
  accountErrors: {},
  error: null,
  failures: {},
};

export const placeKey = (profileId: string, region: string) => `${profileId}\u0000${region}`;
const rowKey = (i: InstanceView) => `${i.profileId}\u0000${i.id}`;

/** At most one render of a streaming listing per this many milliseconds. */
const PUBLISH_MS = 200;
const SLOT = "fleet-page";

/**
 * The fleet's instances: the cached lists of every (account, region) first, marked stale
 * per place, then the fresh listing streamed page by page, each place reporting its own
 * progress, failure and staleness. `targets` null means every profile.
 */
export function useFleet(
  targets: FleetTarget[] | null,
  reload: number,
): FleetListing & { apply: (c: InstanceChange) => void } {
  const scope = JSON.stringify(targets);
  const key = `${scope}|${reload}`;
  const [listing, setListing] = useState<FleetListing & { key: string }>({ ...EMPTY, key: "" });

  useEffect(() => {
    const chosen = JSON.parse(scope) as FleetTarget[] | null;
    let current = true;
    const fresh = new Map<string, InstanceView>();
    const cached = new Map<string, InstanceView>();
    const done = new Set<string>();
    const progress: Record<string, PlaceProgress> = {};
    const scopes: Record<string, string[]> = {};
    const accountErrors: Record<string, unknown> = {};
    let lastPublish = 0;
    let pending: ReturnType<typeof setTimeout> | null = null;
    const publish = (extra: Partial<FleetListing> = {}) => {
      if (!current) return;
      if (pending !== null) clearTimeout(pending);
      pending = null;
      lastPublish = performance.now();
      const rows = [...fresh.values()];
      for (const [k, r] of cached)
        if (!fresh.has(k) && !done.has(placeKey(r.profileId, r.region))) rows.push(r);
      setListing((l) => ({
        ...(l.key === key ? l : { ...EMPTY, loading: true }),
        key,
        rows,
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
    const cache = instancesBackend.cachedFleet(chosen).then(
      (lists) => {
        if (!current) return;
        for (const l of lists) {
          for (const i of l.instances) cached.set(rowKey(i), i);
          place(l.profileId, l.region).staleSince = l.savedAtMs;
        }
      },
      () => undefined, // a cache is a convenience
    );
    void cache.then(() => {
      if (!current) return;
      if (cached.size > 0) publish();
      instancesBackend
        .streamFleet(chosen, SLOT, (e) => {
          if (!current) return;
          if (e.kind === "scope") {
            scopes[e.profileId] = e.regions;
            for (const r of e.regions) place(e.profileId, r);
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
                for (const i of ev.page.instances) fresh.set(rowKey(i), i);
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
            if (ev.kind === "page" && performance.now() - lastPublish < PUBLISH_MS) {
              pending ??= setTimeout(() => publish(), PUBLISH_MS);
              return;
            }
          }
          publish();
        })
        .then(
          (summary) => {
            if (current && !summary.superseded) publish({ loading: false });
          },
          (error: unknown) => publish({ loading: false, error }),
        );
    });
    return () => {
      current = false;
      if (pending !== null) clearTimeout(pending);
    };
  }, [scope, reload, key]);

  /** Applies a state change streamed by an action of this page. */
  const apply = useCallback(
    (c: InstanceChange) =>
      setListing((l) => ({
        ...l,
        rows:
          c.settled && c.state === null
            ? l.rows.filter((r) => !(r.id === c.instanceId && r.profileId === c.profileId))
            : l.rows.map((r) =>
                r.id !== c.instanceId || r.profileId !== c.profileId || r.region !== c.region
                  ? r
                  : (c.instance ?? (c.state ? { ...r, state: c.state } : r)),
              ),
        failures: c.failure ? { ...l.failures, [c.instanceId]: c.failure } : l.failures,
      })),
    [],
  );

  return listing.key === key ? { ...listing, apply } : { ...EMPTY, loading: true, apply };
}
