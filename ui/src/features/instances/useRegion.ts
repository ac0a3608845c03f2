import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { type ProfileView, instancesBackend } from "../../backend";
import { profilesKey } from "../profiles/useProfiles";

/**
 * The region shown for the profile: the one picked in this session, else the last one
 * remembered for the profile, else its default region. Picking one remembers it.
 */
export function useRegion(profile: ProfileView | undefined) {
  const qc = useQueryClient();
  const [picked, setPicked] = useState<Record<string, string>>({});
  const region = profile
    ? (picked[profile.id] ?? profile.lastRegion ?? profile.defaultRegion)
    : null;
  const choose = (r: string) => {
    if (!profile) return;
    setPicked((p) => ({ ...p, [profile.id]: r }));
    instancesBackend.setLastRegion(profile.id, r).then(
      () => void qc.invalidateQueries({ queryKey: profilesKey }),
      () => undefined, // remembering is a convenience; the listing shows real errors
    );
  };
  return { region, choose };
}
