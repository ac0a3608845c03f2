//! CVM actions (service `cvm`, version 2017-03-12): catalog and read actions here, writes in `ops`.

pub mod images;
pub mod keypairs_bind;
mod ops;
pub mod price;
pub mod templates;
mod terminate;

use crate::catalog::{self, Stock};
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::params::{Filter, FilterDialect, Params, filters};
use crate::toolkit::{Env, Reply, lookup_instances, page, tag_filter, tags_json, well_formed};
use crate::world::{Instance, KeyPair, State, parse_ipv4};
use serde_json::{Value, json};

pub fn call(env: &mut Env, action: &str, p: &Params) -> ApiResult<Reply> {
    if action == "DescribeInstances" {
        return describe_instances(env, p);
    }
    if action.contains("LaunchTemplate") {
        return templates::call(env, action, p).map(Reply::from);
    }
    let expanded = match action {
        "RunInstances" | "InquiryPriceRunInstances" => templates::expand(env, p)?,
        _ => None,
    };
    let p = expanded.as_ref().unwrap_or(p);
    let v = match action {
        "DescribeRegions" => describe_regions(env, p),
        "DescribeZones" => describe_zones(env, p),
        "DescribeImages" => images::describe_images(env, p),
        "CreateImage" => images::create_image(env, p),
        "DeleteImages" => images::delete_images(env, p),
        "AssociateInstancesKeyPairs" => keypairs_bind::bind(env, p, true),
        "DisassociateInstancesKeyPairs" => keypairs_bind::bind(env, p, false),
        "DescribeInstanceTypeConfigs" => describe_instance_type_configs(env, p),
        "DescribeZoneInstanceConfigInfos" => describe_zone_instance_config_infos(env, p),
        "DescribeInstancesStatus" => describe_instances_status(env, p),
        "DescribeInstancesModification" => describe_instances_modification(env, p),
        "DescribeKeyPairs" => describe_key_pairs(env, p),
        "InquiryPriceTerminateInstances" => terminate::inquiry_price_terminate_instances(env, p),
        other => ops::call(env, other, p),
    };
    v.map(Reply::from)
}

fn describe_regions(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&[])?;
    let lang = env.ctx.lang;
    let set: Vec<Value> = catalog::REGIONS
        .iter()
        .map(|r| json!({"Region": r.id, "RegionName": lang.pick(r.name_zh, r.name_en), "RegionState": "AVAILABLE"}))
        .collect();
    Ok(json!({"TotalCount": set.len(), "RegionSet": set}))
}

fn describe_zones(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&[])?;
    let lang = env.ctx.lang;
    let set: Vec<Value> = catalog::zones(env.ctx.region)
        .iter()
        .map(|z| {
            json!({"Zone": z.zone, "ZoneName": z.name(lang), "ZoneId": z.zone_id.to_string(),
                   "ZoneState": if z.available { "AVAILABLE" } else { "UNAVAILABLE" }})
        })
        .collect();
    Ok(json!({"TotalCount": set.len(), "ZoneSet": set}))
}

fn fuzzy(hay: &str, values: &[String]) -> bool {
    let hay = hay.to_lowercase();
    values.iter().any(|v| hay.contains(&v.to_lowercase()))
}

/// Zone filter values must be zones of this region.
fn check_zones(env: &Env, f: &Filter) -> ApiResult<()> {
    for z in &f.values {
        if !catalog::zones(env.ctx.region).iter().any(|x| &x.zone == z) {
            return Err(match catalog::find_zone(z) {
                Some(_) => ApiError::new(
                    "InvalidZone.MismatchRegion",
                    format!("The zone `{z}` is not in this region."),
                ),
                None => ApiError::new(
                    "InvalidParameterValue.ZoneNotSupported",
                    format!("The zone `{z}` is not supported."),
                ),
            });
        }
    }
    Ok(())
}

