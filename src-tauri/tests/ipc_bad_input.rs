//! Bad input through the real IPC handler: what the UI would never send (empty, too long,
//! wrong type, malformed region, another profile's id, unconfirmed), sent as the JSON a
//! web view would send, to the very command handler the app registers, on Tauri's mock
//! runtime (no window: the handler, argument decoding and commands are the real ones).
//!
//! Each case must be refused naming the field at fault, with nothing sent to the API
//! (the activity log counts every call any client makes) and nothing written. The table
//! is mirrored in docs/SECURITY.md.

use cvm_console::profiles::{BudgetChoice, Language, Profile, ProfileKind, SANDBOX_ID, Site};
use cvm_console::secrets::{StoredSecret, Vault};
use cvm_console::state::AppState;
use serde_json::{Value, json};
use std::sync::Arc;
use tauri::Manager;
use tauri::test::{
    INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets,
};
use tencent_api::Sensitive;

const CLOUD_ID: &str = "p-cloud-test";
const CLOUD_NAME: &str = "Production";
const CHANNEL: &str = "__CHANNEL__:7";

struct Harness {
    _dir: tempfile::TempDir,
    state: Arc<AppState>,
    webview: tauri::WebviewWindow<MockRuntime>,
    _app: tauri::App<MockRuntime>,
}

fn harness() -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<keyring_core::CredentialStore> = keyring_core::mock::Store::new().unwrap();
    let vault = Vault::with_store(store, "cvm-console-ipc-test");
    vault
        .put(
            CLOUD_ID,
            &StoredSecret {
                secret_id: "AKIDipcBadInput00000000000000000001".into(),
                secret_key: Sensitive::new("IpcBadInputKey00000000000000000001"),
                token: None,
            },
        )
        .unwrap();
    let state =
        Arc::new(AppState::new(dir.path().join("config"), dir.path().join("data"), vault).unwrap());
    // A read-only cloud profile beside the Sandbox. Its endpoint is a closed loopback
    // port: a case that slipped through would fail loudly rather than reach anything.
    state
        .update_profiles(|f| {
            f.profiles.push(Profile {
                id: CLOUD_ID.into(),
                name: CLOUD_NAME.into(),
                kind: ProfileKind::Cloud,
                site: Site::Custom {
                    url: "http://127.0.0.1:9/".into(),
                },
                default_region: "ap-guangzhou".into(),
                language: Language::EnUs,
                budget: BudgetChoice::Current,
                read_only: true,
                masked_secret_id: Some("AKID…0001".into()),
                has_token: false,
                last_region: None,
                role: None,
            });
            Ok(())
        })
        .unwrap();
    let app = mock_builder()
        .invoke_handler(cvm_console::invoke_handler::<MockRuntime>())
        .build(mock_context(noop_assets()))
        .unwrap();
    app.manage(state.clone());
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    Harness {
        _dir: dir,
        state,
        webview,
        _app: app,
    }
}

impl Harness {
    fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        get_ipc_response(
            &self.webview,
            tauri::webview::InvokeRequest {
                cmd: cmd.into(),
                callback: tauri::ipc::CallbackFn(0),
                error: tauri::ipc::CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body: tauri::ipc::InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|b| b.deserialize::<Value>().unwrap())
    }

    fn calls(&self) -> u32 {
        self.state.activity.counts().0
    }

    fn profiles_json(&self) -> String {
        std::fs::read_to_string(self._dir.path().join("config").join("profiles.json"))
            .unwrap_or_default()
    }
}

/// What a refusal names: our AppError's `field`, or for an argument that cannot be
/// decoded (wrong type, missing), Tauri's message, which names the argument; for a part
/// of one (`scope.region`), the argument and then the part.
fn names_field(err: &Value, field: &str) -> bool {
    let (arg, part) = field.split_once('.').unwrap_or((field, ""));
    match err {
        Value::Object(o) => o.get("field").and_then(Value::as_str) == Some(field),
        Value::String(s) if part.is_empty() => s.contains(&format!("`{arg}`")),
        Value::String(s) => s.contains(&format!("`{arg}`")) && s.contains(&format!(": {part}: ")),
        _ => false,
    }
}

fn consent(ids: &[&str], typed: Option<&str>) -> Value {
    json!({ "instanceIds": ids, "typed": typed, "stopType": "SOFT", "stoppedMode": "KEEP_CHARGING" })
}

