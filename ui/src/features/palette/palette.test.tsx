import "@testing-library/jest-dom/vitest";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { clearMocks, mockIPC } from "../../backend/mocks";
import i18n from "../../i18n";
import { Palette, matchInstances, shortcutFor } from "./Palette";
import {
  resetRegistry,
  useNavigation,
  useRegisterPageCommands,
  type PageCommands,
} from "./registry";
import { useDismissOnEscape } from "./dismiss";
import { resetConnect, useConnectState } from "../connect/store";

/** What the connect store holds, as the page would see it. */
function ConnectProbe() {
  const s = useConnectState();
  return (
    <div data-testid="connect-probe">
      {JSON.stringify({ request: s.request, tabs: s.tabs.length })}
    </div>
  );
}

beforeAll(async () => {
  // The dialog loads on first use; load it once here so each test's first Ctrl+K does not
  // wait for the test runner to transform cmdk.
  await import("./PaletteDialog");
  // jsdom lacks these; cmdk scrolls the selected item into view.
  Element.prototype.scrollIntoView = () => undefined;
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
});

const calls: string[] = [];
beforeEach(async () => {
  calls.length = 0;
  resetRegistry();
  await i18n.changeLanguage("en");
  mockIPC((cmd) => {
    calls.push(cmd);
    if (cmd === "list_profiles")
      return {
        active: "sandbox",
        corruptBackup: null,
        profiles: [
          { id: "sandbox", name: "Sandbox", locked: false },
          { id: "work", name: "Work", locked: false },
        ],
      };
    if (cmd === "list_regions")
      return [
        { id: "ap-guangzhou", name: "Guangzhou", available: true, geography: "chinaMainland" },
        { id: "ap-singapore", name: "Singapore", available: true, geography: "asiaPacific" },
      ];
    if (cmd === "set_ui_language") return null;
    return null;
  });
});
afterEach(() => clearMocks());

function FakePage(props: { commands: PageCommands }) {
  useRegisterPageCommands(props.commands);
  const nav = useNavigation();
  return <div data-testid="current-page">{nav.page}</div>;
}

function setup(commands: PageCommands) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <Palette />
      <ConnectProbe />
      <FakePage commands={commands} />
      <input data-testid="other-input" />
    </QueryClientProvider>,
  );
}

const key = (k: string, extra: Partial<KeyboardEventInit> = {}) =>
  fireEvent.keyDown(window, { key: k, ...extra });

describe("shortcuts", () => {
  it("maps keys to the app's commands, never to a web view reload", () => {
    const input = document.createElement("input");
    const ev = (k: string, m: Partial<KeyboardEvent> = {}) =>
      shortcutFor({
        key: k,
        ctrlKey: false,
        metaKey: false,
        altKey: false,
        shiftKey: false,
        target: document.body,
        ...m,
      });
    expect(ev("k", { ctrlKey: true })).toBe("palette");
    expect(ev("K", { metaKey: true })).toBe("palette");
    expect(ev("F5")).toBe("refresh");
    expect(ev("r", { ctrlKey: true })).toBe("refresh");
    expect(ev("f", { ctrlKey: true })).toBe("search");
    expect(ev("/")).toBe("search");
    // Typing "/" in a field is text, not a shortcut.
    expect(ev("/", { target: input })).toBeNull();
    expect(ev("Escape")).toBe("escape");
    expect(ev("r")).toBeNull();
  });

  it("finds instances by name or id, only once two characters are typed", () => {
    const rows = [
      { id: "ins-aaaa0001", name: "web-1" },
      { id: "ins-bbbb0002", name: "db-1" },
    ];
    expect(matchInstances(rows, "w")).toEqual([]);
    expect(matchInstances(rows, "WEB").map((r) => r.id)).toEqual(["ins-aaaa0001"]);
    expect(matchInstances(rows, "bbbb").map((r) => r.name)).toEqual(["db-1"]);
  });

  it("F5 and Ctrl+R refresh the page, Ctrl+F and / focus its search", () => {
    const refresh = vi.fn();
    const focusSearch = vi.fn();
    setup({ refresh, focusSearch });
    const f5 = new KeyboardEvent("keydown", { key: "F5", cancelable: true });
    act(() => void window.dispatchEvent(f5));
    expect(f5.defaultPrevented).toBe(true);
    key("r", { ctrlKey: true });
    expect(refresh).toHaveBeenCalledTimes(2);
    key("f", { ctrlKey: true });
    key("/");
    expect(focusSearch).toHaveBeenCalledTimes(2);
  });

  it("Esc closes the topmost registered dialog", () => {
    const first = vi.fn();
    const second = vi.fn();
    function Dialogs() {
      useDismissOnEscape(first);
      useDismissOnEscape(second);
      return null;
    }
    render(
      <QueryClientProvider client={new QueryClient()}>
        <Palette />
        <Dialogs />
      </QueryClientProvider>,
    );
    key("Escape");
    expect(second).toHaveBeenCalledTimes(1);
    expect(first).not.toHaveBeenCalled();
  });
});

