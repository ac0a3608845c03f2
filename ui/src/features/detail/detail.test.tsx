import "@testing-library/jest-dom/vitest";
import { render, renderHook, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { clearMocks, mockIPC } from "../../backend/mocks";
import i18n from "../../i18n";
import type { InstanceDetail } from "../../backend";
import { DetailPage, billingSlotApplies, failureOf } from "./DetailPage";
import { cancelConnect, useConnectState } from "../connect/store";

function detail(extra: Partial<InstanceDetail["summary"]> = {}): InstanceDetail {
  return {
    summary: {
      id: "ins-abcd1234",
      profileId: "sandbox",
      region: "ap-guangzhou",
      name: "web-1",
      state: "RUNNING",
      zone: "ap-guangzhou-3",
      instanceType: "S5.MEDIUM4",
      cpu: 2,
      memoryGib: 4,
      privateIps: ["10.0.0.8"],
      publicIps: ["203.0.113.9"],
      chargeType: "PREPAID",
      internetChargeType: "TRAFFIC_POSTPAID_BY_HOUR",
      bandwidthOutMbps: 5,
      expiredTime: "2027-01-01T00:00:00Z",
      createdTime: "2026-01-01T00:00:00Z",
      tags: [{ key: "env", value: "prod" }],
      osName: "TencentOS Server 3.1",
      restrictState: "NORMAL",
      stopChargingMode: "NOT_APPLICABLE",
      disableApiTermination: false,
      latestOperation: "RunInstances",
      latestOperationState: "SUCCESS",
      latestOperationRequestId: null,
      latestOperationError: null,
      ...extra,
    },
    uuid: "6a3c0c8e-0000-4000-8000-000000000001",
    projectId: 0,
    hostName: "VM-0-8-tencentos",
    imageId: "img-487zeit5",
    isolatedSource: "NOTISOLATED",
    latestOperationRequestId: "req-1",
    gpuCount: null,
    gpuType: null,
    licenseType: "TencentCloud",
    camRoleName: null,
    hpcClusterId: null,
    dedicatedClusterId: null,
    disasterRecoverGroupIds: [],
    enableJumboFrame: false,
    metadata: [],
    vpcId: "vpc-11112222",
    subnetId: "subnet-33334444",
    ipv6Addresses: [],
    publicIpv6Addresses: [],
    rdmaIpAddresses: [],
    publicIpAssigned: true,
    bandwidthPackageId: null,
    internetServiceProvider: "BGP",
    securityGroupIds: ["sg-55556666"],
    systemDisk: {
      diskId: "disk-77778888",
      diskType: "CLOUD_PREMIUM",
      sizeGib: 50,
      name: null,
      deleteWithInstance: null,
      encrypted: false,
    },
    dataDisks: [],
    renewFlag: "NOTIFY_AND_MANUAL_RENEW",
    keyIds: ["skey-9999aaaa"],
    defaultLoginUser: "root",
    defaultLoginPort: 22,
  };
}

let copied: string[] = [];
function backend(d: InstanceDetail) {
  copied = [];
  mockIPC((cmd, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    if (cmd === "list_profiles")
      return {
        active: "sandbox",
        corruptBackup: null,
        profiles: [{ id: "sandbox", locked: false }],
      };
    if (cmd === "describe_instance") return d;
    if (cmd === "copy_text") {
      copied.push(String(args.text));
      return null;
    }
    throw new Error(`unexpected ${cmd}`);
  });
}

function show(billing?: Parameters<typeof DetailPage>[0]["billing"]) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <DetailPage
        target={{ region: "ap-guangzhou", instanceId: "ins-abcd1234" }}
        billing={billing}
      />
    </QueryClientProvider>,
  );
}

beforeEach(() => i18n.changeLanguage("en"));
afterEach(() => clearMocks());

