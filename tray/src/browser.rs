//! The user's own browser as a door, the tray's part (the core's `browser` has the records and
//! their reading, the host program `gatewatch-browser-host` relays them here).
//!
//! - At start, the native messaging host's manifests are written for each browser this user
//!   has run ([`register_hosts`]), naming the host program installed beside this one, so that
//!   the companion extension can reach it.
//! - Each connected host's window of outcome records is kept in memory only, while it is
//!   connected; the monitor is handed their union ([`merged`]) with the time it came. Nothing of
//!   the browser is written to disk: only the verdicts it leads to reach the history.

use std::path::PathBuf;

use gatewatch_core::browser::hosts::{HostEntry, HostState};
use gatewatch_core::browser::{register, Record};
use gatewatch_core::view::Unset;

/// The host program's name, beside `gatewatch-app`.
const HOST_PROGRAM: &str = "gatewatch-browser-host";

/// The native messaging host's program: installed beside this one (in `/usr/bin` from the
/// packages, in the install folder on Windows, in `Contents/MacOS` on macOS, in cargo's target
/// directory in development).
fn host_program() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find our own program: {e}"))?;
    let dir = exe
        .parent()
        .ok_or_else(|| format!("{} has no directory", exe.display()))?;
    Ok(dir.join(format!("{HOST_PROGRAM}{}", std::env::consts::EXE_SUFFIX)))
}

/// Write the host manifest for each browser family whose profile folder exists, naming the host
/// program beside this one (on Windows with the key under HKCU that names it); log where each
/// browser stands, and say it for the Settings page (each family's entry, with why its manifest
/// could not be written), or why none was set up. Blocking file I/O: run it off the app's loop.
/// A browser never run gets nothing; a manifest that is another program's is left.
pub fn register_hosts() -> Result<Vec<(HostEntry, Option<String>)>, Unset> {
    let host = host_program().map_err(|e| {
        tracing::warn!("browser hosts: {e}");
        Unset::Other(e)
    })?;
    let (os, places, plans) = register::this_user(&host).map_err(|why| {
        tracing::warn!("browser hosts: {why}; the browser extension cannot reach Gatewatch");
        why
    })?;
    let mut said = Vec::new();
    for (entry, error) in register::install(os, &places.home, &plans) {
        let sandboxes: Vec<&str> = entry.sandboxes.iter().map(|s| s.as_str()).collect();
        match (&entry.state, &error) {
            (HostState::Failed, Some(e)) => {
                tracing::warn!(browser = entry.name, "browser host not registered: {e}");
            }
            (state, _) => tracing::info!(
                browser = entry.name,
                state = ?state,
                sandboxed = ?sandboxes,
                "browser host"
            ),
        }
        said.push((entry, error.map(|e| e.to_string())));
    }
    Ok(said)
}

/// The records of every connected browser, as one window: oldest first (the reading takes the
/// newest; records of one time bucket keep their order within each browser).
pub fn merged<'a>(windows: impl Iterator<Item = &'a [Record]>) -> Vec<Record> {
    let mut all: Vec<Record> = windows.flatten().copied().collect();
    all.sort_by_key(|r| r.t);
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use gatewatch_core::browser::{Kind, Outcome};

    fn rec(result: Outcome, status: u16, t: i64) -> Record {
        Record {
            kind: Kind::Conversation,
            result,
            status: Some(status),
            net: None,
            cf: true,
            t,
        }
    }

    #[test]
    fn two_browsers_make_one_window_in_time_order() {
        let a = [rec(Outcome::Ok, 200, 10), rec(Outcome::Http5xx, 502, 30)];
        let b = [rec(Outcome::Http5xx, 503, 20), rec(Outcome::Ok, 200, 30)];
        let m = merged([&a[..], &b[..]].into_iter());
        let got: Vec<(i64, Option<u16>)> = m.iter().map(|r| (r.t, r.status)).collect();
        assert_eq!(
            got,
            vec![
                (10, Some(200)),
                (20, Some(503)),
                (30, Some(502)),
                (30, Some(200))
            ]
        );
        assert!(merged(std::iter::empty()).is_empty());
    }
}
