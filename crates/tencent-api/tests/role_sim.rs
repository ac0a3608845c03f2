//! Role credentials over real loopback HTTP to cvm-sim: STS AssumeRole as Tencent answers
//! it, the temporary keys signing with their token in `X-TC-Token`, which the emulator
//! checks (missing, wrong or expired on its clock: AuthFailure.TokenFailure), and the
//! renewal bookkeeping on the client's own clock. Temporary keys the endpoint refuses
//! (an expired token, or keys it no longer holds) are renewed once and the call sent again.

use cvm_sim::{AccountSpec, Config, Credential, RateLimit, Role};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;
use tencent_api::models::cvm::DescribeZonesRequest;
use tencent_api::models::sts::{AssumeRoleRequest, GetCallerIdentityRequest};
use tencent_api::{AssumedRole, Client, Credentials, Endpoint};

const REGION: &str = "ap-guangzhou";
const ROLE_ACCOUNT: &str = "100000000042";

async fn sim(record: Option<std::path::PathBuf>) -> cvm_sim::SimHandle {
    sim_at("127.0.0.1:0".parse().unwrap(), record).await
}

async fn sim_at(
    listen: std::net::SocketAddr,
    record: Option<std::path::PathBuf>,
) -> cvm_sim::SimHandle {
    let base = Credential::default();
    cvm_sim::start(Config {
        roles: vec![Role {
            account: ROLE_ACCOUNT.into(),
            name: "ops".into(),
            id: "4611686018427397942".into(),
            trusted: vec![base.account.clone()],
        }],
        accounts: vec![AccountSpec {
            uin: ROLE_ACCOUNT.into(),
            preload: 0,
        }],
        credentials: vec![base],
        listen,
        time_scale: 0.0,
        rate_limit: RateLimit::Off,
        ssh_listen: None,
        record_answers: record,
        ..Default::default()
    })
    .await
    .expect("start cvm-sim")
}

fn arn() -> String {
    format!("qcs::cam::uin/{ROLE_ACCOUNT}:roleName/ops")
}

fn base(sim: &cvm_sim::SimHandle) -> Client {
    let c = &sim.credentials()[0];
    Client::builder(Credentials::new(&c.secret_id, &c.secret_key))
        .endpoint(Endpoint::Custom(sim.base_url()))
        .build()
        .unwrap()
}

