//! The app's side of the "operation finished" notification (`console::watch`): the main
//! window's focus and tauri-plugin-notification. Under the e2e there may be no
//! notification daemon: failing to notify is logged by the caller and harmless.

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
