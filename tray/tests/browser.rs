//! The browser companion end to end, every part real: Debian's Chromium (headless) with the
//! extension loaded from `target/extension/chromium/`, chatgpt.com played by a fake over HTTPS
//! on loopback (`gatewatch_fakes::site`: the browser's name for it mapped there, its certificate
//! accepted for this browser only), the host manifest the real tray writes at start, the real
//! `gatewatch-browser-host` that Chromium starts from it, and the real tray — read through the
//! tray protocol as a panel reads it, as in `tests/desktop.rs`. Gatewatch's own probes go to the
//! healthy fake hosts: only the user's browser sees the outage; and when those probes are
//! challenged, the browser that gets through ends the limited view.
//!
//! Run inside `scripts/desktop-session` after `scripts/extension` (which `scripts/test` does):
//!   scripts/extension && scripts/desktop-session cargo test -p gatewatch-tray --test browser -- --ignored
//! with `gatewatch-browser-host` built beside the tray (`cargo build --workspace`). The
//! banner's picture lands in `target/screenshots/browser-banner-en.png`.
#![cfg(target_os = "linux")]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use gatewatch_fakes::cdp::{self, Chromium};
use gatewatch_fakes::desktop::TrayHost;
use gatewatch_fakes::session::{fast_settings, require_session, sibling, tempdir, wait_until};
use gatewatch_fakes::site::FakeSite;
use gatewatch_fakes::{FakeWorld, Role, Scenario};
use serde_json::{json, Value};

const BUILT: &str = env!("CARGO_BIN_EXE_gatewatch-app");
const GREEN: [u8; 3] = [0x16, 0xa3, 0x4a];
const RED: [u8; 3] = [0xdc, 0x26, 0x26];
/// What the page's own requests carry that must never reach Gatewatch: a conversation id in
/// the path and the query, and the words of a prompt in the body.
const CONVERSATION: &str = "6789abcd-ef01-4a2b-9c3d-0123456789ab";
const PROMPT: &str = "my private question";

