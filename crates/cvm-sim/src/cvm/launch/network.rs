//! A launch's network: VPC, subnet and private addresses, then public bandwidth.

use crate::catalog::{self, InstanceType, ZoneInfo};
use crate::cvm::INTERNET_ACCESSIBLE;
use crate::error::{ApiError, ApiResult};
use crate::msg::{self, Thing};
use crate::params::Params;
use crate::toolkit::well_formed;
use crate::world::{ChargeType, RegionState, parse_ipv4};

/// The default VPC and the zone's default subnet unless told otherwise.
pub fn vpc(
    r: &RegionState,
    p: &Params,
    zone: &ZoneInfo,
    count: i64,
) -> ApiResult<(String, String, Vec<String>)> {
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
                    msg::vpc_no_ipv6(),
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
                        msg::malformed(Thing::Vpc, &vpc),
                    ));
                }
                if !r.vpcs.iter().any(|x| x.id == vpc) {
                    return Err(ApiError::new(
                        "InvalidParameterValue.VpcIdNotExist",
                        msg::not_found(Thing::Vpc, &vpc),
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
                            msg::vpc_no_subnet_here(),
                        )
                    })?
            } else {
                if !well_formed(&subnet, "subnet") {
                    return Err(ApiError::new(
                        "InvalidParameterValue.SubnetIdMalformed",
                        msg::malformed(Thing::Subnet, &subnet),
                    ));
                }
                let s = r.subnets.iter().find(|s| s.id == subnet).ok_or_else(|| {
                    ApiError::new(
                        "InvalidParameterValue.SubnetNotExist",
                        msg::not_found(Thing::Subnet, &subnet),
                    )
                })?;
                if s.vpc_id != vpc {
                    return Err(ApiError::new(
                        "InvalidParameterValue.VpcIdSubnetIdNotMatch",
                        msg::subnet_not_in_vpc(),
                    ));
                }
                if s.zone != zone.zone {
                    return Err(ApiError::new(
                        "InvalidParameterValue.SubnetIdZoneIdNotMatch",
                        msg::subnet_other_zone(),
                    ));
                }
                subnet
            };
            if !ips.is_empty() {
                if ips.len() as i64 != count {
                    return Err(ApiError::new(
                        "InvalidParameterValue",
                        msg::one_ip_per_instance(),
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
                            msg::not_ipv4(&ip),
                        )
                    })?;
                    if v < s.base + 2 || v >= s.base + s.size - 1 {
                        return Err(ApiError::new(
                            "VpcAddrNotInSubNet",
                            msg::ip_not_in_subnet(&ip),
                        ));
                    }
                    if r.instances.values().any(|i| &i.private_ip == ip)
                        || ips.iter().filter(|x| *x == ip).count() > 1
                    {
                        return Err(ApiError::new("VpcIpIsUsed", msg::ip_in_use(&ip)));
                    }
                }
            }
            (vpc, subnet, ips)
        }
    };
    Ok((vpc_id, subnet_id, private_ips))
}

/// `InternetAccessible`: network billing model, bandwidth and whether a public IP comes.
pub fn internet(
    p: &Params,
    charge: ChargeType,
    itype: &InstanceType,
) -> ApiResult<(String, i64, bool)> {
    let (internet_charge, bandwidth, public_ip) = match p.obj("InternetAccessible")? {
        None => (
            if charge == ChargeType::Prepaid {
                "BANDWIDTH_PREPAID"
            } else {
                "TRAFFIC_POSTPAID_BY_HOUR"
            }
            .to_owned(),
            0,
            false,
        ),
        Some(ia) => {
            ia.only(INTERNET_ACCESSIBLE)?;
            let ict = ia.str("InternetChargeType")?.unwrap_or_else(|| {
                if charge == ChargeType::Prepaid {
                    "BANDWIDTH_PREPAID"
                } else {
                    "TRAFFIC_POSTPAID_BY_HOUR"
                }
                .to_owned()
            });
            if !catalog::INTERNET_CHARGE_TYPES.contains(&ict.as_str()) {
                return Err(ApiError::invalid_value(
                    "InternetAccessible.InternetChargeType",
                    msg::not_a(&ict, &"network billing model", &"网络计费模式"),
                ));
            }
            if ict == "BANDWIDTH_PREPAID" && charge != ChargeType::Prepaid {
                return Err(ApiError::new(
                    "InvalidParameterCombination",
                    msg::bandwidth_prepaid_needs_prepaid(),
                ));
            }
            if ict == "BANDWIDTH_PACKAGE" || ia.str("BandwidthPackageId")?.is_some() {
                return Err(ApiError::new(
                    "InvalidParameterValue.BandwidthPackageIdNotFound",
                    msg::bandwidth_package_not_found(),
                ));
            }
            if let Some(isp) = ia.str("InternetServiceProvider")?
                && isp != "BGP"
            {
                return Err(ApiError::new(
                    "InvalidParameterValue",
                    msg::isp_allow_listed(&isp),
                ));
            }
            let bw = ia.int("InternetMaxBandwidthOut")?.unwrap_or(0);
            if bw < 0 || bw > itype.max_bandwidth() {
                return Err(ApiError::new(
                    "InvalidParameterValue.Range",
                    msg::bandwidth_range_for_type(&(itype.max_bandwidth()), &itype.name),
                ));
            }
            let assigned = ia.bool("PublicIpAssigned")?;
            if assigned == Some(true) && bw == 0 {
                return Err(ApiError::new(
                    "InvalidParameterCombination",
                    msg::public_ip_needs_bandwidth(),
                ));
            }
            (ict, bw, assigned.unwrap_or(bw > 0))
        }
    };
    Ok((internet_charge, bandwidth, public_ip))
}
