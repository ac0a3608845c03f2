//! The app's shared state: profiles, the keyring, the Sandbox and one API client per
//! profile (each with its own rate budget, shared by everything that profile does).

use crate::activity::ActivityLog;
use crate::error::{AppCode, AppError};
use crate::profiles::{
    BudgetChoice, Profile, ProfileKind, ProfileStore, ProfilesFile, RoleSource, Site, invalid,
};
use crate::sandbox::Sandbox;
use crate::secrets::Vault;
use crate::types::Language;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Weak;
use std::sync::{Arc, Mutex};
use tencent_api::models::sts::GetCallerIdentityRequest;
use tencent_api::{
    AssumedRole, Budget, BudgetProfile, Client, ClientBuilder, Credentials, Endpoint, Limit,
};
use tokio::sync::OnceCell;

pub const REQUEST_CLIENT: &str = concat!("CVM-Console_", env!("CARGO_PKG_VERSION"));

/// Something start-up found that the user must hear about (a data file moved aside, the
/// Sandbox not starting), kept until the UI dismisses it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct StartupNotice {
    /// What it is about: `journal`, `sandbox`. One notice per id.
    pub id: String,
    pub message: String,
    /// The file it concerns (a backup the user may want to open), if any.
    pub path: Option<String>,
}

pub struct AppState {
    pub store: ProfileStore,
    /// Every API call made through the profiles' clients.
    pub activity: Arc<ActivityLog>,
    pub profiles: Mutex<ProfilesFile>,
    /// Where an unreadable profiles.json was moved at start-up, until the UI has shown it.
    pub corrupt_backup: Mutex<Option<PathBuf>>,
    pub vault: Vault,
    pub sandbox_state_file: PathBuf,
    pub sandbox: OnceCell<Sandbox>,
    /// Pending and recent launches (the wizard's ClientToken journal).
    pub launches: crate::journal::Journal,
    /// Where settings live (the app's known_hosts, the key paths).
    pub config_dir: PathBuf,
    /// The fleet's saved views (alert rules watch them by id).
    pub views: crate::views::ViewStore,
    /// Open SSH sessions by id: the sender feeds the shell; dropping it ends the session.
    pub ssh_sessions: Mutex<HashMap<String, tokio::sync::mpsc::Sender<crate::connect::Input>>>,
    /// One cell per profile: concurrent first calls wait for one build, so the profile
    /// has exactly one client and one rate budget.
    clients: Mutex<HashMap<String, Arc<OnceCell<Client>>>>,
    /// Clients in another `X-TC-Language` than the profile's, sharing its budget.
    language_clients: Mutex<HashMap<(String, &'static str), Client>>,
    /// One rate budget per account: `uin:<UIN>` (learned from GetCallerIdentity, or a
    /// role's ARN) or `sid:<SecretId>` until the UIN is known. Profiles of one account
    /// share it, as Tencent's limits do.
    budgets: Mutex<HashMap<String, Weak<Budget>>>,
    /// Each profile's caller identity, once asked.
    identities: Mutex<HashMap<String, CallerIdentity>>,
    /// Each profile's available regions (DescribeRegions) and when they were asked.
    regions: Mutex<HashMap<String, (std::time::Instant, Vec<String>)>>,
    /// Read-only profiles the user unlocked for this session only.
    unlocked: Mutex<HashSet<String>>,
    notices: Mutex<Vec<StartupNotice>>,
}

pub use crate::locks::lock;

impl AppState {
    pub fn new(config_dir: PathBuf, data_dir: PathBuf, vault: Vault) -> Result<AppState, AppError> {
        let store = ProfileStore::new(&config_dir);
        let loaded = store.load()?;
        // Pending launches keep their password in the keyring, never in the file.
        let launches =
            crate::journal::Journal::open_with_vault(data_dir.join("launches.json"), vault.clone());
        let notices = launches
            .unreadable()
            .map(|u| StartupNotice {
                id: "journal".into(),
                message: u.message(launches.path()),
                path: u.moved_to.as_ref().map(|p| p.display().to_string()),
            })
            .into_iter()
            .collect();
        Ok(AppState {
            store,
            activity: Arc::new(ActivityLog::open(&data_dir)),
            profiles: Mutex::new(loaded.file),
            corrupt_backup: Mutex::new(loaded.corrupt_backup),
            vault,
            sandbox_state_file: data_dir.join("sandbox").join("world.json"),
            sandbox: OnceCell::new(),
            launches,
            views: crate::views::ViewStore::new(&config_dir),
            config_dir,
            ssh_sessions: Mutex::new(HashMap::new()),
            clients: Mutex::new(HashMap::new()),
            language_clients: Mutex::new(HashMap::new()),
            budgets: Mutex::new(HashMap::new()),
            identities: Mutex::new(HashMap::new()),
            regions: Mutex::new(HashMap::new()),
            unlocked: Mutex::new(HashSet::new()),
            notices: Mutex::new(notices),
        })
    }

