//! `cvm-sim`: the emulator as a process.

use clap::Parser;
use cvm_sim::{AccountSpec, Config, Credential, FaultSpec, RateLimit, Role, Tls, TlsError};
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A local, stateful, signature-checking emulator of the Tencent Cloud CVM and VPC APIs
/// (and Cloud Monitor's GetMonitorData).
///
/// All services answer on one listener; point an SDK at it with the printed host:port as
/// its endpoint (protocol http, or https with --tls). When ready it prints
/// `cvm-sim listening on http://HOST:PORT` (`https://` with --tls, then a second line
/// `cvm-sim CA certificate: PATH`), then (unless --no-ssh)
/// `cvm-sim ssh on HOST:PORT (user name = instance id)`. `GET /cvm-sim/health` answers 200 once it serves
/// (not a Tencent API; no signature needed).
#[derive(Parser, Debug)]
#[command(
    name = "cvm-sim",
    version,
    about,
    long_about,
    after_long_help = AFTER_HELP,
    after_help = "Default credential: SecretId AKIDcvmsim00000000000000000000000000, SecretKey cvmsimSecretKey0000000000000000000. --help shows examples and exit codes."
)]
struct Cli {
    /// Address to listen on; port 0 picks a free port.
    ///
    /// Example: --listen 127.0.0.1:0
    #[arg(long, env = "CVM_SIM_LISTEN", default_value = "127.0.0.1:9100")]
    listen: SocketAddr,
    /// Address of the instances' SSH endpoint (log in as `<instance id>@HOST -p PORT`
    /// with a bound key pair or the instance's password). Default: --listen's address
    /// with a free port.
    ///
    /// Example: --ssh-listen 127.0.0.1:2222
    #[arg(long, conflicts_with = "no_ssh")]
    ssh_listen: Option<SocketAddr>,
    /// No SSH endpoint.
    ///
    /// Example: --no-ssh
    #[arg(long)]
    no_ssh: bool,
    /// The accepted SecretId (needs --secret-key).
    ///
    /// Example: --secret-id AKIDmine --secret-key my-key
    #[arg(long, requires = "secret_key")]
    secret_id: Option<String>,
    /// The accepted SecretKey (needs --secret-id).
    ///
    /// Example: --secret-id AKIDmine --secret-key my-key
    #[arg(long, requires = "secret_id")]
    secret_key: Option<String>,
    /// How long transitions take: 1 = realistic (PENDING→RUNNING ≈ 20 s), 0 = immediate.
    ///
    /// Example: --time-scale 0.1
    #[arg(long, default_value_t = 1.0, value_parser = parse_scale, allow_negative_numbers = true)]
    time_scale: f64,
    /// current (documented per-action per-second limits), seed (≤100 per action and
    /// ≤1,000 in total per SecretId in any 60 s), off, or N/M (N per action, M in total per minute).
    ///
    /// Example: --rate-limit off
    #[arg(long, default_value = "current", value_parser = |s: &str| s.parse::<RateLimit>())]
    rate_limit: RateLimit,
    /// Fault rules: `rate=0.1,kinds=internal+timeout+reset+lost-response+throttle,seed=7`
    /// (op-failed: accepted, then the operation ends FAILED / LAUNCH_FAILED; denied: CAM
    /// refuses the action, e.g. `rate=1,kinds=denied,actions=GetMonitorData`),
    /// optionally `,actions=RunInstances+StopInstances` and `,timeout-ms=30000`; several
    /// rules separated by `;`.
    ///
    /// Example: --faults 'rate=0.05,kinds=internal+throttle,seed=7'
    #[arg(long, default_value = "", value_parser = |s: &str| s.parse::<FaultSpec>())]
    faults: FaultSpec,
    /// Create N instances over regions, zones, types, billing models and states (new worlds only).
    ///
    /// Example: --preload 36
    #[arg(long, default_value_t = 0)]
    preload: usize,
    /// Seed for ids, addresses, preload and everything else random in the world.
    ///
    /// Example: --seed 7
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Load the world from FILE at start (if it exists); save it on change and at shutdown
    /// (SIGTERM or Ctrl-C). A file that cannot be loaded is moved aside to
    /// FILE.corrupt-<unix time> and a fresh world starts. A folder that cannot be written
    /// exits with code 3.
    ///
    /// Example: --state ~/.local/state/cvm-sim/world.json
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// An instance whose CPU runs hot (about 90 %) in Cloud Monitor's answers; repeatable.
    ///
    /// Example: --hot ins-r8hr2upy
    #[arg(long = "hot", value_name = "INSTANCE_ID")]
    hot: Vec<String>,
    /// More accounts, keys and roles, from a JSON file: `{"credentials": [{"secretId",
    /// "secretKey", "account"}], "roles": [{"account", "name", "id", "trusted": [UIN]}],
    /// "accounts": [{"uin", "preload"}]}` (every part optional). Each account has a world
    /// of its own; AssumeRole hands out temporary keys for a role to callers from a trusted
    /// account.
    ///
    /// Example: --accounts tests/conformance/accounts.json
    #[arg(long, value_name = "FILE", value_parser = parse_accounts)]
    accounts: Option<AccountsFile>,
    /// Connections served at once; more wait in the listen backlog.
    ///
    /// Example: --max-connections 64
    #[arg(long, default_value_t = cvm_sim::DEFAULT_MAX_CONNECTIONS, value_parser = parse_count)]
    max_connections: usize,
    /// Close a connection whose request header (or TLS handshake) is not complete after
    /// this many ms (also an idle kept-alive connection).
    ///
    /// Example: --header-timeout-ms 5000
    #[arg(long, value_name = "MS", default_value_t = cvm_sim::DEFAULT_HEADER_TIMEOUT.as_millis() as u64, value_parser = clap::value_parser!(u64).range(1..))]
    header_timeout_ms: u64,
    /// Close a connection whose request body is not complete this many ms after its header.
    ///
    /// Example: --body-timeout-ms 10000
    #[arg(long, value_name = "MS", default_value_t = cvm_sim::DEFAULT_BODY_TIMEOUT.as_millis() as u64, value_parser = clap::value_parser!(u64).range(1..))]
    body_timeout_ms: u64,
    /// Wait this many ms before answering each API request (not the health path): a
    /// network round trip for benchmarks, since loopback has none. 0 to 60000.
    ///
    /// Example: --latency-ms 30
    #[arg(long, value_name = "MS", default_value_t = 0, value_parser = clap::value_parser!(u64).range(0..=60_000))]
    latency_ms: u64,
    /// Append every answer to FILE as one JSON line {"service", "version", "action",
    /// "answer"}, for checking answers against Tencent's schema (test use: answers include
    /// new key pairs' private keys).
    ///
    /// Example: --record-answers /tmp/answers.jsonl
    #[arg(long, value_name = "FILE")]
    record_answers: Option<PathBuf>,
    /// Serve HTTPS. A local CA is made in the TLS folder on first use (ca.pem, ca-key.pem)
    /// and reused after; a server certificate for localhost, *.localhost, 127.0.0.1, ::1,
    /// tencentcloudapi.com, *.tencentcloudapi.com and *.REGION.tencentcloudapi.com is
    /// issued from it at every start. Clients trust ca.pem (SSL_CERT_FILE,
    /// REQUESTS_CA_BUNDLE, NODE_EXTRA_CA_CERTS; see --print-env).
    ///
    /// Example: --tls
    #[arg(long, env = "CVM_SIM_TLS", value_parser = clap::builder::BoolishValueParser::new())]
    tls: bool,
    /// Where --tls keeps its CA: default the --state file's folder, else
    /// $XDG_STATE_HOME/cvm-sim or ~/.local/state/cvm-sim.
    ///
    /// Example: --tls-dir ./sim-tls
    #[arg(long, env = "CVM_SIM_TLS_DIR", value_name = "DIR")]
    tls_dir: Option<PathBuf>,
    /// A further host name (`*.` covers one label) or IP address for the server
    /// certificate; repeat for several.
    ///
    /// Example: --tls-name cvm-sim.internal --tls-name 192.0.2.10
    #[arg(long, value_name = "NAME", requires = "tls")]
    tls_name: Vec<String>,
    /// Print the variables a client needs (endpoint, URL, health URL, credential, region,
    /// and with --tls the CA file for each client) as shell `export` lines, then exit
    /// without serving. With --tls it makes the CA first if there is none yet.
    ///
    /// Example: eval "$(cvm-sim --tls --print-env)"
    #[arg(long)]
    print_env: bool,
}

