// The list's CPU sparklines: fetched only for the rows on screen, 10 instances a call,
// kept for a minute, and dropped from the queue when their rows scroll away before their
// call goes out (a call already sent completes and fills the cache).
import { useSyncExternalStore } from "react";
import { metricsBackend } from "../../backend";

const BATCH = 10;
const TTL_MS = 60_000;
/** Calls in flight at once: a screenful needs two or three, one more waits. */
const PARALLEL = 2;

export type Spark = { values: (number | null)[]; last: number | null; at: number };

type Key = string;
const keyOf = (profileId: string, region: string, id: string): Key =>
  `${profileId}|${region}|${id}`;

const cache = new Map<Key, Spark>();
const inFlight = new Set<Key>();
let queue: { profileId: string; region: string; ids: string[] }[] = [];
let running = 0;
let version = 0;
const listeners = new Set<() => void>();

/** Counters a benchmark or test reads: calls sent, batches dropped before sending. */
export const sparkStats = { calls: 0, cancelled: 0, failed: 0 };

function changed() {
  version++;
  for (const l of listeners) l();
}

function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}

const never = () => () => undefined;

/** Re-renders on every batch that arrives (while `on`). */
export function useSparkVersion(on = true): number {
  return useSyncExternalStore(on ? subscribe : never, () => (on ? version : 0));
}

export function sparkFor(profileId: string, region: string, id: string): Spark | undefined {
  return cache.get(keyOf(profileId, region, id));
}

/**
 * "CPU now": the series' last value while it is recent (within five periods of `nowSec`:
 * Cloud Monitor's points arrive a minute or two late), else none. A stopped instance's
 * series ends where it stopped; its last value is history, not now.
 */
export function latest(
  s: { timestamps: (number | null)[]; values: (number | null)[]; period: number },
  nowSec: number,
): number | null {
  const t = s.timestamps.at(-1);
  const v = s.values.at(-1);
  if (t == null || v == null) return null;
  return nowSec - t <= 5 * s.period ? v : null;
}

function fresh(k: Key, now: number): boolean {
  const s = cache.get(k);
  return !!s && now - s.at < TTL_MS;
}

function pump() {
  while (running < PARALLEL && queue.length > 0) {
    const batch = queue.shift();
    if (!batch) break;
    const keys = batch.ids.map((id) => keyOf(batch.profileId, batch.region, id));
    keys.forEach((k) => inFlight.add(k));
    running++;
    sparkStats.calls++;
    metricsBackend
      .cpuSparklines(batch.profileId, batch.region, batch.ids)
      .then(
        (series) => {
          const at = Date.now();
          for (const s of series) {
            cache.set(keyOf(batch.profileId, batch.region, s.instanceId), {
              values: s.values,
              last: latest(s, at / 1000),
              at,
            });
          }
        },
        () => {
          // A refused or failed batch is remembered as empty for the minute, so a
          // permission error does not turn every scroll into another refused call.
          sparkStats.failed++;
          const at = Date.now();
          for (const id of batch.ids)
            cache.set(keyOf(batch.profileId, batch.region, id), { values: [], last: null, at });
        },
      )
      .finally(() => {
        keys.forEach((k) => inFlight.delete(k));
        running--;
        changed();
        pump();
      });
  }
}

/**
 * The rows now on screen: plans their missing sparklines in batches of 10 per region and
 * replaces whatever was still queued (those rows left the screen).
 */
export function showRows(profileId: string, rows: readonly { id: string; region: string }[]) {
  const now = Date.now();
  const byRegion = new Map<string, string[]>();
  for (const r of rows) {
    const k = keyOf(profileId, r.region, r.id);
    if (fresh(k, now) || inFlight.has(k)) continue;
    const list = byRegion.get(r.region) ?? [];
    list.push(r.id);
    byRegion.set(r.region, list);
  }
  const plan: typeof queue = [];
  for (const [region, ids] of byRegion)
    for (let i = 0; i < ids.length; i += BATCH)
      plan.push({ profileId, region, ids: ids.slice(i, i + BATCH) });
  sparkStats.cancelled += queue.length;
  queue = plan;
  pump();
}

/** Forgets everything (tests). */
export function resetSparklines() {
  cache.clear();
  inFlight.clear();
  queue = [];
  running = 0;
  sparkStats.calls = 0;
  sparkStats.cancelled = 0;
  sparkStats.failed = 0;
  changed();
}

/**
 * How long the list must rest before the rows on screen get their sparklines: no scroll
 * event for this long, or for twice the gap between the last two scroll events when that
 * is longer (a fling on a busy machine comes in frames further apart than this, and each
 * of them is not a rest).
 */
export const SETTLE_MS = 150;

/** Milliseconds still to wait, after the scroll events seen, before scrolling has stopped. */
export function restLeft(scrolls: { last: number; gap: number }, now: number): number {
  const rest = Math.max(SETTLE_MS, 2 * scrolls.gap);
  return scrolls.last + rest - now;
}
