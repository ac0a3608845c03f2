//! The wizard's logic: validation and price mapping on their own, then catalog, price,
//! DryRun, submission, the journal and billing against an in-process cvm-sim.

use super::billing;
use super::catalog::{self, InstanceTypeChoice};
use super::journal::{EntryState, Journal};
use super::launch::{self, LaunchStatus};
use super::price::{item_view, quote};
use super::spec::*;
use crate::types::{ChargeType, RenewFlag};
use tencent_api::models::cvm;
use tencent_api::{Client, Credentials, Endpoint, RetryPolicy, Sensitive};

const REGION: &str = "ap-guangzhou";

fn field(e: crate::error::AppError) -> String {
    e.field
        .unwrap_or_else(|| format!("<none: {} {}>", e.code, e.message))
}

fn base_spec(zone: &str, itype: &str, image: &str) -> LaunchSpec {
    LaunchSpec {
        choices: LaunchChoices {
            region: REGION.into(),
            zone: zone.into(),
            billing: Billing::PostpaidByHour,
            instance_type: itype.into(),
            image_id: image.into(),
            system_disk: SystemDiskSpec {
                disk_type: "CLOUD_PREMIUM".into(),
                size_gib: 50,
            },
            data_disks: vec![],
            vpc_id: String::new(),
            subnet_id: String::new(),
            public_ip: true,
            internet_charge_type: "TRAFFIC_POSTPAID_BY_HOUR".into(),
            bandwidth_mbps: 5,
            security_group_ids: vec![],
            name: "web-{R:1}".into(),
            host_name: None,
            tags: vec![TagInput {
                key: "team".into(),
                value: "web".into(),
            }],
            count: 2,
            termination_protection: false,
        },
        login: Login::Password {
            password: Sensitive::new("Wizard-Pass-2026"),
        },
    }
}

fn facts_ok() -> Facts {
    Facts {
        instance_type: Some(cvm::InstanceTypeQuotaItem {
            status: Some("SELL".into()),
            price: Some(cvm::ItemPrice {
                unit_price: Some(0.5),
                unit_price_discount: Some(0.1),
                ..Default::default()
            }),
            ..Default::default()
        }),
        image: Some(cvm::Image {
            image_id: Some("img-6n21msk1".into()),
            architecture: Some("x86_64".into()),
            image_size: Some(20),
            image_type: Some("PUBLIC_IMAGE".into()),
            ..Default::default()
        }),
        image_fits_type: true,
        subnet: None,
        windows: false,
    }
}

#[test]
fn shape_errors_name_the_spec_field() {
    let ok = base_spec("ap-guangzhou-3", "S5.MEDIUM4", "img-6n21msk1");
    assert!(check_shape(&ok, 60).is_ok());
    type Change = Box<dyn Fn(&mut LaunchSpec)>;
    let cases: Vec<(Change, &str)> = vec![
        (Box::new(|s| s.zone = "ap-shanghai-2".into()), "zone"),
        (
            Box::new(|s| {
                s.billing = Billing::Prepaid {
                    period: 13,
                    renew_flag: RenewFlag::NotifyAndAutoRenew,
                }
            }),
            "billing.period",
        ),
        (
            Box::new(|s| {
                s.billing = Billing::Spotpaid {
                    max_price: Some("cheap".into()),
                }
            }),
            "billing.maxPrice",
        ),
        (
            Box::new(|s| s.system_disk.size_gib = 10),
            "systemDisk.sizeGib",
        ),
        (
            Box::new(|s| s.system_disk.size_gib = 2048),
            "systemDisk.sizeGib",
        ),
        (
            Box::new(|s| {
                s.data_disks = vec![
                    DataDiskSpec {
                        disk_type: "CLOUD_PREMIUM".into(),
                        size_gib: 100,
                        delete_with_instance: true,
                    },
                    DataDiskSpec {
                        disk_type: "CLOUD_PREMIUM".into(),
                        size_gib: 15,
                        delete_with_instance: true,
                    },
                ]
            }),
            "dataDisks[1].sizeGib",
        ),
        (
            Box::new(|s| s.internet_charge_type = "BANDWIDTH_PREPAID".into()),
            "internetChargeType",
        ),
        (Box::new(|s| s.bandwidth_mbps = 0), "bandwidthMbps"),
        (
            Box::new(|s| s.subnet_id = "subnet-abcd1234".into()),
            "subnetId",
        ),
        (
            Box::new(|s| {
                s.login = Login::KeyPair { key_ids: vec![] };
            }),
            "login.keyIds",
        ),
        (Box::new(|s| s.name = "web-{R:x}".into()), "name"),
        (Box::new(|s| s.name = "x".repeat(61)), "name"),
        (
            Box::new(|s| {
                s.tags.push(TagInput {
                    key: "team".into(),
                    value: "db".into(),
                })
            }),
            "tags[1].key",
        ),
        (Box::new(|s| s.count = 0), "count"),
        (Box::new(|s| s.count = MAX_COUNT + 1), "count"),
        (Box::new(|s| s.image_id = "ins-12345678".into()), "imageId"),
    ];
    for (i, (change, want)) in cases.iter().enumerate() {
        let mut s = ok.clone();
        change(&mut s);
        assert_eq!(field(check_shape(&s, 60).unwrap_err()), *want, "case {i}");
    }
}

