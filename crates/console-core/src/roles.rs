//! Role profiles: "role R assumed through profile P". Creating one checks the input
//! (field by field), then assumes the role once through P and makes one call as the role;
//! nothing is saved unless both succeed. The temporary credentials are never stored: each
//! session's client assumes the role again and refreshes it before it expires.

use crate::error::{AppCode, AppError};
use crate::profiles::{self, Profile, RoleSource, invalid};
use crate::state::{AppState, CallerIdentity, role_field};
use crate::types::VerifyReport;
use serde::Deserialize;
use tencent_api::models::cvm;
use tencent_api::models::sts::{MAX_DURATION_SECONDS, parse_role_arn, validate_session_name};

/// A new role profile.
#[derive(Clone, Debug, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RoleProfileInput {
    pub name: String,
    /// The profile whose keys assume the role.
    pub base_profile_id: String,
    /// `qcs::cam::uin/<account UIN>:roleName/<role name>`.
    pub role_arn: String,
    pub session_name: String,
    /// 900-43,200 seconds per set of temporary credentials.
    pub duration_seconds: u32,
    pub read_only: bool,
}

/// The field-level checks, before anything is sent.
pub fn validate(state: &AppState, input: &RoleProfileInput) -> Result<Profile, AppError> {
    validate_except(state, input, None)
}

/// As [`validate`]; `editing` is the id of the profile being changed (its own name is free).
fn validate_except(
    state: &AppState,
    input: &RoleProfileInput,
    editing: Option<&str>,
) -> Result<Profile, AppError> {
    let file = crate::state::lock(&state.profiles).clone();
    profiles::validate_name(&file, &input.name, editing)?;
    let base = file
        .get(&input.base_profile_id)
        .cloned()
        .ok_or_else(|| invalid("baseProfileId", "no profile with this id"))?;
    if base.role.is_some() {
        return Err(invalid(
            "baseProfileId",
            "this profile is itself a role: choose a profile with keys",
        ));
    }
    parse_role_arn(input.role_arn.trim()).map_err(|e| {
        invalid(
            "roleArn",
            format!("{} (e.g. qcs::cam::uin/100000000001:roleName/ops)", e),
        )
    })?;
    validate_session_name(&input.session_name)
        .map_err(|e| invalid("sessionName", e.to_string()))?;
    let d = u64::from(input.duration_seconds);
    if !(tencent_api::MIN_DURATION_SECONDS..=MAX_DURATION_SECONDS).contains(&d) {
        return Err(invalid(
            "durationSeconds",
            format!(
                "must be {}-{MAX_DURATION_SECONDS} seconds",
                tencent_api::MIN_DURATION_SECONDS
            ),
        ));
    }
    Ok(Profile {
        id: format!("p-{}", uuid::Uuid::new_v4().simple()),
        name: input.name.trim().to_owned(),
        read_only: input.read_only,
        masked_secret_id: None,
        has_token: true,
        last_region: None,
        role: Some(RoleSource {
            base_profile_id: base.id.clone(),
            role_arn: input.role_arn.trim().to_owned(),
            session_name: input.session_name.clone(),
            duration_seconds: input.duration_seconds,
        }),
        ..base
    })
}

/// Validates, assumes the role and calls DescribeRegions as it, then saves the profile.
/// A malformed ARN, a role the base profile may not assume or an unknown role is refused
/// naming `roleArn`, with Tencent's code; nothing is saved.
pub async fn create(state: &AppState, input: RoleProfileInput) -> Result<VerifyReport, AppError> {
    let profile = validate(state, &input)?;
    let verified = verify(state, &profile).await;
    let report = match verified {
        Ok(r) => r,
        Err(e) => {
            state.forget_client(&profile.id);
            return Err(e);
        }
    };
    let saved = state.update_profiles(|f| {
        f.profiles.push(profile.clone());
        Ok(())
    });
    if let Err(e) = saved {
        state.forget_client(&profile.id);
        return Err(e);
    }
    Ok(report)
}

