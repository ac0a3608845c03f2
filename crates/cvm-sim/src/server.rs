//! The HTTP side: one listener for `cvm` and `vpc`, TC3 verification over the bytes as
//! received, the Tencent envelope, rate limits, faults and the state file.
//!
//! hyper is used directly (not axum) because faults need to drop a connection without an
//! answer, which a handler that must return a response cannot express.

use crate::catalog::{self, Lang};
use crate::clock::{self, Clock};
use crate::error::ApiError;
use crate::faults::{FaultKind, FaultSpec, Faults};
use crate::identity::{Caller, Identity, Role};
use crate::limits::{Limiter, RateLimit};
use crate::msg;
use crate::params::Params;
use crate::router::{self, Action};
use crate::state_file::{self, LoadNotice, Loaded};
use crate::toolkit::Ctx;
use crate::world::World;
use crate::{Config, preload};
use bytes::Bytes;
use http::request::Parts;
use http::{Method, Request, Response, StatusCode, header};
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tencent_api::sign::{self, Payload, ReceivedRequest, VerifyError};
use tokio::net::TcpListener;
use tokio::sync::{Notify, Semaphore, watch};
use tokio::task::JoinHandle;

/// POST with TC3: 10 MB; GET: 32 KB for the whole request (reference §1.1).
const POST_LIMIT: usize = 10 * 1024 * 1024;
const GET_LIMIT: usize = 32 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("invalid configuration: {0}")]
    Config(String),
}

pub(crate) struct Shared {
    world: Mutex<World>,
    identity: Identity,
    clock: Clock,
    config: Config,
    limiter: Mutex<Limiter>,
    rate_limit: Mutex<RateLimit>,
    faults: Mutex<Faults>,
    /// `Config::latency` in microseconds.
    latency_us: AtomicU64,
    hot: Mutex<Vec<String>>,
    dirty: AtomicBool,
    changed: Notify,
    /// Where the world is saved: the configured file, unless it was unusable and could
    /// not be moved aside (then nothing is saved, so it is not overwritten).
    state_file: Option<PathBuf>,
    /// Held for a whole save, so two saves never interleave their snapshots and renames.
    saving: Mutex<()>,
    load_notice: Option<LoadNotice>,
    /// Where every answer is appended as one JSON line (`Config::record_answers`).
    record: Option<Mutex<std::fs::File>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock must not take the whole emulator down with it.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl crate::ssh::Instances for Shared {
    fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    fn machine(&self, id: &str) -> Option<crate::ssh::Machine> {
        let now = self.clock.now_ms();
        let mut w = lock(&self.world);
        for acct in w.accounts.values_mut() {
            let mut balance = acct.balance;
            let Some(region) = acct.regions.values_mut().find(|r| r.index.contains_key(id)) else {
                continue;
            };
            region.settle(now, &mut balance);
            acct.balance = balance;
            let acct = &*acct;
            return acct
                .regions
                .values()
                .find_map(|r| r.get(id))
                .map(|i| crate::ssh::Machine::of(i, acct));
        }
        None
    }

    fn neighbour(&self, from: &str, ip: &str) -> Option<crate::ssh::Machine> {
        let now = self.clock.now_ms();
        let mut w = lock(&self.world);
        let acct = w
            .accounts
            .values_mut()
            .find(|a| a.regions.values().any(|r| r.index.contains_key(from)))?;
        let mut balance = acct.balance;
        let region = acct
            .regions
            .values_mut()
            .find(|r| r.index.contains_key(from))?;
        region.settle(now, &mut balance);
        acct.balance = balance;
        let acct = &*acct;
        let region = acct.regions.values().find(|r| r.index.contains_key(from))?;
        let vpc = &region.get(from)?.vpc_id;
        // A released address can come back on a newer instance: the running one answers.
        region
            .instances
            .values()
            .filter(|i| &i.vpc_id == vpc && i.private_ip == ip && i.id != from)
            .max_by_key(|i| i.state == crate::world::State::Running)
            .map(|i| crate::ssh::Machine::of(i, acct))
    }
}

impl Shared {
    fn mark_dirty(&self) {
        if self.state_file.is_some() {
            self.dirty.store(true, Ordering::Release);
            self.changed.notify_one();
        }
    }

    fn save(&self) -> std::io::Result<()> {
        let Some(path) = &self.state_file else {
            return Ok(());
        };
        let _saving = lock(&self.saving);
        // Cleared before the snapshot: a change made after it marks the world dirty again.
        self.dirty.store(false, Ordering::Release);
        let bytes = {
            let mut w = lock(&self.world);
            w.clock_offset_ms = self.clock.offset_ms();
            serde_json::to_vec(&*w).map_err(std::io::Error::other)?
        };
        let result = state_file::write_atomically(path, &bytes);
        if result.is_err() {
            // Not on disk: the next change or shutdown must try again.
            self.dirty.store(true, Ordering::Release);
        }
        result
    }

