//! CVM actions (service `cvm`, version 2017-03-12), one module per topic. What several
//! topics share (durations, batch lookups, the state rule) is here.

pub mod attributes;
pub mod billing;
pub mod describe;
pub mod images;
pub mod key_pair_binding;
pub mod key_pairs;
pub mod launch;
pub mod lifecycle;
pub mod password;
pub mod regions;
pub mod resize;
pub mod security_groups;
pub mod templates;
pub mod terminate;
pub mod vnc;

use crate::error::{ApiError, ApiResult};
use crate::msg;
use crate::params::Params;
use crate::toolkit::{Env, lookup_instances};
use crate::world::{Instance, RegionState, State};

/// The members of an `InternetAccessible` object (launches and bandwidth changes).
pub const INTERNET_ACCESSIBLE: &[&str] = &[
    "InternetChargeType",
    "InternetMaxBandwidthOut",
    "PublicIpAssigned",
    "BandwidthPackageId",
    "InternetServiceProvider",
    "IPv4AddressType",
    "IPv6AddressType",
    "AntiDDoSPackageId",
];

/// Realistic durations (ms) at time scale 1.
pub const PENDING_MS: i64 = 20_000;
pub const STARTING_MS: i64 = 15_000;
pub const STOPPING_MS: i64 = 15_000;
pub const HARD_STOP_MS: i64 = 5_000;
pub const REBOOTING_MS: i64 = 20_000;
pub const TERMINATING_MS: i64 = 10_000;
pub const RESIZE_MS: i64 = 30_000;
pub const QUICK_MS: i64 = 3_000;

pub fn scaled(env: &Env, ms: i64) -> i64 {
    env.ctx.clock.scaled(ms)
}

pub fn base64_ok(s: &str) -> bool {
    let t = s.trim_end_matches('=');
    s.len().is_multiple_of(4)
        && s.len() - t.len() <= 2
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

/// Batch lookup plus the common "every instance must be in one of these states" rule.
pub fn targets(env: &mut Env, p: &Params, max: usize) -> ApiResult<Vec<String>> {
    let ids = p.str_list_req("InstanceIds")?;
    let r = env.region();
    lookup_instances(r, &ids, max)?;
    Ok(ids)
}

pub fn each<'r>(r: &'r RegionState, ids: &[String]) -> impl Iterator<Item = &'r Instance> {
    ids.iter().filter_map(|id| r.get(id))
}

pub fn fuzzy(hay: &str, values: &[String]) -> bool {
    let hay = hay.to_lowercase();
    values.iter().any(|v| hay.contains(&v.to_lowercase()))
}

/// `UnsupportedOperation.InstanceState…` unless the instance is in one of `ok`;
/// `OperationDenied.InstanceOperationInProgress` while an earlier operation on a steady
/// instance (a resize, a charge-type switch) is still running.
pub fn require_state(i: &Instance, ok: &[State]) -> ApiResult<()> {
    if !ok.contains(&i.state) {
        return Err(ApiError::state(i.state.camel(), &i.id));
    }
    if i.busy() {
        return Err(ApiError::new(
            "OperationDenied.InstanceOperationInProgress",
            msg::operation_in_progress(&i.id),
        ));
    }
    Ok(())
}
