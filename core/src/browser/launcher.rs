//! Which browser started the host, for the Settings page's rows ("connected now" on the right
//! browser). Firefox says so in its arguments ([`Caller::Firefox`]); Chromium, Chrome and Edge
//! pass the same `chrome-extension://<id>/`, so the host reads the program that started it: its
//! parent, or on Windows its grandparent, since Chrome and Edge start a host through `cmd.exe`.
//! The mapping from a program's path to a family is a plain function ([`family_of_program`]);
//! reading the processes is at the edge ([`launchers`]).

use std::path::{Path, PathBuf};

use super::hosts::Family;
use super::native::Caller;

/// How far up the launchers are read: the parent, and the one above it (Windows' `cmd.exe`).
const DEPTH: usize = 2;

/// The family of the browser that started the host: Firefox by its arguments, a Chromium
/// browser by the first of `launchers` (the programs above the host, nearest first) whose path
/// names one. `None` when none does (a browser of another name, a host started by hand).
pub fn family(caller: &Caller, launchers: &[PathBuf]) -> Option<Family> {
    match caller {
        Caller::Firefox { .. } => Some(Family::Firefox),
        Caller::Chromium { .. } => launchers
            .iter()
            .take(DEPTH)
            .find_map(|p| family_of_program(p))
            .filter(|f| *f != Family::Firefox),
    }
}

/// The browser family whose program `path` is, by the folders and names its makers install it
/// under on Linux, macOS and Windows:
/// - Edge: `/opt/microsoft/msedge/msedge`, `Microsoft Edge.app`, `…\Microsoft\Edge\Application\msedge.exe`;
/// - Chrome: `/opt/google/chrome/chrome`, `Google Chrome.app`, `…\Google\Chrome\Application\chrome.exe`;
/// - Chromium: `/usr/lib/chromium/chromium`, `/usr/lib64/chromium-browser/…`, `Chromium.app`,
///   `…\Chromium\Application\chrome.exe`;
/// - Firefox: `/usr/lib/firefox-esr/firefox-esr`, `Firefox.app`, `…\Mozilla Firefox\firefox.exe`.
pub fn family_of_program(path: &Path) -> Option<Family> {
    // The last four parts of the path are enough for every place above, and a folder further
    // up (a user's home named after a browser) cannot mislead it.
    let full = path.to_string_lossy().replace('\\', "/").to_lowercase();
    let parts: Vec<&str> = full.rsplit('/').take(4).collect();
    let p = format!(
        "/{}",
        parts.iter().rev().copied().collect::<Vec<_>>().join("/")
    );
    let name = parts.first().copied().unwrap_or("");
    if name.starts_with("msedge") || p.contains("/microsoft edge") || p.contains("/microsoft/edge/")
    {
        Some(Family::Edge)
    } else if p.contains("/google/chrome")
        || p.contains("/google chrome")
        || p.contains("google-chrome")
    {
        Some(Family::Chrome)
    } else if p.contains("chromium") {
        Some(Family::Chromium)
    } else if name.starts_with("firefox") || p.contains("/firefox.app/") {
        Some(Family::Firefox)
    } else {
        None
    }
}

/// The programs above this process, nearest first (at most two); what cannot be read ends the
/// list.
pub fn launchers() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pid = platform::parent(platform::own());
    while let Some(p) = pid.filter(|_| out.len() < DEPTH) {
        let Some(program) = platform::program(p) else {
            break;
        };
        out.push(program);
        pid = platform::parent(p);
    }
    out
}

#[cfg(target_os = "linux")]
mod platform {
    use std::path::PathBuf;

    pub fn own() -> u32 {
        std::process::id()
    }

    /// The fourth field of `/proc/<pid>/stat`, after the name in parentheses (which may hold
    /// spaces and parentheses of its own).
    pub fn parent(pid: u32) -> Option<u32> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        let (_, rest) = stat.rsplit_once(')')?;
        let ppid: u32 = rest.split_whitespace().nth(1)?.parse().ok()?;
        (ppid > 1).then_some(ppid)
    }

    pub fn program(pid: u32) -> Option<PathBuf> {
        std::fs::read_link(format!("/proc/{pid}/exe")).ok()
    }
}

#[cfg(target_os = "macos")]
mod platform {
    use std::path::PathBuf;

    pub fn own() -> u32 {
        std::process::id()
    }

    /// The parent of this process only (the browsers start a host directly on macOS).
    pub fn parent(pid: u32) -> Option<u32> {
        (pid == own())
            .then(std::os::unix::process::parent_id)
            .filter(|p| *p > 1)
    }

    pub fn program(pid: u32) -> Option<PathBuf> {
        let mut buf = vec![0u8; libc::PROC_PIDPATHINFO_MAXSIZE as usize];
        // SAFETY: the buffer is as large as the call is told.
        let n = unsafe {
            libc::proc_pidpath(
                pid as libc::c_int,
                buf.as_mut_ptr().cast(),
                buf.len() as u32,
            )
        };
        if n <= 0 {
            return None;
        }
        buf.truncate(n as usize);
        Some(PathBuf::from(String::from_utf8(buf).ok()?))
    }
}

#[cfg(windows)]
mod platform {
    use std::os::windows::ffi::OsStringExt as _;
    use std::path::PathBuf;

    use windows_sys::Win32::Foundation::{CloseHandle, INVALID_HANDLE_VALUE};
    use windows_sys::Win32::System::Diagnostics::ToolHelp::{
        CreateToolhelp32Snapshot, Process32FirstW, Process32NextW, PROCESSENTRY32W,
        TH32CS_SNAPPROCESS,
    };
    use windows_sys::Win32::System::Threading::{
        OpenProcess, QueryFullProcessImageNameW, PROCESS_QUERY_LIMITED_INFORMATION,
    };

