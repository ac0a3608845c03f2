//! What the wizard offers at each step: zones with stock, instance types with price and
//! stock, images that fit the type's architecture, VPCs/subnets in the zone, security
//! groups and key pairs. Raw API models stay here; the UI gets small DTOs.

use crate::console::instances::{list_zones, validate_region, validate_zone};
use crate::error::AppError;
use crate::profiles::invalid;
use crate::types::ChargeType;
use serde::Serialize;
use std::collections::HashMap;
use tencent_api::models::{cvm, vpc};
use tencent_api::{Client, MAX_PAGE};

/// The billing models the wizard sells and prices (not the CDH/CDC ones).
pub const CHARGE_TYPES: &[ChargeType] = &[
    ChargeType::Prepaid,
    ChargeType::PostpaidByHour,
    ChargeType::Spotpaid,
];

pub fn validate_charge_type(c: ChargeType) -> Result<(), AppError> {
    if CHARGE_TYPES.contains(&c) {
        Ok(())
    } else {
        Err(invalid(
            "billing",
            format!(
                "{:?} is not PREPAID, POSTPAID_BY_HOUR or SPOTPAID",
                c.as_str()
            ),
        ))
    }
}

fn n32(n: Option<i64>) -> u32 {
    n.and_then(|n| u32::try_from(n).ok()).unwrap_or(0)
}

fn cvm_filter(name: &str, values: &[&str]) -> cvm::Filter {
    cvm::Filter {
        name: Some(name.into()),
        values: Some(values.iter().map(|v| (*v).to_owned()).collect()),
    }
}

