//! Launch templates (CreateLaunchTemplate, DescribeLaunchTemplates,
//! DescribeLaunchTemplateVersions, DeleteLaunchTemplate) and RunInstances /
//! InquiryPriceRunInstances with a `LaunchTemplate`: the version's parameters, overridden by
//! the ones the request gives. Templates are regional, ids `lt-xxxxxxxx`, versions count
//! from 1; a template keeps at most 30 versions and a region at most 30 templates.
//! Passwords are never kept: a version's `LoginSettings.Password` is dropped on creation.

use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::msg::{self, Thing, Type};
use crate::params::{FilterDialect, Params};
use crate::toolkit::ids_or_filters;
use crate::toolkit::{Env, page, well_formed};
use crate::world::{LaunchTemplate, TemplateVersion};
use serde_json::{Map, Value, json};

pub const MAX_TEMPLATES: usize = 30;

fn check_id(id: &str) -> ApiResult<()> {
    if well_formed(id, "lt") {
        Ok(())
    } else {
        Err(ApiError::new(
            "InvalidParameterValue.LaunchTemplateIdMalformed",
            msg::malformed(Thing::LaunchTemplate, &id),
        ))
    }
}

fn not_found(id: &str) -> ApiError {
    ApiError::new(
        "InvalidParameterValue.LaunchTemplateIdNotExisted",
        msg::not_found(Thing::LaunchTemplate, &id),
    )
}

/// GET parameters arrive as strings: a version keeps the numbers and booleans typed, as a
/// POST would have given them, so DescribeLaunchTemplateVersions answers the same either way.
fn typed(v: Value) -> Value {
    const INTS: &[&str] = &[
        "DiskSize",
        "InstanceCount",
        "Period",
        "InternetMaxBandwidthOut",
        "ProjectId",
        "Ipv6AddressCount",
    ];
    const BOOLS: &[&str] = &[
        "DisableApiTermination",
        "PublicIpAssigned",
        "DeleteWithInstance",
        "Enabled",
        "AsVpcGateway",
        "Encrypt",
    ];
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| {
                    let v = match v {
                        Value::String(s) if INTS.contains(&k.as_str()) => s
                            .parse::<i64>()
                            .map(Value::from)
                            .unwrap_or(Value::String(s)),
                        Value::String(s) if BOOLS.contains(&k.as_str()) => {
                            match s.to_ascii_lowercase().as_str() {
                                "true" => Value::Bool(true),
                                "false" => Value::Bool(false),
                                _ => Value::String(s),
                            }
                        }
                        other => typed(other),
                    };
                    (k, v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(typed).collect()),
        other => other,
    }
}

