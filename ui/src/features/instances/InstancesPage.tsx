import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "@tanstack/react-query";
import { RefreshCw, Search } from "lucide-react";
import {
  consoleBackend,
  type ActionReport,
  type ApiLanguageArg,
  type InstanceView,
} from "../../backend";
import { useActiveProfile } from "../profiles/useProfiles";
import { ActionDialog, type ActionParams } from "./ActionDialog";
import { InstanceTable } from "./InstanceTable";
import { Problem } from "./Problem";
import { RegionPicker } from "./RegionPicker";
import { Results } from "./Results";
import { ACCEPTED, ACTIONS, availability, type ActionKind } from "./states";
import { useInstances } from "./useInstances";
import { useRegion } from "./useRegion";
import { useRegisterPageCommands } from "../palette/registry";
import "./instances.css";

/** Instant local filter over name, id, IPs and tags. */
export function matches(i: InstanceView, text: string, state: string): boolean {
  if (state && i.state !== state) return false;
  const q = text.trim().toLowerCase();
  if (!q) return true;
  return (
    i.name.toLowerCase().includes(q) ||
    i.id.includes(q) ||
    i.privateIps.some((ip) => ip.includes(q)) ||
    i.publicIps.some((ip) => ip.includes(q)) ||
    i.tags.some((tg) => `${tg.key}:${tg.value}`.toLowerCase().includes(q))
  );
}

