//! The instances' SSH endpoint, logged into with a real SSH client (russh) over loopback:
//! exactly the bound key pairs and the launch or reset password get in, only while the
//! instance is RUNNING, and the shell answers from the instance's own data.

use cvm_sim::client::SimClient;
use cvm_sim::{Config, Credential, RateLimit, SimHandle};
use russh::keys::{HashAlg, PrivateKey, PrivateKeyWithHashAlg, PublicKey};
use russh::{ChannelMsg, client};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const PASSWORD: &str = "Sandbox-Pass1";

async fn sim() -> (SimHandle, SimClient) {
    let sim = cvm_sim::start(Config {
        time_scale: 1.0,
        rate_limit: RateLimit::Off,
        ..Config::default()
    })
    .await
    .unwrap();
    let c = SimClient::new(sim.addr(), Credential::default(), "ap-guangzhou");
    (sim, c)
}

async fn launch(sim: &SimHandle, c: &mut SimClient, login: Value) -> String {
    let r = c
        .cvm(
            "RunInstances",
            json!({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": "img-487zeit5",
                   "InstanceType": "S5.MEDIUM4", "InstanceName": "web-1",
                   "InternetAccessible": {"PublicIpAssigned": true, "InternetMaxBandwidthOut": 1},
                   "LoginSettings": login}),
        )
        .await
        .unwrap()
        .ok();
    let id = r["InstanceIdSet"][0].as_str().unwrap().to_owned();
    sim.advance_clock(Duration::from_secs(60));
    id
}

async fn instance(c: &mut SimClient, id: &str) -> Value {
    c.cvm("DescribeInstances", json!({"InstanceIds": [id]}))
        .await
        .unwrap()
        .ok()["InstanceSet"][0]
        .clone()
}

/// CreateKeyPair: the key id and the private key the user gets.
async fn create_key(c: &mut SimClient, name: &str) -> (String, PrivateKey) {
    let r = c
        .cvm("CreateKeyPair", json!({"KeyName": name, "ProjectId": 0}))
        .await
        .unwrap()
        .ok();
    let private = r["KeyPair"]["PrivateKey"].as_str().unwrap();
    // Tencent's shape: a PKCS#1 PEM RSA key.
    assert!(
        private.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"),
        "{private}"
    );
    let key = russh::keys::decode_secret_key(private, None)
        .expect("CreateKeyPair gives a usable private key");
    let public = PublicKey::from_openssh(r["KeyPair"]["PublicKey"].as_str().unwrap()).unwrap();
    assert_eq!(key.public_key().key_data(), public.key_data());
    (r["KeyPair"]["KeyId"].as_str().unwrap().to_owned(), key)
}

struct Trusting {
    seen: Arc<Mutex<Option<PublicKey>>>,
}

impl client::Handler for Trusting {
    type Error = russh::Error;
    async fn check_server_key(&mut self, key: &PublicKey) -> Result<bool, Self::Error> {
        *self.seen.lock().unwrap() = Some(key.clone());
        Ok(true)
    }
}

async fn connect(sim: &SimHandle) -> (client::Handle<Trusting>, Arc<Mutex<Option<PublicKey>>>) {
    let seen = Arc::new(Mutex::new(None));
    let h = client::connect(
        Arc::new(client::Config::default()),
        sim.ssh_addr().unwrap(),
        Trusting { seen: seen.clone() },
    )
    .await
    .unwrap();
    (h, seen)
}

async fn key_login(
    sim: &SimHandle,
    user: &str,
    key: &PrivateKey,
) -> Option<client::Handle<Trusting>> {
    let (mut h, _) = connect(sim).await;
    let key = PrivateKeyWithHashAlg::new(Arc::new(key.clone()), Some(HashAlg::Sha256));
    h.authenticate_publickey(user, key)
        .await
        .unwrap()
        .success()
        .then_some(h)
}

async fn password_login(sim: &SimHandle, user: &str, pw: &str) -> Option<client::Handle<Trusting>> {
    let (mut h, _) = connect(sim).await;
    h.authenticate_password(user, pw)
        .await
        .unwrap()
        .success()
        .then_some(h)
}

