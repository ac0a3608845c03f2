//! All-regions streaming, cancellation, the list cache, settings, export and the complete
//! terminate, against a real cvm-sim over loopback (transitions immediate).

use super::cache::ListCache;
use super::export::{self, ExportFormat};
use super::instances::*;
use super::listing::{ListEvent, Ticket, stream_checked, stream_regions};
use super::settings::ConsoleSettings;
use crate::error::AppCode;
use std::collections::HashSet;
use tencent_api::models::vpc;
use tencent_api::{Client, Credentials, Endpoint};

async fn sim_with(preload: usize, faults: &str) -> (cvm_sim::SimHandle, Client) {
    let sim = cvm_sim::start(cvm_sim::Config {
        preload,
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
    .build()
    .unwrap();
    (sim, client)
}

const REGIONS: [&str; 3] = ["ap-guangzhou", "ap-shanghai", "ap-beijing"];

fn regions() -> Vec<String> {
    REGIONS.iter().map(|r| (*r).to_owned()).collect()
}

#[tokio::test]
async fn all_regions_merge_into_one_stream_with_per_region_progress() {
    let (sim, client) = sim_with(500, "").await;
    let expected: usize = REGIONS
        .iter()
        .map(|r| sim.instances(cvm_sim::DEFAULT_ACCOUNT, r).len())
        .sum();
    let mut events = Vec::new();
    let mut completed = Vec::new();
    let ticket = Ticket::take("test-all-regions");
    let summary = stream_regions(
        &client,
        &regions(),
        &ListFilter::default(),
        &ticket,
        |e| events.push(e),
        |region, rows| completed.push((region.to_owned(), rows.len())),
    )
    .await;
    assert!(!summary.superseded && summary.failed_regions.is_empty());
    assert_eq!(summary.loaded as usize, expected);
    let mut ids = HashSet::new();
    for e in &events {
        if let ListEvent::Page { page } = e {
            for i in &page.instances {
                assert_eq!(i.region, page.region, "every row names its own region");
                assert!(ids.insert(i.id.clone()), "{} twice", i.id);
            }
        }
    }
    assert_eq!(ids.len(), expected);
    for r in REGIONS {
        let started = events
            .iter()
            .position(|e| matches!(e, ListEvent::Started { region } if region == r));
        let done = events
            .iter()
            .position(|e| matches!(e, ListEvent::Done { summary } if summary.region == r));
        assert!(started.unwrap() < done.unwrap(), "{r}: started, then done");
        let n = sim.instances(cvm_sim::DEFAULT_ACCOUNT, r).len();
        assert!(
            completed.contains(&(r.to_owned(), n)),
            "{r} complete for the cache"
        );
    }
}

#[tokio::test]
async fn a_failing_region_is_reported_and_the_stream_ends() {
    // Every DescribeInstances fails: each region reports its own error with Tencent's
    // code, none blocks the others, and the stream still ends.
    let (_sim, client) =
        sim_with(60, "rate=1,kinds=internal,actions=DescribeInstances,seed=3").await;
    let mut failed = Vec::new();
    let ticket = Ticket::take("test-failing");
    let summary = stream_regions(
        &client,
        &regions(),
        &ListFilter::default(),
        &ticket,
        |e| {
            if let ListEvent::Failed { region, error } = e {
                failed.push((region, error.code));
            }
        },
        |_, _| panic!("nothing completes"),
    )
    .await;
    assert_eq!(summary.failed_regions.len(), 3);
    assert_eq!(failed.len(), 3);
    assert!(
        failed
            .iter()
            .all(|(_, code)| code.starts_with("InternalError")),
        "{failed:?}"
    );
}

#[tokio::test]
async fn a_bad_region_in_all_regions_fails_alone() {
    // A malformed name and one the account's DescribeRegions does not list: each is its
    // own region's error, and the real regions still list.
    let (sim, client) = sim_with(60, "").await;
    let mut asked = regions();
    asked.push("xx-nowhere-9".into());
    asked.push("Not A Region".into());
    let mut failed = Vec::new();
    let ticket = Ticket::take("test-bad-region");
    let summary = stream_checked(
        &client,
        &asked,
        &ListFilter::default(),
        &ticket,
        |e| {
            if let ListEvent::Failed { region, error } = e {
                failed.push((region, error.code, error.field));
            }
        },
        |_, _| {},
    )
    .await;
    let expected: usize = REGIONS
        .iter()
        .map(|r| sim.instances(cvm_sim::DEFAULT_ACCOUNT, r).len())
        .sum();
    assert_eq!(summary.loaded as usize, expected);
    failed.sort();
    assert_eq!(
        failed,
        vec![
            (
                "Not A Region".to_owned(),
                AppCode::InvalidInput.into(),
                Some("region".to_owned())
            ),
            (
                "xx-nowhere-9".to_owned(),
                AppCode::UnknownRegion.into(),
                Some("region".to_owned())
            ),
        ]
    );
    let mut bad = summary.failed_regions.clone();
    bad.sort();
    assert_eq!(bad, vec!["Not A Region", "xx-nowhere-9"]);
}

#[tokio::test]
async fn a_newer_listing_in_the_slot_cancels_the_older_one() {
    let (_sim, client) = sim_with(2000, "").await;
    let ticket = Ticket::take("test-cancel");
    let mut pages_after = 0;
    let mut replaced = false;
    let mut completed = 0;
    let summary = stream_regions(
        &client,
        &regions(),
        &ListFilter::default(),
        &ticket,
        |e| {
            if replaced {
                pages_after += 1;
            }
            if matches!(e, ListEvent::Page { .. }) && !replaced {
                // The user picks another region: a new listing takes the slot.
                Ticket::take("test-cancel");
                replaced = true;
            }
        },
        |_, _| completed += 1,
    )
    .await;
    assert!(replaced);
    assert_eq!(
        pages_after, 0,
        "the stale stream wrote nothing after it was replaced"
    );
    assert!(summary.superseded);
    assert_eq!(completed, 0, "a cancelled listing caches nothing");
    assert!(!ticket.is_current());
    // The single-region listing stops too.
    let ticket = Ticket::take("test-cancel-one");
    let mut pages = 0;
    let out = list_instances_while(
        &client,
        "ap-guangzhou",
        &ListFilter::default(),
        &|| ticket.is_current(),
        |_| {
            pages += 1;
            Ticket::take("test-cancel-one");
        },
    )
    .await;
    assert_eq!(pages, 1);
    assert_eq!(out.unwrap_err().code, SUPERSEDED);
}

#[tokio::test]
async fn the_cache_round_trips_ignores_corruption_and_holds_no_secret() {
    let (_sim, client) = sim_with(120, "").await;
    let dir = tempfile::tempdir().unwrap();
    let cache = ListCache::new(dir.path());
    assert!(cache.load("sandbox", "ap-guangzhou").is_none());
    let ticket = Ticket::take("test-cache");
    stream_regions(
        &client,
        &regions(),
        &ListFilter::default(),
        &ticket,
        |_| {},
        |region, rows| cache.save("sandbox", region, rows).unwrap(),
    )
    .await;
    let got = cache.load("sandbox", "ap-guangzhou").unwrap();
    assert_eq!(got.region, "ap-guangzhou");
    assert!(!got.instances.is_empty());
    assert!(got.saved_at_ms > 1.6e12);
    assert!(cache.load("other-profile", "ap-guangzhou").is_none());
    // Nothing under the cache dir carries the credentials.
    let mut files = 0;
    for entry in walk(dir.path()) {
        let text = std::fs::read_to_string(&entry).unwrap();
        assert!(
            !text.contains(cvm_sim::DEFAULT_SECRET_KEY),
            "{}",
            entry.display()
        );
        assert!(
            !text.contains(cvm_sim::DEFAULT_SECRET_ID),
            "{}",
            entry.display()
        );
        files += 1;
    }
    assert_eq!(files, 3, "one file per region");
    // A corrupt file is ignored (no cache), and the next save replaces it.
    let path = dir
        .path()
        .join("instance-lists")
        .join("sandbox")
        .join("ap-shanghai.json");
    std::fs::write(&path, b"{\"region\": \"ap-shanghai\", \"instances\": [tru").unwrap();
    assert!(cache.load("sandbox", "ap-shanghai").is_none());
    cache.save("sandbox", "ap-shanghai", Vec::new()).unwrap();
    assert!(
        cache
            .load("sandbox", "ap-shanghai")
            .unwrap()
            .instances
            .is_empty()
    );
    // Odd profile ids cannot escape the directory.
    cache.save("../../etc", "ap-guangzhou", Vec::new()).unwrap();
    assert!(walk(dir.path()).iter().all(|p| p.starts_with(dir.path())));
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn enabled_regions_are_stored_per_profile_and_validated() {
    let dir = tempfile::tempdir().unwrap();
    let s = ConsoleSettings::new(dir.path());
    assert_eq!(s.enabled_regions("p1"), None, "default: all regions");
    s.set_enabled_regions(
        "p1",
        Some(vec![
            "ap-shanghai".into(),
            "ap-guangzhou".into(),
            "ap-shanghai".into(),
        ]),
    )
    .unwrap();
    assert_eq!(
        s.enabled_regions("p1"),
        Some(vec!["ap-shanghai".to_owned(), "ap-guangzhou".to_owned()])
    );
    assert_eq!(s.enabled_regions("p2"), None);
    let e = s
        .set_enabled_regions("p1", Some(vec!["mars-north-1".into()]))
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("regions"));
    let e = s.set_enabled_regions("p1", Some(vec![])).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("regions"));
    assert_eq!(
        s.enabled_regions("p1").unwrap().len(),
        2,
        "a refusal changes nothing"
    );
    s.set_enabled_regions("p1", None).unwrap();
    assert_eq!(s.enabled_regions("p1"), None);
}

fn row(id: &str, name: &str) -> InstanceView {
    InstanceView {
        id: id.into(),
        profile_id: "p1".into(),
        region: "ap-guangzhou".into(),
        name: name.into(),
        state: "RUNNING".into(),
        zone: "ap-guangzhou-3".into(),
        instance_type: "S5.MEDIUM4".into(),
        cpu: 2,
        memory_gib: 4,
        private_ips: vec!["10.0.0.2".into(), "10.0.0.3".into()],
        public_ips: vec![],
        charge_type: "PREPAID".into(),
        internet_charge_type: Some("TRAFFIC_POSTPAID_BY_HOUR".into()),
        bandwidth_out_mbps: 5,
        expired_time: Some("2026-12-01T00:00:00Z".into()),
        created_time: Some("2026-01-01T00:00:00Z".into()),
        tags: vec![TagView {
            key: "team".into(),
            value: "a,b".into(),
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
fn export_writes_quoted_csv_and_json_in_the_given_order() {
    let rows = vec![
        row("ins-bbbbbbbb", "web, \"blue\"\nline two"),
        row("ins-aaaaaaaa", "db"),
    ];
    let accounts = export::AccountNames::from([("p1".to_owned(), "Production".to_owned())]);
    let csv =
        String::from_utf8(export::render(ExportFormat::Csv, &rows, &accounts).unwrap()).unwrap();
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        export::CSV_HEADER
    );
    let recs: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(recs.len(), 2);
    assert_eq!(&recs[0][1], "ins-bbbbbbbb", "the view's order is kept");
    assert_eq!(&recs[0][2], "web, \"blue\"\nline two", "quoted, not split");
    assert_eq!(&recs[0][8], "10.0.0.2 10.0.0.3");
    assert_eq!(&recs[0][15], "team=a,b");
    assert_eq!(
        &recs[0][16], "Production",
        "the account by its profile's name"
    );
    assert!(csv.contains("\"web, \"\"blue\"\"\nline two\""));
    let json = export::render(ExportFormat::Json, &rows, &accounts).unwrap();
    let back: Vec<InstanceView> = serde_json::from_slice(&json).unwrap();
    assert_eq!(back, rows);
    let e = export::render(ExportFormat::Csv, &[], &accounts).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("rows"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.csv");
    export::write(&path, ExportFormat::Csv, &rows, &accounts).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), csv);
}

async fn views(client: &Client, region: &str) -> Vec<InstanceView> {
    let mut all = Vec::new();
    list_instances(client, region, None, |p| all.extend(p.instances))
        .await
        .unwrap();
    all
}

#[tokio::test]
async fn terminate_respects_protection_groups_billing_and_quotes_refunds() {
    let (sim, client) = sim_with(200, "").await;
    let region = "ap-guangzhou";
    let all = views(&client, region).await;
    let pick = |f: &dyn Fn(&InstanceView) -> bool| {
        all.iter()
            .find(|i| f(i))
            .map(|i| i.id.clone())
            .expect("a matching instance in the seed")
    };
    let ok_state = |i: &InstanceView| i.state == "RUNNING" || i.state == "STOPPED";
    let protected = pick(&|i| i.disable_api_termination && ok_state(i));
    let prepaid =
        pick(&|i| i.charge_type == "PREPAID" && !i.disable_api_termination && ok_state(i));
    let postpaid =
        pick(&|i| i.charge_type == "POSTPAID_BY_HOUR" && !i.disable_api_termination && ok_state(i));

    // The quote: a refund for the prepaid one, protection named, a vanished id named.
    let gone = "ins-zzzzzzzz".to_owned();
    let q = terminate_quote(
        &client,
        region,
        &[
            prepaid.clone(),
            postpaid.clone(),
            protected.clone(),
            gone.clone(),
        ],
    )
    .await
    .unwrap();
    assert_eq!(q.refunds.len(), 1);
    assert_eq!(q.refunds[0].instance_id, prepaid);
    assert!(q.refunds[0].refund > 0.0);
    assert_eq!(q.protected, vec![protected.clone()]);
    assert_eq!(q.missing, vec![gone.clone()]);

    // One terminate over mixed billing models and a protected instance: the protected one
    // is not sent, the others go in one call per billing model and succeed.
    let r = run_action(
        &client,
        region,
        &[prepaid.clone(), protected.clone(), postpaid.clone()],
        &Lifecycle::Terminate {
            release_address: false,
        },
    )
    .await;
    let by_id = |id: &str| r.results.iter().find(|x| x.instance_id == id).unwrap();
    assert!(by_id(&prepaid).ok, "{:?}", by_id(&prepaid).error);
    assert!(by_id(&postpaid).ok, "{:?}", by_id(&postpaid).error);
    let refused = by_id(&protected);
    assert!(!refused.ok);
    assert_eq!(refused.error.as_ref().unwrap().code, PROTECTED);
    assert!(refused.request_id.is_none(), "nothing was sent for it");
    let states: std::collections::HashMap<String, String> = sim
        .instances(cvm_sim::DEFAULT_ACCOUNT, region)
        .into_iter()
        .collect();
    assert_eq!(
        states[&prepaid], "SHUTDOWN",
        "prepaid goes to the recycle bin"
    );
    assert!(states.get(&postpaid).is_none_or(|s| s == "TERMINATING"));
    assert!(matches!(states[&protected].as_str(), "RUNNING" | "STOPPED"));
}

#[tokio::test]
async fn terminate_can_release_the_bound_eip() {
    let (_sim, client) = sim_with(60, "").await;
    let region = "ap-guangzhou";
    let all = views(&client, region).await;
    let id = all
        .iter()
        .find(|i| {
            i.charge_type == "POSTPAID_BY_HOUR"
                && !i.disable_api_termination
                && (i.state == "RUNNING" || i.state == "STOPPED")
                && i.public_ips.is_empty()
        })
        .map(|i| i.id.clone())
        .expect("a postpaid instance without a public IP");
    let eip = client
        .allocate_addresses(
            region,
            &vpc::AllocateAddressesRequest {
                address_count: Some(1),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .address_set
        .unwrap()
        .remove(0);
    client
        .associate_address(
            region,
            &vpc::AssociateAddressRequest {
                address_id: Some(eip.clone()),
                instance_id: Some(id.clone()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let r = run_action(
        &client,
        region,
        std::slice::from_ref(&id),
        &Lifecycle::Terminate {
            release_address: true,
        },
    )
    .await;
    assert_eq!((r.succeeded, r.failed), (1, 0));
    let left = client
        .describe_addresses(
            region,
            &vpc::DescribeAddressesRequest {
                address_ids: Some(vec![eip.clone()]),
                ..Default::default()
            },
        )
        .await;
    let gone = match left {
        Ok(out) => out.address_set.unwrap_or_default().is_empty(),
        Err(e) => e.code().contains("NotFound"),
    };
    assert!(gone, "the EIP was released with the instance");
}

#[tokio::test]
async fn vanished_ids_are_named_and_the_rest_goes_through() {
    let (sim, client) = sim_with(200, "").await;
    let region = "ap-guangzhou";
    let all = views(&client, region).await;
    let stopped: Vec<String> = all
        .iter()
        .filter(|i| i.state == "STOPPED")
        .map(|i| i.id.clone())
        .take(2)
        .collect();
    assert_eq!(stopped.len(), 2);
    // A postpaid instance is terminated elsewhere (it vanishes), then the page starts it
    // with two stopped ones: the vanished one is named with the API's code, the others
    // start.
    let vanished = all
        .iter()
        .find(|i| {
            i.charge_type == "POSTPAID_BY_HOUR"
                && !i.disable_api_termination
                && i.state == "RUNNING"
        })
        .unwrap()
        .id
        .clone();
    run_action(
        &client,
        region,
        std::slice::from_ref(&vanished),
        &Lifecycle::Terminate {
            release_address: false,
        },
    )
    .await;
    // Transitions are immediate: wait for it to leave the world.
    for _ in 0..100 {
        if !sim
            .instances(cvm_sim::DEFAULT_ACCOUNT, region)
            .iter()
            .any(|(i, _)| *i == vanished)
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let ids = vec![stopped[0].clone(), vanished.clone(), stopped[1].clone()];
    let r = run_action(&client, region, &ids, &Lifecycle::Start).await;
    let by_id = |id: &str| r.results.iter().find(|x| x.instance_id == id).unwrap();
    assert!(by_id(&stopped[0]).ok && by_id(&stopped[1]).ok);
    let err = by_id(&vanished).error.clone().unwrap();
    assert_eq!(err.code, "InvalidInstanceId.NotFound");
    assert!(
        err.request_id.is_some(),
        "the API's answer, with its RequestId"
    );
    assert_eq!((r.succeeded, r.failed), (2, 1));
}

/// A tag filter goes to Tencent as `tag:<key>` / `tag-key` Filters: the server's
/// TotalCount is the matching instances' (so only they are paged), and the rows are
/// exactly the ones the whole list holds with those tags.
#[tokio::test]
async fn tag_conditions_are_filtered_by_the_server() {
    let (_sim, client) = sim_with(400, "").await;
    let all = views(&client, "ap-guangzhou").await;
    let cond = |key: &str, value: Option<&str>| TagCondition {
        key: key.into(),
        value: value.map(str::to_owned),
    };
    let cases = [
        vec![cond("env", Some("prod"))],
        vec![cond("team", None)],
        vec![cond("env", Some("dev")), cond("team", Some("platform"))],
        vec![cond("no-such-key", None)],
    ];
    for tags in cases {
        let filter = ListFilter::tags(tags.clone());
        let want: Vec<&str> = all
            .iter()
            .filter(|i| filter.matches(&i.tags))
            .map(|i| i.id.as_str())
            .collect();
        let mut totals = Vec::new();
        let mut got = Vec::new();
        list_instances_while(&client, "ap-guangzhou", &filter, &|| true, |p| {
            totals.push(p.total);
            got.extend(p.instances.into_iter().map(|i| i.id));
        })
        .await
        .unwrap();
        if tags[0].key == "env" {
            assert!(!want.is_empty(), "the world has such instances: {tags:?}");
        }
        assert_eq!(got, want, "{tags:?}");
        assert!(
            totals.iter().all(|t| *t as usize == want.len()),
            "the server counted only the matching instances: {totals:?} for {} ({tags:?})",
            want.len()
        );
    }
    // A bad condition is refused naming it, before anything is sent.
    let e = list_instances_while(
        &client,
        "ap-guangzhou",
        &ListFilter::tags(vec![cond("env", None), cond("a*b", None)]),
        &|| true,
        |_| panic!("nothing is listed"),
    )
    .await
    .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("tags.1.key"));
}
