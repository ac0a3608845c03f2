//! The alert rules' commands and the watcher's state for the Alerts page.

use crate::console::alerts::engine::{ActiveAlert, AlertOpen, Alerts};
use crate::console::alerts::{AlertRule, AlertRuleDraft};
use crate::error::AppError;
use crate::state::{AppState, lock};
use std::sync::Arc;
use tauri::State;
use tauri::ipc::Channel;

/// The saved rules, in the order they were added.
#[tauri::command]
#[specta::specta]
pub async fn list_alert_rules(alerts: State<'_, Arc<Alerts>>) -> Result<Vec<AlertRule>, AppError> {
    alerts.store.rules()
}

/// Adds the rule (or, with an id, replaces it) when every field is valid; the watcher
/// runs it at once.
#[tauri::command]
#[specta::specta]
pub async fn save_alert_rule(
    state: State<'_, Arc<AppState>>,
    alerts: State<'_, Arc<Alerts>>,
    draft: AlertRuleDraft,
) -> Result<AlertRule, AppError> {
    let profiles: Vec<String> = lock(&state.profiles)
        .profiles
        .iter()
        .map(|p| p.id.clone())
        .collect();
    let views = state.views.views()?;
    let rule = alerts.store.save(&draft, &profiles, &views)?;
    alerts.wake();
    Ok(rule)
}

/// Removes a rule. `confirm` is the rule's id as the removal dialog named it: nothing is
/// removed without the user's yes in that dialog.
#[tauri::command]
#[specta::specta]
pub async fn delete_alert_rule(
    alerts: State<'_, Arc<Alerts>>,
    id: String,
    confirm: String,
) -> Result<(), AppError> {
    crate::consent::check_named("confirm", &confirm, &[id.as_str()])?;
    alerts.store.delete(&id)?;
    alerts.wake();
    Ok(())
}

/// The alerts firing now.
#[tauri::command]
#[specta::specta]
pub async fn firing_alerts(alerts: State<'_, Arc<Alerts>>) -> Result<Vec<ActiveAlert>, AppError> {
    Ok(alerts.firing())
}

/// Where a click on an alert's notification is reported: the UI calls this once at start
/// and opens the instance each message names.
#[tauri::command]
#[specta::specta]
pub async fn alert_clicks(on_open: Channel<AlertOpen>) -> Result<(), AppError> {
    crate::notify::set_open_channel(on_open);
    Ok(())
}
