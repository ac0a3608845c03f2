//! After an action, the backend watches the affected instances with
//! DescribeInstancesStatus (≤100 ids a call) until they settle, and reports each state
//! change. The backend owns this polling so it shares the profile's rate budget with
//! everything else. A settled instance is described once more in full, so a failed
//! LatestOperation or LAUNCH_FAILED is reported with Tencent's message.

use crate::console::instances::{InstanceView, describe_ids, instance_view};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::time::Duration;
use tencent_api::models::cvm;
use tencent_api::{Client, chunk_ids};

/// One instance changed state (or left). The console streams it over the action's
/// channel; it is also a tauri-specta event (`instance-change`) for other emitters, but
/// listening to events needs `core:event:allow-listen`, which the capability does not grant.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct InstanceChange {
    pub profile_id: String,
    pub region: String,
    pub instance_id: String,
    /// None once the instance is gone (terminated).
    pub state: Option<String>,
    /// The full row, sent when the instance has settled.
    pub instance: Option<InstanceView>,
    /// Why the last operation failed (LAUNCH_FAILED or LatestOperationState FAILED).
    pub failure: Option<String>,
    /// No further change is expected; watching has stopped for this instance.
    pub settled: bool,
}

#[derive(Clone, Copy, Debug)]
pub struct WatchConfig {
    pub interval: Duration,
    /// Give up after this long (the last known state stays shown).
    pub max: Duration,
    /// A steady state other than the expected one counts as settled only after this many
    /// polls (the change may not have begun at the first poll).
    pub grace_polls: u32,
}

impl Default for WatchConfig {
    fn default() -> Self {
        WatchConfig {
            interval: Duration::from_millis(1500),
            max: Duration::from_secs(15 * 60),
            grace_polls: 3,
        }
    }
}

/// States an instance passes through on its way somewhere else (reference §6.1).
pub fn is_transient(state: &str) -> bool {
    matches!(
        state,
        "PENDING"
            | "STARTING"
            | "STOPPING"
            | "REBOOTING"
            | "TERMINATING"
            | "ENTER_RESCUE_MODE"
            | "EXIT_RESCUE_MODE"
            | "ENTER_SERVICE_LIVE_MIGRATE"
            | "SERVICE_LIVE_MIGRATE"
            | "EXIT_SERVICE_LIVE_MIGRATE"
    )
}

fn failure_of(i: &cvm::Instance) -> Option<String> {
    let msg = i
        .latest_operation_error_msg
        .clone()
        .filter(|m| !m.is_empty());
    if i.instance_state.as_deref() == Some("LAUNCH_FAILED") {
        return Some(msg.unwrap_or_else(|| "the instance failed to launch".into()));
    }
    if i.latest_operation_state.as_deref() == Some("FAILED") {
        let op = i.latest_operation.clone().unwrap_or_default();
        return Some(msg.unwrap_or_else(|| format!("{op} failed")));
    }
    None
}

/// Polls until every id has settled (or `cfg.max` passed), calling `emit` for every
/// change and once per instance when it settles. Returns the ids still unsettled.
pub async fn watch(
    client: &Client,
    profile_id: &str,
    region: &str,
    ids: Vec<String>,
    expected: Option<&str>,
    cfg: WatchConfig,
    emit: impl Fn(InstanceChange),
) -> Vec<String> {
    let started = tokio::time::Instant::now();
    let mut pending: BTreeSet<String> = ids.into_iter().collect();
    let mut last: HashMap<String, Option<String>> = HashMap::new();
    let mut polls = 0u32;
    let mut errors = 0u32;
    let change = |id: &str, state: Option<String>| InstanceChange {
        profile_id: profile_id.to_owned(),
        region: region.to_owned(),
        instance_id: id.to_owned(),
        state,
        instance: None,
        failure: None,
        settled: false,
    };
    while !pending.is_empty() && started.elapsed() < cfg.max {
        tokio::time::sleep(cfg.interval).await;
        polls += 1;
        let list: Vec<String> = pending.iter().cloned().collect();
        let mut states: HashMap<String, String> = HashMap::new();
        let mut failed = false;
        for chunk in chunk_ids("DescribeInstancesStatus", &list) {
            let req = cvm::DescribeInstancesStatusRequest {
                instance_ids: Some(chunk.to_vec()),
                limit: Some(100),
                ..Default::default()
            };
            match client.describe_instances_status(region, &req).await {
                Ok(out) => states.extend(
                    out.instance_status_set
                        .unwrap_or_default()
                        .into_iter()
                        .filter_map(|s| Some((s.instance_id?, s.instance_state?))),
                ),
                Err(e) => {
                    tracing::warn!(code = e.code(), "status watch: {}", e.message());
                    failed = true;
                    break;
                }
            }
        }
        if failed {
            errors += 1;
            if errors >= 5 {
                break;
            }
            continue;
        }
        errors = 0;
        let mut settled = Vec::new();
        for id in &list {
            let state = states.get(id).cloned();
            if last.get(id) != Some(&state) {
                last.insert(id.clone(), state.clone());
                emit(change(id, state.clone()));
            }
            let done = match state.as_deref() {
                None => true,
                Some(s) if is_transient(s) => false,
                Some(s) => expected == Some(s) || polls >= cfg.grace_polls,
            };
            if done {
                settled.push(id.clone());
            }
        }
        if settled.is_empty() {
            continue;
        }
        let present: Vec<String> = settled
            .iter()
            .filter(|id| states.contains_key(*id))
            .cloned()
            .collect();
        let described = if present.is_empty() {
            Vec::new()
        } else {
            describe_ids(client, region, &present)
                .await
                .unwrap_or_default()
        };
        for id in &settled {
            pending.remove(id);
            let full = described
                .iter()
                .find(|i| i.instance_id.as_deref() == Some(id.as_str()));
            emit(InstanceChange {
                state: states.get(id).cloned(),
                instance: full.map(|i| instance_view(region, i)),
                failure: full.and_then(failure_of),
                settled: true,
                ..change(id, None)
            });
        }
    }
    pending.into_iter().collect()
}
