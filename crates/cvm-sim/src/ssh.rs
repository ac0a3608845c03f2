//! The SSH endpoint of the emulated instances: one loopback listener for all of them,
//! where the user name is the instance id (`ssh -p PORT ins-abc12345@127.0.0.1`).
//!
//! A logged-in instance is also a jump host, as sshd's `direct-tcpip` forwarding: port 22
//! of another instance's private IP in the same VPC is that instance's own SSH server,
//! logged into as its image's login user (`ssh -J ins-abc12345@127.0.0.1:PORT
//! root@172.16.0.9`). Anything else is refused, as a closed port would be.
//!
//! A login succeeds with a key pair bound to that instance (Associate/Disassociate
//! change who can log in) or with the password set at launch or by
//! ResetInstancesPassword, and only while the instance is RUNNING. The session is a small
//! simulated shell that answers a handful of commands from the instance's own data.

use crate::clock;
use crate::cvm::password::verify_password;
use crate::world::{Account, Instance, State};
use russh::keys::{PrivateKey, PublicKey};
use russh::server::{Auth, Msg, Session};
use russh::{Channel, ChannelId, MethodKind, MethodSet};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// Where the endpoint reads instances from (the running emulator).
pub(crate) trait Instances: Send + Sync + 'static {
    /// An instance of any account and region by id, with due transitions applied.
    fn machine(&self, id: &str) -> Option<Machine>;
    /// The instance with this private IP in the same VPC as instance `from`.
    fn neighbour(&self, from: &str, ip: &str) -> Option<Machine>;
    /// The world clock.
    fn now_ms(&self) -> i64;
}

/// What a login and the shell read of an instance, copied out under the world lock.
#[derive(Clone, Debug)]
pub(crate) struct Machine {
    pub id: String,
    pub name: String,
    pub host_name: String,
    pub login_user: String,
    pub os_name: String,
    pub image_id: String,
    pub instance_type: String,
    pub memory_gb: i64,
    pub system_disk_gb: i64,
    pub private_ip: String,
    pub public_ip: Option<String>,
    pub running: bool,
    pub created_ms: i64,
    pub keys: Vec<PublicKey>,
    pub password_hash: Option<String>,
}

impl Machine {
    pub(crate) fn of(i: &Instance, acct: &Account) -> Machine {
        let keys = acct
            .key_pairs
            .iter()
            .filter(|k| i.key_ids.contains(&k.id))
            // A key that is not OpenSSH text (never from our CreateKeyPair) lets no one in.
            .filter_map(|k| PublicKey::from_openssh(&k.public_key).ok())
            .collect();
        Machine {
            id: i.id.clone(),
            name: i.name.clone(),
            host_name: i.host_name.clone(),
            login_user: i.login_user.clone(),
            os_name: i.os_name.clone(),
            image_id: i.image_id.clone(),
            instance_type: i.instance_type.clone(),
            memory_gb: i.memory,
            system_disk_gb: i.system_disk_size,
            private_ip: i.private_ip.clone(),
            public_ip: i.public_ip.clone(),
            running: i.state == State::Running && !i.windows,
            created_ms: i.created_ms,
            keys,
            password_hash: i.password_hash.clone(),
        }
    }
}

/// The endpoint's host key, derived from the emulator's (first) SecretKey: the same
/// credential always gets the same key, so a client that trusted it once keeps trusting
/// it after a restart, and nothing more has to be stored. The public half reveals nothing
/// of the SecretKey (SHA-256, then Ed25519).
pub(crate) fn host_key(secret_key: &str) -> String {
    use russh::keys::ssh_key::{LineEnding, private::Ed25519Keypair};
    use sha2::{Digest, Sha256};
    let seed: [u8; 32] = Sha256::new()
        .chain_update(b"cvm-sim ssh host key\0")
        .chain_update(secret_key.as_bytes())
        .finalize()
        .into();
    PrivateKey::from(Ed25519Keypair::from_seed(&seed))
        .to_openssh(LineEnding::LF)
        .map(|k| k.to_string())
        .unwrap_or_default()
}

fn config(host_key: &str) -> Option<russh::server::Config> {
    let key = PrivateKey::from_openssh(host_key).ok()?;
    Some(russh::server::Config {
        methods: MethodSet::from(&[MethodKind::PublicKey, MethodKind::Password][..]),
        auth_rejection_time: Duration::from_millis(300),
        auth_rejection_time_initial: Some(Duration::ZERO),
        keys: vec![key],
        inactivity_timeout: Some(Duration::from_secs(3600)),
        nodelay: true,
        ..Default::default()
    })
}

