//! cvm-sim: a local, stateful emulator of the Tencent Cloud CVM and VPC APIs.
//!
//! It speaks the real protocol (TC3-HMAC-SHA256, the `{"Response":…}` envelope, Tencent
//! error codes) on one loopback listener for both services, keeps a world per account
//! and region, moves instances through the real state machine on a scalable clock, and
//! can inject seeded faults. No global state: several simulators can run in one process.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let sim = cvm_sim::start(cvm_sim::Config { preload: 36, time_scale: 0.0, ..Default::default() }).await?;
//! println!("{}", sim.base_url());
//! sim.advance_clock(std::time::Duration::from_secs(60));
//! sim.shutdown().await?;
//! # Ok(()) }
//! ```

#![recursion_limit = "256"]

pub mod catalog;
pub mod client;
pub mod clock;
mod cvm;
pub mod error;
pub mod faults;
pub mod identity;
pub mod limits;
mod monitor;
pub mod msg;
mod outcomes;
pub mod params;
mod preload;
mod price;
pub mod rng;
mod router;
mod server;
mod ssh;
mod state_file;
mod sts;
mod tag;
pub mod tls;
mod toolkit;
mod vpc;
pub mod world;

pub use faults::{FaultKind, FaultRule, FaultSpec};
pub use identity::Role;
pub use limits::RateLimit;
pub use router::{ACTIONS, Action};
pub use server::{HEALTH_PATH, SimHandle, StartError, start};
pub use state_file::LoadNotice;
pub use tls::{Tls, TlsError};
pub use world::Quotas;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// The credential accepted when none is configured (documented in the README and `--help`).
pub const DEFAULT_SECRET_ID: &str = "AKIDcvmsim00000000000000000000000000";
pub const DEFAULT_SECRET_KEY: &str = "cvmsimSecretKey0000000000000000000";
/// The account (UIN) that owns the default credential and receives preloaded instances.
pub const DEFAULT_ACCOUNT: &str = "100000000001";

/// One accepted API key. Several keys may share an account (they then see the same world).
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    pub secret_id: String,
    pub secret_key: String,
    /// When set, requests must carry this `X-TC-Token` (a temporary credential); when
    /// unset, a request carrying any token is refused like an unknown token.
    pub token: Option<String>,
    pub account: String,
}

impl Credential {
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Credential {
            secret_id: secret_id.into(),
            secret_key: secret_key.into(),
            token: None,
            account: DEFAULT_ACCOUNT.into(),
        }
    }
}

impl Default for Credential {
    fn default() -> Self {
        Credential::new(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY)
    }
}

impl std::fmt::Debug for Credential {
    // The key stays out of logs and panic text.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credential")
            .field("secret_id", &self.secret_id)
            .field("account", &self.account)
            .field("token", &self.token.as_ref().map(|_| "** redacted **"))
            .finish_non_exhaustive()
    }
}

/// Longer than the app's 60 s pool idle timeout: the emulator never closes an idle
/// kept-alive connection that the client may be about to reuse.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(75);
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(30);
pub const DEFAULT_MAX_CONNECTIONS: usize = 256;

/// An account of the world beyond the first credential's, with instances of its own.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountSpec {
    pub uin: String,
    /// Instances created in it when the world is new.
    #[serde(default)]
    pub preload: usize,
}

/// The Sandbox's two accounts reached through roles: (UIN, role name, role id, instances).
pub const SANDBOX_ROLE_ACCOUNTS: [(&str, &str, &str, usize); 2] = [
    ("100000000002", "fleet-operator", "4611686018427397902", 24),
    ("100000000003", "fleet-auditor", "4611686018427397903", 18),
];

