//! Cloud Monitor (`monitor`, 2018-07-24): GetMonitorData for the `QCE/CVM` namespace.
//!
//! Series are computed, not stored: each point is a function of the instance (its id,
//! type, bandwidth, power history) and the period's start, so the same world answers the
//! same numbers every time. A point exists only where the instance was powered during its
//! period: nothing while it is stopped, nothing after it is terminated.
//!
//! Limits and codes follow Tencent's page for the action
//! (https://cloud.tencent.com/document/product/248/30353): at most 10 instances and 1,440
//! data points per request; codes from tccli's monitor errorcodes (InvalidParameter,
//! InvalidParameterValue, LimitExceeded, MissingParameter).

use crate::error::{ApiError, ApiResult};
use crate::msg;
use crate::params::Params;
use crate::toolkit::Env;
use crate::world::{Instance, PowerEdge};
use serde_json::{Value, json};

pub const NAMESPACE: &str = "QCE/CVM";
pub const MAX_INSTANCES: usize = 10;
pub const MAX_POINTS: i64 = 1440;
pub const PERIODS: [i64; 4] = [60, 300, 3600, 86400];
pub const METRICS: [&str; 7] = [
    "CPUUsage",
    "MemUsage",
    "LanIntraffic",
    "LanOuttraffic",
    "WanIntraffic",
    "WanOuttraffic",
    "TcpCurrEstab",
];
/// Beijing time, the offset Tencent's answers carry.
const CST: i64 = 8 * 3600;
/// How long a boot keeps the CPU busy.
const BOOT_SPIKE_S: i64 = 300;

pub fn get_monitor_data(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&[
        "Namespace",
        "MetricName",
        "Instances",
        "Period",
        "StartTime",
        "EndTime",
        "SpecifyStatistics",
    ])?;
    let namespace = p.str_req("Namespace")?;
    if !namespace.eq_ignore_ascii_case(NAMESPACE) {
        return Err(ApiError::invalid_value(
            "Namespace",
            msg::namespace_not_emulated(&namespace, &NAMESPACE),
        ));
    }
    let metric = p.str_req("MetricName")?;
    if !METRICS.contains(&metric.as_str()) {
        return Err(ApiError::new(
            "InvalidParameterValue",
            msg::metric_not_found(&metric, &NAMESPACE),
        ));
    }
    let instances = p
        .obj_list("Instances")?
        .ok_or_else(|| ApiError::missing("Instances"))?;
    if instances.is_empty() {
        return Err(ApiError::missing("Instances"));
    }
    if instances.len() > MAX_INSTANCES {
        return Err(ApiError::new(
            "LimitExceeded",
            msg::too_many_instances(&instances.len(), &MAX_INSTANCES),
        ));
    }
    let mut ids = Vec::with_capacity(instances.len());
    for (i, inst) in instances.iter().enumerate() {
        let dims = inst
            .obj_list("Dimensions")?
            .ok_or_else(|| ApiError::missing(&format!("Instances.{i}.Dimensions")))?;
        let mut id = None;
        for d in &dims {
            if d.str_req("Name")? == "InstanceId" {
                id = Some(d.str_req("Value")?);
            }
        }
        let id = id.ok_or_else(|| {
            ApiError::new(
                "InvalidParameter",
                msg::no_instance_dimension(&i, &NAMESPACE),
            )
        })?;
        ids.push(id);
    }
    let period = p.int("Period")?.unwrap_or(300);
    if !PERIODS.contains(&period) {
        return Err(ApiError::invalid_value(
            "Period",
            msg::not_a_period(&period, &NAMESPACE),
        ));
    }
    let now = env.ctx.now.div_euclid(1000);
    let end = match p.str("EndTime")? {
        Some(s) => parse_time("EndTime", &s)?,
        None => now,
    };
    let start = match p.str("StartTime")? {
        Some(s) => parse_time("StartTime", &s)?,
        // The start of the day in Beijing time.
        None => (end + CST).div_euclid(86_400) * 86_400 - CST,
    };
    if end < start {
        return Err(ApiError::invalid_value("EndTime", msg::end_before_start()));
    }
    let first = start.div_euclid(period) * period;
    let last = end.div_euclid(period) * period;
    let per_series = (last - first) / period + 1;
    let total = per_series * ids.len() as i64;
    if total > MAX_POINTS {
        return Err(ApiError::new(
            "LimitExceeded",
            msg::too_many_points(&total, &MAX_POINTS),
        ));
    }
    let hot = env.ctx.hot;
    let region = env.region();
    let points: Vec<Value> = ids
        .iter()
        .map(|id| {
            let (ts, vs) = match region.get(id) {
                Some(inst) => series(
                    inst,
                    &metric,
                    period,
                    first,
                    last.min(now),
                    hot.contains(id),
                ),
                None => (Vec::new(), Vec::new()),
            };
            json!({
                "Dimensions": [{"Name": "InstanceId", "Value": id}],
                "Timestamps": ts,
                "Values": vs,
            })
        })
        .collect();
    Ok(json!({
        "StartTime": format_time(first),
        "EndTime": format_time(last),
        "Period": period,
        "MetricName": metric,
        "DataPoints": points,
        "Msg": "",
    }))
}

