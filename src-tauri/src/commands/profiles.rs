//! Profile commands: each resolves the app's state (and home folder) and hands over to
//! `console_core::accounts`. Secrets come in write-only and never go back out.

use crate::error::{AppCode, AppError};
use crate::profiles::Site;
use crate::state::AppState;
use crate::tccli::{ImportCandidate, ImportSource};
use console_core::accounts::{
    self, KeyringStatus, ProfileInput, ProfilesView, SandboxClock, VerifyReport,
};
use console_core::roles::{self, RoleProfileInput};
use console_core::state::CallerIdentity;
use console_core::types::ProfileId;
use std::sync::Arc;
use tauri::{AppHandle, Manager, Runtime, State};

type AppStateRef<'a> = State<'a, Arc<AppState>>;

fn home<R: Runtime>(app: &AppHandle<R>) -> Result<std::path::PathBuf, AppError> {
    app.path()
        .home_dir()
        .map_err(|e| AppError::internal(AppCode::PathUnavailable, e.to_string()))
}

#[tauri::command]
#[specta::specta]
pub async fn list_profiles(state: AppStateRef<'_>) -> Result<ProfilesView, AppError> {
    accounts::list_profiles(&state).await
}

/// The corrupt-file notice has been shown; stop reporting it.
#[tauri::command]
#[specta::specta]
pub fn dismiss_corrupt_notice(state: AppStateRef<'_>) {
    accounts::dismiss_corrupt_notice(&state)
}

#[tauri::command]
#[specta::specta]
pub fn set_active_profile(state: AppStateRef<'_>, id: String) -> Result<ProfilesView, AppError> {
    accounts::set_active_profile(&state, id)
}

#[tauri::command]
#[specta::specta]
pub async fn keyring_status(state: AppStateRef<'_>) -> Result<KeyringStatus, AppError> {
    accounts::keyring_status(&state).await
}

/// Validates, verifies with one signed call, stores the secret in the keyring, then the
/// settings on disk. Nothing is stored when any step fails.
#[tauri::command]
#[specta::specta]
pub async fn create_profile(
    state: AppStateRef<'_>,
    input: ProfileInput,
) -> Result<VerifyReport, AppError> {
    accounts::create(&state, input).await
}

/// A role profile: the role assumed through a key profile, checked with one call as the
/// role before it is saved. Its temporary keys are never stored.
#[tauri::command]
#[specta::specta]
pub async fn create_role_profile(
    state: AppStateRef<'_>,
    input: RoleProfileInput,
) -> Result<VerifyReport, AppError> {
    roles::create(&state, input).await
}

/// Changes a role profile the user added; the new role is checked as on creation and
/// nothing changes when it is refused.
#[tauri::command]
#[specta::specta]
pub async fn update_role_profile(
    state: AppStateRef<'_>,
    profile_id: ProfileId,
    input: RoleProfileInput,
) -> Result<VerifyReport, AppError> {
    roles::update(&state, &profile_id, input).await
}

/// The profile's account UIN and caller ARN (GetCallerIdentity).
#[tauri::command]
#[specta::specta]
pub async fn profile_identity(
    state: AppStateRef<'_>,
    profile_id: ProfileId,
) -> Result<CallerIdentity, AppError> {
    roles::identity(&state, &profile_id).await
}

#[tauri::command]
#[specta::specta]
pub async fn update_profile(
    state: AppStateRef<'_>,
    id: String,
    input: ProfileInput,
) -> Result<Option<VerifyReport>, AppError> {
    accounts::update_profile(&state, id, input).await
}

#[tauri::command]
#[specta::specta]
pub async fn verify_profile(state: AppStateRef<'_>, id: String) -> Result<VerifyReport, AppError> {
    accounts::verify_profile(&state, id).await
}

/// `confirmName` is the profile's name as the user typed it in the dialog.
#[tauri::command]
#[specta::specta]
pub async fn delete_profile(
    state: AppStateRef<'_>,
    id: String,
    confirm_name: String,
) -> Result<ProfilesView, AppError> {
    accounts::delete_confirmed(&state, id, confirm_name).await
}

/// Unlocks a read-only profile for this session (`confirm`: its id, from the dialog), or
/// locks it again (no confirmation).
#[tauri::command]
#[specta::specta]
pub fn set_profile_unlocked(
    state: AppStateRef<'_>,
    id: String,
    unlocked: bool,
    confirm: Option<String>,
) -> Result<ProfilesView, AppError> {
    accounts::set_profile_unlocked(&state, id, unlocked, confirm)
}

#[tauri::command]
#[specta::specta]
pub fn import_candidates<R: Runtime>(app: AppHandle<R>) -> Result<Vec<ImportCandidate>, AppError> {
    Ok(accounts::import_candidates(&home(&app)?))
}

/// Imports credentials from tccli or the environment into a new profile on `site`.
#[tauri::command]
#[specta::specta]
pub async fn import_profile<R: Runtime>(
    app: AppHandle<R>,
    state: AppStateRef<'_>,
    source: ImportSource,
    name: String,
    site: Site,
) -> Result<VerifyReport, AppError> {
    accounts::import_profile(&home(&app)?, &state, source, name, site).await
}

/// Deletes `~/.tccli/<profile>.credential` after an import; `confirm` is the path the
/// dialog showed. Returns the deleted path.
#[tauri::command]
#[specta::specta]
pub async fn delete_tccli_credential<R: Runtime>(
    app: AppHandle<R>,
    state: AppStateRef<'_>,
    profile: String,
    confirm: String,
) -> Result<String, AppError> {
    accounts::delete_tccli_credential(&home(&app)?, &state, profile, confirm).await
}

/// Puts the Sandbox's world back to its first state; `confirm` is `sandbox`.
#[tauri::command]
#[specta::specta]
pub async fn reset_sandbox(state: AppStateRef<'_>, confirm: String) -> Result<(), AppError> {
    accounts::reset_sandbox(&state, confirm).await
}

/// The Sandbox's world clock and how far it runs ahead of real time.
#[tauri::command]
#[specta::specta]
pub async fn sandbox_clock(state: AppStateRef<'_>) -> Result<SandboxClock, AppError> {
    accounts::sandbox_clock(&state).await
}

/// Lets `hours` (1-720) pass in the Sandbox's world; `confirm` is `sandbox`, from the
/// dialog. Refused for a real account's profile.
#[tauri::command]
#[specta::specta]
pub async fn let_sandbox_time_pass(
    state: AppStateRef<'_>,
    profile_id: ProfileId,
    hours: u32,
    confirm: String,
) -> Result<SandboxClock, AppError> {
    accounts::let_sandbox_time_pass(&state, &profile_id, hours, confirm).await
}
