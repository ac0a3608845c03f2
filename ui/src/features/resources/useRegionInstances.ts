import { useQuery } from "@tanstack/react-query";
import { resourcesBackend } from "../../backend/resources";
import type { Scope } from "./ResourcesPage";

/** The region's instances, for pickers (bind a group, associate an EIP, change a type). */
export function useRegionInstances(scope: Scope) {
  return useQuery({
    queryKey: ["instances", scope.profileId, scope.region, "all"],
    queryFn: () => resourcesBackend.listInstances(scope.profileId, scope.region),
    select: (r) => r.instances,
  });
}
