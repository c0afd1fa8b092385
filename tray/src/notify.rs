//! Native notifications: the words come from the core (`Notice`), this builds the notification
//! and hands it to the platform ([`crate::platform`]) to show, on the app's runtime. Clicking
//! one (where the platform reports it: D-Bus servers with actions, Windows toasts) opens the
//! explainer.

use gatewatch_core::notice::Notice;
#[cfg(not(target_os = "macos"))]
use gatewatch_core::notice::Urgency;
use gatewatch_core::text::{self, Lang};
use tokio::sync::mpsc;

use crate::event::Event;
use crate::platform;

pub async fn deliver(n: Notice, lang: Lang, events: mpsc::Sender<Event>) {
    let mut note = notify_rust::Notification::new();
    note.appname("Gatewatch")
        .summary(&n.title)
        .body(&n.body)
        .action("default", &text::open_gatewatch(lang));
    // macOS has no urgency (its notifications have none to set).
    #[cfg(not(target_os = "macos"))]
    note.urgency(match n.urgency {
        Urgency::Critical => notify_rust::Urgency::Critical,
        Urgency::Normal => notify_rust::Urgency::Normal,
    });
    platform::show(note, n.kind, events).await;
}
