import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { BackendError, type LaunchSpec, billingBackend } from "../../backend";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Modal } from "../../components/Modal";
import { ErrorBox } from "../../components/ErrorBox";
import { openWizardWith } from "./prefill";

/**
 * "Create from template": the region's launch templates; choosing one opens its default
 * version in the wizard (the price and DryRun then apply as usual).
 */
export function TemplatesDialog(props: { profileId: string; region: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { profileId, region } = props;
  const qc = useQueryClient();
  const list = useQuery({
    queryKey: ["wizard", "templates", profileId, region],
    queryFn: () => billingBackend.templates(profileId, region),
  });
  const [error, setError] = useState<unknown>(null);
  const use = useMutation({
    mutationFn: async (tpl: { id: string; name: string }) => {
      const d = await billingBackend.templateDraft(profileId, region, tpl.id, null);
      return { d, name: tpl.name };
    },
    onSuccess: ({ d, name }) => {
      openWizardWith(d, { kind: "template", label: name });
      props.onClose();
    },
    onError: setError,
  });
  const [deleting, setDeleting] = useState<{ id: string; name: string } | null>(null);
  // The confirmation is the template's id, as the dialog names it.
  const remove = useMutation({
    mutationFn: (id: string) => billingBackend.deleteTemplate(profileId, region, id, id),
    onSuccess: () => {
      setDeleting(null);
      return qc.invalidateQueries({ queryKey: ["wizard", "templates", profileId, region] });
    },
  });
  return (
    <Modal
      title={t("wizard.tpl.pickTitle", { region })}
      testid="wz-templates"
      className="modal-wide"
      onCancel={props.onClose}
    >
      {list.isLoading && <p className="muted">{t("wizard.loading")}</p>}
      {list.error && <ErrorBox title={t("wizard.loadFailed")} error={list.error} />}
      {list.data?.length === 0 && <p className="muted">{t("wizard.tpl.none")}</p>}
      {list.data && list.data.length > 0 && (
        <table className="wz-tpl-table">
          <thead>
            <tr>
              <th>{t("wizard.tpl.name")}</th>
              <th>{t("wizard.tpl.id")}</th>
              <th>{t("wizard.tpl.versions")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data.map((x) => (
              <tr key={x.id} data-testid={`wz-tpl-${x.id}`}>
                <td>{x.name}</td>
                <td className="mono small">{x.id}</td>
                <td>{t("wizard.tpl.versionOf", { v: x.defaultVersion, n: x.versionCount })}</td>
                <td className="wz-tpl-actions">
                  <button
                    type="button"
                    className="btn primary"
                    data-testid="wz-tpl-use"
                    disabled={use.isPending}
                    onClick={() => use.mutate({ id: x.id, name: x.name })}
                  >
                    {t("wizard.tpl.use")}
                  </button>
                  <button
                    type="button"
                    className="btn"
                    data-testid="wz-tpl-delete"
                    disabled={remove.isPending}
                    onClick={() => {
                      remove.reset();
                      setDeleting({ id: x.id, name: x.name });
                    }}
                  >
                    {t("wizard.tpl.delete")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {error != null && <ErrorBox title={t("wizard.tpl.failed")} error={error} />}
      {deleting && (
        <ConfirmDialog
          kind="delete-template"
          title={t("wizard.tpl.deleteTitle")}
          confirmLabel={t("wizard.tpl.deleteOk")}
          danger
          busy={remove.isPending}
          error={
            remove.error ? <ErrorBox title={t("wizard.tpl.failed")} error={remove.error} /> : null
          }
          onCancel={() => setDeleting(null)}
          onConfirm={() => remove.mutate(deleting.id)}
        >
          <p>{t("wizard.tpl.deleteText", { name: deleting.name, id: deleting.id, region })}</p>
        </ConfirmDialog>
      )}
      <div className="wz-nav">
        <button type="button" className="btn" onClick={props.onClose} data-testid="wz-tpl-close">
          {t("wizard.tpl.close")}
        </button>
      </div>
    </Modal>
  );
}

/** "Save as launch template": the spec as shown, without its password (templates never keep one). */
export function SaveTemplateDialog(props: {
  profileId: string;
  spec: LaunchSpec;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: () => billingBackend.saveTemplate(props.profileId, props.spec, name, description),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["wizard", "templates"] }),
  });
  const field = save.error instanceof BackendError ? save.error.detail.field : null;
  // Instant check (the backend checks again): 2–128 characters.
  const nameOk = name.trim().length >= 2 && name.trim().length <= 128;
  return (
    <Modal title={t("wizard.tpl.saveTitle")} testid="wz-save-template" onCancel={props.onClose}>
      <p className="muted small">{t("wizard.tpl.saveIntro")}</p>
      <div className="wz-fields">
        <label htmlFor="wz-tpl-name">{t("wizard.tpl.name")}</label>
        <input
          id="wz-tpl-name"
          data-testid="wz-tpl-name"
          value={name}
          maxLength={128}
          disabled={save.isSuccess}
          onChange={(e) => {
            save.reset();
            setName(e.target.value);
          }}
        />
        <label htmlFor="wz-tpl-desc">{t("wizard.tpl.description")}</label>
        <input
          id="wz-tpl-desc"
          data-testid="wz-tpl-desc"
          value={description}
          maxLength={255}
          disabled={save.isSuccess}
          onChange={(e) => setDescription(e.target.value)}
        />
      </div>
      {name !== "" && !nameOk && (
        <div className="wz-error" role="alert" data-testid="wz-err-templateName">
          {t("wizard.tpl.nameRule")}
        </div>
      )}
      {save.error && (
        <ErrorBox title={field ? t("wizard.fixThis") : t("wizard.tpl.failed")} error={save.error} />
      )}
      {save.data && (
        <p className="wz-ok" data-testid="wz-tpl-saved">
          {t("wizard.tpl.saved", { id: save.data })}
        </p>
      )}
      <div className="wz-nav">
        <button type="button" className="btn" onClick={props.onClose} data-testid="wz-tpl-close">
          {save.isSuccess ? t("wizard.tpl.close") : t("wizard.tpl.cancel")}
        </button>
        {!save.isSuccess && (
          <button
            type="button"
            className="btn primary"
            data-testid="wz-tpl-save"
            disabled={!nameOk || save.isPending}
            onClick={() => save.mutate()}
          >
            {t("wizard.tpl.save")}
          </button>
        )}
      </div>
    </Modal>
  );
}
