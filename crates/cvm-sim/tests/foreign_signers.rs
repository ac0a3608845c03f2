//! Requests signed the way the official Node.js and Java SDKs sign them when pointed at an
//! address: the service label is the endpoint's text up to its first dot (`127` for
//! `127.0.0.1:PORT`) and the signed `host` is the name without its port, while the
//! `Host` header carries the port. These are accepted; every real signature error is
//! still refused.

use bytes::Bytes;
use cvm_sim::client::{SimClient, flatten_query};
use cvm_sim::{Config, Credential, RateLimit, SimHandle};
use http::{Method, Request};
use http_body_util::Full;
use serde_json::{Value, json};
use tencent_api::sign::{self, Payload, SignableRequest};

async fn sim() -> (SimHandle, SimClient) {
    let sim = cvm_sim::start(Config {
        time_scale: 0.0,
        rate_limit: RateLimit::Off,
        ..Default::default()
    })
    .await
    .expect("start");
    let client = SimClient::new(sim.addr(), Credential::default(), "ap-guangzhou");
    (sim, client)
}

fn now() -> i64 {
    cvm_sim::clock::wall_ms() / 1000
}

/// How one request is signed and sent; each field can be made wrong on purpose.
struct Foreign<'a> {
    method: Method,
    action: &'a str,
    params: Value,
    /// The credential scope's service label.
    label: &'a str,
    /// The `host` value that goes into the signature.
    signed_host: String,
    /// The `Host` header sent.
    host_header: String,
    key: &'a str,
    timestamp: i64,
    /// The date written into the credential scope, when not the timestamp's own.
    scope_date: Option<&'a str>,
    /// Bytes sent instead of the signed body.
    tampered_body: Option<&'a [u8]>,
    version: &'a str,
}

impl<'a> Foreign<'a> {
    /// What the Node.js SDK sends for `endpoint: "127.0.0.1:PORT"`.
    fn node(sim: &SimHandle, action: &'a str, params: Value) -> Self {
        Foreign {
            method: Method::POST,
            action,
            params,
            label: "127",
            signed_host: sim.addr().ip().to_string(),
            host_header: sim.addr().to_string(),
            key: cvm_sim::DEFAULT_SECRET_KEY,
            timestamp: now(),
            scope_date: None,
            tampered_body: None,
            version: "2017-03-12",
        }
    }

    fn request(&self) -> Request<Full<Bytes>> {
        let (body, query, content_type) = if self.method == Method::GET {
            (
                Vec::new(),
                flatten_query(&self.params),
                "application/x-www-form-urlencoded",
            )
        } else {
            (
                serde_json::to_vec(&self.params).unwrap(),
                String::new(),
                "application/json",
            )
        };
        let s = sign::sign(
            cvm_sim::DEFAULT_SECRET_ID,
            self.key.as_bytes(),
            self.label,
            self.timestamp,
            &SignableRequest {
                method: self.method.as_str(),
                host: &self.signed_host,
                query: &query,
                content_type,
                payload: Payload::Body(&body),
                extra_signed_headers: &[],
            },
        )
        .unwrap();
        let mut authorization = s.authorization.clone();
        if let Some(d) = self.scope_date {
            let real = sign::credential_date(self.timestamp).unwrap();
            authorization = authorization.replace(&format!("/{real}/"), &format!("/{d}/"));
        }
        let uri = if query.is_empty() {
            "/".to_owned()
        } else {
            format!("/?{query}")
        };
        let sent = self.tampered_body.map(<[u8]>::to_vec).unwrap_or(body);
        Request::builder()
            .method(self.method.clone())
            .uri(uri)
            .header("host", &self.host_header)
            .header("content-type", content_type)
            .header("authorization", authorization)
            .header("x-tc-action", self.action)
            .header("x-tc-version", self.version)
            .header("x-tc-timestamp", self.timestamp.to_string())
            .header("x-tc-region", "ap-guangzhou")
            .body(Full::new(Bytes::from(sent)))
            .unwrap()
    }
}

async fn send(c: &mut SimClient, f: &Foreign<'_>) -> Value {
    c.send(f.request()).await.unwrap()["Response"].clone()
}

fn code(v: &Value) -> &str {
    v["Error"]["Code"].as_str().unwrap_or("")
}

