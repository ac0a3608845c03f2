//! The state file: a world that cannot be loaded never stops the emulator (it is moved
//! aside and reported), saves are whole files even when many run at once, and a dropped
//! handle keeps its last changes.

use cvm_sim::{Config, LoadNotice, RateLimit};
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

fn config(path: &Path) -> Config {
    Config {
        state_file: Some(path.to_owned()),
        time_scale: 0.0,
        rate_limit: RateLimit::Off,
        preload: 3,
        seed: 2,
        ..Default::default()
    }
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn preloaded(sim: &cvm_sim::SimHandle) -> usize {
    cvm_sim::catalog::REGIONS
        .iter()
        .map(|r| sim.instances(cvm_sim::DEFAULT_ACCOUNT, r.id).len())
        .sum()
}

#[tokio::test]
async fn an_unloadable_world_file_is_moved_aside_and_a_fresh_world_starts() {
    let valid = {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("world.json");
        let sim = cvm_sim::start(config(&path)).await.unwrap();
        sim.shutdown().await.unwrap();
        std::fs::read(&path).unwrap()
    };
    let truncated = valid[..valid.len() / 2].to_vec();
    for (what, bytes) in [
        ("garbage", b"\x00\xffnot json at all".to_vec()),
        ("empty", Vec::new()),
        ("truncated", truncated),
        ("another JSON document", br#"{"accounts": 7}"#.to_vec()),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("world.json");
        std::fs::write(&path, &bytes).unwrap();
        let sim = cvm_sim::start(config(&path)).await.expect(what);
        let notice = sim.load_notice().expect(what).clone();
        let LoadNotice::MovedAside { backup, .. } = &notice else {
            panic!("{what}: {notice:?}");
        };
        assert_eq!(notice.path(), path);
        assert!(
            backup
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("world.json.corrupt-"),
            "{backup:?}"
        );
        assert_eq!(
            std::fs::read(backup).unwrap(),
            bytes,
            "{what}: kept as found"
        );
        assert!(notice.to_string().contains("moved to"), "{notice}");
        assert_eq!(preloaded(&sim), 3, "{what}: a fresh, preloaded world");
        // The fresh world is saved at the usual path and loads cleanly next time.
        sim.shutdown().await.unwrap();
        let again = cvm_sim::start(config(&path)).await.unwrap();
        assert!(again.load_notice().is_none(), "{what}");
        again.shutdown().await.unwrap();
        assert_eq!(
            names_in(dir.path()).len(),
            2,
            "{what}: the file and its backup"
        );
    }
}

#[tokio::test]
async fn an_unreadable_state_path_is_moved_aside_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("world.json");
    // A folder cannot be read as a file (and, unlike permissions, this holds for root).
    std::fs::create_dir(&path).unwrap();
    std::fs::write(path.join("keep"), b"mine").unwrap();
    let sim = cvm_sim::start(config(&path)).await.unwrap();
    let backup = sim
        .load_notice()
        .and_then(|n| n.backup())
        .unwrap()
        .to_owned();
    assert_eq!(std::fs::read(backup.join("keep")).unwrap(), b"mine");
    sim.shutdown().await.unwrap();
    assert!(path.is_file());
}

#[tokio::test]
async fn no_notice_for_a_missing_or_a_good_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("world.json");
    let sim = cvm_sim::start(config(&path)).await.unwrap();
    assert!(sim.load_notice().is_none());
    sim.shutdown().await.unwrap();
    let sim = cvm_sim::start(config(&path)).await.unwrap();
    assert!(sim.load_notice().is_none());
    sim.shutdown().await.unwrap();
    assert_eq!(names_in(dir.path()), ["world.json"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_saves_leave_one_whole_file_and_no_temporary_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("world.json");
    let sim = std::sync::Arc::new(
        cvm_sim::start(Config {
            preload: 50,
            ..config(&path)
        })
        .await
        .unwrap(),
    );
    let mut tasks = Vec::new();
    for i in 0..8 {
        let sim = sim.clone();
        tasks.push(tokio::task::spawn_blocking(move || {
            for _ in 0..6 {
                // Every save snapshots a different world (the clock offset is saved).
                sim.advance_clock(Duration::from_millis(i + 1));
                sim.save_state()?;
            }
            std::io::Result::Ok(())
        }));
    }
    for t in tasks {
        t.await.unwrap().expect("every save succeeds");
    }
    let saved: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let now = sim.world_json();
    assert_eq!(saved["accounts"], now["accounts"]);
    // The last save ran after the last clock change.
    let offset = saved["clock_offset_ms"].as_i64().unwrap();
    assert_eq!(offset, (1..=8).map(|i| i * 6).sum::<i64>());
    // Listed once the periodic saver has stopped: a save of its own may be between its
    // temporary file and the rename at any moment before.
    let sim = std::sync::Arc::into_inner(sim).unwrap();
    sim.shutdown().await.unwrap();
    assert_eq!(names_in(dir.path()), ["world.json"]);
}

#[tokio::test]
async fn dropping_the_handle_saves_what_changed_since_the_last_save() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("world.json");
    let sim = cvm_sim::start(config(&path)).await.unwrap();
    sim.advance_clock(Duration::from_secs(3600));
    drop(sim);
    let saved: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(saved["clock_offset_ms"], 3_600_000);
}
