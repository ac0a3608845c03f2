//! The client: budget → sign → send → parse the envelope → map errors → retry what is
//! safe → record the call.

use crate::action::{Action, RetrySafety, retry_safety, validate_params};
use crate::budget::{Budget, BudgetProfile};
use crate::endpoint::{Endpoint, Target, validate_region};
use crate::error::{Error, ErrorKind, TransportKind};
use crate::sign::{self, Payload, SignableRequest};
use crate::transport::{HttpRequest, ReqwestTransport, Transport};
use crate::{AssumedRole, Credentials, query};
use backon::BackoffBuilder;
use bytes::Bytes;
use serde::Deserialize;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tracing::Instrument;

/// `X-TC-Language`: the language of error messages and localised names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Language {
    #[default]
    ZhCn,
    EnUs,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::EnUs => "en-US",
        }
    }
}

/// POST with a JSON body (the default, up to 10 MB) or GET with a query string (32 KB).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HttpMethod {
    #[default]
    Post,
    Get,
}

/// Exponential back-off with full jitter for the failures worth repeating.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, the first included; 1 disables retries.
    pub max_attempts: u32,
    pub min_delay: Duration,
    pub max_delay: Duration,
    pub jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            min_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    fn delays(&self) -> impl Iterator<Item = Duration> + use<> {
        let mut b = backon::ExponentialBuilder::default()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay)
            .with_max_times(self.max_attempts.saturating_sub(1) as usize);
        if self.jitter {
            b = b.with_jitter();
        }
        b.build()
    }
}

/// How one call ended, for the activity log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallOutcome {
    Ok,
    Failed {
        category: ErrorKind,
        code: String,
        outcome_unknown: bool,
    },
}

/// One finished call (all attempts), handed to the activity-log callback. Holds no secret.
#[derive(Clone, Debug)]
pub struct CallRecord {
    pub service: &'static str,
    pub action: &'static str,
    pub region: String,
    /// The last RequestId received, if any.
    pub request_id: Option<String>,
    pub attempts: u32,
    /// `RequestLimitExceeded*` answers received along the way.
    pub throttled: u32,
    pub latency: Duration,
    pub outcome: CallOutcome,
}

pub type CallCallback = Arc<dyn Fn(&CallRecord) + Send + Sync>;

/// Where a client's credentials come from.
#[derive(Clone, Debug)]
enum Source {
    Fixed(Credentials),
    /// A role's temporary credentials, refreshed as they near expiry.
    Role(Arc<AssumedRole>),
}
type UnixClock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// Settings for one [`Client`]; the app builds one per profile.
pub struct ClientBuilder {
    credentials: Source,
    endpoint: Endpoint,
    language: Language,
    request_client: String,
    method: HttpMethod,
    unsigned_payload: bool,
    sign_action_header: bool,
    connect_timeout: Duration,
    timeout: Duration,
    retry: RetryPolicy,
    budget: Option<Arc<Budget>>,
    budget_profile: BudgetProfile,
    transport: Option<Arc<dyn Transport>>,
    on_call: Option<CallCallback>,
    clock: Option<UnixClock>,
    page_concurrency: usize,
}