#[tokio::test]
async fn node_style_signatures_reach_cvm_and_vpc_by_action_over_post_and_get() {
    let (sim, mut c) = sim().await;
    for method in [Method::POST, Method::GET] {
        let mut f = Foreign::node(&sim, "DescribeZones", json!({}));
        f.method = method.clone();
        let v = send(&mut c, &f).await;
        assert!(v["Error"].is_null(), "{method} {v}");
        assert_eq!(v["ZoneSet"][2]["Zone"], "ap-guangzhou-3");

        let mut f = Foreign::node(&sim, "DescribeVpcs", json!({"Limit": "5"}));
        f.method = method.clone();
        let v = send(&mut c, &f).await;
        assert!(v["Error"].is_null(), "{method} {v}");
        assert_eq!(v["VpcSet"][0]["IsDefault"], true);
    }
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_host_signed_with_its_port_or_a_local_name_label_is_accepted() {
    let (sim, mut c) = sim().await;
    let port = sim.addr().port();
    // The signed host with its port, as our own client and the Python SDK sign it.
    let mut f = Foreign::node(&sim, "DescribeZones", json!({}));
    f.signed_host = sim.addr().to_string();
    assert!(send(&mut c, &f).await["Error"].is_null());
    // `localhost:PORT` as the endpoint: the Node.js SDK's label keeps the port.
    for label in [format!("localhost:{port}"), "localhost".to_owned()] {
        let mut f = Foreign::node(&sim, "DescribeZones", json!({}));
        f.host_header = format!("localhost:{port}");
        f.signed_host = "localhost".into();
        f.label = &label;
        let v = send(&mut c, &f).await;
        assert!(v["Error"].is_null(), "{label}: {v}");
    }
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn real_signature_errors_are_still_refused() {
    let (sim, mut c) = sim().await;
    let base = || Foreign::node(&sim, "DescribeZones", json!({}));

    let mut f = base();
    f.key = "not-the-key";
    assert_eq!(
        code(&send(&mut c, &f).await),
        "AuthFailure.SignatureFailure"
    );

    let mut f = base();
    f.tampered_body = Some(b"{\"Foo\":1}");
    assert_eq!(
        code(&send(&mut c, &f).await),
        "AuthFailure.SignatureFailure"
    );

    let mut f = base();
    f.scope_date = Some("2001-01-01");
    assert_eq!(
        code(&send(&mut c, &f).await),
        "AuthFailure.SignatureFailure"
    );

    let mut f = base();
    f.timestamp = now() - 301;
    assert_eq!(code(&send(&mut c, &f).await), "AuthFailure.SignatureExpire");

    // A signed host that is neither the Host header nor it without its port.
    for signed in [
        "127.0.0.2".to_owned(),
        format!("127.0.0.1:{}", sim.addr().port() + 1),
        "localhost".to_owned(),
        "cvm.tencentcloudapi.com".to_owned(),
    ] {
        let mut f = base();
        f.signed_host = signed.clone();
        assert_eq!(
            code(&send(&mut c, &f).await),
            "AuthFailure.SignatureFailure",
            "{signed}"
        );
    }
    // The Host header without a port cannot be matched by a signature over another name.
    let mut f = base();
    f.host_header = "127.0.0.1".into();
    f.signed_host = "127.0.0.2".into();
    assert_eq!(
        code(&send(&mut c, &f).await),
        "AuthFailure.SignatureFailure"
    );

    // A Tencent host names its product: a scope of `127` does not match it.
    let mut f = base();
    f.host_header = format!("cvm.tencentcloudapi.com:{}", sim.addr().port());
    f.signed_host = "cvm.tencentcloudapi.com".into();
    assert_eq!(
        code(&send(&mut c, &f).await),
        "AuthFailure.SignatureFailure"
    );
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_label_the_endpoint_does_not_explain_names_no_product() {
    let (sim, mut c) = sim().await;
    // Another label than the endpoint's first one, even with a valid signature over it.
    for label in ["128", "cbs", "foo"] {
        let mut f = Foreign::node(&sim, "DescribeZones", json!({}));
        f.label = label;
        assert_eq!(code(&send(&mut c, &f).await), "NoSuchProduct", "{label}");
    }
    // A domain that is not a local name gets no routing by action.
    let mut f = Foreign::node(&sim, "DescribeZones", json!({}));
    f.host_header = format!("sim.example.com:{}", sim.addr().port());
    f.signed_host = "sim.example.com".into();
    f.label = "sim";
    assert_eq!(code(&send(&mut c, &f).await), "NoSuchProduct");
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn routing_by_action_still_checks_the_action_and_version() {
    let (sim, mut c) = sim().await;
    let f = Foreign::node(&sim, "DescribeNothing", json!({}));
    assert_eq!(code(&send(&mut c, &f).await), "InvalidAction");
    let mut f = Foreign::node(&sim, "DescribeZones", json!({}));
    f.version = "2099-01-01";
    assert_eq!(code(&send(&mut c, &f).await), "NoSuchVersion");
    sim.shutdown().await.unwrap();
}

#[test]
fn action_names_are_unique_across_services() {
    let mut names: Vec<&str> = cvm_sim::ACTIONS.iter().map(|a| a.name).collect();
    let all = names.len();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), all, "an action name is in two services");
}
