//! Windows: the installer is downloaded into the user's local app data
//! (`%LOCALAPPDATA%\app.gatewatch.desktop\updates`, beside the logs), verified there by the core,
//! and started as the user, silently and as an update: `/S /update` — Gatewatch's NSIS
//! installer then asks the running Gatewatch to quit (`gatewatch-app --quit`), waits for its
//! programs to exit, refuses a version older than the installed one, replaces the programs
//! (keeping the start-at-login value, the shortcut, settings and history) and starts the new
//! version (packaging/windows/gatewatch.nsi).

use std::path::{Path, PathBuf};
use std::process::Stdio;

/// The desktop app's identifier, which names its folder in local app data.
const IDENTIFIER: &str = "app.gatewatch.desktop";
/// The installer's switches: silent, and an update (see gatewatch.nsi).
pub const INSTALLER_ARGS: [&str; 2] = ["/S", "/update"];

pub fn downloads_dir() -> Option<PathBuf> {
    std::env::var_os("LOCALAPPDATA")
        .filter(|v| !v.is_empty())
        .map(|d| PathBuf::from(d).join(IDENTIFIER).join("updates"))
}

/// Remove what earlier updates left (each download is removed only once it has been replaced;
/// a running installer keeps its own file open, so it stays).
pub fn clear_downloads(dir: &Path) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if let Err(err) = std::fs::remove_file(e.path()) {
            tracing::debug!("cannot remove {}: {err}", e.path().display());
        }
    }
}

pub fn start_installer(path: &Path) -> std::io::Result<tokio::process::Child> {
    tokio::process::Command::new(path)
        .args(INSTALLER_ARGS)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        // It outlives us: it is what replaces us.
        .kill_on_drop(false)
        .spawn()
}
