import "@testing-library/jest-dom/vitest";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
// The Tauri IPC cannot run under jsdom: the backend answers through Tauri's own mock.
import { clearMocks, mockIPC } from "../../backend/mocks";
import i18n from "../../i18n";
import { instanceView } from "../../test/instanceView";
import type { InstanceView, ProfileView, SavedView } from "../../backend";
import { FleetPage } from "./FleetPage";

function inst(profileId: string, region: string, id: string, name: string): InstanceView {
  return instanceView({
    id,
    profileId,
    region,
    name,
    zone: `${region}-1`,
    privateIps: ["10.0.0.1"],
    internetChargeType: null,
    bandwidthOutMbps: 0,
    tags: [{ key: "env", value: profileId }],
  });
}

function profile(id: string, name: string, locked: boolean): ProfileView {
  return {
    id,
    name,
    kind: "standard",
    site: { type: "china" },
    defaultRegion: "ap-guangzhou",
    language: "en-US",
    budget: { type: "current" },
    readOnly: locked,
    maskedSecretId: null,
    hasToken: false,
    lastRegion: null,
    locked,
  } as unknown as ProfileView;
}

type Chan = { onmessage: (v: unknown) => void };

/**
 * Two accounts: "ops" lists ap-guangzhou and fails in ap-shanghai; "data" (read-only) has a
 * cached list of ap-guangzhou and its fresh listing never completes. Both hold an instance
 * with the same id.
 */
function backend(settles = false, dataFailure: unknown = null, dataAccountFailure: unknown = null) {
  const streams: unknown[] = [];
  const tags: unknown[] = [];
  const viewCalls: { cmd: string; args: Record<string, unknown> }[] = [];
  let views: SavedView[] = [
    { id: "view-web", name: "Web", accounts: null, regions: null, tags: "", text: "", state: "" },
    { id: "view-db", name: "DB", accounts: null, regions: null, tags: "", text: "", state: "" },
  ];
  mockIPC((cmd, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    switch (cmd) {
      case "list_views":
        return views;
      case "list_alert_rules":
        return [
          {
            id: "rule-1",
            enabled: true,
            condition: { kind: "leftRunning" },
            target: { kind: "view", viewId: "view-web" },
          },
        ];
      case "rename_view": {
        viewCalls.push({ cmd, args });
        const v = views.find((x) => x.id === args.id);
        if (!v) throw new Error("no view");
        views = views.map((x) => (x.id === args.id ? { ...x, name: String(args.name) } : x));
        return { ...v, name: args.name };
      }
      case "delete_view":
        viewCalls.push({ cmd, args });
        views = views.filter((x) => x.id !== args.id);
        return null;
      case "list_profiles":
        return {
          active: "ops",
          corruptBackup: null,
          profiles: [profile("ops", "Ops", false), profile("data", "Data", true)],
        };
      case "list_regions":
        return [];
      case "cached_fleet":
        return [
          {
            profileId: "data",
            region: "ap-guangzhou",
            savedAtMs: Date.now() - 60000,
            instances: [inst("data", "ap-guangzhou", "ins-same0001", "data-cached")],
          },
          // A region the account listed once and no longer lists.
          {
            profileId: "ops",
            region: "ap-beijing",
            savedAtMs: Date.now() - 60000,
            instances: [inst("ops", "ap-beijing", "ins-gone0001", "ops-beijing-cached")],
          },
        ];
      case "stream_fleet": {
        streams.push(args.targets);
        tags.push(args.tags);
        const ch = args.onEvent as Chan;
        const region = (profileId: string, event: unknown) =>
          ch.onmessage({ kind: "region", profileId, event });
        ch.onmessage({ kind: "scope", profileId: "ops", regions: ["ap-guangzhou", "ap-shanghai"] });
        ch.onmessage({ kind: "scope", profileId: "data", regions: ["ap-guangzhou"] });
        region("ops", { kind: "started", region: "ap-guangzhou" });
        region("ops", {
          kind: "page",
          page: {
            region: "ap-guangzhou",
            offset: 0,
            total: 2,
            instances: [
              inst("ops", "ap-guangzhou", "ins-same0001", "ops-web"),
              inst("ops", "ap-guangzhou", "ins-ops00002", "ops-db"),
            ],
          },
        });
        region("ops", {
          kind: "done",
          summary: { region: "ap-guangzhou", total: 2, loaded: 2, pages: 1 },
        });
        region("ops", {
          kind: "failed",
          region: "ap-shanghai",
          error: {
            kind: "api",
            code: "RequestLimitExceeded",
            message: "too fast",
            requestId: null,
            field: null,
          },
        });
        region("data", { kind: "started", region: "ap-guangzhou" });
        if (dataFailure)
          region("data", { kind: "failed", region: "ap-guangzhou", error: dataFailure });
        if (dataAccountFailure)
          ch.onmessage({ kind: "accountFailed", profileId: "data", error: dataAccountFailure });
        // The read-only account's listing stays in flight (unless told to settle).
        if (settles)
          return { loaded: 2, failed: [], failedAccounts: [], superseded: false, accounts: [] };
        return new Promise(() => undefined);
      }
      case "activity_status":
        return { inFlight: 0, waiting: 0, calls: 0, failures: 0 };
    }
    return null;
  });
  return { streams, tags, viewCalls };
}

