import "@testing-library/jest-dom/vitest";
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { mockIPC, clearMocks } from "../../backend/mocks";
import i18n from "../../i18n";
import { instanceView } from "../../test/instanceView";
import type {
  ActionReport,
  InstanceChange,
  InstanceView,
  ProfilesView,
  Scope,
} from "../../backend";
import { InstancesPage, mergeReports } from "./InstancesPage";
import {
  NO_FILTERS,
  NarrowingFilter,
  availability,
  byPlace,
  expiryInfo,
  matches as matchesF,
} from "./states";
import { mergeRows, placeKey, rowKey } from "./rows";
import { naturalKey } from "./InstanceTable";
const matches = (i: InstanceView, text: string, state: string) =>
  matchesF(i, { ...NO_FILTERS, text, state }, Date.now());
import { passwordLooksValid, terminatePhrase } from "./ActionDialog";

function inst(id: string, name: string, state: string, extra: Partial<InstanceView> = {}) {
  return instanceView({
    id,
    name,
    state,
    privateIps: ["10.0.0." + id.slice(-1)],
    tags: [{ key: "env", value: "prod" }],
    ...extra,
  });
}

const profiles = (locked = false): ProfilesView => ({
  active: "sandbox",
  corruptBackup: null,
  profiles: [
    {
      id: "sandbox",
      name: "Sandbox",
      kind: "sandbox",
      site: { type: "custom", url: "http://127.0.0.1/" },
      defaultRegion: "ap-guangzhou",
      language: "en-US",
      budget: { type: "current" },
      readOnly: locked,
      maskedSecretId: null,
      hasToken: false,
      lastRegion: null,
      locked,
    },
  ],
});

type Calls = { cmd: string; args: Record<string, unknown> }[];
type Chan = { onmessage: (v: unknown) => void };

function backend(
  opts: {
    locked?: boolean;
    stop?: (ids: string[]) => ActionReport;
    cached?: { region: string; savedAtMs: number; instances: InstanceView[] };
    slowStream?: boolean;
  } = {},
) {
  const calls: Calls = [];
  const rows = [
    inst("ins-aaaaaaa1", "web-1", "RUNNING"),
    inst("ins-aaaaaaa2", "db-1", "STOPPED", { chargeType: "PREPAID" }),
    inst("ins-aaaaaaa3", "cache-1", "RUNNING", { tags: [{ key: "team", value: "data" }] }),
  ];
  const channels: Chan[] = [];
  mockIPC((cmd, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args });
    switch (cmd) {
      case "list_profiles":
        return profiles(opts.locked);
      case "list_regions":
        return [
          {
            id: "ap-guangzhou",
            name: "South China (Guangzhou)",
            available: true,
            geography: "chinaMainland",
          },
          { id: "ap-singapore", name: "Singapore", available: true, geography: "asiaPacific" },
        ];
      case "list_zones":
        return [
          { zone: "ap-guangzhou-3", name: "Guangzhou Zone 3", zoneId: "100003", available: true },
        ];
      case "list_instances": {
        const ch = args.onPage as Chan;
        // Two pages: the first arrives before the command resolves.
        ch.onmessage({ region: "ap-guangzhou", offset: 0, total: 3, instances: rows.slice(0, 2) });
        ch.onmessage({ region: "ap-guangzhou", offset: 2, total: 3, instances: rows.slice(2) });
        return { region: "ap-guangzhou", total: 3, loaded: 3, pages: 2 };
      }
      case "stream_fleet": {
        // The fleet stream's shape: each region's events wrapped with their account.
        const out = args.onEvent as Chan;
        const [target] = args.targets as { profileId: string; regions: string[] }[];
        const regs = target?.regions ?? [];
        const ch = {
          onmessage: (event: unknown) =>
            out.onmessage({ kind: "region", profileId: target?.profileId, event }),
        };
        const emit = () => {
          out.onmessage({ kind: "scope", profileId: target?.profileId, regions: regs });
          for (const region of regs) {
            const mine = rows.map((r) => ({
              ...r,
              region,
              id: region === "ap-guangzhou" ? r.id : r.id.replaceAll("a", "s"),
            }));
            ch.onmessage({ kind: "started", region });
            ch.onmessage({
              kind: "page",
              page: { region, offset: 0, total: 3, instances: mine.slice(0, 2) },
            });
            ch.onmessage({
              kind: "page",
              page: { region, offset: 2, total: 3, instances: mine.slice(2) },
            });
            ch.onmessage({ kind: "done", summary: { region, total: 3, loaded: 3, pages: 2 } });
          }
        };
        const summary = {
          loaded: 3 * regs.length,
          failed: [],
          failedAccounts: [],
          superseded: false,
        };
        if (!opts.slowStream || regs.join() !== "ap-guangzhou") {
          emit();
          return summary;
        }
        return new Promise((resolve) =>
          setTimeout(() => {
            emit();
            resolve(summary);
          }, 400),
        );
      }
      case "cached_fleet":
        return opts.cached ? [{ profileId: "sandbox", ...opts.cached }] : [];
      case "enabled_regions":
        return null;
      case "set_last_region":
        return null;
      case "stop_instances": {
        channels.push(args.onChange as Chan);
        const ids = args.instanceIds as string[];
        return (
          opts.stop?.(ids) ?? {
            action: "StopInstances",
            region: "ap-guangzhou",
            succeeded: ids.length,
            failed: 0,
            results: ids.map((id) => ({
              instanceId: id,
              ok: true,
              requestId: "req-1",
              error: null,
            })),
          }
        );
      }
      case "terminate_instances": {
        const ids = args.instanceIds as string[];
        return {
          action: "TerminateInstances",
          region: "ap-guangzhou",
          succeeded: ids.length,
          failed: 0,
          results: ids.map((id) => ({ instanceId: id, ok: true, requestId: "req-t", error: null })),
        };
      }
      case "terminate_quote":
        return { refunds: [] };
      case "activity_status":
        return { inFlight: 0, waiting: 0, calls: 0, failures: 0 };
    }
    throw new Error(`unexpected command ${cmd}`);
  });
  return { calls, channels };
}

