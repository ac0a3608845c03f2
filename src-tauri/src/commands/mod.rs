//! IPC commands: a few lines each that resolve context, call the core, map the result.

pub mod alerts;
pub mod connect;
pub mod detail;
pub mod instances;
pub mod journal;
pub mod metrics;
pub mod profiles;
pub mod resources;
pub mod views;
pub mod wizard;

use crate::console::watch::{self, InstanceChange, WatchConfig};
use crate::error::{AppCode, AppError};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime};

/// What a save dialog offers.
pub(crate) struct SaveAs<'a> {
    /// The UI's localised title; `fallback` when it is empty, overlong or odd.
    pub title: &'a str,
    pub fallback: &'a str,
    pub file_name: String,
    pub filter: (&'a str, &'a str),
    /// Debug builds save into this folder instead (end-to-end tests cannot drive a native
    /// dialog); release builds never read it.
    pub e2e_dir_var: &'a str,
}

/// Where the user wants the file: a native save dialog, None when cancelled.
pub(crate) async fn save_path<R: Runtime>(
    app: &AppHandle<R>,
    s: SaveAs<'_>,
) -> Result<Option<std::path::PathBuf>, AppError> {
    if cfg!(debug_assertions)
        && let Some(dir) = std::env::var_os(s.e2e_dir_var)
    {
        return Ok(Some(std::path::PathBuf::from(dir).join(s.file_name)));
    }
    use tauri_plugin_dialog::DialogExt;
    let title = s.title.trim();
    let title =
        if title.is_empty() || title.chars().count() > 120 || title.chars().any(char::is_control) {
            s.fallback
        } else {
            title
        };
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title(title)
        .set_file_name(&s.file_name)
        .add_filter(s.filter.0, &[s.filter.1])
        .save_file(move |p| {
            let _ = tx.send(p);
        });
    let chosen = rx
        .await
        .map_err(|_| AppError::internal(AppCode::Dialog, "the save dialog closed unexpectedly"))?;
    chosen
        .map(|p| {
            p.into_path()
                .map_err(|e| AppError::internal(AppCode::Dialog, format!("not a file path: {e}")))
        })
        .transpose()
}

/// Watches `ids` in the background until they settle (in `expected`, or steady), sending
/// each change through `on_change`: a channel reaches only the page that asked and needs
/// no event capability. A page that went away just stops listening.
pub(crate) fn forward_changes(
    on_change: Channel<InstanceChange>,
    client: tencent_api::Client,
    profile_id: String,
    region: String,
    ids: Vec<String>,
    expected: Option<String>,
    cfg: WatchConfig,
) {
    tauri::async_runtime::spawn(async move {
        watch::watch(
            &client,
            &profile_id,
            &region,
            ids,
            expected.as_deref(),
            cfg,
            |change| {
                if let Err(e) = on_change.send(change) {
                    tracing::debug!("instance-change channel closed: {e}");
                }
            },
        )
        .await;
    });
}

#[derive(Clone, Debug, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub name: String,
    pub version: String,
    /// Short git commit the binary was built from, or "unknown".
    pub commit: String,
    /// `linux`, `macos` or `windows`.
    pub os: String,
    pub arch: String,
    pub data_dir: String,
    pub config_dir: String,
    pub log_dir: String,
    pub debug_build: bool,
}

/// Version, commit, platform and the directories the app writes to (the About panel).
#[tauri::command]
#[specta::specta]
pub fn app_info<R: Runtime>(app: AppHandle<R>) -> Result<AppInfo, AppError> {
    let paths = app.path();
    let dir = |r: tauri::Result<std::path::PathBuf>, what: &str| {
        r.map(|p| p.display().to_string())
            .map_err(|e| AppError::internal(AppCode::PathUnavailable, format!("{what}: {e}")))
    };
    Ok(AppInfo {
        name: app.package_info().name.clone(),
        version: app.package_info().version.to_string(),
        commit: env!("CVM_CONSOLE_COMMIT").to_owned(),
        os: std::env::consts::OS.to_owned(),
        arch: std::env::consts::ARCH.to_owned(),
        data_dir: dir(paths.app_data_dir(), "data directory")?,
        config_dir: dir(paths.app_config_dir(), "config directory")?,
        log_dir: dir(paths.app_log_dir(), "log directory")?,
        debug_build: cfg!(debug_assertions),
    })
}
