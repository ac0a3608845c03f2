// What every wizard step shares: the form, the step's props, a field's instant message
// and a choice list's loading state.
import { useTranslation } from "react-i18next";
import type { UseFormReturn } from "react-hook-form";
import type { Language } from "../../../backend";
import { ErrorBox } from "../../../components/ErrorBox";
import type { FormValues } from "../form";

export type Form = UseFormReturn<FormValues>;

export type StepProps = { form: Form; profileId: string; region: string; lang: Language };

export function FieldError({ form, name }: { form: Form; name: string }) {
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

export function Loading({ q }: { q: { isLoading: boolean; isError: boolean; error: unknown } }) {
  const { t } = useTranslation();
  if (q.isLoading) return <p className="muted">{t("wizard.loading")}</p>;
  if (q.isError) return <ErrorBox title={t("wizard.loadFailed")} error={q.error} />;
  return null;
}
