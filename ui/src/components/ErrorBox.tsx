import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { BackendError } from "../backend";
import "./ErrorBox.css";

/**
 * The app's own codes (`App.*`) read in the UI's language from the `errors` catalogs;
 * the backend's message (English, and more specific) stays as the detail. Tencent's
 * codes come with a message in the API's language already.
 */
function localised(
  t: ReturnType<typeof useTranslation>["t"],
  language: string,
  code: string,
  message: string,
) {
  const key = `errors.${code.replaceAll(".", "_")}`;
  if (!code.startsWith("App.") || language.startsWith("en")) return { text: message, more: null };
  const text = t(key, { defaultValue: "" });
  return text ? { text, more: message } : { text: message, more: null };
}

/** Shows a failure with its code and RequestId (copyable text), never a stack. */
export function ErrorBox(props: { title: string; error: unknown }) {
  const { t, i18n } = useTranslation();
  const detail = props.error instanceof BackendError ? props.error.detail : null;
  const message = detail?.message ?? String(props.error);
  const shown = detail
    ? localised(t, i18n.language, detail.code, message)
    : { text: message, more: null };
  const ref = useRef<HTMLDivElement>(null);
  // A failure below the fold is easy to miss: bring it into view when it appears.
  useEffect(() => {
    ref.current?.scrollIntoView?.({ block: "nearest" });
  }, [message]);
  return (
    <div className="error-box" role="alert" data-testid="error-box" ref={ref}>
      <strong>{props.title}</strong>
      <p data-testid="error-text">{shown.text}</p>
      {shown.more && (
        <details className="small">
          <summary>{t("error.details")}</summary>
          <p>{shown.more}</p>
        </details>
      )}
      {detail && (
        <p className="mono small">
          {t("error.code")}: {detail.code}
          {detail.requestId && (
            <>
              {" · "}
              {t("error.requestId")}: <span className="selectable">{detail.requestId}</span>
            </>
          )}
        </p>
      )}
    </div>
  );
}
