//! The fleet listing at the client level: 3 accounts × 18 regions, 10,000 instances per
//! account, every call answered 30 ms late (cvm-sim's `latency`, a network round trip that
//! loopback does not have), the sim enforcing `current` and each profile on the `current`
//! budget. One in-process sim holds the three accounts (one key each); the app's own state
//! (`AppState`, profiles in a temporary folder) builds the clients, so each account is
//! listed on its own budget as in the app. SecretKeys sit in keyring-core's mock store:
//! the keyring is not what is measured.
//!
//! - concurrent: `fleet::stream_fleet`, what the fleet view runs (all accounts at once,
//!   each account's regions bounded and paced per region by its budget);
//! - sequential: the same clients, one (account, region) after the other, each region paged
//!   by `list_instances_while` as the one-region view does;
//! - concurrent without the added round trip, to tell the round trip's share from the
//!   budget's and the CPU's (the CPU column: this process's user + system time, the sim's
//!   work and the client's together).
//!
//! The floor is the least time the budget allows the busiest (account, region): its
//! DescribeInstances calls after the burst, one per interval of the action's limit.
//!
//!     cargo bench -p console-core --bench fleet_sim
//!
//! Scripted, not criterion: one warm-up, then the modes alternate for `FLEET_BENCH_ROUNDS`
//! rounds (default 2).

use console_core::console::filter::ListFilter;
use console_core::console::fleet::{self, FleetTarget};
use console_core::console::instances as core;
use console_core::console::listing::Ticket;
use console_core::profiles::{BudgetChoice, Language, Profile, ProfileKind, Site};
use console_core::secrets::{StoredSecret, Vault};
use console_core::state::AppState;
use console_core::types::ProfileId;
use cvm_sim::{AccountSpec, Config, Credential, RateLimit};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tencent_api::{BudgetProfile, Sensitive};

const ACCOUNTS: [(&str, &str); 3] = [
    ("100000000001", "AKIDfleetbench000000000000000000001"),
    ("100000000002", "AKIDfleetbench000000000000000000002"),
    ("100000000003", "AKIDfleetbench000000000000000000003"),
];
const PER_ACCOUNT: usize = 10_000;
const RTT: Duration = Duration::from_millis(30);

fn profile(i: usize, url: &str) -> Profile {
    Profile {
        id: format!("bench-{i}"),
        name: format!("Account {}", ACCOUNTS[i].0),
        kind: ProfileKind::Cloud,
        site: Site::Custom { url: url.into() },
        default_region: "ap-guangzhou".into(),
        language: Language::EnUs,
        budget: BudgetChoice::Current,
        read_only: false,
        masked_secret_id: None,
        has_token: false,
        last_region: None,
        role: None,
    }
}

/// CPU time (user + system) this process has used: the sim and the client together, since
/// the sim runs in-process. None where /proc is not there.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    // USER_HZ is 100 on Linux for every architecture this builds on.
    Some(Duration::from_millis(ticks * 10))
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// The calls the activity log recorded after `mark` (its sequence number).
fn calls_since(state: &AppState, mark: u32) -> (u32, u32, u32, u32) {
    let entries = state.activity.query(&Default::default());
    let new: Vec<_> = entries.iter().filter(|e| e.seq > mark).collect();
    let mut per_place: HashMap<(&str, &str), u32> = HashMap::new();
    for e in new.iter().filter(|e| e.action == "DescribeInstances") {
        *per_place.entry((&e.profile_id, &e.region)).or_default() += e.attempts;
    }
    (
        new.iter().map(|e| e.attempts).sum(),
        new.iter().map(|e| e.throttled).sum(),
        per_place.values().copied().max().unwrap_or(0),
        entries.first().map_or(mark, |e| e.seq),
    )
}

async fn concurrent(state: &Arc<AppState>, ids: &[String]) -> u64 {
    let targets = ids
        .iter()
        .map(|id| FleetTarget {
            profile_id: ProfileId::new(id).unwrap(),
            regions: None,
        })
        .collect();
    let ticket = Ticket::take("fleet-bench");
    let summary = fleet::stream_fleet(
        state.clone(),
        None,
        targets,
        Vec::new(),
        &ticket,
        |_| {},
        |_, _, _| {},
    )
    .await;
    assert!(
        summary.failed.is_empty() && summary.failed_accounts.is_empty(),
        "failed: {:?} {:?}",
        summary.failed,
        summary.failed_accounts
    );
    u64::from(summary.loaded)
}

