// The fleet's filters: tag keys and key=value pairs (checked against Tencent's tag naming
// rules), and saved named views (accounts, regions, tags, text, state) kept by the
// backend, opened from the fleet page and the command palette.
import { useSyncExternalStore } from "react";
import { useQuery } from "@tanstack/react-query";
import {
  BackendError,
  type InstanceView,
  type SavedView,
  type ViewDraft,
  viewsBackend,
} from "../../backend";

/** A view's filters. null accounts/regions: every profile / each account's enabled regions. */
export type FleetView = {
  name: string;
  accounts: string[] | null;
  regions: string[] | null;
  tags: string;
  text: string;
  state: string;
};

/** A field-level problem: the field and the catalog key of its message. */
export type FieldError = { field: string; message: string; values?: Record<string, unknown> };

/** Tencent's limits (Tag, "Use Limits", tencentcloud.com/document/product/651/13354). */
export const TAG_KEY_MAX = 127;
const TAG_VALUE_MAX = 255;
/**
 * Letters (any script), digits, inner spaces and the listed punctuation, English and Chinese:
 * the backend's rule (Rust's `char::is_alphanumeric` is Unicode Alphabetic or Numeric).
 */
const TAG_CHARS = /^[\p{Alphabetic}\p{N} +\-=._:/@()[\],;><【】（）：]+$/u;
/** Reserved key prefixes, as the backend has them: `qcs:` and `project` in any ASCII case, `项目`. */
const RESERVED = ["qcs:", "project", "项目"];

/** Lower-cases A-Z only, as the backend compares (no Unicode case folding). */
const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** Why a tag key is not one Tencent accepts, or null. */
export function tagKeyProblem(key: string): FieldError | null {
  const n = [...key].length;
  if (n === 0) return { field: "tagKey", message: "fleet.tagError.empty" };
  if (n > TAG_KEY_MAX)
    return { field: "tagKey", message: "fleet.tagError.tooLong", values: { max: TAG_KEY_MAX } };
  if (key !== key.trim()) return { field: "tagKey", message: "fleet.tagError.spaces" };
  if (!TAG_CHARS.test(key)) {
    const bad = [...key].find((c) => !TAG_CHARS.test(c)) ?? "";
    return { field: "tagKey", message: "fleet.tagError.chars", values: { char: bad } };
  }
  if (RESERVED.some((r) => asciiLower(key).startsWith(r)))
    return { field: "tagKey", message: "fleet.tagError.reserved" };
  return null;
}

/** Why a tag value is not one Tencent accepts, or null. */
export function tagValueProblem(value: string): FieldError | null {
  const n = [...value].length;
  if (n === 0) return { field: "tagValue", message: "fleet.tagError.emptyValue" };
  if (n > TAG_VALUE_MAX)
    return {
      field: "tagValue",
      message: "fleet.tagError.valueTooLong",
      values: { max: TAG_VALUE_MAX },
    };
  if (value !== value.trim()) return { field: "tagValue", message: "fleet.tagError.spaces" };
  if (!TAG_CHARS.test(value)) {
    const bad = [...value].find((c) => !TAG_CHARS.test(c)) ?? "";
    return { field: "tagValue", message: "fleet.tagError.chars", values: { char: bad } };
  }
  return null;
}

/** One tag condition: a key that must be present, with this value when one is given. */
export type TagCondition = { key: string; value: string | null };

/**
 * The tag filter as typed: conditions separated by commas, each `key` or `key=value`
 * (the first `=` splits; a value may contain more). Every condition must hold.
 */
export function parseTagFilter(
  text: string,
): { ok: true; conditions: TagCondition[] } | { ok: false; error: FieldError } {
  const conditions: TagCondition[] = [];
  for (const part of text.split(",")) {
    const p = part.trim();
    if (!p) continue;
    const eq = p.indexOf("=");
    const key = (eq < 0 ? p : p.slice(0, eq)).trim();
    const value = eq < 0 ? null : p.slice(eq + 1).trim();
    const bad = tagKeyProblem(key) ?? (value === null ? null : tagValueProblem(value));
    if (bad) return { ok: false, error: { ...bad, field: "tagFilter" } };
    conditions.push({ key, value });
  }
  return { ok: true, conditions };
}

/** Whether the instance carries every condition's key (and value). */
export function matchesTags(i: InstanceView, conditions: TagCondition[]): boolean {
  return conditions.every((c) =>
    i.tags.some((t) => t.key === c.key && (c.value === null || t.value === c.value)),
  );
}

