//! Connect: an interactive SSH session to an instance (russh), the login user by image
//! family, the equivalent OpenSSH command line, and host keys trusted on first use.
//!
//! Secrets (passwords, passphrases, decrypted keys) live only in memory, in `Zeroizing`
//! buffers, and never reach Debug output, errors or logs.

pub mod key_paths;
pub mod known_hosts;

use crate::error::{AppCode, AppError, ErrorKind};
use known_hosts::{HostKeys, Verdict, host_pattern};
use russh::keys::agent::client::AgentClient;
use russh::keys::{PrivateKeyWithHashAlg, PublicKey};
use russh::{ChannelMsg, client};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;
use zeroize::Zeroizing;

/// How long a host (or jump host) has to answer.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How to log in. Secrets are dropped (and wiped) with the value.
pub enum Auth {
    /// Through the user's ssh-agent (`SSH_AUTH_SOCK`).
    Agent,
    /// A private key file (OpenSSH or PEM), with its passphrase if it has one.
    KeyFile {
        path: PathBuf,
        passphrase: Option<Zeroizing<String>>,
    },
    Password(Zeroizing<String>),
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Auth::Agent => f.write_str("Agent"),
            Auth::KeyFile { path, passphrase } => f
                .debug_struct("KeyFile")
                .field("path", path)
                .field("passphrase", &passphrase.as_ref().map(|_| "** redacted **"))
                .finish(),
            Auth::Password(_) => f.write_str("Password(** redacted **)"),
        }
    }
}

/// Where to log in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub host: String,
    pub port: u16,
    pub user: String,
}

impl Endpoint {
    pub fn address(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// A jump host: the target is reached through its `direct-tcpip` forwarding.
#[derive(Debug)]
pub struct Jump {
    pub endpoint: Endpoint,
    /// The name and port its host key is kept under.
    pub key_name: (String, u16),
    pub auth: Auth,
}

/// The login user of an image, by its OS name: `None` for Windows (RDP, not SSH).
pub fn login_user(os_name: &str) -> Option<&'static str> {
    let os = os_name.to_lowercase();
    if os.contains("windows") {
        None
    } else if os.contains("ubuntu") {
        Some("ubuntu")
    } else {
        Some("root")
    }
}

/// What the target of a connection to an instance is: its public IP (or EIP) with the
/// image's login user, or its private IP when a jump host is given. Windows and an
/// instance with no public IP and no jump host are refused with what to do instead.
pub fn instance_target(
    os_name: &str,
    public_ip: Option<&str>,
    private_ip: Option<&str>,
    through_jump: bool,
) -> Result<Endpoint, AppError> {
    let user = login_user(os_name).ok_or_else(|| {
        error(
            ErrorKind::InvalidInput,
            AppCode::WindowsNoSsh,
            "Windows instances are reached by RDP (port 3389), not SSH; the VNC console works too."
                .into(),
        )
    })?;
    let host = if through_jump { private_ip } else { public_ip };
    let host = host.filter(|h| !h.is_empty()).ok_or_else(|| {
        error(
            ErrorKind::InvalidInput,
            AppCode::NoPublicIp,
            "The instance has no public IP: pick a jump host to reach its private IP.".into(),
        )
        .with_field("jump")
    })?;
    Ok(Endpoint {
        host: host.to_owned(),
        port: 22,
        user: user.to_owned(),
    })
}

/// The OpenSSH command line that does the same from a terminal.
pub fn ssh_command(
    target: &Endpoint,
    key_file: Option<&std::path::Path>,
    jump: Option<&Endpoint>,
) -> String {
    let mut parts = vec!["ssh".to_owned()];
    if target.port != 22 {
        parts.push("-p".into());
        parts.push(target.port.to_string());
    }
    if let Some(k) = key_file {
        parts.push("-i".into());
        parts.push(quote(&k.to_string_lossy()));
    }
    if let Some(j) = jump {
        let port = if j.port == 22 {
            String::new()
        } else {
            format!(":{}", j.port)
        };
        parts.push("-J".into());
        parts.push(quote(&format!("{}@{}{port}", j.user, j.host)));
    }
    parts.push(quote(&format!("{}@{}", target.user, target.host)));
    parts.join(" ")
}

/// Single-quotes a word for a POSIX shell when it needs it.
fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "@%+=:,./_-[]".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// What happened to a connection attempt that did not fail outright.
pub enum Opened {
    Shell(Shell),
    /// The host's key was never seen: ask the user, then call again with `trust`.
    HostKeyUnknown {
        host: String,
        fingerprint: String,
    },
    /// The host offers another key than the one stored: refused, with both.
    HostKeyChanged {
        host: String,
        stored: String,
        offered: String,
        file: PathBuf,
        line: usize,
    },
}

/// Checks the server's key against the stored ones (or the fingerprint the user just
/// accepted) and remembers the verdict for the caller.
struct Checker {
    keys: HostKeys,
    /// The name the key is stored under (`host`, `[host]:port`).
    host: String,
    port: u16,
    trust: Option<String>,
    verdict: Arc<Mutex<Option<Verdict>>>,
}

impl client::Handler for Checker {
    type Error = russh::Error;

