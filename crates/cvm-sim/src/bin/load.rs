//! `cvm-sim-load`: a loopback load generator for cvm-sim (a benchmark, not a test).
//!
//! Starts a simulator in-process (or targets `--addr`), opens `--connections` keep-alive
//! connections and sends one pre-signed request over and over for `--seconds`, then prints
//! requests/s and latency percentiles.
//!
//!     cargo run --release -p cvm-sim --bin cvm-sim-load -- --action DescribeZones
//!     cargo run --release -p cvm-sim --bin cvm-sim-load -- --action DescribeInstances --limit 100 --preload 10000
//!     cargo run --release -p cvm-sim --bin cvm-sim-load -- --protocols http,https --action DescribeZones
//!
//! With several `--protocols`, each gets its own in-process simulator (same seed and
//! preload, so the same world) and they are measured one after the other, alternating
//! for `--rounds` rounds, so both see the same machine load.

use bytes::Bytes;
use clap::Parser;
use cvm_sim::client::SimClient;
use cvm_sim::{Config, Credential, RateLimit};
use http::Method;
use http_body_util::Full;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

#[derive(Parser, Debug)]
#[command(name = "cvm-sim-load", about = "Loopback load generator for cvm-sim")]
struct Cli {
    /// DescribeZones, DescribeInstances or any other action without required parameters.
    #[arg(long, default_value = "DescribeZones")]
    action: String,
    /// `Limit` for DescribeInstances.
    #[arg(long, default_value_t = 100)]
    limit: u32,
    /// Instances preloaded into the in-process simulator.
    #[arg(long, default_value_t = 10_000)]
    preload: usize,
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    #[arg(long, default_value_t = 16)]
    connections: usize,
    /// Target a running cvm-sim (default credential) instead of starting one.
    #[arg(long)]
    addr: Option<SocketAddr>,
    #[arg(long, default_value = "ap-guangzhou")]
    region: String,
    /// http, https, or both (`http,https`): HTTPS starts the simulator with a CA in a
    /// temporary folder and connects over TLS 1.3 with keep-alive.
    #[arg(long, value_delimiter = ',', default_value = "http")]
    protocols: Vec<Protocol>,
    /// Rounds of alternating protocols; each round runs every protocol for --seconds.
    #[arg(long, default_value_t = 1)]
    rounds: u32,
    /// Open a new connection (and TLS handshake) for every request, as the official
    /// Python SDK and tccli do by default, instead of keeping connections alive.
    #[arg(long)]
    new_connections: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Protocol {
    Http,
    Https,
}

fn main() {
    let cli = Cli::parse();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run(cli));
}

async fn run(cli: Cli) {
    let tls_dir = tempfile_dir();
    let mut targets = Vec::new();
    for &protocol in &cli.protocols {
        let tls = match protocol {
            Protocol::Http => None,
            Protocol::Https => Some(cvm_sim::Tls::load_or_create(&tls_dir, &[]).expect("TLS")),
        };
        let client_tls = tls
            .as_ref()
            .map(|t| cvm_sim::client::trusting(t.ca_path()).expect("CA"));
        let (sim, addr) = match cli.addr {
            Some(a) => (None, a),
            None => {
                let t0 = Instant::now();
                let sim = cvm_sim::start(Config {
                    preload: cli.preload,
                    seed: 1,
                    time_scale: 0.0,
                    rate_limit: RateLimit::Off,
                    tls,
                    ..Default::default()
                })
                .await
                .expect("start cvm-sim");
                eprintln!(
                    "started {protocol:?} with {} preloaded instances in {:?}",
                    cli.preload,
                    t0.elapsed()
                );
                let a = sim.addr();
                (Some(sim), a)
            }
        };
        targets.push((protocol, sim, addr, client_tls));
    }
    let mut totals: Vec<(Vec<u32>, u64, f64)> = vec![(Vec::new(), 0, 0.0); targets.len()];
    for _ in 0..cli.rounds {
        for (i, (_, _, addr, tls)) in targets.iter().enumerate() {
            let (lat, errors, secs) = measure(&cli, *addr, tls.clone()).await;
            totals[i].0.extend(lat);
            totals[i].1 += errors;
            totals[i].2 += secs;
        }
    }
    for ((protocol, sim, _, _), (mut all, errors, secs)) in targets.into_iter().zip(totals) {
        all.sort_unstable();
        let pct = |p: f64| {
            all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
                .copied()
                .unwrap_or(0)
        };
        println!(
            "{} {}{}: {} ok, {} errors in {:.1} s = {:.0} req/s; latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} {})",
            match protocol {
                Protocol::Http => "HTTP ",
                Protocol::Https => "HTTPS",
            },
            cli.action,
            if cli.action == "DescribeInstances" {
                format!(" (Limit={}, {} instances)", cli.limit, cli.preload)
            } else {
                String::new()
            },
            all.len(),
            errors,
            secs,
            all.len() as f64 / secs,
            pct(0.5) as f64 / 1000.0,
            pct(0.99) as f64 / 1000.0,
            all.last().copied().unwrap_or(0) as f64 / 1000.0,
            cli.connections,
            if cli.new_connections {
                "workers, a new connection per request"
            } else {
                "keep-alive connections"
            }
        );
        if let Some(s) = sim {
            let _ = s.shutdown().await;
        }
    }
    let _ = std::fs::remove_dir_all(&tls_dir);
}

