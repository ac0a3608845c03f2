//! Connect against cvm-sim's SSH endpoint over loopback (a real russh server): first
//! use, a changed host key, keys, passwords, passphrases and the bad inputs.

use super::known_hosts::HostKeys;
use super::*;
use cvm_sim::client::SimClient;
use cvm_sim::{Config, Credential, RateLimit, SimHandle};
use serde_json::json;

const PASSWORD: &str = "Sandbox-Pass1";

struct World {
    sim: SimHandle,
    c: SimClient,
    dir: tempfile::TempDir,
    keys: HostKeys,
    made: usize,
}

async fn world() -> World {
    let sim = cvm_sim::start(Config {
        time_scale: 1.0,
        rate_limit: RateLimit::Off,
        ..Config::default()
    })
    .await
    .unwrap();
    let c = SimClient::new(sim.addr(), Credential::default(), "ap-guangzhou");
    let dir = tempfile::tempdir().unwrap();
    let keys = HostKeys::new(dir.path().join("known_hosts"), None);
    World {
        sim,
        c,
        dir,
        keys,
        made: 0,
    }
}

impl World {
    /// A running instance logged into with a new key pair (its PEM written to a file) and
    /// a password; returns the id and the key file.
    async fn instance(&mut self) -> (String, PathBuf) {
        self.made += 1;
        let name = format!("k{}", self.made);
        let k = self
            .c
            .cvm("CreateKeyPair", json!({"KeyName": name, "ProjectId": 0}))
            .await
            .unwrap()
            .ok();
        let path = self.dir.path().join(format!("{name}.pem"));
        std::fs::write(&path, k["KeyPair"]["PrivateKey"].as_str().unwrap()).unwrap();
        let r = self
            .c
            .cvm(
                "RunInstances",
                json!({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": "img-487zeit5",
                       "LoginSettings": {"KeyIds": [k["KeyPair"]["KeyId"]]}}),
            )
            .await
            .unwrap()
            .ok();
        let id = r["InstanceIdSet"][0].as_str().unwrap().to_owned();
        self.sim.advance_clock(Duration::from_secs(60));
        (id, path)
    }

    fn request(&self, id: &str, auth: Auth, trust: Option<String>) -> Request {
        let addr = self.sim.ssh_addr().unwrap();
        Request {
            target: Endpoint {
                host: addr.ip().to_string(),
                port: addr.port(),
                user: id.to_owned(),
            },
            key_name: ("sandbox".into(), 22),
            auth,
            jump: None,
            trust,
            cols: 80,
            rows: 24,
        }
    }
}

fn key_auth(path: &std::path::Path) -> Auth {
    Auth::KeyFile {
        path: path.to_owned(),
        passphrase: None,
    }
}

