//! No request, however malformed, crashes the emulator or half-changes the world: every
//! one gets a Tencent envelope with a RequestId, and a failed call changes nothing.

use cvm_sim::client::SimClient;
use cvm_sim::{Config, Credential, RateLimit};
use http::Method;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

type Mutation = Box<dyn Fn(&mut http::Request<http_body_util::Full<bytes::Bytes>>)>;

const ACTIONS: &[&str] = &[
    "DescribeInstances",
    "RunInstances",
    "StartInstances",
    "StopInstances",
    "TerminateInstances",
    "ResetInstancesType",
    "ModifyInstancesAttribute",
    "ModifyInstancesChargeType",
    "RenewInstances",
    "ResetInstancesInternetMaxBandwidth",
    "InquiryPriceRunInstances",
    "DescribeZoneInstanceConfigInfos",
    "CreateKeyPair",
    "DeleteKeyPairs",
    "DescribeImages",
];

const NAMES: &[&str] = &[
    "InstanceIds",
    "Filters",
    "Limit",
    "Offset",
    "Placement",
    "Zone",
    "ImageId",
    "InstanceType",
    "InstanceChargeType",
    "InstanceChargePrepaid",
    "Period",
    "InternetAccessible",
    "InternetMaxBandwidthOut",
    "DryRun",
    "ClientToken",
    "Name",
    "Values",
    "KeyName",
    "ProjectId",
    "StopType",
    "InstanceName",
    "Bogus",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|i| json!(i)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        prop::sample::select(vec![
            "ins-00000000",
            "ap-guangzhou-3",
            "img-487zeit5",
            "S5.MEDIUM4",
            "PREPAID",
            "",
            "zone",
            "x"
        ])
        .prop_map(|s| json!(s)),
        ".{0,12}".prop_map(Value::String),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(NAMES), inner), 0..5).prop_map(|kv| {
                Value::Object(
                    kv.into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect::<Map<_, _>>(),
                )
            }),
        ]
    })
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..64),
        prop::collection::vec((prop::sample::select(NAMES), value()), 0..6).prop_map(|kv| {
            let m: Map<String, Value> = kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            serde_json::to_vec(&Value::Object(m)).unwrap()
        }),
        value().prop_map(|v| serde_json::to_vec(&v).unwrap()),
    ]
}

fn is_envelope(v: &Value) -> bool {
    v["Response"]["RequestId"].is_string()
}

#[test]
fn arbitrary_signed_bodies_get_envelopes_and_errors_change_nothing() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (sim, _warm) = rt.block_on(async {
        let sim = cvm_sim::start(Config {
            preload: 30,
            seed: 2,
            time_scale: 0.0,
            rate_limit: RateLimit::Off,
            ..Default::default()
        })
        .await
        .unwrap();
        let mut c = SimClient::new(sim.addr(), Credential::default(), "ap-guangzhou");
        c.cvm("DescribeZones", json!({})).await.unwrap();
        (sim, c)
    });
    proptest!(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() },
        |(action in prop::sample::select(ACTIONS), body in body(), get in any::<bool>())| {
        let before = sim.world_json();
        let v = rt.block_on(async {
            let mut client = SimClient::new(sim.addr(), Credential::default(), "ap-guangzhou");
            let req = if get {
                let q: String = body.iter().map(|b| format!("%{b:02X}")).collect();
                client.build_raw("cvm", action, Method::GET, Vec::new(), format!("A={q}"), cvm_sim::clock::wall_ms() / 1000)
            } else {
                client.build_raw("cvm", action, Method::POST, body.clone(), String::new(), cvm_sim::clock::wall_ms() / 1000)
            }
            .unwrap();
            client.send(req).await.unwrap()
        });
        prop_assert!(is_envelope(&v), "{v}");
        if v["Response"]["Error"].is_object() {
            prop_assert_eq!(&before, &sim.world_json());
        }
    });
    rt.block_on(sim.shutdown()).unwrap();
}

