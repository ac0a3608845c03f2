//! Billing operations on existing instances: pay-as-you-go → monthly subscription
//! (ModifyInstancesChargeType, ≤20 instances a call), renewal (RenewInstances) and the
//! auto-renew flag. Changes that cost money are priced first, and the change is sent
//! only when the price the user accepted is still the price Tencent quotes.

use crate::console::batch::{self, Sent};
use crate::console::instances::{ActionReport, validate_ids, validate_region};
use crate::error::AppError;
use crate::profiles::invalid;
use crate::types::{ChargeType, RenewFlag};
use crate::wizard::price::{ItemPriceView, item_view};
use crate::wizard::spec::PERIODS;
use serde::Serialize;
use tencent_api::models::cvm;
use tencent_api::{Client, chunk_ids};

pub fn validate_period(period: u32) -> Result<(), AppError> {
    if PERIODS.contains(&period) {
        Ok(())
    } else {
        Err(invalid(
            "period",
            "the period is 1–12, 24, 36, 48 or 60 months",
        ))
    }
}

/// A price over several calls, summed.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BillingQuote {
    /// ModifyInstancesChargeType or RenewInstances.
    pub action: String,
    pub instance_count: u32,
    pub period: u32,
    pub original_price: f64,
    /// What will be charged; pass it back as `acceptedPrice` to go ahead.
    pub discount_price: f64,
    /// Per call, as Tencent answered.
    pub parts: Vec<ItemPriceView>,
}

fn r2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn prepaid(period: u32, flag: Option<RenewFlag>) -> cvm::InstanceChargePrepaid {
    cvm::InstanceChargePrepaid {
        period: Some(i64::from(period)),
        renew_flag: flag.map(|f| f.as_str().to_owned()),
    }
}

fn sum(action: &str, ids: usize, period: u32, parts: Vec<ItemPriceView>) -> BillingQuote {
    BillingQuote {
        action: action.into(),
        instance_count: ids as u32,
        period,
        original_price: r2(parts.iter().filter_map(|p| p.original_price).sum()),
        discount_price: r2(parts.iter().filter_map(|p| p.discount_price).sum()),
        parts,
    }
}

/// Prices `action` for `ids` one chunk (its per-call limit) at a time: each chunk's
/// instance price, as Tencent answered. The first refusal stops it.
async fn quote_chunks<F, Fut>(
    action: &str,
    ids: &[String],
    mut quote: F,
) -> Result<Vec<ItemPriceView>, AppError>
where
    F: FnMut(Vec<String>) -> Fut,
    Fut: Future<Output = Result<Option<cvm::Price>, AppError>>,
{
    let mut parts = Vec::new();
    for chunk in chunk_ids(action, ids) {
        let price = quote(chunk.to_vec()).await?;
        parts.push(item_view(
            price.as_ref().and_then(|p| p.instance_price.as_ref()),
        ));
    }
    Ok(parts)
}

/// Prices turning pay-as-you-go instances into a monthly subscription of `period` months.
pub async fn quote_to_prepaid(
    client: &Client,
    region: &str,
    ids: &[String],
    period: u32,
) -> Result<BillingQuote, AppError> {
    validate_region(region)?;
    validate_period(period)?;
    let ids = validate_ids(ids)?;
    let action = "ModifyInstancesChargeType";
    let parts = quote_chunks(action, &ids, |chunk| {
        let req = cvm::InquiryPriceModifyInstancesChargeTypeRequest {
            instance_ids: Some(chunk),
            instance_charge_type: Some(ChargeType::Prepaid.as_str().into()),
            instance_charge_prepaid: Some(prepaid(period, None)),
            ..Default::default()
        };
        async move {
            let r = client
                .inquiry_price_modify_instances_charge_type(region, &req)
                .await?;
            Ok(r.price)
        }
    })
    .await?;
    Ok(sum(action, ids.len(), period, parts))
}

