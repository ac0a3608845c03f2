// The app's IPC commands by name, shared by build.rs (the app manifest that makes each
// command need an explicit permission in capabilities/) and by a test that checks this
// list against the one `lib.rs` registers and exports.
pub const COMMAND_NAMES: &[&str] = &["app_info"];
