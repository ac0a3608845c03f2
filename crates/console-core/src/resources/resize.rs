//! Changing an instance's type (ResetInstancesType, one instance a call) and its public
//! bandwidth (ResetInstancesInternetMaxBandwidth), with their price inquiries.
//!
//! A type change needs a stopped instance: a running one is either stopped cleanly first
//! (StopInstances, then waiting for STOPPED) or forced off by the API (ForceStop, which
//! may lose unsaved data). Targets are limited to what DescribeInstancesModification
//! says the instance's zone sells and the instance can move to.

use super::{PriceView, clamp_u32, conflict, price_view};
use crate::console::activity::with_targets;
use crate::console::instances::{describe_ids, validate_ids};
use crate::error::{AppCode, AppError};
use crate::profiles::invalid;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use tencent_api::Client;
use tencent_api::models::cvm;

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TypeOption {
    pub instance_type: String,
    pub family: String,
    pub cpu: u32,
    pub memory_gib: u32,
    pub gpu: u32,
    /// The zone sells it and the instance can move to it.
    pub available: bool,
    /// Why not, in Tencent's words.
    pub reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ResizeOptions {
    pub instance_id: String,
    pub instance_name: String,
    pub zone: String,
    pub state: String,
    pub charge_type: String,
    pub current_type: String,
    pub cpu: u32,
    pub memory_gib: u32,
    /// Running: the change needs a stop first (clean, or forced).
    pub needs_stop: bool,
    pub targets: Vec<TypeOption>,
}

/// How a running instance is brought to a stop for the change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum StopPlan {
    /// The instance is expected to be stopped already; a running one is refused.
    None,
    /// StopInstances (soft), wait for STOPPED, then change the type.
    StopFirst,
    /// ResetInstancesType with ForceStop: a power-off if a soft shutdown fails.
    ForceStop,
}

pub fn validate_instance_type(t: &str) -> Result<(), AppError> {
    let ok = t.len() <= 32
        && t.split_once('.').is_some_and(|(a, b)| {
            !a.is_empty()
                && !b.is_empty()
                && a.bytes().all(|c| c.is_ascii_alphanumeric())
                && b.bytes().all(|c| c.is_ascii_alphanumeric())
        });
    if ok {
        Ok(())
    } else {
        Err(invalid(
            "instanceType",
            format!("{t:?} is not an instance type (for example S5.MEDIUM4)"),
        ))
    }
}

fn one_id(id: &str) -> Result<String, AppError> {
    let ids = validate_ids(&[id.to_owned()]).map_err(|mut e| {
        e.field = Some("instanceId".into());
        e
    })?;
    Ok(ids.into_iter().next().unwrap_or_default())
}

async fn describe_one(client: &Client, region: &str, id: &str) -> Result<cvm::Instance, AppError> {
    describe_ids(client, region, &[id.to_owned()])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| {
            AppError::not_found(
                "InvalidInstanceId.NotFound",
                format!("no instance {id} in {region}"),
            )
            .with_field("instanceId")
        })
}

/// The instance and the types it can change to (the current one left out).
pub async fn resize_options(
    client: &Client,
    region: &str,
    instance_id: &str,
) -> Result<ResizeOptions, AppError> {
    let id = one_id(instance_id)?;
    let i = describe_one(client, region, &id).await?;
    let out = client
        .describe_instances_modification(
            region,
            &cvm::DescribeInstancesModificationRequest {
                instance_ids: Some(vec![id.clone()]),
                filters: None,
            },
        )
        .await?;
    let current = i.instance_type.clone().unwrap_or_default();
    let mut targets: Vec<TypeOption> = out
        .instance_type_config_status_set
        .unwrap_or_default()
        .into_iter()
        .filter_map(|s| {
            let c = s.instance_type_config?;
            let t = c.instance_type?;
            (t != current).then(|| TypeOption {
                family: c.instance_family.unwrap_or_default(),
                cpu: clamp_u32(c.cpu),
                memory_gib: clamp_u32(c.memory),
                gpu: clamp_u32(c.gpu),
                available: s.status.as_deref() == Some("SELL"),
                reason: s.message.filter(|m| !m.is_empty()),
                instance_type: t,
            })
        })
        .collect();
    targets.sort_by(|a, b| {
        (b.available, &a.family, a.cpu, a.memory_gib).cmp(&(
            a.available,
            &b.family,
            b.cpu,
            b.memory_gib,
        ))
    });
    let state = i.instance_state.clone().unwrap_or_default();
    Ok(ResizeOptions {
        instance_id: id,
        instance_name: i.instance_name.clone().unwrap_or_default(),
        zone: i
            .placement
            .as_ref()
            .and_then(|p| p.zone.clone())
            .unwrap_or_default(),
        needs_stop: state == "RUNNING",
        state,
        charge_type: i.instance_charge_type.clone().unwrap_or_default(),
        current_type: current,
        cpu: clamp_u32(i.cpu),
        memory_gib: clamp_u32(i.memory),
        targets,
    })
}