pub fn create(env: &mut Env, p: &Params) -> ApiResult<Value> {
    let data_params = super::launch::template_params();
    let mut known = data_params.clone();
    known.extend([
        "LaunchTemplateName",
        "LaunchTemplateVersionDescription",
        "LaunchTemplateTagSpecification",
        "ClientToken",
        "DryRun",
        "Metadata",
    ]);
    p.only(&known)?;
    let name = p
        .str("LaunchTemplateName")?
        .ok_or_else(|| ApiError::missing("LaunchTemplateName"))?;
    let name_len = name.chars().count();
    if !(2..=128).contains(&name_len) || name.chars().any(char::is_control) {
        return Err(ApiError::new(
            "InvalidParameterValue.InvalidLaunchTemplateName",
            msg::template_name_length(),
        ));
    }
    let description = p
        .str("LaunchTemplateVersionDescription")?
        .unwrap_or_default();
    if description.chars().count() > 255 {
        return Err(ApiError::new(
            "InvalidParameterValue.InvalidLaunchTemplateVersionDescription",
            msg::template_description_length(),
        ));
    }
    // Checked as a launch would be (the answer itself is rendered on describe).
    super::launch::template_data(env, p)?;
    if p.bool("DryRun")?.unwrap_or(false) {
        return Err(ApiError::new("DryRunOperation", msg::dry_run()));
    }
    let now = env.ctx.now;
    let mut data = Map::new();
    if let Value::Object(all) = p.to_value() {
        for (k, v) in all {
            if data_params.contains(&k.as_str()) && !v.is_null() {
                data.insert(k, v);
            }
        }
    }
    let mut data = match typed(Value::Object(data)) {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    if let Some(Value::Object(login)) = data.get_mut("LoginSettings") {
        login.remove("Password");
    }
    let id = env.rng.id("lt");
    let r = env.region();
    if r.launch_templates.len() >= MAX_TEMPLATES {
        return Err(ApiError::new(
            "LimitExceeded.LaunchTemplateQuota",
            msg::template_quota(&MAX_TEMPLATES),
        ));
    }
    r.launch_templates.push(LaunchTemplate {
        id: id.clone(),
        name,
        created_ms: now,
        default_version: 1,
        versions: vec![TemplateVersion {
            number: 1,
            description,
            created_ms: now,
            data: Value::Object(data),
        }],
    });
    Ok(json!({"LaunchTemplateId": id}))
}

fn info_json(t: &LaunchTemplate, account: &str) -> Value {
    json!({
        "LaunchTemplateId": t.id,
        "LaunchTemplateName": t.name,
        "LatestVersionNumber": t.versions.iter().map(|v| v.number).max().unwrap_or(1),
        "DefaultVersionNumber": t.default_version,
        "LaunchTemplateVersionCount": t.versions.len(),
        "CreatedBy": account,
        "CreationTime": clock::iso(t.created_ms),
    })
}

pub fn describe(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["LaunchTemplateIds", "Filters", "Offset", "Limit"])?;
    let (ids, fs) = ids_or_filters(
        p,
        "LaunchTemplateIds",
        FilterDialect::Cvm,
        &["launch-template-name"],
        5,
        "InvalidParameter",
    )?;
    if let Some(ids) = &ids {
        for id in ids {
            check_id(id)?;
        }
    }
    let (offset, limit) = page(p, false)?;
    let account = env.ctx.account.to_owned();
    let r = env.region();
    let matched: Vec<&LaunchTemplate> = r
        .launch_templates
        .iter()
        .filter(|t| ids.as_ref().is_none_or(|ids| ids.contains(&t.id)))
        .filter(|t| {
            fs.iter().all(|f| {
                f.values
                    .iter()
                    .any(|v| t.name.to_lowercase().contains(&v.to_lowercase()))
            })
        })
        .collect();
    let set: Vec<Value> = matched
        .iter()
        .skip(offset)
        .take(limit)
        .map(|t| info_json(t, &account))
        .collect();
    Ok(json!({"TotalCount": matched.len(), "LaunchTemplateSet": set}))
}

pub fn describe_versions(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&[
        "LaunchTemplateId",
        "LaunchTemplateVersions",
        "MinVersion",
        "MaxVersion",
        "Offset",
        "Limit",
        "DefaultVersion",
    ])?;
    let id = p.str_req("LaunchTemplateId")?;
    check_id(&id)?;
    let wanted: Option<Vec<i64>> = match p.to_value().get("LaunchTemplateVersions") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .map(|v| {
                    v.as_i64()
                        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
                        .ok_or_else(|| {
                            ApiError::invalid_type("LaunchTemplateVersions", Type::Integers)
                        })
                })
                .collect::<ApiResult<_>>()?,
        ),
        Some(_) => {
            return Err(ApiError::invalid_type(
                "LaunchTemplateVersions",
                Type::Integers,
            ));
        }
    };
    let min = p.int("MinVersion")?;
    let max = p.int("MaxVersion")?;
    let default_only = p.bool("DefaultVersion")?.unwrap_or(false);
    let (offset, limit) = page(p, false)?;
    let account = env.ctx.account.to_owned();
    let r = env.region();
    // A copy: rendering a version needs the region again.
    let t = r
        .launch_templates
        .iter()
        .find(|t| t.id == id)
        .cloned()
        .ok_or_else(|| not_found(&id))?;
    if let Some(w) = &wanted
        && let Some(missing) = w
            .iter()
            .find(|n| !t.versions.iter().any(|v| v.number == **n))
    {
        return Err(ApiError::new(
            "InvalidParameterValue.LaunchTemplateIdVerNotExisted",
            msg::template_no_version(&id, &missing),
        ));
    }
    let matched: Vec<&TemplateVersion> = t
        .versions
        .iter()
        .filter(|v| wanted.as_ref().is_none_or(|w| w.contains(&v.number)))
        .filter(|v| min.is_none_or(|m| v.number >= m) && max.is_none_or(|m| v.number <= m))
        .filter(|v| !default_only || v.number == t.default_version)
        .collect();
    let set: Vec<Value> = matched
        .iter()
        .skip(offset)
        .take(limit)
        .map(|v| (v, rendered(env, &v.data)))
        .map(|(v, data)| {
            json!({
                "LaunchTemplateId": t.id,
                "LaunchTemplateVersion": v.number,
                "LaunchTemplateVersionData": data,
                "CreationTime": clock::iso(v.created_ms),
                "IsDefaultVersion": v.number == t.default_version,
                "LaunchTemplateVersionDescription": v.description,
                "CreatedBy": account,
            })
        })
        .collect();
    Ok(json!({"TotalCount": matched.len(), "LaunchTemplateVersionSet": set}))
}

