//! Instance tags through the tag service (TagResources / UnTagResources, 2018-08-13):
//! set or change tags on instances, remove keys from them. Keys and values are checked by
//! Tencent's rules before anything is sent (the field names the tag at fault); removing
//! tags needs the dialog's confirmation of the instances, checked here.

use crate::consent::Consent;
use crate::console::instances as core;
use crate::error::AppError;
use crate::profiles::invalid;
use crate::state::AppState;
/// One tag to set (a new key, or a new value for an existing key): the wizard's shape.
pub use crate::types::TagInput;
use serde::Serialize;
use tencent_api::models::tag::{
    self as api, MAX_PER_CALL, TagResourcesRequest, UnTagResourcesRequest, cvm_instance_resource,
    validate_tag,
};

/// One instance the tag service could not change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TagFailure {
    pub instance_id: String,
    pub code: String,
    pub message: String,
}

/// The outcome per instance: changed, or why not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TagReport {
    pub changed: Vec<String>,
    pub failed: Vec<TagFailure>,
}

/// The tags to set, checked: 1-10 of them, each key and value by Tencent's rules, no key
/// twice. The error's field is `tags.<i>.key` or `tags.<i>.value`.
pub fn validate_tags(tags: &[TagInput]) -> Result<(), AppError> {
    if tags.is_empty() {
        return Err(invalid("tags", "give at least one tag"));
    }
    if tags.len() > MAX_PER_CALL {
        return Err(invalid(
            "tags",
            format!("at most {MAX_PER_CALL} tags at once"),
        ));
    }
    for (i, t) in tags.iter().enumerate() {
        validate_tag(&t.key, Some(&t.value)).map_err(|e| {
            let part = if e.field() == Some("TagValue") {
                "value"
            } else {
                "key"
            };
            invalid(&format!("tags.{i}.{part}"), e.to_string())
        })?;
        if tags[..i].iter().any(|o| o.key == t.key) {
            return Err(invalid(
                &format!("tags.{i}.key"),
                format!("the key {:?} is given twice", t.key),
            ));
        }
    }
    Ok(())
}

/// The keys to remove, checked like tag keys.
pub fn validate_keys(keys: &[String]) -> Result<(), AppError> {
    if keys.is_empty() {
        return Err(invalid("keys", "give at least one tag key"));
    }
    if keys.len() > MAX_PER_CALL {
        return Err(invalid(
            "keys",
            format!("at most {MAX_PER_CALL} keys at once"),
        ));
    }
    for (i, k) in keys.iter().enumerate() {
        validate_tag(k, None).map_err(|e| invalid(&format!("keys.{i}"), e.to_string()))?;
    }
    Ok(())
}

/// The instances' six-segment names, ten per call as the tag service takes them, in the
/// profile's account (its UIN from GetCallerIdentity).
async fn batches(
    state: &AppState,
    profile_id: &str,
    region: &str,
    ids: &[String],
) -> Result<(tencent_api::Client, Vec<Vec<(String, String)>>), AppError> {
    core::validate_region(region)?;
    let ids = core::validate_ids(ids)?;
    let profile = state.writable_profile(profile_id)?;
    let account = state.identity(&profile).await?.account_id;
    let client = state.client(&profile).await?;
    let named: Vec<(String, String)> = ids
        .iter()
        .map(|id| (id.clone(), cvm_instance_resource(region, &account, id)))
        .collect();
    Ok((
        client,
        named.chunks(MAX_PER_CALL).map(<[_]>::to_vec).collect(),
    ))
}

fn report_into(
    report: &mut TagReport,
    batch: &[(String, String)],
    result: Result<Vec<api::FailedResource>, tencent_api::Error>,
) {
    match result {
        Ok(failed) => {
            for (id, resource) in batch {
                match failed.iter().find(|f| &f.resource == resource) {
                    Some(f) => report.failed.push(TagFailure {
                        instance_id: id.clone(),
                        code: f.code.clone(),
                        message: f.message.clone(),
                    }),
                    None => report.changed.push(id.clone()),
                }
            }
        }
        Err(e) => {
            let e = AppError::from(&e);
            for (id, _) in batch {
                report.failed.push(TagFailure {
                    instance_id: id.clone(),
                    code: e.code.clone(),
                    message: e.message.clone(),
                });
            }
        }
    }
}

