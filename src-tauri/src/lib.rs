//! CVM Console's Tauri shell: setup, IPC commands and their TypeScript bindings.

mod command_names;
// The core's modules under their old paths: the commands and tests name them so.
pub use console_core::{
    accounts, boot, connect, consent, console, error, fsutil, profiles, resources, roles, sandbox,
    secrets, state, tccli, types, wizard,
};
pub mod commands;
pub mod logging;
mod notify;
pub mod platform;

pub use command_names::COMMAND_NAMES;
use tauri::Manager;

/// The single list of commands, expanded by `$m`: tauri-specta's `collect_commands` for
/// the app and its TypeScript bindings (with `$rt`, the runtime of the generic commands),
/// or Tauri's `generate_handler` for a handler on any runtime (which infers it).
macro_rules! app_commands {
    ($m:ident $(, $rt:ty)?) => {
        $m![
            commands::app_info$(::<$rt>)?,
            commands::profiles::list_profiles,
            commands::profiles::dismiss_corrupt_notice,
            commands::profiles::set_active_profile,
            commands::profiles::keyring_status,
            commands::profiles::create_profile,
            commands::profiles::update_profile,
            commands::profiles::verify_profile,
            commands::profiles::create_role_profile,
            commands::profiles::update_role_profile,
            commands::profiles::profile_identity,
            commands::profiles::delete_profile,
            commands::profiles::set_profile_unlocked,
            commands::profiles::import_candidates$(::<$rt>)?,
            commands::profiles::import_profile$(::<$rt>)?,
            commands::profiles::delete_tccli_credential$(::<$rt>)?,
            commands::profiles::reset_sandbox,
            commands::profiles::sandbox_clock,
            commands::profiles::let_sandbox_time_pass,
            commands::instances::list_regions,
            commands::instances::list_zones,
            commands::instances::list_instances,
            commands::instances::set_last_region,
            commands::instances::start_instances,
            commands::instances::stop_instances,
            commands::instances::reboot_instances,
            commands::instances::terminate_instances,
            commands::instances::terminate_quote,
            commands::instances::set_instance_tags,
            commands::instances::remove_instance_tags,
            commands::instances::stream_instances$(::<$rt>)?,
            commands::instances::cached_instances$(::<$rt>)?,
            commands::instances::stream_fleet$(::<$rt>)?,
            commands::instances::cached_fleet$(::<$rt>)?,
            commands::instances::enabled_regions$(::<$rt>)?,
            commands::instances::set_enabled_regions$(::<$rt>)?,
            commands::instances::export_instances$(::<$rt>)?,
            commands::instances::rename_instances,
            commands::instances::reset_instances_password,
            commands::instances::activity_log,
            commands::instances::activity_status,
            commands::resources::resize_options,
            commands::resources::resize_price,
            commands::resources::resize_instance,
            commands::resources::bandwidth_options,
            commands::resources::bandwidth_price,
            commands::resources::change_bandwidth,
            commands::resources::list_security_groups,
            commands::resources::security_group_detail,
            commands::resources::bind_security_group,
            commands::resources::unbind_security_group,
            commands::resources::list_addresses,
            commands::resources::allocate_address,
            commands::resources::associate_address,
            commands::resources::disassociate_address,
            commands::resources::release_address,
            commands::resources::list_key_pairs,
            commands::resources::create_key_pair$(::<$rt>)?,
            commands::resources::import_key_pair,
            commands::resources::delete_key_pair,
            commands::resources::list_images,
            commands::resources::bind_key_pair,
            commands::resources::unbind_key_pair,
            commands::resources::create_image,
            commands::resources::delete_image,
            commands::resources::create_security_group,
            commands::resources::delete_security_group,
            commands::resources::add_security_group_rule,
            commands::wizard::wizard_zones,
            commands::wizard::wizard_instance_types,
            commands::wizard::wizard_images,
            commands::wizard::wizard_networks,
            commands::wizard::wizard_key_pairs,
            commands::wizard::quote_launch,
            commands::wizard::preview_launch,
            commands::wizard::check_launch,
            commands::wizard::submit_launch,
            commands::journal::retry_launch,
            commands::journal::launch_records,
            commands::journal::drop_launch,
            commands::journal::startup_notices,
            commands::journal::dismiss_startup_notice,
            commands::wizard::launch_progress,
            commands::wizard::quote_to_prepaid,
            commands::wizard::change_to_prepaid,
            commands::wizard::quote_renew,
            commands::wizard::renew_instances,
            commands::wizard::set_renew_flag,
            commands::wizard::list_launch_templates,
            commands::wizard::save_launch_template,
            commands::wizard::launch_template_draft,
            commands::wizard::delete_launch_template,
            commands::wizard::same_configuration_draft,
            commands::wizard::cost_estimate,
            commands::detail::describe_instance,
            commands::detail::copy_text$(::<$rt>)?,
            commands::detail::set_ui_language,
            commands::metrics::instance_metrics,
            commands::metrics::cpu_sparklines,
            commands::alerts::list_alert_rules,
            commands::alerts::save_alert_rule,
            commands::alerts::delete_alert_rule,
            commands::alerts::firing_alerts,
            commands::alerts::alert_clicks,
            commands::views::list_views,
            commands::views::save_view,
            commands::views::rename_view,
            commands::views::delete_view,
            commands::views::import_local_views,
            commands::connect::open_session,
            commands::connect::open_host_session,
            commands::connect::pick_key_file$(::<$rt>)?,
            commands::connect::open_vnc_console$(::<$rt>)?,
            commands::connect::session_input,
            commands::connect::resize_session,
            commands::connect::close_session,
            commands::connect::forget_host_key,
            commands::connect::set_key_path,
            commands::connect::get_key_path,
            commands::connect::ssh_command,
            commands::connect::vnc_url,
        ]
    };
}

