// Which lifecycle actions the API accepts in which instance state (reference §6.2). The
// backend and the API stay the authority; this only keeps buttons honest.
import type { InstanceView } from "../../backend";

export type ActionKind = "start" | "stop" | "reboot" | "terminate" | "rename" | "resetPassword";

export const ACTIONS: ActionKind[] = [
  "start",
  "stop",
  "reboot",
  "rename",
  "resetPassword",
  "terminate",
];

export const ACCEPTED: Record<ActionKind, readonly string[]> = {
  start: ["STOPPED"],
  stop: ["RUNNING"],
  reboot: ["RUNNING"],
  terminate: ["RUNNING", "STOPPED", "SHUTDOWN"],
  rename: ["RUNNING", "STOPPED"],
  // RUNNING needs a forced stop, which the dialog offers.
  resetPassword: ["STOPPED", "RUNNING"],
};

export const TRANSIENT = new Set([
  "PENDING",
  "STARTING",
  "STOPPING",
  "REBOOTING",
  "TERMINATING",
  "ENTER_RESCUE_MODE",
  "EXIT_RESCUE_MODE",
  "ENTER_SERVICE_LIVE_MIGRATE",
  "SERVICE_LIVE_MIGRATE",
  "EXIT_SERVICE_LIVE_MIGRATE",
]);

/** The badge colour family of a state. */
export function stateTone(state: string): "ok" | "stopped" | "busy" | "bad" | "neutral" {
  if (state === "RUNNING") return "ok";
  if (state === "STOPPED") return "stopped";
  if (TRANSIENT.has(state)) return "busy";
  if (state === "LAUNCH_FAILED" || state === "SHUTDOWN") return "bad";
  return "neutral";
}

export type Availability =
  | { enabled: true }
  | { enabled: false; reason: "noSelection" | "readOnly" | "wrongState"; blocking?: InstanceView };

/**
 * An action is available when something is selected, no selected row belongs to a locked
 * (read-only) profile, and every selected instance is in a state it accepts. `locked` is
 * one answer for a single-profile list, or each row's profile's answer in a fleet.
 */
export function availability(
  action: ActionKind,
  selected: InstanceView[],
  locked: boolean | ((i: InstanceView) => boolean),
): Availability {
  if (selected.length === 0) return { enabled: false, reason: "noSelection" };
  if (typeof locked === "function" ? selected.some(locked) : locked)
    return { enabled: false, reason: "readOnly" };
  const blocking = selected.find((i) => !ACCEPTED[action].includes(i.state));
  if (blocking) return { enabled: false, reason: "wrongState", blocking };
  return { enabled: true };
}