    /// Adds a start-up notice, replacing one with the same id.
    pub fn push_notice(&self, notice: StartupNotice) {
        let mut n = lock(&self.notices);
        n.retain(|x| x.id != notice.id);
        n.push(notice);
    }

    pub fn notices(&self) -> Vec<StartupNotice> {
        lock(&self.notices).clone()
    }

    /// The UI has shown it; stop reporting it.
    pub fn dismiss_notice(&self, id: &str) {
        lock(&self.notices).retain(|x| x.id != id);
    }

    pub async fn sandbox(&self) -> Result<&Sandbox, AppError> {
        self.sandbox
            .get_or_try_init(|| async {
                // The Sandbox always starts: a world file that cannot be read is moved
                // aside by cvm-sim, and a folder that cannot be written means a world
                // kept in memory for this session. Either way the user is told.
                let file = match self.sandbox_state_file.parent() {
                    Some(dir) => match std::fs::create_dir_all(dir) {
                        Ok(()) => Some(self.sandbox_state_file.clone()),
                        Err(e) => {
                            self.push_notice(StartupNotice {
                                id: "sandbox".into(),
                                message: format!(
                                    "The Sandbox's folder {} cannot be written ({e}): its world is kept in memory and starts afresh next time.",
                                    dir.display()
                                ),
                                path: None,
                            });
                            None
                        }
                    },
                    None => Some(self.sandbox_state_file.clone()),
                };
                let sandbox = Sandbox::start(&self.vault, file).await?;
                if let Some(n) = sandbox.load_notice() {
                    tracing::error!("Sandbox world: {n}");
                    self.push_notice(StartupNotice {
                        id: "sandbox".into(),
                        message: format!("The Sandbox's world could not be loaded: {n}. A fresh world was made."),
                        path: n.backup().map(|p| p.display().to_string()),
                    });
                }
                Ok(sandbox)
            })
            .await
    }

    pub fn profile(&self, id: &str) -> Result<Profile, AppError> {
        lock(&self.profiles).get(id).cloned().ok_or_else(|| {
            AppError::not_found(
                AppCode::ProfileNotFound,
                format!("no profile with id {id:?}"),
            )
            .with_field("profileId")
        })
    }

    pub fn active_profile(&self) -> Profile {
        let f = lock(&self.profiles);
        f.get(&f.active_profile)
            .cloned()
            .unwrap_or_else(Profile::sandbox)
    }

    /// Applies a change to the profiles and writes the file; the in-memory copy changes
    /// only when the write succeeded.
    pub fn update_profiles<R>(
        &self,
        f: impl FnOnce(&mut ProfilesFile) -> Result<R, AppError>,
    ) -> Result<R, AppError> {
        let mut guard = lock(&self.profiles);
        let mut next = guard.clone();
        let r = f(&mut next)?;
        self.store.save(&next)?;
        *guard = next;
        Ok(r)
    }

    pub fn forget_client(&self, profile_id: &str) {
        lock(&self.clients).remove(profile_id);
        lock(&self.language_clients).retain(|(id, _), _| id != profile_id);
        lock(&self.identities).remove(profile_id);
        lock(&self.regions).remove(profile_id);
        // Role profiles built on this one signed through its old client.
        let dependents: Vec<String> = lock(&self.profiles)
            .profiles
            .iter()
            .filter(|p| {
                p.role
                    .as_ref()
                    .is_some_and(|r| r.base_profile_id == profile_id)
            })
            .map(|p| p.id.clone())
            .collect();
        for id in dependents {
            lock(&self.clients).remove(&id);
            lock(&self.language_clients).retain(|(p, _), _| *p != id);
            lock(&self.identities).remove(&id);
            lock(&self.regions).remove(&id);
        }
    }