impl ClientBuilder {
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = endpoint;
        self
    }

    pub fn language(mut self, language: Language) -> Self {
        self.language = language;
        self
    }

    /// `X-TC-RequestClient`, e.g. `CVM-Console_0.1.0` (`[0-9A-Za-z-_,;.]`, at most 128).
    pub fn request_client(mut self, name: impl Into<String>) -> Self {
        self.request_client = name.into();
        self
    }

    pub fn method(mut self, method: HttpMethod) -> Self {
        self.method = method;
        self
    }

    /// Sends `X-TC-Content-SHA256: UNSIGNED-PAYLOAD`: the body is not hashed into the signature.
    pub fn unsigned_payload(mut self, on: bool) -> Self {
        self.unsigned_payload = on;
        self
    }

    /// Also signs `X-TC-Action`, as Tencent's current documentation example does.
    pub fn sign_action_header(mut self, on: bool) -> Self {
        self.sign_action_header = on;
        self
    }

    pub fn timeouts(mut self, connect: Duration, total: Duration) -> Self {
        self.connect_timeout = connect;
        self.timeout = total;
        self
    }

    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The budget profile for a budget of this client's own.
    pub fn budget_profile(mut self, profile: BudgetProfile) -> Self {
        self.budget_profile = profile;
        self
    }

    /// A budget shared with other clients of the same credential.
    pub fn budget(mut self, budget: Arc<Budget>) -> Self {
        self.budget = Some(budget);
        self
    }

    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Called once per finished call (after all attempts), for the activity log.
    pub fn on_call(mut self, f: impl Fn(&CallRecord) + Send + Sync + 'static) -> Self {
        self.on_call = Some(Arc::new(f));
        self
    }

    /// How many pages a listing fetches at once once TotalCount is known.
    pub fn page_concurrency(mut self, n: usize) -> Self {
        self.page_concurrency = n.max(1);
        self
    }

    /// Replaces the wall clock (Unix seconds) used for request timestamps; for tests.
    #[doc(hidden)]
    pub fn unix_clock(mut self, f: impl Fn() -> i64 + Send + Sync + 'static) -> Self {
        self.clock = Some(Arc::new(f));
        self
    }

    pub fn build(self) -> Result<Client, Error> {
        if let Source::Fixed(c) = &self.credentials {
            c.validate()?;
        }
        self.endpoint.validate()?;
        let rc = &self.request_client;
        if rc.is_empty()
            || rc.len() > 128
            || !rc
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_,;.".contains(&b))
        {
            return Err(Error::invalid(
                "request_client",
                "must be 1-128 characters of [0-9A-Za-z-_,;.]",
            ));
        }
        let transport = match self.transport {
            Some(t) => t,
            None => Arc::new(ReqwestTransport::new(self.connect_timeout, self.timeout)?),
        };
        let budget = self
            .budget
            .unwrap_or_else(|| Arc::new(Budget::new(self.budget_profile)));
        Ok(Client {
            inner: Arc::new(Inner {
                credentials: self.credentials,
                endpoint: self.endpoint,
                language: self.language,
                request_client: self.request_client,
                method: self.method,
                unsigned_payload: self.unsigned_payload,
                sign_action_header: self.sign_action_header,
                retry: self.retry,
                budget,
                transport,
                on_call: self.on_call,
                clock: self.clock.unwrap_or_else(|| Arc::new(system_unix_time)),
                clock_offset: AtomicI64::new(0),
                page_concurrency: self.page_concurrency,
            }),
        })
    }
}

fn system_unix_time() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// A Tencent Cloud API client for one credential. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    credentials: Source,
    endpoint: Endpoint,
    language: Language,
    request_client: String,
    method: HttpMethod,
    unsigned_payload: bool,
    sign_action_header: bool,
    retry: RetryPolicy,
    budget: Arc<Budget>,
    transport: Arc<dyn Transport>,
    on_call: Option<CallCallback>,
    clock: UnixClock,
    /// Server time minus local time, learned from a SignatureExpire answer; within
    /// ±[`MAX_CLOCK_OFFSET`].
    clock_offset: AtomicI64,
    page_concurrency: usize,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("credentials", &self.inner.credentials)
            .field("endpoint", &self.inner.endpoint)
            .field("budget", &self.inner.budget)
            .finish_non_exhaustive()
    }
}

/// A request after validation and encoding, reused unchanged by every attempt (so a
/// ClientToken is the same on each).
struct Prepared {
    target: Target,
    region: String,
    query: String,
    body: Bytes,
    content_type: &'static str,
}

struct Failure {
    error: Error,
    date: Option<String>,
}

#[derive(Deserialize)]
struct Probe {
    #[serde(rename = "Response")]
    response: ProbeInner,
}

#[derive(Deserialize)]
struct ProbeInner {
    #[serde(rename = "Error", default)]
    error: Option<ApiErrorBody>,
    #[serde(rename = "RequestId", default)]
    request_id: Option<String>,
}

#[derive(Deserialize)]
struct ApiErrorBody {
    #[serde(rename = "Code")]
    code: String,
    #[serde(rename = "Message", default)]
    message: Option<String>,
}

#[derive(Deserialize)]
struct Envelope<T> {
    #[serde(rename = "Response")]
    response: T,
}

/// The largest clock offset learned from a server's `Date`, in seconds either way. A real
/// skew is minutes; a `Date` further off is broken or hostile, and following it would
/// sign every later request with an absurd timestamp.
pub const MAX_CLOCK_OFFSET: i64 = 24 * 60 * 60;

