import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "@tanstack/react-query";
import {
  type CostLine,
  type Language,
  type ProfileView,
  apiLanguage,
  billingBackend,
  instancesBackend,
} from "../../backend";
import { useActiveProfile, useProfiles } from "../profiles/useProfiles";
import { profileName } from "../profiles/profileName";
import { FleetRate } from "./FleetRate";
import { ErrorBox } from "../../components/ErrorBox";
import { BillingTab } from "./BillingTab";
import "./cost.css";

type Tab = "rate" | "billing";

function money(n: number | null | undefined) {
  return (n ?? 0).toFixed(2);
}

/**
 * Cost: the estimated run-rate of a region or of all regions by billing model, and a
 * Billing tab with the region's instances and their billing operations.
 */
export function CostPage() {
  const { t, i18n } = useTranslation();
  const profile = useActiveProfile();
  const profiles = useProfiles();
  const [tab, setTab] = useState<Tab>("rate");
  const [chosen, setChosen] = useState<string | null>(null);
  const profileId = profile?.id ?? "";
  const region = chosen ?? profile?.lastRegion ?? profile?.defaultRegion ?? "ap-guangzhou";
  const regions = useQuery({
    queryKey: ["cost", "regions", profileId, apiLanguage(i18n.language)],
    queryFn: () => instancesBackend.listRegions(profileId, apiLanguage(i18n.language)),
    enabled: !!profile,
  });
  if (!profile) return <section className="page">{t("cost.loading")}</section>;
  return (
    <section className="page cost-page" data-testid="cost-page">
      <div className="cost-head">
        <h1>{t("cost.title")}</h1>
        <label className="cost-region">
          {t("cost.region")}
          <select
            data-testid="cost-region"
            value={region}
            onChange={(e) => setChosen(e.target.value)}
          >
            {(regions.data ?? [{ id: region, name: region, available: true, geography: "" }]).map(
              (r) => (
                <option key={r.id} value={r.id} disabled={!r.available}>
                  {r.name} ({r.id})
                </option>
              ),
            )}
          </select>
        </label>
      </div>
      <div className="cost-tabs" role="tablist">
        {(["rate", "billing"] as const).map((x) => (
          <button
            key={x}
            type="button"
            role="tab"
            className="cost-tab"
            aria-selected={tab === x}
            data-testid={`cost-tab-${x}`}
            onClick={() => setTab(x)}
          >
            {t(`cost.tab.${x}`)}
          </button>
        ))}
      </div>
      {tab === "rate" ? (
        <RunRate
          profiles={profiles.data?.profiles ?? []}
          lang={apiLanguage(i18n.language)}
          profileId={profileId}
          region={region}
          allRegions={(regions.data ?? []).filter((r) => r.available).map((r) => r.id)}
        />
      ) : (
        <BillingTab profileId={profileId} region={region} />
      )}
    </section>
  );
}