/// Refuses a target the zone does not sell (or the instance cannot move to) before any
/// change is sent.
async fn check_target(
    client: &Client,
    region: &str,
    id: &str,
    instance_type: &str,
) -> Result<ResizeOptions, AppError> {
    validate_instance_type(instance_type)?;
    let opts = resize_options(client, region, id).await?;
    if opts.current_type == instance_type {
        return Err(invalid(
            "instanceType",
            format!("{id} already is {instance_type}"),
        ));
    }
    match opts
        .targets
        .iter()
        .find(|t| t.instance_type == instance_type)
    {
        Some(t) if t.available => Ok(opts),
        Some(t) => Err(invalid(
            "instanceType",
            format!(
                "{instance_type} is not available for {id}: {}",
                t.reason.clone().unwrap_or_else(|| "sold out".into())
            ),
        )),
        None => Err(invalid(
            "instanceType",
            format!("{} does not sell {instance_type}", opts.zone),
        )),
    }
}

/// What the change costs: for prepaid instances the difference for the time left, for
/// postpaid ones the new hourly price.
pub async fn resize_price(
    client: &Client,
    region: &str,
    instance_id: &str,
    instance_type: &str,
) -> Result<PriceView, AppError> {
    let id = one_id(instance_id)?;
    check_target(client, region, &id, instance_type).await?;
    let out = client
        .inquiry_price_reset_instances_type(
            region,
            &cvm::InquiryPriceResetInstancesTypeRequest {
                instance_ids: Some(vec![id]),
                instance_type: Some(instance_type.to_owned()),
            },
        )
        .await?;
    Ok(price_view(
        out.price.as_ref().and_then(|p| p.instance_price.as_ref()),
    ))
}

#[derive(Clone, Copy, Debug)]
pub struct StopWait {
    pub interval: Duration,
    pub max: Duration,
}

impl Default for StopWait {
    fn default() -> Self {
        StopWait {
            interval: Duration::from_millis(1500),
            max: Duration::from_secs(10 * 60),
        }
    }
}

async fn wait_stopped(
    client: &Client,
    region: &str,
    id: &str,
    wait: StopWait,
) -> Result<(), AppError> {
    let started = tokio::time::Instant::now();
    loop {
        let out = client
            .describe_instances_status(
                region,
                &cvm::DescribeInstancesStatusRequest {
                    instance_ids: Some(vec![id.to_owned()]),
                    ..Default::default()
                },
            )
            .await?;
        let state = out
            .instance_status_set
            .unwrap_or_default()
            .into_iter()
            .find_map(|s| s.instance_state)
            .unwrap_or_default();
        match state.as_str() {
            "STOPPED" => return Ok(()),
            "STOPPING" | "RUNNING" => {}
            other => {
                return Err(conflict(
                    AppCode::StopFailed,
                    None,
                    format!("{id} did not stop (it is {other}); nothing was changed"),
                ));
            }
        }
        if started.elapsed() >= wait.max {
            return Err(conflict(
                AppCode::StopTimeout,
                None,
                format!("{id} did not stop in time; its type was not changed"),
            ));
        }
        tokio::time::sleep(wait.interval).await;
    }
}

/// `resize`, sent only when Tencent's fresh quote is still `accepted_price`.
pub async fn resize_at_price(
    client: &Client,
    region: &str,
    instance_id: &str,
    instance_type: &str,
    plan: StopPlan,
    wait: StopWait,
    accepted_price: f64,
) -> Result<Option<String>, AppError> {
    let quoted = resize_price(client, region, instance_id, instance_type).await?;
    crate::consent::check_price(quoted.charged(), accepted_price)?;
    resize(client, region, instance_id, instance_type, plan, wait).await
}

