//! The client's answer handling through its public path: a `Transport` that returns the
//! fuzzed bytes (with a fuzzed HTTP status and Date header) to a real `Client`, for reads
//! and mutations of several shapes. Nothing may panic, and every failure must carry a
//! code; a mutation whose answer could not be read must say its outcome is unknown.

#![no_main]

use arbitrary::Arbitrary;
use bytes::Bytes;
use futures::future::BoxFuture;
use libfuzzer_sys::fuzz_target;
use std::sync::{Arc, OnceLock};
use tencent_api::models::{cvm, vpc};
use tencent_api::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use tencent_api::{BudgetProfile, Client, Credentials, Endpoint, Error, Limit, RetryPolicy};
use tokio::runtime::Runtime;

#[derive(Arbitrary, Debug)]
struct Input {
    action: u8,
    status: u8,
    date: Option<String>,
    body: Vec<u8>,
}

/// Answers every request with the same fuzzed response.
struct Canned(HttpResponse);

impl Transport for Canned {
    fn send(&self, _req: HttpRequest) -> BoxFuture<'static, Result<HttpResponse, TransportError>> {
        let resp = self.0.clone();
        Box::pin(async move { Ok(resp) })
    }
}

fn runtime() -> &'static Runtime {
    static RT: OnceLock<Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
    })
}

/// A failure must carry a code; an unreadable answer to a mutation leaves its outcome unknown.
fn check<T>(r: Result<T, Error>, mutation: bool) {
    let Err(e) = r else { return };
    assert!(!e.code().is_empty(), "{e}");
    let _ = (e.kind(), e.message(), e.request_id(), e.to_string());
    if mutation && matches!(e, Error::Decode { .. }) {
        assert!(e.outcome_unknown(), "{e}");
    }
    if let Some(rid) = e.request_id()
        && matches!(e, Error::Decode { .. })
    {
        assert!(rid.len() <= 64, "{rid}");
    }
}

fuzz_target!(|input: Input| {
    let status = match input.status % 4 {
        0 | 1 => 200,
        2 => 500,
        _ => 400 + u16::from(input.status % 100),
    };
    let transport = Canned(HttpResponse {
        status,
        date: input.date,
        body: Bytes::from(input.body),
    });
    let client = Client::builder(Credentials::new(
        "AKIDfuzz000000000000000000000000",
        "fuzzkey",
    ))
    .endpoint(Endpoint::Custom("http://127.0.0.1:9".into()))
    .transport(Arc::new(transport))
    // One attempt: the input is the same on every attempt anyway, and no back-off sleeps.
    .retry(RetryPolicy {
        max_attempts: 1,
        ..Default::default()
    })
    .budget_profile(BudgetProfile::custom(
        "fuzz",
        Limit::per_second(1_000_000, 1_000_000),
        None,
    ))
    .build()
    .unwrap();
    let region = "ap-guangzhou";
    let ids = Some(vec!["ins-12345678".to_owned()]);
    runtime().block_on(async {
        match input.action % 7 {
            0 => check(
                client.describe_instances(region, &Default::default()).await,
                false,
            ),
            1 => check(
                client.describe_zones(region, &Default::default()).await,
                false,
            ),
            2 => check(
                client
                    .run_instances(
                        region,
                        &cvm::RunInstancesRequest {
                            client_token: Some(tencent_api::new_client_token()),
                            ..Default::default()
                        },
                    )
                    .await,
                true,
            ),
            3 => check(
                client
                    .stop_instances(
                        region,
                        &cvm::StopInstancesRequest {
                            instance_ids: ids,
                            ..Default::default()
                        },
                    )
                    .await,
                true,
            ),
            4 => check(
                client.describe_vpcs(region, &Default::default()).await,
                false,
            ),
            5 => check(
                client
                    .describe_instances_status(region, &Default::default())
                    .await,
                false,
            ),
            _ => {
                // A paged listing: the same page over and over would never end if TotalCount
                // were trusted blindly; a few pages are enough to exercise the decoder.
                use futures::StreamExt;
                let mut pages =
                    std::pin::pin!(client.pages(region, vpc::DescribeSubnetsRequest::default()));
                for _ in 0..3 {
                    match pages.next().await {
                        Some(r) => check(r, false),
                        None => break,
                    }
                }
            }
        }
    });
});
