//! The real tray process in a real (headless) desktop: Xvfb, a D-Bus session, the dunst
//! notification daemon, and a StatusNotifierWatcher played by this test, so the tray is read
//! through the tray protocol itself — its icon's pixels, its tooltip, its menu — and clicked as
//! a panel clicks it, never through the app's own word. The explainer is watched from outside
//! too: its process, and its window's title through X.
//!
//! Run inside `scripts/desktop-session` (which `scripts/test` does), with the explainer built:
//!   scripts/desktop-session cargo test -p gatewatch-tray -p gatewatch-explainer --test desktop -- --ignored
//!
//! Linux only: the tray protocol is D-Bus's. Windows has its own end-to-end test, under Wine
//! (tests/wine.rs).
#![cfg(target_os = "linux")]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use gatewatch_fakes::desktop::{NotificationTap, TrayHost};
use gatewatch_fakes::session::{
    alive, children_named, fast_settings, names_in, pids_of, press, require_session, sibling,
    tempdir, wait_until, window_ids, window_titles, windows_named,
};
use gatewatch_fakes::{FakeWorld, Scenario};

const BUILT: &str = env!("CARGO_BIN_EXE_gatewatch-app");

/// The tray binary under test: the one cargo built, or — with `GATEWATCH_TEST_BIN_DIR` — the one
/// an installable package carries (scripts/test unpacks the .deb and runs these tests on it).
fn app_bin() -> String {
    match std::env::var("GATEWATCH_TEST_BIN_DIR") {
        Ok(dir) if !dir.is_empty() => format!("{dir}/gatewatch-app"),
        _ => BUILT.to_string(),
    }
}
const GREEN: [u8; 3] = [0x16, 0xa3, 0x4a];
const RED: [u8; 3] = [0xdc, 0x26, 0x26];
const GREY: [u8; 3] = [0x6b, 0x72, 0x80];
/// The explainer's window: "Gatewatch - <the verdict>". (xdotool matches without case, and
/// GTK names a hidden leader window after the program, "gatewatch-explainer".)
const WINDOW: &str = "^Gatewatch - ";

/// One desktop test at a time: they share the session bus names.
static SESSION: Mutex<()> = Mutex::new(());

struct App {
    child: Child,
}

impl App {
    fn launch(data: &Path, world: &FakeWorld) -> App {
        App::launch_with(data, world, &[])
    }

    fn launch_with(data: &Path, world: &FakeWorld, env: &[(&str, &str)]) -> App {
        let mut vars: Vec<(&str, String)> = world.env();
        vars.extend(env.iter().map(|(k, v)| (*k, v.to_string())));
        App::spawn(data, vars)
    }

    /// With no endpoint in the environment (which would win): the settings file decides.
    fn launch_from_settings(data: &Path) -> App {
        App::spawn(data, Vec::new())
    }

