//! The tray on Linux: a StatusNotifierItem (the freedesktop/KDE tray protocol) over D-Bus, with
//! ksni, on the app's own tokio runtime. No GTK and no thread of its own: the icon is sent as
//! pixels (`IconPixmap`), the menu as dbusmenu, and the panel draws both.
//!
//! Unlike AppIndicator, the protocol carries a tooltip and a left click (`Activate`), which opens
//! the explainer. Callbacks only post an event to the app; the app sends back a new
//! [`TrayModel`] when something changed, and ksni tells the panel what did.

use ksni::menu::{CheckmarkItem, StandardItem, SubMenu};
use ksni::{MenuItem, TrayMethods as _};
use tokio::sync::{mpsc, watch};

use crate::event::Event;
use crate::icons;
use crate::menu::{self, Entry, TrayEvent, TrayModel};

/// Panels pick the size they need; these cover 16 px panels up to HiDPI ones.
const SIZES: [u32; 6] = [16, 22, 24, 32, 48, 64];

struct Sni {
    model: TrayModel,
    events: mpsc::Sender<Event>,
}

impl Sni {
    fn send(&self, e: TrayEvent) {
        if let Err(err) = self.events.try_send(Event::Tray(e)) {
            tracing::warn!("tray event {e:?} dropped: {err}");
        }
    }
}

/// The tooltip's text may carry a little HTML for some panels: ours is text, so escape it.
fn escape_markup(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// In dbusmenu labels an underscore marks the access key; ours are literal.
fn escape_mnemonics(s: &str) -> String {
    s.replace('_', "__")
}

fn to_ksni(e: Entry) -> MenuItem<Sni> {
    match e {
        Entry::Item { id, label, enabled } => StandardItem {
            label: escape_mnemonics(&label),
            enabled,
            activate: Box::new(move |t: &mut Sni| t.send(TrayEvent::Menu(id))),
            ..Default::default()
        }
        .into(),
        Entry::Check { id, label, checked } => CheckmarkItem {
            label: escape_mnemonics(&label),
            checked,
            activate: Box::new(move |t: &mut Sni| t.send(TrayEvent::Menu(id))),
            ..Default::default()
        }
        .into(),
        Entry::Submenu { label, entries } => SubMenu {
            label: escape_mnemonics(&label),
            submenu: entries.into_iter().map(to_ksni).collect(),
            ..Default::default()
        }
        .into(),
        Entry::Separator => MenuItem::Separator,
    }
}

impl ksni::Tray for Sni {
    fn id(&self) -> String {
        "gatewatch".into()
    }

    fn title(&self) -> String {
        "Gatewatch".into()
    }

    fn category(&self) -> ksni::Category {
        ksni::Category::ApplicationStatus
    }

    fn icon_pixmap(&self) -> Vec<ksni::Icon> {
        SIZES
            .iter()
            .map(|&size| ksni::Icon {
                width: size as i32,
                height: size as i32,
                data: icons::render_argb(self.model.look, size),
            })
            .collect()
    }

    fn tool_tip(&self) -> ksni::ToolTip {
        ksni::ToolTip {
            title: escape_markup(&self.model.tooltip_title),
            description: escape_markup(&self.model.tooltip_body),
            ..Default::default()
        }
    }

    fn activate(&mut self, _x: i32, _y: i32) {
        self.send(TrayEvent::Activate);
    }

    fn menu(&self) -> Vec<MenuItem<Self>> {
        menu::entries(&self.model)
            .into_iter()
            .map(to_ksni)
            .collect()
    }

    fn watcher_online(&self) {
        tracing::info!("a tray host appeared; the icon is shown");
    }

    fn watcher_offline(&self, reason: ksni::OfflineReason) -> bool {
        // Keep the item: the panel may restart, and ksni registers again when it is back.
        tracing::warn!("no tray host ({reason:?}); waiting for one");
        true
    }
}

/// Show the tray and keep it in step with `model` until the app drops its end.
pub async fn run(mut model: watch::Receiver<TrayModel>, events: mpsc::Sender<Event>) {
    let first = model.borrow_and_update().clone();
    let tray = Sni {
        model: first,
        events,
    };
    // A panel started after us (or restarted) still gets the icon: ksni waits for the watcher.
    let handle = match tray.assume_sni_available(true).spawn().await {
        Ok(h) => h,
        Err(e) => {
            tracing::error!("no tray icon (D-Bus session bus unavailable?): {e}");
            return;
        }
    };
    while model.changed().await.is_ok() {
        let next = model.borrow_and_update().clone();
        if handle.update(|t| t.model = next).await.is_none() {
            tracing::error!("the tray service stopped");
            return;
        }
    }
    handle.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_stays_text() {
        assert_eq!(
            escape_markup("<b>502 & co</b>"),
            "&lt;b&gt;502 &amp; co&lt;/b&gt;"
        );
        assert_eq!(escape_mnemonics("no_such_file"), "no__such__file");
    }
}
