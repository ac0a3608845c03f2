//! The detail view's commands: one instance in full, copying to the clipboard, and the
//! UI language for desktop notifications.

use crate::console::detail::{self, InstanceDetail};
use crate::error::{AppCode, AppError};
use crate::state::AppState;
use crate::types::{InstanceId, Language, Scope};
use std::sync::Arc;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_clipboard_manager::ClipboardExt;

/// Everything DescribeInstances returns about one instance.
#[tauri::command]
#[specta::specta]
pub async fn describe_instance(
    state: State<'_, Arc<AppState>>,
    scope: Scope,
    instance_id: InstanceId,
) -> Result<InstanceDetail, AppError> {
    let client = state.reader(&scope.profile, &scope.region).await?;
    detail::describe_instance(&client, &scope.region, &instance_id).await
}

/// The longest text the copy buttons hand over (ids and addresses are far shorter).
const MAX_COPY: usize = 4096;

/// Puts an id or address on the system clipboard (the web view's own clipboard API is
/// not dependable in WebKitGTK). Write-only: the app never reads the clipboard.
#[tauri::command]
#[specta::specta]
pub fn copy_text<R: Runtime>(app: AppHandle<R>, text: String) -> Result<(), AppError> {
    if text.is_empty() || text.len() > MAX_COPY {
        return Err(crate::profiles::invalid(
            "text",
            format!("nothing to copy, or more than {MAX_COPY} bytes"),
        ));
    }
    app.clipboard()
        .write_text(text)
        .map_err(|e| AppError::internal(AppCode::Clipboard, format!("could not copy: {e}")))
}

/// The UI's language, so desktop notifications speak it too.
#[tauri::command]
#[specta::specta]
pub fn set_ui_language(language: Language) -> Result<(), AppError> {
    crate::console::watch::set_ui_language(language == Language::ZhCn);
    Ok(())
}