/// One call per batch (given the batch's resource names), one after another, and what each
/// instance got.
async fn per_batch<F, Fut>(batches: Vec<Vec<(String, String)>>, mut send: F) -> TagReport
where
    F: FnMut(Vec<String>) -> Fut,
    Fut: Future<Output = Result<Vec<api::FailedResource>, tencent_api::Error>>,
{
    let mut report = TagReport {
        changed: Vec::new(),
        failed: Vec::new(),
    };
    for batch in batches {
        let r = send(batch.iter().map(|(_, r)| r.clone()).collect()).await;
        report_into(&mut report, &batch, r);
    }
    report
}

/// Sets `tags` on the instances (a key they have already gets the new value).
pub async fn set_tags(
    state: &AppState,
    profile_id: &str,
    region: &str,
    instance_ids: &[String],
    tags: &[TagInput],
) -> Result<TagReport, AppError> {
    validate_tags(tags)?;
    let (client, batches) = batches(state, profile_id, region, instance_ids).await?;
    let tags: Vec<api::Tag> = tags
        .iter()
        .map(|t| api::Tag {
            tag_key: t.key.clone(),
            tag_value: t.value.clone(),
        })
        .collect();
    Ok(per_batch(batches, |resource_list| {
        let req = TagResourcesRequest {
            resource_list,
            tags: tags.clone(),
        };
        let client = &client;
        async move {
            client
                .tag_resources(region, &req)
                .await
                .map(|r| r.failed_resources)
        }
    })
    .await)
}

