import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useQueries } from "@tanstack/react-query";
import {
  type CostEstimate,
  type CostLine,
  type Language,
  type ProfileView,
  billingBackend,
  instancesBackend,
} from "../../backend";
import { ErrorBox } from "../../components/ErrorBox";

function money(n: number | null | undefined) {
  return (n ?? 0).toFixed(2);
}

/** The international site bills in USD, the others in CNY. */
function currencyOf(p: ProfileView): "$" | "¥" {
  return p.site.type === "intl" ? "$" : "¥";
}

/** An account's run-rate over its enabled regions (those DescribeRegions reports available). */
async function accountCost(p: ProfileView, lang: Language): Promise<CostEstimate> {
  const [regions, enabled] = await Promise.all([
    instancesBackend.listRegions(p.id, lang),
    instancesBackend.enabledRegions(p.id),
  ]);
  const available = regions.filter((r) => r.available).map((r) => r.id);
  const list = enabled ? available.filter((r) => enabled.includes(r)) : available;
  return billingBackend.cost(p.id, list);
}

const add = (a: number | null, b: number | null) =>
  a === null && b === null ? null : (a ?? 0) + (b ?? 0);

/** The lines of several estimates, summed by billing model. */
export function mergeLines(estimates: CostEstimate[]): CostLine[] {
  const by = new Map<string, CostLine>();
  for (const e of estimates)
    for (const l of e.lines) {
      const m = by.get(l.chargeType);
      by.set(
        l.chargeType,
        m
          ? {
              chargeType: l.chargeType,
              instances: m.instances + l.instances,
              notCharged: m.notCharged + l.notCharged,
              unpriced: m.unpriced + l.unpriced,
              hourly: add(m.hourly, l.hourly),
              monthly: add(m.monthly, l.monthly),
            }
          : { ...l },
      );
    }
  return [...by.values()];
}

/**
 * The run-rate of every account over its enabled regions: one estimate per account
 * (each through its own client), a line per account, and the totals per currency (an
 * account on the international site is billed in USD and is not added to CNY).
 */
export function FleetRate(props: {
  profiles: ProfileView[];
  lang: Language;
  names: ReadonlyMap<string, string>;
  renderLines: (lines: CostLine[], currency: string) => React.ReactNode;
}) {
  const { t } = useTranslation();
  const results = useQueries({
    queries: props.profiles.map((p) => ({
      queryKey: ["billing", "fleet-cost", p.id, props.lang],
      queryFn: () => accountCost(p, props.lang),
    })),
  });
  const currencies = useMemo(() => {
    const m = new Map<string, CostEstimate[]>();
    props.profiles.forEach((p, i) => {
      const e = results[i]?.data;
      if (!e) return;
      const c = currencyOf(p);
      m.set(c, [...(m.get(c) ?? []), e]);
    });
    return [...m.entries()];
  }, [props.profiles, results]);
  const loading = results.some((r) => r.isLoading);
  return (
    <div data-testid="cost-fleet" data-loading={loading}>
      {loading && <p className="muted">{t("cost.loading")}</p>}
      {currencies.map(([c, list]) => (
        <div key={c}>
          <div className="cost-totals">
            <div
              className="card cost-total"
              data-testid={`cost-fleet-hourly-${c === "$" ? "usd" : "cny"}`}
              data-value={money(list.reduce((n, e) => n + (e.hourly ?? 0), 0))}
            >
              <span className="muted small">{t("cost.perHour")}</span>
              <strong>
                {c}
                {money(list.reduce((n, e) => n + (e.hourly ?? 0), 0))}
              </strong>
            </div>
            <div className="card cost-total">
              <span className="muted small">{t("cost.perMonth")}</span>
              <strong>
                {c}
                {money(list.reduce((n, e) => n + (e.monthly ?? 0), 0))}
              </strong>
            </div>
          </div>
          {props.renderLines(mergeLines(list), c)}
        </div>
      ))}
      <table className="cost-table" data-testid="cost-accounts">
        <thead>
          <tr>
            <th>{t("cost.account")}</th>
            <th>{t("cost.instances")}</th>
            <th>{t("cost.perHour")}</th>
            <th>{t("cost.perMonth")}</th>
          </tr>
        </thead>
        <tbody>
          {props.profiles.map((p, i) => {
            const r = results[i];
            const e = r?.data;
            const c = currencyOf(p);
            return (
              <tr
                key={p.id}
                data-testid={`cost-account-${p.id}`}
                data-hourly={e ? money(e.hourly) : undefined}
              >
                <td>{props.names.get(p.id) ?? p.id}</td>
                {r?.error ? (
                  <td colSpan={3} className="cost-error">
                    <ErrorBox title={t("cost.failed")} error={r.error} />
                  </td>
                ) : !e ? (
                  <td colSpan={3} className="muted">
                    {t("cost.loading")}
                  </td>
                ) : (
                  <>
                    <td>{e.lines.reduce((n, l) => n + l.instances, 0)}</td>
                    <td>
                      {c}
                      {money(e.hourly)}
                    </td>
                    <td>
                      {c}
                      {money(e.monthly)}
                    </td>
                  </>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
