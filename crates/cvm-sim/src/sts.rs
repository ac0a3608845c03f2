//! STS (2018-08-13): AssumeRole hands out temporary credentials for a role the caller's
//! account is trusted by, expiring on the world clock; GetCallerIdentity says who signed.

use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::identity::RoleProblem;
use crate::msg;
use crate::params::Params;
use crate::toolkit::Env;
use serde_json::{Value, json};

/// DurationSeconds when none is given, and the most it may be (api.json).
const DEFAULT_DURATION: i64 = 7200;
const MAX_DURATION: i64 = 43_200;

pub fn assume_role(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&[
        "RoleArn",
        "RoleSessionName",
        "DurationSeconds",
        "Policy",
        "ExternalId",
        "Tags",
        "SourceIdentity",
        "SerialNumber",
        "TokenCode",
    ])?;
    let arn = p.str_req("RoleArn")?;
    let session = p.str_req("RoleSessionName")?;
    let session_ok = (2..=128).contains(&session.len())
        && session
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b));
    if !session_ok {
        return Err(ApiError::new(
            "InvalidParameter.ParamError",
            msg::session_name_invalid(),
        ));
    }
    let duration = match p.int("DurationSeconds")? {
        None | Some(0) => DEFAULT_DURATION,
        Some(d) if (1..=MAX_DURATION).contains(&d) => d,
        Some(d) => {
            return Err(ApiError::new(
                "InvalidParameter.OverTimeError",
                msg::duration_out_of_range(&d, &MAX_DURATION),
            ));
        }
    };
    let identity = env.ctx.identity;
    let role = identity.role(&arn).map_err(|e| match e {
        RoleProblem::Malformed => ApiError::new(
            "InvalidParameter.ResouceError",
            msg::role_arn_malformed(&arn),
        ),
        RoleProblem::NotFound => {
            ApiError::new("ResourceNotFound.RoleNotFound", msg::role_not_found(&arn))
        }
    })?;
    let caller = env.ctx.caller;
    if !role.trusted.contains(&caller.account) {
        return Err(ApiError::new(
            "UnauthorizedOperation",
            msg::role_not_trusted(&caller.account, &arn),
        ));
    }
    let now = env.ctx.now;
    let expires = now + duration * 1000;
    let issued = identity.issue(role, &session, &caller.account, now, expires);
    Ok(json!({
        "Credentials": {
            "Token": issued.caller.token,
            "TmpSecretId": issued.secret_id,
            "TmpSecretKey": issued.caller.secret_key,
        },
        "ExpiredTime": expires / 1000,
        "Expiration": clock::iso(expires),
    }))
}

pub fn get_caller_identity(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&[])?;
    let c = env.ctx.caller;
    Ok(json!({
        "Arn": c.arn,
        "AccountId": c.account,
        "UserId": c.user_id,
        "PrincipalId": c.principal,
        "Type": c.kind,
    }))
}
