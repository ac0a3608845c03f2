//! One action for many instances: calls of at most the action's per-call limit, sent one
//! at a time, and one result per instance in the report.

use crate::console::activity::with_targets;
use crate::error::AppError;
use serde::Serialize;
use std::future::Future;
use std::pin::Pin;
use tencent_api::chunk_ids;

/// How one instance fared in an action.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct InstanceResult {
    pub instance_id: String,
    pub ok: bool,
    /// The RequestId of the call that carried this instance (success or failure).
    pub request_id: Option<String>,
    pub error: Option<AppError>,
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ActionReport {
    /// The API action, e.g. `StopInstances`.
    pub action: String,
    pub region: String,
    pub results: Vec<InstanceResult>,
    pub succeeded: u32,
    pub failed: u32,
}

/// One call's answer: its RequestId, or the API's refusal.
pub type Sent<'a> =
    Pin<Box<dyn Future<Output = Result<Option<String>, tencent_api::Error>> + Send + 'a>>;

impl ActionReport {
    /// The report of `action` in `region`, counting the results.
    pub fn new(action: &str, region: &str, results: Vec<InstanceResult>) -> Self {
        let succeeded = results.iter().filter(|r| r.ok).count() as u32;
        ActionReport {
            action: action.to_owned(),
            region: region.to_owned(),
            failed: results.len() as u32 - succeeded,
            succeeded,
            results,
        }
    }
}

/// The result of one call for each of its instances: the call's RequestId, or its error.
pub fn results_of(
    ids: &[String],
    r: Result<Option<String>, tencent_api::Error>,
) -> Vec<InstanceResult> {
    let err = r.as_ref().err().map(AppError::from);
    let request_id = match &r {
        Ok(id) => id.clone(),
        Err(_) => err.as_ref().and_then(|e| e.request_id.clone()),
    };
    ids.iter()
        .map(|id| InstanceResult {
            instance_id: id.clone(),
            ok: err.is_none(),
            request_id: request_id.clone(),
            error: err.clone(),
        })
        .collect()
}

/// Sends `action` for `ids` in chunks of its per-call limit, one call at a time. A chunk's
/// answer is each of its instances'; when `split` says a failed chunk's refusal is about
/// particular instances, its ids are sent again one by one to tell which.
pub async fn per_chunk<'a>(
    action: &str,
    ids: &[String],
    split: impl Fn(&tencent_api::Error) -> bool,
    mut send: impl FnMut(Vec<String>) -> Sent<'a>,
) -> Vec<InstanceResult> {
    let mut results = Vec::with_capacity(ids.len());
    for chunk in chunk_ids(action, ids) {
        // Each call's instances go into the activity log as its targets.
        match with_targets(chunk.to_vec(), send(chunk.to_vec())).await {
            Err(e) if chunk.len() > 1 && split(&e) => {
                for id in chunk {
                    let r = with_targets(vec![id.clone()], send(vec![id.clone()])).await;
                    results.extend(results_of(std::slice::from_ref(id), r));
                }
            }
            r => results.extend(results_of(chunk, r)),
        }
    }
    results
}

/// For `per_chunk`: a failed chunk is every instance's failure.
pub fn never_split(_: &tencent_api::Error) -> bool {
    false
}
