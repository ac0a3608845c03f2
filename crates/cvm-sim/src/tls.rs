//! HTTPS: a local certificate authority kept in a folder (made on first use, reused
//! after, so a client told to trust it once keeps trusting it) and a server certificate
//! issued from it at every start for the loopback names and Tencent-style host names.
//!
//! Per connection the listener tells three kinds of bad input apart, each answered at
//! once and explained on stderr: plain HTTP sent to the HTTPS port (a plain-text 400),
//! a handshake for a name the certificate does not cover (a fatal alert), and any other
//! failed handshake (typically a client that does not trust the CA). Like Tencent's
//! endpoint, the server never asks for a client certificate, so a client configured with
//! one is served as it would be there, without sending it.

use crate::catalog;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use rustls::client::danger::ServerCertVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::LazyConfigAcceptor;
use tokio_rustls::server::TlsStream;

/// The CA certificate clients trust (PEM).
pub const CA_FILE: &str = "ca.pem";
/// The CA's private key (PEM, readable by its owner only).
pub const CA_KEY_FILE: &str = "ca-key.pem";

const CA_NAME: &str = "cvm-sim local CA";
const CA_YEARS: i64 = 10;
/// The server certificate is issued afresh at every start; a year keeps it within what
/// browsers and Apple's TLS stack accept (398 days).
const SERVER_DAYS: i64 = 365;

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot create the TLS folder {}: {source}", path.display())]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the CA in {} is not usable ({reason}); delete {} and {} to make a new one (clients must then trust the new {CA_FILE})",
        dir.display(), dir.join(CA_FILE).display(), dir.join(CA_KEY_FILE).display()
    )]
    Unusable { dir: PathBuf, reason: String },
    #[error("`{0}` is not a host name or IP address a certificate can name")]
    BadName(String),
    #[error("cannot make a certificate: {0}")]
    Generate(String),
}

/// What `--tls` serves: the server configuration and where the CA is.
#[derive(Clone)]
pub struct Tls {
    config: Arc<rustls::ServerConfig>,
    names: Arc<[String]>,
    ca_path: PathBuf,
}

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tls")
            .field("ca_path", &self.ca_path)
            .field("names", &self.names)
            .finish_non_exhaustive()
    }
}