    /// The profile's available regions as last answered, if that was less than `max_age`
    /// ago (and the profile has not changed since).
    pub fn known_regions(
        &self,
        profile_id: &str,
        max_age: std::time::Duration,
    ) -> Option<Vec<String>> {
        let known = lock(&self.regions);
        let (at, regions) = known.get(profile_id)?;
        (at.elapsed() < max_age).then(|| regions.clone())
    }

    pub fn remember_regions(&self, profile_id: &str, regions: Vec<String>) {
        lock(&self.regions).insert(profile_id.to_owned(), (std::time::Instant::now(), regions));
    }

    /// The account's shared budget under `key`, made from `profile` when there is none.
    fn budget(&self, key: &str, profile: &Profile) -> Arc<Budget> {
        let mut budgets = lock(&self.budgets);
        budgets.retain(|_, b| b.strong_count() > 0);
        if let Some(b) = budgets.get(key).and_then(Weak::upgrade) {
            return b;
        }
        let b = Arc::new(Budget::new(budget_for(&profile.budget)));
        budgets.insert(key.to_owned(), Arc::downgrade(&b));
        b
    }

    /// Files `budget` under `key` too (the UIN learned for a SecretId), unless that key
    /// already has a live budget, which is then the one to use.
    fn alias_budget(&self, key: &str, budget: Arc<Budget>) -> Arc<Budget> {
        let mut budgets = lock(&self.budgets);
        if let Some(b) = budgets.get(key).and_then(Weak::upgrade) {
            return b;
        }
        budgets.insert(key.to_owned(), Arc::downgrade(&budget));
        budget
    }

    /// Who the profile's credentials are (GetCallerIdentity), asked once per client.
    pub async fn identity(&self, profile: &Profile) -> Result<CallerIdentity, AppError> {
        if let Some(i) = lock(&self.identities).get(&profile.id) {
            return Ok(i.clone());
        }
        let client = self.client(profile).await?;
        let r = client
            .get_caller_identity(&profile.default_region, &GetCallerIdentityRequest {})
            .await?;
        let identity = CallerIdentity {
            account_id: r.account_id,
            arn: r.arn,
            user_id: r.user_id,
            kind: r.r#type,
        };
        self.share_budget(profile, &identity.account_id, &client);
        lock(&self.identities).insert(profile.id.clone(), identity.clone());
        Ok(identity)
    }

    /// The profile's client if one was built already (for status, without building one).
    pub fn existing_client(&self, profile_id: &str) -> Option<Client> {
        lock(&self.clients).get(profile_id)?.get().cloned()
    }

    /// The profile's client answering in `language` (localised region and zone names):
    /// the same credentials, endpoint, rate budget and activity log.
    pub async fn client_in(
        &self,
        profile: &Profile,
        language: Language,
    ) -> Result<Client, AppError> {
        let base = self.client(profile).await?;
        if profile.language == language {
            return Ok(base);
        }
        let key = (profile.id.clone(), language.as_str());
        if let Some(c) = lock(&self.language_clients).get(&key) {
            return Ok(c.clone());
        }
        let client = base.with_language(language.into());
        lock(&self.language_clients).insert(key, client.clone());
        Ok(client)
    }

    pub fn is_writable(&self, profile: &Profile) -> bool {
        !profile.read_only || lock(&self.unlocked).contains(&profile.id)
    }

    /// The profile, if changes may go through it: a locked read-only one is refused.
    pub fn writable_profile(&self, id: &str) -> Result<Profile, AppError> {
        let profile = self.profile(id)?;
        if self.is_writable(&profile) {
            Ok(profile)
        } else {
            Err(AppError::read_only())
        }
    }

    /// The profile's client for reading in `region` (its format checked first).
    pub async fn reader(&self, profile_id: &str, region: &str) -> Result<Client, AppError> {
        crate::types::validate_region(region)?;
        self.client(&self.profile(profile_id)?).await
    }

