//! Resource commands: instance type and bandwidth changes, security groups, elastic IPs,
//! key pairs and images. Each resolves the profile and region, refuses mutations on a
//! locked read-only profile, and hands over to `crate::resources`.

use crate::console::instances::ActionReport;
use crate::console::watch::{InstanceChange, WatchConfig};
use crate::error::AppError;
use crate::resources::PriceView;
use crate::resources::addresses::{self, AddressView, AllocateInput};
use crate::resources::images::{self, CreateImageInput, ImageFilter, ImageView};
use crate::resources::key_pairs::{self, CreatedKeyPair, KeyPairView};
use crate::resources::resize::{self, BandwidthOptions, ResizeOptions, StopPlan, StopWait};
use crate::resources::security_groups::{self, NewRule, SecurityGroupDetail, SecurityGroupView};
use crate::state::AppState;
use crate::types::{InstanceId, Scope};
use std::sync::Arc;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};
use tencent_api::Client;

type AppStateRef<'a> = State<'a, Arc<AppState>>;

/// Follows the instance until it settles, streaming its changes through `on_change`
/// (a channel: it needs no event capability and reaches only the dialog that asked).
fn follow(
    on_change: Channel<InstanceChange>,
    client: Client,
    profile_id: &str,
    region: &str,
    id: InstanceId,
    expected: Option<String>,
    cfg: WatchConfig,
) {
    super::forward_changes(
        on_change,
        client,
        profile_id.to_owned(),
        region.to_owned(),
        vec![id.into()],
        expected,
        cfg,
    );
}

#[tauri::command]
#[specta::specta]
pub async fn resize_options(
    state: AppStateRef<'_>,
    scope: Scope,
    instance_id: InstanceId,
) -> Result<ResizeOptions, AppError> {
    let client = state.reader(&scope.profile, &scope.region).await?;
    resize::resize_options(&client, &scope.region, &instance_id).await
}

#[tauri::command]
#[specta::specta]
pub async fn resize_price(
    state: AppStateRef<'_>,
    scope: Scope,
    instance_id: InstanceId,
    instance_type: String,
) -> Result<PriceView, AppError> {
    resize::validate_instance_type(&instance_type)?;
    let client = state.reader(&scope.profile, &scope.region).await?;
    resize::resize_price(&client, &scope.region, &instance_id, &instance_type).await
}

/// Changes the instance's type (stopping it first, or forcing it off, as asked); the
/// change is then followed through `on_change` until the instance runs.
#[tauri::command]
#[specta::specta]
#[allow(clippy::too_many_arguments)]
pub async fn resize_instance(
    state: AppStateRef<'_>,
    scope: Scope,
    instance_id: InstanceId,
    instance_type: String,
    stop_plan: StopPlan,
    accepted_price: f64,
    on_change: Channel<InstanceChange>,
) -> Result<Option<String>, AppError> {
    resize::validate_instance_type(&instance_type)?;
    let client = state.writer(&scope.profile, &scope.region).await?;
    let rid = resize::resize_at_price(
        &client,
        &scope.region,
        &instance_id,
        &instance_type,
        stop_plan,
        StopWait::default(),
        accepted_price,
    )
    .await?;
    follow(
        on_change,
        client,
        &scope.profile,
        &scope.region,
        instance_id,
        Some("RUNNING".into()),
        // A type change leaves the instance STOPPED (a steady state) for a while before it
        // starts again: only RUNNING, or three minutes without it, ends the watch.
        WatchConfig {
            grace_polls: 120,
            ..WatchConfig::default()
        },
    );
    Ok(rid)
}

#[tauri::command]
#[specta::specta]
pub async fn bandwidth_options(
    state: AppStateRef<'_>,
    scope: Scope,
    instance_id: InstanceId,
) -> Result<BandwidthOptions, AppError> {
    let client = state.reader(&scope.profile, &scope.region).await?;
    resize::bandwidth_options(&client, &scope.region, &instance_id).await
}

#[tauri::command]
#[specta::specta]
pub async fn bandwidth_price(
    state: AppStateRef<'_>,
    scope: Scope,
    instance_id: InstanceId,
    bandwidth_mbps: u32,
) -> Result<PriceView, AppError> {
    let client = state.reader(&scope.profile, &scope.region).await?;
    resize::bandwidth_price(&client, &scope.region, &instance_id, bandwidth_mbps).await
}