#[test]
fn fact_errors_name_the_spec_field() {
    let ok = base_spec("ap-guangzhou-3", "S5.MEDIUM4", "img-6n21msk1");
    assert!(check_facts(&ok, &facts_ok()).is_ok());

    let mut s = ok.clone();
    s.login = Login::Password {
        password: Sensitive::new("password"),
    };
    let e = check_facts(&s, &facts_ok()).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("login.password"));
    assert!(!e.message.contains("password1"));

    let mut f = facts_ok();
    f.image_fits_type = false;
    let e = check_facts(&ok, &f).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("imageId"));
    assert!(e.message.contains("x86_64"), "{}", e.message);

    let mut f = facts_ok();
    f.instance_type.as_mut().unwrap().status = Some("SOLD_OUT".into());
    f.instance_type.as_mut().unwrap().sold_out_reason = Some("Sold out".into());
    let e = check_facts(&ok, &f).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("instanceType"));
    assert_eq!(e.kind, crate::error::ErrorKind::SoldOut);

    let mut s = ok.clone();
    s.billing = Billing::Spotpaid {
        max_price: Some("0.05".into()),
    };
    assert_eq!(
        field(check_facts(&s, &facts_ok()).unwrap_err()),
        "billing.maxPrice"
    );
    s.billing = Billing::Spotpaid {
        max_price: Some("0.10".into()),
    };
    assert!(check_facts(&s, &facts_ok()).is_ok());

    let mut s = ok.clone();
    s.vpc_id = "vpc-abcd1234".into();
    s.subnet_id = "subnet-abcd1234".into();
    let mut f = facts_ok();
    f.subnet = Some(("ap-guangzhou-4".into(), "vpc-abcd1234".into()));
    let e = check_facts(&s, &f).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("subnetId"));
    assert!(e.message.contains("ap-guangzhou-4"));

    let mut f = facts_ok();
    f.windows = true;
    let mut s = ok.clone();
    s.system_disk.size_gib = 40;
    assert_eq!(
        field(check_facts(&s, &f).unwrap_err()),
        "systemDisk.sizeGib"
    );
    s.system_disk.size_gib = 50;
    s.login = Login::KeyPair {
        key_ids: vec!["skey-abcd1234".into()],
    };
    assert_eq!(field(check_facts(&s, &f).unwrap_err()), "login.keyIds");

    let mut s = ok.clone();
    s.host_name = Some("-bad-".into());
    assert_eq!(field(check_facts(&s, &facts_ok()).unwrap_err()), "hostName");
    s.host_name = Some("web-{R:1}.example".into());
    assert!(check_facts(&s, &facts_ok()).is_ok());
}

#[test]
fn tencent_codes_map_to_fields() {
    for (code, msg, want) in [
        ("InvalidPassword", "", Some("login.password")),
        (
            "InvalidParameterValue.InvalidImageForGivenInstanceType",
            "",
            Some("imageId"),
        ),
        (
            "ResourcesSoldOut.SpecifiedInstanceType",
            "",
            Some("instanceType"),
        ),
        ("LimitExceeded.InstanceQuota", "", Some("count")),
        (
            "InvalidParameterValue.InsufficientPrice",
            "",
            Some("billing.maxPrice"),
        ),
        (
            "InvalidParameterValue.SubnetIdZoneIdNotMatch",
            "",
            Some("subnetId"),
        ),
        (
            "InvalidParameterValue.Range",
            "`SystemDisk.DiskSize` must be between 20 and 1024.",
            Some("systemDisk.sizeGib"),
        ),
        ("InvalidAccount.InsufficientBalance", "", None),
    ] {
        assert_eq!(field_for_code(code, msg), want, "{code}");
    }
}

