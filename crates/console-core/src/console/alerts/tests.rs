//! Rules: validation and storage. The watcher: against a real cvm-sim over loopback,
//! with the profile's real client and budget (secrets in keyring-core's mock store; the
//! real keyring is covered by src-tauri/tests/keyring.rs).

use super::engine::*;
use super::*;
use crate::console::instances::InstanceView;
use crate::profiles::{BudgetChoice, Language, Profile, ProfileKind, Site};
use crate::secrets::{StoredSecret, Vault};
use crate::state::AppState;
use std::sync::Arc;
use tencent_api::Sensitive;

fn profile_target(id: &str, regions: Option<&[&str]>) -> Option<AlertTarget> {
    Some(AlertTarget::Profile {
        profile_id: id.into(),
        regions: regions.map(|r| r.iter().map(|s| (*s).to_owned()).collect()),
    })
}

fn cpu(threshold: &str, minutes: &str, target: Option<AlertTarget>) -> AlertRuleDraft {
    AlertRuleDraft {
        id: None,
        enabled: true,
        kind: AlertKind::CpuAbove,
        threshold: threshold.into(),
        minutes: minutes.into(),
        days: String::new(),
        target,
    }
}

fn expiring(days: &str, target: Option<AlertTarget>) -> AlertRuleDraft {
    AlertRuleDraft {
        kind: AlertKind::Expiring,
        days: days.into(),
        threshold: String::new(),
        minutes: String::new(),
        ..cpu("", "", target)
    }
}

const PROFILES: &[&str] = &["sandbox", "p-a"];

fn known() -> Vec<String> {
    PROFILES.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn every_bad_input_names_its_field_and_nothing_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let store = AlertStore::new(dir.path());
    let good = || profile_target("sandbox", Some(&["ap-guangzhou"]));
    let view = |id: &str| Some(AlertTarget::View { view_id: id.into() });
    let cases: Vec<(AlertRuleDraft, &str)> = vec![
        (cpu("abc", "5", good()), "threshold"),
        (cpu("", "5", good()), "threshold"),
        (cpu("NaN", "5", good()), "threshold"),
        (cpu("inf", "5", good()), "threshold"),
        (cpu("0", "5", good()), "threshold"),
        (cpu("100", "5", good()), "threshold"),
        (cpu("150", "5", good()), "threshold"),
        (cpu("-5", "5", good()), "threshold"),
        (cpu("80", "0", good()), "minutes"),
        (cpu("80", "", good()), "minutes"),
        (cpu("80", "1.5", good()), "minutes"),
        (cpu("80", "five", good()), "minutes"),
        (cpu("80", "121", good()), "minutes"),
        (cpu("80", "-1", good()), "minutes"),
        (expiring("0", good()), "days"),
        (expiring("366", good()), "days"),
        (expiring("x", good()), "days"),
        (cpu("80", "5", None), "target"),
        (expiring("7", None), "target"),
        (cpu("80", "5", profile_target("", None)), "target"),
        (cpu("80", "5", profile_target("p-nobody", None)), "target"),
        (
            cpu("80", "5", profile_target("sandbox", Some(&[]))),
            "regions",
        ),
        (
            cpu("80", "5", profile_target("sandbox", Some(&["Mars 1"]))),
            "regions",
        ),
        (cpu("80", "5", view(" ")), "target"),
        // A view that does not exist (deleted, or never saved).
        (cpu("80", "5", view("view-000000000000")), "target"),
    ];
    for (draft, field) in &cases {
        let e = store.save(draft, &known(), &[]).unwrap_err();
        assert_eq!(e.field.as_deref(), Some(*field), "{draft:?}: {}", e.message);
        assert_eq!(e.code, crate::error::AppCode::InvalidInput.as_str());
        assert!(!store.path().exists(), "{draft:?} wrote the file");
    }
    // A good rule is saved; a bad edit of it leaves the file as it was, byte for byte.
    let saved = store
        .save(&cpu(" 80.5 ", "5", good()), &known(), &[])
        .unwrap();
    assert_eq!(
        saved.condition,
        AlertCondition::CpuAbove {
            threshold: 80.5,
            minutes: 5
        }
    );
    let before = std::fs::read(store.path()).unwrap();
    for (draft, _) in &cases {
        let edit = AlertRuleDraft {
            id: Some(saved.id.clone()),
            ..draft.clone()
        };
        assert!(store.save(&edit, &known(), &[]).is_err());
    }
    assert_eq!(std::fs::read(store.path()).unwrap(), before);
}

