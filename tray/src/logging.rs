//! Logs with `tracing`: a daily file in the platform's log directory (the same one the Tauri
//! app used, so nobody has to look elsewhere), and the console with `--verbose`. `RUST_LOG`
//! refines the filter.
//!
//! The file is written directly, not through tracing-appender's background writer: that one
//! preallocates a queue for 128,000 lines (about 5 MB, resident) and a thread, for a process that
//! logs a few lines an hour.

use std::path::{Path, PathBuf};

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

/// Start logging.
pub fn init(dir: Option<&Path>, verbose: bool) {
    let filter = || EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let file_layer = match dir.map(|d| (d, std::fs::create_dir_all(d))) {
        Some((d, Ok(()))) => Some(
            fmt::layer()
                .with_ansi(false)
                .with_writer(tracing_appender::rolling::daily(d, "gatewatch.log"))
                .with_filter(filter()),
        ),
        _ => None,
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
}
