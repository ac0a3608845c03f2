//! Connect: an SSH terminal session to an instance (output through a channel, input,
//! resize, close), host keys trusted on first use, the key file per key pair, the
//! equivalent ssh command line and the VNC console address.
//!
//! Passwords and passphrases arrive as `Sensitive` (never printed, wiped on drop); no
//! argument type here implements Debug, so no log line can print one.

use crate::connect::key_paths::KeyPaths;
use crate::connect::known_hosts::HostKeys;
use crate::connect::{self, Auth, Endpoint, Input, Jump, Opened, Output, Request};
use crate::error::{AppCode, AppError, ErrorKind};
use crate::profiles::{Profile, ProfileKind};
use crate::state::{AppState, lock};
use crate::types::{InstanceId, Scope};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};
use tencent_api::Sensitive;
use tokio::sync::mpsc;
use zeroize::Zeroizing;

type AppStateRef<'a> = State<'a, Arc<AppState>>;

/// The largest terminal the session accepts, in columns and rows.
const MAX_TERM: u32 = 1000;
/// The most a single input message may carry (a paste).
const MAX_INPUT: usize = 64 * 1024;

/// How to log in. Secrets are write-only: never echoed, logged or returned.
#[derive(Deserialize, specta::Type)]
#[serde(
    tag = "method",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum AuthInput {
    /// The user's ssh-agent.
    Agent,
    /// A private key file, with its passphrase when it has one.
    KeyFile {
        key_file: String,
        #[specta(type = Option<String>)]
        passphrase: Option<Sensitive>,
    },
    Password {
        #[specta(type = String)]
        password: Sensitive,
    },
}

/// A host to log in to by name (a jump host).
#[derive(Clone, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct HostInput {
    pub host: String,
    pub port: u16,
    pub user: String,
}

/// A jump host and how to log in to it: another instance of the same account and region
/// (`instance_id`, its address and login user looked up here) or a host by name.
#[derive(Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct JumpInput {
    pub endpoint: Option<HostInput>,
    pub instance_id: Option<InstanceId>,
    pub auth: AuthInput,
}

/// What opening a session came to.
#[derive(Serialize, specta::Type)]
#[serde(
    tag = "outcome",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum OpenOutcome {
    /// The shell runs; its output comes through the channel.
    Opened { session_id: String },
    /// A host key never seen: show the fingerprint, and open again with it as `trust`
    /// once the user accepts it (only then is it stored).
    HostKeyUnknown { host: String, fingerprint: String },
    /// The host offers another key than the one stored: refused until forgotten.
    HostKeyChanged {
        host: String,
        stored: String,
        offered: String,
        file: String,
        line: u32,
    },
}

/// The end of a session: the channel's last message.
#[derive(Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SessionClosed {
    pub exit_status: Option<u32>,
}

/// What a session sends the terminal: its output as raw bytes (an `ArrayBuffer` in the
/// page: no JSON number array to build, send and parse), then `SessionClosed` as JSON.
pub enum SessionEvent {
    Data(Vec<u8>),
    Closed(SessionClosed),
}

impl tauri::ipc::IpcResponse for SessionEvent {
    fn body(self) -> tauri::Result<tauri::ipc::InvokeResponseBody> {
        match self {
            SessionEvent::Data(bytes) => Ok(tauri::ipc::InvokeResponseBody::Raw(bytes)),
            SessionEvent::Closed(closed) => closed.body(),
        }
    }
}

impl specta::Type for SessionEvent {
    fn definition(types: &mut specta::Types) -> specta::datatype::DataType {
        // Registers SessionClosed among the exported types, then names the union.
        let _ = SessionClosed::definition(types);
        specta::datatype::DataType::Reference(specta_typescript::define(
            "ArrayBuffer | SessionClosed",
        ))
    }
}

fn prefixed(prefix: &str, field: &str) -> String {
    if prefix.is_empty() {
        field.to_owned()
    } else {
        format!("{prefix}.{field}")
    }
}

