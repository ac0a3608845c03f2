//! The resource logic against a real cvm-sim started in-process (transitions immediate).
//! Each refusal of bad input is checked to name the field and to send no mutation.

use super::addresses::{self, AllocateInput};
use super::images::{self, ImageFilter, ImageType};
use super::key_pairs;
use super::resize::{self, StopPlan, StopWait};
use super::security_groups;
use crate::console::instances::describe_ids;
use crate::error::AppCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tencent_api::{Client, Credentials, Endpoint};

const REGION: &str = "ap-guangzhou";

struct Sim {
    sim: cvm_sim::SimHandle,
    client: Client,
    calls: Arc<Mutex<Vec<String>>>,
}

impl Sim {
    fn sent(&self, action: &str) -> usize {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .filter(|a| *a == action)
            .count()
    }
    fn first(&self, state: &str) -> String {
        self.sim
            .instances(cvm_sim::DEFAULT_ACCOUNT, REGION)
            .into_iter()
            .find(|(_, s)| s == state)
            .unwrap_or_else(|| panic!("no {state} instance"))
            .0
    }
}

async fn sim() -> Sim {
    let sim = cvm_sim::start(cvm_sim::Config {
        preload: 24,
        time_scale: 0.0,
        seed: 7,
        ..Default::default()
    })
    .await
    .unwrap();
    let calls = Arc::new(Mutex::new(Vec::new()));
    let c = calls.clone();
    let client = Client::builder(Credentials::new(
        cvm_sim::DEFAULT_SECRET_ID,
        cvm_sim::DEFAULT_SECRET_KEY,
    ))
    .endpoint(Endpoint::Custom(sim.base_url()))
    .on_call(move |r| c.lock().unwrap().push(r.action.to_owned()))
    .build()
    .unwrap();
    Sim { sim, client, calls }
}

fn field(e: &crate::error::AppError) -> &str {
    e.field.as_deref().unwrap_or("")
}

const QUICK: StopWait = StopWait {
    interval: Duration::from_millis(10),
    max: Duration::from_secs(5),
};

#[test]
fn key_names_and_public_keys_are_checked_locally() {
    assert!(key_pairs::validate_key_name("deploy_2026").is_ok());
    let e = key_pairs::validate_key_name(&"a".repeat(26)).unwrap_err();
    assert_eq!(field(&e), "keyName");
    assert!(e.message.contains("25"));
    assert_eq!(
        field(&key_pairs::validate_key_name("my-key").unwrap_err()),
        "keyName"
    );
    assert_eq!(
        field(&key_pairs::validate_key_name("").unwrap_err()),
        "keyName"
    );

    let ed =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ1Fh2s0M3Rk1n8Vb4pGQyqf5n0l8h3V7u2m9cX2H0aZ me@host";
    assert!(key_pairs::validate_public_key(ed).is_ok());
    for bad in [
        "",
        "ssh-ed25519",
        "ssh-dss AAAAB3NzaC1kc3MAAACBAP",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ1Fh2s0", // too short
        "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIJ1Fh2s0M3Rk1n8Vb4pGQyqf5n0l8h3V7u2m9cX2H0aZ", // blob of another type
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
    ] {
        let e = key_pairs::validate_public_key(bad).unwrap_err();
        assert_eq!(field(&e), "publicKey", "{bad:?}");
    }
    assert_eq!(
        field(&resize::validate_instance_type("S5 MEDIUM4").unwrap_err()),
        "instanceType"
    );
    assert!(resize::validate_instance_type("S5.MEDIUM4").is_ok());
}

