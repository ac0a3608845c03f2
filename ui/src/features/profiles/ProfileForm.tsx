import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { z } from "zod";
import { useTranslation } from "react-i18next";
import { FormRow } from "../../components/FormRow";
import { FieldError } from "./FieldError";
import {
  BackendError,
  type ProfileInput,
  type ProfileView,
  type VerifyReport,
  profilesBackend,
} from "../../backend";
import { ErrorBox } from "../../components/ErrorBox";

// Instant feedback only: the backend validates again and is the authority.
const schema = (editing: boolean) =>
  z
    .object({
      name: z.string().trim().min(1, "name").max(64, "name"),
      siteType: z.enum(["china", "intl", "custom"]),
      endpoint: z.string(),
      defaultRegion: z.string().regex(/^[a-z]{2,3}(-[a-z0-9]+){1,3}$/, "region"),
      language: z.enum(["zh-CN", "en-US"]),
      budgetType: z.enum(["current", "seed", "custom"]),
      perAction: z.coerce.number().int().min(1).max(6000),
      total: z.coerce.number().int().min(1).max(60000),
      readOnly: z.boolean(),
      secretId: z.string(),
      secretKey: z.string(),
      token: z.string(),
    })
    .superRefine((v, ctx) => {
      const keep = editing && v.secretId === "" && v.secretKey === "";
      if (!keep && !/^AKID[A-Za-z0-9]{16,60}$/.test(v.secretId)) {
        ctx.addIssue({ code: "custom", path: ["secretId"], message: "secretId" });
      }
      if (!keep && !/^[\x21-\x7e]{16,128}$/.test(v.secretKey)) {
        ctx.addIssue({ code: "custom", path: ["secretKey"], message: "secretKey" });
      }
      if (
        v.siteType === "custom" &&
        !/^(https:\/\/[^\s/]+|http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?)\/?$/.test(
          v.endpoint,
        )
      ) {
        ctx.addIssue({ code: "custom", path: ["endpoint"], message: "endpoint" });
      }
    });

type FormValues = z.input<ReturnType<typeof schema>>;
type FieldName = keyof FormValues;

// Backend field names → form fields.
const FIELD_MAP: Record<string, FieldName> = {
  name: "name",
  site: "endpoint",
  defaultRegion: "defaultRegion",
  budget: "perAction",
  secretId: "secretId",
  secretKey: "secretKey",
  token: "token",
};

function toInput(v: FormValues): ProfileInput {
  const keep = v.secretId === "" && v.secretKey === "";
  return {
    name: v.name.trim(),
    site:
      v.siteType === "custom"
        ? { type: "custom", url: v.endpoint.endsWith("/") ? v.endpoint : `${v.endpoint}/` }
        : { type: v.siteType },
    defaultRegion: v.defaultRegion,
    language: v.language,
    budget:
      v.budgetType === "custom"
        ? {
            type: "custom",
            perActionPerMinute: Number(v.perAction),
            totalPerMinute: Number(v.total),
          }
        : { type: v.budgetType },
    readOnly: v.readOnly,
    secretId: keep ? null : v.secretId,
    secretKey: keep ? null : v.secretKey,
    token: keep || v.token === "" ? null : v.token,
  };
}

