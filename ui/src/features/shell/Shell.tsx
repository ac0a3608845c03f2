import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Cloud, LayoutDashboard, MapPin, Settings, UserRound } from "lucide-react";

export type Page = "overview" | "settings";

const NAV: { page: Page; icon: typeof LayoutDashboard; label: string }[] = [
  { page: "overview", icon: LayoutDashboard, label: "nav.overview" },
  { page: "settings", icon: Settings, label: "nav.settings" },
];

export function Shell(props: { page: Page; onNavigate: (p: Page) => void; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand">
          <Cloud aria-hidden size={22} />
          <span data-testid="app-name">{t("app.name")}</span>
        </div>
        <div className="slots">
          <div className="slot" data-testid="profile-slot">
            <UserRound aria-hidden size={16} />
            <div>
              <div className="slot-label">{t("slot.profile")}</div>
              <div className="slot-value muted">{t("slot.noProfile")}</div>
            </div>
          </div>
          <div className="slot" data-testid="region-slot">
            <MapPin aria-hidden size={16} />
            <div>
              <div className="slot-label">{t("slot.region")}</div>
              <div className="slot-value muted">{t("slot.noRegion")}</div>
            </div>
          </div>
        </div>
        <nav aria-label={t("nav.label")}>
          {NAV.map(({ page, icon: Icon, label }) => (
            <button
              key={page}
              type="button"
              className="nav-item"
              data-testid={`nav-${page}`}
              aria-current={props.page === page ? "page" : undefined}
              onClick={() => props.onNavigate(page)}
            >
              <Icon aria-hidden size={16} />
              {t(label)}
            </button>
          ))}
        </nav>
      </aside>
      <main className="main" data-testid="main">
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
    </footer>
  );
}
