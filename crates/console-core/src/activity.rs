//! The activity log: every API call the app made (time, profile, region, action, target
//! ids when known, outcome, Tencent code, RequestId, latency). Kept in memory (bounded)
//! and appended to `activity.jsonl` in the app data dir. It is fed by the client's
//! `on_call` callback, whose record holds no secret; this module adds only profile and
//! target ids, so no secret can reach the log.

use crate::locks::lock;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use tencent_api::{CallOutcome, CallRecord};

/// Entries kept in memory and re-read from the file at start-up.
pub const MEMORY_CAP: usize = 5_000;
/// The file is rotated (to `activity.1.jsonl`) once it holds this many bytes.
pub const FILE_CAP_BYTES: u64 = 8 * 1024 * 1024;

tokio::task_local! {
    /// The instance ids the calls made inside [`with_targets`] act on.
    static TARGETS: Vec<String>;
}

/// Runs `fut` with `ids` recorded as the targets of every call it makes. The client
/// invokes its callback in the calling task, so the task-local is visible there.
pub async fn with_targets<F: std::future::Future>(ids: Vec<String>, fut: F) -> F::Output {
    TARGETS.scope(ids, fut).await
}

fn current_targets() -> Vec<String> {
    TARGETS.try_with(Clone::clone).unwrap_or_default()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum CallResult {
    Ok,
    Failed,
    /// The request may have been applied although no answer arrived.
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ActivityEntry {
    pub seq: u32,
    /// RFC 3339, UTC.
    pub time: String,
    pub profile_id: String,
    pub profile_name: String,
    pub region: String,
    pub service: String,
    pub action: String,
    pub targets: Vec<String>,
    pub result: CallResult,
    /// Tencent's error code (or the client's own for local failures).
    pub code: Option<String>,
    pub request_id: Option<String>,
    pub latency_ms: u32,
    pub attempts: u32,
    pub throttled: u32,
    /// What happened, for entries that are not API calls (an alert firing or clearing),
    /// in English (the file's reader, older entries).
    #[serde(default)]
    pub detail: Option<String>,
    /// The same as a catalog code and its values, which the UI words in its language.
    #[serde(default)]
    pub note: Option<EventNote>,
}

/// Something the app noticed: what (`action`), about which instances, in English and as
/// a note the UI words.
pub struct AppEvent {
    pub action: &'static str,
    pub targets: Vec<String>,
    pub detail: String,
    pub note: EventNote,
}

/// An event's sentence as a code the UI's catalogs know (`activity.note.<code>`) and the
/// values it names.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EventNote {
    pub code: String,
    pub params: std::collections::BTreeMap<String, String>,
}

/// What the activity page asks for; every field narrows the result.
#[derive(Clone, Debug, Default, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ActivityFilter {
    pub profile_id: Option<String>,
    pub region: Option<String>,
    pub result: Option<CallResult>,
    /// Case-insensitive substring of the action, code, RequestId or a target id.
    pub text: Option<String>,
    /// Newest first; at most this many (default and maximum 1,000).
    pub limit: Option<u32>,
}

pub struct ActivityLog {
    entries: Mutex<VecDeque<ActivityEntry>>,
    file: Option<PathBuf>,
    seq: AtomicU32,
    calls: AtomicU32,
    failures: AtomicU32,
}

impl ActivityLog {
    /// A log without a file (tests, or when the data dir is unusable).
    pub fn in_memory() -> ActivityLog {
        ActivityLog {
            entries: Mutex::new(VecDeque::new()),
            file: None,
            seq: AtomicU32::new(0),
            calls: AtomicU32::new(0),
            failures: AtomicU32::new(0),
        }
    }

