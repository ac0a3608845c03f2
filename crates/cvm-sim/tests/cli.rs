//! The `cvm-sim` binary: the ready line, start-up time with a big preload, exit code 2
//! for bad flags, its warnings on stderr, saving on SIGTERM, and the connection cap.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_cvm-sim");

#[test]
fn prints_one_ready_line_and_serves_a_big_preload_quickly() {
    let t0 = Instant::now();
    let mut child = Command::new(BIN)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--preload",
            "10000",
            "--seed",
            "1",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let took = t0.elapsed();
    let _ = child.kill();
    let _ = child.wait();
    let addr = line
        .trim()
        .strip_prefix("cvm-sim listening on http://")
        .expect(&line);
    assert!(addr.parse::<std::net::SocketAddr>().is_ok(), "{addr}");
    // Well under a second in a release build; debug builds get slack.
    assert!(took < Duration::from_secs(10), "{took:?}");
}

#[test]
fn bad_flags_and_values_exit_with_code_2() {
    for args in [
        &["--rate-limit", "sometimes"][..],
        &["--time-scale", "-1"],
        &["--faults", "rate=2"],
        &["--faults", "rate=0.1,kinds=boom"],
        &["--listen", "nowhere"],
        &["--secret-id", "only-the-id"],
        &["--preload", "many"],
        &["--max-connections", "0"],
        &["--header-timeout-ms", "0"],
        &["--body-timeout-ms", "soon"],
        &["--latency-ms=-5"],
        &["--latency-ms", "60001"],
        &["--latency-ms", "soon"],
        &["--no-such-flag"],
    ] {
        let out = Command::new(BIN).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?} explains itself");
        if args[0].starts_with("--latency-ms") {
            assert!(
                String::from_utf8_lossy(&out.stderr).contains("--latency-ms"),
                "{args:?} names the flag"
            );
        }
    }
    let help = Command::new(BIN).arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&help.stdout);
    for flag in [
        "--listen",
        "--secret-id",
        "--time-scale",
        "--rate-limit",
        "--faults",
        "--preload",
        "--seed",
        "--state",
        "--max-connections",
        "--header-timeout-ms",
        "--body-timeout-ms",
        "--latency-ms",
    ] {
        assert!(text.contains(flag), "{flag}");
    }
    assert!(text.contains(cvm_sim::DEFAULT_SECRET_ID));
}

/// Starts the binary with stdout and stderr piped; returns it and its address once ready.
fn spawn_ready(args: &[&str]) -> (Child, std::net::SocketAddr) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("cvm-sim listening on http://")
        .expect(&line)
        .parse()
        .unwrap();
    (child, addr)
}

fn kill_and_read_stderr(mut child: Child) -> String {
    let _ = child.kill();
    let _ = child.wait();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    err
}

#[test]
fn warns_on_stderr_when_the_default_credential_listens_beyond_loopback() {
    let (child, _) = spawn_ready(&["--listen", "0.0.0.0:0"]);
    let err = kill_and_read_stderr(child);
    assert!(err.contains("warning"), "{err}");
    assert!(err.contains(cvm_sim::DEFAULT_SECRET_ID), "{err}");
    assert!(!err.contains(cvm_sim::DEFAULT_SECRET_KEY), "{err}");

    let (child, _) = spawn_ready(&["--listen", "127.0.0.1:0"]);
    assert_eq!(kill_and_read_stderr(child), "");
    let (child, _) = spawn_ready(&[
        "--listen",
        "0.0.0.0:0",
        "--secret-id",
        "AKIDmine",
        "--secret-key",
        "mine",
    ]);
    assert_eq!(kill_and_read_stderr(child), "");
}

#[cfg(unix)]
#[test]
fn a_corrupt_state_file_is_reported_and_sigterm_saves_the_new_world() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("world.json");
    std::fs::write(&path, b"{ half a world").unwrap();
    let (child, addr) = spawn_ready(&[
        "--listen",
        "127.0.0.1:0",
        "--time-scale",
        "0",
        "--state",
        path.to_str().unwrap(),
    ]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let id = rt.block_on(async {
        let mut c =
            cvm_sim::client::SimClient::new(addr, cvm_sim::Credential::default(), "ap-guangzhou");
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
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{:?}: {err}", out.status);
    assert!(err.contains("could not be loaded"), "{err}");
    assert!(err.contains("world.json.corrupt-"), "{err}");
    let backups: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("world.json.corrupt-"))
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(
        saved.contains(&id),
        "the instance made before SIGTERM is saved"
    );
}

/// Many clients at once cost the server no more than its cap in sockets: the rest wait
/// in the listen backlog and are served when slots free up.
#[cfg(target_os = "linux")]
#[test]
fn connections_beyond_the_cap_cost_the_server_no_sockets() {
    let (child, addr) = spawn_ready(&["--listen", "127.0.0.1:0", "--max-connections", "4"]);
    let fds = || {
        std::fs::read_dir(format!("/proc/{}/fd", child.id()))
            .unwrap()
            .count()
    };
    let before = fds();
    let clients: Vec<_> = (0..100)
        .map(|_| std::net::TcpStream::connect(addr).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let during = fds();
    assert!(during <= before + 4, "{before} → {during} descriptors");
    drop(clients);
    // Still serving once they are gone.
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    std::io::Write::write_all(
        &mut s,
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
    )
    .unwrap();
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let _ = kill_and_read_stderr(child);
}

#[test]
fn prints_the_ssh_endpoint_after_the_http_one_and_it_speaks_ssh() {
    let mut child = Command::new(BIN)
        .args(["--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let (mut http, mut ssh) = (String::new(), String::new());
    out.read_line(&mut http).unwrap();
    out.read_line(&mut ssh).unwrap();
    assert!(http.starts_with("cvm-sim listening on http://"), "{http}");
    let addr: std::net::SocketAddr = ssh
        .strip_prefix("cvm-sim ssh on ")
        .and_then(|s| s.split_whitespace().next())
        .expect(&ssh)
        .parse()
        .unwrap();
    let mut banner = String::new();
    let stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    BufReader::new(stream).read_line(&mut banner).unwrap();
    assert!(banner.starts_with("SSH-2.0-"), "{banner}");
    let _ = child.kill();
    let _ = child.wait();

    // --no-ssh: only the HTTP line.
    let mut child = Command::new(BIN)
        .args(["--listen", "127.0.0.1:0", "--no-ssh"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout);
    let mut first = String::new();
    lines.read_line(&mut first).unwrap();
    assert!(first.starts_with("cvm-sim listening on "));
    let _ = child.kill();
    let _ = child.wait();
    let mut rest = String::new();
    lines.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "");
}

#[test]
fn latency_ms_delays_every_signed_answer() {
    let (child, addr) =
        spawn_ready(&["--listen", "127.0.0.1:0", "--no-ssh", "--latency-ms", "400"]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut c =
            cvm_sim::client::SimClient::new(addr, cvm_sim::Credential::default(), "ap-guangzhou");
        for _ in 0..2 {
            let t0 = Instant::now();
            c.cvm("DescribeZones", serde_json::json!({}))
                .await
                .unwrap()
                .ok();
            let took = t0.elapsed();
            assert!(took >= Duration::from_millis(400), "{took:?}");
        }
    });
    kill_and_read_stderr(child);
}
