//! What each platform's web engine needs before a window can open, checked first so that the
//! explainer says so in one line (which the tray reads, and says in its menu in the user's
//! language: the lines begin with the core's `ipc::NO_DISPLAY`, `ipc::NO_WEBVIEW2`) instead of
//! panicking:
//! WebKitGTK needs a display; WebView2 needs Microsoft's WebView2 Runtime (Windows 11 has it,
//! Windows 10 usually, Wine never); macOS's WKWebView is always there.
//!
//! And how the process ends once its window has gone ([`leave`]).

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

/// End the process once the window is gone and the log is flushed. On Linux without the C
/// runtime's teardown: WebKitGTK's and Mesa's exit handlers sometimes crash there (SIGSEGV
/// after the window has already closed; seen in our desktop test, and reported for other
/// WebKitGTK apps, e.g. martinkoutecky/tine#28, Kesomannen/gale#612), which the tray would
/// then rightly report as "the details window stopped". Nothing is left to tear down by then.
#[cfg(all(unix, not(target_os = "macos")))]
pub fn leave(code: i32) -> ! {
    use std::io::Write as _;
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    // SAFETY: `_exit` ends the process at once; it touches no Rust state.
    unsafe { libc::_exit(code) }
}

/// Elsewhere the normal exit: WebView2 and WKWebView tear down cleanly.
#[cfg(not(all(unix, not(target_os = "macos"))))]
pub fn leave(code: i32) -> ! {
    std::process::exit(code)
}