export function ProfileForm(props: {
  editing?: ProfileView;
  onDone: (report: VerifyReport | null) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const p = props.editing;
  const {
    register,
    handleSubmit,
    control,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<FormValues>({
    resolver: zodResolver(schema(Boolean(p))),
    defaultValues: {
      name: p?.name ?? "",
      siteType: p?.site.type ?? "china",
      endpoint: p?.site.type === "custom" ? p.site.url : "",
      defaultRegion: p?.defaultRegion ?? "ap-guangzhou",
      language: p?.language ?? "zh-CN",
      budgetType: p?.budget.type ?? "current",
      perAction: p?.budget.type === "custom" ? p.budget.perActionPerMinute : 100,
      total: p?.budget.type === "custom" ? p.budget.totalPerMinute : 1000,
      readOnly: p?.readOnly ?? false,
      secretId: "",
      secretKey: "",
      token: "",
    },
  });
  const siteType = useWatch({ control, name: "siteType" });
  const budgetType = useWatch({ control, name: "budgetType" });
  const [submitError, setSubmitError] = useState<unknown>(null);

  const onSubmit = handleSubmit(async (values) => {
    setSubmitError(null);
    try {
      const input = toInput(values);
      const report = p
        ? await profilesBackend.updateProfile(p.id, input)
        : await profilesBackend.createProfile(input);
      props.onDone(report);
    } catch (e) {
      const field = e instanceof BackendError ? e.detail.field : null;
      const target = field ? FIELD_MAP[field] : undefined;
      if (target && e instanceof BackendError) {
        setError(target, { type: "server", message: e.detail.message });
      }
      setSubmitError(e);
    }
  });

  const err = (name: FieldName) => (
    <FieldError name={name} error={errors[name]} rules="profiles.rules" />
  );

  return (
    <form className="card profile-form" onSubmit={onSubmit} data-testid="profile-form" noValidate>
      <h2>{p ? t("profiles.edit") : t("profiles.add")}</h2>
      <div className="form-grid wide">
        <FormRow id="pf-name" label={t("profiles.field.name")} error={err("name")}>
          <input id="pf-name" data-testid="pf-name" {...register("name")} />
        </FormRow>
        <label htmlFor="pf-site">{t("profiles.site.label")}</label>
        <select id="pf-site" data-testid="pf-site" {...register("siteType")}>
          <option value="china">{t("profiles.site.china")}</option>
          <option value="intl">{t("profiles.site.intl")}</option>
          <option value="custom">{t("profiles.site.custom")}</option>
        </select>
        {siteType === "custom" && (
          <>
            <FormRow id="pf-endpoint" label={t("profiles.field.endpoint")} error={err("endpoint")}>
              <input
                id="pf-endpoint"
                data-testid="pf-endpoint"
                placeholder="https://"
                {...register("endpoint")}
              />
            </FormRow>
          </>
        )}
        <FormRow
          id="pf-region"
          label={t("profiles.field.defaultRegion")}
          error={err("defaultRegion")}
        >
          <input id="pf-region" data-testid="pf-region" {...register("defaultRegion")} />
        </FormRow>
        <label htmlFor="pf-language">{t("profiles.field.language")}</label>
        <select id="pf-language" {...register("language")}>
          <option value="zh-CN">简体中文 (zh-CN)</option>
          <option value="en-US">English (en-US)</option>
        </select>
        <label htmlFor="pf-budget">{t("profiles.field.budget")}</label>
        <select id="pf-budget" data-testid="pf-budget" {...register("budgetType")}>
          <option value="current">{t("profiles.budget.current")}</option>
          <option value="seed">{t("profiles.budget.seed")}</option>
          <option value="custom">{t("profiles.budget.custom")}</option>
        </select>
        {budgetType === "custom" && (
          <>
            <FormRow
              id="pf-per-action"
              label={t("profiles.field.perAction")}
              error={err("perAction")}
            >
              <input id="pf-per-action" type="number" {...register("perAction")} />
            </FormRow>
            <label htmlFor="pf-total">{t("profiles.field.total")}</label>
            <input id="pf-total" type="number" {...register("total")} />
          </>
        )}
        <span />
        <label className="checkbox">
          <input type="checkbox" data-testid="pf-readonly" {...register("readOnly")} />
          {t("profiles.field.readOnly")}
        </label>
        <FormRow id="pf-secret-id" label={t("profiles.field.secretId")} error={err("secretId")}>
          <input
            id="pf-secret-id"
            data-testid="pf-secret-id"
            autoComplete="off"
            spellCheck={false}
            placeholder={p ? t("profiles.field.keepSecret") : "AKID…"}
            {...register("secretId")}
          />
        </FormRow>
        <FormRow id="pf-secret-key" label={t("profiles.field.secretKey")} error={err("secretKey")}>
          <input
            id="pf-secret-key"
            data-testid="pf-secret-key"
            type="password"
            autoComplete="off"
            placeholder={p ? t("profiles.field.keepSecret") : ""}
            {...register("secretKey")}
          />
        </FormRow>
        <FormRow id="pf-token" label={t("profiles.field.token")} error={err("token")}>
          <input id="pf-token" type="password" autoComplete="off" {...register("token")} />
        </FormRow>
      </div>
      {submitError !== null && <ErrorBox title={t("profiles.save")} error={submitError} />}
      <div className="actions">
        <button type="button" className="btn" onClick={props.onCancel}>
          {t("profiles.cancel")}
        </button>
        <button type="submit" className="btn primary" data-testid="pf-save" disabled={isSubmitting}>
          {isSubmitting ? t("profiles.saving") : t("profiles.save")}
        </button>
      </div>
    </form>
  );
}
