import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorNote } from "./common";
import type { Scope } from "./ResourcesPage";
import { useRegionInstances } from "./useRegionInstances";
import { ResizeDialog } from "./ResizeDialog";
import { BandwidthDialog } from "./BandwidthDialog";

/**
 * Instance configuration changes (type and bandwidth) by instance. The instance list can
 * open the same dialogs (`ResizeDialog`, `BandwidthDialog`) directly.
 */
export function ConfigurationTab({ scope }: { scope: Scope }) {
  const { t } = useTranslation();
  const instances = useRegionInstances(scope);
  const [open, setOpen] = useState<{ kind: "resize" | "bandwidth"; id: string } | null>(null);
  if (instances.isPending) return <p className="muted">{t("resources.loading")}</p>;
  if (instances.error) return <ErrorNote error={instances.error} />;
  return (
    <div>
      <p className="muted small">{t("resources.cfg.intro")}</p>
      <table className="res-table" data-testid="cfg-table">
        <thead>
          <tr>
            <th>{t("resources.col.id")}</th>
            <th>{t("resources.col.name")}</th>
            <th>{t("resources.col.status")}</th>
            <th>{t("resources.cfg.type")}</th>
            <th>{t("resources.eip.bandwidth")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {instances.data.map((i) => (
            <tr key={i.id} data-testid={`cfg-row-${i.id}`}>
              <td className="mono">{i.id}</td>
              <td>{i.name}</td>
              <td data-testid={`cfg-state-${i.id}`}>{i.state}</td>
              <td className="mono" data-testid={`cfg-type-${i.id}`}>
                {i.instanceType}{" "}
                <span className="muted small">
                  {i.cpu} vCPU · {i.memoryGib} GiB
                </span>
              </td>
              <td data-testid={`cfg-bw-${i.id}`}>
                {i.publicIps.length ? `${i.bandwidthOutMbps} Mbps` : "—"}
              </td>
              <td className="res-row-actions">
                <button
                  type="button"
                  className="btn small"
                  data-testid={`cfg-resize-${i.id}`}
                  disabled={scope.locked}
                  onClick={() => setOpen({ kind: "resize", id: i.id })}
                >
                  {t("resources.cfg.resize")}
                </button>
                <button
                  type="button"
                  className="btn small"
                  data-testid={`cfg-bandwidth-${i.id}`}
                  disabled={scope.locked || i.publicIps.length === 0}
                  onClick={() => setOpen({ kind: "bandwidth", id: i.id })}
                >
                  {t("resources.cfg.bandwidth")}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {open?.kind === "resize" && (
        <ResizeDialog
          profileId={scope.profileId}
          region={scope.region}
          instanceId={open.id}
          onClose={() => setOpen(null)}
        />
      )}
      {open?.kind === "bandwidth" && (
        <BandwidthDialog
          profileId={scope.profileId}
          region={scope.region}
          instanceId={open.id}
          onClose={() => setOpen(null)}
        />
      )}
    </div>
  );
}
