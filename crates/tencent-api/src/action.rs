//! The binding of a request model to its action, and checks of common parameters that
//! must fail before any network call.

use crate::Error;
use crate::endpoint::validate_id;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A request model that names its API action. Implemented for every generated request.
pub trait Action: Serialize + Send + Sync {
    /// Product short name: `cvm` or `vpc` (also the credential-scope service).
    const SERVICE: &'static str;
    const NAME: &'static str;
    const VERSION: &'static str = "2017-03-12";
    type Output: DeserializeOwned + Send + 'static;

    /// The request's idempotency token, for the actions that take one.
    fn client_token(&self) -> Option<&str> {
        None
    }
}

/// Whether a failed attempt may be repeated without risking a second effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetrySafety {
    /// Reads and price inquiries.
    Idempotent,
    /// A mutation carrying a ClientToken: repeating it with the same token is deduplicated.
    ClientToken,
    /// Any other mutation: never repeated automatically.
    Unsafe,
}

pub fn retry_safety(action: &str, client_token: Option<&str>) -> RetrySafety {
    // Reads (`Get*` too: monitor's GetMonitorData, STS's GetCallerIdentity), and the STS
    // and tag calls whose repetition leaves the same result (a tag set twice holds the
    // same value; a second AssumeRole only issues fresh credentials).
    if action.starts_with("Describe")
        || action.starts_with("InquiryPrice")
        || action.starts_with("Get")
        || matches!(
            action,
            "AssumeRole" | "TagResources" | "UnTagResources" | "ModifyResourceTags"
        )
    {
        RetrySafety::Idempotent
    } else if matches!(action, "RunInstances" | "AllocateAddresses")
        && client_token.is_some_and(|t| !t.is_empty())
    {
        RetrySafety::ClientToken
    } else {
        RetrySafety::Unsafe
    }
}

/// A fresh idempotency token for RunInstances / AllocateAddresses (a UUID: 36 ASCII
/// characters, inside the 64-byte limit). Keep it for every retry of the same intent.
pub fn new_client_token() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The largest id list an action accepts in one call.
pub fn max_ids(action: &str) -> usize {
    match action {
        "ResetInstancesType" | "InquiryPriceResetInstancesType" => 1,
        "ModifyInstancesChargeType" | "DescribeInstancesModification" => 20,
        _ => 100,
    }
}

/// Splits an id list into the chunks one call of `action` accepts.
pub fn chunk_ids<'a>(action: &str, ids: &'a [String]) -> impl Iterator<Item = &'a [String]> {
    ids.chunks(max_ids(action))
}

pub const MAX_LIMIT: u64 = 100;

/// Checks the top-level parameters every action shares by name: id formats, id-list
/// sizes, Limit/Offset (integers for CVM, strings for most VPC lists) and ClientToken.
pub(crate) fn validate_params(service: &str, action: &str, params: &Value) -> Result<(), Error> {
    let Some(obj) = params.as_object() else {
        return Ok(());
    };
    let id_fields: &[(&str, &str)] = &[
        ("InstanceIds", "ins"),
        ("ImageIds", "img"),
        ("ImageId", "img"),
        ("VpcIds", "vpc"),
        ("SubnetIds", "subnet"),
        ("SecurityGroupIds", "sg"),
        ("SecurityGroupId", "sg"),
        ("AddressIds", "eip"),
        ("AddressId", "eip"),
        ("KeyIds", "skey"),
    ];
    for (field, prefix) in id_fields {
        match obj.get(*field) {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) => validate_id(field, prefix, s)?,
            Some(Value::Array(items)) => {
                let max = if *field == "SecurityGroupIds" && action == "AssociateSecurityGroups" {
                    1
                } else {
                    max_ids(action)
                };
                if items.len() > max {
                    return Err(Error::invalid(
                        *field,
                        format!("{} ids given, {action} accepts at most {max}", items.len()),
                    ));
                }
                for item in items {
                    let s = item
                        .as_str()
                        .ok_or_else(|| Error::invalid(*field, "must be strings"))?;
                    validate_id(field, prefix, s)?;
                }
            }
            Some(_) => return Err(Error::invalid(*field, "has the wrong type")),
        }
    }
    // A CVM InstanceId is always an instance; VPC's AssociateAddress also takes lb-… ids.
    if service == "cvm"
        && let Some(Value::String(s)) = obj.get("InstanceId")
    {
        validate_id("InstanceId", "ins", s)?;
    }
    for (field, max) in [("Limit", Some(MAX_LIMIT)), ("Offset", None)] {
        let n = match obj.get(field) {
            None | Some(Value::Null) => continue,
            Some(Value::Number(n)) => n.as_u64(),
            Some(Value::String(s)) => s.parse::<u64>().ok(),
            Some(_) => None,
        };
        match (n, max) {
            (None, _) => return Err(Error::invalid(field, "must be a non-negative integer")),
            (Some(n), Some(max)) if n > max => {
                return Err(Error::invalid(
                    field,
                    format!("{n} exceeds the maximum of {max}"),
                ));
            }
            _ => {}
        }
    }
    if let Some(Value::String(t)) = obj.get("ClientToken")
        && (t.len() > 64 || !t.is_ascii())
    {
        return Err(Error::invalid(
            "ClientToken",
            "must be at most 64 ASCII characters",
        ));
    }
    Ok(())
}