#[test]
fn rules_are_added_edited_and_removed_and_hold_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let store = AlertStore::new(dir.path());
    assert_eq!(store.rules().unwrap(), vec![]);
    let a = store
        .save(
            &cpu("90", "10", profile_target("sandbox", None)),
            &known(),
            &[],
        )
        .unwrap();
    let b = store
        .save(&expiring("7", profile_target("p-a", None)), &known(), &[])
        .unwrap();
    let left = AlertRuleDraft {
        kind: AlertKind::LeftRunning,
        ..cpu("", "", profile_target("p-a", Some(&["ap-beijing"])))
    };
    let c = store.save(&left, &known(), &[]).unwrap();
    assert_eq!(c.condition, AlertCondition::LeftRunning);
    assert!(a.id.starts_with("rule-") && a.id != b.id);
    assert_eq!(
        store.rules().unwrap(),
        vec![a.clone(), b.clone(), c.clone()]
    );
    // Edit in place.
    let edited = store
        .save(
            &AlertRuleDraft {
                id: Some(a.id.clone()),
                enabled: false,
                ..cpu("95", "3", profile_target("sandbox", None))
            },
            &known(),
            &[],
        )
        .unwrap();
    assert_eq!(edited.id, a.id);
    assert_eq!(store.rules().unwrap()[0], edited);
    // Unknown ids are refused naming the field.
    let ghost = AlertRuleDraft {
        id: Some("rule-ghost".into()),
        ..cpu("95", "3", profile_target("sandbox", None))
    };
    let e = store.save(&ghost, &known(), &[]).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.field.as_deref()),
        (
            crate::error::AppCode::AlertRuleNotFound.as_str(),
            Some("id")
        )
    );
    assert_eq!(
        store.delete("rule-ghost").unwrap_err().code,
        crate::error::AppCode::AlertRuleNotFound.as_str()
    );
    store.delete(&b.id).unwrap();
    assert_eq!(store.rules().unwrap(), vec![edited, c]);
    // The file names profiles and regions only.
    let text = std::fs::read_to_string(store.path()).unwrap();
    for word in ["secret", "Secret", "token", "AKID"] {
        assert!(!text.contains(word), "{word} in {text}");
    }
}

#[test]
fn an_unreadable_rules_file_is_reported_and_never_written_over() {
    let dir = tempfile::tempdir().unwrap();
    let store = AlertStore::new(dir.path());
    std::fs::write(store.path(), b"{ not json").unwrap();
    assert_eq!(
        store.rules().unwrap_err().code,
        crate::error::AppCode::Alerts.as_str()
    );
    let e = store
        .save(
            &cpu("80", "5", profile_target("sandbox", None)),
            &known(),
            &[],
        )
        .unwrap_err();
    assert_eq!(e.code, crate::error::AppCode::Alerts.as_str());
    assert_eq!(std::fs::read(store.path()).unwrap(), b"{ not json");
}

#[test]
fn the_cpu_condition_needs_every_point_of_the_window_above_and_recent() {
    let now = 1_700_000_000 / 60 * 60;
    let series = |vals: &[f64], newest: i64| -> Vec<(i64, f64)> {
        let n = vals.len() as i64;
        vals.iter()
            .enumerate()
            .map(|(k, v)| (newest - (n - 1 - k as i64) * 60, *v))
            .collect()
    };
    let hot = series(&[50.0, 91.0, 92.0, 93.0], now - 60);
    assert_eq!(cpu_holds(&hot, 90.0, 3, now), Some(91.0));
    assert_eq!(cpu_holds(&hot, 91.0, 3, now), None, "strictly above");
    assert_eq!(cpu_holds(&hot, 90.0, 4, now), None, "one point below");
    assert_eq!(cpu_holds(&hot, 90.0, 5, now), None, "too few points");
    // A gap inside the window (the instance was off) breaks "for N minutes".
    let gap = vec![(now - 240, 95.0), (now - 120, 95.0), (now - 60, 95.0)];
    assert_eq!(cpu_holds(&gap, 90.0, 3, now), None);
    // Data that stopped arriving long ago says nothing about now.
    let old = series(&[95.0, 95.0, 95.0], now - 600);
    assert_eq!(cpu_holds(&old, 90.0, 3, now), None);
    assert_eq!(cpu_holds(&[], 90.0, 1, now), None);
}

