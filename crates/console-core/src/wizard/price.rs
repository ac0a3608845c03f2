//! Prices as the UI shows them, mapped from Tencent's `Price`/`ItemPrice`.
//!
//! Prepaid: `OriginalPrice` (list) and `DiscountPrice` (charged) for the whole period.
//! Postpaid and spot: `UnitPrice`/`UnitPriceDiscount` per `ChargeUnit` (HOUR, or GB for
//! traffic), tiered when the second/third steps are present (0–96 h, 96–360 h, >360 h).
//! InquiryPriceRunInstances prices all `InstanceCount` instances together; the per-instance
//! figure is derived by dividing, except per-GB traffic, which is a rate, not a total.

use crate::types::ChargeType;
use serde::Serialize;
use tencent_api::models::cvm;

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PriceStep {
    /// First hour of the step (0, 96, 360).
    pub from_hour: u32,
    /// Last hour (exclusive), None for the open-ended step.
    pub to_hour: Option<u32>,
    pub unit_price: f64,
    pub unit_price_discount: f64,
}

/// One priced item (the instances, or the public bandwidth).
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ItemPriceView {
    /// HOUR, GB or MONTH; None when Tencent did not say.
    pub charge_unit: Option<String>,
    /// Prepaid: list price and what is charged, for the whole period.
    pub original_price: Option<f64>,
    pub discount_price: Option<f64>,
    /// Percent of list (20.0 = 20 % of the list price).
    pub discount: Option<f64>,
    /// Postpaid/spot: per unit, tiered when Tencent returns steps.
    pub steps: Vec<PriceStep>,
}

impl ItemPriceView {
    pub fn is_zero(&self) -> bool {
        self.discount_price.unwrap_or(0.0) == 0.0
            && self.steps.iter().all(|s| s.unit_price_discount == 0.0)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PriceQuote {
    pub charge_type: ChargeType,
    pub count: u32,
    /// For all `count` instances.
    pub instance: ItemPriceView,
    pub bandwidth: ItemPriceView,
    /// The instance price of one instance (total ÷ count): prepaid charged price for the
    /// period, or the first-step hourly price.
    pub per_instance: f64,
    /// What is due now: the prepaid total (instances + prepaid bandwidth), or the first
    /// hour for pay-as-you-go (instances + hourly bandwidth; per-GB traffic is extra).
    pub total_now: f64,
    pub request_id: Option<String>,
}

fn r2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

pub fn item_view(p: Option<&cvm::ItemPrice>) -> ItemPriceView {
    let Some(p) = p else {
        return ItemPriceView {
            charge_unit: None,
            original_price: None,
            discount_price: None,
            discount: None,
            steps: Vec::new(),
        };
    };
    let mut steps = Vec::new();
    if p.unit_price.is_some() || p.unit_price_discount.is_some() {
        let first_list = p.unit_price.unwrap_or(0.0);
        let first = p.unit_price_discount.unwrap_or(first_list);
        let second = p
            .unit_price_second_step
            .or(p.unit_price_discount_second_step)
            .filter(|v| *v > 0.0);
        if let Some(second_list) = second {
            steps.push(PriceStep {
                from_hour: 0,
                to_hour: Some(96),
                unit_price: first_list,
                unit_price_discount: first,
            });
            let third_list = p.unit_price_third_step.filter(|v| *v > 0.0);
            steps.push(PriceStep {
                from_hour: 96,
                to_hour: third_list.map(|_| 360),
                unit_price: second_list,
                unit_price_discount: p.unit_price_discount_second_step.unwrap_or(second_list),
            });
            if let Some(third_list) = third_list {
                steps.push(PriceStep {
                    from_hour: 360,
                    to_hour: None,
                    unit_price: third_list,
                    unit_price_discount: p.unit_price_discount_third_step.unwrap_or(third_list),
                });
            }
        } else {
            steps.push(PriceStep {
                from_hour: 0,
                to_hour: None,
                unit_price: first_list,
                unit_price_discount: first,
            });
        }
    }
    let prepaid =
        p.original_price.is_some_and(|v| v > 0.0) || p.discount_price.is_some_and(|v| v > 0.0);
    ItemPriceView {
        charge_unit: p.charge_unit.clone(),
        original_price: p.original_price.filter(|_| prepaid),
        discount_price: p.discount_price.filter(|_| prepaid),
        discount: p.discount.filter(|_| prepaid),
        steps: if prepaid && p.unit_price.unwrap_or(0.0) == 0.0 {
            Vec::new()
        } else {
            steps
        },
    }
}

/// Maps an InquiryPriceRunInstances answer for `count` instances of `charge_type`.
pub fn quote(
    charge_type: ChargeType,
    count: u32,
    price: Option<&cvm::Price>,
    request_id: Option<String>,
) -> PriceQuote {
    let instance = item_view(price.and_then(|p| p.instance_price.as_ref()));
    let bandwidth = item_view(price.and_then(|p| p.bandwidth_price.as_ref()));
    let n = f64::from(count.max(1));
    let instance_now = if charge_type == ChargeType::Prepaid {
        instance.discount_price.unwrap_or(0.0)
    } else {
        instance
            .steps
            .first()
            .map(|s| s.unit_price_discount)
            .unwrap_or(0.0)
    };
    let bandwidth_now = match bandwidth.charge_unit.as_deref() {
        Some("GB") => 0.0,
        _ => bandwidth.discount_price.unwrap_or_else(|| {
            bandwidth
                .steps
                .first()
                .map(|s| s.unit_price_discount)
                .unwrap_or(0.0)
        }),
    };
    PriceQuote {
        charge_type,
        count,
        per_instance: r2(instance_now / n),
        total_now: r2(instance_now + bandwidth_now),
        instance,
        bandwidth,
        request_id,
    }
}
