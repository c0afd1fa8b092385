//! The real explainer window, driven through WebKitWebDriver (the WebDriver server of the
//! WebKitGTK that Tauri uses on Linux). The tray process (`gatewatch-app`) runs first and checks
//! the fake servers; the driver starts the explainer program, which finds the tray's socket as the
//! tray does and attaches to it; the test reads what the window shows, and clicks the tray as a
//! panel does (the test plays the StatusNotifierWatcher).
//!
//! Run inside `scripts/desktop-session` (which `scripts/test` does), with the tray built:
//!   scripts/desktop-session cargo test -p gatewatch-tray -p gatewatch-explainer --test window -- --ignored

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use gatewatch_core::diagnose::Verdict;
use gatewatch_core::driver;
use gatewatch_core::report::Report;
use gatewatch_core::settings::{Overrides, Settings};
use gatewatch_core::text::{self, Lang};
use gatewatch_fakes::desktop::TrayHost;
use gatewatch_fakes::receivers::{Receiver, Service};
use gatewatch_fakes::session::{
    alive, fast_settings, pids_of, require_session, sibling, tempdir, wait_until, windows_named,
};
use gatewatch_fakes::webdriver::Driver;
use gatewatch_fakes::{FakeWorld, Scenario};
use serde_json::json;

const EXPLAINER: &str = env!("CARGO_BIN_EXE_gatewatch-explainer");

/// Talk to the panel off the async threads: its D-Bus connection is the blocking kind.
async fn on_host<T: Send + 'static>(
    host: &Arc<TrayHost>,
    f: impl FnOnce(&TrayHost) -> T + Send + 'static,
) -> T {
    let host = host.clone();
    tokio::task::spawn_blocking(move || f(&host)).await.unwrap()
}

/// What the core says about the world right now, worded as the app words it.
async fn expected(world: &FakeWorld) -> Report {
    let (s, _) = Settings::from_json(&fast_settings(world));
    let cfg = s.to_config(&Overrides::default(), 1).unwrap();
    let (obs, diag, err) = driver::check_once(cfg).await.unwrap();
    Report::new(&obs, &diag, err.as_ref(), Lang::EN, 0)
}

fn shot_dir() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    std::fs::create_dir_all(&d).unwrap();
    d
}

