//! Cloud Monitor metrics for the detail view's charts and the list's CPU sparklines.
//!
//! Each range gets the period that keeps one series under the service's 1,440 points per
//! request (`tencent_api::models::monitor`): 1 h and 6 h at one minute, 24 h at five
//! minutes, 7 d at one hour. Missing timestamps are missing points (the instance was off);
//! they stay missing here and the charts draw a gap.

use crate::error::AppError;
use crate::profiles::invalid;
use serde::{Deserialize, Serialize};
use tencent_api::Client;
use tencent_api::models::monitor::{self, GetMonitorDataRequest};

/// The chart ranges the detail view offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub enum MetricRange {
    #[serde(rename = "1h")]
    Hour,
    #[serde(rename = "6h")]
    SixHours,
    #[serde(rename = "24h")]
    Day,
    #[serde(rename = "7d")]
    Week,
}

impl MetricRange {
    pub fn seconds(self) -> i64 {
        match self {
            MetricRange::Hour => 3_600,
            MetricRange::SixHours => 6 * 3_600,
            MetricRange::Day => 86_400,
            MetricRange::Week => 7 * 86_400,
        }
    }
    /// The period that keeps the range under the per-request point limit.
    pub fn period(self) -> u32 {
        match self {
            MetricRange::Hour | MetricRange::SixHours => 60,
            MetricRange::Day => 300,
            MetricRange::Week => 3_600,
        }
    }
}

/// One instance's series of one metric. Timestamps are Unix seconds (period starts).
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MetricSeries {
    pub instance_id: String,
    pub metric: String,
    /// `%`, `Mbps` or `count`.
    pub unit: String,
    pub period: u32,
    pub timestamps: Vec<f64>,
    pub values: Vec<f64>,
}

fn unit_of(metric: &str) -> &'static str {
    monitor::CVM_METRICS
        .iter()
        .find(|(m, _)| *m == metric)
        .map_or("", |(_, u)| u)
}

fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The window ending now: whole periods, so the last point is the current period's start.
fn window(range: MetricRange, now: i64) -> (u32, i64, i64) {
    let period = range.period();
    let p = i64::from(period);
    let end = now.div_euclid(p) * p;
    // `points` counts both ends, so the start is one period in from `end - range`.
    (period, end - range.seconds() + p, end)
}

async fn pull(
    client: &Client,
    region: &str,
    metric: &str,
    ids: &[String],
    period: u32,
    start: i64,
    end: i64,
) -> Result<Vec<MetricSeries>, AppError> {
    let req = GetMonitorDataRequest::cvm(metric, period, ids, start, end)?;
    let resp = client.get_monitor_data(region, &req).await?;
    Ok(ids
        .iter()
        .map(|id| {
            let dp = resp
                .data_points
                .iter()
                .find(|d| d.instance_id() == Some(id.as_str()));
            // Pairs only: a malformed answer with more values than times loses the extras.
            let (timestamps, values) = dp.map_or((Vec::new(), Vec::new()), |d| {
                d.timestamps
                    .iter()
                    .zip(&d.values)
                    .map(|(t, v)| (*t, *v))
                    .unzip()
            });
            MetricSeries {
                instance_id: id.clone(),
                metric: metric.to_owned(),
                unit: unit_of(metric).to_owned(),
                period,
                timestamps,
                values,
            }
        })
        .collect())
}

/// Every charted metric of one instance over `range`, one call per metric (the service
/// takes one metric a call), concurrently within the profile's budget.
pub async fn instance_metrics(
    client: &Client,
    region: &str,
    instance_id: &str,
    range: MetricRange,
) -> Result<Vec<MetricSeries>, AppError> {
    crate::console::instances::validate_region(region)?;
    let ids = crate::console::instances::validate_ids(&[instance_id.to_owned()])
        .map_err(|e| e.with_field("instanceId"))?;
    let (period, start, end) = window(range, now_unix());
    let calls = monitor::CVM_METRICS
        .iter()
        .map(|(m, _)| pull(client, region, m, &ids, period, start, end));
    let mut out = Vec::new();
    for series in futures::future::try_join_all(calls).await? {
        out.extend(series);
    }
    Ok(out)
}

