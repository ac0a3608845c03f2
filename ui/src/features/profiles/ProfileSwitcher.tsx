import { useTranslation } from "react-i18next";
import { Lock, UserRound } from "lucide-react";
import { useQuery } from "@tanstack/react-query";
import { profilesBackend } from "../../backend";
import { useProfiles, useSetActiveProfile } from "./useProfiles";
import { profileName, roleName } from "./profileName";
// Also the app-wide form, card and badge classes: loaded with the first screen, not with
// the (lazily loaded) profiles page.
import "./profiles.css";

/** The sidebar's profile slot: which account the console talks to, and the keyring's health. */
export function ProfileSwitcher() {
  const { t } = useTranslation();
  const { data } = useProfiles();
  const setActive = useSetActiveProfile();
  const keyring = useQuery({ queryKey: ["keyring"], queryFn: profilesBackend.keyringStatus });
  const active = data?.profiles.find((p) => p.id === data.active);

  return (
    <div className="slot" data-testid="profile-slot">
      <UserRound aria-hidden size={16} />
      <div className="slot-body">
        <label className="slot-label" htmlFor="profile-switcher">
          {t("slot.profile")}
        </label>
        {data ? (
          <select
            id="profile-switcher"
            className="slot-select"
            data-testid="profile-switcher"
            value={data.active}
            onChange={(e) => setActive.mutate(e.target.value)}
          >
            {data.profiles.map((p) => (
              <option key={p.id} value={p.id}>
                {profileName(p, t("profiles.sandboxName"))}
              </option>
            ))}
          </select>
        ) : (
          <div className="slot-value muted">{t("about.loading")}</div>
        )}
        {active && (
          <div className="slot-meta mono" data-testid="profile-masked-id">
            {active.locked && <Lock aria-label={t("profiles.readOnly")} size={11} />}{" "}
            {active.maskedSecretId ?? (active.role ? roleName(active.role.roleArn) : "—")}
          </div>
        )}
        <div
          className={`keyring-status ${keyring.data?.available ? "ok" : "bad"}`}
          data-testid="keyring-status"
          title={keyring.data?.message ?? undefined}
        >
          <span className="dot" aria-hidden />
          {keyring.data === undefined
            ? t("profiles.keyringChecking")
            : keyring.data.available
              ? t("profiles.keyringOk")
              : t("profiles.keyringUnavailable")}
        </div>
      </div>
    </div>
  );
}
