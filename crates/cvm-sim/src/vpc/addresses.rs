//! Elastic IPs: AllocateAddresses, DescribeAddresses, AssociateAddress,
//! DisassociateAddress, ReleaseAddresses.

use super::bool_value;
use crate::catalog::round2;
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::msg::{self, Thing};
use crate::params::{FilterDialect, Params, filters};
use crate::toolkit::{Env, page, tag_filter, tags_json, well_formed};
use crate::toolkit::{IdCodes, position_of};
use crate::world::{Address, public_ip};
use serde_json::{Value, json};

/// One `Address`. The schema requires `InstanceId` (not nullable): "" while unbound;
/// `NetworkInterfaceId` and `PrivateAddressIp` are null when not bound, as documented.
fn address_json(a: &Address, lang: crate::catalog::Lang) -> Value {
    json!({"AddressId": a.id, "AddressName": a.name.clone().unwrap_or_else(|| lang.pick("未命名", "Not named").to_owned()),
           "AddressStatus": a.status, "AddressIp": a.ip, "InstanceId": a.instance_id.as_deref().unwrap_or(""), "CreatedTime": clock::iso(a.created_ms),
           "NetworkInterfaceId": null, "PrivateAddressIp": a.private_ip, "IsArrears": false, "IsBlocked": false,
           "IsEipDirectConnection": false, "AddressType": a.address_type, "CascadeRelease": false,
           "EipAlgType": {"Ftp": false, "Sip": false}, "InternetServiceProvider": a.isp, "LocalBgp": false,
           "Bandwidth": a.bandwidth, "InternetChargeType": a.internet_charge_type, "TagSet": tags_json(&a.tags),
           "DeadlineDate": null, "InstanceType": if a.instance_id.is_some() { json!("CVM") } else { Value::Null },
           "Egress": "center_egress1", "AntiDDoSPackageId": "", "RenewFlag": "", "BandwidthPackageId": null,
           "UnVpcId": "", "DedicatedClusterId": "", "EipVisibleOnEni": false})
}

