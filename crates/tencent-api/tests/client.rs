//! Client behaviour over an in-memory transport on tokio's paused clock: headers and
//! signatures, input checks before the network, envelope decoding, retries, clock skew,
//! paging, the budget, tracing and the activity log.

use futures::StreamExt;
use futures::future::BoxFuture;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tencent_api::models::{cvm, vpc};
use tencent_api::sign::{self, Payload, ReceivedRequest};
use tencent_api::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use tencent_api::{
    BudgetProfile, CallOutcome, CallRecord, Client, ClientBuilder, Credentials, Endpoint,
    ErrorKind, HttpMethod, Language, Limit, MAX_CLOCK_OFFSET, MAX_TOTAL_COUNT, PAGE_SLACK,
    RetryPolicy, TransportKind,
};

const ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
const KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
const NOW: i64 = 1_750_000_000;

type Reply = Result<HttpResponse, TransportError>;
type Handler = dyn Fn(&HttpRequest, usize) -> Reply + Send + Sync;

/// Answers with `handler(request, call_index)` and keeps every request.
struct Fake {
    handler: Box<Handler>,
    seen: Mutex<Vec<HttpRequest>>,
}

impl Fake {
    fn new(h: impl Fn(&HttpRequest, usize) -> Reply + Send + Sync + 'static) -> Arc<Self> {
        Arc::new(Self {
            handler: Box::new(h),
            seen: Mutex::new(Vec::new()),
        })
    }
    fn requests(&self) -> Vec<HttpRequest> {
        self.seen.lock().unwrap().clone()
    }
    fn count(&self) -> usize {
        self.seen.lock().unwrap().len()
    }
}

impl Transport for Fake {
    fn send(&self, req: HttpRequest) -> BoxFuture<'static, Reply> {
        let n = {
            let mut seen = self.seen.lock().unwrap();
            seen.push(req.clone());
            seen.len() - 1
        };
        let r = (self.handler)(&req, n);
        Box::pin(async move { r })
    }
}

fn ok(body: Value) -> Reply {
    Ok(HttpResponse {
        status: 200,
        date: None,
        body: body.to_string().into(),
    })
}

fn api_error(code: &str) -> Reply {
    ok(
        json!({"Response": {"Error": {"Code": code, "Message": "m"}, "RequestId": format!("rid-{code}")}}),
    )
}

fn net(kind: TransportKind) -> Reply {
    Err(TransportError {
        kind,
        detail: "simulated".into(),
    })
}

fn header<'a>(r: &'a HttpRequest, name: &str) -> Option<&'a str> {
    r.headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn body_json(r: &HttpRequest) -> Value {
    serde_json::from_slice(&r.body).unwrap()
}

fn builder(fake: &Arc<Fake>) -> ClientBuilder {
    Client::builder(Credentials::new(ID, KEY))
        .transport(fake.clone())
        .endpoint(Endpoint::Custom("http://127.0.0.1:18080".into()))
        .budget_profile(BudgetProfile::custom(
            "unlimited",
            Limit::per_second(100_000, 100_000),
            None,
        ))
        .retry(RetryPolicy {
            jitter: false,
            ..RetryPolicy::default()
        })
        .unix_clock(|| NOW)
}

/// Checks a request the way the gateway does.
fn verify(r: &HttpRequest, service: &str, now: i64) -> Result<(), sign::VerifyError> {
    let auth = sign::parse_authorization(header(r, "Authorization").unwrap())?;
    let lookup = |n: &str| header(r, n);
    let unsigned = header(r, "X-TC-Content-SHA256") == Some("UNSIGNED-PAYLOAD");
    sign::verify(
        &auth,
        KEY.as_bytes(),
        service,
        now,
        &ReceivedRequest {
            method: r.method,
            query: r.url.query().unwrap_or(""),
            header: &lookup,
            payload: if unsigned {
                Payload::Unsigned
            } else {
                Payload::Body(&r.body)
            },
            timestamp: header(r, "X-TC-Timestamp").unwrap().parse().unwrap(),
        },
    )
}

fn instances_page(offset: usize, limit: usize, total: usize) -> Value {
    let items: Vec<Value> = (offset..(offset + limit).min(total))
        .map(|i| json!({"InstanceId": format!("ins-{i:08}"), "InstanceState": "RUNNING", "Unknown": {"x": 1}}))
        .collect();
    json!({"Response": {"TotalCount": total, "InstanceSet": items, "RequestId": format!("rid-{offset}")}})
}

