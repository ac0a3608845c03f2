//! The console: regions, zones, instance listing and lifecycle actions, the
//! status watcher and the activity log. Tauri-free, so it is
//! tested against an in-process cvm-sim without a window.

// The activity log and the saved views live below the console (the app state holds them);
// they are reached through the console too.
pub use crate::{activity, views};
pub mod alerts;
pub mod batch;
pub mod cache;
pub mod detail;
pub mod export;
pub mod filter;
pub mod fleet;
pub mod instances;
pub mod listing;
pub mod metrics;
pub mod settings;
pub mod tags;
pub mod watch;

#[cfg(test)]
mod fleet_tests;
#[cfg(test)]
mod list_tests;
#[cfg(test)]
mod tests;
