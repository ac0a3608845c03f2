//! Platform quirks, each guarded and documented in the README.

/// WebKitGTK's DMA-BUF renderer shows a blank or flickering window on NVIDIA's
/// proprietary driver, especially under Wayland. The known fix is
/// `WEBKIT_DISABLE_DMABUF_RENDERER=1`, which must be set before WebKit starts. Setting
/// environment variables in-process is unsafe in a threaded program (and this crate
/// forbids `unsafe`), so when the fix is needed we re-execute ourselves with it set.
/// Opt out with `CVM_CONSOLE_NO_WEBKIT_WORKAROUND=1`; an explicit user setting of the
/// variable is always respected.
#[cfg(target_os = "linux")]
pub fn apply_webkit_workarounds() {
    use std::os::unix::process::CommandExt;
    const VAR: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";
    if std::env::var_os("CVM_CONSOLE_NO_WEBKIT_WORKAROUND").is_some()
        || std::env::var_os(VAR).is_some()
        || !std::path::Path::new("/proc/driver/nvidia/version").exists()
    {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let err = std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env(VAR, "1")
        .exec();
    // exec only returns on failure; carry on without the workaround.
    eprintln!("cvm-console: could not re-execute with {VAR}=1: {err}");
}

#[cfg(not(target_os = "linux"))]
pub fn apply_webkit_workarounds() {}