function RunRate(props: {
  profiles: ProfileView[];
  lang: Language;
  profileId: string;
  region: string;
  allRegions: string[];
}) {
  const { t } = useTranslation();
  const [scope, setScope] = useState<"region" | "all" | "fleet">("region");
  const regions = scope === "all" ? props.allRegions : [props.region];
  const q = useQuery({
    queryKey: ["billing", "cost", props.profileId, regions],
    queryFn: () => billingBackend.cost(props.profileId, regions),
    enabled: regions.length > 0 && scope !== "fleet",
  });
  const e = scope === "fleet" ? undefined : q.data;
  const sandboxName = t("profiles.sandboxName");
  const names = new Map(props.profiles.map((p) => [p.id, profileName(p, sandboxName)]));
  return (
    <div className="cost-rate">
      <div className="cost-scope" role="radiogroup" aria-label={t("cost.scope")}>
        <label>
          <input
            type="radio"
            checked={scope === "region"}
            onChange={() => setScope("region")}
            data-testid="cost-scope-region"
          />
          {t("cost.thisRegion", { region: props.region })}
        </label>
        <label>
          <input
            type="radio"
            checked={scope === "all"}
            onChange={() => setScope("all")}
            data-testid="cost-scope-all"
          />
          {t("cost.allRegions", { count: props.allRegions.length })}
        </label>
        {props.profiles.length > 1 && (
          <label>
            <input
              type="radio"
              checked={scope === "fleet"}
              onChange={() => setScope("fleet")}
              data-testid="cost-scope-fleet"
            />
            {t("cost.allAccounts", { count: props.profiles.length })}
          </label>
        )}
        <button
          type="button"
          className="btn"
          onClick={() => void q.refetch()}
          disabled={q.isFetching}
          data-testid="cost-refresh"
        >
          {q.isFetching ? t("cost.refreshing") : t("cost.refresh")}
        </button>
      </div>
      {scope === "fleet" && (
        <FleetRate
          profiles={props.profiles}
          lang={props.lang}
          names={names}
          renderLines={(lines, currency) => <Lines lines={lines} currency={currency} />}
        />
      )}
      {scope !== "fleet" && q.isLoading && <p className="muted">{t("cost.loading")}</p>}
      {scope !== "fleet" && q.error && <ErrorBox title={t("cost.failed")} error={q.error} />}
      {e && (
        <>
          <div className="cost-totals">
            <div className="card cost-total" data-testid="cost-hourly" data-value={money(e.hourly)}>
              <span className="muted small">{t("cost.perHour")}</span>
              <strong>¥{money(e.hourly)}</strong>
            </div>
            <div
              className="card cost-total"
              data-testid="cost-monthly"
              data-value={money(e.monthly)}
            >
              <span className="muted small">{t("cost.perMonth")}</span>
              <strong>¥{money(e.monthly)}</strong>
            </div>
          </div>
          <Lines lines={e.lines} />
          {scope === "all" && (
            <table className="cost-table" data-testid="cost-regions">
              <thead>
                <tr>
                  <th>{t("cost.region")}</th>
                  <th>{t("cost.instances")}</th>
                  <th>{t("cost.perHour")}</th>
                  <th>{t("cost.perMonth")}</th>
                </tr>
              </thead>
              <tbody>
                {e.regions
                  .filter((r) => r.error || r.lines.some((l) => l.instances > 0))
                  .map((r) => (
                    <tr key={r.region}>
                      <td className="mono">{r.region}</td>
                      {r.error ? (
                        <td colSpan={3} className="cost-error">
                          {r.error.message}
                        </td>
                      ) : (
                        <>
                          <td>{r.lines.reduce((n, l) => n + l.instances, 0)}</td>
                          <td>¥{money(r.hourly)}</td>
                          <td>¥{money(r.monthly)}</td>
                        </>
                      )}
                    </tr>
                  ))}
              </tbody>
            </table>
          )}
          <ul className="cost-notes muted small" data-testid="cost-notes">
            <li>{t("cost.note.postpaid")}</li>
            <li>{t("cost.note.prepaid", { hours: e.hoursPerMonth ?? 730 })}</li>
            <li>{t("cost.note.spot")}</li>
            <li data-testid="cost-note-stopped">{t("cost.note.stopped")}</li>
            <li>{t("cost.note.scope")}</li>
          </ul>
        </>
      )}
    </div>
  );
}

function Lines(props: { lines: CostLine[]; currency?: string }) {
  const c = props.currency ?? "¥";
  const { t } = useTranslation();
  if (props.lines.length === 0) return <p className="muted">{t("cost.none")}</p>;
  return (
    <table className="cost-table" data-testid="cost-lines">
      <thead>
        <tr>
          <th>{t("cost.model")}</th>
          <th>{t("cost.instances")}</th>
          <th>{t("cost.notCharged")}</th>
          <th>{t("cost.perHour")}</th>
          <th>{t("cost.perMonth")}</th>
        </tr>
      </thead>
      <tbody>
        {props.lines.map((l) => (
          <tr
            key={l.chargeType}
            data-testid={`cost-line-${l.chargeType}`}
            data-hourly={money(l.hourly)}
            data-instances={l.instances}
          >
            <td>{t(`billing.charge.${l.chargeType}`, { defaultValue: l.chargeType })}</td>
            <td>{l.instances}</td>
            <td>
              {l.notCharged}
              {l.unpriced > 0 && (
                <span className="muted small"> · {t("cost.unpriced", { count: l.unpriced })}</span>
              )}
            </td>
            <td>
              {c}
              {money(l.hourly)}
            </td>
            <td>
              {c}
              {money(l.monthly)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
