//! A minimal signing client for tests, the load tool and scenario tests: one keep-alive
//! HTTP/1.1 connection, TC3-signed with the same signer as the real client. It is not a
//! substitute for `tencent-api` (no retries, no budget); it exists so the emulator can be
//! exercised over real loopback HTTP (or HTTPS, with `over_tls`).

use crate::Credential;
use bytes::Bytes;
use http::{Method, Request};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use serde_json::Value;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use tencent_api::sign::{self, Payload, SignableRequest};

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("connection failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("HTTP failed: {0}")]
    Http(#[from] hyper::Error),
    #[error("bad request: {0}")]
    Build(#[from] http::Error),
    #[error("the answer is not JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// One call's answer: the `Response` object (with `Error` on failure).
#[derive(Clone, Debug)]
pub struct Answer {
    pub response: Value,
}

impl Answer {
    pub fn error_code(&self) -> Option<&str> {
        self.response
            .get("Error")
            .and_then(|e| e.get("Code"))
            .and_then(Value::as_str)
    }
    pub fn request_id(&self) -> Option<&str> {
        self.response.get("RequestId").and_then(Value::as_str)
    }
    /// Panics with the error when the call failed; for tests.
    pub fn ok(self) -> Value {
        assert!(
            self.error_code().is_none(),
            "unexpected error: {}",
            self.response
        );
        self.response
    }
}

pub struct SimClient {
    addr: SocketAddr,
    credential: Credential,
    pub region: String,
    pub language: Option<String>,
    conn: Option<http1::SendRequest<Full<Bytes>>>,
    tls: Option<(Arc<rustls::ClientConfig>, ServerName<'static>)>,
}

/// A TLS client configuration that trusts only the CA in `ca_pem` (cvm-sim's `ca.pem`).
pub fn trusting(ca_pem: &Path) -> std::io::Result<Arc<rustls::ClientConfig>> {
    let der = CertificateDer::from_pem_file(ca_pem).map_err(std::io::Error::other)?;
    let mut roots = rustls::RootCertStore::empty();
    roots.add(der).map_err(std::io::Error::other)?;
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(std::io::Error::other)?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(Arc::new(config))
}

impl SimClient {
    pub fn new(addr: SocketAddr, credential: Credential, region: &str) -> Self {
        SimClient {
            addr,
            credential,
            region: region.to_owned(),
            language: None,
            conn: None,
            tls: None,
        }
    }

    /// Speaks HTTPS with this configuration, asking for `server_name` (a host name is
    /// sent as SNI; an IP address is not).
    pub fn over_tls(
        mut self,
        config: Arc<rustls::ClientConfig>,
        server_name: &str,
    ) -> std::io::Result<Self> {
        let name = ServerName::try_from(server_name.to_owned()).map_err(std::io::Error::other)?;
        self.tls = Some((config, name));
        self.conn = None;
        Ok(self)
    }

    async fn connection(&mut self) -> Result<&mut http1::SendRequest<Full<Bytes>>, ClientError> {
        let reusable = self.conn.as_ref().is_some_and(|c| !c.is_closed());
        if !reusable {
            let stream = tokio::net::TcpStream::connect(self.addr).await?;
            stream.set_nodelay(true)?;
            let sender = match &self.tls {
                None => {
                    let (sender, conn) = http1::handshake(TokioIo::new(stream)).await?;
                    tokio::spawn(async move {
                        let _ = conn.await;
                    });
                    sender
                }
                Some((config, name)) => {
                    let stream = tokio_rustls::TlsConnector::from(config.clone())
                        .connect(name.clone(), stream)
                        .await?;
                    let (sender, conn) = http1::handshake(TokioIo::new(stream)).await?;
                    tokio::spawn(async move {
                        let _ = conn.await;
                    });
                    sender
                }
            };
            self.conn = Some(sender);
        }
        self.conn
            .as_mut()
            .ok_or_else(|| std::io::Error::other("no connection").into())
    }

    /// Sends a request as is and returns the parsed body.
    pub async fn send(&mut self, req: Request<Full<Bytes>>) -> Result<Value, ClientError> {
        let body = self.send_raw(req).await?;
        Ok(serde_json::from_slice(&body)?)
    }

    /// Sends a request as is and returns the body unparsed (the load tool's fast path).
    pub async fn send_raw(&mut self, req: Request<Full<Bytes>>) -> Result<Bytes, ClientError> {
        let conn = self.connection().await?;
        conn.ready().await?;
        let res = match conn.send_request(req).await {
            Ok(r) => r,
            Err(e) => {
                self.conn = None;
                return Err(e.into());
            }
        };
        Ok(res.into_body().collect().await?.to_bytes())
    }

    /// A signed request, POST with a JSON body or GET with a flattened query.
    pub fn build(
        &self,
        service: &str,
        action: &str,
        method: Method,
        params: &Value,
        timestamp: i64,
    ) -> Result<Request<Full<Bytes>>, ClientError> {
        if method == Method::GET {
            self.build_raw(
                service,
                action,
                method,
                Vec::new(),
                flatten_query(params),
                timestamp,
            )
        } else {
            self.build_raw(
                service,
                action,
                method,
                serde_json::to_vec(params)?,
                String::new(),
                timestamp,
            )
        }
    }

    /// A signed request over arbitrary bytes (for robustness tests).
    pub fn build_raw(
        &self,
        service: &str,
        action: &str,
        method: Method,
        body: Vec<u8>,
        query: String,
        timestamp: i64,
    ) -> Result<Request<Full<Bytes>>, ClientError> {
        let host = self.addr.to_string();
        let content_type = if method == Method::GET {
            "application/x-www-form-urlencoded"
        } else {
            "application/json"
        };
        let signable = SignableRequest {
            method: method.as_str(),
            host: &host,
            query: &query,
            content_type,
            payload: Payload::Body(&body),
            extra_signed_headers: &[],
        };
        let signature = sign::sign(
            &self.credential.secret_id,
            self.credential.secret_key.as_bytes(),
            service,
            timestamp,
            &signable,
        )
        .ok_or_else(|| std::io::Error::other("timestamp out of range"))?;
        let uri = if query.is_empty() {
            "/".to_owned()
        } else {
            format!("/?{query}")
        };
        let mut b = Request::builder()
            .method(method)
            .uri(uri)
            .header("host", host)
            .header("content-type", content_type)
            .header("authorization", signature.authorization)
            .header("x-tc-action", action)
            .header("x-tc-version", "2017-03-12")
            .header("x-tc-timestamp", timestamp.to_string())
            .header("x-tc-region", &self.region);
        if let Some(l) = &self.language {
            b = b.header("x-tc-language", l);
        }
        if let Some(t) = &self.credential.token {
            b = b.header("x-tc-token", t);
        }
        Ok(b.body(Full::new(Bytes::from(body)))?)
    }

    pub async fn call_with(
        &mut self,
        service: &str,
        action: &str,
        method: Method,
        params: &Value,
    ) -> Result<Answer, ClientError> {
        let req = self.build(
            service,
            action,
            method,
            params,
            crate::clock::wall_ms() / 1000,
        )?;
        let v = self.send(req).await?;
        Ok(Answer {
            response: v.get("Response").cloned().unwrap_or(v),
        })
    }

    /// POST to `cvm`.
    pub async fn cvm(&mut self, action: &str, params: Value) -> Result<Answer, ClientError> {
        self.call_with("cvm", action, Method::POST, &params).await
    }

    /// POST to `vpc`.
    pub async fn vpc(&mut self, action: &str, params: Value) -> Result<Answer, ClientError> {
        self.call_with("vpc", action, Method::POST, &params).await
    }
}

/// `Ids.0=a&Filters.0.Values.1=b`, form-encoded, keys in document order.
pub fn flatten_query(params: &Value) -> String {
    fn walk(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    let key = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&key, v, out);
                }
            }
            Value::Array(a) => {
                for (i, v) in a.iter().enumerate() {
                    walk(&format!("{prefix}.{i}"), v, out);
                }
            }
            Value::String(s) => out.push((prefix.to_owned(), s.clone())),
            Value::Null => {}
            other => out.push((prefix.to_owned(), other.to_string())),
        }
    }
    let mut pairs = Vec::new();
    walk("", params, &mut pairs);
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
