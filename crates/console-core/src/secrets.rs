//! Secrets in the OS keyring (Secret Service, Keychain, Credential Manager), and nowhere
//! else: there is no plaintext fallback. One keyring entry per profile, under a service
//! name that differs between release and development builds so a developer's test
//! profiles never mix with their real ones.
//!
//! Each entry holds the profile's SecretId, SecretKey and optional session token as one
//! small JSON document, so the config file on disk keeps only a masked SecretId.

use crate::error::{AppCode, AppError};
use keyring_core::{CredentialStore, Entry};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, OnceLock};
use tencent_api::{Credentials, Sensitive};
use zeroize::Zeroizing;

/// The keyring "service" attribute of every entry this build writes.
pub fn service_name() -> &'static str {
    if cfg!(debug_assertions) {
        "com.cvmconsole.desktop.dev"
    } else {
        "com.cvmconsole.desktop"
    }
}

/// A profile's secret material. Not `Serialize` on purpose: only `Vault` turns it into
/// the keyring's bytes, through a private wire type.
pub struct StoredSecret {
    pub secret_id: String,
    pub secret_key: Sensitive,
    pub token: Option<Sensitive>,
}

impl std::fmt::Debug for StoredSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredSecret")
            .field("secret_id", &tencent_api_mask(&self.secret_id))
            .field("secret_key", &"** redacted **")
            .field("token", &self.token.as_ref().map(|_| "** redacted **"))
            .finish()
    }
}

impl StoredSecret {
    pub fn credentials(&self) -> Credentials {
        match &self.token {
            Some(t) => Credentials::with_token(
                self.secret_id.clone(),
                self.secret_key.expose(),
                t.expose(),
            ),
            None => Credentials::new(self.secret_id.clone(), self.secret_key.expose()),
        }
    }
}

fn tencent_api_mask(id: &str) -> String {
    Credentials::new(id, "").masked_secret_id()
}

#[derive(Serialize, Deserialize)]
struct Wire<'a> {
    v: u32,
    #[serde(borrow)]
    id: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    key: std::borrow::Cow<'a, str>,
    #[serde(borrow, default)]
    token: Option<std::borrow::Cow<'a, str>>,
}

/// Why the keyring could not be used, each with what the user can do about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyringProblem {
    NoService,
    Locked,
    NoDefaultCollection,
    AccessDenied,
    Failure,
}

impl KeyringProblem {
    pub fn code(self) -> AppCode {
        match self {
            KeyringProblem::NoService => AppCode::KeyringNoService,
            KeyringProblem::Locked => AppCode::KeyringLocked,
            KeyringProblem::NoDefaultCollection => AppCode::KeyringNoDefaultCollection,
            KeyringProblem::AccessDenied => AppCode::KeyringAccessDenied,
            KeyringProblem::Failure => AppCode::KeyringFailure,
        }
    }

    pub fn advice(self) -> &'static str {
        match self {
            KeyringProblem::NoService => {
                "No keyring service is running, so credentials cannot be stored safely. On Linux install and start a Secret Service provider (Debian/Ubuntu: `apt install gnome-keyring`, or enable KeePassXC's Secret Service integration) inside your desktop session, then restart CVM Console. The Sandbox keeps working meanwhile."
            }
            KeyringProblem::Locked => {
                "Your keyring is locked. Unlock it (for example the \"Login\" keyring in Passwords and Keys / Seahorse), then try again."
            }
            KeyringProblem::NoDefaultCollection => {
                "Your keyring has no default collection to store credentials in. Create a password keyring and set it as default (Passwords and Keys / Seahorse: New → Password keyring → Set as default), then try again."
            }
            KeyringProblem::AccessDenied => {
                "Access to the keyring was denied: the unlock prompt was dismissed or refused. Try again and allow access."
            }
            KeyringProblem::Failure => {
                "The keyring reported an error. Try again; if it persists, restart your keyring service."
            }
        }
    }
}

/// Classifies a keyring error by what the user must do. The Secret Service store wraps
/// `secret_service::Error`; its Display text is the only stable handle we get through
/// `keyring_core`'s boxed platform error.
pub fn classify(err: &keyring_core::Error) -> KeyringProblem {
    use keyring_core::Error as E;
    let detail = match err {
        E::PlatformFailure(e) | E::NoStorageAccess(e) => e.to_string().to_ascii_lowercase(),
        E::NoDefaultStore => return KeyringProblem::NoService,
        _ => return KeyringProblem::Failure,
    };
    if detail.contains("locked") {
        KeyringProblem::Locked
    } else if detail.contains("prompt")
        || detail.contains("denied")
        || detail.contains("not authorized")
    {
        KeyringProblem::AccessDenied
    } else if detail.contains("result not returned")
        || detail.contains("collection")
        || detail.contains("object does not exist")
    {
        KeyringProblem::NoDefaultCollection
    } else if detail.contains("no secret service provider")
        || detail.contains("serviceunknown")
        || detail.contains("dbus")
        || detail.contains("d-bus")
        || detail.contains("no such file")
        || detail.contains("connection refused")
        || matches!(err, E::PlatformFailure(_))
    {
        KeyringProblem::NoService
    } else {
        KeyringProblem::AccessDenied
    }
}