    /// Opens `dir/activity.jsonl`, keeping its last [`MEMORY_CAP`] readable lines in
    /// memory. Unreadable lines are skipped (a crash mid-write leaves at most one).
    pub fn open(dir: &Path) -> ActivityLog {
        let path = dir.join("activity.jsonl");
        let mut entries = VecDeque::new();
        if let Ok(text) = std::fs::read_to_string(&path) {
            for line in text.lines() {
                if let Ok(e) = serde_json::from_str::<ActivityEntry>(line) {
                    if entries.len() == MEMORY_CAP {
                        entries.pop_front();
                    }
                    entries.push_back(e);
                }
            }
        }
        let seq = entries.back().map_or(0, |e: &ActivityEntry| e.seq);
        ActivityLog {
            entries: Mutex::new(entries),
            file: Some(path),
            seq: AtomicU32::new(seq),
            calls: AtomicU32::new(0),
            failures: AtomicU32::new(0),
        }
    }

    /// Records one finished call of `profile`.
    pub fn record(&self, profile_id: &str, profile_name: &str, r: &CallRecord) {
        let (result, code) = match &r.outcome {
            CallOutcome::Ok => (CallResult::Ok, None),
            CallOutcome::Failed {
                code,
                outcome_unknown,
                ..
            } => (
                if *outcome_unknown {
                    CallResult::Unknown
                } else {
                    CallResult::Failed
                },
                Some(code.clone()),
            ),
        };
        let time = time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        let entry = ActivityEntry {
            seq: self.seq.fetch_add(1, Ordering::Relaxed).wrapping_add(1),
            time,
            profile_id: profile_id.to_owned(),
            profile_name: profile_name.to_owned(),
            region: r.region.clone(),
            service: r.service.to_owned(),
            action: r.action.to_owned(),
            targets: current_targets(),
            result,
            code,
            request_id: r.request_id.clone(),
            latency_ms: u32::try_from(r.latency.as_millis()).unwrap_or(u32::MAX),
            attempts: r.attempts,
            throttled: r.throttled,
            detail: None,
            note: None,
        };
        self.push(entry);
    }

    /// Records something the app itself noticed (service `alerts`: an alert firing or
    /// clearing) in a profile's region.
    pub fn record_event(&self, profile_id: &str, profile_name: &str, region: &str, e: AppEvent) {
        let time = time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        self.push(ActivityEntry {
            seq: self.seq.fetch_add(1, Ordering::Relaxed).wrapping_add(1),
            time,
            profile_id: profile_id.to_owned(),
            profile_name: profile_name.to_owned(),
            region: region.to_owned(),
            service: "alerts".into(),
            action: e.action.to_owned(),
            targets: e.targets,
            result: CallResult::Ok,
            code: None,
            request_id: None,
            latency_ms: 0,
            attempts: 0,
            throttled: 0,
            detail: Some(e.detail),
            note: Some(e.note),
        });
    }

    fn push(&self, entry: ActivityEntry) {
        // The status bar counts API calls; the app's own events are not calls.
        if entry.detail.is_none() {
            self.calls.fetch_add(1, Ordering::Relaxed);
            if entry.result != CallResult::Ok {
                self.failures.fetch_add(1, Ordering::Relaxed);
            }
        }
        if let Some(path) = &self.file
            && let Err(e) = append_line(path, &entry)
        {
            tracing::warn!("activity log: could not append to {}: {e}", path.display());
        }
        let mut entries = lock(&self.entries);
        if entries.len() == MEMORY_CAP {
            entries.pop_front();
        }
        entries.push_back(entry);
    }

