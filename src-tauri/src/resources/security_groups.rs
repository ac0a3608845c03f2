//! Security groups of a region with their rules, and binding them to instances
//! (AssociateSecurityGroups appends one group; unbinding rewrites the instance's list
//! through ModifyInstancesAttribute, as there is no CVM action that removes one).

use super::cvm_filter;
use crate::console::instances::{ActionReport, InstanceResult, describe_ids, validate_ids};
use crate::error::{AppError, from_api};
use crate::profiles::invalid;
use serde::Serialize;
use tencent_api::models::{cvm, vpc};
use tencent_api::{Client, chunk_ids};

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SecurityGroupView {
    pub id: String,
    pub name: String,
    pub description: String,
    pub project_id: String,
    pub is_default: bool,
    pub created_time: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RuleView {
    pub index: u32,
    pub protocol: String,
    pub port: String,
    pub cidr: String,
    /// ACCEPT or DROP.
    pub action: String,
    pub description: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SecurityGroupDetail {
    pub id: String,
    pub version: String,
    pub ingress: Vec<RuleView>,
    pub egress: Vec<RuleView>,
    /// Instances of the region the group is bound to, with their names.
    pub instances: Vec<BoundInstance>,
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BoundInstance {
    pub id: String,
    pub name: String,
    pub state: String,
    /// Every group bound to the instance, in priority order.
    pub security_group_ids: Vec<String>,
}

pub fn validate_sg_id(id: &str) -> Result<(), AppError> {
    tencent_api::validate_id("securityGroupId", "sg", id).map_err(|_| {
        invalid(
            "securityGroupId",
            format!("{id:?} is not a security group id (sg-xxxxxxxx)"),
        )
    })
}

pub async fn list_security_groups(
    client: &Client,
    region: &str,
) -> Result<Vec<SecurityGroupView>, AppError> {
    let all = client
        .list_all(region, vpc::DescribeSecurityGroupsRequest::default())
        .await
        .map_err(|e| from_api(&e))?;
    Ok(all
        .into_iter()
        .filter_map(|s| {
            Some(SecurityGroupView {
                id: s.security_group_id?,
                name: s.security_group_name.unwrap_or_default(),
                description: s.security_group_desc.unwrap_or_default(),
                project_id: s.project_id.unwrap_or_default(),
                is_default: s.is_default.unwrap_or(false),
                created_time: s.created_time,
            })
        })
        .collect())
}

fn rules(set: Option<Vec<vpc::SecurityGroupPolicy>>) -> Vec<RuleView> {
    set.unwrap_or_default()
        .into_iter()
        .map(|p| RuleView {
            index: super::clamp_u32(p.policy_index),
            protocol: p.protocol.unwrap_or_default(),
            port: p.port.unwrap_or_default(),
            cidr: p.cidr_block.unwrap_or_default(),
            action: p.action.unwrap_or_default(),
            description: p.policy_description.unwrap_or_default(),
        })
        .collect()
}

/// The group's rules and the instances it is bound to.
pub async fn security_group_detail(
    client: &Client,
    region: &str,
    sg_id: &str,
) -> Result<SecurityGroupDetail, AppError> {
    validate_sg_id(sg_id)?;
    let policies = client
        .describe_security_group_policies(
            region,
            &vpc::DescribeSecurityGroupPoliciesRequest {
                security_group_id: Some(sg_id.to_owned()),
                filters: None,
            },
        )
        .await
        .map_err(|e| from_api(&e))?
        .security_group_policy_set
        .unwrap_or_default();
    let instances = client
        .list_all(
            region,
            cvm::DescribeInstancesRequest {
                filters: Some(vec![cvm_filter(
                    "security-group-id",
                    vec![sg_id.to_owned()],
                )]),
                ..Default::default()
            },
        )
        .await
        .map_err(|e| from_api(&e))?;
    Ok(SecurityGroupDetail {
        id: sg_id.to_owned(),
        version: policies.version.unwrap_or_default(),
        ingress: rules(policies.ingress),
        egress: rules(policies.egress),
        instances: instances
            .into_iter()
            .filter_map(|i| {
                Some(BoundInstance {
                    id: i.instance_id?,
                    name: i.instance_name.unwrap_or_default(),
                    state: i.instance_state.unwrap_or_default(),
                    security_group_ids: i.security_group_ids.unwrap_or_default(),
                })
            })
            .collect(),
    })
}

fn report(action: &str, region: &str, results: Vec<InstanceResult>) -> ActionReport {
    let succeeded = results.iter().filter(|r| r.ok).count() as u32;
    ActionReport {
        action: action.to_owned(),
        region: region.to_owned(),
        failed: results.len() as u32 - succeeded,
        succeeded,
        results,
    }
}

fn failed(id: &str, err: AppError) -> InstanceResult {
    InstanceResult {
        instance_id: id.to_owned(),
        ok: false,
        request_id: err.request_id.clone(),
        error: Some(err),
    }
}

/// Binds one group to instances (≤100 a call; appended after their existing groups).
pub async fn bind(
    client: &Client,
    region: &str,
    sg_id: &str,
    instance_ids: &[String],
) -> Result<ActionReport, AppError> {
    validate_sg_id(sg_id)?;
    let ids = validate_ids(instance_ids)?;
    let mut results = Vec::new();
    for chunk in chunk_ids("AssociateSecurityGroups", &ids) {
        let r = client
            .associate_security_groups(
                region,
                &cvm::AssociateSecurityGroupsRequest {
                    security_group_ids: Some(vec![sg_id.to_owned()]),
                    instance_ids: Some(chunk.to_vec()),
                },
            )
            .await;
        match r {
            Ok(out) => results.extend(chunk.iter().map(|id| InstanceResult {
                instance_id: id.clone(),
                ok: true,
                request_id: out.request_id.clone(),
                error: None,
            })),
            Err(e) => {
                let err = from_api(&e);
                results.extend(chunk.iter().map(|id| failed(id, err.clone())));
            }
        }
    }
    Ok(report("AssociateSecurityGroups", region, results))
}

/// Unbinds one group from instances, one ModifyInstancesAttribute call each (the new
/// list differs per instance). An instance keeps at least one group.
pub async fn unbind(
    client: &Client,
    region: &str,
    sg_id: &str,
    instance_ids: &[String],
) -> Result<ActionReport, AppError> {
    validate_sg_id(sg_id)?;
    let ids = validate_ids(instance_ids)?;
    let described = describe_ids(client, region, &ids)
        .await
        .map_err(|e| from_api(&e))?;
    let mut results = Vec::new();
    for id in &ids {
        let Some(i) = described
            .iter()
            .find(|i| i.instance_id.as_deref() == Some(id.as_str()))
        else {
            results.push(failed(
                id,
                super::conflict(
                    "InvalidInstanceId.NotFound",
                    Some("instanceIds"),
                    format!("no instance {id} in {region}"),
                ),
            ));
            continue;
        };
        let current = i.security_group_ids.clone().unwrap_or_default();
        if !current.iter().any(|s| s == sg_id) {
            results.push(failed(
                id,
                super::conflict(
                    "App.NotBound",
                    Some("instanceIds"),
                    format!("{sg_id} is not bound to {id}"),
                ),
            ));
            continue;
        }
        let rest: Vec<String> = current.into_iter().filter(|s| s != sg_id).collect();
        if rest.is_empty() {
            results.push(failed(
                id,
                super::conflict(
                    "App.LastSecurityGroup",
                    Some("instanceIds"),
                    format!("{sg_id} is the only security group of {id}; bind another one first"),
                ),
            ));
            continue;
        }
        let r = client
            .modify_instances_attribute(
                region,
                &cvm::ModifyInstancesAttributeRequest {
                    instance_ids: Some(vec![id.clone()]),
                    security_groups: Some(rest),
                    ..Default::default()
                },
            )
            .await;
        results.push(match r {
            Ok(out) => InstanceResult {
                instance_id: id.clone(),
                ok: true,
                request_id: out.request_id,
                error: None,
            },
            Err(e) => failed(id, from_api(&e)),
        });
    }
    Ok(report("ModifyInstancesAttribute", region, results))
}
