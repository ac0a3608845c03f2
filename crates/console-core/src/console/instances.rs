//! The console's Tauri-free core: input validation, IPC DTOs built from the API models,
//! region/zone/instance listing and the lifecycle actions (chunked, with per-instance
//! results). Commands in `commands/instances.rs` are thin wrappers over this.

pub use crate::console::filter::{ListFilter, TagCondition, TagView, validate_tag_conditions};
use crate::error::{AppCode, AppError, ErrorKind};
use crate::profiles::invalid;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use tencent_api::models::cvm;
use tencent_api::{Client, Sensitive, chunk_ids};

/// The most ids one console action takes (it is split into calls of ≤100).
pub const MAX_SELECTION: usize = 1000;

// ---------------------------------------------------------------- validation

/// A region the app knows (format first, then the catalog of regions CVM serves).
pub use crate::types::validate_region;

/// A region the profile's own DescribeRegions did not name.
pub fn check_live_region(region: &str, live: &[RegionView]) -> Result<(), AppError> {
    if live.iter().any(|r| r.id == region) {
        Ok(())
    } else {
        Err(AppError::not_found(
            AppCode::UnknownRegion,
            format!("{region} is not among this account's regions (DescribeRegions)"),
        )
        .with_field("region"))
    }
}

/// A zone of `region`, like `ap-guangzhou-3`.
pub fn validate_zone(region: &str, zone: &str) -> Result<(), AppError> {
    let ok = zone
        .strip_prefix(region)
        .and_then(|r| r.strip_prefix('-'))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    if ok {
        Ok(())
    } else {
        Err(invalid(
            "zone",
            format!("{zone:?} is not a zone of {region} (for example {region}-3)"),
        ))
    }
}

/// A non-empty selection of well-formed instance ids, duplicates dropped, order kept.
pub fn validate_ids(ids: &[String]) -> Result<Vec<String>, AppError> {
    if ids.is_empty() {
        return Err(invalid("instanceIds", "select at least one instance"));
    }
    if ids.len() > MAX_SELECTION {
        return Err(invalid(
            "instanceIds",
            format!(
                "{} instances selected; at most {MAX_SELECTION} at once",
                ids.len()
            ),
        ));
    }
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        tencent_api::validate_id("instanceIds", "ins", id).map_err(|_| {
            invalid(
                "instanceIds",
                format!("{id:?} is not an instance id (ins-xxxxxxxx)"),
            )
        })?;
        if seen.insert(id.as_str()) {
            out.push(id.clone());
        }
    }
    Ok(out)
}

/// Instance names: 1–60 characters on the China site, 1–128 on the international one.
pub fn validate_instance_name(name: &str, max_chars: usize) -> Result<String, AppError> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err(invalid("name", "a name is required"));
    }
    if trimmed.chars().count() > max_chars {
        return Err(invalid(
            "name",
            format!("a name is at most {max_chars} characters"),
        ));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(invalid("name", "a name cannot contain control characters"));
    }
    Ok(trimmed.to_owned())
}

/// The special characters Tencent accepts in instance passwords.
pub const PASSWORD_SPECIALS: &str = "()`~!@#$%^&*-+=_|{}[]:;'<>,.?/";

/// Tencent's ResetInstancesPassword rules: Linux 8–30 characters, Windows 12–30 and not
/// containing the user name; at least three of lower case, upper case, digits and
/// [`PASSWORD_SPECIALS`]; nothing else; not starting with `/`. Messages never echo it.
pub fn check_password(password: &str, windows: bool, user_name: &str) -> Result<(), AppError> {
    let len = password.chars().count();
    let min = if windows { 12 } else { 8 };
    if !(min..=30).contains(&len) {
        return Err(invalid(
            "password",
            format!(
                "the password must be {min}–30 characters{}",
                if windows { " (Windows)" } else { "" }
            ),
        ));
    }
    if let Some(bad) = password
        .chars()
        .find(|c| !c.is_ascii_alphanumeric() && !PASSWORD_SPECIALS.contains(*c))
    {
        let shown = if bad.is_whitespace() {
            "a space".to_owned()
        } else {
            "a character".to_owned()
        };
        return Err(invalid(
            "password",
            format!(
                "the password contains {shown} Tencent does not accept; use letters, digits and {PASSWORD_SPECIALS}"
            ),
        ));
    }
    if password.starts_with('/') {
        return Err(invalid("password", "the password cannot start with /"));
    }
    let classes = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| PASSWORD_SPECIALS.contains(c)),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    if classes < 3 {
        return Err(invalid(
            "password",
            "the password needs at least three of: lower case, upper case, digits, special characters",
        ));
    }
    if windows
        && !user_name.is_empty()
        && password.to_lowercase().contains(&user_name.to_lowercase())
    {
        return Err(invalid(
            "password",
            "a Windows password cannot contain the user name",
        ));
    }
    Ok(())
}

