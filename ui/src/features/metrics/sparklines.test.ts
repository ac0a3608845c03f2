// The sparkline planner against a mocked IPC (no Tauri runtime under jsdom; the
// end-to-end suite drives the real app and Cloud Monitor through cvm-sim).
import { afterEach, describe, expect, it } from "vitest";
import { mockIPC } from "../../backend/mocks";
import { latest, restLeft, resetSparklines, showRows, sparkFor, sparkStats } from "./sparklines";

type Call = { region: string; ids: string[] };

function answering(calls: Call[], hold?: Promise<void>) {
  mockIPC(async (cmd, args) => {
    if (cmd !== "cpu_sparklines") throw new Error(`unexpected ${cmd}`);
    const a = args as { region: string; instanceIds: string[] };
    calls.push({ region: a.region, ids: a.instanceIds });
    if (hold) await hold;
    return a.instanceIds.map((id) => ({
      instanceId: id,
      metric: "CPUUsage",
      unit: "%",
      period: 60,
      // The last point a minute old, as Cloud Monitor answers for a running instance.
      timestamps: [Math.floor(Date.now() / 1000) - 120, Math.floor(Date.now() / 1000) - 60],
      values: [10, 42],
    }));
  });
}

const rows = (n: number, region = "ap-guangzhou", from = 0) =>
  Array.from({ length: n }, (_, i) => ({ id: `ins-${String(from + i).padStart(8, "0")}`, region }));

const settle = () => new Promise((r) => setTimeout(r, 0));

describe("sparklines", () => {
  afterEach(() => resetSparklines());

  it("asks for 10 instances a call, per region, and caches them", async () => {
    const calls: Call[] = [];
    answering(calls);
    showRows("p", [...rows(23), ...rows(3, "ap-shanghai")]);
    for (let i = 0; i < 5; i++) await settle();
    expect(calls.map((c) => c.ids.length).sort()).toEqual([10, 10, 3, 3].sort());
    expect(calls.every((c) => new Set(c.ids).size === c.ids.length)).toBe(true);
    expect(sparkFor("p", "ap-guangzhou", "ins-00000000")?.last).toBe(42);
    // Within the minute the same rows cost nothing.
    showRows("p", rows(23));
    await settle();
    expect(calls.length).toBe(4);
  });

  it("drops queued batches whose rows scrolled away", async () => {
    const calls: Call[] = [];
    let release: () => void = () => undefined;
    answering(calls, new Promise<void>((r) => (release = r)));
    showRows("p", rows(50));
    await settle();
    // Two calls go out at once; three more wait.
    expect(calls.length).toBe(2);
    showRows("p", rows(10, "ap-guangzhou", 500));
    expect(sparkStats.cancelled).toBe(3);
    release();
    for (let i = 0; i < 5; i++) await settle();
    expect(calls.length).toBe(3);
    expect(calls[2]?.ids[0]).toBe("ins-00000500");
  });
});

describe("CPU now", () => {
  const now = 1_800_000_000;
  const series = (ends: number[]) => ({
    timestamps: ends,
    values: ends.map((_, i) => 30 + i),
    period: 60,
  });
  it("is the last point while it is at most five periods old", () => {
    expect(latest(series([now - 180, now - 120]), now)).toBe(31);
    expect(latest(series([now - 360, now - 300]), now)).toBe(31);
  });
  it("is none for a series that ended longer ago (a stopped instance) or has no points", () => {
    expect(latest(series([now - 3000, now - 1200]), now)).toBeNull();
    expect(latest(series([]), now)).toBeNull();
  });
});

describe("when scrolling has stopped", () => {
  it("is 150 ms after the last scroll event, or twice the last gap between events", () => {
    // Smooth scrolling (events a frame apart): 150 ms after the last one.
    expect(restLeft({ last: 1_000, gap: 16 }, 1_100)).toBe(50);
    expect(restLeft({ last: 1_000, gap: 16 }, 1_150)).toBe(0);
    // A fling on a busy machine (frames 200 ms apart): a 200 ms pause is not a rest yet.
    expect(restLeft({ last: 1_000, gap: 200 }, 1_200)).toBe(200);
    expect(restLeft({ last: 1_000, gap: 200 }, 1_400)).toBe(0);
  });
});