pub fn allocate_addresses(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&[
        "AddressCount",
        "InternetServiceProvider",
        "InternetChargeType",
        "IPChargeType",
        "InternetMaxBandwidthOut",
        "AddressChargePrepaid",
        "AddressType",
        "AnycastZone",
        "VipCluster",
        "ApplicableForCLB",
        "Tags",
        "BandwidthPackageId",
        "AddressName",
        "DedicatedClusterId",
        "IsDedicatedAddressPool",
        "Egress",
        "AntiDDoSPackageId",
        "ClientToken",
    ])?;
    let token = p.str("ClientToken")?;
    if token
        .as_ref()
        .is_some_and(|t| t.len() > 64 || !t.is_ascii())
    {
        return Err(ApiError::new(
            "InvalidParameterValue",
            msg::client_token_too_long(),
        ));
    }
    let token_key = token
        .as_ref()
        .map(|t| format!("{}|AllocateAddresses|{t}", env.ctx.region.id));
    if let Some(answer) = token_key.as_ref().and_then(|k| env.acct.tokens.get(k)) {
        return Ok(answer.clone());
    }
    let count = p.int("AddressCount")?.unwrap_or(1);
    if !(1..=20).contains(&count) {
        return Err(ApiError::new(
            "InvalidParameterValue.Range",
            msg::address_count_range(),
        ));
    }
    let isp = p
        .str("InternetServiceProvider")?
        .unwrap_or_else(|| "BGP".into());
    if isp != "BGP" {
        return Err(ApiError::new(
            "UnauthorizedOperation.InvalidAccount",
            msg::isp_allow_listed(&isp),
        ));
    }
    let charge = p
        .str("InternetChargeType")?
        .unwrap_or_else(|| "TRAFFIC_POSTPAID_BY_HOUR".into());
    let max = match charge.as_str() {
        "TRAFFIC_POSTPAID_BY_HOUR" | "BANDWIDTH_POSTPAID_BY_HOUR" => 100,
        "BANDWIDTH_PREPAID_BY_MONTH" => 200,
        "BANDWIDTH_PACKAGE" => {
            return Err(ApiError::new(
                "InvalidParameterValue.BandwidthPackageNotFound",
                msg::bandwidth_package_not_found(),
            ));
        }
        other => {
            return Err(ApiError::invalid_value(
                "InternetChargeType",
                msg::not_a(&other, &"network billing model", &"网络计费模式"),
            ));
        }
    };
    let bw = p.int("InternetMaxBandwidthOut")?.unwrap_or(1);
    if bw < 1 || bw > max {
        return Err(ApiError::new(
            "InvalidParameterValue.BandwidthOutOfRange",
            msg::bandwidth_range(&max),
        ));
    }
    let mut cost = 0.0;
    if charge == "BANDWIDTH_PREPAID_BY_MONTH" {
        let c = p
            .obj("AddressChargePrepaid")?
            .ok_or_else(|| ApiError::missing("AddressChargePrepaid"))?;
        c.only(&["Period", "AutoRenewFlag"])?;
        let period = c
            .int("Period")?
            .ok_or_else(|| ApiError::missing("AddressChargePrepaid.Period"))?;
        if !(1..=12).contains(&period) && period != 24 && period != 36 {
            return Err(ApiError::new(
                "InvalidParameterValue.Range",
                msg::eip_period(),
            ));
        }
        cost = round2(crate::price::bandwidth_monthly(bw) * period as f64 * count as f64);
    } else if p.has("AddressChargePrepaid") {
        p.obj("AddressChargePrepaid")?;
        return Err(ApiError::new(
            "InvalidParameterConflict",
            msg::address_prepaid_only_monthly(),
        ));
    }
    let address_type = p.str("AddressType")?.unwrap_or_else(|| "EIP".into());
    if !["EIP", "AnycastEIP", "HighQualityEIP", "AntiDDoSEIP"].contains(&address_type.as_str()) {
        return Err(ApiError::invalid_value(
            "AddressType",
            msg::not_a(&address_type, &"address type", &"IP 类型"),
        ));
    }
    let tags = crate::toolkit::parse_tags(p.obj_list("Tags")?)?;
    let name = p.str("AddressName")?;
    if name.as_ref().is_some_and(|n| n.chars().count() > 128) {
        return Err(ApiError::invalid_value(
            "AddressName",
            msg::at_most_chars(&128),
        ));
    }
    for k in ["ApplicableForCLB", "IsDedicatedAddressPool"] {
        p.bool(k)?;
    }
    for k in [
        "IPChargeType",
        "AnycastZone",
        "BandwidthPackageId",
        "DedicatedClusterId",
        "Egress",
        "AntiDDoSPackageId",
    ] {
        p.str(k)?;
    }
    p.str_list("VipCluster")?;
    let quota = env.ctx.quotas.eips_per_region;
    let now = env.ctx.now;
    if env.region().addresses.len() + count as usize > quota {
        return Err(ApiError::new(
            "AddressQuotaLimitExceeded",
            msg::eip_quota(&quota),
        ));
    }
    if cost > env.acct.balance {
        return Err(ApiError::new(
            "FailedOperation.BalanceInsufficient",
            msg::eip_balance(),
        ));
    }
    env.acct.balance = round2(env.acct.balance - cost);
    let (r, rng, _, _) = env.parts();
    let mut ids = Vec::new();
    for _ in 0..count {
        let a = Address {
            id: rng.id("eip"),
            name: name.clone(),
            status: "UNBIND".into(),
            ip: public_ip(rng),
            instance_id: None,
            private_ip: None,
            created_ms: now,
            internet_charge_type: charge.clone(),
            bandwidth: bw,
            address_type: address_type.clone(),
            isp: isp.clone(),
            tags: tags.clone(),
        };
        ids.push(a.id.clone());
        r.addresses.push(a);
    }
    let task = rng.below(90_000_000) + 10_000_000;
    let answer = json!({"AddressSet": ids, "TaskId": task.to_string()});
    if let Some(k) = token_key {
        env.acct.tokens.insert(k, answer.clone());
    }
    Ok(answer)
}