/// Runs one command (exec) and returns its output and exit status.
async fn exec(h: &client::Handle<Trusting>, cmd: &str) -> (String, Option<u32>) {
    let mut ch = h.channel_open_session().await.unwrap();
    ch.exec(true, cmd).await.unwrap();
    let (mut out, mut status) = (Vec::new(), None);
    while let Some(msg) = ch.wait().await {
        match msg {
            ChannelMsg::Data { data } => out.extend_from_slice(&data),
            ChannelMsg::ExitStatus { exit_status } => status = Some(exit_status),
            _ => {}
        }
    }
    (String::from_utf8(out).unwrap(), status)
}

#[tokio::test]
async fn a_bound_key_gets_in_and_an_unbound_one_does_not() {
    let (sim, mut c) = sim().await;
    let (bound, bound_key) = create_key(&mut c, "bound").await;
    let (_, other_key) = create_key(&mut c, "other").await;
    let id = launch(&sim, &mut c, json!({"KeyIds": [bound]})).await;
    let inst = instance(&mut c, &id).await;
    assert_eq!(inst["InstanceState"], "RUNNING");

    let h = key_login(&sim, &id, &bound_key)
        .await
        .expect("the bound key is accepted");
    let (host, status) = exec(&h, "hostname").await;
    assert_eq!(status, Some(0));
    assert!(!host.trim().is_empty());
    let (ip, _) = exec(&h, "ip addr").await;
    let private = inst["PrivateIpAddresses"][0].as_str().unwrap();
    assert!(ip.contains(&format!("inet {private}/")), "{ip}");
    let (who, _) = exec(&h, "whoami").await;
    // The image (Ubuntu) logs in as `ubuntu`.
    assert_eq!(who, "ubuntu\n");
    let (nope, status) = exec(&h, "sudo reboot").await;
    assert_eq!(
        (nope.as_str(), status),
        ("-bash: sudo: command not found\n", Some(127))
    );

    assert!(
        key_login(&sim, &id, &other_key).await.is_none(),
        "an unbound key is refused"
    );
    // The user name picks the instance: the right key for another name gets nowhere.
    assert!(key_login(&sim, "ins-00000000", &bound_key).await.is_none());
}

#[tokio::test]
async fn binding_and_unbinding_change_who_can_log_in() {
    let (sim, mut c) = sim().await;
    let (key_id, key) = create_key(&mut c, "later").await;
    let id = launch(&sim, &mut c, json!({"Password": PASSWORD})).await;
    assert!(key_login(&sim, &id, &key).await.is_none());

    c.cvm(
        "AssociateInstancesKeyPairs",
        json!({"InstanceIds": [id], "KeyIds": [key_id], "ForceStop": true}),
    )
    .await
    .unwrap()
    .ok();
    // Forced off for the change: no login until it runs again.
    assert!(key_login(&sim, &id, &key).await.is_none());
    sim.advance_clock(Duration::from_secs(60));
    assert!(key_login(&sim, &id, &key).await.is_some());

    c.cvm(
        "DisassociateInstancesKeyPairs",
        json!({"InstanceIds": [id], "KeyIds": [key_id], "ForceStop": true}),
    )
    .await
    .unwrap()
    .ok();
    sim.advance_clock(Duration::from_secs(60));
    assert!(key_login(&sim, &id, &key).await.is_none());
}

#[tokio::test]
async fn the_launch_password_and_then_the_reset_one_get_in() {
    let (sim, mut c) = sim().await;
    let id = launch(&sim, &mut c, json!({"Password": PASSWORD})).await;
    assert!(password_login(&sim, &id, PASSWORD).await.is_some());
    assert!(password_login(&sim, &id, "Wrong-Pass1").await.is_none());
    assert!(password_login(&sim, &id, "").await.is_none());

    c.cvm(
        "ResetInstancesPassword",
        json!({"InstanceIds": [id], "Password": "Another-Pass2", "ForceStop": true}),
    )
    .await
    .unwrap()
    .ok();
    sim.advance_clock(Duration::from_secs(60));
    assert!(password_login(&sim, &id, PASSWORD).await.is_none());
    assert!(password_login(&sim, &id, "Another-Pass2").await.is_some());
    // Only the hash is kept.
    let world = sim.world_json().to_string();
    assert!(!world.contains("Another-Pass2") && !world.contains(PASSWORD));
}

