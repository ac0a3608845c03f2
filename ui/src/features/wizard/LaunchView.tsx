import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "@tanstack/react-query";
import { type LaunchOutcome, wizardBackend } from "../../backend";
import { ErrorBox } from "../../components/ErrorBox";
import { LaunchDecisionDialog, type PendingPurchase } from "./PendingLaunches";

/**
 * After submission: the instances until each is RUNNING or LAUNCH_FAILED (the backend's
 * watcher streams changes; a poll every 2 s fills in addresses), or, when the answer was
 * lost, a retry that re-sends the same ClientToken.
 */
export function LaunchView(props: {
  profileId: string;
  outcome: LaunchOutcome;
  /** What the launch buys, for the retry's confirmation. */
  purchase: Omit<PendingPurchase, "token" | "region">;
  onRetry: (next: LaunchOutcome) => void;
  onAnother: () => void;
}) {
  const { t } = useTranslation();
  const { outcome } = props;
  const [asking, setAsking] = useState(false);
  const ids = outcome.instanceIds;
  const progress = useQuery({
    queryKey: ["wizard", "progress", props.profileId, outcome.token],
    queryFn: () => wizardBackend.progress(props.profileId, outcome.region, ids),
    enabled: ids.length > 0,
    refetchInterval: (q) => (q.state.data?.done ? false : 2000),
  });

  if (outcome.status === "unknown") {
    return (
      <section className="card wz-launch" data-testid="wz-unknown">
        <h2>{t("wizard.launch.unknownTitle")}</h2>
        <p>{t("wizard.launch.unknownText")}</p>
        <p className="mono small">
          {t("wizard.launch.token")}: <span className="selectable">{outcome.token}</span>
        </p>
        {outcome.error && (
          <ErrorBox title={t("wizard.launch.lastError")} error={outcome.error.message} />
        )}
        <button
          type="button"
          className="btn primary"
          onClick={() => setAsking(true)}
          data-testid="wz-retry"
        >
          {t("wizard.launch.retry")}
        </button>
        {asking && (
          <LaunchDecisionDialog
            decision="resume"
            purchase={{ ...props.purchase, token: outcome.token, region: outcome.region }}
            onCancel={() => setAsking(false)}
            onResumed={(next) => {
              setAsking(false);
              props.onRetry(next);
            }}
          />
        )}
      </section>
    );
  }

  const data = progress.data;
  return (
    <section className="card wz-launch" data-testid="wz-progress">
      <h2>
        {data?.done
          ? data.failed > 0
            ? t("wizard.launch.doneWithFailures", { running: data.running, failed: data.failed })
            : t("wizard.launch.done", { count: data.running })
          : t("wizard.launch.creating", { count: ids.length })}
      </h2>
      {outcome.passwordNotResent && (
        <p className="wz-warn">{t("wizard.launch.passwordNotResent")}</p>
      )}
      <table className="wz-table wz-launched-table">
        <thead>
          <tr>
            <th>{t("wizard.launch.id")}</th>
            <th>{t("wizard.launch.name")}</th>
            <th>{t("wizard.launch.state")}</th>
            <th>{t("wizard.launch.ips")}</th>
          </tr>
        </thead>
        <tbody>
          {ids.map((id) => {
            const row = data?.instances.find((i) => i.instanceId === id);
            const state = row?.state ?? "PENDING";
            return (
              <tr key={id} data-testid="wz-launched">
                <td className="mono">{id}</td>
                <td>{row?.name}</td>
                <td>
                  <span
                    className={`wz-state ${state.toLowerCase()}`}
                    data-testid="wz-launched-state"
                  >
                    {state}
                  </span>
                  {row?.failure && <div className="wz-error">{row.failure}</div>}
                </td>
                <td className="mono small">
                  {[row?.privateIp, row?.publicIp].filter(Boolean).join(" / ")}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {progress.isError && (
        <ErrorBox title={t("wizard.launch.progressFailed")} error={progress.error} />
      )}
      <p className="muted small mono">
        {t("wizard.launch.token")}: {outcome.token}
      </p>
      <button type="button" className="btn" onClick={props.onAnother} data-testid="wz-another">
        {t("wizard.launch.another")}
      </button>
    </section>
  );
}
