//! What each platform's web engine needs before a window can open, checked first so that the
//! explainer says so in one line (which the tray shows in its menu) instead of panicking:
//! WebKitGTK needs a display; WebView2 needs Microsoft's WebView2 Runtime (Windows 11 has it,
//! Windows 10 usually, Wine never); macOS's WKWebView is always there.

/// Where to get the WebView2 Runtime (Microsoft's Evergreen bootstrapper).
#[cfg(windows)]
pub const WEBVIEW2_URL: &str = "https://go.microsoft.com/fwlink/p/?LinkId=2124703";

#[cfg(all(unix, not(target_os = "macos")))]
pub fn can_open_a_window() -> Result<(), String> {
    if ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .all(|k| std::env::var_os(k).is_none_or(|v| v.is_empty()))
    {
        return Err(
            "no display to open a window on (DISPLAY and WAYLAND_DISPLAY are unset)".into(),
        );
    }
    Ok(())
}

#[cfg(windows)]
pub fn can_open_a_window() -> Result<(), String> {
    match tauri::webview_version() {
        Ok(_) => Ok(()),
        Err(_) => Err(format!(
            "the WebView2 Runtime is missing; install it from {WEBVIEW2_URL}"
        )),
    }
}

#[cfg(target_os = "macos")]
pub fn can_open_a_window() -> Result<(), String> {
    Ok(())
}
