//! Launch-journal and start-up notice commands: the launches that may still be pending
//! (resume with the same ClientToken, or drop), and what start-up needs to tell the user.
//! Resuming and dropping need the dialog's confirmation (the ClientToken it showed) and a
//! writable profile.

use crate::console::watch::InstanceChange;
use crate::error::{AppCode, AppError};
use crate::profiles::Profile;
use crate::state::{AppState, StartupNotice};
use crate::wizard::journal::{self, LaunchRecord};
use crate::wizard::launch::{self, LaunchOutcome};
use std::sync::Arc;
use tauri::State;
use tauri::ipc::Channel;

type AppStateRef<'a> = State<'a, Arc<AppState>>;

/// The journal: pending and recent launches, newest first.
#[tauri::command]
#[specta::specta]
pub fn launch_records(state: AppStateRef<'_>) -> Vec<LaunchRecord> {
    state.launches.records(launch::unix_now())
}

/// The entry's profile, which must exist and be writable, after the confirmation.
fn checked(state: &AppState, token: &str, confirm: &str) -> Result<Profile, AppError> {
    crate::consent::check_named("confirm", confirm, &[token])?;
    let entry = state.launches.get(token).ok_or_else(journal::not_found)?;
    let profile = state.writable_profile(&entry.profile_id)?;
    Ok(profile)
}

/// Re-sends a pending launch with its original ClientToken (Tencent answers a repeat
/// with the original purchase: it cannot buy twice). `confirm` is the ClientToken the
/// dialog showed.
#[tauri::command]
#[specta::specta]
pub async fn retry_launch(
    state: AppStateRef<'_>,
    token: String,
    confirm: String,
    on_change: Channel<InstanceChange>,
) -> Result<LaunchOutcome, AppError> {
    let profile = checked(&state, &token, &confirm)?;
    let client = state.client(&profile).await?;
    let outcome = launch::retry(&client, &state.launches, &token).await?;
    super::wizard::follow(on_change, client, profile.id, &outcome);
    Ok(outcome)
}

/// Gives up on a pending launch without sending anything: it is settled as dropped and
/// its password forgotten. `confirm` is the ClientToken the dialog showed.
#[tauri::command]
#[specta::specta]
pub async fn drop_launch(
    state: AppStateRef<'_>,
    token: String,
    confirm: String,
) -> Result<(), AppError> {
    // Off the async workers: it writes and syncs the journal and deletes a keyring entry.
    let state = state.inner().clone();
    tokio::task::spawn_blocking(move || drop_pending(&state, &token, &confirm))
        .await
        .map_err(|e| AppError::internal(AppCode::Journal, e.to_string()))?
}

/// `drop_launch` without a window. An entry whose profile was deleted can be dropped
/// (nothing could be sent for it anyway); a read-only profile's cannot until unlocked.
pub fn drop_pending(state: &AppState, token: &str, confirm: &str) -> Result<(), AppError> {
    match checked(state, token, confirm) {
        Ok(_) => {}
        Err(e) if e.code == AppCode::ProfileNotFound => {}
        Err(e) => return Err(e),
    }
    state.launches.drop_pending(token)
}

/// What start-up found that the user must hear about (a journal moved aside, …).
#[tauri::command]
#[specta::specta]
pub fn startup_notices(state: AppStateRef<'_>) -> Vec<StartupNotice> {
    state.notices()
}

/// The notice has been shown; stop reporting it.
#[tauri::command]
#[specta::specta]
pub fn dismiss_startup_notice(state: AppStateRef<'_>, id: String) {
    state.dismiss_notice(&id);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profiles::{ProfileKind, SANDBOX_ID};
    use crate::wizard::journal::{EntryState, JournalEntry};

    fn state_in(dir: &std::path::Path) -> AppState {
        let store: Arc<keyring_core::CredentialStore> = keyring_core::mock::Store::new().unwrap();
        let vault = crate::secrets::Vault::with_store(store, "journal-commands-test");
        AppState::new(dir.join("config"), dir.join("data"), vault).unwrap()
    }

    fn pending(state: &AppState, token: &str, profile_id: &str) {
        state
            .launches
            .begin(
                JournalEntry {
                    token: token.into(),
                    profile_id: profile_id.into(),
                    region: "ap-guangzhou".into(),
                    request: serde_json::json!({"InstanceCount": 1}),
                    had_password: false,
                    created_unix: 1,
                    state: EntryState::Pending,
                    instance_ids: Vec::new(),
                    error: None,
                    attempts: 1,
                },
                None,
            )
            .unwrap();
    }

    fn add_read_only(state: &AppState) {
        let mut p = Profile::sandbox();
        p.id = "p-ro".into();
        p.name = "Audit".into();
        p.kind = ProfileKind::Cloud;
        p.read_only = true;
        state
            .update_profiles(|f| {
                f.profiles.push(p);
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn a_resume_or_drop_needs_the_token_the_dialog_showed() {
        let dir = tempfile::tempdir().unwrap();
        let state = state_in(dir.path());
        pending(&state, "tok-1", SANDBOX_ID);
        for confirm in ["", "tok-2", "yes"] {
            let e = checked(&state, "tok-1", confirm).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("confirm"), "{confirm:?}");
            let e = drop_pending(&state, "tok-1", confirm).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("confirm"));
        }
        let entry = state.launches.get("tok-1").unwrap();
        assert_eq!(entry.state, EntryState::Pending, "nothing changed");
        assert_eq!(entry.attempts, 1, "nothing sent");
        assert!(checked(&state, "tok-1", "tok-1").is_ok());
        drop_pending(&state, "tok-1", "tok-1").unwrap();
        assert_eq!(
            state.launches.get("tok-1").unwrap().state,
            EntryState::Dropped
        );
        let r = state.launches.records(launch::unix_now());
        assert!(!r[0].needs_decision);
    }

    #[test]
    fn a_read_only_profile_neither_resumes_nor_drops_until_unlocked() {
        let dir = tempfile::tempdir().unwrap();
        let state = state_in(dir.path());
        add_read_only(&state);
        pending(&state, "tok-ro", "p-ro");
        assert_eq!(
            checked(&state, "tok-ro", "tok-ro").unwrap_err().code,
            crate::error::AppCode::ProfileReadOnly.as_str()
        );
        assert_eq!(
            drop_pending(&state, "tok-ro", "tok-ro").unwrap_err().code,
            crate::error::AppCode::ProfileReadOnly.as_str()
        );
        assert_eq!(
            state.launches.get("tok-ro").unwrap().state,
            EntryState::Pending
        );
        state.set_unlocked("p-ro", true);
        drop_pending(&state, "tok-ro", "tok-ro").unwrap();
    }

    #[test]
    fn a_deleted_profiles_launch_can_be_dropped_but_not_resumed() {
        let dir = tempfile::tempdir().unwrap();
        let state = state_in(dir.path());
        pending(&state, "tok-gone", "p-deleted");
        assert_eq!(
            checked(&state, "tok-gone", "tok-gone").unwrap_err().code,
            crate::error::AppCode::ProfileNotFound.as_str()
        );
        drop_pending(&state, "tok-gone", "tok-gone").unwrap();
        assert_eq!(
            checked(&state, "nope", "nope").unwrap_err().code,
            crate::error::AppCode::LaunchNotFound.as_str()
        );
    }
}
