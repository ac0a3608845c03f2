import { useCallback, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Columns3, Download, RefreshCw, Search } from "lucide-react";
import {
  BackendError,
  type ActionReport,
  apiLanguage,
  type ExportFormat,
  type InstanceView,
  instancesBackend,
} from "../../backend";
import { useActiveProfile } from "../profiles/useProfiles";
import { ActionDialog, type ActionParams } from "./ActionDialog";
import { InstanceTable } from "./InstanceTable";
import { Problem } from "../../components/Problem";
import { ALL_REGIONS, RegionPicker } from "./RegionPicker";
import { Results } from "./Results";
import {
  ACCEPTED,
  ACTIONS,
  COLUMNS,
  NO_FILTERS,
  availability,
  loadHiddenColumns,
  NarrowingFilter,
  saveHiddenColumns,
  type ActionKind,
  type ColumnId,
  type Filters,
} from "./states";
import { useInstances } from "./useInstances";
import { runGrouped } from "./actions";
import { useRegion } from "./useRegion";
import { useRegisterPageCommands } from "../palette/registry";
import { useDismissOnEscape } from "../palette/dismiss";
import "./instances.css";

export { mergeReports } from "./actions";

function ageText(ms: number, t: (k: string, o?: Record<string, unknown>) => string): string {
  const min = Math.max(0, Math.round((Date.now() - ms) / 60000));
  if (min < 1) return t("instances.stale.justNow");
  if (min < 60) return t("instances.stale.minutes", { count: min });
  const h = Math.round(min / 60);
  if (h < 48) return t("instances.stale.hours", { count: h });
  return t("instances.stale.days", { count: Math.round(h / 24) });
}

