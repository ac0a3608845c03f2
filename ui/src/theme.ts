import { useSyncExternalStore } from "react";

export type ThemePreference = "system" | "light" | "dark";
const STORAGE_KEY = "cvm-console.theme";

export function storedThemePreference(): ThemePreference {
  const v = localStorage.getItem(STORAGE_KEY);
  return v === "light" || v === "dark" ? v : "system";
}

// The system's choice, for "system" (jsdom has no matchMedia).
const systemDark = globalThis.matchMedia?.("(prefers-color-scheme: dark)");
let preference: ThemePreference = "system";

function paint() {
  const dark = preference === "dark" || (preference === "system" && !!systemDark?.matches);
  document.documentElement.dataset.theme = dark ? "dark" : "light";
}

// Under "system", the window follows the desktop when it switches.
systemDark?.addEventListener("change", paint);

/** Sets `data-theme` (the stylesheet's one switch) and remembers an explicit choice. */
export function applyTheme(pref: ThemePreference): void {
  preference = pref;
  if (pref === "system") localStorage.removeItem(STORAGE_KEY);
  else localStorage.setItem(STORAGE_KEY, pref);
  paint();
}

const darkQuery = () => window.matchMedia("(prefers-color-scheme: dark)");

function subscribeTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  const query = darkQuery();
  query.addEventListener("change", onChange);
  return () => {
    observer.disconnect();
    query.removeEventListener("change", onChange);
  };
}

function themeSnapshot(): string {
  return `${document.documentElement.dataset.theme ?? "system"}:${darkQuery().matches ? "dark" : "light"}`;
}

/** Changes whenever the colours in effect may have changed (the setting or the system's). */
export function useThemeKey(): string {
  return useSyncExternalStore(subscribeTheme, themeSnapshot);
}

/**
 * Marks the document as running in WebKitGTK (Linux), whose font stacks styles.css words
 * for fontconfig: every family WebKitGTK tries is a fontconfig lookup, and the families a
 * Linux desktop lacks cost the first paint tens of milliseconds.
 */
export function markLinux(root: HTMLElement, userAgent: string): void {
  if (/\bLinux\b/.test(userAgent) && !/\bAndroid\b/.test(userAgent)) root.dataset.os = "linux";
}
