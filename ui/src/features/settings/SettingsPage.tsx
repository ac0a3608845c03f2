import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  preloadLanguages,
  setLanguagePreference,
  storedLanguagePreference,
  type LanguagePreference,
} from "../../i18n";
import { applyTheme, storedThemePreference, type ThemePreference } from "../../theme";
import { AlertsSection } from "../alerts/AlertsSection";

export function SettingsPage() {
  const { t } = useTranslation();
  const [lang, setLang] = useState<LanguagePreference>(storedLanguagePreference);
  const [theme, setTheme] = useState<ThemePreference>(storedThemePreference);
  useEffect(preloadLanguages, []);

  return (
    <section className="page">
      <h1>{t("settings.title")}</h1>
      <div className="form-grid">
        <label htmlFor="language">{t("settings.language")}</label>
        <select
          id="language"
          data-testid="language-select"
          value={lang}
          onChange={(e) => {
            const v = e.target.value as LanguagePreference;
            setLang(v);
            void setLanguagePreference(v);
          }}
        >
          <option value="system">{t("settings.languageSystem")}</option>
          <option value="en">English</option>
          <option value="zh-CN">简体中文</option>
        </select>
        <label htmlFor="theme">{t("settings.theme")}</label>
        <select
          id="theme"
          data-testid="theme-select"
          value={theme}
          onChange={(e) => {
            const v = e.target.value as ThemePreference;
            setTheme(v);
            applyTheme(v);
          }}
        >
          <option value="system">{t("settings.themeSystem")}</option>
          <option value="light">{t("settings.themeLight")}</option>
          <option value="dark">{t("settings.themeDark")}</option>
        </select>
      </div>
      <AlertsSection />
    </section>
  );
}