export function InstancesPage() {
  const { t, i18n } = useTranslation();
  const lang = apiLanguage(i18n.language);
  const profile = useActiveProfile();
  const profileId = profile?.id;
  const { region, choose } = useRegion(profile);
  const qc = useQueryClient();
  const [allRegions, setAllRegions] = useState(false);
  const [reload, setReload] = useState(0);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const setFilter = (f: Partial<Filters>) => setFilters((old) => ({ ...old, ...f }));
  const [hidden, setHidden] = useState<Set<ColumnId>>(() => new Set(loadHiddenColumns()));
  const [columnsOpen, setColumnsOpen] = useState(false);
  const [exported, setExported] = useState<string | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);
  const sortedRef = useRef<(() => InstanceView[]) | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [dialog, setDialog] = useState<Exclude<ActionKind, "start"> | null>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ActionReport | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);

  const regions = useQuery({
    queryKey: ["regions", profileId, lang],
    queryFn: () => instancesBackend.listRegions(profileId ?? "", lang),
    enabled: !!profileId,
    staleTime: 60 * 60 * 1000,
  });
  const zones = useQuery({
    queryKey: ["zones", profileId, region, lang],
    queryFn: () => instancesBackend.listZones(profileId ?? "", region ?? "", lang),
    enabled: !!profileId && !!region && !allRegions,
    staleTime: 60 * 60 * 1000,
  });
  const enabled = useQuery({
    queryKey: ["enabled-regions", profileId],
    queryFn: () => instancesBackend.enabledRegions(profileId ?? ""),
    enabled: !!profileId,
  });
  const scope = useMemo(() => {
    if (!allRegions) return region ? [region] : [];
    const known = (regions.data ?? []).filter((r) => r.available).map((r) => r.id);
    return enabled.data ? enabled.data.filter((r) => known.includes(r)) : known;
  }, [allRegions, region, regions.data, enabled.data]);
  const listing = useInstances(profileId, scope, null, reload);

  const [now] = useState(() => Date.now());
  // Filtered on every keystroke (no deferred render): the filter narrows its last answers
  // and the table only re-orders the matches, so a keystroke paints one frame later.
  const [narrowing] = useState(() => new NarrowingFilter());
  const shown = useMemo(
    () => narrowing.apply(listing.rows, filters, now),
    [narrowing, listing.rows, filters, now],
  );
  // Zone names (with availability) from DescribeZones for one region; the rows' zones otherwise.
  const zoneOptions = useMemo(() => {
    const seen = [...new Set(listing.rows.map((i) => i.zone))].sort();
    const named = new Map((allRegions ? [] : (zones.data ?? [])).map((z) => [z.zone, z]));
    const ids = [...new Set([...named.keys(), ...seen])];
    return ids.map((id) => {
      const z = named.get(id);
      return {
        id,
        label: !z ? id : z.available ? z.name : t("instances.zone.unavailable", { name: z.name }),
      };
    });
  }, [listing.rows, zones.data, allRegions, t]);
  const tableHidden = useMemo(
    () => new Set<ColumnId>([...hidden, "account", ...(allRegions ? [] : ["region" as const])]),
    [allRegions, hidden],
  );
  const billingModels = useMemo(
    () => [...new Set(listing.rows.map((i) => i.chargeType))].sort(),
    [listing.rows],
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
    if (r === ALL_REGIONS) setAllRegions(true);
    else {
      setAllRegions(false);
      choose(r);
    }
    setFilter({ zone: "" });
    setSelected(new Set());
    setReport(null);
    setActionError(null);
  };

  const saveEnabled = (list: string[] | null) => {
    if (!profileId) return;
    instancesBackend.setEnabledRegions(profileId, list).then(
      () => void qc.invalidateQueries({ queryKey: ["enabled-regions", profileId] }),
      (e: unknown) => setActionError(e),
    );
  };

  const toggleColumn = (c: ColumnId) =>
    setHidden((h) => {
      const n = new Set(h);
      if (n.has(c)) n.delete(c);
      else n.add(c);
      saveHiddenColumns([...n]);
      return n;
    });

  const exportView = async (format: ExportFormat) => {
    setExported(null);
    setExportError(null);
    try {
      const sorted = sortedRef.current?.() ?? [];
      const rows = sorted.length === shown.length ? sorted : shown;
      const path = await instancesBackend.exportInstances(
        format,
        rows,
        t("instances.export.title"),
      );
      if (path) setExported(path);
    } catch (e) {
      setExportError(e);
    }
  };

  const run = async (p: ActionParams) => {
    if (!profileId) return;
    setBusy(true);
    setActionError(null);
    try {
      setReport(await runGrouped(p, selectedRows, listing.apply));
      if (p.kind === "rename") setReload((n) => n + 1);
      setDialog(null);
    } catch (e) {
      setActionError(e);
      setDialog(null);
    } finally {
      setBusy(false);
    }
  };

  // Stable, so the memoised table does not re-render for the page's own state changes.
  const toggle = useCallback(
    (id: string) =>
      setSelected((s) => {
        const n = new Set(s);
        if (n.has(id)) n.delete(id);
        else n.add(id);
        return n;
      }),
    [],
  );
  const toggleAll = useCallback(
    (ids: string[], on: boolean) =>
      setSelected((s) => {
        const n = new Set(s);
        for (const id of ids) {
          if (on) n.add(id);
          else n.delete(id);
        }
        return n;
      }),
    [],
  );

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
  useDismissOnEscape(() => setDialog(null), dialog !== null);

  return (
    <section className="page instances-page" data-testid="instances-page">
      <header className="instances-header">
        <h1>{t("instances.title")}</h1>
        <RegionPicker
          regions={regions.data ?? []}
          value={allRegions ? ALL_REGIONS : region}
          onChange={switchRegion}
          enabled={enabled.data ?? null}
          onSaveEnabled={saveEnabled}
        />
        <select
          className="input"
          aria-label={t("instances.zone.label")}
          data-testid="zone-filter"
          value={filters.zone}
          onChange={(e) => setFilter({ zone: e.target.value })}
        >
          <option value="">{t("instances.zone.all")}</option>
          {zoneOptions.map((z) => (
            <option key={z.id} value={z.id}>
              {z.label}
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
        {/* data-filter: the filter text the shown rows answer (perf/app-bench.mjs reads it). */}
        <span className="muted small" data-testid="instance-count" data-filter={filters.text}>
          {listing.loading
            ? t("instances.loading", { loaded: listing.rows.length, total: listing.total })
            : t("instances.count", { shown: shown.length, total: listing.rows.length })}
        </span>
        <div className="header-tools">
          <div className="columns-chooser">
            <button
              type="button"
              className="button icon-only"
              data-testid="columns-button"
              aria-expanded={columnsOpen}
              title={t("instances.columns.button")}
              aria-label={t("instances.columns.button")}
              onClick={() => setColumnsOpen((o) => !o)}
            >
              <Columns3 aria-hidden size={14} />
            </button>
            {columnsOpen && (
              <div className="columns-popover" data-testid="columns-popover">
                {COLUMNS.filter((c) => c !== "account").map((c) => (
                  <label key={c} className="radio small">
                    <input
                      type="checkbox"
                      data-testid={`column-toggle-${c}`}
                      checked={!hidden.has(c)}
                      onChange={() => toggleColumn(c)}
                    />
                    {t(`instances.col.${COLUMN_LABEL[c]}`)}
                  </label>
                ))}
              </div>
            )}
          </div>
          <div className="export-pair" role="group" aria-label={t("instances.export.title")}>
            <button
              type="button"
              className="button"
              data-testid="export-csv"
              disabled={shown.length === 0}
              onClick={() => void exportView("csv")}
            >
              <Download aria-hidden size={14} />
              CSV
            </button>
            <button
              type="button"
              className="button"
              data-testid="export-json"
              disabled={shown.length === 0}
              onClick={() => void exportView("json")}
            >
              JSON
            </button>
          </div>
        </div>
      </header>

      {regions.error && <Problem title={t("instances.error.title")} error={regions.error} />}
      {listing.staleSince !== null && (
        <p className="stale-banner small" data-testid="stale-banner" role="status">
          {t("instances.stale.banner", { age: ageText(listing.staleSince, t) })}
        </p>
      )}
      {allRegions && (
        <ul className="region-progress" data-testid="region-progress">
          {scope.map((r) => {
            const p = listing.progress[r];
            const status = p?.status ?? "waiting";
            return (
              <li
                key={r}
                className={`region-chip region-chip-${status}`}
                data-testid={`region-progress-${r}`}
                data-status={status}
              >
                <span className="mono">{r}</span>{" "}
                {status === "failed" ? (
                  <span className="bad small" title={errorText(p?.error)}>
                    {errorCode(p?.error)}
                  </span>
                ) : (
                  <span className="small muted">
                    {status === "waiting"
                      ? t("instances.progress.waiting")
                      : `${p?.loaded ?? 0}/${p?.total ?? "?"}`}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {allRegions &&
        scope
          .filter((r) => listing.progress[r]?.status === "failed")
          .map((r) => (
            <Problem
              key={r}
              title={t("instances.error.regionTitle", { region: r })}
              error={listing.progress[r]?.error}
              testid={`region-error-${r}`}
            />
          ))}

      <div className="instances-toolbar">
        <div className="filter-box">
          <Search aria-hidden size={14} />
          <input
            className="input"
            data-testid="instance-filter"
            placeholder={t("instances.filter.placeholder")}
            value={filters.text}
            onChange={(e) => setFilter({ text: e.target.value })}
          />
        </div>
        <select
          className="input"
          data-testid="state-filter"
          aria-label={t("instances.col.state")}
          value={filters.state}
          onChange={(e) => setFilter({ state: e.target.value })}
        >
          <option value="">{t("instances.filter.allStates")}</option>
          {states.map((s) => (
            <option key={s} value={s}>
              {t(`instances.state.${s}`, { defaultValue: s })}
            </option>
          ))}
        </select>
        <select
          className="input"
          data-testid="billing-filter"
          aria-label={t("instances.col.billing")}
          value={filters.billing}
          onChange={(e) => setFilter({ billing: e.target.value })}
        >
          <option value="">{t("instances.filter.allBilling")}</option>
          {billingModels.map((c) => (
            <option key={c} value={c}>
              {t(`instances.charge.${c}`, { defaultValue: c })}
            </option>
          ))}
        </select>
        <label className="radio small">
          <input
            type="checkbox"
            data-testid="expiring-filter"
            checked={filters.expiring}
            onChange={(e) => setFilter({ expiring: e.target.checked })}
          />
          {t("instances.filter.expiring")}
        </label>
      </div>
      <div className="instances-toolbar">
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
      {exported && (
        <p className="small" data-testid="export-result" role="status">
          {t("instances.export.done", { path: exported })}
        </p>
      )}
      {exportError !== null && (
        <Problem title={t("instances.export.failed")} error={exportError} testid="export-error" />
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
        <InstanceTable
          rows={listing.rows}
          shown={shown}
          selected={selected}
          onToggle={toggle}
          onToggleAll={toggleAll}
          hidden={tableHidden}
          sortedRef={sortedRef}
          profileId={profileId}
        />
      )}

      {dialog && profileId && (
        <ActionDialog
          kind={dialog}
          currency={profile?.site.type === "intl" ? "USD" : "CNY"}
          instances={selectedRows}
          busy={busy}
          onCancel={() => setDialog(null)}
          onConfirm={(p) => void run(p)}
        />
      )}
    </section>
  );
}

/** The column chooser's labels (keys under instances.col). */
export const COLUMN_LABEL: Record<ColumnId, string> = {
  account: "account",
  region: "region",
  state: "state",
  zone: "zone",
  instanceType: "type",
  size: "size",
  privateIp: "privateIp",
  publicIp: "publicIp",
  chargeType: "billing",
  network: "network",
  expiry: "expiry",
  created: "created",
  tags: "tags",
  cpu: "cpu",
};

function errorCode(e: unknown): string {
  return e instanceof BackendError ? e.detail.code : "Error";
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
