import "@testing-library/jest-dom/vitest";
import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
// The Tauri IPC cannot run under jsdom: the backend answers through Tauri's own mock.
import { clearMocks, mockIPC } from "../../backend/mocks";
import i18n from "../../i18n";
import type { InstanceView } from "../../backend";
import { TagsDialog } from "./TagsDialog";

const row = (profileId: string, region: string, id: string) =>
  ({ id, profileId, region, name: id, tags: [] }) as unknown as InstanceView;

const calls: { cmd: string; args: Record<string, unknown> }[] = [];
beforeEach(async () => {
  calls.length = 0;
  await act(() => i18n.changeLanguage("en"));
  mockIPC((cmd, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args });
    if (cmd === "set_instance_tags" || cmd === "remove_instance_tags")
      return { changed: args.instanceIds, failed: [] };
    return null;
  });
});
afterEach(() => clearMocks());

describe("the tags dialog", () => {
  const rows = [
    row("ops", "ap-guangzhou", "ins-a1"),
    row("ops", "ap-guangzhou", "ins-a2"),
    row("data", "ap-shanghai", "ins-b1"),
  ];

  it("names a bad key at its field and sends nothing, then sets the tag once per (account, region)", async () => {
    const user = userEvent.setup();
    const changed = vi.fn();
    render(<TagsDialog instances={rows} onClose={() => undefined} onChanged={changed} />);
    await user.type(screen.getByTestId("tag-key"), "bad#key");
    await user.type(screen.getByTestId("tag-value"), "1");
    await user.click(screen.getByTestId("tags-set"));
    expect(screen.getByTestId("tag-key-error")).toHaveTextContent("“#” is not allowed");
    expect(calls.filter((c) => c.cmd === "set_instance_tags")).toHaveLength(0);
    await user.clear(screen.getByTestId("tag-key"));
    await user.type(screen.getByTestId("tag-key"), "env");
    await user.click(screen.getByTestId("tags-set"));
    await waitFor(() => expect(screen.getByTestId("tags-result")).toHaveTextContent("3 instances"));
    expect(
      calls
        .filter((c) => c.cmd === "set_instance_tags")
        .map((c) => [c.args.scope, c.args.instanceIds]),
    ).toEqual([
      [{ profile: "ops", region: "ap-guangzhou" }, ["ins-a1", "ins-a2"]],
      [{ profile: "data", region: "ap-shanghai" }, ["ins-b1"]],
    ]);
    expect(changed).toHaveBeenCalledOnce();
  });

  it("removes a key only after the confirmation, carrying every instance it named", async () => {
    const user = userEvent.setup();
    render(<TagsDialog instances={rows} onClose={() => undefined} onChanged={() => undefined} />);
    await user.type(screen.getByTestId("tag-key"), "env");
    await user.click(screen.getByTestId("tags-remove"));
    await user.click(await screen.findByTestId("confirm-cancel"));
    expect(calls.filter((c) => c.cmd === "remove_instance_tags")).toHaveLength(0);
    await user.click(screen.getByTestId("tags-remove"));
    await user.click(await screen.findByTestId("confirm-ok"));
    await waitFor(() =>
      expect(calls.filter((c) => c.cmd === "remove_instance_tags")).toHaveLength(2),
    );
    for (const c of calls.filter((x) => x.cmd === "remove_instance_tags")) {
      expect(c.args.keys).toEqual(["env"]);
      expect((c.args.consent as { instanceIds: string[] }).instanceIds).toEqual([
        "ins-a1",
        "ins-a2",
        "ins-b1",
      ]);
    }
  });
});
