//! TC3-HMAC-SHA256 (Tencent Cloud API signature v3), both directions.
//!
//! Pure functions: nothing here reads the clock, the environment or the network. The
//! caller passes the timestamp, which makes every vector reproducible and lets the
//! emulator verify with the same code that signs.
//!
//! The signature covers raw bytes: the body exactly as sent (JSON escaping style
//! matters), the query string exactly as it appears in the URL, and the header values as
//! sent. Re-serialising any of them before hashing is the classic way to break it.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use std::fmt;

pub const ALGORITHM: &str = "TC3-HMAC-SHA256";
/// Value of `X-TC-Content-SHA256` that makes the signer hash this literal instead of the body.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// Largest accepted distance between a request's timestamp and the server's clock.
pub const MAX_CLOCK_SKEW_SECS: i64 = 300;

type HmacSha256 = Hmac<Sha256>;

/// What the request's payload hash is computed over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Payload<'a> {
    /// The raw body bytes (empty for GET).
    Body(&'a [u8]),
    /// `X-TC-Content-SHA256: UNSIGNED-PAYLOAD` was sent: the literal is hashed instead.
    Unsigned,
}

/// The parts of an HTTP request that the signature covers.
#[derive(Clone, Copy, Debug)]
pub struct SignableRequest<'a> {
    /// `POST` or `GET`.
    pub method: &'a str,
    /// The `Host` header as sent, including a port when one is sent.
    pub host: &'a str,
    /// The raw query string after `?` (empty for POST).
    pub query: &'a str,
    /// The `Content-Type` header, byte for byte as sent.
    pub content_type: &'a str,
    pub payload: Payload<'a>,
    /// Further headers to sign besides `content-type` and `host` (name, value as sent).
    pub extra_signed_headers: &'a [(&'a str, &'a str)],
}

/// Every intermediate value, so tests can compare each step with published vectors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    pub hashed_payload: String,
    pub canonical_request: String,
    pub signed_headers: String,
    pub string_to_sign: String,
    pub credential_scope: String,
    pub signature: String,
    /// The full `Authorization` header value.
    pub authorization: String,
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

fn hmac(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(msg);
    mac.finalize().into_bytes().into()
}

/// The UTC calendar date (`YYYY-MM-DD`) of a Unix timestamp, as used in the credential
/// scope. UTC, not local time: 1551113065 is 2019-02-25 although it is already the 26th
/// in UTC+8.
pub fn credential_date(timestamp: i64) -> Option<String> {
    let t = time::OffsetDateTime::from_unix_timestamp(timestamp).ok()?;
    let d = t.date();
    Some(format!(
        "{:04}-{:02}-{:02}",
        d.year(),
        u8::from(d.month()),
        d.day()
    ))
}

/// The derived signing key; the SecretKey itself is used only here.
pub fn signing_key(secret_key: &[u8], date: &str, service: &str) -> [u8; 32] {
    let mut prefixed = Vec::with_capacity(3 + secret_key.len());
    prefixed.extend_from_slice(b"TC3");
    prefixed.extend_from_slice(secret_key);
    let secret_date = hmac(&prefixed, date.as_bytes());
    // Do not leave a copy of the key in a freed allocation longer than needed.
    prefixed.iter_mut().for_each(|b| *b = 0);
    let secret_service = hmac(&secret_date, service.as_bytes());
    hmac(&secret_service, b"tc3_request")
}

fn hashed_payload(payload: Payload<'_>) -> String {
    match payload {
        Payload::Body(b) => sha256_hex(b),
        Payload::Unsigned => sha256_hex(UNSIGNED_PAYLOAD.as_bytes()),
    }
}

/// Builds the canonical headers block and the signed-headers list from (name, value)
/// pairs: names and values lower-cased and trimmed, sorted by name.
fn canonical_headers(headers: &[(&str, &str)]) -> (String, String) {
    let mut lines: Vec<(String, String)> = headers
        .iter()
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_lowercase()))
        .collect();
    lines.sort_by(|a, b| a.0.cmp(&b.0));
    let mut block = String::new();
    for (n, v) in &lines {
        block.push_str(n);
        block.push(':');
        block.push_str(v);
        block.push('\n');
    }
    let names: Vec<&str> = lines.iter().map(|(n, _)| n.as_str()).collect();
    (block, names.join(";"))
}

fn canonical_request(
    method: &str,
    query: &str,
    headers: &[(&str, &str)],
    payload: Payload<'_>,
) -> (String, String, String) {
    let (block, signed) = canonical_headers(headers);
    let hp = hashed_payload(payload);
    let canonical = format!("{method}\n/\n{query}\n{block}\n{signed}\n{hp}");
    (canonical, signed, hp)
}

