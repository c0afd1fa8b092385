//! Real captures, replayed: every response in `core/tests/captures/` (each with its public source
//! and date) is served verbatim by the fake hosts on loopback, where the host it came from would
//! answer, and the real prober checks it. What Gatewatch makes of it must match the capture's
//! `expect:` line — the class of the answer, and the verdict with everything else healthy.
//!
//! The fakes' own pages (`tests/src/pages.rs`) are written from documentation; these are not.

use std::path::{Path, PathBuf};

use gatewatch_core::classify::{classify, classify_app, Class};
use gatewatch_core::diagnose::{Blind, Door, Verdict};
use gatewatch_core::driver;
use gatewatch_core::model::{HttpResponse, Probe, Target};
use gatewatch_core::probe::{API_PATH, APP_PATH, ORIGIN_PATH, STATUS_PATH};
use gatewatch_core::report::Report;
use gatewatch_core::settings::{Overrides, Settings};
use gatewatch_core::statuspage::{self, ComponentStatus, Indicator};
use gatewatch_core::text::Lang;
use gatewatch_fakes::captures::Capture;
use gatewatch_fakes::{FakeWorld, Role, Scenario};
use serde_json::json;

fn dir(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/captures")
        .join(kind)
}

/// Where a capture's host sits among the probes.
fn target_of(c: &Capture) -> (Role, &'static str, Target) {
    match c.host.as_str() {
        "api.openai.com" => (Role::Api, API_PATH, Target::Api),
        "ios.chat.openai.com" | "android.chat.openai.com" => (Role::App, APP_PATH, Target::App),
        // chatgpt.com, its old name chat.openai.com, and OpenAI's other Cloudflare-fronted
        // sites (platform.openai.com) answer in the same templates: play them as chatgpt.com.
        _ => (Role::Chatgpt, ORIGIN_PATH, Target::Origin),
    }
}

/// The expected class, by the corpus's vocabulary.
fn class_matches(expect: &str, class: &Class) -> bool {
    use gatewatch_core::classify::Block;
    match (expect, class) {
        ("ok" | "api-alive", Class::Ok) => true,
        ("answered", Class::Answered { .. }) => true,
        ("challenge", Class::Challenge { .. }) => true,
        ("refused", Class::Refused { .. }) => true,
        ("blocked:access-denied", Class::Blocked { block, .. }) => *block == Block::AccessDenied,
        ("blocked:rate-limited", Class::Blocked { block, .. }) => *block == Block::RateLimited,
        ("blocked:region", Class::Blocked { block, .. }) => *block == Block::Region,
        ("gateway", Class::Gateway { .. }) => true,
        ("edge-failure", Class::EdgeFailure { .. }) => true,
        ("origin-error", Class::OriginError { .. }) => true,
        _ => false,
    }
}

/// The verdict when this answer comes from its host and everything else is healthy.
fn expected_verdict(target: Target, expect: &str) -> (Verdict, Option<Blind>) {
    let failing = matches!(expect, "gateway" | "edge-failure" | "origin-error");
    match target {
        Target::Origin => match expect {
            "ok" | "answered" => (Verdict::Up, None),
            "challenge" => (Verdict::Up, Some(Blind::Challenge)),
            "refused" => (Verdict::Up, Some(Blind::Refused)),
            e if e.starts_with("blocked:") => (Verdict::Blocked, None),
            "gateway" => (Verdict::BadGateway, None),
            "edge-failure" => (Verdict::EdgeError, None),
            "origin-error" => (Verdict::OriginError, None),
            other => panic!("unknown expectation {other:?}"),
        },
        // Another door failing while chatgpt.com answers is degraded, never down; refusing or
        // answering, it changes nothing.
        _ if failing => (Verdict::Degraded, None),
        _ => (Verdict::Up, None),
    }
}

fn config(world: &FakeWorld) -> gatewatch_core::settings::Config {
    let (settings, warnings) = Settings::from_json(&json!({
        "timeout_secs": 3,
        "status_interval_secs": 60,
        "endpoints": world.endpoints()
    }));
    assert!(warnings.is_empty(), "{warnings:?}");
    settings.to_config(&Overrides::default(), 1).unwrap()
}

fn probe(obs: &gatewatch_core::model::Observation, t: Target) -> &Probe {
    obs.probes()
        .find(|p| p.target == t)
        .unwrap_or_else(|| panic!("no {t:?} probe"))
}

