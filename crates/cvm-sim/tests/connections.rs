//! Slow and numerous clients over real loopback TCP: a header or body that never
//! finishes is cut off at its timeout, and connections beyond the cap wait for a free
//! slot instead of being served (or piling up) at once.

use cvm_sim::{Config, SimHandle};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn sim(config: Config) -> SimHandle {
    cvm_sim::start(config).await.expect("start")
}

/// Reads until the server closes (EOF or reset); `None` if it is still open at `within`.
async fn read_until_closed(stream: &mut TcpStream, within: Duration) -> Option<Vec<u8>> {
    let mut got = Vec::new();
    let read = async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(within, read).await.ok().map(|()| got)
}

/// A complete request the emulator answers without a signature (with an auth error).
const UNSIGNED: &[u8] = b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";

#[tokio::test]
async fn a_header_that_stalls_and_an_idle_connection_are_closed_at_the_header_timeout() {
    let sim = sim(Config {
        header_timeout: Duration::from_millis(300),
        ..Default::default()
    })
    .await;
    let mut half = TcpStream::connect(sim.addr()).await.unwrap();
    half.write_all(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty")
        .await
        .unwrap();
    let mut silent = TcpStream::connect(sim.addr()).await.unwrap();
    let t0 = Instant::now();
    let got = read_until_closed(&mut half, Duration::from_secs(3)).await;
    assert!(got.is_some(), "a half-sent header keeps its connection");
    assert!(
        read_until_closed(&mut silent, Duration::from_secs(3))
            .await
            .is_some(),
        "a connection that sends nothing stays open"
    );
    let took = t0.elapsed();
    assert!(
        took >= Duration::from_millis(250) && took < Duration::from_secs(2),
        "{took:?}"
    );
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_body_that_trickles_is_cut_off_at_the_body_timeout_without_an_answer() {
    let sim = sim(Config {
        body_timeout: Duration::from_millis(300),
        ..Default::default()
    })
    .await;
    let stream = TcpStream::connect(sim.addr()).await.unwrap();
    let (mut read, mut write) = stream.into_split();
    write
        .write_all(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n")
        .await
        .unwrap();
    // One byte every 50 ms: the whole body would take 5 s.
    let trickle = tokio::spawn(async move {
        for _ in 0..100 {
            if write.write_all(b" ").await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
    let t0 = Instant::now();
    let got = tokio::time::timeout(Duration::from_secs(3), async {
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            match read.read(&mut buf).await {
                Ok(0) | Err(_) => return got,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await
    .expect("the trickling connection is closed");
    let took = t0.elapsed();
    assert!(took < Duration::from_secs(2), "{took:?}");
    assert!(got.is_empty(), "{}", String::from_utf8_lossy(&got));
    trickle.abort();
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_until_one_closes() {
    let sim = sim(Config {
        max_connections: 2,
        ..Default::default()
    })
    .await;
    let first = TcpStream::connect(sim.addr()).await.unwrap();
    let _second = TcpStream::connect(sim.addr()).await.unwrap();
    let mut third = TcpStream::connect(sim.addr()).await.unwrap();
    third.write_all(UNSIGNED).await.unwrap();
    let mut buf = [0u8; 4096];
    assert!(
        tokio::time::timeout(Duration::from_millis(400), third.read(&mut buf))
            .await
            .is_err(),
        "the third connection was served while two held both slots"
    );
    drop(first);
    let n = tokio::time::timeout(Duration::from_secs(3), third.read(&mut buf))
        .await
        .expect("served once a slot is free")
        .unwrap();
    let answer = String::from_utf8_lossy(&buf[..n]);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("AuthFailure"), "{answer}");
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn invalid_limits_are_refused_at_start() {
    for config in [
        Config {
            max_connections: 0,
            ..Default::default()
        },
        Config {
            header_timeout: Duration::ZERO,
            ..Default::default()
        },
        Config {
            body_timeout: Duration::ZERO,
            ..Default::default()
        },
    ] {
        assert!(matches!(
            cvm_sim::start(config).await,
            Err(cvm_sim::StartError::Config(_))
        ));
    }
}
