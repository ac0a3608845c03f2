//! A launch's network: VPC, subnet and private addresses, then public bandwidth.

use crate::catalog::{self, InstanceType, ZoneInfo};
use crate::error::{ApiError, ApiResult};
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
                    format!("`{ict}` is not a network billing model"),
                ));
            }
            if ict == "BANDWIDTH_PREPAID" && charge != ChargeType::Prepaid {
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
    Ok((internet_charge, bandwidth, public_ip))
}
