use std::process::Command;

include!("src/command_names.rs");

fn main() {
    // The commit shown in the About panel; "unknown" outside a git checkout (a source tarball).
    let commit = Command::new("git")
        .args(["rev-parse", "--short=10", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=CVM_CONSOLE_COMMIT={commit}");
    println!("cargo:rerun-if-changed=../.git/HEAD");
    println!("cargo:rerun-if-changed=../.git/refs/heads");
    println!("cargo:rerun-if-changed=src/command_names.rs");

    // With an app manifest every command needs an `allow-<name>` permission in a
    // capability, so a capability file says exactly which commands a window may call.
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMAND_NAMES));
    tauri_build::try_build(attributes).expect("tauri-build failed");
}