function renderPage() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <InstancesPage />
    </QueryClientProvider>,
  );
}

// jsdom lays nothing out: give the table's scroller a size so the virtualiser renders rows.
beforeAll(() => {
  for (const p of ["offsetHeight", "clientHeight"])
    Object.defineProperty(HTMLElement.prototype, p, { configurable: true, value: 600 });
  for (const p of ["offsetWidth", "clientWidth"])
    Object.defineProperty(HTMLElement.prototype, p, { configurable: true, value: 1200 });
});

beforeEach(async () => {
  await act(() => i18n.changeLanguage("en"));
});
afterEach(() => clearMocks());

describe("the instances page", () => {
  it("lists every streamed page and filters instantly by text, tag and state", async () => {
    const { calls } = backend();
    renderPage();
    expect(await screen.findByTestId("row-ins-aaaaaaa3")).toBeInTheDocument();
    expect(screen.getByTestId("instance-count")).toHaveTextContent("3 of 3 instances");
    expect(calls.find((c) => c.cmd === "stream_fleet")?.args.targets).toEqual([
      { profileId: "sandbox", regions: ["ap-guangzhou"] },
    ]);
    expect(calls.find((c) => c.cmd === "list_regions")?.args.language).toBe("en-US");
    await userEvent.type(screen.getByTestId("instance-filter"), "team:data");
    expect(screen.queryByTestId("row-ins-aaaaaaa1")).not.toBeInTheDocument();
    expect(screen.getByTestId("row-ins-aaaaaaa3")).toBeInTheDocument();
    await userEvent.clear(screen.getByTestId("instance-filter"));
    await userEvent.selectOptions(screen.getByTestId("state-filter"), "STOPPED");
    expect(screen.getByTestId("row-ins-aaaaaaa2")).toBeInTheDocument();
    expect(screen.queryByTestId("row-ins-aaaaaaa1")).not.toBeInTheDocument();
  });

  it("picks a region from the searchable picker and remembers it", async () => {
    const { calls } = backend();
    renderPage();
    await screen.findByTestId("row-ins-aaaaaaa1");
    await userEvent.click(screen.getByTestId("region-picker"));
    await userEvent.type(screen.getByTestId("region-search"), "sing");
    expect(screen.queryByTestId("region-option-ap-guangzhou")).not.toBeInTheDocument();
    expect(screen.getByText("Asia Pacific")).toBeInTheDocument();
    await userEvent.click(screen.getByTestId("region-option-ap-singapore"));
    await waitFor(() =>
      expect(
        calls.some(
          (c) => c.cmd === "set_last_region" && (c.args.scope as Scope).region === "ap-singapore",
        ),
      ).toBe(true),
    );
    await waitFor(() =>
      expect(
        calls.some(
          (c) =>
            c.cmd === "stream_fleet" &&
            JSON.stringify(c.args.targets) ===
              JSON.stringify([{ profileId: "sandbox", regions: ["ap-singapore"] }]),
        ),
      ).toBe(true),
    );
  });

  it("enables actions only in accepted states, with a reason", async () => {
    backend();
    renderPage();
    await userEvent.click(await screen.findByTestId("select-ins-aaaaaaa1"));
    expect(screen.getByTestId("action-stop")).toBeEnabled();
    expect(screen.getByTestId("action-start")).toBeDisabled();
    expect(screen.getByTestId("action-start")).toHaveAttribute(
      "title",
      "web-1 is Running; Start needs: Stopped.",
    );
  });

  it("stops with the chosen options and follows the streamed state", async () => {
    const { calls, channels } = backend();
    renderPage();
    await userEvent.click(await screen.findByTestId("select-ins-aaaaaaa1"));
    await userEvent.click(screen.getByTestId("action-stop"));
    await userEvent.click(screen.getByTestId("stop-type-SOFT_FIRST"));
    await userEvent.click(screen.getByTestId("dialog-confirm"));
    const stop = calls.find((c) => c.cmd === "stop_instances");
    expect(stop?.args).toMatchObject({
      scope: { profile: "sandbox", region: "ap-guangzhou" },
      instanceIds: ["ins-aaaaaaa1"],
      stopType: "SOFT_FIRST",
      stoppedMode: "KEEP_CHARGING",
      consent: {
        instanceIds: ["ins-aaaaaaa1"],
        typed: null,
        stopType: "SOFT_FIRST",
        stoppedMode: "KEEP_CHARGING",
      },
    });
    expect(await screen.findByTestId("result-ins-aaaaaaa1")).toHaveAttribute("data-ok", "true");
    const change: InstanceChange = {
      profileId: "sandbox",
      region: "ap-guangzhou",
      instanceId: "ins-aaaaaaa1",
      state: "STOPPED",
      instance: null,
      failure: null,
      settled: true,
    };
    act(() => channels[0]?.onmessage(change));
    expect(screen.getByTestId("row-ins-aaaaaaa1")).toHaveAttribute("data-state", "STOPPED");
  });

  it("shows a refused instance with Tencent's code and RequestId", async () => {
    backend({
      stop: (ids) => ({
        action: "StopInstances",
        region: "ap-guangzhou",
        succeeded: 0,
        failed: ids.length,
        results: ids.map((id) => ({
          instanceId: id,
          ok: false,
          requestId: "6d8b1d3c-0000-4000-8000-000000000001",
          error: {
            kind: "state-conflict",
            code: "UnsupportedOperation.InstanceStateStopping",
            message: "The instance is stopping.",
            requestId: "6d8b1d3c-0000-4000-8000-000000000001",
            field: null,
          },
        })),
      }),
    });
    renderPage();
    await userEvent.click(await screen.findByTestId("select-ins-aaaaaaa1"));
    await userEvent.click(screen.getByTestId("action-stop"));
    await userEvent.click(screen.getByTestId("dialog-confirm"));
    const err = await screen.findByTestId("result-error-ins-aaaaaaa1");
    expect(err).toHaveTextContent("UnsupportedOperation.InstanceStateStopping");
    expect(err).toHaveTextContent("not in a state that allows");
    expect(within(err).getByTestId("problem-request-id")).toHaveTextContent(
      "6d8b1d3c-0000-4000-8000-000000000001",
    );
  });

  it("disables every action on a locked read-only profile", async () => {
    backend({ locked: true });
    renderPage();
    await userEvent.click(await screen.findByTestId("select-ins-aaaaaaa1"));
    expect(screen.getByTestId("action-stop")).toBeDisabled();
    expect(screen.getByTestId("action-stop").getAttribute("title")).toMatch(/read-only/);
  });

  it("asks for typed confirmation naming prepaid instances before terminating", async () => {
    backend();
    renderPage();
    await userEvent.click(await screen.findByTestId("select-ins-aaaaaaa2"));
    await userEvent.click(screen.getByTestId("action-terminate"));
    const list = screen.getByTestId("dialog-instances");
    expect(list).toHaveTextContent("db-1");
    expect(list).toHaveTextContent("Monthly subscription");
    expect(screen.getByTestId("dialog-confirm")).toBeDisabled();
    await userEvent.type(screen.getByTestId("terminate-confirm-input"), "ins-aaaaaaa2");
    expect(screen.getByTestId("dialog-confirm")).toBeEnabled();
  });

  it("terminates one pay-as-you-go instance only once its id is typed, sending that consent", async () => {
    const { calls } = backend();
    renderPage();
    await userEvent.click(await screen.findByTestId("select-ins-aaaaaaa1"));
    await userEvent.click(screen.getByTestId("action-terminate"));
    const ok = screen.getByTestId("dialog-confirm");
    expect(ok).toBeDisabled();
    await userEvent.type(screen.getByTestId("terminate-confirm-input"), "ins-aaaaaaa");
    expect(ok).toBeDisabled();
    await userEvent.type(screen.getByTestId("terminate-confirm-input"), "1");
    expect(ok).toBeEnabled();
    await userEvent.click(ok);
    const sent = calls.filter((c) => c.cmd === "terminate_instances");
    expect(sent).toHaveLength(1);
    expect(sent[0]?.args).toMatchObject({
      instanceIds: ["ins-aaaaaaa1"],
      releaseAddress: false,
      consent: { instanceIds: ["ins-aaaaaaa1"], typed: "ins-aaaaaaa1" },
    });
  });

  it("asks for “terminate N” when several are selected", async () => {
    const { calls } = backend();
    renderPage();
    await userEvent.click(await screen.findByTestId("select-ins-aaaaaaa1"));
    await userEvent.click(screen.getByTestId("select-ins-aaaaaaa3"));
    await userEvent.click(screen.getByTestId("action-terminate"));
    await userEvent.type(screen.getByTestId("terminate-confirm-input"), "ins-aaaaaaa1");
    expect(screen.getByTestId("dialog-confirm")).toBeDisabled();
    await userEvent.clear(screen.getByTestId("terminate-confirm-input"));
    await userEvent.type(screen.getByTestId("terminate-confirm-input"), "terminate 2");
    await userEvent.click(screen.getByTestId("dialog-confirm"));
    const sent = calls.find((c) => c.cmd === "terminate_instances");
    expect(sent?.args).toMatchObject({
      consent: { instanceIds: ["ins-aaaaaaa1", "ins-aaaaaaa3"], typed: "terminate 2" },
    });
  });

  it("renders in Simplified Chinese", async () => {
    backend();
    await act(() => i18n.changeLanguage("zh-CN"));
    renderPage();
    expect(await screen.findByTestId("row-ins-aaaaaaa1")).toHaveTextContent("运行中");
    expect(screen.getByTestId("action-stop")).toHaveTextContent("关机");
  });
});

