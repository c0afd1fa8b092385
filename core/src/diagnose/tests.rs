//! The diagnosis as a transition table: one row per situation, read top to bottom.

use super::*;
use crate::model::{HttpResponse, Outcome};
use crate::statuspage;

const TRACE: &str = "fl=1\nh=chatgpt.com\nip=203.0.113.9\nts=1\ncolo=FRA\nloc=DE\nhttp=http/2\n";
const BRANDED_502: &str = "<title>chatgpt.com | 502: Bad gateway</title><div id=\"cf-error-details\">Error code 502 Cloudflare Ray ID</div>";

fn answer(target: Target, status: u16, body: &str, ms: u64) -> Option<Probe> {
    Some(Probe::new(
        target,
        format!("https://example.test/{}", target.as_str()),
        Outcome::Response(
            HttpResponse::new(status)
                .with_header("server", "cloudflare")
                .with_header("cf-ray", "8f2c1a0b3d4e5f60-FRA")
                .with_body(body),
        ),
        ms,
    ))
}

fn fail(target: Target, error: NetErrorKind) -> Option<Probe> {
    Some(Probe::new(
        target,
        format!("https://example.test/{}", target.as_str()),
        Outcome::Failed {
            error,
            detail: error.as_str().into(),
        },
        10,
    ))
}

fn edge_ok() -> Option<Probe> {
    answer(Target::Edge, 200, TRACE, 30)
}
fn origin(status: u16, body: &str) -> Option<Probe> {
    answer(Target::Origin, status, body, 80)
}
fn api_alive() -> Option<Probe> {
    answer(
        Target::Api,
        401,
        r#"{"error":{"message":"no key","type":"invalid_request_error"}}"#,
        60,
    )
}
fn page(json: &str) -> Option<StatusReport> {
    Some(statuspage::parse(json, 0).unwrap())
}
const GREEN_PAGE: &str = r#"{"status":{"indicator":"none","description":"All Systems Operational"},"components":[{"id":"c","name":"ChatGPT","status":"operational"}],"incidents":[]}"#;
const CHATGPT_INCIDENT: &str = r#"{"status":{"indicator":"major"},"components":[{"id":"c","name":"ChatGPT","status":"partial_outage"}],"incidents":[{"id":"1","name":"Elevated errors on ChatGPT","status":"investigating","impact":"major"}]}"#;
const MAINTENANCE: &str = r#"{"status":{"indicator":"maintenance"},"components":[{"id":"c","name":"ChatGPT","status":"under_maintenance"}],"incidents":[]}"#;

fn obs(edge: Option<Probe>, origin: Option<Probe>, api: Option<Probe>) -> Observation {
    Observation {
        edge,
        origin,
        api,
        control: None,
        app: None,
        status_page: None,
        slow_ms: 4000,
        ..Observation::default()
    }
}

fn check(o: Observation, verdict: Verdict, layer: Layer, cause: Cause) -> Diagnosis {
    let d = diagnose(&o);
    assert_eq!(
        (d.verdict, d.layer, d.cause),
        (verdict, layer, cause),
        "evidence: {:#?}",
        d.evidence
    );
    d
}

#[test]
fn healthy() {
    let d = check(
        obs(edge_ok(), origin(200, "{}"), api_alive()),
        Verdict::Up,
        Layer::None,
        Cause::Healthy,
    );
    assert_eq!(d.edge.colo.as_deref(), Some("FRA"));
    assert_eq!(d.edge.loc.as_deref(), Some("DE"));
    assert_eq!(d.api_alive, Some(true));
    assert_eq!(d.latency_ms, Some(80));
    assert!(d.advice.is_empty());
    assert_eq!(d.color(), Color::Green);
}

