//! Billing, quotas, accounts and the remaining action rules over loopback HTTP.

use cvm_sim::client::SimClient;
use cvm_sim::{Config, Credential, FaultSpec, Quotas, RateLimit, SimHandle};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

async fn sim(config: Config) -> (SimHandle, SimClient) {
    let sim = cvm_sim::start(Config {
        time_scale: 0.0,
        rate_limit: RateLimit::Off,
        ..config
    })
    .await
    .unwrap();
    let c = SimClient::new(sim.addr(), Credential::default(), "ap-guangzhou");
    (sim, c)
}

async fn run(c: &mut SimClient, extra: Value) -> String {
    let mut p = json!({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": "img-487zeit5", "InstanceType": "S5.MEDIUM4"});
    for (k, v) in extra.as_object().unwrap() {
        p[k] = v.clone();
    }
    let r = c.cvm("RunInstances", p).await.unwrap().ok();
    r["InstanceIdSet"][0].as_str().unwrap().to_owned()
}

async fn get(c: &mut SimClient, id: &str) -> Value {
    c.cvm("DescribeInstances", json!({"InstanceIds": [id]}))
        .await
        .unwrap()
        .ok()["InstanceSet"][0]
        .clone()
}

#[tokio::test]
async fn prepaid_expiry_isolates_and_renewal_restores() {
    let (sim, mut c) = sim(Config::default()).await;
    let id = run(
        &mut c,
        json!({"InstanceChargeType": "PREPAID", "InstanceChargePrepaid": {"Period": 1}}),
    )
    .await;
    sim.advance_clock(Duration::from_secs(32 * 86_400));
    let i = get(&mut c, &id).await;
    assert_eq!(i["InstanceState"], "SHUTDOWN");
    assert_eq!(i["RestrictState"], "EXPIRED");
    assert_eq!(i["IsolatedSource"], "EXPIRE");
    assert_eq!(
        c.cvm("StartInstances", json!({"InstanceIds": [id]}))
            .await
            .unwrap()
            .error_code(),
        Some("UnsupportedOperation.InstanceStateShutdown")
    );
    let price = c
        .cvm(
            "InquiryPriceRenewInstances",
            json!({"InstanceIds": [id], "InstanceChargePrepaid": {"Period": 12}}),
        )
        .await
        .unwrap()
        .ok();
    let p = &price["Price"]["InstancePrice"];
    assert!(
        p["DiscountPrice"].as_f64().unwrap() < p["OriginalPrice"].as_f64().unwrap(),
        "a year is discounted"
    );
    c.cvm(
        "RenewInstances",
        json!({"InstanceIds": [id], "InstanceChargePrepaid": {"Period": 1}}),
    )
    .await
    .unwrap()
    .ok();
    let i = get(&mut c, &id).await;
    assert_eq!(i["InstanceState"], "RUNNING");
    assert_eq!(i["RestrictState"], "NORMAL");
    // Not renewed again: isolated, then destroyed after seven days.
    sim.advance_clock(Duration::from_secs(32 * 86_400));
    assert_eq!(get(&mut c, &id).await["InstanceState"], "SHUTDOWN");
    sim.advance_clock(Duration::from_secs(8 * 86_400));
    assert_eq!(
        c.cvm("DescribeInstances", json!({"InstanceIds": [id]}))
            .await
            .unwrap()
            .ok()["TotalCount"],
        0
    );
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn auto_renew_keeps_a_prepaid_instance_running() {
    let (sim, mut c) = sim(Config::default()).await;
    let id = run(&mut c, json!({"InstanceChargeType": "PREPAID", "InstanceChargePrepaid": {"Period": 1, "RenewFlag": "NOTIFY_AND_AUTO_RENEW"}})).await;
    let before = get(&mut c, &id).await["ExpiredTime"].clone();
    sim.advance_clock(Duration::from_secs(32 * 86_400));
    let i = get(&mut c, &id).await;
    assert_eq!(i["InstanceState"], "RUNNING");
    assert_ne!(i["ExpiredTime"], before);
    c.cvm(
        "ModifyInstancesRenewFlag",
        json!({"InstanceIds": [id], "RenewFlag": "DISABLE_NOTIFY_AND_MANUAL_RENEW"}),
    )
    .await
    .unwrap()
    .ok();
    assert_eq!(
        get(&mut c, &id).await["RenewFlag"],
        "DISABLE_NOTIFY_AND_MANUAL_RENEW"
    );
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn quotas_spot_and_charge_type_changes() {
    let quotas = Quotas {
        postpaid_per_region: 2,
        ..Quotas::default()
    };
    let (sim, mut c) = sim(Config {
        quotas,
        ..Config::default()
    })
    .await;
    let a = run(&mut c, json!({})).await;
    run(&mut c, json!({})).await;
    let over = json!({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": "img-487zeit5"});
    assert_eq!(
        c.cvm("RunInstances", over).await.unwrap().error_code(),
        Some("LimitExceeded.InstanceQuota")
    );

    let low = json!({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": "img-487zeit5", "InstanceType": "S5.MEDIUM4", "InstanceChargeType": "SPOTPAID",
        "InstanceMarketOptions": {"MarketType": "spot", "SpotOptions": {"MaxPrice": "0.0001"}}});
    assert_eq!(
        c.cvm("RunInstances", low).await.unwrap().error_code(),
        Some("InvalidParameterValue.InsufficientPrice")
    );
    let gpu = json!({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": "img-487zeit5", "InstanceType": "GN7.2XLARGE32", "InstanceChargeType": "SPOTPAID"});
    let code = c
        .cvm("RunInstances", gpu)
        .await
        .unwrap()
        .error_code()
        .map(str::to_owned);
    assert!(
        matches!(
            code.as_deref(),
            Some("UnsupportedOperation.NoInstanceTypeSupportSpot")
                | Some("ResourceUnavailable.InstanceType")
                | Some("ResourcesSoldOut.SpecifiedInstanceType")
        ),
        "{code:?}"
    );
    let spot = run(&mut c, json!({"InstanceChargeType": "SPOTPAID"})).await;
    assert_eq!(get(&mut c, &spot).await["InstanceChargeType"], "SPOTPAID");
    assert_eq!(
        c.cvm("ModifyInstancesChargeType", json!({"InstanceIds": [spot], "InstanceChargeType": "PREPAID", "InstanceChargePrepaid": {"Period": 1}})).await.unwrap().error_code(),
        Some("UnsupportedOperation.InstanceChargeType")
    );
    assert_eq!(
        c.cvm(
            "ModifyInstancesChargeType",
            json!({"InstanceIds": [a], "InstanceChargeType": "PREPAID"})
        )
        .await
        .unwrap()
        .error_code(),
        Some("MissingParameter")
    );
    c.cvm("ModifyInstancesChargeType", json!({"InstanceIds": [a], "InstanceChargeType": "PREPAID", "InstanceChargePrepaid": {"Period": 3}})).await.unwrap().ok();
    let i = get(&mut c, &a).await;
    assert_eq!(i["InstanceChargeType"], "PREPAID");
    assert!(i["ExpiredTime"].is_string());
    assert_eq!(
        c.cvm(
            "RenewInstances",
            json!({"InstanceIds": [spot], "InstanceChargePrepaid": {"Period": 1}})
        )
        .await
        .unwrap()
        .error_code(),
        Some("UnsupportedOperation.InstanceChargeType")
    );
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn resize_bandwidth_password_and_protection_rules() {
    let (sim, mut c) = sim(Config::default()).await;
    let id = run(&mut c, json!({"InternetAccessible": {"InternetChargeType": "TRAFFIC_POSTPAID_BY_HOUR", "InternetMaxBandwidthOut": 80}})).await;
    let resize = |t: &str| json!({"InstanceIds": [id], "InstanceType": t});
    assert_eq!(
        c.cvm("ResetInstancesType", resize("S5.LARGE8"))
            .await
            .unwrap()
            .error_code(),
        Some("UnsupportedOperation.InstanceStateRunning")
    );
    c.cvm("StopInstances", json!({"InstanceIds": [id]}))
        .await
        .unwrap()
        .ok();
    assert_eq!(
        c.cvm("ResetInstancesType", resize("S5.SMALL1"))
            .await
            .unwrap()
            .error_code(),
        Some("LimitExceeded.InstanceTypeBandwidth")
    );
    assert_eq!(
        c.cvm("ResetInstancesType", resize("SR1.MEDIUM4"))
            .await
            .unwrap()
            .error_code(),
        Some("UnsupportedOperation.UnsupportedChangeInstanceFamilyToARM")
    );
    assert_eq!(
        c.cvm("ResetInstancesType", resize("X9.HUGE"))
            .await
            .unwrap()
            .error_code(),
        Some("InvalidParameterValue.InstanceTypeNotFound")
    );
    c.cvm("ResetInstancesType", resize("S5.LARGE8"))
        .await
        .unwrap()
        .ok();
    let i = get(&mut c, &id).await;
    assert_eq!(
        (
            i["InstanceType"].as_str(),
            i["CPU"].as_i64(),
            i["InstanceState"].as_str()
        ),
        (Some("S5.LARGE8"), Some(4), Some("RUNNING"))
    );
    assert_eq!(i["LatestOperation"], "ResetInstancesType");

    let bw =
        |n: i64| json!({"InstanceIds": [id], "InternetAccessible": {"InternetMaxBandwidthOut": n}});
    c.cvm("ResetInstancesInternetMaxBandwidth", bw(100))
        .await
        .unwrap()
        .ok();
    assert_eq!(
        get(&mut c, &id).await["InternetAccessible"]["InternetMaxBandwidthOut"],
        100
    );
    assert_eq!(
        c.cvm("ResetInstancesInternetMaxBandwidth", bw(5000))
            .await
            .unwrap()
            .error_code(),
        Some("InvalidParameterValue.Range")
    );
    let mut dated = bw(10);
    dated["StartTime"] = json!("2030-01-01");
    assert_eq!(
        c.cvm("ResetInstancesInternetMaxBandwidth", dated)
            .await
            .unwrap()
            .error_code(),
        Some("InvalidParameter")
    );

    assert_eq!(
        c.cvm(
            "ResetInstancesPassword",
            json!({"InstanceIds": [id], "Password": "Abcdef12!"})
        )
        .await
        .unwrap()
        .error_code(),
        Some("UnsupportedOperation.InstanceStateRunning")
    );
    assert_eq!(
        c.cvm(
            "ResetInstancesPassword",
            json!({"InstanceIds": [id], "Password": "weak", "ForceStop": true})
        )
        .await
        .unwrap()
        .error_code(),
        Some("InvalidParameterValue.InvalidPassword")
    );
    c.cvm(
        "ResetInstancesPassword",
        json!({"InstanceIds": [id], "Password": "Abcdef12!", "ForceStop": true}),
    )
    .await
    .unwrap()
    .ok();
    assert_eq!(
        get(&mut c, &id).await["LatestOperation"],
        "ResetInstancesPassword"
    );

    c.cvm(
        "ModifyInstancesAttribute",
        json!({"InstanceIds": [id], "DisableApiTermination": true}),
    )
    .await
    .unwrap()
    .ok();
    assert_eq!(
        c.cvm("TerminateInstances", json!({"InstanceIds": [id]}))
            .await
            .unwrap()
            .error_code(),
        Some("UnsupportedOperation.InstancesProtected")
    );
    assert_eq!(
        c.cvm(
            "ModifyInstancesAttribute",
            json!({"InstanceIds": [id], "InstanceName": "a", "DisableApiTermination": false})
        )
        .await
        .unwrap()
        .error_code(),
        Some("InvalidParameterCombination")
    );
    c.cvm(
        "ModifyInstancesAttribute",
        json!({"InstanceIds": [id], "HostName": "web-01"}),
    )
    .await
    .unwrap()
    .ok();
    let i = get(&mut c, &id).await;
    assert_eq!(i["HostName"], "web-01");
    assert_eq!(i["LatestOperation"], "ModifyInstancesAttribute");
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn accounts_are_separate_worlds() {
    let other = Credential {
        account: "200000000002".into(),
        ..Credential::new("AKIDother000000000000000000000000000", "other-key")
    };
    let (sim, mut c) = sim(Config {
        credentials: vec![Credential::default(), other.clone()],
        ..Config::default()
    })
    .await;
    let id = run(&mut c, json!({})).await;
    let mut o = SimClient::new(sim.addr(), other, "ap-guangzhou");
    assert_eq!(
        o.cvm("DescribeInstances", json!({})).await.unwrap().ok()["TotalCount"],
        0
    );
    assert_eq!(
        o.cvm("StopInstances", json!({"InstanceIds": [id]}))
            .await
            .unwrap()
            .error_code(),
        Some("InvalidInstanceId.NotFound")
    );
    let mine = c.vpc("DescribeVpcs", json!({})).await.unwrap().ok()["VpcSet"][0]["VpcId"].clone();
    let theirs = o.vpc("DescribeVpcs", json!({})).await.unwrap().ok()["VpcSet"][0]["VpcId"].clone();
    assert_ne!(mine, theirs);
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_timeout_fault_holds_then_drops_and_changes_nothing() {
    let spec: FaultSpec = "rate=1,kinds=timeout,seed=1,timeout-ms=300,actions=RunInstances"
        .parse()
        .unwrap();
    let (sim, mut c) = sim(Config {
        faults: spec,
        ..Config::default()
    })
    .await;
    let t0 = Instant::now();
    let r = c
        .cvm(
            "RunInstances",
            json!({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": "img-487zeit5"}),
        )
        .await;
    assert!(r.is_err());
    assert!(t0.elapsed() >= Duration::from_millis(300));
    assert!(
        sim.instances(cvm_sim::DEFAULT_ACCOUNT, "ap-guangzhou")
            .is_empty()
    );
    // Other actions are untouched by an action-scoped rule.
    let mut c = SimClient::new(sim.addr(), Credential::default(), "ap-guangzhou");
    c.cvm("DescribeZones", json!({})).await.unwrap().ok();
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_second_operation_waits_for_the_first() {
    let (sim, mut c) = sim(Config::default()).await;
    let id = run(&mut c, json!({})).await;
    c.cvm("StopInstances", json!({"InstanceIds": [id]}))
        .await
        .unwrap()
        .ok();
    sim.shutdown().await.unwrap();
    // Realistic durations: a resize keeps the instance busy for a while.
    let sim = cvm_sim::start(Config {
        time_scale: 1.0,
        rate_limit: RateLimit::Off,
        ..Config::default()
    })
    .await
    .unwrap();
    let mut c = SimClient::new(sim.addr(), Credential::default(), "ap-guangzhou");
    let id = run(&mut c, json!({})).await;
    sim.advance_clock(Duration::from_secs(30));
    c.cvm("ModifyInstancesChargeType", json!({"InstanceIds": [id], "InstanceChargeType": "PREPAID", "InstanceChargePrepaid": {"Period": 1}}))
        .await
        .unwrap()
        .ok();
    assert_eq!(get(&mut c, &id).await["LatestOperationState"], "OPERATING");
    assert_eq!(
        c.cvm("StopInstances", json!({"InstanceIds": [id]}))
            .await
            .unwrap()
            .error_code(),
        Some("OperationDenied.InstanceOperationInProgress")
    );
    sim.advance_clock(Duration::from_secs(5));
    assert_eq!(get(&mut c, &id).await["LatestOperationState"], "SUCCESS");
    c.cvm("StopInstances", json!({"InstanceIds": [id]}))
        .await
        .unwrap()
        .ok();
    sim.shutdown().await.unwrap();
}
