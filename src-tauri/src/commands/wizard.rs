//! Wizard commands: catalog queries, price, preview, check, submit, retry,
//! progress, and billing operations on existing instances. Each resolves the profile and
//! hands over to `crate::wizard`. Mutations are refused for a locked read-only profile.

use crate::console::instances::{self as console, ActionReport};
use crate::console::watch::{InstanceChange, WatchConfig};
use crate::error::AppError;
use crate::profiles::{Profile, Site};
use crate::state::AppState;
use crate::types::{ChargeType, InstanceId, Language, ProfileId, RenewFlag, Scope};
use crate::wizard::billing::{self, BillingQuote};
use crate::wizard::catalog::{
    self, ImageChoice, InstanceTypeChoice, KeyPairChoice, NetworkChoices, ZoneChoice,
};
use crate::wizard::cost::{self, CostEstimate};
use crate::wizard::draft::{self, LaunchDraft};
use crate::wizard::launch::{self, LaunchOutcome, LaunchProgress, LaunchStatus};
use crate::wizard::price::PriceQuote;
use crate::wizard::spec::{self, LaunchPreview, LaunchSpec};
use crate::wizard::templates::{self, LaunchTemplateView};
use std::sync::Arc;
use tauri::State;
use tauri::ipc::Channel;

type AppStateRef<'a> = State<'a, Arc<AppState>>;

fn max_name(profile: &Profile) -> usize {
    if matches!(profile.site, Site::Intl) {
        128
    } else {
        60
    }
}

#[tauri::command]
#[specta::specta]
pub async fn wizard_zones(
    state: AppStateRef<'_>,
    scope: Scope,
    charge_type: ChargeType,
    language: Language,
) -> Result<Vec<ZoneChoice>, AppError> {
    console::validate_region(&scope.region)?;
    let profile = state.profile(&scope.profile)?;
    let client = state.client_in(&profile, language).await?;
    catalog::zones(&client, &scope.region, charge_type).await
}

#[tauri::command]
#[specta::specta]
pub async fn wizard_instance_types(
    state: AppStateRef<'_>,
    scope: Scope,
    zone: String,
    charge_type: ChargeType,
    language: Language,
) -> Result<Vec<InstanceTypeChoice>, AppError> {
    let profile = state.profile(&scope.profile)?;
    let client = state.client_in(&profile, language).await?;
    catalog::instance_types(&client, &scope.region, &zone, charge_type).await
}

#[tauri::command]
#[specta::specta]
pub async fn wizard_images(
    state: AppStateRef<'_>,
    scope: Scope,
    instance_type: String,
) -> Result<Vec<ImageChoice>, AppError> {
    let client = state.reader(&scope.profile, &scope.region).await?;
    catalog::images(&client, &scope.region, &instance_type).await
}

#[tauri::command]
#[specta::specta]
pub async fn wizard_networks(
    state: AppStateRef<'_>,
    scope: Scope,
    zone: String,
) -> Result<NetworkChoices, AppError> {
    let client = state.reader(&scope.profile, &scope.region).await?;
    catalog::networks(&client, &scope.region, &zone).await
}

#[tauri::command]
#[specta::specta]
pub async fn wizard_key_pairs(
    state: AppStateRef<'_>,
    scope: Scope,
) -> Result<Vec<KeyPairChoice>, AppError> {
    let client = state.reader(&scope.profile, &scope.region).await?;
    catalog::key_pairs(&client, &scope.region).await
}

/// The live price of a spec (InquiryPriceRunInstances).
#[tauri::command]
#[specta::specta]
pub async fn quote_launch(
    state: AppStateRef<'_>,
    profile_id: ProfileId,
    spec: LaunchSpec,
) -> Result<PriceQuote, AppError> {
    let profile = state.profile(&profile_id)?;
    let client = state.client(&profile).await?;
    launch::price(&client, &spec).await
}

/// The request JSON and tccli command of exactly what would be sent (password replaced).
#[tauri::command]
#[specta::specta]
pub fn preview_launch(
    state: AppStateRef<'_>,
    profile_id: ProfileId,
    spec: LaunchSpec,
) -> Result<LaunchPreview, AppError> {
    let profile = state.profile(&profile_id)?;
    spec::check_shape(&spec, max_name(&profile))?;
    Ok(spec::preview(&spec))
}

/// Full validation plus a DryRun: the review step's check.
#[tauri::command]
#[specta::specta]
pub async fn check_launch(
    state: AppStateRef<'_>,
    profile_id: ProfileId,
    spec: LaunchSpec,
) -> Result<(), AppError> {
    let profile = state.writable_profile(&profile_id)?;
    let client = state.client(&profile).await?;
    launch::dry_run(&client, &spec, max_name(&profile)).await
}

/// Streams the new instances' states through `on_change` until each is RUNNING or
/// LAUNCH_FAILED (the console's status watcher).
pub(crate) fn follow(
    on_change: Channel<InstanceChange>,
    client: tencent_api::Client,
    profile_id: String,
    outcome: &LaunchOutcome,
) {
    if outcome.status != LaunchStatus::Created || outcome.instance_ids.is_empty() {
        return;
    }
    super::forward_changes(
        on_change,
        client,
        profile_id,
        outcome.region.clone(),
        outcome.instance_ids.clone(),
        Some("RUNNING".into()),
        WatchConfig::default(),
    );
}

/// Validates, re-prices (refusing a price other than the one accepted), dry-runs,
/// journals (one ClientToken) and sends the launch.
#[tauri::command]
#[specta::specta]
pub async fn submit_launch(
    state: AppStateRef<'_>,
    profile_id: ProfileId,
    spec: LaunchSpec,
    accepted_price: f64,
    on_change: Channel<InstanceChange>,
) -> Result<LaunchOutcome, AppError> {
    let profile = state.writable_profile(&profile_id)?;
    let client = state.client(&profile).await?;
    let outcome = launch::submit_at_price(
        &client,
        &state.launches,
        &profile.id,
        &spec,
        max_name(&profile),
        accepted_price,
    )
    .await?;
    follow(on_change, client, profile.id, &outcome);
    Ok(outcome)
}