#[test]
fn gateway_failures_are_bad_gateway_with_the_right_cause() {
    for (status, body, cause) in [
        (502, BRANDED_502, Cause::Overload),
        (
            502,
            "<h1>502 Bad Gateway</h1><center>cloudflare</center>",
            Cause::Overload,
        ),
        (
            504,
            "<div id=\"cf-error-details\">Error code 504</div>",
            Cause::Overload,
        ),
        (520, "", Cause::Overload),
        (521, "", Cause::BrokenLink),
        (522, "", Cause::Overload),
        (523, "", Cause::BrokenLink),
        (524, "", Cause::Overload),
        (525, "", Cause::OriginTls),
        (526, "", Cause::OriginTls),
        (530, "Error code 1016 origin DNS error", Cause::BrokenLink),
    ] {
        let d = check(
            obs(edge_ok(), origin(status, body), api_alive()),
            Verdict::BadGateway,
            Layer::Origin,
            cause,
        );
        assert_eq!(d.http_status, Some(status));
        assert_eq!(d.color(), Color::Red);
        assert_eq!(
            d.advice[0],
            Advice::PhoneApp,
            "the phone app comes first when OpenAI's web side fails"
        );
        assert!(
            d.advice.contains(&Advice::OtherServices),
            "the API answers: say so"
        );
    }
    let d = diagnose(&obs(edge_ok(), origin(530, "Error code 1016"), None));
    assert_eq!(d.cf_code, Some(1016));
}

#[test]
fn a_dead_api_is_not_offered_as_an_alternative() {
    let api_down = answer(
        Target::Api,
        502,
        r#"{"error":{"code":502,"type":"cf_bad_gateway"}}"#,
        50,
    );
    let d = check(
        obs(edge_ok(), origin(502, BRANDED_502), api_down),
        Verdict::BadGateway,
        Layer::Origin,
        Cause::Overload,
    );
    assert_eq!(d.api_alive, Some(false));
    assert!(!d.advice.contains(&Advice::OtherServices));
}

#[test]
fn maintenance_on_the_status_page_names_the_cause() {
    let mut o = obs(
        edge_ok(),
        origin(503, "<h1>Down for maintenance</h1>"),
        None,
    );
    o.status_page = page(MAINTENANCE);
    check(
        o.clone(),
        Verdict::OriginError,
        Layer::Origin,
        Cause::Maintenance,
    );
    o.origin = origin(521, "");
    check(o, Verdict::BadGateway, Layer::Origin, Cause::Maintenance);
}

#[test]
fn origin_and_edge_errors() {
    check(
        obs(edge_ok(), origin(500, "Internal Server Error"), None),
        Verdict::OriginError,
        Layer::Origin,
        Cause::OriginFailure,
    );
    check(
        obs(edge_ok(), origin(503, "Service Unavailable"), None),
        Verdict::OriginError,
        Layer::Origin,
        Cause::OriginFailure,
    );
    check(
        obs(edge_ok(), origin(502, "upstream connect error"), None),
        Verdict::OriginError,
        Layer::Origin,
        Cause::OriginFailure,
    );
    check(
        obs(edge_ok(), origin(503, "cloudflare"), None),
        Verdict::EdgeError,
        Layer::Edge,
        Cause::CloudflareFailure,
    );
    check(
        obs(
            answer(Target::Edge, 500, "cloudflare", 10),
            origin(500, "<div id=\"cf-error-details\">500</div>"),
            None,
        ),
        Verdict::EdgeError,
        Layer::Edge,
        Cause::CloudflareFailure,
    );
}

#[test]
fn refusals_that_hit_the_user_are_blocked_never_down() {
    check(
        obs(edge_ok(), origin(403, "Error code 1020"), None),
        Verdict::Blocked,
        Layer::Edge,
        Cause::AccessDenied,
    );
    check(
        obs(edge_ok(), origin(429, "error code: 1015"), None),
        Verdict::Blocked,
        Layer::Edge,
        Cause::RateLimited,
    );
    check(
        obs(edge_ok(), origin(429, "slow down"), None),
        Verdict::Blocked,
        Layer::Edge,
        Cause::RateLimited,
    );
    check(
        obs(
            edge_ok(),
            origin(
                403,
                r#"{"cf_details":"x","unsupported_country_region_territory":true}"#,
            ),
            None,
        ),
        Verdict::Blocked,
        Layer::Edge,
        Cause::Region,
    );
    let d = diagnose(&obs(edge_ok(), origin(403, "Error code 1020"), None));
    assert_eq!(d.cf_code, Some(1020));
}

