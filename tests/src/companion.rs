//! What the browser companion's end-to-end tests share, whichever browser they drive (Chromium
//! over DevTools in `tray/tests/browser.rs`, Firefox over Marionette in `tray/tests/firefox.rs`):
//! the real tray started on a home of the test's own, its browser window read through its local
//! channel, the page's own requests as chatgpt.com's page makes them, and what may reach the tray
//! of them.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

use crate::FakeWorld;

/// The tray icon's colours: up, and down.
pub const GREEN: [u8; 3] = [0x16, 0xa3, 0x4a];
pub const RED: [u8; 3] = [0xdc, 0x26, 0x26];

/// What the page's own requests carry that must never reach Gatewatch: a conversation id in
/// the path and the query, and the words of a prompt in the body.
pub const CONVERSATION: &str = "6789abcd-ef01-4a2b-9c3d-0123456789ab";
pub const PROMPT: &str = "my private question";

/// The tray under test: `built` (the test's own `CARGO_BIN_EXE_gatewatch-app`), or with
/// `GATEWATCH_TEST_BIN_DIR` the one a package carries.
pub fn tray_bin(built: &str) -> String {
    match std::env::var("GATEWATCH_TEST_BIN_DIR") {
        Ok(dir) if !dir.is_empty() => format!("{dir}/gatewatch-app"),
        _ => built.to_string(),
    }
}

/// The real tray, killed when dropped.
pub struct App(Child);

impl App {
    /// Start the tray `bin` on the data directory `data` and the home `home` (where it looks for
    /// the browsers' profile folders and writes their host manifests), in English, its probes
    /// pointed at `world`.
    pub fn start(bin: &str, data: &Path, home: &Path, world: &FakeWorld) -> App {
        App(Command::new(bin)
            .env("GATEWATCH_DATA_DIR", data)
            .env("XDG_CONFIG_HOME", data.join("config"))
            .env("XDG_DATA_HOME", data.join("share"))
            .env("HOME", home)
            .env("LANG", "C")
            .envs(world.env())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the app"))
    }
}

impl Drop for App {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

/// Ask the tray, over its local channel as `gatewatch check` does, for the browser window it
/// holds: the records as they reached it.
pub fn tray_window(data: &Path) -> Value {
    use std::io::{BufRead as _, Write as _};
    let mut s = std::os::unix::net::UnixStream::connect(data.join("run/gatewatch.sock"))
        .expect("the tray's socket");
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(b"{\"type\":\"browser_ask\"}\n").unwrap();
    let mut lines = std::io::BufReader::new(s).lines();
    while let Some(Ok(line)) = lines.next() {
        let v: Value = serde_json::from_str(&line).expect("a JSON line");
        if v["type"] == "browser_window" {
            return v["window"].clone();
        }
    }
    panic!("the tray did not answer browser_ask");
}

/// The Settings page's browser rows as the tray shows them now: `(family, connected)` of each,
/// once `ok` holds of them (the tray sends its view to a window that says hello, and again on
/// each change), or what they were when `secs` ran out.
pub fn settings_rows(
    data: &Path,
    secs: u64,
    ok: impl Fn(&[(String, bool)]) -> bool,
) -> Vec<(String, bool)> {
    use std::io::{BufRead as _, Write as _};
    let s = std::os::unix::net::UnixStream::connect(data.join("run/gatewatch.sock"))
        .expect("the tray's socket");
    let until = std::time::Instant::now() + Duration::from_secs(secs);
    (&s).write_all(format!("{{\"type\":\"hello\",\"pid\":{}}}\n", std::process::id()).as_bytes())
        .unwrap();
    let mut lines = std::io::BufReader::new(&s).lines();
    let mut rows = Vec::new();
    loop {
        let left = until.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return rows;
        }
        s.set_read_timeout(Some(left)).unwrap();
        let Some(Ok(line)) = lines.next() else {
            return rows;
        };
        let v: Value = serde_json::from_str(&line).expect("a JSON line");
        if v["type"] != "view" {
            continue;
        }
        rows = v["view"]["browsers"]["hosts"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|r| {
                        let family = r["family"].as_str().unwrap_or("").to_string();
                        (family, r["connected"] == json!(true))
                    })
                    .collect()
            })
            .unwrap_or_default();
        if ok(&rows) {
            return rows;
        }
    }
}

/// Settings shows the extension connected in `family`'s row, and in no other.
pub fn assert_connected_in(data: &Path, family: &str) {
    let rows = settings_rows(data, 10, |r| r.iter().any(|(f, c)| f == family && *c));
    let connected: Vec<&str> = rows
        .iter()
        .filter(|(_, c)| *c)
        .map(|(f, _)| f.as_str())
        .collect();
    assert_eq!(connected, [family], "the Settings page's rows: {rows:?}");
}

