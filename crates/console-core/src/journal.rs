//! The pending-operations journal: one entry per submitted RunInstances, holding the
//! ClientToken and the request (without the password), written to disk atomically
//! BEFORE the request leaves. Whatever happens next (a lost answer, a crash, the app
//! closed), the purchase can be completed or confirmed by re-sending the very same
//! request with the very same token, which Tencent answers idempotently: a second
//! purchase cannot happen.
//!
//! Invariants: an entry is `Pending` from before the first send until an answer with the
//! instance ids arrives (`Resolved`) or Tencent refuses the request (`Failed`, nothing
//! was created). A pending launch's password never touches the journal file: it is kept
//! in memory and, when the journal has a keyring (`open_with_vault`), in the OS keyring
//! under `launch-password:<token>`, so a launch resumed after a restart is re-sent with
//! it. The keyring entry is deleted as soon as the entry resolves or fails. Without a
//! keyring (or when it refuses) an entry resumed after a restart is re-sent without the
//! password (see `launch::retry`).
//!
//! After a restart a pending entry is re-sent on its own only while it is young (see
//! `auto_resume`); an older one waits for the user to resume or drop it (`Dropped`: the
//! user gave up on it, nothing was sent). An unreadable journal file is moved aside and
//! reported (`unreadable`), never replaced: it may hold a pending purchase.

use crate::error::{AppCode, AppError};
use crate::locks::lock;
use crate::secrets::{StoredSecret, Vault};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tencent_api::Sensitive;

const SCHEMA: u32 = 1;
/// Settled entries kept for the record (pending ones are never dropped).
const KEEP_SETTLED: usize = 50;
/// A pending launch younger than this is re-sent at start-up without asking: the user
/// was most likely still waiting for it. Older ones wait for the user's decision.
pub const AUTO_RESUME_SECS: i64 = 10 * 60;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum EntryState {
    Pending,
    Resolved,
    Failed,
    /// The user gave up on a pending launch; nothing more is sent for it. Whether the
    /// lost first attempt bought anything is unknown: the instance list tells.
    Dropped,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalEntry {
    pub token: String,
    pub profile_id: String,
    pub region: String,
    /// The RunInstances parameters as sent, the password removed.
    pub request: serde_json::Value,
    /// The request carried a password (not stored; see the module notes).
    pub had_password: bool,
    pub created_unix: i64,
    pub state: EntryState,
    pub instance_ids: Vec<String>,
    pub error: Option<String>,
    pub attempts: u32,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct JournalFile {
    schema: u32,
    entries: Vec<JournalEntry>,
}

pub struct Journal {
    path: PathBuf,
    entries: Mutex<Vec<JournalEntry>>,
    passwords: Mutex<HashMap<String, Sensitive>>,
    vault: Option<Vault>,
    /// Tokens being sent right now (a submit, a retry, the start-up resume): pending but
    /// not waiting for the user.
    in_flight: Mutex<HashSet<String>>,
    unreadable: Option<Unreadable>,
}

/// What `open` found when the file on disk could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    pub reason: String,
    /// Where the file was moved. None when it could not be moved: then the journal
    /// refuses every write (so it is never replaced) and no launch can be submitted.
    pub moved_to: Option<PathBuf>,
}

impl Unreadable {
    pub fn message(&self, path: &Path) -> String {
        match &self.moved_to {
            Some(to) => format!(
                "The launch journal {} could not be read ({}). It was moved to {}; launches it recorded are not shown or resumed. Check the instance list for purchases that were under way.",
                path.display(),
                self.reason,
                to.display()
            ),
            None => format!(
                "The launch journal {} could not be read ({}) nor moved aside. New launches are refused until it is moved away and the app restarted.",
                path.display(),
                self.reason
            ),
        }
    }
}

/// Marks a token in flight while alive; releases it on drop only if it was the one that
/// marked it.
pub struct InFlight<'a> {
    journal: &'a Journal,
    token: String,
    owned: bool,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        if self.owned {
            self.journal.release(&self.token);
        }
    }
}

/// Whether a pending entry is re-sent at start-up without asking: only while it is
/// young (created less than `AUTO_RESUME_SECS` ago; a creation time in the future, a
/// clock set back, is not young) and only for a profile that exists and may make
/// purchases (not read-only).
pub fn auto_resume(entry: &JournalEntry, now_unix: i64, profile_writable: bool) -> bool {
    let age = now_unix.saturating_sub(entry.created_unix);
    entry.state == EntryState::Pending && profile_writable && (0..AUTO_RESUME_SECS).contains(&age)
}

