import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type AddressView, resourcesBackend } from "../../backend";
import { Modal } from "../../components/Modal";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorNote, FieldError, fieldOf, newClientToken } from "./common";
import type { Scope } from "./ResourcesPage";
import { allocateSchema, type AllocateValues } from "./forms";
import { useRegionInstances } from "./useRegionInstances";

const CHARGE_TYPES = ["TRAFFIC_POSTPAID_BY_HOUR", "BANDWIDTH_POSTPAID_BY_HOUR"] as const;

export function AddressesTab({ scope }: { scope: Scope }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const key = ["addresses", scope.profileId, scope.region];
  const list = useQuery({
    queryKey: key,
    queryFn: () => resourcesBackend.listAddresses(scope.profileId, scope.region),
  });
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: key });
    void qc.invalidateQueries({ queryKey: ["instances", scope.profileId, scope.region] });
  };
  const [allocating, setAllocating] = useState(false);
  const [associating, setAssociating] = useState<AddressView | null>(null);
  const [releasing, setReleasing] = useState<AddressView | null>(null);
  const disassociate = useMutation({
    mutationFn: (id: string) =>
      resourcesBackend.disassociateAddress(scope.profileId, scope.region, id),
    onSuccess: refresh,
  });
  const release = useMutation({
    mutationFn: (p: { id: string; confirm: string }) =>
      resourcesBackend.releaseAddress(scope.profileId, scope.region, p.id, p.confirm),
    onSuccess: () => {
      setReleasing(null);
      refresh();
    },
  });

  return (
    <div>
      <p className="res-note" data-testid="eip-billing-note">
        {t("resources.eip.billingNote")}
      </p>
      <div className="res-toolbar">
        <button
          type="button"
          className="btn primary"
          data-testid="eip-allocate"
          disabled={scope.locked}
          onClick={() => setAllocating(true)}
        >
          {t("resources.eip.allocate")}
        </button>
      </div>
      {list.isPending && <p className="muted">{t("resources.loading")}</p>}
      {list.error && <ErrorNote error={list.error} />}
      {disassociate.error && <ErrorNote error={disassociate.error} />}
      {list.data && list.data.length === 0 && (
        <p className="muted" data-testid="eip-empty">
          {t("resources.eip.empty")}
        </p>
      )}
      {list.data && list.data.length > 0 && (
        <table className="res-table" data-testid="eip-table">
          <thead>
            <tr>
              <th>{t("resources.col.id")}</th>
              <th>{t("resources.eip.ip")}</th>
              <th>{t("resources.col.name")}</th>
              <th>{t("resources.col.status")}</th>
              <th>{t("resources.eip.instance")}</th>
              <th>{t("resources.eip.bandwidth")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data.map((a) => (
              <tr key={a.id} data-testid={`eip-row-${a.id}`}>
                <td className="mono">{a.id}</td>
                <td className="mono">{a.ip}</td>
                <td>{a.name}</td>
                <td>
                  <span
                    className={a.status === "UNBIND" ? "res-badge warn" : "res-badge"}
                    data-testid={`eip-status-${a.id}`}
                  >
                    {t(`resources.eip.status.${a.status}`, a.status)}
                  </span>
                </td>
                <td className="mono">{a.instanceId ?? "—"}</td>
                <td>
                  {a.bandwidthMbps} Mbps{" "}
                  <span className="muted small">
                    {t(`resources.charge.${a.internetChargeType}`, a.internetChargeType)}
                  </span>
                </td>
                <td className="res-row-actions">
                  {a.status === "UNBIND" && (
                    <>
                      <button
                        type="button"
                        className="btn small"
                        data-testid={`eip-associate-${a.id}`}
                        disabled={scope.locked}
                        onClick={() => setAssociating(a)}
                      >
                        {t("resources.eip.associate")}
                      </button>
                      <button
                        type="button"
                        className="btn small res-danger"
                        data-testid={`eip-release-${a.id}`}
                        disabled={scope.locked}
                        onClick={() => {
                          release.reset();
                          setReleasing(a);
                        }}
                      >
                        {t("resources.eip.release")}
                      </button>
                    </>
                  )}
                  {a.status === "BIND" && (
                    <button
                      type="button"
                      className="btn small"
                      data-testid={`eip-disassociate-${a.id}`}
                      disabled={scope.locked || disassociate.isPending}
                      onClick={() => disassociate.mutate(a.id)}
                    >
                      {t("resources.eip.disassociate")}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {allocating && (
        <AllocateDialog
          scope={scope}
          onClose={() => setAllocating(false)}
          onDone={() => {
            setAllocating(false);
            refresh();
          }}
        />
      )}
      {associating && (
        <AssociateDialog
          scope={scope}
          address={associating}
          onClose={() => setAssociating(null)}
          onDone={() => {
            setAssociating(null);
            refresh();
          }}
        />
      )}
      {releasing && (
        <ConfirmDialog
          title={t("resources.eip.releaseTitle", { ip: releasing.ip })}
          confirmLabel={t("resources.eip.release")}
          danger
          phrase={releasing.id}
          busy={release.isPending}
          error={release.error != null && <ErrorNote error={release.error} />}
          onCancel={() => setReleasing(null)}
          onConfirm={(typed) => release.mutate({ id: releasing.id, confirm: typed ?? "" })}
        >
          <p>
            {t("resources.eip.releaseBody", {
              id: releasing.id,
              ip: releasing.ip,
              charge: t(
                `resources.charge.${releasing.internetChargeType}`,
                releasing.internetChargeType,
              ),
            })}
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function AllocateDialog(props: { scope: Scope; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const form = useForm<AllocateValues>({
    resolver: zodResolver(allocateSchema),
    defaultValues: { charge: CHARGE_TYPES[0], bandwidth: "5", name: "" },
    mode: "onChange",
  });
  const bandwidthHint = form.formState.errors.bandwidth?.message;
  // One token per intent: a repeated click after an unknown outcome allocates once.
  const [token] = useState(newClientToken);
  const allocate = useMutation({
    mutationFn: (v: AllocateValues) =>
      resourcesBackend.allocateAddress(props.scope.profileId, props.scope.region, {
        internetChargeType: v.charge,
        bandwidthMbps: Number(v.bandwidth),
        name: v.name.trim() || null,
        clientToken: token,
      }),
    onSuccess: props.onDone,
  });
  return (
    <Modal
      title={t("resources.eip.allocateTitle")}
      testid="eip-allocate-dialog"
      onCancel={props.onClose}
    >
      <label className="res-label">
        {t("resources.eip.chargeType")}
        <select className="res-input" data-testid="eip-charge" {...form.register("charge")}>
          {CHARGE_TYPES.map((c) => (
            <option key={c} value={c}>
              {t(`resources.charge.${c}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="res-label">
        {t("resources.eip.bandwidthRange", { min: 1, max: 100 })}
        <input
          className="res-input"
          data-testid="eip-bandwidth"
          inputMode="numeric"
          {...form.register("bandwidth", { onChange: () => allocate.reset() })}
        />
      </label>
      {bandwidthHint && (
        <p className="res-field-error" data-testid="eip-bandwidth-hint">
          {t(bandwidthHint, { min: 1, max: 100 })}
        </p>
      )}
      <FieldError error={allocate.error} field="bandwidth" />
      <label className="res-label">
        {t("resources.col.name")}
        <input className="res-input" data-testid="eip-name" {...form.register("name")} />
      </label>
      <p className="res-note small">{t("resources.eip.billingNote")}</p>
      {allocate.error && fieldOf(allocate.error) !== "bandwidth" && (
        <ErrorNote error={allocate.error} />
      )}
      <div className="res-actions">
        <button type="button" className="btn" onClick={props.onClose}>
          {t("resources.cancel")}
        </button>
        <button
          type="button"
          className="btn primary"
          data-testid="eip-allocate-go"
          disabled={allocate.isPending}
          onClick={() => allocate.mutate(form.getValues())}
        >
          {t("resources.eip.allocate")}
        </button>
      </div>
    </Modal>
  );
}

function AssociateDialog(props: {
  scope: Scope;
  address: AddressView;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const instances = useRegionInstances(props.scope);
  const [target, setTarget] = useState("");
  const associate = useMutation({
    mutationFn: () =>
      resourcesBackend.associateAddress(
        props.scope.profileId,
        props.scope.region,
        props.address.id,
        target,
      ),
    onSuccess: props.onDone,
  });
  const usable = (instances.data ?? []).filter(
    (i) => i.state === "RUNNING" || i.state === "STOPPED",
  );
  return (
    <Modal
      title={t("resources.eip.associateTitle", { ip: props.address.ip })}
      testid="eip-associate-dialog"
      onCancel={props.onClose}
    >
      <label className="res-label">
        {t("resources.eip.instance")}
        <select
          className="res-input"
          data-testid="eip-associate-target"
          value={target}
          onChange={(e) => setTarget(e.target.value)}
        >
          <option value="">{t("resources.pickInstance")}</option>
          {usable.map((i) => (
            <option key={i.id} value={i.id}>
              {i.id} {i.name} {i.publicIps.length ? `(${i.publicIps.join(", ")})` : ""}
            </option>
          ))}
        </select>
      </label>
      <p className="res-note small">{t("resources.eip.replacesPublicIp")}</p>
      {associate.error && <ErrorNote error={associate.error} />}
      <div className="res-actions">
        <button type="button" className="btn" onClick={props.onClose}>
          {t("resources.cancel")}
        </button>
        <button
          type="button"
          className="btn primary"
          data-testid="eip-associate-go"
          disabled={!target || associate.isPending}
          onClick={() => associate.mutate()}
        >
          {t("resources.eip.associate")}
        </button>
      </div>
    </Modal>
  );
}
