//! Managing profiles: validation, verification with one signed call (its failures mapped
//! onto the field at fault), and the keyring-plus-file transaction. Secrets come in
//! write-only (`secretKey`, `token`) and never go back out: views carry the masked
//! SecretId only.

use crate::error::{AppCode, AppError, ErrorKind};
use crate::profiles::{self, BudgetChoice, Profile, ProfileKind, SANDBOX_ID, Site, invalid};
use crate::secrets::StoredSecret;
use crate::state::{AppState, build_client, endpoint_for};
use crate::tccli::{self, ImportCandidate, ImportSource};
use crate::types::Language;
use serde::{Deserialize, Serialize};
use std::path::Path;
use tencent_api::{Client, Credentials, Sensitive, models::cvm};
use zeroize::Zeroize;

#[derive(Clone, Debug, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProfilesView {
    pub active: String,
    pub profiles: Vec<ProfileView>,
    /// Set once after start-up when an unreadable profiles.json was moved to this path.
    pub corrupt_backup: Option<String>,
}

#[derive(Clone, Debug, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProfileView {
    #[serde(flatten)]
    pub profile: Profile,
    /// Read-only and not unlocked for this session.
    pub locked: bool,
}

#[derive(Clone, Debug, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct KeyringStatus {
    pub available: bool,
    /// `App.Keyring.*` when unavailable.
    pub code: Option<String>,
    pub message: Option<String>,
    pub service: String,
    /// The Sandbox's generated credential is in the keyring (false: in memory only).
    pub sandbox_credential_in_keyring: Option<bool>,
}

/// A new profile, or the full replacement of an existing one's settings.
#[derive(Clone, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProfileInput {
    pub name: String,
    pub site: Site,
    pub default_region: String,
    pub language: Language,
    pub budget: BudgetChoice,
    pub read_only: bool,
    /// Required for a new profile; when editing, omit all three to keep the stored key.
    pub secret_id: Option<String>,
    pub secret_key: Option<String>,
    pub token: Option<String>,
}

impl std::fmt::Debug for ProfileInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProfileInput")
            .field("name", &self.name)
            .field("site", &self.site)
            .finish_non_exhaustive()
    }
}

/// The key and token arrive as plain strings (that is what IPC deserialises); they are
/// wiped when the input (or a clone of it) is dropped. What outlives the command is a
/// `Sensitive` copy, which wipes itself too.
impl Drop for ProfileInput {
    fn drop(&mut self) {
        self.wipe();
    }
}

impl ProfileInput {
    pub fn wipe(&mut self) {
        self.secret_key.zeroize();
        self.token.zeroize();
    }
}

pub use crate::types::VerifyReport;

fn view(state: &AppState) -> ProfilesView {
    let f = crate::state::lock(&state.profiles).clone();
    ProfilesView {
        active: f.active_profile.clone(),
        profiles: f
            .profiles
            .into_iter()
            .map(|p| ProfileView {
                locked: !state.is_writable(&p),
                profile: p,
            })
            .collect(),
        corrupt_backup: crate::state::lock(&state.corrupt_backup)
            .as_ref()
            .map(|p| p.display().to_string()),
    }
}

pub async fn list_profiles(state: &AppState) -> Result<ProfilesView, AppError> {
    let mut v = view(state);
    // Filling in the Sandbox's masked id starts it, which the first screen needs anyway.
    if let Ok(sb) = state.sandbox().await
        && let Some(p) = v.profiles.iter_mut().find(|p| p.profile.id == SANDBOX_ID)
    {
        p.profile.masked_secret_id = Some(sb.masked_secret_id());
    }
    Ok(v)
}

/// The profiles as [`list_profiles`] gives them, without waiting: None while the Sandbox
/// (whose masked SecretId the view carries) is still starting.
pub fn ready_view(state: &AppState) -> Option<ProfilesView> {
    let sb = state.sandbox.get()?;
    let mut v = view(state);
    if let Some(p) = v.profiles.iter_mut().find(|p| p.profile.id == SANDBOX_ID) {
        p.profile.masked_secret_id = Some(sb.masked_secret_id());
    }
    Some(v)
}