pub fn keyring_error(problem: KeyringProblem) -> AppError {
    AppError::keyring(problem.code(), problem.advice())
}

fn map_err(err: keyring_core::Error) -> AppError {
    let problem = classify(&err);
    tracing::warn!(
        code = problem.code().as_str(),
        "keyring operation failed: {err}"
    );
    keyring_error(problem)
}

type OpenedStore = Result<Arc<CredentialStore>, KeyringProblem>;

/// The keyring as the app uses it. Keyring calls block (D-Bus round trips), so async
/// callers run them on `spawn_blocking`.
#[derive(Clone)]
pub struct Vault {
    /// Opened once, by whichever comes first: the background opening [`Vault::native`]
    /// starts, or the first use (which then waits for it).
    store: Arc<OnceLock<OpenedStore>>,
    service: String,
}

impl Vault {
    /// The platform's native store, or the reason it cannot be used. Opening it is
    /// started on a thread of its own and not waited for: on Linux it is a D-Bus
    /// connection and the Secret Service's encrypted session (a Diffie-Hellman exchange),
    /// 100+ ms the window's creation would otherwise wait for.
    pub fn native() -> Vault {
        let store = Arc::new(OnceLock::new());
        let opening = store.clone();
        let started = std::thread::Builder::new()
            .name("keyring-open".into())
            .spawn(move || {
                opening.get_or_init(open_native);
            });
        if let Err(e) = started {
            tracing::debug!("keyring opened on first use: no thread ({e})");
        }
        Vault {
            store,
            service: service_name().to_owned(),
        }
    }

    /// A specific store (tests use a private Secret Service or keyring-core's mock store).
    pub fn with_store(store: Arc<CredentialStore>, service: &str) -> Vault {
        Vault {
            store: Arc::new(OnceLock::from(Ok(store))),
            service: service.to_owned(),
        }
    }

    /// A vault whose store could not be opened (for tests of the failure path).
    pub fn unavailable(problem: KeyringProblem) -> Vault {
        Vault {
            store: Arc::new(OnceLock::from(Err(problem))),
            service: service_name().to_owned(),
        }
    }

    /// `Ok` when the store answers; otherwise the actionable reason.
    pub fn check(&self) -> Result<(), AppError> {
        let store = self.store()?;
        // A read of an entry that does not exist exercises the connection and the
        // collection without writing anything.
        let entry =
            Entry::new_in_store(store, &self.service, "__cvm-console-probe__").map_err(map_err)?;
        match entry.get_secret() {
            Ok(_) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_err(e)),
        }
    }

    fn store(&self) -> Result<&Arc<CredentialStore>, AppError> {
        self.store
            .get_or_init(open_native)
            .as_ref()
            .map_err(|p| keyring_error(*p))
    }

    fn entry(&self, account: &str) -> Result<Entry, AppError> {
        Entry::new_in_store(self.store()?, &self.service, account).map_err(map_err)
    }

    pub fn put(&self, account: &str, secret: &StoredSecret) -> Result<(), AppError> {
        let wire = Wire {
            v: 1,
            id: secret.secret_id.as_str().into(),
            key: secret.secret_key.expose().into(),
            token: secret.token.as_ref().map(|t| t.expose().into()),
        };
        let bytes = Zeroizing::new(
            serde_json::to_vec(&wire)
                .map_err(|e| AppError::internal(AppCode::Encode, e.to_string()))?,
        );
        self.entry(account)?.set_secret(&bytes).map_err(map_err)
    }

    pub fn get(&self, account: &str) -> Result<Option<StoredSecret>, AppError> {
        let bytes = match self.entry(account)?.get_secret() {
            Ok(b) => Zeroizing::new(b),
            Err(keyring_core::Error::NoEntry) => return Ok(None),
            Err(e) => return Err(map_err(e)),
        };
        let wire: Wire<'_> = serde_json::from_slice(&bytes).map_err(|_| {
            AppError::keyring(
                AppCode::KeyringBadEntry,
                "The keyring entry for this profile is not in the expected format. Enter the SecretKey again to replace it.",
            )
            .with_field("secretKey")
        })?;
        Ok(Some(StoredSecret {
            secret_id: wire.id.into_owned(),
            secret_key: Sensitive::new(wire.key.into_owned()),
            token: wire.token.map(|t| Sensitive::new(t.into_owned())),
        }))
    }

    /// Deleting what is not there is not an error.
    pub fn delete(&self, account: &str) -> Result<(), AppError> {
        match self.entry(account)?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_err(e)),
        }
    }
}