    /// The profile's client for a change in `region`: a locked read-only profile is
    /// refused before any client (or keyring) is touched.
    pub async fn writer(&self, profile_id: &str, region: &str) -> Result<Client, AppError> {
        crate::types::validate_region(region)?;
        self.client(&self.writable_profile(profile_id)?).await
    }

    pub fn set_unlocked(&self, profile_id: &str, unlocked: bool) {
        let mut u = lock(&self.unlocked);
        if unlocked {
            u.insert(profile_id.to_owned());
        } else {
            u.remove(profile_id);
        }
    }

    /// The profile's client, built on first use from its keyring entry. Callers that
    /// arrive while it is being built wait for that build (one client, one budget); a
    /// failed build is tried again by the next call.
    pub async fn client(&self, profile: &Profile) -> Result<Client, AppError> {
        let cell = lock(&self.clients)
            .entry(profile.id.clone())
            .or_default()
            .clone();
        cell.get_or_try_init(|| self.build_profile_client(profile))
            .await
            .cloned()
    }

    async fn build_profile_client(&self, profile: &Profile) -> Result<Client, AppError> {
        if let Some(role) = &profile.role {
            return self.build_role_client(profile, role).await;
        }
        let (credentials, endpoint) = match profile.kind {
            ProfileKind::Sandbox => {
                let sb = self.sandbox().await?;
                (sb.credentials(), Endpoint::Custom(sb.base_url()))
            }
            ProfileKind::Cloud => {
                let vault = self.vault.clone();
                let id = profile.id.clone();
                let secret = tokio::task::spawn_blocking(move || vault.get(&id))
                    .await
                    .map_err(|e| AppError::internal(AppCode::Keyring, e.to_string()))??
                    .ok_or_else(|| {
                        AppError::keyring(
                            AppCode::KeyringNoEntry,
                            "This profile's SecretKey is not in the keyring (deleted outside the app?). Edit the profile and enter it again.",
                        )
                        .with_field("secretKey")
                    })?;
                (secret.credentials(), endpoint_for(&profile.site))
            }
        };
        // The account's budget, by SecretId until GetCallerIdentity names the account's UIN
        // (see `identity`); no call is made here, so a command refusing bad input after
        // fetching its client still sends nothing.
        let budget = self.budget(&format!("sid:{}", credentials.secret_id()), profile);
        logged(
            client_builder(credentials, endpoint, profile).budget(budget),
            &self.activity,
            profile,
        )
        .build()
        .map_err(AppError::from)
    }

    /// Once a profile's account UIN is known, its client counts in that account's budget,
    /// shared with every other profile of the account (another key of it, a role into it).
    fn share_budget(&self, profile: &Profile, account: &str, client: &Client) {
        let shared = self.alias_budget(&format!("uin:{account}"), client.budget().clone());
        if Arc::ptr_eq(&shared, client.budget()) {
            return;
        }
        let cell = Arc::new(OnceCell::new_with(Some(client.with_budget(shared))));
        lock(&self.clients).insert(profile.id.clone(), cell);
        lock(&self.language_clients).retain(|(id, _), _| *id != profile.id);
    }

    /// A role profile's client: the role assumed through its base profile's client (whose
    /// budget pays for the STS calls), on the role's account's budget.
    async fn build_role_client(
        &self,
        profile: &Profile,
        role: &RoleSource,
    ) -> Result<Client, AppError> {
        let base = self.profile(&role.base_profile_id).map_err(|mut e| {
            e.field = Some("baseProfileId".into());
            e
        })?;
        if base.role.is_some() {
            return Err(invalid(
                "baseProfileId",
                "the base profile is itself a role: choose a profile with keys",
            ));
        }
        let base_client = Box::pin(self.client(&base)).await?;
        let assumed = AssumedRole::new(
            base_client,
            &base.default_region,
            &role.role_arn,
            &role.session_name,
            u64::from(role.duration_seconds),
        )
        .map_err(|e| role_field(e.into()))?;
        let budget = self.budget(&format!("uin:{}", assumed.account()), profile);
        let endpoint = match base.kind {
            ProfileKind::Sandbox => Endpoint::Custom(self.sandbox().await?.base_url()),
            ProfileKind::Cloud => endpoint_for(&base.site),
        };
        logged(
            Client::builder_for_role(Arc::new(assumed))
                .endpoint(endpoint)
                .language(profile.language.into())
                .budget(budget)
                .request_client(REQUEST_CLIENT),
            &self.activity,
            profile,
        )
        .build()
        .map_err(AppError::from)
    }
}

/// Names the role profile's field an STS or input error is about.
pub fn role_field(mut e: AppError) -> AppError {
    e.field = Some(
        match e.field.as_deref() {
            Some("RoleSessionName") => "sessionName",
            Some("DurationSeconds") => "durationSeconds",
            Some("Region") => "baseProfileId",
            _ => "roleArn",
        }
        .into(),
    );
    e
}

/// Who a profile's credentials are, as GetCallerIdentity says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CallerIdentity {
    /// The main account's UIN.
    pub account_id: String,
    /// The caller's ARN.
    pub arn: String,
    /// The UIN for a key; `roleId:sessionName` for a role.
    pub user_id: String,
    /// `CAMUser`, `CAMRole`, …
    pub kind: String,
}