/// The corrupt-file notice has been shown; stop reporting it.
pub fn dismiss_corrupt_notice(state: &AppState) {
    *crate::state::lock(&state.corrupt_backup) = None;
}

pub fn set_active_profile(state: &AppState, id: String) -> Result<ProfilesView, AppError> {
    state.profile(&id)?;
    state.update_profiles(|f| {
        f.active_profile = id.clone();
        Ok(())
    })?;
    Ok(view(state))
}

pub async fn keyring_status(state: &AppState) -> Result<KeyringStatus, AppError> {
    let vault = state.vault.clone();
    let check = tokio::task::spawn_blocking(move || vault.check())
        .await
        .map_err(|e| AppError::internal(AppCode::Keyring, e.to_string()))?;
    let sandbox = state.sandbox.get().map(|s| s.credential_in_keyring);
    Ok(match check {
        Ok(()) => KeyringStatus {
            available: true,
            code: None,
            message: None,
            service: crate::secrets::service_name().into(),
            sandbox_credential_in_keyring: sandbox,
        },
        Err(e) => KeyringStatus {
            available: false,
            code: Some(e.code),
            message: Some(e.message),
            service: crate::secrets::service_name().into(),
            sandbox_credential_in_keyring: sandbox,
        },
    })
}

fn validate_input(
    state: &AppState,
    input: &ProfileInput,
    editing: Option<&str>,
) -> Result<(), AppError> {
    let f = crate::state::lock(&state.profiles).clone();
    profiles::validate_name(&f, &input.name, editing)?;
    profiles::validate_site(&input.site)?;
    profiles::validate_region(&input.default_region)?;
    profiles::validate_budget(&input.budget)?;
    match (&input.secret_id, &input.secret_key) {
        (Some(id), Some(key)) => {
            profiles::validate_secret_id(id)?;
            profiles::validate_secret_key(key)?;
        }
        (None, None) if editing.is_some() => {
            if input.token.is_some() {
                return Err(invalid(
                    "token",
                    "to change the session token, enter the SecretId and SecretKey too",
                ));
            }
        }
        (None, _) => return Err(invalid("secretId", "SecretId is required")),
        (_, None) => return Err(invalid("secretKey", "SecretKey is required")),
    }
    if let Some(t) = &input.token
        && (t.trim().is_empty() || t.len() > 4096)
    {
        return Err(invalid(
            "token",
            "the session token is empty or longer than 4096 characters",
        ));
    }
    Ok(())
}

/// One cheap signed call (DescribeRegions) with a client built exactly as the profile's
/// will be. Failures name the field at fault: an unknown SecretId, a wrong key, an
/// expired token, a clock too far off, or a network problem, each with Tencent's code
/// and RequestId.
async fn verify_credentials(
    credentials: Credentials,
    profile: &Profile,
) -> Result<VerifyReport, AppError> {
    let masked = credentials.masked_secret_id();
    let client = build_client(credentials, endpoint_for(&profile.site), profile)?;
    match client
        .call(
            &profile.default_region,
            &cvm::DescribeRegionsRequest::default(),
        )
        .await
    {
        Ok(r) => Ok(VerifyReport {
            masked_secret_id: masked,
            clock_offset_seconds: i32::try_from(client.clock_offset()).unwrap_or(i32::MAX),
            regions_visible: r.region_set.as_ref().map(|s| s.len() as u32).unwrap_or(0),
        }),
        Err(e) => {
            let mut err = AppError::from(&e);
            let (field, explain) = match err.code.as_str() {
                "AuthFailure.SecretIdNotFound" | "AuthFailure.InvalidSecretId" => (
                    Some("secretId"),
                    "Tencent Cloud does not know this SecretId: it is mistyped, deleted or disabled.",
                ),
                "AuthFailure.SignatureFailure" => (
                    Some("secretKey"),
                    "The SecretKey does not belong to this SecretId.",
                ),
                "AuthFailure.TokenFailure" | "UnauthorizedOperation.InvalidToken" => (
                    Some("token"),
                    "The session token is invalid or has expired: get a new temporary credential.",
                ),
                "AuthFailure.SignatureExpire" => (
                    None,
                    "This computer's clock differs from Tencent Cloud's by more than 5 minutes and could not be corrected: set the clock (enable NTP) and try again.",
                ),
                _ if err.kind == ErrorKind::Network => (
                    Some("site"),
                    "Tencent Cloud could not be reached: check the network and the endpoint.",
                ),
                _ => (None, ""),
            };
            if !explain.is_empty() {
                err.message = format!("{explain} ({})", err.message);
            }
            if let Some(f) = field {
                err.field = Some(f.into());
            }
            Err(err)
        }
    }
}

