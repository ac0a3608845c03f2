import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Copy } from "lucide-react";
import { errorDetail, type AppError } from "../backend";
import "./Problem.css";

/** A failure: plain explanation by kind, Tencent's code, the message, a copyable RequestId. */
export function Problem(props: { title?: string; error: AppError | unknown; testid?: string }) {
  const { t } = useTranslation();
  const detail = errorDetail(props.error);
  const [copied, setCopied] = useState(false);
  if (!detail) {
    return (
      <div className="problem" role="alert" data-testid={props.testid ?? "problem"}>
        {props.title && <strong>{props.title}</strong>}
        <p>{String(props.error)}</p>
      </div>
    );
  }
  const copy = () => {
    if (!detail.requestId) return;
    navigator.clipboard?.writeText(detail.requestId).then(
      () => setCopied(true),
      () => undefined,
    );
  };
  return (
    <div className="problem" role="alert" data-testid={props.testid ?? "problem"}>
      {props.title && <strong>{props.title}</strong>}
      <p>{t(`instances.kind.${detail.kind}`)}</p>
      <p className="small">{detail.message}</p>
      <p className="mono small">
        <span data-testid="problem-code">{detail.code}</span>
        {detail.requestId && (
          <>
            {" · RequestId "}
            <span className="selectable" data-testid="problem-request-id">
              {detail.requestId}
            </span>{" "}
            <button
              type="button"
              className="icon-button"
              title={t("instances.error.copy")}
              aria-label={t("instances.error.copy")}
              onClick={copy}
            >
              <Copy aria-hidden size={12} />
            </button>
            {copied && <span className="muted"> {t("instances.error.copied")}</span>}
          </>
        )}
      </p>
    </div>
  );
}