    fn spawn(data: &Path, env: Vec<(&str, String)>) -> App {
        let app = app_bin();
        sibling(&app, "gatewatch-explainer");
        let child = Command::new(&app)
            .env("GATEWATCH_DATA_DIR", data)
            .env("XDG_CONFIG_HOME", data.join("config"))
            .env("XDG_DATA_HOME", data.join("share"))
            .env("LANG", "C")
            .envs(env)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the app");
        App { child }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The explainer processes this app started.
    fn explainers(&self) -> Vec<u32> {
        children_named(self.pid(), "gatewatch-explainer")
    }

    /// Wait for exactly one explainer process, and return it.
    fn wait_for_explainer(&self) -> u32 {
        let mut seen = Vec::new();
        let ok = wait_until(20, || {
            seen = self.explainers();
            seen.len() == 1
        });
        assert!(ok, "no single explainer process: {seen:?}");
        seen[0]
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
        for pid in self.explainers() {
            kill(pid, "-KILL");
        }
        if self.running() {
            self.child.kill().ok();
            self.child.wait().ok();
        }
    }
}

fn kill(pid: u32, signal: &str) {
    Command::new("kill")
        .args([signal, &pid.to_string()])
        .status()
        .ok();
}

/// A data directory with settings that poll `world` fast.
fn fast_data(name: &str, world: &FakeWorld) -> std::path::PathBuf {
    let data = tempdir(name);
    std::fs::write(data.join("settings.json"), fast_settings(world).to_string()).unwrap();
    data
}

/// What most desktop tests start from: the session to themselves, healthy fake hosts (on a
/// runtime kept in the [`Desk`]), a data directory that polls them fast, and a panel. Keep the
/// `Desk` bound until the end (dropped last, being declared first).
struct Desk {
    rt: tokio::runtime::Runtime,
    _one: std::sync::MutexGuard<'static, ()>,
}

fn desk(name: &str) -> (Desk, FakeWorld, std::path::PathBuf, TrayHost) {
    require_session();
    let one = SESSION.lock().unwrap_or_else(|p| p.into_inner());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let world = rt.block_on(FakeWorld::start(Scenario::Healthy)).unwrap();
    let data = fast_data(name, &world);
    let host = TrayHost::start();
    (Desk { rt, _one: one }, world, data, host)
}

/// Wait until an explainer window's title is `title`.
fn wait_for_window(title: &str, secs: u64) {
    let mut seen = Vec::new();
    let ok = wait_until(secs, || {
        seen = window_titles(WINDOW);
        seen.len() == 1 && seen[0] == title
    });
    assert!(ok, "no window {title:?}; windows: {seen:?}");
}

#[test]
#[ignore = "needs a desktop session: scripts/desktop-session"]
fn tray_turns_red_on_502s_and_green_after_recovery_with_one_notice_each() {
    let (_desk, world, data, host) = desk("tray");
    let tap = NotificationTap::start();
    let mut app = App::launch(&data, &world);

    assert!(
        wait_until(20, || host.item().is_some()),
        "the app never registered a tray item"
    );
    host.wait_for_color(GREEN, 20).expect("green while healthy");
    host.wait_for_tooltip(10, |t, _| t == "ChatGPT is up")
        .expect("the tooltip says it is up");
    assert_eq!(windows_named(WINDOW), 0, "the app starts with no window");
    assert_eq!(
        pids_of("WebKitWebProcess").len(),
        0,
        "an idle tray app holds no WebKit process"
    );
    assert!(app.explainers().is_empty(), "no explainer while idle");

    world.set(Scenario::BadGateway);
    host.wait_for_color(RED, 20)
        .expect("red on Cloudflare 502s");
    let (_, why) = host
        .wait_for_tooltip(10, |t, d| t == "ChatGPT is down" && d.contains("502"))
        .expect("the tooltip says down, and why");
    assert!(why.contains("since "), "and since when: {why}");
    tap.wait_for("ChatGPT is down", 10).unwrap();

    world.set(Scenario::Healthy);
    host.wait_for_color(GREEN, 20)
        .expect("green after recovery");
    host.wait_for_tooltip(10, |t, _| t == "ChatGPT is up")
        .expect("the tooltip follows");
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
    let second = Command::new(app_bin())
        .env("GATEWATCH_DATA_DIR", &data)
        .envs(world.env())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("second launch");
    assert!(second.success(), "{second:?}");
    let explainer = app.wait_for_explainer();
    assert_eq!(
        std::fs::read_link(format!("/proc/{explainer}/exe")).ok(),
        std::fs::canonicalize(sibling(&app_bin(), "gatewatch-explainer")).ok(),
        "the explainer beside the tray's own binary is the one started"
    );
    wait_for_window("Gatewatch - ChatGPT is up", 20);
    assert!(
        wait_until(20, || !pids_of("WebKitWebProcess").is_empty()),
        "the window has its web engine"
    );
    assert!(app.running(), "the first instance keeps running");

    assert_eq!(app.terminate(), Some(0), "SIGTERM quits cleanly");
    assert!(
        wait_until(10, || !alive(explainer)),
        "the explainer goes with the tray"
    );
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
fn a_left_click_opens_the_explainer_and_escape_or_ctrl_w_closes_it() {
    let (_desk, world, data, host) = desk("click");
    let mut app = App::launch(&data, &world);
    assert!(wait_until(20, || host.item().is_some()));
    host.wait_for_color(GREEN, 20).expect("green first");

    host.activate().expect("Activate");
    let explainer = app.wait_for_explainer();
    wait_for_window("Gatewatch - ChatGPT is up", 20);
    assert!(
        wait_until(20, || !pids_of("WebKitWebProcess").is_empty()),
        "the window has its web engine"
    );

    // The open window follows the tray's monitor: it never checks by itself.
    world.set(Scenario::BadGateway);
    host.wait_for_color(RED, 20).expect("red");
    wait_for_window("Gatewatch - ChatGPT is down", 20);

    // Clicking again brings the open one forward rather than starting another.
    host.activate().expect("Activate");
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(app.explainers(), [explainer], "one explainer at a time");
    assert_eq!(windows_named(WINDOW), 1);

    // Escape closes the window, and its process ends: the memory goes back.
    let id = window_ids(WINDOW).pop().unwrap();
    press(&id, "Escape");
    assert!(
        wait_until(10, || windows_named(WINDOW) == 0),
        "the window did not close"
    );
    assert!(
        wait_until(10, || !alive(explainer)),
        "the explainer process is still there"
    );
    assert!(
        wait_until(10, || pids_of("WebKitWebProcess").is_empty()),
        "WebKit still running after the window closed"
    );
    assert!(app.running(), "closing the window never quits Gatewatch");
    assert!(
        host.menu()
            .iter()
            .all(|l| !l.label.starts_with("The details window")),
        "a normal close is not a problem: {:?}",
        host.menu()
    );

    // "Settings…" with no window open starts one on the settings page.
    host.click("Settings…").expect("the menu item");
    let settings = app.wait_for_explainer();
    let args = std::fs::read(format!("/proc/{settings}/cmdline")).unwrap_or_default();
    assert!(
        args.windows(15).any(|w| w == b"--page\0settings"),
        "{:?}",
        String::from_utf8_lossy(&args)
    );
    wait_for_window("Gatewatch - ChatGPT is down", 20);

    // Ctrl+W closes it too (pressed again until the page's script has loaded and hears it).
    let id = window_ids(WINDOW).pop().unwrap();
    assert!(
        wait_until(20, || {
            press(&id, "ctrl+w");
            std::thread::sleep(Duration::from_millis(500));
            windows_named(WINDOW) == 0
        }),
        "Ctrl+W did not close the window"
    );
    assert!(
        wait_until(10, || !alive(settings)),
        "the explainer process outlived its window"
    );
    assert!(app.running());
    assert_eq!(app.terminate(), Some(0));
    std::fs::remove_dir_all(&data).ok();
}

#[test]
#[ignore = "needs a desktop session: scripts/desktop-session"]
fn killing_the_explainer_leaves_the_tray_working() {
    let (_desk, world, data, host) = desk("kill");
    let tap = NotificationTap::start();
    let mut app = App::launch(&data, &world);
    assert!(wait_until(20, || host.item().is_some()));
    host.wait_for_color(GREEN, 20).expect("green first");

    host.activate().expect("Activate");
    let first = app.wait_for_explainer();
    wait_for_window("Gatewatch - ChatGPT is up", 20);
    kill(first, "-KILL");
    host.wait_for_menu(10, |l| {
        l.label == "The details window stopped: killed by signal 9"
    })
    .expect("the menu says what happened");
    assert!(app.running());

    // The tray goes on: colour, tooltip, menu and notifications.
    world.set(Scenario::BadGateway);
    host.wait_for_color(RED, 20).expect("red after the crash");
    host.wait_for_tooltip(10, |t, _| t == "ChatGPT is down")
        .expect("the tooltip follows");
    host.wait_for_menu(10, |l| l.label.starts_with("ChatGPT is down"))
        .expect("the menu's status line follows");
    tap.wait_for("ChatGPT is down", 10).unwrap();

    // And a new click opens a new explainer, which clears the line.
    host.activate().expect("Activate");
    let second = app.wait_for_explainer();
    assert_ne!(first, second);
    wait_for_window("Gatewatch - ChatGPT is down", 20);
    assert!(
        wait_until(10, || host
            .menu()
            .iter()
            .all(|l| !l.label.starts_with("The details window"))),
        "the problem line is cleared: {:?}",
        host.menu()
    );
    assert_eq!(app.terminate(), Some(0));
    assert!(wait_until(10, || !alive(second)));
    std::fs::remove_dir_all(&data).ok();
}

#[test]
#[ignore = "needs a desktop session: scripts/desktop-session"]
fn an_explainer_that_cannot_start_is_reported_and_the_tray_carries_on() {
    let (_desk, world, data, host) = desk("nostart");
    // As if WebKitGTK were missing: the program starts, and fails at once.
    let mut app = App::launch_with(&data, &world, &[("GATEWATCH_EXPLAINER", "/bin/false")]);
    assert!(wait_until(20, || host.item().is_some()));
    host.wait_for_color(GREEN, 20).expect("green first");

    host.click("What's going on?").expect("the menu item");
    host.wait_for_menu(10, |l| {
        l.label == "The details window could not open: exit code 1" && !l.enabled
    })
    .expect("the menu says why there is no window");
    world.set(Scenario::BadGateway);
    host.wait_for_color(RED, 20).expect("still watching");
    assert!(app.running());
    assert_eq!(app.terminate(), Some(0));
    std::fs::remove_dir_all(&data).ok();
}

#[test]
#[ignore = "needs a desktop session: scripts/desktop-session"]
fn an_explainer_with_no_display_says_why_in_the_menu() {
    let (_desk, world, data, host) = desk("nodisplay");
    // The tray needs no display (it speaks D-Bus); the real explainer it starts does.
    let mut app = App::launch_with(&data, &world, &[("DISPLAY", ""), ("WAYLAND_DISPLAY", "")]);
    assert!(wait_until(20, || host.item().is_some()));
    host.wait_for_color(GREEN, 20).expect("green first");

    host.activate().expect("Activate");
    host.wait_for_menu(20, |l| {
        l.label == "The details window could not open: there is no display to show it on"
            && !l.enabled
    })
    .expect("the menu says why, in words");
    assert_eq!(pids_of(&app_bin()).len(), 1, "no second tray was started");
    world.set(Scenario::BadGateway);
    host.wait_for_color(RED, 20).expect("still watching");
    assert!(app.running());
    assert_eq!(app.terminate(), Some(0));
    std::fs::remove_dir_all(&data).ok();
}

#[test]
#[ignore = "needs a desktop session: scripts/desktop-session"]
fn start_at_login_from_the_menu_writes_and_removes_the_autostart_entry() {
    let (_desk, world, data, host) = desk("login");
    let app = App::launch(&data, &world);
    assert!(wait_until(20, || host.item().is_some()));
    let entry = data.join("config/autostart/gatewatch.desktop");
    let item = host
        .wait_for_menu(10, |l| l.label == "Start at login")
        .unwrap();
    assert_eq!(item.checked, Some(false));
    assert!(!entry.exists());

    host.click("Start at login").unwrap();
    host.wait_for_menu(10, |l| {
        l.label == "Start at login" && l.checked == Some(true)
    })
    .expect("checked");
    let text = std::fs::read_to_string(&entry).expect("an autostart entry");
    // The installed (here: unpacked) binary, never a build directory's.
    let exe = std::fs::canonicalize(app_bin()).unwrap();
    assert!(
        text.contains(&format!("\nExec={}\n", exe.display())),
        "{text}"
    );
    let stored: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data.join("settings.json")).unwrap()).unwrap();
    assert_eq!(stored["start_at_login"], true, "{stored}");
    assert_eq!(
        stored["poll_interval_secs"], 0.5,
        "the other settings are kept"
    );

