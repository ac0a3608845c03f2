import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { ready } from "./i18n";
import "./styles.css";
import { applyTheme, markLinux, storedThemePreference } from "./theme";
import { App } from "./App";

applyTheme(storedThemePreference());
markLinux(document.documentElement, navigator.userAgent);

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

// Another language than English renders once its strings are loaded (never a mix). Not
// a top-level await: that would split the entry into many chunks, each with its own
// stylesheet linked ahead of the global one, and change the cascade.
void ready
  .catch(() => undefined)
  .then(() =>
    createRoot(root).render(
      <StrictMode>
        <App />
      </StrictMode>,
    ),
  );