#[test]
fn limits_per_charge_type() {
    assert_eq!(
        resize::bandwidth_limits("TRAFFIC_POSTPAID_BY_HOUR"),
        Some((1, 100))
    );
    assert_eq!(
        resize::bandwidth_limits("BANDWIDTH_PREPAID"),
        Some((1, 200))
    );
    assert_eq!(
        resize::bandwidth_limits("BANDWIDTH_POSTPAID_BY_MONTH"),
        None
    );
    let mut input = AllocateInput {
        internet_charge_type: "TRAFFIC_POSTPAID_BY_HOUR".into(),
        bandwidth_mbps: 101,
        name: None,
        client_token: None,
    };
    assert_eq!(
        field(&addresses::validate_allocate(&input).unwrap_err()),
        "bandwidth"
    );
    input.bandwidth_mbps = 0;
    assert_eq!(
        field(&addresses::validate_allocate(&input).unwrap_err()),
        "bandwidth"
    );
    input.bandwidth_mbps = 10;
    assert!(addresses::validate_allocate(&input).is_ok());
    input.internet_charge_type = "BANDWIDTH_PREPAID_BY_MONTH".into();
    assert_eq!(
        field(&addresses::validate_allocate(&input).unwrap_err()),
        "internetChargeType"
    );
}

#[tokio::test]
async fn resize_offers_sellable_types_prices_and_needs_a_stop() {
    let s = sim().await;
    let id = s.first("RUNNING");
    let opts = resize::resize_options(&s.client, REGION, &id)
        .await
        .unwrap();
    assert!(opts.needs_stop);
    assert!(
        !opts
            .targets
            .iter()
            .any(|t| t.instance_type == opts.current_type)
    );
    let target = opts
        .targets
        .iter()
        .find(|t| t.available)
        .expect("a sellable type")
        .instance_type
        .clone();

    // A type the zone does not sell: the field is named, nothing is sent.
    let e = resize::resize(
        &s.client,
        REGION,
        &id,
        "ZZ9.HUGE9",
        StopPlan::ForceStop,
        QUICK,
    )
    .await
    .unwrap_err();
    assert_eq!(field(&e), "instanceType");
    if let Some(sold_out) = opts.targets.iter().find(|t| !t.available) {
        let e = resize::resize(
            &s.client,
            REGION,
            &id,
            &sold_out.instance_type,
            StopPlan::ForceStop,
            QUICK,
        )
        .await
        .unwrap_err();
        assert_eq!(field(&e), "instanceType");
    }
    // Running, and no plan to stop it: refused before anything is sent.
    let e = resize::resize(&s.client, REGION, &id, &target, StopPlan::None, QUICK)
        .await
        .unwrap_err();
    assert_eq!(e.code, crate::error::AppCode::StopRequired.as_str());
    assert_eq!(s.sent("ResetInstancesType") + s.sent("StopInstances"), 0);

    let price = resize::resize_price(&s.client, REGION, &id, &target)
        .await
        .unwrap();
    assert!(price.unit_price.is_some() || price.discount_price.is_some());

    // Not the price the user accepted: refused with the new price, nothing sent.
    let e = resize::resize_at_price(
        &s.client,
        REGION,
        &id,
        &target,
        StopPlan::StopFirst,
        QUICK,
        price.charged() + 1.0,
    )
    .await
    .unwrap_err();
    assert_eq!(e.code, crate::error::AppCode::PriceChanged.as_str());
    assert_eq!(field(&e), "acceptedPrice");
    assert_eq!(s.sent("ResetInstancesType") + s.sent("StopInstances"), 0);

    resize::resize_at_price(
        &s.client,
        REGION,
        &id,
        &target,
        StopPlan::StopFirst,
        QUICK,
        price.charged(),
    )
    .await
    .unwrap();
    assert_eq!(s.sent("StopInstances"), 1);
    assert_eq!(s.sent("ResetInstancesType"), 1);
    let after = describe_ids(&s.client, REGION, std::slice::from_ref(&id))
        .await
        .unwrap();
    assert_eq!(after[0].instance_type.as_deref(), Some(target.as_str()));
}

#[tokio::test]
async fn resize_with_force_stop_sends_force_stop() {
    let s = sim().await;
    let id = s.first("RUNNING");
    let opts = resize::resize_options(&s.client, REGION, &id)
        .await
        .unwrap();
    let target = opts.targets.iter().find(|t| t.available).unwrap();
    resize::resize(
        &s.client,
        REGION,
        &id,
        &target.instance_type,
        StopPlan::ForceStop,
        QUICK,
    )
    .await
    .unwrap();
    assert_eq!(s.sent("StopInstances"), 0);
    assert_eq!(s.sent("ResetInstancesType"), 1);
}