/// The secret is copied into a wiped buffer; the argument is wiped when dropped here.
fn auth(input: AuthInput, prefix: &str) -> Result<Auth, AppError> {
    match input {
        AuthInput::Agent => Ok(Auth::Agent),
        AuthInput::Password { password } => {
            if password.expose().is_empty() {
                return Err(AppError::invalid(
                    &prefixed(prefix, "password"),
                    "Enter the password.",
                ));
            }
            Ok(Auth::Password(Zeroizing::new(password.expose().to_owned())))
        }
        AuthInput::KeyFile {
            key_file,
            passphrase,
        } => {
            let path = key_file_path(&key_file, &prefixed(prefix, "keyFile"))?;
            let passphrase = match passphrase {
                Some(p) if p.expose().is_empty() => {
                    return Err(AppError::invalid(
                        &prefixed(prefix, "passphrase"),
                        "Enter the passphrase, or none for a key file without one.",
                    ));
                }
                Some(p) => Some(Zeroizing::new(p.expose().to_owned())),
                None => None,
            };
            Ok(Auth::KeyFile { path, passphrase })
        }
    }
}

/// An existing file, named by an absolute path.
fn key_file_path(text: &str, field: &str) -> Result<PathBuf, AppError> {
    let path = Path::new(text);
    if text.trim().is_empty() || !path.is_absolute() {
        return Err(AppError::invalid(
            field,
            "Pick the private key file (an absolute path).",
        ));
    }
    if !path.is_file() {
        return Err(AppError::invalid(
            field,
            format!("There is no key file at {}.", path.display()),
        )
        .with_code(AppCode::KeyFileUnreadable));
    }
    Ok(path.to_owned())
}

fn endpoint(h: HostInput, prefix: &str) -> Result<Endpoint, AppError> {
    let host = h.host.trim();
    let bad_host = host.is_empty()
        || host.len() > 253
        || host.starts_with('-')
        || host
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "@/'\"\\".contains(c));
    if bad_host {
        return Err(AppError::invalid(
            &prefixed(prefix, "host"),
            "Enter a host name or IP address.",
        ));
    }
    if h.port == 0 {
        return Err(AppError::invalid(
            &prefixed(prefix, "port"),
            "The port is 1 to 65535.",
        ));
    }
    let user = h.user.trim();
    let bad_user = user.is_empty()
        || user.len() > 64
        || user.starts_with('-')
        || !user
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if bad_user {
        return Err(AppError::invalid(
            &prefixed(prefix, "user"),
            "Enter the login user (letters, digits, `.`, `_`, `-`).",
        ));
    }
    Ok(Endpoint {
        host: host.to_owned(),
        port: h.port,
        user: user.to_owned(),
    })
}

fn terminal_size(cols: u32, rows: u32) -> Result<(), AppError> {
    for (field, v) in [("cols", cols), ("rows", rows)] {
        if v == 0 || v > MAX_TERM {
            return Err(AppError::invalid(
                field,
                format!("The terminal size is 1 to {MAX_TERM}."),
            ));
        }
    }
    Ok(())
}

fn host_keys(state: &AppState) -> HostKeys {
    HostKeys::new(
        state.config_dir.join("known_hosts"),
        HostKeys::user_default(),
    )
}

pub(super) fn key_paths_file(state: &AppState) -> PathBuf {
    state.config_dir.join("ssh-key-paths.json")
}

fn validate_key_id(key_id: &str) -> Result<(), AppError> {
    tencent_api::validate_id("keyId", "skey", key_id)
        .map_err(|e| AppError::invalid("keyId", e.message()))
}

