//! `cvm-sim-load`: a loopback load generator for cvm-sim (a benchmark, not a test).
//!
//! Starts a simulator in-process (or targets `--addr`), opens `--connections` keep-alive
//! connections and sends one pre-signed request over and over for `--seconds`, then prints
//! requests/s and latency percentiles.
//!
//!     cargo run --release -p cvm-sim --bin cvm-sim-load -- --action DescribeZones
//!     cargo run --release -p cvm-sim --bin cvm-sim-load -- --action DescribeInstances --limit 100 --preload 10000

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
    let (sim, addr) = match cli.addr {
        Some(a) => (None, a),
        None => {
            let t0 = Instant::now();
            let sim = cvm_sim::start(Config {
                preload: cli.preload,
                seed: 1,
                time_scale: 0.0,
                rate_limit: RateLimit::Off,
                ..Default::default()
            })
            .await
            .expect("start cvm-sim");
            eprintln!(
                "started with {} preloaded instances in {:?}",
                cli.preload,
                t0.elapsed()
            );
            let a = sim.addr();
            (Some(sim), a)
        }
    };
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
        tasks.push(tokio::spawn(async move {
            let mut c = SimClient::new(addr, Credential::default(), &region);
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
    let secs = started.elapsed().as_secs_f64();
    all.sort_unstable();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0)
    };
    println!(
        "{}{}: {} ok, {} errors in {:.1} s = {:.0} req/s; latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} connections)",
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
        cli.connections
    );
    if let Some(s) = sim {
        let _ = s.shutdown().await;
    }
}
