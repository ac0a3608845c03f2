//! RunInstances / InquiryPriceRunInstances parameters, validated in the order the real
//! API reports problems, into a `Launch`.

use super::Launch;
use super::{machine, names, network};
use crate::catalog::{self, Image, ZoneInfo};
use crate::cvm::base64_ok;
use crate::cvm::billing::prepaid_settings;
use crate::cvm::key_pairs::key_pair_index;
use crate::cvm::password::{hash_password, password_ok};
use crate::cvm::security_groups::check_security_groups;
use crate::error::{ApiError, ApiResult};
use crate::msg::{self, Thing};
use crate::params::Params;
use crate::toolkit::{Env, parse_tags};
use crate::world::{ChargeType, RenewFlag};

pub fn parse_launch(env: &mut Env, p: &Params, inquiry: bool) -> ApiResult<Launch> {
    let now = env.ctx.now;
    let charge = p
        .str("InstanceChargeType")?
        .unwrap_or_else(|| "POSTPAID_BY_HOUR".into());
    let charge = match charge.as_str() {
        "CDHPAID" | "CDCPAID" => {
            return Err(ApiError::new(
                "InvalidParameterValue",
                msg::needs_dedicated(&charge),
            ));
        }
        other => ChargeType::parse(other).ok_or_else(|| {
            ApiError::invalid_value(
                "InstanceChargeType",
                msg::not_a(&other, &"billing model", &"计费模式"),
            )
        })?,
    };
    let prepaid = prepaid_settings(p, charge == ChargeType::Prepaid)?;
    let (period, renew_flag) = match (prepaid, charge) {
        (Some((period, flag)), ChargeType::Prepaid) => (
            period,
            Some(flag.unwrap_or(RenewFlag::NotifyAndManualRenew)),
        ),
        _ => (0, None),
    };
    let (zone, project_id) = placement(env, p)?;
    unsupported(p)?;
    let (image, itype) = machine::image_and_type(env, p, &zone)?;
    let spot_max = machine::spot(env, p, charge, &itype)?;
    let (system_disk, data_disks) = machine::disks(p, image)?;

    let count = p.int("InstanceCount")?.unwrap_or(1);
    let max_count = if inquiry { 100 } else { 500 };
    if !(1..=max_count).contains(&count) {
        return Err(ApiError::new(
            "InvalidParameterValue.Range",
            msg::instance_count_range(&max_count),
        ));
    }
    if let Some(min) = p.int("MinCount")?
        && (min < 1 || min > count)
    {
        return Err(ApiError::new(
            "InvalidParameterValue.InvalidParameterMinCount",
            msg::min_count_range(),
        ));
    }

    let r = env.region();
    let (vpc_id, subnet_id, private_ips) = network::vpc(r, p, &zone, count)?;
    let (internet_charge, bandwidth, public_ip) = network::internet(p, charge, &itype)?;
    let (name, host_name) = names::names(p, image)?;
    let (key_ids, password_hash) = login(env, p, image)?;

    let r = env.region();
    let security_groups = match p.str_list("SecurityGroupIds")? {
        None => vec![
            r.security_groups
                .iter()
                .find(|s| s.is_default)
                .map(|s| s.id.clone())
                .ok_or_else(ApiError::internal)?,
        ],
        Some(sgs) => {
            check_security_groups(r, &sgs)?;
            sgs
        }
    };

    let mut tags = Vec::new();
    for spec in p.obj_list("TagSpecification")?.unwrap_or_default() {
        spec.only(&["ResourceType", "Tags"])?;
        let rt = spec.str_req("ResourceType")?;
        let t = parse_tags(spec.obj_list("Tags")?)?;
        if rt == "instance" {
            tags = t;
        } else if !["host", "image", "keypair", "ps", "hpc"].contains(&rt.as_str()) {
            return Err(ApiError::invalid_value(
                "TagSpecification.ResourceType",
                msg::not_a(&rt, &"resource type", &"资源类型"),
            ));
        }
    }
    let user_data = p.str("UserData")?;
    if let Some(u) = &user_data
        && (u.len() > 16 * 1024 || !base64_ok(u))
    {
        return Err(ApiError::new(
            "InvalidParameterValue.InvalidUserDataFormat",
            msg::user_data_format(),
        ));
    }
    let disable_api_termination = p.bool("DisableApiTermination")?.unwrap_or(false);
    let cam_role = p.str("CamRoleName")?.unwrap_or_default();
    let mut terminate_at = None;
    if let Some(t) = p.obj("ActionTimer")? {
        t.only(&["TimerAction", "ActionTime", "Externals"])?;
        if t.str("TimerAction")?
            .is_some_and(|a| a != "TerminateInstances")
        {
            return Err(ApiError::invalid_value(
                "ActionTimer.TimerAction",
                msg::only(&"TerminateInstances"),
            ));
        }
        let at = t.str_req("ActionTime")?;
        let ms = time::OffsetDateTime::parse(&at, &time::format_description::well_known::Rfc3339)
            .map(|d| d.unix_timestamp() * 1000)
            .map_err(|_| {
                ApiError::new(
                    "InvalidParameterValue.InvalidTimeFormat",
                    msg::action_time_format(),
                )
            })?;
        if ms <= now + 5 * 60 * 1000 {
            return Err(ApiError::invalid_value(
                "ActionTimer.ActionTime",
                msg::at_least_5_minutes(),
            ));
        }
        terminate_at = Some(ms);
    }
    Ok(Launch {
        charge,
        period,
        renew_flag,
        zone,
        itype,
        image,
        project_id,
        system_disk,
        data_disks,
        vpc_id,
        subnet_id,
        private_ips,
        internet_charge,
        bandwidth,
        public_ip,
        count,
        name,
        key_ids,
        password_hash,
        security_groups,
        host_name,
        tags,
        spot_max,
        user_data,
        disable_api_termination,
        terminate_at,
        cam_role,
    })
}

