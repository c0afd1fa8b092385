//! Linux: the StatusNotifierItem tray ([`crate::sni`]) on the app's own runtime, notifications
//! over D-Bus with a click reported back, an XDG autostart entry, `xdg-open`.

use std::time::Duration;

use tokio::sync::mpsc;

use crate::app;
use crate::event::Event;

pub use super::unix::{quit_requests, signal_of};
pub use super::xdg_autostart::set as set_autostart;

/// How long a notification's click still opens the explainer.
const CLICK_WAIT: Duration = Duration::from_secs(3600);

pub fn run(rt: tokio::runtime::Runtime, opts: app::Options) -> Result<(), app::StartError> {
    rt.block_on(app::run(
        opts,
        Box::new(|model, events| Some(tokio::spawn(crate::sni::run(model, events)))),
    ))
}

pub fn opener(url: &str) -> tokio::process::Command {
    let mut c = tokio::process::Command::new("xdg-open");
    c.arg(url);
    c
}

/// Show `note`; if it is clicked within [`CLICK_WAIT`], tell the app.
pub async fn show(
    note: notify_rust::Notification,
    kind: &'static str,
    events: mpsc::Sender<Event>,
) {
    let handle = match note.show_async().await {
        Ok(h) => h,
        Err(e) => {
            tracing::warn!("cannot show a notification: {e}");
            return;
        }
    };
    tracing::info!(kind, title = %note.summary, "notified");
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
        tracing::debug!(kind, "no longer waiting for a click");
    }
    if clicked && events.send(Event::NotificationClicked).await.is_err() {
        tracing::debug!("a notification was clicked while the app was stopping");
    }
}
