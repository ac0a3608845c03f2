import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { ChevronDown, MapPin } from "lucide-react";
import type { RegionView } from "../../backend";

const GEOGRAPHIES = [
  "chinaMainland",
  "asiaPacific",
  "europe",
  "northAmerica",
  "southAmerica",
  "other",
] as const;

/** A searchable region list grouped by geography. */
export function RegionPicker(props: {
  regions: RegionView[];
  value: string | null;
  onChange: (region: string) => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const current = props.regions.find((r) => r.id === props.value);
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
    setQuery("");
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
        <MapPin aria-hidden size={15} />
        <span data-testid="region-current">
          {current ? current.name : (props.value ?? t("instances.region.none"))}
        </span>
        {current && <span className="muted mono small">{current.id}</span>}
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