const AFTER_HELP: &str = "\
Default credential (unless --secret-id/--secret-key are given):
  SecretId  AKIDcvmsim00000000000000000000000000
  SecretKey cvmsimSecretKey0000000000000000000

Examples:
  cvm-sim --time-scale 0 --preload 36 --state world.json
  cvm-sim --tls --listen 127.0.0.1:9443
  eval \"$(cvm-sim --tls --listen 127.0.0.1:9443 --print-env)\"
  curl -fsS --cacert \"$CVM_SIM_CA\" \"$CVM_SIM_HEALTH_URL\"

Exit codes:
  0  stopped by SIGTERM or Ctrl-C, the state saved (or --print-env done)
  1  cannot listen, or the state could not be saved at shutdown
  2  bad flags or values
  3  the state or TLS folder cannot be written, or its CA files are unusable
";

/// Exit code for a state or TLS folder that cannot be written or holds unusable files.
const EXIT_FOLDER: i32 = 3;
/// The `--accounts` file.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AccountsFile {
    #[serde(default)]
    credentials: Vec<KeySpec>,
    #[serde(default)]
    roles: Vec<Role>,
    #[serde(default)]
    accounts: Vec<AccountSpec>,
}

#[derive(Clone, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct KeySpec {
    secret_id: String,
    secret_key: String,
    account: String,
}

