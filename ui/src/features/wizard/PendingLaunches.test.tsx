import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "../../backend/mocks";
import i18n from "../../i18n";
import type { LaunchRecord } from "../../backend";
import { PendingLaunches } from "./PendingLaunches";
import { StartupNotices } from "../shell/StartupNotices";

const TOKEN = "5a3c8f0e-1111-4222-8333-444455556666";

const record = {
  token: TOKEN,
  profileId: "p-work",
  region: "ap-singapore",
  state: "pending",
  instanceIds: [],
  count: 3,
  instanceType: "S5.LARGE8",
  chargeType: "PREPAID",
  createdUnix: 1_700_000_000,
  error: "connection reset",
  attempts: 1,
  ageSeconds: 2 * 3600 + 120,
  needsDecision: true,
} as LaunchRecord;

const resolved = {
  ...record,
  token: "done-token",
  state: "resolved",
  needsDecision: false,
} as LaunchRecord;

type Calls = { cmd: string; args: Record<string, unknown> }[];

function backend() {
  const calls: Calls = [];
  let records = [record, resolved];
  let notices = [
    {
      id: "journal-corrupt",
      message: "The launch journal could not be read and was moved aside.",
      path: "/data/launches.json.corrupt-1",
    },
  ];
  mockIPC((cmd, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args });
    switch (cmd) {
      case "launch_records":
        return records;
      case "retry_launch":
        records = [resolved];
        return {
          token: TOKEN,
          region: "ap-singapore",
          status: "created",
          instanceIds: ["ins-1", "ins-2", "ins-3"],
          error: null,
          passwordNotResent: true,
        };
      case "drop_launch":
        records = [resolved];
        return null;
      case "startup_notices":
        return notices;
      case "dismiss_startup_notice":
        notices = notices.filter((n) => n.id !== args.id);
        return null;
    }
    throw new Error(`unexpected command ${cmd}`);
  });
  return calls;
}

const decisions = (calls: Calls) =>
  calls.filter((c) => c.cmd === "retry_launch" || c.cmd === "drop_launch");

function renderIt(ui: React.ReactNode) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(<QueryClientProvider client={qc}>{ui}</QueryClientProvider>);
}

beforeEach(async () => {
  await act(() => i18n.changeLanguage("en"));
});
afterEach(() => clearMocks());

describe("purchases waiting for a decision", () => {
  it("lists only the ones that need a decision, with what they buy, age and token", async () => {
    backend();
    renderIt(<PendingLaunches />);
    const row = await screen.findByTestId(`pending-${TOKEN}`);
    expect(row).toHaveTextContent("3 × S5.LARGE8, Monthly subscription");
    expect(row).toHaveTextContent("ap-singapore");
    expect(row).toHaveTextContent("2 hours");
    expect(row).toHaveTextContent(TOKEN);
    expect(screen.queryByTestId("pending-done-token")).toBeNull();
  });

  it("Cancel and Esc send nothing; Resume re-sends with the token as confirmation", async () => {
    const calls = backend();
    renderIt(<PendingLaunches />);
    const row = await screen.findByTestId(`pending-${TOKEN}`);
    await userEvent.click(within(row).getByTestId("pending-resume"));
    const dialog = screen.getByTestId("confirm-dialog");
    expect(dialog).toHaveAttribute("data-kind", "resume-launch");
    expect(dialog).toHaveTextContent("same ClientToken");
    expect(within(dialog).getByTestId("pending-token")).toHaveTextContent(TOKEN);
    await userEvent.click(screen.getByTestId("confirm-cancel"));
    await userEvent.click(within(row).getByTestId("pending-resume"));
    await userEvent.keyboard("{Escape}");
    expect(screen.queryByTestId("confirm-dialog")).toBeNull();
    expect(decisions(calls)).toEqual([]);

    await userEvent.click(within(row).getByTestId("pending-resume"));
    await userEvent.click(screen.getByTestId("confirm-ok"));
    expect(await screen.findByTestId(`pending-result-${TOKEN}`)).toHaveTextContent(
      "ins-1, ins-2, ins-3",
    );
    expect(decisions(calls)).toEqual([
      { cmd: "retry_launch", args: expect.objectContaining({ token: TOKEN, confirm: TOKEN }) },
    ]);
    expect(screen.queryByTestId(`pending-${TOKEN}`)).toBeNull();
  });

  it("Drop warns that nothing at Tencent is cancelled and sends the token", async () => {
    const calls = backend();
    renderIt(<PendingLaunches />);
    const row = await screen.findByTestId(`pending-${TOKEN}`);
    await userEvent.click(within(row).getByTestId("pending-drop"));
    expect(screen.getByTestId("confirm-dialog")).toHaveTextContent(
      "does not cancel anything Tencent Cloud may already have created",
    );
    await userEvent.click(screen.getByTestId("confirm-ok"));
    await screen.findByTestId(`pending-result-${TOKEN}`);
    expect(decisions(calls)).toEqual([
      { cmd: "drop_launch", args: { token: TOKEN, confirm: TOKEN } },
    ]);
  });
});

describe("start-up notices", () => {
  it("shows where the unreadable file went, until dismissed", async () => {
    const calls = backend();
    renderIt(<StartupNotices />);
    const notice = await screen.findByTestId("notice-journal-corrupt");
    expect(notice).toHaveTextContent("could not be read");
    expect(within(notice).getByTestId("notice-path")).toHaveTextContent(
      "/data/launches.json.corrupt-1",
    );
    await userEvent.click(within(notice).getByTestId("notice-dismiss"));
    await act(async () => undefined);
    expect(screen.queryByTestId("notice-journal-corrupt")).toBeNull();
    expect(calls.find((c) => c.cmd === "dismiss_startup_notice")?.args).toEqual({
      id: "journal-corrupt",
    });
  });
});
