// Wizard step: the VPC, subnet and public bandwidth.
import { useEffect, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "@tanstack/react-query";
import { wizardBackend } from "../../../backend";
import { type StepProps, FieldError, Loading } from "./shared";

export function NetworkStep({ form, profileId, region }: StepProps) {
  const { t } = useTranslation();
  const [zone, vpcId, subnetId, publicIp, charge] = form.watch([
    "zone",
    "vpcId",
    "subnetId",
    "publicIp",
    "chargeType",
  ]);
  const nets = useQuery({
    queryKey: ["wizard", "networks", profileId, region, zone],
    queryFn: () => wizardBackend.networks(profileId, region, zone),
    enabled: !!zone,
  });
  const subnets = useMemo(
    () => nets.data?.subnets.filter((s) => s.vpcId === vpcId) ?? [],
    [nets.data, vpcId],
  );
  useEffect(() => {
    const d = nets.data;
    if (!d) return;
    if (!d.vpcs.some((v) => v.vpcId === vpcId)) {
      const v = d.vpcs.find((x) => x.isDefault) ?? d.vpcs[0];
      form.setValue("vpcId", v?.vpcId ?? "");
    }
  }, [nets.data, vpcId, form]);
  useEffect(() => {
    if (!nets.data) return;
    if (!subnets.some((s) => s.subnetId === subnetId)) {
      form.setValue("subnetId", subnets[0]?.subnetId ?? "", { shouldValidate: true });
    }
  }, [nets.data, subnets, subnetId, form]);
  const chargeTypes =
    charge === "PREPAID"
      ? ["BANDWIDTH_PREPAID", "TRAFFIC_POSTPAID_BY_HOUR", "BANDWIDTH_POSTPAID_BY_HOUR"]
      : ["TRAFFIC_POSTPAID_BY_HOUR", "BANDWIDTH_POSTPAID_BY_HOUR"];
  return (
    <div className="wz-fields">
      <Loading q={nets} />
      <label htmlFor="wz-vpc">{t("wizard.vpc")}</label>
      <select id="wz-vpc" data-testid="wz-vpc" {...form.register("vpcId")}>
        {nets.data?.vpcs.map((v) => (
          <option key={v.vpcId} value={v.vpcId}>
            {v.name} ({v.vpcId}, {v.cidr}){v.isDefault ? ` · ${t("wizard.default")}` : ""}
          </option>
        ))}
      </select>
      <label htmlFor="wz-subnet">{t("wizard.subnet")}</label>
      <div>
        <select id="wz-subnet" data-testid="wz-subnet" {...form.register("subnetId")}>
          {subnets.map((s) => (
            <option key={s.subnetId} value={s.subnetId}>
              {s.name} ({s.subnetId}, {s.cidr}) · {t("wizard.freeIps", { count: s.availableIps })}
            </option>
          ))}
        </select>
        {nets.data && subnets.length === 0 && (
          <div className="wz-error">{t("wizard.noSubnet")}</div>
        )}
        <FieldError form={form} name="subnetId" />
      </div>
      <span className="wz-label">{t("wizard.publicIp")}</span>
      <label className="wz-check">
        <input type="checkbox" data-testid="wz-public-ip" {...form.register("publicIp")} />
        {t("wizard.assignPublicIp")}
      </label>
      {publicIp && (
        <>
          <label htmlFor="wz-ict">{t("wizard.internetCharge")}</label>
          <div>
            <select id="wz-ict" {...form.register("internetChargeType")}>
              {chargeTypes.map((c) => (
                <option key={c} value={c}>
                  {t(`wizard.ict.${c}`)}
                </option>
              ))}
            </select>
            <FieldError form={form} name="internetChargeType" />
          </div>
          <label htmlFor="wz-bw">{t("wizard.bandwidth")}</label>
          <div className="wz-inline">
            <input
              id="wz-bw"
              type="number"
              data-testid="wz-bandwidth"
              {...form.register("bandwidthMbps", { valueAsNumber: true })}
            />
            <span>Mbps</span>
            <FieldError form={form} name="bandwidthMbps" />
          </div>
        </>
      )}
    </div>
  );
}
