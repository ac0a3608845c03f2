//! StartInstances, StopInstances, RebootInstances, TerminateInstances.

use super::{
    HARD_STOP_MS, REBOOTING_MS, STARTING_MS, STOPPING_MS, TERMINATING_MS, each, require_state,
    scaled, targets,
};
use crate::error::{ApiError, ApiResult};
use crate::msg::{self};
use crate::params::Params;
use crate::toolkit::Env;
use crate::world::{ChargeType, IsolatedSource, State, public_ip};
use serde_json::{Value, json};

fn stop_type(p: &Params, force_name: &str) -> ApiResult<bool> {
    let force = p.bool(force_name)?;
    let st = p.str("StopType")?;
    if force.is_some() && st.is_some() {
        return Err(ApiError::new(
            "InvalidParameterCombination",
            msg::force_and_stop_type(&force_name),
        ));
    }
    match st.as_deref() {
        None => Ok(force.unwrap_or(false)),
        Some("SOFT") | Some("SOFT_FIRST") => Ok(false),
        Some("HARD") => Ok(true),
        Some(other) => Err(ApiError::invalid_value(
            "StopType",
            msg::not_one_of(&other, &["SOFT", "HARD", "SOFT_FIRST"]),
        )),
    }
}

pub fn start_instances(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["InstanceIds"])?;
    let ids = targets(env, p, 100)?;
    let r = env.region();
    for i in each(r, &ids) {
        require_state(i, &[State::Stopped])?;
    }
    let (now, req, starting) = (
        env.ctx.now,
        env.ctx.request_id.to_owned(),
        scaled(env, STARTING_MS),
    );
    let (r, rng, _, _) = env.parts();
    for id in &ids {
        if let Some(i) = r.get_mut(id) {
            // Stop-charging released the public address; a fresh one comes back with the instance.
            if i.stop_charging && i.public_ip.is_none() && i.bandwidth > 0 && i.eip_id.is_none() {
                i.public_ip = Some(public_ip(rng));
            }
            i.stop_charging = false;
            i.state = State::Starting;
            i.begin(
                "StartInstances",
                &req,
                now,
                &[(starting, Some(State::Running))],
            );
        }
        r.touch(id);
    }
    Ok(json!({}))
}

pub fn stop_instances(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["InstanceIds", "ForceStop", "StopType", "StoppedMode"])?;
    let ids = targets(env, p, 100)?;
    let hard = stop_type(p, "ForceStop")?;
    let stop_charging = match p.str("StoppedMode")?.as_deref() {
        None | Some("KEEP_CHARGING") => false,
        Some("STOP_CHARGING") => true,
        Some(other) => {
            return Err(ApiError::invalid_value(
                "StoppedMode",
                msg::not_one_of(&other, &["KEEP_CHARGING", "STOP_CHARGING"]),
            ));
        }
    };
    let r = env.region();
    for i in each(r, &ids) {
        require_state(i, &[State::Running])?;
        if stop_charging
            && (i.charge_type != ChargeType::PostpaidByHour
                || i.system_disk_type.starts_with("LOCAL_")
                || i.gpu > 0)
        {
            return Err(ApiError::new(
                "UnsupportedOperation.StoppedModeStopCharging",
                msg::no_stop_charging(&i.id),
            ));
        }
    }
    let dur = scaled(env, if hard { HARD_STOP_MS } else { STOPPING_MS });
    let (now, req) = (env.ctx.now, env.ctx.request_id.to_owned());
    let r = env.region();
    for id in &ids {
        if let Some(i) = r.get_mut(id) {
            i.stop_charging = stop_charging;
            if stop_charging && i.eip_id.is_none() {
                i.public_ip = None;
            }
            i.state = State::Stopping;
            i.begin("StopInstances", &req, now, &[(dur, Some(State::Stopped))]);
        }
        r.touch(id);
    }
    Ok(json!({}))
}

pub fn reboot_instances(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["InstanceIds", "ForceReboot", "StopType"])?;
    let ids = targets(env, p, 100)?;
    stop_type(p, "ForceReboot")?;
    let r = env.region();
    for i in each(r, &ids) {
        require_state(i, &[State::Running])?;
    }
    let (now, req, dur) = (
        env.ctx.now,
        env.ctx.request_id.to_owned(),
        scaled(env, REBOOTING_MS),
    );
    let r = env.region();
    for id in &ids {
        if let Some(i) = r.get_mut(id) {
            i.state = State::Rebooting;
            i.begin("RebootInstances", &req, now, &[(dur, Some(State::Running))]);
        }
        r.touch(id);
    }
    Ok(json!({}))
}

pub fn terminate_instances(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["InstanceIds", "ReleaseAddress", "ReleasePrepaidDataDisks"])?;
    let ids = targets(env, p, 100)?;
    let release_address = p.bool("ReleaseAddress")?.unwrap_or(false);
    p.bool("ReleasePrepaidDataDisks")?;
    let r = env.region();
    let first_charge = each(r, &ids).next().map(|i| i.charge_type);
    for i in each(r, &ids) {
        if Some(i.charge_type) != first_charge {
            return Err(ApiError::new(
                "UnsupportedOperation.InstanceMixedPricingModel",
                msg::same_billing_model(),
            ));
        }
        require_state(i, &[State::Running, State::Stopped, State::Shutdown])?;
        if i.disable_api_termination {
            return Err(ApiError::new(
                "UnsupportedOperation.InstancesProtected",
                msg::termination_protected(&i.id),
            ));
        }
    }
    let (now, req, dur) = (
        env.ctx.now,
        env.ctx.request_id.to_owned(),
        scaled(env, TERMINATING_MS),
    );
    let r = env.region();
    let mut released = Vec::new();
    for id in &ids {
        if let Some(i) = r.get_mut(id) {
            if i.charge_type == ChargeType::Prepaid && i.state != State::Shutdown {
                // First call: into the recycle bin, isolated and stopped.
                i.state = State::Shutdown;
                i.isolated_source = IsolatedSource::Manmade;
                i.isolated_ms = Some(now);
                i.begin("TerminateInstances", &req, now, &[]);
            } else {
                i.state = State::Terminating;
                i.begin("TerminateInstances", &req, now, &[(dur, None)]);
                if release_address && let Some(e) = i.eip_id.take() {
                    released.push(e);
                }
            }
        }
        r.touch(id);
    }
    r.addresses.retain(|a| !released.contains(&a.id));
    Ok(json!({}))
}
