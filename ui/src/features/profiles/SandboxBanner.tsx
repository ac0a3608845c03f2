import { useTranslation } from "react-i18next";
import { FlaskConical } from "lucide-react";
import { useActiveProfile } from "./useProfiles";
import "./profiles.css";

/** Always visible while the Sandbox is active: nothing shown is real, nothing is billed. */
export function SandboxBanner() {
  const { t } = useTranslation();
  const active = useActiveProfile();
  if (active?.kind !== "sandbox") return null;
  return (
    <div className="sandbox-banner" role="status" data-testid="sandbox-banner">
      <FlaskConical aria-hidden size={16} />
      <strong>{t("profiles.sandboxBannerTitle")}</strong>
      <span>{t("profiles.sandboxBannerText")}</span>
    </div>
  );
}