#[tokio::test]
async fn bandwidth_range_price_and_change() {
    let s = sim().await;
    let mut found = None;
    for (id, state) in s.sim.instances(cvm_sim::DEFAULT_ACCOUNT, REGION) {
        if state != "RUNNING" {
            continue;
        }
        let o = resize::bandwidth_options(&s.client, REGION, &id)
            .await
            .unwrap();
        if o.unsupported.is_none() && !o.prepaid {
            found = Some(o);
            break;
        }
    }
    let o = found.expect("an instance with a public IP");
    let e = resize::change_bandwidth(&s.client, REGION, &o.instance_id, o.max_mbps + 1)
        .await
        .unwrap_err();
    assert_eq!(field(&e), "bandwidth");
    let e = resize::change_bandwidth(&s.client, REGION, &o.instance_id, 0)
        .await
        .unwrap_err();
    assert_eq!(field(&e), "bandwidth");
    assert_eq!(s.sent("ResetInstancesInternetMaxBandwidth"), 0);

    let new = if o.current_mbps == 2 { 3 } else { 2 };
    let p = resize::bandwidth_price(&s.client, REGION, &o.instance_id, new)
        .await
        .unwrap();
    assert!(p.unit_price.is_some() || p.discount_price.is_some());
    let e = resize::change_bandwidth_at_price(
        &s.client,
        REGION,
        &o.instance_id,
        new,
        p.charged() + 0.5,
    )
    .await
    .unwrap_err();
    assert_eq!(e.code, crate::error::AppCode::PriceChanged.as_str());
    assert_eq!(s.sent("ResetInstancesInternetMaxBandwidth"), 0);
    resize::change_bandwidth_at_price(&s.client, REGION, &o.instance_id, new, p.charged())
        .await
        .unwrap();
    let after = resize::bandwidth_options(&s.client, REGION, &o.instance_id)
        .await
        .unwrap();
    assert_eq!(after.current_mbps, new);
}

#[tokio::test]
async fn security_groups_rules_bind_and_unbind() {
    let s = sim().await;
    let groups = security_groups::list_security_groups(&s.client, REGION)
        .await
        .unwrap();
    assert!(!groups.is_empty());
    let first = &groups[0];
    let detail = security_groups::security_group_detail(&s.client, REGION, &first.id)
        .await
        .unwrap();
    assert!(!detail.ingress.is_empty() || !detail.egress.is_empty());
    let bound = detail
        .instances
        .first()
        .expect("an instance in the group")
        .clone();

    // cvm-sim has one group per region (and no CreateSecurityGroup), so an instance's
    // only group is the one to test with: binding it again is accepted, taking it away
    // is refused locally, before ModifyInstancesAttribute is sent.
    assert_eq!(bound.security_group_ids, vec![first.id.clone()]);
    let r = security_groups::bind(
        &s.client,
        REGION,
        &first.id,
        std::slice::from_ref(&bound.id),
    )
    .await
    .unwrap();
    assert_eq!(r.succeeded, 1);
    assert_eq!(s.sent("AssociateSecurityGroups"), 1);
    let r = security_groups::unbind(
        &s.client,
        REGION,
        &first.id,
        std::slice::from_ref(&bound.id),
    )
    .await
    .unwrap();
    assert_eq!(r.failed, 1);
    assert_eq!(
        r.results[0].error.as_ref().unwrap().code,
        crate::error::AppCode::LastSecurityGroup.as_str()
    );
    assert_eq!(s.sent("ModifyInstancesAttribute"), 0);
    let e = security_groups::bind(&s.client, REGION, "sg-bad", std::slice::from_ref(&bound.id))
        .await
        .unwrap_err();
    assert_eq!(field(&e), "securityGroupId");
}

