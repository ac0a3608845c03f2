import { memo, useEffect, useMemo, useRef, useState, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import { ArrowDown, ArrowUp, SquareTerminal } from "lucide-react";
import {
  FlexRender,
  createColumnHelper,
  createSortedRowModel,
  rowSortingFeature,
  sortFn_basic,
  tableFeatures,
  useTable,
  type Row,
  type SortingState,
} from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { InstanceView } from "../../backend";
import { expiryInfo, stateTone, type ColumnId } from "./states";
import { rowKey } from "./rows";
import { openDetail } from "../palette/registry";
import { requestConnect } from "../connect/store";
import { SETTLE_MS, Sparkline, restLeft, showRows, sparkFor, useSparkVersion } from "../metrics";

const features = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { basic: sortFn_basic },
});

/** Opens the connect dialog for a row (of whichever account listed it). */
function connectTo(r: InstanceView) {
  requestConnect({
    kind: "instance",
    profileId: r.profileId,
    region: r.region,
    instanceId: r.id,
    name: r.name,
  });
}

/**
 * A sort key that orders digit runs by value ("web-2" before "web-10"). Sorting compares
 * these with `<`: tanstack's alphanumeric sort splits both strings with a regex on every
 * comparison, which at 10,000 rows cost hundreds of milliseconds per re-sort.
 */
export function naturalKey(s: string): string {
  return s.toLowerCase().replace(/\d+/g, (d) => d.padStart(12, "0"));
}

const nameKeys = new WeakMap<InstanceView, string>();

/**
 * The name column's sort key, computed once per row object: a streaming listing re-sorts
 * the same (kept) rows on every page it shows, which otherwise built three new strings per
 * row each time.
 */
function nameSortKey(r: InstanceView): string {
  let k = nameKeys.get(r);
  if (k === undefined) {
    k = `${naturalKey(r.name)}\u0000${r.id}`;
    nameKeys.set(r, k);
  }
  return k;
}

const col = createColumnHelper<typeof features, InstanceView>();

