//! Linux and macOS: Gatewatch never installs itself here. A package manager brings new versions
//! to the .deb and .rpm installed from Gatewatch's repositories (never dpkg or rpm run by
//! Gatewatch), and the release page to everything else; the menu says which.

use std::path::{Path, PathBuf};

/// No download is ever made here.
pub fn downloads_dir() -> Option<PathBuf> {
    None
}

pub fn clear_downloads(_: &Path) {}

pub fn start_installer(_: &Path) -> std::io::Result<tokio::process::Child> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "Gatewatch does not install itself on this system",
    ))
}