#[test]
fn preview_is_the_request_without_the_password() {
    let s = base_spec("ap-guangzhou-3", "S5.MEDIUM4", "img-6n21msk1");
    let p = preview(&s);
    assert!(!p.request_json.contains("Wizard-Pass-2026"));
    assert!(!p.tccli.contains("Wizard-Pass-2026"));
    assert!(p.request_json.contains("<password>"));
    let v: serde_json::Value = serde_json::from_str(&p.request_json).unwrap();
    assert_eq!(v["Placement"]["Zone"], "ap-guangzhou-3");
    assert_eq!(v["InstanceChargeType"], "POSTPAID_BY_HOUR");
    assert_eq!(v["InstanceCount"], 2);
    assert_eq!(v["InternetAccessible"]["InternetMaxBandwidthOut"], 5);
    assert_eq!(v["TagSpecification"][0]["Tags"][0]["Key"], "team");
    assert!(v.get("ClientToken").is_none());
    assert!(
        p.tccli
            .starts_with("tccli cvm RunInstances --region ap-guangzhou")
    );
    assert!(p.tccli.contains("--InstanceType S5.MEDIUM4"));
    assert!(
        p.tccli
            .contains(r#"--Placement '{"Zone":"ap-guangzhou-3"}'"#)
    );
    // Debug output of a spec never shows the password either.
    assert!(!format!("{s:?}").contains("Wizard-Pass-2026"));
}

#[test]
fn prices_map_tiers_and_totals() {
    let postpaid = cvm::Price {
        instance_price: Some(cvm::ItemPrice {
            unit_price: Some(16.09),
            unit_price_discount: Some(3.33),
            unit_price_second_step: Some(16.09),
            unit_price_discount_second_step: Some(3.0),
            unit_price_third_step: Some(16.09),
            unit_price_discount_third_step: Some(2.5),
            charge_unit: Some("HOUR".into()),
            ..Default::default()
        }),
        bandwidth_price: Some(cvm::ItemPrice {
            unit_price: Some(0.8),
            unit_price_discount: Some(0.52),
            charge_unit: Some("HOUR".into()),
            ..Default::default()
        }),
    };
    let q = quote(ChargeType::PostpaidByHour, 2, Some(&postpaid), None);
    let steps = &q.instance.steps;
    assert_eq!(steps.len(), 3);
    assert_eq!((steps[0].from_hour, steps[0].to_hour), (0, Some(96)));
    assert_eq!((steps[1].from_hour, steps[1].to_hour), (96, Some(360)));
    assert_eq!((steps[2].from_hour, steps[2].to_hour), (360, None));
    assert_eq!(steps[2].unit_price_discount, 2.5);
    assert_eq!(q.per_instance, 1.67);
    assert_eq!(q.total_now, 3.85);

    let prepaid = cvm::Price {
        instance_price: Some(cvm::ItemPrice {
            original_price: Some(8884.5),
            discount_price: Some(1804.9),
            discount: Some(20.0),
            charge_unit: Some("MONTH".into()),
            ..Default::default()
        }),
        bandwidth_price: Some(cvm::ItemPrice {
            unit_price: Some(0.8),
            unit_price_discount: Some(0.8),
            charge_unit: Some("GB".into()),
            ..Default::default()
        }),
    };
    let q = quote(ChargeType::Prepaid, 1, Some(&prepaid), None);
    assert_eq!(q.instance.original_price, Some(8884.5));
    assert_eq!(q.instance.discount_price, Some(1804.9));
    assert!(q.instance.steps.is_empty());
    // Traffic is per GB: not part of what is due now.
    assert_eq!(q.total_now, 1804.9);
    assert_eq!(item_view(None).steps.len(), 0);
}

// ---------------------------------------------------------------- against cvm-sim

struct Sim {
    sim: cvm_sim::SimHandle,
    client: Client,
}

async fn sim_with(quotas: cvm_sim::Quotas) -> Sim {
    let sim = cvm_sim::start(cvm_sim::Config {
        time_scale: 0.0,
        seed: 11,
        quotas,
        ..Default::default()
    })
    .await
    .unwrap();
    let client = Client::builder(Credentials::new(
        cvm_sim::DEFAULT_SECRET_ID,
        cvm_sim::DEFAULT_SECRET_KEY,
    ))
    .endpoint(Endpoint::Custom(sim.base_url()))
    .retry(RetryPolicy {
        max_attempts: 3,
        min_delay: std::time::Duration::from_millis(10),
        max_delay: std::time::Duration::from_millis(50),
        jitter: false,
    })
    .build()
    .unwrap();
    Sim { sim, client }
}

async fn sim() -> Sim {
    sim_with(cvm_sim::Quotas::default()).await
}

fn count_in(s: &Sim) -> usize {
    s.sim.instances(cvm_sim::DEFAULT_ACCOUNT, REGION).len()
}

/// A zone with stock, a type on sale there, and an image that fits it.
async fn pick(s: &Sim, charge: ChargeType) -> (String, InstanceTypeChoice, String) {
    let zones = catalog::zones(&s.client, REGION, charge).await.unwrap();
    for z in zones.iter().filter(|z| z.available) {
        let types = catalog::instance_types(&s.client, REGION, &z.zone, charge)
            .await
            .unwrap();
        if let Some(t) = types
            .into_iter()
            .find(|t| t.status == "SELL" && t.gpu == 0 && t.cpu <= 4)
        {
            let images = catalog::images(&s.client, REGION, &t.instance_type)
                .await
                .unwrap();
            // A public image: every launch path accepts those (shared and custom ones
            // depend on the account).
            let img = images
                .iter()
                .find(|i| !i.windows && i.image_type == "PUBLIC_IMAGE")
                .unwrap()
                .image_id
                .clone();
            return (z.zone.clone(), t, img);
        }
    }
    panic!("no zone with stock for {charge}");
}

#[tokio::test]
async fn catalog_offers_stock_prices_and_fitting_images() {
    let s = sim().await;
    let zones = catalog::zones(&s.client, REGION, ChargeType::PostpaidByHour)
        .await
        .unwrap();
    assert!(zones.iter().any(|z| z.available && z.types_on_sale > 0));
    // Sold-out zones (ap-guangzhou-1 and -2) are offered as unavailable.
    assert!(zones.iter().any(|z| !z.available));
    let (zone, t, _) = pick(&s, ChargeType::PostpaidByHour).await;
    assert!(t.price > 0.0 && t.price_unit == "HOUR" && t.cpu > 0);
    let types = catalog::instance_types(&s.client, REGION, &zone, ChargeType::PostpaidByHour)
        .await
        .unwrap();
    if let Some(sold) = types.iter().find(|t| t.status == "SOLD_OUT") {
        assert!(sold.sold_out_reason.is_some());
    }
    let images = catalog::images(&s.client, REGION, &t.instance_type)
        .await
        .unwrap();
    assert!(!images.is_empty());
    let arch = &images[0].architecture;
    assert!(images.iter().all(|i| &i.architecture == arch));
    let net = catalog::networks(&s.client, REGION, &zone).await.unwrap();
    assert!(net.vpcs.iter().any(|v| v.is_default));
    assert!(!net.subnets.is_empty());
    assert!(net.subnets.iter().all(|x| x.zone == zone));
    assert!(net.security_groups.iter().any(|g| g.is_default));
    catalog::key_pairs(&s.client, REGION).await.unwrap();
}

#[tokio::test]
async fn the_price_is_inquiry_prices_answer() {
    let s = sim().await;
    let (zone, t, img) = pick(&s, ChargeType::PostpaidByHour).await;
    let spec = base_spec(&zone, &t.instance_type, &img);
    let q = launch::price(&s.client, &spec).await.unwrap();
    let raw = s
        .client
        .inquiry_price_run_instances(REGION, &price_request(&spec))
        .await
        .unwrap();
    let ip = raw.price.unwrap().instance_price.unwrap();
    assert_eq!(
        q.instance.steps[0].unit_price_discount,
        ip.unit_price_discount.unwrap()
    );
    assert_eq!(q.count, 2);
    assert!(
        q.instance.steps.len() == 3,
        "tiered: {:?}",
        q.instance.steps
    );
    // A prepaid quote carries the period total.
    let mut p = spec.clone();
    p.billing = Billing::Prepaid {
        period: 12,
        renew_flag: RenewFlag::NotifyAndAutoRenew,
    };
    p.internet_charge_type = "BANDWIDTH_PREPAID".into();
    let q = launch::price(&s.client, &p).await.unwrap();
    assert!(q.instance.discount_price.unwrap() < q.instance.original_price.unwrap());
    assert!(q.total_now > q.instance.discount_price.unwrap());
    // The price does not need an unfinished login step.
    let mut unfinished = spec.clone();
    unfinished.login = Login::Password {
        password: Sensitive::new(""),
    };
    assert!(launch::price(&s.client, &unfinished).await.is_ok());
    s.sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn bad_input_is_refused_before_anything_is_sent() {
    let s = sim_with(cvm_sim::Quotas {
        postpaid_per_region: 3,
        ..Default::default()
    })
    .await;
    let (zone, t, img) = pick(&s, ChargeType::PostpaidByHour).await;
    let before = count_in(&s);
    let spec = base_spec(&zone, &t.instance_type, &img);

    // An image of another architecture.
    let fitting = catalog::images(&s.client, REGION, &t.instance_type)
        .await
        .unwrap();
    let other = cvm_sim::catalog::IMAGES
        .iter()
        .find(|i| !fitting.iter().any(|f| f.image_id == i.id))
        .expect("an image of another architecture");
    let mut x = spec.clone();
    x.image_id = other.id.into();
    x.login = Login::KeepImageLogin;
    let e = launch::dry_run(&s.client, &x, 60).await.unwrap_err();
    assert_eq!(e.field.as_deref(), Some("imageId"), "{e:?}");

    // A subnet in another zone.
    let zones = catalog::zones(&s.client, REGION, ChargeType::PostpaidByHour)
        .await
        .unwrap();
    let other_zone = zones
        .iter()
        .find(|z| z.zone != zone && z.available)
        .unwrap();
    let net = catalog::networks(&s.client, REGION, &other_zone.zone)
        .await
        .unwrap();
    let mut x = spec.clone();
    x.subnet_id = net.subnets[0].subnet_id.clone();
    x.vpc_id = net.subnets[0].vpc_id.clone();
    let e = launch::dry_run(&s.client, &x, 60).await.unwrap_err();
    assert_eq!(e.field.as_deref(), Some("subnetId"), "{e:?}");

    // A spot bid below the market.
    let (szone, st, simg) = pick(&s, ChargeType::Spotpaid).await;
    let mut x = base_spec(&szone, &st.instance_type, &simg);
    x.billing = Billing::Spotpaid {
        max_price: Some(format!("{}", st.price / 2.0)),
    };
    let e = launch::dry_run(&s.client, &x, 60).await.unwrap_err();
    assert_eq!(e.field.as_deref(), Some("billing.maxPrice"), "{e:?}");

    // Over the quota: Tencent's DryRun refuses, mapped to `count`.
    let mut x = spec.clone();
    x.count = 4;
    let e = launch::dry_run(&s.client, &x, 60).await.unwrap_err();
    assert_eq!(e.field.as_deref(), Some("count"), "{e:?}");
    assert_eq!(e.kind, crate::error::ErrorKind::Quota);

    // A bad password.
    let mut x = spec.clone();
    x.login = Login::Password {
        password: Sensitive::new("short"),
    };
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path().join("launches.json"));
    let e = launch::submit(&s.client, &journal, "p1", &x, 60)
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("login.password"));

    assert_eq!(count_in(&s), before, "nothing was created");
    assert!(journal.all().is_empty(), "nothing was journalled");
    s.sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_launch_runs_and_reports_progress() {
    let s = sim().await;
    let (zone, t, img) = pick(&s, ChargeType::PostpaidByHour).await;
    let spec = base_spec(&zone, &t.instance_type, &img);
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path().join("launches.json"));
    let before = count_in(&s);
    let out = launch::submit(&s.client, &journal, "p1", &spec, 60)
        .await
        .unwrap();
    assert_eq!(out.status, LaunchStatus::Created);
    assert_eq!(out.instance_ids.len(), 2);
    assert_eq!(count_in(&s), before + 2);
    let e = journal.get(&out.token).unwrap();
    assert_eq!(e.state, EntryState::Resolved);
    assert_eq!(e.instance_ids, out.instance_ids);
    // The journal on disk never holds the password.
    let on_disk = std::fs::read_to_string(journal.path()).unwrap();
    assert!(!on_disk.contains("Wizard-Pass-2026"));
    assert!(on_disk.contains(&out.token));

    s.sim.advance_clock(std::time::Duration::from_secs(120));
    let p = launch::progress(&s.client, REGION, &out.instance_ids)
        .await
        .unwrap();
    assert!(p.done, "{p:?}");
    assert_eq!(p.running, 2);
    let names: Vec<&str> = p.instances.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, vec!["web-1", "web-2"]);
    s.sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn lost_answers_never_buy_twice_and_resume_after_a_restart() {
    let s = sim().await;
    let (zone, t, img) = pick(&s, ChargeType::PostpaidByHour).await;
    let mut spec = base_spec(&zone, &t.instance_type, &img);
    spec.count = 3;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("launches.json");
    let before = count_in(&s);
    launch::dry_run(&s.client, &spec, 60).await.unwrap();

    // Every RunInstances is applied, then its answer is lost (the client retries with
    // the same token; each retry is deduplicated).
    s.sim.set_faults(
        &"rate=1,kinds=lost-response,actions=RunInstances,seed=1"
            .parse()
            .unwrap(),
    );
    let journal = Journal::open(path.clone());
    let out = launch::submit_checked(&s.client, &journal, "p1", &spec)
        .await
        .unwrap();
    assert_eq!(out.status, LaunchStatus::Unknown, "{out:?}");
    assert!(out.error.is_some());
    assert_eq!(count_in(&s), before + 3, "bought exactly once");
    // The entry was on disk, pending, with its token.
    let on_disk: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(on_disk["entries"][0]["token"], out.token.as_str());
    assert_eq!(on_disk["entries"][0]["state"], "pending");
    assert!(on_disk["entries"][0]["attempts"].as_u64().unwrap() >= 1);
    // A retry in the same session, still losing answers, still buys nothing more.
    let again = launch::retry(&s.client, &journal, &out.token)
        .await
        .unwrap();
    assert_eq!(again.status, LaunchStatus::Unknown);
    assert_eq!(count_in(&s), before + 3);
    drop(journal);

    // "Restart": the answers get through again; a fresh journal from the same file
    // resumes the pending entry with the same token.
    s.sim.set_faults(&cvm_sim::FaultSpec::default());
    let journal = Journal::open(path.clone());
    assert_eq!(journal.pending().len(), 1);
    let client = s.client.clone();
    let claimed = launch::claim_auto_resume(&journal, launch::unix_now(), |_| true);
    assert_eq!(claimed.len(), 1, "a young launch resumes on its own");
    let resumed = launch::resume_pending(&journal, claimed, |_| {
        let c = client.clone();
        async move { Some(c) }
    })
    .await;
    assert_eq!(resumed.len(), 1);
    let r = &resumed[0];
    assert_eq!(r.status, LaunchStatus::Created);
    assert_eq!(r.token, out.token);
    assert!(r.password_not_resent);
    assert_eq!(r.instance_ids.len(), 3);
    assert_eq!(count_in(&s), before + 3, "exactly `count` instances exist");
    let all: Vec<String> = s
        .sim
        .instances(cvm_sim::DEFAULT_ACCOUNT, REGION)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert!(r.instance_ids.iter().all(|id| all.contains(id)));
    assert!(journal.pending().is_empty());
    assert_eq!(journal.get(&out.token).unwrap().state, EntryState::Resolved);
    // And again after that: nothing pending, nothing sent.
    assert!(launch::claim_auto_resume(&journal, launch::unix_now(), |_| true).is_empty());
    s.sim.shutdown().await.unwrap();
}

