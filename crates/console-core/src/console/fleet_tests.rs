//! The fleet against two real cvm-sim instances (two accounts) in-process, with profiles in
//! a temporary config dir and secrets in keyring-core's mock store (no Secret Service in
//! unit tests; the real keyring is covered by src-tauri/tests/keyring.rs).

use super::cache::ListCache;
use super::fleet::*;
use super::listing::{ListEvent, Ticket};
use super::settings::ConsoleSettings;
use crate::profiles::{BudgetChoice, Language, Profile, ProfileKind, Site};
use crate::secrets::{StoredSecret, Vault};
use crate::state::AppState;
use crate::types::{ProfileId, Region};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use tencent_api::Sensitive;

async fn account(seed: u64) -> cvm_sim::SimHandle {
    cvm_sim::start(cvm_sim::Config {
        preload: 40,
        time_scale: 0.0,
        seed,
        ..Default::default()
    })
    .await
    .unwrap()
}

fn cloud(id: &str, url: String) -> Profile {
    Profile {
        id: id.into(),
        name: format!("Account {id}"),
        kind: ProfileKind::Cloud,
        site: Site::Custom { url },
        default_region: "ap-guangzhou".into(),
        language: Language::EnUs,
        budget: BudgetChoice::Current,
        read_only: id.ends_with('b'),
        masked_secret_id: None,
        has_token: false,
        last_region: None,
        role: None,
    }
}

struct World {
    sims: Vec<cvm_sim::SimHandle>,
    state: Arc<AppState>,
    _dir: tempfile::TempDir,
}

/// Two reachable accounts (`p-a`, `p-b`, the second read-only) and one whose SecretKey is
/// not in the keyring (`p-c`).
async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<keyring_core::CredentialStore> = keyring_core::mock::Store::new().unwrap();
    let vault = Vault::with_store(store, "fleet-test");
    let sims = vec![account(11).await, account(12).await];
    for (id, sim) in [("p-a", &sims[0]), ("p-b", &sims[1])] {
        let _ = sim;
        vault
            .put(
                id,
                &StoredSecret {
                    secret_id: cvm_sim::DEFAULT_SECRET_ID.into(),
                    secret_key: Sensitive::new(cvm_sim::DEFAULT_SECRET_KEY),
                    token: None,
                },
            )
            .unwrap();
    }
    let state = AppState::new(dir.path().join("config"), dir.path().join("data"), vault).unwrap();
    state
        .update_profiles(|f| {
            f.profiles.push(cloud("p-a", sims[0].base_url()));
            f.profiles.push(cloud("p-b", sims[1].base_url()));
            f.profiles.push(cloud("p-c", sims[1].base_url()));
            Ok(())
        })
        .unwrap();
    World {
        sims,
        state: Arc::new(state),
        _dir: dir,
    }
}

fn target(id: &str, regions: Option<&[&str]>) -> FleetTarget {
    FleetTarget {
        profile_id: ProfileId::new(id).unwrap(),
        regions: regions.map(|r| r.iter().map(|r| Region::new(*r).unwrap()).collect()),
    }
}

#[test]
fn a_bad_request_is_refused_naming_the_field() {
    assert_eq!(
        validate_targets(&[]).unwrap_err().field.as_deref(),
        Some("targets")
    );
    let twice = [target("p-a", None), target("p-a", Some(&["ap-guangzhou"]))];
    assert_eq!(
        validate_targets(&twice).unwrap_err().field.as_deref(),
        Some("targets")
    );
    let none = [target("p-a", Some(&[]))];
    assert_eq!(
        validate_targets(&none).unwrap_err().field.as_deref(),
        Some("regions")
    );
    assert!(validate_targets(&[target("p-a", None), target("p-b", None)]).is_ok());
}

