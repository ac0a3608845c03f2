//! Resources around instances, Tauri-free: changing an instance's type and bandwidth,
//! security groups, elastic IPs, key pairs and images. The commands in
//! `commands/resources.rs` resolve the profile and call these; everything here validates
//! its input (naming the field) before any call is sent.

pub mod addresses;
pub mod images;
pub mod key_pairs;
pub mod resize;
pub mod security_groups;
#[cfg(test)]
mod tests;

use crate::error::AppError;
use serde::Serialize;
use tencent_api::models::cvm;

/// A price as Tencent quotes it: postpaid items carry a unit price per `chargeUnit`
/// (HOUR, GB); prepaid items an original and a discounted total.
#[derive(Clone, Debug, Default, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PriceView {
    pub unit_price: Option<f64>,
    pub unit_price_discount: Option<f64>,
    pub charge_unit: Option<String>,
    pub original_price: Option<f64>,
    pub discount_price: Option<f64>,
}

impl PriceView {
    /// The figure the user is charged and accepts: the prepaid discounted price, else the
    /// discounted unit price.
    pub fn charged(&self) -> f64 {
        self.discount_price
            .or(self.unit_price_discount)
            .unwrap_or(0.0)
    }
}

pub fn price_view(p: Option<&cvm::ItemPrice>) -> PriceView {
    let Some(p) = p else {
        return PriceView::default();
    };
    PriceView {
        unit_price: p.unit_price,
        unit_price_discount: p.unit_price_discount,
        charge_unit: p.charge_unit.clone(),
        original_price: p.original_price,
        discount_price: p.discount_price,
    }
}

/// A local refusal about the state of something (not the input's format): one of the
/// app's codes, or Tencent's own where the refusal stands in for the API's.
pub fn conflict(
    code: impl Into<String>,
    field: Option<&str>,
    message: impl Into<String>,
) -> AppError {
    let e = AppError::conflict(code, message);
    match field {
        Some(f) => e.with_field(f),
        None => e,
    }
}

/// An empty confirmation is refused before anything is looked up or sent.
pub fn require_confirmation(confirm: &str) -> Result<(), AppError> {
    if confirm.trim().is_empty() {
        return Err(crate::profiles::invalid(
            "confirm",
            "type the name or id of what goes to confirm",
        ));
    }
    Ok(())
}

/// The typed confirmation a destructive action needs: it must name the resource.
pub fn check_confirmation(confirm: &str, accepted: &[&str]) -> Result<(), AppError> {
    let c = confirm.trim();
    if c.is_empty() || !accepted.contains(&c) {
        return Err(crate::profiles::invalid(
            "confirm",
            format!(
                "type {} to confirm",
                accepted.first().copied().unwrap_or("")
            ),
        ));
    }
    Ok(())
}

pub fn clamp_u32(n: Option<i64>) -> u32 {
    n.and_then(|n| u32::try_from(n).ok()).unwrap_or(0)
}

pub fn vpc_filter(name: &str, values: Vec<String>) -> tencent_api::models::vpc::Filter {
    tencent_api::models::vpc::Filter {
        name: Some(name.into()),
        values: Some(values),
    }
}

pub fn cvm_filter(name: &str, values: Vec<String>) -> cvm::Filter {
    cvm::Filter {
        name: Some(name.into()),
        values: Some(values),
    }
}
