//! ModifyInstancesAttribute: one attribute per request.

use super::launch::host_name_ok;
use super::security_groups::check_security_groups;
use super::{REBOOTING_MS, base64_ok, each, require_state, scaled, targets};
use crate::error::{ApiError, ApiResult};
use crate::msg;
use crate::params::Params;
use crate::toolkit::Env;
use crate::world::State;
use serde_json::{Value, json};

pub fn modify_attribute(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&[
        "InstanceIds",
        "InstanceName",
        "UserData",
        "SecurityGroups",
        "CamRoleName",
        "HostName",
        "DisableApiTermination",
        "CamRoleType",
        "AutoReboot",
        "EnableJumboFrame",
    ])?;
    let ids = targets(env, p, 100)?;
    let name = p.str("InstanceName")?;
    let user_data = p.str("UserData")?;
    let sgs = p.str_list("SecurityGroups")?;
    let cam = p.str("CamRoleName")?;
    let host = p.str("HostName")?;
    let protect = p.bool("DisableApiTermination")?;
    let jumbo = p.bool("EnableJumboFrame")?;
    let auto_reboot = p.bool("AutoReboot")?.unwrap_or(true);
    if let Some(t) = p.str("CamRoleType")?
        && !["user", "system", "service_linked"].contains(&t.as_str())
    {
        return Err(ApiError::invalid_value(
            "CamRoleType",
            msg::not_one_of(&t, &["user", "system", "service_linked"]),
        ));
    }
    let given = [
        name.is_some(),
        user_data.is_some(),
        sgs.is_some(),
        cam.is_some(),
        host.is_some(),
        protect.is_some(),
        jumbo.is_some(),
    ]
    .iter()
    .filter(|x| **x)
    .count();
    if given == 0 {
        return Err(ApiError::new("MissingParameter", msg::give_one_attribute()));
    }
    if given > 1 {
        return Err(ApiError::new(
            "InvalidParameterCombination",
            msg::one_attribute(),
        ));
    }
    if let Some(n) = &name
        && (n.chars().count() > 128 || n.is_empty())
    {
        return Err(ApiError::new(
            "InvalidInstanceName.TooLong",
            msg::instance_name_length(),
        ));
    }
    if let Some(u) = &user_data
        && (u.len() > 16 * 1024 || !base64_ok(u))
    {
        return Err(ApiError::new(
            "InvalidParameterValue.InvalidUserDataFormat",
            msg::user_data_format(),
        ));
    }
    if jumbo == Some(true) {
        return Err(ApiError::new(
            "UnsupportedOperation.InstanceTypeNotSupportJumboFrame",
            msg::no_jumbo_frames(),
        ));
    }
    let r = env.region();
    if let Some(sgs) = &sgs {
        check_security_groups(r, sgs)?;
    }
    for i in each(r, &ids) {
        require_state(i, &[State::Running, State::Stopped, State::LaunchFailed])?;
        if let Some(h) = &host
            && !host_name_ok(h, i.windows)
        {
            return Err(ApiError::new(
                "InvalidParameterValue.IllegalHostName",
                msg::host_name_invalid(&h),
            ));
        }
    }
    let (now, req, dur) = (
        env.ctx.now,
        env.ctx.request_id.to_owned(),
        scaled(env, REBOOTING_MS),
    );
    let r = env.region();
    for id in &ids {
        if let Some(i) = r.get_mut(id) {
            if let Some(n) = &name {
                i.name = n.clone();
            }
            if let Some(u) = &user_data {
                i.user_data = Some(u.clone());
            }
            if let Some(s) = &sgs {
                i.security_group_ids = s.clone();
            }
            if let Some(c) = &cam {
                i.cam_role_name = c.clone();
            }
            if let Some(pr) = protect {
                i.disable_api_termination = pr;
            }
            if let Some(h) = &host {
                i.host_name = h.clone();
                if auto_reboot && i.state == State::Running {
                    i.state = State::Rebooting;
                    i.begin(
                        "ModifyInstancesAttribute",
                        &req,
                        now,
                        &[(dur, Some(State::Running))],
                    );
                    continue;
                }
            }
            i.begin("ModifyInstancesAttribute", &req, now, &[]);
        }
    }
    for id in &ids {
        r.touch(id);
    }
    Ok(json!({}))
}
