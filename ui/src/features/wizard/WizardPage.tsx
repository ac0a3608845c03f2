import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useForm, useWatch } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { BackendError, apiLanguage, type AppError, type LaunchOutcome } from "../../backend";
import { useActiveProfile } from "../profiles/useProfiles";
import { ErrorBox } from "../../components/ErrorBox";
import {
  STEPS,
  STEP_FIELDS,
  defaultValues,
  draftToValues,
  formFieldOf,
  formSchema,
  stepOfField,
  toSpec,
  type FormValues,
  type Step,
} from "./form";
import { PricePanel } from "./PricePanel";
import { LaunchView } from "./LaunchView";
import { onOpenWizard, takePendingDraft, type PendingDraft } from "./prefill";
import { SaveTemplateDialog, TemplatesDialog } from "./Templates";
import { PlaceStep } from "./steps/PlaceStep";
import { TypeStep } from "./steps/TypeStep";
import { ImageStep } from "./steps/ImageStep";
import { StorageStep } from "./steps/StorageStep";
import { NetworkStep } from "./steps/NetworkStep";
import { SecurityStep } from "./steps/SecurityStep";
import { DetailsStep } from "./steps/DetailsStep";
import { ReviewStep } from "./steps/ReviewStep";
import { QuickSetup } from "./steps/QuickSetup";
import "./wizard.css";

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
        <button
          type="button"
          className="btn"
          onClick={() => setDialog("templates")}
          data-testid="wz-from-template"
        >
          {t("wizard.tpl.fromTemplate")}
        </button>
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
