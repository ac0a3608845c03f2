//! The console's logic against a real cvm-sim started in-process (transitions immediate).

use super::activity::{ActivityFilter, ActivityLog, CallResult};
use super::instances::*;
use super::watch::{WatchConfig, watch};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tencent_api::{Client, Credentials, Endpoint, Language, Sensitive};

struct Sim {
    sim: cvm_sim::SimHandle,
    client: Client,
    log: Arc<ActivityLog>,
}

async fn sim(preload: usize, language: Language) -> Sim {
    let sim = cvm_sim::start(cvm_sim::Config {
        preload,
        time_scale: 0.0,
        seed: 7,
        ..Default::default()
    })
    .await
    .unwrap();
    let log = Arc::new(ActivityLog::in_memory());
    let l = log.clone();
    let client = Client::builder(Credentials::new(
        cvm_sim::DEFAULT_SECRET_ID,
        cvm_sim::DEFAULT_SECRET_KEY,
    ))
    .endpoint(Endpoint::Custom(sim.base_url()))
    .language(language)
    .on_call(move |r| l.record("p1", "Test", r))
    .build()
    .unwrap();
    Sim { sim, client, log }
}

fn states(s: &Sim, region: &str) -> Vec<(String, String)> {
    s.sim.instances(cvm_sim::DEFAULT_ACCOUNT, region)
}

fn first_in(s: &Sim, region: &str, state: &str) -> String {
    states(s, region)
        .into_iter()
        .find(|(_, st)| st == state)
        .unwrap_or_else(|| panic!("no {state} instance in {region}"))
        .0
}

#[test]
fn validation_names_the_field_before_any_call() {
    assert_eq!(
        validate_region("").unwrap_err().field.as_deref(),
        Some("region")
    );
    assert_eq!(
        validate_region("mars-north-1")
            .unwrap_err()
            .field
            .as_deref(),
        Some("region")
    );
    assert_eq!(
        validate_region("AP GUANGZHOU")
            .unwrap_err()
            .field
            .as_deref(),
        Some("region")
    );
    assert!(validate_region("ap-guangzhou").is_ok());
    // A region the Sandbox's catalog has never heard of is still a well-formed name: the
    // account's own DescribeRegions decides, not a built-in list.
    assert!(cvm_sim::catalog::region("me-riyadh").is_none());
    assert!(validate_region("me-riyadh").is_ok());
    assert!(validate_zone("ap-guangzhou", "ap-guangzhou-3").is_ok());
    assert!(validate_zone("ap-guangzhou", "ap-shanghai-2").is_err());
    assert_eq!(
        validate_ids(&[]).unwrap_err().field.as_deref(),
        Some("instanceIds")
    );
    let e = validate_ids(&["ins-1234".into()]).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("instanceIds"));
    assert_eq!(e.code, crate::error::AppCode::InvalidInput.as_str());
    assert!(validate_ids(&["INS-ABCDEFGH".into()]).is_err());
    assert_eq!(
        validate_ids(&[
            "ins-abcdefgh".into(),
            "ins-abcdefgh".into(),
            "ins-12345678".into()
        ])
        .unwrap(),
        vec!["ins-abcdefgh".to_owned(), "ins-12345678".to_owned()]
    );
    let many: Vec<String> = (0..1001).map(|i| format!("ins-{i:08}")).collect();
    assert!(validate_ids(&many).is_err());
    assert_eq!(validate_instance_name("  web-1 ", 60).unwrap(), "web-1");
    assert!(validate_instance_name("   ", 60).is_err());
    assert!(validate_instance_name(&"x".repeat(61), 60).is_err());
    assert!(validate_instance_name(&"x".repeat(61), 128).is_ok());
}

#[test]
fn password_rules_follow_tencent() {
    let ok = |p: &str| check_password(p, false, "root").is_ok();
    assert!(ok("Abcdef12"));
    assert!(ok("abc-def1"), "lower + digit + special is three classes");
    assert!(!ok("Abcdef1"), "7 characters");
    assert!(!ok(&format!("Ab1{}", "x".repeat(28))), "31 characters");
    assert!(!ok("abcdefgh1"), "two classes");
    assert!(!ok("/Abcdef12"), "starts with /");
    assert!(!ok("Abc def12"), "space");
    assert!(!ok("Abcdef12é"), "non-ASCII");
    // Windows: 12+, and not the user name.
    assert!(check_password("Abcdef12", true, "Administrator").is_err());
    assert!(check_password("Abcdefgh12!x", true, "Administrator").is_ok());
    assert!(check_password("xAdministrator1", true, "administrator").is_err());
    let e = check_password("Secret99 x", false, "root").unwrap_err();
    assert_eq!(e.field.as_deref(), Some("password"));
    assert!(!e.message.contains("Secret99"), "never echoes the password");
    assert!(validate_user_name("ubuntu").is_ok());
    assert!(validate_user_name("a b").is_err());
}

