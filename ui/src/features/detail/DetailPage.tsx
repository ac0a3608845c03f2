import { useEffect, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "@tanstack/react-query";
import { AlertTriangle, ArrowLeft, Check, Copy, RefreshCw, SquareTerminal } from "lucide-react";
import { type DiskView, type InstanceDetail, appBackend, instancesBackend } from "../../backend";
import { BandwidthDialog, ResizeDialog } from "../resources";
import { MetricsPanel } from "../metrics";
import { StateBadge } from "../instances/InstanceTable";
import { Problem } from "../../components/Problem";
import { TRANSIENT } from "../instances/states";
import { useActiveProfile } from "../profiles/useProfiles";
import { closeDetail, useRegisterPageCommands, type DetailTarget } from "../palette/registry";
import { requestConnect } from "../connect/store";
import { useDismissOnEscape } from "../palette/dismiss";
import { BILLING_SLOTS, type BillingSlot, type BillingSlots } from "./slots";
import { billingSlots } from "./billingSlots";
import "./detail.css";

/** Copies `text` to the system clipboard and says so for a moment. */
function CopyButton(props: { text: string; label: string; testid: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const h = setTimeout(() => setState("idle"), 1500);
    return () => clearTimeout(h);
  }, [state]);
  const title =
    state === "copied"
      ? t("detail.copied")
      : state === "failed"
        ? t("detail.copyFailed")
        : t("detail.copy", { what: props.label });
  return (
    <button
      type="button"
      className="copy-button"
      data-testid={props.testid}
      data-copied={state === "copied" ? "true" : undefined}
      title={title}
      aria-label={title}
      onClick={() =>
        appBackend.copyText(props.text).then(
          () => setState("copied"),
          () => setState("failed"),
        )
      }
    >
      {state === "copied" ? <Check aria-hidden size={13} /> : <Copy aria-hidden size={13} />}
    </button>
  );
}

type Row = { key: string; label: string; value: ReactNode; copy?: string[] };

