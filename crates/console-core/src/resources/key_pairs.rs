//! Key pairs (account-wide; any region routes the calls): list, create, import, delete,
//! bind to and unbind from instances.
//!
//! A created pair's private key exists once, in CreateKeyPair's answer (Tencent does not
//! keep it). It is handed straight to a `save` function (the command asks the user where
//! with a native save dialog and writes the file owner-only); it never crosses IPC,
//! is never logged and is never kept by the app. If it cannot be saved, the new pair is
//! deleted again so no unusable key is left behind.

use super::{check_confirmation, conflict};
use crate::console::activity::with_targets;
use crate::error::{AppCode, AppError};
use crate::profiles::invalid;
use serde::Serialize;
use tencent_api::models::{cvm, resources};
use tencent_api::{Client, Sensitive};

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct KeyPairView {
    pub id: String,
    pub name: String,
    pub description: String,
    pub public_key: String,
    pub associated_instance_ids: Vec<String>,
    pub created_time: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CreatedKeyPair {
    pub key_pair: KeyPairView,
    /// Where the private key was saved (the only copy).
    pub saved_to: String,
}

/// Tencent's rule: 1–25 letters, digits and underscores.
pub fn validate_key_name(name: &str) -> Result<(), AppError> {
    if name.is_empty() {
        return Err(invalid("keyName", "a key pair name is required"));
    }
    if name.chars().count() > 25 {
        return Err(invalid(
            "keyName",
            format!(
                "a key pair name is at most 25 characters ({} given)",
                name.chars().count()
            ),
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !c.is_ascii_alphanumeric() && *c != '_')
    {
        return Err(invalid(
            "keyName",
            format!("{c:?} is not allowed: use letters, digits and _ only"),
        ));
    }
    Ok(())
}

/// An OpenSSH public key line: `ssh-rsa` or `ssh-ed25519`, then the Base64 key blob
/// (which itself starts with the algorithm's name), then an optional comment.
pub fn validate_public_key(key: &str) -> Result<String, AppError> {
    let bad = |m: &str| invalid("publicKey", m.to_owned());
    let key = key.trim();
    if key.contains('\n') || key.contains('\r') {
        return Err(bad(
            "paste one public key line (…/id_ed25519.pub), not several lines or a private key",
        ));
    }
    let mut parts = key.split_whitespace();
    let (Some(algo), Some(blob)) = (parts.next(), parts.next()) else {
        return Err(bad("a public key looks like: ssh-ed25519 AAAA… comment"));
    };
    let prefix = match algo {
        "ssh-rsa" => "AAAAB3NzaC1yc2E",
        "ssh-ed25519" => "AAAAC3NzaC1lZDI1NTE5",
        _ => return Err(bad("only ssh-rsa and ssh-ed25519 keys can be imported")),
    };
    let base64 = blob
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=')
        && blob.len() % 4 == 0;
    if !base64 || !blob.starts_with(prefix) {
        return Err(bad(&format!(
            "the key data does not look like an {algo} key"
        )));
    }
    let long_enough = match algo {
        "ssh-ed25519" => blob.len() == 68,
        _ => blob.len() >= 204, // 1024-bit RSA or larger
    };
    if !long_enough {
        return Err(bad(&format!("the {algo} key data has the wrong length")));
    }
    Ok(key.to_owned())
}

fn view(k: cvm::KeyPair) -> Option<KeyPairView> {
    Some(KeyPairView {
        id: k.key_id?,
        name: k.key_name.unwrap_or_default(),
        description: k.description.unwrap_or_default(),
        public_key: k.public_key.unwrap_or_default(),
        associated_instance_ids: k.associated_instance_ids.unwrap_or_default(),
        created_time: k.created_time,
    })
}

pub async fn list_key_pairs(client: &Client, region: &str) -> Result<Vec<KeyPairView>, AppError> {
    let all = client
        .list_all(region, cvm::DescribeKeyPairsRequest::default())
        .await?;
    Ok(all.into_iter().filter_map(view).collect())
}

/// Creates a pair and hands the private key to `save` (which returns where it went).
pub async fn create(
    client: &Client,
    region: &str,
    name: &str,
    save: impl FnOnce(&Sensitive) -> Result<String, AppError>,
) -> Result<CreatedKeyPair, AppError> {
    validate_key_name(name)?;
    let out = client
        .create_key_pair(
            region,
            &cvm::CreateKeyPairRequest {
                key_name: Some(name.to_owned()),
                project_id: Some(0),
                tag_specification: None,
            },
        )
        .await?;
    let mut pair = out.key_pair.ok_or_else(|| {
        AppError::internal(
            AppCode::NoKeyPair,
            "CreateKeyPair answered without the key pair",
        )
    })?;
    let private = pair.private_key.take();
    let view = view(pair).ok_or_else(|| {
        AppError::internal(
            AppCode::NoKeyPair,
            "CreateKeyPair answered without a key id",
        )
    })?;
    let saved = match private {
        Some(p) => save(&p),
        None => Err(AppError::internal(
            AppCode::NoPrivateKey,
            "CreateKeyPair answered without the private key",
        )),
    };
    match saved {
        Ok(saved_to) => Ok(CreatedKeyPair {
            key_pair: view,
            saved_to,
        }),
        Err(e) => {
            // Without its private key the pair is useless: remove it again.
            if let Err(d) = client
                .delete_key_pairs(
                    region,
                    &cvm::DeleteKeyPairsRequest {
                        key_ids: Some(vec![view.id.clone()]),
                    },
                )
                .await
            {
                tracing::warn!(code = d.code(), key = %view.id, "could not delete the unsaved key pair");
            }
            Err(e)
        }
    }
}

/// Writes a private key owner-only (0600 on Unix), replacing the chosen file.
pub fn write_private_key(path: &std::path::Path, key: &Sensitive) -> Result<String, AppError> {
    use std::io::Write;
    let fail = |e: std::io::Error| {
        AppError::internal(
            AppCode::KeySaveFailed,
            format!("could not save the private key to {}: {e}", path.display()),
        )
    };
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(fail)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(fail)?;
    }
    f.write_all(key.expose().as_bytes()).map_err(fail)?;
    f.sync_all().map_err(fail)?;
    Ok(path.display().to_string())
}

pub async fn import(
    client: &Client,
    region: &str,
    name: &str,
    public_key: &str,
) -> Result<String, AppError> {
    validate_key_name(name)?;
    let key = validate_public_key(public_key)?;
    let out = client
        .import_key_pair(
            region,
            &cvm::ImportKeyPairRequest {
                key_name: Some(name.to_owned()),
                project_id: Some(0),
                public_key: Some(key),
                ..Default::default()
            },
        )
        .await?;
    out.key_id.ok_or_else(|| {
        AppError::internal(AppCode::NoKeyId, "ImportKeyPair answered without a key id")
    })
}

/// Deletes a key pair that no instance uses. `confirm` must be its id or name.
pub async fn delete(
    client: &Client,
    region: &str,
    key_id: &str,
    confirm: &str,
) -> Result<Option<String>, AppError> {
    super::require_confirmation(confirm)?;
    validate_key_id(key_id)?;
    let found = client
        .describe_key_pairs(
            region,
            &cvm::DescribeKeyPairsRequest {
                key_ids: Some(vec![key_id.to_owned()]),
                ..Default::default()
            },
        )
        .await?
        .key_pair_set
        .unwrap_or_default()
        .into_iter()
        .filter_map(view)
        .find(|k| k.id == key_id)
        .ok_or_else(|| {
            AppError::not_found("InvalidKeyPairId.NotFound", format!("no key pair {key_id}"))
                .with_field("keyId")
        })?;
    check_confirmation(confirm, &[key_id, found.name.as_str()])?;
    if !found.associated_instance_ids.is_empty() {
        return Err(conflict(
            AppCode::KeyPairInUse,
            Some("keyId"),
            format!(
                "{} ({key_id}) is used by {}; unbind it from those instances before deleting it",
                found.name,
                found.associated_instance_ids.join(", ")
            ),
        ));
    }
    client
        .delete_key_pairs(
            region,
            &cvm::DeleteKeyPairsRequest {
                key_ids: Some(vec![key_id.to_owned()]),
            },
        )
        .await
        .map(|r| r.request_id)
        .map_err(AppError::from)
}

/// Binds (`associate`) or unbinds a key pair on instances in one call (≤100 instances).
///
/// Tencent changes keys only on STOPPED instances; with `force_stop` running ones are
/// forced off, changed and started again (unsaved data may be lost). Windows instances
/// take no key pairs. Both rules are checked here first, from DescribeInstances, so the
/// refusal names the instance and nothing is changed.
pub async fn bind(
    client: &Client,
    region: &str,
    key_id: &str,
    instance_ids: &[String],
    force_stop: bool,
    associate: bool,
) -> Result<Option<String>, AppError> {
    validate_key_id(key_id)?;
    let ids = crate::console::instances::validate_ids(instance_ids)?;
    if ids.len() > 100 {
        return Err(invalid(
            "instanceIds",
            format!("at most 100 instances at once ({} selected)", ids.len()),
        ));
    }
    let found = crate::console::instances::describe_ids(client, region, &ids).await?;
    for id in &ids {
        let Some(i) = found
            .iter()
            .find(|i| i.instance_id.as_deref() == Some(id.as_str()))
        else {
            return Err(conflict(
                "InvalidInstanceId.NotFound",
                Some("instanceIds"),
                format!("no instance {id} in {region}"),
            ));
        };
        let os = i.os_name.as_deref().unwrap_or_default();
        if os.to_ascii_lowercase().contains("windows") {
            return Err(conflict(
                "UnsupportedOperation.KeyPairUnsupportedWindows",
                Some("instanceIds"),
                format!("{id} runs {os}: Windows instances take no SSH key pairs"),
            ));
        }
        let state = i.instance_state.as_deref().unwrap_or_default();
        match state {
            "STOPPED" => {}
            "RUNNING" if force_stop => {}
            "RUNNING" => {
                return Err(conflict(
                    "UnsupportedOperation.InstanceStateRunning",
                    Some("forceStop"),
                    format!("{id} is running: stop it first, or choose to force it off"),
                ));
            }
            other => {
                return Err(conflict(
                    AppCode::InstanceNotSteady,
                    Some("instanceIds"),
                    format!("{id} is {other}; key pairs change on stopped (or running) instances"),
                ));
            }
        }
    }
    let keys = Some(vec![key_id.to_owned()]);
    let force = Some(force_stop);
    let targets = ids.clone();
    let r = if associate {
        with_targets(
            targets,
            client.associate_instances_key_pairs(
                region,
                &resources::AssociateInstancesKeyPairsRequest {
                    instance_ids: Some(ids),
                    key_ids: keys,
                    force_stop: force,
                },
            ),
        )
        .await
        .map(|r| r.request_id)
    } else {
        with_targets(
            targets,
            client.disassociate_instances_key_pairs(
                region,
                &resources::DisassociateInstancesKeyPairsRequest {
                    instance_ids: Some(ids),
                    key_ids: keys,
                    force_stop: force,
                },
            ),
        )
        .await
        .map(|r| r.request_id)
    };
    r.map_err(AppError::from)
}

pub fn validate_key_id(key_id: &str) -> Result<(), AppError> {
    tencent_api::validate_id("keyId", "skey", key_id).map_err(|_| {
        invalid(
            "keyId",
            format!("{key_id:?} is not a key pair id (skey-xxxxxxxx)"),
        )
    })
}
