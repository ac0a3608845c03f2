//! Connect against a real OpenSSH server (Debian's openssh-server, installed by
//! scripts/setup), started on loopback with a throwaway host key and the current user:
//! first use with OpenSSH's own fingerprint, a real command in a real shell, a jump host,
//! and the app's known_hosts file and ssh command line used by OpenSSH's own client.

use console_core::connect::known_hosts::HostKeys;
use console_core::connect::{
    Auth, Endpoint, Input, Jump, Opened, Output, Request, open, ssh_command,
};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const SSHD: &str = "/usr/sbin/sshd";

struct Sshd {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
    user: String,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn keygen(path: &Path, args: &[&str]) {
    let ok = Command::new("ssh-keygen")
        .args(args)
        .args(["-q", "-N", "", "-f"])
        .arg(path)
        .status()
        .unwrap()
        .success();
    assert!(ok, "ssh-keygen {args:?}");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_sshd() -> Sshd {
    assert!(
        Path::new(SSHD).exists(),
        "{SSHD} is missing: scripts/setup installs Debian's openssh-server"
    );
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    keygen(&d.join("host"), &["-t", "ed25519"]);
    // The client key in PEM (PKCS#1), the format Tencent's CreateKeyPair gives.
    keygen(&d.join("client"), &["-t", "rsa", "-b", "2048", "-m", "PEM"]);
    std::fs::copy(d.join("client.pub"), d.join("authorized_keys")).unwrap();
    let user = String::from_utf8(Command::new("id").arg("-un").output().unwrap().stdout)
        .unwrap()
        .trim()
        .to_owned();
    // sshd running as root wants its privilege separation folder.
    let _ = std::fs::create_dir_all("/run/sshd");
    let port = free_port();
    let config = format!(
        "Port {port}\nListenAddress 127.0.0.1\nHostKey {host}\nAuthorizedKeysFile {auth}\nPidFile {pid}\nStrictModes no\nUsePAM no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\nAllowTcpForwarding yes\n",
        host = d.join("host").display(),
        auth = d.join("authorized_keys").display(),
        pid = d.join("sshd.pid").display(),
    );
    std::fs::write(d.join("sshd_config"), config).unwrap();
    let child = Command::new(SSHD)
        .args(["-D", "-e", "-f"])
        .arg(d.join("sshd_config"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Sshd {
        child,
        port,
        dir,
        user,
    }
}

impl Sshd {
    fn endpoint(&self) -> Endpoint {
        Endpoint {
            host: "127.0.0.1".into(),
            port: self.port,
            user: self.user.clone(),
        }
    }
    fn key(&self) -> PathBuf {
        self.dir.path().join("client")
    }
    fn auth(&self) -> Auth {
        Auth::KeyFile {
            path: self.key(),
            passphrase: None,
        }
    }
    fn request(&self, jump: Option<Jump>, trust: Option<String>) -> Request {
        Request {
            target: self.endpoint(),
            key_name: ("127.0.0.1".into(), self.port),
            auth: self.auth(),
            jump,
            trust,
            cols: 80,
            rows: 24,
        }
    }
}

/// Runs `line` in the shell and returns the output once `until` appears.
async fn run(opened: Opened, line: &str, until: &str) -> String {
    let Opened::Shell(shell) = opened else {
        panic!("no shell")
    };
    let (tx, rx) = tokio::sync::mpsc::channel(8);
    let out = Arc::new(Mutex::new(Vec::new()));
    let sink = out.clone();
    let task = tokio::spawn(shell.run(rx, move |o| {
        if let Output::Data(d) = o {
            sink.lock().unwrap().extend_from_slice(&d);
        }
    }));
    tx.send(Input::Data(format!("{line}\r").into_bytes()))
        .await
        .unwrap();
    let text = || String::from_utf8_lossy(&out.lock().unwrap()).into_owned();
    tokio::time::timeout(Duration::from_secs(20), async {
        while !text().contains(until) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{until:?} never came: {}", text()));
    tx.send(Input::Close).await.unwrap();
    task.await.unwrap();
    text()
}

#[tokio::test]
async fn a_real_sshd_first_use_a_real_command_a_jump_and_openssh_agrees() {
    let sshd = start_sshd();
    let keys = HostKeys::new(sshd.dir.path().join("app_known_hosts"), None);

    let fp = match open(sshd.request(None, None), &keys).await.unwrap() {
        Opened::HostKeyUnknown { fingerprint, .. } => fingerprint,
        _ => panic!("expected the first-use question"),
    };
    // The fingerprint shown is the one OpenSSH prints for the host key.
    let openssh_fp = String::from_utf8(
        Command::new("ssh-keygen")
            .arg("-lf")
            .arg(sshd.dir.path().join("host.pub"))
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(openssh_fp.contains(&fp), "{openssh_fp} vs {fp}");

    // A real shell computes the answer: it is not echoed text.
    let out = run(
        open(sshd.request(None, Some(fp)), &keys).await.unwrap(),
        "echo real-$((6*7))",
        "real-42",
    )
    .await;
    assert!(out.contains("real-42"));

    // Through a jump host (the same sshd forwarding to itself).
    let jump = Jump {
        endpoint: sshd.endpoint(),
        key_name: ("127.0.0.1".into(), sshd.port),
        auth: sshd.auth(),
    };
    let out = run(
        open(sshd.request(Some(jump), None), &keys).await.unwrap(),
        "echo via-$((40+2))",
        "via-42",
    )
    .await;
    assert!(out.contains("via-42"));

    // OpenSSH's client accepts the app's known_hosts file and the command line it built.
    let line = ssh_command(&sshd.endpoint(), Some(&sshd.key()), None);
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "{line} -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile={} true",
            keys.app_file.display()
        ))
        .stdin(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "{line}");
}

#[tokio::test]
async fn a_jump_host_that_refuses_is_named() {
    let sshd = start_sshd();
    let keys = HostKeys::new(sshd.dir.path().join("app_known_hosts"), None);
    let host_key = std::fs::read_to_string(sshd.dir.path().join("host.pub")).unwrap();
    keys.trust(
        "127.0.0.1",
        sshd.port,
        &russh::keys::PublicKey::from_openssh(host_key.trim()).unwrap(),
    )
    .unwrap();
    let other = sshd.dir.path().join("other");
    keygen(&other, &["-t", "ed25519"]);
    let jump = Jump {
        endpoint: sshd.endpoint(),
        key_name: ("127.0.0.1".into(), sshd.port),
        auth: Auth::KeyFile {
            path: other,
            passphrase: None,
        },
    };
    let e = open(sshd.request(Some(jump), None), &keys)
        .await
        .err()
        .unwrap();
    assert_eq!(
        e.code,
        console_core::error::AppCode::JumpHostRefused.as_str()
    );
    assert!(
        e.message.contains(&format!("127.0.0.1:{}", sshd.port)),
        "{}",
        e.message
    );
}
