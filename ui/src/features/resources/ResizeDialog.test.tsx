import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
// eslint-disable-next-line no-restricted-imports
import { mockIPC } from "@tauri-apps/api/mocks";
import "../../i18n";
import type { ResizeOptions } from "../../backend";
import { ResizeDialog } from "./ResizeDialog";

const options: ResizeOptions = {
  instanceId: "ins-abcd1234",
  instanceName: "web-1",
  zone: "ap-guangzhou-3",
  state: "RUNNING",
  chargeType: "POSTPAID_BY_HOUR",
  currentType: "S5.MEDIUM4",
  cpu: 2,
  memoryGib: 4,
  needsStop: true,
  targets: [
    {
      instanceType: "S5.LARGE8",
      family: "S5",
      cpu: 4,
      memoryGib: 8,
      gpu: 0,
      available: true,
      reason: null,
    },
    {
      instanceType: "S5.2XLARGE16",
      family: "S5",
      cpu: 8,
      memoryGib: 16,
      gpu: 0,
      available: false,
      reason: "Sold out",
    },
  ],
};

describe("the resize dialog", () => {
  it("offers only sellable types, quotes the price, and states the force-stop risk", async () => {
    const calls: { cmd: string; args: Record<string, unknown> }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args: (args ?? {}) as Record<string, unknown> });
      if (cmd === "resize_options") return options;
      if (cmd === "resize_price")
        return {
          unitPrice: 0.5,
          unitPriceDiscount: 0.5,
          chargeUnit: "HOUR",
          originalPrice: null,
          discountPrice: null,
        };
      if (cmd === "resize_instance") return "req-1";
      throw new Error(`unexpected ${cmd}`);
    });
    render(
      <QueryClientProvider client={new QueryClient()}>
        <ResizeDialog
          profileId="sandbox"
          region="ap-guangzhou"
          instanceId="ins-abcd1234"
          onClose={() => undefined}
        />
      </QueryClientProvider>,
    );
    const select = await screen.findByTestId("resize-target");
    const sold = screen.getByRole("option", { name: /S5\.2XLARGE16.*Sold out/ });
    expect(sold).toBeDisabled();
    expect(screen.getByTestId("resize-go")).toBeDisabled();
    await userEvent.selectOptions(select, "S5.LARGE8");
    expect(await screen.findByTestId("res-price")).toHaveTextContent("0.5 per hour");
    expect(screen.getByText(/unsaved data may be lost/)).toBeInTheDocument();
    await userEvent.click(screen.getByTestId("resize-plan-forceStop"));
    await userEvent.click(screen.getByTestId("resize-go"));
    expect(await screen.findByTestId("resize-progress")).toBeInTheDocument();
    const sent = calls.find((c) => c.cmd === "resize_instance");
    expect(sent?.args).toMatchObject({
      instanceId: "ins-abcd1234",
      instanceType: "S5.LARGE8",
      stopPlan: "forceStop",
    });
  });
});