/// `(kind, result, status)` of each record of a window.
pub fn outcomes(window: &Value) -> Vec<(String, String, u64)> {
    window["records"]
        .as_array()
        .map(|rs| {
            rs.iter()
                .map(|r| {
                    (
                        r["kind"].as_str().unwrap_or("").to_string(),
                        r["result"].as_str().unwrap_or("").to_string(),
                        r["status"].as_u64().unwrap_or(0),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// One `(kind, result, status)`, as [`outcomes`] gives them.
pub fn o(kind: &str, result: &str, status: u64) -> (String, String, u64) {
    (kind.into(), result.into(), status)
}

/// The page's own script: a conversation request as chatgpt.com's page makes it (a POST with
/// the conversation's id and the prompt), answered `status`; its status.
pub fn post(status: u16) -> String {
    format!(
        "fetch('/backend-api/f/conversation?status={status}&conversation_id={CONVERSATION}', \
         {{method: 'POST', headers: {{'content-type': 'application/json'}}, \
         body: JSON.stringify({{conversation_id: '{CONVERSATION}', prompt: '{PROMPT}'}})}})\
         .then(async (r) => {{ await r.text(); return r.status; }})"
    )
}

/// "Stop generating": the page starts a generation, reads the first event of its stream, and
/// aborts it.
pub fn stopped() -> String {
    format!(
        "(async () => {{ const c = new AbortController(); \
         const r = await fetch('/backend-api/f/conversation?stream=1&conversation_id={CONVERSATION}', \
         {{method: 'POST', body: '{PROMPT}', signal: c.signal}}); \
         const reader = r.body.getReader(); await reader.read(); c.abort(); \
         try {{ await reader.read(); }} catch (e) {{}} return 'stopped'; }})()"
    )
}

/// An expression for the page: `requests` ([`post`], [`stopped`]) one after another, a promise
/// of what each gave.
pub fn one_after_another(requests: &[String]) -> String {
    format!(
        "(async () => {{ const out = []; for (const f of [{}]) out.push(await f()); return out; }})()",
        requests
            .iter()
            .map(|r| format!("() => {r}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// What reached the tray is outcome records and nothing else: each record has only the six
/// fields, all through Cloudflare, in ten-second buckets, and nothing of a URL, the
/// conversation's id or the prompt is anywhere in the window.
pub fn assert_outcomes_only(window: &Value) {
    const FIELDS: [&str; 6] = ["kind", "result", "status", "net", "cf", "t"];
    for r in window["records"].as_array().expect("records") {
        let r = r.as_object().expect("a record");
        assert!(r.keys().all(|k| FIELDS.contains(&k.as_str())), "{r:?}");
        assert_eq!(r["cf"], json!(true), "{r:?}");
        assert_eq!(
            r["t"].as_i64().unwrap() % 10,
            0,
            "a ten-second bucket: {r:?}"
        );
    }
    let said = window.to_string();
    for secret in [
        CONVERSATION,
        "6789abcd",
        PROMPT,
        "chatgpt",
        "backend-api",
        "http:",
        "https:",
        "?",
    ] {
        assert!(
            !said.contains(secret),
            "{secret:?} reached the tray: {said}"
        );
    }
}

/// Whether the window holds `expected`'s outcomes, in any order: a browser tells a stopped
/// request's end when its network layer gets to it, which may be after the next request has
/// been answered (seen with Chromium), and nothing here rests on that order.
pub fn same_outcomes(window: &Value, expected: &[(String, String, u64)]) -> bool {
    let mut got = outcomes(window);
    let mut want = expected.to_vec();
    got.sort();
    want.sort();
    got == want
}

/// The tray's window comes to hold `expected` (within 15 s, in any order), and holds outcome records only —
/// though the fake site saw the conversation's id (`seen`: its requests).
pub fn assert_window_is(data: &Path, expected: &[(String, String, u64)], seen: &[String]) {
    let mut window = Value::Null;
    assert!(
        crate::session::wait_until(15, || {
            window = tray_window(data);
            same_outcomes(&window, expected)
        }),
        "the tray's window: {window}"
    );
    assert_outcomes_only(&window);
    let seen = seen.join("\n");
    assert!(seen.contains(CONVERSATION), "{seen}");
}

/// With the browser's conversations answering and the tray green, chatgpt.com challenges
/// Gatewatch's own probes (as from a VPN's address): the tray stays green, with no limited view,
/// for the three seconds watched — the browser gets through, so the verdict rests on it.
pub fn assert_no_limited_view_while_challenged(host: &crate::desktop::TrayHost, world: &FakeWorld) {
    let probes = world.paths(crate::Role::Chatgpt).len();
    world.set(crate::Scenario::Challenge);
    assert!(
        crate::session::wait_until(15, || world.paths(crate::Role::Chatgpt).len() >= probes + 6),
        "Gatewatch's own probes meet the challenge"
    );
    let calm_until = std::time::Instant::now() + Duration::from_secs(3);
    while std::time::Instant::now() < calm_until {
        let (title, why) = host.tooltip().unwrap_or_default();
        assert!(
            host.icon_color() == Some(GREEN) && !why.contains("limited view"),
            "the browser gets through, so no limited view: {title} / {why}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Keep a screenshot of the banner as `target/screenshots/<name>` (README shows Chromium's).
pub fn save_screenshot(name: &str, png: &[u8]) {
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    std::fs::write(shots.join(name), png).unwrap();
}