#[test]
fn degraded_when_slow_partial_or_officially_admitted() {
    let slow = answer(Target::Origin, 200, "{}", 6_000);
    let d = check(
        obs(edge_ok(), slow, api_alive()),
        Verdict::Degraded,
        Layer::Origin,
        Cause::Slow,
    );
    assert!(d.evidence.iter().any(|e| matches!(
        e,
        Evidence::Slow {
            latency_ms: 6_000,
            limit_ms: 4_000,
            ..
        }
    )));

    let api_down = answer(
        Target::Api,
        502,
        r#"{"error":{"type":"cf_bad_gateway"}}"#,
        50,
    );
    check(
        obs(edge_ok(), origin(200, "{}"), api_down),
        Verdict::Degraded,
        Layer::Origin,
        Cause::PartialFailure,
    );
    check(
        obs(
            fail(Target::Edge, NetErrorKind::Timeout),
            origin(200, "{}"),
            api_alive(),
        ),
        Verdict::Degraded,
        Layer::Origin,
        Cause::PartialFailure,
    );

    let mut o = obs(edge_ok(), origin(200, "{}"), api_alive());
    o.status_page = page(CHATGPT_INCIDENT);
    let d = check(
        o.clone(),
        Verdict::Degraded,
        Layer::Origin,
        Cause::OfficialIncident,
    );
    assert!(d.status_page.unwrap().chatgpt_affected);

    o.status_page = page(GREEN_PAGE);
    check(o, Verdict::Up, Layer::None, Cause::Healthy);
}

#[test]
fn an_api_challenge_is_not_a_partial_failure() {
    let api_challenge = Some(Probe::new(
        Target::Api,
        "u",
        Outcome::Response(HttpResponse::new(403).with_header("cf-mitigated", "challenge")),
        20,
    ));
    let d = check(
        obs(edge_ok(), origin(200, "{}"), api_challenge),
        Verdict::Up,
        Layer::None,
        Cause::Healthy,
    );
    assert_eq!(d.api_alive, Some(false));
}

#[test]
fn other_4xx_means_the_site_answered() {
    check(
        obs(edge_ok(), origin(404, "not found"), None),
        Verdict::Up,
        Layer::None,
        Cause::Healthy,
    );
}

#[test]
fn network_level_failures() {
    use NetErrorKind::*;
    // Everything, the control host included, fails: it is your internet.
    let mut o = obs(
        fail(Target::Edge, Dns),
        fail(Target::Origin, Dns),
        fail(Target::Api, Dns),
    );
    o.control = fail(Target::Control, Dns);
    let d = check(
        o.clone(),
        Verdict::Offline,
        Layer::Network,
        Cause::YourNetwork,
    );
    assert_eq!(d.advice, vec![Advice::CheckConnection]);
    assert_eq!(d.color(), Color::Grey);

    // The control host answers: Cloudflare is what you cannot reach.
    o.control = answer(Target::Control, 204, "", 20);
    check(
        o.clone(),
        Verdict::EdgeError,
        Layer::Edge,
        Cause::CloudflareUnreachable,
    );

    // No control answer to go on: cannot tell.
    o.control = None;
    check(o, Verdict::Unknown, Layer::Unclear, Cause::Inconclusive);

    // The API's zone still answers while chatgpt.com's edge does not.
    let o = obs(
        fail(Target::Edge, Connect),
        fail(Target::Origin, Connect),
        api_alive(),
    );
    check(
        o,
        Verdict::EdgeError,
        Layer::Edge,
        Cause::CloudflareUnreachable,
    );

    // The switchboard answers, the office never picks up.
    let d = check(
        obs(edge_ok(), fail(Target::Origin, Timeout), api_alive()),
        Verdict::BadGateway,
        Layer::Origin,
        Cause::Overload,
    );
    assert_eq!(d.http_status, None);
    assert!(d.advice.contains(&Advice::OtherServices));

    // The edge answers but the page request breaks off: honest about not knowing.
    check(
        obs(edge_ok(), fail(Target::Origin, Reset), None),
        Verdict::Unknown,
        Layer::Unclear,
        Cause::Inconclusive,
    );

    // The trace URL itself returns a Cloudflare 5xx.
    check(
        obs(
            answer(Target::Edge, 503, "cloudflare", 5),
            fail(Target::Origin, Reset),
            None,
        ),
        Verdict::EdgeError,
        Layer::Edge,
        Cause::CloudflareFailure,
    );
}

#[test]
fn captive_portal() {
    let portal = answer(
        Target::Edge,
        200,
        "<html><title>Hotel Wi-Fi</title>Please sign in</html>",
        5,
    );
    let mut o = obs(
        portal,
        fail(Target::Origin, NetErrorKind::Tls),
        fail(Target::Api, NetErrorKind::Tls),
    );
    o.control = fail(Target::Control, NetErrorKind::Tls);
    let d = check(o, Verdict::Offline, Layer::Network, Cause::CaptivePortal);
    assert_eq!(d.advice[0], Advice::SignInToNetwork);
}