/** Prepaid instances are money already paid: terminating them needs typed confirmation. */
export function isPrepaid(i: InstanceView): boolean {
  return i.chargeType === "PREPAID";
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A prepaid instance's expiry as the list shows it: days left, "soon" within 7 days. */
export type Expiry = { days: number; tone: "expired" | "soon" | "ok" } | null;

export function expiryInfo(i: InstanceView, now: number): Expiry {
  if (i.chargeType !== "PREPAID" || !i.expiredTime) return null;
  const at = Date.parse(i.expiredTime);
  if (Number.isNaN(at)) return null;
  const days = Math.ceil((at - now) / DAY_MS);
  return { days, tone: at <= now ? "expired" : days <= 7 ? "soon" : "ok" };
}

/** The list's local filters, applied together. */
export type Filters = {
  text: string;
  state: string;
  zone: string;
  billing: string;
  /** Only prepaid instances that expire within 7 days (or already have). */
  expiring: boolean;
};

export const NO_FILTERS: Filters = { text: "", state: "", zone: "", billing: "", expiring: false };

/** Instant local filter over name, id, IPs and tags, state, zone, billing and expiry. */
export function matches(i: InstanceView, f: Filters, now: number): boolean {
  return matcher(f, now)(i);
}

/**
 * The filter as a predicate, for testing every row: the query is trimmed and lower-cased
 * once, not once per row.
 */
function matcher(f: Filters, now: number): (i: InstanceView) => boolean {
  const q = f.text.trim().toLowerCase();
  return (i) => {
    if (f.state && i.state !== f.state) return false;
    if (f.zone && i.zone !== f.zone) return false;
    if (f.billing && i.chargeType !== f.billing) return false;
    if (f.expiring) {
      const e = expiryInfo(i, now);
      if (!e || e.tone === "ok") return false;
    }
    return !q || haystack(i).includes(q);
  };
}

/**
 * Filters a list as the user types, narrowing the last answers instead of testing every
 * row again: a row that contains "web-p" also contains "web-", so typing forward only
 * re-tests the previous matches, and deleting back to an earlier text reuses its answer.
 * Answers are kept for one list and one set of the other filters (any change starts
 * over), at most `limit` texts.
 */
export class NarrowingFilter {
  private rows: readonly InstanceView[] | null = null;
  private key = "";
  private byText = new Map<string, InstanceView[]>();

  constructor(private readonly limit = 64) {}

  apply(rows: readonly InstanceView[], f: Filters, now: number): InstanceView[] {
    const key = `${f.state}\u0000${f.zone}\u0000${f.billing}\u0000${f.expiring}\u0000${now}`;
    if (rows !== this.rows || key !== this.key || this.byText.size >= this.limit) {
      this.rows = rows;
      this.key = key;
      this.byText.clear();
    }
    const q = f.text.trim().toLowerCase();
    const known = this.byText.get(q);
    if (known) return known;
    // The narrowest earlier answer whose text is part of this one.
    let base: readonly InstanceView[] = rows;
    for (const [text, answer] of this.byText)
      if (q.includes(text) && answer.length < base.length) base = answer;
    const answer = base.filter(matcher(f, now));
    this.byText.set(q, answer);
    return answer;
  }
}

const haystacks = new WeakMap<InstanceView, string>();

/**
 * What the text filter searches, lower-cased once per row (rows are immutable: a change
 * makes a new object): name, id, IPs and `key:value` tags, split by a character no query
 * contains, so a match never spans two fields.
 */
function haystack(i: InstanceView): string {
  let h = haystacks.get(i);
  if (h === undefined) {
    // Concatenated in place (no arrays to spread, map and join: the first keystroke builds
    // one per row).
    h = `${i.name}\u0000${i.id}`;
    for (const ip of i.privateIps) h += `\u0000${ip}`;
    for (const ip of i.publicIps) h += `\u0000${ip}`;
    for (const t of i.tags) h += `\u0000${t.key}:${t.value}`;
    h = h.toLowerCase();
    haystacks.set(i, h);
  }
  return h;
}

/** Rows of one account in one region: an action's share that goes to one endpoint. */
export type Place = { profileId: string; region: string; rows: InstanceView[] };

/**
 * The selection by (account, region), in first-seen order: each share goes through its
 * own profile's client to its own region.
 */
export function byPlace(rows: InstanceView[]): Place[] {
  const groups = new Map<string, Place>();
  for (const r of rows) {
    const key = `${r.profileId}\u0000${r.region}`;
    const g = groups.get(key);
    if (g) g.rows.push(r);
    else groups.set(key, { profileId: r.profileId, region: r.region, rows: [r] });
  }
  return [...groups.values()];
}

/** Columns the chooser offers; "name" is always shown. */
export const COLUMNS = [
  "account",
  "region",
  "state",
  "zone",
  "instanceType",
  "size",
  "privateIp",
  "publicIp",
  "chargeType",
  "network",
  "expiry",
  "created",
  "tags",
  "cpu",
] as const;
export type ColumnId = (typeof COLUMNS)[number];

const COLUMNS_KEY = "cvm.instances.hiddenColumns";

/**
 * Hidden until the user chooses: what is left (name, state, type, public IP, expiry, tags)
 * fits the default 1280 px window without scrolling sideways. The instance list never
 * shows the account column (it lists one profile).
 */
const DEFAULT_HIDDEN: ColumnId[] = [
  // Off until asked for: each screenful costs GetMonitorData calls (billed past a
  // monthly free quota).
  "cpu",
  "zone",
  "size",
  "privateIp",
  "chargeType",
  "network",
  "created",
];

/**
 * The fleet's defaults: account and region show, so expiry and public IP give way to fit
 * the default 1280 px window.
 */
export const FLEET_HIDDEN: ColumnId[] = [...DEFAULT_HIDDEN, "expiry", "publicIp"];

/** The columns the user hid (persisted in the web view's local storage), else the default. */
export function loadHiddenColumns(key = COLUMNS_KEY, defaults = DEFAULT_HIDDEN): ColumnId[] {
  const saved = localStorage.getItem(key);
  if (saved === null) return [...defaults];
  try {
    const v: unknown = JSON.parse(saved);
    return Array.isArray(v) ? v.filter((c): c is ColumnId => COLUMNS.includes(c as ColumnId)) : [];
  } catch {
    return [];
  }
}

export function saveHiddenColumns(hidden: ColumnId[], key = COLUMNS_KEY) {
  localStorage.setItem(key, JSON.stringify(hidden));
}
