//! STS (2018-08-13): AssumeRole and GetCallerIdentity, and the checks a role ARN and a
//! session name must pass before anything is sent.

use crate::{Error, Sensitive};
use serde::{Deserialize, Serialize};

/// `AssumeRole` input.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AssumeRoleRequest {
    #[serde(rename = "RoleArn")]
    pub role_arn: String,
    #[serde(rename = "RoleSessionName")]
    pub role_session_name: String,
    /// Seconds, 0–43200 (Tencent's default: 7200).
    #[serde(
        rename = "DurationSeconds",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub duration_seconds: Option<u64>,
}

/// `Credentials`: the temporary key and its token.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct TemporaryCredentials {
    #[serde(rename = "Token")]
    pub token: Sensitive,
    #[serde(rename = "TmpSecretId")]
    pub tmp_secret_id: String,
    #[serde(rename = "TmpSecretKey")]
    pub tmp_secret_key: Sensitive,
}

/// `AssumeRole` output.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct AssumeRoleResponse {
    #[serde(rename = "Credentials")]
    pub credentials: TemporaryCredentials,
    /// Unix seconds.
    #[serde(rename = "ExpiredTime")]
    pub expired_time: i64,
    #[serde(rename = "Expiration", default)]
    pub expiration: Option<String>,
}

/// `GetCallerIdentity` input (no parameters).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetCallerIdentityRequest {}

/// `GetCallerIdentity` output.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GetCallerIdentityResponse {
    #[serde(rename = "Arn", default)]
    pub arn: String,
    /// The main account's UIN.
    #[serde(rename = "AccountId", default)]
    pub account_id: String,
    #[serde(rename = "UserId", default)]
    pub user_id: String,
    #[serde(rename = "PrincipalId", default)]
    pub principal_id: String,
    #[serde(rename = "Type", default)]
    pub r#type: String,
}

crate::actions! {
    service = "sts";
    version = "2018-08-13";
    AssumeRole => assume_role(AssumeRoleRequest) -> AssumeRoleResponse;
    GetCallerIdentity => get_caller_identity(GetCallerIdentityRequest) -> GetCallerIdentityResponse;
}

/// The longest DurationSeconds AssumeRole accepts (12 hours).
pub const MAX_DURATION_SECONDS: u64 = 43_200;

/// A parsed role ARN: `qcs::cam::uin/<uin>:roleName/<name>` or `…:role/<id>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleArn {
    /// The UIN of the account that owns the role.
    pub account: String,
    pub role: String,
}

/// Parses a role ARN (api.json's `RoleArn`: `qcs::cam::uin/12345678:roleName/testRoleName`
/// or `qcs::cam::uin/12345678:role/4611686018427397919`); the error names `RoleArn`.
pub fn parse_role_arn(arn: &str) -> Result<RoleArn, Error> {
    let bad = || {
        Error::invalid(
            "RoleArn",
            "must look like qcs::cam::uin/<account UIN>:roleName/<role name>",
        )
    };
    let rest = arn.strip_prefix("qcs::cam::uin/").ok_or_else(bad)?;
    let (uin, what) = rest.split_once(':').ok_or_else(bad)?;
    if uin.is_empty() || uin.len() > 20 || !uin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let role = what
        .strip_prefix("roleName/")
        .filter(|n| {
            !n.is_empty()
                && n.len() <= 128
                && n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
        })
        .or_else(|| {
            what.strip_prefix("role/")
                .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
        })
        .ok_or_else(bad)?;
    Ok(RoleArn {
        account: uin.to_owned(),
        role: role.to_owned(),
    })
}

/// RoleSessionName: 2–128 of `[\w+=,.@_-]` (api.json); the error names `RoleSessionName`.
pub fn validate_session_name(name: &str) -> Result<(), Error> {
    let ok = (2..=128).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            "RoleSessionName",
            "must be 2-128 characters of letters, digits and + = , . @ _ -",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_arns() {
        let a = parse_role_arn("qcs::cam::uin/100015158414:roleName/readOnlyRole").unwrap();
        assert_eq!(
            (a.account.as_str(), a.role.as_str()),
            ("100015158414", "readOnlyRole")
        );
        let a = parse_role_arn("qcs::cam::uin/12345678:role/4611686018427397919").unwrap();
        assert_eq!(a.role, "4611686018427397919");
        for bad in [
            "",
            "readOnlyRole",
            "qcs::cam::uin/:roleName/x",
            "qcs::cam::uin/12ab:roleName/x",
            "qcs::cam::uin/123:roleName/",
            "qcs::cam::uin/123:roleName/a b",
            "qcs::cam::uin/123:user/x",
            "qcs::cam::uin/123:role/abc",
            "qcs::cam::uin/123",
        ] {
            assert_eq!(
                parse_role_arn(bad).unwrap_err().field(),
                Some("RoleArn"),
                "{bad}"
            );
        }
    }

    #[test]
    fn session_names() {
        assert!(validate_session_name("cvm-console@desk_1").is_ok());
        for bad in ["", "a", "has space", &"x".repeat(129), "中文"] {
            assert_eq!(
                validate_session_name(bad).unwrap_err().field(),
                Some("RoleSessionName")
            );
        }
    }

    #[test]
    fn temporary_credentials_never_print() {
        let r: AssumeRoleResponse = serde_json::from_str(
            r#"{"Credentials":{"Token":"T0KEN-canary","TmpSecretId":"AKIDtmp","TmpSecretKey":"K3Y-canary"},"ExpiredTime":1543914376,"Expiration":"2018-12-04T09:06:16Z"}"#,
        )
        .unwrap();
        let shown = format!("{r:?}");
        assert!(!shown.contains("canary"), "{shown}");
        assert_eq!(r.credentials.token.expose(), "T0KEN-canary");
    }
}
