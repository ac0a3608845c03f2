import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Plus, RotateCw, SquareTerminal, X } from "lucide-react";
import { connectBackend } from "../../backend";
import { TerminalView } from "./TerminalView";
import { activateTab, removeTab, requestConnect, useConnectState } from "./store";
import "./connect.css";

/**
 * The terminal tabs. Mounted from the first session on and only hidden on other pages,
 * so a shell keeps running (and its scroll-back stays) while the user looks elsewhere.
 */
export function TerminalsPage(props: { visible: boolean }) {
  const { t } = useTranslation();
  const { tabs, active } = useConnectState();
  // Sessions that ended (exit status), so their tab says so.
  const [ended, setEnded] = useState<Record<string, number | null>>({});
  const close = (key: string) => {
    const tab = tabs.find((x) => x.key === key);
    if (tab && !(key in ended)) void connectBackend.closeSession(tab.sessionId).catch(() => null);
    removeTab(key);
  };

  return (
    <section
      className="page terminals-page"
      data-testid="terminals-page"
      hidden={!props.visible}
      aria-hidden={!props.visible}
    >
      <div className="terminal-tabs" role="tablist" aria-label={t("connect.title")}>
        {tabs.map((tab) => (
          <div
            key={tab.key}
            className="terminal-tab"
            role="tab"
            aria-selected={tab.key === active}
            data-testid={`terminal-tab-${tab.key}`}
            data-ended={tab.key in ended ? "true" : undefined}
          >
            <button
              type="button"
              className="terminal-tab-title"
              onClick={() => activateTab(tab.key)}
            >
              <SquareTerminal aria-hidden size={14} />
              <span>{tab.title}</span>
            </button>
            {tab.key in ended && (
              <button
                type="button"
                className="terminal-tab-icon"
                title={t("connect.again")}
                aria-label={t("connect.again")}
                data-testid={`terminal-again-${tab.key}`}
                onClick={() => requestConnect(tab.target)}
              >
                <RotateCw aria-hidden size={13} />
              </button>
            )}
            <button
              type="button"
              className="terminal-tab-icon"
              title={t("connect.closeTab")}
              aria-label={t("connect.closeTab")}
              data-testid={`terminal-close-${tab.key}`}
              onClick={() => close(tab.key)}
            >
              <X aria-hidden size={13} />
            </button>
          </div>
        ))}
        <button
          type="button"
          className="btn terminal-new"
          data-testid="connect-host"
          onClick={() => requestConnect({ kind: "host" })}
        >
          <Plus aria-hidden size={14} />
          {t("connect.toHost")}
        </button>
      </div>
      {tabs.length === 0 && (
        <div className="terminals-empty" data-testid="terminals-empty">
          <SquareTerminal aria-hidden size={28} />
          <p className="muted">{t("connect.empty")}</p>
          <button
            type="button"
            className="btn primary"
            data-testid="terminals-empty-connect-host"
            onClick={() => requestConnect({ kind: "host" })}
          >
            <Plus aria-hidden size={14} />
            {t("connect.toHost")}
          </button>
        </div>
      )}
      <div className="terminal-area">
        {tabs.map((tab) => (
          <TerminalView
            key={tab.key}
            tab={tab}
            visible={props.visible && tab.key === active}
            onEnded={(status) => setEnded((old) => ({ ...old, [tab.key]: status }))}
          />
        ))}
      </div>
      <p className="small muted terminal-hint">{t("connect.hint")}</p>
    </section>
  );
}