    async fn check_server_key(&mut self, key: &PublicKey) -> Result<bool, Self::Error> {
        let verdict = self.keys.check(&self.host, self.port, key);
        let ok = match &verdict {
            Verdict::Known => true,
            Verdict::Unknown { fingerprint } if self.trust.as_deref() == Some(fingerprint) => {
                // Stored before the login: the user accepted this exact key.
                self.keys
                    .trust(&self.host, self.port, key)
                    .map_err(russh::Error::IO)?;
                true
            }
            _ => false,
        };
        *self.verdict.lock().unwrap_or_else(|p| p.into_inner()) = Some(verdict);
        Ok(ok)
    }
}

fn error(kind: ErrorKind, code: AppCode, message: String) -> AppError {
    AppError::app(kind, code, message)
}

fn unreachable(addr: &str, why: impl std::fmt::Display) -> AppError {
    error(
        ErrorKind::Network,
        AppCode::HostUnreachable,
        format!("Could not reach {addr}: {why}."),
    )
}

/// Reads a private key file (OpenSSH or PEM), decrypting it with the passphrase.
pub fn load_key(
    path: &std::path::Path,
    passphrase: Option<&str>,
) -> Result<russh::keys::PrivateKey, AppError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        AppError::invalid(
            "keyFile",
            format!("Cannot read the key file {}: {e}.", path.display()),
        )
        .with_code(AppCode::KeyFileUnreadable)
    })?;
    let text = Zeroizing::new(text);
    match russh::keys::decode_secret_key(&text, None) {
        Ok(k) => Ok(k),
        Err(russh::keys::Error::KeyIsEncrypted) => match passphrase {
            None => Err(AppError::invalid(
                "passphrase",
                format!(
                    "The key file {} is protected by a passphrase.",
                    path.display()
                ),
            )
            .with_code(AppCode::PassphraseNeeded)),
            Some(p) => russh::keys::decode_secret_key(&text, Some(p)).map_err(|_| {
                AppError::invalid(
                    "passphrase",
                    format!("Wrong passphrase for the key file {}.", path.display()),
                )
                .with_code(AppCode::WrongPassphrase)
            }),
        },
        Err(_) if text.contains("ENCRYPTED") && passphrase.is_some() => Err(AppError::invalid(
            "passphrase",
            format!("Wrong passphrase for the key file {}.", path.display()),
        )
        .with_code(AppCode::WrongPassphrase)),
        Err(_) => Err(AppError::invalid(
            "keyFile",
            format!(
                "{} is not a private key in OpenSSH or PEM format.",
                path.display()
            ),
        )
        .with_code(AppCode::KeyFileFormat)),
    }
}

