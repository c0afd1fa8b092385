//! The update check in the real tray, in a headless desktop, against a fake release server on
//! loopback whose releases are signed here with the key the tray was built to trust
//! (`scripts/update-test-key`). Seen from outside only: the notifications on D-Bus, the menu
//! through dbusmenu (clicked as a panel clicks), the requests on the fake server, the tray's
//! log, and its `update.json`.
//!
//! Run inside `scripts/desktop-session` (which `scripts/test` does):
//!   scripts/desktop-session cargo test -p gatewatch-tray --test update -- --ignored
#![cfg(target_os = "linux")]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use gatewatch_core::update::PLATFORM;
use gatewatch_fakes::desktop::{NotificationTap, TrayHost};
use gatewatch_fakes::releases::{Answer, Key, Release, Releases};
use gatewatch_fakes::session::{fast_settings, require_session, tempdir, wait_until};
use gatewatch_fakes::{FakeWorld, Scenario};
use serde_json::Value;

const APP: &str = env!("CARGO_BIN_EXE_gatewatch-app");
const RUNNING: &str = env!("CARGO_PKG_VERSION");
const DAILY: &str = "Gatewatch checks for new versions";
/// The menu's switch for the daily check.
const SWITCH: &str = "Check for new versions daily";

/// One desktop test at a time: they share the session bus names.
static SESSION: Mutex<()> = Mutex::new(());

fn next(minor_up: u64) -> String {
    let mut p = RUNNING.split('.');
    let major: u64 = p.next().unwrap().parse().unwrap();
    let minor: u64 = p.next().unwrap().parse().unwrap();
    format!("{major}.{}.0", minor + minor_up)
}

fn available(version: &str) -> String {
    format!("Gatewatch {version} is available")
}

fn release(key: &Key, version: &str) -> Release {
    Release::new(
        key,
        version,
        PLATFORM,
        &format!("Gatewatch-{version}.AppImage"),
        format!("the AppImage of {version}").into_bytes(),
    )
}

struct Tray(Child);

impl Tray {
    fn start(data: &Path, env: &[(&str, &str)]) -> Tray {
        let child = Command::new(APP)
            .env("GATEWATCH_DATA_DIR", data)
            .env("XDG_CONFIG_HOME", data.join("config"))
            .env("XDG_DATA_HOME", data.join("share"))
            .env("LANG", "C")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the tray");
        Tray(child)
    }

    fn quit(mut self) {
        Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status()
            .ok();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(s)) = self.0.try_wait() {
                assert!(s.success(), "{s:?}");
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("the tray did not quit");
    }
}

impl Drop for Tray {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            self.0.kill().ok();
            self.0.wait().ok();
        }
    }
}

fn log(data: &Path) -> String {
    let dir = data.join("share/app.gatewatch.desktop/logs");
    let mut all = String::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        all.push_str(&std::fs::read_to_string(e.path()).unwrap_or_default());
    }
    all
}

fn state(data: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(data.join("update.json")).unwrap_or_default())
        .unwrap_or(Value::Null)
}

/// Make the last check two days old, so that the next start checks within a second.
fn age_last_check(data: &Path) {
    let mut s = state(data);
    let old = s["last_check_ms"].as_i64().expect("a check was recorded") - 2 * 86_400_000;
    s["last_check_ms"] = old.into();
    std::fs::write(data.join("update.json"), s.to_string()).unwrap();
}

fn count(tap: &NotificationTap, summary: &str) -> usize {
    tap.summaries().iter().filter(|s| *s == summary).count()
}

struct Setup {
    rt: tokio::runtime::Runtime,
    world: FakeWorld,
    server: Releases,
    data: PathBuf,
    _one: std::sync::MutexGuard<'static, ()>,
}

fn setup(name: &str, updates: &str) -> Setup {
    require_session();
    let one = SESSION.lock().unwrap_or_else(|p| p.into_inner());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let world = rt.block_on(FakeWorld::start(Scenario::Healthy)).unwrap();
    let server = rt.block_on(Releases::start()).unwrap();
    let data = tempdir(name);
    let mut settings = fast_settings(&world);
    settings["updates"] = updates.into();
    settings["update_url"] = server.manifest_url().into();
    std::fs::write(data.join("settings.json"), settings.to_string()).unwrap();
    Setup {
        rt,
        world,
        server,
        data,
        _one: one,
    }
}