const GET_LIMIT: usize = 32 * 1024;
const POST_LIMIT: usize = 10 * 1024 * 1024;

impl Client {
    pub fn builder(credentials: Credentials) -> ClientBuilder {
        Self::builder_from(Source::Fixed(credentials))
    }

    /// A client that signs with a role's temporary credentials (the token in
    /// `X-TC-Token`), refreshed before they expire; a call refused for an expired token is
    /// sent once more after a refresh.
    pub fn builder_for_role(role: Arc<AssumedRole>) -> ClientBuilder {
        Self::builder_from(Source::Role(role))
    }

    fn builder_from(credentials: Source) -> ClientBuilder {
        ClientBuilder {
            credentials,
            endpoint: Endpoint::Default,
            language: Language::default(),
            request_client: format!("tencent-api-rs_{}", env!("CARGO_PKG_VERSION")),
            method: HttpMethod::Post,
            unsigned_payload: false,
            sign_action_header: false,
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            budget: None,
            budget_profile: BudgetProfile::current(),
            transport: None,
            on_call: None,
            clock: None,
            page_concurrency: 4,
        }
    }

    pub fn budget(&self) -> &Arc<Budget> {
        &self.inner.budget
    }

    /// The long-term credentials; None for a role's client (see [`Client::role`]).
    pub fn credentials(&self) -> Option<&Credentials> {
        match &self.inner.credentials {
            Source::Fixed(c) => Some(c),
            Source::Role(_) => None,
        }
    }

    /// The role this client acts as, if it is a role's client.
    pub fn role(&self) -> Option<&Arc<AssumedRole>> {
        match &self.inner.credentials {
            Source::Fixed(_) => None,
            Source::Role(r) => Some(r),
        }
    }

    /// The same client (credentials, endpoint, budget, call log) answering in `language`.
    pub fn with_language(&self, language: Language) -> Client {
        self.derive(language, self.inner.budget.clone())
    }

    /// The same client counting its calls in `budget` (one shared by the account's
    /// clients).
    pub fn with_budget(&self, budget: Arc<Budget>) -> Client {
        self.derive(self.inner.language, budget)
    }

    fn derive(&self, language: Language, budget: Arc<Budget>) -> Client {
        let i = &self.inner;
        Client {
            inner: Arc::new(Inner {
                credentials: i.credentials.clone(),
                endpoint: i.endpoint.clone(),
                language,
                request_client: i.request_client.clone(),
                method: i.method,
                unsigned_payload: i.unsigned_payload,
                sign_action_header: i.sign_action_header,
                retry: i.retry,
                budget,
                transport: i.transport.clone(),
                on_call: i.on_call.clone(),
                clock: i.clock.clone(),
                clock_offset: AtomicI64::new(self.clock_offset()),
                page_concurrency: i.page_concurrency,
            }),
        }
    }

    /// Unix seconds on this client's own clock (no learned offset).
    pub(crate) fn local_unix(&self) -> i64 {
        (self.inner.clock)()
    }

    /// Unix seconds on the server's clock as far as this client knows it.
    pub(crate) fn now_unix(&self) -> i64 {
        (self.inner.clock)() + self.clock_offset()
    }

    /// The credentials to sign the next attempt with.
    async fn signing_credentials(&self) -> Result<Credentials, Error> {
        match &self.inner.credentials {
            Source::Fixed(c) => Ok(c.clone()),
            Source::Role(r) => r.credentials().await,
        }
    }

    /// Server time minus local time in seconds, as learned so far (at most
    /// [`MAX_CLOCK_OFFSET`] either way).
    pub fn clock_offset(&self) -> i64 {
        self.inner.clock_offset.load(Ordering::Relaxed)
    }

    pub(crate) fn page_concurrency(&self) -> usize {
        self.inner.page_concurrency
    }

    /// Calls any modelled action. The typed methods (`describe_instances`, …) call this.
    pub async fn call<A: Action>(&self, region: &str, req: &A) -> Result<A::Output, Error> {
        let prepared = self.prepare::<A>(region, req)?;
        let safety = retry_safety(A::NAME, req.client_token());
        // Only fields known up front. What is learned later (RequestId, attempts, latency,
        // outcome) goes on the closing event: a field recorded into a span after it was
        // created is appended again by every fmt layer that shares the span (the app has
        // two), and a field recorded per attempt piles up in the span's line.
        let span = tracing::info_span!(
            "tencent_api.call",
            service = A::SERVICE,
            action = A::NAME,
            region = %region,
        );
        self.execute::<A>(prepared, safety).instrument(span).await
    }

