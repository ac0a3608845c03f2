//! Console commands: regions, zones, instances and their lifecycle, the activity log.
//! Each resolves the profile, validates input before any call, and hands over to
//! `crate::console`. Mutations are refused for a locked read-only profile.

use crate::consent::Consent;
use crate::console::activity::{ActivityEntry, ActivityFilter};
use crate::console::cache::{CachedList, ListCache};
use crate::console::export::{self, ExportFormat};
use crate::console::fleet::{self, FleetEvent, FleetSummary, FleetTarget};
use crate::console::instances::{
    self as core, ActionReport, InstancePage, InstanceView, Lifecycle, ListSummary, RegionView,
    StopType, StoppedMode, TagCondition, TerminateQuote, ZoneView,
};
use crate::console::listing::{self, ListEvent, StreamSummary, Ticket};
use crate::console::settings::ConsoleSettings;
use crate::console::tags::{self, TagInput, TagReport};
use crate::console::watch::{InstanceChange, WatchConfig};
use crate::error::{AppCode, AppError};
use crate::profiles::{Profile, Site};
use crate::state::{AppState, lock};
use crate::types::{Language, ProfileId, Scope};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime, State};
use tencent_api::Sensitive;

type AppStateRef<'a> = State<'a, Arc<AppState>>;

