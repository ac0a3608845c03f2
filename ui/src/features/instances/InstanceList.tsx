import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Bookmark, Columns3, Download, RefreshCw, Search, Tags } from "lucide-react";
import {
  type ActionReport,
  type ExportFormat,
  type FleetTarget,
  type InstanceView,
  type ProfileView,
  type ZoneView,
  errorDetail,
  instancesBackend,
} from "../../backend";
import { ActionDialog, type ActionParams } from "./ActionDialog";
import { InstanceTable } from "./InstanceTable";
import { Problem } from "../../components/Problem";
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
import { type PlaceProgress, useListing } from "./useListing";
import { placeKey, rowKey } from "./rows";
import { runGrouped } from "./actions";
import { type PageCommands, useRegisterPageCommands } from "../palette/registry";
import { useDismissOnEscape } from "../palette/dismiss";
import {
  type FleetView,
  type TagCondition,
  coversTags,
  matchesTags,
  parseTagFilter,
} from "../fleet/views";
import { TagsDialog } from "../fleet/TagsDialog";
import { profileName } from "../profiles/profileName";
import "./instances.css";

/** The filters a saved view keeps (besides its accounts and regions). */
export type ViewFilters = Pick<FleetView, "tags" | "text" | "state">;

/** How long typing pauses before a tag filter the listing does not cover is listed again. */
const RELIST_AFTER_MS = 400;

/** A saved view's tag filter as conditions (none when it does not parse). */
function validTags(text: string | undefined): TagCondition[] {
  const f = parseTagFilter(text ?? "");
  return f.ok ? f.conditions : [];
}

function ageText(ms: number, t: (k: string, o?: Record<string, unknown>) => string): string {
  const min = Math.max(0, Math.round((Date.now() - ms) / 60000));
  if (min < 1) return t("instances.stale.justNow");
  if (min < 60) return t("instances.stale.minutes", { count: min });
  const h = Math.round(min / 60);
  if (h < 48) return t("instances.stale.hours", { count: h });
  return t("instances.stale.days", { count: Math.round(h / 24) });
}

/**
 * The instance list of a scope: a set of profiles (accounts) × a set of regions, in one
 * virtualised table. Each (account, region) shows its own progress, failure and
 * staleness; one that fails does not stop the others. Rows are keyed by (account,
 * region, id). Every action groups the selected rows by (account, region) and goes
 * through that profile's own client with the dialog's consent; a read-only profile's rows
 * offer no mutating action. The single-profile page and the fleet page are this list
 * with different scope pickers.
 */
