import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { BackendError } from "../backend";
import "./ErrorBox.css";

/** Shows a failure with its code and RequestId (copyable text), never a stack. */
export function ErrorBox(props: { title: string; error: unknown }) {
  const { t } = useTranslation();
  const detail = props.error instanceof BackendError ? props.error.detail : null;
  const message = detail?.message ?? String(props.error);
  const ref = useRef<HTMLDivElement>(null);
  // A failure below the fold is easy to miss: bring it into view when it appears.
  useEffect(() => {
    ref.current?.scrollIntoView?.({ block: "nearest" });
  }, [message]);
  return (
    <div className="error-box" role="alert" data-testid="error-box" ref={ref}>
      <strong>{props.title}</strong>
      <p>{message}</p>
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