    /// Appends `{"service","version","action","answer"}` to the answers file, if any. The
    /// action is null for a request refused before it was routed (signature, envelope).
    fn record(&self, action: Option<&Action>, answer: &[u8]) {
        let Some(file) = &self.record else { return };
        let mut line = Vec::with_capacity(answer.len() + 128);
        let head = match action {
            Some(a) => json!({"service": a.service, "version": a.version, "action": a.name}),
            None => json!({"service": null, "version": null, "action": null}),
        };
        let _ = serde_json::to_writer(&mut line, &head);
        line.pop();
        line.extend_from_slice(b",\"answer\":");
        line.extend_from_slice(answer);
        line.extend_from_slice(b"}\n");
        // One write per line under the lock: concurrent answers never interleave.
        let _ = std::io::Write::write_all(&mut *lock(file), &line);
    }
}

fn new_world(config: &Config) -> World {
    let mut world = World::new(config.seed);
    if config.preload > 0 {
        let account = config
            .credentials
            .first()
            .map(|c| c.account.clone())
            .unwrap_or_default();
        preload::populate(
            &mut world,
            &account,
            config.preload,
            config.balance,
            clock::wall_ms(),
        );
    }
    add_accounts(&mut world, config);
    world
}

/// Preloads each configured account the world does not have yet (a saved world from
/// before the account was configured gets it too).
fn add_accounts(world: &mut World, config: &Config) {
    for a in config.accounts.iter().filter(|a| a.preload > 0) {
        if !world.accounts.contains_key(&a.uin) {
            preload::populate(world, &a.uin, a.preload, config.balance, clock::wall_ms());
        }
    }
}

/// The world to start with, where to save it, and why the state file was not used.
fn load_world(config: &Config) -> (World, Option<PathBuf>, Option<LoadNotice>) {
    let Some(path) = &config.state_file else {
        return (new_world(config), None, None);
    };
    match state_file::load(path) {
        Loaded::World(mut w) => {
            add_accounts(&mut w, config);
            (*w, Some(path.clone()), None)
        }
        Loaded::Missing => (new_world(config), Some(path.clone()), None),
        Loaded::Unusable(notice) => {
            let save_to = notice.backup().is_some().then(|| path.clone());
            (new_world(config), save_to, Some(notice))
        }
    }
}

/// A running emulator. `shutdown` saves the state file; dropping the handle without it
/// stops serving and saves only if something changed since the last save.
pub struct SimHandle {
    addr: SocketAddr,
    ssh_addr: Option<SocketAddr>,
    ssh_host_key: String,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

/// Starts serving; returns once the listener is bound.
pub async fn start(config: Config) -> Result<SimHandle, StartError> {
    if config.credentials.is_empty() {
        return Err(StartError::Config(
            "at least one credential is needed".into(),
        ));
    }
    if !config.time_scale.is_finite() || config.time_scale < 0.0 {
        return Err(StartError::Config(
            "time scale must be a finite number ≥ 0".into(),
        ));
    }
    if config.max_connections == 0 {
        return Err(StartError::Config("max connections must be ≥ 1".into()));
    }
    if config.header_timeout.is_zero() || config.body_timeout.is_zero() {
        return Err(StartError::Config(
            "header and body timeouts must be longer than zero".into(),
        ));
    }
    let record = match &config.record_answers {
        None => None,
        Some(path) => Some(Mutex::new(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| {
                    StartError::Config(format!(
                        "cannot open the answers file {}: {e}",
                        path.display()
                    ))
                })?,
        )),
    };
    let (world, state_file, load_notice) = load_world(&config);
    let host_key = crate::ssh::host_key(&config.credentials[0].secret_key);
    let ssh_listener = match config.ssh_listen {
        Some(addr) => Some(
            TcpListener::bind(addr)
                .await
                .map_err(|source| StartError::Bind { addr, source })?,
        ),
        None => None,
    };
    let ssh_addr = ssh_listener.as_ref().and_then(|l| l.local_addr().ok());
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|source| StartError::Bind {
            addr: config.listen,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| StartError::Bind {
        addr: config.listen,
        source,
    })?;
    let shared = Arc::new(Shared {
        clock: Clock::new(config.time_scale, world.clock_offset_ms),
        world: Mutex::new(world),
        identity: Identity::new(config.roles.clone()),
        limiter: Mutex::new(Limiter::default()),
        rate_limit: Mutex::new(config.rate_limit.clone()),
        faults: Mutex::new(Faults::new(&config.faults)),
        latency_us: AtomicU64::new(micros(config.latency)),
        hot: Mutex::new(config.hot.clone()),
        dirty: AtomicBool::new(false),
        changed: Notify::new(),
        state_file,
        saving: Mutex::new(()),
        load_notice,
        record,
        config,
    });
    let (stop, stop_rx) = watch::channel(false);
    let mut tasks = vec![tokio::spawn(accept_loop(
        listener,
        shared.clone(),
        stop_rx.clone(),
    ))];
    if let Some(l) = ssh_listener {
        tasks.push(tokio::spawn(crate::ssh::accept_loop(
            l,
            shared.clone(),
            host_key.clone(),
            stop_rx.clone(),
        )));
    }
    if shared.state_file.is_some() {
        // A new world is written at once so that a crash right after start keeps the preload.
        let _ = shared.save();
        tasks.push(tokio::spawn(save_loop(shared.clone(), stop_rx)));
    }
    Ok(SimHandle {
        addr,
        ssh_addr,
        ssh_host_key: crate::ssh::host_public_key(&host_key).unwrap_or_default(),
        shared,
        stop,
        tasks,
    })
}

impl SimHandle {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// `http://127.0.0.1:PORT` (`https://` with TLS) — give the host part to the SDK as
    /// its endpoint.
    pub fn base_url(&self) -> String {
        let scheme = if self.shared.config.tls.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}", self.addr)
    }
    /// The CA certificate clients must trust, when serving HTTPS.
    pub fn ca_path(&self) -> Option<&std::path::Path> {
        self.shared.config.tls.as_ref().map(|t| t.ca_path())
    }
    /// Where the instances' SSH endpoint listens (log in as `<instance id>@HOST -p PORT`).
    pub fn ssh_addr(&self) -> Option<SocketAddr> {
        self.ssh_addr
    }
    /// The SSH endpoint's host key as an OpenSSH public key line.
    pub fn ssh_host_key(&self) -> &str {
        &self.ssh_host_key
    }
    pub fn credentials(&self) -> &[crate::Credential] {
        &self.shared.config.credentials
    }
    /// The temporary credentials AssumeRole has handed out, as (SecretId, SecretKey,
    /// token): for tests that check no secret leaks.
    pub fn issued_credentials(&self) -> Vec<(String, String, String)> {
        self.shared.identity.issued()
    }
    /// The roles AssumeRole can hand out credentials for.
    pub fn roles(&self) -> &[Role] {
        self.shared.identity.roles()
    }
    /// Moves the world clock forward: pending transitions, expiries and timers fall due.
    /// Signatures keep being checked against real time.
    pub fn advance_clock(&self, by: Duration) {
        self.shared
            .clock
            .advance_ms(by.as_millis().min(i64::MAX as u128) as i64);
        self.shared.mark_dirty();
    }
    /// Replaces the fault rules (their PRNGs restart from their seeds).
    pub fn set_faults(&self, spec: &FaultSpec) {
        *lock(&self.shared.faults) = Faults::new(spec);
    }
    /// The world clock (Unix milliseconds): real time plus every `advance_clock`.
    pub fn now_ms(&self) -> i64 {
        self.shared.clock.now_ms()
    }
    /// Replaces the instances whose CPU runs hot in Cloud Monitor's answers.
    pub fn set_hot(&self, ids: Vec<String>) {
        *lock(&self.shared.hot) = ids;
    }
    /// Replaces the delay added to every API request (`Config::latency`).
    pub fn set_latency(&self, latency: Duration) {
        self.shared
            .latency_us
            .store(micros(latency), Ordering::Relaxed);
    }
    pub fn set_rate_limit(&self, mode: RateLimit) {
        *lock(&self.shared.rate_limit) = mode;
        *lock(&self.shared.limiter) = Limiter::default();
    }
    /// Back to the configured seed and preload, as if started afresh (the clock offset stays).
    pub fn reset_world(&self) {
        let mut w = new_world(&self.shared.config);
        w.clock_offset_ms = self.shared.clock.offset_ms();
        *lock(&self.shared.world) = w;
        self.shared.mark_dirty();
    }
    /// `reset_world` at real time: the clock's offset goes back to zero first, so every
    /// `advance_clock` is undone along with the world.
    pub fn reset_world_and_clock(&self) {
        let offset = self.shared.clock.offset_ms();
        self.shared.clock.advance_ms(-offset);
        self.reset_world();
    }
    /// Writes the state file now (no-op without one). Safe to call from several threads:
    /// saves are serialised, each writes a complete file.
    pub fn save_state(&self) -> std::io::Result<()> {
        self.shared.save()
    }
    /// Set when the state file could not be loaded at start: it was moved aside (or, if
    /// even that failed, left alone and not saved over) and a fresh world was made. The
    /// embedding app should show this to the user.
    pub fn load_notice(&self) -> Option<&LoadNotice> {
        self.shared.load_notice.as_ref()
    }
    /// `(InstanceId, InstanceState)` of an account's instances in a region, oldest first,
    /// after applying due transitions. For tests.
    pub fn instances(&self, account: &str, region: &str) -> Vec<(String, String)> {
        let now = self.shared.clock.now_ms();
        let mut w = lock(&self.shared.world);
        let Some(acct) = w.accounts.get_mut(account) else {
            return Vec::new();
        };
        let mut balance = acct.balance;
        let out = match acct.regions.get_mut(region) {
            Some(r) => {
                r.settle(now, &mut balance);
                r.instances
                    .values()
                    .map(|i| (i.id.clone(), i.state.as_str().to_owned()))
                    .collect()
            }
            None => Vec::new(),
        };
        acct.balance = balance;
        out
    }
    /// The whole world as JSON (what the state file holds).
    pub fn world_json(&self) -> Value {
        serde_json::to_value(&*lock(&self.shared.world)).unwrap_or(Value::Null)
    }
    /// Stops accepting, lets in-flight requests finish (≤1 s), and saves the state file.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        let _ = self.stop.send(true);
        for t in self.tasks.drain(..) {
            let _ = t.await;
        }
        self.shared.save()
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if self.shared.dirty.load(Ordering::Acquire) {
            // Nobody is left to report a failure to; the last good file stays in place.
            let _ = self.shared.save();
        }
    }
}

