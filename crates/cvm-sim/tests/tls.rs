//! HTTPS over real loopback TLS: signed calls, the CA kept and reused in its folder, the
//! names the certificate covers, and each kind of bad input (an unknown name, a client
//! certificate, plain HTTP on the TLS port, a stalled handshake, an unwritable or
//! damaged folder), none of which may hang or stop the server.

use cvm_sim::client::{SimClient, trusting};
use cvm_sim::{Config, Credential, Tls, TlsError};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use serde_json::json;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

async fn start_tls(dir: &Path) -> cvm_sim::SimHandle {
    start_with(dir, Duration::from_secs(75)).await
}

async fn start_with(dir: &Path, header_timeout: Duration) -> cvm_sim::SimHandle {
    cvm_sim::start(Config {
        time_scale: 0.0,
        tls: Some(Tls::load_or_create(dir, &[]).unwrap()),
        header_timeout,
        ..Default::default()
    })
    .await
    .unwrap()
}

fn client(sim: &cvm_sim::SimHandle, name: &str) -> SimClient {
    let config = trusting(sim.ca_path().unwrap()).unwrap();
    SimClient::new(sim.addr(), Credential::default(), "ap-guangzhou")
        .over_tls(config, name)
        .unwrap()
}

/// One TLS handshake with `config` asking for `name`; the error text when it fails.
async fn handshake(
    addr: std::net::SocketAddr,
    config: Arc<rustls::ClientConfig>,
    name: &str,
) -> Result<(), String> {
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let connect = tokio_rustls::TlsConnector::from(config)
        .connect(ServerName::try_from(name.to_owned()).unwrap(), tcp);
    match tokio::time::timeout(Duration::from_secs(20), connect).await {
        Err(_) => panic!("the handshake for {name} hung"),
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(e.to_string()),
    }
}

#[tokio::test]
async fn signed_calls_over_https_by_address_and_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let sim = start_tls(dir.path()).await;
    assert!(sim.base_url().starts_with("https://127.0.0.1:"));
    for name in [
        "127.0.0.1",
        "localhost",
        "cvm.tencentcloudapi.com",
        "cvm.ap-guangzhou.tencentcloudapi.com",
    ] {
        let zones = client(&sim, name)
            .cvm("DescribeZones", json!({}))
            .await
            .unwrap()
            .ok();
        assert!(zones["TotalCount"].as_u64().unwrap() > 0, "{name}");
    }
    // The signature still binds the request: a wrong key is refused over TLS as over HTTP.
    let config = trusting(sim.ca_path().unwrap()).unwrap();
    let mut wrong = SimClient::new(
        sim.addr(),
        Credential::new(cvm_sim::DEFAULT_SECRET_ID, "not-the-key"),
        "ap-guangzhou",
    )
    .over_tls(config, "localhost")
    .unwrap();
    let answer = wrong.cvm("DescribeZones", json!({})).await.unwrap();
    assert_eq!(answer.error_code(), Some("AuthFailure.SignatureFailure"));
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_ca_is_made_once_and_reused_so_clients_keep_trusting_it() {
    let dir = tempfile::tempdir().unwrap();
    let first = start_tls(dir.path()).await;
    let ca_before = std::fs::read(dir.path().join("ca.pem")).unwrap();
    // A client configured for the first run...
    let config = trusting(first.ca_path().unwrap()).unwrap();
    first.shutdown().await.unwrap();

    let second = start_tls(dir.path()).await;
    assert_eq!(std::fs::read(dir.path().join("ca.pem")).unwrap(), ca_before);
    // ...trusts the second run's freshly issued server certificate.
    let mut c = SimClient::new(second.addr(), Credential::default(), "ap-guangzhou")
        .over_tls(config, "localhost")
        .unwrap();
    c.cvm("DescribeRegions", json!({})).await.unwrap().ok();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |f: &str| {
            std::fs::metadata(dir.path().join(f))
                .unwrap()
                .permissions()
                .mode()
                & 0o777
        };
        assert_eq!(mode("ca-key.pem"), 0o600, "the CA key is its owner's only");
    }
    second.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_name_the_certificate_does_not_cover_fails_the_handshake_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let sim = start_tls(dir.path()).await;
    let config = trusting(sim.ca_path().unwrap()).unwrap();
    let err = handshake(sim.addr(), config.clone(), "example.com")
        .await
        .unwrap_err();
    assert!(err.to_lowercase().contains("alert"), "{err}");
    // One label below a region is covered; two are not.
    handshake(
        sim.addr(),
        config.clone(),
        "vpc.ap-singapore.tencentcloudapi.com",
    )
    .await
    .unwrap();
    assert!(
        handshake(sim.addr(), config, "a.vpc.ap-singapore.tencentcloudapi.com")
            .await
            .is_err()
    );
    // The server goes on serving.
    client(&sim, "localhost")
        .cvm("DescribeZones", json!({}))
        .await
        .unwrap()
        .ok();
}

