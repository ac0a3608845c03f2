//! RunInstances and InquiryPriceRunInstances: a request is parsed into a `Launch` (every
//! check made) before anything is created or charged.

mod machine;
mod names;
mod network;
mod parse;

pub use names::host_name_ok;

use super::{PENDING_MS, scaled};
use crate::catalog::{self, Image, InstanceType, ZoneInfo, round2};
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::msg::{self};
use crate::params::Params;
use crate::price;
use crate::rng::Rng;
use crate::toolkit::Env;
use crate::world::{
    ChargeType, DataDisk, Instance, IsolatedSource, RenewFlag, RestrictState, State, Tag, public_ip,
};
use machine::{DataDiskSpec, DiskSpec};
use names::{default_host_name, expand, has_pattern};
use parse::parse_launch;
use serde_json::{Value, json};

/// A fully validated RunInstances / InquiryPriceRunInstances request.
struct Launch {
    charge: ChargeType,
    period: i64,
    /// Set for prepaid launches only.
    renew_flag: Option<RenewFlag>,
    zone: ZoneInfo,
    itype: InstanceType,
    image: &'static Image,
    project_id: i64,
    system_disk: DiskSpec,
    data_disks: Vec<DataDiskSpec>,
    vpc_id: String,
    subnet_id: String,
    private_ips: Vec<String>,
    internet_charge: String,
    bandwidth: i64,
    public_ip: bool,
    count: i64,
    name: Option<String>,
    key_ids: Vec<String>,
    password_hash: Option<String>,
    security_groups: Vec<String>,
    host_name: Option<String>,
    tags: Vec<Tag>,
    spot_max: Option<f64>,
    user_data: Option<String>,
    disable_api_termination: bool,
    terminate_at: Option<i64>,
    cam_role: String,
}

impl Launch {
    fn disks(&self) -> Vec<(String, i64)> {
        std::iter::once((self.system_disk.0.clone(), self.system_disk.1))
            .chain(self.data_disks.iter().map(|d| (d.0.clone(), d.1)))
            .collect()
    }
    fn monthly_each(&self) -> f64 {
        self.itype.monthly() + price::disks_monthly(&self.disks())
    }
    fn hourly_each(&self) -> f64 {
        self.itype.hourly() + price::disks_hourly(&self.disks())
    }
    /// What the account pays (prepaid) or must have frozen (one hour of postpaid or spot).
    fn charge_now(&self) -> f64 {
        let n = self.count as f64;
        match self.charge {
            ChargeType::Prepaid => {
                let bw = if self.internet_charge == "BANDWIDTH_PREPAID" {
                    price::bandwidth_monthly(self.bandwidth)
                } else {
                    0.0
                };
                price::prepaid_charge(self.monthly_each() + bw, self.period) * n
            }
            ChargeType::Spotpaid => {
                (catalog::spot_hourly(&self.itype) + price::disks_hourly(&self.disks())) * n
            }
            ChargeType::PostpaidByHour => self.hourly_each() * n,
        }
    }
}

/// Parameters RunInstances, InquiryPriceRunInstances and a launch template version share.
const COMMON_PARAMS: &[&str] = &[
    "Placement",
    "ImageId",
    "InstanceChargeType",
    "InstanceChargePrepaid",
    "InstanceType",
    "SystemDisk",
    "DataDisks",
    "VirtualPrivateCloud",
    "InternetAccessible",
    "InstanceCount",
    "InstanceName",
    "LoginSettings",
    "SecurityGroupIds",
    "EnhancedService",
    "HostName",
    "TagSpecification",
    "InstanceMarketOptions",
    "HpcClusterId",
];
/// What a launch template version keeps besides (RunInstances takes them too).
const KEPT_PARAMS: &[&str] = &[
    "ActionTimer",
    "DisasterRecoverGroupIds",
    "UserData",
    "CamRoleName",
    "DisableApiTermination",
];
/// What both launch requests take besides, and a template does not keep.
const REQUEST_PARAMS: &[&str] = &[
    "ClientToken",
    "Metadata",
    "CpuTopology",
    "LaunchTemplate",
    "NetworkInterfaces",
];
/// RunInstances' own.
const RUN_ONLY_PARAMS: &[&str] = &[
    "MinCount",
    "DryRun",
    "DedicatedClusterId",
    "ChcIds",
    "PartitionNumber",
    "EnableJumboFrame",
];

