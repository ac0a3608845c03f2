//! The fleet's saved views: list, save, rename, delete, and the one-time import of the
//! views the web view kept before.

use crate::console::alerts::engine::Alerts;
use crate::console::views::{SavedView, ViewDraft, ViewImport};
use crate::error::AppError;
use crate::state::{AppState, lock};
use std::sync::Arc;
use tauri::State;

fn profile_ids(state: &AppState) -> Vec<String> {
    lock(&state.profiles)
        .profiles
        .iter()
        .map(|p| p.id.clone())
        .collect()
}

/// The saved views, in the order they were saved.
#[tauri::command]
#[specta::specta]
pub async fn list_views(state: State<'_, Arc<AppState>>) -> Result<Vec<SavedView>, AppError> {
    state.views.views()
}

/// Saves the fleet's current filters under a new name when every field is valid.
#[tauri::command]
#[specta::specta]
pub async fn save_view(
    state: State<'_, Arc<AppState>>,
    view: ViewDraft,
) -> Result<SavedView, AppError> {
    state.views.save(&view, &profile_ids(&state))
}

/// Renames a view; the alert rules watching it keep watching it.
#[tauri::command]
#[specta::specta]
pub async fn rename_view(
    state: State<'_, Arc<AppState>>,
    id: String,
    name: String,
) -> Result<SavedView, AppError> {
    state.views.rename(&id, &name)
}

/// Deletes a view; rules watching it stop until they are given another target. `confirm`
/// is the view's id as the deletion dialog named it: nothing is deleted without the
/// user's yes in that dialog.
#[tauri::command]
#[specta::specta]
pub async fn delete_view(
    state: State<'_, Arc<AppState>>,
    alerts: State<'_, Arc<Alerts>>,
    id: String,
    confirm: String,
) -> Result<(), AppError> {
    crate::consent::check_named("confirm", &confirm, &[id.as_str()])?;
    state.views.delete(&id)?;
    alerts.wake();
    Ok(())
}

/// Imports the views the web view kept in its own storage; only the first call imports.
#[tauri::command]
#[specta::specta]
pub async fn import_local_views(
    state: State<'_, Arc<AppState>>,
    views: Vec<ViewDraft>,
) -> Result<ViewImport, AppError> {
    state.views.import_local(&views, &profile_ids(&state))
}
