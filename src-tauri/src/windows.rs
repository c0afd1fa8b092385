//! Windows are created on demand and destroyed when closed, so an idle Gatewatch holds no
//! WebKit process. Closing the last window never quits the app (see `lib.rs`).

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, WebviewUrl, WebviewWindowBuilder};

pub const EXPLAINER: &str = "explainer";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Page {
    Status,
    Settings,
}

impl Page {
    fn fragment(self) -> &'static str {
        match self {
            Page::Status => "status",
            Page::Settings => "settings",
        }
    }
}

/// Show the explainer on `page`, creating its window if needed. Errors are logged: this runs
/// from menu and notification callbacks, where there is nobody to return them to.
pub fn open(app: &AppHandle, page: Page) {
    if let Some(w) = app.get_webview_window(EXPLAINER) {
        if let Err(e) = w
            .unminimize()
            .and_then(|_| w.show())
            .and_then(|_| w.set_focus())
        {
            tracing::warn!("cannot raise the explainer: {e}");
        }
        if let Err(e) = w.emit("gatewatch://page", page) {
            tracing::warn!("cannot switch the explainer's page: {e}");
        }
        return;
    }
    let url = WebviewUrl::App(format!("index.html#{}", page.fragment()).into());
    let built = WebviewWindowBuilder::new(app, EXPLAINER, url)
        .title("Gatewatch")
        .inner_size(560.0, 760.0)
        .min_inner_size(360.0, 420.0)
        .build();
    if let Err(e) = built {
        tracing::error!("cannot open the explainer: {e}");
    }
}
