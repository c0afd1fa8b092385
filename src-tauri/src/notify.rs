//! Native notifications: the words come from the core (`Notice`), this only shows them.
//! Clicking one (where the notification server supports actions) opens the explainer.

use gatewatch_core::notice::{Notice, Urgency};
use tauri::AppHandle;

use crate::windows::{self, Page};

/// Show a notice without blocking the caller; a thread waits for its click.
pub fn show(app: &AppHandle, n: Notice) {
    let app = app.clone();
    let spawned = std::thread::Builder::new()
        .name("notification".into())
        .spawn(move || {
            let mut note = notify_rust::Notification::new();
            note.appname("Gatewatch")
                .summary(&n.title)
                .body(&n.body)
                .action("default", "Open Gatewatch")
                .urgency(match n.urgency {
                    Urgency::Critical => notify_rust::Urgency::Critical,
                    Urgency::Normal => notify_rust::Urgency::Normal,
                });
            match note.show() {
                Ok(handle) => {
                    tracing::info!(kind = n.kind, title = %n.title, "notified");
                    #[cfg(all(unix, not(target_os = "macos")))]
                    handle.wait_for_action(|action| {
                        if action == "default" {
                            windows::open(&app, Page::Status);
                        }
                    });
                    #[cfg(not(all(unix, not(target_os = "macos"))))]
                    drop((handle, app));
                }
                Err(e) => tracing::warn!("cannot show a notification: {e}"),
            }
        });
    if let Err(e) = spawned {
        tracing::warn!("cannot start a notification thread: {e}");
    }
}
