import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "../../backend/mocks";
import i18n from "../../i18n";
import { instanceView } from "../../test/instanceView";
import { RenewDialog } from "./BillingDialogs";

const prepaid = instanceView({
  id: "ins-pre00001",
  name: "db-1",
  privateIps: [],
  chargeType: "PREPAID",
  internetChargeType: null,
  bandwidthOutMbps: 0,
  expiredTime: "2027-01-01T00:00:00Z",
});

beforeEach(async () => {
  await act(() => i18n.changeLanguage("en"));
});
afterEach(() => clearMocks());

describe("a paid billing change", () => {
  it("sends the quoted price; at a moved price shows the new one and needs a new click", async () => {
    let price = 100;
    const renewals: Record<string, unknown>[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "quote_renew")
        return {
          action: "RenewInstances",
          instanceCount: 1,
          period: 1,
          originalPrice: price,
          discountPrice: price,
          parts: [],
        };
      if (cmd === "renew_instances") {
        renewals.push(args as Record<string, unknown>);
        if (renewals.length === 1) {
          price = 120;
          throw {
            kind: "state-conflict",
            code: "App.PriceChanged",
            message: "the price is now 120.00, not the 100.00 you accepted",
            requestId: null,
            field: "acceptedPrice",
          };
        }
        return {
          action: "RenewInstances",
          region: "ap-guangzhou",
          succeeded: 1,
          failed: 0,
          results: [{ instanceId: prepaid.id, ok: true, requestId: "r", error: null }],
        };
      }
      throw new Error(`unexpected ${cmd}`);
    });
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <QueryClientProvider client={qc}>
        <RenewDialog
          profileId="p"
          region="ap-guangzhou"
          instances={[prepaid]}
          onClose={() => undefined}
        />
      </QueryClientProvider>,
    );
    expect(await screen.findByTestId("bl-quote")).toHaveAttribute("data-price", "100.00");
    await userEvent.click(screen.getByTestId("bl-confirm"));
    const note = await screen.findByTestId("bl-price-changed");
    await waitFor(() => expect(note).toHaveTextContent("now ¥120.00"));
    expect(note).toHaveTextContent("not the ¥100.00 you saw");
    expect(screen.getByTestId("bl-quote")).toHaveAttribute("data-price", "120.00");
    expect(renewals).toHaveLength(1);
    expect(renewals[0]).toMatchObject({ acceptedPrice: 100 });
    await userEvent.click(screen.getByTestId("bl-confirm"));
    expect(await screen.findByTestId("bl-report")).toBeInTheDocument();
    expect(renewals[1]).toMatchObject({ acceptedPrice: 120 });
  });
});