/**
 * Whether a listing asked with `listed` already holds every instance `wanted` matches, so
 * `wanted` can be applied locally to its rows instead of listing again: each listed
 * condition is implied by one wanted (the same key with the same value, or a key-only
 * one by any condition on that key).
 */
export function coversTags(listed: TagCondition[], wanted: TagCondition[]): boolean {
  return listed.every((l) =>
    wanted.some((w) => w.key === l.key && (l.value === null || w.value === l.value)),
  );
}

/** The web view's own list, from before the backend kept the views. */
const LOCAL_KEY = "cvm.fleet.views";
const VIEW_NAME_MAX = 64;
export const viewsKey = ["saved-views"] as const;

function localViews(raw: string): FleetView[] {
  try {
    const v: unknown = JSON.parse(raw);
    return Array.isArray(v) ? (v as FleetView[]).filter((x) => typeof x?.name === "string") : [];
  } catch {
    return [];
  }
}

/**
 * The saved views. The first read after an update hands the web view's old list to the
 * backend, which imports it once, and then forgets it here.
 */
export async function loadViews(): Promise<SavedView[]> {
  const raw = localStorage.getItem(LOCAL_KEY);
  if (raw === null) return viewsBackend.listViews();
  const drafts: ViewDraft[] = localViews(raw).map((v) => ({
    name: v.name,
    accounts: v.accounts ?? null,
    regions: v.regions ?? null,
    tags: v.tags ?? "",
    text: v.text ?? "",
    state: v.state ?? "",
  }));
  const r = await viewsBackend.importLocalViews(drafts);
  localStorage.removeItem(LOCAL_KEY);
  return r.views;
}

/** The saved views, kept current across the app. */
export function useViews(): SavedView[] {
  const q = useQuery({ queryKey: viewsKey, queryFn: loadViews, staleTime: Infinity });
  return q.data ?? NO_VIEWS;
}
const NO_VIEWS: SavedView[] = [];

/** Why `name` cannot name a view beside the others (`except`: the one being renamed). */
export function viewNameProblem(
  name: string,
  existing: SavedView[],
  except?: string,
): FieldError | null {
  const n = name.trim();
  if (!n) return { field: "viewName", message: "fleet.views.error.empty" };
  if ([...n].length > VIEW_NAME_MAX)
    return {
      field: "viewName",
      message: "fleet.views.error.tooLong",
      values: { max: VIEW_NAME_MAX },
    };
  if (existing.some((v) => v.id !== except && v.name.toLowerCase() === n.toLowerCase()))
    return { field: "viewName", message: "fleet.views.error.duplicate", values: { name: n } };
  return null;
}

/** A refusal as a field error: the backend's field, worded by the catalogs when known. */
export function refusal(e: unknown): FieldError {
  const field = e instanceof BackendError ? e.detail.field : null;
  const known = ["name", "accounts", "regions", "tags", "text", "state"];
  if (field && known.includes(field))
    return {
      field: field === "name" ? "viewName" : field,
      message: `fleet.views.error.field.${field}`,
      values: { detail: e instanceof Error ? e.message : String(e) },
    };
  return { field: "view", message: "fleet.views.error.other", values: { detail: String(e) } };
}

/** Checks the name and tag filter here (worded in the UI's language), then saves. */
export async function saveView(view: FleetView, existing: SavedView[]): Promise<FieldError | null> {
  const bad = viewNameProblem(view.name, existing);
  if (bad) return bad;
  const tags = parseTagFilter(view.tags);
  if (!tags.ok) return tags.error;
  try {
    await viewsBackend.saveView({ ...view, name: view.name.trim() });
    return null;
  } catch (e) {
    return refusal(e);
  }
}

// A view asked for from the palette, for the fleet page to open (it may not be mounted yet).
let requested: FleetView | null = null;
const requestListeners = new Set<() => void>();

export function requestView(v: FleetView) {
  requested = { ...v };
  for (const l of requestListeners) l();
}

/** The view last asked for (a new object per request): the fleet page applies each once. */
export function useRequestedView(): FleetView | null {
  return useSyncExternalStore(
    (l) => {
      requestListeners.add(l);
      return () => requestListeners.delete(l);
    },
    () => requested,
  );
}

// Requests a mounted page has taken: a later mount (coming back to the page) must not
// apply the same request again.
const consumed = new WeakSet<FleetView>();

export function consume(v: FleetView) {
  consumed.add(v);
}

export function isConsumed(v: FleetView): boolean {
  return consumed.has(v);
}