/// The China site goes to each region's own access point (`cvm.<region>.…`): Tencent
/// counts its rate limits per access region, so listing many regions at once is paced by
/// each region's own limit instead of sharing the nearest access point's.
pub fn endpoint_for(site: &Site) -> Endpoint {
    match site {
        Site::China => Endpoint::Regional,
        Site::Intl => Endpoint::International,
        Site::Custom { url } => Endpoint::Custom(url.clone()),
    }
}

pub fn budget_for(choice: &BudgetChoice) -> BudgetProfile {
    match choice {
        BudgetChoice::Current => BudgetProfile::current(),
        BudgetChoice::Seed => BudgetProfile::seed(),
        BudgetChoice::Custom {
            per_action_per_minute,
            total_per_minute,
        } => BudgetProfile::custom(
            "custom",
            Limit::per_minute(*per_action_per_minute, 1),
            Some(Limit::per_minute(*total_per_minute, 1)),
        ),
    }
}

fn client_builder(
    credentials: Credentials,
    endpoint: Endpoint,
    profile: &Profile,
) -> ClientBuilder {
    Client::builder(credentials)
        .endpoint(endpoint)
        .language(profile.language.into())
        .budget_profile(budget_for(&profile.budget))
        .request_client(REQUEST_CLIENT)
}

/// Records every call of the client in the activity log, with the profile's id and name.
fn logged(builder: ClientBuilder, log: &Arc<ActivityLog>, profile: &Profile) -> ClientBuilder {
    let log = log.clone();
    let (id, name) = (profile.id.clone(), profile.name.clone());
    builder.on_call(move |r| log.record(&id, &name, r))
}

/// A client whose calls are not logged (credential checks before a profile exists).
pub fn build_client(
    credentials: Credentials,
    endpoint: Endpoint,
    profile: &Profile,
) -> Result<Client, AppError> {
    client_builder(credentials, endpoint, profile)
        .build()
        .map_err(AppError::from)
}

/// The profile's client: its calls go to the activity log.
pub fn build_logged_client(
    credentials: Credentials,
    endpoint: Endpoint,
    profile: &Profile,
    log: &Arc<ActivityLog>,
) -> Result<Client, AppError> {
    logged(client_builder(credentials, endpoint, profile), log, profile)
        .build()
        .map_err(AppError::from)
}

