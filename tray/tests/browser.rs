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
use std::time::{Duration, Instant};

use gatewatch_fakes::cdp::{self, Chromium};
use gatewatch_fakes::companion::{
    assert_connected_in, assert_no_limited_view_while_challenged, assert_window_is, o,
    one_after_another, post, same_outcomes, save_screenshot, stopped, tray_bin, tray_window, App,
    CONVERSATION, GREEN, RED,
};
use gatewatch_fakes::desktop::TrayHost;
use gatewatch_fakes::session::{fast_settings, require_session, sibling, tempdir, wait_until};
use gatewatch_fakes::site::FakeSite;
use gatewatch_fakes::{FakeWorld, Role, Scenario};
use serde_json::{json, Value};

/// The tray binary under test (or, with `GATEWATCH_TEST_BIN_DIR`, the one a package carries).
fn app_bin() -> String {
    tray_bin(env!("CARGO_BIN_EXE_gatewatch-app"))
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
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

/// Run the page's requests one after another, and return what each gave.
fn run_in_page(browser: &mut Chromium, session: &str, requests: &[String]) -> Value {
    browser
        .eval(session, &one_after_another(requests))
        .expect("the page's requests")
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
    let app = App::start(&app_bin(), &data, &home, &world);
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
            same_outcomes(&window, &first)
        }),
        "the tray's window: {window}\nthe worker said: {:#?}",
        console(&mut browser)
    );
    // Settings names the browser that the extension is connected in (its host told the tray).
    assert_connected_in(&data, "chromium");
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
    save_screenshot("browser-banner-en.png", &png);

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
    assert_window_is(&data, &last, &site.requests());

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
    assert_no_limited_view_while_challenged(&host, &world);

    drop(browser);
    drop(app);
    std::fs::remove_dir_all(&data).ok();
}