/// The credential scope and the string to sign of a canonical request.
fn string_to_sign(timestamp: i64, date: &str, service: &str, canonical: &str) -> (String, String) {
    let scope = format!("{date}/{service}/tc3_request");
    let string_to_sign = format!(
        "{ALGORITHM}\n{timestamp}\n{scope}\n{}",
        sha256_hex(canonical.as_bytes())
    );
    (scope, string_to_sign)
}

fn finish(
    secret_id: &str,
    secret_key: &[u8],
    service: &str,
    timestamp: i64,
    canonical: String,
    signed_headers: String,
    hashed_payload: String,
) -> Option<Signature> {
    let date = credential_date(timestamp)?;
    let (scope, string_to_sign) = string_to_sign(timestamp, &date, service, &canonical);
    let key = signing_key(secret_key, &date, service);
    let signature = hex::encode(hmac(&key, string_to_sign.as_bytes()));
    let authorization = format!(
        "{ALGORITHM} Credential={secret_id}/{scope}, SignedHeaders={signed_headers}, Signature={signature}"
    );
    Some(Signature {
        hashed_payload,
        canonical_request: canonical,
        signed_headers,
        string_to_sign,
        credential_scope: scope,
        signature,
        authorization,
    })
}

/// Signs a request. `service` is the product's short name (`cvm`, `vpc`), which is the
/// first label of the host also for regional and international hosts. Returns `None`
/// only for a timestamp outside the calendar's range.
pub fn sign(
    secret_id: &str,
    secret_key: &[u8],
    service: &str,
    timestamp: i64,
    req: &SignableRequest<'_>,
) -> Option<Signature> {
    let mut headers: Vec<(&str, &str)> =
        vec![("content-type", req.content_type), ("host", req.host)];
    headers.extend_from_slice(req.extra_signed_headers);
    let (canonical, signed, hp) = canonical_request(req.method, req.query, &headers, req.payload);
    finish(
        secret_id, secret_key, service, timestamp, canonical, signed, hp,
    )
}

/// A parsed `Authorization` header.
#[derive(Clone, PartialEq, Eq)]
pub struct Authorization {
    pub secret_id: String,
    pub date: String,
    pub service: String,
    pub signed_headers: Vec<String>,
    pub signature: String,
}

impl fmt::Debug for Authorization {
    // The signature is not a secret, but there is no reason to spread it through logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authorization")
            .field("secret_id", &self.secret_id)
            .field("date", &self.date)
            .field("service", &self.service)
            .field("signed_headers", &self.signed_headers)
            .finish_non_exhaustive()
    }
}

/// Why a signature was not accepted. Each maps to one Tencent error code.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// `AuthFailure.InvalidAuthorization`: the header is missing, malformed, uses another
    /// algorithm, or does not sign `content-type` and `host`.
    #[error("the Authorization header is malformed: {0}")]
    InvalidAuthorization(&'static str),
    /// `AuthFailure.SignatureExpire`: the timestamp is more than 300 s away from the server's clock.
    #[error("the request timestamp is more than 300 seconds away from the server time")]
    Expired,
    /// `AuthFailure.SignatureFailure`: anything signed differs.
    #[error("the signature does not match the request")]
    Mismatch,
}

impl VerifyError {
    pub fn code(&self) -> &'static str {
        match self {
            VerifyError::InvalidAuthorization(_) => "AuthFailure.InvalidAuthorization",
            VerifyError::Expired => "AuthFailure.SignatureExpire",
            VerifyError::Mismatch => "AuthFailure.SignatureFailure",
        }
    }
}