    host.click("Start at login").unwrap();
    host.wait_for_menu(10, |l| {
        l.label == "Start at login" && l.checked == Some(false)
    })
    .expect("unchecked");
    assert!(!entry.exists(), "turning it off removes the entry");
    assert_eq!(app.terminate(), Some(0));
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
    let kept = names_in(&data)
        .into_iter()
        .filter(|n| n.starts_with("settings.json.corrupt-"))
        .count();
    assert_eq!(kept, 1, "the damaged file is kept aside");
    assert_eq!(app.terminate(), Some(0));
    std::fs::remove_dir_all(&data).ok();
}

#[test]
#[ignore = "needs a desktop session: scripts/desktop-session"]
fn the_icon_turns_grey_when_our_own_network_goes() {
    let (_desk, world, data, host) = desk("grey");
    let tap = NotificationTap::start();
    let app = App::launch(&data, &world);
    assert!(wait_until(20, || host.item().is_some()));
    host.wait_for_color(GREEN, 20).expect("green first");
    // Every host, the control host included, stops answering: that is us, not ChatGPT.
    world.set(Scenario::Offline);
    host.wait_for_color(GREY, 20).expect("grey while offline");
    host.wait_for_tooltip(10, |t, _| t == "You are offline")
        .expect("the tooltip says so");
    std::thread::sleep(Duration::from_secs(2));
    assert!(
        tap.summaries().is_empty(),
        "being offline is not an outage: {:?}",
        tap.summaries()
    );
    assert_eq!(app.terminate(), Some(0));
    std::fs::remove_dir_all(&data).ok();
}

