//! A world saved by an earlier build still loads, unchanged: the state file is the user's
//! Sandbox, and a refactoring must never turn it into a "corrupt world" notice. The
//! fixture was saved by the emulator as of 2026-12 (instances in every state, each billing
//! model and renew flag, an expired and a recycled prepaid instance, an operation in
//! progress and a failed one, an EIP, a key pair, a custom image, a launch template and an
//! extra security group).

use cvm_sim::{Config, RateLimit};
use serde_json::Value;

const FIXTURE: &str = include_str!("fixtures/world-2026-12.json");

#[tokio::test]
async fn a_world_saved_by_an_earlier_build_loads_and_saves_back_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("world.json");
    std::fs::write(&path, FIXTURE).unwrap();
    let sim = cvm_sim::start(Config {
        state_file: Some(path.clone()),
        time_scale: 0.0,
        rate_limit: RateLimit::Off,
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(sim.load_notice(), None);
    let fixture: Value = serde_json::from_str(FIXTURE).unwrap();
    assert_eq!(sim.world_json(), fixture);
    sim.save_state().unwrap();
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(
        saved == FIXTURE,
        "the re-saved world differs from the fixture"
    );
    sim.shutdown().await.unwrap();
}
