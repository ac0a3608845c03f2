// Esc closes the topmost open dialog. Dialogs register their close callback while they
// are open (`useDismissOnEscape`); a dialog that handles Esc itself needs none of this.
import { useEffect, useRef } from "react";

const stack: { current: () => void }[] = [];

/** Closes the most recently opened registered dialog; false when none is open. */
export function dismissTop(): boolean {
  const top = stack[stack.length - 1];
  if (!top) return false;
  top.current();
  return true;
}

/** While mounted (and `active`), Esc calls `onClose` unless a newer dialog is on top. */
export function useDismissOnEscape(onClose: () => void, active = true) {
  const ref = useRef(onClose);
  useEffect(() => {
    ref.current = onClose;
  });
  useEffect(() => {
    if (!active) return;
    const entry = { current: () => ref.current() };
    stack.push(entry);
    return () => {
      const i = stack.indexOf(entry);
      if (i >= 0) stack.splice(i, 1);
    };
  }, [active]);
}
