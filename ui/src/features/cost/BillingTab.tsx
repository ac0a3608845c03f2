import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "@tanstack/react-query";
import { type InstanceView, instancesBackend } from "../../backend";
import { AutoRenewDialog, ConvertToPrepaidDialog, RenewDialog, daysLeft, whyNot } from "../billing";
import { buyTheSame } from "../wizard/prefill";
import { ErrorBox } from "../../components/ErrorBox";

type Dialog = "convert" | "renew" | "autoRenew" | null;

/** The buttons that open a billing dialog, each enabled when one chosen instance qualifies. */
const OPENERS = [
  {
    dialog: "convert",
    op: "toPrepaid",
    testid: "bl-open-convert",
    label: "cost.billing.convert",
    rule: "cost.billing.convertRule",
  },
  {
    dialog: "renew",
    op: "renew",
    testid: "bl-open-renew",
    label: "cost.billing.renew",
    rule: "cost.billing.prepaidRule",
  },
  {
    dialog: "autoRenew",
    op: "renew",
    testid: "bl-open-autorenew",
    label: "cost.billing.autoRenew",
    rule: "cost.billing.prepaidRule",
  },
] as const;

/**
 * The region's instances with their billing, and the billing operations on a selection:
 * Convert (pay-as-you-go only), Renew and Auto-renew (monthly subscriptions only), and Buy
 * the same configuration (one instance).
 */
export function BillingTab(props: { profileId: string; region: string }) {
  const { t } = useTranslation();
  const { profileId, region } = props;
  const list = useQuery({
    queryKey: ["instances", profileId, region, "billing"],
    queryFn: () => instancesBackend.allInstances(profileId, region),
  });
  const [selected, setSelected] = useState<string[]>([]);
  const [dialog, setDialog] = useState<Dialog>(null);
  const same = useMutation({
    mutationFn: (id: string) => buyTheSame(profileId, region, id),
  });
  const rows = (list.data ?? []).filter((i) => !["SHUTDOWN", "TERMINATING"].includes(i.state));
  const chosen = rows.filter((i) => selected.includes(i.id));
  const any = (op: "toPrepaid" | "renew") => chosen.some((i) => whyNot(op, i) === null);
  const toggle = (id: string) =>
    setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));
  const dialogProps = {
    profileId,
    region,
    instances: chosen,
    onClose: () => setDialog(null),
  };
  return (
    <div className="cost-billing" data-testid="billing-tab">
      <div className="cost-actions">
        {OPENERS.map((o) => (
          <button
            key={o.dialog}
            type="button"
            className="btn"
            data-testid={o.testid}
            disabled={!any(o.op)}
            title={any(o.op) ? undefined : t(o.rule)}
            onClick={() => setDialog(o.dialog)}
          >
            {t(o.label)}
          </button>
        ))}
        <button
          type="button"
          className="btn"
          data-testid="bl-buy-same"
          disabled={chosen.length !== 1 || same.isPending}
          title={chosen.length === 1 ? undefined : t("cost.billing.sameRule")}
          onClick={() => chosen[0] && same.mutate(chosen[0].id)}
        >
          {t("cost.billing.buySame")}
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => void list.refetch()}
          disabled={list.isFetching}
          data-testid="bl-refresh"
        >
          {t("cost.refresh")}
        </button>
      </div>
      <p className="muted small">{t("cost.billing.rules")}</p>
      {same.error && <ErrorBox title={t("cost.billing.sameFailed")} error={same.error} />}
      {list.isLoading && <p className="muted">{t("cost.loading")}</p>}
      {list.error && <ErrorBox title={t("cost.failed")} error={list.error} />}
      {list.data && rows.length === 0 && <p className="muted">{t("cost.billing.empty")}</p>}
      {rows.length > 0 && (
        <table className="cost-table" data-testid="bl-table">
          <thead>
            <tr>
              <th />
              <th>{t("cost.billing.instance")}</th>
              <th>{t("cost.billing.type")}</th>
              <th>{t("cost.model")}</th>
              <th>{t("cost.billing.expires")}</th>
              <th>{t("cost.billing.state")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((i) => (
              <Row
                key={i.id}
                i={i}
                checked={selected.includes(i.id)}
                onToggle={() => toggle(i.id)}
              />
            ))}
          </tbody>
        </table>
      )}
      {dialog === "convert" && <ConvertToPrepaidDialog {...dialogProps} />}
      {dialog === "renew" && <RenewDialog {...dialogProps} />}
      {dialog === "autoRenew" && <AutoRenewDialog {...dialogProps} />}
    </div>
  );
}

function Row(props: { i: InstanceView; checked: boolean; onToggle: () => void }) {
  const { t } = useTranslation();
  const { i } = props;
  const days = i.chargeType === "PREPAID" ? daysLeft(i.expiredTime) : null;
  return (
    <tr
      data-testid={`bl-row-${i.id}`}
      data-charge={i.chargeType}
      data-expires={i.expiredTime ?? ""}
    >
      <td>
        <input
          type="checkbox"
          aria-label={t("cost.billing.select", { id: i.id })}
          checked={props.checked}
          onChange={props.onToggle}
          data-testid={`bl-check-${i.id}`}
        />
      </td>
      <td>
        <div className="mono">{i.id}</div>
        <div className="small muted">{i.name}</div>
      </td>
      <td className="mono small">{i.instanceType}</td>
      <td>{t(`billing.charge.${i.chargeType}`, { defaultValue: i.chargeType })}</td>
      <td>
        {i.chargeType === "PREPAID" && i.expiredTime ? (
          <>
            {new Date(i.expiredTime).toLocaleDateString()}
            {days !== null && (
              <span className={days <= 7 ? "cost-badge soon" : "cost-badge"}>
                {t("cost.billing.daysLeft", { count: Math.max(days, 0) })}
              </span>
            )}
          </>
        ) : (
          <span className="muted small">{t("cost.billing.hourly")}</span>
        )}
      </td>
      <td className="small">{t(`instances.state.${i.state}`, { defaultValue: i.state })}</td>
    </tr>
  );
}
