//! Importing credentials that users already have: `tccli`'s plaintext profile files
//! (`~/.tccli/<name>.credential` + `<name>.configure`) and the SDKs' environment
//! variables. The secrets read here go straight into the keyring; the UI only ever sees
//! a masked SecretId.

use crate::error::{AppCode, AppError};
use crate::profiles::{Profile, ProfileKind, invalid};
use crate::secrets::{StoredSecret, Vault};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use tencent_api::Sensitive;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum ImportSource {
    /// A tccli profile by name (`default` unless the user made others).
    Tccli { profile: String },
    /// `TENCENTCLOUD_SECRET_ID` / `_SECRET_KEY` / `_TOKEN` / `_REGION`.
    Env,
}

/// What an import would bring in, without the secret.
#[derive(Clone, Debug, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportCandidate {
    pub source: ImportSource,
    pub label: String,
    pub masked_secret_id: String,
    pub has_token: bool,
    pub region: Option<String>,
    /// For tccli: the plaintext credential file the user may want deleted afterwards.
    pub credential_file: Option<String>,
    /// The role the source assumes with its keys (tccli's `role-arn`), as written: the
    /// import makes a key profile and a role profile through it.
    pub role_arn: Option<String>,
}

pub struct Found {
    pub secret: StoredSecret,
    pub region: Option<String>,
    pub credential_file: Option<PathBuf>,
    /// `role-arn` and `role-session-name` as written (tccli assumes the role with the keys
    /// when both are set); checked by [`Found::role`].
    pub role_arn: Option<String>,
    pub role_session_name: Option<String>,
}

/// A role to assume with the imported keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundRole {
    pub role_arn: String,
    pub session_name: String,
}

impl Found {
    /// The role the source assumes, if any, checked as a role profile's fields are: both
    /// parts or neither, a well-formed ARN, a session name STS accepts. Errors name
    /// `roleArn` or `sessionName`.
    pub fn role(&self) -> Result<Option<FoundRole>, AppError> {
        let (arn_key, session_key) = match self.credential_file {
            Some(_) => ("role-arn", "role-session-name"),
            None => ("TENCENTCLOUD_ROLE_ARN", "TENCENTCLOUD_ROLE_SESSION_NAME"),
        };
        let arn = self
            .role_arn
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let session = self
            .role_session_name
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        match (arn, session) {
            (None, None) => Ok(None),
            (Some(_), None) => Err(invalid(
                "sessionName",
                format!("{arn_key} is set but {session_key} is not: a role needs both"),
            )),
            (None, Some(_)) => Err(invalid(
                "roleArn",
                format!("{session_key} is set but {arn_key} is not: a role needs both"),
            )),
            (Some(arn), Some(session)) => {
                tencent_api::models::sts::parse_role_arn(arn).map_err(|e| {
                    invalid(
                        "roleArn",
                        format!(
                            "{arn_key} {} (e.g. qcs::cam::uin/100000000001:roleName/ops)",
                            reason(&e)
                        ),
                    )
                })?;
                tencent_api::models::sts::validate_session_name(session)
                    .map_err(|e| invalid("sessionName", format!("{session_key} {}", reason(&e))))?;
                Ok(Some(FoundRole {
                    role_arn: arn.to_owned(),
                    session_name: session.to_owned(),
                }))
            }
        }
    }
}

/// The reason of an input check's error, without the API field name it carries.
fn reason(e: &tencent_api::Error) -> String {
    match e {
        tencent_api::Error::InvalidInput { reason, .. } => reason.clone(),
        other => other.message(),
    }
}

pub fn tccli_dir(home: &Path) -> PathBuf {
    home.join(".tccli")
}

fn profile_name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
        && !name.starts_with('.')
}

#[derive(Deserialize)]
struct TccliCredential {
    #[serde(rename = "secretId")]
    secret_id: Option<String>,
    #[serde(rename = "secretKey")]
    secret_key: Option<String>,
    token: Option<String>,
    #[serde(rename = "role-arn")]
    role_arn: Option<String>,
    #[serde(rename = "role-session-name")]
    role_session_name: Option<String>,
}