async fn save_loop(shared: Arc<Shared>, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = shared.changed.notified() => {
                // Coalesce bursts of changes into one write.
                tokio::time::sleep(Duration::from_millis(200)).await;
                if shared.dirty.load(Ordering::Acquire) {
                    let s = shared.clone();
                    let _ = tokio::task::spawn_blocking(move || s.save()).await;
                }
            }
            _ = stop.changed() => return,
        }
    }
}

/// Serves at most `max_connections` at once. A slot is taken before `accept`, so further
/// clients wait in the kernel's listen backlog (costing the process nothing) until a
/// connection closes; the header and body timeouts make sure slow clients do close.
async fn accept_loop(listener: TcpListener, shared: Arc<Shared>, mut stop: watch::Receiver<bool>) {
    let mut conns = tokio::task::JoinSet::new();
    let slots = Arc::new(Semaphore::new(shared.config.max_connections));
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => match slot {
                Ok(s) => s,
                Err(_) => break,
            },
            _ = stop.changed() => break,
        };
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let _ = stream.set_nodelay(true);
                    let conn = serve_stream(stream, peer, shared.clone(), stop.clone());
                    conns.spawn(async move {
                        conn.await;
                        drop(slot);
                    });
                }
                // Out of file descriptors and the like: back off instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            _ = stop.changed() => break,
        }
        while conns.try_join_next().is_some() {}
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        while conns.join_next().await.is_some() {}
    })
    .await;
    conns.abort_all();
}

