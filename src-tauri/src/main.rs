// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// On Linux the app allocates through jemalloc, which returns freed memory to the system
/// (a background thread purges pages unused for a second). glibc's malloc kept 30–37 MiB
/// of a 30,000-row fleet listing's transient memory in its per-thread arenas for good
/// (docs/PERFORMANCE.md "The fleet table").
#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    cvm_console::platform::apply_webkit_workarounds();
    cvm_console::run();
}