describe("detail view", () => {
  it("groups everything DescribeInstances returns and copies ids and IPs", async () => {
    const user = userEvent.setup();
    backend(detail());
    show();
    await screen.findByTestId("detail-section-overview");
    expect(screen.getByTestId("detail-name")).toHaveTextContent("web-1");
    for (const s of ["overview", "configuration", "network", "storage", "billing", "login"]) {
      expect(screen.getByTestId(`detail-section-${s}`)).toBeInTheDocument();
    }
    const net = screen.getByTestId("detail-section-network");
    expect(within(net).getByText("vpc-11112222")).toBeInTheDocument();
    expect(within(net).getByText("203.0.113.9")).toBeInTheDocument();
    expect(screen.getByTestId("detail-f-systemDisk")).toHaveTextContent("CLOUD_PREMIUM · 50 GiB");
    expect(screen.getByTestId("detail-f-renewFlag")).toHaveTextContent(
      "Manual renewal, with notice",
    );
    expect(screen.getByTestId("detail-f-keys")).toHaveTextContent("skey-9999aaaa");
    await user.click(screen.getByTestId("copy-id-0"));
    await user.click(screen.getByTestId("copy-publicIp-0"));
    await user.click(screen.getByTestId("copy-privateIp-0"));
    expect(copied).toEqual(["ins-abcd1234", "203.0.113.9", "10.0.0.8"]);
    await waitFor(() => expect(screen.getByTestId("copy-id-0")).toHaveAttribute("data-copied"));
    expect(screen.queryByTestId("detail-failure")).toBeNull();
    // By default the billing feature's dialogs fill the slots (prepaid: no conversion).
    expect(screen.getByTestId("detail-renew")).toHaveTextContent("Renew");
    expect(screen.getByTestId("detail-autoRenew")).toBeInTheDocument();
    expect(screen.getByTestId("detail-buySame")).toBeInTheDocument();
    expect(screen.queryByTestId("detail-toPrepaid")).toBeNull();
  });

  it("shows LAUNCH_FAILED with Tencent's message", async () => {
    const d = detail({
      state: "LAUNCH_FAILED",
      latestOperationState: "FAILED",
      latestOperationError: "The zone ran out of resources for instance type S5.MEDIUM4",
    });
    expect(failureOf(d)).toMatch(/ran out of resources/);
    backend(d);
    show();
    expect(await screen.findByTestId("detail-failure")).toHaveTextContent(
      "The instance failed to launch",
    );
    expect(screen.getByTestId("detail-failure-message")).toHaveTextContent("S5.MEDIUM4");
    // Nothing to change on it; buying the same configuration is still offered.
    expect(screen.queryByTestId("detail-resize")).toBeNull();
    expect(screen.queryByTestId("detail-renew")).toBeNull();
    expect(screen.getByTestId("detail-buySame")).toBeInTheDocument();
  });

  it("offers type and bandwidth changes, and billing dialogs only where they apply", async () => {
    const user = userEvent.setup();
    backend(detail());
    const opened: string[] = [];
    show({
      renew: (p) => {
        opened.push(`renew ${p.instanceId}`);
        return <div data-testid="renew-dialog" />;
      },
      toPrepaid: () => <div />,
      buySame: () => <div />,
    });
    await screen.findByTestId("detail-section-overview");
    expect(screen.getByTestId("detail-resize")).toHaveTextContent("Change type");
    expect(screen.getByTestId("detail-bandwidth")).toBeInTheDocument();
    // Prepaid: renew and buy-the-same, not convert-to-prepaid; auto-renew not provided.
    expect(screen.getByTestId("detail-renew")).toBeInTheDocument();
    expect(screen.getByTestId("detail-buySame")).toBeInTheDocument();
    expect(screen.queryByTestId("detail-toPrepaid")).toBeNull();
    expect(screen.queryByTestId("detail-autoRenew")).toBeNull();
    await user.click(screen.getByTestId("detail-renew"));
    expect(await screen.findByTestId("renew-dialog")).toBeInTheDocument();
    expect(opened).toEqual(["renew ins-abcd1234"]);
    expect(billingSlotApplies("toPrepaid", "POSTPAID_BY_HOUR")).toBe(true);
    expect(billingSlotApplies("renew", "POSTPAID_BY_HOUR")).toBe(false);
  });

  it("has a Connect button that opens the connect dialog for a running instance only", async () => {
    const user = userEvent.setup();
    backend(detail());
    show();
    const state = renderHook(() => useConnectState());
    const button = await screen.findByTestId("detail-connect");
    expect(button).toBeEnabled();
    await user.click(button);
    expect(state.result.current.request).toEqual({
      kind: "instance",
      profileId: "sandbox",
      region: "ap-guangzhou",
      instanceId: "ins-abcd1234",
      name: "web-1",
    });
    cancelConnect();
  });

  it("disables Connect, saying why, while the instance is stopped", async () => {
    backend(detail({ state: "STOPPED" }));
    show();
    const button = await screen.findByTestId("detail-connect");
    expect(button).toBeDisabled();
    expect(button).toHaveAttribute("title", "Only a running instance can be connected to.");
  });

  it("speaks Chinese", async () => {
    await i18n.changeLanguage("zh-CN");
    backend(detail());
    show();
    expect(await screen.findByText("概览")).toBeInTheDocument();
    expect(screen.getByText("公网 IP")).toBeInTheDocument();
    expect(screen.getByTestId("detail-f-charge")).toHaveTextContent(/包年包月|PREPAID/);
  });
});
