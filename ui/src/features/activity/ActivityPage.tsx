import { useTranslation } from "react-i18next";

// Replaced by the activity log (issue 6).
export function ActivityPage() {
  const { t } = useTranslation();
  return (
    <section className="page">
      <h1>{t("nav.activity")}</h1>
    </section>
  );
}
