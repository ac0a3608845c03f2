import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import {
  Activity,
  Boxes,
  Cloud,
  Info,
  KeyRound,
  MapPin,
  PlusCircle,
  Network,
  Server,
  Settings,
  SquareTerminal,
  Wallet,
} from "lucide-react";
import { ProfileSwitcher } from "../profiles/ProfileSwitcher";
import { SandboxBanner } from "../profiles/SandboxBanner";
import { useActiveProfile } from "../profiles/useProfiles";
import { ActivityIndicator } from "../activity/ActivityIndicator";
import { PendingLaunches } from "../wizard/PendingLaunches";
import { StartupNotices } from "./StartupNotices";
import type { Page } from "../palette/registry";
import { useConnectState } from "../connect/store";

export type { Page } from "../palette/registry";

const NAV: { page: Page; icon: typeof Server; label: string }[] = [
  { page: "instances", icon: Server, label: "nav.instances" },
  { page: "fleet", icon: Network, label: "nav.fleet" },
  { page: "resources", icon: Boxes, label: "resources.title" },
  { page: "create", icon: PlusCircle, label: "wizard.title" },
  { page: "cost", icon: Wallet, label: "cost.title" },
  { page: "terminals", icon: SquareTerminal, label: "connect.title" },
  { page: "activity", icon: Activity, label: "nav.activity" },
  { page: "profiles", icon: KeyRound, label: "nav.profiles" },
  { page: "settings", icon: Settings, label: "nav.settings" },
  { page: "overview", icon: Info, label: "nav.overview" },
];

export function Shell(props: { page: Page; onNavigate: (p: Page) => void; children: ReactNode }) {
  const { t } = useTranslation();
  // Listed from the first terminal on (the palette and Connect reach it before that).
  const terminals = useConnectState().tabs.length > 0 || props.page === "terminals";
  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand">
          <Cloud aria-hidden size={22} />
          <span data-testid="app-name">{t("app.name")}</span>
        </div>
        <div className="slots">
          <ProfileSwitcher />
          <div className="slot" data-testid="region-slot">
            <MapPin aria-hidden size={16} />
            <div>
              <div className="slot-label">{t("slot.region")}</div>
              <RegionSlotValue />
            </div>
          </div>
        </div>
        <nav aria-label={t("nav.label")}>
          {NAV.filter((n) => n.page !== "terminals" || terminals).map(
            ({ page, icon: Icon, label }) => (
              <button
                key={page}
                type="button"
                className="nav-item"
                data-testid={`nav-${page}`}
                aria-current={
                  props.page === page || (props.page === "detail" && page === "instances")
                    ? "page"
                    : undefined
                }
                onClick={() => props.onNavigate(page)}
              >
                <Icon aria-hidden size={16} />
                {t(label)}
              </button>
            ),
          )}
        </nav>
      </aside>
      <main className="main" data-testid="main">
        <SandboxBanner />
        <StartupNotices />
        <PendingLaunches />
        {props.children}
      </main>
      <StatusBar />
    </div>
  );
}

function StatusBar() {
  const { t } = useTranslation();
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span className="status-dot" aria-hidden />
      <span>{t("status.ready")}</span>
      <ActivityIndicator />
    </footer>
  );
}

/** The region the console shows for the active profile (its last choice, else its default). */
function RegionSlotValue() {
  const { t } = useTranslation();
  const profile = useActiveProfile();
  const region = profile ? (profile.lastRegion ?? profile.defaultRegion) : null;
  return region ? (
    <div className="slot-value mono" data-testid="region-slot-value">
      {region}
    </div>
  ) : (
    <div className="slot-value muted">{t("slot.noRegion")}</div>
  );
}
