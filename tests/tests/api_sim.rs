//! tencent-api against cvm-sim over real loopback HTTP: signing, envelopes, errors,
//! retries under injected faults, ClientToken, paging and the rate budget.

use cvm_sim::{Config, Credential, FaultKind, FaultRule, FaultSpec, Quotas, RateLimit, SimHandle};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tencent_api::models::{cvm, vpc};
use tencent_api::{
    BudgetProfile, CallRecord, Client, ClientBuilder, Credentials, Endpoint, ErrorKind, HttpMethod,
    Limit,
};

const REGION: &str = "ap-guangzhou";

async fn sim(config: Config) -> SimHandle {
    cvm_sim::start(Config {
        time_scale: 0.0,
        ..config
    })
    .await
    .expect("start cvm-sim")
}

fn client_for(sim: &SimHandle) -> ClientBuilder {
    let c = &sim.credentials()[0];
    let creds = match &c.token {
        Some(t) => Credentials::with_token(&c.secret_id, &c.secret_key, t),
        None => Credentials::new(&c.secret_id, &c.secret_key),
    };
    Client::builder(creds)
        .endpoint(Endpoint::Custom(sim.base_url()))
        .request_client("CVM-Console-tests_0.1.0")
        .budget_profile(BudgetProfile::custom(
            "fast",
            Limit::per_second(10_000, 1_000),
            None,
        ))
}

type Log = Arc<Mutex<Vec<CallRecord>>>;

fn recorded(b: ClientBuilder) -> (Client, Log) {
    let log: Log = Arc::default();
    let l = log.clone();
    let c = b
        .on_call(move |r| l.lock().unwrap().push(r.clone()))
        .build()
        .unwrap();
    (c, log)
}