/// (command, arguments, the field the refusal must name)
fn cases() -> Vec<(&'static str, Value, &'static str)> {
    let ins = "ins-aaaaaaaa";
    let sb = SANDBOX_ID;
    vec![
        // Lifecycle: unconfirmed, confirmed for something else, or malformed.
        (
            "stop_instances",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceIds": [ins], "stopType": "SOFT", "stoppedMode": "KEEP_CHARGING", "onChange": CHANNEL}),
            "consent",
        ),
        (
            "stop_instances",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceIds": [ins, "ins-bbbbbbbb"], "stopType": "SOFT", "stoppedMode": "KEEP_CHARGING", "consent": consent(&[ins], None), "onChange": CHANNEL}),
            "consent",
        ),
        (
            "stop_instances",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceIds": [ins], "stopType": "SOFT", "stoppedMode": "STOP_CHARGING", "consent": consent(&[ins], None), "onChange": CHANNEL}),
            "consent",
        ),
        (
            "stop_instances",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceIds": [ins], "stopType": "GENTLY", "stoppedMode": "KEEP_CHARGING", "consent": consent(&[ins], None), "onChange": CHANNEL}),
            "stopType",
        ),
        (
            "stop_instances",
            json!({"scope": {"profile": sb, "region": "AP GUANGZHOU"}, "instanceIds": [ins], "stopType": "SOFT", "stoppedMode": "KEEP_CHARGING", "consent": consent(&[ins], None), "onChange": CHANNEL}),
            "scope.region",
        ),
        (
            "stop_instances",
            json!({"scope": {"profile": sb, "region": ""}, "instanceIds": [ins], "stopType": "SOFT", "stoppedMode": "KEEP_CHARGING", "consent": consent(&[ins], None), "onChange": CHANNEL}),
            "scope.region",
        ),
        (
            "stop_instances",
            json!({"scope": {"profile": "p-nobody", "region": "ap-guangzhou"}, "instanceIds": [ins], "stopType": "SOFT", "stoppedMode": "KEEP_CHARGING", "consent": consent(&[ins], None), "onChange": CHANNEL}),
            "profileId",
        ),
        (
            "stop_instances",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceIds": ["i-1; rm -rf /"], "stopType": "SOFT", "stoppedMode": "KEEP_CHARGING", "consent": consent(&["i-1; rm -rf /"], None), "onChange": CHANNEL}),
            "instanceIds",
        ),
        (
            "reboot_instances",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceIds": [ins], "stopType": "HARD", "consent": consent(&[ins], None), "onChange": CHANNEL}),
            "consent",
        ),
        (
            "reboot_instances",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceIds": [ins], "stopType": "SOFT", "consent": "yes", "onChange": CHANNEL}),
            "consent",
        ),
        (
            "terminate_instances",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceIds": [ins], "releaseAddress": false, "consent": consent(&[ins], None), "onChange": CHANNEL}),
            "typed",
        ),
        (
            "terminate_instances",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceIds": [ins], "releaseAddress": false, "consent": consent(&[ins], Some("ins-bbbbbbbb")), "onChange": CHANNEL}),
            "typed",
        ),
        (
            "terminate_instances",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceIds": [ins, "ins-bbbbbbbb"], "releaseAddress": false, "consent": consent(&[ins, "ins-bbbbbbbb"], Some("terminate 1")), "onChange": CHANNEL}),
            "typed",
        ),
        (
            "terminate_instances",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceIds": [ins], "releaseAddress": "no", "consent": consent(&[ins], Some(ins)), "onChange": CHANNEL}),
            "releaseAddress",
        ),
        // A read-only profile refuses mutations until unlocked.
        (
            "terminate_instances",
            json!({"scope": {"profile": CLOUD_ID, "region": "ap-guangzhou"}, "instanceIds": [ins], "releaseAddress": false, "consent": consent(&[ins], Some(ins)), "onChange": CHANNEL}),
            "profileId",
        ),
        (
            "rename_instances",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceIds": [ins], "name": "", "onChange": CHANNEL}),
            "name",
        ),
        (
            "rename_instances",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceIds": [ins], "name": "n".repeat(61), "onChange": CHANNEL}),
            "name",
        ),
        (
            "reset_instances_password",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceIds": [ins], "input": {"password": "short", "userName": null, "forceStop": false}, "onChange": CHANNEL}),
            "password",
        ),
        // Profiles: the typed name, the unlock and the Sandbox reset.
        (
            "delete_profile",
            json!({"id": CLOUD_ID, "confirmName": ""}),
            "confirmName",
        ),
        (
            "delete_profile",
            json!({"id": CLOUD_ID, "confirmName": "Sandbox"}),
            "confirmName",
        ),
        (
            "delete_profile",
            json!({"id": CLOUD_ID, "confirmName": CLOUD_NAME.to_lowercase()}),
            "confirmName",
        ),
        ("delete_profile", json!({"id": CLOUD_ID}), "confirmName"),
        (
            "delete_profile",
            json!({"id": "p-nobody", "confirmName": CLOUD_NAME}),
            "profileId",
        ),
        (
            "delete_profile",
            json!({"id": sb, "confirmName": "Sandbox"}),
            "profileId",
        ),
        (
            "set_profile_unlocked",
            json!({"id": CLOUD_ID, "unlocked": true, "confirm": null}),
            "confirm",
        ),
        (
            "set_profile_unlocked",
            json!({"id": CLOUD_ID, "unlocked": true, "confirm": sb}),
            "confirm",
        ),
        (
            "set_profile_unlocked",
            json!({"id": CLOUD_ID, "unlocked": "true", "confirm": CLOUD_ID}),
            "unlocked",
        ),
        ("reset_sandbox", json!({"confirm": ""}), "confirm"),
        ("reset_sandbox", json!({"confirm": "yes"}), "confirm"),
        ("reset_sandbox", json!({}), "confirm"),
        (
            "create_profile",
            json!({"input": {"name": "", "site": {"type": "china"}, "defaultRegion": "ap-guangzhou", "language": "en-US", "budget": {"type": "current"}, "readOnly": false, "secretId": "AKIDipcBadInput00000000000000000002", "secretKey": "k".repeat(32), "token": null}}),
            "name",
        ),
        (
            "create_profile",
            json!({"input": {"name": "x".repeat(65), "site": {"type": "china"}, "defaultRegion": "ap-guangzhou", "language": "en-US", "budget": {"type": "current"}, "readOnly": false, "secretId": "AKIDipcBadInput00000000000000000002", "secretKey": "k".repeat(32), "token": null}}),
            "name",
        ),
        (
            "create_profile",
            json!({"input": {"name": "ok", "site": {"type": "china"}, "defaultRegion": "Guangzhou!", "language": "en-US", "budget": {"type": "current"}, "readOnly": false, "secretId": "AKIDipcBadInput00000000000000000002", "secretKey": "k".repeat(32), "token": null}}),
            "defaultRegion",
        ),
        (
            "create_profile",
            json!({"input": {"name": "ok", "site": {"type": "china"}, "defaultRegion": "ap-guangzhou", "language": "en-US", "budget": {"type": "current"}, "readOnly": false, "secretId": "not-a-secret-id", "secretKey": "k".repeat(32), "token": null}}),
            "secretId",
        ),
        (
            "create_profile",
            json!({"input": {"name": CLOUD_NAME, "site": {"type": "china"}, "defaultRegion": "ap-guangzhou", "language": "en-US", "budget": {"type": "current"}, "readOnly": false, "secretId": "AKIDipcBadInput00000000000000000002", "secretKey": "k".repeat(32), "token": null}}),
            "name",
        ),
        // Listing and settings.
        (
            "stream_instances",
            json!({"profileId": sb, "regions": [], "zone": null, "slot": "main", "onEvent": CHANNEL}),
            "regions",
        ),
        (
            "stream_instances",
            json!({"profileId": sb, "regions": ["ap-guangzhou"], "zone": null, "slot": "", "onEvent": CHANNEL}),
            "slot",
        ),
        (
            "stream_instances",
            json!({"profileId": sb, "regions": ["ap-guangzhou", "ap-shanghai"], "zone": "ap-guangzhou-3", "slot": "main", "onEvent": CHANNEL}),
            "zone",
        ),
        (
            "stream_instances",
            json!({"profileId": sb, "regions": "ap-guangzhou", "zone": null, "slot": "main", "onEvent": CHANNEL}),
            "regions",
        ),
        (
            "stream_fleet",
            json!({"targets": [], "slot": "fleet", "onEvent": CHANNEL}),
            "targets",
        ),
        (
            "stream_fleet",
            json!({"targets": [{"profileId": sb, "regions": null}, {"profileId": sb, "regions": null}], "slot": "fleet", "onEvent": CHANNEL}),
            "targets",
        ),
        (
            "stream_fleet",
            json!({"targets": [{"profileId": sb, "regions": ["../etc"]}], "slot": "fleet", "onEvent": CHANNEL}),
            "targets",
        ),
        (
            "stream_fleet",
            json!({"targets": [{"profileId": sb, "regions": []}], "slot": "fleet", "onEvent": CHANNEL}),
            "regions",
        ),
        (
            "stream_fleet",
            json!({"targets": null, "slot": "", "onEvent": CHANNEL}),
            "slot",
        ),
        (
            "stream_fleet",
            json!({"targets": [{"profileId": "p-nobody", "regions": null}], "slot": "fleet", "onEvent": CHANNEL}),
            "profileId",
        ),
        (
            "cached_fleet",
            json!({"targets": [{"profileId": "NOT AN ID", "regions": null}]}),
            "targets",
        ),
        (
            "list_zones",
            json!({"scope": {"profile": sb, "region": "../etc"}, "language": "en-US"}),
            "scope.region",
        ),
        (
            "set_enabled_regions",
            json!({"profileId": sb, "regions": ["NOT A REGION"]}),
            "regions",
        ),
        // Billable: the accepted price is a number, and only that price is paid.
        (
            "renew_instances",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceIds": [ins], "period": 0, "acceptedPrice": 1.0}),
            "period",
        ),
        (
            "renew_instances",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceIds": [ins], "period": 1, "acceptedPrice": "1.0"}),
            "acceptedPrice",
        ),
        (
            "change_bandwidth",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceId": ins, "bandwidthMbps": 5, "onChange": CHANNEL}),
            "acceptedPrice",
        ),
        (
            "resize_instance",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceId": ins, "instanceType": "", "stopPlan": "stopFirst", "acceptedPrice": 1.0, "onChange": CHANNEL}),
            "instanceType",
        ),
        (
            "resize_instance",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceId": "i-bad", "instanceType": "S5.MEDIUM4", "stopPlan": "stopFirst", "acceptedPrice": 1.0, "onChange": CHANNEL}),
            "instanceId",
        ),
        (
            "describe_instance",
            json!({"scope": {"profile": "Not An Id!", "region": "ap-guangzhou"}, "instanceId": ins}),
            "scope.profile",
        ),
        // The scope: both parts, and no other shape.
        (
            "describe_instance",
            json!({"scope": {"profile": sb}, "instanceId": ins}),
            "scope",
        ),
        (
            "describe_instance",
            json!({"profileId": sb, "region": "ap-guangzhou", "instanceId": ins}),
            "scope",
        ),
        (
            "list_key_pairs",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou", "zone": "ap-guangzhou-3"}}),
            "scope",
        ),
        (
            "list_key_pairs",
            json!({"scope": "sandbox/ap-guangzhou"}),
            "scope",
        ),
        (
            "list_addresses",
            json!({"scope": {"profile": "p-nobody", "region": "ap-guangzhou"}}),
            "profileId",
        ),
        // Wire enums: Tencent's spelling only.
        (
            "set_renew_flag",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceIds": [ins], "renewFlag": "AUTO"}),
            "renewFlag",
        ),
        (
            "change_to_prepaid",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceIds": [ins], "period": 1, "renewFlag": "notify_and_auto_renew", "acceptedPrice": 1.0}),
            "renewFlag",
        ),
        (
            "wizard_zones",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "chargeType": "MONTHLY", "language": "en-US"}),
            "chargeType",
        ),
        (
            "wizard_instance_types",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "zone": "ap-guangzhou-3", "chargeType": "PREPAID", "language": "fr-FR"}),
            "language",
        ),
        (
            "list_regions",
            json!({"profileId": sb, "language": "en"}),
            "language",
        ),
        ("set_ui_language", json!({"language": "de"}), "language"),
        // Resources: the typed name of what goes.
        (
            "delete_launch_template",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "templateId": "lt-aaaaaaaa", "confirm": "lt-bbbbbbbb"}),
            "confirm",
        ),
        (
            "delete_launch_template",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "templateId": "lt-aaaaaaaa", "confirm": ""}),
            "confirm",
        ),
        (
            "delete_tccli_credential",
            json!({"profile": "default", "confirm": "/etc/passwd"}),
            "confirm",
        ),
        (
            "release_address",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "addressId": "eip-aaaaaaaa", "confirm": ""}),
            "confirm",
        ),
        (
            "delete_key_pair",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "keyId": "skey-aaaaaaaa", "confirm": ""}),
            "confirm",
        ),
        (
            "delete_image",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "imageId": "img-aaaaaaaa", "confirm": ""}),
            "confirm",
        ),
        (
            "delete_security_group",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "securityGroupId": "sg-aaaaaaaa", "confirm": ""}),
            "confirm",
        ),
        (
            "create_role_profile",
            json!({"input": {"name": "Ops", "baseProfileId": sb, "roleArn": "ops-role", "sessionName": "desk", "durationSeconds": 3600, "readOnly": false}}),
            "roleArn",
        ),
        (
            "create_role_profile",
            json!({"input": {"name": "Ops", "baseProfileId": sb, "roleArn": "qcs::cam::uin/100000000002:roleName/fleet-operator", "sessionName": "a b", "durationSeconds": 3600, "readOnly": false}}),
            "sessionName",
        ),
        (
            "profile_identity",
            json!({"profileId": "no-such-profile"}),
            "profileId",
        ),
        (
            "set_instance_tags",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceIds": ["ins-aaaaaaaa"], "tags": [{"key": "k".repeat(128), "value": "v"}]}),
            "tags.0.key",
        ),
        (
            "set_instance_tags",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceIds": ["ins-aaaaaaaa"], "tags": [{"key": "env", "value": "a*b"}]}),
            "tags.0.value",
        ),
        (
            "remove_instance_tags",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceIds": ["ins-aaaaaaaa"], "keys": ["env"], "consent": {"instanceIds": [], "typed": null, "stopType": null, "stoppedMode": null}}),
            "consent",
        ),
    ]
}