    fn prepare<A: Action>(&self, region: &str, req: &A) -> Result<Prepared, Error> {
        validate_region(region)?;
        let params =
            serde_json::to_value(req).map_err(|e| Error::invalid("request", e.to_string()))?;
        validate_params(A::SERVICE, A::NAME, &params)?;
        let target = self.inner.endpoint.target(A::SERVICE, region)?;
        let (query, body, content_type) = match self.inner.method {
            HttpMethod::Post => {
                let body = serde_json::to_vec(&params)
                    .map_err(|e| Error::invalid("request", e.to_string()))?;
                if body.len() > POST_LIMIT {
                    return Err(Error::invalid(
                        "request",
                        "larger than the 10 MB POST limit",
                    ));
                }
                (String::new(), Bytes::from(body), "application/json")
            }
            HttpMethod::Get => {
                let q = query::encode(&query::flatten(&params));
                if q.len() + 512 > GET_LIMIT {
                    return Err(Error::invalid("request", "larger than the 32 KB GET limit"));
                }
                (q, Bytes::new(), "application/x-www-form-urlencoded")
            }
        };
        Ok(Prepared {
            target,
            region: region.to_owned(),
            query,
            body,
            content_type,
        })
    }

    async fn execute<A: Action>(
        &self,
        prepared: Prepared,
        safety: RetrySafety,
    ) -> Result<A::Output, Error> {
        let started = tokio::time::Instant::now();
        let mut delays = self.inner.retry.delays();
        let mut attempt = 0u32;
        let mut throttled = 0u32;
        let mut skew_learned = false;
        let mut token_refreshed = false;
        let mut last_request_id = None;
        let result = loop {
            attempt += 1;
            let creds = match self.signing_credentials().await {
                Ok(c) => c,
                Err(error) => break Err(error),
            };
            let sent = {
                let access = self
                    .inner
                    .endpoint
                    .access_region(A::SERVICE, &prepared.region);
                let _permit = self.inner.budget.acquire(A::SERVICE, A::NAME, access).await;
                self.send_once::<A>(&prepared, &creds).await
            };
            let failure = match sent {
                Ok((out, rid)) => {
                    last_request_id = rid;
                    break Ok(out);
                }
                Err(f) => f,
            };
            if let Some(rid) = failure.error.request_id() {
                last_request_id = Some(rid.to_owned());
            }
            let code = failure.error.code().to_owned();
            if code.starts_with("RequestLimitExceeded") {
                throttled += 1;
            }
            // A rejected timestamp means nothing was executed: safe to repeat for any action.
            if code == "AuthFailure.SignatureExpire"
                && !skew_learned
                && let Some(server) = failure.date.as_deref().and_then(parse_http_date)
            {
                let offset =
                    (server - (self.inner.clock)()).clamp(-MAX_CLOCK_OFFSET, MAX_CLOCK_OFFSET);
                self.inner.clock_offset.store(offset, Ordering::Relaxed);
                skew_learned = true;
                tracing::info!(offset, "learned the server clock offset; retrying once");
                continue;
            }
            // Temporary keys refused: nothing was executed; refresh once and send again.
            if is_stale_temporary_key(&code)
                && !token_refreshed
                && let Source::Role(role) = &self.inner.credentials
            {
                token_refreshed = true;
                match role.refresh(&creds).await {
                    Ok(_) => {
                        tracing::info!("the role's token was refused; refreshed, retrying once");
                        continue;
                    }
                    Err(error) => break Err(error),
                }
            }
            if safety != RetrySafety::Unsafe
                && is_transient(&failure.error)
                && let Some(delay) = delays.next()
            {
                tracing::debug!(attempt, code = %code, ?delay, "transient failure; retrying");
                tokio::time::sleep(delay).await;
                continue;
            }
            break Err(finalize(failure.error, safety));
        };
        let latency = started.elapsed();
        let outcome = match &result {
            Ok(_) => CallOutcome::Ok,
            Err(e) => CallOutcome::Failed {
                category: e.kind(),
                code: e.code().to_owned(),
                outcome_unknown: e.outcome_unknown(),
            },
        };
        tracing::info!(
            request_id = last_request_id.as_deref(),
            attempts = attempt,
            latency_ms = latency.as_millis() as u64,
            outcome = match &outcome {
                CallOutcome::Ok => "ok",
                CallOutcome::Failed { code, .. } => code.as_str(),
            },
            "call finished"
        );
        if let Some(cb) = &self.inner.on_call {
            cb(&CallRecord {
                service: A::SERVICE,
                action: A::NAME,
                region: prepared.region.clone(),
                request_id: last_request_id,
                attempts: attempt,
                throttled,
                latency,
                outcome,
            });
        }
        result
    }