async fn first_zone_and_image(client: &Client) -> (Vec<String>, String) {
    let zones = client
        .describe_zones(REGION, &cvm::DescribeZonesRequest::default())
        .await
        .unwrap();
    let zones: Vec<String> = zones
        .zone_set
        .unwrap()
        .into_iter()
        .filter(|z| z.zone_state.as_deref() == Some("AVAILABLE"))
        .filter_map(|z| z.zone)
        .collect();
    assert!(!zones.is_empty());
    let images = client
        .describe_images(
            REGION,
            &cvm::DescribeImagesRequest {
                filters: Some(vec![cvm::Filter {
                    name: Some("image-type".into()),
                    values: Some(vec!["PUBLIC_IMAGE".into()]),
                }]),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let image = images.image_set.unwrap()[0].image_id.clone().unwrap();
    (zones, image)
}

fn run_request(
    zone: &str,
    image: &str,
    count: i64,
    token: Option<String>,
) -> cvm::RunInstancesRequest {
    cvm::RunInstancesRequest {
        placement: Some(cvm::Placement {
            zone: Some(zone.into()),
            ..Default::default()
        }),
        image_id: Some(image.into()),
        instance_count: Some(count),
        client_token: token,
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lifecycle_over_post_and_get() {
    let sim = sim(Config::default()).await;
    for method in [HttpMethod::Post, HttpMethod::Get] {
        let client = client_for(&sim).method(method).build().unwrap();
        let (zones, image) = first_zone_and_image(&client).await;
        let run = client
            .run_instances(REGION, &run_request(&zones[0], &image, 2, None))
            .await
            .unwrap();
        let ids = run.instance_id_set.unwrap();
        assert_eq!(ids.len(), 2);
        assert!(run.request_id.is_some());
        let status = client
            .describe_instances_status(
                REGION,
                &cvm::DescribeInstancesStatusRequest {
                    instance_ids: Some(ids.clone()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(status.total_count, Some(2));
        let stop = cvm::StopInstancesRequest {
            instance_ids: Some(ids.clone()),
            ..Default::default()
        };
        client.stop_instances(REGION, &stop).await.unwrap();
        let start = cvm::StartInstancesRequest {
            instance_ids: Some(ids.clone()),
        };
        // Immediate transitions (time scale 0): STOPPED already, so it starts again.
        client.start_instances(REGION, &start).await.unwrap();
        let term = cvm::TerminateInstancesRequest {
            instance_ids: Some(ids.clone()),
            ..Default::default()
        };
        client.terminate_instances(REGION, &term).await.unwrap();
        let vpcs = client
            .describe_vpcs(REGION, &vpc::DescribeVpcsRequest::default())
            .await
            .unwrap();
        assert!(vpcs.total_count.unwrap() >= 1, "{method:?}");
        let subnets = client
            .list_all(REGION, vpc::DescribeSubnetsRequest::default())
            .await
            .unwrap();
        assert!(!subnets.is_empty());
        let sgs = client
            .list_all(REGION, vpc::DescribeSecurityGroupsRequest::default())
            .await
            .unwrap();
        assert!(!sgs.is_empty());
    }
    sim.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_errors_carry_category_code_and_request_id() {
    let sim = sim(Config::default()).await;
    let client = client_for(&sim).build().unwrap();
    let e = client
        .stop_instances(
            REGION,
            &cvm::StopInstancesRequest {
                instance_ids: Some(vec!["ins-00000000".into()]),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
    assert!(e.request_id().is_some_and(|r| !r.is_empty()));

    let wrong = Client::builder(Credentials::new(
        &sim.credentials()[0].secret_id,
        "not-the-key",
    ))
    .endpoint(Endpoint::Custom(sim.base_url()))
    .build()
    .unwrap();
    let e = wrong
        .describe_zones(REGION, &Default::default())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "AuthFailure.SignatureFailure");
    assert_eq!(e.kind(), ErrorKind::Auth);
    assert!(e.request_id().is_some());
    sim.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn temporary_credentials_send_their_token() {
    let mut cred = Credential::new(
        "AKIDtemporary000000000000000000000001",
        "temporaryKey000000000000000000001",
    );
    cred.token = Some("sts-token-0001".into());
    let sim = sim(Config {
        credentials: vec![cred],
        ..Default::default()
    })
    .await;
    let client = client_for(&sim).build().unwrap();
    client
        .describe_zones(REGION, &Default::default())
        .await
        .unwrap();
    sim.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_survive_injected_throttling_and_internal_errors() {
    let faults = FaultSpec {
        rules: vec![FaultRule {
            rate: 0.3,
            kinds: vec![FaultKind::Throttle, FaultKind::Internal, FaultKind::Reset],
            actions: vec!["DescribeInstances".into()],
            seed: 7,
            timeout: Duration::from_secs(1),
        }],
    };
    let sim = sim(Config {
        preload: 60,
        seed: 3,
        faults,
        ..Default::default()
    })
    .await;
    let (client, log) = recorded(client_for(&sim).retry(tencent_api::RetryPolicy {
        max_attempts: 8,
        min_delay: Duration::from_millis(10),
        ..Default::default()
    }));
    let all = client
        .list_all(
            REGION,
            cvm::DescribeInstancesRequest {
                limit: Some(5),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        all.len(),
        sim.instances(cvm_sim::DEFAULT_ACCOUNT, REGION).len()
    );
    let (calls, attempts) = {
        let log = log.lock().unwrap();
        (
            log.len() as u32,
            log.iter().map(|r| r.attempts).sum::<u32>(),
        )
    };
    assert!(attempts > calls, "faults at 30 % must have caused retries");
    sim.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_instances_retried_after_a_lost_response_creates_them_once() {
    let sim = sim(Config::default()).await;
    let client = client_for(&sim).build().unwrap();
    let (zones, image) = first_zone_and_image(&client).await;
    sim.set_faults(&FaultSpec {
        rules: vec![FaultRule {
            rate: 1.0,
            kinds: vec![FaultKind::LostResponse],
            actions: vec!["RunInstances".into()],
            seed: 1,
            timeout: Duration::from_secs(1),
        }],
    });
    let before = sim.instances(cvm_sim::DEFAULT_ACCOUNT, REGION).len();
    // Without a token: not retried, reported as outcome unknown.
    let e = client
        .run_instances(REGION, &run_request(&zones[0], &image, 1, None))
        .await
        .unwrap_err();
    assert!(e.outcome_unknown(), "{e}");
    assert_eq!(
        sim.instances(cvm_sim::DEFAULT_ACCOUNT, REGION).len(),
        before + 1
    );
    // With a token: the first attempt is applied and lost; the retry replays the token.
    let token = tencent_api::new_client_token();
    let c2 = client.clone();
    let req = run_request(&zones[0], &image, 3, Some(token));
    let task = tokio::spawn(async move { c2.run_instances(REGION, &req).await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    sim.set_faults(&FaultSpec::default());
    let out = task.await.unwrap().unwrap();
    assert_eq!(out.instance_id_set.unwrap().len(), 3);
    assert_eq!(
        sim.instances(cvm_sim::DEFAULT_ACCOUNT, REGION).len(),
        before + 4
    );
    sim.shutdown().await.unwrap();
}

/// The Done-when scenario: 10,000 instances listed under the sim's seed rule with the
/// seed budget take exactly 100 DescribeInstances calls and draw no RequestLimitExceeded.
/// (It runs about a minute: the budget spaces 100 calls over 60 s by design.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listing_10000_instances_in_seed_and_current_modes() {
    let sim = sim(Config {
        rate_limit: RateLimit::Off,
        balance: 1e12,
        quotas: Quotas {
            postpaid_per_region: 20_000,
            ..Default::default()
        },
        ..Default::default()
    })
    .await;
    let setup = client_for(&sim).build().unwrap();
    let (zones, image) = first_zone_and_image(&setup).await;
    for i in 0..20 {
        let zone = &zones[i % zones.len()];
        setup
            .run_instances(REGION, &run_request(zone, &image, 500, None))
            .await
            .unwrap();
    }
    assert_eq!(
        sim.instances(cvm_sim::DEFAULT_ACCOUNT, REGION).len(),
        10_000
    );

    for (sim_mode, profile) in [
        (RateLimit::Current, BudgetProfile::current()),
        (RateLimit::Seed, BudgetProfile::seed()),
    ] {
        sim.set_rate_limit(sim_mode.clone());
        let (client, log) = recorded(client_for(&sim).budget_profile(profile));
        let started = Instant::now();
        let all = client
            .list_all(REGION, cvm::DescribeInstancesRequest::default())
            .await
            .unwrap();
        let elapsed = started.elapsed();
        assert_eq!(all.len(), 10_000);
        let log = log.lock().unwrap();
        let calls: u32 = log
            .iter()
            .filter(|r| r.action == "DescribeInstances")
            .map(|r| r.attempts)
            .sum();
        let throttled: u32 = log.iter().map(|r| r.throttled).sum();
        println!("{sim_mode}: {calls} calls, {throttled} throttled, {elapsed:?}");
        assert_eq!(calls, 100, "{sim_mode}");
        assert_eq!(throttled, 0, "{sim_mode}");
    }
    sim.shutdown().await.unwrap();
}

/// Many regions at once under `current`, each past its own limit: the budget, which counts
/// each access region on its own, is not looser than the sim's per-action, per-region
/// rule (nothing is throttled, nothing retried).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn regions_at_once_under_current_are_paced_per_region_and_never_throttled() {
    let sim = sim(Config {
        rate_limit: RateLimit::Current,
        ..Default::default()
    })
    .await;
    let (client, log) = recorded(client_for(&sim).budget_profile(BudgetProfile::current()));
    let regions = [
        "ap-guangzhou",
        "ap-shanghai",
        "ap-beijing",
        "ap-chengdu",
        "ap-nanjing",
        "ap-hongkong",
    ];
    // 30 calls per region: past DescribeZones' 20 a second, so each region is paced.
    let mut calls = tokio::task::JoinSet::new();
    for r in regions {
        for _ in 0..30 {
            let client = client.clone();
            calls.spawn(async move {
                client
                    .describe_zones(r, &cvm::DescribeZonesRequest::default())
                    .await
                    .unwrap()
            });
        }
    }
    while let Some(done) = calls.join_next().await {
        done.unwrap();
    }
    assert_eq!(client.budget().snapshot().admitted, 180);
    let log = std::mem::take(&mut *log.lock().unwrap());
    assert_eq!(log.len(), 180);
    let throttled: u32 = log.iter().map(|r| r.throttled).sum();
    assert_eq!(throttled, 0);
    assert!(log.iter().all(|r| r.attempts == 1));
    sim.shutdown().await.unwrap();
}
