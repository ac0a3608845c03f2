//! Images: public (the catalog), private (made from the account's instances with
//! CreateImage) and shared with the account (a fixed set, as if another account had shared
//! them). DescribeImages, CreateImage, DeleteImages.
//!
//! A private image is CREATING until its `ready_ms` and NORMAL afterwards (computed when
//! read, so nothing needs scheduling).

use super::{fuzzy, require_state};
use crate::catalog::{self, Lang};
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::msg::{self, Thing};
use crate::params::{FilterDialect, Params};
use crate::toolkit::ids_or_filters;
use crate::toolkit::{Env, page, parse_tags, tag_filter, tags_json, well_formed};
use crate::world::{CustomImage, State, Tag};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// How long making an image takes at time scale 1 (a 50 GiB system disk takes minutes).
const CREATE_MS: i64 = 60_000;
const STOPPING_MS: i64 = 15_000;

/// The account that shared the shared images (another Tencent account's uin).
const SHARER: &str = "100023456789";

/// Images another account shared with this one (the same in every region).
static SHARED: &[(&str, &str, &str, &str, i64)] = &[
    (
        "img-shr4ngnx",
        "nginx-base-2026",
        "TencentOS Server 3.3 (TK4)",
        "TencentOS",
        20,
    ),
    (
        "img-shr7bld1",
        "ci-runner-ubuntu",
        "Ubuntu Server 22.04 LTS 64bit",
        "Ubuntu",
        50,
    ),
];

/// Where an image of any kind comes from, for the rules that differ by kind.
pub enum Found<'a> {
    Public,
    Shared,
    Private(&'a CustomImage),
}

/// Looks an image id up among public, shared and the region's private images.
pub fn find<'a>(env: &'a mut Env, id: &str) -> Option<Found<'a>> {
    if catalog::image(id).is_some() {
        return Some(Found::Public);
    }
    if SHARED.iter().any(|s| s.0 == id) {
        return Some(Found::Shared);
    }
    env.region()
        .images
        .iter()
        .find(|i| i.id == id)
        .map(Found::Private)
}

/// The image RunInstances starts from. Public images come from the catalog; a shared or
/// private (NORMAL) one is turned into a catalog-shaped `Image` once and kept for the
/// process, because launch parameters borrow a `'static` image (a few hundred at most).
pub fn launch_image(env: &mut Env, id: &str) -> ApiResult<&'static catalog::Image> {
    if let Some(i) = catalog::image(id) {
        return Ok(i);
    }
    let now = env.ctx.now;
    let leak = |s: &str| -> &'static str { Box::leak(s.to_owned().into_boxed_str()) };
    let made = |id: &str,
                name: &str,
                os: &str,
                platform: &str,
                arch: &str,
                size: i64,
                windows: bool,
                user: &str| catalog::Image {
        id: leak(id),
        name: leak(name),
        os_name: leak(os),
        platform: leak(platform),
        arch: if arch == "arm" {
            catalog::Arch::Arm
        } else {
            catalog::Arch::X86
        },
        size,
        windows,
        login_user: leak(user),
        created: "",
    };
    static MADE: OnceLock<Mutex<HashMap<String, &'static catalog::Image>>> = OnceLock::new();
    let cache = MADE.get_or_init(Default::default);
    if let Some(i) = cache.lock().map_err(|_| ApiError::internal())?.get(id) {
        // Still the account's to use: a deleted private image is gone for launches too.
        if SHARED.iter().any(|s| s.0 == id) || env.region().images.iter().any(|x| x.id == id) {
            return Ok(i);
        }
    }
    let image = if let Some(s) = SHARED.iter().find(|s| s.0 == id) {
        let user = if s.3 == "Ubuntu" { "ubuntu" } else { "root" };
        made(s.0, s.1, s.2, s.3, "x86_64", s.4, false, user)
    } else if let Some(i) = env.region().images.iter().find(|i| i.id == id) {
        if i.state(now) != "NORMAL" {
            return Err(ApiError::new(
                "InvalidParameterValue.InvalidImageState",
                msg::image_not_ready(&id, &(i.state(now))),
            ));
        }
        made(
            &i.id,
            &i.name,
            &i.os_name,
            &i.platform,
            &i.architecture,
            i.size,
            i.windows,
            &i.login_user,
        )
    } else {
        return Err(ApiError::new(
            "InvalidImageId.NotFound",
            msg::not_found(Thing::Image, &id),
        ));
    };
    let image: &'static catalog::Image = Box::leak(Box::new(image));
    cache
        .lock()
        .map_err(|_| ApiError::internal())?
        .insert(id.to_owned(), image);
    Ok(image)
}