/// At start-up only a young pending launch of a writable profile is re-sent; an old one,
/// or one of a read-only profile, is left for the user (nothing is sent for it) until
/// they resume or drop it.
#[tokio::test]
async fn old_or_read_only_pending_launches_wait_for_the_user_at_start_up() {
    let s = sim().await;
    let (zone, t, img) = pick(&s, ChargeType::PostpaidByHour).await;
    let spec = base_spec(&zone, &t.instance_type, &img);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("launches.json");
    // The request never reaches the emulator: an entry stays pending, nothing bought.
    s.sim.set_faults(
        &"rate=1,kinds=reset,actions=RunInstances,seed=1"
            .parse()
            .unwrap(),
    );
    let journal = Journal::open(path.clone());
    let out = launch::submit_checked(&s.client, &journal, "p1", &spec)
        .await
        .unwrap();
    assert_eq!(out.status, LaunchStatus::Unknown, "{out:?}");
    let before = count_in(&s);
    drop(journal);
    s.sim.set_faults(&cvm_sim::FaultSpec::default());

    let now = launch::unix_now();
    let journal = Journal::open(path.clone());
    // Young, but the profile is read-only (or gone): not re-sent.
    assert!(launch::claim_auto_resume(&journal, now, |_| false).is_empty());
    // Writable, but an hour old: not re-sent either.
    assert!(launch::claim_auto_resume(&journal, now + 3_600, |_| true).is_empty());
    let client = s.client.clone();
    let resumed = launch::resume_pending(
        &journal,
        launch::claim_auto_resume(&journal, now + 3_600, |_| true),
        |_| {
            let c = client.clone();
            async move { Some(c) }
        },
    )
    .await;
    assert!(resumed.is_empty());
    assert_eq!(count_in(&s), before, "nothing was sent");
    let r = journal.records(now + 3_600);
    assert!(r[0].needs_decision);
    assert!(r[0].age_seconds >= 3_600.0);
    // Young and writable: claimed (not offered to the user meanwhile), then re-sent.
    let claimed = launch::claim_auto_resume(&journal, now, |_| true);
    assert_eq!(claimed.len(), 1);
    assert!(!journal.records(now)[0].needs_decision);
    let resumed = launch::resume_pending(&journal, claimed, |_| {
        let c = client.clone();
        async move { Some(c) }
    })
    .await;
    assert_eq!(resumed[0].status, LaunchStatus::Created);
    assert_eq!(count_in(&s), before + spec.count as usize);
    assert!(!journal.records(now)[0].needs_decision);
    s.sim.shutdown().await.unwrap();
}