pub fn describe_addresses(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["AddressIds", "Filters", "Offset", "Limit"])?;
    let ids = p.str_list("AddressIds")?;
    let fs = filters(
        p,
        FilterDialect::Vpc,
        &[
            "address-id",
            "address-name",
            "address-ip",
            "address-status",
            "instance-id",
            "private-ip-address",
            "network-interface-id",
            "is-arrears",
            "instance-type",
            "address-type",
            "address-isp",
            "dedicated-cluster-id",
            "tag-key",
            "tag-value",
            "tag:",
        ],
        10,
        100,
    )?;
    if ids.is_some() && fs.iter().any(|f| f.name == "address-id") {
        return Err(ApiError::new(
            "InvalidParameter",
            msg::address_ids_and_filter(),
        ));
    }
    if let Some(ids) = &ids {
        if ids.len() > 100 {
            return Err(ApiError::limit("AddressIds", 100));
        }
        if let Some(bad) = ids.iter().find(|i| !well_formed(i, "eip")) {
            return Err(ApiError::new(
                "InvalidParameterValue.AddressIdMalformed",
                msg::malformed(Thing::Address, &bad),
            ));
        }
    }
    let (offset, limit) = page(p, false)?;
    let lang = env.ctx.lang;
    let r = env.region();
    // Normal public IPs of instances only show up when asked for with address-type WanIP.
    let want_wan = fs
        .iter()
        .any(|f| f.name == "address-type" && f.values.iter().any(|v| v == "WanIP"));
    let mut all: Vec<Address> = r.addresses.clone();
    if want_wan {
        for i in r.instances.values().filter(|i| i.eip_id.is_none()) {
            if let Some(ip) = &i.public_ip {
                all.push(Address {
                    id: format!("eip-{}", &i.id[4..]),
                    name: None,
                    status: "BIND".into(),
                    ip: ip.clone(),
                    instance_id: Some(i.id.clone()),
                    private_ip: Some(i.private_ip.clone()),
                    created_ms: i.created_ms,
                    internet_charge_type: i.internet_charge_type.clone(),
                    bandwidth: i.bandwidth,
                    address_type: "WanIP".into(),
                    isp: "BGP".into(),
                    tags: Vec::new(),
                });
            }
        }
    }
    let matched: Vec<Value> = all
        .iter()
        .filter(|a| ids.as_ref().is_none_or(|ids| ids.contains(&a.id)))
        .filter(|a| want_wan || a.address_type != "WanIP")
        .filter(|a| {
            fs.iter().all(|f| match f.name.as_str() {
                "address-id" => f.values.contains(&a.id),
                "address-name" => f
                    .values
                    .first()
                    .is_some_and(|v| a.name.as_deref() == Some(v.as_str())),
                "address-ip" => f.values.contains(&a.ip),
                "address-status" => f.values.contains(&a.status),
                "instance-id" => a.instance_id.as_ref().is_some_and(|i| f.values.contains(i)),
                "private-ip-address" => f
                    .values
                    .first()
                    .is_some_and(|v| a.private_ip.as_deref() == Some(v.as_str())),
                "is-arrears" => bool_value(&f.values, false),
                "instance-type" => a.instance_id.is_some() && f.values.iter().any(|v| v == "CVM"),
                "address-type" => f.values.contains(&a.address_type),
                "address-isp" => f.values.contains(&a.isp),
                "network-interface-id" | "dedicated-cluster-id" => false,
                other => tag_filter(other, &f.values, &a.tags).unwrap_or(false),
            })
        })
        .map(|a| address_json(a, lang))
        .collect();
    Ok(
        json!({"TotalCount": matched.len(), "AddressSet": matched.into_iter().skip(offset).take(limit).collect::<Vec<_>>()}),
    )
}

fn find_address(env: &mut Env, id: &str) -> ApiResult<usize> {
    let codes = IdCodes {
        malformed: "InvalidParameterValue.AddressIdMalformed",
        not_found: "InvalidAddressId.NotFound",
    };
    position_of(
        &env.region().addresses,
        id,
        "eip",
        Thing::Address,
        codes,
        |a| &a.id,
    )
}

fn task(env: &mut Env) -> Value {
    json!({"TaskId": (env.rng.below(90_000_000) + 10_000_000).to_string()})
}

