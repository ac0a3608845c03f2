//! CVM write actions and price inquiries. Every handler validates the whole request
//! before it changes anything, so an error never leaves the world half-changed.

use super::{key_pair_json, key_users, price, require_state};
use crate::catalog::{self, Image, InstanceType, Stock, ZoneInfo, round2};
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::params::Params;
use crate::rng::Rng;
use crate::toolkit::{Env, lookup_instances, parse_tags, well_formed};
use crate::world::{DataDisk, Instance, KeyPair, RegionState, State, Tag, parse_ipv4, public_ip};
use serde_json::{Value, json};

/// Realistic durations (ms) at time scale 1.
const PENDING_MS: i64 = 20_000;
const STARTING_MS: i64 = 15_000;
const STOPPING_MS: i64 = 15_000;
const HARD_STOP_MS: i64 = 5_000;
const REBOOTING_MS: i64 = 20_000;
const TERMINATING_MS: i64 = 10_000;
const RESIZE_MS: i64 = 30_000;
const QUICK_MS: i64 = 3_000;

pub fn call(env: &mut Env, action: &str, p: &Params) -> ApiResult<Value> {
    match action {
        "RunInstances" => run_instances(env, p),
        "InquiryPriceRunInstances" => inquiry_price_run_instances(env, p),
        "StartInstances" => start_instances(env, p),
        "StopInstances" => stop_instances(env, p),
        "RebootInstances" => reboot_instances(env, p),
        "TerminateInstances" => terminate_instances(env, p),
        "ResetInstancesType" => reset_instances_type(env, p, false),
        "InquiryPriceResetInstancesType" => reset_instances_type(env, p, true),
        "ResetInstancesInternetMaxBandwidth" => reset_bandwidth(env, p, false),
        "InquiryPriceResetInstancesInternetMaxBandwidth" => reset_bandwidth(env, p, true),
        "ModifyInstancesChargeType" => modify_charge_type(env, p, false),
        "InquiryPriceModifyInstancesChargeType" => modify_charge_type(env, p, true),
        "RenewInstances" => renew_instances(env, p, false),
        "InquiryPriceRenewInstances" => renew_instances(env, p, true),
        "ModifyInstancesRenewFlag" => modify_renew_flag(env, p),
        "ModifyInstancesAttribute" => modify_attribute(env, p),
        "ResetInstancesPassword" => reset_password(env, p),
        "AssociateSecurityGroups" => associate_security_groups(env, p),
        "CreateKeyPair" => create_key_pair(env, p, None),
        "ImportKeyPair" => {
            let public_key = p.str_req("PublicKey")?;
            create_key_pair(env, p, Some(public_key))
        }
        "DeleteKeyPairs" => delete_key_pairs(env, p),
        _ => Err(ApiError::new(
            "InvalidAction",
            format!("The action `{action}` is not found."),
        )),
    }
}

fn scaled(env: &Env, ms: i64) -> i64 {
    env.ctx.clock.scaled(ms)
}

fn prepaid_settings(p: &Params, required: bool) -> ApiResult<Option<(i64, Option<String>)>> {
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
        return Err(ApiError::new(
            "InvalidPeriod",
            "Invalid period. Valid periods are 1-12, 24, 36, 48 and 60 months.",
        ));
    }
    let flag = o.str("RenewFlag")?;
    if let Some(f) = &flag
        && !catalog::RENEW_FLAGS.contains(&f.as_str())
    {
        return Err(ApiError::invalid_value(
            "InstanceChargePrepaid.RenewFlag",
            format!("`{f}` is not a renew flag"),
        ));
    }
    Ok(Some((period, flag)))
}

fn password_ok(pw: &str, windows: bool, min_classes: usize) -> bool {
    const SPECIAL: &str = "()`~!@#$%^&*-+=_|{}[]:;'<>,.?/";
    let (min, max) = if windows { (12, 30) } else { (8, 30) };
    let len = pw.chars().count();
    if len < min || len > max || pw.starts_with('/') {
        return false;
    }
    if !pw
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || SPECIAL.contains(c))
    {
        return false;
    }
    let classes = [
        pw.chars().any(|c| c.is_ascii_lowercase()),
        pw.chars().any(|c| c.is_ascii_uppercase()),
        pw.chars().any(|c| c.is_ascii_digit()),
        pw.chars().any(|c| SPECIAL.contains(c)),
    ];
    classes.iter().filter(|c| **c).count() >= if windows { 3 } else { min_classes }
}

/// Replaces `{R:x}`, `{R:x,F:y}` and `{IP}` in a name or host name for instance `n` (0-based).
fn expand(pattern: &str, n: i64, ip: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}')? + start;
        let inner = &rest[start + 1..end];
        if inner == "IP" {
            out.push_str(ip);
        } else {
            let spec = inner.strip_prefix("R:")?;
            let (x, width) = match spec.split_once(",F:") {
                Some((x, f)) => (x.parse::<i64>().ok()?, f.parse::<usize>().ok()?),
                None => (spec.parse::<i64>().ok()?, 0),
            };
            if width > 8 {
                return None;
            }
            out.push_str(&format!("{:0width$}", x + n, width = width));
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

fn has_pattern(s: &str) -> bool {
    s.contains("{R:") || s.contains("{IP}")
}

fn host_name_ok(h: &str, windows: bool) -> bool {
    let len = h.chars().count();
    let edge_ok = !(h.starts_with(['.', '-'])
        || h.ends_with(['.', '-'])
        || h.contains("..")
        || h.contains("--"));
    if windows {
        (2..=15).contains(&len)
            && edge_ok
            && h.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !h.chars().all(|c| c.is_ascii_digit())
    } else {
        (2..=60).contains(&len)
            && edge_ok
            && h.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
    }
}

/// A fully validated RunInstances / InquiryPriceRunInstances request.
struct Launch {
    charge: String,
    period: i64,
    renew_flag: String,
    zone: ZoneInfo,
    itype: InstanceType,
    image: &'static Image,
    project_id: i64,
    system_disk: (String, i64),
    data_disks: Vec<(String, i64, bool)>,
    vpc_id: String,
    subnet_id: String,
    private_ips: Vec<String>,
    internet_charge: String,
    bandwidth: i64,
    public_ip: bool,
    count: i64,
    name: Option<String>,
    key_ids: Vec<String>,
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
        std::iter::once(self.system_disk.clone())
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
        match self.charge.as_str() {
            "PREPAID" => {
                let bw = if self.internet_charge == "BANDWIDTH_PREPAID" {
                    price::bandwidth_monthly(self.bandwidth)
                } else {
                    0.0
                };
                price::prepaid_charge(self.monthly_each() + bw, self.period) * n
            }
            "SPOTPAID" => {
                (catalog::spot_hourly(&self.itype) + price::disks_hourly(&self.disks())) * n
            }
            _ => self.hourly_each() * n,
        }
    }
}

const RUN_PARAMS: &[&str] = &[
    "InstanceChargeType",
    "InstanceChargePrepaid",
    "Placement",
    "InstanceType",
    "ImageId",
    "SystemDisk",
    "DataDisks",
    "VirtualPrivateCloud",
    "InternetAccessible",
    "InstanceCount",
    "MinCount",
    "InstanceName",
    "LoginSettings",
    "SecurityGroupIds",
    "EnhancedService",
    "ClientToken",
    "HostName",
    "ActionTimer",
    "DisasterRecoverGroupIds",
    "TagSpecification",
    "InstanceMarketOptions",
    "UserData",
    "Metadata",
    "DryRun",
    "CpuTopology",
    "CamRoleName",
    "HpcClusterId",
    "LaunchTemplate",
    "DedicatedClusterId",
    "ChcIds",
    "PartitionNumber",
    "DisableApiTermination",
    "EnableJumboFrame",
    "NetworkInterfaces",
];