#[test]
#[ignore = "needs a desktop session: scripts/desktop-session"]
fn the_explainer_started_alone_starts_the_tray_and_a_second_one_defers() {
    let (_desk, world, data, host) = desk("alone");
    let app = app_bin();
    let explainer = sibling(&app, "gatewatch-explainer");
    let run = || {
        let mut c = Command::new(&explainer);
        c.env("GATEWATCH_DATA_DIR", &data)
            .env("XDG_CONFIG_HOME", data.join("config"))
            .env("XDG_DATA_HOME", data.join("share"))
            .env("LANG", "C")
            .envs(world.env())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        c
    };
    let mut first = run().spawn().expect("start the explainer");
    // No tray was running: the explainer starts one, then attaches to it.
    assert!(
        wait_until(20, || host.item().is_some()),
        "the explainer did not start the tray"
    );
    host.wait_for_color(GREEN, 20).expect("the tray watches");
    wait_for_window("Gatewatch - ChatGPT is up", 20);
    let trays = pids_of(&app);
    assert_eq!(trays.len(), 1, "one tray: {trays:?}");

    // A second explainer finds the first open, has it brought forward, and leaves.
    let second = run().status().expect("a second explainer");
    assert!(second.success(), "{second:?}");
    assert_eq!(windows_named(WINDOW), 1, "still one window");
    assert!(matches!(first.try_wait(), Ok(None)), "the first stays open");

    // The tray quits (logout): the explainer goes with it.
    kill(trays[0], "-TERM");
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut status = None;
    while Instant::now() < deadline && status.is_none() {
        status = first.try_wait().ok().flatten();
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        status.is_some_and(|s| s.success()),
        "the explainer ends when the tray does: {status:?}"
    );
    assert!(wait_until(10, || pids_of(&app).is_empty()));
    std::fs::remove_dir_all(&data).ok();
}

/// A client of the tray's local socket, as the explainer is one: JSON lines both ways.
struct Channel {
    reader: std::io::BufReader<std::os::unix::net::UnixStream>,
    writer: std::os::unix::net::UnixStream,
}

impl Channel {
    fn connect(data: &Path) -> Channel {
        let path = data.join("run/gatewatch.sock");
        let mut stream = None;
        assert!(
            wait_until(20, || {
                stream = std::os::unix::net::UnixStream::connect(&path).ok();
                stream.is_some()
            }),
            "no socket at {}",
            path.display()
        );
        let stream = stream.unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        Channel {
            reader: std::io::BufReader::new(stream.try_clone().unwrap()),
            writer: stream,
        }
    }

    fn send(&mut self, line: &str) {
        use std::io::Write as _;
        self.writer.write_all(line.as_bytes()).unwrap();
        self.writer.write_all(b"\n").unwrap();
    }

    /// The next line as JSON; None when the tray hung up.
    fn next(&mut self) -> Option<serde_json::Value> {
        use std::io::BufRead as _;
        let mut line = String::new();
        let n = self.reader.read_line(&mut line).expect("a line in time");
        (n > 0).then(|| serde_json::from_str(&line).expect("a JSON line"))
    }

    /// Read messages until one satisfies `want`.
    fn until(&mut self, secs: u64, want: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
        let deadline = Instant::now() + Duration::from_secs(secs);
        let mut last = serde_json::Value::Null;
        while Instant::now() < deadline {
            let Some(msg) = self.next() else {
                panic!("the tray hung up; last message: {last}")
            };
            if want(&msg) {
                return msg;
            }
            last = msg;
        }
        panic!("no such message in {secs} s; last: {last}")
    }

    /// Read messages until a view satisfies `want`, and return the view.
    fn view_until(
        &mut self,
        secs: u64,
        want: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let msg = self.until(secs, |m| m["type"] == "view" && want(&m["view"]));
        msg["view"].clone()
    }
}