#[test]
#[ignore = "needs a desktop session: scripts/desktop-session"]
fn a_new_version_is_told_once_skipped_for_good_and_the_next_one_told_again() {
    let s = setup("update-once", "notify");
    let key = Key::test();
    let host = TrayHost::start();
    let tap = NotificationTap::start();
    let v1 = next(1);
    s.server.publish(&release(&key, &v1), &key);

    // First start: the notice that checks happen, then (the address being on this machine) the
    // check within a second or two, and one notification for the new version.
    let tray = Tray::start(&s.data, &[]);
    tap.wait_for(DAILY, 20).unwrap();
    tap.wait_for(&available(&v1), 20).unwrap();
    host.wait_for_menu(10, |l| l.label == available(&v1) && l.enabled)
        .expect("the menu says so");
    // Not installed from our repositories (this is cargo's build): the release page.
    host.wait_for_menu(5, |l| l.label == "Open the download page")
        .unwrap();
    host.wait_for_menu(5, |l| l.label == "Skip this version")
        .unwrap();
    assert!(log(&s.data).contains("update check: a newer version is available"));
    assert_eq!(s.server.requests(), 4, "{:?}", s.server.seen());
    assert_eq!(state(&s.data)["notified"], v1.as_str());
    // Linux never downloads anything.
    assert!(!s.data.join("share/app.gatewatch.desktop/updates").exists());

    // Started again with the day passed: the same version is found and not told again, nor is
    // the first start's notice.
    tray.quit();
    age_last_check(&s.data);
    let tray = Tray::start(&s.data, &[]);
    assert!(
        wait_until(20, || s.server.requests() == 8),
        "{:?}",
        s.server.seen()
    );
    host.wait_for_menu(10, |l| l.label == available(&v1))
        .unwrap();
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(count(&tap, &available(&v1)), 1, "{:?}", tap.summaries());
    assert_eq!(count(&tap, DAILY), 1, "{:?}", tap.summaries());

    // "Skip this version": its lines go, and it stays skipped after a check…
    host.click("Skip this version").unwrap();
    assert!(
        wait_until(10, || !host
            .menu()
            .iter()
            .any(|l| l.label == available(&v1))),
        "{:?}",
        host.menu()
    );
    assert_eq!(state(&s.data)["skipped"], v1.as_str());
    tray.quit();
    age_last_check(&s.data);
    let tray = Tray::start(&s.data, &[]);
    assert!(wait_until(20, || s.server.requests() == 12));
    std::thread::sleep(Duration::from_secs(2));
    assert!(
        !host.menu().iter().any(|l| l.label == available(&v1)),
        "{:?}",
        host.menu()
    );
    assert_eq!(count(&tap, &available(&v1)), 1);

    // …while a newer one is told at the next check: "Check for updates" asks now, and answers.
    let v2 = next(2);
    s.server.clear();
    s.server.publish(&release(&key, &v2), &key);
    host.click("Check for updates").unwrap();
    tap.wait_for(&available(&v2), 20).unwrap();
    host.wait_for_menu(10, |l| l.label == available(&v2))
        .unwrap();
    // Asked by hand again: answered again (with the same version), as asked.
    host.click("Check for updates").unwrap();
    assert!(wait_until(20, || count(&tap, &available(&v2)) == 2));

    // A release that cannot be believed (one byte changed after signing): no notice, no menu
    // line for it, one log line saying why.
    let v3 = next(3);
    let bad = release(&key, &v3);
    let manifest = bad.manifest(&s.server);
    let sig = key.sign_release(&manifest, "latest.json", &v3);
    let mut tampered = manifest.clone();
    let at = tampered.iter().position(|b| *b == b'G').unwrap();
    tampered[at] = b'g';
    s.server.clear();
    s.server.publish_raw(&bad, tampered, sig);
    host.click("Check for updates").unwrap();
    tap.wait_for("Could not check for updates", 20).unwrap();
    assert!(
        wait_until(10, || log(&s.data).contains(
            "update check: no update: the signature of the release manifest does not match it"
        )),
        "{}",
        log(&s.data)
    );
    assert_eq!(count(&tap, &available(&v3)), 0);
    assert!(!host.menu().iter().any(|l| l.label == available(&v3)));
    tray.quit();
    drop(s.world);
    drop(s.rt);
    std::fs::remove_dir_all(&s.data).ok();
}

