//! The app's shared state: profiles, the keyring, the Sandbox and one API client per
//! profile (each with its own rate budget, shared by everything that profile does).

use crate::console::activity::ActivityLog;
use crate::error::{AppError, ErrorKind};
use crate::profiles::{
    ApiLanguage, BudgetChoice, Profile, ProfileKind, ProfileStore, ProfilesFile, Site,
};
use crate::sandbox::Sandbox;
use crate::secrets::Vault;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tencent_api::{BudgetProfile, Client, ClientBuilder, Credentials, Endpoint, Language, Limit};
use tokio::sync::OnceCell;

pub const REQUEST_CLIENT: &str = concat!("CVM-Console_", env!("CARGO_PKG_VERSION"));

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
    pub launches: crate::wizard::journal::Journal,
    clients: Mutex<HashMap<String, Client>>,
    /// Clients in another `X-TC-Language` than the profile's, sharing its budget.
    language_clients: Mutex<HashMap<(String, &'static str), Client>>,
    /// Read-only profiles the user unlocked for this session only.
    unlocked: Mutex<HashSet<String>>,
}

pub fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding one of these locks leaves plain data behind; carry on.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl AppState {
    pub fn new(config_dir: PathBuf, data_dir: PathBuf, vault: Vault) -> Result<AppState, AppError> {
        let store = ProfileStore::new(&config_dir);
        let loaded = store.load()?;
        Ok(AppState {
            store,
            activity: Arc::new(ActivityLog::open(&data_dir)),
            profiles: Mutex::new(loaded.file),
            corrupt_backup: Mutex::new(loaded.corrupt_backup),
            vault: vault.clone(),
            sandbox_state_file: data_dir.join("sandbox").join("world.json"),
            sandbox: OnceCell::new(),
            // Pending launches keep their password in the keyring, never in the file.
            launches: crate::wizard::journal::Journal::open_with_vault(
                data_dir.join("launches.json"),
                vault,
            ),
            clients: Mutex::new(HashMap::new()),
            language_clients: Mutex::new(HashMap::new()),
            unlocked: Mutex::new(HashSet::new()),
        })
    }

    pub async fn sandbox(&self) -> Result<&Sandbox, AppError> {
        self.sandbox
            .get_or_try_init(|| async {
                if let Some(dir) = self.sandbox_state_file.parent() {
                    std::fs::create_dir_all(dir).map_err(|e| {
                        AppError::internal(
                            "App.Io",
                            format!("could not create {}: {e}", dir.display()),
                        )
                    })?;
                }
                Sandbox::start(&self.vault, self.sandbox_state_file.clone()).await
            })
            .await
    }

    pub fn profile(&self, id: &str) -> Result<Profile, AppError> {
        lock(&self.profiles)
            .get(id)
            .cloned()
            .ok_or_else(|| AppError {
                kind: ErrorKind::NotFound,
                code: "App.ProfileNotFound".into(),
                message: format!("no profile with id {id:?}"),
                request_id: None,
                field: Some("profileId".into()),
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
    }

    /// The profile's client if one was built already (for status, without building one).
    pub fn existing_client(&self, profile_id: &str) -> Option<Client> {
        lock(&self.clients).get(profile_id).cloned()
    }

    /// The profile's client answering in `language` (localised region and zone names):
    /// the same credentials, endpoint, rate budget and activity log.
    pub async fn client_in(
        &self,
        profile: &Profile,
        language: Language,
    ) -> Result<Client, AppError> {
        let base = self.client(profile).await?;
        let own = match profile.language {
            ApiLanguage::ZhCn => Language::ZhCn,
            ApiLanguage::EnUs => Language::EnUs,
        };
        if own == language {
            return Ok(base);
        }
        let key = (profile.id.clone(), language.as_str());
        if let Some(c) = lock(&self.language_clients).get(&key) {
            return Ok(c.clone());
        }
        let endpoint = match profile.kind {
            ProfileKind::Sandbox => Endpoint::Custom(self.sandbox().await?.base_url()),
            ProfileKind::Cloud => endpoint_for(&profile.site),
        };
        let client = logged(
            Client::builder(base.credentials().clone())
                .endpoint(endpoint)
                .language(language)
                .budget(base.budget().clone())
                .request_client(REQUEST_CLIENT),
            &self.activity,
            profile,
        )
        .build()
        .map_err(|e| crate::error::from_api(&e))?;
        lock(&self.language_clients).insert(key, client.clone());
        Ok(client)
    }

    pub fn is_writable(&self, profile: &Profile) -> bool {
        !profile.read_only || lock(&self.unlocked).contains(&profile.id)
    }

    pub fn set_unlocked(&self, profile_id: &str, unlocked: bool) {
        let mut u = lock(&self.unlocked);
        if unlocked {
            u.insert(profile_id.to_owned());
        } else {
            u.remove(profile_id);
        }
    }

    /// The profile's client, built on first use from its keyring entry.
    pub async fn client(&self, profile: &Profile) -> Result<Client, AppError> {
        if let Some(c) = lock(&self.clients).get(&profile.id) {
            return Ok(c.clone());
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
                    .map_err(|e| AppError::internal("App.Keyring", e.to_string()))??
                    .ok_or_else(|| AppError {
                        kind: ErrorKind::Keyring,
                        code: "App.Keyring.NoEntry".into(),
                        message: "This profile's SecretKey is not in the keyring (deleted outside the app?). Edit the profile and enter it again.".into(),
                        request_id: None,
                        field: Some("secretKey".into()),
                    })?;
                (secret.credentials(), endpoint_for(&profile.site))
            }
        };
        let client = build_logged_client(credentials, endpoint, profile, &self.activity)?;
        lock(&self.clients).insert(profile.id.clone(), client.clone());
        Ok(client)
    }
}

pub fn endpoint_for(site: &Site) -> Endpoint {
    match site {
        Site::China => Endpoint::Default,
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
        .language(match profile.language {
            ApiLanguage::ZhCn => Language::ZhCn,
            ApiLanguage::EnUs => Language::EnUs,
        })
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
        .map_err(|e| crate::error::from_api(&e))
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
        .map_err(|e| crate::error::from_api(&e))
}

/// Shared by everything that needs the managed state as an `Arc`.
pub type Shared = Arc<AppState>;