/// A fresh folder for the benchmark's CA, removed at the end.
fn tempfile_dir() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("cvm-sim-load-{}", std::process::id()))
}

/// One timed run: `--connections` keep-alive connections (TLS when `tls` is set) send
/// the pre-signed request for `--seconds`; latencies in µs, errors, elapsed seconds.
async fn measure(
    cli: &Cli,
    addr: SocketAddr,
    tls: Option<std::sync::Arc<rustls::ClientConfig>>,
) -> (Vec<u32>, u64, f64) {
    let params = if cli.action == "DescribeInstances" {
        serde_json::json!({"Limit": cli.limit})
    } else {
        serde_json::json!({})
    };
    let deadline = Instant::now() + Duration::from_secs(cli.seconds);
    let mut tasks = Vec::new();
    for _ in 0..cli.connections {
        let action = cli.action.clone();
        let params = params.clone();
        let region = cli.region.clone();
        let tls = tls.clone();
        let new_connections = cli.new_connections;
        tasks.push(tokio::spawn(async move {
            let connect = || {
                let c = SimClient::new(addr, Credential::default(), &region);
                match &tls {
                    Some(config) => c.over_tls(config.clone(), "localhost").expect("TLS client"),
                    None => c,
                }
            };
            let mut c = connect();
            // Signed once: the timestamp stays valid for 300 s, longer than any run.
            let template = c
                .build(
                    "cvm",
                    &action,
                    Method::POST,
                    &params,
                    cvm_sim::clock::wall_ms() / 1000,
                )
                .expect("sign");
            let (parts, body) = template.into_parts();
            let body: Bytes = http_body_util::BodyExt::collect(body)
                .await
                .expect("body")
                .to_bytes();
            let mut lat = Vec::new();
            let mut errors = 0u64;
            while Instant::now() < deadline {
                let mut req = http::Request::new(Full::new(body.clone()));
                *req.method_mut() = parts.method.clone();
                *req.uri_mut() = parts.uri.clone();
                *req.headers_mut() = parts.headers.clone();
                let t = Instant::now();
                if new_connections {
                    c = connect();
                }
                // Like wrk, the answer is read in full but not parsed; an error is
                // recognised by its envelope (`Error` sorts first in it).
                match c.send_raw(req).await {
                    Ok(b)
                        if b.starts_with(b"{\"Response\":")
                            && !b.starts_with(b"{\"Response\":{\"Error\"") =>
                    {
                        lat.push(t.elapsed().as_micros() as u32)
                    }
                    _ => errors += 1,
                }
            }
            (lat, errors)
        }));
    }
    let started = Instant::now();
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await.expect("worker");
        all.extend(l);
        errors += e;
    }
    (all, errors, started.elapsed().as_secs_f64())
}