/// The keyring account of a pending launch's password.
fn password_account(token: &str) -> String {
    format!("launch-password:{token}")
}

/// `launches.json.corrupt-<unix time>`, with a suffix when that name is taken (never
/// overwrite an earlier backup).
fn aside_path(path: &Path) -> PathBuf {
    let stamp = time::OffsetDateTime::now_utc().unix_timestamp();
    let base = path.with_extension(format!("json.corrupt-{stamp}"));
    let mut candidate = base.clone();
    let mut n = 1;
    while candidate.symlink_metadata().is_ok() {
        candidate = base.with_extension(format!("corrupt-{stamp}-{n}"));
        n += 1;
    }
    candidate
}

pub fn not_found() -> AppError {
    AppError::not_found(AppCode::LaunchNotFound, "no such launch in the journal")
        .with_field("token")
}

fn io_error(what: &str, path: &Path, e: impl std::fmt::Display) -> AppError {
    AppError::internal(
        AppCode::Journal,
        format!("could not {what} {}: {e}", path.display()),
    )
}

impl Journal {
    /// Opens the journal at `path`. An unreadable file is moved aside (never overwritten,
    /// since it may hold a pending purchase) and a fresh journal starts.
    pub fn open(path: PathBuf) -> Journal {
        Self::open_inner(path, None)
    }

    /// Like `open`, with pending launches' passwords also kept in the OS keyring so that a
    /// resumed launch can re-send them after a restart.
    pub fn open_with_vault(path: PathBuf, vault: Vault) -> Journal {
        Self::open_inner(path, Some(vault))
    }

    fn open_inner(path: PathBuf, vault: Option<Vault>) -> Journal {
        let (entries, reason) = match std::fs::read(&path) {
            Ok(bytes) => match serde_json::from_slice::<JournalFile>(&bytes) {
                Ok(f) if f.schema <= SCHEMA => (f.entries, None),
                Ok(f) => (
                    Vec::new(),
                    Some(format!("written by a newer version (schema {})", f.schema)),
                ),
                Err(e) => (Vec::new(), Some(e.to_string())),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Vec::new(), None),
            Err(e) => (Vec::new(), Some(e.to_string())),
        };
        let unreadable = reason.map(|reason| {
            let aside = aside_path(&path);
            let moved_to = match std::fs::rename(&path, &aside) {
                Ok(()) => Some(aside),
                Err(e) => {
                    tracing::error!("could not move the launch journal aside: {e}");
                    None
                }
            };
            let u = Unreadable { reason, moved_to };
            tracing::error!("{}", u.message(&path));
            u
        });
        Journal {
            path,
            entries: Mutex::new(entries),
            passwords: Mutex::new(HashMap::new()),
            vault,
            in_flight: Mutex::new(HashSet::new()),
            unreadable,
        }
    }