#[tokio::test]
async fn eip_allocate_is_idempotent_then_associate_disassociate_release() {
    let s = sim().await;
    let input = AllocateInput {
        internet_charge_type: "TRAFFIC_POSTPAID_BY_HOUR".into(),
        bandwidth_mbps: 5,
        name: Some("web".into()),
        client_token: Some("e2e-token-1".into()),
    };
    let a = addresses::allocate(&s.client, REGION, &input)
        .await
        .unwrap();
    let b = addresses::allocate(&s.client, REGION, &input)
        .await
        .unwrap();
    assert_eq!(a, b, "the same ClientToken allocates once");
    let eip = a[0].clone();
    let list = addresses::list_addresses(&s.client, REGION).await.unwrap();
    assert_eq!(list.iter().filter(|x| x.name == "web").count(), 1);

    let running = s.first("RUNNING");
    addresses::associate(&s.client, REGION, &eip, &running)
        .await
        .unwrap();
    let sent = s.sent("AssociateAddress");
    // Already bound: the field is named and nothing is sent.
    let e = addresses::associate(&s.client, REGION, &eip, &running)
        .await
        .unwrap_err();
    assert_eq!(field(&e), "addressId");
    assert!(e.message.contains(&running));
    assert_eq!(s.sent("AssociateAddress"), sent);

    // Bound EIPs are not released.
    let e = addresses::release(&s.client, REGION, &eip, &eip)
        .await
        .unwrap_err();
    assert_eq!(e.code, crate::error::AppCode::AddressBound.as_str());
    addresses::disassociate(&s.client, REGION, &eip)
        .await
        .unwrap();
    // The confirmation must name it.
    let e = addresses::release(&s.client, REGION, &eip, "yes")
        .await
        .unwrap_err();
    assert_eq!(field(&e), "confirm");
    assert_eq!(s.sent("ReleaseAddresses"), 0);
    addresses::release(&s.client, REGION, &eip, &eip)
        .await
        .unwrap();
    let list = addresses::list_addresses(&s.client, REGION).await.unwrap();
    assert!(!list.iter().any(|x| x.id == eip));
}