fn describe_instance_type_configs(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["Filters"])?;
    let fs = filters(
        p,
        FilterDialect::Cvm,
        &["zone", "instance-family", "instance-type"],
        10,
        1,
    )?;
    for f in fs.iter().filter(|f| f.name == "zone") {
        check_zones(env, f)?;
    }
    let types = catalog::instance_types();
    let mut set = Vec::new();
    for z in catalog::zones(env.ctx.region) {
        for t in &types {
            if catalog::stock(&z, t) == Stock::NotOffered {
                continue;
            }
            let ok = fs.iter().all(|f| match f.name.as_str() {
                "zone" => f.values.contains(&z.zone),
                "instance-family" => f.values.iter().any(|v| v == t.family.name),
                _ => f.values.contains(&t.name),
            });
            if ok {
                set.push(json!({"Zone": z.zone, "InstanceType": t.name, "InstanceFamily": t.family.name, "GPU": t.gpu,
                    "CPU": t.cpu, "Memory": t.memory, "FPGA": 0, "GpuCount": t.gpu as f64, "GpuType": t.family.gpu_type,
                    "GpuMemory": if t.gpu > 0 { 16.0 * t.gpu as f64 } else { 0.0 }}));
            }
        }
    }
    Ok(json!({"InstanceTypeConfigSet": set}))
}

fn describe_zone_instance_config_infos(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["Filters"])?;
    let fs = filters(
        p,
        FilterDialect::Cvm,
        &[
            "zone",
            "instance-family",
            "instance-type",
            "instance-charge-type",
            "sort-keys",
        ],
        10,
        100,
    )?;
    for f in &fs {
        match f.name.as_str() {
            "zone" => check_zones(env, f)?,
            "instance-charge-type" => {
                if let Some(bad) = f.values.iter().find(|v| {
                    ![
                        "PREPAID",
                        "POSTPAID_BY_HOUR",
                        "CDHPAID",
                        "SPOTPAID",
                        "CDCPAID",
                    ]
                    .contains(&v.as_str())
                }) {
                    return Err(ApiError::invalid_value(
                        "instance-charge-type",
                        format!("`{bad}` is not a billing model"),
                    ));
                }
            }
            _ => {}
        }
    }
    let lang = env.ctx.lang;
    let types = catalog::instance_types();
    let mut rows: Vec<(i64, i64, Value)> = Vec::new();
    for z in catalog::zones(env.ctx.region) {
        for t in &types {
            let stock = catalog::stock(&z, t);
            if stock == Stock::NotOffered {
                continue;
            }
            let mut charges = vec!["PREPAID", "POSTPAID_BY_HOUR"];
            if t.family.spot && env.ctx.region.spot {
                charges.push("SPOTPAID");
            }
            for charge in charges {
                let ok = fs.iter().all(|f| match f.name.as_str() {
                    "zone" => f.values.contains(&z.zone),
                    "instance-family" => f.values.iter().any(|v| v == t.family.name),
                    "instance-type" => f.values.contains(&t.name),
                    "instance-charge-type" => f.values.iter().any(|v| v == charge),
                    _ => true,
                });
                if !ok {
                    continue;
                }
                let sold = stock == Stock::SoldOut;
                rows.push((t.cpu, t.memory, json!({
                    "Zone": z.zone, "InstanceType": t.name, "InstanceChargeType": charge, "NetworkCard": 25,
                    "Externals": {}, "Cpu": t.cpu, "Memory": t.memory, "InstanceFamily": t.family.name,
                    "TypeName": lang.pick(t.family.type_zh, t.family.type_en),
                    "LocalDiskTypeList": [], "Status": if sold { "SOLD_OUT" } else { "SELL" },
                    "Price": price::type_price(t, charge),
                    "SoldOutReason": if sold { lang.pick("该规格已售罄", "Sold out") } else { "" },
                    "InstanceBandwidth": (t.cpu as f64 * 1.5).min(100.0), "InstancePps": (t.cpu * 25).min(1900),
                    "StorageBlockAmount": 0, "CpuType": t.family.cpu_type, "Gpu": t.gpu, "Fpga": 0,
                    "Remark": "", "GpuCount": t.gpu as f64, "Frequency": t.family.frequency,
                    "StatusCategory": if sold { "WithoutStock" } else { "EnoughStock" }
                })));
            }
        }
    }
    if let Some(f) = fs.iter().find(|f| f.name == "sort-keys") {
        for key in f.values.iter().rev() {
            let (field, dir) = key.split_once(':').unwrap_or((key.as_str(), "asc"));
            let desc = dir.eq_ignore_ascii_case("desc");
            match field {
                "cpu" => rows.sort_by(|a, b| if desc { b.0.cmp(&a.0) } else { a.0.cmp(&b.0) }),
                "mem" | "memory" => {
                    rows.sort_by(|a, b| if desc { b.1.cmp(&a.1) } else { a.1.cmp(&b.1) })
                }
                _ => {
                    return Err(ApiError::invalid_value(
                        "sort-keys",
                        format!("`{key}` is not cpu:asc|desc or mem:asc|desc"),
                    ));
                }
            }
        }
    }
    let set: Vec<Value> = rows.into_iter().map(|r| r.2).collect();
    Ok(json!({"InstanceTypeQuotaSet": set}))
}