/// The commands, registered by `run` (`invoke_handler`) and exported as the TypeScript
/// bindings in `ui/src/backend/bindings.ts`.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    use tauri_specta::collect_commands;
    tauri_specta::Builder::<tauri::Wry>::new()
        .commands(app_commands!(collect_commands, tauri::Wry))
        // Every code the UI must translate, whether or not a command names it.
        .typ::<error::AppCode>()
        .disable_serde_phases()
}

/// The same commands as a plain Tauri handler on any runtime: the IPC tests run it on
/// Tauri's mock runtime, with the app's argument decoding and commands.
pub fn invoke_handler<R: tauri::Runtime>()
-> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
    use tauri::generate_handler;
    app_commands!(generate_handler)
}

/// Puts the core's state and the alert watcher into Tauri's managed state, where the
/// commands find them. The watcher is kept beside the state, not in it: it reads the state
/// on each pass, and the state has no reason to know it.
pub fn manage<R: tauri::Runtime>(
    app: &impl Manager<R>,
    state: std::sync::Arc<state::AppState>,
) -> std::sync::Arc<console::alerts::engine::Alerts> {
    let alerts = std::sync::Arc::new(console::alerts::engine::Alerts::new(&state.config_dir));
    app.manage(state);
    app.manage(alerts.clone());
    alerts
}

/// Where the committed bindings live, relative to this crate.
pub const BINDINGS_PATH: &str = "../ui/src/backend/bindings.ts";

/// Renders the TypeScript bindings to `path`.
pub fn export_bindings(path: &std::path::Path) -> Result<(), String> {
    let ts = specta_typescript::Typescript::default()
        .header("// Generated by tauri-specta from src-tauri/src/lib.rs. Do not edit: run `cargo run -p cvm-console --features custom-protocol --bin export-bindings`.\n// @ts-nocheck");
    specta_builder().export(ts, path).map_err(|e| e.to_string())
}