/// Where to log in to the instance and the name its host key is kept under. The
/// Sandbox's instances share its one SSH endpoint, where the user name is the instance id;
/// through a jump host, one is reached at its private IP as its login user, as a real one.
async fn instance_endpoint(
    state: &AppState,
    scope: &Scope,
    instance_id: &InstanceId,
    through_jump: bool,
) -> Result<(Profile, Endpoint, (String, u16)), AppError> {
    crate::console::instances::validate_region(&scope.region)?;
    let profile = state.profile(&scope.profile)?;
    let client = state.client(&profile).await?;
    let detail =
        crate::console::detail::describe_instance(&client, &scope.region, instance_id).await?;
    let s = &detail.summary;
    let os = s.os_name.as_deref().unwrap_or_default();
    if profile.kind == ProfileKind::Sandbox {
        // The same checks as a real instance (Windows, no address), then the Sandbox's port.
        let ep = connect::instance_target(
            os,
            Some("sandbox"),
            s.private_ips.first().map(String::as_str),
            through_jump,
        )?;
        if through_jump {
            return Ok((profile, ep, ("sandbox".into(), 22)));
        }
        let addr = state.sandbox().await?.ssh_addr().ok_or_else(|| {
            AppError::internal(
                AppCode::HostUnreachable,
                "The Sandbox runs without its SSH endpoint.",
            )
        })?;
        let ep = Endpoint {
            host: addr.ip().to_string(),
            port: addr.port(),
            user: instance_id.as_str().to_owned(),
        };
        return Ok((profile, ep, ("sandbox".into(), 22)));
    }
    let ep = connect::instance_target(
        os,
        s.public_ips.first().map(String::as_str),
        s.private_ips.first().map(String::as_str),
        through_jump,
    )?;
    let name = (ep.host.clone(), ep.port);
    Ok((profile, ep, name))
}

static NEXT_SESSION: AtomicU64 = AtomicU64::new(1);

/// What `connect::open` came to, as the UI sees it: a running shell is registered and
/// pumped in the background, its output going through `on_event`.
fn opened(state: &Arc<AppState>, result: Opened, on_event: Channel<SessionEvent>) -> OpenOutcome {
    let shell = match result {
        Opened::Shell(s) => s,
        Opened::HostKeyUnknown { host, fingerprint } => {
            return OpenOutcome::HostKeyUnknown { host, fingerprint };
        }
        Opened::HostKeyChanged {
            host,
            stored,
            offered,
            file,
            line,
        } => {
            return OpenOutcome::HostKeyChanged {
                host,
                stored,
                offered,
                file: file.display().to_string(),
                line: u32::try_from(line).unwrap_or(u32::MAX),
            };
        }
    };
    let session_id = format!("ssh-{}", NEXT_SESSION.fetch_add(1, Ordering::Relaxed));
    let (tx, rx) = mpsc::channel(64);
    lock(&state.ssh_sessions).insert(session_id.clone(), tx);
    let state = state.clone();
    let id = session_id.clone();
    tauri::async_runtime::spawn(async move {
        let (st, sid) = (state.clone(), id.clone());
        shell
            .run(rx, move |out| {
                let event = match out {
                    Output::Data(data) => SessionEvent::Data(data),
                    Output::Closed { exit_status } => {
                        SessionEvent::Closed(SessionClosed { exit_status })
                    }
                };
                if on_event.send(event).is_err() {
                    // Nobody reads it any more: dropping the input ends the shell.
                    lock(&st.ssh_sessions).remove(&sid);
                }
            })
            .await;
        lock(&state.ssh_sessions).remove(&id);
        tracing::debug!(session = %id, "SSH session ended");
    });
    OpenOutcome::Opened { session_id }
}

fn validate_trust(trust: Option<&str>) -> Result<(), AppError> {
    if let Some(t) = trust
        && (!t.starts_with("SHA256:") || t.len() > 100 || t.chars().any(char::is_whitespace))
    {
        return Err(AppError::invalid(
            "trust",
            "Not a SHA256 host key fingerprint.",
        ));
    }
    Ok(())
}