fn fixed(sim: &cvm_sim::SimHandle, creds: Credentials) -> Client {
    Client::builder(creds)
        .endpoint(Endpoint::Custom(sim.base_url()))
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_temporary_keys_need_their_token_and_the_emulator_checks_it() {
    let sim = sim(None).await;
    let req = AssumeRoleRequest {
        role_arn: arn(),
        role_session_name: "loopback".into(),
        duration_seconds: Some(900),
    };
    let r = base(&sim).assume_role(REGION, &req).await.unwrap();
    let t = &r.credentials;
    let (id, key, token) = (
        t.tmp_secret_id.as_str(),
        t.tmp_secret_key.expose(),
        t.token.expose(),
    );
    assert!(r.expiration.is_some());
    let zones = DescribeZonesRequest::default();

    // With its token in X-TC-Token: the role's account answers.
    let good = fixed(&sim, Credentials::with_token(id, key, token));
    good.describe_zones(REGION, &zones).await.unwrap();
    let who = good
        .get_caller_identity(REGION, &GetCallerIdentityRequest {})
        .await
        .unwrap();
    assert_eq!(who.account_id, ROLE_ACCOUNT);
    assert_eq!(who.user_id, "4611686018427397942:loopback");

    // Without it, or with another: refused before anything runs.
    for creds in [
        Credentials::new(id, key),
        Credentials::with_token(id, key, format!("{token}x")),
    ] {
        let e = fixed(&sim, creds)
            .describe_zones(REGION, &zones)
            .await
            .unwrap_err();
        assert_eq!(e.code(), "AuthFailure.TokenFailure", "{e}");
    }

    // Expired on the emulator's clock: refused as well.
    sim.advance_clock(Duration::from_secs(901));
    let e = good.describe_zones(REGION, &zones).await.unwrap_err();
    assert_eq!(e.code(), "AuthFailure.TokenFailure", "{e}");
}

/// The role's credentials are renewed by the client's own clock, counted from the answer:
/// a client clock 10 minutes ahead of the server's (learned from the refused timestamp)
/// renews them ahead of their end, before the server refuses the token, and not at every
/// call.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_is_renewed_ahead_of_expiry_on_a_skewed_clock() {
    let answers = std::env::temp_dir().join(format!(
        "role-sim-answers-{}-{:?}.jsonl",
        std::process::id(),
        std::time::SystemTime::now()
    ));
    let sim = sim(Some(answers.clone())).await;
    let ahead = Arc::new(AtomicI64::new(600));
    let clock = {
        let ahead = ahead.clone();
        move || {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs() as i64;
            now + ahead.load(Ordering::Relaxed)
        }
    };
    let c = &sim.credentials()[0];
    let base = Client::builder(Credentials::new(&c.secret_id, &c.secret_key))
        .endpoint(Endpoint::Custom(sim.base_url()))
        .unix_clock(clock.clone())
        .build()
        .unwrap();
    let role = Arc::new(AssumedRole::new(base, REGION, &arn(), "skewed", 900).unwrap());
    let client = Client::builder_for_role(role.clone())
        .endpoint(Endpoint::Custom(sim.base_url()))
        .unix_clock(clock)
        .build()
        .unwrap();
    let zones = DescribeZonesRequest::default();
    client.describe_zones(REGION, &zones).await.unwrap();
    let first = role.expiry().await.unwrap();
    // The server's 900 s, on the client's clock (10 min ahead), give or take the round trip.
    assert!((first.local - first.server - 600).abs() <= 2, "{first:?}");
    for _ in 0..3 {
        client.describe_zones(REGION, &zones).await.unwrap();
    }
    assert_eq!(
        role.expiry().await,
        Some(first),
        "held, not renewed per call"
    );
    // 700 s later on both clocks: within the renewal margin (225 s) of the end, which the
    // server has not reached yet.
    ahead.fetch_add(700, Ordering::Relaxed);
    sim.advance_clock(Duration::from_secs(700));
    client.describe_zones(REGION, &zones).await.unwrap();
    let second = role.expiry().await.unwrap();
    assert!(
        second.server > first.server,
        "renewed: {first:?} → {second:?}"
    );
    let log = std::fs::read_to_string(&answers).unwrap();
    std::fs::remove_file(&answers).unwrap();
    assert_eq!(log.matches("\"AssumeRole\"").count(), 2, "assumed twice");
    assert!(
        !log.contains("AuthFailure.TokenFailure"),
        "no call went out with an expired token"
    );
}

/// An endpoint that no longer holds the role's temporary keys (restarted on the same
/// address) answers AuthFailure.SecretIdNotFound; the client assumes the role again and
/// sends the call once more. Without that renewal the call fails with that code.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_a_restarted_endpoint_no_longer_holds_are_renewed_once() {
    let first = sim(None).await;
    let addr = first.addr();
    let role = Arc::new(AssumedRole::new(base(&first), REGION, &arn(), "restart", 3600).unwrap());
    let client = Client::builder_for_role(role.clone())
        .endpoint(Endpoint::Custom(first.base_url()))
        .build()
        .unwrap();
    let zones = DescribeZonesRequest::default();
    client.describe_zones(REGION, &zones).await.unwrap();
    let held = role.credentials().await.unwrap();
    first.shutdown().await.unwrap();
    let second = sim_at(addr, None).await;
    // The old keys, sent as they are, are unknown to the new process.
    let e = fixed(&second, held.clone())
        .describe_zones(REGION, &zones)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "AuthFailure.SecretIdNotFound", "{e}");
    client.describe_zones(REGION, &zones).await.unwrap();
    let renewed = role.credentials().await.unwrap();
    assert_ne!(renewed.secret_id(), held.secret_id(), "assumed again");
    second.shutdown().await.unwrap();
}