/// Changes the type of one instance. Returns the RequestId of ResetInstancesType; the
/// change itself completes asynchronously (the instance ends RUNNING).
pub async fn resize(
    client: &Client,
    region: &str,
    instance_id: &str,
    instance_type: &str,
    plan: StopPlan,
    wait: StopWait,
) -> Result<Option<String>, AppError> {
    let id = one_id(instance_id)?;
    let opts = check_target(client, region, &id, instance_type).await?;
    let mut force = false;
    match (opts.state.as_str(), plan) {
        ("STOPPED", _) => {}
        ("RUNNING", StopPlan::None) => {
            return Err(conflict(
                AppCode::StopRequired,
                Some("stopPlan"),
                format!("{id} is running: stop it first, or let the change force it off"),
            ));
        }
        ("RUNNING", StopPlan::StopFirst) => {
            with_targets(
                vec![id.clone()],
                client.stop_instances(
                    region,
                    &cvm::StopInstancesRequest {
                        instance_ids: Some(vec![id.clone()]),
                        stop_type: Some("SOFT".into()),
                        stopped_mode: Some("KEEP_CHARGING".into()),
                    },
                ),
            )
            .await?;
            wait_stopped(client, region, &id, wait).await?;
        }
        ("RUNNING", StopPlan::ForceStop) => force = true,
        (other, _) => {
            return Err(conflict(
                AppCode::InstanceBusy,
                None,
                format!("{id} is {other}; its type can change when it is STOPPED or RUNNING"),
            ));
        }
    }
    with_targets(
        vec![id.clone()],
        client.reset_instances_type(
            region,
            &cvm::ResetInstancesTypeRequest {
                instance_ids: Some(vec![id]),
                instance_type: Some(instance_type.to_owned()),
                force_stop: Some(force),
            },
        ),
    )
    .await
    .map(|r| r.request_id)
    .map_err(AppError::from)
}

// ---------------------------------------------------------------- bandwidth

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BandwidthOptions {
    pub instance_id: String,
    pub instance_name: String,
    pub state: String,
    pub internet_charge_type: String,
    pub current_mbps: u32,
    pub min_mbps: u32,
    pub max_mbps: u32,
    /// BANDWIDTH_PREPAID: the change runs from today to the instance's expiry, is
    /// charged now, and cannot lower the bandwidth.
    pub prepaid: bool,
    pub expired_time: Option<String>,
    pub has_public_ip: bool,
    /// Why the bandwidth cannot be changed here, if it cannot.
    pub unsupported: Option<String>,
}

/// The limits per network billing model (Mbps). Tencent also caps bandwidth per instance
/// type; the API refuses those (LimitExceeded / InvalidParameterValue.Range).
pub fn bandwidth_limits(charge_type: &str) -> Option<(u32, u32)> {
    match charge_type {
        "TRAFFIC_POSTPAID_BY_HOUR" | "BANDWIDTH_POSTPAID_BY_HOUR" => Some((1, 100)),
        "BANDWIDTH_PREPAID" => Some((1, 200)),
        "BANDWIDTH_PACKAGE" => Some((1, 2000)),
        _ => None,
    }
}

fn bandwidth_options_of(id: String, i: &cvm::Instance) -> BandwidthOptions {
    let net = i.internet_accessible.as_ref();
    let charge = net
        .and_then(|n| n.internet_charge_type.clone())
        .unwrap_or_default();
    let has_ip = i
        .public_ip_addresses
        .as_ref()
        .is_some_and(|v| !v.is_empty());
    let limits = bandwidth_limits(&charge);
    let unsupported = if limits.is_none() {
        Some(format!(
            "the network billing model {} cannot be changed with this action",
            if charge.is_empty() { "(none)" } else { &charge }
        ))
    } else if !has_ip {
        Some("the instance has no public IP".to_owned())
    } else {
        None
    };
    let (min, max) = limits.unwrap_or((0, 0));
    BandwidthOptions {
        instance_id: id,
        instance_name: i.instance_name.clone().unwrap_or_default(),
        state: i.instance_state.clone().unwrap_or_default(),
        current_mbps: clamp_u32(net.and_then(|n| n.internet_max_bandwidth_out)),
        min_mbps: min,
        max_mbps: max,
        prepaid: charge == "BANDWIDTH_PREPAID",
        expired_time: i.expired_time.clone().filter(|s| !s.is_empty()),
        has_public_ip: has_ip,
        unsupported,
        internet_charge_type: charge,
    }
}

