//! What the tests that run the real app in `scripts/desktop-session` share: the session check,
//! a private data directory, settings that poll the fakes fast, and looking at X windows and
//! processes from outside.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use gatewatch_fakes::FakeWorld;
use serde_json::{json, Value};

pub fn require_session() {
    for var in ["DISPLAY", "DBUS_SESSION_BUS_ADDRESS"] {
        assert!(
            std::env::var_os(var).is_some(),
            "{var} is not set: run this test under scripts/desktop-session"
        );
    }
}

/// An empty directory of this test's own, under the system temp dir.
pub fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("gatewatch-desktop-{name}-{}", std::process::id()));
    std::fs::remove_dir_all(&d).ok();
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Settings that check `world` every half second (allowed: every endpoint is loopback).
pub fn fast_settings(world: &FakeWorld) -> Value {
    json!({
        "poll_interval_secs": 0.5,
        "down_poll_interval_secs": 0.5,
        "recheck_secs": 0.3,
        "status_interval_secs": 5,
        "timeout_secs": 2,
        "endpoints": world.endpoints()
    })
}

/// How many X windows have a title matching `name` (a regex, as xdotool takes it).
pub fn windows_named(name: &str) -> usize {
    Command::new("xdotool")
        .args(["search", "--name", name])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).lines().count())
        .unwrap_or(0)
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