describe("console rules", () => {
  it("matches name, id, IP and tag", () => {
    const i = inst("ins-aaaaaaa1", "Web-1", "RUNNING");
    expect(matches(i, "web", "")).toBe(true);
    expect(matches(i, "aaaaaaa1", "")).toBe(true);
    expect(matches(i, "10.0.0.1", "")).toBe(true);
    expect(matches(i, "env:prod", "")).toBe(true);
    expect(matches(i, "web", "STOPPED")).toBe(false);
  });

  it("terminate confirmation and password feedback", () => {
    const a = inst("ins-aaaaaaa1", "a", "RUNNING");
    const b = inst("ins-aaaaaaa2", "b", "RUNNING", { chargeType: "PREPAID" });
    expect(terminatePhrase([a])).toBe("ins-aaaaaaa1");
    expect(terminatePhrase([b])).toBe("ins-aaaaaaa2");
    expect(terminatePhrase([a, b])).toBe("terminate 2");
    expect(passwordLooksValid("Abcdef12")).toBe(true);
    expect(passwordLooksValid("abcdefgh")).toBe(false);
    expect(passwordLooksValid("/Abcdef12")).toBe(false);
    expect(availability("terminate", [a, b], false)).toEqual({ enabled: true });
    expect(availability("start", [], false)).toEqual({ enabled: false, reason: "noSelection" });
  });
});

