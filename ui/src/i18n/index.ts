import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import en from "./en.json";

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

/** Loads every language's strings (the settings page does, so a switch is instant). */
export function preloadLanguages(): void {
  void i18n.loadLanguages(Object.keys(catalogs)).catch(() => undefined);
}

export async function setLanguagePreference(pref: LanguagePreference): Promise<void> {
  if (pref === "system") localStorage.removeItem(STORAGE_KEY);
  else localStorage.setItem(STORAGE_KEY, pref);
  await i18n.changeLanguage(resolveLanguage(pref));
}

// Each feature keeps its own catalogs in `features/<name>/i18n/{en,zh-CN}.json`; they are
// merged under the feature's name, so `t("instances.title")` reads
// features/instances/i18n/<lang>.json → "title".
type Catalogs = Record<string, { default: Record<string, unknown> }>;
function withFeatures(
  lang: Language,
  base: Record<string, unknown>,
  features: Catalogs,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [path, mod] of Object.entries(features)) {
    const m = path.match(/features\/([^/]+)\/i18n\/([^/]+)\.json$/);
    if (m && m[2] === lang && m[1]) merged[m[1]] = mod.default;
  }
  return merged;
}

// English is in the first bundle (and is the fallback of any missing string); another
// language's catalog is fetched when first needed: `ready` waits for it at start-up, and
// changeLanguage switches only once it is loaded.
const english = withFeatures(
  "en",
  en,
  import.meta.glob<{ default: Record<string, unknown> }>("../features/*/i18n/en.json", {
    eager: true,
  }),
);
const catalogs: Partial<Record<string, () => Promise<Record<string, unknown>>>> = {
  "zh-CN": () => import("./zh-CN").then((m) => withFeatures("zh-CN", m.base, m.features)),
};

/** Settles when the start-up language's strings are loaded: render after it. */
export const ready = i18n
  .use(initReactI18next)
  .use({
    type: "backend",
    init() {},
    read(lng: string, _ns: string, done: (err: unknown, data?: Record<string, unknown>) => void) {
      const load = catalogs[lng];
      if (!load) return done(null, {});
      load().then(
        (catalog) => done(null, catalog),
        (e: unknown) => done(e),
      );
    },
  })
  .init({
    resources: { en: { translation: english } },
    partialBundledLanguages: true,
    // Synchronous when the language is bundled: the first render need not wait a task.
    initAsync: false,
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
