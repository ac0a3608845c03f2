import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useForm, useWatch } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type KeyPairView, resourcesBackend } from "../../backend";
import { Modal } from "../../components/Modal";
import { keyBindSchema, type KeyBindValues } from "./forms";
import { ErrorNote, FieldError, fieldOf } from "./common";
import type { Scope } from "./ResourcesPage";
import { useRegionInstances } from "./useRegionInstances";

/**
 * Binds a key pair to instances of the region, or unbinds it from those using it.
 * Tencent changes keys only on stopped instances: running ones are refused unless the
 * user chooses to force them off (they are started again afterwards). Windows instances
 * take no key pairs and cannot be picked.
 */
export function KeyBindDialog(props: {
  scope: Scope;
  keyPair: KeyPairView;
  mode: "bind" | "unbind";
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { scope, keyPair, mode } = props;
  const qc = useQueryClient();
  const instances = useRegionInstances(scope);
  const form = useForm<KeyBindValues>({
    resolver: zodResolver(keyBindSchema),
    defaultValues: { picked: [], force: false },
  });
  const [picked, force] = useWatch({ control: form.control, name: ["picked", "force"] });
  const [done, setDone] = useState(false);
  const used = new Set(keyPair.associatedInstanceIds);
  const candidates = (instances.data ?? []).filter((i) =>
    mode === "bind" ? !used.has(i.id) : used.has(i.id),
  );
  const isWindows = (os: string | null) => (os ?? "").toLowerCase().includes("windows");
  const runningPicked = candidates.filter((i) => picked.includes(i.id) && i.state === "RUNNING");
  const needsForce = runningPicked.length > 0 && !force;
  const run = useMutation({
    mutationFn: (v: KeyBindValues) =>
      (mode === "bind" ? resourcesBackend.bindKeyPair : resourcesBackend.unbindKeyPair)(
        scope.profileId,
        scope.region,
        keyPair.id,
        v.picked,
        v.force,
      ),
    onSuccess: () => {
      setDone(true);
      void qc.invalidateQueries({ queryKey: ["keyPairs", scope.profileId] });
      void qc.invalidateQueries({ queryKey: ["instances", scope.profileId, scope.region] });
    },
  });
  const title = t(mode === "bind" ? "resources.kp.bindTitle" : "resources.kp.unbindTitle", {
    name: keyPair.name,
  });
  return (
    <Modal title={title} testid="kp-bind-dialog" onCancel={props.onClose}>
      <p className="small">{t("resources.kp.stopFirst")}</p>
      {instances.isPending && <p className="muted">{t("resources.loading")}</p>}
      {instances.error && <ErrorNote error={instances.error} />}
      {instances.data && candidates.length === 0 && (
        <p className="muted" data-testid="kp-bind-none">
          {t(mode === "bind" ? "resources.kp.noneToBind" : "resources.kp.noneBound")}
        </p>
      )}
      <ul className="res-list res-pick" data-testid="kp-bind-instances">
        {candidates.map((i) => {
          const win = isWindows(i.osName);
          return (
            <li key={i.id}>
              <label className={win ? "muted" : undefined}>
                <input
                  type="checkbox"
                  data-testid={`kp-pick-${i.id}`}
                  disabled={win || done}
                  checked={picked.includes(i.id)}
                  onChange={(e) => {
                    run.reset();
                    const p = form.getValues("picked");
                    form.setValue(
                      "picked",
                      e.target.checked ? [...p, i.id] : p.filter((x) => x !== i.id),
                    );
                  }}
                />{" "}
                <span className="mono">{i.id}</span> {i.name}{" "}
                <span className="small muted">
                  {t(`resources.instState.${i.state}`, i.state)}
                  {win && ` · ${t("resources.kp.windows")}`}
                </span>
              </label>
            </li>
          );
        })}
      </ul>
      <label className="res-check">
        <input
          type="checkbox"
          data-testid="kp-force"
          disabled={done}
          {...form.register("force", { onChange: () => run.reset() })}
        />{" "}
        {t("resources.kp.force")}
      </label>
      <p className="small res-warn">{t("resources.kp.forceRisk")}</p>
      {needsForce && (
        <p className="res-field-error" role="alert" data-testid="kp-needs-force">
          {t("resources.kp.needsForce", { ids: runningPicked.map((i) => i.id).join(", ") })}
        </p>
      )}
      <FieldError error={run.error} field="forceStop" />
      <FieldError error={run.error} field="instanceIds" />
      {run.error && !["forceStop", "instanceIds"].includes(fieldOf(run.error) ?? "") && (
        <ErrorNote error={run.error} />
      )}
      {done && (
        <p className="res-success" data-testid="kp-bind-done">
          {t(mode === "bind" ? "resources.kp.bound" : "resources.kp.unbound", {
            count: picked.length,
          })}
        </p>
      )}
      <div className="res-actions">
        <button type="button" className="btn" data-testid="kp-bind-close" onClick={props.onClose}>
          {t(done ? "resources.close" : "resources.cancel")}
        </button>
        {!done && (
          <button
            type="button"
            className="btn primary"
            data-testid="kp-bind-go"
            disabled={scope.locked || picked.length === 0 || needsForce || run.isPending}
            onClick={() => run.mutate(form.getValues())}
          >
            {t(mode === "bind" ? "resources.kp.bind" : "resources.kp.unbind")}
          </button>
        )}
      </div>
    </Modal>
  );
}