describe("the list's pure logic", () => {
  const now = Date.parse("2026-11-26T12:00:00Z");
  it("marks prepaid expiry: days left, soon within 7 days, expired", () => {
    const soon = inst("ins-aaaaaaa1", "a", "RUNNING", {
      chargeType: "PREPAID",
      expiredTime: "2026-11-30T12:00:00Z",
    });
    const later = { ...soon, expiredTime: "2027-01-30T12:00:00Z" };
    const gone = { ...soon, expiredTime: "2026-11-20T12:00:00Z" };
    expect(expiryInfo(soon, now)).toEqual({ days: 4, tone: "soon" });
    expect(expiryInfo(later, now)?.tone).toBe("ok");
    expect(expiryInfo(gone, now)?.tone).toBe("expired");
    expect(expiryInfo({ ...soon, chargeType: "POSTPAID_BY_HOUR" }, now)).toBeNull();
    const f = { ...NO_FILTERS, expiring: true };
    expect([soon, later, gone].filter((i) => matchesF(i, f, now))).toEqual([soon, gone]);
  });
  it("matches text case-insensitively within one field, never across two", () => {
    const a = inst("ins-aaaaaaa1", "Web-Prod-1", "RUNNING", {
      publicIps: ["49.1.2.3"],
      tags: [{ key: "Team", value: "Data" }],
    });
    expect(matches(a, "web-prod", "")).toBe(true);
    expect(matches(a, "49.1.2", "")).toBe(true);
    expect(matches(a, "team:data", "")).toBe(true);
    expect(matches(a, "ins-aaaaaaa1", "")).toBe(true);
    // "1" ends the name and "ins" starts the id: no match spans the two.
    expect(matches(a, "1ins", "")).toBe(false);
  });
  it("narrows as the user types and always answers what a full filter answers", () => {
    const rows = ["web-1", "web-2", "webapp-3", "db-4", "Web-Prod-5", "cache-6"].map((n, i) =>
      inst(`ins-0000000${i}`, n, i % 2 ? "RUNNING" : "STOPPED"),
    );
    const full = (text: string, state = "") =>
      rows.filter((i) => matchesF(i, { ...NO_FILTERS, text, state }, 0));
    const f = new NarrowingFilter();
    // Typing forward, deleting back, and typing something that does not extend the text.
    for (const text of ["w", "we", "web", "web-", "web-p", "web-", "we", "", "db", "d", "x"]) {
      expect(f.apply(rows, { ...NO_FILTERS, text }, 0)).toEqual(full(text));
    }
    // An answer given before is the same array (reused, not filtered again).
    const web = f.apply(rows, { ...NO_FILTERS, text: "web" }, 0);
    expect(f.apply(rows, { ...NO_FILTERS, text: "web" }, 0)).toBe(web);
    // Another state filter, or another list, starts over.
    expect(f.apply(rows, { ...NO_FILTERS, text: "web", state: "RUNNING" }, 0)).toEqual(
      full("web", "RUNNING"),
    );
    const fewer = rows.slice(0, 2);
    expect(f.apply(fewer, { ...NO_FILTERS, text: "web" }, 0)).toEqual(fewer);
  });
  it("sorts digit runs by value (IPs and names), comparing plain keys", () => {
    expect(["web-10", "web-2", "Web-1"].map(naturalKey).sort()).toEqual(
      ["Web-1", "web-2", "web-10"].map(naturalKey),
    );
    expect(naturalKey("10.0.0.9") < naturalKey("10.0.0.10")).toBe(true);
  });
  it("filters by zone and billing model together", () => {
    const a = inst("ins-aaaaaaa1", "a", "RUNNING");
    const b = inst("ins-aaaaaaa2", "b", "RUNNING", { zone: "ap-guangzhou-4" });
    const c = inst("ins-aaaaaaa3", "c", "RUNNING", { chargeType: "PREPAID" });
    const f = { ...NO_FILTERS, zone: "ap-guangzhou-3", billing: "POSTPAID_BY_HOUR" };
    expect([a, b, c].filter((i) => matchesF(i, f, now))).toEqual([a]);
  });
  it("groups a selection by account and region and merges the per-group reports", () => {
    const a = inst("ins-aaaaaaa1", "a", "RUNNING");
    const b = inst("ins-aaaaaaa2", "b", "RUNNING", { region: "ap-shanghai" });
    const c = inst("ins-aaaaaaa3", "c", "RUNNING");
    const d = inst("ins-aaaaaaa4", "d", "RUNNING", { profileId: "p-other" });
    expect(
      byPlace([a, b, c, d]).map((g) => [g.profileId, g.region, g.rows.map((x) => x.id)]),
    ).toEqual([
      ["sandbox", "ap-guangzhou", ["ins-aaaaaaa1", "ins-aaaaaaa3"]],
      ["sandbox", "ap-shanghai", ["ins-aaaaaaa2"]],
      ["p-other", "ap-guangzhou", ["ins-aaaaaaa4"]],
    ]);
    const locked = (i: InstanceView) => i.profileId === "p-other";
    expect(availability("stop", [a, c], locked)).toEqual({ enabled: true });
    expect(availability("stop", [a, d], locked)).toMatchObject({ reason: "readOnly" });
    const rep = (region: string, ok: number, failed: number): ActionReport => ({
      action: "StopInstances",
      region,
      results: [],
      succeeded: ok,
      failed,
    });
    expect(mergeReports([rep("ap-guangzhou", 2, 0), rep("ap-shanghai", 0, 1)])).toMatchObject({
      region: "ap-guangzhou, ap-shanghai",
      succeeded: 2,
      failed: 1,
    });
  });
  it("shows cached rows until their place's fresh listing completes", () => {
    const a = inst("ins-aaaaaaa1", "a", "RUNNING");
    const old = inst("ins-aaaaaaa9", "old", "STOPPED");
    const sh = inst("ins-aaaaaaa8", "sh", "RUNNING", { region: "ap-shanghai" });
    // The same id in another account is another row.
    const twin = inst("ins-aaaaaaa1", "twin", "RUNNING", { profileId: "p-other" });
    const fresh = new Map([[rowKey(a), a]]);
    const cached = new Map(
      [old, sh, { ...a, state: "STOPPED" }, twin].map((r) => [rowKey(r), r] as const),
    );
    expect(mergeRows(fresh, cached, new Set()).map((r) => [r.name, r.state])).toEqual([
      ["a", "RUNNING"],
      ["old", "STOPPED"],
      ["sh", "RUNNING"],
      ["twin", "RUNNING"],
    ]);
    const done = new Set([placeKey("sandbox", "ap-guangzhou")]);
    expect(mergeRows(fresh, cached, done).map((r) => r.name)).toEqual(["a", "sh", "twin"]);
  });
});

