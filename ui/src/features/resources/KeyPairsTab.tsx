import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type CreatedKeyPair, type KeyPairView, resourcesBackend } from "../../backend";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorNote, FieldError, fieldOf } from "./common";
import { KeyBindDialog } from "./KeyBindDialog";
import type { Scope } from "./ResourcesPage";
import {
  createKeySchema,
  importKeySchema,
  type CreateKeyValues,
  type ImportKeyValues,
} from "./forms";

export function KeyPairsTab({ scope }: { scope: Scope }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  // Key pairs are account-wide: the region only routes the calls.
  const key = ["keyPairs", scope.profileId];
  const list = useQuery({
    queryKey: key,
    queryFn: () => resourcesBackend.listKeyPairs(scope.profileId, scope.region),
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: key });
  const [deleting, setDeleting] = useState<KeyPairView | null>(null);
  const [binding, setBinding] = useState<{ key: KeyPairView; mode: "bind" | "unbind" } | null>(
    null,
  );
  const del = useMutation({
    mutationFn: (p: { id: string; confirm: string }) =>
      resourcesBackend.deleteKeyPair(scope.profileId, scope.region, p.id, p.confirm),
    onSuccess: () => {
      setDeleting(null);
      refresh();
    },
  });

  return (
    <div>
      <p className="res-note small">{t("resources.kp.accountWide")}</p>
      <div className="res-forms">
        <CreateForm scope={scope} onDone={refresh} />
        <ImportForm scope={scope} onDone={refresh} />
      </div>
      {list.isPending && <p className="muted">{t("resources.loading")}</p>}
      {list.error && <ErrorNote error={list.error} />}
      {list.data && (
        <table className="res-table" data-testid="kp-table">
          <thead>
            <tr>
              <th>{t("resources.col.id")}</th>
              <th>{t("resources.col.name")}</th>
              <th>{t("resources.kp.usedBy")}</th>
              <th>{t("resources.col.created")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data.map((k) => (
              <tr key={k.id} data-testid={`kp-row-${k.name}`}>
                <td className="mono">{k.id}</td>
                <td>{k.name}</td>
                <td className="mono small">
                  {k.associatedInstanceIds.length ? k.associatedInstanceIds.join(", ") : "—"}
                </td>
                <td className="small cell-date">{k.createdTime?.slice(0, 10)}</td>
                <td className="res-row-actions">
                  <button
                    type="button"
                    className="btn small"
                    data-testid={`kp-bind-${k.name}`}
                    disabled={scope.locked}
                    onClick={() => setBinding({ key: k, mode: "bind" })}
                  >
                    {t("resources.kp.bind")}
                  </button>
                  <button
                    type="button"
                    className="btn small"
                    data-testid={`kp-unbind-${k.name}`}
                    disabled={scope.locked || k.associatedInstanceIds.length === 0}
                    onClick={() => setBinding({ key: k, mode: "unbind" })}
                  >
                    {t("resources.kp.unbind")}
                  </button>
                  <button
                    type="button"
                    className="btn small res-danger"
                    data-testid={`kp-delete-${k.name}`}
                    disabled={scope.locked}
                    onClick={() => {
                      del.reset();
                      setDeleting(k);
                    }}
                  >
                    {t("resources.kp.delete")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {binding && (
        <KeyBindDialog
          scope={scope}
          keyPair={binding.key}
          mode={binding.mode}
          onClose={() => setBinding(null)}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={t("resources.kp.deleteTitle", { name: deleting.name })}
          confirmLabel={t("resources.kp.delete")}
          danger
          phrase={deleting.name}
          busy={del.isPending}
          error={del.error != null && <ErrorNote error={del.error} />}
          onCancel={() => setDeleting(null)}
          onConfirm={(typed) => del.mutate({ id: deleting.id, confirm: typed ?? "" })}
        >
          <p>{t("resources.kp.deleteBody", { name: deleting.name, id: deleting.id })}</p>
          {deleting.associatedInstanceIds.length > 0 && (
            <p className="res-field-error">
              {t("resources.kp.inUse", { ids: deleting.associatedInstanceIds.join(", ") })}
            </p>
          )}
        </ConfirmDialog>
      )}
    </div>
  );
}

/** The instant message a form field carries (a catalog key), under the field. */
function Hint(props: { message: string | undefined; testid: string }) {
  const { t } = useTranslation();
  if (!props.message) return null;
  return (
    <p className="res-field-error" data-testid={props.testid}>
      {t(props.message)}
    </p>
  );
}

function CreateForm({ scope, onDone }: { scope: Scope; onDone: () => void }) {
  const { t } = useTranslation();
  const form = useForm<CreateKeyValues>({
    resolver: zodResolver(createKeySchema),
    defaultValues: { name: "" },
    mode: "onChange",
  });
  const [created, setCreated] = useState<CreatedKeyPair | "cancelled" | null>(null);
  const create = useMutation({
    mutationFn: ({ name }: CreateKeyValues) =>
      resourcesBackend.createKeyPair(
        scope.profileId,
        scope.region,
        name,
        t("resources.kp.saveTitle", { name }),
      ),
    onSuccess: (r) => {
      setCreated(r ?? "cancelled");
      if (r) {
        form.reset();
        onDone();
      }
    },
  });
  return (
    <form
      className="res-card"
      onSubmit={(e) => {
        // Sent as typed: the hint is quick feedback, the backend's refusal names the field.
        e.preventDefault();
        setCreated(null);
        create.mutate(form.getValues());
      }}
    >
      <h3>{t("resources.kp.create")}</h3>
      <label className="res-label">
        {t("resources.kp.nameLabel")}
        <input
          className="res-input"
          data-testid="kp-create-name"
          {...form.register("name", { onChange: () => create.reset() })}
        />
      </label>
      <Hint message={form.formState.errors.name?.message} testid="kp-name-hint" />
      <FieldError error={create.error} field="keyName" />
      <p className="small muted">{t("resources.kp.createNote")}</p>
      <button
        type="submit"
        className="btn primary"
        data-testid="kp-create"
        disabled={scope.locked || create.isPending}
      >
        {t("resources.kp.createButton")}
      </button>
      {create.error && fieldOf(create.error) !== "keyName" && <ErrorNote error={create.error} />}
      {created === "cancelled" && (
        <p className="muted small" data-testid="kp-create-cancelled">
          {t("resources.kp.cancelled")}
        </p>
      )}
      {created && created !== "cancelled" && (
        <p className="res-success" data-testid="kp-created">
          {t("resources.kp.saved", { name: created.keyPair.name, path: created.savedTo })}
        </p>
      )}
    </form>
  );
}

function ImportForm({ scope, onDone }: { scope: Scope; onDone: () => void }) {
  const { t } = useTranslation();
  const form = useForm<ImportKeyValues>({
    resolver: zodResolver(importKeySchema),
    defaultValues: { name: "", key: "" },
    mode: "onChange",
  });
  const errors = form.formState.errors;
  const imp = useMutation({
    mutationFn: ({ name, key }: ImportKeyValues) =>
      resourcesBackend.importKeyPair(scope.profileId, scope.region, name, key),
    onSuccess: () => {
      form.reset();
      onDone();
    },
  });
  return (
    <form
      className="res-card"
      onSubmit={(e) => {
        // Sent as typed: the hints are quick feedback, the backend's refusal names the field.
        e.preventDefault();
        imp.mutate(form.getValues());
      }}
    >
      <h3>{t("resources.kp.import")}</h3>
      <label className="res-label">
        {t("resources.kp.nameLabel")}
        <input className="res-input" data-testid="kp-import-name" {...form.register("name")} />
      </label>
      <Hint message={errors.name?.message} testid="kp-name-hint" />
      <FieldError error={imp.error} field="keyName" />
      <label className="res-label">
        {t("resources.kp.publicKey")}
        <textarea
          className="res-input mono"
          rows={3}
          data-testid="kp-import-key"
          placeholder="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5… me@laptop"
          {...form.register("key", { onChange: () => imp.reset() })}
        />
      </label>
      <Hint message={errors.key?.message} testid="kp-key-hint" />
      <FieldError error={imp.error} field="publicKey" />
      <button
        type="submit"
        className="btn primary"
        data-testid="kp-import"
        disabled={scope.locked || imp.isPending}
      >
        {t("resources.kp.importButton")}
      </button>
      {imp.error && !["keyName", "publicKey"].includes(fieldOf(imp.error) ?? "") && (
        <ErrorNote error={imp.error} />
      )}
    </form>
  );
}
