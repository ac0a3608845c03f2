//! The `cvm-sim` binary: the ready line, start-up time with a big preload, and exit code 2
//! for bad flags.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
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
        &["--no-such-flag"],
    ] {
        let out = Command::new(BIN).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?} explains itself");
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
    ] {
        assert!(text.contains(flag), "{flag}");
    }
    assert!(text.contains(cvm_sim::DEFAULT_SECRET_ID));
}