#[tokio::test]
async fn extra_names_are_covered_and_bad_ones_refused() {
    let dir = tempfile::tempdir().unwrap();
    let tls = Tls::load_or_create(dir.path(), &["sim.internal".into(), "10.1.2.3".into()]).unwrap();
    assert!(tls.covers("sim.internal") && tls.covers("10.1.2.3"));
    assert!(!tls.covers("other.internal"));
    let sim = cvm_sim::start(Config {
        tls: Some(tls),
        ..Default::default()
    })
    .await
    .unwrap();
    handshake(
        sim.addr(),
        trusting(sim.ca_path().unwrap()).unwrap(),
        "sim.internal",
    )
    .await
    .unwrap();
    for bad in ["two words", "http://x", "a..b"] {
        assert!(
            matches!(
                Tls::load_or_create(dir.path(), &[bad.into()]),
                Err(TlsError::BadName(_))
            ),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn a_client_that_does_not_trust_the_ca_is_refused_and_the_server_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let sim = start_tls(dir.path()).await;
    let other = tempfile::tempdir().unwrap();
    let stranger = Tls::load_or_create(other.path(), &[]).unwrap();
    let err = handshake(
        sim.addr(),
        trusting(stranger.ca_path()).unwrap(),
        "localhost",
    )
    .await
    .unwrap_err();
    assert!(err.contains("certificate"), "{err}");
    client(&sim, "localhost")
        .cvm("DescribeZones", json!({}))
        .await
        .unwrap()
        .ok();
}

/// Like Tencent's endpoint, cvm-sim never asks for a client certificate, so a client
/// configured with one is served as it would be there (and never sends it).
#[tokio::test]
async fn a_client_with_a_certificate_is_served_without_being_asked_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let sim = start_tls(dir.path()).await;
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(vec!["client.example".to_owned()])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(
            rustls::pki_types::pem::PemObject::from_pem_file(sim.ca_path().unwrap())
                .map(|c: CertificateDer<'static>| c)
                .unwrap(),
        )
        .unwrap();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_client_auth_cert(
        vec![cert.der().clone()],
        PrivateKeyDer::Pkcs8(key.serialize_der().into()),
    )
    .unwrap();
    let mut c = SimClient::new(sim.addr(), Credential::default(), "ap-guangzhou")
        .over_tls(Arc::new(config), "localhost")
        .unwrap();
    c.cvm("DescribeZones", json!({})).await.unwrap().ok();
}

#[tokio::test]
async fn plain_http_on_the_tls_port_gets_a_400_naming_the_https_url() {
    let dir = tempfile::tempdir().unwrap();
    let sim = start_tls(dir.path()).await;
    let addr = sim.addr();
    let answer = tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        s.write_all(
            b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
        )
        .unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        answer
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains(&format!("https://{addr}/")), "{answer}");
    assert!(answer.contains("ca.pem"), "{answer}");
    client(&sim, "localhost")
        .cvm("DescribeZones", json!({}))
        .await
        .unwrap()
        .ok();
}

#[tokio::test]
async fn a_handshake_that_never_finishes_is_closed_after_the_header_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let sim = start_with(dir.path(), Duration::from_millis(300)).await;
    let addr = sim.addr();
    let closed = tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        // A TLS record header that promises more than is ever sent.
        s.write_all(&[0x16, 0x03, 0x01, 0x02, 0x00]).unwrap();
        let mut buf = [0u8; 64];
        s.read(&mut buf)
    })
    .await
    .unwrap();
    assert!(
        matches!(closed, Ok(0))
            || closed.is_err_and(|e| e.kind() != std::io::ErrorKind::WouldBlock),
        "the server closes the stalled connection"
    );
}