/// Plain HTTP, or HTTPS after a handshake that must finish within the header timeout
/// (a client that stalls in it is closed like one that stalls in its header).
async fn serve_stream(
    stream: tokio::net::TcpStream,
    peer: SocketAddr,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<bool>,
) {
    let Some(tls) = shared.config.tls.clone() else {
        return serve_connection(stream, shared, stop).await;
    };
    let handshake = tokio::time::timeout(
        shared.config.header_timeout,
        crate::tls::accept(&tls, stream, peer),
    );
    let accepted = tokio::select! {
        a = handshake => a,
        _ = stop.changed() => return,
    };
    match accepted {
        Ok(Some(stream)) => serve_connection(stream, shared, stop).await,
        Ok(None) => {}
        Err(_) => eprintln!(
            "cvm-sim: closed a connection from {peer}: no TLS handshake within {} ms",
            shared.config.header_timeout.as_millis()
        ),
    }
}

async fn serve_connection<S>(stream: S, shared: Arc<Shared>, mut stop: watch::Receiver<bool>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let header_timeout = shared.config.header_timeout;
    let svc = service_fn(move |req| handle(shared.clone(), req));
    // The header timeout also runs while a kept-alive connection waits for its next
    // request, so idle connections do not hold a slot forever either.
    let conn = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .max_headers(500)
        .serve_connection(TokioIo::new(stream), svc);
    let mut conn = std::pin::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        _ = stop.changed() => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}

/// Returned by the service to make hyper close the connection without an answer (an
/// injected fault, a body past its timeout, a client gone mid-body).
#[derive(Debug)]
struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped without an answer")
    }
}

impl std::error::Error for DropConnection {}

enum Outcome {
    Reply(Vec<u8>),
    Drop,
    Hold(Duration),
}

