//! Platform quirks, each guarded and documented in the README.

/// Environment WebKitGTK reads once, at start-up, that this machine needs.
///
/// - `WEBKIT_DISABLE_DMABUF_RENDERER=1` on NVIDIA's proprietary driver: WebKitGTK's
///   DMA-BUF renderer shows a blank or flickering window there (worst under Wayland).
/// - `WEBKIT_DISABLE_COMPOSITING_MODE=1` when there is no GPU render node
///   (`/dev/dri/renderD*`): virtual machines, remote desktops, containers, Xvfb. WebKit
///   would composite every frame through OpenGL, which Mesa then emulates on the CPU
///   (llvmpipe). Measured on our 2-core build machine with 10,000 rows listed: typing in
///   the filter kept both cores busy (llvmpipe threads took 57 % of the web process's CPU
///   samples) and answered a keystroke in 180 ms (p50); painting without compositing
///   answered in 96 ms and halved the CPU used (docs/PERFORMANCE.md).
///
/// A variable the user set is never overridden.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn webkit_env(
    nvidia_driver: bool,
    gpu_render_node: bool,
    user_set: impl Fn(&str) -> bool,
) -> Vec<(&'static str, &'static str)> {
    let mut env = Vec::new();
    if nvidia_driver {
        env.push(("WEBKIT_DISABLE_DMABUF_RENDERER", "1"));
    }
    if !gpu_render_node {
        env.push(("WEBKIT_DISABLE_COMPOSITING_MODE", "1"));
    }
    env.retain(|(k, _)| !user_set(k));
    env
}

/// Whether the kernel offers a GPU render node (what Mesa needs for hardware OpenGL).
#[cfg(target_os = "linux")]
fn has_render_node() -> bool {
    std::fs::read_dir("/dev/dri").is_ok_and(|dir| {
        dir.flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    })
}

/// Applies [`webkit_env`]. The variables must be set before WebKit starts; setting them
/// in-process is unsafe in a threaded program (and this crate forbids `unsafe`), so when
/// any is needed we re-execute ourselves once with them set. Opt out with
/// `CVM_CONSOLE_NO_WEBKIT_WORKAROUND=1`.
#[cfg(target_os = "linux")]
pub fn apply_webkit_workarounds() {
    use std::os::unix::process::CommandExt;
    if std::env::var_os("CVM_CONSOLE_NO_WEBKIT_WORKAROUND").is_some() {
        return;
    }
    let env = webkit_env(
        std::path::Path::new("/proc/driver/nvidia/version").exists(),
        has_render_node(),
        |k| std::env::var_os(k).is_some(),
    );
    if env.is_empty() {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let err = std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .envs(env.iter().copied())
        .exec();
    // exec only returns on failure; carry on without the workaround.
    eprintln!("cvm-console: could not re-execute with {env:?}: {err}");
}

#[cfg(not(target_os = "linux"))]
pub fn apply_webkit_workarounds() {}

#[cfg(test)]
mod tests {
    use super::webkit_env;

    #[test]
    fn a_machine_with_a_gpu_and_no_nvidia_driver_needs_nothing() {
        assert!(webkit_env(false, true, |_| false).is_empty());
    }

    #[test]
    fn software_rendering_turns_compositing_off_and_nvidia_turns_dmabuf_off() {
        assert_eq!(
            webkit_env(false, false, |_| false),
            [("WEBKIT_DISABLE_COMPOSITING_MODE", "1")]
        );
        assert_eq!(
            webkit_env(true, true, |_| false),
            [("WEBKIT_DISABLE_DMABUF_RENDERER", "1")]
        );
        assert_eq!(webkit_env(true, false, |_| false).len(), 2);
    }

    #[test]
    fn a_variable_the_user_set_is_left_alone() {
        // Already set (by the user, or by our own first start): no re-execution.
        assert!(webkit_env(true, false, |_| true).is_empty());
        assert_eq!(
            webkit_env(true, false, |k| k == "WEBKIT_DISABLE_DMABUF_RENDERER"),
            [("WEBKIT_DISABLE_COMPOSITING_MODE", "1")]
        );
    }
}
