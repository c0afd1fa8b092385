//! "Install update" on Windows, end to end under Wine: the Gatewatch that `scripts/windows`
//! installed with its NSIS installer (version N) finds N+1 on a fake release server on
//! loopback, downloads its installer into local app data, verifies it, starts it silently as an
//! update, and quits when it asks; N+1 then runs from the same folder, with the start-at-login
//! value, the settings and the history kept. First a tampered installer is refused and N keeps
//! running; last the installer of N refuses to go over N+1.
//!
//! Given by `scripts/windows` (which builds N+1 and its installer; the test's fake release is
//! signed here with the key the programs were built to trust):
//! `GATEWATCH_TEST_BIN_DIR` (where N is installed), `GATEWATCH_TEST_NEXT_INSTALLER` and
//! `GATEWATCH_TEST_NEXT_VERSION` (N+1's installer and version), `GATEWATCH_TEST_INSTALLER`
//! (N's), `GATEWATCH_UPDATE_TEST_KEY`.
#![cfg(windows)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use gatewatch_core::channel::{self, Conn};
use gatewatch_core::ipc::{FromTray, LineReader};
use gatewatch_fakes::releases::{Key, Release, Releases};
use gatewatch_fakes::session::{fast_settings, tempdir, wait_until};
use gatewatch_fakes::{FakeWorld, Scenario};
use serde_json::Value;
use tokio::io::{AsyncWriteExt as _, BufReader, ReadHalf, WriteHalf};

const RUN_KEY: &str = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Run";
const UNINSTALL_KEY: &str = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\Gatewatch";

fn var(name: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| panic!("{name} is not set: scripts/windows runs this test"))
}

fn installed(name: &str) -> PathBuf {
    Path::new(&var("GATEWATCH_TEST_BIN_DIR")).join(name)
}

fn launch(data: &Path, world: &FakeWorld, args: &[&str]) -> Command {
    let mut c = Command::new(installed("gatewatch-app.exe"));
    c.args(args)
        .env("GATEWATCH_DATA_DIR", data)
        // Logs and downloads under the data directory: %LOCALAPPDATA%\app.gatewatch.desktop.
        .env("LOCALAPPDATA", data)
        .env("GATEWATCH_EXPLAINER", data.join("no-explainer.exe"))
        .envs(world.env())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

fn log(data: &Path) -> String {
    let mut all = String::new();
    let dir = data.join("app.gatewatch.desktop").join("logs");
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        all.push_str(&std::fs::read_to_string(e.path()).unwrap_or_default());
    }
    all
}