async fn handle(
    shared: Arc<Shared>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, DropConnection> {
    if req.uri().path() == HEALTH_PATH {
        return Ok(health(&shared, req.method()));
    }
    let request_id = uuid::Uuid::new_v4().to_string();
    let (parts, body) = req.into_parts();
    let limit = if parts.method == Method::GET {
        GET_LIMIT
    } else {
        POST_LIMIT
    };
    // A body that trickles in would hold its connection slot indefinitely.
    let collected = match tokio::time::timeout(
        shared.config.body_timeout,
        Limited::new(body, limit).collect(),
    )
    .await
    {
        Ok(c) => c,
        Err(_) => return Err(DropConnection),
    };
    let body = match collected {
        Ok(c) => c.to_bytes(),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => {
            let err = ApiError::new("RequestSizeLimitExceeded", msg::request_too_large(&limit));
            let lang = request_lang(&parts).unwrap_or(Lang::Zh);
            let answer = envelope_bytes(error_envelope(&err, lang, &request_id));
            shared.record(None, &answer);
            return Ok(respond(answer));
        }
        // The client went away mid-body: nobody to answer.
        Err(_) => return Err(DropConnection),
    };
    // The request's trip over a network: it reaches the rate limit and the world late.
    let latency = shared.latency_us.load(Ordering::Relaxed);
    if latency > 0 {
        tokio::time::sleep(Duration::from_micros(latency)).await;
    }
    match process(&shared, &parts, &body, &request_id) {
        Outcome::Reply(v) => Ok(respond(v)),
        Outcome::Drop => Err(DropConnection),
        Outcome::Hold(d) => {
            tokio::time::sleep(d).await;
            Err(DropConnection)
        }
    }
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

/// Where scripts ask whether cvm-sim is serving. Not a Tencent API: Tencent serves only
/// `/`, so no SDK request reaches this path, and it needs no signature.
pub const HEALTH_PATH: &str = "/cvm-sim/health";

/// `200 {"status":"ok",...}` to GET or HEAD; 405 to any other method.
fn health(shared: &Shared, method: &Method) -> Response<Full<Bytes>> {
    if method != Method::GET && method != Method::HEAD {
        let mut r = Response::new(Full::new(Bytes::from_static(b"GET or HEAD only\n")));
        *r.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
        r.headers_mut()
            .insert(header::ALLOW, http::HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    respond(envelope_bytes(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "tls": shared.config.tls.is_some(),
    })))
}

fn envelope_bytes(v: Value) -> Vec<u8> {
    serde_json::to_vec(&v).unwrap_or_else(|_| b"{}".to_vec())
}

fn respond(body: Vec<u8>) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(Bytes::from(body)));
    *r.status_mut() = StatusCode::OK;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    r
}

pub fn error_envelope(e: &ApiError, lang: Lang, request_id: &str) -> Value {
    json!({"Response": {"Error": {"Code": e.code, "Message": e.message_in(lang)}, "RequestId": request_id}})
}

/// The answer's language from `X-TC-Language`. Without the header Tencent answers in
/// zh-CN: the API 3.0 "Common Params" page (e.g.
/// https://www.tencentcloud.com/document/api/1278/73611) lists `X-TC-Language` as
/// optional with the values `zh-CN` and `en-US`, and the official SDKs that send it by
/// default (`tencentcloud-sdk-python` `ClientProfile(language="zh-CN")`) send zh-CN; the
/// Node.js SDK sends nothing unless asked, and gets Chinese from Tencent. Any other value
/// is refused (the error itself then answers in the default language).
fn request_lang(parts: &Parts) -> Result<Lang, ApiError> {
    match header_str(parts, "x-tc-language").map(str::trim) {
        None | Some("") | Some("zh-CN") => Ok(Lang::Zh),
        Some("en-US") => Ok(Lang::En),
        Some(other) => Err(ApiError::invalid_value(
            "Language",
            msg::not_one_of(&other, &["zh-CN", "en-US"]),
        )),
    }
}

/// An authenticated, routed request.
struct Routed {
    action: &'static Action,
    region: Option<&'static catalog::RegionInfo>,
    lang: Lang,
    caller: Caller,
    params: Params,
}

/// The services cvm-sim answers for.
const SERVICES: [&str; 5] = ["cvm", "vpc", "monitor", "sts", "tag"];

fn header_str<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get(name)
        .and_then(|v| std::str::from_utf8(v.as_bytes()).ok())
}

/// The product a host names (`cvm.ap-guangzhou.tencentcloudapi.com` → `cvm`); for a
/// loopback host the signature's own scope decides.
fn host_service(host: &str) -> Option<&str> {
    let h = host.rsplit_once(':').map_or(host, |(h, p)| {
        if p.bytes().all(|b| b.is_ascii_digit()) {
            h
        } else {
            host
        }
    });
    if h.ends_with(".tencentcloudapi.com") {
        h.split('.').next()
    } else {
        None
    }
}

