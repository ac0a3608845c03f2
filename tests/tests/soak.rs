//! Fault soak: a few hundred mixed lifecycle operations through `tencent_api::Client`
//! against an in-process cvm-sim that fails about 10 % of all requests (internal errors,
//! timeouts, resets, lost responses, throttling) from a fixed seed.
//!
//! The driver behaves like the app must: creates carry a ClientToken and are re-sent with
//! the same token until they give an answer; a mutation that fails with
//! `outcome_unknown()` is followed by a re-check of the instance before anything else is
//! tried; a failure that says nothing changed (throttled, internal error) is tried again.
//! Afterwards the emulator's own world must hold exactly the instances that were asked
//! for, each in the state last asked for, and every failure met on the way must have
//! carried a code.
//!
//! Requests are sent one at a time, so the sequence of requests, and therefore which
//! request each seeded fault hits, is the same on every run.

use cvm_sim::{Config, FaultKind, FaultRule, FaultSpec, RateLimit, SimHandle};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tencent_api::models::cvm;
use tencent_api::{
    BudgetProfile, CallOutcome, CallRecord, Client, Credentials, Endpoint, Error, ErrorKind, Limit,
    RetryPolicy,
};

const REGION: &str = "ap-guangzhou";
/// Instances created (one RunInstances each).
const CREATES: usize = 80;
/// Lifecycle operations per instance, at most (the last may be a terminate).
const OPS_PER_INSTANCE: usize = 5;
const FAULT_SEED: u64 = 20_261_126;
/// Tries of one operation before the soak gives up on it (each try is itself retried by
/// the client where that is safe). With 10 % faults, 12 failed tries in a row would be a bug.
const MAX_TRIES: usize = 12;

/// A small deterministic PRNG (xorshift64*), so the plan is the same on every run.
struct Plan(u64);

impl Plan {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Stop,
    Start,
    Reboot,
    Terminate,
}

impl Op {
    fn action(self) -> &'static str {
        match self {
            Op::Stop => "StopInstances",
            Op::Start => "StartInstances",
            Op::Reboot => "RebootInstances",
            Op::Terminate => "TerminateInstances",
        }
    }
}

/// What the driver has asked an instance to become.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Want {
    Running,
    Stopped,
    Gone,
}

impl Want {
    fn sim_state(self) -> Option<&'static str> {
        match self {
            Want::Running => Some("RUNNING"),
            Want::Stopped => Some("STOPPED"),
            Want::Gone => None,
        }
    }
}

struct Tracked {
    id: String,
    want: Want,
    last_op: Option<Op>,
    ops_left: usize,
}

/// The next operation for an instance: stop or reboot a running one (never two reboots in a
/// row, so a re-check can tell whether a reboot happened), start a stopped one, and
/// sometimes terminate as the last step.
fn next_op(plan: &mut Plan, t: &Tracked) -> Op {
    if t.ops_left == 1 && plan.below(3) == 0 {
        return Op::Terminate;
    }
    match t.want {
        Want::Running if t.last_op == Some(Op::Reboot) => Op::Stop,
        Want::Running if plan.below(3) == 0 => Op::Reboot,
        Want::Running => Op::Stop,
        Want::Stopped => Op::Start,
        Want::Gone => unreachable!("no operation is planned after a terminate"),
    }
}

#[derive(Default)]
struct Tally {
    /// Failures the driver saw, by code.
    failures: BTreeMap<String, usize>,
    outcome_unknown: usize,
    /// Outcome-unknown mutations that the re-check found applied.
    applied_after_all: usize,
    creates_resent: usize,
    ops: usize,
}

impl Tally {
    fn saw(&mut self, e: &Error) {
        // Every failure carries a code and a category; answers from the server a RequestId.
        assert!(!e.code().is_empty(), "a failure without a code: {e}");
        if let Error::Api { request_id, .. } = e {
            assert!(
                !request_id.is_empty(),
                "an API error without RequestId: {e}"
            );
        }
        *self.failures.entry(e.code().to_owned()).or_default() += 1;
        if e.outcome_unknown() {
            self.outcome_unknown += 1;
        }
    }
}