#[tokio::test]
async fn nothing_gets_in_while_the_instance_is_not_running() {
    let (sim, mut c) = sim().await;
    let (key_id, key) = create_key(&mut c, "k").await;
    let id = launch(&sim, &mut c, json!({"KeyIds": [key_id]})).await;
    c.cvm("StopInstances", json!({"InstanceIds": [id]}))
        .await
        .unwrap()
        .ok();
    assert!(key_login(&sim, &id, &key).await.is_none(), "STOPPING");
    sim.advance_clock(Duration::from_secs(60));
    assert_eq!(instance(&mut c, &id).await["InstanceState"], "STOPPED");
    assert!(key_login(&sim, &id, &key).await.is_none(), "STOPPED");
    c.cvm("StartInstances", json!({"InstanceIds": [id]}))
        .await
        .unwrap()
        .ok();
    sim.advance_clock(Duration::from_secs(60));
    assert!(key_login(&sim, &id, &key).await.is_some());
}

#[tokio::test]
async fn the_interactive_shell_says_it_is_the_sandbox_and_ends_on_exit() {
    let (sim, mut c) = sim().await;
    let id = launch(&sim, &mut c, json!({"Password": PASSWORD})).await;
    let h = password_login(&sim, &id, PASSWORD).await.unwrap();
    let mut ch = h.channel_open_session().await.unwrap();
    ch.request_pty(true, "xterm-256color", 80, 24, 0, 0, &[])
        .await
        .unwrap();
    ch.request_shell(true).await.unwrap();
    // Ctrl+U erases what was typed, as readline does.
    ch.data(&b"rm -rf\x15whoami\r"[..]).await.unwrap();
    ch.data(&b"exit\r"[..]).await.unwrap();
    let mut out = Vec::new();
    let mut status = None;
    while let Some(msg) = ch.wait().await {
        match msg {
            ChannelMsg::Data { data } => out.extend_from_slice(&data),
            ChannelMsg::ExitStatus { exit_status } => status = Some(exit_status),
            _ => {}
        }
    }
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.starts_with("Welcome to the CVM Console Sandbox."),
        "{out}"
    );
    assert!(out.contains(&id));
    assert!(
        out.contains(
            "rm -rf\x08 \x08\x08 \x08\x08 \x08\x08 \x08\x08 \x08\x08 \x08whoami\r\nubuntu\r\n"
        ),
        "{out}"
    );
    assert!(!out.contains("command not found"), "{out}");
    assert!(out.ends_with("logout\r\n"), "{out}");
    assert_eq!(status, Some(0));
}

#[tokio::test]
async fn the_host_key_is_the_same_after_a_restart_and_differs_per_credential() {
    let start = |key: &str| {
        cvm_sim::start(Config {
            credentials: vec![Credential::new("AKIDsshtest", key)],
            ..Config::default()
        })
    };
    let first = start("key-one").await.unwrap();
    let (h, seen) = connect(&first).await;
    drop(h);
    let offered = seen.lock().unwrap().clone().unwrap();
    let advertised = PublicKey::from_openssh(first.ssh_host_key()).unwrap();
    assert_eq!(offered.key_data(), advertised.key_data());
    let key = first.ssh_host_key().to_owned();
    assert!(!key.contains("key-one"));
    first.shutdown().await.unwrap();
    assert_eq!(start("key-one").await.unwrap().ssh_host_key(), key);
    assert_ne!(start("key-two").await.unwrap().ssh_host_key(), key);
}

