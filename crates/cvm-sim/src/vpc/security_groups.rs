//! Security groups (service `vpc`): DescribeSecurityGroups,
//! DescribeSecurityGroupPolicies, CreateSecurityGroup, DeleteSecurityGroup and
//! CreateSecurityGroupPolicies.

use super::{chosen, ids_or_filters};
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::msg::{self, Thing};
use crate::params::{FilterDialect, Params, filters};
use crate::toolkit::{Env, page, parse_tags, tag_filter, tags_json};
use crate::toolkit::{IdCodes, position_of};
use crate::world::{Policy, SecurityGroup, parse_ipv4};
use serde_json::{Value, json};

const MAX_RULES_PER_DIRECTION: usize = 100;

fn too_long(name: &str, max: usize) -> ApiError {
    ApiError::new("InvalidParameterValue.TooLong", msg::too_long(&name, &max))
}

pub fn create_security_group(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["GroupName", "GroupDescription", "ProjectId", "Tags"])?;
    let name = p.str_req("GroupName")?;
    let description = p.str_req("GroupDescription")?;
    if name.trim().is_empty() {
        return Err(ApiError::new(
            "InvalidParameterValue.Empty",
            msg::group_name_empty(),
        ));
    }
    if name.chars().count() > 60 {
        return Err(too_long("GroupName", 60));
    }
    if description.chars().count() > 100 {
        return Err(too_long("GroupDescription", 100));
    }
    let project = match p.int_or_str("ProjectId")? {
        None | Some(0) => 0,
        Some(other) => {
            return Err(ApiError::new(
                "InvalidParameterValue.Range",
                msg::not_found(Thing::Project, &other),
            ));
        }
    };
    let tags = parse_tags(p.obj_list("Tags")?)?;
    let quota = env.ctx.quotas.security_groups_per_region;
    let now = env.ctx.now;
    let id = env.rng.id("sg");
    let r = env.region();
    if r.security_groups.len() >= quota {
        return Err(ApiError::new(
            "LimitExceeded",
            msg::security_group_quota(&quota),
        ));
    }
    // A new group lets everything out and nothing in, as the console's blank template does.
    let sg = SecurityGroup {
        id: id.clone(),
        name,
        description,
        project_id: project,
        is_default: false,
        created_ms: now,
        ingress: Vec::new(),
        egress: Vec::new(),
        version: 0,
        tags,
    };
    let out = json!({"SecurityGroup": {"SecurityGroupId": sg.id, "SecurityGroupName": sg.name,
        "SecurityGroupDesc": sg.description, "ProjectId": sg.project_id.to_string(), "IsDefault": false,
        "CreatedTime": clock::plain(now), "UpdateTime": clock::plain(now), "TagSet": tags_json(&sg.tags)}});
    r.security_groups.push(sg);
    Ok(out)
}

/// How VPC answers a malformed or unknown security group id.
const SG_CODES: IdCodes = IdCodes {
    malformed: "InvalidParameterValue.Malformed",
    not_found: "ResourceNotFound",
};

fn group_index(env: &mut Env, id: &str) -> ApiResult<usize> {
    position_of(
        &env.region().security_groups,
        id,
        "sg",
        Thing::SecurityGroup,
        SG_CODES,
        |s| &s.id,
    )
}

pub fn delete_security_group(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["SecurityGroupId"])?;
    let id = p.str_req("SecurityGroupId")?;
    let at = group_index(env, &id)?;
    let r = env.region();
    if r.security_groups[at].is_default {
        return Err(ApiError::new(
            "UnsupportedOperation",
            msg::default_sg_undeletable(),
        ));
    }
    if let Some(user) = r
        .instances
        .values()
        .find(|i| i.security_group_ids.contains(&id))
    {
        return Err(ApiError::new(
            "ResourceInUse",
            msg::sg_in_use(&id, &user.id),
        ));
    }
    r.security_groups.remove(at);
    Ok(json!({}))
}

