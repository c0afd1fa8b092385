//! Windows: tray-icon on tao's event loop ([`crate::native`]); toasts (notify-rust's WinRT
//! backend) under Gatewatch's own AppUserModelID, a click on one opening the explainer; start
//! at login through the per-user `Run` key; links opened by the shell.
//!
//! Built on Linux with mingw and run under Wine by the test suite (`scripts/windows`).

use std::ffi::OsStr;
use std::path::Path;

use gatewatch_core::winreg::{
    delete_value, get_string, set_string, wide, HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE,
};
use tokio::sync::mpsc;
use windows_sys::Win32::UI::Shell::SetCurrentProcessExplicitAppUserModelID;

use crate::app;
use crate::autostart::AutostartError;
use crate::event::Event;

/// Gatewatch's AppUserModelID: the identifier in tauri.conf.json. Toasts are shown under it,
/// so Windows names them "Gatewatch" (the installer's Start-menu shortcut carries it too).
pub const APP_ID: &str = "app.gatewatch.desktop";
/// Where Windows looks up an unpackaged app's name and icon for its toasts.
const APP_ID_KEY: &str = r"Software\Classes\AppUserModelId\app.gatewatch.desktop";
/// Programs started at the user's login.
pub const RUN_KEY: &str = r"Software\Microsoft\Windows\CurrentVersion\Run";
/// The value's name under [`RUN_KEY`] (what the auto-launch crate used, too).
const RUN_VALUE: &str = "Gatewatch";
/// CREATE_NO_WINDOW: the link opener must not flash a console.
const CREATE_NO_WINDOW: u32 = 0x0800_0000;

pub fn run(rt: tokio::runtime::Runtime, opts: app::Options) -> Result<(), app::StartError> {
    register_app_id();
    crate::native::run(rt, opts)
}

/// Name the process and its toasts. Failing leaves toasts named after their AppUserModelID
/// (or not shown at all, as under Wine): logged, never fatal.
fn register_app_id() {
    let id = wide(OsStr::new(APP_ID));
    // SAFETY: a NUL-terminated string the call only reads.
    let hr = unsafe { SetCurrentProcessExplicitAppUserModelID(id.as_ptr()) };
    if hr != 0 {
        tracing::warn!("cannot set the AppUserModelID: HRESULT {hr:#010x}");
    }
    if let Err(e) = set_string(HKEY_CURRENT_USER, APP_ID_KEY, "DisplayName", "Gatewatch") {
        tracing::warn!("cannot register the toasts' name: {e}");
    }
    let icon = std::env::current_exe()
        .ok()
        .map(|e| e.with_file_name("gatewatch.ico"))
        .filter(|i| i.is_file());
    if let Some(icon) = icon {
        let icon = icon.to_string_lossy();
        if let Err(e) = set_string(HKEY_CURRENT_USER, APP_ID_KEY, "IconUri", &icon) {
            tracing::warn!("cannot register the toasts' icon: {e}");
        }
    }
}

pub fn opener(url: &str) -> tokio::process::Command {
    // The shell's own URL handler: the default browser, no console window, no quoting of
    // `&` as `cmd /C start` would need.
    let mut c = tokio::process::Command::new("rundll32.exe");
    c.args(["url.dll,FileProtocolHandler", url])
        .creation_flags(CREATE_NO_WINDOW);
    c
}

/// Show a toast; a click on it opens the explainer. WinRT reports the click or the dismissal
/// (which includes the toast timing out into the Action Center) on its own thread, so one short
/// thread waits for that answer and ends with it.
pub async fn show(
    note: notify_rust::Notification,
    kind: &'static str,
    events: mpsc::Sender<Event>,
) {
    let mut note = note;
    note.app_id(APP_ID);
    let title = note.summary.clone();
    let shown = tokio::task::spawn_blocking(move || note.show()).await;
    let handle = match shown {
        Ok(Ok(h)) => h,
        Ok(Err(e)) => {
            tracing::warn!("cannot show a notification (the tray carries on): {e}");
            return;
        }
        Err(e) => {
            tracing::warn!("the notification task failed: {e}");
            return;
        }
    };
    tracing::info!(kind, %title, "notified");
    let waiter = std::thread::Builder::new()
        .name("toast".into())
        .spawn(move || {
            let mut clicked = false;
            let waited = handle.wait_for_response(|r: &notify_rust::NotificationResponse| {
                clicked = matches!(
                    r,
                    notify_rust::NotificationResponse::Default
                        | notify_rust::NotificationResponse::Action(_)
                );
            });
            if waited.is_ok()
                && clicked
                && events.blocking_send(Event::NotificationClicked).is_err()
            {
                tracing::debug!("a toast was clicked while the app was stopping");
            }
        });
    if let Err(e) = waiter {
        tracing::warn!("cannot wait for a click on the toast: {e}");
    }
}

