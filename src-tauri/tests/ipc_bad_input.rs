//! Bad input through the real IPC handler: what the UI would never send (empty, too long,
//! wrong type, malformed region, another profile's id, unconfirmed), sent as the JSON a
//! web view would send, to the very command handler the app registers, on Tauri's mock
//! runtime (no window: the handler, argument decoding and commands are the real ones).
//!
//! Each case must be refused naming the field at fault, with nothing sent to the API
//! (the activity log counts every call any client makes) and nothing written. The table
//! is mirrored in docs/SECURITY.md.

mod common;

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
    cvm_console::manage(&app, state.clone());
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
        // Letting the Sandbox's time pass: only the Sandbox, 1-720 hours, confirmed.
        (
            "let_sandbox_time_pass",
            json!({"profileId": CLOUD_ID, "hours": 24, "confirm": sb}),
            "profileId",
        ),
        (
            "let_sandbox_time_pass",
            json!({"profileId": "p-nobody", "hours": 24, "confirm": sb}),
            "profileId",
        ),
        (
            "let_sandbox_time_pass",
            json!({"profileId": "../sandbox", "hours": 24, "confirm": sb}),
            "profileId",
        ),
        (
            "let_sandbox_time_pass",
            json!({"profileId": sb, "hours": 0, "confirm": sb}),
            "hours",
        ),
        (
            "let_sandbox_time_pass",
            json!({"profileId": sb, "hours": 721, "confirm": sb}),
            "hours",
        ),
        (
            "let_sandbox_time_pass",
            json!({"profileId": sb, "hours": -1, "confirm": sb}),
            "hours",
        ),
        (
            "let_sandbox_time_pass",
            json!({"profileId": sb, "hours": "24", "confirm": sb}),
            "hours",
        ),
        (
            "let_sandbox_time_pass",
            json!({"profileId": sb, "hours": 24, "confirm": ""}),
            "confirm",
        ),
        (
            "let_sandbox_time_pass",
            json!({"profileId": sb, "hours": 24, "confirm": CLOUD_ID}),
            "confirm",
        ),
        (
            "let_sandbox_time_pass",
            json!({"profileId": sb, "hours": 24}),
            "confirm",
        ),
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
        // Tag conditions: checked by Tencent's tag rules before any account is listed.
        (
            "stream_fleet",
            json!({"targets": null, "slot": "fleet", "onEvent": CHANNEL, "tags": [{"key": "k".repeat(128), "value": null}]}),
            "tags.0.key",
        ),
        (
            "stream_fleet",
            json!({"targets": null, "slot": "fleet", "onEvent": CHANNEL, "tags": [{"key": "env", "value": "prod"}, {"key": "a*b", "value": null}]}),
            "tags.1.key",
        ),
        (
            "stream_fleet",
            json!({"targets": null, "slot": "fleet", "onEvent": CHANNEL, "tags": [{"key": "", "value": null}]}),
            "tags.0.key",
        ),
        (
            "stream_fleet",
            json!({"targets": null, "slot": "fleet", "onEvent": CHANNEL, "tags": [{"key": "qcs:owner", "value": null}]}),
            "tags.0.key",
        ),
        (
            "stream_fleet",
            json!({"targets": null, "slot": "fleet", "onEvent": CHANNEL, "tags": [{"key": "env", "value": ""}]}),
            "tags.0.value",
        ),
        (
            "stream_fleet",
            json!({"targets": null, "slot": "fleet", "onEvent": CHANNEL, "tags": [{"key": "env", "value": "v".repeat(256)}]}),
            "tags.0.value",
        ),
        (
            "stream_fleet",
            json!({"targets": null, "slot": "fleet", "onEvent": CHANNEL, "tags": (0..10).map(|i| json!({"key": format!("k{i}"), "value": null})).collect::<Vec<_>>()}),
            "tags",
        ),
        (
            "stream_fleet",
            json!({"targets": null, "slot": "fleet", "onEvent": CHANNEL, "tags": "env=prod"}),
            "tags",
        ),
        (
            "stream_fleet",
            json!({"targets": null, "slot": "fleet", "onEvent": CHANNEL, "tags": [{"value": "prod"}]}),
            "tags",
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
            "update_role_profile",
            json!({"profileId": "sandbox-fleet-operator", "input": {"name": "Ops", "baseProfileId": sb, "roleArn": "qcs::cam::uin/100000000003:roleName/fleet-auditor", "sessionName": "desk", "durationSeconds": 3600, "readOnly": false}}),
            "profileId",
        ),
        (
            "update_role_profile",
            json!({"profileId": sb, "input": {"name": "Ops", "baseProfileId": sb, "roleArn": "qcs::cam::uin/100000000002:roleName/fleet-operator", "sessionName": "desk", "durationSeconds": 3600, "readOnly": false}}),
            "profileId",
        ),
        (
            "update_role_profile",
            json!({"profileId": "no-such-profile", "input": {"name": "Ops", "baseProfileId": sb, "roleArn": "qcs::cam::uin/100000000002:roleName/fleet-operator", "sessionName": "desk", "durationSeconds": 3600, "readOnly": false}}),
            "profileId",
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
        // Connect: sessions, auth, jump hosts, host keys and key paths.
        (
            "open_session",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceId": "i-bad", "auth": {"method": "agent"}, "cols": 80, "rows": 24, "onEvent": CHANNEL}),
            "instanceId",
        ),
        (
            "open_session",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceId": ins, "auth": {"method": "password", "password": ""}, "cols": 80, "rows": 24, "onEvent": CHANNEL}),
            "password",
        ),
        (
            "open_session",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceId": ins, "auth": {"method": "keyFile", "keyFile": "/nonexistent/id_ed25519"}, "cols": 80, "rows": 24, "onEvent": CHANNEL}),
            "keyFile",
        ),
        (
            "open_session",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceId": ins, "auth": {"method": "keyFile", "keyFile": "id_ed25519"}, "cols": 80, "rows": 24, "onEvent": CHANNEL}),
            "keyFile",
        ),
        (
            "open_session",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceId": ins, "auth": {"method": "keyFile", "keyFile": "/etc/passwd", "passphrase": ""}, "cols": 80, "rows": 24, "onEvent": CHANNEL}),
            "passphrase",
        ),
        (
            "open_session",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceId": ins, "auth": {"method": "telepathy"}, "cols": 80, "rows": 24, "onEvent": CHANNEL}),
            "auth",
        ),
        (
            "open_session",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceId": ins, "auth": {"method": "agent"}, "cols": 0, "rows": 24, "onEvent": CHANNEL}),
            "cols",
        ),
        (
            "open_session",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceId": ins, "auth": {"method": "agent"}, "trust": "MD5:aa:bb", "cols": 80, "rows": 24, "onEvent": CHANNEL}),
            "trust",
        ),
        (
            "open_session",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceId": ins, "auth": {"method": "agent"}, "jump": {"endpoint": {"host": "", "port": 22, "user": "root"}, "auth": {"method": "agent"}}, "cols": 80, "rows": 24, "onEvent": CHANNEL}),
            "jump.host",
        ),
        (
            "open_session",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceId": ins, "auth": {"method": "agent"}, "jump": {"endpoint": {"host": "bastion", "port": 22, "user": "root"}, "auth": {"method": "password", "password": ""}}, "cols": 80, "rows": 24, "onEvent": CHANNEL}),
            "jump.password",
        ),
        (
            "open_session",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceId": ins, "auth": {"method": "agent"}, "jump": {"endpoint": {"host": "bastion", "port": 22, "user": "root"}, "instanceId": ins, "auth": {"method": "agent"}}, "cols": 80, "rows": 24, "onEvent": CHANNEL}),
            "jump",
        ),
        (
            "open_session",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceId": ins, "auth": {"method": "agent"}, "jump": {"endpoint": null, "instanceId": null, "auth": {"method": "agent"}}, "cols": 80, "rows": 24, "onEvent": CHANNEL}),
            "jump",
        ),
        (
            "open_session",
            json!({"scope": {"profile": "p-nobody", "region": "ap-guangzhou"}, "instanceId": ins, "auth": {"method": "agent"}, "cols": 80, "rows": 24, "onEvent": CHANNEL}),
            "profileId",
        ),
        (
            "session_input",
            json!({"sessionId": "ssh-999999", "data": "ls\r"}),
            "sessionId",
        ),
        (
            "session_input",
            json!({"sessionId": "ssh-1", "data": ""}),
            "data",
        ),
        (
            "resize_session",
            json!({"sessionId": "ssh-999999", "cols": 80, "rows": 24}),
            "sessionId",
        ),
        (
            "resize_session",
            json!({"sessionId": "ssh-1", "cols": 80, "rows": 100000}),
            "rows",
        ),
        (
            "close_session",
            json!({"sessionId": "ssh-999999"}),
            "sessionId",
        ),
        ("forget_host_key", json!({"host": "", "port": 22}), "host"),
        (
            "forget_host_key",
            json!({"host": "sandbox", "port": 0}),
            "port",
        ),
        (
            "set_key_path",
            json!({"keyId": "skey-bad!", "path": "/etc/passwd"}),
            "keyId",
        ),
        (
            "set_key_path",
            json!({"keyId": "skey-aaaaaaaa", "path": "/nonexistent/id_rsa"}),
            "path",
        ),
        ("get_key_path", json!({"keyId": ""}), "keyId"),
        (
            "ssh_command",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceId": ins, "jump": {"host": "bastion", "port": 22, "user": "-oProxyCommand=x"}}),
            "jump.user",
        ),
        (
            "ssh_command",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceId": ins, "keyId": "id_rsa"}),
            "keyId",
        ),
        (
            "vnc_url",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceId": "ins-"}),
            "instanceId",
        ),
        (
            "vnc_url",
            json!({"scope": {"profile": "p-nobody", "region": "ap-guangzhou"}, "instanceId": ins}),
            "profileId",
        ),
        // The VNC console: no address is asked for (and no window opened) on bad input.
        (
            "open_vnc_console",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceId": "ins-", "windowTitle": "VNC"}),
            "instanceId",
        ),
        (
            "open_vnc_console",
            json!({"scope": {"profile": sb, "region": "AP GUANGZHOU"}, "instanceId": ins, "windowTitle": "VNC"}),
            "scope.region",
        ),
        (
            "open_vnc_console",
            json!({"scope": {"profile": "p-nobody", "region": "ap-guangzhou"}, "instanceId": ins, "windowTitle": "VNC"}),
            "profileId",
        ),
        (
            "open_vnc_console",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceId": ins, "windowTitle": 7}),
            "windowTitle",
        ),
        (
            "open_vnc_console",
            json!({"scope": {"profile": sb, "region": "ap-guangzhou"}, "instanceId": ins}),
            "windowTitle",
        ),
        // The key file picker: no dialog opens for a title that is not text.
        ("pick_key_file", json!({"dialogTitle": 7}), "dialogTitle"),
        ("pick_key_file", json!({}), "dialogTitle"),
        // Alert rules: numbers as typed, checked in Rust; nothing is written.
        (
            "save_alert_rule",
            json!({"draft": alert("cpuAbove", "abc", "5", "", Some(json!({"kind": "profile", "profileId": sb, "regions": null})))}),
            "threshold",
        ),
        (
            "save_alert_rule",
            json!({"draft": alert("cpuAbove", "100", "5", "", Some(json!({"kind": "profile", "profileId": sb, "regions": null})))}),
            "threshold",
        ),
        (
            "save_alert_rule",
            json!({"draft": alert("cpuAbove", "80", "0", "", Some(json!({"kind": "profile", "profileId": sb, "regions": null})))}),
            "minutes",
        ),
        (
            "save_alert_rule",
            json!({"draft": alert("expiring", "", "", "0", Some(json!({"kind": "profile", "profileId": sb, "regions": null})))}),
            "days",
        ),
        (
            "save_alert_rule",
            json!({"draft": alert("leftRunning", "", "", "", None)}),
            "target",
        ),
        (
            "save_alert_rule",
            json!({"draft": alert("leftRunning", "", "", "", Some(json!({"kind": "profile", "profileId": "p-nobody", "regions": null})))}),
            "target",
        ),
        (
            "save_alert_rule",
            json!({"draft": alert("leftRunning", "", "", "", Some(json!({"kind": "profile", "profileId": sb, "regions": ["Mars 1"]})))}),
            "regions",
        ),
        // A number where the form sends text: refused while decoding, naming the argument.
        (
            "save_alert_rule",
            json!({"draft": {"id": null, "enabled": true, "kind": "cpuAbove", "threshold": 80, "minutes": "5", "days": "", "target": null}}),
            "draft",
        ),
        // Without the removal dialog's confirmation, or with another rule's: refused before
        // anything is looked up.
        ("delete_alert_rule", json!({"id": "rule-nobody"}), "confirm"),
        (
            "delete_alert_rule",
            json!({"id": "rule-nobody", "confirm": "rule-other"}),
            "confirm",
        ),
        (
            "delete_alert_rule",
            json!({"id": "rule-nobody", "confirm": "rule-nobody"}),
            "id",
        ),
        (
            "save_alert_rule",
            json!({"draft": alert("leftRunning", "", "", "", Some(json!({"kind": "view", "viewId": "view-nobody"})))}),
            "target",
        ),
        (
            "save_view",
            json!({"view": view("", json!(null), json!(null), "", "")}),
            "name",
        ),
        (
            "save_view",
            json!({"view": view(&"v".repeat(65), json!(null), json!(null), "", "")}),
            "name",
        ),
        (
            "save_view",
            json!({"view": view("web", json!([]), json!(null), "", "")}),
            "accounts",
        ),
        (
            "save_view",
            json!({"view": view("web", json!(["p-nobody"]), json!(null), "", "")}),
            "accounts",
        ),
        (
            "save_view",
            json!({"view": view("web", json!(null), json!(["Mars 1"]), "", "")}),
            "regions",
        ),
        (
            "save_view",
            json!({"view": view("web", json!(null), json!(null), "a*b", "")}),
            "tags",
        ),
        (
            "save_view",
            json!({"view": view("web", json!(null), json!(null), "", "running")}),
            "state",
        ),
        // Without a name: refused while decoding, naming the argument.
        (
            "save_view",
            json!({"view": {"accounts": null, "regions": null}}),
            "view",
        ),
        (
            "rename_view",
            json!({"id": "view-nobody", "name": "web"}),
            "id",
        ),
        ("delete_view", json!({"id": "view-nobody"}), "confirm"),
        (
            "delete_view",
            json!({"id": "view-nobody", "confirm": " "}),
            "confirm",
        ),
        (
            "delete_view",
            json!({"id": "view-nobody", "confirm": "view-nobody"}),
            "id",
        ),
        (
            "import_local_views",
            json!({"views": "all of them"}),
            "views",
        ),
    ]
}

