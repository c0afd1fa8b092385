//! The real app in a real (headless) desktop: Xvfb, a D-Bus session, the dunst notification
//! daemon, and a StatusNotifierWatcher played by this test, so the tray icon is read through
//! the tray protocol itself — never through the app's own word.
//!
//! Run inside `scripts/desktop-session` (which `scripts/test` does):
//!   scripts/desktop-session cargo test -p gatewatch-app --test desktop -- --ignored

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::{fast_settings, pids_of, require_session, tempdir, wait_until, windows_named};
use gatewatch_fakes::desktop::{NotificationTap, TrayHost};
use gatewatch_fakes::{FakeWorld, Scenario};

mod common;

const APP: &str = env!("CARGO_BIN_EXE_gatewatch-app");
const GREEN: [u8; 3] = [0x16, 0xa3, 0x4a];
const RED: [u8; 3] = [0xdc, 0x26, 0x26];
const GREY: [u8; 3] = [0x6b, 0x72, 0x80];

/// One desktop test at a time: they share the session bus names.
static SESSION: Mutex<()> = Mutex::new(());

struct App {
    child: Child,
}

impl App {
    fn launch(data: &Path, world: &FakeWorld) -> App {
        let child = Command::new(APP)
            .env("GATEWATCH_DATA_DIR", data)
            .env("XDG_CONFIG_HOME", data.join("config"))
            .env("XDG_DATA_HOME", data.join("share"))
            .env("LANG", "C")
            .envs(world.env())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the app");
        App { child }
    }

    fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// SIGTERM, then the exit status (None: it had to be killed).
    fn terminate(mut self) -> Option<i32> {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .ok();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        self.child.kill().ok();
        self.child.wait().ok();
        None
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if self.running() {
            self.child.kill().ok();
            self.child.wait().ok();
        }
    }
}

#[test]
#[ignore = "needs a desktop session: scripts/desktop-session"]
fn tray_turns_red_on_502s_and_green_after_recovery_with_one_notice_each() {
    require_session();
    let _one = SESSION.lock().unwrap_or_else(|p| p.into_inner());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let world = rt.block_on(FakeWorld::start(Scenario::Healthy)).unwrap();
    let data = tempdir("tray");
    std::fs::write(
        data.join("settings.json"),
        fast_settings(&world).to_string(),
    )
    .unwrap();

    let host = TrayHost::start();
    let tap = NotificationTap::start();
    let mut app = App::launch(&data, &world);

    assert!(
        wait_until(20, || host.item().is_some()),
        "the app never registered a tray item"
    );
    host.wait_for_color(GREEN, 20).expect("green while healthy");
    assert_eq!(
        windows_named("^Gatewatch$"),
        0,
        "the app starts with no window"
    );
    assert_eq!(
        pids_of("WebKitWebProcess").len(),
        0,
        "an idle tray app holds no WebKit process"
    );

    world.set(Scenario::BadGateway);
    host.wait_for_color(RED, 20)
        .expect("red on Cloudflare 502s");
    tap.wait_for("ChatGPT is down", 10).unwrap();

    world.set(Scenario::Healthy);
    host.wait_for_color(GREEN, 20)
        .expect("green after recovery");
    tap.wait_for("ChatGPT is back", 10).unwrap();

    // Stay healthy a while longer: nothing else may arrive.
    std::thread::sleep(Duration::from_secs(3));
    let summaries = tap.summaries();
    assert_eq!(
        summaries,
        ["ChatGPT is down", "ChatGPT is back"],
        "exactly one down and one recovered"
    );
    assert!(app.running());

    // A second launch hands over to the first, which opens the explainer on demand.
    let second = Command::new(APP)
        .env("GATEWATCH_DATA_DIR", &data)
        .envs(world.env())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("second launch");
    assert!(second.success(), "{second:?}");
    assert!(
        wait_until(20, || windows_named("^Gatewatch$") == 1),
        "the explainer window did not open"
    );
    assert!(!pids_of("WebKitWebProcess").is_empty());
    assert!(app.running(), "the first instance keeps running");

    assert_eq!(app.terminate(), Some(0), "SIGTERM quits cleanly");
    let history: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data.join("history.json")).expect("history saved"))
            .unwrap();
    let outages = history["outages"].as_array().unwrap();
    assert_eq!(outages.len(), 1, "{history}");
    assert_eq!(outages[0]["verdict"], "bad_gateway");
    assert!(outages[0]["duration_ms"].as_u64().unwrap() > 0);
    std::fs::remove_dir_all(&data).ok();
}

#[test]
#[ignore = "needs a desktop session: scripts/desktop-session"]
fn a_corrupt_settings_file_does_not_stop_the_app() {
    require_session();
    let _one = SESSION.lock().unwrap_or_else(|p| p.into_inner());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let world = rt.block_on(FakeWorld::start(Scenario::Healthy)).unwrap();
    let data = tempdir("corrupt");
    std::fs::write(
        data.join("settings.json"),
        b"{\"poll_interval_secs\": 30,, \x00garbage",
    )
    .unwrap();

    let host = TrayHost::start();
    let tap = NotificationTap::start();
    let mut app = App::launch(&data, &world);

    assert!(
        wait_until(20, || host.item().is_some()),
        "no tray item: the app did not come up"
    );
    tap.wait_for("Gatewatch: settings reset", 10).unwrap();
    host.wait_for_color(GREEN, 20)
        .expect("it still checks, with defaults");
    assert!(app.running());
    let kept: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("settings.json.corrupt-"))
        .collect();
    assert_eq!(kept.len(), 1, "the damaged file is kept aside");
    assert_eq!(app.terminate(), Some(0));
    std::fs::remove_dir_all(&data).ok();
}

#[test]
#[ignore = "needs a desktop session: scripts/desktop-session"]
fn the_icon_turns_grey_when_our_own_network_goes() {
    require_session();
    let _one = SESSION.lock().unwrap_or_else(|p| p.into_inner());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let world = rt.block_on(FakeWorld::start(Scenario::Healthy)).unwrap();
    let data = tempdir("grey");
    std::fs::write(
        data.join("settings.json"),
        fast_settings(&world).to_string(),
    )
    .unwrap();
    let host = TrayHost::start();
    let tap = NotificationTap::start();
    let app = App::launch(&data, &world);
    assert!(wait_until(20, || host.item().is_some()));
    host.wait_for_color(GREEN, 20).expect("green first");
    // Every host, the control host included, stops answering: that is us, not ChatGPT.
    world.set(Scenario::Offline);
    host.wait_for_color(GREY, 20).expect("grey while offline");
    std::thread::sleep(Duration::from_secs(2));
    assert!(
        tap.summaries().is_empty(),
        "being offline is not an outage: {:?}",
        tap.summaries()
    );
    assert_eq!(app.terminate(), Some(0));
    std::fs::remove_dir_all(&data).ok();
}