fn reg(key: &str, value: &str) -> Option<String> {
    let out = Command::new("reg")
        .args(["query", key, "/v", value])
        .output()
        .expect("reg.exe runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.success() && text.contains(value)).then_some(text)
}

fn exited(child: &mut Child, secs: u64) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < deadline {
        if let Some(s) = child.try_wait().unwrap() {
            return Some(s);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    None
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

/// A client of the tray's pipe, as the explainer is one.
struct Client {
    reader: LineReader<BufReader<ReadHalf<Conn>>>,
    writer: WriteHalf<Conn>,
}

impl Client {
    async fn connect(pipe: &Path, secs: u64) -> Client {
        let deadline = Instant::now() + Duration::from_secs(secs);
        let conn = loop {
            match channel::connect(pipe).await {
                Ok(c) => break c,
                Err(e) if Instant::now() > deadline => panic!("no pipe: {e}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(300)).await,
            }
        };
        let (r, w) = tokio::io::split(conn);
        let mut c = Client {
            reader: LineReader::new(BufReader::new(r)),
            writer: w,
        };
        c.send(&format!(
            "{{\"type\":\"hello\",\"pid\":{}}}",
            std::process::id()
        ))
        .await;
        c
    }

    async fn send(&mut self, line: &str) {
        self.writer.write_all(line.as_bytes()).await.unwrap();
        self.writer.write_all(b"\n").await.unwrap();
    }

    /// The next view whose update part satisfies `want`; None if the tray hung up first.
    async fn update_until(&mut self, secs: u64, want: impl Fn(&Value) -> bool) -> Option<Value> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        let mut last = Value::Null;
        while Instant::now() < deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            match tokio::time::timeout(left, self.reader.next::<FromTray>()).await {
                Ok(Ok(Some(FromTray::View { view }))) => {
                    if want(&view["update"]) {
                        return Some(view["update"].clone());
                    }
                    last = view["update"].clone();
                }
                Ok(Ok(Some(_))) => {}
                Ok(_) => return None,
                Err(_) => break,
            }
        }
        panic!("no such update state in {secs} s; last: {last}")
    }
}

fn history_checks(data: &Path) -> usize {
    let h: Value =
        serde_json::from_slice(&std::fs::read(data.join("history.json")).unwrap_or_default())
            .unwrap_or(Value::Null);
    h["samples"].as_array().map_or(0, Vec::len) + h["buckets"].as_array().map_or(0, Vec::len)
}

// Worker threads serve the fake hosts while the test waits for processes (blocking).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run by scripts/windows, on the installed programs"]
async fn the_installed_gatewatch_updates_itself_and_refuses_what_is_not_signed() {
    let key = Key::test();
    let next = var("GATEWATCH_TEST_NEXT_VERSION");
    let this = env!("CARGO_PKG_VERSION");
    let setup = std::fs::read(var("GATEWATCH_TEST_NEXT_INSTALLER")).expect("N+1's installer");
    let file = format!("Gatewatch-{next}-setup.exe");
    let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
    let server = Releases::start().await.unwrap();
    let data = tempdir("wine-update");
    let mut settings = fast_settings(&world);
    settings["updates"] = "notify".into();
    settings["update_url"] = server.manifest_url().into();
    settings["start_at_login"] = true.into();
    std::fs::write(data.join("settings.json"), settings.to_string()).unwrap();

    // N+1 is published, but its installer was changed after it was signed.
    let good = Release::new(&key, &next, "windows-x86_64", &file, setup.clone());
    let mut tampered = good.clone();
    tampered.files[0].2[1000] ^= 0x20;
    server.publish(&tampered, &key);

    let mut app = launch(&data, &world, &[]).spawn().expect("N starts");
    let pipe = endpoint(&data);
    let mut client = Client::connect(&pipe, 60).await;
    let u = client
        .update_until(60, |u| u["available"] == next.as_str())
        .await
        .expect("N finds N+1");
    assert_eq!(u["current"], this);
    assert!(
        wait_until(20, || reg(RUN_KEY, "Gatewatch").is_some()),
        "start at login is on"
    );

    // "Install update", through the pipe as the menu would (Wine drops tray clicks): the
    // download does not match its signature, so nothing is started, nothing is left, N runs on.
    client
        .send("{\"type\":\"update\",\"action\":\"install\"}")
        .await;
    // Said in words on the Settings page (and the menu, and a notification); the log has which
    // file and which check.
    let refused = "Update not installed: the release is not signed with Gatewatch's key, or was \
                   changed after it was signed";
    let u = client
        .update_until(60, |u| {
            u["install"]
                .as_str()
                .is_some_and(|s| s.starts_with("Update not installed"))
        })
        .await
        .expect("N keeps running");
    assert_eq!(u["install"], refused);
    assert!(log(&data).contains(&format!(
        "update not installed: the signature of {file} does not match it"
    )));
    let downloads = data.join("app.gatewatch.desktop").join("updates");
    let left: Vec<_> = std::fs::read_dir(&downloads)
        .into_iter()
        .flatten()
        .flatten()
        .collect();
    assert!(left.is_empty(), "a refused download was left: {left:?}");
    assert!(app.try_wait().unwrap().is_none(), "N keeps running");
    assert!(!log(&data).contains("starting its installer"));

    // The real one: downloaded, verified, started; it asks N to quit, and N does, cleanly.
    let before = history_checks(&data);
    server.publish(&good, &key);
    client
        .send("{\"type\":\"update\",\"action\":\"install\"}")
        .await;
    let status = exited(&mut app, 120).expect("N quits for the installer");
    assert!(status.success(), "{status:?}\n{}", log(&data));
    let log_n = log(&data);
    assert!(
        log_n.contains("the update is verified; starting its installer"),
        "{log_n}"
    );
    assert!(
        log_n.contains("asked to quit on the local channel"),
        "{log_n}"
    );
    assert!(history_checks(&data) >= before, "N saved its history");

    // N+1, started by the installer, from the same folder, with the same settings.
    let mut client = Client::connect(&pipe, 120).await;
    let u = client
        .update_until(60, |u| u["current"] == next.as_str())
        .await
        .expect("N+1 runs");
    assert_eq!(u["available"], Value::Null, "{u}");
    let version = Command::new(installed("gatewatch-app.exe"))
        .arg("--version")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("gatewatch-app {next}")
    );
    let shown = reg(UNINSTALL_KEY, "DisplayVersion").expect("the uninstall entry");
    assert!(shown.contains(&next), "{shown}");
    let run = reg(RUN_KEY, "Gatewatch").expect("start at login kept");
    assert!(run.contains("gatewatch-app.exe"), "{run}");
    let kept: Value =
        serde_json::from_slice(&std::fs::read(data.join("settings.json")).unwrap()).unwrap();
    assert_eq!(kept["start_at_login"], true);
    assert_eq!(kept["update_url"], server.manifest_url().as_str());
    assert!(log(&data).contains(&format!("Gatewatch starting version=\"{next}\"")));
    assert!(history_checks(&data) >= before);

    // N's installer will not go over N+1: exit code 3, N+1 untouched and still running.
    let refused = Command::new(var("GATEWATCH_TEST_INSTALLER"))
        .args(["/S", "/update"])
        .status()
        .unwrap();
    assert_eq!(refused.code(), Some(3), "{refused:?}");
    let shown = reg(UNINSTALL_KEY, "DisplayVersion").unwrap();
    assert!(shown.contains(&next), "{shown}");
    client
        .update_until(20, |u| u["current"] == next.as_str())
        .await
        .expect("N+1 still runs");

    let quit = launch(&data, &world, &["--quit"]).status().unwrap();
    assert!(quit.success(), "{quit:?}");
    assert!(
        wait_until(30, || log(&data).matches("Gatewatch stopped").count() >= 2),
        "N+1 quits"
    );
    std::fs::remove_dir_all(&data).ok();
}
