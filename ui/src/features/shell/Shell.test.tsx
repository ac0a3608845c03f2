import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import i18n, { systemLanguage } from "../../i18n";
import { App } from "../../App";
import { mockBackend } from "../../test/mockBackend";

afterEach(async () => {
  await act(() => i18n.changeLanguage("en"));
});

describe("the shell", () => {
  it("renders the app info from the backend", async () => {
    mockBackend();
    render(<App />);
    await userEvent.click(screen.getByTestId("nav-overview"));
    expect(await screen.findByTestId("app-version")).toHaveTextContent("9.8.7");
    expect(screen.getByTestId("app-platform")).toHaveTextContent("linux / x86_64");
  });

  it("switches to Simplified Chinese from Settings", async () => {
    mockBackend();
    render(<App />);
    await userEvent.click(screen.getByTestId("nav-settings"));
    await userEvent.selectOptions(await screen.findByTestId("language-select"), "zh-CN");
    // The Chinese catalog is its own chunk: the switch happens once it has loaded.
    await waitFor(() => expect(screen.getByTestId("app-name")).toHaveTextContent("CVM 控制台"));
    expect(screen.getByTestId("nav-overview")).toHaveTextContent("关于");
  });

  it("shows a failed command's code and request id", async () => {
    mockBackend({ fail: true });
    render(<App />);
    await userEvent.click(screen.getByTestId("nav-overview"));
    const box = await screen.findByTestId("error-box");
    expect(box).toHaveTextContent("App.PathUnavailable");
  });
});

describe("system language", () => {
  it("maps any Chinese locale to zh-CN and falls back to English", () => {
    expect(systemLanguage(["zh-TW"])).toBe("zh-CN");
    expect(systemLanguage(["fr-FR", "zh-CN"])).toBe("zh-CN");
    expect(systemLanguage(["de-DE"])).toBe("en");
    expect(systemLanguage([])).toBe("en");
  });
});