/// Changes a role profile the user added: checked like a new one (the role assumed once
/// through the base profile and one call made as it) before anything is saved, so a
/// refused change leaves the profile as it was. Its sessions then assume the new role.
pub async fn update(
    state: &AppState,
    id: &str,
    input: RoleProfileInput,
) -> Result<VerifyReport, AppError> {
    let current = state.profile(id)?;
    if current.role.is_none() {
        return Err(invalid(
            "profileId",
            "this profile has keys, not a role: edit it with the keys form",
        ));
    }
    if profiles::is_shipped(&current) {
        return Err(invalid(
            "profileId",
            "the Sandbox's own role profiles cannot be changed: add a role of your own",
        ));
    }
    let mut next = validate_except(state, &input, Some(id))?;
    next.id = current.id.clone();
    next.last_region = current.last_region.clone();
    // Checked on a client of its own: the profile's cached client still acts as the old role.
    let probe = Profile {
        id: format!("{}-check-{}", current.id, uuid::Uuid::new_v4().simple()),
        ..next.clone()
    };
    let verified = verify(state, &probe).await;
    state.forget_client(&probe.id);
    let report = verified?;
    state.update_profiles(|f| {
        let slot = f
            .profiles
            .iter_mut()
            .find(|p| p.id == next.id)
            .ok_or_else(|| invalid("profileId", "the profile was deleted meanwhile"))?;
        *slot = next.clone();
        Ok(())
    })?;
    state.forget_client(id);
    Ok(report)
}

async fn verify(state: &AppState, profile: &Profile) -> Result<VerifyReport, AppError> {
    let client = state.client(profile).await?;
    let r = client
        .call(
            &profile.default_region,
            &cvm::DescribeRegionsRequest::default(),
        )
        .await
        .map_err(|e| role_field(e.into()))?;
    Ok(VerifyReport {
        masked_secret_id: profile
            .role
            .as_ref()
            .map(|r| r.role_arn.clone())
            .unwrap_or_default(),
        clock_offset_seconds: i32::try_from(client.clock_offset()).unwrap_or(i32::MAX),
        regions_visible: r.region_set.as_ref().map(|s| s.len() as u32).unwrap_or(0),
    })
}

/// Names the profile in an error about its role credentials (`App.RoleCredentialsFailed`),
/// so that among many accounts the one to fix is plain; other errors pass as they are.
pub fn name_profile(profile: &Profile, mut e: AppError) -> AppError {
    if e.code == AppCode::RoleCredentialsFailed {
        e.message = format!("Profile “{}”: {}", profile.name, e.message);
        e.field = Some("profileId".into());
    }
    e
}