fn vpc_filter(name: &str, value: &str) -> vpc::Filter {
    vpc::Filter {
        name: Some(name.into()),
        values: Some(vec![value.to_owned()]),
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ZoneChoice {
    pub zone: String,
    pub name: String,
    pub available: bool,
    /// Instance types on sale in the zone for the billing model.
    pub types_on_sale: u32,
    pub types_sold_out: u32,
}

/// The region's zones with how many types are on sale for `charge_type`.
pub async fn zones(
    client: &Client,
    region: &str,
    charge_type: ChargeType,
) -> Result<Vec<ZoneChoice>, AppError> {
    validate_charge_type(charge_type)?;
    let zones = list_zones(client, region).await?;
    let req = cvm::DescribeZoneInstanceConfigInfosRequest {
        filters: Some(vec![cvm_filter(
            "instance-charge-type",
            &[charge_type.as_str()],
        )]),
    };
    let rows = client
        .describe_zone_instance_config_infos(region, &req)
        .await?
        .instance_type_quota_set
        .unwrap_or_default();
    let mut counts: HashMap<String, (u32, u32)> = HashMap::new();
    for r in rows {
        let c = counts.entry(r.zone.unwrap_or_default()).or_default();
        if r.status.as_deref() == Some("SELL") {
            c.0 += 1;
        } else {
            c.1 += 1;
        }
    }
    Ok(zones
        .into_iter()
        .map(|z| {
            let (on_sale, sold_out) = counts.get(&z.zone).copied().unwrap_or_default();
            ZoneChoice {
                available: z.available && on_sale > 0,
                types_on_sale: on_sale,
                types_sold_out: sold_out,
                name: z.name,
                zone: z.zone,
            }
        })
        .collect())
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct InstanceTypeChoice {
    pub instance_type: String,
    pub family: String,
    /// Localised, like "Standard S5".
    pub type_name: String,
    pub cpu: u32,
    pub memory_gib: u32,
    pub gpu: u32,
    pub gpu_count: f64,
    pub cpu_type: String,
    pub frequency: String,
    pub bandwidth_gbps: f64,
    /// SELL or SOLD_OUT.
    pub status: String,
    pub sold_out_reason: Option<String>,
    /// EnoughStock, NormalStock, UnderStock, WithoutStock.
    pub stock: Option<String>,
    /// Prepaid: charged price for one month; postpaid/spot: discounted price per hour.
    pub price: f64,
    /// The list price for the same unit.
    pub list_price: f64,
    /// MONTH or HOUR.
    pub price_unit: String,
}

pub fn type_choice(r: &cvm::InstanceTypeQuotaItem, charge_type: ChargeType) -> InstanceTypeChoice {
    let p = r.price.clone().unwrap_or_default();
    let (price, list, unit) = if charge_type == ChargeType::Prepaid {
        (
            p.discount_price.unwrap_or(0.0),
            p.original_price.unwrap_or(0.0),
            "MONTH",
        )
    } else {
        (
            p.unit_price_discount.unwrap_or(0.0),
            p.unit_price.unwrap_or(0.0),
            "HOUR",
        )
    };
    InstanceTypeChoice {
        instance_type: r.instance_type.clone().unwrap_or_default(),
        family: r.instance_family.clone().unwrap_or_default(),
        type_name: r.type_name.clone().unwrap_or_default(),
        cpu: n32(r.cpu),
        memory_gib: n32(r.memory),
        gpu: n32(r.gpu),
        gpu_count: r.gpu_count.unwrap_or(0.0),
        cpu_type: r.cpu_type.clone().unwrap_or_default(),
        frequency: r.frequency.clone().unwrap_or_default(),
        bandwidth_gbps: r.instance_bandwidth.unwrap_or(0.0),
        status: r.status.clone().unwrap_or_else(|| "SELL".into()),
        sold_out_reason: r.sold_out_reason.clone().filter(|s| !s.is_empty()),
        stock: r.status_category.clone(),
        price,
        list_price: list,
        price_unit: unit.into(),
    }
}

/// The zone's instance types for a billing model, smallest first, sold-out ones kept
/// (shown disabled with the reason).
pub async fn instance_types(
    client: &Client,
    region: &str,
    zone: &str,
    charge_type: ChargeType,
) -> Result<Vec<InstanceTypeChoice>, AppError> {
    validate_region(region)?;
    validate_zone(region, zone)?;
    validate_charge_type(charge_type)?;
    let req = cvm::DescribeZoneInstanceConfigInfosRequest {
        filters: Some(vec![
            cvm_filter("zone", &[zone]),
            cvm_filter("instance-charge-type", &[charge_type.as_str()]),
        ]),
    };
    let rows = client
        .describe_zone_instance_config_infos(region, &req)
        .await?
        .instance_type_quota_set
        .unwrap_or_default();
    let mut out: Vec<InstanceTypeChoice> =
        rows.iter().map(|r| type_choice(r, charge_type)).collect();
    out.sort_by(|a, b| {
        (a.cpu, a.memory_gib, &a.instance_type).cmp(&(b.cpu, b.memory_gib, &b.instance_type))
    });
    Ok(out)
}

/// The type's row for one zone and billing model, if it is offered there.
pub async fn instance_type_row(
    client: &Client,
    region: &str,
    zone: &str,
    instance_type: &str,
    charge_type: ChargeType,
) -> Result<Option<cvm::InstanceTypeQuotaItem>, tencent_api::Error> {
    let req = cvm::DescribeZoneInstanceConfigInfosRequest {
        filters: Some(vec![
            cvm_filter("zone", &[zone]),
            cvm_filter("instance-type", &[instance_type]),
            cvm_filter("instance-charge-type", &[charge_type.as_str()]),
        ]),
    };
    Ok(client
        .describe_zone_instance_config_infos(region, &req)
        .await?
        .instance_type_quota_set
        .unwrap_or_default()
        .into_iter()
        .next())
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ImageChoice {
    pub image_id: String,
    pub name: String,
    pub os_name: String,
    pub platform: String,
    /// x86_64, arm, i386.
    pub architecture: String,
    pub size_gib: u32,
    /// PUBLIC_IMAGE, PRIVATE_IMAGE, SHARED_IMAGE.
    pub image_type: String,
    pub windows: bool,
}

pub fn is_windows(i: &cvm::Image) -> bool {
    let has = |s: &Option<String>| {
        s.as_deref()
            .is_some_and(|s| s.to_lowercase().contains("windows"))
    };
    has(&i.platform) || has(&i.os_name)
}

fn image_choice(i: &cvm::Image) -> ImageChoice {
    ImageChoice {
        image_id: i.image_id.clone().unwrap_or_default(),
        name: i.image_name.clone().unwrap_or_default(),
        os_name: i.os_name.clone().unwrap_or_default(),
        platform: i.platform.clone().unwrap_or_default(),
        architecture: i.architecture.clone().unwrap_or_default(),
        size_gib: n32(i.image_size),
        image_type: i.image_type.clone().unwrap_or_default(),
        windows: is_windows(i),
    }
}

/// Images usable by `instance_type` (so of its architecture), usable ones only.
pub async fn images(
    client: &Client,
    region: &str,
    instance_type: &str,
) -> Result<Vec<ImageChoice>, AppError> {
    validate_region(region)?;
    if !instance_type.contains('.') {
        return Err(invalid("instanceType", "choose an instance type first"));
    }
    let mut out = Vec::new();
    let mut offset = 0i64;
    loop {
        let req = cvm::DescribeImagesRequest {
            instance_type: Some(instance_type.to_owned()),
            offset: Some(offset),
            limit: Some(100),
            ..Default::default()
        };
        let r = client.describe_images(region, &req).await?;
        let page = r.image_set.unwrap_or_default();
        let n = page.len() as i64;
        out.extend(
            page.iter()
                .filter(|i| i.image_state.as_deref().is_none_or(|s| s == "NORMAL"))
                .map(image_choice),
        );
        offset += n;
        if n == 0 || offset >= r.total_count.unwrap_or(0) || offset >= 1000 {
            break;
        }
    }
    Ok(out)
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct VpcChoice {
    pub vpc_id: String,
    pub name: String,
    pub cidr: String,
    pub is_default: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SubnetChoice {
    pub subnet_id: String,
    pub vpc_id: String,
    pub name: String,
    pub cidr: String,
    pub zone: String,
    pub available_ips: u32,
    pub is_default: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SecurityGroupChoice {
    pub security_group_id: String,
    pub name: String,
    pub description: String,
    pub is_default: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct KeyPairChoice {
    pub key_id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NetworkChoices {
    pub vpcs: Vec<VpcChoice>,
    /// Subnets in the zone only.
    pub subnets: Vec<SubnetChoice>,
    pub security_groups: Vec<SecurityGroupChoice>,
}

const VPC_PAGE: &str = "100";

/// VPCs of the region, their subnets in `zone`, and the region's security groups.
pub async fn networks(
    client: &Client,
    region: &str,
    zone: &str,
) -> Result<NetworkChoices, AppError> {
    validate_region(region)?;
    validate_zone(region, zone)?;
    let vpcs_req = vpc::DescribeVpcsRequest {
        limit: Some(VPC_PAGE.into()),
        ..Default::default()
    };
    let subnets_req = vpc::DescribeSubnetsRequest {
        filters: Some(vec![vpc_filter("zone", zone)]),
        limit: Some(VPC_PAGE.into()),
        ..Default::default()
    };
    let sgs_req = vpc::DescribeSecurityGroupsRequest {
        limit: Some(VPC_PAGE.into()),
        ..Default::default()
    };
    let (vpcs, subnets, sgs) = tokio::join!(
        client.describe_vpcs(region, &vpcs_req),
        client.describe_subnets(region, &subnets_req),
        client.describe_security_groups(region, &sgs_req),
    );
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    Ok(NetworkChoices {
        vpcs: vpcs?
            .vpc_set
            .unwrap_or_default()
            .iter()
            .map(|v| VpcChoice {
                vpc_id: s(&v.vpc_id),
                name: s(&v.vpc_name),
                cidr: s(&v.cidr_block),
                is_default: v.is_default.unwrap_or(false),
            })
            .collect(),
        subnets: subnets?
            .subnet_set
            .unwrap_or_default()
            .iter()
            .filter(|x| x.zone.as_deref() == Some(zone))
            .map(|x| SubnetChoice {
                subnet_id: s(&x.subnet_id),
                vpc_id: s(&x.vpc_id),
                name: s(&x.subnet_name),
                cidr: s(&x.cidr_block),
                zone: s(&x.zone),
                available_ips: n32(x.available_ip_address_count),
                is_default: x.is_default.unwrap_or(false),
            })
            .collect(),
        security_groups: sgs?
            .security_group_set
            .unwrap_or_default()
            .iter()
            .map(|g| SecurityGroupChoice {
                security_group_id: s(&g.security_group_id),
                name: s(&g.security_group_name),
                description: s(&g.security_group_desc),
                is_default: g.is_default.unwrap_or(false),
            })
            .collect(),
    })
}

pub async fn key_pairs(client: &Client, region: &str) -> Result<Vec<KeyPairChoice>, AppError> {
    validate_region(region)?;
    let req = cvm::DescribeKeyPairsRequest {
        limit: Some(i64::try_from(MAX_PAGE).unwrap_or(100)),
        ..Default::default()
    };
    Ok(client
        .describe_key_pairs(region, &req)
        .await?
        .key_pair_set
        .unwrap_or_default()
        .iter()
        .map(|k| KeyPairChoice {
            key_id: k.key_id.clone().unwrap_or_default(),
            name: k.key_name.clone().unwrap_or_default(),
        })
        .collect())
}