fn instance(id: &str, charge: &str, expires: Option<&str>) -> InstanceView {
    InstanceView {
        id: id.into(),
        profile_id: "p-a".into(),
        region: "ap-guangzhou".into(),
        name: format!("web-{id}"),
        state: "RUNNING".into(),
        zone: "ap-guangzhou-3".into(),
        instance_type: "S5.MEDIUM4".into(),
        cpu: 2,
        memory_gib: 4,
        private_ips: vec!["10.0.0.8".into()],
        public_ips: vec![],
        charge_type: charge.into(),
        internet_charge_type: None,
        bandwidth_out_mbps: 0,
        expired_time: expires.map(Into::into),
        created_time: None,
        tags: vec![crate::console::instances::TagView {
            key: "team".into(),
            value: "web".into(),
        }],
        os_name: None,
        restrict_state: None,
        stop_charging_mode: None,
        disable_api_termination: false,
        latest_operation: None,
        latest_operation_state: None,
        latest_operation_request_id: None,
        latest_operation_error: None,
    }
}

#[test]
fn expiry_counts_prepaid_instances_only_on_the_given_clock() {
    let now = time::macros::datetime!(2026-12-01 00:00 UTC).unix_timestamp();
    let soon = instance("ins-1", "PREPAID", Some("2026-12-04T00:00:00Z"));
    assert_eq!(expiring_within(&soon, 7, now), Some(3.0));
    assert_eq!(expiring_within(&soon, 3, now), None);
    let hourly = instance("ins-2", "POSTPAID_BY_HOUR", Some("2026-12-04T00:00:00Z"));
    assert_eq!(expiring_within(&hourly, 7, now), None);
    assert_eq!(
        expiring_within(&instance("ins-3", "PREPAID", None), 7, now),
        None
    );
}

#[test]
fn a_view_rule_keeps_what_the_view_shows() {
    let i = instance("ins-abc", "PREPAID", None);
    let view = |tags: &str, text: &str, state: &str| {
        Watch::View(crate::console::views::SavedView {
            id: "view-1".into(),
            name: "web".into(),
            accounts: None,
            regions: None,
            tags: tags.into(),
            text: text.into(),
            state: state.into(),
        })
    };
    assert!(matches(&view("team", "", ""), &i));
    assert!(matches(&view("team=web", "WEB-", "RUNNING"), &i));
    assert!(matches(&view("", "10.0.0", ""), &i));
    assert!(!matches(&view("team=db", "", ""), &i));
    assert!(!matches(&view("owner", "", ""), &i));
    assert!(!matches(&view("", "db-", ""), &i));
    assert!(!matches(&view("", "", "STOPPED"), &i));
}

// ------------------------------------------------------------------ against cvm-sim

struct World {
    sim: Arc<cvm_sim::SimHandle>,
    state: Arc<AppState>,
    alerts: Arc<Alerts>,
    profile: Profile,
    _dir: tempfile::TempDir,
}

async fn world(preload: usize) -> World {
    let sim = cvm_sim::start(cvm_sim::Config {
        preload,
        time_scale: 0.0,
        seed: 7,
        ..Default::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<keyring_core::CredentialStore> = keyring_core::mock::Store::new().unwrap();
    let vault = Vault::with_store(store, "alerts-test");
    vault
        .put(
            "p-a",
            &StoredSecret {
                secret_id: cvm_sim::DEFAULT_SECRET_ID.into(),
                secret_key: Sensitive::new(cvm_sim::DEFAULT_SECRET_KEY),
                token: None,
            },
        )
        .unwrap();
    let state = AppState::new(dir.path().join("config"), dir.path().join("data"), vault).unwrap();
    let profile = Profile {
        id: "p-a".into(),
        name: "Account A".into(),
        kind: ProfileKind::Cloud,
        site: Site::Custom {
            url: sim.base_url(),
        },
        default_region: "ap-guangzhou".into(),
        language: Language::EnUs,
        budget: BudgetChoice::Current,
        read_only: false,
        masked_secret_id: None,
        has_token: false,
        last_region: None,
        role: None,
    };
    state
        .update_profiles(|f| {
            f.profiles.push(profile.clone());
            Ok(())
        })
        .unwrap();
    // Rules run on the emulator's world clock, as the Sandbox's do.
    let sim = Arc::new(sim);
    let clock = sim.clone();
    let alerts = Arc::new(Alerts::new(&state.config_dir));
    alerts.set_clock(Arc::new(move |_| Some(clock.now_ms().div_euclid(1000))));
    World {
        sim,
        state: Arc::new(state),
        alerts,
        profile,
        _dir: dir,
    }
}

const REGION: &str = "ap-guangzhou";

impl World {
    fn ids(&self, state: &str) -> Vec<String> {
        self.sim
            .instances(cvm_sim::DEFAULT_ACCOUNT, REGION)
            .into_iter()
            .filter(|(_, s)| s == state)
            .map(|(id, _)| id)
            .collect()
    }

    fn save(&self, draft: AlertRuleDraft) -> AlertRule {
        let views = self.state.views.views().unwrap();
        self.alerts
            .store
            .save(&draft, &["p-a".to_owned()], &views)
            .unwrap()
    }

    /// A client of the same account that is not the app's: changes made through it are
    /// someone else's (the web console, a script).
    fn outsider(&self) -> tencent_api::Client {
        tencent_api::Client::builder(tencent_api::Credentials::new(
            cvm_sim::DEFAULT_SECRET_ID,
            cvm_sim::DEFAULT_SECRET_KEY,
        ))
        .endpoint(tencent_api::Endpoint::Custom(self.sim.base_url()))
        .build()
        .unwrap()
    }

    async fn admitted(&self) -> u64 {
        let c = self.state.client(&self.profile).await.unwrap();
        c.budget().snapshot().admitted
    }
}

fn fired(events: &[AlertEvent]) -> Vec<(AlertKind, String)> {
    let mut v: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            AlertEvent::Fired(a) => Some((a.kind, a.instance_id.clone())),
            AlertEvent::Cleared(_) => None,
        })
        .collect();
    v.sort_by(|a, b| a.1.cmp(&b.1));
    v
}