#[tokio::test]
async fn key_pairs_create_saves_once_import_and_delete() {
    let s = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("laptop.pem");
    let created = key_pairs::create(&s.client, REGION, "laptop", |k| {
        key_pairs::write_private_key(&path, k)
    })
    .await
    .unwrap();
    let pem = std::fs::read_to_string(&path).unwrap();
    assert!(pem.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // The view that crosses IPC carries no private key.
    let json = serde_json::to_string(&created).unwrap();
    assert!(!json.contains("PRIVATE KEY"));
    let list = key_pairs::list_key_pairs(&s.client, REGION).await.unwrap();
    assert!(list.iter().any(|k| k.id == created.key_pair.id));

    // When the key cannot be saved, the pair is deleted again.
    let e = key_pairs::create(&s.client, REGION, "lost", |_| {
        Err(crate::error::AppError::internal(
            AppCode::KeySaveFailed,
            "disk full",
        ))
    })
    .await
    .unwrap_err();
    assert_eq!(e.code, crate::error::AppCode::KeySaveFailed.as_str());
    let list = key_pairs::list_key_pairs(&s.client, REGION).await.unwrap();
    assert!(!list.iter().any(|k| k.name == "lost"));

    // Bad names never reach the API.
    let before = s.sent("CreateKeyPair");
    let e = key_pairs::create(&s.client, REGION, "name-with-dash", |_| Ok(String::new()))
        .await
        .unwrap_err();
    assert_eq!(field(&e), "keyName");
    assert_eq!(s.sent("CreateKeyPair"), before);

    let ed =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ1Fh2s0M3Rk1n8Vb4pGQyqf5n0l8h3V7u2m9cX2H0aZ me@host";
    let imported = key_pairs::import(&s.client, REGION, "imported_ed", ed)
        .await
        .unwrap();
    let e = key_pairs::import(&s.client, REGION, "x", "ssh-rsa nope")
        .await
        .unwrap_err();
    assert_eq!(field(&e), "publicKey");
    assert_eq!(s.sent("ImportKeyPair"), 1);

    // A key in use is refused with the instances named; an unused one is deleted.
    let in_use = list
        .iter()
        .find(|k| !k.associated_instance_ids.is_empty())
        .expect("a preloaded key in use");
    let e = key_pairs::delete(&s.client, REGION, &in_use.id, &in_use.name)
        .await
        .unwrap_err();
    assert_eq!(e.code, crate::error::AppCode::KeyPairInUse.as_str());
    assert!(e.message.contains(&in_use.associated_instance_ids[0]));
    let e = key_pairs::delete(&s.client, REGION, &imported, "wrong")
        .await
        .unwrap_err();
    assert_eq!(field(&e), "confirm");
    assert_eq!(s.sent("DeleteKeyPairs"), 1); // only the cleanup of "lost"
    key_pairs::delete(&s.client, REGION, &imported, "imported_ed")
        .await
        .unwrap();
    let list = key_pairs::list_key_pairs(&s.client, REGION).await.unwrap();
    assert!(!list.iter().any(|k| k.id == imported));
}

#[tokio::test]
async fn images_by_type_and_filters() {
    let s = sim().await;
    let all = images::list_images(
        &s.client,
        REGION,
        &ImageFilter {
            image_type: ImageType::PublicImage,
            name: None,
            platform: None,
        },
    )
    .await
    .unwrap();
    assert!(all.len() > 3);
    assert!(all.iter().all(|i| i.image_type == "PUBLIC_IMAGE"));
    let ubuntu = images::list_images(
        &s.client,
        REGION,
        &ImageFilter {
            image_type: ImageType::PublicImage,
            name: None,
            platform: Some("ubuntu".into()),
        },
    )
    .await
    .unwrap();
    assert!(!ubuntu.is_empty() && ubuntu.len() < all.len());
    assert!(
        ubuntu
            .iter()
            .all(|i| i.platform.to_lowercase().contains("ubuntu"))
    );
    let private = images::list_images(
        &s.client,
        REGION,
        &ImageFilter {
            image_type: ImageType::PrivateImage,
            name: None,
            platform: None,
        },
    )
    .await
    .unwrap();
    assert!(private.is_empty());
}

/// The first instance of the region that `pick` accepts.
async fn find_instance(
    s: &Sim,
    pick: impl Fn(&tencent_api::models::cvm::Instance) -> bool,
) -> Option<String> {
    let ids: Vec<String> = s
        .sim
        .instances(cvm_sim::DEFAULT_ACCOUNT, REGION)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    describe_ids(&s.client, REGION, &ids)
        .await
        .unwrap()
        .into_iter()
        .find(|i| pick(i))
        .and_then(|i| i.instance_id)
}

/// A running (or stopped) instance whose OS is (or is not) Windows.
async fn instance_where(s: &Sim, state: &str, windows: bool) -> String {
    find_instance(s, |i| {
        i.instance_state.as_deref() == Some(state)
            && i.os_name
                .as_deref()
                .is_some_and(|o| o.contains("Windows") == windows)
    })
    .await
    .unwrap_or_else(|| panic!("no {state} instance with windows={windows}"))
}

async fn key_ids_of(s: &Sim, id: &str) -> Vec<String> {
    describe_ids(&s.client, REGION, &[id.to_owned()])
        .await
        .unwrap()[0]
        .login_settings
        .clone()
        .and_then(|l| l.key_ids)
        .unwrap_or_default()
}

#[tokio::test]
async fn key_pairs_bind_and_unbind_stop_first_or_forced() {
    let s = sim().await;
    let rsa = format!(
        "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ{} me@host",
        "C".repeat(202)
    );
    let key = key_pairs::import(&s.client, REGION, "deploy", &rsa)
        .await
        .unwrap();
    let linux = instance_where(&s, "RUNNING", false).await;
    let ids = vec![linux.clone()];

    // A running instance without force is refused here, naming forceStop; nothing is sent.
    let e = key_pairs::bind(&s.client, REGION, &key, &ids, false, true)
        .await
        .unwrap_err();
    assert_eq!(field(&e), "forceStop");
    assert_eq!(e.code, "UnsupportedOperation.InstanceStateRunning");
    // Bad ids are refused before anything is read.
    let e = key_pairs::bind(&s.client, REGION, "skey-1", &ids, true, true)
        .await
        .unwrap_err();
    assert_eq!(field(&e), "keyId");
    let e = key_pairs::bind(&s.client, REGION, &key, &[], true, true)
        .await
        .unwrap_err();
    assert_eq!(field(&e), "instanceIds");
    assert_eq!(s.sent("AssociateInstancesKeyPairs"), 0);

    // Windows instances take no key pairs (the preloaded fleet has some).
    let win = find_instance(&s, |i| {
        i.os_name.as_deref().is_some_and(|o| o.contains("Windows"))
            && matches!(i.instance_state.as_deref(), Some("RUNNING" | "STOPPED"))
    })
    .await
    .expect("a Windows instance");
    let e = key_pairs::bind(&s.client, REGION, &key, &[win], true, true)
        .await
        .unwrap_err();
    assert_eq!(e.code, "UnsupportedOperation.KeyPairUnsupportedWindows");
    assert_eq!(field(&e), "instanceIds");
    assert_eq!(s.sent("AssociateInstancesKeyPairs"), 0);

    // Forced: bound, and the key now lists the instance; deleting it is refused.
    key_pairs::bind(&s.client, REGION, &key, &ids, true, true)
        .await
        .unwrap();
    assert!(key_ids_of(&s, &linux).await.contains(&key));
    let listed = key_pairs::list_key_pairs(&s.client, REGION).await.unwrap();
    let k = listed.iter().find(|k| k.id == key).unwrap();
    assert_eq!(k.associated_instance_ids, ids);
    let e = key_pairs::delete(&s.client, REGION, &key, "deploy")
        .await
        .unwrap_err();
    assert_eq!(e.code, crate::error::AppCode::KeyPairInUse.as_str());

    // The API holds the same rule: sent straight, without ForceStop, it is refused.
    let e = s
        .client
        .disassociate_instances_key_pairs(
            REGION,
            &tencent_api::models::resources::DisassociateInstancesKeyPairsRequest {
                instance_ids: Some(ids.clone()),
                key_ids: Some(vec![key.clone()]),
                force_stop: Some(false),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "UnsupportedOperation.InstanceStateRunning");
    key_pairs::bind(&s.client, REGION, &key, &ids, true, false)
        .await
        .unwrap();
    assert!(!key_ids_of(&s, &linux).await.contains(&key));
    key_pairs::delete(&s.client, REGION, &key, "deploy")
        .await
        .unwrap();
}

#[tokio::test]
async fn images_create_from_instance_and_delete() {
    let s = sim().await;
    let inst = instance_where(&s, "RUNNING", false).await;
    let input = |name: &str| images::CreateImageInput {
        instance_id: inst.clone(),
        image_name: name.to_owned(),
        description: "nightly".into(),
        force_poweroff: true,
    };
    for bad in ["", "has space", &"x".repeat(61), "semi;colon"] {
        let e = images::create_image(&s.client, REGION, &input(bad))
            .await
            .unwrap_err();
        assert_eq!(field(&e), "imageName", "{bad:?}");
    }
    assert_eq!(s.sent("CreateImage"), 0);
    let id = images::create_image(&s.client, REGION, &input("web-2026.11_base"))
        .await
        .unwrap();
    // ForcePoweroff: the running instance is shut down for a consistent image.
    let i = describe_ids(&s.client, REGION, std::slice::from_ref(&inst))
        .await
        .unwrap();
    assert!(matches!(
        i[0].instance_state.as_deref(),
        Some("STOPPING" | "STOPPED")
    ));
    let e = images::create_image(&s.client, REGION, &input("web-2026.11_base"))
        .await
        .unwrap_err();
    assert_eq!(e.code, "InvalidImageName.Duplicate");
    let private = images::list_images(
        &s.client,
        REGION,
        &ImageFilter {
            image_type: ImageType::PrivateImage,
            name: Some("web".into()),
            platform: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(private.len(), 1);
    assert_eq!(private[0].id, id);
    assert_eq!(private[0].source, "CREATE_IMAGE");
    let shared = images::list_images(
        &s.client,
        REGION,
        &ImageFilter {
            image_type: ImageType::SharedImage,
            name: None,
            platform: None,
        },
    )
    .await
    .unwrap();
    assert!(!shared.is_empty() && shared.iter().all(|i| i.image_type == "SHARED_IMAGE"));

    // Deleting: public and shared images are refused here, as is a wrong confirmation.
    let e = images::delete_image(&s.client, REGION, &shared[0].id, &shared[0].id)
        .await
        .unwrap_err();
    assert_eq!(e.code, "UnauthorizedOperation.ImageNotBelongToAccount");
    let e = images::delete_image(&s.client, REGION, &id, "nope")
        .await
        .unwrap_err();
    assert_eq!(field(&e), "confirm");
    let e = images::delete_image(&s.client, REGION, "img-1", "img-1")
        .await
        .unwrap_err();
    assert_eq!(field(&e), "imageId");
    assert_eq!(s.sent("DeleteImages"), 0);
    images::delete_image(&s.client, REGION, &id, "web-2026.11_base")
        .await
        .unwrap();
    let e = images::delete_image(&s.client, REGION, &id, &id)
        .await
        .unwrap_err();
    assert_eq!(e.code, "InvalidImageId.NotFound");
}

#[tokio::test]
async fn security_groups_create_add_rule_and_delete() {
    use security_groups::{Direction, NewRule};
    let s = sim().await;
    let e = security_groups::create(&s.client, REGION, " ", "x")
        .await
        .unwrap_err();
    assert_eq!(field(&e), "groupName");
    let e = security_groups::create(&s.client, REGION, "web", &"d".repeat(101))
        .await
        .unwrap_err();
    assert_eq!(field(&e), "groupDescription");
    assert_eq!(s.sent("CreateSecurityGroup"), 0);
    let g = security_groups::create(&s.client, REGION, "web", "public web tier")
        .await
        .unwrap();
    assert!(g.id.starts_with("sg-") && !g.is_default);
    let rule = |port: &str, protocol: &str, cidr: &str| NewRule {
        direction: Direction::Ingress,
        protocol: protocol.into(),
        port: port.into(),
        cidr: cidr.into(),
        action: "accept".into(),
        description: "https".into(),
    };
    for (r, f) in [
        (rule("70000", "TCP", "0.0.0.0/0"), "port"),
        (rule("22", "ALL", "0.0.0.0/0"), "port"),
        (rule("443", "SCTP", "0.0.0.0/0"), "protocol"),
        (rule("443", "TCP", "10.0.0.0/40"), "cidr"),
    ] {
        let e = security_groups::add_rule(&s.client, REGION, &g.id, &r)
            .await
            .unwrap_err();
        assert_eq!(field(&e), f);
    }
    assert_eq!(s.sent("CreateSecurityGroupPolicies"), 0);
    security_groups::add_rule(&s.client, REGION, &g.id, &rule("443", "tcp", "0.0.0.0/0"))
        .await
        .unwrap();
    let d = security_groups::security_group_detail(&s.client, REGION, &g.id)
        .await
        .unwrap();
    assert_eq!(d.ingress.len(), 1);
    assert_eq!(
        (d.ingress[0].protocol.as_str(), d.ingress[0].port.as_str()),
        ("TCP", "443")
    );
    let e = security_groups::add_rule(&s.client, REGION, &g.id, &rule("443", "TCP", "0.0.0.0/0"))
        .await
        .unwrap_err();
    assert_eq!(e.code, "UnsupportedOperation.DuplicatePolicy");

    let default = security_groups::list_security_groups(&s.client, REGION)
        .await
        .unwrap()
        .into_iter()
        .find(|g| g.is_default)
        .unwrap();
    let e = security_groups::delete(&s.client, REGION, &default.id, &default.id)
        .await
        .unwrap_err();
    assert_eq!(e.code, "UnsupportedOperation");
    let e = security_groups::delete(&s.client, REGION, &g.id, "other")
        .await
        .unwrap_err();
    assert_eq!(field(&e), "confirm");
    assert_eq!(s.sent("DeleteSecurityGroup"), 0);
    security_groups::delete(&s.client, REGION, &g.id, "web")
        .await
        .unwrap();
    let left = security_groups::list_security_groups(&s.client, REGION)
        .await
        .unwrap();
    assert!(!left.iter().any(|x| x.id == g.id));
}
