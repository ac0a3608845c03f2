//! Signatures compared with published vectors and with vectors made by the official
//! Python SDK (`tests/data/make_golden.py` → `tests/data/golden_sdk.json`).

mod support;

use serde::Deserialize;
use tencent_api::sign::{self, Payload, ReceivedRequest, SignableRequest};

#[derive(Deserialize)]
struct Golden {
    secret_id: String,
    secret_key: String,
    cases: Vec<Case>,
}

#[derive(Deserialize, PartialEq, Debug)]
struct Case {
    name: String,
    service: String,
    method: String,
    host: String,
    query: String,
    body: String,
    content_type: String,
    timestamp: i64,
    action: String,
    region: Option<String>,
    language: Option<String>,
    token: Option<String>,
    unsigned_payload: bool,
    authorization: String,
}

const GOLDEN: &str = include_str!("data/golden_sdk.json");

fn golden() -> Golden {
    serde_json::from_str(GOLDEN).unwrap()
}

fn signable(c: &Case) -> SignableRequest<'_> {
    SignableRequest {
        method: &c.method,
        host: &c.host,
        query: &c.query,
        content_type: &c.content_type,
        payload: if c.unsigned_payload {
            Payload::Unsigned
        } else {
            Payload::Body(c.body.as_bytes())
        },
        extra_signed_headers: &[],
    }
}

#[test]
fn our_signer_matches_the_python_sdk_on_every_golden_case() {
    let g = golden();
    assert!(g.cases.len() >= 10);
    assert!(g.cases.iter().any(|c| c.method == "GET"));
    assert!(g.cases.iter().any(|c| c.unsigned_payload));
    assert!(g.cases.iter().any(|c| c.token.is_some()));
    for c in &g.cases {
        let s = sign::sign(
            &g.secret_id,
            g.secret_key.as_bytes(),
            &c.service,
            c.timestamp,
            &signable(c),
        )
        .unwrap();
        assert_eq!(s.authorization, c.authorization, "{}", c.name);
    }
}

#[test]
fn the_verifier_accepts_every_golden_case_as_received() {
    let g = golden();
    for c in &g.cases {
        let auth = sign::parse_authorization(&c.authorization).unwrap();
        let header = |n: &str| match n {
            "content-type" => Some(c.content_type.as_str()),
            "host" => Some(c.host.as_str()),
            _ => None,
        };
        let received = ReceivedRequest {
            method: &c.method,
            query: &c.query,
            header: &header,
            payload: if c.unsigned_payload {
                Payload::Unsigned
            } else {
                Payload::Body(c.body.as_bytes())
            },
            timestamp: c.timestamp,
        };
        assert_eq!(
            sign::verify(
                &auth,
                g.secret_key.as_bytes(),
                &c.service,
                c.timestamp + 10,
                &received
            ),
            Ok(()),
            "{}",
            c.name
        );
        assert_eq!(
            sign::verify(&auth, b"another key", &c.service, c.timestamp, &received),
            Err(sign::VerifyError::Mismatch),
            "{}",
            c.name
        );
    }
}

/// Reference §1.9 V2: temporary credential; the token is not signed, so the signature is
/// the same with or without it.
#[test]
fn reference_vector_v2_token_does_not_change_the_signature() {
    let body =
        r#"{"InstanceIds": ["ins-9bxebleo"], "InstanceName": "\u6d4b\u8bd5\u5b9e\u4f8b-web01"}"#;
    let req = SignableRequest {
        method: "POST",
        host: "cvm.tencentcloudapi.com",
        query: "",
        content_type: "application/json",
        payload: Payload::Body(body.as_bytes()),
        extra_signed_headers: &[],
    };
    let s = sign::sign(
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        b"Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        "cvm",
        1717171717,
        &req,
    )
    .unwrap();
    assert_eq!(
        s.hashed_payload,
        "c1d78637b56c0d1a6ebfb56d6e16ccc4e39bf171f56e2b2121591b8bca7566ca"
    );
    assert_eq!(
        sign::sha256_hex(s.canonical_request.as_bytes()),
        "fe334f91d81a769c60aad4567d83af33fcf41c4308a6b83c7f9aab1b53b34c3a"
    );
    assert_eq!(
        s.signature,
        "c5a0cbaf6c643099a6794c9fddf76ad9cfe62e3a4ddc192e6d615411856bd476"
    );
}

/// Reference §1.8 variant B and the raw-UTF-8 payload hash: escaping style changes the hash.
#[test]
fn reference_example_b_and_raw_utf8_payload() {
    let b = br#"{"Limit": 1, "Filters": [{"Values": ["unnamed"], "Name": "instance-name"}]}"#;
    let req = SignableRequest {
        method: "POST",
        host: "cvm.tencentcloudapi.com",
        query: "",
        content_type: "application/json; charset=utf-8",
        payload: Payload::Body(b),
        extra_signed_headers: &[],
    };
    let s = sign::sign(
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        b"Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        "cvm",
        1551113065,
        &req,
    )
    .unwrap();
    assert_eq!(
        s.hashed_payload,
        "99d58dfbc6745f6747f36bfca17dee5e6881dc0428a0a36f96199342bc5b4907"
    );
    assert_eq!(
        sign::sha256_hex(s.canonical_request.as_bytes()),
        "2815843035062fffda5fd6f2a44ea8a34818b0dc46f024b8b3786976a3adda7a"
    );
    assert_eq!(
        s.signature,
        "63eae8f4b793c20564dafd5a5f62817d6e8de7ce5d4fb2d38f7babf1531c493c"
    );
    let raw = r#"{"Limit": 1, "Filters": [{"Values": ["未命名"], "Name": "instance-name"}]}"#;
    assert_eq!(
        sign::sha256_hex(raw.as_bytes()),
        "1e07682a01ae959704b7d77a9c0dd92ad8284fc90f9bb2ab5cc941be1d7ea716"
    );
}

#[test]
fn unsigned_payload_hashes_the_literal() {
    assert_eq!(
        sign::sha256_hex(sign::UNSIGNED_PAYLOAD.as_bytes()),
        sign::sha256_hex(b"UNSIGNED-PAYLOAD")
    );
    let g = golden();
    let c = g.cases.iter().find(|c| c.unsigned_payload).unwrap();
    // Signing with Payload::Unsigned reproduces the SDK (which sent a real JSON body).
    let s = sign::sign(
        &g.secret_id,
        g.secret_key.as_bytes(),
        &c.service,
        c.timestamp,
        &SignableRequest {
            payload: Payload::Unsigned,
            ..signable(c)
        },
    )
    .unwrap();
    assert_eq!(s.authorization, c.authorization);
    assert_eq!(s.hashed_payload, sign::sha256_hex(b"UNSIGNED-PAYLOAD"));
}

/// Re-runs the generator with the installed SDK: the committed vectors must be what the
/// SDK computes today.
#[test]
fn golden_data_is_what_the_installed_sdk_computes() {
    let py = support::venv::python();
    let script = support::venv::repo_root().join("crates/tencent-api/tests/data/make_golden.py");
    let out = std::env::temp_dir().join(format!("golden_sdk_{}.json", std::process::id()));
    let status = std::process::Command::new(py)
        .arg(&script)
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success(), "make_golden.py failed");
    let fresh: Golden = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    std::fs::remove_file(&out).ok();
    assert_eq!(fresh.cases, golden().cases);
}
