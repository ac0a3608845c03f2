//! Profiles: the non-secret half of an account connection, kept in the app config dir as
//! `profiles.json` (schema-versioned, written atomically). The secret half lives in the
//! keyring (`secrets.rs`). A corrupt file is moved aside as a backup and reported, never
//! silently replaced.

use crate::error::{AppCode, AppError};
pub use crate::types::Language;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const SCHEMA_VERSION: u32 = 1;
pub const SANDBOX_ID: &str = "sandbox";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum ProfileKind {
    Sandbox,
    Cloud,
}

/// Which Tencent Cloud site the profile talks to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum Site {
    /// `*.tencentcloudapi.com`
    China,
    /// `*.intl.tencentcloudapi.com`
    Intl,
    /// A base URL (https, or http on loopback only).
    Custom { url: String },
}

/// The client-side rate budget.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum BudgetChoice {
    /// Today's documented per-action limits.
    Current,
    /// The original overview's rule: 100 per action and 1,000 in total per minute.
    Seed,
    /// Calls per minute, per action and in total.
    #[serde(rename_all = "camelCase")]
    Custom {
        per_action_per_minute: u32,
        total_per_minute: u32,
    },
}

/// A profile that acts as a role (STS AssumeRole), reached through another profile's
/// keys. Its temporary SecretId, SecretKey and token live in memory only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RoleSource {
    /// The profile whose keys assume the role (itself a key profile, not a role).
    pub base_profile_id: String,
    /// `qcs::cam::uin/<account UIN>:roleName/<name>`.
    pub role_arn: String,
    pub session_name: String,
    /// How long each set of temporary credentials lasts (900-43,200 s).
    pub duration_seconds: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub id: String,
    pub name: String,
    pub kind: ProfileKind,
    pub site: Site,
    pub default_region: String,
    pub language: Language,
    pub budget: BudgetChoice,
    /// Mutating commands are refused until the user unlocks the profile for the session.
    pub read_only: bool,
    /// `AKID…1234`; the full SecretId is in the keyring with the key.
    pub masked_secret_id: Option<String>,
    pub has_token: bool,
    /// The region last shown, so the console reopens where the user left it.
    pub last_region: Option<String>,
    /// Set for a role profile: which role, assumed through which profile.
    #[serde(default)]
    #[specta(optional)]
    pub role: Option<RoleSource>,
}

impl Profile {
    pub fn sandbox() -> Profile {
        Profile {
            id: SANDBOX_ID.into(),
            name: "Sandbox".into(),
            kind: ProfileKind::Sandbox,
            site: Site::Custom {
                url: "http://127.0.0.1/".into(),
            },
            default_region: "ap-guangzhou".into(),
            language: Language::EnUs,
            budget: BudgetChoice::Current,
            read_only: false,
            masked_secret_id: None,
            has_token: false,
            last_region: None,
            role: None,
        }
    }
}

/// The Sandbox's two other accounts, reached through roles its own key may assume, as
/// profiles. Like the Sandbox they cannot be edited or deleted, and every profiles file has
/// them, so a new user sees a fleet of three accounts with nothing to set up.
pub fn sandbox_role_profiles() -> Vec<Profile> {
    cvm_sim::SANDBOX_ROLE_ACCOUNTS
        .iter()
        .map(|(uin, role, _, _)| Profile {
            id: format!("{SANDBOX_ID}-{role}"),
            name: format!("Sandbox {role}"),
            has_token: true,
            role: Some(RoleSource {
                base_profile_id: SANDBOX_ID.into(),
                role_arn: format!("qcs::cam::uin/{uin}:roleName/{role}"),
                session_name: "cvm-console".into(),
                duration_seconds: 3600,
            }),
            ..Profile::sandbox()
        })
        .collect()
}

