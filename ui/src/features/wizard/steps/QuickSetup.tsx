// Quick setup: a preset size in a region; the wizard fills in the rest for the user.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "@tanstack/react-query";
import { instancesBackend, wizardBackend } from "../../../backend";
import { ErrorBox } from "../../../components/ErrorBox";
import { PRESETS, defaultValues, type Preset } from "../form";
import { money } from "../PricePanel";
import { type StepProps, Loading } from "./shared";

export function QuickSetup(
  props: StepProps & { onRegion: (r: string) => void; onDone: () => void },
) {
  const { t } = useTranslation();
  const { form, profileId, region, lang } = props;
  const [preset, setPreset] = useState<Preset>("small");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [imageId, setImageId] = useState("");
  const regions = useQuery({
    queryKey: ["wizard", "regions", profileId, lang],
    queryFn: () => instancesBackend.listRegions(profileId, lang),
  });
  // The cheapest on-sale pay-as-you-go type of the preset's size in the first zone with one.
  const pick = useQuery({
    queryKey: ["wizard", "quick", profileId, region, preset, lang],
    queryFn: async () => {
      const zones = await wizardBackend.zones(profileId, region, "POSTPAID_BY_HOUR", lang);
      const want = PRESETS[preset];
      for (const z of zones.filter((x) => x.available)) {
        const types = await wizardBackend.instanceTypes(
          profileId,
          region,
          z.zone,
          "POSTPAID_BY_HOUR",
          lang,
        );
        const fit = types
          .filter(
            (x) =>
              x.status === "SELL" && x.gpu === 0 && x.cpu >= want.cpu && x.memoryGib >= want.memory,
          )
          .sort((a, b) => (a.price ?? 0) - (b.price ?? 0))[0];
        if (fit) {
          const images = await wizardBackend.images(profileId, region, fit.instanceType);
          return { zone: z.zone, type: fit, images };
        }
      }
      return null;
    },
  });
  const images = pick.data?.images ?? [];
  const chosenImage = images.find((i) => i.imageId === imageId) ?? images.find((i) => !i.windows);
  const apply = async () => {
    if (!pick.data || !chosenImage) return;
    setBusy(true);
    setError(null);
    try {
      const nets = await wizardBackend.networks(profileId, region, pick.data.zone);
      const vpc = nets.vpcs.find((v) => v.isDefault) ?? nets.vpcs[0];
      const subnet = nets.subnets.find((s) => s.vpcId === vpc?.vpcId);
      const sg = nets.securityGroups.find((g) => g.isDefault);
      form.reset({
        ...defaultValues,
        password: form.getValues("password"),
        zone: pick.data.zone,
        instanceType: pick.data.type.instanceType,
        imageId: chosenImage.imageId,
        imageWindows: chosenImage.windows,
        systemDiskSize: Math.max(chosenImage.windows ? 50 : 20, 50),
        vpcId: vpc?.vpcId ?? "",
        subnetId: subnet?.subnetId ?? "",
        securityGroupIds: sg ? [sg.securityGroupId] : [],
      });
      props.onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="card wz-card" data-testid="wz-quick">
      <p className="muted">{t("wizard.quick.intro")}</p>
      <div className="wz-fields">
        <label htmlFor="wz-q-region">{t("wizard.region")}</label>
        <select id="wz-q-region" value={region} onChange={(e) => props.onRegion(e.target.value)}>
          {(regions.data ?? [{ id: region, name: region, available: true, geography: "" }]).map(
            (r) => (
              <option key={r.id} value={r.id} disabled={!r.available}>
                {r.name} ({r.id})
              </option>
            ),
          )}
        </select>
        <span className="wz-label">{t("wizard.quick.size")}</span>
        <div className="wz-choices">
          {(Object.keys(PRESETS) as Preset[]).map((p) => (
            <label key={p} className="wz-choice" data-testid={`wz-preset-${p}`}>
              <input type="radio" checked={preset === p} onChange={() => setPreset(p)} />
              <span>
                <strong>{t(`wizard.quick.${p}`)}</strong>
                <span className="muted small">
                  {t("wizard.quick.atLeast", { cpu: PRESETS[p].cpu, memory: PRESETS[p].memory })}
                </span>
              </span>
            </label>
          ))}
        </div>
        <span className="wz-label">{t("wizard.type")}</span>
        <div>
          <Loading q={pick} />
          {pick.data === null && <p className="wz-error">{t("wizard.quick.noStock")}</p>}
          {pick.data && (
            <span className="mono" data-testid="wz-quick-type">
              {pick.data.type.instanceType} · {pick.data.zone} · ¥{money(pick.data.type.price)}{" "}
              {t("wizard.price.perHour")}
            </span>
          )}
        </div>
        <label htmlFor="wz-q-image">{t("wizard.step.image")}</label>
        <select
          id="wz-q-image"
          value={chosenImage?.imageId ?? ""}
          onChange={(e) => setImageId(e.target.value)}
        >
          {images.map((i) => (
            <option key={i.imageId} value={i.imageId}>
              {i.osName}
            </option>
          ))}
        </select>
        <span className="wz-label">{t("wizard.quick.defaults")}</span>
        <span className="muted small">{t("wizard.quick.defaultsText")}</span>
      </div>
      {error != null && <ErrorBox title={t("wizard.loadFailed")} error={error} />}
      <div className="wz-nav">
        <button
          type="button"
          className="btn primary"
          disabled={!pick.data || !chosenImage || busy}
          onClick={() => void apply()}
          data-testid="wz-quick-continue"
        >
          {t("wizard.quick.continue")}
        </button>
      </div>
    </div>
  );
}
