//! Lists every instance in every region the sim offers, region after region and all
//! regions at once, with the real client over loopback: the all-regions view's cost at
//! the client level. Two worlds: the Sandbox's 36 instances (one page per region) and
//! 10,000 spread over the regions (about 2,200 in each of the three big ones). Under the
//! `current` budget (DescribeInstances 40/s, counted across regions: stricter than
//! Tencent's per-region rule) and with no client budget against a sim without limits;
//! on bare loopback and with a 30 ms round trip added to every call (a transport that
//! waits before sending), since loopback hides the latency concurrency is meant to hide.
//!
//!     cargo bench -p tencent-api --bench all_regions
//!
//! Scripted, not criterion: each row is one timed run after one warm-up listing.

use cvm_sim::{Config, RateLimit};
use futures::future::try_join_all;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tencent_api::models::cvm;
use tencent_api::transport::{
    HttpRequest, HttpResponse, ReqwestTransport, Transport, TransportError,
};
use tencent_api::{BudgetProfile, CallRecord, Client, Credentials, Endpoint, Limit};

/// The real HTTP transport, each call delayed by a fixed round trip.
struct Rtt(ReqwestTransport, Duration);

impl Transport for Rtt {
    fn send(
        &self,
        req: HttpRequest,
    ) -> futures::future::BoxFuture<'static, Result<HttpResponse, TransportError>> {
        let (inner, rtt) = (self.0.clone(), self.1);
        Box::pin(async move {
            tokio::time::sleep(rtt).await;
            inner.send(req).await
        })
    }
}

async fn list_region(client: &Client, region: &str) -> usize {
    client
        .list_all(region, cvm::DescribeInstancesRequest::default())
        .await
        .unwrap_or_else(|e| panic!("{region}: {e}"))
        .len()
}

async fn sequential(client: &Client, regions: &[String]) -> usize {
    let mut n = 0;
    for r in regions {
        n += list_region(client, r).await;
    }
    n
}

async fn concurrent(client: &Client, regions: &[String]) -> usize {
    let all = try_join_all(
        regions
            .iter()
            .map(|r| async move { Ok::<_, ()>(list_region(client, r).await) }),
    )
    .await
    .unwrap();
    all.into_iter().sum()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    println!(
        "| world | added RTT | budget | mode | regions | instances | calls | throttled | wall time |"
    );
    println!("| --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |");
    for preload in [36usize, 10_000] {
        let sim = cvm_sim::start(Config {
            time_scale: 0.0,
            preload,
            seed: 1,
            rate_limit: RateLimit::Current,
            ..Default::default()
        })
        .await
        .expect("start cvm-sim");
        let cred = sim.credentials()[0].clone();
        let unlimited = || BudgetProfile::custom("none", Limit::per_second(100_000, 100_000), None);
        let setup = Client::builder(Credentials::new(&cred.secret_id, &cred.secret_key))
            .endpoint(Endpoint::Custom(sim.base_url()))
            .budget_profile(unlimited())
            .build()
            .unwrap();
        let regions: Vec<String> = setup
            .describe_regions("ap-guangzhou", &Default::default())
            .await
            .unwrap()
            .region_set
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.region_state.as_deref() == Some("AVAILABLE"))
            .filter_map(|r| r.region)
            .collect();
        for (rtt, rule, budget) in [
            (0, RateLimit::Current, BudgetProfile::current()),
            (0, RateLimit::Off, unlimited()),
            (30, RateLimit::Current, BudgetProfile::current()),
        ] {
            for mode in ["sequential", "concurrent"] {
                sim.set_rate_limit(rule.clone());
                let log: Arc<Mutex<Vec<CallRecord>>> = Arc::default();
                let l = log.clone();
                let name = budget.name.clone();
                let client = Client::builder(Credentials::new(&cred.secret_id, &cred.secret_key))
                    .endpoint(Endpoint::Custom(sim.base_url()))
                    .budget_profile(budget.clone())
                    .transport(Arc::new(Rtt(
                        ReqwestTransport::new(Duration::from_secs(5), Duration::from_secs(30))
                            .unwrap(),
                        Duration::from_millis(rtt),
                    )))
                    .on_call(move |r| l.lock().unwrap().push(r.clone()))
                    .build()
                    .unwrap();
                let run = || async {
                    if mode == "sequential" {
                        sequential(&client, &regions).await
                    } else {
                        concurrent(&client, &regions).await
                    }
                };
                run().await; // warm-up: connections, caches
                // A fresh budget window for the timed run.
                tokio::time::sleep(Duration::from_secs(1)).await;
                sim.set_rate_limit(rule.clone());
                log.lock().unwrap().clear();
                let started = Instant::now();
                let n = run().await;
                let wall = started.elapsed();
                let (calls, throttled) = {
                    let log = log.lock().unwrap();
                    (
                        log.iter().map(|r| r.attempts).sum::<u32>(),
                        log.iter().map(|r| r.throttled).sum::<u32>(),
                    )
                };
                println!(
                    "| {preload} instances | {rtt} ms | {name} | {mode} | {} | {n} | {calls} | {throttled} | {:.3} s |",
                    regions.len(),
                    wall.as_secs_f64()
                );
            }
        }
        sim.shutdown().await.unwrap();
    }
}
