//! Wire models for the resource actions: binding key pairs to instances,
//! making and deleting custom images (CVM), creating and deleting security groups and
//! adding their rules (VPC). Written by hand in the style of the generated models: every
//! field optional, PascalCase on the wire.

use super::cvm::TagSpecification;
use super::vpc::{SecurityGroup, SecurityGroupPolicySet, Tag};
use serde::{Deserialize, Serialize};

/// `AssociateInstancesKeyPairsRequest` (also the shape of the Disassociate request).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AssociateInstancesKeyPairsRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_ids: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_ids: Option<Vec<String>>,
    /// Force running instances off first (otherwise only STOPPED instances are accepted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub force_stop: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AssociateInstancesKeyPairsResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// `DisassociateInstancesKeyPairsRequest`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DisassociateInstancesKeyPairsRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_ids: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_ids: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub force_stop: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DisassociateInstancesKeyPairsResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// `CreateImageRequest`. `ForcePoweroff` and `Sysprep` are the strings "true"/"false".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CreateImageRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub force_poweroff: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sysprep: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_disk_ids: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot_ids: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag_specification: Option<Vec<TagSpecification>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_family: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CreateImageResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// `DeleteImagesRequest`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DeleteImagesRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_ids: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delete_binded_snap: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DeleteImagesResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// `CreateSecurityGroupRequest` (VPC). `ProjectId` is a string in the VPC API.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CreateSecurityGroupRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CreateSecurityGroupResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_group: Option<SecurityGroup>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// `DeleteSecurityGroupRequest`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DeleteSecurityGroupRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_group_id: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DeleteSecurityGroupResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// `CreateSecurityGroupPoliciesRequest`: rules of one direction (Ingress or Egress).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CreateSecurityGroupPoliciesRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_group_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_group_policy_set: Option<SecurityGroupPolicySet>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CreateSecurityGroupPoliciesResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

crate::actions! {
    service = "cvm";
    AssociateInstancesKeyPairs => associate_instances_key_pairs(AssociateInstancesKeyPairsRequest) -> AssociateInstancesKeyPairsResponse;
    DisassociateInstancesKeyPairs => disassociate_instances_key_pairs(DisassociateInstancesKeyPairsRequest) -> DisassociateInstancesKeyPairsResponse;
    CreateImage => create_image(CreateImageRequest) -> CreateImageResponse;
    DeleteImages => delete_images(DeleteImagesRequest) -> DeleteImagesResponse;
}

crate::actions! {
    service = "vpc";
    CreateSecurityGroup => create_security_group(CreateSecurityGroupRequest) -> CreateSecurityGroupResponse;
    DeleteSecurityGroup => delete_security_group(DeleteSecurityGroupRequest) -> DeleteSecurityGroupResponse;
    CreateSecurityGroupPolicies => create_security_group_policies(CreateSecurityGroupPoliciesRequest) -> CreateSecurityGroupPoliciesResponse;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Action;

    #[test]
    fn wire_names_and_services() {
        let r = CreateImageRequest {
            image_name: Some("web".into()),
            instance_id: Some("ins-12345678".into()),
            force_poweroff: Some("true".into()),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            serde_json::json!({"ImageName": "web", "InstanceId": "ins-12345678", "ForcePoweroff": "true"})
        );
        assert_eq!(<CreateImageRequest as Action>::SERVICE, "cvm");
        assert_eq!(<CreateSecurityGroupRequest as Action>::SERVICE, "vpc");
        assert_eq!(
            <AssociateInstancesKeyPairsRequest as Action>::NAME,
            "AssociateInstancesKeyPairs"
        );
    }
}