pub fn read_tccli(home: &Path, profile: &str) -> Result<Found, AppError> {
    if !profile_name_ok(profile) {
        return Err(invalid(
            "profile",
            "a tccli profile name is letters, digits, '-', '_' or '.'",
        ));
    }
    let dir = tccli_dir(home);
    let cred_path = dir.join(format!("{profile}.credential"));
    let bytes = std::fs::read(&cred_path).map_err(|e| {
        invalid(
            "profile",
            format!("cannot read {}: {e}", cred_path.display()),
        )
    })?;
    let cred: TccliCredential = serde_json::from_slice(&bytes).map_err(|_| {
        invalid(
            "profile",
            format!(
                "{} is not a tccli credential file (expected JSON with secretId and secretKey)",
                cred_path.display()
            ),
        )
    })?;
    let (Some(id), Some(key)) = (
        cred.secret_id.filter(|s| !s.is_empty()),
        cred.secret_key.filter(|s| !s.is_empty()),
    ) else {
        return Err(invalid(
            "profile",
            format!(
                "{} has no secretId/secretKey (a CVM-role or SSO profile cannot be imported)",
                cred_path.display()
            ),
        ));
    };
    let region = std::fs::read(dir.join(format!("{profile}.configure")))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|v| {
            v.get("_sys_param")
                .and_then(|p| p.get("region"))
                .and_then(|r| r.as_str())
                .map(str::to_owned)
        });
    Ok(Found {
        secret: StoredSecret {
            secret_id: id,
            secret_key: Sensitive::new(key),
            token: cred.token.filter(|t| !t.is_empty()).map(Sensitive::new),
        },
        region,
        credential_file: Some(cred_path),
        role_arn: cred.role_arn,
        role_session_name: cred.role_session_name,
    })
}

pub fn read_env(get: impl Fn(&str) -> Option<String>) -> Result<Found, AppError> {
    let id = get("TENCENTCLOUD_SECRET_ID").filter(|s| !s.is_empty());
    let key = get("TENCENTCLOUD_SECRET_KEY").filter(|s| !s.is_empty());
    let (Some(id), Some(key)) = (id, key) else {
        return Err(invalid(
            "source",
            "TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not both set",
        ));
    };
    Ok(Found {
        secret: StoredSecret {
            secret_id: id,
            secret_key: Sensitive::new(key),
            token: get("TENCENTCLOUD_TOKEN")
                .filter(|s| !s.is_empty())
                .map(Sensitive::new),
        },
        region: get("TENCENTCLOUD_REGION").filter(|s| !s.is_empty()),
        credential_file: None,
        role_arn: get("TENCENTCLOUD_ROLE_ARN"),
        role_session_name: get("TENCENTCLOUD_ROLE_SESSION_NAME"),
    })
}

pub fn read(home: &Path, source: &ImportSource) -> Result<Found, AppError> {
    match source {
        ImportSource::Tccli { profile } => read_tccli(home, profile),
        ImportSource::Env => read_env(|k| std::env::var(k).ok()),
    }
}

/// Everything importable right now: every tccli profile with a credential file, and
/// the environment when it carries a key pair. Unreadable files are skipped here; an
/// import of one reports why.
pub fn candidates(home: &Path) -> Vec<ImportCandidate> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(tccli_dir(home)) {
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter_map(|n| n.strip_suffix(".credential").map(str::to_owned))
            .collect();
        names.sort();
        for name in names {
            if let Ok(found) = read_tccli(home, &name) {
                out.push(candidate(
                    ImportSource::Tccli {
                        profile: name.clone(),
                    },
                    format!("tccli: {name}"),
                    &found,
                ));
            }
        }
    }
    if let Ok(found) = read_env(|k| std::env::var(k).ok()) {
        out.push(candidate(
            ImportSource::Env,
            "TENCENTCLOUD_* environment variables".into(),
            &found,
        ));
    }
    out
}

fn candidate(source: ImportSource, label: String, f: &Found) -> ImportCandidate {
    ImportCandidate {
        source,
        label,
        masked_secret_id: f.secret.credentials().masked_secret_id(),
        has_token: f.secret.token.is_some(),
        region: f.region.clone(),
        credential_file: f.credential_file.as_ref().map(|p| p.display().to_string()),
        role_arn: f
            .role_arn
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned),
    }
}

