import { useTranslation } from "react-i18next";

export function ProfilesPage() {
  const { t } = useTranslation();
  return (
    <section className="page">
      <h1>{t("nav.profiles")}</h1>
    </section>
  );
}