/// The jump host's address, login user and host key name: an instance of `scope` (none
/// for a host session) or the host typed in; exactly one of the two.
async fn jump_endpoint(
    state: &AppState,
    scope: Option<&Scope>,
    host: Option<HostInput>,
    instance: Option<InstanceId>,
) -> Result<Option<(Endpoint, (String, u16))>, AppError> {
    match (host, instance, scope) {
        (None, None, _) => Ok(None),
        (Some(h), None, _) => {
            let ep = endpoint(h, "jump")?;
            let name = (ep.host.clone(), ep.port);
            Ok(Some((ep, name)))
        }
        (None, Some(id), Some(scope)) => {
            let (_, ep, name) = instance_endpoint(state, scope, &id, false)
                .await
                .map_err(|e| e.with_field("jump.instanceId"))?;
            Ok(Some((ep, name)))
        }
        (None, Some(_), None) => Err(AppError::invalid(
            "jump.instanceId",
            "A jump instance is picked only when connecting to an instance; enter the jump host's address.",
        )),
        (Some(_), Some(_), _) => Err(AppError::invalid(
            "jump",
            "Pick a jump instance or enter a jump host, not both.",
        )),
    }
}

async fn jump(
    state: &AppState,
    scope: Option<&Scope>,
    j: Option<JumpInput>,
) -> Result<Option<Jump>, AppError> {
    let Some(j) = j else { return Ok(None) };
    let auth = self::auth(j.auth, "jump")?;
    let Some((endpoint, key_name)) = jump_endpoint(state, scope, j.endpoint, j.instance_id).await?
    else {
        return Err(AppError::invalid(
            "jump",
            "Pick a jump instance or enter a jump host.",
        ));
    };
    Ok(Some(Jump {
        endpoint,
        key_name,
        auth,
    }))
}

/// Opens a terminal on the instance. A host key seen for the first time is answered
/// with its fingerprint; pass it back as `trust` once the user accepts it. Output comes
/// through `on_event`; a page that goes away ends the session.
#[allow(clippy::too_many_arguments)]
#[tauri::command]
#[specta::specta]
pub async fn open_session(
    state: AppStateRef<'_>,
    scope: Scope,
    instance_id: InstanceId,
    auth: AuthInput,
    jump: Option<JumpInput>,
    trust: Option<String>,
    cols: u32,
    rows: u32,
    on_event: Channel<SessionEvent>,
) -> Result<OpenOutcome, AppError> {
    terminal_size(cols, rows)?;
    validate_trust(trust.as_deref())?;
    let auth = self::auth(auth, "")?;
    let jump = self::jump(&state, Some(&scope), jump).await?;
    let (_, target, key_name) =
        instance_endpoint(&state, &scope, &instance_id, jump.is_some()).await?;
    let req = Request {
        target,
        key_name,
        auth,
        jump,
        trust,
        cols,
        rows,
    };
    let result = connect::open(req, &host_keys(&state)).await?;
    Ok(opened(state.inner(), result, on_event))
}

/// Opens a terminal on any SSH host by name or address (not an instance of the
/// account), the same way as `open_session`.
#[allow(clippy::too_many_arguments)]
#[tauri::command]
#[specta::specta]
pub async fn open_host_session(
    state: AppStateRef<'_>,
    host: HostInput,
    auth: AuthInput,
    jump: Option<JumpInput>,
    trust: Option<String>,
    cols: u32,
    rows: u32,
    on_event: Channel<SessionEvent>,
) -> Result<OpenOutcome, AppError> {
    terminal_size(cols, rows)?;
    validate_trust(trust.as_deref())?;
    let target = endpoint(host, "")?;
    let auth = self::auth(auth, "")?;
    let jump = self::jump(&state, None, jump).await?;
    let req = Request {
        key_name: (target.host.clone(), target.port),
        target,
        auth,
        jump,
        trust,
        cols,
        rows,
    };
    let result = connect::open(req, &host_keys(&state)).await?;
    Ok(opened(state.inner(), result, on_event))
}

fn no_session(session_id: &str) -> AppError {
    AppError::app(
        ErrorKind::NotFound,
        AppCode::InvalidInput,
        format!("No open session {session_id:?} (it may have ended)."),
    )
    .with_field("sessionId")
}

