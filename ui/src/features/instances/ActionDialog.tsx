import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { InstanceView, StopType, StoppedMode } from "../../backend";
import { isPrepaid, type ActionKind } from "./states";

export type ActionParams =
  | { kind: "start" }
  | { kind: "stop"; stopType: StopType; stoppedMode: StoppedMode }
  | { kind: "reboot"; stopType: StopType }
  | { kind: "terminate" }
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

/** The confirmation phrase a terminate needs typed: the id for one, "terminate N" for more. */
export function terminatePhrase(instances: InstanceView[]): string | null {
  const needs = instances.length > 1 || instances.some(isPrepaid);
  if (!needs) return null;
  return instances.length === 1 ? (instances[0]?.id ?? "") : `terminate ${instances.length}`;
}

export function ActionDialog(props: {
  kind: Exclude<ActionKind, "start">;
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
  const phrase = props.kind === "terminate" ? terminatePhrase(props.instances) : null;
  const allPostpaid = props.instances.every((i) => i.chargeType === "POSTPAID_BY_HOUR");

  let ready = !props.busy;
  if (phrase !== null) ready &&= typed.trim() === phrase;
  if (props.kind === "rename") ready &&= name.trim().length > 0;
  if (props.kind === "resetPassword")
    ready &&= passwordLooksValid(password) && password === again && (!anyRunning || forceStop);

  const confirm = () => {
    switch (props.kind) {
      case "stop":
        return props.onConfirm({ kind: "stop", stopType, stoppedMode });
      case "reboot":
        return props.onConfirm({ kind: "reboot", stopType });
      case "terminate":
        return props.onConfirm({ kind: "terminate" });
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
    <div className="modal-backdrop">
      <div
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="action-dialog-title"
        data-testid={`dialog-${props.kind}`}
      >
        <h2 id="action-dialog-title">{actionLabel}</h2>
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

        <div className="dialog-buttons">
          <button type="button" className="button" onClick={props.onCancel}>
            {t("instances.dialog.cancel")}
          </button>
          <button
            type="button"
            className={`button ${props.kind === "terminate" ? "danger" : "primary"}`}
            data-testid="dialog-confirm"
            disabled={!ready}
            onClick={confirm}
          >
            {t("instances.dialog.confirm", {
              action: actionLabel,
              count: props.instances.length,
            })}
          </button>
        </div>
      </div>
    </div>
  );
}