#[tokio::test]
async fn every_account_and_region_reports_alone_and_a_failing_one_stops_nothing() {
    let w = world().await;
    let dir = tempfile::tempdir().unwrap();
    let settings = ConsoleSettings::new(dir.path());
    settings
        .set_enabled_regions(
            "p-b",
            Some(vec!["ap-guangzhou".into(), "ap-beijing".into()]),
        )
        .unwrap();
    let targets = vec![
        // All its regions (DescribeRegions), one account's rows.
        target("p-a", None),
        // Its enabled regions only.
        target("p-b", None),
        // No SecretKey: the account fails, alone.
        target("p-c", None),
    ];
    let ticket = Ticket::take("fleet-test");
    let mut events = Vec::new();
    let mut completed = BTreeSet::new();
    let summary = stream_fleet(
        w.state.clone(),
        Some(settings),
        targets,
        Vec::new(),
        &ticket,
        |e| events.push(e),
        |p, r, rows| {
            assert!(rows.iter().all(|i| i.profile_id == p && i.region == r));
            completed.insert((p.to_owned(), r.to_owned()));
        },
    )
    .await;
    assert!(!summary.superseded);
    assert_eq!(summary.failed_accounts, vec!["p-c".to_owned()]);
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);

    let mut scopes = BTreeMap::new();
    let mut rows: BTreeMap<(String, String), usize> = BTreeMap::new();
    for e in &events {
        match e {
            FleetEvent::Scope {
                profile_id,
                regions,
            } => {
                scopes.insert(profile_id.clone(), regions.clone());
            }
            FleetEvent::Region {
                profile_id,
                event: ListEvent::Page { page },
            } => {
                for i in &page.instances {
                    assert_eq!(&i.profile_id, profile_id, "rows carry their account");
                    *rows
                        .entry((profile_id.clone(), i.region.clone()))
                        .or_default() += 1;
                }
            }
            FleetEvent::AccountFailed { profile_id, error } => {
                assert_eq!(profile_id, "p-c");
                assert_eq!(error.field.as_deref(), Some("secretKey"));
            }
            _ => {}
        }
    }
    assert_eq!(
        scopes["p-b"],
        vec!["ap-guangzhou".to_owned(), "ap-beijing".to_owned()],
        "the enabled regions, in the account's order"
    );
    assert!(scopes["p-a"].len() > 2, "every region the account sees");
    assert!(!scopes.contains_key("p-c"));
    // Each account's rows are exactly what its own endpoint holds, region by region.
    for (id, sim) in [("p-a", &w.sims[0]), ("p-b", &w.sims[1])] {
        for region in &scopes[id] {
            let want = sim.instances(cvm_sim::DEFAULT_ACCOUNT, region).len();
            let got = rows
                .get(&(id.to_owned(), region.clone()))
                .copied()
                .unwrap_or(0);
            assert_eq!(got, want, "{id} {region}");
            assert!(completed.contains(&(id.to_owned(), region.clone())));
        }
    }
    let total: usize = rows.values().sum();
    assert_eq!(summary.loaded as usize, total);
    assert!(total > 0);
    for s in w.sims {
        s.shutdown().await.unwrap();
    }
}

#[tokio::test]
async fn a_named_region_the_account_lacks_fails_alone_and_the_cache_covers_the_fleet() {
    let w = world().await;
    let ticket = Ticket::take("fleet-test-2");
    let mut failed = Vec::new();
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = ListCache::new(cache_dir.path());
    let summary = stream_fleet(
        w.state.clone(),
        None,
        vec![
            target("p-a", Some(&["ap-guangzhou", "me-riyadh"])),
            target("p-b", Some(&["ap-shanghai"])),
        ],
        Vec::new(),
        &ticket,
        |e| {
            if let FleetEvent::Region {
                profile_id,
                event: ListEvent::Failed { region, .. },
            } = e
            {
                failed.push((profile_id, region));
            }
        },
        |p, r, rows| cache.save(p, r, rows).unwrap(),
    )
    .await;
    assert_eq!(failed, vec![("p-a".to_owned(), "me-riyadh".to_owned())]);
    assert_eq!(summary.failed.len(), 1);
    let want_a = w.sims[0]
        .instances(cvm_sim::DEFAULT_ACCOUNT, "ap-guangzhou")
        .len();
    let want_b = w.sims[1]
        .instances(cvm_sim::DEFAULT_ACCOUNT, "ap-shanghai")
        .len();
    assert_eq!(summary.loaded as usize, want_a + want_b);

    // Every cached region of both accounts, rows marked with their account.
    let lists = cached_fleet(&cache, &[target("p-a", None), target("p-b", None)]);
    let got: BTreeSet<(String, String, usize)> = lists
        .iter()
        .map(|l| {
            assert!(l.instances.iter().all(|i| i.profile_id == l.profile_id));
            (l.profile_id.clone(), l.region.clone(), l.instances.len())
        })
        .collect();
    assert_eq!(
        got,
        BTreeSet::from([
            ("p-a".to_owned(), "ap-guangzhou".to_owned(), want_a),
            ("p-b".to_owned(), "ap-shanghai".to_owned(), want_b),
        ])
    );
    for s in w.sims {
        s.shutdown().await.unwrap();
    }
}