#[tokio::test]
async fn vnc_url_is_one_time_and_only_for_a_running_instance() {
    let (sim, mut c) = sim().await;
    let id = launch(&sim, &mut c, json!({"Password": PASSWORD})).await;
    let url = |r: Value| r["InstanceVncUrl"].as_str().unwrap().to_owned();
    let a = url(c
        .cvm("DescribeInstanceVncUrl", json!({"InstanceId": id}))
        .await
        .unwrap()
        .ok());
    let b = url(c
        .cvm("DescribeInstanceVncUrl", json!({"InstanceId": id}))
        .await
        .unwrap()
        .ok());
    assert!(
        a.starts_with("wss%3A%2F%2Fgzvnc.qcloud.com%3A26789%2Fvnc%3Fs%3D"),
        "{a}"
    );
    assert!(
        a.ends_with("%26password%3D%26isWindows%3Dfalse%26isUbuntu%3Dtrue"),
        "{a}"
    );
    assert_ne!(a, b, "each address is fresh");

    c.cvm("StopInstances", json!({"InstanceIds": [id]}))
        .await
        .unwrap()
        .ok();
    sim.advance_clock(Duration::from_secs(60));
    let refused = c
        .cvm("DescribeInstanceVncUrl", json!({"InstanceId": id}))
        .await
        .unwrap();
    assert_eq!(
        refused.error_code(),
        Some("UnsupportedOperation.InstanceStateStopped")
    );
    let missing = c
        .cvm(
            "DescribeInstanceVncUrl",
            json!({"InstanceId": "ins-00000000"}),
        )
        .await
        .unwrap();
    assert_eq!(missing.error_code(), Some("InvalidInstanceId.NotFound"));
    let malformed = c
        .cvm("DescribeInstanceVncUrl", json!({"InstanceId": "i-1"}))
        .await
        .unwrap();
    assert_eq!(malformed.error_code(), Some("InvalidInstanceId.Malformed"));
    let none = c.cvm("DescribeInstanceVncUrl", json!({})).await.unwrap();
    assert_eq!(none.error_code(), Some("MissingParameter"));
}

/// A forwarded channel from `jump` to `host:port` (`ssh -J`), or None when refused.
async fn forward(
    jump: &client::Handle<Trusting>,
    host: &str,
    port: u32,
) -> Option<russh::ChannelStream<client::Msg>> {
    jump.channel_open_direct_tcpip(host, port, "127.0.0.1", 0)
        .await
        .ok()
        .map(|ch| ch.into_stream())
}

async fn password_over(
    stream: russh::ChannelStream<client::Msg>,
    user: &str,
    pw: &str,
) -> Option<client::Handle<Trusting>> {
    let seen = Arc::new(Mutex::new(None));
    let mut h = client::connect_stream(
        Arc::new(client::Config::default()),
        stream,
        Trusting { seen },
    )
    .await
    .expect("an SSH server over the forwarded channel");
    h.authenticate_password(user, pw)
        .await
        .unwrap()
        .success()
        .then_some(h)
}