pub fn run() {
    let builder = specta_builder();
    tauri::Builder::default()
        // First: a second launch hands over to the running app (which comes to the front)
        // and exits, instead of racing it over profiles.json, the journal and the
        // Sandbox's world.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            focus_main_window(app);
        }))
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            // The main window as Tauri would create it from tauri.conf.json ("create":
            // false there), with the first screen's data in its document.
            let main = app
                .config()
                .app
                .windows
                .iter()
                .find(|w| w.label == "main")
                .cloned()
                .ok_or("tauri.conf.json has no main window")?;
            let handle = app.handle().clone();
            tauri::WebviewWindowBuilder::from_config(app.handle(), &main)?
                .on_web_resource_request(move |request, response| {
                    with_boot_data(&handle, &request, response)
                })
                .build()?;
            builder.mount_events(app);
            notify::install(app.handle());
            let log_dir = app.path().app_log_dir()?;
            match logging::init(&log_dir) {
                Ok(guard) => {
                    app.manage(guard);
                }
                Err(e) => eprintln!("cvm-console: file logging disabled: {e}"),
            }
            tracing::info!(
                version = env!("CARGO_PKG_VERSION"),
                commit = env!("CVM_CONSOLE_COMMIT"),
                "CVM Console starting"
            );
            let vault = secrets::Vault::native();
            let state = std::sync::Arc::new(state::AppState::new(
                app.path().app_config_dir()?,
                app.path().app_data_dir()?,
                vault,
            )?);
            let alerts = manage(app, state.clone());
            notify::install_alerts(app.handle(), &alerts);
            // The alert rules run in the background, whether or not the window is shown;
            // the first pass waits until the first screen has had its calls.
            tauri::async_runtime::spawn({
                let state = state.clone();
                async move {
                    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
                    alerts.run(state).await;
                }
            });
            // Pending launches: young ones of writable profiles are re-sent below (claimed
            // now, before the UI can list them); the rest wait for the user's decision.
            let resumable = wizard::launch::claim_auto_resume(
                &state.launches,
                wizard::launch::unix_now(),
                |id| state.profile(id).is_ok_and(|p| state.is_writable(&p)),
            );
            // Start the Sandbox now so the first screen does not wait for it.
            tauri::async_runtime::spawn(async move {
                if let Err(e) = state.sandbox().await {
                    tracing::error!(code = %e.code, "Sandbox: {}", e.message);
                }
                // The first screen lists the active profile: build its client (TLS roots,
                // keyring read) while the web view is still loading, not after it asks.
                let active = state.active_profile();
                if let Err(e) = state.client(&active).await {
                    tracing::debug!(code = %e.code, "client warm-up: {}", e.message);
                }
                // Finish launches a crash or exit interrupted (same ClientToken: no
                // second purchase).
                wizard::launch::resume_pending(&state.launches, resumable, |id| {
                    let state = state.clone();
                    async move {
                        let profile = state.profile(&id).ok()?;
                        state.client(&profile).await.ok()
                    }
                })
                .await;
            });
            Ok(())
        })
        .build(tauri::generate_context!())
        .expect("error while building CVM Console")
        .run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                save_sandbox_on_exit(app);
            }
        });
}

