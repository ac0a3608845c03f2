//! Profiles against a real OS keyring. These need a private Secret Service (or none at
//! all), so they are `#[ignore]`d in a plain `cargo test` and run by
//! `tests/keyring/run`, which starts a private D-Bus session with an unlocked
//! gnome-keyring for the first group and no D-Bus at all for the second. They never
//! touch the developer's own keyring.

use cvm_console::accounts::{ProfileInput, create, delete};
use cvm_console::profiles::{BudgetChoice, Language, Site};
use cvm_console::secrets::Vault;
use cvm_console::state::AppState;

const ID: &str = "AKIDkeyringtest0000000000000000000042";
const KEY: &str = "keyringTestKey-unique-7f3a9c21e8d4";

fn input(url: &str, name: &str, key: &str) -> ProfileInput {
    ProfileInput {
        name: name.into(),
        site: Site::Custom { url: url.into() },
        default_region: "ap-guangzhou".into(),
        language: Language::EnUs,
        budget: BudgetChoice::Current,
        read_only: false,
        secret_id: Some(ID.into()),
        secret_key: Some(key.into()),
        token: None,
    }
}

fn all_bytes_under(dir: &std::path::Path) -> Vec<u8> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(all_bytes_under(&p));
            } else if let Ok(b) = std::fs::read(&p) {
                out.extend(b);
            }
        }
    }
    out
}

async fn sim() -> cvm_sim::SimHandle {
    let config = cvm_sim::Config {
        credentials: vec![cvm_sim::Credential::new(ID, KEY)],
        time_scale: 0.0,
        ..Default::default()
    };
    cvm_sim::start(config).await.expect("cvm-sim starts")
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a private Secret Service: run tests/keyring/run"]
async fn secret_service_round_trip_through_profile_commands() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let vault = Vault::native();
    vault.check().expect("the private keyring answers");
    let state = AppState::new(
        dir.path().join("config"),
        dir.path().join("data"),
        vault.clone(),
    )
    .unwrap();

    // A wrong key is refused with the field named and nothing stored.
    let e = create(
        &state,
        input(&sim.base_url(), "Wrong", "wrongwrongwrongwrongwrongwrong12"),
    )
    .await
    .unwrap_err();
    assert_eq!(e.code, "AuthFailure.SignatureFailure");
    assert_eq!(e.field.as_deref(), Some("secretKey"));
    assert!(e.request_id.is_some());
    assert!(!dir.path().join("config/profiles.json").exists());

    let report = create(&state, input(&sim.base_url(), "Real", KEY))
        .await
        .unwrap();
    assert_eq!(report.masked_secret_id, "AKID…0042");
    let id = state.active_profile().id;
    let stored = vault.get(&id).unwrap().expect("in the keyring");
    assert_eq!(stored.secret_key.expose(), KEY);
    // The key is in the keyring and nowhere on disk.
    let disk = all_bytes_under(dir.path());
    assert!(!disk.is_empty());
    assert!(!disk.windows(KEY.len()).any(|w| w == KEY.as_bytes()));

    delete(&state, id.clone()).await.unwrap();
    assert!(
        vault.get(&id).unwrap().is_none(),
        "deleting the profile deletes its keyring entry"
    );
    sim.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a session without D-Bus: run tests/keyring/run"]
async fn no_secret_service_gives_the_specific_error_and_writes_nothing() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let vault = Vault::native();
    let e = vault.check().unwrap_err();
    assert_eq!(
        e.code,
        cvm_console::error::AppCode::KeyringNoService.as_str(),
        "{e:?}"
    );
    assert!(e.message.contains("gnome-keyring"));
    let state = AppState::new(dir.path().join("config"), dir.path().join("data"), vault).unwrap();
    let e = create(&state, input(&sim.base_url(), "Real", KEY))
        .await
        .unwrap_err();
    assert_eq!(
        e.code,
        cvm_console::error::AppCode::KeyringNoService.as_str()
    );
    assert!(
        all_bytes_under(dir.path()).is_empty(),
        "nothing was written to disk"
    );
    // The Sandbox still works, with an in-memory credential.
    let sandbox = state
        .sandbox()
        .await
        .expect("the Sandbox starts without a keyring");
    assert!(!sandbox.credential_in_keyring);
    sim.shutdown().await.unwrap();
}
