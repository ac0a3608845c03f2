import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { mockIPC } from "../../backend/mocks";
import "../../i18n";
import type { AddressView, ProfileView } from "../../backend";
import { ResourcesPage } from "./ResourcesPage";
import {
  cidrLooksValid,
  imageNameProblem,
  keyNameProblem,
  portProblem,
  publicKeyLooksValid,
} from "./validation";

const ED =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ1Fh2s0M3Rk1n8Vb4pGQyqf5n0l8h3V7u2m9cX2H0aZ me@host";

describe("quick checks mirror the backend's rules", () => {
  it("key pair names", () => {
    expect(keyNameProblem("deploy_1")).toBeNull();
    expect(keyNameProblem("")).toBe("required");
    expect(keyNameProblem("a".repeat(26))).toBe("tooLong");
    expect(keyNameProblem("my-key")).toBe("illegal");
  });
  it("public keys", () => {
    expect(publicKeyLooksValid(ED)).toBe(true);
    expect(publicKeyLooksValid("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA")).toBe(false);
    expect(publicKeyLooksValid("ssh-dss AAAAB3NzaC1kc3MAAACBAP")).toBe(false);
    expect(publicKeyLooksValid("-----BEGIN OPENSSH PRIVATE KEY-----\nabc")).toBe(false);
  });
  it("image names", () => {
    expect(imageNameProblem("web-2026.11_base")).toBeNull();
    expect(imageNameProblem("网站镜像")).toBeNull();
    expect(imageNameProblem(" ")).toBe("required");
    expect(imageNameProblem("x".repeat(61))).toBe("tooLong");
    expect(imageNameProblem("has space")).toBe("illegal");
  });
  it("rule ports and sources", () => {
    expect(portProblem("22", "TCP")).toBeNull();
    expect(portProblem("80,443", "TCP")).toBeNull();
    expect(portProblem("8000-8080", "UDP")).toBeNull();
    expect(portProblem("", "ICMP")).toBeNull();
    expect(portProblem("70000", "TCP")).toBe("range");
    expect(portProblem("9000-80", "TCP")).toBe("range");
    expect(portProblem("22", "ALL")).toBe("allOnly");
    expect(cidrLooksValid("10.0.0.0/8")).toBe(true);
    expect(cidrLooksValid("203.0.113.7")).toBe(true);
    expect(cidrLooksValid("10.0.0.0/33")).toBe(false);
    expect(cidrLooksValid("example.com")).toBe(false);
  });
});

const profile: ProfileView = {
  id: "sandbox",
  name: "Sandbox",
  kind: "sandbox",
  site: { type: "china" },
  defaultRegion: "ap-guangzhou",
  language: "en-US",
  budget: { type: "current" },
  readOnly: false,
  maskedSecretId: "AKID…1234",
  hasToken: false,
  lastRegion: null,
  locked: false,
} as ProfileView;

const idle: AddressView = {
  id: "eip-abcd1234",
  name: "web",
  ip: "203.0.113.7",
  status: "UNBIND",
  instanceId: null,
  bandwidthMbps: 5,
  internetChargeType: "TRAFFIC_POSTPAID_BY_HOUR",
  addressType: "EIP",
  createdTime: null,
  isArrears: false,
};

function setup(calls: { cmd: string; args: Record<string, unknown> }[]) {
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: (args ?? {}) as Record<string, unknown> });
    switch (cmd) {
      case "list_profiles":
        return { active: "sandbox", profiles: [profile], corruptBackup: null };
      case "list_regions":
        return [
          { id: "ap-guangzhou", name: "Guangzhou", available: true, geography: "chinaMainland" },
        ];
      case "list_security_groups":
        return [];
      case "list_addresses":
        return [idle];
      case "list_key_pairs":
        return [];
      case "release_address":
        return "req-1";
      case "import_key_pair":
        throw {
          kind: "invalid-input",
          code: "App.InvalidInput",
          message: "the ssh-ed25519 key data has the wrong length",
          requestId: null,
          field: "publicKey",
        };
      default:
        throw new Error(`unexpected command ${cmd}`);
    }
  });
  render(
    <QueryClientProvider
      client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}
    >
      <ResourcesPage />
    </QueryClientProvider>,
  );
}

describe("the resources page", () => {
  it("releases an idle EIP only after its id is typed, and says idle EIPs are charged", async () => {
    const calls: { cmd: string; args: Record<string, unknown> }[] = [];
    setup(calls);
    await userEvent.click(await screen.findByTestId("res-tab-addresses"));
    expect(await screen.findByTestId("eip-billing-note")).toHaveTextContent(/still charged/);
    await userEvent.click(await screen.findByTestId(`eip-release-${idle.id}`));
    const dialog = screen.getByTestId("confirm-dialog");
    expect(dialog).toHaveTextContent(idle.ip);
    const go = within(dialog).getByTestId("confirm-ok");
    expect(go).toBeDisabled();
    await userEvent.type(within(dialog).getByTestId("confirm-typed"), "eip-wrong");
    expect(go).toBeDisabled();
    await userEvent.clear(within(dialog).getByTestId("confirm-typed"));
    await userEvent.type(within(dialog).getByTestId("confirm-typed"), idle.id);
    await userEvent.click(go);
    const release = calls.find((c) => c.cmd === "release_address");
    expect(release?.args).toMatchObject({ addressId: idle.id, confirm: idle.id });
  });

  it("shows the backend's refusal under the field it names", async () => {
    const calls: { cmd: string; args: Record<string, unknown> }[] = [];
    setup(calls);
    await userEvent.click(await screen.findByTestId("res-tab-keyPairs"));
    await userEvent.type(await screen.findByTestId("kp-import-name"), "bad-name");
    expect(screen.getByTestId("kp-name-hint")).toHaveTextContent(/letters, digits and _/);
    await userEvent.clear(screen.getByTestId("kp-import-name"));
    await userEvent.type(screen.getByTestId("kp-import-name"), "laptop");
    await userEvent.type(screen.getByTestId("kp-import-key"), "ssh-ed25519 AAAA");
    expect(screen.getByTestId("kp-key-hint")).toBeInTheDocument();
    await userEvent.click(screen.getByTestId("kp-import"));
    expect(await screen.findByTestId("res-field-error-publicKey")).toHaveTextContent(
      /wrong length/,
    );
  });
});
