//! The reqwest transport over real loopback sockets (wall clock: reqwest's timeouts do not
//! run on tokio's paused clock): failure classification, redirects refused, answer size cap.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tencent_api::models::cvm;
use tencent_api::transport::{MAX_RESPONSE_BYTES, ReqwestTransport};
use tencent_api::{Client, Credentials, Endpoint, ErrorKind, RetryPolicy, TransportKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

fn client(base: String) -> Client {
    client_with(base, Duration::from_millis(400), None)
}

fn client_with(base: String, total: Duration, cap: Option<usize>) -> Client {
    let mut b = Client::builder(Credentials::with_token(
        "AKIDtransporttest",
        "key",
        "CANARY-STS-TOKEN",
    ))
    .endpoint(Endpoint::Custom(base))
    .timeouts(Duration::from_millis(500), total)
    .retry(RetryPolicy {
        max_attempts: 1,
        ..RetryPolicy::default()
    });
    if let Some(cap) = cap {
        let t = ReqwestTransport::new(Duration::from_millis(500), total)
            .unwrap()
            .max_response_bytes(cap);
        b = b.transport(Arc::new(t));
    }
    b.build().unwrap()
}

/// Reads one HTTP/1.1 request (headers and a Content-Length body) from `sock`.
async fn read_request(sock: &mut TcpStream) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let n = sock.read(&mut chunk).await.unwrap_or(0);
        if n == 0 {
            return buf;
        }
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf).to_ascii_lowercase();
        if let Some(end) = text.find("\r\n\r\n") {
            let len = text[..end]
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                return buf;
            }
        }
    }
}

/// Answers every request with `head` followed by `body`, then closes.
async fn serve(head: String, body: Vec<u8>) -> (String, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let _ = read_request(&mut sock).await;
            let _ = sock.write_all(head.as_bytes()).await;
            let _ = sock.write_all(&body).await;
            let _ = sock.shutdown().await;
        }
    });
    (format!("http://{addr}"), task)
}