/// One `Instance` of DescribeInstances, serialized straight from the stored instance.
struct InstanceOut<'a>(&'a Instance);

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct PlacementOut<'a> {
    zone: &'a str,
    project_id: i64,
    host_id: Option<&'a str>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct DiskOut<'a> {
    disk_type: &'a str,
    disk_id: &'a str,
    disk_size: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    delete_with_instance: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    encrypt: Option<bool>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct InternetOut<'a> {
    internet_charge_type: &'a str,
    internet_max_bandwidth_out: i64,
    public_ip_assigned: bool,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct VpcOut<'a> {
    vpc_id: &'a str,
    subnet_id: &'a str,
    as_vpc_gateway: bool,
}

#[derive(serde::Serialize)]
struct LoginOut<'a> {
    #[serde(rename = "KeyIds")]
    key_ids: Option<&'a [String]>,
}

#[derive(serde::Serialize)]
struct GpuOut<'a> {
    #[serde(rename = "GPUCount")]
    count: f64,
    #[serde(rename = "GPUId")]
    ids: [&'a str; 0],
    #[serde(rename = "GPUType")]
    kind: &'a str,
}

impl serde::Serialize for InstanceOut<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let i = self.0;
        let none: Option<&str> = None;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry(
            "Placement",
            &PlacementOut {
                zone: &i.zone,
                project_id: i.project_id,
                host_id: None,
            },
        )?;
        m.serialize_entry("InstanceId", &i.id)?;
        m.serialize_entry("InstanceType", &i.instance_type)?;
        m.serialize_entry("CPU", &i.cpu)?;
        m.serialize_entry("Memory", &i.memory)?;
        m.serialize_entry("RestrictState", &i.restrict_state)?;
        m.serialize_entry("InstanceName", &i.name)?;
        m.serialize_entry("InstanceChargeType", &i.charge_type)?;
        m.serialize_entry(
            "SystemDisk",
            &DiskOut {
                disk_type: &i.system_disk_type,
                disk_id: &i.system_disk_id,
                disk_size: i.system_disk_size,
                delete_with_instance: None,
                encrypt: None,
            },
        )?;
        let disks: Vec<DiskOut> = i
            .data_disks
            .iter()
            .map(|d| DiskOut {
                disk_type: &d.disk_type,
                disk_id: &d.disk_id,
                disk_size: d.disk_size,
                delete_with_instance: Some(d.delete_with_instance),
                encrypt: Some(false),
            })
            .collect();
        m.serialize_entry(
            "DataDisks",
            &if disks.is_empty() { None } else { Some(disks) },
        )?;
        m.serialize_entry("PrivateIpAddresses", &[&i.private_ip])?;
        m.serialize_entry("PublicIpAddresses", &i.public_ip.as_ref().map(|ip| [ip]))?;
        m.serialize_entry(
            "InternetAccessible",
            &InternetOut {
                internet_charge_type: &i.internet_charge_type,
                internet_max_bandwidth_out: i.bandwidth,
                public_ip_assigned: i.public_ip.is_some(),
            },
        )?;
        m.serialize_entry(
            "VirtualPrivateCloud",
            &VpcOut {
                vpc_id: &i.vpc_id,
                subnet_id: &i.subnet_id,
                as_vpc_gateway: false,
            },
        )?;
        m.serialize_entry("ImageId", &i.image_id)?;
        m.serialize_entry("RenewFlag", &i.renew_flag)?;
        m.serialize_entry("CreatedTime", &clock::iso(i.created_ms))?;
        m.serialize_entry("ExpiredTime", &i.expired_ms.map(clock::iso))?;
        m.serialize_entry("OsName", &i.os_name)?;
        m.serialize_entry("SecurityGroupIds", &i.security_group_ids)?;
        m.serialize_entry(
            "LoginSettings",
            &LoginOut {
                key_ids: if i.key_ids.is_empty() {
                    None
                } else {
                    Some(&i.key_ids)
                },
            },
        )?;
        m.serialize_entry("InstanceState", i.state.as_str())?;
        m.serialize_entry("Tags", &i.tags)?;
        m.serialize_entry("StopChargingMode", i.stop_charging_mode())?;
        m.serialize_entry("Uuid", &i.uuid)?;
        m.serialize_entry("LatestOperation", &i.latest_op)?;
        m.serialize_entry("LatestOperationState", &i.latest_op_state)?;
        m.serialize_entry("LatestOperationRequestId", &i.latest_op_request_id)?;
        m.serialize_entry("LatestOperationErrorMsg", &i.latest_op_error)?;
        m.serialize_entry("DisasterRecoverGroupId", "")?;
        m.serialize_entry("IPv6Addresses", &none)?;
        m.serialize_entry("CamRoleName", &i.cam_role_name)?;
        m.serialize_entry("HpcClusterId", "")?;
        m.serialize_entry("RdmaIpAddresses", &none)?;
        m.serialize_entry("DedicatedClusterId", "")?;
        m.serialize_entry("IsolatedSource", &i.isolated_source)?;
        m.serialize_entry(
            "GPUInfo",
            &(i.gpu > 0).then(|| GpuOut {
                count: i.gpu as f64,
                ids: [],
                kind: &i.gpu_type,
            }),
        )?;
        m.serialize_entry("LicenseType", "TencentCloud")?;
        m.serialize_entry("DisableApiTermination", &i.disable_api_termination)?;
        m.serialize_entry("HostName", &i.host_name)?;
        m.serialize_entry("DefaultLoginUser", &i.login_user)?;
        m.serialize_entry("DefaultLoginPort", &if i.windows { 3389 } else { 22 })?;
        m.serialize_entry("EnableJumboFrame", &false)?;
        m.end()
    }
}

