import { useRef, useState, type ReactNode } from "react";
import { createPortal } from "react-dom";
import { useTranslation } from "react-i18next";
import { DialogButtons } from "./DialogButtons";
import { Modal } from "./Modal";
import "./ConfirmDialog.css";

/**
 * The app's own "Are you sure?": the only way a destructive or billable action is sent.
 * (The web view's `window.confirm` is not one: under the dialog plugin it returns a
 * Promise, which is always truthy.)
 *
 * Esc, Cancel and closing only close it (Esc only this one, not a dialog under it); nothing reaches the backend except through OK.
 * With `phrase`, OK stays disabled until exactly that text (trimmed) is typed, and
 * `onConfirm` receives what was typed so the caller can send it for the backend's own
 * check.
 */
export function ConfirmDialog(props: {
  title: string;
  /** What will happen, naming the resources and their billing. */
  children?: ReactNode;
  /** The OK button's label, naming the action ("Delete profile"). */
  confirmLabel: string;
  /** Red OK button: the action destroys something or cannot be undone. */
  danger?: boolean;
  /** Text the user must type before OK is enabled. */
  phrase?: string | null;
  /** Shown above the typed input; defaults to "Type … to confirm". */
  typedLabel?: string;
  /** A request is in flight: OK is disabled and says so. */
  busy?: boolean;
  /** Keeps OK disabled for a reason shown elsewhere in the body (e.g. a price loading). */
  disabled?: boolean;
  /** A failure to show inside the dialog (it stays open so the user can read it). */
  error?: ReactNode;
  /** Distinguishes the dialogs for tests: rendered as `data-kind`. */
  kind?: string;
  onCancel: () => void;
  /** `typed` is the trimmed text typed when `phrase` is set, else null. */
  onConfirm: (typed: string | null) => void;
}) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState("");
  const typedRef = useRef<HTMLInputElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const phrase = props.phrase ?? null;
  const matches = phrase === null || typed.trim() === phrase;
  const ready = matches && !props.busy && !props.disabled;

  const confirm = () => {
    if (ready) props.onConfirm(phrase === null ? null : typed.trim());
  };

  // In <body>, whatever opened it (a table row, another dialog). Focus starts on the typed
  // input, else on Cancel, so Enter never confirms by accident.
  return createPortal(
    <Modal
      title={props.title}
      testid="confirm-dialog"
      kind={props.kind}
      className="confirm-dialog"
      initialFocus={() => typedRef.current ?? cancelRef.current}
      onCancel={props.onCancel}
    >
      <div className="confirm-body">{props.children}</div>
      {phrase !== null && (
        <label className="field">
          <span>{props.typedLabel ?? t("confirm.typeToConfirm", { phrase })}</span>
          <input
            ref={typedRef}
            className="input mono"
            data-testid="confirm-typed"
            value={typed}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={typed !== "" && !matches}
            onChange={(e) => setTyped(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") confirm();
            }}
          />
        </label>
      )}
      {props.error}
      <DialogButtons
        cancelLabel={t("confirm.cancel")}
        cancelTestid="confirm-cancel"
        cancelRef={cancelRef}
        onCancel={props.onCancel}
        confirmLabel={props.busy ? t("confirm.working") : props.confirmLabel}
        confirmClass={props.danger ? "btn danger confirm-danger" : "btn primary"}
        confirmTestid="confirm-ok"
        disabled={!ready}
        onConfirm={confirm}
      />
    </Modal>,
    document.body,
  );
}
