import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { ChevronDown, Globe, MapPin } from "lucide-react";
import type { RegionView } from "../../backend";

const GEOGRAPHIES = [
  "chinaMainland",
  "asiaPacific",
  "europe",
  "northAmerica",
  "southAmerica",
  "other",
] as const;

/** The picker's value for the merged view of the enabled regions. */
export const ALL_REGIONS = "*";

/**
 * A searchable region list grouped by geography, with "All regions" (the regions the
 * user enabled for the profile, editable here) on top.
 */
export function RegionPicker(props: {
  regions: RegionView[];
  value: string | null;
  onChange: (region: string) => void;
  /** The enabled regions; null means all of them. */
  enabled: string[] | null;
  onSaveEnabled: (regions: string[] | null) => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [editing, setEditing] = useState<Set<string> | null>(null);
  const [query, setQuery] = useState("");
  const current = props.regions.find((r) => r.id === props.value);
  const all = props.value === ALL_REGIONS;
  const enabledCount = props.enabled?.length ?? props.regions.length;
  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const match = (r: RegionView) =>
      !q || r.id.toLowerCase().includes(q) || r.name.toLowerCase().includes(q);
    return GEOGRAPHIES.map((g) => ({
      geography: g,
      regions: props.regions.filter((r) => r.geography === g && match(r)),
    })).filter((g) => g.regions.length > 0);
  }, [props.regions, query]);

  const pick = (id: string) => {
    props.onChange(id);
    setOpen(false);
    setEditing(null);
    setQuery("");
  };
  const startEditing = () => setEditing(new Set(props.enabled ?? props.regions.map((r) => r.id)));
  const saveEnabled = () => {
    if (!editing || editing.size === 0) return;
    const everything = props.regions.every((r) => editing.has(r.id));
    props.onSaveEnabled(
      everything ? null : props.regions.filter((r) => editing.has(r.id)).map((r) => r.id),
    );
    setEditing(null);
  };

  return (
    <div className="region-picker">
      <button
        type="button"
        className="region-button"
        data-testid="region-picker"
        aria-expanded={open}
        aria-haspopup="listbox"
        onClick={() => setOpen((o) => !o)}
      >
        {all ? <Globe aria-hidden size={15} /> : <MapPin aria-hidden size={15} />}
        <span data-testid="region-current">
          {all
            ? t("instances.region.all")
            : current
              ? current.name
              : (props.value ?? t("instances.region.none"))}
        </span>
        {current && <span className="muted mono small">{current.id}</span>}
        {all && (
          <span className="muted small">
            {t("instances.region.allCount", { count: enabledCount })}
          </span>
        )}
        <ChevronDown aria-hidden size={14} />
      </button>
      {open && (
        <div className="region-popover" role="dialog" aria-label={t("instances.region.label")}>
          <input
            autoFocus
            className="input"
            data-testid="region-search"
            placeholder={t("instances.region.search")}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Escape") setOpen(false);
              const first = groups[0]?.regions[0];
              if (e.key === "Enter" && first) pick(first.id);
            }}
          />
          {/* "All regions" is not a search result: shown when nothing is typed. */}
          {query.trim() === "" && (
            <div className="region-all-row">
              <button
                type="button"
                role="option"
                aria-selected={all}
                className="region-option"
                data-testid="region-option-all"
                onClick={() => pick(ALL_REGIONS)}
              >
                <span>{t("instances.region.all")}</span>
                <span className="muted small">
                  {t("instances.region.allCount", { count: enabledCount })}
                </span>
              </button>
              <button
                type="button"
                className="button small"
                data-testid="edit-enabled-regions"
                aria-expanded={editing !== null}
                onClick={() => (editing ? setEditing(null) : startEditing())}
              >
                {t("instances.region.choose")}
              </button>
            </div>
          )}
          {editing && (
            <div className="enabled-regions" data-testid="enabled-regions">
              <p className="small muted">{t("instances.region.enabledHelp")}</p>
              <div className="enabled-regions-list">
                {props.regions.map((r) => (
                  <label key={r.id} className="radio small">
                    <input
                      type="checkbox"
                      data-testid={`enabled-region-${r.id}`}
                      checked={editing.has(r.id)}
                      onChange={(e) => {
                        const n = new Set(editing);
                        if (e.target.checked) n.add(r.id);
                        else n.delete(r.id);
                        setEditing(n);
                      }}
                    />
                    {r.name} <span className="muted mono">{r.id}</span>
                  </label>
                ))}
              </div>
              <div className="dialog-buttons">
                <button
                  type="button"
                  className="button"
                  onClick={() => setEditing(new Set(props.regions.map((r) => r.id)))}
                >
                  {t("instances.region.enableAll")}
                </button>
                <button
                  type="button"
                  className="button primary"
                  data-testid="enabled-regions-save"
                  disabled={editing.size === 0}
                  onClick={saveEnabled}
                >
                  {t("instances.region.saveEnabled", { count: editing.size })}
                </button>
              </div>
            </div>
          )}
          <div className="region-groups" role="listbox">
            {groups.length === 0 && <p className="muted small">{t("instances.region.noMatch")}</p>}
            {groups.map((g) => (
              <div key={g.geography} className="region-group">
                <div className="region-group-title">{t(`instances.geography.${g.geography}`)}</div>
                {g.regions.map((r) => (
                  <button
                    key={r.id}
                    type="button"
                    role="option"
                    aria-selected={r.id === props.value}
                    className="region-option"
                    data-testid={`region-option-${r.id}`}
                    onClick={() => pick(r.id)}
                  >
                    <span>{r.name}</span>
                    <span className="muted mono small">{r.id}</span>
                  </button>
                ))}
              </div>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}