pub fn associate_address(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&[
        "AddressId",
        "InstanceId",
        "NetworkInterfaceId",
        "PrivateIpAddress",
        "EipDirectConnection",
        "InstanceRegion",
    ])?;
    let id = p.str_req("AddressId")?;
    let instance = p.str("InstanceId")?;
    let eni = p.str("NetworkInterfaceId")?;
    p.str("PrivateIpAddress")?;
    p.bool("EipDirectConnection")?;
    p.str("InstanceRegion")?;
    let idx = find_address(env, &id)?;
    let instance = match (instance, eni) {
        (Some(_), Some(_)) => {
            return Err(ApiError::new(
                "InvalidParameterConflict",
                msg::instance_or_eni(),
            ));
        }
        (None, Some(_)) => {
            return Err(ApiError::new(
                "InvalidParameterValue.NetworkInterfaceNotFound",
                msg::no_enis(),
            ));
        }
        (None, None) => {
            return Err(ApiError::new(
                "InvalidParameterValue.MissingAssociateEntity",
                msg::give_instance_id(),
            ));
        }
        (Some(i), None) => i,
    };
    if !well_formed(&instance, "ins") {
        return Err(ApiError::new(
            "InvalidParameterValue.InstanceIdMalformed",
            msg::malformed(Thing::Instance, &instance),
        ));
    }
    let r = env.region();
    if r.addresses[idx].status != "UNBIND" {
        return Err(ApiError::new(
            "UnsupportedOperation.AddressStatusNotPermit",
            msg::eip_not_unbound(),
        ));
    }
    let inst = r.get(&instance).ok_or_else(|| {
        ApiError::new(
            "InvalidInstanceId.NotFound",
            msg::not_found(Thing::Instance, &instance),
        )
    })?;
    if inst.eip_id.is_some() {
        return Err(ApiError::new(
            "InvalidInstanceId.AlreadyBindEip",
            msg::instance_has_eip(),
        ));
    }
    if !matches!(
        inst.state,
        crate::world::State::Running | crate::world::State::Stopped
    ) {
        return Err(ApiError::new(
            "InvalidParameterValue.InvalidInstanceState",
            msg::instance_running_or_stopped(),
        ));
    }
    let private_ip = inst.private_ip.clone();
    let ip = r.addresses[idx].ip.clone();
    if let Some(i) = r.get_mut(&instance) {
        // The instance's normal public IP is released for good.
        i.public_ip = Some(ip);
        i.eip_id = Some(id.clone());
    }
    let a = &mut r.addresses[idx];
    a.status = "BIND".into();
    a.instance_id = Some(instance);
    a.private_ip = Some(private_ip);
    Ok(task(env))
}

pub fn disassociate_address(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["AddressId", "ReallocateNormalPublicIp"])?;
    let id = p.str_req("AddressId")?;
    let reallocate = p.bool("ReallocateNormalPublicIp")?.unwrap_or(false);
    let idx = find_address(env, &id)?;
    let (r, rng, _, _) = env.parts();
    if r.addresses[idx].status != "BIND" {
        return Err(ApiError::new(
            "UnsupportedOperation.AddressStatusNotPermit",
            msg::eip_not_bound(),
        ));
    }
    if let Some(iid) = r.addresses[idx].instance_id.clone()
        && let Some(i) = r.get_mut(&iid)
    {
        i.eip_id = None;
        i.public_ip = if reallocate {
            Some(public_ip(rng))
        } else {
            None
        };
    }
    let a = &mut r.addresses[idx];
    a.status = "UNBIND".into();
    a.instance_id = None;
    a.private_ip = None;
    Ok(task(env))
}

pub fn release_addresses(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["AddressIds"])?;
    let ids = p.str_list_req("AddressIds")?;
    if ids.len() > 100 {
        return Err(ApiError::limit("AddressIds", 100));
    }
    for id in &ids {
        let idx = find_address(env, id)?;
        if env.region().addresses[idx].status != "UNBIND" {
            return Err(ApiError::new(
                "UnsupportedOperation.AddressStatusNotPermit",
                msg::address_still_bound(&id),
            ));
        }
    }
    env.region().addresses.retain(|a| !ids.contains(&a.id));
    Ok(task(env))
}