fn port_ok(port: &str) -> bool {
    let num = |s: &str| s.parse::<u32>().is_ok_and(|n| (1..=65535).contains(&n));
    port.eq_ignore_ascii_case("all")
        || port.split(',').all(|part| match part.split_once('-') {
            Some((a, b)) => num(a) && num(b) && a.parse::<u32>().ok() <= b.parse::<u32>().ok(),
            None => num(part),
        })
}

fn cidr_ok(c: &str) -> bool {
    match c.split_once('/') {
        Some((ip, bits)) => parse_ipv4(ip).is_some() && bits.parse::<u8>().is_ok_and(|b| b <= 32),
        None => parse_ipv4(c).is_some(),
    }
}

fn parse_policy(q: &Params) -> ApiResult<Policy> {
    q.only(&[
        "PolicyIndex",
        "Protocol",
        "Port",
        "CidrBlock",
        "Action",
        "PolicyDescription",
        "Ipv6CidrBlock",
        "SecurityGroupId",
        "ServiceTemplate",
        "AddressTemplate",
        "ModifyTime",
    ])?;
    for unsupported in [
        "Ipv6CidrBlock",
        "SecurityGroupId",
        "ServiceTemplate",
        "AddressTemplate",
    ] {
        if q.has(unsupported) {
            return Err(ApiError::new(
                "UnsupportedOperation",
                msg::rules_not_modelled(&unsupported),
            ));
        }
    }
    let protocol = q.str_req("Protocol")?.to_uppercase();
    let protocol = match protocol.as_str() {
        "TCP" | "UDP" | "ICMP" | "ALL" => protocol,
        "ICMPV6" => "ICMPv6".to_owned(),
        _ => {
            return Err(ApiError::invalid_value(
                "Protocol",
                msg::not_one_of(&protocol, &["TCP", "UDP", "ICMP", "ICMPv6", "ALL"]),
            ));
        }
    };
    let port = q.str("Port")?.unwrap_or_else(|| "ALL".into());
    if !port_ok(&port) {
        return Err(ApiError::invalid_value("Port", msg::port_spec(&port)));
    }
    let port = if port.eq_ignore_ascii_case("all") {
        "ALL".to_owned()
    } else {
        port
    };
    if matches!(protocol.as_str(), "ALL" | "ICMP" | "ICMPv6") && port != "ALL" {
        return Err(ApiError::invalid_value("Port", msg::port_all(&protocol)));
    }
    let cidr = q.str_req("CidrBlock")?;
    if !cidr_ok(&cidr) {
        return Err(ApiError::invalid_value("CidrBlock", msg::not_cidr(&cidr)));
    }
    // Tencent's documented normalisation: any 0.0.0.0/n means everywhere.
    let cidr = if cidr.starts_with("0.0.0.0/") {
        "0.0.0.0/0".to_owned()
    } else {
        cidr
    };
    let action = q.str_req("Action")?.to_uppercase();
    if action != "ACCEPT" && action != "DROP" {
        return Err(ApiError::invalid_value(
            "Action",
            msg::not_one_of(&action, &["ACCEPT", "DROP"]),
        ));
    }
    let description = q.str("PolicyDescription")?.unwrap_or_default();
    if description.chars().count() > 100 {
        return Err(too_long("PolicyDescription", 100));
    }
    Ok(Policy {
        protocol,
        port,
        cidr,
        action,
        description,
    })
}

