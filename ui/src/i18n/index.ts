import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import en from "./en.json";
import zhCN from "./zh-CN.json";

export const LANGUAGES = ["en", "zh-CN"] as const;
export type Language = (typeof LANGUAGES)[number];
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

export function resolveLanguage(pref: LanguagePreference): Language {
  return pref === "system" ? systemLanguage() : pref;
}

export async function setLanguagePreference(pref: LanguagePreference): Promise<void> {
  if (pref === "system") localStorage.removeItem(STORAGE_KEY);
  else localStorage.setItem(STORAGE_KEY, pref);
  await i18n.changeLanguage(resolveLanguage(pref));
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, "zh-CN": { translation: zhCN } },
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