#[test]
fn regions_are_grouped_by_geography() {
    assert_eq!(geography("ap-guangzhou"), "chinaMainland");
    assert_eq!(geography("ap-shenzhen-fsi"), "chinaMainland");
    assert_eq!(geography("ap-singapore"), "asiaPacific");
    assert_eq!(geography("eu-frankfurt"), "europe");
    assert_eq!(geography("na-ashburn"), "northAmerica");
    assert_eq!(geography("sa-saopaulo"), "southAmerica");
}

#[tokio::test]
async fn regions_and_zones_are_localised() {
    let en = sim(0, Language::EnUs).await;
    let regions = list_regions(&en.client).await.unwrap();
    let gz = regions.iter().find(|r| r.id == "ap-guangzhou").unwrap();
    assert_eq!(gz.name, "South China (Guangzhou)");
    assert_eq!(gz.geography, "chinaMainland");
    let zones = list_zones(&en.client, "ap-guangzhou").await.unwrap();
    let z3 = zones.iter().find(|z| z.zone == "ap-guangzhou-3").unwrap();
    assert_eq!(z3.name, "Guangzhou Zone 3");
    assert!(z3.available);
    assert!(
        !zones
            .iter()
            .find(|z| z.zone == "ap-guangzhou-1")
            .unwrap()
            .available
    );
    let zh = sim(0, Language::ZhCn).await;
    let regions = list_regions(&zh.client).await.unwrap();
    assert_eq!(
        regions
            .iter()
            .find(|r| r.id == "ap-guangzhou")
            .unwrap()
            .name,
        "华南地区(广州)"
    );
    assert_eq!(
        list_zones(&zh.client, "ap_guangzhou")
            .await
            .unwrap_err()
            .field
            .as_deref(),
        Some("region")
    );
}

#[tokio::test]
async fn listing_streams_every_page_once() {
    let s = sim(700, Language::EnUs).await;
    let expected = states(&s, "ap-guangzhou").len();
    assert!(
        expected > 100,
        "the seed puts >100 instances in ap-guangzhou ({expected})"
    );
    let pages = Mutex::new(Vec::new());
    let summary = list_instances(&s.client, "ap-guangzhou", None, |p| {
        pages.lock().unwrap().push(p)
    })
    .await
    .unwrap();
    let pages = pages.into_inner().unwrap();
    assert_eq!(pages[0].offset, 0, "the first page comes first");
    assert_eq!(pages[0].instances.len(), 100);
    assert_eq!(summary.total as usize, expected);
    assert_eq!(summary.loaded as usize, expected);
    assert_eq!(summary.pages as usize, pages.len());
    let mut ids: Vec<&str> = pages
        .iter()
        .flat_map(|p| p.instances.iter().map(|i| i.id.as_str()))
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), expected);
    // A zone filter narrows it.
    let zone = pages[0].instances[0].zone.clone();
    let mut in_zone = Vec::new();
    list_instances(&s.client, "ap-guangzhou", Some(&zone), |p| {
        in_zone.extend(p.instances)
    })
    .await
    .unwrap();
    assert!(!in_zone.is_empty() && in_zone.iter().all(|i| i.zone == zone));
    let row = &pages[0].instances[0];
    assert!(row.cpu > 0 && row.memory_gib > 0 && !row.charge_type.is_empty());
}

#[tokio::test]
async fn stop_start_and_per_instance_results() {
    let s = sim(36, Language::EnUs).await;
    let region = "ap-guangzhou";
    let running = first_in(&s, region, "RUNNING");
    let stop = Lifecycle::Stop {
        stop_type: StopType::Soft,
        stopped_mode: StoppedMode::KeepCharging,
    };
    let r = run_action(&s.client, region, std::slice::from_ref(&running), &stop).await;
    assert_eq!((r.succeeded, r.failed), (1, 0));
    assert!(r.results[0].request_id.is_some());
    // Watching reports the change and settles on STOPPED.
    let changes = Mutex::new(Vec::new());
    let left = watch(
        &s.client,
        "p1",
        region,
        vec![running.clone()],
        Lifecycle::Stop {
            stop_type: StopType::Soft,
            stopped_mode: StoppedMode::KeepCharging,
        }
        .expected_state(),
        WatchConfig {
            interval: Duration::from_millis(10),
            max: Duration::from_secs(10),
            grace_polls: 3,
        },
        |c| changes.lock().unwrap().push(c),
    )
    .await;
    assert!(left.is_empty());
    let changes = changes.into_inner().unwrap();
    let last = changes.last().unwrap();
    assert!(last.settled);
    assert_eq!(last.state.as_deref(), Some("STOPPED"));
    assert_eq!(last.instance.as_ref().unwrap().state, "STOPPED");
    assert!(last.failure.is_none());

    // A batch with one instance in the wrong state: the API refuses the whole call, the
    // console retries one by one and reports each.
    let other_running = first_in(&s, region, "RUNNING");
    let r = run_action(
        &s.client,
        region,
        &[running.clone(), other_running.clone()],
        &Lifecycle::Start,
    )
    .await;
    let by_id = |id: &str| r.results.iter().find(|x| x.instance_id == id).unwrap();
    assert!(by_id(&running).ok, "the stopped one started");
    let refused = by_id(&other_running);
    assert!(!refused.ok);
    let err = refused.error.as_ref().unwrap();
    assert!(
        err.code.starts_with("UnsupportedOperation.InstanceState"),
        "{}",
        err.code
    );
    assert!(err.request_id.is_some());
    assert_eq!((r.succeeded, r.failed), (1, 1));

    // Every call is in the activity log with its targets, code and RequestId.
    let log = s.log.query(&ActivityFilter::default());
    let stop_entry = log.iter().find(|e| e.action == "StopInstances").unwrap();
    assert_eq!(stop_entry.targets, vec![running.clone()]);
    assert_eq!(stop_entry.result, CallResult::Ok);
    let failed = s.log.query(&ActivityFilter {
        result: Some(CallResult::Failed),
        ..Default::default()
    });
    assert!(failed.iter().any(|e| {
        e.action == "StartInstances"
            && e.code
                .as_deref()
                .is_some_and(|c| c.starts_with("UnsupportedOperation"))
            && e.request_id.is_some()
    }));
    assert!(log.iter().any(|e| e.action == "DescribeInstancesStatus"));
}