/// A failure after which nothing changed on the server, so the same request may be sent again.
fn nothing_changed(e: &Error) -> bool {
    !e.outcome_unknown()
        && matches!(
            e.kind(),
            ErrorKind::Throttled | ErrorKind::Server | ErrorKind::Network
        )
}

fn soak_faults() -> FaultSpec {
    FaultSpec {
        rules: vec![FaultRule {
            rate: 0.1,
            kinds: vec![
                FaultKind::Internal,
                FaultKind::Timeout,
                FaultKind::Reset,
                FaultKind::LostResponse,
                FaultKind::Throttle,
            ],
            actions: Vec::new(),
            seed: FAULT_SEED,
            // The sim holds a "timed out" request this long, then drops the connection.
            timeout: Duration::from_millis(300),
        }],
    }
}

type Log = Arc<Mutex<Vec<CallRecord>>>;

fn client_for(sim: &SimHandle, log: &Log) -> Client {
    let c = &sim.credentials()[0];
    let l = log.clone();
    Client::builder(Credentials::new(&c.secret_id, &c.secret_key))
        .endpoint(Endpoint::Custom(sim.base_url()))
        .request_client("CVM-Console-soak_0.1.0")
        .budget_profile(BudgetProfile::custom(
            "soak",
            Limit::per_second(10_000, 1_000),
            None,
        ))
        // Short, fixed back-off: the soak is about correctness, not about waiting.
        .retry(RetryPolicy {
            max_attempts: 4,
            min_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(40),
            jitter: false,
        })
        // Longer than the sim's hold, so a normal answer is never cut off by the client.
        .timeouts(Duration::from_secs(2), Duration::from_secs(10))
        .on_call(move |r| l.lock().unwrap().push(r.clone()))
        .build()
        .unwrap()
}

async fn zone_and_image(client: &Client) -> (String, String) {
    let zones = client
        .describe_zones(REGION, &cvm::DescribeZonesRequest::default())
        .await
        .unwrap();
    let zone = zones
        .zone_set
        .unwrap()
        .into_iter()
        .find(|z| z.zone_state.as_deref() == Some("AVAILABLE"))
        .and_then(|z| z.zone)
        .unwrap();
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
    (zone, image)
}

/// Creates one instance with a ClientToken, re-sending the same token until an answer
/// arrives: the sim applies a token once, so this can never create two.
async fn create(client: &Client, tally: &mut Tally, zone: &str, image: &str) -> String {
    let req = cvm::RunInstancesRequest {
        placement: Some(cvm::Placement {
            zone: Some(zone.into()),
            ..Default::default()
        }),
        image_id: Some(image.into()),
        instance_count: Some(1),
        client_token: Some(tencent_api::new_client_token()),
        ..Default::default()
    };
    for attempt in 0..MAX_TRIES {
        if attempt > 0 {
            tally.creates_resent += 1;
        }
        match client.run_instances(REGION, &req).await {
            Ok(out) => {
                let ids = out.instance_id_set.unwrap();
                assert_eq!(ids.len(), 1, "{ids:?}");
                return ids.into_iter().next().unwrap();
            }
            Err(e) => {
                tally.saw(&e);
                assert!(
                    e.outcome_unknown() || nothing_changed(&e),
                    "RunInstances failed for a reason faults do not explain: {e}"
                );
            }
        }
    }
    panic!("RunInstances did not get through in {MAX_TRIES} tries");
}

/// `(InstanceState, LatestOperation)`, or None once the instance is gone.
async fn observe(client: &Client, tally: &mut Tally, id: &str) -> Option<(String, String)> {
    let req = cvm::DescribeInstancesRequest {
        instance_ids: Some(vec![id.to_owned()]),
        ..Default::default()
    };
    for _ in 0..MAX_TRIES {
        match client.describe_instances(REGION, &req).await {
            Ok(out) => {
                let set = out.instance_set.unwrap_or_default();
                return set.into_iter().next().map(|i| {
                    (
                        i.instance_state.unwrap_or_default(),
                        i.latest_operation.unwrap_or_default(),
                    )
                });
            }
            // A Describe is retried by the client itself; all its attempts failed.
            Err(e) if e.kind() == ErrorKind::NotFound => return None,
            Err(e) => {
                tally.saw(&e);
                assert!(nothing_changed(&e), "DescribeInstances failed: {e}");
            }
        }
    }
    panic!("DescribeInstances({id}) did not get through in {MAX_TRIES} tries");
}

