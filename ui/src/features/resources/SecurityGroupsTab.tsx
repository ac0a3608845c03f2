import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  type ActionReport,
  type Direction,
  type RuleView,
  type SecurityGroupView,
  resourcesBackend,
} from "../../backend";
import { ConfirmDialog, ErrorNote, FieldError, fieldOf } from "./common";
import type { Scope } from "./ResourcesPage";
import { useRegionInstances } from "./useRegionInstances";
import { cidrLooksValid, portProblem } from "./validation";

export function SecurityGroupsTab({ scope }: { scope: Scope }) {
  const { t } = useTranslation();
  const key = ["securityGroups", scope.profileId, scope.region];
  const groups = useQuery({
    queryKey: key,
    queryFn: () => resourcesBackend.listSecurityGroups(scope.profileId, scope.region),
  });
  const qc = useQueryClient();
  const [selected, setSelected] = useState<string | null>(null);
  const current = groups.data?.find((g) => g.id === selected) ?? groups.data?.[0];
  const [deleting, setDeleting] = useState<SecurityGroupView | null>(null);
  const refresh = () => void qc.invalidateQueries({ queryKey: key });
  const del = useMutation({
    mutationFn: (p: { id: string; confirm: string }) =>
      resourcesBackend.deleteSecurityGroup(scope.profileId, scope.region, p.id, p.confirm),
    onSuccess: () => {
      setDeleting(null);
      setSelected(null);
      refresh();
    },
  });

  if (groups.isPending) return <p className="muted">{t("resources.loading")}</p>;
  if (groups.error) return <ErrorNote error={groups.error} />;
  return (
    <>
      <CreateGroupForm
        scope={scope}
        onCreated={(g) => {
          refresh();
          setSelected(g.id);
        }}
      />
      {!groups.data?.length && (
        <p className="muted" data-testid="sg-empty">
          {t("resources.sg.empty")}
        </p>
      )}
      {deleting && (
        <ConfirmDialog
          title={t("resources.sg.deleteTitle", { name: deleting.name })}
          body={<p>{t("resources.sg.deleteBody", { name: deleting.name, id: deleting.id })}</p>}
          phrase={deleting.name}
          action={t("resources.sg.delete")}
          busy={del.isPending}
          error={del.error}
          onCancel={() => setDeleting(null)}
          onConfirm={(typed) => del.mutate({ id: deleting.id, confirm: typed })}
        />
      )}
      {!!groups.data?.length && (
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
          {current && (
            <GroupDetail
              key={current.id}
              scope={scope}
              sgId={current.id}
              name={current.name}
              onDelete={
                current.isDefault
                  ? undefined
                  : () => {
                      del.reset();
                      setDeleting(current);
                    }
              }
            />
          )}
        </div>
      )}
    </>
  );
}

function CreateGroupForm(props: { scope: Scope; onCreated: (g: SecurityGroupView) => void }) {
  const { t } = useTranslation();
  const { scope } = props;
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const create = useMutation({
    mutationFn: () =>
      resourcesBackend.createSecurityGroup(scope.profileId, scope.region, name, description),
    onSuccess: (g) => {
      setName("");
      setDescription("");
      props.onCreated(g);
    },
  });
  const tooLong = [...name].length > 60;
  const descTooLong = [...description].length > 100;
  return (
    <form
      className="res-toolbar"
      data-testid="sg-create-form"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <input
        className="res-input"
        data-testid="sg-create-name"
        placeholder={t("resources.sg.newName")}
        value={name}
        onChange={(e) => {
          create.reset();
          setName(e.target.value);
        }}
      />
      <input
        className="res-input"
        data-testid="sg-create-description"
        placeholder={t("resources.sg.newDescription")}
        value={description}
        onChange={(e) => {
          create.reset();
          setDescription(e.target.value);
        }}
      />
      <button
        type="submit"
        className="btn primary"
        data-testid="sg-create"
        disabled={scope.locked || !name.trim() || tooLong || descTooLong || create.isPending}
      >
        {t("resources.sg.create")}
      </button>
      {tooLong && (
        <p className="res-field-error" role="alert" data-testid="sg-name-hint">
          {t("resources.sg.nameTooLong")}
        </p>
      )}
      {descTooLong && (
        <p className="res-field-error" role="alert" data-testid="sg-description-hint">
          {t("resources.sg.descriptionTooLong")}
        </p>
      )}
      <FieldError error={create.error} field="groupName" />
      <FieldError error={create.error} field="groupDescription" />
      {create.error && !["groupName", "groupDescription"].includes(fieldOf(create.error) ?? "") && (
        <ErrorNote error={create.error} />
      )}
    </form>
  );
}