fn new_id() -> String {
    format!("p-{}", uuid::Uuid::new_v4().simple())
}

async fn keyring<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::internal(AppCode::Keyring, e.to_string()))?
}

fn profile_from(
    input: &ProfileInput,
    id: String,
    masked: Option<String>,
    has_token: bool,
) -> Profile {
    Profile {
        id,
        name: input.name.trim().to_owned(),
        kind: ProfileKind::Cloud,
        site: input.site.clone(),
        default_region: input.default_region.clone(),
        language: input.language,
        budget: input.budget.clone(),
        read_only: input.read_only,
        masked_secret_id: masked,
        has_token,
        last_region: None,
        role: None,
    }
}

/// Validates, verifies with one signed call, stores the secret in the keyring, then the
/// settings on disk. Nothing is stored when any step fails.
pub async fn create(state: &AppState, input: ProfileInput) -> Result<VerifyReport, AppError> {
    validate_input(state, &input, None)?;
    state.vault.check()?;
    let secret = StoredSecret {
        secret_id: input.secret_id.clone().unwrap_or_default(),
        secret_key: Sensitive::new(input.secret_key.clone().unwrap_or_default()),
        token: input.token.clone().map(Sensitive::new),
    };
    save_new(state, &input, secret).await
}

async fn save_new(
    state: &AppState,
    input: &ProfileInput,
    secret: StoredSecret,
) -> Result<VerifyReport, AppError> {
    let id = new_id();
    let profile = profile_from(input, id.clone(), None, secret.token.is_some());
    let report = verify_credentials(secret.credentials(), &profile).await?;
    let vault = state.vault.clone();
    let account = id.clone();
    keyring(move || vault.put(&account, &secret)).await?;
    let saved = state.update_profiles(|f| {
        let mut p = profile.clone();
        p.masked_secret_id = Some(report.masked_secret_id.clone());
        f.profiles.push(p);
        f.active_profile = id.clone();
        Ok(())
    });
    if let Err(e) = saved {
        // Do not leave an orphaned secret behind.
        let vault = state.vault.clone();
        let _ = keyring(move || vault.delete(&id)).await;
        return Err(e);
    }
    Ok(report)
}

