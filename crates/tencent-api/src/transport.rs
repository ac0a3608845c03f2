//! The HTTP layer behind [`crate::Client`]: reqwest over rustls (ring) by default, or any
//! [`Transport`] (tests use in-memory ones to drive retries and clocks deterministically).

use crate::error::TransportKind;
use bytes::Bytes;
use futures::future::BoxFuture;
use reqwest::Url;
use std::error::Error as _;
use std::time::Duration;

/// One signed request, ready to send.
#[derive(Clone, Debug)]
pub struct HttpRequest {
    pub method: &'static str,
    pub url: Url,
    /// Every header to send, `Host` included (it is signed, so it must be sent as is).
    /// Never logged: it carries the Authorization header.
    pub headers: Vec<(&'static str, String)>,
    pub body: Bytes,
}

#[derive(Clone, Debug)]
pub struct HttpResponse {
    pub status: u16,
    /// The `Date` header, from which the server's clock is learned.
    pub date: Option<String>,
    pub body: Bytes,
}

#[derive(Clone, Debug)]
pub struct TransportError {
    pub kind: TransportKind,
    pub detail: String,
}

pub trait Transport: Send + Sync + 'static {
    fn send(&self, req: HttpRequest) -> BoxFuture<'static, Result<HttpResponse, TransportError>>;
}

/// Pooled reqwest client with connect and total timeouts.
#[derive(Clone, Debug)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    pub fn new(connect_timeout: Duration, timeout: Duration) -> Result<Self, crate::Error> {
        // reqwest is built with `rustls-no-provider`: it uses the process-wide provider.
        // Installing fails harmlessly when one is already installed.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .timeout(timeout)
            .pool_idle_timeout(Duration::from_secs(60))
            .pool_max_idle_per_host(16)
            .build()
            .map_err(|e| crate::Error::invalid("transport", e.to_string()))?;
        Ok(Self { client })
    }
}

impl Transport for ReqwestTransport {
    fn send(&self, req: HttpRequest) -> BoxFuture<'static, Result<HttpResponse, TransportError>> {
        let method = if req.method == "GET" {
            reqwest::Method::GET
        } else {
            reqwest::Method::POST
        };
        let mut builder = self.client.request(method, req.url);
        for (name, value) in &req.headers {
            builder = builder.header(*name, value);
        }
        let fut = builder.body(req.body).send();
        Box::pin(async move {
            let resp = fut.await.map_err(classify)?;
            let status = resp.status().as_u16();
            let date = resp
                .headers()
                .get(http::header::DATE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let body = resp.bytes().await.map_err(classify)?;
            Ok(HttpResponse { status, date, body })
        })
    }
}

/// Maps reqwest's error onto the kinds callers act on. The detail is the error chain,
/// which names hosts and causes but never headers.
fn classify(e: reqwest::Error) -> TransportError {
    let mut detail = e.to_string();
    let mut kind = if e.is_timeout() {
        TransportKind::Timeout
    } else if e.is_connect() {
        TransportKind::Connect
    } else {
        TransportKind::Other
    };
    let mut source = e.source();
    while let Some(s) = source {
        detail.push_str(": ");
        detail.push_str(&s.to_string());
        if s.downcast_ref::<rustls::Error>().is_some() {
            kind = TransportKind::Tls;
        } else if let Some(io) = s.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            match io.kind() {
                TimedOut => kind = TransportKind::Timeout,
                ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof
                    if kind != TransportKind::Connect =>
                {
                    kind = TransportKind::Reset
                }
                _ => {}
            }
        } else if let Some(h) = s.downcast_ref::<hyper::Error>() {
            // "connection closed before message completed": a pooled connection was reset.
            if h.is_incomplete_message() || h.is_canceled() {
                kind = TransportKind::Reset;
            }
        }
        source = s.source();
    }
    TransportError { kind, detail }
}
