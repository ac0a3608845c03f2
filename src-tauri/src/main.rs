// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    cvm_console::platform::apply_webkit_workarounds();
    cvm_console::run();
}