/// Bad input to `open_host_session`, each beside a listener that would see any connection
/// (the host and port of every case point at it): (arguments, the field at fault).
fn host_session_cases(port: u16) -> Vec<(Value, &'static str)> {
    let host = |h: &str, p: u16, u: &str| json!({"host": h, "port": p, "user": u});
    let ok = host("127.0.0.1", port, "root");
    let agent = json!({"method": "agent"});
    let with = |host: Value, auth: Value, extra: Value| {
        let mut v = json!({"host": host, "auth": auth, "cols": 80, "rows": 24, "onEvent": CHANNEL});
        if let (Value::Object(m), Value::Object(e)) = (&mut v, extra) {
            m.extend(e);
        }
        v
    };
    vec![
        (
            with(host("", port, "root"), agent.clone(), json!({})),
            "host",
        ),
        (
            with(
                host("-oProxyCommand=x", port, "root"),
                agent.clone(),
                json!({}),
            ),
            "host",
        ),
        (
            with(
                host("root@127.0.0.1", port, "root"),
                agent.clone(),
                json!({}),
            ),
            "host",
        ),
        (
            with(host("127.0.0.1", 0, "root"), agent.clone(), json!({})),
            "port",
        ),
        (
            with(host("127.0.0.1", port, ""), agent.clone(), json!({})),
            "user",
        ),
        (
            with(
                host("127.0.0.1", port, "-oProxyCommand=x"),
                agent.clone(),
                json!({}),
            ),
            "user",
        ),
        (
            with(host("127.0.0.1", port, "a b"), agent.clone(), json!({})),
            "user",
        ),
        (
            with(
                ok.clone(),
                json!({"method": "password", "password": ""}),
                json!({}),
            ),
            "password",
        ),
        (
            with(
                ok.clone(),
                json!({"method": "keyFile", "keyFile": "id_ed25519"}),
                json!({}),
            ),
            "keyFile",
        ),
        (
            with(
                ok.clone(),
                json!({"method": "keyFile", "keyFile": "/nonexistent/id_rsa"}),
                json!({}),
            ),
            "keyFile",
        ),
        (
            with(
                ok.clone(),
                json!({"method": "keyFile", "keyFile": "/etc/hostname", "passphrase": ""}),
                json!({}),
            ),
            "passphrase",
        ),
        (
            with(ok.clone(), json!({"method": "telepathy"}), json!({})),
            "auth",
        ),
        (with(ok.clone(), agent.clone(), json!({"cols": 0})), "cols"),
        (
            with(ok.clone(), agent.clone(), json!({"rows": 100000})),
            "rows",
        ),
        (
            with(ok.clone(), agent.clone(), json!({"trust": "MD5:aa:bb"})),
            "trust",
        ),
        (
            with(
                ok.clone(),
                agent.clone(),
                json!({"jump": {"endpoint": host("", port, "root"), "auth": agent}}),
            ),
            "jump.host",
        ),
        (
            with(
                ok.clone(),
                agent.clone(),
                json!({"jump": {"instanceId": "ins-12345678", "auth": agent}}),
            ),
            "jump.instanceId",
        ),
        (
            with(
                ok.clone(),
                agent.clone(),
                json!({"jump": {"endpoint": host("127.0.0.1", 0, "root"), "auth": agent}}),
            ),
            "jump.port",
        ),
        (
            with(
                ok.clone(),
                agent.clone(),
                json!({"jump": {"endpoint": host("127.0.0.1", port, "root"), "auth": {"method": "password", "password": ""}}}),
            ),
            "jump.password",
        ),
        (
            json!({"auth": agent, "cols": 80, "rows": 24, "onEvent": CHANNEL}),
            "host",
        ),
        (with(json!("127.0.0.1"), agent, json!({})), "host"),
    ]
}

