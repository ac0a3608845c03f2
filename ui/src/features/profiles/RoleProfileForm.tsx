import { useState } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { z } from "zod";
import { useTranslation } from "react-i18next";
import { FormRow } from "../../components/FormRow";
import { FieldError } from "./FieldError";
import { BackendError, type ProfileView, type VerifyReport, profilesBackend } from "../../backend";
import { ErrorBox } from "../../components/ErrorBox";
import { profileName } from "./profileName";

// Instant feedback only, mirroring STS AssumeRole's rules: the backend checks again, and
// only it knows whether the role exists and trusts the base profile's account.
const schema = z.object({
  name: z.string().trim().min(1, "name").max(64, "name"),
  baseProfileId: z.string().min(1, "baseProfileId"),
  roleArn: z
    .string()
    .trim()
    .regex(/^qcs::cam::uin\/\d+:(roleName\/[\w+=,.@-]+|role\/\d+)$/, "roleArn"),
  sessionName: z.string().regex(/^[\w+=,.@-]{2,128}$/, "sessionName"),
  durationSeconds: z.coerce
    .number()
    .int()
    .min(900, "durationSeconds")
    .max(43200, "durationSeconds"),
  readOnly: z.boolean(),
});

type FormValues = z.input<typeof schema>;
type FieldName = keyof FormValues;

const FIELDS: FieldName[] = ["name", "baseProfileId", "roleArn", "sessionName", "durationSeconds"];

/**
 * "Role R assumed through profile P": a profile whose calls act as the role. With
 * `editing`, that role profile's settings, changed only once the new role answers.
 */
export function RoleProfileForm(props: {
  profiles: ProfileView[];
  editing?: ProfileView;
  onDone: (report: VerifyReport) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  // Only a profile with keys can assume a role (a role cannot assume another).
  const bases = props.profiles.filter((p) => !p.role);
  const role = props.editing?.role;
  const title = props.editing ? t("profiles.editRole") : t("profiles.addRole");
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<FormValues>({
    resolver: zodResolver(schema),
    defaultValues: {
      name: props.editing?.name ?? "",
      baseProfileId: role?.baseProfileId ?? bases[0]?.id ?? "",
      roleArn: role?.roleArn ?? "",
      sessionName: role?.sessionName ?? "cvm-console",
      durationSeconds: role?.durationSeconds ?? 3600,
      readOnly: props.editing?.readOnly ?? false,
    },
  });
  const [submitError, setSubmitError] = useState<unknown>(null);

  const onSubmit = handleSubmit(async (v) => {
    setSubmitError(null);
    try {
      const input = {
        name: v.name.trim(),
        baseProfileId: v.baseProfileId,
        roleArn: v.roleArn.trim(),
        sessionName: v.sessionName,
        durationSeconds: Number(v.durationSeconds),
        readOnly: v.readOnly,
      };
      const report = props.editing
        ? await profilesBackend.updateRoleProfile(props.editing.id, input)
        : await profilesBackend.createRoleProfile(input);
      props.onDone(report);
    } catch (e) {
      // The backend names the field at fault (a malformed ARN, a role the base profile
      // may not assume, one that does not exist): its message shows under that field.
      const field = e instanceof BackendError ? e.detail.field : null;
      const target = FIELDS.find((f) => f === field);
      if (target && e instanceof BackendError) {
        setError(target, { type: "server", message: e.detail.message });
      }
      setSubmitError(e);
    }
  });

  const err = (name: FieldName) => (
    <FieldError name={name} error={errors[name]} rules="profiles.roleRules" />
  );

  return (
    <form className="card profile-form" onSubmit={onSubmit} data-testid="role-form" noValidate>
      <h2>{title}</h2>
      <p className="muted">{t("profiles.roleIntro")}</p>
      <div className="form-grid wide">
        <FormRow id="rf-name" label={t("profiles.field.name")} error={err("name")}>
          <input id="rf-name" data-testid="rf-name" {...register("name")} />
        </FormRow>
        <FormRow id="rf-base" label={t("profiles.field.through")} error={err("baseProfileId")}>
          <select id="rf-base" data-testid="rf-base" {...register("baseProfileId")}>
            {bases.map((b) => (
              <option key={b.id} value={b.id}>
                {profileName(b, t("profiles.sandboxName"))}
              </option>
            ))}
          </select>
        </FormRow>
        <FormRow id="rf-arn" label={t("profiles.field.roleArn")} error={err("roleArn")}>
          <input
            id="rf-arn"
            data-testid="rf-arn"
            className="mono"
            spellCheck={false}
            autoComplete="off"
            placeholder="qcs::cam::uin/100000000001:roleName/ops"
            {...register("roleArn")}
          />
        </FormRow>
        <FormRow id="rf-session" label={t("profiles.field.sessionName")} error={err("sessionName")}>
          <input
            id="rf-session"
            data-testid="rf-session"
            spellCheck={false}
            autoComplete="off"
            {...register("sessionName")}
          />
        </FormRow>
        <FormRow
          id="rf-duration"
          label={t("profiles.field.durationSeconds")}
          error={err("durationSeconds")}
        >
          <input
            id="rf-duration"
            data-testid="rf-duration"
            type="number"
            min={900}
            max={43200}
            step={60}
            {...register("durationSeconds")}
          />
        </FormRow>
        <span />
        <label className="checkbox">
          <input type="checkbox" data-testid="rf-readonly" {...register("readOnly")} />
          {t("profiles.field.readOnly")}
        </label>
      </div>
      {submitError !== null && <ErrorBox title={title} error={submitError} />}
      <div className="actions">
        <button type="button" className="btn" data-testid="rf-cancel" onClick={props.onCancel}>
          {t("profiles.cancel")}
        </button>
        <button type="submit" className="btn primary" data-testid="rf-save" disabled={isSubmitting}>
          {isSubmitting ? t("profiles.saving") : t("profiles.saveRole")}
        </button>
      </div>
    </form>
  );
}
