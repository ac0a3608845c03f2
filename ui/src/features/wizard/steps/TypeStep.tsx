// Wizard step: the instance type, among those on sale in the zone for the billing model.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "@tanstack/react-query";
import { wizardBackend } from "../../../backend";
import { money } from "../PricePanel";
import { type StepProps, FieldError, Loading } from "./shared";

export function TypeStep({ form, profileId, region, lang }: StepProps) {
  const { t } = useTranslation();
  const [zone, charge, current] = form.watch(["zone", "chargeType", "instanceType"]);
  const [family, setFamily] = useState("");
  const types = useQuery({
    queryKey: ["wizard", "types", profileId, region, zone, charge, lang],
    queryFn: () => wizardBackend.instanceTypes(profileId, region, zone, charge, lang),
    enabled: !!zone,
  });
  const families = [...new Set(types.data?.map((x) => x.family) ?? [])];
  const shown = types.data?.filter((x) => !family || x.family === family) ?? [];
  const unit = charge === "PREPAID" ? t("wizard.price.perMonth") : t("wizard.price.perHour");
  return (
    <div>
      <Loading q={types} />
      <div className="wz-filter">
        <label htmlFor="wz-family">{t("wizard.family")}</label>
        <select id="wz-family" value={family} onChange={(e) => setFamily(e.target.value)}>
          <option value="">{t("wizard.allFamilies")}</option>
          {families.map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </select>
      </div>
      <div className="wz-scroll">
        <table className="wz-table" data-testid="wz-types">
          <thead>
            <tr>
              <th />
              <th>{t("wizard.type")}</th>
              <th>{t("wizard.vcpu")}</th>
              <th>{t("wizard.memory")}</th>
              <th>{t("wizard.gpu")}</th>
              <th>{t("wizard.cpuType")}</th>
              <th>{t("wizard.priceCol")}</th>
              <th>{t("wizard.stock")}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((x) => {
              const sold = x.status !== "SELL";
              return (
                <tr
                  key={x.instanceType}
                  className={
                    sold ? "sold-out" : current === x.instanceType ? "selected" : undefined
                  }
                  data-testid={`wz-type-${x.instanceType}`}
                  data-status={x.status}
                >
                  <td>
                    <input
                      type="radio"
                      aria-label={x.instanceType}
                      value={x.instanceType}
                      disabled={sold}
                      {...form.register("instanceType")}
                    />
                  </td>
                  <td>
                    <strong className="mono">{x.instanceType}</strong>
                    <div className="muted small">{x.typeName}</div>
                  </td>
                  <td>{x.cpu}</td>
                  <td>{x.memoryGib} GiB</td>
                  <td>{x.gpu > 0 ? x.gpuCount : "—"}</td>
                  <td className="small">
                    {x.cpuType} {x.frequency}
                  </td>
                  <td className="mono">
                    ¥{money(x.price)} {unit}
                  </td>
                  <td className="small">
                    {sold ? (x.soldOutReason ?? t("wizard.soldOut")) : t("wizard.onSale")}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <FieldError form={form} name="instanceType" />
    </div>
  );
}
