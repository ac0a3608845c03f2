import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useForm, useFieldArray, useWatch, type UseFormReturn } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery } from "@tanstack/react-query";
import {
  BackendError,
  isPriceChanged,
  apiLanguage,
  type ApiLanguage,
  type AppError,
  type LaunchOutcome,
  instancesBackend,
  wizardBackend,
} from "../../backend";
import { useActiveProfile } from "../profiles/useProfiles";
import { ErrorBox } from "../../components/ErrorBox";
import {
  CHARGE_TYPES,
  DATA_DISK_TYPES,
  PERIODS,
  PRESETS,
  RENEW_FLAGS,
  STEPS,
  STEP_FIELDS,
  SYSTEM_DISK_TYPES,
  defaultValues,
  draftToValues,
  formFieldOf,
  formSchema,
  stepOfField,
  toSpec,
  type FormValues,
  type Preset,
  type Step,
} from "./form";
import { PricePanel, money, useLaunchQuote } from "./PricePanel";
import { LaunchView } from "./LaunchView";
import { onOpenWizard, takePendingDraft, type PendingDraft } from "./prefill";
import { SaveTemplateDialog, TemplatesDialog } from "./Templates";
import "./wizard.css";

type Form = UseFormReturn<FormValues>;

export function WizardPage() {
  const { t, i18n } = useTranslation();
  const profile = useActiveProfile();
  const lang = apiLanguage(i18n.language);
  const [region, setRegion] = useState<string | null>(null);
  const [step, setStep] = useState<Step>("place");
  const [quick, setQuick] = useState(false);
  const [serverError, setServerError] = useState<AppError | null>(null);
  const [outcome, setOutcome] = useState<LaunchOutcome | null>(null);
  const [prefilled, setPrefilled] = useState<PendingDraft | null>(null);
  const [dialog, setDialog] = useState<"templates" | "save" | null>(null);
  const form = useForm<FormValues>({
    resolver: zodResolver(formSchema),
    defaultValues,
    mode: "onChange",
  });
  // A draft opened from elsewhere (template, "buy the same"): now, and whenever another
  // one is opened while the wizard is shown. It lands on the review step; a missing
  // password sends the user to the login step on Check or Create.
  useEffect(() => {
    const apply = () => {
      const p = takePendingDraft();
      if (!p) return;
      form.reset(draftToValues(p.draft));
      setRegion(p.draft.region);
      setQuick(false);
      setOutcome(null);
      setServerError(null);
      setPrefilled(p);
      setStep("review");
    };
    apply();
    return onOpenWizard(apply);
  }, [form]);
  const profileId = profile?.id ?? "";
  const activeRegion = region ?? profile?.lastRegion ?? profile?.defaultRegion ?? "ap-guangzhou";
  // Re-render on every change; the values themselves come from getValues().
  useWatch({ control: form.control });
  const values = form.getValues();
  const spec = toSpec(values, activeRegion);
  const priceReady = !!(values.zone && values.instanceType && values.imageId);

  if (!profile) return <section className="page">{t("wizard.loading")}</section>;

  const showError = (e: unknown) => {
    const detail = e instanceof BackendError ? e.detail : null;
    setServerError(
      detail ?? {
        kind: "internal",
        code: "App.Unknown",
        message: String(e),
        requestId: null,
        field: null,
      },
    );
    const owner = stepOfField(detail?.field);
    if (detail?.field) {
      const f = formFieldOf(detail.field);
      if (f) form.setError(f, { type: "server", message: detail.message });
    }
    if (owner) setStep(owner);
  };

  const go = async (next: Step) => {
    const idx = STEPS.indexOf(step);
    if (STEPS.indexOf(next) > idx) {
      const ok = await form.trigger(STEP_FIELDS[step]);
      if (!ok) return;
    }
    setServerError(null);
    setStep(next);
  };

  if (outcome) {
    return (
      <section className="page wz-page" data-testid="wizard-page">
        <h1>{t("wizard.title")}</h1>
        <LaunchView
          key={outcome.token}
          profileId={profileId}
          outcome={outcome}
          purchase={{
            count: spec.count,
            instanceType: spec.instanceType,
            chargeType: spec.billing.type,
          }}
          onRetry={setOutcome}
          onAnother={() => {
            setOutcome(null);
            setPrefilled(null);
            setStep("place");
            form.reset({ ...defaultValues });
          }}
        />
      </section>
    );
  }

  const stepProps = { form, profileId, region: activeRegion, lang };
  const idx = STEPS.indexOf(step);
  const errorStep = stepOfField(serverError?.field);
  return (
    <section className="page wz-page" data-testid="wizard-page">
      <div className="wz-head">
        <h1>{t("wizard.title")}</h1>
        <button
          type="button"
          className="btn"
          onClick={() => setDialog("templates")}
          data-testid="wz-from-template"
        >
          {t("wizard.tpl.fromTemplate")}
        </button>
        <div className="wz-mode" role="group" aria-label={t("wizard.mode")}>
          <button
            type="button"
            className={quick ? "btn" : "btn primary"}
            onClick={() => setQuick(false)}
            data-testid="wz-mode-full"
          >
            {t("wizard.full")}
          </button>
          <button
            type="button"
            className={quick ? "btn primary" : "btn"}
            onClick={() => setQuick(true)}
            data-testid="wz-mode-quick"
          >
            {t("wizard.quick.title")}
          </button>
        </div>
      </div>
      <p className="lead">{t("wizard.intro")}</p>
      {profile.readOnly && <p className="wz-warn">{t("wizard.readOnly")}</p>}
      {prefilled && (
        <div className="wz-prefilled" data-testid="wz-prefilled">
          <p>{t(`wizard.prefill.${prefilled.source.kind}`, { label: prefilled.source.label })}</p>
          {prefilled.draft.notes.map((n) => (
            <p key={n} className="small muted" data-testid={`wz-note-${n}`}>
              {t(`wizard.prefill.note.${n}`)}
            </p>
          ))}
        </div>
      )}
      {dialog === "templates" && (
        <TemplatesDialog
          profileId={profileId}
          region={activeRegion}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === "save" && (
        <SaveTemplateDialog profileId={profileId} spec={spec} onClose={() => setDialog(null)} />
      )}
      {quick ? (
        <QuickSetup
          {...stepProps}
          onRegion={setRegion}
          onDone={() => {
            setQuick(false);
            setStep("review");
          }}
        />
      ) : (
        <div className="wz-body">
          <div className="wz-main">
            <ol className="wz-steps" aria-label={t("wizard.steps")}>
              {STEPS.map((s, i) => (
                <li key={s}>
                  <button
                    type="button"
                    className="wz-step"
                    aria-current={s === step ? "step" : undefined}
                    data-error={s === errorStep ? "true" : undefined}
                    data-testid={`wz-nav-${s}`}
                    onClick={() => void go(s)}
                  >
                    <span className="wz-step-n">{i + 1}</span>
                    {t(`wizard.step.${s}`)}
                  </button>
                </li>
              ))}
            </ol>
            <div className="card wz-card" data-testid={`wizard-step-${step}`}>
              <h2>{t(`wizard.step.${step}`)}</h2>
              {serverError && errorStep === step && (
                <ErrorBox title={t("wizard.fixThis")} error={new BackendError(serverError)} />
              )}
              {step === "place" && <PlaceStep {...stepProps} onRegion={setRegion} />}
              {step === "type" && <TypeStep {...stepProps} />}
              {step === "image" && <ImageStep {...stepProps} />}
              {step === "storage" && <StorageStep form={form} />}
              {step === "network" && <NetworkStep {...stepProps} />}
              {step === "security" && <SecurityStep {...stepProps} />}
              {step === "details" && <DetailsStep form={form} />}
              {step === "review" && (
                <ReviewStep
                  {...stepProps}
                  spec={spec}
                  serverError={serverError && !errorStep ? serverError : null}
                  onError={showError}
                  onInvalid={() => {
                    const errs = form.formState.errors;
                    const bad = STEPS.find((s) => STEP_FIELDS[s].some((f) => f in errs));
                    if (bad) setStep(bad);
                  }}
                  onSubmitted={setOutcome}
                  onSaveTemplate={() => setDialog("save")}
                />
              )}
              <div className="wz-nav">
                <button
                  type="button"
                  className="btn"
                  disabled={idx === 0}
                  onClick={() => void go(STEPS[idx - 1] ?? "place")}
                  data-testid="wz-back"
                >
                  {t("wizard.back")}
                </button>
                {step !== "review" && (
                  <button
                    type="button"
                    className="btn primary"
                    onClick={() => void go(STEPS[idx + 1] ?? "review")}
                    data-testid="wz-next"
                  >
                    {t("wizard.next")}
                  </button>
                )}
              </div>
            </div>
          </div>
          <PricePanel profileId={profileId} spec={spec} ready={priceReady} />
        </div>
      )}
    </section>
  );
}

type StepProps = { form: Form; profileId: string; region: string; lang: ApiLanguage };

function FieldError({ form, name }: { form: Form; name: string }) {
  const { t } = useTranslation();
  const parts = name.split(".");
  let e: unknown = form.formState.errors;
  for (const p of parts) e = (e as Record<string, unknown> | undefined)?.[p];
  const msg = (e as { message?: string } | undefined)?.message;
  if (!msg) return null;
  // Instant checks carry a key; the backend's message is shown as is.
  const text = t(`wizard.err.${msg}`, { defaultValue: msg });
  return (
    <div className="wz-error" role="alert" data-testid={`wz-err-${name}`}>
      {text}
    </div>
  );
}

function Loading({ q }: { q: { isLoading: boolean; isError: boolean; error: unknown } }) {
  const { t } = useTranslation();
  if (q.isLoading) return <p className="muted">{t("wizard.loading")}</p>;
  if (q.isError) return <ErrorBox title={t("wizard.loadFailed")} error={q.error} />;
  return null;
}

function PlaceStep(props: StepProps & { onRegion: (r: string) => void }) {
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
      <div className="wz-choices" role="radiogroup" aria-label={t("wizard.billing")}>
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

function TypeStep({ form, profileId, region, lang }: StepProps) {
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

function ImageStep({ form, profileId, region }: StepProps) {
  const { t } = useTranslation();
  const [itype, current] = form.watch(["instanceType", "imageId"]);
  const images = useQuery({
    queryKey: ["wizard", "images", profileId, region, itype],
    queryFn: () => wizardBackend.images(profileId, region, itype),
    enabled: !!itype,
  });
  useEffect(() => {
    const list = images.data;
    if (!list) return;
    const found = list.find((i) => i.imageId === current);
    if (!found) {
      // Default to a public Linux image: it exists for every account.
      const first =
        list.find((i) => !i.windows && i.imageType === "PUBLIC_IMAGE") ??
        list.find((i) => !i.windows) ??
        list[0];
      form.setValue("imageId", first?.imageId ?? "", { shouldValidate: true });
      form.setValue("imageWindows", first?.windows ?? false);
    } else form.setValue("imageWindows", found.windows);
  }, [images.data, current, form]);
  return (
    <div>
      <Loading q={images} />
      {images.data && images.data[0] && (
        <p className="muted small">
          {t("wizard.imagesFor", { type: itype, arch: images.data[0].architecture })}
        </p>
      )}
      <div className="wz-choices wz-images" role="radiogroup" aria-label={t("wizard.step.image")}>
        {images.data?.map((i) => (
          <label
            key={i.imageId}
            className="wz-choice"
            data-testid={`wz-image-${i.imageId}`}
            data-image-type={i.imageType}
          >
            <input type="radio" value={i.imageId} {...form.register("imageId")} />
            <span>
              <strong>{i.osName}</strong>
              <span className="muted small mono">
                {i.imageId} · {i.architecture} · {i.sizeGib} GiB
              </span>
            </span>
          </label>
        ))}
      </div>
      <FieldError form={form} name="imageId" />
    </div>
  );
}

function StorageStep({ form }: { form: Form }) {
  const { t } = useTranslation();
  const disks = useFieldArray({ control: form.control, name: "dataDisks" });
  return (
    <div className="wz-fields">
      <label htmlFor="wz-sysdisk-type">{t("wizard.systemDisk")}</label>
      <div className="wz-inline">
        <select id="wz-sysdisk-type" {...form.register("systemDiskType")}>
          {SYSTEM_DISK_TYPES.map((d) => (
            <option key={d} value={d}>
              {t(`wizard.disk.${d}`)}
            </option>
          ))}
        </select>
        <input
          type="number"
          aria-label={t("wizard.sizeGib")}
          data-testid="wz-sysdisk-size"
          {...form.register("systemDiskSize", { valueAsNumber: true })}
        />
        <span>GiB</span>
      </div>
      <span />
      <FieldError form={form} name="systemDiskSize" />
      <span className="wz-label">{t("wizard.dataDisks")}</span>
      <div>
        {disks.fields.map((f, i) => (
          <div key={f.id} className="wz-inline" data-testid="wz-datadisk">
            <select aria-label={t("wizard.diskType")} {...form.register(`dataDisks.${i}.diskType`)}>
              {DATA_DISK_TYPES.map((d) => (
                <option key={d} value={d}>
                  {t(`wizard.disk.${d}`)}
                </option>
              ))}
            </select>
            <input
              type="number"
              step={10}
              aria-label={t("wizard.sizeGib")}
              {...form.register(`dataDisks.${i}.sizeGib`, { valueAsNumber: true })}
            />
            <span>GiB</span>
            <label className="wz-check">
              <input type="checkbox" {...form.register(`dataDisks.${i}.deleteWithInstance`)} />
              {t("wizard.deleteWithInstance")}
            </label>
            <button type="button" className="btn" onClick={() => disks.remove(i)}>
              {t("wizard.remove")}
            </button>
            <FieldError form={form} name={`dataDisks.${i}.sizeGib`} />
          </div>
        ))}
        <button
          type="button"
          className="btn"
          disabled={disks.fields.length >= 20}
          onClick={() =>
            disks.append({ diskType: "CLOUD_PREMIUM", sizeGib: 100, deleteWithInstance: true })
          }
          data-testid="wz-add-disk"
        >
          {t("wizard.addDisk")}
        </button>
      </div>
    </div>
  );
}

function NetworkStep({ form, profileId, region }: StepProps) {
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

function SecurityStep({ form, profileId, region }: StepProps) {
  const { t } = useTranslation();
  const [zone, loginKind, sgs, windows] = form.watch([
    "zone",
    "loginKind",
    "securityGroupIds",
    "imageWindows",
  ]);
  const nets = useQuery({
    queryKey: ["wizard", "networks", profileId, region, zone],
    queryFn: () => wizardBackend.networks(profileId, region, zone),
    enabled: !!zone,
  });
  const keys = useQuery({
    queryKey: ["wizard", "keyPairs", profileId, region],
    queryFn: () => wizardBackend.keyPairs(profileId, region),
  });
  useEffect(() => {
    const d = nets.data;
    if (d && sgs.length === 0) {
      const def = d.securityGroups.find((g) => g.isDefault);
      if (def) form.setValue("securityGroupIds", [def.securityGroupId]);
    }
  }, [nets.data, sgs.length, form]);
  return (
    <div className="wz-fields">
      <span className="wz-label">{t("wizard.securityGroups")}</span>
      <div>
        <div className="wz-choices">
          {nets.data?.securityGroups.map((g) => (
            <label key={g.securityGroupId} className="wz-choice">
              <input
                type="checkbox"
                value={g.securityGroupId}
                {...form.register("securityGroupIds")}
              />
              <span>
                <strong>{g.name}</strong>
                <span className="muted small mono">{g.securityGroupId}</span>
              </span>
            </label>
          ))}
        </div>
        <FieldError form={form} name="securityGroupIds" />
      </div>
      <span className="wz-label">{t("wizard.login")}</span>
      <div className="wz-choices">
        <label className="wz-choice">
          <input
            type="radio"
            value="password"
            data-testid="wz-login-password"
            {...form.register("loginKind")}
          />
          {t("wizard.loginPassword")}
        </label>
        <label className="wz-choice">
          <input type="radio" value="keyPair" disabled={windows} {...form.register("loginKind")} />
          {t("wizard.loginKey")}
        </label>
        <label className="wz-choice">
          <input type="radio" value="keepImageLogin" {...form.register("loginKind")} />
          {t("wizard.loginKeep")}
        </label>
      </div>
      {loginKind === "password" && (
        <>
          <label htmlFor="wz-password">{t("wizard.password")}</label>
          <div>
            <input
              id="wz-password"
              type="password"
              autoComplete="new-password"
              data-testid="wz-password"
              {...form.register("password")}
            />
            <div className="muted small">
              {t(windows ? "wizard.passwordRulesWindows" : "wizard.passwordRules")}
            </div>
            <FieldError form={form} name="password" />
          </div>
        </>
      )}
      {loginKind === "keyPair" && (
        <>
          <span className="wz-label">{t("wizard.keyPairs")}</span>
          <div>
            {keys.data?.length === 0 && <p className="muted">{t("wizard.noKeys")}</p>}
            {keys.data?.map((k) => (
              <label key={k.keyId} className="wz-check">
                <input type="checkbox" value={k.keyId} {...form.register("keyIds")} />
                {k.name} <span className="mono small">{k.keyId}</span>
              </label>
            ))}
            <FieldError form={form} name="keyIds" />
          </div>
        </>
      )}
      <label htmlFor="wz-hostname">{t("wizard.hostName")}</label>
      <div>
        <input id="wz-hostname" placeholder={t("wizard.optional")} {...form.register("hostName")} />
        <FieldError form={form} name="hostName" />
      </div>
    </div>
  );
}

function DetailsStep({ form }: { form: Form }) {
  const { t } = useTranslation();
  const tags = useFieldArray({ control: form.control, name: "tags" });
  return (
    <div className="wz-fields">
      <label htmlFor="wz-name">{t("wizard.name")}</label>
      <div>
        <input
          id="wz-name"
          data-testid="wz-name"
          placeholder="web-{R:1}"
          {...form.register("name")}
        />
        <div className="muted small">{t("wizard.nameHint")}</div>
        <FieldError form={form} name="name" />
      </div>
      <label htmlFor="wz-count">{t("wizard.count")}</label>
      <div>
        <input
          id="wz-count"
          type="number"
          data-testid="wz-count"
          {...form.register("count", { valueAsNumber: true })}
        />
        <FieldError form={form} name="count" />
      </div>
      <span className="wz-label">{t("wizard.tags")}</span>
      <div>
        {tags.fields.map((f, i) => (
          <div key={f.id} className="wz-inline">
            <input
              aria-label={t("wizard.tagKey")}
              placeholder={t("wizard.tagKey")}
              {...form.register(`tags.${i}.key`)}
            />
            <input
              aria-label={t("wizard.tagValue")}
              placeholder={t("wizard.tagValue")}
              {...form.register(`tags.${i}.value`)}
            />
            <button type="button" className="btn" onClick={() => tags.remove(i)}>
              {t("wizard.remove")}
            </button>
            <FieldError form={form} name={`tags.${i}.key`} />
          </div>
        ))}
        <button type="button" className="btn" onClick={() => tags.append({ key: "", value: "" })}>
          {t("wizard.addTag")}
        </button>
      </div>
      <span className="wz-label">{t("wizard.protection")}</span>
      <label className="wz-check">
        <input type="checkbox" {...form.register("terminationProtection")} />
        {t("wizard.protectionHint")}
      </label>
    </div>
  );
}

function ReviewStep(
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

function QuickSetup(props: StepProps & { onRegion: (r: string) => void; onDone: () => void }) {
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
