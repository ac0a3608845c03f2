//! The Sandbox: cvm-sim running in-process on loopback, reached through the very same
//! client, signing and HTTP path as the real cloud. Its credentials are generated once
//! per installation and kept in the keyring like a real profile's; its world is saved in
//! the app data dir so it survives restarts.

use crate::error::{AppCode, AppError};
use crate::secrets::{StoredSecret, Vault};
use rand::Rng;
use std::path::PathBuf;
use tencent_api::Sensitive;

/// The region where the Sandbox keeps an instance running hot.
pub const HOT_REGION: &str = "ap-guangzhou";

pub struct Sandbox {
    handle: cvm_sim::SimHandle,
    account: String,
    secret: StoredSecret,
    /// False when the keyring was unavailable: the credential then lives in memory only
    /// (it guards nothing real, and the Sandbox must keep working without a keyring).
    pub credential_in_keyring: bool,
}

fn random_alnum(n: usize) -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..n)
        .map(|_| CHARS[rng.random_range(0..CHARS.len())] as char)
        .collect()
}

fn generate() -> StoredSecret {
    StoredSecret {
        secret_id: format!("AKID{}", random_alnum(32)),
        secret_key: Sensitive::new(random_alnum(32)),
        token: None,
    }
}

impl Sandbox {
    /// Starts the emulator; `state_file` None keeps its world in memory only.
    pub async fn start(vault: &Vault, state_file: Option<PathBuf>) -> Result<Sandbox, AppError> {
        let (secret, in_keyring) = {
            let vault = vault.clone();
            tokio::task::spawn_blocking(move || match vault.get(crate::profiles::SANDBOX_ID) {
                Ok(Some(s)) => (s, true),
                Ok(None) => {
                    let s = generate();
                    let stored = vault.put(crate::profiles::SANDBOX_ID, &s).is_ok();
                    (s, stored)
                }
                Err(_) => (generate(), false),
            })
            .await
            .map_err(|e| AppError::internal(AppCode::Sandbox, e.to_string()))?
        };
        let credential =
            cvm_sim::Credential::new(secret.secret_id.clone(), secret.secret_key.expose());
        let account = credential.account.clone();
        let handle = cvm_sim::start(cvm_sim::Config::sandbox(credential, state_file))
            .await
            .map_err(|e| {
                AppError::internal(
                    AppCode::Sandbox,
                    format!("the Sandbox could not start: {e}"),
                )
            })?;
        tracing::info!(addr = %handle.addr(), credential_in_keyring = in_keyring, "Sandbox started");
        let sandbox = Sandbox {
            handle,
            account,
            secret,
            credential_in_keyring: in_keyring,
        };
        sandbox.heat_one();
        Ok(sandbox)
    }

    /// Makes the oldest RUNNING instance of [`HOT_REGION`] run hot (CPU about 90 %), so
    /// a CPU alert can be seen firing without an account. Returns its id.
    pub fn heat_one(&self) -> Option<String> {
        let hot = self
            .handle
            .instances(&self.account, HOT_REGION)
            .into_iter()
            .find(|(_, state)| state == "RUNNING")
            .map(|(id, _)| id);
        if let Some(id) = &hot {
            tracing::info!(instance = %id, "Sandbox: this instance runs hot");
        }
        self.handle.set_hot(hot.iter().cloned().collect());
        hot
    }

    /// The Sandbox's world clock, Unix seconds (ahead of real time once advanced).
    pub fn now_unix(&self) -> i64 {
        self.handle.now_ms().div_euclid(1000)
    }

    pub fn base_url(&self) -> String {
        self.handle.base_url()
    }
    /// The Sandbox instances' SSH endpoint (user name = instance id).
    pub fn ssh_addr(&self) -> Option<std::net::SocketAddr> {
        self.handle.ssh_addr()
    }

    pub fn credentials(&self) -> tencent_api::Credentials {
        self.secret.credentials()
    }

    pub fn masked_secret_id(&self) -> String {
        self.credentials().masked_secret_id()
    }

    /// Moves the Sandbox's world clock forward: transitions fall due, prepaid instances
    /// expire, role credentials lapse. Only [`Sandbox::reset`] puts it back.
    pub fn advance_clock(&self, by: std::time::Duration) {
        self.handle.advance_clock(by);
    }

    /// Back to the seeded world at real time (undoing any time let pass), saved at once.
    pub fn reset(&self) -> Result<(), AppError> {
        self.handle.reset_world_and_clock();
        self.heat_one();
        self.handle.save_state().map_err(|e| {
            AppError::internal(AppCode::Sandbox, format!("could not save the Sandbox: {e}"))
        })
    }

    /// Why the world file could not be loaded at start (it was moved aside, or left in
    /// place when even that failed), if it could not.
    pub fn load_notice(&self) -> Option<&cvm_sim::LoadNotice> {
        self.handle.load_notice()
    }

    /// Saves the world now (the app calls it on exit, so nothing since the last periodic
    /// save is lost).
    pub fn save(&self) -> Result<(), AppError> {
        self.handle.save_state().map_err(|e| {
            AppError::internal(AppCode::Sandbox, format!("could not save the Sandbox: {e}"))
        })
    }

    pub async fn shutdown(self) {
        if let Err(e) = self.handle.shutdown().await {
            tracing::warn!("Sandbox shutdown: {e}");
        }
    }
}
