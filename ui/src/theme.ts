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