/// Implements [`Action`] for generated request types and adds a typed method per action
/// to [`crate::Client`].
#[macro_export]
#[doc(hidden)]
macro_rules! actions {
    (service = $svc:literal; $( $name:ident => $method:ident($req:ident) -> $resp:ident $($token:ident)?; )*) => {
        $(
            impl $crate::Action for $req {
                const SERVICE: &'static str = $svc;
                const NAME: &'static str = stringify!($name);
                type Output = $resp;
                fn client_token(&self) -> Option<&str> {
                    $crate::actions!(@token self $($token)?)
                }
            }
        )*
        impl $crate::Client {
            $(
                #[doc = concat!("Calls `", $svc, ":", stringify!($name), "` in `region`.")]
                pub async fn $method(&self, region: &str, req: &$req) -> Result<$resp, $crate::Error> {
                    self.call(region, req).await
                }
            )*
        }
    };
    (service = $svc:literal; version = $ver:literal; $( $name:ident => $method:ident($req:ident) -> $resp:ident; )*) => {
        $(
            impl $crate::Action for $req {
                const SERVICE: &'static str = $svc;
                const NAME: &'static str = stringify!($name);
                const VERSION: &'static str = $ver;
                type Output = $resp;
            }
        )*
        impl $crate::Client {
            $(
                #[doc = concat!("Calls `", $svc, ":", stringify!($name), "` (", $ver, ") in `region`.")]
                pub async fn $method(&self, region: &str, req: &$req) -> Result<$resp, $crate::Error> {
                    self.call(region, req).await
                }
            )*
        }
    };
    (@token $self:ident token) => { $self.client_token.as_deref() };
    (@token $self:ident) => { None };
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn safety() {
        assert_eq!(
            retry_safety("DescribeInstances", None),
            RetrySafety::Idempotent
        );
        assert_eq!(
            retry_safety("InquiryPriceRunInstances", None),
            RetrySafety::Idempotent
        );
        assert_eq!(
            retry_safety("RunInstances", Some("t")),
            RetrySafety::ClientToken
        );
        assert_eq!(
            retry_safety("GetMonitorData", None),
            RetrySafety::Idempotent
        );
        assert_eq!(retry_safety("RunInstances", None), RetrySafety::Unsafe);
        assert_eq!(retry_safety("RunInstances", Some("")), RetrySafety::Unsafe);
        assert_eq!(
            retry_safety("AllocateAddresses", Some("t")),
            RetrySafety::ClientToken
        );
        assert_eq!(
            retry_safety("StopInstances", Some("t")),
            RetrySafety::Unsafe
        );
    }

    #[test]
    fn chunks_follow_each_actions_maximum() {
        let ids: Vec<String> = (0..45).map(|i| format!("ins-{i:08}")).collect();
        let sizes = |a| chunk_ids(a, &ids).map(<[String]>::len).collect::<Vec<_>>();
        assert_eq!(sizes("StopInstances"), vec![45]);
        assert_eq!(sizes("ModifyInstancesChargeType"), vec![20, 20, 5]);
        assert_eq!(sizes("ResetInstancesType").len(), 45);
    }

    #[test]
    fn bad_parameters_name_the_field() {
        let field = |svc, action, v: Value| {
            validate_params(svc, action, &v)
                .unwrap_err()
                .field()
                .map(str::to_owned)
        };
        assert_eq!(
            field("cvm", "StopInstances", json!({"InstanceIds": ["ins-1122"]})).as_deref(),
            Some("InstanceIds")
        );
        assert_eq!(
            field(
                "cvm",
                "DescribeImages",
                json!({"ImageIds": ["ins-r8hr2upy"]})
            )
            .as_deref(),
            Some("ImageIds")
        );
        assert_eq!(
            field("vpc", "DescribeVpcs", json!({"VpcIds": ["vpc-x"]})).as_deref(),
            Some("VpcIds")
        );
        assert_eq!(
            field("cvm", "DescribeInstances", json!({"Limit": 101})).as_deref(),
            Some("Limit")
        );
        assert_eq!(
            field("vpc", "DescribeVpcs", json!({"Limit": "101"})).as_deref(),
            Some("Limit")
        );
        assert_eq!(
            field("vpc", "DescribeVpcs", json!({"Offset": "-1"})).as_deref(),
            Some("Offset")
        );
        let ids: Vec<String> = (0..21).map(|i| format!("ins-{i:08}")).collect();
        assert_eq!(
            field(
                "cvm",
                "ModifyInstancesChargeType",
                json!({"InstanceIds": ids})
            )
            .as_deref(),
            Some("InstanceIds")
        );
        assert_eq!(
            field(
                "cvm",
                "ResetInstancesType",
                json!({"InstanceIds": ["ins-00000001", "ins-00000002"]})
            )
            .as_deref(),
            Some("InstanceIds")
        );
        assert_eq!(
            field(
                "cvm",
                "RunInstances",
                json!({"ClientToken": "x".repeat(65)})
            )
            .as_deref(),
            Some("ClientToken")
        );
        assert!(
            validate_params(
                "cvm",
                "DescribeInstances",
                &json!({"Limit": 100, "InstanceIds": ["ins-r8hr2upy"]})
            )
            .is_ok()
        );
        assert!(
            validate_params(
                "vpc",
                "AssociateAddress",
                &json!({"AddressId": "eip-abcdefgh", "InstanceId": "lb-abcdefgh"})
            )
            .is_ok()
        );
    }
}
