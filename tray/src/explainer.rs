//! Starting the explainer window, which is another program (`gatewatch-explainer`, the Tauri
//! app in src-tauri/): WebKitGTK costs tens of megabytes just to be linked, so it lives in a
//! process that exists only while its window is open.
//!
//! The tray starts it with the socket's path in its environment; the explainer connects back,
//! says hello, receives the view and sends commands (see [`gatewatch_core::ipc`]). This module
//! only finds, starts and describes the process; `app` keeps the session.

use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};

use gatewatch_core::ipc::{Page, NO_DISPLAY, NO_WEBVIEW2, SOCKET_ENV};
use gatewatch_core::text::WindowTrouble;

/// Where to find the explainer instead of next to this executable (tests point it elsewhere).
pub const PROGRAM_ENV: &str = "GATEWATCH_EXPLAINER";
const PROGRAM: &str = "gatewatch-explainer";

/// The explainer program: `$GATEWATCH_EXPLAINER`, else beside our own executable.
pub fn program() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os(PROGRAM_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    let exe = std::env::current_exe().map_err(|e| format!("cannot find our own program: {e}"))?;
    let dir = exe
        .parent()
        .ok_or_else(|| format!("{} has no directory", exe.display()))?;
    Ok(dir.join(format!("{PROGRAM}{}", std::env::consts::EXE_SUFFIX)))
}

/// Start the explainer on `page`, connected to us through `socket`. Its standard error comes to
/// us through a pipe ([`relay`]), which passes it on to ours (with `--verbose`, its log lines
/// join ours on the console) and keeps why it failed, for the menu.
pub fn spawn(
    program: &Path,
    socket: &Path,
    page: Page,
    verbose: bool,
) -> std::io::Result<tokio::process::Child> {
    let mut cmd = tokio::process::Command::new(program);
    cmd.arg("--page")
        .arg(page.as_str())
        .env(SOCKET_ENV, socket)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        // It quits by itself when our socket closes; killing it on drop would cut a window
        // that is in the middle of saving settings.
        .kill_on_drop(false);
    if verbose {
        cmd.arg("--verbose");
    }
    cmd.spawn()
}

/// The longest piece of one stderr line the relay holds at a time.
const MAX_LINE: u64 = 16 * 1024;

/// Pass the explainer's standard error on to ours, line by line, and keep the last reason it
/// gave for failing ([`failure`]); `None` if it gave none.
pub async fn relay(stderr: impl tokio::io::AsyncRead + Unpin) -> Option<Said> {
    use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _};
    let mut reader = tokio::io::BufReader::new(stderr);
    let mut buf = Vec::new();
    let mut why = None;
    loop {
        buf.clear();
        match (&mut reader)
            .take(MAX_LINE)
            .read_until(b'\n', &mut buf)
            .await
        {
            Ok(0) | Err(_) => return why,
            Ok(_) => {}
        }
        let line = String::from_utf8_lossy(&buf);
        let line = line.trim_end();
        eprintln!("{line}");
        if let Some(w) = failure(line) {
            why = Some(w);
        }
    }
}

/// What the explainer's standard error said about why it could not go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Said {
    /// The dynamic loader: this library (a file name) is missing (WebKitGTK not installed).
    NoLibrary(String),
    /// The explainer's own last word ("gatewatch-explainer: no display …"), in English, for the
    /// log; the menu says the kinds it knows in the user's language ([`trouble`]).
    Own(String),
}

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Said::NoLibrary(lib) => write!(f, "{lib} is missing"),
            Said::Own(why) => f.write_str(why),
        }
    }
}

/// Why the explainer could not go on, from one line of its standard error: its own last word
/// ("gatewatch-explainer: no display …"), or the dynamic loader's when a library is missing
/// (WebKitGTK not installed). Other lines (GTK's warnings, its log) say nothing of the kind.
pub fn failure(line: &str) -> Option<Said> {
    const LOADER: &str = "error while loading shared libraries: ";
    const MAX: usize = 120;
    let cut = |s: &str| match s.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_string(),
    };
    if let Some((_, rest)) = line.split_once(LOADER) {
        let lib = rest.split(':').next().unwrap_or(rest).trim();
        return (!lib.is_empty()).then(|| Said::NoLibrary(cut(lib)));
    }
    let why = line.strip_prefix(&format!("{PROGRAM}: "))?.trim();
    (!why.is_empty()).then(|| Said::Own(cut(why)))
}

/// Why the window is not there, as a kind the menu says in words: what it said, when the tray
/// knows that kind of failure, else how it ended.
pub fn trouble(said: Option<&Said>, ended: &std::io::Result<ExitStatus>) -> WindowTrouble {
    match said {
        Some(Said::NoLibrary(lib)) => return WindowTrouble::Library(lib.clone()),
        Some(Said::Own(why)) if why.starts_with(NO_DISPLAY) => return WindowTrouble::NoDisplay,
        Some(Said::Own(why)) if why.starts_with(NO_WEBVIEW2) => return WindowTrouble::NoWebView2,
        _ => {}
    }
    match ended {
        Ok(status) => match (crate::platform::signal_of(*status), status.code()) {
            (Some(signal), _) => WindowTrouble::Killed(signal),
            (None, Some(code)) => WindowTrouble::Exited(code),
            (None, None) => WindowTrouble::Ended,
        },
        Err(_) => WindowTrouble::Ended,
    }
}