pub async fn update_profile(
    state: &AppState,
    id: String,
    input: ProfileInput,
) -> Result<Option<VerifyReport>, AppError> {
    let current = state.profile(&id)?;
    if current.kind == ProfileKind::Sandbox {
        return Err(invalid("profileId", "the Sandbox profile cannot be edited"));
    }
    if current.role.is_some() {
        return Err(invalid(
            "profileId",
            "a role profile has no keys to edit: change its role with the role form",
        ));
    }
    validate_input(state, &input, Some(&id))?;
    let mut next = profile_from(
        &input,
        id.clone(),
        current.masked_secret_id.clone(),
        current.has_token,
    );
    next.last_region = current.last_region.clone();
    let report = match (&input.secret_id, &input.secret_key) {
        (Some(sid), Some(key)) => {
            let secret = StoredSecret {
                secret_id: sid.clone(),
                secret_key: Sensitive::new(key.clone()),
                token: input.token.clone().map(Sensitive::new),
            };
            let report = verify_credentials(secret.credentials(), &next).await?;
            next.masked_secret_id = Some(report.masked_secret_id.clone());
            next.has_token = secret.token.is_some();
            let vault = state.vault.clone();
            let account = id.clone();
            keyring(move || vault.put(&account, &secret)).await?;
            Some(report)
        }
        _ => None,
    };
    state.update_profiles(|f| {
        *f.get_mut(&id).expect("checked above") = next;
        Ok(())
    })?;
    state.forget_client(&id);
    Ok(report)
}

pub async fn verify_profile(state: &AppState, id: String) -> Result<VerifyReport, AppError> {
    let profile = state.profile(&id)?;
    let client = state.client(&profile).await?;
    match client.credentials() {
        Some(c) => verify_credentials(c.clone(), &profile).await,
        None => verify_role(&client, &profile).await,
    }
}