export function InstanceList(props: {
  testid: string;
  className?: string;
  title: string;
  /** The scope; null: every profile over its enabled regions. */
  targets: FleetTarget[] | null;
  /** The listing slot (a newer listing in it cancels the older one). */
  slot: string;
  /** Every known profile: names, read-only locks and sites of the rows' accounts. */
  profiles: ProfileView[];
  /** "accounts": a progress line per account (fleet); "regions": a chip per region. */
  progress: "accounts" | "regions" | null;
  /** The scope's pickers, shown after the title. */
  pickers: ReactNode;
  /** Zone names from DescribeZones (one region); undefined: no zone filter. */
  zones?: ZoneView[];
  /** Columns never shown in this scope (the account column of one profile). */
  fixedHidden: ColumnId[];
  /** Where the column chooser keeps its choice, and the default hidden columns. */
  columnsKey?: string;
  defaultHidden?: ColumnId[];
  /** Filters by tag, edits tags and saves views (the fleet's tools). */
  tagTools?: boolean;
  /** Filters to apply when this object changes (a saved view opened). */
  view?: ViewFilters | null;
  onSaveView?: (f: ViewFilters) => void;
  /** The page's own palette commands (the profile, switching region). */
  commands?: Pick<PageCommands, "profileId" | "switchRegion">;
  /** Shown above the list (the page's own errors). */
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const { targets, profiles, fixedHidden } = props;
  const scopeKey = JSON.stringify(targets);
  const [reload, setReload] = useState(0);
  // The tag conditions the listing was asked with (Tencent filters by them, so only
  // matches are paged). A typed filter these already cover narrows the listed rows
  // locally, with no call; any other asks again once typing pauses.
  const [listedTags, setListedTags] = useState<TagCondition[]>(() => validTags(props.view?.tags));
  const listing = useListing(targets, reload, props.slot, listedTags);
  const [filters, setFilters] = useState<Filters>(() => ({
    ...NO_FILTERS,
    text: props.view?.text ?? "",
    state: props.view?.state ?? "",
  }));
  const [tagText, setTagText] = useState(props.view?.tags ?? "");
  const setFilter = (f: Partial<Filters>) => setFilters((old) => ({ ...old, ...f }));
  const [hidden, setHidden] = useState<Set<ColumnId>>(
    () => new Set(loadHiddenColumns(props.columnsKey, props.defaultHidden)),
  );
  const [columnsOpen, setColumnsOpen] = useState(false);
  const [exported, setExported] = useState<string | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);
  const sortedRef = useRef<(() => InstanceView[]) | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [dialog, setDialog] = useState<Exclude<ActionKind, "start"> | null>(null);
  const [tagsOpen, setTagsOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ActionReport | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);

  // A new scope starts with nothing selected, no zone and no last action's outcome; an
  // opened view sets its filters.
  const [seen, setSeen] = useState({ scopeKey, view: props.view });
  if (seen.scopeKey !== scopeKey || seen.view !== props.view) {
    setSeen({ scopeKey, view: props.view });
    setSelected(new Set());
    setReport(null);
    setActionError(null);
    if (seen.view !== props.view && props.view) {
      setFilters({ ...NO_FILTERS, text: props.view.text, state: props.view.state });
      setTagText(props.view.tags);
      setListedTags(validTags(props.view.tags));
    } else setFilter({ zone: "" });
  }

  const sandboxName = t("profiles.sandboxName");
  const byProfile = useMemo(() => new Map(profiles.map((p) => [p.id, p])), [profiles]);
  const names = useMemo(
    () => new Map(profiles.map((p) => [p.id, profileName(p, sandboxName)])),
    [profiles, sandboxName],
  );

  const tagFilter = useMemo(() => parseTagFilter(tagText), [tagText]);
  useEffect(() => {
    if (!tagFilter.ok || coversTags(listedTags, tagFilter.conditions)) return;
    const timer = setTimeout(() => setListedTags(tagFilter.conditions), RELIST_AFTER_MS);
    return () => clearTimeout(timer);
  }, [tagFilter, listedTags]);
  // A refresh lists what the filter shows: with its tag conditions, fewer pages.
  const refresh = useCallback(() => {
    if (tagFilter.ok) setListedTags(tagFilter.conditions);
    setReload((n) => n + 1);
  }, [tagFilter]);
  const [now] = useState(() => Date.now());
  // Filtered on every keystroke (no deferred render): the filter narrows its last answers
  // and the table only re-orders the matches, so a keystroke paints one frame later.
  const [narrowing] = useState(() => new NarrowingFilter());
  const shown = useMemo(() => {
    const base = narrowing.apply(listing.rows, filters, now);
    if (!tagFilter.ok || tagFilter.conditions.length === 0) return base;
    return base.filter((i) => matchesTags(i, tagFilter.conditions));
  }, [narrowing, listing.rows, filters, now, tagFilter]);
  // Zone names (with availability) from DescribeZones for one region; the rows' zones otherwise.
  const zoneNames = props.zones;
  const zoneOptions = useMemo(() => {
    if (!zoneNames) return [];
    const seenZones = [...new Set(listing.rows.map((i) => i.zone))].sort();
    const named = new Map(zoneNames.map((z) => [z.zone, z]));
    const ids = [...new Set([...named.keys(), ...seenZones])];
    return ids.map((id) => {
      const z = named.get(id);
      return {
        id,
        label: !z ? id : z.available ? z.name : t("instances.zone.unavailable", { name: z.name }),
      };
    });
  }, [listing.rows, zoneNames, t]);
  const tableHidden = useMemo(
    () => new Set<ColumnId>([...hidden, ...fixedHidden]),
    [hidden, fixedHidden],
  );
  const billingModels = useMemo(
    () => [...new Set(listing.rows.map((i) => i.chargeType))].sort(),
    [listing.rows],
  );
  const states = useMemo(
    () => [...new Set(listing.rows.map((i) => i.state))].sort(),
    [listing.rows],
  );
  // Built only while something is selected: a listing of 30,000 rows would otherwise keep
  // a second key string and map entry per row for an empty selection.
  const anySelected = selected.size > 0;
  const byKey = useMemo(
    () => (anySelected ? new Map(listing.rows.map((i) => [rowKey(i), i])) : null),
    [listing.rows, anySelected],
  );
  // Results name instances by id (each result is one instance of one call); built while
  // a report shows.
  const byId = useMemo(
    () => (report ? new Map(listing.rows.map((i) => [i.id, i])) : null),
    [listing.rows, report],
  );
  const selectedRows = useMemo(
    () =>
      byKey ? [...selected].map((k) => byKey.get(k)).filter((i): i is InstanceView => !!i) : [],
    [selected, byKey],
  );

  const toggleColumn = (c: ColumnId) =>
    setHidden((h) => {
      const n = new Set(h);
      if (n.has(c)) n.delete(c);
      else n.add(c);
      saveHiddenColumns([...n], props.columnsKey);
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

  // Stable, so the memoised table does not re-render for the page's own state changes.
  const toggle = useCallback(
    (k: string) =>
      setSelected((s) => {
        const n = new Set(s);
        if (n.has(k)) n.delete(k);
        else n.add(k);
        return n;
      }),
    [],
  );
  const toggleAll = useCallback(
    (keys: string[], on: boolean) =>
      setSelected((s) => {
        const n = new Set(s);
        for (const k of keys) {
          if (on) n.add(k);
          else n.delete(k);
        }
        return n;
      }),
    [],
  );

  const isLocked = useCallback(
    (i: InstanceView) => byProfile.get(i.profileId)?.locked ?? false,
    [byProfile],
  );
  const reasonText = (a: ActionKind | "tags") => {
    // Tags may change in any state; only selection and read-only profiles matter.
    const av = availability(a === "tags" ? "rename" : a, selectedRows, isLocked);
    if (av.enabled || (a === "tags" && av.reason === "wrongState")) return undefined;
    if (av.reason !== "wrongState" || a === "tags") return t(`instances.reason.${av.reason}`);
    return t("instances.reason.wrongState", {
      name: av.blocking?.name || av.blocking?.id,
      state: t(`instances.state.${av.blocking?.state}`, { defaultValue: av.blocking?.state }),
      action: t(`instances.action.${a}`),
      accepted: ACCEPTED[a].map((s) => t(`instances.state.${s}`, { defaultValue: s })).join(" / "),
    });
  };

  // The command palette and shortcuts dispatch to this page's own flow.
  useRegisterPageCommands({
    ...props.commands,
    refresh,
    focusSearch: () =>
      document.querySelector<HTMLInputElement>('[data-testid="instance-filter"]')?.focus(),
    instances: listing.rows,
    actions: ACTIONS.map((a) => ({
      id: a,
      label: t(`instances.action.${a}`),
      disabledReason: busy ? t("palette.busy") : reasonText(a),
      run: () => (a === "start" ? void run({ kind: "start" }) : setDialog(a)),
    })),
  });
  useDismissOnEscape(() => setDialog(null), dialog !== null);

  // The site decides the currency: USD only when every selected row's account is on the
  // international site.
  const currency = selectedRows.every((i) => byProfile.get(i.profileId)?.site.type === "intl")
    ? "USD"
    : "CNY";

  return (
    <section className={`page instances-page ${props.className ?? ""}`} data-testid={props.testid}>
      <header className="instances-header">
        <h1>{props.title}</h1>
        {props.pickers}
        {zoneNames && (
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
        )}
        <button
          type="button"
          className="button"
          data-testid="refresh"
          onClick={refresh}
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
                {COLUMNS.filter((c) => !fixedHidden.includes(c)).map((c) => (
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

      {props.children}
      {listing.staleSince !== null && (
        <p className="stale-banner small" data-testid="stale-banner" role="status">
          {t("instances.stale.banner", { age: ageText(listing.staleSince, t) })}
        </p>
      )}
      {props.progress === "regions" && (
        <RegionProgress
          regions={targets?.[0]?.regions ?? []}
          profileId={targets?.[0]?.profileId ?? ""}
          progress={listing.progress}
        />
      )}
      {props.progress === "accounts" && (
        <AccountProgress
          accounts={targets ? targets.map((x) => x.profileId) : profiles.map((p) => p.id)}
          names={names}
          locked={(id) => byProfile.get(id)?.locked ?? false}
          listing={listing}
        />
      )}

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
        {props.tagTools && (
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
        )}
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
        {props.onSaveView && (
          <button
            type="button"
            className="button"
            data-testid="fleet-save-view"
            onClick={() =>
              props.onSaveView?.({ tags: tagText, text: filters.text, state: filters.state })
            }
          >
            <Bookmark aria-hidden size={14} />
            {t("fleet.views.save")}
          </button>
        )}
      </div>
      <div className="instances-toolbar">
        <span className="small muted" data-testid="selection-count">
          {t("instances.selected", { count: selectedRows.length })}
        </span>
        <div className="action-buttons">
          {props.tagTools && (
            <button
              type="button"
              className="button"
              data-testid="action-tags"
              disabled={!!reasonText("tags") || busy}
              title={reasonText("tags")}
              aria-description={reasonText("tags")}
              onClick={() => setTagsOpen(true)}
            >
              <Tags aria-hidden size={14} />
              {t("fleet.tags.button")}
            </button>
          )}
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
      {report && byId && (
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
          accounts={names}
          sortedRef={sortedRef}
        />
      )}

      {dialog && (
        <ActionDialog
          kind={dialog}
          currency={currency}
          instances={selectedRows}
          busy={busy}
          onCancel={() => setDialog(null)}
          onConfirm={(p) => void run(p)}
        />
      )}
      {tagsOpen && (
        <TagsDialog
          instances={selectedRows}
          onClose={() => setTagsOpen(false)}
          onChanged={() => setReload((n) => n + 1)}
        />
      )}
    </section>
  );
}

/** A chip per region of one profile's multi-region list. */
function RegionProgress(props: {
  profileId: string;
  regions: string[];
  progress: Record<string, PlaceProgress>;
}) {
  const { t } = useTranslation();
  return (
    <>
      <ul className="region-progress" data-testid="region-progress">
        {props.regions.map((r) => {
          const p = props.progress[placeKey(props.profileId, r)];
          const status = p?.status === "waiting" ? "waiting" : (p?.status ?? "waiting");
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
      {props.regions
        .filter((r) => props.progress[placeKey(props.profileId, r)]?.status === "failed")
        .map((r) => (
          <Problem
            key={r}
            title={t("instances.error.regionTitle", { region: r })}
            error={props.progress[placeKey(props.profileId, r)]?.error}
            testid={`region-error-${r}`}
          />
        ))}
    </>
  );
}

/** A line per account: its regions' progress, failures and cached (stale) regions. */
function AccountProgress(props: {
  accounts: string[];
  names: ReadonlyMap<string, string>;
  locked: (id: string) => boolean;
  listing: ReturnType<typeof useListing>;
}) {
  const { t } = useTranslation();
  const { listing } = props;
  return (
    <>
      <ul className="fleet-progress" data-testid="fleet-progress">
        {props.accounts.map((id) => {
          const regions = listing.scopes[id] ?? [];
          const places = regions.map((r) => ({ r, p: listing.progress[placeKey(id, r)] }));
          const failed = places.filter((x) => x.p?.status === "failed");
          const done = places.filter((x) => x.p?.status === "done").length;
          const rows = places.reduce((n, x) => n + (x.p?.loaded ?? 0), 0);
          const stale = places.filter((x) => (x.p?.staleSince ?? null) !== null).length;
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
              <strong>{props.names.get(id) ?? id}</strong>
              {props.locked(id) && (
                <span className="badge tone-neutral small">{t("fleet.readOnly")}</span>
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
              {stale > 0 && (
                <span className="small stale-chip" data-testid={`fleet-stale-${id}`}>
                  {t("fleet.stale", { count: stale })}
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
      {props.accounts
        .filter((id) => listing.accountErrors[id])
        .map((id) => (
          <Problem
            key={id}
            title={t(
              errorDetail(listing.accountErrors[id])?.code === ROLE_CREDENTIALS_FAILED
                ? "fleet.roleCredentialsError"
                : "fleet.accountError",
              { name: props.names.get(id) ?? id },
            )}
            error={listing.accountErrors[id]}
            testid={`fleet-account-error-${id}`}
          />
        ))}
      {props.accounts
        .filter((id) => !listing.accountErrors[id])
        .map((id) => ({ id, error: roleFailure(id, listing) }))
        .filter((x) => x.error !== undefined)
        .map(({ id, error }) => (
          <Problem
            key={id}
            title={t("fleet.roleCredentialsError", { name: props.names.get(id) ?? id })}
            error={error}
            testid={`fleet-role-error-${id}`}
          />
        ))}
    </>
  );
}

/** The column chooser's labels (keys under instances.col). */
const COLUMN_LABEL: Record<ColumnId, string> = {
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

/**
 * The first of an account's regions that failed because its role credentials did: every
 * region of the account fails the same way, so the account gets one box naming it.
 */
function roleFailure(id: string, listing: ReturnType<typeof useListing>): unknown {
  return (listing.scopes[id] ?? [])
    .map((r) => listing.progress[placeKey(id, r)])
    .find((p) => p?.status === "failed" && errorDetail(p.error)?.code === ROLE_CREDENTIALS_FAILED)
    ?.error;
}

const ROLE_CREDENTIALS_FAILED = "App.RoleCredentialsFailed";

// A streamed failure arrives as the backend's error shape, a rejected call as a BackendError.
function errorCode(e: unknown): string {
  return errorDetail(e)?.code ?? "Error";
}

function errorText(e: unknown): string {
  return errorDetail(e)?.message ?? (e instanceof Error ? e.message : String(e));
}