/// The tray binary under test (or, with `GATEWATCH_TEST_BIN_DIR`, the one a package carries).
fn app_bin() -> String {
    match std::env::var("GATEWATCH_TEST_BIN_DIR") {
        Ok(dir) if !dir.is_empty() => format!("{dir}/gatewatch-app"),
        _ => BUILT.to_string(),
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The real tray, killed when dropped.
struct App(Child);

impl Drop for App {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

/// Ask the tray, over its local channel as `gatewatch check` does, for the browser window it
/// holds: the records as they reached it.
fn tray_window(data: &Path) -> Value {
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

/// What the pages and workers the test is attached to have said on their console so far.
fn console(browser: &mut Chromium) -> Vec<String> {
    browser
        .events()
        .into_iter()
        .filter(|e| e["method"] == "Runtime.consoleAPICalled")
        .map(|e| {
            let words: Vec<String> = e["params"]["args"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|a| match &a["value"] {
                    Value::String(s) => s.clone(),
                    Value::Null => a["description"].as_str().unwrap_or("").to_string(),
                    v => v.to_string(),
                })
                .collect();
            format!(
                "{}: {}",
                e["params"]["type"].as_str().unwrap_or(""),
                words.join(" ")
            )
        })
        .collect()
}

/// `(kind, result, status)` of each record of a window.
fn outcomes(window: &Value) -> Vec<(String, String, u64)> {
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

fn o(kind: &str, result: &str, status: u64) -> (String, String, u64) {
    (kind.into(), result.into(), status)
}

/// Navigate the page attached as `session` to `url`, and wait until it has loaded.
fn navigate(browser: &mut Chromium, session: &str, url: &str) {
    browser
        .call_in(session, "Page.navigate", json!({ "url": url }))
        .expect("Page.navigate");
    let check = format!(
        "document.readyState === 'complete' && location.href === {}",
        json!(url)
    );
    assert!(
        wait_until(20, || browser.eval(session, &check).ok()
            == Some(json!(true))),
        "{url} did not load"
    );
}

/// The page's own script: a conversation request as chatgpt.com's page makes it (a POST with
/// the conversation's id and the prompt), answered `status`; its status.
fn post(status: u16) -> String {
    format!(
        "fetch('/backend-api/f/conversation?status={status}&conversation_id={CONVERSATION}', \
         {{method: 'POST', headers: {{'content-type': 'application/json'}}, \
         body: JSON.stringify({{conversation_id: '{CONVERSATION}', prompt: '{PROMPT}'}})}})\
         .then(async (r) => {{ await r.text(); return r.status; }})"
    )
}

/// "Stop generating": the page starts a generation, reads the first event of its stream, and
/// aborts it.
fn stopped() -> String {
    format!(
        "(async () => {{ const c = new AbortController(); \
         const r = await fetch('/backend-api/f/conversation?stream=1&conversation_id={CONVERSATION}', \
         {{method: 'POST', body: '{PROMPT}', signal: c.signal}}); \
         const reader = r.body.getReader(); await reader.read(); c.abort(); \
         try {{ await reader.read(); }} catch (e) {{}} return 'stopped'; }})()"
    )
}

/// Run the page's requests one after another, and return what each gave.
fn run_in_page(browser: &mut Chromium, session: &str, requests: &[String]) -> Value {
    let script = format!(
        "(async () => {{ const out = []; for (const f of [{}]) out.push(await f()); return out; }})()",
        requests
            .iter()
            .map(|r| format!("() => {r}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    browser.eval(session, &script).expect("the page's requests")
}

#[test]
#[ignore = "needs a desktop session, Chromium and the built extension: scripts/extension, then scripts/desktop-session"]
fn in_chromium_a_partial_outage_turns_the_tray_red_and_chatgpt_s_error_page_gets_the_banner() {
    require_session();
    let extension = root().join("target/extension/chromium");
    assert!(
        extension.join("manifest.json").is_file(),
        "{} is not built: run scripts/extension",
        extension.display()
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let world = rt.block_on(FakeWorld::start(Scenario::Healthy)).unwrap();
    let site = rt.block_on(FakeSite::start()).unwrap();
    let data = tempdir("chromium");
    std::fs::write(
        data.join("settings.json"),
        fast_settings(&world).to_string(),
    )
    .unwrap();
    // A home of the test's own, where Chromium has been run before: its profile folder is there.
    let home = data.join("home");
    let profile = home.join(".config/chromium");
    std::fs::create_dir_all(&profile).unwrap();

    let host = TrayHost::start();
    let app = App(Command::new(app_bin())
        .env("GATEWATCH_DATA_DIR", &data)
        .env("XDG_CONFIG_HOME", data.join("config"))
        .env("XDG_DATA_HOME", data.join("share"))
        .env("HOME", &home)
        .env("LANG", "C")
        .envs(world.env())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the app"));
    host.wait_for_color(GREEN, 20).expect("green while healthy");
    // What this tray says with no browser when chatgpt.com challenges its own requests (as from
    // a VPN's address): a limited view. Then the network is as before.
    world.set(Scenario::Challenge);
    let challenged = Instant::now();
    host.wait_for_tooltip(15, |_, d| d.contains("limited view"))
        .expect("a limited view while Gatewatch's requests are challenged");
    eprintln!(
        "limited view {:?} after the challenge began",
        challenged.elapsed()
    );
    world.set(Scenario::Healthy);
    host.wait_for_tooltip(15, |_, d| !d.contains("limited view"))
        .expect("no limited view once they answer");

    // The tray registered its host for Chromium at start, naming the program beside it: that
    // manifest, and nothing else, is how Chromium finds the host below.
    let manifest = profile.join("NativeMessagingHosts/app.gatewatch.browser.json");
    assert!(
        wait_until(10, || manifest.exists()),
        "no host manifest for Chromium"
    );
    let m: Value = serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    assert_eq!(
        std::fs::canonicalize(m["path"].as_str().unwrap()).ok(),
        std::fs::canonicalize(sibling(&app_bin(), "gatewatch-browser-host")).ok(),
        "{m}"
    );

    // Chromium on that profile, with the extension, chatgpt.com mapped to the fake (and every
    // other name to nowhere), and the fake's certificate accepted by its key, for this run only.
    // The host it starts finds the tray by the same data directory.
    let args: Vec<String> = vec![
        "--headless=new".into(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--no-first-run".into(),
        "--no-default-browser-check".into(),
        "--lang=en-US".into(),
        format!("--user-data-dir={}", profile.display()),
        format!("--load-extension={}", extension.display()),
        format!("--host-resolver-rules={}", site.resolver_rules()),
        format!("--ignore-certificate-errors-spki-list={}", site.spki()),
        "about:blank".into(),
    ];
    let env = [
        ("HOME", home.to_str().unwrap()),
        ("GATEWATCH_DATA_DIR", data.to_str().unwrap()),
    ];
    let log = data.join("chromium.log");
    let mut browser = Chromium::start(cdp::CHROMIUM, &args, &env, &log).expect("Chromium");
    let id = gatewatch_core::browser::CHROMIUM_IDS[0];
    let worker = format!("chrome-extension://{id}/");
    // Navigate only once the extension's worker has registered its listeners: a page loaded
    // before then is not observed. The test stays attached to the worker (which also keeps it
    // from being stopped while idle) and keeps what it says on the console, for a failure.
    let mut targets = Vec::new();
    let up = wait_until(30, || {
        targets = browser.targets().unwrap_or_default();
        targets.iter().any(|t| {
            t["type"] == "service_worker" && t["url"].as_str().unwrap_or("").starts_with(&worker)
        })
    });
    assert!(
        up,
        "the extension's worker did not start: {targets:#?}\n{}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
    let sw = targets
        .iter()
        .find(|t| t["type"] == "service_worker")
        .and_then(|t| t["targetId"].as_str())
        .unwrap()
        .to_string();
    let sw = browser
        .attach(&sw)
        .expect("attach to the extension's worker");
    browser.call_in(&sw, "Runtime.enable", json!({})).unwrap();
    let listening = "chrome.webRequest.onCompleted.hasListeners() && chrome.webRequest.onErrorOccurred.hasListeners()";
    assert!(
        wait_until(20, || browser.eval(&sw, listening).ok()
            == Some(json!(true))),
        "the extension's worker has no webRequest listeners"
    );
    let page = targets
        .iter()
        .find(|t| t["type"] == "page")
        .and_then(|t| t["targetId"].as_str())
        .expect("a page")
        .to_string();
    let tab = browser.attach(&page).expect("attach to the page");
    browser
        .call_in(
            &tab,
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": 900, "height": 420, "deviceScaleFactor": 1, "mobile": false }),
        )
        .unwrap();
    navigate(&mut browser, &tab, "https://chatgpt.com/");

    // (c) One 502 among three generations stopped by the user: were a stop a failure, 4 of the
    // last 5 would have failed. The records reach the tray, and it stays green.
    let got = run_in_page(
        &mut browser,
        &tab,
        &[post(502), stopped(), stopped(), stopped(), post(200)],
    );
    assert_eq!(got, json!([502, "stopped", "stopped", "stopped", 200]));
    let mut window = Value::Null;
    let first = vec![
        o("page", "ok", 200),
        o("conversation", "http_5xx", 502),
        o("conversation", "stopped", 200),
        o("conversation", "stopped", 200),
        o("conversation", "stopped", 200),
        o("conversation", "ok", 200),
    ];
    assert!(
        wait_until(15, || {
            window = tray_window(&data);
            outcomes(&window) == first
        }),
        "the tray's window: {window}\nthe worker said: {:#?}",
        console(&mut browser)
    );
    let calm_until = Instant::now() + Duration::from_secs(3);
    while Instant::now() < calm_until {
        assert_eq!(
            host.icon_color(),
            Some(GREEN),
            "a stopped generation is no failure"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    // (b) 3 of the last 5 conversation requests fail with a 502 through Cloudflare. The fake
    // hosts stay healthy — Gatewatch's own probes keep answering — and the tray goes red, and
    // says why.
    let probes = world.traffic(Role::Chatgpt).requests;
    let sent = Instant::now();
    let got = run_in_page(
        &mut browser,
        &tab,
        &[post(200), post(502), post(200), post(502), post(502)],
    );
    assert_eq!(got, json!([200, 502, 200, 502, 502]));
    host.wait_for_color(RED, 20)
        .expect("red on the browser's failing conversations");
    let (_, why) = host
        .wait_for_tooltip(5, |t, d| t == "ChatGPT is down" && d.contains("502"))
        .expect("the tooltip says down, and why");
    eprintln!("red {:?} after the page's requests: {why}", sent.elapsed());
    assert_eq!(world.scenario(), Scenario::Healthy);
    assert!(
        world.traffic(Role::Chatgpt).requests > probes,
        "Gatewatch's own probes went on, to healthy hosts"
    );

    // (a) The user opens a conversation and meets chatgpt.com's 502 page: the banner goes up in
    // the page, in a closed shadow root, with the tray's words (not the extension's own
    // "ChatGPT's page failed to load"): its headline, its cause, the phone-app advice.
    let error_page = format!("https://chatgpt.com/c/{CONVERSATION}?status=502");
    navigate(&mut browser, &tab, &error_page);
    let mut texts = Vec::new();
    let mut seen = String::new();
    let shown = wait_until(20, || {
        let r = browser.texts_of(&tab, "gatewatch-banner");
        seen = format!("{r:?}");
        texts = r.ok().flatten().unwrap_or_default();
        texts.iter().any(|t| t == "ChatGPT is down")
    });
    assert!(
        shown,
        "no banner with the tray's words: {seen}\nthe tray's window: {}\nthe worker said: {:#?}",
        tray_window(&data),
        console(&mut browser)
    );
    eprintln!("the banner: {texts:?}");
    assert!(
        texts
            .iter()
            .any(|t| t.contains("502") && why.contains(t.as_str())),
        "the tray's cause, as its tooltip says it ({why:?}): {texts:?}"
    );
    assert!(
        texts.iter().any(|t| t.contains("phone app")),
        "the phone-app advice: {texts:?}"
    );
    let closed = browser
        .eval(
            &tab,
            "(() => { const b = document.querySelector('gatewatch-banner'); return b !== null && b.shadowRoot === null; })()",
        )
        .unwrap();
    assert_eq!(
        closed,
        json!(true),
        "the page's scripts cannot read the banner"
    );
    let png = browser.screenshot(&tab).expect("a screenshot");
    let shots = root().join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    std::fs::write(shots.join("browser-banner-en.png"), png).unwrap();

    // (d) What reached Gatewatch is outcome records and nothing else: each record has only the
    // six fields, and nothing of a URL, the conversation's id or the prompt is anywhere in it —
    // though the fake site saw all of them.
    let mut last = Vec::new();
    last.extend(first);
    last.extend([
        o("conversation", "ok", 200),
        o("conversation", "http_5xx", 502),
        o("conversation", "ok", 200),
        o("conversation", "http_5xx", 502),
        o("conversation", "http_5xx", 502),
        o("page", "http_5xx", 502),
    ]);
    assert!(
        wait_until(15, || {
            window = tray_window(&data);
            outcomes(&window) == last
        }),
        "the tray's window: {window}"
    );
    const FIELDS: [&str; 6] = ["kind", "result", "status", "net", "cf", "t"];
    for r in window["records"].as_array().unwrap() {
        let r = r.as_object().unwrap();
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
    let seen = site.requests().join("\n");
    assert!(seen.contains(CONVERSATION), "{seen}");

    // (e) The browser's conversations answer again, and its page loads: green. Then chatgpt.com
    // challenges Gatewatch's own requests — but the browser gets through, so the view is not
    // limited: the verdict rests on the browser.
    navigate(&mut browser, &tab, "https://chatgpt.com/");
    let got = run_in_page(
        &mut browser,
        &tab,
        &[post(200), post(200), post(200), post(200), post(200)],
    );
    assert_eq!(got, json!([200, 200, 200, 200, 200]));
    host.wait_for_color(GREEN, 20)
        .expect("green when the browser's conversations answer");
    let probes = world.paths(Role::Chatgpt).len();
    world.set(Scenario::Challenge);
    assert!(
        wait_until(15, || world.paths(Role::Chatgpt).len() >= probes + 6),
        "Gatewatch's own probes meet the challenge"
    );
    let calm_until = Instant::now() + Duration::from_secs(3);
    while Instant::now() < calm_until {
        let (title, why) = host.tooltip().unwrap_or_default();
        assert!(
            host.icon_color() == Some(GREEN) && !why.contains("limited view"),
            "the browser gets through, so no limited view: {title} / {why}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    drop(browser);
    drop(app);
    std::fs::remove_dir_all(&data).ok();
}