/// A dropped launch is settled: a retry refuses and sends nothing.
#[tokio::test]
async fn a_dropped_launch_is_never_sent_again() {
    let s = sim().await;
    let (zone, t, img) = pick(&s, ChargeType::PostpaidByHour).await;
    let spec = base_spec(&zone, &t.instance_type, &img);
    let dir = tempfile::tempdir().unwrap();
    s.sim.set_faults(
        &"rate=1,kinds=reset,actions=RunInstances,seed=1"
            .parse()
            .unwrap(),
    );
    let journal = Journal::open(dir.path().join("launches.json"));
    let out = launch::submit_checked(&s.client, &journal, "p1", &spec)
        .await
        .unwrap();
    s.sim.set_faults(&cvm_sim::FaultSpec::default());
    let before = count_in(&s);
    journal.drop_pending(&out.token).unwrap();
    let e = launch::retry(&s.client, &journal, &out.token)
        .await
        .unwrap_err();
    assert_eq!(e.code, crate::error::AppCode::LaunchDropped.as_str());
    assert_eq!(count_in(&s), before);
    s.sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn nothing_is_sent_when_the_journal_cannot_be_written() {
    let s = sim().await;
    let (zone, t, img) = pick(&s, ChargeType::PostpaidByHour).await;
    let spec = base_spec(&zone, &t.instance_type, &img);
    let dir = tempfile::tempdir().unwrap();
    // The journal's directory is a file: it cannot be created.
    let blocker = dir.path().join("blocker");
    std::fs::write(&blocker, b"").unwrap();
    let journal = Journal::open(blocker.join("launches.json"));
    let before = count_in(&s);
    let e = launch::submit_checked(&s.client, &journal, "p1", &spec)
        .await
        .unwrap_err();
    assert_eq!(e.code, crate::error::AppCode::Journal.as_str());
    assert_eq!(count_in(&s), before);
    s.sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn billing_changes_are_priced_first() {
    let s = sim().await;
    let (zone, t, img) = pick(&s, ChargeType::PostpaidByHour).await;
    let mut spec = base_spec(&zone, &t.instance_type, &img);
    spec.count = 1;
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path().join("launches.json"));
    let out = launch::submit(&s.client, &journal, "p1", &spec, 60)
        .await
        .unwrap();
    s.sim.advance_clock(std::time::Duration::from_secs(120));
    let ids = out.instance_ids.clone();

    let q = billing::quote_to_prepaid(&s.client, REGION, &ids, 1)
        .await
        .unwrap();
    assert!(q.discount_price > 0.0);
    let e = billing::to_prepaid(
        &s.client,
        REGION,
        &ids,
        1,
        RenewFlag::NotifyAndManualRenew,
        q.discount_price + 1.0,
    )
    .await
    .unwrap_err();
    assert_eq!(e.code, crate::error::AppCode::PriceChanged.as_str());
    let r = billing::to_prepaid(
        &s.client,
        REGION,
        &ids,
        1,
        RenewFlag::NotifyAndManualRenew,
        q.discount_price,
    )
    .await
    .unwrap();
    assert_eq!(r.succeeded, 1, "{r:?}");
    s.sim.advance_clock(std::time::Duration::from_secs(120));

    let q = billing::quote_renew(&s.client, REGION, &ids, 2)
        .await
        .unwrap();
    assert!(q.discount_price > 0.0);
    let r = billing::renew(&s.client, REGION, &ids, 2, q.discount_price)
        .await
        .unwrap();
    assert_eq!(r.succeeded, 1, "{r:?}");
    s.sim.advance_clock(std::time::Duration::from_secs(120));
    let r = billing::set_renew_flag(&s.client, REGION, &ids, RenewFlag::NotifyAndAutoRenew)
        .await
        .unwrap();
    assert_eq!(r.succeeded, 1, "{r:?}");
    s.sim.shutdown().await.unwrap();
}

// ---------------------------------------------------------------- templates, buy-the-same, cost

fn mock_vault() -> crate::secrets::Vault {
    let store: std::sync::Arc<keyring_core::CredentialStore> =
        keyring_core::mock::Store::new().unwrap();
    crate::secrets::Vault::with_store(store, "wizard-test")
}

/// A launch resumed after a restart re-sends its password from the keyring (never from the
/// journal file, which must not contain it), and the keyring entry goes once it resolves.
#[tokio::test]
async fn a_resumed_launch_resends_its_password_from_the_keyring_never_from_disk() {
    let s = sim().await;
    let (zone, t, img) = pick(&s, ChargeType::PostpaidByHour).await;
    let mut spec = base_spec(&zone, &t.instance_type, &img);
    spec.count = 2;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("launches.json");
    let vault = mock_vault();
    let before = count_in(&s);
    s.sim.set_faults(
        &"rate=1,kinds=lost-response,actions=RunInstances,seed=1"
            .parse()
            .unwrap(),
    );
    let journal = Journal::open_with_vault(path.clone(), vault.clone());
    let out = launch::submit_checked(&s.client, &journal, "p1", &spec)
        .await
        .unwrap();
    assert_eq!(out.status, LaunchStatus::Unknown);
    let file = std::fs::read_to_string(&path).unwrap();
    assert!(!file.contains("Wizard-Pass-2026"), "{file}");
    assert!(!file.contains("\"Password\""), "{file}");
    let account = format!("launch-password:{}", out.token);
    assert!(
        vault.get(&account).unwrap().is_some(),
        "kept in the keyring"
    );
    drop(journal);

    // Restart: a new journal (nothing in memory) finds the password in the keyring.
    s.sim.set_faults(&cvm_sim::FaultSpec::default());
    let journal = Journal::open_with_vault(path.clone(), vault.clone());
    assert_eq!(
        journal.password(&out.token).unwrap().expose(),
        "Wizard-Pass-2026"
    );
    let r = launch::retry(&s.client, &journal, &out.token)
        .await
        .unwrap();
    assert_eq!(r.status, LaunchStatus::Created);
    assert!(!r.password_not_resent, "the password was re-sent");
    assert_eq!(r.instance_ids.len(), 2);
    assert_eq!(count_in(&s), before + 2, "no second purchase");
    assert!(vault.get(&account).unwrap().is_none(), "deleted on resolve");
    let file = std::fs::read_to_string(&path).unwrap();
    assert!(!file.contains("Wizard-Pass-2026"));
    s.sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn templates_save_list_open_and_delete_without_the_password() {
    use super::templates;
    let s = sim().await;
    let (zone, t, img) = pick(&s, ChargeType::PostpaidByHour).await;
    let mut spec = base_spec(&zone, &t.instance_type, &img);
    spec.data_disks = vec![DataDiskSpec {
        disk_type: "CLOUD_SSD".into(),
        size_gib: 100,
        delete_with_instance: true,
    }];
    // Bad names are refused before anything is sent.
    let e = templates::save(&s.client, &spec, "x", "", 60)
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("templateName"));
    assert!(templates::list(&s.client, REGION).await.unwrap().is_empty());
    let mut bad = spec.clone();
    bad.system_disk.size_gib = 5;
    let e = templates::save(&s.client, &bad, "web", "", 60)
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("systemDisk.sizeGib"));

    let id = templates::save(&s.client, &spec, "web tier", "v1", 60)
        .await
        .unwrap();
    assert!(id.starts_with("lt-"));
    let listed = templates::list(&s.client, REGION).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name, "web tier");
    assert_eq!(listed[0].default_version, 1);
    let d = templates::draft(&s.client, REGION, &id, None)
        .await
        .unwrap();
    assert_eq!(d.zone, zone);
    assert_eq!(d.instance_type, t.instance_type);
    assert_eq!(d.image_id, img);
    assert_eq!(d.system_disk, spec.system_disk);
    assert_eq!(d.data_disks, spec.data_disks);
    assert_eq!(d.count, 2);
    assert_eq!(d.name, "web-{R:1}");
    assert_eq!(d.tags, spec.tags);
    assert_eq!(d.login_kind, "password");
    assert!(d.notes.contains(&"passwordNotCopied".to_owned()));
    let e = templates::draft(&s.client, REGION, &id, Some(4))
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("templateId"));
    let e = templates::draft(&s.client, REGION, "lt-1", None)
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("templateId"));
    templates::delete(&s.client, REGION, &id).await.unwrap();
    assert!(templates::list(&s.client, REGION).await.unwrap().is_empty());
    s.sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn buy_the_same_copies_an_instance_and_the_cost_view_adds_up() {
    use super::{cost, draft};
    let s = sim().await;
    let (zone, t, img) = pick(&s, ChargeType::PostpaidByHour).await;
    let mut spec = base_spec(&zone, &t.instance_type, &img);
    spec.count = 1;
    spec.data_disks = vec![DataDiskSpec {
        disk_type: "CLOUD_PREMIUM".into(),
        size_gib: 50,
        delete_with_instance: false,
    }];
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path().join("launches.json"));
    let before = cost::region_cost(&s.client, "t", REGION).await.unwrap();
    let out = launch::submit(&s.client, &journal, "p1", &spec, 60)
        .await
        .unwrap();
    let id = out.instance_ids[0].clone();
    s.sim.advance_clock(std::time::Duration::from_secs(120));

    let d = draft::same_as(&s.client, REGION, &id).await.unwrap();
    assert_eq!(d.zone, zone);
    assert_eq!(d.instance_type, t.instance_type);
    assert_eq!(d.image_id, img);
    assert_eq!(d.billing, Billing::PostpaidByHour);
    assert_eq!(d.system_disk, spec.system_disk);
    assert_eq!(d.data_disks, spec.data_disks);
    assert!(!d.vpc_id.is_empty() && !d.subnet_id.is_empty());
    assert!(!d.security_group_ids.is_empty());
    assert_eq!(d.count, 1);
    assert_eq!(d.tags, spec.tags);
    assert_eq!(d.login_kind, "password");
    let e = draft::same_as(&s.client, REGION, "ins-zzzzzzzz")
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("instanceId"));

    // The new instance adds its catalog price per hour (and 730 times that a month).
    let after = cost::region_cost(&s.client, "t", REGION).await.unwrap();
    let line = |c: &cost::RegionCost| {
        c.lines
            .iter()
            .find(|l| l.charge_type == "POSTPAID_BY_HOUR")
            .cloned()
            .unwrap_or_default()
    };
    let (b, a) = (line(&before), line(&after));
    assert_eq!(a.instances, b.instances + 1);
    assert!(
        ((a.hourly - b.hourly) - t.price).abs() < 0.011,
        "{a:?} {b:?} {}",
        t.price
    );
    assert!(((a.monthly - b.monthly) - t.price * 730.0).abs() < 1.0);
    assert_eq!(cost::rate(ChargeType::Prepaid, 73.0, "MONTH"), (0.1, 73.0));
    let all = cost::estimate(
        &s.client,
        "t",
        &[REGION.to_owned(), "ap-beijing".to_owned()],
    )
    .await
    .unwrap();
    assert_eq!(all.regions.len(), 2);
    assert!((all.hourly - (after.hourly + all.regions[1].hourly)).abs() < 0.02);
    let e = cost::estimate(&s.client, "t", &[]).await.unwrap_err();
    assert_eq!(e.field.as_deref(), Some("regions"));
    s.sim.shutdown().await.unwrap();
}