/// The host key's public half as an OpenSSH line.
pub(crate) fn host_public_key(host_key: &str) -> Option<String> {
    PrivateKey::from_openssh(host_key)
        .ok()
        .and_then(|k| k.public_key().to_openssh().ok())
}

pub(crate) async fn accept_loop(
    listener: TcpListener,
    shared: Arc<dyn Instances>,
    host_key: String,
    mut stop: watch::Receiver<bool>,
) {
    let Some(config) = config(&host_key) else {
        return;
    };
    let config = Arc::new(config);
    let mut sessions = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    let handler = Conn::new(shared.clone(), config.clone(), None);
                    let config = config.clone();
                    sessions.spawn(async move {
                        if let Ok(session) = russh::server::run_stream(config, stream, handler).await {
                            let _ = session.await;
                        }
                    });
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            _ = stop.changed() => break,
        }
        while sessions.try_join_next().is_some() {}
    }
    sessions.abort_all();
}

/// One client connection.
struct Conn {
    shared: Arc<dyn Instances>,
    config: Arc<russh::server::Config>,
    /// Reached through a jump host: this instance, logged into as its login user (on the
    /// listener itself the user name picks the instance).
    fixed: Option<String>,
    /// The instance logged into.
    instance: Option<String>,
    /// Channels forwarded to another instance: their data is that instance's, not input
    /// for this one's shell.
    forwarded: Vec<ChannelId>,
    /// A pty was asked for: lines end in CRLF and typed characters are echoed.
    pty: bool,
    line: Vec<u8>,
    /// Inside an escape sequence (arrow keys and the like), which the shell ignores.
    escape: Escape,
}

#[derive(PartialEq)]
enum Escape {
    None,
    Started,
    Csi,
}

impl Conn {
    fn new(
        shared: Arc<dyn Instances>,
        config: Arc<russh::server::Config>,
        fixed: Option<String>,
    ) -> Self {
        Conn {
            shared,
            config,
            fixed,
            instance: None,
            forwarded: Vec::new(),
            pty: false,
            line: Vec::new(),
            escape: Escape::None,
        }
    }

    fn machine(&self, id: &str) -> Option<Machine> {
        self.shared.machine(id)
    }

    /// The instance a login as `user` is for.
    fn target(&self, user: &str) -> Option<Machine> {
        match &self.fixed {
            Some(id) => self.machine(id).filter(|m| m.login_user == user),
            None => self.machine(user),
        }
    }

    fn login(&mut self, id: Option<String>) -> Auth {
        if let Some(id) = id {
            self.instance = Some(id);
            Auth::Accept
        } else {
            Auth::Reject {
                proceed_with_methods: None,
                partial_success: false,
            }
        }
    }

    fn eol(&self) -> &'static str {
        if self.pty { "\r\n" } else { "\n" }
    }

    fn prompt(&self, m: &Machine) -> String {
        let sign = if m.login_user == "root" { '#' } else { '$' };
        format!("[{}@{} ~]{sign} ", m.login_user, m.host_name)
    }

    /// Runs one command line: its output and exit status, or None for `exit`.
    fn run(&self, m: &Machine, line: &str) -> Option<(String, u32)> {
        let now = self.shared.now_ms();
        let out = match shell(m, line.trim(), now) {
            Reply::Exit => return None,
            Reply::Out(text) => (text, 0),
            Reply::NotFound(cmd) => (format!("-bash: {cmd}: command not found\n"), 127),
        };
        Some((out.0.replace('\n', self.eol()), out.1))
    }

    fn close(session: &mut Session, channel: ChannelId, status: u32) -> Result<(), russh::Error> {
        session.exit_status_request(channel, status)?;
        session.eof(channel)?;
        session.close(channel)
    }
}

enum Reply {
    Out(String),
    NotFound(String),
    Exit,
}

/// The banner shown when the shell starts.
fn banner(m: &Machine) -> String {
    format!(
        "Welcome to the CVM Console Sandbox.\nThis is a simulated shell on the emulated instance {} ({}, {}, {}, private IP {}, public IP {}), not a real machine.\nCommands: hostname, whoami, uname -a, uptime, free -m, df -h, ip addr, cat /etc/os-release, exit.\n\n",
        m.id,
        m.name,
        m.instance_type,
        m.os_name,
        m.private_ip,
        m.public_ip.as_deref().unwrap_or("none")
    )
}

