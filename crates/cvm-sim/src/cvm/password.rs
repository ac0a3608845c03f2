//! Password rules (for launches and resets) and ResetInstancesPassword.

use super::{QUICK_MS, STARTING_MS, STOPPING_MS, each, require_state, scaled, targets};
use crate::error::{ApiError, ApiResult};
use crate::msg;
use crate::params::Params;
use crate::toolkit::Env;
use crate::world::State;
use serde_json::{Value, json};

/// Argon2id with small parameters (8 MiB, one pass): an emulator's hash, enough that the
/// password itself is never kept, and quick to check while the world is locked.
fn argon2() -> argon2::Argon2<'static> {
    let params = argon2::Params::new(8 * 1024, 1, 1, None).unwrap_or_default();
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
}

/// The PHC string (algorithm, parameters, random salt, hash) of a password.
pub fn hash_password(pw: &str) -> String {
    use argon2::password_hash::{PasswordHasher, SaltString};
    // 16 random bytes from the OS (a v4 UUID's randomness).
    let salt = SaltString::encode_b64(uuid::Uuid::new_v4().as_bytes());
    salt.and_then(|s| {
        argon2()
            .hash_password(pw.as_bytes(), &s)
            .map(|h| h.to_string())
    })
    .unwrap_or_default()
}

/// Whether `pw` is the password `hash` was made from; a malformed hash matches nothing.
pub fn verify_password(pw: &str, hash: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(hash).is_ok_and(|h| argon2().verify_password(pw.as_bytes(), &h).is_ok())
}

pub fn password_ok(pw: &str, windows: bool, min_classes: usize) -> bool {
    const SPECIAL: &str = "()`~!@#$%^&*-+=_|{}[]:;'<>,.?/";
    let (min, max) = if windows { (12, 30) } else { (8, 30) };
    let len = pw.chars().count();
    if len < min || len > max || pw.starts_with('/') {
        return false;
    }
    if !pw
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || SPECIAL.contains(c))
    {
        return false;
    }
    let classes = [
        pw.chars().any(|c| c.is_ascii_lowercase()),
        pw.chars().any(|c| c.is_ascii_uppercase()),
        pw.chars().any(|c| c.is_ascii_digit()),
        pw.chars().any(|c| SPECIAL.contains(c)),
    ];
    classes.iter().filter(|c| **c).count() >= if windows { 3 } else { min_classes }
}

pub fn reset_password(env: &mut Env, p: &Params) -> ApiResult<Value> {
    p.only(&["InstanceIds", "Password", "UserName", "ForceStop"])?;
    let ids = targets(env, p, 100)?;
    let pw = p.str_req("Password")?;
    let user = p.str("UserName")?;
    if user.as_ref().is_some_and(|u| u.len() > 64) {
        return Err(ApiError::new(
            "InvalidParameterValue.TooLong",
            msg::too_long(&"UserName", &64),
        ));
    }
    let force = p.bool("ForceStop")?.unwrap_or(false);
    let r = env.region();
    let any_windows = each(r, &ids).any(|i| i.windows);
    if !password_ok(&pw, any_windows, 3)
        || user
            .as_ref()
            .is_some_and(|u| any_windows && pw.to_lowercase().contains(&u.to_lowercase()))
    {
        return Err(ApiError::new(
            "InvalidParameterValue.InvalidPassword",
            msg::password_too_weak(),
        ));
    }
    for i in each(r, &ids) {
        if i.state == State::Running && !force {
            return Err(ApiError::state("Running", &i.id));
        }
        require_state(i, &[State::Stopped, State::Running])?;
    }
    let (now, req) = (env.ctx.now, env.ctx.request_id.to_owned());
    let (stop, quick, start) = (
        scaled(env, STOPPING_MS),
        scaled(env, QUICK_MS),
        scaled(env, STARTING_MS),
    );
    let hash = hash_password(&pw);
    let r = env.region();
    for id in &ids {
        if let Some(i) = r.get_mut(id) {
            i.password_hash = Some(hash.clone());
            if i.state == State::Running {
                // Forced: stop, reset, start again (what the console does).
                i.state = State::Stopping;
                i.begin(
                    "ResetInstancesPassword",
                    &req,
                    now,
                    &[
                        (stop, Some(State::Stopped)),
                        (quick, Some(State::Starting)),
                        (start, Some(State::Running)),
                    ],
                );
            } else {
                i.begin(
                    "ResetInstancesPassword",
                    &req,
                    now,
                    &[(quick, Some(State::Stopped))],
                );
            }
        }
        r.touch(id);
    }
    Ok(json!({}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_rules() {
        assert!(password_ok("abcd1234", false, 2));
        assert!(!password_ok("abcd1234", false, 3));
        assert!(password_ok("Abcd1234!", false, 3));
        assert!(!password_ok("/Abcd1234", false, 2));
        assert!(!password_ok("Abcd1234!", true, 3));
        assert!(password_ok("Abcd1234!xyz", true, 3));
        assert!(!password_ok("Abcd 1234!", false, 2));
    }

    #[test]
    fn a_hash_matches_its_password_only() {
        let h = hash_password("Abcd1234!");
        assert!(!h.contains("Abcd1234!"));
        assert!(verify_password("Abcd1234!", &h));
        assert!(!verify_password("Abcd1234?", &h));
        assert!(!verify_password("Abcd1234!", "not a hash"));
        // Salted: the same password hashes differently each time.
        assert_ne!(h, hash_password("Abcd1234!"));
    }
}
