//! The Sandbox preset as the app uses it: a few dozen instances over at least three
//! regions in mixed states and billing models, surviving a restart through the state file.

use cvm_sim::client::SimClient;
use cvm_sim::{Config, Credential};
use serde_json::json;
use std::collections::BTreeSet;

#[tokio::test]
async fn sandbox_world_is_varied_and_survives_a_restart() {
    let dir = std::env::temp_dir().join(format!("cvm-sim-sandbox-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join("sandbox.json");
    let _ = std::fs::remove_file(&state);
    let credential = Credential::new("AKIDsandbox0000000000000000000000000", "sandbox-secret-key");
    let config = Config {
        time_scale: 0.0,
        ..Config::sandbox(credential.clone(), Some(state.clone()))
    };

    let sim = cvm_sim::start(config.clone()).await.unwrap();
    let mut regions_with_instances = 0;
    let (mut states, mut billing) = (BTreeSet::new(), BTreeSet::new());
    let mut total = 0;
    for region in [
        "ap-guangzhou",
        "ap-shanghai",
        "ap-beijing",
        "ap-singapore",
        "ap-hongkong",
        "na-siliconvalley",
    ] {
        let mut c = SimClient::new(sim.addr(), credential.clone(), region);
        let page = c
            .cvm("DescribeInstances", json!({"Limit": 100}))
            .await
            .unwrap()
            .ok();
        let n = page["TotalCount"].as_u64().unwrap();
        total += n;
        if n > 0 {
            regions_with_instances += 1;
        }
        for i in page["InstanceSet"].as_array().unwrap() {
            states.insert(i["InstanceState"].as_str().unwrap().to_owned());
            billing.insert(i["InstanceChargeType"].as_str().unwrap().to_owned());
        }
    }
    assert!(total >= 20, "{total}");
    assert!(regions_with_instances >= 3);
    assert!(states.len() >= 2, "{states:?}");
    assert!(
        billing.contains("PREPAID") && billing.contains("POSTPAID_BY_HOUR"),
        "{billing:?}"
    );

    let mut c = SimClient::new(sim.addr(), credential.clone(), "ap-guangzhou");
    let id = c
        .cvm("RunInstances", json!({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": "img-487zeit5", "InstanceName": "mine"}))
        .await
        .unwrap()
        .ok()["InstanceIdSet"][0]
        .as_str()
        .unwrap()
        .to_owned();
    sim.shutdown().await.unwrap();

    let sim = cvm_sim::start(config).await.unwrap();
    let mut c = SimClient::new(sim.addr(), credential, "ap-guangzhou");
    let page = c
        .cvm("DescribeInstances", json!({"InstanceIds": [id]}))
        .await
        .unwrap()
        .ok();
    assert_eq!(page["InstanceSet"][0]["InstanceName"], "mine");
    sim.shutdown().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
