import { lazy, Suspense, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { apiLanguage, appBackend } from "../../backend";
import { currentPageCommands } from "./registry";
import { dismissTop } from "./dismiss";
// Eager, as the rest of the app's styles: a stylesheet loading later would come after
// them in the cascade and win where rules tie.
import "./palette.css";

// The dialog (cmdk and its dependencies) is not part of the first screen: it loads on
// the first Ctrl/Cmd+K, or shortly after start-up, whichever comes first.
const loadDialog = () => import("./PaletteDialog");
const PaletteDialog = lazy(loadDialog);
/** After this long the dialog's code is fetched ahead of the first Ctrl/Cmd+K. */
const PREFETCH_MS = 2000;

const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);
const MOD = isMac ? "⌘" : "Ctrl";

/** The shortcuts, as shown in the palette. */
export const SHORTCUTS = {
  palette: [`${MOD}+K`],
  refresh: ["F5", `${MOD}+R`],
  search: [`${MOD}+F`, "/"],
  close: ["Esc"],
} as const;

function editable(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  return (
    el.isContentEditable ||
    el.tagName === "INPUT" ||
    el.tagName === "TEXTAREA" ||
    el.tagName === "SELECT"
  );
}

/**
 * What a key press means for the app, or null. Kept pure for the tests. F5 / Ctrl+R are
 * the app's own refresh: the web view must never reload (it would drop the page state).
 */
export function shortcutFor(
  e: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey" | "shiftKey" | "target">,
): "palette" | "refresh" | "search" | "escape" | null {
  // A terminal keeps every key (Ctrl+R, Ctrl+F, Ctrl+K and Esc mean something to a shell).
  if (e.target instanceof Element && e.target.closest(".xterm")) return null;
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (mod && !e.altKey && key === "k") return "palette";
  if (key === "F5" || (mod && !e.altKey && key === "r")) return "refresh";
  if (mod && !e.altKey && !e.shiftKey && key === "f") return "search";
  if (key === "/" && !mod && !e.altKey && !editable(e.target)) return "search";
  if (key === "Escape") return "escape";
  return null;
}

/** Instances matching the typed text (name or id), at most `limit`. */
export function matchInstances<T extends { id: string; name: string }>(
  rows: readonly T[],
  text: string,
  limit = 30,
): T[] {
  const q = text.trim().toLowerCase();
  if (q.length < 2) return [];
  const out: T[] = [];
  for (const r of rows) {
    if (r.id.includes(q) || r.name.toLowerCase().includes(q)) {
      out.push(r);
      if (out.length >= limit) break;
    }
  }
  return out;
}

/**
 * The command palette (Ctrl/Cmd+K) and the app's keyboard shortcuts: F5 / Ctrl+R refresh
 * the page, Ctrl+F and / focus its search, Esc closes the topmost dialog.
 */
export function Palette() {
  const { i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const [opened, setOpened] = useState(false);
  const [search, setSearch] = useState("");
  const lang = apiLanguage(i18n.language);

  useEffect(() => {
    const id = setTimeout(() => void loadDialog().catch(() => undefined), PREFETCH_MS);
    return () => clearTimeout(id);
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const s = shortcutFor(e);
      if (!s) return;
      if (s === "palette") {
        e.preventDefault();
        setOpen((o) => !o);
        setOpened(true);
        setSearch("");
        return;
      }
      if (s === "escape") {
        // The palette closes itself; other dialogs registered to close on Esc.
        if (!open && dismissTop()) e.preventDefault();
        return;
      }
      if (open) return;
      const c = currentPageCommands();
      if (s === "refresh") {
        e.preventDefault();
        c.refresh?.();
      } else if (s === "search" && c.focusSearch) {
        e.preventDefault();
        c.focusSearch();
      }
    };
    // Capture phase: before the web view's own handling of F5 / Ctrl+R / Ctrl+F.
    window.addEventListener("keydown", onKey, true);
    return () => window.removeEventListener("keydown", onKey, true);
  }, [open]);

  // Desktop notifications are written by the backend: tell it the UI's language.
  useEffect(() => {
    appBackend.setUiLanguage(lang).catch(() => undefined);
  }, [lang]);

  const changeOpen = (o: boolean) => {
    setOpen(o);
    setSearch("");
  };

  if (!opened) return null;
  return (
    <Suspense fallback={null}>
      <PaletteDialog open={open} search={search} onSearch={setSearch} onOpenChange={changeOpen} />
    </Suspense>
  );
}