/// The names every server certificate covers: loopback names and addresses, and the
/// Tencent API host names (`cvm.tencentcloudapi.com`, `vpc.ap-guangzhou.tencentcloudapi.com`)
/// for clients whose host names are pointed at this machine.
pub fn default_names() -> Vec<String> {
    let mut names: Vec<String> = [
        "localhost",
        "*.localhost",
        "127.0.0.1",
        "::1",
        "tencentcloudapi.com",
        "*.tencentcloudapi.com",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    names.extend(
        catalog::REGIONS
            .iter()
            .map(|r| format!("*.{}.tencentcloudapi.com", r.id)),
    );
    names
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

impl Tls {
    /// Loads the CA from `dir` (making it, and the folder, when neither CA file exists)
    /// and issues a server certificate for `default_names()` plus `extra_names`.
    pub fn load_or_create(dir: &Path, extra_names: &[String]) -> Result<Tls, TlsError> {
        let mut names = default_names();
        for n in extra_names {
            let n = n.trim().trim_start_matches('[').trim_end_matches(']');
            if n.parse::<IpAddr>().is_err() && !valid_dns_pattern(n) {
                return Err(TlsError::BadName(n.to_owned()));
            }
            if !names.iter().any(|have| have.eq_ignore_ascii_case(n)) {
                names.push(n.to_owned());
            }
        }
        let (ca_pem, ca_key) = load_or_make_ca(dir)?;
        let unusable = |reason: String| TlsError::Unusable {
            dir: dir.to_owned(),
            reason,
        };
        let issuer = Issuer::from_ca_cert_pem(&ca_pem, ca_key)
            .map_err(|e| unusable(format!("{CA_FILE}: {e}")))?;
        let server_key = KeyPair::generate().map_err(|e| TlsError::Generate(e.to_string()))?;
        let mut params = CertificateParams::new(names.clone())
            .map_err(|e| TlsError::Generate(format!("a name the certificate cannot carry: {e}")))?;
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CommonName, "cvm-sim");
        params.distinguished_name = dn;
        params.use_authority_key_identifier_extension = true;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let now = OffsetDateTime::now_utc();
        params.not_before = now - time::Duration::days(1);
        params.not_after = now + time::Duration::days(SERVER_DAYS);
        let cert = params
            .signed_by(&server_key, &issuer)
            .map_err(|e| TlsError::Generate(e.to_string()))?;
        let ca_der = CertificateDer::from_pem_slice(ca_pem.as_bytes())
            .map_err(|e| unusable(format!("{CA_FILE}: {e}")))?;
        check_chain(&ca_der, cert.der()).map_err(unusable)?;

        let provider = provider();
        let key = PrivateKeyDer::Pkcs8(server_key.serialize_der().into());
        let certified = CertifiedKey::from_der(vec![cert.der().clone()], key, &provider)
            .map_err(|e| TlsError::Generate(e.to_string()))?;
        let names: Arc<[String]> = names.into();
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| TlsError::Generate(e.to_string()))?
            .with_no_client_auth()
            .with_cert_resolver(Arc::new(Resolver {
                key: Arc::new(certified),
                names: names.clone(),
            }));
        // The server speaks HTTP/1.1 only.
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Tls {
            config: Arc::new(config),
            names,
            ca_path: dir.join(CA_FILE),
        })
    }

    /// The CA certificate to give clients (SSL_CERT_FILE, REQUESTS_CA_BUNDLE,
    /// NODE_EXTRA_CA_CERTS).
    pub fn ca_path(&self) -> &Path {
        &self.ca_path
    }

    /// The names and addresses the server certificate covers (`*.` covers one label).
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The names for a message: the per-region wildcards as one pattern.
    fn summary(&self) -> String {
        let regional = |n: &&String| {
            n.strip_prefix("*.")
                .and_then(|r| r.strip_suffix(".tencentcloudapi.com"))
                .is_some_and(|r| catalog::region(r).is_some())
        };
        let mut shown: Vec<&str> = self
            .names
            .iter()
            .filter(|n| !regional(n))
            .map(String::as_str)
            .collect();
        if self.names.iter().any(|n| regional(&n)) {
            shown.push("*.REGION.tencentcloudapi.com");
        }
        shown.join(", ")
    }

    /// Whether a client asking for `name` (its SNI) gets the certificate.
    pub fn covers(&self, name: &str) -> bool {
        covers(&self.names, name)
    }
}

fn covers(names: &[String], name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    names.iter().any(|pattern| {
        let pattern = pattern.to_ascii_lowercase();
        match pattern.strip_prefix("*.") {
            Some(parent) => name
                .split_once('.')
                .is_some_and(|(label, rest)| !label.is_empty() && rest == parent),
            None => pattern == name,
        }
    })
}

/// `name`, `a.b.c` or `*.b.c`: labels of letters, digits and hyphens.
fn valid_dns_pattern(name: &str) -> bool {
    let rest = name.strip_prefix("*.").unwrap_or(name);
    !rest.is_empty()
        && rest.len() <= 253
        && rest.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// Verifies the new server certificate against the CA as a client would, so a CA
/// certificate that does not belong to its key, or has expired, is reported at start
/// rather than as a failed handshake in every client.
fn check_chain(ca: &CertificateDer<'static>, leaf: &CertificateDer<'static>) -> Result<(), String> {
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(ca.clone())
        .map_err(|e| format!("{CA_FILE}: {e}"))?;
    let verifier =
        rustls::client::WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider())
            .build()
            .map_err(|e| e.to_string())?;
    verifier
        .verify_server_cert(
            leaf,
            &[],
            &ServerName::try_from("localhost").map_err(|e| e.to_string())?,
            &[],
            UnixTime::now(),
        )
        .map(|_| ())
        .map_err(|e| format!("a certificate it signs does not verify: {e}"))
}

