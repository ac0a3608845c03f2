import { useEffect, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  isPriceChanged,
  type ActionReport,
  type BillingQuote,
  type InstanceView,
  type RenewFlag,
  billingBackend,
} from "../../backend";
import { DialogButtons } from "../../components/DialogButtons";
import { Modal } from "../../components/Modal";
import { ErrorBox } from "../../components/ErrorBox";
import { PERIODS, RENEW_FLAGS, calls, split, type BillingOp } from "./eligibility";
import "./billing.css";

/** What every billing dialog takes: the instances it was opened for (any billing model). */
export interface BillingDialogProps {
  profileId: string;
  region: string;
  instances: InstanceView[];
  onClose: () => void;
  /** After a change went through (e.g. to refresh a list). */
  onDone?: (report: ActionReport) => void;
}

function money(n: number | null | undefined) {
  return (n ?? 0).toFixed(2);
}

/** The instances the operation applies to, and the others with the reason. */
function Targets(props: { op: BillingOp; instances: InstanceView[] }) {
  const { t } = useTranslation();
  const { ok, refused } = split(props.op, props.instances);
  return (
    <div className="bl-targets">
      <p>
        {t("billing.applies", { count: ok.length })}
        {ok.length > 0 && (
          <span className="mono small muted"> {ok.map((i) => i.id).join(", ")}</span>
        )}
      </p>
      {refused.length > 0 && (
        <ul className="bl-refused" data-testid="bl-refused">
          {refused.map(({ instance, reason }) => (
            <li key={instance.id}>
              <span className="mono">{instance.id}</span> —{" "}
              {t(`billing.${reason}`, { charge: t(`billing.charge.${instance.chargeType}`) })}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function PeriodPicker(props: { value: number; onChange: (n: number) => void; disabled?: boolean }) {
  const { t } = useTranslation();
  return (
    <label className="bl-field">
      {t("billing.period")}
      <select
        data-testid="bl-period"
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => props.onChange(Number(e.target.value))}
      >
        {PERIODS.map((p) => (
          <option key={p} value={p}>
            {p >= 12 && p % 12 === 0
              ? t("billing.years", { count: p / 12 })
              : t("billing.months", { count: p })}
          </option>
        ))}
      </select>
    </label>
  );
}

function FlagPicker(props: {
  value: RenewFlag;
  onChange: (f: RenewFlag) => void;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <label className="bl-field">
      {t("billing.renewFlag")}
      <select
        data-testid="bl-flag"
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.value as RenewFlag)}
      >
        {RENEW_FLAGS.map((f) => (
          <option key={f} value={f}>
            {t(`billing.flag.${f}`)}
          </option>
        ))}
      </select>
    </label>
  );
}

function Quote(props: { q: BillingQuote; n: number }) {
  const { t } = useTranslation();
  const { q } = props;
  return (
    <div className="bl-quote" data-testid="bl-quote" data-price={money(q.discountPrice)}>
      <span className="bl-price">¥{money(q.discountPrice)}</span>
      {(q.originalPrice ?? 0) > (q.discountPrice ?? 0) && (
        <s className="muted">¥{money(q.originalPrice)}</s>
      )}
      <span className="muted small">
        {t("billing.quoteFor", { count: props.n, months: q.period, calls: calls(props.n) })}
      </span>
    </div>
  );
}

function Report(props: { report: ActionReport }) {
  const { t } = useTranslation();
  const r = props.report;
  return (
    <div className={r.failed ? "bl-report bad" : "bl-report ok"} data-testid="bl-report">
      <p>{t("billing.report", { ok: r.succeeded, failed: r.failed })}</p>
      {r.results
        .filter((x) => !x.ok)
        .map((x) => (
          <p key={x.instanceId} className="small">
            <span className="mono">{x.instanceId}</span>: {x.error?.message} (
            <span className="mono">{x.error?.code}</span>)
          </p>
        ))}
    </div>
  );
}

/** Cancel (Close once done) and the dialog's confirm button, hidden once the change went through. */
function Actions(props: {
  settled: boolean;
  busy: boolean;
  disabled: boolean;
  label: string;
  onClose: () => void;
  onConfirm: () => void;
}) {
  const { t } = useTranslation();
  return (
    <DialogButtons
      className="bl-actions"
      cancelLabel={props.settled ? t("billing.close") : t("billing.cancel")}
      cancelTestid="bl-close"
      onCancel={props.onClose}
      confirmLabel={props.busy ? t("billing.working") : props.label}
      confirmTestid="bl-confirm"
      disabled={props.disabled || props.busy}
      onConfirm={props.settled ? undefined : props.onConfirm}
    />
  );
}

/** The frame every billing dialog shares: title, intro, the targets, then its fields. */
function BillingModal(props: {
  op: BillingOp;
  testid: string;
  instances: InstanceView[];
  fields: ReactNode;
  onClose: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const some = split(props.op, props.instances).ok.length > 0;
  return (
    <Modal title={t(`billing.${props.op}.title`)} testid={props.testid} onCancel={props.onClose}>
      <p className="muted small">{t(`billing.${props.op}.intro`)}</p>
      <Targets op={props.op} instances={props.instances} />
      {some && <div className="bl-fields">{props.fields}</div>}
      {props.children}
    </Modal>
  );
}

function useDone(props: BillingDialogProps) {
  const qc = useQueryClient();
  return (r: ActionReport) => {
    void qc.invalidateQueries({ queryKey: ["instances"] });
    void qc.invalidateQueries({ queryKey: ["billing"] });
    props.onDone?.(r);
  };
}

/**
 * Pay-as-you-go → monthly subscription (ModifyInstancesChargeType, ≤ 20 instances a call),
 * priced first by InquiryPriceModifyInstancesChargeType. Only POSTPAID_BY_HOUR instances
 * qualify: spot instances cannot change their billing, prepaid ones already are monthly.
 */
export function ConvertToPrepaidDialog(props: BillingDialogProps) {
  const { t } = useTranslation();
  const { profileId, region } = props;
  const ids = split("toPrepaid", props.instances).ok.map((i) => i.id);
  const [period, setPeriod] = useState(1);
  const [flag, setFlag] = useState<RenewFlag>("NOTIFY_AND_MANUAL_RENEW");
  const quote = useQuery({
    queryKey: ["billing", "quoteToPrepaid", profileId, region, ids, period],
    queryFn: () => billingBackend.quoteToPrepaid(profileId, region, ids, period),
    enabled: ids.length > 0,
  });
  const done = useDone(props);
  const change = useMutation({
    mutationFn: () =>
      billingBackend.changeToPrepaid(
        profileId,
        region,
        ids,
        period,
        flag,
        quote.data?.discountPrice ?? 0,
      ),
    onSuccess: done,
  });
  const settled = change.isSuccess;
  return (
    <BillingModal
      op="toPrepaid"
      testid="bl-convert"
      instances={props.instances}
      fields={
        <>
          <PeriodPicker value={period} onChange={setPeriod} disabled={settled} />
          <FlagPicker value={flag} onChange={setFlag} disabled={settled} />
        </>
      }
      onClose={props.onClose}
    >
      <PricedChange
        quote={quote}
        change={change}
        count={ids.length}
        confirm={t("billing.toPrepaid.confirm", { price: money(quote.data?.discountPrice) })}
        onClose={props.onClose}
      />
    </BillingModal>
  );
}

/**
 * The priced part every paid change shares: the quote (or why there is none), the
 * outcome, and Cancel / "Pay … and change", enabled only at a fresh quote. The change
 * carries the quoted price; when the backend refuses because Tencent's price moved, the
 * quote is asked again, the new price shown with a note, and the user must click again.
 */
function PricedChange(props: {
  quote: { data?: BillingQuote; isFetching: boolean; error: unknown; refetch: () => unknown };
  change: {
    data?: ActionReport;
    error: unknown;
    isPending: boolean;
    isSuccess: boolean;
    mutate: () => void;
  };
  count: number;
  confirm: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { quote, change } = props;
  const settled = change.isSuccess;
  const [accepted, setAccepted] = useState<number | null>(null);
  const priceChanged = isPriceChanged(change.error);
  const refetch = quote.refetch;
  useEffect(() => {
    if (priceChanged) void refetch();
  }, [priceChanged, refetch]);
  return (
    <>
      {quote.isFetching && <p className="muted">{t("billing.pricing")}</p>}
      {!!quote.error && <ErrorBox title={t("billing.priceFailed")} error={quote.error} />}
      {quote.data && !quote.isFetching && <Quote q={quote.data} n={props.count} />}
      {priceChanged && (
        <p className="bl-report bad" role="alert" data-testid="bl-price-changed">
          {t("confirm.priceChanged", {
            price: quote.data && !quote.isFetching ? `¥${money(quote.data.discountPrice)}` : "…",
            before: `¥${money(accepted)}`,
          })}
        </p>
      )}
      {!!change.error && !priceChanged && (
        <ErrorBox title={t("billing.failed")} error={change.error} />
      )}
      {change.data && <Report report={change.data} />}
      <Actions
        settled={settled}
        busy={change.isPending}
        disabled={!quote.data || quote.isFetching || props.count === 0}
        label={props.confirm}
        onClose={props.onClose}
        onConfirm={() => {
          setAccepted(quote.data?.discountPrice ?? 0);
          change.mutate();
        }}
      />
    </>
  );
}

/**
 * Renews monthly subscriptions (RenewInstances, ≤ 20 a call) by a chosen period, priced first
 * by InquiryPriceRenewInstances. Only PREPAID instances qualify: pay-as-you-go and spot
 * instances are billed by the hour and have nothing to renew.
 */
export function RenewDialog(props: BillingDialogProps) {
  const { t } = useTranslation();
  const { profileId, region } = props;
  const ids = split("renew", props.instances).ok.map((i) => i.id);
  const [period, setPeriod] = useState(1);
  const quote = useQuery({
    queryKey: ["billing", "quoteRenew", profileId, region, ids, period],
    queryFn: () => billingBackend.quoteRenew(profileId, region, ids, period),
    enabled: ids.length > 0,
  });
  const done = useDone(props);
  const renew = useMutation({
    mutationFn: () =>
      billingBackend.renew(profileId, region, ids, period, quote.data?.discountPrice ?? 0),
    onSuccess: done,
  });
  const settled = renew.isSuccess;
  return (
    <BillingModal
      op="renew"
      testid="bl-renew"
      instances={props.instances}
      fields={<PeriodPicker value={period} onChange={setPeriod} disabled={settled} />}
      onClose={props.onClose}
    >
      <PricedChange
        quote={quote}
        change={renew}
        count={ids.length}
        confirm={t("billing.renew.confirm", { price: money(quote.data?.discountPrice) })}
        onClose={props.onClose}
      />
    </BillingModal>
  );
}

/**
 * The renewal setting of monthly subscriptions (ModifyInstancesRenewFlag): renew
 * automatically, notify only, or neither. Free of charge; only PREPAID instances qualify.
 */
export function AutoRenewDialog(props: BillingDialogProps) {
  const { t } = useTranslation();
  const { profileId, region } = props;
  const ids = split("autoRenew", props.instances).ok.map((i) => i.id);
  const [flag, setFlag] = useState<RenewFlag>("NOTIFY_AND_AUTO_RENEW");
  const done = useDone(props);
  const set = useMutation({
    mutationFn: () => billingBackend.setRenewFlag(profileId, region, ids, flag),
    onSuccess: done,
  });
  const settled = set.isSuccess;
  return (
    <BillingModal
      op="autoRenew"
      testid="bl-autorenew"
      instances={props.instances}
      fields={<FlagPicker value={flag} onChange={setFlag} disabled={settled} />}
      onClose={props.onClose}
    >
      {set.error && <ErrorBox title={t("billing.failed")} error={set.error} />}
      {set.data && <Report report={set.data} />}
      <Actions
        settled={settled}
        busy={set.isPending}
        disabled={ids.length === 0}
        label={t("billing.autoRenew.confirm")}
        onClose={props.onClose}
        onConfirm={() => set.mutate()}
      />
    </BillingModal>
  );
}