#[test]
fn stopped_instances_in_stop_charging_mode_cost_nothing() {
    use super::cost::charged;
    let i = |state: &str, charge: &str, mode: Option<&str>| cvm::Instance {
        instance_state: Some(state.into()),
        instance_charge_type: Some(charge.into()),
        stop_charging_mode: mode.map(str::to_owned),
        ..Default::default()
    };
    assert!(charged(&i("RUNNING", "POSTPAID_BY_HOUR", None)));
    assert!(!charged(&i(
        "STOPPED",
        "POSTPAID_BY_HOUR",
        Some("STOP_CHARGING")
    )));
    assert!(charged(&i(
        "STOPPED",
        "POSTPAID_BY_HOUR",
        Some("KEEP_CHARGING")
    )));
    assert!(charged(&i("STOPPED", "PREPAID", Some("STOP_CHARGING"))));
    assert!(!charged(&i("LAUNCH_FAILED", "SPOTPAID", None)));
    assert!(!charged(&i("SHUTDOWN", "PREPAID", None)));
}

#[tokio::test]
async fn a_launch_is_sent_only_at_the_accepted_price() {
    let s = sim().await;
    let (zone, t, img) = pick(&s, ChargeType::PostpaidByHour).await;
    let spec = base_spec(&zone, &t.instance_type, &img);
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path().join("launches.json"));
    let before = count_in(&s);
    let quoted = launch::price(&s.client, &spec).await.unwrap();
    assert!(quoted.total_now > 0.0, "{quoted:?}");

    // A price other than the fresh quote: refused with the new price, nothing bought.
    let e = launch::submit_at_price(&s.client, &journal, "p1", &spec, 60, quoted.total_now / 2.0)
        .await
        .unwrap_err();
    assert_eq!(e.code, crate::error::AppCode::PriceChanged.as_str());
    assert_eq!(e.field.as_deref(), Some("acceptedPrice"));
    assert!(
        e.message.contains(&format!("{:.2}", quoted.total_now)),
        "{}",
        e.message
    );
    assert_eq!(count_in(&s), before, "nothing was created");
    assert!(journal.all().is_empty(), "nothing was journalled");

    // Not a number: refused naming the field.
    let e = launch::submit_at_price(&s.client, &journal, "p1", &spec, 60, f64::NAN)
        .await
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("acceptedPrice"));
    assert_eq!(count_in(&s), before);

    // The accepted price: bought.
    let out = launch::submit_at_price(&s.client, &journal, "p1", &spec, 60, quoted.total_now)
        .await
        .unwrap();
    assert_eq!(out.status, LaunchStatus::Created);
    assert_eq!(count_in(&s), before + 2);
    s.sim.shutdown().await.unwrap();
}