fn load_or_make_ca(dir: &Path) -> Result<(String, KeyPair), TlsError> {
    let cert_path = dir.join(CA_FILE);
    let key_path = dir.join(CA_KEY_FILE);
    let unusable = |reason: String| TlsError::Unusable {
        dir: dir.to_owned(),
        reason,
    };
    if !cert_path.exists() && !key_path.exists() {
        create_private_dir(dir).map_err(|source| TlsError::Folder {
            path: dir.to_owned(),
            source,
        })?;
        if let Some(made) = make_ca(&cert_path, &key_path)? {
            return Ok(made);
        }
    }
    // Another process may be making the CA right now (a server and `--print-env` started
    // together): its key exists before its certificate, which is written last.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while key_path.exists() && !cert_path.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    match (cert_path.exists(), key_path.exists()) {
        (true, true) => {
            let read = |p: &Path| {
                std::fs::read_to_string(p).map_err(|source| TlsError::Read {
                    path: p.to_owned(),
                    source,
                })
            };
            let cert = read(&cert_path)?;
            let key = KeyPair::from_pem(&read(&key_path)?)
                .map_err(|e| unusable(format!("{CA_KEY_FILE}: {e}")))?;
            Ok((cert, key))
        }
        (true, false) => Err(unusable(format!("{CA_KEY_FILE} is missing"))),
        _ => Err(unusable(format!("{CA_FILE} is missing"))),
    }
}

/// Makes the CA, unless another process got there first (then `None`: load theirs). The
/// key file is created exclusively, so of two processes starting at once exactly one
/// makes the CA; the certificate is written last, through a rename, and marks it complete.
fn make_ca(cert_path: &Path, key_path: &Path) -> Result<Option<(String, KeyPair)>, TlsError> {
    let key = KeyPair::generate().map_err(|e| TlsError::Generate(e.to_string()))?;
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, CA_NAME);
    dn.push(DnType::OrganizationName, "cvm-sim");
    params.distinguished_name = dn;
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let now = OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::days(1);
    params.not_after = now + time::Duration::days(365 * CA_YEARS);
    let cert = params
        .self_signed(&key)
        .map_err(|e| TlsError::Generate(e.to_string()))?;
    let pem = cert.pem();
    let write_err = |path: &Path| {
        let path = path.to_owned();
        move |source| TlsError::Write { path, source }
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = match options.open(key_path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(None),
        Err(e) => return Err(write_err(key_path)(e)),
    };
    let written = file
        .write_all(key.serialize_pem().as_bytes())
        .and_then(|()| file.sync_all());
    if let Err(e) = written {
        let _ = std::fs::remove_file(key_path);
        return Err(write_err(key_path)(e));
    }
    write_new(cert_path, pem.as_bytes())?;
    Ok(Some((pem, key)))
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Writes a file through a temporary sibling and a rename, so a reader never sees half
/// of it.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), TlsError> {
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let result = std::fs::write(&tmp, bytes)
        .and_then(|()| std::fs::File::open(&tmp).and_then(|f| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(|source| TlsError::Write {
        path: path.to_owned(),
        source,
    })
}

#[derive(Debug)]
struct Resolver {
    key: Arc<CertifiedKey>,
    names: Arc<[String]>,
}

impl ResolvesServerCert for Resolver {
    /// No SNI (a client connecting to an address) or a covered name gets the
    /// certificate; any other name gets none, which fails the handshake with an alert.
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        match hello.server_name() {
            Some(name) if !covers(&self.names, name) => None,
            _ => Some(self.key.clone()),
        }
    }
}

/// TLS record type of a handshake: the first byte every TLS client sends.
const HANDSHAKE: u8 = 0x16;

/// Sorts one accepted connection: a TLS client gets its handshake (the stream to serve
/// HTTP on), plain HTTP a 400 that says where to go, anything else is closed. Every
/// refusal is explained on stderr. The caller bounds the time this takes.
pub(crate) async fn accept(
    tls: &Tls,
    stream: TcpStream,
    peer: SocketAddr,
) -> Option<TlsStream<TcpStream>> {
    let mut first = [0u8; 1];
    match stream.peek(&mut first).await {
        Ok(1) => {}
        // Connected and closed without a byte (a port probe): nothing to say.
        _ => return None,
    }
    if first[0] != HANDSHAKE {
        refuse_plain(tls, stream, peer).await;
        return None;
    }
    let start = match LazyConfigAcceptor::new(rustls::server::Acceptor::default(), stream).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cvm-sim: TLS handshake from {peer} failed: {e}");
            return None;
        }
    };
    let asked = start.client_hello().server_name().map(str::to_owned);
    if let Some(name) = asked.as_deref().filter(|n| !tls.covers(n)) {
        eprintln!(
            "cvm-sim: refused a TLS handshake from {peer} for `{name}`: the certificate covers {} (add a name with --tls-name)",
            tls.summary()
        );
    }
    match start.into_stream(tls.config.clone()).await {
        Ok(s) => Some(s),
        Err(_) if asked.as_deref().is_some_and(|n| !tls.covers(n)) => None,
        Err(e) => {
            eprintln!(
                "cvm-sim: TLS handshake from {peer} failed: {e} (a client must trust {})",
                tls.ca_path.display()
            );
            None
        }
    }
}

