// Wizard step: the system disk and any data disks.
import { useTranslation } from "react-i18next";
import { useFieldArray } from "react-hook-form";
import { DATA_DISK_TYPES, SYSTEM_DISK_TYPES } from "../form";
import { type Form, FieldError } from "./shared";

export function StorageStep({ form }: { form: Form }) {
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
