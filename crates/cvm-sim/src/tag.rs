//! The tag service (2018-08-13) for CVM instances: TagResources, UnTagResources and
//! ModifyResourceTags on six-segment resource names
//! (`qcs::cvm:<region>:uin/<account>:instance/<id>`). Keys and values follow the tag
//! service's rules (shared with the client in `tencent_api::models::tag`).

use crate::catalog::{self, Lang};
use crate::error::{ApiError, ApiResult};
use crate::msg::{self, Thing};
use crate::params::Params;
use crate::toolkit::Env;
use crate::world::Tag;
use serde_json::{Value, json};
use tencent_api::models::tag::{MAX_PER_CALL, TagProblem, validate_tag_key, validate_tag_value};

/// Tags one resource may carry (tag "Use Limits").
const MAX_TAGS_PER_RESOURCE: usize = 50;

const RULE_EN: &str =
    "may hold letters, digits, inner spaces and + - = . _ : / @ ( ) [ ] , ; > < 【 】 （ ） ：";
const RULE_ZH: &str =
    "只能包含字母、数字、中间的空格和 + - = . _ : / @ ( ) [ ] , ; > < 【 】 （ ） ：";

fn problem(p: TagProblem, what: &str) -> ApiError {
    let (en, zh) = match p {
        TagProblem::KeyEmpty | TagProblem::ValueEmpty => ("must not be empty", "不能为空"),
        TagProblem::KeyTooLong => ("must be at most 127 characters", "最多 127 个字符"),
        TagProblem::ValueTooLong => ("must be at most 255 characters", "最多 255 个字符"),
        TagProblem::KeyCharacters | TagProblem::ValueCharacters => (RULE_EN, RULE_ZH),
        TagProblem::KeyReserved => (
            "is reserved (qcs:, project and 项目 prefixes)",
            "以 qcs:、project 或 项目 开头的标签键为系统预留",
        ),
    };
    ApiError::new(p.code(), msg::tag_invalid(&p.field(), &what, &en, &zh))
}

/// `(region, account, instance id)` of a six-segment name.
fn parse_resource(resource: &str) -> ApiResult<(&'static catalog::RegionInfo, &str, &str)> {
    let bad = || {
        ApiError::new(
            "InvalidParameterValue.ResourceDescriptionError",
            msg::resource_not_six_segment(&resource),
        )
    };
    let parts: Vec<&str> = resource.split(':').collect();
    let [qcs, empty, service, region, account, what] = parts[..] else {
        return Err(bad());
    };
    if qcs != "qcs" || !empty.is_empty() {
        return Err(bad());
    }
    if service != "cvm" {
        return Err(ApiError::new(
            "InvalidParameterValue.ServiceTypeInvalid",
            msg::service_type_unsupported(&service),
        ));
    }
    let region = catalog::region(region).ok_or_else(|| {
        ApiError::new(
            "InvalidParameterValue.RegionInvalid",
            msg::region_invalid(&region),
        )
    })?;
    let account = account.strip_prefix("uin/").ok_or_else(bad)?;
    let id = what.strip_prefix("instance/").ok_or_else(|| {
        ApiError::new(
            "InvalidParameterValue.ResourcePrefixInvalid",
            msg::resource_prefix_unsupported(&resource),
        )
    })?;
    Ok((region, account, id))
}

fn resources(p: &Params, name: &str) -> ApiResult<Vec<String>> {
    let list = p.str_list_req(name)?;
    if list.len() > MAX_PER_CALL {
        return Err(ApiError::new(
            "LimitExceeded.ResourceNumPerRequest",
            msg::too_many_resources(&MAX_PER_CALL),
        ));
    }
    // Every name is checked before anything changes.
    for r in &list {
        parse_resource(r)?;
    }
    Ok(list)
}

fn check_key(key: &str) -> ApiResult<()> {
    validate_tag_key(key).map_err(|p| problem(p, key))
}

fn too_many_tags() -> ApiError {
    ApiError::new(
        "LimitExceeded.TagNumPerRequest",
        msg::too_many_tags(&MAX_PER_CALL),
    )
}

fn tag_list(p: &Params, name: &str, required: bool) -> ApiResult<Option<Vec<Tag>>> {
    let Some(list) = p.obj_list(name)? else {
        return if required {
            Err(ApiError::missing(name))
        } else {
            Ok(None)
        };
    };
    if list.len() > MAX_PER_CALL {
        return Err(too_many_tags());
    }
    let mut out: Vec<Tag> = Vec::new();
    for t in list {
        t.only(&["TagKey", "TagValue", "Category"])?;
        let key = t.str_req("TagKey")?;
        let value = t.str_req("TagValue")?;
        check_key(&key)?;
        validate_tag_value(&value).map_err(|p| problem(p, &value))?;
        if out.iter().any(|o| o.key == key) {
            return Err(ApiError::new(
                "InvalidParameterValue.TagKeyDuplicate",
                msg::tag_key_repeated(&key),
            ));
        }
        out.push(Tag { key, value });
    }
    Ok(Some(out))
}