fn placement(env: &Env, p: &Params) -> ApiResult<(ZoneInfo, i64)> {
    let placement = p
        .obj("Placement")?
        .ok_or_else(|| ApiError::missing("Placement"))?;
    placement.only(&[
        "Zone",
        "ProjectId",
        "HostIds",
        "HostId",
        "DedicatedResourcePackTenancy",
        "DedicatedResourcePackIds",
        "RackId",
    ])?;
    let zone_name = placement.str_req("Zone")?;
    let project_id = placement.int("ProjectId")?.unwrap_or(0);
    if project_id != 0 {
        return Err(ApiError::new(
            "InvalidProjectId.NotFound",
            msg::not_found(Thing::Project, &project_id),
        ));
    }
    if placement.has("HostIds") {
        return Err(ApiError::new(
            "InvalidHostId.NotFound",
            msg::no_dedicated_hosts(),
        ));
    }
    let zone = catalog::zones(env.ctx.region)
        .into_iter()
        .find(|z| z.zone == zone_name)
        .ok_or_else(|| match catalog::find_zone(&zone_name) {
            Some(_) => ApiError::new(
                "InvalidZone.MismatchRegion",
                msg::zone_mismatch(&zone_name, &env.ctx.region.id),
            ),
            None => ApiError::new(
                "InvalidParameterValue.ZoneNotSupported",
                msg::zone_unsupported(&zone_name),
            ),
        })?;
    Ok((zone, project_id))
}