fn read(target: Target, r: &HttpResponse) -> Class {
    match target {
        Target::Api => classify(r, true),
        Target::App => classify_app(r),
        _ => classify(r, false),
    }
}

#[tokio::test]
async fn every_real_http_capture_replays_to_its_expected_reading() {
    let captures = Capture::load_dir(&dir("http")).expect("the corpus loads");
    assert!(
        captures.len() >= 20,
        "the corpus keeps at least 20 real responses, has {}",
        captures.len()
    );
    let mut replayed = 0;
    let mut wrong = Vec::new();
    for c in &captures {
        let (role, path, target) = target_of(c);
        let Some(page) = c.page() else {
            // The source showed the body but not its status: read the body by the classifier,
            // at the status its kind of answer comes with (200 for "ok", 403 for refusals).
            let status = if c.expect == "ok" { 200 } else { 403 };
            let r = HttpResponse::new(status).with_body(&c.body);
            let class = read(target, &r);
            if !class_matches(&c.expect, &class) {
                wrong.push(format!(
                    "{}: expected {}, read {class:?} (status assumed {status})",
                    c.name(),
                    c.expect
                ));
            }
            continue;
        };
        let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
        world.replay(role, path, page);
        let (obs, d, _) = driver::check_once(config(&world)).await.unwrap();
        let p = probe(&obs, target);
        let r = p
            .response()
            .unwrap_or_else(|| panic!("{}: no answer: {:?}", c.name(), p.outcome));
        assert_eq!(Some(r.status), c.status, "{}", c.name());
        let class = read(target, r);
        if !class_matches(&c.expect, &class) {
            wrong.push(format!(
                "{} ({}): expected {}, read {class:?}",
                c.name(),
                c.source,
                c.expect
            ));
            continue;
        }
        let (verdict, limited) = expected_verdict(target, &c.expect);
        if (d.verdict, d.limited) != (verdict, limited) {
            wrong.push(format!(
                "{}: expected verdict {verdict:?} {limited:?}, got {:?} {:?}; evidence {:?}",
                c.name(),
                d.verdict,
                d.limited,
                d.evidence
            ));
            continue;
        }
        if target == Target::App {
            let door = match c.expect.as_str() {
                "ok" | "answered" => Door::Answers,
                e if e.starts_with("blocked:") || e == "challenge" || e == "refused" => {
                    Door::Refuses
                }
                _ => Door::Fails,
            };
            assert_eq!(d.app_route, Some(door), "{}", c.name());
        }
        // What a user would send us keeps the answer's start but never their address.
        let report = Report::new(&obs, &d, None, Lang::EN, 0).share_text("test");
        for ip in ips_in(&c.body) {
            assert!(!report.contains(&ip), "{}: the report leaks {ip}", c.name());
        }
        replayed += 1;
    }
    assert!(wrong.is_empty(), "misread captures:\n{}", wrong.join("\n"));
    assert!(replayed >= 15, "only {replayed} captures could be served");
}

/// The IPv4 addresses written in a body (to check that reports remove them).
fn ips_in(body: &str) -> Vec<String> {
    body.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter(|t| {
            let parts: Vec<&str> = t.split('.').collect();
            parts.len() == 4 && parts.iter().all(|p| p.parse::<u8>().is_ok())
        })
        .map(str::to_string)
        .collect()
}

#[derive(Debug, PartialEq)]
struct StatusFacts {
    indicator: &'static str,
    chatgpt: &'static str,
    chatgpt_incident: bool,
    mobile: &'static str,
    incidents: usize,
}

fn facts(expect: &str) -> StatusFacts {
    let get = |k: &str| {
        expect
            .split_whitespace()
            .find_map(|kv| kv.strip_prefix(k)?.strip_prefix('='))
            .unwrap_or_else(|| panic!("expect line lacks {k}=: {expect}"))
    };
    let leak = |s: &str| -> &'static str { Box::leak(s.to_string().into_boxed_str()) };
    StatusFacts {
        indicator: leak(get("indicator")),
        chatgpt: leak(get("chatgpt")),
        chatgpt_incident: get("chatgpt_incident") == "yes",
        mobile: leak(get("mobile")),
        incidents: get("incidents").parse().expect("incidents=<n>"),
    }
}

fn level(s: ComponentStatus) -> &'static str {
    match s {
        ComponentStatus::Operational | ComponentStatus::Unknown => "operational",
        ComponentStatus::DegradedPerformance => "degraded",
        ComponentStatus::PartialOutage => "partial",
        ComponentStatus::MajorOutage => "major",
        ComponentStatus::UnderMaintenance => "maintenance",
    }
}