impl std::fmt::Debug for KeySpec {
    // The key stays out of error text.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeySpec")
            .field("secret_id", &self.secret_id)
            .field("account", &self.account)
            .finish_non_exhaustive()
    }
}

fn parse_accounts(path: &str) -> Result<AccountsFile, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let file: AccountsFile = serde_json::from_str(&text)
        .map_err(|e| format!("{path} is not a valid accounts file: {e}"))?;
    let uin = |u: &str| !u.is_empty() && u.bytes().all(|b| b.is_ascii_digit());
    if let Some(bad) = file
        .credentials
        .iter()
        .map(|c| &c.account)
        .chain(file.roles.iter().map(|r| &r.account))
        .chain(file.roles.iter().flat_map(|r| &r.trusted))
        .chain(file.accounts.iter().map(|a| &a.uin))
        .find(|u| !uin(u))
    {
        return Err(format!(
            "{path}: `{bad}` is not an account UIN (digits only)"
        ));
    }
    Ok(file)
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
    let credential = match (&cli.secret_id, &cli.secret_key) {
        (Some(id), Some(key)) => Credential::new(id.clone(), key.clone()),
        _ => Credential::default(),
    };
    let tls = if cli.tls {
        let Some(dir) = cli
            .tls_dir
            .clone()
            .or_else(|| state_folder(cli.state.as_deref()))
            .or_else(cvm_sim::tls::default_dir)
        else {
            eprintln!("cvm-sim: no folder for the TLS files: pass --tls-dir (HOME is not set)");
            std::process::exit(2);
        };
        match Tls::load_or_create(&dir, &cli.tls_name) {
            Ok(t) => Some(t),
            Err(e @ TlsError::BadName(_)) => {
                eprintln!("cvm-sim: --tls-name: {e}");
                std::process::exit(2);
            }
            Err(e @ (TlsError::Folder { .. } | TlsError::Write { .. })) => {
                eprintln!("cvm-sim: {e}; choose a writable --tls-dir");
                std::process::exit(EXIT_FOLDER);
            }
            Err(e) => {
                eprintln!("cvm-sim: {e}");
                std::process::exit(EXIT_FOLDER);
            }
        }
    } else {
        None
    };
    if cli.print_env {
        if cli.listen.port() == 0 {
            eprintln!(
                "cvm-sim: --print-env needs a fixed port: pass --listen HOST:PORT (or set CVM_SIM_LISTEN)"
            );
            std::process::exit(2);
        }
        print!("{}", client_env(cli.listen, &credential, tls.as_ref()));
        std::process::exit(0);
    }
    if let Some(folder) = state_folder(cli.state.as_deref())
        && let Err(e) = std::fs::create_dir_all(&folder)
    {
        eprintln!(
            "cvm-sim: cannot create the state folder {}: {e}; choose a writable --state",
            folder.display()
        );
        std::process::exit(EXIT_FOLDER);
    }
    let extra = cli.accounts.unwrap_or_default();
    let mut credentials = vec![credential];
    credentials.extend(extra.credentials.into_iter().map(|k| Credential {
        account: k.account,
        ..Credential::new(k.secret_id, k.secret_key)
    }));
    let config = Config {
        listen: cli.listen,
        credentials,
        roles: extra.roles,
        accounts: extra.accounts,
        time_scale: cli.time_scale,
        rate_limit: cli.rate_limit,
        faults: cli.faults,
        preload: cli.preload,
        seed: cli.seed,
        state_file: cli.state,
        max_connections: cli.max_connections,
        hot: cli.hot,
        header_timeout: Duration::from_millis(cli.header_timeout_ms),
        body_timeout: Duration::from_millis(cli.body_timeout_ms),
        record_answers: cli.record_answers,
        latency: Duration::from_millis(cli.latency_ms),
        tls,
        ssh_listen: (!cli.no_ssh).then(|| {
            cli.ssh_listen
                .unwrap_or(SocketAddr::new(cli.listen.ip(), 0))
        }),
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
        let state_file = config.state_file.clone();
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
        // A state file that cannot be written would lose every change: say so now, not
        // at shutdown.
        if let (Some(path), Err(e)) = (&state_file, sim.save_state()) {
            eprintln!(
                "cvm-sim: cannot write the state file {}: {e}; choose a writable --state",
                path.display()
            );
            drop(sim);
            return EXIT_FOLDER;
        }
        // Written at once and a closed stdout ignored: a caller that read only the first
        // line and closed the pipe must not stop the emulator.
        let mut ready = format!("cvm-sim listening on {}\n", sim.base_url());
        if let Some(ca) = sim.ca_path() {
            ready += &format!("cvm-sim CA certificate: {}\n", ca.display());
        }
        if let Some(ssh) = sim.ssh_addr() {
            ready += &format!("cvm-sim ssh on {ssh} (user name = instance id)\n");
        }
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(ready.as_bytes());
        let _ = stdout.flush();
        drop(stdout);
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

/// The folder of the `--state` file (`world.json` alone means the current folder).
fn state_folder(state: Option<&Path>) -> Option<PathBuf> {
    let parent = state?.parent()?;
    Some(if parent.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        parent.to_owned()
    })
}