function renderPage() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <FleetPage />
    </QueryClientProvider>,
  );
}

beforeAll(() => {
  for (const p of ["offsetHeight", "clientHeight"])
    Object.defineProperty(HTMLElement.prototype, p, { configurable: true, value: 600 });
  for (const p of ["offsetWidth", "clientWidth"])
    Object.defineProperty(HTMLElement.prototype, p, { configurable: true, value: 1200 });
});
beforeEach(async () => {
  localStorage.clear();
  await act(() => i18n.changeLanguage("en"));
});
afterEach(() => clearMocks());

describe("the fleet", () => {
  it("shows each (account, region) on its own: one failing stops nothing, a cached one is marked stale", async () => {
    const { streams } = backend();
    renderPage();
    await waitFor(() => expect(screen.getByText("ops-web")).toBeInTheDocument());
    // Every profile, each over its enabled regions (the backend's default scope).
    expect(streams).toEqual([null]);
    expect(screen.getByText("ops-db")).toBeInTheDocument();
    // The same id in two accounts is two rows.
    expect(screen.getByText("data-cached")).toBeInTheDocument();
    expect(screen.getAllByTestId("row-ins-same0001")).toHaveLength(2);
    await waitFor(() =>
      expect(screen.getByTestId("fleet-account-ops")).toHaveAttribute("data-status", "partial"),
    );
    expect(screen.getByTestId("fleet-place-ops-ap-shanghai")).toHaveAttribute(
      "data-status",
      "failed",
    );
    expect(screen.getByTestId("fleet-place-ops-ap-shanghai")).toHaveTextContent(
      "RequestLimitExceeded",
    );
    expect(screen.getByTestId("fleet-account-data")).toHaveAttribute("data-status", "loading");
    expect(screen.getByTestId("fleet-stale-data")).toHaveTextContent("1 region");
    expect(screen.queryByTestId("fleet-stale-ops")).not.toBeInTheDocument();
  });

  it("drops a cached region the account no longer lists, rows and staleness", async () => {
    backend(true);
    renderPage();
    await waitFor(() => expect(screen.getByText("ops-web")).toBeInTheDocument());
    expect(screen.queryByText("ops-beijing-cached")).not.toBeInTheDocument();
    expect(screen.getByText("data-cached")).toBeInTheDocument();
  });

  it("names the account whose role credentials failed, in both languages", async () => {
    backend(false, {
      kind: "auth",
      code: "App.RoleCredentialsFailed",
      message:
        "Profile “Data”: The temporary credentials of the role qcs::cam::uin/100000000002:roleName/ops could not be renewed: AssumeRole was refused (AuthFailure.UnauthorizedOperation: denied).",
      requestId: "req-1",
      field: "profileId",
    });
    renderPage();
    const box = await screen.findByTestId("fleet-role-error-data");
    expect(box).toHaveTextContent(
      "Data: its role credentials were refused or could not be renewed",
    );
    expect(box).toHaveTextContent("Profile “Data”");
    expect(box).toHaveTextContent("App.RoleCredentialsFailed");
    // The account that did not fail this way gets no such box.
    expect(screen.queryByTestId("fleet-role-error-ops")).not.toBeInTheDocument();
    await act(() => i18n.changeLanguage("zh-CN"));
    expect(screen.getByTestId("fleet-role-error-data")).toHaveTextContent(
      "Data：角色凭证被拒绝或无法续期",
    );
    expect(screen.getByTestId("fleet-role-error-data")).toHaveTextContent(
      i18n.t("errors.App_RoleCredentialsFailed"),
    );
  });

  it("titles an account that failed as a whole on its role credentials by that", async () => {
    backend(false, null, {
      kind: "auth",
      code: "App.RoleCredentialsFailed",
      message: "Profile “Data”: The temporary credentials of the role … were refused.",
      requestId: null,
      field: "profileId",
    });
    renderPage();
    const box = await screen.findByTestId("fleet-account-error-data");
    expect(box).toHaveTextContent(
      "Data: its role credentials were refused or could not be renewed",
    );
    expect(screen.queryByTestId("fleet-role-error-data")).not.toBeInTheDocument();
  });

  it("selects rows by account, region and id, and offers no action once a read-only account's row is in", async () => {
    backend();
    const user = userEvent.setup();
    renderPage();
    await screen.findByText("ops-web");
    const [first, second] = screen.getAllByTestId("select-ins-same0001");
    const opsBox = first?.closest('[data-profile="ops"]') ? first : second;
    const dataBox = opsBox === first ? second : first;
    await user.click(opsBox as HTMLElement);
    expect(screen.getByTestId("selection-count")).toHaveTextContent("1 selected");
    // Only the ops row is selected, not its namesake in the other account.
    expect(dataBox).not.toBeChecked();
    expect(screen.getByTestId("action-stop")).toBeEnabled();
    expect(screen.getByTestId("action-tags")).toBeEnabled();
    await user.click(dataBox as HTMLElement);
    expect(screen.getByTestId("selection-count")).toHaveTextContent("2 selected");
    for (const a of ["start", "stop", "reboot", "rename", "resetPassword", "terminate", "tags"])
      expect(screen.getByTestId(`action-${a}`)).toBeDisabled();
    expect(screen.getByTestId("action-reason")).toHaveTextContent(/read-only/);
  });

  it("narrows the listed rows locally by a tag filter they cover, and lists again with Tencent's tag filters otherwise", async () => {
    const { tags } = backend(true);
    const user = userEvent.setup();
    renderPage();
    await screen.findByText("ops-web");
    expect(tags).toEqual([null]);
    const filter = screen.getByTestId("fleet-tag-filter");
    const typed = (value: string) => fireEvent.change(filter, { target: { value } });
    const pause = () => act(() => new Promise((r) => setTimeout(r, 500)));
    // Everything was listed: a tag filter narrows what is there, with no call.
    typed("env=ops");
    await waitFor(() => expect(screen.queryByText("data-cached")).not.toBeInTheDocument());
    expect(screen.getByText("ops-web")).toBeInTheDocument();
    await pause();
    expect(tags).toEqual([null]);
    // A refresh lists only the matches: the conditions go to the backend.
    await user.click(screen.getByTestId("refresh"));
    await waitFor(() => expect(tags).toHaveLength(2));
    expect(tags[1]).toEqual([{ key: "env", value: "ops" }]);
    // Another value is not within what was listed: listed again once typing pauses.
    typed("env=data, team");
    await waitFor(() => expect(tags).toHaveLength(3), { timeout: 2000 });
    expect(tags[2]).toEqual([
      { key: "env", value: "data" },
      { key: "team", value: null },
    ]);
    // A narrower filter costs nothing; a bad key asks nothing.
    typed("env=data, team=x");
    await pause();
    typed("env=data, team=x, a*b");
    expect(screen.getByTestId("fleet-tag-filter-error")).toBeInTheDocument();
    await pause();
    expect(tags).toHaveLength(3);
  }, 15000);

  it("renames a view (its name checked at the field) and deletes one only through the confirmation", async () => {
    const { viewCalls } = backend(true);
    const user = userEvent.setup();
    renderPage();
    await screen.findByText("ops-web");
    await user.click(await screen.findByText("Views (2)"));
    // Renaming to another view's name (any case) is refused here, nothing sent.
    await user.click(screen.getByTestId("view-rename-view-web"));
    const name = screen.getByTestId("view-name");
    expect(name).toHaveValue("Web");
    await user.clear(name);
    await user.type(name, "db");
    await user.click(screen.getByTestId("view-save"));
    expect(screen.getByTestId("view-name-error")).toHaveTextContent(/already exists/);
    expect(viewCalls).toEqual([]);
    await user.clear(name);
    await user.type(name, "Web servers");
    await user.click(screen.getByTestId("view-save"));
    await waitFor(() => expect(screen.queryByTestId("save-view-dialog")).toBeNull());
    expect(viewCalls).toEqual([
      { cmd: "rename_view", args: { id: "view-web", name: "Web servers" } },
    ]);
    await waitFor(() =>
      expect(screen.getByTestId("view-open-view-web")).toHaveTextContent("Web servers"),
    );
    // Delete: the dialog says a rule watches it; Cancel sends nothing, OK deletes.
    await user.click(screen.getByTestId("view-delete-view-web"));
    expect(await screen.findByTestId("delete-view-rules")).toHaveTextContent(
      /1 alert rule watches this view/,
    );
    await user.click(screen.getByTestId("confirm-cancel"));
    expect(viewCalls).toHaveLength(1);
    await user.click(screen.getByTestId("view-delete-view-web"));
    await screen.findByTestId("delete-view-rules");
    await user.click(screen.getByTestId("confirm-ok"));
    await waitFor(() => expect(screen.queryByTestId("view-open-view-web")).toBeNull());
    expect(viewCalls[1]).toEqual({
      cmd: "delete_view",
      args: { id: "view-web", confirm: "view-web" },
    });
    expect(screen.getByTestId("fleet-views")).toHaveTextContent("Views (1)");
  });
});