#[tokio::test]
async fn every_real_status_page_replays_to_its_expected_facts() {
    let captures = Capture::load_dir(&dir("status")).expect("the corpus loads");
    assert!(captures.len() >= 4, "{}", captures.len());
    for c in &captures {
        let page = c.page().expect("status captures have a status");
        let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
        let path = if c.path.starts_with("/proxy/") {
            // Served where the fallback is asked, with the primary gone.
            world.replay(
                Role::Status,
                STATUS_PATH,
                gatewatch_fakes::Page::raw(404, vec![], "{}"),
            );
            gatewatch_core::probe::STATUS_FALLBACK_PATH
        } else {
            STATUS_PATH
        };
        world.replay(Role::Status, path, page);
        let (obs, d, err) = driver::check_once(config(&world)).await.unwrap();
        assert_eq!(err, None, "{}", c.name());
        let r = obs.status_page.as_ref().expect("the page was read");
        let indicator = if c.body.contains("\"indicator\"") {
            r.indicator.as_str()
        } else {
            "absent"
        };
        let got = StatusFacts {
            indicator,
            chatgpt: level(r.chatgpt_worst().0),
            chatgpt_incident: r.chatgpt_incident(),
            mobile: match r.phone_apps() {
                None => "absent",
                Some(s) if s.is_operational() => "ok",
                Some(_) => "affected",
            },
            incidents: r.incidents.len(),
        };
        assert_eq!(got, facts(&c.expect), "{} ({})", c.name(), c.source);
        // And the diagnosis, with chatgpt.com answering: a ChatGPT problem the page admits is
        // "degraded"; anything else (another product's incident) leaves it up.
        let affected = got.chatgpt != "operational" || got.chatgpt_incident;
        assert_eq!(r.chatgpt_affected(), affected, "{}", c.name());
        let want = if affected {
            Verdict::Degraded
        } else {
            Verdict::Up
        };
        assert_eq!(d.verdict, want, "{}: {:#?}", c.name(), d.evidence);
        // Parsed again from the stored bytes, the same report (the server changed nothing).
        let again = statuspage::parse(&c.body, r.fetched_at_ms).unwrap();
        assert_eq!(&again, r, "{}", c.name());
        assert!(
            matches!(
                r.indicator,
                Indicator::None | Indicator::Minor | Indicator::Major | Indicator::Critical
            ) || indicator == "absent"
        );
    }
}

#[tokio::test]
async fn a_challenged_origin_with_a_real_status_page_incident_is_not_up() {
    // The real degraded payload of 2026-09-29 (status/04), with chatgpt.com challenging
    // Gatewatch as it does datacenter and VPN addresses: degraded, limited view.
    let capture = Capture::load(
        &dir("status").join(
            std::fs::read_dir(dir("status"))
                .unwrap()
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .find(|n| n.starts_with("04-"))
                .expect("status/04 is in the corpus"),
        ),
    )
    .unwrap();
    let world = FakeWorld::start(Scenario::Challenge).await.unwrap();
    world.replay(Role::Status, STATUS_PATH, capture.page().unwrap());
    let (_, d, _) = driver::check_once(config(&world)).await.unwrap();
    assert_eq!(d.verdict, Verdict::Degraded, "{:#?}", d.evidence);
    assert_eq!(d.limited, Some(Blind::Challenge));
}

/// SOURCES.md lists every HTTP capture with its source and the same reading as its `expect:`
/// line, so the list a reader checks is the list the tests replay.
#[test]
fn the_sources_list_names_every_http_capture_with_its_reading() {
    for kind in ["http", "network"] {
        sources_list_names_every_capture(kind);
    }
}