fn public_json(i: &catalog::Image, lang: Lang) -> Value {
    json!({
        "ImageId": i.id, "OsName": i.os_name, "ImageType": "PUBLIC_IMAGE", "CreatedTime": i.created,
        "ImageName": i.name, "ImageDescription": lang.pick(&format!("{} 公共镜像", i.os_name), &format!("{} public image", i.os_name)),
        "ImageSize": i.size, "Architecture": i.arch.as_str(), "ImageState": "NORMAL", "Platform": i.platform,
        "ImageCreator": "tencent", "ImageSource": "OFFICIAL", "SyncPercent": null, "IsSupportCloudinit": !i.windows,
        "SnapshotSet": [], "Tags": [], "LicenseType": "TencentCloud", "ImageFamily": "", "ImageDeprecated": false
    })
}

fn shared_json(s: &(&str, &str, &str, &str, i64), lang: Lang) -> Value {
    let (id, name, os, platform, size) = *s;
    json!({
        "ImageId": id, "OsName": os, "ImageType": "SHARED_IMAGE", "CreatedTime": "2026-01-15T03:20:00Z",
        "ImageName": name, "ImageDescription": lang.pick("共享给你的镜像", "Shared with you"),
        "ImageSize": size, "Architecture": "x86_64", "ImageState": "NORMAL", "Platform": platform,
        "ImageCreator": SHARER, "ImageSource": "CREATE_IMAGE", "SyncPercent": null, "IsSupportCloudinit": true,
        "SnapshotSet": [], "Tags": [], "LicenseType": "TencentCloud", "ImageFamily": "", "ImageDeprecated": false
    })
}

fn private_json(i: &CustomImage, account: &str, now: i64) -> Value {
    let state = i.state(now);
    let snaps: Vec<Value> = i
        .snapshots
        .iter()
        .map(|(id, usage, size)| json!({"SnapshotId": id, "DiskUsage": usage, "DiskSize": size}))
        .collect();
    json!({
        "ImageId": i.id, "OsName": i.os_name, "ImageType": "PRIVATE_IMAGE", "CreatedTime": clock::iso(i.created_ms),
        "ImageName": i.name, "ImageDescription": i.description, "ImageSize": i.size, "Architecture": i.architecture,
        "ImageState": state, "Platform": i.platform, "ImageCreator": account, "ImageSource": "CREATE_IMAGE",
        "SyncPercent": if state == "NORMAL" { json!(100) } else { json!(null) }, "IsSupportCloudinit": !i.windows,
        "SnapshotSet": snaps, "Tags": tags_json(&i.tags), "LicenseType": "TencentCloud", "ImageFamily": "",
        "ImageDeprecated": false
    })
}

const IMAGE_FILTERS: &[&str] = &[
    "image-id",
    "image-type",
    "image-name",
    "platform",
    "tag-key",
    "tag-value",
    "tag:",
    "instance-type",
    "dedicated-cluster-id",
    "cdc-cache-status",
];

/// Values of DescribeImages' `cdc-cache-status` filter.
const CDC_CACHE_STATES: &[&str] = &[
    "CACHED_ALL",
    "CACHING",
    "CACHED",
    "CACHE_INVALID",
    "CACHE_FAILED",
];

/// One image of any kind, with what the filters look at.
struct Listed {
    id: String,
    kind: &'static str,
    name: String,
    platform: String,
    arch: String,
    tags: Vec<Tag>,
    json: Value,
}