#[test]
fn a_portal_answering_everything_is_not_chatgpt_being_up() {
    let page = "<html><title>Sign in to Free Wi-Fi</title></html>";
    let plain = |t| {
        Some(Probe::new(
            t,
            "u",
            Outcome::Response(HttpResponse::new(200).with_body(page)),
            3,
        ))
    };
    let d = check(
        obs(
            plain(Target::Edge),
            plain(Target::Origin),
            plain(Target::Api),
        ),
        Verdict::Offline,
        Layer::Network,
        Cause::CaptivePortal,
    );
    assert_eq!(d.advice[0], Advice::SignInToNetwork);
    // Without a trace to compare, an answer without Cloudflare's headers is still taken at its word.
    check(
        obs(None, plain(Target::Origin), None),
        Verdict::Up,
        Layer::None,
        Cause::Healthy,
    );
}

#[test]
fn nothing_observed_is_unknown() {
    check(
        Observation::default(),
        Verdict::Unknown,
        Layer::Unclear,
        Cause::Inconclusive,
    );
}

#[test]
fn verdict_names_and_codes_are_stable() {
    let names: Vec<&str> = Verdict::ALL.iter().map(|v| v.as_str()).collect();
    assert_eq!(
        names,
        [
            "up",
            "degraded",
            "bad_gateway",
            "origin_error",
            "edge_error",
            "blocked",
            "offline",
            "unknown"
        ]
    );
    let codes: Vec<i32> = Verdict::ALL.iter().map(|v| v.exit_code()).collect();
    assert_eq!(codes, [0, 1, 2, 2, 2, 1, 3, 3]);
    for v in Verdict::ALL {
        assert_eq!(Verdict::parse(v.as_str()), Some(v));
        assert_eq!(
            serde_json::to_value(v).unwrap(),
            serde_json::Value::String(v.as_str().into())
        );
    }
}

fn challenged() -> Option<Probe> {
    Some(Probe::new(
        Target::Origin,
        "u",
        Outcome::Response(
            HttpResponse::new(403)
                .with_header("server", "cloudflare")
                .with_header("cf-mitigated", "challenge")
                .with_body("<title>Just a moment...</title>"),
        ),
        20,
    ))
}

fn app(status: u16, body: &str) -> Option<Probe> {
    answer(Target::App, status, body, 70)
}

const API_502: &str =
    r#"{"error":{"code":502,"message":"Bad gateway.","param":null,"type":"cf_bad_gateway"}}"#;

/// ChatGPT's group with its conversations, one feature and the phone apps, in Statuspage's shape.
fn grouped_page(conversations: &str, voice: &str, ios: &str) -> Option<StatusReport> {
    page(&format!(
        r#"{{"status":{{"indicator":"major"}},"components":[
        {{"id":"g","name":"ChatGPT","group":true,"status":"operational"}},
        {{"id":"c","name":"Conversations","group_id":"g","status":"{conversations}"}},
        {{"id":"v","name":"Voice mode","group_id":"g","status":"{voice}"}},
        {{"id":"i","name":"Mobile - iOS","group_id":"g","status":"{ios}"}},
        {{"id":"s","name":"Sora","group":true,"status":"operational"}},
        {{"id":"l","name":"Login","group_id":"s","status":"major_outage"}}],"incidents":[]}}"#
    ))
}