/// Removes the tag `keys` from the instances, once the dialog's confirmation names every
/// one of them.
pub async fn remove_tags(
    state: &AppState,
    profile_id: &str,
    region: &str,
    instance_ids: &[String],
    keys: &[String],
    consent: &Consent,
) -> Result<TagReport, AppError> {
    validate_keys(keys)?;
    consent.check_covers(instance_ids)?;
    let (client, batches) = batches(state, profile_id, region, instance_ids).await?;
    Ok(per_batch(batches, |resource_list| {
        let req = UnTagResourcesRequest {
            resource_list,
            tag_keys: keys.to_vec(),
        };
        let client = &client;
        async move {
            client
                .un_tag_resources(region, &req)
                .await
                .map(|r| r.failed_resources)
        }
    })
    .await)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::activity::ActivityFilter;
    use crate::profiles::SANDBOX_ID;
    use crate::secrets::Vault;
    use std::sync::Arc;
    use tencent_api::models::cvm;

    fn state_in(dir: &std::path::Path) -> AppState {
        let store: Arc<keyring_core::CredentialStore> = keyring_core::mock::Store::new().unwrap();
        AppState::new(
            dir.join("config"),
            dir.join("data"),
            Vault::with_store(store, "tags-test"),
        )
        .unwrap()
    }

    fn sent(state: &AppState, action: &str) -> usize {
        state
            .activity
            .query(&ActivityFilter::default())
            .iter()
            .filter(|e| e.action == action)
            .count()
    }

    async fn tagged(client: &tencent_api::Client, key: &str, value: &str) -> Vec<String> {
        let req = cvm::DescribeInstancesRequest {
            filters: Some(vec![cvm::Filter {
                name: Some(format!("tag:{key}")),
                values: Some(vec![value.into()]),
            }]),
            ..Default::default()
        };
        client
            .describe_instances("ap-guangzhou", &req)
            .await
            .unwrap()
            .instance_set
            .unwrap_or_default()
            .into_iter()
            .filter_map(|i| i.instance_id)
            .collect()
    }

    /// Tags set on a role account's instance, found by the `tag:` filter, then removed
    /// with the dialog's confirmation.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn tags_are_set_and_removed_through_the_tag_service() {
        let dir = tempfile::tempdir().unwrap();
        let state = state_in(dir.path());
        let p = state
            .profile(&format!("{SANDBOX_ID}-fleet-operator"))
            .unwrap();
        let client = state.client(&p).await.unwrap();
        let first = client
            .describe_instances("ap-guangzhou", &Default::default())
            .await
            .unwrap()
            .instance_set
            .unwrap()[0]
            .instance_id
            .clone()
            .unwrap();
        let ids = vec![first.clone(), "ins-zzzzzzzz".into()];
        let tags = [TagInput {
            key: "team".into(),
            value: "运维".into(),
        }];
        let r = set_tags(&state, &p.id, "ap-guangzhou", &ids, &tags)
            .await
            .unwrap();
        assert_eq!(r.changed, vec![first.clone()]);
        assert_eq!(r.failed.len(), 1);
        assert_eq!(r.failed[0].instance_id, "ins-zzzzzzzz");
        assert_eq!(tagged(&client, "team", "运维").await, vec![first.clone()]);

        let keys = vec!["team".to_owned()];
        let unconfirmed = Consent {
            instance_ids: vec![],
            typed: None,
            stop_type: None,
            stopped_mode: None,
        };
        let e = remove_tags(
            &state,
            &p.id,
            "ap-guangzhou",
            &ids[..1],
            &keys,
            &unconfirmed,
        )
        .await
        .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("consent"));
        assert_eq!(tagged(&client, "team", "运维").await, vec![first.clone()]);
        let confirmed = Consent {
            instance_ids: vec![first.clone()],
            ..unconfirmed
        };
        let r = remove_tags(&state, &p.id, "ap-guangzhou", &ids[..1], &keys, &confirmed)
            .await
            .unwrap();
        assert_eq!(r.changed, vec![first]);
        assert!(tagged(&client, "team", "运维").await.is_empty());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn bad_tags_name_their_field_and_nothing_is_sent() {
        let dir = tempfile::tempdir().unwrap();
        let state = state_in(dir.path());
        let ids = vec!["ins-abcdefgh".to_owned()];
        let t = |k: &str, v: &str| TagInput {
            key: k.into(),
            value: v.into(),
        };
        let cases = [
            (vec![t(&"k".repeat(128), "v")], "tags.0.key"),
            (vec![t("ok", "v"), t("a*b", "v")], "tags.1.key"),
            (vec![t("qcs:owner", "v")], "tags.0.key"),
            (vec![t(" lead", "v")], "tags.0.key"),
            (vec![t("k", &"v".repeat(256))], "tags.0.value"),
            (vec![t("k", "")], "tags.0.value"),
            (vec![t("k", "1"), t("k", "2")], "tags.1.key"),
            (vec![], "tags"),
        ];
        for (tags, field) in cases {
            let e = set_tags(&state, SANDBOX_ID, "ap-guangzhou", &ids, &tags)
                .await
                .unwrap_err();
            assert_eq!(e.field.as_deref(), Some(field), "{e:?}");
        }
        let e = set_tags(
            &state,
            SANDBOX_ID,
            "ap-guangzhou",
            &["i-bad".into()],
            &[t("k", "v")],
        )
        .await
        .unwrap_err();
        assert!(e.field.is_some(), "{e:?}");
        assert_eq!(sent(&state, "TagResources"), 0);
        // A read-only profile changes nothing.
        state
            .update_profiles(|f| {
                f.get_mut(SANDBOX_ID).unwrap().read_only = true;
                Ok(())
            })
            .unwrap();
        let e = set_tags(&state, SANDBOX_ID, "ap-guangzhou", &ids, &[t("k", "v")])
            .await
            .unwrap_err();
        assert_eq!(e.code, AppError::read_only().code);
        assert_eq!(sent(&state, "TagResources"), 0);
    }
}
