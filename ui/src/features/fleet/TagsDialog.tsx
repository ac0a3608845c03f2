import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type InstanceView,
  type TagFailure,
  type TagReport,
  errorDetail,
  instancesBackend,
} from "../../backend";
import { Modal } from "../../components/Modal";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Problem } from "../../components/Problem";
import { byPlace } from "../instances/states";
import { type FieldError, tagKeyProblem, tagValueProblem } from "./views";

type Outcome = { changed: number; failed: TagFailure[] };

/**
 * Sets a tag (key and value) on the selected instances, or removes a key from them after
 * a confirmation naming every instance. One call per (account, region) through that
 * profile's own client. A bad key or value is named at its field and nothing is sent.
 */
export function TagsDialog(props: {
  instances: InstanceView[];
  onClose: () => void;
  /** Called once something changed (the list reloads). */
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  // The instances as the dialog opened: a change reloads the list behind it, and what the
  // dialog names must not change meanwhile.
  const [instances] = useState(props.instances);
  const [key, setKey] = useState("");
  const [value, setValue] = useState("");
  const [error, setError] = useState<FieldError | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const keyInput = useRef<HTMLInputElement>(null);
  const groups = byPlace(instances);

  /** Runs `call` once per (account, region); a refused field stops before the next. */
  const each = async (
    call: (profileId: string, region: string, ids: string[]) => Promise<TagReport>,
  ) => {
    setBusy(true);
    setFailure(null);
    const total: Outcome = { changed: 0, failed: [] };
    try {
      for (const g of groups) {
        const r = await call(
          g.profileId,
          g.region,
          g.rows.map((i) => i.id),
        );
        total.changed += r.changed.length;
        total.failed.push(...r.failed);
      }
    } catch (e) {
      const d = errorDetail(e);
      if (d?.field) setError(fieldOf(d.field, d.message));
      else setFailure(e);
    } finally {
      setBusy(false);
    }
    if (total.changed > 0 || total.failed.length > 0) {
      setOutcome(total);
      if (total.changed > 0) props.onChanged();
    }
  };

  const set = () => {
    const bad = tagKeyProblem(key) ?? tagValueProblem(value);
    if (bad) return setError(bad);
    void each((p, r, ids) => instancesBackend.setInstanceTags(p, r, ids, [{ key, value }]));
  };
  const askRemove = () => {
    const bad = tagKeyProblem(key);
    if (bad) return setError(bad);
    setConfirmRemove(true);
  };
  const remove = () => {
    setConfirmRemove(false);
    const consent = {
      instanceIds: instances.map((i) => i.id),
      typed: null,
      stopType: null,
      stoppedMode: null,
    };
    void each((p, r, ids) => instancesBackend.removeInstanceTags(p, r, ids, [key], consent));
  };

  const message = (f: FieldError) =>
    f.message.startsWith("fleet.") ? t(f.message, f.values) : f.message;

  return (
    <Modal
      title={t("fleet.tags.title", { count: instances.length })}
      testid="tags-dialog"
      onCancel={props.onClose}
      initialFocus={() => keyInput.current}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          set();
        }}
      >
        <p className="small muted" data-testid="tags-places">
          {t("fleet.tags.places", { count: instances.length, places: groups.length })}
        </p>
        <label className="field">
          <span>{t("fleet.tags.key")}</span>
          <input
            ref={keyInput}
            className="input"
            data-testid="tag-key"
            aria-invalid={error?.field === "tagKey"}
            value={key}
            onChange={(e) => {
              setKey(e.target.value);
              setError(null);
            }}
          />
        </label>
        {error?.field === "tagKey" && (
          <p className="field-error small" data-testid="tag-key-error" role="alert">
            {message(error)}
          </p>
        )}
        <label className="field">
          <span>{t("fleet.tags.value")}</span>
          <input
            className="input"
            data-testid="tag-value"
            aria-invalid={error?.field === "tagValue"}
            value={value}
            onChange={(e) => {
              setValue(e.target.value);
              setError(null);
            }}
          />
        </label>
        {error?.field === "tagValue" && (
          <p className="field-error small" data-testid="tag-value-error" role="alert">
            {message(error)}
          </p>
        )}
        {failure !== null && (
          <Problem title={t("fleet.tags.failed")} error={failure} testid="tags-error" />
        )}
        {outcome && (
          <div className="small" data-testid="tags-result" role="status">
            {t("fleet.tags.done", { count: outcome.changed })}
            {outcome.failed.map((f) => (
              <p key={f.instanceId} className="bad" data-testid={`tags-failed-${f.instanceId}`}>
                {f.instanceId}: {f.code} {f.message}
              </p>
            ))}
          </div>
        )}
        <div className="dialog-buttons">
          <button type="button" className="btn" data-testid="tags-close" onClick={props.onClose}>
            {t("fleet.tags.close")}
          </button>
          <button
            type="button"
            className="btn danger"
            data-testid="tags-remove"
            disabled={busy}
            onClick={askRemove}
          >
            {t("fleet.tags.remove")}
          </button>
          <button type="submit" className="btn primary" data-testid="tags-set" disabled={busy}>
            {t("fleet.tags.set")}
          </button>
        </div>
      </form>
      {confirmRemove && (
        <ConfirmDialog
          title={t("fleet.tags.removeTitle", { key })}
          confirmLabel={t("fleet.tags.removeConfirm")}
          danger
          kind="remove-tag"
          onCancel={() => setConfirmRemove(false)}
          onConfirm={remove}
        >
          <p>{t("fleet.tags.removeBody", { key, count: instances.length })}</p>
          <ul className="small mono" data-testid="remove-tag-instances">
            {instances.map((i) => (
              <li key={`${i.profileId}/${i.region}/${i.id}`}>
                {i.id} {i.name && `(${i.name})`}
              </li>
            ))}
          </ul>
        </ConfirmDialog>
      )}
    </Modal>
  );
}

/** The backend's field (`tags.0.key`, `keys.0`) as this dialog's field. */
function fieldOf(field: string, message: string): FieldError {
  return { field: /value$/.test(field) ? "tagValue" : "tagKey", message };
}
