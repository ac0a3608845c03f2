//! After an action, the backend watches the affected instances with
//! DescribeInstancesStatus (≤100 ids a call) until they settle, and reports each state
//! change. The backend owns this polling so it shares the profile's rate budget with
//! everything else. A settled instance is described once more in full, so a failed
//! LatestOperation or LAUNCH_FAILED is reported with Tencent's message; a steady state
//! other than the expected one is described at once too, so a failed operation is
//! reported at the first poll that sees it rather than after the grace polls. When a
//! watch ends while the window is not focused, a desktop notification says how it went.

use crate::console::instances::{InstanceView, describe_ids, instance_view};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;
use tencent_api::models::cvm;
use tencent_api::{Client, chunk_ids};

/// One instance changed state (or left). The console streams it over the channel of the
/// action that caused it (a channel reaches only the page that asked, and needs no event
/// capability).
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
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
    let mut outcome = WatchOutcome {
        instances: pending.len(),
        ..Default::default()
    };
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
        // Steady, but not (yet) where the action leads: either the change has not begun
        // or the operation failed. The full description tells at once.
        let mut unsure = Vec::new();
        for id in &list {
            let state = states.get(id).cloned();
            if last.get(id) != Some(&state) {
                last.insert(id.clone(), state.clone());
                emit(change(id, state.clone()));
            }
            match state.as_deref() {
                None => settled.push(id.clone()),
                Some(s) if is_transient(s) => {}
                Some(s) if expected == Some(s) || polls >= cfg.grace_polls => {
                    settled.push(id.clone())
                }
                Some(_) => unsure.push(id.clone()),
            }
        }
        if settled.is_empty() && unsure.is_empty() {
            continue;
        }
        let present: Vec<String> = settled
            .iter()
            .chain(&unsure)
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
        settled.extend(unsure.into_iter().filter(|id| {
            described
                .iter()
                .any(|i| i.instance_id.as_deref() == Some(id.as_str()) && failure_of(i).is_some())
        }));
        for id in &settled {
            pending.remove(id);
            let full = described
                .iter()
                .find(|i| i.instance_id.as_deref() == Some(id.as_str()));
            let state = states.get(id).cloned();
            *outcome
                .states
                .entry(state.clone().unwrap_or_else(|| "GONE".into()))
                .or_default() += 1;
            if let Some(f) = full.and_then(failure_of) {
                outcome.failures.push(f);
            }
            emit(InstanceChange {
                state,
                instance: full.map(|i| InstanceView {
                    profile_id: profile_id.to_owned(),
                    ..instance_view(region, i)
                }),
                failure: full.and_then(failure_of),
                settled: true,
                ..change(id, None)
            });
        }
    }
    outcome.unsettled = pending.len();
    outcome.elapsed = started.elapsed();
    finished(&outcome);
    pending.into_iter().collect()
}

// ---------------------------------------------------------------- notifications

/// How a watch ended: the input of the "operation finished" desktop notification.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WatchOutcome {
    pub instances: usize,
    /// Final state → how many instances reached it (`GONE` for terminated ones).
    pub states: BTreeMap<String, usize>,
    /// LAUNCH_FAILED / failed LatestOperation messages.
    pub failures: Vec<String>,
    /// Still transitional when the watch gave up.
    pub unsettled: usize,
    pub elapsed: Duration,
}

/// Shorter operations end while the user is still looking; only longer ones notify.
pub const LONG_OPERATION: Duration = Duration::from_secs(3);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub title: String,
    pub body: String,
}

/// The desktop notification for a finished watch, or None: when the window has focus
/// (the user sees the change in the list), nothing happened, or it ended quickly.
pub fn notice_for(outcome: &WatchOutcome, window_focused: bool, zh: bool) -> Option<Notice> {
    if window_focused || outcome.instances == 0 || outcome.elapsed < LONG_OPERATION {
        return None;
    }
    let states: Vec<String> = outcome
        .states
        .iter()
        .map(|(s, n)| format!("{n} {s}"))
        .collect();
    let failed = !outcome.failures.is_empty();
    let title = match (failed, zh) {
        (true, false) => "CVM Console: an operation failed",
        (true, true) => "CVM Console：操作失败",
        (false, false) => "CVM Console: operation finished",
        (false, true) => "CVM Console：操作已完成",
    };
    let mut body = if zh {
        format!("{} 台实例：{}", outcome.instances, states.join("，"))
    } else {
        let s = if outcome.instances == 1 { "" } else { "s" };
        format!("{} instance{s}: {}", outcome.instances, states.join(", "))
    };
    if let Some(first) = outcome.failures.first() {
        body.push_str(if zh { "。" } else { ". " });
        body.push_str(first);
    }
    if outcome.unsettled > 0 {
        body.push_str(&if zh {
            format!("（{} 台仍在变化中）", outcome.unsettled)
        } else {
            format!(" ({} still changing)", outcome.unsettled)
        });
    }
    Some(Notice {
        title: title.to_owned(),
        body,
    })
}

/// What the app provides to notify: the main window's focus and the desktop's
/// notification service (absent under the tests).
pub trait Attention: Send + Sync {
    fn window_focused(&self) -> bool;
    fn notify(&self, notice: &Notice) -> Result<(), String>;
}

static ATTENTION: OnceLock<Box<dyn Attention>> = OnceLock::new();
static UI_ZH: Mutex<bool> = Mutex::new(false);

/// Installed once at start-up by the app (`crate::notify`).
pub fn set_attention(a: Box<dyn Attention>) {
    if ATTENTION.set(a).is_err() {
        tracing::warn!("notifications: attention installed twice");
    }
}

/// The UI's language, for notification texts.
pub fn set_ui_language(zh: bool) {
    *UI_ZH.lock().unwrap_or_else(|p| p.into_inner()) = zh;
}

/// Whether the UI shows Chinese (for the texts of notifications).
pub fn ui_zh() -> bool {
    *UI_ZH.lock().unwrap_or_else(|p| p.into_inner())
}

/// Decides and sends; a missing notification service is logged, never an error.
pub fn report_finished(attention: &dyn Attention, outcome: &WatchOutcome, zh: bool) -> bool {
    let Some(notice) = notice_for(outcome, attention.window_focused(), zh) else {
        return false;
    };
    match attention.notify(&notice) {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!("desktop notification not shown: {e}");
            false
        }
    }
}

fn finished(outcome: &WatchOutcome) {
    if let Some(a) = ATTENTION.get() {
        let zh = *UI_ZH.lock().unwrap_or_else(|p| p.into_inner());
        report_finished(a.as_ref(), outcome, zh);
    }
}