fn open_native() -> OpenedStore {
    native_store().map_err(|e| classify(&e))
}

#[cfg(target_os = "linux")]
fn native_store() -> keyring_core::Result<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = zbus_secret_service_keyring_store::Store::new()?;
    Ok(store)
}

#[cfg(target_os = "macos")]
fn native_store() -> keyring_core::Result<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = apple_native_keyring_store::keychain::Store::new()?;
    Ok(store)
}

#[cfg(target_os = "windows")]
fn native_store() -> keyring_core::Result<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = windows_native_keyring_store::Store::new()?;
    Ok(store)
}

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
fn native_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Err(keyring_core::Error::NoDefaultStore)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mock_vault() -> Vault {
        let store: Arc<CredentialStore> = keyring_core::mock::Store::new().unwrap();
        Vault::with_store(store, "test-service")
    }

    #[test]
    fn the_native_store_is_opened_once_whoever_asks_first() {
        // Opening starts in the background; uses racing it from several threads all get
        // the one store it opened (or, with no keyring here, the same reason).
        let v = Vault::native();
        let seen: Vec<Result<usize, KeyringProblem>> = std::thread::scope(|s| {
            let asks: Vec<_> = (0..4)
                .map(|_| {
                    let v = v.clone();
                    s.spawn(move || {
                        v.store
                            .get_or_init(open_native)
                            .as_ref()
                            .map(|a| Arc::as_ptr(a) as *const () as usize)
                            .map_err(|p| *p)
                    })
                })
                .collect();
            asks.into_iter().map(|t| t.join().unwrap()).collect()
        });
        assert!(seen.windows(2).all(|w| w[0] == w[1]), "{seen:?}");
        assert_eq!(v.store().is_ok(), seen[0].is_ok());
    }

    #[test]
    fn round_trips_and_deletes() {
        let v = mock_vault();
        let s = StoredSecret {
            secret_id: "AKIDexample1234".into(),
            secret_key: Sensitive::new("k3y-v@lue"),
            token: Some(Sensitive::new("tok")),
        };
        v.put("p1", &s).unwrap();
        let back = v.get("p1").unwrap().unwrap();
        assert_eq!(back.secret_id, "AKIDexample1234");
        assert_eq!(back.secret_key.expose(), "k3y-v@lue");
        assert_eq!(back.token.unwrap().expose(), "tok");
        v.delete("p1").unwrap();
        assert!(v.get("p1").unwrap().is_none());
        v.delete("p1").unwrap();
    }

    #[test]
    fn debug_never_shows_the_key() {
        let s = StoredSecret {
            secret_id: "AKIDabcdefgh1234".into(),
            secret_key: Sensitive::new("super-secret-key"),
            token: Some(Sensitive::new("super-secret-token")),
        };
        let d = format!("{s:?}");
        assert!(!d.contains("super-secret"), "{d}");
        assert!(!d.contains("abcdefgh"), "{d}");
    }

    #[test]
    fn unavailable_vault_names_the_problem_and_what_to_do() {
        let v = Vault::unavailable(KeyringProblem::NoService);
        let e = v.check().unwrap_err();
        assert_eq!(e.kind, crate::error::ErrorKind::Keyring);
        assert_eq!(e.code, crate::error::AppCode::KeyringNoService.as_str());
        assert!(e.message.contains("gnome-keyring"));
        let e = v
            .put(
                "x",
                &StoredSecret {
                    secret_id: "a".into(),
                    secret_key: Sensitive::new("b"),
                    token: None,
                },
            )
            .unwrap_err();
        assert_eq!(e.code, crate::error::AppCode::KeyringNoService.as_str());
    }

    #[test]
    fn classifies_secret_service_errors() {
        fn platform(msg: &str) -> keyring_core::Error {
            keyring_core::Error::PlatformFailure(msg.to_owned().into())
        }
        fn no_access(msg: &str) -> keyring_core::Error {
            keyring_core::Error::NoStorageAccess(msg.to_owned().into())
        }
        assert_eq!(
            classify(&platform(
                "no secret service provider or dbus session found"
            )),
            KeyringProblem::NoService
        );
        assert_eq!(
            classify(&no_access("SS Error: object locked")),
            KeyringProblem::Locked
        );
        assert_eq!(
            classify(&no_access("SS error: prompt dismissed")),
            KeyringProblem::AccessDenied
        );
        assert_eq!(
            classify(&no_access("SS error: result not returned from SS API")),
            KeyringProblem::NoDefaultCollection
        );
        assert_eq!(
            classify(&platform(
                "zbus error: Object does not exist at path /org/freedesktop/secrets/collection/login"
            )),
            KeyringProblem::NoDefaultCollection
        );
        assert_eq!(
            classify(&keyring_core::Error::NoDefaultStore),
            KeyringProblem::NoService
        );
    }
}
