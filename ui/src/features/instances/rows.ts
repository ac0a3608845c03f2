// The listed rows, kept small: a listing of 30,000 instances repeats the same few dozen
// zones, types, states, regions, profile ids and tags thousands of times, and every
// string parsed from an IPC page is a copy of its own.
import type { InstanceView, TagView } from "../../backend";

const NONE: readonly never[] = Object.freeze([]);

/**
 * Interns the repeated parts of a listing's rows: one string per distinct zone, type,
 * state, region, profile id, billing, name, expiry and operation text (names repeat in
 * scaling groups; ids, IPs and creation times are left as they are: nearly all distinct,
 * a table entry each would cost more than it saves), one frozen object per distinct
 * tag, one frozen array per distinct tag set, and one shared empty array. The rows keep
 * their shape (`InstanceView`, the same fields in the same order) and their values; only
 * equal strings, tags and empty arrays become the same object. One per listing: it keeps
 * what it interned until the listing is dropped.
 */
export class RowInterner {
  private strings = new Map<string, string>();
  private tagOf = new Map<string, TagView>();
  private tagSets = new Map<string, readonly TagView[]>();

  /** The one copy of `s` (the first seen). */
  str<T extends string | null>(s: T): T {
    if (s === null) return s;
    const known = this.strings.get(s);
    if (known !== undefined) return known as T;
    this.strings.set(s, s);
    return s;
  }

  // A list missing from a row (never from the backend's) stays missing.
  private tags(tags: readonly TagView[] | undefined): readonly TagView[] | undefined {
    if (tags === undefined) return tags;
    if (tags.length === 0) return NONE;
    let sig = "";
    for (const t of tags) sig += `${t.key}\u0000${t.value}\u0001`;
    const known = this.tagSets.get(sig);
    if (known) return known;
    const set = Object.freeze(
      tags.map((t) => {
        const k = `${t.key}\u0000${t.value}`;
        let tag = this.tagOf.get(k);
        if (!tag) {
          tag = Object.freeze({ key: this.str(t.key), value: this.str(t.value) });
          this.tagOf.set(k, tag);
        }
        return tag;
      }),
    );
    this.tagSets.set(sig, set);
    return set;
  }

  private ips(ips: readonly string[] | undefined): string[] {
    return (ips?.length === 0 ? NONE : ips) as string[];
  }

  /** The row with its repeated parts interned (a new object; `i` is not changed). */
  row(i: InstanceView): InstanceView {
    const r: InstanceView = {
      id: i.id,
      profileId: this.str(i.profileId),
      region: this.str(i.region),
      name: this.str(i.name),
      state: this.str(i.state),
      zone: this.str(i.zone),
      instanceType: this.str(i.instanceType),
      cpu: i.cpu,
      memoryGib: i.memoryGib,
      privateIps: this.ips(i.privateIps),
      publicIps: this.ips(i.publicIps),
      chargeType: this.str(i.chargeType),
      internetChargeType: this.str(i.internetChargeType),
      bandwidthOutMbps: i.bandwidthOutMbps,
      expiredTime: this.str(i.expiredTime),
      createdTime: i.createdTime,
      tags: this.tags(i.tags) as TagView[],
      osName: this.str(i.osName),
      restrictState: this.str(i.restrictState),
      stopChargingMode: this.str(i.stopChargingMode),
      disableApiTermination: i.disableApiTermination,
      latestOperation: this.str(i.latestOperation),
      latestOperationState: this.str(i.latestOperationState),
      latestOperationRequestId: i.latestOperationRequestId,
      latestOperationError: this.str(i.latestOperationError),
    };
    // The backend always sends it (as null when unknown); a row without it stays without.
    if (!("latestOperationRequestId" in i)) delete r.latestOperationRequestId;
    return r;
  }
}

export const placeKey = (profileId: string, region: string) => `${profileId}\u0000${region}`;
/** A row's identity: an instance id is only unique within its account and region. */
const keys = new WeakMap<InstanceView, string>();

/**
 * A row's key: account, region and instance id. Kept per row object: the table asks for
 * every row's key each time it rebuilds its rows, and a streaming fleet listing rebuilds
 * them many times over 30,000 rows.
 */
export function rowKey(i: InstanceView): string {
  let k = keys.get(i);
  if (k === undefined) {
    k = `${i.profileId}\u0000${i.region}\u0000${i.id}`;
    keys.set(i, k);
  }
  return k;
}

/**
 * Merges fresh and cached rows (both by `rowKey`): fresh rows win; a place's cached rows
 * show until its fresh listing completed (then only what the API returned remains).
 */
export function mergeRows(
  fresh: Map<string, InstanceView>,
  cached: Map<string, InstanceView>,
  donePlaces: Set<string>,
): InstanceView[] {
  const out = [...fresh.values()];
  for (const [k, r] of cached)
    if (!fresh.has(k) && !donePlaces.has(placeKey(r.profileId, r.region))) out.push(r);
  return out;
}
