//! Prices. One formula serves DescribeZoneInstanceConfigInfos and every InquiryPrice*
//! action, so they agree: the instance part of an inquiry is the catalog price times the
//! count, plus disks.

use crate::catalog::{self, InstanceType, round2};
use serde_json::{Value, json};

/// Postpaid hourly price with the tiered steps (0–96 h, 96–360 h, >360 h).
pub fn postpaid(hourly: f64) -> Value {
    let h = round2(hourly);
    json!({
        "UnitPrice": h, "UnitPriceDiscount": h,
        "UnitPriceSecondStep": round2(hourly * 0.6), "UnitPriceDiscountSecondStep": round2(hourly * 0.6),
        "UnitPriceThirdStep": round2(hourly * 0.5), "UnitPriceDiscountThirdStep": round2(hourly * 0.5),
        "ChargeUnit": "HOUR"
    })
}

/// Prepaid price for `period` months of something costing `monthly` per month.
pub fn prepaid(monthly: f64, period: i64) -> Value {
    let d = catalog::prepaid_discount(period);
    let year = |months: i64| {
        let disc = catalog::prepaid_discount(months);
        (
            round2(monthly * months as f64),
            round2(monthly * months as f64 * disc / 100.0),
            disc,
        )
    };
    let (o1, d1, c1) = year(12);
    let (o3, d3, c3) = year(36);
    let (o5, d5, c5) = year(60);
    json!({
        "OriginalPrice": round2(monthly * period as f64),
        "DiscountPrice": round2(monthly * period as f64 * d / 100.0),
        "Discount": d,
        "OriginalPriceOneYear": o1, "DiscountPriceOneYear": d1, "DiscountOneYear": c1,
        "OriginalPriceThreeYear": o3, "DiscountPriceThreeYear": d3, "DiscountThreeYear": c3,
        "OriginalPriceFiveYear": o5, "DiscountPriceFiveYear": d5, "DiscountFiveYear": c5,
        "ChargeUnit": "MONTH"
    })
}

/// What is actually charged for a prepaid period.
pub fn prepaid_charge(monthly: f64, period: i64) -> f64 {
    round2(monthly * period as f64 * catalog::prepaid_discount(period) / 100.0)
}

pub fn spot(t: &InstanceType, extra_hourly: f64) -> Value {
    json!({
        "UnitPrice": round2(t.hourly() + extra_hourly),
        "UnitPriceDiscount": round2(catalog::spot_hourly(t) + extra_hourly),
        "Discount": 20.0,
        "ChargeUnit": "HOUR"
    })
}

/// The catalog price of a type for a billing model (DescribeZoneInstanceConfigInfos).
pub fn type_price(t: &InstanceType, charge: &str) -> Value {
    match charge {
        "PREPAID" => prepaid(t.monthly(), 1),
        "SPOTPAID" => spot(t, 0.0),
        _ => postpaid(t.hourly()),
    }
}

/// Disks per month (their hourly price is monthly / 720 × 1.1).
pub fn disks_monthly(disks: &[(String, i64)]) -> f64 {
    disks
        .iter()
        .map(|(t, s)| catalog::disk_monthly_per_gb(t) * *s as f64)
        .sum()
}

pub fn disks_hourly(disks: &[(String, i64)]) -> f64 {
    disks_monthly(disks) / 720.0 * 1.1
}

/// Public bandwidth price for a network billing model and Mbps.
pub fn bandwidth(charge: &str, mbps: i64, period: i64) -> Value {
    let m = mbps.max(0) as f64;
    match charge {
        "TRAFFIC_POSTPAID_BY_HOUR" => {
            json!({"UnitPrice": 0.8, "UnitPriceDiscount": 0.8, "ChargeUnit": "GB"})
        }
        "BANDWIDTH_POSTPAID_BY_HOUR" => {
            let h = round2(if m <= 5.0 {
                0.063 * m
            } else {
                0.315 + (m - 5.0) * 0.25
            });
            json!({"UnitPrice": h, "UnitPriceDiscount": h, "ChargeUnit": "HOUR"})
        }
        "BANDWIDTH_PREPAID" => prepaid(bandwidth_monthly(mbps), period),
        _ => json!({"UnitPrice": 0.0, "UnitPriceDiscount": 0.0, "ChargeUnit": "HOUR"}),
    }
}

pub fn bandwidth_monthly(mbps: i64) -> f64 {
    let m = mbps.max(0) as f64;
    if m <= 5.0 {
        23.0 * m
    } else {
        115.0 + (m - 5.0) * 80.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_and_discounts() {
        let t = catalog::instance_type("S5.MEDIUM4").unwrap();
        let p = postpaid(t.hourly());
        assert!(p["UnitPriceSecondStep"].as_f64().unwrap() < p["UnitPrice"].as_f64().unwrap());
        let y = prepaid(100.0, 12);
        assert_eq!(y["OriginalPrice"], 1200.0);
        assert_eq!(y["DiscountPrice"], 996.0);
        assert_eq!(prepaid_charge(100.0, 12), 996.0);
        assert!(spot(&t, 0.0)["UnitPriceDiscount"].as_f64().unwrap() < t.hourly());
    }
}