#[tokio::test]
async fn a_logged_in_instance_is_a_jump_host_to_port_22_of_its_vpc_neighbours() {
    let (sim, mut c) = sim().await;
    let (key_id, key) = create_key(&mut c, "jump").await;
    let jump_id = launch(&sim, &mut c, json!({"KeyIds": [key_id]})).await;
    let target_id = launch(&sim, &mut c, json!({"Password": PASSWORD})).await;
    let target = instance(&mut c, &target_id).await;
    assert_eq!(
        instance(&mut c, &jump_id).await["VirtualPrivateCloud"]["VpcId"],
        target["VirtualPrivateCloud"]["VpcId"]
    );
    let private = target["PrivateIpAddresses"][0].as_str().unwrap().to_owned();
    let jump = key_login(&sim, &jump_id, &key).await.unwrap();

    // Port 22 of the neighbour's private IP is its SSH server, as its login user.
    let s = forward(&jump, &private, 22).await.expect("forwarded");
    let h = password_over(s, "ubuntu", PASSWORD)
        .await
        .expect("the target's password gets in through the jump host");
    let (out, _) = exec(&h, "ip addr").await;
    assert!(out.contains(&format!("inet {private}/")), "{out}");
    let (who, _) = exec(&h, "whoami").await;
    assert_eq!(who, "ubuntu\n");
    // There the instance is the address, not the user name, and the password is its own.
    let s = forward(&jump, &private, 22).await.unwrap();
    assert!(password_over(s, &target_id, PASSWORD).await.is_none());
    let s = forward(&jump, &private, 22).await.unwrap();
    assert!(password_over(s, "ubuntu", "Wrong-Pass1").await.is_none());

    // Another port, an address nobody has, the public IP and the jump host itself: refused.
    assert!(forward(&jump, &private, 80).await.is_none());
    assert!(forward(&jump, "10.255.255.254", 22).await.is_none());
    let public = target["PublicIpAddresses"][0].as_str().unwrap();
    assert!(forward(&jump, public, 22).await.is_none());
    let own = instance(&mut c, &jump_id).await["PrivateIpAddresses"][0]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(forward(&jump, &own, 22).await.is_none());

    // A stopped neighbour answers nothing.
    c.cvm("StopInstances", json!({"InstanceIds": [target_id]}))
        .await
        .unwrap()
        .ok();
    sim.advance_clock(Duration::from_secs(60));
    assert!(forward(&jump, &private, 22).await.is_none());

    // Before a login there is nothing to forward from.
    let (anonymous, _) = connect(&sim).await;
    assert!(forward(&anonymous, &private, 22).await.is_none());
}

#[tokio::test]
async fn an_instance_of_a_role_account_is_logged_into_on_the_same_listener() {
    let sim = cvm_sim::start(Config {
        time_scale: 1.0,
        rate_limit: RateLimit::Off,
        ..Config::sandbox(Credential::default(), None)
    })
    .await
    .unwrap();
    let (uin, role, _, _) = cvm_sim::SANDBOX_ROLE_ACCOUNTS[0];
    let mut own = SimClient::new(sim.addr(), Credential::default(), "ap-guangzhou");
    let mut req = own
        .build(
            "sts",
            "AssumeRole",
            http::Method::POST,
            &json!({"RoleArn": format!("qcs::cam::uin/{uin}:roleName/{role}"),
                    "RoleSessionName": "ssh-test"}),
            cvm_sim::clock::wall_ms() / 1000,
        )
        .unwrap();
    // STS's own version (the client's default is CVM's).
    req.headers_mut()
        .insert("x-tc-version", http::HeaderValue::from_static("2018-08-13"));
    let creds = own.send(req).await.unwrap()["Response"]["Credentials"].clone();
    let as_role = Credential {
        token: Some(creds["Token"].as_str().unwrap().to_owned()),
        account: uin.to_owned(),
        ..Credential::new(
            creds["TmpSecretId"].as_str().unwrap(),
            creds["TmpSecretKey"].as_str().unwrap(),
        )
    };
    let mut c = SimClient::new(sim.addr(), as_role, "ap-guangzhou");
    let (key_id, key) = create_key(&mut c, "role_key").await;
    let id = launch(&sim, &mut c, json!({"KeyIds": [key_id]})).await;
    // The instance is the role's account's, not the caller's own.
    let mine = own
        .cvm("DescribeInstances", json!({"InstanceIds": [id]}))
        .await
        .unwrap()
        .ok();
    assert_eq!(mine["TotalCount"], 0);

    let h = key_login(&sim, &id, &key)
        .await
        .expect("the role account's bound key gets in");
    let (out, _) = exec(&h, "ip addr").await;
    let private = instance(&mut c, &id).await["PrivateIpAddresses"][0]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(out.contains(&format!("inet {private}/")), "{out}");
    // A key of the caller's own account, bound to nothing there, does not.
    let (_, other) = create_key(&mut own, "own_key").await;
    assert!(key_login(&sim, &id, &other).await.is_none());
}
