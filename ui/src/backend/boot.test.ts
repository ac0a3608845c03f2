import { afterEach, describe, expect, it, vi } from "vitest";

/** A fresh copy of the module, reading the document as it is now. */
async function boot(json: string | null) {
  document.getElementById("cvm-boot")?.remove();
  if (json !== null) {
    const el = document.createElement("script");
    el.type = "application/json";
    el.id = "cvm-boot";
    el.textContent = json;
    document.head.append(el);
  }
  vi.resetModules();
  return import("./boot");
}

const profiles = { active: "sandbox", profiles: [], corruptBackup: null };
const cached = { profileId: "sandbox", region: "ap-guangzhou", savedAtMs: 1, instances: [] };

afterEach(() => document.getElementById("cvm-boot")?.remove());

describe("the first screen's data from the document", () => {
  it("gives the profiles and the matching cached list once each", async () => {
    const b = await boot(JSON.stringify({ profiles, cached }));
    expect(b.takeBootCache("sandbox", "ap-guangzhou")).toEqual(cached);
    expect(b.takeBootCache("sandbox", "ap-guangzhou")).toBeUndefined();
    expect(b.takeBootProfiles()).toEqual(profiles);
    expect(b.takeBootProfiles()).toBeUndefined();
    // Read once, then out of the page.
    expect(document.getElementById("cvm-boot")).toBeNull();
  });

  it("drops the cached list when the first listing asks for another scope", async () => {
    let b = await boot(JSON.stringify({ profiles, cached }));
    expect(b.takeBootCache("sandbox", "ap-shanghai")).toBeUndefined();
    expect(b.takeBootCache("sandbox", "ap-guangzhou")).toBeUndefined();
    b = await boot(JSON.stringify({ profiles, cached }));
    expect(b.takeBootCache("other", "ap-guangzhou")).toBeUndefined();
    expect(b.takeBootCache("sandbox", "ap-guangzhou")).toBeUndefined();
  });

  it("gives nothing without the block, with an unreadable one, or with profiles unknown", async () => {
    let b = await boot(null);
    expect(b.takeBootProfiles()).toBeUndefined();
    expect(b.takeBootCache("sandbox", "ap-guangzhou")).toBeUndefined();
    b = await boot("{not json");
    expect(b.takeBootProfiles()).toBeUndefined();
    b = await boot(JSON.stringify({ profiles: null, cached: null }));
    expect(b.takeBootProfiles()).toBeUndefined();
    expect(b.takeBootCache("sandbox", "ap-guangzhou")).toBeUndefined();
  });

  it("lets the first render of that listing show the rows, before any call answers", async () => {
    const row = { id: "ins-boot0001", profileId: "sandbox", region: "ap-guangzhou", name: "web" };
    const b = await boot(JSON.stringify({ profiles, cached: { ...cached, instances: [row] } }));
    expect(b.peekBootCache("sandbox", "ap-shanghai")).toBeUndefined();
    expect(b.peekBootCache("sandbox", "ap-guangzhou")?.instances).toHaveLength(1);
    // The same fresh module graph as `b` (React and the hook included).
    const { renderHook } = await import("@testing-library/react");
    const { useListing } = await import("../features/instances/useListing");
    const { mockIPC, clearMocks } = await import("./mocks");
    const asked: string[] = [];
    mockIPC((cmd) => {
      asked.push(cmd);
      return new Promise(() => undefined); // nothing answers: only the first render counts
    });
    const firsts: string[][] = [];
    const targets = [{ profileId: "sandbox", regions: ["ap-guangzhou"] }];
    const { unmount } = renderHook(() => {
      const l = useListing(targets, 0, "boot-test");
      firsts.push(l.rows.map((r) => r.id));
      return l;
    });
    expect(firsts[0]).toEqual(["ins-boot0001"]);
    // The listing took the document's list (no cached_fleet call) and went on to list.
    await vi.waitFor(() => expect(asked).toContain("stream_fleet"));
    expect(asked).not.toContain("cached_fleet");
    expect(b.takeBootCache("sandbox", "ap-guangzhou")).toBeUndefined();
    unmount();
    clearMocks();
  });
});
