import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { type AppInfo, appBackend } from "../../backend";
import { ErrorBox } from "../../components/ErrorBox";

export function AboutPage() {
  const { t } = useTranslation();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    appBackend.appInfo().then(
      (i) => live && setInfo(i),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, []);

  return (
    <section className="page">
      <h1>{t("about.title")}</h1>
      <p className="lead">{t("about.intro")}</p>
      {error !== null && <ErrorBox title={t("about.failed")} error={error} />}
      {info === null && error === null && <p className="muted">{t("about.loading")}</p>}
      {info && (
        <dl className="facts" data-testid="app-info">
          <dt>{t("about.version")}</dt>
          <dd data-testid="app-version">{info.version}</dd>
          <dt>{t("about.commit")}</dt>
          <dd className="mono">{info.commit}</dd>
          <dt>{t("about.platform")}</dt>
          <dd data-testid="app-platform">
            {info.os} / {info.arch}
          </dd>
          <dt>{t("about.build")}</dt>
          <dd>{info.debugBuild ? t("about.debug") : t("about.release")}</dd>
          <dt>{t("about.dataDir")}</dt>
          <dd className="mono">{info.dataDir}</dd>
          <dt>{t("about.configDir")}</dt>
          <dd className="mono">{info.configDir}</dd>
          <dt>{t("about.logDir")}</dt>
          <dd className="mono">{info.logDir}</dd>
        </dl>
      )}
    </section>
  );
}
