//! The fleet: one listing over several profiles (accounts) and their regions. Each account
//! is listed through its own client and rate budget, all accounts at once; inside an
//! account the regions go through `listing` (bounded, each paced by the budget). Every
//! (account, region) reports its own start, pages, end or failure, and one that fails
//! does not stop the others.

use crate::console::cache::{CachedList, ListCache};
use crate::console::instances::{self as core, InstanceView, ListFilter};
use crate::console::listing::{self, ListEvent, Ticket};
use crate::console::settings::ConsoleSettings;
use crate::error::AppError;
use crate::locks::lock;
use crate::profiles::invalid;
use crate::state::AppState;
use crate::types::{ProfileId, Region};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The most accounts one fleet listing takes.
pub const MAX_ACCOUNTS: usize = 32;
/// The most regions one account's share names.
pub const MAX_REGIONS: usize = 64;

/// One account's share of a fleet listing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FleetTarget {
    pub profile_id: ProfileId,
    /// The regions to list; None: the profile's enabled regions (all it sees by default).
    pub regions: Option<Vec<Region>>,
}

/// What a fleet listing streams.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "kind"
)]
pub enum FleetEvent {
    /// The regions this account is about to list (each then reports through `Region`).
    Scope {
        profile_id: String,
        regions: Vec<String>,
    },
    /// One (account, region)'s start, page, end or failure; rows carry the profile id.
    Region {
        profile_id: String,
        event: ListEvent,
    },
    /// The account could not be listed at all (credentials, DescribeRegions); the other
    /// accounts carry on.
    AccountFailed { profile_id: String, error: AppError },
}

