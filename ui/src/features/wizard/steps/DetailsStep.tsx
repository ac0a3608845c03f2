// Wizard step "Details": name, count, tags and termination protection.
import { useTranslation } from "react-i18next";
import { useFieldArray } from "react-hook-form";
import { type Form, FieldError } from "./shared";

export function DetailsStep({ form }: { form: Form }) {
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
