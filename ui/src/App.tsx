import { lazy, Suspense, useEffect, useState } from "react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { Shell } from "./features/shell/Shell";
import { InstancesPage } from "./features/instances/InstancesPage";
import { onOpenWizard } from "./features/wizard/prefill";
import { Palette } from "./features/palette/Palette";
import { navigate, useNavigation } from "./features/palette/registry";
import { listenForAlertClicks } from "./features/alerts/clicks";
import { useConnectState } from "./features/connect/store";

// The first screen (the instance list) is in the main bundle; every other page loads on
// first visit, so a cold start parses and runs only what it shows.
const DetailPage = lazy(() =>
  import("./features/detail/DetailPage").then((m) => ({ default: m.DetailPage })),
);
const FleetPage = lazy(() =>
  import("./features/fleet/FleetPage").then((m) => ({ default: m.FleetPage })),
);
const CostPage = lazy(() =>
  import("./features/cost/CostPage").then((m) => ({ default: m.CostPage })),
);
const WizardPage = lazy(() =>
  import("./features/wizard/WizardPage").then((m) => ({ default: m.WizardPage })),
);
const SettingsPage = lazy(() =>
  import("./features/settings/SettingsPage").then((m) => ({ default: m.SettingsPage })),
);
const ResourcesPage = lazy(() =>
  import("./features/resources/ResourcesPage").then((m) => ({ default: m.ResourcesPage })),
);
const ProfilesPage = lazy(() =>
  import("./features/profiles/ProfilesPage").then((m) => ({ default: m.ProfilesPage })),
);
const ActivityPage = lazy(() =>
  import("./features/activity/ActivityPage").then((m) => ({ default: m.ActivityPage })),
);
const TerminalsPage = lazy(() =>
  import("./features/connect/TerminalsPage").then((m) => ({ default: m.TerminalsPage })),
);
const ConnectHost = lazy(() =>
  import("./features/connect/ConnectDialog").then((m) => ({ default: m.ConnectHost })),
);
const AboutPage = lazy(() =>
  import("./features/about/AboutPage").then((m) => ({ default: m.AboutPage })),
);

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
  const connect = useConnectState();
  // Terminals stay mounted (hidden) from the first tab on: their shells keep running.
  const terminals = page === "terminals" || connect.tabs.length > 0;
  // "Buy the same" and "Create from template" open the wizard from anywhere.
  useEffect(() => onOpenWizard(() => navigate("create")), []);
  // A click on an alert's desktop notification opens its instance.
  useEffect(listenForAlertClicks, []);
  return (
    <Shell page={page} onNavigate={navigate}>
      <Palette />
      {page === "instances" && <InstancesPage />}
      <Suspense fallback={null}>
        {page === "fleet" && <FleetPage />}
        {page === "create" && <WizardPage />}
        {page === "cost" && <CostPage />}
        {page === "resources" && <ResourcesPage />}
        {page === "activity" && <ActivityPage />}
        {page === "profiles" && <ProfilesPage />}
        {page === "settings" && <SettingsPage />}
        {page === "overview" && <AboutPage />}
        {page === "detail" && <DetailPage target={detail} />}
        {terminals && <TerminalsPage visible={page === "terminals"} />}
        {connect.request && <ConnectHost target={connect.request} />}
      </Suspense>
    </Shell>
  );
}