fn base64_ok(s: &str) -> bool {
    let t = s.trim_end_matches('=');
    s.len().is_multiple_of(4)
        && s.len() - t.len() <= 2
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

fn parse_launch(env: &mut Env, p: &Params, inquiry: bool) -> ApiResult<Launch> {
    let now = env.ctx.now;
    let charge = p
        .str("InstanceChargeType")?
        .unwrap_or_else(|| "POSTPAID_BY_HOUR".into());
    match charge.as_str() {
        "PREPAID" | "POSTPAID_BY_HOUR" | "SPOTPAID" => {}
        "CDHPAID" | "CDCPAID" => {
            return Err(ApiError::new(
                "InvalidParameterValue",
                format!(
                    "`{charge}` needs a dedicated host or cluster, which cvm-sim does not model."
                ),
            ));
        }
        other => {
            return Err(ApiError::invalid_value(
                "InstanceChargeType",
                format!("`{other}` is not a billing model"),
            ));
        }
    }
    let prepaid = prepaid_settings(p, charge == "PREPAID")?;
    let (period, renew_flag) = match (&prepaid, charge.as_str()) {
        (Some((period, flag)), "PREPAID") => (
            *period,
            flag.clone()
                .unwrap_or_else(|| "NOTIFY_AND_MANUAL_RENEW".into()),
        ),
        _ => (0, String::new()),
    };
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
            format!("The project `{project_id}` does not exist."),
        ));
    }
    if placement.has("HostIds") {
        return Err(ApiError::new(
            "InvalidHostId.NotFound",
            "cvm-sim has no dedicated hosts.",
        ));
    }
    let zone = catalog::zones(env.ctx.region)
        .into_iter()
        .find(|z| z.zone == zone_name)
        .ok_or_else(|| match catalog::find_zone(&zone_name) {
            Some(_) => ApiError::new(
                "InvalidZone.MismatchRegion",
                format!(
                    "The zone `{zone_name}` does not belong to region {}.",
                    env.ctx.region.id
                ),
            ),
            None => ApiError::new(
                "InvalidParameterValue.ZoneNotSupported",
                format!("The zone `{zone_name}` is not supported."),
            ),
        })?;
    if p.has("LaunchTemplate") {
        p.obj("LaunchTemplate")?;
        return Err(ApiError::new(
            "InvalidParameterValue.LaunchTemplateNotFound",
            "The launch template does not exist.",
        ));
    }
    if p.has("HpcClusterId") {
        p.str("HpcClusterId")?;
        return Err(ApiError::new(
            "ResourceNotFound.HpcCluster",
            "The HPC cluster does not exist.",
        ));
    }
    if p.has("DedicatedClusterId") {
        p.str("DedicatedClusterId")?;
        return Err(ApiError::new(
            "InvalidParameter.CdcNotSupported",
            "cvm-sim has no dedicated clusters.",
        ));
    }
    if let Some(ids) = p.str_list("ChcIds")?
        && !ids.is_empty()
    {
        return Err(ApiError::new(
            "InvalidParameterValue.ChcHostsNotFound",
            "The CHC hosts do not exist.",
        ));
    }
    if let Some(ids) = p.str_list("DisasterRecoverGroupIds")?
        && !ids.is_empty()
    {
        return Err(ApiError::new(
            "FailedOperation.DisasterRecoverGroupNotFound",
            "The placement group does not exist.",
        ));
    }
    if p.has("NetworkInterfaces") {
        p.obj_list("NetworkInterfaces")?;
        return Err(ApiError::new(
            "UnsupportedOperation",
            "Extra network interfaces are an allow-listed feature.",
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
                "`CoreCount` and `ThreadPerCore` go together.",
            ));
        }
    }
    p.bool("EnableJumboFrame")?;

    let image_id = p
        .str("ImageId")?
        .ok_or_else(|| ApiError::missing("ImageId"))?;
    if !well_formed(&image_id, "img") {
        return Err(ApiError::new(
            "InvalidImageId.Malformed",
            format!("The image id `{image_id}` is malformed."),
        ));
    }
    let image = super::images::launch_image(env, &image_id)?;
    let itype = match p.str("InstanceType")? {
        Some(t) => {
            if !t.contains('.') || t.len() > 64 {
                return Err(ApiError::new(
                    "InvalidInstanceType.Malformed",
                    format!("The instance type `{t}` is malformed."),
                ));
            }
            catalog::instance_type(&t).ok_or_else(|| {
                ApiError::new(
                    "InvalidParameterValue.InstanceTypeNotFound",
                    format!("The instance type `{t}` does not exist."),
                )
            })?
        }
        // The platform picks a small type that is on sale here for the image's architecture.
        None => catalog::instance_types()
            .into_iter()
            .find(|t| {
                t.family.arch == image.arch
                    && t.gpu == 0
                    && t.cpu >= 1
                    && catalog::stock(&zone, t) == Stock::Sell
            })
            .ok_or_else(|| {
                ApiError::new(
                    "ResourceInsufficient.AvailabilityZoneSoldOut",
                    "The zone is sold out.",
                )
            })?,
    };
    if itype.family.arch != image.arch {
        return Err(ApiError::new(
            "InvalidParameterValue.InvalidImageForGivenInstanceType",
            format!(
                "The image `{}` ({}) cannot run on {}.",
                image.id,
                image.arch.as_str(),
                itype.name
            ),
        ));
    }
    if !zone.available {
        return Err(ApiError::new(
            "ResourceInsufficient.AvailabilityZoneSoldOut",
            format!("The zone `{}` is sold out.", zone.zone),
        ));
    }
    match catalog::stock(&zone, &itype) {
        Stock::NotOffered => {
            return Err(ApiError::new(
                "ResourceUnavailable.InstanceType",
                format!("{} is not offered in {}.", itype.name, zone.zone),
            ));
        }
        Stock::SoldOut => {
            return Err(ApiError::new(
                "ResourcesSoldOut.SpecifiedInstanceType",
                format!("{} is sold out in {}.", itype.name, zone.zone),
            ));
        }
        Stock::Sell => {}
    }

    let mut spot_max = None;
    if let Some(m) = p.obj("InstanceMarketOptions")? {
        m.only(&["MarketType", "SpotOptions"])?;
        if m.str("MarketType")?.is_some_and(|t| t != "spot") {
            return Err(ApiError::invalid_value(
                "InstanceMarketOptions.MarketType",
                "only `spot` is supported",
            ));
        }
        let o = m
            .obj("SpotOptions")?
            .ok_or_else(|| ApiError::missing("InstanceMarketOptions.SpotOptions"))?;
        o.only(&["MaxPrice", "SpotInstanceType"])?;
        let max = o.str_req("MaxPrice")?;
        let max: f64 = max.trim().parse().map_err(|_| {
            ApiError::invalid_value("InstanceMarketOptions.SpotOptions.MaxPrice", "not a number")
        })?;
        if o.str("SpotInstanceType")?.is_some_and(|t| t != "one-time") {
            return Err(ApiError::invalid_value(
                "InstanceMarketOptions.SpotOptions.SpotInstanceType",
                "only `one-time` is supported",
            ));
        }
        if charge != "SPOTPAID" {
            return Err(ApiError::new(
                "InvalidParameterCombination",
                "`InstanceMarketOptions` needs InstanceChargeType SPOTPAID.",
            ));
        }
        spot_max = Some(max);
    }
    if charge == "SPOTPAID" {
        if !env.ctx.region.spot {
            return Err(ApiError::new(
                "UnsupportedOperation.SpotUnsupportedRegion",
                "Spot instances are not sold in this region.",
            ));
        }
        if !itype.family.spot {
            return Err(ApiError::new(
                "UnsupportedOperation.NoInstanceTypeSupportSpot",
                format!("{} is not sold as spot.", itype.name),
            ));
        }
        let market = catalog::spot_hourly(&itype);
        match spot_max {
            Some(m) if m < market => {
                return Err(ApiError::new(
                    "InvalidParameterValue.InsufficientPrice",
                    format!("The bid {m} is below the spot price {market}."),
                ));
            }
            Some(_) => {}
            None => spot_max = Some(market),
        }
    }

    let system_disk = match p.obj("SystemDisk")? {
        None => ("CLOUD_PREMIUM".to_owned(), 50),
        Some(d) => {
            d.only(&[
                "DiskType", "DiskId", "DiskSize", "CdcId", "DiskName", "Encrypt", "KmsKeyId",
            ])?;
            let t = d.str("DiskType")?.unwrap_or_else(|| "CLOUD_PREMIUM".into());
            if !catalog::SYSTEM_DISK_TYPES.contains(&t.as_str()) {
                return Err(ApiError::invalid_value(
                    "SystemDisk.DiskType",
                    format!("`{t}` is not a system disk type"),
                ));
            }
            let size = d.int("DiskSize")?.unwrap_or(50);
            let min = if image.windows {
                50
            } else {
                image.size.max(20)
            };
            if size < min || size > 1024 {
                return Err(ApiError::new(
                    "InvalidParameterValue.Range",
                    format!("`SystemDisk.DiskSize` must be between {min} and 1024."),
                ));
            }
            (t, size)
        }
    };
    let mut data_disks = Vec::new();
    let disk_list = p.obj_list("DataDisks")?.unwrap_or_default();
    if disk_list.len() > 21 {
        return Err(ApiError::limit("DataDisks", 21));
    }
    for d in disk_list {
        d.only(&[
            "DiskSize",
            "DiskType",
            "DiskId",
            "DeleteWithInstance",
            "SnapshotId",
            "Encrypt",
            "KmsKeyId",
            "ThroughputPerformance",
            "CdcId",
            "BurstPerformance",
            "DiskName",
        ])?;
        let size = d
            .int("DiskSize")?
            .ok_or_else(|| ApiError::missing("DataDisks.DiskSize"))?;
        let t = d.str("DiskType")?.unwrap_or_else(|| "CLOUD_PREMIUM".into());
        if !catalog::DATA_DISK_TYPES.contains(&t.as_str()) {
            return Err(ApiError::invalid_value(
                "DataDisks.DiskType",
                format!("`{t}` is not a data disk type"),
            ));
        }
        if !(10..=32000).contains(&size) || size % 10 != 0 {
            return Err(ApiError::new(
                "InvalidParameterValue.Range",
                "`DataDisks.DiskSize` must be 10–32000 GiB in steps of 10.",
            ));
        }
        if t == "CLOUD_SSD" && size < 20 {
            return Err(ApiError::new(
                "InvalidParameterValue.CloudSsdDataDiskSizeTooSmall",
                "CLOUD_SSD data disks start at 20 GiB.",
            ));
        }
        if d.str("SnapshotId")?.is_some() {
            return Err(ApiError::new(
                "InvalidParameter.SnapshotNotFound",
                "The snapshot does not exist.",
            ));
        }
        let delete = d.bool("DeleteWithInstance")?.unwrap_or(true);
        data_disks.push((t, size, delete));
    }

    let count = p.int("InstanceCount")?.unwrap_or(1);
    let max_count = if inquiry { 100 } else { 500 };
    if !(1..=max_count).contains(&count) {
        return Err(ApiError::new(
            "InvalidParameterValue.Range",
            format!("`InstanceCount` must be between 1 and {max_count}."),
        ));
    }
    if let Some(min) = p.int("MinCount")?
        && (min < 1 || min > count)
    {
        return Err(ApiError::new(
            "InvalidParameterValue.InvalidParameterMinCount",
            "`MinCount` must be between 1 and InstanceCount.",
        ));
    }

    // Network: the default VPC and the zone's default subnet unless told otherwise.
    let r = env.region();
    let (vpc_id, subnet_id, private_ips) = match p.obj("VirtualPrivateCloud")? {
        None => {
            let s = r
                .subnets
                .iter()
                .find(|s| s.is_default && s.zone == zone.zone)
                .ok_or_else(ApiError::internal)?;
            (s.vpc_id.clone(), s.id.clone(), Vec::new())
        }
        Some(v) => {
            v.only(&[
                "VpcId",
                "SubnetId",
                "AsVpcGateway",
                "PrivateIpAddresses",
                "Ipv6AddressCount",
            ])?;
            let vpc = v.str_req("VpcId")?;
            let subnet = v.str_req("SubnetId")?;
            v.bool("AsVpcGateway")?;
            if v.int("Ipv6AddressCount")?.unwrap_or(0) > 0 {
                return Err(ApiError::new(
                    "InvalidParameterValue.VpcNotSupportIpv6Address",
                    "The VPC has no IPv6 block.",
                ));
            }
            let ips = v.str_list("PrivateIpAddresses")?.unwrap_or_default();
            let vpc = if vpc == "DEFAULT" {
                r.vpcs
                    .iter()
                    .find(|v| v.is_default)
                    .map(|v| v.id.clone())
                    .ok_or_else(ApiError::internal)?
            } else {
                if !well_formed(&vpc, "vpc") {
                    return Err(ApiError::new(
                        "InvalidParameterValue.VpcIdMalformed",
                        format!("The VPC id `{vpc}` is malformed."),
                    ));
                }
                if !r.vpcs.iter().any(|x| x.id == vpc) {
                    return Err(ApiError::new(
                        "InvalidParameterValue.VpcIdNotExist",
                        format!("The VPC `{vpc}` does not exist."),
                    ));
                }
                vpc
            };
            let subnet = if subnet == "DEFAULT" {
                r.subnets
                    .iter()
                    .find(|s| s.vpc_id == vpc && s.zone == zone.zone)
                    .map(|s| s.id.clone())
                    .ok_or_else(|| {
                        ApiError::new(
                            "InvalidParameterValue.InvalidVpcIdSubnetIdNotFound",
                            "The VPC has no subnet in this zone.",
                        )
                    })?
            } else {
                if !well_formed(&subnet, "subnet") {
                    return Err(ApiError::new(
                        "InvalidParameterValue.SubnetIdMalformed",
                        format!("The subnet id `{subnet}` is malformed."),
                    ));
                }
                let s = r.subnets.iter().find(|s| s.id == subnet).ok_or_else(|| {
                    ApiError::new(
                        "InvalidParameterValue.SubnetNotExist",
                        format!("The subnet `{subnet}` does not exist."),
                    )
                })?;
                if s.vpc_id != vpc {
                    return Err(ApiError::new(
                        "InvalidParameterValue.VpcIdSubnetIdNotMatch",
                        "The subnet does not belong to the VPC.",
                    ));
                }
                if s.zone != zone.zone {
                    return Err(ApiError::new(
                        "InvalidParameterValue.SubnetIdZoneIdNotMatch",
                        "The subnet is in another zone.",
                    ));
                }
                subnet
            };
            if !ips.is_empty() {
                if ips.len() as i64 != count {
                    return Err(ApiError::new(
                        "InvalidParameterValue",
                        "`PrivateIpAddresses` must list one address per instance.",
                    ));
                }
                let s = r
                    .subnets
                    .iter()
                    .find(|s| s.id == subnet)
                    .ok_or_else(ApiError::internal)?;
                for ip in &ips {
                    let v = parse_ipv4(ip).ok_or_else(|| {
                        ApiError::new(
                            "InvalidParameterValue.IPAddressMalformed",
                            format!("`{ip}` is not an IPv4 address."),
                        )
                    })?;
                    if v < s.base + 2 || v >= s.base + s.size - 1 {
                        return Err(ApiError::new(
                            "VpcAddrNotInSubNet",
                            format!("`{ip}` is not in the subnet."),
                        ));
                    }
                    if r.instances.values().any(|i| &i.private_ip == ip)
                        || ips.iter().filter(|x| *x == ip).count() > 1
                    {
                        return Err(ApiError::new("VpcIpIsUsed", format!("`{ip}` is in use.")));
                    }
                }
            }
            (vpc, subnet, ips)
        }
    };

    let (internet_charge, bandwidth, public_ip) = match p.obj("InternetAccessible")? {
        None => (
            if charge == "PREPAID" {
                "BANDWIDTH_PREPAID"
            } else {
                "TRAFFIC_POSTPAID_BY_HOUR"
            }
            .to_owned(),
            0,
            false,
        ),
        Some(ia) => {
            ia.only(&[
                "InternetChargeType",
                "InternetMaxBandwidthOut",
                "PublicIpAssigned",
                "BandwidthPackageId",
                "InternetServiceProvider",
                "IPv4AddressType",
                "IPv6AddressType",
                "AntiDDoSPackageId",
            ])?;
            let ict = ia.str("InternetChargeType")?.unwrap_or_else(|| {
                if charge == "PREPAID" {
                    "BANDWIDTH_PREPAID"
                } else {
                    "TRAFFIC_POSTPAID_BY_HOUR"
                }
                .to_owned()
            });
            if !catalog::INTERNET_CHARGE_TYPES.contains(&ict.as_str()) {
                return Err(ApiError::invalid_value(
                    "InternetAccessible.InternetChargeType",
                    format!("`{ict}` is not a network billing model"),
                ));
            }
            if ict == "BANDWIDTH_PREPAID" && charge != "PREPAID" {
                return Err(ApiError::new(
                    "InvalidParameterCombination",
                    "BANDWIDTH_PREPAID needs a PREPAID instance.",
                ));
            }
            if ict == "BANDWIDTH_PACKAGE" || ia.str("BandwidthPackageId")?.is_some() {
                return Err(ApiError::new(
                    "InvalidParameterValue.BandwidthPackageIdNotFound",
                    "The bandwidth package does not exist.",
                ));
            }
            if let Some(isp) = ia.str("InternetServiceProvider")?
                && isp != "BGP"
            {
                return Err(ApiError::new(
                    "InvalidParameterValue",
                    format!("The ISP `{isp}` is allow-listed."),
                ));
            }
            let bw = ia.int("InternetMaxBandwidthOut")?.unwrap_or(0);
            if bw < 0 || bw > itype.max_bandwidth() {
                return Err(ApiError::new(
                    "InvalidParameterValue.Range",
                    format!(
                        "`InternetMaxBandwidthOut` must be between 0 and {} for {}.",
                        itype.max_bandwidth(),
                        itype.name
                    ),
                ));
            }
            let assigned = ia.bool("PublicIpAssigned")?;
            if assigned == Some(true) && bw == 0 {
                return Err(ApiError::new(
                    "InvalidParameterCombination",
                    "A public IP needs a bandwidth above 0.",
                ));
            }
            (ict, bw, assigned.unwrap_or(bw > 0))
        }
    };

    let name = p.str("InstanceName")?;
    if let Some(n) = &name {
        if n.chars().count() > 128 {
            return Err(ApiError::new(
                "InvalidInstanceName.TooLong",
                "`InstanceName` may have at most 128 characters.",
            ));
        }
        if has_pattern(n) && expand(n, 0, "0.0.0.0").is_none() {
            return Err(ApiError::invalid_value(
                "InstanceName",
                "malformed {R:x,F:y} pattern",
            ));
        }
    }
    let host_name = p.str("HostName")?;
    if let Some(h) = &host_name {
        let probe =
            expand(h, 0, "10.0.0.1").map(|s| s.replace('.', if image.windows { "" } else { "." }));
        let ok = probe
            .as_deref()
            .is_some_and(|s| host_name_ok(if has_pattern(h) { s } else { h }, image.windows));
        if !ok {
            return Err(ApiError::new(
                "InvalidParameterValue.IllegalHostName",
                format!("The host name `{h}` is not valid."),
            ));
        }
    }

    let mut key_ids = Vec::new();
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
                "Give only one of Password, KeyIds and KeepImageLogin.",
            ));
        }
        if let Some(k) = keep {
            if k == "true" {
                if catalog::image(image.id).is_some() {
                    return Err(ApiError::new(
                        "InvalidParameterValue",
                        "`KeepImageLogin` applies to custom images only.",
                    ));
                }
            } else if k != "false" {
                return Err(ApiError::invalid_value(
                    "LoginSettings.KeepImageLogin",
                    "must be \"true\" or \"false\"",
                ));
            }
        }
        if let Some(pw) = pw
            && !password_ok(&pw, image.windows, 2)
        {
            return Err(ApiError::new(
                "InvalidPassword",
                "The password does not meet the complexity requirements.",
            ));
        }
        if !keys.is_empty() {
            if image.windows {
                return Err(ApiError::new(
                    "UnsupportedOperation.KeyPairUnsupportedWindows",
                    "Windows instances do not support key pairs.",
                ));
            }
            for k in &keys {
                if !well_formed(k, "skey") {
                    return Err(ApiError::new(
                        "InvalidKeyPairId.Malformed",
                        format!("The key id `{k}` is malformed."),
                    ));
                }
                if !env.acct.key_pairs.iter().any(|x| &x.id == k) {
                    return Err(ApiError::new(
                        "InvalidParameterValue.KeyPairNotFound",
                        format!("The key pair `{k}` does not exist."),
                    ));
                }
            }
            key_ids = keys;
        }
    }

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
                format!("`{rt}` is not a resource type"),
            ));
        }
    }
    let user_data = p.str("UserData")?;
    if let Some(u) = &user_data
        && (u.len() > 16 * 1024 || !base64_ok(u))
    {
        return Err(ApiError::new(
            "InvalidParameterValue.InvalidUserDataFormat",
            "`UserData` must be Base64 of at most 16 KB.",
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
                "only TerminateInstances is supported",
            ));
        }
        let at = t.str_req("ActionTime")?;
        let ms = time::OffsetDateTime::parse(&at, &time::format_description::well_known::Rfc3339)
            .map(|d| d.unix_timestamp() * 1000)
            .map_err(|_| {
                ApiError::new(
                    "InvalidParameterValue.InvalidTimeFormat",
                    "`ActionTime` must be ISO 8601.",
                )
            })?;
        if ms <= now + 5 * 60 * 1000 {
            return Err(ApiError::invalid_value(
                "ActionTimer.ActionTime",
                "must be at least 5 minutes from now",
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

fn check_security_groups(r: &RegionState, sgs: &[String]) -> ApiResult<()> {
    if sgs.len() > 5 {
        return Err(ApiError::new(
            "LimitExceeded.AssociateUSGLimitExceeded",
            "An instance can have at most 5 security groups.",
        ));
    }
    for sg in sgs {
        if !well_formed(sg, "sg") {
            return Err(ApiError::new(
                "InvalidSgId.Malformed",
                format!("The security group id `{sg}` is malformed."),
            ));
        }
        if !r.security_groups.iter().any(|s| &s.id == sg) {
            return Err(ApiError::new(
                "InvalidSecurityGroupId.NotFound",
                format!("The security group `{sg}` does not exist."),
            ));
        }
    }
    Ok(())
}

fn run_instances(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(RUN_PARAMS)?;
    let token = p.str("ClientToken")?;
    if let Some(t) = &token
        && (t.len() > 64 || !t.is_ascii())
    {
        return Err(ApiError::new(
            "InvalidClientToken.TooLong",
            "`ClientToken` may have at most 64 ASCII characters.",
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
    let (limit, code) = match l.charge.as_str() {
        "PREPAID" => (quota.prepaid_per_region, "LimitExceeded.PrepayQuota"),
        "SPOTPAID" => (quota.spot_per_region, "LimitExceeded.SpotQuota"),
        _ => (quota.postpaid_per_region, "LimitExceeded.InstanceQuota"),
    };
    let used = r
        .instances
        .values()
        .filter(|i| i.charge_type == l.charge)
        .count();
    if used + l.count as usize > limit {
        return Err(ApiError::new(
            code,
            format!(
                "The quota of {limit} {} instances in this region would be exceeded.",
                l.charge
            ),
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
            "The subnet has too few free addresses.",
        ));
    }
    let cost = round2(l.charge_now());
    if cost > env.acct.balance {
        return Err(ApiError::new(
            "InvalidAccount.InsufficientBalance",
            format!(
                "The account balance {:.2} does not cover {:.2}.",
                env.acct.balance, cost
            ),
        ));
    }
    if dry_run {
        return Ok(json!({"InstanceIdSet": []}));
    }
    if l.charge == "PREPAID" {
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

fn default_host_name(ip: &str, image: &Image) -> String {
    let o: Vec<&str> = ip.split('.').collect();
    let os = image.platform.to_lowercase().replace(' ', "");
    if image.windows {
        format!(
            "VM-{}-{}",
            o.get(2).unwrap_or(&"0"),
            o.get(3).unwrap_or(&"0")
        )
    } else {
        format!(
            "VM-{}-{}-{os}",
            o.get(2).unwrap_or(&"0"),
            o.get(3).unwrap_or(&"0")
        )
    }
}

fn new_instance(
    rng: &mut Rng,
    l: &Launch,
    name: String,
    host_name: String,
    private_ip: String,
    now: i64,
) -> Instance {
    let prepaid = l.charge == "PREPAID";
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
        charge_type: l.charge.clone(),
        state: State::Pending,
        system_disk_type: l.system_disk.0.clone(),
        system_disk_id: rng.id("disk"),
        system_disk_size: l.system_disk.1,
        data_disks: l
            .data_disks
            .iter()
            .map(|(t, s, d)| DataDisk {
                disk_type: t.clone(),
                disk_id: rng.id("disk"),
                disk_size: *s,
                delete_with_instance: *d,
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
        renew_flag: prepaid.then(|| l.renew_flag.clone()),
        created_ms: now,
        expired_ms: prepaid.then(|| clock::add_months(now, l.period)),
        tags: l.tags.clone(),
        stop_charging: false,
        latest_op: None,
        latest_op_state: None,
        latest_op_request_id: None,
        latest_op_error: None,
        fail_with: None,
        restrict_state: "NORMAL".into(),
        isolated_source: "NOTISOLATED".into(),
        isolated_ms: None,
        disable_api_termination: l.disable_api_termination,
        host_name,
        spot_max_price: l.spot_max,
        cam_role_name: l.cam_role.clone(),
        user_data: l.user_data.clone(),
        terminate_at: l.terminate_at,
        steps: Vec::new(),
    }
}

fn inquiry_price_run_instances(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&[
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
        "ClientToken",
        "HostName",
        "TagSpecification",
        "InstanceMarketOptions",
        "Metadata",
        "HpcClusterId",
        "CpuTopology",
        "LaunchTemplate",
        "NetworkInterfaces",
    ])?;
    if let Some(t) = p.str("ClientToken")?
        && t.len() > 64
    {
        return Err(ApiError::new(
            "InvalidClientToken.TooLong",
            "`ClientToken` may have at most 64 ASCII characters.",
        ));
    }
    let l = parse_launch(env, p, true)?;
    let n = l.count as f64;
    let instance = match l.charge.as_str() {
        "PREPAID" => price::prepaid(l.monthly_each() * n, l.period),
        "SPOTPAID" => {
            let mut v = price::spot(&l.itype, price::disks_hourly(&l.disks()));
            for k in ["UnitPrice", "UnitPriceDiscount"] {
                v[k] = json!(round2(v[k].as_f64().unwrap_or(0.0) * n));
            }
            v
        }
        _ => price::postpaid(l.hourly_each() * n),
    };
    let bandwidth = price::bandwidth(&l.internet_charge, l.bandwidth * l.count, l.period.max(1));
    Ok(json!({"Price": {"InstancePrice": instance, "BandwidthPrice": bandwidth}}))
}

/// Batch lookup plus the common "every instance must be in one of these states" rule.
fn targets(env: &mut Env, p: &Params, max: usize) -> ApiResult<Vec<String>> {
    let ids = p.str_list_req("InstanceIds")?;
    let r = env.region();
    lookup_instances(r, &ids, max)?;
    Ok(ids)
}

fn each<'r>(r: &'r RegionState, ids: &[String]) -> impl Iterator<Item = &'r Instance> {
    ids.iter().filter_map(|id| r.get(id))
}

fn stop_type(p: &Params, force_name: &str) -> ApiResult<bool> {
    let force = p.bool(force_name)?;
    let st = p.str("StopType")?;
    if force.is_some() && st.is_some() {
        return Err(ApiError::new(
            "InvalidParameterCombination",
            format!("`{force_name}` and `StopType` cannot be used together."),
        ));
    }
    match st.as_deref() {
        None => Ok(force.unwrap_or(false)),
        Some("SOFT") | Some("SOFT_FIRST") => Ok(false),
        Some("HARD") => Ok(true),
        Some(other) => Err(ApiError::invalid_value(
            "StopType",
            format!("`{other}` is not SOFT, HARD or SOFT_FIRST"),
        )),
    }
}

fn start_instances(env: &mut Env, p: &Params) -> ApiResult<Value> {
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

fn stop_instances(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["InstanceIds", "ForceStop", "StopType", "StoppedMode"])?;
    let ids = targets(env, p, 100)?;
    let hard = stop_type(p, "ForceStop")?;
    let stop_charging = match p.str("StoppedMode")?.as_deref() {
        None | Some("KEEP_CHARGING") => false,
        Some("STOP_CHARGING") => true,
        Some(other) => {
            return Err(ApiError::invalid_value(
                "StoppedMode",
                format!("`{other}` is not KEEP_CHARGING or STOP_CHARGING"),
            ));
        }
    };
    let r = env.region();
    for i in each(r, &ids) {
        require_state(i, &[State::Running])?;
        if stop_charging
            && (i.charge_type != "POSTPAID_BY_HOUR"
                || i.system_disk_type.starts_with("LOCAL_")
                || i.gpu > 0)
        {
            return Err(ApiError::new(
                "UnsupportedOperation.StoppedModeStopCharging",
                format!(
                    "The instance `{}` does not support stopping without charges.",
                    i.id
                ),
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

fn reboot_instances(env: &mut Env, p: &Params) -> ApiResult<Value> {
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

fn terminate_instances(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["InstanceIds", "ReleaseAddress", "ReleasePrepaidDataDisks"])?;
    let ids = targets(env, p, 100)?;
    let release_address = p.bool("ReleaseAddress")?.unwrap_or(false);
    p.bool("ReleasePrepaidDataDisks")?;
    let r = env.region();
    let first_charge = each(r, &ids)
        .next()
        .map(|i| i.charge_type.clone())
        .unwrap_or_default();
    for i in each(r, &ids) {
        if i.charge_type != first_charge {
            return Err(ApiError::new(
                "UnsupportedOperation.InstanceMixedPricingModel",
                "All instances must have the same billing model.",
            ));
        }
        require_state(i, &[State::Running, State::Stopped, State::Shutdown])?;
        if i.disable_api_termination {
            return Err(ApiError::new(
                "UnsupportedOperation.InstancesProtected",
                format!("The instance `{}` has termination protection.", i.id),
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
            if i.charge_type == "PREPAID" && i.state != State::Shutdown {
                // First call: into the recycle bin, isolated and stopped.
                i.state = State::Shutdown;
                i.isolated_source = "MANMADE".into();
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

fn target_type(name: &str) -> ApiResult<InstanceType> {
    if !name.contains('.') {
        return Err(ApiError::new(
            "InvalidInstanceType.Malformed",
            format!("The instance type `{name}` is malformed."),
        ));
    }
    catalog::instance_type(name).ok_or_else(|| {
        ApiError::new(
            "InvalidParameterValue.InstanceTypeNotFound",
            format!("The instance type `{name}` does not exist."),
        )
    })
}

/// Months left on a prepaid instance, rounded up (what an upgrade is charged for).
fn months_left(i: &Instance, now: i64) -> i64 {
    let left = i.expired_ms.unwrap_or(now) - now;
    (left.max(0) + 30 * 86_400_000 - 1) / (30 * 86_400_000)
}

fn reset_instances_type(env: &mut Env, p: &Params, inquiry: bool) -> ApiResult<Value> {
    if inquiry {
        p.only(&["InstanceIds", "InstanceType"])?;
    } else {
        p.only(&["InstanceIds", "InstanceType", "ForceStop"])?;
    }
    let ids = p.str_list_req("InstanceIds")?;
    if ids.len() != 1 {
        return Err(ApiError::new(
            "InvalidParameterValue.LimitExceeded",
            "Exactly one instance can be resized per request.",
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
            "Instances with a local system disk cannot be resized.",
        ));
    }
    let cur = catalog::instance_type(&i.instance_type).ok_or_else(ApiError::internal)?;
    if cur.name == t.name {
        return Err(ApiError::new(
            "InvalidParameterValue",
            "The instance already has this type.",
        ));
    }
    if cur.family.arch != t.family.arch {
        return Err(ApiError::new(
            if t.family.arch == catalog::Arch::Arm {
                "UnsupportedOperation.UnsupportedChangeInstanceFamilyToARM"
            } else {
                "UnsupportedOperation.UnsupportedARMChangeInstanceFamily"
            },
            "The CPU architecture cannot be changed.",
        ));
    }
    if (cur.gpu > 0) != (t.gpu > 0) {
        return Err(ApiError::new(
            "InvalidParameterValue.GPUInstanceFamily",
            "GPU and non-GPU families cannot be swapped.",
        ));
    }
    if i.stop_charging && i.state == State::Stopped && cur.family.name != t.family.name {
        return Err(ApiError::new(
            "UnsupportedOperation.StoppedModeStopChargingSameFamily",
            "A stop-charging instance can only change within its family.",
        ));
    }
    let zone = catalog::find_zone(&i.zone).ok_or_else(ApiError::internal)?;
    match catalog::stock(&zone, &t) {
        Stock::NotOffered => {
            return Err(ApiError::new(
                "ResourceNotFound.InvalidZoneInstanceType",
                format!("{} is not offered in {}.", t.name, i.zone),
            ));
        }
        Stock::SoldOut => {
            return Err(ApiError::new(
                "ResourcesSoldOut.SpecifiedInstanceType",
                format!("{} is sold out in {}.", t.name, i.zone),
            ));
        }
        Stock::Sell => {}
    }
    if i.bandwidth > t.max_bandwidth() {
        return Err(ApiError::new(
            "LimitExceeded.InstanceTypeBandwidth",
            format!("{} carries at most {} Mbps.", t.name, t.max_bandwidth()),
        ));
    }
    let diff = if i.charge_type == "PREPAID" {
        round2(((t.monthly() - cur.monthly()) * months_left(&i, now) as f64).max(0.0))
    } else {
        0.0
    };
    if inquiry {
        let price = if i.charge_type == "PREPAID" {
            json!({"OriginalPrice": diff, "DiscountPrice": diff, "Discount": 100.0, "ChargeUnit": "MONTH"})
        } else {
            price::postpaid(t.hourly())
        };
        return Ok(json!({"Price": {"InstancePrice": price}}));
    }
    if diff > env.acct.balance {
        return Err(ApiError::new(
            "InvalidAccount.InsufficientBalance",
            format!("The upgrade costs {diff:.2}, more than the balance."),
        ));
    }
    env.acct.balance = round2(env.acct.balance - diff);
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

fn reset_bandwidth(env: &mut Env, p: &Params, inquiry: bool) -> ApiResult<Value> {
    p.only(&["InstanceIds", "InternetAccessible", "StartTime", "EndTime"])?;
    let ids = targets(env, p, 100)?;
    let ia = p
        .obj("InternetAccessible")?
        .ok_or_else(|| ApiError::missing("InternetAccessible"))?;
    ia.only(&[
        "InternetChargeType",
        "InternetMaxBandwidthOut",
        "PublicIpAssigned",
        "BandwidthPackageId",
        "InternetServiceProvider",
        "IPv4AddressType",
        "IPv6AddressType",
        "AntiDDoSPackageId",
    ])?;
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
            "Only one instance per request when billed by bandwidth.",
        ));
    }
    for i in each(r, &ids) {
        if !inquiry {
            require_state(i, &[State::Running, State::Stopped])?;
        }
        if i.internet_charge_type != first {
            return Err(ApiError::new(
                "InvalidParameterValue",
                "All instances must have the same network billing model.",
            ));
        }
        if bw < 0
            || bw > catalog::instance_type(&i.instance_type).map_or(100, |t| t.max_bandwidth())
        {
            return Err(ApiError::new(
                "InvalidParameterValue.Range",
                format!("`InternetMaxBandwidthOut` is out of range for `{}`.", i.id),
            ));
        }
        if i.public_ip.is_none() && i.eip_id.is_none() && !(i.stop_charging && i.bandwidth > 0) {
            return Err(ApiError::new(
                "FailedOperation.NotFoundEIP",
                format!("The instance `{}` has no public IP.", i.id),
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
            return Err(ApiError::new(
                "InvalidParameterValue",
                "`StartTime` and `EndTime` are YYYY-MM-DD.",
            ));
        };
        let today = now - now.rem_euclid(86_400_000);
        let i = each(r, &ids).next().ok_or_else(ApiError::internal)?;
        if s < today || e < s || i.expired_ms.is_some_and(|x| e > x) {
            return Err(ApiError::new(
                "InvalidParameterValue.Range",
                "The period must start today or later and end before the instance expires.",
            ));
        }
        if bw < i.bandwidth {
            return Err(ApiError::new(
                "InvalidParameterValue.Range",
                "Prepaid bandwidth can only be raised.",
            ));
        }
        period = ((e - s) / (30 * 86_400_000)).max(1);
    } else if start.is_some() || end.is_some() {
        return Err(ApiError::new(
            "InvalidParameter",
            "`StartTime`/`EndTime` apply to BANDWIDTH_PREPAID only.",
        ));
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
        if cost > env.acct.balance {
            return Err(ApiError::new(
                "InvalidAccount.InsufficientBalance",
                format!("The change costs {cost:.2}, more than the balance."),
            ));
        }
        env.acct.balance = round2(env.acct.balance - cost);
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

fn modify_charge_type(env: &mut Env, p: &Params, inquiry: bool) -> ApiResult<Value> {
    p.only(&[
        "InstanceIds",
        "InstanceChargeType",
        "InstanceChargePrepaid",
        "ModifyPortableDataDisk",
    ])?;
    let ids = targets(env, p, if inquiry { 100 } else { 20 })?;
    let to = p.str_req("InstanceChargeType")?;
    if to != "PREPAID" && to != "POSTPAID_BY_HOUR" {
        return Err(ApiError::invalid_value(
            "InstanceChargeType",
            format!("`{to}`: only PREPAID and POSTPAID_BY_HOUR"),
        ));
    }
    let prepaid = prepaid_settings(p, to == "PREPAID")?;
    p.bool("ModifyPortableDataDisk")?;
    let now = env.ctx.now;
    let r = env.region();
    let mut total_monthly = 0.0;
    for i in each(r, &ids) {
        if !inquiry {
            require_state(i, &[State::Running, State::Stopped])?;
        }
        if i.charge_type == "SPOTPAID" || i.charge_type == to || i.stop_charging {
            return Err(ApiError::new(
                "UnsupportedOperation.InstanceChargeType",
                format!("The instance `{}` cannot switch to {to}.", i.id),
            ));
        }
        if i.terminate_at.is_some() {
            return Err(ApiError::new(
                "InvalidInstance.NotSupported",
                format!("The instance `{}` has a scheduled termination.", i.id),
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
        let price = if to == "PREPAID" {
            price::prepaid(total_monthly, period)
        } else {
            price::postpaid(total_monthly / 720.0 * 2.2)
        };
        return Ok(json!({"Price": {"InstancePrice": price}}));
    }
    if to == "PREPAID" {
        let cost = price::prepaid_charge(total_monthly, period);
        if cost > env.acct.balance {
            return Err(ApiError::new(
                "InvalidAccount.InsufficientBalance",
                format!("The switch costs {cost:.2}, more than the balance."),
            ));
        }
        env.acct.balance = round2(env.acct.balance - cost);
    }
    let (req, dur) = (env.ctx.request_id.to_owned(), scaled(env, QUICK_MS));
    let r = env.region();
    for id in &ids {
        if let Some(i) = r.get_mut(id) {
            i.charge_type = to.clone();
            if to == "PREPAID" {
                i.expired_ms = Some(clock::add_months(now, period));
                i.renew_flag = Some(
                    flag.clone()
                        .unwrap_or_else(|| "NOTIFY_AND_MANUAL_RENEW".into()),
                );
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

fn renew_instances(env: &mut Env, p: &Params, inquiry: bool) -> ApiResult<Value> {
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
        if i.charge_type != "PREPAID" {
            return Err(ApiError::new(
                "UnsupportedOperation.InstanceChargeType",
                format!("The instance `{}` is not prepaid.", i.id),
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
    if cost > env.acct.balance {
        return Err(ApiError::new(
            "InvalidAccount.InsufficientBalance",
            format!("The renewal costs {cost:.2}, more than the balance."),
        ));
    }
    env.acct.balance = round2(env.acct.balance - cost);
    let (req, dur) = (env.ctx.request_id.to_owned(), scaled(env, STARTING_MS));
    let r = env.region();
    for id in &ids {
        if let Some(i) = r.get_mut(id) {
            let base = i.expired_ms.unwrap_or(now).max(now);
            i.expired_ms = Some(clock::add_months(base, period));
            if let Some(f) = &flag {
                i.renew_flag = Some(f.clone());
            }
            if i.state == State::Shutdown {
                // Renewal brings an isolated instance back into service.
                i.restrict_state = "NORMAL".into();
                i.isolated_source = "NOTISOLATED".into();
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

fn modify_renew_flag(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["InstanceIds", "RenewFlag"])?;
    let ids = targets(env, p, 100)?;
    let flag = p.str_req("RenewFlag")?;
    if !catalog::RENEW_FLAGS.contains(&flag.as_str()) {
        return Err(ApiError::invalid_value(
            "RenewFlag",
            format!("`{flag}` is not a renew flag"),
        ));
    }
    let r = env.region();
    for i in each(r, &ids) {
        if i.charge_type != "PREPAID" {
            return Err(ApiError::new(
                "UnsupportedOperation.InstanceChargeType",
                format!("The instance `{}` is not prepaid.", i.id),
            ));
        }
        require_state(i, &[State::Running, State::Stopped, State::LaunchFailed])?;
    }
    for id in &ids {
        if let Some(i) = r.get_mut(id) {
            i.renew_flag = Some(flag.clone());
        }
    }
    Ok(json!({}))
}

fn modify_attribute(env: &mut Env, p: &Params) -> ApiResult<Value> {
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
            format!("`{t}` is not user, system or service_linked"),
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
        return Err(ApiError::new(
            "MissingParameter",
            "Give one attribute to modify.",
        ));
    }
    if given > 1 {
        return Err(ApiError::new(
            "InvalidParameterCombination",
            "Only one attribute can be modified per request.",
        ));
    }
    if let Some(n) = &name
        && (n.chars().count() > 128 || n.is_empty())
    {
        return Err(ApiError::new(
            "InvalidInstanceName.TooLong",
            "`InstanceName` must have 1–128 characters.",
        ));
    }
    if let Some(u) = &user_data
        && (u.len() > 16 * 1024 || !base64_ok(u))
    {
        return Err(ApiError::new(
            "InvalidParameterValue.InvalidUserDataFormat",
            "`UserData` must be Base64 of at most 16 KB.",
        ));
    }
    if jumbo == Some(true) {
        return Err(ApiError::new(
            "UnsupportedOperation.InstanceTypeNotSupportJumboFrame",
            "The instance type does not support jumbo frames.",
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
                format!("The host name `{h}` is not valid."),
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

fn reset_password(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["InstanceIds", "Password", "UserName", "ForceStop"])?;
    let ids = targets(env, p, 100)?;
    let pw = p.str_req("Password")?;
    let user = p.str("UserName")?;
    if user.as_ref().is_some_and(|u| u.len() > 64) {
        return Err(ApiError::new(
            "InvalidParameterValue.TooLong",
            "`UserName` may have at most 64 characters.",
        ));
    }
    let force = p.bool("ForceStop")?.unwrap_or(false);
    let r = env.region();
    let any_windows = each(r, &ids).any(|i| i.windows);
    if !password_ok(&pw, any_windows, 3)
        || user
            .as_ref()
            .is_some_and(|u| any_windows && pw.to_lowercase().contains(&u.to_lowercase()))
    {
        return Err(ApiError::new(
            "InvalidParameterValue.InvalidPassword",
            "The password does not meet the complexity requirements.",
        ));
    }
    for i in each(r, &ids) {
        if i.state == State::Running && !force {
            return Err(ApiError::state("Running", &i.id));
        }
        require_state(i, &[State::Stopped, State::Running])?;
    }
    let (now, req) = (env.ctx.now, env.ctx.request_id.to_owned());
    let (stop, quick, start) = (
        scaled(env, STOPPING_MS),
        scaled(env, QUICK_MS),
        scaled(env, STARTING_MS),
    );
    let r = env.region();
    for id in &ids {
        if let Some(i) = r.get_mut(id) {
            if i.state == State::Running {
                // Forced: stop, reset, start again (what the console does).
                i.state = State::Stopping;
                i.begin(
                    "ResetInstancesPassword",
                    &req,
                    now,
                    &[
                        (stop, Some(State::Stopped)),
                        (quick, Some(State::Starting)),
                        (start, Some(State::Running)),
                    ],
                );
            } else {
                i.begin(
                    "ResetInstancesPassword",
                    &req,
                    now,
                    &[(quick, Some(State::Stopped))],
                );
            }
        }
        r.touch(id);
    }
    Ok(json!({}))
}

fn associate_security_groups(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["SecurityGroupIds", "InstanceIds"])?;
    let sgs = p.str_list_req("SecurityGroupIds")?;
    if sgs.len() != 1 {
        return Err(ApiError::new(
            "InvalidParameterValue.LimitExceeded",
            "Exactly one security group per request.",
        ));
    }
    let ids = targets(env, p, 100)?;
    let r = env.region();
    check_security_groups(r, &sgs)?;
    for i in each(r, &ids) {
        if matches!(i.state, State::Pending) {
            return Err(ApiError::state("Pending", &i.id));
        }
        if i.security_group_ids.len() >= 5 && !i.security_group_ids.contains(&sgs[0]) {
            return Err(ApiError::new(
                "LimitExceeded.AssociateUSGLimitExceeded",
                "An instance can have at most 5 security groups.",
            ));
        }
    }
    for id in &ids {
        if let Some(i) = r.get_mut(id)
            && !i.security_group_ids.contains(&sgs[0])
        {
            i.security_group_ids.push(sgs[0].clone());
        }
    }
    Ok(json!({}))
}

fn fake_key_material(rng: &mut Rng, len: usize) -> String {
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    (0..len)
        .map(|_| B64[rng.below(64) as usize] as char)
        .collect()
}

fn create_key_pair(env: &mut Env, p: &Params, public_key: Option<String>) -> ApiResult<Value> {
    let importing = public_key.is_some();
    if importing {
        p.only(&["KeyName", "ProjectId", "PublicKey", "TagSpecification"])?;
    } else {
        p.only(&["KeyName", "ProjectId", "TagSpecification"])?;
    }
    let name = p
        .str("KeyName")?
        .ok_or_else(|| ApiError::missing("KeyName"))?;
    let project = p
        .int("ProjectId")?
        .ok_or_else(|| ApiError::missing("ProjectId"))?;
    if name.is_empty() {
        return Err(ApiError::new(
            "InvalidKeyPairNameEmpty",
            "`KeyName` must not be empty.",
        ));
    }
    if name.chars().count() > 25 {
        return Err(ApiError::new(
            "InvalidKeyPairNameTooLong",
            "`KeyName` may have at most 25 characters.",
        ));
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(ApiError::new(
            "InvalidKeyPairNameIncludeIllegalChar",
            "`KeyName` may contain letters, digits and underscores only.",
        ));
    }
    if project != 0 {
        return Err(ApiError::new(
            "InvalidProjectId.NotFound",
            format!("The project `{project}` does not exist."),
        ));
    }
    let mut tags = Vec::new();
    for spec in p.obj_list("TagSpecification")?.unwrap_or_default() {
        spec.only(&["ResourceType", "Tags"])?;
        spec.str_req("ResourceType")?;
        tags = parse_tags(spec.obj_list("Tags")?)?;
    }
    if let Some(k) = &public_key {
        let parts: Vec<&str> = k.split_whitespace().collect();
        let ok = parts.len() >= 2
            && ["ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp256"].contains(&parts[0])
            && parts[1].len() >= 16
            && base64_ok(parts[1]);
        if !ok {
            return Err(ApiError::new(
                "InvalidPublicKey.Malformed",
                "The public key is not an OpenSSH public key.",
            ));
        }
        if env
            .acct
            .key_pairs
            .iter()
            .any(|x| x.public_key.split_whitespace().nth(1) == Some(parts[1]))
        {
            return Err(ApiError::new(
                "InvalidPublicKey.Duplicate",
                "This public key is already imported.",
            ));
        }
    }
    if env.acct.key_pairs.iter().any(|k| k.name == name) {
        return Err(ApiError::new(
            "InvalidKeyPairName.Duplicate",
            format!("The key pair name `{name}` is already used."),
        ));
    }
    if env.acct.key_pairs.len() >= env.ctx.quotas.key_pairs {
        return Err(ApiError::new(
            "InvalidKeyPair.LimitExceeded",
            "The key pair quota is used up.",
        ));
    }
    let now = env.ctx.now;
    let id = env.rng.id("skey");
    let (public, private) = match public_key {
        Some(k) => (k, None),
        None => {
            let body = fake_key_material(env.rng, 372);
            let private = format!(
                "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----\n",
                fake_key_material(env.rng, 1592)
            );
            (
                format!("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ{body} {id}"),
                Some(private),
            )
        }
    };
    let key = KeyPair {
        id: id.clone(),
        name,
        project_id: project,
        description: String::new(),
        public_key: public,
        created_ms: now,
        tags,
    };
    let out = if importing {
        json!({"KeyId": id})
    } else {
        json!({"KeyPair": key_pair_json(&key, Vec::new(), private.as_deref())})
    };
    env.acct.key_pairs.push(key);
    Ok(out)
}

fn delete_key_pairs(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["KeyIds"])?;
    let ids = p.str_list_req("KeyIds")?;
    if ids.len() > 100 {
        return Err(ApiError::new(
            "InvalidKeyPair.LimitExceeded",
            "At most 100 key ids per request.",
        ));
    }
    for id in &ids {
        if !well_formed(id, "skey") {
            return Err(ApiError::new(
                "InvalidKeyPairId.Malformed",
                format!("The key pair id `{id}` is malformed."),
            ));
        }
        if !env.acct.key_pairs.iter().any(|k| &k.id == id) {
            return Err(ApiError::new(
                "InvalidKeyPairId.NotFound",
                format!("The key pair `{id}` does not exist."),
            ));
        }
        if !key_users(env, id).is_empty() {
            return Err(ApiError::new(
                "InvalidParameterValue.KeyPairNotSupported",
                format!("The key pair `{id}` is bound to an instance."),
            ));
        }
    }
    env.acct.key_pairs.retain(|k| !ids.contains(&k.id));
    Ok(json!({}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_patterns_and_host_names() {
        assert_eq!(expand("web-{R:3}", 2, "").as_deref(), Some("web-5"));
        assert_eq!(expand("web-{R:1,F:3}", 0, "").as_deref(), Some("web-001"));
        assert_eq!(
            expand("node-{IP}", 0, "10.0.12.8").as_deref(),
            Some("node-10.0.12.8")
        );
        assert_eq!(expand("bad-{R:x}", 0, ""), None);
        assert!(host_name_ok("web-01.prod", false));
        assert!(!host_name_ok("-web", false));
        assert!(!host_name_ok("a..b", false));
        assert!(!host_name_ok("12345", true));
        assert!(!host_name_ok("has.dot", true));
    }

    #[test]
    fn password_rules() {
        assert!(password_ok("abcd1234", false, 2));
        assert!(!password_ok("abcd1234", false, 3));
        assert!(password_ok("Abcd1234!", false, 3));
        assert!(!password_ok("/Abcd1234", false, 2));
        assert!(!password_ok("Abcd1234!", true, 3));
        assert!(password_ok("Abcd1234!xyz", true, 3));
        assert!(!password_ok("Abcd 1234!", false, 2));
    }
}
