import { act, renderHook } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { clearMocks, mockIPC } from "../../backend/mocks";
import type { InstanceView } from "../../backend";
import { instanceView } from "../../test/instanceView";
import { publishEvery, useListing } from "./useListing";

type Chan = { onmessage: (v: unknown) => void };

function row(n: number): InstanceView {
  return instanceView({
    id: `ins-${String(n).padStart(8, "0")}`,
    profileId: "acct",
    name: `web-${n}`,
    privateIps: [`10.0.${n >> 8}.${n & 255}`],
  });
}

afterEach(() => {
  clearMocks();
  vi.useRealTimers();
});

describe("a streaming listing", () => {
  /** 30,000 rows in pages of 100, one page every 20 ms (6 s), as a busy fleet streams. */
  function streaming(opts: { late?: boolean } = {}) {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date", "performance"] });
    mockIPC(async (cmd, payload) => {
      const args = (payload ?? {}) as Record<string, unknown>;
      if (cmd === "cached_fleet") return [];
      if (cmd !== "stream_fleet") throw new Error(`unexpected command ${cmd}`);
      const out = args.onEvent as Chan;
      const region = (event: unknown) =>
        out.onmessage({ kind: "region", profileId: "acct", event });
      const page = (p: number) =>
        region({
          kind: "page",
          page: {
            region: "ap-guangzhou",
            offset: p * PER,
            total: PAGES * PER,
            instances: Array.from({ length: PER }, (_, i) => row(p * PER + i)),
          },
        });
      const done = () =>
        region({
          kind: "done",
          summary: {
            region: "ap-guangzhou",
            total: PAGES * PER,
            loaded: PAGES * PER,
            pages: PAGES,
          },
        });
      out.onmessage({ kind: "scope", profileId: "acct", regions: ["ap-guangzhou"] });
      region({ kind: "started", region: "ap-guangzhou" });
      for (let p = 0; p < PAGES - 1; p++) {
        await new Promise((r) => setTimeout(r, 20));
        page(p);
      }
      await new Promise((r) => setTimeout(r, 20));
      if (opts.late) {
        // The channel's last messages after the command's answer.
        setTimeout(() => {
          page(PAGES - 1);
          done();
        }, 5);
      } else {
        page(PAGES - 1);
        done();
      }
      return { loaded: PAGES * PER, failed: [], failedAccounts: [], superseded: false };
    });
    const shown: number[] = [];
    let last: unknown = null;
    const hook = renderHook(() => {
      const l = useListing([{ profileId: "acct", regions: ["ap-guangzhou"] }], 0, "test");
      if (l.rows !== last && l.rows.length > 0) shown.push(l.rows.length);
      last = l.rows;
      return l;
    });
    return { ...hook, shown };
  }
  const PAGES = 300;
  const PER = 100;
  // One step at a time, each in its own act() so React renders as the app would.
  const advance = async (ms: number, step = 20) => {
    for (let t = 0; t < ms; t += step) await act(() => vi.advanceTimersByTimeAsync(step));
  };

  it("shows the first page at once, folds a large stream into few renders and shows its end at once", async () => {
    const { result, shown } = streaming();
    await act(() => vi.advanceTimersByTimeAsync(25));
    expect(result.current.rows).toHaveLength(PER); // the first page, without waiting
    await advance((PAGES - 1) * 20);
    await act(() => vi.advanceTimersByTimeAsync(1));
    // The end shows as soon as the stream ends, not a publishing interval later.
    expect(result.current.rows).toHaveLength(PAGES * PER);
    expect(result.current.loading).toBe(false);
    expect(result.current.progress["acct\u0000ap-guangzhou"]?.status).toBe("done");
    // Every 200 ms while small, then less often as each render rebuilds more rows: about
    // a dozen renders for 6 s of pages (one per 200 ms would be 30), still growing.
    expect(shown.length).toBeGreaterThanOrEqual(6);
    expect(shown.length).toBeLessThanOrEqual(16);
    expect(shown).toEqual([...shown].sort((a, b) => a - b));
  });

  it("shows pages that arrive after the stream's answer at once", async () => {
    const { result } = streaming({ late: true });
    await advance(PAGES * 20);
    expect(result.current.loading).toBe(false);
    expect(result.current.rows).toHaveLength((PAGES - 1) * PER);
    await act(() => vi.advanceTimersByTimeAsync(6));
    expect(result.current.rows).toHaveLength(PAGES * PER);
    expect(result.current.progress["acct\u0000ap-guangzhou"]?.status).toBe("done");
  });

  it("publishes every 200 ms up to 5,000 rows and at most once a second from 25,000", () => {
    expect(publishEvery(0)).toBe(200);
    expect(publishEvery(5000)).toBe(200);
    expect(publishEvery(10000)).toBe(400);
    expect(publishEvery(25000)).toBe(1000);
    expect(publishEvery(300000)).toBe(1000);
  });
});