pub fn describe_images(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["ImageIds", "Filters", "Offset", "Limit", "InstanceType"])?;
    let (ids, fs) = ids_or_filters(
        p,
        "ImageIds",
        FilterDialect::Cvm,
        IMAGE_FILTERS,
        5,
        "InvalidParameter.InvalidParameterCoexistImageIdsFilters",
    )?;
    let (offset, limit) = page(p, false)?;
    let arch = match p.str("InstanceType")? {
        None => None,
        Some(t) => {
            if !t.contains('.') {
                return Err(ApiError::new(
                    "InvalidInstanceType.Malformed",
                    msg::instance_type_malformed(&t),
                ));
            }
            let t = catalog::instance_type(&t).ok_or_else(|| {
                ApiError::new(
                    "InvalidParameterValue.InstanceTypeNotFound",
                    msg::not_found(Thing::InstanceType, &t),
                )
            })?;
            Some(t.family.arch.as_str())
        }
    };
    if let Some(ids) = &ids {
        if ids.len() > 100 {
            return Err(ApiError::limit("ImageIds", 100));
        }
        if let Some(bad) = ids.iter().find(|i| !well_formed(i, "img")) {
            return Err(ApiError::new(
                "InvalidImageId.Malformed",
                msg::malformed(Thing::Image, &bad),
            ));
        }
    }
    for f in fs.iter().filter(|f| f.name == "cdc-cache-status") {
        if let Some(bad) = f
            .values
            .iter()
            .find(|v| !CDC_CACHE_STATES.contains(&v.as_str()))
        {
            return Err(ApiError::new(
                "InvalidFilter",
                msg::not_cdc_cache_status(&bad, &(CDC_CACHE_STATES.join(", "))),
            ));
        }
    }
    for f in fs.iter().filter(|f| f.name == "image-type") {
        if let Some(bad) = f
            .values
            .iter()
            .find(|v| !["PUBLIC_IMAGE", "PRIVATE_IMAGE", "SHARED_IMAGE"].contains(&v.as_str()))
        {
            return Err(ApiError::new("InvalidFilter", msg::not_image_type(&bad)));
        }
    }
    let (lang, now, account) = (env.ctx.lang, env.ctx.now, env.ctx.account.to_owned());
    // Every image: public first (what a caller picking the first one got before custom
    // images existed), then the account's own, then those shared with it.
    let mut all: Vec<Listed> = Vec::new();
    for i in catalog::IMAGES {
        all.push(Listed {
            id: i.id.into(),
            kind: "PUBLIC_IMAGE",
            name: i.name.into(),
            platform: i.platform.into(),
            arch: i.arch.as_str().into(),
            tags: Vec::new(),
            json: public_json(i, lang),
        });
    }
    for i in &env.region().images {
        all.push(Listed {
            id: i.id.clone(),
            kind: "PRIVATE_IMAGE",
            name: i.name.clone(),
            platform: i.platform.clone(),
            arch: i.architecture.clone(),
            tags: i.tags.clone(),
            json: private_json(i, &account, now),
        });
    }
    for s in SHARED {
        all.push(Listed {
            id: s.0.into(),
            kind: "SHARED_IMAGE",
            name: s.1.into(),
            platform: s.3.into(),
            arch: "x86_64".into(),
            tags: Vec::new(),
            json: shared_json(s, lang),
        });
    }
    let matched: Vec<Value> = all
        .into_iter()
        .filter(|x| ids.as_ref().is_none_or(|ids| ids.contains(&x.id)))
        .filter(|x| arch.is_none_or(|a| a == x.arch))
        .filter(|x| {
            fs.iter().all(|f| match f.name.as_str() {
                "image-id" => f.values.contains(&x.id),
                "image-type" => f.values.iter().any(|v| v == x.kind),
                "image-name" => fuzzy(&x.name, &f.values),
                "platform" => fuzzy(&x.platform, &f.values),
                "instance-type" => f.values.iter().any(|v| {
                    catalog::instance_type(v).is_some_and(|t| t.family.arch.as_str() == x.arch)
                }),
                // No image is cached in a dedicated cluster (CDC): cvm-sim has none. Only
                // CACHED_ALL ("every cache status") lets an image through.
                "dedicated-cluster-id" => false,
                "cdc-cache-status" => f.values.iter().any(|v| v == "CACHED_ALL"),
                other => tag_filter(other, &f.values, &x.tags).unwrap_or(false),
            })
        })
        .map(|x| x.json)
        .collect();
    let total = matched.len();
    let set: Vec<Value> = matched.into_iter().skip(offset).take(limit).collect();
    Ok(json!({"TotalCount": total, "ImageSet": set}))
}

