import { useEffect, useState } from "react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { Shell } from "./features/shell/Shell";
import { AboutPage } from "./features/about/AboutPage";
import { ActivityPage } from "./features/activity/ActivityPage";
import { InstancesPage } from "./features/instances/InstancesPage";
import { ProfilesPage } from "./features/profiles/ProfilesPage";
import { ResourcesPage } from "./features/resources/ResourcesPage";
import { SettingsPage } from "./features/settings/SettingsPage";
import { WizardPage } from "./features/wizard/WizardPage";
import { onOpenWizard } from "./features/wizard/prefill";
import { CostPage } from "./features/cost/CostPage";
import { DetailPage } from "./features/detail/DetailPage";
import { Palette } from "./features/palette/Palette";
import { navigate, useNavigation } from "./features/palette/registry";

// The backend owns retries (within the rate budget): the UI never retries on its own.
function newQueryClient() {
  return new QueryClient({
    defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } },
  });
}

export function App() {
  const [queryClient] = useState(newQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <Pages />
    </QueryClientProvider>
  );
}

function Pages() {
  const { page, detail } = useNavigation();
  // "Buy the same" and "Create from template" open the wizard from anywhere.
  useEffect(() => onOpenWizard(() => navigate("create")), []);
  return (
    <Shell page={page} onNavigate={navigate}>
      <Palette />
      {page === "instances" && <InstancesPage />}
      {page === "create" && <WizardPage />}
      {page === "cost" && <CostPage />}
      {page === "resources" && <ResourcesPage />}
      {page === "activity" && <ActivityPage />}
      {page === "profiles" && <ProfilesPage />}
      {page === "settings" && <SettingsPage />}
      {page === "overview" && <AboutPage />}
      {page === "detail" && <DetailPage target={detail} />}
    </Shell>
  );
}