#[tauri::command]
#[specta::specta]
pub async fn change_bandwidth(
    state: AppStateRef<'_>,
    scope: Scope,
    instance_id: InstanceId,
    bandwidth_mbps: u32,
    accepted_price: f64,
    on_change: Channel<InstanceChange>,
) -> Result<Option<String>, AppError> {
    let client = state.writer(&scope.profile, &scope.region).await?;
    let (rid, keep) = resize::change_bandwidth_at_price(
        &client,
        &scope.region,
        &instance_id,
        bandwidth_mbps,
        accepted_price,
    )
    .await?;
    follow(
        on_change,
        client,
        &scope.profile,
        &scope.region,
        instance_id,
        Some(keep),
        WatchConfig::default(),
    );
    Ok(rid)
}

#[tauri::command]
#[specta::specta]
pub async fn list_security_groups(
    state: AppStateRef<'_>,
    scope: Scope,
) -> Result<Vec<SecurityGroupView>, AppError> {
    let client = state.reader(&scope.profile, &scope.region).await?;
    security_groups::list_security_groups(&client, &scope.region).await
}

#[tauri::command]
#[specta::specta]
pub async fn security_group_detail(
    state: AppStateRef<'_>,
    scope: Scope,
    security_group_id: String,
) -> Result<SecurityGroupDetail, AppError> {
    security_groups::validate_sg_id(&security_group_id)?;
    let client = state.reader(&scope.profile, &scope.region).await?;
    security_groups::security_group_detail(&client, &scope.region, &security_group_id).await
}

#[tauri::command]
#[specta::specta]
pub async fn bind_security_group(
    state: AppStateRef<'_>,
    scope: Scope,
    security_group_id: String,
    instance_ids: Vec<String>,
) -> Result<ActionReport, AppError> {
    security_groups::validate_sg_id(&security_group_id)?;
    let client = state.writer(&scope.profile, &scope.region).await?;
    security_groups::bind(&client, &scope.region, &security_group_id, &instance_ids).await
}

