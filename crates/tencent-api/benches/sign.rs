//! Signing cost: Tencent's published example, a 100-id StopInstances body, a 64 KiB body,
//! a GET query, and verification. `scripts/py_sign_bench.py` times the official Python
//! SDK's signer on the same payloads (numbers in README.md).

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use tencent_api::sign::{self, Payload, ReceivedRequest, SignableRequest};

const ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
const KEY: &[u8] = b"Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";

/// The payloads, shared with the Python benchmark (same bytes).
fn payloads() -> Vec<(&'static str, String)> {
    let example =
        r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#
            .to_owned();
    let ids: Vec<String> = (0..100).map(|i| format!("\"ins-{i:08}\"")).collect();
    let hundred = format!("{{\"InstanceIds\": [{}]}}", ids.join(", "));
    let big = format!("{{\"UserData\": \"{}\"}}", "A".repeat(64 * 1024));
    vec![
        ("example_a", example),
        ("stop_100_ids", hundred),
        ("body_64k", big),
    ]
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("sign");
    for (name, body) in payloads() {
        g.bench_function(name, |b| {
            b.iter(|| {
                let req = SignableRequest {
                    method: "POST",
                    host: "cvm.tencentcloudapi.com",
                    query: "",
                    content_type: "application/json",
                    payload: Payload::Body(body.as_bytes()),
                    extra_signed_headers: &[],
                };
                black_box(sign::sign(ID, KEY, "cvm", black_box(1_700_000_000), &req))
            })
        });
    }
    let query = "Filters.0.Name=zone&Filters.0.Values.0=ap-guangzhou-3&Limit=100&Offset=0";
    g.bench_function("get_query", |b| {
        b.iter(|| {
            let req = SignableRequest {
                method: "GET",
                host: "cvm.tencentcloudapi.com",
                query: black_box(query),
                content_type: "application/x-www-form-urlencoded",
                payload: Payload::Body(b""),
                extra_signed_headers: &[],
            };
            black_box(sign::sign(ID, KEY, "cvm", 1_700_000_000, &req))
        })
    });
    let body = payloads().remove(1).1;
    let signed = sign::sign(
        ID,
        KEY,
        "cvm",
        1_700_000_000,
        &SignableRequest {
            method: "POST",
            host: "cvm.tencentcloudapi.com",
            query: "",
            content_type: "application/json",
            payload: Payload::Body(body.as_bytes()),
            extra_signed_headers: &[],
        },
    )
    .unwrap();
    g.bench_function("parse_and_verify_stop_100_ids", |b| {
        let header = |n: &str| match n {
            "content-type" => Some("application/json"),
            "host" => Some("cvm.tencentcloudapi.com"),
            _ => None,
        };
        b.iter(|| {
            let auth = sign::parse_authorization(black_box(&signed.authorization)).unwrap();
            let r = ReceivedRequest {
                method: "POST",
                query: "",
                header: &header,
                payload: Payload::Body(body.as_bytes()),
                timestamp: 1_700_000_000,
            };
            black_box(sign::verify(&auth, KEY, "cvm", 1_700_000_000, &r))
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
