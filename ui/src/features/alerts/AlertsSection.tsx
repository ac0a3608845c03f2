import { useState } from "react";
import { useTranslation } from "react-i18next";
import { FormRow } from "../../components/FormRow";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  type ActiveAlert,
  type AlertKind,
  type AlertRule,
  type AlertRuleDraft,
  type AlertTarget,
  BackendError,
  type SavedView,
  alertsBackend,
} from "../../backend";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Problem } from "../../components/Problem";
import { profileName } from "../profiles/profileName";
import { useProfiles } from "../profiles/useProfiles";
import { useViews } from "../fleet/views";
import { openDetail } from "../palette/registry";
import "./alerts.css";

const rulesKey = ["alert-rules"] as const;
const firingKey = ["alerts-firing"] as const;

/** The fields the backend names in its refusals, each with its own message. */
const FIELDS = ["threshold", "minutes", "days", "target", "regions"] as const;
type Field = (typeof FIELDS)[number];

/** Settings → Alerts: the rules (add, edit, remove) and the alerts firing now. */
export function AlertsSection() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const rules = useQuery({ queryKey: rulesKey, queryFn: alertsBackend.listAlertRules });
  const firing = useQuery({
    queryKey: firingKey,
    queryFn: alertsBackend.firingAlerts,
    refetchInterval: 5000,
  });
  const [editing, setEditing] = useState<AlertRule | "new" | null>(null);
  const [removing, setRemoving] = useState<AlertRule | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => alertsBackend.deleteAlertRule(id, id),
    onSuccess: () => {
      setRemoving(null);
      void qc.invalidateQueries({ queryKey: rulesKey });
      void qc.invalidateQueries({ queryKey: firingKey });
    },
  });
  const list = rules.data ?? [];
  const views = useViews();

  return (
    <section className="alerts-section" data-testid="alerts-section">
      <h2>{t("alerts.title")}</h2>
      <p className="lead">{t("alerts.lead")}</p>
      {rules.error && <Problem error={rules.error} />}
      <FiringList alerts={firing.data ?? []} rules={list} />
      <table className="alerts-table" data-testid="alert-rules">
        <thead>
          <tr>
            <th>{t("alerts.col.condition")}</th>
            <th>{t("alerts.col.target")}</th>
            <th>{t("alerts.col.enabled")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                {t("alerts.none")}
              </td>
            </tr>
          )}
          {list.map((r) => {
            const lost = viewLost(r, views);
            return (
              <tr
                key={r.id}
                data-testid="alert-rule"
                data-rule={r.id}
                data-lost-view={lost || undefined}
              >
                <td>{conditionText(t, r)}</td>
                <td>
                  <TargetText target={r.target} views={views} />
                </td>
                <td>
                  {lost ? (
                    <span className="field-error" data-testid="alert-rule-stopped">
                      {t("alerts.stopped")}
                    </span>
                  ) : r.enabled ? (
                    t("alerts.on")
                  ) : (
                    t("alerts.off")
                  )}
                </td>
                <td className="alerts-row-actions">
                  <button
                    type="button"
                    className="btn"
                    data-testid="alert-edit"
                    onClick={() => setEditing(r)}
                  >
                    {t("alerts.edit")}
                  </button>
                  <button
                    type="button"
                    className="btn"
                    data-testid="alert-remove"
                    onClick={() => setRemoving(r)}
                  >
                    {t("alerts.remove")}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {editing === null ? (
        <button
          type="button"
          className="btn primary"
          data-testid="alert-add"
          onClick={() => setEditing("new")}
        >
          {t("alerts.add")}
        </button>
      ) : (
        <RuleForm
          key={editing === "new" ? "new" : editing.id}
          rule={editing === "new" ? null : editing}
          onDone={() => {
            setEditing(null);
            void qc.invalidateQueries({ queryKey: rulesKey });
            void qc.invalidateQueries({ queryKey: firingKey });
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      {removing && (
        <ConfirmDialog
          kind="remove-alert-rule"
          title={t("alerts.removeTitle")}
          confirmLabel={t("alerts.remove")}
          busy={remove.isPending}
          error={remove.error ? <Problem error={remove.error} /> : null}
          onCancel={() => setRemoving(null)}
          onConfirm={() => remove.mutate(removing.id)}
        >
          <p>{t("alerts.removeBody", { rule: conditionText(t, removing) })}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

type T = ReturnType<typeof useTranslation>["t"];

function conditionText(t: T, r: AlertRule): string {
  const c = r.condition;
  switch (c.kind) {
    case "cpuAbove":
      return t("alerts.cond.cpuAbove", { threshold: c.threshold, minutes: c.minutes });
    case "leftRunning":
      return t("alerts.cond.leftRunning");
    case "expiring":
      return t("alerts.cond.expiring", { days: c.days });
  }
}

/** Whether the rule watches a saved view that no longer exists (it runs on nothing). */
function viewLost(r: AlertRule, views: SavedView[]): boolean {
  const tg = r.target;
  return tg.kind === "view" && !views.some((v) => v.id === tg.viewId);
}

function TargetText(props: { target: AlertTarget; views: SavedView[] }) {
  const { t } = useTranslation();
  const profiles = useProfiles().data?.profiles ?? [];
  const tg = props.target;
  if (tg.kind === "view") {
    const v = props.views.find((x) => x.id === tg.viewId);
    if (!v)
      return (
        <span className="field-error" role="alert" data-testid="alert-view-missing">
          {t("alerts.error.viewDeleted")}
        </span>
      );
    return <>{t("alerts.targetView", { name: v.name })}</>;
  }
  const p = profiles.find((x) => x.id === tg.profileId);
  const name = p ? profileName(p, t("profiles.sandboxName")) : tg.profileId;
  const regions = tg.regions?.join(", ") ?? t("alerts.enabledRegions");
  return <>{t("alerts.targetProfile", { name, regions })}</>;
}

function FiringList(props: { alerts: ActiveAlert[]; rules: AlertRule[] }) {
  const { t } = useTranslation();
  const profiles = useProfiles().data?.profiles ?? [];
  const nameOf = (a: ActiveAlert) => {
    const p = profiles.find((x) => x.id === a.profileId);
    return p ? profileName(p, t("profiles.sandboxName")) : a.profileName;
  };
  if (props.alerts.length === 0) return null;
  return (
    <div className="alerts-firing" data-testid="alerts-firing" role="status">
      <h3>{t("alerts.firing", { count: props.alerts.length })}</h3>
      <ul>
        {props.alerts.map((a) => {
          const rule = props.rules.find((r) => r.id === a.ruleId);
          return (
            <li key={`${a.ruleId}-${a.profileId}-${a.instanceId}`} data-testid="alert-firing">
              <button
                type="button"
                className="link-button"
                onClick={() =>
                  openDetail({
                    profileId: a.profileId,
                    region: a.region,
                    instanceId: a.instanceId,
                  })
                }
              >
                {a.instanceName || a.instanceId}
              </button>{" "}
              <span className="mono small">{a.instanceId}</span>{" "}
              <span className="muted small">
                {nameOf(a)} · {a.region}
              </span>{" "}
              — {rule ? conditionText(t, rule) : t(`alerts.kind.${a.kind}`)}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

type Form = {
  kind: AlertKind;
  threshold: string;
  minutes: string;
  days: string;
  /** `profile:<id>`, `view:<view id>` or "" (none chosen). */
  target: string;
  regions: string;
  enabled: boolean;
};

function initial(rule: AlertRule | null, views: SavedView[]): Form {
  const c = rule?.condition;
  const tg = rule?.target;
  return {
    kind: c?.kind ?? "cpuAbove",
    threshold: c?.kind === "cpuAbove" ? String(c.threshold) : "80",
    minutes: c?.kind === "cpuAbove" ? String(c.minutes) : "5",
    days: c?.kind === "expiring" ? String(c.days) : "7",
    target: !tg
      ? ""
      : tg.kind === "profile"
        ? `profile:${tg.profileId}`
        : views.some((v) => v.id === tg.viewId)
          ? `view:${tg.viewId}`
          : "",
    regions: tg?.kind === "profile" ? (tg.regions?.join(", ") ?? "") : "",
    enabled: rule?.enabled ?? true,
  };
}

function toTarget(f: Form): AlertTarget | null {
  if (f.target.startsWith("profile:")) {
    const regions = f.regions
      .split(",")
      .map((r) => r.trim())
      .filter(Boolean);
    return {
      kind: "profile",
      profileId: f.target.slice("profile:".length),
      regions: regions.length ? regions : null,
    };
  }
  if (f.target.startsWith("view:")) return { kind: "view", viewId: f.target.slice("view:".length) };
  return null;
}

function RuleForm(props: { rule: AlertRule | null; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const profiles = useProfiles().data?.profiles ?? [];
  const views = useViews();
  const [f, setF] = useState<Form>(() => initial(props.rule, views));
  // A rule whose view was deleted opens with that said at its target.
  const [fieldError, setFieldError] = useState<{
    field: Field;
    message: string;
    key?: string;
  } | null>(() =>
    props.rule && viewLost(props.rule, views)
      ? { field: "target", message: "", key: "alerts.error.viewDeleted" }
      : null,
  );
  const save = useMutation({
    mutationFn: (draft: AlertRuleDraft) => alertsBackend.saveAlertRule(draft),
    onSuccess: props.onDone,
    onError: (e) => {
      const field = e instanceof BackendError ? e.detail.field : null;
      if (field && (FIELDS as readonly string[]).includes(field))
        setFieldError({ field: field as Field, message: e.message });
    },
  });
  const set = (patch: Partial<Form>) => {
    setF((x) => ({ ...x, ...patch }));
    setFieldError(null);
  };
  const err = (field: Field) =>
    fieldError?.field === field ? (
      <span
        className="field-error"
        role="alert"
        data-testid={`alert-error-${field}`}
        title={fieldError.message}
      >
        {t(fieldError.key ?? `alerts.error.${field}`)}
      </span>
    ) : null;
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setFieldError(null);
    save.mutate({
      id: props.rule?.id ?? null,
      enabled: f.enabled,
      kind: f.kind,
      threshold: f.threshold,
      minutes: f.minutes,
      days: f.days,
      target: toTarget(f),
    });
  };
  const otherError = save.error && !fieldError ? save.error : null;

  return (
    <form className="card alerts-form" data-testid="alert-form" onSubmit={submit} noValidate>
      <h3>{props.rule ? t("alerts.editTitle") : t("alerts.addTitle")}</h3>
      <div className="form-grid">
        <label htmlFor="alert-kind">{t("alerts.field.kind")}</label>
        <select
          id="alert-kind"
          data-testid="alert-kind"
          value={f.kind}
          onChange={(e) => set({ kind: e.target.value as AlertKind })}
        >
          <option value="cpuAbove">{t("alerts.kind.cpuAbove")}</option>
          <option value="leftRunning">{t("alerts.kind.leftRunning")}</option>
          <option value="expiring">{t("alerts.kind.expiring")}</option>
        </select>
        {f.kind === "cpuAbove" && (
          <>
            <FormRow
              id="alert-threshold"
              label={t("alerts.field.threshold")}
              error={err("threshold")}
            >
              <input
                id="alert-threshold"
                data-testid="alert-threshold"
                inputMode="decimal"
                value={f.threshold}
                aria-invalid={fieldError?.field === "threshold"}
                onChange={(e) => set({ threshold: e.target.value })}
              />
            </FormRow>
            <FormRow id="alert-minutes" label={t("alerts.field.minutes")} error={err("minutes")}>
              <input
                id="alert-minutes"
                data-testid="alert-minutes"
                inputMode="numeric"
                value={f.minutes}
                aria-invalid={fieldError?.field === "minutes"}
                onChange={(e) => set({ minutes: e.target.value })}
              />
            </FormRow>
          </>
        )}
        {f.kind === "expiring" && (
          <>
            <FormRow id="alert-days" label={t("alerts.field.days")} error={err("days")}>
              <input
                id="alert-days"
                data-testid="alert-days"
                inputMode="numeric"
                value={f.days}
                aria-invalid={fieldError?.field === "days"}
                onChange={(e) => set({ days: e.target.value })}
              />
            </FormRow>
          </>
        )}
        <FormRow id="alert-target" label={t("alerts.field.target")} error={err("target")}>
          <select
            id="alert-target"
            data-testid="alert-target"
            value={f.target}
            aria-invalid={fieldError?.field === "target"}
            onChange={(e) => set({ target: e.target.value })}
          >
            <option value="">{t("alerts.chooseTarget")}</option>
            <optgroup label={t("alerts.profiles")}>
              {profiles.map((p) => (
                <option key={p.id} value={`profile:${p.id}`}>
                  {profileName(p, t("profiles.sandboxName"))}
                </option>
              ))}
            </optgroup>
            {views.length > 0 && (
              <optgroup label={t("alerts.views")}>
                {views.map((v) => (
                  <option key={v.id} value={`view:${v.id}`}>
                    {v.name}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        </FormRow>
        {f.target.startsWith("profile:") && (
          <>
            <FormRow id="alert-regions" label={t("alerts.field.regions")} error={err("regions")}>
              <input
                id="alert-regions"
                data-testid="alert-regions"
                placeholder={t("alerts.regionsPlaceholder")}
                value={f.regions}
                aria-invalid={fieldError?.field === "regions"}
                onChange={(e) => set({ regions: e.target.value })}
              />
            </FormRow>
          </>
        )}
        <label htmlFor="alert-enabled">{t("alerts.field.enabled")}</label>
        <input
          id="alert-enabled"
          type="checkbox"
          data-testid="alert-enabled"
          checked={f.enabled}
          onChange={(e) => set({ enabled: e.target.checked })}
        />
      </div>
      {otherError && <Problem error={otherError} />}
      <div className="alerts-form-actions">
        <button type="button" className="btn" data-testid="alert-cancel" onClick={props.onCancel}>
          {t("alerts.cancel")}
        </button>
        <button
          type="submit"
          className="btn primary"
          data-testid="alert-save"
          disabled={save.isPending}
        >
          {t("alerts.save")}
        </button>
      </div>
    </form>
  );
}