fn ok_head(len: usize) -> String {
    format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {len}\r\n\r\n")
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
    assert_eq!(e.kind(), ErrorKind::Network);
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

#[tokio::test]
async fn redirects_are_refused_and_the_other_host_receives_nothing() {
    // The host a redirect points at: counts connections and keeps what it is sent.
    let other = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let other_addr = other.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let received = Arc::new(std::sync::Mutex::new(Vec::<u8>::new()));
    let other_task = {
        let connections = connections.clone();
        let received = received.clone();
        tokio::spawn(async move {
            while let Ok((mut sock, _)) = other.accept().await {
                connections.fetch_add(1, Ordering::SeqCst);
                let req = read_request(&mut sock).await;
                received.lock().unwrap().extend_from_slice(&req);
                let body = br#"{"Response":{"RequestId":"stolen"}}"#;
                let _ = sock.write_all(ok_head(body.len()).as_bytes()).await;
                let _ = sock.write_all(body).await;
            }
        })
    };
    for status in [
        "301 Moved Permanently",
        "302 Found",
        "307 Temporary Redirect",
        "308 Permanent Redirect",
    ] {
        let head = format!(
            "HTTP/1.1 {status}\r\nlocation: http://{other_addr}/steal\r\ncontent-length: 0\r\n\r\n"
        );
        let (base, first) = serve(head, Vec::new()).await;
        let c = client_with(base, Duration::from_secs(5), None);
        let e = c.stop_instances("ap-guangzhou", &stop()).await.unwrap_err();
        let code: u16 = status[..3].parse().unwrap();
        assert_eq!(kind(&e), TransportKind::Status(code), "{e}");
        assert!(e.to_string().contains("redirect"), "{e}");
        // The request was not executed where it was sent, and was not sent on.
        assert!(!e.outcome_unknown(), "{e}");
        let e = c
            .describe_zones("ap-guangzhou", &Default::default())
            .await
            .unwrap_err();
        assert_eq!(kind(&e), TransportKind::Status(code), "{e}");
        first.abort();
    }
    // Give a follower every chance to have connected.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(connections.load(Ordering::SeqCst), 0);
    assert!(received.lock().unwrap().is_empty());
    other_task.abort();
}

#[tokio::test]
async fn an_answer_announcing_more_than_the_cap_is_refused_unread() {
    // A Content-Length of 1 GiB, a few bytes, then nothing: reading on would wait for the
    // timeout; the announced length alone must end the call.
    let head = ok_head(1 << 30);
    let (base, task) = serve(head, b"{\"Response\": {".to_vec()).await;
    let started = std::time::Instant::now();
    let e = client_with(base, Duration::from_secs(10), None)
        .describe_zones("ap-guangzhou", &Default::default())
        .await
        .unwrap_err();
    assert_eq!(kind(&e), TransportKind::TooLarge, "{e}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(e.code(), "ClientError.ResponseTooLarge");
    assert_eq!(e.kind(), ErrorKind::Server);
    assert!(
        e.to_string().contains(&MAX_RESPONSE_BYTES.to_string()),
        "{e}"
    );
    task.abort();
}

#[tokio::test]
async fn an_endless_chunked_answer_is_cut_at_the_cap() {
    // No Content-Length, chunks forever: buffering the whole body would never end (the
    // timeout would); reading incrementally stops at the cap.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let sent = Arc::new(AtomicUsize::new(0));
    let task = {
        let sent = sent.clone();
        tokio::spawn(async move {
            while let Ok((mut sock, _)) = listener.accept().await {
                let _ = read_request(&mut sock).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                            transfer-encoding: chunked\r\n\r\n";
                if sock.write_all(head.as_bytes()).await.is_err() {
                    continue;
                }
                let data = vec![b' '; 64 * 1024];
                let chunk = [
                    format!("{:x}\r\n", data.len()).into_bytes(),
                    data,
                    b"\r\n".to_vec(),
                ]
                .concat();
                while sock.write_all(&chunk).await.is_ok() {
                    sent.fetch_add(64 * 1024, Ordering::SeqCst);
                }
            }
        })
    };
    let e = client_with(format!("http://{addr}"), Duration::from_secs(30), None)
        .stop_instances("ap-guangzhou", &stop())
        .await
        .unwrap_err();
    assert_eq!(kind(&e), TransportKind::TooLarge, "{e}");
    // A mutation whose answer was not read may have been executed.
    assert!(e.outcome_unknown(), "{e}");
    // The client hung up soon after the cap (socket buffers hold a few MiB at most).
    tokio::time::sleep(Duration::from_millis(200)).await;
    let sent = sent.load(Ordering::SeqCst);
    assert!(sent < MAX_RESPONSE_BYTES + (16 << 20), "{sent}");
    task.abort();
}

#[tokio::test]
async fn the_cap_is_exact_with_and_without_content_length() {
    let cap = 1024;
    let body = |len: usize| {
        let mut b = br#"{"Response":{"RequestId":"r","ZoneSet":[],"Pad":""#.to_vec();
        b.resize(len - 4, b'x');
        b.extend_from_slice(br#""}}"#);
        b.push(b' ');
        assert_eq!(b.len(), len);
        b
    };
    // At the cap: read. One byte over: refused.
    let (base, task) = serve(ok_head(cap), body(cap)).await;
    client_with(base, Duration::from_secs(5), Some(cap))
        .describe_zones("ap-guangzhou", &Default::default())
        .await
        .unwrap();
    task.abort();
    let (base, task) = serve(ok_head(cap + 1), body(cap + 1)).await;
    let e = client_with(base, Duration::from_secs(5), Some(cap))
        .describe_zones("ap-guangzhou", &Default::default())
        .await
        .unwrap_err();
    assert_eq!(kind(&e), TransportKind::TooLarge, "{e}");
    task.abort();
    // Without Content-Length (the body ends when the connection closes).
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n";
    let (base, task) = serve(head.into(), body(cap)).await;
    client_with(base, Duration::from_secs(5), Some(cap))
        .describe_zones("ap-guangzhou", &Default::default())
        .await
        .unwrap();
    task.abort();
    let (base, task) = serve(head.into(), body(cap + 1)).await;
    let e = client_with(base, Duration::from_secs(5), Some(cap))
        .describe_zones("ap-guangzhou", &Default::default())
        .await
        .unwrap_err();
    assert_eq!(kind(&e), TransportKind::TooLarge, "{e}");
    task.abort();
}
