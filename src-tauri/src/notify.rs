//! The app's side of desktop notifications: "operation finished" (`console::watch`: the
//! main window's focus and tauri-plugin-notification) and alerts (`console::alerts`: a
//! click opens the instance). Without a notification daemon, failing to notify is logged
//! and harmless.

use crate::console::alerts::engine::{AlertNotifier, AlertOpen, Alerts};
use crate::console::watch::{Attention, Notice};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;

struct AppAttention<R: Runtime>(AppHandle<R>);

impl<R: Runtime> Attention for AppAttention<R> {
    fn window_focused(&self) -> bool {
        // No window (or no answer) counts as not focused: the user cannot see the list.
        self.0
            .get_webview_window("main")
            .and_then(|w| w.is_focused().ok())
            .unwrap_or(false)
    }

    fn notify(&self, notice: &Notice) -> Result<(), String> {
        self.0
            .notification()
            .builder()
            .title(&notice.title)
            .body(&notice.body)
            .show()
            .map_err(|e| e.to_string())
    }
}

pub fn install<R: Runtime>(app: &AppHandle<R>) {
    crate::console::watch::set_attention(Box::new(AppAttention(app.clone())));
}

// ---------------------------------------------------------------- alerts

/// Where a click on an alert's notification goes: the UI's channel, registered when it
/// starts (`commands::alerts::alert_clicks`).
static OPEN: std::sync::Mutex<Option<tauri::ipc::Channel<AlertOpen>>> = std::sync::Mutex::new(None);

pub fn set_open_channel(ch: tauri::ipc::Channel<AlertOpen>) {
    *OPEN.lock().unwrap_or_else(|p| p.into_inner()) = Some(ch);
}

/// Brings the window forward (restored when minimised, shown when hidden) on the
/// instance's detail view.
fn open_instance<R: Runtime>(app: &AppHandle<R>, open: AlertOpen) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
    if let Some(ch) = OPEN.lock().unwrap_or_else(|p| p.into_inner()).as_ref()
        && let Err(e) = ch.send(open)
    {
        tracing::warn!("alert click: the window did not take it: {e}");
    }
}

struct AlertDesktop<R: Runtime>(AppHandle<R>);

impl<R: Runtime> AlertNotifier for AlertDesktop<R> {
    /// Always notifies (an alert matters whether or not the window has focus). On Linux
    /// and the BSDs the notification carries the spec's "default" action, which servers
    /// invoke on a click on its body; a thread waits for it (until the notification is
    /// closed or expires). Elsewhere the notification plugin shows it without a click.
    fn notify(&self, open: AlertOpen, title: &str, body: &str) {
        #[cfg(all(unix, not(target_os = "macos")))]
        {
            let app = self.0.clone();
            let (title, body) = (title.to_owned(), body.to_owned());
            let label = if crate::console::watch::ui_zh() {
                "打开"
            } else {
                "Open"
            };
            let spawned = std::thread::Builder::new()
                .name("alert-notification".into())
                .spawn(move || {
                    let shown = notify_rust::Notification::new()
                        .appname("CVM Console")
                        .summary(&title)
                        .body(&body)
                        .action("default", label)
                        .show();
                    match shown {
                        Ok(handle) => handle.wait_for_action(|action| {
                            if action == "default" {
                                open_instance(&app, open);
                            }
                        }),
                        Err(e) => tracing::warn!("alert notification not shown: {e}"),
                    }
                });
            if let Err(e) = spawned {
                tracing::warn!("alert notification not shown: {e}");
            }
        }
        #[cfg(not(all(unix, not(target_os = "macos"))))]
        {
            let _ = open;
            if let Err(e) = self
                .0
                .notification()
                .builder()
                .title(title)
                .body(body)
                .show()
            {
                tracing::warn!("alert notification not shown: {e}");
            }
        }
    }
}

pub fn install_alerts<R: Runtime>(app: &AppHandle<R>, alerts: &Alerts) {
    alerts.set_notifier(std::sync::Arc::new(AlertDesktop(app.clone())));
}