const READ: &str = r#"
const $ = (id) => document.getElementById(id);
return {
  headline: $("headline").textContent,
  color: $("hero").dataset.color,
  cause: $("cause").textContent,
  origin: document.querySelector('#path li[data-hop="origin"]').dataset.state,
  qr: document.querySelectorAll("svg.qr path").length,
};
"#;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session and WebKitWebDriver: scripts/desktop-session"]
async fn the_real_window_tells_a_502_and_the_recovery() {
    require_session();
    let world = FakeWorld::start(Scenario::BadGateway).await.unwrap();
    let data = tempdir("window");
    std::fs::write(
        data.join("settings.json"),
        fast_settings(&world).to_string(),
    )
    .unwrap();
    let want = expected(&world).await;
    assert_eq!(want.verdict, "bad_gateway");

    // A panel, to click the tray as people do.
    let host = Arc::new(tokio::task::spawn_blocking(TrayHost::start).await.unwrap());
    // The tray first: it owns the monitor and the socket the explainer attaches to.
    let mut tray = Command::new(sibling(EXPLAINER, "gatewatch-app"))
        .env("GATEWATCH_DATA_DIR", &data)
        .env("XDG_CONFIG_HOME", data.join("config"))
        .env("XDG_DATA_HOME", data.join("share"))
        .env("LANG", "C")
        .envs(world.env())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the tray");
    let _reaper = KillOnPanic(tray.id());
    assert!(
        wait_until(20, || data.join("run/gatewatch.sock").exists()),
        "the tray never listened"
    );

    // The driver starts the explainer, which inherits this environment and so finds the tray.
    let data_s = data.to_string_lossy().into_owned();
    let config = data.join("config").to_string_lossy().into_owned();
    let share = data.join("share").to_string_lossy().into_owned();
    let mut env: Vec<(&str, &str)> = vec![
        ("TAURI_WEBVIEW_AUTOMATION", "true"),
        ("GATEWATCH_DATA_DIR", &data_s),
        ("XDG_CONFIG_HOME", &config),
        ("XDG_DATA_HOME", &share),
        ("LANG", "C"),
    ];
    let world_env = world.env();
    env.extend(world_env.iter().map(|(k, v)| (*k, v.as_str())));
    let driver = Driver::spawn("WebKitWebDriver", &env)
        .await
        .expect("WebKitWebDriver (scripts/install-deps test installs webkit2gtk-driver)");
    let session = driver
        .session(json!({
            "webkitgtk:browserOptions": { "binary": EXPLAINER, "args": [] }
        }))
        .await
        .expect("a WebDriver session with the explainer's window");

    assert_eq!(session.title().await.unwrap(), "Gatewatch");
    assert!(session
        .current_url()
        .await
        .unwrap()
        .ends_with("index.html#status"));
    let down = text::headline(Verdict::BadGateway, Lang::EN);
    session
        .wait_for(
            &format!(
                "return document.getElementById('headline').textContent === {};",
                serde_json::to_string(&down).unwrap()
            ),
            Duration::from_secs(20),
        )
        .await
        .unwrap_or_else(|e| panic!("the window never said {down:?}: {e}"));
    // The QR codes are made by a command of their own, answered after the view: they may come a
    // moment after the headline.
    let drawn = session
        .wait_for(
            "return document.querySelectorAll('svg.qr path').length === 2;",
            Duration::from_secs(10),
        )
        .await;
    let seen = session.exec(READ, vec![]).await.unwrap();
    assert!(drawn.is_ok(), "the QR codes are never drawn: {seen}");
    assert_eq!(seen["color"], "red", "{seen}");
    assert_eq!(seen["cause"], want.cause_text, "{seen}");
    assert_eq!(seen["origin"], "failed", "{seen}");
    assert_eq!(seen["qr"], 2, "the QR codes are drawn: {seen}");
    std::fs::write(
        shot_dir().join("window-bad_gateway.png"),
        session.screenshot().await.unwrap(),
    )
    .unwrap();

    // Recovery, asked for with the window's own button.
    world.set(Scenario::Healthy);
    session
        .exec(
            "document.getElementById('check-now').click(); return true;",
            vec![],
        )
        .await
        .unwrap();
    let up = text::headline(Verdict::Up, Lang::EN);
    session
        .wait_for(
            &format!(
                "return document.getElementById('headline').textContent === {} && \
                 document.getElementById('hero').dataset.color === 'green';",
                serde_json::to_string(&up).unwrap()
            ),
            Duration::from_secs(20),
        )
        .await
        .unwrap_or_else(|e| panic!("the window never said {up:?}: {e}"));
    std::fs::write(
        shot_dir().join("window-up.png"),
        session.screenshot().await.unwrap(),
    )
    .unwrap();
    // The tray's "Settings…" brings the open window forward on its settings page (no second
    // explainer), and a click on the icon takes it back to the status page.
    assert!(
        wait_until(20, || host.item().is_some()),
        "the tray never showed its icon"
    );
    on_host(&host, |h| h.click("Settings…"))
        .await
        .expect("the tray's menu item");
    session
        .wait_for(
            "return location.hash === '#settings' && \
             !document.getElementById('page-settings').hidden && \
             document.getElementById('page-status').hidden;",
            Duration::from_secs(20),
        )
        .await
        .unwrap_or_else(|e| panic!("the open window did not turn to its settings: {e}"));
    assert_eq!(pids_of(EXPLAINER).len(), 1, "one explainer");

    // Notifications elsewhere, through the real window's commands: a JSON webhook added,
    // "Send a test" (which saves first), the tray sends it, and the window says it went.
    let hook = Receiver::start(Service::Webhook).await.unwrap();
    session
        .exec(
            "document.getElementById('channel-add').click();              const li = document.querySelector('#channel-list > li:last-child');              li.querySelector('.kind').value = 'webhook';              li.querySelector('.url').value = arguments[0];              li.querySelector('.test').click(); return true;",
            vec![json!(hook.url())],
        )
        .await
        .unwrap();
    session
        .wait_for(
            "const p = document.querySelector('#channel-list .state');              return p && p.textContent.startsWith('Test sent at ');",
            Duration::from_secs(20),
        )
        .await
        .unwrap_or_else(|e| panic!("the window never said the test went: {e}"));
    let got = hook.delivered();
    assert_eq!(got.len(), 1, "one test");
    assert_eq!(got[0].json()["notice"], "test");
    assert_eq!(got[0].shape, Ok(()));
    let saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data.join("settings.json")).unwrap()).unwrap();
    assert_eq!(saved["channels"][0]["url"], hook.url());
    on_host(&host, TrayHost::activate).await.expect("Activate");
    session
        .wait_for(
            "return location.hash === '#status' && \
             !document.getElementById('page-status').hidden;",
            Duration::from_secs(20),
        )
        .await
        .unwrap_or_else(|e| panic!("the window did not go back to the status page: {e}"));

    // Escape closes the window and ends its process; the tray stays, with no web engine left.
    // The window may be gone before the key is released, so the driver's answer is moot.
    let explainers = pids_of(EXPLAINER);
    assert_eq!(explainers.len(), 1, "{explainers:?}");
    session.keys("\u{E00C}").await.ok();
    let gone = wait_until(10, || windows_named("^Gatewatch - ") == 0);
    assert!(gone, "the window did not close");
    assert!(
        wait_until(10, || !alive(explainers[0])),
        "the explainer process outlived its window"
    );
    assert!(
        wait_until(10, || pids_of("WebKitWebProcess").is_empty()),
        "WebKit still running after the window closed"
    );
    assert!(
        matches!(tray.try_wait(), Ok(None)),
        "the tray keeps running"
    );
    session.close().await.ok();
    drop(driver);
    Command::new("kill")
        .arg(tray.id().to_string())
        .status()
        .ok();
    let status = tray.wait().expect("the tray ends");
    assert!(
        status.success(),
        "SIGTERM quits the tray cleanly: {status:?}"
    );
    tokio::task::spawn_blocking(move || drop(host)).await.ok();
    std::fs::remove_dir_all(&data).ok();
}

/// A failed assertion must not leave the tray running: a stray tray would be counted by the
/// next test that looks for one.
struct KillOnPanic(u32);

impl Drop for KillOnPanic {
    fn drop(&mut self) {
        if std::thread::panicking() {
            Command::new("kill")
                .args(["-KILL", &self.0.to_string()])
                .status()
                .ok();
        }
    }
}
