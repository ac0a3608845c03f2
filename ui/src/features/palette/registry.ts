// App-wide navigation and the commands the current page offers to the command palette
// and the keyboard shortcuts. Pages register what they can do (refresh, focus their
// search, their lifecycle actions on the selection); the palette only dispatches to
// those callbacks, so every action still runs through the page's own flow and dialogs.
import { useEffect, useSyncExternalStore } from "react";

export type Page =
  | "instances"
  | "fleet"
  | "create"
  | "cost"
  | "resources"
  | "activity"
  | "profiles"
  | "settings"
  | "overview"
  | "terminals"
  | "detail";

/** The instance the detail view shows. */
export interface DetailTarget {
  /** Default: the active profile. */
  profileId?: string;
  region: string;
  instanceId: string;
}

/** One of the page's actions on its selection, as the page's own button would run it. */
interface PageAction {
  id: string;
  label: string;
  /** Why it cannot run now (shown in the palette; the action is then disabled). */
  disabledReason?: string;
  run: () => void;
}

/** An instance the palette can open by name or id. */
interface PaletteInstance {
  id: string;
  name: string;
  region: string;
  state: string;
}

export interface PageCommands {
  refresh?: () => void;
  focusSearch?: () => void;
  switchRegion?: (region: string) => void;
  actions?: PageAction[];
  instances?: PaletteInstance[];
  profileId?: string;
}

interface NavState {
  page: Page;
  detail: DetailTarget | null;
  /** The page shown before the detail view (where "Back" returns). */
  previous: Page;
}

type Listener = () => void;

function store<T>(initial: T) {
  let value = initial;
  const listeners = new Set<Listener>();
  return {
    get: () => value,
    set(next: T) {
      value = next;
      for (const l of listeners) l();
    },
    subscribe(l: Listener) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

const nav = store<NavState>({ page: "instances", detail: null, previous: "instances" });
const commands = store<PageCommands>({});

export function navigate(page: Page) {
  const cur = nav.get();
  nav.set({ ...cur, page, previous: page === "detail" ? cur.previous : page });
}

export function openDetail(target: DetailTarget) {
  const cur = nav.get();
  nav.set({
    page: "detail",
    detail: target,
    previous: cur.page === "detail" ? cur.previous : cur.page,
  });
}

export function closeDetail() {
  const cur = nav.get();
  nav.set({ ...cur, page: cur.previous });
}

export function useNavigation(): NavState {
  return useSyncExternalStore(nav.subscribe, nav.get);
}

/** What the visible page offers (empty when it offers nothing). */
export function usePageCommands(): PageCommands {
  return useSyncExternalStore(commands.subscribe, commands.get);
}

export function currentPageCommands(): PageCommands {
  return commands.get();
}

/**
 * Registers the calling page's commands while it is mounted; call it on every render
 * with fresh callbacks (they capture the page's current state).
 */
export function useRegisterPageCommands(c: PageCommands) {
  useEffect(() => {
    commands.set(c);
  });
  useEffect(
    () => () => {
      commands.set({});
    },
    [],
  );
}

/** For tests: back to the first page with nothing registered. */
export function resetRegistry() {
  nav.set({ page: "instances", detail: null, previous: "instances" });
  commands.set({});
}