/// A user name for ResetInstancesPassword: up to 64 letters, digits, `-`, `_` or `.`.
pub fn validate_user_name(name: &str) -> Result<(), AppError> {
    if name.is_empty()
        || name.len() > 64
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    {
        return Err(invalid(
            "userName",
            "a user name is 1–64 letters, digits, - _ or .",
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------- DTOs

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RegionView {
    pub id: String,
    /// Localised by the request's language.
    pub name: String,
    pub available: bool,
    /// `chinaMainland`, `asiaPacific`, `europe`, `northAmerica`, `southAmerica` or `other`.
    pub geography: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ZoneView {
    pub zone: String,
    pub name: String,
    pub zone_id: String,
    pub available: bool,
}

/// One instance as the list shows it. Deserialize: it comes back from the list cache
/// and from the UI for an export; it holds no secret.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct InstanceView {
    pub id: String,
    /// The profile (account) it was listed through.
    pub profile_id: String,
    pub region: String,
    pub name: String,
    pub state: String,
    pub zone: String,
    pub instance_type: String,
    pub cpu: u32,
    pub memory_gib: u32,
    pub private_ips: Vec<String>,
    pub public_ips: Vec<String>,
    /// PREPAID, POSTPAID_BY_HOUR, SPOTPAID, CDHPAID, CDCPAID.
    pub charge_type: String,
    pub internet_charge_type: Option<String>,
    pub bandwidth_out_mbps: u32,
    pub expired_time: Option<String>,
    pub created_time: Option<String>,
    pub tags: Vec<TagView>,
    pub os_name: Option<String>,
    pub restrict_state: Option<String>,
    pub stop_charging_mode: Option<String>,
    pub disable_api_termination: bool,
    pub latest_operation: Option<String>,
    pub latest_operation_state: Option<String>,
    /// The RequestId of the latest operation: an operation's own id, so a new one shows
    /// that something was done to the instance, and by whom (the app knows its own ids).
    #[serde(default)]
    pub latest_operation_request_id: Option<String>,
    pub latest_operation_error: Option<String>,
}

fn clamp_u32(n: Option<i64>) -> u32 {
    n.and_then(|n| u32::try_from(n).ok()).unwrap_or(0)
}

pub fn instance_view(region: &str, i: &cvm::Instance) -> InstanceView {
    let internet = i.internet_accessible.as_ref();
    InstanceView {
        id: i.instance_id.clone().unwrap_or_default(),
        profile_id: String::new(),
        region: region.to_owned(),
        name: i.instance_name.clone().unwrap_or_default(),
        state: i.instance_state.clone().unwrap_or_default(),
        zone: i
            .placement
            .as_ref()
            .and_then(|p| p.zone.clone())
            .unwrap_or_default(),
        instance_type: i.instance_type.clone().unwrap_or_default(),
        cpu: clamp_u32(i.cpu),
        memory_gib: clamp_u32(i.memory),
        private_ips: i.private_ip_addresses.clone().unwrap_or_default(),
        public_ips: i.public_ip_addresses.clone().unwrap_or_default(),
        charge_type: i.instance_charge_type.clone().unwrap_or_default(),
        internet_charge_type: internet.and_then(|n| n.internet_charge_type.clone()),
        bandwidth_out_mbps: clamp_u32(internet.and_then(|n| n.internet_max_bandwidth_out)),
        expired_time: i.expired_time.clone().filter(|s| !s.is_empty()),
        created_time: i.created_time.clone(),
        tags: i
            .tags
            .iter()
            .flatten()
            .map(|t| TagView {
                key: t.key.clone().unwrap_or_default(),
                value: t.value.clone().unwrap_or_default(),
            })
            .collect(),
        os_name: i.os_name.clone(),
        restrict_state: i.restrict_state.clone(),
        stop_charging_mode: i.stop_charging_mode.clone(),
        disable_api_termination: i.disable_api_termination.unwrap_or(false),
        latest_operation: i.latest_operation.clone(),
        latest_operation_state: i.latest_operation_state.clone(),
        latest_operation_request_id: i.latest_operation_request_id.clone(),
        latest_operation_error: i
            .latest_operation_error_msg
            .clone()
            .filter(|s| !s.is_empty()),
    }
}

/// One page of a listing, as streamed to the UI.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct InstancePage {
    pub region: String,
    pub offset: u32,
    /// TotalCount as of this page.
    pub total: u32,
    pub instances: Vec<InstanceView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ListSummary {
    pub region: String,
    pub total: u32,
    pub loaded: u32,
    pub pages: u32,
}

// What an action on many instances reports, instance by instance.
pub use crate::console::batch::{ActionReport, InstanceResult};

// How an instance stops, and whether a stopped one keeps billing: below the console,
// for the consent check too.
pub use crate::types::{StopType, StoppedMode};

/// A lifecycle action, validated.
#[derive(Clone, Debug)]
pub enum Lifecycle {
    Start,
    Stop {
        stop_type: StopType,
        stopped_mode: StoppedMode,
    },
    Reboot {
        stop_type: StopType,
    },
    Terminate {
        /// Also release the EIP bound to the primary network interface (ReleaseAddress).
        release_address: bool,
    },
    Rename {
        name: String,
    },
    ResetPassword {
        password: Sensitive,
        user_name: Option<String>,
        force_stop: bool,
    },
}

impl Lifecycle {
    pub fn api_name(&self) -> &'static str {
        match self {
            Lifecycle::Start => "StartInstances",
            Lifecycle::Stop { .. } => "StopInstances",
            Lifecycle::Reboot { .. } => "RebootInstances",
            Lifecycle::Terminate { .. } => "TerminateInstances",
            Lifecycle::Rename { .. } => "ModifyInstancesAttribute",
            Lifecycle::ResetPassword { .. } => "ResetInstancesPassword",
        }
    }

    /// Whether the instances move through transient states worth watching afterwards.
    pub fn changes_state(&self) -> bool {
        !matches!(self, Lifecycle::Rename { .. })
    }

    /// The steady state an instance is expected to reach (None: leaves or any steady state).
    pub fn expected_state(&self) -> Option<&'static str> {
        match self {
            Lifecycle::Start | Lifecycle::Reboot { .. } => Some("RUNNING"),
            Lifecycle::Stop { .. } => Some("STOPPED"),
            // Prepaid instances go to the recycle bin; the others disappear.
            Lifecycle::Terminate { .. } => Some("SHUTDOWN"),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------- calls

/// Mainland China regions (the `ap-` prefix covers all of Asia-Pacific).
const MAINLAND: &[&str] = &[
    "ap-beijing",
    "ap-shanghai",
    "ap-guangzhou",
    "ap-chengdu",
    "ap-chongqing",
    "ap-nanjing",
    "ap-shanghai-fsi",
    "ap-shenzhen-fsi",
    "ap-shenzhen",
    "ap-tianjin",
    "ap-wuhan",
];

pub fn geography(region: &str) -> &'static str {
    if MAINLAND.contains(&region) {
        "chinaMainland"
    } else if region.starts_with("ap-") {
        "asiaPacific"
    } else if region.starts_with("eu-") {
        "europe"
    } else if region.starts_with("na-") {
        "northAmerica"
    } else if region.starts_with("sa-") {
        "southAmerica"
    } else {
        "other"
    }
}

/// DescribeRegions is not region-scoped; any valid region routes it.
const ANY_REGION: &str = "ap-guangzhou";

pub async fn list_regions(client: &Client) -> Result<Vec<RegionView>, AppError> {
    let out = client
        .describe_regions(ANY_REGION, &cvm::DescribeRegionsRequest::default())
        .await
        .map_err(|e| listing_error(client, e))?;
    Ok(out
        .region_set
        .unwrap_or_default()
        .into_iter()
        .filter_map(|r| {
            let id = r.region?;
            Some(RegionView {
                geography: geography(&id).to_owned(),
                name: r.region_name.unwrap_or_else(|| id.clone()),
                available: r.region_state.as_deref().is_none_or(|s| s == "AVAILABLE"),
                id,
            })
        })
        .collect())
}

pub async fn list_zones(client: &Client, region: &str) -> Result<Vec<ZoneView>, AppError> {
    validate_region(region)?;
    let out = client
        .describe_zones(region, &cvm::DescribeZonesRequest::default())
        .await?;
    Ok(out
        .zone_set
        .unwrap_or_default()
        .into_iter()
        .filter_map(|z| {
            let zone = z.zone?;
            Some(ZoneView {
                name: z.zone_name.unwrap_or_else(|| zone.clone()),
                zone_id: z.zone_id.unwrap_or_default(),
                available: z.zone_state.as_deref() == Some("AVAILABLE"),
                zone,
            })
        })
        .collect())
}

const PAGE: i64 = 100;
const PAGE_CONCURRENCY: usize = 4;

fn describe_page(filter: &ListFilter, offset: i64) -> cvm::DescribeInstancesRequest {
    cvm::DescribeInstancesRequest {
        filters: filter.api_filters(),
        offset: Some(offset),
        limit: Some(PAGE),
        ..Default::default()
    }
}

/// Lists a region's instances (optionally of one zone): the first page is handed to
/// `on_page` as soon as it arrives, so the UI can show it; the remaining pages follow,
/// fetched a few at a time (the client's rate budget still spaces them) and handed over
/// as they complete. Instances seen twice (shifted across a page boundary while the
/// list changes) are dropped. The first failure ends the listing.
pub async fn list_instances(
    client: &Client,
    region: &str,
    zone: Option<&str>,
    on_page: impl FnMut(InstancePage),
) -> Result<ListSummary, AppError> {
    list_instances_while(client, region, &ListFilter::zone(zone), &|| true, on_page).await
}

/// The code of a listing abandoned because a newer one replaced it.
pub const SUPERSEDED: AppCode = AppCode::ListingSuperseded;

fn superseded() -> AppError {
    AppError::internal(SUPERSEDED, "a newer listing replaced this one")
}

/// [`list_instances`] that stops as soon as `keep_going` says no: no page is handed over
/// after that (pages in flight are dropped) and it fails with [`SUPERSEDED`].
pub async fn list_instances_while(
    client: &Client,
    region: &str,
    filter: &ListFilter,
    keep_going: &(dyn Fn() -> bool + Sync),
    mut on_page: impl FnMut(InstancePage),
) -> Result<ListSummary, AppError> {
    validate_region(region)?;
    if let Some(z) = &filter.zone {
        validate_zone(region, z)?;
    }
    validate_tag_conditions(&filter.tags)?;
    let mut seen = HashSet::new();
    let mut loaded = 0u32;
    let mut pages = 0u32;
    let mut emit = |offset: i64, out: cvm::DescribeInstancesResponse| -> u32 {
        let total = clamp_u32(out.total_count);
        let instances: Vec<InstanceView> = out
            .instance_set
            .unwrap_or_default()
            .iter()
            .map(|i| instance_view(region, i))
            .filter(|v| filter.matches(&v.tags) && seen.insert(v.id.clone()))
            .collect();
        loaded += instances.len() as u32;
        pages += 1;
        on_page(InstancePage {
            region: region.to_owned(),
            offset: u32::try_from(offset).unwrap_or(0),
            total,
            instances,
        });
        total
    };
    let first = client
        .describe_instances(region, &describe_page(filter, 0))
        .await
        .map_err(|e| listing_error(client, e))?;
    if !keep_going() {
        return Err(superseded());
    }
    let total = emit(0, first);
    let mut offsets = (1..)
        .map(|k| k * PAGE)
        .take_while(|o| *o < i64::from(total));
    let mut running = tokio::task::JoinSet::new();
    loop {
        while running.len() < PAGE_CONCURRENCY {
            let Some(offset) = offsets.next() else { break };
            let client = client.clone();
            let region = region.to_owned();
            let req = describe_page(filter, offset);
            running.spawn(async move { (offset, client.describe_instances(&region, &req).await) });
        }
        let Some(done) = running.join_next().await else {
            break;
        };
        let (offset, result) =
            done.map_err(|e| AppError::internal(AppCode::Listing, e.to_string()))?;
        if !keep_going() {
            // Dropping the set aborts the pages still in flight.
            return Err(superseded());
        }
        emit(offset, result.map_err(|e| listing_error(client, e))?);
    }
    Ok(ListSummary {
        region: region.to_owned(),
        total,
        loaded,
        pages,
    })
}

/// A listing call's failure as the app reports it. A role profile whose temporary
/// credentials are refused even after the one refresh the client makes, or whose role can
/// no longer be assumed (AssumeRole refused), gets an error of its own
/// (`App.RoleCredentialsFailed`, with the role and Tencent's code and message), not the
/// raw code of whichever call ran into it.
pub fn listing_error(client: &Client, e: tencent_api::Error) -> AppError {
    let Some(role) = client.role() else {
        return e.into();
    };
    let refused = matches!(e, tencent_api::Error::Api { .. }) && e.action() == Some("AssumeRole");
    let bad_keys = matches!(
        e.code(),
        "AuthFailure.TokenFailure"
            | "UnauthorizedOperation.InvalidToken"
            | "AuthFailure.SecretIdNotFound"
            | "AuthFailure.InvalidSecretId"
            | "AuthFailure.SignatureFailure"
    );
    if !(refused || bad_keys) {
        return e.into();
    }
    let how = if refused {
        "could not be renewed: AssumeRole was refused"
    } else {
        "were refused"
    };
    AppError {
        kind: ErrorKind::Auth,
        code: AppCode::RoleCredentialsFailed.into(),
        message: format!(
            "The temporary credentials of the role {} {how} ({}: {}).",
            role.role_arn(),
            e.code(),
            e.message()
        ),
        request_id: e.request_id().map(str::to_owned),
        field: None,
    }
}

/// Full descriptions of some instances (≤100 ids a call).
pub async fn describe_ids(
    client: &Client,
    region: &str,
    ids: &[String],
) -> Result<Vec<cvm::Instance>, tencent_api::Error> {
    let mut out = Vec::new();
    for chunk in chunk_ids("DescribeInstances", ids) {
        let req = cvm::DescribeInstancesRequest {
            instance_ids: Some(chunk.to_vec()),
            limit: Some(PAGE),
            ..Default::default()
        };
        let r = client.describe_instances(region, &req).await?;
        out.extend(r.instance_set.unwrap_or_default());
    }
    Ok(out)
}

async fn send(
    client: &Client,
    region: &str,
    action: &Lifecycle,
    ids: &[String],
) -> Result<Option<String>, tencent_api::Error> {
    let ids = Some(ids.to_vec());
    match action {
        Lifecycle::Start => client
            .start_instances(region, &cvm::StartInstancesRequest { instance_ids: ids })
            .await
            .map(|r| r.request_id),
        Lifecycle::Stop {
            stop_type,
            stopped_mode,
        } => client
            .stop_instances(
                region,
                &cvm::StopInstancesRequest {
                    instance_ids: ids,
                    stop_type: Some(stop_type.as_str().into()),
                    stopped_mode: Some(stopped_mode.as_str().into()),
                },
            )
            .await
            .map(|r| r.request_id),
        Lifecycle::Reboot { stop_type } => client
            .reboot_instances(
                region,
                &cvm::RebootInstancesRequest {
                    instance_ids: ids,
                    stop_type: Some(stop_type.as_str().into()),
                },
            )
            .await
            .map(|r| r.request_id),
        Lifecycle::Terminate { release_address } => client
            .terminate_instances(
                region,
                &cvm::TerminateInstancesRequest {
                    instance_ids: ids,
                    release_address: release_address.then_some(true),
                    ..Default::default()
                },
            )
            .await
            .map(|r| r.request_id),
        Lifecycle::Rename { name } => client
            .modify_instances_attribute(
                region,
                &cvm::ModifyInstancesAttributeRequest {
                    instance_ids: ids,
                    instance_name: Some(name.clone()),
                    ..Default::default()
                },
            )
            .await
            .map(|r| r.request_id),
        Lifecycle::ResetPassword {
            password,
            user_name,
            force_stop,
        } => client
            .reset_instances_password(
                region,
                &cvm::ResetInstancesPasswordRequest {
                    instance_ids: ids,
                    password: Some(password.clone()),
                    user_name: user_name.clone(),
                    force_stop: Some(*force_stop),
                },
            )
            .await
            .map(|r| r.request_id),
    }
}

/// A failed batch call changed nothing (Tencent rejects the whole request when any id is
/// refused), so when the refusal is about particular instances the ids are retried one
/// by one to tell which. Failures whose outcome is unknown are never repeated.
fn worth_splitting(e: &tencent_api::Error) -> bool {
    !e.outcome_unknown() && matches!(e.kind(), ErrorKind::StateConflict | ErrorKind::NotFound)
}

/// Runs `action` on `ids` in calls of at most 100 (the action's maximum), reporting a
/// result per instance. `ids` must have been validated.
pub async fn run_action(
    client: &Client,
    region: &str,
    ids: &[String],
    action: &Lifecycle,
) -> ActionReport {
    let mut results = Vec::with_capacity(ids.len());
    let groups = match action {
        Lifecycle::Terminate { .. } => {
            let (groups, refused) = terminate_groups(client, region, ids).await;
            results.extend(refused);
            groups
        }
        _ => vec![ids.to_vec()],
    };
    for group in &groups {
        let sent =
            crate::console::batch::per_chunk(action.api_name(), group, worth_splitting, |chunk| {
                Box::pin(async move { send(client, region, action, &chunk).await })
            })
            .await;
        results.extend(sent);
    }
    ActionReport::new(action.api_name(), region, results)
}

/// The code of a terminate the app refused to send: the instance has termination
/// protection, and TerminateInstances would refuse the whole call because of it.
pub const PROTECTED: AppCode = AppCode::TerminationProtected;

/// Splits a terminate by what TerminateInstances accepts in one call: protected
/// instances are refused here (not sent: the API would refuse the whole call), and the
/// rest is grouped by billing model (one call must not mix them). When the instances
/// cannot be described, everything goes in one group and the API decides.
async fn terminate_groups(
    client: &Client,
    region: &str,
    ids: &[String],
) -> (Vec<Vec<String>>, Vec<InstanceResult>) {
    let Ok(described) = describe_ids(client, region, ids).await else {
        return (vec![ids.to_vec()], Vec::new());
    };
    let by_id: std::collections::HashMap<&str, &cvm::Instance> = described
        .iter()
        .filter_map(|i| Some((i.instance_id.as_deref()?, i)))
        .collect();
    let mut refused = Vec::new();
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for id in ids {
        let inst = by_id.get(id.as_str());
        if inst.is_some_and(|i| i.disable_api_termination == Some(true)) {
            refused.push(InstanceResult {
                instance_id: id.clone(),
                ok: false,
                request_id: None,
                error: Some(AppError::conflict(
                    PROTECTED,
                    format!(
                        "{id} has termination protection (DisableApiTermination), so it was not sent; turn the protection off first"
                    ),
                )),
            });
            continue;
        }
        // Unknown ids get their own group: the API names them (InvalidInstanceId.NotFound).
        let charge = inst
            .and_then(|i| i.instance_charge_type.clone())
            .unwrap_or_default();
        match groups.iter_mut().find(|(c, _)| *c == charge) {
            Some((_, g)) => g.push(id.clone()),
            None => groups.push((charge, vec![id.clone()])),
        }
    }
    (groups.into_iter().map(|(_, g)| g).collect(), refused)
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RefundView {
    pub instance_id: String,
    /// In the account's currency (CNY on the China site, USD on the international one).
    pub refund: f64,
    pub detail: Option<String>,
}

/// What the terminate dialog needs besides the list: refunds of the prepaid instances
/// (InquiryPriceTerminateInstances), which are protected, which no longer exist.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TerminateQuote {
    pub refunds: Vec<RefundView>,
    pub protected: Vec<String>,
    pub missing: Vec<String>,
    /// The current states by id (they may have changed since the list was loaded).
    pub states: Vec<(String, String)>,
}

pub async fn terminate_quote(
    client: &Client,
    region: &str,
    ids: &[String],
) -> Result<TerminateQuote, AppError> {
    let described = describe_ids(client, region, ids).await?;
    let found: HashSet<&str> = described
        .iter()
        .filter_map(|i| i.instance_id.as_deref())
        .collect();
    let missing = ids
        .iter()
        .filter(|id| !found.contains(id.as_str()))
        .cloned()
        .collect();
    let protected = described
        .iter()
        .filter(|i| i.disable_api_termination == Some(true))
        .filter_map(|i| i.instance_id.clone())
        .collect();
    let states = described
        .iter()
        .filter_map(|i| Some((i.instance_id.clone()?, i.instance_state.clone()?)))
        .collect();
    // Refunds exist for prepaid instances not yet in the recycle bin.
    let refundable: Vec<String> = described
        .iter()
        .filter(|i| i.instance_charge_type.as_deref() == Some("PREPAID"))
        .filter(|i| matches!(i.instance_state.as_deref(), Some("RUNNING" | "STOPPED")))
        .filter(|i| i.disable_api_termination != Some(true))
        .filter_map(|i| i.instance_id.clone())
        .collect();
    let mut refunds = Vec::new();
    for chunk in chunk_ids("InquiryPriceTerminateInstances", &refundable) {
        let out = client
            .inquiry_price_terminate_instances(
                region,
                &cvm::InquiryPriceTerminateInstancesRequest {
                    instance_ids: Some(chunk.to_vec()),
                },
            )
            .await?;
        refunds.extend(
            out.instance_refunds_set
                .unwrap_or_default()
                .into_iter()
                .filter_map(|r| {
                    Some(RefundView {
                        instance_id: r.instance_id?,
                        refund: r.refunds.unwrap_or(0.0),
                        detail: r.price_detail.filter(|d| !d.is_empty()),
                    })
                }),
        );
    }
    Ok(TerminateQuote {
        refunds,
        protected,
        missing,
        states,
    })
}

/// Checks a new password against the selected instances' platforms (Windows rules when
/// any of them runs Windows), then builds the action.
pub async fn password_action(
    client: &Client,
    region: &str,
    ids: &[String],
    password: Sensitive,
    user_name: Option<String>,
    force_stop: bool,
) -> Result<Lifecycle, AppError> {
    if let Some(u) = &user_name {
        validate_user_name(u)?;
    }
    // The Linux rules first, before any call: every password they refuse, the stricter
    // Windows rules refuse too.
    check_password(
        password.expose(),
        false,
        user_name.as_deref().unwrap_or("root"),
    )?;
    let instances = describe_ids(client, region, ids).await?;
    let windows = instances.iter().any(|i| {
        i.os_name
            .as_deref()
            .is_some_and(|o| o.to_lowercase().contains("windows"))
    });
    let default_user = if windows { "Administrator" } else { "root" };
    check_password(
        password.expose(),
        windows,
        user_name.as_deref().unwrap_or(default_user),
    )?;
    Ok(Lifecycle::ResetPassword {
        password,
        user_name,
        force_stop,
    })
}
