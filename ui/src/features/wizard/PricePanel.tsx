import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "@tanstack/react-query";
import { type LaunchSpec, type PriceQuote, BackendError, wizardBackend } from "../../backend";

/** The spec after it stopped changing for `ms` (the price is asked for only then). */
function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  const key = JSON.stringify(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed by content, not identity
  }, [key, ms]);
  return v;
}

export function money(n: number | null | undefined): string {
  return (n ?? 0).toFixed(2);
}

/** The price-relevant part of a spec (login and names never reach the price query). */
function priceKey(s: LaunchSpec) {
  return {
    region: s.region,
    zone: s.zone,
    billing: s.billing,
    instanceType: s.instanceType,
    imageId: s.imageId,
    systemDisk: s.systemDisk,
    dataDisks: s.dataDisks,
    publicIp: s.publicIp,
    internetChargeType: s.internetChargeType,
    bandwidthMbps: s.bandwidthMbps,
    count: s.count,
  };
}

/**
 * The quote of `spec` (shared by the price panel and the review step's Create, which sends
 * its `totalNow` as the accepted price).
 */
export function useLaunchQuote(profileId: string, spec: LaunchSpec, ready: boolean) {
  return useQuery({
    queryKey: ["wizard", "price", profileId, priceKey(spec)],
    queryFn: () =>
      wizardBackend.quote(profileId, {
        ...spec,
        login: { kind: "keepImageLogin" },
        name: "",
        hostName: null,
        tags: [],
      }),
    enabled: ready && !!(spec.zone && spec.instanceType && spec.imageId),
    placeholderData: (prev) => prev,
  });
}

export function PricePanel(props: { profileId: string; spec: LaunchSpec; ready: boolean }) {
  const { t } = useTranslation();
  const spec = useDebounced(props.spec, 500);
  // The debounced spec lags the form: ask only once it, too, names what a price needs
  // (a prefilled wizard is ready at once, its debounced spec half a second later).
  const ready = props.ready && !!(spec.zone && spec.instanceType && spec.imageId);
  const q = useLaunchQuote(props.profileId, spec, ready);
  return (
    <aside className="wz-price" data-testid="wz-price" aria-live="polite">
      <h2>{t("wizard.price.title")}</h2>
      {!props.ready && <p className="muted">{t("wizard.price.incomplete")}</p>}
      {ready && q.isError && (
        <p className="wz-error" data-testid="wz-price-error">
          {q.error instanceof BackendError ? q.error.detail.message : String(q.error)}
        </p>
      )}
      {ready && q.data && <Quote quote={q.data} stale={q.isFetching} />}
    </aside>
  );
}

function Quote({ quote, stale }: { quote: PriceQuote; stale: boolean }) {
  const { t } = useTranslation();
  const prepaid = quote.chargeType === "PREPAID";
  const bw = quote.bandwidth;
  const bwUnit = bw.chargeUnit === "GB" ? t("wizard.price.perGb") : t("wizard.price.perHour");
  return (
    <div className={stale ? "wz-quote stale" : "wz-quote"}>
      <div className="wz-total">
        <span className="wz-total-value" data-testid="wz-price-total">
          ¥{money(quote.totalNow)}
        </span>
        <span className="muted">
          {prepaid ? t("wizard.price.upFront") : t("wizard.price.firstHour")}
        </span>
      </div>
      <dl className="wz-price-lines">
        <dt>{t("wizard.price.instances", { count: quote.count })}</dt>
        <dd>
          {prepaid ? (
            <>
              <s className="muted" data-testid="wz-price-original">
                ¥{money(quote.instance.originalPrice)}
              </s>{" "}
              <span data-testid="wz-price-instance">¥{money(quote.instance.discountPrice)}</span>
            </>
          ) : (
            <span data-testid="wz-price-instance">
              ¥{money(quote.instance.steps[0]?.unitPriceDiscount)} {t("wizard.price.perHour")}
            </span>
          )}
        </dd>
        <dt>{t("wizard.price.perInstance")}</dt>
        <dd data-testid="wz-price-each">¥{money(quote.perInstance)}</dd>
        {!prepaid &&
          quote.instance.steps.length > 1 &&
          quote.instance.steps.map((s) => (
            <FragmentStep
              key={s.fromHour}
              from={s.fromHour}
              to={s.toHour}
              price={s.unitPriceDiscount}
            />
          ))}
        <dt>{t("wizard.price.bandwidth")}</dt>
        <dd data-testid="wz-price-bandwidth">
          {bw.discountPrice != null
            ? `¥${money(bw.discountPrice)}`
            : `¥${money(bw.steps[0]?.unitPriceDiscount)} ${bwUnit}`}
        </dd>
      </dl>
    </div>
  );
}

function FragmentStep(props: { from: number; to: number | null; price: number | null }) {
  const { t } = useTranslation();
  return (
    <>
      <dt className="wz-step-price">
        {props.to == null
          ? t("wizard.price.stepOpen", { from: props.from })
          : t("wizard.price.step", { from: props.from, to: props.to })}
      </dt>
      <dd className="wz-step-price">
        ¥{money(props.price)} {t("wizard.price.perHour")}
      </dd>
    </>
  );
}
