//! The Windows build of the tray process, end to end: the real `gatewatch-app.exe` started with
//! its data directory in a throwaway place, against the fake hosts on loopback, observed from
//! outside — through its named pipe as the explainer sees it, its log, its history file and the
//! registry — never through its own word. `scripts/windows` runs it under Wine, in a headless
//! desktop (tao's event loop needs a display).
//!
//! What Wine cannot show is said, not faked: toasts fail there (no WinRT notification
//! platform), so the test checks that the failure is logged and the tray carries on; clicks on
//! the tray icon are dropped by Wine's stubbed `Shell_NotifyIconGetRect`, so the menu's actions
//! are reached the way a second launch, an installer or the explainer reach them: the pipe.
#![cfg(windows)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use gatewatch_core::channel::{self, Conn};
use gatewatch_core::ipc::{FromTray, LineReader};
use gatewatch_fakes::session::{fast_settings, tempdir, wait_until};
use gatewatch_fakes::{FakeWorld, Scenario};
use serde_json::Value;
use tokio::io::{AsyncWriteExt as _, BufReader, ReadHalf, WriteHalf};

const BUILT: &str = env!("CARGO_BIN_EXE_gatewatch-app");
/// Every tray sets (or clears) the user's one Run value as it starts: one test at a time.
static REGISTRY: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
const RUN_KEY: &str = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Run";

/// The programs under test: the ones cargo built, or — with `GATEWATCH_TEST_BIN_DIR` — the ones
/// the installer put in place (scripts/windows installs it under Wine and runs this again).
fn bin(name: &str) -> PathBuf {
    match std::env::var("GATEWATCH_TEST_BIN_DIR") {
        Ok(dir) if !dir.is_empty() => Path::new(&dir).join(name),
        _ => Path::new(BUILT).with_file_name(name),
    }
}

fn app_bin() -> PathBuf {
    bin("gatewatch-app.exe")
}

fn launch(data: &Path, world: &FakeWorld, args: &[&str]) -> Command {
    let mut c = Command::new(app_bin());
    c.args(args)
        .env("GATEWATCH_DATA_DIR", data)
        // Logs under the data directory too: %LOCALAPPDATA%\app.gatewatch.desktop\logs.
        .env("LOCALAPPDATA", data)
        // No explainer beside a test's executable: the tray must say so, not fail.
        .env("GATEWATCH_EXPLAINER", data.join("no-explainer.exe"))
        .envs(world.env())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

fn endpoint(data: &Path) -> PathBuf {
    let data = data.to_string_lossy().into_owned();
    let appdata = std::env::var("APPDATA").ok();
    channel::endpoint(|k| match k {
        "GATEWATCH_DATA_DIR" => Some(data.clone()),
        "APPDATA" => appdata.clone(),
        _ => None,
    })
    .expect("a pipe name")
}

/// The log file's text (one file a day under `logs\`).
fn log(data: &Path) -> String {
    let dir = data.join("app.gatewatch.desktop").join("logs");
    let mut all = String::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        all.push_str(&std::fs::read_to_string(e.path()).unwrap_or_default());
    }
    all
}

