//! macOS: tray-icon on tao's event loop ([`crate::native`]), notifications through
//! mac-notification-sys (no click reported back), a LaunchAgent for start at login, `open`.
//!
//! Type-checked on Linux (`scripts/macos`), built and run only by the release workflow.

use tokio::sync::mpsc;

use crate::app;
use crate::autostart::AutostartError;
use crate::event::Event;

pub use super::unix::{quit_requests, signal_of};

pub fn run(rt: tokio::runtime::Runtime, opts: app::Options) -> Result<(), app::StartError> {
    crate::native::run(rt, opts)
}

pub fn opener(url: &str) -> tokio::process::Command {
    let mut c = tokio::process::Command::new("open");
    c.arg(url);
    c
}

/// Showing blocks there, and clicks are not reported back.
pub async fn show(
    note: notify_rust::Notification,
    kind: &'static str,
    events: mpsc::Sender<Event>,
) {
    drop(events);
    let title = note.summary.clone();
    match tokio::task::spawn_blocking(move || note.show().map(drop)).await {
        Ok(Ok(())) => tracing::info!(kind, %title, "notified"),
        Ok(Err(e)) => tracing::warn!("cannot show a notification: {e}"),
        Err(e) => tracing::warn!("the notification task failed: {e}"),
    }
}

/// A LaunchAgent (`~/Library/LaunchAgents`), through the auto-launch crate: per user.
pub fn set_autostart(on: bool) -> Result<(), AutostartError> {
    let exe = std::env::current_exe().map_err(AutostartError::Exe)?;
    let launcher = auto_launch::AutoLaunchBuilder::new()
        .set_app_name("Gatewatch")
        .set_app_path(&exe.to_string_lossy())
        .set_macos_launch_mode(auto_launch::MacOSLaunchMode::LaunchAgent)
        .build()?;
    if launcher.is_enabled()? == on {
        return Ok(());
    }
    if on {
        launcher.enable()?;
    } else {
        launcher.disable()?;
    }
    Ok(())
}
