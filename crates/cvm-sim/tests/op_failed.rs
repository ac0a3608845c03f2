//! The `op-failed` fault: requests are accepted, then the asynchronous operation fails
//! the way DescribeInstances reports it (LAUNCH_FAILED, LatestOperationState FAILED and
//! a LatestOperationErrorMsg), over loopback HTTP.

use cvm_sim::client::SimClient;
use cvm_sim::{Config, Credential, FaultSpec, RateLimit};
use serde_json::{Value, json};

async fn get(c: &mut SimClient, id: &str) -> Value {
    c.cvm("DescribeInstances", json!({"InstanceIds": [id]}))
        .await
        .unwrap()
        .ok()["InstanceSet"][0]
        .clone()
}

#[tokio::test]
async fn launch_and_start_fail_with_their_message() {
    let sim = cvm_sim::start(Config {
        time_scale: 0.0,
        rate_limit: RateLimit::Off,
        faults: "rate=1,kinds=op-failed,actions=RunInstances+StartInstances"
            .parse::<FaultSpec>()
            .unwrap(),
        ..Default::default()
    })
    .await
    .unwrap();
    let mut c = SimClient::new(sim.addr(), Credential::default(), "ap-guangzhou");
    let run = c
        .cvm(
            "RunInstances",
            json!({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": "img-487zeit5",
                   "InstanceType": "S5.MEDIUM4", "InstanceCount": 2}),
        )
        .await
        .unwrap();
    let run_request = run.request_id().unwrap().to_owned();
    // Accepted: ids come back like any launch.
    let ids: Vec<String> = run.ok()["InstanceIdSet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 2);
    for id in &ids {
        let i = get(&mut c, id).await;
        assert_eq!(i["InstanceState"], "LAUNCH_FAILED", "{i}");
        assert_eq!(i["LatestOperation"], "RunInstances");
        assert_eq!(i["LatestOperationState"], "FAILED");
        assert_eq!(i["LatestOperationRequestId"], run_request.as_str());
        assert!(
            i["LatestOperationErrorMsg"]
                .as_str()
                .unwrap()
                .contains("S5.MEDIUM4"),
            "{i}"
        );
    }

    // A launch that succeeds, stopped, then started: the start fails back to STOPPED.
    sim.set_faults(&FaultSpec::default());
    let ok = c
        .cvm(
            "RunInstances",
            json!({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": "img-487zeit5",
                   "InstanceType": "S5.MEDIUM4"}),
        )
        .await
        .unwrap()
        .ok()["InstanceIdSet"][0]
        .as_str()
        .unwrap()
        .to_owned();
    let i = get(&mut c, &ok).await;
    assert_eq!(i["InstanceState"], "RUNNING");
    assert_eq!(i["LatestOperationState"], "SUCCESS");
    assert!(i["LatestOperationErrorMsg"].is_null());
    c.cvm("StopInstances", json!({"InstanceIds": [ok]}))
        .await
        .unwrap()
        .ok();
    assert_eq!(get(&mut c, &ok).await["InstanceState"], "STOPPED");
    sim.set_faults(
        &"rate=1,kinds=op-failed,actions=StartInstances"
            .parse()
            .unwrap(),
    );
    c.cvm("StartInstances", json!({"InstanceIds": [ok]}))
        .await
        .unwrap()
        .ok();
    let i = get(&mut c, &ok).await;
    assert_eq!(i["InstanceState"], "STOPPED");
    assert_eq!(i["LatestOperation"], "StartInstances");
    assert_eq!(i["LatestOperationState"], "FAILED");
    // No X-TC-Language: Chinese, as Tencent answers by default.
    assert!(
        i["LatestOperationErrorMsg"]
            .as_str()
            .unwrap()
            .contains("实例启动失败"),
        "{i}"
    );

    // The next operation clears the failure.
    sim.set_faults(&FaultSpec::default());
    c.cvm("StartInstances", json!({"InstanceIds": [ok]}))
        .await
        .unwrap()
        .ok();
    let i = get(&mut c, &ok).await;
    assert_eq!(i["InstanceState"], "RUNNING");
    assert_eq!(i["LatestOperationState"], "SUCCESS");
    assert!(i["LatestOperationErrorMsg"].is_null());
    sim.shutdown().await.unwrap();
}
