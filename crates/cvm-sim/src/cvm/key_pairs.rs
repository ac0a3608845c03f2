//! DescribeKeyPairs, CreateKeyPair, ImportKeyPair and DeleteKeyPairs (key pairs belong to
//! the account, not a region).

use super::{base64_ok, fuzzy};
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::msg::{self, Thing};
use crate::params::{FilterDialect, Params};
use crate::toolkit::ids_or_filters;
use crate::toolkit::{Env, page, parse_tags, tag_filter, tags_json, well_formed};
use crate::toolkit::{IdCodes, position_of};
use crate::world::KeyPair;
use serde_json::{Value, json};

/// One `KeyPair`; `PrivateKey` only in CreateKeyPair's answer (Tencent keeps no private key,
/// so DescribeKeyPairs leaves the field out).
pub fn key_pair_json(k: &KeyPair, associated: Vec<String>, private_key: Option<&str>) -> Value {
    let mut v = json!({"KeyId": k.id, "KeyName": k.name, "ProjectId": k.project_id, "Description": k.description,
           "PublicKey": k.public_key, "AssociatedInstanceIds": associated,
           "CreatedTime": clock::iso(k.created_ms), "Tags": tags_json(&k.tags)});
    if let Some(private_key) = private_key {
        v["PrivateKey"] = json!(private_key);
    }
    v
}

/// The position of key pair `id` (a malformed id is `InvalidKeyPairId.Malformed`, an unknown
/// one `not_found`, which differs by action).
pub fn key_pair_index(keys: &[KeyPair], id: &str, not_found: &'static str) -> ApiResult<usize> {
    let codes = IdCodes {
        malformed: "InvalidKeyPairId.Malformed",
        not_found,
    };
    position_of(keys, id, "skey", Thing::KeyPair, codes, |k| &k.id)
}

/// Instances (in every region of the account) that use a key.
pub fn key_users(env: &Env, key_id: &str) -> Vec<String> {
    env.acct
        .regions
        .values()
        .flat_map(|r| r.instances.values())
        .filter(|i| i.key_ids.iter().any(|k| k == key_id))
        .map(|i| i.id.clone())
        .collect()
}

pub fn describe_key_pairs(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["KeyIds", "Filters", "Offset", "Limit"])?;
    let known = [
        "project-id",
        "key-name",
        "key-id",
        "tag-key",
        "tag-value",
        "tag:",
    ];
    let (ids, fs) = ids_or_filters(
        p,
        "KeyIds",
        FilterDialect::Cvm,
        &known,
        5,
        "InvalidParameter",
    )?;
    let (offset, limit) = page(p, false)?;
    if let Some(ids) = &ids {
        if ids.len() > 100 {
            return Err(ApiError::new(
                "InvalidKeyPair.LimitExceeded",
                msg::key_ids_per_request(),
            ));
        }
        if let Some(bad) = ids.iter().find(|i| !well_formed(i, "skey")) {
            return Err(ApiError::new(
                "InvalidKeyPairId.Malformed",
                msg::malformed(Thing::KeyPair, &bad),
            ));
        }
    }
    let matched: Vec<KeyPair> = env
        .acct
        .key_pairs
        .iter()
        .filter(|k| ids.as_ref().is_none_or(|ids| ids.contains(&k.id)))
        .filter(|k| {
            fs.iter().all(|f| match f.name.as_str() {
                "project-id" => f
                    .values
                    .iter()
                    .any(|v| v.parse::<i64>().ok() == Some(k.project_id)),
                "key-name" => fuzzy(&k.name, &f.values),
                "key-id" => f.values.contains(&k.id),
                other => tag_filter(other, &f.values, &k.tags).unwrap_or(false),
            })
        })
        .cloned()
        .collect();
    let set: Vec<Value> = matched
        .iter()
        .skip(offset)
        .take(limit)
        .map(|k| key_pair_json(k, key_users(env, &k.id), None))
        .collect();
    Ok(json!({"TotalCount": matched.len(), "KeyPairSet": set}))
}

/// A fresh 2048-bit RSA key pair as Tencent's CreateKeyPair gives it: (OpenSSH public
/// key with `comment`, PKCS#1 PEM private key). Real keys, so that the Sandbox's SSH
/// endpoint can check them.
pub fn new_ssh_key(comment: &str) -> (String, String) {
    use rsa::pkcs1::{EncodeRsaPrivateKey, LineEnding};
    use russh::keys::ssh_key::private::RsaKeypair;
    use russh::keys::ssh_key::{PublicKey, public::KeyData};
    let Ok(key) = rsa::RsaPrivateKey::new(&mut rand_010::rng(), 2048) else {
        return (String::new(), String::new());
    };
    let private = key
        .to_pkcs1_pem(LineEnding::LF)
        .map(|p| p.to_string())
        .unwrap_or_default();
    let public = RsaKeypair::try_from(&key)
        .ok()
        .and_then(|kp| {
            PublicKey::new(KeyData::Rsa(kp.public().clone()), comment)
                .to_openssh()
                .ok()
        })
        .unwrap_or_default();
    (public, private)
}