fn cleared(events: &[AlertEvent]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            AlertEvent::Cleared(a) => Some(a.instance_id.clone()),
            AlertEvent::Fired(_) => None,
        })
        .collect()
}

#[tokio::test]
async fn a_hot_instance_fires_once_within_the_budget_and_clears_when_it_cools() {
    let w = world(120).await;
    let running = w.ids("RUNNING");
    assert!(running.len() > 10, "{} running", running.len());
    let hot = running[3].clone();
    w.sim.set_hot(vec![hot.clone()]);
    w.save(cpu("85", "5", profile_target("p-a", Some(&[REGION]))));
    let before = w.admitted().await;
    let first = w.alerts.tick(&w.state).await;
    assert_eq!(
        fired(&first.events),
        vec![(AlertKind::CpuAbove, hot.clone())]
    );
    // One page of instances, and the RUNNING ones ten to a GetMonitorData call.
    assert_eq!(first.describe_calls, 1);
    assert_eq!(first.monitor_calls as usize, running.len().div_ceil(10));
    // Every call went through the profile's budget.
    assert_eq!(
        w.admitted().await - before,
        u64::from(first.describe_calls + first.monitor_calls)
    );
    let log = w.state.activity.query(&Default::default());
    let monitor: Vec<_> = log
        .iter()
        .filter(|e| e.action == "GetMonitorData")
        .collect();
    assert_eq!(monitor.len(), running.len().div_ceil(10));
    assert!(
        monitor
            .iter()
            .all(|e| e.result == crate::console::activity::CallResult::Ok)
    );
    let mut asked: Vec<String> = monitor.iter().flat_map(|e| e.targets.clone()).collect();
    assert!(monitor.iter().all(|e| (1..=10).contains(&e.targets.len())));
    asked.sort();
    let mut want = running.clone();
    want.sort();
    assert_eq!(asked, want, "every RUNNING instance once, none other");
    let fired_entry = log.iter().find(|e| e.action == "AlertFired").unwrap();
    assert_eq!(fired_entry.targets, vec![hot.clone()]);
    assert_eq!(fired_entry.service, "alerts");
    assert!(
        fired_entry
            .detail
            .as_deref()
            .unwrap()
            .contains("CPU above 85 % for 5 min")
    );
    assert_eq!(w.alerts.firing().len(), 1);
    // Still hot: nothing new.
    let second = w.alerts.tick(&w.state).await;
    assert!(second.events.is_empty(), "{:?}", second.events);
    // Cooled down: it clears, once.
    w.sim.set_hot(vec![]);
    let third = w.alerts.tick(&w.state).await;
    assert_eq!(cleared(&third.events), vec![hot.clone()]);
    assert!(fired(&third.events).is_empty());
    assert!(w.alerts.tick(&w.state).await.events.is_empty());
    assert!(w.alerts.firing().is_empty());
    let log = w.state.activity.query(&Default::default());
    assert_eq!(log.iter().filter(|e| e.action == "AlertFired").count(), 1);
    assert_eq!(log.iter().filter(|e| e.action == "AlertCleared").count(), 1);
    // The status bar's call counter counts API calls only.
    let (calls, _) = w.state.activity.counts();
    assert_eq!(calls as usize, log.len() - 2);
}