#[test]
fn a_challenged_origin_is_a_blind_probe_not_a_verdict() {
    // Nothing else points to trouble: up, green, with the limited view said.
    let d = check(
        obs(edge_ok(), challenged(), api_alive()),
        Verdict::Up,
        Layer::None,
        Cause::Healthy,
    );
    assert_eq!(d.limited, Some(Blind::Challenge));
    assert_eq!(d.color(), Color::Green);
    assert!(d.evidence.contains(&Evidence::LimitedView {
        status: 403,
        reason: Blind::Challenge
    }));
    assert!(
        d.advice.is_empty(),
        "no 'complete the check': it can't help Gatewatch"
    );

    // A bare 403 with no reason: the same.
    let d = check(
        obs(
            edge_ok(),
            origin(403, "<html>Forbidden</html>"),
            api_alive(),
        ),
        Verdict::Up,
        Layer::None,
        Cause::Healthy,
    );
    assert_eq!(d.limited, Some(Blind::Refused));

    // The status page declares ChatGPT's conversations fully down: down, whatever the challenge.
    let mut o = obs(edge_ok(), challenged(), api_alive());
    o.status_page = grouped_page("major_outage", "operational", "operational");
    let d = check(
        o,
        Verdict::OriginError,
        Layer::Origin,
        Cause::OfficialOutage,
    );
    assert_eq!(d.color(), Color::Red);
    assert_eq!(d.verdict.health(), Health::Down);
    assert_eq!(
        d.http_status, None,
        "the 403 is the challenge's, not the outage's"
    );
    assert_eq!(d.limited, Some(Blind::Challenge));

    // Part of ChatGPT partly down, or one feature fully down: degraded, not down.
    for (conv, voice) in [
        ("partial_outage", "operational"),
        ("operational", "major_outage"),
        ("degraded_performance", "operational"),
    ] {
        let mut o = obs(edge_ok(), challenged(), api_alive());
        o.status_page = grouped_page(conv, voice, "operational");
        check(o, Verdict::Degraded, Layer::Origin, Cause::OfficialIncident);
    }

    // Sora's "Login" fully down is not ChatGPT's: up.
    let mut o = obs(edge_ok(), challenged(), api_alive());
    o.status_page = grouped_page("operational", "operational", "operational");
    check(o, Verdict::Up, Layer::None, Cause::Healthy);

    // Two other doors fail: down, named by the phone apps' route's answer.
    let mut o = obs(
        edge_ok(),
        challenged(),
        answer(Target::Api, 502, API_502, 40),
    );
    o.app = app(502, BRANDED_502);
    let d = check(o, Verdict::BadGateway, Layer::Origin, Cause::Overload);
    assert_eq!(d.app_route, Some(Door::Fails));
    assert!(!d.advice.contains(&Advice::PhoneApp), "its route fails too");

    // One other door fails: degraded.
    let mut o = obs(edge_ok(), challenged(), api_alive());
    o.app = app(502, BRANDED_502);
    check(o, Verdict::Degraded, Layer::Origin, Cause::PartialFailure);
    check(
        obs(
            edge_ok(),
            challenged(),
            answer(Target::Api, 502, API_502, 40),
        ),
        Verdict::Degraded,
        Layer::Origin,
        Cause::PartialFailure,
    );

    // The phone apps' route answering is evidence for "up".
    let mut o = obs(edge_ok(), challenged(), api_alive());
    o.app = app(404, "{\"detail\":\"Not Found\"}");
    let d = check(o, Verdict::Up, Layer::None, Cause::Healthy);
    assert_eq!(d.app_route, Some(Door::Answers));
}

#[test]
fn the_phone_app_advice_follows_measurements() {
    // The web fails, the phone apps' route answers: say so (2025-01-23).
    let mut o = obs(edge_ok(), origin(502, BRANDED_502), api_alive());
    o.app = app(404, "{}");
    let d = check(o, Verdict::BadGateway, Layer::Origin, Cause::Overload);
    assert_eq!(d.advice[0], Advice::PhoneAppAnswers);
    assert!(!d.advice.contains(&Advice::PhoneApp));

    // The route fails too (2024-11-08): no phone-app advice.
    let mut o = obs(edge_ok(), origin(502, BRANDED_502), api_alive());
    o.app = app(503, "<center>cloudflare</center>");
    let d = check(o, Verdict::BadGateway, Layer::Origin, Cause::Overload);
    assert!(!d
        .advice
        .iter()
        .any(|a| matches!(a, Advice::PhoneApp | Advice::PhoneAppAnswers)));

    // The route challenges Gatewatch: unmeasured, the general advice stays.
    let mut o = obs(edge_ok(), origin(502, BRANDED_502), api_alive());
    o.app = app(403, "<title>Just a moment...</title>");
    let d = diagnose(&o);
    assert_eq!(d.app_route, Some(Door::Refuses));
    assert_eq!(d.advice[0], Advice::PhoneApp);

    // The status page reports the phone apps down: no phone-app advice, even if the route answers.
    let mut o = obs(edge_ok(), origin(502, BRANDED_502), api_alive());
    o.app = app(404, "{}");
    o.status_page = grouped_page("major_outage", "operational", "major_outage");
    let d = diagnose(&o);
    assert!(!d
        .advice
        .iter()
        .any(|a| matches!(a, Advice::PhoneApp | Advice::PhoneAppAnswers)));
    assert!(d.evidence.contains(&Evidence::PhoneApps {
        status: ComponentStatus::MajorOutage
    }));

    // A failing phone-apps route while chatgpt.com answers is not an outage.
    let mut o = obs(edge_ok(), origin(200, "{}"), api_alive());
    o.app = app(502, BRANDED_502);
    let d = diagnose(&o);
    assert_ne!(d.verdict.health(), Health::Down);
}