/// The launch parameters a template version may hold (RunInstances' minus the one-offs).
pub fn template_params() -> Vec<&'static str> {
    [COMMON_PARAMS, KEPT_PARAMS].concat()
}

/// RunInstances once a `LaunchTemplate` has been expanded (`templates::run_instances`).
pub fn run(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&[COMMON_PARAMS, KEPT_PARAMS, REQUEST_PARAMS, RUN_ONLY_PARAMS].concat())?;
    let token = p.str("ClientToken")?;
    if let Some(t) = &token
        && (t.len() > 64 || !t.is_ascii())
    {
        return Err(ApiError::new(
            "InvalidClientToken.TooLong",
            msg::client_token_too_long(),
        ));
    }
    let token_key = token
        .as_ref()
        .map(|t| format!("{}|RunInstances|{t}", env.ctx.region.id));
    if let Some(answer) = token_key.as_ref().and_then(|k| env.acct.tokens.get(k)) {
        return Ok(answer.clone());
    }
    let dry_run = p.bool("DryRun")?.unwrap_or(false);
    let l = parse_launch(env, p, false)?;
    let quota = env.ctx.quotas;
    let r = env.region();
    let (limit, code) = match l.charge {
        ChargeType::Prepaid => (quota.prepaid_per_region, "LimitExceeded.PrepayQuota"),
        ChargeType::Spotpaid => (quota.spot_per_region, "LimitExceeded.SpotQuota"),
        ChargeType::PostpaidByHour => (quota.postpaid_per_region, "LimitExceeded.InstanceQuota"),
    };
    let used = r
        .instances
        .values()
        .filter(|i| i.charge_type == l.charge)
        .count();
    if used + l.count as usize > limit {
        return Err(ApiError::new(
            code,
            msg::instance_quota(&limit, &(l.charge.as_str())),
        ));
    }
    let subnet = r
        .subnets
        .iter()
        .find(|s| s.id == l.subnet_id)
        .ok_or_else(ApiError::internal)?;
    if (subnet.available() as i64) < l.count {
        return Err(ApiError::new(
            "FailedOperation.NoAvailableIpAddressCountInSubnet",
            msg::subnet_full(),
        ));
    }
    let cost = round2(l.charge_now());
    if cost > env.acct.balance {
        return Err(ApiError::new(
            "InvalidAccount.InsufficientBalance",
            msg::balance_short(&env.acct.balance, &cost),
        ));
    }
    if dry_run {
        return Ok(json!({"InstanceIdSet": []}));
    }
    if l.charge == ChargeType::Prepaid {
        env.acct.balance = round2(env.acct.balance - cost);
    }
    let now = env.ctx.now;
    let pending = scaled(env, PENDING_MS);
    let lang = env.ctx.lang;
    let request_id = env.ctx.request_id.to_owned();
    let (r, rng, _, _) = env.parts();
    let mut ids = Vec::new();
    for n in 0..l.count {
        let private_ip = match l.private_ips.get(n as usize) {
            Some(ip) => {
                if let Some(s) = r.subnets.iter_mut().find(|s| s.id == l.subnet_id) {
                    s.used += 1;
                }
                ip.clone()
            }
            None => r.allocate_ip(&l.subnet_id).ok_or_else(ApiError::internal)?,
        };
        let name = match &l.name {
            Some(n0) if has_pattern(n0) => expand(n0, n, &private_ip).unwrap_or_else(|| n0.clone()),
            Some(n0) if l.count > 1 => format!("{n0}{}", n + 1),
            Some(n0) => n0.clone(),
            None => lang.pick("未命名", "Unnamed").to_owned(),
        };
        let host_name = match &l.host_name {
            Some(h) => expand(h, n, &private_ip).unwrap_or_else(|| h.clone()),
            None => default_host_name(&private_ip, l.image),
        };
        let mut inst = new_instance(rng, &l, name, host_name, private_ip, now);
        inst.begin(
            "RunInstances",
            &request_id,
            now,
            &[(pending, Some(State::Running))],
        );
        ids.push(inst.id.clone());
        r.insert(inst);
    }
    let answer = json!({"InstanceIdSet": ids});
    if let Some(k) = token_key {
        env.acct.tokens.insert(k, answer.clone());
    }
    Ok(answer)
}

