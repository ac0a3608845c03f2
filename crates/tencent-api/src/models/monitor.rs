//! Cloud Monitor (`monitor`, 2018-07-24): GetMonitorData for CVM instances.
//!
//! Facts this module relies on, with their sources:
//! - Host `monitor.tencentcloudapi.com`, version 2018-07-24, namespace `QCE/CVM`, dimension
//!   `InstanceId` (tccli `services/monitor/v20180724/api.json` and examples.json,
//!   "拉取单台云服务器监控数据").
//! - At most 10 instances and 1,440 data points per request ("拉取指标监控数据",
//!   https://cloud.tencent.com/document/product/248/30353, 2024-04-03). tccli's api.json
//!   3.1.195 states 50 instances and 7,200 points; we keep to the smaller figures, which
//!   every version of the service accepts.
//! - Rate: 20 calls per second by default (FAQ "如何调整 GetMonitorData 接口每秒频率上限",
//!   https://cloud.tencent.com/document/product/248/54788; the API page says 50, the FAQ's
//!   smaller figure is what accounts see). Applied in `BudgetProfile::current`.
//! - Periods: 60, 300, 3600 and 86400 s (Cloud Monitor's statistics periods, listed with
//!   DescribeStatisticData, https://www.tencentcloud.com/document/api/248/39481; api.json's
//!   Period: "每个指标支持的统计周期不一定相同", so anything else is refused up front).
//! - Timestamps mark the start of each period; a missing timestamp is a missing point
//!   ("缺失的时间戳，没有数据点", api.json's DataPoint.Timestamps).

use crate::Error;
use serde::{Deserialize, Serialize};

/// The CVM namespace.
pub const NAMESPACE_CVM: &str = "QCE/CVM";
/// Instances one request may name.
pub const MAX_INSTANCES: usize = 10;
/// Data points one request may ask for (all its instances together).
pub const MAX_POINTS: u64 = 1440;
/// The statistics periods the console asks for, in seconds.
pub const PERIODS: [u32; 4] = [60, 300, 3600, 86400];

/// The CVM metrics the console charts: name and unit as Cloud Monitor reports them.
pub const CVM_METRICS: [(&str, &str); 7] = [
    ("CPUUsage", "%"),
    ("MemUsage", "%"),
    ("LanIntraffic", "Mbps"),
    ("LanOuttraffic", "Mbps"),
    ("WanIntraffic", "Mbps"),
    ("WanOuttraffic", "Mbps"),
    ("TcpCurrEstab", "count"),
];

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Dimension {
    pub name: Option<String>,
    pub value: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Instance {
    pub dimensions: Vec<Dimension>,
}

/// `GetMonitorDataRequest`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GetMonitorDataRequest {
    pub namespace: String,
    pub metric_name: String,
    pub instances: Vec<Instance>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<u64>,
    /// ISO 8601 with an offset, e.g. `2019-03-24T10:51:23+08:00`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
}

/// `DataPoint`: one instance's series. `Values[i]` belongs to `Timestamps[i]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DataPoint {
    pub dimensions: Vec<Dimension>,
    pub timestamps: Vec<f64>,
    pub values: Vec<f64>,
}

impl DataPoint {
    /// The `InstanceId` dimension's value.
    pub fn instance_id(&self) -> Option<&str> {
        self.dimensions
            .iter()
            .find(|d| d.name.as_deref() == Some("InstanceId"))
            .and_then(|d| d.value.as_deref())
    }
}

/// `GetMonitorDataResponse`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GetMonitorDataResponse {
    pub period: Option<u64>,
    pub metric_name: Option<String>,
    pub data_points: Vec<DataPoint>,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub msg: Option<String>,
    pub request_id: Option<String>,
}

impl crate::Action for GetMonitorDataRequest {
    const SERVICE: &'static str = "monitor";
    const NAME: &'static str = "GetMonitorData";
    const VERSION: &'static str = "2018-07-24";
    type Output = GetMonitorDataResponse;
}

impl crate::Client {
    /// Calls `monitor:GetMonitorData` in `region`. Build the request with
    /// [`GetMonitorDataRequest::cvm`], which checks the limits first.
    pub async fn get_monitor_data(
        &self,
        region: &str,
        req: &GetMonitorDataRequest,
    ) -> Result<GetMonitorDataResponse, Error> {
        self.call(region, req).await
    }
}

/// Points a series of `period` seconds has between `start` and `end` (Unix seconds),
/// both period starts included.
pub fn points(period: u32, start: i64, end: i64) -> u64 {
    let p = i64::from(period.max(1));
    let first = start.div_euclid(p);
    let last = end.div_euclid(p);
    (last - first + 1).max(0) as u64
}

/// How many instances one request can carry for this period and range.
pub fn instances_per_call(period: u32, start: i64, end: i64) -> usize {
    let per_series = points(period, start, end).max(1);
    ((MAX_POINTS / per_series) as usize).clamp(1, MAX_INSTANCES)
}