/// Types `line` into the shell and returns everything it printed until `until` shows up.
async fn run_line(shell: Shell, line: &str, until: &str) -> String {
    let (tx, rx) = mpsc::channel(8);
    let out = Arc::new(Mutex::new(Vec::new()));
    let sink = out.clone();
    let task = tokio::spawn(shell.run(rx, move |o| {
        if let Output::Data(d) = o {
            sink.lock().unwrap().extend_from_slice(&d);
        }
    }));
    tx.send(Input::Resize {
        cols: 120,
        rows: 40,
    })
    .await
    .unwrap();
    tx.send(Input::Data(format!("{line}\r").into_bytes()))
        .await
        .unwrap();
    let text = || String::from_utf8_lossy(&out.lock().unwrap()).into_owned();
    tokio::time::timeout(Duration::from_secs(10), async {
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

async fn shell(o: Result<Opened, AppError>) -> Shell {
    match o.unwrap() {
        Opened::Shell(s) => s,
        Opened::HostKeyUnknown { .. } => panic!("unknown host key"),
        Opened::HostKeyChanged { .. } => panic!("changed host key"),
    }
}

#[tokio::test]
async fn first_use_asks_then_the_accepted_key_logs_in_and_runs_hostname() {
    let mut w = world().await;
    let (id, key) = w.instance().await;
    let fp = match open(w.request(&id, key_auth(&key), None), &w.keys)
        .await
        .unwrap()
    {
        Opened::HostKeyUnknown { host, fingerprint } => {
            assert_eq!(host, "sandbox");
            assert!(fingerprint.starts_with("SHA256:"));
            fingerprint
        }
        _ => panic!("expected the first-use question"),
    };
    // Nothing stored until the user says yes.
    assert!(!w.keys.app_file.exists());
    // A wrong fingerprint accepted does not count.
    let wrong = open(
        w.request(&id, key_auth(&key), Some("SHA256:nope".into())),
        &w.keys,
    )
    .await;
    assert!(matches!(wrong, Ok(Opened::HostKeyUnknown { .. })));
    let s = shell(open(w.request(&id, key_auth(&key), Some(fp)), &w.keys).await).await;
    let out = run_line(s, "hostname", "VM-").await;
    assert!(out.contains("Sandbox"), "{out}");
    // Stored now: the next connection asks nothing.
    let s = shell(open(w.request(&id, key_auth(&key), None), &w.keys).await).await;
    let out = run_line(s, "whoami", "ubuntu\r\n").await;
    assert!(out.contains("whoami"));
}

#[tokio::test]
async fn a_changed_host_key_is_refused_with_both_fingerprints_until_forgotten() {
    let mut w = world().await;
    let (id, key) = w.instance().await;
    let other =
        russh::keys::PrivateKey::random(&mut rand_010::rng(), russh::keys::Algorithm::Ed25519)
            .unwrap();
    w.keys.trust("sandbox", 22, other.public_key()).unwrap();
    let stored = known_hosts::fingerprint(other.public_key());
    match open(w.request(&id, key_auth(&key), None), &w.keys)
        .await
        .unwrap()
    {
        Opened::HostKeyChanged {
            stored: s, offered, ..
        } => {
            assert_eq!(s, stored);
            assert_ne!(offered, stored);
            // Accepting the new fingerprint does not get past a changed key.
            let again = open(w.request(&id, key_auth(&key), Some(offered)), &w.keys).await;
            assert!(matches!(again, Ok(Opened::HostKeyChanged { .. })));
        }
        _ => panic!("expected a refusal"),
    }
    assert_eq!(w.keys.forget("sandbox", 22).unwrap(), 1);
    assert!(matches!(
        open(w.request(&id, key_auth(&key), None), &w.keys).await,
        Ok(Opened::HostKeyUnknown { .. })
    ));
}

async fn trusted(w: &World) {
    w.keys
        .trust(
            "sandbox",
            22,
            &PublicKey::from_openssh(w.sim.ssh_host_key()).unwrap(),
        )
        .unwrap();
}

#[tokio::test]
async fn an_unbound_key_and_a_wrong_password_are_refused_and_the_right_password_gets_in() {
    let mut w = world().await;
    let (id, _) = w.instance().await;
    trusted(&w).await;
    let (_, other) = w.instance().await;
    let e = open(w.request(&id, key_auth(&other), None), &w.keys)
        .await
        .err()
        .unwrap();
    assert_eq!(e.code, AppCode::LoginRefused);
    assert!(e.message.contains(&id));

    w.c.cvm(
        "ResetInstancesPassword",
        json!({"InstanceIds": [id], "Password": PASSWORD, "ForceStop": true}),
    )
    .await
    .unwrap()
    .ok();
    w.sim.advance_clock(Duration::from_secs(60));
    let e = open(
        w.request(
            &id,
            Auth::Password(Zeroizing::new("Wrong-Pass1".into())),
            None,
        ),
        &w.keys,
    )
    .await
    .err()
    .unwrap();
    assert_eq!(e.code, AppCode::LoginRefused);
    assert!(!e.message.contains("Wrong-Pass1"));
    let s = shell(
        open(
            w.request(&id, Auth::Password(Zeroizing::new(PASSWORD.into())), None),
            &w.keys,
        )
        .await,
    )
    .await;
    run_line(s, "uname -a", "GNU/Linux").await;
}

#[tokio::test]
async fn key_files_wrong_format_unreadable_and_passphrases() {
    let mut w = world().await;
    let (id, key) = w.instance().await;
    trusted(&w).await;
    let missing = w.dir.path().join("missing.pem");
    let e = open(w.request(&id, key_auth(&missing), None), &w.keys)
        .await
        .err()
        .unwrap();
    assert_eq!(
        (e.code.as_str(), e.field.as_deref()),
        (
            crate::error::AppCode::KeyFileUnreadable.as_str(),
            Some("keyFile")
        )
    );
    assert!(e.message.contains("missing.pem"));
    let junk = w.dir.path().join("junk.pem");
    std::fs::write(&junk, "not a key").unwrap();
    let e = open(w.request(&id, key_auth(&junk), None), &w.keys)
        .await
        .err()
        .unwrap();
    assert_eq!(e.code, AppCode::KeyFileFormat);

    // The same key, encrypted in OpenSSH format with a passphrase.
    let pem = std::fs::read_to_string(&key).unwrap();
    let plain = russh::keys::decode_secret_key(&pem, None).unwrap();
    let locked = plain
        .encrypt(&mut rand_010::rng(), "correct horse")
        .unwrap()
        .to_openssh(russh::keys::ssh_key::LineEnding::LF)
        .unwrap();
    let locked_path = w.dir.path().join("locked");
    std::fs::write(&locked_path, locked.as_bytes()).unwrap();
    let e = open(w.request(&id, key_auth(&locked_path), None), &w.keys)
        .await
        .err()
        .unwrap();
    assert_eq!(
        (e.code.as_str(), e.field.as_deref()),
        (
            crate::error::AppCode::PassphraseNeeded.as_str(),
            Some("passphrase")
        )
    );
    let with = |p: &str| Auth::KeyFile {
        path: locked_path.clone(),
        passphrase: Some(Zeroizing::new(p.to_owned())),
    };
    let e = open(w.request(&id, with("wrong"), None), &w.keys)
        .await
        .err()
        .unwrap();
    assert_eq!(e.code, AppCode::WrongPassphrase);
    let s = shell(open(w.request(&id, with("correct horse"), None), &w.keys).await).await;
    run_line(s, "hostname", "VM-").await;
}

#[tokio::test]
async fn a_sandbox_instance_is_the_jump_host_to_another_ones_private_ip() {
    let mut w = world().await;
    let (jump_id, jump_key) = w.instance().await;
    let (target_id, target_key) = w.instance().await;
    trusted(&w).await;
    let private =
        w.c.cvm("DescribeInstances", json!({"InstanceIds": [target_id]}))
            .await
            .unwrap()
            .ok()["InstanceSet"][0]["PrivateIpAddresses"][0]
            .as_str()
            .unwrap()
            .to_owned();
    let jump = |key: &std::path::Path| {
        let mut via = w.request(&jump_id, key_auth(key), None);
        Jump {
            endpoint: via.target.clone(),
            key_name: std::mem::take(&mut via.key_name),
            auth: key_auth(key),
        }
    };
    // As the backend asks for it: the private IP, port 22, the image's login user, the
    // host key under the Sandbox's name.
    let through = |key: &std::path::Path, jump: Jump| Request {
        target: Endpoint {
            host: private.clone(),
            port: 22,
            user: "ubuntu".into(),
        },
        jump: Some(jump),
        ..w.request(&target_id, key_auth(key), None)
    };
    let s = shell(open(through(&target_key, jump(&jump_key)), &w.keys).await).await;
    let out = run_line(s, "ip addr", "valid_lft forever preferred_lft forever\r\n[").await;
    assert!(out.contains(&format!("inet {private}/")), "{out}");
    assert!(out.contains(&target_id), "the target's banner: {out}");

    // The target's key is its own: the jump host's key does not open it.
    let e = open(through(&jump_key, jump(&jump_key)), &w.keys)
        .await
        .err()
        .unwrap();
    assert_eq!(e.code, AppCode::LoginRefused);
    // A jump host that refuses the login is named as such.
    let e = open(through(&target_key, jump(&target_key)), &w.keys)
        .await
        .err()
        .unwrap();
    assert_eq!(e.code, AppCode::JumpHostRefused);
    // An address the jump host cannot reach: refused with both ends named.
    let mut r = through(&target_key, jump(&jump_key));
    r.target.host = "10.255.255.254".into();
    let e = open(r, &w.keys).await.err().unwrap();
    assert_eq!(e.code, AppCode::JumpHostRefused);
    assert!(e.message.contains("10.255.255.254:22"), "{}", e.message);
}

#[tokio::test]
async fn a_host_that_does_not_answer_is_named_and_a_stopped_instance_refuses() {
    let mut w = world().await;
    let (id, key) = w.instance().await;
    trusted(&w).await;
    // A listener that never speaks SSH.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = silent.local_addr().unwrap().port();
    let mut r = w.request(&id, key_auth(&key), None);
    r.target.port = port;
    let t0 = std::time::Instant::now();
    let e = open(r, &w.keys).await.err().unwrap();
    assert_eq!(e.code, AppCode::HostUnreachable);
    assert!(
        e.message.contains(&format!("127.0.0.1:{port}")),
        "{}",
        e.message
    );
    assert!(t0.elapsed() >= CONNECT_TIMEOUT);
    drop(silent);

    w.c.cvm("StopInstances", json!({"InstanceIds": [id]}))
        .await
        .unwrap()
        .ok();
    w.sim.advance_clock(Duration::from_secs(60));
    let e = open(w.request(&id, key_auth(&key), None), &w.keys)
        .await
        .err()
        .unwrap();
    assert_eq!(e.code, AppCode::LoginRefused);
}

#[test]
fn an_instances_target_by_image_and_addresses() {
    let t = instance_target(
        "Ubuntu Server 22.04",
        Some("43.1.2.3"),
        Some("10.0.0.5"),
        false,
    )
    .unwrap();
    assert_eq!(
        (t.host.as_str(), t.port, t.user.as_str()),
        ("43.1.2.3", 22, "ubuntu")
    );
    let t = instance_target("CentOS 7.9", Some("43.1.2.3"), Some("10.0.0.5"), true).unwrap();
    assert_eq!((t.host.as_str(), t.user.as_str()), ("10.0.0.5", "root"));
    let e = instance_target("CentOS 7.9", None, Some("10.0.0.5"), false)
        .err()
        .unwrap();
    assert_eq!(
        (e.code.as_str(), e.field.as_deref()),
        (crate::error::AppCode::NoPublicIp.as_str(), Some("jump"))
    );
    let e = instance_target("Windows Server 2022", Some("43.1.2.3"), None, false)
        .err()
        .unwrap();
    assert_eq!(e.code, AppCode::WindowsNoSsh);
    assert!(e.message.contains("RDP") && e.message.contains("VNC"));
}

#[test]
fn login_users_and_the_ssh_command() {
    assert_eq!(login_user("Ubuntu Server 22.04 LTS 64bit"), Some("ubuntu"));
    assert_eq!(login_user("TencentOS Server 3.1 (TK4)"), Some("root"));
    assert_eq!(login_user("Windows Server 2019 DataCenter 64bit"), None);
    let t = Endpoint {
        host: "10.0.0.5".into(),
        port: 22,
        user: "root".into(),
    };
    assert_eq!(ssh_command(&t, None, None), "ssh root@10.0.0.5");
    let jump = Endpoint {
        host: "43.1.2.3".into(),
        port: 2222,
        user: "ubuntu".into(),
    };
    assert_eq!(
        ssh_command(
            &t,
            Some(std::path::Path::new("/home/me/my keys/k.pem")),
            Some(&jump)
        ),
        "ssh -i '/home/me/my keys/k.pem' -J ubuntu@43.1.2.3:2222 root@10.0.0.5"
    );
    let sandbox = Endpoint {
        host: "127.0.0.1".into(),
        port: 40022,
        user: "ins-abc12345".into(),
    };
    assert_eq!(
        ssh_command(&sandbox, None, None),
        "ssh -p 40022 ins-abc12345@127.0.0.1"
    );
}

#[test]
fn auth_debug_hides_secrets() {
    let a = Auth::Password(Zeroizing::new("CanaryPw-9x".into()));
    assert!(!format!("{a:?}").contains("CanaryPw"));
    let k = Auth::KeyFile {
        path: "/k".into(),
        passphrase: Some(Zeroizing::new("CanaryPhrase".into())),
    };
    assert!(!format!("{k:?}").contains("CanaryPhrase"));
}

/// Every file under `dir`, as text.
fn files_text(dir: &std::path::Path) -> String {
    let mut out = String::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out += &files_text(&p);
        } else {
            out += &String::from_utf8_lossy(&std::fs::read(&p).unwrap());
        }
    }
    out
}

#[tokio::test]
async fn passwords_and_passphrases_reach_no_file_error_or_debug_output() {
    const PW: &str = "CanaryPw-Zq8xv3Lm5";
    const PHRASE: &str = "CanaryPhrase-0b1c2d3e";
    let mut w = world().await;
    let (id, key) = w.instance().await;
    let pem = std::fs::read_to_string(&key).unwrap();
    let locked = russh::keys::decode_secret_key(&pem, None)
        .unwrap()
        .encrypt(&mut rand_010::rng(), PHRASE)
        .unwrap()
        .to_openssh(russh::keys::ssh_key::LineEnding::LF)
        .unwrap();
    let locked_path = w.dir.path().join("locked");
    std::fs::write(&locked_path, locked.as_bytes()).unwrap();
    let mut seen = String::new();
    // First use (stores the host key), a wrong password, a wrong passphrase, a success.
    let fp = match open(
        w.request(&id, Auth::Password(Zeroizing::new(PW.into())), None),
        &w.keys,
    )
    .await
    .unwrap()
    {
        Opened::HostKeyUnknown { fingerprint, .. } => fingerprint,
        _ => panic!("expected the first-use question"),
    };
    let e = open(
        w.request(&id, Auth::Password(Zeroizing::new(PW.into())), Some(fp)),
        &w.keys,
    )
    .await
    .err()
    .unwrap();
    seen += &format!("{e:?} {e}");
    let bad = Auth::KeyFile {
        path: locked_path.clone(),
        passphrase: Some(Zeroizing::new(format!("{PHRASE}-wrong"))),
    };
    seen += &format!("{bad:?}");
    let e = open(w.request(&id, bad, None), &w.keys)
        .await
        .err()
        .unwrap();
    seen += &format!("{e:?} {e}");
    let good = Auth::KeyFile {
        path: locked_path.clone(),
        passphrase: Some(Zeroizing::new(PHRASE.into())),
    };
    let s = shell(open(w.request(&id, good, None), &w.keys).await).await;
    seen += &run_line(s, "whoami", "ubuntu\r\n").await;
    // The known_hosts file and everything else the test folder holds.
    seen += &files_text(w.dir.path());
    for secret in [PW, PHRASE] {
        assert!(!seen.contains(secret), "{secret} leaked");
    }
    assert!(
        seen.contains("sandbox ssh-ed25519 "),
        "the host key was stored"
    );
}

#[tokio::test]
async fn the_vnc_page_for_a_running_instance_and_tencents_refusal_for_a_stopped_one() {
    let mut w = world().await;
    let (id, _) = w.instance().await;
    let client = tencent_api::Client::builder(tencent_api::Credentials::new(
        cvm_sim::DEFAULT_SECRET_ID,
        cvm_sim::DEFAULT_SECRET_KEY,
    ))
    .endpoint(tencent_api::Endpoint::Custom(w.sim.base_url()))
    .build()
    .unwrap();
    let url = vnc_url(&client, "ap-guangzhou", &id).await.unwrap();
    assert!(
        url.starts_with(&format!("{VNC_PAGE}wss%3A%2F%2Fgzvnc.qcloud.com")),
        "{url}"
    );
    w.c.cvm("StopInstances", json!({"InstanceIds": [id]}))
        .await
        .unwrap()
        .ok();
    w.sim.advance_clock(Duration::from_secs(60));
    let e = vnc_url(&client, "ap-guangzhou", &id).await.err().unwrap();
    assert_eq!(e.code, "UnsupportedOperation.InstanceStateStopped");
}