fn new_instance(
    rng: &mut Rng,
    l: &Launch,
    name: String,
    host_name: String,
    private_ip: String,
    now: i64,
) -> Instance {
    let prepaid = l.charge == ChargeType::Prepaid;
    Instance {
        id: rng.id("ins"),
        uuid: rng.uuid(),
        name,
        zone: l.zone.zone.clone(),
        project_id: l.project_id,
        instance_type: l.itype.name.clone(),
        family: l.itype.family.name.to_owned(),
        cpu: l.itype.cpu,
        memory: l.itype.memory,
        gpu: l.itype.gpu,
        gpu_type: l.itype.family.gpu_type.to_owned(),
        image_id: l.image.id.to_owned(),
        os_name: l.image.os_name.to_owned(),
        windows: l.image.windows,
        login_user: l.image.login_user.to_owned(),
        charge_type: l.charge,
        state: State::Pending,
        system_disk_type: l.system_disk.0.clone(),
        system_disk_id: rng.id("disk"),
        system_disk_size: l.system_disk.1,
        system_disk_encryption: l.system_disk.2.clone(),
        data_disks: l
            .data_disks
            .iter()
            .map(|(t, s, d, encryption)| DataDisk {
                disk_type: t.clone(),
                disk_id: rng.id("disk"),
                disk_size: *s,
                delete_with_instance: *d,
                encryption: encryption.clone(),
            })
            .collect(),
        private_ip,
        public_ip: if l.public_ip {
            Some(public_ip(rng))
        } else {
            None
        },
        eip_id: None,
        internet_charge_type: l.internet_charge.clone(),
        bandwidth: l.bandwidth,
        vpc_id: l.vpc_id.clone(),
        subnet_id: l.subnet_id.clone(),
        security_group_ids: l.security_groups.clone(),
        key_ids: l.key_ids.clone(),
        password_hash: l.password_hash.clone(),
        renew_flag: l.renew_flag,
        created_ms: now,
        expired_ms: prepaid.then(|| clock::add_months(now, l.period)),
        tags: l.tags.clone(),
        stop_charging: false,
        latest_op: None,
        latest_op_state: None,
        latest_op_request_id: None,
        latest_op_error: None,
        fail_with: None,
        restrict_state: RestrictState::Normal,
        isolated_source: IsolatedSource::NotIsolated,
        isolated_ms: None,
        disable_api_termination: l.disable_api_termination,
        host_name,
        spot_max_price: l.spot_max,
        cam_role_name: l.cam_role.clone(),
        user_data: l.user_data.clone(),
        terminate_at: l.terminate_at,
        steps: Vec::new(),
        power: Vec::new(),
    }
}

