//! The reqwest transport's failure classification over real loopback sockets (wall
//! clock: reqwest's timeouts do not run on tokio's paused clock).

use std::time::Duration;
use tencent_api::models::cvm;
use tencent_api::{Client, Credentials, Endpoint, ErrorCategory, RetryPolicy, TransportKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

fn client(base: String) -> Client {
    Client::builder(Credentials::new("AKIDtransporttest", "key"))
        .endpoint(Endpoint::Custom(base))
        .timeouts(Duration::from_millis(500), Duration::from_millis(400))
        .retry(RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        })
        .build()
        .unwrap()
}

fn stop() -> cvm::StopInstancesRequest {
    cvm::StopInstancesRequest {
        instance_ids: Some(vec!["ins-r8hr2upy".into()]),
        ..Default::default()
    }
}

fn kind(e: &tencent_api::Error) -> TransportKind {
    match e {
        tencent_api::Error::Transport { kind, .. } => *kind,
        other => panic!("not a transport error: {other}"),
    }
}

#[tokio::test]
async fn refused_connections_are_connect_errors_and_nothing_was_sent() {
    // Bind then drop: the port is closed.
    let port = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let e = client(format!("http://127.0.0.1:{port}"))
        .stop_instances("ap-guangzhou", &stop())
        .await
        .unwrap_err();
    assert_eq!(kind(&e), TransportKind::Connect, "{e}");
    assert_eq!(e.category(), ErrorCategory::Network);
    assert!(!e.outcome_unknown());
}

#[tokio::test]
async fn a_silent_server_is_a_timeout_with_unknown_outcome_for_mutations() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = listener.accept().await {
            held.push(sock);
        }
    });
    let c = client(format!("http://{addr}"));
    let e = c.stop_instances("ap-guangzhou", &stop()).await.unwrap_err();
    assert_eq!(kind(&e), TransportKind::Timeout, "{e}");
    assert!(e.outcome_unknown());
    let e = c
        .describe_zones("ap-guangzhou", &Default::default())
        .await
        .unwrap_err();
    assert_eq!(kind(&e), TransportKind::Timeout, "{e}");
    assert!(!e.outcome_unknown());
    server.abort();
}

#[tokio::test]
async fn a_connection_dropped_after_the_request_is_a_reset() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let mut buf = vec![0u8; 65536];
            let _ = sock.read(&mut buf).await;
            // Half an answer, then gone.
            let _ = sock
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"Resp")
                .await;
            drop(sock);
        }
    });
    let e = client(format!("http://{addr}"))
        .stop_instances("ap-guangzhou", &stop())
        .await
        .unwrap_err();
    assert!(
        matches!(kind(&e), TransportKind::Reset | TransportKind::Other),
        "{e}"
    );
    assert!(e.outcome_unknown(), "{e}");
    server.abort();
}