/// The Sandbox and its shipped role profiles, which every profiles file has. A role profile
/// the user adds through the Sandbox is a Sandbox profile too, but theirs to delete.
pub fn is_shipped(profile: &Profile) -> bool {
    profile.kind == ProfileKind::Sandbox
        && (profile.id == SANDBOX_ID || sandbox_role_profiles().iter().any(|p| p.id == profile.id))
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfilesFile {
    pub schema_version: u32,
    pub active_profile: String,
    pub profiles: Vec<Profile>,
}

impl Default for ProfilesFile {
    fn default() -> Self {
        ProfilesFile {
            schema_version: SCHEMA_VERSION,
            active_profile: SANDBOX_ID.into(),
            profiles: std::iter::once(Profile::sandbox())
                .chain(sandbox_role_profiles())
                .collect(),
        }
    }
}

impl ProfilesFile {
    pub fn get(&self, id: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.id == id)
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut Profile> {
        self.profiles.iter_mut().find(|p| p.id == id)
    }

    /// The Sandbox's profiles (its own key and its two roles) are always present, whatever
    /// the file said; a file from before the roles gains them after the Sandbox.
    fn normalise(&mut self) {
        if !self.profiles.iter().any(|p| p.id == SANDBOX_ID) {
            self.profiles.insert(0, Profile::sandbox());
        }
        let mut at = self
            .profiles
            .iter()
            .position(|p| p.id == SANDBOX_ID)
            .unwrap_or(0);
        for role in sandbox_role_profiles() {
            match self.profiles.iter().position(|p| p.id == role.id) {
                Some(i) => at = i,
                None => self.profiles.insert(at + 1, role),
            }
            at += 1;
        }
        if self.get(&self.active_profile).is_none() {
            self.active_profile = SANDBOX_ID.into();
        }
    }
}

/// What loading found, for the UI to report.
#[derive(Debug)]
pub struct Loaded {
    pub file: ProfilesFile,
    /// Set when an unreadable file was moved aside: the backup's path.
    pub corrupt_backup: Option<PathBuf>,
}

pub struct ProfileStore {
    path: PathBuf,
}

impl ProfileStore {
    pub fn new(config_dir: &Path) -> ProfileStore {
        ProfileStore {
            path: config_dir.join("profiles.json"),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn load(&self) -> Result<Loaded, AppError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Loaded {
                    file: ProfilesFile::default(),
                    corrupt_backup: None,
                });
            }
            Err(e) => return Err(io_error("read", &self.path, e)),
        };
        match serde_json::from_slice::<ProfilesFile>(&bytes) {
            Ok(mut file) if file.schema_version <= SCHEMA_VERSION => {
                file.normalise();
                Ok(Loaded {
                    file,
                    corrupt_backup: None,
                })
            }
            // Unparseable, or written by a newer version we must not overwrite blindly.
            _ => {
                let stamp = time::OffsetDateTime::now_utc().unix_timestamp();
                let backup = self
                    .path
                    .with_file_name(format!("profiles.json.corrupt-{stamp}"));
                std::fs::rename(&self.path, &backup)
                    .map_err(|e| io_error("back up", &self.path, e))?;
                tracing::warn!(backup = %backup.display(), "profiles.json was unreadable; moved aside");
                Ok(Loaded {
                    file: ProfilesFile::default(),
                    corrupt_backup: Some(backup),
                })
            }
        }
    }

    /// Written atomically (`fsutil::write_atomic`), so a crash leaves either the old or
    /// the new file, never half of one, and two writers never share a temp file.
    pub fn save(&self, file: &ProfilesFile) -> Result<(), AppError> {
        let json = serde_json::to_vec_pretty(file)
            .map_err(|e| AppError::internal(AppCode::Encode, e.to_string()))?;
        crate::fsutil::write_atomic(&self.path, &json).map_err(|e| io_error("write", &self.path, e))
    }
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> AppError {
    AppError::internal(
        AppCode::Io,
        format!("could not {what} {}: {e}", path.display()),
    )
}

pub fn invalid(field: &str, message: impl Into<String>) -> AppError {
    AppError::invalid(field, message)
}

/// The SecretId as Tencent issues it: `AKID` followed by letters and digits.
pub fn validate_secret_id(id: &str) -> Result<(), AppError> {
    if id.is_empty() {
        return Err(invalid("secretId", "SecretId is required"));
    }
    if id.trim() != id {
        return Err(invalid(
            "secretId",
            "SecretId has spaces around it (a copy-paste accident?)",
        ));
    }
    if !id.starts_with("AKID")
        || !(20..=64).contains(&id.len())
        || !id.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return Err(invalid(
            "secretId",
            "SecretId must start with AKID and contain only letters and digits (36 characters for most keys)",
        ));
    }
    Ok(())
}

/// Never echoes the key back in the message.
pub fn validate_secret_key(key: &str) -> Result<(), AppError> {
    if key.is_empty() {
        return Err(invalid("secretKey", "SecretKey is required"));
    }
    if key.trim() != key {
        return Err(invalid(
            "secretKey",
            "SecretKey has spaces around it (a copy-paste accident?)",
        ));
    }
    if !(16..=128).contains(&key.len()) || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(invalid(
            "secretKey",
            "SecretKey must be 16–128 visible ASCII characters (32 for most keys)",
        ));
    }
    Ok(())
}