#[test]
#[ignore = "needs a desktop session: scripts/desktop-session"]
fn turned_off_the_tray_asks_nothing_and_offers_nothing() {
    let s = setup("update-off", "off");
    let key = Key::test();
    let host = TrayHost::start();
    let tap = NotificationTap::start();
    s.server.publish(&release(&key, &next(1)), &key);

    // The setting.
    let tray = Tray::start(&s.data, &[]);
    host.wait_for_menu(20, |l| l.label == "Check now").unwrap();
    std::thread::sleep(Duration::from_secs(4));
    assert!(
        !host.menu().iter().any(|l| l.label == "Check for updates"),
        "{:?}",
        host.menu()
    );
    tray.quit();

    // The environment, whatever the setting says.
    let mut settings: Value =
        serde_json::from_slice(&std::fs::read(s.data.join("settings.json")).unwrap()).unwrap();
    settings["updates"] = "notify".into();
    std::fs::write(s.data.join("settings.json"), settings.to_string()).unwrap();
    let tray = Tray::start(&s.data, &[("GATEWATCH_UPDATES", "off")]);
    host.wait_for_menu(20, |l| l.label == "Check now").unwrap();
    std::thread::sleep(Duration::from_secs(4));
    assert!(!host.menu().iter().any(|l| l.label == "Check for updates"));
    tray.quit();

    assert_eq!(s.server.requests(), 0, "{:?}", s.server.seen());
    assert!(tap.summaries().is_empty(), "{:?}", tap.summaries());
    assert!(log(&s.data).contains("update checks: none (update checks are turned off"));

    // A failing server is quiet: a scheduled check that fails tells no one.
    s.server.clear();
    s.server.answer(
        gatewatch_fakes::releases::MANIFEST_PATH,
        Answer::Status(503),
    );
    let tray = Tray::start(&s.data, &[]);
    tap.wait_for(DAILY, 20).unwrap();
    assert!(
        wait_until(20, || log(&s.data).contains("answered HTTP 503")),
        "{}",
        log(&s.data)
    );
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(
        tap.summaries(),
        [DAILY],
        "a failed scheduled check tells no one"
    );
    tray.quit();
    drop(s.world);
    drop(s.rt);
    std::fs::remove_dir_all(&s.data).ok();
}

#[test]
#[ignore = "needs a desktop session: scripts/desktop-session"]
fn the_menus_switch_turns_the_daily_check_on_and_off() {
    let s = setup("update-switch", "off");
    let key = Key::test();
    let host = TrayHost::start();
    let tap = NotificationTap::start();
    let v1 = next(1);
    s.server.publish(&release(&key, &v1), &key);
    let saved = || -> Value {
        serde_json::from_slice(&std::fs::read(s.data.join("settings.json")).unwrap()).unwrap()
    };

    // Off in the settings: the switch is there, unchecked, and nothing is asked.
    let tray = Tray::start(&s.data, &[]);
    host.wait_for_menu(20, |l| l.label == SWITCH && l.checked == Some(false))
        .expect("the switch, unchecked");
    std::thread::sleep(Duration::from_secs(3));
    assert!(!host.menu().iter().any(|l| l.label == "Check for updates"));
    assert_eq!(s.server.requests(), 0, "{:?}", s.server.seen());

    // On from the menu: saved, and (never checked before) the check comes at once and tells.
    host.click(SWITCH).unwrap();
    host.wait_for_menu(10, |l| l.label == SWITCH && l.checked == Some(true))
        .expect("the switch, checked");
    assert!(
        wait_until(10, || saved()["updates"] == "notify"),
        "{}",
        saved()
    );
    tap.wait_for(&available(&v1), 20).unwrap();
    host.wait_for_menu(10, |l| l.label == available(&v1))
        .unwrap();
    host.wait_for_menu(5, |l| l.label == "Check for updates")
        .unwrap();
    assert_eq!(s.server.requests(), 4, "{:?}", s.server.seen());
    assert!(log(&s.data).contains("update checks switched from the menu updates=\"notify\""));

    // Off again: saved, the update's lines and "Check for updates" go, nothing more is asked.
    host.click(SWITCH).unwrap();
    host.wait_for_menu(10, |l| l.label == SWITCH && l.checked == Some(false))
        .expect("the switch, unchecked again");
    assert!(
        wait_until(10, || saved()["updates"] == "off"),
        "{}",
        saved()
    );
    assert!(
        wait_until(10, || !host.menu().iter().any(|l| l.label
            == available(&v1)
            || l.label == "Check for updates")),
        "{:?}",
        host.menu()
    );
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(s.server.requests(), 4, "{:?}", s.server.seen());
    tray.quit();

    // The environment decides over the setting: no switch then.
    let tray = Tray::start(&s.data, &[("GATEWATCH_UPDATES", "off")]);
    host.wait_for_menu(20, |l| l.label == "Check now").unwrap();
    assert!(
        !host.menu().iter().any(|l| l.label == SWITCH),
        "{:?}",
        host.menu()
    );
    tray.quit();
    assert_eq!(s.server.requests(), 4);
    drop(s.world);
    drop(s.rt);
    std::fs::remove_dir_all(&s.data).ok();
}
