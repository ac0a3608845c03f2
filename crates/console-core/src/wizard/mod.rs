//! The instance creation wizard: catalog queries, the `LaunchSpec` and its
//! authoritative validation, live prices, DryRun, submission through a pending-operations
//! journal (one ClientToken per submission, written before the request, resumed after a
//! crash), billing operations on existing instances, launch templates, "buy the same"
//! drafts and the cost view. Tauri-free: the commands in
//! `commands/wizard.rs` are thin wrappers, and the tests run against an in-process cvm-sim.

pub mod billing;
pub mod catalog;
pub mod cost;
pub mod draft;
// The launch journal lives below the wizard (the app state holds it); its old path stays.
pub use crate::journal;
pub mod launch;
pub mod price;
pub mod spec;
pub mod templates;

#[cfg(test)]
mod tests;