/// The profile's default region: the one format check, naming the profile's field.
pub fn validate_region(region: &str) -> Result<(), AppError> {
    crate::types::validate_region(region).map_err(|e| e.with_field("defaultRegion"))
}

pub fn validate_name(
    file: &ProfilesFile,
    name: &str,
    except_id: Option<&str>,
) -> Result<(), AppError> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err(invalid("name", "a profile name is required"));
    }
    if trimmed.chars().count() > 64 {
        return Err(invalid("name", "a profile name is at most 64 characters"));
    }
    if file
        .profiles
        .iter()
        .any(|p| Some(p.id.as_str()) != except_id && p.name.trim().eq_ignore_ascii_case(trimmed))
    {
        return Err(invalid(
            "name",
            format!("a profile named {trimmed:?} already exists"),
        ));
    }
    Ok(())
}

pub fn validate_site(site: &Site) -> Result<(), AppError> {
    if let Site::Custom { url } = site {
        // The client's own endpoint rules are the authority (https, or http on loopback).
        tencent_api::Endpoint::Custom(url.clone())
            .validate()
            .map_err(|e| invalid("site", format!("custom endpoint: {}", e.message())))?;
    }
    Ok(())
}

pub fn validate_budget(b: &BudgetChoice) -> Result<(), AppError> {
    if let BudgetChoice::Custom {
        per_action_per_minute,
        total_per_minute,
    } = b
    {
        if !(1..=6000).contains(per_action_per_minute) {
            return Err(invalid(
                "budget",
                "calls per action per minute must be 1–6000",
            ));
        }
        if !(1..=60000).contains(total_per_minute) || total_per_minute < per_action_per_minute {
            return Err(invalid(
                "budget",
                "total calls per minute must be 1–60000 and at least the per-action figure",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_gives_the_sandbox_as_default() {
        let dir = tempfile::tempdir().unwrap();
        let l = ProfileStore::new(dir.path()).load().unwrap();
        assert_eq!(l.file.active_profile, SANDBOX_ID);
        assert_eq!(l.file.profiles[0].kind, ProfileKind::Sandbox);
        assert!(l.corrupt_backup.is_none());
        // One direct account and two reached through roles its key may assume.
        let roles: Vec<_> = l.file.profiles[1..]
            .iter()
            .map(|p| p.role.as_ref().expect("a role profile"))
            .collect();
        assert_eq!(roles.len(), 2);
        for r in roles {
            assert_eq!(r.base_profile_id, SANDBOX_ID);
            assert!(tencent_api::models::sts::parse_role_arn(&r.role_arn).is_ok());
        }
    }

    /// A file written before the Sandbox had roles gains them right after the Sandbox, the
    /// user's own profiles kept in their order; a file that has them is left as it is.
    #[test]
    fn an_older_file_gains_the_sandbox_roles() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProfileStore::new(dir.path());
        let mut mine = Profile::sandbox();
        mine.id = "p1".into();
        mine.name = "Prod".into();
        mine.kind = ProfileKind::Cloud;
        let old = ProfilesFile {
            schema_version: SCHEMA_VERSION,
            active_profile: "p1".into(),
            profiles: vec![mine.clone(), Profile::sandbox()],
        };
        store.save(&old).unwrap();
        let loaded = store.load().unwrap().file;
        let ids: Vec<_> = loaded.profiles.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "p1",
                SANDBOX_ID,
                "sandbox-fleet-operator",
                "sandbox-fleet-auditor"
            ]
        );
        assert_eq!(loaded.active_profile, "p1");
        store.save(&loaded).unwrap();
        assert_eq!(store.load().unwrap().file, loaded);
        // No Sandbox at all: it comes back first, with its roles.
        let bare = ProfilesFile {
            profiles: vec![mine],
            ..old
        };
        store.save(&bare).unwrap();
        let ids: Vec<_> = store
            .load()
            .unwrap()
            .file
            .profiles
            .into_iter()
            .map(|p| p.id)
            .collect();
        assert_eq!(
            ids,
            [
                SANDBOX_ID,
                "sandbox-fleet-operator",
                "sandbox-fleet-auditor",
                "p1"
            ]
        );
    }

    #[test]
    fn save_then_load_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProfileStore::new(&dir.path().join("nested"));
        let mut f = ProfilesFile::default();
        let mut p = Profile::sandbox();
        p.id = "p1".into();
        p.name = "Prod".into();
        p.kind = ProfileKind::Cloud;
        p.site = Site::Intl;
        p.budget = BudgetChoice::Custom {
            per_action_per_minute: 50,
            total_per_minute: 500,
        };
        f.profiles.push(p);
        f.active_profile = "p1".into();
        store.save(&f).unwrap();
        assert_eq!(store.load().unwrap().file, f);
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path().join("nested"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("profiles.json")]);
    }

    /// Two saves at once (two threads, one pid) must not write into one temp file: each
    /// succeeds and the file on disk is one of them, whole.
    #[test]
    fn concurrent_saves_never_share_a_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let threads: Vec<_> = (0..6)
            .map(|i| {
                let dir = dir.path().to_owned();
                std::thread::spawn(move || {
                    let store = ProfileStore::new(&dir);
                    let mut f = ProfilesFile::default();
                    for n in 0..40 {
                        let mut p = Profile::sandbox();
                        p.id = format!("p{n}");
                        p.name = format!("writer {i}");
                        f.profiles.push(p);
                    }
                    for _ in 0..15 {
                        store.save(&f).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let store = ProfileStore::new(dir.path());
        let l = store.load().unwrap();
        assert!(l.corrupt_backup.is_none());
        assert_eq!(l.file.profiles.len(), 43);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn corrupt_file_is_kept_as_a_backup_and_reported() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProfileStore::new(dir.path());
        std::fs::write(store.path(), b"{ not json").unwrap();
        let l = store.load().unwrap();
        let backup = l.corrupt_backup.expect("reported");
        assert_eq!(std::fs::read(&backup).unwrap(), b"{ not json");
        assert!(
            !store.path().exists(),
            "the broken file is moved, not overwritten"
        );
        assert_eq!(l.file, ProfilesFile::default());
    }

    #[test]
    fn newer_schema_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProfileStore::new(dir.path());
        let mut f = serde_json::to_value(ProfilesFile::default()).unwrap();
        f["schemaVersion"] = 99.into();
        std::fs::write(store.path(), serde_json::to_vec(&f).unwrap()).unwrap();
        assert!(store.load().unwrap().corrupt_backup.is_some());
    }

    #[test]
    fn validation_names_the_field() {
        assert_eq!(
            validate_secret_id("").unwrap_err().field.as_deref(),
            Some("secretId")
        );
        assert_eq!(
            validate_secret_id(" AKIDabcdefghijklmnopqrstuvwxyz123456")
                .unwrap_err()
                .field
                .as_deref(),
            Some("secretId")
        );
        assert!(validate_secret_id("AKIDabcdefghijklmnopqrstuvwxyz123456").is_ok());
        assert!(validate_secret_id("XXXXabcdefghijklmnopqrstuvwxyz123456").is_err());
        let e = validate_secret_key("short").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("secretKey"));
        assert!(
            !e.message.contains("short"),
            "the message must not echo the key"
        );
        assert!(validate_secret_key("abcdefghijklmnopqrstuvwxyz012345").is_ok());
        assert_eq!(
            validate_region("mars-1").unwrap_err().field.as_deref(),
            Some("defaultRegion")
        );
        assert!(validate_region("ap-guangzhou").is_ok());
        assert!(cvm_sim::catalog::region("eu-madrid").is_none());
        assert!(
            validate_region("eu-madrid").is_ok(),
            "checked by format only"
        );
        let f = ProfilesFile::default();
        assert_eq!(
            validate_name(&f, " sandbox ", None)
                .unwrap_err()
                .field
                .as_deref(),
            Some("name")
        );
        assert!(validate_name(&f, "Sandbox", Some(SANDBOX_ID)).is_ok());
        assert_eq!(
            validate_site(&Site::Custom {
                url: "http://10.1.2.3:9100/".into()
            })
            .unwrap_err()
            .field
            .as_deref(),
            Some("site")
        );
        assert!(
            validate_site(&Site::Custom {
                url: "http://127.0.0.1:9100/".into()
            })
            .is_ok()
        );
        assert!(
            validate_budget(&BudgetChoice::Custom {
                per_action_per_minute: 0,
                total_per_minute: 10
            })
            .is_err()
        );
    }
}