fn run_key_value() -> Option<String> {
    let out = Command::new("reg")
        .args(["query", RUN_KEY, "/v", "Gatewatch"])
        .output()
        .expect("reg.exe runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.success() && text.contains("Gatewatch")).then_some(text)
}

/// The key under HKCU that names the browser host's manifest for Chrome: its default value.
const CHROME_HOST_KEY: &str =
    r"HKCU\Software\Google\Chrome\NativeMessagingHosts\app.gatewatch.browser";

fn chrome_host_key() -> Option<String> {
    let out = Command::new("reg")
        .args(["query", CHROME_HOST_KEY, "/ve"])
        .output()
        .expect("reg.exe runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.success() && text.contains("REG_SZ")).then_some(text)
}

fn exited(child: &mut Child, secs: u64) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < deadline {
        if let Some(s) = child.try_wait().unwrap() {
            return Some(s);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

/// A client of the tray's pipe, as the explainer is one.
struct Client {
    reader: LineReader<BufReader<ReadHalf<Conn>>>,
    writer: WriteHalf<Conn>,
}

impl Client {
    async fn connect(pipe: &Path) -> Client {
        let deadline = Instant::now() + Duration::from_secs(30);
        let conn = loop {
            match channel::connect(pipe).await {
                Ok(c) => break c,
                Err(e) if Instant::now() > deadline => panic!("no pipe: {e}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        };
        let (r, w) = tokio::io::split(conn);
        Client {
            reader: LineReader::new(BufReader::new(r)),
            writer: w,
        }
    }

    async fn send(&mut self, line: &str) {
        self.writer.write_all(line.as_bytes()).await.unwrap();
        self.writer.write_all(b"\n").await.unwrap();
    }

    /// The next message; None when the tray hung up.
    async fn next(&mut self, secs: u64) -> Option<FromTray> {
        tokio::time::timeout(Duration::from_secs(secs), self.reader.next::<FromTray>())
            .await
            .expect("a message in time")
            .ok()
            .flatten()
    }

    async fn until(&mut self, secs: u64, want: impl Fn(&FromTray) -> bool) -> FromTray {
        let deadline = Instant::now() + Duration::from_secs(secs);
        let mut last = None;
        while Instant::now() < deadline {
            match self.next(secs).await {
                Some(m) if want(&m) => return m,
                Some(m) => last = Some(m),
                None => panic!("the tray hung up; last: {last:?}"),
            }
        }
        panic!("no such message in {secs} s; last: {last:?}")
    }

    async fn view_until(&mut self, secs: u64, want: impl Fn(&Value) -> bool) -> Value {
        match self
            .until(secs, |m| matches!(m, FromTray::View { view } if want(view)))
            .await
        {
            FromTray::View { view } => view,
            _ => unreachable!(),
        }
    }
}

#[tokio::test]
async fn the_tray_turns_red_on_a_502_and_back_hands_over_and_quits_cleanly() {
    let _one = REGISTRY.lock().await;
    let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
    let data = tempdir("wine-tray");
    let mut settings = fast_settings(&world);
    settings["start_at_login"] = true.into();
    std::fs::write(data.join("settings.json"), settings.to_string()).unwrap();
    // This user has run Chrome (its profile folder under %LOCALAPPDATA%, which is `data` here).
    std::fs::create_dir_all(data.join("Google").join("Chrome").join("User Data")).unwrap();

    let mut app = launch(&data, &world, &[])
        .spawn()
        .expect("gatewatch-app.exe starts");
    let pipe = endpoint(&data);
    let mut client = Client::connect(&pipe).await;
    client
        .send(&format!(
            "{{\"type\":\"hello\",\"pid\":{}}}",
            std::process::id()
        ))
        .await;
    let view = client
        .view_until(30, |v| v["status"]["verdict"] == "up")
        .await;
    assert_eq!(view["status"]["color"], "green", "{view}");
    assert_eq!(view["status_headline"], "ChatGPT is up", "{view}");

    // Start at login: the user's own Run key, the quoted path of this very executable.
    assert!(
        wait_until(10, || run_key_value().is_some()),
        "no Run value for Gatewatch"
    );
    let value = run_key_value().unwrap();
    // The quoted path of this very executable (Windows' own spelling of it: cargo's is a Unix
    // path, Wine's Z: drive; the installed one is a Windows path already).
    assert!(value.contains("\\gatewatch-app.exe\""), "{value}");
    assert!(
        value.contains("\"Z:\\") || value.contains("\"C:\\"),
        "{value}"
    );
    if let Ok(dir) = std::env::var("GATEWATCH_TEST_BIN_DIR") {
        assert!(
            value.to_lowercase().contains(&dir.to_lowercase()),
            "not the installed program ({dir}): {value}"
        );
    }

    // The browser extension's host, named to Chrome: a manifest in Gatewatch's folder naming the
    // host program beside the tray, and the key under HKCU naming the manifest; Settings says so.
    let manifest = data
        .join("browser")
        .join("app.gatewatch.browser.chrome.json");
    assert!(
        wait_until(10, || chrome_host_key().is_some()),
        "no key names the browser host's manifest for Chrome\n{}",
        log(&data)
    );
    let key = chrome_host_key().unwrap();
    assert!(key.contains("app.gatewatch.browser.chrome.json"), "{key}");
    let m: Value = serde_json::from_slice(&std::fs::read(&manifest).expect("Chrome's manifest"))
        .expect("JSON");
    assert_eq!(m["name"], "app.gatewatch.browser");
    let host = m["path"].as_str().unwrap().to_lowercase();
    assert!(host.ends_with("\\gatewatch-browser-host.exe"), "{m}");
    if let Ok(dir) = std::env::var("GATEWATCH_TEST_BIN_DIR") {
        assert!(
            host.starts_with(&dir.to_lowercase()),
            "not the installed host: {m}"
        );
    }
    assert!(
        std::path::Path::new(m["path"].as_str().unwrap()).is_file(),
        "the host program is there: {m}"
    );
    let view = client
        .view_until(10, |v| {
            v["browsers"]["hosts"]
                .as_array()
                .is_some_and(|a| !a.is_empty())
        })
        .await;
    let rows: Vec<(String, String)> = view["browsers"]["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["family"].to_string(), r["state"].to_string()))
        .collect();
    assert!(
        rows.contains(&("\"chrome\"".into(), "\"registered\"".into())),
        "{rows:?}"
    );

    // A 502 behind Cloudflare: red, with the cause; the toast cannot be shown under Wine, and
    // the tray says so and carries on.
    world.set(Scenario::BadGateway);
    let view = client
        .view_until(30, |v| v["status"]["verdict"] == "bad_gateway")
        .await;
    assert_eq!(view["status"]["color"], "red", "{view}");
    // Wine has no WinRT notification platform (HRESULT 0x80040154, class not registered).
    assert!(
        wait_until(20, || log(&data).contains("cannot show a notification")),
        "the toast's failure was not logged:\n{}",
        log(&data)
    );
    assert!(app.try_wait().unwrap().is_none(), "the tray must carry on");

    world.set(Scenario::Healthy);
    client
        .view_until(30, |v| v["status"]["verdict"] == "up")
        .await;

    // A web filter answers for OpenAI's hosts: amber, said as the network's block, never red.
    world.set(Scenario::NetworkFilter);
    let view = client
        .view_until(30, |v| v["status"]["verdict"] == "blocked")
        .await;
    assert_eq!(view["status"]["color"], "amber", "{view}");
    assert_eq!(
        view["status_headline"], "This network blocks ChatGPT",
        "{view}"
    );
    assert_eq!(
        view["report"]["network_block"]["how"], "filter_page",
        "{view}"
    );
    assert!(
        view["status"]["outage"].is_null(),
        "a block is no outage: {view}"
    );
    world.set(Scenario::Healthy);
    client
        .view_until(30, |v| v["status"]["verdict"] == "up")
        .await;

    // Garbage on the pipe: that client is hung up on, the others are served.
    let mut rogue = Client::connect(&pipe).await;
    rogue.send("{\"type\":\"format_disk\"}").await;
    assert!(rogue.next(10).await.is_none(), "the tray answered garbage");
    let mut junk = Client::connect(&pipe).await;
    junk.send("\u{0}\u{1} not json at all").await;
    assert!(junk.next(10).await.is_none(), "the tray answered garbage");
    client.send("{\"type\":\"check_now\"}").await;
    client
        .view_until(20, |v| v["status"]["verdict"] == "up")
        .await;

    // A second launch hands over to the first (whose open "explainer" — us — comes forward)
    // and leaves; there is still one tray.
    let mut second = launch(&data, &world, &[]).spawn().unwrap();
    let status = exited(&mut second, 20).expect("the second launch leaves");
    assert!(status.success(), "{status:?}");
    client
        .until(10, |m| matches!(m, FromTray::Show { .. }))
        .await;
    assert!(app.try_wait().unwrap().is_none(), "the first stays");

    // Start at login turned off (as the Settings page saves it): the Run value goes.
    settings["start_at_login"] = false.into();
    std::fs::write(data.join("settings.json"), settings.to_string()).unwrap();
    client.send("{\"type\":\"reconfigure\"}").await;
    assert!(
        wait_until(20, || run_key_value().is_none()),
        "the Run value stays after turning it off"
    );

    // `--quit`: the tray quits as "Quit" does, the explainer's line closes, the history is
    // saved with the outage in it.
    let quit = launch(&data, &world, &["--quit"]).status().unwrap();
    assert!(quit.success(), "{quit:?}");
    let status = exited(&mut app, 20).expect("the tray quits");
    assert!(status.success(), "{status:?}");
    // What it sent before it went may still be in the pipe; then the end.
    let mut left = 0;
    while client.next(5).await.is_some() {
        left += 1;
        assert!(left < 50, "the pipe did not close with the tray");
    }
    let history: Value =
        serde_json::from_slice(&std::fs::read(data.join("history.json")).unwrap()).unwrap();
    let outages = history["outages"].as_array().expect("outages");
    assert_eq!(outages.len(), 1, "{history}");
    assert!(log(&data).contains("Gatewatch starting"));

    // Nobody running: --quit says so and succeeds; the pipe's name is free again.
    let quit = launch(&data, &world, &["--quit"]).status().unwrap();
    assert!(quit.success(), "{quit:?}");
    assert!(
        channel::connect(&pipe).await.is_err(),
        "the pipe outlived the tray"
    );
    std::fs::remove_dir_all(&data).ok();
}

#[tokio::test]
async fn without_webview2_the_menu_says_so_and_where_to_get_it() {
    let _one = REGISTRY.lock().await;
    // The real explainer, asked for at start, where there is no WebView2 Runtime (as under
    // Wine): it says so in one line, which the tray puts in its menu and its log, and the tray
    // carries on.
    let explainer = bin("gatewatch-explainer.exe");
    assert!(
        explainer.is_file(),
        "{} is not built (scripts/windows builds it)",
        explainer.display()
    );
    let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
    let data = tempdir("wine-webview2");
    std::fs::write(
        data.join("settings.json"),
        fast_settings(&world).to_string(),
    )
    .unwrap();
    let mut cmd = launch(&data, &world, &["--show"]);
    cmd.env("GATEWATCH_EXPLAINER", &explainer);
    let mut app = cmd.spawn().unwrap();
    assert!(
        wait_until(60, || log(&data).contains(
            "The details window could not open: Microsoft's WebView2 Runtime is missing: \
             install it from https://go.microsoft.com/fwlink/p/?LinkId=2124703"
        )),
        "{}",
        log(&data)
    );
    let log = log(&data);
    assert!(
        log.contains("the WebView2 Runtime is missing; install it from https://go.microsoft.com/fwlink/p/?LinkId=2124703"),
        "{log}"
    );
    assert!(app.try_wait().unwrap().is_none(), "the tray must carry on");
    let quit = launch(&data, &world, &["--quit"]).status().unwrap();
    assert!(quit.success());
    assert!(exited(&mut app, 20).is_some_and(|s| s.success()));
    std::fs::remove_dir_all(&data).ok();
}
