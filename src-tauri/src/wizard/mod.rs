//! The instance creation wizard (issue 7): catalog queries, the `LaunchSpec` and its
//! authoritative validation, live prices, DryRun, submission through a pending-operations
//! journal (one ClientToken per submission, written before the request, resumed after a
//! crash), and billing operations on existing instances. Tauri-free: the commands in
//! `commands/wizard.rs` are thin wrappers, and the tests run against an in-process cvm-sim.

pub mod billing;
pub mod catalog;
pub mod journal;
pub mod launch;
pub mod price;
pub mod spec;

#[cfg(test)]
mod tests;
