//! Importing credentials that users already have: `tccli`'s plaintext profile files
//! (`~/.tccli/<name>.credential` + `<name>.configure`) and the SDKs' environment
//! variables. The secrets read here go straight into the keyring; the UI only ever sees
//! a masked SecretId.

use crate::error::AppError;
use crate::profiles::invalid;
use crate::secrets::StoredSecret;
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
}

pub struct Found {
    pub secret: StoredSecret,
    pub region: Option<String>,
    pub credential_file: Option<PathBuf>,
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
    }
}

/// Deletes a tccli credential file (only `~/.tccli/<name>.credential`, nothing else).
pub fn delete_tccli_credential(home: &Path, profile: &str) -> Result<String, AppError> {
    if !profile_name_ok(profile) {
        return Err(invalid(
            "profile",
            "a tccli profile name is letters, digits, '-', '_' or '.'",
        ));
    }
    let path = tccli_dir(home).join(format!("{profile}.credential"));
    std::fs::remove_file(&path).map_err(|e| {
        invalid(
            "profile",
            format!("could not delete {}: {e}", path.display()),
        )
    })?;
    Ok(path.display().to_string())
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

    #[test]
    fn deletes_only_the_credential_file() {
        let home = tempfile::tempdir().unwrap();
        write(home.path(), "default.credential", "{}");
        write(home.path(), "default.configure", "{}");
        delete_tccli_credential(home.path(), "default").unwrap();
        assert!(!tccli_dir(home.path()).join("default.credential").exists());
        assert!(tccli_dir(home.path()).join("default.configure").exists());
        assert!(delete_tccli_credential(home.path(), "../x").is_err());
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
