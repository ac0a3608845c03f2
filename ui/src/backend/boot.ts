// What the first screen needs, as the backend put it in the page's document (a JSON data
// block, `cvm-boot`): the profiles and the active profile's cached list. Each is used once,
// for the first render; everything is then refreshed over IPC as usual. Absent (tests,
// the dev server, a Sandbox still starting), the page asks over IPC as it always did.
import type { CachedList, ProfilesView } from "./bindings";

type Boot = { profiles: ProfilesView | null; cached: CachedList | null };

let boot: Partial<Boot> | undefined;
function read(): Partial<Boot> {
  if (boot) return boot;
  boot = {};
  const el = typeof document === "undefined" ? null : document.getElementById("cvm-boot");
  if (el?.textContent) {
    try {
      boot = JSON.parse(el.textContent) as Partial<Boot>;
    } catch {
      // Not ours to fail on: the page asks over IPC.
    }
    el.remove();
  }
  return boot;
}

/** The profiles the document carried, the first time only. */
export function takeBootProfiles(): ProfilesView | undefined {
  const b = read();
  const profiles = b.profiles ?? undefined;
  b.profiles = null;
  return profiles;
}

/**
 * The cached list the document carried, if it is the one for this account and region,
 * without taking it: the first render shows its rows, the first listing then takes it.
 */
export function peekBootCache(profileId: string, region: string): CachedList | undefined {
  const cached = read().cached;
  return cached && cached.profileId === profileId && cached.region === region ? cached : undefined;
}

/**
 * The cached list the document carried, to the first listing only (the first screen's):
 * returned when it is the one asked for, dropped either way (a later listing reads the
 * cache on disk, which newer listings have updated since).
 */
export function takeBootCache(profileId: string, region: string): CachedList | undefined {
  const b = read();
  const cached = b.cached;
  b.cached = null;
  if (!cached || cached.profileId !== profileId || cached.region !== region) return undefined;
  return cached;
}