#[tauri::command]
#[specta::specta]
pub async fn unbind_security_group(
    state: AppStateRef<'_>,
    scope: Scope,
    security_group_id: String,
    instance_ids: Vec<String>,
) -> Result<ActionReport, AppError> {
    security_groups::validate_sg_id(&security_group_id)?;
    let client = state.writer(&scope.profile, &scope.region).await?;
    security_groups::unbind(&client, &scope.region, &security_group_id, &instance_ids).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_addresses(
    state: AppStateRef<'_>,
    scope: Scope,
) -> Result<Vec<AddressView>, AppError> {
    let client = state.reader(&scope.profile, &scope.region).await?;
    addresses::list_addresses(&client, &scope.region).await
}

#[tauri::command]
#[specta::specta]
pub async fn allocate_address(
    state: AppStateRef<'_>,
    scope: Scope,
    input: AllocateInput,
) -> Result<Vec<String>, AppError> {
    addresses::validate_allocate(&input)?;
    let client = state.writer(&scope.profile, &scope.region).await?;
    addresses::allocate(&client, &scope.region, &input).await
}

#[tauri::command]
#[specta::specta]
pub async fn associate_address(
    state: AppStateRef<'_>,
    scope: Scope,
    address_id: String,
    instance_id: InstanceId,
) -> Result<Option<String>, AppError> {
    let client = state.writer(&scope.profile, &scope.region).await?;
    addresses::associate(&client, &scope.region, &address_id, &instance_id).await
}

#[tauri::command]
#[specta::specta]
pub async fn disassociate_address(
    state: AppStateRef<'_>,
    scope: Scope,
    address_id: String,
) -> Result<Option<String>, AppError> {
    let client = state.writer(&scope.profile, &scope.region).await?;
    addresses::disassociate(&client, &scope.region, &address_id).await
}

#[tauri::command]
#[specta::specta]
pub async fn release_address(
    state: AppStateRef<'_>,
    scope: Scope,
    address_id: String,
    confirm: String,
) -> Result<Option<String>, AppError> {
    let client = state.writer(&scope.profile, &scope.region).await?;
    addresses::release(&client, &scope.region, &address_id, &confirm).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_key_pairs(
    state: AppStateRef<'_>,
    scope: Scope,
) -> Result<Vec<KeyPairView>, AppError> {
    let client = state.reader(&scope.profile, &scope.region).await?;
    key_pairs::list_key_pairs(&client, &scope.region).await
}

/// Creates a key pair after the user chose where its private key goes; the key is
/// written there (owner-only) and nowhere else. None when the user cancelled the dialog
/// (nothing was created).
#[tauri::command]
#[specta::specta]
pub async fn create_key_pair<R: Runtime>(
    app: AppHandle<R>,
    state: AppStateRef<'_>,
    scope: Scope,
    name: String,
    dialog_title: String,
) -> Result<Option<CreatedKeyPair>, AppError> {
    key_pairs::validate_key_name(&name)?;
    let client = state.writer(&scope.profile, &scope.region).await?;
    // Where the private key goes, chosen before anything is created.
    let Some(path) = super::save_path(
        &app,
        super::SaveAs {
            title: &dialog_title,
            fallback: "Save the private key (this is the only copy)",
            file_name: format!("{name}.pem"),
            filter: ("PEM private key", "pem"),
            e2e_dir_var: "CVM_CONSOLE_E2E_KEY_DIR",
        },
    )
    .await?
    else {
        return Ok(None);
    };
    let created = key_pairs::create(&client, &scope.region, &name, |key| {
        key_pairs::write_private_key(&path, key)
    })
    .await?;
    // Connect offers the saved file for this key pair; the pair exists even when this
    // cannot be remembered, so a failure here is only logged.
    let remembered =
        crate::connect::key_paths::KeyPaths::load(&super::connect::key_paths_file(&state))
            .and_then(|mut k| k.set(&created.key_pair.id, Some(&path)));
    if let Err(e) = remembered {
        tracing::warn!(error = %e.message, "the new key file's path was not remembered");
    }
    Ok(Some(created))
}

#[tauri::command]
#[specta::specta]
pub async fn import_key_pair(
    state: AppStateRef<'_>,
    scope: Scope,
    name: String,
    public_key: String,
) -> Result<String, AppError> {
    key_pairs::validate_key_name(&name)?;
    key_pairs::validate_public_key(&public_key)?;
    let client = state.writer(&scope.profile, &scope.region).await?;
    key_pairs::import(&client, &scope.region, &name, &public_key).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_key_pair(
    state: AppStateRef<'_>,
    scope: Scope,
    key_id: String,
    confirm: String,
) -> Result<Option<String>, AppError> {
    let client = state.writer(&scope.profile, &scope.region).await?;
    key_pairs::delete(&client, &scope.region, &key_id, &confirm).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_images(
    state: AppStateRef<'_>,
    scope: Scope,
    filter: ImageFilter,
) -> Result<Vec<ImageView>, AppError> {
    let client = state.reader(&scope.profile, &scope.region).await?;
    images::list_images(&client, &scope.region, &filter).await
}

/// Binds a key pair to instances (STOPPED ones, or RUNNING ones forced off and started
/// again when `force_stop`).
#[tauri::command]
#[specta::specta]
pub async fn bind_key_pair(
    state: AppStateRef<'_>,
    scope: Scope,
    key_id: String,
    instance_ids: Vec<String>,
    force_stop: bool,
) -> Result<Option<String>, AppError> {
    key_binding(&state, &scope, &key_id, &instance_ids, force_stop, true).await
}

#[tauri::command]
#[specta::specta]
pub async fn unbind_key_pair(
    state: AppStateRef<'_>,
    scope: Scope,
    key_id: String,
    instance_ids: Vec<String>,
    force_stop: bool,
) -> Result<Option<String>, AppError> {
    key_binding(&state, &scope, &key_id, &instance_ids, force_stop, false).await
}

/// Binds (or unbinds) the key pair on the instances.
async fn key_binding(
    state: &AppState,
    scope: &Scope,
    key_id: &str,
    instance_ids: &[String],
    force_stop: bool,
    bind: bool,
) -> Result<Option<String>, AppError> {
    key_pairs::validate_key_id(key_id)?;
    let client = state.writer(&scope.profile, &scope.region).await?;
    key_pairs::bind(
        &client,
        &scope.region,
        key_id,
        instance_ids,
        force_stop,
        bind,
    )
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn create_image(
    state: AppStateRef<'_>,
    scope: Scope,
    input: CreateImageInput,
) -> Result<String, AppError> {
    images::validate_image_name(&input.image_name)?;
    images::validate_image_description(&input.description)?;
    let client = state.writer(&scope.profile, &scope.region).await?;
    images::create_image(&client, &scope.region, &input).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_image(
    state: AppStateRef<'_>,
    scope: Scope,
    image_id: String,
    confirm: String,
) -> Result<Option<String>, AppError> {
    let client = state.writer(&scope.profile, &scope.region).await?;
    images::delete_image(&client, &scope.region, &image_id, &confirm).await
}

#[tauri::command]
#[specta::specta]
pub async fn create_security_group(
    state: AppStateRef<'_>,
    scope: Scope,
    name: String,
    description: String,
) -> Result<SecurityGroupView, AppError> {
    security_groups::validate_new_group(&name, &description)?;
    let client = state.writer(&scope.profile, &scope.region).await?;
    security_groups::create(&client, &scope.region, &name, &description).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_security_group(
    state: AppStateRef<'_>,
    scope: Scope,
    security_group_id: String,
    confirm: String,
) -> Result<Option<String>, AppError> {
    security_groups::validate_sg_id(&security_group_id)?;
    let client = state.writer(&scope.profile, &scope.region).await?;
    security_groups::delete(&client, &scope.region, &security_group_id, &confirm).await
}

#[tauri::command]
#[specta::specta]
pub async fn add_security_group_rule(
    state: AppStateRef<'_>,
    scope: Scope,
    security_group_id: String,
    rule: NewRule,
) -> Result<Option<String>, AppError> {
    security_groups::validate_sg_id(&security_group_id)?;
    security_groups::validate_rule(&rule)?;
    let client = state.writer(&scope.profile, &scope.region).await?;
    security_groups::add_rule(&client, &scope.region, &security_group_id, &rule).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profiles::{BudgetChoice, Language, Profile, ProfileKind, Site};
    use crate::secrets::{KeyringProblem, Vault};

    fn state_with(read_only: bool) -> (AppState, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::new(
            dir.path().join("config"),
            dir.path().join("data"),
            Vault::unavailable(KeyringProblem::NoService),
        )
        .unwrap();
        state
            .update_profiles(|f| {
                f.profiles.push(Profile {
                    id: "prod".into(),
                    name: "Production".into(),
                    kind: ProfileKind::Cloud,
                    site: Site::China,
                    default_region: "ap-guangzhou".into(),
                    language: Language::EnUs,
                    budget: BudgetChoice::Current,
                    read_only,
                    masked_secret_id: Some("AKID…1234".into()),
                    has_token: false,
                    last_region: None,
                    role: None,
                });
                Ok(())
            })
            .unwrap();
        (state, dir)
    }

    /// A locked read-only profile is refused before any client (or keyring) is touched;
    /// reads go ahead, and so do writes once the profile is unlocked for the session.
    #[tokio::test]
    async fn read_only_profiles_refuse_mutations_until_unlocked() {
        let (state, _dir) = state_with(true);
        let e = state.writer("prod", "ap-guangzhou").await.unwrap_err();
        assert_eq!(e.code, crate::error::AppCode::ProfileReadOnly.as_str());
        // Reading goes on to the client, which fails here only for want of a keyring.
        let e = state.reader("prod", "ap-guangzhou").await.unwrap_err();
        assert_ne!(e.code, crate::error::AppCode::ProfileReadOnly.as_str());
        state.set_unlocked("prod", true);
        let e = state.writer("prod", "ap-guangzhou").await.unwrap_err();
        assert_ne!(e.code, crate::error::AppCode::ProfileReadOnly.as_str());
        // A bad region is refused first of all.
        let e = state.writer("prod", "mars-1").await.unwrap_err();
        assert_eq!(e.field.as_deref(), Some("region"));
    }
}
