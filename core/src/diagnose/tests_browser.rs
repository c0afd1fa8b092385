//! The browser layer as a table: what the user's own browser adds to what Gatewatch saw.

use super::tests::{answer, api_alive, challenged, check, edge_ok, fail, obs, origin, page};
use super::*;
use crate::browser::{self, Kind, Net, Outcome as B, Record, Window};

const T0: i64 = 1_764_000_000;
const NOW_MS: i64 = (T0 + 100) * 1000;

const GREEN_PAGE: &str = r#"{"status":{"indicator":"none"},"components":[{"id":"c","name":"ChatGPT","status":"operational"}],"incidents":[]}"#;
const CHATGPT_INCIDENT: &str = r#"{"status":{"indicator":"major"},"components":[{"id":"c","name":"ChatGPT","status":"partial_outage"}],"incidents":[{"id":"1","name":"Elevated errors","status":"investigating","impact":"major"}]}"#;
const MAINTENANCE: &str = r#"{"status":{"indicator":"maintenance"},"components":[{"id":"c","name":"ChatGPT","status":"under_maintenance"}],"incidents":[]}"#;

fn rec(result: B, status: Option<u16>, net: Option<Net>, i: i64) -> Record {
    Record {
        kind: Kind::Conversation,
        result,
        status,
        net,
        cf: true,
        t: T0 + 10 * i,
    }
}
fn ok(i: i64) -> Record {
    rec(B::Ok, Some(200), None, i)
}
fn gw502(i: i64) -> Record {
    rec(B::Http5xx, Some(502), None, i)
}
fn reset(i: i64) -> Record {
    rec(B::NetError, None, Some(Net::Reset), i)
}

/// The browser's last five: `bad` of them failing (the newest ones), the rest answered.
fn browser_saw(failing: fn(i64) -> Record, bad: usize) -> Option<browser::Reading> {
    let records = (0..5)
        .map(|i| {
            if i >= 5 - bad as i64 {
                failing(i)
            } else {
                ok(i)
            }
        })
        .collect();
    browser::read(
        &Window {
            records,
            received_ms: NOW_MS,
        },
        NOW_MS,
    )
}

fn healthy() -> Observation {
    let mut o = obs(edge_ok(), origin(200, "{}"), api_alive());
    o.status_page = page(GREEN_PAGE);
    o
}

fn with(mut o: Observation, b: Option<browser::Reading>) -> Observation {
    o.browser = b;
    o
}

#[test]
fn the_browser_sees_a_partial_outage_gatewatch_cannot() {
    // chatgpt.com answers Gatewatch; the user's conversations fail 3 of 5 with Cloudflare's 502.
    let d = check(
        with(healthy(), browser_saw(gw502, 3)),
        Verdict::BadGateway,
        Layer::Origin,
        Cause::Overload,
    );
    assert_eq!(d.http_status, Some(502), "the browser's status names it");
    assert!(d.evidence.iter().any(|e| matches!(
        e,
        Evidence::Browser {
            state: browser::State::Fails,
            recent: 5,
            failed: 3,
            ..
        }
    )));
    assert!(d.advice.contains(&Advice::PhoneApp));
    // Cut or reset: no answer to name the side; the requests fail.
    let d = check(
        with(healthy(), browser_saw(reset, 4)),
        Verdict::OriginError,
        Layer::Origin,
        Cause::ConversationsFail,
    );
    assert_eq!(d.http_status, None, "not Gatewatch's 200");
    // Two of five: partly failing, not down.
    let d = check(
        with(healthy(), browser_saw(gw502, 2)),
        Verdict::Degraded,
        Layer::Origin,
        Cause::ConversationsFail,
    );
    assert_eq!(d.http_status, Some(502));
    // One of five, or all answering: nothing changes.
    for b in [browser_saw(gw502, 1), browser_saw(gw502, 0)] {
        check(with(healthy(), b), Verdict::Up, Layer::None, Cause::Healthy);
    }
}

#[test]
fn announced_maintenance_still_names_itself() {
    let mut o = healthy();
    o.status_page = page(MAINTENANCE);
    check(
        with(o.clone(), browser_saw(reset, 3)),
        Verdict::OriginError,
        Layer::Origin,
        Cause::Maintenance,
    );
    check(
        with(o, browser_saw(gw502, 3)),
        Verdict::BadGateway,
        Layer::Origin,
        Cause::Maintenance,
    );
}

