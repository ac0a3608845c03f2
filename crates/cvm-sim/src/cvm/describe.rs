//! DescribeInstances (pages serialized straight from the stored instances) and
//! DescribeInstancesStatus.

use super::fuzzy;
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::msg::{self, Thing};
use crate::params::{Filter, FilterDialect, Params};
use crate::toolkit::ids_or_filters;
use crate::toolkit::{Env, Reply, page, tag_filter, well_formed};
use crate::world::{Instance, parse_ipv4};
use serde_json::{Value, json};

/// One `Instance` of DescribeInstances, serialized straight from the stored instance.
struct InstanceOut<'a>(&'a Instance);

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct PlacementOut<'a> {
    zone: &'a str,
    project_id: i64,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct DiskOut<'a> {
    disk_type: &'a str,
    disk_id: &'a str,
    disk_size: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    delete_with_instance: Option<bool>,
    encrypt: bool,
    /// The KMS key of an encrypted disk ("" for the default key, and for a disk that is
    /// not encrypted, as Tencent's examples answer).
    kms_key_id: &'a str,
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
                encrypt: i.system_disk_encryption.is_some(),
                kms_key_id: i.system_disk_encryption.as_deref().unwrap_or(""),
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
                encrypt: d.encryption.is_some(),
                kms_key_id: d.encryption.as_deref().unwrap_or(""),
            })
            .collect();
        m.serialize_entry("DataDisks", &disks)?;
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
        // No placement group: an empty list (and `DisasterRecoverGroupId` "").
        m.serialize_entry("DisasterRecoverGroupIds", &[] as &[&str])?;
        // Only GPU instances carry GPUInfo ("如果是其他类型子机则不返回").
        if i.gpu > 0 {
            m.serialize_entry(
                "GPUInfo",
                &GpuOut {
                    count: i.gpu as f64,
                    ids: [],
                    kind: &i.gpu_type,
                },
            )?;
        }
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
            msg::filter_value_malformed(&v, &f.name),
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
        "instance-charge-type" => any(i.charge_type.as_str()),
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

pub fn describe_instances(env: &mut Env, p: &Params) -> ApiResult<Reply> {
    p.only(&["InstanceIds", "Filters", "Offset", "Limit"])?;
    let (ids, fs) = ids_or_filters(
        p,
        "InstanceIds",
        FilterDialect::Cvm,
        INSTANCE_FILTERS,
        5,
        "InvalidParameter",
    )?;
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
                msg::malformed(Thing::Instance, &bad),
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

pub fn describe_instances_status(env: &mut Env, p: &Params) -> ApiResult<Value> {
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
                    msg::malformed(Thing::Instance, &bad),
                ));
            }
            ids.iter().filter_map(|id| r.get(id)).collect()
        }
        None => r.instances.values().rev().map(|i| &**i).collect(),
    };
    let set: Vec<Value> = list
        .iter()
        .skip(offset)
        .take(limit)
        .map(|i| json!({"InstanceId": i.id, "InstanceState": i.state.as_str()}))
        .collect();
    Ok(json!({"TotalCount": list.len(), "InstanceStatusSet": set}))
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
            .map(|i| InstanceOut(i))
            .collect();
        let rendered = serde_json::to_string(&rendered).unwrap();
        let golden = include_str!("../../tests/fixtures/world-2026-12.instances.json");
        assert!(
            rendered == golden.trim_end(),
            "the answers differ from the fixture"
        );
    }
}
