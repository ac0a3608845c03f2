//! The detail view, failure reporting and the notification decision, against a real
//! cvm-sim over loopback (transitions immediate).

use super::*;
use crate::console::instances::{Lifecycle, run_action};
use crate::console::watch::{
    Attention, InstanceChange, Notice, WatchConfig, WatchOutcome, notice_for, report_finished,
    watch,
};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tencent_api::{Credentials, Endpoint, Language};

async fn sim(faults: &str) -> (cvm_sim::SimHandle, Client) {
    let sim = cvm_sim::start(cvm_sim::Config {
        preload: 36,
        time_scale: 0.0,
        seed: 7,
        faults: faults.parse().unwrap(),
        ..Default::default()
    })
    .await
    .unwrap();
    let client = Client::builder(Credentials::new(
        cvm_sim::DEFAULT_SECRET_ID,
        cvm_sim::DEFAULT_SECRET_KEY,
    ))
    .endpoint(Endpoint::Custom(sim.base_url()))
    .language(Language::EnUs)
    .build()
    .unwrap();
    (sim, client)
}

fn first_in(sim: &cvm_sim::SimHandle, region: &str, state: &str) -> String {
    sim.instances(cvm_sim::DEFAULT_ACCOUNT, region)
        .into_iter()
        .find(|(_, s)| s == state)
        .unwrap_or_else(|| panic!("no {state} instance in {region}"))
        .0
}

/// Polls often, and would wait far longer than the test allows if a failure were only
/// noticed after the grace polls.
fn patient() -> WatchConfig {
    WatchConfig {
        interval: Duration::from_millis(20),
        max: Duration::from_secs(30),
        grace_polls: 1000,
    }
}

#[tokio::test]
async fn describes_one_instance_in_groups() {
    let (sim, client) = sim("").await;
    let region = "ap-guangzhou";
    let id = first_in(&sim, region, "RUNNING");
    let d = describe_instance(&client, region, &id).await.unwrap();
    assert_eq!(d.summary.id, id);
    assert_eq!(d.summary.state, "RUNNING");
    assert!(d.uuid.is_some());
    assert!(d.vpc_id.as_deref().unwrap().starts_with("vpc-"));
    assert!(d.subnet_id.as_deref().unwrap().starts_with("subnet-"));
    assert!(!d.summary.private_ips.is_empty());
    assert!(!d.security_group_ids.is_empty());
    let sys = d.system_disk.as_ref().unwrap();
    assert!(sys.disk_id.starts_with("disk-") && sys.size_gib > 0);
    assert!(d.default_login_user.is_some());
    assert!(matches!(d.default_login_port, Some(22 | 3389)));
    assert!(d.image_id.as_deref().unwrap().starts_with("img-"));
    assert!(d.host_name.is_some());

    // Bad input names the field and sends nothing; a vanished id is NotFound.
    let e = describe_instance(&client, region, "i-123")
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("instanceId"));
    let e = describe_instance(&client, "mars-1", &id).await.unwrap_err();
    assert_eq!(e.field.as_deref(), Some("region"));
    let e = describe_instance(&client, region, "ins-zzzzzzzz")
        .await
        .unwrap_err();
    assert_eq!(e.code, "InvalidInstanceId.NotFound");
    assert_eq!(e.kind, crate::error::ErrorKind::NotFound);
}

#[tokio::test]
async fn a_failed_start_is_reported_at_once_with_its_message() {
    let (sim, client) = sim("rate=1,kinds=op-failed,actions=StartInstances").await;
    let region = "ap-guangzhou";
    let id = first_in(&sim, region, "STOPPED");
    let r = run_action(
        &client,
        region,
        std::slice::from_ref(&id),
        &Lifecycle::Start,
    )
    .await;
    assert_eq!(r.succeeded, 1, "the request itself is accepted");
    let changes: Mutex<Vec<InstanceChange>> = Mutex::new(Vec::new());
    let started = Instant::now();
    let left = watch(
        &client,
        "p1",
        region,
        vec![id.clone()],
        Lifecycle::Start.expected_state(),
        patient(),
        |c| changes.lock().unwrap().push(c),
    )
    .await;
    assert!(left.is_empty());
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "reported at once, not after the grace polls ({:?})",
        started.elapsed()
    );
    let changes = changes.into_inner().unwrap();
    let last = changes.last().unwrap();
    assert!(last.settled);
    assert_eq!(last.state.as_deref(), Some("STOPPED"));
    let failure = last.failure.as_deref().unwrap();
    assert!(failure.contains("failed to start"), "{failure}");
    let view = last.instance.as_ref().unwrap();
    assert_eq!(view.latest_operation.as_deref(), Some("StartInstances"));
    assert_eq!(view.latest_operation_state.as_deref(), Some("FAILED"));
    // The detail view shows the same.
    let d = describe_instance(&client, region, &id).await.unwrap();
    assert_eq!(d.summary.latest_operation_error.as_deref(), Some(failure));
    assert!(d.latest_operation_request_id.is_some());
}

