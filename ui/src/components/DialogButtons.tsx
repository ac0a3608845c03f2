import type { ReactNode, Ref } from "react";

/**
 * A dialog's button row: Cancel, then the action that sends something (left out when
 * there is none, e.g. once a change went through). Classes and test ids come from the
 * dialog, whose look and tests they belong to.
 */
export function DialogButtons(props: {
  /** The row's class; `dialog-buttons` (components/Modal.css) unless a feature spaces it. */
  className?: string;
  cancelLabel: string;
  cancelClass?: string;
  cancelTestid: string;
  cancelRef?: Ref<HTMLButtonElement>;
  onCancel: () => void;
  confirmLabel?: ReactNode;
  confirmClass?: string;
  confirmTestid?: string;
  disabled?: boolean;
  onConfirm?: () => void;
}) {
  // The ref apart from the rest: React's lint reads any use of `props` as a ref read.
  const { cancelRef, ...p } = props;
  return (
    <div className={p.className ?? "dialog-buttons"}>
      <button
        ref={cancelRef}
        type="button"
        className={p.cancelClass ?? "btn"}
        data-testid={p.cancelTestid}
        onClick={p.onCancel}
      >
        {p.cancelLabel}
      </button>
      {p.onConfirm && (
        <button
          type="button"
          className={p.confirmClass ?? "btn primary"}
          data-testid={p.confirmTestid}
          disabled={p.disabled}
          onClick={p.onConfirm}
        >
          {p.confirmLabel}
        </button>
      )}
    </div>
  );
}
