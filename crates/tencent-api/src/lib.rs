//! Tencent Cloud API 3.0 client for CVM and VPC: TC3-HMAC-SHA256 signing (both
//! directions), transport, one error type, a rate budget, safe retries, paging and typed
//! models. No Tauri, no UI.
//!
//! ```no_run
//! # async fn demo() -> Result<(), tencent_api::Error> {
//! use tencent_api::{Client, Credentials, BudgetProfile, models::cvm};
//! let client = Client::builder(Credentials::new("AKID…", "…"))
//!     .budget_profile(BudgetProfile::current())
//!     .request_client("CVM-Console_0.1.0")
//!     .build()?;
//! let zones = client.describe_zones("ap-guangzhou", &cvm::DescribeZonesRequest::default()).await?;
//! let all = client.list_all("ap-guangzhou", cvm::DescribeInstancesRequest::default()).await?;
//! # Ok(()) }
//! ```

#[macro_use]
mod action;
mod budget;
mod client;
mod credentials;
mod endpoint;
mod error;
pub mod models;
mod paging;
pub mod query;
mod role;
pub mod sign;
pub mod transport;

pub use action::{
    Action, MAX_LIMIT, RetrySafety, chunk_ids, max_ids, new_client_token, retry_safety,
};
pub use budget::{Budget, BudgetProfile, BudgetSnapshot, Limit, Permit};
pub use client::{
    CallCallback, CallOutcome, CallRecord, Client, ClientBuilder, HttpMethod, Language,
    MAX_CLOCK_OFFSET, RetryPolicy,
};
pub use credentials::{Credentials, Sensitive};
pub use endpoint::{Endpoint, validate_id, validate_region};
pub use error::{Error, ErrorKind, TransportKind};
pub use paging::{MAX_PAGE, MAX_TOTAL_COUNT, PAGE_SLACK, Page, PagedAction};
pub use role::{AssumedRole, Expiry, MIN_DURATION_SECONDS};