function Section(props: { id: string; title: string; rows: Row[] }) {
  return (
    <section className="detail-section" data-testid={`detail-section-${props.id}`}>
      <h2>{props.title}</h2>
      <dl>
        {props.rows.map((r) => (
          <div className="detail-row" key={r.key} data-testid={`detail-f-${r.key}`}>
            <dt>{r.label}</dt>
            <dd>
              {r.copy && r.copy.length > 0 ? (
                <ul className="copy-list">
                  {r.copy.map((v, i) => (
                    <li key={v}>
                      <span className="mono selectable">{v}</span>
                      <CopyButton text={v} label={r.label} testid={`copy-${r.key}-${i}`} />
                    </li>
                  ))}
                </ul>
              ) : (
                r.value
              )}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

const dash = "—";
function text(v: string | number | null | undefined): string {
  return v === null || v === undefined || v === "" ? dash : String(v);
}
function date(s: string | null): string {
  return s ? s.replace("T", " ").replace(/Z$/, " UTC") : dash;
}

/** The failure the instance reports (LAUNCH_FAILED or a FAILED latest operation). */
export function failureOf(d: InstanceDetail): string | null {
  const s = d.summary;
  if (s.state === "LAUNCH_FAILED" || s.latestOperationState === "FAILED") {
    return s.latestOperationError ?? s.latestOperation ?? s.state;
  }
  return null;
}

/** Which billing dialogs make sense for this instance's billing model. */
export function billingSlotApplies(slot: BillingSlot, chargeType: string): boolean {
  if (slot === "renew" || slot === "autoRenew") return chargeType === "PREPAID";
  if (slot === "toPrepaid") return chargeType === "POSTPAID_BY_HOUR";
  return true;
}

type Dialog = "resize" | "bandwidth" | BillingSlot | null;

/**
 * One instance in full, grouped like the web console (overview, configuration, network,
 * storage, billing, login), with copy buttons for ids and addresses. It is the hub for
 * per-instance changes: type and bandwidth, and the billing dialogs through `billing`
 * slots (by default the billing feature's own).
 */
export function DetailPage(props: { target: DetailTarget | null; billing?: BillingSlots }) {
  const { t } = useTranslation();
  const billing = props.billing ?? billingSlots;
  const active = useActiveProfile();
  const profileId = props.target?.profileId ?? active?.id;
  const region = props.target?.region;
  const instanceId = props.target?.instanceId;
  const [dialog, setDialog] = useState<Dialog>(null);
  useDismissOnEscape(() => setDialog(null), dialog !== null);
  const q = useQuery({
    queryKey: ["instanceDetail", profileId, region, instanceId],
    queryFn: () =>
      instancesBackend.describeInstance(profileId ?? "", region ?? "", instanceId ?? ""),
    enabled: !!profileId && !!region && !!instanceId,
    // Follow a transition until the instance settles.
    refetchInterval: (query) =>
      query.state.data && TRANSIENT.has(query.state.data.summary.state) ? 2000 : false,
  });
  const running = q.data?.summary.state === "RUNNING";
  const connect = () =>
    profileId &&
    region &&
    instanceId &&
    requestConnect({
      kind: "instance",
      profileId,
      region,
      instanceId,
      name: q.data?.summary.name ?? "",
    });
  useRegisterPageCommands({
    refresh: () => void q.refetch(),
    profileId,
    actions: [
      {
        id: "connect",
        label: t("detail.action.connect"),
        disabledReason: running ? undefined : t("detail.connectNotRunning"),
        run: connect,
      },
    ],
  });

  if (!props.target || !profileId || !region || !instanceId) {
    return (
      <section className="page detail-page" data-testid="detail-page">
        <p className="muted">{t("detail.none")}</p>
      </section>
    );
  }
  const d = q.data;
  const s = d?.summary;
  const failure = d ? failureOf(d) : null;
  // A failed launch left nothing to change; buying the same configuration still helps.
  const changeable = s?.state !== "LAUNCH_FAILED";
  const y = (b: boolean | null | undefined) =>
    b === null || b === undefined ? dash : b ? t("detail.yes") : t("detail.no");
  const charge = (c: string) => t(`instances.charge.${c}`, { defaultValue: c });
  const netCharge = (c: string | null) =>
    c ? t(`instances.netCharge.${c}`, { defaultValue: c }) : dash;
  const disk = (x: DiskView) =>
    `${x.diskType} · ${x.sizeGib} GiB${x.deleteWithInstance ? ` · ${t("detail.deleteWithInstance")}` : ""}`;

  return (
    <section className="page detail-page" data-testid="detail-page">
      <header className="detail-header">
        <button
          type="button"
          className="btn"
          data-testid="detail-back"
          onClick={closeDetail}
          title={t("detail.back")}
        >
          <ArrowLeft aria-hidden size={14} />
          {t("detail.back")}
        </button>
        <div className="detail-title">
          <h1 data-testid="detail-name">{s ? s.name || dash : instanceId}</h1>
          <span className="mono muted">{instanceId}</span>
          {s && <StateBadge state={s.state} />}
        </div>
        <button
          type="button"
          className="btn"
          data-testid="detail-refresh"
          onClick={() => void q.refetch()}
          disabled={q.isFetching}
        >
          <RefreshCw aria-hidden size={14} className={q.isFetching ? "spin" : undefined} />
          {t("detail.refresh")}
        </button>
      </header>

      {q.error && <Problem title={t("detail.error")} error={q.error} testid="detail-error" />}
      {q.isPending && <p className="muted">{t("detail.loading")}</p>}

      {d && s && (
        <>
          {failure && (
            <div className="detail-failure" role="alert" data-testid="detail-failure">
              <AlertTriangle aria-hidden size={16} />
              <div>
                <strong>
                  {s.state === "LAUNCH_FAILED"
                    ? t("detail.launchFailed")
                    : t("detail.operationFailed", { operation: s.latestOperation ?? "" })}
                </strong>
                <div data-testid="detail-failure-message">{failure}</div>
                {d.latestOperationRequestId && (
                  <div className="small muted">
                    RequestId <span className="mono selectable">{d.latestOperationRequestId}</span>
                  </div>
                )}
              </div>
            </div>
          )}

          <div className="detail-actions" data-testid="detail-actions">
            <button
              type="button"
              className="btn primary"
              data-testid="detail-connect"
              disabled={!running}
              title={running ? undefined : t("detail.connectNotRunning")}
              onClick={connect}
            >
              <SquareTerminal aria-hidden size={14} />
              {t("detail.action.connect")}
            </button>
            {changeable && (
              <button
                type="button"
                className="btn"
                data-testid="detail-resize"
                onClick={() => setDialog("resize")}
              >
                {t("detail.action.resize")}
              </button>
            )}
            {changeable && (
              <button
                type="button"
                className="btn"
                data-testid="detail-bandwidth"
                onClick={() => setDialog("bandwidth")}
              >
                {t("detail.action.bandwidth")}
              </button>
            )}
            {BILLING_SLOTS.filter(
              (slot) =>
                billing[slot] &&
                (changeable || slot === "buySame") &&
                billingSlotApplies(slot, s.chargeType),
            ).map((slot) => (
              <button
                key={slot}
                type="button"
                className="btn"
                data-testid={`detail-${slot}`}
                onClick={() => setDialog(slot)}
              >
                {t(`detail.action.${slot}`)}
              </button>
            ))}
          </div>

          <div className="detail-grid">
            <Section
              id="overview"
              title={t("detail.section.overview")}
              rows={[
                { key: "id", label: t("detail.f.id"), value: null, copy: [s.id] },
                { key: "name", label: t("detail.f.name"), value: text(s.name) },
                { key: "state", label: t("detail.f.state"), value: <StateBadge state={s.state} /> },
                { key: "region", label: t("detail.f.region"), value: s.region },
                { key: "zone", label: t("detail.f.zone"), value: s.zone },
                { key: "uuid", label: "UUID", value: text(d.uuid), copy: d.uuid ? [d.uuid] : [] },
                { key: "project", label: t("detail.f.project"), value: text(d.projectId) },
                { key: "created", label: t("detail.f.created"), value: date(s.createdTime) },
                {
                  key: "latestOperation",
                  label: t("detail.f.latestOperation"),
                  value: s.latestOperation
                    ? `${s.latestOperation} · ${s.latestOperationState ?? dash}`
                    : dash,
                },
                {
                  key: "protection",
                  label: t("detail.f.protection"),
                  value: y(s.disableApiTermination),
                },
                {
                  key: "restrict",
                  label: t("detail.f.restrict"),
                  value: `${text(s.restrictState)}${d.isolatedSource && d.isolatedSource !== "NOTISOLATED" ? ` · ${d.isolatedSource}` : ""}`,
                },
                {
                  key: "tags",
                  label: t("detail.f.tags"),
                  value:
                    s.tags.length === 0
                      ? dash
                      : s.tags.map((tg) => (
                          <span key={tg.key} className="tag">
                            {tg.key}:{tg.value}
                          </span>
                        )),
                },
              ]}
            />
            <Section
              id="configuration"
              title={t("detail.section.configuration")}
              rows={[
                { key: "type", label: t("detail.f.type"), value: s.instanceType },
                {
                  key: "size",
                  label: t("detail.f.size"),
                  value: t("instances.size", { cpu: s.cpu, memory: s.memoryGib }),
                },
                {
                  key: "gpu",
                  label: "GPU",
                  value: d.gpuCount ? `${d.gpuCount} × ${text(d.gpuType)}` : dash,
                },
                { key: "os", label: t("detail.f.os"), value: text(s.osName) },
                {
                  key: "image",
                  label: t("detail.f.image"),
                  value: text(d.imageId),
                  copy: d.imageId ? [d.imageId] : [],
                },
                { key: "hostName", label: t("detail.f.hostName"), value: text(d.hostName) },
                { key: "camRole", label: t("detail.f.camRole"), value: text(d.camRoleName) },
                {
                  key: "placementGroups",
                  label: t("detail.f.placementGroups"),
                  value: d.disasterRecoverGroupIds.join(", ") || dash,
                },
                { key: "jumbo", label: t("detail.f.jumbo"), value: y(d.enableJumboFrame) },
                { key: "license", label: t("detail.f.license"), value: text(d.licenseType) },
              ]}
            />
            <Section
              id="network"
              title={t("detail.section.network")}
              rows={[
                { key: "vpc", label: "VPC", value: dash, copy: d.vpcId ? [d.vpcId] : [] },
                {
                  key: "subnet",
                  label: t("detail.f.subnet"),
                  value: dash,
                  copy: d.subnetId ? [d.subnetId] : [],
                },
                {
                  key: "privateIp",
                  label: t("detail.f.privateIp"),
                  value: dash,
                  copy: s.privateIps,
                },
                { key: "publicIp", label: t("detail.f.publicIp"), value: dash, copy: s.publicIps },
                { key: "ipv6", label: "IPv6", value: dash, copy: d.ipv6Addresses },
                {
                  key: "netCharge",
                  label: t("detail.f.netCharge"),
                  value: netCharge(s.internetChargeType),
                },
                {
                  key: "bandwidth",
                  label: t("detail.f.bandwidth"),
                  value: `${s.bandwidthOutMbps} Mbps`,
                },
                { key: "isp", label: t("detail.f.isp"), value: text(d.internetServiceProvider) },
                {
                  key: "securityGroups",
                  label: t("detail.f.securityGroups"),
                  value: dash,
                  copy: d.securityGroupIds,
                },
              ]}
            />
            <Section
              id="storage"
              title={t("detail.section.storage")}
              rows={[
                {
                  key: "systemDisk",
                  label: t("detail.f.systemDisk"),
                  value: d.systemDisk ? (
                    <span>
                      {disk(d.systemDisk)} <span className="mono muted">{d.systemDisk.diskId}</span>
                    </span>
                  ) : (
                    dash
                  ),
                },
                ...(d.dataDisks.length === 0
                  ? [{ key: "dataDisks", label: t("detail.f.dataDisks"), value: t("detail.none") }]
                  : d.dataDisks.map((x, i) => ({
                      key: `dataDisk-${i}`,
                      label: t("detail.f.dataDisk", { n: i + 1 }),
                      value: (
                        <span>
                          {disk(x)} <span className="mono muted">{x.diskId}</span>
                        </span>
                      ),
                    }))),
              ]}
            />
            <Section
              id="billing"
              title={t("detail.section.billing")}
              rows={[
                { key: "charge", label: t("detail.f.charge"), value: charge(s.chargeType) },
                { key: "expiry", label: t("detail.f.expiry"), value: date(s.expiredTime) },
                {
                  key: "renewFlag",
                  label: t("detail.f.renewFlag"),
                  value: d.renewFlag
                    ? t(`detail.renew.${d.renewFlag}`, { defaultValue: d.renewFlag })
                    : dash,
                },
                {
                  key: "stopCharging",
                  label: t("detail.f.stopCharging"),
                  value: t(`detail.stopCharging.${s.stopChargingMode ?? "NOT_APPLICABLE"}`, {
                    defaultValue: s.stopChargingMode ?? dash,
                  }),
                },
              ]}
            />
            <Section
              id="login"
              title={t("detail.section.login")}
              rows={[
                { key: "user", label: t("detail.f.user"), value: text(d.defaultLoginUser) },
                { key: "port", label: t("detail.f.port"), value: text(d.defaultLoginPort) },
                {
                  key: "keys",
                  label: t("detail.f.keys"),
                  value: t("detail.passwordLogin"),
                  copy: d.keyIds,
                },
              ]}
            />
          </div>

          <MetricsPanel profileId={profileId} region={region} instanceId={instanceId} />
        </>
      )}

      {dialog === "resize" && (
        <ResizeDialog
          profileId={profileId}
          region={region}
          instanceId={instanceId}
          onClose={() => {
            setDialog(null);
            void q.refetch();
          }}
        />
      )}
      {dialog === "bandwidth" && (
        <BandwidthDialog
          profileId={profileId}
          region={region}
          instanceId={instanceId}
          onClose={() => {
            setDialog(null);
            void q.refetch();
          }}
        />
      )}
      {d &&
        dialog !== null &&
        dialog !== "resize" &&
        dialog !== "bandwidth" &&
        billing[dialog]?.({
          profileId,
          region,
          instanceId,
          instance: d,
          onClose: () => {
            setDialog(null);
            void q.refetch();
          },
        })}
    </section>
  );
}
