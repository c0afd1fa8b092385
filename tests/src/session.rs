//! What the tests that run the real app in `scripts/desktop-session` share (the tray's
//! desktop tests and the explainer's window test): the session check, a private data directory,
//! settings that poll the fakes fast, the sibling program of another package, and looking at X
//! windows and processes from outside.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::FakeWorld;

pub fn require_session() {
    for var in ["DISPLAY", "DBUS_SESSION_BUS_ADDRESS"] {
        assert!(
            std::env::var_os(var).is_some(),
            "{var} is not set: run this test under scripts/desktop-session"
        );
    }
}

/// A program of another package of the workspace, built into the same directory as `beside`
/// (a test's own `CARGO_BIN_EXE_…`). Cargo builds it when both packages are tested together:
/// `cargo test -p gatewatch-tray -p gatewatch-explainer …`, as scripts/test does.
pub fn sibling(beside: &str, name: &str) -> PathBuf {
    let p = Path::new(beside).with_file_name(name);
    assert!(
        p.exists(),
        "{} is not built: test both packages together \
         (cargo test -p gatewatch-tray -p gatewatch-explainer …) or build it first",
        p.display()
    );
    p
}

/// An empty directory of this test's own, under the system temp dir.
pub fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("gatewatch-desktop-{name}-{}", std::process::id()));
    std::fs::remove_dir_all(&d).ok();
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The names of what `dir` holds (sorted), e.g. to see what a program left behind.
pub fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Run a program that should answer and exit at once: its output, or `None` (and it is killed)
/// if it is still running after `secs`.
pub fn run_briefly(cmd: &mut Command, secs: u64) -> Option<std::process::Output> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the program");
    let deadline = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < deadline {
        if matches!(child.try_wait(), Ok(Some(_))) {
            return child.wait_with_output().ok();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().ok();
    child.wait().ok();
    None
}

/// Settings that check `world` every half second (allowed: every endpoint is loopback), with
/// update checks off: a test of something else must not ask GitHub, nor get the first start's
/// notice about it (the update tests turn them on, against a fake release server).
pub fn fast_settings(world: &FakeWorld) -> Value {
    json!({
        "poll_interval_secs": 0.5,
        "down_poll_interval_secs": 0.5,
        "recheck_secs": 0.3,
        "status_interval_secs": 5,
        "timeout_secs": 2,
        "endpoints": world.endpoints(),
        "updates": "off"
    })
}

/// The X windows whose title matches `name` (a regex, as xdotool takes it).
pub fn window_ids(name: &str) -> Vec<String> {
    Command::new("xdotool")
        .args(["search", "--name", name])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// How many X windows have a title matching `name`.
pub fn windows_named(name: &str) -> usize {
    window_ids(name).len()
}

/// The titles of the windows matching `name`.
pub fn window_titles(name: &str) -> Vec<String> {
    window_ids(name)
        .iter()
        .filter_map(|id| {
            let o = Command::new("xdotool")
                .args(["getwindowname", id])
                .output()
                .ok()?;
            Some(String::from_utf8_lossy(&o.stdout).trim().to_string())
        })
        .collect()
}

/// Press `key` (an xdotool key name) in the window `id`.
pub fn press(id: &str, key: &str) {
    Command::new("xdotool")
        .args(["windowfocus", "--sync", id])
        .status()
        .ok();
    Command::new("xdotool")
        .args(["key", "--clearmodifiers", key])
        .status()
        .ok();
}

/// Whether process `pid` exists (a zombie counts as gone).
pub fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            let state = s.rsplit(')').next()?.split_whitespace().next()?.to_string();
            Some(state != "Z" && state != "X")
        })
        .unwrap_or(false)
}

/// The processes whose command line matches `pattern`.
pub fn pids_of(pattern: &str) -> Vec<u32> {
    Command::new("pgrep")
        .args(["-f", pattern])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .filter_map(|l| l.trim().parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

pub fn wait_until(secs: u64, mut f: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < deadline {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

/// The children of `pid` whose command line contains `name`.
pub fn children_named(pid: u32, name: &str) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|p| {
            let parent = std::fs::read_to_string(format!("/proc/{p}/stat"))
                .ok()
                .and_then(|s| {
                    s.rsplit(')')
                        .next()?
                        .split_whitespace()
                        .nth(1)?
                        .parse()
                        .ok()
                });
            parent == Some(pid)
                && alive(*p)
                && std::fs::read(format!("/proc/{p}/cmdline"))
                    .is_ok_and(|c| String::from_utf8_lossy(&c).contains(name))
        })
        .collect()
}

/// Give `child` (a browser asked to close) `secs` to exit on its own, then kill it; reaped
/// either way.
pub fn exit_or_kill(child: &mut Child, secs: u64) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < deadline {
        if matches!(child.try_wait(), Ok(Some(_))) {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    child.kill().ok();
    child.wait().ok();
}
