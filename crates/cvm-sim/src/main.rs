//! `cvm-sim`: the emulator as a process.

use clap::Parser;
use cvm_sim::{Config, Credential, FaultSpec, RateLimit};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// A local, stateful, signature-checking emulator of the Tencent Cloud CVM and VPC APIs.
///
/// Both services answer on one listener; point an SDK at it with protocol http and the
/// printed host:port as its endpoint. When ready it prints exactly one line,
/// `cvm-sim listening on http://HOST:PORT`. Bad flags or values exit with code 2.
#[derive(Parser, Debug)]
#[command(
    name = "cvm-sim",
    version,
    about,
    long_about,
    after_help = "Default credential (unless --secret-id/--secret-key are given):\n  SecretId  AKIDcvmsim00000000000000000000000000\n  SecretKey cvmsimSecretKey0000000000000000000"
)]
struct Cli {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:9100")]
    listen: SocketAddr,
    /// The accepted SecretId (needs --secret-key).
    #[arg(long, requires = "secret_key")]
    secret_id: Option<String>,
    /// The accepted SecretKey (needs --secret-id).
    #[arg(long, requires = "secret_id")]
    secret_key: Option<String>,
    /// How long transitions take: 1 = realistic (PENDING→RUNNING ≈ 20 s), 0 = immediate.
    #[arg(long, default_value_t = 1.0, value_parser = parse_scale, allow_negative_numbers = true)]
    time_scale: f64,
    /// current (documented per-action per-second limits), seed (≤100 per action and
    /// ≤1,000 in total per SecretId in any 60 s), off, or N/M (N per action, M in total per minute).
    #[arg(long, default_value = "current", value_parser = |s: &str| s.parse::<RateLimit>())]
    rate_limit: RateLimit,
    /// Fault rules: `rate=0.1,kinds=internal+timeout+reset+lost-response+throttle,seed=7`
    /// (op-failed: accepted, then the operation ends FAILED / LAUNCH_FAILED),
    /// optionally `,actions=RunInstances+StopInstances` and `,timeout-ms=30000`; several
    /// rules separated by `;`.
    #[arg(long, default_value = "", value_parser = |s: &str| s.parse::<FaultSpec>())]
    faults: FaultSpec,
    /// Create N instances over regions, zones, types, billing models and states (new worlds only).
    #[arg(long, default_value_t = 0)]
    preload: usize,
    /// Seed for ids, addresses, preload and everything else random in the world.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Load the world from FILE at start (if it exists); save it on change and at shutdown
    /// (SIGTERM or Ctrl-C). A file that cannot be loaded is moved aside to
    /// FILE.corrupt-<unix time> and a fresh world starts.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Connections served at once; more wait in the listen backlog.
    #[arg(long, default_value_t = cvm_sim::DEFAULT_MAX_CONNECTIONS, value_parser = parse_count)]
    max_connections: usize,
    /// Close a connection whose request header is not complete after this many ms
    /// (also an idle kept-alive connection).
    #[arg(long, value_name = "MS", default_value_t = cvm_sim::DEFAULT_HEADER_TIMEOUT.as_millis() as u64, value_parser = clap::value_parser!(u64).range(1..))]
    header_timeout_ms: u64,
    /// Close a connection whose request body is not complete this many ms after its header.
    #[arg(long, value_name = "MS", default_value_t = cvm_sim::DEFAULT_BODY_TIMEOUT.as_millis() as u64, value_parser = clap::value_parser!(u64).range(1..))]
    body_timeout_ms: u64,
    /// Append every answer to FILE as one JSON line {"service", "version", "action",
    /// "answer"}, for checking answers against Tencent's schema (test use: answers include
    /// new key pairs' private keys). Example: --record-answers /tmp/answers.jsonl
    #[arg(long, value_name = "FILE")]
    record_answers: Option<PathBuf>,
}

fn parse_count(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("`{s}` is not a whole number ≥ 1")),
    }
}

fn parse_scale(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(f) if f.is_finite() && f >= 0.0 => Ok(f),
        _ => Err(format!("`{s}` is not a number ≥ 0")),
    }
}

fn main() {
    let cli = Cli::parse();
    let credential = match (cli.secret_id, cli.secret_key) {
        (Some(id), Some(key)) => Credential::new(id, key),
        _ => Credential::default(),
    };
    let config = Config {
        listen: cli.listen,
        credentials: vec![credential],
        time_scale: cli.time_scale,
        rate_limit: cli.rate_limit,
        faults: cli.faults,
        preload: cli.preload,
        seed: cli.seed,
        state_file: cli.state,
        max_connections: cli.max_connections,
        header_timeout: Duration::from_millis(cli.header_timeout_ms),
        body_timeout: Duration::from_millis(cli.body_timeout_ms),
        record_answers: cli.record_answers,
        ..Default::default()
    };
    if let Some(warning) = config.exposure_warning() {
        eprintln!("cvm-sim: {warning}");
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cvm-sim: cannot start the runtime: {e}");
            std::process::exit(1);
        }
    };
    let code = runtime.block_on(async move {
        let signal = shutdown_signal();
        let sim = match cvm_sim::start(config).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("cvm-sim: {e}");
                return 1;
            }
        };
        if let Some(notice) = sim.load_notice() {
            eprintln!("cvm-sim: warning: {notice}");
        }
        println!("cvm-sim listening on {}", sim.base_url());
        let _ = std::io::stdout().flush();
        signal.await;
        match sim.shutdown().await {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("cvm-sim: could not save the state file: {e}");
                1
            }
        }
    });
    std::process::exit(code);
}

/// Registers for SIGTERM and Ctrl-C at once (not when first awaited), so a signal sent
/// right after the ready line still ends in a saving shutdown rather than the default kill.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let term = signal(SignalKind::terminate());
        let int = signal(SignalKind::interrupt());
        async move {
            match (term, int) {
                (Ok(mut term), Ok(mut int)) => {
                    tokio::select! {
                        _ = term.recv() => {}
                        _ = int.recv() => {}
                    }
                }
                (Ok(mut one), Err(_)) | (Err(_), Ok(mut one)) => {
                    one.recv().await;
                }
                (Err(_), Err(_)) => std::future::pending().await,
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
