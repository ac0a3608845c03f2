//! CVM Console's core: everything the console does that is not Tauri. Profiles and their
//! secrets in the OS keyring, listing and lifecycle actions, the creation wizard and
//! billing, resources, the Sandbox, and the checks every command makes (input, consent,
//! price). The app crate (`src-tauri`) keeps only setup, thin IPC commands, platform
//! quirks and plugins; this crate builds and tests without WebKit.

pub mod accounts;
pub mod activity;
pub mod boot;
pub mod connect;
pub mod consent;
pub mod console;
pub mod error;
pub mod fsutil;
pub mod journal;
pub mod locks;
pub mod profiles;
pub mod resources;
pub mod roles;
pub mod sandbox;
pub mod secrets;
pub mod state;
pub mod tccli;
pub mod types;
pub mod views;
pub mod wizard;