const INSTANCE_FILTERS: &[&str] = &[
    "zone",
    "project-id",
    "host-id",
    "dedicated-cluster-id",
    "vpc-id",
    "subnet-id",
    "instance-id",
    "uuid",
    "security-group-id",
    "instance-name",
    "instance-charge-type",
    "instance-state",
    "private-ip-address",
    "public-ip-address",
    "ipv6-address",
    "tag-key",
    "tag-value",
    "tag:",
    "creation-start-time",
    "creation-end-time",
];

/// Validates filter values up front, so a typo is an error rather than an empty page.
fn check_instance_filter(f: &Filter) -> ApiResult<()> {
    let bad = |code: &str, v: &str| {
        Err(ApiError::new(
            code,
            format!("The value `{v}` of filter `{}` is malformed.", f.name),
        ))
    };
    for v in &f.values {
        match f.name.as_str() {
            "instance-id" if !well_formed(v, "ins") => {
                return bad("InvalidParameterValue.InstanceIdMalformed", v);
            }
            "vpc-id" if !well_formed(v, "vpc") => {
                return bad("InvalidParameterValue.VpcIdMalformed", v);
            }
            "subnet-id" if !well_formed(v, "subnet") => {
                return bad("InvalidParameterValue.SubnetIdMalformed", v);
            }
            "security-group-id" if !well_formed(v, "sg") => return bad("InvalidSgId.Malformed", v),
            "host-id" if !well_formed(v, "host") => return bad("InvalidHostId.Malformed", v),
            "private-ip-address" | "public-ip-address" if parse_ipv4(v).is_none() => {
                return bad("InvalidParameterValue.IPAddressMalformed", v);
            }
            "uuid" if v.len() != 36 => return bad("InvalidParameterValue.UuidMalformed", v),
            "project-id" if v.parse::<i64>().is_err() => return bad("InvalidParameterValue", v),
            "creation-start-time" | "creation-end-time" if clock::parse_plain(v).is_none() => {
                return bad("InvalidParameterValue.InvalidTimeFormat", v);
            }
            _ => {}
        }
    }
    Ok(())
}