    /// Set when the file found at start-up could not be read (for the start-up notice).
    pub fn unreadable(&self) -> Option<&Unreadable> {
        self.unreadable.as_ref()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Atomic (temp + fsync + rename + fsync of the folder): the file on disk is always
    /// a whole journal. Refused while an unreadable file could not be moved aside.
    fn write(&self, entries: &[JournalEntry]) -> Result<(), AppError> {
        if let Some(u) = &self.unreadable
            && u.moved_to.is_none()
        {
            return Err(AppError::internal(AppCode::Journal, u.message(&self.path)));
        }
        let json = serde_json::to_vec_pretty(&JournalFile {
            schema: SCHEMA,
            entries: entries.to_vec(),
        })
        .map_err(|e| AppError::internal(AppCode::Journal, e.to_string()))?;
        crate::fsutil::write_atomic(&self.path, &json).map_err(|e| io_error("write", &self.path, e))
    }

    fn update(&self, f: impl FnOnce(&mut Vec<JournalEntry>)) -> Result<(), AppError> {
        let mut guard = lock(&self.entries);
        let mut next = guard.clone();
        f(&mut next);
        // Drop the oldest settled entries beyond the limit.
        let settled = next
            .iter()
            .filter(|e| e.state != EntryState::Pending)
            .count();
        if settled > KEEP_SETTLED {
            let mut extra = settled - KEEP_SETTLED;
            next.retain(|e| {
                if extra > 0 && e.state != EntryState::Pending {
                    extra -= 1;
                    false
                } else {
                    true
                }
            });
        }
        self.write(&next)?;
        *guard = next;
        Ok(())
    }

    /// Records a submission before it is sent. Fails (and nothing may be sent) when the
    /// journal cannot be written.
    pub fn begin(&self, entry: JournalEntry, password: Option<Sensitive>) -> Result<(), AppError> {
        let token = entry.token.clone();
        if let Some(p) = &password {
            self.keep_password(&token, p);
        }
        if let Err(e) = self.update(|v| v.push(entry)) {
            self.forget_password(&token);
            return Err(e);
        }
        if let Some(p) = password {
            lock(&self.passwords).insert(token, p);
        }
        Ok(())
    }

    /// Stores the password in the keyring before the entry is written, so that a pending
    /// entry on disk always has its password available after a restart. A keyring that
    /// refuses is not fatal: the purchase goes ahead with the password in memory only.
    /// (Keyring calls are short D-Bus round trips; `begin` runs once per purchase.)
    fn keep_password(&self, token: &str, password: &Sensitive) {
        let Some(vault) = &self.vault else { return };
        let secret = StoredSecret {
            secret_id: token.to_owned(),
            secret_key: password.clone(),
            token: None,
        };
        if let Err(e) = vault.put(&password_account(token), &secret) {
            tracing::warn!(code = %e.code, "launch password not kept in the keyring: {}", e.message);
        }
    }

    fn forget_password(&self, token: &str) {
        lock(&self.passwords).remove(token);
        if let Some(vault) = &self.vault
            && let Err(e) = vault.delete(&password_account(token))
        {
            tracing::warn!(code = %e.code, "launch password left in the keyring: {}", e.message);
        }
    }

    pub fn attempt(&self, token: &str) -> Result<(), AppError> {
        self.update(|v| {
            if let Some(e) = v.iter_mut().find(|e| e.token == token) {
                e.attempts += 1;
            }
        })
    }

    pub fn resolve(&self, token: &str, ids: Vec<String>) -> Result<(), AppError> {
        self.forget_password(token);
        self.update(|v| {
            if let Some(e) = v.iter_mut().find(|e| e.token == token) {
                e.state = EntryState::Resolved;
                e.instance_ids = ids;
                e.error = None;
            }
        })
    }

    pub fn fail(&self, token: &str, error: String) -> Result<(), AppError> {
        self.forget_password(token);
        self.update(|v| {
            if let Some(e) = v.iter_mut().find(|e| e.token == token) {
                e.state = EntryState::Failed;
                e.error = Some(error);
            }
        })
    }

    /// The user gives up on a pending launch: marked `Dropped`, its password forgotten,
    /// nothing sent. A settled entry is refused (there is nothing to drop).
    pub fn drop_pending(&self, token: &str) -> Result<(), AppError> {
        match self.get(token).map(|e| e.state) {
            None => return Err(not_found()),
            Some(EntryState::Pending) if self.is_in_flight(token) => {
                return Err(AppError::conflict(
                    AppCode::LaunchInFlight,
                    "this launch is being sent right now; wait for its answer",
                )
                .with_field("token"));
            }
            Some(EntryState::Pending) => {}
            Some(_) => {
                return Err(AppError::conflict(
                    AppCode::LaunchSettled,
                    "this launch is already settled; there is nothing to drop",
                )
                .with_field("token"));
            }
        }
        self.update(|v| {
            if let Some(e) = v.iter_mut().find(|e| e.token == token) {
                e.state = EntryState::Dropped;
                e.error = Some("dropped by the user; not re-sent".into());
            }
        })?;
        self.forget_password(token);
        Ok(())
    }

    /// Marks `token` as being sent for as long as the guard lives.
    pub fn in_flight(&self, token: &str) -> InFlight<'_> {
        InFlight {
            journal: self,
            token: token.to_owned(),
            owned: self.claim(token),
        }
    }

    /// Marks `token` as being sent; false when it already was. Pair with `release`.
    pub fn claim(&self, token: &str) -> bool {
        lock(&self.in_flight).insert(token.to_owned())
    }

    pub fn release(&self, token: &str) {
        lock(&self.in_flight).remove(token);
    }

    pub fn is_in_flight(&self, token: &str) -> bool {
        lock(&self.in_flight).contains(token)
    }

