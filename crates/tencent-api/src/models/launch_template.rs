//! Wire models for CVM launch templates (CreateLaunchTemplate, DescribeLaunchTemplates,
//! DescribeLaunchTemplateVersions, DeleteLaunchTemplate). Written by hand in the style of
//! the generated `cvm` models: every field optional, PascalCase on the wire.

use super::cvm::{
    DataDisk, InstanceChargePrepaid, InstanceMarketOptionsRequest, InternetAccessible,
    LoginSettings, Placement, SystemDisk, TagSpecification, VirtualPrivateCloud,
};
use serde::{Deserialize, Serialize};

/// `CreateLaunchTemplateRequest` (the launch parameters a template version keeps).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CreateLaunchTemplateRequest {
    pub launch_template_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub launch_template_version_description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placement: Option<Placement>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system_disk: Option<SystemDisk>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_disks: Option<Vec<DataDisk>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub virtual_private_cloud: Option<VirtualPrivateCloud>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub internet_accessible: Option<InternetAccessible>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_count: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub login_settings: Option<LoginSettings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_group_ids: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag_specification: Option<Vec<TagSpecification>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_market_options: Option<InstanceMarketOptionsRequest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_charge_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_charge_prepaid: Option<InstanceChargePrepaid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disable_api_termination: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CreateLaunchTemplateResponse {
    pub launch_template_id: Option<String>,
    pub request_id: Option<String>,
}

/// `Filter` of the launch template lists (`launch-template-name`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct LaunchTemplateFilter {
    pub name: Option<String>,
    pub values: Option<Vec<String>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeLaunchTemplatesRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub launch_template_ids: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filters: Option<Vec<LaunchTemplateFilter>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

/// `LaunchTemplateInfo`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct LaunchTemplateInfo {
    pub latest_version_number: Option<i64>,
    pub launch_template_id: Option<String>,
    pub launch_template_name: Option<String>,
    pub default_version_number: Option<i64>,
    pub launch_template_version_count: Option<i64>,
    pub created_by: Option<String>,
    pub creation_time: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeLaunchTemplatesResponse {
    pub total_count: Option<i64>,
    pub launch_template_set: Option<Vec<LaunchTemplateInfo>>,
    pub request_id: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeLaunchTemplateVersionsRequest {
    pub launch_template_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub launch_template_versions: Option<Vec<u64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_version: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_version: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_version: Option<bool>,
}

/// `LaunchTemplateVersionData`: what a version launches.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct LaunchTemplateVersionData {
    pub placement: Option<Placement>,
    pub instance_type: Option<String>,
    pub instance_name: Option<String>,
    pub instance_charge_type: Option<String>,
    pub system_disk: Option<SystemDisk>,
    pub data_disks: Option<Vec<DataDisk>>,
    pub internet_accessible: Option<InternetAccessible>,
    pub virtual_private_cloud: Option<VirtualPrivateCloud>,
    pub image_id: Option<String>,
    pub security_group_ids: Option<Vec<String>>,
    pub login_settings: Option<LoginSettings>,
    pub instance_count: Option<i64>,
    pub instance_market_options: Option<InstanceMarketOptionsRequest>,
    pub host_name: Option<String>,
    pub instance_charge_prepaid: Option<InstanceChargePrepaid>,
    pub tag_specification: Option<Vec<TagSpecification>>,
    pub disable_api_termination: Option<bool>,
}

/// `LaunchTemplateVersionInfo`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct LaunchTemplateVersionInfo {
    pub launch_template_version: Option<i64>,
    pub launch_template_version_data: Option<LaunchTemplateVersionData>,
    pub creation_time: Option<String>,
    pub launch_template_id: Option<String>,
    pub is_default_version: Option<bool>,
    pub launch_template_version_description: Option<String>,
    pub created_by: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeLaunchTemplateVersionsResponse {
    pub total_count: Option<i64>,
    pub launch_template_version_set: Option<Vec<LaunchTemplateVersionInfo>>,
    pub request_id: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DeleteLaunchTemplateRequest {
    pub launch_template_id: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DeleteLaunchTemplateResponse {
    pub request_id: Option<String>,
}

crate::actions! {
    service = "cvm";
    CreateLaunchTemplate => create_launch_template(CreateLaunchTemplateRequest) -> CreateLaunchTemplateResponse;
    DescribeLaunchTemplates => describe_launch_templates(DescribeLaunchTemplatesRequest) -> DescribeLaunchTemplatesResponse;
    DescribeLaunchTemplateVersions => describe_launch_template_versions(DescribeLaunchTemplateVersionsRequest) -> DescribeLaunchTemplateVersionsResponse;
    DeleteLaunchTemplate => delete_launch_template(DeleteLaunchTemplateRequest) -> DeleteLaunchTemplateResponse;
}