/// Whether the instance as observed shows that `op` took effect.
fn took_effect(op: Op, seen: &Option<(String, String)>) -> bool {
    match (op, seen) {
        (Op::Terminate, None) => true,
        (Op::Terminate, Some((state, _))) => state == "TERMINATING" || state == "SHUTDOWN",
        (_, None) => false,
        (Op::Stop, Some((state, _))) => state == "STOPPED" || state == "STOPPING",
        (Op::Start, Some((state, _))) => state == "RUNNING" || state == "STARTING",
        (Op::Reboot, Some((_, latest))) => latest == "RebootInstances",
    }
}

async fn send(client: &Client, id: &str, op: Op) -> Result<(), Error> {
    let ids = Some(vec![id.to_owned()]);
    match op {
        Op::Stop => client
            .stop_instances(
                REGION,
                &cvm::StopInstancesRequest {
                    instance_ids: ids,
                    ..Default::default()
                },
            )
            .await
            .map(drop),
        Op::Start => client
            .start_instances(REGION, &cvm::StartInstancesRequest { instance_ids: ids })
            .await
            .map(drop),
        Op::Reboot => client
            .reboot_instances(
                REGION,
                &cvm::RebootInstancesRequest {
                    instance_ids: ids,
                    ..Default::default()
                },
            )
            .await
            .map(drop),
        Op::Terminate => client
            .terminate_instances(
                REGION,
                &cvm::TerminateInstancesRequest {
                    instance_ids: ids,
                    ..Default::default()
                },
            )
            .await
            .map(drop),
    }
}