fn shell(m: &Machine, line: &str, now_ms: i64) -> Reply {
    let words: Vec<&str> = line.split_whitespace().collect();
    let out = match words.as_slice() {
        [] => String::new(),
        ["exit"] | ["logout"] => return Reply::Exit,
        ["hostname"] => format!("{}\n", m.host_name),
        ["whoami"] => format!("{}\n", m.login_user),
        ["uname", "-a"] => format!(
            "Linux {} 5.4.119-sandbox #1 SMP {} x86_64 x86_64 x86_64 GNU/Linux\n",
            m.host_name, m.image_id
        ),
        ["uname"] => "Linux\n".into(),
        ["uptime"] => uptime(m, now_ms),
        ["free", "-m"] => {
            let total = m.memory_gb * 1024 - 200;
            let used = total / 20;
            format!(
                "               total        used        free      shared  buff/cache   available\nMem:  {total:>14} {used:>11} {:>11} {:>11} {:>11} {:>11}\nSwap: {:>14} {:>11} {:>11}\n",
                total - used,
                0,
                0,
                total - used,
                0,
                0,
                0
            )
        }
        ["df", "-h"] => {
            let size = m.system_disk_gb;
            let used = (size / 10).max(1);
            format!(
                "Filesystem      Size  Used Avail Use% Mounted on\n/dev/vda1  {:>9} {:>5} {:>5} {:>3}% /\n",
                format!("{size}G"),
                format!("{used}G"),
                format!("{}G", size - used),
                used * 100 / size.max(1)
            )
        }
        ["ip", "addr"] | ["ip", "a"] | ["ip", "address"] => format!(
            "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 1000\n    link/ether {} brd ff:ff:ff:ff:ff:ff\n    inet {}/20 brd {} scope global eth0\n       valid_lft forever preferred_lft forever\n",
            mac(&m.id),
            m.private_ip,
            broadcast(&m.private_ip)
        ),
        ["cat", "/etc/os-release"] => os_release(&m.os_name),
        [cmd, ..] => return Reply::NotFound((*cmd).to_owned()),
    };
    Reply::Out(out)
}

fn uptime(m: &Machine, now_ms: i64) -> String {
    let up_min = ((now_ms - m.created_ms) / 60_000).max(0);
    let clock = clock::iso(now_ms);
    let time = clock.get(11..19).unwrap_or("00:00:00");
    let up = match (up_min / 1440, up_min % 1440 / 60, up_min % 60) {
        (0, 0, min) => format!("{min} min"),
        (0, h, min) => format!("{h}:{min:02}"),
        (d, h, min) => format!("{d} days, {h}:{min:02}"),
    };
    format!(" {time} up {up},  1 user,  load average: 0.00, 0.00, 0.00\n")
}

/// A locally administered MAC derived from the instance id (stable per instance).
fn mac(id: &str) -> String {
    let mut h: u32 = 2166136261;
    for b in id.bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(16777619);
    }
    let b = h.to_be_bytes();
    format!("52:54:00:{:02x}:{:02x}:{:02x}", b[1], b[2], b[3])
}

fn broadcast(ip: &str) -> String {
    crate::world::parse_ipv4(ip)
        .map(|n| crate::world::ipv4(n | 0x0fff))
        .unwrap_or_default()
}