/// Deletes the tccli credential file `~/.tccli/<profile>.credential` (that file and
/// nothing else), only when
/// - `confirm` is its path as the UI showed it (the import candidate's `credentialFile`);
/// - it is a regular file: a symbolic link is refused (and never followed), its target
///   named so the user can decide about it;
/// - it still holds the SecretId and SecretKey that are in the keyring for a profile
///   (`imported` answers that, see `imported_into`): a file rewritten since the import
///   (another key) or whose profile is gone is never deleted, since the key would be lost.
///
/// Returns the deleted path.
pub fn delete_tccli_credential(
    home: &Path,
    profile: &str,
    confirm: &str,
    imported: impl FnOnce(&StoredSecret) -> Result<bool, AppError>,
) -> Result<String, AppError> {
    if !profile_name_ok(profile) {
        return Err(invalid(
            "profile",
            "a tccli profile name is letters, digits, '-', '_' or '.'",
        ));
    }
    let path = tccli_dir(home).join(format!("{profile}.credential"));
    let shown = path.display().to_string();
    crate::consent::check_named("confirm", confirm, &[shown.as_str()])?;
    let meta = std::fs::symlink_metadata(&path)
        .map_err(|e| invalid("profile", format!("cannot read {shown}: {e}")))?;
    if meta.file_type().is_symlink() {
        let target = std::fs::read_link(&path)
            .map(|t| t.display().to_string())
            .unwrap_or_else(|e| format!("an unreadable target ({e})"));
        return Err(invalid(
            "profile",
            format!(
                "{shown} is a symbolic link to {target}; it is not deleted (remove the link or its target yourself if you mean to)"
            ),
        ));
    }
    if !meta.is_file() {
        return Err(invalid(
            "profile",
            format!("{shown} is not a regular file; it is not deleted"),
        ));
    }
    let found = read_tccli(home, profile)
        .map_err(|e| invalid("profile", format!("{shown} is not deleted: {}", e.message)))?;
    if !imported(&found.secret)? {
        return Err(AppError::conflict(
            AppCode::TccliFileChanged,
            format!(
                "{shown} no longer holds the key of a profile in CVM Console (it changed since the import, or the profile was deleted or given another key); it is not deleted"
            ),
        )
        .with_field("profile"));
    }
    std::fs::remove_file(&path)
        .map_err(|e| invalid("profile", format!("could not delete {shown}: {e}")))?;
    Ok(shown)
}