/// The last hour of CPU at one minute for up to 10 instances: one GetMonitorData call.
pub async fn cpu_sparklines(
    client: &Client,
    region: &str,
    instance_ids: &[String],
) -> Result<Vec<MetricSeries>, AppError> {
    crate::console::instances::validate_region(region)?;
    if instance_ids.len() > monitor::MAX_INSTANCES {
        return Err(invalid(
            "instanceIds",
            format!(
                "{} instances given; one call takes at most {}",
                instance_ids.len(),
                monitor::MAX_INSTANCES
            ),
        ));
    }
    let ids = crate::console::instances::validate_ids(instance_ids)?;
    let (period, start, end) = window(MetricRange::Hour, now_unix());
    pull(client, region, "CPUUsage", &ids, period, start, end).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_range_fits_one_request() {
        for r in [
            MetricRange::Hour,
            MetricRange::SixHours,
            MetricRange::Day,
            MetricRange::Week,
        ] {
            let (period, start, end) = window(r, 1_700_000_123);
            let points = monitor::points(period, start, end);
            assert_eq!(points as i64, r.seconds() / i64::from(period), "{r:?}");
            assert!(points <= monitor::MAX_POINTS, "{r:?}");
        }
        // Ten sparklines in one call.
        let (period, start, end) = window(MetricRange::Hour, 1_700_000_123);
        assert_eq!(monitor::instances_per_call(period, start, end), 10);
    }

    async fn sim(faults: &str) -> (cvm_sim::SimHandle, Client) {
        let sim = cvm_sim::start(cvm_sim::Config {
            preload: 36,
            time_scale: 0.0,
            seed: 7,
            faults: faults.parse().unwrap(),
            ..Default::default()
        })
        .await
        .unwrap();
        let client = Client::builder(tencent_api::Credentials::new(
            cvm_sim::DEFAULT_SECRET_ID,
            cvm_sim::DEFAULT_SECRET_KEY,
        ))
        .endpoint(tencent_api::Endpoint::Custom(sim.base_url()))
        .build()
        .unwrap();
        (sim, client)
    }

    fn in_state(sim: &cvm_sim::SimHandle, state: &str) -> Vec<String> {
        sim.instances(cvm_sim::DEFAULT_ACCOUNT, "ap-guangzhou")
            .into_iter()
            .filter(|(_, s)| s == state)
            .map(|(id, _)| id)
            .collect()
    }

    #[tokio::test]
    async fn a_running_instance_has_every_metric_and_a_stopped_one_a_gap() {
        let (sim, client) = sim("").await;
        let running = in_state(&sim, "RUNNING");
        let id = &running[0];
        let all = instance_metrics(&client, "ap-guangzhou", id, MetricRange::SixHours)
            .await
            .unwrap();
        let names: Vec<&str> = all.iter().map(|s| s.metric.as_str()).collect();
        assert_eq!(names, monitor::CVM_METRICS.map(|(m, _)| m));
        for s in &all {
            assert_eq!(s.period, 60);
            assert_eq!(s.timestamps.len(), s.values.len());
            assert!(
                s.timestamps.len() > 300,
                "{}: {}",
                s.metric,
                s.timestamps.len()
            );
        }
        assert_eq!(all[0].unit, "%");
        assert_eq!(all[6].unit, "count");
        // The preloaded stopped instances stopped hours ago: their last day ends early.
        let stopped = in_state(&sim, "STOPPED");
        let day = instance_metrics(&client, "ap-guangzhou", &stopped[0], MetricRange::Day)
            .await
            .unwrap();
        let cpu = &day[0];
        assert!(cpu.timestamps.len() < 288 - 12, "{}", cpu.timestamps.len());
        // Sparklines: ten instances in one call, in the order asked.
        let ten: Vec<String> = running.iter().chain(&stopped).take(10).cloned().collect();
        let lines = cpu_sparklines(&client, "ap-guangzhou", &ten).await.unwrap();
        assert_eq!(
            lines
                .iter()
                .map(|s| s.instance_id.clone())
                .collect::<Vec<_>>(),
            ten
        );
        let eleven: Vec<String> = (0..11).map(|i| format!("ins-{i:08}")).collect();
        let e = cpu_sparklines(&client, "ap-guangzhou", &eleven)
            .await
            .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("instanceIds"));
        sim.shutdown().await.unwrap();
    }

    #[tokio::test]
    async fn cam_refusing_the_metrics_comes_back_as_a_permission_error() {
        let (sim, client) = sim("rate=1,kinds=denied,actions=GetMonitorData").await;
        let id = in_state(&sim, "RUNNING").remove(0);
        let e = instance_metrics(&client, "ap-guangzhou", &id, MetricRange::Hour)
            .await
            .unwrap_err();
        assert_eq!(e.kind, crate::error::ErrorKind::Permission);
        assert_eq!(e.code, "AuthFailure.UnauthorizedOperation");
        assert!(
            e.message.contains("monitor:GetMonitorData"),
            "{}",
            e.message
        );
        sim.shutdown().await.unwrap();
    }
}