    fn build_request<A: Action>(
        &self,
        p: &Prepared,
        creds: &Credentials,
        timestamp: i64,
    ) -> Result<HttpRequest, Error> {
        let i = &self.inner;
        let action_header: [(&str, &str); 1] = [("x-tc-action", A::NAME)];
        let method = if i.method == HttpMethod::Get {
            "GET"
        } else {
            "POST"
        };
        let signable = SignableRequest {
            method,
            host: &p.target.host,
            query: &p.query,
            content_type: p.content_type,
            payload: if i.unsigned_payload {
                Payload::Unsigned
            } else {
                Payload::Body(&p.body)
            },
            extra_signed_headers: if i.sign_action_header {
                &action_header
            } else {
                &[]
            },
        };
        let sig = sign::sign(
            creds.secret_id(),
            creds.secret_key(),
            A::SERVICE,
            timestamp,
            &signable,
        )
        .ok_or_else(|| Error::invalid("timestamp", "outside the calendar range"))?;
        let mut headers: Vec<(&'static str, String)> = vec![
            ("Host", p.target.host.clone()),
            ("Content-Type", p.content_type.to_owned()),
            ("X-TC-Action", A::NAME.to_owned()),
            ("X-TC-Version", A::VERSION.to_owned()),
            ("X-TC-Timestamp", timestamp.to_string()),
            ("X-TC-Region", p.region.clone()),
            ("X-TC-Language", i.language.as_str().to_owned()),
            ("X-TC-RequestClient", i.request_client.clone()),
            ("Authorization", sig.authorization),
        ];
        if let Some(token) = creds.token() {
            headers.push(("X-TC-Token", token.to_owned()));
        }
        if i.unsigned_payload {
            headers.push(("X-TC-Content-SHA256", sign::UNSIGNED_PAYLOAD.to_owned()));
        }
        let mut url = p.target.url.clone();
        if !p.query.is_empty() {
            url.set_query(Some(&p.query));
        }
        Ok(HttpRequest {
            method,
            url,
            headers,
            body: p.body.clone(),
        })
    }

    async fn send_once<A: Action>(
        &self,
        p: &Prepared,
        creds: &Credentials,
    ) -> Result<(A::Output, Option<String>), Failure> {
        let timestamp = (self.inner.clock)() + self.inner.clock_offset.load(Ordering::Relaxed);
        let request = self
            .build_request::<A>(p, creds, timestamp)
            .map_err(|error| Failure { error, date: None })?;
        let resp = self
            .inner
            .transport
            .send(request)
            .await
            .map_err(|e| Failure {
                error: Error::Transport {
                    action: A::NAME.to_owned(),
                    kind: e.kind,
                    detail: e.detail,
                    outcome_unknown: false,
                },
                date: None,
            })?;
        let date = resp.date;
        if resp.status != 200 {
            let snippet: String = String::from_utf8_lossy(&resp.body)
                .chars()
                .take(200)
                .collect();
            return Err(Failure {
                error: Error::Transport {
                    action: A::NAME.to_owned(),
                    kind: TransportKind::Status(resp.status),
                    detail: snippet,
                    outcome_unknown: false,
                },
                date,
            });
        }
        decode::<A>(&resp.body).map_err(|error| Failure { error, date })
    }
}

