//! Security groups of a region with their rules, and binding them to instances
//! (AssociateSecurityGroups appends one group; unbinding rewrites the instance's list
//! through ModifyInstancesAttribute, as there is no CVM action that removes one).

use super::cvm_filter;
use crate::console::batch;
use crate::console::instances::{ActionReport, InstanceResult, describe_ids, validate_ids};
use crate::error::{AppCode, AppError};
use crate::profiles::invalid;
use serde::{Deserialize, Serialize};
use tencent_api::Client;
use tencent_api::models::{cvm, resources, vpc};

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
        .await?;
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
        .await?
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
        .await?;
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
    let action = "AssociateSecurityGroups";
    let results = batch::per_chunk(action, &ids, batch::never_split, |chunk| {
        let req = cvm::AssociateSecurityGroupsRequest {
            security_group_ids: Some(vec![sg_id.to_owned()]),
            instance_ids: Some(chunk),
        };
        Box::pin(async move {
            client
                .associate_security_groups(region, &req)
                .await
                .map(|r| r.request_id)
        })
    })
    .await;
    Ok(ActionReport::new(action, region, results))
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
    let described = describe_ids(client, region, &ids).await?;
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
                    AppCode::NotBound,
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
                    AppCode::LastSecurityGroup,
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
            Err(e) => failed(id, AppError::from(&e)),
        });
    }
    Ok(ActionReport::new(
        "ModifyInstancesAttribute",
        region,
        results,
    ))
}

/// A new group: name 1–60 characters, description up to 100 (Tencent's limits).
pub fn validate_new_group(name: &str, description: &str) -> Result<(), AppError> {
    let n = name.trim().chars().count();
    if n == 0 {
        return Err(invalid("groupName", "a name is required"));
    }
    if name.chars().count() > 60 || name.chars().any(char::is_control) {
        return Err(invalid(
            "groupName",
            "a name is at most 60 characters on one line",
        ));
    }
    if description.chars().count() > 100 || description.chars().any(char::is_control) {
        return Err(invalid(
            "groupDescription",
            "a description is at most 100 characters on one line",
        ));
    }
    Ok(())
}

/// Creates a group. It starts without rules (nothing in or out is allowed until rules
/// are added).
pub async fn create(
    client: &Client,
    region: &str,
    name: &str,
    description: &str,
) -> Result<SecurityGroupView, AppError> {
    validate_new_group(name, description)?;
    let out = client
        .create_security_group(
            region,
            &resources::CreateSecurityGroupRequest {
                group_name: Some(name.trim().to_owned()),
                group_description: Some(description.trim().to_owned()),
                project_id: Some("0".into()),
                tags: None,
            },
        )
        .await?;
    let s = out.security_group.unwrap_or_default();
    Ok(SecurityGroupView {
        id: s.security_group_id.ok_or_else(|| {
            AppError::internal(
                AppCode::NoGroupId,
                "CreateSecurityGroup answered without an id",
            )
        })?,
        name: s.security_group_name.unwrap_or_default(),
        description: s.security_group_desc.unwrap_or_default(),
        project_id: s.project_id.unwrap_or_default(),
        is_default: s.is_default.unwrap_or(false),
        created_time: s.created_time,
    })
}

/// Deletes a group bound to no instance. `confirm` must be its id or name.
pub async fn delete(
    client: &Client,
    region: &str,
    sg_id: &str,
    confirm: &str,
) -> Result<Option<String>, AppError> {
    super::require_confirmation(confirm)?;
    validate_sg_id(sg_id)?;
    let groups = list_security_groups(client, region).await?;
    let g = groups.iter().find(|g| g.id == sg_id).ok_or_else(|| {
        super::conflict(
            "ResourceNotFound",
            Some("securityGroupId"),
            format!("no security group {sg_id} in {region}"),
        )
    })?;
    super::check_confirmation(confirm, &[sg_id, g.name.as_str()])?;
    if g.is_default {
        return Err(super::conflict(
            "UnsupportedOperation",
            Some("securityGroupId"),
            format!(
                "{} is the region's default group and cannot be deleted",
                g.name
            ),
        ));
    }
    client
        .delete_security_group(
            region,
            &resources::DeleteSecurityGroupRequest {
                security_group_id: Some(sg_id.to_owned()),
            },
        )
        .await
        .map(|r| r.request_id)
        .map_err(AppError::from)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum Direction {
    Ingress,
    Egress,
}

#[derive(Clone, Debug, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NewRule {
    pub direction: Direction,
    /// TCP, UDP, ICMP or ALL.
    pub protocol: String,
    /// `ALL`, a port, a comma list or a range (`8000-8080`); ALL for ICMP and ALL.
    pub port: String,
    /// An IPv4 address or CIDR block.
    pub cidr: String,
    /// ACCEPT or DROP.
    pub action: String,
    pub description: String,
}