    /// Every entry as the UI sees it, newest first.
    pub fn records(&self, now_unix: i64) -> Vec<LaunchRecord> {
        let entries = self.all();
        let in_flight = lock(&self.in_flight).clone();
        entries
            .iter()
            .rev()
            .map(|e| record_view(e, now_unix, in_flight.contains(&e.token)))
            .collect()
    }

    /// Notes the last unknown outcome on a pending entry.
    pub fn note(&self, token: &str, error: String) -> Result<(), AppError> {
        self.update(|v| {
            if let Some(e) = v.iter_mut().find(|e| e.token == token) {
                e.error = Some(error);
            }
        })
    }

    pub fn get(&self, token: &str) -> Option<JournalEntry> {
        lock(&self.entries)
            .iter()
            .find(|e| e.token == token)
            .cloned()
    }

    /// The pending launch's password: this session's copy, else the keyring's.
    pub fn password(&self, token: &str) -> Option<Sensitive> {
        if let Some(p) = lock(&self.passwords).get(token).cloned() {
            return Some(p);
        }
        let vault = self.vault.as_ref()?;
        match vault.get(&password_account(token)) {
            Ok(Some(s)) if s.secret_id == token => Some(s.secret_key),
            Ok(_) => None,
            Err(e) => {
                tracing::warn!(code = %e.code, "launch password unreadable: {}", e.message);
                None
            }
        }
    }

    pub fn pending(&self) -> Vec<JournalEntry> {
        lock(&self.entries)
            .iter()
            .filter(|e| e.state == EntryState::Pending)
            .cloned()
            .collect()
    }

    pub fn all(&self) -> Vec<JournalEntry> {
        lock(&self.entries).clone()
    }
}

/// A journal entry as the UI sees it.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LaunchRecord {
    pub token: String,
    pub profile_id: String,
    pub region: String,
    pub state: EntryState,
    pub instance_ids: Vec<String>,
    pub count: u32,
    pub instance_type: String,
    pub charge_type: String,
    /// Seconds since the Unix epoch.
    pub created_unix: f64,
    /// Seconds since it was created (0 when its time is in the future).
    pub age_seconds: f64,
    /// Pending and nobody is sending it: the user decides to resume or drop it.
    pub needs_decision: bool,
    pub error: Option<String>,
    pub attempts: u32,
}