#[tokio::test(start_paused = true)]
async fn post_requests_carry_the_common_headers_and_verify() {
    let fake = Fake::new(|_, _| {
        ok(json!({"Response": {"TotalCount": 0, "ZoneSet": [], "RequestId": "r1"}}))
    });
    let client = builder(&fake)
        .language(Language::EnUs)
        .request_client("CVM-Console_0.1.0")
        .build()
        .unwrap();
    let out = client
        .describe_zones("ap-guangzhou", &cvm::DescribeZonesRequest::default())
        .await
        .unwrap();
    assert_eq!(out.total_count, Some(0));
    assert_eq!(out.request_id.as_deref(), Some("r1"));
    let r = &fake.requests()[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.url.as_str(), "http://127.0.0.1:18080/");
    assert_eq!(header(r, "Host"), Some("127.0.0.1:18080"));
    assert_eq!(header(r, "X-TC-Action"), Some("DescribeZones"));
    assert_eq!(header(r, "X-TC-Version"), Some("2017-03-12"));
    assert_eq!(header(r, "X-TC-Region"), Some("ap-guangzhou"));
    assert_eq!(header(r, "X-TC-Language"), Some("en-US"));
    assert_eq!(header(r, "X-TC-RequestClient"), Some("CVM-Console_0.1.0"));
    assert_eq!(header(r, "X-TC-Timestamp"), Some("1750000000"));
    assert_eq!(header(r, "Content-Type"), Some("application/json"));
    assert_eq!(header(r, "X-TC-Token"), None);
    assert_eq!(verify(r, "cvm", NOW), Ok(()));
}

#[tokio::test(start_paused = true)]
async fn get_token_unsigned_payload_and_signed_action_header_all_verify() {
    let fake = Fake::new(|_, _| {
        ok(json!({"Response": {"TotalCount": 0, "VpcSet": [], "RequestId": "r"}}))
    });
    for (method, unsigned, action_header) in [
        (HttpMethod::Get, false, false),
        (HttpMethod::Post, true, false),
        (HttpMethod::Post, false, true),
    ] {
        let client = builder(&fake)
            .method(method)
            .unsigned_payload(unsigned)
            .sign_action_header(action_header)
            .build()
            .unwrap();
        let client = Client::builder(Credentials::with_token(ID, KEY, "STS-TOKEN"))
            .transport(fake.clone())
            .endpoint(Endpoint::Custom("http://127.0.0.1:18080".into()))
            .method(method)
            .unsigned_payload(unsigned)
            .sign_action_header(action_header)
            .unix_clock(|| NOW)
            .build()
            .map(|c| (c, client))
            .unwrap()
            .0;
        let req = vpc::DescribeVpcsRequest {
            filters: Some(vec![vpc::Filter {
                name: Some("vpc-name".into()),
                values: Some(vec!["a b".into()]),
            }]),
            limit: Some("20".into()),
            ..Default::default()
        };
        client.describe_vpcs("ap-guangzhou", &req).await.unwrap();
        let r = fake.requests().pop().unwrap();
        assert_eq!(
            verify(&r, "vpc", NOW),
            Ok(()),
            "{method:?} {unsigned} {action_header}"
        );
        assert_eq!(header(&r, "X-TC-Token"), Some("STS-TOKEN"));
        if method == HttpMethod::Get {
            assert_eq!(r.method, "GET");
            assert!(r.body.is_empty());
            assert_eq!(
                r.url.query(),
                Some("Filters.0.Name=vpc-name&Filters.0.Values.0=a+b&Limit=20")
            );
            assert_eq!(
                header(&r, "Content-Type"),
                Some("application/x-www-form-urlencoded")
            );
        }
        if unsigned {
            assert_eq!(header(&r, "X-TC-Content-SHA256"), Some("UNSIGNED-PAYLOAD"));
        }
        if action_header {
            assert!(
                header(&r, "Authorization")
                    .unwrap()
                    .contains("SignedHeaders=content-type;host;x-tc-action")
            );
        }
    }
}

#[tokio::test(start_paused = true)]
async fn bad_input_fails_before_any_network_call() {
    let fake = Fake::new(|_, _| panic!("no request may be sent"));
    let client = builder(&fake).build().unwrap();
    let field = |e: tencent_api::Error| {
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        e.field().unwrap().to_owned()
    };
    let d = cvm::DescribeInstancesRequest::default();
    assert_eq!(
        field(client.describe_instances("", &d).await.unwrap_err()),
        "Region"
    );
    assert_eq!(
        field(
            client
                .describe_instances("guangzhou", &d)
                .await
                .unwrap_err()
        ),
        "Region"
    );
    let stop = cvm::StopInstancesRequest {
        instance_ids: Some(vec!["ins-1122".into()]),
        ..Default::default()
    };
    assert_eq!(
        field(
            client
                .stop_instances("ap-guangzhou", &stop)
                .await
                .unwrap_err()
        ),
        "InstanceIds"
    );
    let many = cvm::StopInstancesRequest {
        instance_ids: Some((0..101).map(|i| format!("ins-{i:08}")).collect()),
        ..Default::default()
    };
    assert_eq!(
        field(
            client
                .stop_instances("ap-guangzhou", &many)
                .await
                .unwrap_err()
        ),
        "InstanceIds"
    );
    let img = cvm::DescribeImagesRequest {
        image_ids: Some(vec!["img-bad".into()]),
        ..Default::default()
    };
    assert_eq!(
        field(
            client
                .describe_images("ap-guangzhou", &img)
                .await
                .unwrap_err()
        ),
        "ImageIds"
    );
    let vpcs = vpc::DescribeVpcsRequest {
        vpc_ids: Some(vec!["vpc-123".into()]),
        ..Default::default()
    };
    assert_eq!(
        field(
            client
                .describe_vpcs("ap-guangzhou", &vpcs)
                .await
                .unwrap_err()
        ),
        "VpcIds"
    );
    let lim = cvm::DescribeInstancesRequest {
        limit: Some(101),
        ..Default::default()
    };
    assert_eq!(
        field(
            client
                .describe_instances("ap-guangzhou", &lim)
                .await
                .unwrap_err()
        ),
        "Limit"
    );
    let lim = vpc::DescribeSubnetsRequest {
        limit: Some("500".into()),
        ..Default::default()
    };
    assert_eq!(
        field(
            client
                .describe_subnets("ap-guangzhou", &lim)
                .await
                .unwrap_err()
        ),
        "Limit"
    );
    let e = Client::builder(Credentials::new(ID, KEY))
        .transport(fake.clone())
        .endpoint(Endpoint::Custom("http://192.0.2.10:8080".into()))
        .build()
        .unwrap_err();
    assert_eq!(field(e), "endpoint");
    assert_eq!(fake.count(), 0);
}

