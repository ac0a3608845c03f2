import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { mockIPC } from "../../backend/mocks";
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
      acceptedPrice: 0.5,
    });
  });

  it("refuses at a moved price: shows the new price and sends it only on a new click", async () => {
    const sent: Record<string, unknown>[] = [];
    let quoted = 0.5;
    mockIPC((cmd, args) => {
      if (cmd === "resize_options") return options;
      if (cmd === "resize_price")
        return {
          unitPrice: quoted,
          unitPriceDiscount: quoted,
          chargeUnit: "HOUR",
          originalPrice: null,
          discountPrice: null,
        };
      if (cmd === "resize_instance") {
        sent.push(args as Record<string, unknown>);
        if (sent.length === 1) {
          quoted = 0.62;
          throw {
            kind: "state-conflict",
            code: "App.PriceChanged",
            message:
              "the price is now 0.62, not the 0.50 you accepted; review it and confirm again",
            requestId: null,
            field: "acceptedPrice",
          };
        }
        return "req-2";
      }
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
    await userEvent.selectOptions(await screen.findByTestId("resize-target"), "S5.LARGE8");
    expect(await screen.findByTestId("res-price")).toHaveTextContent("0.5 per hour");
    await userEvent.click(screen.getByTestId("resize-go"));
    const note = await screen.findByTestId("res-price-changed");
    await waitFor(() => expect(note).toHaveTextContent("now 0.62"));
    expect(note).toHaveTextContent("not the 0.5 you saw");
    expect(screen.getByTestId("res-price")).toHaveTextContent("0.62 per hour");
    expect(sent).toHaveLength(1);
    await userEvent.click(screen.getByTestId("resize-go"));
    await screen.findByTestId("resize-progress");
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ acceptedPrice: 0.62 });
  });
});
