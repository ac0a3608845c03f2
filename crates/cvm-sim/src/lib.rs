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

mod actions;
pub mod catalog;
pub mod client;
pub mod clock;
mod cvm;
pub mod error;
pub mod faults;
pub mod limits;
mod outcomes;
pub mod params;
mod preload;
pub mod rng;
mod server;
mod vpc;
mod vpc_sg;
pub mod world;

pub use actions::{CVM_ACTIONS, VPC_ACTIONS};
pub use faults::{FaultKind, FaultRule, FaultSpec};
pub use limits::RateLimit;
pub use server::{SimHandle, StartError, start};
pub use world::Quotas;

use std::net::SocketAddr;
use std::path::PathBuf;

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

#[derive(Clone, Debug)]
pub struct Config {
    /// Port 0 picks a free port. The library default is `127.0.0.1:0`; the CLI's is 9100.
    pub listen: SocketAddr,
    pub credentials: Vec<Credential>,
    /// 1 = realistic transition durations, 0 = immediate, anything between scales them.
    pub time_scale: f64,
    pub rate_limit: RateLimit,
    pub faults: FaultSpec,
    /// Instances created at start (for the first credential's account) when the world is new.
    pub preload: usize,
    pub seed: u64,
    /// Loaded at start when it exists, saved on change and at shutdown.
    pub state_file: Option<PathBuf>,
    /// Starting balance of every account (CNY).
    pub balance: f64,
    pub quotas: Quotas,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            credentials: vec![Credential::default()],
            time_scale: 1.0,
            rate_limit: RateLimit::Current,
            faults: FaultSpec::default(),
            preload: 0,
            seed: 0,
            state_file: None,
            balance: 100_000.0,
            quotas: Quotas::default(),
        }
    }
}

impl Config {
    /// What the app's Sandbox wants: a few dozen instances over several regions in mixed
    /// states and billing models, fast transitions, no faults.
    pub fn sandbox(credential: Credential, state_file: Option<PathBuf>) -> Self {
        Config {
            credentials: vec![credential],
            time_scale: 0.2,
            preload: 36,
            seed: 1,
            state_file,
            ..Default::default()
        }
    }
}
