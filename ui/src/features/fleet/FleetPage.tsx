import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "@tanstack/react-query";
import { Bookmark, Columns3, Download, RefreshCw, Search } from "lucide-react";
import {
  BackendError,
  type ActionReport,
  apiLanguage,
  type ExportFormat,
  type FleetTarget,
  type InstanceView,
  type ProfileView,
  instancesBackend,
} from "../../backend";
import { useProfiles } from "../profiles/useProfiles";
import { ActionDialog, type ActionParams } from "../instances/ActionDialog";
import { InstanceTable } from "../instances/InstanceTable";
import { COLUMN_LABEL } from "../instances/InstancesPage";
import { Problem } from "../../components/Problem";
import { Modal } from "../../components/Modal";
import { Results } from "../instances/Results";
import { runGrouped } from "../instances/actions";
import {
  ACCEPTED,
  ACTIONS,
  COLUMNS,
  FLEET_HIDDEN,
  NO_FILTERS,
  NarrowingFilter,
  availability,
  loadHiddenColumns,
  saveHiddenColumns,
  type ActionKind,
  type ColumnId,
} from "../instances/states";
import { useRegisterPageCommands } from "../palette/registry";
import { useDismissOnEscape } from "../palette/dismiss";
import { placeKey, useFleet } from "./useFleet";
import {
  type FieldError,
  type FleetView,
  consume,
  isConsumed,
  matchesTags,
  parseTagFilter,
  saveView,
  useRequestedView,
} from "./views";
import "../instances/instances.css";
import "./fleet.css";

const HIDDEN_KEY = "cvm.fleet.hiddenColumns";

function profileName(p: ProfileView, sandbox: string) {
  return p.kind === "sandbox" ? sandbox : p.name;
}

/** A checkbox list in a popover: every option, or a chosen few (null: all of them). */
function MultiPicker(props: {
  testid: string;
  label: string;
  allLabel: string;
  options: { id: string; label: string }[];
  value: string[] | null;
  onChange: (v: string[] | null) => void;
}) {
  const [open, setOpen] = useState(false);
  const { t } = useTranslation();
  const chosen = props.value;
  const summary =
    chosen === null
      ? props.allLabel
      : t("fleet.picked", { count: chosen.length, label: props.label });
  const toggle = (id: string) => {
    const base = chosen ?? props.options.map((o) => o.id);
    const next = base.includes(id) ? base.filter((x) => x !== id) : [...base, id];
    props.onChange(next.length === props.options.length ? null : next);
  };
  return (
    <div className="columns-chooser">
      <button
        type="button"
        className="button"
        data-testid={props.testid}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        {summary}
      </button>
      {open && (
        <div className="columns-popover fleet-popover" data-testid={`${props.testid}-popover`}>
          <label className="radio small">
            <input
              type="checkbox"
              data-testid={`${props.testid}-all`}
              checked={chosen === null}
              onChange={() => props.onChange(null)}
            />
            {props.allLabel}
          </label>
          {props.options.map((o) => (
            <label key={o.id} className="radio small">
              <input
                type="checkbox"
                data-testid={`${props.testid}-${o.id}`}
                checked={chosen === null || chosen.includes(o.id)}
                disabled={chosen !== null && chosen.length === 1 && chosen[0] === o.id}
                onChange={() => toggle(o.id)}
              />
              {o.label}
            </label>
          ))}
        </div>
      )}
    </div>
  );
}

/**
 * The fleet: every account's instances in every region in one table. By default every
 * profile with its enabled regions; each (account, region) shows its own progress,
 * failure and staleness, and one that fails does not stop the others. Actions go to each
 * selected row's own account and region, with the same dialogs as the instance list.
 */