async fn send(state: &AppState, session_id: &str, input: Input) -> Result<(), AppError> {
    let tx = lock(&state.ssh_sessions)
        .get(session_id)
        .cloned()
        .ok_or_else(|| no_session(session_id))?;
    tx.send(input).await.map_err(|_| no_session(session_id))
}

/// What the user typed (or pasted) into the terminal.
#[tauri::command]
#[specta::specta]
pub async fn session_input(
    state: AppStateRef<'_>,
    session_id: String,
    data: String,
) -> Result<(), AppError> {
    if data.is_empty() || data.len() > MAX_INPUT {
        return Err(AppError::invalid(
            "data",
            format!("Input is 1 byte to {MAX_INPUT} bytes."),
        ));
    }
    send(&state, &session_id, Input::Data(data.into_bytes())).await
}

/// The terminal's new size.
#[tauri::command]
#[specta::specta]
pub async fn resize_session(
    state: AppStateRef<'_>,
    session_id: String,
    cols: u32,
    rows: u32,
) -> Result<(), AppError> {
    terminal_size(cols, rows)?;
    send(&state, &session_id, Input::Resize { cols, rows }).await
}

/// Ends the session; the channel's last event is `closed`.
#[tauri::command]
#[specta::specta]
pub async fn close_session(state: AppStateRef<'_>, session_id: String) -> Result<(), AppError> {
    let tx = lock(&state.ssh_sessions)
        .remove(&session_id)
        .ok_or_else(|| no_session(&session_id))?;
    // A shell that already ended has dropped its receiver: nothing left to close.
    let _ = tx.send(Input::Close).await;
    Ok(())
}

