// A listed instance for component tests: a running pay-as-you-go machine in Guangzhou,
// with whatever a test sets on top.
import type { InstanceView } from "../backend";

export function instanceView(extra: Partial<InstanceView> = {}): InstanceView {
  return {
    id: "ins-00000000",
    profileId: "sandbox",
    region: "ap-guangzhou",
    name: "web-0",
    state: "RUNNING",
    zone: "ap-guangzhou-3",
    instanceType: "S5.MEDIUM4",
    cpu: 2,
    memoryGib: 4,
    privateIps: ["10.0.0.2"],
    publicIps: [],
    chargeType: "POSTPAID_BY_HOUR",
    internetChargeType: "TRAFFIC_POSTPAID_BY_HOUR",
    bandwidthOutMbps: 5,
    expiredTime: null,
    createdTime: "2026-01-01T00:00:00Z",
    tags: [],
    osName: "TencentOS",
    restrictState: "NORMAL",
    stopChargingMode: null,
    disableApiTermination: false,
    latestOperation: null,
    latestOperationState: null,
    latestOperationRequestId: null,
    latestOperationError: null,
    ...extra,
  };
}
