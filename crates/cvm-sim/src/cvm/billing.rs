//! ModifyInstancesChargeType, RenewInstances (and their price inquiries) and
//! ModifyInstancesRenewFlag.

use super::{QUICK_MS, STARTING_MS, each, require_state, scaled, targets};
use crate::catalog::{self};
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::msg::{self};
use crate::params::Params;
use crate::price;
use crate::toolkit::Env;
use crate::toolkit::pay;
use crate::world::{ChargeType, IsolatedSource, RenewFlag, RestrictState, State};
use serde_json::{Value, json};

pub fn prepaid_settings(p: &Params, required: bool) -> ApiResult<Option<(i64, Option<RenewFlag>)>> {
    let Some(o) = p.obj("InstanceChargePrepaid")? else {
        return if required {
            Err(ApiError::missing("InstanceChargePrepaid"))
        } else {
            Ok(None)
        };
    };
    o.only(&["Period", "RenewFlag", "TimeUnit"])?;
    let period = o
        .int("Period")?
        .ok_or_else(|| ApiError::missing("InstanceChargePrepaid.Period"))?;
    if !catalog::VALID_PERIODS.contains(&period) {
        return Err(ApiError::new("InvalidPeriod", msg::invalid_period()));
    }
    let flag = match o.str("RenewFlag")? {
        None => None,
        Some(f) => Some(RenewFlag::parse(&f).ok_or_else(|| {
            ApiError::invalid_value(
                "InstanceChargePrepaid.RenewFlag",
                msg::not_a(&f, &"renew flag", &"续费标识"),
            )
        })?),
    };
    Ok(Some((period, flag)))
}

pub fn modify_charge_type(env: &mut Env, p: &Params, inquiry: bool) -> ApiResult<Value> {
    p.only(&[
        "InstanceIds",
        "InstanceChargeType",
        "InstanceChargePrepaid",
        "ModifyPortableDataDisk",
    ])?;
    let ids = targets(env, p, if inquiry { 100 } else { 20 })?;
    let to = p.str_req("InstanceChargeType")?;
    let to = match ChargeType::parse(&to) {
        Some(t @ (ChargeType::Prepaid | ChargeType::PostpaidByHour)) => t,
        _ => {
            return Err(ApiError::invalid_value(
                "InstanceChargeType",
                msg::switch_targets(&to),
            ));
        }
    };
    let prepaid = prepaid_settings(p, to == ChargeType::Prepaid)?;
    p.bool("ModifyPortableDataDisk")?;
    let now = env.ctx.now;
    let r = env.region();
    let mut total_monthly = 0.0;
    for i in each(r, &ids) {
        if !inquiry {
            require_state(i, &[State::Running, State::Stopped])?;
        }
        if i.charge_type == ChargeType::Spotpaid || i.charge_type == to || i.stop_charging {
            return Err(ApiError::new(
                "UnsupportedOperation.InstanceChargeType",
                msg::cannot_switch_charge(&i.id, &(to.as_str())),
            ));
        }
        if i.terminate_at.is_some() {
            return Err(ApiError::new(
                "InvalidInstance.NotSupported",
                msg::scheduled_termination(&i.id),
            ));
        }
        let disks: Vec<(String, i64)> =
            std::iter::once((i.system_disk_type.clone(), i.system_disk_size))
                .chain(
                    i.data_disks
                        .iter()
                        .map(|d| (d.disk_type.clone(), d.disk_size)),
                )
                .collect();
        total_monthly += catalog::instance_type(&i.instance_type).map_or(0.0, |t| t.monthly())
            + price::disks_monthly(&disks);
    }
    let (period, flag) = prepaid.unwrap_or((1, None));
    if inquiry {
        let price = if to == ChargeType::Prepaid {
            price::prepaid(total_monthly, period)
        } else {
            price::postpaid(total_monthly / 720.0 * 2.2)
        };
        return Ok(json!({"Price": {"InstancePrice": price}}));
    }
    if to == ChargeType::Prepaid {
        let cost = price::prepaid_charge(total_monthly, period);
        pay(&mut env.acct.balance, cost, |c| msg::switch_costs(&c))?;
    }
    let (req, dur) = (env.ctx.request_id.to_owned(), scaled(env, QUICK_MS));
    let r = env.region();
    for id in &ids {
        if let Some(i) = r.get_mut(id) {
            i.charge_type = to;
            if to == ChargeType::Prepaid {
                i.expired_ms = Some(clock::add_months(now, period));
                i.renew_flag = Some(flag.unwrap_or(RenewFlag::NotifyAndManualRenew));
            } else {
                i.expired_ms = None;
                i.renew_flag = None;
            }
            let keep = i.state;
            i.begin("ModifyInstancesChargeType", &req, now, &[(dur, Some(keep))]);
        }
        r.touch(id);
    }
    Ok(json!({}))
}