/// `/etc/os-release` from the image's OS name ("Ubuntu Server 22.04 LTS 64bit").
fn os_release(os_name: &str) -> String {
    let lower = os_name.to_lowercase();
    let (id, name) = [
        ("ubuntu", "Ubuntu"),
        ("debian", "Debian GNU/Linux"),
        ("centos", "CentOS Linux"),
        ("tencentos", "TencentOS Server"),
        ("opencloudos", "OpenCloudOS"),
        ("rocky", "Rocky Linux"),
        ("alma", "AlmaLinux"),
    ]
    .into_iter()
    .find(|(k, _)| lower.contains(k))
    .unwrap_or(("linux", "Linux"));
    let version = os_name
        .split_whitespace()
        .find(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .unwrap_or("");
    format!(
        "NAME=\"{name}\"\nVERSION=\"{version}\"\nID={id}\nVERSION_ID=\"{version}\"\nPRETTY_NAME=\"{os_name}\"\n"
    )
}

impl russh::server::Handler for Conn {
    type Error = russh::Error;

    async fn auth_publickey_offered(
        &mut self,
        user: &str,
        key: &PublicKey,
    ) -> Result<Auth, Self::Error> {
        let ok = self
            .target(user)
            .is_some_and(|m| m.running && m.keys.iter().any(|k| k.key_data() == key.key_data()));
        Ok(if ok { Auth::Accept } else { self.login(None) })
    }

    async fn auth_publickey(&mut self, user: &str, key: &PublicKey) -> Result<Auth, Self::Error> {
        let id = self
            .target(user)
            .filter(|m| m.running && m.keys.iter().any(|k| k.key_data() == key.key_data()))
            .map(|m| m.id);
        Ok(self.login(id))
    }

    async fn auth_password(&mut self, user: &str, password: &str) -> Result<Auth, Self::Error> {
        let Some((id, hash)) = self
            .target(user)
            .filter(|m| m.running)
            .and_then(|m| Some((m.id, m.password_hash?)))
        else {
            return Ok(self.login(None));
        };
        let pw = zeroize::Zeroizing::new(password.to_owned());
        let ok = tokio::task::spawn_blocking(move || verify_password(&pw, &hash))
            .await
            .unwrap_or(false);
        Ok(self.login(ok.then_some(id)))
    }

    async fn channel_open_session(
        &mut self,
        _channel: Channel<Msg>,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        reply.accept().await;
        Ok(())
    }

    async fn channel_open_direct_tcpip(
        &mut self,
        channel: Channel<Msg>,
        host_to_connect: &str,
        port_to_connect: u32,
        _originator_address: &str,
        _originator_port: u32,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        let target = self
            .instance
            .as_deref()
            .filter(|_| port_to_connect == 22)
            .and_then(|from| self.shared.neighbour(from, host_to_connect))
            .filter(|m| m.running);
        let Some(target) = target else {
            reply.reject(russh::ChannelOpenFailure::ConnectFailed).await;
            return Ok(());
        };
        self.forwarded.push(channel.id());
        reply.accept().await;
        // The target's own SSH server, spoken over the forwarded channel.
        let handler = Conn::new(self.shared.clone(), self.config.clone(), Some(target.id));
        let config = self.config.clone();
        tokio::spawn(async move {
            if let Ok(session) =
                russh::server::run_stream(config, channel.into_stream(), handler).await
            {
                let _ = session.await;
            }
        });
        Ok(())
    }

    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.forwarded.retain(|c| *c != channel);
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        _term: &str,
        _cols: u32,
        _rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(russh::Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.pty = true;
        session.channel_success(channel)
    }

    async fn window_change_request(
        &mut self,
        _channel: ChannelId,
        _cols: u32,
        _rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        Ok(())
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let Some(m) = self.instance.as_deref().and_then(|id| self.machine(id)) else {
            return session.channel_failure(channel);
        };
        session.channel_success(channel)?;
        let text = banner(&m).replace('\n', self.eol()) + &self.prompt(&m);
        session.data(channel, text.into_bytes())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let Some(m) = self.instance.as_deref().and_then(|id| self.machine(id)) else {
            return session.channel_failure(channel);
        };
        session.channel_success(channel)?;
        let line = String::from_utf8_lossy(data).into_owned();
        let (out, status) = self.run(&m, &line).unwrap_or_default();
        session.data(channel, out.into_bytes())?;
        Self::close(session, channel, status)
    }

    async fn data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let Some(id) = self.instance.clone() else {
            return Ok(());
        };
        if self.forwarded.contains(&channel) {
            return Ok(());
        }
        let mut echo = Vec::new();
        for &b in data {
            match (&self.escape, b) {
                (Escape::None, 0x1b) => self.escape = Escape::Started,
                (Escape::Started, b'[' | b'O') => self.escape = Escape::Csi,
                (Escape::Started, _) => self.escape = Escape::None,
                (Escape::Csi, 0x40..=0x7e) => self.escape = Escape::None,
                (Escape::Csi, _) => {}
                (Escape::None, b'\r' | b'\n') => {
                    echo.extend_from_slice(self.eol().as_bytes());
                    let line =
                        String::from_utf8_lossy(&std::mem::take(&mut self.line)).into_owned();
                    // Read again per command: a stop or an unbinding ends the session.
                    let m = self.machine(&id).filter(|m| m.running);
                    let Some(m) = m else {
                        echo.extend_from_slice(
                            b"Connection closed: the instance is no longer running.\r\n",
                        );
                        session.data(channel, echo)?;
                        return Self::close(session, channel, 255);
                    };
                    match self.run(&m, &line) {
                        None => {
                            echo.extend_from_slice(format!("logout{}", self.eol()).as_bytes());
                            session.data(channel, echo)?;
                            return Self::close(session, channel, 0);
                        }
                        Some((out, _)) => {
                            echo.extend_from_slice(out.as_bytes());
                            echo.extend_from_slice(self.prompt(&m).as_bytes());
                        }
                    }
                }
                (Escape::None, 0x7f | 0x08) => {
                    if self.line.pop().is_some() && self.pty {
                        echo.extend_from_slice(b"\x08 \x08");
                    }
                }
                (Escape::None, 0x15) => {
                    // Ctrl+U, as readline: the typed line is erased.
                    let n = String::from_utf8_lossy(&std::mem::take(&mut self.line))
                        .chars()
                        .count();
                    if self.pty {
                        echo.extend(std::iter::repeat_n(*b"\x08 \x08", n).flatten());
                    }
                }
                (Escape::None, 0x03) => {
                    self.line.clear();
                    if let Some(m) = self.machine(&id) {
                        echo.extend_from_slice(b"^C\r\n");
                        echo.extend_from_slice(self.prompt(&m).as_bytes());
                    }
                }
                (Escape::None, 0x04) if self.line.is_empty() => {
                    echo.extend_from_slice(format!("logout{}", self.eol()).as_bytes());
                    session.data(channel, echo)?;
                    return Self::close(session, channel, 0);
                }
                (Escape::None, b) if b >= 0x20 || b == b'\t' => {
                    self.line.push(b);
                    if self.pty {
                        echo.push(b);
                    }
                }
                (Escape::None, _) => {}
            }
        }
        if !echo.is_empty() {
            session.data(channel, echo)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn machine() -> Machine {
        Machine {
            id: "ins-abc12345".into(),
            name: "web-1".into(),
            host_name: "VM-0-7-ubuntu".into(),
            login_user: "ubuntu".into(),
            os_name: "Ubuntu Server 22.04 LTS 64bit".into(),
            image_id: "img-22trbn9x".into(),
            instance_type: "S5.MEDIUM4".into(),
            memory_gb: 4,
            system_disk_gb: 50,
            private_ip: "172.16.0.7".into(),
            public_ip: Some("1.2.3.4".into()),
            running: true,
            created_ms: 0,
            keys: Vec::new(),
            password_hash: None,
        }
    }

    fn out(line: &str) -> String {
        match shell(&machine(), line, 3 * 3_600_000 + 5 * 60_000) {
            Reply::Out(s) => s,
            Reply::NotFound(c) => format!("not found: {c}"),
            Reply::Exit => "exit".into(),
        }
    }

    #[test]
    fn the_shell_answers_from_the_instance() {
        assert_eq!(out("hostname"), "VM-0-7-ubuntu\n");
        assert_eq!(out("  whoami "), "ubuntu\n");
        assert!(out("uname -a").starts_with("Linux VM-0-7-ubuntu "));
        assert!(out("uptime").contains("up 3:05,"), "{}", out("uptime"));
        assert!(out("free -m").contains("Mem:            3896"));
        assert!(out("df -h").contains("/dev/vda1        50G"));
        let ip = out("ip addr");
        assert!(ip.contains("inet 172.16.0.7/20 brd 172.16.15.255"), "{ip}");
        // The public address is NATed, not on the NIC (as on a real CVM).
        assert!(!ip.contains("1.2.3.4"));
        let os = out("cat /etc/os-release");
        assert!(
            os.contains("ID=ubuntu") && os.contains("VERSION_ID=\"22.04\""),
            "{os}"
        );
        assert_eq!(out("exit"), "exit");
        assert_eq!(out("rm -rf /"), "not found: rm");
        assert_eq!(out(""), "");
    }

    #[test]
    fn the_banner_says_it_is_the_sandbox() {
        let b = banner(&machine());
        assert!(b.contains("Sandbox") && b.contains("ins-abc12345") && b.contains("simulated"));
        assert!(b.contains("S5.MEDIUM4") && b.contains("public IP 1.2.3.4"));
    }
}