/// A tag filter lists, in every account, only the instances with the tag (Tencent filters
/// them), and caches nothing: a filtered list does not stand for the region.
#[tokio::test]
async fn a_tag_filter_lists_matching_rows_of_every_account_and_caches_nothing() {
    let w = world().await;
    let targets = || {
        vec![
            target("p-a", Some(&["ap-guangzhou", "ap-shanghai"])),
            target("p-b", Some(&["ap-guangzhou", "ap-shanghai"])),
        ]
    };
    let tagged = |tags: &[crate::console::instances::TagView]| {
        tags.iter().any(|t| t.key == "env" && t.value == "prod")
    };
    // The whole fleet first, to know which rows the filter must give.
    let mut want = 0;
    let mut cached = 0;
    stream_fleet(
        w.state.clone(),
        None,
        targets(),
        Vec::new(),
        &Ticket::take("fleet-test-tags-all"),
        |_| {},
        |_, _, list| {
            cached += 1;
            want += list.iter().filter(|i| tagged(&i.tags)).count();
        },
    )
    .await;
    assert_eq!(cached, 4, "whole regions are cached");
    let ticket = Ticket::take("fleet-test-tags");
    let tags = vec![crate::console::instances::TagCondition {
        key: "env".into(),
        value: Some("prod".into()),
    }];
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    let summary = stream_fleet(
        w.state.clone(),
        None,
        targets(),
        tags,
        &ticket,
        |e| {
            if let FleetEvent::Region {
                profile_id,
                event: ListEvent::Page { page },
            } = e
            {
                for i in page.instances {
                    rows.push((
                        profile_id.clone(),
                        i.tags
                            .iter()
                            .map(|t| format!("{}={}", t.key, t.value))
                            .collect(),
                    ));
                }
            }
        },
        |_, _, _| panic!("a filtered listing caches nothing"),
    )
    .await;
    assert!(summary.failed.is_empty(), "{summary:?}");
    assert!(want > 0);
    assert_eq!(rows.len(), want);
    assert_eq!(summary.loaded as usize, want);
    assert!(rows.iter().all(|(_, t)| t.contains(&"env=prod".to_owned())));
    let accounts: BTreeSet<&str> = rows.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(accounts, BTreeSet::from(["p-a", "p-b"]));
    for s in w.sims {
        s.shutdown().await.unwrap();
    }
}

#[tokio::test]
async fn a_newer_listing_in_the_slot_supersedes_the_fleet() {
    let w = world().await;
    let ticket = Ticket::take("fleet-test-3");
    let newer = Ticket::take("fleet-test-3");
    let mut events = 0;
    let summary = stream_fleet(
        w.state.clone(),
        None,
        vec![target("p-a", Some(&["ap-guangzhou"]))],
        Vec::new(),
        &ticket,
        |_| events += 1,
        |_, _, _| panic!("a superseded listing caches nothing"),
    )
    .await;
    assert!(summary.superseded);
    assert_eq!(events, 0, "nothing reaches the old view");
    assert!(newer.is_current());
    for s in w.sims {
        s.shutdown().await.unwrap();
    }
}

#[test]
fn the_default_fleet_is_every_profile() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<keyring_core::CredentialStore> = keyring_core::mock::Store::new().unwrap();
    let state = AppState::new(
        dir.path().join("c"),
        dir.path().join("d"),
        Vault::with_store(store, "fleet-default"),
    )
    .unwrap();
    state
        .update_profiles(|f| {
            f.profiles.push(cloud("p-a", "http://127.0.0.1:1/".into()));
            Ok(())
        })
        .unwrap();
    let ids: Vec<String> = default_targets(&state)
        .into_iter()
        .map(|t| {
            assert!(t.regions.is_none(), "each with its enabled regions");
            t.profile_id.to_string()
        })
        .collect();
    assert_eq!(
        ids,
        [
            "sandbox",
            "sandbox-fleet-operator",
            "sandbox-fleet-auditor",
            "p-a"
        ]
    );
}