#[test]
#[ignore = "needs a desktop session: scripts/desktop-session"]
fn the_local_channel_serves_views_rereads_settings_and_hangs_up_on_garbage() {
    use std::os::unix::fs::PermissionsExt as _;
    let (desk, _world, data, host) = desk("channel");
    let elsewhere = desk
        .rt
        .block_on(FakeWorld::start(Scenario::BadGateway))
        .unwrap();
    let mut app = App::launch_from_settings(&data);
    assert!(wait_until(20, || host.item().is_some()));
    host.wait_for_color(GREEN, 20).expect("green first");

    // Only its user may reach the socket.
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data.join("run")), 0o700);
    assert_eq!(mode(&data.join("run/gatewatch.sock")), 0o600);

    let mut client = Channel::connect(&data);
    client.send(&format!(
        "{{\"type\":\"hello\",\"pid\":{}}}",
        std::process::id()
    ));
    let view = client.view_until(20, |v| v["status_headline"] == "ChatGPT is up");
    assert_eq!(view["lang"], "en", "{view}");

    // While it is the open explainer, the tray's menu and click bring it forward on their page.
    host.click("Settings…").expect("the menu item");
    client.until(10, |m| m["type"] == "show" && m["page"] == "settings");
    host.activate().expect("Activate");
    client.until(10, |m| m["type"] == "show" && m["page"] == "status");
    assert!(
        app.explainers().is_empty(),
        "no second explainer was started"
    );

    // A client that sends something that is not a message is hung up on; the others stay.
    let mut rogue = Channel::connect(&data);
    rogue.send("{\"type\":\"format_disk\"}");
    assert!(rogue.next().is_none(), "the tray answered garbage");
    let mut junk = Channel::connect(&data);
    junk.send("\u{0}\u{1} not json at all");
    assert!(junk.next().is_none(), "the tray answered garbage");
    assert!(
        app.running(),
        "garbage on the socket must not stop the tray"
    );

    // New settings on disk (as the explainer saves them), then `reconfigure`: the tray reads
    // them again — other servers to watch, another language — and the client sees the result.
    let mut settings = fast_settings(&elsewhere);
    settings["language"] = "it".into();
    std::fs::write(data.join("settings.json"), settings.to_string()).unwrap();
    client.send("{\"type\":\"reconfigure\"}");
    let view = client.view_until(20, |v| v["status_headline"] == "ChatGPT non funziona");
    assert_eq!(view["lang"], "it", "{view}");
    assert_eq!(view["status"]["verdict"], "bad_gateway", "{view}");
    host.wait_for_color(RED, 20)
        .expect("the tray watches the new servers");
    host.wait_for_tooltip(10, |t, _| t == "ChatGPT non funziona")
        .expect("and speaks the new language");

    // A file broken after start is not applied: the settings in use stay, and go back on disk;
    // the damaged one is kept aside, and the client is told, in the language in use and in
    // words (not the JSON parser's).
    std::fs::write(data.join("settings.json"), b"{\"poll_interval_secs\": ,,").unwrap();
    client.send("{\"type\":\"reconfigure\"}");
    let view = client.view_until(20, |v| {
        v["warnings"][0].as_str().is_some_and(|w| {
            w.starts_with("settings.json era danneggiato; è stato conservato come ")
                && w.ends_with("Le impostazioni in uso sono state mantenute e salvate di nuovo.")
        })
    });
    assert!(
        !view["warnings"][0]
            .as_str()
            .unwrap()
            .contains("expected value"),
        "{view}"
    );
    assert_eq!(view["lang"], "it", "{view}");
    let back: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data.join("settings.json")).unwrap())
            .expect("the settings in use, written back");
    assert_eq!(back["language"], "it", "{back}");
    assert_eq!(back["poll_interval_secs"], 0.5, "{back}");
    let aside = names_in(&data)
        .into_iter()
        .filter(|n| n.starts_with("settings.json.corrupt-"))
        .count();
    assert_eq!(aside, 1, "the damaged file is kept aside");
    client.send("{\"type\":\"check_now\"}");
    std::thread::sleep(Duration::from_secs(2));
    host.wait_for_color(RED, 5).expect("still the new servers");
    assert!(app.running());
    assert_eq!(app.terminate(), Some(0));
    std::fs::remove_dir_all(&data).ok();
}

/// A non-Latin script end to end: with a Japanese system locale, the tray's tooltip, its menu
/// and its notifications are Japanese (from core/locales/ja), with no isolation marks around
/// the times and codes put into them (a panel or a notification server would show boxes).
#[test]
#[ignore = "needs a desktop session: scripts/desktop-session"]
fn with_a_japanese_locale_the_tooltip_menu_and_notifications_are_japanese() {
    use gatewatch_core::diagnose::Verdict;
    use gatewatch_core::i18n::{self, Lang};
    use gatewatch_core::text::{self, MenuText};

    let ja = Lang::from_tag("ja").expect("Japanese ships");
    let japanese = |s: &str| {
        assert!(
            !s.contains(['\u{2068}', '\u{2069}']),
            "isolation marks in {s:?}"
        );
        s.chars().any(|c| ('\u{3040}'..='\u{9fff}').contains(&c))
    };
    let (_desk, world, data, host) = desk("ja");
    let tap = NotificationTap::start();
    let mut app = App::launch_with(
        &data,
        &world,
        &[("LANG", "ja_JP.UTF-8"), ("LC_ALL", ""), ("LC_MESSAGES", "")],
    );
    let up = text::headline(Verdict::Up, ja);
    let (title, _) = host
        .wait_for_tooltip(20, |t, _| t == up)
        .expect("the tooltip says it is up, in Japanese");
    assert!(japanese(&title), "{title}");
    for item in [MenuText::CheckNow, MenuText::WhatsGoingOn, MenuText::Quit] {
        let label = text::menu(item, ja);
        assert!(japanese(&label), "{label}");
        host.wait_for_menu(10, |l| l.label == label)
            .unwrap_or_else(|e| panic!("no menu item {label:?}: {e}"));
    }
    for line in host.menu() {
        assert!(!line.label.contains(['\u{2068}', '\u{2069}']), "{line:?}");
    }

    world.set(Scenario::BadGateway);
    let down = text::headline(Verdict::BadGateway, ja);
    let (_, why) = host
        .wait_for_tooltip(20, |t, d| t == down && d.contains("502"))
        .expect("the tooltip says down, and why, in Japanese");
    assert!(japanese(&why), "{why}");
    tap.wait_for(&down, 10).unwrap();

    world.set(Scenario::Healthy);
    tap.wait_for(&i18n::t(ja, "notify-back-title"), 30).unwrap();
    for s in tap.summaries() {
        assert!(japanese(&s), "{s}");
    }
    assert!(app.running());
    assert_eq!(app.terminate(), Some(0));
    std::fs::remove_dir_all(&data).ok();
}