/// `YYYY-MM-DDThh:mm:ss+08:00`, the form of Tencent's own examples (Beijing time).
pub fn format_time(unix: i64) -> Result<String, Error> {
    let offset = time::UtcOffset::from_hms(8, 0, 0)
        .map_err(|e| Error::invalid("StartTime", e.to_string()))?;
    let t = time::OffsetDateTime::from_unix_timestamp(unix)
        .map_err(|e| Error::invalid("StartTime", e.to_string()))?
        .to_offset(offset);
    Ok(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+08:00",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    ))
}

impl GetMonitorDataRequest {
    /// A CVM request, checked against the service's limits before anything is sent:
    /// a known metric, a supported period, 1 to 10 well-formed instance ids, a range
    /// that is not reversed and within 1,440 points for all instances together.
    pub fn cvm(
        metric: &str,
        period: u32,
        instance_ids: &[String],
        start: i64,
        end: i64,
    ) -> Result<Self, Error> {
        if !CVM_METRICS.iter().any(|(m, _)| *m == metric) {
            return Err(Error::invalid(
                "MetricName",
                format!("{metric:?} is not a CVM metric the console reads"),
            ));
        }
        if !PERIODS.contains(&period) {
            return Err(Error::invalid(
                "Period",
                format!("{period} s is not one of 60, 300, 3600, 86400"),
            ));
        }
        if instance_ids.is_empty() || instance_ids.len() > MAX_INSTANCES {
            return Err(Error::invalid(
                "Instances",
                format!(
                    "{} instances given, GetMonitorData accepts 1 to {MAX_INSTANCES}",
                    instance_ids.len()
                ),
            ));
        }
        for id in instance_ids {
            crate::validate_id("Instances", "ins", id)?;
        }
        if end < start {
            return Err(Error::invalid("EndTime", "is before StartTime"));
        }
        let total = points(period, start, end) * instance_ids.len() as u64;
        if total > MAX_POINTS {
            return Err(Error::invalid(
                "StartTime",
                format!("the range asks for {total} points, a request may ask for {MAX_POINTS}"),
            ));
        }
        Ok(Self {
            namespace: NAMESPACE_CVM.into(),
            metric_name: metric.into(),
            instances: instance_ids
                .iter()
                .map(|id| Instance {
                    dimensions: vec![Dimension {
                        name: Some("InstanceId".into()),
                        value: Some(id.clone()),
                    }],
                })
                .collect(),
            period: Some(u64::from(period)),
            start_time: Some(format_time(start)?),
            end_time: Some(format_time(end)?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Action;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("ins-{i:08}")).collect()
    }

    #[test]
    fn the_request_reads_like_tencents_example() {
        let r =
            GetMonitorDataRequest::cvm("CPUUsage", 300, &ids(1), 1553395883, 1553431883).unwrap();
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["Namespace"], "QCE/CVM");
        assert_eq!(v["Period"], 300);
        assert_eq!(v["Instances"][0]["Dimensions"][0]["Name"], "InstanceId");
        assert_eq!(v["StartTime"], "2019-03-24T10:51:23+08:00");
        assert_eq!(GetMonitorDataRequest::VERSION, "2018-07-24");
        assert_eq!(GetMonitorDataRequest::SERVICE, "monitor");
    }

    #[test]
    fn limits_are_checked_before_sending() {
        let field = |r: Result<GetMonitorDataRequest, Error>| {
            r.unwrap_err().field().map(str::to_owned).unwrap()
        };
        assert_eq!(
            field(GetMonitorDataRequest::cvm("CpuUsage", 60, &ids(1), 0, 60)),
            "MetricName"
        );
        assert_eq!(
            field(GetMonitorDataRequest::cvm("CPUUsage", 120, &ids(1), 0, 60)),
            "Period"
        );
        assert_eq!(
            field(GetMonitorDataRequest::cvm("CPUUsage", 60, &ids(11), 0, 60)),
            "Instances"
        );
        assert_eq!(
            field(GetMonitorDataRequest::cvm("CPUUsage", 60, &[], 0, 60)),
            "Instances"
        );
        assert_eq!(
            field(GetMonitorDataRequest::cvm(
                "CPUUsage",
                60,
                &["i-1".into()],
                0,
                60
            )),
            "Instances"
        );
        assert_eq!(
            field(GetMonitorDataRequest::cvm("CPUUsage", 60, &ids(1), 60, 0)),
            "EndTime"
        );
        // A day at one minute is 1,441 period starts from midnight to midnight.
        assert_eq!(
            field(GetMonitorDataRequest::cvm(
                "CPUUsage",
                60,
                &ids(1),
                0,
                86_400
            )),
            "StartTime"
        );
        assert!(GetMonitorDataRequest::cvm("CPUUsage", 60, &ids(1), 0, 86_340).is_ok());
        assert!(GetMonitorDataRequest::cvm("CPUUsage", 60, &ids(10), 0, 3_600).is_ok());
    }

    #[test]
    fn batches_shrink_as_series_grow() {
        assert_eq!(instances_per_call(60, 0, 3_540), 10);
        assert_eq!(instances_per_call(60, 0, 6 * 3_600), 3);
        assert_eq!(instances_per_call(60, 0, 86_340), 1);
        assert_eq!(points(300, 299, 600), 3);
    }
}