#[test]
fn bad_input_is_refused_naming_the_field_with_nothing_sent() {
    let h = harness();
    let profiles_before = h.profiles_json();
    let mut wrong = Vec::new();
    for (cmd, args, field) in cases() {
        let before = h.calls();
        match h.invoke(cmd, args.clone()) {
            Ok(v) => wrong.push(format!("{cmd} {args}: accepted ({v})")),
            Err(e) => {
                if !names_field(&e, field) {
                    wrong.push(format!("{cmd} {args}: refused without naming {field}: {e}"));
                }
            }
        }
        if h.calls() != before {
            wrong.push(format!("{cmd} {args}: {} call(s) sent", h.calls() - before));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert_eq!(h.profiles_json(), profiles_before, "nothing was written");
    // Nothing was unlocked or deleted on the way.
    let p = h.state.profile(CLOUD_ID).unwrap();
    assert!(
        !h.state.is_writable(&p),
        "the read-only profile stays locked"
    );
}

/// The counter the cases rely on does see calls: a read through the same handler counts.
#[test]
fn the_activity_count_sees_a_call_that_is_sent() {
    let h = harness();
    let before = h.calls();
    let regions = h
        .invoke(
            "list_regions",
            json!({"profileId": SANDBOX_ID, "language": "en-US"}),
        )
        .unwrap();
    assert!(
        regions.as_array().is_some_and(|r| !r.is_empty()),
        "{regions}"
    );
    assert!(h.calls() > before);
}

/// The confirmations that pass: the same commands, confirmed as the dialogs confirm.
#[test]
fn confirmed_commands_go_ahead() {
    let h = harness();
    let view = h
        .invoke(
            "set_profile_unlocked",
            json!({"id": CLOUD_ID, "unlocked": true, "confirm": CLOUD_ID}),
        )
        .unwrap();
    assert!(view.to_string().contains(CLOUD_ID));
    let p = h.state.profile(CLOUD_ID).unwrap();
    assert!(h.state.is_writable(&p));
    // Locking again needs no confirmation.
    h.invoke(
        "set_profile_unlocked",
        json!({"id": CLOUD_ID, "unlocked": false, "confirm": null}),
    )
    .unwrap();
    assert!(!h.state.is_writable(&h.state.profile(CLOUD_ID).unwrap()));
    h.invoke("reset_sandbox", json!({"confirm": SANDBOX_ID}))
        .unwrap();
    h.invoke(
        "delete_profile",
        json!({"id": CLOUD_ID, "confirmName": format!(" {CLOUD_NAME} ")}),
    )
    .unwrap();
    assert!(h.state.profile(CLOUD_ID).is_err());
    assert!(!h.profiles_json().contains(CLOUD_ID));
}