#[tauri::command]
#[specta::specta]
pub async fn list_regions(
    state: AppStateRef<'_>,
    profile_id: ProfileId,
    language: Language,
) -> Result<Vec<RegionView>, AppError> {
    let profile = state.profile(&profile_id)?;
    let client = state.client_in(&profile, language).await?;
    core::list_regions(&client).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_zones(
    state: AppStateRef<'_>,
    scope: Scope,
    language: Language,
) -> Result<Vec<ZoneView>, AppError> {
    core::validate_region(&scope.region)?;
    let profile = state.profile(&scope.profile)?;
    let client = state.client_in(&profile, language).await?;
    core::list_zones(&client, &scope.region).await
}

/// Streams the region's instances page by page through `on_page` (the first page as soon
/// as it arrives) and resolves with the totals once all pages are in.
#[tauri::command]
#[specta::specta]
pub async fn list_instances(
    state: AppStateRef<'_>,
    scope: Scope,
    zone: Option<String>,
    on_page: Channel<InstancePage>,
) -> Result<ListSummary, AppError> {
    core::validate_region(&scope.region)?;
    if let Some(z) = &zone {
        core::validate_zone(&scope.region, z)?;
    }
    let client = state.reader(&scope.profile, &scope.region).await?;
    core::list_instances(&client, &scope.region, zone.as_deref(), |page| {
        if let Err(e) = on_page.send(page) {
            tracing::warn!("list_instances: the page channel is gone: {e}");
        }
    })
    .await
}

/// Remembers the region last shown for the profile.
#[tauri::command]
#[specta::specta]
pub fn set_last_region(state: AppStateRef<'_>, scope: Scope) -> Result<(), AppError> {
    core::validate_region(&scope.region)?;
    state.profile(&scope.profile)?;
    state.update_profiles(|f| {
        if let Some(p) = f.get_mut(&scope.profile) {
            p.last_region = Some(scope.region.to_string());
        }
        Ok(())
    })
}

/// Validates, checks the profile may change things, runs the action and starts watching
/// the instances it affected; their state changes stream through `on_change` until they
/// settle (a channel, not an event: it needs no extra capability and reaches only the
/// page that asked).
async fn act(
    on_change: Channel<InstanceChange>,
    state: &AppState,
    profile_id: &str,
    region: &str,
    instance_ids: &[String],
    action: impl AsyncFnOnce(&tencent_api::Client, &Profile, &[String]) -> Result<Lifecycle, AppError>,
) -> Result<ActionReport, AppError> {
    core::validate_region(region)?;
    let ids = core::validate_ids(instance_ids)?;
    let profile = state.writable_profile(profile_id)?;
    let client = state.client(&profile).await?;
    let action = action(&client, &profile, &ids).await?;
    let report = core::run_action(&client, region, &ids, &action).await;
    if action.changes_state() {
        let ok: Vec<String> = report
            .results
            .iter()
            .filter(|r| r.ok)
            .map(|r| r.instance_id.clone())
            .collect();
        if !ok.is_empty() {
            super::forward_changes(
                on_change,
                client,
                profile.id.clone(),
                region.to_owned(),
                ok,
                action.expected_state().map(str::to_owned),
                WatchConfig::default(),
            );
        }
    }
    Ok(report)
}

/// Sets tags on instances through the tag service (a key they carry gets the new value).
#[tauri::command]
#[specta::specta]
pub async fn set_instance_tags(
    state: AppStateRef<'_>,
    scope: Scope,
    instance_ids: Vec<String>,
    tags: Vec<TagInput>,
) -> Result<TagReport, AppError> {
    tags::set_tags(&state, &scope.profile, &scope.region, &instance_ids, &tags).await
}

/// Removes tag keys from instances, once the dialog's confirmation names each of them.
#[tauri::command]
#[specta::specta]
pub async fn remove_instance_tags(
    state: AppStateRef<'_>,
    scope: Scope,
    instance_ids: Vec<String>,
    keys: Vec<String>,
    consent: Consent,
) -> Result<TagReport, AppError> {
    tags::remove_tags(
        &state,
        &scope.profile,
        &scope.region,
        &instance_ids,
        &keys,
        &consent,
    )
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn start_instances(
    state: AppStateRef<'_>,
    scope: Scope,
    instance_ids: Vec<String>,
    on_change: Channel<InstanceChange>,
) -> Result<ActionReport, AppError> {
    act(
        on_change,
        &state,
        &scope.profile,
        &scope.region,
        &instance_ids,
        async |_, _, _| Ok(Lifecycle::Start),
    )
    .await
}

#[tauri::command]
#[specta::specta]
#[allow(clippy::too_many_arguments)]
pub async fn stop_instances(
    state: AppStateRef<'_>,
    scope: Scope,
    instance_ids: Vec<String>,
    stop_type: StopType,
    stopped_mode: StoppedMode,
    consent: Consent,
    on_change: Channel<InstanceChange>,
) -> Result<ActionReport, AppError> {
    consent.check_stop(&instance_ids, stop_type, stopped_mode)?;
    act(
        on_change,
        &state,
        &scope.profile,
        &scope.region,
        &instance_ids,
        async |_, _, _| {
            Ok(Lifecycle::Stop {
                stop_type,
                stopped_mode,
            })
        },
    )
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn reboot_instances(
    state: AppStateRef<'_>,
    scope: Scope,
    instance_ids: Vec<String>,
    stop_type: StopType,
    consent: Consent,
    on_change: Channel<InstanceChange>,
) -> Result<ActionReport, AppError> {
    consent.check_reboot(&instance_ids, stop_type)?;
    act(
        on_change,
        &state,
        &scope.profile,
        &scope.region,
        &instance_ids,
        async |_, _, _| Ok(Lifecycle::Reboot { stop_type }),
    )
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn terminate_instances(
    state: AppStateRef<'_>,
    scope: Scope,
    instance_ids: Vec<String>,
    release_address: bool,
    consent: Consent,
    on_change: Channel<InstanceChange>,
) -> Result<ActionReport, AppError> {
    consent.check_terminate(&instance_ids)?;
    act(
        on_change,
        &state,
        &scope.profile,
        &scope.region,
        &instance_ids,
        async |_, _, _| Ok(Lifecycle::Terminate { release_address }),
    )
    .await
}

/// Refunds, protection and current states for the terminate dialog (reads only).
#[tauri::command]
#[specta::specta]
pub async fn terminate_quote(
    state: AppStateRef<'_>,
    scope: Scope,
    instance_ids: Vec<String>,
) -> Result<TerminateQuote, AppError> {
    core::validate_region(&scope.region)?;
    let ids = core::validate_ids(&instance_ids)?;
    let client = state.reader(&scope.profile, &scope.region).await?;
    core::terminate_quote(&client, &scope.region, &ids).await
}

/// The most regions one listing fans out over.
const MAX_REGIONS: usize = 64;

/// Lists one region or several ("All regions") through the profile's client and rate
/// budget, streaming pages and per-region outcomes through `on_event`. `slot` names the
/// view asking: a newer listing in the same slot cancels this one, so a stale stream
/// never writes into the new view. Complete whole-region lists are cached for the next
/// start.
#[tauri::command]
#[specta::specta]
#[allow(clippy::too_many_arguments)]
pub async fn stream_instances<R: Runtime>(
    app: AppHandle<R>,
    state: AppStateRef<'_>,
    profile_id: ProfileId,
    regions: Vec<String>,
    zone: Option<String>,
    slot: String,
    on_event: Channel<ListEvent>,
) -> Result<StreamSummary, AppError> {
    if regions.is_empty() {
        return Err(crate::profiles::invalid(
            "regions",
            "choose at least one region",
        ));
    }
    if regions.len() > MAX_REGIONS {
        return Err(crate::profiles::invalid(
            "regions",
            format!("at most {MAX_REGIONS} regions at once"),
        ));
    }
    // Each region is checked where it is listed: one bad region fails alone.
    if let Some(z) = &zone {
        if regions.len() != 1 {
            return Err(crate::profiles::invalid(
                "zone",
                "a zone filter needs exactly one region",
            ));
        }
        core::validate_zone(&regions[0], z)?;
    }
    check_slot(&slot)?;
    let profile = state.profile(&profile_id)?;
    let client = state.client(&profile).await?;
    // The slot is the view, whatever the profile: switching profiles cancels too.
    let ticket = Ticket::take(&slot);
    let cache = app.path().app_cache_dir().ok().map(|d| ListCache::new(&d));
    let filter = core::ListFilter::zone(zone.as_deref());
    Ok(listing::stream_checked(
        &client,
        &regions,
        &filter,
        &ticket,
        |event| {
            let event = event
                .for_profile(&profile.id)
                .map_error(|e| crate::roles::name_profile(&profile, e));
            if let Err(e) = on_event.send(event) {
                tracing::debug!("stream_instances: the channel is gone: {e}");
            }
        },
        |region, rows| {
            if filter.is_whole()
                && let Some(cache) = &cache
                && let Err(e) = cache.save(&profile.id, region, rows)
            {
                tracing::warn!("{e}");
            }
        },
    )
    .await)
}

/// Lists a fleet: several accounts (profiles), each over the given regions or its
/// enabled ones, all accounts at once, each through its own client and budget. `targets`
/// None means every profile. Each (account, region) streams its own start, pages, end
/// or failure through `on_event`; `slot` works as for `stream_instances`. Complete
/// whole-region lists are cached. `tags` (None or empty: no tag filter) lists only the
/// instances carrying every condition, filtered by Tencent (`tag:<key>`, `tag-key`), and
/// caches nothing.
#[tauri::command]
#[specta::specta]
pub async fn stream_fleet<R: Runtime>(
    app: AppHandle<R>,
    state: AppStateRef<'_>,
    targets: Option<Vec<FleetTarget>>,
    slot: String,
    on_event: Channel<FleetEvent>,
    tags: Option<Vec<TagCondition>>,
) -> Result<FleetSummary, AppError> {
    let targets = targets.unwrap_or_else(|| fleet::default_targets(&state));
    fleet::validate_targets(&targets)?;
    let tags = tags.unwrap_or_default();
    core::validate_tag_conditions(&tags)?;
    check_slot(&slot)?;
    for t in &targets {
        state.profile(&t.profile_id)?;
    }
    let ticket = Ticket::take(&slot);
    let cache = app.path().app_cache_dir().ok().map(|d| ListCache::new(&d));
    let settings = console_settings(&app).ok();
    Ok(fleet::stream_fleet(
        state.inner().clone(),
        settings,
        targets,
        tags,
        &ticket,
        |event| {
            if let Err(e) = on_event.send(event) {
                tracing::debug!("stream_fleet: the channel is gone: {e}");
            }
        },
        |profile, region, rows| {
            if let Some(cache) = &cache
                && let Err(e) = cache.save(profile, region, rows)
            {
                tracing::warn!("{e}");
            }
        },
    )
    .await)
}

/// The fleet's last seen lists (every cached region of each account, or the named ones),
/// to show at once while `stream_fleet` runs. `targets` None means every profile.
#[tauri::command]
#[specta::specta]
pub fn cached_fleet<R: Runtime>(
    app: AppHandle<R>,
    state: AppStateRef<'_>,
    targets: Option<Vec<FleetTarget>>,
) -> Result<Vec<CachedList>, AppError> {
    let targets = targets.unwrap_or_else(|| fleet::default_targets(&state));
    fleet::validate_targets(&targets)?;
    for t in &targets {
        state.profile(&t.profile_id)?;
    }
    let dir = app
        .path()
        .app_cache_dir()
        .map_err(|e| AppError::internal(AppCode::Cache, e.to_string()))?;
    Ok(fleet::cached_fleet(&ListCache::new(&dir), &targets))
}

fn check_slot(slot: &str) -> Result<(), AppError> {
    if slot.is_empty() || slot.len() > 64 {
        return Err(crate::profiles::invalid(
            "slot",
            "a listing slot name is 1–64 characters",
        ));
    }
    Ok(())
}

/// The list last seen for the profile and region (None when there is none or it cannot
/// be read), to show at once while a fresh listing runs.
#[tauri::command]
#[specta::specta]
pub fn cached_instances<R: Runtime>(
    app: AppHandle<R>,
    state: AppStateRef<'_>,
    scope: Scope,
) -> Result<Option<CachedList>, AppError> {
    core::validate_region(&scope.region)?;
    let profile = state.profile(&scope.profile)?;
    let dir = app
        .path()
        .app_cache_dir()
        .map_err(|e| AppError::internal(AppCode::Cache, e.to_string()))?;
    Ok(ListCache::new(&dir).load(&profile.id, &scope.region))
}

fn console_settings<R: Runtime>(app: &AppHandle<R>) -> Result<ConsoleSettings, AppError> {
    let dir = app
        .path()
        .app_config_dir()
        .map_err(|e| AppError::internal(AppCode::Settings, e.to_string()))?;
    Ok(ConsoleSettings::new(&dir))
}

/// The regions "All regions" lists for the profile; None means all of them.
#[tauri::command]
#[specta::specta]
pub fn enabled_regions<R: Runtime>(
    app: AppHandle<R>,
    state: AppStateRef<'_>,
    profile_id: ProfileId,
) -> Result<Option<Vec<String>>, AppError> {
    state.profile(&profile_id)?;
    Ok(console_settings(&app)?.enabled_regions(&profile_id))
}

#[tauri::command]
#[specta::specta]
pub fn set_enabled_regions<R: Runtime>(
    app: AppHandle<R>,
    state: AppStateRef<'_>,
    profile_id: ProfileId,
    regions: Option<Vec<String>>,
) -> Result<(), AppError> {
    state.profile(&profile_id)?;
    console_settings(&app)?.set_enabled_regions(&profile_id, regions)
}

/// Writes the rows the page shows (filtered and sorted) as CSV or JSON where the user
/// chooses in a native save dialog; None when the dialog was cancelled, else the path.
/// Debug builds honour `CVM_CONSOLE_E2E_EXPORT_DIR` instead (end-to-end tests cannot
/// drive a native dialog); release builds never read it.
#[tauri::command]
#[specta::specta]
pub async fn export_instances<R: Runtime>(
    app: AppHandle<R>,
    state: AppStateRef<'_>,
    format: ExportFormat,
    rows: Vec<InstanceView>,
    dialog_title: String,
) -> Result<Option<String>, AppError> {
    let accounts: export::AccountNames = lock(&state.profiles)
        .profiles
        .iter()
        .map(|p| (p.id.clone(), p.name.clone()))
        .collect();
    // Checked before the dialog opens: nothing to export means no dialog.
    export::render(format, &rows, &accounts)?;
    let ext = format.extension();
    let upper = ext.to_uppercase();
    let path = super::save_path(
        &app,
        super::SaveAs {
            title: &dialog_title,
            fallback: "Export instances",
            file_name: format!("instances.{ext}"),
            filter: (&upper, ext),
            e2e_dir_var: "CVM_CONSOLE_E2E_EXPORT_DIR",
        },
    )
    .await?;
    let Some(path) = path else {
        return Ok(None);
    };
    export::write(&path, format, &rows, &accounts)?;
    Ok(Some(path.display().to_string()))
}

#[tauri::command]
#[specta::specta]
pub async fn rename_instances(
    state: AppStateRef<'_>,
    scope: Scope,
    instance_ids: Vec<String>,
    name: String,
    on_change: Channel<InstanceChange>,
) -> Result<ActionReport, AppError> {
    act(
        on_change,
        &state,
        &scope.profile,
        &scope.region,
        &instance_ids,
        async |_, profile: &Profile, _| {
            let max = if matches!(profile.site, Site::Intl) {
                128
            } else {
                60
            };
            Ok(Lifecycle::Rename {
                name: core::validate_instance_name(&name, max)?,
            })
        },
    )
    .await
}

/// The new password arrives write-only: it is never echoed, logged or returned.
#[derive(Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PasswordInput {
    #[specta(type = String)]
    pub password: Sensitive,
    /// Default: Administrator on Windows, root elsewhere (ubuntu on Ubuntu images).
    pub user_name: Option<String>,
    /// Force a running instance off when it does not shut down cleanly.
    pub force_stop: bool,
}

#[tauri::command]
#[specta::specta]
pub async fn reset_instances_password(
    state: AppStateRef<'_>,
    scope: Scope,
    instance_ids: Vec<String>,
    input: PasswordInput,
    on_change: Channel<InstanceChange>,
) -> Result<ActionReport, AppError> {
    act(
        on_change,
        &state,
        &scope.profile,
        &scope.region,
        &instance_ids,
        async |client, _, ids: &[String]| {
            core::password_action(
                client,
                &scope.region,
                ids,
                input.password,
                input.user_name,
                input.force_stop,
            )
            .await
        },
    )
    .await
}

#[tauri::command]
#[specta::specta]
pub fn activity_log(
    state: AppStateRef<'_>,
    filter: ActivityFilter,
) -> Result<Vec<ActivityEntry>, AppError> {
    Ok(state.activity.query(&filter))
}

/// What the status bar shows: calls in flight and waiting for rate budget (the
/// profile's client), and the calls and failures since start-up.
#[derive(Clone, Debug, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ActivityStatus {
    pub in_flight: u32,
    pub waiting: u32,
    pub calls: u32,
    pub failures: u32,
}

#[tauri::command]
#[specta::specta]
pub fn activity_status(state: AppStateRef<'_>, profile_id: String) -> ActivityStatus {
    let snap = state
        .existing_client(&profile_id)
        .map(|c| c.budget().snapshot());
    let (calls, failures) = state.activity.counts();
    let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
    ActivityStatus {
        in_flight: snap.as_ref().map_or(0, |s| n(s.in_flight)),
        waiting: snap.as_ref().map_or(0, |s| n(s.waiting)),
        calls,
        failures,
    }
}
