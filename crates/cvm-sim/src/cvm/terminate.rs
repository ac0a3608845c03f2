//! InquiryPriceTerminateInstances: what returning prepaid instances would refund.
//!
//! The refund is the unused part of the paid period at the monthly price (instance and
//! disks), pro rata by day; an instance already in the recycle bin was refunded when it
//! went there, so a second terminate refunds nothing. Postpaid instances have nothing to
//! refund and are refused like the other prepaid-only inquiries
//! (`UnsupportedOperation.InstanceChargeType`).

use super::require_state;
use crate::catalog::{self, round2};
use crate::error::{ApiError, ApiResult};
use crate::msg::{self};
use crate::params::Params;
use crate::price;
use crate::toolkit::{Env, lookup_instances};
use crate::world::{ChargeType, State};
use serde_json::{Value, json};

const DAY_MS: i64 = 86_400_000;

pub fn inquiry_price_terminate_instances(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["InstanceIds"])?;
    let ids = p.str_list_req("InstanceIds")?;
    let now = env.ctx.now;
    let r = env.region();
    let instances = lookup_instances(r, &ids, 100)?;
    let mut set = Vec::with_capacity(instances.len());
    for i in &instances {
        if i.charge_type != ChargeType::Prepaid {
            return Err(ApiError::new(
                "UnsupportedOperation.InstanceChargeType",
                msg::nothing_to_refund(&i.id),
            ));
        }
        require_state(i, &[State::Running, State::Stopped, State::Shutdown])?;
        let (refund, detail) = if i.state == State::Shutdown {
            (
                0.0,
                "already in the recycle bin: refunded when it was returned".to_owned(),
            )
        } else {
            let disks: Vec<(String, i64)> =
                std::iter::once((i.system_disk_type.clone(), i.system_disk_size))
                    .chain(
                        i.data_disks
                            .iter()
                            .map(|d| (d.disk_type.clone(), d.disk_size)),
                    )
                    .collect();
            let monthly = catalog::instance_type(&i.instance_type).map_or(0.0, |t| t.monthly())
                + price::disks_monthly(&disks);
            let days = (i.expired_ms.unwrap_or(now) - now).max(0) / DAY_MS;
            (
                round2(monthly * days as f64 / 30.0),
                format!("{days} unused day(s) at {monthly:.2} CNY a month"),
            )
        };
        set.push(json!({"InstanceId": i.id, "Refunds": refund, "PriceDetail": detail}));
    }
    Ok(json!({"InstanceRefundsSet": set}))
}