#[test]
fn an_edge_failure_that_looks_like_a_challenge_is_an_edge_failure() {
    // 2025-11-18: Cloudflare's own failure, worded like a challenge.
    let d = check(
        obs(
            edge_ok(),
            origin(
                500,
                "<p>Please unblock challenges.cloudflare.com to proceed.</p>",
            ),
            api_alive(),
        ),
        Verdict::EdgeError,
        Layer::Edge,
        Cause::CloudflareFailure,
    );
    assert_eq!(d.limited, None);
}

fn origin_with(status: u16, headers: &[(&str, &str)]) -> Option<Probe> {
    let mut p = origin(status, "")?;
    if let Outcome::Response(r) = &mut p.outcome {
        for (n, v) in headers {
            r.headers.push((n.to_string(), v.to_string()));
        }
    }
    Some(p)
}

#[test]
fn a_429_is_personal_only_while_nothing_else_is_wrong() {
    let app = |status, body: &str| answer(Target::App, status, body, 70);
    let app_ok = || {
        app(
            403,
            r#"{"cf_details":"Request is not allowed.","type":"dc"}"#,
        )
    };
    // Alone: rate-limited, amber.
    let mut o = obs(edge_ok(), origin(429, "slow down"), api_alive());
    o.app = app_ok();
    o.status_page = page(GREEN_PAGE);
    check(o, Verdict::Blocked, Layer::Edge, Cause::RateLimited);
    // The status page reports a ChatGPT incident: degraded.
    let mut o = obs(edge_ok(), origin(429, "slow down"), api_alive());
    o.status_page = page(CHATGPT_INCIDENT);
    check(o, Verdict::Degraded, Layer::Origin, Cause::OfficialIncident);
    // The API fails: degraded.
    let failing_api = answer(
        Target::Api,
        502,
        r#"{"error":{"code":502,"message":"Bad gateway.","type":"cf_bad_gateway"}}"#,
        60,
    );
    check(
        obs(edge_ok(), origin(429, "slow down"), failing_api.clone()),
        Verdict::Degraded,
        Layer::Origin,
        Cause::PartialFailure,
    );
    // The API and the phone apps' route fail too: down.
    let mut o = obs(edge_ok(), origin(429, ""), failing_api);
    o.app = app(502, BRANDED_502);
    check(o, Verdict::BadGateway, Layer::Origin, Cause::Overload);
    // Other blocks stay blocks whatever else is seen (they hit the user too).
    let mut o = obs(edge_ok(), origin(403, "Error code 1020"), None);
    o.status_page = page(CHATGPT_INCIDENT);
    check(o, Verdict::Blocked, Layer::Edge, Cause::AccessDenied);
}

#[test]
fn retry_after_is_read_in_seconds_or_against_the_answer_s_own_date() {
    let retry = |status, headers: &[(&str, &str)]| {
        diagnose(&obs(edge_ok(), origin_with(status, headers), None))
            .evidence
            .into_iter()
            .find_map(|e| match e {
                Evidence::RetryAfter { secs } => Some(secs),
                _ => None,
            })
    };
    assert_eq!(retry(429, &[("retry-after", "120")]), Some(120));
    assert_eq!(retry(429, &[("retry-after", " 7 ")]), Some(7));
    // A 503's is not followed: during an outage the recovery must not wait for it.
    assert_eq!(retry(503, &[("retry-after", "600")]), None);
    assert_eq!(
        retry(
            429,
            &[
                ("retry-after", "Wed, 02 Dec 2026 01:05:00 GMT"),
                ("date", "Wed, 02 Dec 2026 01:03:30 GMT")
            ]
        ),
        Some(90)
    );
    // A date already past: ask again at once (the monitor's own interval still applies).
    assert_eq!(
        retry(
            429,
            &[
                ("retry-after", "Wed, 02 Dec 2026 01:00:00 GMT"),
                ("date", "Wed, 02 Dec 2026 01:03:30 GMT")
            ]
        ),
        Some(0)
    );
    // A date with no Date to read it against, garbage, or on a success: nothing.
    assert_eq!(
        retry(429, &[("retry-after", "Wed, 02 Dec 2026 01:05:00 GMT")]),
        None
    );
    assert_eq!(retry(429, &[("retry-after", "soon")]), None);
    assert_eq!(retry(200, &[("retry-after", "120")]), None);
}