fn parse_time(field: &str, s: &str) -> ApiResult<i64> {
    let iso = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .map(|t| t.unix_timestamp());
    iso.or_else(|_| {
        // The older form `2019-03-24 10:51:23`, Beijing time.
        crate::clock::parse_plain(s)
            .map(|ms| ms / 1000 - CST)
            .ok_or(())
    })
    .map_err(|_| ApiError::invalid_value(field, msg::not_a_time(&s)))
}

fn format_time(unix: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(unix + CST)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+08:00",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Whether the instance was powered at any moment of `[from, to)` (Unix seconds).
fn powered_within(edges: &[PowerEdge], from: i64, to: i64) -> bool {
    let (from, to) = (from * 1000, to * 1000);
    let mut on = false;
    for e in edges {
        if e.at_ms >= to {
            break;
        }
        if e.at_ms > from && on {
            return true;
        }
        on = e.on;
        if on && e.at_ms >= from {
            return true;
        }
    }
    on
}

/// Seconds since the latest power-on at or before `t`.
fn since_boot(edges: &[PowerEdge], t: i64) -> Option<i64> {
    edges
        .iter()
        .rev()
        .find(|e| e.on && e.at_ms <= t * 1000)
        .map(|e| t - e.at_ms / 1000)
}

fn fnv(parts: &[&[u8]]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for p in parts {
        for b in *p {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        h = (h ^ 0xff).wrapping_mul(0x0100_0000_01b3);
    }
    // Final avalanche so neighbouring inputs give unrelated outputs.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

/// Uniform in [0, 1) from the instance, a salt and a time.
fn unit(inst: &Instance, salt: &str, t: i64) -> f64 {
    (fnv(&[inst.uuid.as_bytes(), salt.as_bytes(), &t.to_le_bytes()]) >> 11) as f64
        / (1u64 << 53) as f64
}

/// The daily pattern: 0 at 03:00 Beijing time, 1 at 15:00.
fn daily(t: i64) -> f64 {
    let hour = ((t + CST).rem_euclid(86_400)) as f64 / 3600.0;
    0.5 - 0.5 * ((hour - 3.0) / 24.0 * std::f64::consts::TAU).cos()
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// The instance's `metric` at each period start from `first` to `last` where it was powered.
pub fn series(
    inst: &Instance,
    metric: &str,
    period: i64,
    first: i64,
    last: i64,
    hot: bool,
) -> (Vec<i64>, Vec<f64>) {
    let mut ts = Vec::new();
    let mut vs = Vec::new();
    if last < first {
        return (ts, vs);
    }
    let load = 0.1 + 0.5 * unit(inst, "load", 0);
    let implied;
    let power: &[PowerEdge] = if inst.power.is_empty() && inst.powered() {
        implied = [PowerEdge {
            at_ms: inst.created_ms,
            on: true,
        }];
        &implied
    } else {
        &inst.power
    };
    let mut t = first;
    while t <= last {
        if powered_within(power, t, t + period) {
            ts.push(t);
            vs.push(round3(value(inst, power, metric, t, period, load, hot)));
        }
        t += period;
    }
    (ts, vs)
}

fn value(
    inst: &Instance,
    power: &[PowerEdge],
    metric: &str,
    t: i64,
    period: i64,
    load: f64,
    hot: bool,
) -> f64 {
    let d = daily(t + period / 2);
    let noise = unit(inst, metric, t);
    let cpu = {
        let mut c = 100.0 * load * (0.35 + 0.65 * d) + 8.0 * noise - 4.0;
        if hot {
            c = 90.0 + 9.0 * noise;
        }
        if let Some(s) = since_boot(power, t + period)
            && s < BOOT_SPIKE_S
        {
            // Shorter periods see the whole spike; longer ones average it away.
            let weight = (1.0 - s as f64 / BOOT_SPIKE_S as f64) * (60.0 / period as f64).min(1.0);
            c += (95.0 - c) * weight;
        }
        c.clamp(0.5, 100.0)
    };
    let activity = cpu / 100.0;
    let cores = inst.cpu.max(1) as f64;
    match metric {
        "CPUUsage" => cpu,
        "MemUsage" => {
            // A small type fills its memory faster than a big one.
            let gb = inst.memory.max(1) as f64;
            let used = 0.35 + gb * (0.2 + 0.45 * load) + gb * 0.15 * activity + noise * 0.02 * gb;
            (100.0 * used / gb).clamp(1.0, 98.0)
        }
        "LanIntraffic" | "LanOuttraffic" => {
            let cap = 1000.0 * cores.sqrt();
            let share = if metric == "LanIntraffic" { 0.6 } else { 0.45 };
            (cap * share * activity * (0.5 + load) + noise * 2.0).min(cap)
        }
        "WanIntraffic" | "WanOuttraffic" => {
            // Public traffic is capped by the bandwidth limit; none without an address.
            if inst.public_ip.is_none() || inst.bandwidth <= 0 {
                return 0.0;
            }
            let cap = inst.bandwidth as f64;
            let share = if metric == "WanOuttraffic" { 0.9 } else { 0.3 };
            (cap * share * (0.15 + 0.85 * activity) * (0.8 + 0.2 * noise)).min(cap)
        }
        "TcpCurrEstab" => (10.0 + 150.0 * cores * activity * (0.5 + load) + 20.0 * noise).round(),
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edges(list: &[(i64, bool)]) -> Vec<PowerEdge> {
        list.iter()
            .map(|&(s, on)| PowerEdge {
                at_ms: s * 1000,
                on,
            })
            .collect()
    }

    #[test]
    fn power_windows() {
        let e = edges(&[(100, true), (500, false), (900, true)]);
        assert!(!powered_within(&e, 0, 60));
        assert!(powered_within(&e, 60, 120));
        assert!(powered_within(&e, 200, 260));
        assert!(powered_within(&e, 480, 540));
        assert!(!powered_within(&e, 540, 600));
        assert!(!powered_within(&e, 600, 900));
        assert!(powered_within(&e, 900, 960));
        assert!(powered_within(&e, 5000, 5060));
        assert!(!powered_within(&[], 0, 60));
        assert_eq!(since_boot(&e, 950), Some(50));
        assert_eq!(since_boot(&e, 50), None);
    }

    #[test]
    fn times_read_both_forms() {
        assert_eq!(
            parse_time("StartTime", "2019-03-24T10:51:23+08:00").unwrap(),
            1_553_395_883
        );
        assert_eq!(
            parse_time("StartTime", "2019-03-24 10:51:23").unwrap(),
            1_553_395_883
        );
        assert_eq!(format_time(1_553_395_800), "2019-03-24T10:50:00+08:00");
        assert!(parse_time("StartTime", "yesterday").is_err());
    }
}