fn instance_matches(i: &Instance, f: &Filter) -> bool {
    let any = |s: &str| f.values.iter().any(|v| v == s);
    match f.name.as_str() {
        "zone" => any(&i.zone),
        "project-id" => f
            .values
            .iter()
            .any(|v| v.parse::<i64>().ok() == Some(i.project_id)),
        "vpc-id" => any(&i.vpc_id),
        "subnet-id" => any(&i.subnet_id),
        "instance-id" => any(&i.id),
        "uuid" => any(&i.uuid),
        "security-group-id" => i.security_group_ids.iter().any(|s| any(s)),
        "instance-name" => fuzzy(&i.name, &f.values),
        "instance-charge-type" => any(&i.charge_type),
        "instance-state" => any(i.state.as_str()),
        "private-ip-address" => any(&i.private_ip),
        "public-ip-address" => i.public_ip.as_deref().is_some_and(any),
        "creation-start-time" => f
            .values
            .iter()
            .filter_map(|v| clock::parse_plain(v))
            .any(|t| i.created_ms >= t),
        "creation-end-time" => f
            .values
            .iter()
            .filter_map(|v| clock::parse_plain(v))
            .any(|t| i.created_ms <= t),
        "host-id" | "dedicated-cluster-id" | "ipv6-address" => false,
        other => tag_filter(other, &f.values, &i.tags).unwrap_or(false),
    }
}

fn describe_instances(env: &mut Env, p: &Params) -> ApiResult<Reply> {
    p.only(&["InstanceIds", "Filters", "Offset", "Limit"])?;
    let ids = p.str_list("InstanceIds")?;
    let fs = filters(p, FilterDialect::Cvm, INSTANCE_FILTERS, 10, 5)?;
    if ids.is_some() && !fs.is_empty() {
        return Err(ApiError::new(
            "InvalidParameter",
            "`InstanceIds` and `Filters` cannot be specified at the same time.",
        ));
    }
    let (offset, limit) = page(p, false)?;
    for f in &fs {
        check_instance_filter(f)?;
    }
    let r = env.region();
    let mut page_items: Vec<&Instance> = Vec::with_capacity(limit.min(100));
    let total;
    if let Some(ids) = &ids {
        if ids.len() > 100 {
            return Err(ApiError::limit("InstanceIds", 100));
        }
        if let Some(bad) = ids.iter().find(|i| !well_formed(i, "ins")) {
            return Err(ApiError::new(
                "InvalidInstanceId.Malformed",
                format!("The instance id `{bad}` is malformed."),
            ));
        }
        // Unknown (but well-formed) ids are simply absent, as on the real API.
        let found: Vec<&Instance> = ids.iter().filter_map(|id| r.get(id)).collect();
        total = found.len();
        page_items.extend(found.into_iter().skip(offset).take(limit));
    } else {
        // Newest first, like the console.
        let mut n = 0usize;
        for i in r.instances.values().rev() {
            if fs.iter().all(|f| instance_matches(i, f)) {
                if n >= offset && page_items.len() < limit {
                    page_items.push(i);
                }
                n += 1;
            }
        }
        total = n;
    }
    let set: Vec<InstanceOut> = page_items.into_iter().map(InstanceOut).collect();
    let raw = serde_json::to_vec(&set).map_err(|_| ApiError::internal())?;
    Ok(Reply {
        fields: json!({"TotalCount": total}),
        raw: Some(("InstanceSet", raw)),
    })
}

fn describe_instances_status(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["InstanceIds", "Offset", "Limit"])?;
    let ids = p.str_list("InstanceIds")?;
    let (offset, limit) = page(p, false)?;
    let r = env.region();
    let list: Vec<&Instance> = match &ids {
        Some(ids) => {
            if ids.len() > 100 {
                return Err(ApiError::limit("InstanceIds", 100));
            }
            if let Some(bad) = ids.iter().find(|i| !well_formed(i, "ins")) {
                return Err(ApiError::new(
                    "InvalidInstanceId.Malformed",
                    format!("The instance id `{bad}` is malformed."),
                ));
            }
            ids.iter().filter_map(|id| r.get(id)).collect()
        }
        None => r.instances.values().rev().collect(),
    };
    let set: Vec<Value> = list
        .iter()
        .skip(offset)
        .take(limit)
        .map(|i| json!({"InstanceId": i.id, "InstanceState": i.state.as_str()}))
        .collect();
    Ok(json!({"TotalCount": list.len(), "InstanceStatusSet": set}))
}

