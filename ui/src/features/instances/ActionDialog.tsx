import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "@tanstack/react-query";
import {
  type Consent,
  type InstanceView,
  type RefundView,
  type StopType,
  type StoppedMode,
  instancesBackend,
} from "../../backend";
import { byPlace, isPrepaid, type ActionKind } from "./states";
import { Modal } from "../../components/Modal";
import { Problem } from "../../components/Problem";
import "../../components/ConfirmDialog.css";
import { DialogButtons } from "../../components/DialogButtons";

/**
 * What the dialog confirmed. Stop, reboot and terminate carry the consent the backend checks
 * again: every instance the dialog named (all regions; terminate: only those it will send),
 * the modes it showed and, for terminate, what was typed.
 */
export type ActionParams =
  | { kind: "start" }
  | { kind: "stop"; stopType: StopType; stoppedMode: StoppedMode; consent: Consent }
  | { kind: "reboot"; stopType: StopType; consent: Consent }
  | { kind: "terminate"; releaseAddress: boolean; consent: Consent }
  | { kind: "rename"; name: string }
  | { kind: "resetPassword"; password: string; userName: string | null; forceStop: boolean };

const SPECIALS = "()`~!@#$%^&*-+=_|{}[]:;'<>,.?/";

/** Quick feedback only: the backend checks the same rules before anything is sent. */
export function passwordLooksValid(p: string): boolean {
  if (p.length < 8 || p.length > 30 || p.startsWith("/")) return false;
  if ([...p].some((c) => !/[A-Za-z0-9]/.test(c) && !SPECIALS.includes(c))) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(p)).length;
  return classes + ([...p].some((c) => SPECIALS.includes(c)) ? 1 : 0) >= 3;
}

/**
 * The phrase every terminate needs typed (the backend checks it again): the instance's id
 * when one is sent, "terminate N" for N. `instances` are the ones sent (protected excluded).
 */
export function terminatePhrase(instances: InstanceView[]): string {
  return instances.length === 1 ? (instances[0]?.id ?? "") : `terminate ${instances.length}`;
}

/** Refunds of the prepaid instances among `instances` (one quote per account and region). */
async function quoteAll(instances: InstanceView[]): Promise<RefundView[]> {
  const out: RefundView[] = [];
  for (const { profileId, region, rows } of byPlace(instances)) {
    const q = await instancesBackend.terminateQuote(
      profileId,
      region,
      rows.map((i) => i.id),
    );
    out.push(...q.refunds);
  }
  return out;
}

