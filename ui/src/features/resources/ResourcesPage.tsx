import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "@tanstack/react-query";
import { apiLanguage, instancesBackend } from "../../backend";
import { useActiveProfile } from "../profiles/useProfiles";
import { ErrorNote } from "./common";
import { SecurityGroupsTab } from "./SecurityGroupsTab";
import { AddressesTab } from "./AddressesTab";
import { KeyPairsTab } from "./KeyPairsTab";
import { ImagesTab } from "./ImagesTab";
import { ConfigurationTab } from "./ConfigurationTab";
import "./resources.css";

const TABS = ["securityGroups", "addresses", "keyPairs", "images", "configuration"] as const;
export type ResourceTab = (typeof TABS)[number];

/** What every tab works on: the active profile, the region shown, and whether it may change things. */
export type Scope = { profileId: string; region: string; locked: boolean };

export function ResourcesPage() {
  const { t, i18n } = useTranslation();
  const profile = useActiveProfile();
  const [tab, setTab] = useState<ResourceTab>("securityGroups");
  const [picked, setPicked] = useState<Record<string, string>>({});
  const language = apiLanguage(i18n.language);
  const regions = useQuery({
    queryKey: ["regions", profile?.id, language],
    queryFn: () => instancesBackend.listRegions(profile?.id ?? "", language),
    enabled: !!profile,
  });
  if (!profile) return <div className="page muted">{t("resources.loading")}</div>;
  const region = picked[profile.id] ?? profile.lastRegion ?? profile.defaultRegion;
  const scope: Scope = { profileId: profile.id, region, locked: profile.locked };

  return (
    <div className="page res-page" data-testid="resources-page">
      <header className="res-header">
        <h1>{t("resources.title")}</h1>
        <label className="res-region">
          <span className="muted small">{t("resources.region")}</span>
          <select
            className="res-input"
            data-testid="res-region"
            value={region}
            onChange={(e) => setPicked((p) => ({ ...p, [profile.id]: e.target.value }))}
          >
            {!regions.data?.some((r) => r.id === region) && (
              <option value={region}>{region}</option>
            )}
            {regions.data?.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name} ({r.id})
              </option>
            ))}
          </select>
        </label>
      </header>
      {regions.error && <ErrorNote error={regions.error} />}
      {profile.locked && (
        <p className="res-note" data-testid="res-locked">
          {t("resources.locked")}
        </p>
      )}
      <div className="res-tabs" role="tablist">
        {TABS.map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={tab === k}
            className="res-tab"
            data-testid={`res-tab-${k}`}
            onClick={() => setTab(k)}
          >
            {t(`resources.tab.${k}`)}
          </button>
        ))}
      </div>
      <section role="tabpanel" className="res-panel">
        {tab === "securityGroups" && <SecurityGroupsTab scope={scope} />}
        {tab === "addresses" && <AddressesTab scope={scope} />}
        {tab === "keyPairs" && <KeyPairsTab scope={scope} />}
        {tab === "images" && <ImagesTab scope={scope} />}
        {tab === "configuration" && <ConfigurationTab scope={scope} />}
      </section>
    </div>
  );
}