/// Applies one lifecycle operation exactly once, whatever the faults do.
async fn apply(client: &Client, tally: &mut Tally, id: &str, op: Op) {
    tally.ops += 1;
    for _ in 0..MAX_TRIES {
        match send(client, id, op).await {
            Ok(()) => return,
            Err(e) => {
                tally.saw(&e);
                if e.outcome_unknown() {
                    // It may have run: look before trying again.
                    let seen = observe(client, tally, id).await;
                    if took_effect(op, &seen) {
                        tally.applied_after_all += 1;
                        return;
                    }
                } else {
                    assert!(
                        nothing_changed(&e),
                        "{} on {id} failed for a reason faults do not explain: {e}",
                        op.action()
                    );
                }
            }
        }
    }
    panic!(
        "{} on {id} did not get through in {MAX_TRIES} tries",
        op.action()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lifecycle_under_ten_percent_faults_ends_exactly_as_asked() {
    let sim = cvm_sim::start(Config {
        time_scale: 0.0,
        rate_limit: RateLimit::Off,
        ..Default::default()
    })
    .await
    .expect("start cvm-sim");
    let log: Log = Arc::default();
    let client = client_for(&sim, &log);
    let (zone, image) = zone_and_image(&client).await;
    let before = sim.instances(cvm_sim::DEFAULT_ACCOUNT, REGION);
    assert!(
        before.is_empty(),
        "a fresh world has no instances: {before:?}"
    );
    sim.set_faults(&soak_faults());
    log.lock().unwrap().clear();

    let mut plan = Plan(0x5eed_0000_0000_0001);
    let mut tally = Tally::default();
    let mut tracked: Vec<Tracked> = Vec::new();

    // Hang guard only (the run takes seconds); speed is measured elsewhere, never asserted.
    tokio::time::timeout(Duration::from_secs(300), async {
        loop {
            let active: Vec<usize> = (0..tracked.len())
                .filter(|&i| tracked[i].ops_left > 0)
                .collect();
            let may_create = tracked.len() < CREATES;
            if active.is_empty() && !may_create {
                break;
            }
            // Mix creates with operations on instances already there.
            if may_create && (active.is_empty() || plan.below(4) == 0) {
                let id = create(&client, &mut tally, &zone, &image).await;
                tracked.push(Tracked {
                    id,
                    want: Want::Running,
                    last_op: None,
                    ops_left: 2 + plan.below(OPS_PER_INSTANCE - 1),
                });
                continue;
            }
            let t = &mut tracked[active[plan.below(active.len())]];
            let op = next_op(&mut plan, t);
            apply(&client, &mut tally, &t.id, op).await;
            t.last_op = Some(op);
            t.ops_left -= 1;
            t.want = match op {
                Op::Stop => Want::Stopped,
                Op::Start | Op::Reboot => Want::Running,
                Op::Terminate => {
                    t.ops_left = 0;
                    Want::Gone
                }
            };
        }
    })
    .await
    .expect("the soak hung");

    // The emulator's own view, with faults off.
    sim.set_faults(&FaultSpec::default());
    let in_sim: BTreeMap<String, String> = sim
        .instances(cvm_sim::DEFAULT_ACCOUNT, REGION)
        .into_iter()
        .collect();
    let ids: BTreeSet<&str> = tracked.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(tracked.len(), CREATES, "every create was tracked");
    assert_eq!(ids.len(), CREATES, "no create answered with another's id");
    let live: BTreeMap<String, String> = tracked
        .iter()
        .filter_map(|t| Some((t.id.clone(), t.want.sim_state()?.to_owned())))
        .collect();
    // No duplicate and no stray instance: the sim holds exactly the live tracked ones...
    assert_eq!(
        in_sim.keys().collect::<Vec<_>>(),
        live.keys().collect::<Vec<_>>(),
        "instances in the sim differ from those created and not terminated"
    );
    // ...each in the state last asked for.
    assert_eq!(in_sim, live, "final states differ from the requested ones");
    let gone = tracked.iter().filter(|t| t.want == Want::Gone).count();
    assert_eq!(
        in_sim.len() + gone,
        CREATES,
        "instances in the sim + terminated == creates"
    );
    assert!(
        gone > 0 && !live.is_empty(),
        "the plan covers terminate and survivors"
    );

    // Every failed call (after the client's own retries) was reported with a code, and the
    // faults really happened: each kind showed up and some mutations had to be re-checked.
    let log = log.lock().unwrap().clone();
    let mut attempts = 0;
    for r in log.iter() {
        attempts += r.attempts;
        if let CallOutcome::Failed { code, .. } = &r.outcome {
            assert!(!code.is_empty(), "{r:?}");
        }
    }
    let seen = |prefix: &str| {
        tally
            .failures
            .iter()
            .filter(|(c, _)| c.starts_with(prefix))
            .map(|(_, n)| n)
            .sum::<usize>()
    };
    let retried = attempts as usize - log.len();
    // RunInstances answers lost and replayed by the client with the same ClientToken.
    let creates_replayed = log
        .iter()
        .filter(|r| r.action == "RunInstances" && r.attempts > 1)
        .count();
    eprintln!(
        "soak: {} creates, {} lifecycle operations, {} calls, {} retried attempts, \
         failures surfaced: {:?}, outcome unknown: {}, found applied on re-check: {}, \
         creates retried by the client: {creates_replayed}, creates re-sent by the driver: {}, \
         left: {} instances, terminated: {gone}",
        CREATES,
        tally.ops,
        log.len(),
        retried,
        tally.failures,
        tally.outcome_unknown,
        tally.applied_after_all,
        tally.creates_resent,
        in_sim.len(),
    );
    assert!(tally.ops >= 150, "a few hundred operations: {}", tally.ops);
    assert!(retried > 0, "transient faults were retried by the client");
    assert!(seen("InternalError") > 0, "{:?}", tally.failures);
    assert!(seen("RequestLimitExceeded") > 0, "{:?}", tally.failures);
    assert!(seen("ClientNetworkError") > 0, "{:?}", tally.failures);
    assert!(tally.outcome_unknown > 0 && tally.applied_after_all > 0);
    assert!(
        creates_replayed > 0,
        "some creates went through a failed attempt first"
    );
    sim.shutdown().await.unwrap();
}
