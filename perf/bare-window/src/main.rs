//! The smallest Tauri app: one window showing a static page. scripts/perf starts it the
//! way it starts CVM Console (through tauri-driver) and waits for `#ready`.
fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .expect("error while running the bare window");
}