#[tokio::test]
async fn leaving_running_fires_unless_the_app_did_it_and_clears_when_back() {
    let w = world(36).await;
    let running = w.ids("RUNNING");
    let (theirs, ours) = (running[0].clone(), running[1].clone());
    w.save(AlertRuleDraft {
        kind: AlertKind::LeftRunning,
        ..cpu("", "", profile_target("p-a", Some(&[REGION])))
    });
    // The first tick only learns the states.
    let first = w.alerts.tick(&w.state).await;
    assert!(first.events.is_empty(), "{:?}", first.events);
    assert_eq!(first.monitor_calls, 0, "no CPU rule, no Cloud Monitor call");
    let stop = |id: &str| tencent_api::models::cvm::StopInstancesRequest {
        instance_ids: Some(vec![id.to_owned()]),
        ..Default::default()
    };
    // Someone else stops one; the app stops the other (recorded in its activity log).
    w.outsider()
        .stop_instances(REGION, &stop(&theirs))
        .await
        .unwrap();
    let client = w.state.client(&w.profile).await.unwrap();
    crate::console::activity::with_targets(
        vec![ours.clone()],
        client.stop_instances(REGION, &stop(&ours)),
    )
    .await
    .unwrap();
    let second = w.alerts.tick(&w.state).await;
    assert_eq!(
        fired(&second.events),
        vec![(AlertKind::LeftRunning, theirs.clone())]
    );
    match &second.events[0] {
        AlertEvent::Fired(a) => assert_eq!(a.state.as_deref(), Some("STOPPED")),
        e => panic!("{e:?}"),
    }
    assert!(w.alerts.tick(&w.state).await.events.is_empty());
    // Started again: it clears.
    let start = tencent_api::models::cvm::StartInstancesRequest {
        instance_ids: Some(vec![theirs.clone()]),
    };
    w.outsider().start_instances(REGION, &start).await.unwrap();
    let back = w.alerts.tick(&w.state).await;
    assert_eq!(cleared(&back.events), vec![theirs]);
}