/// The Host header without a numeric port (`127.0.0.1:9100` → `127.0.0.1`,
/// `[::1]:9100` → `[::1]`); `None` when it carries no port.
fn host_without_port(host: &str) -> Option<&str> {
    let (name, port) = host.rsplit_once(':')?;
    if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) || name.is_empty() {
        return None;
    }
    // An unbracketed IPv6 literal has colons but no port.
    if name.contains(':') && !(name.starts_with('[') && name.ends_with(']')) {
        return None;
    }
    Some(name)
}

/// Whether `label` is the service label an official SDK derives from this endpoint when
/// the endpoint is an address or a local name, never a Tencent host. The Node.js and
/// Java SDKs take the endpoint's text up to its first dot (`127.0.0.1:9100` → `127`,
/// `localhost:9100` → `localhost:9100`); a client that strips the port first gets
/// `localhost`. Any other label (another product, a typo) is not accepted here.
fn endpoint_label(host: &str, label: &str) -> bool {
    let name = host_without_port(host).unwrap_or(host);
    let bare = name.trim_start_matches('[').trim_end_matches(']');
    let lower = bare.to_ascii_lowercase();
    let local = bare.parse::<std::net::IpAddr>().is_ok()
        || lower == "localhost"
        || lower.ends_with(".localhost")
        || !bare.contains('.');
    if !local || label.is_empty() {
        return false;
    }
    let first = |s: &str| s.split('.').next().unwrap_or("").to_owned();
    label == first(host) || label == first(name)
}

