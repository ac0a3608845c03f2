import { useTranslation } from "react-i18next";
import { useQuery } from "@tanstack/react-query";
import { activityBackend } from "../../backend";
import { useActiveProfile } from "../profiles/useProfiles";
import "./activity.css";

/** Status-bar text: API calls in flight and queued for rate budget, calls so far. */
export function ActivityIndicator() {
  const { t } = useTranslation();
  const profile = useActiveProfile();
  const status = useQuery({
    queryKey: ["activity-status", profile?.id],
    queryFn: () => activityBackend.activityStatus(profile?.id ?? ""),
    enabled: !!profile,
    refetchInterval: 1000,
  });
  const s = status.data;
  if (!s) return null;
  const busy = s.inFlight > 0 || s.waiting > 0;
  return (
    <span className="activity-indicator" data-testid="activity-indicator" data-busy={busy}>
      {busy ? (
        <>
          <span data-testid="calls-in-flight">
            {t("activity.status.inFlight", { count: s.inFlight })}
          </span>
          {s.waiting > 0 && (
            <span data-testid="calls-waiting">
              {" · "}
              {t("activity.status.waiting", { count: s.waiting })}
            </span>
          )}
        </>
      ) : (
        <span className="muted">
          {t("activity.status.calls", { calls: s.calls, failures: s.failures })}
        </span>
      )}
    </span>
  );
}
