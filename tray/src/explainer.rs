//! Starting the explainer window, which is another program (`gatewatch-explainer`, the Tauri
//! app in src-tauri/): WebKitGTK costs tens of megabytes just to be linked, so it lives in a
//! process that exists only while its window is open.
//!
//! The tray starts it with the socket's path in its environment; the explainer connects back,
//! says hello, receives the view and sends commands (see [`gatewatch_core::ipc`]). This module
//! only finds, starts and describes the process; `app` keeps the session.

use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};

use gatewatch_core::ipc::{Page, SOCKET_ENV};

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
pub async fn relay(stderr: impl tokio::io::AsyncRead + Unpin) -> Option<String> {
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

/// Why the explainer could not go on, from one line of its standard error: its own last word
/// ("gatewatch-explainer: no display …"), or the dynamic loader's when a library is missing
/// (WebKitGTK not installed). Other lines (GTK's warnings, its log) say nothing of the kind.
pub fn failure(line: &str) -> Option<String> {
    const LOADER: &str = "error while loading shared libraries: ";
    const MAX: usize = 120;
    let why = if let Some((_, rest)) = line.split_once(LOADER) {
        let lib = rest.split(':').next().unwrap_or(rest).trim();
        format!("{lib} is missing")
    } else {
        line.strip_prefix(&format!("{PROGRAM}: "))?
            .trim()
            .to_string()
    };
    if why.is_empty() {
        return None;
    }
    Some(match why.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &why[..at]),
        None => why,
    })
}

/// "exit code 3", "killed by signal 9": how a process ended, in words for the menu.
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
        assert_eq!(
            failure("gatewatch-explainer: no display to open a window on (DISPLAY and WAYLAND_DISPLAY are unset)").as_deref(),
            Some("no display to open a window on (DISPLAY and WAYLAND_DISPLAY are unset)")
        );
        assert_eq!(
            failure("/usr/bin/gatewatch-explainer: error while loading shared libraries: libwebkit2gtk-4.1.so.0: cannot open shared object file: No such file or directory").as_deref(),
            Some("libwebkit2gtk-4.1.so.0 is missing")
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
        let why = failure(&long).unwrap();
        assert_eq!(why.chars().count(), 121, "cut, with an ellipsis: {why}");
        assert!(why.ends_with('…'));
    }

    #[tokio::test]
    async fn the_relay_keeps_the_last_reason_and_reads_to_the_end() {
        let input: &[u8] = b"Gtk-Message: hello\ngatewatch-explainer: first\nnoise\ngatewatch-explainer: cannot start the window: boom\nmore noise";
        assert_eq!(
            relay(input).await.as_deref(),
            Some("cannot start the window: boom")
        );
        assert_eq!(relay(&b"nothing to see\n"[..]).await, None);
        // A line longer than the cap is read in pieces, without holding it whole.
        let mut big = vec![b'x'; 3 * MAX_LINE as usize];
        big.extend_from_slice(b"\ngatewatch-explainer: after\n");
        assert_eq!(relay(&big[..]).await.as_deref(), Some("after"));
    }

    #[cfg(unix)]
    #[test]
    fn exits_are_described() {
        use std::os::unix::process::ExitStatusExt as _;
        assert_eq!(describe(ExitStatus::from_raw(3 << 8)), "exit code 3");
        assert_eq!(describe(ExitStatus::from_raw(9)), "killed by signal 9");
    }
}