export function StateBadge(props: { state: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge tone-${stateTone(props.state)}`} data-state={props.state}>
      {t(`instances.state.${props.state}`, { defaultValue: props.state })}
    </span>
  );
}

function date(s: string | null): string {
  if (!s) return "—";
  return s
    .replace("T", " ")
    .replace(/:\d\dZ$/, "")
    .replace(/Z$/, "");
}

/** A prepaid instance's expiry: the date, with days left (red within 7 days) or "expired". */
function ExpiryCell(props: { row: InstanceView; now: number }) {
  const { t } = useTranslation();
  const e = expiryInfo(props.row, props.now);
  if (!e) return <>{date(props.row.expiredTime)}</>;
  return (
    <div className="cell-expiry">
      <span>{date(props.row.expiredTime)}</span>
      <span className={`badge expiry-${e.tone}`} data-testid="expiry-badge" data-tone={e.tone}>
        {e.tone === "expired"
          ? t("instances.expiry.expired")
          : t("instances.expiry.days", { count: e.days })}
      </span>
    </div>
  );
}

const ROW_HEIGHT = 44;

/**
 * One row. Memoised: a keystroke or a selection re-renders only the rows whose
 * instance, place or selection changed. `columns` is passed so a column change renders.
 */
const TableRow = memo(function TableRow(props: {
  row: Row<typeof features, InstanceView>;
  top: number;
  on: boolean;
  grid: string;
  minWidth: string;
  columns: unknown;
  onToggle: (id: string) => void;
}) {
  const { t } = useTranslation();
  const { row, on, onToggle } = props;
  const id = row.original.id;
  const key = row.id;
  return (
    <div
      role="row"
      className={`itable-row${on ? " selected" : ""}`}
      data-testid={`row-${id}`}
      data-state={row.original.state}
      data-charge={row.original.chargeType}
      data-region={row.original.region}
      data-profile={row.original.profileId}
      data-protected={row.original.disableApiTermination}
      aria-selected={on}
      style={{
        gridTemplateColumns: props.grid,
        minWidth: props.minWidth,
        transform: `translateY(${props.top}px)`,
        height: ROW_HEIGHT,
      }}
      onClick={(e) => {
        if ((e.target as HTMLElement).closest("input,button,.selectable")) return;
        onToggle(key);
      }}
    >
      <div className="itable-cell itable-check" role="cell">
        <input
          type="checkbox"
          aria-label={t("instances.select", { id })}
          data-testid={`select-${id}`}
          checked={on}
          onChange={() => onToggle(key)}
        />
      </div>
      {row.getAllCells().map((c) => (
        <div key={c.column.id} role="cell" className={`itable-cell col-${c.column.id}`}>
          <FlexRender cell={c} />
        </div>
      ))}
    </div>
  );
});

/** Grid track of each column (the grid follows the columns shown). */
const WIDTH: Record<string, string> = {
  name: "minmax(200px, 1.6fr)",
  account: "130px",
  region: "120px",
  state: "110px",
  zone: "130px",
  instanceType: "130px",
  size: "120px",
  privateIp: "130px",
  publicIp: "130px",
  chargeType: "150px",
  network: "200px",
  expiry: "150px",
  created: "140px",
  tags: "minmax(180px, 1fr)",
  cpu: "140px",
};

function SparkCell(props: { profileId: string; region: string; id: string }) {
  useSparkVersion();
  const spark = sparkFor(props.profileId, props.region, props.id);
  return <Sparkline spark={spark} testid={`spark-${props.id}`} />;
}

/** The narrowest a grid track gets: its size, or the minimum of a minmax(). */
function minTrackPx(track: string): number {
  const px = /(\d+)px/.exec(track);
  return px ? Number(px[1]) : 120;
}

/**
 * The instance table: sortable columns, virtualised rows, checkbox selection. Memoised:
 * a keystroke in the page's filter box re-renders the page, not the table, until the
 * filter itself changes.
 */
export const InstanceTable = memo(function InstanceTable(props: {
  /** Every listed row: the table sorts these once per listing and sort order. */
  rows: InstanceView[];
  /** The rows the local filter lets through (a subset of `rows`, any order). */
  shown?: readonly InstanceView[];
  /** Selected rows by `rowKey` (account, region, id). */
  selected: Set<string>;
  onToggle: (id: string) => void;
  onToggleAll: (ids: string[], on: boolean) => void;
  /** Columns the user hid (the name column always shows). */
  hidden: Set<ColumnId>;
  /** Profile names by id, for the Account column (a fleet). */
  accounts?: ReadonlyMap<string, string>;
  /** Receives a getter of the rows in the order shown (for export; mapped only when called). */
  sortedRef?: RefObject<(() => InstanceView[]) | null>;
}) {
  const { t } = useTranslation();
  const [sorting, setSorting] = useState<SortingState>([{ id: "name", desc: false }]);
  const [now] = useState(() => Date.now());
  const accounts = props.accounts;
  // Built once per language: new column objects would make the table rebuild its models.
  const allColumns = useMemo(
    () =>
      col.columns([
        col.accessor(nameSortKey, {
          id: "name",
          header: () => t("instances.col.name"),
          sortFn: "basic",
          cell: (c) => (
            <div className="cell-name">
              <span className="cell-name-line">
                <button
                  type="button"
                  className="link-button strong"
                  data-testid={`open-${c.row.original.id}`}
                  onClick={() =>
                    openDetail({
                      profileId: c.row.original.profileId,
                      region: c.row.original.region,
                      instanceId: c.row.original.id,
                    })
                  }
                >
                  {c.row.original.name || "—"}
                </button>
                {c.row.original.state === "RUNNING" && (
                  <button
                    type="button"
                    className="icon-button row-connect"
                    data-testid={`connect-${c.row.original.id}`}
                    title={t("instances.action.connect")}
                    aria-label={t("instances.action.connect")}
                    onClick={() => connectTo(c.row.original)}
                  >
                    <SquareTerminal aria-hidden size={13} />
                  </button>
                )}
              </span>
              <span className="mono small muted selectable">{c.row.original.id}</span>
            </div>
          ),
        }),
        col.accessor((r) => accounts?.get(r.profileId) ?? r.profileId, {
          id: "account",
          header: () => t("instances.col.account"),
          sortFn: "basic",
          cell: (c) => (
            <span className="account-cell" title={c.getValue()}>
              {c.getValue()}
            </span>
          ),
        }),
        col.accessor("region", {
          header: () => t("instances.col.region"),
          sortFn: "basic",
          cell: (c) => <span className="mono small">{c.getValue()}</span>,
        }),
        col.accessor("state", {
          header: () => t("instances.col.state"),
          sortFn: "basic",
          cell: (c) => <StateBadge state={c.getValue()} />,
        }),
        col.accessor("zone", { header: () => t("instances.col.zone"), sortFn: "basic" }),
        col.accessor("instanceType", {
          header: () => t("instances.col.type"),
          sortFn: "basic",
          cell: (c) => <span className="mono">{c.getValue()}</span>,
        }),
        col.accessor((r) => r.cpu * 100000 + r.memoryGib, {
          id: "size",
          header: () => t("instances.col.size"),
          sortFn: "basic",
          cell: (c) =>
            t("instances.size", { cpu: c.row.original.cpu, memory: c.row.original.memoryGib }),
        }),
        col.accessor((r) => naturalKey(r.privateIps[0] ?? ""), {
          id: "privateIp",
          header: () => t("instances.col.privateIp"),
          sortFn: "basic",
          cell: (c) => (
            <span className="mono selectable">{c.row.original.privateIps[0] || "—"}</span>
          ),
        }),
        col.accessor((r) => naturalKey(r.publicIps[0] ?? ""), {
          id: "publicIp",
          header: () => t("instances.col.publicIp"),
          sortFn: "basic",
          cell: (c) => (
            <span className="mono selectable">{c.row.original.publicIps[0] || "—"}</span>
          ),
        }),
        col.accessor("chargeType", {
          header: () => t("instances.col.billing"),
          sortFn: "basic",
          cell: (c) => t(`instances.charge.${c.getValue()}`, { defaultValue: c.getValue() }),
        }),
        col.accessor((r) => r.internetChargeType ?? "", {
          id: "network",
          header: () => t("instances.col.network"),
          sortFn: "basic",
          cell: (c) =>
            c.getValue()
              ? `${t(`instances.netCharge.${c.getValue()}`, { defaultValue: c.getValue() })} · ${c.row.original.bandwidthOutMbps} Mbps`
              : "—",
        }),
        col.accessor((r) => r.expiredTime ?? "", {
          id: "expiry",
          header: () => t("instances.col.expiry"),
          sortFn: "basic",
          cell: (c) => <ExpiryCell row={c.row.original} now={now} />,
        }),
        col.accessor((r) => r.createdTime ?? "", {
          id: "created",
          header: () => t("instances.col.created"),
          sortFn: "basic",
          cell: (c) => date(c.row.original.createdTime),
        }),
        // Sorted below by the fetched values; the table's own sort leaves the order as is.
        col.accessor(() => 0, {
          id: "cpu",
          header: () => t("metrics.col"),
          sortFn: "basic",
          cell: (c) => (
            <SparkCell
              profileId={c.row.original.profileId}
              region={c.row.original.region}
              id={c.row.original.id}
            />
          ),
        }),
        col.accessor((r) => r.tags.map((x) => `${x.key}:${x.value}`).join(" "), {
          id: "tags",
          header: () => t("instances.col.tags"),
          sortFn: "basic",
          cell: (c) => (
            <div className="tags">
              {c.row.original.tags.map((x) => (
                <span key={x.key} className="tag" data-tag={x.key}>
                  {x.key}: {x.value}
                </span>
              ))}
            </div>
          ),
        }),
      ]),
    [t, now, accounts],
  );
  // Accessor columns named by key carry no id until the table builds them.
  const idOf = (c: object): string => {
    const d = c as { id?: string; accessorKey?: string };
    return d.id ?? d.accessorKey ?? "";
  };
  const hidden = props.hidden;
  const columns = useMemo(
    () => allColumns.filter((c) => !hidden.has(idOf(c) as ColumnId)),
    [allColumns, hidden],
  );
  const table = useTable({
    features,
    columns,
    data: props.rows,
    getRowId: rowKey,
    state: { sorting },
    onSortingChange: setSorting,
  });
  const sortedAll = table.getRowModel().rows;
  const shown = props.shown;
  const filtering = !!shown && shown.length !== sortedAll.length;
  // Each row's place in the sort, once per listing and sort order, and only while a filter
  // narrows the list: a keystroke then puts the matches in order by marking their places,
  // never re-sorting.
  const place = useMemo(() => {
    if (!filtering) return null;
    const m = new Map<InstanceView, number>();
    sortedAll.forEach((r, i) => m.set(r.original, i));
    return m;
  }, [sortedAll, filtering]);
  const filtered = useMemo(() => {
    if (!shown || !place) return sortedAll;
    const marked = new Uint8Array(sortedAll.length);
    for (const r of shown) {
      const i = place.get(r);
      if (i !== undefined) marked[i] = 1;
    }
    return sortedAll.filter((_, i) => marked[i] === 1);
  }, [sortedAll, place, shown]);
  // "CPU now" sorts what has been fetched; rows without a value keep their order after them.
  const cpuSort = sorting[0]?.id === "cpu" ? sorting[0] : null;
  const sparkVersion = useSparkVersion(!!cpuSort);
  const { rows, cpuKnown } = useMemo(() => {
    if (!cpuSort) return { rows: filtered, cpuKnown: 0 };
    const last = (r: (typeof filtered)[number]) =>
      sparkFor(r.original.profileId, r.original.region, r.original.id)?.last ?? null;
    const known = filtered.filter((r) => last(r) !== null);
    const unknown = filtered.filter((r) => last(r) === null);
    const dir = cpuSort.desc ? -1 : 1;
    known.sort((a, b) => dir * ((last(a) ?? 0) - (last(b) ?? 0)));
    return { rows: [...known, ...unknown], cpuKnown: known.length };
    // sparkVersion: re-sort as batches arrive.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filtered, cpuSort, sparkVersion]);
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualiser is mutable by design
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 3,
    initialRect: { width: 1200, height: 600 },
  });
  // Sparklines for the rows on screen once scrolling rests; rows that left the screen
  // before their batch was sent are dropped from the queue.
  const cpuShown = !hidden.has("cpu");
  // The rows in view, without the overscan rendered around them.
  virtual.getVirtualItems();
  const first = virtual.range?.startIndex ?? 0;
  const last = virtual.range?.endIndex ?? -1;
  // When the last scroll events came (the rest is timed from the last one).
  const scrolls = useRef({ last: 0, gap: 0 });
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const onScroll = () => {
      const now = performance.now();
      const s = scrolls.current;
      // A gap longer than a second is a new scroll, not a slow frame.
      s.gap = s.last > 0 && now - s.last < 1000 ? now - s.last : 0;
      s.last = now;
    };
    el.addEventListener("scroll", onScroll, { passive: true });
    return () => el.removeEventListener("scroll", onScroll);
  }, []);
  useEffect(() => {
    if (!cpuShown || last < first) return;
    let h: ReturnType<typeof setTimeout>;
    const fire = () => {
      const left = restLeft(scrolls.current, performance.now());
      if (left > 0) {
        h = setTimeout(fire, left);
        return;
      }
      // Each account's Cloud Monitor is asked for its own rows.
      const byProfile = new Map<string, InstanceView[]>();
      for (const r of rows.slice(first, last + 1)) {
        const list = byProfile.get(r.original.profileId);
        if (list) list.push(r.original);
        else byProfile.set(r.original.profileId, [r.original]);
      }
      for (const [profileId, onScreen] of byProfile) showRows(profileId, onScreen);
    };
    h = setTimeout(fire, SETTLE_MS);
    return () => clearTimeout(h);
  }, [cpuShown, rows, first, last]);
  const tracks = ["36px", ...columns.map((c) => WIDTH[idOf(c)] ?? "120px")];
  // As wide as the shown columns need, and no wider: the flexible ones (name, tags)
  // share what the window has left instead of stretching to a fixed total.
  const grid = {
    gridTemplateColumns: tracks.join(" "),
    minWidth: `${tracks.reduce((sum, t) => sum + minTrackPx(t), 0)}px`,
  };
  const sortedRef = props.sortedRef;
  useEffect(() => {
    if (sortedRef) sortedRef.current = () => rows.map((r) => r.original);
  }, [rows, sortedRef]);
  const selected = props.selected;
  const allOn = useMemo(
    () => rows.length > 0 && rows.every((r) => selected.has(r.id)),
    [rows, selected],
  );

  return (
    <div className="itable" role="table" aria-rowcount={rows.length} data-testid="instance-table">
      {cpuSort && (
        <p className="itable-note small muted" data-testid="cpu-sort-note">
          {t("metrics.sortNote", { count: cpuKnown })}
        </p>
      )}
      <div ref={scroller} className="itable-scroll">
        <div className="itable-row itable-head" role="row" style={grid}>
          <div className="itable-cell itable-check" role="columnheader">
            <input
              type="checkbox"
              aria-label={t("instances.selectAll")}
              data-testid="select-all"
              checked={allOn}
              onChange={() =>
                props.onToggleAll(
                  rows.map((r) => r.id),
                  !allOn,
                )
              }
            />
          </div>
          {table.getHeaderGroups()[0]?.headers.map((h) => {
            const sorted = h.column.getIsSorted();
            return (
              <div
                key={h.id}
                role="columnheader"
                className={`itable-cell col-${h.column.id}`}
                aria-sort={
                  sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none"
                }
              >
                <button
                  type="button"
                  className="sort-button"
                  data-testid={`sort-${h.column.id}`}
                  onClick={h.column.getToggleSortingHandler()}
                >
                  <table.FlexRender header={h} />
                  {sorted === "asc" && <ArrowUp aria-hidden size={12} />}
                  {sorted === "desc" && <ArrowDown aria-hidden size={12} />}
                </button>
              </div>
            );
          })}
        </div>
        <div style={{ height: virtual.getTotalSize(), position: "relative" }}>
          {virtual.getVirtualItems().map((v) => {
            const row = rows[v.index];
            if (!row) return null;
            return (
              // Keyed by place, not instance: when the filter changes which instance sits
              // at a place, React updates that row's text instead of rebuilding it.
              <TableRow
                key={v.index}
                row={row}
                top={v.start}
                on={props.selected.has(row.id)}
                grid={grid.gridTemplateColumns}
                minWidth={grid.minWidth}
                columns={columns}
                onToggle={props.onToggle}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
});