    pub fn own() -> u32 {
        std::process::id()
    }

    /// The parent's id, from a snapshot of the processes.
    pub fn parent(pid: u32) -> Option<u32> {
        // SAFETY: the snapshot is closed below; the entry is sized as the calls require.
        unsafe {
            let snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
            if snap == INVALID_HANDLE_VALUE {
                return None;
            }
            let mut e: PROCESSENTRY32W = std::mem::zeroed();
            e.dwSize = std::mem::size_of::<PROCESSENTRY32W>() as u32;
            let mut found = None;
            let mut more = Process32FirstW(snap, &mut e) != 0;
            while more {
                if e.th32ProcessID == pid {
                    found = Some(e.th32ParentProcessID).filter(|p| *p != 0);
                    break;
                }
                more = Process32NextW(snap, &mut e) != 0;
            }
            CloseHandle(snap);
            found
        }
    }

    pub fn program(pid: u32) -> Option<PathBuf> {
        // SAFETY: the handle is closed below; the buffer's length is passed in and out.
        unsafe {
            let h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid);
            if h.is_null() {
                return None;
            }
            let mut buf = vec![0u16; 1024];
            let mut len = buf.len() as u32;
            let ok = QueryFullProcessImageNameW(h, 0, buf.as_mut_ptr(), &mut len) != 0;
            CloseHandle(h);
            ok.then(|| PathBuf::from(std::ffi::OsString::from_wide(&buf[..len as usize])))
        }
    }
}

#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
mod platform {
    pub fn own() -> u32 {
        std::process::id()
    }
    pub fn parent(_: u32) -> Option<u32> {
        None
    }
    pub fn program(_: u32) -> Option<std::path::PathBuf> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chromium() -> Caller {
        Caller::Chromium { id: "x".into() }
    }

    #[test]
    fn each_browser_is_known_by_where_its_maker_installs_it() {
        let cases = [
            ("/usr/lib/chromium/chromium", Some(Family::Chromium)),
            (
                "/usr/lib64/chromium-browser/chromium-browser",
                Some(Family::Chromium),
            ),
            ("/opt/google/chrome/chrome", Some(Family::Chrome)),
            ("/opt/google/chrome-beta/chrome", Some(Family::Chrome)),
            ("/opt/microsoft/msedge/msedge", Some(Family::Edge)),
            ("/usr/lib/firefox-esr/firefox-esr", Some(Family::Firefox)),
            (
                "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
                Some(Family::Chrome),
            ),
            (
                "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
                Some(Family::Edge),
            ),
            (
                "/Applications/Chromium.app/Contents/MacOS/Chromium",
                Some(Family::Chromium),
            ),
            (
                "/Applications/Firefox.app/Contents/MacOS/firefox",
                Some(Family::Firefox),
            ),
            (
                r"C:\Program Files\Google\Chrome\Application\chrome.exe",
                Some(Family::Chrome),
            ),
            (
                r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
                Some(Family::Edge),
            ),
            (
                r"C:\Users\a\AppData\Local\Chromium\Application\chrome.exe",
                Some(Family::Chromium),
            ),
            (
                r"C:\Program Files\Mozilla Firefox\firefox.exe",
                Some(Family::Firefox),
            ),
            (r"C:\Windows\System32\cmd.exe", None),
            ("/usr/bin/bash", None),
            ("/opt/brave.com/brave/brave", None),
            ("/usr/bin/gatewatch-browser-host", None),
            (
                "/home/chromium/src/gatewatch/target/debug/gatewatch-browser-host",
                None,
            ),
        ];
        for (path, want) in cases {
            assert_eq!(family_of_program(Path::new(path)), want, "{path}");
        }
    }

    #[test]
    fn chromium_browsers_are_told_apart_by_their_launcher_and_firefox_by_its_arguments() {
        let edge_via_cmd = [
            PathBuf::from(r"C:\Windows\System32\cmd.exe"),
            PathBuf::from(r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe"),
        ];
        assert_eq!(family(&chromium(), &edge_via_cmd), Some(Family::Edge));
        let chrome = [PathBuf::from("/opt/google/chrome/chrome")];
        assert_eq!(family(&chromium(), &chrome), Some(Family::Chrome));
        // Firefox's own arguments say it, whatever started it.
        let firefox = Caller::Firefox { id: "y".into() };
        assert_eq!(family(&firefox, &[]), Some(Family::Firefox));
        // Not known: nothing above names a browser, or only further up than the grandparent.
        let unknown = [
            PathBuf::from("/usr/bin/bash"),
            PathBuf::from("/usr/bin/bash"),
            PathBuf::from("/usr/lib/chromium/chromium"),
        ];
        assert_eq!(family(&chromium(), &unknown), None);
        assert_eq!(family(&chromium(), &[]), None);
        // A Chromium extension id never comes from Firefox.
        let odd = [PathBuf::from("/usr/lib/firefox/firefox")];
        assert_eq!(family(&chromium(), &odd), None);
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn this_process_s_launcher_is_read() {
        // Whatever ran the tests (cargo, a shell): the parent is readable here, and it is not
        // this program. (Windows: tests/browser_host.rs starts the host as Chrome does.)
        let up = launchers();
        assert!(!up.is_empty() && up.len() <= DEPTH, "{up:?}");
        let me = std::env::current_exe().unwrap();
        assert_ne!(up[0], me);
    }
}
