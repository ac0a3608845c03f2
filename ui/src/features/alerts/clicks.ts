// A click on an alert's desktop notification opens the instance (the backend has already
// brought the window forward).
import { alertsBackend } from "../../backend";
import { openDetail } from "../palette/registry";

let listening = false;

/** Registers once per page load; without the backend (component tests) it does nothing. */
export function listenForAlertClicks() {
  if (listening) return;
  listening = true;
  alertsBackend
    .onAlertClick((o) =>
      openDetail({ profileId: o.profileId, region: o.region, instanceId: o.instanceId }),
    )
    .catch(() => {
      listening = false;
    });
}