export function ActionDialog(props: {
  kind: Exclude<ActionKind, "start">;
  /** The account's currency for refunds. */
  currency: string;
  instances: InstanceView[];
  busy: boolean;
  onCancel: () => void;
  onConfirm: (p: ActionParams) => void;
}) {
  const { t } = useTranslation();
  const [stopType, setStopType] = useState<StopType>("SOFT");
  const [stoppedMode, setStoppedMode] = useState<StoppedMode>("KEEP_CHARGING");
  const [typed, setTyped] = useState("");
  const [name, setName] = useState(props.instances[0]?.name ?? "");
  const [password, setPassword] = useState("");
  const [again, setAgain] = useState("");
  const [userName, setUserName] = useState("");
  const anyRunning = props.instances.some((i) => i.state === "RUNNING");
  const [forceStop, setForceStop] = useState(false);
  const [releaseAddress, setReleaseAddress] = useState(false);
  const protectedOnes = props.instances.filter((i) => i.disableApiTermination);
  const sendable = props.instances.filter((i) => !i.disableApiTermination);
  const phrase = props.kind === "terminate" ? terminatePhrase(sendable) : null;
  const refundable = sendable.filter(
    (i) => isPrepaid(i) && (i.state === "RUNNING" || i.state === "STOPPED"),
  );
  const quote = useQuery({
    queryKey: ["terminate-quote", refundable.map((i) => `${i.profileId}/${i.id}`).join(",")],
    queryFn: () => quoteAll(refundable),
    enabled: props.kind === "terminate" && refundable.length > 0,
    retry: false,
  });
  const refunds = new Map((quote.data ?? []).map((r) => [r.instanceId, r]));
  const allPostpaid = props.instances.every((i) => i.chargeType === "POSTPAID_BY_HOUR");

  let ready = !props.busy;
  if (props.kind === "terminate") ready &&= sendable.length > 0;
  if (phrase !== null) ready &&= typed.trim() === phrase;
  if (props.kind === "rename") ready &&= name.trim().length > 0;
  if (props.kind === "resetPassword")
    ready &&= passwordLooksValid(password) && password === again && (!anyRunning || forceStop);

  const confirm = () => {
    const named = props.instances.map((i) => i.id);
    switch (props.kind) {
      case "stop":
        return props.onConfirm({
          kind: "stop",
          stopType,
          stoppedMode,
          consent: { instanceIds: named, typed: null, stopType, stoppedMode },
        });
      case "reboot":
        return props.onConfirm({
          kind: "reboot",
          stopType,
          consent: { instanceIds: named, typed: null, stopType, stoppedMode: null },
        });
      case "terminate":
        return props.onConfirm({
          kind: "terminate",
          releaseAddress,
          consent: {
            instanceIds: sendable.map((i) => i.id),
            typed: typed.trim(),
            stopType: null,
            stoppedMode: null,
          },
        });
      case "rename":
        return props.onConfirm({ kind: "rename", name: name.trim() });
      case "resetPassword":
        return props.onConfirm({
          kind: "resetPassword",
          password,
          userName: userName.trim() || null,
          forceStop,
        });
    }
  };

  const actionLabel = t(`instances.action.${props.kind}`);
  return (
    <Modal title={actionLabel} testid={`dialog-${props.kind}`} onCancel={props.onCancel}>
      <div className="dialog-instances">
        <div className="small muted">{t("instances.dialog.instances")}</div>
        <ul data-testid="dialog-instances">
          {props.instances.map((i) => (
            <li key={i.id}>
              <span className="strong">{i.name || "—"}</span>{" "}
              <span className="mono small">{i.id}</span>{" "}
              <span className={`charge${isPrepaid(i) ? " charge-prepaid" : ""}`}>
                {t(`instances.charge.${i.chargeType}`, { defaultValue: i.chargeType })}
              </span>
              {props.kind === "terminate" && i.disableApiTermination && (
                <span className="badge tone-bad" data-testid={`protected-${i.id}`}>
                  {t("instances.dialog.protectedBadge")}
                </span>
              )}
              {props.kind === "terminate" && refunds.has(i.id) && (
                <span className="small refund" data-testid={`refund-${i.id}`}>
                  {t("instances.dialog.refund", {
                    amount: (refunds.get(i.id)?.refund ?? 0).toFixed(2),
                    currency: props.currency,
                  })}
                </span>
              )}
            </li>
          ))}
        </ul>
      </div>

      {(props.kind === "stop" || props.kind === "reboot") && (
        <fieldset>
          <legend>{t("instances.dialog.stopType")}</legend>
          {(["SOFT", "SOFT_FIRST", "HARD"] as StopType[]).map((s) => (
            <label key={s} className="radio">
              <input
                type="radio"
                name="stopType"
                value={s}
                data-testid={`stop-type-${s}`}
                checked={stopType === s}
                onChange={() => setStopType(s)}
              />
              {t(`instances.dialog.stopTypes.${s}`)}
            </label>
          ))}
        </fieldset>
      )}
      {props.kind === "stop" && (
        <fieldset>
          <legend>{t("instances.dialog.stoppedMode")}</legend>
          {(["KEEP_CHARGING", "STOP_CHARGING"] as StoppedMode[]).map((m) => (
            <label key={m} className="radio">
              <input
                type="radio"
                name="stoppedMode"
                value={m}
                data-testid={`stopped-mode-${m}`}
                checked={stoppedMode === m}
                disabled={m === "STOP_CHARGING" && !allPostpaid}
                onChange={() => setStoppedMode(m)}
              />
              {t(`instances.dialog.stoppedModes.${m}`)}
            </label>
          ))}
        </fieldset>
      )}
      {props.kind === "terminate" && (
        <>
          <p className="warning" data-testid="terminate-warning">
            {t("instances.dialog.terminateWarning")}
          </p>
          {sendable.some(isPrepaid) && (
            <p className="small" data-testid="terminate-recycle-note">
              {t("instances.dialog.recycleBin")}
            </p>
          )}
          {protectedOnes.length > 0 && (
            <p className="small warning" data-testid="terminate-protected-note">
              {t("instances.dialog.protected", { count: protectedOnes.length })}
            </p>
          )}
          {quote.isFetching && (
            <p className="small muted" data-testid="refund-loading">
              {t("instances.dialog.refundLoading")}
            </p>
          )}
          {quote.error && (
            <Problem
              title={t("instances.dialog.refundFailed")}
              error={quote.error}
              testid="refund-error"
            />
          )}
          <label className="radio">
            <input
              type="checkbox"
              data-testid="release-eip"
              checked={releaseAddress}
              onChange={(e) => setReleaseAddress(e.target.checked)}
            />
            {t("instances.dialog.releaseEip")}
          </label>
          {phrase !== null && (
            <label className="field">
              <span>{t("instances.dialog.typeToConfirm", { phrase })}</span>
              <input
                className="input mono"
                data-testid="terminate-confirm-input"
                value={typed}
                autoComplete="off"
                onChange={(e) => setTyped(e.target.value)}
              />
            </label>
          )}
        </>
      )}
      {props.kind === "rename" && (
        <label className="field">
          <span>{t("instances.dialog.newName")}</span>
          <input
            className="input"
            data-testid="rename-input"
            value={name}
            maxLength={128}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
      )}
      {props.kind === "resetPassword" && (
        <>
          <label className="field">
            <span>{t("instances.dialog.password")}</span>
            <input
              className="input"
              type="password"
              autoComplete="new-password"
              data-testid="password-input"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
          <label className="field">
            <span>{t("instances.dialog.passwordAgain")}</span>
            <input
              className="input"
              type="password"
              autoComplete="new-password"
              data-testid="password-again-input"
              value={again}
              onChange={(e) => setAgain(e.target.value)}
            />
          </label>
          <p className="small muted">{t("instances.dialog.passwordRules")}</p>
          {again !== "" && again !== password && (
            <p className="field-error">{t("instances.dialog.passwordMismatch")}</p>
          )}
          <label className="field">
            <span>{t("instances.dialog.userName")}</span>
            <input
              className="input"
              data-testid="user-name-input"
              value={userName}
              onChange={(e) => setUserName(e.target.value)}
            />
          </label>
          <label className="radio">
            <input
              type="checkbox"
              data-testid="force-stop"
              checked={forceStop}
              onChange={(e) => setForceStop(e.target.checked)}
            />
            {t("instances.dialog.forceStop")}
          </label>
          {anyRunning && !forceStop && (
            <p className="small warning">{t("instances.dialog.forceStopNeeded")}</p>
          )}
        </>
      )}

      <DialogButtons
        cancelLabel={t("instances.dialog.cancel")}
        cancelClass="button"
        cancelTestid="dialog-cancel"
        onCancel={props.onCancel}
        confirmLabel={t("instances.dialog.confirm", {
          action: actionLabel,
          count: props.kind === "terminate" ? sendable.length : props.instances.length,
        })}
        confirmClass={`button ${props.kind === "terminate" ? "danger" : "primary"}`}
        confirmTestid="dialog-confirm"
        disabled={!ready}
        onConfirm={confirm}
      />
    </Modal>
  );
}
