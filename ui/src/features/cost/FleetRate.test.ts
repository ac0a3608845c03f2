import { describe, expect, it } from "vitest";
import type { CostEstimate, CostLine } from "../../backend";
import { mergeLines } from "./FleetRate";

const line = (chargeType: string, instances: number, hourly: number | null): CostLine => ({
  chargeType,
  instances,
  notCharged: 1,
  unpriced: 0,
  hourly,
  monthly: hourly === null ? null : hourly * 730,
});
const estimate = (lines: CostLine[]): CostEstimate => ({
  regions: [],
  lines,
  hourly: null,
  monthly: null,
  hoursPerMonth: 730,
});

describe("the fleet's run-rate", () => {
  it("sums the accounts' lines by billing model, an unpriced line staying unpriced", () => {
    const merged = mergeLines([
      estimate([line("POSTPAID_BY_HOUR", 2, 1.5), line("SPOTPAID", 1, null)]),
      estimate([line("POSTPAID_BY_HOUR", 3, 0.25), line("PREPAID", 4, 2)]),
      estimate([line("SPOTPAID", 2, null)]),
    ]);
    expect(merged).toEqual([
      { ...line("POSTPAID_BY_HOUR", 5, 1.75), notCharged: 2 },
      { ...line("SPOTPAID", 3, null), notCharged: 2 },
      line("PREPAID", 4, 2),
    ]);
  });
});
