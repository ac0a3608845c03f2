import { useTranslation } from "react-i18next";

// Replaced by the instance list (issue 6).
export function InstancesPage() {
  const { t } = useTranslation();
  return (
    <section className="page">
      <h1>{t("nav.instances")}</h1>
    </section>
  );
}