const AMBER: [u8; 3] = [0xf5, 0x9e, 0x0b];

#[test]
#[ignore = "needs a desktop session: scripts/desktop-session"]
fn a_network_that_blocks_chatgpt_is_told_once_amber_and_leaving_it_says_nothing() {
    let (_desk, world, data, host) = desk("network-block");
    let tap = NotificationTap::start();
    let app = App::launch(&data, &world);
    assert!(wait_until(20, || host.item().is_some()));
    host.wait_for_color(GREEN, 20).expect("green first");

    // At the office: the web filter answers for OpenAI's hosts, the internet works.
    world.set(Scenario::NetworkFilter);
    host.wait_for_color(AMBER, 20)
        .expect("amber, the 'refuses you' shape: never red");
    let (_, why) = host
        .wait_for_tooltip(10, |t, _| t == "This network blocks ChatGPT")
        .expect("the tooltip says it plainly");
    assert!(
        why.starts_with("The network's web filter answers in ChatGPT's place (Fortinet)"),
        "{why}"
    );
    tap.wait_for("This network blocks ChatGPT", 10).unwrap();
    let status = host
        .menu()
        .first()
        .map(|l| l.label.clone())
        .unwrap_or_default();
    assert!(
        status.starts_with("This network blocks ChatGPT. OpenAI reports no problem."),
        "the menu's status line: {status}"
    );
    // It lasts all day: told once.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(tap.summaries(), ["This network blocks ChatGPT"]);

    // Home again: green, and no "ChatGPT is back" after a block.
    world.set(Scenario::Healthy);
    host.wait_for_color(GREEN, 20).expect("green at home");
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(
        tap.summaries(),
        ["This network blocks ChatGPT"],
        "no down, no back: a block is not an outage"
    );
    assert_eq!(app.terminate(), Some(0));
    let history: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data.join("history.json")).unwrap()).unwrap();
    assert_eq!(history["outages"].as_array().unwrap().len(), 0, "{history}");
    assert!(
        history["samples"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["network"] == true),
        "the block is kept as such"
    );
    std::fs::remove_dir_all(&data).ok();
}

/// The computer joins another network (an address comes, in a network namespace and a desktop
/// session of the test's own): the tray's monitor starts over and asks every door at once.
#[test]
#[ignore = "needs a desktop session: scripts/desktop-session"]
fn another_network_makes_the_tray_check_every_door_at_once() {
    let session = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/desktop-session");
    if !gatewatch_fakes::blocking::in_own_network_with(
        "another_network_makes_the_tray_check_every_door_at_once",
        &[],
        &[session],
        &["--ignored"],
    ) {
        return;
    }
    let (_desk, world, data, host) = desk("network-change");
    let tap = NotificationTap::start();
    let app = App::launch(&data, &world);
    assert!(wait_until(20, || host.item().is_some()));
    host.wait_for_color(GREEN, 20).expect("green first");
    // Healthy: chatgpt.com alone at each check, the other doors every ten minutes.
    std::thread::sleep(Duration::from_secs(2));
    let before = world.traffic(gatewatch_fakes::Role::Api).requests;
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(world.traffic(gatewatch_fakes::Role::Api).requests, before);
    let added = Command::new("ip")
        .args(["addr", "add", "10.77.0.1/24", "dev", "lo"])
        .status()
        .unwrap();
    assert!(added.success());
    assert!(
        wait_until(10, || world.traffic(gatewatch_fakes::Role::Api).requests
            > before),
        "no full check after the network changed"
    );
    host.wait_for_color(GREEN, 5).expect("still green");
    assert!(
        tap.summaries().is_empty(),
        "a new network is no news by itself"
    );
    assert_eq!(app.terminate(), Some(0));
    std::fs::remove_dir_all(&data).ok();
}

/// Every *.log file under `dir`, read.
fn logs_under(dir: &Path) -> String {
    let mut out = String::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.to_string_lossy().contains(".log") {
                out.push_str(&std::fs::read_to_string(&p).unwrap_or_default());
            }
        }
    }
    out
}

