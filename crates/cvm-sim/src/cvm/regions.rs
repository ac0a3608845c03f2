//! The catalog as the account sees it: DescribeRegions, DescribeZones,
//! DescribeInstanceTypeConfigs, DescribeZoneInstanceConfigInfos.

use crate::catalog::{self, Stock};
use crate::error::{ApiError, ApiResult};
use crate::msg;
use crate::params::{Filter, FilterDialect, Params, filters};
use crate::price;
use crate::toolkit::Env;
use serde_json::{Value, json};

pub fn describe_regions(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&[])?;
    let lang = env.ctx.lang;
    let set: Vec<Value> = catalog::REGIONS
        .iter()
        .map(|r| json!({"Region": r.id, "RegionName": lang.pick(r.name_zh, r.name_en), "RegionState": "AVAILABLE"}))
        .collect();
    Ok(json!({"TotalCount": set.len(), "RegionSet": set}))
}

pub fn describe_zones(env: &mut Env, p: &Params) -> ApiResult<Value> {
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

/// Zone filter values must be zones of this region.
fn check_zones(env: &Env, f: &Filter) -> ApiResult<()> {
    for z in &f.values {
        if !catalog::zones(env.ctx.region).iter().any(|x| &x.zone == z) {
            return Err(match catalog::find_zone(z) {
                Some(_) => ApiError::new("InvalidZone.MismatchRegion", msg::zone_not_in_region(&z)),
                None => ApiError::new(
                    "InvalidParameterValue.ZoneNotSupported",
                    msg::zone_unsupported(&z),
                ),
            });
        }
    }
    Ok(())
}

pub fn describe_instance_type_configs(env: &mut Env, p: &Params) -> ApiResult<Value> {
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

pub fn describe_zone_instance_config_infos(env: &mut Env, p: &Params) -> ApiResult<Value> {
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
                        msg::not_a(&bad, &"billing model", &"计费模式"),
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
                        msg::not_one_of(&key, &["cpu:asc", "cpu:desc", "mem:asc", "mem:desc"]),
                    ));
                }
            }
        }
    }
    let set: Vec<Value> = rows.into_iter().map(|r| r.2).collect();
    Ok(json!({"InstanceTypeQuotaSet": set}))
}
