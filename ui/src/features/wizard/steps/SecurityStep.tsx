// Wizard step "Security": security groups, how to log in (key pair or password), hostname.
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "@tanstack/react-query";
import { wizardBackend } from "../../../backend";
import { type StepProps, FieldError } from "./shared";

export function SecurityStep({ form, profileId, region }: StepProps) {
  const { t } = useTranslation();
  const [zone, loginKind, sgs, windows] = form.watch([
    "zone",
    "loginKind",
    "securityGroupIds",
    "imageWindows",
  ]);
  const nets = useQuery({
    queryKey: ["wizard", "networks", profileId, region, zone],
    queryFn: () => wizardBackend.networks(profileId, region, zone),
    enabled: !!zone,
  });
  const keys = useQuery({
    queryKey: ["wizard", "keyPairs", profileId, region],
    queryFn: () => wizardBackend.keyPairs(profileId, region),
  });
  useEffect(() => {
    const d = nets.data;
    if (d && sgs.length === 0) {
      const def = d.securityGroups.find((g) => g.isDefault);
      if (def) form.setValue("securityGroupIds", [def.securityGroupId]);
    }
  }, [nets.data, sgs.length, form]);
  return (
    <div className="wz-fields">
      <span className="wz-label">{t("wizard.securityGroups")}</span>
      <div>
        <div className="wz-choices">
          {nets.data?.securityGroups.map((g) => (
            <label key={g.securityGroupId} className="wz-choice">
              <input
                type="checkbox"
                value={g.securityGroupId}
                {...form.register("securityGroupIds")}
              />
              <span>
                <strong>{g.name}</strong>
                <span className="muted small mono">{g.securityGroupId}</span>
              </span>
            </label>
          ))}
        </div>
        <FieldError form={form} name="securityGroupIds" />
      </div>
      <span className="wz-label">{t("wizard.login")}</span>
      <div className="wz-choices">
        <label className="wz-choice">
          <input
            type="radio"
            value="password"
            data-testid="wz-login-password"
            {...form.register("loginKind")}
          />
          {t("wizard.loginPassword")}
        </label>
        <label className="wz-choice">
          <input type="radio" value="keyPair" disabled={windows} {...form.register("loginKind")} />
          {t("wizard.loginKey")}
        </label>
        <label className="wz-choice">
          <input type="radio" value="keepImageLogin" {...form.register("loginKind")} />
          {t("wizard.loginKeep")}
        </label>
      </div>
      {loginKind === "password" && (
        <>
          <label htmlFor="wz-password">{t("wizard.password")}</label>
          <div>
            <input
              id="wz-password"
              type="password"
              autoComplete="new-password"
              data-testid="wz-password"
              {...form.register("password")}
            />
            <div className="muted small">
              {t(windows ? "wizard.passwordRulesWindows" : "wizard.passwordRules")}
            </div>
            <FieldError form={form} name="password" />
          </div>
        </>
      )}
      {loginKind === "keyPair" && (
        <>
          <span className="wz-label">{t("wizard.keyPairs")}</span>
          <div>
            {keys.data?.length === 0 && <p className="muted">{t("wizard.noKeys")}</p>}
            {keys.data?.map((k) => (
              <label key={k.keyId} className="wz-check">
                <input type="checkbox" value={k.keyId} {...form.register("keyIds")} />
                {k.name} <span className="mono small">{k.keyId}</span>
              </label>
            ))}
            <FieldError form={form} name="keyIds" />
          </div>
        </>
      )}
      <label htmlFor="wz-hostname">{t("wizard.hostName")}</label>
      <div>
        <input id="wz-hostname" placeholder={t("wizard.optional")} {...form.register("hostName")} />
        <FieldError form={form} name="hostName" />
      </div>
    </div>
  );
}
