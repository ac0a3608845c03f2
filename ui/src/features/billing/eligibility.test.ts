import { describe, expect, it } from "vitest";
import type { InstanceView } from "../../backend";
import { instanceView } from "../../test/instanceView";
import { calls, daysLeft, split, whyNot } from "./eligibility";

function inst(id: string, chargeType: string, state = "RUNNING"): InstanceView {
  return instanceView({
    id,
    name: id,
    state,
    privateIps: [],
    chargeType,
    internetChargeType: null,
    bandwidthOutMbps: 0,
    createdTime: null,
    osName: null,
    restrictState: null,
  });
}

describe("billing eligibility", () => {
  it("converts only pay-as-you-go instances, with the reason for the others", () => {
    expect(whyNot("toPrepaid", inst("a", "POSTPAID_BY_HOUR"))).toBeNull();
    expect(whyNot("toPrepaid", inst("b", "PREPAID"))).toBe("reason.alreadyPrepaid");
    expect(whyNot("toPrepaid", inst("c", "SPOTPAID"))).toBe("reason.spot");
    expect(whyNot("toPrepaid", inst("d", "CDHPAID"))).toBe("reason.dedicated");
    expect(whyNot("toPrepaid", inst("e", "POSTPAID_BY_HOUR", "LAUNCH_FAILED"))).toBe(
      "reason.state",
    );
  });

  it("renews and sets the renewal flag of monthly subscriptions only", () => {
    for (const op of ["renew", "autoRenew"] as const) {
      expect(whyNot(op, inst("a", "PREPAID", "STOPPED"))).toBeNull();
      expect(whyNot(op, inst("b", "POSTPAID_BY_HOUR"))).toBe("reason.notPrepaid");
      expect(whyNot(op, inst("c", "SPOTPAID"))).toBe("reason.notPrepaid");
    }
    const { ok, refused } = split("renew", [inst("a", "PREPAID"), inst("b", "SPOTPAID")]);
    expect(ok.map((i) => i.id)).toEqual(["a"]);
    expect(refused.map((r) => r.instance.id)).toEqual(["b"]);
  });

  it("counts the calls of at most 20 instances and the days left", () => {
    expect(calls(1)).toBe(1);
    expect(calls(20)).toBe(1);
    expect(calls(21)).toBe(2);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(daysLeft("2026-01-08T12:00:00Z", now)).toBe(7);
    expect(daysLeft(null, now)).toBeNull();
    expect(daysLeft("not a date", now)).toBeNull();
  });
});