/// Ctrl-C in the console of a `--verbose` run. Logging off and shutting down end the process
/// with the window station; the history is saved every few minutes for that.
pub async fn quit_requests() -> &'static str {
    match tokio::signal::ctrl_c().await {
        Ok(()) => "Ctrl-C",
        Err(e) => {
            tracing::warn!("cannot listen for Ctrl-C: {e}");
            std::future::pending().await
        }
    }
}

pub fn signal_of(_: std::process::ExitStatus) -> Option<i32> {
    None
}

/// Start at login: the value `Gatewatch` under the user's own `Run` key, the quoted path of
/// this executable; removed when turned off. Never the machine-wide key (HKLM), which the
/// auto-launch crate picks when the process has admin rights; an entry an older Gatewatch left
/// there is removed where we may.
pub fn set_autostart(on: bool) -> Result<(), AutostartError> {
    let exe = std::env::current_exe().map_err(AutostartError::Exe)?;
    set_autostart_in(RUN_KEY, &exe, on)?;
    match get_string(HKEY_LOCAL_MACHINE, RUN_KEY, RUN_VALUE) {
        Ok(Some(old)) if old.to_lowercase().contains("gatewatch-app") => {
            if let Err(e) = delete_value(HKEY_LOCAL_MACHINE, RUN_KEY, RUN_VALUE) {
                tracing::warn!("a machine-wide start-at-login entry is left ({old}): {e}");
            }
        }
        Ok(_) => {}
        Err(e) => tracing::debug!("cannot read the machine-wide Run key: {e}"),
    }
    Ok(())
}

/// [`set_autostart`] under any key of HKEY_CURRENT_USER (tests use one of their own).
pub fn set_autostart_in(key: &str, exe: &Path, on: bool) -> Result<(), AutostartError> {
    let err = |source| AutostartError::Registry {
        key: key.to_string(),
        source,
    };
    if on {
        let command = format!("\"{}\"", exe.display());
        if get_string(HKEY_CURRENT_USER, key, RUN_VALUE).map_err(err)? == Some(command.clone()) {
            return Ok(());
        }
        set_string(HKEY_CURRENT_USER, key, RUN_VALUE, &command).map_err(err)
    } else {
        delete_value(HKEY_CURRENT_USER, key, RUN_VALUE).map_err(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEST_KEY: &str = r"Software\Gatewatch tests\Run";

    #[test]
    fn start_at_login_is_a_per_user_run_value_removed_when_off() {
        let exe = Path::new(r"C:\Users\Ann\AppData\Local\Programs\Gatewatch\gatewatch-app.exe");
        set_autostart_in(TEST_KEY, exe, true).unwrap();
        assert_eq!(
            get_string(HKEY_CURRENT_USER, TEST_KEY, RUN_VALUE)
                .unwrap()
                .as_deref(),
            Some(r#""C:\Users\Ann\AppData\Local\Programs\Gatewatch\gatewatch-app.exe""#),
            "the quoted path, so that spaces in it do not split it"
        );
        // Again: nothing changes, nothing fails.
        set_autostart_in(TEST_KEY, exe, true).unwrap();
        assert_eq!(
            get_string(HKEY_LOCAL_MACHINE, TEST_KEY, RUN_VALUE).unwrap(),
            None,
            "never machine-wide"
        );
        set_autostart_in(TEST_KEY, exe, false).unwrap();
        assert_eq!(
            get_string(HKEY_CURRENT_USER, TEST_KEY, RUN_VALUE).unwrap(),
            None
        );
        // Off when already off is fine.
        set_autostart_in(TEST_KEY, exe, false).unwrap();
    }
}
