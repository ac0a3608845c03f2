import { useSyncExternalStore } from "react";

export type ThemePreference = "system" | "light" | "dark";
const STORAGE_KEY = "cvm-console.theme";

export function storedThemePreference(): ThemePreference {
  const v = localStorage.getItem(STORAGE_KEY);
  return v === "light" || v === "dark" ? v : "system";
}

/** "system" leaves the choice to `prefers-color-scheme` in the stylesheet. */
export function applyTheme(pref: ThemePreference): void {
  if (pref === "system") {
    localStorage.removeItem(STORAGE_KEY);
    delete document.documentElement.dataset.theme;
  } else {
    localStorage.setItem(STORAGE_KEY, pref);
    document.documentElement.dataset.theme = pref;
  }
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