/// Parses `TC3-HMAC-SHA256 Credential=ID/DATE/SERVICE/tc3_request, SignedHeaders=a;b, Signature=hex`.
pub fn parse_authorization(value: &str) -> Result<Authorization, VerifyError> {
    let rest = value
        .strip_prefix(ALGORITHM)
        .and_then(|r| r.strip_prefix(' '))
        .ok_or(VerifyError::InvalidAuthorization(
            "algorithm must be TC3-HMAC-SHA256",
        ))?;
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let part = part.trim();
        if let Some(v) = part.strip_prefix("Credential=") {
            credential = Some(v);
        } else if let Some(v) = part.strip_prefix("SignedHeaders=") {
            signed = Some(v);
        } else if let Some(v) = part.strip_prefix("Signature=") {
            signature = Some(v);
        } else {
            return Err(VerifyError::InvalidAuthorization("unknown part"));
        }
    }
    let credential = credential.ok_or(VerifyError::InvalidAuthorization("missing Credential"))?;
    let signed = signed.ok_or(VerifyError::InvalidAuthorization("missing SignedHeaders"))?;
    let signature = signature.ok_or(VerifyError::InvalidAuthorization("missing Signature"))?;
    let mut scope = credential.split('/');
    let (Some(id), Some(date), Some(service), Some("tc3_request"), None) = (
        scope.next(),
        scope.next(),
        scope.next(),
        scope.next(),
        scope.next(),
    ) else {
        return Err(VerifyError::InvalidAuthorization(
            "malformed Credential scope",
        ));
    };
    if id.is_empty() || date.is_empty() || service.is_empty() {
        return Err(VerifyError::InvalidAuthorization(
            "malformed Credential scope",
        ));
    }
    let signed_headers: Vec<String> = signed.split(';').map(str::to_owned).collect();
    if !signed_headers.iter().any(|h| h == "content-type")
        || !signed_headers.iter().any(|h| h == "host")
    {
        return Err(VerifyError::InvalidAuthorization(
            "SignedHeaders must include content-type and host",
        ));
    }
    if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(VerifyError::InvalidAuthorization(
            "Signature must be 64 hex digits",
        ));
    }
    Ok(Authorization {
        secret_id: id.to_owned(),
        date: date.to_owned(),
        service: service.to_owned(),
        signed_headers,
        signature: signature.to_ascii_lowercase(),
    })
}

/// What the server received, for verification.
pub struct ReceivedRequest<'a> {
    pub method: &'a str,
    pub query: &'a str,
    /// Looks up a received header by lower-case name.
    pub header: &'a dyn Fn(&str) -> Option<&'a str>,
    pub payload: Payload<'a>,
    /// The `X-TC-Timestamp` value.
    pub timestamp: i64,
}