/// Options that need resources cvm-sim does not model (templates are expanded before this).
fn unsupported(p: &Params) -> ApiResult<()> {
    if p.has("LaunchTemplate") {
        p.obj("LaunchTemplate")?;
        return Err(ApiError::new(
            "InvalidParameterValue.LaunchTemplateNotFound",
            msg::template_not_found_any(),
        ));
    }
    if p.has("HpcClusterId") {
        p.str("HpcClusterId")?;
        return Err(ApiError::new(
            "ResourceNotFound.HpcCluster",
            msg::hpc_not_found(),
        ));
    }
    if p.has("DedicatedClusterId") {
        p.str("DedicatedClusterId")?;
        return Err(ApiError::new(
            "InvalidParameter.CdcNotSupported",
            msg::no_dedicated_clusters(),
        ));
    }
    if let Some(ids) = p.str_list("ChcIds")?
        && !ids.is_empty()
    {
        return Err(ApiError::new(
            "InvalidParameterValue.ChcHostsNotFound",
            msg::chc_not_found(),
        ));
    }
    if let Some(ids) = p.str_list("DisasterRecoverGroupIds")?
        && !ids.is_empty()
    {
        return Err(ApiError::new(
            "FailedOperation.DisasterRecoverGroupNotFound",
            msg::placement_group_not_found(),
        ));
    }
    if p.has("NetworkInterfaces") {
        p.obj_list("NetworkInterfaces")?;
        return Err(ApiError::new(
            "UnsupportedOperation",
            msg::enis_allow_listed(),
        ));
    }
    p.int("PartitionNumber")?;
    p.obj("Metadata")?;
    if let Some(e) = p.obj("EnhancedService")? {
        e.only(&["SecurityService", "MonitorService", "AutomationService"])?;
        for k in ["SecurityService", "MonitorService", "AutomationService"] {
            if let Some(s) = e.obj(k)? {
                s.only(&["Enabled"])?;
                s.bool("Enabled")?;
            }
        }
    }
    if let Some(c) = p.obj("CpuTopology")? {
        c.only(&["CoreCount", "ThreadPerCore"])?;
        if c.int("CoreCount")?.is_some() != c.int("ThreadPerCore")?.is_some() {
            return Err(ApiError::new(
                "InvalidParameter.LackCoreCountOrThreadPerCore",
                msg::cores_and_threads(),
            ));
        }
    }
    p.bool("EnableJumboFrame")?;
    Ok(())
}

/// `LoginSettings`: a password, key pairs or the image's own login (one of them). The
/// password is kept only as its hash (for the Sandbox's SSH endpoint).
fn login(env: &Env, p: &Params, image: &Image) -> ApiResult<(Vec<String>, Option<String>)> {
    let mut key_ids = Vec::new();
    let mut password_hash = None;
    if let Some(l) = p.obj("LoginSettings")? {
        l.only(&["Password", "KeyIds", "KeepImageLogin"])?;
        let pw = l.str("Password")?;
        let keys = l.str_list("KeyIds")?.unwrap_or_default();
        let keep = l.str("KeepImageLogin")?;
        let given = [pw.is_some(), !keys.is_empty(), keep.is_some()]
            .iter()
            .filter(|x| **x)
            .count();
        if given > 1 {
            return Err(ApiError::new(
                "InvalidParameterCombination",
                msg::one_login(),
            ));
        }
        if let Some(k) = keep {
            if k == "true" {
                if catalog::image(image.id).is_some() {
                    return Err(ApiError::new(
                        "InvalidParameterValue",
                        msg::keep_login_custom_only(),
                    ));
                }
            } else if k != "false" {
                return Err(ApiError::invalid_value(
                    "LoginSettings.KeepImageLogin",
                    msg::true_or_false(),
                ));
            }
        }
        if let Some(pw) = pw {
            if !password_ok(&pw, image.windows, 2) {
                return Err(ApiError::new("InvalidPassword", msg::password_too_weak()));
            }
            password_hash = Some(hash_password(&pw));
        }
        if !keys.is_empty() {
            if image.windows {
                return Err(ApiError::new(
                    "UnsupportedOperation.KeyPairUnsupportedWindows",
                    msg::windows_no_key_pairs(),
                ));
            }
            for k in &keys {
                key_pair_index(
                    &env.acct.key_pairs,
                    k,
                    "InvalidParameterValue.KeyPairNotFound",
                )?;
            }
            key_ids = keys;
        }
    }

    Ok((key_ids, password_hash))
}
