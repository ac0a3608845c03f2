import { useId, useLayoutEffect, useRef, type KeyboardEvent, type ReactNode } from "react";
import { useDismissOnEscape } from "../features/palette/dismiss";
import "./Modal.css";

/**
 * The app's dialog frame: a native `<dialog>` opened with `showModal()`, so the browser
 * puts it in the top layer (above any dialog it was opened from) and makes the page
 * under it inert.
 *
 * Esc cancels only the topmost dialog: handled here when focus is inside (and kept from
 * the dialogs underneath and from the palette's global Esc), through the palette's
 * dismiss stack when focus is elsewhere, and through the native `cancel` event otherwise.
 * The dialog never closes itself: `onCancel` decides, and the caller unmounts it.
 * Focus moves in when it opens (to `initialFocus`, else where the browser puts it), stays
 * inside on Tab, and goes back where it was when it closes.
 */
export function Modal(props: {
  title: ReactNode;
  testid: string;
  /** Rendered as `data-kind`, to tell dialogs that share a testid apart. */
  kind?: string;
  /** Extra classes for the frame (its width, a feature's inner layout). */
  className?: string;
  /** Where focus starts; called once the content is in the DOM. */
  initialFocus?: () => HTMLElement | null | undefined;
  onCancel: () => void;
  children: ReactNode;
}) {
  const titleId = useId();
  const ref = useRef<HTMLDialogElement>(null);
  const onCancel = useRef(props.onCancel);
  const initialFocus = useRef(props.initialFocus);
  useLayoutEffect(() => {
    onCancel.current = props.onCancel;
    initialFocus.current = props.initialFocus;
  });
  useDismissOnEscape(props.onCancel);

  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const before = document.activeElement as HTMLElement | null;
    if (!dialog.open) dialog.showModal();
    (initialFocus.current?.() ?? null)?.focus();
    // Esc with nothing focused inside: the browser's own cancel, never its own close.
    const cancel = (e: Event) => {
      e.preventDefault();
      onCancel.current();
    };
    dialog.addEventListener("cancel", cancel);
    return () => {
      dialog.removeEventListener("cancel", cancel);
      if (dialog.open) dialog.close();
      if (before?.isConnected) before.focus?.();
    };
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDialogElement>) => {
    if (e.key === "Escape") {
      // Dialogs underneath close on Esc too: this one is on top, so only it closes.
      e.stopPropagation();
      if (!e.nativeEvent.defaultPrevented) props.onCancel();
      e.preventDefault();
      return;
    }
    if (e.key === "Tab") {
      // Focus stays inside while the dialog is open.
      const items = [
        ...(ref.current?.querySelectorAll<HTMLElement>(
          "button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [href]",
        ) ?? []),
      ];
      const first = items[0];
      const last = items[items.length - 1];
      if (!first || !last) return;
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    }
  };

  return (
    <dialog
      ref={ref}
      className={props.className ? `modal ${props.className}` : "modal"}
      // Implied by <dialog>; written out for tools that read the attributes.
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      tabIndex={-1}
      data-testid={props.testid}
      data-kind={props.kind}
      onKeyDown={onKeyDown}
    >
      <h2 id={titleId}>{props.title}</h2>
      {props.children}
    </dialog>
  );
}