/// A role profile's check: one DescribeRegions through the role (which assumes it first).
async fn verify_role(client: &Client, profile: &Profile) -> Result<VerifyReport, AppError> {
    let r = client
        .call(
            &profile.default_region,
            &cvm::DescribeRegionsRequest::default(),
        )
        .await
        .map_err(|e| crate::state::role_field(e.into()))?;
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

/// `delete`, after checking the typed name the dialog sent.
pub async fn delete_confirmed(
    state: &AppState,
    id: String,
    confirm_name: String,
) -> Result<ProfilesView, AppError> {
    let profile = state.profile(&id)?;
    crate::consent::check_named("confirmName", &confirm_name, &[profile.name.as_str()])?;
    delete(state, id).await
}

/// Deletes the keyring entry first: a profile must never disappear from the list while
/// its secret stays behind.
pub async fn delete(state: &AppState, id: String) -> Result<ProfilesView, AppError> {
    let profile = state.profile(&id)?;
    if profiles::is_shipped(&profile) {
        return Err(invalid(
            "profileId",
            "the Sandbox profile cannot be deleted (use Reset sandbox)",
        ));
    }
    let dependents: Vec<String> = crate::state::lock(&state.profiles)
        .profiles
        .iter()
        .filter(|p| p.role.as_ref().is_some_and(|r| r.base_profile_id == id))
        .map(|p| p.name.clone())
        .collect();
    if !dependents.is_empty() {
        return Err(invalid(
            "profileId",
            format!(
                "role profiles assume their role through this profile: delete {} first",
                dependents.join(", ")
            ),
        ));
    }
    if profile.role.is_none() {
        let vault = state.vault.clone();
        let account = id.clone();
        keyring(move || vault.delete(&account)).await?;
    }
    state.update_profiles(|f| {
        f.profiles.retain(|p| p.id != id);
        if f.active_profile == id {
            f.active_profile = SANDBOX_ID.into();
        }
        Ok(())
    })?;
    state.forget_client(&id);
    state.set_unlocked(&id, false);
    Ok(view(state))
}

/// Unlocks a read-only profile for this session (or locks it again). Unlocking lets
/// the profile change and buy things, so it needs the dialog's confirmation: the
/// profile's id. Locking again needs none.
pub fn set_profile_unlocked(
    state: &AppState,
    id: String,
    unlocked: bool,
    confirm: Option<String>,
) -> Result<ProfilesView, AppError> {
    let profile = state.profile(&id)?;
    if unlocked {
        crate::consent::check_named(
            "confirm",
            confirm.as_deref().unwrap_or_default(),
            &[profile.id.as_str()],
        )?;
    }
    state.set_unlocked(&id, unlocked);
    Ok(view(state))
}

pub fn import_candidates(home: &Path) -> Vec<ImportCandidate> {
    tccli::candidates(home)
}

/// Imports credentials from tccli or the environment into a new profile on `site`
/// (verified first, secret into the keyring). The region comes from the source.
pub async fn import_profile(
    home: &Path,
    state: &AppState,
    source: ImportSource,
    name: String,
    site: Site,
) -> Result<VerifyReport, AppError> {
    profiles::validate_site(&site)?;
    let found = tccli::read(home, &source)?;
    profiles::validate_secret_id(&found.secret.secret_id)?;
    profiles::validate_secret_key(found.secret.secret_key.expose())?;
    let role = found.role()?;
    let region = found
        .region
        .clone()
        .filter(|r| profiles::validate_region(r).is_ok())
        .unwrap_or_else(|| "ap-guangzhou".into());
    // A role source becomes two profiles: its keys, and the role assumed through them
    // under the name asked for.
    let keys_name = match &role {
        Some(_) => format!("{} (keys)", name.trim()),
        None => name.clone(),
    };
    let input = ProfileInput {
        name: keys_name,
        site,
        default_region: region,
        language: Language::ZhCn,
        budget: BudgetChoice::Current,
        read_only: false,
        secret_id: None,
        secret_key: None,
        token: None,
    };
    {
        let f = crate::state::lock(&state.profiles).clone();
        profiles::validate_name(&f, &name, None)?;
        profiles::validate_name(&f, &input.name, None)?;
    }
    state.vault.check()?;
    let Some(role) = role else {
        return save_new(state, &input, found.secret).await;
    };
    save_new(state, &input, found.secret).await?;
    let base_profile_id = crate::state::lock(&state.profiles).active_profile.clone();
    let made = crate::roles::create(
        state,
        crate::roles::RoleProfileInput {
            name,
            base_profile_id: base_profile_id.clone(),
            role_arn: role.role_arn,
            session_name: role.session_name,
            duration_seconds: TCCLI_ROLE_SECONDS,
            read_only: false,
        },
    )
    .await;
    match made {
        Ok(report) => {
            let role_id = crate::state::lock(&state.profiles)
                .profiles
                .iter()
                .find(|p| {
                    p.role
                        .as_ref()
                        .is_some_and(|r| r.base_profile_id == base_profile_id)
                })
                .map(|p| p.id.clone());
            if let Some(id) = role_id {
                state.update_profiles(|f| {
                    f.active_profile = id;
                    Ok(())
                })?;
            }
            Ok(report)
        }
        Err(e) => {
            // Nothing is kept when the role cannot be assumed: the key profile goes too.
            if let Err(undo) = delete(state, base_profile_id).await {
                tracing::warn!("could not remove the imported keys after the role failed: {undo}");
            }
            Err(e)
        }
    }
}

/// How long each set of a tccli role's temporary credentials lasts: tccli's (the Python
/// SDK's `STSAssumeRoleCredential`) default.
const TCCLI_ROLE_SECONDS: u32 = 7200;

/// Deletes `~/.tccli/<profile>.credential` after an import. `confirm` is the file's path
/// as the dialog showed it (the candidate's `credentialFile`). Only a regular file that
/// still holds the key now in the keyring for a profile is deleted (see
/// `tccli::delete_tccli_credential`). Returns the deleted path.
pub async fn delete_tccli_credential(
    home: &Path,
    state: &AppState,
    profile: String,
    confirm: String,
) -> Result<String, AppError> {
    let home = home.to_owned();
    let profiles = crate::state::lock(&state.profiles).profiles.clone();
    let vault = state.vault.clone();
    keyring(move || {
        tccli::delete_tccli_credential(&home, &profile, &confirm, |found| {
            tccli::imported_into(&profiles, &vault, found)
        })
    })
    .await
}

/// Puts the Sandbox's simulated world back to its first state. `confirm` is the Sandbox
/// profile's id, which the confirmation dialog sends.
pub async fn reset_sandbox(state: &AppState, confirm: String) -> Result<(), AppError> {
    crate::consent::check_named("confirm", &confirm, &[SANDBOX_ID])?;
    state.sandbox().await?.reset()
}

/// The Sandbox's world clock, as its profile shows it.
#[derive(Clone, Debug, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SandboxClock {
    /// The Sandbox's time, Unix seconds (a plain number in TypeScript: exact there).
    #[specta(type = u32)]
    pub now_unix: i64,
    /// How far it runs ahead of real time, in seconds (0 until time has been let pass).
    #[specta(type = u32)]
    pub ahead_seconds: i64,
}

