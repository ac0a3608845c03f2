//! Property tests: sign → verify round-trips for arbitrary requests, and any change to a
//! signed part (body, host, content type, date, service, key, query) fails verification.

use proptest::prelude::*;
use tencent_api::sign::{self, Payload, ReceivedRequest, SignableRequest, VerifyError};

#[derive(Clone, Debug)]
struct Req {
    method: &'static str,
    host: String,
    query: String,
    content_type: String,
    body: Vec<u8>,
    service: String,
    key: Vec<u8>,
    timestamp: i64,
    sign_action: bool,
}

fn req() -> impl Strategy<Value = Req> {
    (
        prop_oneof![Just("POST"), Just("GET")],
        "[a-z]{2,8}(\\.[a-z0-9-]{1,12}){1,3}(:[0-9]{2,5})?",
        "([A-Za-z0-9.]{1,10}=[A-Za-z0-9%+.]{0,10}&){0,3}",
        prop_oneof![
            Just("application/json".to_owned()),
            Just("application/json; charset=utf-8".to_owned()),
            Just("application/x-www-form-urlencoded".to_owned()),
        ],
        proptest::collection::vec(any::<u8>(), 0..512),
        "[a-z]{2,6}",
        proptest::collection::vec(any::<u8>(), 1..64),
        // 1970 to 2100: the date rolls over at UTC midnight somewhere in here.
        0i64..4_102_444_800,
        any::<bool>(),
    )
        .prop_map(
            |(method, host, query, content_type, body, service, key, timestamp, sign_action)| Req {
                method,
                host,
                query,
                content_type,
                body,
                service,
                key,
                timestamp,
                sign_action,
            },
        )
}

fn sign_req(r: &Req) -> String {
    let extra: &[(&str, &str)] = if r.sign_action {
        &[("X-TC-Action", "DescribeInstances")]
    } else {
        &[]
    };
    sign::sign(
        "AKIDproptest",
        &r.key,
        &r.service,
        r.timestamp,
        &SignableRequest {
            method: r.method,
            host: &r.host,
            query: &r.query,
            content_type: &r.content_type,
            payload: Payload::Body(&r.body),
            extra_signed_headers: extra,
        },
    )
    .unwrap()
    .authorization
}

/// Verifies `auth` against what the server received (`r`) with the server's `key` and
/// expected `service`, at the request's own timestamp.
fn verify_as_received(auth: &str, r: &Req, key: &[u8], service: &str) -> Result<(), VerifyError> {
    let parsed = sign::parse_authorization(auth)?;
    let header = |n: &str| match n {
        "content-type" => Some(r.content_type.as_str()),
        "host" => Some(r.host.as_str()),
        "x-tc-action" => Some("DescribeInstances"),
        _ => None,
    };
    sign::verify(
        &parsed,
        key,
        service,
        r.timestamp,
        &ReceivedRequest {
            method: r.method,
            query: &r.query,
            header: &header,
            payload: Payload::Body(&r.body),
            timestamp: r.timestamp,
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn sign_then_verify_round_trips(r in req()) {
        let auth = sign_req(&r);
        prop_assert_eq!(verify_as_received(&auth, &r, &r.key, &r.service), Ok(()));
    }

    #[test]
    fn a_changed_body_fails(r in req(), extra in any::<u8>(), at in any::<prop::sample::Index>()) {
        let auth = sign_req(&r);
        let mut changed = r.clone();
        if changed.body.is_empty() {
            changed.body.push(extra);
        } else {
            let i = at.index(changed.body.len());
            changed.body[i] = changed.body[i].wrapping_add(1 + extra % 255);
        }
        prop_assert_eq!(verify_as_received(&auth, &changed, &r.key, &r.service), Err(VerifyError::Mismatch));
    }

    #[test]
    fn a_changed_host_fails(r in req(), suffix in "[a-z0-9]{1,4}") {
        let auth = sign_req(&r);
        let changed = Req { host: format!("{}{suffix}", r.host), ..r.clone() };
        prop_assert_eq!(verify_as_received(&auth, &changed, &r.key, &r.service), Err(VerifyError::Mismatch));
    }

    #[test]
    fn a_changed_content_type_fails(r in req()) {
        let auth = sign_req(&r);
        let changed = Req { content_type: format!("{}; boundary=x", r.content_type), ..r.clone() };
        prop_assert_eq!(verify_as_received(&auth, &changed, &r.key, &r.service), Err(VerifyError::Mismatch));
    }

    #[test]
    fn a_changed_query_fails(r in req(), extra in "[a-z]{1,5}=[0-9]{1,3}") {
        let auth = sign_req(&r);
        let changed = Req { query: format!("{}{extra}", r.query), ..r.clone() };
        prop_assert_eq!(verify_as_received(&auth, &changed, &r.key, &r.service), Err(VerifyError::Mismatch));
    }

    /// Another timestamp (within the skew window, so only the signature can catch it),
    /// including one across a UTC date boundary.
    #[test]
    fn a_changed_timestamp_or_date_fails(r in req(), delta in prop_oneof![1i64..300, -300i64..-1, Just(86_400)]) {
        let auth = sign_req(&r);
        let changed = Req { timestamp: r.timestamp + delta, ..r.clone() };
        prop_assert_eq!(verify_as_received(&auth, &changed, &r.key, &r.service), Err(VerifyError::Mismatch));
    }

    #[test]
    fn another_service_fails(r in req(), other in "[a-z]{2,6}") {
        prop_assume!(other != r.service);
        let auth = sign_req(&r);
        prop_assert_eq!(verify_as_received(&auth, &r, &r.key, &other), Err(VerifyError::Mismatch));
    }

    #[test]
    fn another_key_fails(r in req(), other in proptest::collection::vec(any::<u8>(), 1..64)) {
        prop_assume!(other != r.key);
        let auth = sign_req(&r);
        prop_assert_eq!(verify_as_received(&auth, &r, &other, &r.service), Err(VerifyError::Mismatch));
    }

    #[test]
    fn a_changed_method_fails(r in req()) {
        let auth = sign_req(&r);
        let changed = Req { method: if r.method == "GET" { "POST" } else { "GET" }, ..r.clone() };
        prop_assert_eq!(verify_as_received(&auth, &changed, &r.key, &r.service), Err(VerifyError::Mismatch));
    }

    /// Parsing arbitrary header text never panics.
    #[test]
    fn parse_authorization_never_panics(s in ".{0,200}") {
        let _ = sign::parse_authorization(&s);
    }
}
