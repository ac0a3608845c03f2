// The billing feature's dialogs in the detail view's slots (renew, convert to prepaid,
// auto-renewal) and "buy the same configuration", which opens the wizard prefilled.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { AutoRenewDialog, ConvertToPrepaidDialog, RenewDialog } from "../billing";
import { buyTheSame } from "../wizard/prefill";
import { Problem } from "../../components/Problem";
import type { BillingSlots, InstanceDialogProps } from "./slots";

function BuySame(p: InstanceDialogProps) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const { profileId, region, instanceId, onClose } = p;
  useEffect(() => {
    buyTheSame(profileId, region, instanceId).then(onClose, setError);
    // Once per opening.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return error === null ? null : (
    <div className="detail-buy-same" data-testid="detail-buySame-error">
      <Problem title={t("detail.action.buySame")} error={error} />
      <button type="button" className="btn" onClick={onClose}>
        {t("detail.close")}
      </button>
    </div>
  );
}

export const billingSlots: BillingSlots = {
  renew: (p) => (
    <RenewDialog
      profileId={p.profileId}
      region={p.region}
      instances={[p.instance.summary]}
      onClose={p.onClose}
    />
  ),
  toPrepaid: (p) => (
    <ConvertToPrepaidDialog
      profileId={p.profileId}
      region={p.region}
      instances={[p.instance.summary]}
      onClose={p.onClose}
    />
  ),
  autoRenew: (p) => (
    <AutoRenewDialog
      profileId={p.profileId}
      region={p.region}
      instances={[p.instance.summary]}
      onClose={p.onClose}
    />
  ),
  buySame: (p) => <BuySame {...p} />,
};
