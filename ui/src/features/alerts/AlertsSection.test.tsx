import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { mockIPC } from "../../backend/mocks";
import "../../i18n";
import type { AlertRule, ProfileView, SavedView } from "../../backend";
import { AlertsSection } from "./AlertsSection";

const sandbox = { id: "sandbox", name: "Sandbox", kind: "sandbox" } as ProfileView;

type Call = { cmd: string; args: Record<string, unknown> };

const web: SavedView = {
  id: "view-web",
  name: "Web servers",
  accounts: null,
  regions: ["ap-guangzhou"],
  tags: "team=web",
  text: "",
  state: "",
};

function setup(calls: Call[], saved: AlertRule[] = [], views: SavedView[] = []) {
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: (args ?? {}) as Record<string, unknown> });
    switch (cmd) {
      case "list_profiles":
        return { active: "sandbox", profiles: [sandbox], corruptBackup: null };
      case "list_alert_rules":
        return saved;
      case "list_views":
        return views;
      case "firing_alerts":
        return [];
      case "save_alert_rule": {
        const draft = (args as { draft: { threshold: string } }).draft;
        if (draft.threshold === "abc")
          throw {
            kind: "invalid-input",
            code: "App.InvalidInput",
            message: 'threshold is not a number: "abc"',
            requestId: null,
            field: "threshold",
          };
        return { id: "rule-1", enabled: true, condition: { kind: "leftRunning" }, target: null };
      }
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  });
  render(
    <QueryClientProvider
      client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}
    >
      <AlertsSection />
    </QueryClientProvider>,
  );
}

describe("the alerts section", () => {
  it("sends the numbers as typed and shows the backend's refusal on its field", async () => {
    const calls: Call[] = [];
    setup(calls);
    await userEvent.click(await screen.findByTestId("alert-add"));
    await screen.findByRole("option", { name: "Sandbox" });
    await userEvent.selectOptions(screen.getByTestId("alert-target"), "profile:sandbox");
    await userEvent.clear(screen.getByTestId("alert-threshold"));
    await userEvent.type(screen.getByTestId("alert-threshold"), "abc");
    await userEvent.type(screen.getByTestId("alert-regions"), "ap-guangzhou, ap-beijing");
    await userEvent.click(screen.getByTestId("alert-save"));
    expect(await screen.findByTestId("alert-error-threshold")).toHaveTextContent(
      /number above 0 and below 100/,
    );
    const save = calls.find((c) => c.cmd === "save_alert_rule");
    expect(save?.args.draft).toMatchObject({
      kind: "cpuAbove",
      threshold: "abc",
      minutes: "5",
      target: { kind: "profile", profileId: "sandbox", regions: ["ap-guangzhou", "ap-beijing"] },
    });
    // Editing the field clears its error; the form stays open with what was typed.
    await userEvent.type(screen.getByTestId("alert-threshold"), "1");
    expect(screen.queryByTestId("alert-error-threshold")).toBeNull();
    expect(screen.getByTestId("alert-form")).toBeInTheDocument();
  });

  it("keeps a rule when its removal dialog is cancelled", async () => {
    const calls: Call[] = [];
    const rule: AlertRule = {
      id: "rule-9",
      enabled: true,
      condition: { kind: "expiring", days: 7 },
      target: { kind: "profile", profileId: "sandbox", regions: null },
    };
    setup(calls, [rule]);
    expect(await screen.findByTestId("alert-rule")).toHaveTextContent(/expiring within 7 days/);
    await userEvent.click(screen.getByTestId("alert-remove"));
    await userEvent.click(await screen.findByTestId("confirm-cancel"));
    expect(calls.some((c) => c.cmd === "delete_alert_rule")).toBe(false);
  });

  it("removes a rule only from its dialog's OK, which sends the confirmation", async () => {
    const calls: Call[] = [];
    const rule: AlertRule = {
      id: "rule-9",
      enabled: true,
      condition: { kind: "expiring", days: 7 },
      target: { kind: "profile", profileId: "sandbox", regions: null },
    };
    setup(calls, [rule]);
    await userEvent.click(await screen.findByTestId("alert-remove"));
    expect(calls.some((c) => c.cmd === "delete_alert_rule")).toBe(false);
    await userEvent.click(await screen.findByTestId("confirm-ok"));
    await waitFor(() =>
      expect(calls.find((c) => c.cmd === "delete_alert_rule")?.args).toEqual({
        id: "rule-9",
        confirm: "rule-9",
      }),
    );
  });

  it("offers saved views by id and sends the view's id, not a copy", async () => {
    const calls: Call[] = [];
    setup(calls, [], [web]);
    await userEvent.click(await screen.findByTestId("alert-add"));
    await screen.findByRole("option", { name: "Web servers" });
    await userEvent.selectOptions(screen.getByTestId("alert-target"), "view:view-web");
    await userEvent.click(screen.getByTestId("alert-save"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "save_alert_rule")).toBe(true));
    const save = calls.find((c) => c.cmd === "save_alert_rule");
    expect((save?.args.draft as { target: unknown }).target).toEqual({
      kind: "view",
      viewId: "view-web",
    });
  });

  it("shows a rule whose view was deleted as stopped, with the reason at its target", async () => {
    const calls: Call[] = [];
    const rule = (id: string, viewId: string): AlertRule => ({
      id,
      enabled: true,
      condition: { kind: "leftRunning" },
      target: { kind: "view", viewId },
    });
    setup(calls, [rule("rule-ok", "view-web"), rule("rule-lost", "view-gone")], [web]);
    const rows = await screen.findAllByTestId("alert-rule");
    await waitFor(() => expect(rows[0]).toHaveTextContent(/Web servers/));
    expect(rows[0]).toHaveTextContent(/On/);
    expect(rows[1]).toHaveAttribute("data-lost-view", "true");
    expect(within(rows[1] as HTMLElement).getByTestId("alert-view-missing")).toHaveTextContent(
      /saved view this rule watched was deleted/,
    );
    expect(within(rows[1] as HTMLElement).getByTestId("alert-rule-stopped")).toHaveTextContent(
      /Stopped/,
    );
    // Editing it opens with the target unset and the reason at that field.
    await userEvent.click(within(rows[1] as HTMLElement).getByTestId("alert-edit"));
    expect(screen.getByTestId("alert-target")).toHaveValue("");
    expect(screen.getByTestId("alert-error-target")).toHaveTextContent(
      /saved view this rule watched was deleted/,
    );
  });
});
