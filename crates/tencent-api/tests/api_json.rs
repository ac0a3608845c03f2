//! Every modelled struct, field name and field type is checked against tccli's api.json
//! as installed in the venv (the spec is read, never vendored).

mod support;

use serde_json::Value;
use std::collections::BTreeMap;

/// (struct name → [(wire name, rust type)]) parsed from a generated model file.
fn modelled(src: &str) -> BTreeMap<String, Vec<(String, String)>> {
    let mut out: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut current: Option<String> = None;
    let mut wire: Option<String> = None;
    for line in src.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("pub struct ") {
            let name = rest
                .trim_end_matches(" {}")
                .trim_end_matches(" {")
                .to_owned();
            out.insert(name.clone(), Vec::new());
            current = Some(name);
        } else if let Some((_, rest)) = line.split_once("rename = \"") {
            // rustfmt may spread the attribute over several lines.
            wire = Some(rest.split('"').next().unwrap().to_owned());
        } else if line.starts_with("pub ") && line.contains(": Option<") {
            let ty = line
                .split_once(": Option<")
                .unwrap()
                .1
                .trim_end_matches(',');
            let ty = ty.strip_suffix('>').unwrap().to_owned();
            let w = wire.take().expect("every field has a serde rename");
            out.get_mut(current.as_ref().unwrap())
                .unwrap()
                .push((w, ty));
        } else if line == "}" {
            current = None;
        }
    }
    out
}

fn expected_type(member: &Value) -> String {
    let prim = |m: &str| match m {
        "string" | "datetime" | "datetime_iso" | "date" => "String".to_owned(),
        "int64" | "uint64" => "i64".to_owned(),
        "bool" => "bool".to_owned(),
        "float" => "f64".to_owned(),
        other => other.to_owned(),
    };
    let t = member["type"].as_str().unwrap();
    let m = member["member"].as_str().unwrap();
    match t {
        "list" => format!("Vec<{}>", prim(m)),
        "object" => m.to_owned(),
        "int" | "float" | "bool" | "string" => prim(m),
        other => panic!("unknown spec type {other}"),
    }
}

fn check(service: &str, src: &str, actions: &[&str]) {
    let spec: Value =
        serde_json::from_str(&std::fs::read_to_string(support::venv::api_json(service)).unwrap())
            .unwrap();
    let objects = spec["objects"].as_object().unwrap();
    let models = modelled(src);
    let mut fields = 0;
    for (name, members) in &models {
        let obj = objects
            .get(name)
            .unwrap_or_else(|| panic!("{service}: {name} is not in api.json"));
        let spec_members: BTreeMap<&str, &Value> = obj["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (m["name"].as_str().unwrap(), m))
            .collect();
        for (wire, ty) in members {
            let m = spec_members
                .get(wire.as_str())
                .unwrap_or_else(|| panic!("{service}: {name}.{wire} is not in api.json"));
            let ty = ty
                .strip_prefix("Box<")
                .and_then(|t| t.strip_suffix('>'))
                .unwrap_or(ty);
            let ty = if ty == "crate::Sensitive" {
                "String"
            } else {
                ty
            };
            assert_eq!(ty, expected_type(m), "{service}: {name}.{wire}");
            fields += 1;
        }
        // Nothing in the spec is left out (deprecated members are skipped on purpose).
        for (wire, m) in &spec_members {
            if !m["disabled"].as_bool().unwrap_or(false) {
                assert!(
                    members.iter().any(|(w, _)| w == wire),
                    "{service}: {name}.{wire} is in api.json but not modelled"
                );
            }
        }
    }
    for a in actions {
        let action = &spec["actions"][*a];
        assert!(action.is_object(), "{service}: {a} is not in api.json");
        for side in ["input", "output"] {
            let obj = action[side].as_str().unwrap();
            assert!(
                models.contains_key(obj),
                "{service}: {a} {side} {obj} is not modelled"
            );
        }
    }
    assert!(fields > 100, "{service}: only {fields} fields checked");
}

const CVM_ACTIONS: &[&str] = &[
    "DescribeRegions",
    "DescribeZones",
    "DescribeImages",
    "DescribeInstanceTypeConfigs",
    "DescribeZoneInstanceConfigInfos",
    "DescribeInstances",
    "DescribeInstancesStatus",
    "RunInstances",
    "InquiryPriceRunInstances",
    "StartInstances",
    "StopInstances",
    "RebootInstances",
    "TerminateInstances",
    "ResetInstancesType",
    "InquiryPriceResetInstancesType",
    "ResetInstancesInternetMaxBandwidth",
    "InquiryPriceResetInstancesInternetMaxBandwidth",
    "ModifyInstancesChargeType",
    "InquiryPriceModifyInstancesChargeType",
    "RenewInstances",
    "InquiryPriceRenewInstances",
    "ModifyInstancesRenewFlag",
    "ModifyInstancesAttribute",
    "ResetInstancesPassword",
    "DescribeKeyPairs",
    "CreateKeyPair",
    "ImportKeyPair",
    "DeleteKeyPairs",
    "AssociateSecurityGroups",
    "DescribeInstancesModification",
    "InquiryPriceTerminateInstances",
];
const VPC_ACTIONS: &[&str] = &[
    "DescribeVpcs",
    "DescribeSubnets",
    "DescribeSecurityGroups",
    "DescribeSecurityGroupPolicies",
    "AllocateAddresses",
    "DescribeAddresses",
    "AssociateAddress",
    "DisassociateAddress",
    "ReleaseAddresses",
];

#[test]
fn cvm_models_match_tccli_api_json() {
    check("cvm", include_str!("../src/models/cvm.rs"), CVM_ACTIONS);
}

#[test]
fn vpc_models_match_tccli_api_json() {
    check("vpc", include_str!("../src/models/vpc.rs"), VPC_ACTIONS);
}

/// The Action binding names the action whose input the request type is.
#[test]
fn action_names_bind_the_right_types() {
    use tencent_api::Action;
    use tencent_api::models::{cvm, vpc};
    assert_eq!(
        <cvm::DescribeInstancesRequest as Action>::NAME,
        "DescribeInstances"
    );
    assert_eq!(<cvm::DescribeInstancesRequest as Action>::SERVICE, "cvm");
    assert_eq!(<vpc::DescribeAddressesRequest as Action>::SERVICE, "vpc");
    let r = cvm::RunInstancesRequest {
        client_token: Some("t".into()),
        ..Default::default()
    };
    assert_eq!(r.client_token(), Some("t"));
    assert_eq!(cvm::StopInstancesRequest::default().client_token(), None);
}