async fn authenticate(
    h: &mut client::Handle<Checker>,
    ep: &Endpoint,
    auth: &Auth,
) -> Result<bool, AppError> {
    let failed = |e: russh::Error| unreachable(&ep.address(), e);
    match auth {
        Auth::Password(pw) => Ok(h
            .authenticate_password(ep.user.clone(), pw.as_str())
            .await
            .map_err(failed)?
            .success()),
        Auth::KeyFile { path, passphrase } => {
            let key = load_key(path, passphrase.as_deref().map(|p| p.as_str()))?;
            let hash = h.best_supported_rsa_hash().await.map_err(failed)?.flatten();
            Ok(h.authenticate_publickey(
                ep.user.clone(),
                PrivateKeyWithHashAlg::new(Arc::new(key), hash),
            )
            .await
            .map_err(failed)?
            .success())
        }
        Auth::Agent => {
            #[cfg(unix)]
            {
                let mut agent = AgentClient::connect_env().await.map_err(|e| {
                    error(
                        ErrorKind::Auth,
                        AppCode::AgentUnavailable,
                        format!("No ssh-agent to ask (SSH_AUTH_SOCK): {e}."),
                    )
                })?;
                let ids = agent.request_identities().await.map_err(|e| {
                    error(
                        ErrorKind::Auth,
                        AppCode::AgentUnavailable,
                        format!("The ssh-agent did not answer: {e}."),
                    )
                })?;
                let hash = h.best_supported_rsa_hash().await.map_err(failed)?.flatten();
                for id in ids {
                    let key = id.public_key().into_owned();
                    if let Ok(r) = h
                        .authenticate_publickey_with(ep.user.clone(), key, hash, &mut agent)
                        .await
                        && r.success()
                    {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            #[cfg(not(unix))]
            {
                Err(error(
                    ErrorKind::Auth,
                    AppCode::AgentUnavailable,
                    "The ssh-agent is only supported on Unix here.".into(),
                ))
            }
        }
    }
}

fn config() -> Arc<client::Config> {
    Arc::new(client::Config {
        inactivity_timeout: None,
        keepalive_interval: Some(Duration::from_secs(30)),
        nodelay: true,
        ..Default::default()
    })
}

/// Connects, checks the host key, logs in. `key_name` is the name the host key is kept
/// under (the address, or a stable alias such as the Sandbox's).
async fn session<S>(
    stream: S,
    ep: &Endpoint,
    key_name: (&str, u16),
    auth: &Auth,
    keys: &HostKeys,
    trust: Option<String>,
) -> Result<Result<client::Handle<Checker>, Opened>, AppError>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let verdict = Arc::new(Mutex::new(None));
    let checker = Checker {
        keys: keys.clone(),
        host: key_name.0.to_owned(),
        port: key_name.1,
        trust,
        verdict: verdict.clone(),
    };
    let connected = tokio::time::timeout(
        CONNECT_TIMEOUT,
        client::connect_stream(config(), stream, checker),
    )
    .await;
    let mut h = match connected {
        Err(_) => {
            return Err(unreachable(
                &ep.address(),
                format!("no SSH answer within {} s", CONNECT_TIMEOUT.as_secs()),
            ));
        }
        Ok(Ok(h)) => h,
        Ok(Err(e)) => {
            let v = verdict.lock().unwrap_or_else(|p| p.into_inner()).take();
            let host = host_pattern(key_name.0, key_name.1);
            return match v {
                Some(Verdict::Unknown { fingerprint }) => {
                    Ok(Err(Opened::HostKeyUnknown { host, fingerprint }))
                }
                Some(Verdict::Changed {
                    stored,
                    offered,
                    file,
                    line,
                }) => Ok(Err(Opened::HostKeyChanged {
                    host,
                    stored,
                    offered,
                    file,
                    line,
                })),
                _ => Err(unreachable(&ep.address(), e)),
            };
        }
    };
    if !authenticate(&mut h, ep, auth).await? {
        return Err(error(
            ErrorKind::Auth,
            AppCode::LoginRefused,
            format!("{}@{} refused the login.", ep.user, ep.address()),
        ));
    }
    Ok(Ok(h))
}

async fn tcp(ep: &Endpoint) -> Result<tokio::net::TcpStream, AppError> {
    let addr = ep.address();
    match tokio::time::timeout(
        CONNECT_TIMEOUT,
        tokio::net::TcpStream::connect((ep.host.as_str(), ep.port)),
    )
    .await
    {
        Err(_) => Err(unreachable(
            &addr,
            format!("no answer within {} s", CONNECT_TIMEOUT.as_secs()),
        )),
        Ok(Err(e)) => Err(unreachable(&addr, e)),
        Ok(Ok(s)) => {
            let _ = s.set_nodelay(true);
            Ok(s)
        }
    }
}

/// What a connection needs besides the target.
pub struct Request {
    pub target: Endpoint,
    /// The name and port the target's host key is kept under.
    pub key_name: (String, u16),
    pub auth: Auth,
    pub jump: Option<Jump>,
    /// The fingerprint the user accepted for an unknown host key (target or jump host).
    pub trust: Option<String>,
    pub cols: u32,
    pub rows: u32,
}

/// Opens an interactive shell (pty + shell) on the target, through the jump host if any.
pub async fn open(req: Request, keys: &HostKeys) -> Result<Opened, AppError> {
    let Request {
        target,
        key_name,
        auth,
        jump,
        trust,
        cols,
        rows,
    } = req;
    let (handle, jump_handle) = match jump {
        None => {
            let s = tcp(&target).await?;
            match session(s, &target, (&key_name.0, key_name.1), &auth, keys, trust).await? {
                Ok(h) => (h, None),
                Err(o) => return Ok(o),
            }
        }
        Some(j) => {
            let s = tcp(&j.endpoint).await?;
            let jh = match session(
                s,
                &j.endpoint,
                (&j.key_name.0, j.key_name.1),
                &j.auth,
                keys,
                trust.clone(),
            )
            .await
            .map_err(|e| {
                if e.code == AppCode::LoginRefused {
                    error(
                        ErrorKind::Auth,
                        AppCode::JumpHostRefused,
                        format!(
                            "The jump host {}@{} refused the login.",
                            j.endpoint.user,
                            j.endpoint.address()
                        ),
                    )
                } else {
                    e
                }
            })? {
                Ok(h) => h,
                Err(o) => return Ok(o),
            };
            let ch = jh
                .channel_open_direct_tcpip(
                    target.host.clone(),
                    u32::from(target.port),
                    "127.0.0.1",
                    0,
                )
                .await
                .map_err(|e| {
                    error(
                        ErrorKind::Network,
                        AppCode::JumpHostRefused,
                        format!(
                            "The jump host {} would not forward to {}: {e}.",
                            j.endpoint.address(),
                            target.address()
                        ),
                    )
                })?;
            match session(
                ch.into_stream(),
                &target,
                (&key_name.0, key_name.1),
                &auth,
                keys,
                trust,
            )
            .await?
            {
                Ok(h) => (h, Some(jh)),
                Err(o) => return Ok(o),
            }
        }
    };
    let failed = |e: russh::Error| unreachable(&target.address(), e);
    let channel = handle.channel_open_session().await.map_err(failed)?;
    channel
        .request_pty(false, "xterm-256color", cols, rows, 0, 0, &[])
        .await
        .map_err(failed)?;
    channel.request_shell(false).await.map_err(failed)?;
    Ok(Opened::Shell(Shell {
        handle,
        _jump: jump_handle,
        channel,
    }))
}

/// What the terminal sends.
#[derive(Debug)]
pub enum Input {
    Data(Vec<u8>),
    Resize { cols: u32, rows: u32 },
    Close,
}

/// What the session sends back.
#[derive(Debug, PartialEq, Eq)]
pub enum Output {
    Data(Vec<u8>),
    /// The shell ended (with its exit status when the server sent one).
    Closed {
        exit_status: Option<u32>,
    },
}

/// An open shell.
pub struct Shell {
    handle: client::Handle<Checker>,
    /// Kept open as long as the session goes through it.
    _jump: Option<client::Handle<Checker>>,
    channel: russh::Channel<client::Msg>,
}

impl Shell {
    /// Pumps data both ways until the shell ends or `Input::Close` (or the input side
    /// goes away); the last output is always `Closed`.
    pub async fn run(mut self, mut input: mpsc::Receiver<Input>, output: impl Fn(Output)) {
        let mut exit_status = None;
        loop {
            tokio::select! {
                msg = self.channel.wait() => match msg {
                    Some(ChannelMsg::Data { data }) => output(Output::Data(data.to_vec())),
                    Some(ChannelMsg::ExtendedData { data, .. }) => output(Output::Data(data.to_vec())),
                    Some(ChannelMsg::ExitStatus { exit_status: s }) => exit_status = Some(s),
                    Some(ChannelMsg::Eof) => {}
                    Some(ChannelMsg::Close) | None => break,
                    Some(_) => {}
                },
                i = input.recv() => match i {
                    Some(Input::Data(d)) => {
                        if self.channel.data(&d[..]).await.is_err() {
                            break;
                        }
                    }
                    Some(Input::Resize { cols, rows }) => {
                        let _ = self.channel.window_change(cols, rows, 0, 0).await;
                    }
                    Some(Input::Close) | None => {
                        let _ = self.channel.close().await;
                        break;
                    }
                },
            }
        }
        let _ = self
            .handle
            .disconnect(russh::Disconnect::ByApplication, "", "en")
            .await;
        output(Output::Closed { exit_status });
    }
}

#[cfg(test)]
mod tests;

/// Tencent's web VNC page, to which DescribeInstanceVncUrl's answer is appended.
pub const VNC_PAGE: &str =
    "https://img.qcloud.com/qcloud/app/active_vnc/index.html?InstanceVncUrl=";

/// The one-time VNC console address of a running instance (valid about 15 s, once).
/// A stopped instance answers Tencent's `UnsupportedOperation.InstanceState…`, which
/// passes through as it is.
pub async fn vnc_url(
    client: &tencent_api::Client,
    region: &str,
    instance_id: &str,
) -> Result<String, AppError> {
    let out = client
        .describe_instance_vnc_url(
            region,
            &tencent_api::models::cvm::DescribeInstanceVncUrlRequest {
                instance_id: Some(instance_id.to_owned()),
            },
        )
        .await?;
    let url = out
        .instance_vnc_url
        .filter(|u| !u.is_empty())
        .ok_or_else(|| {
            AppError::internal(
                AppCode::VncUnavailable,
                "Tencent Cloud answered no VNC address.",
            )
        })?;
    // Already URL-encoded by the API: appended as it is.
    Ok(format!("{VNC_PAGE}{url}"))
}
