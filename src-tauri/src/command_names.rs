// The app's IPC commands by name, shared by build.rs (the app manifest that makes each
// command need an explicit permission in capabilities/) and by a test that checks this
// list against the one `lib.rs` registers and exports.
pub const COMMAND_NAMES: &[&str] = &[
    "app_info",
    "list_profiles",
    "dismiss_corrupt_notice",
    "set_active_profile",
    "keyring_status",
    "create_profile",
    "update_profile",
    "verify_profile",
    "delete_profile",
    "set_profile_unlocked",
    "import_candidates",
    "import_profile",
    "delete_tccli_credential",
    "reset_sandbox",
];
