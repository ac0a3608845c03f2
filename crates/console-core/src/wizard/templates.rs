//! Launch templates from the wizard: save the current spec as a template
//! (CreateLaunchTemplate), list a region's templates, open a version as a prefilled draft,
//! delete one. A template never holds a password: a spec with a password is saved without
//! its login, and the draft asks for one.

use crate::console::instances::validate_region;
use crate::error::{AppCode, AppError};
use crate::profiles::invalid;
use crate::wizard::draft::{self, LaunchDraft};
use crate::wizard::spec::{LaunchSpec, Login, check_shape, run_request, with_field};
use serde::Serialize;
use tencent_api::Client;
use tencent_api::models::cvm;
use tencent_api::models::launch_template as lt;

/// A region holds at most this many launch templates (Tencent's quota).
pub const MAX_TEMPLATES: usize = 30;

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LaunchTemplateView {
    pub id: String,
    pub name: String,
    pub default_version: u32,
    pub latest_version: u32,
    pub version_count: u32,
    pub created_time: Option<String>,
}

pub fn validate_template_id(id: &str) -> Result<(), AppError> {
    tencent_api::validate_id("templateId", "lt", id)
        .map_err(|_| invalid("templateId", "not a launch template id (lt-xxxxxxxx)"))
}

/// Template names are 2–128 characters; descriptions at most 255.
pub fn validate_template_name(name: &str, description: &str) -> Result<(), AppError> {
    let n = name.trim().chars().count();
    if !(2..=128).contains(&n) || name.chars().any(char::is_control) {
        return Err(invalid(
            "templateName",
            "a template name is 2–128 characters",
        ));
    }
    if description.chars().count() > 255 {
        return Err(invalid(
            "templateDescription",
            "a description is at most 255 characters",
        ));
    }
    Ok(())
}

/// The CreateLaunchTemplate request for a spec: RunInstances' parameters without the
/// password, the ClientToken or DryRun.
pub fn create_request(
    spec: &LaunchSpec,
    name: &str,
    description: &str,
) -> lt::CreateLaunchTemplateRequest {
    let r = run_request(spec, None, false);
    let login = match &spec.login {
        Login::Password { .. } => None,
        _ => r.login_settings,
    };
    lt::CreateLaunchTemplateRequest {
        launch_template_name: Some(name.trim().to_owned()),
        launch_template_version_description: Some(description.to_owned()).filter(|d| !d.is_empty()),
        placement: r.placement,
        image_id: r.image_id,
        instance_type: r.instance_type,
        system_disk: r.system_disk,
        data_disks: r.data_disks,
        virtual_private_cloud: r.virtual_private_cloud,
        internet_accessible: r.internet_accessible,
        instance_count: r.instance_count,
        instance_name: r.instance_name,
        login_settings: login.map(|l: cvm::LoginSettings| cvm::LoginSettings {
            password: None,
            ..l
        }),
        security_group_ids: r.security_group_ids,
        host_name: r.host_name,
        tag_specification: r.tag_specification,
        instance_market_options: r.instance_market_options,
        instance_charge_type: r.instance_charge_type,
        instance_charge_prepaid: r.instance_charge_prepaid,
        disable_api_termination: r.disable_api_termination,
    }
}

/// Saves the spec as a new launch template; returns its id. The spec's shape is checked
/// (a missing password does not matter: templates have none).
pub async fn save(
    client: &Client,
    spec: &LaunchSpec,
    name: &str,
    description: &str,
    max_name: usize,
) -> Result<String, AppError> {
    validate_template_name(name, description)?;
    let mut probe = spec.clone();
    if matches!(probe.login, Login::Password { .. }) {
        probe.login = Login::KeepImageLogin;
    }
    check_shape(&probe, max_name)?;
    let r = client
        .create_launch_template(&spec.region, &create_request(spec, name, description))
        .await
        .map_err(|e| match e.code() {
            "InvalidParameterValue.InvalidLaunchTemplateName" => invalid("templateName", e.message()),
            "LimitExceeded.LaunchTemplateQuota" => invalid(
                "templateName",
                format!("this region already has the maximum of {MAX_TEMPLATES} launch templates; delete one first"),
            ),
            _ => with_field(&e),
        })?;
    r.launch_template_id
        .ok_or_else(|| AppError::internal(AppCode::Unexpected, "no LaunchTemplateId in the answer"))
}

fn n32(n: Option<i64>) -> u32 {
    n.and_then(|n| u32::try_from(n).ok()).unwrap_or(0)
}

pub async fn list(client: &Client, region: &str) -> Result<Vec<LaunchTemplateView>, AppError> {
    validate_region(region)?;
    let req = lt::DescribeLaunchTemplatesRequest {
        limit: Some(100),
        ..Default::default()
    };
    let r = client.describe_launch_templates(region, &req).await?;
    Ok(r.launch_template_set
        .unwrap_or_default()
        .into_iter()
        .map(|t| LaunchTemplateView {
            id: t.launch_template_id.unwrap_or_default(),
            name: t.launch_template_name.unwrap_or_default(),
            default_version: n32(t.default_version_number),
            latest_version: n32(t.latest_version_number),
            version_count: n32(t.launch_template_version_count),
            created_time: t.creation_time,
        })
        .collect())
}

/// A template version (the default one when `version` is None) as a wizard draft.
pub async fn draft(
    client: &Client,
    region: &str,
    id: &str,
    version: Option<u32>,
) -> Result<LaunchDraft, AppError> {
    validate_region(region)?;
    validate_template_id(id)?;
    let req = lt::DescribeLaunchTemplateVersionsRequest {
        launch_template_id: Some(id.to_owned()),
        launch_template_versions: version.map(|v| vec![u64::from(v)]),
        default_version: version.is_none().then_some(true),
        ..Default::default()
    };
    let r = client
        .describe_launch_template_versions(region, &req)
        .await
        .map_err(|e| {
            let mut err = AppError::from(&e);
            err.field = Some("templateId".into());
            err
        })?;
    let v = r
        .launch_template_version_set
        .unwrap_or_default()
        .into_iter()
        .next()
        .ok_or_else(|| invalid("templateId", "the template has no such version"))?;
    Ok(draft::from_template(
        region,
        &v.launch_template_version_data.unwrap_or_default(),
    ))
}

pub async fn delete(client: &Client, region: &str, id: &str) -> Result<(), AppError> {
    validate_region(region)?;
    validate_template_id(id)?;
    client
        .delete_launch_template(
            region,
            &lt::DeleteLaunchTemplateRequest {
                launch_template_id: Some(id.to_owned()),
            },
        )
        .await?;
    Ok(())
}