/// The most time one step lets pass: 30 days (a prepaid month runs out within it).
pub const MAX_PASS_HOURS: u32 = 30 * 24;

fn clock_of(sandbox: &crate::sandbox::Sandbox) -> SandboxClock {
    let now_unix = sandbox.now_unix();
    let real = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(now_unix);
    SandboxClock {
        now_unix,
        ahead_seconds: (now_unix - real).max(0),
    }
}

pub async fn sandbox_clock(state: &AppState) -> Result<SandboxClock, AppError> {
    Ok(clock_of(state.sandbox().await?))
}

/// Lets `hours` pass in the Sandbox's world: transitions fall due, prepaid instances
/// expire, role credentials lapse. Only Reset undoes it, so `confirm` is the Sandbox
/// profile's id, which the confirmation dialog sends. A real account's profile is refused:
/// nobody moves Tencent's clock.
pub async fn let_sandbox_time_pass(
    state: &AppState,
    profile_id: &str,
    hours: u32,
    confirm: String,
) -> Result<SandboxClock, AppError> {
    let profile = state.profile(profile_id)?;
    if profile.kind != ProfileKind::Sandbox {
        return Err(invalid(
            "profileId",
            "time can be let pass only in the Sandbox: this profile is a real account",
        ));
    }
    if !(1..=MAX_PASS_HOURS).contains(&hours) {
        return Err(invalid(
            "hours",
            format!("must be 1-{MAX_PASS_HOURS} hours (up to 30 days) at a time"),
        ));
    }
    crate::consent::check_named("confirm", &confirm, &[SANDBOX_ID])?;
    let sandbox = state.sandbox().await?;
    sandbox.advance_clock(std::time::Duration::from_secs(u64::from(hours) * 3600));
    sandbox.save()?;
    tracing::info!(hours, "Sandbox: time let pass");
    Ok(clock_of(sandbox))
}

#[cfg(test)]
mod input_tests {
    use super::*;

    const KEY: &str = "CanaryKeyThatMustNotLeak0000000001";

    fn input() -> ProfileInput {
        ProfileInput {
            name: "prod".into(),
            site: Site::China,
            default_region: "ap-guangzhou".into(),
            language: Language::EnUs,
            budget: BudgetChoice::Current,
            read_only: false,
            secret_id: Some("AKIDcanary0000000000000000000000001".into()),
            secret_key: Some(KEY.into()),
            token: Some("CanaryTokenThatMustNotLeak".into()),
        }
    }

    #[test]
    fn debug_output_names_no_secret() {
        let shown = format!("{:?} {:#?}", input(), input());
        assert!(shown.contains("prod"), "{shown}");
        assert!(!shown.contains(KEY), "{shown}");
        assert!(!shown.contains("CanaryToken"), "{shown}");
        assert!(!shown.contains("AKIDcanary"), "{shown}");
    }

    #[test]
    fn dropping_the_input_wipes_the_key_and_token() {
        // What Drop runs, observed on a live value (reading freed memory would need unsafe).
        let mut i = input();
        i.wipe();
        assert_eq!(i.secret_key, None);
        assert_eq!(i.token, None);
        assert_eq!(i.name, "prod");
    }
}

#[cfg(test)]
mod import_tests {
    use super::*;
    use crate::secrets::Vault;
    use std::sync::Arc;

