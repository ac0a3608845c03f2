//! What the client logs, read back through tracing-subscriber's fmt layers: every field
//! once, and never a secret.
//!
//! These tests live in their own binary: tracing caches each call site's interest
//! process-wide, and tests running in parallel without a subscriber can make a call site
//! look disabled to a test that installed one.

use futures::future::BoxFuture;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use tencent_api::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use tencent_api::{BudgetProfile, Client, Credentials, Endpoint, Limit, RetryPolicy};

const ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
const KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
const NOW: i64 = 1_750_000_000;

/// Answers `InternalError` to the first `failures` requests, then one instance; keeps
/// every request.
struct Flaky {
    failures: usize,
    seen: Mutex<Vec<HttpRequest>>,
}

impl Flaky {
    fn new(failures: usize) -> Arc<Self> {
        Arc::new(Self {
            failures,
            seen: Mutex::new(Vec::new()),
        })
    }
    fn requests(&self) -> Vec<HttpRequest> {
        self.seen.lock().unwrap().clone()
    }
}

impl Transport for Flaky {
    fn send(&self, req: HttpRequest) -> BoxFuture<'static, Result<HttpResponse, TransportError>> {
        let n = {
            let mut seen = self.seen.lock().unwrap();
            seen.push(req);
            seen.len() - 1
        };
        let body: Value = if n < self.failures {
            json!({"Response": {"Error": {"Code": "InternalError", "Message": "m"}, "RequestId": format!("rid-err-{n}")}})
        } else {
            json!({"Response": {"TotalCount": 1, "InstanceSet": [{"InstanceId": "ins-00000000"}], "RequestId": "rid-0"}})
        };
        Box::pin(async move {
            Ok(HttpResponse {
                status: 200,
                date: None,
                body: body.to_string().into(),
            })
        })
    }
}

fn header<'a>(r: &'a HttpRequest, name: &str) -> Option<&'a str> {
    r.headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn client(fake: &Arc<Flaky>) -> Client {
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
        .build()
        .unwrap()
}

/// A `MakeWriter` that keeps everything written, for reading logs back.
#[derive(Clone, Default)]
struct LogBuf(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogBuf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogBuf {
    type Writer = LogBuf;
    fn make_writer(&'a self) -> LogBuf {
        self.clone()
    }
}

impl LogBuf {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

/// How often `name=` starts a field in a formatted line.
fn field_count(line: &str, name: &str) -> usize {
    let key = format!("{name}=");
    line.split([' ', '{', '}', ':'])
        .filter(|t| t.starts_with(&key))
        .count()
}

#[tokio::test(start_paused = true)]
async fn each_call_field_is_logged_once_even_with_two_fmt_layers() {
    use tracing_subscriber::fmt::format::FmtSpan;
    use tracing_subscriber::layer::SubscriberExt;
    // The app's set-up: two fmt layers (terminal and file) over one registry, which share
    // each span's formatted fields.
    let (a, b) = (LogBuf::default(), LogBuf::default());
    let subscriber = tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_span_events(FmtSpan::CLOSE)
                .with_writer(a.clone()),
        )
        .with(
            tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(b.clone()),
        )
        .with(tracing_subscriber::filter::LevelFilter::TRACE);
    let _guard = tracing::subscriber::set_default(subscriber);
    // Two failed attempts, then success: per-attempt fields would pile up.
    let fake = Flaky::new(2);
    let client = client(&fake);
    client
        .describe_instances("ap-guangzhou", &Default::default())
        .await
        .unwrap();
    for (layer, out) in [("terminal", a.text()), ("file", b.text())] {
        let finished: Vec<&str> = out
            .lines()
            .filter(|l| l.contains("call finished"))
            .collect();
        assert_eq!(finished.len(), 1, "{layer}:\n{out}");
        let line = finished[0];
        for field in [
            "service",
            "action",
            "region",
            "request_id",
            "attempts",
            "latency_ms",
            "outcome",
        ] {
            assert_eq!(field_count(line, field), 1, "{field} in {layer}: {line}");
        }
        assert!(line.contains("attempts=3"), "{line}");
        assert!(line.contains("request_id=\"rid-0\""), "{line}");
        assert!(line.contains("outcome=\"ok\""), "{line}");
        for line in out.lines() {
            for field in [
                "service",
                "action",
                "region",
                "request_id",
                "attempt",
                "attempts",
                "latency_ms",
                "outcome",
            ] {
                assert!(field_count(line, field) <= 1, "{field} in {layer}: {line}");
            }
        }
    }
}

#[tokio::test(start_paused = true)]
async fn tracing_records_the_call_and_never_a_secret() {
    let buf = LogBuf::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(buf.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let fake = Flaky::new(1);
    let client = Client::builder(Credentials::with_token(ID, KEY, "SECRET-STS-TOKEN"))
        .transport(fake.clone())
        .endpoint(Endpoint::Custom("http://127.0.0.1:18080".into()))
        .unix_clock(|| NOW)
        .build()
        .unwrap();
    client
        .describe_instances("ap-guangzhou", &Default::default())
        .await
        .unwrap();
    tracing::info!(?client, "client debug output");
    let out = buf.text();
    assert!(
        out.contains("action=\"DescribeInstances\"") || out.contains("action=DescribeInstances"),
        "{out}"
    );
    assert!(out.contains("rid-0"), "{out}");
    assert!(out.contains("attempts=2"), "{out}");
    let signature = header(&fake.requests()[0], "Authorization")
        .unwrap()
        .rsplit('=')
        .next()
        .unwrap()
        .to_owned();
    for secret in [
        KEY,
        "SECRET-STS-TOKEN",
        "Authorization",
        "TC3-HMAC-SHA256",
        signature.as_str(),
    ] {
        assert!(
            !out.contains(secret),
            "{secret} leaked into the trace:\n{out}"
        );
    }
}
