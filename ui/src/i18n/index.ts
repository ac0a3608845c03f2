import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import en from "./en.json";
import zhCN from "./zh-CN.json";

/** The languages the app ships catalogs for. */
export type Language = "en" | "zh-CN";
export type LanguagePreference = Language | "system";

const STORAGE_KEY = "cvm-console.language";

/** The system locale mapped onto a language we ship: any Chinese locale → zh-CN. */
export function systemLanguage(locales: readonly string[] = navigator.languages ?? []): Language {
  for (const l of locales) {
    const lower = l.toLowerCase();
    if (lower.startsWith("zh")) return "zh-CN";
    if (lower.startsWith("en")) return "en";
  }
  return "en";
}

export function storedLanguagePreference(): LanguagePreference {
  const v = localStorage.getItem(STORAGE_KEY);
  return v === "en" || v === "zh-CN" ? v : "system";
}

function resolveLanguage(pref: LanguagePreference): Language {
  return pref === "system" ? systemLanguage() : pref;
}

export async function setLanguagePreference(pref: LanguagePreference): Promise<void> {
  if (pref === "system") localStorage.removeItem(STORAGE_KEY);
  else localStorage.setItem(STORAGE_KEY, pref);
  await i18n.changeLanguage(resolveLanguage(pref));
}

// Each feature keeps its own catalogs in `features/<name>/i18n/{en,zh-CN}.json`; they are
// merged under the feature's name, so `t("instances.title")` reads
// features/instances/i18n/<lang>.json → "title".
const featureCatalogs = import.meta.glob<{ default: Record<string, unknown> }>(
  "../features/*/i18n/*.json",
  { eager: true },
);

function withFeatures(lang: Language, base: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [path, mod] of Object.entries(featureCatalogs)) {
    const m = path.match(/features\/([^/]+)\/i18n\/([^/]+)\.json$/);
    if (m && m[2] === lang && m[1]) merged[m[1]] = mod.default;
  }
  return merged;
}

void i18n.use(initReactI18next).init({
  resources: {
    en: { translation: withFeatures("en", en) },
    "zh-CN": { translation: withFeatures("zh-CN", zhCN) },
  },
  lng: resolveLanguage(storedLanguagePreference()),
  fallbackLng: "en",
  interpolation: { escapeValue: false },
  returnNull: false,
});

i18n.on("languageChanged", (lng) => {
  document.documentElement.lang = lng;
});
document.documentElement.lang = i18n.language;

export default i18n;