/// Reads the envelope: first only `Error` and `RequestId` (cheap, and robust to a body
/// that does not fit the model), then the typed body.
fn decode<A: Action>(body: &[u8]) -> Result<(A::Output, Option<String>), Error> {
    let decode_err = |detail: String, request_id: Option<String>| Error::Decode {
        action: A::NAME.to_owned(),
        detail,
        request_id,
        outcome_unknown: false,
    };
    let probe: Probe = serde_json::from_slice(body)
        .map_err(|e| decode_err(e.to_string(), scan_request_id(body)))?;
    let rid = probe.response.request_id;
    if let Some(err) = probe.response.error {
        return Err(Error::Api {
            action: A::NAME.to_owned(),
            code: err.code,
            message: err.message.unwrap_or_default(),
            request_id: rid.unwrap_or_default(),
        });
    }
    let env: Envelope<A::Output> =
        serde_json::from_slice(body).map_err(|e| decode_err(e.to_string(), rid.clone()))?;
    Ok((env.response, rid))
}

/// Finds `"RequestId": "…"` in a body that is not valid JSON (truncated, say).
fn scan_request_id(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let at = text.find("\"RequestId\"")? + "\"RequestId\"".len();
    let rest = text[at..].trim_start().strip_prefix(':')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    let end = rest.find('"')?;
    let id = &rest[..end];
    (!id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        .then(|| id.to_owned())
}

/// The answers that mean a role's temporary keys are no longer good. The API 3.0 common
/// error codes (cloud.tencent.com/document/api/213/30435, 公共错误码) have one token code,
/// `AuthFailure.TokenFailure` ("token 错误": a wrong or expired token), and CVM's own
/// list adds `UnauthorizedOperation.InvalidToken`. A SecretId the endpoint does not hold
/// reads as `AuthFailure.SecretIdNotFound` ("密钥不存在"), and Tencent's COS request
/// diagnosis words that answer "the SecretId does not exist, or the temporary key used
/// has expired" (<https://github.com/tencentyun/cos-go-sdk-v5/issues/318>). The official
/// SDKs renew on the expiry time alone and on no error code, so each of these gets one
/// renewal here.
fn is_stale_temporary_key(code: &str) -> bool {
    matches!(
        code,
        "AuthFailure.TokenFailure"
            | "AuthFailure.SecretIdNotFound"
            | "UnauthorizedOperation.InvalidToken"
    )
}

fn is_transient(e: &Error) -> bool {
    match e {
        Error::Api { code, .. } => {
            code.starts_with("RequestLimitExceeded")
                || code.starts_with("InternalError")
                || code == "InternalServerError"
                || code == "ServiceUnavailable"
        }
        Error::Transport { kind, .. } => match kind {
            TransportKind::Timeout | TransportKind::Reset | TransportKind::Connect => true,
            TransportKind::Status(s) => *s >= 500,
            // A server that sent too much once will do it again.
            TransportKind::Tls | TransportKind::TooLarge | TransportKind::Other => false,
        },
        Error::Decode { .. } | Error::InvalidInput { .. } => false,
    }
}

/// Marks a mutation whose request may have been executed as "outcome unknown": a lost or
/// unreadable answer says nothing about whether it ran.
fn finalize(e: Error, safety: RetrySafety) -> Error {
    let mutation = safety != RetrySafety::Idempotent;
    match e {
        Error::Transport {
            action,
            kind,
            detail,
            ..
        } => Error::Transport {
            outcome_unknown: mutation && kind.maybe_delivered(),
            action,
            kind,
            detail,
        },
        Error::Decode {
            action,
            detail,
            request_id,
            ..
        } => Error::Decode {
            outcome_unknown: mutation,
            action,
            detail,
            request_id,
        },
        other => other,
    }
}

/// `Sun, 06 Nov 1994 08:49:37 GMT` → Unix seconds.
pub(crate) fn parse_http_date(s: &str) -> Option<i64> {
    let fmt = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::PrimitiveDateTime::parse(s.trim(), &fmt)
        .ok()
        .map(|t| t.assume_utc().unix_timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784111777)
        );
        assert_eq!(parse_http_date("yesterday"), None);
    }

    #[test]
    fn request_id_is_salvaged_from_truncated_bodies() {
        let body = br#"{"Response": {"RequestId": "ed93f3cb-f35e-473f-b9f3-0d451b8b79c6", "InstanceSet": [{"Insta"#;
        assert_eq!(
            scan_request_id(body).as_deref(),
            Some("ed93f3cb-f35e-473f-b9f3-0d451b8b79c6")
        );
        assert_eq!(scan_request_id(b"{\"Response\": {\"Total"), None);
    }
}
