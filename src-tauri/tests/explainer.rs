//! The explainer's page logic in a real browser engine (headless Chromium through chromedriver),
//! with the Tauri host played by `gatewatch_fakes::host`: every view it renders is the app's
//! own `View`, built by the same code as in the app from a real check of the fake servers.
//!
//! Run by `scripts/test` (which installs chromium and chromium-driver):
//! `cargo test -p gatewatch-explainer --test explainer -- --ignored`.
//! Screenshots of every verdict land in `target/screenshots/` (CI keeps them);
//! `scripts/screenshots` copies a selection into `docs/screenshots/` for the README.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use gatewatch_core::driver::{self, Output};
use gatewatch_core::history::History;
use gatewatch_core::monitor::Status;
use gatewatch_core::report::Report;
use gatewatch_core::settings::{Overrides, Settings};
use gatewatch_core::text::{self, Lang};
use gatewatch_core::view::View;
use gatewatch_explainer::{commands, qr};
use gatewatch_fakes::host::{FakeHost, Handler};
use gatewatch_fakes::webdriver::{Driver, Session};
use gatewatch_fakes::{FakeWorld, Scenario};
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(10);

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The policy the app ships, read from tauri.conf.json.
fn app_csp() -> String {
    let conf: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tauri.conf.json")).unwrap())
            .unwrap();
    conf["app"]["security"]["csp"]
        .as_object()
        .expect("csp as a map")
        .iter()
        .map(|(k, v)| format!("{k} {}", v.as_str().unwrap()))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Run the real monitor task against `world` (thresholds of one, so the first check confirms),
/// and build the explainer's view from its outputs exactly as the app's bridge does.
async fn view_of(world: &FakeWorld, steps: &[Scenario], lang: Lang) -> View {
    let v = json!({
        "poll_interval_secs": 0.2, "down_poll_interval_secs": 0.2, "recheck_secs": 0.1,
        "status_interval_secs": 0.05, "timeout_secs": 2, "slow_ms": 1000,
        "failure_threshold": 1, "success_threshold": 1,
        "endpoints": world.endpoints()
    });
    let (settings, warnings) = Settings::from_json(&v);
    assert!(warnings.is_empty(), "{warnings:?}");
    let cfg = settings.to_config(&Overrides::default(), 3).unwrap();
    let mut handle = driver::spawn(cfg).unwrap();
    let mut history = History::default();
    let mut view = View::default();
    for (i, step) in steps.iter().enumerate() {
        world.set(*step);
        if i > 0 {
            handle
                .commands
                .send(driver::Command::CheckNow)
                .await
                .unwrap();
        }
        let want = step.expected();
        let (report, status) = next_confirmed(&mut handle, &mut history, want, lang).await;
        let now = report.checked_at_ms;
        view.checked(report, status, &history, now, lang);
    }
    handle.task.abort();
    view
}

async fn next_confirmed(
    handle: &mut driver::Handle,
    history: &mut History,
    want: &str,
    lang: Lang,
) -> (Report, Status) {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let out = tokio::time::timeout_at(deadline, handle.outputs.recv())
            .await
            .unwrap_or_else(|_| panic!("no confirmed {want} within {WAIT:?}"))
            .expect("monitor running");
        match out {
            Output::Record(r) => history.apply(r),
            Output::Checked {
                observation,
                diagnosis,
                status,
            } if status.verdict.as_str() == want && status.confirming.is_none() => {
                let report = Report::new(&observation, &diagnosis, None, lang, now_ms());
                return (report, *status);
            }
            _ => {}
        }
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// What the fake host answers: the current view, settings checked by the app's own rules,
/// the app's QR codes; commands that act on the monitor are only recorded.
struct HostState {
    view: Value,
    settings: Value,
}

fn handler(state: Arc<Mutex<HostState>>) -> Handler {
    Arc::new(move |cmd, args| {
        let mut s = state.lock().unwrap();
        match cmd {
            "snapshot" => Ok(s.view.clone()),
            "get_settings" => Ok(s.settings.clone()),
            "save_settings" => match commands::validate(&args["settings"]) {
                Ok((new, _cfg)) => {
                    s.settings = serde_json::to_value(new).unwrap();
                    Ok(s.settings.clone())
                }
                Err(e) => Err(e.to_string()),
            },
            "phone_qr" => Ok(serde_json::to_value(qr::phone_codes()).unwrap()),
            "check_now" | "snooze" | "unsnooze" | "open_link" | "close_window" => Ok(Value::Null),
            other => Err(format!("the explainer may not call {other}")),
        }
    })
}

/// A fake host serving the explainer with `view` and default settings.
async fn host_with(view: Value) -> (Arc<Mutex<HostState>>, FakeHost) {
    let state = Arc::new(Mutex::new(HostState {
        view,
        settings: serde_json::to_value(Settings::default()).unwrap(),
    }));
    let host = FakeHost::start(root().join("ui"), &app_csp(), handler(state.clone()))
        .await
        .unwrap();
    (state, host)
}

struct Browser {
    _driver: Driver,
    session: Session,
    profile: PathBuf,
}

impl Drop for Browser {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.profile).ok();
    }
}

