//! GetMonitorData through the real client (signing, the monitor host's credential scope,
//! version 2018-07-24) against cvm-sim over loopback: series with gaps where an instance
//! was off, deterministic answers, and the service's own refusals.

use cvm_sim::{Config, FaultSpec, RateLimit};
use serde_json::json;
use std::time::Duration;
use tencent_api::models::cvm::{DescribeInstancesRequest, StopInstancesRequest};
use tencent_api::models::monitor::GetMonitorDataRequest;
use tencent_api::{Client, Credentials, Endpoint};

const REGION: &str = "ap-guangzhou";

async fn sim(hot: Vec<String>) -> (cvm_sim::SimHandle, Client) {
    let sim = cvm_sim::start(Config {
        time_scale: 0.0,
        rate_limit: RateLimit::Off,
        hot,
        ..Default::default()
    })
    .await
    .unwrap();
    let cred = sim.credentials()[0].clone();
    let client = Client::builder(Credentials::new(&cred.secret_id, &cred.secret_key))
        .endpoint(Endpoint::Custom(sim.base_url()))
        .build()
        .unwrap();
    (sim, client)
}

async fn launch(client: &Client, n: i64) -> Vec<String> {
    let req: tencent_api::models::cvm::RunInstancesRequest = serde_json::from_value(json!({
        "Placement": {"Zone": "ap-guangzhou-3"},
        "ImageId": "img-487zeit5",
        "InstanceType": "S5.MEDIUM4",
        "InstanceCount": n,
        "InternetAccessible": {"PublicIpAssigned": true, "InternetMaxBandwidthOut": 5},
    }))
    .unwrap();
    client
        .run_instances(REGION, &req)
        .await
        .unwrap()
        .instance_id_set
        .unwrap()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[tokio::test]
async fn series_follow_power_and_limits_and_stay_the_same() {
    let (sim, client) = sim(Vec::new()).await;
    let ids = launch(&client, 2).await;
    // Two hours up, then the first one stops: its series has a gap from then on.
    sim.advance_clock(Duration::from_secs(2 * 3600));
    let stop: StopInstancesRequest =
        serde_json::from_value(json!({"InstanceIds": [ids[0]]})).unwrap();
    client.stop_instances(REGION, &stop).await.unwrap();
    sim.advance_clock(Duration::from_secs(3600));
    let _ = client
        .describe_instances(REGION, &DescribeInstancesRequest::default())
        .await
        .unwrap();
    let world_now = now() + 3 * 3600;
    let start = world_now - 4 * 3600;
    let req = GetMonitorDataRequest::cvm("CPUUsage", 300, &ids, start, world_now).unwrap();
    let a = client.get_monitor_data(REGION, &req).await.unwrap();
    assert_eq!(a.period, Some(300));
    assert_eq!(a.data_points.len(), 2);
    assert_eq!(a.data_points[0].instance_id(), Some(ids[0].as_str()));
    let (stopped, running) = (&a.data_points[0], &a.data_points[1]);
    // Nothing before the launch; the running one reports up to now, every five minutes.
    let launched = world_now - 3 * 3600;
    assert!(
        running
            .timestamps
            .iter()
            .all(|t| *t as i64 >= launched - 300)
    );
    assert!(
        running.timestamps.len() >= 35,
        "{}",
        running.timestamps.len()
    );
    assert!(running.timestamps.windows(2).all(|w| w[1] - w[0] == 300.0));
    let last_stopped = *stopped.timestamps.last().unwrap() as i64;
    assert!(last_stopped <= world_now - 3600, "{last_stopped}");
    assert!(stopped.timestamps.len() < running.timestamps.len() - 10);
    for v in running.values.iter().chain(&stopped.values) {
        assert!((0.0..=100.0).contains(v), "{v}");
    }
    // The same question, the same answer.
    let b = client.get_monitor_data(REGION, &req).await.unwrap();
    assert_eq!(a.data_points, b.data_points);
    // Public traffic never exceeds the 5 Mbps limit.
    let wan =
        GetMonitorDataRequest::cvm("WanOuttraffic", 300, &ids[1..], start, world_now).unwrap();
    let wan = client.get_monitor_data(REGION, &wan).await.unwrap();
    assert!(!wan.data_points[0].values.is_empty());
    assert!(
        wan.data_points[0]
            .values
            .iter()
            .all(|v| *v <= 5.0 && *v > 0.0)
    );
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_hot_instance_runs_hot_and_a_boot_spikes() {
    let (sim, client) = sim(Vec::new()).await;
    let ids = launch(&client, 2).await;
    sim.set_hot(vec![ids[0].clone()]);
    sim.advance_clock(Duration::from_secs(3600));
    let end = now() + 3600;
    let req = GetMonitorDataRequest::cvm("CPUUsage", 60, &ids, end - 3600, end).unwrap();
    let a = client.get_monitor_data(REGION, &req).await.unwrap();
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let (hot, cool) = (&a.data_points[0].values, &a.data_points[1].values);
    assert!(mean(&hot[10..]) > 85.0, "{hot:?}");
    assert!(mean(&cool[10..]) < 70.0, "{cool:?}");
    // The first minute after boot is busier than the instance's ordinary minutes.
    assert!(cool[0] > mean(&cool[10..]) + 10.0, "{cool:?}");
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_service_refuses_what_tencent_refuses() {
    let (sim, client) = sim(Vec::new()).await;
    let ids = launch(&client, 1).await;
    let code = |r: Result<_, tencent_api::Error>| {
        r.map(|_: tencent_api::models::monitor::GetMonitorDataResponse| ())
            .unwrap_err()
            .code()
            .to_owned()
    };
    let t = now();
    let mut unknown = GetMonitorDataRequest::cvm("CPUUsage", 60, &ids, t - 600, t).unwrap();
    unknown.metric_name = "CpuUsage".into();
    assert_eq!(
        code(client.get_monitor_data(REGION, &unknown).await),
        "InvalidParameterValue"
    );
    let mut period = GetMonitorDataRequest::cvm("CPUUsage", 60, &ids, t - 600, t).unwrap();
    period.period = Some(120);
    assert_eq!(
        code(client.get_monitor_data(REGION, &period).await),
        "InvalidParameterValue"
    );
    let mut many = GetMonitorDataRequest::cvm("CPUUsage", 60, &ids, t - 600, t).unwrap();
    many.instances = vec![many.instances[0].clone(); 11];
    assert_eq!(
        code(client.get_monitor_data(REGION, &many).await),
        "LimitExceeded"
    );
    let mut long = GetMonitorDataRequest::cvm("CPUUsage", 60, &ids, t - 600, t).unwrap();
    long.start_time = Some(tencent_api::models::monitor::format_time(t - 2 * 86_400).unwrap());
    assert_eq!(
        code(client.get_monitor_data(REGION, &long).await),
        "LimitExceeded"
    );
    // CAM refusing the action reaches the caller with its code.
    sim.set_faults(
        &"rate=1,kinds=denied,actions=GetMonitorData"
            .parse::<FaultSpec>()
            .unwrap(),
    );
    let ok = GetMonitorDataRequest::cvm("CPUUsage", 60, &ids, t - 600, t).unwrap();
    let e = client.get_monitor_data(REGION, &ok).await.unwrap_err();
    assert_eq!(e.code(), "AuthFailure.UnauthorizedOperation");
    assert!(e.to_string().contains("monitor:GetMonitorData"), "{e}");
    sim.shutdown().await.unwrap();
}
