//! What differs between Linux, Windows and macOS, one module each, chosen once here; the rest of
//! the tray is the same everywhere. Each module gives:
//!
//! - `run`: the tray backend and its event loop, around [`crate::app::run`] (Linux: ksni on
//!   the app's own runtime; Windows and macOS: tray-icon on tao's event loop, [`crate::native`]);
//! - `set_autostart`: start at login;
//! - `show`: put a built notification on screen and report a click;
//! - `opener`: the command that opens a link in the browser;
//! - `quit_requests`: the system asking us to stop (SIGTERM/SIGINT; Ctrl-C on Windows);
//! - `signal_of`: the signal that ended a child, where there are signals;
//! - `shed`: give back the memory only the start or a rare task needed (Linux).

#[cfg(target_os = "linux")]
#[path = "linux.rs"]
mod imp;
#[cfg(target_os = "macos")]
#[path = "macos.rs"]
mod imp;
#[cfg(windows)]
#[path = "windows.rs"]
mod imp;

#[cfg(target_os = "linux")]
mod shed;
#[cfg(unix)]
mod unix;
#[cfg(target_os = "linux")]
mod xdg_autostart;
#[cfg(target_os = "linux")]
pub use shed::shed;

/// Give back memory only the start or a rare task needed: on Linux the program's read-only
/// pages ([`shed`](self::shed)); elsewhere the system trims an idle process's working set itself.
#[cfg(not(target_os = "linux"))]
pub fn shed() -> usize {
    0
}

pub use imp::{opener, quit_requests, run, set_autostart, show, signal_of};
