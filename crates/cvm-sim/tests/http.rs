//! The emulator over real loopback HTTP: protocol, lifecycle, idempotency, faults, limits
//! and persistence.

use cvm_sim::client::SimClient;
use cvm_sim::{Config, Credential, FaultSpec, RateLimit, SimHandle};
use http::Method;
use serde_json::{Value, json};
use std::time::Duration;

async fn sim(config: Config) -> (SimHandle, SimClient) {
    let sim = cvm_sim::start(config).await.expect("start");
    let client = SimClient::new(sim.addr(), Credential::default(), "ap-guangzhou");
    (sim, client)
}

fn fast() -> Config {
    Config {
        time_scale: 0.0,
        rate_limit: RateLimit::Off,
        ..Default::default()
    }
}

async fn state_of(c: &mut SimClient, id: &str) -> Value {
    let r = c
        .cvm("DescribeInstances", json!({"InstanceIds": [id]}))
        .await
        .unwrap()
        .ok();
    r["InstanceSet"][0].clone()
}

#[tokio::test]
async fn signature_and_envelope_errors_are_tencent_errors() {
    let (sim, mut c) = sim(fast()).await;
    let ok = c.cvm("DescribeZones", json!({})).await.unwrap();
    assert!(ok.request_id().is_some());
    assert_eq!(ok.response["ZoneSet"][2]["ZoneName"], "广州三区");
    c.language = Some("en-US".into());
    let ok = c.cvm("DescribeZones", json!({})).await.unwrap().ok();
    assert_eq!(ok["ZoneSet"][2]["ZoneName"], "Guangzhou Zone 3");

    let mut wrong = SimClient::new(
        sim.addr(),
        Credential::new(cvm_sim::DEFAULT_SECRET_ID, "nope"),
        "ap-guangzhou",
    );
    assert_eq!(
        wrong
            .cvm("DescribeZones", json!({}))
            .await
            .unwrap()
            .error_code(),
        Some("AuthFailure.SignatureFailure")
    );
    let mut unknown = SimClient::new(
        sim.addr(),
        Credential::new("AKIDother", "k"),
        "ap-guangzhou",
    );
    assert_eq!(
        unknown
            .cvm("DescribeZones", json!({}))
            .await
            .unwrap()
            .error_code(),
        Some("AuthFailure.SecretIdNotFound")
    );

    let old = c
        .build(
            "cvm",
            "DescribeZones",
            Method::POST,
            &json!({}),
            cvm_sim::clock::wall_ms() / 1000 - 301,
        )
        .unwrap();
    let v = c.send(old).await.unwrap();
    assert_eq!(
        v["Response"]["Error"]["Code"],
        "AuthFailure.SignatureExpire"
    );
    assert!(v["Response"]["RequestId"].is_string());

    // A body changed after signing.
    let mut req = c
        .build(
            "cvm",
            "DescribeZones",
            Method::POST,
            &json!({}),
            cvm_sim::clock::wall_ms() / 1000,
        )
        .unwrap();
    *req.body_mut() = http_body_util::Full::new(bytes::Bytes::from_static(b"{ }"));
    assert_eq!(
        c.send(req).await.unwrap()["Response"]["Error"]["Code"],
        "AuthFailure.SignatureFailure"
    );

    // Unsigned payload: the body is not covered.
    let mut req = c
        .build("cvm", "DescribeZones", Method::POST, &json!({}), 0)
        .unwrap();
    let ts = cvm_sim::clock::wall_ms() / 1000;
    let host = sim.addr().to_string();
    let s = tencent_api::sign::sign(
        cvm_sim::DEFAULT_SECRET_ID,
        cvm_sim::DEFAULT_SECRET_KEY.as_bytes(),
        "cvm",
        ts,
        &tencent_api::sign::SignableRequest {
            method: "POST",
            host: &host,
            query: "",
            content_type: "application/json",
            payload: tencent_api::sign::Payload::Unsigned,
            extra_signed_headers: &[],
        },
    )
    .unwrap();
    let h = req.headers_mut();
    h.insert("authorization", s.authorization.parse().unwrap());
    h.insert("x-tc-timestamp", ts.to_string().parse().unwrap());
    h.insert("x-tc-content-sha256", "UNSIGNED-PAYLOAD".parse().unwrap());
    let v = c.send(req).await.unwrap();
    assert!(v["Response"]["Error"].is_null(), "{v}");

    assert_eq!(
        c.cvm("DescribeNothing", json!({}))
            .await
            .unwrap()
            .error_code(),
        Some("InvalidAction")
    );
    assert_eq!(
        c.cvm("DescribeZones", json!({"Foo": 1}))
            .await
            .unwrap()
            .error_code(),
        Some("UnknownParameter")
    );
    assert_eq!(
        c.cvm("DescribeInstances", json!({"Limit": "x"}))
            .await
            .unwrap()
            .error_code(),
        Some("InvalidParameter")
    );
    c.region = "ap-nowhere".into();
    assert_eq!(
        c.cvm("DescribeZones", json!({}))
            .await
            .unwrap()
            .error_code(),
        Some("UnsupportedRegion")
    );
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn lifecycle_follows_the_state_machine_on_the_scaled_clock() {
    let (sim, mut c) = sim(Config {
        time_scale: 1.0,
        rate_limit: RateLimit::Off,
        ..Default::default()
    })
    .await;
    let run = c
        .cvm("RunInstances", json!({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": "img-487zeit5", "InstanceType": "S5.MEDIUM4",
            "InternetAccessible": {"InternetMaxBandwidthOut": 10}, "InstanceName": "web"}))
        .await
        .unwrap()
        .ok();
    let id = run["InstanceIdSet"][0].as_str().unwrap().to_owned();
    let i = state_of(&mut c, &id).await;
    assert_eq!(i["InstanceState"], "PENDING");
    assert_eq!(i["LatestOperationState"], "OPERATING");
    assert_eq!(
        c.cvm("StopInstances", json!({"InstanceIds": [id]}))
            .await
            .unwrap()
            .error_code(),
        Some("UnsupportedOperation.InstanceStatePending")
    );
    sim.advance_clock(Duration::from_secs(25));
    let i = state_of(&mut c, &id).await;
    assert_eq!(i["InstanceState"], "RUNNING");
    assert_eq!(i["LatestOperation"], "RunInstances");
    assert_eq!(i["LatestOperationState"], "SUCCESS");
    assert!(i["PublicIpAddresses"][0].is_string());

    assert_eq!(
        c.cvm("StartInstances", json!({"InstanceIds": [id]}))
            .await
            .unwrap()
            .error_code(),
        Some("UnsupportedOperation.InstanceStateRunning")
    );
    c.cvm(
        "StopInstances",
        json!({"InstanceIds": [id], "StoppedMode": "STOP_CHARGING"}),
    )
    .await
    .unwrap()
    .ok();
    let i = state_of(&mut c, &id).await;
    assert_eq!(i["InstanceState"], "STOPPING");
    assert!(
        i["PublicIpAddresses"].is_null(),
        "stop-charging releases the public IP"
    );
    sim.advance_clock(Duration::from_secs(20));
    let i = state_of(&mut c, &id).await;
    assert_eq!(i["InstanceState"], "STOPPED");
    assert_eq!(i["StopChargingMode"], "STOP_CHARGING");
    c.cvm("StartInstances", json!({"InstanceIds": [id]}))
        .await
        .unwrap()
        .ok();
    sim.advance_clock(Duration::from_secs(20));
    let i = state_of(&mut c, &id).await;
    assert_eq!(i["InstanceState"], "RUNNING");
    assert!(i["PublicIpAddresses"][0].is_string());
    c.cvm("RebootInstances", json!({"InstanceIds": [id]}))
        .await
        .unwrap()
        .ok();
    assert_eq!(state_of(&mut c, &id).await["InstanceState"], "REBOOTING");
    sim.advance_clock(Duration::from_secs(30));
    // Postpaid: terminate removes.
    c.cvm("TerminateInstances", json!({"InstanceIds": [id]}))
        .await
        .unwrap()
        .ok();
    assert_eq!(state_of(&mut c, &id).await["InstanceState"], "TERMINATING");
    sim.advance_clock(Duration::from_secs(15));
    let r = c
        .cvm("DescribeInstances", json!({"InstanceIds": [id]}))
        .await
        .unwrap()
        .ok();
    assert_eq!(r["TotalCount"], 0);
    assert_eq!(
        c.cvm("StartInstances", json!({"InstanceIds": [id]}))
            .await
            .unwrap()
            .error_code(),
        Some("InvalidInstanceId.NotFound")
    );
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn prepaid_goes_to_the_recycle_bin_first_and_balance_is_checked() {
    let (sim, mut c) = sim(Config {
        balance: 1000.0,
        ..fast()
    })
    .await;
    let big = json!({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": "img-487zeit5", "InstanceType": "S5.16XLARGE256",
        "InstanceChargeType": "PREPAID", "InstanceChargePrepaid": {"Period": 12}});
    assert_eq!(
        c.cvm("RunInstances", big).await.unwrap().error_code(),
        Some("InvalidAccount.InsufficientBalance")
    );
    let small = json!({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": "img-487zeit5", "InstanceType": "S5.MEDIUM4",
        "InstanceChargeType": "PREPAID", "InstanceChargePrepaid": {"Period": 1, "RenewFlag": "NOTIFY_AND_AUTO_RENEW"}});
    let id = c.cvm("RunInstances", small).await.unwrap().ok()["InstanceIdSet"][0]
        .as_str()
        .unwrap()
        .to_owned();
    let i = state_of(&mut c, &id).await;
    assert_eq!(i["InstanceState"], "RUNNING");
    assert_eq!(i["RenewFlag"], "NOTIFY_AND_AUTO_RENEW");
    assert!(i["ExpiredTime"].is_string());
    c.cvm("TerminateInstances", json!({"InstanceIds": [id]}))
        .await
        .unwrap()
        .ok();
    let i = state_of(&mut c, &id).await;
    assert_eq!(i["InstanceState"], "SHUTDOWN");
    assert_eq!(i["IsolatedSource"], "MANMADE");
    c.cvm("TerminateInstances", json!({"InstanceIds": [id]}))
        .await
        .unwrap()
        .ok();
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
async fn client_token_and_dry_run() {
    let (sim, mut c) = sim(fast()).await;
    let req = json!({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": "img-487zeit5", "InstanceCount": 2, "ClientToken": "abc"});
    let a = c.cvm("RunInstances", req.clone()).await.unwrap().ok();
    let b = c.cvm("RunInstances", req).await.unwrap().ok();
    assert_eq!(a["InstanceIdSet"], b["InstanceIdSet"]);
    assert_ne!(a["RequestId"], b["RequestId"]);
    assert_eq!(
        sim.instances(cvm_sim::DEFAULT_ACCOUNT, "ap-guangzhou")
            .len(),
        2
    );
    let dry =
        json!({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": "img-487zeit5", "DryRun": true});
    c.cvm("RunInstances", dry).await.unwrap().ok();
    assert_eq!(
        sim.instances(cvm_sim::DEFAULT_ACCOUNT, "ap-guangzhou")
            .len(),
        2
    );
    let bad_dry =
        json!({"Placement": {"Zone": "ap-shanghai-2"}, "ImageId": "img-487zeit5", "DryRun": true});
    assert_eq!(
        c.cvm("RunInstances", bad_dry).await.unwrap().error_code(),
        Some("InvalidZone.MismatchRegion")
    );
    let long = json!({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": "img-487zeit5", "ClientToken": "x".repeat(65)});
    assert_eq!(
        c.cvm("RunInstances", long).await.unwrap().error_code(),
        Some("InvalidClientToken.TooLong")
    );
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn lost_response_then_retry_with_client_token_creates_no_duplicates() {
    let spec: FaultSpec = "rate=1,kinds=lost-response,seed=3,actions=RunInstances"
        .parse()
        .unwrap();
    let (sim, mut c) = sim(Config {
        faults: spec,
        ..fast()
    })
    .await;
    let req = json!({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": "img-487zeit5", "ClientToken": "retry-me"});
    assert!(
        c.cvm("RunInstances", req.clone()).await.is_err(),
        "the answer is lost"
    );
    assert_eq!(
        sim.instances(cvm_sim::DEFAULT_ACCOUNT, "ap-guangzhou")
            .len(),
        1,
        "but the instance exists"
    );
    assert!(c.cvm("RunInstances", req.clone()).await.is_err());
    sim.set_faults(&FaultSpec::default());
    let ids = c.cvm("RunInstances", req).await.unwrap().ok();
    let all = sim.instances(cvm_sim::DEFAULT_ACCOUNT, "ap-guangzhou");
    assert_eq!(all.len(), 1);
    assert_eq!(ids["InstanceIdSet"][0], all[0].0.as_str());
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_fault_seed_reproduces_the_same_faults() {
    async fn run() -> Vec<String> {
        let spec: FaultSpec = "rate=0.4,kinds=internal+throttle+reset,seed=7"
            .parse()
            .unwrap();
        let (sim, mut c) = sim(Config {
            faults: spec,
            ..fast()
        })
        .await;
        let mut out = Vec::new();
        for _ in 0..40 {
            out.push(match c.cvm("DescribeZones", json!({})).await {
                Ok(a) => a.error_code().unwrap_or("ok").to_owned(),
                Err(_) => "dropped".to_owned(),
            });
        }
        sim.shutdown().await.unwrap();
        out
    }
    let a = run().await;
    assert_eq!(a, run().await);
    for kind in ["ok", "InternalError", "RequestLimitExceeded", "dropped"] {
        assert!(a.iter().any(|x| x == kind), "{kind} in {a:?}");
    }
}

#[tokio::test]
async fn seed_rate_limit_answers_request_limit_exceeded() {
    let (sim, mut c) = sim(Config {
        rate_limit: RateLimit::PerMinute {
            per_action: 3,
            total: 5,
        },
        ..fast()
    })
    .await;
    for _ in 0..3 {
        c.cvm("DescribeZones", json!({})).await.unwrap().ok();
    }
    assert_eq!(
        c.cvm("DescribeZones", json!({}))
            .await
            .unwrap()
            .error_code(),
        Some("RequestLimitExceeded")
    );
    c.cvm("DescribeRegions", json!({})).await.unwrap().ok();
    c.cvm("DescribeImages", json!({})).await.unwrap().ok();
    assert_eq!(
        c.cvm("DescribeInstances", json!({}))
            .await
            .unwrap()
            .error_code(),
        Some("RequestLimitExceeded")
    );
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn state_file_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("world.json");
    let config = Config {
        state_file: Some(path.clone()),
        preload: 20,
        seed: 5,
        ..fast()
    };
    let (sim, mut c) = sim(config.clone()).await;
    let id = c.cvm("RunInstances", json!({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": "img-487zeit5", "InstanceName": "keep-me"}))
        .await
        .unwrap()
        .ok()["InstanceIdSet"][0]
        .as_str()
        .unwrap()
        .to_owned();
    let before = c
        .cvm("DescribeInstances", json!({"Limit": 100}))
        .await
        .unwrap()
        .ok();
    let world = sim.world_json();
    sim.shutdown().await.unwrap();
    let (sim, mut c) = sim_with(config).await;
    assert_eq!(sim.world_json()["accounts"], world["accounts"]);
    let after = c
        .cvm("DescribeInstances", json!({"Limit": 100}))
        .await
        .unwrap()
        .ok();
    assert_eq!(before["InstanceSet"], after["InstanceSet"]);
    assert_eq!(state_of(&mut c, &id).await["InstanceName"], "keep-me");
    sim.shutdown().await.unwrap();
}

async fn sim_with(config: Config) -> (SimHandle, SimClient) {
    sim(config).await
}

#[tokio::test]
async fn filters_paging_and_their_bounds() {
    let (sim, mut c) = sim(Config {
        preload: 1000,
        seed: 1,
        ..fast()
    })
    .await;
    let all = c
        .cvm("DescribeInstances", json!({"Limit": 100}))
        .await
        .unwrap()
        .ok();
    let total = all["TotalCount"].as_u64().unwrap();
    assert!(total > 100);
    let page2 = c
        .cvm("DescribeInstances", json!({"Limit": 100, "Offset": 100}))
        .await
        .unwrap()
        .ok();
    assert_ne!(
        all["InstanceSet"][0]["InstanceId"],
        page2["InstanceSet"][0]["InstanceId"]
    );
    let running = c
        .cvm("DescribeInstances", json!({"Limit": 100, "Filters": [{"Name": "instance-state", "Values": ["RUNNING"]}, {"Name": "instance-charge-type", "Values": ["PREPAID"]}]}))
        .await
        .unwrap()
        .ok();
    for i in running["InstanceSet"].as_array().unwrap() {
        assert_eq!(i["InstanceState"], "RUNNING");
        assert_eq!(i["InstanceChargeType"], "PREPAID");
    }
    let by_tag = c
        .cvm(
            "DescribeInstances",
            json!({"Filters": [{"Name": "tag:env", "Values": ["prod"]}]}),
        )
        .await
        .unwrap()
        .ok();
    assert!(by_tag["TotalCount"].as_u64().unwrap() > 0);
    let name = all["InstanceSet"][0]["InstanceName"].as_str().unwrap();
    let fuzzy = c
        .cvm(
            "DescribeInstances",
            json!({"Filters": [{"Name": "instance-name", "Values": [&name[..4]]}]}),
        )
        .await
        .unwrap()
        .ok();
    assert!(fuzzy["TotalCount"].as_u64().unwrap() >= 1);
    let codes = [
        (json!({"Limit": 101}), "InvalidParameterValue.LimitExceeded"),
        (json!({"Offset": -1}), "InvalidParameterValue"),
        (
            json!({"InstanceIds": ["ins-12345678"], "Filters": [{"Name": "zone", "Values": ["ap-guangzhou-3"]}]}),
            "InvalidParameter",
        ),
        (
            json!({"Filters": [{"Name": "zone", "Values": ["a", "b", "c", "d", "e", "f"]}]}),
            "InvalidFilterValue.LimitExceeded",
        ),
        (
            json!({"Filters": (0..11).map(|_| json!({"Name": "zone", "Values": ["a"]})).collect::<Vec<_>>()}),
            "InvalidParameterValue.LimitExceeded",
        ),
        (
            json!({"Filters": [{"Name": "colour", "Values": ["red"]}]}),
            "InvalidFilter",
        ),
        (
            json!({"InstanceIds": ["ins-1122"]}),
            "InvalidInstanceId.Malformed",
        ),
        (
            json!({"Filters": [{"Name": "vpc-id", "Values": ["nope"]}]}),
            "InvalidParameterValue.VpcIdMalformed",
        ),
    ];
    for (params, code) in codes {
        assert_eq!(
            c.cvm("DescribeInstances", params.clone())
                .await
                .unwrap()
                .error_code(),
            Some(code),
            "{params}"
        );
    }
    // GET with the flattened form gives the same page as POST.
    let get = c
        .call_with("cvm", "DescribeInstances", Method::GET, &json!({"Limit": 5, "Filters": [{"Name": "instance-state", "Values": ["RUNNING", "STOPPED"]}]}))
        .await
        .unwrap()
        .ok();
    let post = c.cvm("DescribeInstances", json!({"Limit": 5, "Filters": [{"Name": "instance-state", "Values": ["RUNNING", "STOPPED"]}]})).await.unwrap().ok();
    assert_eq!(get["InstanceSet"], post["InstanceSet"]);
    let vpcs = c
        .call_with("vpc", "DescribeVpcs", Method::GET, &json!({"Limit": "10"}))
        .await
        .unwrap()
        .ok();
    assert_eq!(vpcs["TotalCount"], 1);
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn prices_agree_between_catalog_and_inquiry() {
    let (sim, mut c) = sim(fast()).await;
    let infos = c
        .cvm("DescribeZoneInstanceConfigInfos", json!({"Filters": [{"Name": "zone", "Values": ["ap-guangzhou-3"]}, {"Name": "instance-type", "Values": ["S5.MEDIUM4"]}]}))
        .await
        .unwrap()
        .ok();
    let find = |charge: &str| {
        infos["InstanceTypeQuotaSet"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["InstanceChargeType"] == charge)
            .unwrap()["Price"]
            .clone()
    };
    let postpaid = find("POSTPAID_BY_HOUR");
    let prepaid = find("PREPAID");
    // A 20 GiB CLOUD_BASIC system disk costs 6/month: 0.01/hour postpaid.
    let disk = json!({"DiskType": "CLOUD_BASIC", "DiskSize": 20});
    let q = c
        .cvm("InquiryPriceRunInstances", json!({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": "img-487zeit5", "InstanceType": "S5.MEDIUM4", "SystemDisk": disk}))
        .await
        .unwrap()
        .ok();
    let unit = q["Price"]["InstancePrice"]["UnitPrice"].as_f64().unwrap();
    assert!(
        (unit - postpaid["UnitPrice"].as_f64().unwrap() - 0.01).abs() < 0.011,
        "{unit} vs {postpaid}"
    );
    let q = c
        .cvm("InquiryPriceRunInstances", json!({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": "img-487zeit5", "InstanceType": "S5.MEDIUM4",
            "SystemDisk": disk, "InstanceChargeType": "PREPAID", "InstanceChargePrepaid": {"Period": 1}}))
        .await
        .unwrap()
        .ok();
    let total = q["Price"]["InstancePrice"]["OriginalPrice"]
        .as_f64()
        .unwrap();
    assert!(
        (total - prepaid["OriginalPrice"].as_f64().unwrap() - 6.0).abs() < 0.001,
        "{total} vs {prepaid}"
    );
    assert!(
        postpaid["UnitPriceSecondStep"].as_f64().unwrap() < postpaid["UnitPrice"].as_f64().unwrap()
    );
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn eips_key_pairs_and_security_groups() {
    let (sim, mut c) = sim(fast()).await;
    let id = c.cvm("RunInstances", json!({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": "img-487zeit5", "InternetAccessible": {"InternetMaxBandwidthOut": 5}}))
        .await
        .unwrap()
        .ok()["InstanceIdSet"][0]
        .as_str()
        .unwrap()
        .to_owned();
    let eip = c
        .vpc("AllocateAddresses", json!({"ClientToken": "eip-1"}))
        .await
        .unwrap()
        .ok()["AddressSet"][0]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        c.vpc("AllocateAddresses", json!({"ClientToken": "eip-1"}))
            .await
            .unwrap()
            .ok()["AddressSet"][0],
        eip.as_str()
    );
    c.vpc(
        "AssociateAddress",
        json!({"AddressId": eip, "InstanceId": id}),
    )
    .await
    .unwrap()
    .ok();
    let a = c
        .vpc("DescribeAddresses", json!({"AddressIds": [eip]}))
        .await
        .unwrap()
        .ok();
    assert_eq!(a["AddressSet"][0]["AddressStatus"], "BIND");
    assert_eq!(
        state_of(&mut c, &id).await["PublicIpAddresses"][0],
        a["AddressSet"][0]["AddressIp"]
    );
    assert_eq!(
        c.vpc("ReleaseAddresses", json!({"AddressIds": [eip]}))
            .await
            .unwrap()
            .error_code(),
        Some("UnsupportedOperation.AddressStatusNotPermit")
    );
    c.vpc("DisassociateAddress", json!({"AddressId": eip}))
        .await
        .unwrap()
        .ok();
    c.vpc("ReleaseAddresses", json!({"AddressIds": [eip]}))
        .await
        .unwrap()
        .ok();

    let kp = c
        .cvm("CreateKeyPair", json!({"KeyName": "ops", "ProjectId": 0}))
        .await
        .unwrap()
        .ok();
    assert!(
        kp["KeyPair"]["PrivateKey"]
            .as_str()
            .unwrap()
            .contains("PRIVATE KEY")
    );
    assert_eq!(
        c.cvm("CreateKeyPair", json!({"KeyName": "ops", "ProjectId": 0}))
            .await
            .unwrap()
            .error_code(),
        Some("InvalidKeyPairName.Duplicate")
    );
    assert_eq!(
        c.cvm(
            "CreateKeyPair",
            json!({"KeyName": "bad name", "ProjectId": 0})
        )
        .await
        .unwrap()
        .error_code(),
        Some("InvalidKeyPairNameIncludeIllegalChar")
    );
    let keys = c.cvm("DescribeKeyPairs", json!({})).await.unwrap().ok();
    assert_eq!(keys["TotalCount"], 1);

    let sgs = c
        .vpc("DescribeSecurityGroups", json!({}))
        .await
        .unwrap()
        .ok();
    let sg = sgs["SecurityGroupSet"][0]["SecurityGroupId"]
        .as_str()
        .unwrap()
        .to_owned();
    let pol = c
        .vpc(
            "DescribeSecurityGroupPolicies",
            json!({"SecurityGroupId": sg}),
        )
        .await
        .unwrap()
        .ok();
    assert!(
        !pol["SecurityGroupPolicySet"]["Ingress"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        c.vpc(
            "DescribeVpcs",
            json!({"VpcIds": ["vpc-12345678"], "Filters": [{"Name": "vpc-id", "Values": ["x"]}]})
        )
        .await
        .unwrap()
        .error_code(),
        Some("InvalidParameter.Coexist")
    );
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn preload_of_ten_thousand_is_fast_and_deterministic() {
    let t0 = std::time::Instant::now();
    let (a, mut c) = sim(Config {
        preload: 10_000,
        seed: 1,
        ..fast()
    })
    .await;
    let took = t0.elapsed();
    assert!(took < Duration::from_secs(10), "{took:?}");
    let (b, _) = sim(Config {
        preload: 10_000,
        seed: 1,
        ..fast()
    })
    .await;
    // Times are relative to the start; everything else is the same for the same seed.
    let shape = |w: Value| -> Vec<String> {
        let mut out = Vec::new();
        for (region, r) in w["accounts"][cvm_sim::DEFAULT_ACCOUNT]["regions"]
            .as_object()
            .unwrap()
        {
            for i in r["instances"].as_object().unwrap().values() {
                out.push(format!(
                    "{region} {} {} {} {} {}",
                    i["id"], i["zone"], i["instance_type"], i["charge_type"], i["state"]
                ));
            }
        }
        out
    };
    let (sa, sb) = (shape(a.world_json()), shape(b.world_json()));
    assert_eq!(sa.len(), 10_000);
    assert!(sa == sb, "same seed, different worlds");
    let page = c
        .cvm("DescribeInstances", json!({"Limit": 100}))
        .await
        .unwrap()
        .ok();
    assert_eq!(page["InstanceSet"].as_array().unwrap().len(), 100);
    a.shutdown().await.unwrap();
    b.shutdown().await.unwrap();
}

#[tokio::test]
async fn record_answers_appends_every_answer_with_its_action() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("answers.jsonl");
    let (sim, mut c) = sim(Config {
        record_answers: Some(file.clone()),
        ..fast()
    })
    .await;
    let zones = c.cvm("DescribeZones", json!({})).await.unwrap().ok();
    let refused = c.vpc("DescribeVpcs", json!({"Colour": 1})).await.unwrap();
    let mut bad = SimClient::new(
        sim.addr(),
        Credential::new(cvm_sim::DEFAULT_SECRET_ID, "wrong"),
        "ap-guangzhou",
    );
    bad.cvm("DescribeZones", json!({})).await.unwrap();
    sim.shutdown().await.unwrap();
    let lines: Vec<Value> = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{lines:#?}");
    assert_eq!(lines[0]["service"], "cvm");
    assert_eq!(lines[0]["version"], "2017-03-12");
    assert_eq!(lines[0]["action"], "DescribeZones");
    assert_eq!(lines[0]["answer"]["Response"]["ZoneSet"], zones["ZoneSet"]);
    assert_eq!(lines[1]["action"], "DescribeVpcs");
    assert_eq!(
        lines[1]["answer"]["Response"]["Error"]["Code"],
        refused.error_code().unwrap()
    );
    // Refused before routing: no action, the error envelope only.
    assert_eq!(lines[2]["action"], Value::Null);
    assert_eq!(
        lines[2]["answer"]["Response"]["Error"]["Code"],
        "AuthFailure.SignatureFailure"
    );
}

#[tokio::test]
async fn an_answers_file_that_cannot_be_opened_stops_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let err = cvm_sim::start(Config {
        record_answers: Some(dir.path().join("missing").join("answers.jsonl")),
        ..fast()
    })
    .await
    .err()
    .expect("refused");
    assert!(err.to_string().contains("answers file"), "{err}");
}

#[tokio::test]
async fn disks_keep_the_encryption_they_were_launched_with() {
    let (sim, mut c) = sim(fast()).await;
    let launch = |disks: Value| {
        json!({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": "img-487zeit5",
               "InstanceType": "S5.MEDIUM4", "SystemDisk": {"DiskSize": 50, "Encrypt": true},
               "DataDisks": disks})
    };
    let id = c
        .cvm(
            "RunInstances",
            launch(json!([
                {"DiskSize": 100, "Encrypt": true, "KmsKeyId": "kms-abcd1234"},
                {"DiskSize": 50, "KmsKeyId": "kms-wxyz5678"},
                {"DiskSize": 20}
            ])),
        )
        .await
        .unwrap()
        .ok()["InstanceIdSet"][0]
        .as_str()
        .unwrap()
        .to_owned();
    let i = state_of(&mut c, &id).await;
    assert_eq!(i["SystemDisk"]["Encrypt"], true);
    assert_eq!(i["SystemDisk"]["KmsKeyId"], "");
    let disks = i["DataDisks"].as_array().unwrap();
    let shown: Vec<(bool, &str)> = disks
        .iter()
        .map(|d| {
            (
                d["Encrypt"].as_bool().unwrap(),
                d["KmsKeyId"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [(true, "kms-abcd1234"), (true, "kms-wxyz5678"), (false, "")]
    );
    let refused = c
        .cvm(
            "RunInstances",
            launch(json!([{"DiskSize": 100, "Encrypt": false, "KmsKeyId": "kms-abcd1234"}])),
        )
        .await
        .unwrap();
    assert_eq!(refused.error_code(), Some("InvalidParameterCombination"));
    assert!(
        refused.response["Error"]["Message"]
            .as_str()
            .unwrap()
            .contains("DataDisks.0.KmsKeyId")
    );
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn latency_delays_api_answers_but_not_the_health_path() {
    let (sim, mut c) = sim(Config {
        latency: Duration::from_millis(1500),
        ..fast()
    })
    .await;
    let t0 = std::time::Instant::now();
    c.cvm("DescribeZones", json!({})).await.unwrap().ok();
    assert!(
        t0.elapsed() >= Duration::from_millis(1500),
        "{:?}",
        t0.elapsed()
    );
    // A refused request is delayed too: the trip happens before the signature is read.
    let mut wrong = SimClient::new(
        sim.addr(),
        Credential::new(cvm_sim::DEFAULT_SECRET_ID, "nope"),
        "ap-guangzhou",
    );
    let t0 = std::time::Instant::now();
    let refused = wrong.cvm("DescribeZones", json!({})).await.unwrap();
    assert_eq!(refused.error_code(), Some("AuthFailure.SignatureFailure"));
    assert!(
        t0.elapsed() >= Duration::from_millis(1500),
        "{:?}",
        t0.elapsed()
    );
    let t0 = std::time::Instant::now();
    let health = c
        .send(
            http::Request::get(cvm_sim::HEALTH_PATH)
                .header("host", sim.addr().to_string())
                .body(http_body_util::Full::new(bytes::Bytes::new()))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");
    assert!(
        t0.elapsed() < Duration::from_millis(1500),
        "{:?}",
        t0.elapsed()
    );
    sim.set_latency(Duration::ZERO);
    let t0 = std::time::Instant::now();
    c.cvm("DescribeZones", json!({})).await.unwrap().ok();
    assert!(
        t0.elapsed() < Duration::from_millis(1500),
        "{:?}",
        t0.elapsed()
    );
}
