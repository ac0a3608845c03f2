//! The HTTP layer behind [`crate::Client`]: reqwest over rustls (ring) by default, or any
//! [`Transport`] (tests use in-memory ones to drive retries and clocks deterministically).

use crate::error::TransportKind;
use bytes::{Bytes, BytesMut};
use futures::future::BoxFuture;
use reqwest::Url;
use std::error::Error as _;
use std::fmt;
use std::time::Duration;

/// The largest answer read, in bytes. Tencent's largest list pages (100 images or
/// instance types with every field) are a few hundred KiB; 16 MiB leaves room for growth
/// and stops a broken or hostile server from filling memory. Larger answers fail with
/// [`TransportKind::TooLarge`] before the excess is read: a `Content-Length` above the cap
/// is refused before any of the body, and a body without one is read chunk by chunk and
/// dropped as soon as it passes the cap.
pub const MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// Headers whose values are credentials: the signature and the STS token.
const SECRET_HEADERS: [&str; 2] = ["authorization", "x-tc-token"];

/// One signed request, ready to send.
///
/// Its `Debug` output shows the method, the URL without its query, the header names
/// (values of Authorization and X-TC-Token redacted) and the body's length only: the body
/// and a GET query carry the request's parameters, passwords included.
#[derive(Clone)]
pub struct HttpRequest {
    pub method: &'static str,
    pub url: Url,
    /// Every header to send, `Host` included (it is signed, so it must be sent as is).
    /// Never logged: it carries the Authorization header.
    pub headers: Vec<(&'static str, String)>,
    pub body: Bytes,
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Headers<'a>(&'a [(&'static str, String)]);
        impl fmt::Debug for Headers<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut m = f.debug_map();
                for (name, value) in self.0 {
                    if SECRET_HEADERS.iter().any(|s| name.eq_ignore_ascii_case(s)) {
                        m.entry(name, &format_args!("** redacted **"));
                    } else {
                        m.entry(name, value);
                    }
                }
                m.finish()
            }
        }
        let mut url = self.url.clone();
        url.set_query(None);
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &url.as_str())
            .field(
                "query",
                &format_args!("<{} bytes>", self.url.query().map_or(0, str::len)),
            )
            .field("headers", &Headers(&self.headers))
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

/// One answer. Its `Debug` output shows the body's length only: some answers carry
/// secrets (CreateKeyPair returns the private key).
#[derive(Clone)]
pub struct HttpResponse {
    pub status: u16,
    /// The `Date` header, from which the server's clock is learned.
    pub date: Option<String>,
    pub body: Bytes,
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("date", &self.date)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
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
///
/// Redirects are never followed: a 3xx answer is an error, so the body, the token and the
/// signature only ever go to the host the request was signed for. Answers are capped at
/// [`MAX_RESPONSE_BYTES`] (see [`ReqwestTransport::max_response_bytes`]).
#[derive(Clone, Debug)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    max_response_bytes: usize,
}

impl ReqwestTransport {
    pub fn new(connect_timeout: Duration, timeout: Duration) -> Result<Self, crate::Error> {
        // reqwest is built with `rustls-no-provider`: it uses the process-wide provider.
        // Installing fails harmlessly when one is already installed.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(Duration::from_secs(60))
            .pool_max_idle_per_host(16)
            .build()
            .map_err(|e| crate::Error::invalid("transport", e.to_string()))?;
        Ok(Self {
            client,
            max_response_bytes: MAX_RESPONSE_BYTES,
        })
    }

    /// Lowers (or raises) the answer size cap, [`MAX_RESPONSE_BYTES`] by default.
    pub fn max_response_bytes(mut self, cap: usize) -> Self {
        self.max_response_bytes = cap;
        self
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
        let cap = self.max_response_bytes;
        Box::pin(async move {
            let mut resp = fut.await.map_err(classify)?;
            let status = resp.status().as_u16();
            if resp.status().is_redirection() {
                return Err(TransportError {
                    kind: TransportKind::Status(status),
                    detail: format!(
                        "HTTP {status}: redirect refused (redirects are never followed)"
                    ),
                });
            }
            let too_large = |detail: String| TransportError {
                kind: TransportKind::TooLarge,
                detail,
            };
            if let Some(len) = resp.content_length()
                && len > cap as u64
            {
                return Err(too_large(format!(
                    "answer of {len} bytes refused: over the {cap}-byte limit"
                )));
            }
            let date = resp
                .headers()
                .get(http::header::DATE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let mut body = BytesMut::new();
            while let Some(chunk) = resp.chunk().await.map_err(classify)? {
                if chunk.len() > cap - body.len() {
                    return Err(too_large(format!(
                        "answer dropped after {} bytes: over the {cap}-byte limit",
                        body.len()
                    )));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(HttpResponse {
                status,
                date,
                body: body.freeze(),
            })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_redacts_the_signature_token_query_and_body() {
        let req = HttpRequest {
            method: "GET",
            url: Url::parse("https://cvm.tencentcloudapi.com/?Password=CANARY-QUERY-PASSWORD")
                .unwrap(),
            headers: vec![
                ("Host", "cvm.tencentcloudapi.com".into()),
                ("X-TC-Action", "RunInstances".into()),
                (
                    "Authorization",
                    "TC3-HMAC-SHA256 Credential=AKIDCANARYID/2025-06-15/cvm/tc3_request, \
                     SignedHeaders=content-type;host, Signature=CANARYSIGNATURE0123456789abcdef"
                        .into(),
                ),
                ("x-tc-token", "CANARY-STS-TOKEN".into()),
            ],
            body: Bytes::from_static(br#"{"LoginSettings":{"Password":"CANARY-BODY-PASSWORD"}}"#),
        };
        let out = format!("{req:?}");
        for canary in [
            "CANARYSIGNATURE",
            "AKIDCANARYID",
            "TC3-HMAC-SHA256",
            "CANARY-STS-TOKEN",
            "CANARY-QUERY-PASSWORD",
            "CANARY-BODY-PASSWORD",
            "Password",
        ] {
            assert!(!out.contains(canary), "{canary} in {out}");
        }
        let pretty = format!("{req:#?}");
        assert!(!pretty.contains("CANARY"), "{pretty}");
        // What is shown still helps debugging.
        assert!(out.contains("cvm.tencentcloudapi.com"), "{out}");
        assert!(out.contains("RunInstances"), "{out}");
        assert!(out.contains("\"Authorization\": ** redacted **"), "{out}");
        assert!(out.contains("\"x-tc-token\": ** redacted **"), "{out}");
        assert!(out.contains("<53 bytes>"), "{out}");
    }

    #[test]
    fn response_debug_output_shows_no_body() {
        let resp = HttpResponse {
            status: 200,
            date: None,
            body: Bytes::from_static(br#"{"Response":{"PrivateKey":"CANARY-PRIVATE-KEY"}}"#),
        };
        let out = format!("{resp:?}");
        assert!(!out.contains("CANARY"), "{out}");
        assert!(out.contains("status: 200"), "{out}");
    }
}
