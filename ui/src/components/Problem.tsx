import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Copy } from "lucide-react";
import { errorDetail, type AppError } from "../backend";
import "./Problem.css";

/**
 * A failure: a plain explanation (the app's own code's, else its kind's), Tencent's code, the
 * message, a copyable RequestId.
 */
export function Problem(props: { title?: string; error: AppError | unknown; testid?: string }) {
  const { t, i18n } = useTranslation();
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
      <p>{explanation(detail, t, i18n.exists.bind(i18n))}</p>
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

function explanation(
  detail: AppError,
  t: ReturnType<typeof useTranslation>["t"],
  exists: (key: string) => boolean,
): string {
  const own = `errors.${detail.code.replaceAll(".", "_")}`;
  if (detail.code.startsWith("App.") && exists(own)) return t(own);
  return t(`instances.kind.${detail.kind}`);
}