const PROTOCOLS = ["TCP", "UDP", "ICMP", "ALL"];

function AddRuleForm(props: { scope: Scope; sgId: string; onAdded: () => void }) {
  const { t } = useTranslation();
  const { scope, sgId } = props;
  const [direction, setDirection] = useState<Direction>("ingress");
  const [protocol, setProtocol] = useState("TCP");
  const [port, setPort] = useState("");
  const [cidr, setCidr] = useState("0.0.0.0/0");
  const [action, setAction] = useState("ACCEPT");
  const [description, setDescription] = useState("");
  const add = useMutation({
    mutationFn: () =>
      resourcesBackend.addSecurityGroupRule(scope.profileId, scope.region, sgId, {
        direction,
        protocol,
        port: port.trim() || "ALL",
        cidr,
        action,
        description,
      }),
    onSuccess: () => {
      setPort("");
      setDescription("");
      props.onAdded();
    },
  });
  const portIssue = portProblem(port, protocol);
  const cidrBad = !cidrLooksValid(cidr);
  return (
    <form
      className="res-card"
      data-testid="sg-rule-form"
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate();
      }}
    >
      <h3>{t("resources.sg.addRule")}</h3>
      <div className="res-inline">
        <select
          className="res-input"
          data-testid="sg-rule-direction"
          value={direction}
          onChange={(e) => setDirection(e.target.value as Direction)}
        >
          <option value="ingress">{t("resources.sg.inbound")}</option>
          <option value="egress">{t("resources.sg.outbound")}</option>
        </select>
        <select
          className="res-input"
          data-testid="sg-rule-protocol"
          value={protocol}
          onChange={(e) => {
            add.reset();
            setProtocol(e.target.value);
          }}
        >
          {PROTOCOLS.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        <input
          className="res-input"
          data-testid="sg-rule-port"
          placeholder={t("resources.sg.portPlaceholder")}
          value={port}
          onChange={(e) => {
            add.reset();
            setPort(e.target.value);
          }}
        />
        <input
          className="res-input mono"
          data-testid="sg-rule-cidr"
          value={cidr}
          onChange={(e) => {
            add.reset();
            setCidr(e.target.value);
          }}
        />
        <select
          className="res-input"
          data-testid="sg-rule-action"
          value={action}
          onChange={(e) => setAction(e.target.value)}
        >
          <option value="ACCEPT">{t("resources.sg.action.ACCEPT")}</option>
          <option value="DROP">{t("resources.sg.action.DROP")}</option>
        </select>
        <input
          className="res-input"
          data-testid="sg-rule-description"
          placeholder={t("resources.col.description")}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </div>
      {portIssue && (
        <p className="res-field-error" role="alert" data-testid="sg-port-hint">
          {t(`resources.sg.portProblem.${portIssue}`)}
        </p>
      )}
      {cidrBad && (
        <p className="res-field-error" role="alert" data-testid="sg-cidr-hint">
          {t("resources.sg.cidrProblem")}
        </p>
      )}
      {["protocol", "port", "cidr", "action", "description"].map((f) => (
        <FieldError key={f} error={add.error} field={f} />
      ))}
      {add.error &&
        !["protocol", "port", "cidr", "action", "description"].includes(
          fieldOf(add.error) ?? "",
        ) && <ErrorNote error={add.error} />}
      <button
        type="submit"
        className="btn primary"
        data-testid="sg-rule-add"
        disabled={scope.locked || portIssue != null || cidrBad || add.isPending}
      >
        {t("resources.sg.addRuleButton")}
      </button>
    </form>
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

function GroupDetail(props: { scope: Scope; sgId: string; name: string; onDelete?: () => void }) {
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
        {props.onDelete && (
          <button
            type="button"
            className="btn small res-danger"
            data-testid="sg-delete"
            disabled={scope.locked}
            onClick={props.onDelete}
          >
            {t("resources.sg.delete")}
          </button>
        )}
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
          <AddRuleForm
            scope={scope}
            sgId={sgId}
            onAdded={() => void qc.invalidateQueries({ queryKey: key })}
          />
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

function ReportNote({ report }: { report: ActionReport }) {
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
