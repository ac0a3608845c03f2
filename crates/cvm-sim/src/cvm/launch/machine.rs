//! A launch's machine: image, instance type (with stock in the zone), spot bid and disks.

use crate::catalog::{self, Image, InstanceType, Stock, ZoneInfo};
use crate::error::{ApiError, ApiResult};
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
            format!("The image id `{image_id}` is malformed."),
        ));
    }
    let image = crate::cvm::images::launch_image(env, &image_id)?;
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
                    && catalog::stock(zone, t) == Stock::Sell
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
    match catalog::stock(zone, &itype) {
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
        if charge != ChargeType::Spotpaid {
            return Err(ApiError::new(
                "InvalidParameterCombination",
                "`InstanceMarketOptions` needs InstanceChargeType SPOTPAID.",
            ));
        }
        spot_max = Some(max);
    }
    if charge == ChargeType::Spotpaid {
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
        let market = catalog::spot_hourly(itype);
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
    Ok(spot_max)
}

/// A disk to create: type and size in GiB.
pub type DiskSpec = (String, i64);
/// A data disk to create: type, size in GiB, deleted with the instance.
pub type DataDiskSpec = (String, i64, bool);

/// The system disk (type, GiB) and data disks (type, GiB, deleted with the instance).
pub fn disks(p: &Params, image: &Image) -> ApiResult<(DiskSpec, Vec<DataDiskSpec>)> {
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
    Ok((system_disk, data_disks))
}