/// Single-quoted for sh, bash and zsh: `'` becomes `'\''`.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// What `--print-env` prints: `export NAME='value'` lines a shell can `eval`.
fn client_env(listen: SocketAddr, credential: &Credential, tls: Option<&Tls>) -> String {
    // A client cannot connect to the unspecified address; it reaches the same listener
    // through loopback.
    let host = match listen.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => SocketAddr::from(([127, 0, 0, 1], listen.port())),
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, listen.port()))
        }
        _ => listen,
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    let mut vars = vec![
        ("CVM_SIM_ENDPOINT", host.to_string()),
        ("CVM_SIM_URL", format!("{scheme}://{host}")),
        (
            "CVM_SIM_HEALTH_URL",
            format!("{scheme}://{host}{}", cvm_sim::HEALTH_PATH),
        ),
        ("CVM_SIM_PROTOCOL", scheme.to_owned()),
        ("TENCENTCLOUD_SECRET_ID", credential.secret_id.clone()),
        ("TENCENTCLOUD_SECRET_KEY", credential.secret_key.clone()),
        ("TENCENTCLOUD_REGION", "ap-guangzhou".to_owned()),
    ];
    if let Some(tls) = tls {
        let ca = tls.ca_path().display().to_string();
        // Python's requests, OpenSSL-based clients (tccli, curl, Go) and Node.js.
        for name in [
            "CVM_SIM_CA",
            "REQUESTS_CA_BUNDLE",
            "SSL_CERT_FILE",
            "NODE_EXTRA_CA_CERTS",
        ] {
            vars.push((name, ca.clone()));
        }
    }
    vars.iter()
        .map(|(name, value)| format!("export {name}={}\n", sh_quote(value)))
        .collect()
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
