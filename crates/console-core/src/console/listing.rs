//! Streaming listings for the instance page: one region or many ("All regions"), each
//! listing owned by a slot (the page that asked) so that a newer listing in the same slot
//! cancels the older one: a stale stream never writes rows into the new view.

use crate::console::instances::{
    self as core, InstancePage, InstanceView, ListFilter, ListSummary,
};
use crate::error::AppError;
use crate::locks::lock;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use tencent_api::Client;

/// At most this many regions are listed at once; each pages with its own small
/// concurrency. The budget paces every region by its own limit (Tencent counts per
/// access region), so regions listed together do not slow each other down: the bound
/// only caps connections and memory.
pub const REGION_CONCURRENCY: usize = 8;

/// The generation counters of listing slots.
static SLOTS: LazyLock<Mutex<HashMap<String, Arc<AtomicU64>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// The right to write into a slot, until a newer listing takes it.
#[derive(Clone, Debug)]
pub struct Ticket {
    generation: u64,
    slot: Arc<AtomicU64>,
}

impl Ticket {
    /// Takes `slot` over: every earlier ticket of the slot stops being current.
    pub fn take(slot: &str) -> Ticket {
        let counter = lock(&SLOTS).entry(slot.to_owned()).or_default().clone();
        let generation = counter.fetch_add(1, Ordering::SeqCst) + 1;
        Ticket {
            generation,
            slot: counter,
        }
    }

    pub fn is_current(&self) -> bool {
        self.slot.load(Ordering::SeqCst) == self.generation
    }
}

/// What a multi-region listing streams: pages as they arrive, and each region's end.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum ListEvent {
    /// A region's listing started (its progress can be shown as 0 of ?).
    Started {
        region: String,
    },
    Page {
        page: InstancePage,
    },
    Done {
        summary: ListSummary,
    },
    /// This region failed; the others carry on.
    Failed {
        region: String,
        error: AppError,
    },
}

impl ListEvent {
    /// The event with a failure's error passed through `f`.
    pub fn map_error(self, f: impl FnOnce(AppError) -> AppError) -> ListEvent {
        match self {
            ListEvent::Failed { region, error } => ListEvent::Failed {
                region,
                error: f(error),
            },
            other => other,
        }
    }

    /// The event with its rows marked as listed through `profile_id`.
    pub fn for_profile(self, profile_id: &str) -> ListEvent {
        match self {
            ListEvent::Page { mut page } => {
                for i in &mut page.instances {
                    i.profile_id = profile_id.to_owned();
                }
                ListEvent::Page { page }
            }
            other => other,
        }
    }
}

/// The outcome of a multi-region listing.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct StreamSummary {
    pub loaded: u32,
    pub failed_regions: Vec<String>,
    /// True when a newer listing in the same slot replaced this one before it finished.
    pub superseded: bool,
}

/// `stream_regions` for regions the user picked: each is checked by format and, when
/// several are asked for, against the account's own DescribeRegions answer (one call).
/// A region that fails either check is reported as that region's failure; the others
/// are listed. A single region is sent as is: Tencent's answer is the check, without an
/// extra round trip before the first rows.
pub async fn stream_checked(
    client: &Client,
    regions: &[String],
    filter: &ListFilter,
    ticket: &Ticket,
    mut on_event: impl FnMut(ListEvent),
    on_complete: impl FnMut(&str, Vec<InstanceView>),
) -> StreamSummary {
    let live = if regions.len() > 1 {
        match core::list_regions(client).await {
            Ok(v) => Some(v),
            Err(e) => {
                tracing::warn!(code = %e.code, "DescribeRegions failed; regions checked by format only: {}", e.message);
                None
            }
        }
    } else {
        None
    };
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for r in regions {
        let check = core::validate_region(r).and_then(|()| match &live {
            Some(live) => core::check_live_region(r, live),
            None => Ok(()),
        });
        match check {
            Ok(()) => good.push(r.clone()),
            Err(error) => {
                bad.push(r.clone());
                on_event(ListEvent::Failed {
                    region: r.clone(),
                    error,
                });
            }
        }
    }
    let mut summary = stream_regions(client, &good, filter, ticket, on_event, on_complete).await;
    summary.failed_regions.extend(bad);
    summary
}

/// Lists `regions` (narrowed by `filter`: one zone when there is one region, tags) a few
/// regions at a time, streaming every page through `on_event` and calling `on_complete`
/// with a region's list when it completed (the whole region's, for the cache, when the
/// filter narrows nothing). A failing region is reported
/// and does not stop the others. Nothing is handed over once `ticket` is not current.
pub async fn stream_regions(
    client: &Client,
    regions: &[String],
    filter: &ListFilter,
    ticket: &Ticket,
    mut on_event: impl FnMut(ListEvent),
    mut on_complete: impl FnMut(&str, Vec<InstanceView>),
) -> StreamSummary {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(ListEvent, Vec<InstanceView>)>();
    let mut pending = regions.iter().cloned();
    let mut running = tokio::task::JoinSet::new();
    let mut summary = StreamSummary {
        loaded: 0,
        failed_regions: Vec::new(),
        superseded: false,
    };
    if regions.is_empty() {
        return summary;
    }
    let spawn = |running: &mut tokio::task::JoinSet<()>, region: String| {
        let (client, ticket, tx) = (client.clone(), ticket.clone(), tx.clone());
        let filter = filter.clone();
        running.spawn(async move {
            let _ = tx.send((
                ListEvent::Started {
                    region: region.clone(),
                },
                Vec::new(),
            ));
            let mut rows = Vec::new();
            let keep = || ticket.is_current();
            let page_tx = tx.clone();
            let out = core::list_instances_while(&client, &region, &filter, &keep, |page| {
                rows.extend(page.instances.iter().cloned());
                let _ = page_tx.send((ListEvent::Page { page }, Vec::new()));
            })
            .await;
            let event = match out {
                Ok(summary) => (ListEvent::Done { summary }, rows),
                Err(error) => (ListEvent::Failed { region, error }, Vec::new()),
            };
            let _ = tx.send(event);
        });
    };
    for region in pending.by_ref().take(REGION_CONCURRENCY) {
        spawn(&mut running, region);
    }
    // Hands one event over; false once the ticket is no longer current.
    let mut handle = |event: ListEvent, rows: Vec<InstanceView>, summary: &mut StreamSummary| {
        if !ticket.is_current() {
            summary.superseded = true;
            return false;
        }
        match &event {
            ListEvent::Done { summary: s } => {
                summary.loaded += s.loaded;
                on_complete(&s.region, rows);
            }
            ListEvent::Failed { region, error } if error.code != core::SUPERSEDED => {
                summary.failed_regions.push(region.clone());
            }
            ListEvent::Failed { .. } => summary.superseded = true,
            _ => {}
        }
        on_event(event);
        true
    };
    'outer: loop {
        tokio::select! {
            Some((event, rows)) = rx.recv() => {
                if !handle(event, rows, &mut summary) {
                    break;
                }
            }
            joined = running.join_next(), if !running.is_empty() => {
                if let Some(Err(e)) = joined {
                    tracing::warn!("a region listing task failed: {e}");
                }
                if let Some(region) = pending.next() {
                    spawn(&mut running, region);
                }
                if running.is_empty() {
                    // Every task sent its last event before it ended.
                    while let Ok((event, rows)) = rx.try_recv() {
                        if !handle(event, rows, &mut summary) {
                            break 'outer;
                        }
                    }
                    break;
                }
            }
        }
    }
    // Dropping the set aborts whatever is still running (after a supersession).
    drop(running);
    summary.superseded |= !ticket.is_current();
    summary
}