export function InstancesPage() {
  const { t, i18n } = useTranslation();
  const lang: ApiLanguageArg = i18n.language.startsWith("zh") ? "zh-CN" : "en";
  const profile = useActiveProfile();
  const profileId = profile?.id;
  const { region, choose } = useRegion(profile);
  const [zone, setZone] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [text, setText] = useState("");
  const [stateFilter, setStateFilter] = useState("");
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [dialog, setDialog] = useState<Exclude<ActionKind, "start"> | null>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ActionReport | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);

  const regions = useQuery({
    queryKey: ["regions", profileId, lang],
    queryFn: () => consoleBackend.listRegions(profileId ?? "", lang),
    enabled: !!profileId,
    staleTime: 60 * 60 * 1000,
  });
  const zones = useQuery({
    queryKey: ["zones", profileId, region, lang],
    queryFn: () => consoleBackend.listZones(profileId ?? "", region ?? "", lang),
    enabled: !!profileId && !!region,
    staleTime: 60 * 60 * 1000,
  });
  const listing = useInstances(profileId, region, zone, reload);

  const shown = useMemo(
    () => listing.rows.filter((i) => matches(i, text, stateFilter)),
    [listing.rows, text, stateFilter],
  );
  const byId = useMemo(() => new Map(listing.rows.map((i) => [i.id, i])), [listing.rows]);
  const selectedRows = useMemo(
    () => [...selected].map((id) => byId.get(id)).filter((i): i is InstanceView => !!i),
    [selected, byId],
  );
  const states = useMemo(
    () => [...new Set(listing.rows.map((i) => i.state))].sort(),
    [listing.rows],
  );

  const switchRegion = (r: string) => {
    choose(r);
    setZone(null);
    setSelected(new Set());
    setReport(null);
    setActionError(null);
  };

  const run = async (p: ActionParams) => {
    if (!profileId || !region) return;
    const ids = selectedRows.map((i) => i.id);
    setBusy(true);
    setActionError(null);
    try {
      const b = consoleBackend;
      const on = listing.apply;
      const r =
        p.kind === "start"
          ? await b.startInstances(profileId, region, ids, on)
          : p.kind === "stop"
            ? await b.stopInstances(profileId, region, ids, p.stopType, p.stoppedMode, on)
            : p.kind === "reboot"
              ? await b.rebootInstances(profileId, region, ids, p.stopType, on)
              : p.kind === "terminate"
                ? await b.terminateInstances(profileId, region, ids, on)
                : p.kind === "rename"
                  ? await b.renameInstances(profileId, region, ids, p.name, on)
                  : await b.resetInstancesPassword(
                      profileId,
                      region,
                      ids,
                      p.password,
                      p.userName,
                      p.forceStop,
                      on,
                    );
      setReport(r);
      if (p.kind === "rename") setReload((n) => n + 1);
      setDialog(null);
    } catch (e) {
      setActionError(e);
      setDialog(null);
    } finally {
      setBusy(false);
    }
  };

  const toggle = (id: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  const toggleAll = (ids: string[], on: boolean) =>
    setSelected((s) => {
      const n = new Set(s);
      for (const id of ids) {
        if (on) n.add(id);
        else n.delete(id);
      }
      return n;
    });

  const reasonText = (a: ActionKind) => {
    const av = availability(a, selectedRows, profile?.locked ?? false);
    if (av.enabled) return undefined;
    if (av.reason !== "wrongState") return t(`instances.reason.${av.reason}`);
    return t("instances.reason.wrongState", {
      name: av.blocking?.name || av.blocking?.id,
      state: t(`instances.state.${av.blocking?.state}`, { defaultValue: av.blocking?.state }),
      action: t(`instances.action.${a}`),
      accepted: ACCEPTED[a].map((s) => t(`instances.state.${s}`, { defaultValue: s })).join(" / "),
    });
  };

  // The command palette and shortcuts dispatch to this page's own flow.
  useRegisterPageCommands({
    profileId,
    refresh: () => setReload((n) => n + 1),
    focusSearch: () =>
      document.querySelector<HTMLInputElement>('[data-testid="instance-filter"]')?.focus(),
    switchRegion,
    instances: listing.rows,
    actions: ACTIONS.map((a) => ({
      id: a,
      label: t(`instances.action.${a}`),
      disabledReason: busy ? t("palette.busy") : reasonText(a),
      run: () => (a === "start" ? void run({ kind: "start" }) : setDialog(a)),
    })),
  });

  return (
    <section className="page instances-page" data-testid="instances-page">
      <header className="instances-header">
        <h1>{t("instances.title")}</h1>
        <RegionPicker regions={regions.data ?? []} value={region} onChange={switchRegion} />
        <select
          className="input"
          aria-label={t("instances.zone.label")}
          data-testid="zone-filter"
          value={zone ?? ""}
          onChange={(e) => {
            setZone(e.target.value || null);
            setSelected(new Set());
          }}
        >
          <option value="">{t("instances.zone.all")}</option>
          {(zones.data ?? []).map((z) => (
            <option key={z.zone} value={z.zone}>
              {z.available ? z.name : t("instances.zone.unavailable", { name: z.name })}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button"
          data-testid="refresh"
          onClick={() => setReload((n) => n + 1)}
          disabled={listing.loading}
        >
          <RefreshCw aria-hidden size={14} className={listing.loading ? "spin" : undefined} />
          {t("instances.refresh")}
        </button>
        <span className="muted small" data-testid="instance-count">
          {listing.loading
            ? t("instances.loading", { loaded: listing.rows.length, total: listing.total })
            : t("instances.count", { shown: shown.length, total: listing.rows.length })}
        </span>
      </header>

      {regions.error && <Problem title={t("instances.error.title")} error={regions.error} />}

      <div className="instances-toolbar">
        <div className="filter-box">
          <Search aria-hidden size={14} />
          <input
            className="input"
            data-testid="instance-filter"
            placeholder={t("instances.filter.placeholder")}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        <select
          className="input"
          data-testid="state-filter"
          aria-label={t("instances.col.state")}
          value={stateFilter}
          onChange={(e) => setStateFilter(e.target.value)}
        >
          <option value="">{t("instances.filter.allStates")}</option>
          {states.map((s) => (
            <option key={s} value={s}>
              {t(`instances.state.${s}`, { defaultValue: s })}
            </option>
          ))}
        </select>
        <span className="small muted" data-testid="selection-count">
          {t("instances.selected", { count: selectedRows.length })}
        </span>
        <div className="action-buttons">
          {ACTIONS.map((a) => {
            const reason = reasonText(a);
            return (
              <button
                key={a}
                type="button"
                className={`button${a === "terminate" ? " danger" : ""}`}
                data-testid={`action-${a}`}
                disabled={!!reason || busy}
                title={reason}
                aria-description={reason}
                onClick={() => (a === "start" ? void run({ kind: "start" }) : setDialog(a))}
              >
                {t(`instances.action.${a}`)}
              </button>
            );
          })}
        </div>
      </div>
      {selectedRows.length > 0 && (
        <p className="small muted action-reason" data-testid="action-reason">
          {ACTIONS.map((a) => reasonText(a))
            .filter((r) => r)
            .slice(0, 1)}
        </p>
      )}

      {actionError !== null && (
        <Problem title={t("instances.error.title")} error={actionError} testid="action-error" />
      )}
      {report && (
        <Results
          report={report}
          names={byId}
          failures={listing.failures}
          onDismiss={() => setReport(null)}
        />
      )}
      {listing.error !== null && (
        <Problem title={t("instances.error.listTitle")} error={listing.error} testid="list-error" />
      )}

      {!listing.loading && listing.rows.length === 0 && listing.error === null ? (
        <p className="muted" data-testid="instances-empty">
          {t("instances.empty")}
        </p>
      ) : !listing.loading && shown.length === 0 ? (
        <p className="muted" data-testid="instances-no-match">
          {t("instances.noMatch")}
        </p>
      ) : (
        <InstanceTable rows={shown} selected={selected} onToggle={toggle} onToggleAll={toggleAll} />
      )}

      {dialog && (
        <ActionDialog
          kind={dialog}
          instances={selectedRows}
          busy={busy}
          onCancel={() => setDialog(null)}
          onConfirm={(p) => void run(p)}
        />
      )}
    </section>
  );
}
