import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { afterEach, describe, expect, it } from "vitest";
import { mockIPC } from "../../backend/mocks";
import "../../i18n";
import type { InstanceDetail, OpenOutcome } from "../../backend";
import { ConnectHost, hostAndPort } from "./ConnectDialog";
import { SessionSink, requestConnect, resetConnect, useConnectState } from "./store";

type Call = { cmd: string; args: Record<string, unknown> };

function detail(state: string, osName: string, publicIps = ["203.0.113.7"]): InstanceDetail {
  return {
    summary: {
      id: "ins-abcd1234",
      name: "web-1",
      state,
      osName,
      publicIps,
      privateIps: ["10.0.0.7"],
    },
    keyIds: ["skey-abcd1234"],
  } as unknown as InstanceDetail;
}

/** Answers the dialog's reads; `open` answers each open_session in turn. */
function setup(d: InstanceDetail, open: OpenOutcome[] = []) {
  const calls: Call[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: (args ?? {}) as Record<string, unknown> });
    switch (cmd) {
      case "describe_instance":
        return d;
      case "get_key_path":
        return "/home/u/.ssh/web.pem";
      case "cached_instances":
        return null;
      case "ssh_command":
        return "ssh -i /home/u/.ssh/web.pem root@203.0.113.7";
      case "open_session":
        return open.shift();
      case "forget_host_key":
        return 1;
      case "set_key_path":
        return null;
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  });
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  function Host() {
    const s = useConnectState();
    return (
      <>
        <ConnectHost target={s.request} />
        <span data-testid="tabs">{s.tabs.length}</span>
      </>
    );
  }
  render(
    <QueryClientProvider client={qc}>
      <Host />
    </QueryClientProvider>,
  );
  act(() =>
    requestConnect({
      kind: "instance",
      profileId: "p1",
      region: "ap-guangzhou",
      instanceId: "ins-abcd1234",
      name: "web-1",
    }),
  );
  return calls;
}

const opens = (calls: Call[]) => calls.filter((c) => c.cmd === "open_session");

afterEach(() => act(() => resetConnect()));