/// Tencent's console rule for image names: 1–60 characters of Chinese, letters, digits,
/// `-`, `_` and `.`.
fn check_image_name(name: &str) -> ApiResult<()> {
    if name.trim().is_empty() {
        return Err(ApiError::missing("ImageName"));
    }
    if name.chars().count() > 60 {
        return Err(ApiError::new(
            "InvalidParameterValue.TooLong",
            msg::too_long(&"ImageName", &60),
        ));
    }
    let ok = |c: char| {
        c.is_ascii_alphanumeric()
            || matches!(c, '-' | '_' | '.')
            || ('\u{4e00}'..='\u{9fff}').contains(&c)
    };
    if let Some(c) = name.chars().find(|c| !ok(*c)) {
        return Err(ApiError::invalid_value(
            "ImageName",
            msg::char_not_allowed(&format!("{c:?}")),
        ));
    }
    Ok(())
}

fn string_bool(p: &Params, name: &str) -> ApiResult<bool> {
    match p.str(name)?.as_deref() {
        None | Some("false") | Some("FALSE") => Ok(false),
        Some("true") | Some("TRUE") => Ok(true),
        Some(other) => Err(ApiError::invalid_value(
            name,
            msg::not_one_of(&other, &["true", "false"]),
        )),
    }
}

pub fn create_image(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&[
        "ImageName",
        "InstanceId",
        "ImageDescription",
        "ForcePoweroff",
        "Sysprep",
        "DataDiskIds",
        "SnapshotIds",
        "DryRun",
        "TagSpecification",
        "ImageFamily",
    ])?;
    let name = p.str("ImageName")?.unwrap_or_default();
    check_image_name(&name)?;
    let description = p.str("ImageDescription")?.unwrap_or_default();
    if description.chars().count() > 256 {
        return Err(ApiError::new(
            "InvalidParameterValue.TooLong",
            msg::too_long(&"ImageDescription", &256),
        ));
    }
    let force = string_bool(p, "ForcePoweroff")?;
    let sysprep = string_bool(p, "Sysprep")?;
    let dry_run = p.bool("DryRun")?.unwrap_or(false);
    if p.has("SnapshotIds") {
        // Images from snapshots need CBS, which the simulator does not model.
        return Err(ApiError::new(
            "InvalidParameter.InstanceImageNotSupport",
            msg::image_from_instance_only(),
        ));
    }
    let instance_id = p.str_req("InstanceId")?;
    if !well_formed(&instance_id, "ins") {
        return Err(ApiError::new(
            "InvalidInstanceId.Malformed",
            msg::malformed(Thing::Instance, &instance_id),
        ));
    }
    let data_disk_ids = p.str_list("DataDiskIds")?.unwrap_or_default();
    let mut tags = Vec::new();
    for spec in p.obj_list("TagSpecification")?.unwrap_or_default() {
        spec.only(&["ResourceType", "Tags"])?;
        spec.str_req("ResourceType")?;
        tags = parse_tags(spec.obj_list("Tags")?)?;
    }
    let quota = env.ctx.quotas.images_per_region;
    let (now, req, stop, make) = (
        env.ctx.now,
        env.ctx.request_id.to_owned(),
        env.ctx.clock.scaled(STOPPING_MS),
        env.ctx.clock.scaled(CREATE_MS),
    );
    let r = env.region();
    let i = r
        .get(&instance_id)
        .ok_or_else(|| {
            ApiError::new(
                "InvalidInstanceId.NotFound",
                msg::not_found(Thing::Instance, &instance_id),
            )
        })?
        .clone();
    require_state(&i, &[State::Running, State::Stopped])?;
    if sysprep && !i.windows {
        return Err(ApiError::invalid_value(
            "Sysprep",
            msg::sysprep_windows_only(),
        ));
    }
    if let Some(bad) = data_disk_ids
        .iter()
        .find(|d| !i.data_disks.iter().any(|x| &x.disk_id == *d))
    {
        return Err(ApiError::invalid_value(
            "DataDiskIds",
            msg::not_data_disk_of(&bad, &instance_id),
        ));
    }
    if r.images.iter().any(|x| x.name == name) {
        return Err(ApiError::new(
            "InvalidImageName.Duplicate",
            msg::image_name_taken(&name),
        ));
    }
    if r.images.len() >= quota {
        return Err(ApiError::new(
            "ImageQuotaLimitExceeded",
            msg::image_quota(&quota),
        ));
    }
    if dry_run {
        return Err(ApiError::new("DryRunOperation", msg::dry_run()));
    }
    let public = catalog::image(&i.image_id);
    let mut snapshots = vec![(
        env.rng.id("snap"),
        "SYSTEM_DISK".to_owned(),
        i.system_disk_size,
    )];
    for d in i
        .data_disks
        .iter()
        .filter(|d| data_disk_ids.contains(&d.disk_id))
    {
        snapshots.push((env.rng.id("snap"), "DATA_DISK".to_owned(), d.disk_size));
    }
    let id = env.rng.id("img");
    // A running instance forced off is stopped first; the image is made afterwards.
    let forced = force && i.state == State::Running;
    let image = CustomImage {
        id: id.clone(),
        name,
        description,
        os_name: i.os_name.clone(),
        platform: public.map_or("Other", |x| x.platform).to_owned(),
        architecture: catalog::instance_type(&i.instance_type)
            .map_or("x86_64", |t| t.family.arch.as_str())
            .to_owned(),
        size: i.system_disk_size,
        windows: i.windows,
        login_user: i.login_user.clone(),
        created_ms: now,
        ready_ms: now + make + if forced { stop } else { 0 },
        source_instance: instance_id.clone(),
        snapshots,
        tags,
    };
    let r = env.region();
    r.images.push(image);
    if let Some(inst) = r.get_mut(&instance_id) {
        if forced {
            inst.state = State::Stopping;
            inst.begin("CreateImage", &req, now, &[(stop, Some(State::Stopped))]);
        } else {
            inst.begin("CreateImage", &req, now, &[]);
        }
    }
    r.touch(&instance_id);
    Ok(json!({"ImageId": id}))
}