async fn browser(lang: &str) -> Browser {
    let driver = Driver::spawn("chromedriver", &[])
        .await
        .expect("chromedriver (scripts/install-deps test installs chromium-driver)");
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let profile = std::env::temp_dir().join(format!("gw-chromium-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&profile).unwrap();
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--force-device-scale-factor=1",
                format!("--lang={lang}"), format!("--user-data-dir={}", profile.display()),
                "--window-size=900,1300",
            ]
        }
    });
    let session = driver.session(caps).await.expect("a chromium session");
    Browser {
        _driver: driver,
        session,
        profile,
    }
}

/// Everything the test reads off the status page, in one round trip.
const READ_STATUS: &str = r##"
const $ = (id) => document.getElementById(id);
const texts = (sel) => Array.from(document.querySelectorAll(sel)).map((e) => e.textContent);
return {
  lang: document.documentElement.lang,
  color: $("hero").dataset.color,
  headline: $("headline").textContent,
  summary: $("summary").textContent,
  since: $("since").textContent,
  cause: $("cause").textContent,
  evidence: texts("#evidence li"),
  advice: texts("#advice li"),
  incidents: texts("#incidents li"),
  status_page: $("status-page").textContent,
  limited: $("limited").hidden ? null : $("limited").textContent,
  phone_route: $("phone-route").hidden ? null : $("phone-route").textContent,
  report_text: $("report-text").value,
  copy_report: $("copy-report").textContent,
  hops: Object.fromEntries(Array.from(document.querySelectorAll("#path li")).map((li) => [li.dataset.hop, li.dataset.state])),
  edge: document.querySelector('#path li[data-hop="edge"] .hop-name').textContent,
  check_now: $("check-now").textContent,
  why: document.querySelector('[data-t="why"]').textContent,
  qr_modules: Array.from(document.querySelectorAll("svg.qr path")).map((p) => (p.getAttribute("d") || "").split("M").length - 1),
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  csp_violations: window.__csp || [],
};
"##;

