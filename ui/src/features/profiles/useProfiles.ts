import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  type ProfileView,
  type ProfilesView,
  profilesBackend,
  takeBootProfiles,
} from "../../backend";

export const profilesKey = ["profiles"] as const;

/**
 * All profiles and the active one; the Sandbox is always among them. The first render
 * has them from the page's document when the backend put them there; they are fetched
 * over IPC at once all the same (the data counts as stale).
 */
export function useProfiles() {
  return useQuery({
    queryKey: profilesKey,
    queryFn: profilesBackend.listProfiles,
    initialData: takeBootProfiles,
    initialDataUpdatedAt: 0,
  });
}

/** The active profile, or undefined while loading. */
export function useActiveProfile(): ProfileView | undefined {
  const { data } = useProfiles();
  return data?.profiles.find((p) => p.id === data.active);
}

/** Switching profiles makes every per-profile query stale (they are keyed by profile id). */
export function useSetActiveProfile() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: profilesBackend.setActiveProfile,
    onSuccess: (view: ProfilesView) => qc.setQueryData(profilesKey, view),
  });
}