#[tokio::test]
async fn launch_failed_is_reported_with_its_message() {
    let (sim, client) = sim("rate=1,kinds=op-failed,actions=RunInstances").await;
    let region = "ap-guangzhou";
    let req = tencent_api::models::cvm::RunInstancesRequest {
        placement: Some(tencent_api::models::cvm::Placement {
            zone: Some("ap-guangzhou-3".into()),
            ..Default::default()
        }),
        image_id: Some("img-487zeit5".into()),
        instance_type: Some("S5.MEDIUM4".into()),
        instance_count: Some(2),
        ..Default::default()
    };
    let ids = client
        .run_instances(region, &req)
        .await
        .unwrap()
        .instance_id_set
        .unwrap();
    assert_eq!(ids.len(), 2);
    let changes: Mutex<Vec<InstanceChange>> = Mutex::new(Vec::new());
    let started = Instant::now();
    watch(
        &client,
        "p1",
        region,
        ids.clone(),
        Some("RUNNING"),
        patient(),
        |c| changes.lock().unwrap().push(c),
    )
    .await;
    assert!(started.elapsed() < Duration::from_secs(5));
    let changes = changes.into_inner().unwrap();
    for id in &ids {
        let last = changes
            .iter()
            .rfind(|c| &c.instance_id == id && c.settled)
            .unwrap();
        assert_eq!(last.state.as_deref(), Some("LAUNCH_FAILED"));
        assert!(last.failure.as_deref().unwrap().contains("S5.MEDIUM4"));
    }
    drop(sim);
}

struct FakeAttention {
    focused: bool,
    fails: bool,
    shown: Mutex<Vec<Notice>>,
}

impl Attention for FakeAttention {
    fn window_focused(&self) -> bool {
        self.focused
    }
    fn notify(&self, notice: &Notice) -> Result<(), String> {
        if self.fails {
            return Err("org.freedesktop.DBus.Error.ServiceUnknown".into());
        }
        self.shown.lock().unwrap().push(notice.clone());
        Ok(())
    }
}

fn outcome(secs: u64, failures: Vec<String>) -> WatchOutcome {
    WatchOutcome {
        instances: 3,
        states: [("RUNNING".to_owned(), 2), ("LAUNCH_FAILED".to_owned(), 1)]
            .into_iter()
            .collect(),
        failures,
        unsettled: 0,
        elapsed: Duration::from_secs(secs),
    }
}

#[test]
fn notifies_only_when_the_window_is_not_focused() {
    let long = outcome(20, vec!["The zone ran out of resources".into()]);
    // Focused: the user sees the list change; nothing is shown.
    let focused = FakeAttention {
        focused: true,
        fails: false,
        shown: Mutex::new(vec![]),
    };
    assert!(!report_finished(&focused, &long, false));
    assert!(focused.shown.lock().unwrap().is_empty());

    let away = FakeAttention {
        focused: false,
        fails: false,
        shown: Mutex::new(vec![]),
    };
    assert!(report_finished(&away, &long, false));
    let shown = away.shown.lock().unwrap().clone();
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].title, "CVM Console: an operation failed");
    assert_eq!(
        shown[0].body,
        "3 instances: 1 LAUNCH_FAILED, 2 RUNNING. The zone ran out of resources"
    );
    // A quick operation ends while the user still looks: no notification.
    assert!(!report_finished(&away, &outcome(1, vec![]), false));
    // Chinese, and success.
    let n = notice_for(&outcome(10, vec![]), false, true).unwrap();
    assert_eq!(n.title, "CVM Console：操作已完成");
    assert!(n.body.starts_with("3 台实例："));
    // Nothing watched: nothing to say.
    assert!(notice_for(&WatchOutcome::default(), false, false).is_none());

    // No notification daemon (as under the e2e): logged, harmless.
    let broken = FakeAttention {
        focused: false,
        fails: true,
        shown: Mutex::new(vec![]),
    };
    assert!(!report_finished(&broken, &long, false));
}