async fn sequential(state: &Arc<AppState>, ids: &[String]) -> u64 {
    let filter = ListFilter::tags(Vec::new());
    let mut rows = 0;
    for id in ids {
        let client = state.client(&state.profile(id).unwrap()).await.unwrap();
        let regions = core::list_regions(&client).await.unwrap();
        for r in regions.into_iter().filter(|r| r.available) {
            let s = core::list_instances_while(&client, &r.id, &filter, &|| true, |_| {})
                .await
                .unwrap_or_else(|e| panic!("{id} {}: {e:?}", r.id));
            rows += u64::from(s.loaded);
        }
    }
    rows
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let rounds: usize = std::env::var("FLEET_BENCH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2);
    let key = "fleet-bench-secret-key-0000000000";
    let sim = cvm_sim::start(Config {
        time_scale: 0.0,
        seed: 1,
        preload: PER_ACCOUNT,
        rate_limit: RateLimit::Current,
        credentials: ACCOUNTS
            .iter()
            .map(|(uin, sid)| Credential {
                account: (*uin).into(),
                ..Credential::new(*sid, key)
            })
            .collect(),
        accounts: ACCOUNTS[1..]
            .iter()
            .map(|(uin, _)| AccountSpec {
                uin: (*uin).into(),
                preload: PER_ACCOUNT,
            })
            .collect(),
        ssh_listen: None,
        ..Default::default()
    })
    .await
    .expect("start cvm-sim");
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<keyring_core::CredentialStore> = keyring_core::mock::Store::new().unwrap();
    let vault = Vault::with_store(store, "fleet-bench");
    let ids: Vec<String> = (0..ACCOUNTS.len()).map(|i| format!("bench-{i}")).collect();
    for (id, (_, sid)) in ids.iter().zip(ACCOUNTS) {
        vault
            .put(
                id,
                &StoredSecret {
                    secret_id: sid.into(),
                    secret_key: Sensitive::new(key),
                    token: None,
                },
            )
            .unwrap();
    }
    let state = AppState::new(dir.path().join("config"), dir.path().join("data"), vault).unwrap();
    let url = sim.base_url();
    state
        .update_profiles(|f| {
            f.profiles
                .extend((0..ACCOUNTS.len()).map(|i| profile(i, &url)));
            Ok(())
        })
        .unwrap();
    let state = Arc::new(state);
    let limit = BudgetProfile::current().limit_for("cvm", "DescribeInstances");
    println!(
        "{} cores, load average at start: {}\n",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load_average()
    );
    println!(
        "| mode | added RTT | accounts × regions | instances | calls | throttled | busiest (account, region): DescribeInstances calls | its floor | wall time | wall / floor | CPU (sim + client) |"
    );
    println!("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    let mut mark = 0;
    // Warm-up: connections, the clients, GetCallerIdentity's budget sharing.
    sim.set_latency(Duration::ZERO);
    concurrent(&state, &ids).await;
    (_, _, _, mark) = calls_since(&state, mark);
    let mut walls: HashMap<&str, Vec<f64>> = HashMap::new();
    for _ in 0..rounds {
        // The same concurrent listing without the added round trip: what is left is the
        // budget and the CPU (the sim's answers and the client's parsing share the cores).
        for (mode, rtt) in [
            ("sequential", RTT),
            ("concurrent", RTT),
            ("concurrent", Duration::ZERO),
        ] {
            sim.set_latency(rtt);
            // A fresh budget window on both sides.
            tokio::time::sleep(Duration::from_secs(1)).await;
            sim.set_rate_limit(RateLimit::Current);
            let cpu_before = cpu_time();
            let started = Instant::now();
            let rows = if mode == "sequential" {
                sequential(&state, &ids).await
            } else {
                concurrent(&state, &ids).await
            };
            let wall = started.elapsed();
            let cpu = cpu_before.zip(cpu_time()).map_or("n/a".into(), |(a, b)| {
                format!("{:.2} s", (b.saturating_sub(a)).as_secs_f64())
            });
            let (calls, throttled, busiest, m) = calls_since(&state, mark);
            mark = m;
            let floor = limit.interval() * busiest.saturating_sub(limit.burst.max(1));
            if rtt == RTT {
                walls.entry(mode).or_default().push(wall.as_secs_f64());
            }
            println!(
                "| {mode} | {} ms | {} × 18 | {rows} | {calls} | {throttled} | {busiest} | {:.3} s | {:.3} s | {:.2}× | {cpu} |",
                rtt.as_millis(),
                ACCOUNTS.len(),
                floor.as_secs_f64(),
                wall.as_secs_f64(),
                wall.as_secs_f64() / floor.as_secs_f64()
            );
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let seq = median(walls.get_mut("sequential").unwrap());
    let conc = median(walls.get_mut("concurrent").unwrap());
    println!(
        "\nconcurrent is {:.1}× faster than sequential with the {} ms round trip (median of {rounds} rounds each: {seq:.3} s / {conc:.3} s); load average at the end: {}",
        seq / conc,
        RTT.as_millis(),
        load_average()
    );
    drop(state);
    sim.shutdown().await.unwrap();
}