/// Where the launched instances are (RUNNING / LAUNCH_FAILED ends it).
#[tauri::command]
#[specta::specta]
pub async fn launch_progress(
    state: AppStateRef<'_>,
    scope: Scope,
    instance_ids: Vec<String>,
) -> Result<LaunchProgress, AppError> {
    console::validate_region(&scope.region)?;
    let ids = console::validate_ids(&instance_ids)?;
    let client = state.reader(&scope.profile, &scope.region).await?;
    launch::progress(&client, &scope.region, &ids).await
}

#[tauri::command]
#[specta::specta]
pub async fn quote_to_prepaid(
    state: AppStateRef<'_>,
    scope: Scope,
    instance_ids: Vec<String>,
    period: u32,
) -> Result<BillingQuote, AppError> {
    let client = state.reader(&scope.profile, &scope.region).await?;
    billing::quote_to_prepaid(&client, &scope.region, &instance_ids, period).await
}

/// Pay-as-you-go → monthly subscription, only at the price the user accepted.
#[tauri::command]
#[specta::specta]
pub async fn change_to_prepaid(
    state: AppStateRef<'_>,
    scope: Scope,
    instance_ids: Vec<String>,
    period: u32,
    renew_flag: RenewFlag,
    accepted_price: f64,
) -> Result<ActionReport, AppError> {
    let client = state.writer(&scope.profile, &scope.region).await?;
    billing::to_prepaid(
        &client,
        &scope.region,
        &instance_ids,
        period,
        renew_flag,
        accepted_price,
    )
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn quote_renew(
    state: AppStateRef<'_>,
    scope: Scope,
    instance_ids: Vec<String>,
    period: u32,
) -> Result<BillingQuote, AppError> {
    let client = state.reader(&scope.profile, &scope.region).await?;
    billing::quote_renew(&client, &scope.region, &instance_ids, period).await
}

/// Renews prepaid instances, only at the price the user accepted.
#[tauri::command]
#[specta::specta]
pub async fn renew_instances(
    state: AppStateRef<'_>,
    scope: Scope,
    instance_ids: Vec<String>,
    period: u32,
    accepted_price: f64,
) -> Result<ActionReport, AppError> {
    let client = state.writer(&scope.profile, &scope.region).await?;
    billing::renew(
        &client,
        &scope.region,
        &instance_ids,
        period,
        accepted_price,
    )
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn set_renew_flag(
    state: AppStateRef<'_>,
    scope: Scope,
    instance_ids: Vec<String>,
    renew_flag: RenewFlag,
) -> Result<ActionReport, AppError> {
    let client = state.writer(&scope.profile, &scope.region).await?;
    billing::set_renew_flag(&client, &scope.region, &instance_ids, renew_flag).await
}

/// The region's launch templates.
#[tauri::command]
#[specta::specta]
pub async fn list_launch_templates(
    state: AppStateRef<'_>,
    scope: Scope,
) -> Result<Vec<LaunchTemplateView>, AppError> {
    let client = state.reader(&scope.profile, &scope.region).await?;
    templates::list(&client, &scope.region).await
}

/// Saves the wizard's spec as a launch template (without its password); returns the id.
#[tauri::command]
#[specta::specta]
pub async fn save_launch_template(
    state: AppStateRef<'_>,
    profile_id: ProfileId,
    spec: LaunchSpec,
    name: String,
    description: String,
) -> Result<String, AppError> {
    let profile = state.writable_profile(&profile_id)?;
    let client = state.client(&profile).await?;
    templates::save(&client, &spec, &name, &description, max_name(&profile)).await
}

/// A template version (the default when `version` is null) as a wizard draft.
#[tauri::command]
#[specta::specta]
pub async fn launch_template_draft(
    state: AppStateRef<'_>,
    scope: Scope,
    template_id: String,
    version: Option<u32>,
) -> Result<LaunchDraft, AppError> {
    let client = state.reader(&scope.profile, &scope.region).await?;
    templates::draft(&client, &scope.region, &template_id, version).await
}

/// Deletes a launch template; `confirm` is its id, as the confirmation dialog sends it.
#[tauri::command]
#[specta::specta]
pub async fn delete_launch_template(
    state: AppStateRef<'_>,
    scope: Scope,
    template_id: String,
    confirm: String,
) -> Result<(), AppError> {
    crate::consent::check_named("confirm", &confirm, &[template_id.as_str()])?;
    let client = state.writer(&scope.profile, &scope.region).await?;
    templates::delete(&client, &scope.region, &template_id).await
}

/// "Buy the same configuration" of an existing instance, as a wizard draft.
#[tauri::command]
#[specta::specta]
pub async fn same_configuration_draft(
    state: AppStateRef<'_>,
    scope: Scope,
    instance_id: InstanceId,
) -> Result<LaunchDraft, AppError> {
    let client = state.reader(&scope.profile, &scope.region).await?;
    draft::same_as(&client, &scope.region, &instance_id).await
}

/// The estimated run-rate of the given regions, by billing model.
#[tauri::command]
#[specta::specta]
pub async fn cost_estimate(
    state: AppStateRef<'_>,
    profile_id: ProfileId,
    regions: Vec<String>,
) -> Result<CostEstimate, AppError> {
    let profile = state.profile(&profile_id)?;
    let client = state.client(&profile).await?;
    cost::estimate(&client, &profile.id, &regions).await
}
