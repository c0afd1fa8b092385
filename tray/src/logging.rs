//! Logs with `tracing`: a daily file in the platform's log directory (the same one the Tauri
//! app used, so nobody has to look elsewhere), and the console with `--verbose`. `RUST_LOG`
//! refines the filter.

use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter, Layer};

/// The desktop app's identifier (tauri.conf.json), which names its log directory.
const IDENTIFIER: &str = "app.gatewatch.desktop";

/// `~/.local/share/app.gatewatch.desktop/logs` (Linux), `~/Library/Logs/app.gatewatch.desktop`
/// (macOS), `%LOCALAPPDATA%\app.gatewatch.desktop\logs` (Windows): where Tauri puts app logs.
pub fn dir() -> Option<PathBuf> {
    let var = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if cfg!(target_os = "macos") {
        var("HOME").map(|h| h.join("Library/Logs").join(IDENTIFIER))
    } else if cfg!(windows) {
        var("LOCALAPPDATA").map(|d| d.join(IDENTIFIER).join("logs"))
    } else {
        var("XDG_DATA_HOME")
            .or_else(|| var("HOME").map(|h| h.join(".local/share")))
            .map(|d| d.join(IDENTIFIER).join("logs"))
    }
}

/// Start logging. Keep the guard alive for as long as logs should be flushed.
pub fn init(dir: Option<&Path>, verbose: bool) -> Option<WorkerGuard> {
    let filter = || EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let (file_layer, guard) = match dir.map(|d| (d, std::fs::create_dir_all(d))) {
        Some((d, Ok(()))) => {
            let (writer, guard) = tracing_appender::non_blocking(tracing_appender::rolling::daily(
                d,
                "gatewatch.log",
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
