import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { mockIPC } from "../../backend/mocks";
import "../../i18n";
import type { InstanceView, KeyPairView } from "../../backend";
import { KeyBindDialog } from "./KeyBindDialog";

const scope = { profileId: "sandbox", region: "ap-guangzhou", locked: false };

function inst(id: string, state: string, osName: string): InstanceView {
  return { id, name: id, state, osName, region: scope.region } as InstanceView;
}

const key: KeyPairView = {
  id: "skey-abcd1234",
  name: "deploy",
  description: "",
  publicKey: "ssh-ed25519 AAAA",
  associatedInstanceIds: [],
  createdTime: null,
};

function setup(calls: { cmd: string; args: Record<string, unknown> }[]) {
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: (args ?? {}) as Record<string, unknown> });
    if (cmd === "bind_key_pair") return "req-1";
    throw new Error(`unexpected command ${cmd}`);
  });
  const qc = new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Infinity } },
  });
  // The region's instances, as the picker's query would have loaded them.
  qc.setQueryData(
    ["instances", scope.profileId, scope.region, "all"],
    [
      inst("ins-run00001", "RUNNING", "Ubuntu Server 22.04 LTS 64bit"),
      inst("ins-stop0001", "STOPPED", "TencentOS Server 3.1"),
      inst("ins-win00001", "STOPPED", "Windows Server 2022 DataCenter 64bit CN"),
    ],
  );
  render(
    <QueryClientProvider client={qc}>
      <KeyBindDialog scope={scope} keyPair={key} mode="bind" onClose={() => {}} />
    </QueryClientProvider>,
  );
}

describe("binding a key pair", () => {
  it("excludes Windows, asks for ForceStop before a running instance, and sends the choice", async () => {
    const calls: { cmd: string; args: Record<string, unknown> }[] = [];
    setup(calls);
    expect(await screen.findByTestId("kp-pick-ins-win00001")).toBeDisabled();
    const go = screen.getByTestId("kp-bind-go");
    expect(go).toBeDisabled();
    await userEvent.click(screen.getByTestId("kp-pick-ins-stop0001"));
    expect(go).toBeEnabled();
    await userEvent.click(screen.getByTestId("kp-pick-ins-run00001"));
    expect(screen.getByTestId("kp-needs-force")).toHaveTextContent("ins-run00001");
    expect(go).toBeDisabled();
    expect(calls).toHaveLength(0);
    await userEvent.click(screen.getByTestId("kp-force"));
    expect(screen.queryByTestId("kp-needs-force")).toBeNull();
    expect(screen.getByTestId("kp-bind-dialog")).toHaveTextContent(/data not yet written/);
    await userEvent.click(go);
    expect(await screen.findByTestId("kp-bind-done")).toHaveTextContent(/2 instances/);
    expect(calls.find((c) => c.cmd === "bind_key_pair")?.args).toMatchObject({
      keyId: key.id,
      instanceIds: ["ins-stop0001", "ins-run00001"],
      forceStop: true,
    });
  });
});