const WATCH_CSP: &str = r#"
window.__csp = window.__csp || [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
return true;
"#;

async fn open(b: &Browser, host: &FakeHost, headline: &str) -> Value {
    b.session.goto(&host.url()).await.unwrap();
    b.session.exec(WATCH_CSP, vec![]).await.unwrap();
    let script = format!(
        "return document.getElementById('headline').textContent === {} && \
         document.querySelectorAll('svg.qr path').length === 2",
        serde_json::to_string(headline).unwrap()
    );
    b.session
        .wait_for(&script, WAIT)
        .await
        .unwrap_or_else(|e| panic!("headline {headline:?} never shown: {e}"));
    b.session.exec(READ_STATUS, vec![]).await.unwrap()
}

fn save_shot(png: &[u8], name: &str) {
    let dir = root().join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

/// Which hop of the path must be marked, from the verdict.
fn expected_hops(verdict: &str) -> Vec<(&'static str, &'static str)> {
    match verdict {
        "up" => vec![("network", "ok"), ("edge", "ok"), ("origin", "ok")],
        "bad_gateway" | "origin_error" => {
            vec![("network", "ok"), ("edge", "ok"), ("origin", "failed")]
        }
        "edge_error" => vec![("network", "ok"), ("edge", "failed")],
        "offline" => vec![("network", "failed")],
        "blocked" => vec![("network", "ok"), ("edge", "refusing")],
        _ => vec![],
    }
}

const CASES: [Scenario; 10] = [
    Scenario::Healthy,
    Scenario::StatusIncident,
    Scenario::BadGateway,
    Scenario::Origin503,
    Scenario::EdgeDown,
    Scenario::Blocked1020,
    Scenario::Offline,
    Scenario::Reset,
    // chatgpt.com challenges Gatewatch: up, with the limited view shown…
    Scenario::Challenge,
    // … and with the status page reporting ChatGPT down: down, still a limited view.
    Scenario::ChallengeOutage,
];

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs chromium and chromedriver: scripts/test installs them"]
async fn every_verdict_in_both_languages() {
    let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
    for (lang, code, check_now, why, copy, answers) in [
        (Lang::En, "en", "Check now", "Why", "Copy report", "answers"),
        (
            Lang::It,
            "it",
            "Controlla ora",
            "Perché",
            "Copia il resoconto",
            "risponde",
        ),
    ] {
        let b = browser(code).await;
        let (state, host) = host_with(Value::Null).await;
        for scenario in CASES {
            let verdict = scenario.expected();
            let view = view_of(&world, &[scenario], lang).await;
            let report = view.report.clone().unwrap();
            assert_eq!(report.verdict, verdict, "{scenario}");
            state.lock().unwrap().view = serde_json::to_value(&view).unwrap();
            let headline = text::headline(view.status.as_ref().unwrap().verdict, lang);
            let seen = open(&b, &host, headline).await;
            let ctx = format!("{scenario} ({code}): {seen:#}");

            assert_eq!(seen["lang"], code, "{ctx}");
            assert_eq!(seen["color"], report.color, "{ctx}");
            assert_eq!(seen["cause"], report.cause_text, "{ctx}");
            assert_eq!(
                seen["summary"],
                view.status_summary.clone().unwrap(),
                "{ctx}"
            );
            assert_eq!(seen["advice"], json!(report.advice), "{ctx}");
            assert_eq!(seen["evidence"], json!(report.evidence), "{ctx}");
            assert_eq!(report.advice.is_empty(), verdict == "up", "{ctx}");
            assert_eq!(seen["check_now"], check_now, "{ctx}");
            assert_eq!(seen["why"], why, "{ctx}");
            let limited = report.limited_view.as_ref();
            for (hop, want) in expected_hops(verdict) {
                let want = match (hop, limited) {
                    ("origin", Some(_)) if want == "ok" => "hidden",
                    _ => want,
                };
                assert_eq!(seen["hops"][hop], want, "hop {hop}: {ctx}");
            }
            // The limited view is said when, and only when, chatgpt.com could not be seen.
            assert_eq!(seen["limited"].as_str(), limited.map(|l| l.text), "{ctx}");
            assert_eq!(
                limited.is_some(),
                matches!(scenario, Scenario::Challenge | Scenario::ChallengeOutage),
                "{ctx}"
            );
            // The phone apps' route, as measured; the report to copy, without the address.
            let route = seen["phone_route"].as_str().unwrap_or("");
            match report.app_route.as_ref().map(|r| r.state) {
                Some("answers") => assert!(route.contains(answers), "{ctx}"),
                Some(_) => assert!(!route.is_empty(), "{ctx}"),
                None => assert!(route.is_empty(), "{ctx}"),
            }
            assert_eq!(
                seen["report_text"].as_str(),
                view.share_text.as_deref(),
                "{ctx}"
            );
            assert!(
                !seen["report_text"]
                    .as_str()
                    .unwrap()
                    .contains("ip=127.0.0.1"),
                "{ctx}"
            );
            assert_eq!(seen["copy_report"], copy, "{ctx}");
            if let Some(colo) = &report.edge.colo {
                assert!(
                    seen["edge"].as_str().unwrap().contains(colo.as_str()),
                    "{ctx}"
                );
            }
            if scenario == Scenario::StatusIncident {
                let page = report.status_page.as_ref().unwrap();
                assert!(!page.incidents.is_empty(), "{ctx}");
                let first = seen["incidents"][0].as_str().unwrap();
                assert!(first.starts_with(page.incidents[0].name.as_str()), "{ctx}");
            }
            assert!(!seen["since"].as_str().unwrap().is_empty(), "{ctx}");
            assert_eq!(seen["qr_modules"].as_array().unwrap().len(), 2, "{ctx}");
            assert_eq!(seen["csp_violations"], json!([]), "{ctx}");
            assert!(seen["overflow"].as_i64().unwrap() <= 0, "{ctx}");
            let shot = match scenario {
                Scenario::Challenge => format!("limited-{code}"),
                Scenario::ChallengeOutage => format!("limited-down-{code}"),
                _ => format!("{verdict}-{code}"),
            };
            save_shot(&b.session.screenshot().await.unwrap(), &shot);
        }
        b.session.close().await.unwrap();
    }
}

/// The layout holds from a phone-sized 360 px to 900 px, in light and dark mode.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs chromium and chromedriver: scripts/test installs them"]
async fn narrow_wide_light_and_dark() {
    let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
    let view = view_of(&world, &[Scenario::BadGateway], Lang::En).await;
    let (_state, host) = host_with(serde_json::to_value(&view).unwrap()).await;
    let b = browser("en").await;
    let headline = text::headline(view.status.as_ref().unwrap().verdict, Lang::En);
    for width in [360, 480, 700, 900] {
        b.session.set_size(width, 900).await.unwrap();
        for page in ["#status", "#history", "#settings"] {
            open(&b, &host, headline).await;
            let overflow = b
                .session
                .exec(
                    "location.hash = arguments[0]; \
                     return document.documentElement.scrollWidth - window.innerWidth;",
                    vec![json!(page)],
                )
                .await
                .unwrap();
            assert!(
                overflow.as_i64().unwrap() <= 0,
                "{page} at {width} px is {overflow} px too wide"
            );
        }
    }
    b.session.set_size(900, 1300).await.unwrap();
    for (scheme, dark) in [("light", false), ("dark", true)] {
        b.session
            .cdp(
                "Emulation.setEmulatedMedia",
                json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
            )
            .await
            .unwrap();
        open(&b, &host, headline).await;
        let colors = b
            .session
            .exec(
                r#"
const parse = (c) => c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
const lum = (rgb) => {
  const [r, g, b] = rgb.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
const bg = parse(getComputedStyle(document.body).backgroundColor);
const worst = Math.min(...["headline", "summary", "cause", "status-page", "advice"].map((id) =>
  ratio(parse(getComputedStyle(document.getElementById(id)).color), bg)));
const btn = getComputedStyle(document.getElementById("check-now"));
const button = ratio(parse(btn.color), parse(btn.backgroundColor));
return { bg_lum: lum(bg), worst_contrast: Math.min(worst, button) };
"#,
                vec![],
            )
            .await
            .unwrap();
        let bg = colors["bg_lum"].as_f64().unwrap();
        assert_eq!(bg < 0.2, dark, "{scheme} background: {colors}");
        let worst = colors["worst_contrast"].as_f64().unwrap();
        assert!(
            worst >= 4.5,
            "{scheme}: text contrast {worst:.2} under 4.5:1"
        );
        save_shot(
            &b.session.screenshot().await.unwrap(),
            &format!("bad_gateway-en-{scheme}"),
        );
    }
    b.session.close().await.unwrap();
}

/// Incident names, evidence and warnings come from outside: shown as text, never as markup.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs chromium and chromedriver: scripts/test installs them"]
async fn hostile_remote_text_stays_text() {
    let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
    let view = view_of(&world, &[Scenario::StatusIncident], Lang::En).await;
    let mut v = serde_json::to_value(&view).unwrap();
    let evil =
        r#"<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>bold</b>"#;
    v["report"]["status_page"]["incidents"][0]["name"] = json!(evil);
    v["report"]["status_page"]["description"] = json!(evil);
    v["report"]["evidence"][0] = json!(evil);
    v["report"]["advice"][0] = json!(evil);
    v["warnings"] = json!([evil]);
    let (_state, host) = host_with(v).await;
    let b = browser("en").await;
    let headline = text::headline(view.status.as_ref().unwrap().verdict, Lang::En);
    let seen = open(&b, &host, headline).await;
    assert!(
        seen["incidents"][0].as_str().unwrap().starts_with(evil),
        "{seen:#}"
    );
    assert_eq!(seen["evidence"][0], evil);
    assert_eq!(seen["advice"][0], evil);
    assert!(seen["status_page"].as_str().unwrap().contains(evil));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let dom = b
        .session
        .exec(
            "return { pwned: window.__pwned || 0, \
               markup: document.querySelectorAll('main img, main script, main b, #warnings img, #warnings b').length, \
               warning: document.getElementById('warnings').textContent };",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(dom["pwned"], 0, "{dom}");
    assert_eq!(dom["markup"], 0, "{dom}");
    assert_eq!(dom["warning"], evil);
    b.session.close().await.unwrap();
}

/// History, settings with the app's own validation, keyboard use, and the QR codes as drawn.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs chromium and chromedriver: scripts/test installs them"]
async fn history_settings_keyboard_and_qr() {
    let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
    let steps = [Scenario::Healthy, Scenario::BadGateway, Scenario::Healthy];
    let view = view_of(&world, &steps, Lang::En).await;
    assert_eq!(view.history.outages.len(), 1, "{:?}", view.history);
    let (state, host) = host_with(serde_json::to_value(&view).unwrap()).await;
    let b = browser("en").await;
    let headline = text::headline(view.status.as_ref().unwrap().verdict, Lang::En);
    open(&b, &host, headline).await;

    // The QR codes as the browser drew them decode to the store links.
    b.session
        .exec(
            "document.querySelector('.qr-codes').scrollIntoView(); return true;",
            vec![],
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let shot = b.session.screenshot().await.unwrap();
    let mut found = decode_qr(&shot);
    found.sort();
    let mut want = vec![
        commands::Link::AppStore.url().to_string(),
        commands::Link::GooglePlay.url().to_string(),
    ];
    want.sort();
    assert_eq!(found, want);

    // History: the outage row, uptime, the sparkline's note.
    b.session
        .exec("location.hash = '#history'; return true;", vec![])
        .await
        .unwrap();
    let hist = b
        .session
        .wait_for(
            "const rows = Array.from(document.querySelectorAll('#outage-rows tr')).map((r) => r.textContent); \
             return rows.length ? { rows, up: document.getElementById('uptime-24h').textContent, \
             note: document.getElementById('latency-note').textContent } : null;",
            WAIT,
        )
        .await
        .unwrap();
    assert_eq!(hist["rows"].as_array().unwrap().len(), 1, "{hist}");
    let row = hist["rows"][0].as_str().unwrap();
    assert!(row.contains("502"), "{hist}");
    assert!(!row.contains("ongoing"), "the outage is over: {hist}");
    assert!(hist["up"].as_str().unwrap().ends_with('%'), "{hist}");
    assert!(hist["note"].as_str().unwrap().contains("ms"), "{hist}");
    save_shot(&b.session.screenshot().await.unwrap(), "history-en");

    // Settings: a bad value is refused with the core's message, and nothing is saved.
    b.session
        .exec("location.hash = '#settings'; return true;", vec![])
        .await
        .unwrap();
    b.session
        .wait_for(
            "return document.querySelector('[name=poll_interval_secs]').value === '60';",
            WAIT,
        )
        .await
        .unwrap();
    let before = state.lock().unwrap().settings.clone();
    let errors = b
        .session
        .exec(
            "document.querySelector('[name=poll_interval_secs]').value = '1'; \
             document.querySelector('[name=\"endpoints.chatgpt\"]').value = 'http://example.com'; \
             document.querySelector('#settings-form button[type=submit]').click(); return true;",
            vec![],
        )
        .await;
    errors.unwrap();
    let shown = b
        .session
        .wait_for(
            "const b = document.getElementById('settings-errors'); return b.hidden ? null : b.textContent;",
            WAIT,
        )
        .await
        .unwrap();
    let shown = shown.as_str().unwrap();
    assert!(shown.contains("poll_interval_secs"), "{shown}");
    assert!(shown.contains("https"), "{shown}");
    assert_eq!(state.lock().unwrap().settings, before);
    save_shot(&b.session.screenshot().await.unwrap(), "settings-error-en");

    // A good value is saved, through the same command.
    b.session
        .exec(
            "document.querySelector('[name=poll_interval_secs]').value = '120'; \
             document.querySelector('[name=\"endpoints.chatgpt\"]').value = 'https://chatgpt.com'; \
             document.querySelector('#settings-form button[type=submit]').click(); return true;",
            vec![],
        )
        .await
        .unwrap();
    b.session
        .wait_for(
            "return !document.getElementById('settings-saved').hidden;",
            WAIT,
        )
        .await
        .unwrap();
    assert_eq!(state.lock().unwrap().settings["poll_interval_secs"], 120);

    // Keyboard only: Tab reaches "Check now", Enter presses it.
    b.session
        .exec(
            "location.hash = '#status'; document.activeElement.blur(); window.scrollTo(0, 0); return true;",
            vec![],
        )
        .await
        .unwrap();
    let mut reached = false;
    for _ in 0..12 {
        b.session.keys("\u{E004}").await.unwrap();
        let id = b
            .session
            .exec("return document.activeElement.id;", vec![])
            .await
            .unwrap();
        if id == "check-now" {
            reached = true;
            break;
        }
    }
    assert!(reached, "Tab never reached the Check now button");
    let calls_before = host
        .calls()
        .iter()
        .filter(|(c, _)| c == "check_now")
        .count();
    b.session.keys("\u{E007}").await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let calls_after = host
        .calls()
        .iter()
        .filter(|(c, _)| c == "check_now")
        .count();
    assert_eq!(calls_after, calls_before + 1);

    // "Copy report": the latest check as text, IP addresses removed; copied through the
    // clipboard where the browser allows it, else selected whole for Ctrl+C.
    let copied = b
        .session
        .exec(
            "document.getElementById('report-box').open = true; \
             document.getElementById('copy-report').click(); return true;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(copied, true);
    let after = b
        .session
        .wait_for(
            "const s = document.getElementById('report-copied').textContent; \
             const box = document.getElementById('report-text'); \
             return s ? { status: s, active: document.activeElement.id, \
               selected: box.selectionEnd - box.selectionStart, len: box.value.length, \
               text: box.value, readonly: box.readOnly } : null;",
            WAIT,
        )
        .await
        .unwrap();
    let report_text = after["text"].as_str().unwrap();
    assert_eq!(Some(report_text), view.share_text.as_deref());
    assert!(
        report_text.contains("[origin] GET http://127.0.0.1:"),
        "{after}"
    );
    assert!(report_text.contains("ip=[IP removed]"), "{after}");
    assert_eq!(after["readonly"], true);
    match after["status"].as_str().unwrap() {
        "Copied." => {}
        "Selected: press Ctrl+C to copy." => {
            assert_eq!(after["active"], "report-text", "{after}");
            assert_eq!(after["selected"], after["len"], "all of it: {after}");
        }
        other => panic!("unexpected copy status {other:?}"),
    }

    // Escape closes the window, except inside a form field, where it belongs to the field.
    let closes = || {
        host.calls()
            .iter()
            .filter(|(c, _)| c == "close_window")
            .count()
    };
    b.session
        .exec(
            "document.querySelector('#lang-switch').focus(); return true;",
            vec![],
        )
        .await
        .unwrap();
    b.session.keys("\u{E00C}").await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(closes(), 0, "Escape in a field");
    b.session
        .exec("document.activeElement.blur(); return true;", vec![])
        .await
        .unwrap();
    b.session.keys("\u{E00C}").await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(closes(), 1, "Escape on the page");
    b.session.close().await.unwrap();
}

/// Every QR code in a PNG screenshot, decoded.
fn decode_qr(png_bytes: &[u8]) -> Vec<String> {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let ch = info.color_type.samples();
    let (w, h) = (info.width as usize, info.height as usize);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
        let i = (y * w + x) * ch;
        ((buf[i] as u32 + buf[i + 1] as u32 + buf[i + 2] as u32) / 3) as u8
    });
    img.detect_grids()
        .iter()
        .filter_map(|g| g.decode().ok().map(|(_, s)| s))
        .collect()
}
