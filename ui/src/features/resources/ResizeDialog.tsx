import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useForm, useWatch } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery } from "@tanstack/react-query";
import { isPriceChanged, resourcesBackend } from "../../backend";
import { Modal } from "../../components/Modal";
import { resizeSchema, type ResizeValues } from "./forms";
import {
  ErrorNote,
  FieldError,
  PriceChangedNote,
  PriceText,
  chargedPrice,
  fieldOf,
} from "./common";
import { useInstanceProgress } from "./useInstanceProgress";

/**
 * Change an instance's type: only the types its zone sells and it can move to, the price
 * difference, a stop-first (or forced) flow for a running instance, and progress until
 * the instance runs again. The instance list can open it for one instance.
 */
export function ResizeDialog(props: {
  profileId: string;
  region: string;
  instanceId: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { profileId, region, instanceId } = props;
  const options = useQuery({
    queryKey: ["resizeOptions", profileId, region, instanceId],
    queryFn: () => resourcesBackend.resizeOptions(profileId, region, instanceId),
  });
  const form = useForm<ResizeValues>({
    resolver: zodResolver(resizeSchema),
    defaultValues: { target: "", plan: "stopFirst" },
  });
  const [target, plan] = useWatch({ control: form.control, name: ["target", "plan"] });
  const price = useQuery({
    queryKey: ["resizePrice", profileId, region, instanceId, target],
    queryFn: () => resourcesBackend.resizePrice(profileId, region, instanceId, target),
    enabled: target !== "",
  });
  const progress = useInstanceProgress(profileId);
  // The price shown is the price accepted; a moved price is refused by the backend, asked
  // again here, and needs a new click.
  const shownPrice = price.data && !price.isFetching ? price.data : null;
  const [priceChangedFrom, setPriceChangedFrom] = useState<number | null>(null);
  const resize = useMutation({
    mutationFn: (accepted: number) =>
      resourcesBackend.resizeInstance(
        profileId,
        region,
        instanceId,
        target,
        options.data?.needsStop ? plan : "none",
        accepted,
        progress.onChange,
      ),
    onMutate: () => setPriceChangedFrom(null),
    onError: (e, accepted) => {
      if (!isPriceChanged(e)) return;
      setPriceChangedFrom(accepted);
      void price.refetch();
    },
  });
  const priceChanged = isPriceChanged(resize.error);
  const o = options.data;
  const chosen = o?.targets.find((x) => x.instanceType === target);
  const finished = progress.settled;

  return (
    <Modal
      title={t("resources.resize.title", { id: instanceId })}
      testid="resize-dialog"
      onCancel={props.onClose}
    >
      {options.isPending && <p className="muted">{t("resources.loading")}</p>}
      {options.error && <ErrorNote error={options.error} />}
      {o && (
        <>
          <p>
            {t("resources.resize.current", {
              type: o.currentType,
              cpu: o.cpu,
              mem: o.memoryGib,
              zone: o.zone,
            })}
          </p>
          <label className="res-label">
            {t("resources.resize.target")}
            <select
              className="res-input"
              data-testid="resize-target"
              disabled={resize.isPending || resize.isSuccess}
              {...form.register("target", {
                onChange: () => {
                  resize.reset();
                  setPriceChangedFrom(null);
                },
              })}
            >
              <option value="">{t("resources.resize.pick")}</option>
              {o.targets.map((x) => (
                <option key={x.instanceType} value={x.instanceType} disabled={!x.available}>
                  {x.instanceType} · {x.cpu} vCPU · {x.memoryGib} GiB
                  {x.gpu ? ` · ${x.gpu} GPU` : ""}
                  {!x.available ? ` — ${x.reason ?? t("resources.resize.unavailable")}` : ""}
                </option>
              ))}
            </select>
          </label>
          <FieldError error={resize.error ?? price.error} field="instanceType" />
          {chosen && (
            <p>
              {t(
                o.chargeType === "PREPAID"
                  ? "resources.resize.pricePrepaid"
                  : "resources.resize.pricePostpaid",
              )}{" "}
              <PriceText price={price.data} loading={price.isFetching} />
            </p>
          )}
          {price.error && fieldOf(price.error) !== "instanceType" && (
            <ErrorNote error={price.error} />
          )}
          {o.needsStop && (
            <fieldset className="res-fieldset" disabled={resize.isPending || resize.isSuccess}>
              <legend>{t("resources.resize.running")}</legend>
              <label className="res-radio">
                <input
                  type="radio"
                  value="stopFirst"
                  data-testid="resize-plan-stopFirst"
                  {...form.register("plan")}
                />
                <span>
                  <strong>{t("resources.resize.stopFirst")}</strong>
                  <br />
                  <span className="small muted">{t("resources.resize.stopFirstNote")}</span>
                </span>
              </label>
              <label className="res-radio">
                <input
                  type="radio"
                  value="forceStop"
                  data-testid="resize-plan-forceStop"
                  {...form.register("plan")}
                />
                <span>
                  <strong>{t("resources.resize.forceStop")}</strong>
                  <br />
                  <span className="small res-bad">{t("resources.resize.forceStopRisk")}</span>
                </span>
              </label>
            </fieldset>
          )}
          <p className="small muted">{t("resources.resize.restartNote")}</p>
        </>
      )}
      {priceChanged && priceChangedFrom != null && (
        <PriceChangedNote before={priceChangedFrom} price={shownPrice ?? undefined} />
      )}
      {resize.error && !priceChanged && fieldOf(resize.error) !== "instanceType" && (
        <ErrorNote error={resize.error} />
      )}
      {(resize.isPending || resize.isSuccess) && (
        <div className="res-progress" data-testid="resize-progress">
          {resize.isPending && (
            <p>
              {o?.needsStop && plan === "stopFirst"
                ? t("resources.resize.stopping")
                : t("resources.resize.sending")}
            </p>
          )}
          {progress.states.length > 0 && (
            <p className="mono small" data-testid="resize-states">
              {progress.states.join(" → ")}
            </p>
          )}
          {finished && !finished.failure && (
            <p className="res-success" data-testid="resize-done">
              {t("resources.resize.done", {
                type: finished.instance?.instanceType ?? target,
                state: finished.state ?? "",
              })}
            </p>
          )}
          {finished?.failure && (
            <p className="res-field-error" data-testid="resize-failed">
              {finished.failure}
            </p>
          )}
        </div>
      )}
      <div className="res-actions">
        <button type="button" className="btn" data-testid="resize-close" onClick={props.onClose}>
          {resize.isSuccess ? t("resources.close") : t("resources.cancel")}
        </button>
        {!resize.isSuccess && (
          <button
            type="button"
            className={plan === "forceStop" && o?.needsStop ? "btn res-danger" : "btn primary"}
            data-testid="resize-go"
            disabled={!chosen?.available || resize.isPending || !shownPrice}
            onClick={() => shownPrice && resize.mutate(chargedPrice(shownPrice))}
          >
            {t("resources.resize.go")}
          </button>
        )}
      </div>
    </Modal>
  );
}