#[test]
fn the_proxy_hop_and_interception_are_named_never_down() {
    let plain = |target, status: u16, body: &str| {
        Some(Probe::new(
            target,
            format!("http://example.test/{}", target.as_str()),
            Outcome::Response(
                HttpResponse::new(status)
                    .with_header("server", "tinyproxy/1.11.1")
                    .with_body(body),
            ),
            5,
        ))
    };
    let via = |mut o: Observation| {
        o.proxy = Some("http://proxy.example:3128/ (Gatewatch's setting)".into());
        o
    };
    // A 407 is a proxy's, whether or not Gatewatch knew of one.
    let o = obs(None, plain(Target::Origin, 407, "auth"), None);
    check(o, Verdict::Offline, Layer::Proxy, Cause::ProxyLogin);
    let o = obs(None, fail(Target::Origin, NetErrorKind::ProxyAuth), None);
    check(o, Verdict::Offline, Layer::Proxy, Cause::ProxyLogin);
    // The proxy's 407 on the API and the phone apps' host is not their answer: neither "the API
    // is alive" nor "the phone apps' route answers".
    let mut o = obs(
        None,
        plain(Target::Origin, 407, "auth"),
        plain(Target::Api, 407, "auth"),
    );
    o.app = plain(Target::App, 407, "auth");
    let d = diagnose(&o);
    assert_eq!(d.cause, Cause::ProxyLogin, "{d:#?}");
    assert_ne!(d.api_alive, Some(true), "{d:#?}");
    assert_eq!(d.app_route, Some(Door::Unreachable), "{d:#?}");
    assert!(
        d.evidence.contains(&Evidence::ApiFailed {
            error: NetErrorKind::ProxyAuth
        }),
        "{d:#?}"
    );
    assert!(!d.advice.contains(&Advice::PhoneAppAnswers), "{d:#?}");
    // The proxy's own error pages on every door.
    let o = via(obs(
        plain(Target::Edge, 500, "Unable to connect"),
        plain(Target::Origin, 500, "Unable to connect"),
        plain(Target::Api, 502, "Unable to connect"),
    ));
    check(o, Verdict::Offline, Layer::Proxy, Cause::ProxyFailing);
    let o = via(obs(
        fail(Target::Edge, NetErrorKind::ProxyRefused),
        fail(Target::Origin, NetErrorKind::ProxyRefused),
        None,
    ));
    check(o, Verdict::Offline, Layer::Proxy, Cause::ProxyFailing);
    // Nothing answers at all through it.
    let o = via(obs(
        fail(Target::Edge, NetErrorKind::Connect),
        fail(Target::Origin, NetErrorKind::Connect),
        fail(Target::Api, NetErrorKind::Timeout),
    ));
    check(o, Verdict::Offline, Layer::Proxy, Cause::ProxyUnreachable);
    // Through a proxy, Cloudflare's real 502 is still Cloudflare's: down, not the proxy.
    let o = via(obs(edge_ok(), origin(502, BRANDED_502), api_alive()));
    check(o, Verdict::BadGateway, Layer::Origin, Cause::Overload);
    // Without a proxy, an error page without Cloudflare's marks is OpenAI's own, as before.
    let o = obs(edge_ok(), plain(Target::Origin, 500, "oops"), api_alive());
    check(o, Verdict::OriginError, Layer::Origin, Cause::OriginFailure);
    // An untrusted certificate on chatgpt.com: intercepted, whatever else.
    let mut o = obs(edge_ok(), None, api_alive());
    o.origin = Some(Probe::new(
        Target::Origin,
        "https://chatgpt.com/api/auth/session",
        Outcome::Failed {
            error: NetErrorKind::Tls,
            detail: "error sending request: invalid peer certificate: UnknownIssuer".into(),
        },
        9,
    ));
    check(o, Verdict::Offline, Layer::Network, Cause::TlsIntercepted);
}