pub async fn bandwidth_options(
    client: &Client,
    region: &str,
    instance_id: &str,
) -> Result<BandwidthOptions, AppError> {
    let id = one_id(instance_id)?;
    let i = describe_one(client, region, &id).await?;
    Ok(bandwidth_options_of(id, &i))
}

/// Today (UTC) and the expiry date, as ResetInstancesInternetMaxBandwidth wants them for
/// BANDWIDTH_PREPAID.
fn prepaid_period(expired: Option<&str>) -> Result<(String, String), AppError> {
    let today = time::OffsetDateTime::now_utc().date();
    let start = format!(
        "{:04}-{:02}-{:02}",
        today.year(),
        u8::from(today.month()),
        today.day()
    );
    let end = expired
        .and_then(|e| e.get(..10))
        .filter(|d| d.len() == 10)
        .ok_or_else(|| {
            conflict(
                AppCode::NoExpiry,
                None,
                "a prepaid instance without an expiry date",
            )
        })?;
    Ok((start, end.to_owned()))
}

fn bandwidth_request(
    opts: &BandwidthOptions,
    mbps: u32,
) -> Result<cvm::ResetInstancesInternetMaxBandwidthRequest, AppError> {
    if let Some(why) = &opts.unsupported {
        return Err(conflict(AppCode::BandwidthUnsupported, None, why.clone()));
    }
    if mbps < opts.min_mbps || mbps > opts.max_mbps {
        return Err(invalid(
            "bandwidth",
            format!(
                "{mbps} Mbps is out of range: {}–{} Mbps for {}",
                opts.min_mbps, opts.max_mbps, opts.internet_charge_type
            ),
        ));
    }
    if mbps == opts.current_mbps {
        return Err(invalid(
            "bandwidth",
            format!("the bandwidth already is {mbps} Mbps"),
        ));
    }
    if opts.prepaid && mbps < opts.current_mbps {
        return Err(invalid("bandwidth", "prepaid bandwidth can only be raised"));
    }
    let (start, end) = if opts.prepaid {
        let (s, e) = prepaid_period(opts.expired_time.as_deref())?;
        (Some(s), Some(e))
    } else {
        (None, None)
    };
    Ok(cvm::ResetInstancesInternetMaxBandwidthRequest {
        instance_ids: Some(vec![opts.instance_id.clone()]),
        internet_accessible: Some(cvm::InternetAccessible {
            internet_max_bandwidth_out: Some(i64::from(mbps)),
            ..Default::default()
        }),
        start_time: start,
        end_time: end,
    })
}

pub async fn bandwidth_price(
    client: &Client,
    region: &str,
    instance_id: &str,
    mbps: u32,
) -> Result<PriceView, AppError> {
    let opts = bandwidth_options(client, region, instance_id).await?;
    let r = bandwidth_request(&opts, mbps)?;
    let out = client
        .inquiry_price_reset_instances_internet_max_bandwidth(
            region,
            &cvm::InquiryPriceResetInstancesInternetMaxBandwidthRequest {
                instance_ids: r.instance_ids,
                internet_accessible: r.internet_accessible,
                start_time: r.start_time,
                end_time: r.end_time,
            },
        )
        .await?;
    Ok(price_view(
        out.price.as_ref().and_then(|p| p.bandwidth_price.as_ref()),
    ))
}

/// `change_bandwidth`, sent only when Tencent's fresh quote is still `accepted_price`.
pub async fn change_bandwidth_at_price(
    client: &Client,
    region: &str,
    instance_id: &str,
    mbps: u32,
    accepted_price: f64,
) -> Result<(Option<String>, String), AppError> {
    let quoted = bandwidth_price(client, region, instance_id, mbps).await?;
    crate::consent::check_price(quoted.charged(), accepted_price)?;
    change_bandwidth(client, region, instance_id, mbps).await
}

/// Changes the bandwidth; returns the RequestId and the state the instance keeps.
pub async fn change_bandwidth(
    client: &Client,
    region: &str,
    instance_id: &str,
    mbps: u32,
) -> Result<(Option<String>, String), AppError> {
    let opts = bandwidth_options(client, region, instance_id).await?;
    let r = bandwidth_request(&opts, mbps)?;
    let rid = with_targets(
        vec![instance_id.to_owned()],
        client.reset_instances_internet_max_bandwidth(region, &r),
    )
    .await
    .map(|r| r.request_id)?;
    Ok((rid, opts.state))
}