fn authenticate(shared: &Shared, parts: &Parts, body: &[u8]) -> Result<Routed, ApiError> {
    let auth_err = |e: VerifyError| {
        let text = match &e {
            VerifyError::InvalidAuthorization(why) => msg::invalid_authorization(why),
            VerifyError::Expired => msg::signature_expired(),
            VerifyError::Mismatch => msg::signature_mismatch(),
        };
        ApiError::new(e.code(), text)
    };
    if parts.method != Method::POST && parts.method != Method::GET {
        return Err(ApiError::new("UnsupportedProtocol", msg::only_get_post()));
    }
    if parts.method == Method::GET {
        let size = parts.uri.to_string().len()
            + parts
                .headers
                .iter()
                .map(|(k, v)| k.as_str().len() + v.len() + 4)
                .sum::<usize>()
            + body.len();
        if size > GET_LIMIT {
            return Err(ApiError::new(
                "RequestSizeLimitExceeded",
                msg::get_too_large(),
            ));
        }
    }
    let authorization = header_str(parts, "authorization").ok_or_else(|| {
        auth_err(VerifyError::InvalidAuthorization(
            "missing Authorization header",
        ))
    })?;
    let auth = sign::parse_authorization(authorization).map_err(auth_err)?;
    let caller = shared
        .identity
        .caller(&shared.config.credentials, &auth.secret_id)
        .ok_or_else(|| ApiError::new("AuthFailure.SecretIdNotFound", msg::secret_id_not_found()))?;
    let timestamp: i64 = match header_str(parts, "x-tc-timestamp") {
        None => return Err(ApiError::missing("X-TC-Timestamp")),
        Some(t) => t
            .trim()
            .parse()
            .map_err(|_| ApiError::new("InvalidParameter", msg::timestamp_not_seconds()))?,
    };
    let payload = match header_str(parts, "x-tc-content-sha256") {
        Some(v) if v.trim() == sign::UNSIGNED_PAYLOAD => Payload::Unsigned,
        _ => Payload::Body(body),
    };
    let host = header_str(parts, "host").unwrap_or("");
    // Which service the request is for, and which label its signature must carry.
    // A Tencent host names its product; otherwise the scope's own label decides: `cvm`
    // or `vpc`, or, for an address or local name, the label an SDK derived from that
    // endpoint (see `endpoint_label`), in which case the action alone picks the service.
    let (expected, by_action) = match host_service(host) {
        Some(s) => (s.to_owned(), false),
        None => {
            let label = auth.service.as_str();
            let derived = !SERVICES.contains(&label) && endpoint_label(host, label);
            (label.to_owned(), derived)
        }
    };
    let query = parts.uri.query().unwrap_or("");
    let verify_with_host = |host_value: &str| {
        let lookup = |name: &str| {
            if name == "host" {
                Some(host_value)
            } else {
                header_str(parts, name)
            }
        };
        let received = ReceivedRequest {
            method: parts.method.as_str(),
            query,
            header: &lookup,
            payload,
            timestamp,
        };
        sign::verify(
            &auth,
            caller.secret_key.as_bytes(),
            &expected,
            clock::wall_ms() / 1000,
            &received,
        )
    };
    match verify_with_host(host) {
        Ok(()) => {}
        // Node.js and Java SDKs sign the host without its port but send `Host: name:port`.
        // Only that one alternative is tried; anything else signed still has to match.
        Err(VerifyError::Mismatch) => match host_without_port(host) {
            Some(bare) => verify_with_host(bare).map_err(auth_err)?,
            None => return Err(auth_err(VerifyError::Mismatch)),
        },
        Err(e) => return Err(auth_err(e)),
    }
    // The token, checked apart from the signature (the SDKs do not sign X-TC-Token). A
    // missing, wrong or expired one is `AuthFailure.TokenFailure`, the one token code of
    // the API 3.0 common error codes (cloud.tencent.com/document/api/213/30435: "token
    // 错误"); a temporary SecretId this endpoint does not hold (issued before a restart)
    // was `AuthFailure.SecretIdNotFound` above, as for any unknown key.
    match (header_str(parts, "x-tc-token"), &caller.token) {
        (None, None) => {}
        (Some(sent), Some(want)) if sent == want => {
            if caller
                .expires_ms
                .is_some_and(|e| e <= shared.clock.now_ms())
            {
                return Err(ApiError::new(
                    "AuthFailure.TokenFailure",
                    msg::token_expired(),
                ));
            }
        }
        (None, Some(_)) => {
            return Err(ApiError::new(
                "AuthFailure.TokenFailure",
                msg::token_missing(),
            ));
        }
        _ => {
            return Err(ApiError::new(
                "AuthFailure.TokenFailure",
                msg::token_invalid(),
            ));
        }
    }
    let action = header_str(parts, "x-tc-action")
        .map(str::trim)
        .filter(|a| !a.is_empty());
    let found = if by_action {
        let action = action.ok_or_else(|| ApiError::missing("Action"))?;
        router::find_any(action)
            .ok_or_else(|| ApiError::new("InvalidAction", msg::action_not_found(&action)))?
    } else {
        let service: &'static str = match SERVICES.iter().find(|s| **s == expected) {
            Some(s) => s,
            None => {
                let other = expected.as_str();
                return Err(ApiError::new(
                    "NoSuchProduct",
                    msg::product_not_found(&other),
                ));
            }
        };
        let action = action.ok_or_else(|| ApiError::missing("Action"))?;
        router::find(service, action).ok_or_else(|| {
            ApiError::new(
                "InvalidAction",
                msg::action_not_in_service(&action, &service),
            )
        })?
    };
    match header_str(parts, "x-tc-version").map(str::trim) {
        None | Some("") => return Err(ApiError::missing("Version")),
        Some(v) if v == found.version => {}
        Some(v) => {
            return Err(ApiError::new("NoSuchVersion", msg::version_not_found(&v)));
        }
    }
    let lang = request_lang(parts)?;
    let region = match header_str(parts, "x-tc-region")
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        Some(r) => Some(
            catalog::region(r)
                .ok_or_else(|| ApiError::new("UnsupportedRegion", msg::region_unsupported(&r)))?,
        ),
        // Global services: STS and tags take no region (Common Params: "not required").
        None if found.name == "DescribeRegions" || matches!(found.service, "sts" | "tag") => None,
        None => return Err(ApiError::missing("Region")),
    };
    let params = if parts.method == Method::POST {
        let ct = header_str(parts, "content-type")
            .unwrap_or("")
            .to_ascii_lowercase();
        if !ct.starts_with("application/json") {
            return Err(ApiError::new("InvalidParameter", msg::post_needs_json()));
        }
        if body.iter().all(|b| b.is_ascii_whitespace()) {
            Params::from_json(json!({}))?
        } else {
            let v: Value = serde_json::from_slice(body)
                .map_err(|e| ApiError::new("InvalidParameter", msg::body_not_json(&e)))?;
            Params::from_json(v)?
        }
    } else {
        Params::from_query(query)?
    };
    Ok(Routed {
        action: found,
        region,
        lang,
        caller,
        params,
    })
}

fn process(shared: &Shared, parts: &Parts, body: &[u8], request_id: &str) -> Outcome {
    let (action, outcome) = answer(shared, parts, body, request_id);
    if let Outcome::Reply(bytes) = &outcome {
        shared.record(action, bytes);
    }
    outcome
}

/// The outcome of one request, and the action it was routed to.
fn answer(
    shared: &Shared,
    parts: &Parts,
    body: &[u8],
    request_id: &str,
) -> (Option<&'static Action>, Outcome) {
    let routed = match authenticate(shared, parts, body) {
        Ok(r) => r,
        Err(e) => {
            let lang = request_lang(parts).unwrap_or(Lang::Zh);
            let reply = envelope_bytes(error_envelope(&e, lang, request_id));
            return (None, Outcome::Reply(reply));
        }
    };
    let action = Some(routed.action);
    let outcome = routed_outcome(shared, routed, request_id);
    (action, outcome)
}