#[tokio::test]
async fn reboot_rename_terminate_and_password() {
    let s = sim(36, Language::EnUs).await;
    let region = "ap-guangzhou";
    let id = first_in(&s, region, "RUNNING");
    let one = std::slice::from_ref(&id);
    let r = run_action(
        &s.client,
        region,
        one,
        &Lifecycle::Reboot {
            stop_type: StopType::Hard,
        },
    )
    .await;
    assert_eq!(r.succeeded, 1, "{:?}", r.results);
    let r = run_action(
        &s.client,
        region,
        one,
        &Lifecycle::Rename {
            name: "renamed-1".into(),
        },
    )
    .await;
    assert_eq!(r.succeeded, 1, "{:?}", r.results);
    let d = describe_ids(&s.client, region, one).await.unwrap();
    assert_eq!(d[0].instance_name.as_deref(), Some("renamed-1"));

    // A too-weak password is refused before any call; a good one goes through.
    let before = s.log.query(&ActivityFilter::default()).len();
    let weak = password_action(&s.client, region, one, Sensitive::new("abc"), None, true).await;
    assert_eq!(weak.unwrap_err().field.as_deref(), Some("password"));
    assert_eq!(
        s.log.query(&ActivityFilter::default()).len(),
        before,
        "nothing was sent, not even the platform look-up"
    );
    let good = password_action(
        &s.client,
        region,
        one,
        Sensitive::new("Good-Pass123"),
        None,
        true,
    )
    .await
    .unwrap();
    let r = run_action(&s.client, region, one, &good).await;
    assert_eq!(r.succeeded, 1, "{:?}", r.results);

    // Terminate: the instance leaves (postpaid) or goes to the recycle bin (prepaid).
    let r = run_action(
        &s.client,
        region,
        one,
        &Lifecycle::Terminate {
            release_address: false,
        },
    )
    .await;
    assert_eq!(r.succeeded, 1, "{:?}", r.results);
    let changes = Mutex::new(Vec::new());
    watch(
        &s.client,
        "p1",
        region,
        vec![id.clone()],
        Lifecycle::Terminate {
            release_address: false,
        }
        .expected_state(),
        WatchConfig {
            interval: Duration::from_millis(10),
            max: Duration::from_secs(10),
            grace_polls: 3,
        },
        |c| changes.lock().unwrap().push(c),
    )
    .await;
    let last = changes.into_inner().unwrap().pop().unwrap();
    assert!(last.settled);
    assert!(
        matches!(last.state.as_deref(), None | Some("SHUTDOWN")),
        "{last:?}"
    );
}

#[tokio::test]
async fn more_than_a_hundred_ids_are_chunked() {
    let s = sim(700, Language::EnUs).await;
    let region = "ap-guangzhou";
    let stopped: Vec<String> = states(&s, region)
        .into_iter()
        .filter(|(_, st)| st == "RUNNING")
        .map(|(id, _)| id)
        .collect();
    assert!(stopped.len() > 100, "{}", stopped.len());
    let r = run_action(
        &s.client,
        region,
        &stopped,
        &Lifecycle::Stop {
            stop_type: StopType::SoftFirst,
            stopped_mode: StoppedMode::KeepCharging,
        },
    )
    .await;
    assert_eq!(
        r.succeeded as usize,
        stopped.len(),
        "{:?}",
        r.results.iter().find(|x| !x.ok)
    );
    let calls: Vec<_> = s
        .log
        .query(&ActivityFilter::default())
        .into_iter()
        .filter(|e| e.action == "StopInstances")
        .collect();
    assert_eq!(calls.len(), stopped.len().div_ceil(100));
    assert!(calls.iter().all(|c| c.targets.len() <= 100));
}
