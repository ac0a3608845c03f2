"""Cloud Monitor cases for scenario.py: the official SDK's MonitorClient (2018-07-24) pulls
CVM metrics from cvm-sim and meets the service's refusals."""
import datetime
import json

from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.monitor.v20180724 import models as mon
from tencentcloud.monitor.v20180724 import monitor_client


def scenario(method, ns):
    check, req, expect_error, cvm = ns["check"], ns["req"], ns["expect_error"], ns["cvm"]
    c, _ = ns["clients"](method)
    from tencentcloud.common import credential
    cred = credential.Credential(ns["SECRET_ID"], ns["SECRET_KEY"])
    mc = monitor_client.MonitorClient(cred, ns["REGION"], ns["profile"](method))
    m = method
    cst = datetime.timezone(datetime.timedelta(hours=8))
    now = datetime.datetime.now(cst).replace(microsecond=0)

    # Oldest first: the preloaded instances have been up for days, the scenario's own for moments.
    listed = c.DescribeInstances(req(cvm.DescribeInstancesRequest, Limit=100)).InstanceSet
    running = [i.InstanceId for i in sorted(listed, key=lambda i: i.CreatedTime) if i.InstanceState == "RUNNING"]

    def pull(metric="CPUUsage", period=60, ids=None, start=now - datetime.timedelta(hours=1), end=now):
        ids = ids if ids is not None else running[:1]
        return mc.GetMonitorData(req(
            mon.GetMonitorDataRequest, Namespace="QCE/CVM", MetricName=metric, Period=period,
            Instances=[{"Dimensions": [{"Name": "InstanceId", "Value": i}]} for i in ids],
            StartTime=start.isoformat(), EndTime=end.isoformat()))

    def series():
        assert running, "the preloaded world has running instances in the region"
        r = pull()
        assert r.Period == 60 and r.MetricName == "CPUUsage", r
        assert r.RequestId
        assert len(r.DataPoints) == 1
        dp = r.DataPoints[0]
        assert dp.Dimensions[0].Name == "InstanceId" and dp.Dimensions[0].Value == running[0]
        assert len(dp.Timestamps) == len(dp.Values) > 50, (len(dp.Timestamps), len(dp.Values))
        assert all(0 <= v <= 100 for v in dp.Values)
        assert all(int(t) % 60 == 0 for t in dp.Timestamps)
        # Period starts, Beijing time, as in Tencent's example.
        assert r.StartTime.endswith("+08:00") and r.StartTime[17:19] == "00", r.StartTime
        again = pull()
        assert json.loads(again.to_json_string())["DataPoints"] == json.loads(r.to_json_string())["DataPoints"]
    check(f"{m} GetMonitorData series", series)

    def every_metric():
        for metric in ("MemUsage", "LanIntraffic", "LanOuttraffic", "WanIntraffic", "WanOuttraffic",
                       "TcpCurrEstab"):
            r = pull(metric=metric, period=300, ids=running[:3])
            assert len(r.DataPoints) == len(running[:3])
            assert all(len(d.Values) == len(d.Timestamps) for d in r.DataPoints)
    check(f"{m} GetMonitorData every metric", every_metric)

    def refusals():
        expect_error("InvalidParameterValue", lambda: pull(metric="CpuUsage"))
        expect_error("InvalidParameterValue", lambda: pull(period=120))
        expect_error("LimitExceeded", lambda: pull(ids=[running[0]] * 11))
        expect_error("LimitExceeded", lambda: pull(start=now - datetime.timedelta(days=2)))
        expect_error("InvalidParameterValue", lambda: pull(start=now, end=now - datetime.timedelta(hours=1)))
        try:
            mc.GetMonitorData(req(mon.GetMonitorDataRequest, Namespace="QCE/CVM", MetricName="CPUUsage"))
        except TencentCloudSDKException as e:
            assert e.code == "MissingParameter", e.code
        else:
            raise AssertionError("Instances is required")
    check(f"{m} GetMonitorData refusals", refusals)