pub fn import_key_pair(env: &mut Env, p: &Params) -> ApiResult<Value> {
    let public_key = p.str_req("PublicKey")?;
    create(env, p, Some(public_key))
}

pub fn create_key_pair(env: &mut Env, p: &Params) -> ApiResult<Value> {
    create(env, p, None)
}

fn create(env: &mut Env, p: &Params, public_key: Option<String>) -> ApiResult<Value> {
    let importing = public_key.is_some();
    if importing {
        p.only(&["KeyName", "ProjectId", "PublicKey", "TagSpecification"])?;
    } else {
        p.only(&["KeyName", "ProjectId", "TagSpecification"])?;
    }
    let name = p
        .str("KeyName")?
        .ok_or_else(|| ApiError::missing("KeyName"))?;
    let project = p
        .int("ProjectId")?
        .ok_or_else(|| ApiError::missing("ProjectId"))?;
    if name.is_empty() {
        return Err(ApiError::new(
            "InvalidKeyPairNameEmpty",
            msg::key_name_empty(),
        ));
    }
    if name.chars().count() > 25 {
        return Err(ApiError::new(
            "InvalidKeyPairNameTooLong",
            msg::too_long(&"KeyName", &25),
        ));
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(ApiError::new(
            "InvalidKeyPairNameIncludeIllegalChar",
            msg::key_name_chars(),
        ));
    }
    if project != 0 {
        return Err(ApiError::new(
            "InvalidProjectId.NotFound",
            msg::not_found(Thing::Project, &project),
        ));
    }
    let mut tags = Vec::new();
    for spec in p.obj_list("TagSpecification")?.unwrap_or_default() {
        spec.only(&["ResourceType", "Tags"])?;
        spec.str_req("ResourceType")?;
        tags = parse_tags(spec.obj_list("Tags")?)?;
    }
    if let Some(k) = &public_key {
        let parts: Vec<&str> = k.split_whitespace().collect();
        let ok = parts.len() >= 2
            && ["ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp256"].contains(&parts[0])
            && parts[1].len() >= 16
            && base64_ok(parts[1]);
        if !ok {
            return Err(ApiError::new(
                "InvalidPublicKey.Malformed",
                msg::public_key_malformed(),
            ));
        }
        if env
            .acct
            .key_pairs
            .iter()
            .any(|x| x.public_key.split_whitespace().nth(1) == Some(parts[1]))
        {
            return Err(ApiError::new(
                "InvalidPublicKey.Duplicate",
                msg::public_key_duplicate(),
            ));
        }
    }
    if env.acct.key_pairs.iter().any(|k| k.name == name) {
        return Err(ApiError::new(
            "InvalidKeyPairName.Duplicate",
            msg::key_name_taken(&name),
        ));
    }
    if env.acct.key_pairs.len() >= env.ctx.quotas.key_pairs {
        return Err(ApiError::new(
            "InvalidKeyPair.LimitExceeded",
            msg::key_pair_quota(),
        ));
    }
    let now = env.ctx.now;
    let id = env.rng.id("skey");
    let (public, private) = match public_key {
        Some(k) => (k, None),
        None => {
            let (public, private) = new_ssh_key(&id);
            (public, Some(private))
        }
    };
    let key = KeyPair {
        id: id.clone(),
        name,
        project_id: project,
        description: String::new(),
        public_key: public,
        created_ms: now,
        tags,
    };
    let out = if importing {
        json!({"KeyId": id})
    } else {
        json!({"KeyPair": key_pair_json(&key, Vec::new(), private.as_deref())})
    };
    env.acct.key_pairs.push(key);
    Ok(out)
}

pub fn delete_key_pairs(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["KeyIds"])?;
    let ids = p.str_list_req("KeyIds")?;
    if ids.len() > 100 {
        return Err(ApiError::new(
            "InvalidKeyPair.LimitExceeded",
            msg::key_ids_per_request(),
        ));
    }
    for id in &ids {
        key_pair_index(&env.acct.key_pairs, id, "InvalidKeyPairId.NotFound")?;
        if !key_users(env, id).is_empty() {
            return Err(ApiError::new(
                "InvalidParameterValue.KeyPairNotSupported",
                msg::key_pair_in_use(&id),
            ));
        }
    }
    env.acct.key_pairs.retain(|k| !ids.contains(&k.id));
    Ok(json!({}))
}
