//! A launch's machine: image, instance type (with stock in the zone), spot bid and disks.

use crate::catalog::{self, Image, InstanceType, Stock, ZoneInfo};
use crate::error::{ApiError, ApiResult};
use crate::msg::{self, Thing};
use crate::params::Params;
use crate::toolkit::{Env, well_formed};
use crate::world::ChargeType;

/// The image and the instance type (the platform picks one when none is given).
pub fn image_and_type(
    env: &mut Env,
    p: &Params,
    zone: &ZoneInfo,
) -> ApiResult<(&'static Image, InstanceType)> {
    let image_id = p
        .str("ImageId")?
        .ok_or_else(|| ApiError::missing("ImageId"))?;
    if !well_formed(&image_id, "img") {
        return Err(ApiError::new(
            "InvalidImageId.Malformed",
            msg::malformed(Thing::Image, &image_id),
        ));
    }
    let image = crate::cvm::images::launch_image(env, &image_id)?;
    let itype = match p.str("InstanceType")? {
        Some(t) => {
            if !t.contains('.') || t.len() > 64 {
                return Err(ApiError::new(
                    "InvalidInstanceType.Malformed",
                    msg::instance_type_malformed(&t),
                ));
            }
            catalog::instance_type(&t).ok_or_else(|| {
                ApiError::new(
                    "InvalidParameterValue.InstanceTypeNotFound",
                    msg::not_found(Thing::InstanceType, &t),
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
                    && catalog::stock(zone, t) == Stock::Sell
            })
            .ok_or_else(|| {
                ApiError::new(
                    "ResourceInsufficient.AvailabilityZoneSoldOut",
                    msg::zone_sold_out_any(),
                )
            })?,
    };
    if itype.family.arch != image.arch {
        return Err(ApiError::new(
            "InvalidParameterValue.InvalidImageForGivenInstanceType",
            msg::image_arch_mismatch(&image.id, &(image.arch.as_str()), &itype.name),
        ));
    }
    if !zone.available {
        return Err(ApiError::new(
            "ResourceInsufficient.AvailabilityZoneSoldOut",
            msg::zone_sold_out(&zone.zone),
        ));
    }
    match catalog::stock(zone, &itype) {
        Stock::NotOffered => {
            return Err(ApiError::new(
                "ResourceUnavailable.InstanceType",
                msg::type_not_offered(&itype.name, &zone.zone),
            ));
        }
        Stock::SoldOut => {
            return Err(ApiError::new(
                "ResourcesSoldOut.SpecifiedInstanceType",
                msg::type_sold_out(&itype.name, &zone.zone),
            ));
        }
        Stock::Sell => {}
    }
    Ok((image, itype))
}

/// The spot bid: `InstanceMarketOptions`, defaulting to the market price for SPOTPAID.
pub fn spot(
    env: &Env,
    p: &Params,
    charge: ChargeType,
    itype: &InstanceType,
) -> ApiResult<Option<f64>> {
    let mut spot_max = None;
    if let Some(m) = p.obj("InstanceMarketOptions")? {
        m.only(&["MarketType", "SpotOptions"])?;
        if m.str("MarketType")?.is_some_and(|t| t != "spot") {
            return Err(ApiError::invalid_value(
                "InstanceMarketOptions.MarketType",
                msg::only(&"`spot`"),
            ));
        }
        let o = m
            .obj("SpotOptions")?
            .ok_or_else(|| ApiError::missing("InstanceMarketOptions.SpotOptions"))?;
        o.only(&["MaxPrice", "SpotInstanceType"])?;
        let max = o.str_req("MaxPrice")?;
        let max: f64 = max.trim().parse().map_err(|_| {
            ApiError::invalid_value(
                "InstanceMarketOptions.SpotOptions.MaxPrice",
                msg::not_a_number(),
            )
        })?;
        if o.str("SpotInstanceType")?.is_some_and(|t| t != "one-time") {
            return Err(ApiError::invalid_value(
                "InstanceMarketOptions.SpotOptions.SpotInstanceType",
                msg::only(&"`one-time`"),
            ));
        }
        if charge != ChargeType::Spotpaid {
            return Err(ApiError::new(
                "InvalidParameterCombination",
                msg::market_needs_spot(),
            ));
        }
        spot_max = Some(max);
    }
    if charge == ChargeType::Spotpaid {
        if !env.ctx.region.spot {
            return Err(ApiError::new(
                "UnsupportedOperation.SpotUnsupportedRegion",
                msg::no_spot_here(),
            ));
        }
        if !itype.family.spot {
            return Err(ApiError::new(
                "UnsupportedOperation.NoInstanceTypeSupportSpot",
                msg::type_not_spot(&itype.name),
            ));
        }
        let market = catalog::spot_hourly(itype);
        match spot_max {
            Some(m) if m < market => {
                return Err(ApiError::new(
                    "InvalidParameterValue.InsufficientPrice",
                    msg::bid_too_low(&m, &market),
                ));
            }
            Some(_) => {}
            None => spot_max = Some(market),
        }
    }
    Ok(spot_max)
}

/// A disk to create: type, size in GiB, encryption (None, or Some(KMS key id), "" for the
/// default key).
pub type DiskSpec = (String, i64, Option<String>);
/// A data disk to create: type, size in GiB, deleted with the instance, encryption.
pub type DataDiskSpec = (String, i64, bool, Option<String>);

/// `Encrypt` and `KmsKeyId` of a disk: a key implies encryption; a key on a disk said not
/// to be encrypted is a contradiction.
fn encryption(d: &Params, path: &str) -> ApiResult<Option<String>> {
    match (d.bool("Encrypt")?, d.str("KmsKeyId")?) {
        (Some(false), Some(_)) => Err(ApiError::new(
            "InvalidParameterCombination",
            msg::key_without_encryption(&path),
        )),
        (Some(true), key) | (None, key @ Some(_)) => Ok(Some(key.unwrap_or_default())),
        _ => Ok(None),
    }
}

/// The system disk (type, GiB) and data disks (type, GiB, deleted with the instance).
pub fn disks(p: &Params, image: &Image) -> ApiResult<(DiskSpec, Vec<DataDiskSpec>)> {
    let system_disk = match p.obj("SystemDisk")? {
        None => ("CLOUD_PREMIUM".to_owned(), 50, None),
        Some(d) => {
            d.only(&[
                "DiskType", "DiskId", "DiskSize", "CdcId", "DiskName", "Encrypt", "KmsKeyId",
            ])?;
            let t = d.str("DiskType")?.unwrap_or_else(|| "CLOUD_PREMIUM".into());
            if !catalog::SYSTEM_DISK_TYPES.contains(&t.as_str()) {
                return Err(ApiError::invalid_value(
                    "SystemDisk.DiskType",
                    msg::not_a(&t, &"system disk type", &"系统盘类型"),
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
                    msg::system_disk_size(&min),
                ));
            }
            (t, size, encryption(&d, "SystemDisk")?)
        }
    };
    let mut data_disks = Vec::new();
    let disk_list = p.obj_list("DataDisks")?.unwrap_or_default();
    if disk_list.len() > 21 {
        return Err(ApiError::limit("DataDisks", 21));
    }
    for (i, d) in disk_list.iter().enumerate() {
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
                msg::not_a(&t, &"data disk type", &"数据盘类型"),
            ));
        }
        if !(10..=32000).contains(&size) || size % 10 != 0 {
            return Err(ApiError::new(
                "InvalidParameterValue.Range",
                msg::data_disk_size(),
            ));
        }
        if t == "CLOUD_SSD" && size < 20 {
            return Err(ApiError::new(
                "InvalidParameterValue.CloudSsdDataDiskSizeTooSmall",
                msg::ssd_min_size(),
            ));
        }
        if d.str("SnapshotId")?.is_some() {
            return Err(ApiError::new(
                "InvalidParameter.SnapshotNotFound",
                msg::snapshot_not_found(),
            ));
        }
        let delete = d.bool("DeleteWithInstance")?.unwrap_or(true);
        let encryption = encryption(d, &format!("DataDisks.{i}"))?;
        data_disks.push((t, size, delete, encryption));
    }
    Ok((system_disk, data_disks))
}