fn describe_instances_modification(env: &mut Env, p: &Params) -> ApiResult<Value> {
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
            "All instances must be in the same zone.",
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

pub fn key_pair_json(k: &KeyPair, associated: Vec<String>, private_key: Option<&str>) -> Value {
    json!({"KeyId": k.id, "KeyName": k.name, "ProjectId": k.project_id, "Description": k.description,
           "PublicKey": k.public_key, "PrivateKey": private_key, "AssociatedInstanceIds": associated,
           "CreatedTime": clock::iso(k.created_ms), "Tags": tags_json(&k.tags)})
}

/// Instances (in every region of the account) that use a key.
pub fn key_users(env: &Env, key_id: &str) -> Vec<String> {
    env.acct
        .regions
        .values()
        .flat_map(|r| r.instances.values())
        .filter(|i| i.key_ids.iter().any(|k| k == key_id))
        .map(|i| i.id.clone())
        .collect()
}

fn describe_key_pairs(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["KeyIds", "Filters", "Offset", "Limit"])?;
    let ids = p.str_list("KeyIds")?;
    let fs = filters(
        p,
        FilterDialect::Cvm,
        &[
            "project-id",
            "key-name",
            "key-id",
            "tag-key",
            "tag-value",
            "tag:",
        ],
        10,
        5,
    )?;
    if ids.is_some() && !fs.is_empty() {
        return Err(ApiError::new(
            "InvalidParameter",
            "`KeyIds` and `Filters` cannot be specified at the same time.",
        ));
    }
    let (offset, limit) = page(p, false)?;
    if let Some(ids) = &ids {
        if ids.len() > 100 {
            return Err(ApiError::new(
                "InvalidKeyPair.LimitExceeded",
                "At most 100 key ids per request.",
            ));
        }
        if let Some(bad) = ids.iter().find(|i| !well_formed(i, "skey")) {
            return Err(ApiError::new(
                "InvalidKeyPairId.Malformed",
                format!("The key pair id `{bad}` is malformed."),
            ));
        }
    }
    let matched: Vec<KeyPair> = env
        .acct
        .key_pairs
        .iter()
        .filter(|k| ids.as_ref().is_none_or(|ids| ids.contains(&k.id)))
        .filter(|k| {
            fs.iter().all(|f| match f.name.as_str() {
                "project-id" => f
                    .values
                    .iter()
                    .any(|v| v.parse::<i64>().ok() == Some(k.project_id)),
                "key-name" => fuzzy(&k.name, &f.values),
                "key-id" => f.values.contains(&k.id),
                other => tag_filter(other, &f.values, &k.tags).unwrap_or(false),
            })
        })
        .cloned()
        .collect();
    let set: Vec<Value> = matched
        .iter()
        .skip(offset)
        .take(limit)
        .map(|k| key_pair_json(k, key_users(env, &k.id), None))
        .collect();
    Ok(json!({"TotalCount": matched.len(), "KeyPairSet": set}))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// DescribeInstances answers for the instances of a world saved by an earlier build,
    /// byte for byte as that build wrote them: the stored states keep their wire spelling
    /// and the fields their order.
    #[test]
    fn instances_of_a_saved_world_answer_as_before() {
        let world: crate::world::World =
            serde_json::from_str(include_str!("../../tests/fixtures/world-2026-12.json")).unwrap();
        let rendered: Vec<InstanceOut> = world
            .accounts
            .values()
            .flat_map(|a| a.regions.values())
            .flat_map(|r| r.instances.values())
            .map(InstanceOut)
            .collect();
        let rendered = serde_json::to_string(&rendered).unwrap();
        let golden = include_str!("../../tests/fixtures/world-2026-12.instances.json");
        assert!(
            rendered == golden.trim_end(),
            "the answers differ from the fixture"
        );
    }
}
