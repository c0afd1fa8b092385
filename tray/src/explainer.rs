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

/// Start the explainer on `page`, connected to us through `socket`. Its output goes where ours
/// goes (with `--verbose`, its log lines join ours on the console).
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
        // It quits by itself when our socket closes; killing it on drop would cut a window
        // that is in the middle of saving settings.
        .kill_on_drop(false);
    if verbose {
        cmd.arg("--verbose");
    }
    cmd.spawn()
}

/// "exit code 3", "killed by signal 9": how a process ended, in words for the menu.
pub fn describe(status: ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt as _;
        if let Some(sig) = status.signal() {
            return format!("killed by signal {sig}");
        }
    }
    match status.code() {
        Some(code) => format!("exit code {code}"),
        None => status.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn exits_are_described() {
        use std::os::unix::process::ExitStatusExt as _;
        assert_eq!(describe(ExitStatus::from_raw(3 << 8)), "exit code 3");
        assert_eq!(describe(ExitStatus::from_raw(9)), "killed by signal 9");
    }
}
