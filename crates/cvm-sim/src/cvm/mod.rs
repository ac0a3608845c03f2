//! CVM actions (service `cvm`, version 2017-03-12), one module per topic. What several
//! topics share (durations, batch lookups, the state rule) is here.

mod attributes;
mod billing;
mod describe;
pub mod images;
mod key_pair_binding;
mod key_pairs;
mod launch;
mod lifecycle;
mod password;
pub mod price;
mod regions;
mod resize;
mod security_groups;
pub mod templates;
mod terminate;

use crate::error::{ApiError, ApiResult};
use crate::params::Params;
use crate::toolkit::{Env, Reply, lookup_instances};
use crate::world::{Instance, RegionState, State};
use serde_json::Value;

pub fn call(env: &mut Env, action: &str, p: &Params) -> ApiResult<Reply> {
    if action == "DescribeInstances" {
        return describe::describe_instances(env, p);
    }
    if action.contains("LaunchTemplate") {
        return templates::call(env, action, p).map(Reply::from);
    }
    let expanded = match action {
        "RunInstances" | "InquiryPriceRunInstances" => templates::expand(env, p)?,
        _ => None,
    };
    let p = expanded.as_ref().unwrap_or(p);
    let v: ApiResult<Value> = match action {
        "DescribeRegions" => regions::describe_regions(env, p),
        "DescribeZones" => regions::describe_zones(env, p),
        "DescribeImages" => images::describe_images(env, p),
        "CreateImage" => images::create_image(env, p),
        "DeleteImages" => images::delete_images(env, p),
        "AssociateInstancesKeyPairs" => key_pair_binding::bind(env, p, true),
        "DisassociateInstancesKeyPairs" => key_pair_binding::bind(env, p, false),
        "DescribeInstanceTypeConfigs" => regions::describe_instance_type_configs(env, p),
        "DescribeZoneInstanceConfigInfos" => regions::describe_zone_instance_config_infos(env, p),
        "DescribeInstancesStatus" => describe::describe_instances_status(env, p),
        "DescribeInstancesModification" => resize::describe_instances_modification(env, p),
        "DescribeKeyPairs" => key_pairs::describe_key_pairs(env, p),
        "InquiryPriceTerminateInstances" => terminate::inquiry_price_terminate_instances(env, p),
        "RunInstances" => launch::run_instances(env, p),
        "InquiryPriceRunInstances" => launch::inquiry_price_run_instances(env, p),
        "StartInstances" => lifecycle::start_instances(env, p),
        "StopInstances" => lifecycle::stop_instances(env, p),
        "RebootInstances" => lifecycle::reboot_instances(env, p),
        "TerminateInstances" => lifecycle::terminate_instances(env, p),
        "ResetInstancesType" => resize::reset_instances_type(env, p, false),
        "InquiryPriceResetInstancesType" => resize::reset_instances_type(env, p, true),
        "ResetInstancesInternetMaxBandwidth" => resize::reset_bandwidth(env, p, false),
        "InquiryPriceResetInstancesInternetMaxBandwidth" => resize::reset_bandwidth(env, p, true),
        "ModifyInstancesChargeType" => billing::modify_charge_type(env, p, false),
        "InquiryPriceModifyInstancesChargeType" => billing::modify_charge_type(env, p, true),
        "RenewInstances" => billing::renew_instances(env, p, false),
        "InquiryPriceRenewInstances" => billing::renew_instances(env, p, true),
        "ModifyInstancesRenewFlag" => billing::modify_renew_flag(env, p),
        "ModifyInstancesAttribute" => attributes::modify_attribute(env, p),
        "ResetInstancesPassword" => password::reset_password(env, p),
        "AssociateSecurityGroups" => security_groups::associate_security_groups(env, p),
        "CreateKeyPair" => key_pairs::create_key_pair(env, p, None),
        "ImportKeyPair" => {
            let public_key = p.str_req("PublicKey")?;
            key_pairs::create_key_pair(env, p, Some(public_key))
        }
        "DeleteKeyPairs" => key_pairs::delete_key_pairs(env, p),
        _ => Err(ApiError::new(
            "InvalidAction",
            format!("The action `{action}` is not found."),
        )),
    };
    v.map(Reply::from)
}

/// Realistic durations (ms) at time scale 1.
pub const PENDING_MS: i64 = 20_000;
pub const STARTING_MS: i64 = 15_000;
pub const STOPPING_MS: i64 = 15_000;
pub const HARD_STOP_MS: i64 = 5_000;
pub const REBOOTING_MS: i64 = 20_000;
pub const TERMINATING_MS: i64 = 10_000;
pub const RESIZE_MS: i64 = 30_000;
pub const QUICK_MS: i64 = 3_000;

pub fn scaled(env: &Env, ms: i64) -> i64 {
    env.ctx.clock.scaled(ms)
}

pub fn base64_ok(s: &str) -> bool {
    let t = s.trim_end_matches('=');
    s.len().is_multiple_of(4)
        && s.len() - t.len() <= 2
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

/// Batch lookup plus the common "every instance must be in one of these states" rule.
pub fn targets(env: &mut Env, p: &Params, max: usize) -> ApiResult<Vec<String>> {
    let ids = p.str_list_req("InstanceIds")?;
    let r = env.region();
    lookup_instances(r, &ids, max)?;
    Ok(ids)
}

pub fn each<'r>(r: &'r RegionState, ids: &[String]) -> impl Iterator<Item = &'r Instance> {
    ids.iter().filter_map(|id| r.get(id))
}

pub fn fuzzy(hay: &str, values: &[String]) -> bool {
    let hay = hay.to_lowercase();
    values.iter().any(|v| hay.contains(&v.to_lowercase()))
}

/// `UnsupportedOperation.InstanceState…` unless the instance is in one of `ok`;
/// `OperationDenied.InstanceOperationInProgress` while an earlier operation on a steady
/// instance (a resize, a charge-type switch) is still running.
pub fn require_state(i: &Instance, ok: &[State]) -> ApiResult<()> {
    if !ok.contains(&i.state) {
        return Err(ApiError::state(i.state.camel(), &i.id));
    }
    if i.busy() {
        return Err(ApiError::new(
            "OperationDenied.InstanceOperationInProgress",
            format!(
                "An operation on the instance `{}` is still in progress.",
                i.id
            ),
        ));
    }
    Ok(())
}