/// A version's parameters as launched: defaults filled in. A version that no longer
/// checks (its key pair or security group was deleted since) answers as stored.
fn rendered(env: &mut Env, data: &Value) -> Value {
    Params::from_json(data.clone())
        .and_then(|p| super::launch::template_data(env, &p))
        .unwrap_or_else(|_| data.clone())
}

pub fn delete(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["LaunchTemplateId"])?;
    let id = p.str_req("LaunchTemplateId")?;
    check_id(&id)?;
    let r = env.region();
    let before = r.launch_templates.len();
    r.launch_templates.retain(|t| t.id != id);
    if r.launch_templates.len() == before {
        return Err(not_found(&id));
    }
    Ok(json!({}))
}

/// RunInstances: a `LaunchTemplate` is expanded here, then launch parses the result (it
/// knows nothing of templates; templates reuse its parser for a version's data).
pub fn run_instances(env: &mut Env, p: &Params) -> ApiResult<Value> {
    let expanded = expand(env, p)?;
    super::launch::run(env, expanded.as_ref().unwrap_or(p))
}

/// InquiryPriceRunInstances, with a `LaunchTemplate` expanded the same way.
pub fn inquiry_price_run_instances(env: &mut Env, p: &Params) -> ApiResult<Value> {
    let expanded = expand(env, p)?;
    super::launch::inquiry_price(env, expanded.as_ref().unwrap_or(p))
}

/// RunInstances / InquiryPriceRunInstances with `LaunchTemplate`: the version's parameters
/// with the request's own on top (a request value replaces the template's whole value).
/// None when the request names no template.
fn expand(env: &mut Env, p: &Params) -> ApiResult<Option<Params>> {
    let Some(lt) = p.obj("LaunchTemplate")? else {
        return Ok(None);
    };
    lt.only(&["LaunchTemplateId", "LaunchTemplateVersion"])?;
    let id = lt.str_req("LaunchTemplateId")?;
    check_id(&id)?;
    let version = lt.int("LaunchTemplateVersion")?;
    let r = env.region();
    let t = r
        .launch_templates
        .iter()
        .find(|t| t.id == id)
        .ok_or_else(|| {
            ApiError::new(
                "InvalidParameterValue.LaunchTemplateNotFound",
                msg::not_found(Thing::LaunchTemplate, &id),
            )
        })?;
    let number = version.unwrap_or(t.default_version);
    let v = t
        .versions
        .iter()
        .find(|v| v.number == number)
        .ok_or_else(|| {
            ApiError::new(
                "InvalidParameterValue.LaunchTemplateVersion",
                msg::template_no_version(&id, &number),
            )
        })?;
    let mut map = match &v.data {
        Value::Object(m) => m.clone(),
        _ => Map::new(),
    };
    if let Value::Object(given) = p.to_value() {
        for (k, val) in given {
            if k != "LaunchTemplate" && !val.is_null() {
                map.insert(k, val);
            }
        }
    }
    Ok(Some(p.replaced(map)))
}
