//! Start at login, without Tauri, one way per platform (in [`crate::platform`]): an XDG
//! autostart entry on Linux, the per-user `Run` key on Windows (never the machine-wide one),
//! a LaunchAgent on macOS.

#[derive(Debug, thiserror::Error)]
pub enum AutostartError {
    #[error("cannot tell where this program is: {0}")]
    Exe(std::io::Error),
    #[cfg(target_os = "linux")]
    #[error("no config directory (neither XDG_CONFIG_HOME nor HOME is set)")]
    NoConfigDir,
    #[cfg(target_os = "linux")]
    #[error("cannot update {path}: {source}")]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[cfg(windows)]
    #[error("cannot update the registry key HKEY_CURRENT_USER\\{key}: {source}")]
    Registry { key: String, source: std::io::Error },
    #[cfg(target_os = "macos")]
    #[error("{0}")]
    Launcher(#[from] auto_launch::Error),
}

/// Make the login item exist (`on`) or not.
pub use crate::platform::set_autostart as set;
