//! TC3 signature checking as the emulator does it for every request it receives:
//! `parse_authorization` on an arbitrary header value, then `verify` against an arbitrary
//! request (method, query, headers, body, `X-TC-Timestamp`), with the server's clock a
//! realistic one. Nothing may panic. And a round trip: whatever `sign` produces for sane
//! identifiers must parse and verify.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use tencent_api::sign::{self, Payload, ReceivedRequest, SignableRequest};

/// An `Authorization` value: arbitrary text, or one assembled from well-formed parts so
/// that most inputs get past parsing and into `verify`.
#[derive(Arbitrary, Debug)]
enum AuthHeader {
    Raw(String),
    Assembled {
        id: String,
        date: String,
        service: String,
        extra_headers: Vec<String>,
        signature: [u8; 32],
    },
}

impl AuthHeader {
    fn text(&self) -> String {
        match self {
            AuthHeader::Raw(s) => s.clone(),
            AuthHeader::Assembled {
                id,
                date,
                service,
                extra_headers,
                signature,
            } => {
                let mut names = vec!["content-type".to_owned(), "host".to_owned()];
                names.extend(extra_headers.iter().cloned());
                let hex: String = signature.iter().map(|b| format!("{b:02x}")).collect();
                format!(
                    "TC3-HMAC-SHA256 Credential={id}/{date}/{service}/tc3_request, SignedHeaders={}, Signature={hex}",
                    names.join(";")
                )
            }
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Received {
    authorization: AuthHeader,
    method: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    unsigned: bool,
    /// `X-TC-Timestamp` as the client sent it: anything an i64 can hold.
    timestamp: i64,
    /// The server's clock: seconds since 1970 within a u32 (until 2106).
    now: u32,
    key: Vec<u8>,
    service: String,
}

#[derive(Arbitrary, Debug)]
struct RoundTrip {
    id: u64,
    key: Vec<u8>,
    service: u8,
    get: bool,
    host: String,
    query: String,
    content_type: String,
    body: Vec<u8>,
    unsigned: bool,
    extra: Vec<(u8, String)>,
    /// Within the calendar range `sign` accepts.
    timestamp: u32,
}

#[derive(Arbitrary, Debug)]
enum Input {
    Received(Received),
    RoundTrip(RoundTrip),
}

fn received(r: &Received) {
    let Ok(auth) = sign::parse_authorization(&r.authorization.text()) else {
        return;
    };
    // What parsing promises.
    assert_eq!(auth.signature.len(), 64);
    assert!(
        auth.signature
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    );
    assert!(auth.signed_headers.iter().any(|h| h == "host"));
    assert!(auth.signed_headers.iter().any(|h| h == "content-type"));
    assert!(!auth.secret_id.is_empty() && !auth.date.is_empty() && !auth.service.is_empty());
    let headers = &r.headers;
    let lookup = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let req = ReceivedRequest {
        method: &r.method,
        query: &r.query,
        header: &lookup,
        payload: if r.unsigned {
            Payload::Unsigned
        } else {
            Payload::Body(&r.body)
        },
        timestamp: r.timestamp,
    };
    let now = i64::from(r.now);
    // Any timestamp, however extreme: `verify` once overflowed on `now - timestamp`
    // (fixed in b636214); the fuzzer keeps that fix honest.
    let _ = sign::verify(&auth, &r.key, &r.service, now, &req);
}

fn round_trip(t: &RoundTrip) {
    let id = format!("AKID{:016x}", t.id);
    let service = ["cvm", "vpc", "cbs", "tag"][t.service as usize % 4];
    let method = if t.get { "GET" } else { "POST" };
    let query = if t.get { t.query.as_str() } else { "" };
    // Extra signed headers: distinct lower-case names other than host and content-type.
    let names = ["x-tc-action", "x-tc-region", "x-tc-version", "x-custom"];
    let mut extra: Vec<(&str, &str)> = Vec::new();
    for (n, v) in &t.extra {
        let name = names[*n as usize % names.len()];
        if !extra.iter().any(|(e, _)| *e == name) {
            extra.push((name, v.as_str()));
        }
    }
    let payload = if t.unsigned {
        Payload::Unsigned
    } else {
        Payload::Body(&t.body)
    };
    let signable = SignableRequest {
        method,
        host: &t.host,
        query,
        content_type: &t.content_type,
        payload,
        extra_signed_headers: &extra,
    };
    let ts = i64::from(t.timestamp);
    let sig = sign::sign(&id, &t.key, service, ts, &signable).expect("a u32 timestamp is in range");
    let auth = sign::parse_authorization(&sig.authorization).unwrap_or_else(|e| {
        panic!(
            "our own Authorization does not parse: {e}: {}",
            sig.authorization
        )
    });
    assert_eq!(auth.secret_id, id);
    assert_eq!(auth.service, service);
    let mut sent: Vec<(&str, &str)> = vec![("content-type", &t.content_type), ("host", &t.host)];
    sent.extend(extra.iter().copied());
    let lookup = move |name: &str| sent.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
    let req = ReceivedRequest {
        method,
        query,
        header: &lookup,
        payload,
        timestamp: ts,
    };
    sign::verify(&auth, &t.key, service, ts, &req)
        .unwrap_or_else(|e| panic!("a fresh signature does not verify: {e}"));
    // Another key never verifies.
    let mut other = t.key.clone();
    other.push(1); // not 0: HMAC pads short keys with zeros, so K and K||0 are one key
    assert!(sign::verify(&auth, &other, service, ts, &req).is_err());
}

fuzz_target!(|input: Input| match &input {
    Input::Received(r) => received(r),
    Input::RoundTrip(t) => round_trip(t),
});
