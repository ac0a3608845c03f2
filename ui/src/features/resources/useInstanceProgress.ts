import { useCallback, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { InstanceChange } from "../../backend";

/**
 * Follows one instance through the changes the backend streams after an action: the
 * states it passed, and the final change once it settled. Pass `onChange` to the action.
 */
export function useInstanceProgress(profileId: string) {
  const qc = useQueryClient();
  const [states, setStates] = useState<string[]>([]);
  const [settled, setSettled] = useState<InstanceChange | null>(null);
  const onChange = useCallback(
    (c: InstanceChange) => {
      const state = c.state;
      if (state) setStates((s) => (s[s.length - 1] === state ? s : [...s, state]));
      if (c.settled) {
        setSettled(c);
        void qc.invalidateQueries({ queryKey: ["instances", profileId] });
      }
    },
    [profileId, qc],
  );
  return { states, settled, onChange };
}