/// Adds rules to one direction of a group (Tencent takes Ingress or Egress per call, not
/// both). Rules go to `PolicyIndex` when given, else after the existing ones.
pub fn create_policies(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["SecurityGroupId", "SecurityGroupPolicySet"])?;
    let id = p.str_req("SecurityGroupId")?;
    let set = p
        .obj("SecurityGroupPolicySet")?
        .ok_or_else(|| ApiError::missing("SecurityGroupPolicySet"))?;
    set.only(&["Version", "Egress", "Ingress", "PolicyStatistics"])?;
    let version = set.int_or_str("Version")?;
    let ingress = set.obj_list("Ingress")?.unwrap_or_default();
    let egress = set.obj_list("Egress")?.unwrap_or_default();
    if !ingress.is_empty() && !egress.is_empty() {
        return Err(ApiError::new("InvalidParameter", msg::one_direction()));
    }
    let (list, inbound) = match (ingress.is_empty(), egress.is_empty()) {
        (false, _) => (ingress, true),
        (true, false) => (egress, false),
        (true, true) => return Err(ApiError::missing("SecurityGroupPolicySet.Ingress")),
    };
    let mut rules = Vec::new();
    let mut index = None;
    for q in &list {
        if let Some(i) = q.int("PolicyIndex")? {
            index = Some(
                usize::try_from(i)
                    .map_err(|_| ApiError::invalid_value("PolicyIndex", msg::not_negative()))?,
            );
        }
        rules.push(parse_policy(q)?);
    }
    let at = group_index(env, &id)?;
    let sg = &mut env.region().security_groups[at];
    if let Some(v) = version
        && v != sg.version
    {
        return Err(ApiError::new(
            "UnsupportedOperation.VersionMismatch",
            msg::rules_version(&sg.version, &v),
        ));
    }
    let existing = if inbound { &sg.ingress } else { &sg.egress };
    if existing.len() + rules.len() > MAX_RULES_PER_DIRECTION {
        return Err(ApiError::new(
            "LimitExceeded.SecurityGroupPolicySet",
            msg::rules_per_direction(&MAX_RULES_PER_DIRECTION),
        ));
    }
    for (n, rule) in rules.iter().enumerate() {
        let same = |x: &Policy| {
            x.protocol == rule.protocol
                && x.port == rule.port
                && x.cidr == rule.cidr
                && x.action == rule.action
        };
        if existing.iter().any(same) || rules[..n].iter().any(same) {
            return Err(ApiError::new(
                "UnsupportedOperation.DuplicatePolicy",
                msg::duplicate_rule(&rule.protocol, &rule.port, &rule.cidr, &rule.action),
            ));
        }
    }
    let target = if inbound {
        &mut sg.ingress
    } else {
        &mut sg.egress
    };
    let at = index.unwrap_or(target.len()).min(target.len());
    target.splice(at..at, rules);
    sg.version += 1;
    Ok(json!({}))
}

pub fn describe_security_groups(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&[
        "SecurityGroupIds",
        "Filters",
        "Offset",
        "Limit",
        "OrderField",
        "OrderDirection",
    ])?;
    let (ids, fs) = ids_or_filters(
        p,
        "SecurityGroupIds",
        "sg",
        &[
            "security-group-id",
            "project-id",
            "security-group-name",
            "tag-key",
            "tag:",
        ],
    )?;
    let (offset, limit) = page(p, true)?;
    if let Some(f) = p.str("OrderField")?
        && f != "CreatedTime"
        && f != "UpdateTime"
    {
        return Err(ApiError::new(
            "InvalidParameterValue.Range",
            msg::order_field(),
        ));
    }
    let desc = match p.str("OrderDirection")?.as_deref() {
        None | Some("ASC") => false,
        Some("DESC") => true,
        Some(_) => {
            return Err(ApiError::new(
                "InvalidParameterValue.Range",
                msg::order_direction(),
            ));
        }
    };
    let r = env.region();
    let mut matched: Vec<Value> = chosen(&r.security_groups, &ids, |s| &s.id)?
        .into_iter()
        .filter(|s| {
            fs.iter().all(|f| match f.name.as_str() {
                "security-group-id" => f.values.contains(&s.id),
                "project-id" => f.values.contains(&s.project_id.to_string()),
                "security-group-name" => f.values.iter().any(|x| s.name.contains(x.as_str())),
                other => tag_filter(other, &f.values, &s.tags).unwrap_or(false),
            })
        })
        .map(|s| {
            json!({"SecurityGroupId": s.id, "SecurityGroupName": s.name, "SecurityGroupDesc": s.description,
                   "ProjectId": s.project_id.to_string(), "IsDefault": s.is_default, "CreatedTime": clock::plain(s.created_ms),
                   "UpdateTime": clock::plain(s.created_ms), "TagSet": tags_json(&s.tags)})
        })
        .collect();
    if desc {
        matched.reverse();
    }
    Ok(
        json!({"TotalCount": matched.len(), "SecurityGroupSet": matched.into_iter().skip(offset).take(limit).collect::<Vec<_>>()}),
    )
}