/// A role account whose token has expired on the sim's clock and whose role can no longer
/// be assumed (CAM refuses AssumeRole): its failure is one error of the app's naming the
/// profile, not Tencent's raw code; the account with keys is listed as before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_whose_credentials_fail_is_named_and_stops_nothing() {
    let sim = cvm_sim::start(cvm_sim::Config {
        preload: 20,
        time_scale: 0.0,
        seed: 21,
        roles: vec![cvm_sim::Role {
            account: "100000000002".into(),
            name: "ops".into(),
            id: "4611686018427390001".into(),
            trusted: vec![cvm_sim::DEFAULT_ACCOUNT.into()],
        }],
        accounts: vec![cvm_sim::AccountSpec {
            uin: "100000000002".into(),
            preload: 20,
        }],
        ..Default::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<keyring_core::CredentialStore> = keyring_core::mock::Store::new().unwrap();
    let vault = Vault::with_store(store, "fleet-role-test");
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
    state
        .update_profiles(|f| {
            f.profiles.push(cloud("p-a", sim.base_url()));
            f.profiles.push(Profile {
                name: "Ops role".into(),
                role: Some(crate::profiles::RoleSource {
                    base_profile_id: "p-a".into(),
                    role_arn: "qcs::cam::uin/100000000002:roleName/ops".into(),
                    session_name: "desk".into(),
                    duration_seconds: 3600,
                }),
                ..cloud("p-r", sim.base_url())
            });
            Ok(())
        })
        .unwrap();
    let state = Arc::new(state);
    let list = |regions: Option<&'static [&'static str]>| {
        let state = state.clone();
        async move {
            let mut events = Vec::new();
            let ticket = Ticket::take("fleet-role-test");
            let summary = stream_fleet(
                state,
                None,
                vec![target("p-a", regions), target("p-r", regions)],
                Vec::new(),
                &ticket,
                |e| events.push(e),
                |_, _, _| {},
            )
            .await;
            (summary, events)
        }
    };
    let (summary, _) = list(Some(&["ap-guangzhou"])).await;
    assert!(summary.failed.is_empty() && summary.failed_accounts.is_empty());

    // The token expires; renewing it is refused.
    sim.advance_clock(std::time::Duration::from_secs(2 * 3600));
    sim.set_faults(&"rate=1,kinds=denied,actions=AssumeRole".parse().unwrap());
    let (summary, events) = list(Some(&["ap-guangzhou"])).await;
    assert_eq!(
        summary.failed,
        vec![FleetPlace {
            profile_id: "p-r".into(),
            region: "ap-guangzhou".into()
        }]
    );
    let failed = events
        .iter()
        .find_map(|e| match e {
            FleetEvent::Region {
                profile_id,
                event: ListEvent::Failed { error, .. },
            } if profile_id == "p-r" => Some(error.clone()),
            _ => None,
        })
        .expect("the role's region failed");
    assert_eq!(failed.code, "App.RoleCredentialsFailed");
    assert_eq!(failed.kind, crate::error::ErrorKind::Auth);
    assert_eq!(failed.field.as_deref(), Some("profileId"));
    for part in ["Ops role", "roleName/ops", "AssumeRole was refused"] {
        assert!(failed.message.contains(part), "{part}: {}", failed.message);
    }
    assert!(failed.request_id.is_some(), "Tencent's RequestId is kept");
    assert!(
        events.iter().any(|e| matches!(
            e,
            FleetEvent::Region { profile_id, event: ListEvent::Done { .. } } if profile_id == "p-a"
        )),
        "the account with keys is listed"
    );

    // Every enabled region: the role's DescribeRegions fails, so the account does, named.
    let (summary, events) = list(None).await;
    assert_eq!(summary.failed_accounts, vec!["p-r".to_owned()]);
    let account = events
        .iter()
        .find_map(|e| match e {
            FleetEvent::AccountFailed { error, .. } => Some(error.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(account.code, "App.RoleCredentialsFailed");
    assert!(account.message.contains("Ops role"), "{}", account.message);

    // A refusal that is not about the role's credentials keeps Tencent's code.
    sim.set_faults(
        &"rate=1,kinds=denied,actions=DescribeInstances"
            .parse()
            .unwrap(),
    );
    let (_, events) = list(Some(&["ap-guangzhou"])).await;
    let codes: Vec<&str> = events
        .iter()
        .filter_map(|e| match e {
            FleetEvent::Region {
                event: ListEvent::Failed { error, .. },
                ..
            } => Some(error.code.as_str()),
            _ => None,
        })
        .collect();
    assert!(
        codes.iter().all(|c| c.starts_with("AuthFailure.")) && codes.len() == 2,
        "{codes:?}"
    );
}

#[tokio::test]
async fn an_accounts_regions_are_asked_once_until_its_profile_changes() {
    let w = world().await;
    let asked = || {
        w.state
            .activity
            .query(&crate::activity::ActivityFilter {
                profile_id: Some("p-a".into()),
                text: Some("DescribeRegions".into()),
                ..Default::default()
            })
            .len()
    };
    let list = || {
        let ticket = Ticket::take("fleet-test-regions");
        let state = w.state.clone();
        async move {
            stream_fleet(
                state,
                None,
                vec![target("p-a", None)],
                Vec::new(),
                &ticket,
                |_| {},
                |_, _, _| {},
            )
            .await
        }
    };
    let first = list().await;
    assert!(first.loaded > 0 && first.failed.is_empty());
    assert_eq!(asked(), 1);
    let second = list().await;
    assert_eq!(
        second.loaded, first.loaded,
        "the same regions, the same rows"
    );
    assert_eq!(
        asked(),
        1,
        "the second listing lists the regions it was told"
    );
    // An edited profile may reach another account: its regions are asked again.
    w.state.forget_client("p-a");
    list().await;
    assert_eq!(asked(), 2);
    for s in w.sims {
        s.shutdown().await.unwrap();
    }
}
