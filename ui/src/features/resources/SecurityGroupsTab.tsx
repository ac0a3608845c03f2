import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ActionReport, RuleView } from "../../backend";
import { resourcesBackend } from "../../backend/resources";
import { ErrorNote } from "./common";
import type { Scope } from "./ResourcesPage";
import { useRegionInstances } from "./useRegionInstances";

export function SecurityGroupsTab({ scope }: { scope: Scope }) {
  const { t } = useTranslation();
  const key = ["securityGroups", scope.profileId, scope.region];
  const groups = useQuery({
    queryKey: key,
    queryFn: () => resourcesBackend.listSecurityGroups(scope.profileId, scope.region),
  });
  const [selected, setSelected] = useState<string | null>(null);
  const current = groups.data?.find((g) => g.id === selected) ?? groups.data?.[0];

  if (groups.isPending) return <p className="muted">{t("resources.loading")}</p>;
  if (groups.error) return <ErrorNote error={groups.error} />;
  if (!groups.data?.length)
    return (
      <p className="muted" data-testid="sg-empty">
        {t("resources.sg.empty")}
      </p>
    );
  return (
    <div className="res-split">
      <table className="res-table" data-testid="sg-table">
        <thead>
          <tr>
            <th>{t("resources.col.id")}</th>
            <th>{t("resources.col.name")}</th>
            <th>{t("resources.col.description")}</th>
          </tr>
        </thead>
        <tbody>
          {groups.data.map((g) => (
            <tr
              key={g.id}
              data-testid={`sg-row-${g.id}`}
              aria-selected={g.id === current?.id}
              className="res-row"
              onClick={() => setSelected(g.id)}
            >
              <td className="mono">{g.id}</td>
              <td>
                {g.name}
                {g.isDefault && <span className="res-badge">{t("resources.sg.default")}</span>}
              </td>
              <td className="muted">{g.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {current && <GroupDetail scope={scope} sgId={current.id} name={current.name} />}
    </div>
  );
}

function Rules(props: { title: string; rules: RuleView[]; testid: string }) {
  const { t } = useTranslation();
  return (
    <>
      <h3>{props.title}</h3>
      {props.rules.length === 0 ? (
        <p className="muted small">{t("resources.sg.noRules")}</p>
      ) : (
        <table className="res-table compact" data-testid={props.testid}>
          <thead>
            <tr>
              <th>{t("resources.sg.protocol")}</th>
              <th>{t("resources.sg.port")}</th>
              <th>{t("resources.sg.source")}</th>
              <th>{t("resources.sg.policy")}</th>
              <th>{t("resources.col.description")}</th>
            </tr>
          </thead>
          <tbody>
            {props.rules.map((r) => (
              <tr key={r.index}>
                <td>{r.protocol}</td>
                <td className="mono">{r.port}</td>
                <td className="mono">{r.cidr}</td>
                <td className={r.action === "ACCEPT" ? "res-ok" : "res-bad"}>
                  {t(`resources.sg.action.${r.action}`, r.action)}
                </td>
                <td className="muted">{r.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function GroupDetail(props: { scope: Scope; sgId: string; name: string }) {
  const { t } = useTranslation();
  const { scope, sgId } = props;
  const qc = useQueryClient();
  const key = ["securityGroup", scope.profileId, scope.region, sgId];
  const detail = useQuery({
    queryKey: key,
    queryFn: () => resourcesBackend.securityGroupDetail(scope.profileId, scope.region, sgId),
  });
  const instances = useRegionInstances(scope);
  const [target, setTarget] = useState("");
  const [report, setReport] = useState<ActionReport | null>(null);
  const done = (r: ActionReport) => {
    setReport(r);
    void qc.invalidateQueries({ queryKey: key });
    void qc.invalidateQueries({ queryKey: ["instances", scope.profileId, scope.region] });
  };
  const bind = useMutation({
    mutationFn: (id: string) =>
      resourcesBackend.bindSecurityGroup(scope.profileId, scope.region, sgId, [id]),
    onSuccess: done,
  });
  const unbind = useMutation({
    mutationFn: (id: string) =>
      resourcesBackend.unbindSecurityGroup(scope.profileId, scope.region, sgId, [id]),
    onSuccess: done,
  });
  const bound = new Set(detail.data?.instances.map((i) => i.id));
  const candidates = (instances.data ?? []).filter((i) => !bound.has(i.id));

  return (
    <div className="res-detail" data-testid="sg-detail">
      <h2>
        {props.name} <span className="mono muted small">{sgId}</span>
      </h2>
      {detail.isPending && <p className="muted">{t("resources.loading")}</p>}
      {detail.error && <ErrorNote error={detail.error} />}
      {detail.data && (
        <>
          <Rules
            title={t("resources.sg.inbound")}
            rules={detail.data.ingress}
            testid="sg-ingress"
          />
          <Rules title={t("resources.sg.outbound")} rules={detail.data.egress} testid="sg-egress" />
          <h3>{t("resources.sg.instances", { count: detail.data.instances.length })}</h3>
          <ul className="res-list" data-testid="sg-instances">
            {detail.data.instances.map((i) => (
              <li key={i.id}>
                <span className="mono">{i.id}</span> {i.name}{" "}
                <span className="muted small">
                  {t("resources.sg.groupsOf", { count: i.securityGroupIds.length })}
                </span>
                <button
                  type="button"
                  className="btn small"
                  data-testid={`sg-unbind-${i.id}`}
                  disabled={scope.locked || unbind.isPending}
                  onClick={() => unbind.mutate(i.id)}
                >
                  {t("resources.sg.unbind")}
                </button>
              </li>
            ))}
          </ul>
          <div className="res-inline">
            <select
              className="res-input"
              data-testid="sg-bind-target"
              value={target}
              onChange={(e) => setTarget(e.target.value)}
            >
              <option value="">{t("resources.pickInstance")}</option>
              {candidates.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.id} {i.name}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="btn primary"
              data-testid="sg-bind"
              disabled={scope.locked || !target || bind.isPending}
              onClick={() => bind.mutate(target)}
            >
              {t("resources.sg.bind")}
            </button>
          </div>
          {candidates.length === 0 && instances.data && (
            <p className="muted small">{t("resources.sg.allBound")}</p>
          )}
        </>
      )}
      {(bind.error || unbind.error) && <ErrorNote error={bind.error ?? unbind.error} />}
      {report && <ReportNote report={report} />}
    </div>
  );
}

export function ReportNote({ report }: { report: ActionReport }) {
  const { t } = useTranslation();
  return (
    <div className="res-report" data-testid="res-report">
      <p>{t("resources.report", { ok: report.succeeded, failed: report.failed })}</p>
      {report.results
        .filter((r) => !r.ok && r.error)
        .map((r) => (
          <p key={r.instanceId} className="small" data-testid={`res-report-error-${r.instanceId}`}>
            <span className="mono">{r.instanceId}</span>: {r.error?.message}{" "}
            <span className="mono muted">{r.error?.code}</span>
          </p>
        ))}
    </div>
  );
}