/// The profile's account UIN and caller ARN (GetCallerIdentity, asked once per session).
pub async fn identity(state: &AppState, profile_id: &str) -> Result<CallerIdentity, AppError> {
    let profile = state.profile(profile_id)?;
    state.identity(&profile).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::activity::ActivityFilter;
    use crate::profiles::SANDBOX_ID;
    use crate::secrets::Vault;
    use std::sync::Arc;

    fn state_in(dir: &std::path::Path) -> AppState {
        let store: Arc<keyring_core::CredentialStore> = keyring_core::mock::Store::new().unwrap();
        AppState::new(
            dir.join("config"),
            dir.join("data"),
            Vault::with_store(store, "roles-test"),
        )
        .unwrap()
    }

    fn calls(state: &AppState, profile: &str, action: &str) -> Vec<u32> {
        state
            .activity
            .query(&ActivityFilter {
                profile_id: Some(profile.into()),
                ..Default::default()
            })
            .into_iter()
            .filter(|e| e.action == action)
            .map(|e| e.attempts)
            .collect()
    }

    /// The Sandbox ships two accounts reached through roles: each is its own account, with
    /// its own budget, and its calls carry the role's temporary credentials.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_sandbox_roles_are_accounts_of_their_own() {
        let dir = tempfile::tempdir().unwrap();
        let state = state_in(dir.path());
        let base = state.profile(SANDBOX_ID).unwrap();
        let me = state.identity(&base).await.unwrap();
        assert_eq!(me.account_id, cvm_sim::DEFAULT_ACCOUNT);
        let mut accounts = vec![me.account_id];
        for (uin, role, id, _) in cvm_sim::SANDBOX_ROLE_ACCOUNTS {
            let p = state.profile(&format!("{SANDBOX_ID}-{role}")).unwrap();
            let who = identity(&state, &p.id).await.unwrap();
            assert_eq!(who.account_id, uin);
            assert_eq!(who.user_id, format!("{id}:cvm-console"));
            assert!(who.arn.contains(uin), "{}", who.arn);
            let c = state.client(&p).await.unwrap();
            assert!(
                c.credentials().is_none(),
                "a role signs with temporary keys"
            );
            assert!(!Arc::ptr_eq(
                c.budget(),
                state.client(&base).await.unwrap().budget()
            ));
            accounts.push(who.account_id);
        }
        accounts.dedup();
        assert_eq!(accounts.len(), 3);
    }

    /// The token expires on the Sandbox's clock; the next call is refused, the role is
    /// assumed again and the call sent once more, and it succeeds.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_expired_token_is_refreshed_and_the_call_retried_once() {
        let dir = tempfile::tempdir().unwrap();
        let state = state_in(dir.path());
        let p = state
            .profile(&format!("{SANDBOX_ID}-fleet-operator"))
            .unwrap();
        let c = state.client(&p).await.unwrap();
        let req = cvm::DescribeZonesRequest::default();
        c.describe_zones("ap-guangzhou", &req).await.unwrap();
        assert_eq!(calls(&state, SANDBOX_ID, "AssumeRole"), vec![1]);
        state
            .sandbox()
            .await
            .unwrap()
            .advance_clock(std::time::Duration::from_secs(2 * 3600));
        c.describe_zones("ap-guangzhou", &req).await.unwrap();
        assert_eq!(calls(&state, SANDBOX_ID, "AssumeRole"), vec![1, 1]);
        // The second DescribeZones took two attempts: refused, then sent again.
        let zones = calls(&state, &p.id, "DescribeZones");
        assert_eq!(zones.iter().filter(|a| **a == 2).count(), 1, "{zones:?}");
    }

    fn input(arn: &str) -> RoleProfileInput {
        RoleProfileInput {
            name: "Ops".into(),
            base_profile_id: SANDBOX_ID.into(),
            role_arn: arn.into(),
            session_name: "desk".into(),
            duration_seconds: 3600,
            read_only: false,
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn bad_role_input_names_its_field_and_saves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let state = state_in(dir.path());
        let before = crate::state::lock(&state.profiles).profiles.len();
        let good = "qcs::cam::uin/100000000002:roleName/fleet-operator";
        let cases: Vec<(RoleProfileInput, &str)> = vec![
            (input("fleet-operator"), "roleArn"),
            (input("qcs::cam::uin/10000x:roleName/a"), "roleArn"),
            (
                RoleProfileInput {
                    session_name: "a b".into(),
                    ..input(good)
                },
                "sessionName",
            ),
            (
                RoleProfileInput {
                    duration_seconds: 60,
                    ..input(good)
                },
                "durationSeconds",
            ),
            (
                RoleProfileInput {
                    base_profile_id: "nope".into(),
                    ..input(good)
                },
                "baseProfileId",
            ),
            (
                RoleProfileInput {
                    base_profile_id: format!("{SANDBOX_ID}-fleet-auditor"),
                    ..input(good)
                },
                "baseProfileId",
            ),
            (
                RoleProfileInput {
                    name: "Sandbox".into(),
                    ..input(good)
                },
                "name",
            ),
            // Well formed, but no such role: Tencent's answer, on the ARN.
            (
                input("qcs::cam::uin/100000000002:roleName/nobody"),
                "roleArn",
            ),
        ];
        for (i, field) in cases {
            let e = create(&state, i).await.unwrap_err();
            assert_eq!(e.field.as_deref(), Some(field), "{e:?}");
        }
        let e = create(&state, input("qcs::cam::uin/100000000002:roleName/nobody"))
            .await
            .unwrap_err();
        assert_eq!(e.code, "ResourceNotFound.RoleNotFound");
        assert_eq!(crate::state::lock(&state.profiles).profiles.len(), before);
        // And a good one is saved.
        let r = create(&state, input(good)).await.unwrap();
        assert_eq!(r.masked_secret_id, good);
        assert_eq!(
            crate::state::lock(&state.profiles).profiles.len(),
            before + 1
        );
        // A role the user added through the Sandbox is theirs to delete; the shipped ones stay.
        let id = crate::state::lock(&state.profiles)
            .profiles
            .iter()
            .find(|p| p.name == "Ops")
            .map(|p| p.id.clone())
            .unwrap();
        crate::accounts::delete(&state, id).await.unwrap();
        let shipped = format!("{SANDBOX_ID}-fleet-operator");
        let e = crate::accounts::delete(&state, shipped).await.unwrap_err();
        assert_eq!(e.field.as_deref(), Some("profileId"));
        assert_eq!(crate::state::lock(&state.profiles).profiles.len(), before);
    }

    /// Editing checks the new role before saving: a refused change keeps the old role, a
    /// good one is saved and the next call acts as the new role.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_edited_role_is_checked_before_it_replaces_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let state = state_in(dir.path());
        let operator = "qcs::cam::uin/100000000002:roleName/fleet-operator";
        let auditor = "qcs::cam::uin/100000000003:roleName/fleet-auditor";
        create(&state, input(operator)).await.unwrap();
        let id = crate::state::lock(&state.profiles)
            .profiles
            .iter()
            .find(|p| p.name == "Ops")
            .map(|p| p.id.clone())
            .unwrap();
        let who = identity(&state, &id).await.unwrap();
        assert_eq!(who.account_id, "100000000002");
        let saved = || state.profile(&id).unwrap().role.unwrap();
        let cases: Vec<(RoleProfileInput, &str)> = vec![
            (input("fleet-auditor"), "roleArn"),
            (
                input("qcs::cam::uin/100000000003:roleName/nobody"),
                "roleArn",
            ),
            (
                RoleProfileInput {
                    name: "Sandbox".into(),
                    ..input(auditor)
                },
                "name",
            ),
            (
                RoleProfileInput {
                    duration_seconds: 43_201,
                    ..input(auditor)
                },
                "durationSeconds",
            ),
        ];
        for (i, field) in cases {
            let e = update(&state, &id, i).await.unwrap_err();
            assert_eq!(e.field.as_deref(), Some(field), "{e:?}");
            assert_eq!(saved().role_arn, operator, "nothing saved");
        }
        // Its own name is not a duplicate; the new role and session are saved and used.
        let r = update(
            &state,
            &id,
            RoleProfileInput {
                session_name: "night-shift".into(),
                ..input(auditor)
            },
        )
        .await
        .unwrap();
        assert_eq!(r.masked_secret_id, auditor);
        assert_eq!(saved().role_arn, auditor);
        assert_eq!(saved().session_name, "night-shift");
        let who = identity(&state, &id).await.unwrap();
        assert_eq!(who.account_id, "100000000003");
        assert!(who.user_id.ends_with(":night-shift"), "{}", who.user_id);
        // Neither keys profiles nor the Sandbox's own roles are edited here.
        let e = update(&state, SANDBOX_ID, input(auditor))
            .await
            .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("profileId"));
        let shipped = format!("{SANDBOX_ID}-fleet-operator");
        let e = update(&state, &shipped, input(auditor)).await.unwrap_err();
        assert_eq!(e.field.as_deref(), Some("profileId"));
        assert_eq!(
            state.profile(&shipped).unwrap().name,
            "Sandbox fleet-operator"
        );
    }

    /// A role that trusts another account: the base profile may not assume it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_role_the_base_may_not_assume_is_refused_on_the_arn() {
        let sim = cvm_sim::start(cvm_sim::Config {
            time_scale: 0.0,
            roles: vec![cvm_sim::Role {
                account: "100000000007".into(),
                name: "elsewhere".into(),
                id: "4611686018427397999".into(),
                trusted: vec!["100000000008".into()],
            }],
            ..Default::default()
        })
        .await
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let state = state_in(dir.path());
        let key = &sim.credentials()[0];
        let mut base = Profile::sandbox();
        base.id = "p-base".into();
        base.name = "Base".into();
        base.kind = crate::profiles::ProfileKind::Cloud;
        base.site = crate::profiles::Site::Custom {
            url: sim.base_url(),
        };
        state
            .vault
            .put(
                &base.id,
                &crate::secrets::StoredSecret {
                    secret_id: key.secret_id.clone(),
                    secret_key: tencent_api::Sensitive::new(key.secret_key.clone()),
                    token: None,
                },
            )
            .unwrap();
        let added = base.clone();
        state
            .update_profiles(|f| {
                f.profiles.push(added);
                Ok(())
            })
            .unwrap();
        let before = crate::state::lock(&state.profiles).profiles.len();
        let e = create(
            &state,
            RoleProfileInput {
                base_profile_id: base.id.clone(),
                ..input("qcs::cam::uin/100000000007:roleName/elsewhere")
            },
        )
        .await
        .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("roleArn"));
        assert_eq!(e.code, "UnauthorizedOperation");
        assert_eq!(crate::state::lock(&state.profiles).profiles.len(), before);
        sim.shutdown().await.unwrap();
    }
}