/// Answers a plain-HTTP request on the HTTPS port with a 400 naming the right URL, after
/// reading its header (closing with unread bytes would reset the connection and lose
/// the answer).
async fn refuse_plain(tls: &Tls, mut stream: TcpStream, peer: SocketAddr) {
    let here = stream
        .local_addr()
        .map_or_else(|_| "HOST:PORT".to_owned(), |a| a.to_string());
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        while seen.len() < 64 * 1024 && !seen.windows(4).any(|w| w == b"\r\n\r\n") {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    eprintln!("cvm-sim: refused plain HTTP from {peer}: this port serves HTTPS (https://{here}/)");
    let body = format!(
        "This port serves HTTPS. Send the request to https://{here}/ and trust the CA in {}.\n",
        tls.ca_path.display()
    );
    let answer = format!(
        "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(answer.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// Where `--tls` keeps its CA without `--tls-dir` or `--state`:
/// `$XDG_STATE_HOME/cvm-sim`, else `~/.local/state/cvm-sim`.
pub fn default_dir() -> Option<PathBuf> {
    let from = |var: &str| {
        std::env::var_os(var)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    from("XDG_STATE_HOME")
        .or_else(|| from("HOME").map(|h| h.join(".local").join("state")))
        .map(|base| base.join("cvm-sim"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_cover_exactly_one_label() {
        let names = default_names();
        for yes in [
            "localhost",
            "cvm.localhost",
            "cvm.tencentcloudapi.com",
            "VPC.TencentCloudAPI.com",
            "cvm.ap-guangzhou.tencentcloudapi.com",
            "tencentcloudapi.com",
        ] {
            assert!(covers(&names, yes), "{yes}");
        }
        for no in [
            "example.com",
            "a.b.localhost",
            "cvm.nowhere.tencentcloudapi.com",
            "tencentcloudapi.com.evil",
            ".tencentcloudapi.com",
        ] {
            assert!(!covers(&names, no), "{no}");
        }
    }

    #[test]
    fn extra_names_must_be_names_or_addresses() {
        for ok in [
            "sim.internal",
            "*.sim.internal",
            "10.0.0.7",
            "fe80::1",
            "host",
        ] {
            assert!(
                ok.parse::<IpAddr>().is_ok() || valid_dns_pattern(ok),
                "{ok}"
            );
        }
        for bad in ["", "a..b", "-a.b", "a b", "*.", "http://x", "a.*.b"] {
            assert!(!valid_dns_pattern(bad), "{bad}");
        }
    }
}
