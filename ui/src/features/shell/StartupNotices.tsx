import { useTranslation } from "react-i18next";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertTriangle } from "lucide-react";
import { appBackend } from "../../backend";
import "./notices.css";

const key = ["startup-notices"] as const;

/**
 * What went wrong at start-up and was repaired, told once until dismissed: a data file that
 * could not be read is moved aside (never silently replaced), and the user should know
 * where it went.
 */
export function StartupNotices() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const notices = useQuery({ queryKey: key, queryFn: appBackend.startupNotices });
  const dismiss = useMutation({
    mutationFn: appBackend.dismissStartupNotice,
    onSettled: () => qc.invalidateQueries({ queryKey: key }),
  });
  if (!notices.data?.length) return null;
  return (
    <div className="startup-notices" data-testid="startup-notices">
      {notices.data.map((n) => (
        <div key={n.id} className="startup-notice" role="alert" data-testid={`notice-${n.id}`}>
          <AlertTriangle aria-hidden size={16} />
          <div>
            <strong>{t("notices.title")}</strong>
            <p>{n.message}</p>
            {n.path && (
              <p className="mono small selectable" data-testid="notice-path">
                {t("notices.path", { path: n.path })}
              </p>
            )}
          </div>
          <button
            type="button"
            className="btn"
            data-testid="notice-dismiss"
            disabled={dismiss.isPending}
            onClick={() => dismiss.mutate(n.id)}
          >
            {t("notices.dismiss")}
          </button>
        </div>
      ))}
    </div>
  );
}
