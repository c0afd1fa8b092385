//! Logs with `tracing`: a daily file (`explainer.log`, beside the tray's `gatewatch.log`) in the
//! platform's log directory, and the console with `--verbose`. `RUST_LOG` refines the filter.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter, Layer};

/// Start logging. Keep the guard alive for as long as logs should be flushed.
pub fn init(dir: Option<&Path>, verbose: bool) -> Option<WorkerGuard> {
    let filter = || EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let (file_layer, guard) = match dir.map(|d| (d, std::fs::create_dir_all(d))) {
        Some((d, Ok(()))) => {
            let (writer, guard) = tracing_appender::non_blocking(tracing_appender::rolling::daily(
                d,
                "explainer.log",
            ));
            (
                Some(
                    fmt::layer()
                        .with_ansi(false)
                        .with_writer(writer)
                        .with_filter(filter()),
                ),
                Some(guard),
            )
        }
        _ => (None, None),
    };
    let console = verbose.then(|| {
        fmt::layer()
            .with_writer(std::io::stderr)
            .with_filter(filter())
    });
    if tracing_subscriber::registry()
        .with(file_layer)
        .with(console)
        .try_init()
        .is_err()
    {
        eprintln!("gatewatch: logging was already set up");
    }
    guard
}
