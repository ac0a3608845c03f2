//! ResetInstancesType and ResetInstancesInternetMaxBandwidth (and their price
//! inquiries), and DescribeInstancesModification (which types an instance may become).

use super::{
    INTERNET_ACCESSIBLE, QUICK_MS, RESIZE_MS, STARTING_MS, STOPPING_MS, each, require_state,
    scaled, targets,
};
use crate::catalog::{self, InstanceType, Stock, round2};
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::msg::{self, Thing};
use crate::params::{FilterDialect, Params, filters};
use crate::price;
use crate::toolkit::pay;
use crate::toolkit::{Env, lookup_instances};
use crate::world::{ChargeType, Instance, State};
use serde_json::{Value, json};

fn target_type(name: &str) -> ApiResult<InstanceType> {
    if !name.contains('.') {
        return Err(ApiError::new(
            "InvalidInstanceType.Malformed",
            msg::instance_type_malformed(&name),
        ));
    }
    catalog::instance_type(name).ok_or_else(|| {
        ApiError::new(
            "InvalidParameterValue.InstanceTypeNotFound",
            msg::not_found(Thing::InstanceType, &name),
        )
    })
}

/// Months left on a prepaid instance, rounded up (what an upgrade is charged for).
fn months_left(i: &Instance, now: i64) -> i64 {
    let left = i.expired_ms.unwrap_or(now) - now;
    (left.max(0) + 30 * 86_400_000 - 1) / (30 * 86_400_000)
}

pub fn reset_instances_type(env: &mut Env, p: &Params, inquiry: bool) -> ApiResult<Value> {
    if inquiry {
        p.only(&["InstanceIds", "InstanceType"])?;
    } else {
        p.only(&["InstanceIds", "InstanceType", "ForceStop"])?;
    }
    let ids = p.str_list_req("InstanceIds")?;
    if ids.len() != 1 {
        return Err(ApiError::new(
            "InvalidParameterValue.LimitExceeded",
            msg::one_resize(),
        ));
    }
    let ids = targets(env, p, 1)?;
    let t = target_type(&p.str_req("InstanceType")?)?;
    let force = p.bool("ForceStop")?.unwrap_or(false);
    let now = env.ctx.now;
    let r = env.region();
    let i = r.get(&ids[0]).ok_or_else(ApiError::internal)?.clone();
    if !inquiry {
        if i.state == State::Running && !force {
            return Err(ApiError::state("Running", &i.id));
        }
        require_state(&i, &[State::Stopped, State::Running])?;
    }
    if i.system_disk_type.starts_with("LOCAL_") {
        return Err(ApiError::new(
            "UnsupportedOperation.SystemDiskType",
            msg::local_disk_no_resize(),
        ));
    }
    let cur = catalog::instance_type(&i.instance_type).ok_or_else(ApiError::internal)?;
    if cur.name == t.name {
        return Err(ApiError::new("InvalidParameterValue", msg::same_type()));
    }
    if cur.family.arch != t.family.arch {
        return Err(ApiError::new(
            if t.family.arch == catalog::Arch::Arm {
                "UnsupportedOperation.UnsupportedChangeInstanceFamilyToARM"
            } else {
                "UnsupportedOperation.UnsupportedARMChangeInstanceFamily"
            },
            msg::arch_fixed(),
        ));
    }
    if (cur.gpu > 0) != (t.gpu > 0) {
        return Err(ApiError::new(
            "InvalidParameterValue.GPUInstanceFamily",
            msg::gpu_swap(),
        ));
    }
    if i.stop_charging && i.state == State::Stopped && cur.family.name != t.family.name {
        return Err(ApiError::new(
            "UnsupportedOperation.StoppedModeStopChargingSameFamily",
            msg::stop_charging_same_family(),
        ));
    }
    let zone = catalog::find_zone(&i.zone).ok_or_else(ApiError::internal)?;
    match catalog::stock(&zone, &t) {
        Stock::NotOffered => {
            return Err(ApiError::new(
                "ResourceNotFound.InvalidZoneInstanceType",
                msg::type_not_offered(&t.name, &i.zone),
            ));
        }
        Stock::SoldOut => {
            return Err(ApiError::new(
                "ResourcesSoldOut.SpecifiedInstanceType",
                msg::type_sold_out(&t.name, &i.zone),
            ));
        }
        Stock::Sell => {}
    }
    if i.bandwidth > t.max_bandwidth() {
        return Err(ApiError::new(
            "LimitExceeded.InstanceTypeBandwidth",
            msg::type_bandwidth_cap(&t.name, &(t.max_bandwidth())),
        ));
    }
    let diff = if i.charge_type == ChargeType::Prepaid {
        round2(((t.monthly() - cur.monthly()) * months_left(&i, now) as f64).max(0.0))
    } else {
        0.0
    };
    if inquiry {
        let price = if i.charge_type == ChargeType::Prepaid {
            json!({"OriginalPrice": diff, "DiscountPrice": diff, "Discount": 100.0, "ChargeUnit": "MONTH"})
        } else {
            price::postpaid(t.hourly())
        };
        return Ok(json!({"Price": {"InstancePrice": price}}));
    }
    pay(&mut env.acct.balance, diff, |c| msg::upgrade_costs(&c))?;
    let (req, stop, resize, start) = (
        env.ctx.request_id.to_owned(),
        scaled(env, STOPPING_MS),
        scaled(env, RESIZE_MS),
        scaled(env, STARTING_MS),
    );
    let r = env.region();
    if let Some(i) = r.get_mut(&ids[0]) {
        i.instance_type = t.name.clone();
        i.family = t.family.name.to_owned();
        i.cpu = t.cpu;
        i.memory = t.memory;
        i.gpu = t.gpu;
        // The CN docs: the instance ends up running without a manual start.
        let mut steps = Vec::new();
        if i.state == State::Running {
            i.state = State::Stopping;
            steps.push((stop, Some(State::Stopped)));
        }
        steps.push((resize, Some(State::Starting)));
        steps.push((start, Some(State::Running)));
        i.stop_charging = false;
        i.begin("ResetInstancesType", &req, now, &steps);
    }
    r.touch(&ids[0]);
    Ok(json!({}))
}

