import { useTranslation } from "react-i18next";
import { CheckCircle2, XCircle } from "lucide-react";
import type { ActionReport, InstanceView } from "../../backend";
import { Problem } from "../../components/Problem";

/** What each instance of the last action did. */
export function Results(props: {
  report: ActionReport;
  names: Map<string, InstanceView>;
  failures: Record<string, string>;
  onDismiss: () => void;
}) {
  const { t } = useTranslation();
  const kind = actionKind(props.report.action);
  return (
    <section className="results" data-testid="action-results" aria-live="polite">
      <header>
        <strong data-testid="results-title">
          {t("instances.result.title", {
            action: t(`instances.action.${kind}`),
            ok: props.report.succeeded,
            failed: props.report.failed,
          })}
        </strong>
        <button type="button" className="link-button" onClick={props.onDismiss}>
          {t("instances.result.dismiss")}
        </button>
      </header>
      <ul>
        {props.report.results.map((r) => (
          <li
            key={r.instanceId}
            data-testid={`result-${r.instanceId}`}
            data-ok={r.ok}
            className={r.ok ? "result-ok" : "result-failed"}
          >
            {r.ok ? (
              <CheckCircle2 aria-hidden size={14} className="ok-icon" />
            ) : (
              <XCircle aria-hidden size={14} className="bad-icon" />
            )}
            <span className="strong">{props.names.get(r.instanceId)?.name ?? ""}</span>{" "}
            <span className="mono small">{r.instanceId}</span>{" "}
            <span className="small">
              {r.ok ? t("instances.result.ok") : t("instances.result.failed")}
            </span>
            {r.ok && props.failures[r.instanceId] && (
              <p className="small bad" data-testid={`failure-${r.instanceId}`}>
                {t("instances.result.operationFailed")}: {props.failures[r.instanceId]}
              </p>
            )}
            {r.error && <Problem error={r.error} testid={`result-error-${r.instanceId}`} />}
          </li>
        ))}
      </ul>
      {props.report.succeeded > 0 && kind !== "rename" && (
        <p className="small muted">{t("instances.result.watching")}</p>
      )}
    </section>
  );
}

function actionKind(api: string): string {
  const map: Record<string, string> = {
    StartInstances: "start",
    StopInstances: "stop",
    RebootInstances: "reboot",
    TerminateInstances: "terminate",
    ModifyInstancesAttribute: "rename",
    ResetInstancesPassword: "resetPassword",
  };
  return map[api] ?? api;
}