/// A departure shorter than the watcher's minute (a reboot between two ticks) is seen
/// through LatestOperation/LatestOperationRequestId; the app's own, whatever the action
/// (a type change, a password reset, a key pair change …), is known by its RequestId.
#[tokio::test]
async fn a_reboot_between_two_ticks_fires_unless_the_request_was_the_apps() {
    let w = world(36).await;
    let running = w.ids("RUNNING");
    let (theirs, ours, renewed) = (running[0].clone(), running[1].clone(), running[2].clone());
    w.save(AlertRuleDraft {
        kind: AlertKind::LeftRunning,
        ..cpu("", "", profile_target("p-a", Some(&[REGION])))
    });
    assert!(w.alerts.tick(&w.state).await.events.is_empty());
    let reboot = |id: &str| tencent_api::models::cvm::RebootInstancesRequest {
        instance_ids: Some(vec![id.to_owned()]),
        ..Default::default()
    };
    // Both rebooted and RUNNING again before the next tick (the emulator's time does not
    // pass on its own here: the steps are run by advancing it).
    w.outsider()
        .reboot_instances(REGION, &reboot(&theirs))
        .await
        .unwrap();
    // The app's call without targets: only its RequestId ties it to the instance.
    let client = w.state.client(&w.profile).await.unwrap();
    client
        .reboot_instances(REGION, &reboot(&ours))
        .await
        .unwrap();
    // An operation that never takes it out of RUNNING, by someone else.
    w.outsider()
        .modify_instances_attribute(
            REGION,
            &tencent_api::models::cvm::ModifyInstancesAttributeRequest {
                instance_ids: Some(vec![renewed.clone()]),
                instance_name: Some("renamed".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    w.sim.advance_clock(std::time::Duration::from_secs(600));
    for id in [&theirs, &ours] {
        assert!(w.ids("RUNNING").contains(id), "{id} is RUNNING again");
    }
    let second = w.alerts.tick(&w.state).await;
    assert_eq!(
        fired(&second.events),
        vec![(AlertKind::LeftRunning, theirs.clone())]
    );
    match &second.events[0] {
        AlertEvent::Fired(a) => {
            assert_eq!(a.operation.as_deref(), Some("RebootInstances"));
            assert_eq!(a.state.as_deref(), Some("RUNNING"));
        }
        e => panic!("{e:?}"),
    }
    // Nothing new happened: it ends (it is RUNNING), and nothing fires again.
    let third = w.alerts.tick(&w.state).await;
    assert_eq!(cleared(&third.events), vec![theirs]);
    assert!(fired(&third.events).is_empty());
}

/// The app's reboot whose answer never arrived (Tencent applied it, the connection was
/// dropped): no RequestId came back to match the instance's LatestOperationRequestId,
/// yet it is the app's doing because the app sent that very action to that instance.
/// Someone else's reboot of an instance the app last touched with an answered call, or
/// with another action, still fires.
#[tokio::test]
async fn a_reboot_whose_answer_was_lost_is_the_apps() {
    let w = world(36).await;
    let running = w.ids("RUNNING");
    let (lost, theirs, other_action) = (running[0].clone(), running[1].clone(), running[2].clone());
    w.save(AlertRuleDraft {
        kind: AlertKind::LeftRunning,
        ..cpu("", "", profile_target("p-a", Some(&[REGION])))
    });
    assert!(w.alerts.tick(&w.state).await.events.is_empty());
    let reboot = |id: &str| tencent_api::models::cvm::RebootInstancesRequest {
        instance_ids: Some(vec![id.to_owned()]),
        ..Default::default()
    };
    let client = w.state.client(&w.profile).await.unwrap();
    // The app rebooted `theirs` with an answer, then someone else rebooted it again.
    crate::console::activity::with_targets(
        vec![theirs.clone()],
        client.reboot_instances(REGION, &reboot(&theirs)),
    )
    .await
    .unwrap();
    w.sim.advance_clock(std::time::Duration::from_secs(600));
    // The app renamed `other_action` (answered or not, a rename is not a reboot) …
    w.sim.set_faults(
        &"rate=1,kinds=lost-response,actions=RebootInstances+ModifyInstancesAttribute,seed=3"
            .parse()
            .unwrap(),
    );
    let renamed = crate::console::activity::with_targets(
        vec![other_action.clone()],
        client.modify_instances_attribute(
            REGION,
            &tencent_api::models::cvm::ModifyInstancesAttributeRequest {
                instance_ids: Some(vec![other_action.clone()]),
                instance_name: Some("renamed".into()),
                ..Default::default()
            },
        ),
    )
    .await;
    assert!(renamed.is_err(), "the answer was dropped");
    // … and the app's reboot of `lost` was applied but its answer dropped.
    let lost_call = crate::console::activity::with_targets(
        vec![lost.clone()],
        client.reboot_instances(REGION, &reboot(&lost)),
    )
    .await;
    assert!(lost_call.is_err(), "the answer was dropped");
    w.sim.set_faults(&"".parse().unwrap());
    let entry = w
        .state
        .activity
        .query(&Default::default())
        .into_iter()
        .find(|e| e.action == "RebootInstances" && e.targets == vec![lost.clone()])
        .unwrap();
    assert_eq!(entry.request_id, None, "no RequestId came back");
    assert_eq!(entry.result, crate::console::activity::CallResult::Unknown);
    for id in [&theirs, &other_action] {
        w.outsider()
            .reboot_instances(REGION, &reboot(id))
            .await
            .unwrap();
    }
    w.sim.advance_clock(std::time::Duration::from_secs(600));
    for id in [&lost, &theirs, &other_action] {
        assert!(w.ids("RUNNING").contains(id), "{id} is RUNNING again");
    }
    let second = w.alerts.tick(&w.state).await;
    let mut want = vec![
        (AlertKind::LeftRunning, theirs.clone()),
        (AlertKind::LeftRunning, other_action.clone()),
    ];
    want.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(fired(&second.events), want);
}

#[tokio::test]
async fn prepaid_expiry_fires_on_the_emulators_clock() {
    let w = world(36).await;
    w.save(expiring("7", profile_target("p-a", Some(&[REGION]))));
    let first = w.alerts.tick(&w.state).await;
    let early: Vec<String> = fired(&first.events).into_iter().map(|(_, id)| id).collect();
    // The instances' ExpiredTime as listed, and how far the emulator's clock must move
    // for the next one to come within seven days.
    let client = w.state.client(&w.profile).await.unwrap();
    let mut all = Vec::new();
    crate::console::instances::list_instances(&client, REGION, None, |p| all.extend(p.instances))
        .await
        .unwrap();
    let now = w.sim.now_ms() / 1000;
    let mut later: Vec<(f64, String)> = all
        .iter()
        .filter_map(|i| expiring_within(i, 10_000, now).map(|d| (d, i.id.clone())))
        .filter(|(d, _)| *d >= 7.0)
        .collect();
    later.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (days, next) = later
        .first()
        .cloned()
        .expect("a prepaid instance expiring later");
    assert!(!early.contains(&next));
    for id in &early {
        let i = all.iter().find(|i| &i.id == id).unwrap();
        assert_eq!(i.charge_type, "PREPAID");
    }
    assert!(w.alerts.tick(&w.state).await.events.is_empty());
    // Half a day past the seven-day mark on the emulator's clock.
    let step = ((days - 7.0) * 86_400.0) as u64 + 43_200;
    w.sim.advance_clock(std::time::Duration::from_secs(step));
    let moved = w.alerts.tick(&w.state).await;
    let mut after = Vec::new();
    crate::console::instances::list_instances(&client, REGION, None, |p| after.extend(p.instances))
        .await
        .unwrap();
    let n = after.iter().find(|i| i.id == next).map(|i| {
        (
            i.state.clone(),
            i.charge_type.clone(),
            i.expired_time.clone(),
        )
    });
    assert!(
        fired(&moved.events).contains(&(AlertKind::Expiring, next.clone())),
        "{days} {next} {n:?} now {} {:?}",
        w.sim.now_ms() / 1000,
        moved.events
    );
}

#[tokio::test]
async fn a_disabled_or_removed_rule_costs_nothing_and_ends_its_alerts() {
    let w = world(36).await;
    let hot = w.ids("RUNNING")[0].clone();
    w.sim.set_hot(vec![hot.clone()]);
    let rule = w.save(cpu("85", "2", profile_target("p-a", Some(&[REGION]))));
    assert_eq!(fired(&w.alerts.tick(&w.state).await.events).len(), 1);
    w.alerts.store.delete(&rule.id).unwrap();
    let before = w.admitted().await;
    let report = w.alerts.tick(&w.state).await;
    assert!(report.events.is_empty());
    assert_eq!(report.describe_calls + report.monitor_calls, 0);
    assert_eq!(w.admitted().await, before);
    assert!(w.alerts.firing().is_empty());
    // Disabled: stored, not run.
    w.save(AlertRuleDraft {
        enabled: false,
        ..cpu("85", "2", profile_target("p-a", Some(&[REGION])))
    });
    let report = w.alerts.tick(&w.state).await;
    assert_eq!(report.describe_calls + report.monitor_calls, 0);
}

#[test]
fn a_place_watched_again_later_is_not_compared_with_an_old_listing() {
    let rule = AlertRule {
        id: "rule-1".into(),
        enabled: true,
        condition: AlertCondition::LeftRunning,
        target: AlertTarget::Profile {
            profile_id: "p-a".into(),
            regions: Some(vec!["ap-guangzhou".into()]),
        },
    };
    let obs = |state: &str| Observation {
        profile_id: "p-a".into(),
        profile_name: "A".into(),
        region: "ap-guangzhou".into(),
        instances: Some(vec![InstanceView {
            state: state.into(),
            ..instance("ins-1", "POSTPAID_BY_HOUR", None)
        }]),
        ..Default::default()
    };
    let none = |_: &str| Vec::new();
    let never = |_: &str, _: &str, _: Option<Cause<'_>>| false;
    let mut engine = Engine::default();
    let watch = Watch::of(&rule.target, &[]).unwrap();
    let rules = vec![Armed { rule, watch }];
    assert!(
        engine
            .evaluate(&rules, &[obs("RUNNING")], &none, &never)
            .is_empty()
    );
    // Nobody watches the place for a while (the rule was removed) …
    assert!(engine.evaluate(&[], &[], &none, &never).is_empty());
    // … and when it is watched again, the instance stopped long ago is the new baseline.
    assert!(
        engine
            .evaluate(&rules, &[obs("STOPPED")], &none, &never)
            .is_empty()
    );
    // While watched, a change is a change.
    assert!(
        engine
            .evaluate(&rules, &[obs("RUNNING")], &none, &never)
            .is_empty()
    );
    let fired = engine.evaluate(&rules, &[obs("STOPPED")], &none, &never);
    assert!(matches!(&fired[..], [AlertEvent::Fired(a)] if a.instance_id == "ins-1"));
    // The app did it: nothing.
    let mut engine = Engine::default();
    let ours = |_: &str, id: &str, _: Option<Cause<'_>>| id == "ins-1";
    engine.evaluate(&rules, &[obs("RUNNING")], &none, &ours);
    assert!(
        engine
            .evaluate(&rules, &[obs("STOPPED")], &none, &ours)
            .is_empty()
    );
}

/// A rule on a saved view watches the view by id at every tick: renaming the view keeps
/// it; deleting the view stops it (no call, its alerts end) and saving it again with the
/// deleted view is refused on its target.
#[tokio::test]
async fn a_view_rule_follows_its_view_and_stops_when_it_is_deleted() {
    let w = world(36).await;
    let running = w.ids("RUNNING");
    let hot = running[5].clone();
    w.sim.set_hot(running.clone());
    let view = w
        .state
        .views
        .save(
            &crate::console::views::ViewDraft {
                name: "One hot".into(),
                accounts: Some(vec!["p-a".into()]),
                regions: Some(vec![REGION.into()]),
                tags: String::new(),
                text: hot.clone(),
                state: "RUNNING".into(),
            },
            &["p-a".to_owned()],
        )
        .unwrap();
    let target = Some(AlertTarget::View {
        view_id: view.id.clone(),
    });
    let rule = w.save(cpu("85", "2", target.clone()));
    let first = w.alerts.tick(&w.state).await;
    // Every instance runs hot; the view keeps one, and only that one is asked for.
    assert_eq!(
        fired(&first.events),
        vec![(AlertKind::CpuAbove, hot.clone())]
    );
    assert_eq!((first.describe_calls, first.monitor_calls), (1, 1));
    // Renamed: the same rule, still watching.
    w.state.views.rename(&view.id, "The hot one").unwrap();
    let second = w.alerts.tick(&w.state).await;
    assert!(second.events.is_empty(), "{:?}", second.events);
    assert_eq!(w.alerts.firing().len(), 1);
    // Deleted: the rule stays, runs on nothing, and its alert ends quietly.
    w.state.views.delete(&view.id).unwrap();
    let before = w.admitted().await;
    let third = w.alerts.tick(&w.state).await;
    assert_eq!(third.describe_calls + third.monitor_calls, 0);
    assert_eq!(w.admitted().await, before);
    assert!(w.alerts.firing().is_empty());
    assert_eq!(w.alerts.store.rules().unwrap(), vec![rule.clone()]);
    let views = w.state.views.views().unwrap();
    let e = w
        .alerts
        .store
        .save(
            &AlertRuleDraft {
                id: Some(rule.id.clone()),
                ..cpu("85", "2", target)
            },
            &["p-a".to_owned()],
            &views,
        )
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("target"), "{}", e.message);
}

/// Rules written when a view rule kept a copy of the view (file version 1) are turned
/// into references once: to the saved view of that name, or to a view saved from the
/// copy; the file is then version 2 and nothing changes on later ticks.
#[tokio::test]
async fn version_one_copies_of_views_become_references() {
    let w = world(12).await;
    let existing = w
        .state
        .views
        .save(
            &crate::console::views::ViewDraft {
                name: "Web".into(),
                accounts: None,
                regions: Some(vec![REGION.into()]),
                tags: String::new(),
                text: String::new(),
                state: String::new(),
            },
            &["p-a".to_owned()],
        )
        .unwrap();
    let copy = |name: &str, accounts: serde_json::Value| {
        serde_json::json!({"kind": "view", "name": name, "accounts": accounts,
            "regions": [REGION], "tags": "team=db", "text": "", "state": ""})
    };
    let v1 = serde_json::json!({"version": 1, "rules": [
        {"id": "rule-a", "enabled": true, "condition": {"kind": "leftRunning"},
         "target": copy("web", serde_json::Value::Null)},
        {"id": "rule-b", "enabled": true, "condition": {"kind": "leftRunning"},
         "target": copy("Databases", serde_json::json!(["p-a"]))},
        {"id": "rule-c", "enabled": false, "condition": {"kind": "leftRunning"},
         "target": copy("Gone", serde_json::json!(["p-removed"]))},
        {"id": "rule-d", "enabled": true, "condition": {"kind": "expiring", "days": 7},
         "target": {"kind": "profile", "profileId": "p-a", "regions": null}},
    ]});
    std::fs::write(w.alerts.store.path(), v1.to_string()).unwrap();
    // Read before the migration: a copy reads as a rule on no view.
    assert_eq!(
        w.alerts.store.rules().unwrap()[0].target,
        AlertTarget::View {
            view_id: String::new()
        }
    );
    w.alerts.tick(&w.state).await;
    let rules = w.alerts.store.rules().unwrap();
    let views = w.state.views.views().unwrap();
    let id_of = |name: &str| views.iter().find(|v| v.name == name).map(|v| v.id.clone());
    assert_eq!(
        rules[0].target,
        AlertTarget::View {
            view_id: existing.id.clone()
        },
        "the saved view of that name"
    );
    let saved = views.iter().find(|v| v.name == "Databases").unwrap();
    assert_eq!(
        (saved.tags.as_str(), saved.accounts.clone()),
        ("team=db", Some(vec!["p-a".to_owned()]))
    );
    assert_eq!(
        rules[1].target,
        AlertTarget::View {
            view_id: saved.id.clone()
        }
    );
    assert_eq!(id_of("Gone"), None, "a copy naming only removed profiles");
    assert_eq!(
        rules[2].target,
        AlertTarget::View {
            view_id: String::new()
        }
    );
    assert!(matches!(rules[3].target, AlertTarget::Profile { .. }));
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(w.alerts.store.path()).unwrap()).unwrap();
    assert_eq!(file["version"], 2);
    let written = std::fs::read(w.alerts.store.path()).unwrap();
    w.alerts.tick(&w.state).await;
    assert_eq!(std::fs::read(w.alerts.store.path()).unwrap(), written);
    assert_eq!(w.state.views.views().unwrap().len(), 2);
}