pub fn reset_bandwidth(env: &mut Env, p: &Params, inquiry: bool) -> ApiResult<Value> {
    p.only(&["InstanceIds", "InternetAccessible", "StartTime", "EndTime"])?;
    let ids = targets(env, p, 100)?;
    let ia = p
        .obj("InternetAccessible")?
        .ok_or_else(|| ApiError::missing("InternetAccessible"))?;
    ia.only(INTERNET_ACCESSIBLE)?;
    let bw = ia
        .int("InternetMaxBandwidthOut")?
        .ok_or_else(|| ApiError::missing("InternetAccessible.InternetMaxBandwidthOut"))?;
    let start = p.str("StartTime")?;
    let end = p.str("EndTime")?;
    let now = env.ctx.now;
    let r = env.region();
    let first = each(r, &ids)
        .next()
        .map(|i| i.internet_charge_type.clone())
        .unwrap_or_default();
    let by_bandwidth = first == "BANDWIDTH_PREPAID" || first == "BANDWIDTH_POSTPAID_BY_HOUR";
    if by_bandwidth && ids.len() > 1 {
        return Err(ApiError::new(
            "InvalidParameterValue.LimitExceeded",
            msg::one_bandwidth_instance(),
        ));
    }
    for i in each(r, &ids) {
        if !inquiry {
            require_state(i, &[State::Running, State::Stopped])?;
        }
        if i.internet_charge_type != first {
            return Err(ApiError::new(
                "InvalidParameterValue",
                msg::same_network_billing(),
            ));
        }
        if bw < 0
            || bw > catalog::instance_type(&i.instance_type).map_or(100, |t| t.max_bandwidth())
        {
            return Err(ApiError::new(
                "InvalidParameterValue.Range",
                msg::bandwidth_out_of_range_for(&i.id),
            ));
        }
        if i.public_ip.is_none() && i.eip_id.is_none() && !(i.stop_charging && i.bandwidth > 0) {
            return Err(ApiError::new(
                "FailedOperation.NotFoundEIP",
                msg::no_public_ip(&i.id),
            ));
        }
    }
    let mut period = 1;
    if first == "BANDWIDTH_PREPAID" {
        let (Some(s), Some(e)) = (&start, &end) else {
            return Err(ApiError::missing(if start.is_none() {
                "StartTime"
            } else {
                "EndTime"
            }));
        };
        let (Some(s), Some(e)) = (clock::parse_date(s), clock::parse_date(e)) else {
            return Err(ApiError::new("InvalidParameterValue", msg::dates_format()));
        };
        let today = now - now.rem_euclid(86_400_000);
        let i = each(r, &ids).next().ok_or_else(ApiError::internal)?;
        if s < today || e < s || i.expired_ms.is_some_and(|x| e > x) {
            return Err(ApiError::new(
                "InvalidParameterValue.Range",
                msg::period_window(),
            ));
        }
        if bw < i.bandwidth {
            return Err(ApiError::new(
                "InvalidParameterValue.Range",
                msg::prepaid_bandwidth_up(),
            ));
        }
        period = ((e - s) / (30 * 86_400_000)).max(1);
    } else if start.is_some() || end.is_some() {
        return Err(ApiError::new("InvalidParameter", msg::dates_prepaid_only()));
    }
    if inquiry {
        return Ok(
            json!({"Price": {"BandwidthPrice": price::bandwidth(&first, bw * ids.len() as i64, period)}}),
        );
    }
    if first == "BANDWIDTH_PREPAID" {
        let i = each(r, &ids).next().ok_or_else(ApiError::internal)?;
        let cost = round2(
            (price::bandwidth_monthly(bw) - price::bandwidth_monthly(i.bandwidth)) * period as f64,
        );
        pay(&mut env.acct.balance, cost, |c| msg::change_costs(&c))?;
    }
    let (req, dur) = (env.ctx.request_id.to_owned(), scaled(env, QUICK_MS));
    let r = env.region();
    for id in &ids {
        if let Some(i) = r.get_mut(id) {
            i.bandwidth = bw;
            let keep = i.state;
            i.begin(
                "ResetInstancesInternetMaxBandwidth",
                &req,
                now,
                &[(dur, Some(keep))],
            );
        }
        r.touch(id);
    }
    Ok(json!({}))
}

