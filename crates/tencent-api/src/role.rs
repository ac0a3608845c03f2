//! Role credentials: STS AssumeRole through a base client, the temporary SecretId,
//! SecretKey and token kept in memory only, refreshed before they expire.

use crate::models::sts::AssumeRoleResponse;
use crate::models::sts::{
    AssumeRoleRequest, MAX_DURATION_SECONDS, parse_role_arn, validate_session_name,
};
use crate::{Client, Credentials, Error};
use futures::future::BoxFuture;
use std::sync::Arc;
use tokio::sync::Mutex;

/// Sends AssumeRole through the base client. A boxed future: the base client's call path
/// is the same code as the role client's, and a concrete future type would contain itself.
type Fetch = Arc<
    dyn Fn(AssumeRoleRequest) -> BoxFuture<'static, Result<AssumeRoleResponse, Error>>
        + Send
        + Sync,
>;

/// The shortest DurationSeconds we ask for: shorter sessions would be refreshed almost
/// every few calls.
pub const MIN_DURATION_SECONDS: u64 = 900;

/// A role assumed through a base client. Cheap to share (`Arc`); every client of the role
/// profile uses the same one, so one refresh serves them all.
pub struct AssumedRole {
    base: Client,
    fetch: Fetch,
    request: AssumeRoleRequest,
    account: String,
    /// The credentials and their expiry (Unix seconds, the server's clock as answered).
    current: Mutex<Option<(Credentials, i64)>>,
}

impl std::fmt::Debug for AssumedRole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AssumedRole")
            .field("role_arn", &self.request.role_arn)
            .field("session", &self.request.role_session_name)
            .finish_non_exhaustive()
    }
}

impl AssumedRole {
    /// Checks the ARN, the session name and the duration (each error names its field);
    /// nothing is sent until credentials are first needed. `region` is where the STS
    /// calls go.
    pub fn new(
        base: Client,
        region: &str,
        role_arn: &str,
        session_name: &str,
        duration_seconds: u64,
    ) -> Result<AssumedRole, Error> {
        let arn = parse_role_arn(role_arn)?;
        validate_session_name(session_name)?;
        if !(MIN_DURATION_SECONDS..=MAX_DURATION_SECONDS).contains(&duration_seconds) {
            return Err(Error::invalid(
                "DurationSeconds",
                format!("must be {MIN_DURATION_SECONDS}-{MAX_DURATION_SECONDS} seconds"),
            ));
        }
        crate::validate_region(region)?;
        let (client, region) = (base.clone(), region.to_owned());
        let fetch: Fetch = Arc::new(move |req: AssumeRoleRequest| {
            let (client, region) = (client.clone(), region.clone());
            Box::pin(async move { client.assume_role(&region, &req).await })
        });
        Ok(AssumedRole {
            base,
            fetch,
            request: AssumeRoleRequest {
                role_arn: role_arn.to_owned(),
                role_session_name: session_name.to_owned(),
                duration_seconds: Some(duration_seconds),
            },
            account: arn.account,
            current: Mutex::new(None),
        })
    }

    /// The UIN of the account that owns the role (from its ARN).
    pub fn account(&self) -> &str {
        &self.account
    }

    pub fn role_arn(&self) -> &str {
        &self.request.role_arn
    }

    /// When the credentials held now expire (Unix seconds), if any are held.
    pub async fn expires_at(&self) -> Option<i64> {
        self.current.lock().await.as_ref().map(|(_, e)| *e)
    }

    /// Seconds before expiry at which the credentials are renewed: a quarter of the
    /// session, at most five minutes.
    fn margin(&self) -> i64 {
        let d = self.request.duration_seconds.unwrap_or(7200) as i64;
        (d / 4).min(300)
    }

    /// Credentials good for a while yet: the held ones, or fresh ones when they are
    /// missing or about to expire.
    pub async fn credentials(&self) -> Result<Credentials, Error> {
        let mut current = self.current.lock().await;
        if let Some((c, expires)) = &*current
            && expires - self.base.now_unix() > self.margin()
        {
            return Ok(c.clone());
        }
        self.fetch(&mut current).await
    }

    /// New credentials after the server refused `stale` (an expired token): unless another
    /// caller already replaced them.
    pub async fn refresh(&self, stale: &Credentials) -> Result<Credentials, Error> {
        let mut current = self.current.lock().await;
        if let Some((c, _)) = &*current
            && c.secret_id() != stale.secret_id()
        {
            return Ok(c.clone());
        }
        self.fetch(&mut current).await
    }

    async fn fetch(&self, current: &mut Option<(Credentials, i64)>) -> Result<Credentials, Error> {
        let r = (self.fetch)(self.request.clone()).await?;
        let c = r.credentials;
        let creds =
            Credentials::with_token(c.tmp_secret_id, c.tmp_secret_key.expose(), c.token.expose());
        creds.validate()?;
        tracing::info!(
            role_arn = %self.request.role_arn,
            expires = r.expired_time,
            "assumed the role"
        );
        *current = Some((creds.clone(), r.expired_time));
        Ok(creds)
    }
}
