import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useForm, useWatch } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery } from "@tanstack/react-query";
import { isPriceChanged, resourcesBackend } from "../../backend";
import { Modal } from "../../components/Modal";
import { bandwidthProblem, bandwidthSchema, type BandwidthValues } from "./forms";
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
 * Change an instance's public bandwidth within its billing model's limits, with the
 * quoted price. The instance list can open it for one instance.
 */
export function BandwidthDialog(props: {
  profileId: string;
  region: string;
  instanceId: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { profileId, region, instanceId } = props;
  const options = useQuery({
    queryKey: ["bandwidthOptions", profileId, region, instanceId],
    queryFn: () => resourcesBackend.bandwidthOptions(profileId, region, instanceId),
  });
  const o = options.data;
  const form = useForm<BandwidthValues>({
    resolver: zodResolver(bandwidthSchema(o)),
    defaultValues: { mbps: "" },
    mode: "onChange",
  });
  const value = useWatch({ control: form.control, name: "mbps" });
  const n = Number(value);
  // Checked here as well as by the form: the price is asked for only for a value that passes,
  // in the same render as the value changes.
  const problem = o && value !== "" ? bandwidthProblem(o, value) : null;
  const valid = !!o && value !== "" && problem === null;
  const price = useQuery({
    queryKey: ["bandwidthPrice", profileId, region, instanceId, n],
    queryFn: () => resourcesBackend.bandwidthPrice(profileId, region, instanceId, n),
    enabled: valid,
  });
  const progress = useInstanceProgress(profileId);
  // The price shown is the price accepted; a moved price is refused by the backend, asked
  // again here, and needs a new click.
  const shownPrice = valid && price.data && !price.isFetching ? price.data : null;
  const [priceChangedFrom, setPriceChangedFrom] = useState<number | null>(null);
  const change = useMutation({
    mutationFn: (accepted: number) =>
      resourcesBackend.changeBandwidth(
        profileId,
        region,
        instanceId,
        n,
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
  const priceChanged = isPriceChanged(change.error);

  return (
    <Modal
      title={t("resources.bw.title", { id: instanceId })}
      testid="bandwidth-dialog"
      onCancel={props.onClose}
    >
      {options.isPending && <p className="muted">{t("resources.loading")}</p>}
      {options.error && <ErrorNote error={options.error} />}
      {o && (
        <>
          <p>
            {t("resources.bw.current", {
              mbps: o.currentMbps,
              charge: t(`resources.charge.${o.internetChargeType}`, o.internetChargeType),
            })}
          </p>
          {o.unsupported ? (
            <p className="res-field-error" data-testid="bw-unsupported">
              {o.unsupported}
            </p>
          ) : (
            <>
              <label className="res-label">
                {t("resources.bw.new", { min: o.minMbps, max: o.maxMbps })}
                <input
                  className="res-input"
                  inputMode="numeric"
                  data-testid="bw-value"
                  name="mbps"
                  value={value}
                  disabled={change.isSuccess}
                  onChange={(e) => {
                    change.reset();
                    setPriceChangedFrom(null);
                    form.setValue("mbps", e.target.value.trim(), { shouldValidate: true });
                  }}
                />
              </label>
              {problem && (
                <p className="res-field-error" data-testid="bw-hint">
                  {problem === "prepaidLower"
                    ? t("resources.bw.prepaidLower")
                    : t("resources.bw.range", { min: o.minMbps, max: o.maxMbps })}
                </p>
              )}
              <FieldError error={change.error} field="bandwidth" />
              {o.prepaid && <p className="small muted">{t("resources.bw.prepaidNote")}</p>}
              {valid && (
                <p>
                  {t("resources.bw.price")}{" "}
                  <PriceText price={price.data} loading={price.isFetching} />
                </p>
              )}
              {price.error && <ErrorNote error={price.error} />}
            </>
          )}
        </>
      )}
      {priceChanged && priceChangedFrom != null && (
        <PriceChangedNote before={priceChangedFrom} price={shownPrice ?? undefined} />
      )}
      {change.error && !priceChanged && fieldOf(change.error) !== "bandwidth" && (
        <ErrorNote error={change.error} />
      )}
      {change.isSuccess && (
        <div className="res-progress" data-testid="bw-progress">
          {progress.settled ? (
            <p className="res-success" data-testid="bw-done">
              {t("resources.bw.done", {
                mbps: progress.settled.instance?.bandwidthOutMbps ?? n,
              })}
            </p>
          ) : (
            <p>{t("resources.bw.applying")}</p>
          )}
        </div>
      )}
      <div className="res-actions">
        <button type="button" className="btn" data-testid="bw-close" onClick={props.onClose}>
          {change.isSuccess ? t("resources.close") : t("resources.cancel")}
        </button>
        {!change.isSuccess && (
          <button
            type="button"
            className="btn primary"
            data-testid="bw-go"
            disabled={!o || !!o.unsupported || !valid || change.isPending || !shownPrice}
            onClick={() => shownPrice && change.mutate(chargedPrice(shownPrice))}
          >
            {t("resources.bw.go")}
          </button>
        )}
      </div>
    </Modal>
  );
}