/// Prices renewing prepaid instances by `period` months.
pub async fn quote_renew(
    client: &Client,
    region: &str,
    ids: &[String],
    period: u32,
) -> Result<BillingQuote, AppError> {
    validate_region(region)?;
    validate_period(period)?;
    let ids = validate_ids(ids)?;
    let action = "RenewInstances";
    let parts = quote_chunks(action, &ids, |chunk| {
        let req = cvm::InquiryPriceRenewInstancesRequest {
            instance_ids: Some(chunk),
            instance_charge_prepaid: Some(prepaid(period, None)),
            ..Default::default()
        };
        async move {
            Ok(client
                .inquiry_price_renew_instances(region, &req)
                .await?
                .price)
        }
    })
    .await?;
    Ok(sum(action, ids.len(), period, parts))
}

/// Turns pay-as-you-go instances into a monthly subscription, ≤20 a call, after checking
/// the price is still `accepted_price`.
pub async fn to_prepaid(
    client: &Client,
    region: &str,
    ids: &[String],
    period: u32,
    renew_flag: RenewFlag,
    accepted_price: f64,
) -> Result<ActionReport, AppError> {
    let q = quote_to_prepaid(client, region, ids, period).await?;
    crate::consent::check_price(q.discount_price, accepted_price)?;
    let ids = validate_ids(ids)?;
    Ok(
        per_chunk(region, &ids, "ModifyInstancesChargeType", |chunk| {
            let req = cvm::ModifyInstancesChargeTypeRequest {
                instance_ids: Some(chunk),
                instance_charge_type: Some(ChargeType::Prepaid.as_str().into()),
                instance_charge_prepaid: Some(prepaid(period, Some(renew_flag))),
                ..Default::default()
            };
            Box::pin(async move {
                client
                    .modify_instances_charge_type(region, &req)
                    .await
                    .map(|r| r.request_id)
            })
        })
        .await,
    )
}

/// Renews prepaid instances by `period` months after checking the price.
pub async fn renew(
    client: &Client,
    region: &str,
    ids: &[String],
    period: u32,
    accepted_price: f64,
) -> Result<ActionReport, AppError> {
    let q = quote_renew(client, region, ids, period).await?;
    crate::consent::check_price(q.discount_price, accepted_price)?;
    let ids = validate_ids(ids)?;
    Ok(per_chunk(region, &ids, "RenewInstances", |chunk| {
        let req = cvm::RenewInstancesRequest {
            instance_ids: Some(chunk),
            instance_charge_prepaid: Some(prepaid(period, None)),
            ..Default::default()
        };
        Box::pin(async move {
            client
                .renew_instances(region, &req)
                .await
                .map(|r| r.request_id)
        })
    })
    .await)
}

/// Sets the renewal flag of prepaid instances.
pub async fn set_renew_flag(
    client: &Client,
    region: &str,
    ids: &[String],
    flag: RenewFlag,
) -> Result<ActionReport, AppError> {
    validate_region(region)?;
    let ids = validate_ids(ids)?;
    Ok(
        per_chunk(region, &ids, "ModifyInstancesRenewFlag", |chunk| {
            let req = cvm::ModifyInstancesRenewFlagRequest {
                instance_ids: Some(chunk),
                renew_flag: Some(flag.as_str().into()),
            };
            Box::pin(async move {
                client
                    .modify_instances_renew_flag(region, &req)
                    .await
                    .map(|r| r.request_id)
            })
        })
        .await,
    )
}

/// `action` for `ids` in chunks, one call at a time; a chunk's failure is each of its
/// instances'.
async fn per_chunk<'a>(
    region: &str,
    ids: &[String],
    action: &str,
    send: impl FnMut(Vec<String>) -> Sent<'a>,
) -> ActionReport {
    let results = batch::per_chunk(action, ids, batch::never_split, send).await;
    ActionReport::new(action, region, results)
}
