import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useForm, useWatch } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type ImageView, resourcesBackend } from "../../backend";
import { Modal } from "../../components/Modal";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorNote, FieldError, fieldOf } from "./common";
import type { Scope } from "./ResourcesPage";
import { useRegionInstances } from "./useRegionInstances";
import {
  IMAGE_TYPES,
  createImageSchema,
  imageSearchSchema,
  type CreateImageValues,
  type ImageSearchValues,
} from "./forms";

export function ImagesTab({ scope }: { scope: Scope }) {
  const { t } = useTranslation();
  const search = useForm<ImageSearchValues>({
    resolver: zodResolver(imageSearchSchema),
    defaultValues: { imageType: "PUBLIC_IMAGE", name: "", platform: "" },
  });
  const imageType = useWatch({ control: search.control, name: "imageType" });
  const [applied, setApplied] = useState({ name: "", platform: "" });
  const qc = useQueryClient();
  const images = useQuery({
    queryKey: ["images", scope.profileId, scope.region, imageType, applied.name, applied.platform],
    queryFn: () =>
      resourcesBackend.listImages(scope.profileId, scope.region, {
        imageType,
        name: applied.name || null,
        platform: applied.platform || null,
      }),
    // A new image is CREATING for a few minutes: follow it until it is NORMAL.
    refetchInterval: (q) => (q.state.data?.some((i) => i.state === "CREATING") ? 3000 : false),
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: ["images", scope.profileId] });
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<ImageView | null>(null);
  const del = useMutation({
    mutationFn: (p: { id: string; confirm: string }) =>
      resourcesBackend.deleteImage(scope.profileId, scope.region, p.id, p.confirm),
    onSuccess: () => {
      setDeleting(null);
      refresh();
    },
  });
  return (
    <div>
      <div className="res-inline">
        <button
          type="button"
          className="btn primary"
          data-testid="img-create-open"
          disabled={scope.locked}
          onClick={() => setCreating(true)}
        >
          {t("resources.img.create")}
        </button>
      </div>
      {creating && (
        <CreateImageDialog
          scope={scope}
          onClose={() => setCreating(false)}
          onCreated={() => {
            search.setValue("imageType", "PRIVATE_IMAGE");
            refresh();
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={t("resources.img.deleteTitle", { name: deleting.name })}
          confirmLabel={t("resources.img.delete")}
          danger
          phrase={deleting.name}
          busy={del.isPending}
          error={del.error != null && <ErrorNote error={del.error} />}
          onCancel={() => setDeleting(null)}
          onConfirm={(typed) => del.mutate({ id: deleting.id, confirm: typed ?? "" })}
        >
          <p>{t("resources.img.deleteBody", { name: deleting.name, id: deleting.id })}</p>
        </ConfirmDialog>
      )}
      <form
        className="res-toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          const { name, platform } = search.getValues();
          setApplied({ name: name.trim(), platform: platform.trim() });
        }}
      >
        <select className="res-input" data-testid="img-type" {...search.register("imageType")}>
          {IMAGE_TYPES.map((ty) => (
            <option key={ty} value={ty}>
              {t(`resources.img.type.${ty}`)}
            </option>
          ))}
        </select>
        <input
          className="res-input"
          data-testid="img-name"
          placeholder={t("resources.img.name")}
          {...search.register("name")}
        />
        <input
          className="res-input"
          data-testid="img-platform"
          placeholder={t("resources.img.platform")}
          {...search.register("platform")}
        />
        <button type="submit" className="btn" data-testid="img-search">
          {t("resources.img.search")}
        </button>
      </form>
      {images.isPending && <p className="muted">{t("resources.loading")}</p>}
      {images.error && <ErrorNote error={images.error} />}
      {images.data && images.data.length === 0 && (
        <p className="muted" data-testid="img-empty">
          {t(`resources.img.empty.${imageType}`)}
        </p>
      )}
      {images.data && images.data.length > 0 && (
        <>
          <p className="muted small" data-testid="img-count">
            {t("resources.img.count", { count: images.data.length })}
          </p>
          <table className="res-table" data-testid="img-table">
            <thead>
              <tr>
                <th>{t("resources.col.id")}</th>
                <th>{t("resources.col.name")}</th>
                <th>{t("resources.img.platformCol")}</th>
                <th>{t("resources.img.arch")}</th>
                <th>{t("resources.img.size")}</th>
                <th>{t("resources.col.status")}</th>
                {imageType === "PRIVATE_IMAGE" && <th />}
              </tr>
            </thead>
            <tbody>
              {images.data.map((i) => (
                <tr key={i.id} data-testid={`img-row-${i.id}`}>
                  <td className="mono">{i.id}</td>
                  <td>
                    {i.name}
                    <div className="muted small">{i.osName}</div>
                  </td>
                  <td>{i.platform}</td>
                  <td>{i.architecture}</td>
                  <td>{i.sizeGib} GiB</td>
                  <td data-testid={`img-state-${i.id}`}>
                    {t(`resources.img.state.${i.state}`, i.state)}
                  </td>
                  {imageType === "PRIVATE_IMAGE" && (
                    <td className="res-row-actions">
                      <button
                        type="button"
                        className="btn small res-danger"
                        data-testid={`img-delete-${i.name}`}
                        disabled={scope.locked || i.state !== "NORMAL"}
                        title={i.state !== "NORMAL" ? t("resources.img.notYet") : undefined}
                        onClick={() => {
                          del.reset();
                          setDeleting(i);
                        }}
                      >
                        {t("resources.img.delete")}
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}

function CreateImageDialog(props: { scope: Scope; onClose: () => void; onCreated: () => void }) {
  const { t } = useTranslation();
  const { scope } = props;
  const instances = useRegionInstances(scope);
  const usable = (instances.data ?? []).filter((i) => ["RUNNING", "STOPPED"].includes(i.state));
  const form = useForm<CreateImageValues>({
    resolver: zodResolver(createImageSchema),
    defaultValues: { instanceId: "", name: "", description: "", poweroff: true },
    mode: "onChange",
  });
  const { instanceId, name, poweroff } = useWatch({ control: form.control });
  const problem = form.formState.errors.name?.message;
  const [created, setCreated] = useState<string | null>(null);
  const picked = usable.find((i) => i.id === instanceId);
  const create = useMutation({
    mutationFn: (v: CreateImageValues) =>
      resourcesBackend.createImage(scope.profileId, scope.region, {
        instanceId: v.instanceId,
        imageName: v.name,
        description: v.description,
        forcePoweroff: v.poweroff,
      }),
    onSuccess: (id) => {
      setCreated(id);
      props.onCreated();
    },
  });
  return (
    <Modal
      title={t("resources.img.createTitle")}
      testid="img-create-dialog"
      onCancel={props.onClose}
    >
      <label className="res-label">
        {t("resources.img.fromInstance")}
        <select
          className="res-input"
          data-testid="img-create-instance"
          disabled={created != null}
          {...form.register("instanceId", { onChange: () => create.reset() })}
        >
          <option value="">{t("resources.pickInstance")}</option>
          {usable.map((i) => (
            <option key={i.id} value={i.id}>
              {i.id} {i.name} ({t(`resources.instState.${i.state}`, i.state)})
            </option>
          ))}
        </select>
      </label>
      <FieldError error={create.error} field="instanceIds" />
      <label className="res-label">
        {t("resources.img.nameLabel")}
        <input
          className="res-input"
          data-testid="img-create-name"
          disabled={created != null}
          {...form.register("name", { onChange: () => create.reset() })}
        />
      </label>
      {problem && (
        <p className="res-field-error" role="alert" data-testid="img-name-hint">
          {t(problem)}
        </p>
      )}
      <FieldError error={create.error} field="imageName" />
      <label className="res-label">
        {t("resources.img.description")}
        <input
          className="res-input"
          data-testid="img-create-description"
          disabled={created != null}
          {...form.register("description")}
        />
      </label>
      <FieldError error={create.error} field="imageDescription" />
      <label className="res-check">
        <input
          type="checkbox"
          data-testid="img-create-poweroff"
          disabled={created != null}
          {...form.register("poweroff")}
        />{" "}
        {t("resources.img.poweroff")}
      </label>
      <p className="small res-warn">
        {picked?.state === "STOPPED"
          ? t("resources.img.stoppedNote")
          : t(poweroff ? "resources.img.poweroffNote" : "resources.img.liveNote")}
      </p>
      <p className="small muted">{t("resources.img.billingNote")}</p>
      {create.error &&
        !["instanceIds", "imageName", "imageDescription"].includes(fieldOf(create.error) ?? "") && (
          <ErrorNote error={create.error} />
        )}
      {created && (
        <p className="res-success" data-testid="img-created">
          {t("resources.img.created", { id: created, name })}
        </p>
      )}
      <div className="res-actions">
        <button
          type="button"
          className="btn"
          data-testid="img-create-close"
          onClick={props.onClose}
        >
          {t(created ? "resources.close" : "resources.cancel")}
        </button>
        {!created && (
          <button
            type="button"
            className="btn primary"
            data-testid="img-create-go"
            disabled={scope.locked || !instanceId || !name || problem != null || create.isPending}
            onClick={() => create.mutate(form.getValues())}
          >
            {t("resources.img.createButton")}
          </button>
        )}
      </div>
    </Modal>
  );
}
