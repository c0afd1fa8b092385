//! What the UI and the tray read: one snapshot (the core's [`View`]), written only by the
//! monitor bridge.

use std::sync::{Mutex, RwLock};

use gatewatch_core::driver::Command;
use gatewatch_core::monitor::Status;
use gatewatch_core::settings::Settings;
use gatewatch_core::text::Lang;
pub use gatewatch_core::view::{HistoryView, View};
use tokio::sync::mpsc;

/// Managed state: the way in (commands to the monitor task) and the way out (the snapshot).
pub struct Shared {
    pub commands: mpsc::Sender<Command>,
    pub view: RwLock<View>,
    pub settings: Mutex<Settings>,
    pub lang: RwLock<Lang>,
}

impl Shared {
    pub fn view(&self) -> View {
        self.view.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Put the confirmed status into the view, worded in `lang`.
    pub fn set_status(&self, status: Status, lang: Lang) {
        self.update_view(|v| v.set_status(status, lang));
    }

    pub fn update_view(&self, f: impl FnOnce(&mut View)) {
        f(&mut self.view.write().unwrap_or_else(|p| p.into_inner()));
    }

    pub fn lang(&self) -> Lang {
        *self.lang.read().unwrap_or_else(|p| p.into_inner())
    }

    pub fn settings(&self) -> Settings {
        self.settings
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}
