//! The explainer's one window. It is created when the process starts and the process ends when
//! it closes (Tauri exits with its last window), so memory goes back to the system with it.

use gatewatch_core::ipc::Page;
use tauri::{AppHandle, Emitter, Manager, WebviewUrl, WebviewWindowBuilder};

pub const EXPLAINER: &str = "explainer";
pub const PAGE_EVENT: &str = "gatewatch://page";

/// Create the window on `page`, titled `title`.
pub fn open(app: &AppHandle, page: Page, title: &str) -> tauri::Result<()> {
    let url = WebviewUrl::App(format!("index.html#{}", page.as_str()).into());
    WebviewWindowBuilder::new(app, EXPLAINER, url)
        .title(title)
        .inner_size(560.0, 760.0)
        .min_inner_size(360.0, 420.0)
        .build()
        .map(drop)
}

/// Bring the window forward on `page` (the tray was asked for the explainer while it is open).
/// Errors are logged: this runs from the session task, where there is nobody to return them to.
pub fn show(app: &AppHandle, page: Page) {
    let Some(w) = app.get_webview_window(EXPLAINER) else {
        return;
    };
    if let Err(e) = w
        .unminimize()
        .and_then(|_| w.show())
        .and_then(|_| w.set_focus())
    {
        tracing::warn!("cannot raise the explainer: {e}");
    }
    if let Err(e) = w.emit(PAGE_EVENT, page) {
        tracing::warn!("cannot switch the explainer's page: {e}");
    }
}

pub fn set_title(app: &AppHandle, title: &str) {
    if let Some(w) = app.get_webview_window(EXPLAINER) {
        if let Err(e) = w.set_title(title) {
            tracing::warn!("cannot set the window's title: {e}");
        }
    }
}