/// Forgets the stored key of a host (as named by a `hostKeyChanged` answer, and its
/// port), so the next connection asks again. Returns how many entries went.
#[tauri::command]
#[specta::specta]
pub fn forget_host_key(state: AppStateRef<'_>, host: String, port: u16) -> Result<u32, AppError> {
    let ep = endpoint(
        HostInput {
            host,
            port,
            user: "root".into(),
        },
        "",
    )?;
    // `[host]:port` as the refusal names it is the same entry as host and port.
    let name = ep
        .host
        .strip_prefix('[')
        .and_then(|h| h.split_once("]:"))
        .map_or(ep.host.as_str(), |(h, _)| h);
    let keys = host_keys(&state);
    let n = keys.forget(name, ep.port).map_err(|e| {
        AppError::internal(
            AppCode::Io,
            format!("Cannot write {}: {e}.", keys.app_file.display()),
        )
    })?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Remembers (or with `null`, forgets) which private key file belongs to a key pair.
#[tauri::command]
#[specta::specta]
pub fn set_key_path(
    state: AppStateRef<'_>,
    key_id: String,
    path: Option<String>,
) -> Result<(), AppError> {
    validate_key_id(&key_id)?;
    let path = path.map(|p| key_file_path(&p, "path")).transpose()?;
    KeyPaths::load(&key_paths_file(&state))?.set(&key_id, path.as_deref())
}

/// The key file remembered for a key pair, if any.
#[tauri::command]
#[specta::specta]
pub fn get_key_path(state: AppStateRef<'_>, key_id: String) -> Result<Option<String>, AppError> {
    validate_key_id(&key_id)?;
    Ok(KeyPaths::load(&key_paths_file(&state))?
        .get(&key_id)
        .map(|p| p.display().to_string()))
}

/// The OpenSSH command line that opens the same session from a terminal.
#[tauri::command]
#[specta::specta]
pub async fn ssh_command(
    state: AppStateRef<'_>,
    scope: Scope,
    instance_id: InstanceId,
    key_id: Option<String>,
    jump: Option<HostInput>,
    jump_instance: Option<InstanceId>,
) -> Result<String, AppError> {
    if let Some(k) = &key_id {
        validate_key_id(k)?;
    }
    let jump = jump_endpoint(&state, Some(&scope), jump, jump_instance)
        .await?
        .map(|(ep, _)| ep);
    let (_, target, _) = instance_endpoint(&state, &scope, &instance_id, jump.is_some()).await?;
    let key_file = match key_id {
        Some(k) => KeyPaths::load(&key_paths_file(&state))?
            .get(&k)
            .map(Path::to_owned),
        None => None,
    };
    Ok(connect::ssh_command(
        &target,
        key_file.as_deref(),
        jump.as_ref(),
    ))
}

/// The VNC console page of a running instance (a one-time address, valid briefly).
#[tauri::command]
#[specta::specta]
pub async fn vnc_url(
    state: AppStateRef<'_>,
    scope: Scope,
    instance_id: InstanceId,
) -> Result<String, AppError> {
    crate::console::instances::validate_region(&scope.region)?;
    let profile = state.profile(&scope.profile)?;
    let client = state.client(&profile).await?;
    connect::vnc_url(&client, &scope.region, instance_id.as_str()).await
}

/// The private key file the user picks in a native open dialog; None when cancelled.
/// Only the path crosses: the file is read when a session opens.
#[tauri::command]
#[specta::specta]
pub async fn pick_key_file<R: Runtime>(
    app: AppHandle<R>,
    dialog_title: String,
) -> Result<Option<String>, AppError> {
    use tauri_plugin_dialog::DialogExt;
    let title = dialog_title.trim();
    let title =
        if title.is_empty() || title.chars().count() > 120 || title.chars().any(char::is_control) {
            "Private key file"
        } else {
            title
        };
    let (tx, rx) = tokio::sync::oneshot::channel();
    let mut dialog = app.dialog().file().set_title(title);
    if let Some(ssh) = dirs_home().map(|h| h.join(".ssh")).filter(|d| d.is_dir()) {
        dialog = dialog.set_directory(ssh);
    }
    dialog.pick_file(move |p| {
        let _ = tx.send(p);
    });
    let chosen = rx
        .await
        .map_err(|_| AppError::internal(AppCode::Dialog, "the open dialog closed unexpectedly"))?;
    chosen
        .map(|p| {
            p.into_path()
                .map(|p| p.display().to_string())
                .map_err(|e| AppError::internal(AppCode::Dialog, format!("not a file path: {e}")))
        })
        .transpose()
}

fn dirs_home() -> Option<PathBuf> {
    std::env::var_os("HOME").map(PathBuf::from)
}

static NEXT_VNC: AtomicU64 = AtomicU64::new(1);

/// Opens the instance's VNC console (Tencent's web page with a one-time address) in a
/// window of its own. The address never reaches the main window's page; it is used once.
#[tauri::command]
#[specta::specta]
pub async fn open_vnc_console<R: Runtime>(
    app: AppHandle<R>,
    state: AppStateRef<'_>,
    scope: Scope,
    instance_id: InstanceId,
    window_title: String,
) -> Result<(), AppError> {
    crate::console::instances::validate_region(&scope.region)?;
    let profile = state.profile(&scope.profile)?;
    let client = state.client(&profile).await?;
    let url = connect::vnc_url(&client, &scope.region, instance_id.as_str()).await?;
    let url: tauri::Url = url.parse().map_err(|e| {
        AppError::internal(AppCode::VncUnavailable, format!("Not a VNC address: {e}."))
    })?;
    let title = window_title.trim();
    let title =
        if title.is_empty() || title.chars().count() > 120 || title.chars().any(char::is_control) {
            format!("VNC {}", instance_id.as_str())
        } else {
            title.to_owned()
        };
    let label = format!("vnc-{}", NEXT_VNC.fetch_add(1, Ordering::Relaxed));
    tauri::WebviewWindowBuilder::new(&app, label, tauri::WebviewUrl::External(url))
        .title(title)
        .inner_size(1024.0, 800.0)
        .build()
        .map_err(|e| {
            AppError::internal(
                AppCode::VncUnavailable,
                format!("Cannot open the console window: {e}."),
            )
        })?;
    Ok(())
}