fn routed_outcome(shared: &Shared, routed: Routed, request_id: &str) -> Outcome {
    let lang = routed.lang;
    let region_id = routed.region.map_or("", |r| r.id);
    let allowed = {
        let mode = lock(&shared.rate_limit).clone();
        lock(&shared.limiter).check(
            &mode,
            routed.caller.rate_key(),
            routed.action.name,
            region_id,
            Instant::now(),
        )
    };
    if !allowed {
        return Outcome::Reply(envelope_bytes(error_envelope(
            &ApiError::throttled(),
            lang,
            request_id,
        )));
    }
    let fault = lock(&shared.faults).decide(routed.action.name);
    match fault {
        Some((FaultKind::Internal, _)) => {
            return Outcome::Reply(envelope_bytes(error_envelope(
                &ApiError::internal(),
                lang,
                request_id,
            )));
        }
        Some((FaultKind::Throttle, _)) => {
            return Outcome::Reply(envelope_bytes(error_envelope(
                &ApiError::throttled(),
                lang,
                request_id,
            )));
        }
        Some((FaultKind::Denied, _)) => {
            return Outcome::Reply(envelope_bytes(error_envelope(
                &ApiError::cam_denied(routed.action.service, routed.action.name),
                lang,
                request_id,
            )));
        }
        Some((FaultKind::Reset, _)) => return Outcome::Drop,
        Some((FaultKind::Timeout, d)) => return Outcome::Hold(d),
        Some((FaultKind::LostResponse | FaultKind::OpFailed, _)) | None => {}
    }
    let hot = lock(&shared.hot).clone();
    let result = {
        let mut world = lock(&shared.world);
        let ctx = Ctx {
            account: &routed.caller.account,
            caller: &routed.caller,
            identity: &shared.identity,
            region: routed.region.unwrap_or(&catalog::REGIONS[0]),
            lang: routed.lang,
            now: shared.clock.now_ms(),
            request_id,
            clock: &shared.clock,
            quotas: &shared.config.quotas,
            balance: shared.config.balance,
            hot: &hot,
        };
        // A panic in an action must not poison the world for everyone else: contain it
        // and answer InternalError (the action validates before it mutates).
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            router::dispatch(&mut world, &ctx, routed.action, &routed.params)
        }))
        .unwrap_or_else(|_| Err(ApiError::internal()));
        if result.is_ok() && matches!(fault, Some((FaultKind::OpFailed, _))) {
            crate::outcomes::fail_operation(&mut world, &ctx, routed.action.name);
        }
        result
    };
    if result.is_ok() && routed.action.mutates {
        shared.mark_dirty();
    }
    if matches!(fault, Some((FaultKind::LostResponse, _))) {
        return Outcome::Drop;
    }
    Outcome::Reply(match result {
        Ok(reply) => reply.into_envelope(request_id),
        Err(e) => envelope_bytes(error_envelope(&e, lang, request_id)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_from_host() {
        assert_eq!(host_service("cvm.tencentcloudapi.com"), Some("cvm"));
        assert_eq!(
            host_service("vpc.ap-guangzhou.tencentcloudapi.com:443"),
            Some("vpc")
        );
        assert_eq!(host_service("127.0.0.1:9100"), None);
    }

    #[test]
    fn the_port_comes_off_only_a_host_that_has_one() {
        assert_eq!(host_without_port("127.0.0.1:9100"), Some("127.0.0.1"));
        assert_eq!(host_without_port("[::1]:9100"), Some("[::1]"));
        assert_eq!(host_without_port("localhost:80"), Some("localhost"));
        assert_eq!(host_without_port("127.0.0.1"), None);
        assert_eq!(host_without_port("::1"), None);
        assert_eq!(host_without_port("host:"), None);
        assert_eq!(host_without_port("host:http"), None);
        assert_eq!(host_without_port(":9100"), None);
    }

    #[test]
    fn only_the_label_an_sdk_derives_from_a_local_endpoint_is_accepted() {
        assert!(endpoint_label("127.0.0.1:9100", "127"));
        assert!(endpoint_label("localhost:9100", "localhost:9100"));
        assert!(endpoint_label("localhost:9100", "localhost"));
        assert!(endpoint_label("[::1]:9100", "[::1]:9100"));
        assert!(endpoint_label("cvm-sim:9100", "cvm-sim"));
        assert!(endpoint_label("app.localhost:9100", "app"));
        assert!(!endpoint_label("127.0.0.1:9100", "128"));
        assert!(!endpoint_label("127.0.0.1:9100", "cbs"));
        assert!(!endpoint_label("127.0.0.1:9100", ""));
        assert!(!endpoint_label("sim.example.com:9100", "sim"));
        assert!(!endpoint_label("cvm.tencentcloudapi.com", "cvm"));
    }
}