/// Shared by everything that needs the managed state as an `Arc`.
pub type Shared = Arc<AppState>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::StoredSecret;
    use tencent_api::Sensitive;

    fn mock_vault() -> Vault {
        let store: Arc<keyring_core::CredentialStore> = keyring_core::mock::Store::new().unwrap();
        Vault::with_store(store, "state-test")
    }

    fn state_in(dir: &std::path::Path) -> AppState {
        AppState::new(dir.join("config"), dir.join("data"), mock_vault()).unwrap()
    }

    fn cloud_profile(state: &AppState) -> Profile {
        let mut p = Profile::sandbox();
        p.id = "p-cloud".into();
        p.name = "Cloud".into();
        p.kind = ProfileKind::Cloud;
        p.site = Site::Custom {
            url: "http://127.0.0.1:9/".into(),
        };
        put_secret(state, &p.id);
        let added = p.clone();
        state
            .update_profiles(|f| {
                f.profiles.push(added);
                Ok(())
            })
            .unwrap();
        p
    }

    /// Many first calls at once (the start-up warm-up, the first screen's listings, the
    /// status watcher) all get the same client: one rate budget per profile.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_first_calls_share_one_client_and_budget() {
        let dir = tempfile::tempdir().unwrap();
        let state = Arc::new(state_in(dir.path()));
        let profile = cloud_profile(&state);
        let calls: Vec<_> = (0..16)
            .map(|_| {
                let (state, profile) = (state.clone(), profile.clone());
                tokio::spawn(async move { state.client(&profile).await.unwrap() })
            })
            .collect();
        let mut clients = Vec::new();
        for c in calls {
            clients.push(c.await.unwrap());
        }
        let first = clients[0].budget().clone();
        assert!(clients.iter().all(|c| Arc::ptr_eq(c.budget(), &first)));
        let existing = state.existing_client(&profile.id).unwrap();
        assert!(Arc::ptr_eq(existing.budget(), &first));
        // Forgetting it (credentials changed) builds a new one next time, on the same
        // account's budget while the key is the same.
        state.forget_client(&profile.id);
        assert!(state.existing_client(&profile.id).is_none());
        let next = state.client(&profile).await.unwrap();
        assert!(Arc::ptr_eq(next.budget(), &first));
        // Once nothing holds the old budget, it is gone and a new one is made.
        let weak = Arc::downgrade(&first);
        drop((clients, existing, next, first));
        state.forget_client(&profile.id);
        let fresh = state.client(&profile).await.unwrap();
        assert!(weak.upgrade().is_none());
        assert!(fresh.budget().snapshot().in_flight == 0);
    }

    /// Two profiles with the same SecretId are one account: one budget.
    #[tokio::test]
    async fn profiles_with_the_same_key_share_one_budget() {
        let dir = tempfile::tempdir().unwrap();
        let state = state_in(dir.path());
        let a = cloud_profile(&state);
        let mut b = a.clone();
        b.id = "p-cloud-2".into();
        b.name = "Cloud again".into();
        put_secret(&state, &b.id);
        let added = b.clone();
        state
            .update_profiles(|f| {
                f.profiles.push(added);
                Ok(())
            })
            .unwrap();
        let (ca, cb) = (
            state.client(&a).await.unwrap(),
            state.client(&b).await.unwrap(),
        );
        assert!(Arc::ptr_eq(ca.budget(), cb.budget()));
    }

    /// Two keys of one account (different SecretIds): once GetCallerIdentity has named the
    /// account, both profiles count in one budget; another account keeps its own.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn profiles_of_one_account_share_its_budget_once_its_uin_is_known() {
        let key = |id: &str, account: &str| cvm_sim::Credential {
            account: account.into(),
            ..cvm_sim::Credential::new(id, format!("{id}-key"))
        };
        let sim = cvm_sim::start(cvm_sim::Config {
            credentials: vec![
                key("AKIDfirst0000000000000000000000000001", "100000000031"),
                key("AKIDsecond000000000000000000000000002", "100000000031"),
                key("AKIDother0000000000000000000000000003", "100000000032"),
            ],
            time_scale: 0.0,
            ..Default::default()
        })
        .await
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let state = state_in(dir.path());
        let mut profiles = Vec::new();
        for (i, c) in sim.credentials().iter().enumerate() {
            let mut p = Profile::sandbox();
            p.id = format!("p-{i}");
            p.name = format!("key {i}");
            p.kind = ProfileKind::Cloud;
            p.site = Site::Custom {
                url: sim.base_url(),
            };
            state
                .vault
                .put(
                    &p.id,
                    &StoredSecret {
                        secret_id: c.secret_id.clone(),
                        secret_key: Sensitive::new(c.secret_key.clone()),
                        token: None,
                    },
                )
                .unwrap();
            let added = p.clone();
            state
                .update_profiles(|f| {
                    f.profiles.push(added);
                    Ok(())
                })
                .unwrap();
            profiles.push(p);
        }
        let before: Vec<Client> = futures_clients(&state, &profiles).await;
        assert!(!Arc::ptr_eq(before[0].budget(), before[1].budget()));
        for p in &profiles {
            state.identity(p).await.unwrap();
        }
        let after: Vec<Client> = futures_clients(&state, &profiles).await;
        assert!(Arc::ptr_eq(after[0].budget(), after[1].budget()));
        assert!(!Arc::ptr_eq(after[0].budget(), after[2].budget()));
        sim.shutdown().await.unwrap();
    }

    async fn futures_clients(state: &AppState, profiles: &[Profile]) -> Vec<Client> {
        let mut out = Vec::new();
        for p in profiles {
            out.push(state.client(p).await.unwrap());
        }
        out
    }

    #[tokio::test]
    async fn a_failed_build_is_tried_again() {
        let dir = tempfile::tempdir().unwrap();
        let state = state_in(dir.path());
        let profile = cloud_profile(&state);
        state.vault.delete(&profile.id).unwrap();
        let e = state.client(&profile).await.unwrap_err();
        assert_eq!(e.code, crate::error::AppCode::KeyringNoEntry.as_str());
        assert!(state.existing_client(&profile.id).is_none());
        put_secret(&state, &profile.id);
        assert!(state.client(&profile).await.is_ok());
    }

    fn put_secret(state: &AppState, id: &str) {
        state
            .vault
            .put(
                id,
                &StoredSecret {
                    secret_id: "AKIDabcdefghijklmnopqrstuvwxyz123456".into(),
                    secret_key: Sensitive::new("keykeykeykeykeykeykeykeykeykey12"),
                    token: None,
                },
            )
            .unwrap();
    }

    #[tokio::test]
    async fn a_corrupt_sandbox_world_is_moved_aside_and_the_sandbox_starts() {
        let dir = tempfile::tempdir().unwrap();
        let world = dir.path().join("data").join("sandbox").join("world.json");
        std::fs::create_dir_all(world.parent().unwrap()).unwrap();
        std::fs::write(&world, b"\x00 not a world").unwrap();
        let state = state_in(dir.path());
        let sandbox = state.sandbox().await.expect("the Sandbox always starts");
        assert!(sandbox.base_url().starts_with("http://127.0.0.1:"));
        let n = state.notices();
        let notice = n.iter().find(|n| n.id == "sandbox").expect("a notice");
        let backup = notice.path.clone().expect("the moved file");
        assert_eq!(std::fs::read(&backup).unwrap(), b"\x00 not a world");
        // The fresh world is saved over nothing the user could have wanted back.
        sandbox.save().unwrap();
        let saved: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&world).unwrap()).unwrap();
        assert!(saved.is_object());
    }

    #[tokio::test]
    async fn a_sandbox_folder_that_cannot_be_made_keeps_the_world_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        // A file where the Sandbox's folder should be: create_dir_all fails.
        std::fs::create_dir_all(dir.path().join("data")).unwrap();
        std::fs::write(dir.path().join("data").join("sandbox"), b"a file").unwrap();
        let state = state_in(dir.path());
        state.sandbox().await.expect("the Sandbox always starts");
        let n = state.notices();
        let notice = n.iter().find(|n| n.id == "sandbox").expect("a notice");
        assert!(notice.message.contains("in memory"), "{}", notice.message);
    }

    #[test]
    fn an_unreadable_journal_becomes_a_start_up_notice() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("data")).unwrap();
        std::fs::write(dir.path().join("data").join("launches.json"), b"{ broken").unwrap();
        let state = state_in(dir.path());
        let n = state.notices();
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].id, "journal");
        let backup = n[0].path.clone().expect("the backup's path");
        assert_eq!(std::fs::read(&backup).unwrap(), b"{ broken");
        assert!(n[0].message.contains(&backup));
        state.push_notice(StartupNotice {
            id: "sandbox".into(),
            message: "first".into(),
            path: None,
        });
        state.push_notice(StartupNotice {
            id: "sandbox".into(),
            message: "second".into(),
            path: None,
        });
        assert_eq!(state.notices().len(), 2, "one per id");
        state.dismiss_notice("journal");
        let n = state.notices();
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].message, "second");
        // A clean start has nothing to report.
        let clean = tempfile::tempdir().unwrap();
        assert!(state_in(clean.path()).notices().is_empty());
    }
}
