//! What each platform's web engine needs before a window can open, checked first so that the
//! explainer says so in one line (which the tray reads, and says in its menu in the user's
//! language: the lines begin with the core's `ipc::NO_DISPLAY`, `ipc::NO_WEBVIEW2`) instead of
//! panicking:
//! WebKitGTK needs a display; WebView2 needs Microsoft's WebView2 Runtime (Windows 11 has it,
//! Windows 10 usually, Wine never); macOS's WKWebView is always there.

#[cfg(windows)]
use gatewatch_core::ipc::{NO_WEBVIEW2, WEBVIEW2_URL};

#[cfg(all(unix, not(target_os = "macos")))]
pub fn can_open_a_window() -> Result<(), String> {
    if ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .all(|k| std::env::var_os(k).is_none_or(|v| v.is_empty()))
    {
        return Err(format!(
            "{} (DISPLAY and WAYLAND_DISPLAY are unset)",
            gatewatch_core::ipc::NO_DISPLAY
        ));
    }
    Ok(())
}

#[cfg(windows)]
pub fn can_open_a_window() -> Result<(), String> {
    match tauri::webview_version() {
        Ok(_) => Ok(()),
        Err(_) => Err(format!("{NO_WEBVIEW2}; install it from {WEBVIEW2_URL}")),
    }
}

#[cfg(target_os = "macos")]
pub fn can_open_a_window() -> Result<(), String> {
    Ok(())
}