/// A launch template version's `LaunchTemplateVersionData`: its parameters checked as
/// InquiryPriceRunInstances checks them, with what the platform fills in when they are
/// left out (zone's default subnet, default security group, network billing, disks,
/// security and monitoring agents on). Optional members appear only when given.
pub fn template_data(env: &mut Env, p: &Params) -> ApiResult<Value> {
    let l = parse_launch(env, p, true)?;
    let mut vpc = json!({"VpcId": l.vpc_id, "SubnetId": l.subnet_id, "AsVpcGateway": false});
    if !l.private_ips.is_empty() {
        vpc["PrivateIpAddresses"] = json!(l.private_ips);
    }
    let data_disks: Vec<Value> = l
        .data_disks
        .iter()
        .map(|(t, size, delete, encryption)| {
            json!({"DiskType": t, "DiskSize": size, "DeleteWithInstance": delete,
                   "Encrypt": encryption.is_some(), "KmsKeyId": encryption.as_deref().unwrap_or("")})
        })
        .collect();
    let enabled = |service: &str, default: bool| -> ApiResult<Value> {
        let on = match p
            .obj("EnhancedService")?
            .and_then(|e| e.obj(service).ok().flatten())
        {
            Some(s) => s.bool("Enabled")?.unwrap_or(default),
            None => default,
        };
        Ok(json!({"Enabled": on}))
    };
    let mut d = json!({
        "Placement": {"Zone": l.zone.zone, "ProjectId": l.project_id},
        "InstanceType": l.itype.name,
        "InstanceName": l.name.clone().unwrap_or_default(),
        "InstanceChargeType": l.charge.as_str(),
        "SystemDisk": {"DiskType": l.system_disk.0, "DiskSize": l.system_disk.1,
                       "Encrypt": l.system_disk.2.is_some(),
                       "KmsKeyId": l.system_disk.2.as_deref().unwrap_or("")},
        "DataDisks": data_disks,
        "InternetAccessible": {"InternetChargeType": l.internet_charge,
                               "InternetMaxBandwidthOut": l.bandwidth, "PublicIpAssigned": l.public_ip},
        "VirtualPrivateCloud": vpc,
        "ImageId": l.image.id,
        "SecurityGroupIds": l.security_groups,
        "InstanceCount": l.count,
        "EnhancedService": {
            "SecurityService": enabled("SecurityService", true)?,
            "MonitorService": enabled("MonitorService", true)?,
            "AutomationService": enabled("AutomationService", false)?,
        },
        "DisableApiTermination": l.disable_api_termination,
    });
    if let Some(flag) = l.renew_flag {
        d["InstanceChargePrepaid"] = json!({"Period": l.period, "RenewFlag": flag.as_str()});
    }
    if !l.key_ids.is_empty() {
        d["LoginSettings"] = json!({"KeyIds": l.key_ids});
    } else if let Some(keep) = p
        .obj("LoginSettings")?
        .and_then(|s| s.str("KeepImageLogin").ok().flatten())
    {
        d["LoginSettings"] = json!({"KeepImageLogin": keep});
    }
    if !l.cam_role.is_empty() {
        d["CamRoleName"] = json!(l.cam_role);
    }
    if let Some(h) = &l.host_name {
        d["HostName"] = json!(h);
    }
    if let Some(u) = &l.user_data {
        d["UserData"] = json!(u);
    }
    let given = p.to_value();
    for k in ["TagSpecification", "InstanceMarketOptions"] {
        if let Some(v) = given.get(k).filter(|v| !v.is_null()) {
            d[k] = v.clone();
        }
    }
    Ok(d)
}

/// InquiryPriceRunInstances once a `LaunchTemplate` has been expanded.
pub fn inquiry_price(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&[COMMON_PARAMS, REQUEST_PARAMS].concat())?;
    if let Some(t) = p.str("ClientToken")?
        && t.len() > 64
    {
        return Err(ApiError::new(
            "InvalidClientToken.TooLong",
            msg::client_token_too_long(),
        ));
    }
    let l = parse_launch(env, p, true)?;
    let n = l.count as f64;
    let instance = match l.charge {
        ChargeType::Prepaid => price::prepaid(l.monthly_each() * n, l.period),
        ChargeType::Spotpaid => {
            let mut v = price::spot(&l.itype, price::disks_hourly(&l.disks()));
            for k in ["UnitPrice", "UnitPriceDiscount"] {
                v[k] = json!(round2(v[k].as_f64().unwrap_or(0.0) * n));
            }
            v
        }
        ChargeType::PostpaidByHour => price::postpaid(l.hourly_each() * n),
    };
    let bandwidth = price::bandwidth(&l.internet_charge, l.bandwidth * l.count, l.period.max(1));
    Ok(json!({"Price": {"InstancePrice": instance, "BandwidthPrice": bandwidth}}))
}