fn port_ok(port: &str) -> bool {
    let num = |s: &str| s.parse::<u32>().is_ok_and(|n| (1..=65535).contains(&n));
    port.eq_ignore_ascii_case("all")
        || port.split(',').all(|part| match part.split_once('-') {
            Some((a, b)) => num(a) && num(b) && a.parse::<u32>().ok() <= b.parse::<u32>().ok(),
            None => num(part),
        })
}

/// Checks a rule and returns it normalised (upper-case protocol and action, `ALL` port).
pub fn validate_rule(r: &NewRule) -> Result<NewRule, AppError> {
    let protocol = r.protocol.trim().to_ascii_uppercase();
    if !["TCP", "UDP", "ICMP", "ALL"].contains(&protocol.as_str()) {
        return Err(invalid("protocol", "choose TCP, UDP, ICMP or ALL"));
    }
    let port = r.port.trim();
    let port = if port.is_empty() || port.eq_ignore_ascii_case("all") {
        "ALL".to_owned()
    } else {
        port.to_owned()
    };
    if !port_ok(&port) {
        return Err(invalid(
            "port",
            "a port 1–65535, a list (80,443), a range (8000-8080) or ALL",
        ));
    }
    if (protocol == "ALL" || protocol == "ICMP") && port != "ALL" {
        return Err(invalid(
            "port",
            format!("{protocol} rules apply to all ports: use ALL"),
        ));
    }
    let cidr = r.cidr.trim();
    let cidr_ok = match cidr.split_once('/') {
        Some((ip, bits)) => {
            ip.parse::<std::net::Ipv4Addr>().is_ok() && bits.parse::<u8>().is_ok_and(|b| b <= 32)
        }
        None => cidr.parse::<std::net::Ipv4Addr>().is_ok(),
    };
    if !cidr_ok {
        return Err(invalid(
            "cidr",
            "an IPv4 address or block, e.g. 203.0.113.7 or 10.0.0.0/8",
        ));
    }
    let action = r.action.trim().to_ascii_uppercase();
    if action != "ACCEPT" && action != "DROP" {
        return Err(invalid("action", "ACCEPT or DROP"));
    }
    if r.description.chars().count() > 100 || r.description.chars().any(char::is_control) {
        return Err(invalid(
            "description",
            "a description is at most 100 characters on one line",
        ));
    }
    Ok(NewRule {
        direction: r.direction,
        protocol,
        port,
        cidr: cidr.to_owned(),
        action,
        description: r.description.trim().to_owned(),
    })
}

/// Appends one rule to a group (CreateSecurityGroupPolicies).
pub async fn add_rule(
    client: &Client,
    region: &str,
    sg_id: &str,
    rule: &NewRule,
) -> Result<Option<String>, AppError> {
    validate_sg_id(sg_id)?;
    let r = validate_rule(rule)?;
    let policy = vpc::SecurityGroupPolicy {
        protocol: Some(r.protocol),
        port: Some(r.port),
        cidr_block: Some(r.cidr),
        action: Some(r.action),
        policy_description: Some(r.description),
        ..Default::default()
    };
    let (ingress, egress) = match r.direction {
        Direction::Ingress => (Some(vec![policy]), None),
        Direction::Egress => (None, Some(vec![policy])),
    };
    client
        .create_security_group_policies(
            region,
            &resources::CreateSecurityGroupPoliciesRequest {
                security_group_id: Some(sg_id.to_owned()),
                security_group_policy_set: Some(vpc::SecurityGroupPolicySet {
                    ingress,
                    egress,
                    ..Default::default()
                }),
            },
        )
        .await
        .map(|r| r.request_id)
        .map_err(AppError::from)
}
