//! Lists 10,000 instances from cvm-sim over loopback HTTP under the sim's `seed` and
//! `current` rate rules, with the matching client budget, and once with no client budget
//! against `seed` to show what the budget prevents. Prints calls made, throttled answers,
//! wall time and the budget's floor (the least time the budget can take for those calls).
//!
//!     cargo bench -p tencent-api --bench list_sim
//!
//! A scripted benchmark, not criterion: one run takes a minute under `seed` by design.

use cvm_sim::{Config, Quotas, RateLimit};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tencent_api::models::cvm;
use tencent_api::{BudgetProfile, CallRecord, Client, Credentials, Endpoint, Limit, RetryPolicy};

const REGION: &str = "ap-guangzhou";

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let sim = cvm_sim::start(Config {
        time_scale: 0.0,
        rate_limit: RateLimit::Off,
        balance: 1e12,
        quotas: Quotas {
            postpaid_per_region: 20_000,
            ..Default::default()
        },
        ..Default::default()
    })
    .await
    .expect("start cvm-sim");
    let cred = sim.credentials()[0].clone();
    let builder = || {
        Client::builder(Credentials::new(&cred.secret_id, &cred.secret_key))
            .endpoint(Endpoint::Custom(sim.base_url()))
    };
    let setup = builder()
        .budget_profile(BudgetProfile::custom(
            "setup",
            Limit::per_second(1000, 100),
            None,
        ))
        .build()
        .unwrap();
    let zones: Vec<String> = setup
        .describe_zones(REGION, &Default::default())
        .await
        .unwrap()
        .zone_set
        .unwrap()
        .into_iter()
        .filter(|z| z.zone_state.as_deref() == Some("AVAILABLE"))
        .filter_map(|z| z.zone)
        .collect();
    let image = setup
        .describe_images(REGION, &Default::default())
        .await
        .unwrap()
        .image_set
        .unwrap()[0]
        .image_id
        .clone()
        .unwrap();
    for i in 0..20 {
        let req = cvm::RunInstancesRequest {
            placement: Some(cvm::Placement {
                zone: Some(zones[i % zones.len()].clone()),
                ..Default::default()
            }),
            image_id: Some(image.clone()),
            instance_count: Some(500),
            ..Default::default()
        };
        setup.run_instances(REGION, &req).await.unwrap();
    }

    println!(
        "| sim rule | client budget | result | DescribeInstances calls | throttled answers | wall time | budget floor |"
    );
    println!("| --- | --- | --- | ---: | ---: | ---: | ---: |");
    let unbudgeted = BudgetProfile::custom("none", Limit::per_second(100_000, 100_000), None);
    // The last row lists twice back to back without a client budget: the second listing
    // runs into the sim's 100-per-minute rule.
    for (rule, profile, listings) in [
        (RateLimit::Current, BudgetProfile::current(), 1),
        (RateLimit::Seed, BudgetProfile::seed(), 1),
        (RateLimit::Seed, unbudgeted, 2),
    ] {
        // Also empties the sim's rate windows, so runs do not affect each other.
        sim.set_rate_limit(rule.clone());
        let log: Arc<Mutex<Vec<CallRecord>>> = Arc::default();
        let l = log.clone();
        let limit = profile.limit_for("cvm", "DescribeInstances");
        let name = profile.name.clone();
        let client = builder()
            .budget_profile(profile)
            .retry(RetryPolicy {
                max_attempts: 4,
                ..Default::default()
            })
            .on_call(move |r| l.lock().unwrap().push(r.clone()))
            .build()
            .unwrap();
        let started = Instant::now();
        let mut result = Ok(Vec::new());
        for _ in 0..listings {
            result = client
                .list_all(REGION, cvm::DescribeInstancesRequest::default())
                .await;
            if result.is_err() {
                break;
            }
        }
        let wall = started.elapsed();
        let (calls, throttled) = {
            let log = log.lock().unwrap();
            (
                log.iter().map(|r| r.attempts).sum::<u32>(),
                log.iter().map(|r| r.throttled).sum::<u32>(),
            )
        };
        // The first `burst` calls go at once, then one per interval.
        let floor = limit.interval() * calls.saturating_sub(limit.burst.max(1));
        let outcome = match result {
            Ok(items) => format!("{listings} × {} instances", items.len()),
            Err(e) => format!("failed: {}", e.code()),
        };
        println!(
            "| {rule} | {name} | {outcome} | {calls} | {throttled} | {:.2} s | {:.2} s |",
            wall.as_secs_f64(),
            floor.as_secs_f64()
        );
    }
    sim.shutdown().await.unwrap();
}
