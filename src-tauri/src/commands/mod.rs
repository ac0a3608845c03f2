//! IPC commands: a few lines each that resolve context, call the core, map the result.

pub mod detail;
pub mod instances;
pub mod journal;
pub mod profiles;
pub mod resources;
pub mod wizard;

use crate::error::{AppCode, AppError};
use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime};

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
