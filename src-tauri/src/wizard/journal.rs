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

use crate::error::AppError;
use crate::secrets::{StoredSecret, Vault};
use crate::state::lock;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tencent_api::Sensitive;

const SCHEMA: u32 = 1;
/// Settled entries kept for the record (pending ones are never dropped).
const KEEP_SETTLED: usize = 50;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum EntryState {
    Pending,
    Resolved,
    Failed,
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
}

/// The keyring account of a pending launch's password.
fn password_account(token: &str) -> String {
    format!("launch-password:{token}")
}

fn io_error(what: &str, path: &Path, e: impl std::fmt::Display) -> AppError {
    AppError::internal(
        "App.Journal",
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
        let entries = match std::fs::read(&path) {
            Ok(bytes) => match serde_json::from_slice::<JournalFile>(&bytes) {
                Ok(f) if f.schema <= SCHEMA => f.entries,
                other => {
                    let aside = path.with_extension(format!(
                        "json.corrupt-{}",
                        time::OffsetDateTime::now_utc().unix_timestamp()
                    ));
                    tracing::error!(
                        "launch journal {} unreadable ({}); moved to {}",
                        path.display(),
                        match other {
                            Err(e) => e.to_string(),
                            Ok(_) => "newer schema".into(),
                        },
                        aside.display()
                    );
                    let _ = std::fs::rename(&path, &aside);
                    Vec::new()
                }
            },
            Err(_) => Vec::new(),
        };
        Journal {
            path,
            entries: Mutex::new(entries),
            passwords: Mutex::new(HashMap::new()),
            vault,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Temp file, fsync, rename: the file on disk is always a whole journal.
    fn write(&self, entries: &[JournalEntry]) -> Result<(), AppError> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| io_error("create", dir, e))?;
        let json = serde_json::to_vec_pretty(&JournalFile {
            schema: SCHEMA,
            entries: entries.to_vec(),
        })
        .map_err(|e| AppError::internal("App.Journal", e.to_string()))?;
        let tmp = self
            .path
            .with_extension(format!("json.tmp-{}", std::process::id()));
        {
            use std::io::Write;
            let mut f = std::fs::File::create(&tmp).map_err(|e| io_error("write", &tmp, e))?;
            f.write_all(&json).map_err(|e| io_error("write", &tmp, e))?;
            f.sync_all().map_err(|e| io_error("sync", &tmp, e))?;
        }
        std::fs::rename(&tmp, &self.path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            io_error("replace", &self.path, e)
        })
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
    pub error: Option<String>,
    pub attempts: u32,
}

pub fn record_view(e: &JournalEntry) -> LaunchRecord {
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
        error: e.error.clone(),
        attempts: e.attempts,
    }
}