describe("the connect dialog", () => {
  it("offers the remembered key file and asks about an unknown host key: Cancel stores nothing, OK retries with that fingerprint", async () => {
    const calls = setup(detail("RUNNING", "TencentOS Server 3.1"), [
      { outcome: "hostKeyUnknown", host: "203.0.113.7", fingerprint: "SHA256:abc" },
      { outcome: "hostKeyUnknown", host: "203.0.113.7", fingerprint: "SHA256:abc" },
      { outcome: "opened", sessionId: "ssh-1" },
    ]);
    await screen.findByDisplayValue("/home/u/.ssh/web.pem");
    await userEvent.click(screen.getByTestId("connect-submit"));
    expect(await screen.findByTestId("host-key-fingerprint")).toHaveTextContent("SHA256:abc");
    await userEvent.click(screen.getByTestId("confirm-cancel"));
    expect(screen.getByTestId("connect-notice")).toBeInTheDocument();
    expect(opens(calls)).toHaveLength(1);
    expect(opens(calls)[0]?.args.trust).toBeNull();

    await userEvent.click(screen.getByTestId("connect-submit"));
    await screen.findByTestId("host-key-fingerprint");
    await userEvent.click(screen.getByTestId("confirm-ok"));
    expect(await screen.findByTestId("tabs")).toHaveTextContent("1");
    expect(opens(calls)[2]?.args.trust).toBe("SHA256:abc");
    expect(opens(calls)[2]?.args.auth).toEqual({
      method: "keyFile",
      keyFile: "/home/u/.ssh/web.pem",
      passphrase: null,
    });
    expect(screen.queryByTestId("connect-dialog")).not.toBeInTheDocument();
  });

  it("refuses a changed host key with both fingerprints: Connect stays off, only removing the old key (confirmed) goes on", async () => {
    const calls = setup(detail("RUNNING", "Ubuntu Server 22.04 LTS 64bit"), [
      {
        outcome: "hostKeyChanged",
        host: "[198.51.100.2]:2222",
        stored: "SHA256:old",
        offered: "SHA256:new",
        file: "/cfg/known_hosts",
        line: 3,
      },
    ]);
    await screen.findByDisplayValue("/home/u/.ssh/web.pem");
    await userEvent.click(screen.getByTestId("connect-submit"));
    expect(await screen.findByTestId("host-key-stored")).toHaveTextContent("SHA256:old");
    expect(screen.getByTestId("host-key-offered")).toHaveTextContent("SHA256:new");
    expect(screen.getByTestId("connect-submit")).toBeDisabled();
    await userEvent.click(screen.getByTestId("host-key-remove"));
    await userEvent.click(screen.getByTestId("confirm-cancel"));
    expect(calls.some((c) => c.cmd === "forget_host_key")).toBe(false);
    await userEvent.click(screen.getByTestId("host-key-remove"));
    await userEvent.click(screen.getByTestId("confirm-ok"));
    expect(await screen.findByTestId("connect-notice")).toBeInTheDocument();
    expect(calls.find((c) => c.cmd === "forget_host_key")?.args).toEqual({
      host: "198.51.100.2",
      port: 2222,
    });
    expect(screen.getByTestId("connect-submit")).toBeEnabled();
    expect(screen.getByTestId("tabs")).toHaveTextContent("0");
  });

  it("explains a stopped instance instead of offering SSH", async () => {
    setup(detail("STOPPED", "TencentOS Server 3.1"));
    expect(await screen.findByTestId("connect-not-running")).toBeInTheDocument();
    expect(screen.queryByTestId("connect-submit")).not.toBeInTheDocument();
  });

  it("explains RDP for a Windows instance and offers its VNC console", async () => {
    setup(detail("RUNNING", "Windows Server 2022 DataCenter 64bit"));
    expect(await screen.findByTestId("connect-windows")).toHaveTextContent(/RDP/);
    expect(screen.getByTestId("connect-vnc")).toBeInTheDocument();
    expect(screen.queryByTestId("connect-submit")).not.toBeInTheDocument();
  });

  it("asks for a jump host when the instance has no public IP", async () => {
    setup(detail("RUNNING", "TencentOS Server 3.1", []));
    expect(await screen.findByTestId("connect-jump-host")).toBeInTheDocument();
    expect(screen.getByTestId("connect-target")).toHaveTextContent("10.0.0.7");
  });

  it("keeps a failed login in the dialog with no tab, and sends the password only in the command", async () => {
    const calls: Call[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args: (args ?? {}) as Record<string, unknown> });
      if (cmd === "describe_instance") return detail("RUNNING", "TencentOS Server 3.1");
      if (cmd === "get_key_path") return null;
      if (cmd === "cached_instances") return null;
      if (cmd === "ssh_command") return "ssh root@203.0.113.7";
      if (cmd === "open_session")
        throw {
          kind: "auth",
          code: "App.LoginRefused",
          message: "root@203.0.113.7:22 refused the login.",
          requestId: null,
          field: null,
        };
      throw new Error(`unexpected command ${cmd}`);
    });
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    function Host() {
      const s = useConnectState();
      return (
        <>
          <ConnectHost target={s.request} />
          <span data-testid="tabs">{s.tabs.length}</span>
        </>
      );
    }
    render(
      <QueryClientProvider client={qc}>
        <Host />
      </QueryClientProvider>,
    );
    act(() =>
      requestConnect({
        kind: "instance",
        profileId: "p1",
        region: "ap-guangzhou",
        instanceId: "ins-abcd1234",
        name: "web-1",
      }),
    );
    await userEvent.click(await screen.findByTestId("connect-method-password"));
    await userEvent.type(screen.getByTestId("connect-password"), "s3cret!");
    await userEvent.click(screen.getByTestId("connect-submit"));
    expect(await screen.findByTestId("error-box")).toHaveTextContent("refused the login");
    expect(screen.getByTestId("tabs")).toHaveTextContent("0");
    const sent = calls.filter((c) => JSON.stringify(c.args).includes("s3cret!"));
    expect(sent.map((c) => c.cmd)).toEqual(["open_session"]);
  });
});

describe("a session's output before its terminal exists", () => {
  it("is kept and handed over in order, then passed straight through", () => {
    const sink = new SessionSink();
    const bytes = (...b: number[]) => new Uint8Array(b).buffer;
    const h = bytes(104);
    const i = bytes(105);
    sink.push(h);
    sink.push(i);
    const seen: unknown[] = [];
    const detach = sink.attach((e) => seen.push(e));
    sink.push({ exitStatus: 0 });
    detach();
    sink.push(bytes(33));
    expect(seen).toEqual([h, i, { exitStatus: 0 }]);
    expect(seen[0]).toBe(h);
  });
});

describe("host names as known_hosts writes them", () => {
  it("splits [host]:port and defaults to 22", () => {
    expect(hostAndPort("[10.0.0.1]:2222")).toEqual({ host: "10.0.0.1", port: 2222 });
    expect(hostAndPort("sandbox")).toEqual({ host: "sandbox", port: 22 });
    expect(hostAndPort("[::1]:22")).toEqual({ host: "::1", port: 22 });
  });
});