/// Why it could not be started, from the system's error.
pub fn not_started(e: &std::io::Error) -> WindowTrouble {
    match e.kind() {
        std::io::ErrorKind::NotFound => WindowTrouble::Missing,
        _ => WindowTrouble::CannotRun,
    }
}

/// "exit code 3", "killed by signal 9": how a process ended, for the log.
pub fn describe(status: ExitStatus) -> String {
    if let Some(sig) = crate::platform::signal_of(status) {
        return format!("killed by signal {sig}");
    }
    match status.code() {
        Some(code) => format!("exit code {code}"),
        None => status.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_read_from_its_own_words_and_the_loaders() {
        let no_display = failure("gatewatch-explainer: no display to open a window on (DISPLAY and WAYLAND_DISPLAY are unset)");
        assert_eq!(
            no_display,
            Some(Said::Own(
                "no display to open a window on (DISPLAY and WAYLAND_DISPLAY are unset)".into()
            ))
        );
        let no_lib = failure("/usr/bin/gatewatch-explainer: error while loading shared libraries: libwebkit2gtk-4.1.so.0: cannot open shared object file: No such file or directory");
        assert_eq!(
            no_lib,
            Some(Said::NoLibrary("libwebkit2gtk-4.1.so.0".into()))
        );
        // The kinds the menu says in words; the rest by how it ended.
        let failed = |code: i32| -> std::io::Result<ExitStatus> {
            #[cfg(unix)]
            use std::os::unix::process::ExitStatusExt as _;
            #[cfg(windows)]
            use std::os::windows::process::ExitStatusExt as _;
            #[cfg(unix)]
            let code = code << 8;
            Ok(ExitStatus::from_raw(code as _))
        };
        assert_eq!(
            trouble(no_display.as_ref(), &failed(1)),
            WindowTrouble::NoDisplay
        );
        assert_eq!(
            trouble(no_lib.as_ref(), &failed(127)),
            WindowTrouble::Library("libwebkit2gtk-4.1.so.0".into())
        );
        let webview2 = failure("gatewatch-explainer: the WebView2 Runtime is missing; install it from https://go.microsoft.com/fwlink/p/?LinkId=2124703");
        assert_eq!(
            trouble(webview2.as_ref(), &failed(1)),
            WindowTrouble::NoWebView2
        );
        let other = failure("gatewatch-explainer: cannot start the window: boom");
        assert_eq!(
            trouble(other.as_ref(), &failed(3)),
            WindowTrouble::Exited(3)
        );
        assert_eq!(
            trouble(None, &Err(std::io::Error::other("gone"))),
            WindowTrouble::Ended
        );
        assert_eq!(
            not_started(&std::io::Error::from(std::io::ErrorKind::NotFound)),
            WindowTrouble::Missing
        );
        assert_eq!(
            not_started(&std::io::Error::from(std::io::ErrorKind::PermissionDenied)),
            WindowTrouble::CannotRun
        );
        for other in [
            "",
            "Gtk-Message: 12:00:00.000: Failed to load module \"canberra-gtk-module\"",
            "\u{1b}[2m2026-11-30T20:00:00Z\u{1b}[0m INFO gatewatch_explainer: explainer window shown",
            "gatewatch-explainer: ",
            "thread 'main' panicked at src/lib.rs:1:1:",
        ] {
            assert_eq!(failure(other), None, "{other:?}");
        }
        let long = format!("gatewatch-explainer: {}", "é".repeat(300));
        let why = failure(&long).unwrap().to_string();
        assert_eq!(why.chars().count(), 121, "cut, with an ellipsis: {why}");
        assert!(why.ends_with('…'));
    }

    #[tokio::test]
    async fn the_relay_keeps_the_last_reason_and_reads_to_the_end() {
        let input: &[u8] = b"Gtk-Message: hello\ngatewatch-explainer: first\nnoise\ngatewatch-explainer: cannot start the window: boom\nmore noise";
        assert_eq!(
            relay(input).await,
            Some(Said::Own("cannot start the window: boom".into()))
        );
        assert_eq!(relay(&b"nothing to see\n"[..]).await, None);
        // A line longer than the cap is read in pieces, without holding it whole.
        let mut big = vec![b'x'; 3 * MAX_LINE as usize];
        big.extend_from_slice(b"\ngatewatch-explainer: after\n");
        assert_eq!(relay(&big[..]).await, Some(Said::Own("after".into())));
    }

    #[cfg(unix)]
    #[test]
    fn exits_are_described() {
        use std::os::unix::process::ExitStatusExt as _;
        assert_eq!(describe(ExitStatus::from_raw(3 << 8)), "exit code 3");
        assert_eq!(describe(ExitStatus::from_raw(9)), "killed by signal 9");
    }
}