/// An (account, region).
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FleetPlace {
    pub profile_id: String,
    pub region: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FleetSummary {
    pub loaded: u32,
    pub failed: Vec<FleetPlace>,
    pub failed_accounts: Vec<String>,
    /// True when a newer listing in the same slot replaced this one before it finished.
    pub superseded: bool,
}

/// Checks the shape of a fleet request before anything is sent: at least one account, no
/// account twice, a region list (when given) non-empty and not too long, each region
/// well formed.
pub fn validate_targets(targets: &[FleetTarget]) -> Result<(), AppError> {
    if targets.is_empty() {
        return Err(invalid("targets", "choose at least one account"));
    }
    if targets.len() > MAX_ACCOUNTS {
        return Err(invalid(
            "targets",
            format!("at most {MAX_ACCOUNTS} accounts at once"),
        ));
    }
    for (i, t) in targets.iter().enumerate() {
        if targets[..i].iter().any(|o| o.profile_id == t.profile_id) {
            return Err(invalid(
                "targets",
                format!("the account {} is named twice", t.profile_id.as_str()),
            ));
        }
        if let Some(regions) = &t.regions {
            if regions.is_empty() {
                return Err(invalid("regions", "choose at least one region"));
            }
            if regions.len() > MAX_REGIONS {
                return Err(invalid(
                    "regions",
                    format!("at most {MAX_REGIONS} regions per account"),
                ));
            }
        }
    }
    Ok(())
}

/// Every profile, each with its enabled regions: the fleet shown when nothing is chosen.
pub fn default_targets(state: &AppState) -> Vec<FleetTarget> {
    lock(&state.profiles)
        .profiles
        .iter()
        .filter_map(|p| {
            Some(FleetTarget {
                profile_id: ProfileId::new(p.id.clone()).ok()?,
                regions: None,
            })
        })
        .collect()
}

/// What an account's task hands the fleet's loop: an event, or a finished whole-region
/// list (account, region, rows) for the cache.
enum Msg {
    Event(FleetEvent),
    Complete(String, String, Vec<InstanceView>),
}

/// How long an account's DescribeRegions answer stands for its regions. Tencent opens a
/// region a few times a year; asking once per fleet listing would put a round trip before
/// every account's first rows.
const REGIONS_FRESH: std::time::Duration = std::time::Duration::from_secs(600);

/// The account's available regions: remembered for [`REGIONS_FRESH`], asked otherwise.
async fn available_regions(
    state: &AppState,
    profile_id: &str,
    client: &tencent_api::Client,
) -> Result<Vec<String>, AppError> {
    if let Some(known) = state.known_regions(profile_id, REGIONS_FRESH) {
        return Ok(known);
    }
    let live = core::list_regions(client).await?;
    let available: Vec<String> = live
        .into_iter()
        .filter(|r| r.available)
        .map(|r| r.id)
        .collect();
    state.remember_regions(profile_id, available.clone());
    Ok(available)
}

/// One account: its client, its regions (the given ones, else its enabled ones among
/// those DescribeRegions reports available), then its regions' listing.
async fn list_account(
    state: Arc<AppState>,
    settings: Option<Arc<ConsoleSettings>>,
    target: FleetTarget,
    filter: Arc<ListFilter>,
    ticket: Ticket,
    tx: tokio::sync::mpsc::UnboundedSender<Msg>,
) {
    let id = target.profile_id.as_str().to_owned();
    let profile = match state.profile(&id) {
        Ok(p) => p,
        Err(error) => {
            let _ = tx.send(Msg::Event(FleetEvent::AccountFailed {
                profile_id: id.clone(),
                error,
            }));
            return;
        }
    };
    let fail = |error: AppError| {
        let _ = tx.send(Msg::Event(FleetEvent::AccountFailed {
            profile_id: id.clone(),
            error: crate::roles::name_profile(&profile, error),
        }));
    };
    let client = match state.client(&profile).await {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let (regions, checked) = match target.regions {
        Some(list) => (list.into_iter().map(String::from).collect(), false),
        None => {
            let available = match available_regions(&state, &id, &client).await {
                Ok(available) => available.into_iter(),
                Err(e) => return fail(e),
            };
            let enabled = settings.as_ref().and_then(|s| s.enabled_regions(&id));
            let regions: Vec<String> = match enabled {
                Some(on) => available.filter(|r| on.contains(r)).collect(),
                None => available.collect(),
            };
            (regions, true)
        }
    };
    let _ = tx.send(Msg::Event(FleetEvent::Scope {
        profile_id: id.clone(),
        regions: regions.clone(),
    }));
    let on_event = |event: ListEvent| {
        let _ = tx.send(Msg::Event(FleetEvent::Region {
            profile_id: id.clone(),
            event: event
                .for_profile(&id)
                .map_error(|e| crate::roles::name_profile(&profile, e)),
        }));
    };
    let on_complete = |region: &str, mut rows: Vec<InstanceView>| {
        // Only a whole region's list stands for the region in the cache.
        if !filter.is_whole() {
            return;
        }
        for r in &mut rows {
            r.profile_id = id.clone();
        }
        let _ = tx.send(Msg::Complete(id.clone(), region.to_owned(), rows));
    };
    if checked {
        listing::stream_regions(&client, &regions, &filter, &ticket, on_event, on_complete).await;
    } else {
        listing::stream_checked(&client, &regions, &filter, &ticket, on_event, on_complete).await;
    }
}

/// Lists every target at once (each account through its own client and budget),
/// streaming through `on_event` and handing each complete whole-region list to
/// `on_complete` (for the cache). With tag conditions, Tencent filters each region's
/// instances (`tag:<key>`, `tag-key`) and nothing is handed to `on_complete`: a filtered
/// list is not the region's. Nothing is handed over once `ticket` is not current.
pub async fn stream_fleet(
    state: Arc<AppState>,
    settings: Option<ConsoleSettings>,
    targets: Vec<FleetTarget>,
    tags: Vec<core::TagCondition>,
    ticket: &Ticket,
    mut on_event: impl FnMut(FleetEvent),
    mut on_complete: impl FnMut(&str, &str, Vec<InstanceView>),
) -> FleetSummary {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let settings = settings.map(Arc::new);
    let filter = Arc::new(ListFilter::tags(tags));
    let mut running = tokio::task::JoinSet::new();
    for target in targets {
        running.spawn(list_account(
            state.clone(),
            settings.clone(),
            target,
            filter.clone(),
            ticket.clone(),
            tx.clone(),
        ));
    }
    drop(tx);
    let mut summary = FleetSummary {
        loaded: 0,
        failed: Vec::new(),
        failed_accounts: Vec::new(),
        superseded: false,
    };
    // Ends when every account's task has ended and dropped its sender.
    while let Some(msg) = rx.recv().await {
        if !ticket.is_current() {
            summary.superseded = true;
            break;
        }
        let event = match msg {
            Msg::Event(e) => e,
            Msg::Complete(profile, region, rows) => {
                on_complete(&profile, &region, rows);
                continue;
            }
        };
        match &event {
            FleetEvent::Region {
                event: ListEvent::Done { summary: s },
                ..
            } => summary.loaded += s.loaded,
            FleetEvent::Region {
                profile_id,
                event: ListEvent::Failed { region, error },
            } => {
                if error.code == core::SUPERSEDED {
                    summary.superseded = true;
                } else {
                    summary.failed.push(FleetPlace {
                        profile_id: profile_id.clone(),
                        region: region.clone(),
                    });
                }
            }
            FleetEvent::AccountFailed { profile_id, .. } => {
                summary.failed_accounts.push(profile_id.clone());
            }
            _ => {}
        }
        on_event(event);
    }
    // Dropping the set aborts whatever is still running (after a supersession).
    drop(running);
    summary.superseded |= !ticket.is_current();
    summary
}

/// Every cached whole-region list of the targets (all cached regions of an account whose
/// regions are not named), rows marked with their profile: the fleet shows these at once
/// while the fresh listing runs. Local reads only.
pub fn cached_fleet(cache: &ListCache, targets: &[FleetTarget]) -> Vec<CachedList> {
    let mut out = Vec::new();
    for t in targets {
        let id = t.profile_id.as_str();
        let regions = match &t.regions {
            Some(r) => r.iter().map(|r| r.to_string()).collect(),
            None => cache.regions(id),
        };
        for region in regions {
            if let Some(list) = cache.load(id, &region) {
                out.push(list);
            }
        }
    }
    out
}
