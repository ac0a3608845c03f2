//! DescribeVpcs and DescribeSubnets.

use super::{bool_value, chosen, ids_or_filters};
use crate::clock;
use crate::error::ApiResult;
use crate::params::Params;
use crate::toolkit::{Env, page, tag_filter, tags_json};
use serde_json::{Value, json};

pub fn describe_vpcs(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["VpcIds", "Filters", "Offset", "Limit"])?;
    let (ids, fs) = ids_or_filters(
        p,
        "VpcIds",
        "vpc",
        &[
            "vpc-name",
            "is-default",
            "vpc-id",
            "cidr-block",
            "tag-key",
            "tag:",
        ],
    )?;
    let (offset, limit) = page(p, true)?;
    let r = env.region();
    let matched: Vec<Value> = chosen(&r.vpcs, &ids, |v| &v.id)?
        .into_iter()
        .filter(|v| {
            fs.iter().all(|f| match f.name.as_str() {
                "vpc-name" => f.values.iter().any(|x| v.name.contains(x.as_str())),
                "is-default" => bool_value(&f.values, v.is_default),
                "vpc-id" => f.values.contains(&v.id),
                "cidr-block" => f.values.contains(&v.cidr),
                other => tag_filter(other, &f.values, &v.tags).unwrap_or(false),
            })
        })
        .map(|v| {
            json!({"VpcName": v.name, "VpcId": v.id, "CidrBlock": v.cidr, "IsDefault": v.is_default, "EnableMulticast": false,
                   "CreatedTime": clock::plain(v.created_ms), "DnsServerSet": ["183.60.83.19", "183.60.82.98"], "DomainName": "",
                   "DhcpOptionsId": v.dhcp_options_id, "EnableDhcp": true, "Ipv6CidrBlock": "", "TagSet": tags_json(&v.tags),
                   "AssistantCidrSet": [], "EnableRouteVpcPublish": false, "Ipv6CidrBlockSet": [], "EnableRouteVpcPublishIpv6": false})
        })
        .collect();
    Ok(
        json!({"TotalCount": matched.len(), "VpcSet": matched.into_iter().skip(offset).take(limit).collect::<Vec<_>>()}),
    )
}

pub fn describe_subnets(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&[
        "SubnetIds",
        "Filters",
        "Offset",
        "Limit",
        "MaxResults",
        "NextToken",
    ])?;
    let (ids, fs) = ids_or_filters(
        p,
        "SubnetIds",
        "subnet",
        &[
            "subnet-id",
            "vpc-id",
            "cidr-block",
            "is-default",
            "is-remote-vpc-snat",
            "subnet-name",
            "zone",
            "tag-key",
            "tag:",
            "cdc-id",
            "is-cdc-subnet",
        ],
    )?;
    let (offset, limit) = page(p, true)?;
    p.int("MaxResults")?;
    p.str("NextToken")?;
    let r = env.region();
    let matched: Vec<Value> = chosen(&r.subnets, &ids, |s| &s.id)?
        .into_iter()
        .filter(|s| {
            fs.iter().all(|f| match f.name.as_str() {
                "subnet-id" => f.values.contains(&s.id),
                "vpc-id" => f.values.contains(&s.vpc_id),
                "cidr-block" => f.values.contains(&s.cidr),
                "is-default" => bool_value(&f.values, s.is_default),
                "is-remote-vpc-snat" => bool_value(&f.values, false),
                "subnet-name" => f.values.iter().any(|x| s.name.contains(x.as_str())),
                "zone" => f.values.contains(&s.zone),
                "cdc-id" => false,
                "is-cdc-subnet" => f.values.iter().any(|v| v == "0"),
                other => tag_filter(other, &f.values, &s.tags).unwrap_or(false),
            })
        })
        .map(|s| {
            json!({"VpcId": s.vpc_id, "SubnetId": s.id, "SubnetName": s.name, "CidrBlock": s.cidr, "IsDefault": s.is_default,
                   "EnableBroadcast": false, "Zone": s.zone, "RouteTableId": s.route_table_id, "CreatedTime": clock::plain(s.created_ms),
                   "AvailableIpAddressCount": s.available(), "Ipv6CidrBlock": "", "NetworkAclId": s.network_acl_id,
                   "IsRemoteVpcSnat": false, "TotalIpAddressCount": s.size, "TagSet": tags_json(&s.tags), "CdcId": "", "IsCdcSubnet": 0})
        })
        .collect();
    Ok(
        json!({"TotalCount": matched.len(), "SubnetSet": matched.into_iter().skip(offset).take(limit).collect::<Vec<_>>()}),
    )
}