    /// Matching entries, newest first.
    pub fn query(&self, f: &ActivityFilter) -> Vec<ActivityEntry> {
        let limit = f.limit.unwrap_or(1000).clamp(1, 1000) as usize;
        let text = f
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_lowercase);
        lock(&self.entries)
            .iter()
            .rev()
            .filter(|e| f.profile_id.as_ref().is_none_or(|p| &e.profile_id == p))
            .filter(|e| f.region.as_ref().is_none_or(|r| &e.region == r))
            .filter(|e| f.result.is_none_or(|r| e.result == r))
            .filter(|e| {
                text.as_ref().is_none_or(|t| {
                    e.action.to_lowercase().contains(t)
                        || e.detail
                            .as_deref()
                            .is_some_and(|d| d.to_lowercase().contains(t))
                        || e.code
                            .as_deref()
                            .is_some_and(|c| c.to_lowercase().contains(t))
                        || e.request_id
                            .as_deref()
                            .is_some_and(|r| r.contains(t.as_str()))
                        || e.targets.iter().any(|id| id.contains(t.as_str()))
                })
            })
            .take(limit)
            .cloned()
            .collect()
    }

    /// Whether one of the app's own calls (any profile) was answered with this RequestId.
    pub fn has_request(&self, request_id: &str) -> bool {
        lock(&self.entries)
            .iter()
            .any(|e| e.request_id.as_deref() == Some(request_id))
    }

    /// Calls and failures recorded since start-up.
    pub fn counts(&self) -> (u32, u32) {
        (
            self.calls.load(Ordering::Relaxed),
            self.failures.load(Ordering::Relaxed),
        )
    }
}

fn append_line(path: &Path, entry: &ActivityEntry) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    if std::fs::metadata(path).is_ok_and(|m| m.len() > FILE_CAP_BYTES) {
        std::fs::rename(path, path.with_extension("1.jsonl"))?;
    }
    let mut line = serde_json::to_vec(entry).map_err(std::io::Error::other)?;
    line.push(b'\n');
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    f.write_all(&line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn record(action: &'static str, outcome: CallOutcome) -> CallRecord {
        CallRecord {
            service: "cvm",
            action,
            region: "ap-guangzhou".into(),
            request_id: Some("req-1".into()),
            attempts: 1,
            throttled: 0,
            latency: Duration::from_millis(12),
            outcome,
        }
    }

    #[tokio::test]
    async fn records_targets_persists_and_filters() {
        let dir = tempfile::tempdir().unwrap();
        let log = ActivityLog::open(dir.path());
        log.record("p1", "Prod", &record("DescribeInstances", CallOutcome::Ok));
        with_targets(vec!["ins-aaaaaaaa".into()], async {
            log.record(
                "p1",
                "Prod",
                &record(
                    "StopInstances",
                    CallOutcome::Failed {
                        category: tencent_api::ErrorKind::StateConflict,
                        code: "UnsupportedOperation.InstanceStateStopped".into(),
                        outcome_unknown: false,
                    },
                ),
            );
        })
        .await;
        let all = log.query(&ActivityFilter::default());
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].action, "StopInstances", "newest first");
        assert_eq!(all[0].targets, vec!["ins-aaaaaaaa".to_owned()]);
        assert_eq!(all[0].result, CallResult::Failed);
        assert!(all[1].targets.is_empty());
        let failed = log.query(&ActivityFilter {
            result: Some(CallResult::Failed),
            ..Default::default()
        });
        assert_eq!(failed.len(), 1);
        let by_text = log.query(&ActivityFilter {
            text: Some("instancestate".into()),
            ..Default::default()
        });
        assert_eq!(by_text.len(), 1);
        assert_eq!(log.counts(), (2, 1));

        // Re-opened: the history is back, and numbering continues.
        let again = ActivityLog::open(dir.path());
        assert_eq!(again.query(&ActivityFilter::default()), all);
        again.record("p1", "Prod", &record("DescribeZones", CallOutcome::Ok));
        assert_eq!(again.query(&ActivityFilter::default())[0].seq, 3);
    }

    #[test]
    fn a_torn_line_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let log = ActivityLog::open(dir.path());
        log.record("p1", "Prod", &record("DescribeRegions", CallOutcome::Ok));
        let path = dir.path().join("activity.jsonl");
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        f.write_all(b"{\"seq\":2,\"ti").unwrap();
        assert_eq!(
            ActivityLog::open(dir.path())
                .query(&ActivityFilter::default())
                .len(),
            1
        );
    }
}
