//! The `cvm-sim` binary as a tool: `--help` gives every flag an example, `--print-env`
//! is shell-sourceable, `--tls` serves HTTPS and saves on SIGTERM, and folders it cannot
//! write end it with exit code 3 before the ready line.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_cvm-sim");

#[test]
fn help_gives_every_flag_an_example_and_the_exit_codes() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let options = text.split("Options:").nth(1).expect("an Options section");
    // Each option's block runs from its `--flag` line to the next one.
    let mut blocks: Vec<(String, String)> = Vec::new();
    for line in options.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("--") || (trimmed.starts_with('-') && trimmed.contains(", --")) {
            let flag = trimmed
                .split([' ', '=', ','])
                .find(|w| w.starts_with("--"))
                .unwrap_or(trimmed)
                .to_owned();
            blocks.push((flag, String::new()));
        } else if let Some((_, body)) = blocks.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    let flags: Vec<&str> = blocks.iter().map(|(f, _)| f.as_str()).collect();
    for want in [
        "--listen",
        "--tls",
        "--tls-dir",
        "--tls-name",
        "--print-env",
        "--state",
    ] {
        assert!(flags.contains(&want), "{want} in {flags:?}");
    }
    for (flag, body) in &blocks {
        if flag == "--help" || flag == "--version" {
            continue;
        }
        assert!(body.contains("Example: "), "{flag} has no example:\n{body}");
    }
    assert!(text.contains("Exit codes:"));
    for code in ["0  ", "1  ", "2  ", "3  "] {
        assert!(text.contains(code), "exit code {code}");
    }
}

/// Runs `sh -c SCRIPT` and returns its stdout.
fn sh(script: &str) -> String {
    let out = Command::new("sh")
        .args(["-c", script])
        .env("BIN", BIN)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{script}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn print_env_is_sourceable_and_names_what_a_client_needs() {
    let dir = tempfile::tempdir().unwrap();
    let tls_dir = dir.path().join("tls dir");
    std::fs::create_dir(&tls_dir).unwrap();
    // A key with a quote and a space survives the shell's quoting.
    let script = format!(
        r#"eval "$("$BIN" --listen 0.0.0.0:9443 --secret-id AKIDmine --secret-key "it's mine" --tls --tls-dir '{}' --print-env)" && printf '%s\n' "$CVM_SIM_ENDPOINT" "$CVM_SIM_URL" "$CVM_SIM_HEALTH_URL" "$TENCENTCLOUD_SECRET_ID" "$TENCENTCLOUD_SECRET_KEY" "$TENCENTCLOUD_REGION" "$SSL_CERT_FILE" "$REQUESTS_CA_BUNDLE" "$NODE_EXTRA_CA_CERTS""#,
        tls_dir.display()
    );
    let out = sh(&script);
    let ca = tls_dir.join("ca.pem").display().to_string();
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        vec![
            "127.0.0.1:9443",
            "https://127.0.0.1:9443",
            "https://127.0.0.1:9443/cvm-sim/health",
            "AKIDmine",
            "it's mine",
            "ap-guangzhou",
            ca.as_str(),
            ca.as_str(),
            ca.as_str(),
        ]
    );
    assert!(
        tls_dir.join("ca.pem").exists(),
        "the CA exists before the server does"
    );

    // Without --tls: http and no CA variables; CVM_SIM_LISTEN sets the address.
    let out = Command::new(BIN)
        .arg("--print-env")
        .env("CVM_SIM_LISTEN", "127.0.0.1:9555")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("export CVM_SIM_URL='http://127.0.0.1:9555'\n"),
        "{text}"
    );
    assert!(!text.contains("SSL_CERT_FILE"), "{text}");
    assert!(text.contains(cvm_sim::DEFAULT_SECRET_ID));

    let out = Command::new(BIN)
        .args(["--print-env", "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("fixed port"));
}

#[cfg(unix)]
#[test]
fn tls_serves_https_prints_the_ca_and_saves_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("world.json");
    let mut child = Command::new(BIN)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--time-scale",
            "0",
            "--tls",
            "--state",
        ])
        .arg(&state)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let (mut ready, mut ca_line) = (String::new(), String::new());
    stdout.read_line(&mut ready).unwrap();
    stdout.read_line(&mut ca_line).unwrap();
    let addr: std::net::SocketAddr = ready
        .trim()
        .strip_prefix("cvm-sim listening on https://")
        .expect(&ready)
        .parse()
        .unwrap();
    let ca = ca_line
        .trim()
        .strip_prefix("cvm-sim CA certificate: ")
        .expect(&ca_line)
        .to_owned();
    // The CA sits beside the state file when no --tls-dir is given.
    assert_eq!(std::path::Path::new(&ca), dir.path().join("ca.pem"));

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let id = rt.block_on(async {
        let config = cvm_sim::client::trusting(std::path::Path::new(&ca)).unwrap();
        let mut c =
            cvm_sim::client::SimClient::new(addr, cvm_sim::Credential::default(), "ap-guangzhou")
                .over_tls(config, "localhost")
                .unwrap();
        c.cvm(
            "RunInstances",
            serde_json::json!({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": "img-487zeit5"}),
        )
        .await
        .unwrap()
        .ok()["InstanceIdSet"][0]
            .as_str()
            .unwrap()
            .to_owned()
    });
    let term = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let status = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(std::fs::read_to_string(&state).unwrap().contains(&id));
}

fn run(args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// /sys refuses new files even to root, so this holds whoever runs the tests.
#[cfg(target_os = "linux")]
#[test]
fn folders_that_cannot_be_written_exit_with_code_3_before_serving() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    let file_child = file.join("world.json");
    for (args, names) in [
        (vec!["--state", "/sys/world.json"], "/sys/world.json"),
        (
            vec!["--state", "/sys/cvm-sim-test/world.json"],
            "/sys/cvm-sim-test",
        ),
        (vec!["--state", file_child.to_str().unwrap()], "a-file"),
        (
            vec!["--tls", "--tls-dir", "/sys/cvm-sim-tls"],
            "/sys/cvm-sim-tls",
        ),
        (
            vec!["--tls", "--tls-dir", "/sys/cvm-sim-tls", "--print-env"],
            "/sys/cvm-sim-tls",
        ),
    ] {
        let out = run(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {err}");
        assert!(err.contains(names), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}: no ready line");
    }
}

#[test]
fn a_bad_tls_name_or_a_tls_name_without_tls_exits_with_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    for args in [
        vec!["--tls", "--tls-dir", d, "--tls-name", "two words"],
        vec!["--tls-name", "sim.internal"],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty());
    }
}

#[test]
fn a_port_in_use_exits_with_code_1_naming_the_address() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    for extra in [
        vec![],
        vec!["--tls", "--tls-dir", dir.path().to_str().unwrap()],
    ] {
        let out = Command::new(BIN)
            .args(["--listen", &addr])
            .args(&extra)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{extra:?}: {err}");
        assert!(err.contains(&format!("cannot listen on {addr}")), "{err}");
        assert!(out.stdout.is_empty());
    }
}
