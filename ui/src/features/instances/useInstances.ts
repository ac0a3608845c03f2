import { useCallback, useEffect, useState } from "react";
import { consoleBackend, type InstanceChange, type InstanceView } from "../../backend";

export type Listing = {
  rows: InstanceView[];
  /** TotalCount as last reported; rows.length < total while pages stream in. */
  total: number;
  loading: boolean;
  error: unknown;
  /** Failure messages of settled operations, by instance id. */
  failures: Record<string, string>;
};

const EMPTY: Listing = { rows: [], total: 0, loading: false, error: null, failures: {} };

/** Applies one pushed change to the rows. */
export function applyChange(rows: InstanceView[], c: InstanceChange): InstanceView[] {
  if (c.settled && c.state === null) return rows.filter((r) => r.id !== c.instanceId);
  return rows.map((r) => {
    if (r.id !== c.instanceId) return r;
    if (c.instance) return c.instance;
    return c.state ? { ...r, state: c.state } : r;
  });
}

/**
 * The instances of a region (and zone), streamed page by page. `apply` folds in the
 * state changes the backend streams after an action. `reload` changes to list again.
 */
export function useInstances(
  profileId: string | undefined,
  region: string | null,
  zone: string | null,
  reload: number,
): Listing & { apply: (c: InstanceChange) => void } {
  // State belongs to one listing (key); a new key shows as loading until its pages arrive.
  const key = `${profileId}|${region}|${zone}|${reload}`;
  const [listing, setListing] = useState<Listing & { key: string }>({ ...EMPTY, key: "" });

  useEffect(() => {
    if (!profileId || !region) return;
    let current = true;
    const byId = new Map<string, InstanceView>();
    const fresh = (l: Listing & { key: string }) =>
      l.key === key ? l : { ...EMPTY, loading: true, key };
    consoleBackend
      .listInstances(profileId, region, zone, (page) => {
        if (!current) return;
        for (const i of page.instances) byId.set(i.id, i);
        const rows = [...byId.values()];
        setListing((l) => ({ ...fresh(l), rows, total: page.total }));
      })
      .then(
        (summary) =>
          current && setListing((l) => ({ ...fresh(l), loading: false, total: summary.total })),
        (error: unknown) => current && setListing((l) => ({ ...fresh(l), loading: false, error })),
      );
    return () => {
      current = false;
    };
  }, [profileId, region, zone, reload, key]);

  /** Applies a change streamed by an action of this page. */
  const apply = useCallback(
    (c: InstanceChange) =>
      setListing((l) =>
        c.profileId !== profileId || c.region !== region
          ? l
          : {
              ...l,
              rows: applyChange(l.rows, c),
              failures: c.failure ? { ...l.failures, [c.instanceId]: c.failure } : l.failures,
            },
      ),
    [profileId, region],
  );

  if (!profileId || !region) return { ...EMPTY, apply };
  return listing.key === key ? { ...listing, apply } : { ...EMPTY, loading: true, apply };
}
