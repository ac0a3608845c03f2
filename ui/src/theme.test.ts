import { act, renderHook } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { applyTheme, useThemeKey } from "./theme";

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
