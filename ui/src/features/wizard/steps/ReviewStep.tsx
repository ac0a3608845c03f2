// Wizard step "Review": the whole spec, the price, a dry run, then Create.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  BackendError,
  isPriceChanged,
  type AppError,
  type LaunchOutcome,
  wizardBackend,
} from "../../../backend";
import { ErrorBox } from "../../../components/ErrorBox";
import { toSpec } from "../form";
import { money, useLaunchQuote } from "../PricePanel";
import type { StepProps } from "./shared";

export function ReviewStep(
  props: StepProps & {
    spec: ReturnType<typeof toSpec>;
    serverError: AppError | null;
    onError: (e: unknown) => void;
    onInvalid: () => void;
    onSubmitted: (o: LaunchOutcome) => void;
    onSaveTemplate: () => void;
  },
) {
  const { t } = useTranslation();
  const { form, profileId, spec } = props;
  const [busy, setBusy] = useState<"check" | "submit" | null>(null);
  const [checked, setChecked] = useState(false);
  // Create sends the price shown; when Tencent's fresh quote differs the backend refuses,
  // the quote is asked again and the user must click Create again at the new price.
  const quote = useLaunchQuote(profileId, spec, true);
  const shown = quote.data && !quote.isFetching && !quote.isPlaceholderData ? quote.data : null;
  const [priceChanged, setPriceChanged] = useState<number | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const v = form.watch();

  const copy = async (what: "json" | "tccli") => {
    try {
      const p = await wizardBackend.preview(profileId, spec);
      await navigator.clipboard.writeText(what === "json" ? p.requestJson : p.tccli);
      setCopied(what);
    } catch (e) {
      props.onError(e);
    }
  };
  const valid = async () => {
    const ok = await form.trigger();
    if (!ok) props.onInvalid();
    return ok;
  };
  const check = async () => {
    if (!(await valid())) return;
    setBusy("check");
    try {
      await wizardBackend.check(profileId, spec);
      setChecked(true);
    } catch (e) {
      props.onError(e);
    } finally {
      setBusy(null);
    }
  };
  const submit = async () => {
    if (!shown || !(await valid())) return;
    const accepted = shown.totalNow ?? 0;
    setBusy("submit");
    setPriceChanged(null);
    try {
      props.onSubmitted(await wizardBackend.submit(profileId, spec, accepted, () => undefined));
    } catch (e) {
      if (isPriceChanged(e)) {
        setPriceChanged(accepted);
        await quote.refetch();
      } else props.onError(e);
    } finally {
      setBusy(null);
    }
  };
  const billing =
    v.chargeType === "PREPAID"
      ? `${t("wizard.charge.PREPAID")} · ${t("wizard.months", { count: v.period })} · ${t(`wizard.renew.${v.renewFlag}`)}`
      : v.chargeType === "SPOTPAID"
        ? `${t("wizard.charge.SPOTPAID")} · ${v.spotMode === "bid" ? `≤ ¥${v.maxPrice}` : t("wizard.spotMarket")}`
        : t("wizard.charge.POSTPAID_BY_HOUR");
  return (
    <div data-testid="wz-review">
      <dl className="facts wz-summary">
        <dt>{t("wizard.region")}</dt>
        <dd data-testid="wz-sum-place" data-region={spec.region} data-zone={spec.zone}>
          {spec.region} · {spec.zone}
        </dd>
        <dt>{t("wizard.billing")}</dt>
        <dd>{billing}</dd>
        <dt>{t("wizard.type")}</dt>
        <dd className="mono" data-testid="wz-sum-type">
          {spec.instanceType}
        </dd>
        <dt>{t("wizard.step.image")}</dt>
        <dd className="mono" data-testid="wz-sum-image">
          {spec.imageId}
        </dd>
        <dt>{t("wizard.step.storage")}</dt>
        <dd>
          {t(`wizard.disk.${spec.systemDisk.diskType}`)} {spec.systemDisk.sizeGib} GiB
          {spec.dataDisks.map((d, i) => (
            <span key={i}> + {d.sizeGib} GiB</span>
          ))}
        </dd>
        <dt>{t("wizard.step.network")}</dt>
        <dd className="mono">
          {spec.vpcId} / {spec.subnetId}
          {spec.publicIp
            ? ` · ${spec.bandwidthMbps} Mbps ${t(`wizard.ict.${spec.internetChargeType}`)}`
            : ""}
        </dd>
        <dt>{t("wizard.login")}</dt>
        <dd>{t(`wizard.loginKind.${spec.login.kind}`)}</dd>
        <dt>{t("wizard.count")}</dt>
        <dd>
          {spec.count} · {spec.name || t("wizard.defaultName")}
        </dd>
      </dl>
      {props.serverError && (
        <ErrorBox title={t("wizard.submitFailed")} error={new BackendError(props.serverError)} />
      )}
      {priceChanged != null && (
        <p className="wz-warn" role="alert" data-testid="wz-price-changed">
          {t("confirm.priceChanged", {
            price: shown ? `¥${money(shown.totalNow)}` : "…",
            before: `¥${money(priceChanged)}`,
          })}
        </p>
      )}
      {checked && (
        <p className="wz-ok" data-testid="wz-checked">
          {t("wizard.checkPassed")}
        </p>
      )}
      <div className="wz-actions">
        <button
          type="button"
          className="btn"
          onClick={() => void copy("json")}
          data-testid="wz-copy-json"
        >
          {copied === "json" ? t("wizard.copied") : t("wizard.copyJson")}
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => void copy("tccli")}
          data-testid="wz-copy-tccli"
        >
          {copied === "tccli" ? t("wizard.copied") : t("wizard.copyTccli")}
        </button>
        <button
          type="button"
          className="btn"
          onClick={props.onSaveTemplate}
          data-testid="wz-save-template-open"
        >
          {t("wizard.tpl.saveAs")}
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => void check()}
          disabled={busy != null}
          data-testid="wz-check"
        >
          {busy === "check" ? t("wizard.checking") : t("wizard.check")}
        </button>
        <button
          type="button"
          className="btn primary"
          onClick={() => void submit()}
          disabled={busy != null || !shown}
          data-testid="wz-create"
          data-price={shown ? money(shown.totalNow) : undefined}
        >
          {busy === "submit" ? t("wizard.creating") : t("wizard.create", { count: spec.count })}
        </button>
      </div>
      <p className="small muted" data-testid="wz-accept-price">
        {shown
          ? t(shown.chargeType === "PREPAID" ? "wizard.acceptUpFront" : "wizard.acceptFirstHour", {
              price: `¥${money(shown.totalNow)}`,
            })
          : quote.isError
            ? t("wizard.acceptNoPrice")
            : t("wizard.acceptPricing")}
      </p>
    </div>
  );
}
