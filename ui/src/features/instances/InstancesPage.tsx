import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { apiLanguage, type FleetTarget, instancesBackend } from "../../backend";
import { useActiveProfile, useProfiles } from "../profiles/useProfiles";
import { Problem } from "../../components/Problem";
import { ALL_REGIONS, RegionPicker } from "./RegionPicker";
import { InstanceList } from "./InstanceList";
import type { ColumnId } from "./states";
import { useRegion } from "./useRegion";

export { mergeReports } from "./actions";

const ONE_PROFILE: ColumnId[] = ["account"];
const ONE_REGION: ColumnId[] = ["account", "region"];

/**
 * The active profile's instances: the instance list scoped to that profile and one region
 * (or all its enabled regions), with the region picker and the zone filter.
 */
export function InstancesPage() {
  const { t, i18n } = useTranslation();
  const lang = apiLanguage(i18n.language);
  const profile = useActiveProfile();
  const profiles = useProfiles();
  const profileId = profile?.id;
  const { region, choose } = useRegion(profile);
  const qc = useQueryClient();
  const [allRegions, setAllRegions] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);

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
  const targets = useMemo(
    (): FleetTarget[] => (profileId && scope.length > 0 ? [{ profileId, regions: scope }] : []),
    [profileId, scope],
  );

  const switchRegion = (r: string) => {
    if (r === ALL_REGIONS) setAllRegions(true);
    else {
      setAllRegions(false);
      choose(r);
    }
  };

  const saveEnabled = (list: string[] | null) => {
    if (!profileId) return;
    instancesBackend.setEnabledRegions(profileId, list).then(
      () => void qc.invalidateQueries({ queryKey: ["enabled-regions", profileId] }),
      (e: unknown) => setSaveError(e),
    );
  };

  return (
    <InstanceList
      testid="instances-page"
      title={t("instances.title")}
      targets={targets}
      slot="instances-page"
      profiles={profiles.data?.profiles ?? []}
      progress={allRegions ? "regions" : null}
      fixedHidden={allRegions ? ONE_PROFILE : ONE_REGION}
      zones={allRegions ? [] : (zones.data ?? [])}
      commands={{ profileId, switchRegion }}
      pickers={
        <RegionPicker
          regions={regions.data ?? []}
          value={allRegions ? ALL_REGIONS : region}
          onChange={switchRegion}
          enabled={enabled.data ?? null}
          onSaveEnabled={saveEnabled}
        />
      }
    >
      {regions.error && <Problem title={t("instances.error.title")} error={regions.error} />}
      {saveError !== null && (
        <Problem title={t("instances.error.title")} error={saveError} testid="action-error" />
      )}
    </InstanceList>
  );
}