pub fn renew_instances(env: &mut Env, p: &Params, inquiry: bool) -> ApiResult<Value> {
    if inquiry {
        p.only(&[
            "InstanceIds",
            "InstanceChargePrepaid",
            "DryRun",
            "RenewPortableDataDisk",
        ])?;
        p.bool("DryRun")?;
    } else {
        p.only(&[
            "InstanceIds",
            "InstanceChargePrepaid",
            "RenewPortableDataDisk",
        ])?;
    }
    let ids = targets(env, p, 100)?;
    p.bool("RenewPortableDataDisk")?;
    let now = env.ctx.now;
    let r = env.region();
    let mut monthly = 0.0;
    for i in each(r, &ids) {
        if i.charge_type != ChargeType::Prepaid {
            return Err(ApiError::new(
                "UnsupportedOperation.InstanceChargeType",
                msg::not_prepaid(&i.id),
            ));
        }
        if !inquiry {
            require_state(
                i,
                &[
                    State::Running,
                    State::Stopped,
                    State::Shutdown,
                    State::LaunchFailed,
                ],
            )?;
        } else if i.state == State::Pending {
            return Err(ApiError::state("Pending", &i.id));
        }
        let disks: Vec<(String, i64)> =
            std::iter::once((i.system_disk_type.clone(), i.system_disk_size))
                .chain(
                    i.data_disks
                        .iter()
                        .map(|d| (d.disk_type.clone(), d.disk_size)),
                )
                .collect();
        monthly += catalog::instance_type(&i.instance_type).map_or(0.0, |t| t.monthly())
            + price::disks_monthly(&disks);
    }
    let (period, flag) = prepaid_settings(p, true)?.unwrap_or((1, None));
    if inquiry {
        return Ok(json!({"Price": {"InstancePrice": price::prepaid(monthly, period)}}));
    }
    let cost = price::prepaid_charge(monthly, period);
    pay(&mut env.acct.balance, cost, |c| msg::renewal_costs(&c))?;
    let (req, dur) = (env.ctx.request_id.to_owned(), scaled(env, STARTING_MS));
    let r = env.region();
    for id in &ids {
        if let Some(i) = r.get_mut(id) {
            let base = i.expired_ms.unwrap_or(now).max(now);
            i.expired_ms = Some(clock::add_months(base, period));
            if let Some(f) = flag {
                i.renew_flag = Some(f);
            }
            if i.state == State::Shutdown {
                // Renewal brings an isolated instance back into service.
                i.restrict_state = RestrictState::Normal;
                i.isolated_source = IsolatedSource::NotIsolated;
                i.isolated_ms = None;
                i.state = State::Starting;
                i.begin("RenewInstances", &req, now, &[(dur, Some(State::Running))]);
            } else {
                i.begin("RenewInstances", &req, now, &[]);
            }
        }
        r.touch(id);
    }
    Ok(json!({}))
}

pub fn modify_renew_flag(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["InstanceIds", "RenewFlag"])?;
    let ids = targets(env, p, 100)?;
    let flag = p.str_req("RenewFlag")?;
    let flag = RenewFlag::parse(&flag).ok_or_else(|| {
        ApiError::invalid_value("RenewFlag", msg::not_a(&flag, &"renew flag", &"续费标识"))
    })?;
    let r = env.region();
    for i in each(r, &ids) {
        if i.charge_type != ChargeType::Prepaid {
            return Err(ApiError::new(
                "UnsupportedOperation.InstanceChargeType",
                msg::not_prepaid(&i.id),
            ));
        }
        require_state(i, &[State::Running, State::Stopped, State::LaunchFailed])?;
    }
    for id in &ids {
        if let Some(i) = r.get_mut(id) {
            i.renew_flag = Some(flag);
        }
    }
    Ok(json!({}))
}