    const ROLE: &str = "qcs::cam::uin/100000000002:roleName/ops";

    async fn sim() -> cvm_sim::SimHandle {
        cvm_sim::start(cvm_sim::Config {
            time_scale: 0.0,
            roles: vec![cvm_sim::Role {
                account: "100000000002".into(),
                name: "ops".into(),
                id: "4611686018427390001".into(),
                trusted: vec![cvm_sim::DEFAULT_ACCOUNT.into()],
            }],
            ..Default::default()
        })
        .await
        .unwrap()
    }

    fn tccli_file(home: &Path, arn: &str, session: &str) {
        let dir = tccli::tccli_dir(home);
        std::fs::create_dir_all(&dir).unwrap();
        let body = serde_json::json!({
            "secretId": cvm_sim::DEFAULT_SECRET_ID,
            "secretKey": cvm_sim::DEFAULT_SECRET_KEY,
            "role-arn": arn,
            "role-session-name": session,
        });
        std::fs::write(dir.join("ops.credential"), body.to_string()).unwrap();
    }

    fn names(state: &AppState) -> Vec<String> {
        crate::state::lock(&state.profiles)
            .profiles
            .iter()
            .map(|p| p.name.clone())
            .collect()
    }

    /// tccli's role profile becomes a key profile and a role profile assumed through it;
    /// a role that cannot be assumed, or half a role, keeps nothing.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_tccli_role_profile_imports_as_a_role_through_its_keys() {
        let sim = sim().await;
        let home = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<keyring_core::CredentialStore> = keyring_core::mock::Store::new().unwrap();
        let vault = Vault::with_store(store, "import-test");
        let state =
            AppState::new(dir.path().join("config"), dir.path().join("data"), vault).unwrap();
        let site = || Site::Custom {
            url: sim.base_url(),
        };
        let source = || ImportSource::Tccli {
            profile: "ops".into(),
        };
        let before = names(&state);

        // Half a role, a malformed ARN, a bad session name: refused naming the field,
        // before anything is sent or saved.
        for (arn, session, field) in [
            (ROLE, "", "sessionName"),
            ("ops", "s1", "roleArn"),
            (ROLE, "a b", "sessionName"),
        ] {
            tccli_file(home.path(), arn, session);
            let e = import_profile(home.path(), &state, source(), "Ops".into(), site())
                .await
                .unwrap_err();
            assert_eq!(e.field.as_deref(), Some(field), "{arn} {session:?}");
            assert_eq!(names(&state), before);
        }
        // A role this account may not assume: refused on the ARN, and the keys it had
        // saved on the way are gone again.
        tccli_file(
            home.path(),
            "qcs::cam::uin/100000000002:roleName/nobody",
            "tccli-session",
        );
        let e = import_profile(home.path(), &state, source(), "Ops".into(), site())
            .await
            .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("roleArn"), "{e:?}");
        assert_eq!(names(&state), before);

        tccli_file(home.path(), ROLE, "tccli-session");
        let report = import_profile(home.path(), &state, source(), "Ops".into(), site())
            .await
            .unwrap();
        assert_eq!(report.masked_secret_id, ROLE);
        let file = crate::state::lock(&state.profiles).clone();
        let keys = file
            .profiles
            .iter()
            .find(|p| p.name == "Ops (keys)")
            .unwrap();
        assert!(keys.role.is_none() && keys.kind == ProfileKind::Cloud);
        let role = file.profiles.iter().find(|p| p.name == "Ops").unwrap();
        let source = role.role.as_ref().unwrap();
        assert_eq!(source.base_profile_id, keys.id);
        assert_eq!(source.role_arn, ROLE);
        assert_eq!(source.session_name, "tccli-session");
        assert_eq!(source.duration_seconds, 7200);
        assert_eq!(file.active_profile, role.id);
        // The role profile acts in the role's account.
        let who = state.identity(role).await.unwrap();
        assert_eq!(who.account_id, "100000000002");
    }
}