#[test]
fn a_bad_host_session_is_refused_naming_the_field_and_connects_nowhere() {
    let h = harness();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut wrong = Vec::new();
    for (args, field) in host_session_cases(port) {
        match h.invoke("open_host_session", args.clone()) {
            Ok(v) => wrong.push(format!("{args}: accepted ({v})")),
            Err(e) if !names_field(&e, field) => {
                wrong.push(format!("{args}: refused without naming {field}: {e}"));
            }
            Err(_) => {}
        }
        if let Ok((_, from)) = listener.accept() {
            wrong.push(format!("{args}: a connection was opened (from {from})"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert_eq!(h.calls(), 0, "no API call either");
    assert!(
        !h._dir.path().join("config").join("known_hosts").exists(),
        "no host key stored"
    );
}

fn view(name: &str, accounts: Value, regions: Value, tags: &str, state: &str) -> Value {
    json!({"name": name, "accounts": accounts, "regions": regions, "tags": tags, "text": "", "state": state})
}

fn alert(kind: &str, threshold: &str, minutes: &str, days: &str, target: Option<Value>) -> Value {
    json!({"id": null, "enabled": true, "kind": kind, "threshold": threshold, "minutes": minutes, "days": days, "target": target})
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
    for file in [
        "known_hosts",
        "ssh-key-paths.json",
        "alerts.json",
        "views.json",
    ] {
        assert!(
            !h._dir.path().join("config").join(file).exists(),
            "{file} was written"
        );
    }
    // Nothing was unlocked or deleted on the way.
    let p = h.state.profile(CLOUD_ID).unwrap();
    assert!(
        !h.state.is_writable(&p),
        "the read-only profile stays locked"
    );
}

/// Refused requests leave the Sandbox's clock where it was; a confirmed one moves it by
/// exactly the hours asked, and Reset puts it back.
#[test]
fn the_sandbox_clock_moves_only_when_confirmed() {
    let h = harness();
    let ahead = |h: &Harness| {
        h.invoke("sandbox_clock", json!({})).unwrap()["aheadSeconds"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(ahead(&h), 0);
    for args in [
        json!({"profileId": CLOUD_ID, "hours": 24, "confirm": SANDBOX_ID}),
        json!({"profileId": SANDBOX_ID, "hours": 721, "confirm": SANDBOX_ID}),
        json!({"profileId": SANDBOX_ID, "hours": 24, "confirm": "yes"}),
    ] {
        assert!(h.invoke("let_sandbox_time_pass", args).is_err());
    }
    assert_eq!(ahead(&h), 0, "a refused request moved the clock");
    let moved = h
        .invoke(
            "let_sandbox_time_pass",
            json!({"profileId": SANDBOX_ID, "hours": 48, "confirm": SANDBOX_ID}),
        )
        .unwrap();
    let by = moved["aheadSeconds"].as_i64().unwrap();
    // Exactly 48 hours ahead, give or take the second the clock ticked over.
    assert!((48 * 3600 - 1..=48 * 3600 + 1).contains(&by), "{moved}");
    assert!((ahead(&h) - by).abs() <= 1);
    // Reset undoes it, with the world.
    h.invoke("reset_sandbox", json!({"confirm": SANDBOX_ID}))
        .unwrap();
    assert_eq!(ahead(&h), 0);
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

/// A terminal session end to end on the app's own Sandbox (its SSH endpoint over
/// loopback, russh on both sides): first use asks, the accepted fingerprint logs in with
/// a password, typed input reaches the shell and `hostname` comes back through the
/// channel; closing ends the session. The channel is a Rust-side one (the mock runtime
/// has no web view to deliver a page's channel to); input and close go through the IPC
/// handler.
#[test]
fn a_password_session_to_a_sandbox_instance_prints_its_hostname() {
    use cvm_console::commands::connect::{AuthInput, OpenOutcome, open_session};
    use cvm_console::types::{InstanceId, Scope};
    use std::sync::Mutex;
    use tauri::ipc::{Channel, InvokeResponseBody};

    const PW: &str = "Connect-Pass1";
    let h = harness();
    let id = tauri::async_runtime::block_on(async {
        common::running_sandbox_instance(&h.state, PW, Some("ipc-connect-host")).await
    });

    let out = Arc::new(Mutex::new(String::new()));
    let open = |trust: Option<String>| {
        let sink = out.clone();
        // Output arrives as raw bytes; the end as JSON.
        let channel = Channel::new(move |body| {
            let mut o = sink.lock().unwrap();
            match body {
                InvokeResponseBody::Raw(bytes) => o.push_str(&String::from_utf8_lossy(&bytes)),
                InvokeResponseBody::Json(j) => o.push_str(&format!("<closed {j}>")),
            }
            Ok(())
        });
        let auth: AuthInput =
            serde_json::from_value(json!({"method": "password", "password": PW})).unwrap();
        let scope: Scope =
            serde_json::from_value(json!({"profile": SANDBOX_ID, "region": "ap-guangzhou"}))
                .unwrap();
        tauri::async_runtime::block_on(open_session(
            h._app.state(),
            scope,
            InstanceId::new(id.clone()).unwrap(),
            auth,
            None,
            trust,
            80,
            24,
            channel,
        ))
        .unwrap()
    };
    let known_hosts = h._dir.path().join("config").join("known_hosts");
    let fingerprint = match open(None) {
        OpenOutcome::HostKeyUnknown { host, fingerprint } => {
            assert_eq!(host, "sandbox");
            fingerprint
        }
        _ => panic!("expected the first-use question"),
    };
    assert!(
        !known_hosts.exists(),
        "nothing stored before the user's yes"
    );
    let session = match open(Some(fingerprint)) {
        OpenOutcome::Opened { session_id } => session_id,
        _ => panic!("expected a session"),
    };
    assert!(known_hosts.exists(), "the accepted key is stored");
    let wait_for = |what: &str| {
        for _ in 0..500 {
            if out.lock().unwrap().contains(what) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        panic!("{what:?} never came: {}", out.lock().unwrap());
    };
    h.invoke(
        "resize_session",
        json!({"sessionId": session, "cols": 120, "rows": 40}),
    )
    .unwrap();
    h.invoke(
        "session_input",
        json!({"sessionId": session, "data": "hostname\r"}),
    )
    .unwrap();
    wait_for("ipc-connect-host\r\n");
    h.invoke("close_session", json!({"sessionId": session}))
        .unwrap();
    wait_for("<closed {\"exitStatus\":");
    let gone = h
        .invoke(
            "session_input",
            json!({"sessionId": session, "data": "ls\r"}),
        )
        .unwrap_err();
    assert!(names_field(&gone, "sessionId"), "{gone}");
    assert!(h.state.ssh_sessions.lock().unwrap().is_empty());
}