#[tokio::test(start_paused = true)]
async fn api_errors_keep_code_message_and_request_id() {
    let fake = Fake::new(|_, _| api_error("InvalidInstanceId.NotFound"));
    let client = builder(&fake).build().unwrap();
    let req = cvm::StartInstancesRequest {
        instance_ids: Some(vec!["ins-r8hr2upy".into()]),
    };
    let e = client
        .start_instances("ap-guangzhou", &req)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "InvalidInstanceId.NotFound");
    assert_eq!(e.message(), "m");
    assert_eq!(e.request_id(), Some("rid-InvalidInstanceId.NotFound"));
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert!(!e.outcome_unknown());
}

#[tokio::test(start_paused = true)]
async fn malformed_truncated_and_non_200_answers_are_errors_not_panics() {
    let bodies: Vec<(u16, &'static str)> = vec![
        (
            200,
            r#"{"Response": {"RequestId": "rid-1", "TotalCount": 3, "InstanceSet": [{"InstanceId": "ins-0000"#,
        ),
        (200, "<html>gateway</html>"),
        (200, ""),
        (
            200,
            r#"{"Response": {"RequestId": "rid-2", "TotalCount": "three"}}"#,
        ),
        (200, r#"{"NoResponse": {}}"#),
        (
            200,
            r#"{"Response": {"Error": {"Message": "no code"}, "RequestId": "rid-3"}}"#,
        ),
        (502, "bad gateway"),
    ];
    let bodies = Arc::new(bodies);
    let b = bodies.clone();
    let fake = Fake::new(move |_, n| {
        let (status, body) = b[n % b.len()];
        Ok(HttpResponse {
            status,
            date: None,
            body: body.as_bytes().to_vec().into(),
        })
    });
    let client = builder(&fake)
        .retry(RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let mut errors = Vec::new();
    for _ in 0..bodies.len() {
        errors.push(
            client
                .describe_instances("ap-guangzhou", &Default::default())
                .await
                .unwrap_err(),
        );
    }
    assert_eq!(errors[0].code(), "ClientError.Decode");
    assert_eq!(errors[0].request_id(), Some("rid-1"));
    assert_eq!(errors[1].code(), "ClientError.Decode");
    assert_eq!(errors[2].code(), "ClientError.Decode");
    assert_eq!(errors[3].code(), "ClientError.Decode");
    assert_eq!(errors[3].request_id(), Some("rid-2"));
    assert_eq!(errors[4].code(), "ClientError.Decode");
    assert_eq!(errors[5].code(), "ClientError.Decode");
    assert_eq!(errors[5].request_id(), Some("rid-3"));
    assert_eq!(errors[6].code(), "ServerNetworkError");
    assert_eq!(errors[6].kind(), ErrorKind::Server);
}

#[tokio::test(start_paused = true)]
async fn absent_null_and_unknown_fields_decode() {
    let fake = Fake::new(|_, _| {
        ok(
            json!({"Response": {"TotalCount": 1, "InstanceSet": [{"InstanceId": "ins-r8hr2upy", "PublicIpAddresses": null,
            "Placement": {"Zone": "ap-guangzhou-3", "Brand": "new"}, "CPU": 2, "FutureField": [1, 2]}], "RequestId": "r"}}),
        )
    });
    let client = builder(&fake).build().unwrap();
    let out = client
        .describe_instances("ap-guangzhou", &Default::default())
        .await
        .unwrap();
    let i = &out.instance_set.unwrap()[0];
    assert_eq!(i.cpu, Some(2));
    assert_eq!(i.public_ip_addresses, None);
    assert_eq!(i.memory, None);
    assert_eq!(
        i.placement.as_ref().unwrap().zone.as_deref(),
        Some("ap-guangzhou-3")
    );
}

#[tokio::test(start_paused = true)]
async fn reads_retry_transient_failures_with_backoff() {
    let fake = Fake::new(|_, n| match n {
        0 => api_error("RequestLimitExceeded"),
        1 => api_error("InternalError"),
        2 => net(TransportKind::Timeout),
        3 => net(TransportKind::Status(503)),
        _ => ok(instances_page(0, 1, 1)),
    });
    let records = Arc::new(Mutex::new(Vec::<CallRecord>::new()));
    let r2 = records.clone();
    let client = builder(&fake)
        .retry(RetryPolicy {
            max_attempts: 5,
            jitter: false,
            ..RetryPolicy::default()
        })
        .on_call(move |r| r2.lock().unwrap().push(r.clone()))
        .build()
        .unwrap();
    let started = tokio::time::Instant::now();
    client
        .describe_instances("ap-guangzhou", &Default::default())
        .await
        .unwrap();
    assert_eq!(fake.count(), 5);
    // 200 + 400 + 800 + 1600 ms of back-off.
    assert!(
        started.elapsed() >= Duration::from_millis(3000),
        "{:?}",
        started.elapsed()
    );
    let rec = records.lock().unwrap();
    assert_eq!(rec.len(), 1);
    assert_eq!(rec[0].attempts, 5);
    assert_eq!(rec[0].throttled, 1);
    assert_eq!(rec[0].outcome, CallOutcome::Ok);
    assert_eq!(rec[0].request_id.as_deref(), Some("rid-0"));
}

#[tokio::test(start_paused = true)]
async fn reads_give_up_after_max_attempts_and_do_not_retry_permanent_errors() {
    let fake = Fake::new(|_, _| api_error("InternalError"));
    let client = builder(&fake)
        .retry(RetryPolicy {
            max_attempts: 3,
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let e = client
        .describe_instances("ap-guangzhou", &Default::default())
        .await
        .unwrap_err();
    assert_eq!((e.code(), fake.count()), ("InternalError", 3));

    let fake = Fake::new(|_, _| api_error("InvalidParameterValue"));
    let client = builder(&fake).build().unwrap();
    client
        .describe_instances("ap-guangzhou", &Default::default())
        .await
        .unwrap_err();
    assert_eq!(fake.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn other_mutations_are_never_retried_and_report_outcome_unknown() {
    for (reply, unknown) in [
        (net(TransportKind::Timeout), true),
        (net(TransportKind::Reset), true),
        (net(TransportKind::Status(502)), true),
        (net(TransportKind::Connect), false),
    ] {
        let reply = Arc::new(reply);
        let r = reply.clone();
        let fake = Fake::new(move |_, _| (*r).clone());
        let client = builder(&fake).build().unwrap();
        let req = cvm::StopInstancesRequest {
            instance_ids: Some(vec!["ins-r8hr2upy".into()]),
            ..Default::default()
        };
        let e = client
            .stop_instances("ap-guangzhou", &req)
            .await
            .unwrap_err();
        assert_eq!(fake.count(), 1);
        assert_eq!(e.outcome_unknown(), unknown, "{e}");
    }
    let fake = Fake::new(|_, _| api_error("RequestLimitExceeded"));
    let client = builder(&fake).build().unwrap();
    let req = cvm::TerminateInstancesRequest {
        instance_ids: Some(vec!["ins-r8hr2upy".into()]),
        ..Default::default()
    };
    let e = client
        .terminate_instances("ap-guangzhou", &req)
        .await
        .unwrap_err();
    assert_eq!((e.kind(), fake.count()), (ErrorKind::Throttled, 1));
    // RunInstances without a ClientToken is an ordinary mutation.
    let fake = Fake::new(|_, _| net(TransportKind::Timeout));
    let client = builder(&fake).build().unwrap();
    let e = client
        .run_instances("ap-guangzhou", &cvm::RunInstancesRequest::default())
        .await
        .unwrap_err();
    assert!(e.outcome_unknown());
    assert_eq!(fake.count(), 1);
    // An unreadable 200 answer to a mutation may hide a success; to a read it does not matter.
    let fake = Fake::new(|_, _| {
        Ok(HttpResponse {
            status: 200,
            date: None,
            body: br#"{"Response": {"RequestId": "r-9""#.to_vec().into(),
        })
    });
    let client = builder(&fake).build().unwrap();
    let req = cvm::StopInstancesRequest {
        instance_ids: Some(vec!["ins-r8hr2upy".into()]),
        ..Default::default()
    };
    let e = client
        .stop_instances("ap-guangzhou", &req)
        .await
        .unwrap_err();
    assert_eq!(
        (e.code(), e.outcome_unknown(), e.request_id()),
        ("ClientError.Decode", true, Some("r-9"))
    );
    let e = client
        .describe_zones("ap-guangzhou", &Default::default())
        .await
        .unwrap_err();
    assert_eq!(
        (e.code(), e.outcome_unknown()),
        ("ClientError.Decode", false)
    );
}

#[tokio::test(start_paused = true)]
async fn run_instances_with_a_client_token_retries_with_the_same_token() {
    let fake = Fake::new(|_, n| match n {
        0 => net(TransportKind::Timeout),
        1 => net(TransportKind::Reset),
        _ => ok(json!({"Response": {"InstanceIdSet": ["ins-r8hr2upy"], "RequestId": "r"}})),
    });
    let client = builder(&fake).build().unwrap();
    let token = tencent_api::new_client_token();
    let req = cvm::RunInstancesRequest {
        client_token: Some(token.clone()),
        image_id: Some("img-pmqg1cw7".into()),
        placement: Some(cvm::Placement {
            zone: Some("ap-guangzhou-6".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let out = client.run_instances("ap-guangzhou", &req).await.unwrap();
    assert_eq!(out.instance_id_set, Some(vec!["ins-r8hr2upy".into()]));
    let reqs = fake.requests();
    assert_eq!(reqs.len(), 3);
    for r in &reqs {
        assert_eq!(body_json(r)["ClientToken"], json!(token));
    }
    // AllocateAddresses too.
    let fake = Fake::new(|_, n| {
        if n == 0 {
            net(TransportKind::Timeout)
        } else {
            ok(json!({"Response": {"RequestId": "r"}}))
        }
    });
    let client = builder(&fake).build().unwrap();
    let req = vpc::AllocateAddressesRequest {
        client_token: Some("tok-1".into()),
        ..Default::default()
    };
    client
        .allocate_addresses("ap-guangzhou", &req)
        .await
        .unwrap();
    assert_eq!(fake.count(), 2);
}

#[tokio::test(start_paused = true)]
async fn clock_skew_is_learned_from_the_date_header_and_kept() {
    let server_now = NOW + 3600;
    let date = "Sun, 15 Jun 2025 16:06:40 GMT"; // = NOW + 3600
    let fake = Fake::new(move |r, _| {
        let ts: i64 = header(r, "X-TC-Timestamp").unwrap().parse().unwrap();
        let body = if (ts - server_now).abs() > 300 {
            json!({"Response": {"Error": {"Code": "AuthFailure.SignatureExpire", "Message": "m"}, "RequestId": "r"}})
        } else {
            instances_page(0, 0, 0)
        };
        Ok(HttpResponse {
            status: 200,
            date: Some(date.into()),
            body: body.to_string().into(),
        })
    });
    let client = builder(&fake).build().unwrap();
    client
        .describe_instances("ap-guangzhou", &Default::default())
        .await
        .unwrap();
    assert_eq!(client.clock_offset(), 3600);
    assert_eq!(fake.count(), 2);
    // Kept for later calls: no second rejection.
    client
        .describe_instances("ap-guangzhou", &Default::default())
        .await
        .unwrap();
    assert_eq!(fake.count(), 3);
    assert_eq!(
        header(&fake.requests()[2], "X-TC-Timestamp"),
        Some("1750003600")
    );
    // Mutations are rejected before execution on a bad timestamp, so they are repaired too.
    let fake = Fake::new(move |r, _| {
        let ts: i64 = header(r, "X-TC-Timestamp").unwrap().parse().unwrap();
        let body = if (ts - server_now).abs() > 300 {
            json!({"Response": {"Error": {"Code": "AuthFailure.SignatureExpire", "Message": "m"}, "RequestId": "r"}})
        } else {
            json!({"Response": {"RequestId": "ok"}})
        };
        Ok(HttpResponse {
            status: 200,
            date: Some(date.into()),
            body: body.to_string().into(),
        })
    });
    let client = builder(&fake).build().unwrap();
    let req = cvm::StopInstancesRequest {
        instance_ids: Some(vec!["ins-r8hr2upy".into()]),
        ..Default::default()
    };
    client.stop_instances("ap-guangzhou", &req).await.unwrap();
    assert_eq!(fake.count(), 2);
}

#[tokio::test(start_paused = true)]
async fn clock_skew_is_retried_only_once() {
    let fake = Fake::new(|_, _| {
        Ok(HttpResponse {
            status: 200,
            date: Some("Thu, 01 Jan 2015 00:00:00 GMT".into()),
            body: json!({"Response": {"Error": {"Code": "AuthFailure.SignatureExpire", "Message": "m"}, "RequestId": "r"}})
                .to_string()
                .into(),
        })
    });
    let client = builder(&fake).build().unwrap();
    let e = client
        .describe_zones("ap-guangzhou", &Default::default())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "AuthFailure.SignatureExpire");
    assert_eq!(e.kind(), ErrorKind::Auth);
    assert_eq!(fake.count(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_learned_clock_offset_is_clamped_to_a_day() {
    for (date, offset) in [
        // Ten years behind, and seventy-five ahead: broken or hostile clocks.
        ("Thu, 01 Jan 2015 00:00:00 GMT", -MAX_CLOCK_OFFSET),
        ("Fri, 01 Jan 2100 00:00:00 GMT", MAX_CLOCK_OFFSET),
    ] {
        let fake = Fake::new(move |_, n| {
            let body = if n == 0 {
                json!({"Response": {"Error": {"Code": "AuthFailure.SignatureExpire", "Message": "m"}, "RequestId": "r"}})
            } else {
                json!({"Response": {"TotalCount": 0, "ZoneSet": [], "RequestId": "r2"}})
            };
            Ok(HttpResponse {
                status: 200,
                date: Some(date.into()),
                body: body.to_string().into(),
            })
        });
        let client = builder(&fake).build().unwrap();
        client
            .describe_zones("ap-guangzhou", &Default::default())
            .await
            .unwrap();
        assert_eq!(client.clock_offset(), offset, "{date}");
        let retried = (NOW + offset).to_string();
        assert_eq!(
            header(&fake.requests()[1], "X-TC-Timestamp"),
            Some(retried.as_str())
        );
    }
    assert_eq!(MAX_CLOCK_OFFSET, 86_400);
}

fn paging_fake(total: Arc<Mutex<usize>>) -> Arc<Fake> {
    Fake::new(move |r, _| {
        let b = body_json(r);
        let offset = b["Offset"].as_u64().unwrap_or(0) as usize;
        let limit = b["Limit"].as_u64().unwrap_or(20) as usize;
        ok(instances_page(offset, limit, *total.lock().unwrap()))
    })
}

#[tokio::test(start_paused = true)]
async fn listing_10000_instances_takes_exactly_100_calls() {
    let fake = paging_fake(Arc::new(Mutex::new(10_000)));
    let client = builder(&fake).build().unwrap();
    let all = client
        .list_all("ap-guangzhou", cvm::DescribeInstancesRequest::default())
        .await
        .unwrap();
    assert_eq!(all.len(), 10_000);
    assert_eq!(fake.count(), 100);
    let mut offsets: Vec<u64> = fake
        .requests()
        .iter()
        .map(|r| body_json(r)["Offset"].as_u64().unwrap())
        .collect();
    offsets.sort();
    assert_eq!(offsets, (0..100).map(|i| i * 100).collect::<Vec<_>>());
    assert!(
        fake.requests()
            .iter()
            .all(|r| body_json(r)["Limit"] == json!(100))
    );
    // Items arrive in order.
    assert_eq!(all[0].instance_id.as_deref(), Some("ins-00000000"));
    assert_eq!(all[9_999].instance_id.as_deref(), Some("ins-00009999"));
}

#[tokio::test(start_paused = true)]
async fn small_and_empty_listings_take_one_call() {
    for total in [0, 1, 100] {
        let fake = paging_fake(Arc::new(Mutex::new(total)));
        let client = builder(&fake).build().unwrap();
        let all = client
            .list_all("ap-guangzhou", cvm::DescribeInstancesRequest::default())
            .await
            .unwrap();
        assert_eq!((all.len(), fake.count()), (total, 1));
    }
}

#[tokio::test(start_paused = true)]
async fn listing_tolerates_a_total_that_changes_while_paging() {
    // Grows after the first page: the extra page is fetched.
    let total = Arc::new(Mutex::new(250));
    let t = total.clone();
    let fake = Fake::new(move |r, n| {
        if n == 1 {
            *t.lock().unwrap() = 420;
        }
        let b = body_json(r);
        ok(instances_page(
            b["Offset"].as_u64().unwrap() as usize,
            100,
            *t.lock().unwrap(),
        ))
    });
    let client = builder(&fake).page_concurrency(1).build().unwrap();
    let all = client
        .list_all("ap-guangzhou", cvm::DescribeInstancesRequest::default())
        .await
        .unwrap();
    assert_eq!(all.len(), 420);
    assert_eq!(fake.count(), 5);
    // Shrinks: stops without error, no duplicates.
    let total = Arc::new(Mutex::new(1000));
    let t = total.clone();
    let fake = Fake::new(move |r, n| {
        if n == 2 {
            *t.lock().unwrap() = 150;
        }
        let b = body_json(r);
        ok(instances_page(
            b["Offset"].as_u64().unwrap() as usize,
            100,
            *t.lock().unwrap(),
        ))
    });
    let client = builder(&fake).page_concurrency(1).build().unwrap();
    let all = client
        .list_all("ap-guangzhou", cvm::DescribeInstancesRequest::default())
        .await
        .unwrap();
    let mut ids: Vec<_> = all.iter().map(|i| i.instance_id.clone().unwrap()).collect();
    ids.dedup();
    assert_eq!(ids.len(), all.len());
    assert!(fake.count() <= 4, "{}", fake.count());
}

#[tokio::test(start_paused = true)]
async fn vpc_listings_send_offset_and_limit_as_strings() {
    let fake = Fake::new(|r, _| {
        let b = body_json(r);
        assert!(b["Offset"].is_string() && b["Limit"].is_string(), "{b}");
        let offset: usize = b["Offset"].as_str().unwrap().parse().unwrap();
        let items: Vec<Value> = (offset..(offset + 100).min(130))
            .map(|i| json!({"VpcId": format!("vpc-{i:08}")}))
            .collect();
        ok(json!({"Response": {"TotalCount": 130, "VpcSet": items, "RequestId": "r"}}))
    });
    let client = builder(&fake).build().unwrap();
    let pages: Vec<_> = client
        .pages("ap-guangzhou", vpc::DescribeVpcsRequest::default())
        .collect()
        .await;
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[1].as_ref().unwrap().offset, 100);
    assert_eq!(pages[1].as_ref().unwrap().items.len(), 30);
}

#[tokio::test(start_paused = true)]
async fn a_listing_stops_at_the_first_error() {
    let fake = Fake::new(|r, _| {
        let offset = body_json(r)["Offset"].as_u64().unwrap() as usize;
        if offset == 300 {
            api_error("InvalidParameterValue")
        } else {
            ok(instances_page(offset, 100, 1000))
        }
    });
    let client = builder(&fake).build().unwrap();
    let pages: Vec<_> = client
        .pages("ap-guangzhou", cvm::DescribeInstancesRequest::default())
        .collect()
        .await;
    assert_eq!(pages.iter().filter(|p| p.is_ok()).count(), 3);
    assert!(pages.last().unwrap().is_err());
}

/// A listing server that answers `page(offset, limit)`; after `calls` calls it fails
/// instead, so a client that would page forever ends with an error other than the one a
/// test expects.
fn endless_until(
    calls: usize,
    page: impl Fn(usize, usize) -> Value + Send + Sync + 'static,
) -> Arc<Fake> {
    Fake::new(move |r, n| {
        if n >= calls {
            return net(TransportKind::Other);
        }
        let b = body_json(r);
        ok(page(
            b["Offset"].as_u64().unwrap() as usize,
            b["Limit"].as_u64().unwrap() as usize,
        ))
    })
}

fn endless(page: impl Fn(usize, usize) -> Value + Send + Sync + 'static) -> Arc<Fake> {
    endless_until(2000, page)
}

fn assert_broken_listing(e: &tencent_api::Error, words: &str) {
    assert_eq!(e.code(), "ClientError.Decode", "{e}");
    assert!(e.to_string().contains(words), "{e}");
    assert!(e.to_string().contains("listing stopped"), "{e}");
}

#[tokio::test(start_paused = true)]
async fn a_negative_or_absurd_total_count_stops_the_listing_at_once() {
    for total in [-1i64, i64::MIN, 1_000_001, 1 << 40, i64::MAX] {
        let fake = endless(move |offset, limit| {
            let items: Vec<Value> = (offset..offset + limit)
                .map(|i| json!({"InstanceId": format!("ins-{i:08}")}))
                .collect();
            json!({"Response": {"TotalCount": total, "InstanceSet": items, "RequestId": "rid-absurd"}})
        });
        let client = builder(&fake).build().unwrap();
        let e = client
            .list_all("ap-guangzhou", cvm::DescribeInstancesRequest::default())
            .await
            .map(|all| all.len())
            .unwrap_err();
        assert_broken_listing(&e, &format!("TotalCount {total}"));
        assert_eq!(e.request_id(), Some("rid-absurd"));
        assert_eq!(fake.count(), 1, "TotalCount {total}");
    }
    // The cap itself is believed.
    let fake = paging_fake(Arc::new(Mutex::new(MAX_TOTAL_COUNT as usize)));
    let client = builder(&fake).build().unwrap();
    let mut pages =
        std::pin::pin!(client.pages("ap-guangzhou", cvm::DescribeInstancesRequest::default()));
    assert_eq!(pages.next().await.unwrap().unwrap().total, MAX_TOTAL_COUNT);
}

#[tokio::test(start_paused = true)]
async fn a_total_that_keeps_growing_stops_after_the_page_slack() {
    // Every page claims two more pages than it reaches.
    let fake = endless(|offset, limit| {
        let items: Vec<Value> = (offset..offset + limit)
            .map(|i| json!({"InstanceId": format!("ins-{i:08}")}))
            .collect();
        json!({"Response": {"TotalCount": offset + 3 * limit, "InstanceSet": items, "RequestId": "r"}})
    });
    let client = builder(&fake).page_concurrency(1).build().unwrap();
    let pages: Vec<_> = client
        .pages("ap-guangzhou", cvm::DescribeInstancesRequest::default())
        .collect()
        .await;
    // The first TotalCount (300) means 3 pages; it may grow by PAGE_SLACK (10) more.
    let allowed = 3 + PAGE_SLACK as usize;
    assert_eq!(pages.iter().filter(|p| p.is_ok()).count(), allowed);
    assert_broken_listing(pages.last().unwrap().as_ref().unwrap_err(), "pages");
    assert_eq!(fake.count(), allowed + 1);
    // Large listings may grow by as many pages as they started with.
    let fake = endless(|offset, limit| {
        let items: Vec<Value> = (offset..offset + limit)
            .map(|i| json!({"InstanceId": format!("ins-{i:08}")}))
            .collect();
        let total = if offset == 0 {
            5000
        } else {
            offset + 3 * limit
        };
        json!({"Response": {"TotalCount": total, "InstanceSet": items, "RequestId": "r"}})
    });
    let client = builder(&fake).build().unwrap();
    let e = client
        .list_all("ap-guangzhou", cvm::DescribeInstancesRequest::default())
        .await
        .map(|all| all.len())
        .unwrap_err();
    assert_broken_listing(&e, "pages");
    assert!((101..=105).contains(&fake.count()), "{}", fake.count());
}

#[tokio::test(start_paused = true)]
async fn an_empty_page_while_the_total_says_more_is_an_error() {
    let fake = endless(|offset, limit| {
        let end = if offset >= 300 {
            offset
        } else {
            offset + limit
        };
        let items: Vec<Value> = (offset..end)
            .map(|i| json!({"InstanceId": format!("ins-{i:08}")}))
            .collect();
        json!({"Response": {"TotalCount": 1000, "InstanceSet": items, "RequestId": format!("rid-{offset}")}})
    });
    let client = builder(&fake).page_concurrency(1).build().unwrap();
    let e = client
        .list_all("ap-guangzhou", cvm::DescribeInstancesRequest::default())
        .await
        .map(|all| all.len())
        .unwrap_err();
    assert_broken_listing(&e, "empty page at Offset 300");
    assert_eq!(e.request_id(), Some("rid-300"));
    assert_eq!(fake.count(), 4);
    // An empty page at or past its own total is the normal end of a shrinking listing.
    let fake = endless(
        |offset, _| json!({"Response": {"TotalCount": offset, "InstanceSet": [], "RequestId": "r"}}),
    );
    let client = builder(&fake).build().unwrap();
    let all = client
        .list_all(
            "ap-guangzhou",
            cvm::DescribeInstancesRequest {
                offset: Some(200),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(all.is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_listing_without_total_count_stops_at_the_item_cap() {
    // Full pages forever and no TotalCount: the item cap ends it (10,000 pages of 100).
    let fake = endless_until(11_000, |offset, limit| {
        let items: Vec<Value> = (offset..offset + limit)
            .map(|i| json!({"InstanceId": format!("ins-{i:08}")}))
            .collect();
        json!({"Response": {"InstanceSet": items, "RequestId": "r"}})
    });
    let client = builder(&fake).build().unwrap();
    let e = client
        .list_all("ap-guangzhou", cvm::DescribeInstancesRequest::default())
        .await
        .map(|all| all.len())
        .unwrap_err();
    assert_broken_listing(&e, "without a TotalCount");
    let pages = (MAX_TOTAL_COUNT / 100) as usize;
    assert!(
        (pages + 1..=pages + 5).contains(&fake.count()),
        "{}",
        fake.count()
    );
}

#[tokio::test(start_paused = true)]
async fn seed_budget_spaces_a_10000_instance_listing_over_a_minute() {
    let fake = paging_fake(Arc::new(Mutex::new(10_000)));
    let client = builder(&fake)
        .budget_profile(BudgetProfile::seed())
        .build()
        .unwrap();
    let t0 = tokio::time::Instant::now();
    let times = Arc::new(Mutex::new(Vec::new()));
    let t = times.clone();
    let mut stream =
        std::pin::pin!(client.pages("ap-guangzhou", cvm::DescribeInstancesRequest::default()));
    let mut n = 0;
    while let Some(p) = stream.next().await {
        n += p.unwrap().items.len();
        t.lock().unwrap().push(tokio::time::Instant::now());
    }
    assert_eq!((n, fake.count()), (10_000, 100));
    let elapsed = t0.elapsed();
    // 5 at once, then one per ~0.6375 s.
    assert!(
        elapsed >= Duration::from_secs(60) && elapsed < Duration::from_secs(62),
        "{elapsed:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn queue_depth_is_observable_while_calls_wait() {
    let fake = paging_fake(Arc::new(Mutex::new(10)));
    let client = builder(&fake)
        .budget_profile(BudgetProfile::custom("slow", Limit::per_second(1, 1), None))
        .build()
        .unwrap();
    let mut rx = client.budget().subscribe();
    let c = client.clone();
    let h = tokio::spawn(async move {
        for _ in 0..3 {
            c.describe_instances("ap-guangzhou", &Default::default())
                .await
                .unwrap();
        }
    });
    let mut max_waiting = 0;
    while !h.is_finished() {
        if rx.changed().await.is_err() {
            break;
        }
        max_waiting = max_waiting.max(rx.borrow().waiting);
    }
    h.await.unwrap();
    assert_eq!(max_waiting, 1);
    assert_eq!(client.budget().snapshot().admitted, 3);
}