#[derive(Clone, Debug)]
pub struct Config {
    /// Port 0 picks a free port. The library default is `127.0.0.1:0`; the CLI's is 9100.
    pub listen: SocketAddr,
    pub credentials: Vec<Credential>,
    /// Roles that AssumeRole hands temporary credentials for.
    pub roles: Vec<Role>,
    /// More accounts, each with a world of its own (preloaded when the world is new).
    pub accounts: Vec<AccountSpec>,
    /// 1 = realistic transition durations, 0 = immediate, anything between scales them.
    pub time_scale: f64,
    pub rate_limit: RateLimit,
    pub faults: FaultSpec,
    /// Instances created at start (for the first credential's account) when the world is new.
    pub preload: usize,
    pub seed: u64,
    /// Loaded at start when it exists, saved on change and at shutdown. A file that cannot
    /// be loaded is moved aside and reported by `SimHandle::load_notice`.
    pub state_file: Option<PathBuf>,
    /// Starting balance of every account (CNY).
    pub balance: f64,
    pub quotas: Quotas,
    /// A client must send a request's whole header within this time (measured also while
    /// a kept-alive connection waits for its next request), or the connection is closed.
    pub header_timeout: Duration,
    /// A request's body must arrive in full within this time after its header, or the
    /// connection is closed without an answer.
    pub body_timeout: Duration,
    /// Connections served at once; further clients wait in the listen backlog.
    pub max_connections: usize,
    /// When set, every answer is appended to this file as one JSON line
    /// `{"service","version","action","answer"}` (action null for a request refused before
    /// routing), so that a test can check every answer against Tencent's schema. Answers
    /// hold what the API returns, including new key pairs' private keys: test use only.
    pub record_answers: Option<PathBuf>,
    /// Serve HTTPS with this certificate instead of plain HTTP.
    pub tls: Option<Tls>,
    /// Instance ids whose CPU runs hot (about 90 %) in Cloud Monitor's answers, so
    /// alerts can be seen firing. Changeable at run time with `SimHandle::set_hot`.
    pub hot: Vec<String>,
    /// Where the instances' SSH endpoint listens (the user name picks the instance);
    /// None = no SSH endpoint. The default is `127.0.0.1:0` (a free port).
    pub ssh_listen: Option<SocketAddr>,
    /// Added to every API request before it is answered (the health path answers at
    /// once): a network round trip that loopback does not have, for benchmarks of
    /// concurrency. Changeable at run time with `SimHandle::set_latency`.
    pub latency: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            credentials: vec![Credential::default()],
            roles: Vec::new(),
            accounts: Vec::new(),
            time_scale: 1.0,
            rate_limit: RateLimit::Current,
            faults: FaultSpec::default(),
            preload: 0,
            seed: 0,
            state_file: None,
            balance: 100_000.0,
            quotas: Quotas::default(),
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            body_timeout: DEFAULT_BODY_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            record_answers: None,
            tls: None,
            hot: Vec::new(),
            ssh_listen: Some(SocketAddr::from(([127, 0, 0, 1], 0))),
            latency: Duration::ZERO,
        }
    }
}

impl Config {
    /// A warning for listening beyond this machine while accepting the published default
    /// credential: anyone who can reach the port could then use the emulator. `None` when
    /// the address is loopback or every credential is a private one.
    pub fn exposure_warning(&self) -> Option<String> {
        if self.listen.ip().to_canonical().is_loopback() {
            return None;
        }
        let default = self
            .credentials
            .iter()
            .any(|c| c.secret_id == DEFAULT_SECRET_ID || c.secret_key == DEFAULT_SECRET_KEY);
        default.then(|| {
            format!(
                "warning: listening on {}, which other machines may reach, with the published default credential ({DEFAULT_SECRET_ID}); anyone who can connect can use it. Listen on 127.0.0.1 or pass --secret-id and --secret-key.",
                self.listen
            )
        })
    }

    /// What the app's Sandbox wants: a few dozen instances over several regions in mixed
    /// states and billing models, fast transitions, no faults; and two more accounts, each
    /// with a role the credential's account may assume ([`SANDBOX_ROLE_ACCOUNTS`]).
    pub fn sandbox(credential: Credential, state_file: Option<PathBuf>) -> Self {
        let roles = SANDBOX_ROLE_ACCOUNTS
            .iter()
            .map(|(uin, name, id, _)| Role {
                account: (*uin).to_owned(),
                name: (*name).to_owned(),
                id: (*id).to_owned(),
                trusted: vec![credential.account.clone()],
            })
            .collect();
        let accounts = SANDBOX_ROLE_ACCOUNTS
            .iter()
            .map(|(uin, _, _, preload)| AccountSpec {
                uin: (*uin).to_owned(),
                preload: *preload,
            })
            .collect();
        Config {
            credentials: vec![credential],
            roles,
            accounts,
            time_scale: 0.2,
            preload: 36,
            seed: 1,
            state_file,
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listening_on(addr: &str, credential: Credential) -> Config {
        Config {
            listen: addr.parse().unwrap(),
            credentials: vec![credential],
            ..Default::default()
        }
    }

    #[test]
    fn warns_only_for_the_default_credential_beyond_loopback() {
        let private = || Credential::new("AKIDmine", "my-key");
        for addr in ["0.0.0.0:9100", "192.168.1.5:9100", "[::]:9100"] {
            assert!(
                listening_on(addr, Credential::default())
                    .exposure_warning()
                    .is_some_and(|w| w.contains(DEFAULT_SECRET_ID)),
                "{addr}"
            );
            assert_eq!(listening_on(addr, private()).exposure_warning(), None);
        }
        // Half of the default pair is as public as the whole of it.
        assert!(
            listening_on("0.0.0.0:1", Credential::new("AKIDmine", DEFAULT_SECRET_KEY))
                .exposure_warning()
                .is_some()
        );
        for addr in [
            "127.0.0.1:9100",
            "127.8.0.1:0",
            "[::1]:9100",
            "[::ffff:127.0.0.1]:1",
        ] {
            assert_eq!(
                listening_on(addr, Credential::default()).exposure_warning(),
                None,
                "{addr}"
            );
        }
    }

    #[test]
    fn the_warning_never_contains_the_secret_key() {
        let w = listening_on("0.0.0.0:1", Credential::default())
            .exposure_warning()
            .unwrap();
        assert!(!w.contains(DEFAULT_SECRET_KEY));
    }
}
