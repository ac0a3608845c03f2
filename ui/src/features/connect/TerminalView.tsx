import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { Terminal, type ITheme } from "@xterm/xterm";
import { FitAddon } from "@xterm/addon-fit";
import "@xterm/xterm/css/xterm.css";
import { appBackend, connectBackend } from "../../backend";
import type { TerminalTab } from "./store";

/** The terminal's colours from the app's own (light or dark, as the page shows). */
function themeNow(): ITheme {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    background: v("--surface", "#ffffff"),
    foreground: v("--text", "#1b2430"),
    cursor: v("--accent", "#1e6bff"),
    cursorAccent: v("--surface", "#ffffff"),
    selectionBackground: v("--accent-weak", "#e3ecff"),
    selectionForeground: v("--text", "#1b2430"),
  };
}

/**
 * xterm styles its rows (monospace font, cell size, colours, cursor, selection) through
 * <style> elements it writes at run time, which the app's CSP (`style-src 'self'`) blocks.
 * Their text is mirrored into constructable style sheets, which CSP does not govern, and
 * kept in step as xterm rewrites them (theme, font, size).
 */
function mirrorInlineStyles(host: HTMLElement): () => void {
  const sheets = new Map<HTMLStyleElement, CSSStyleSheet>();
  const made = new Set<CSSStyleSheet>();
  const sync = () => {
    const present = new Set(host.querySelectorAll("style"));
    for (const el of sheets.keys()) if (!present.has(el)) sheets.delete(el);
    for (const el of present) {
      let sheet = sheets.get(el);
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheets.set(el, sheet);
        made.add(sheet);
      }
      sheet.replaceSync(el.textContent ?? "");
    }
    const live = new Set(sheets.values());
    document.adoptedStyleSheets = [
      ...document.adoptedStyleSheets.filter((s) => !made.has(s)),
      ...live,
    ];
  };
  sync();
  const observer = new MutationObserver(sync);
  observer.observe(host, { childList: true, subtree: true, characterData: true });
  return () => {
    observer.disconnect();
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => !made.has(s));
  };
}

/**
 * Sends typed text in order: one call in flight at a time, what is typed meanwhile going
 * in the next (separate calls could overtake one another).
 */
function inputQueue(sessionId: string, onError: (e: unknown) => void) {
  let pending = "";
  let busy = false;
  const pump = async () => {
    busy = true;
    while (pending) {
      const data = pending;
      pending = "";
      try {
        await connectBackend.sessionInput(sessionId, data);
      } catch (e) {
        onError(e);
        pending = "";
      }
    }
    busy = false;
  };
  return (data: string) => {
    pending += data;
    if (!busy) void pump();
  };
}

/**
 * One session's terminal: output from its sink, keys and pastes to the session, the size
 * following the element. Ctrl+Shift+C copies the selection; Ctrl+Shift+V and the
 * browser's paste go in as typed text; 10 000 lines of scroll-back.
 */
export function TerminalView(props: {
  tab: TerminalTab;
  visible: boolean;
  onEnded: (exitStatus: number | null) => void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const fitRef = useRef<FitAddon | null>(null);
  const termRef = useRef<Terminal | null>(null);
  const endedRef = useRef(props.onEnded);
  const endedText = useRef("");
  const ended = t("connect.ended");
  useEffect(() => {
    endedRef.current = props.onEnded;
    endedText.current = ended;
  });
  const { sessionId, sink } = props.tab;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const term = new Terminal({
      scrollback: 10_000,
      cursorBlink: true,
      fontSize: 13,
      fontFamily: '"DejaVu Sans Mono", "Noto Sans Mono", Menlo, Consolas, monospace',
      theme: themeNow(),
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(el);
    const unmirror = mirrorInlineStyles(el);
    termRef.current = term;
    fitRef.current = fit;
    let over = false;
    const send = inputQueue(sessionId, () => undefined);
    term.attachCustomKeyEventHandler((e) => {
      if (e.type !== "keydown" || !e.ctrlKey || !e.shiftKey) return true;
      if (e.code === "KeyC") {
        const sel = term.getSelection();
        if (sel) void appBackend.copyText(sel).catch(() => undefined);
        return false;
      }
      // Left to the web view, whose paste event the terminal turns into input.
      return e.code !== "KeyV";
    });
    const subs = [
      term.onData((d) => {
        if (!over) send(d);
      }),
      term.onResize(({ cols, rows }) => {
        if (!over) void connectBackend.resizeSession(sessionId, cols, rows).catch(() => undefined);
      }),
    ];
    const detach = sink.attach((e) => {
      if (e instanceof ArrayBuffer) {
        term.write(new Uint8Array(e));
      } else {
        over = true;
        term.write(`\r\n\x1b[2m${endedText.current}\x1b[0m\r\n`);
        endedRef.current(e.exitStatus);
      }
    });
    // Light/dark may change while the tab is open.
    const scheme = window.matchMedia?.("(prefers-color-scheme: dark)");
    const retheme = () => {
      term.options.theme = themeNow();
    };
    scheme?.addEventListener?.("change", retheme);
    const themeObserver = new MutationObserver(retheme);
    themeObserver.observe(document.documentElement, { attributeFilter: ["data-theme"] });
    const sizeObserver = new ResizeObserver(() => {
      if (el.offsetWidth > 0 && el.offsetHeight > 0) fit.fit();
    });
    sizeObserver.observe(el);
    return () => {
      sizeObserver.disconnect();
      themeObserver.disconnect();
      scheme?.removeEventListener?.("change", retheme);
      detach();
      for (const s of subs) s.dispose();
      term.dispose();
      unmirror();
      termRef.current = null;
    };
  }, [sessionId, sink]);

  useEffect(() => {
    if (!props.visible) return;
    // Shown again: take the current size and the keyboard.
    fitRef.current?.fit();
    termRef.current?.focus();
  }, [props.visible]);

  return (
    <div
      className="terminal-view"
      data-testid={`terminal-view-${props.tab.key}`}
      data-session={sessionId}
      hidden={!props.visible}
      ref={ref}
    />
  );
}