describe("all regions and the stale cache", () => {
  beforeAll(async () => {
    await i18n.changeLanguage("en");
  });
  afterEach(() => clearMocks());

  it("shows the cached list at once, marked stale, then the fresh one", async () => {
    backend({
      cached: {
        region: "ap-guangzhou",
        savedAtMs: Date.now() - 5 * 60000,
        instances: [inst("ins-aaaaaaa7", "cached-only", "RUNNING")],
      },
      slowStream: true,
    });
    renderPage();
    // At once: the cached row, marked stale with its age.
    expect(await screen.findByTestId("row-ins-aaaaaaa7")).toBeInTheDocument();
    expect(screen.getByTestId("stale-banner")).toHaveTextContent("5 minutes ago");
    expect(await screen.findByTestId("row-ins-aaaaaaa1")).toBeInTheDocument();
    // The fresh listing completed: the cached-only row is gone, the banner too.
    await waitFor(() => expect(screen.queryByTestId("row-ins-aaaaaaa7")).not.toBeInTheDocument());
    expect(screen.queryByTestId("stale-banner")).not.toBeInTheDocument();
  });

  it("never writes a stale stream's rows into the newly chosen region", async () => {
    backend({ slowStream: true });
    const user = userEvent.setup();
    renderPage();
    // Guangzhou's listing is still in flight when Singapore is picked.
    await user.click(await screen.findByTestId("region-picker"));
    await user.click(await screen.findByTestId("region-option-ap-singapore"));
    expect(await screen.findByTestId("row-ins-sssssss1")).toBeInTheDocument();
    await new Promise((r) => setTimeout(r, 700)); // the Guangzhou pages arrive now
    expect(screen.queryByTestId("row-ins-aaaaaaa1")).not.toBeInTheDocument();
    expect(screen.getByTestId("instance-count")).toHaveTextContent("3 of 3 instances");
  });

  it("merges the enabled regions with a region column and per-region progress", async () => {
    const { calls } = backend();
    const user = userEvent.setup();
    renderPage();
    await screen.findByTestId("row-ins-aaaaaaa1");
    // One region: no region column; the chooser hides a column by key (and remembers it).
    expect(screen.queryByTestId("sort-region")).not.toBeInTheDocument();
    await user.click(screen.getByTestId("columns-button"));
    await user.click(screen.getByTestId("column-toggle-state"));
    expect(screen.queryByTestId("sort-state")).not.toBeInTheDocument();
    // Saved on top of the default hidden set (what does not fit a 1280 px window, and the
    // CPU column, which costs API calls).
    expect(JSON.parse(localStorage.getItem("cvm.instances.hiddenColumns") ?? "[]")).toEqual([
      "cpu",
      "zone",
      "size",
      "privateIp",
      "chargeType",
      "network",
      "created",
      "state",
    ]);
    await user.click(screen.getByTestId("column-toggle-state"));
    expect(screen.getByTestId("sort-state")).toBeInTheDocument();
    await user.click(screen.getByTestId("region-picker"));
    await user.click(screen.getByTestId("region-option-all"));
    expect(await screen.findByTestId("row-ins-sssssss1")).toBeInTheDocument();
    const call = calls.filter((c) => c.cmd === "stream_fleet").at(-1);
    expect(call?.args.targets).toEqual([
      { profileId: "sandbox", regions: ["ap-guangzhou", "ap-singapore"] },
    ]);
    expect(screen.getByTestId("region-progress-ap-singapore")).toHaveAttribute(
      "data-status",
      "done",
    );
    expect(screen.getByTestId("region-progress-ap-singapore")).toHaveTextContent("3/3");
    expect(screen.getByTestId("sort-region")).toBeInTheDocument();
    expect(screen.getByTestId("instance-count")).toHaveTextContent("6 of 6 instances");
  });
});