/// Whether the keyring holds `secret` (same SecretId and SecretKey) for one of the cloud
/// profiles, looked up through their masked SecretId. Blocking (keyring reads).
pub fn imported_into(
    profiles: &[Profile],
    vault: &Vault,
    secret: &StoredSecret,
) -> Result<bool, AppError> {
    let masked = secret.credentials().masked_secret_id();
    for p in profiles
        .iter()
        .filter(|p| p.kind == ProfileKind::Cloud && p.masked_secret_id.as_deref() == Some(&masked))
    {
        if let Some(stored) = vault.get(&p.id)?
            && stored.secret_id == secret.secret_id
            && stored.secret_key.expose() == secret.secret_key.expose()
        {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(home: &Path, name: &str, body: &str) {
        std::fs::create_dir_all(tccli_dir(home)).unwrap();
        std::fs::write(tccli_dir(home).join(name), body).unwrap();
    }

    #[test]
    fn reads_tccli_profiles_with_region() {
        let home = tempfile::tempdir().unwrap();
        write(
            home.path(),
            "default.credential",
            r#"{"secretId": "AKIDabcdefghijklmnopqrstuvwxyz123456", "secretKey": "keykeykeykeykeykeykeykeykeykey12"}"#,
        );
        write(
            home.path(),
            "default.configure",
            r#"{"_sys_param": {"region": "ap-shanghai", "output": "json"}}"#,
        );
        write(home.path(), "role.credential", r#"{"type": "cvm-role"}"#);
        let c = candidates(home.path());
        assert_eq!(c.len(), 1, "the CVM-role profile has no key to import");
        assert_eq!(c[0].region.as_deref(), Some("ap-shanghai"));
        assert_eq!(c[0].masked_secret_id, "AKID…3456");
        let f = read_tccli(home.path(), "default").unwrap();
        assert_eq!(
            f.secret.secret_key.expose(),
            "keykeykeykeykeykeykeykeykeykey12"
        );
        let e = read_tccli(home.path(), "role").err().unwrap();
        assert_eq!(e.field.as_deref(), Some("profile"));
        assert!(read_tccli(home.path(), "../etc/passwd").is_err());
        assert!(read_tccli(home.path(), "missing").is_err());
        write(home.path(), "bad.credential", "not json");
        assert!(
            read_tccli(home.path(), "bad")
                .err()
                .unwrap()
                .message
                .contains("not a tccli credential file")
        );
    }

    const ID: &str = "AKIDabcdefghijklmnopqrstuvwxyz123456";
    const KEY: &str = "keykeykeykeykeykeykeykeykeykey12";

    fn credential(id: &str, key: &str) -> String {
        format!(r#"{{"secretId": "{id}", "secretKey": "{key}"}}"#)
    }

    fn mock_vault() -> Vault {
        let store: std::sync::Arc<keyring_core::CredentialStore> =
            keyring_core::mock::Store::new().unwrap();
        Vault::with_store(store, "tccli-test")
    }

    /// A cloud profile whose keyring entry holds `key` for `ID`, as an import leaves it.
    fn imported_profile(vault: &Vault, id: &str, key: &str) -> Profile {
        let mut p = Profile::sandbox();
        p.id = id.into();
        p.name = id.into();
        p.kind = ProfileKind::Cloud;
        p.masked_secret_id = Some("AKID…3456".into());
        vault
            .put(
                id,
                &StoredSecret {
                    secret_id: ID.into(),
                    secret_key: Sensitive::new(key),
                    token: None,
                },
            )
            .unwrap();
        p
    }

    fn shown(home: &Path, name: &str) -> String {
        tccli_dir(home)
            .join(format!("{name}.credential"))
            .display()
            .to_string()
    }

    #[test]
    fn deletes_only_the_confirmed_credential_file_still_holding_the_imported_key() {
        let home = tempfile::tempdir().unwrap();
        let vault = mock_vault();
        let profiles = vec![Profile::sandbox(), imported_profile(&vault, "p-1", KEY)];
        let imported = |s: &StoredSecret| imported_into(&profiles, &vault, s);
        write(home.path(), "default.credential", &credential(ID, KEY));
        write(home.path(), "default.configure", "{}");
        let path = shown(home.path(), "default");
        // The confirmation must be the path the dialog showed.
        for confirm in ["", "yes", "true", "default"] {
            let e = delete_tccli_credential(home.path(), "default", confirm, imported).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("confirm"), "{confirm:?}");
        }
        assert!(Path::new(&path).exists());
        assert_eq!(
            delete_tccli_credential(home.path(), "default", &path, imported).unwrap(),
            path
        );
        assert!(!Path::new(&path).exists());
        assert!(tccli_dir(home.path()).join("default.configure").exists());
        let e = delete_tccli_credential(home.path(), "../x", "../x", imported).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("profile"));
    }

    #[test]
    fn a_file_that_no_longer_holds_the_imported_key_is_kept() {
        let home = tempfile::tempdir().unwrap();
        let vault = mock_vault();
        let profiles = vec![imported_profile(&vault, "p-1", KEY)];
        let imported = |s: &StoredSecret| imported_into(&profiles, &vault, s);
        let path = shown(home.path(), "default");
        // Rewritten since the import: another SecretKey for the same SecretId.
        let other = "otherotherotherotherotherother12";
        write(home.path(), "default.credential", &credential(ID, other));
        let e = delete_tccli_credential(home.path(), "default", &path, imported).unwrap_err();
        assert_eq!(e.code, crate::error::AppCode::TccliFileChanged.as_str());
        assert_eq!(e.field.as_deref(), Some("profile"));
        assert!(!e.message.contains(other), "the key is never echoed");
        // No key at all any more (tccli switched it to a role).
        write(home.path(), "default.credential", r#"{"type": "cvm-role"}"#);
        let e = delete_tccli_credential(home.path(), "default", &path, imported).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("profile"));
        // The key matches, but its profile was deleted (nothing in the keyring).
        write(home.path(), "default.credential", &credential(ID, KEY));
        vault.delete("p-1").unwrap();
        let e = delete_tccli_credential(home.path(), "default", &path, imported).unwrap_err();
        assert_eq!(e.code, crate::error::AppCode::TccliFileChanged.as_str());
        assert!(Path::new(&path).exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_refused_and_its_target_named() {
        let home = tempfile::tempdir().unwrap();
        let vault = mock_vault();
        let profiles = vec![imported_profile(&vault, "p-1", KEY)];
        let elsewhere = home.path().join("dotfiles-default.credential");
        std::fs::write(&elsewhere, credential(ID, KEY)).unwrap();
        std::fs::create_dir_all(tccli_dir(home.path())).unwrap();
        let path = shown(home.path(), "default");
        std::os::unix::fs::symlink(&elsewhere, &path).unwrap();
        let e = delete_tccli_credential(home.path(), "default", &path, |s| {
            imported_into(&profiles, &vault, s)
        })
        .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("profile"));
        assert!(
            e.message.contains(&elsewhere.display().to_string()),
            "{}",
            e.message
        );
        assert!(Path::new(&path).symlink_metadata().is_ok(), "link kept");
        assert!(elsewhere.exists(), "target kept");
    }

    #[test]
    fn a_tccli_role_is_read_and_checked_field_by_field() {
        let home = tempfile::tempdir().unwrap();
        let with_role = |arn: Option<&str>, session: Option<&str>| {
            let mut v = serde_json::json!({"secretId": ID, "secretKey": KEY});
            if let Some(a) = arn {
                v["role-arn"] = a.into();
            }
            if let Some(s) = session {
                v["role-session-name"] = s.into();
            }
            write(home.path(), "ops.credential", &v.to_string());
            read_tccli(home.path(), "ops").unwrap()
        };
        let arn = "qcs::cam::uin/100000000002:roleName/ops";
        let f = with_role(Some(arn), Some("tccli-session"));
        assert_eq!(
            f.role().unwrap(),
            Some(FoundRole {
                role_arn: arn.into(),
                session_name: "tccli-session".into()
            })
        );
        let c = candidates(home.path());
        assert_eq!(c[0].role_arn.as_deref(), Some(arn));
        assert_eq!(with_role(None, None).role().unwrap(), None);
        assert_eq!(candidates(home.path())[0].role_arn, None);
        for (arn, session, field) in [
            (Some(arn), None, "sessionName"),
            (None, Some("s1"), "roleArn"),
            (Some("ops"), Some("s1"), "roleArn"),
            (
                Some("qcs::cam::uin/12ab:roleName/ops"),
                Some("s1"),
                "roleArn",
            ),
            (Some(arn), Some("a b"), "sessionName"),
            (Some(arn), Some("x"), "sessionName"),
        ] {
            let e = with_role(arn, session).role().unwrap_err();
            assert_eq!(e.field.as_deref(), Some(field), "{arn:?} {session:?}");
            assert!(
                e.message.contains("role-"),
                "names tccli's key: {}",
                e.message
            );
        }
        // A value of the wrong type is not a tccli file.
        write(
            home.path(),
            "ops.credential",
            &format!(r#"{{"secretId": "{ID}", "secretKey": "{KEY}", "role-arn": 7}}"#),
        );
        assert_eq!(
            read_tccli(home.path(), "ops")
                .err()
                .unwrap()
                .field
                .as_deref(),
            Some("profile")
        );
        // The environment's role variables, checked the same way.
        let env = |session: Option<&'static str>| {
            move |k: &str| match k {
                "TENCENTCLOUD_SECRET_ID" => Some(ID.to_owned()),
                "TENCENTCLOUD_SECRET_KEY" => Some(KEY.to_owned()),
                "TENCENTCLOUD_ROLE_ARN" => {
                    Some("qcs::cam::uin/100000000002:roleName/ops".to_owned())
                }
                "TENCENTCLOUD_ROLE_SESSION_NAME" => session.map(str::to_owned),
                _ => None,
            }
        };
        assert!(read_env(env(Some("s1"))).unwrap().role().unwrap().is_some());
        let e = read_env(env(None)).unwrap().role().unwrap_err();
        assert_eq!(e.field.as_deref(), Some("sessionName"));
        assert!(
            e.message.contains("TENCENTCLOUD_ROLE_SESSION_NAME"),
            "{}",
            e.message
        );
    }

    #[test]
    fn reads_the_environment() {
        let env = |k: &str| match k {
            "TENCENTCLOUD_SECRET_ID" => Some("AKIDabcdefghijklmnopqrstuvwxyz123456".to_owned()),
            "TENCENTCLOUD_SECRET_KEY" => Some("keykeykeykeykeykeykeykeykeykey12".to_owned()),
            "TENCENTCLOUD_TOKEN" => Some("tok".to_owned()),
            "TENCENTCLOUD_REGION" => Some("ap-beijing".to_owned()),
            _ => None,
        };
        let f = read_env(env).unwrap();
        assert_eq!(f.region.as_deref(), Some("ap-beijing"));
        assert!(f.secret.token.is_some());
        assert_eq!(
            read_env(|_| None).err().unwrap().field.as_deref(),
            Some("source")
        );
    }
}