pub fn describe_instances_modification(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["InstanceIds", "Filters"])?;
    let ids = p.str_list_req("InstanceIds")?;
    let fs = filters(p, FilterDialect::Cvm, &["status"], 10, 2)?;
    let lang = env.ctx.lang;
    let r = env.region();
    let insts = lookup_instances(r, &ids, 20)?;
    let zone = &insts[0].zone;
    if insts.iter().any(|i| &i.zone != zone) {
        return Err(ApiError::new(
            "FailedOperation.ZoneInconsistent",
            msg::same_zone(),
        ));
    }
    let z = catalog::find_zone(zone).ok_or_else(ApiError::internal)?;
    let current = catalog::instance_type(&insts[0].instance_type);
    let mut set = Vec::new();
    for t in catalog::instance_types() {
        if Some(&t.name) == current.as_ref().map(|c| &c.name) {
            continue;
        }
        let stock = catalog::stock(&z, &t);
        if stock == Stock::NotOffered {
            continue;
        }
        let (status, message) = match current.as_ref() {
            Some(c) if c.family.arch != t.family.arch => (
                "UNAVAILABLE",
                lang.pick(
                    "不支持跨架构调整",
                    "The instance does not support changing the CPU architecture.",
                )
                .to_owned(),
            ),
            Some(c) if (c.gpu > 0) != (t.gpu > 0) => (
                "UNAVAILABLE",
                format!(
                    "The instance does not support tuning to {} instance family.",
                    t.family.name
                ),
            ),
            _ if stock == Stock::SoldOut => (
                "UNAVAILABLE",
                lang.pick("该规格已售罄", "Sold out").to_owned(),
            ),
            _ => ("SELL", String::new()),
        };
        if fs.iter().any(|f| !f.values.iter().any(|v| v == status)) {
            continue;
        }
        set.push(
            json!({"Status": status, "Message": message, "InstanceTypeConfig": {
            "Zone": zone, "InstanceType": t.name, "InstanceFamily": t.family.name, "GPU": t.gpu,
            "CPU": t.cpu, "Memory": t.memory, "FPGA": 0, "GpuCount": t.gpu as f64}}),
        );
    }
    Ok(json!({"TotalCount": set.len(), "InstanceTypeConfigStatusSet": set}))
}
