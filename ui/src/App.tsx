import { useState } from "react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { Shell, type Page } from "./features/shell/Shell";
import { AboutPage } from "./features/about/AboutPage";
import { ActivityPage } from "./features/activity/ActivityPage";
import { InstancesPage } from "./features/instances/InstancesPage";
import { ProfilesPage } from "./features/profiles/ProfilesPage";
import { ResourcesPage } from "./features/resources/ResourcesPage";
import { SettingsPage } from "./features/settings/SettingsPage";
import { WizardPage } from "./features/wizard/WizardPage";

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
  const [page, setPage] = useState<Page>("instances");
  return (
    <Shell page={page} onNavigate={setPage}>
      {page === "instances" && <InstancesPage />}
      {page === "create" && <WizardPage />}
      {page === "resources" && <ResourcesPage />}
      {page === "activity" && <ActivityPage />}
      {page === "profiles" && <ProfilesPage />}
      {page === "settings" && <SettingsPage />}
      {page === "overview" && <AboutPage />}
    </Shell>
  );
}