fn sources_list_names_every_capture(kind: &str) {
    let captures = Capture::load_dir(&dir(kind)).expect("the corpus loads");
    let list = std::fs::read_to_string(dir(kind).join("SOURCES.md")).unwrap();
    let mut wrong = Vec::new();
    for c in &captures {
        let name = c.file.file_name().unwrap().to_string_lossy().into_owned();
        let row = list
            .lines()
            .find(|l| l.starts_with(&format!("| `{name}` |")));
        let Some(row) = row else {
            wrong.push(format!("{name}: not in SOURCES.md"));
            continue;
        };
        let cells: Vec<&str> = row.split(" | ").map(str::trim).collect();
        if cells.get(3) != Some(&c.expect.as_str()) {
            wrong.push(format!(
                "{name}: SOURCES.md says {:?}, the file expects {:?}",
                cells.get(3),
                c.expect
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn capture(kind: &str, prefix: &str) -> Capture {
    let name = std::fs::read_dir(dir(kind))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with(prefix))
        .unwrap_or_else(|| panic!("{kind}/{prefix} is in the corpus"));
    Capture::load(&dir(kind).join(name)).unwrap()
}

#[tokio::test]
async fn a_real_429_is_a_rate_limit_alone_and_an_outage_signal_beside_trouble() {
    let limited = capture("http", "36-");
    // Alone, everything else healthy: rate-limited, amber.
    let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
    world.replay(Role::Chatgpt, ORIGIN_PATH, limited.page().unwrap());
    let (_, d, _) = driver::check_once(config(&world)).await.unwrap();
    assert_eq!(
        (d.verdict, d.cause),
        (
            Verdict::Blocked,
            gatewatch_core::diagnose::Cause::RateLimited
        )
    );
    assert_eq!(d.color(), gatewatch_core::diagnose::Color::Amber);

    // Beside the real status page of a ChatGPT incident (status/02): degraded, not "refuses you".
    let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
    world.replay(Role::Chatgpt, ORIGIN_PATH, limited.page().unwrap());
    world.replay(
        Role::Status,
        STATUS_PATH,
        capture("status", "02-").page().unwrap(),
    );
    let (_, d, _) = driver::check_once(config(&world)).await.unwrap();
    assert_eq!(d.verdict, Verdict::Degraded, "{:#?}", d.evidence);

    // Beside the API's and the phone apps' route's real 502s (http/19, a cf_bad_gateway JSON;
    // http/15, a plain Cloudflare 502): down.
    let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
    world.replay(Role::Chatgpt, ORIGIN_PATH, limited.page().unwrap());
    world.replay(Role::Api, API_PATH, capture("http", "19-").page().unwrap());
    world.replay(Role::App, APP_PATH, capture("http", "15-").page().unwrap());
    let (_, d, _) = driver::check_once(config(&world)).await.unwrap();
    assert_eq!(
        d.verdict.health(),
        gatewatch_core::diagnose::Health::Down,
        "{:#?}",
        d
    );
}

#[tokio::test]
async fn a_real_empty_404_is_judged_by_the_other_doors() {
    let empty = capture("http", "34-");
    let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
    world.replay(Role::Chatgpt, ORIGIN_PATH, empty.page().unwrap());
    world.replay(Role::App, APP_PATH, capture("http", "15-").page().unwrap());
    let (_, d, _) = driver::check_once(config(&world)).await.unwrap();
    assert_eq!(d.verdict, Verdict::Degraded, "{:#?}", d.evidence);
    assert_eq!(d.limited, Some(Blind::Refused));
}

/// The name a capture's vendor id stands for, as Gatewatch says it.
fn vendor_name(id: &str) -> &'static str {
    match id {
        "fortinet" => "Fortinet",
        "zscaler" => "Zscaler",
        "paloalto" => "Palo Alto Networks",
        "cisco-umbrella" => "Cisco Umbrella",
        "cisco-wsa" => "Cisco Web Security Appliance",
        "forcepoint" => "Forcepoint",
        "iboss" => "iboss",
        "e2guardian" => "e2guardian",
        "pihole" => "Pi-hole",
        "squidguard" => "squidGuard",
        "squid" => "Squid",
        "microsoft-tmg" => "Microsoft Forefront TMG",
        "tinyproxy" => "tinyproxy",
        "privoxy" => "Privoxy",
        other => panic!("no name for vendor {other:?}: add it here and to fingerprint.rs"),
    }
}

/// OpenAI's doors: chatgpt.com's request and trace, the API's, the phone apps' host's.
const OPENAI_DOORS: [(Role, &str); 4] = [
    (Role::Chatgpt, ORIGIN_PATH),
    (Role::Chatgpt, "/cdn-cgi/trace"),
    (Role::Api, API_PATH),
    (Role::App, APP_PATH),
];

fn replay_on(world: &FakeWorld, page: &gatewatch_fakes::Page, doors: &[(Role, &str)]) {
    for (role, path) in doors {
        world.replay(*role, path, page.clone());
    }
}

/// A `network/` capture as it is served: its status, or — where the source showed only the
/// body — 200 for a filter's page (those were saved as ordinary files: the client got them as
/// answers) and 403 for a proxy's refusal.
fn served(c: &Capture, default: u16) -> gatewatch_fakes::Page {
    c.page()
        .unwrap_or_else(|| gatewatch_fakes::Page::raw(default, vec![], c.body.clone()))
}

/// Real block pages of web filters and proxies, and real captive portals (core/tests/captures/
/// network/, each with its source): a filter's page in place of OpenAI's hosts, with the
/// internet working, is "this network blocks ChatGPT" with the filter named; a proxy refusing
/// the tunnel with its page is its policy, named; a login page in place of the known answer is
/// a captive portal — never an outage, never "refuses you".
#[tokio::test]
async fn every_real_block_page_and_captive_portal_replays_to_its_reading() {
    use gatewatch_fakes::blocking::FilteringProxy;
    let captures = Capture::load_dir(&dir("network")).expect("the corpus loads");
    let count = |p: &str| captures.iter().filter(|c| c.expect.starts_with(p)).count();
    assert!(
        count("filter:") >= 12 && count("proxy-policy:") >= 6 && count("captive-portal") >= 5,
        "the network corpus: {} files",
        captures.len()
    );
    let mut wrong = Vec::new();
    for c in &captures {
        let world = FakeWorld::start(Scenario::Healthy).await.unwrap();
        let (expect_kind, vendor) = c.expect.split_once(':').unwrap_or((c.expect.as_str(), ""));
        let (cfg, proxy) = match expect_kind {
            // The filter answers for OpenAI's hosts (TLS inspection with its root trusted): its
            // page on chatgpt.com's request and trace, the API's and the phone apps' host's.
            "filter" => {
                replay_on(&world, &served(c, 200), &OPENAI_DOORS);
                (config(&world), None)
            }
            // An explicit proxy refusing the tunnel to OpenAI's names with its page; the
            // status page and the known answer pass through it.
            "proxy-policy" => {
                let proxy = FilteringProxy::start(&["chatgpt.com", "openai.com"], served(c, 403))
                    .await
                    .unwrap();
                let o = Overrides {
                    chatgpt_url: Some("https://chatgpt.com".into()),
                    api_url: Some("https://api.openai.com".into()),
                    app_url: Some("https://ios.chat.openai.com".into()),
                    proxy: Some(proxy.url()),
                    ..Overrides::default()
                };
                let (settings, _) = Settings::from_json(&json!({
                    "timeout_secs": 3,
                    "endpoints": world.endpoints()
                }));
                (settings.to_config(&o, 1).unwrap(), Some(proxy))
            }
            // A captive portal answers everything, the known-answer check included.
            "captive-portal" => {
                let page = served(c, 200);
                replay_on(&world, &page, &OPENAI_DOORS);
                replay_on(
                    &world,
                    &page,
                    &[(Role::Control, gatewatch_core::probe::CONTROL_PATH)],
                );
                (config(&world), None)
            }
            other => panic!("{}: unknown expectation {other:?}", c.name()),
        };
        let (obs, d, _) = driver::check_once(cfg).await.unwrap();
        let got = (
            d.verdict,
            d.cause,
            d.network_block.as_ref().map(|b| b.how),
            d.network_block.as_ref().and_then(|b| b.vendor.clone()),
        );
        use gatewatch_core::diagnose::{BlockHow, Cause};
        let want = match expect_kind {
            "filter" => (
                Verdict::Blocked,
                Cause::NetworkBlocks,
                Some(BlockHow::FilterPage),
                Some(vendor_name(vendor).to_string()),
            ),
            "proxy-policy" => (
                Verdict::Blocked,
                Cause::NetworkBlocks,
                Some(BlockHow::ProxyPolicy),
                Some(vendor_name(vendor).to_string()),
            ),
            _ => (Verdict::Offline, Cause::CaptivePortal, None, None),
        };
        if got != want {
            wrong.push(format!(
                "{} ({}): expected {want:?}, got {got:?}; evidence {:?}",
                c.name(),
                c.source,
                d.evidence
            ));
            continue;
        }
        // The known answer was asked; never a down verdict.
        assert!(obs.control.is_some(), "{}: no known answer asked", c.name());
        assert_ne!(d.verdict.color(), gatewatch_core::diagnose::Color::Red);
        if let Some(p) = &proxy {
            assert!(p.refused() >= 1 && p.passed() >= 1, "{}", c.name());
        }
    }
    assert!(
        wrong.is_empty(),
        "misread network captures:\n{}",
        wrong.join("\n")
    );
}
