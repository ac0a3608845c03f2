//! The charts' and sparklines' commands: Cloud Monitor series for one instance or a
//! screenful of them.

use crate::console::metrics::{self, MetricRange, MetricSeries};
use crate::error::AppError;
use crate::state::AppState;
use crate::types::{InstanceId, ProfileId, Region, id_strings};
use std::sync::Arc;
use tauri::State;

/// Every charted metric of one instance over the last `range`.
#[tauri::command]
#[specta::specta]
pub async fn instance_metrics(
    state: State<'_, Arc<AppState>>,
    profile_id: ProfileId,
    region: Region,
    instance_id: InstanceId,
    range: MetricRange,
) -> Result<Vec<MetricSeries>, AppError> {
    let client = state.reader(&profile_id, &region).await?;
    metrics::instance_metrics(&client, &region, &instance_id, range).await
}

/// The last hour of CPU for up to 10 instances (one API call).
#[tauri::command]
#[specta::specta]
pub async fn cpu_sparklines(
    state: State<'_, Arc<AppState>>,
    profile_id: ProfileId,
    region: Region,
    instance_ids: Vec<InstanceId>,
) -> Result<Vec<MetricSeries>, AppError> {
    let client = state.reader(&profile_id, &region).await?;
    metrics::cpu_sparklines(&client, &region, &id_strings(&instance_ids)).await
}
