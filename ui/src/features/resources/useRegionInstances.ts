import { useQuery } from "@tanstack/react-query";
import { instancesBackend } from "../../backend";
import type { Scope } from "./ResourcesPage";

/** The region's instances, for pickers (bind a group, associate an EIP, change a type). */
export function useRegionInstances(scope: Scope) {
  return useQuery({
    queryKey: ["instances", scope.profileId, scope.region, "all"],
    queryFn: () => instancesBackend.allInstances(scope.profileId, scope.region),
  });
}
