// Local alert rules, the alerts firing now, and clicks on their desktop notifications.
import { commands } from "./bindings";
import type { ActiveAlert, AlertOpen, AlertRule, AlertRuleDraft } from "./bindings";
import { channel, unwrap } from "./ipc";

export const alertsBackend = {
  listAlertRules: (): Promise<AlertRule[]> => unwrap(commands.listAlertRules()),
  /** Refused naming the field (threshold, minutes, days, target, regions); nothing saved. */
  saveAlertRule: (draft: AlertRuleDraft): Promise<AlertRule> =>
    unwrap(commands.saveAlertRule(draft)),
  /** `confirm`: the id, passed only from the removal dialog's OK (the backend checks it). */
  deleteAlertRule: (id: string, confirm: string): Promise<null> =>
    unwrap(commands.deleteAlertRule(id, confirm)),
  firingAlerts: (): Promise<ActiveAlert[]> => unwrap(commands.firingAlerts()),
  /** `onOpen` runs for each click on an alert's notification. */
  onAlertClick: (onOpen: (o: AlertOpen) => void): Promise<null> =>
    unwrap(commands.alertClicks(channel(onOpen))),
};