/// Puts the first screen's data (console-core `boot`) into the page's HTML as it is
/// served. The request comes after setup, so the state is there; if not, the page is
/// served as built and asks over IPC.
fn with_boot_data<R: tauri::Runtime>(
    app: &tauri::AppHandle<R>,
    request: &tauri::http::Request<Vec<u8>>,
    response: &mut tauri::http::Response<std::borrow::Cow<'static, [u8]>>,
) {
    let path = request.uri().path();
    let html = response
        .headers()
        .get(tauri::http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if !html || (path != "/" && path != "/index.html") {
        return;
    }
    let Some(state) = app.try_state::<std::sync::Arc<state::AppState>>() else {
        return;
    };
    let Ok(cache_dir) = app.path().app_cache_dir() else {
        return;
    };
    let data = boot::boot_data(&state, &cache_dir);
    if let Some(page) = boot::inject(response.body(), &data) {
        tracing::debug!(
            profiles = data.profiles.is_some(),
            cached = data.cached.as_ref().map_or(0, |c| c.instances.len()),
            "the first screen's data went with the page"
        );
        *response.body_mut() = std::borrow::Cow::Owned(page);
    }
}

fn focus_main_window<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
    if let Some(w) = app.webview_windows().values().next() {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

/// The Sandbox's world is saved periodically; this saves what changed since.
fn save_sandbox_on_exit<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
    let Some(state) = app.try_state::<std::sync::Arc<state::AppState>>() else {
        return;
    };
    if let Some(sandbox) = state.sandbox.get() {
        match sandbox.save() {
            Ok(()) => tracing::info!("Sandbox world saved on exit"),
            Err(e) => tracing::error!(code = %e.code, "{}", e.message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fails when someone changed a command without regenerating the bindings.
    #[test]
    fn committed_bindings_are_current() {
        let dir = std::env::temp_dir().join(format!("cvm-bindings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fresh = dir.join("bindings.ts");
        export_bindings(&fresh).unwrap();
        let fresh = std::fs::read_to_string(&fresh).unwrap();
        let committed = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(BINDINGS_PATH),
        )
        .unwrap_or_default();
        assert!(
            fresh == committed,
            "ui/src/backend/bindings.ts is stale: run `cargo run -p cvm-console --features custom-protocol --bin export-bindings`"
        );
    }

    /// Every code of ours has a translation in both UI catalogs, and the two catalogs
    /// have the same keys (a code the UI could not translate would show in English).
    #[test]
    fn every_app_code_is_translated() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/features/errors/i18n");
        let read = |lang: &str| -> std::collections::BTreeMap<String, String> {
            let text = std::fs::read_to_string(dir.join(format!("{lang}.json"))).unwrap();
            serde_json::from_str(&text).unwrap()
        };
        let (en, zh) = (read("en"), read("zh-CN"));
        assert_eq!(
            en.keys().collect::<Vec<_>>(),
            zh.keys().collect::<Vec<_>>(),
            "the catalogs differ"
        );
        let missing: Vec<&str> = error::AppCode::ALL
            .iter()
            .map(|c| c.as_str())
            .filter(|c| {
                let key = c.replace('.', "_");
                en.get(&key).is_none_or(|t| t.is_empty())
                    || zh.get(&key).is_none_or(|t| t.is_empty())
            })
            .collect();
        assert!(missing.is_empty(), "untranslated codes: {missing:?}");
        let unknown: Vec<&String> = en
            .keys()
            .filter(|k| {
                !error::AppCode::ALL
                    .iter()
                    .any(|c| c.as_str().replace('.', "_") == **k)
            })
            .collect();
        assert!(unknown.is_empty(), "translations of no code: {unknown:?}");
    }

    /// The manifest list (build.rs, capabilities) and the registered list must agree.
    #[test]
    fn command_names_match_registered_commands() {
        let dir = std::env::temp_dir().join(format!("cvm-bindings-names-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("bindings.ts");
        export_bindings(&path).unwrap();
        let ts = std::fs::read_to_string(&path).unwrap();
        let mut invoked: Vec<String> = ts
            .match_indices("__TAURI_INVOKE")
            .skip(1) // the import line
            .map(|(i, _)| {
                // `__TAURI_INVOKE("name"` or `__TAURI_INVOKE<T>("name"`
                let rest = &ts[i..];
                let rest = &rest[rest.find("(\"").unwrap() + 2..];
                rest[..rest.find('"').unwrap()].to_owned()
            })
            .collect();
        invoked.sort();
        let mut names: Vec<String> = COMMAND_NAMES.iter().map(|s| s.to_string()).collect();
        names.sort();
        assert_eq!(invoked, names);
    }

    /// Every command in the manifest is granted to the main window, and nothing else is.
    #[test]
    fn capability_grants_exactly_the_commands() {
        let cap: serde_json::Value =
            serde_json::from_str(include_str!("../capabilities/default.json")).unwrap();
        let mut granted: Vec<String> = cap["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_owned())
            .collect();
        granted.sort();
        let mut want: Vec<String> = COMMAND_NAMES
            .iter()
            .map(|n| format!("allow-{}", n.replace('_', "-")))
            .collect();
        want.sort();
        assert_eq!(granted, want);
    }
}