/// `in_flight`: the entry is being sent right now (see `Journal::in_flight`).
pub fn record_view(e: &JournalEntry, now_unix: i64, in_flight: bool) -> LaunchRecord {
    let s = |k: &str| {
        e.request
            .get(k)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    LaunchRecord {
        token: e.token.clone(),
        profile_id: e.profile_id.clone(),
        region: e.region.clone(),
        state: e.state,
        instance_ids: e.instance_ids.clone(),
        count: e
            .request
            .get("InstanceCount")
            .and_then(|v| v.as_u64())
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(1),
        instance_type: s("InstanceType"),
        charge_type: s("InstanceChargeType"),
        created_unix: e.created_unix as f64,
        age_seconds: now_unix.saturating_sub(e.created_unix).max(0) as f64,
        needs_decision: e.state == EntryState::Pending && !in_flight,
        error: e.error.clone(),
        attempts: e.attempts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(token: &str, created_unix: i64) -> JournalEntry {
        JournalEntry {
            token: token.into(),
            profile_id: "p1".into(),
            region: "ap-guangzhou".into(),
            request: serde_json::json!({"InstanceType": "S5.SMALL2", "InstanceCount": 2}),
            had_password: true,
            created_unix,
            state: EntryState::Pending,
            instance_ids: Vec::new(),
            error: None,
            attempts: 1,
        }
    }

    fn mock_vault() -> Vault {
        let store: std::sync::Arc<keyring_core::CredentialStore> =
            keyring_core::mock::Store::new().unwrap();
        Vault::with_store(store, "journal-test")
    }

    #[test]
    fn only_young_pending_launches_of_writable_profiles_resume_on_their_own() {
        let now = 1_800_000_000;
        let young = entry("t", now - 60);
        assert!(auto_resume(&young, now, true));
        assert!(
            !auto_resume(&young, now, false),
            "read-only or missing profile"
        );
        assert!(auto_resume(
            &entry("t", now - AUTO_RESUME_SECS + 1),
            now,
            true
        ));
        assert!(!auto_resume(&entry("t", now - AUTO_RESUME_SECS), now, true));
        assert!(!auto_resume(&entry("t", now - 86_400), now, true));
        assert!(
            !auto_resume(&entry("t", now + 3_600), now, true),
            "a time in the future is not young"
        );
        let mut settled = young.clone();
        settled.state = EntryState::Resolved;
        assert!(!auto_resume(&settled, now, true));
    }

    #[test]
    fn records_show_the_age_and_which_launches_wait_for_the_user() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::open(dir.path().join("launches.json"));
        let now = 1_800_000_000;
        j.begin(entry("old", now - 3_600), None).unwrap();
        j.begin(entry("busy", now - 5), None).unwrap();
        j.begin(entry("done", now - 10), None).unwrap();
        j.resolve("done", vec!["ins-1".into()]).unwrap();
        let _sending = j.in_flight("busy");
        let r = j.records(now);
        let by = |t: &str| r.iter().find(|r| r.token == t).unwrap().clone();
        assert_eq!(by("old").age_seconds, 3_600.0);
        assert!(by("old").needs_decision);
        assert!(!by("busy").needs_decision, "being sent");
        assert!(!by("done").needs_decision);
        assert_eq!(by("old").count, 2);
        assert_eq!(r[0].token, "done", "newest first");
        drop(_sending);
        assert!(
            j.records(now)
                .iter()
                .find(|r| r.token == "busy")
                .unwrap()
                .needs_decision
        );
        assert_eq!(
            record_view(&entry("x", now + 9), now, false).age_seconds,
            0.0
        );
    }

    #[test]
    fn dropping_settles_the_entry_and_forgets_its_password() {
        let dir = tempfile::tempdir().unwrap();
        let vault = mock_vault();
        let path = dir.path().join("launches.json");
        let j = Journal::open_with_vault(path.clone(), vault.clone());
        j.begin(entry("t1", 1), Some(Sensitive::new("Pass-2026!")))
            .unwrap();
        assert!(vault.get(&password_account("t1")).unwrap().is_some());
        {
            let _sending = j.in_flight("t1");
            assert_eq!(
                j.drop_pending("t1").unwrap_err().code,
                crate::error::AppCode::LaunchInFlight.as_str()
            );
        }
        j.drop_pending("t1").unwrap();
        assert_eq!(j.get("t1").unwrap().state, EntryState::Dropped);
        assert!(j.pending().is_empty());
        assert!(vault.get(&password_account("t1")).unwrap().is_none());
        assert!(j.password("t1").is_none());
        assert_eq!(
            j.drop_pending("t1").unwrap_err().code,
            crate::error::AppCode::LaunchSettled.as_str()
        );
        assert_eq!(
            j.drop_pending("nope").unwrap_err().field.as_deref(),
            Some("token")
        );
        // Settled on disk too: a restart does not bring it back.
        let again = Journal::open(path);
        assert_eq!(again.get("t1").unwrap().state, EntryState::Dropped);
        assert!(again.pending().is_empty());
    }

    #[test]
    fn an_unreadable_journal_is_moved_aside_and_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("launches.json");
        std::fs::write(&path, b"{ half a journ").unwrap();
        let j = Journal::open(path.clone());
        let u = j.unreadable().expect("reported").clone();
        let aside = u.moved_to.clone().expect("moved");
        assert_eq!(std::fs::read(&aside).unwrap(), b"{ half a journ");
        assert!(u.message(&path).contains(&aside.display().to_string()));
        // New launches still work, into a fresh file; the backup stays.
        j.begin(entry("t", 1), None).unwrap();
        assert!(aside.exists());
        assert!(Journal::open(path.clone()).unreadable().is_none());
        // A newer schema is not ours to overwrite either.
        std::fs::write(&path, br#"{"schema": 99, "entries": []}"#).unwrap();
        let j = Journal::open(path);
        let u2 = j.unreadable().unwrap();
        assert!(u2.reason.contains("newer"));
        assert_ne!(
            u2.moved_to.as_ref(),
            Some(&aside),
            "the first backup is kept"
        );
        assert!(aside.exists());
    }

    /// Two journals on one file (as two writers in one process would be) never share a
    /// temp file: every write succeeds.
    #[test]
    fn concurrent_writers_never_collide() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("launches.json");
        let threads: Vec<_> = (0..4)
            .map(|i| {
                let path = path.clone();
                std::thread::spawn(move || {
                    let j = Journal::open(path);
                    for n in 0..25 {
                        j.begin(entry(&format!("t{i}-{n}"), 1), None).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert!(Journal::open(path).unreadable().is_none());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
