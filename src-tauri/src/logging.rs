//! Logs go to stderr and to a daily-rotated file in the platform's app log directory
//! (seven files kept). Level from `CVM_CONSOLE_LOG` (an `EnvFilter` string), default info.
//! Nothing logged anywhere in the app may contain a secret: credential types redact
//! themselves, and request logging records action, region and RequestId, never headers.

use std::path::Path;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::{EnvFilter, fmt, layer::SubscriberExt, util::SubscriberInitExt};

/// The file layer's field formatter: the default one under a type of its own. Two layers
/// with the same formatter type share one formatted copy of each span's fields, and a
/// field recorded later is then appended to it twice (`attempt=1 attempt=1`).
#[derive(Default)]
struct FileFields(fmt::format::DefaultFields);

impl<'w> fmt::FormatFields<'w> for FileFields {
    fn format_fields<R: tracing_subscriber::field::RecordFields>(
        &self,
        writer: fmt::format::Writer<'w>,
        fields: R,
    ) -> std::fmt::Result {
        self.0.format_fields(writer, fields)
    }
}

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
    subscriber(filter, std::io::stderr, file).try_init()?;
    Ok(guard)
}

/// Everything logged goes to both writers: the terminal's and the file's.
fn subscriber<A, B>(filter: EnvFilter, terminal: A, file: B) -> impl tracing::Subscriber
where
    A: for<'w> fmt::MakeWriter<'w> + Send + Sync + 'static,
    B: for<'w> fmt::MakeWriter<'w> + Send + Sync + 'static,
{
    tracing_subscriber::registry()
        .with(filter)
        .with(fmt::layer().with_writer(terminal))
        .with(
            fmt::layer()
                .with_ansi(false)
                .fmt_fields(FileFields::default())
                .with_writer(file),
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Buffer {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'w> fmt::MakeWriter<'w> for Buffer {
        type Writer = Buffer;
        fn make_writer(&'w self) -> Buffer {
            self.clone()
        }
    }

    impl Buffer {
        fn text(&self) -> String {
            String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
        }
    }

    #[test]
    fn a_field_recorded_later_is_written_once_to_each_writer() {
        let (terminal, file) = (Buffer::default(), Buffer::default());
        let sub = subscriber(EnvFilter::new("info"), terminal.clone(), file.clone());
        tracing::subscriber::with_default(sub, || {
            let span = tracing::info_span!("call", attempt = tracing::field::Empty);
            span.record("attempt", 1);
            let _e = span.enter();
            tracing::info!("call finished");
        });
        for (name, out) in [("terminal", terminal.text()), ("file", file.text())] {
            assert_eq!(out.matches("attempt").count(), 1, "{name}: {out}");
        }
    }
}
