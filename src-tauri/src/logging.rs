//! Logs go to stderr and to a daily-rotated file in the platform's app log directory
//! (seven files kept). Level from `CVM_CONSOLE_LOG` (an `EnvFilter` string), default info.
//! Nothing logged anywhere in the app may contain a secret: credential types redact
//! themselves, and request logging records action, region and RequestId, never headers.

use std::path::Path;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::{EnvFilter, fmt, layer::SubscriberExt, util::SubscriberInitExt};

/// Returns the guard that flushes the file writer; keep it alive for the app's lifetime.
pub fn init(log_dir: &Path) -> Result<WorkerGuard, Box<dyn std::error::Error>> {
    std::fs::create_dir_all(log_dir)?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("cvm-console")
        .filename_suffix("log")
        .max_log_files(7)
        .build(log_dir)?;
    let (file, guard) = tracing_appender::non_blocking(appender);
    let filter =
        EnvFilter::try_from_env("CVM_CONSOLE_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::registry()
        .with(filter)
        .with(fmt::layer().with_writer(std::io::stderr))
        .with(fmt::layer().with_ansi(false).with_writer(file))
        .try_init()?;
    Ok(guard)
}