export function FleetPage() {
  const { t, i18n } = useTranslation();
  const lang = apiLanguage(i18n.language);
  const profiles = useProfiles();
  const all = useMemo(() => profiles.data?.profiles ?? [], [profiles.data]);
  // A view opened from the palette: taken when the page mounts for it (once), or applied
  // when it arrives while the page is shown.
  const requested = useRequestedView();
  const [initial] = useState(() => (requested && !isConsumed(requested) ? requested : null));
  const [applied, setApplied] = useState(requested);
  useEffect(() => {
    if (requested) consume(requested);
  }, [requested]);
  const [accounts, setAccounts] = useState<string[] | null>(initial?.accounts ?? null);
  const [regionsChosen, setRegionsChosen] = useState<string[] | null>(initial?.regions ?? null);
  const [reload, setReload] = useState(0);
  const [text, setText] = useState(initial?.text ?? "");
  const [state, setState] = useState(initial?.state ?? "");
  const [tagText, setTagText] = useState(initial?.tags ?? "");
  const [hidden, setHidden] = useState<Set<ColumnId>>(
    () => new Set(loadHiddenColumns(HIDDEN_KEY, FLEET_HIDDEN)),
  );
  const [columnsOpen, setColumnsOpen] = useState(false);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [dialog, setDialog] = useState<Exclude<ActionKind, "start"> | null>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ActionReport | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [exported, setExported] = useState<string | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const sortedRef = useRef<(() => InstanceView[]) | null>(null);

  const sandboxName = t("profiles.sandboxName");
  const names = useMemo(
    () => new Map(all.map((p) => [p.id, profileName(p, sandboxName)])),
    [all, sandboxName],
  );
  const lockedIds = useMemo(() => new Set(all.filter((p) => p.locked).map((p) => p.id)), [all]);
  // The region choices: what the first account's DescribeRegions reports.
  const first = all[0]?.id;
  const regionList = useQuery({
    queryKey: ["regions", first, lang],
    queryFn: () => instancesBackend.listRegions(first ?? "", lang),
    enabled: !!first,
    staleTime: 60 * 60 * 1000,
  });

  const targets = useMemo((): FleetTarget[] | null => {
    if (accounts === null && regionsChosen === null) return null;
    const ids = accounts ?? all.map((p) => p.id);
    return ids.map((profileId) => ({ profileId, regions: regionsChosen }));
  }, [accounts, regionsChosen, all]);
  const listing = useFleet(targets, reload);

  const tagFilter = useMemo(() => parseTagFilter(tagText), [tagText]);
  const [now] = useState(() => Date.now());
  const [narrowing] = useState(() => new NarrowingFilter());
  const shown = useMemo(() => {
    const base = narrowing.apply(listing.rows, { ...NO_FILTERS, text, state }, now);
    if (!tagFilter.ok || tagFilter.conditions.length === 0) return base;
    return base.filter((i) => matchesTags(i, tagFilter.conditions));
  }, [narrowing, listing.rows, text, state, now, tagFilter]);
  const states = useMemo(
    () => [...new Set(listing.rows.map((i) => i.state))].sort(),
    [listing.rows],
  );
  const byId = useMemo(() => new Map(listing.rows.map((i) => [i.id, i])), [listing.rows]);
  const selectedRows = useMemo(
    () => [...selected].map((id) => byId.get(id)).filter((i): i is InstanceView => !!i),
    [selected, byId],
  );

  if (requested && requested !== applied) {
    setApplied(requested);
    setAccounts(requested.accounts);
    setRegionsChosen(requested.regions);
    setTagText(requested.tags);
    setText(requested.text);
    setState(requested.state);
    setSelected(new Set());
  }

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
  const toggleColumn = (c: ColumnId) =>
    setHidden((h) => {
      const n = new Set(h);
      if (n.has(c)) n.delete(c);
      else n.add(c);
      saveHiddenColumns([...n], HIDDEN_KEY);
      return n;
    });

  const isLocked = useCallback((i: InstanceView) => lockedIds.has(i.profileId), [lockedIds]);
  const reasonText = (a: ActionKind) => {
    const av = availability(a, selectedRows, isLocked);
    if (av.enabled) return undefined;
    if (av.reason !== "wrongState") return t(`instances.reason.${av.reason}`);
    return t("instances.reason.wrongState", {
      name: av.blocking?.name || av.blocking?.id,
      state: t(`instances.state.${av.blocking?.state}`, { defaultValue: av.blocking?.state }),
      action: t(`instances.action.${a}`),
      accepted: ACCEPTED[a].map((s) => t(`instances.state.${s}`, { defaultValue: s })).join(" / "),
    });
  };

  const run = async (p: ActionParams) => {
    setBusy(true);
    setActionError(null);
    try {
      setReport(await runGrouped(p, selectedRows, listing.apply));
      if (p.kind === "rename") setReload((n) => n + 1);
    } catch (e) {
      setActionError(e);
    } finally {
      setDialog(null);
      setBusy(false);
    }
  };

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

  useRegisterPageCommands({
    refresh: () => setReload((n) => n + 1),
    focusSearch: () =>
      document.querySelector<HTMLInputElement>('[data-testid="fleet-filter"]')?.focus(),
    instances: listing.rows,
    actions: ACTIONS.map((a) => ({
      id: a,
      label: t(`instances.action.${a}`),
      disabledReason: busy ? t("palette.busy") : reasonText(a),
      run: () => (a === "start" ? void run({ kind: "start" }) : setDialog(a)),
    })),
  });
  useDismissOnEscape(() => setDialog(null), dialog !== null);

  const chosenAccounts = accounts ?? all.map((p) => p.id);
  const loadedCount = listing.rows.length;

  return (
    <section className="page instances-page fleet-page" data-testid="fleet-page">
      <header className="instances-header">
        <h1>{t("fleet.title")}</h1>
        <MultiPicker
          testid="fleet-accounts"
          label={t("fleet.accounts")}
          allLabel={t("fleet.allAccounts")}
          options={all.map((p) => ({ id: p.id, label: profileName(p, sandboxName) }))}
          value={accounts}
          onChange={(v) => {
            setAccounts(v);
            setSelected(new Set());
          }}
        />
        <MultiPicker
          testid="fleet-regions"
          label={t("fleet.regions")}
          allLabel={t("fleet.enabledRegions")}
          options={(regionList.data ?? [])
            .filter((r) => r.available)
            .map((r) => ({ id: r.id, label: `${r.name} (${r.id})` }))}
          value={regionsChosen}
          onChange={(v) => {
            setRegionsChosen(v);
            setSelected(new Set());
          }}
        />
        <button
          type="button"
          className="button"
          data-testid="fleet-refresh"
          onClick={() => setReload((n) => n + 1)}
          disabled={listing.loading}
        >
          <RefreshCw aria-hidden size={14} className={listing.loading ? "spin" : undefined} />
          {t("instances.refresh")}
        </button>
        <span className="muted small" data-testid="fleet-count" data-filter={text}>
          {listing.loading
            ? t("fleet.loading", { loaded: loadedCount })
            : t("instances.count", { shown: shown.length, total: loadedCount })}
        </span>
        <div className="header-tools">
          <div className="columns-chooser">
            <button
              type="button"
              className="button icon-only"
              data-testid="fleet-columns-button"
              aria-expanded={columnsOpen}
              title={t("instances.columns.button")}
              aria-label={t("instances.columns.button")}
              onClick={() => setColumnsOpen((o) => !o)}
            >
              <Columns3 aria-hidden size={14} />
            </button>
            {columnsOpen && (
              <div className="columns-popover" data-testid="fleet-columns-popover">
                {COLUMNS.map((c) => (
                  <label key={c} className="radio small">
                    <input
                      type="checkbox"
                      data-testid={`fleet-column-toggle-${c}`}
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
              data-testid="fleet-export-csv"
              disabled={shown.length === 0}
              onClick={() => void exportView("csv")}
            >
              <Download aria-hidden size={14} />
              CSV
            </button>
            <button
              type="button"
              className="button"
              data-testid="fleet-export-json"
              disabled={shown.length === 0}
              onClick={() => void exportView("json")}
            >
              JSON
            </button>
          </div>
        </div>
      </header>

      <ul className="fleet-progress" data-testid="fleet-progress">
        {chosenAccounts.map((id) => {
          const regions = listing.scopes[id] ?? [];
          const places = regions.map((r) => ({ r, p: listing.progress[placeKey(id, r)] }));
          const failed = places.filter((x) => x.p?.status === "failed");
          const done = places.filter((x) => x.p?.status === "done").length;
          const rows = places.reduce((n, x) => n + (x.p?.loaded ?? 0), 0);
          const stale = places
            .map((x) => x.p?.staleSince ?? null)
            .filter((s): s is number => s !== null);
          const accountError = listing.accountErrors[id];
          const status = accountError
            ? "failed"
            : regions.length === 0
              ? "waiting"
              : done + failed.length === regions.length
                ? failed.length > 0
                  ? "partial"
                  : "done"
                : "loading";
          return (
            <li
              key={id}
              className={`fleet-account fleet-account-${status}`}
              data-testid={`fleet-account-${id}`}
              data-status={status}
            >
              <strong>{names.get(id) ?? id}</strong>
              {lockedIds.has(id) && (
                <span className="badge badge-neutral small">{t("fleet.readOnly")}</span>
              )}
              {accountError ? (
                <span className="bad small" title={errorText(accountError)}>
                  {errorCode(accountError)}
                </span>
              ) : (
                <span className="small muted">
                  {regions.length === 0
                    ? t("instances.progress.waiting")
                    : t("fleet.progress", { done, regions: regions.length, rows })}
                </span>
              )}
              {stale.length > 0 && (
                <span className="small stale-chip" data-testid={`fleet-stale-${id}`}>
                  {t("fleet.stale", { count: stale.length })}
                </span>
              )}
              {places
                .filter((x) => x.p?.status === "failed" || x.p?.status === "loading")
                .map(({ r, p }) => (
                  <span
                    key={r}
                    className={`region-chip region-chip-${p?.status}`}
                    data-testid={`fleet-place-${id}-${r}`}
                    data-status={p?.status}
                    title={p?.status === "failed" ? errorText(p.error) : undefined}
                  >
                    <span className="mono">{r}</span>{" "}
                    {p?.status === "failed" ? (
                      <span className="bad small">{errorCode(p.error)}</span>
                    ) : (
                      <span className="small muted">{`${p?.loaded ?? 0}/${p?.total ?? "?"}`}</span>
                    )}
                  </span>
                ))}
            </li>
          );
        })}
      </ul>
      {chosenAccounts
        .filter((id) => listing.accountErrors[id])
        .map((id) => (
          <Problem
            key={id}
            title={t("fleet.accountError", { name: names.get(id) ?? id })}
            error={listing.accountErrors[id]}
            testid={`fleet-account-error-${id}`}
          />
        ))}

      <div className="instances-toolbar">
        <div className="filter-box">
          <Search aria-hidden size={14} />
          <input
            className="input"
            data-testid="fleet-filter"
            placeholder={t("instances.filter.placeholder")}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        <div className="fleet-tag-filter">
          <input
            className="input"
            data-testid="fleet-tag-filter"
            placeholder={t("fleet.tagFilter.placeholder")}
            aria-label={t("fleet.tagFilter.label")}
            aria-invalid={!tagFilter.ok}
            value={tagText}
            onChange={(e) => setTagText(e.target.value)}
          />
          {!tagFilter.ok && (
            <span className="field-error small" data-testid="fleet-tag-filter-error" role="alert">
              {t(tagFilter.error.message, tagFilter.error.values)}
            </span>
          )}
        </div>
        <select
          className="input"
          data-testid="fleet-state-filter"
          aria-label={t("instances.col.state")}
          value={state}
          onChange={(e) => setState(e.target.value)}
        >
          <option value="">{t("instances.filter.allStates")}</option>
          {states.map((s) => (
            <option key={s} value={s}>
              {t(`instances.state.${s}`, { defaultValue: s })}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button"
          data-testid="fleet-save-view"
          onClick={() => setSaving(true)}
        >
          <Bookmark aria-hidden size={14} />
          {t("fleet.views.save")}
        </button>
      </div>
      <div className="instances-toolbar">
        <span className="small muted" data-testid="fleet-selection-count">
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
                data-testid={`fleet-action-${a}`}
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
        <p className="small muted action-reason" data-testid="fleet-action-reason">
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

      {!listing.loading && listing.rows.length === 0 ? (
        <p className="muted" data-testid="fleet-empty">
          {t("instances.empty")}
        </p>
      ) : !listing.loading && shown.length === 0 ? (
        <p className="muted" data-testid="fleet-no-match">
          {t("instances.noMatch")}
        </p>
      ) : (
        <InstanceTable
          rows={listing.rows}
          shown={shown}
          selected={selected}
          onToggle={toggle}
          onToggleAll={toggleAll}
          hidden={hidden}
          accounts={names}
          sortedRef={sortedRef}
        />
      )}

      {dialog && (
        <ActionDialog
          kind={dialog}
          currency={
            selectedRows.every((i) => all.find((p) => p.id === i.profileId)?.site.type === "intl")
              ? "USD"
              : "CNY"
          }
          instances={selectedRows}
          busy={busy}
          onCancel={() => setDialog(null)}
          onConfirm={(p) => void run(p)}
        />
      )}
      {saving && (
        <SaveViewDialog
          view={{ name: "", accounts, regions: regionsChosen, tags: tagText, text, state }}
          onClose={() => setSaving(false)}
        />
      )}
    </section>
  );
}

/** Names the current filters as a view; a bad name is refused at the field, nothing saved. */
function SaveViewDialog(props: { view: FleetView; onClose: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState("");
  const [error, setError] = useState<FieldError | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const save = () => {
    const bad = saveView({ ...props.view, name });
    if (bad) setError(bad);
    else props.onClose();
  };
  return (
    <Modal
      title={t("fleet.views.saveTitle")}
      testid="save-view-dialog"
      onCancel={props.onClose}
      initialFocus={() => input.current}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <label className="field">
          <span>{t("fleet.views.name")}</span>
          <input
            ref={input}
            className="input"
            data-testid="view-name"
            aria-invalid={error?.field === "viewName"}
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              setError(null);
            }}
          />
        </label>
        {error && (
          <p className="field-error small" data-testid="view-name-error" data-field={error.field}>
            {t(error.message, error.values)}
          </p>
        )}
        <div className="dialog-buttons">
          <button type="button" className="btn" data-testid="view-cancel" onClick={props.onClose}>
            {t("fleet.views.cancel")}
          </button>
          <button type="submit" className="btn primary" data-testid="view-save">
            {t("fleet.views.saveButton")}
          </button>
        </div>
      </form>
    </Modal>
  );
}

function errorCode(e: unknown): string {
  return e instanceof BackendError ? e.detail.code : "Error";
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
