//! Native notifications: the words come from the core (`Notice`), this only shows them, on the
//! app's runtime. Clicking one (where the notification server supports actions) opens the
//! explainer: the task waits for the click or the close, then ends.

use gatewatch_core::notice::{Notice, Urgency};
use gatewatch_core::text::{self, Lang};
use tokio::sync::mpsc;

use crate::app::Event;

/// How long a notification's click still opens the explainer.
#[cfg(all(unix, not(target_os = "macos")))]
const CLICK_WAIT: std::time::Duration = std::time::Duration::from_secs(3600);

pub async fn deliver(n: Notice, lang: Lang, events: mpsc::Sender<Event>) {
    let mut note = notify_rust::Notification::new();
    note.appname("Gatewatch")
        .summary(&n.title)
        .body(&n.body)
        .action("default", text::open_gatewatch(lang))
        .urgency(match n.urgency {
            Urgency::Critical => notify_rust::Urgency::Critical,
            Urgency::Normal => notify_rust::Urgency::Normal,
        });
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        let handle = match note.show_async().await {
            Ok(h) => h,
            Err(e) => {
                tracing::warn!("cannot show a notification: {e}");
                return;
            }
        };
        tracing::info!(kind = n.kind, title = %n.title, "notified");
        let mut clicked = false;
        // Servers that keep notifications in a drawer may never close them: stop listening
        // (and let the D-Bus connection go) after a while.
        let waited = tokio::time::timeout(
            CLICK_WAIT,
            handle.wait_for_action_async(|r| {
                clicked = matches!(r, notify_rust::NotificationResponse::Default)
                    || matches!(r, notify_rust::NotificationResponse::Action(a) if a == "default");
            }),
        )
        .await;
        if waited.is_err() {
            tracing::debug!(kind = n.kind, "no longer waiting for a click");
        }
        if clicked && events.send(Event::NotificationClicked).await.is_err() {
            tracing::debug!("a notification was clicked while the app was stopping");
        }
    }
    // Elsewhere showing blocks, and clicks are not reported back.
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    {
        drop(events);
        match tokio::task::spawn_blocking(move || note.show().map(drop)).await {
            Ok(Ok(())) => tracing::info!(kind = n.kind, title = %n.title, "notified"),
            Ok(Err(e)) => tracing::warn!("cannot show a notification: {e}"),
            Err(e) => tracing::warn!("the notification task failed: {e}"),
        }
    }
}
