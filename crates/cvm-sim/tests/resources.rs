//! Images, key pair binding and security groups over loopback HTTP, with the clock
//! running: what is only visible while something is in progress (an image CREATING, an
//! instance forced off for a key change), launching from custom and shared images, and
//! the per-region quotas.

use cvm_sim::client::SimClient;
use cvm_sim::{Config, Credential, Quotas, RateLimit, SimHandle};
use serde_json::{Value, json};
use std::time::Duration;

/// Time scale 1 (realistic durations), moved on by `advance_clock` instead of waiting.
async fn sim(quotas: Quotas) -> (SimHandle, SimClient) {
    let sim = cvm_sim::start(Config {
        time_scale: 1.0,
        rate_limit: RateLimit::Off,
        quotas,
        ..Config::default()
    })
    .await
    .unwrap();
    let c = SimClient::new(sim.addr(), Credential::default(), "ap-guangzhou");
    (sim, c)
}

async fn running(sim: &SimHandle, c: &mut SimClient) -> String {
    let r = c
        .cvm(
            "RunInstances",
            json!({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": "img-487zeit5", "InstanceType": "S5.MEDIUM4"}),
        )
        .await
        .unwrap()
        .ok();
    let id = r["InstanceIdSet"][0].as_str().unwrap().to_owned();
    sim.advance_clock(Duration::from_secs(60));
    assert_eq!(instance(c, &id).await["InstanceState"], "RUNNING");
    id
}

async fn instance(c: &mut SimClient, id: &str) -> Value {
    c.cvm("DescribeInstances", json!({"InstanceIds": [id]}))
        .await
        .unwrap()
        .ok()["InstanceSet"][0]
        .clone()
}

async fn image(c: &mut SimClient, id: &str) -> Value {
    c.cvm("DescribeImages", json!({"ImageIds": [id]}))
        .await
        .unwrap()
        .ok()["ImageSet"][0]
        .clone()
}

#[tokio::test]
async fn an_image_is_creating_then_normal_and_the_quota_holds() {
    let (sim, mut c) = sim(Quotas {
        images_per_region: 1,
        ..Quotas::default()
    })
    .await;
    let ins = running(&sim, &mut c).await;
    // Without ForcePoweroff the image is taken live: the instance keeps running.
    let r = c
        .cvm(
            "CreateImage",
            json!({"InstanceId": ins, "ImageName": "live-image"}),
        )
        .await
        .unwrap()
        .ok();
    let img = r["ImageId"].as_str().unwrap().to_owned();
    assert_eq!(instance(&mut c, &ins).await["InstanceState"], "RUNNING");
    let i = image(&mut c, &img).await;
    assert_eq!(i["ImageState"], "CREATING");
    assert_eq!(i["ImageType"], "PRIVATE_IMAGE");
    assert_eq!(i["SyncPercent"], Value::Null);
    let e = c
        .cvm("DeleteImages", json!({"ImageIds": [img]}))
        .await
        .unwrap();
    assert_eq!(e.error_code(), Some("InvalidImageId.IncorrectState"));
    let e = c
        .cvm(
            "CreateImage",
            json!({"InstanceId": ins, "ImageName": "second"}),
        )
        .await
        .unwrap();
    assert_eq!(e.error_code(), Some("ImageQuotaLimitExceeded"));
    let launch = json!({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": img, "InstanceType": "S5.MEDIUM4"});
    let e = c.cvm("RunInstances", launch.clone()).await.unwrap();
    assert_eq!(
        e.error_code(),
        Some("InvalidParameterValue.InvalidImageState")
    );
    sim.advance_clock(Duration::from_secs(61));
    let i = image(&mut c, &img).await;
    assert_eq!(i["ImageState"], "NORMAL");
    assert_eq!(i["SyncPercent"], 100);
    // A NORMAL custom image launches instances that carry its id and OS, and may keep
    // the image's own login (refused for public images).
    let mut keep = launch.clone();
    keep["LoginSettings"] = json!({"KeepImageLogin": "true"});
    let mut public = keep.clone();
    public["ImageId"] = json!("img-487zeit5");
    let e = c.cvm("RunInstances", public).await.unwrap();
    assert_eq!(e.error_code(), Some("InvalidParameterValue"));
    let r = c.cvm("RunInstances", keep).await.unwrap().ok();
    let from_image = r["InstanceIdSet"][0].as_str().unwrap().to_owned();
    let got = instance(&mut c, &from_image).await;
    assert_eq!(got["ImageId"], img.as_str());
    assert_eq!(got["OsName"], "Ubuntu Server 22.04 LTS 64bit");
    // So does an image shared with the account.
    let shared = c
        .cvm(
            "DescribeImages",
            json!({"Filters": [{"Name": "image-type", "Values": ["SHARED_IMAGE"]}]}),
        )
        .await
        .unwrap()
        .ok()["ImageSet"][0]["ImageId"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = c
        .cvm(
            "RunInstances",
            json!({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": shared, "InstanceType": "S5.MEDIUM4"}),
        )
        .await
        .unwrap()
        .ok();
    let from_shared = r["InstanceIdSet"][0].as_str().unwrap().to_owned();
    assert_eq!(
        instance(&mut c, &from_shared).await["ImageId"],
        shared.as_str()
    );
    c.cvm("DeleteImages", json!({"ImageIds": [img]}))
        .await
        .unwrap()
        .ok();
    // Deleted, it launches nothing more (the instances made from it keep running).
    let e = c
        .cvm(
            "RunInstances",
            json!({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": img, "InstanceType": "S5.MEDIUM4"}),
        )
        .await
        .unwrap();
    assert_eq!(e.error_code(), Some("InvalidImageId.NotFound"));
    // With ForcePoweroff the running instance is stopped first and stays stopped.
    c.cvm(
        "CreateImage",
        json!({"InstanceId": ins, "ImageName": "cold-image", "ForcePoweroff": "true"}),
    )
    .await
    .unwrap()
    .ok();
    let i = instance(&mut c, &ins).await;
    assert_eq!(i["InstanceState"], "STOPPING");
    assert_eq!(i["LatestOperation"], "CreateImage");
    sim.advance_clock(Duration::from_secs(20));
    assert_eq!(instance(&mut c, &ins).await["InstanceState"], "STOPPED");
}

#[tokio::test]
async fn a_forced_key_change_stops_changes_and_starts_the_instance() {
    let (sim, mut c) = sim(Quotas::default()).await;
    let ins = running(&sim, &mut c).await;
    let key = c
        .cvm("CreateKeyPair", json!({"KeyName": "ops", "ProjectId": 0}))
        .await
        .unwrap()
        .ok()["KeyPair"]["KeyId"]
        .as_str()
        .unwrap()
        .to_owned();
    c.cvm(
        "AssociateInstancesKeyPairs",
        json!({"InstanceIds": [ins], "KeyIds": [key], "ForceStop": true}),
    )
    .await
    .unwrap()
    .ok();
    let i = instance(&mut c, &ins).await;
    assert_eq!(i["InstanceState"], "STOPPING");
    assert_eq!(i["LatestOperationState"], "OPERATING");
    assert_eq!(i["LoginSettings"]["KeyIds"], json!([key]));
    // While the change runs, another one is refused.
    let e = c
        .cvm(
            "DisassociateInstancesKeyPairs",
            json!({"InstanceIds": [ins], "KeyIds": [key], "ForceStop": true}),
        )
        .await
        .unwrap();
    assert!(
        e.error_code()
            .is_some_and(|c| c.starts_with("UnsupportedOperation.InstanceState")),
        "{:?}",
        e.error_code()
    );
    sim.advance_clock(Duration::from_secs(30));
    let i = instance(&mut c, &ins).await;
    assert_eq!(i["InstanceState"], "RUNNING");
    assert_eq!(i["LatestOperationState"], "SUCCESS");
    assert_eq!(i["LatestOperation"], "AssociateInstancesKeyPairs");
}

#[tokio::test]
async fn the_security_group_quota_counts_the_default_group() {
    let (_sim, mut c) = sim(Quotas {
        security_groups_per_region: 2,
        ..Quotas::default()
    })
    .await;
    c.vpc(
        "CreateSecurityGroup",
        json!({"GroupName": "one", "GroupDescription": ""}),
    )
    .await
    .unwrap()
    .ok();
    let e = c
        .vpc(
            "CreateSecurityGroup",
            json!({"GroupName": "two", "GroupDescription": ""}),
        )
        .await
        .unwrap();
    assert_eq!(e.error_code(), Some("LimitExceeded"));
}
