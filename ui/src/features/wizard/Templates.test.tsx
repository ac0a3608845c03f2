import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "../../backend/mocks";
import i18n from "../../i18n";
import { TemplatesDialog } from "./Templates";

beforeEach(async () => {
  await act(() => i18n.changeLanguage("en"));
});
afterEach(() => clearMocks());

describe("launch templates", () => {
  it("deletes a template only from the confirmation dialog, naming its id", async () => {
    const deletes: Record<string, unknown>[] = [];
    let templates = [
      {
        id: "lt-abc12345",
        name: "web",
        defaultVersion: 1,
        latestVersion: 2,
        versionCount: 2,
        createdTime: null,
      },
    ];
    mockIPC((cmd, args) => {
      if (cmd === "list_launch_templates") return templates;
      if (cmd === "delete_launch_template") {
        deletes.push(args as Record<string, unknown>);
        templates = [];
        return null;
      }
      throw new Error(`unexpected ${cmd}`);
    });
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <QueryClientProvider client={qc}>
        <TemplatesDialog profileId="p" region="ap-guangzhou" onClose={() => undefined} />
      </QueryClientProvider>,
    );
    const row = await screen.findByTestId("wz-tpl-lt-abc12345");
    await userEvent.click(within(row).getByTestId("wz-tpl-delete"));
    const dialog = screen.getByTestId("confirm-dialog");
    expect(dialog).toHaveTextContent("lt-abc12345");
    // Esc closes only the confirmation, not the templates dialog under it.
    await userEvent.keyboard("{Escape}");
    expect(screen.queryByTestId("confirm-dialog")).toBeNull();
    expect(screen.getByTestId("wz-templates")).toBeInTheDocument();
    expect(deletes).toEqual([]);
    await userEvent.click(within(row).getByTestId("wz-tpl-delete"));
    await userEvent.click(screen.getByTestId("confirm-ok"));
    expect(await screen.findByText(/No launch templates/)).toBeInTheDocument();
    expect(deletes).toEqual([
      {
        scope: { profile: "p", region: "ap-guangzhou" },
        templateId: "lt-abc12345",
        confirm: "lt-abc12345",
      },
    ]);
  });
});
