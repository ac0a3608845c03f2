import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertTriangle } from "lucide-react";
import { type LaunchOutcome, type LaunchRecord, wizardBackend } from "../../backend";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorBox } from "../../components/ErrorBox";
import "./pending.css";

const launchRecordsKey = ["wizard", "launchRecords"] as const;

/** What a launch record would buy, for a confirmation or a list row. */
export interface PendingPurchase {
  token: string;
  region: string;
  count: number;
  instanceType: string;
  chargeType: string;
  ageSeconds?: number | null;
}

/** "12 min", "3 h", "2 d": how long a purchase has waited. */
function ageText(t: (k: string, o?: Record<string, unknown>) => string, seconds: number) {
  if (seconds < 3600)
    return t("wizard.pending.minutes", { count: Math.max(1, Math.floor(seconds / 60)) });
  if (seconds < 86400) return t("wizard.pending.hours", { count: Math.floor(seconds / 3600) });
  return t("wizard.pending.days", { count: Math.floor(seconds / 86400) });
}

function Facts(props: { p: PendingPurchase }) {
  const { t } = useTranslation();
  const { p } = props;
  return (
    <dl data-testid="pending-facts">
      <dt>{t("wizard.pending.buys")}</dt>
      <dd>
        {t("wizard.pending.what", {
          count: p.count,
          type: p.instanceType,
          charge: t(`wizard.charge.${p.chargeType}`, { defaultValue: p.chargeType }),
        })}
      </dd>
      <dt>{t("wizard.region")}</dt>
      <dd className="mono">{p.region}</dd>
      {p.ageSeconds != null && (
        <>
          <dt>{t("wizard.pending.age")}</dt>
          <dd>{ageText(t, p.ageSeconds)}</dd>
        </>
      )}
      <dt>{t("wizard.launch.token")}</dt>
      <dd className="mono selectable" data-testid="pending-token">
        {p.token}
      </dd>
    </dl>
  );
}

/**
 * Resume or drop a pending purchase. Both confirm with the ClientToken the dialog shows;
 * resuming re-sends the same request with that token (Tencent never buys twice), dropping
 * only forgets it here.
 */
export function LaunchDecisionDialog(props: {
  decision: "resume" | "drop";
  purchase: PendingPurchase;
  onCancel: () => void;
  onResumed?: (o: LaunchOutcome) => void;
  onDropped?: () => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { purchase: p } = props;
  const go = useMutation({
    mutationFn: async (): Promise<LaunchOutcome | null> =>
      props.decision === "resume"
        ? wizardBackend.retry(p.token, p.token, () => undefined)
        : (await wizardBackend.drop(p.token, p.token), null),
    onSuccess: (o) => {
      void qc.invalidateQueries({ queryKey: launchRecordsKey });
      // A resumed purchase may have created instances: lists refetch to show them.
      if (o?.status === "created") void qc.invalidateQueries({ queryKey: ["instances"] });
      if (o) props.onResumed?.(o);
      else props.onDropped?.();
    },
  });
  const resume = props.decision === "resume";
  return (
    <ConfirmDialog
      kind={resume ? "resume-launch" : "drop-launch"}
      title={resume ? t("wizard.pending.resumeTitle") : t("wizard.pending.dropTitle")}
      confirmLabel={resume ? t("wizard.pending.resume") : t("wizard.pending.drop")}
      danger={!resume}
      busy={go.isPending}
      error={
        go.error ? (
          <ErrorBox
            title={resume ? t("wizard.launch.retryFailed") : t("wizard.pending.dropFailed")}
            error={go.error}
          />
        ) : null
      }
      onCancel={props.onCancel}
      onConfirm={() => go.mutate()}
    >
      <Facts p={p} />
      <p className={resume ? undefined : "confirm-warning"}>
        {resume
          ? t("wizard.pending.resumeText")
          : t("wizard.pending.dropText", { region: p.region })}
      </p>
    </ConfirmDialog>
  );
}

/**
 * Purchases the app did not resume by itself at start (older than 10 minutes, or of a
 * read-only profile): each waits for the user to resume or drop it. Shown on every page
 * until decided, since an unresolved purchase may or may not have been made.
 */
export function PendingLaunches() {
  const { t } = useTranslation();
  const records = useQuery({
    queryKey: launchRecordsKey,
    queryFn: wizardBackend.records,
    refetchInterval: 60_000,
  });
  const [asking, setAsking] = useState<{
    decision: "resume" | "drop";
    record: LaunchRecord;
  } | null>(null);
  const [results, setResults] = useState<Record<string, string>>({});
  const waiting = (records.data ?? []).filter((r) => r.needsDecision);
  if (waiting.length === 0 && Object.keys(results).length === 0) return null;
  return (
    <section
      className="pending-launches"
      role={waiting.length > 0 ? "alert" : "status"}
      data-testid="pending-launches"
    >
      {waiting.length > 0 && (
        <>
          <header>
            <AlertTriangle aria-hidden size={16} />
            <strong>{t("wizard.pending.title", { count: waiting.length })}</strong>
          </header>
          <p className="small">{t("wizard.pending.intro")}</p>
        </>
      )}
      {Object.entries(results).map(([token, text]) => (
        <p key={token} className="small pending-result" data-testid={`pending-result-${token}`}>
          {text}
        </p>
      ))}
      <ul>
        {waiting.map((r) => (
          <li key={r.token} data-testid={`pending-${r.token}`}>
            <span>
              {t("wizard.pending.what", {
                count: r.count,
                type: r.instanceType,
                charge: t(`wizard.charge.${r.chargeType}`, { defaultValue: r.chargeType }),
              })}{" "}
              · <span className="mono">{r.region}</span>
              {r.ageSeconds != null && <> · {ageText(t, r.ageSeconds)}</>}
            </span>
            <span className="mono small selectable">{r.token}</span>
            {r.error && <span className="small muted">{r.error}</span>}
            <span className="pending-actions">
              <button
                type="button"
                className="btn primary"
                data-testid="pending-resume"
                onClick={() => setAsking({ decision: "resume", record: r })}
              >
                {t("wizard.pending.resume")}
              </button>
              <button
                type="button"
                className="btn danger"
                data-testid="pending-drop"
                onClick={() => setAsking({ decision: "drop", record: r })}
              >
                {t("wizard.pending.drop")}
              </button>
            </span>
          </li>
        ))}
      </ul>
      {asking && (
        <LaunchDecisionDialog
          decision={asking.decision}
          purchase={asking.record}
          onCancel={() => setAsking(null)}
          onResumed={(o) => {
            setAsking(null);
            setResults((m) => ({
              ...m,
              [o.token]:
                o.status === "created"
                  ? t("wizard.pending.resumed", { ids: o.instanceIds.join(", ") || "—" })
                  : o.status === "failed"
                    ? t("wizard.pending.refused", {
                        token: o.token,
                        reason: o.error ? `${o.error.code}: ${o.error.message}` : "—",
                      })
                    : t("wizard.pending.stillUnknown", { token: o.token }),
            }));
          }}
          onDropped={() => {
            const token = asking.record.token;
            setAsking(null);
            setResults((m) => ({ ...m, [token]: t("wizard.pending.dropped", { token }) }));
          }}
        />
      )}
    </section>
  );
}
