import { act, renderHook } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { applyTheme, markLinux, useThemeKey } from "./theme";

beforeAll(() => {
  // jsdom has no matchMedia; this stand-in answers "light" and never changes.
  window.matchMedia ??= ((query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addEventListener: () => {},
    removeEventListener: () => {},
    addListener: () => {},
    removeListener: () => {},
    dispatchEvent: () => false,
  })) as typeof window.matchMedia;
});

afterEach(() => applyTheme("system"));

describe("useThemeKey", () => {
  it("changes when the theme setting changes, so colour-reading views can redraw", async () => {
    const { result } = renderHook(() => useThemeKey());
    const first = result.current;
    await act(async () => {
      applyTheme("dark");
      await Promise.resolve();
    });
    expect(result.current).not.toBe(first);
    const dark = result.current;
    await act(async () => {
      applyTheme("light");
      await Promise.resolve();
    });
    expect(result.current).not.toBe(dark);
  });
});

describe("markLinux", () => {
  it("marks WebKitGTK on Linux only", () => {
    const el = document.createElement("html");
    markLinux(el, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Edg/120.0");
    markLinux(el, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15");
    markLinux(el, "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36");
    expect(el.dataset.os).toBeUndefined();
    markLinux(el, "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko)");
    expect(el.dataset.os).toBe("linux");
  });
});