#[test]
fn a_browser_that_answers_ends_the_limited_view() {
    let challenged_obs = || {
        let mut o = obs(edge_ok(), challenged(), api_alive());
        o.status_page = page(GREEN_PAGE);
        o
    };
    // Without the browser: up, through a limited view.
    let d = check(challenged_obs(), Verdict::Up, Layer::None, Cause::Healthy);
    assert_eq!(d.limited, Some(Blind::Challenge));
    // The browser's requests answer: up, and seen through; the challenge's 403 is no verdict's.
    let d = check(
        with(challenged_obs(), browser_saw(gw502, 0)),
        Verdict::Up,
        Layer::None,
        Cause::Healthy,
    );
    assert_eq!(d.limited, None);
    assert_eq!(d.http_status, None);
    // The challenge itself stays in the evidence.
    assert!(d
        .evidence
        .iter()
        .any(|e| matches!(e, Evidence::LimitedView { status: 403, .. })));
    // Seen through, an incident on the status page reads as it does when chatgpt.com answers.
    let mut o = with(challenged_obs(), browser_saw(gw502, 1));
    o.status_page = page(CHATGPT_INCIDENT);
    let d = check(o, Verdict::Degraded, Layer::Origin, Cause::OfficialIncident);
    assert_eq!((d.limited, d.http_status), (None, None));
    // The browser's requests fail: down, and not through a limited view either.
    let d = check(
        with(challenged_obs(), browser_saw(gw502, 3)),
        Verdict::BadGateway,
        Layer::Origin,
        Cause::Overload,
    );
    assert_eq!((d.limited, d.http_status), (None, Some(502)));
    // Challenges in the browser too say nothing: the view stays limited.
    let challenges = browser::read(
        &Window {
            records: (0..5)
                .map(|i| rec(B::Challenge, Some(403), None, i))
                .collect(),
            received_ms: NOW_MS,
        },
        NOW_MS,
    );
    assert_eq!(challenges.map(|r| r.state), Some(browser::State::Quiet));
    let d = check(
        with(challenged_obs(), challenges),
        Verdict::Up,
        Layer::None,
        Cause::Healthy,
    );
    assert_eq!(d.limited, Some(Blind::Challenge));
}

#[test]
fn the_browser_never_outvotes_what_is_nearer_the_user() {
    use NetErrorKind::*;
    // Offline: every door and the control host fail.
    let mut o = obs(
        fail(Target::Edge, Dns),
        fail(Target::Origin, Dns),
        fail(Target::Api, Dns),
    );
    o.control = fail(Target::Control, Dns);
    for b in [browser_saw(gw502, 5), browser_saw(gw502, 0)] {
        check(
            with(o.clone(), b),
            Verdict::Offline,
            Layer::Network,
            Cause::YourNetwork,
        );
    }
    // A captive portal answering every request in ChatGPT's place.
    let portal = |t: Target| {
        Some(Probe::new(
            t,
            "u",
            crate::model::Outcome::Response(
                crate::model::HttpResponse::new(302)
                    .with_header("location", "http://login.example/"),
            ),
            10,
        ))
    };
    let mut o = obs(
        portal(Target::Edge),
        portal(Target::Origin),
        portal(Target::Api),
    );
    o.control = portal(Target::Control);
    let plain = diagnose(&o);
    let d = diagnose(&with(o, browser_saw(gw502, 5)));
    assert_eq!((d.verdict, d.cause), (plain.verdict, plain.cause));
    assert_ne!(d.cause, Cause::Overload);
}

#[test]
fn gatewatch_s_own_outage_reading_stands() {
    // chatgpt.com answers Gatewatch with a 502: down whatever the browser says.
    let o = obs(edge_ok(), answer(Target::Origin, 502, "", 80), api_alive());
    for b in [browser_saw(gw502, 0), browser_saw(reset, 5)] {
        let d = diagnose(&with(o.clone(), b));
        assert_eq!(d.verdict.health(), Health::Down, "{d:?}");
        assert_ne!(d.cause, Cause::ConversationsFail);
    }
}
