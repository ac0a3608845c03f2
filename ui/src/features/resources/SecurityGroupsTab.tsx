import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useForm, useWatch } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  type ActionReport,
  type RuleView,
  type SecurityGroupView,
  resourcesBackend,
} from "../../backend";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorNote, FieldError, fieldOf } from "./common";
import type { Scope } from "./ResourcesPage";
import { useRegionInstances } from "./useRegionInstances";
import { createGroupSchema, ruleSchema, type CreateGroupValues, type RuleValues } from "./forms";

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
          confirmLabel={t("resources.sg.delete")}
          danger
          phrase={deleting.name}
          busy={del.isPending}
          error={del.error != null && <ErrorNote error={del.error} />}
          onCancel={() => setDeleting(null)}
          onConfirm={(typed) => del.mutate({ id: deleting.id, confirm: typed ?? "" })}
        >
          <p>{t("resources.sg.deleteBody", { name: deleting.name, id: deleting.id })}</p>
        </ConfirmDialog>
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
  const form = useForm<CreateGroupValues>({
    resolver: zodResolver(createGroupSchema),
    defaultValues: { name: "", description: "" },
    mode: "onChange",
  });
  const name = useWatch({ control: form.control, name: "name" });
  const errors = form.formState.errors;
  const create = useMutation({
    mutationFn: (v: CreateGroupValues) =>
      resourcesBackend.createSecurityGroup(scope.profileId, scope.region, v.name, v.description),
    onSuccess: (g) => {
      form.reset();
      props.onCreated(g);
    },
  });
  return (
    <form
      className="res-toolbar"
      data-testid="sg-create-form"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate(form.getValues());
      }}
    >
      <input
        className="res-input"
        data-testid="sg-create-name"
        placeholder={t("resources.sg.newName")}
        {...form.register("name", { onChange: () => create.reset() })}
      />
      <input
        className="res-input"
        data-testid="sg-create-description"
        placeholder={t("resources.sg.newDescription")}
        {...form.register("description", { onChange: () => create.reset() })}
      />
      <button
        type="submit"
        className="btn primary"
        data-testid="sg-create"
        disabled={
          scope.locked ||
          !name.trim() ||
          errors.name != null ||
          errors.description != null ||
          create.isPending
        }
      >
        {t("resources.sg.create")}
      </button>
      {errors.name?.message && (
        <p className="res-field-error" role="alert" data-testid="sg-name-hint">
          {t(errors.name.message)}
        </p>
      )}
      {errors.description?.message && (
        <p className="res-field-error" role="alert" data-testid="sg-description-hint">
          {t(errors.description.message)}
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
  const form = useForm<RuleValues>({
    resolver: zodResolver(ruleSchema),
    defaultValues: {
      direction: "ingress",
      protocol: "TCP",
      port: "",
      cidr: "0.0.0.0/0",
      action: "ACCEPT",
      description: "",
    },
    mode: "onChange",
  });
  const errors = form.formState.errors;
  const add = useMutation({
    mutationFn: (v: RuleValues) =>
      resourcesBackend.addSecurityGroupRule(scope.profileId, scope.region, sgId, {
        ...v,
        port: v.port.trim() || "ALL",
      }),
    onSuccess: () => {
      form.resetField("port");
      form.resetField("description");
      props.onAdded();
    },
  });
  return (
    <form
      className="res-card"
      data-testid="sg-rule-form"
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate(form.getValues());
      }}
    >
      <h3>{t("resources.sg.addRule")}</h3>
      <div className="res-inline">
        <select
          className="res-input"
          data-testid="sg-rule-direction"
          {...form.register("direction")}
        >
          <option value="ingress">{t("resources.sg.inbound")}</option>
          <option value="egress">{t("resources.sg.outbound")}</option>
        </select>
        <select
          className="res-input"
          data-testid="sg-rule-protocol"
          {...form.register("protocol", { deps: "port", onChange: () => add.reset() })}
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
          {...form.register("port", { onChange: () => add.reset() })}
        />
        <input
          className="res-input mono"
          data-testid="sg-rule-cidr"
          {...form.register("cidr", { onChange: () => add.reset() })}
        />
        <select className="res-input" data-testid="sg-rule-action" {...form.register("action")}>
          <option value="ACCEPT">{t("resources.sg.action.ACCEPT")}</option>
          <option value="DROP">{t("resources.sg.action.DROP")}</option>
        </select>
        <input
          className="res-input"
          data-testid="sg-rule-description"
          placeholder={t("resources.col.description")}
          {...form.register("description")}
        />
      </div>
      {errors.port?.message && (
        <p className="res-field-error" role="alert" data-testid="sg-port-hint">
          {t(errors.port.message)}
        </p>
      )}
      {errors.cidr?.message && (
        <p className="res-field-error" role="alert" data-testid="sg-cidr-hint">
          {t(errors.cidr.message)}
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
        disabled={scope.locked || errors.port != null || errors.cidr != null || add.isPending}
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