pub fn delete_images(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["ImageIds", "DeleteBindedSnap", "DryRun"])?;
    let ids = p.str_list_req("ImageIds")?;
    p.bool("DeleteBindedSnap")?;
    let dry_run = p.bool("DryRun")?.unwrap_or(false);
    if ids.is_empty() {
        return Err(ApiError::missing("ImageIds"));
    }
    if ids.len() > 100 {
        return Err(ApiError::limit("ImageIds", 100));
    }
    let now = env.ctx.now;
    for id in &ids {
        if !well_formed(id, "img") {
            return Err(ApiError::new(
                "InvalidImageId.Malformed",
                msg::malformed(Thing::Image, &id),
            ));
        }
        match find(env, id) {
            None => {
                return Err(ApiError::new(
                    "InvalidImageId.NotFound",
                    msg::not_found(Thing::Image, &id),
                ));
            }
            Some(Found::Public) | Some(Found::Shared) => {
                return Err(ApiError::new(
                    "UnauthorizedOperation.ImageNotBelongToAccount",
                    msg::image_not_yours(&id),
                ));
            }
            Some(Found::Private(i)) if i.state(now) != "NORMAL" => {
                return Err(ApiError::new(
                    "InvalidImageId.IncorrectState",
                    msg::image_not_deletable(&id, &(i.state(now))),
                ));
            }
            Some(Found::Private(_)) => {}
        }
    }
    if dry_run {
        return Err(ApiError::new("DryRunOperation", msg::dry_run()));
    }
    env.region().images.retain(|i| !ids.contains(&i.id));
    Ok(json!({}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_names() {
        assert!(check_image_name("web-2026.01_base").is_ok());
        assert!(check_image_name("网站镜像").is_ok());
        assert_eq!(check_image_name("").unwrap_err().code, "MissingParameter");
        assert_eq!(
            check_image_name(&"a".repeat(61)).unwrap_err().code,
            "InvalidParameterValue.TooLong"
        );
        assert_eq!(
            check_image_name("has space").unwrap_err().code,
            "InvalidParameterValue"
        );
        assert!(SHARED.iter().all(|s| well_formed(s.0, "img")));
    }
}
