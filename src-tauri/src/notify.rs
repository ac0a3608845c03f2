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
    /// invoke on a click on its body (`desktop` below). Elsewhere the notification plugin
    /// shows it without a click.
    fn notify(&self, open: AlertOpen, title: &str, body: &str) {
        #[cfg(all(unix, not(target_os = "macos")))]
        {
            let label = if crate::console::watch::ui_zh() {
                "打开"
            } else {
                "Open"
            };
            let app = self.0.clone();
            let shown = desktop::show(title, body, label, move || open_instance(&app, open));
            if let Err(e) = shown {
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

/// Alert notifications over the session bus (the Desktop Notifications spec). Every
/// notification goes out on one connection, and one thread reads the server's
/// ActionInvoked and NotificationClosed signals for all of them (a server sends them to
/// the connection that asked): a click runs that notification's action, a close forgets
/// it. However many alerts fire, that is one thread, and nothing waits on a closed one.
#[cfg(all(unix, not(target_os = "macos")))]
mod desktop {
    use std::collections::BTreeMap;
    use std::sync::{Mutex, OnceLock};
    use zbus::blocking::{Connection, MessageIterator};

    const NAME: &str = "org.freedesktop.Notifications";
    const PATH: &str = "/org/freedesktop/Notifications";
    /// Notifications remembered for a click at most; the oldest is closed beyond this.
    const KEPT: usize = 64;

    type Action = Box<dyn FnOnce() + Send>;

    struct Bus {
        conn: Connection,
        /// Notification id → what its click does (ids grow, so the first is the oldest).
        pending: Mutex<BTreeMap<u32, Action>>,
    }

    fn pending(bus: &Bus) -> std::sync::MutexGuard<'_, BTreeMap<u32, Action>> {
        bus.pending.lock().unwrap_or_else(|p| p.into_inner())
    }

    static BUS: OnceLock<Result<&'static Bus, String>> = OnceLock::new();

    fn bus() -> Result<&'static Bus, String> {
        BUS.get_or_init(|| {
            let conn = Connection::session().map_err(|e| e.to_string())?;
            let rule = zbus::MatchRule::builder()
                .msg_type(zbus::message::Type::Signal)
                .interface(NAME)
                .and_then(|r| r.path(PATH))
                .map_err(|e| e.to_string())?
                .build();
            let signals = MessageIterator::for_match_rule(rule, &conn, Some(64))
                .map_err(|e| e.to_string())?;
            let bus: &'static Bus = Box::leak(Box::new(Bus {
                conn,
                pending: Mutex::new(BTreeMap::new()),
            }));
            std::thread::Builder::new()
                .name("alert-notifications".into())
                .spawn(move || listen(bus, signals))
                .map_err(|e| e.to_string())?;
            Ok(bus)
        })
        .clone()
    }

    fn listen(bus: &'static Bus, signals: MessageIterator) {
        for msg in signals.flatten() {
            let header = msg.header();
            match header.member().map(|m| m.as_str()) {
                Some("ActionInvoked") => {
                    let Ok((id, action)) = msg.body().deserialize::<(u32, String)>() else {
                        continue;
                    };
                    // Taken out first: the click runs without the lock held.
                    let run = (action == "default")
                        .then(|| pending(bus).remove(&id))
                        .flatten();
                    if let Some(run) = run {
                        run();
                    }
                }
                Some("NotificationClosed") => {
                    if let Ok((id, _reason)) = msg.body().deserialize::<(u32, u32)>() {
                        pending(bus).remove(&id);
                    }
                }
                _ => {}
            }
        }
    }

    /// Shows a notification whose click (its "default" action, labelled `label`) runs
    /// `on_click` once.
    pub fn show(
        title: &str,
        body: &str,
        label: &str,
        on_click: impl FnOnce() + Send + 'static,
    ) -> Result<(), String> {
        let bus = bus()?;
        let hints: std::collections::HashMap<&str, zbus::zvariant::Value<'_>> =
            std::collections::HashMap::new();
        let reply = bus
            .conn
            .call_method(
                Some(NAME),
                PATH,
                Some(NAME),
                "Notify",
                &(
                    "CVM Console",
                    0u32,
                    "",
                    title,
                    body,
                    vec!["default", label],
                    hints,
                    -1i32,
                ),
            )
            .map_err(|e| e.to_string())?;
        let id: u32 = reply.body().deserialize().map_err(|e| e.to_string())?;
        let oldest = {
            let mut p = pending(bus);
            p.insert(id, Box::new(on_click));
            if p.len() > KEPT {
                p.pop_first().map(|(id, _)| id)
            } else {
                None
            }
        };
        if let Some(old) = oldest {
            // Its click could no longer be honoured: take it off the screen too.
            let _ =
                bus.conn
                    .call_method(Some(NAME), PATH, Some(NAME), "CloseNotification", &(old,));
        }
        Ok(())
    }
}

pub fn install_alerts<R: Runtime>(app: &AppHandle<R>, alerts: &Alerts) {
    alerts.set_notifier(std::sync::Arc::new(AlertDesktop(app.clone())));
}