/// Verifies a parsed Authorization against the request as received, the way the
/// gateway does: the timestamp window first, then scope date and service, then the
/// signature rebuilt from the listed signed headers over the raw bytes.
pub fn verify(
    auth: &Authorization,
    secret_key: &[u8],
    expected_service: &str,
    now: i64,
    req: &ReceivedRequest<'_>,
) -> Result<(), VerifyError> {
    if now.abs_diff(req.timestamp) > MAX_CLOCK_SKEW_SECS as u64 {
        return Err(VerifyError::Expired);
    }
    let date = credential_date(req.timestamp).ok_or(VerifyError::Mismatch)?;
    if auth.date != date || auth.service != expected_service {
        return Err(VerifyError::Mismatch);
    }
    let mut headers = Vec::with_capacity(auth.signed_headers.len());
    for name in &auth.signed_headers {
        let value = (req.header)(name).ok_or(VerifyError::Mismatch)?;
        headers.push((name.as_str(), value));
    }
    let (canonical, signed, _) = canonical_request(req.method, req.query, &headers, req.payload);
    if signed != auth.signed_headers.join(";") {
        // Listed out of order or with duplicates: the client signed something else.
        return Err(VerifyError::Mismatch);
    }
    let sent = hex::decode(&auth.signature).map_err(|_| VerifyError::Mismatch)?;
    let (_, string_to_sign) = string_to_sign(req.timestamp, &date, &auth.service, &canonical);
    let key = signing_key(secret_key, &date, &auth.service);
    let mut mac = HmacSha256::new_from_slice(&key).expect("HMAC accepts keys of any length");
    mac.update(string_to_sign.as_bytes());
    // The MAC crate's own comparison, which takes the same time wherever the bytes differ.
    mac.verify_slice(&sent).map_err(|_| VerifyError::Mismatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
    const KEY: &[u8] = b"Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";

    /// The request of Tencent's published signing examples, with `extra` headers signed.
    fn published_example(
        extra: &'static [(&'static str, &'static str)],
    ) -> SignableRequest<'static> {
        SignableRequest {
            method: "POST",
            host: "cvm.tencentcloudapi.com",
            query: "",
            content_type: "application/json; charset=utf-8",
            payload: Payload::Body(
                br#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#,
            ),
            extra_signed_headers: extra,
        }
    }

    #[test]
    fn tencent_published_example_a() {
        let req = published_example(&[]);
        let s = sign(ID, KEY, "cvm", 1551113065, &req).unwrap();
        assert_eq!(
            s.hashed_payload,
            "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
        );
        assert_eq!(
            sha256_hex(s.canonical_request.as_bytes()),
            "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
        assert_eq!(s.credential_scope, "2019-02-25/cvm/tc3_request");
        assert_eq!(
            hex::encode(signing_key(KEY, "2019-02-25", "cvm")),
            "ac658d5dde49e9bfdd14e04e062f66b05d9f637d44b8a8d845327d4a77f666b1"
        );
        assert_eq!(
            s.signature,
            "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
        assert_eq!(
            s.authorization,
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
    }

    #[test]
    fn example_c_signs_x_tc_action_lowercased() {
        let req = published_example(&[("X-TC-Action", "DescribeInstances")]);
        let s = sign(ID, KEY, "cvm", 1551113065, &req).unwrap();
        assert_eq!(s.signed_headers, "content-type;host;x-tc-action");
        assert_eq!(
            sha256_hex(s.canonical_request.as_bytes()),
            "7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84"
        );
        assert_eq!(
            s.signature,
            "644be983de9a8a3f00db8eadaba61467c3b429e2215758ba897b738ca469fd26"
        );
    }

    #[test]
    fn verify_accepts_what_sign_produces_and_rejects_a_changed_body() {
        let body = br#"{"InstanceIds": ["ins-r8hr2upy", "ins-5d8a23rs"]}"#;
        let req = SignableRequest {
            method: "POST",
            host: "cvm.tencentcloudapi.com",
            query: "",
            content_type: "application/json",
            payload: Payload::Body(body),
            extra_signed_headers: &[],
        };
        let s = sign(ID, KEY, "cvm", 1700000000, &req).unwrap();
        assert_eq!(
            s.signature,
            "e6f8f6b406506e7fc6d1b3589353c45587f631db054564168712867ac34801af"
        );
        let auth = parse_authorization(&s.authorization).unwrap();
        let header = |n: &str| match n {
            "content-type" => Some("application/json"),
            "host" => Some("cvm.tencentcloudapi.com"),
            _ => None,
        };
        let mut received = ReceivedRequest {
            method: "POST",
            query: "",
            header: &header,
            payload: Payload::Body(body),
            timestamp: 1700000000,
        };
        assert_eq!(verify(&auth, KEY, "cvm", 1700000100, &received), Ok(()));
        assert_eq!(
            verify(&auth, KEY, "cvm", 1700000301, &received),
            Err(VerifyError::Expired)
        );
        assert_eq!(
            verify(&auth, KEY, "vpc", 1700000000, &received),
            Err(VerifyError::Mismatch)
        );
        received.payload = Payload::Body(b"{}");
        assert_eq!(
            verify(&auth, KEY, "cvm", 1700000000, &received),
            Err(VerifyError::Mismatch)
        );
    }

    #[test]
    fn verify_compares_signature_bytes_with_the_mac_not_hex_text() {
        let req = SignableRequest {
            method: "POST",
            host: "cvm.tencentcloudapi.com",
            query: "",
            content_type: "application/json",
            payload: Payload::Body(b"{}"),
            extra_signed_headers: &[],
        };
        let s = sign(ID, KEY, "cvm", 1700000000, &req).unwrap();
        let header = |n: &str| match n {
            "content-type" => Some("application/json"),
            "host" => Some("cvm.tencentcloudapi.com"),
            _ => None,
        };
        let received = ReceivedRequest {
            method: "POST",
            query: "",
            header: &header,
            payload: Payload::Body(b"{}"),
            timestamp: 1700000000,
        };
        let mut auth = parse_authorization(&s.authorization).unwrap();
        // Hex case is spelling, not signature: the same bytes verify.
        auth.signature = s.signature.to_ascii_uppercase();
        assert_eq!(verify(&auth, KEY, "cvm", 1700000000, &received), Ok(()));
        // One bit off in the last byte, a short tag, and text that is not hex all fail.
        let mut bytes = hex::decode(&s.signature).unwrap();
        bytes[31] ^= 1;
        for bad in [
            hex::encode(&bytes),
            s.signature[..62].to_owned(),
            "zz".repeat(32),
        ] {
            auth.signature = bad;
            assert_eq!(
                verify(&auth, KEY, "cvm", 1700000000, &received),
                Err(VerifyError::Mismatch)
            );
        }
    }

    #[test]
    fn malformed_authorization_headers_are_named() {
        for bad in [
            "",
            "HMAC Credential=a/b/c/tc3_request, SignedHeaders=content-type;host, Signature=00",
            "TC3-HMAC-SHA256 Credential=a/b/c, SignedHeaders=content-type;host, Signature=00",
            "TC3-HMAC-SHA256 Credential=a/b/c/tc3_request, SignedHeaders=host, Signature=00",
        ] {
            assert!(
                matches!(
                    parse_authorization(bad),
                    Err(VerifyError::InvalidAuthorization(_))
                ),
                "{bad}"
            );
        }
    }
}