#[tokio::test]
async fn malformed_headers_and_sizes_get_tencent_errors() {
    let sim = cvm_sim::start(Config {
        time_scale: 0.0,
        rate_limit: RateLimit::Off,
        ..Default::default()
    })
    .await
    .unwrap();
    let mut c = SimClient::new(sim.addr(), Credential::default(), "ap-guangzhou");
    let ts = cvm_sim::clock::wall_ms() / 1000;
    let cases: Vec<(&str, Mutation)> = vec![
        (
            "AuthFailure.InvalidAuthorization",
            Box::new(|r| {
                r.headers_mut().remove("authorization");
            }),
        ),
        (
            "AuthFailure.InvalidAuthorization",
            Box::new(|r| {
                r.headers_mut().insert(
                    "authorization",
                    http::HeaderValue::from_bytes(b"TC3-HMAC-SHA256 \xff\xfe").unwrap(),
                );
            }),
        ),
        (
            "MissingParameter",
            Box::new(|r| {
                r.headers_mut().remove("x-tc-timestamp");
            }),
        ),
        (
            "InvalidParameter",
            Box::new(|r| {
                r.headers_mut()
                    .insert("x-tc-timestamp", "soon".parse().unwrap());
            }),
        ),
        (
            "MissingParameter",
            Box::new(|r| {
                r.headers_mut().remove("x-tc-action");
            }),
        ),
        (
            "NoSuchVersion",
            Box::new(|r| {
                r.headers_mut()
                    .insert("x-tc-version", "2099-01-01".parse().unwrap());
            }),
        ),
        (
            "MissingParameter",
            Box::new(|r| {
                r.headers_mut().remove("x-tc-region");
            }),
        ),
        (
            "InvalidParameterValue",
            Box::new(|r| {
                r.headers_mut()
                    .insert("x-tc-language", "fr-FR".parse().unwrap());
            }),
        ),
        (
            "AuthFailure.TokenFailure",
            Box::new(|r| {
                r.headers_mut()
                    .insert("x-tc-token", "whatever".parse().unwrap());
            }),
        ),
    ];
    for (code, mutate) in cases {
        let mut req = c
            .build("cvm", "DescribeZones", Method::POST, &json!({}), ts)
            .unwrap();
        mutate(&mut req);
        let v = c.send(req).await.unwrap();
        assert_eq!(v["Response"]["Error"]["Code"], code, "{v}");
        assert!(is_envelope(&v));
    }
    // Unsupported method.
    let mut req = c
        .build("cvm", "DescribeZones", Method::POST, &json!({}), ts)
        .unwrap();
    *req.method_mut() = Method::PUT;
    assert_eq!(
        c.send(req).await.unwrap()["Response"]["Error"]["Code"],
        "UnsupportedProtocol"
    );
    // Over-size bodies and queries.
    let huge = vec![b' '; 10 * 1024 * 1024 + 10];
    let req = c
        .build_raw(
            "cvm",
            "DescribeZones",
            Method::POST,
            huge,
            String::new(),
            ts,
        )
        .unwrap();
    assert_eq!(
        c.send(req).await.unwrap()["Response"]["Error"]["Code"],
        "RequestSizeLimitExceeded"
    );
    let mut c = SimClient::new(sim.addr(), Credential::default(), "ap-guangzhou");
    let req = c
        .build_raw(
            "cvm",
            "DescribeZones",
            Method::GET,
            Vec::new(),
            format!("A={}", "x".repeat(40_000)),
            ts,
        )
        .unwrap();
    assert_eq!(
        c.send(req).await.unwrap()["Response"]["Error"]["Code"],
        "RequestSizeLimitExceeded"
    );
    // Not JSON.
    let mut c = SimClient::new(sim.addr(), Credential::default(), "ap-guangzhou");
    let req = c
        .build_raw(
            "cvm",
            "DescribeZones",
            Method::POST,
            b"{not json".to_vec(),
            String::new(),
            ts,
        )
        .unwrap();
    assert_eq!(
        c.send(req).await.unwrap()["Response"]["Error"]["Code"],
        "InvalidParameter"
    );
    sim.shutdown().await.unwrap();
}