describe("command palette", () => {
  it(
    "opens with Ctrl+K, navigates, and dispatches the page's own actions",
    { timeout: 20000 },
    async () => {
      const user = userEvent.setup();
      const stop = vi.fn();
      const start = vi.fn();
      setup({
        profileId: "sandbox",
        refresh: vi.fn(),
        actions: [
          { id: "stop", label: "Stop", run: stop },
          { id: "start", label: "Start", disabledReason: "web-1 is Running", run: start },
        ],
        instances: [
          { id: "ins-aaaa0001", name: "web-1", region: "ap-guangzhou", state: "RUNNING" },
        ],
      });
      expect(screen.queryByTestId("palette")).toBeNull();
      key("k", { ctrlKey: true });
      expect(await screen.findByTestId("palette")).toBeInTheDocument();
      // Shortcuts are listed.
      expect(screen.getByText("Open the command palette")).toBeInTheDocument();
      expect(screen.getAllByText("F5").length).toBeGreaterThan(0);
      // A disabled action says why and does nothing.
      expect(screen.getByTestId("palette-action-start")).toHaveTextContent("web-1 is Running");
      await user.type(screen.getByTestId("palette-input"), "stop");
      await user.click(screen.getByTestId("palette-action-stop"));
      expect(stop).toHaveBeenCalledTimes(1);
      expect(start).not.toHaveBeenCalled();
      await waitFor(() => expect(screen.queryByTestId("palette")).toBeNull());

      // Navigation.
      key("k", { ctrlKey: true });
      await user.click(await screen.findByTestId("palette-nav-activity"));
      expect(screen.getByTestId("current-page")).toHaveTextContent("activity");

      // An instance by name opens its detail view.
      key("k", { ctrlKey: true });
      await user.type(await screen.findByTestId("palette-input"), "web");
      await user.click(await screen.findByTestId("palette-instance-ins-aaaa0001"));
      expect(screen.getByTestId("current-page")).toHaveTextContent("detail");

      // Regions come from the backend only once the palette is open.
      expect(calls).toContain("list_regions");
    },
  );

  it("switches region through the page, and profile through the backend", async () => {
    const user = userEvent.setup();
    const switchRegion = vi.fn();
    setup({ profileId: "sandbox", switchRegion });
    key("k", { ctrlKey: true });
    await user.type(await screen.findByTestId("palette-input"), "singapore");
    await user.click(await screen.findByTestId("palette-region-ap-singapore"));
    expect(switchRegion).toHaveBeenCalledWith("ap-singapore");
    key("k", { ctrlKey: true });
    // The active profile is not offered; the other one is.
    expect(await screen.findByTestId("palette-profile-sandbox")).toHaveAttribute(
      "data-disabled",
      "true",
    );
    await user.click(screen.getByTestId("palette-profile-work"));
    await waitFor(() => expect(calls).toContain("set_active_profile"));
  });

  it("offers the Terminals page and Connect to a host before any terminal is open", async () => {
    const user = userEvent.setup();
    resetConnect();
    setup({});
    key("k", { ctrlKey: true });
    await user.type(await screen.findByTestId("palette-input"), "host");
    await user.click(await screen.findByTestId("palette-connect-host"));
    expect(screen.getByTestId("current-page")).toHaveTextContent("terminals");
    expect(JSON.parse(screen.getByTestId("connect-probe").textContent ?? "")).toEqual({
      request: { kind: "host" },
      tabs: 0,
    });
    key("k", { ctrlKey: true });
    expect(await screen.findByTestId("palette-nav-terminals")).toHaveTextContent("Go to Terminals");
  });

  it("speaks Chinese", async () => {
    await i18n.changeLanguage("zh-CN");
    setup({ refresh: vi.fn() });
    key("k", { ctrlKey: true });
    expect(await screen.findByText("打开命令面板")).toBeInTheDocument();
    expect(screen.getByText("前往操作日志")).toBeInTheDocument();
    await waitFor(() => expect(calls).toContain("set_ui_language"));
  });
});
