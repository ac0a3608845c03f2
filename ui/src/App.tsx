import { useState } from "react";
import { Shell, type Page } from "./features/shell/Shell";
import { AboutPage } from "./features/about/AboutPage";
import { SettingsPage } from "./features/settings/SettingsPage";

export function App() {
  const [page, setPage] = useState<Page>("overview");
  return (
    <Shell page={page} onNavigate={setPage}>
      {page === "overview" && <AboutPage />}
      {page === "settings" && <SettingsPage />}
    </Shell>
  );
}