fn policy_json(i: usize, sg: &str, p: &Policy, now: i64) -> Value {
    json!({"PolicyIndex": i, "Protocol": p.protocol, "Port": p.port, "CidrBlock": p.cidr, "Ipv6CidrBlock": "",
           "SecurityGroupId": sg, "Action": p.action, "PolicyDescription": p.description,
           "ModifyTime": clock::plain(now)})
}

pub fn describe_security_group_policies(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["SecurityGroupId", "Filters"])?;
    let id = p.str_req("SecurityGroupId")?;
    let fs = filters(
        p,
        FilterDialect::Vpc,
        &[
            "security-group-id",
            "ip",
            "address-module",
            "service-module",
            "protocol-type",
            "port",
            "poly",
            "direction",
            "description",
        ],
        10,
        100,
    )?;
    let at = group_index(env, &id)?;
    let sg = &env.region().security_groups[at];
    let keep = |dir: &str, pol: &Policy| {
        fs.iter().all(|f| match f.name.as_str() {
            "ip" => f.values.iter().any(|v| pol.cidr.contains(v.as_str())),
            "protocol-type" => f
                .values
                .iter()
                .any(|v| v.eq_ignore_ascii_case(&pol.protocol)),
            "port" => f
                .values
                .iter()
                .any(|v| pol.port == "ALL" || pol.port.split(',').any(|x| x == v)),
            "poly" => f.values.iter().any(|v| v == "ALL" || v == &pol.action),
            "direction" => f.values.iter().any(|v| v == "ALL" || v == dir),
            "description" => f
                .values
                .iter()
                .any(|v| pol.description.contains(v.as_str())),
            _ => false,
        })
    };
    let now = sg.created_ms;
    let ingress: Vec<Value> = sg
        .ingress
        .iter()
        .enumerate()
        .filter(|(_, x)| keep("INBOUND", x))
        .map(|(i, x)| policy_json(i, &sg.id, x, now))
        .collect();
    let egress: Vec<Value> = sg
        .egress
        .iter()
        .enumerate()
        .filter(|(_, x)| keep("OUTBOUND", x))
        .map(|(i, x)| policy_json(i, &sg.id, x, now))
        .collect();
    Ok(
        json!({"SecurityGroupPolicySet": {"Version": sg.version.to_string(),
        "PolicyStatistics": {"IngressIPv4TotalCount": ingress.len(), "IngressIPv6TotalCount": 0, "EgressIPv4TotalCount": egress.len(), "EgressIPv6TotalCount": 0},
        "Ingress": ingress, "Egress": egress}}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_and_cidrs() {
        assert!(port_ok("22"));
        assert!(port_ok("80,443"));
        assert!(port_ok("8000-8080"));
        assert!(port_ok("ALL"));
        assert!(!port_ok("0"));
        assert!(!port_ok("9000-80"));
        assert!(!port_ok("http"));
        assert!(cidr_ok("10.0.0.0/8"));
        assert!(cidr_ok("203.0.113.7"));
        assert!(!cidr_ok("10.0.0.0/33"));
        assert!(!cidr_ok("example.com"));
    }
}