/// Applies `change` to each resource's tags; a resource that is not there, or belongs to
/// another account, is reported with its error and the others still change.
fn each_resource(
    env: &mut Env,
    list: &[String],
    mut change: impl FnMut(&mut Vec<Tag>) -> Result<(), ApiError>,
) -> ApiResult<Vec<(String, ApiError)>> {
    let mut failed = Vec::new();
    let now = env.ctx.now;
    for resource in list {
        let (region, account, id) = parse_resource(resource)?;
        if account != env.ctx.account {
            failed.push((
                resource.clone(),
                ApiError::new(
                    "FailedOperation.ResourceAppIdNotSame",
                    msg::other_account_resource(),
                ),
            ));
            continue;
        }
        let r = env.acct.region(region, env.rng, now);
        let Some(inst) = r.get_mut(id) else {
            failed.push((
                resource.clone(),
                ApiError::new(
                    "ResourceNotFound.RecordNotFound",
                    msg::not_found(Thing::Instance, &id),
                ),
            ));
            continue;
        };
        let mut tags = inst.tags.clone();
        match change(&mut tags) {
            Ok(()) => inst.tags = tags,
            Err(e) => failed.push((resource.clone(), e)),
        }
    }
    Ok(failed)
}

/// `FailedResources` as the tag service answers it.
fn failed_json(failed: &[(String, ApiError)], lang: Lang) -> Value {
    json!(
        failed
            .iter()
            .map(|(r, e)| json!({"Resource": r, "Code": e.code, "Message": e.message_in(lang)}))
            .collect::<Vec<_>>()
    )
}

fn upsert(tags: &mut Vec<Tag>, set: &[Tag]) -> Result<(), ApiError> {
    for t in set {
        match tags.iter_mut().find(|x| x.key == t.key) {
            Some(x) => x.value = t.value.clone(),
            None => tags.push(t.clone()),
        }
    }
    if tags.len() > MAX_TAGS_PER_RESOURCE {
        return Err(ApiError::new(
            "LimitExceeded.ResourceAttachedTags",
            msg::too_many_attached(&MAX_TAGS_PER_RESOURCE),
        ));
    }
    Ok(())
}

pub fn tag_resources(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["ResourceList", "Tags"])?;
    let list = resources(p, "ResourceList")?;
    let set = tag_list(p, "Tags", true)?.unwrap_or_default();
    let failed = each_resource(env, &list, |tags| upsert(tags, &set))?;
    Ok(json!({ "FailedResources": failed_json(&failed, env.ctx.lang) }))
}

pub fn un_tag_resources(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["ResourceList", "TagKeys"])?;
    let list = resources(p, "ResourceList")?;
    let keys = p.str_list_req("TagKeys")?;
    if keys.len() > MAX_PER_CALL {
        return Err(too_many_tags());
    }
    for k in &keys {
        check_key(k)?;
    }
    let failed = each_resource(env, &list, |tags| {
        tags.retain(|t| !keys.contains(&t.key));
        Ok(())
    })?;
    Ok(json!({ "FailedResources": failed_json(&failed, env.ctx.lang) }))
}

pub fn modify_resource_tags(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["Resource", "ReplaceTags", "DeleteTags"])?;
    let resource = p.str_req("Resource")?;
    parse_resource(&resource)?;
    let replace = tag_list(p, "ReplaceTags", false)?;
    let delete: Option<Vec<String>> = match p.obj_list("DeleteTags")? {
        None => None,
        Some(list) => Some(
            list.into_iter()
                .map(|t| {
                    t.only(&["TagKey"])?;
                    let k = t.str_req("TagKey")?;
                    check_key(&k)?;
                    Ok(k)
                })
                .collect::<ApiResult<_>>()?,
        ),
    };
    let both_missing =
        replace.as_ref().is_none_or(Vec::is_empty) && delete.as_ref().is_none_or(Vec::is_empty);
    let overlap = match (&replace, &delete) {
        (Some(r), Some(d)) => r.iter().any(|t| d.contains(&t.key)),
        _ => false,
    };
    if both_missing || overlap || delete.as_ref().is_some_and(|d| d.len() > MAX_PER_CALL) {
        return Err(ApiError::new(
            "InvalidParameterValue.DeleteTagsParamError",
            msg::delete_tags_invalid(),
        ));
    }
    let mut failed = each_resource(env, std::slice::from_ref(&resource), |tags| {
        if let Some(d) = &delete {
            tags.retain(|t| !d.contains(&t.key));
        }
        upsert(tags, replace.as_deref().unwrap_or_default())
    })?;
    // One resource: its failure is the call's.
    match failed.pop() {
        Some((_, e)) => Err(e),
        None => Ok(json!({})),
    }
}
