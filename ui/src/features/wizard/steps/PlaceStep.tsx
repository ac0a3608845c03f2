// Wizard step "Place": region, zone and billing model.
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "@tanstack/react-query";
import { instancesBackend, wizardBackend } from "../../../backend";
import { CHARGE_TYPES, PERIODS, RENEW_FLAGS } from "../form";
import { type StepProps, FieldError, Loading } from "./shared";

export function PlaceStep(props: StepProps & { onRegion: (r: string) => void }) {
  const { t } = useTranslation();
  const { form, profileId, region, lang } = props;
  const charge = form.watch("chargeType");
  const zone = form.watch("zone");
  const spotMode = form.watch("spotMode");
  const regions = useQuery({
    queryKey: ["wizard", "regions", profileId, lang],
    queryFn: () => instancesBackend.listRegions(profileId, lang),
  });
  const zones = useQuery({
    queryKey: ["wizard", "zones", profileId, region, charge, lang],
    queryFn: () => wizardBackend.zones(profileId, region, charge, lang),
  });
  useEffect(() => {
    const list = zones.data;
    if (!list) return;
    if (!list.some((z) => z.zone === zone && z.available)) {
      const first = list.find((z) => z.available);
      form.setValue("zone", first?.zone ?? "", { shouldValidate: true });
    }
  }, [zones.data, zone, form]);
  return (
    <div className="wz-fields">
      <label htmlFor="wz-region">{t("wizard.region")}</label>
      <select
        id="wz-region"
        data-testid="wz-region"
        value={region}
        onChange={(e) => {
          props.onRegion(e.target.value);
          form.setValue("zone", "");
        }}
      >
        {(regions.data ?? [{ id: region, name: region, available: true, geography: "" }]).map(
          (r) => (
            <option key={r.id} value={r.id} disabled={!r.available}>
              {r.name} ({r.id})
            </option>
          ),
        )}
      </select>
      <span className="wz-label">{t("wizard.billing")}</span>
      <div className="wz-choices wz-charges" role="radiogroup" aria-label={t("wizard.billing")}>
        {CHARGE_TYPES.map((c) => (
          <label key={c} className="wz-choice" data-testid={`wz-charge-${c}`}>
            <input type="radio" value={c} {...form.register("chargeType")} />
            <span>
              <strong>{t(`wizard.charge.${c}`)}</strong>
              <span className="muted small">{t(`wizard.chargeHint.${c}`)}</span>
            </span>
          </label>
        ))}
      </div>
      {charge === "PREPAID" && (
        <>
          <label htmlFor="wz-period">{t("wizard.period")}</label>
          <select
            id="wz-period"
            data-testid="wz-period"
            {...form.register("period", { valueAsNumber: true })}
          >
            {PERIODS.map((p) => (
              <option key={p} value={p}>
                {p >= 12 && p % 12 === 0
                  ? t("wizard.years", { count: p / 12 })
                  : t("wizard.months", { count: p })}
              </option>
            ))}
          </select>
          <label htmlFor="wz-renew">{t("wizard.renewFlag")}</label>
          <select id="wz-renew" data-testid="wz-renew" {...form.register("renewFlag")}>
            {RENEW_FLAGS.map((f) => (
              <option key={f} value={f}>
                {t(`wizard.renew.${f}`)}
              </option>
            ))}
          </select>
          <FieldError form={form} name="period" />
        </>
      )}
      {charge === "SPOTPAID" && (
        <>
          <span className="wz-label">{t("wizard.spot")}</span>
          <div className="wz-choices">
            <label className="wz-choice">
              <input type="radio" value="market" {...form.register("spotMode")} />
              {t("wizard.spotMarket")}
            </label>
            <label className="wz-choice">
              <input type="radio" value="bid" {...form.register("spotMode")} />
              {t("wizard.spotBid")}
            </label>
          </div>
          {spotMode === "bid" && (
            <>
              <label htmlFor="wz-maxprice">{t("wizard.maxPrice")}</label>
              <div>
                <input
                  id="wz-maxprice"
                  data-testid="wz-maxprice"
                  inputMode="decimal"
                  {...form.register("maxPrice")}
                />
                <FieldError form={form} name="maxPrice" />
              </div>
            </>
          )}
        </>
      )}
      <span className="wz-label">{t("wizard.zone")}</span>
      <div>
        <Loading q={zones} />
        <div className="wz-choices" role="radiogroup" aria-label={t("wizard.zone")}>
          {zones.data?.map((z) => (
            <label
              key={z.zone}
              className="wz-choice"
              data-testid={`wz-zone-${z.zone}`}
              data-disabled={!z.available}
            >
              <input
                type="radio"
                value={z.zone}
                disabled={!z.available}
                {...form.register("zone")}
              />
              <span>
                <strong>{z.name}</strong>
                <span className="muted small">
                  {z.available
                    ? t("wizard.typesOnSale", { count: z.typesOnSale })
                    : t("wizard.zoneSoldOut")}
                </span>
              </span>
            </label>
          ))}
        </div>
        <FieldError form={form} name="zone" />
      </div>
    </div>
  );
}