#[test]
#[ignore = "needs a desktop session: scripts/desktop-session"]
fn the_channels_get_what_the_desktop_gets_and_a_failing_one_is_one_menu_line() {
    use gatewatch_fakes::receivers::{Mode, Receiver, Service};
    let (desk, world, data, host) = desk("channels");
    let hook = desk.rt.block_on(Receiver::start(Service::Webhook)).unwrap();
    let ntfy = desk
        .rt
        .block_on(Receiver::start_with_token(
            Service::Ntfy,
            Some("tk_s3cretNTFY"),
        ))
        .unwrap();
    let slack = desk.rt.block_on(Receiver::start(Service::Slack)).unwrap();
    slack.set(Mode::Status(404));
    let mut settings = fast_settings(&world);
    settings["channels"] = serde_json::json!([hook.channel(), ntfy.channel(), slack.channel()]);
    std::fs::write(data.join("settings.json"), settings.to_string()).unwrap();
    let tap = NotificationTap::start();
    let app = App::launch(&data, &world);
    assert!(wait_until(20, || host.item().is_some()));
    host.wait_for_color(GREEN, 20).expect("green first");

    // Four outages in a row: down, back, down, back, then "unstable" instead of a third down.
    for _ in 0..4 {
        world.set(Scenario::BadGateway);
        host.wait_for_color(RED, 20).expect("red");
        world.set(Scenario::Healthy);
        host.wait_for_color(GREEN, 20).expect("green");
    }
    assert!(wait_until(20, || hook.delivered().len() >= 5
        && ntfy.delivered().len() >= 5));
    std::thread::sleep(Duration::from_secs(3));
    let desktop: Vec<String> = tap
        .summaries()
        .into_iter()
        .filter(|s| s.starts_with("ChatGPT"))
        .collect();
    assert_eq!(
        desktop,
        [
            "ChatGPT is down",
            "ChatGPT is back",
            "ChatGPT is down",
            "ChatGPT is back",
            "ChatGPT is unstable"
        ]
    );
    let titles: Vec<String> = hook
        .delivered()
        .iter()
        .map(|g| g.json()["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(titles, desktop, "the webhook got what the desktop showed");
    assert_eq!(ntfy.delivered().len(), desktop.len());
    assert!(ntfy.delivered().iter().all(|g| g.shape.is_ok()));

    // Slack refuses (a deleted webhook): one line in the menu, no desktop notification about it.
    host.wait_for_menu(10, |l| {
        l.label == "Notices to Slack (127.0.0.1) fail: it answered with error 404" && !l.enabled
    })
    .expect("the failing channel's line");
    assert!(tap.summaries().iter().all(|s| !s.contains("Slack")));

    // "Send a test", as the window asks it: the webhook gets a test, the view says it went.
    let mut client = Channel::connect(&data);
    client.send(&format!(
        "{{\"type\":\"hello\",\"pid\":{}}}",
        std::process::id()
    ));
    client.view_until(20, |v| v["status_headline"] == "ChatGPT is up");
    client.send("{\"type\":\"test_channel\",\"index\":0}");
    let view = client.view_until(20, |v| v["channels"][0]["test"]["ok"] == true);
    assert_eq!(view["channels"][2]["state"]["state"], "failing", "{view}");
    assert!(
        !view.to_string().contains(slack.secret()),
        "no address in the view"
    );
    assert!(wait_until(10, || hook
        .delivered()
        .iter()
        .any(|g| g.json()["notice"] == "test")));

    assert_eq!(app.terminate(), Some(0));
    let logs = logs_under(&data);
    assert!(
        !logs.is_empty(),
        "the tray's log is under its data directory"
    );
    for r in [&hook, &ntfy, &slack] {
        assert!(!logs.contains(r.secret()), "a secret in the log");
    }
    assert!(!logs.contains("tk_s3cret"));
    std::fs::remove_dir_all(&data).ok();
}

/// The real `gatewatch-browser-host`, started as Chromium starts it (the extension's origin as
/// its argument, native messaging frames on stdin and stdout), talking to the tray whose data
/// directory is `data`. Its frames to the browser are read by a thread of their own.
struct BrowserHost {
    child: Child,
    stdin: std::process::ChildStdin,
    frames: std::sync::mpsc::Receiver<serde_json::Value>,
}

impl BrowserHost {
    fn start(data: &Path) -> BrowserHost {
        use gatewatch_core::browser::CHROMIUM_IDS;
        let program = sibling(&app_bin(), "gatewatch-browser-host");
        let mut child = Command::new(program)
            .arg(format!("chrome-extension://{}/", CHROMIUM_IDS[0]))
            .env("GATEWATCH_DATA_DIR", data)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start gatewatch-browser-host");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let (tx, frames) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::Read as _;
            loop {
                let mut len = [0u8; 4];
                if stdout.read_exact(&mut len).is_err() {
                    return;
                }
                let mut body = vec![0u8; u32::from_ne_bytes(len) as usize];
                if stdout.read_exact(&mut body).is_err() {
                    return;
                }
                let v = serde_json::from_slice(&body).expect("the host sends JSON");
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        BrowserHost {
            child,
            stdin,
            frames,
        }
    }

    /// One summary of the extension's window, framed as the browser frames it.
    fn send(&mut self, records: &serde_json::Value) {
        use gatewatch_core::browser::native::{encode_frame, MAX_IN};
        use std::io::Write as _;
        let msg = serde_json::json!({"type": "summary", "records": records}).to_string();
        let frame = encode_frame(msg.as_bytes(), MAX_IN).unwrap();
        self.stdin.write_all(&frame).expect("the host reads");
        self.stdin.flush().unwrap();
    }

    /// The host's messages until one satisfies `want` (within `secs`): that one.
    fn wait_for(&self, secs: u64, want: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
        let deadline = Instant::now() + Duration::from_secs(secs);
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.frames.recv_timeout(left) {
                Ok(v) if want(&v) => return v,
                Ok(v) => seen.push(v),
                Err(_) => break,
            }
        }
        panic!("no such message from the host; it said {seen:?}");
    }
}

impl Drop for BrowserHost {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// Outcome records as the extension makes them, dated `t` (Unix seconds, a ten-second bucket).
fn record(kind: &str, result: &str, status: u16, t: i64) -> serde_json::Value {
    serde_json::json!({"kind": kind, "result": result, "status": status, "cf": true, "t": t})
}

#[test]
#[ignore = "needs a desktop session: scripts/desktop-session"]
fn the_browser_s_failing_conversations_turn_the_tray_red_before_anything_else_sees_them() {
    let (_desk, world, data, host) = desk("browser");
    // A home of the test's own, where Chromium has been run (and Chrome has not).
    let home = data.join("home");
    std::fs::create_dir_all(home.join(".config/chromium")).unwrap();
    let app = App::launch_with(&data, &world, &[("HOME", home.to_str().unwrap())]);
    host.wait_for_color(GREEN, 20).expect("green while healthy");

    // At start the tray registered the host for Chromium, naming the program beside it.
    let manifest = home.join(".config/chromium/NativeMessagingHosts/app.gatewatch.browser.json");
    assert!(
        wait_until(10, || manifest.exists()),
        "no host manifest for Chromium"
    );
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    assert_eq!(
        std::fs::canonicalize(m["path"].as_str().unwrap()).ok(),
        std::fs::canonicalize(sibling(&app_bin(), "gatewatch-browser-host")).ok(),
        "{m}"
    );
    assert_eq!(m["name"], "app.gatewatch.browser");
    assert!(
        !home.join(".config/google-chrome").exists(),
        "nothing for a browser never run"
    );

    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let t = now / 10 * 10 - 60;
    let mut browser = BrowserHost::start(&data);

    // One 502 and three generations stopped by the user: were a stop a failure, 4 of the last
    // 5 would have failed. It is not: the tray answers, and stays green.
    let conv = |result: &str, status: u16, dt: i64| record("conversation", result, status, t + dt);
    browser.send(&serde_json::json!([
        conv("http_5xx", 502, 0),
        conv("stopped", 200, 10),
        conv("stopped", 200, 10),
        conv("stopped", 200, 20),
        conv("ok", 200, 20),
    ]));
    let word = browser.wait_for(10, |v| v["type"] == "state");
    assert_eq!(word["lang"], "en", "{word}");
    assert_eq!(word["banner"], serde_json::Value::Null, "{word}");
    let calm_until = Instant::now() + Duration::from_secs(3);
    while Instant::now() < calm_until {
        assert_eq!(
            host.icon_color(),
            Some(GREEN),
            "a stopped generation is no failure"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    // 3 of the last 5 conversation requests fail with a 502 through Cloudflare. The fake hosts
    // stay healthy — Gatewatch's own probe and the status page see nothing wrong — and the
    // tray goes red, and says why.
    let failing = serde_json::json!([
        conv("ok", 200, 30),
        conv("http_5xx", 502, 30),
        conv("stopped", 200, 40),
        conv("ok", 200, 40),
        conv("http_5xx", 502, 50),
        conv("http_5xx", 502, 50),
    ]);
    let sent = Instant::now();
    browser.send(&failing);
    host.wait_for_color(RED, 10)
        .expect("red on the browser's failing conversations");
    let (_, why) = host
        .wait_for_tooltip(5, |t, d| t == "ChatGPT is down" && d.contains("502"))
        .expect("the tooltip says down, and why");
    eprintln!("red {:?} after the summary: {why}", sent.elapsed());
    assert_eq!(world.scenario(), Scenario::Healthy);
    // The host is told the tray's new word.
    let word = browser.wait_for(10, |v| v["type"] == "state" && v["color"] == "red");
    assert_eq!(word["verdict"], "bad_gateway", "{word}");
    assert_eq!(
        word["banner"],
        serde_json::Value::Null,
        "no error page yet: {word}"
    );

    // The user reloads chatgpt.com and meets its 502 page: the word carries the banner, with
    // the tray's cause and the phone-app advice.
    let mut with_page = failing.as_array().unwrap().clone();
    with_page.push(record("page", "http_5xx", 502, t + 60));
    browser.send(&serde_json::Value::Array(with_page));
    let word = browser.wait_for(10, |v| v["type"] == "state" && !v["banner"].is_null());
    let banner = &word["banner"];
    assert_eq!(banner["title"], "ChatGPT is down", "{word}");
    assert!(banner["cause"].as_str().unwrap().contains("502"), "{word}");
    assert!(
        banner["advice"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("app"),
        "{word}"
    );

    // The browser's requests answer again: green again.
    browser.send(&serde_json::json!([
        conv("ok", 200, 60),
        conv("ok", 200, 60),
        conv("ok", 200, 60),
        conv("ok", 200, 60),
        conv("ok", 200, 60),
        record("page", "ok", 200, t + 60),
    ]));
    host.wait_for_color(GREEN, 10)
        .expect("green when the browser's conversations answer");
    browser.wait_for(10, |v| v["type"] == "state" && v["color"] == "green");
    drop(browser);

    // Nothing of the browser is kept on disk: the outage's verdict in the history, no record.
    assert_eq!(app.terminate(), Some(0));
    let history: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data.join("history.json")).unwrap()).unwrap();
    assert_eq!(history["outages"][0]["verdict"], "bad_gateway", "{history}");
    for f in walk(&data) {
        if f.starts_with(&home) {
            continue;
        }
        let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap_or_default()).into_owned();
        for word in ["http_5xx", "\"records\""] {
            assert!(!text.contains(word), "{} keeps {word}", f.display());
        }
    }
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
