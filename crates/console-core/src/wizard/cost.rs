//! The cost view: the estimated run-rate (per hour and per month) of a region's instances
//! or of several regions, by billing model. Prices come from the catalog
//! (DescribeZoneInstanceConfigInfos: one call per zone and billing model, cached for ten
//! minutes, so a refresh costs only the DescribeInstances pages):
//! - pay-as-you-go: the type's discounted hourly price;
//! - spot: the current market price per hour;
//! - monthly subscription: the one-month price, amortised (a month = 730 hours).
//!
//! Not charged: pay-as-you-go and spot instances stopped in STOP_CHARGING mode, instances
//! that failed to launch and ones in the recycle bin (SHUTDOWN / TERMINATING). Only the
//! instance itself is priced: disks, public bandwidth and traffic are not included.

use crate::console::instances::validate_region;
use crate::error::AppError;
use crate::locks::lock;
use crate::types::ChargeType;
use crate::wizard::catalog;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};
use tencent_api::Client;
use tencent_api::models::cvm;

pub const HOURS_PER_MONTH: f64 = 730.0;
const PRICE_TTL: Duration = Duration::from_secs(600);
pub const MAX_REGIONS: usize = 50;

#[derive(Clone, Debug, Default, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CostLine {
    /// PREPAID, POSTPAID_BY_HOUR or SPOTPAID (others are counted as `unpriced`).
    pub charge_type: String,
    pub instances: u32,
    /// Stopped in STOP_CHARGING mode, failed or in the recycle bin: cost nothing.
    pub not_charged: u32,
    /// Instances whose type has no catalog price in their zone.
    pub unpriced: u32,
    pub hourly: f64,
    pub monthly: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RegionCost {
    pub region: String,
    pub lines: Vec<CostLine>,
    pub hourly: f64,
    pub monthly: f64,
    /// The region could not be read (its error), the others still count.
    pub error: Option<AppError>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CostEstimate {
    pub regions: Vec<RegionCost>,
    /// All regions together, by billing model.
    pub lines: Vec<CostLine>,
    pub hourly: f64,
    pub monthly: f64,
    pub hours_per_month: f64,
}

fn r2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// (account key, region, zone, charge type) → type → (price, unit) with its time.
type PriceMap = HashMap<String, (f64, String)>;
type Cache = HashMap<(String, String, String, ChargeType), (Instant, PriceMap)>;

fn cache() -> &'static Mutex<Cache> {
    static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

async fn prices(
    client: &Client,
    cache_key: &str,
    region: &str,
    zone: &str,
    charge: ChargeType,
) -> Result<PriceMap, AppError> {
    let key = (
        cache_key.to_owned(),
        region.to_owned(),
        zone.to_owned(),
        charge,
    );
    if let Some((at, map)) = lock(cache()).get(&key)
        && at.elapsed() < PRICE_TTL
    {
        return Ok(map.clone());
    }
    let map: PriceMap = catalog::instance_types(client, region, zone, charge)
        .await?
        .into_iter()
        .map(|t| (t.instance_type, (t.price, t.price_unit)))
        .collect();
    lock(cache()).insert(key, (Instant::now(), map.clone()));
    Ok(map)
}

/// Whether the instance costs anything right now.
pub fn charged(i: &cvm::Instance) -> bool {
    let state = i.instance_state.as_deref().unwrap_or_default();
    let charge = i
        .instance_charge_type
        .as_deref()
        .and_then(ChargeType::parse);
    match state {
        "LAUNCH_FAILED" | "SHUTDOWN" | "TERMINATING" => false,
        "STOPPED" => {
            charge == Some(ChargeType::Prepaid)
                || i.stop_charging_mode.as_deref() != Some("STOP_CHARGING")
        }
        _ => true,
    }
}

/// (hourly, monthly) of one instance at a catalog price.
pub fn rate(charge: ChargeType, price: f64, unit: &str) -> (f64, f64) {
    if charge == ChargeType::Prepaid || unit == "MONTH" {
        (price / HOURS_PER_MONTH, price)
    } else {
        (price, price * HOURS_PER_MONTH)
    }
}

fn add(lines: &mut BTreeMap<String, CostLine>, other: &CostLine) {
    let l = lines
        .entry(other.charge_type.clone())
        .or_insert_with(|| CostLine {
            charge_type: other.charge_type.clone(),
            ..Default::default()
        });
    l.instances += other.instances;
    l.not_charged += other.not_charged;
    l.unpriced += other.unpriced;
    l.hourly += other.hourly;
    l.monthly += other.monthly;
}

fn rounded(lines: BTreeMap<String, CostLine>) -> Vec<CostLine> {
    lines
        .into_values()
        .map(|l| CostLine {
            hourly: r2(l.hourly),
            monthly: r2(l.monthly),
            ..l
        })
        .collect()
}

/// One region's run-rate. `cache_key` separates accounts in the price cache.
pub async fn region_cost(
    client: &Client,
    cache_key: &str,
    region: &str,
) -> Result<RegionCost, AppError> {
    validate_region(region)?;
    let instances = client
        .list_all(region, cvm::DescribeInstancesRequest::default())
        .await?;
    let mut lines: BTreeMap<String, CostLine> = BTreeMap::new();
    for i in &instances {
        let charge = i.instance_charge_type.clone().unwrap_or_default();
        let mut line = CostLine {
            charge_type: charge.clone(),
            instances: 1,
            ..Default::default()
        };
        // The account's own spelling is kept for the line: a billing model this app does
        // not know (or does not price, like CDH) is counted, unpriced.
        let priced = ChargeType::parse(&charge).filter(|c| catalog::CHARGE_TYPES.contains(c));
        if !charged(i) {
            line.not_charged = 1;
        } else if let Some(priced) = priced {
            let zone = i
                .placement
                .as_ref()
                .and_then(|p| p.zone.clone())
                .unwrap_or_default();
            let itype = i.instance_type.clone().unwrap_or_default();
            let table = prices(client, cache_key, region, &zone, priced).await?;
            match table.get(&itype) {
                Some((price, unit)) if *price > 0.0 => {
                    let (h, m) = rate(priced, *price, unit);
                    line.hourly = h;
                    line.monthly = m;
                }
                _ => line.unpriced = 1,
            }
        } else {
            line.unpriced = 1;
        }
        add(&mut lines, &line);
    }
    let lines = rounded(lines);
    Ok(RegionCost {
        region: region.to_owned(),
        hourly: r2(lines.iter().map(|l| l.hourly).sum()),
        monthly: r2(lines.iter().map(|l| l.monthly).sum()),
        lines,
        error: None,
    })
}

/// The run-rate of several regions; a region that fails is reported with its error and
/// the rest still add up.
pub async fn estimate(
    client: &Client,
    cache_key: &str,
    regions: &[String],
) -> Result<CostEstimate, AppError> {
    if regions.is_empty() {
        return Err(invalid_regions("choose at least one region"));
    }
    if regions.len() > MAX_REGIONS {
        return Err(invalid_regions("too many regions"));
    }
    for r in regions {
        validate_region(r)?;
    }
    let mut out = CostEstimate {
        hours_per_month: HOURS_PER_MONTH,
        ..Default::default()
    };
    let mut all: BTreeMap<String, CostLine> = BTreeMap::new();
    for r in regions {
        match region_cost(client, cache_key, r).await {
            Ok(c) => {
                for l in &c.lines {
                    add(&mut all, l);
                }
                out.regions.push(c);
            }
            Err(e) => out.regions.push(RegionCost {
                region: r.clone(),
                error: Some(e),
                ..Default::default()
            }),
        }
    }
    out.lines = rounded(all);
    out.hourly = r2(out.lines.iter().map(|l| l.hourly).sum());
    out.monthly = r2(out.lines.iter().map(|l| l.monthly).sum());
    Ok(out)
}

fn invalid_regions(msg: &str) -> AppError {
    crate::profiles::invalid("regions", msg)
}