#[tokio::test]
async fn the_health_endpoint_answers_over_http_and_https_without_a_signature() {
    let plain = cvm_sim::start(Config::default()).await.unwrap();
    let addr = plain.addr();
    let answer = tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        s.write_all(b"GET /cvm-sim/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut a = String::new();
        s.read_to_string(&mut a).unwrap();
        a
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(r#""status":"ok""#), "{answer}");
    assert!(answer.contains(r#""tls":false"#), "{answer}");

    let dir = tempfile::tempdir().unwrap();
    let sim = start_tls(dir.path()).await;
    let mut c = client(&sim, "localhost");
    let req = http::Request::get(cvm_sim::HEALTH_PATH)
        .header("host", "localhost")
        .body(http_body_util::Full::new(bytes::Bytes::new()))
        .unwrap();
    let v = c.send(req).await.unwrap();
    assert_eq!(v["status"], "ok");
    assert_eq!(v["tls"], true);
    // Only GET and HEAD: anything else is not mistaken for health.
    let req = http::Request::post(cvm_sim::HEALTH_PATH)
        .header("host", "localhost")
        .body(http_body_util::Full::new(bytes::Bytes::new()))
        .unwrap();
    let raw = c.send_raw(req).await.unwrap();
    assert!(String::from_utf8_lossy(&raw).contains("GET or HEAD"));
}

#[test]
fn an_unwritable_folder_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the folder should be: even root cannot make a folder inside it.
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, b"x").unwrap();
    let err = Tls::load_or_create(&file.join("tls"), &[]).unwrap_err();
    assert!(matches!(err, TlsError::Folder { .. }), "{err}");
    assert!(err.to_string().contains("not-a-folder"), "{err}");
}

#[test]
fn damaged_or_mismatched_ca_files_are_refused_not_replaced() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    Tls::load_or_create(a.path(), &[]).unwrap();
    Tls::load_or_create(b.path(), &[]).unwrap();

    // A's certificate with B's key: every certificate it signed would fail in clients.
    std::fs::copy(b.path().join("ca-key.pem"), a.path().join("ca-key.pem")).unwrap();
    let err = Tls::load_or_create(a.path(), &[]).unwrap_err();
    assert!(matches!(err, TlsError::Unusable { .. }), "{err}");
    assert!(err.to_string().contains("delete"), "{err}");

    let c = tempfile::tempdir().unwrap();
    std::fs::write(c.path().join("ca.pem"), b"garbage").unwrap();
    std::fs::write(c.path().join("ca-key.pem"), b"garbage").unwrap();
    assert!(matches!(
        Tls::load_or_create(c.path(), &[]),
        Err(TlsError::Unusable { .. })
    ));
    assert_eq!(std::fs::read(c.path().join("ca.pem")).unwrap(), b"garbage");

    // Half a CA is not silently replaced either.
    std::fs::remove_file(b.path().join("ca-key.pem")).unwrap();
    let err = Tls::load_or_create(b.path(), &[]).unwrap_err();
    assert!(err.to_string().contains("ca-key.pem is missing"), "{err}");
}

/// A server and `--print-env` started together both find no CA: exactly one makes it and
/// the other uses that one, so every certificate issued verifies against `ca.pem`.
#[tokio::test]
async fn processes_making_the_ca_at_once_end_up_with_one_ca() {
    let dir = tempfile::tempdir().unwrap();
    let tls_dir = dir.path().join("tls");
    let made: Vec<Tls> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..6)
            .map(|_| s.spawn(|| Tls::load_or_create(&tls_dir, &[]).unwrap()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let config = trusting(&tls_dir.join("ca.pem")).unwrap();
    for tls in made {
        let sim = cvm_sim::start(Config {
            tls: Some(tls),
            ..Default::default()
        })
        .await
        .unwrap();
        handshake(sim.addr(), config.clone(), "localhost")
            .await
            .unwrap();
    }
}
