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
    /// The credentials and when they are held to expire.
    current: Mutex<Option<(Credentials, Expiry)>>,
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

    /// When the credentials held now expire, if any are held.
    pub async fn expiry(&self) -> Option<Expiry> {
        self.current.lock().await.as_ref().map(|(_, e)| *e)
    }

    fn duration(&self) -> i64 {
        self.request.duration_seconds.unwrap_or(7200) as i64
    }

    /// Seconds before expiry at which the credentials are renewed: a quarter of the
    /// session, at most five minutes.
    fn margin(&self) -> i64 {
        (self.duration() / 4).min(300)
    }

    /// Credentials good for a while yet: the held ones, or fresh ones when they are
    /// missing or within [`Self::margin`] of their expiry on this client's clock.
    pub async fn credentials(&self) -> Result<Credentials, Error> {
        let mut current = self.current.lock().await;
        if let Some((c, expiry)) = &*current
            && expiry.local - self.base.local_unix() > self.margin()
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

    async fn fetch(
        &self,
        current: &mut Option<(Credentials, Expiry)>,
    ) -> Result<Credentials, Error> {
        let r = (self.fetch)(self.request.clone()).await?;
        // After the answer: an offset learned on the way (a refused timestamp) is known.
        let (answered_server, answered_local) = (self.base.now_unix(), self.base.local_unix());
        let c = r.credentials;
        let creds =
            Credentials::with_token(c.tmp_secret_id, c.tmp_secret_key.expose(), c.token.expose());
        creds.validate()?;
        tracing::info!(
            role_arn = %self.request.role_arn,
            expires = r.expired_time,
            "assumed the role"
        );
        let expiry = Expiry::of(
            r.expired_time,
            answered_server,
            answered_local,
            self.duration(),
            self.margin(),
        );
        *current = Some((creds.clone(), expiry));
        Ok(creds)
    }
}

/// When a set of temporary credentials expires: as the server said, and on this client's
/// own clock, which is what renewal goes by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expiry {
    /// ExpiredTime as answered (Unix seconds on the server's clock).
    pub server: i64,
    /// The same moment on this client's clock (Unix seconds).
    pub local: i64,
}

impl Expiry {
    /// The lifetime is ExpiredTime less the server's time when the answer came, as far as
    /// the client knows it (its clock plus any learned offset), counted from then on the
    /// client's own clock, so a clock that is off by any amount neither keeps
    /// credentials past their end nor renews them on every call. It is at most what was
    /// asked for (a client clock behind the server's would otherwise stretch it) and at
    /// least twice the renewal margin (a client clock far ahead would otherwise renew at
    /// every call; the server's refusal of an expired token still renews them then).
    fn of(expired_time: i64, server_now: i64, local_now: i64, asked: i64, margin: i64) -> Self {
        let life = (expired_time - server_now).clamp(2 * margin, asked.max(2 * margin));
        Expiry {
            server: expired_time,
            local: local_now + life,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Expiry;

    #[test]
    fn the_lifetime_is_counted_on_the_clients_clock() {
        let asked_at = 1_000_000;
        // Clocks agree: 2 h from the asking.
        let e = Expiry::of(asked_at + 7200, asked_at, asked_at, 7200, 300);
        assert_eq!(e.local, asked_at + 7200);
        // The server grants less than asked: its lifetime holds.
        let e = Expiry::of(asked_at + 3600, asked_at, asked_at, 7200, 300);
        assert_eq!(e.local, asked_at + 3600);
        // The client is 10 min behind (no offset learned): not stretched past what was asked.
        let e = Expiry::of(asked_at + 600 + 7200, asked_at, asked_at, 7200, 300);
        assert_eq!(e.local, asked_at + 7200);
        // The client is 10 min ahead: renewed 10 min earlier, before the server's end.
        let e = Expiry::of(asked_at - 600 + 7200, asked_at, asked_at, 7200, 300);
        assert_eq!(e.local, asked_at + 6600);
        // The client is 3 h ahead: still a usable life, not a renewal at every call.
        let e = Expiry::of(asked_at - 3 * 3600 + 7200, asked_at, asked_at, 7200, 300);
        assert_eq!(e.local, asked_at + 600);
    }
}
