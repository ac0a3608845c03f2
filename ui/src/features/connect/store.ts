// What Connect holds across pages: the connection being set up (the dialog) and the open
// terminal tabs. Kept free of xterm so any page can ask for a connection cheaply; the
// terminals and the dialog load on first use.
import { useSyncExternalStore } from "react";
import type { SessionEvent } from "../../backend";

/** What the user asked to connect to. */
export type ConnectTarget =
  | { kind: "instance"; profileId: string; region: string; instanceId: string; name: string }
  | { kind: "host" };

/**
 * A session's output until its terminal is on screen (the banner arrives before the tab
 * exists), then straight to it.
 */
export class SessionSink {
  private buffered: SessionEvent[] = [];
  private listener: ((e: SessionEvent) => void) | null = null;
  readonly push = (e: SessionEvent) => {
    if (this.listener) this.listener(e);
    else this.buffered.push(e);
  };
  /** Sends what arrived so far, then every later event; returns the detach. */
  attach(listener: (e: SessionEvent) => void): () => void {
    this.listener = listener;
    const old = this.buffered;
    this.buffered = [];
    for (const e of old) listener(e);
    return () => {
      if (this.listener === listener) this.listener = null;
    };
  }
}

export interface TerminalTab {
  /** Unique among tabs (two tabs may show the same instance). */
  key: string;
  title: string;
  sessionId: string;
  sink: SessionSink;
  /** For "Connect again". */
  target: ConnectTarget;
}

interface ConnectState {
  request: ConnectTarget | null;
  tabs: TerminalTab[];
  active: string | null;
}

type Listener = () => void;
let state: ConnectState = { request: null, tabs: [], active: null };
const listeners = new Set<Listener>();
function set(next: ConnectState) {
  state = next;
  for (const l of listeners) l();
}
function subscribe(l: Listener) {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useConnectState(): ConnectState {
  return useSyncExternalStore(subscribe, () => state);
}

/** Opens the connect dialog for the target. */
export function requestConnect(target: ConnectTarget) {
  set({ ...state, request: target });
}

export function cancelConnect() {
  set({ ...state, request: null });
}

let nextTab = 1;

/** A session opened: its tab becomes the active one and the dialog closes. */
export function addTab(tab: Omit<TerminalTab, "key" | "title"> & { title: string }) {
  const same = state.tabs.filter(
    (t) => t.title === tab.title || t.title.startsWith(`${tab.title} (`),
  );
  const title = same.length ? `${tab.title} (${same.length + 1})` : tab.title;
  const key = `tab-${nextTab++}`;
  set({ request: null, tabs: [...state.tabs, { ...tab, key, title }], active: key });
}

export function activateTab(key: string) {
  set({ ...state, active: key });
}

export function removeTab(key: string) {
  const i = state.tabs.findIndex((t) => t.key === key);
  const tabs = state.tabs.filter((t) => t.key !== key);
  const active =
    state.active === key ? (tabs[Math.min(i, tabs.length - 1)]?.key ?? null) : state.active;
  set({ ...state, tabs, active });
}

/** For tests: nothing open. */
export function resetConnect() {
  set({ request: null, tabs: [], active: null });
}
